use crate::error::AppError;
use leptos::prelude::*;

/// Functional escalation to the next support tier; returns the new group's name.
#[server(endpoint = "tickets/escalate")]
pub async fn escalate_ticket(number: String, reason: String) -> Result<String, AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        crate::services::tickets::escalate(&ctx, &actor, &number, &reason).await
    })
    .await
}
