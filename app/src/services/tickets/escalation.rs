//! Escalation: functional (to the next support tier) and hierarchical (tell the group's manager),
//! and the in-app notifications it produces.

use super::change::apply_change;
use super::{audit_line, find_visible, require_staff, TicketPatch};
use crate::domain::field::bounded_text;
use crate::domain::Actor;
use crate::dto::NotificationView;
use crate::error::AppError;
use crate::services::config::DeskConfig;
use crate::services::entities::{assignment_group, notification, ticket};
use crate::services::journal::{self, AuditLine};
use crate::services::AppContext;
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use std::collections::HashMap;

async fn notify(txn: &DatabaseTransaction, user_id: i64, t: &ticket::Model, kind: &str, message: String) -> Result<(), AppError> {
    notification::ActiveModel {
        user_id: Set(user_id),
        ticket_id: Set(Some(t.id)),
        kind: Set(kind.into()),
        message: Set(message),
        created_at: Set(Utc::now()),
        read_at: Set(None),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// The group functional escalation moves tickets to: the group's configured target, or else the
/// first group of the next tier.
async fn next_tier(txn: &DatabaseTransaction, group: &assignment_group::Model) -> Result<Option<assignment_group::Model>, AppError> {
    if let Some(id) = group.escalates_to_id {
        return Ok(assignment_group::Entity::find_by_id(id).one(txn).await?);
    }
    Ok(assignment_group::Entity::find()
        .filter(assignment_group::Column::Tier.gt(group.tier))
        .order_by_asc(assignment_group::Column::Tier)
        .order_by_asc(assignment_group::Column::Id)
        .one(txn)
        .await?)
}

/// Functional escalation: hands the ticket to the next tier's group (unassigning the agent) and
/// notifies that group's manager.
pub async fn escalate(ctx: &AppContext, actor: &Actor, key: &str, reason: &str) -> Result<String, AppError> {
    require_staff(actor)?;
    let reason = bounded_text("reason", "Reason", reason, 1, 2000)?;
    let (_w, txn) = ctx.begin_write().await?;
    let t = find_visible(&txn, actor, key).await?;
    let group_id = t.group_id.ok_or_else(|| AppError::field("reason", "Assign the ticket to a group before escalating it"))?;
    let group = assignment_group::Entity::find_by_id(group_id).one(&txn).await?.ok_or(AppError::Internal)?;
    let target = next_tier(&txn, &group)
        .await?
        .ok_or_else(|| AppError::field("reason", format!("{} is the highest tier; there is no group to escalate to", group.name)))?;
    let config = ctx.desk_config().await?;
    let patch = TicketPatch { group_id: Some(Some(target.id)), assignee_id: Some(None), expected_version: Some(t.version), ..Default::default() };
    let applied = apply_change(&txn, &config, Some(actor), t, &patch, Utc::now()).await?;
    journal::audit(
        &txn,
        AuditLine { field: Some("tier"), old_value: Some(format!("L{}", group.tier)), new_value: Some(format!("L{} ({reason})", target.tier)), ..audit_line(&applied.ticket, Some(actor.user_id), "escalated", Utc::now()) },
    )
    .await?;
    if let Some(manager) = target.manager_id {
        notify(&txn, manager, &applied.ticket, "escalation", format!("{} escalated to {} by {}: {reason}", applied.ticket.number, target.name, actor.display_name)).await?;
    }
    txn.commit().await?;
    if let Some(seq) = applied.seq {
        ctx.notify_committed(seq);
    }
    Ok(target.name)
}

/// Hierarchical escalation: tells the manager of the ticket's group that it needs attention.
pub async fn notify_manager(ctx: &AppContext, actor: &Actor, key: &str, message: &str) -> Result<(), AppError> {
    require_staff(actor)?;
    let message = bounded_text("message", "Message", message, 1, 2000)?;
    let (_w, txn) = ctx.begin_write().await?;
    let t = find_visible(&txn, actor, key).await?;
    let group = match t.group_id {
        Some(id) => assignment_group::Entity::find_by_id(id).one(&txn).await?,
        None => None,
    };
    let manager = group
        .as_ref()
        .and_then(|g| g.manager_id)
        .ok_or_else(|| AppError::field("message", "The ticket's group has no manager to notify"))?;
    notify(&txn, manager, &t, "manager_attention", format!("{} needs attention ({}): {message}", t.number, actor.display_name)).await?;
    let now = Utc::now();
    journal::audit(&txn, AuditLine { field: Some("manager"), new_value: Some(message.clone()), ..audit_line(&t, Some(actor.user_id), "manager_notified", now) }).await?;
    let seq = journal::append_event(&txn, "ticket.manager_notified", "ticket", t.id, serde_json::json!({ "number": t.number, "manager_id": manager })).await?;
    txn.commit().await?;
    ctx.notify_committed(seq);
    Ok(())
}

/// The actor's latest notifications, newest first.
pub async fn my_notifications(ctx: &AppContext, actor: &Actor) -> Result<Vec<NotificationView>, AppError> {
    let rows = notification::Entity::find()
        .filter(notification::Column::UserId.eq(actor.user_id))
        .order_by_desc(notification::Column::Id)
        .limit(50)
        .all(&ctx.db)
        .await?;
    let ids: Vec<i64> = rows.iter().filter_map(|n| n.ticket_id).collect();
    let numbers: HashMap<i64, String> = if ids.is_empty() {
        HashMap::new()
    } else {
        ticket::Entity::find().filter(ticket::Column::Id.is_in(ids)).all(&ctx.db).await?.into_iter().map(|t| (t.id, t.number)).collect()
    };
    Ok(rows
        .into_iter()
        .map(|n| NotificationView {
            ticket_number: n.ticket_id.and_then(|id| numbers.get(&id).cloned()),
            id: n.id,
            kind: n.kind,
            message: n.message,
            created_at: n.created_at,
        })
        .collect())
}

/// What an SLA breach does when its policy says so: one step up in priority (as a recorded
/// override) and/or a functional escalation to the next tier. System actor.
pub async fn apply_breach_actions(
    txn: &DatabaseTransaction,
    config: &DeskConfig,
    t: &ticket::Model,
    raise_priority: bool,
    escalate_tier: bool,
    now: chrono::DateTime<Utc>,
) -> Result<(), AppError> {
    let mut patch = TicketPatch::default();
    if raise_priority && t.priority > 1 {
        patch.priority = Some((t.priority - 1).to_string());
        patch.priority_reason = Some("SLA breached".into());
    }
    if escalate_tier {
        if let Some(group) = match t.group_id {
            Some(id) => assignment_group::Entity::find_by_id(id).one(txn).await?,
            None => None,
        } {
            if let Some(target) = next_tier(txn, &group).await? {
                patch.group_id = Some(Some(target.id));
                patch.assignee_id = Some(None);
            }
        }
    }
    if patch.priority.is_none() && patch.group_id.is_none() {
        return Ok(());
    }
    apply_change(txn, config, None, t.clone(), &patch, now).await?;
    Ok(())
}
