//! `/api/v1/cis`: configuration items (lookups for staff, changes for admins), their ticket
//! history, their relationships, impact analysis and the map around them.

use super::{body, ApiActor, ApiError, ErrorResponse};
use crate::ServerState;
use app::dto::{CiDetail, CiMap, CiPage, ImpactReport, RelationshipList};
use app::services::cmdb::{self, CiFilter, CiInput, RelationshipInput};
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
    /// `printer`, `telephony`, `mobile_device`, `business_service` (empty: any).
    #[param(pattern = "^(server|network_device|application|database|storage|workstation|printer|telephony|mobile_device|business_service)?$")]
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
#[utoipa::path(get, path = "/api/v1/cis", params(CiListParams), responses((status = 200, body = CiPage), (status = 422, body = ErrorResponse), (status = 403, body = ErrorResponse)))]
pub async fn list(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    params: Result<Query<CiListParams>, QueryRejection>,
) -> Result<Json<CiPage>, ApiError> {
    let p = query(params)?;
    let filter = CiFilter { q: p.q, class: p.class, status: p.status, limit: p.limit, offset: p.offset };
    Ok(Json(cmdb::list_cis(&state.ctx, &actor, &filter).await?))
}

/// One CI by id or name, with its open-ticket count and latest tickets (staff).
#[utoipa::path(get, path = "/api/v1/cis/{id}", params(("id" = String, Path, description = "Id or name")),
    responses((status = 200, body = CiDetail), (status = 404, body = ErrorResponse), (status = 403, body = ErrorResponse)))]
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
    responses((status = 200, body = CiDetail), (status = 409, body = ErrorResponse), (status = 422, body = ErrorResponse), (status = 404, body = ErrorResponse), (status = 403, body = ErrorResponse)))]
pub async fn update(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
    json: Result<Json<CiRequest>, JsonRejection>,
) -> Result<Json<CiDetail>, ApiError> {
    let r = body(json)?;
    Ok(Json(cmdb::save_ci(&state.ctx, &actor, Some(id), r.into()).await?))
}

/// Body of a new relationship.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RelationshipRequest {
    /// Type read from this CI: `depends_on`, `used_by`, `runs_on`, `runs`, `hosted_on`, `hosts`,
    /// `contains`, `part_of`, `connected_to`.
    #[serde(rename = "type", default)]
    #[schema(pattern = "^(depends_on|used_by|runs_on|runs|hosted_on|hosts|contains|part_of|connected_to)$")]
    pub rel_type: String,
    /// The other CI, by id or name.
    #[serde(default)]
    #[schema(min_length = 1)]
    pub target: String,
    /// Puts the relationship in this redundancy set of this CI (created if new; only for
    /// `depends_on`, `runs_on`, `hosted_on`, `contains`).
    #[schema(max_length = 60)]
    pub redundancy_set: Option<String>,
    /// The set's "at least k of n must be up" (default: kept, or 1 for a new set); at most the
    /// set's members.
    #[schema(minimum = 1)]
    pub min_up: Option<i64>,
    /// The CI's version you read; 409 if it moved on.
    pub version: Option<i32>,
}

/// Query of a relationship removal.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RemoveParams {
    /// The CI's version you read; 409 if it moved on.
    pub version: Option<i32>,
}

/// Query of an impact analysis.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImpactParams {
    /// `up` (default): what is affected if this CI fails; `down`: what it needs.
    #[param(pattern = "^(up|down)?$")]
    pub direction: Option<String>,
    /// Hops (default 5, at most 10).
    #[param(minimum = 1, maximum = 10)]
    pub depth: Option<i64>,
}

/// Query of a map.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MapParams {
    /// Hops around the CI (default 2, at most 10; at most 300 CIs are shown).
    #[param(minimum = 1, maximum = 10)]
    pub depth: Option<i64>,
}

fn query<T>(q: Result<Query<T>, QueryRejection>) -> Result<T, ApiError> {
    q.map(|Query(v)| v).map_err(|e| ApiError(AppError::BadRequest(e.body_text())))
}

