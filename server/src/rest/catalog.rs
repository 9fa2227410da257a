//! `/api/v1/catalog`, `/api/v1/requests`, `/api/v1/request-items`, `/api/v1/approvals` and
//! `/api/v1/tasks`: the service catalog, ordering, approving and fulfilling.

use super::{body, ApiActor, ApiError, ErrorResponse};
use crate::ServerState;
use app::domain::catalog::{FormField, ItemAudience, RawAnswers, StageTemplate, TaskTemplate};
use app::dto::{ApprovalList, CatalogBrowse, CatalogItemAdmin, CatalogItemForm, RequestItemView, RequestList, RequestView};
use app::services::catalog::{self, ItemInput, OrderLine, RequestOrder};
use app::AppError;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// The items you may order, by category.
#[utoipa::path(get, path = "/api/v1/catalog", responses((status = 200, body = CatalogBrowse), (status = 401, body = ErrorResponse)))]
pub async fn browse(State(state): State<ServerState>, ApiActor(actor): ApiActor) -> Result<Json<CatalogBrowse>, ApiError> {
    Ok(Json(catalog::browse(&state.ctx, &actor).await?))
}

/// An item's order form: its description, current form version, fields and approval stages.
#[utoipa::path(get, path = "/api/v1/catalog/items/{id}/form", params(("id" = i64, Path, description = "Catalog item id")),
    responses((status = 200, body = CatalogItemForm), (status = 404, body = ErrorResponse)))]
pub async fn item_form(State(state): State<ServerState>, ApiActor(actor): ApiActor, Path(id): Path<i64>) -> Result<Json<CatalogItemForm>, ApiError> {
    Ok(Json(catalog::item_form(&state.ctx, &actor, id).await?))
}

/// Every catalog item with its definition, retired ones too (admins).
#[utoipa::path(get, path = "/api/v1/catalog/items", responses((status = 200, body = [CatalogItemAdmin]), (status = 403, body = ErrorResponse)))]
pub async fn list_items(State(state): State<ServerState>, ApiActor(actor): ApiActor) -> Result<Json<Vec<CatalogItemAdmin>>, ApiError> {
    Ok(Json(catalog::list_items(&state.ctx, &actor).await?))
}

/// One catalog item with its definition (admins).
#[utoipa::path(get, path = "/api/v1/catalog/items/{id}", params(("id" = i64, Path, description = "Catalog item id")),
    responses((status = 200, body = CatalogItemAdmin), (status = 404, body = ErrorResponse), (status = 403, body = ErrorResponse)))]
pub async fn get_item(State(state): State<ServerState>, ApiActor(actor): ApiActor, Path(id): Path<i64>) -> Result<Json<CatalogItemAdmin>, ApiError> {
    Ok(Json(catalog::get_item(&state.ctx, &actor, id).await?))
}

/// Body of a catalog item create or change. A changed form, approval list or task list makes a
/// new definition version; requests keep the version they were made with.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CatalogItemRequest {
    /// 2–120 characters, unique (case ignored).
    #[serde(default)]
    pub name: String,
    /// One line, at most 300 characters.
    #[serde(default)]
    pub summary: String,
    /// Markdown, at most 20,000 characters.
    #[serde(default)]
    pub description: String,
    /// Icon code: 1–32 of `a-z` and `-` (none: `box`).
    #[serde(default)]
    pub icon: String,
    /// Business service.
    pub service_id: Option<i64>,
    /// Category (the portal groups items by it).
    pub category_id: Option<i64>,
    /// Who may order it (none: everyone).
    #[serde(default)]
    pub audience: ItemAudience,
    /// Delivery target: the SLA policy its requested items run under.
    pub sla_policy_id: Option<i64>,
    /// The group that fulfils it (and does tasks without a group of their own).
    pub group_id: Option<i64>,
    /// Orderable (default true; false retires it).
    pub active: Option<bool>,
    /// The form's fields in order (at most 50). Conditions may only look at earlier fields.
    #[serde(default)]
    pub form: Vec<FormField>,
    /// Approval stages in order (at most 5).
    #[serde(default)]
    pub approvals: Vec<StageTemplate>,
    /// Fulfilment tasks (at most 20); the same order runs side by side.
    #[serde(default)]
    pub tasks: Vec<TaskTemplate>,
    /// The version you read (changes only); 409 if the item moved on.
    pub version: Option<i32>,
}

