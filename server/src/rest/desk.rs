//! `/api/v1/desk` and `/api/v1/groups`: desk configuration and assignment groups (admin writes).

use super::tickets::string_or_number;
use super::{ApiActor, ApiError, ErrorResponse};
use crate::ServerState;
use app::dto::{DeskConfigView, GroupView};
use app::services::{desk, users};
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

use super::body;

/// Priority matrix, settings and resolution codes.
#[utoipa::path(get, path = "/api/v1/desk", responses((status = 200, body = DeskConfigView)))]
pub async fn get_config(State(state): State<ServerState>, ApiActor(_actor): ApiActor) -> Result<Json<DeskConfigView>, ApiError> {
    Ok(Json(desk::config_view(&state.ctx).await?))
}

/// Replace the priority matrix: `{"high_high": 1, "high_medium": 2, ... "low_low": 5}`.
#[utoipa::path(put, path = "/api/v1/desk/matrix", request_body = BTreeMap<String, u8>,
    responses((status = 200, body = DeskConfigView), (status = 422, body = ErrorResponse), (status = 403, body = ErrorResponse)))]
pub async fn put_matrix(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    json: Result<Json<BTreeMap<String, serde_json::Value>>, JsonRejection>,
) -> Result<Json<DeskConfigView>, ApiError> {
    let cells: Vec<(String, String)> = body(json)?
        .into_iter()
        .map(|(k, v)| (k, v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())))
        .collect();
    Ok(Json(desk::update_matrix(&state.ctx, &actor, &cells).await?))
}

/// Body of `PUT /api/v1/desk/settings`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SettingsRequest {
    /// Days after resolution during which a requester reply reopens.
    #[serde(default, deserialize_with = "string_or_number")]
    #[schema(value_type = u32)]
    pub reopen_window_days: Option<String>,
    /// Days after resolution when tickets close automatically.
    #[serde(default, deserialize_with = "string_or_number")]
    #[schema(value_type = u32)]
    pub auto_close_days: Option<String>,
}

/// Change the reopen window and auto-close delay.
#[utoipa::path(put, path = "/api/v1/desk/settings", request_body = SettingsRequest,
    responses((status = 200, body = DeskConfigView), (status = 422, body = ErrorResponse)))]
pub async fn put_settings(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    json: Result<Json<SettingsRequest>, JsonRejection>,
) -> Result<Json<DeskConfigView>, ApiError> {
    let r = body(json)?;
    let view = desk::update_settings(
        &state.ctx,
        &actor,
        r.reopen_window_days.as_deref().unwrap_or(""),
        r.auto_close_days.as_deref().unwrap_or(""),
    )
    .await?;
    Ok(Json(view))
}

/// Body of `PUT /api/v1/desk/resolution-codes/{code}`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ResolutionCodeRequest {
    /// Label shown to agents.
    #[serde(default)]
    pub label: String,
    /// Offered to agents.
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

/// Add, rename, retire or re-activate a resolution code.
#[utoipa::path(put, path = "/api/v1/desk/resolution-codes/{code}", request_body = ResolutionCodeRequest,
    params(("code" = String, Path, description = "Code, e.g. solved_remotely")),
    responses((status = 200, body = DeskConfigView), (status = 422, body = ErrorResponse)))]
pub async fn put_resolution_code(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    Path(code): Path<String>,
    json: Result<Json<ResolutionCodeRequest>, JsonRejection>,
) -> Result<Json<DeskConfigView>, ApiError> {
    let r = body(json)?;
    Ok(Json(desk::save_resolution_code(&state.ctx, &actor, &code, &r.label, r.active).await?))
}

/// Body of group create/update.
#[derive(Debug, Deserialize, ToSchema)]
pub struct GroupRequest {
    /// Name.
    #[serde(default)]
    pub name: String,
    /// What the group handles.
    #[serde(default)]
    pub description: String,
    /// Tier 1–3.
    #[serde(default, deserialize_with = "string_or_number")]
    #[schema(value_type = i16)]
    pub tier: Option<String>,
    /// Manager's user id.
    pub manager_id: Option<i64>,
    /// Group functional escalation moves tickets to.
    pub escalates_to_id: Option<i64>,
}

impl From<GroupRequest> for users::GroupInput {
    fn from(r: GroupRequest) -> Self {
        Self {
            name: r.name,
            description: r.description,
            tier: r.tier.unwrap_or_default(),
            manager_id: r.manager_id,
            escalates_to_id: r.escalates_to_id,
        }
    }
}

/// Assignment groups with tiers and managers.
#[utoipa::path(get, path = "/api/v1/groups", responses((status = 200, body = Vec<GroupView>)))]
pub async fn list_groups(State(state): State<ServerState>, ApiActor(actor): ApiActor) -> Result<Json<Vec<GroupView>>, ApiError> {
    Ok(Json(users::list_groups(&state.ctx, &actor).await?))
}

/// Create an assignment group.
#[utoipa::path(post, path = "/api/v1/groups", request_body = GroupRequest,
    responses((status = 201, body = GroupView), (status = 422, body = ErrorResponse)))]
pub async fn create_group(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    json: Result<Json<GroupRequest>, JsonRejection>,
) -> Result<(StatusCode, Json<GroupView>), ApiError> {
    let r = body(json)?;
    Ok((StatusCode::CREATED, Json(users::save_group(&state.ctx, &actor, None, r.into()).await?)))
}

/// Update an assignment group.
#[utoipa::path(put, path = "/api/v1/groups/{id}", request_body = GroupRequest, params(("id" = i64, Path, description = "Group id")),
    responses((status = 200, body = GroupView), (status = 422, body = ErrorResponse)))]
pub async fn update_group(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
    json: Result<Json<GroupRequest>, JsonRejection>,
) -> Result<Json<GroupView>, ApiError> {
    let r = body(json)?;
    Ok(Json(users::save_group(&state.ctx, &actor, Some(id), r.into()).await?))
}
