//! SLA engine: the policy a ticket falls under, its clocks computed from its own audit history
//! (so a policy, priority or calendar change recomputes targets from what actually happened), and
//! durable timers that fire each warning and breach exactly once.

use super::entities::{assignment_group, audit_entry, notification, sla_calendar, sla_policy, sla_timer, ticket};
use super::journal::{self, AuditLine};
use super::AppContext;
use crate::domain::calendar::BusinessCalendar;
use crate::domain::sla::{evaluate, ClockEvent, ClockEventKind, ClockState, SlaMetric};
use crate::domain::TicketState;
use crate::dto::SlaClockView;
use crate::error::AppError;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait, QueryFilter,
    QueryOrder, Set, Statement, TransactionTrait,
};
use std::collections::HashMap;

/// Policies in evaluation order with their calendars.
pub struct SlaBook {
    policies: Vec<sla_policy::Model>,
    calendars: HashMap<i64, (String, BusinessCalendar)>,
}

impl SlaBook {
    /// Loads every policy and calendar (a handful of rows).
    pub async fn load(db: &impl ConnectionTrait) -> Result<Self, AppError> {
        let policies = sla_policy::Entity::find().order_by_asc(sla_policy::Column::Position).order_by_asc(sla_policy::Column::Id).all(db).await?;
        let mut calendars = HashMap::new();
        for c in sla_calendar::Entity::find().all(db).await? {
            match serde_json::from_str::<BusinessCalendar>(&c.definition) {
                Ok(cal) => {
                    calendars.insert(c.id, (c.name, cal));
                }
                Err(e) => tracing::error!(calendar = c.id, error = %e, "stored SLA calendar is invalid"),
            }
        }
        Ok(Self { policies, calendars })
    }

    /// The first policy whose conditions all match the ticket.
    pub fn policy_for(&self, t: &ticket::Model) -> Option<&sla_policy::Model> {
        self.policies.iter().find(|p| {
            p.ticket_type.as_deref().is_none_or(|ty| ty == t.ticket_type)
                && p.priority.is_none_or(|pr| pr == t.priority)
                && p.service_id.is_none_or(|s| Some(s) == t.service_id)
                && p.group_id.is_none_or(|g| Some(g) == t.group_id)
        })
    }
}

/// Derives a metric's clock events from the ticket and its audit lines.
pub fn clock_events(t: &ticket::Model, audit: &[audit_entry::Model], metric: SlaMetric, pause_reasons: &[String]) -> Vec<ClockEvent> {
    let mut events = vec![ClockEvent { at: t.created_at, kind: ClockEventKind::Start }];
    match metric {
        SlaMetric::FirstResponse => {
            let resolved_first = audit
                .iter()
                .find(|a| a.field.as_deref() == Some("state") && matches!(a.new_value.as_deref(), Some("resolved" | "closed" | "canceled")))
                .map(|a| a.at);
            let stop = match (t.first_response_at, resolved_first) {
                (Some(r), Some(s)) => Some(r.min(s)),
                (r, s) => r.or(s),
            };
            if let Some(at) = stop {
                events.push(ClockEvent { at, kind: ClockEventKind::Stop });
            }
        }
        SlaMetric::Resolution => {
            for a in audit.iter().filter(|a| a.field.as_deref() == Some("state")) {
                let (from, to) = (a.old_value.as_deref().unwrap_or(""), a.new_value.as_deref().unwrap_or(""));
                let kind = match (from, to) {
                    (_, "on_hold") => {
                        let reason = audit
                            .iter()
                            .find(|r| r.at == a.at && r.field.as_deref() == Some("on_hold_reason") && r.new_value.is_some())
                            .and_then(|r| r.new_value.clone())
                            .unwrap_or_default();
                        pause_reasons.contains(&reason).then_some(ClockEventKind::Pause { reason })
                    }
                    (_, "resolved" | "closed" | "canceled") => Some(ClockEventKind::Stop),
                    ("on_hold" | "resolved", _) => Some(ClockEventKind::Resume),
                    _ => None,
                };
                if let Some(kind) = kind {
                    events.push(ClockEvent { at: a.at, kind });
                }
            }
        }
    }
    events
}

