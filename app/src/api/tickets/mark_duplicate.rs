use crate::error::AppError;
use leptos::prelude::*;

/// Marks the ticket a duplicate of another and resolves it.
#[server(endpoint = "tickets/duplicate")]
pub async fn mark_duplicate(number: String, original: String) -> Result<(), AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        crate::services::tickets::mark_duplicate(&ctx, &actor, &number, &original).await
    })
    .await
}
