//! `/api/v1/tickets` handlers.

use super::{ApiActor, ApiError, ErrorResponse};
use crate::ServerState;
use app::domain::{LinkKind, TicketType};
use app::dto::{AuditView, CommentView, NotificationView, TicketDetail, TicketPage, TimeEntryView};
use app::services::tickets::{self, NewTicket, TicketFilter, TicketPatch};
use app::AppError;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Deserializer};
use utoipa::{IntoParams, ToSchema};

use super::body;

/// Body of `POST /api/v1/tickets`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateTicketRequest {
    /// `incident` (default), `service_request`, `problem` or `change`.
    #[serde(rename = "type", default)]
    pub ticket_type: Option<String>,
    /// One-line summary (required, at most 200 characters).
    #[serde(default)]
    pub title: String,
    /// Details.
    #[serde(default)]
    pub description: String,
    /// `high`, `medium` or `low`.
    #[serde(default)]
    pub impact: String,
    /// `high`, `medium` or `low`.
    #[serde(default)]
    pub urgency: String,
    /// Staff only: raise on behalf of this user.
    pub requester_id: Option<i64>,
    /// Business service id.
    pub service_id: Option<i64>,
    /// Category id.
    pub category_id: Option<i64>,
    /// Name of the affected configuration item (e.g. `VPN-GW-01`); the ticket goes to its
    /// support group and, without `service_id`, its service.
    pub ci: Option<String>,
}

/// Raise a ticket.
#[utoipa::path(post, path = "/api/v1/tickets", request_body = CreateTicketRequest,
    responses((status = 201, body = TicketDetail), (status = 422, body = ErrorResponse), (status = 401, body = ErrorResponse)))]
pub async fn create(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    json: Result<Json<CreateTicketRequest>, JsonRejection>,
) -> Result<(StatusCode, Json<TicketDetail>), ApiError> {
    let req = body(json)?;
    let ticket_type = match req.ticket_type.as_deref() {
        None | Some("") => TicketType::Incident,
        Some(t) => TicketType::parse(t).map_err(AppError::from)?,
    };
    let input = NewTicket {
        ticket_type,
        title: req.title,
        description: req.description,
        impact: req.impact,
        urgency: req.urgency,
        requester_id: req.requester_id,
        service_id: req.service_id,
        category_id: req.category_id,
        ci: req.ci,
    };
    let t = tickets::create_ticket(&state.ctx, &actor, input).await?;
    Ok((StatusCode::CREATED, Json(t)))
}

/// Query of `GET /api/v1/tickets`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Comma-separated states, or `open`.
    #[param(pattern = "^(open|((new|in_progress|on_hold|resolved|closed|canceled)(,(new|in_progress|on_hold|resolved|closed|canceled))*))?$")]
    pub state: Option<String>,
    /// `me`, `none` or a user id.
    #[param(pattern = "^(me|none|[0-9]{1,18})?$")]
    pub assignee: Option<String>,
    /// Text in the title, or a ticket number.
    pub q: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// Rows to skip.
    #[param(minimum = 0, maximum = 9223372036854775807_u64)]
    pub offset: Option<u64>,
    /// `mine` (your groups), `none`, or a group id.
    #[param(pattern = "^(mine|none|[0-9]{1,18})?$")]
    pub group: Option<String>,
    /// Comma-separated priorities, e.g. `1,2`.
    #[param(pattern = "^([1-5](,[1-5])*)?$")]
    pub priority: Option<String>,
    /// Category id.
    #[param(pattern = "^([0-9]{1,18})?$")]
    pub category: Option<String>,
    /// `breaching`: an SLA target due within the hour or already breached.
    #[param(pattern = "^(breaching)?$")]
    pub sla: Option<String>,
    /// Only tickets changed in the last N hours (1 to a year).
    #[param(minimum = 1, maximum = 8760)]
    pub updated: Option<i64>,
    /// `updated` (default), `created`, `priority` or `sla`.
    #[param(pattern = "^(updated|created|priority|sla)?$")]
    pub sort: Option<String>,
}

/// List tickets visible to the caller, most recently updated first.
#[utoipa::path(get, path = "/api/v1/tickets", params(ListParams),
    responses((status = 200, body = TicketPage), (status = 422, body = ErrorResponse)))]
pub async fn list(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    query: Result<Query<ListParams>, QueryRejection>,
) -> Result<Json<TicketPage>, ApiError> {
    let Query(p) = query.map_err(|e| ApiError(AppError::BadRequest(e.body_text())))?;
    let filter = TicketFilter {
        state: p.state,
        assignee: p.assignee,
        q: p.q,
        group: p.group,
        priority: p.priority,
        category: p.category,
        sla: p.sla,
        updated_hours: p.updated,
        sort: p.sort,
        limit: p.limit,
        offset: p.offset,
    };
    Ok(Json(tickets::list_tickets(&state.ctx, &actor, filter).await?))
}

