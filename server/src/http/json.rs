//! `JsonBody<T>`: the one way request bodies are read. Unlike actix's `Json`, it tells a client
//! which field is wrong: syntax errors are 400, well-formed JSON of the wrong shape is 422 with
//! the field's path, a body over the limit is 413 and a non-JSON content type 415.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::error::PayloadError;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, FieldError};

/// The largest body a route accepts; set once at start-up from configuration.
#[derive(Clone, Copy)]
pub struct BodyLimit(pub usize);

pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for JsonBody<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = req
            .app_data::<web::Data<BodyLimit>>()
            .map_or(1024 * 1024, |l| l.0);
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
            while let Some(chunk) = payload.next().await {
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

/// Parses a body, naming the offending field when the JSON is well-formed but of the wrong shape.
pub fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let result: Result<T, _> = serde_path_to_error::deserialize(&mut deserializer);
    let value = match result {
        Ok(value) => value,
        Err(err) => {
            let path = err.path().to_string();
            let inner = err.into_inner();
            return Err(match inner.classify() {
                serde_json::error::Category::Data => data_error(&path, &inner),
                _ => ApiError::BadRequest(format!("the body is not valid JSON: {inner}")),
            });
        }
    };
    deserializer
        .end()
        .map_err(|e| ApiError::BadRequest(format!("the body is not valid JSON: {e}")))?;
    Ok(value)
}

fn data_error(path: &str, inner: &serde_json::Error) -> ApiError {
    let message = inner.to_string();
    // serde reports a missing field at its parent's path; name the field itself.
    if let Some(rest) = message.strip_prefix("missing field `") {
        let name = rest.split('`').next().unwrap_or_default();
        let field = if path == "." || path.is_empty() {
            name.to_owned()
        } else {
            format!("{path}.{name}")
        };
        return ApiError::Validation(vec![FieldError::new(
            field,
            "required",
            "this field is required",
        )]);
    }
    // serde reports an unknown field at its own path.
    if message.starts_with("unknown field `") {
        let field = path.to_owned();
        return ApiError::Validation(vec![FieldError::new(
            field,
            "unknown_field",
            "this field is not accepted here",
        )]);
    }
    let field = if path == "." {
        String::new()
    } else {
        path.to_owned()
    };
    // Strip serde's " at line L column C" suffix; positions mean nothing to a form.
    let message = message
        .split(" at line ")
        .next()
        .unwrap_or(&message)
        .to_owned();
    ApiError::Validation(vec![FieldError::new(field, "invalid_type", message)])
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
}
