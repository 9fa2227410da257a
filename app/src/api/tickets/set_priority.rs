use crate::error::AppError;
use leptos::prelude::*;

/// Changes impact and urgency, and optionally overrides the matrix priority with a reason (`auto` follows the matrix again).
#[server(endpoint = "tickets/priority")]
pub async fn set_priority(number: String, version: i32, impact: String, urgency: String, priority: Option<String>, priority_reason: Option<String>) -> Result<(), AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        use crate::services::tickets::{self, TicketPatch};
        let patch = TicketPatch {
            impact: Some(impact),
            urgency: Some(urgency),
            priority,
            priority_reason,
            expected_version: Some(version),
            ..Default::default()
        };
        tickets::update_ticket(&ctx, &actor, &number, patch).await.map(|_| ())
    })
    .await
}
