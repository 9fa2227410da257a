//! REST API v1: bearer-token authentication, JSON in and out, field-level errors, and an
//! OpenAPI document. Handlers call the same services as the server fns.

mod auth;
mod error;
mod tickets;

pub use auth::ApiActor;
pub use error::{ApiError, ErrorBody};

use crate::ServerState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use sea_orm::ConnectionTrait;
use utoipa::OpenApi;

/// `/api/v1` routes.
pub fn routes() -> Router<ServerState> {
    Router::new()
        .route("/tickets", post(tickets::create).get(tickets::list))
        .route("/tickets/{id}", get(tickets::get_one).patch(tickets::update))
        .route("/tickets/{id}/comments", post(tickets::comment))
        .route("/tickets/{id}/history", get(tickets::history))
}

/// The OpenAPI description of API v1.
#[derive(OpenApi)]
#[openapi(
    info(title = "Oxidesk API", version = "1", description = "IT service management: tickets, comments, audit history."),
    paths(tickets::create, tickets::list, tickets::get_one, tickets::update, tickets::comment, tickets::history, health),
    components(schemas(
        app::dto::TicketSummary, app::dto::TicketDetail, app::dto::TicketPage, app::dto::CommentView,
        app::dto::AuditView, app::domain::FieldError, ErrorBody, tickets::CreateTicketRequest,
        tickets::UpdateTicketRequest, tickets::CommentRequest
    )),
    modifiers(&BearerAuth),
    security(("bearer" = []))
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// `GET /api/openapi.json`.
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// Liveness and database reachability.
#[utoipa::path(get, path = "/health", security(()), responses((status = 200, description = "Up"), (status = 503, description = "Database unreachable")))]
pub async fn health(State(state): State<ServerState>) -> (StatusCode, Json<serde_json::Value>) {
    match state.ctx.db.execute_unprepared("SELECT 1").await {
        Ok(_) => (StatusCode::OK, Json(serde_json::json!({ "status": "ok", "database": "ok" }))),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, Json(serde_json::json!({ "status": "degraded", "database": "unreachable" })))
        }
    }
}
