//! Server-fn responses with the status their error deserves.
//!
//! An error raised inside a server fn sets its own status (`api::support::respond`), but one raised
//! before the body runs — a body over the size limit, arguments that do not decode — is answered
//! by `server_fn` as 500. This layer reads the error such a response carries and gives it the
//! error's status (413, 400 …); a real internal error stays 500. A body whose declared length is
//! over the limit is refused before the server fn reads it, and read to its end first (up to
//! [`DRAIN_LIMIT`]) so the client, still sending, gets the answer instead of a reset connection.

use app::AppError;
use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The largest server-fn request body (axum's default body limit, which `server_fn` applies).
pub const BODY_LIMIT: u64 = 2 * 1024 * 1024;
/// How much of an oversized body is read and dropped before answering 413.
pub const DRAIN_LIMIT: usize = 16 * 1024 * 1024;

/// Refuses server-fn requests (`/api/…` outside `/api/v1`) whose `Content-Length` is over
/// [`BODY_LIMIT`] with 413 and the typed error.
pub async fn body_limit(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let server_fn = path.starts_with("/api/") && !path.starts_with("/api/v1/");
    let declared = req
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if !server_fn || declared.is_none_or(|n| n <= BODY_LIMIT) {
        return next.run(req).await;
    }
    let _ = axum::body::to_bytes(req.into_body(), DRAIN_LIMIT).await;
    let body = serde_json::to_vec(&AppError::PayloadTooLarge).unwrap_or_default();
    Response::builder()
        .status(StatusCode::PAYLOAD_TOO_LARGE)
        .header(axum::http::header::CONTENT_TYPE, "application/json")
        .header(leptos::server_fn::error::SERVER_FN_ERROR_HEADER, path.as_str())
        .body(Body::from(body))
        .unwrap_or_else(|_| StatusCode::PAYLOAD_TOO_LARGE.into_response())
}

/// Corrects the status of server-fn error responses.
pub async fn error_status(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR || !res.headers().contains_key(leptos::server_fn::error::SERVER_FN_ERROR_HEADER) {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        parts.headers.remove(axum::http::header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::empty());
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        if let Ok(status) = StatusCode::from_u16(error.status()) {
            parts.status = status;
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}
