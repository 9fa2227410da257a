//! Fulfilling what was ordered: an approved item opens its tasks (order by order), tasks are
//! worked and completed by agents, an item is fulfilled when all its tasks are done (incomplete
//! when one is canceled), and the request rolls up from its items. Also the reads: a request with
//! its items' approvals and tasks, a requester's requests, an approver's pending approvals.

use super::lifecycle::{move_ticket, note, Move};
use super::order::answers_markdown;
use super::{definition, Definition};
use crate::domain::catalog::{item_from_tasks, item_phase, request_from_items, task_phase, tasks_to_open, Answer, Answers, ItemState, TaskState, TaskStep};
use crate::domain::field::bounded_text;
use crate::domain::{Actor, TicketType};
use crate::dto::{AnswerView, ApprovalList, PendingApproval, RequestItemView, RequestList, RequestView, TaskView};
use crate::error::AppError;
use crate::services::authz::require_staff;
use crate::services::config::DeskConfig;
use crate::services::entities::{assignment_group, audit_entry, catalog_item, fulfilment_task, request_item, ticket};
use crate::services::tickets::{blank, insert_tickets, user_names};
use crate::services::{approvals, AppContext};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait, IntoActiveModel, NotSet, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use std::collections::HashMap;

/// Audits a note on a catalog ticket and tells the live consoles (used by the approvals engine).
pub(crate) async fn note_on(txn: &DatabaseTransaction, actor: Option<&Actor>, t: &ticket::Model, field: &'static str, value: String, now: DateTime<Utc>) -> Result<i64, AppError> {
    note(txn, actor, t, field, value, now).await
}

fn item_state(ri: &request_item::Model) -> Result<ItemState, AppError> {
    ItemState::parse(&ri.state).map_err(|_| AppError::Internal)
}

fn task_state(ft: &fulfilment_task::Model) -> Result<TaskState, AppError> {
    TaskState::parse(&ft.state).map_err(|_| AppError::Internal)
}

/// Moves a requested item `from → to` (checked by its lifecycle), side table and ticket together.
#[allow(clippy::too_many_arguments)]
pub(super) async fn move_item(
    txn: &DatabaseTransaction,
    config: &DeskConfig,
    actor: Option<&Actor>,
    t: &ticket::Model,
    from: ItemState,
    to: ItemState,
    note: Option<String>,
    now: DateTime<Utc>,
) -> Result<(ticket::Model, i64), AppError> {
    from.check_move(to)?;
    let done = request_item::Entity::update_many()
        .col_expr(request_item::Column::State, Expr::value(to.code()))
        .filter(request_item::Column::TicketId.eq(t.id))
        .filter(request_item::Column::State.eq(from.code()))
        .exec(txn)
        .await?;
    if done.rows_affected != 1 {
        return Err(AppError::Conflict(format!("{} moved on since you opened it — reload to see where it is", t.number)));
    }
    move_ticket(txn, config, actor, t, Move { from: from.code(), to: to.code(), phase: item_phase(to), note }, now).await
}

async fn move_task(txn: &DatabaseTransaction, config: &DeskConfig, actor: Option<&Actor>, t: &ticket::Model, from: TaskState, to: TaskState, note: Option<String>, now: DateTime<Utc>) -> Result<(ticket::Model, i64), AppError> {
    let done = fulfilment_task::Entity::update_many()
        .col_expr(fulfilment_task::Column::State, Expr::value(to.code()))
        .filter(fulfilment_task::Column::TicketId.eq(t.id))
        .filter(fulfilment_task::Column::State.eq(from.code()))
        .exec(txn)
        .await?;
    if done.rows_affected != 1 {
        return Err(AppError::Conflict(format!("{} moved on since you opened it — reload to see where it is", t.number)));
    }
    move_ticket(txn, config, actor, t, Move { from: from.code(), to: to.code(), phase: task_phase(to), note }, now).await
}

