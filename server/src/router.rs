//! The HTTP surface: Leptos pages and server fns (with the shared context), REST API v1,
//! health, OpenAPI document, static files, and the security middleware around them all.

use crate::{live, rest, security, server_fns, ServerState};
use app::{shell, App};
use axum::routing::get;
use axum::Router;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};

/// Builds the complete router.
pub fn build(state: ServerState) -> Router {
    let routes = generate_route_list(App);
    let ctx = state.ctx.clone();
    let leptos = state.leptos.clone();
    Router::new()
        .route("/health", get(rest::health))
        .route("/api/openapi.json", get(rest::openapi_json))
        .route("/attachments/{id}", get(rest::download_with_session))
        .route("/api/live", get(live::stream))
        .route("/api/live/presence", axum::routing::post(live::presence))
        .route(
            "/tickets/{number}/attachments",
            axum::routing::post(rest::upload_with_session)
                .layer(axum::extract::DefaultBodyLimit::max(rest::attachments_body_limit())),
        )
        .route(
            "/admin/cmdb/import",
            axum::routing::post(rest::cmdb_upload_with_session).layer(axum::extract::DefaultBodyLimit::max(app::services::cmdb::transfer::UPLOAD_LIMIT)),
        )
        .route("/admin/cmdb/export/{file}", get(rest::cmdb_export_with_session))
        .nest("/api/v1", rest::routes())
        .leptos_routes_with_context(&state, routes, move || provide_context(ctx.clone()), move || shell(leptos.clone()))
        .fallback(leptos_axum::file_and_error_handler::<ServerState, _>(shell))
        .layer(axum::middleware::from_fn(server_fns::error_status))
        .layer(axum::middleware::from_fn(server_fns::body_limit))
        .layer(axum::middleware::from_fn(security::csrf_guard))
        .layer(axum::middleware::from_fn_with_state(state.ctx.settings.secure_cookies, security::security_headers))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}
