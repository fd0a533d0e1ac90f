//! `/metrics` as an operator of several processes reads it: the queues' depth, the age of their
//! oldest row and the search sync lag, read from the database whichever process is scraped,
//! with counts that stop at a cap; and the callers waiting for a database connection.

use chrono::Duration;
use edumarkt_server::jobs::{self, JobKind};
use edumarkt_server::metrics::OUTBOX_COUNT_CAP;
use serde_json::json;

use crate::helpers::{
    TestApp, offering_body, spawn_app_serving_only, spawn_app_without_job_worker,
    spawn_app_without_search_worker,
};

async fn scrape(app: &TestApp) -> String {
    let response = app.get("/metrics", None).await;
    assert_eq!(response.status(), 200);
    response.text().await.unwrap()
}

/// The value of one series of a scrape; fails showing the scrape when the series is missing.
fn value(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .unwrap_or_else(|| panic!("{series} is missing from\n{text}"))
        .parse()
        .unwrap()
}

fn rows(text: &str, outbox: &str, state: &str) -> f64 {
    value(
        text,
        &format!(r#"edumarkt_outbox_rows{{outbox="{outbox}",state="{state}"}}"#),
    )
}

fn oldest_age(text: &str, outbox: &str) -> f64 {
    value(
        text,
        &format!(r#"edumarkt_outbox_oldest_age_seconds{{outbox="{outbox}"}}"#),
    )
}

fn sync_lag(text: &str, index: &str) -> f64 {
    value(
        text,
        &format!(r#"edumarkt_search_sync_lag_seconds{{index="{index}"}}"#),
    )
}

fn attempts_max(text: &str, kind: &str) -> f64 {
    value(
        text,
        &format!(r#"edumarkt_jobs_failing_attempts_max{{kind="{kind}"}}"#),
    )
}

#[tokio::test]
async fn a_job_kinds_due_jobs_show_with_how_long_the_first_has_waited() {
    let app = spawn_app_without_job_worker().await;
    assert_eq!(app.register("wacht@school.nl").await.status(), 201);
    // A reminder queued for later is not due: it neither counts nor ages.
    {
        let mut conn = app.state.pool.get().await.unwrap();
        let now = app.state.clock.now();
        jobs::enqueue(
            &mut conn,
            JobKind::BundleReminder,
            json!({}),
            now,
            now + Duration::days(2),
        )
        .await
        .unwrap();
    }
    app.clock.advance(Duration::minutes(7));

    let text = scrape(&app).await;
    assert_eq!(rows(&text, "mail", "waiting"), 1.0);
    assert_eq!(oldest_age(&text, "mail"), 420.0);
    assert_eq!(rows(&text, "bundle_reminder", "waiting"), 0.0);
    assert_eq!(oldest_age(&text, "bundle_reminder"), 0.0);
    assert_eq!(rows(&text, "mail", "failing"), 0.0);
    assert_eq!(attempts_max(&text, "mail"), 0.0);

    assert_eq!(crate::jobs::worker(&app).run_due().await.unwrap().done, 1);
    let text = scrape(&app).await;
    assert_eq!(rows(&text, "mail", "waiting"), 0.0);
    assert_eq!(oldest_age(&text, "mail"), 0.0);
}

#[tokio::test]
async fn a_failing_delivery_shows_as_failing_with_its_attempts_until_it_goes_out() {
    let app = spawn_app_without_job_worker().await;
    app.state.mailer.set_failing(true);
    assert_eq!(app.register("onbereikbaar@school.nl").await.status(), 201);
    let worker = crate::jobs::worker(&app);
    assert_eq!(worker.run_due().await.unwrap().failed, 1);

    // Waiting out its retry (30 s less at most a tenth): failing, not due.
    let text = scrape(&app).await;
    assert_eq!(rows(&text, "mail", "failing"), 1.0);
    assert_eq!(attempts_max(&text, "mail"), 1.0);
    assert_eq!(rows(&text, "mail", "waiting"), 0.0);
    assert_eq!(oldest_age(&text, "mail"), 0.0);

    // Due again since its retry time, 27 to 30 s after the failure.
    app.clock.advance(Duration::minutes(2));
    let text = scrape(&app).await;
    assert_eq!(rows(&text, "mail", "waiting"), 1.0);
    let age = oldest_age(&text, "mail");
    assert!((90.0..=93.0).contains(&age), "{age}");

    assert_eq!(worker.run_due().await.unwrap().failed, 1);
    let text = scrape(&app).await;
    assert_eq!(attempts_max(&text, "mail"), 2.0);
    assert_eq!(rows(&text, "mail", "failing"), 1.0);

    app.state.mailer.set_failing(false);
    app.clock.advance(Duration::minutes(2));
    assert_eq!(worker.run_due().await.unwrap().done, 1);
    let text = scrape(&app).await;
    assert_eq!(rows(&text, "mail", "failing"), 0.0);
    assert_eq!(attempts_max(&text, "mail"), 0.0);
}

#[tokio::test]
async fn a_search_index_behind_the_database_shows_its_lag_until_it_is_synced() {
    // The test's clock starts with the app; the changes come later, by the system clock.
    let started = std::time::Instant::now();
    let app = spawn_app_without_search_worker().await;
    let (admin, provider) = app.provider("admin@aanbieder.nl", "12345678").await;
    app.publish(&admin, &provider, &offering_body()).await;
    let elapsed = started.elapsed().as_secs_f64();
    app.clock.advance(Duration::minutes(10));

    let text = scrape(&app).await;
    assert!(rows(&text, "search_offerings", "waiting") >= 1.0, "{text}");
    assert_eq!(rows(&text, "search_offerings", "failing"), 0.0);
    let age = oldest_age(&text, "search_offerings");
    assert!(age >= 600.0 - elapsed && age <= 600.0, "{age}");
    assert_eq!(sync_lag(&text, "offerings"), age);
    // The other index is in step: one index's backlog is not another's.
    assert_eq!(rows(&text, "search_bundles", "waiting"), 0.0);
    assert_eq!(oldest_age(&text, "search_bundles"), 0.0);
    assert_eq!(sync_lag(&text, "bundles"), 0.0);

    app.sync_search().await;
    let text = scrape(&app).await;
    assert_eq!(rows(&text, "search_offerings", "waiting"), 0.0);
    assert_eq!(oldest_age(&text, "search_offerings"), 0.0);
    assert_eq!(sync_lag(&text, "offerings"), 0.0);
}

#[tokio::test]
async fn a_scrape_counts_no_further_than_its_cap() {
    // No workers: the rows stay as the test wrote them.
    let started = std::time::Instant::now();
    let app = spawn_app_serving_only(|_| {}).await;
    let sql = app.sql().await;
    let over = OUTBOX_COUNT_CAP + 1;
    sql.execute(
        "INSERT INTO jobs (id, kind, payload, run_at, attempts, created_at) \
         SELECT gen_random_uuid(), 'mail', '{}'::jsonb, now() - interval '1 hour', 3, now() \
         FROM generate_series(1, $1::bigint)",
        &[&over],
    )
    .await
    .unwrap();
    sql.execute(
        "INSERT INTO search_outbox (kind, document_id, attempts) \
         SELECT 'bundles', gen_random_uuid(), 1 FROM generate_series(1, $1::bigint)",
        &[&over],
    )
    .await
    .unwrap();

    let elapsed = started.elapsed().as_secs_f64();
    let text = scrape(&app).await;
    let cap = OUTBOX_COUNT_CAP as f64;
    assert_eq!(rows(&text, "mail", "waiting"), cap);
    assert_eq!(rows(&text, "mail", "failing"), cap);
    assert_eq!(rows(&text, "search_bundles", "waiting"), cap);
    assert_eq!(rows(&text, "search_bundles", "failing"), cap);
    // The figures that are not counts are still exact.
    assert_eq!(attempts_max(&text, "mail"), 3.0);
    // Due an hour before the insert, which came after the test's clock started.
    let age = oldest_age(&text, "mail");
    assert!(age >= 3600.0 - elapsed && age <= 3600.0, "{age}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn callers_waiting_for_a_database_connection_show_in_the_pool_gauge() {
    let app = spawn_app_serving_only(|_| {}).await;
    let pool = app.state.pool.clone();
    let size = pool.status().max_size;
    let mut held = Vec::new();
    for _ in 0..size {
        held.push(pool.get().await.unwrap());
    }
    let waiter = {
        let pool = pool.clone();
        tokio::spawn(async move { pool.get().await.map(|_| ()) })
    };
    let waiting_at_least = async |n: usize| {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while pool.status().waiting < n {
            assert!(std::time::Instant::now() < deadline, "nobody waits");
            tokio::task::yield_now().await;
        }
    };
    waiting_at_least(1).await;
    // The scrape reads the pool before it waits for a connection of its own.
    let scrape = {
        let request = app.client.get(app.url("/metrics")).send();
        tokio::spawn(request)
    };
    waiting_at_least(2).await;
    drop(held);
    let response = scrape.await.unwrap().unwrap();
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    assert!(
        value(&text, r#"edumarkt_db_pool_connections{state="waiting"}"#) >= 1.0,
        "{text}"
    );
    waiter.await.unwrap().unwrap();
}

#[tokio::test]
async fn with_no_connection_to_be_had_the_scrape_still_shows_the_process_and_says_so() {
    let app =
        spawn_app_serving_only(|c| c.db_pool_wait = std::time::Duration::from_millis(200)).await;
    let before = scrape(&app).await;
    assert_eq!(value(&before, "edumarkt_metrics_queues_read"), 1.0);
    assert!(
        value(&before, "edumarkt_process_resident_memory_bytes") > 1_000_000.0,
        "a running server holds more than a megabyte"
    );
    let pool = app.state.pool.clone();
    let mut held = Vec::new();
    for _ in 0..pool.status().max_size {
        held.push(pool.get().await.unwrap());
    }
    // The queues cannot be read; the requests, the pool and the memory still show.
    let starved = scrape(&app).await;
    assert_eq!(value(&starved, "edumarkt_metrics_queues_read"), 0.0);
    assert_eq!(
        value(&starved, r#"edumarkt_db_pool_connections{state="idle"}"#),
        0.0
    );
    assert!(value(&starved, "edumarkt_process_resident_memory_bytes") > 1_000_000.0);
    assert!(
        starved.contains(
            r#"edumarkt_http_requests_total{method="GET",route="/metrics",status="200"}"#
        ),
        "{starved}"
    );
    drop(held);
    assert_eq!(
        value(&scrape(&app).await, "edumarkt_metrics_queues_read"),
        1.0
    );
}
