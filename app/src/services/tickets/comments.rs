//! Replies and internal notes, and what a requester's reply does to the ticket.

use super::change::apply_change;
use super::{audit_line, find_visible, TicketPatch};
use crate::domain::incident::requester_reply_effect;
use crate::domain::{Actor, CommentBody, OnHoldReason, ReplyEffect, TicketState};
use crate::dto::CommentView;
use crate::error::AppError;
use crate::services::entities::{ticket, ticket_comment};
use crate::services::journal::{self, AuditLine};
use crate::services::AppContext;
use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

/// Adds a public reply or (staff only) an internal note. Requesters may reply on their own
/// tickets: a reply to one on hold awaiting them resumes work; a reply to a resolved one within
/// the reopen window reopens it (and counts the reopen).
pub async fn add_comment(ctx: &AppContext, actor: &Actor, key: &str, body: &str, internal: bool) -> Result<CommentView, AppError> {
    if internal && !actor.is_staff() {
        return Err(AppError::Forbidden);
    }
    let body = CommentBody::parse(body)?;
    let (_w, txn) = ctx.begin_write().await?;
    let t = find_visible(&txn, actor, key).await?;
    let state = TicketState::parse(&t.state).map_err(|_| AppError::Internal)?;
    let now = Utc::now();
    let by_requester = actor.user_id == t.requester_id && !internal;
    let config = ctx.desk_config().await?;
    let effect = if by_requester {
        let reason = t.on_hold_reason.as_deref().and_then(|r| OnHoldReason::parse(r).ok());
        Some(requester_reply_effect(state, reason, t.resolved_at, now, &config.desk.settings)?)
    } else if matches!(state, TicketState::Closed | TicketState::Canceled) {
        return Err(AppError::field("body", format!("{} is {} and takes no more replies", t.number, state.label().to_lowercase())));
    } else {
        None
    };
    let comment = ticket_comment::ActiveModel {
        ticket_id: Set(t.id),
        author_id: Set(actor.user_id),
        body: Set(body.as_str().to_string()),
        internal: Set(internal),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let mut bump = ticket::Entity::update_many()
        .col_expr(ticket::Column::UpdatedAt, Expr::value(now))
        .col_expr(ticket::Column::Version, Expr::col(ticket::Column::Version).add(1))
        .filter(ticket::Column::Id.eq(t.id));
    if actor.is_staff() && !internal && t.first_response_at.is_none() && actor.user_id != t.requester_id {
        bump = bump.col_expr(ticket::Column::FirstResponseAt, Expr::value(now));
    }
    bump.exec(&txn).await?;
    let kind = if internal { "internal" } else { "public" };
    journal::audit(&txn, AuditLine { field: Some("comment"), new_value: Some(kind.into()), ..audit_line(&t, Some(actor.user_id), "comment_added", now) }).await?;
    let mut seq = journal::append_event(
        &txn,
        "ticket.commented",
        "ticket",
        t.id,
        serde_json::json!({
            "number": t.number,
            "comment_id": comment.id,
            "internal": internal,
            "actor_id": actor.user_id,
            "actor": actor.display_name,
        }),
    )
    .await?;
    let bumped = ticket::Entity::find_by_id(t.id).one(&txn).await?.ok_or(AppError::Internal)?;
    crate::services::sla::sync_timers(&txn, &config.sla, &bumped, now).await?;
    if let Some(effect @ (ReplyEffect::Resume | ReplyEffect::Reopen)) = effect {
        let fresh = ticket::Entity::find_by_id(t.id).one(&txn).await?.ok_or(AppError::Internal)?;
        let patch = TicketPatch { state: Some(TicketState::InProgress.code().into()), ..Default::default() };
        let applied = apply_change(&txn, &config, Some(actor), fresh, &patch, now).await?;
        tracing::debug!(ticket = %t.number, ?effect, "requester reply moved the ticket");
        seq = applied.seq.unwrap_or(seq);
    }
    txn.commit().await?;
    ctx.notify_committed(seq);
    Ok(CommentView {
        id: comment.id,
        author_id: actor.user_id,
        author_name: actor.display_name.clone(),
        body: comment.body,
        internal,
        created_at: now,
    })
}
