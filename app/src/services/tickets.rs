//! Tickets: create, read, list, change, comment — every write through one transaction with
//! audit rows and an outbox event; every read filtered by what the actor may see.

use super::entities::{app_user, assignment_group, audit_entry, category, service, ticket, ticket_comment, ticket_number_seq};
use super::journal::{self, AuditLine};
use super::AppContext;
use crate::domain::field::{bounded_text, Validator};
use crate::domain::{
    Actor, CommentBody, Description, Impact, PriorityMatrix, ResolutionCode, TicketNumber, TicketState,
    TicketType, Title, Urgency,
};
use crate::dto::{AuditView, CommentView, TicketDetail, TicketPage, TicketSummary};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use std::collections::{HashMap, HashSet};

/// Raw input for a new ticket; validated by [`create_ticket`].
#[derive(Debug, Clone)]
pub struct NewTicket {
    /// Record kind.
    pub ticket_type: TicketType,
    /// One-line summary.
    pub title: String,
    /// Details.
    pub description: String,
    /// `high` / `medium` / `low`.
    pub impact: String,
    /// `high` / `medium` / `low`.
    pub urgency: String,
    /// Staff may raise a ticket on someone's behalf; ignored for requesters.
    pub requester_id: Option<i64>,
    /// Business service.
    pub service_id: Option<i64>,
    /// Category.
    pub category_id: Option<i64>,
}

/// Which tickets to list.
#[derive(Debug, Clone, Default)]
pub struct TicketFilter {
    /// Comma-separated state codes, or `open` for New/In progress/On hold.
    pub state: Option<String>,
    /// `me`, `none`, or a user id.
    pub assignee: Option<String>,
    /// Text in the title, or a ticket number.
    pub q: Option<String>,
    /// Page size (default 50, at most 200).
    pub limit: Option<u64>,
    /// Rows to skip.
    pub offset: Option<u64>,
}

/// A change to a ticket. `None` leaves a field as it is; for assignee/group `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct TicketPatch {
    /// New state code.
    pub state: Option<String>,
    /// New assignee.
    pub assignee_id: Option<Option<i64>>,
    /// New assignment group.
    pub group_id: Option<Option<i64>>,
    /// New impact.
    pub impact: Option<String>,
    /// New urgency.
    pub urgency: Option<String>,
    /// New title.
    pub title: Option<String>,
    /// New description.
    pub description: Option<String>,
    /// Required when resolving.
    pub resolution_code: Option<String>,
    /// Required when resolving.
    pub resolution_note: Option<String>,
    /// Refuse the change if the ticket's version is no longer this one.
    pub expected_version: Option<i32>,
}

