//! Raising tickets with group commit: requests validate and resolve names on their own, then
//! queue the new row; whoever holds the writer next writes every queued ticket in one
//! transaction (numbers, rows, audit lines, SLA timers and outbox events as one multi-row
//! statement each). Under load a transaction carries many tickets; alone, a ticket still commits
//! at once. A request whose ticket was taken by another writer's batch answers as soon as that
//! batch commits, without queueing for the writer itself. A batch that fails is retried ticket by
//! ticket, so one bad row fails only itself.

use super::{summary_of, NewTicket};
use crate::domain::field::Validator;
use crate::domain::{Actor, Description, Impact, Priority, TicketNumber, TicketState, TicketType, Title, Urgency};
use crate::dto::TicketDetail;
use crate::error::AppError;
use crate::services::config::DeskConfig;
use crate::services::entities::{app_user, audit_entry, category, outbox_event, service, sla_timer, ticket, ticket_number_seq};
use crate::services::journal::{self, AuditLine};
use crate::services::{sla, AppContext, WriteTurn};
use chrono::{SubsecRound, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, IntoActiveModel, NotSet, QueryFilter, Set, TransactionTrait};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::oneshot;

/// A validated ticket waiting for the writer.
struct Queued {
    row: ticket::ActiveModel,
    ticket_type: TicketType,
    actor_id: i64,
    actor_name: String,
    done: oneshot::Sender<Result<(ticket::Model, i64), AppError>>,
}

/// Tickets raised but not yet written (shared by every request of the process), and the turn to
/// write them: one batch at a time per process, on PostgreSQL too, so that while one batch waits
/// for its commit the next one gathers.
#[derive(Default)]
pub struct CreateQueue {
    queued: Mutex<Vec<Queued>>,
    turn: Arc<tokio::sync::Mutex<()>>,
}