async fn ticket_audit(db: &impl ConnectionTrait, ticket_id: i64) -> Result<Vec<audit_entry::Model>, AppError> {
    Ok(audit_entry::Entity::find()
        .filter(audit_entry::Column::EntityType.eq("ticket"))
        .filter(audit_entry::Column::EntityId.eq(ticket_id))
        .order_by_asc(audit_entry::Column::Id)
        .all(db)
        .await?)
}

/// The ticket's SLA clocks as of `now` (empty when no policy applies).
pub async fn clocks(db: &impl ConnectionTrait, book: &SlaBook, t: &ticket::Model, now: DateTime<Utc>) -> Result<Vec<(sla_policy::Model, SlaClockView)>, AppError> {
    let Some(policy) = book.policy_for(t) else { return Ok(vec![]) };
    let Some((calendar_name, calendar)) = book.calendars.get(&policy.calendar_id) else { return Ok(vec![]) };
    let audit = ticket_audit(db, t.id).await?;
    let pause: Vec<String> = serde_json::from_str(&policy.pause_reasons).unwrap_or_default();
    let mut out = Vec::new();
    for (metric, target) in [(SlaMetric::FirstResponse, policy.response_minutes), (SlaMetric::Resolution, policy.resolution_minutes)] {
        let events = clock_events(t, &audit, metric, &pause);
        let status = evaluate(&events, calendar, target.max(0) as u32, policy.warn_percent.clamp(0, 100) as u8, now);
        out.push((
            policy.clone(),
            SlaClockView {
                metric,
                policy_name: policy.name.clone(),
                calendar_name: calendar_name.clone(),
                calendar: calendar.clone(),
                status,
            },
        ));
    }
    Ok(out)
}

/// Replaces the ticket's pending timers with the warnings and breaches its clocks now project.
/// Called in the same transaction as every ticket change. A metric's warning or breach that
/// already fired never fires again (a reopen does not repeat a breach).
pub async fn sync_timers(txn: &DatabaseTransaction, t: &ticket::Model, now: DateTime<Utc>) -> Result<(), AppError> {
    let book = SlaBook::load(txn).await?;
    sla_timer::Entity::delete_many()
        .filter(sla_timer::Column::TicketId.eq(t.id))
        .filter(sla_timer::Column::FiredAt.is_null())
        .exec(txn)
        .await?;
    let fired: Vec<(String, String)> = sla_timer::Entity::find()
        .filter(sla_timer::Column::TicketId.eq(t.id))
        .filter(sla_timer::Column::FiredAt.is_not_null())
        .all(txn)
        .await?
        .into_iter()
        .map(|f| (f.metric, f.kind))
        .collect();
    for (policy, clock) in clocks(txn, &book, t, now).await? {
        if clock.status.state != ClockState::Running {
            continue;
        }
        for (kind, due) in [("warning", clock.status.warn_at), ("breach", clock.status.due_at)] {
            let Some(due) = due else { continue };
            if fired.iter().any(|(m, k)| m == clock.metric.code() && k == kind) {
                continue;
            }
            sla_timer::ActiveModel {
                ticket_id: Set(t.id),
                metric: Set(clock.metric.code().into()),
                kind: Set(kind.into()),
                policy_id: Set(policy.id),
                due_at: Set(due),
                fired_at: Set(None),
                ..Default::default()
            }
            .insert(txn)
            .await?;
        }
    }
    Ok(())
}

/// The ticket's clocks for display (`GET /api/v1/tickets/{id}/sla`, console countdown).
pub async fn ticket_clocks(ctx: &AppContext, t: &ticket::Model) -> Result<Vec<SlaClockView>, AppError> {
    let book = SlaBook::load(&ctx.db).await?;
    Ok(clocks(&ctx.db, &book, t, Utc::now()).await?.into_iter().map(|(_, c)| c).collect())
}

