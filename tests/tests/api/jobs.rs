//! The job queue: each job claimed once however many workers, retries on the clock, one job's
//! crash repeating nothing else, wake-ups across processes, and migrations started at once.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use edumarkt_server::clock::SharedClock;
use edumarkt_server::config::{MailConfig, MailTransportConfig};
use edumarkt_server::jobs::worker::{LEASE, Worker};
use edumarkt_server::jobs::{self, JobKind};
use edumarkt_server::mail::{Mail, Mailer};

use crate::helpers::{TestApp, empty_database, spawn_app_without_job_worker};
use crate::import::sql;

/// A worker on the app's queue, clock and mailer, with a pool of its own.
pub fn worker(app: &TestApp) -> Worker {
    Worker {
        pool: edumarkt_server::db::pool(&app.database_url, 2).unwrap(),
        clock: app.state.clock.clone(),
        mailer: app.state.mailer.clone(),
        public_url: app.state.config.public_url.clone(),
    }
}

fn mail_to(to: &str) -> Mail {
    Mail {
        to: to.into(),
        subject: "Onderwerp".into(),
        text: "Tekst".into(),
        html: "<p>Tekst</p>".into(),
    }
}

/// Queues a mail due `ago` before now (so tests fix the order jobs run in).
async fn enqueue_mail(app: &TestApp, to: &str, ago: chrono::Duration) {
    let mut conn = app.state.pool.get().await.unwrap();
    let now = app.state.clock.now();
    jobs::enqueue(
        &mut conn,
        JobKind::Mail,
        serde_json::to_value(mail_to(to)).unwrap(),
        now,
        now - ago,
    )
    .await
    .unwrap();
}