/// Get one ticket by id or number (e.g. `42` or `INC-000042`).
#[utoipa::path(get, path = "/api/v1/tickets/{id}", params(("id" = String, Path, description = "Id or number")),
    responses((status = 200, body = TicketDetail), (status = 404, body = ErrorResponse)))]
pub async fn get_one(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
) -> Result<Json<TicketDetail>, ApiError> {
    Ok(Json(tickets::get_ticket(&state.ctx, &actor, &id).await?))
}

fn double_option<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// Body of `PATCH /api/v1/tickets/{id}`: only the fields present change.
#[derive(Debug, Deserialize, ToSchema, Default)]
pub struct UpdateTicketRequest {
    /// New state: `in_progress`, `on_hold`, `resolved`, `closed`, `canceled`.
    pub state: Option<String>,
    /// Agent id, or `null` to unassign.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    pub assignee_id: Option<Option<i64>>,
    /// Group id, or `null` to clear.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    pub group_id: Option<Option<i64>>,
    /// Name of the affected configuration item, or `null` to clear.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub ci: Option<Option<String>>,
    /// `high`, `medium` or `low`.
    pub impact: Option<String>,
    /// `high`, `medium` or `low`.
    pub urgency: Option<String>,
    /// New title.
    pub title: Option<String>,
    /// New description.
    pub description: Option<String>,
    /// Required with `state: resolved`.
    pub resolution_code: Option<String>,
    /// Required with `state: resolved`.
    pub resolution_note: Option<String>,
    /// Required with `state: on_hold`: `awaiting_caller`, `awaiting_change`, `awaiting_problem`, `awaiting_vendor`.
    pub on_hold_reason: Option<String>,
    /// Manual priority 1–5 (with `priority_reason`), or `"auto"` to follow the matrix again.
    #[serde(default, deserialize_with = "string_or_number")]
    #[schema(value_type = Option<String>)]
    pub priority: Option<String>,
    /// Why the priority is set by hand.
    pub priority_reason: Option<String>,
    /// The version you read; the change is refused with 409 if the ticket moved on.
    pub version: Option<i32>,
}

/// Accepts `"3"`, `3` or `"auto"`.
pub(super) fn string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Option::<serde_json::Value>::deserialize(d)? {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => Some(s),
        Some(other) => Some(other.to_string()),
    })
}

/// Change a ticket (agents and admins).
#[utoipa::path(patch, path = "/api/v1/tickets/{id}", request_body = UpdateTicketRequest,
    params(("id" = String, Path, description = "Id or number")),
    responses((status = 200, body = TicketDetail), (status = 409, body = ErrorResponse), (status = 422, body = ErrorResponse), (status = 403, body = ErrorResponse)))]
pub async fn update(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
    json: Result<Json<UpdateTicketRequest>, JsonRejection>,
) -> Result<Json<TicketDetail>, ApiError> {
    let r = body(json)?;
    let patch = TicketPatch {
        state: r.state,
        assignee_id: r.assignee_id,
        group_id: r.group_id,
        ci: r.ci,
        impact: r.impact,
        urgency: r.urgency,
        title: r.title,
        description: r.description,
        resolution_code: r.resolution_code,
        resolution_note: r.resolution_note,
        on_hold_reason: r.on_hold_reason,
        priority: r.priority,
        priority_reason: r.priority_reason,
        expected_version: r.version,
    };
    Ok(Json(tickets::update_ticket(&state.ctx, &actor, &id, patch).await?))
}

/// Body of `POST /api/v1/tickets/{id}/comments`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CommentRequest {
    /// Text of the reply or note.
    #[serde(default)]
    pub body: String,
    /// `true` for an internal note (agents only; never shown to requesters).
    #[serde(default)]
    pub internal: bool,
}

/// Add a public reply or an internal note.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/comments", request_body = CommentRequest,
    params(("id" = String, Path, description = "Id or number")),
    responses((status = 201, body = CommentView), (status = 403, body = ErrorResponse), (status = 422, body = ErrorResponse)))]
pub async fn comment(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
    json: Result<Json<CommentRequest>, JsonRejection>,
) -> Result<(StatusCode, Json<CommentView>), ApiError> {
    let r = body(json)?;
    let c = tickets::add_comment(&state.ctx, &actor, &id, &r.body, r.internal).await?;
    Ok((StatusCode::CREATED, Json(c)))
}

/// The ticket's audit trail, oldest first.
#[utoipa::path(get, path = "/api/v1/tickets/{id}/history", params(("id" = String, Path, description = "Id or number")),
    responses((status = 200, body = Vec<AuditView>), (status = 404, body = ErrorResponse)))]
