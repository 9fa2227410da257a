//! REST API v1: bearer-token authentication, JSON in and out, field-level errors, and an
//! OpenAPI document. Handlers call the same services as the server fns.

mod accounts;
mod attachments;
mod auth;
mod assets;
mod catalog;
mod cmdb;
mod cmdb_transfer;
mod desk;
mod error;
mod kb;
mod organisations;
mod sla;
mod tickets;

pub use attachments::{download_with_session, upload_with_session};
pub use auth::{ApiActor, SessionActor};
pub use cmdb_transfer::{export_with_session as cmdb_export_with_session, upload_with_session as cmdb_upload_with_session};
pub use error::{ApiError, CommonErrors, ErrorBody, ErrorResponse};

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
        .route("/tickets/{id}/links", post(tickets::link))
        .route("/tickets/{id}/sla", get(tickets::sla))
        .route("/tickets/{id}/context", get(tickets::context))
        .route("/tickets/bulk", post(tickets::bulk))
        .route("/tickets/{id}/macro", post(tickets::apply_macro))
        .route("/macros", get(tickets::macros))
        .route("/tickets/{id}/parent", axum::routing::delete(tickets::unlink_parent))
        .route("/tickets/{id}/escalate", post(tickets::escalate))
        .route("/tickets/{id}/notify-manager", post(tickets::notify_manager))
        .route("/tickets/{id}/time", post(tickets::log_time))
        .route(
            "/tickets/{id}/attachments",
            post(attachments::upload_api).layer(axum::extract::DefaultBodyLimit::max(attachments::BODY_LIMIT)),
        )
        .route("/attachments/{id}", get(attachments::download_api))
        .route("/notifications", get(tickets::notifications))
        .route("/desk", get(desk::get_config))
        .route("/desk/matrix", axum::routing::put(desk::put_matrix))
        .route("/desk/settings", axum::routing::put(desk::put_settings))
        .route("/desk/resolution-codes/{code}", axum::routing::put(desk::put_resolution_code))
        .route("/groups", get(desk::list_groups).post(desk::create_group))
        .route("/groups/{id}", axum::routing::put(desk::update_group))
        .route("/cis", get(cmdb::list).post(cmdb::create))
        .route("/cis/import", post(cmdb_transfer::import).layer(axum::extract::DefaultBodyLimit::max(app::services::cmdb::transfer::UPLOAD_LIMIT)))
        .route("/cis/export", get(cmdb_transfer::export))
        .route("/cis/{id}", get(cmdb::get_one).put(cmdb::update))
        .route("/cis/{id}/relationships", get(cmdb::relationships).post(cmdb::relate))
        .route("/cis/{id}/relationships/{relationship_id}", axum::routing::delete(cmdb::unrelate))
        .route("/cis/{id}/impact", get(cmdb::impact))
        .route("/cis/{id}/map", get(cmdb::map))
        .route("/cis/{id}/asset", axum::routing::put(assets::put_asset))
        .route("/assets/report", get(assets::report))
        .route("/licences", get(assets::list_licences).post(assets::create_licence))
        .route("/licences/{id}", get(assets::get_licence).put(assets::update_licence))
        .route("/licences/{id}/installations", post(assets::install))
        .route("/licences/{id}/installations/{ci_id}", axum::routing::delete(assets::uninstall))
        .route("/organisations", get(organisations::list).post(organisations::create))
        .route("/organisations/{id}", axum::routing::put(organisations::rename))
        .route("/users/{id}/organisation", axum::routing::put(organisations::place_user))
        .route("/users/{id}/manager", axum::routing::put(organisations::set_manager))
        .route("/users/{id}/active", axum::routing::put(accounts::set_active))
        .route("/users/{id}/password", axum::routing::put(accounts::reset_password))
        .route("/users/{id}/sessions", axum::routing::delete(accounts::revoke_sessions))
        .route("/users/{id}/tokens", get(accounts::list_tokens).post(accounts::issue_token))
        .route("/tokens/{id}", axum::routing::delete(accounts::revoke_token))
        .route("/me/password", post(accounts::change_password))
        .route("/sla/calendars", get(sla::list_calendars).post(sla::create_calendar))
        .route("/sla/calendars/{id}", axum::routing::put(sla::update_calendar))
        .route("/sla/policies", get(sla::list_policies).post(sla::create_policy))
        .route("/sla/policies/{id}", axum::routing::put(sla::update_policy))
        .route("/sla/compliance", get(sla::compliance))
        .route("/kb/search", get(kb::search))
        .route("/kb/articles", get(kb::list).post(kb::create))
        .route("/kb/articles/{number}", get(kb::get_one).put(kb::update))
        .route("/kb/articles/{number}/state", post(kb::change_state))
        .route("/kb/articles/{number}/votes", post(kb::vote))
        .route("/kb/deflection", get(kb::deflection))
        .route("/kb/import", post(kb::import))
        .route("/catalog", get(catalog::browse))
        .route("/catalog/items", get(catalog::list_items).post(catalog::create_item))
        .route("/catalog/items/{id}", get(catalog::get_item).put(catalog::update_item))
        .route("/catalog/items/{id}/form", get(catalog::item_form))
        .route("/requests", get(catalog::mine).post(catalog::submit))
        .route("/requests/{id}", get(catalog::get_request))
        .route("/request-items/{id}/cancel", post(catalog::cancel_item))
        .route("/approvals", get(catalog::my_approvals))
        .route("/approvals/{id}", post(catalog::decide))
        .route("/tasks/{id}/state", axum::routing::put(catalog::move_task))
        .fallback(|| async { ApiError(app::AppError::NotFound("Route".into())) })
        .layer(axum::middleware::from_fn(error::json_errors))
}