/// The item's approvals were decided: approved starts fulfilment (tasks open, or the item is
/// fulfilled at once when it has none); rejected closes it with `reason`. The request rolls up.
/// Returns the last event's sequence number.
pub(crate) async fn approvals_settled(
    txn: &DatabaseTransaction,
    config: &DeskConfig,
    actor: Option<&Actor>,
    t: ticket::Model,
    approved: bool,
    reason: String,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let ri = request_item::Entity::find_by_id(t.id).one(txn).await?.ok_or(AppError::Internal)?;
    let from = item_state(&ri)?;
    let mut last;
    if approved {
        let (t, seq) = move_item(txn, config, actor, &t, from, ItemState::Approved, None, now).await?;
        last = seq;
        let d = definition(txn, ri.item_version_id).await?;
        let answers: Answers = serde_json::from_str(&ri.answers).map_err(|_| AppError::Internal)?;
        if d.tasks.is_empty() {
            last = move_item(txn, config, actor, &t, ItemState::Approved, ItemState::Fulfilled, None, now).await?.1;
        } else {
            let group = catalog_item::Entity::find_by_id(ri.catalog_item_id).one(txn).await?.and_then(|i| i.group_id);
            let rows: Vec<_> = d
                .tasks
                .iter()
                .map(|task| {
                    let mut row = ticket::Model {
                        title: task.title.clone(),
                        description: format!("Fulfils {} ({}).\n\n{}", t.number, t.title, answers_markdown(&d, &answers)),
                        organisation_id: t.organisation_id,
                        group_id: task.group_id.or(group),
                        service_id: t.service_id,
                        category_id: t.category_id,
                        ..blank(TicketType::Task, t.requester_id, now)
                    }
                    .into_active_model()
                    .reset_all();
                    row.id = NotSet;
                    (row, TicketType::Task, actor.map_or(t.requester_id, |a| a.user_id), actor.map_or_else(|| "system".to_string(), |a| a.display_name.clone()))
                })
                .collect();
            let tasks = insert_tickets(txn, config, &rows).await?;
            let steps: Vec<TaskStep> = d.tasks.iter().map(|task| TaskStep { order: task.order, state: TaskState::Waiting }).collect();
            let open = tasks_to_open(&steps);
            for (i, ((task_ticket, seq), template)) in tasks.iter().zip(&d.tasks).enumerate() {
                last = last.max(*seq);
                let state = if open.contains(&i) { TaskState::Open } else { TaskState::Waiting };
                fulfilment_task::ActiveModel { ticket_id: Set(task_ticket.id), item_id: Set(t.id), position: Set(template.order as i32), state: Set(TaskState::Open.code().into()) }
                    .insert(txn)
                    .await?;
                if state == TaskState::Waiting {
                    last = move_task(txn, config, actor, task_ticket, TaskState::Open, TaskState::Waiting, None, now).await?.1;
                }
            }
            last = move_item(txn, config, actor, &t, ItemState::Approved, ItemState::InFulfilment, None, now).await?.1;
        }
    } else {
        last = move_item(txn, config, actor, &t, from, ItemState::Rejected, Some(reason), now).await?.1;
    }
    if let Some(seq) = rollup(txn, config, actor, ri.request_id, now).await? {
        last = last.max(seq);
    }
    Ok(last)
}

/// Moves request `request_id` to the state its items roll up to, when that changed; returns the
/// event's sequence number.
pub(super) async fn rollup(txn: &DatabaseTransaction, config: &DeskConfig, actor: Option<&Actor>, request_id: i64, now: DateTime<Utc>) -> Result<Option<i64>, AppError> {
    let states: Vec<ItemState> = request_item::Entity::find().filter(request_item::Column::RequestId.eq(request_id)).all(txn).await?.iter().map(item_state).collect::<Result<_, _>>()?;
    let to = request_from_items(&states);
    let request = ticket::Entity::find_by_id(request_id).one(txn).await?.ok_or(AppError::Internal)?;
    let from = request_stage(txn, request_id).await?;
    if from == to {
        return Ok(None);
    }
    Ok(Some(move_ticket(txn, config, actor, &request, Move { from: from.code(), to: to.code(), phase: item_phase(to), note: None }, now).await?.1))
}

