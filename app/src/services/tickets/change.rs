//! Changing a ticket: one function applies a patch inside a transaction (validation, lifecycle
//! rules, optimistic version check, audit, outbox) and every caller — agents, requester replies,
//! major-incident cascades, auto-close — goes through it.

use super::{audit_line, detail, find_visible, require_staff, user_names, TicketPatch};
use crate::domain::field::{bounded_text, Validator};
use crate::domain::{Actor, Description, FieldError, Impact, OnHoldReason, Priority, TicketState, TicketType, Title, Urgency};
use crate::dto::TicketDetail;
use crate::error::AppError;
use crate::services::config::DeskConfig;
use crate::services::entities::{app_user, assignment_group, audit_entry, ticket, ticket_link};
use crate::services::journal::{self, AuditLine};
use crate::services::AppContext;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, Set,
};
use std::collections::HashMap;

/// One field change, as written to the audit trail.
pub(super) struct Change {
    pub field: &'static str,
    pub old: Option<String>,
    pub new: Option<String>,
}

fn change(field: &'static str, old: Option<String>, new: Option<String>) -> Change {
    Change { field, old, new }
}

/// The result of applying a patch.
pub(super) struct Applied {
    pub ticket: ticket::Model,
    pub changes: Vec<Change>,
    pub seq: Option<i64>,
}

