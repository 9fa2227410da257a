use crate::error::AppError;
use leptos::prelude::*;

/// Deletes one of the signed-in agent's saved views.
#[server(endpoint = "tickets/views/delete")]
pub async fn delete_view(id: i64) -> Result<(), AppError> {
    use crate::services::tickets::queue;
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        queue::delete_view(&ctx, &actor, id).await
    })
    .await
}
