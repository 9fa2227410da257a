use crate::dto::QueueView;
use crate::error::AppError;
use leptos::prelude::*;

/// Built-in and saved queue views with their ticket counts.
#[server(endpoint = "tickets/views")]
pub async fn queue_views() -> Result<Vec<QueueView>, AppError> {
    use crate::services::tickets::queue;
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        queue::views(&ctx, &actor).await
    })
    .await
}
