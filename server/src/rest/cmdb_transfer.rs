//! CSV import and export of the CMDB: `POST /api/v1/cis/import` and `GET /api/v1/cis/export` for
//! integrators (Bearer), and the admin page's upload (staged for a preview) and downloads
//! (session cookie).

use super::{ApiActor, ApiError, SessionActor};
use crate::ServerState;
use app::dto::TransferReport;
use app::services::cmdb::transfer::{self, ImportOptions};
use app::AppError;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use serde::Deserialize;
use utoipa::IntoParams;

/// Query of an import.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// Check and plan only; write nothing.
    pub dry_run: Option<bool>,
    /// All rows or none: nothing is written when a row is bad.
    pub atomic: Option<bool>,
}

/// Query of an export.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// `cis` (default) or `relationships`.
    #[param(pattern = "^(cis|relationships)?$")]
    pub kind: Option<String>,
}

/// Import CIs or relationships from CSV (admins): the header says which
/// (`name,class,status,service,support_group,location,description` or
/// `ci,type,target,redundancy_set,min_up`). Each bad row is reported with its line and column;
/// the good ones are applied (with `atomic`, all or none). Importing the same file again changes
/// nothing. A body that is not such a file at all is a 422.
#[utoipa::path(post, path = "/api/v1/cis/import", params(ImportParams), request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = TransferReport), (status = 403, body = super::ErrorResponse), (status = 409, body = super::ErrorResponse), (status = 422, body = super::ErrorResponse)))]
pub async fn import(State(state): State<ServerState>, ApiActor(actor): ApiActor, params: Result<Query<ImportParams>, QueryRejection>, body: Bytes) -> Result<Json<TransferReport>, ApiError> {
    let p = params.map(|Query(v)| v).map_err(|e| ApiError(AppError::BadRequest(e.body_text())))?;
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(AppError::field("body", "Send the CSV file as the request body").into());
    }
    let options = ImportOptions { dry_run: p.dry_run.unwrap_or(false), atomic: p.atomic.unwrap_or(false) };
    let report = transfer::import_csv(&state.ctx, &actor, &body, options, |_, _| {}).await?;
    if report.kind.is_empty() {
        // Not a CMDB file at all: nothing could be planned.
        let why = report.errors.first().map(|e| format!("line {}{}: {}", e.line, if e.column.is_empty() { String::new() } else { format!(", column {}", e.column) }, e.message));
        return Err(AppError::field("body", why.unwrap_or_else(|| "Not a CMDB CSV file".into())).into());
    }
    Ok(Json(report))
}

fn csv_response(name: &str, body: String) -> Response {
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    headers.insert(header::CONTENT_DISPOSITION, HeaderValue::from_str(&super::attachments::content_disposition(name)).unwrap_or(HeaderValue::from_static("attachment")));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    (headers, body).into_response()
}

async fn export_kind(state: &ServerState, actor: &app::domain::Actor, kind: &str) -> Result<Response, ApiError> {
    match kind {
        "" | "cis" => Ok(csv_response("cis.csv", transfer::export_cis(&state.ctx, actor).await?)),
        "relationships" => Ok(csv_response("relationships.csv", transfer::export_relationships(&state.ctx, actor).await?)),
        _ => Err(ApiError(AppError::field("kind", "Use cis or relationships"))),
    }
}

/// Every CI, or every relationship, as CSV that reads back through the import unchanged (admins).
#[utoipa::path(get, path = "/api/v1/cis/export", params(ExportParams),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = super::ErrorResponse), (status = 422, body = super::ErrorResponse)))]
pub async fn export(State(state): State<ServerState>, ApiActor(actor): ApiActor, params: Result<Query<ExportParams>, QueryRejection>) -> Result<Response, ApiError> {
    let p = params.map(|Query(v)| v).map_err(|e| ApiError(AppError::BadRequest(e.body_text())))?;
    export_kind(&state, &actor, p.kind.as_deref().unwrap_or("")).await
}

/// `GET /admin/cmdb/export/{kind}.csv` for the admin page (session cookie).
pub async fn export_with_session(State(state): State<ServerState>, SessionActor(actor): SessionActor, Path(file): Path<String>) -> Result<Response, ApiError> {
    export_kind(&state, &actor, file.strip_suffix(".csv").unwrap_or("?")).await
}

/// `POST /admin/cmdb/import` from the admin page: stages the uploaded file with its plan and
/// redirects to the preview (`/admin/cmdb/imports/{id}`); a refused upload goes back to the page
/// with the reason.
pub async fn upload_with_session(State(state): State<ServerState>, actor: Result<SessionActor, ApiError>, mut multipart: Multipart) -> Response {
    let SessionActor(actor) = match actor {
        Ok(a) => a,
        Err(_) => return Redirect::to("/login?next=/admin/cmdb").into_response(),
    };
    let mut file: Option<(String, Vec<u8>)> = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => {
                let name = field.file_name().unwrap_or("upload.csv").to_string();
                match field.bytes().await {
                    Ok(b) => file = Some((name, b.to_vec())),
                    Err(_) => return back("The file could not be read (larger than 32 MB?)"),
                }
            }
            Ok(Some(_)) => continue,
            Ok(None) => break,
            Err(_) => return back("The upload could not be read"),
        }
    }
    let Some((name, data)) = file.filter(|(_, d)| !d.is_empty()) else { return back("Choose a CSV file") };
    match transfer::stage_import(&state.ctx, &actor, &name, &data).await {
        Ok(view) => Redirect::to(&format!("/admin/cmdb/imports/{}", view.id)).into_response(),
        Err(e) => back(&e.field_message("file").unwrap_or_else(|| e.to_string())),
    }
}

fn back(message: &str) -> Response {
    let encoded: String = message.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect();
    Redirect::to(&format!("/admin/cmdb?upload_error={encoded}")).into_response()
}
