use crate::error::AppError;
use leptos::prelude::*;

/// Assigns a ticket to a group and/or an agent (empty values clear them).
#[server(endpoint = "tickets/assign")]
pub async fn assign_ticket(number: String, version: i32, group_id: Option<String>, assignee_id: Option<String>) -> Result<(), AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        use crate::services::tickets::{self, TicketPatch};
        use super::super::support::optional_id;
        let patch = TicketPatch {
            group_id: Some(optional_id("group_id", group_id.as_deref())?),
            assignee_id: Some(optional_id("assignee_id", assignee_id.as_deref())?),
            expected_version: Some(version),
            ..Default::default()
        };
        tickets::update_ticket(&ctx, &actor, &number, patch).await.map(|_| ())
    })
    .await
}
