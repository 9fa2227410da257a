use crate::dto::GroupView;
use crate::error::AppError;
use leptos::prelude::*;

/// All assignment groups (staff only).
#[server(endpoint = "admin/groups")]
pub async fn list_groups() -> Result<Vec<GroupView>, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        crate::services::users::list_groups(&ctx, &actor).await
    })
    .await
}
