//! The server's one error type. Every failure a client sees is rendered here as RFC 9457
//! problem+json with a stable `type` URI; causes of 500s are logged, never sent.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

pub const PROBLEM_BASE: &str = "https://edumarkt.nl/problems/";

/// A 422 lists at most this many field errors: a body of a million bad values must not answer
/// with a million messages. The `detail` says how many more there were.
pub const MAX_FIELD_ERRORS: usize = 50;

/// Field names and messages may echo what the client sent (an unknown key, a bad code); this
/// many characters of each are sent back, so an answer stays small whatever came in.
const MAX_ECHO_CHARS: usize = 200;

fn bounded(text: &str) -> String {
    match text.char_indices().nth(MAX_ECHO_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

/// The field errors a response shows: the first `MAX_FIELD_ERRORS`, each bounded in length.
fn shown(errors: &[FieldError]) -> Vec<FieldError> {
    errors
        .iter()
        .take(MAX_FIELD_ERRORS)
        .map(|e| FieldError {
            field: bounded(&e.field),
            code: e.code,
            message: bounded(&e.message),
        })
        .collect()
}

// Field errors are the domain's (rules produce them); a 422 lists them as they are.
use crate::domain::error::DomainError;
pub use crate::domain::error::FieldError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("malformed request: {0}")]
    BadRequest(String),
    #[error("not authenticated: {0}")]
    Unauthorized(String),
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("not found")]
    NotFound,
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("precondition failed")]
    PreconditionFailed,
    #[error("payload too large")]
    PayloadTooLarge { limit: usize },
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("invalid input")]
    Validation(Vec<FieldError>),
    #[error("precondition required")]
    PreconditionRequired,
    #[error("too many requests")]
    TooManyRequests { retry_after_secs: u64 },
    /// The path exists, with the methods in `allow` (for the `Allow` header, e.g. "GET, PATCH").
    #[error("method not allowed")]
    MethodNotAllowed { allow: String },
    /// The body did not arrive within the configured time.
    #[error("request timeout")]
    RequestTimeout,
    /// Any other status actix answered by itself; rendered with its standard reason.
    #[error("{0}")]
    Http(StatusCode),
    #[error("request header fields too large")]
    HeadersTooLarge { limit: usize },
    #[error("service unavailable: {0}")]
    Unavailable(String),
    /// What this deployment cannot do (e.g. tenant tokens without Meilisearch).
    #[error("not implemented: {0}")]
    NotImplemented(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn invalid(
        field: impl Into<String>,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        ApiError::Validation(vec![FieldError::new(field, code, message)])
    }

    fn slug_and_title(&self) -> (&'static str, &'static str) {
        match self {
            ApiError::BadRequest(_) => ("malformed-request", "Malformed request"),
            ApiError::Unauthorized(_) => ("unauthenticated", "Authentication required"),
            ApiError::Forbidden(_) => ("forbidden", "Not allowed"),
            ApiError::NotFound => ("not-found", "Not found"),
            ApiError::Conflict(_) => ("conflict", "Conflict with the current state"),
            ApiError::PreconditionFailed => ("stale-version", "The resource has changed"),
            ApiError::PayloadTooLarge { .. } => ("payload-too-large", "Request body too large"),
            ApiError::UnsupportedMediaType => {
                ("unsupported-media-type", "Unsupported content type")
            }
            ApiError::Validation(_) => ("validation", "Invalid input"),
            ApiError::PreconditionRequired => ("if-match-required", "If-Match header required"),
            ApiError::TooManyRequests { .. } => ("rate-limited", "Too many requests"),
            ApiError::MethodNotAllowed { .. } => ("method-not-allowed", "Method not allowed"),
            ApiError::RequestTimeout => ("request-timeout", "Request not received in time"),
            ApiError::Http(status) => ("http", status.canonical_reason().unwrap_or("Error")),
            ApiError::HeadersTooLarge { .. } => {
                ("headers-too-large", "Request header fields too large")
            }
            ApiError::Unavailable(_) => ("unavailable", "Service unavailable"),
            ApiError::NotImplemented(_) => ("not-implemented", "Not available in this deployment"),
            ApiError::Internal(_) => ("internal", "Internal server error"),
        }
    }

    fn detail(&self) -> String {
        match self {
            ApiError::BadRequest(d)
            | ApiError::Unauthorized(d)
            | ApiError::Forbidden(d)
            | ApiError::Conflict(d)
            | ApiError::Unavailable(d)
            | ApiError::NotImplemented(d) => d.clone(),
            ApiError::NotFound => "No such resource, or it is not visible to you.".into(),
            ApiError::PreconditionFailed => {
                "The If-Match header does not match the current version; fetch it again and reapply your change.".into()
            }
            ApiError::PayloadTooLarge { limit } => format!("The request body exceeds {limit} bytes."),
            ApiError::UnsupportedMediaType => "Send the body as application/json.".into(),
            ApiError::Validation(errors) => {
                let shown = shown(errors);
                let fields: Vec<&str> = shown.iter().map(|e| e.field.as_str()).collect();
                let more = errors.len() - shown.len();
                if more == 0 {
                    format!("Some fields are invalid: {}.", fields.join(", "))
                } else {
                    format!(
                        "Some fields are invalid: {} and {more} more (only the first {MAX_FIELD_ERRORS} are listed).",
                        fields.join(", ")
                    )
                }
            }
            ApiError::PreconditionRequired => {
                "Send If-Match with the ETag you last read, so concurrent edits are not lost.".into()
            }
            ApiError::TooManyRequests { retry_after_secs } => {
                format!("Too many attempts; try again in {retry_after_secs} seconds.")
            }
            ApiError::MethodNotAllowed { allow } => {
                format!("This resource does not support that method; it supports {allow}.")
            }
            ApiError::RequestTimeout => {
                "The request body did not arrive in time; the connection is closed.".into()
            }
            ApiError::Http(status) => format!("The server answered {status}."),
            ApiError::HeadersTooLarge { limit } => {
                format!("The request's header fields exceed {limit} bytes.")
            }
            ApiError::Internal(_) => "Something went wrong on our side; it has been logged.".into(),
        }
    }
}

