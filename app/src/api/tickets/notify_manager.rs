use crate::error::AppError;
use leptos::prelude::*;

/// Hierarchical escalation: tells the group manager the ticket needs attention.
#[server(endpoint = "tickets/notify-manager")]
pub async fn notify_manager(number: String, message: String) -> Result<(), AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        crate::services::tickets::notify_manager(&ctx, &actor, &number, &message).await
    })
    .await
}
