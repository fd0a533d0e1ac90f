//! What a client meets in its first hour with the API: every field error at once, text the
//! database cannot store refused, methods and heads and stalled bodies answered as problems,
//! `If-Match: *`, an OpenAPI document that describes search, and docs that need no internet.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::{TestApp, offering_body, problem, school_body, spawn_app, spawn_app_with};

fn fields(problem: &Value) -> Vec<(String, String)> {
    problem["errors"]
        .as_array()
        .expect("a list of field errors")
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().to_owned(),
                e["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn has(found: &[(String, String)], field: &str, code: &str) -> bool {
    found.iter().any(|(f, c)| f == field && c == code)
}

#[tokio::test]
async fn every_field_error_of_a_body_is_reported_at_once() {
    let app = spawn_app().await;
    let (admin, provider) = app.provider("admin@fields.nl", "20000001").await;
    let path = format!("/v1/providers/{provider}/offerings");

    let empty = app.post(&path, &json!({}), Some(&admin.access)).await;
    assert_eq!(empty.status(), 422);
    let found = fields(&problem(empty).await);
    for field in ["title", "summary", "description", "domain", "sectors"] {
        assert!(has(&found, field, "required"), "{field} in {found:?}");
    }

    let mut mixed = offering_body();
    mixed["title"] = json!(7);
    mixed["sectors"] = json!("po");
    mixed["price_min_cents"] = json!("veel");
    mixed["colour"] = json!("blue");
    let response = app.post(&path, &mixed, Some(&admin.access)).await;
    assert_eq!(response.status(), 422);
    let found = fields(&problem(response).await);
    assert!(has(&found, "title", "invalid_type"), "{found:?}");
    assert!(has(&found, "sectors", "invalid_type"), "{found:?}");
    assert!(has(&found, "price_min_cents", "invalid_type"), "{found:?}");
    assert!(has(&found, "colour", "unknown_field"), "{found:?}");

    // The domain rules too report every bad code, not the first.
    let mut codes = offering_body();
    codes["sectors"] = json!(["po", "hbo", "wo"]);
    codes["regions"] = json!(["mars"]);
    let found = fields(&problem(app.post(&path, &codes, Some(&admin.access)).await).await);
    assert!(has(&found, "sectors[1]", "unknown_code"), "{found:?}");
    assert!(has(&found, "sectors[2]", "unknown_code"), "{found:?}");
    assert!(has(&found, "regions[0]", "unknown_code"), "{found:?}");
}

#[tokio::test]
async fn a_mebibyte_of_bad_codes_gets_a_small_answer() {
    let app = spawn_app().await;
    let (admin, provider) = app.provider("admin@codes.nl", "20000002").await;
    let mut body = offering_body();
    // One code far longer than any message should echo, then about a megabyte of bad codes.
    let mut sectors = vec![json!("z".repeat(100_000))];
    sectors.extend((0..95_000).map(|i| json!(format!("x{i}"))));
    body["sectors"] = Value::Array(sectors);
    let sent = serde_json::to_vec(&body).unwrap().len();
    assert!(sent > 900_000 && sent < 1024 * 1024, "{sent}");

    let response = app
        .post(
            &format!("/v1/providers/{provider}/offerings"),
            &body,
            Some(&admin.access),
        )
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    let bytes = response.bytes().await.unwrap();
    assert!(bytes.len() < 16 * 1024, "{} bytes", bytes.len());
    let answer: Value = serde_json::from_slice(&bytes).unwrap();
    let errors = answer["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 50);
    assert_eq!(errors[0]["field"], "sectors[0]");
    assert!(errors[0]["message"].as_str().unwrap().len() < 1000);
    let detail = answer["detail"].as_str().unwrap();
    assert!(detail.contains("and 94951 more"), "{detail}");
}

#[tokio::test]
async fn nul_characters_are_refused_on_every_route() {
    let app = spawn_app().await;
    let nul_in = |response: reqwest::Response, field: &'static str| async move {
        assert_eq!(response.status(), 422, "{field}");
        let found = fields(&problem(response).await);
        assert!(has(&found, field, "invalid_character"), "{found:?}");
    };

    nul_in(
        app.post(
            "/v1/auth/login",
            &json!({"email": "a\u{0}@b.nl", "password": "geheim-wachtwoord"}),
            None,
        )
        .await,
        "email",
    )
    .await;

    let (admin, provider) = app.provider("admin@nul.nl", "20000003").await;
    let mut offering = offering_body();
    offering["title"] = json!("Dyslexie\u{0}");
    nul_in(
        app.post(
            &format!("/v1/providers/{provider}/offerings"),
            &offering,
            Some(&admin.access),
        )
        .await,
        "title",
    )
    .await;

    let mut school = school_body("12AB");
    school["name"] = json!("OBS\u{0}");
    nul_in(
        app.post("/v1/organizations", &school, Some(&admin.access))
            .await,
        "name",
    )
    .await;

    nul_in(app.get("/v1/search/offerings?q=lezen%00", None).await, "q").await;
    nul_in(
        app.get("/v1/organizations/ab%00cd", Some(&admin.access))
            .await,
        "path",
    )
    .await;
}

#[tokio::test]
async fn if_match_star_matches_the_current_version() {
    let app = spawn_app().await;
    let (admin, provider) = app.provider("admin@star.nl", "20000004").await;
    let (draft, _) = app.draft(&admin, &provider, &offering_body()).await;
    let offering = format!("/v1/offerings/{}", draft["id"].as_str().unwrap());
    let changed = app
        .patch(
            &offering,
            &json!({"title": "Nieuw"}),
            &admin.access,
            Some("*"),
        )
        .await;
    assert_eq!(changed.status(), 200);
    // A stale tag is still refused.
    let stale = app
        .patch(
            &offering,
            &json!({"title": "Ouder"}),
            &admin.access,
            Some("\"1\""),
        )
        .await;
    assert_eq!(stale.status(), 412);

    let organization = format!("/v1/organizations/{provider}");
    let changed = app
        .patch(
            &organization,
            &json!({"name": "Sterretje BV"}),
            &admin.access,
            Some("*"),
        )
        .await;
    assert_eq!(changed.status(), 200);
}

#[tokio::test]
async fn a_wrong_method_is_a_405_naming_the_allowed_ones() {
    let app = spawn_app().await;
    let id = uuid::Uuid::now_v7();
    let response = app
        .client
        .put(app.url(&format!("/v1/organizations/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
    let allow = response.headers()["allow"].to_str().unwrap().to_owned();
    assert!(allow.contains("GET") && allow.contains("PATCH"), "{allow}");
    assert_eq!(
        problem(response).await["type"],
        "https://edumarkt.nl/problems/method-not-allowed"
    );
    for (path, allow) in [
        ("/health/live", "GET"),
        ("/docs", "GET"),
        ("/docs/assets/init.js", "GET"),
    ] {
        let response = app.client.post(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 405, "{path}");
        assert_eq!(response.headers()["allow"], allow, "{path}");
        problem(response).await;
    }
    assert_eq!(app.get("/v1/nothing-here", None).await.status(), 404);
}

#[tokio::test]
async fn head_is_get_without_the_body() {
    let app = spawn_app().await;
    let (status, headers, body) = raw(
        &app,
        b"HEAD /v1/taxonomy HTTP/1.1\r\nHost: edumarkt\r\nConnection: close\r\n\r\n",
        None,
    )
    .await;
    assert!(status.contains(" 200 "), "{status}");
    assert!(
        headers
            .to_ascii_lowercase()
            .contains("content-type: application/json"),
        "{headers}"
    );
    assert!(body.is_empty(), "{body}");
    // A route that has no GET still answers HEAD with 405, naming what it allows.
    let response = app
        .client
        .head(app.url("/v1/auth/login"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
    assert_eq!(response.headers()["allow"], "POST");
}

/// Sends raw bytes and reads one response: its status line, header block and body.
async fn raw(
    app: &TestApp,
    request: &[u8],
    pause_after: Option<usize>,
) -> (String, String, String) {
    let address = app.address.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    match pause_after {
        // Send part of the request and then nothing more.
        Some(n) => stream.write_all(&request[..n]).await.unwrap(),
        None => stream.write_all(request).await.unwrap(),
    }
    let mut received = Vec::new();
    let mut buffer = [0u8; 8192];
    let read = async {
        loop {
            let n = stream.read(&mut buffer).await.unwrap_or(0);
            if n == 0 {
                break;
            }
            received.extend_from_slice(&buffer[..n]);
            let text = String::from_utf8_lossy(&received).to_string();
            if let Some((head, body)) = text.split_once("\r\n\r\n") {
                let length = head
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("content-length:")
                            .map(|v| v.trim().parse::<usize>().unwrap())
                    })
                    .unwrap_or(0);
                if body.len() >= length {
                    break;
                }
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(15), read)
        .await
        .expect("an answer in time");
    let text = String::from_utf8_lossy(&received).to_string();
    let (head, body) = text.split_once("\r\n\r\n").expect("a response");
    let (status, headers) = head.split_once("\r\n").unwrap_or((head, ""));
    (
        status.to_owned(),
        headers.to_ascii_lowercase(),
        body.to_owned(),
    )
}

#[tokio::test]
async fn a_too_large_head_is_a_431_problem() {
    let app = spawn_app().await;
    let request = format!(
        "GET /health/live HTTP/1.1\r\nHost: localhost\r\nX-Padding: {}\r\n\r\n",
        "a".repeat(64 * 1024)
    );
    let (status, headers, body) = raw(&app, request.as_bytes(), None).await;
    assert!(status.starts_with("HTTP/1.1 431"), "{status}");
    assert!(
        headers.contains("content-type: application/problem+json"),
        "{headers}"
    );
    let problem: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(problem["status"], 431);
    assert_eq!(
        problem["type"],
        "https://edumarkt.nl/problems/headers-too-large"
    );
}

#[tokio::test]
async fn a_body_that_never_arrives_is_timed_out_with_408() {
    let app = spawn_app_with(|c| c.body_timeout = Duration::from_secs(1)).await;
    let body = format!("{{\"email\": \"{}\"}}", "a".repeat(87));
    assert_eq!(body.len(), 100);
    let request = format!(
        "POST /v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{body}"
    );
    let head_length = request.len() - body.len();
    let started = Instant::now();
    let (status, headers, body) = raw(&app, request.as_bytes(), Some(head_length + 10)).await;
    assert!(status.starts_with("HTTP/1.1 408"), "{status}");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(
        headers.contains("content-type: application/problem+json"),
        "{headers}"
    );
    let problem: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        problem["type"],
        "https://edumarkt.nl/problems/request-timeout"
    );
}

#[tokio::test]
async fn the_openapi_document_describes_search_parameters_and_the_tenant_token_501() {
    let app = spawn_app().await;
    let doc: Value = app.get("/openapi.json", None).await.json().await.unwrap();
    let search = &doc["paths"]["/v1/search/offerings"]["get"];
    let parameters = search["parameters"].as_array().expect("parameters");
    let named = |name: &str| {
        parameters
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("{name} is not declared"))
            .clone()
    };
    for name in [
        "q",
        "domain",
        "service_type",
        "sector",
        "region",
        "format",
        "delivery",
        "duration",
        "co_creation",
        "theme",
        "evidence_level",
        "price_model",
        "provider_kind",
        "provider_id",
        "evidence_min",
        "price_max_cents",
        "rating_min",
        "sort",
        "page",
        "per_page",
    ] {
        assert_eq!(named(name)["in"], "query", "{name}");
    }
    let sector = named("sector");
    assert_eq!(sector["schema"]["type"], "array");
    assert_eq!(sector["explode"], true);
    assert!(
        sector["schema"]["items"]["enum"]
            .as_array()
            .unwrap()
            .contains(&json!("po"))
    );
    let sorts = named("sort")["schema"]["enum"].as_array().unwrap().clone();
    assert!(sorts.contains(&json!("newest")) && sorts.contains(&json!("relevance")));
    assert_eq!(named("per_page")["schema"]["maximum"], 100);

    let token = &doc["paths"]["/v1/search/tenant-token"]["post"]["responses"]["501"];
    assert!(
        token["content"]["application/problem+json"].is_object(),
        "{token}"
    );
}

#[tokio::test]
async fn the_docs_need_no_other_host_and_run_under_the_csp() {
    let app = spawn_app().await;
    let docs = app.get("/docs", None).await;
    assert_eq!(docs.status(), 200);
    let policy = docs.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(policy.contains("default-src 'self'"), "{policy}");
    assert!(!policy.contains("unsafe-inline") && !policy.contains("unsafe-eval"));
    let html = docs.text().await.unwrap();
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "{html}"
    );
    assert!(!html.contains("<script>"), "no inline script: {html}");

    let mut referenced = Vec::new();
    for attribute in ["src=\"", "href=\""] {
        for part in html.split(attribute).skip(1) {
            referenced.push(part.split('"').next().unwrap().to_owned());
        }
    }
    assert!(referenced.iter().any(|url| url.ends_with(".js")));
    assert!(referenced.iter().any(|url| url.ends_with(".css")));
    for url in referenced {
        assert!(url.starts_with('/'), "{url} is not same-origin");
        let response = app.get(&url, None).await;
        assert_eq!(response.status(), 200, "{url}");
        let content_type = response.headers()["content-type"].to_str().unwrap();
        let expected = if url.ends_with(".js") {
            "text/javascript"
        } else if url.ends_with(".css") {
            "text/css"
        } else {
            "application/json"
        };
        assert!(content_type.starts_with(expected), "{url}: {content_type}");
        assert_eq!(
            response.headers()["content-security-policy"],
            policy.as_str()
        );
        if url.starts_with("/docs/assets/") {
            assert!(response.headers().contains_key("cache-control"), "{url}");
        }
    }
    let init = app
        .get("/docs/assets/init.js", None)
        .await
        .text()
        .await
        .unwrap();
    assert!(init.contains("\"/openapi.json\""));
}
