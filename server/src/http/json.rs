//! `JsonBody<T>`: the one way request bodies are read. Unlike actix's `Json`, it tells a client
//! which fields are wrong: syntax errors are 400, well-formed JSON of the wrong shape is 422
//! with every field's path, a body over the limit is 413 and a non-JSON content type 415.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::error::PayloadError;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use std::collections::HashMap;
use std::time::Duration;

use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_path_to_error::Segment;

use crate::error::{ApiError, FieldError, MAX_FIELD_ERRORS};

/// The largest body a route accepts, and how long it may take to arrive; set once at start-up
/// from configuration.
#[derive(Clone, Copy)]
pub struct BodyLimit {
    pub bytes: usize,
    pub timeout: Duration,
}

impl Default for BodyLimit {
    fn default() -> Self {
        BodyLimit {
            bytes: 1024 * 1024,
            timeout: Duration::from_secs(10),
        }
    }
}

pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for JsonBody<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let BodyLimit {
            bytes: limit,
            timeout,
        } = req
            .app_data::<web::Data<BodyLimit>>()
            .map_or_else(BodyLimit::default, |l| *l.get_ref());
        let content_type_ok = is_json(req);
        let declared_length = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let mut payload = payload.take();
        Box::pin(async move {
            if !content_type_ok {
                return Err(ApiError::UnsupportedMediaType);
            }
            if declared_length.is_some_and(|len| len > limit) {
                return Err(ApiError::PayloadTooLarge { limit });
            }
            let mut body = web::BytesMut::new();
            // One deadline for the whole body: a trickle of bytes must not extend it.
            let deadline = tokio::time::Instant::now() + timeout;
            while let Some(chunk) = tokio::time::timeout_at(deadline, payload.next())
                .await
                .map_err(|_| ApiError::RequestTimeout)?
            {
                let chunk = chunk.map_err(|e| match e {
                    PayloadError::Overflow => ApiError::PayloadTooLarge { limit },
                    other => ApiError::BadRequest(format!("could not read the body: {other}")),
                })?;
                if body.len() + chunk.len() > limit {
                    return Err(ApiError::PayloadTooLarge { limit });
                }
                body.extend_from_slice(&chunk);
            }
            parse(&body).map(JsonBody)
        })
    }
}

fn is_json(req: &HttpRequest) -> bool {
    let Some(value) = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// For optional fields that may be cleared: tells an absent field (`None`, leave as is) from an
/// explicit `null` (`Some(None)`, clear it). Use with `#[serde(default, deserialize_with = …)]`.
pub fn nullable<'de, D: serde::Deserializer<'de>, T: serde::Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    <Option<T> as serde::Deserialize>::deserialize(d).map(Some)
}

/// At most this many deserialisation attempts per body: each re-reads the whole body, so a
/// body full of mistyped values cannot buy unbounded work.
const MAX_ATTEMPTS: usize = 100;

/// Parses a body. Syntax errors are a 400; a well-formed body of the wrong shape is a 422 that
/// names every missing, unknown and mistyped field at once (up to `MAX_FIELD_ERRORS`), and every
/// text that PostgreSQL cannot store (U+0000).
///
/// serde stops at the first error, so the body is read into a `Value` and deserialised in a
/// loop: each error is recorded at its path and the `Value` patched to get past it (an unknown
/// field removed; a missing or mistyped one replaced by a stand-in that deserialises), until
/// the body deserialises or cannot be patched further. This works for every request type,
/// with no code per type.
pub fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let mut value: Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::BadRequest(format!("the body is not valid JSON: {e}")))?;
    let mut report = Report::default();
    unstorable_text(&value, &mut String::new(), &mut report);
    let mut stand_ins: HashMap<String, (Vec<Value>, usize)> = HashMap::new();
    for attempt in 0.. {
        if report.full() || attempt == MAX_ATTEMPTS {
            report.truncated = true;
            break;
        }
        let err = match serde_path_to_error::deserialize::<_, T>(&value) {
            Ok(parsed) if report.errors.is_empty() => return Ok(parsed),
            Ok(_) => return Err(report.into_error()),
            Err(err) => err,
        };
        let segments: Vec<Segment> = err.path().iter().cloned().collect();
        let path = err.path().to_string();
        let message = err.into_inner().to_string();
        let (field, code, text) = describe(&path, &message);
        report.push(field.clone(), code, text);
        let patched = if code == "unknown_field" {
            remove(&mut value, &segments)
        } else {
            let (candidates, next) = stand_ins.entry(field).or_default();
            // A first stand-in can reveal what the field wants ("expected one of" the variants
            // of an enum): try that next.
            let fresh: Vec<Value> = stand_ins_for(&message)
                .into_iter()
                .filter(|c| !candidates.contains(c))
                .collect();
            candidates.splice(*next..*next, fresh);
            let Some(candidate) = candidates.get(*next).cloned() else {
                break;
            };
            *next += 1;
            match message.strip_prefix("missing field `") {
                Some(rest) => {
                    let name = rest.split('`').next().unwrap_or_default();
                    insert(&mut value, &segments, name, candidate)
                }
                None => replace(&mut value, &segments, candidate),
            }
        };
        if !patched {
            break;
        }
    }
    // Out of attempts, or stuck on an error that cannot be patched: report what was found.
    if report.errors.is_empty() {
        report.push(String::new(), "invalid", "the body could not be read");
    }
    Err(report.into_error())
}