/// Applies `patch` to `current` inside `txn`. `actor` is `None` for the system (auto-close).
/// Writes the row (version-checked), one audit line per changed field and one outbox event.
pub(super) async fn apply_change(
    txn: &DatabaseTransaction,
    config: &DeskConfig,
    actor: Option<&Actor>,
    current: ticket::Model,
    patch: &TicketPatch,
    now: DateTime<Utc>,
) -> Result<Applied, AppError> {
    if let Some(expected) = patch.expected_version {
        if expected != current.version {
            return Err(changed_by_someone_else(txn, &current).await);
        }
    }
    let mut changes: Vec<Change> = Vec::new();
    let mut row: ticket::ActiveModel = current.clone().into();
    let mut v = Validator::new();

    let old_state = TicketState::parse(&current.state).map_err(|_| AppError::Internal)?;
    let mut requested_state = match patch.state.as_deref() {
        Some(s) => v.check(TicketState::parse(s)),
        None => None,
    };
    let catalog = TicketType::parse(&current.ticket_type).is_ok_and(TicketType::is_catalog);
    if catalog && requested_state.is_some_and(|s| s != old_state) {
        v.check::<()>(Err(FieldError::new("state", "Requests, requested items and tasks move by their own actions (approve, complete, cancel)")));
        requested_state = None;
    }
    if let Some(title) = patch.title.as_deref() {
        if let Some(t) = v.check(Title::parse(title)).filter(|t| t.as_str() != current.title) {
            changes.push(change("title", Some(current.title.clone()), Some(t.as_str().into())));
            row.title = Set(t.as_str().into());
        }
    }
    if let Some(d) = patch.description.as_deref() {
        if let Some(d) = v.check(Description::parse(d)).filter(|d| d.as_str() != current.description) {
            changes.push(change("description", None, None));
            row.description = Set(d.as_str().into());
        }
    }

    // Priority: the matrix unless an agent overrides it (with a reason), until set back to auto.
    let impact = match patch.impact.as_deref() {
        Some(i) => v.check(Impact::parse(i)),
        None => Impact::parse(&current.impact).ok(),
    };
    let urgency = match patch.urgency.as_deref() {
        Some(u) => v.check(Urgency::parse(u)),
        None => Urgency::parse(&current.urgency).ok(),
    };
    let mut overridden = current.priority_overridden;
    let mut manual: Option<Priority> = None;
    match patch.priority.as_deref().map(str::trim) {
        None | Some("") => {}
        Some("auto") => overridden = false,
        Some(p) => {
            let reason = patch.priority_reason.as_deref().map(str::trim).unwrap_or("");
            let p = v.check(Priority::parse(p));
            if reason.is_empty() {
                v.check::<()>(Err(FieldError::new("priority_reason", "Give a reason for overriding the priority")));
            } else if let Some(p) = p {
                manual = Some(p);
                overridden = true;
                if current.priority_reason.as_deref() != Some(reason) {
                    changes.push(change("priority_reason", current.priority_reason.clone(), Some(reason.into())));
                    row.priority_reason = Set(Some(reason.into()));
                }
            }
        }
    }
    if let (Some(impact), Some(urgency)) = (impact, urgency) {
        if impact.code() != current.impact {
            changes.push(change("impact", Some(current.impact.clone()), Some(impact.code().into())));
            row.impact = Set(impact.code().into());
        }
        if urgency.code() != current.urgency {
            changes.push(change("urgency", Some(current.urgency.clone()), Some(urgency.code().into())));
            row.urgency = Set(urgency.code().into());
        }
        let priority = match manual {
            Some(p) => p.number() as i16,
            None if overridden => current.priority,
            None => config.desk.matrix.priority(impact, urgency).number() as i16,
        };
        if priority != current.priority {
            changes.push(change("priority", Some(current.priority.to_string()), Some(priority.to_string())));
            row.priority = Set(priority);
        }
        if overridden != current.priority_overridden {
            changes.push(change("priority_overridden", Some(current.priority_overridden.to_string()), Some(overridden.to_string())));
            row.priority_overridden = Set(overridden);
            if !overridden {
                row.priority_reason = Set(None);
            }
        }
    }

    if let Some(new_assignee) = patch.assignee_id.filter(|a| *a != current.assignee_id) {
        if let Some(id) = new_assignee {
            let assignee = app_user::Entity::find_by_id(id).one(txn).await?;
            if !assignee.as_ref().is_some_and(|u| u.active && (u.role == "agent" || u.role == "admin")) {
                v.check::<()>(Err(FieldError::new("assignee_id", "Assignee must be an active agent")));
            }
        }
        let names = user_names(txn, [current.assignee_id, new_assignee].into_iter().flatten()).await?;
        let name = |id: Option<i64>| id.map(|i| names.get(&i).cloned().unwrap_or_else(|| i.to_string()));
        changes.push(change("assignee", name(current.assignee_id), name(new_assignee)));
        row.assignee_id = Set(new_assignee);
        if current.assignee_id.is_some() {
            row.reassignment_count = Set(current.reassignment_count + 1);
        }
        if new_assignee.is_some() && old_state == TicketState::New && requested_state.is_none() && !catalog {
            requested_state = Some(TicketState::InProgress);
        }
    }
    if let Some(new_group) = patch.group_id.filter(|g| *g != current.group_id) {
        let mut names = HashMap::new();
        for id in [current.group_id, new_group].into_iter().flatten() {
            match assignment_group::Entity::find_by_id(id).one(txn).await? {
                Some(g) => {
                    names.insert(id, g.name);
                }
                None => {
                    v.check::<()>(Err(FieldError::new("group_id", "Unknown assignment group")));
                }
            }
        }
        changes.push(change(
            "group",
            current.group_id.and_then(|i| names.get(&i).cloned()),
            new_group.and_then(|i| names.get(&i).cloned()),
        ));
        row.group_id = Set(new_group);
    }

    if let Some(new_ci) = patch.ci.as_ref() {
        let wanted = match new_ci.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            Some(name) => match crate::services::cmdb::ticket_ci(txn, "ci", name).await {
                Ok(found) => Some(Some(found)),
                Err(AppError::Validation(errors)) => {
                    for e in errors {
                        v.check::<()>(Err(e));
                    }
                    None
                }
                Err(e) => return Err(e),
            },
            None => Some(None),
        };
        if let Some(wanted) = wanted.filter(|w| w.as_ref().map(|c| c.id) != current.ci_id) {
            let old = crate::services::cmdb::ci_ref(txn, current.ci_id).await?.map(|c| c.name);
            changes.push(change("ci", old, wanted.as_ref().map(|c| c.name.clone())));
            row.ci_id = Set(wanted.map(|c| c.id));
        }
    }

    let staying_on_hold = old_state == TicketState::OnHold && requested_state.is_none_or(|s| s == TicketState::OnHold);
    if let (true, Some(raw)) = (staying_on_hold, patch.on_hold_reason.as_deref()) {
        // Changing only the reason while on hold.
        if let Some(reason) = v.check(OnHoldReason::parse(raw)).filter(|r| Some(r.code()) != current.on_hold_reason.as_deref()) {
            changes.push(change("on_hold_reason", current.on_hold_reason.clone(), Some(reason.code().into())));
            row.on_hold_reason = Set(Some(reason.code().into()));
        }
    }
    if let Some(to) = requested_state.filter(|s| *s != old_state) {
        if let Some(to) = v.check(old_state.transition_to(to)) {
            if old_state == TicketState::OnHold {
                changes.push(change("on_hold_reason", current.on_hold_reason.clone(), None));
                row.on_hold_reason = Set(None);
            }
            match to {
                TicketState::OnHold => {
                    if let Some(reason) = v.check(OnHoldReason::parse(patch.on_hold_reason.as_deref().unwrap_or(""))) {
                        changes.push(change("on_hold_reason", None, Some(reason.code().into())));
                        row.on_hold_reason = Set(Some(reason.code().into()));
                    }
                }
                TicketState::Resolved => {
                    let code = v.check(config.desk.active_resolution_code(patch.resolution_code.as_deref().unwrap_or("")));
                    let note = v.check(bounded_text(
                        "resolution_note",
                        "Resolution note",
                        patch.resolution_note.as_deref().unwrap_or(""),
                        1,
                        20_000,
                    ));
                    if let (Some(code), Some(note)) = (code, note) {
                        changes.push(change("resolution_code", current.resolution_code.clone(), Some(code.as_str().into())));
                        row.resolution_code = Set(Some(code.as_str().into()));
                        row.resolution_note = Set(Some(note));
                        row.resolved_at = Set(Some(now));
                    }
                }
                TicketState::Closed | TicketState::Canceled => row.closed_at = Set(Some(now)),
                TicketState::InProgress if old_state == TicketState::Resolved => {
                    changes.push(change("reopen_count", Some(current.reopen_count.to_string()), Some((current.reopen_count + 1).to_string())));
                    row.reopen_count = Set(current.reopen_count + 1);
                    row.resolved_at = Set(None);
                }
                _ => {}
            }
            changes.push(change("state", Some(old_state.code().into()), Some(to.code().into())));
            row.state = Set(to.code().into());
        }
    }
    v.finish()?;
    if changes.is_empty() {
        return Ok(Applied { ticket: current, changes, seq: None });
    }
    row.updated_at = Set(now);
    let new_version = current.version + 1;
    row.version = Set(new_version);
    let result = ticket::Entity::update_many()
        .set(row)
        .filter(ticket::Column::Id.eq(current.id))
        .filter(ticket::Column::Version.eq(current.version))
        .exec(txn)
        .await?;
    if result.rows_affected != 1 {
        return Err(changed_by_someone_else(txn, &current).await);
    }
    let actor_id = actor.map(|a| a.user_id);
    for c in &changes {
        journal::audit(
            txn,
            AuditLine { field: Some(c.field), old_value: c.old.clone(), new_value: c.new.clone(), ..audit_line(&current, actor_id, "field_changed", now) },
        )
        .await?;
    }
    let seq = journal::append_event(
        txn,
        "ticket.updated",
        "ticket",
        current.id,
        serde_json::json!({
            "number": current.number,
            "version": new_version,
            "fields": changes.iter().map(|c| c.field).collect::<Vec<_>>(),
            "actor_id": actor_id,
            "actor": actor.map(|a| a.display_name.as_str()),
        }),
    )
    .await?;
    let updated = ticket::Entity::find_by_id(current.id).one(txn).await?.ok_or(AppError::Internal)?;
    crate::services::sla::sync_timers(txn, &config.sla, &updated, now).await?;
    Ok(Applied { ticket: updated, changes, seq: Some(seq) })
}