pub async fn history(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
) -> Result<Json<Vec<AuditView>>, ApiError> {
    Ok(Json(tickets::history(&state.ctx, &actor, &id).await?))
}

/// Body of `POST /api/v1/tickets/{id}/links`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct LinkRequest {
    /// `child_of` (this ticket becomes a child of `target`) or `duplicate_of` (resolved as a duplicate of `target`).
    #[serde(default)]
    pub kind: String,
    /// Number or id of the other ticket.
    #[serde(default)]
    pub target: String,
}

/// Link this ticket to a major incident or mark it a duplicate.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/links", request_body = LinkRequest,
    params(("id" = String, Path, description = "Id or number")),
    responses((status = 204, description = "Linked"), (status = 422, body = ErrorResponse)))]
pub async fn link(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
    json: Result<Json<LinkRequest>, JsonRejection>,
) -> Result<StatusCode, ApiError> {
    let r = body(json)?;
    match LinkKind::parse(&r.kind).map_err(AppError::from)? {
        LinkKind::ChildOf => tickets::link_child(&state.ctx, &actor, &id, &r.target).await?,
        LinkKind::DuplicateOf => tickets::mark_duplicate(&state.ctx, &actor, &id, &r.target).await?,
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Detach this ticket from its major incident.
#[utoipa::path(delete, path = "/api/v1/tickets/{id}/parent", params(("id" = String, Path, description = "Id or number")),
    responses((status = 204, description = "Unlinked"), (status = 422, body = ErrorResponse)))]
pub async fn unlink_parent(State(state): State<ServerState>, ApiActor(actor): ApiActor, Path(id): Path<String>) -> Result<StatusCode, ApiError> {
    tickets::unlink_child(&state.ctx, &actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Body of `POST /api/v1/tickets/{id}/escalate`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct EscalateRequest {
    /// Why.
    #[serde(default)]
    pub reason: String,
}

/// Functional escalation to the next support tier.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/escalate", request_body = EscalateRequest,
    params(("id" = String, Path, description = "Id or number")),
    responses((status = 200, description = "New group: {\"group\": name}"), (status = 422, body = ErrorResponse)))]
pub async fn escalate(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
    json: Result<Json<EscalateRequest>, JsonRejection>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let r = body(json)?;
    let group = tickets::escalate(&state.ctx, &actor, &id, &r.reason).await?;
    Ok(Json(serde_json::json!({ "group": group })))
}

/// Body of `POST /api/v1/tickets/{id}/notify-manager`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NotifyManagerRequest {
    /// What the manager should know.
    #[serde(default)]
    pub message: String,
}

/// Hierarchical escalation: notify the ticket group's manager.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/notify-manager", request_body = NotifyManagerRequest,
    params(("id" = String, Path, description = "Id or number")),
    responses((status = 204, description = "Notified"), (status = 422, body = ErrorResponse)))]
pub async fn notify_manager(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
    json: Result<Json<NotifyManagerRequest>, JsonRejection>,
) -> Result<StatusCode, ApiError> {
    let r = body(json)?;
    tickets::notify_manager(&state.ctx, &actor, &id, &r.message).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Body of `POST /api/v1/tickets/{id}/time`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TimeRequest {
    /// Minutes spent, 1–1440.
    #[serde(default, deserialize_with = "string_or_number")]
    #[schema(value_type = i32)]
    pub minutes: Option<String>,
    /// What was done.
    #[serde(default)]
    pub note: String,
}

/// Log time spent on a ticket (agents).
#[utoipa::path(post, path = "/api/v1/tickets/{id}/time", request_body = TimeRequest,
    params(("id" = String, Path, description = "Id or number")),
    responses((status = 201, body = TimeEntryView), (status = 422, body = ErrorResponse)))]
pub async fn log_time(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
    json: Result<Json<TimeRequest>, JsonRejection>,
) -> Result<(StatusCode, Json<TimeEntryView>), ApiError> {
    let r = body(json)?;
    let entry = tickets::add_time_entry(&state.ctx, &actor, &id, r.minutes.as_deref().unwrap_or(""), &r.note).await?;
    Ok((StatusCode::CREATED, Json(entry)))
}

/// The caller's notifications, newest first.
#[utoipa::path(get, path = "/api/v1/notifications", responses((status = 200, body = Vec<NotificationView>)))]
pub async fn notifications(State(state): State<ServerState>, ApiActor(actor): ApiActor) -> Result<Json<Vec<NotificationView>>, ApiError> {
    Ok(Json(tickets::my_notifications(&state.ctx, &actor).await?))
}

/// The ticket's SLA clocks: policy, target, elapsed and remaining business minutes, due and
/// warning instants, and every start/pause/resume/stop segment (agents).
#[utoipa::path(get, path = "/api/v1/tickets/{id}/sla", params(("id" = String, Path, description = "Id or number")),
    responses((status = 200, description = "SLA clocks"), (status = 404, body = ErrorResponse), (status = 403, body = ErrorResponse)))]