/// The field errors of one body: one per field (an error below a field already reported, e.g.
/// inside an object given the wrong type, adds nothing), at most `MAX_FIELD_ERRORS`.
#[derive(Default)]
struct Report {
    errors: Vec<FieldError>,
    truncated: bool,
}

impl Report {
    fn push(&mut self, field: String, code: &'static str, message: impl Into<String>) {
        let covered = self.errors.iter().any(|e| {
            e.field.is_empty()
                || field == e.field
                || field
                    .strip_prefix(e.field.as_str())
                    .is_some_and(|rest| rest.starts_with(['.', '[']))
        });
        if covered {
            return;
        }
        if self.full() {
            self.truncated = true;
            return;
        }
        self.errors.push(FieldError::new(field, code, message));
    }

    fn full(&self) -> bool {
        self.errors.len() >= MAX_FIELD_ERRORS
    }

    fn into_error(mut self) -> ApiError {
        if self.truncated {
            self.errors.push(FieldError::new(
                "",
                "too_many_errors",
                format!("only the first {MAX_FIELD_ERRORS} errors were checked"),
            ));
        }
        ApiError::Validation(self.errors)
    }
}

/// Every string and object key holding U+0000, which a PostgreSQL `text` cannot store.
fn unstorable_text(value: &Value, path: &mut String, report: &mut Report) {
    if report.full() {
        return;
    }
    let len = path.len();
    match value {
        Value::String(s) if s.contains('\0') => report.push(
            path.clone(),
            "invalid_character",
            "must not contain the NUL character",
        ),
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                path.push_str(&format!("[{index}]"));
                unstorable_text(item, path, report);
                path.truncate(len);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                if !path.is_empty() {
                    path.push('.');
                }
                // The key goes into the field name, which must itself be storable and printable.
                path.push_str(&key.replace('\0', "\u{fffd}"));
                if key.contains('\0') {
                    report.push(
                        path.clone(),
                        "invalid_character",
                        "a field name must not contain the NUL character",
                    );
                } else {
                    unstorable_text(item, path, report);
                }
                path.truncate(len);
            }
        }
        _ => {}
    }
}

/// The field, code and message a client sees for one serde error at `path`.
fn describe(path: &str, message: &str) -> (String, &'static str, String) {
    let path = if path == "." { "" } else { path };
    // serde reports a missing field at its parent's path; name the field itself.
    if let Some(rest) = message.strip_prefix("missing field `") {
        let name = rest.split('`').next().unwrap_or_default();
        let field = if path.is_empty() {
            name.to_owned()
        } else {
            format!("{path}.{name}")
        };
        return (field, "required", "this field is required".into());
    }
    // serde reports an unknown field at its own path.
    if message.starts_with("unknown field `") {
        return (
            path.to_owned(),
            "unknown_field",
            "this field is not accepted here".into(),
        );
    }
    (path.to_owned(), "invalid_type", message.to_owned())
}

/// Values to put in place of a missing or mistyped one, in the order tried. An enum names its
/// variants in serde's message, so its first variant goes first.
fn stand_ins_for(message: &str) -> Vec<Value> {
    // serde says "expected `a`", "expected `a` or `b`" or "expected one of `a`, `b`, `c`".
    let variant = message
        .split_once("expected ")
        .map(|(_, rest)| rest.strip_prefix("one of ").unwrap_or(rest))
        .and_then(|rest| rest.strip_prefix('`')?.split('`').next())
        .map(|v| Value::String(v.to_owned()));
    variant
        .into_iter()
        .chain([
            Value::String(String::new()),
            Value::from(0),
            Value::Bool(false),
            Value::Array(Vec::new()),
            Value::Object(serde_json::Map::new()),
            Value::Null,
        ])
        .collect()
}

/// The value at `segments`, if the path leads through objects and arrays to one.
fn at<'v>(mut value: &'v mut Value, segments: &[Segment]) -> Option<&'v mut Value> {
    for segment in segments {
        value = match (segment, value) {
            (Segment::Seq { index }, Value::Array(items)) => items.get_mut(*index)?,
            (Segment::Map { key }, Value::Object(map)) => map.get_mut(key)?,
            // An externally tagged enum's content sits under its variant's name.
            (Segment::Enum { variant }, Value::Object(map)) => map.get_mut(variant)?,
            (Segment::Enum { .. }, v) => v,
            _ => return None,
        };
    }
    Some(value)
}

fn replace(value: &mut Value, segments: &[Segment], candidate: Value) -> bool {
    at(value, segments).map(|v| *v = candidate).is_some()
}

fn insert(value: &mut Value, segments: &[Segment], name: &str, candidate: Value) -> bool {
    match at(value, segments) {
        Some(Value::Object(map)) => {
            map.insert(name.to_owned(), candidate);
            true
        }
        _ => false,
    }
}

