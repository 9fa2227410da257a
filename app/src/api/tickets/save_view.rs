use crate::dto::QueueView;
use crate::error::AppError;
use leptos::prelude::*;

/// Saves the current queue filter under a name for the signed-in agent.
#[server(endpoint = "tickets/views/save")]
pub async fn save_view(name: String, query: String) -> Result<QueueView, AppError> {
    use crate::services::tickets::queue;
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        queue::save_view(&ctx, &actor, &name, &query).await
    })
    .await
}
