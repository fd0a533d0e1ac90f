//! Optimistic concurrency: mutable resources carry a version, sent as a strong ETag, and every
//! change must name the version it was based on in `If-Match`, so a concurrent edit is refused
//! (412) instead of silently overwritten.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest};

use crate::error::ApiError;

/// The ETag of a resource at `version`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ETag(pub i32);

impl ETag {
    pub fn header(self) -> (header::HeaderName, String) {
        (header::ETAG, format!("\"{}\"", self.0))
    }
}

/// The version a change was based on, from a required `If-Match` header.
#[derive(Debug, Clone, Copy)]
pub struct IfMatch(pub i32);

impl IfMatch {
    /// 412 unless the resource is still at the version the client read.
    pub fn check(self, current: i32) -> Result<(), ApiError> {
        if self.0 == current {
            Ok(())
        } else {
            Err(ApiError::PreconditionFailed)
        }
    }
}

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let Some(value) = req.headers().get(header::IF_MATCH) else {
            return ready(Err(ApiError::PreconditionRequired));
        };
        let parsed = value
            .to_str()
            .ok()
            .map(|v| v.trim().trim_start_matches("W/").trim_matches('"'))
            .and_then(|v| v.parse::<i32>().ok());
        // An unparseable tag cannot match any version we issued.
        ready(Ok(IfMatch(parsed.unwrap_or(i32::MIN))))
    }
}
