use crate::dto::UserView;
use crate::error::AppError;
use leptos::prelude::*;

/// All users (admins only).
#[server(endpoint = "admin/users")]
pub async fn list_users() -> Result<Vec<UserView>, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        crate::services::users::list_users(&ctx, &actor).await
    })
    .await
}
