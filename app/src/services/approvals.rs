//! The approvals engine's persistence, shared by catalog requests and (later) changes: a
//! record's stages and its approvers' answers, decided by `domain::approval` as answers arrive
//! or due dates pass. Stages wait (`waiting`) until the ones before them are decided, then ask
//! (`pending`, with their due date); approvers are fixed when the record asks for approval.
//! When the whole is approved or rejected, the record's owner reacts in the same transaction
//! (for a requested item: fulfilment starts, or the item closes rejected).

use crate::domain::approval::{expire, judge, overall, settle, Approval, ApprovalRule, Decision, ExpiryAction, StageOutcome};
use crate::domain::field::bounded_text;
use crate::domain::{Actor, TicketType};
use crate::dto::{ApproverView, StageView};
use crate::error::AppError;
use crate::services::entities::{approval, approval_stage as stage, ticket};
use crate::services::AppContext;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, Set};
use std::collections::HashMap;

/// Stored outcome of a stage that has not started asking yet.
const WAITING: &str = "waiting";

/// A stage to open: its rule and due date, and the approvers fixed now.
pub(crate) struct StagePlan {
    pub name: String,
    pub rule: ApprovalRule,
    pub due_hours: Option<u32>,
    pub on_expiry: ExpiryAction,
    pub approvers: Vec<i64>,
}

fn outcome_code(o: StageOutcome) -> &'static str {
    match o {
        StageOutcome::Pending => "pending",
        StageOutcome::Approved => "approved",
        StageOutcome::Rejected => "rejected",
        StageOutcome::Escalated => "escalated",
    }
}

fn outcome_of(code: &str) -> StageOutcome {
    match code {
        "approved" => StageOutcome::Approved,
        "rejected" => StageOutcome::Rejected,
        "escalated" => StageOutcome::Escalated,
        _ => StageOutcome::Pending,
    }
}

fn rule_of(s: &stage::Model) -> ApprovalRule {
    ApprovalRule::parse(&s.rule, s.rule_n.map(i64::from)).unwrap_or(ApprovalRule::All)
}

fn expiry_of(s: &stage::Model) -> ExpiryAction {
    match s.on_expiry.as_str() {
        "approve" => ExpiryAction::Approve,
        "reject" => ExpiryAction::Reject,
        _ => ExpiryAction::Escalate,
    }
}

fn expiry_code(a: ExpiryAction) -> &'static str {
    match a {
        ExpiryAction::Approve => "approve",
        ExpiryAction::Reject => "reject",
        ExpiryAction::Escalate => "escalate",
    }
}

