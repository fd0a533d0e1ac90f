//! Limits that hold across processes: the login throttle and the per-client rate limits are
//! counted in the database, and a pool with nothing free or a handler taking too long is
//! answered 503 with `Retry-After` rather than queued.

use std::time::{Duration, Instant};

use serde_json::json;

use crate::helpers::{PASSWORD, problem, second_server, spawn_app, spawn_app_serving_only};

fn retry_after(response: &reqwest::Response) -> u64 {
    response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn failed_logins_through_one_server_are_refused_by_another() {
    let app = spawn_app().await;
    app.user("target@school.nl").await;
    let (second, dir) = second_server(&app).await;
    for _ in 0..5 {
        assert_eq!(
            app.login("target@school.nl", "fout wachtwoord 123")
                .await
                .status(),
            401
        );
    }
    let login = |password: &'static str| {
        app.client
            .post(format!("{second}/v1/auth/login"))
            .json(&json!({"email": "target@school.nl", "password": password}))
            .send()
    };
    let blocked = login(PASSWORD).await.unwrap();
    assert_eq!(blocked.status(), 429);
    let wait = retry_after(&blocked);
    assert!(wait > 0 && wait <= 15 * 60, "Retry-After {wait}");
    assert_eq!(problem(blocked).await["status"], 429);

    app.clock.advance(chrono::Duration::minutes(16));
    assert_eq!(login(PASSWORD).await.unwrap().status(), 200);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn public_reads_are_limited_per_client_until_the_window_passes() {
    let app = spawn_app_serving_only(|c| c.rate_limits.public_per_client = 3).await;
    for _ in 0..3 {
        assert_eq!(app.get("/v1/taxonomy", None).await.status(), 200);
    }
    let refused = app.get("/v1/taxonomy", None).await;
    assert_eq!(refused.status(), 429);
    let wait = retry_after(&refused);
    assert!(wait > 0 && wait <= 60, "Retry-After {wait}");
    assert_eq!(
        problem(refused).await["type"],
        "https://edumarkt.nl/problems/rate-limited"
    );
    // The pages share the client's count, and refuse in Dutch.
    let page = app
        .client
        .get(app.url("/vergelijken"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 429);
    assert!(page.headers().contains_key("retry-after"));
    assert!(page.text().await.unwrap().contains("Te veel pogingen"));
    // Routes outside the limits are not counted.
    assert_eq!(app.get("/health/live", None).await.status(), 200);

    app.clock.advance(chrono::Duration::seconds(61));
    assert_eq!(app.get("/v1/taxonomy", None).await.status(), 200);
}

#[tokio::test]
async fn authentication_requests_are_limited_per_client_across_servers() {
    let app = spawn_app_serving_only(|c| c.rate_limits.auth_per_client = 2).await;
    let (second, dir) = second_server(&app).await;
    let reset = json!({"email": "iemand@school.nl"});
    assert_eq!(
        app.post("/v1/auth/password-reset", &reset, None)
            .await
            .status(),
        202
    );
    let through_second = app
        .client
        .post(format!("{second}/v1/auth/password-reset"))
        .json(&reset)
        .send()
        .await
        .unwrap();
    assert_eq!(through_second.status(), 202);
    let refused = app.post("/v1/auth/password-reset", &reset, None).await;
    assert_eq!(refused.status(), 429);
    assert!(retry_after(&refused) <= 60);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn a_request_finding_no_free_connection_is_answered_503_with_retry_after() {
    let app = spawn_app_serving_only(|c| {
        c.db_pool_size = 1;
        c.db_pool_wait = Duration::from_millis(200);
    })
    .await;
    let held = app.state.pool.get().await.unwrap();
    let started = Instant::now();
    let busy = app.get("/v1/taxonomy", None).await;
    assert_eq!(busy.status(), 503);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(retry_after(&busy) > 0);
    assert_eq!(problem(busy).await["status"], 503);
    let page = app
        .client
        .get(app.url("/vergelijken"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 503);
    assert!(page.headers().contains_key("retry-after"));

    drop(held);
    assert_eq!(app.get("/v1/taxonomy", None).await.status(), 200);
}

#[tokio::test]
async fn a_handler_running_past_the_request_timeout_is_answered_503() {
    // The pool would let the request wait 30 s; the request timeout ends it first.
    let app = spawn_app_serving_only(|c| {
        c.db_pool_size = 1;
        c.db_pool_wait = Duration::from_secs(30);
        c.request_timeout = Duration::from_millis(300);
    })
    .await;
    let held = app.state.pool.get().await.unwrap();
    let started = Instant::now();
    let slow = app
        .get("/v1/offerings/0193a3a0-0000-7000-8000-000000000000", None)
        .await;
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(slow.status(), 503);
    assert!(retry_after(&slow) > 0);
    let body = problem(slow).await;
    assert!(
        body["detail"].as_str().unwrap().contains("took longer"),
        "{body}"
    );
    drop(held);
}

#[tokio::test]
async fn a_new_window_prunes_the_passed_windows_of_its_scope() {
    let app = spawn_app_serving_only(|_| {}).await;
    app.login("eerst@school.nl", "fout wachtwoord 123").await;
    let keys = |scope: &'static str| {
        let app = &app;
        async move {
            app.sql()
                .await
                .query("SELECT key FROM rate_counters WHERE scope = $1", &[&scope])
                .await
                .unwrap()
                .iter()
                .map(|row| row.get::<_, String>(0))
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(keys("login-account").await, ["eerst@school.nl"]);
    app.clock.advance(chrono::Duration::minutes(16));
    app.login("later@school.nl", "fout wachtwoord 123").await;
    assert_eq!(keys("login-account").await, ["later@school.nl"]);
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_address_it_appended_is_counted() {
    let app = spawn_app_serving_only(|c| {
        c.trust_forwarded_for = true;
        c.rate_limits.public_per_client = 2;
    })
    .await;
    let get = |forwarded: String| {
        app.client
            .get(app.url("/v1/taxonomy"))
            .header("x-forwarded-for", forwarded)
            .send()
    };
    // What the client put before the proxy's entry changes nothing: one client, one count.
    for spoofed in 1..=2 {
        let response = get(format!("10.0.0.{spoofed}, 198.51.100.4"))
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
    }
    let refused = get("10.0.0.3, 198.51.100.4".into()).await.unwrap();
    assert_eq!(refused.status(), 429);
    // Another client behind the same proxy has a count of its own.
    assert_eq!(get("198.51.100.5".into()).await.unwrap().status(), 200);
}
