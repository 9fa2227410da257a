//! Moving a catalog ticket (request, item, task) along its own lifecycle: its side table keeps
//! the type's state, the ticket row the shared phase queues and SLA clocks read. One function
//! writes both, version-checked, with audit lines ("stage" in the type's words; "state" and
//! "on hold reason" as the SLA clocks read them), the outbox event and the SLA timers.

use crate::domain::{Actor, OnHoldReason, TicketState};
use crate::error::AppError;
use crate::services::config::DeskConfig;
use crate::services::entities::ticket;
use crate::services::journal::{self, AuditLine};
use crate::services::tickets::changed_by_someone_else;
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, Set};

/// A lifecycle move: the type's state codes before and after, and the shared phase after.
pub(super) struct Move<'a> {
    /// The type's state before (`awaiting_approval`).
    pub from: &'a str,
    /// The type's state after.
    pub to: &'a str,
    /// The shared ticket state after, with its on-hold reason.
    pub phase: (TicketState, Option<OnHoldReason>),
    /// A note kept as the resolution note when the move ends the ticket (a rejection's reason).
    pub note: Option<String>,
}

/// Writes `m` on `t` (whose side table the caller updates in the same transaction). Returns the
/// updated row and the event's sequence number.
pub(super) async fn move_ticket(
    txn: &DatabaseTransaction,
    config: &DeskConfig,
    actor: Option<&Actor>,
    t: &ticket::Model,
    m: Move<'_>,
    now: DateTime<Utc>,
) -> Result<(ticket::Model, i64), AppError> {
    let (state, reason) = m.phase;
    let old_state = t.state.as_str();
    let reason_code = reason.map(|r| r.code().to_string());
    let mut row: ticket::ActiveModel = t.clone().into();
    row.state = Set(state.code().into());
    row.on_hold_reason = Set(reason_code.clone());
    row.updated_at = Set(now);
    row.version = Set(t.version + 1);
    match state {
        TicketState::Resolved => row.resolved_at = Set(Some(now)),
        TicketState::Closed | TicketState::Canceled => {
            row.closed_at = Set(Some(now));
            if t.resolved_at.is_none() {
                row.resolved_at = Set(Some(now));
            }
        }
        _ => {}
    }
    if let Some(note) = &m.note {
        row.resolution_note = Set(Some(note.clone()));
    }
    let done = ticket::Entity::update_many()
        .set(row)
        .filter(ticket::Column::Id.eq(t.id))
        .filter(ticket::Column::Version.eq(t.version))
        .exec(txn)
        .await?;
    if done.rows_affected != 1 {
        return Err(changed_by_someone_else(txn, t).await);
    }
    let actor_id = actor.map(|a| a.user_id);
    let line = |field: &'static str, old: Option<String>, new: Option<String>| AuditLine {
        entity_type: "ticket",
        entity_id: t.id,
        actor_id,
        action: "field_changed",
        field: Some(field),
        old_value: old,
        new_value: new,
        at: now,
    };
    let mut lines = vec![line("stage", Some(m.from.into()), Some(m.to.into()))];
    let mut fields = vec!["stage"];
    if t.on_hold_reason != reason_code {
        lines.push(line("on_hold_reason", t.on_hold_reason.clone(), reason_code));
        fields.push("on_hold_reason");
    }
    if old_state != state.code() {
        lines.push(line("state", Some(old_state.into()), Some(state.code().into())));
        fields.push("state");
    }
    journal::audit_many(txn, lines).await?;
    let seq = journal::append_event(
        txn,
        "ticket.updated",
        "ticket",
        t.id,
        serde_json::json!({
            "number": t.number,
            "version": t.version + 1,
            "fields": fields,
            "stage": m.to,
            "actor_id": actor_id,
            "actor": actor.map(|a| a.display_name.as_str()),
        }),
    )
    .await?;
    let updated = ticket::Entity::find_by_id(t.id).one(txn).await?.ok_or(AppError::Internal)?;
    crate::services::sla::sync_timers(txn, &config.sla, &updated, now).await?;
    Ok((updated, seq))
}

/// Audits a note on a catalog ticket (an approval decision, a task's completion note) and tells
/// the live consoles; returns the event's sequence number.
pub(super) async fn note(txn: &DatabaseTransaction, actor: Option<&Actor>, t: &ticket::Model, field: &'static str, value: String, now: DateTime<Utc>) -> Result<i64, AppError> {
    let actor_id = actor.map(|a| a.user_id);
    journal::audit(
        txn,
        AuditLine { entity_type: "ticket", entity_id: t.id, actor_id, action: "field_changed", field: Some(field), old_value: None, new_value: Some(value), at: now },
    )
    .await?;
    Ok(journal::append_event(
        txn,
        "ticket.updated",
        "ticket",
        t.id,
        serde_json::json!({ "number": t.number, "version": t.version, "fields": [field], "actor_id": actor_id, "actor": actor.map(|a| a.display_name.as_str()) }),
    )
    .await?)
}
