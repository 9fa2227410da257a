//! Typed links between tickets: child incidents of a major incident, duplicates.

use super::change::apply_change;
use super::{audit_line, find_visible, require_staff, TicketPatch};
use crate::domain::{Actor, LinkKind, TicketState, TicketType};
use crate::error::AppError;
use crate::services::entities::{ticket, ticket_link};
use crate::services::journal::{self, AuditLine};
use crate::services::AppContext;
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter, Set};

async fn links_of(txn: &DatabaseTransaction, id: i64, kind: LinkKind, outgoing: bool) -> Result<u64, AppError> {
    let col = if outgoing { ticket_link::Column::FromTicketId } else { ticket_link::Column::ToTicketId };
    Ok(ticket_link::Entity::find().filter(col.eq(id)).filter(ticket_link::Column::Kind.eq(kind.code())).count(txn).await?)
}

async fn record_link(txn: &DatabaseTransaction, actor: &Actor, from: &ticket::Model, to: &ticket::Model, kind: LinkKind, added: bool) -> Result<i64, AppError> {
    let now = Utc::now();
    let (field_from, field_to) = match kind {
        LinkKind::ChildOf => ("parent", "child"),
        LinkKind::DuplicateOf => ("duplicate_of", "duplicate"),
    };
    let action = if added { "linked" } else { "unlinked" };
    for (t, field, other) in [(from, field_from, to), (to, field_to, from)] {
        let (old, new) = if added { (None, Some(other.number.clone())) } else { (Some(other.number.clone()), None) };
        journal::audit(txn, AuditLine { field: Some(field), old_value: old, new_value: new, ..audit_line(t, Some(actor.user_id), action, now) }).await?;
    }
    Ok(journal::append_event(
        txn,
        if added { "ticket.linked" } else { "ticket.unlinked" },
        "ticket",
        from.id,
        serde_json::json!({ "from": from.number, "to": to.number, "kind": kind.code() }),
    )
    .await?)
}

/// Makes `child_key` a child incident of the major incident `parent_key`. Resolving the parent
/// later resolves its open children.
pub async fn link_child(ctx: &AppContext, actor: &Actor, child_key: &str, parent_key: &str) -> Result<(), AppError> {
    require_staff(actor)?;
    let (_w, txn) = ctx.begin_write().await?;
    let child = find_visible(&txn, actor, child_key).await?;
    let parent = find_visible(&txn, actor, parent_key)
        .await
        .map_err(|_| AppError::field("parent", format!("No ticket '{parent_key}'")))?;
    let incident = TicketType::Incident.code();
    let refuse = |m: String| Err(AppError::field("parent", m));
    if child.id == parent.id {
        return refuse("A ticket cannot be its own parent".into());
    }
    if child.ticket_type != incident || parent.ticket_type != incident {
        return refuse("Only incidents can be linked as parent and child".into());
    }
    if !TicketState::parse(&parent.state).is_ok_and(TicketState::is_open) {
        return refuse(format!("{} is no longer open", parent.number));
    }
    if links_of(&txn, child.id, LinkKind::ChildOf, true).await? > 0 {
        return refuse(format!("{} already has a parent", child.number));
    }
    if links_of(&txn, parent.id, LinkKind::ChildOf, true).await? > 0 {
        return refuse(format!("{} is itself a child; link to its parent instead", parent.number));
    }
    if links_of(&txn, child.id, LinkKind::ChildOf, false).await? > 0 {
        return refuse(format!("{} is a major incident with children of its own", child.number));
    }
    ticket_link::ActiveModel {
        from_ticket_id: Set(child.id),
        to_ticket_id: Set(parent.id),
        kind: Set(LinkKind::ChildOf.code().into()),
        created_by: Set(Some(actor.user_id)),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let seq = record_link(&txn, actor, &child, &parent, LinkKind::ChildOf, true).await?;
    txn.commit().await?;
    ctx.notify_committed(seq);
    Ok(())
}

/// Removes a child incident from its major incident.
pub async fn unlink_child(ctx: &AppContext, actor: &Actor, child_key: &str) -> Result<(), AppError> {
    require_staff(actor)?;
    let (_w, txn) = ctx.begin_write().await?;
    let child = find_visible(&txn, actor, child_key).await?;
    let link = ticket_link::Entity::find()
        .filter(Condition::all().add(ticket_link::Column::FromTicketId.eq(child.id)).add(ticket_link::Column::Kind.eq(LinkKind::ChildOf.code())))
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::field("parent", format!("{} has no parent", child.number)))?;
    let parent = ticket::Entity::find_by_id(link.to_ticket_id).one(&txn).await?.ok_or(AppError::Internal)?;
    ticket_link::Entity::delete_by_id(link.id).exec(&txn).await?;
    let seq = record_link(&txn, actor, &child, &parent, LinkKind::ChildOf, false).await?;
    txn.commit().await?;
    ctx.notify_committed(seq);
    Ok(())
}

/// Marks `key` as a duplicate of `original_key` and resolves it with code `duplicate`.
pub async fn mark_duplicate(ctx: &AppContext, actor: &Actor, key: &str, original_key: &str) -> Result<(), AppError> {
    require_staff(actor)?;
    let (_w, txn) = ctx.begin_write().await?;
    let dup = find_visible(&txn, actor, key).await?;
    let original = find_visible(&txn, actor, original_key)
        .await
        .map_err(|_| AppError::field("original", format!("No ticket '{original_key}'")))?;
    if dup.id == original.id {
        return Err(AppError::field("original", "A ticket cannot duplicate itself"));
    }
    if links_of(&txn, original.id, LinkKind::DuplicateOf, true).await? > 0 {
        return Err(AppError::field("original", format!("{} is itself a duplicate; choose the original", original.number)));
    }
    if !TicketState::parse(&dup.state).is_ok_and(TicketState::is_open) {
        return Err(AppError::field("original", format!("{} is no longer open", dup.number)));
    }
    ticket_link::ActiveModel {
        from_ticket_id: Set(dup.id),
        to_ticket_id: Set(original.id),
        kind: Set(LinkKind::DuplicateOf.code().into()),
        created_by: Set(Some(actor.user_id)),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record_link(&txn, actor, &dup, &original, LinkKind::DuplicateOf, true).await?;
    let config = ctx.desk_config().await?;
    let patch = TicketPatch {
        state: Some(TicketState::Resolved.code().into()),
        resolution_code: Some("duplicate".into()),
        // The requester reads this note: name the original only when it is theirs too.
        resolution_note: Some(if original.requester_id == dup.requester_id {
            format!("Duplicate of {}", original.number)
        } else {
            "Duplicate of a ticket already being worked on".to_string()
        }),
        ..Default::default()
    };
    let applied = apply_change(&txn, &config, Some(actor), dup, &patch, Utc::now()).await?;
    txn.commit().await?;
    if let Some(seq) = applied.seq {
        ctx.notify_committed(seq);
    }
    Ok(())
}
