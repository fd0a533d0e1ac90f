//! What a rule or a use case answers when it cannot do what was asked. These errors know
//! nothing of HTTP: `error.rs` maps them to problem+json in one place, and the web pages may
//! render them their own way.

use serde::Serialize;

/// One invalid field of an input.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    pub code: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            code,
            message: message.into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    /// No such object, or the caller may not know it exists.
    #[error("not found")]
    NotFound,
    /// Who the caller is could not be established (wrong credentials, a spent token).
    #[error("unauthenticated: {0}")]
    Unauthenticated(String),
    /// Too many attempts; the caller may try again after this many seconds.
    #[error("throttled for {retry_after_secs} s")]
    Throttled { retry_after_secs: u64 },
    /// The caller sees the object but may not do this to it; the reason is for the caller.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// The object's state does not allow it (already published, the last manager leaving).
    #[error("conflict: {0}")]
    Conflict(String),
    /// The input breaks a rule; every broken one is listed.
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// The change was based on a version that is no longer current.
    #[error("stale version")]
    Stale,
    /// The change names no version it was based on.
    #[error("precondition required")]
    PreconditionRequired,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type DomainResult<T> = Result<T, DomainError>;

impl DomainError {
    pub fn invalid(
        field: impl Into<String>,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        DomainError::Invalid(vec![FieldError::new(field, code, message)])
    }
}