impl From<CatalogItemRequest> for ItemInput {
    fn from(r: CatalogItemRequest) -> Self {
        ItemInput {
            name: r.name,
            summary: r.summary,
            description: r.description,
            icon: r.icon,
            service_id: r.service_id,
            category_id: r.category_id,
            audience: r.audience,
            sla_policy_id: r.sla_policy_id,
            group_id: r.group_id,
            active: r.active.unwrap_or(true),
            form: r.form,
            approvals: r.approvals,
            tasks: r.tasks,
            expected_version: r.version,
        }
    }
}

/// Add a catalog item (admins); every property audited on the item.
#[utoipa::path(post, path = "/api/v1/catalog/items", request_body = CatalogItemRequest,
    responses((status = 201, body = CatalogItemAdmin), (status = 422, body = ErrorResponse), (status = 403, body = ErrorResponse)))]
pub async fn create_item(State(state): State<ServerState>, ApiActor(actor): ApiActor, json: Result<Json<CatalogItemRequest>, JsonRejection>) -> Result<(StatusCode, Json<CatalogItemAdmin>), ApiError> {
    let r = body(json)?;
    Ok((StatusCode::CREATED, Json(catalog::save_item(&state.ctx, &actor, None, r.into()).await?)))
}

/// Change a catalog item (admins).
#[utoipa::path(put, path = "/api/v1/catalog/items/{id}", request_body = CatalogItemRequest, params(("id" = i64, Path, description = "Catalog item id")),
    responses((status = 200, body = CatalogItemAdmin), (status = 409, body = ErrorResponse), (status = 422, body = ErrorResponse), (status = 404, body = ErrorResponse), (status = 403, body = ErrorResponse)))]
pub async fn update_item(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
    json: Result<Json<CatalogItemRequest>, JsonRejection>,
) -> Result<Json<CatalogItemAdmin>, ApiError> {
    let r = body(json)?;
    Ok(Json(catalog::save_item(&state.ctx, &actor, Some(id), r.into()).await?))
}

/// One item of an order.
#[derive(Debug, Deserialize, ToSchema)]
pub struct OrderLineRequest {
    /// The catalog item.
    pub item_id: i64,
    /// The form's answers by field key: text, a number, `true`/`false` for a checkbox, a list of
    /// choices for a multi-select. Answers for fields the form hides are dropped.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub answers: BTreeMap<String, serde_json::Value>,
}

/// Body of an order.
#[derive(Debug, Deserialize, ToSchema)]
pub struct OrderRequest {
    /// Email or login of the person it is for (none: yourself).
    pub requested_for: Option<String>,
    /// The items, 1 to 10; each gets its own approvals, tasks and delivery target.
    #[serde(default)]
    pub items: Vec<OrderLineRequest>,
}

fn raw_answers(n: usize, answers: BTreeMap<String, serde_json::Value>) -> Result<RawAnswers, AppError> {
    let mut raw = RawAnswers::new();
    for (key, value) in answers {
        let scalar = |v: &serde_json::Value| match v {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Bool(b) => Some(b.to_string()),
            serde_json::Value::Number(x) => Some(x.to_string()),
            _ => None,
        };
        let values = match &value {
            serde_json::Value::Null => continue,
            serde_json::Value::Array(list) => list.iter().map(scalar).collect::<Option<Vec<_>>>(),
            v => scalar(v).map(|s| vec![s]),
        };
        let values = values.ok_or_else(|| AppError::field(&format!("items.{n}.answers.{key}"), "Answer with text, a number, true/false or a list of choices"))?;
        raw.insert(key, values);
    }
    Ok(raw)
}

/// Order from the catalog, for yourself or on behalf of someone. Each item is answered against
/// its current form: a required field the form hides is not required, a visible required field
/// left empty is a 422 on `items.N.answers.KEY`. Returns the request with its items (REQ and
/// RITM numbers), their approval stages and tasks.
#[utoipa::path(post, path = "/api/v1/requests", request_body = OrderRequest,
    responses((status = 201, body = RequestView), (status = 422, body = ErrorResponse), (status = 401, body = ErrorResponse)))]
pub async fn submit(State(state): State<ServerState>, ApiActor(actor): ApiActor, json: Result<Json<OrderRequest>, JsonRejection>) -> Result<(StatusCode, Json<RequestView>), ApiError> {
    let r = body(json)?;
    let mut lines = Vec::with_capacity(r.items.len());
    for (n, l) in r.items.into_iter().enumerate() {
        lines.push(OrderLine { item_id: l.item_id, answers: raw_answers(n, l.answers)? });
    }
    let order = RequestOrder { requested_for: r.requested_for.unwrap_or_default(), lines };
    Ok((StatusCode::CREATED, Json(catalog::submit_request(&state.ctx, &actor, order).await?)))
}

