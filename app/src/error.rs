//! `AppError`: the one error type that crosses the server-fn boundary and the REST API.

use crate::domain::FieldError;
use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

/// Everything a caller may be told went wrong. Internal details are logged, never carried here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// Input failed validation; one message per field.
    #[error("{}", summary(.0))]
    Validation(Vec<FieldError>),
    /// No valid session or token.
    #[error("Please sign in")]
    Unauthenticated,
    /// Wrong username or password (deliberately not saying which).
    #[error("Wrong username or password")]
    InvalidCredentials,
    /// Signed in but not allowed.
    #[error("You are not allowed to do that")]
    Forbidden,
    /// No such record (or not visible to the actor).
    #[error("{0} not found")]
    NotFound(String),
    /// Optimistic concurrency or uniqueness conflict.
    #[error("{0}")]
    Conflict(String),
    /// Request could not be decoded.
    #[error("Bad request: {0}")]
    BadRequest(String),
    /// Too many attempts (sign-ins); try again after the given seconds.
    #[error("Too many attempts; try again in {retry_after_secs} seconds")]
    RateLimited {
        /// Seconds to wait before the next attempt.
        retry_after_secs: u64,
    },
    /// The request body is larger than this endpoint takes.
    #[error("The request is too large")]
    PayloadTooLarge,
    /// Something failed on our side; details are in the server log.
    #[error("Something went wrong on our side; it has been logged")]
    Internal,
}

fn summary(errors: &[FieldError]) -> String {
    errors.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join("; ")
}

impl AppError {
    /// A single-field validation error.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError::new(field, message)])
    }

    /// The message for one field, for showing next to that input.
    pub fn field_message(&self, field: &str) -> Option<String> {
        match self {
            Self::Validation(errors) => {
                errors.iter().find(|e| e.field == field).map(|e| e.message.clone())
            }
            _ => None,
        }
    }

    /// HTTP status for this error.
    pub fn status(&self) -> u16 {
        match self {
            Self::Validation(_) => 422,
            Self::Unauthenticated | Self::InvalidCredentials => 401,
            Self::Forbidden => 403,
            Self::NotFound(_) => 404,
            Self::Conflict(_) => 409,
            Self::BadRequest(_) => 400,
            Self::RateLimited { .. } => 429,
            Self::PayloadTooLarge => 413,
            Self::Internal => 500,
        }
    }

    /// Machine-readable code for API clients.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Validation(_) => "validation_failed",
            Self::Unauthenticated => "unauthenticated",
            Self::InvalidCredentials => "invalid_credentials",
            Self::Forbidden => "forbidden",
            Self::NotFound(_) => "not_found",
            Self::Conflict(_) => "conflict",
            Self::BadRequest(_) => "bad_request",
            Self::RateLimited { .. } => "rate_limited",
            Self::PayloadTooLarge => "payload_too_large",
            Self::Internal => "internal",
        }
    }
}

impl From<FieldError> for AppError {
    fn from(e: FieldError) -> Self {
        Self::Validation(vec![e])
    }
}

impl From<Vec<FieldError>> for AppError {
    fn from(e: Vec<FieldError>) -> Self {
        Self::Validation(e)
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(m) | ServerFnErrorErr::MissingArg(m) => Self::BadRequest(m),
            // The body could not be read: over the size limit (axum's "length limit exceeded"),
            // or not what the server fn takes.
            ServerFnErrorErr::Deserialization(m) if m.contains("length limit exceeded") => Self::PayloadTooLarge,
            ServerFnErrorErr::Deserialization(m) => Self::BadRequest(m),
            ServerFnErrorErr::Request(_) => {
                Self::BadRequest("Could not reach the server; check your connection".into())
            }
            other => {
                tracing::error!(error = %other, "server function transport error");
                Self::Internal
            }
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sea_orm::DbErr> for AppError {
    fn from(e: sea_orm::DbErr) -> Self {
        tracing::error!(error = %e, "database error");
        Self::Internal
    }
}

#[cfg(feature = "ssr")]
impl From<sea_orm::TransactionError<AppError>> for AppError {
    fn from(e: sea_orm::TransactionError<AppError>) -> Self {
        match e {
            sea_orm::TransactionError::Connection(db) => db.into(),
            sea_orm::TransactionError::Transaction(app) => app,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_maps_to_422_with_field_messages() {
        let e = AppError::Validation(vec![
            FieldError::new("title", "Title is required"),
            FieldError::new("impact", "Unknown impact"),
        ]);
        assert_eq!(e.status(), 422);
        assert_eq!(e.field_message("impact").as_deref(), Some("Unknown impact"));
        assert_eq!(e.field_message("urgency"), None);
        assert_eq!(e.to_string(), "Title is required; Unknown impact");
    }

    #[test]
    fn round_trips_through_server_fn_encoding() {
        let e = AppError::NotFound("Ticket".into());
        let back = AppError::de(e.ser());
        assert_eq!(back, e);
        assert_eq!(back.status(), 404);
    }
}