/// Raises a ticket. Requesters raise for themselves; staff may name another requester.
pub async fn create_ticket(ctx: &AppContext, actor: &Actor, input: NewTicket) -> Result<TicketDetail, AppError> {
    let mut v = Validator::new();
    let title = v.check(Title::parse(&input.title));
    let description = v.check(Description::parse(&input.description));
    let impact = v.check(Impact::parse(&input.impact));
    let urgency = v.check(Urgency::parse(&input.urgency));
    v.finish()?;
    let (Some(title), Some(description), Some(impact), Some(urgency)) = (title, description, impact, urgency) else {
        return Err(AppError::Internal);
    };
    let requester_id = match input.requester_id {
        Some(id) if actor.is_staff() => id,
        _ => actor.user_id,
    };
    let (requester_name, organisation_id) = if requester_id == actor.user_id {
        (actor.display_name.clone(), actor.organisation_id)
    } else {
        match app_user::Entity::find_by_id(requester_id).one(&ctx.db).await? {
            Some(u) => (u.display_name, u.organisation_id),
            None => return Err(AppError::field("requester_id", "Unknown requester")),
        }
    };
    let ci = match input.ci.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        Some(name) => Some(crate::services::cmdb::ticket_ci(&ctx.db, "ci", name).await?),
        None => None,
    };
    let service_id = input.service_id.or(ci.as_ref().and_then(|c| c.service_id));
    let service_name = match service_id {
        Some(id) => Some(service::Entity::find_by_id(id).one(&ctx.db).await?.ok_or_else(|| AppError::field("service_id", "Unknown service"))?.name),
        None => None,
    };
    let category_name = match input.category_id {
        Some(id) => Some(category::Entity::find_by_id(id).one(&ctx.db).await?.ok_or_else(|| AppError::field("category_id", "Unknown category"))?.name),
        None => None,
    };
    let config = ctx.desk_config().await?;
    let priority: Priority = config.desk.matrix.priority(impact, urgency);
    // Stored timestamps keep microseconds (PostgreSQL); the answer must show what was stored.
    let now = Utc::now().trunc_subsecs(6);
    let mut ticket = ticket::Model {
        title: title.as_str().to_string(),
        description: description.as_str().to_string(),
        impact: impact.code().to_string(),
        urgency: urgency.code().to_string(),
        priority: priority.number() as i16,
        group_id: ci.as_ref().and_then(|c| c.support_group_id),
        service_id,
        category_id: input.category_id,
        organisation_id,
        ci_id: ci.as_ref().map(|c| c.id),
        ..blank(input.ticket_type, requester_id, now)
    };
    // Kept on the row for the SLA queue: the earliest breach its clocks project from creation.
    ticket.sla_due_at = sla::first_due(&config.sla, &ticket, now);
    let mut row = ticket.into_active_model().reset_all();
    row.id = NotSet;
    let (done, mut written) = oneshot::channel();
    let queued = Queued { row, ticket_type: input.ticket_type, actor_id: actor.user_id, actor_name: actor.display_name.clone(), done };
    let group = match ci.as_ref().and_then(|c| c.support_group_id) {
        Some(id) => crate::services::entities::assignment_group::Entity::find_by_id(id).one(&ctx.db).await?.map(|g| (id, g.name)),
        None => None,
    };
    let ci = ci.as_ref().and_then(crate::services::cmdb::to_ref);
    let labels = Labels { requester: requester_name, service: service_name, category: category_name, ci, group };
    ctx.creates.queued.lock().map_err(|_| AppError::Internal)?.push(queued);
    // A writer may take this ticket with its own batch while we wait: then stop queueing.
    let turn = tokio::select! {
        biased;
        done = &mut written => return answer(ctx, actor, &config, done, labels).await,
        turn = ctx.creates.turn.clone().lock_owned() => turn,
    };
    let guard = ctx.write_turn().await;
    let batch = std::mem::take(&mut *ctx.creates.queued.lock().map_err(|_| AppError::Internal)?);
    if !batch.is_empty() {
        // Written by a task of its own, so a caller going away cannot abandon the others' tickets.
        let (writer, config) = (ctx.clone(), config.clone());
        let _ = tokio::spawn(async move {
            write_queued(&writer, &guard, &config, batch).await;
            drop((guard, turn));
        })
        .await;
    } else {
        drop((guard, turn));
    }
    answer(ctx, actor, &config, written.await, labels).await
}

/// A new ticket of `ticket_type` raised for `requester_id` at `now`, state new, with nothing else
/// set yet (medium impact and urgency at priority 3 until the caller says otherwise).
pub(crate) fn blank(ticket_type: TicketType, requester_id: i64, now: chrono::DateTime<Utc>) -> ticket::Model {
    ticket::Model {
        id: 0,
        number: String::new(),
        ticket_type: ticket_type.code().to_string(),
        title: String::new(),
        description: String::new(),
        state: TicketState::New.code().to_string(),
        impact: Impact::Medium.code().to_string(),
        urgency: Urgency::Medium.code().to_string(),
        priority: 3,
        requester_id,
        assignee_id: None,
        group_id: None,
        service_id: None,
        category_id: None,
        resolution_code: None,
        resolution_note: None,
        created_at: now,
        updated_at: now,
        first_response_at: None,
        resolved_at: None,
        closed_at: None,
        reopen_count: 0,
        reassignment_count: 0,
        version: 1,
        on_hold_reason: None,
        priority_overridden: false,
        priority_reason: None,
        sla_due_at: None,
        organisation_id: None,
        ci_id: None,
        sla_policy_id: None,
    }
}

/// Names shown with the new ticket, resolved before it was queued.
struct Labels {
    requester: String,
    service: Option<String>,
    category: Option<String>,
    ci: Option<crate::dto::CiRef>,
    group: Option<(i64, String)>,
}

type Written = Result<Result<(ticket::Model, i64), AppError>, oneshot::error::RecvError>;

