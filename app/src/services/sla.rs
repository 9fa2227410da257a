//! SLA engine: the policy a ticket falls under, its clocks computed from its own audit history
//! (so a policy, priority or calendar change recomputes targets from what actually happened), and
//! durable timers that fire each warning and breach exactly once.

use super::authz::{require_admin, require_staff};
use super::entities::{assignment_group, audit_entry, category, notification, organisation, service, sla_calendar, sla_policy, sla_timer, ticket};
use super::refs::require_exists;
use super::journal::{self, AuditLine};
use super::config::DeskConfig;
use super::AppContext;
use crate::domain::calendar::BusinessCalendar;
use crate::domain::sla::{evaluate, ClockEvent, ClockEventKind, ClockState, SlaMetric};
use crate::domain::TicketState;
use crate::dto::{ComplianceRow, SlaCalendarView, SlaClockView, SlaPolicyView};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{CaseStatement, Expr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, Statement,
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

    /// The ticket's policy, its calendar and both clocks evaluated at `now` from the ticket's
    /// state/on-hold audit lines; `None` when no policy (or its calendar) applies.
    pub fn evaluate_ticket(&self, t: &ticket::Model, audit: &[audit_entry::Model], now: DateTime<Utc>) -> Option<TicketClocks<'_>> {
        let policy = self.policy_for(t)?;
        let (calendar_name, calendar) = self.calendars.get(&policy.calendar_id)?;
        let clocks = [SlaMetric::FirstResponse, SlaMetric::Resolution].map(|metric| (metric, Self::evaluate_metric(policy, calendar, t, audit, metric, now)));
        Some(TicketClocks { policy, calendar_name, calendar, clocks })
    }

    /// One clock of `t` under `policy`, evaluated at `now`.
    fn evaluate_metric(
        policy: &sla_policy::Model,
        calendar: &BusinessCalendar,
        t: &ticket::Model,
        audit: &[audit_entry::Model],
        metric: SlaMetric,
        now: DateTime<Utc>,
    ) -> crate::domain::sla::ClockStatus {
        let pause: Vec<String> = serde_json::from_str(&policy.pause_reasons).unwrap_or_default();
        let warn = policy.warn_percent.clamp(0, 100) as u8;
        let target = match metric {
            SlaMetric::FirstResponse => policy.response_minutes,
            SlaMetric::Resolution => policy.resolution_minutes,
        };
        evaluate(&clock_events(t, audit, metric, &pause), calendar, target.max(0) as u32, warn, now)
    }

    /// The first policy whose conditions all match the ticket; a policy pinned to the ticket (a catalog item's delivery target) comes first.
    pub fn policy_for(&self, t: &ticket::Model) -> Option<&sla_policy::Model> {
        if let Some(pinned) = t.sla_policy_id.and_then(|id| self.policies.iter().find(|p| p.id == id)) {
            return Some(pinned);
        }
        self.policies.iter().find(|p| {
            p.ticket_type.as_deref().is_none_or(|ty| ty == t.ticket_type)
                && p.priority.is_none_or(|pr| pr == t.priority)
                && p.service_id.is_none_or(|s| Some(s) == t.service_id)
                && p.group_id.is_none_or(|g| Some(g) == t.group_id)
                && p.organisation_id.is_none_or(|o| Some(o) == t.organisation_id)
                && p.category_id.is_none_or(|c| Some(c) == t.category_id)
        })
    }
}

/// A ticket's evaluated clocks and where their targets came from.
pub struct TicketClocks<'a> {
    /// The matching policy.
    pub policy: &'a sla_policy::Model,
    /// Its calendar's name.
    pub calendar_name: &'a str,
    /// Its calendar.
    pub calendar: &'a BusinessCalendar,
    /// First response and resolution, evaluated.
    pub clocks: [(SlaMetric, crate::domain::sla::ClockStatus); 2],
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

/// The state and on-hold audit lines (all clocks need) of many tickets, oldest first.
async fn audits_for(db: &impl ConnectionTrait, ids: &[i64]) -> Result<HashMap<i64, Vec<audit_entry::Model>>, AppError> {
    let mut out: HashMap<i64, Vec<audit_entry::Model>> = HashMap::new();
    for chunk in ids.chunks(1000) {
        for a in audit_entry::Entity::find()
            .filter(audit_entry::Column::EntityType.eq("ticket"))
            .filter(audit_entry::Column::EntityId.is_in(chunk.to_vec()))
            .filter(audit_entry::Column::Field.is_in(["state", "on_hold_reason"]))
            .order_by_asc(audit_entry::Column::Id)
            .all(db)
            .await?
        {
            out.entry(a.entity_id).or_default().push(a);
        }
    }
    Ok(out)
}

