use crate::dto::NotificationView;
use crate::error::AppError;
use leptos::prelude::*;

/// The signed-in user's notifications.
#[server(endpoint = "notifications")]
pub async fn my_notifications() -> Result<Vec<NotificationView>, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        crate::services::tickets::my_notifications(&ctx, &actor).await
    })
    .await
}
