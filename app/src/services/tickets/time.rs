//! Time tracking: minutes each agent spent on a ticket.

use super::{audit_line, find_visible, require_staff};
use crate::domain::field::bounded_text;
use crate::domain::{Actor, Minutes};
use crate::dto::TimeEntryView;
use crate::error::AppError;
use crate::services::entities::time_entry;
use crate::services::journal::{self, AuditLine};
use crate::services::AppContext;
use chrono::Utc;
use sea_orm::{ActiveModelTrait, Set};

/// Logs work on a ticket (agents only).
pub async fn add_time_entry(ctx: &AppContext, actor: &Actor, key: &str, minutes: &str, note: &str) -> Result<TimeEntryView, AppError> {
    require_staff(actor)?;
    let minutes = Minutes::parse(minutes)?;
    let note = bounded_text("note", "Note", note, 0, 2000)?;
    let (_w, txn) = ctx.begin_write().await?;
    let t = find_visible(&txn, actor, key).await?;
    let now = Utc::now();
    let entry = time_entry::ActiveModel {
        ticket_id: Set(t.id),
        agent_id: Set(actor.user_id),
        minutes: Set(minutes.get() as i32),
        note: Set(note),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    journal::audit(&txn, AuditLine { field: Some("time_spent"), new_value: Some(format!("{} min", minutes.get())), ..audit_line(&t, Some(actor.user_id), "time_logged", now) }).await?;
    let seq = journal::append_event(&txn, "ticket.time_logged", "ticket", t.id, serde_json::json!({ "number": t.number, "minutes": minutes.get() })).await?;
    txn.commit().await?;
    ctx.notify_committed(seq);
    Ok(TimeEntryView { id: entry.id, agent_name: actor.display_name.clone(), minutes: entry.minutes, note: entry.note, created_at: now })
}
