//! `/api/v1/cis/{id}/asset`, `/api/v1/licences` and `/api/v1/assets/report`: a CI's asset record,
//! software licences with their installations, and what is about to run out.

use super::{body, ApiActor, ApiError, ErrorResponse};
use crate::ServerState;
use app::dto::{AssetReport, CiDetail, LicenceDetail, LicenceList};
use app::services::cmdb::{self, AssetInput, LicenceInput};
use app::AppError;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

fn query<T>(q: Result<Query<T>, QueryRejection>) -> Result<T, ApiError> {
    q.map(|Query(v)| v).map_err(|e| ApiError(AppError::BadRequest(e.body_text())))
}

/// Body of an asset record. Leave a field out (or empty) for "none".
#[derive(Debug, Deserialize, ToSchema)]
pub struct AssetRequest {
    /// `ordered`, `in_stock`, `deployed`, `in_repair`, `retired` or `disposed`. Moves follow the
    /// lifecycle (e.g. deployed → in repair, retired → disposed; disposed is final) and set the
    /// CI's status: planned (ordered, in stock), in service (deployed), maintenance (in repair),
    /// retired (retired, disposed).
    #[serde(default)]
    pub lifecycle: String,
    /// Asset tag, 2–40 letters, digits, `-_./` (unique, case ignored).
    pub asset_tag: Option<String>,
    /// Serial number (at most 80 characters).
    pub serial_number: Option<String>,
    /// Email of the user who has it.
    pub owner_email: Option<String>,
    /// Vendor (at most 120 characters).
    pub vendor: Option<String>,
    /// Day bought, `YYYY-MM-DD`.
    pub purchase_date: Option<String>,
    /// Price paid, e.g. `"1299.50"` (a decimal string; at most two decimals).
    pub cost: Option<String>,
    /// Last day of the warranty, `YYYY-MM-DD` (not before the purchase).
    pub warranty_end: Option<String>,
    /// Last day of the lease, `YYYY-MM-DD` (not before the purchase).
    pub lease_end: Option<String>,
    /// Days before the warranty or lease end that the CI's support group is told (1–365,
    /// default 30).
    #[schema(minimum = 1, maximum = 365)]
    pub notice_days: Option<u32>,
    /// The asset record's version you read (0 when it had none); 409 if it moved on.
    pub version: Option<i32>,
}

/// Record or change a CI's asset record (admins); every changed field is audited on the CI.
#[utoipa::path(put, path = "/api/v1/cis/{id}/asset", request_body = AssetRequest, params(("id" = String, Path, description = "Id or name")),
    responses((status = 200, body = CiDetail), (status = 409, body = ErrorResponse), (status = 422, body = ErrorResponse), (status = 404, body = ErrorResponse), (status = 403, body = ErrorResponse)))]
pub async fn put_asset(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
    json: Result<Json<AssetRequest>, JsonRejection>,
) -> Result<Json<CiDetail>, ApiError> {
    let r = body(json)?;
    let input = AssetInput {
        lifecycle: r.lifecycle,
        asset_tag: r.asset_tag.unwrap_or_default(),
        serial_number: r.serial_number.unwrap_or_default(),
        owner_email: r.owner_email.unwrap_or_default(),
        vendor: r.vendor.unwrap_or_default(),
        purchase_date: r.purchase_date.unwrap_or_default(),
        cost: r.cost.unwrap_or_default(),
        warranty_end: r.warranty_end.unwrap_or_default(),
        lease_end: r.lease_end.unwrap_or_default(),
        notice_days: r.notice_days.map(|d| d.to_string()).unwrap_or_default(),
        expected_version: r.version,
    };
    Ok(Json(cmdb::save_asset(&state.ctx, &actor, &id, input).await?))
}

/// Query of the asset report.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportParams {
    /// Days before and after today to look at (default 90, 1–730).
    #[param(minimum = 1, maximum = 730)]
    pub days: Option<u32>,
}

/// What needs attention (admins): warranties and leases of assets still in use, and licences,
/// that end in the next `days` days or ended in the last `days` days; licences installed on more
/// CIs than they have seats.
#[utoipa::path(get, path = "/api/v1/assets/report", params(ReportParams),
    responses((status = 200, body = AssetReport), (status = 422, body = ErrorResponse), (status = 403, body = ErrorResponse)))]
pub async fn report(State(state): State<ServerState>, ApiActor(actor): ApiActor, params: Result<Query<ReportParams>, QueryRejection>) -> Result<Json<AssetReport>, ApiError> {
    let p = query(params)?;
    Ok(Json(cmdb::assets::report(&state.ctx, &actor, p.days, chrono::Utc::now().date_naive()).await?))
}

/// Body of a licence create or change.
#[derive(Debug, Deserialize, ToSchema)]
pub struct LicenceRequest {
    /// Product and edition, e.g. `Office 365 E3` (2–120 characters, unique, case ignored).
    #[serde(default)]
    pub product: String,
    /// Publisher or reseller.
    pub vendor: Option<String>,
    /// Seats bought (0–1000000).
    #[schema(minimum = 0, maximum = 1000000)]
    pub seats: Option<u32>,
    /// Last valid day, `YYYY-MM-DD` (none: perpetual).
    pub expires_on: Option<String>,
    /// Assignment group told before it expires (none: the admins).
    pub support_group_id: Option<i64>,
    /// Days of notice before the expiry (1–365, default 30).
    #[schema(minimum = 1, maximum = 365)]
    pub notice_days: Option<u32>,
    /// Free text (contract number, where the keys are).
    #[serde(default)]
    pub notes: String,
    /// The version you read (changes only); 409 if the licence moved on.
    pub version: Option<i32>,
}

