//! The production processes as the program runs them: `serve --no-workers` beside `worker`,
//! `jobs status`, and one process per embedded index.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::cli::{binary, data_dir, free_port, stop, wait_ready};
use crate::helpers::{EmptyDatabase, empty_database};

/// `edumarkt ARGS` configured by the environment alone, as a service unit runs it.
fn edumarkt(
    args: &[&str],
    database: &EmptyDatabase,
    dir: &Path,
    search: &str,
    port: u16,
) -> Command {
    let mut command = Command::new(binary());
    command
        .args(args)
        .env_clear()
        .env("DATABASE_URL", &database.url)
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
    std::fs::read_dir(dir.join("mail"))
        .map(|entries| entries.count())
        .unwrap_or(0)
}

#[tokio::test]
async fn serve_without_workers_leaves_mail_to_the_worker_process() {
    let database = empty_database().await;
    let dir = data_dir("processes-workers");
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
