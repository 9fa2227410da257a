//! Tickets: create, read, list, change, comment, link, escalate, log time, attach files — every
//! write through one transaction with audit rows and an outbox event; every read filtered by what
//! the actor may see.

mod attachments;
mod bulk;
mod change;
mod comments;
mod create;
mod context;
mod escalation;
mod links;
pub mod queue;
mod time;

pub use attachments::{add_attachment, get_attachment, AttachmentContent, NewAttachment, MAX_ATTACHMENT_BYTES};
pub use bulk::{bulk_update, BulkAction, MAX_BULK};
pub use change::{close_due_resolved, update_ticket};
pub use comments::add_comment;
pub use create::{create_ticket, CreateQueue};
pub(crate) use create::{blank, insert_tickets};
pub(crate) use change::changed_by_someone_else;
pub use context::context;
pub use escalation::{apply_breach_actions, escalate, my_notifications, notify_manager};
pub use links::{link_child, mark_duplicate, unlink_child};
pub use time::add_time_entry;

use super::entities::{
    app_user, assignment_group, attachment, audit_entry, category, service, ticket, ticket_comment, ticket_link,
    time_entry,
};
use super::journal::AuditLine;
use super::authz::require_staff;
use super::{sla, AppContext};
use crate::domain::{
    Actor, Impact, LinkKind, OnHoldReason, TicketNumber, TicketState, TicketType, Urgency,
};
use crate::dto::{
    AttachmentView, AuditView, CommentView, TicketDetail, TicketPage, TicketRef, TicketSummary, TimeEntryView,
};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
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
    /// Name of the configuration item it affects; the ticket goes to that CI's support group.
    pub ci: Option<String>,
}

/// Which tickets to list.
#[derive(Debug, Clone, Default)]
pub struct TicketFilter {
    /// Comma-separated state codes, or `open` for New/In progress/On hold.
    pub state: Option<String>,
    /// `me`, `none`, or a user id.
    pub assignee: Option<String>,
    /// Words in the title (every one, each as a word or the start of one), or a ticket number.
    pub q: Option<String>,
    /// `mine` (the actor's assignment groups), `none`, or a group id.
    pub group: Option<String>,
    /// Comma-separated priorities `1`–`5`.
    pub priority: Option<String>,
    /// Category id.
    pub category: Option<String>,
    /// `breaching`: resolution or response due within the hour, or already breached.
    pub sla: Option<String>,
    /// Only tickets changed in the last N hours.
    pub updated_hours: Option<i64>,
    /// `updated` (default, newest first), `created`, `priority` (most urgent first) or `sla`
    /// (nearest due first).
    pub sort: Option<String>,
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
    /// Name of the configuration item it affects (`Some(None)` clears it).
    pub ci: Option<Option<String>>,
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
    /// Required when putting on hold.
    pub on_hold_reason: Option<String>,
    /// Manual priority `1`–`5` (needs `priority_reason`), or `auto` to follow the matrix again.
    pub priority: Option<String>,
    /// Why the priority was set by hand.
    pub priority_reason: Option<String>,
    /// Refuse the change if the ticket's version is no longer this one.
    pub expected_version: Option<i32>,
}


fn not_found() -> AppError {
    AppError::NotFound("Ticket".into())
}

/// Finds a ticket by id (`42`) or number (`INC-000042`), whoever asks (callers judge visibility).
pub(crate) async fn find_by_key(db: &impl ConnectionTrait, key: &str) -> Result<Option<ticket::Model>, AppError> {
    let key = key.trim();
    if let Ok(id) = key.parse::<i64>() {
        return Ok(ticket::Entity::find_by_id(id).one(db).await?);
    }
    match TicketNumber::parse(key) {
        Ok(number) => Ok(ticket::Entity::find().filter(ticket::Column::Number.eq(number.to_string())).one(db).await?),
        Err(_) => Ok(None),
    }
}

