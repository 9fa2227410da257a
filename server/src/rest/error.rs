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

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let fields = match &self.0 {
            AppError::Validation(f) => f.clone(),
            _ => vec![],
        };
        let body = ErrorBody { code: self.0.code(), message: self.0.to_string(), fields };
        let mut res = (status, Json(serde_json::json!({ "error": body }))).into_response();
        if let AppError::RateLimited { retry_after_secs } = &self.0 {
            res.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from(*retry_after_secs));
        }
        if status == StatusCode::UNAUTHORIZED {
            res.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
        }
        res
    }
}
