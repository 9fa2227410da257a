//! `/api/v1/organisations`, `/api/v1/users/{id}/organisation` and `/api/v1/users/{id}/manager`:
//! requester organisations and who approves for a person (admin writes).

use super::{body, ApiActor, ApiError, ErrorResponse};
use crate::ServerState;
use app::dto::{OrganisationView, UserView};
use app::services::organisations;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use utoipa::ToSchema;

/// Body of an organisation create or rename.
#[derive(Debug, Deserialize, ToSchema)]
pub struct OrganisationRequest {
    /// Unique name (2–80 characters).
    #[serde(default)]
    pub name: String,
}

/// Body placing a user in an organisation (`null` for none).
#[derive(Debug, Deserialize, ToSchema)]
pub struct MembershipRequest {
    /// Organisation id, or `null`.
    pub organisation_id: Option<i64>,
}

/// Organisations by name with member counts (staff).
#[utoipa::path(get, path = "/api/v1/organisations", responses((status = 200, body = Vec<OrganisationView>)))]
pub async fn list(State(state): State<ServerState>, ApiActor(actor): ApiActor) -> Result<Json<Vec<OrganisationView>>, ApiError> {
    Ok(Json(organisations::list_organisations(&state.ctx, &actor).await?))
}

/// Create an organisation (admins).
#[utoipa::path(post, path = "/api/v1/organisations", request_body = OrganisationRequest,
    responses((status = 201, body = OrganisationView), (status = 422, body = ErrorResponse), (status = 403, body = ErrorResponse)))]
pub async fn create(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    json: Result<Json<OrganisationRequest>, JsonRejection>,
) -> Result<(StatusCode, Json<OrganisationView>), ApiError> {
    let r = body(json)?;
    Ok((StatusCode::CREATED, Json(organisations::save_organisation(&state.ctx, &actor, None, &r.name).await?)))
}

/// Rename an organisation (admins).
#[utoipa::path(put, path = "/api/v1/organisations/{id}", request_body = OrganisationRequest, params(("id" = i64, Path, description = "Organisation id")),
    responses((status = 200, body = OrganisationView), (status = 422, body = ErrorResponse), (status = 404, body = ErrorResponse)))]
pub async fn rename(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
    json: Result<Json<OrganisationRequest>, JsonRejection>,
) -> Result<Json<OrganisationView>, ApiError> {
    let r = body(json)?;
    Ok(Json(organisations::save_organisation(&state.ctx, &actor, Some(id), &r.name).await?))
}

/// Place a user in an organisation, or in none (admins). Tickets raised before keep theirs.
#[utoipa::path(put, path = "/api/v1/users/{id}/organisation", request_body = MembershipRequest, params(("id" = i64, Path, description = "User id")),
    responses((status = 200, body = UserView), (status = 422, body = ErrorResponse), (status = 404, body = ErrorResponse)))]
pub async fn place_user(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
    json: Result<Json<MembershipRequest>, JsonRejection>,
) -> Result<Json<UserView>, ApiError> {
    let r = body(json)?;
    Ok(Json(organisations::set_user_organisation(&state.ctx, &actor, id, r.organisation_id).await?))
}

/// Body of a manager change.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ManagerRequest {
    /// The user who approves what this user orders (none: no manager).
    pub manager_id: Option<i64>,
}

/// Set or clear the manager who approves what a user orders from the catalog (admins).
#[utoipa::path(put, path = "/api/v1/users/{id}/manager", request_body = ManagerRequest, params(("id" = i64, Path, description = "User id")),
    responses((status = 200, body = UserView), (status = 422, body = ErrorResponse), (status = 404, body = ErrorResponse), (status = 403, body = ErrorResponse)))]
pub async fn set_manager(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
    json: Result<Json<ManagerRequest>, JsonRejection>,
) -> Result<Json<UserView>, ApiError> {
    let r = body(json)?;
    Ok(Json(app::services::users::set_manager(&state.ctx, &actor, id, r.manager_id).await?))
}