/// A request's own state: the last stage its audit trail recorded (submitted before any).
async fn request_stage(db: &impl ConnectionTrait, request_id: i64) -> Result<ItemState, AppError> {
    let last = audit_entry::Entity::find()
        .filter(audit_entry::Column::EntityType.eq("ticket"))
        .filter(audit_entry::Column::EntityId.eq(request_id))
        .filter(audit_entry::Column::Field.eq("stage"))
        .order_by_desc(audit_entry::Column::Id)
        .one(db)
        .await?;
    Ok(last.and_then(|a| a.new_value).and_then(|v| ItemState::parse(&v).ok()).unwrap_or(ItemState::Submitted))
}

/// Moves a fulfilment task (agents): start (`in_progress`), `completed`, or `canceled` with a
/// reason, or back to `open`. The next order's tasks open when every task before them completed;
/// the item is fulfilled when all completed, closed incomplete when one is canceled (its other
/// open tasks are canceled with it). Returns the item.
pub async fn update_task(ctx: &AppContext, actor: &Actor, key: &str, to: &str, note_text: &str) -> Result<RequestItemView, AppError> {
    require_staff(actor)?;
    let to = TaskState::parse(to)?;
    let note_text = bounded_text("note", "Note", note_text, 0, 5_000)?;
    if to == TaskState::Canceled && note_text.is_empty() {
        return Err(AppError::field("note", "Say why the task is canceled"));
    }
    let config = ctx.desk_config().await?;
    let now = Utc::now();
    let (_turn, txn) = ctx.begin_write().await?;
    let t = find_typed(&txn, actor, key, TicketType::Task).await?;
    let ft = fulfilment_task::Entity::find_by_id(t.id).one(&txn).await?.ok_or(AppError::Internal)?;
    let from = task_state(&ft)?;
    use TaskState::*;
    let allowed = matches!((from, to), (Open, InProgress | Completed | Canceled) | (InProgress, Open | Completed | Canceled) | (Waiting, Canceled));
    if !allowed {
        return Err(AppError::field("state", format!("A task {} cannot become {}", from.label().to_lowercase(), to.label().to_lowercase())));
    }
    let note = (!note_text.is_empty()).then_some(note_text);
    let mut last = move_task(&txn, &config, Some(actor), &t, from, to, note, now).await?.1;
    if let Some(seq) = after_task(&txn, &config, Some(actor), ft.item_id, now).await? {
        last = last.max(seq);
    }
    txn.commit().await?;
    ctx.notify_committed(last);
    let item = ticket::Entity::find_by_id(ft.item_id).one(&ctx.db).await?.ok_or(AppError::Internal)?;
    request_item_view(&ctx.db, actor, item).await
}

