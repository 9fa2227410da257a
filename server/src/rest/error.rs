//! JSON error responses: `{"error": {"code", "message", "fields": [{field, message}]}}`.

use app::domain::FieldError;
use app::AppError;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

/// An [`AppError`] rendered as an HTTP response.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        Self(e)
    }
}

/// Error body of every failed API call.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// Machine-readable code, e.g. `validation_failed`, `not_found`.
    pub code: &'static str,
    /// Human-readable summary.
    pub message: String,
    /// Per-field messages for `validation_failed`.
    pub fields: Vec<FieldError>,
}

/// What every failed API call answers: `{"error": {...}}`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorResponse {
    /// The error.
    pub error: ErrorBody,
}

/// Documents on every operation the error statuses any operation of its kind can answer, so
/// the document lists every status the server sends: 401 where a token is needed, 400 where a
/// path, query or body is decoded, 413 where a body is read, 404 where a path names a record.
/// Statuses that depend on the operation (403, 409, 422, 429) are written on the handlers.
pub struct CommonErrors;

impl utoipa::Modify for CommonErrors {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::path::{Operation, ParameterIn};
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let response = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content("application/json", ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorResponse"))).build())
                .build()
        };
        let add = |op: &mut Operation, status: &str, description: &str| {
            op.responses.responses.entry(status.to_string()).or_insert_with(|| response(description).into());
        };
        for item in openapi.paths.paths.values_mut() {
            let ops = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
            for op in ops.into_iter().flatten() {
                let public = op.security.as_ref().is_some_and(|s| s.iter().all(|r| *r == Default::default()));
                let params = op.parameters.iter().flatten();
                let (query, path) = params.fold((false, false), |(q, p), x| {
                    (q || matches!(x.parameter_in, ParameterIn::Query), p || matches!(x.parameter_in, ParameterIn::Path))
                });
                if !public {
                    add(op, "401", "No valid bearer token");
                }
                if query || path || op.request_body.is_some() {
                    add(op, "400", "The query or body could not be decoded");
                }
                if op.request_body.is_some() {
                    add(op, "413", "The body is over the size limit");
                }
                if path {
                    add(op, "404", "No such record, or not one the caller may see");
                }
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let fields = match &self.0 {
            AppError::Validation(f) => f.clone(),
            _ => vec![],
        };
        let body = ErrorBody { code: self.0.code(), message: self.0.to_string(), fields };
        let mut res = (status, Json(ErrorResponse { error: body })).into_response();
        if let AppError::RateLimited { retry_after_secs } = &self.0 {
            res.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from(*retry_after_secs));
        }
        if status == StatusCode::UNAUTHORIZED {
            res.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
        }
        res
    }
}

/// Gives every API error the documented JSON body: an error answered before a handler ran (a
/// path segment that is not a number, a body of the wrong content type, an unknown method or
/// route) comes from axum as plain text; this layer rewrites it as an [`ErrorResponse`].
pub async fn json_errors(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let res = next.run(req).await;
    let status = res.status();
    let is_json = res.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return res;
    }
    let (parts, body) = res.into_parts();
    let text = axum::body::to_bytes(body, 16 * 1024).await.map(|b| String::from_utf8_lossy(&b).trim().to_string()).unwrap_or_default();
    let (code, message) = match status {
        StatusCode::BAD_REQUEST => ("bad_request", format!("Bad request: {text}")),
        StatusCode::NOT_FOUND => ("not_found", "No such resource".to_string()),
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", "This method is not allowed here".to_string()),
        StatusCode::PAYLOAD_TOO_LARGE => ("payload_too_large", "The request is too large".to_string()),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ("unsupported_media_type", format!("Unsupported content type: {text}")),
        s if s.is_server_error() => ("internal", "Something went wrong on our side; it has been logged".to_string()),
        _ => ("bad_request", text),
    };
    let body = ErrorResponse { error: ErrorBody { code, message, fields: vec![] } };
    let mut res = (status, Json(body)).into_response();
    for (name, value) in parts.headers.iter().filter(|(n, _)| *n == header::ALLOW || *n == header::WWW_AUTHENTICATE || *n == header::RETRY_AFTER) {
        res.headers_mut().insert(name.clone(), value.clone());
    }
    res
}