/// Body size limit of upload routes.
pub fn attachments_body_limit() -> usize {
    attachments::BODY_LIMIT
}

/// The JSON body, or a 400 naming what could not be decoded (413 when it is over the limit).
pub(crate) fn body<T>(json: Result<Json<T>, axum::extract::rejection::JsonRejection>) -> Result<T, ApiError> {
    json.map(|Json(v)| v).map_err(|e| match e.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError(app::AppError::PayloadTooLarge),
        _ => ApiError(app::AppError::BadRequest(e.body_text())),
    })
}

/// The OpenAPI description of API v1.
#[derive(OpenApi)]
#[openapi(
    info(title = "Oxidesk API", version = "1", description = "IT service management: tickets, comments, audit history, SLAs, knowledge, configuration items, assets and licences, the service catalog with requests, approvals and fulfilment tasks."),
    paths(
        tickets::create, tickets::list, tickets::get_one, tickets::update, tickets::comment, tickets::history,
        tickets::link, tickets::unlink_parent, tickets::escalate, tickets::notify_manager, tickets::log_time,
        tickets::notifications, tickets::sla, tickets::context, tickets::bulk, tickets::apply_macro, tickets::macros, attachments::upload_api, attachments::download_api, desk::get_config,
        desk::put_matrix, desk::put_settings, desk::put_resolution_code, desk::list_groups, desk::create_group,
        desk::update_group, organisations::list, organisations::create, organisations::rename, organisations::place_user, organisations::set_manager, accounts::set_active, accounts::reset_password, accounts::change_password,
        accounts::revoke_sessions, accounts::list_tokens, accounts::issue_token, accounts::revoke_token, cmdb::list, cmdb::get_one, cmdb::create, cmdb::update, cmdb::relationships, cmdb::relate, cmdb::unrelate, cmdb::impact, cmdb::map, assets::put_asset, assets::report, assets::list_licences, assets::create_licence, assets::get_licence, assets::update_licence, assets::install, assets::uninstall, cmdb_transfer::import, cmdb_transfer::export, sla::list_calendars, sla::create_calendar, sla::update_calendar,
        sla::list_policies, sla::create_policy, sla::update_policy, sla::compliance, kb::search, kb::list,
        kb::create, kb::get_one, kb::update, kb::change_state, kb::vote, kb::deflection, kb::import,
        catalog::browse, catalog::item_form, catalog::list_items, catalog::get_item, catalog::create_item, catalog::update_item, catalog::submit, catalog::mine,
        catalog::get_request, catalog::cancel_item, catalog::my_approvals, catalog::decide, catalog::move_task, health
    ),
    components(schemas(
        app::dto::TicketSummary, app::dto::TicketDetail, app::dto::TicketPage, app::dto::CommentView,
        app::dto::AuditView, app::domain::FieldError, ErrorBody, ErrorResponse, tickets::CreateTicketRequest,
        tickets::UpdateTicketRequest, tickets::CommentRequest, tickets::LinkRequest, tickets::EscalateRequest,
        tickets::NotifyManagerRequest, tickets::TimeRequest, app::dto::AttachmentView, app::dto::TimeEntryView,
        app::dto::NotificationView, app::dto::TicketRef, app::dto::DeskConfigView, app::dto::GroupView,
        desk::SettingsRequest, desk::ResolutionCodeRequest, desk::GroupRequest, sla::CalendarRequest,
        sla::PolicyRequest, app::dto::SlaPolicyView, app::dto::ComplianceRow, app::dto::SearchResults,
        app::dto::SearchHit, app::dto::FacetCount, app::dto::ArticleView, app::dto::ArticleSummary,
        app::dto::DeflectionRow, app::dto::ImportReport, app::dto::TicketContextView, app::dto::NearbyIncident, app::dto::BulkResult, app::dto::MacroView, tickets::BulkRequest, tickets::MacroRequest, app::dto::ImportLineError, kb::ArticleRequest,
        kb::StateRequest, kb::VoteRequest, app::dto::OrganisationView, app::dto::UserView, organisations::OrganisationRequest,
        organisations::MembershipRequest, organisations::ManagerRequest, cmdb::CiRequest, app::dto::CiPage, app::dto::CiView, app::dto::CiDetail, app::dto::CiRef, cmdb::RelationshipRequest, app::dto::RelationshipList, app::dto::RelationshipView, app::dto::RedundancyView,
        app::dto::ImpactReport, app::dto::ImpactNode, app::dto::PathStep, app::dto::HeldView, app::dto::CiMap, app::dto::MapEdge, app::dto::CiIncidentStats, app::dto::CategoryCount,
        app::domain::cmdb::impact::Direction, app::dto::TransferReport, app::dto::CsvRowError, app::dto::ImportPreviewRow, app::dto::ImportAction,
        assets::AssetRequest, assets::LicenceRequest, assets::InstallationRequest, app::dto::AssetView, app::dto::LicenceRef, app::dto::LicenceView, app::dto::LicenceDetail, app::dto::LicenceList,
        app::dto::InstallationView, app::dto::ExpiringAsset, app::dto::AssetReport, app::domain::cmdb::AssetLifecycle, app::domain::cmdb::ExpiryKind,
        app::domain::CiClass, app::domain::CiStatus, attachments::UploadForm, app::dto::ApiTokenView, accounts::ActiveRequest,
        accounts::ResetPasswordRequest, accounts::ChangePasswordRequest, accounts::TokenRequest, accounts::IssuedToken,
        accounts::RevokedSessions,
        catalog::CatalogItemRequest, catalog::OrderLineRequest, catalog::OrderRequest, catalog::CancelRequest, catalog::DecisionRequest, catalog::TaskStateRequest,
        app::dto::CatalogItemCard, app::dto::CatalogBrowse, app::dto::CatalogCategory, app::dto::CatalogItemForm, app::dto::CatalogItemAdmin, app::dto::AnswerView,
        app::dto::ApproverView, app::dto::StageView, app::dto::TaskView, app::dto::RequestItemView, app::dto::RequestView, app::dto::RequestList,
        app::dto::PendingApproval, app::dto::ApprovalList, app::domain::catalog::FormDefinition, app::domain::catalog::FormField, app::domain::catalog::FieldKind,
        app::domain::catalog::Condition, app::domain::catalog::Answer, app::domain::catalog::ItemAudience, app::domain::catalog::Approvers,
        app::domain::catalog::StageTemplate, app::domain::catalog::TaskTemplate, app::domain::catalog::ItemState, app::domain::catalog::TaskState,
        app::domain::approval::ApprovalRule, app::domain::approval::Decision, app::domain::approval::ExpiryAction, app::domain::approval::StageOutcome, app::domain::Role
    )),
    modifiers(&BearerAuth, &CommonErrors),
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
