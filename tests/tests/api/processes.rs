//! The production processes as the program runs them: `serve --no-workers` beside `worker`,
//! `jobs status`, one process per embedded index; several servers and workers on one database
//! handling every write, mail and reminder once; and processes killed mid-work losing nothing
//! and sending nothing twice.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use edumarkt_search_sync::SearchEngine;
use edumarkt_search_sync::document::Offerings;
use edumarkt_search_sync::engine::embedded::EmbeddedEngine;
use serde_json::{Value, json};

use crate::bundles::{network_on, open_bundle};
use crate::cli::{binary, data_dir, free_port, stop, wait_ready};
use crate::helpers::{
    EmptyDatabase, Engine, PASSWORD, TestApp, empty_database, offering_body, second_server,
    spawn_app_without_search_worker_on,
};

/// `edumarkt ARGS` configured by the environment alone, as a service unit runs it.
fn edumarkt(
    args: &[&str],
    database: &EmptyDatabase,
    dir: &Path,
    search: &str,
    port: u16,
) -> Command {
    on_database(args, &database.url, dir, search, port)
}

/// `edumarkt ARGS` on the database at `url`.
fn on_database(args: &[&str], url: &str, dir: &Path, search: &str, port: u16) -> Command {
    let mut command = Command::new(binary());
    command
        .args(args)
        .env_clear()
        .env("DATABASE_URL", url)
        .env(
            "EDUMARKT_JWT_SECRET",
            "test-secret-test-secret-test-secret-42",
        )
        .env("EDUMARKT_MAIL_DIR", dir.join("mail"))
        .env("EDUMARKT_SEARCH_DIR", dir.join(search))
        .env("EDUMARKT_LISTEN", format!("127.0.0.1:{port}"))
        .stdin(Stdio::null());
    command
}

fn spawn(mut command: Command) -> Child {
    command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the edumarkt binary is built alongside the tests")
}

fn mails_in(dir: &Path) -> usize {
    recipients_in(dir).len()
}

/// The recipient of every message in the mail folder, one entry per .eml file.
fn recipients_in(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir.join("mail")) else {
        return Vec::new();
    };
    entries
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "eml"))
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            let to = text
                .lines()
                .find_map(|line| line.strip_prefix("To: "))
                .unwrap_or_else(|| panic!("no To: in {}", path.display()));
            to.trim_start_matches('<').trim_end_matches('>').to_owned()
        })
        .collect()
}

/// How many of `recipients` each address got.
fn counted(recipients: impl IntoIterator<Item = String>) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for to in recipients {
        *counts.entry(to).or_insert(0) += 1;
    }
    counts
}

