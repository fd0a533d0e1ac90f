//! What every request passes before and after its route: heads too large to handle and text
//! PostgreSQL cannot store are refused before any route sees them, and every error response,
//! actix's own included (plain text or empty) and a panicking route's, leaves as problem+json.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::http::header::{self, HeaderMap, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, ResponseError};
use futures_util::FutureExt;
use std::panic::AssertUnwindSafe;

use crate::error::{ApiError, FieldError};

/// The largest request head (request line and header fields) we answer. actix-http refuses
/// heads over 128 KiB (or with more than 96 fields) by itself with a bare 431 and no body; this
/// lower limit answers the heads between with a 431 problem+json, leaving actix's as a backstop
/// for the rest. 32 KiB is four times the largest single header line common proxies accept.
pub const MAX_HEAD_BYTES: usize = 32 * 1024;

/// The Content-Security-Policy of every response that sets none of its own: this origin only,
/// no inline script or style, no framing. `data:` images are for the icons inside stylesheets.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' data:; \
     object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

pub async fn middleware(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    // RFC 9110 §9.3.2: HEAD is GET without the content. Routes are declared for GET alone, so a
    // HEAD is routed as a GET; the connection's codec saw HEAD and leaves the body out.
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
    let mut response = match refuse(&req) {
        // A page's visitor reads the refusal of what their URL holds as a Dutch page (a
        // browser shows problem+json as raw text); the API's clients keep the problem.
        Some(ApiError::Validation(_)) if crate::web::is_page_path(req.path()) => {
            req.error_response(crate::web::PageError::BadRequest)
        }
        Some(error) => req.error_response(error),
        None => {
            // A panic inside a route would otherwise unwind through the connection's task and
            // close it without an answer. It becomes the 500 problem of any other fault. That
            // has to travel as an `Err`, which actix answers with the error's own response:
            // building a response needs the request, and keeping a copy of it across the call
            // would stop actix from routing it (routing needs the only reference).
            match AssertUnwindSafe(next.call(req)).catch_unwind().await {
                Ok(response) => as_problem(response?.map_into_boxed_body()),
                Err(payload) => {
                    let message = panic_message(payload.as_ref());
                    tracing::error!(panic = message, "the route panicked");
                    return Err(ApiError::Internal(anyhow::anyhow!("the route panicked")).into());
                }
            }
        }
    };
    let headers = response.headers_mut();
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        );
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok(response)
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)")
}

/// Why a request is refused before routing, if it is.
fn refuse(req: &ServiceRequest) -> Option<ApiError> {
    let head = req.path().len() + req.query_string().len() + header_bytes(req.headers());
    if head > MAX_HEAD_BYTES {
        return Some(ApiError::HeadersTooLarge {
            limit: MAX_HEAD_BYTES,
        });
    }
    let mut errors = Vec::new();
    // A path segment holding an encoded NUL; the raw path is still percent-encoded.
    if req.path().to_ascii_lowercase().contains("%00") {
        errors.push(nul_error("path".to_owned()));
    }
    for (name, value) in form_urlencoded::parse(req.query_string().as_bytes()) {
        if name.contains('\0') || value.contains('\0') {
            errors.push(nul_error(name.replace('\0', "\u{fffd}")));
        }
    }
    (!errors.is_empty()).then_some(ApiError::Validation(errors))
}

fn nul_error(field: String) -> FieldError {
    FieldError::new(
        field,
        "invalid_character",
        "must not contain the NUL character",
    )
}

fn header_bytes(headers: &HeaderMap) -> usize {
    headers
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum()
}

/// An error response without a problem+json body (actix's plain-text or empty ones) is
/// replaced by the problem for its status. Other bodies (problems, pages) stay as they are.
fn as_problem(response: ServiceResponse<BoxBody>) -> ServiceResponse<BoxBody> {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !(content_type.is_empty() || content_type.starts_with("text/plain")) {
        return response;
    }
    let kept: Vec<_> = response
        .headers()
        .iter()
        .filter(|(name, _)| {
            **name == header::ALLOW || **name == header::RETRY_AFTER || **name == header::CONNECTION
        })
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect();
    response.map_into_boxed_body().into_response({
        let mut problem = ApiError::from_status(status).error_response();
        for (name, value) in kept {
            problem.headers_mut().insert(name, value);
        }
        problem
    })
}

#[cfg(test)]
mod tests {
    use actix_web::middleware::from_fn;
    use actix_web::{App, HttpResponse, test, web};

    use super::*;

    #[actix_web::test]
    async fn actix_plain_errors_and_panics_become_problems_and_pages_stay() {
        let app = test::init_service(
            App::new()
                .route(
                    "/plain",
                    web::get().to(|| async {
                        HttpResponse::BadRequest().body("Query deserialize error")
                    }),
                )
                .route(
                    "/empty",
                    web::get().to(|| async { HttpResponse::PayloadTooLarge().finish() }),
                )
                .route(
                    "/panic",
                    web::get().to(|| async {
                        if std::hint::black_box(true) {
                            panic!("a bug in a route");
                        }
                        HttpResponse::Ok().finish()
                    }),
                )
                .route(
                    "/page",
                    web::get().to(|| async {
                        HttpResponse::NotFound()
                            .content_type("text/html; charset=utf-8")
                            .body("<h1>Niet gevonden</h1>")
                    }),
                )
                .wrap(from_fn(middleware)),
        )
        .await;
        for (path, status) in [("/plain", 400), ("/empty", 413)] {
            let response =
                test::call_service(&app, test::TestRequest::get().uri(path).to_request()).await;
            assert_eq!(response.status().as_u16(), status, "{path}");
            assert_eq!(
                response.headers().get(header::CONTENT_TYPE).unwrap(),
                "application/problem+json",
                "{path}"
            );
            let body: serde_json::Value = test::read_body_json(response).await;
            assert_eq!(body["status"], status, "{path}");
            assert!(!body.to_string().contains("deserialize"), "{body}");
        }
        // A panic comes back as the 500 problem, without the panic's text.
        let panicked =
            test::try_call_service(&app, test::TestRequest::get().uri("/panic").to_request())
                .await
                .expect_err("a panicking route answers with an error");
        let response = panicked.error_response();
        assert_eq!(response.status().as_u16(), 500);
        assert_eq!(
            response.headers().get(header::CONTENT_TYPE).unwrap(),
            "application/problem+json"
        );
        let body = actix_web::body::to_bytes(response.into_body())
            .await
            .unwrap();
        let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(body["status"], 500);
        assert!(!body.to_string().contains("a bug"), "{body}");
        let page =
            test::call_service(&app, test::TestRequest::get().uri("/page").to_request()).await;
        assert_eq!(
            page.headers().get(header::CONTENT_TYPE).unwrap(),
            "text/html; charset=utf-8"
        );
        assert!(page.headers().contains_key(header::CONTENT_SECURITY_POLICY));
    }
}
