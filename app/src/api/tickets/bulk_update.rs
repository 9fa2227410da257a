use crate::dto::BulkResult;
use crate::error::AppError;
use leptos::prelude::*;

/// Applies one action to the selected tickets (`tickets[]`): `assign_me`, `assign` (target: user
/// id, empty to unassign), `group` (target: group id), `in_progress`, `on_hold` (reason),
/// `merge` (target: the original ticket's number). Reports each ticket's outcome.
#[server(endpoint = "tickets/bulk")]
pub async fn bulk_update(
    tickets: Option<Vec<String>>,
    action: String,
    target: Option<String>,
    reason: Option<String>,
) -> Result<Vec<BulkResult>, AppError> {
    use crate::services::tickets::{self, BulkAction, TicketPatch};
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        let optional_id = |field: &str| super::super::support::optional_id(field, target.as_deref());
        let action = match action.as_str() {
            "assign_me" => BulkAction::AssignToMe,
            "assign" => BulkAction::Assign(optional_id("target")?),
            "group" => BulkAction::Group(optional_id("target")?),
            "in_progress" => BulkAction::State(TicketPatch { state: Some("in_progress".into()), ..Default::default() }),
            "on_hold" => BulkAction::State(TicketPatch { state: Some("on_hold".into()), on_hold_reason: reason, ..Default::default() }),
            "merge" => match target.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                Some(t) => BulkAction::MergeInto(t.to_string()),
                None => return Err(AppError::field("target", "Give the number of the ticket to merge into")),
            },
            _ => return Err(AppError::field("action", "Choose an action")),
        };
        tickets::bulk_update(&ctx, &actor, &tickets.unwrap_or_default(), action).await
    })
    .await
}