fn require_staff(actor: &Actor) -> Result<(), AppError> {
    if actor.is_staff() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

fn not_found() -> AppError {
    AppError::NotFound("Ticket".into())
}

/// Finds a ticket by id (`42`) or number (`INC-000042`) that the actor may see.
async fn find_visible(db: &impl ConnectionTrait, actor: &Actor, key: &str) -> Result<ticket::Model, AppError> {
    let key = key.trim();
    let found = if let Ok(id) = key.parse::<i64>() {
        ticket::Entity::find_by_id(id).one(db).await?
    } else {
        let number = TicketNumber::parse(key).map_err(|_| not_found())?;
        ticket::Entity::find().filter(ticket::Column::Number.eq(number.to_string())).one(db).await?
    };
    match found {
        Some(t) if actor.is_staff() || t.requester_id == actor.user_id => Ok(t),
        _ => Err(not_found()),
    }
}

async fn next_number(txn: &DatabaseTransaction, ticket_type: TicketType) -> Result<TicketNumber, AppError> {
    let updated = ticket_number_seq::Entity::update_many()
        .col_expr(ticket_number_seq::Column::LastValue, Expr::col(ticket_number_seq::Column::LastValue).add(1))
        .filter(ticket_number_seq::Column::TicketType.eq(ticket_type.code()))
        .exec(txn)
        .await?;
    if updated.rows_affected != 1 {
        tracing::error!(ticket_type = ticket_type.code(), "ticket number sequence row missing");
        return Err(AppError::Internal);
    }
    let row = ticket_number_seq::Entity::find_by_id(ticket_type.code().to_string())
        .one(txn)
        .await?
        .ok_or(AppError::Internal)?;
    Ok(TicketNumber::new(ticket_type, row.last_value as u64))
}

fn audit_line<'a>(t: &ticket::Model, actor: &Actor, action: &'a str, at: DateTime<Utc>) -> AuditLine<'a> {
    AuditLine {
        entity_type: "ticket",
        entity_id: t.id,
        actor_id: Some(actor.user_id),
        action,
        field: None,
        old_value: None,
        new_value: None,
        at,
    }
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
    let priority = PriorityMatrix::default().priority(impact, urgency);

    let _w = ctx.write_guard().await;
    let txn = ctx.db.begin().await?;
    if requester_id != actor.user_id && app_user::Entity::find_by_id(requester_id).one(&txn).await?.is_none() {
        return Err(AppError::field("requester_id", "Unknown requester"));
    }
    if let Some(id) = input.service_id {
        if service::Entity::find_by_id(id).one(&txn).await?.is_none() {
            return Err(AppError::field("service_id", "Unknown service"));
        }
    }
    if let Some(id) = input.category_id {
        if category::Entity::find_by_id(id).one(&txn).await?.is_none() {
            return Err(AppError::field("category_id", "Unknown category"));
        }
    }
    let number = next_number(&txn, input.ticket_type).await?;
    let now = Utc::now();
    let row = ticket::ActiveModel {
        number: Set(number.to_string()),
        ticket_type: Set(input.ticket_type.code().to_string()),
        title: Set(title.as_str().to_string()),
        description: Set(description.as_str().to_string()),
        state: Set(TicketState::New.code().to_string()),
        impact: Set(impact.code().to_string()),
        urgency: Set(urgency.code().to_string()),
        priority: Set(priority.number() as i16),
        requester_id: Set(requester_id),
        assignee_id: Set(None),
        group_id: Set(None),
        service_id: Set(input.service_id),
        category_id: Set(input.category_id),
        resolution_code: Set(None),
        resolution_note: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        first_response_at: Set(None),
        resolved_at: Set(None),
        closed_at: Set(None),
        reopen_count: Set(0),
        reassignment_count: Set(0),
        version: Set(1),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    journal::audit(&txn, AuditLine { new_value: Some(row.number.clone()), ..audit_line(&row, actor, "created", now) }).await?;
    let seq = journal::append_event(
        &txn,
        "ticket.created",
        "ticket",
        row.id,
        serde_json::json!({ "number": row.number, "state": row.state, "priority": row.priority }),
    )
    .await?;
    txn.commit().await?;
    ctx.notify_committed(seq);
    detail(ctx, actor, row).await
}

/// One ticket with its conversation (internal notes only for staff).
pub async fn get_ticket(ctx: &AppContext, actor: &Actor, key: &str) -> Result<TicketDetail, AppError> {
    let t = find_visible(&ctx.db, actor, key).await?;
    detail(ctx, actor, t).await
}

