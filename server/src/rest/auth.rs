//! Bearer-token authentication for the REST API.

use super::ApiError;
use crate::ServerState;
use app::domain::Actor;
use app::services::auth;
use app::AppError;
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

/// The actor behind `Authorization: Bearer <token>`.
pub struct ApiActor(pub Actor);

impl FromRequestParts<ServerState> for ApiActor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &ServerState) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(AppError::Unauthenticated)?;
        let actor = auth::actor_for_token(&state.ctx, token).await?.ok_or(AppError::Unauthenticated)?;
        Ok(Self(actor))
    }
}

/// The actor behind the session cookie (browser routes outside the server fns).
pub struct SessionActor(pub Actor);

impl FromRequestParts<ServerState> for SessionActor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &ServerState) -> Result<Self, Self::Rejection> {
        let secret = parts
            .headers
            .get_all(axum::http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(auth::session_from_cookie_header)
            .ok_or(AppError::Unauthenticated)?;
        let actor = auth::actor_for_session(&state.ctx, secret).await?.ok_or(AppError::Unauthenticated)?;
        Ok(Self(actor))
    }
}