/// Finds a ticket by id (`42`) or number (`INC-000042`) that the actor may see.
pub(crate) async fn find_visible(db: &impl ConnectionTrait, actor: &Actor, key: &str) -> Result<ticket::Model, AppError> {
    match find_by_key(db, key).await? {
        Some(t) if may_see(actor, &t) => Ok(t),
        _ => Err(not_found()),
    }
}

/// Staff see every ticket; requesters only their own, and not the fulfilment tasks of what they
/// ordered (staff work; the request shows their progress).
fn may_see(actor: &Actor, t: &ticket::Model) -> bool {
    actor.is_staff() || (t.requester_id == actor.user_id && t.ticket_type != TicketType::Task.code())
}

fn audit_line<'a>(t: &ticket::Model, actor_id: Option<i64>, action: &'a str, at: DateTime<Utc>) -> AuditLine<'a> {
    AuditLine {
        entity_type: "ticket",
        entity_id: t.id,
        actor_id,
        action,
        field: None,
        old_value: None,
        new_value: None,
        at,
    }
}

/// One ticket with its conversation (internal notes only for staff).
pub async fn get_ticket(ctx: &AppContext, actor: &Actor, key: &str) -> Result<TicketDetail, AppError> {
    let t = find_visible(&ctx.db, actor, key).await?;
    detail(ctx, actor, t).await
}

async fn detail(ctx: &AppContext, actor: &Actor, t: ticket::Model) -> Result<TicketDetail, AppError> {
    let staff = actor.is_staff();
    let mut comments_q = ticket_comment::Entity::find().filter(ticket_comment::Column::TicketId.eq(t.id));
    let mut files_q = attachment::Entity::find()
        .select_only()
        .columns([
            attachment::Column::Id,
            attachment::Column::UploaderId,
            attachment::Column::Filename,
            attachment::Column::ContentType,
            attachment::Column::Size,
            attachment::Column::Internal,
            attachment::Column::CreatedAt,
        ])
        .filter(attachment::Column::TicketId.eq(t.id));
    if !staff {
        comments_q = comments_q.filter(ticket_comment::Column::Internal.eq(false));
        files_q = files_q.filter(attachment::Column::Internal.eq(false));
    }
    let comments = comments_q.order_by_asc(ticket_comment::Column::Id).all(&ctx.db).await?;
    let files: Vec<(i64, i64, String, String, i64, bool, DateTime<Utc>)> =
        files_q.order_by_asc(attachment::Column::Id).into_tuple().all(&ctx.db).await?;
    let times = if staff {
        time_entry::Entity::find().filter(time_entry::Column::TicketId.eq(t.id)).order_by_asc(time_entry::Column::Id).all(&ctx.db).await?
    } else {
        vec![]
    };
    let people: Vec<i64> = comments
        .iter()
        .map(|c| c.author_id)
        .chain(files.iter().map(|f| f.1))
        .chain(times.iter().map(|e| e.agent_id))
        .collect();
    let names = user_names(&ctx.db, people.into_iter()).await?;
    let name = |id: i64| names.get(&id).cloned().unwrap_or_default();
    let links = ticket_link::Entity::find()
        .filter(Condition::any().add(ticket_link::Column::FromTicketId.eq(t.id)).add(ticket_link::Column::ToTicketId.eq(t.id)))
        .order_by_asc(ticket_link::Column::Id)
        .all(&ctx.db)
        .await?;
    let other_ids: Vec<i64> = links.iter().map(|l| if l.from_ticket_id == t.id { l.to_ticket_id } else { l.from_ticket_id }).collect();
    let refs = ticket_refs(&ctx.db, actor, other_ids).await?;
    let linked = |kind: LinkKind, outgoing: bool| -> Vec<TicketRef> {
        links
            .iter()
            .filter(|l| l.kind == kind.code() && (l.from_ticket_id == t.id) == outgoing)
            .filter_map(|l| refs.get(if outgoing { &l.to_ticket_id } else { &l.from_ticket_id }).cloned())
            .collect()
    };
    let parent = linked(LinkKind::ChildOf, true).into_iter().next();
    let children = linked(LinkKind::ChildOf, false);
    let duplicate_of = linked(LinkKind::DuplicateOf, true).into_iter().next();
    let duplicates = linked(LinkKind::DuplicateOf, false);
    let service_name = match t.service_id {
        Some(id) => service::Entity::find_by_id(id).one(&ctx.db).await?.map(|s| s.name),
        None => None,
    };
    let category_name = match t.category_id {
        Some(id) => category::Entity::find_by_id(id).one(&ctx.db).await?.map(|c| c.name),
        None => None,
    };
    let organisation_name = crate::services::organisations::name_of(&ctx.db, t.organisation_id).await?;
    let ci = crate::services::cmdb::ci_ref(&ctx.db, t.ci_id).await?;
    let sla_clocks = if staff { sla::ticket_clocks(ctx, &t).await? } else { vec![] };
    let summary = summaries(&ctx.db, vec![t.clone()], staff).await?.pop().ok_or(AppError::Internal)?;
    Ok(TicketDetail {
        ci,
        parent,
        children,
        duplicate_of,
        duplicates,
        attachments: files
            .into_iter()
            .map(|(id, uploader, filename, content_type, size, internal, created_at)| AttachmentView {
                id,
                filename,
                content_type,
                size,
                uploader_name: name(uploader),
                internal,
                created_at,
            })
            .collect(),
        time_entries: times
            .into_iter()
            .map(|e| TimeEntryView { id: e.id, agent_name: name(e.agent_id), minutes: e.minutes, note: e.note, created_at: e.created_at })
            .collect(),
        comments: comments
            .into_iter()
            .map(|c| CommentView {
                author_name: name(c.author_id),
                id: c.id,
                author_id: c.author_id,
                body: c.body,
                internal: c.internal,
                created_at: c.created_at,
            })
            .collect(),
        ..detail_shell(t, summary, service_name, category_name, organisation_name, sla_clocks, staff)
    })
}