/// Fires every timer due at `now`: notifies (assignee and group manager), and on breach applies
/// the policy's actions (escalate to the next tier, raise the priority). Each timer is marked
/// fired in the same transaction as its effects, so a restart neither loses nor repeats one; on
/// PostgreSQL `FOR UPDATE SKIP LOCKED` lets several nodes share the work.
pub async fn fire_due_timers(ctx: &AppContext, now: DateTime<Utc>) -> Result<usize, AppError> {
    let mut fired = 0;
    loop {
        let _w = ctx.write_guard().await;
        let txn = ctx.db.begin().await?;
        let backend = txn.get_database_backend();
        let sql = match backend {
            DbBackend::Postgres => "SELECT id FROM sla_timer WHERE fired_at IS NULL AND due_at <= $1 ORDER BY due_at LIMIT 50 FOR UPDATE SKIP LOCKED",
            _ => "SELECT id FROM sla_timer WHERE fired_at IS NULL AND due_at <= $1 ORDER BY due_at LIMIT 50",
        };
        let rows = txn.query_all_raw(Statement::from_sql_and_values(backend, sql, [now.into()])).await?;
        let ids: Vec<i64> = rows.iter().filter_map(|r| r.try_get::<i64>("", "id").ok()).collect();
        if ids.is_empty() {
            return Ok(fired);
        }
        let mut last_seq = None;
        for id in ids {
            let Some(timer) = sla_timer::Entity::find_by_id(id).one(&txn).await? else { continue };
            let marked = sla_timer::Entity::update_many()
                .col_expr(sla_timer::Column::FiredAt, sea_orm::sea_query::Expr::value(now))
                .filter(sla_timer::Column::Id.eq(id))
                .filter(sla_timer::Column::FiredAt.is_null())
                .exec(&txn)
                .await?;
            if marked.rows_affected != 1 {
                continue;
            }
            last_seq = Some(act_on(&txn, &timer, now).await?).or(last_seq);
            fired += 1;
        }
        txn.commit().await?;
        if let Some(seq) = last_seq {
            ctx.notify_committed(seq);
        }
    }
}

async fn act_on(txn: &DatabaseTransaction, timer: &sla_timer::Model, now: DateTime<Utc>) -> Result<i64, AppError> {
    let t = ticket::Entity::find_by_id(timer.ticket_id).one(txn).await?.ok_or(AppError::Internal)?;
    let policy = sla_policy::Entity::find_by_id(timer.policy_id).one(txn).await?;
    let metric = if timer.metric == "first_response" { SlaMetric::FirstResponse } else { SlaMetric::Resolution };
    let breach = timer.kind == "breach";
    let manager = match t.group_id {
        Some(g) => assignment_group::Entity::find_by_id(g).one(txn).await?.and_then(|g| g.manager_id),
        None => None,
    };
    let what = if breach { "breached" } else { "is about to breach" };
    let message = format!("{}: {} SLA {what} ({})", t.number, metric.label(), t.title);
    let mut recipients: Vec<i64> = t.assignee_id.into_iter().collect();
    if breach || t.assignee_id.is_none() {
        recipients.extend(manager);
    }
    recipients.dedup();
    for user in recipients {
        notification::ActiveModel {
            user_id: Set(user),
            ticket_id: Set(Some(t.id)),
            kind: Set(if breach { "sla_breach" } else { "sla_warning" }.into()),
            message: Set(message.clone()),
            created_at: Set(now),
            read_at: Set(None),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    journal::audit(
        txn,
        AuditLine {
            entity_type: "ticket",
            entity_id: t.id,
            actor_id: None,
            action: if breach { "sla_breached" } else { "sla_warning" },
            field: Some(metric.code()),
            old_value: None,
            new_value: policy.as_ref().map(|p| p.name.clone()),
            at: now,
        },
    )
    .await?;
    if breach && TicketState::parse(&t.state).is_ok_and(TicketState::is_open) {
        if let Some(p) = &policy {
            super::tickets::apply_breach_actions(txn, &t, p.raise_priority, p.escalate, now).await?;
        }
    }
    Ok(journal::append_event(
        txn,
        if breach { "ticket.sla_breached" } else { "ticket.sla_warning" },
        "ticket",
        t.id,
        serde_json::json!({ "number": t.number, "metric": metric.code() }),
    )
    .await?)
}