fn remove(value: &mut Value, segments: &[Segment]) -> bool {
    let Some((Segment::Map { key }, parent)) = segments.split_last() else {
        return false;
    };
    match at(value, parent) {
        Some(Value::Object(map)) => map.remove(key).is_some(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Login {
        email: String,
        attempts: u32,
        nested: Option<Nested>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Nested {
        quantity: u32,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Offer {
        title: String,
        kind: Kind,
        sectors: Vec<String>,
        price: Price,
        tags: Vec<u32>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Training,
        Coaching,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Price {
        cents: i64,
        model: Kind,
    }

    fn all_errors(body: &str) -> Vec<(String, &'static str)> {
        match parse::<Offer>(body.as_bytes()) {
            Err(ApiError::Validation(errors)) => {
                errors.into_iter().map(|e| (e.field, e.code)).collect()
            }
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    fn pairs(expected: &[(&str, &'static str)]) -> Vec<(String, &'static str)> {
        expected
            .iter()
            .map(|(f, c)| ((*f).to_owned(), *c))
            .collect()
    }

    fn field_errors(body: &str) -> Vec<FieldError> {
        match parse::<Login>(body.as_bytes()) {
            Err(ApiError::Validation(errors)) => errors,
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn syntax_errors_are_bad_requests() {
        assert!(matches!(
            parse::<Login>(b"{\"email\": "),
            Err(ApiError::BadRequest(_))
        ));
        assert!(matches!(
            parse::<Login>(br#"{"email": "a", "attempts": 1} trailing"#),
            Err(ApiError::BadRequest(_))
        ));
    }

    #[test]
    fn wrong_types_name_the_field() {
        let errors = field_errors(r#"{"email": "a@b.nl", "attempts": "three"}"#);
        assert_eq!(errors[0].field, "attempts");
        assert_eq!(errors[0].code, "invalid_type");
        let errors =
            field_errors(r#"{"email": "a@b.nl", "attempts": 1, "nested": {"quantity": -1}}"#);
        assert_eq!(errors[0].field, "nested.quantity");
    }

    #[test]
    fn missing_and_unknown_fields_are_named() {
        assert_eq!(field_errors(r#"{"attempts": 1}"#)[0].field, "email");
        assert_eq!(field_errors(r#"{"attempts": 1}"#)[0].code, "required");
        let errors = field_errors(r#"{"email": "a", "attempts": 1, "admin": true}"#);
        assert_eq!(
            (errors[0].field.as_str(), errors[0].code),
            ("admin", "unknown_field")
        );
    }

    #[test]
    fn every_missing_unknown_and_mistyped_field_is_named_at_once() {
        assert_eq!(
            all_errors("{}"),
            pairs(&[
                ("title", "required"),
                ("kind", "required"),
                ("sectors", "required"),
                ("price", "required"),
                ("tags", "required"),
            ])
        );
        let mut found = all_errors(
            r#"{"title": 7, "kind": "lecture", "sectors": "po", "admin": true,
                "price": {"cents": "ten", "model": 3}, "tags": [1, "two", 3, -4]}"#,
        );
        found.sort();
        assert_eq!(
            found,
            pairs(&[
                ("admin", "unknown_field"),
                ("kind", "invalid_type"),
                ("price.cents", "invalid_type"),
                ("price.model", "invalid_type"),
                ("sectors", "invalid_type"),
                ("tags[1]", "invalid_type"),
                ("tags[3]", "invalid_type"),
                ("title", "invalid_type"),
            ])
        );
        // A mistyped object is one error, not one per field it lacks.
        assert_eq!(
            all_errors(
                r#"{"title": "t", "kind": "training", "sectors": [], "price": 5, "tags": []}"#
            ),
            pairs(&[("price", "invalid_type")])
        );
    }

    #[test]
    fn nul_characters_are_refused_in_values_and_keys() {
        assert_eq!(
            field_errors(r#"{"email": "a\u0000@b.nl", "attempts": 1}"#)[0],
            FieldError::new(
                "email",
                "invalid_character",
                "must not contain the NUL character"
            )
        );
        let found = all_errors(
            r#"{"title": "t", "kind": "training", "sectors": ["po", "v\u0000o"], "price": {"cents": 1, "model": "coaching"}, "tags": [], "x\u0000": 1}"#,
        );
        assert_eq!(found[0], ("sectors[1]".to_owned(), "invalid_character"));
        assert_eq!(found[1], ("x\u{fffd}".to_owned(), "invalid_character"));
    }

    #[test]
    fn the_list_is_bounded_and_the_work_too() {
        let tags: Vec<String> = (0..10_000).map(|i| format!("\"t{i}\"")).collect();
        let body = format!(
            r#"{{"title": "t", "kind": "training", "sectors": [], "price": {{"cents": 1, "model": "training"}}, "tags": [{}]}}"#,
            tags.join(",")
        );
        let found = all_errors(&body);
        assert_eq!(found.len(), MAX_FIELD_ERRORS + 1);
        assert_eq!(found[MAX_FIELD_ERRORS].1, "too_many_errors");
    }
}