async fn detail(ctx: &AppContext, actor: &Actor, t: ticket::Model) -> Result<TicketDetail, AppError> {
    let mut comments_q = ticket_comment::Entity::find().filter(ticket_comment::Column::TicketId.eq(t.id));
    if !actor.is_staff() {
        comments_q = comments_q.filter(ticket_comment::Column::Internal.eq(false));
    }
    let comments = comments_q.order_by_asc(ticket_comment::Column::Id).all(&ctx.db).await?;
    let authors: Vec<i64> = comments.iter().map(|c| c.author_id).collect();
    let names = user_names(&ctx.db, authors.into_iter()).await?;
    let service_name = match t.service_id {
        Some(id) => service::Entity::find_by_id(id).one(&ctx.db).await?.map(|s| s.name),
        None => None,
    };
    let category_name = match t.category_id {
        Some(id) => category::Entity::find_by_id(id).one(&ctx.db).await?.map(|c| c.name),
        None => None,
    };
    let description = t.description.clone();
    let resolution_code = t.resolution_code.clone();
    let resolution_note = t.resolution_note.clone();
    let (first_response_at, resolved_at, reopen_count) = (t.first_response_at, t.resolved_at, t.reopen_count);
    let summary = summaries(&ctx.db, vec![t]).await?.pop().ok_or(AppError::Internal)?;
    Ok(TicketDetail {
        summary,
        description,
        service_name,
        category_name,
        resolution_code,
        resolution_note,
        first_response_at,
        resolved_at,
        reopen_count,
        comments: comments
            .into_iter()
            .map(|c| CommentView {
                author_name: names.get(&c.author_id).cloned().unwrap_or_default(),
                id: c.id,
                author_id: c.author_id,
                body: c.body,
                internal: c.internal,
                created_at: c.created_at,
            })
            .collect(),
    })
}

async fn user_names(db: &impl ConnectionTrait, ids: impl Iterator<Item = i64>) -> Result<HashMap<i64, String>, AppError> {
    let ids: HashSet<i64> = ids.collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(app_user::Entity::find()
        .filter(app_user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect())
}

/// Turns rows into summaries, loading people and group names in two queries (no N+1).
async fn summaries(db: &impl ConnectionTrait, rows: Vec<ticket::Model>) -> Result<Vec<TicketSummary>, AppError> {
    let people: Vec<i64> = rows.iter().flat_map(|t| [Some(t.requester_id), t.assignee_id]).flatten().collect();
    let names = user_names(db, people.into_iter()).await?;
    let group_ids: HashSet<i64> = rows.iter().filter_map(|t| t.group_id).collect();
    let groups: HashMap<i64, String> = if group_ids.is_empty() {
        HashMap::new()
    } else {
        assignment_group::Entity::find()
            .filter(assignment_group::Column::Id.is_in(group_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|g| (g.id, g.name))
            .collect()
    };
    rows.into_iter()
        .map(|t| {
            let corrupt = |what: &str| {
                tracing::error!(ticket = t.id, what, "stored ticket has an invalid value");
                AppError::Internal
            };
            Ok(TicketSummary {
                ticket_type: TicketType::parse(&t.ticket_type).map_err(|_| corrupt("type"))?,
                state: TicketState::parse(&t.state).map_err(|_| corrupt("state"))?,
                impact: Impact::parse(&t.impact).map_err(|_| corrupt("impact"))?,
                urgency: Urgency::parse(&t.urgency).map_err(|_| corrupt("urgency"))?,
                priority: t.priority as u8,
                requester_name: names.get(&t.requester_id).cloned().unwrap_or_default(),
                assignee_name: t.assignee_id.and_then(|id| names.get(&id).cloned()),
                group_name: t.group_id.and_then(|id| groups.get(&id).cloned()),
                id: t.id,
                number: t.number,
                title: t.title,
                requester_id: t.requester_id,
                assignee_id: t.assignee_id,
                group_id: t.group_id,
                created_at: t.created_at,
                updated_at: t.updated_at,
                version: t.version,
            })
        })
        .collect()
}

/// Lists tickets the actor may see (requesters: only their own), most recently updated first.
pub async fn list_tickets(ctx: &AppContext, actor: &Actor, filter: TicketFilter) -> Result<TicketPage, AppError> {
    let mut cond = Condition::all();
    if !actor.is_staff() {
        cond = cond.add(ticket::Column::RequesterId.eq(actor.user_id));
    }
    if let Some(state) = filter.state.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let states: Vec<TicketState> = if state == "open" {
            TicketState::ALL.into_iter().filter(|s| s.is_open()).collect()
        } else {
            state.split(',').map(TicketState::parse).collect::<Result<_, _>>()?
        };
        cond = cond.add(ticket::Column::State.is_in(states.iter().map(|s| s.code())));
    }
    match filter.assignee.as_deref().map(str::trim) {
        None | Some("") => {}
        Some("me") => cond = cond.add(ticket::Column::AssigneeId.eq(actor.user_id)),
        Some("none") => cond = cond.add(ticket::Column::AssigneeId.is_null()),
        Some(other) => {
            let id: i64 = other
                .parse()
                .map_err(|_| AppError::field("assignee", "Assignee must be 'me', 'none' or a user id"))?;
            cond = cond.add(ticket::Column::AssigneeId.eq(id));
        }
    }
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let mut any = Condition::any()
            .add(Expr::expr(Func::lower(Expr::col(ticket::Column::Title))).like(format!("%{}%", q.to_lowercase())));
        if let Ok(n) = TicketNumber::parse(q) {
            any = any.add(ticket::Column::Number.eq(n.to_string()));
        }
        cond = cond.add(any);
    }
    let limit = filter.limit.unwrap_or(50).clamp(1, 200);
    let query = ticket::Entity::find().filter(cond);
    let total = query.clone().count(&ctx.db).await?;
    let rows = query
        .order_by_desc(ticket::Column::UpdatedAt)
        .order_by_desc(ticket::Column::Id)
        .limit(limit)
        .offset(filter.offset.unwrap_or(0))
        .all(&ctx.db)
        .await?;
    Ok(TicketPage { tickets: summaries(&ctx.db, rows).await?, total })
}