/// The warnings and breaches a ticket's running clocks project, minus those already fired
/// (a metric's warning or breach fires once; a reopen does not repeat it). A clock whose warning
/// and breach have both fired projects nothing and is not evaluated at all — the common case for
/// old open tickets, whose evaluation over months of calendar is the expensive part.
fn planned_timers(
    book: &SlaBook,
    t: &ticket::Model,
    audit: &[audit_entry::Model],
    fired: &[(String, String)],
    now: DateTime<Utc>,
) -> Vec<PlannedTimer> {
    let Some(policy) = book.policy_for(t) else { return vec![] };
    let Some((_, calendar)) = book.calendars.get(&policy.calendar_id) else { return vec![] };
    let mut out = Vec::new();
    for metric in [SlaMetric::FirstResponse, SlaMetric::Resolution] {
        let was_fired = |kind: &str| fired.iter().any(|(m, k)| m == metric.code() && k == kind);
        if was_fired("warning") && was_fired("breach") {
            continue;
        }
        let status = SlaBook::evaluate_metric(policy, calendar, t, audit, metric, now);
        if status.state != ClockState::Running {
            continue;
        }
        for (kind, due) in [("warning", status.warn_at), ("breach", status.due_at)] {
            let Some(due) = due else { continue };
            if was_fired(kind) {
                continue;
            }
            out.push(PlannedTimer { ticket_id: t.id, metric: metric.code(), kind, policy_id: policy.id, due_at: due });
        }
    }
    out
}

/// A warning or breach a running clock projects.
struct PlannedTimer {
    ticket_id: i64,
    metric: &'static str,
    kind: &'static str,
    policy_id: i64,
    due_at: DateTime<Utc>,
}

impl PlannedTimer {
    fn row(&self) -> sla_timer::ActiveModel {
        sla_timer::ActiveModel {
            ticket_id: Set(self.ticket_id),
            metric: Set(self.metric.into()),
            kind: Set(self.kind.into()),
            policy_id: Set(self.policy_id),
            due_at: Set(self.due_at),
            fired_at: Set(None),
            ..Default::default()
        }
    }
}

/// Replaces the ticket's pending timers with the warnings and breaches its clocks now project.
/// Called in the same transaction as every ticket change.
pub async fn sync_timers(txn: &DatabaseTransaction, book: &SlaBook, t: &ticket::Model, now: DateTime<Utc>) -> Result<(), AppError> {
    sync_batch(txn, book, std::slice::from_ref(t), now).await
}

/// The timers of a ticket being created: it has no history and no timers yet, so they are what
/// its policy projects from its creation.
pub fn start_rows(book: &SlaBook, t: &ticket::Model, now: DateTime<Utc>) -> Vec<sla_timer::ActiveModel> {
    planned_timers(book, t, &[], &[], now).iter().map(PlannedTimer::row).collect()
}

/// The `sla_due_at` of a ticket being created: the earliest breach its clocks project.
pub fn first_due(book: &SlaBook, t: &ticket::Model, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    earliest_breach(&planned_timers(book, t, &[], &[], now))
}

fn earliest_breach(plans: &[PlannedTimer]) -> Option<DateTime<Utc>> {
    plans.iter().filter(|p| p.kind == "breach").map(|p| p.due_at).min()
}

/// Sets `sla_due_at` from the timers of tickets with an id above `after_id`, after a bulk load
/// that wrote timers directly (one statement; the migration fills existing rows the same way).
pub async fn refresh_due_column(db: &impl ConnectionTrait, after_id: i64) -> Result<(), AppError> {
    let sql = "UPDATE ticket SET sla_due_at = (SELECT MIN(st.due_at) FROM sla_timer st WHERE st.ticket_id = ticket.id AND st.kind = 'breach') WHERE id > $1";
    db.execute_raw(Statement::from_sql_and_values(db.get_database_backend(), sql, [after_id.into()])).await?;
    Ok(())
}

