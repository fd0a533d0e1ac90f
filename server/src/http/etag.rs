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

/// The versions a change may be based on, from a required `If-Match` header: `*` (RFC 9110
/// §13.1.1: any current version of an existing resource) or a list of entity tags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IfMatch {
    Any,
    Tags(Vec<i32>),
}

impl IfMatch {
    /// 412 unless the resource is still at a version the client names.
    pub fn check(&self, current: i32) -> Result<(), ApiError> {
        if self.matches(current) {
            Ok(())
        } else {
            Err(ApiError::PreconditionFailed)
        }
    }

    /// Whether the resource at `current` is at a version the client names.
    pub fn matches(&self, current: i32) -> bool {
        match self {
            IfMatch::Any => true,
            IfMatch::Tags(tags) => tags.contains(&current),
        }
    }

    fn parse(value: &str) -> IfMatch {
        if value.trim() == "*" {
            return IfMatch::Any;
        }
        // If-Match compares strongly: a weak tag never matches, and neither does a tag we did
        // not issue; both simply drop out of the list, which then fails the check.
        let tags = value
            .split(',')
            .map(str::trim)
            .filter(|tag| !tag.starts_with("W/"))
            .filter_map(|tag| tag.strip_prefix('"')?.strip_suffix('"')?.parse().ok())
            .collect();
        IfMatch::Tags(tags)
    }
}

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let Some(value) = req.headers().get(header::IF_MATCH) else {
            return ready(Err(ApiError::PreconditionRequired));
        };
        // A header that is not text cannot name any version we issued.
        ready(Ok(IfMatch::parse(value.to_str().unwrap_or(""))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_star_matches_any_version_and_a_list_matches_any_member() {
        assert!(IfMatch::parse("*").check(7).is_ok());
        assert!(IfMatch::parse(r#""3", "7""#).check(7).is_ok());
        assert!(IfMatch::parse(r#""3""#).check(7).is_err());
        assert!(IfMatch::parse("garbage").check(7).is_err());
    }
}