/// A ticket's detail without its conversation, attachments, time entries and links.
fn detail_shell(
    t: ticket::Model,
    summary: TicketSummary,
    service_name: Option<String>,
    category_name: Option<String>,
    organisation_name: Option<String>,
    sla: Vec<crate::dto::SlaClockView>,
    staff: bool,
) -> TicketDetail {
    TicketDetail {
        summary,
        description: t.description,
        service_name,
        category_name,
        organisation_name,
        resolution_code: t.resolution_code,
        resolution_note: t.resolution_note,
        first_response_at: t.first_response_at,
        resolved_at: t.resolved_at,
        reopen_count: t.reopen_count,
        reassignment_count: t.reassignment_count,
        closed_at: t.closed_at,
        on_hold_reason: t.on_hold_reason.as_deref().and_then(|r| OnHoldReason::parse(r).ok()),
        priority_overridden: t.priority_overridden,
        priority_reason: t.priority_reason.filter(|_| staff),
        parent: None,
        children: vec![],
        duplicate_of: None,
        duplicates: vec![],
        ci: None,
        attachments: vec![],
        sla,
        time_entries: vec![],
        comments: vec![],
    }
}

/// References to the tickets `ids` that `actor` may see (a requester's links to other requesters'
/// tickets are left out).
async fn ticket_refs(db: &impl ConnectionTrait, actor: &Actor, ids: Vec<i64>) -> Result<HashMap<i64, TicketRef>, AppError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = ticket::Entity::find().filter(ticket::Column::Id.is_in(ids)).all(db).await?;
    Ok(rows.into_iter().filter(|t| may_see(actor, t)).filter_map(ticket_ref).map(|r| (r.id, r)).collect())
}

/// The short reference to a ticket row (`None` if its stored state is not a known one).
pub(crate) fn ticket_ref(t: ticket::Model) -> Option<TicketRef> {
    Some(TicketRef { state: TicketState::parse(&t.state).ok()?, id: t.id, number: t.number, title: t.title })
}