/// `sync_timers` for many tickets at once. Reads the batch's timers, state history and audit in
/// two queries, then writes only the difference: timers whose due instant or policy moved are
/// updated in place, timers no longer projected are deleted, new ones inserted. Unchanged timers
/// (most of them after an edit of a calendar the ticket does not use) cost no write.
async fn sync_batch(txn: &DatabaseTransaction, book: &SlaBook, tickets: &[ticket::Model], now: DateTime<Utc>) -> Result<(), AppError> {
    if tickets.is_empty() {
        return Ok(());
    }
    let ids: Vec<i64> = tickets.iter().map(|t| t.id).collect();
    let mut fired: HashMap<i64, Vec<(String, String)>> = HashMap::new();
    let mut pending: HashMap<i64, Vec<sla_timer::Model>> = HashMap::new();
    let mut fired_due: HashMap<i64, DateTime<Utc>> = HashMap::new();
    for chunk in ids.chunks(1000) {
        for timer in sla_timer::Entity::find().filter(sla_timer::Column::TicketId.is_in(chunk.to_vec())).all(txn).await? {
            if timer.fired_at.is_some() {
                if timer.kind == "breach" {
                    let due = fired_due.entry(timer.ticket_id).or_insert(timer.due_at);
                    *due = Ord::min(*due, timer.due_at);
                }
                fired.entry(timer.ticket_id).or_default().push((timer.metric, timer.kind));
            } else {
                pending.entry(timer.ticket_id).or_default().push(timer);
            }
        }
    }
    let audit = audits_for(txn, &ids).await?;
    let mut inserts = Vec::new();
    let mut moves: Vec<(i64, DateTime<Utc>, i64)> = Vec::new();
    let mut deletes = Vec::new();
    let mut due_moves: Vec<(i64, Option<DateTime<Utc>>)> = Vec::new();
    for t in tickets {
        let a = audit.get(&t.id).map(Vec::as_slice).unwrap_or(&[]);
        let f = fired.get(&t.id).map(Vec::as_slice).unwrap_or(&[]);
        let mut existing = pending.remove(&t.id).unwrap_or_default();
        let plans = planned_timers(book, t, a, f, now);
        let due = earliest_breach(&plans).into_iter().chain(fired_due.get(&t.id).copied()).min();
        if due != t.sla_due_at {
            due_moves.push((t.id, due));
        }
        for plan in plans {
            match existing.iter().position(|e| e.metric == plan.metric && e.kind == plan.kind) {
                Some(i) => {
                    let current = existing.swap_remove(i);
                    if current.due_at != plan.due_at || current.policy_id != plan.policy_id {
                        moves.push((current.id, plan.due_at, plan.policy_id));
                    }
                }
                None => inserts.push(plan.row()),
            }
        }
        deletes.extend(existing.into_iter().map(|e| e.id));
    }
    for chunk in deletes.chunks(1000) {
        sla_timer::Entity::delete_many().filter(sla_timer::Column::Id.is_in(chunk.to_vec())).exec(txn).await?;
    }
    move_timers(txn, &moves).await?;
    for chunk in inserts.chunks(1000) {
        sla_timer::Entity::insert_many(chunk.to_vec()).exec(txn).await?;
    }
    move_due_instants(txn, &due_moves).await?;
    Ok(())
}

/// Sets the due instant and policy of timers by id. PostgreSQL takes them all in one
/// `UPDATE … FROM json_to_recordset` (planning a CASE of hundreds of branches costs it more than
/// running it); SQLite takes CASE statements of 500.
async fn move_timers(txn: &DatabaseTransaction, moves: &[(i64, DateTime<Utc>, i64)]) -> Result<(), AppError> {
    if moves.is_empty() {
        return Ok(());
    }
    if txn.get_database_backend() == DbBackend::Postgres {
        let rows: Vec<_> = moves.iter().map(|(id, at, p)| serde_json::json!({ "id": id, "due_at": at.to_rfc3339(), "policy_id": p })).collect();
        let sql = "UPDATE sla_timer AS t SET due_at = u.due_at, policy_id = u.policy_id \
                   FROM json_to_recordset($1::json) AS u(id bigint, due_at timestamptz, policy_id bigint) WHERE t.id = u.id";
        txn.execute_raw(Statement::from_sql_and_values(DbBackend::Postgres, sql, [serde_json::Value::Array(rows).to_string().into()])).await?;
        return Ok(());
    }
    for chunk in moves.chunks(500) {
        let (mut due, mut policy) = (CaseStatement::new(), CaseStatement::new());
        for (id, at, p) in chunk {
            due = due.case(sla_timer::Column::Id.eq(*id), Expr::val(*at));
            policy = policy.case(sla_timer::Column::Id.eq(*id), Expr::val(*p));
        }
        sla_timer::Entity::update_many()
            .col_expr(sla_timer::Column::DueAt, due.finally(Expr::col(sla_timer::Column::DueAt)).into())
            .col_expr(sla_timer::Column::PolicyId, policy.finally(Expr::col(sla_timer::Column::PolicyId)).into())
            .filter(sla_timer::Column::Id.is_in(chunk.iter().map(|m| m.0)))
            .exec(txn)
            .await?;
    }
    Ok(())
}