/// Writes a record's stages (the first starts asking) and returns where its approvals stand.
pub(crate) async fn open(txn: &DatabaseTransaction, ticket_id: i64, plans: Vec<StagePlan>, now: DateTime<Utc>) -> Result<Approval, AppError> {
    for (position, p) in plans.into_iter().enumerate() {
        let row = stage::ActiveModel {
            ticket_id: Set(ticket_id),
            position: Set(position as i32),
            name: Set(p.name),
            rule: Set(crate::domain::catalog::item::rule_code(p.rule).into()),
            rule_n: Set(crate::domain::catalog::item::rule_n(p.rule).map(|n| n as i32)),
            due_hours: Set(p.due_hours.map(|h| h as i32)),
            due_at: Set(None),
            on_expiry: Set(expiry_code(p.on_expiry).into()),
            outcome: Set(WAITING.into()),
            fired_at: Set(None),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        let mut approvers = p.approvers;
        approvers.sort_unstable();
        approvers.dedup();
        if !approvers.is_empty() {
            approval::Entity::insert_many(approvers.into_iter().map(|a| approval::ActiveModel {
                stage_id: Set(row.id),
                ticket_id: Set(ticket_id),
                approver_id: Set(a),
                decision: Set(Decision::Pending.code().into()),
                comment: Set(None),
                decided_at: Set(None),
                ..Default::default()
            }))
            .exec_without_returning(txn)
            .await?;
        }
    }
    advance(txn, ticket_id, now).await
}

/// Judges the current stage of `ticket_id` from its answers: a decided stage settles (pending
/// answers become not required) and the next one starts asking, until one is still pending or
/// the whole is decided.
pub(crate) async fn advance(txn: &DatabaseTransaction, ticket_id: i64, now: DateTime<Utc>) -> Result<Approval, AppError> {
    loop {
        let stages = stage::Entity::find().filter(stage::Column::TicketId.eq(ticket_id)).order_by_asc(stage::Column::Position).all(txn).await?;
        let Some(current) = stages.iter().find(|s| s.outcome == WAITING || s.outcome == "pending").cloned() else {
            return Ok(overall(&stages.iter().map(|s| outcome_of(&s.outcome)).collect::<Vec<_>>()));
        };
        if current.outcome == WAITING {
            // Its due date counts from when it starts asking.
            let due = current.due_hours.map(|h| now + Duration::hours(h.into()));
            stage::Entity::update_many()
                .col_expr(stage::Column::Outcome, Expr::value("pending"))
                .col_expr(stage::Column::DueAt, Expr::value(due))
                .filter(stage::Column::Id.eq(current.id))
                .exec(txn)
                .await?;
        }
        let answers = approval::Entity::find().filter(approval::Column::StageId.eq(current.id)).order_by_asc(approval::Column::Id).all(txn).await?;
        let decisions: Vec<Decision> = answers.iter().map(|a| Decision::parse(&a.decision).unwrap_or(Decision::Pending)).collect();
        let outcome = judge(rule_of(&current), &decisions);
        if !outcome.is_final() {
            return Ok(Approval::AtStage(current.position as usize));
        }
        close_stage(txn, &current, &answers, outcome, now).await?;
    }
}

async fn close_stage(txn: &DatabaseTransaction, s: &stage::Model, answers: &[approval::Model], outcome: StageOutcome, now: DateTime<Utc>) -> Result<(), AppError> {
    let decisions: Vec<Decision> = answers.iter().map(|a| Decision::parse(&a.decision).unwrap_or(Decision::Pending)).collect();
    for (a, d) in answers.iter().zip(settle(&decisions, outcome)) {
        if d.code() != a.decision {
            approval::Entity::update_many().col_expr(approval::Column::Decision, Expr::value(d.code())).filter(approval::Column::Id.eq(a.id)).exec(txn).await?;
        }
    }
    stage::Entity::update_many()
        .col_expr(stage::Column::Outcome, Expr::value(outcome_code(outcome)))
        .col_expr(stage::Column::FiredAt, Expr::value(Some(now)))
        .filter(stage::Column::Id.eq(s.id))
        .exec(txn)
        .await?;
    Ok(())
}

/// Withdraws a record's approvals (the record was canceled): stages still open close, answers
/// still pending are no longer required.
pub(crate) async fn withdraw(txn: &DatabaseTransaction, ticket_id: i64, now: DateTime<Utc>) -> Result<(), AppError> {
    approval::Entity::update_many()
        .col_expr(approval::Column::Decision, Expr::value(Decision::NotRequired.code()))
        .filter(approval::Column::TicketId.eq(ticket_id))
        .filter(approval::Column::Decision.eq(Decision::Pending.code()))
        .exec(txn)
        .await?;
    stage::Entity::update_many()
        .col_expr(stage::Column::FiredAt, Expr::value(Some(now)))
        .filter(stage::Column::TicketId.eq(ticket_id))
        .filter(stage::Column::FiredAt.is_null())
        .exec(txn)
        .await?;
    Ok(())
}

/// Records `actor`'s answer on approval `id` (approve, or reject with a reason) and lets the
/// record react when that decides it. Only the approver may answer, once, while the stage asks.
/// Returns the record's ticket id.
pub async fn decide(ctx: &AppContext, actor: &Actor, id: i64, decision: &str, comment: &str) -> Result<i64, AppError> {
    let decision = Decision::parse(decision)?;
    if !matches!(decision, Decision::Approved | Decision::Rejected) {
        return Err(AppError::field("decision", "Answer approved or rejected"));
    }
    let comment = bounded_text("comment", "Comment", comment, 0, 2_000)?;
    if decision == Decision::Rejected && comment.is_empty() {
        return Err(AppError::field("comment", "Say why you reject: the requester reads it"));
    }
    let now = Utc::now();
    let config = ctx.desk_config().await?;
    let (_turn, txn) = ctx.begin_write().await?;
    let a = approval::Entity::find_by_id(id).one(&txn).await?.filter(|a| a.approver_id == actor.user_id).ok_or_else(|| AppError::NotFound("Approval".into()))?;
    let s = stage::Entity::find_by_id(a.stage_id).one(&txn).await?.ok_or(AppError::Internal)?;
    if a.decision != Decision::Pending.code() || s.outcome != "pending" {
        return Err(AppError::Conflict(match a.decision.as_str() {
            "not_required" => "This approval is no longer needed: the stage was decided without it".into(),
            "pending" => "This stage is not asking for answers".into(),
            _ => "You already answered this approval".into(),
        }));
    }
    let done = approval::Entity::update_many()
        .col_expr(approval::Column::Decision, Expr::value(decision.code()))
        .col_expr(approval::Column::Comment, Expr::value((!comment.is_empty()).then_some(comment.clone())))
        .col_expr(approval::Column::DecidedAt, Expr::value(Some(now)))
        .filter(approval::Column::Id.eq(a.id))
        .filter(approval::Column::Decision.eq(Decision::Pending.code()))
        .exec(&txn)
        .await?;
    if done.rows_affected != 1 {
        return Err(AppError::Conflict("You already answered this approval".into()));
    }
    let t = ticket::Entity::find_by_id(a.ticket_id).one(&txn).await?.ok_or(AppError::Internal)?;
    let word = if decision == Decision::Approved { "approved" } else { "rejected" };
    let said = if comment.is_empty() { String::new() } else { format!(": {comment}") };
    let mut seq = crate::services::catalog::fulfilment::note_on(&txn, Some(actor), &t, "approval", format!("{} {word} ({}){said}", actor.display_name, s.name), now).await?;
    let whole = advance(&txn, t.id, now).await?;
    let reason = (decision == Decision::Rejected).then(|| format!("Rejected by {} ({}): {comment}", actor.display_name, s.name));
    if let Some(s) = settled(&txn, &config, Some(actor), t.id, whole, reason, now).await? {
        seq = s;
    }
    txn.commit().await?;
    ctx.notify_committed(seq);
    Ok(a.ticket_id)
}

/// Tells the record's owner that its approvals were decided; returns the last event's sequence.
async fn settled(
    txn: &DatabaseTransaction,
    config: &crate::services::config::DeskConfig,
    actor: Option<&Actor>,
    ticket_id: i64,
    whole: Approval,
    reason: Option<String>,
    now: DateTime<Utc>,
) -> Result<Option<i64>, AppError> {
    if matches!(whole, Approval::AtStage(_)) {
        return Ok(None);
    }
    let t = ticket::Entity::find_by_id(ticket_id).one(txn).await?.ok_or(AppError::Internal)?;
    match TicketType::parse(&t.ticket_type) {
        Ok(TicketType::RequestItem) => {
            let reason = reason.unwrap_or_else(|| "Rejected: the approvals were not given in time".into());
            crate::services::catalog::fulfilment::approvals_settled(txn, config, actor, t, whole == Approval::Approved, reason, now).await.map(Some)
        }
        _ => Ok(None),
    }
}

/// Takes the action of every asking stage past its due date (approve, reject, escalate to the
/// next stage), once, on whichever node gets to it first. Returns how many expired.
pub async fn fire_due(ctx: &AppContext, now: DateTime<Utc>) -> Result<usize, AppError> {
    let config = ctx.desk_config().await?;
    let (_turn, txn) = ctx.begin_write().await?;
    let ids = crate::services::timers::due_ids(&txn, "approval_stage", now).await?;
    let mut last = None;
    let mut fired = 0;
    for id in ids {
        let Some(s) = stage::Entity::find_by_id(id).one(&txn).await? else { continue };
        if s.outcome != "pending" {
            stage::Entity::update_many().col_expr(stage::Column::FiredAt, Expr::value(Some(now))).filter(stage::Column::Id.eq(id)).exec(&txn).await?;
            continue;
        }
        let answers = approval::Entity::find().filter(approval::Column::StageId.eq(s.id)).all(&txn).await?;
        let outcome = expire(expiry_of(&s));
        close_stage(&txn, &s, &answers, outcome, now).await?;
        let t = ticket::Entity::find_by_id(s.ticket_id).one(&txn).await?.ok_or(AppError::Internal)?;
        let what = match outcome {
            StageOutcome::Approved => "approved on expiry",
            StageOutcome::Rejected => "rejected on expiry",
            _ => "escalated on expiry",
        };
        last = Some(crate::services::catalog::fulfilment::note_on(&txn, None, &t, "approval", format!("{}: {what}", s.name), now).await?);
        let whole = advance(&txn, s.ticket_id, now).await?;
        let reason = Some(format!("Rejected: {} was not decided in time", s.name));
        if let Some(seq) = settled(&txn, &config, None, s.ticket_id, whole, reason, now).await? {
            last = Some(seq);
        }
        fired += 1;
    }
    txn.commit().await?;
    if let Some(seq) = last {
        ctx.notify_committed(seq);
    }
    Ok(fired)
}

/// A record's stages with their approvers, in order (waiting stages show as pending).
pub(crate) async fn stage_views(db: &impl ConnectionTrait, ticket_ids: &[i64]) -> Result<HashMap<i64, Vec<StageView>>, AppError> {
    if ticket_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let stages = stage::Entity::find().filter(stage::Column::TicketId.is_in(ticket_ids.to_vec())).order_by_asc(stage::Column::Position).all(db).await?;
    let answers = approval::Entity::find().filter(approval::Column::TicketId.is_in(ticket_ids.to_vec())).order_by_asc(approval::Column::Id).all(db).await?;
    let names = crate::services::tickets::user_names(db, answers.iter().map(|a| a.approver_id)).await?;
    let mut out: HashMap<i64, Vec<StageView>> = HashMap::new();
    for s in stages {
        let approvers: Vec<ApproverView> = answers
            .iter()
            .filter(|a| a.stage_id == s.id)
            .map(|a| ApproverView {
                id: a.id,
                approver_id: a.approver_id,
                approver_name: names.get(&a.approver_id).cloned().unwrap_or_default(),
                decision: Decision::parse(&a.decision).unwrap_or(Decision::Pending),
                comment: a.comment.clone(),
                decided_at: a.decided_at,
            })
            .collect();
        out.entry(s.ticket_id).or_default().push(StageView {
            rule: rule_of(&s).describe(approvers.len() as u32),
            outcome: outcome_of(&s.outcome),
            due_at: (s.outcome == "pending").then_some(s.due_at).flatten(),
            name: s.name,
            approvers,
        });
    }
    Ok(out)
}

/// The approvals waiting for `actor`'s answer (stages asking now), oldest first: (approval id,
/// stage, record ticket id).
pub(crate) async fn pending_for(db: &impl ConnectionTrait, actor: &Actor) -> Result<Vec<(approval::Model, stage::Model)>, AppError> {
    let mine = approval::Entity::find()
        .filter(approval::Column::ApproverId.eq(actor.user_id))
        .filter(approval::Column::Decision.eq(Decision::Pending.code()))
        .order_by_asc(approval::Column::Id)
        .all(db)
        .await?;
    if mine.is_empty() {
        return Ok(vec![]);
    }
    let stages: HashMap<i64, stage::Model> = stage::Entity::find()
        .filter(stage::Column::Id.is_in(mine.iter().map(|a| a.stage_id)))
        .filter(stage::Column::Outcome.eq("pending"))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    Ok(mine.into_iter().filter_map(|a| stages.get(&a.stage_id).cloned().map(|s| (a, s))).collect())
}