pub(crate) async fn changed_by_someone_else(db: &impl ConnectionTrait, t: &ticket::Model) -> AppError {
    let who = audit_entry::Entity::find()
        .filter(audit_entry::Column::EntityType.eq("ticket"))
        .filter(audit_entry::Column::EntityId.eq(t.id))
        .order_by_desc(audit_entry::Column::Id)
        .one(db)
        .await
        .ok()
        .flatten()
        .and_then(|a| a.actor_id);
    let name = match who {
        Some(id) => user_names(db, [id].into_iter()).await.ok().and_then(|n| n.get(&id).cloned()),
        None => None,
    };
    AppError::Conflict(format!(
        "{} was changed by {} since you opened it — reload to see the latest version",
        t.number,
        name.unwrap_or_else(|| "someone else".into())
    ))
}

/// Resolves the open children of a major incident that was just resolved.
pub(super) async fn resolve_children(
    txn: &DatabaseTransaction,
    config: &DeskConfig,
    actor: Option<&Actor>,
    parent: &ticket::Model,
    now: DateTime<Utc>,
) -> Result<Option<i64>, AppError> {
    let child_ids: Vec<i64> = ticket_link::Entity::find()
        .filter(ticket_link::Column::ToTicketId.eq(parent.id))
        .filter(ticket_link::Column::Kind.eq(crate::domain::LinkKind::ChildOf.code()))
        .all(txn)
        .await?
        .into_iter()
        .map(|l| l.from_ticket_id)
        .collect();
    let mut last_seq = None;
    for child in ticket::Entity::find().filter(ticket::Column::Id.is_in(child_ids)).order_by_asc(ticket::Column::Id).all(txn).await? {
        if !TicketState::parse(&child.state).is_ok_and(TicketState::is_open) {
            continue;
        }
        let patch = TicketPatch {
            state: Some(TicketState::Resolved.code().into()),
            resolution_code: parent.resolution_code.clone(),
            resolution_note: Some(format!(
                "Resolved with major incident {}: {}",
                parent.number,
                parent.resolution_note.clone().unwrap_or_default()
            )),
            ..Default::default()
        };
        let applied = apply_change(txn, config, actor, child, &patch, now).await?;
        last_seq = applied.seq.or(last_seq);
    }
    Ok(last_seq)
}