pub(crate) async fn user_names(db: &impl ConnectionTrait, ids: impl Iterator<Item = i64>) -> Result<HashMap<i64, String>, AppError> {
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
async fn summaries(db: &impl ConnectionTrait, rows: Vec<ticket::Model>, staff: bool) -> Result<Vec<TicketSummary>, AppError> {
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
    rows.into_iter().map(|t| summary_of(t, &names, &groups, staff)).collect()
}

/// One ticket's summary, with the names of its people and group from `names` and `groups`; the
/// SLA due instant only for `staff`.
fn summary_of(t: ticket::Model, names: &HashMap<i64, String>, groups: &HashMap<i64, String>, staff: bool) -> Result<TicketSummary, AppError> {
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
        sla_due_at: t.sla_due_at.filter(|_| staff),
    })
}

/// Lists tickets the actor may see (requesters: only their own), most recently updated first.
pub async fn list_tickets(ctx: &AppContext, actor: &Actor, filter: TicketFilter) -> Result<TicketPage, AppError> {
    let crate::domain::field::Page { limit, offset } = crate::domain::field::Page::parse(filter.limit, filter.offset, 50, 200)?;
    let backend = ctx.db.get_database_backend();
    let reach = queue::title_matches(&ctx.db, &filter).await?;
    let page = ticket::Entity::find().from_raw_sql(backend.build(&queue::page_statement(backend, actor, &filter, reach, limit, offset)?));
    // The count and the page read on two pooled connections at once.
    let ((total, total_capped), rows) =
        tokio::try_join!(queue::count_tickets(&ctx.db, actor, &filter), async { Ok::<_, AppError>(page.all(&ctx.db).await?) })?;
    Ok(TicketPage { tickets: summaries(&ctx.db, rows, actor.is_staff()).await?, total, total_capped })
}

/// Whether an audit line may be shown to the ticket's requester: internal notes and files, time
/// entries, escalation details and override reasons stay with the agents.
/// SLA warnings and breaches too, since requesters do not see the clocks.
fn visible_to_requester(a: &audit_entry::Model) -> bool {
    let internal_comment = a.action == "comment_added" && a.new_value.as_deref() == Some("internal");
    let staff_only_action =
        matches!(a.action.as_str(), "time_logged" | "manager_notified" | "escalated" | "sla_warning" | "sla_breached");
    let staff_only_field = matches!(a.field.as_deref(), Some("internal_attachment" | "priority_reason"));
    !(internal_comment || staff_only_action || staff_only_field)
}

/// Whether an audit line records a link to another ticket (its values are that ticket's number).
fn is_link_line(a: &audit_entry::Model) -> bool {
    matches!(a.action.as_str(), "linked" | "unlinked")
        && matches!(a.field.as_deref(), Some("parent" | "child" | "duplicate_of" | "duplicate"))
}

/// The numbers named by `rows`' link lines that belong to tickets `actor` requested.
async fn own_linked_numbers(db: &impl ConnectionTrait, actor: &Actor, rows: &[audit_entry::Model]) -> Result<HashSet<String>, AppError> {
    let numbers: HashSet<&String> =
        rows.iter().filter(|a| is_link_line(a)).flat_map(|a| a.old_value.iter().chain(&a.new_value)).collect();
    if numbers.is_empty() {
        return Ok(HashSet::new());
    }
    Ok(ticket::Entity::find()
        .select_only()
        .column(ticket::Column::Number)
        .filter(ticket::Column::Number.is_in(numbers.into_iter().cloned()))
        .filter(ticket::Column::RequesterId.eq(actor.user_id))
        .into_tuple::<String>()
        .all(db)
        .await?
        .into_iter()
        .collect())
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
        rows.retain(visible_to_requester);
        let own = own_linked_numbers(&ctx.db, actor, &rows).await?;
        rows.retain(|a| !is_link_line(a) || a.old_value.iter().chain(&a.new_value).all(|n| own.contains(n)));
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
