//! The `edumarkt` program itself: `up` on a fresh folder, a second `up` on the same folder, and a
//! clean stop on SIGTERM; the other commands on a running `up`'s folder and on a stopped one.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub(crate) fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_edumarkt-e2e"))
}

pub(crate) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A data folder for one test, inside the test process's scratch folder (removed when the
/// process is gone, whatever happens to the test).
pub(crate) fn data_dir(name: &str) -> PathBuf {
    let dir = crate::helpers::scratch_root().join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn start(dir: &Path, port: u16) -> Child {
    start_with(dir, port, &[])
}

fn start_with(dir: &Path, port: u16, args: &[&str]) -> Child {
    Command::new(binary())
        .args(["up", "--data-dir"])
        .arg(dir)
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .args(args)
        .env_remove("DATABASE_URL")
        .env_remove("EDUMARKT_SEARCH_DIR")
        // The folder's own embedded index, also when the Meilisearch tests run: theirs is
        // shared by every process, under one index name the programs here would all use.
        .env_remove("MEILISEARCH_URL")
        .env_remove("MEILISEARCH_API_KEY")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the edumarkt binary is built alongside the tests")
}

pub(crate) async fn wait_ready(port: u16, child: &mut Child) -> Duration {
    let started = Instant::now();
    let client = reqwest::Client::new();
    loop {
        if let Ok(response) = client
            .get(format!("http://127.0.0.1:{port}/health/ready"))
            .send()
            .await
            && response.status() == 200
        {
            return started.elapsed();
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "edumarkt up exited early"
        );
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "edumarkt up was not ready within two minutes"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub(crate) fn stop(mut child: Child) -> std::process::ExitStatus {
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(
            Instant::now() < deadline,
            "edumarkt up did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[tokio::test]
async fn up_serves_demo_data_and_a_second_up_reuses_the_folder() {
    let dir = data_dir("up");
    let port = free_port();
    let mut first = start(&dir, port);
    wait_ready(port, &mut first).await;
    let client = reqwest::Client::new();
    // Ready means searchable: every published demo offering is found.
    let published = published_offerings(&dir).await;
    assert!(published > 0, "the demo market has published offerings");
    let results: serde_json::Value = client
        .get(format!("http://127.0.0.1:{port}/v1/search/offerings?q="))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        results["total"], published,
        "ready before the index had the demo data"
    );
    let login = client
        .post(format!("http://127.0.0.1:{port}/v1/auth/login"))
        .json(&serde_json::json!({"email": "schoolleider@edumarkt.demo", "password": edumarkt_server::seed::DEMO_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        login.status(),
        200,
        "the demo accounts of the README log in"
    );
    // A registration writes its verification mail into the folder as an .eml file.
    client
        .post(format!("http://127.0.0.1:{port}/v1/auth/register"))
        .json(&serde_json::json!({"email": "nieuw@school.nl", "password": "stevige paarse fiets 42", "display_name": "Nieuw"}))
        .send()
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::fs::read_dir(dir.join("mail"))
        .map(|d| d.count())
        .unwrap_or(0)
        == 0
    {
        assert!(Instant::now() < deadline, "no .eml file was written");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(stop(first).success(), "a clean exit on SIGTERM");
    assert!(
        !dir.join("pg/data/postmaster.pid").exists(),
        "PostgreSQL was stopped too"
    );

    let secret = std::fs::read_to_string(dir.join("jwt-secret")).unwrap();
    let mut second = start(&dir, port);
    wait_ready(port, &mut second).await;
    assert_eq!(
        std::fs::read_to_string(dir.join("jwt-secret")).unwrap(),
        secret,
        "the secret is kept"
    );
    let again = client
        .post(format!("http://127.0.0.1:{port}/v1/auth/login"))
        .json(
            &serde_json::json!({"email": "nieuw@school.nl", "password": "stevige paarse fiets 42"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        again.status(),
        403,
        "the account registered in the first run is still there (unverified)"
    );
    assert!(stop(second).success());
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn the_moderator_command_grants_and_revokes_the_role() {
    let app = crate::helpers::spawn_app().await;
    let user = app.user("mod@edumarkt.nl").await;
    let run = |action: &str| {
        Command::new(binary())
            .args(["moderator", action, "MOD@edumarkt.nl"])
            .env("DATABASE_URL", &app.database_url)
            .output()
            .unwrap()
    };
    assert!(run("grant").status.success());
    let me: serde_json::Value = app
        .get("/v1/me", Some(&user.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["is_moderator"], true);
    assert!(run("revoke").status.success());
    let me: serde_json::Value = app
        .get("/v1/me", Some(&user.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["is_moderator"], false);
    let unknown = Command::new(binary())
        .args(["moderator", "grant", "nobody@edumarkt.nl"])
        .env("DATABASE_URL", &app.database_url)
        .output()
        .unwrap();
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no account"));
}

#[test]
fn serve_names_a_missing_setting_and_stops() {
    let output = Command::new(binary())
        .arg("serve")
        .env_clear()
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("DATABASE_URL is required"));
    let malformed = Command::new(binary())
        .arg("serve")
        .env_clear()
        .env("DATABASE_URL", "postgres://x@localhost/y")
        .env("EDUMARKT_JWT_SECRET", "too-short")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&malformed.stderr);
    assert!(
        stderr.contains("EDUMARKT_JWT_SECRET is malformed"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("too-short"),
        "the secret itself is not printed"
    );
}

/// The searchable offerings in the database of the `up` running on `dir`.
async fn published_offerings(dir: &Path) -> i64 {
    let running = edumarkt_server::pg_cluster::RunningCluster::find(&dir.join("pg"))
        .expect("the running up's cluster is found from its folder");
    let (client, connection) =
        tokio_postgres::connect(&running.database_url("edumarkt"), tokio_postgres::NoTls)
            .await
            .unwrap();
    tokio::spawn(connection);
    client
        .query_one("SELECT count(*) FROM search_offering_documents", &[])
        .await
        .unwrap()
        .get(0)
}

/// Runs `edumarkt ARGS` with neither DATABASE_URL nor a search folder in the environment.
fn edumarkt(args: &[&str]) -> (bool, String, String) {
    edumarkt_with(args, |_| {})
}

fn edumarkt_with(args: &[&str], adjust: impl FnOnce(&mut Command)) -> (bool, String, String) {
    let mut command = Command::new(binary());
    command
        .args(args)
        .env_remove("DATABASE_URL")
        .env_remove("EDUMARKT_SEARCH_DIR")
        // As in `start_with`: the folder's own embedded index.
        .env_remove("MEILISEARCH_URL")
        .env_remove("MEILISEARCH_API_KEY")
        .stdin(Stdio::null());
    adjust(&mut command);
    let output = command.output().unwrap();
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    (
        output.status.success(),
        text(&output.stdout),
        text(&output.stderr),
    )
}

#[tokio::test]
async fn the_commands_work_on_a_running_up_and_on_its_stopped_folder() {
    let dir = data_dir("commands");
    let port = free_port();
    let mut up = start(&dir, port);
    wait_ready(port, &mut up).await;
    let published = published_offerings(&dir).await;
    let folder = dir.to_str().unwrap();

    // The index is the running server's: read without its writer, rebuilt by the server.
    let (ok, out, err) = edumarkt(&["search", "status", "--data-dir", folder]);
    assert!(ok, "{err}");
    assert!(out.contains("outbox: 0 waiting"), "{out}");
    let (ok, out, err) = edumarkt(&["search", "verify", "--data-dir", folder]);
    assert!(ok, "{err}");
    assert!(out.contains("0 missing, 0 stale, 0 extra"), "{out}");
    let (ok, out, err) = edumarkt(&["search", "reindex", "--data-dir", folder]);
    assert!(ok, "{err}");
    assert!(
        out.contains(&format!("reindexed {published} documents")),
        "{out}"
    );
    let (ok, out, err) = edumarkt(&["seed", "--data-dir", folder]);
    assert!(ok, "{err}");
    assert!(out.contains("already has accounts"), "{out}");
    let demo = "schoolleider@edumarkt.demo";
    let (ok, _, err) = edumarkt(&["moderator", "grant", demo, "--data-dir", folder]);
    assert!(ok, "{err}");
    assert!(stop(up).success());

    // Stopped: the command starts the folder's cluster for itself, and stops it again.
    let (ok, out, err) = edumarkt(&["search", "verify", "--data-dir", folder]);
    assert!(ok, "{err}");
    assert!(out.contains("0 missing, 0 stale, 0 extra"), "{out}");
    assert!(
        !dir.join("pg/data/postmaster.pid").exists(),
        "the command stopped the cluster it started"
    );
    let (ok, out, _) = edumarkt(&["migrate", "--data-dir", folder]);
    assert!(ok && out.contains("applied 0 migration(s)"), "{out}");
}

// The command runs while the test waits for it, and the app in this process must serve it
// meanwhile: more than the one thread of a plain tokio test.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_holding_the_index_rebuilds_it_and_repairs_reach_it() {
    let app = crate::helpers::spawn_app().await;
    let (admin, provider) = app.provider("admin@aanbieder.nl", "12345678").await;
    app.publish(&admin, &provider, &crate::helpers::offering_body())
        .await;
    app.sync_search().await;
    let env = |command: &mut Command| {
        command
            .env("DATABASE_URL", &app.database_url)
            .env("EDUMARKT_SEARCH_DIR", &app.search_dir);
    };
    // Without the server's help this fails on the index's writer lock.
    let (ok, out, err) = edumarkt_with(&["search", "reindex"], env);
    assert!(ok, "{err}");
    assert!(out.contains("reindexed 1 documents"), "{out}");
    assert_eq!(app.search("q=dyslexie").await["total"], 1);

    // A document the index lacks: verify reads the index read-only, and the repair is synced
    // by the app's worker.
    let (client, connection) = tokio_postgres::connect(&app.database_url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    let engine = app.state.search.engine.clone();
    let id: uuid::Uuid = client
        .query_one("SELECT id FROM search_offering_documents", &[])
        .await
        .unwrap()
        .get(0);
    engine.delete(app.state.search.index, &[id]).await.unwrap();
    let (ok, out, _) = edumarkt_with(&["search", "verify"], env);
    assert!(!ok && out.contains("1 missing"), "{out}");
    let (ok, out, err) = edumarkt_with(&["search", "verify", "--repair"], env);
    assert!(ok, "{err}");
    assert!(out.contains("synced by the running server"), "{out}");
    assert_eq!(app.search("q=dyslexie").await["total"], 1);
}

#[tokio::test]
async fn verify_and_status_without_an_index_say_so_and_create_none() {
    let app = crate::helpers::spawn_app().await;
    let cwd = data_dir("no-index");
    std::fs::create_dir_all(&cwd).unwrap();
    for action in ["verify", "status"] {
        let (ok, _, err) = edumarkt_with(&["search", action], |command| {
            command
                .env("DATABASE_URL", &app.database_url)
                .current_dir(&cwd);
        });
        assert!(!ok);
        assert!(
            err.contains("there is no search index in search-index")
                && err.contains("edumarkt search reindex"),
            "{err}"
        );
    }
    assert_eq!(
        std::fs::read_dir(&cwd).unwrap().count(),
        0,
        "no index was created"
    );
}

#[tokio::test]
async fn commands_on_a_database_without_migrations_apply_them() {
    let database = crate::helpers::empty_database().await;
    let index = data_dir("unmigrated-index");
    let env = |command: &mut Command| {
        command
            .env("DATABASE_URL", &database.url)
            .env("EDUMARKT_SEARCH_DIR", &index);
    };
    let (ok, _, err) = edumarkt_with(&["search", "status"], env);
    assert!(
        err.contains("pending migration(s)") && err.contains("no search index"),
        "no raw SQL error: {err}"
    );
    assert!(!ok);
    let database = crate::helpers::empty_database().await;
    let (ok, out, err) = edumarkt_with(&["seed", "--offerings", "6"], |command| {
        command.env("DATABASE_URL", &database.url);
    });
    assert!(ok, "{err}");
    assert!(out.contains("seeded"), "{out}");
}

#[test]
fn up_on_a_port_in_use_fails_before_touching_the_folder() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let dir = data_dir("port-in-use");
    let started = Instant::now();
    let (ok, _, err) = edumarkt(&[
        "up",
        "--data-dir",
        dir.to_str().unwrap(),
        "--listen",
        &format!("127.0.0.1:{port}"),
    ]);
    assert!(!ok);
    assert!(
        err.contains(&format!("cannot listen on 127.0.0.1:{port}")),
        "{err}"
    );
    assert!(started.elapsed() < Duration::from_secs(5), "failed fast");
    assert!(!dir.exists(), "no data folder, so no cluster, was made");
}

#[tokio::test]
async fn up_starts_again_right_after_being_killed() {
    let dir = data_dir("killed");
    let port = free_port();
    let mut first = start_with(&dir, port, &["--no-demo"]);
    wait_ready(port, &mut first).await;
    first.kill().unwrap();
    first.wait().unwrap();
    // Its PostgreSQL is still shutting down now: the new `up` waits for it instead of failing.
    let mut second = start_with(&dir, port, &["--no-demo"]);
    wait_ready(port, &mut second).await;
    assert!(stop(second).success());
}

#[test]
fn the_scratch_folder_is_removed_once_its_process_is_gone() {
    let dir = data_dir("watched");
    std::fs::create_dir_all(dir.join("inside")).unwrap();
    let mut process = Command::new("sleep").arg("0.3").spawn().unwrap();
    crate::helpers::remove_when_gone(process.id(), &dir);
    assert!(dir.exists(), "kept while the process runs");
    process.wait().unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while dir.exists() {
        assert!(Instant::now() < deadline, "the folder was not removed");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// With Meilisearch unreachable at start, the commands fail naming it, and the API key never
/// appears in what they print (the key-lookup request carries the key in its URL).
#[tokio::test]
async fn no_command_prints_the_meilisearch_key_when_meilisearch_is_unreachable() {
    const KEY: &str = "known-secret-key-5f1e2d3c4b5a69788796a5b4c3d2e1f0";
    let app = crate::helpers::spawn_app().await;
    let dir = data_dir("unreachable-meilisearch");
    let up = [
        "up",
        "--data-dir",
        dir.to_str().unwrap(),
        "--listen",
        "127.0.0.1:0",
    ];
    let commands: [&[&str]; 5] = [
        &["serve"],
        &["worker"],
        &["search", "status"],
        &["search", "verify"],
        &up,
    ];
    for args in commands {
        let (ok, stdout, stderr) = edumarkt_with(args, |command| {
            if args[0] != "up" {
                command.env("DATABASE_URL", &app.database_url);
            }
            command
                .env(
                    "EDUMARKT_JWT_SECRET",
                    "test-secret-test-secret-test-secret-42",
                )
                .env("EDUMARKT_LISTEN", "127.0.0.1:0")
                .env("EDUMARKT_MAIL_DIR", dir.join("mail"))
                .env("MEILISEARCH_URL", "http://127.0.0.1:1")
                .env("MEILISEARCH_API_KEY", KEY);
        });
        assert!(!ok, "{args:?} fails without its search engine");
        assert!(
            stderr.contains("Meilisearch"),
            "{args:?} names the engine: {stderr}"
        );
        for (stream, text) in [("stdout", &stdout), ("stderr", &stderr)] {
            assert!(
                !text.contains(KEY) && !text.contains(&KEY[..16]),
                "{args:?} printed the key on {stream}: {text}"
            );
        }
    }
}

/// The search benchmark runs end to end on a small market and sees every write it times (it
/// prints figures; only that it measured what it says is checked here, never a speed).
#[test]
fn the_search_benchmark_runs_and_sees_each_change_it_times() {
    let dir = data_dir("bench");
    let (ok, stdout, stderr) = edumarkt(&[
        "bench",
        "search",
        "--data-dir",
        dir.to_str().unwrap(),
        "--offerings",
        "300",
        "--queries",
        "40",
        "--concurrency",
        "4",
        "--throughput-seconds",
        "1",
        "--writes",
        "12",
        "--writes-per-second",
        "30",
    ]);
    assert!(ok, "{stdout}\n{stderr}");
    assert!(
        stdout.contains("sync lag at 30 writes/s (12 writes, 12 seen)"),
        "{stdout}"
    );
    assert!(stdout.contains("commit to searchable"), "{stdout}");
    // The yardstick and the drain of a full outbox are measured on the same documents.
    let searchable = stdout
        .lines()
        .find_map(|l| l.strip_prefix("search benchmark: "))
        .and_then(|l| l.split_whitespace().next())
        .expect("the benchmark names its document count")
        .to_owned();
    assert!(
        stdout.contains(&format!(
            "raw ingest (the same documents straight to the engine): {searchable} documents"
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "first sync (drain an outbox of {searchable} rows)"
        )),
        "{stdout}"
    );
}

#[test]
fn the_pages_benchmark_times_every_page_and_weighs_what_it_loads() {
    let dir = data_dir("bench-pages");
    let (ok, stdout, stderr) = edumarkt(&[
        "bench",
        "pages",
        "--data-dir",
        dir.to_str().unwrap(),
        "--offerings",
        "300",
        "--requests",
        "5",
    ]);
    assert!(ok, "{stdout}\n{stderr}");
    assert!(stdout.contains("5 requests per page"), "{stdout}");
    for page in [
        "search, no words",
        "search with a typo",
        "search that finds nothing",
        "an offering, cost for 400",
        "compare 3 for 400 pupils",
    ] {
        let timed = stdout
            .lines()
            .find(|l| l.trim_start().starts_with(page) && l.contains(" ms "))
            .unwrap_or_else(|| panic!("no timing of {page}:\n{stdout}"));
        assert!(timed.contains("kB"), "{timed}");
        // Every page loads at least the three stylesheets: the HTML plus them on a first visit.
        let weighed = stdout
            .lines()
            .find(|l| l.trim_start().starts_with(page) && l.contains("first visit"))
            .unwrap_or_else(|| panic!("no weight of {page}:\n{stdout}"));
        let requests: usize = weighed
            .split("first visit ")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{weighed}"));
        assert!(requests >= 4, "{weighed}");
    }
}

/// The first line of `output` that starts with `start` (after its indentation).
fn line_starting<'a>(output: &'a str, start: &str) -> &'a str {
    output
        .lines()
        .find(|l| l.trim_start().starts_with(start))
        .unwrap_or_else(|| panic!("no line {start:?}:\n{output}"))
}

/// The number in `line` just before `unit` (`"… = 476 joins/s"` → 476).
fn figure_before(line: &str, unit: &str) -> f64 {
    line.split(unit)
        .next()
        .and_then(|before| before.split_whitespace().last())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no figure before {unit:?} in {line:?}"))
}

/// The tenders benchmark runs a small tender end to end: every school joins and the totals
/// come out exact, every provider offers, and each read it times is timed with a number (it
/// prints figures; only that it measured what it says is checked here, never a speed).
#[test]
fn the_tenders_benchmark_joins_offers_ranks_and_exports_a_small_tender() {
    let dir = data_dir("bench-tenders");
    let (ok, stdout, stderr) = edumarkt(&[
        "bench",
        "tenders",
        "--data-dir",
        dir.to_str().unwrap(),
        "--offerings",
        "300",
        "--schools",
        "12",
        "--offers",
        "5",
        "--concurrency",
        "4",
        "--runs",
        "3",
    ]);
    assert!(ok, "{stdout}\n{stderr}");
    let line = |start: &str| line_starting(&stdout, start);
    let joins = line("joins through the API");
    assert!(joins.contains(": 12 joins in "), "{joins}");
    assert!(figure_before(joins, " joins/s") > 0.0, "{joins}");
    assert!(!joins.contains("failed"), "{joins}");
    let offers = line("offers through the API");
    assert!(offers.contains(": 5 offers in "), "{offers}");
    assert!(figure_before(offers, " offers/s") > 0.0, "{offers}");
    // 12 schools of 50 + 37n mod 400 pupils at 25 euro a pupil.
    let quantity: i64 = (0..12).map(|n| 50 + (n * 37) % 400).sum();
    assert_eq!(
        line("totals after the joins"),
        format!(
            "totals after the joins: 12 organisations of 12, quantity {quantity} of {quantity}, \
             budget {budget} of {budget} cents, 12 participants listed: exact",
            budget = quantity * 2_500
        )
    );
    assert!(line("scores, one offer after another").contains(": 5 scored in "));
    for timed in [
        "one join",
        "one offer",
        "open the 5 offers",
        "score one offer",
        "ranking of 5 offers",
        "OCDS release package (evaluating)",
        "OCDS release package (awarded)",
        "awards feed, first page",
    ] {
        let timing = line(timed);
        let p50 = figure_before(timing.split("p50").nth(1).unwrap_or_default(), " ms");
        let p99 = figure_before(timing.split("p99").nth(1).unwrap_or_default(), " ms");
        assert!(p50 > 0.0 && p99 >= p50, "{timing}");
    }
    let award = line("award (");
    assert!(figure_before(award, " ms") > 0.0, "{award}");
    let sizes: Vec<f64> = stdout
        .lines()
        .filter(|l| l.contains("size: "))
        .map(|l| figure_before(l, " bytes"))
        .collect();
    assert_eq!(sizes.len(), 3, "{stdout}");
    assert!(sizes.iter().all(|s| *s > 100.0), "{sizes:?}");
}

/// The load benchmark runs its whole mix on a small market against a server process of its own:
/// every operation is named with requests sent and none failed, and the server's memory is read
/// (it prints figures; only that it measured what it says is checked here, never a speed).
#[test]
fn the_load_benchmark_runs_every_operation_of_its_mix_without_errors() {
    let dir = data_dir("bench-load");
    let (ok, stdout, stderr) = edumarkt(&[
        "bench",
        "load",
        "--data-dir",
        dir.to_str().unwrap(),
        "--offerings",
        "300",
        "--reviews",
        "200",
        "--requests",
        "400",
        "--concurrency",
        "4",
    ]);
    assert!(ok, "{stdout}\n{stderr}");
    let line = |start: &str| line_starting(&stdout, start);
    let mix = line("mix, per 100 requests: ");
    let operations = [
        "search (API)",
        "search page",
        "home page",
        "offering page",
        "offering (API)",
        "compare (API)",
        "compare page",
        "review list (API)",
        "write a review",
        "join a bundle",
    ];
    let mut sent = 0;
    for operation in operations {
        assert!(mix.contains(operation), "{mix}");
        // `  name   requests errors req/s p50 p99`
        let row = line(&format!("{operation} "));
        let figures: Vec<&str> = row[operation.len() + 2..].split_whitespace().collect();
        let requests: usize = figures[0].parse().unwrap_or_else(|_| panic!("{row}"));
        assert!(requests > 0, "{row}");
        assert_eq!(figures[1], "0", "errors: {row}");
        sent += requests;
    }
    let all = line("all ");
    assert!(all.contains(" 400 "), "{all}");
    assert_eq!(sent, 400, "{stdout}");
    assert!(line("load: 4 in flight for 400 requests: ").contains("400 requests in"));
    let memory = line("server memory (`edumarkt serve`");
    assert!(
        memory.contains("before the load ")
            && memory.contains("after it ")
            && memory.contains("MiB"),
        "{memory}"
    );
    assert!(memory.contains("during the load"), "{memory}");
}