#[tokio::test]
async fn serve_without_workers_leaves_mail_to_the_worker_process() {
    let (database, dir, port, server) = migrated_server("processes-workers").await;
    let registered = reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}/v1/auth/register"))
        .json(&serde_json::json!({
            "email": "queued@school.nl",
            "password": crate::helpers::PASSWORD,
            "display_name": "Juf Anna",
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(registered.status(), 201);
    // Longer than a worker's wake-up takes: the server alone sends nothing.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(mails_in(&dir), 0, "serve --no-workers sent mail");
    let status = edumarkt(&["jobs", "status"], &database, &dir, "search", port)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&status.stdout);
    assert!(status.status.success(), "{status:?}");
    assert!(stdout.contains("mail: 1 due, 0 failing"), "{stdout}");

    // The worker takes the embedded index of its own: one index, one process.
    let worker = spawn(edumarkt(
        &["worker"],
        &database,
        &dir,
        "worker-search",
        port,
    ));
    let deadline = Instant::now() + Duration::from_secs(30);
    while mails_in(&dir) == 0 {
        assert!(Instant::now() < deadline, "the worker sent no mail");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        stop(worker).success(),
        "the worker stops cleanly on SIGTERM"
    );
    assert!(stop(server).success());
    assert_eq!(mails_in(&dir), 1);
}

#[tokio::test]
async fn a_second_server_on_the_same_embedded_index_is_refused() {
    let database = empty_database().await;
    edumarkt_server::db::migrate(&database.url).await.unwrap();
    let dir = data_dir("processes-one-index");
    let port = free_port();
    let mut first = spawn(edumarkt(&["serve"], &database, &dir, "search", port));
    wait_ready(port, &mut first).await;

    let mut second = edumarkt(&["serve"], &database, &dir, "search", free_port())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = second.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = second.kill();
            panic!("a second server on the same index kept running");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut second.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(!status.success());
    assert!(
        stderr.contains("is in use by another edumarkt process"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&dir.join("search").display().to_string()),
        "{stderr}"
    );
    // The first is unharmed.
    wait_ready(port, &mut first).await;
    assert!(stop(first).success());
}

/// `edumarkt worker` on `app`'s database, as a service unit runs it: mail to `dir/mail`, and
/// on the embedded index a folder of its own (`dir/name`), on Meilisearch `app`'s indexes.
fn worker(app: &TestApp, engine: Engine, dir: &Path, name: &str) -> Child {
    let mut command = on_database(&["worker"], &app.database_url, dir, name, free_port());
    command.env("EDUMARKT_PUBLIC_URL", &app.state.config.public_url);
    if engine == Engine::Meilisearch {
        for variable in ["MEILISEARCH_URL", "MEILISEARCH_API_KEY"] {
            if let Ok(value) = std::env::var(variable) {
                command.env(variable, value);
            }
        }
        command.env(
            "EDUMARKT_SEARCH_INDEX_PREFIX",
            &app.state.config.search.index_prefix,
        );
    }
    spawn(command)
}

/// Waits until `count` (a query of one count) reads 0, failing with `what` after `within`.
async fn until_none(sql: &tokio_postgres::Client, count: &str, within: Duration, what: &str) {
    let deadline = Instant::now() + within;
    loop {
        let left: i64 = sql.query_one(count, &[]).await.unwrap().get(0);
        if left == 0 {
            return;
        }
        assert!(Instant::now() < deadline, "{what}: {left} left");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits until every job and every search change has been handled.
async fn drained(app: &TestApp) {
    until_none(
        &app.sql().await,
        "SELECT (SELECT count(*) FROM jobs) + (SELECT count(*) FROM search_outbox)",
        Duration::from_secs(90),
        "the workers left work undone",
    )
    .await;
}

/// A POST with a bearer token to `server` (either of the two).
async fn post(app: &TestApp, server: &str, path: &str, body: &Value, token: &str) -> Value {
    let response = app
        .client
        .post(format!("{server}{path}"))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert!(status.is_success(), "{path}: {status} {body}");
    body
}

/// Two servers (the test app and a second on its database, neither syncing the index) and two
/// `edumarkt worker` processes, beside the test app's own job worker: a burst of registrations
/// and publications through both servers, and the bundle's reminders doubled and made due.
/// Every offering reaches the index, every mail and reminder goes out once.
async fn two_servers_and_two_workers_handle_a_burst_once(engine: Engine) {
    let (app, _line) = spawn_app_without_search_worker_on(engine).await;
    let n = network_on(app).await;
    let app = &n.app;
    let (second, _) = second_server(app).await;
    let servers = [app.address.clone(), second];
    let (admin, provider) = app.provider("a@aanbieder-a.nl", "11111111").await;
    open_bundle(&n, "network").await;
    // What the setup queued (its mail, the interest mails) has gone out through the test app.
    until_none(
        &app.sql().await,
        "SELECT count(*) FROM jobs WHERE kind <> 'bundle_reminder'",
        Duration::from_secs(30),
        "the setup's jobs did not run",
    )
    .await;
    let sent_before = app.state.mailer.sent().len();

    let dir = data_dir(&format!(
        "processes-burst-{}",
        uuid::Uuid::now_v7().simple()
    ));
    let workers = [
        worker(app, engine, &dir, "worker-1"),
        worker(app, engine, &dir, "worker-2"),
    ];
    // The burst: registrations and publications, spread over both servers, all at once.
    let registrations = (0..24).map(|i| {
        let (client, server) = (app.client.clone(), servers[i % 2].clone());
        async move {
            let response = client
                .post(format!("{server}/v1/auth/register"))
                .json(&json!({
                    "email": format!("stormloop{i}@school.nl"),
                    "password": PASSWORD,
                    "display_name": "Juf Storm",
                }))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 201);
        }
    });
    let publications = (0..16).map(|i| {
        let server = servers[i % 2].clone();
        let (admin, provider) = (&admin, &provider);
        async move {
            let mut body = offering_body();
            body["title"] = json!(format!("Stormloop training {i}"));
            let draft = post(
                app,
                &server,
                &format!("/v1/providers/{provider}/offerings"),
                &body,
                &admin.access,
            )
            .await;
            let id = draft["id"].as_str().unwrap().to_owned();
            post(
                app,
                &server,
                &format!("/v1/offerings/{id}/publish"),
                &json!({}),
                &admin.access,
            )
            .await;
            id
        }
    });
    let (_, published) = tokio::join!(
        futures_util::future::join_all(registrations),
        futures_util::future::join_all(publications)
    );
    // The joining deadline's reminder comes due, twice over (as a retried job would).
    app.sql()
        .await
        .batch_execute(
            "UPDATE jobs SET run_at = now() WHERE kind = 'bundle_reminder'; \
             INSERT INTO jobs (id, kind, payload, run_at, created_at) \
             SELECT gen_random_uuid(), kind, payload, run_at, created_at FROM jobs \
             WHERE kind = 'bundle_reminder'",
        )
        .await
        .unwrap();
    drained(app).await;
    for worker in workers {
        assert!(stop(worker).success(), "a worker stops cleanly on SIGTERM");
    }

    // Every mail once, whichever worker sent it (the test app's into memory, the processes
    // into the folder).
    let new: Vec<String> = app.state.mailer.sent()[sent_before..]
        .iter()
        .map(|m| m.to.clone())
        .chain(recipients_in(&dir))
        .collect();
    let reminded: Vec<String> = app
        .sql()
        .await
        .query("SELECT email FROM bundle_reminders", &[])
        .await
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    assert!(
        !reminded.is_empty(),
        "the members who had not joined were reminded"
    );
    let expected: BTreeMap<String, usize> = (0..24)
        .map(|i| format!("stormloop{i}@school.nl"))
        .chain(reminded)
        .map(|to| (to, 1))
        .collect();
    assert_eq!(
        counted(new),
        expected,
        "each mail and reminder exactly once"
    );

    // Every offering reached the index.
    let wanted: BTreeSet<String> = published.into_iter().collect();
    let indexed: BTreeSet<String> = match engine {
        Engine::Embedded => {
            let mut ids = BTreeSet::new();
            for name in ["worker-1", "worker-2"] {
                let index = EmbeddedEngine::open_existing(&dir.join(name)).unwrap();
                let documents =
                    SearchEngine::<Offerings>::documents(&index, app.state.search.index, 0, 1_000)
                        .await
                        .unwrap();
                ids.extend(documents.iter().map(|d| {
                    serde_json::to_value(d).unwrap()["id"]
                        .as_str()
                        .unwrap()
                        .to_owned()
                }));
            }
            ids
        }
        Engine::Meilisearch => app.search("q=stormloop&per_page=50").await["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|hit| hit["id"].as_str().unwrap().to_owned())
            .collect(),
    };
    assert_eq!(indexed, wanted, "every published offering is in the index");
    let _ = std::fs::remove_dir_all(&dir);
}

mod several_processes {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn embedded() {
        two_servers_and_two_workers_handle_a_burst_once(Engine::Embedded).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    #[cfg_attr(
        not(meilisearch),
        ignore = "MEILISEARCH_URL is not set: runs against a real Meilisearch only"
    )]
    async fn meilisearch() {
        two_servers_and_two_workers_handle_a_burst_once(Engine::Meilisearch).await;
    }
}

/// A fresh database, migrated, with `serve --no-workers` running on it; the data folder is
/// `name` plus a unique suffix.
async fn migrated_server(name: &str) -> (EmptyDatabase, std::path::PathBuf, u16, Child) {
    let database = empty_database().await;
    let dir = data_dir(&format!("{name}-{}", uuid::Uuid::now_v7().simple()));
    let port = free_port();
    let migrate = edumarkt(&["migrate"], &database, &dir, "search", port)
        .output()
        .unwrap();
    assert!(migrate.status.success(), "{migrate:?}");
    let mut server = spawn(edumarkt(
        &["serve", "--no-workers"],
        &database,
        &dir,
        "search",
        port,
    ));
    wait_ready(port, &mut server).await;
    (database, dir, port, server)
}

fn kill(child: &mut Child) {
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGKILL,
    )
    .unwrap();
    child.wait().unwrap();
}

/// A server SIGKILLed while registrations stream in, and a worker SIGKILLed while it works
/// through their mail: every registration the server confirmed is there, every account there
/// got its mail, none got two.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_server_killed_mid_write_and_a_worker_killed_mid_batch_lose_nothing_and_repeat_nothing() {
    let (database, dir, port, mut server) = migrated_server("processes-killed").await;

    // Registrations stream in, eight at a time; the server dies in their midst.
    let client = reqwest::Client::new();
    let registering = (0..400).map(|i| {
        let client = client.clone();
        async move {
            let response = client
                .post(format!("http://127.0.0.1:{port}/v1/auth/register"))
                .json(&json!({
                    "email": format!("overleeft{i}@school.nl"),
                    "password": PASSWORD,
                    "display_name": "Juf Taai",
                }))
                .send()
                .await;
            response.is_ok_and(|r| r.status() == 201).then_some(i)
        }
    });
    let confirmed = {
        use futures_util::StreamExt;
        let mut stream = Box::pin(futures_util::stream::iter(registering).buffer_unordered(8));
        let mut confirmed = Vec::new();
        while let Some(outcome) = stream.next().await {
            if let Some(i) = outcome {
                confirmed.push(i);
                if confirmed.len() == 60 {
                    kill(&mut server);
                }
            }
        }
        confirmed
    };
    assert!(confirmed.len() >= 60, "the server confirmed registrations");
    assert!(confirmed.len() < 400, "the server died before the end");

    // A worker takes on the mail and dies part-way through.
    let mut first = spawn(edumarkt(&["worker"], &database, &dir, "worker-1", port));
    let deadline = Instant::now() + Duration::from_secs(60);
    while mails_in(&dir) < 10 {
        assert!(Instant::now() < deadline, "the first worker sent no mail");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    kill(&mut first);
    let sql = crate::helpers::sql_client(&database.url).await;
    let left: i64 = sql
        .query_one("SELECT count(*) FROM jobs", &[])
        .await
        .unwrap()
        .get(0);
    assert!(left > 0, "the worker died with mail still to send");
    // The job it held comes back when its lease ends; end the lease now instead of in five
    // minutes (the clock of a real process cannot be moved).
    sql.execute(
        "UPDATE jobs SET run_at = now() WHERE locked_by IS NOT NULL",
        &[],
    )
    .await
    .unwrap();
    let second = spawn(edumarkt(&["worker"], &database, &dir, "worker-2", port));
    until_none(
        &sql,
        "SELECT count(*) FROM jobs",
        Duration::from_secs(60),
        "the second worker left mail unsent",
    )
    .await;
    assert!(stop(second).success());

    // Every confirmed registration is there; every account there (confirmed or committed
    // just before the kill) got exactly one mail; no account is half made.
    let accounts: BTreeSet<String> = sql
        .query("SELECT email FROM users", &[])
        .await
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    for i in &confirmed {
        assert!(
            accounts.contains(&format!("overleeft{i}@school.nl")),
            "registration {i} was confirmed but is gone"
        );
    }
    let mails = counted(recipients_in(&dir));
    assert_eq!(
        mails.keys().cloned().collect::<BTreeSet<_>>(),
        accounts,
        "a mail for every account, none for an account that is not there"
    );
    assert!(
        mails.values().all(|&n| n == 1),
        "a mail sent twice: {mails:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// SIGTERM stops a server gracefully: a request whose body is still arriving is answered in
/// full, no new connection is taken, and the process exits well within its bound (10 s).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopping_server_finishes_the_request_in_flight_and_takes_no_new_one() {
    let (database, dir, port, mut server) = migrated_server("processes-graceful").await;

    let body = serde_json::to_vec(&json!({
        "email": "halverwege@school.nl",
        "password": PASSWORD,
        "display_name": "Juf Geduld",
    }))
    .unwrap();
    let (half, rest) = body.split_at(body.len() / 2);
    let (send, chunks) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(2);
    let request = reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}/v1/auth/register"))
        .header("Content-Type", "application/json")
        .header("Content-Length", body.len())
        .body(reqwest::Body::wrap_stream(stream_of(chunks)))
        .send();
    let in_flight = tokio::spawn(request);
    send.send(Ok(half.to_vec())).await.unwrap();
    // The server has the request's head and half its body when it is told to stop.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let stopping = Instant::now();
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(server.id() as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let refused = reqwest::Client::new()
        .get(format!("http://127.0.0.1:{port}/health/live"))
        .timeout(Duration::from_secs(2))
        .send()
        .await;
    assert!(refused.is_err(), "a stopping server took a new connection");
    send.send(Ok(rest.to_vec())).await.unwrap();
    drop(send);
    let response = in_flight
        .await
        .unwrap()
        .expect("the request in flight is answered");
    assert_eq!(
        response.status(),
        201,
        "the request in flight is done in full"
    );
    let status = loop {
        if let Some(status) = server.try_wait().unwrap() {
            break status;
        }
        assert!(
            stopping.elapsed() < Duration::from_secs(15),
            "the server did not stop within its bound"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(status.success(), "a clean exit: {status:?}");
    let sql = crate::helpers::sql_client(&database.url).await;
    let made: i64 = sql
        .query_one(
            "SELECT count(*) FROM users WHERE email = 'halverwege@school.nl'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(made, 1);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The chunks a channel receives, as the stream a request body reads.
fn stream_of(
    mut chunks: tokio::sync::mpsc::Receiver<Result<Vec<u8>, std::io::Error>>,
) -> impl futures_util::Stream<Item = Result<Vec<u8>, std::io::Error>> {
    futures_util::stream::poll_fn(move |cx| chunks.poll_recv(cx))
}