/// The requests you ordered, newest first (at most 50), each with its items' progress.
#[utoipa::path(get, path = "/api/v1/requests", responses((status = 200, body = RequestList), (status = 401, body = ErrorResponse)))]
pub async fn mine(State(state): State<ServerState>, ApiActor(actor): ApiActor) -> Result<Json<RequestList>, ApiError> {
    Ok(Json(catalog::my_requests(&state.ctx, &actor).await?))
}

/// A request by its REQ number or id (or one of its items' RITM numbers): yours, or any for staff.
#[utoipa::path(get, path = "/api/v1/requests/{id}", params(("id" = String, Path, description = "REQ or RITM number, or ticket id")),
    responses((status = 200, body = RequestView), (status = 404, body = ErrorResponse)))]
pub async fn get_request(State(state): State<ServerState>, ApiActor(actor): ApiActor, Path(id): Path<String>) -> Result<Json<RequestView>, ApiError> {
    Ok(Json(catalog::get_request(&state.ctx, &actor, &id).await?))
}

/// Body of a cancellation.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CancelRequest {
    /// Why (1–2000 characters).
    #[serde(default)]
    pub reason: String,
}

/// Cancel a requested item: its requester before fulfilment starts, an agent while it is open.
#[utoipa::path(post, path = "/api/v1/request-items/{id}/cancel", request_body = CancelRequest, params(("id" = String, Path, description = "RITM number or ticket id")),
    responses((status = 200, body = RequestItemView), (status = 409, body = ErrorResponse), (status = 422, body = ErrorResponse), (status = 404, body = ErrorResponse)))]
pub async fn cancel_item(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
    json: Result<Json<CancelRequest>, JsonRejection>,
) -> Result<Json<RequestItemView>, ApiError> {
    let r = body(json)?;
    Ok(Json(catalog::cancel_item(&state.ctx, &actor, &id, &r.reason).await?))
}

/// The approvals waiting for your answer (stages asking now), oldest first.
#[utoipa::path(get, path = "/api/v1/approvals", responses((status = 200, body = ApprovalList), (status = 401, body = ErrorResponse)))]
pub async fn my_approvals(State(state): State<ServerState>, ApiActor(actor): ApiActor) -> Result<Json<ApprovalList>, ApiError> {
    Ok(Json(catalog::my_approvals(&state.ctx, &actor).await?))
}

/// Body of an approval decision.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DecisionRequest {
    /// `approved` or `rejected`.
    #[serde(default)]
    pub decision: String,
    /// Required to reject (the requester reads it); at most 2000 characters.
    #[serde(default)]
    pub comment: String,
}

/// Answer an approval that is yours. When the stage's rule is met, the other approvers' pending
/// answers become not required; a rejection closes the item with your reason. Returns the item.
#[utoipa::path(post, path = "/api/v1/approvals/{id}", request_body = DecisionRequest, params(("id" = i64, Path, description = "Approval id")),
    responses((status = 200, body = RequestItemView), (status = 409, body = ErrorResponse), (status = 422, body = ErrorResponse), (status = 404, body = ErrorResponse)))]
pub async fn decide(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
    json: Result<Json<DecisionRequest>, JsonRejection>,
) -> Result<Json<RequestItemView>, ApiError> {
    let r = body(json)?;
    let ticket_id = app::services::approvals::decide(&state.ctx, &actor, id, &r.decision, &r.comment).await?;
    let item = app::services::catalog::fulfilment::item_after_decision(&state.ctx, &actor, ticket_id).await?;
    Ok(Json(item))
}

/// Body of a task move.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TaskStateRequest {
    /// `open`, `in_progress`, `completed` or `canceled`.
    #[serde(default)]
    pub state: String,
    /// A note (required to cancel); at most 5000 characters.
    #[serde(default)]
    pub note: String,
}

/// Move a fulfilment task (agents). The next order's tasks open when every task before them
/// completed; the item is fulfilled when all are, closed incomplete when one is canceled.
/// Returns the item.
#[utoipa::path(put, path = "/api/v1/tasks/{id}/state", request_body = TaskStateRequest, params(("id" = String, Path, description = "TASK number or ticket id")),
    responses((status = 200, body = RequestItemView), (status = 409, body = ErrorResponse), (status = 422, body = ErrorResponse), (status = 404, body = ErrorResponse), (status = 403, body = ErrorResponse)))]
pub async fn move_task(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
    json: Result<Json<TaskStateRequest>, JsonRejection>,
) -> Result<Json<RequestItemView>, ApiError> {
    let r = body(json)?;
    Ok(Json(catalog::update_task(&state.ctx, &actor, &id, &r.state, &r.note).await?))
}