/// After a task moved: opens the tasks whose turn came, and moves the item (and its request)
/// when its tasks say so.
async fn after_task(txn: &DatabaseTransaction, config: &DeskConfig, actor: Option<&Actor>, item_id: i64, now: DateTime<Utc>) -> Result<Option<i64>, AppError> {
    let tasks = fulfilment_task::Entity::find().filter(fulfilment_task::Column::ItemId.eq(item_id)).order_by_asc(fulfilment_task::Column::Position).order_by_asc(fulfilment_task::Column::TicketId).all(txn).await?;
    let steps: Vec<TaskStep> = tasks.iter().map(|t| Ok(TaskStep { order: t.position.max(0) as u32, state: task_state(t)? })).collect::<Result<_, AppError>>()?;
    let mut last = None;
    for i in tasks_to_open(&steps) {
        let tt = ticket::Entity::find_by_id(tasks[i].ticket_id).one(txn).await?.ok_or(AppError::Internal)?;
        last = Some(move_task(txn, config, actor, &tt, TaskState::Waiting, TaskState::Open, None, now).await?.1);
    }
    let item = ticket::Entity::find_by_id(item_id).one(txn).await?.ok_or(AppError::Internal)?;
    let ri = request_item::Entity::find_by_id(item_id).one(txn).await?.ok_or(AppError::Internal)?;
    let current = item_state(&ri)?;
    let wanted = item_from_tasks(&steps);
    if current != ItemState::InFulfilment || wanted == current {
        return Ok(last);
    }
    if wanted == ItemState::Incomplete {
        for (ft, step) in tasks.iter().zip(&steps).filter(|(_, s)| !s.state.is_done()) {
            let tt = ticket::Entity::find_by_id(ft.ticket_id).one(txn).await?.ok_or(AppError::Internal)?;
            move_task(txn, config, actor, &tt, step.state, TaskState::Canceled, Some(format!("Canceled: {} closed incomplete", item.number)), now).await?;
        }
    }
    let mut seq = move_item(txn, config, actor, &item, current, wanted, None, now).await?.1;
    if let Some(s) = rollup(txn, config, actor, ri.request_id, now).await? {
        seq = seq.max(s);
    }
    Ok(Some(seq))
}

/// Cancels a requested item: its requester before fulfilment starts, or an agent while it is
/// open, with a reason. Pending approvals are no longer required, open tasks are canceled, the
/// request rolls up. Returns the item.
pub async fn cancel_item(ctx: &AppContext, actor: &Actor, key: &str, reason: &str) -> Result<RequestItemView, AppError> {
    let reason = bounded_text("reason", "Reason", reason, 1, 2_000)?;
    let config = ctx.desk_config().await?;
    let now = Utc::now();
    let (_turn, txn) = ctx.begin_write().await?;
    let t = find_typed(&txn, actor, key, TicketType::RequestItem).await?;
    let ri = request_item::Entity::find_by_id(t.id).one(&txn).await?.ok_or(AppError::Internal)?;
    let from = item_state(&ri)?;
    let may = if actor.is_staff() { from.is_open() } else { from.requester_may_cancel() };
    if !may {
        return Err(AppError::field("state", format!("A request item {} can no longer be canceled{}", from.label().to_lowercase(), if actor.is_staff() { "" } else { ": ask the service desk" })));
    }
    approvals::withdraw(&txn, t.id, now).await?;
    for ft in fulfilment_task::Entity::find().filter(fulfilment_task::Column::ItemId.eq(t.id)).all(&txn).await? {
        let state = task_state(&ft)?;
        if !state.is_done() {
            let tt = ticket::Entity::find_by_id(ft.ticket_id).one(&txn).await?.ok_or(AppError::Internal)?;
            move_task(&txn, &config, Some(actor), &tt, state, TaskState::Canceled, Some(format!("Canceled with {}", t.number)), now).await?;
        }
    }
    let note = format!("Canceled by {}: {reason}", actor.display_name);
    let mut last = move_item(&txn, &config, Some(actor), &t, from, ItemState::Canceled, Some(note), now).await?.1;
    if let Some(seq) = rollup(&txn, &config, Some(actor), ri.request_id, now).await? {
        last = last.max(seq);
    }
    txn.commit().await?;
    ctx.notify_committed(last);
    let t = ticket::Entity::find_by_id(t.id).one(&ctx.db).await?.ok_or(AppError::Internal)?;
    request_item_view(&ctx.db, actor, t).await
}

/// Finds a ticket of type `ty` by id or number that `actor` may see.
async fn find_typed(db: &impl ConnectionTrait, actor: &Actor, key: &str, ty: TicketType) -> Result<ticket::Model, AppError> {
    let what = ty.label();
    let t = crate::services::tickets::find_visible(db, actor, key).await.map_err(|_| AppError::NotFound(what.into()))?;
    if t.ticket_type != ty.code() {
        return Err(AppError::NotFound(what.into()));
    }
    Ok(t)
}

