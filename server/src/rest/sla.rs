//! `/api/v1/sla`: business calendars, policies and compliance.

use super::tickets::string_or_number;
use super::{body, ApiActor, ApiError, ErrorResponse};
use crate::ServerState;
use app::dto::{ComplianceRow, SlaCalendarView, SlaPolicyView};
use app::services::sla::{self, CalendarInput, PolicyInput};
use app::AppError;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

/// Body of calendar create/update.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CalendarRequest {
    /// Name.
    #[serde(default)]
    pub name: String,
    /// IANA time zone, e.g. `Europe/Paris`.
    #[serde(default)]
    pub time_zone: String,
    /// Seven entries, Monday first: `"09:00-13:00, 14:00-18:00"`, `""` for a day off.
    #[serde(default)]
    pub week: Vec<String>,
    /// Holidays: `YYYY-MM-DD` (one day) or `MM-DD` (every year), separated by commas.
    #[serde(default)]
    pub holidays: String,
}

impl CalendarRequest {
    fn into_input(self) -> Result<CalendarInput, AppError> {
        let week: [String; 7] = self
            .week
            .try_into()
            .map_err(|_| AppError::field("week", "Give working hours for all seven days, Monday first"))?;
        Ok(CalendarInput { name: self.name, time_zone: self.time_zone, week, holidays: self.holidays })
    }
}

/// Business calendars.
#[utoipa::path(get, path = "/api/v1/sla/calendars", responses((status = 200, description = "Calendars")))]
pub async fn list_calendars(State(state): State<ServerState>, ApiActor(actor): ApiActor) -> Result<Json<Vec<SlaCalendarView>>, ApiError> {
    Ok(Json(sla::list_calendars(&state.ctx, &actor).await?))
}

/// Create a calendar.
#[utoipa::path(post, path = "/api/v1/sla/calendars", request_body = CalendarRequest,
    responses((status = 201, description = "Created"), (status = 422, body = ErrorResponse)))]
pub async fn create_calendar(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    json: Result<Json<CalendarRequest>, JsonRejection>,
) -> Result<(StatusCode, Json<SlaCalendarView>), ApiError> {
    let input = body(json)?.into_input()?;
    Ok((StatusCode::CREATED, Json(sla::save_calendar(&state.ctx, &actor, None, input).await?)))
}

/// Change a calendar; open tickets' SLA targets are recomputed.
#[utoipa::path(put, path = "/api/v1/sla/calendars/{id}", request_body = CalendarRequest, params(("id" = i64, Path, description = "Calendar id")),
    responses((status = 200, description = "Saved"), (status = 422, body = ErrorResponse)))]
pub async fn update_calendar(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
    json: Result<Json<CalendarRequest>, JsonRejection>,
) -> Result<Json<SlaCalendarView>, ApiError> {
    let input = body(json)?.into_input()?;
    Ok(Json(sla::save_calendar(&state.ctx, &actor, Some(id), input).await?))
}

/// Body of policy create/update.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PolicyRequest {
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Evaluation order (lower first).
    #[serde(default, deserialize_with = "string_or_number")]
    #[schema(value_type = i32)]
    pub position: Option<String>,
    /// Ticket type condition (omit for any).
    pub ticket_type: Option<String>,
    /// Priority condition 1–5 (omit for any).
    #[serde(default, deserialize_with = "string_or_number")]
    #[schema(value_type = Option<u8>)]
    pub priority: Option<String>,
    /// Group condition.
    pub group_id: Option<i64>,
    /// Service condition.
    pub service_id: Option<i64>,
    /// Requester organisation condition.
    pub organisation_id: Option<i64>,
    /// Category condition.
    pub category_id: Option<i64>,
    /// First response target, business minutes.
    #[serde(default, deserialize_with = "string_or_number")]
    #[schema(value_type = i32)]
    pub response_minutes: Option<String>,
    /// Resolution target, business minutes.
    #[serde(default, deserialize_with = "string_or_number")]
    #[schema(value_type = i32)]
    pub resolution_minutes: Option<String>,
    /// Calendar id.
    pub calendar_id: Option<i64>,
    /// Warning threshold in percent (default 75).
    #[serde(default, deserialize_with = "string_or_number")]
    #[schema(value_type = Option<u8>)]
    pub warn_percent: Option<String>,
    /// On-hold reasons that pause the resolution clock.
    #[serde(default)]
    pub pause_reasons: Vec<String>,
    /// Raise priority on breach.
    #[serde(default)]
    pub raise_priority: bool,
    /// Escalate to the next tier on breach.
    #[serde(default)]
    pub escalate: bool,
}