/// The body of every error response.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: &'static str,
    pub status: u16,
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<FieldError>>,
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            ApiError::Http(status) => *status,
            ApiError::HeadersTooLarge { .. } => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::NotImplemented(_) => StatusCode::NOT_IMPLEMENTED,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let ApiError::Internal(cause) = self {
            tracing::error!(error = ?cause, "request failed");
        }
        let (slug, title) = self.slug_and_title();
        let status = self.status_code();
        let problem = Problem {
            kind: format!("{PROBLEM_BASE}{slug}"),
            title,
            status: status.as_u16(),
            detail: self.detail(),
            errors: match self {
                ApiError::Validation(errors) => Some(shown(errors)),
                _ => None,
            },
        };
        let mut response = HttpResponse::build(status);
        response.content_type("application/problem+json");
        match self {
            ApiError::Unauthorized(_) => {
                response
                    .insert_header((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")));
            }
            ApiError::TooManyRequests { retry_after_secs } => {
                response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
            }
            // A part that is down is probed again on its own schedule; the header says when an
            // answer may differ.
            ApiError::Unavailable(_) => {
                response.insert_header((
                    header::RETRY_AFTER,
                    HeaderValue::from_static(UNAVAILABLE_RETRY_AFTER_SECS),
                ));
            }
            ApiError::MethodNotAllowed { allow } => {
                response.insert_header((header::ALLOW, allow.clone()));
            }
            // The rest of the body may still be on its way; the connection cannot be reused.
            ApiError::RequestTimeout => {
                response.force_close();
            }
            _ => {}
        }
        response.json(problem)
    }
}

impl ApiError {
    /// The error for a status that actix answered by itself (a malformed path or query, a
    /// panic), so that its response too is problem+json. Its own text is not sent: it may echo
    /// the request.
    pub fn from_status(status: StatusCode) -> ApiError {
        match status.as_u16() {
            404 => ApiError::NotFound,
            408 => ApiError::RequestTimeout,
            415 => ApiError::UnsupportedMediaType,
            400 => ApiError::BadRequest("The request is malformed.".into()),
            s if s >= 500 => ApiError::Internal(anyhow::anyhow!("the server answered {status}")),
            _ => ApiError::Http(status),
        }
    }
}

/// The one mapping from what a use case or rule refuses to what a client sees.
impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        match e {
            DomainError::NotFound => ApiError::NotFound,
            DomainError::Forbidden(reason) => ApiError::Forbidden(reason),
            DomainError::Conflict(reason) => ApiError::Conflict(reason),
            DomainError::Unauthenticated(reason) => ApiError::Unauthorized(reason),
            DomainError::Throttled { retry_after_secs } => {
                ApiError::TooManyRequests { retry_after_secs }
            }
            DomainError::Invalid(errors) => ApiError::Validation(errors),
            DomainError::Stale => ApiError::PreconditionFailed,
            DomainError::PreconditionRequired => ApiError::PreconditionRequired,
            DomainError::Internal(cause) => ApiError::Internal(cause),
        }
    }
}

impl From<crate::db::models::membership::MembershipError> for ApiError {
    fn from(e: crate::db::models::membership::MembershipError) -> Self {
        DomainError::from(e).into()
    }
}

/// The Retry-After of a 503: a part that is down is usually back within seconds (an engine
/// restarting), and clients should not hammer it meanwhile.
const UNAVAILABLE_RETRY_AFTER_SECS: &str = "2";

