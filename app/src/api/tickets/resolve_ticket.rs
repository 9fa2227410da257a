use crate::error::AppError;
use leptos::prelude::*;

/// Resolves the ticket with a resolution code and note.
#[server(endpoint = "tickets/resolve")]
pub async fn resolve_ticket(
    number: String,
    version: i32,
    resolution_code: String,
    resolution_note: String,
) -> Result<(), AppError> {
    use crate::services::tickets::{self, TicketPatch};
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        let patch = TicketPatch {
            state: Some("resolved".into()),
            resolution_code: Some(resolution_code),
            resolution_note: Some(resolution_note),
            expected_version: Some(version),
            ..Default::default()
        };
        tickets::update_ticket(&ctx, &actor, &number, patch).await.map(|_| ())
    })
    .await
}
