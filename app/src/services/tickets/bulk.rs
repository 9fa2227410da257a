//! Bulk actions from the console queue: each ticket goes through the normal write path in its own
//! transaction, and the outcome is reported per ticket (one refusal does not stop the rest).

use super::{add_comment, mark_duplicate, update_ticket, TicketPatch};
use crate::domain::Actor;
use crate::dto::BulkResult;
use crate::error::AppError;
use crate::services::authz::require_staff;
use crate::services::AppContext;

/// At most this many tickets per bulk action.
pub const MAX_BULK: usize = 200;

/// What to do to every selected ticket.
#[derive(Debug, Clone)]
pub enum BulkAction {
    /// Assign to the acting agent.
    AssignToMe,
    /// Assign to an agent (`None` clears).
    Assign(Option<i64>),
    /// Move to an assignment group.
    Group(Option<i64>),
    /// Change state (with the reason / resolution fields that state needs).
    State(TicketPatch),
    /// Mark as duplicates of this ticket (resolved with it).
    MergeInto(String),
    /// Add the same reply or note.
    Comment { body: String, internal: bool },
}

fn describe(e: &AppError) -> String {
    match e {
        AppError::Validation(fields) => fields.iter().map(|f| f.message.clone()).collect::<Vec<_>>().join("; "),
        other => other.to_string(),
    }
}

/// Applies `action` to each ticket in `numbers` and reports every outcome.
pub async fn bulk_update(ctx: &AppContext, actor: &Actor, numbers: &[String], action: BulkAction) -> Result<Vec<BulkResult>, AppError> {
    require_staff(actor)?;
    let mut seen = std::collections::HashSet::new();
    let numbers: Vec<&String> = numbers.iter().filter(|n| !n.trim().is_empty() && seen.insert(n.trim().to_string())).collect();
    if numbers.is_empty() {
        return Err(AppError::field("tickets", "Select at least one ticket"));
    }
    if numbers.len() > MAX_BULK {
        return Err(AppError::field("tickets", format!("At most {MAX_BULK} tickets at a time")));
    }
    let mut out = Vec::with_capacity(numbers.len());
    for number in numbers {
        let number = number.trim();
        let result = match &action {
            BulkAction::AssignToMe => {
                update_ticket(ctx, actor, number, TicketPatch { assignee_id: Some(Some(actor.user_id)), ..Default::default() }).await.map(|_| ())
            }
            BulkAction::Assign(id) => update_ticket(ctx, actor, number, TicketPatch { assignee_id: Some(*id), ..Default::default() }).await.map(|_| ()),
            BulkAction::Group(id) => update_ticket(ctx, actor, number, TicketPatch { group_id: Some(*id), ..Default::default() }).await.map(|_| ()),
            BulkAction::State(patch) => update_ticket(ctx, actor, number, patch.clone()).await.map(|_| ()),
            BulkAction::MergeInto(target) if target.trim().eq_ignore_ascii_case(number) => {
                Err(AppError::field("target", "A ticket cannot be a duplicate of itself"))
            }
            BulkAction::MergeInto(target) => mark_duplicate(ctx, actor, number, target).await,
            BulkAction::Comment { body, internal } => add_comment(ctx, actor, number, body, *internal).await.map(|_| ()),
        };
        out.push(match result {
            Ok(()) => BulkResult { number: number.to_string(), ok: true, message: None },
            Err(e) => BulkResult { number: number.to_string(), ok: false, message: Some(describe(&e)) },
        });
    }
    Ok(out)
}