/// The new ticket as its creator sees it, once the writer has committed it.
async fn answer(ctx: &AppContext, actor: &Actor, config: &DeskConfig, written: Written, labels: Labels) -> Result<TicketDetail, AppError> {
    let (row, seq) = written.map_err(|_| AppError::Internal)??;
    ctx.notify_committed(seq);
    let sla = if actor.is_staff() { sla::clock_views(&config.sla, &row, &[], row.created_at) } else { vec![] };
    let names = HashMap::from([(row.requester_id, labels.requester)]);
    let groups: HashMap<i64, String> = labels.group.into_iter().collect();
    let summary = summary_of(row.clone(), &names, &groups, actor.is_staff())?;
    let organisation_name = crate::services::organisations::name_of(&ctx.db, row.organisation_id).await?;
    Ok(TicketDetail { ci: labels.ci, ..super::detail_shell(row, summary, labels.service, labels.category, organisation_name, sla, actor.is_staff()) })
}

/// Writes `batch` in one transaction; if that fails, each ticket in its own, so every caller
/// gets its own outcome.
async fn write_queued(ctx: &AppContext, turn: &WriteTurn, config: &Arc<DeskConfig>, batch: Vec<Queued>) {
    let started = std::time::Instant::now();
    let tickets = batch.len();
    let rows: Vec<_> = batch.iter().map(|q| (q.row.clone(), q.ticket_type, q.actor_id, q.actor_name.clone())).collect();
    match write_batch(ctx, turn, config, &rows).await {
        Ok(written) => {
            for (q, w) in batch.into_iter().zip(written) {
                let _ = q.done.send(Ok(w));
            }
        }
        Err(e) if batch.len() > 1 => {
            tracing::warn!(error = %e, tickets = batch.len(), "batched ticket creation failed; writing one by one");
            for (q, row) in batch.into_iter().zip(rows) {
                let one = write_batch(ctx, turn, config, std::slice::from_ref(&row)).await.and_then(|mut w| w.pop().ok_or(AppError::Internal));
                let _ = q.done.send(one);
            }
        }
        Err(e) => {
            for q in batch {
                let _ = q.done.send(Err(e.clone()));
            }
        }
    }
    tracing::debug!(tickets, ms = started.elapsed().as_secs_f64() * 1000.0, "ticket batch written");
}

/// A ticket to write: the row (id not set), its type, and its creator's id and name.
pub(crate) type Row = (ticket::ActiveModel, TicketType, i64, String);

/// One transaction for all `rows`: numbers, tickets, "created" audit lines, SLA timers and
/// `ticket.created` events. Returns each ticket with its event's sequence number, in order.
async fn write_batch(ctx: &AppContext, turn: &WriteTurn, config: &DeskConfig, rows: &[Row]) -> Result<Vec<(ticket::Model, i64)>, AppError> {
    let txn = ctx.writer(turn).begin().await?;
    let written = insert_tickets(&txn, config, rows).await?;
    txn.commit().await?;
    Ok(written)
}