/// Changes a ticket (agents and admins): state, assignment, impact/urgency/priority, text,
/// resolution. Refused with `Conflict` when someone else changed it since `expected_version`.
/// Resolving a major incident resolves its open children in the same transaction.
pub async fn update_ticket(ctx: &AppContext, actor: &Actor, key: &str, patch: TicketPatch) -> Result<TicketDetail, AppError> {
    require_staff(actor)?;
    let (_w, txn) = ctx.begin_write().await?;
    let current = find_visible(&txn, actor, key).await?;
    let config = ctx.desk_config().await?;
    let now = Utc::now();
    let applied = apply_change(&txn, &config, Some(actor), current, &patch, now).await?;
    let mut seq = applied.seq;
    if applied.changes.iter().any(|c| c.field == "state" && c.new.as_deref() == Some("resolved")) {
        seq = resolve_children(&txn, &config, Some(actor), &applied.ticket, now).await?.or(seq);
    }
    txn.commit().await?;
    if let Some(seq) = seq {
        ctx.notify_committed(seq);
    }
    detail(ctx, actor, applied.ticket).await
}

/// Closes every ticket resolved longer ago than the desk's auto-close delay (system actor).
/// Safe to run on several nodes at once: the version check lets exactly one close each ticket.
pub async fn close_due_resolved(ctx: &AppContext, now: DateTime<Utc>) -> Result<usize, AppError> {
    let config = ctx.desk_config().await?;
    let cutoff = now - Duration::days(config.desk.settings.auto_close_days as i64);
    let due = ticket::Entity::find()
        .filter(ticket::Column::State.eq(TicketState::Resolved.code()))
        .filter(ticket::Column::TicketType.is_not_in(TicketType::ALL.into_iter().filter(|t| t.is_catalog()).map(TicketType::code)))
        .filter(ticket::Column::ResolvedAt.lte(cutoff))
        .order_by_asc(ticket::Column::ResolvedAt)
        .all(&ctx.db)
        .await?;
    let mut closed = 0;
    for t in due {
        let (_w, txn) = ctx.begin_write().await?;
        let patch = TicketPatch {
            state: Some(TicketState::Closed.code().into()),
            expected_version: Some(t.version),
            ..Default::default()
        };
        match apply_change(&txn, &config, None, t, &patch, now).await {
            Ok(applied) => {
                txn.commit().await?;
                closed += 1;
                if let Some(seq) = applied.seq {
                    ctx.notify_committed(seq);
                }
            }
            Err(AppError::Conflict(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(closed)
}