/// Sets `ticket.sla_due_at` by ticket id, the same way as [`move_timers`].
async fn move_due_instants(txn: &DatabaseTransaction, moves: &[(i64, Option<DateTime<Utc>>)]) -> Result<(), AppError> {
    if moves.is_empty() {
        return Ok(());
    }
    if txn.get_database_backend() == DbBackend::Postgres {
        let rows: Vec<_> = moves.iter().map(|(id, at)| serde_json::json!({ "id": id, "due_at": at.map(|at| at.to_rfc3339()) })).collect();
        let sql = "UPDATE ticket AS t SET sla_due_at = u.due_at \
                   FROM json_to_recordset($1::json) AS u(id bigint, due_at timestamptz) WHERE t.id = u.id";
        txn.execute_raw(Statement::from_sql_and_values(DbBackend::Postgres, sql, [serde_json::Value::Array(rows).to_string().into()])).await?;
        return Ok(());
    }
    for chunk in moves.chunks(500) {
        let mut due = CaseStatement::new();
        for (id, at) in chunk {
            due = due.case(ticket::Column::Id.eq(*id), Expr::val(*at));
        }
        ticket::Entity::update_many()
            .col_expr(ticket::Column::SlaDueAt, due.finally(Expr::col(ticket::Column::SlaDueAt)).into())
            .filter(ticket::Column::Id.is_in(chunk.iter().map(|m| m.0)))
            .exec(txn)
            .await?;
    }
    Ok(())
}

/// The ticket's clocks for display (`GET /api/v1/tickets/{id}/sla`, console countdown).
pub async fn ticket_clocks(ctx: &AppContext, t: &ticket::Model) -> Result<Vec<SlaClockView>, AppError> {
    let config = ctx.desk_config().await?;
    let audit = audits_for(&ctx.db, &[t.id]).await?;
    Ok(clock_views(&config.sla, t, audit.get(&t.id).map(Vec::as_slice).unwrap_or(&[]), Utc::now()))
}

/// The clocks of `t` evaluated at `now` from its state/on-hold audit lines, for display.
pub fn clock_views(book: &SlaBook, t: &ticket::Model, audit: &[audit_entry::Model], now: DateTime<Utc>) -> Vec<SlaClockView> {
    let Some(evaluated) = book.evaluate_ticket(t, audit, now) else {
        return vec![];
    };
    evaluated
        .clocks
        .into_iter()
        .map(|(metric, status)| SlaClockView {
            metric,
            policy_name: evaluated.policy.name.clone(),
            calendar_name: evaluated.calendar_name.to_string(),
            calendar: evaluated.calendar.clone(),
            status,
        })
        .collect()
}

/// Fires every timer due at `now`: notifies (assignee and group manager), and on breach applies
/// the policy's actions (escalate to the next tier, raise the priority). Each timer is marked
/// fired in the same transaction as its effects, so a restart neither loses nor repeats one; on
/// PostgreSQL `FOR UPDATE SKIP LOCKED` lets several nodes share the work.
pub async fn fire_due_timers(ctx: &AppContext, now: DateTime<Utc>) -> Result<usize, AppError> {
    let mut fired = 0;
    let config = ctx.desk_config().await?;
    loop {
        let (_w, txn) = ctx.begin_write().await?;
        let ids = crate::services::timers::due_ids(&txn, "sla_timer", now).await?;
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
            last_seq = Some(act_on(&txn, &config, &timer, now).await?).or(last_seq);
            fired += 1;
        }
        txn.commit().await?;
        if let Some(seq) = last_seq {
            ctx.notify_committed(seq);
        }
    }
}