/// A CI's relationships, read from that CI, and its redundancy sets (staff).
#[utoipa::path(get, path = "/api/v1/cis/{id}/relationships", params(("id" = String, Path, description = "Id or name")),
    responses((status = 200, body = RelationshipList), (status = 404, body = ErrorResponse), (status = 403, body = ErrorResponse)))]
pub async fn relationships(State(state): State<ServerState>, ApiActor(actor): ApiActor, Path(id): Path<String>) -> Result<Json<RelationshipList>, ApiError> {
    Ok(Json(cmdb::list_relationships(&state.ctx, &actor, &id).await?))
}

/// Relate this CI to another (admins): audited on both CIs, both versions move on.
#[utoipa::path(post, path = "/api/v1/cis/{id}/relationships", request_body = RelationshipRequest, params(("id" = String, Path, description = "Id or name")),
    responses((status = 201, body = RelationshipList), (status = 404, body = ErrorResponse), (status = 409, body = ErrorResponse), (status = 422, body = ErrorResponse), (status = 403, body = ErrorResponse)))]
pub async fn relate(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
    json: Result<Json<RelationshipRequest>, JsonRejection>,
) -> Result<(StatusCode, Json<RelationshipList>), ApiError> {
    let r = body(json)?;
    let input = RelationshipInput { rel_type: r.rel_type, target: r.target, redundancy_set: r.redundancy_set, min_up: r.min_up, expected_version: r.version };
    Ok((StatusCode::CREATED, Json(cmdb::add_relationship(&state.ctx, &actor, &id, input).await?)))
}

/// Remove one of this CI's relationships (admins).
#[utoipa::path(delete, path = "/api/v1/cis/{id}/relationships/{relationship_id}",
    params(("id" = String, Path, description = "Id or name"), ("relationship_id" = i64, Path, description = "Relationship id"), RemoveParams),
    responses((status = 200, body = RelationshipList), (status = 404, body = ErrorResponse), (status = 409, body = ErrorResponse), (status = 403, body = ErrorResponse)))]
pub async fn unrelate(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    Path((id, relationship_id)): Path<(String, i64)>,
    params: Result<Query<RemoveParams>, QueryRejection>,
) -> Result<Json<RelationshipList>, ApiError> {
    let p = query(params)?;
    Ok(Json(cmdb::remove_relationship(&state.ctx, &actor, &id, relationship_id, p.version).await?))
}

/// Impact analysis (staff): the CIs and business services affected if this CI fails (`up`) or
/// that it needs (`down`), each with its path, status and open incidents; redundancy sets that
/// held are listed.
#[utoipa::path(get, path = "/api/v1/cis/{id}/impact", params(("id" = String, Path, description = "Id or name"), ImpactParams),
    responses((status = 200, body = ImpactReport), (status = 404, body = ErrorResponse), (status = 422, body = ErrorResponse), (status = 403, body = ErrorResponse)))]
pub async fn impact(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
    params: Result<Query<ImpactParams>, QueryRejection>,
) -> Result<Json<ImpactReport>, ApiError> {
    let p = query(params)?;
    Ok(Json(cmdb::impact(&state.ctx, &actor, &id, p.direction.as_deref(), p.depth).await?))
}

/// The CIs around this one (any relationship, either way) and the relationships between them
/// (staff).
#[utoipa::path(get, path = "/api/v1/cis/{id}/map", params(("id" = String, Path, description = "Id or name"), MapParams),
    responses((status = 200, body = CiMap), (status = 404, body = ErrorResponse), (status = 422, body = ErrorResponse), (status = 403, body = ErrorResponse)))]
pub async fn map(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
    params: Result<Query<MapParams>, QueryRejection>,
) -> Result<Json<CiMap>, ApiError> {
    let p = query(params)?;
    Ok(Json(cmdb::map(&state.ctx, &actor, &id, p.depth).await?))
}
