//! Account hygiene: `/api/v1/users/{id}/active|password|sessions|tokens`, `/api/v1/tokens/{id}`
//! and `/api/v1/me/password`.

use super::{body, ApiActor, ApiError, ErrorResponse};
use crate::ServerState;
use app::dto::ApiTokenView;
use app::services::accounts;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Body of `PUT /api/v1/users/{id}/active`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ActiveRequest {
    /// `false` deactivates the user (sign-in refused, sessions ended, tokens stop working);
    /// `true` reactivates them.
    pub active: bool,
}

/// Body of `PUT /api/v1/users/{id}/password`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ResetPasswordRequest {
    /// The new password (at least 8 characters).
    #[schema(min_length = 8)]
    pub password: String,
}

/// Body of `POST /api/v1/me/password`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ChangePasswordRequest {
    /// The password used now.
    pub current_password: String,
    /// The new password (at least 8 characters).
    #[schema(min_length = 8)]
    pub new_password: String,
}

/// Body of `POST /api/v1/users/{id}/tokens`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TokenRequest {
    /// What the token is for (1–100 characters).
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
}

/// A newly issued token: the secret is shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct IssuedToken {
    /// The token as listed from now on.
    pub token: ApiTokenView,
    /// The bearer secret (`oxd_…`).
    pub secret: String,
}

/// How many sessions ended.
#[derive(Debug, Serialize, ToSchema)]
pub struct RevokedSessions {
    /// Sessions ended.
    pub revoked: u64,
}

/// Deactivate or reactivate a user (admins).
#[utoipa::path(put, path = "/api/v1/users/{id}/active", request_body = ActiveRequest, params(("id" = i64, Path, description = "User id")),
    responses((status = 204, description = "Done"), (status = 422, body = ErrorResponse), (status = 403, body = ErrorResponse), (status = 404, body = ErrorResponse)))]
pub async fn set_active(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
    json: Result<Json<ActiveRequest>, JsonRejection>,
) -> Result<StatusCode, ApiError> {
    let r = body(json)?;
    accounts::set_active(&state.ctx, Some(&actor), id, r.active).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Reset a user's password (admins); all of the user's sessions end.
#[utoipa::path(put, path = "/api/v1/users/{id}/password", request_body = ResetPasswordRequest, params(("id" = i64, Path, description = "User id")),
    responses((status = 204, description = "Done"), (status = 422, body = ErrorResponse), (status = 403, body = ErrorResponse), (status = 404, body = ErrorResponse)))]
pub async fn reset_password(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
    json: Result<Json<ResetPasswordRequest>, JsonRejection>,
) -> Result<StatusCode, ApiError> {
    let r = body(json)?;
    accounts::reset_password(&state.ctx, Some(&actor), id, &r.password).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Change your own password; your sessions end (API tokens keep working).
#[utoipa::path(post, path = "/api/v1/me/password", request_body = ChangePasswordRequest,
    responses((status = 204, description = "Done"), (status = 422, body = ErrorResponse), (status = 429, body = ErrorResponse)))]
pub async fn change_password(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    json: Result<Json<ChangePasswordRequest>, JsonRejection>,
) -> Result<StatusCode, ApiError> {
    let r = body(json)?;
    accounts::change_password(&state.ctx, &actor, &r.current_password, &r.new_password, None).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// End every session of a user (the user themself or an admin).
#[utoipa::path(delete, path = "/api/v1/users/{id}/sessions", params(("id" = i64, Path, description = "User id")),
    responses((status = 200, body = RevokedSessions), (status = 403, body = ErrorResponse), (status = 404, body = ErrorResponse)))]
pub async fn revoke_sessions(State(state): State<ServerState>, ApiActor(actor): ApiActor, Path(id): Path<i64>) -> Result<Json<RevokedSessions>, ApiError> {
    Ok(Json(RevokedSessions { revoked: accounts::revoke_sessions(&state.ctx, Some(&actor), id, None).await? }))
}

/// A user's API tokens, newest first (the user themself or an admin).
#[utoipa::path(get, path = "/api/v1/users/{id}/tokens", params(("id" = i64, Path, description = "User id")),
    responses((status = 200, body = Vec<ApiTokenView>), (status = 403, body = ErrorResponse), (status = 404, body = ErrorResponse)))]
pub async fn list_tokens(State(state): State<ServerState>, ApiActor(actor): ApiActor, Path(id): Path<i64>) -> Result<Json<Vec<ApiTokenView>>, ApiError> {
    Ok(Json(accounts::list_tokens(&state.ctx, Some(&actor), id).await?))
}

/// Issue an API token for a user (the user themself or an admin).
#[utoipa::path(post, path = "/api/v1/users/{id}/tokens", request_body = TokenRequest, params(("id" = i64, Path, description = "User id")),
    responses((status = 201, body = IssuedToken), (status = 422, body = ErrorResponse), (status = 403, body = ErrorResponse), (status = 404, body = ErrorResponse)))]
pub async fn issue_token(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
    json: Result<Json<TokenRequest>, JsonRejection>,
) -> Result<(StatusCode, Json<IssuedToken>), ApiError> {
    let r = body(json)?;
    let (token, secret) = accounts::issue_token(&state.ctx, Some(&actor), id, &r.name).await?;
    Ok((StatusCode::CREATED, Json(IssuedToken { token, secret })))
}

/// Revoke an API token (its owner or an admin); it stops working at once on every node.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", params(("id" = i64, Path, description = "Token id")),
    responses((status = 204, description = "Revoked"), (status = 404, body = ErrorResponse)))]
pub async fn revoke_token(State(state): State<ServerState>, ApiActor(actor): ApiActor, Path(id): Path<i64>) -> Result<StatusCode, ApiError> {
    accounts::revoke_token(&state.ctx, Some(&actor), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