async fn act_on(txn: &DatabaseTransaction, config: &DeskConfig, timer: &sla_timer::Model, now: DateTime<Utc>) -> Result<i64, AppError> {
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
            super::tickets::apply_breach_actions(txn, config, &t, p.raise_priority, p.escalate, now).await?;
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


/// Business calendars (agents and admins).
pub async fn list_calendars(ctx: &AppContext, actor: &crate::domain::Actor) -> Result<Vec<SlaCalendarView>, AppError> {
    require_staff(actor)?;
    let book = SlaBook::load(&ctx.db).await?;
    let mut out: Vec<SlaCalendarView> =
        book.calendars.into_iter().map(|(id, (name, calendar))| SlaCalendarView { id, name, calendar }).collect();
    out.sort_by_key(|c| c.id);
    Ok(out)
}

/// Raw calendar form input: one comma-separated list of `HH:MM-HH:MM` per weekday (Monday
/// first), holidays separated by commas, spaces or new lines (`YYYY-MM-DD` or yearly `MM-DD`).
#[derive(Debug, Clone, Default)]
pub struct CalendarInput {
    /// Name.
    pub name: String,
    /// IANA time zone.
    pub time_zone: String,
    /// Working hours per weekday, Monday first.
    pub week: [String; 7],
    /// Holidays.
    pub holidays: String,
}

/// Field names of the weekday inputs, Monday first.
pub const DAY_FIELDS: [&str; 7] = ["hours_mon", "hours_tue", "hours_wed", "hours_thu", "hours_fri", "hours_sat", "hours_sun"];

/// Creates or updates a calendar (admins), then recomputes the timers of open tickets.
pub async fn save_calendar(ctx: &AppContext, actor: &crate::domain::Actor, id: Option<i64>, input: CalendarInput) -> Result<SlaCalendarView, AppError> {
    use crate::domain::calendar::{Holiday, WorkInterval};
    use crate::domain::FieldError;
    require_admin(actor)?;
    let mut errors = Vec::new();
    let name = crate::domain::field::bounded_text("name", "Calendar name", &input.name, 2, 100).map_err(|e| errors.push(e)).ok();
    let mut week: [Vec<WorkInterval>; 7] = Default::default();
    for (day, raw) in input.week.iter().enumerate() {
        for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            match WorkInterval::parse(part) {
                Ok(i) => week[day].push(i),
                Err(e) => errors.push(FieldError::new(DAY_FIELDS[day], e.message)),
            }
        }
    }
    let mut holidays = Vec::new();
    for part in input.holidays.split([',', ' ', '\n', '\r']).map(str::trim).filter(|p| !p.is_empty()) {
        match Holiday::parse(part) {
            Ok(h) => holidays.push(h),
            Err(e) => errors.push(e),
        }
    }
    let calendar = if errors.is_empty() {
        BusinessCalendar::new(&input.time_zone, week, holidays).map_err(|e| errors.extend(e)).ok()
    } else {
        None
    };
    let (Some(name), Some(calendar), true) = (name, calendar, errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let definition = serde_json::to_string(&calendar).map_err(|_| AppError::Internal)?;
    let (_w, txn) = ctx.begin_write().await?;
    if let Some(other) = sla_calendar::Entity::find().filter(sla_calendar::Column::Name.eq(name.as_str())).one(&txn).await? {
        if Some(other.id) != id {
            return Err(AppError::field("name", format!("A calendar named '{name}' already exists")));
        }
    }
    let row = match id {
        Some(id) => {
            let mut row: sla_calendar::ActiveModel = sla_calendar::Entity::find_by_id(id).one(&txn).await?.ok_or_else(|| AppError::NotFound("Calendar".into()))?.into();
            row.name = Set(name.clone());
            row.definition = Set(definition);
            row.update(&txn).await?
        }
        None => sla_calendar::ActiveModel { name: Set(name.clone()), definition: Set(definition), ..Default::default() }.insert(&txn).await?,
    };
    let seq = admin_journal(&txn, actor, "sla_calendar", row.id, &name).await?;
    txn.commit().await?;
    ctx.config.invalidate();
    drop(_w);
    ctx.notify_committed(seq);
    recompute_open(ctx, RecomputeScope::Calendar(row.id), Utc::now()).await?;
    Ok(SlaCalendarView { id: row.id, name, calendar })
}

async fn admin_journal(txn: &DatabaseTransaction, actor: &crate::domain::Actor, entity: &str, id: i64, name: &str) -> Result<i64, AppError> {
    journal::audit(
        txn,
        AuditLine {
            entity_type: entity,
            entity_id: id,
            actor_id: Some(actor.user_id),
            action: "saved",
            field: Some("name"),
            old_value: None,
            new_value: Some(name.to_string()),
            at: Utc::now(),
        },
    )
    .await?;
    Ok(journal::append_event(txn, &format!("{entity}.saved"), entity, id, serde_json::json!({ "name": name })).await?)
}

/// Policies in evaluation order (agents and admins).
pub async fn list_policies(ctx: &AppContext, actor: &crate::domain::Actor) -> Result<Vec<SlaPolicyView>, AppError> {
    require_staff(actor)?;
    let book = SlaBook::load(&ctx.db).await?;
    Ok(book.policies.iter().map(|p| policy_view(p, &book)).collect())
}

fn policy_view(p: &sla_policy::Model, book: &SlaBook) -> SlaPolicyView {
    SlaPolicyView {
        id: p.id,
        name: p.name.clone(),
        position: p.position,
        ticket_type: p.ticket_type.clone(),
        priority: p.priority.map(|x| x as u8),
        service_id: p.service_id,
        group_id: p.group_id,
        organisation_id: p.organisation_id,
        category_id: p.category_id,
        response_minutes: p.response_minutes,
        resolution_minutes: p.resolution_minutes,
        calendar_id: p.calendar_id,
        calendar_name: book.calendars.get(&p.calendar_id).map(|c| c.0.clone()).unwrap_or_default(),
        warn_percent: p.warn_percent as u8,
        pause_reasons: serde_json::from_str(&p.pause_reasons).unwrap_or_default(),
        raise_priority: p.raise_priority,
        escalate: p.escalate,
    }
}

/// Raw policy form input.
#[derive(Debug, Clone, Default)]
pub struct PolicyInput {
    /// Name.
    pub name: String,
    /// Evaluation order (lower first).
    pub position: String,
    /// Ticket type code, or empty for any.
    pub ticket_type: String,
    /// Priority 1–5, or empty for any.
    pub priority: String,
    /// Group id, or empty for any.
    pub group_id: Option<i64>,
    /// Service id, or empty for any.
    pub service_id: Option<i64>,
    /// Requester organisation id, or empty for any.
    pub organisation_id: Option<i64>,
    /// Category id, or empty for any.
    pub category_id: Option<i64>,
    /// First response target in business minutes.
    pub response_minutes: String,
    /// Resolution target in business minutes.
    pub resolution_minutes: String,
    /// Calendar id.
    pub calendar_id: Option<i64>,
    /// Warning threshold in percent of the target.
    pub warn_percent: String,
    /// On-hold reasons that pause the resolution clock.
    pub pause_reasons: Vec<String>,
    /// Raise the priority on breach.
    pub raise_priority: bool,
    /// Escalate to the next tier on breach.
    pub escalate: bool,
}

/// Creates or updates a policy (admins), then recomputes the timers of open tickets.
pub async fn save_policy(ctx: &AppContext, actor: &crate::domain::Actor, id: Option<i64>, input: PolicyInput) -> Result<SlaPolicyView, AppError> {
    use crate::domain::field::Validator;
    use crate::domain::{FieldError, OnHoldReason, Priority, TicketType};
    require_admin(actor)?;
    let mut v = Validator::new();
    let minutes = |field: &str, label: &str, raw: &str| -> Result<i32, FieldError> {
        raw.trim()
            .parse::<i32>()
            .ok()
            .filter(|m| (1..=525_600).contains(m))
            .ok_or_else(|| FieldError::new(field, format!("{label} must be a whole number of minutes from 1 to 525600")))
    };
    let name = v.check(crate::domain::field::bounded_text("name", "Policy name", &input.name, 2, 100));
    let position = v.check(input.position.trim().parse::<i32>().map_err(|_| FieldError::new("position", "Order must be a whole number")));
    let ticket_type = match input.ticket_type.trim() {
        "" => Some(None),
        t => v.check(TicketType::parse(t).map(|t| Some(t.code().to_string()))),
    };
    let priority = match input.priority.trim() {
        "" => Some(None),
        p => v.check(Priority::parse(p).map(|p| Some(p.number() as i16))),
    };
    let response = v.check(minutes("response_minutes", "First response target", &input.response_minutes));
    let resolution = v.check(minutes("resolution_minutes", "Resolution target", &input.resolution_minutes));
    let warn = v.check(
        input.warn_percent.trim().parse::<i16>().ok().filter(|w| (1..=99).contains(w)).ok_or_else(|| FieldError::new("warn_percent", "Warning must be a percentage from 1 to 99")),
    );
    let mut reasons = Vec::new();
    for r in &input.pause_reasons {
        if let Some(r) = v.check(OnHoldReason::parse(r).map_err(|e| FieldError::new("pause_reasons", e.message))) {
            reasons.push(r.code().to_string());
        }
    }
    let calendar_id = v.check(input.calendar_id.ok_or_else(|| FieldError::new("calendar_id", "Choose a calendar")));
    v.finish()?;
    let (Some(name), Some(position), Some(ticket_type), Some(priority), Some(response), Some(resolution), Some(warn), Some(calendar_id)) =
        (name, position, ticket_type, priority, response, resolution, warn, calendar_id)
    else {
        return Err(AppError::Internal);
    };
    let (_w, txn) = ctx.begin_write().await?;
    require_exists::<sla_calendar::Entity>(&txn, "calendar_id", "calendar", Some(calendar_id)).await?;
    require_exists::<service::Entity>(&txn, "service_id", "service", input.service_id).await?;
    require_exists::<assignment_group::Entity>(&txn, "group_id", "assignment group", input.group_id).await?;
    require_exists::<organisation::Entity>(&txn, "organisation_id", "organisation", input.organisation_id).await?;
    require_exists::<category::Entity>(&txn, "category_id", "category", input.category_id).await?;
    if let Some(other) = sla_policy::Entity::find().filter(sla_policy::Column::Name.eq(name.as_str())).one(&txn).await? {
        if Some(other.id) != id {
            return Err(AppError::field("name", format!("A policy named '{name}' already exists")));
        }
    }
    let mut row: sla_policy::ActiveModel = match id {
        Some(id) => sla_policy::Entity::find_by_id(id).one(&txn).await?.ok_or_else(|| AppError::NotFound("Policy".into()))?.into(),
        None => Default::default(),
    };
    row.name = Set(name.clone());
    row.position = Set(position);
    row.ticket_type = Set(ticket_type);
    row.priority = Set(priority);
    row.service_id = Set(input.service_id);
    row.group_id = Set(input.group_id);
    row.organisation_id = Set(input.organisation_id);
    row.category_id = Set(input.category_id);
    row.response_minutes = Set(response);
    row.resolution_minutes = Set(resolution);
    row.calendar_id = Set(calendar_id);
    row.warn_percent = Set(warn);
    row.pause_reasons = Set(serde_json::to_string(&reasons).map_err(|_| AppError::Internal)?);
    row.raise_priority = Set(input.raise_priority);
    row.escalate = Set(input.escalate);
    let saved = if id.is_some() { row.update(&txn).await? } else { row.insert(&txn).await? };
    let seq = admin_journal(&txn, actor, "sla_policy", saved.id, &name).await?;
    txn.commit().await?;
    ctx.config.invalidate();
    drop(_w);
    ctx.notify_committed(seq);
    recompute_open(ctx, RecomputeScope::AllOpen, Utc::now()).await?;
    let book = SlaBook::load(&ctx.db).await?;
    Ok(policy_view(&saved, &book))
}

/// Which open tickets a recompute covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecomputeScope {
    /// Every open ticket (after a policy edit: matching may have changed).
    AllOpen,
    /// Tickets with pending timers from a policy counted on this calendar (after a calendar edit:
    /// no other ticket's targets can move).
    Calendar(i64),
}