impl From<edumarkt_search_sync::SearchError> for ApiError {
    fn from(e: edumarkt_search_sync::SearchError) -> Self {
        use edumarkt_search_sync::SearchError;
        match e {
            SearchError::Unsupported(what) => ApiError::NotImplemented(what.to_owned()),
            // An engine that fails or does not answer is an outage to the client, not a bug:
            // one warning line, not a backtrace per request.
            SearchError::Engine(_) | SearchError::Timeout(_) => {
                tracing::warn!(error = %e, "the search engine failed a request");
                ApiError::Unavailable(
                    "the search engine is not answering; try again in a moment".into(),
                )
            }
            other => ApiError::Internal(anyhow::anyhow!(other)),
        }
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(e: diesel::result::Error) -> Self {
        match e {
            diesel::result::Error::NotFound => ApiError::NotFound,
            other => ApiError::Internal(other.into()),
        }
    }
}

impl From<diesel_async::pooled_connection::deadpool::PoolError> for ApiError {
    fn from(e: diesel_async::pooled_connection::deadpool::PoolError) -> Self {
        ApiError::Internal(anyhow::anyhow!("database pool: {e}"))
    }
}

/// Whether a database error is a unique-constraint violation (a duplicate).
pub fn is_unique_violation(e: &diesel::result::Error) -> bool {
    matches!(
        e,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}

#[cfg(test)]
mod tests {
    use actix_web::body::to_bytes;

    use super::*;

    async fn body_of(error: ApiError) -> (StatusCode, serde_json::Value, HttpResponse) {
        let response = error.error_response();
        let status = response.status();
        let head = HttpResponse::build(status).finish();
        let bytes = to_bytes(response.into_body()).await.unwrap();
        (status, serde_json::from_slice(&bytes).unwrap(), head)
    }

    #[actix_web::test]
    async fn internal_errors_do_not_leak_their_cause() {
        let (status, body, _) = body_of(ApiError::Internal(anyhow::anyhow!(
            "relation \"users\" does not exist"
        )))
        .await;
        assert_eq!(status, 500);
        assert!(!body.to_string().contains("relation"));
        assert_eq!(body["type"], "https://edumarkt.nl/problems/internal");
    }

    #[actix_web::test]
    async fn validation_errors_list_their_fields() {
        let (status, body, _) = body_of(ApiError::invalid(
            "email",
            "invalid",
            "not an e-mail address",
        ))
        .await;
        assert_eq!(status, 422);
        assert_eq!(body["errors"][0]["field"], "email");
        assert_eq!(body["errors"][0]["code"], "invalid");
        assert_eq!(body["status"], 422);
    }

    #[actix_web::test]
    async fn field_errors_are_capped_and_echoes_bounded() {
        let errors = (0..1234)
            .map(|i| FieldError::new(format!("sectors[{i}]"), "unknown_code", "x".repeat(10_000)))
            .collect();
        let (_, body, _) = body_of(ApiError::Validation(errors)).await;
        let listed = body["errors"].as_array().unwrap();
        assert_eq!(listed.len(), MAX_FIELD_ERRORS);
        assert!(listed[0]["message"].as_str().unwrap().chars().count() <= MAX_ECHO_CHARS + 1);
        assert!(
            body["detail"].as_str().unwrap().contains("and 1184 more"),
            "{body}"
        );
        assert!(body.to_string().len() < 20_000);
    }

    #[actix_web::test]
    async fn domain_errors_map_to_their_statuses_and_types() {
        let cases = [
            (DomainError::NotFound, 404, "not-found"),
            (DomainError::Forbidden("no".into()), 403, "forbidden"),
            (DomainError::Conflict("already".into()), 409, "conflict"),
            (
                DomainError::invalid("name", "required", "x"),
                422,
                "validation",
            ),
            (DomainError::Stale, 412, "stale-version"),
            (DomainError::PreconditionRequired, 428, "if-match-required"),
            (
                DomainError::Internal(anyhow::anyhow!("secret")),
                500,
                "internal",
            ),
        ];
        for (error, status, slug) in cases {
            let (got, body, _) = body_of(error.into()).await;
            assert_eq!(got, status);
            assert_eq!(body["type"], format!("{PROBLEM_BASE}{slug}"));
            assert!(!body.to_string().contains("secret"));
        }
    }

    #[test]
    fn rate_limits_say_when_to_retry() {
        let response = ApiError::TooManyRequests {
            retry_after_secs: 42,
        }
        .error_response();
        assert_eq!(response.headers().get(header::RETRY_AFTER).unwrap(), "42");
        assert_eq!(
            response.headers().get(header::CONTENT_TYPE).unwrap(),
            "application/problem+json"
        );
    }
}