/// The answers in form order, as people read them.
pub(super) fn answer_views(d: &Definition, answers: &Answers) -> Vec<AnswerView> {
    d.form
        .fields
        .iter()
        .filter_map(|f| {
            let value = answers.get(&f.key)?.clone();
            let text = match &value {
                Answer::Flag(b) => if *b { "Yes" } else { "No" }.to_string(),
                Answer::Many(v) => v.join(", "),
                Answer::One(s) => s.clone(),
            };
            Some(AnswerView { key: f.key.clone(), label: f.label.clone(), value, text })
        })
        .collect()
}

/// Items of these tickets with their approvals and tasks, as `actor` sees them.
async fn item_views(db: &impl ConnectionTrait, actor: &Actor, items: Vec<ticket::Model>) -> Result<Vec<RequestItemView>, AppError> {
    let ids: Vec<i64> = items.iter().map(|t| t.id).collect();
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let sides: HashMap<i64, request_item::Model> = request_item::Entity::find().filter(request_item::Column::TicketId.is_in(ids.clone())).all(db).await?.into_iter().map(|r| (r.ticket_id, r)).collect();
    let catalog: HashMap<i64, String> = catalog_item::Entity::find()
        .filter(catalog_item::Column::Id.is_in(sides.values().map(|r| r.catalog_item_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.id, i.name))
        .collect();
    let mut stages = approvals::stage_views(db, &ids).await?;
    let task_rows = fulfilment_task::Entity::find().filter(fulfilment_task::Column::ItemId.is_in(ids.clone())).order_by_asc(fulfilment_task::Column::Position).order_by_asc(fulfilment_task::Column::TicketId).all(db).await?;
    let task_tickets: HashMap<i64, ticket::Model> =
        ticket::Entity::find().filter(ticket::Column::Id.is_in(task_rows.iter().map(|t| t.ticket_id))).all(db).await?.into_iter().map(|t| (t.id, t)).collect();
    let groups: HashMap<i64, String> = assignment_group::Entity::find().all(db).await?.into_iter().map(|g| (g.id, g.name)).collect();
    let people = user_names(db, sides.values().map(|r| r.requested_for_id).chain(task_tickets.values().filter_map(|t| t.assignee_id))).await?;
    let mut definitions: HashMap<i64, Definition> = HashMap::new();
    let mut out = Vec::new();
    for t in items {
        let Some(ri) = sides.get(&t.id) else { continue };
        if let std::collections::hash_map::Entry::Vacant(e) = definitions.entry(ri.item_version_id) {
            e.insert(definition(db, ri.item_version_id).await?);
        }
        let d = &definitions[&ri.item_version_id];
        let answers: Answers = serde_json::from_str(&ri.answers).map_err(|_| AppError::Internal)?;
        let state = item_state(ri)?;
        let tasks = task_rows
            .iter()
            .filter(|r| r.item_id == t.id)
            .filter_map(|r| {
                let tt = task_tickets.get(&r.ticket_id)?;
                Some(TaskView {
                    ticket_id: tt.id,
                    number: tt.number.clone(),
                    title: tt.title.clone(),
                    order: r.position,
                    state: TaskState::parse(&r.state).ok()?,
                    group_name: tt.group_id.and_then(|g| groups.get(&g).cloned()),
                    assignee_name: tt.assignee_id.and_then(|a| people.get(&a).cloned()),
                })
            })
            .collect();
        out.push(RequestItemView {
            ticket_id: t.id,
            number: t.number.clone(),
            catalog_item_id: ri.catalog_item_id,
            item_name: catalog.get(&ri.catalog_item_id).cloned().unwrap_or_default(),
            form_version: d.version.number,
            requested_for_id: ri.requested_for_id,
            requested_for_name: people.get(&ri.requested_for_id).cloned().unwrap_or_default(),
            may_cancel: if actor.is_staff() { state.is_open() } else { t.requester_id == actor.user_id && state.requester_may_cancel() },
            state,
            answers: answer_views(d, &answers),
            stages: stages.remove(&t.id).unwrap_or_default(),
            tasks,
            due_at: t.sla_due_at.filter(|_| state.is_open()),
        });
    }
    Ok(out)
}

/// One requested item (RITM) as `actor` sees it.
pub async fn request_item_view(db: &impl ConnectionTrait, actor: &Actor, t: ticket::Model) -> Result<RequestItemView, AppError> {
    item_views(db, actor, vec![t]).await?.pop().ok_or(AppError::Internal)
}

/// A request as `actor` sees it.
pub(super) async fn request_view(db: &impl ConnectionTrait, actor: &Actor, request: ticket::Model) -> Result<RequestView, AppError> {
    let item_ids: Vec<i64> = request_item::Entity::find().filter(request_item::Column::RequestId.eq(request.id)).all(db).await?.into_iter().map(|r| r.ticket_id).collect();
    let items = ticket::Entity::find().filter(ticket::Column::Id.is_in(item_ids)).order_by_asc(ticket::Column::Id).all(db).await?;
    let items = item_views(db, actor, items).await?;
    let names = user_names(db, [request.requester_id].into_iter()).await?;
    Ok(RequestView {
        state: request_from_items(&items.iter().map(|i| i.state).collect::<Vec<_>>()),
        ticket_id: request.id,
        number: request.number,
        title: request.title,
        requester_name: names.get(&request.requester_id).cloned().unwrap_or_default(),
        requester_id: request.requester_id,
        created_at: request.created_at,
        items,
    })
}

/// A request (by its REQ number or id, or the number of one of its items or tasks) with its items'
/// approvals and tasks: staff see any; a requester the requests they ordered or that were ordered
/// for them (never by a task's number: tasks are staff work).
pub async fn get_request(ctx: &AppContext, actor: &Actor, key: &str) -> Result<RequestView, AppError> {
    let not_found = || AppError::NotFound("Request".into());
    let t = crate::services::tickets::find_by_key(&ctx.db, key).await?.ok_or_else(not_found)?;
    let request = match TicketType::parse(&t.ticket_type) {
        Ok(TicketType::ServiceRequest) => t,
        Ok(TicketType::Task) if !actor.is_staff() => return Err(not_found()),
        Ok(ty @ (TicketType::RequestItem | TicketType::Task)) => {
            let item_id = match ty {
                TicketType::Task => fulfilment_task::Entity::find_by_id(t.id).one(&ctx.db).await?.ok_or(AppError::Internal)?.item_id,
                _ => t.id,
            };
            let ri = request_item::Entity::find_by_id(item_id).one(&ctx.db).await?.ok_or(AppError::Internal)?;
            ticket::Entity::find_by_id(ri.request_id).one(&ctx.db).await?.ok_or(AppError::Internal)?
        }
        _ => return Err(not_found()),
    };
    if !actor.is_staff() && request.requester_id != actor.user_id {
        let for_them = request_item::Entity::find()
            .filter(request_item::Column::RequestId.eq(request.id))
            .filter(request_item::Column::RequestedForId.eq(actor.user_id))
            .count(&ctx.db)
            .await?;
        if for_them == 0 {
            return Err(not_found());
        }
    }
    request_view(&ctx.db, actor, request).await
}

/// The requests `actor` ordered or that were ordered for them, newest first (at most 50).
pub async fn my_requests(ctx: &AppContext, actor: &Actor) -> Result<RequestList, AppError> {
    use sea_orm::sea_query::Query;
    let for_me = Query::select()
        .column(request_item::Column::RequestId)
        .from(request_item::Entity)
        .and_where(request_item::Column::RequestedForId.eq(actor.user_id))
        .to_owned();
    let rows = ticket::Entity::find()
        .filter(ticket::Column::TicketType.eq(TicketType::ServiceRequest.code()))
        .filter(Condition::any().add(ticket::Column::RequesterId.eq(actor.user_id)).add(ticket::Column::Id.in_subquery(for_me)))
        .order_by_desc(ticket::Column::Id)
        .limit(50)
        .all(&ctx.db)
        .await?;
    let mut items = Vec::with_capacity(rows.len());
    for r in rows {
        items.push(request_view(&ctx.db, actor, r).await?);
    }
    Ok(RequestList { items })
}

/// The approvals waiting for `actor`'s answer, with what they need to decide (any role: a
/// manager is often a requester).
pub async fn my_approvals(ctx: &AppContext, actor: &Actor) -> Result<ApprovalList, AppError> {
    let pending = approvals::pending_for(&ctx.db, actor).await?;
    let ids: Vec<i64> = pending.iter().map(|(a, _)| a.ticket_id).collect();
    let tickets: HashMap<i64, ticket::Model> = ticket::Entity::find().filter(ticket::Column::Id.is_in(ids.clone())).all(&ctx.db).await?.into_iter().map(|t| (t.id, t)).collect();
    let sides: HashMap<i64, request_item::Model> = request_item::Entity::find().filter(request_item::Column::TicketId.is_in(ids)).all(&ctx.db).await?.into_iter().map(|r| (r.ticket_id, r)).collect();
    let requests: HashMap<i64, String> =
        ticket::Entity::find().filter(ticket::Column::Id.is_in(sides.values().map(|r| r.request_id))).all(&ctx.db).await?.into_iter().map(|t| (t.id, t.number)).collect();
    let catalog: HashMap<i64, String> =
        catalog_item::Entity::find().filter(catalog_item::Column::Id.is_in(sides.values().map(|r| r.catalog_item_id))).all(&ctx.db).await?.into_iter().map(|i| (i.id, i.name)).collect();
    let people = user_names(&ctx.db, tickets.values().map(|t| t.requester_id).chain(sides.values().map(|r| r.requested_for_id))).await?;
    let mut items = Vec::new();
    for (a, s) in pending {
        let (Some(t), Some(ri)) = (tickets.get(&a.ticket_id), sides.get(&a.ticket_id)) else { continue };
        let d = definition(&ctx.db, ri.item_version_id).await?;
        let answers: Answers = serde_json::from_str(&ri.answers).map_err(|_| AppError::Internal)?;
        let approvers = crate::services::entities::approval::Entity::find().filter(crate::services::entities::approval::Column::StageId.eq(s.id)).all(&ctx.db).await?.len();
        let rule = crate::domain::approval::ApprovalRule::parse(&s.rule, s.rule_n.map(i64::from)).map(|r| r.describe(approvers as u32)).unwrap_or_default();
        items.push(PendingApproval {
            id: a.id,
            stage: s.name.clone(),
            rule,
            due_at: s.due_at,
            number: t.number.clone(),
            request_number: requests.get(&ri.request_id).cloned().unwrap_or_default(),
            item_name: catalog.get(&ri.catalog_item_id).cloned().unwrap_or_default(),
            requester_name: people.get(&t.requester_id).cloned().unwrap_or_default(),
            requested_for_name: people.get(&ri.requested_for_id).cloned().unwrap_or_default(),
            answers: answer_views(&d, &answers),
            ordered_at: t.created_at,
        });
    }
    Ok(ApprovalList { items })
}

/// The item an approver just decided on, as they see it (approvers read the items they decide
/// on, whoever ordered them).
pub async fn item_after_decision(ctx: &AppContext, actor: &Actor, ticket_id: i64) -> Result<RequestItemView, AppError> {
    let asked = crate::services::entities::approval::Entity::find()
        .filter(crate::services::entities::approval::Column::TicketId.eq(ticket_id))
        .filter(crate::services::entities::approval::Column::ApproverId.eq(actor.user_id))
        .one(&ctx.db)
        .await?;
    if asked.is_none() && !actor.is_staff() {
        return Err(AppError::NotFound("Request item".into()));
    }
    let t = ticket::Entity::find_by_id(ticket_id).one(&ctx.db).await?.ok_or(AppError::Internal)?;
    request_item_view(&ctx.db, actor, t).await
}