/// Recomputes the pending timers of open tickets after a calendar or policy edit, in batches of
/// 2,000 tickets per transaction, writing only timers that moved. Returns how many tickets were
/// recomputed.
pub async fn recompute_open(ctx: &AppContext, scope: RecomputeScope, now: DateTime<Utc>) -> Result<usize, AppError> {
    let open: Vec<&str> = TicketState::ALL.into_iter().filter(|s| s.is_open()).map(|s| s.code()).collect();
    let book = SlaBook::load(&ctx.db).await?;
    let open_tickets = ticket::Entity::find().filter(ticket::Column::State.is_in(open));
    let mut done = 0;
    match scope {
        RecomputeScope::AllOpen => {
            let mut after = 0i64;
            loop {
                let (_w, txn) = ctx.begin_write().await?;
                let batch = open_tickets.clone().filter(ticket::Column::Id.gt(after)).order_by_asc(ticket::Column::Id).limit(2000).all(&txn).await?;
                let Some(last) = batch.last().map(|t| t.id) else { return Ok(done) };
                sync_batch(&txn, &book, &batch, now).await?;
                txn.commit().await?;
                done += batch.len();
                after = last;
            }
        }
        RecomputeScope::Calendar(calendar) => {
            let policies: Vec<i64> = book.policies.iter().filter(|p| p.calendar_id == calendar).map(|p| p.id).collect();
            if policies.is_empty() {
                return Ok(0);
            }
            // The tickets come from the pending-timer index (few rows), not from a scan of tickets.
            let mut ids: Vec<i64> = sla_timer::Entity::find()
                .select_only()
                .column(sla_timer::Column::TicketId)
                .filter(sla_timer::Column::FiredAt.is_null())
                .filter(sla_timer::Column::PolicyId.is_in(policies))
                .into_tuple::<i64>()
                .all(&ctx.db)
                .await?;
            ids.sort_unstable();
            ids.dedup();
            for chunk in ids.chunks(2000) {
                let (_w, txn) = ctx.begin_write().await?;
                let batch = open_tickets.clone().filter(ticket::Column::Id.is_in(chunk.to_vec())).all(&txn).await?;
                sync_batch(&txn, &book, &batch, now).await?;
                txn.commit().await?;
                done += batch.len();
            }
            Ok(done)
        }
    }
}

