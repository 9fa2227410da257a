use crate::dto::{CategoryView, ServiceView};
use crate::error::AppError;
use leptos::prelude::*;

/// Business services and categories (any signed-in user).
#[server(endpoint = "desk/catalog")]
pub async fn list_catalog() -> Result<(Vec<ServiceView>, Vec<CategoryView>), AppError> {
    super::super::support::respond(async move {
        let (ctx, _actor) = super::super::support::context_and_actor().await?;
        crate::services::reference::list_catalog(&ctx).await
    })
    .await
}
