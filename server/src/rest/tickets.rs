//! `/api/v1/tickets` handlers.

use super::{ApiActor, ApiError, ErrorBody};
use crate::ServerState;
use app::domain::TicketType;
use app::dto::{AuditView, CommentView, TicketDetail, TicketPage};
use app::services::tickets::{self, NewTicket, TicketFilter, TicketPatch};
use app::AppError;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Deserializer};
use utoipa::{IntoParams, ToSchema};

fn body<T>(json: Result<Json<T>, JsonRejection>) -> Result<T, ApiError> {
    json.map(|Json(v)| v).map_err(|e| ApiError(AppError::BadRequest(e.body_text())))
}

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
}

/// Raise a ticket.
#[utoipa::path(post, path = "/api/v1/tickets", request_body = CreateTicketRequest,
    responses((status = 201, body = TicketDetail), (status = 422, body = ErrorBody), (status = 401, body = ErrorBody)))]
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
    };
    let t = tickets::create_ticket(&state.ctx, &actor, input).await?;
    Ok((StatusCode::CREATED, Json(t)))
}

/// Query of `GET /api/v1/tickets`.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ListParams {
    /// Comma-separated states, or `open`.
    pub state: Option<String>,
    /// `me`, `none` or a user id.
    pub assignee: Option<String>,
    /// Text in the title, or a ticket number.
    pub q: Option<String>,
    /// Page size, 1–200 (default 50).
    pub limit: Option<u64>,
    /// Rows to skip.
    pub offset: Option<u64>,
}

/// List tickets visible to the caller, most recently updated first.
#[utoipa::path(get, path = "/api/v1/tickets", params(ListParams),
    responses((status = 200, body = TicketPage), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    query: Result<Query<ListParams>, QueryRejection>,
) -> Result<Json<TicketPage>, ApiError> {
    let Query(p) = query.map_err(|e| ApiError(AppError::BadRequest(e.body_text())))?;
    let filter = TicketFilter { state: p.state, assignee: p.assignee, q: p.q, limit: p.limit, offset: p.offset };
    Ok(Json(tickets::list_tickets(&state.ctx, &actor, filter).await?))
}

/// Get one ticket by id or number (e.g. `42` or `INC-000042`).
#[utoipa::path(get, path = "/api/v1/tickets/{id}", params(("id" = String, Path, description = "Id or number")),
    responses((status = 200, body = TicketDetail), (status = 404, body = ErrorBody)))]
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
    /// The version you read; the change is refused with 409 if the ticket moved on.
    pub version: Option<i32>,
}

/// Change a ticket (agents and admins).
#[utoipa::path(patch, path = "/api/v1/tickets/{id}", request_body = UpdateTicketRequest,
    params(("id" = String, Path, description = "Id or number")),
    responses((status = 200, body = TicketDetail), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
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
        impact: r.impact,
        urgency: r.urgency,
        title: r.title,
        description: r.description,
        resolution_code: r.resolution_code,
        resolution_note: r.resolution_note,
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
    responses((status = 201, body = CommentView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
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
    responses((status = 200, body = Vec<AuditView>), (status = 404, body = ErrorBody)))]
pub async fn history(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
) -> Result<Json<Vec<AuditView>>, ApiError> {
    Ok(Json(tickets::history(&state.ctx, &actor, &id).await?))
}