impl From<LicenceRequest> for LicenceInput {
    fn from(r: LicenceRequest) -> Self {
        LicenceInput {
            product: r.product,
            vendor: r.vendor.unwrap_or_default(),
            seats: r.seats.map(|s| s.to_string()).unwrap_or_default(),
            expires_on: r.expires_on.unwrap_or_default(),
            support_group_id: r.support_group_id,
            notice_days: r.notice_days.map(|d| d.to_string()).unwrap_or_default(),
            notes: r.notes,
            expected_version: r.version,
        }
    }
}

/// Every licence by product, with seats, installations and over-use (staff).
#[utoipa::path(get, path = "/api/v1/licences", responses((status = 200, body = LicenceList), (status = 403, body = ErrorResponse)))]
pub async fn list_licences(State(state): State<ServerState>, ApiActor(actor): ApiActor) -> Result<Json<LicenceList>, ApiError> {
    Ok(Json(cmdb::list_licences(&state.ctx, &actor).await?))
}

/// Record a licence (admins).
#[utoipa::path(post, path = "/api/v1/licences", request_body = LicenceRequest,
    responses((status = 201, body = LicenceDetail), (status = 422, body = ErrorResponse), (status = 403, body = ErrorResponse)))]
pub async fn create_licence(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    json: Result<Json<LicenceRequest>, JsonRejection>,
) -> Result<(StatusCode, Json<LicenceDetail>), ApiError> {
    let r = body(json)?;
    Ok((StatusCode::CREATED, Json(cmdb::save_licence(&state.ctx, &actor, None, r.into()).await?)))
}

/// One licence with its installations (staff).
#[utoipa::path(get, path = "/api/v1/licences/{id}", params(("id" = i64, Path, description = "Licence id")),
    responses((status = 200, body = LicenceDetail), (status = 404, body = ErrorResponse), (status = 403, body = ErrorResponse)))]
pub async fn get_licence(State(state): State<ServerState>, ApiActor(actor): ApiActor, Path(id): Path<i64>) -> Result<Json<LicenceDetail>, ApiError> {
    Ok(Json(cmdb::get_licence(&state.ctx, &actor, id).await?))
}

/// Change a licence (admins); every changed field is audited.
#[utoipa::path(put, path = "/api/v1/licences/{id}", request_body = LicenceRequest, params(("id" = i64, Path, description = "Licence id")),
    responses((status = 200, body = LicenceDetail), (status = 409, body = ErrorResponse), (status = 422, body = ErrorResponse), (status = 404, body = ErrorResponse), (status = 403, body = ErrorResponse)))]
pub async fn update_licence(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
    json: Result<Json<LicenceRequest>, JsonRejection>,
) -> Result<Json<LicenceDetail>, ApiError> {
    let r = body(json)?;
    Ok(Json(cmdb::save_licence(&state.ctx, &actor, Some(id), r.into()).await?))
}

/// Body of an installation.
#[derive(Debug, Deserialize, ToSchema)]
pub struct InstallationRequest {
    /// Name (or id) of the CI it is installed on (not retired).
    #[serde(default)]
    pub ci: String,
    /// The licence's version you read; 409 if it moved on.
    pub version: Option<i32>,
}

/// Record the licence as installed on a CI (admins). Going over the seats is allowed and shows
/// as over-use.
#[utoipa::path(post, path = "/api/v1/licences/{id}/installations", request_body = InstallationRequest, params(("id" = i64, Path, description = "Licence id")),
    responses((status = 201, body = LicenceDetail), (status = 409, body = ErrorResponse), (status = 422, body = ErrorResponse), (status = 404, body = ErrorResponse), (status = 403, body = ErrorResponse)))]
pub async fn install(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
    json: Result<Json<InstallationRequest>, JsonRejection>,
) -> Result<(StatusCode, Json<LicenceDetail>), ApiError> {
    let r = body(json)?;
    Ok((StatusCode::CREATED, Json(cmdb::add_installation(&state.ctx, &actor, id, &r.ci, r.version).await?)))
}

/// Query of an installation removal.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UninstallParams {
    /// The licence's version you read; 409 if it moved on.
    pub version: Option<i32>,
}

/// Remove the licence's installation on a CI (admins).
#[utoipa::path(delete, path = "/api/v1/licences/{id}/installations/{ci_id}",
    params(("id" = i64, Path, description = "Licence id"), ("ci_id" = i64, Path, description = "CI id"), UninstallParams),
    responses((status = 200, body = LicenceDetail), (status = 404, body = ErrorResponse), (status = 409, body = ErrorResponse), (status = 403, body = ErrorResponse)))]
pub async fn uninstall(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    Path((id, ci_id)): Path<(i64, i64)>,
    params: Result<Query<UninstallParams>, QueryRejection>,
) -> Result<Json<LicenceDetail>, ApiError> {
    let p = query(params)?;
    Ok(Json(cmdb::remove_installation(&state.ctx, &actor, id, ci_id, p.version).await?))
}