/// Changes a ticket (staff only): state, assignment, impact/urgency, text, resolution.
/// Refuses with `Conflict` when someone else changed it since `expected_version`.
pub async fn update_ticket(ctx: &AppContext, actor: &Actor, key: &str, patch: TicketPatch) -> Result<TicketDetail, AppError> {
    require_staff(actor)?;
    let _w = ctx.write_guard().await;
    let txn = ctx.db.begin().await?;
    let current = find_visible(&txn, actor, key).await?;
    if let Some(expected) = patch.expected_version {
        if expected != current.version {
            return Err(changed_by_someone_else(&txn, &current).await);
        }
    }
    let now = Utc::now();
    let mut changes: Vec<(&'static str, Option<String>, Option<String>)> = Vec::new();
    let mut row: ticket::ActiveModel = current.clone().into();
    let mut v = Validator::new();

    let old_state = TicketState::parse(&current.state).map_err(|_| AppError::Internal)?;
    let mut requested_state = match patch.state.as_deref() {
        Some(s) => v.check(TicketState::parse(s)),
        None => None,
    };
    if let Some(title) = patch.title.as_deref() {
        if let Some(t) = v.check(Title::parse(title)) {
            if t.as_str() != current.title {
                changes.push(("title", Some(current.title.clone()), Some(t.as_str().to_string())));
                row.title = Set(t.as_str().to_string());
            }
        }
    }
    if let Some(d) = patch.description.as_deref() {
        if let Some(d) = v.check(Description::parse(d)) {
            if d.as_str() != current.description {
                changes.push(("description", None, None));
                row.description = Set(d.as_str().to_string());
            }
        }
    }
    let impact = match patch.impact.as_deref() {
        Some(i) => v.check(Impact::parse(i)),
        None => Impact::parse(&current.impact).ok(),
    };
    let urgency = match patch.urgency.as_deref() {
        Some(u) => v.check(Urgency::parse(u)),
        None => Urgency::parse(&current.urgency).ok(),
    };
    if let (Some(impact), Some(urgency)) = (impact, urgency) {
        if impact.code() != current.impact {
            changes.push(("impact", Some(current.impact.clone()), Some(impact.code().into())));
            row.impact = Set(impact.code().into());
        }
        if urgency.code() != current.urgency {
            changes.push(("urgency", Some(current.urgency.clone()), Some(urgency.code().into())));
            row.urgency = Set(urgency.code().into());
        }
        let priority = PriorityMatrix::default().priority(impact, urgency).number() as i16;
        if priority != current.priority {
            changes.push(("priority", Some(current.priority.to_string()), Some(priority.to_string())));
            row.priority = Set(priority);
        }
    }
    if let Some(new_assignee) = patch.assignee_id {
        if new_assignee != current.assignee_id {
            if let Some(id) = new_assignee {
                let assignee = app_user::Entity::find_by_id(id).one(&txn).await?;
                let ok = assignee.as_ref().is_some_and(|u| u.active && (u.role == "agent" || u.role == "admin"));
                if !ok {
                    v.check::<()>(Err(crate::domain::FieldError::new("assignee_id", "Assignee must be an active agent")));
                }
            }
            let names = user_names(&txn, [current.assignee_id, new_assignee].into_iter().flatten()).await?;
            let name = |id: Option<i64>| id.map(|i| names.get(&i).cloned().unwrap_or_else(|| i.to_string()));
            changes.push(("assignee", name(current.assignee_id), name(new_assignee)));
            row.assignee_id = Set(new_assignee);
            if current.assignee_id.is_some() {
                row.reassignment_count = Set(current.reassignment_count + 1);
            }
            if new_assignee.is_some() && old_state == TicketState::New && requested_state.is_none() {
                requested_state = Some(TicketState::InProgress);
            }
        }
    }
    if let Some(new_group) = patch.group_id {
        if new_group != current.group_id {
            let mut names = HashMap::new();
            for id in [current.group_id, new_group].into_iter().flatten() {
                match assignment_group::Entity::find_by_id(id).one(&txn).await? {
                    Some(g) => {
                        names.insert(id, g.name);
                    }
                    None => {
                        v.check::<()>(Err(crate::domain::FieldError::new("group_id", "Unknown assignment group")));
                    }
                }
            }
            changes.push((
                "group",
                current.group_id.and_then(|i| names.get(&i).cloned()),
                new_group.and_then(|i| names.get(&i).cloned()),
            ));
            row.group_id = Set(new_group);
        }
    }
    if let Some(to) = requested_state.filter(|s| *s != old_state) {
        if let Some(to) = v.check(old_state.transition_to(to)) {
            match to {
                TicketState::Resolved => {
                    let code = v.check(ResolutionCode::parse(patch.resolution_code.as_deref().unwrap_or("")));
                    let note = v.check(bounded_text(
                        "resolution_note",
                        "Resolution note",
                        patch.resolution_note.as_deref().unwrap_or(""),
                        1,
                        20_000,
                    ));
                    if let (Some(code), Some(note)) = (code, note) {
                        changes.push(("resolution_code", current.resolution_code.clone(), Some(code.code().into())));
                        row.resolution_code = Set(Some(code.code().into()));
                        row.resolution_note = Set(Some(note));
                        row.resolved_at = Set(Some(now));
                    }
                }
                TicketState::Closed | TicketState::Canceled => row.closed_at = Set(Some(now)),
                TicketState::InProgress if old_state == TicketState::Resolved => {
                    row.reopen_count = Set(current.reopen_count + 1);
                    row.resolved_at = Set(None);
                }
                _ => {}
            }
            changes.push(("state", Some(old_state.code().into()), Some(to.code().into())));
            row.state = Set(to.code().into());
        }
    }
    v.finish()?;
    if changes.is_empty() {
        drop(txn);
        return detail(ctx, actor, current).await;
    }
    row.updated_at = Set(now);
    let new_version = current.version + 1;
    row.version = Set(new_version);
    let result = ticket::Entity::update_many()
        .set(row)
        .filter(ticket::Column::Id.eq(current.id))
        .filter(ticket::Column::Version.eq(current.version))
        .exec(&txn)
        .await?;
    if result.rows_affected != 1 {
        return Err(changed_by_someone_else(&txn, &current).await);
    }
    for (field, old, new) in &changes {
        journal::audit(
            &txn,
            AuditLine { field: Some(field), old_value: old.clone(), new_value: new.clone(), ..audit_line(&current, actor, "field_changed", now) },
        )
        .await?;
    }
    let seq = journal::append_event(
        &txn,
        "ticket.updated",
        "ticket",
        current.id,
        serde_json::json!({
            "number": current.number,
            "version": new_version,
            "fields": changes.iter().map(|c| c.0).collect::<Vec<_>>(),
        }),
    )
    .await?;
    let updated = ticket::Entity::find_by_id(current.id).one(&txn).await?.ok_or(AppError::Internal)?;
    txn.commit().await?;
    ctx.notify_committed(seq);
    detail(ctx, actor, updated).await
}

async fn changed_by_someone_else(db: &impl ConnectionTrait, t: &ticket::Model) -> AppError {
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

/// Adds a public reply or (staff only) an internal note. Requesters may reply on their own tickets.
pub async fn add_comment(ctx: &AppContext, actor: &Actor, key: &str, body: &str, internal: bool) -> Result<CommentView, AppError> {
    if internal && !actor.is_staff() {
        return Err(AppError::Forbidden);
    }
    let body = CommentBody::parse(body)?;
    let _w = ctx.write_guard().await;
    let txn = ctx.db.begin().await?;
    let t = find_visible(&txn, actor, key).await?;
    let state = TicketState::parse(&t.state).map_err(|_| AppError::Internal)?;
    if matches!(state, TicketState::Closed | TicketState::Canceled) {
        return Err(AppError::field("body", format!("{} is {} and takes no more replies", t.number, state.label().to_lowercase())));
    }
    let now = Utc::now();
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
    let first_response = actor.is_staff() && !internal && t.first_response_at.is_none() && actor.user_id != t.requester_id;
    if first_response {
        bump = bump.col_expr(ticket::Column::FirstResponseAt, Expr::value(now));
    }
    bump.exec(&txn).await?;
    let kind = if internal { "internal" } else { "public" };
    journal::audit(&txn, AuditLine { field: Some("comment"), new_value: Some(kind.into()), ..audit_line(&t, actor, "comment_added", now) }).await?;
    let seq = journal::append_event(
        &txn,
        "ticket.commented",
        "ticket",
        t.id,
        serde_json::json!({ "number": t.number, "comment_id": comment.id, "internal": internal }),
    )
    .await?;
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

/// The ticket's audit trail, oldest first. Requesters do not see entries about internal notes.
pub async fn history(ctx: &AppContext, actor: &Actor, key: &str) -> Result<Vec<AuditView>, AppError> {
    let t = find_visible(&ctx.db, actor, key).await?;
    let mut rows = audit_entry::Entity::find()
        .filter(audit_entry::Column::EntityType.eq("ticket"))
        .filter(audit_entry::Column::EntityId.eq(t.id))
        .order_by_asc(audit_entry::Column::Id)
        .all(&ctx.db)
        .await?;
    if !actor.is_staff() {
        rows.retain(|a| !(a.action == "comment_added" && a.new_value.as_deref() == Some("internal")));
    }
    let actors: Vec<i64> = rows.iter().filter_map(|a| a.actor_id).collect();
    let names = user_names(&ctx.db, actors.into_iter()).await?;
    Ok(rows
        .into_iter()
        .map(|a| AuditView {
            at: a.at,
            actor_name: a.actor_id.and_then(|id| names.get(&id).cloned()),
            action: a.action,
            field: a.field,
            old_value: a.old_value,
            new_value: a.new_value,
        })
        .collect())
}
