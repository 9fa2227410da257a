//! File upload and download, for the REST API (bearer) and for browser forms (session cookie).

use super::{ApiActor, ApiError, ErrorResponse, SessionActor};
use crate::ServerState;
use app::domain::Actor;
use app::dto::AttachmentView;
use app::services::tickets::{self, AttachmentContent, NewAttachment, MAX_ATTACHMENT_BYTES};
use app::AppError;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;

/// Request body limit for uploads (the file plus multipart overhead).
pub const BODY_LIMIT: usize = MAX_ATTACHMENT_BYTES + 64 * 1024;

async fn read_upload(mut multipart: Multipart) -> Result<NewAttachment, AppError> {
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut internal = false;
    while let Some(field) = multipart.next_field().await.map_err(|e| AppError::BadRequest(e.body_text()))? {
        match field.name() {
            Some("file") => {
                let name = field.file_name().unwrap_or("attachment").to_string();
                let bytes = field.bytes().await.map_err(|_| AppError::field("file", "The file is larger than 10 MB"))?;
                file = Some((name, bytes.to_vec()));
            }
            Some("internal") => {
                let v = field.text().await.map_err(|e| AppError::BadRequest(e.body_text()))?;
                internal = matches!(v.trim(), "true" | "on" | "1");
            }
            _ => {}
        }
    }
    let (filename, data) = file.ok_or_else(|| AppError::field("file", "Choose a file to upload"))?;
    Ok(NewAttachment { filename, data, internal })
}

/// The form of an upload.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct UploadForm {
    /// The file (at most 10 MB; its type is checked from its content).
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// `true` for an internal file (agents only).
    internal: Option<bool>,
}

/// Upload a file to a ticket (`multipart/form-data`: `file`, optional `internal=true`).
#[utoipa::path(post, path = "/api/v1/tickets/{id}/attachments", params(("id" = String, Path, description = "Id or number")),
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses((status = 201, body = AttachmentView), (status = 422, body = ErrorResponse), (status = 403, body = ErrorResponse),
        (status = 415, body = ErrorResponse, description = "Not a multipart/form-data body")))]
pub async fn upload_api(
    State(state): State<ServerState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
    multipart: Multipart,
) -> Result<(StatusCode, Json<AttachmentView>), ApiError> {
    let upload = read_upload(multipart).await?;
    Ok((StatusCode::CREATED, Json(tickets::add_attachment(&state.ctx, &actor, &id, upload).await?)))
}

/// Download a file.
#[utoipa::path(get, path = "/api/v1/attachments/{id}", params(("id" = i64, Path, description = "Attachment id")),
    responses((status = 200, description = "The file, as an attachment"), (status = 404, body = ErrorResponse)))]
pub async fn download_api(State(state): State<ServerState>, ApiActor(actor): ApiActor, Path(id): Path<i64>) -> Result<Response, ApiError> {
    download(&state, &actor, id).await
}

/// `GET /attachments/{id}` for signed-in browsers.
pub async fn download_with_session(State(state): State<ServerState>, SessionActor(actor): SessionActor, Path(id): Path<i64>) -> Result<Response, ApiError> {
    download(&state, &actor, id).await
}

async fn download(state: &ServerState, actor: &Actor, id: i64) -> Result<Response, ApiError> {
    let AttachmentContent { filename, content_type, data } = tickets::get_attachment(&state.ctx, actor, id).await?;
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_str(&content_type).unwrap_or(HeaderValue::from_static("application/octet-stream")));
    let disposition = content_disposition(&filename);
    headers.insert(header::CONTENT_DISPOSITION, HeaderValue::from_str(&disposition).unwrap_or(HeaderValue::from_static("attachment")));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("sandbox; default-src 'none'"));
    Ok((headers, data).into_response())
}

/// `attachment; filename="ascii"; filename*=UTF-8''percent-encoded` (RFC 6266).
pub fn content_disposition(filename: &str) -> String {
    let ascii: String = filename.chars().map(|c| if c.is_ascii_graphic() || c == ' ' { c } else { '_' }).filter(|c| *c != '"' && *c != '\\').collect();
    let encoded: String = filename
        .bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// `POST /tickets/{number}/attachments` from the portal/console upload form; redirects back.
pub async fn upload_with_session(
    State(state): State<ServerState>,
    actor: Result<SessionActor, ApiError>,
    Path(number): Path<String>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    let back = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .map(|r| r.split_once('?').map(|(p, _)| p).unwrap_or(r).to_string())
        .unwrap_or_else(|| format!("/portal/tickets/{number}"));
    let SessionActor(actor) = match actor {
        Ok(a) => a,
        Err(_) => return Redirect::to(&format!("/login?next=/portal/tickets/{number}")).into_response(),
    };
    let result = match read_upload(multipart).await {
        Ok(upload) => tickets::add_attachment(&state.ctx, &actor, &number, upload).await.map(|_| ()),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Redirect::to(&back).into_response(),
        Err(e) => {
            let message = e.field_message("file").unwrap_or_else(|| e.to_string());
            let encoded: String = message
                .bytes()
                .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
                .collect();
            Redirect::to(&format!("{back}?upload_error={encoded}")).into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::content_disposition;

    #[test]
    fn disposition_is_safe_for_any_name() {
        assert_eq!(content_disposition("report.pdf"), "attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf");
        let d = content_disposition("résumé \"x\".txt");
        assert!(d.starts_with("attachment; filename=\"r_sum_ x.txt\""), "{d}");
        assert!(d.contains("filename*=UTF-8''r%C3%A9sum%C3%A9%20%22x%22.txt"));
    }
}