pub async fn sla(State(state): State<ServerState>, ApiActor(actor): ApiActor, Path(id): Path<String>) -> Result<Json<Vec<app::dto::SlaClockView>>, ApiError> {
    if !actor.is_staff() {
        return Err(AppError::Forbidden.into());
    }
    Ok(Json(tickets::get_ticket(&state.ctx, &actor, &id).await?.sla))
}

/// Context for agents: the requester's recent tickets, recent incidents on the same service,
/// similar tickets (full-text) and matching knowledge articles.
#[utoipa::path(get, path = "/api/v1/tickets/{id}/context", params(("id" = String, Path, description = "Id or number")),
    responses((status = 200, body = app::dto::TicketContextView), (status = 404, body = ErrorResponse), (status = 403, body = ErrorResponse)))]
pub async fn context(State(state): State<ServerState>, ApiActor(actor): ApiActor, Path(id): Path<String>) -> Result<Json<app::dto::TicketContextView>, ApiError> {
    Ok(Json(app::services::tickets::context(&state.ctx, &actor, &id).await?))
}

/// Body of a bulk action.
#[derive(Debug, Deserialize, ToSchema)]
pub struct BulkRequest {
    /// Ticket numbers or ids (at most 200).
    #[serde(default)]
    pub tickets: Vec<String>,
    /// `assign_me`, `assign`, `group`, `state`, `merge` or `comment`.
    #[serde(default)]
    pub action: String,
    /// User id (`assign`), group id (`group`), original ticket (`merge`).
    pub target: Option<String>,
    /// New state (`state`), with `on_hold_reason` or `resolution_code` + `resolution_note`.
    pub state: Option<String>,
    /// On-hold reason.
    pub on_hold_reason: Option<String>,
    /// Resolution code.
    pub resolution_code: Option<String>,
    /// Resolution note.
    pub resolution_note: Option<String>,
    /// Reply or note (`comment`).
    pub body: Option<String>,
    /// Internal note (`comment`).
    #[serde(default)]
    pub internal: bool,
}

/// Apply one action to many tickets; each outcome is reported (one refusal does not stop the rest).
#[utoipa::path(post, path = "/api/v1/tickets/bulk", request_body = BulkRequest,
    responses((status = 200, body = Vec<app::dto::BulkResult>), (status = 422, body = ErrorResponse)))]
pub async fn bulk(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    json: Result<Json<BulkRequest>, JsonRejection>,
) -> Result<Json<Vec<app::dto::BulkResult>>, ApiError> {
    use app::services::tickets::BulkAction;
    let r = body(json)?;
    let id = |raw: Option<&str>| app::api::support::optional_id("target", raw);
    let action = match r.action.as_str() {
        "assign_me" => BulkAction::AssignToMe,
        "assign" => BulkAction::Assign(id(r.target.as_deref())?),
        "group" => BulkAction::Group(id(r.target.as_deref())?),
        "state" => BulkAction::State(TicketPatch {
            state: r.state,
            on_hold_reason: r.on_hold_reason,
            resolution_code: r.resolution_code,
            resolution_note: r.resolution_note,
            ..Default::default()
        }),
        "merge" => BulkAction::MergeInto(r.target.unwrap_or_default()),
        "comment" => BulkAction::Comment { body: r.body.unwrap_or_default(), internal: r.internal },
        _ => return Err(AppError::field("action", "One of assign_me, assign, group, state, merge, comment").into()),
    };
    Ok(Json(tickets::bulk_update(&state.ctx, &actor, &r.tickets, action).await?))
}

/// Body of applying a macro.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MacroRequest {
    /// Macro id.
    pub macro_id: i64,
}

/// Apply an admin-defined macro (canned reply + state change) to a ticket.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/macro", request_body = MacroRequest, params(("id" = String, Path, description = "Id or number")),
    responses((status = 204, description = "Applied"), (status = 422, body = ErrorResponse)))]
pub async fn apply_macro(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
    json: Result<Json<MacroRequest>, JsonRejection>,
) -> Result<StatusCode, ApiError> {
    let r = body(json)?;
    app::services::macros::apply_macro(&state.ctx, &actor, &id, r.macro_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Macros agents may apply (admins: all).
#[utoipa::path(get, path = "/api/v1/macros", responses((status = 200, body = Vec<app::dto::MacroView>)))]
pub async fn macros(State(state): State<ServerState>, ApiActor(actor): ApiActor) -> Result<Json<Vec<app::dto::MacroView>>, ApiError> {
    Ok(Json(app::services::macros::list_macros(&state.ctx, &actor).await?))
}
