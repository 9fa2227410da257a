//! `/api/v1/cis`: configuration items (lookups for staff, changes for admins) and their ticket
//! history.

use super::{body, ApiActor, ApiError, ErrorResponse};
use crate::ServerState;
use app::dto::{CiDetail, CiPage};
use app::services::cmdb::{self, CiFilter, CiInput};
use app::AppError;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

/// Query of the CI list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CiListParams {
    /// Part of the name (case ignored).
    pub q: Option<String>,
    /// Class: `server`, `network_device`, `application`, `database`, `storage`, `workstation`,
    /// `printer`, `telephony`, `mobile_device` (empty: any).
    #[param(pattern = "^(server|network_device|application|database|storage|workstation|printer|telephony|mobile_device)?$")]
    pub class: Option<String>,
    /// Status: `planned`, `in_service`, `maintenance`, `retired` (empty: any).
    #[param(pattern = "^(planned|in_service|maintenance|retired)?$")]
    pub status: Option<String>,
    /// Page size (default 50, at most 200).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// Rows to skip.
    #[param(minimum = 0, maximum = 9223372036854775807_u64)]
    pub offset: Option<u64>,
}

/// Body of a CI create or change.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CiRequest {
    /// Unique name, e.g. `VPN-GW-01` (2–80 characters).
    #[serde(default)]
    pub name: String,
    /// Class code (see the list's `class`).
    #[serde(default)]
    pub class: String,
    /// Status code (default `in_service`).
    #[serde(default)]
    pub status: String,
    /// Business service id.
    pub service_id: Option<i64>,
    /// Supporting assignment group id (new tickets on the CI go there).
    pub support_group_id: Option<i64>,
    /// Site, room or rack.
    pub location: Option<String>,
    /// Free text.
    #[serde(default)]
    pub description: String,
    /// The version you read (changes only); 409 if the CI moved on.
    pub version: Option<i32>,
}

impl From<CiRequest> for CiInput {
    fn from(r: CiRequest) -> Self {
        CiInput {
            name: r.name,
            class: r.class,
            status: r.status,
            service_id: r.service_id,
            support_group_id: r.support_group_id,
            location: r.location,
            description: r.description,
            expected_version: r.version,
        }
    }
}

/// CIs by name (staff).
#[utoipa::path(get, path = "/api/v1/cis", params(CiListParams), responses((status = 200, body = CiPage), (status = 422, body = ErrorResponse)))]
pub async fn list(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    params: Result<Query<CiListParams>, QueryRejection>,
) -> Result<Json<CiPage>, ApiError> {
    let p = params.map(|Query(v)| v).map_err(|e| ApiError(AppError::BadRequest(e.body_text())))?;
    let filter = CiFilter { q: p.q, class: p.class, status: p.status, limit: p.limit, offset: p.offset };
    Ok(Json(cmdb::list_cis(&state.ctx, &actor, &filter).await?))
}

/// One CI by id or name, with its open-ticket count and latest tickets (staff).
#[utoipa::path(get, path = "/api/v1/cis/{id}", params(("id" = String, Path, description = "Id or name")),
    responses((status = 200, body = CiDetail), (status = 404, body = ErrorResponse)))]
pub async fn get_one(State(state): State<ServerState>, ApiActor(actor): ApiActor, Path(id): Path<String>) -> Result<Json<CiDetail>, ApiError> {
    Ok(Json(cmdb::get_ci(&state.ctx, &actor, &id).await?))
}

/// Register a CI (admins).
#[utoipa::path(post, path = "/api/v1/cis", request_body = CiRequest,
    responses((status = 201, body = CiDetail), (status = 422, body = ErrorResponse), (status = 403, body = ErrorResponse)))]
pub async fn create(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    json: Result<Json<CiRequest>, JsonRejection>,
) -> Result<(StatusCode, Json<CiDetail>), ApiError> {
    let r = body(json)?;
    Ok((StatusCode::CREATED, Json(cmdb::save_ci(&state.ctx, &actor, None, r.into()).await?)))
}

/// Change a CI (admins); every changed field is audited.
#[utoipa::path(put, path = "/api/v1/cis/{id}", request_body = CiRequest, params(("id" = i64, Path, description = "CI id")),
    responses((status = 200, body = CiDetail), (status = 409, body = ErrorResponse), (status = 422, body = ErrorResponse), (status = 404, body = ErrorResponse)))]
pub async fn update(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
    json: Result<Json<CiRequest>, JsonRejection>,
) -> Result<Json<CiDetail>, ApiError> {
    let r = body(json)?;
    Ok(Json(cmdb::save_ci(&state.ctx, &actor, Some(id), r.into()).await?))
}