/// Writes new tickets inside `txn` (numbers, rows, "created" audit lines, SLA timers and
/// `ticket.created` events, one statement each): each row with its creator's id and name. Returns
/// each ticket with its event's sequence number, in order.
pub(crate) async fn insert_tickets(txn: &DatabaseTransaction, config: &DeskConfig, rows: &[Row]) -> Result<Vec<(ticket::Model, i64)>, AppError> {
    let mut numbers: HashMap<TicketType, u64> = HashMap::new();
    for (_, ticket_type, _, _) in rows {
        *numbers.entry(*ticket_type).or_default() += 1;
    }
    for (ticket_type, count) in numbers.iter_mut() {
        *count = reserve_numbers(txn, *ticket_type, *count).await?;
    }
    let mut numbered = Vec::with_capacity(rows.len());
    let mut order = Vec::with_capacity(rows.len());
    for (row, ticket_type, _, _) in rows {
        let next = numbers.get_mut(ticket_type).ok_or(AppError::Internal)?;
        let number = TicketNumber::new(*ticket_type, *next).to_string();
        *next += 1;
        let mut row = row.clone();
        row.number = Set(number.clone());
        numbered.push(row);
        order.push(number);
    }
    // RETURNING does not promise row order: match the rows back by their unique number.
    let mut by_number: HashMap<String, ticket::Model> =
        ticket::Entity::insert_many(numbered).exec_with_returning(txn).await?.into_iter().map(|t| (t.number.clone(), t)).collect();
    let tickets = order.iter().map(|n| by_number.remove(n).ok_or(AppError::Internal)).collect::<Result<Vec<_>, _>>()?;
    let now = tickets.first().map(|t| t.created_at).unwrap_or_else(Utc::now);
    audit_entry::Entity::insert_many(tickets.iter().zip(rows).map(|(t, (_, _, actor, _))| created_line(t, *actor))).exec_without_returning(txn).await?;
    let timers: Vec<sla_timer::ActiveModel> = tickets.iter().flat_map(|t| sla::start_rows(&config.sla, t, now)).collect();
    if !timers.is_empty() {
        sla_timer::Entity::insert_many(timers).exec_without_returning(txn).await?;
    }
    let seqs = append_created_events(txn, &tickets, rows).await?;
    Ok(tickets.into_iter().zip(seqs).collect())
}

/// Moves a type's number sequence on by `count`; returns the first reserved value.
async fn reserve_numbers(txn: &DatabaseTransaction, ticket_type: TicketType, count: u64) -> Result<u64, AppError> {
    let updated = ticket_number_seq::Entity::update_many()
        .col_expr(ticket_number_seq::Column::LastValue, Expr::col(ticket_number_seq::Column::LastValue).add(count as i64))
        .filter(ticket_number_seq::Column::TicketType.eq(ticket_type.code()))
        .exec_with_returning(txn)
        .await?;
    let [row] = updated.as_slice() else {
        tracing::error!(ticket_type = ticket_type.code(), "ticket number sequence row missing");
        return Err(AppError::Internal);
    };
    Ok(row.last_value as u64 + 1 - count)
}

fn created_line(t: &ticket::Model, actor_id: i64) -> audit_entry::ActiveModel {
    AuditLine { new_value: Some(t.number.clone()), ..super::audit_line(t, Some(actor_id), "created", t.created_at) }.row()
}

/// One `ticket.created` outbox event per ticket; their sequence numbers, in order. On PostgreSQL
/// the same advisory lock and `pg_notify` as [`journal::append_event`].
async fn append_created_events(txn: &DatabaseTransaction, tickets: &[ticket::Model], rows: &[Row]) -> Result<Vec<i64>, AppError> {
    journal::lock_outbox(txn).await?;
    let now = Utc::now();
    let events = tickets.iter().zip(rows).map(|(t, (_, _, actor_id, actor_name))| outbox_event::ActiveModel {
        kind: Set("ticket.created".into()),
        entity_type: Set("ticket".into()),
        entity_id: Set(t.id),
        payload: Set(serde_json::json!({
            "number": t.number,
            "state": t.state,
            "priority": t.priority,
            "actor_id": actor_id,
            "actor": actor_name,
        })
        .to_string()),
        created_at: Set(now),
        ..Default::default()
    });
    let written = outbox_event::Entity::insert_many(events).exec_with_returning(txn).await?;
    let seq_of: HashMap<i64, i64> = written.iter().map(|e| (e.entity_id, e.seq)).collect();
    let seqs = tickets.iter().map(|t| seq_of.get(&t.id).copied().ok_or(AppError::Internal)).collect::<Result<Vec<_>, _>>()?;
    if let Some(last) = seqs.iter().max() {
        journal::notify_outbox(txn, *last).await?;
    }
    Ok(seqs)
}