impl From<PolicyRequest> for PolicyInput {
    fn from(r: PolicyRequest) -> Self {
        Self {
            name: r.name,
            position: r.position.unwrap_or_default(),
            ticket_type: r.ticket_type.unwrap_or_default(),
            priority: r.priority.unwrap_or_default(),
            group_id: r.group_id,
            service_id: r.service_id,
            organisation_id: r.organisation_id,
            category_id: r.category_id,
            response_minutes: r.response_minutes.unwrap_or_default(),
            resolution_minutes: r.resolution_minutes.unwrap_or_default(),
            calendar_id: r.calendar_id,
            warn_percent: r.warn_percent.unwrap_or_else(|| "75".into()),
            pause_reasons: r.pause_reasons,
            raise_priority: r.raise_priority,
            escalate: r.escalate,
        }
    }
}

/// Policies in evaluation order.
#[utoipa::path(get, path = "/api/v1/sla/policies", responses((status = 200, body = Vec<SlaPolicyView>)))]
pub async fn list_policies(State(state): State<ServerState>, ApiActor(actor): ApiActor) -> Result<Json<Vec<SlaPolicyView>>, ApiError> {
    Ok(Json(sla::list_policies(&state.ctx, &actor).await?))
}

/// Create a policy.
#[utoipa::path(post, path = "/api/v1/sla/policies", request_body = PolicyRequest,
    responses((status = 201, body = SlaPolicyView), (status = 422, body = ErrorResponse)))]
pub async fn create_policy(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    json: Result<Json<PolicyRequest>, JsonRejection>,
) -> Result<(StatusCode, Json<SlaPolicyView>), ApiError> {
    let input = body(json)?.into();
    Ok((StatusCode::CREATED, Json(sla::save_policy(&state.ctx, &actor, None, input).await?)))
}

/// Change a policy; open tickets' SLA targets are recomputed.
#[utoipa::path(put, path = "/api/v1/sla/policies/{id}", request_body = PolicyRequest, params(("id" = i64, Path, description = "Policy id")),
    responses((status = 200, body = SlaPolicyView), (status = 422, body = ErrorResponse)))]
pub async fn update_policy(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
    json: Result<Json<PolicyRequest>, JsonRejection>,
) -> Result<Json<SlaPolicyView>, ApiError> {
    let input = body(json)?.into();
    Ok(Json(sla::save_policy(&state.ctx, &actor, Some(id), input).await?))
}

/// Query of the compliance report.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ComplianceQuery {
    /// First day (UTC), `YYYY-MM-DD`; default 30 days ago.
    #[param(format = Date)]
    pub from: Option<String>,
    /// Day after the last (UTC), `YYYY-MM-DD`; default tomorrow; after `from`.
    #[param(format = Date)]
    pub to: Option<String>,
    /// `policy` (default), `priority` or `group`.
    #[param(pattern = "^(policy|priority|group)$")]
    pub by: Option<String>,
}

fn day(field: &str, raw: Option<&str>, default: DateTime<Utc>) -> Result<DateTime<Utc>, AppError> {
    match raw {
        None => Ok(default),
        Some(s) => Ok(app::domain::field::parse_day(field, s)?.and_hms_opt(0, 0, 0).map(|d| d.and_utc()).ok_or(AppError::Internal)?),
    }
}

/// SLA compliance for tickets created in a date range.
#[utoipa::path(get, path = "/api/v1/sla/compliance", params(ComplianceQuery),
    responses((status = 200, body = Vec<ComplianceRow>), (status = 422, body = ErrorResponse)))]
pub async fn compliance(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    query: Result<Query<ComplianceQuery>, QueryRejection>,
) -> Result<Json<Vec<ComplianceRow>>, ApiError> {
    let Query(q) = query.map_err(|e| ApiError(AppError::BadRequest(e.body_text())))?;
    let today = Utc::now().date_naive().and_hms_opt(0, 0, 0).map(|d| d.and_utc()).unwrap_or_else(Utc::now);
    let from = day("from", q.from.as_deref(), today - chrono::Duration::days(30))?;
    let to = day("to", q.to.as_deref(), today + chrono::Duration::days(1))?;
    Ok(Json(sla::compliance(&state.ctx, &actor, from, to, q.by.as_deref().unwrap_or("policy")).await?))
}