fn sent_to(mailer: &Mailer, to: &str) -> usize {
    mailer.sent().iter().filter(|m| m.to == to).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_workers_run_each_job_once() {
    let app = spawn_app_without_job_worker().await;
    for n in 0..40 {
        enqueue_mail(&app, &format!("m{n}@school.nl"), chrono::Duration::zero()).await;
    }
    let (a, b) = (worker(&app), worker(&app));
    let (ran_a, ran_b) = tokio::join!(
        tokio::spawn(async move { a.run_due().await.unwrap() }),
        tokio::spawn(async move { b.run_due().await.unwrap() }),
    );
    let (ran_a, ran_b) = (ran_a.unwrap(), ran_b.unwrap());
    assert_eq!(ran_a.done + ran_b.done, 40, "{ran_a:?} {ran_b:?}");
    assert_eq!(app.state.mailer.sent().len(), 40);
    for n in 0..40 {
        assert_eq!(sent_to(&app.state.mailer, &format!("m{n}@school.nl")), 1);
    }
    let left: i64 = sql(&app)
        .await
        .query_one("SELECT count(*) FROM jobs", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(left, 0, "done jobs leave the queue");
}

#[tokio::test]
async fn a_failed_job_is_retried_after_a_growing_backoff_on_the_clock() {
    let app = spawn_app_without_job_worker().await;
    let worker = worker(&app);
    app.state.mailer.set_failing(true);
    enqueue_mail(&app, "later@school.nl", chrono::Duration::zero()).await;
    let client = sql(&app).await;
    let retry_in = || async {
        let row = client
            .query_one("SELECT attempts, run_at, last_error FROM jobs", &[])
            .await
            .unwrap();
        let run_at: chrono::DateTime<Utc> = row.get(1);
        let error: Option<String> = row.get(2);
        assert!(error.unwrap().contains("unreachable"));
        (row.get::<_, i32>(0), run_at - app.state.clock.now())
    };

    assert_eq!(worker.run_due().await.unwrap().failed, 1);
    let (attempts, wait) = retry_in().await;
    assert_eq!(attempts, 1);
    // 30 s, shortened by at most a tenth of jitter.
    assert!(
        wait <= chrono::Duration::seconds(30) && wait >= chrono::Duration::seconds(27),
        "{wait}"
    );
    assert_eq!(
        worker.run_due().await.unwrap(),
        Default::default(),
        "not due yet"
    );

    app.clock.advance(wait);
    assert_eq!(worker.run_due().await.unwrap().failed, 1);
    let (attempts, wait) = retry_in().await;
    assert_eq!(attempts, 2);
    assert!(
        wait <= chrono::Duration::seconds(60) && wait >= chrono::Duration::seconds(54),
        "{wait}"
    );

    app.state.mailer.set_failing(false);
    app.clock.advance(wait - chrono::Duration::seconds(1));
    assert_eq!(worker.run_due().await.unwrap().done, 0, "a second early");
    app.clock.advance(chrono::Duration::seconds(1));
    assert_eq!(worker.run_due().await.unwrap().done, 1);
    assert_eq!(sent_to(&app.state.mailer, "later@school.nl"), 1);
}

#[tokio::test]
async fn a_crash_while_sending_one_mail_resends_none_sent_before_it() {
    let app = spawn_app_without_job_worker().await;
    enqueue_mail(&app, "first@school.nl", chrono::Duration::seconds(2)).await;
    enqueue_mail(&app, "second@school.nl", chrono::Duration::seconds(1)).await;
    app.state.mailer.set_crash_to(Some("second@school.nl"));
    // The process "dies" sending the second mail, after the first was delivered.
    let crashed = tokio::spawn({
        let worker = worker(&app);
        async move { worker.run_due().await }
    })
    .await;
    assert!(crashed.unwrap_err().is_panic());
    assert_eq!(sent_to(&app.state.mailer, "first@school.nl"), 1);
    app.state.mailer.set_crash_to(None);

    let worker = worker(&app);
    // The crashed job stays hidden while its lease lasts; the sent one is gone for good.
    assert_eq!(worker.run_due().await.unwrap(), Default::default());
    app.clock.advance(LEASE + chrono::Duration::seconds(1));
    assert_eq!(worker.run_due().await.unwrap().done, 1);
    assert_eq!(sent_to(&app.state.mailer, "first@school.nl"), 1);
    assert_eq!(sent_to(&app.state.mailer, "second@school.nl"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_queued_by_one_process_wakes_the_worker_of_another() {
    let app = spawn_app_without_job_worker().await;
    // The other process: its own pool and mailer, polling only once an hour.
    let mailer = Arc::new(
        Mailer::new(&MailConfig {
            transport: MailTransportConfig::Memory,
            ..app.state.config.mail.clone()
        })
        .unwrap(),
    );
    let other = Worker {
        pool: edumarkt_server::db::pool(&app.database_url, 2).unwrap(),
        clock: SharedClock::system(),
        mailer: mailer.clone(),
        public_url: app.state.config.public_url.clone(),
    };
    let (shutdown, stopped) = tokio::sync::watch::channel(false);
    let running = tokio::spawn(other.run(
        Some(app.database_url.clone()),
        Duration::from_secs(3600),
        stopped,
    ));
    let client = sql(&app).await;
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while client
        .query_one(
            "SELECT count(*) FROM pg_stat_activity \
             WHERE datname = current_database() AND query = 'LISTEN jobs'",
            &[],
        )
        .await
        .unwrap()
        .get::<_, i64>(0)
        == 0
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the worker never listened"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Let the pass that follows LISTEN finish, so only a notification can find the new job.
    tokio::time::sleep(Duration::from_millis(300)).await;

    assert_eq!(app.register("woken@school.nl").await.status(), 201);
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while sent_to(&mailer, "woken@school.nl") == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the other process's worker was not woken"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    shutdown.send(true).unwrap();
    tokio::time::timeout(Duration::from_secs(5), running)
        .await
        .expect("the worker stops on shutdown")
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrations_started_at_once_apply_once_and_both_succeed() {
    let database = empty_database().await;
    let (a, b) = tokio::join!(
        edumarkt_server::db::migrate(&database.url),
        edumarkt_server::db::migrate(&database.url),
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    let migrations = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations"))
        .unwrap()
        .count();
    assert_eq!(a.len() + b.len(), migrations, "{a:?} {b:?}");
    assert!(a.is_empty() || b.is_empty(), "{a:?} {b:?}");
}
