use crate::error::AppError;
use leptos::prelude::*;

/// Assigns the ticket to the signed-in agent (refused if it changed since `version`).
#[server(endpoint = "tickets/assign-to-me")]
pub async fn assign_to_me(number: String, version: i32) -> Result<(), AppError> {
    use crate::services::tickets::{self, TicketPatch};
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        let patch = TicketPatch {
            assignee_id: Some(Some(actor.user_id)),
            expected_version: Some(version),
            ..Default::default()
        };
        tickets::update_ticket(&ctx, &actor, &number, patch).await.map(|_| ())
    })
    .await
}
