use crate::error::AppError;
use leptos::prelude::*;

/// Assigns a ticket to a group and/or an agent (empty values clear them).
#[server(endpoint = "tickets/assign")]
pub async fn assign_ticket(number: String, version: i32, group_id: Option<String>, assignee_id: Option<String>) -> Result<(), AppError> {
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        use crate::services::tickets::{self, TicketPatch};
        let parse = |field: &str, raw: Option<String>| -> Result<Option<i64>, AppError> {
            match raw.as_deref().map(str::trim) {
                None | Some("") => Ok(None),
                Some(v) => v.parse().map(Some).map_err(|_| AppError::field(field, "Choose from the list")),
            }
        };
        let patch = TicketPatch {
            group_id: Some(parse("group_id", group_id)?),
            assignee_id: Some(parse("assignee_id", assignee_id)?),
            expected_version: Some(version),
            ..Default::default()
        };
        tickets::update_ticket(&ctx, &actor, &number, patch).await.map(|_| ())
    })
    .await
}
