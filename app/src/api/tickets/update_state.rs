use crate::error::AppError;
use leptos::prelude::*;

/// Moves a ticket through its lifecycle: on hold (with a reason), resume, resolve (code + note), close, cancel, reopen.
#[server(endpoint = "tickets/state")]
pub async fn update_state(number: String, version: i32, state: String, on_hold_reason: Option<String>, resolution_code: Option<String>, resolution_note: Option<String>) -> Result<(), AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        use crate::services::tickets::{self, TicketPatch};
        let patch = TicketPatch {
            state: Some(state),
            on_hold_reason,
            resolution_code,
            resolution_note,
            expected_version: Some(version),
            ..Default::default()
        };
        tickets::update_ticket(&ctx, &actor, &number, patch).await.map(|_| ())
    })
    .await
}