/// SLA compliance for tickets created in `[from, to)`, grouped by policy, priority or group:
/// clocks met, breached and still running, per metric.
pub async fn compliance(ctx: &AppContext, actor: &crate::domain::Actor, from: DateTime<Utc>, to: DateTime<Utc>, by: &str) -> Result<Vec<ComplianceRow>, AppError> {
    require_staff(actor)?;
    if !matches!(by, "policy" | "priority" | "group") {
        return Err(AppError::field("by", "Group by policy, priority or group"));
    }
    if to <= from {
        return Err(AppError::field("to", "The end of the range must be after its start"));
    }
    let book = SlaBook::load(&ctx.db).await?;
    let tickets = ticket::Entity::find()
        .filter(ticket::Column::CreatedAt.gte(from))
        .filter(ticket::Column::CreatedAt.lt(to))
        .all(&ctx.db)
        .await?;
    let ids: Vec<i64> = tickets.iter().map(|t| t.id).collect();
    let audit_by_ticket = audits_for(&ctx.db, &ids).await?;
    let groups: HashMap<i64, String> = assignment_group::Entity::find().all(&ctx.db).await?.into_iter().map(|g| (g.id, g.name)).collect();
    let now = Utc::now();
    let mut rows: HashMap<(String, SlaMetric), ComplianceRow> = HashMap::new();
    for t in &tickets {
        let audit = audit_by_ticket.get(&t.id).map(Vec::as_slice).unwrap_or(&[]);
        let Some(evaluated) = book.evaluate_ticket(t, audit, now) else { continue };
        let key = match by {
            "policy" => evaluated.policy.name.clone(),
            "priority" => format!("P{}", t.priority),
            _ => t.group_id.and_then(|g| groups.get(&g).cloned()).unwrap_or_else(|| "No group".into()),
        };
        for (metric, status) in evaluated.clocks {
            let row = rows.entry((key.clone(), metric)).or_insert_with(|| ComplianceRow { key: key.clone(), metric, ..Default::default() });
            row.total += 1;
            if status.breached {
                row.breached += 1;
            } else if status.state == ClockState::Stopped {
                row.met += 1;
            } else {
                row.running += 1;
            }
        }
    }
    let mut out: Vec<ComplianceRow> = rows
        .into_values()
        .map(|mut r| {
            let decided = r.met + r.breached;
            r.compliance_percent = (decided > 0).then(|| (r.met as f64 * 1000.0 / decided as f64).round() / 10.0);
            r
        })
        .collect();
    out.sort_by(|a, b| a.key.cmp(&b.key).then(a.metric.code().cmp(b.metric.code())));
    Ok(out)
}
