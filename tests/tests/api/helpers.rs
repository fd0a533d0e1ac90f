//! `spawn_app()`: the application on port 0 against a fresh database cloned from a migrated
//! template, with mail kept in memory and the clock under the test's control.

use std::path::PathBuf;
use std::time::Duration;

use actix_web::web;
use chrono::Utc;
use edumarkt_server::clock::{ManualClock, SharedClock};
use edumarkt_server::config::{Config, MailTransportConfig, SearchEngineConfig};
use edumarkt_server::mail::Mail;
use edumarkt_server::pg_cluster::{ClusterOptions, PrivateCluster};
use edumarkt_server::search::Prepare;
use edumarkt_server::startup::Application;
use edumarkt_server::state::AppState;
use serde_json::{Value, json};
use tokio::sync::OnceCell;

pub const PASSWORD: &str = "stevige paarse fiets 42";

/// The server the tests use: `DATABASE_URL` when given (a superuser URL of a server to create
/// databases on), otherwise a private cluster this process starts once.
struct TestServer {
    admin_url: String,
    template: String,
    /// Keeps the private cluster running for the life of the test process.
    _cluster: Option<PrivateCluster>,
}

static SERVER: OnceCell<TestServer> = OnceCell::const_new();

fn replace_database(url: &str, database: &str) -> String {
    let (base, _) = url.rsplit_once('/').expect("a database URL has a path");
    let query = url
        .split_once('?')
        .map(|(_, q)| format!("?{q}"))
        .unwrap_or_default();
    format!("{base}/{database}{query}")
}

/// A plain SQL connection to the database at `url`, for what a test checks or arranges behind
/// the program's back.
pub async fn sql_client(url: &str) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    client
}

async fn admin(url: &str) -> tokio_postgres::Client {
    sql_client(url).await
}

async fn test_server() -> &'static TestServer {
    SERVER
        .get_or_init(|| async {
            let (admin_url, cluster) =
                match std::env::var("DATABASE_URL").ok().filter(|u| !u.is_empty()) {
                    Some(url) => (url, None),
                    None => {
                        let dir = scratch_root().join("pg");
                        let cluster =
                            PrivateCluster::start_with(&dir, ClusterOptions { fsync: false })
                                .await
                                .expect("start a private PostgreSQL cluster for the tests");
                        (cluster.database_url("postgres"), Some(cluster))
                    }
                };
            let template = format!("edumarkt_template_{}", std::process::id());
            let client = admin(&admin_url).await;
            client
                .batch_execute(&format!("DROP DATABASE IF EXISTS {template} WITH (FORCE)"))
                .await
                .unwrap();
            client
                .batch_execute(&format!("CREATE DATABASE {template}"))
                .await
                .unwrap();
            edumarkt_server::db::migrate(&replace_database(&admin_url, &template))
                .await
                .expect("migrate the template");
            TestServer {
                admin_url,
                template,
                _cluster: cluster,
            }
        })
        .await
}

/// This test process's folder (its cluster, search indexes and CLI data folders), under the
/// system's temporary folder, which the unprivileged account PostgreSQL runs as can reach
/// wherever the checkout is. A watcher removes it once the process and its PostgreSQL are gone,
/// however the process ends; folders of earlier processes that are gone are removed here too.
pub fn scratch_root() -> PathBuf {
    static ROOT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    ROOT.get_or_init(|| {
        let tmp = std::env::temp_dir();
        for entry in std::fs::read_dir(&tmp).into_iter().flatten().flatten() {
            let stale = entry
                .file_name()
                .to_str()
                .and_then(|n| n.strip_prefix(SCRATCH_PREFIX)?.parse::<i32>().ok())
                .is_some_and(|pid| {
                    nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None).is_err()
                });
            if stale {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
        let root = tmp.join(format!("{SCRATCH_PREFIX}{}", std::process::id()));
        std::fs::create_dir_all(&root).unwrap();
        // PostgreSQL may run as another account, which must reach its folder below.
        std::fs::set_permissions(&root, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .unwrap();
        remove_when_gone(std::process::id(), &root);
        root
    })
    .clone()
}

const SCRATCH_PREFIX: &str = "edumarkt-test-";

/// Removes `dir` once process `pid` has exited and the PostgreSQL in `dir/pg` (stopped by the
/// exit, see `pg_cluster::die_with_parent`) has shut down; a detached shell, since nothing in a
/// process runs after it is killed, and a test binary's statics are never dropped.
// It outlives this process by design; init reaps it.
#[allow(clippy::zombie_processes)]
pub fn remove_when_gone(pid: u32, dir: &std::path::Path) {
    const WATCH: &str = r#"while kill -0 "$1" 2>/dev/null; do sleep 0.2; done
i=0; while [ -e "$2/pg/data/postmaster.pid" ] && [ $i -lt 300 ]; do sleep 0.2; i=$((i+1)); done
rm -rf "$2""#;
    std::process::Command::new("sh")
        .args(["-c", WATCH, "sh", &pid.to_string()])
        .arg(dir)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start the scratch folder's watcher");
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub clock: ManualClock,
    pub state: web::Data<AppState>,
    pub database_url: String,
    database: String,
    admin_url: String,
    pub search_dir: PathBuf,
}

/// How long a test waits for a mail it expects. Generous: the wait ends as soon as the mail is
/// there, and CI runs hundreds of tests (each with its workers) on two cores at once.
pub const MAIL_EXPECTED_WITHIN: Duration = Duration::from_secs(30);

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Like `spawn_app`, with a chance to change the configuration first.
/// A second `serve` process on `app`'s database and clock (a search folder of its own: only
/// one process may hold an embedded index). Returns its address.
pub async fn second_server(app: &TestApp) -> (String, std::path::PathBuf) {
    second_server_with(app, |_| {}).await
}

/// `second_server` with its configuration adjusted first (another secret, say).
pub async fn second_server_with(
    app: &TestApp,
    adjust: impl FnOnce(&mut Config),
) -> (String, std::path::PathBuf) {
    let mut config = app.state.config.clone();
    config.listen = "127.0.0.1:0".parse().unwrap();
    let dir = app
        .search_dir
        .with_extension(format!("second-{}", uuid::Uuid::new_v4().simple()));
    config.search.engine = SearchEngineConfig::Embedded { dir: dir.clone() };
    adjust(&mut config);
    let second =
        Application::build_with(config, SharedClock::new(app.clock.clone()), Prepare::Skip)
            .await
            .expect("build the second server");
    let address = format!("http://127.0.0.1:{}", second.port());
    tokio::spawn(second.run_until_stopped());
    (address, dir)
}

pub async fn spawn_app_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    spawn(adjust, true, true).await
}

/// An app whose jobs run only when the test runs them (the job queue tests).
pub async fn spawn_app_without_job_worker() -> TestApp {
    spawn(|_| {}, true, false).await
}

/// An app whose search index is synced only when the test says so (the fault tests drive
/// their own workers).
pub async fn spawn_app_without_search_worker() -> TestApp {
    spawn(|_| {}, false, true).await
}

/// An app as `serve --no-workers` runs it: no workers, and Meilisearch's settings left to them.
pub async fn spawn_app_serving_only(adjust: impl FnOnce(&mut Config)) -> TestApp {
    spawn(adjust, false, false).await
}

/// An app whose search engine is down: a Meilisearch where nothing listens (port 1), so every
/// request to it fails to connect.
pub async fn spawn_app_with_search_down() -> TestApp {
    spawn_app_serving_only(|c| {
        c.search.engine = edumarkt_server::config::SearchEngineConfig::Meilisearch {
            url: "http://127.0.0.1:1".into(),
            api_key: None,
            api_key_uid: None,
        };
    })
    .await
}

async fn spawn(adjust: impl FnOnce(&mut Config), search_worker: bool, job_worker: bool) -> TestApp {
    let server = test_server().await;
    let database = format!("edumarkt_test_{}", uuid::Uuid::now_v7().simple());
    admin(&server.admin_url)
        .await
        .batch_execute(&format!(
            "CREATE DATABASE {database} TEMPLATE {}",
            server.template
        ))
        .await
        .expect("clone the template");
    let database_url = replace_database(&server.admin_url, &database);
    let url = database_url.clone();
    let search_dir = scratch_root().join("search").join(&database);
    let search_dir_setting = search_dir.display().to_string();
    let mut config = Config::load(&move |name: &str| match name {
        "EDUMARKT_SEARCH_DIR" => Some(search_dir_setting.clone()),
        "DATABASE_URL" => Some(url.clone()),
        "EDUMARKT_JWT_SECRET" => Some("test-secret-test-secret-test-secret-42".into()),
        "EDUMARKT_LISTEN" => Some("127.0.0.1:0".into()),
        "EDUMARKT_MAIL_DIR" => Some("/nonexistent".into()),
        "EDUMARKT_DB_POOL_SIZE" => Some("4".into()),
        _ => None,
    })
    .expect("test configuration");
    config.mail.transport = MailTransportConfig::Memory;
    config.public_url = "https://edumarkt.test".into();
    adjust(&mut config);
    let clock = ManualClock::starting_at(Utc::now());
    // The process that syncs the index applies Meilisearch's settings; one that only serves
    // leaves them (see `Prepare`).
    let prepare = if search_worker || job_worker {
        Prepare::Settings
    } else {
        Prepare::Skip
    };
    let mut app = Application::build_with(config, SharedClock::new(clock.clone()), prepare)
        .await
        .expect("build the app");
    let address = format!("http://127.0.0.1:{}", app.port());
    let state = app.state();
    if job_worker {
        app.spawn_job_worker();
    }
    if search_worker {
        app.spawn_search_worker();
    }
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        clock,
        state,
        database_url,
        database,
        admin_url: server.admin_url.clone(),
        search_dir,
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.search_dir);
        drop_database(&self.admin_url, &self.database);
        drop_meilisearch_indexes(&self.state.config.search);
    }
}

/// Removes the Meilisearch indexes of a test app (its own `test_…` prefix: the live index, and
/// any rebuild a reindex left), so test runs leave the engine as they found it.
fn drop_meilisearch_indexes(search: &edumarkt_server::config::SearchConfig) {
    let edumarkt_server::config::SearchEngineConfig::Meilisearch { url, api_key, .. } =
        &search.engine
    else {
        return;
    };
    if !search.index_prefix.starts_with("test_") {
        return;
    }
    // Straight to the tests' Meilisearch when there is one: the app may reach it through a
    // `CutLine`, whose forwarding runs on the test's runtime, which this drop blocks. With the
    // tests' own key too: a test may have deleted the key it gave its app (the tenant token
    // test does), which then could not delete anything.
    let (url, key, prefix) = (
        std::env::var("MEILISEARCH_URL").unwrap_or_else(|_| url.clone()),
        std::env::var("MEILISEARCH_API_KEY")
            .ok()
            .or_else(|| api_key.as_ref().map(|k| k.expose().to_owned())),
        search.index_prefix.clone(),
    );
    let _ = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let client = reqwest::Client::new();
            for uid in meilisearch_indexes(&url, key.as_deref(), &prefix).await {
                let delete = client.delete(format!("{url}/indexes/{uid}"));
                let _ = match &key {
                    Some(key) => delete.bearer_auth(key),
                    None => delete,
                }
                .send()
                .await;
            }
        })
    })
    .join();
}

/// The uids of the indexes of the Meilisearch at `url` that begin with `prefix` (none if it
/// does not answer).
pub async fn meilisearch_indexes(url: &str, key: Option<&str>, prefix: &str) -> Vec<String> {
    let list = reqwest::Client::new().get(format!("{url}/indexes?limit=1000"));
    let list = match key {
        Some(key) => list.bearer_auth(key),
        None => list,
    };
    let Ok(response) = list.send().await else {
        return Vec::new();
    };
    let listed: serde_json::Value = response.json().await.unwrap_or_default();
    let uids = listed["results"].as_array().cloned().unwrap_or_default();
    uids.iter()
        .filter_map(|i| i["uid"].as_str())
        .filter(|uid| uid.starts_with(prefix))
        .map(str::to_owned)
        .collect()
}

/// A database without migrations, dropped with this.
pub struct EmptyDatabase {
    pub url: String,
    name: String,
    admin_url: String,
}

pub async fn empty_database() -> EmptyDatabase {
    let server = test_server().await;
    let name = format!("edumarkt_empty_{}", uuid::Uuid::now_v7().simple());
    admin(&server.admin_url)
        .await
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create an empty database");
    EmptyDatabase {
        url: replace_database(&server.admin_url, &name),
        name,
        admin_url: server.admin_url.clone(),
    }
}

impl Drop for EmptyDatabase {
    fn drop(&mut self) {
        drop_database(&self.admin_url, &self.name);
    }
}

/// Drops a test's database from a thread of its own (Drop cannot await); FORCE ends the
/// connections still open to it.
fn drop_database(admin_url: &str, database: &str) {
    let (admin_url, database) = (admin_url.to_owned(), database.to_owned());
    let _ = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            admin(&admin_url)
                .await
                .batch_execute(&format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"))
                .await
        })
    })
    .join();
}

/// A logged-in user of a test.
#[derive(Clone, Debug)]
pub struct User {
    pub email: String,
    pub access: String,
    pub refresh: String,
    pub id: String,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn post(&self, path: &str, body: &Value, token: Option<&str>) -> reqwest::Response {
        let mut request = self.client.post(self.url(path)).json(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request")
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> reqwest::Response {
        let mut request = self.client.get(self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request")
    }

    pub async fn delete(&self, path: &str, token: Option<&str>) -> reqwest::Response {
        let mut request = self.client.delete(self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request")
    }

    pub async fn patch(
        &self,
        path: &str,
        body: &Value,
        token: &str,
        if_match: Option<&str>,
    ) -> reqwest::Response {
        self.send_with_if_match(self.client.patch(self.url(path)), body, token, if_match)
            .await
    }

    pub async fn put(
        &self,
        path: &str,
        body: &Value,
        token: &str,
        if_match: Option<&str>,
    ) -> reqwest::Response {
        self.send_with_if_match(self.client.put(self.url(path)), body, token, if_match)
            .await
    }

    async fn send_with_if_match(
        &self,
        request: reqwest::RequestBuilder,
        body: &Value,
        token: &str,
        if_match: Option<&str>,
    ) -> reqwest::Response {
        let mut request = request.json(body).bearer_auth(token);
        if let Some(tag) = if_match {
            request = request.header("If-Match", tag);
        }
        request.send().await.expect("request")
    }

    /// Mail sent to `to` so far, waiting up to five seconds for at least `count` of them.
    pub async fn mails_to(&self, to: &str, count: usize) -> Vec<Mail> {
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        loop {
            let mails: Vec<Mail> = self
                .state
                .mailer
                .sent()
                .into_iter()
                .filter(|m| m.to == to)
                .collect();
            if mails.len() >= count || std::time::Instant::now() > deadline {
                return mails;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// The first mail to `to` whose subject contains `subject`, waiting up to
    /// [`MAIL_EXPECTED_WITHIN`].
    pub async fn mail_about(&self, to: &str, subject: &str) -> Mail {
        let deadline = std::time::Instant::now() + MAIL_EXPECTED_WITHIN;
        loop {
            let found = self
                .state
                .mailer
                .sent()
                .into_iter()
                .find(|m| m.to == to && m.subject.contains(subject));
            if let Some(mail) = found {
                return mail;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "no mail to {to} about {subject:?}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// The token in the link of the newest mail to `to` whose link contains `path`.
    pub async fn token_from_mail(&self, to: &str, path: &str) -> String {
        let deadline = std::time::Instant::now() + MAIL_EXPECTED_WITHIN;
        loop {
            let found = self
                .state
                .mailer
                .sent()
                .into_iter()
                .rev()
                .filter(|m| m.to == to)
                .find_map(|m| link_token(&m.text, path));
            if let Some(token) = found {
                return token;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "no mail to {to} with a {path} link"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    pub async fn register(&self, email: &str) -> reqwest::Response {
        self.post(
            "/v1/auth/register",
            &json!({"email": email, "password": PASSWORD, "display_name": "Juf Anna"}),
            None,
        )
        .await
    }

    pub async fn login(&self, email: &str, password: &str) -> reqwest::Response {
        self.post(
            "/v1/auth/login",
            &json!({"email": email, "password": password}),
            None,
        )
        .await
    }

    /// Registers, verifies and logs in a new user.
    pub async fn user(&self, email: &str) -> User {
        assert_eq!(self.register(email).await.status(), 201);
        let token = self.token_from_mail(email, "/verify-email").await;
        assert_eq!(
            self.post("/v1/auth/verify-email", &json!({"token": token}), None)
                .await
                .status(),
            204
        );
        let response = self.login(email, PASSWORD).await;
        assert_eq!(response.status(), 200);
        let tokens: Value = response.json().await.unwrap();
        let me: Value = self
            .get("/v1/me", tokens["access_token"].as_str())
            .await
            .json()
            .await
            .unwrap();
        User {
            email: email.to_owned(),
            access: tokens["access_token"].as_str().unwrap().to_owned(),
            refresh: tokens["refresh_token"].as_str().unwrap().to_owned(),
            id: me["id"].as_str().unwrap().to_owned(),
        }
    }

    /// A new user who moderates reviews (the database flag that `edumarkt moderator` sets).
    pub async fn moderator(&self, email: &str) -> User {
        let user = self.user(email).await;
        self.sql()
            .await
            .execute(
                "UPDATE users SET is_moderator = true WHERE id = $1",
                &[&user.id.parse::<uuid::Uuid>().unwrap()],
            )
            .await
            .unwrap();
        user
    }

    /// The user logged in anew: after the test moved the clock past their access token's life.
    pub async fn log_in_again(&self, user: &User) -> User {
        let response = self.login(&user.email, PASSWORD).await;
        assert_eq!(response.status(), 200);
        let tokens: Value = response.json().await.unwrap();
        User {
            email: user.email.clone(),
            access: tokens["access_token"].as_str().unwrap().to_owned(),
            refresh: tokens["refresh_token"].as_str().unwrap().to_owned(),
            id: user.id.clone(),
        }
    }

    /// `manager` invites `invitee` into the organisation as `role`, and `invitee` accepts;
    /// returns the answer to the acceptance.
    pub async fn join(
        &self,
        manager: &User,
        organization_id: &str,
        invitee: &User,
        role: &str,
    ) -> reqwest::Response {
        let invited = self
            .post(
                &format!("/v1/organizations/{organization_id}/members"),
                &json!({"email": invitee.email, "role": role}),
                Some(&manager.access),
            )
            .await;
        assert_eq!(invited.status(), 201, "{:?}", invited.text().await);
        let token = self
            .token_from_mail(&invitee.email, "/invitations/accept")
            .await;
        self.post(
            "/v1/invitations/accept",
            &json!({"token": token}),
            Some(&invitee.access),
        )
        .await
    }

    /// The organisation's members (`{user_id, role, …}`) as `viewer` sees them.
    pub async fn members(&self, organization_id: &str, viewer: &User) -> Vec<Value> {
        let members: Value = self
            .get(
                &format!("/v1/organizations/{organization_id}/members"),
                Some(&viewer.access),
            )
            .await
            .json()
            .await
            .unwrap();
        members["items"].as_array().unwrap().clone()
    }

    /// Creates an organisation as `user` and returns its JSON.
    pub async fn organization(&self, user: &User, body: Value) -> Value {
        let response = self
            .post("/v1/organizations", &body, Some(&user.access))
            .await;
        assert_eq!(response.status(), 201, "{:?}", response.text().await);
        response.json().await.unwrap()
    }
}

fn link_token(text: &str, path: &str) -> Option<String> {
    let start = text.find(&format!("{path}?token="))? + path.len() + "?token=".len();
    Some(
        text[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect(),
    )
}

/// The problem+json body of an error response, checked for its content type.
pub async fn problem(response: reqwest::Response) -> Value {
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned());
    assert_eq!(content_type.as_deref(), Some("application/problem+json"));
    response.json().await.unwrap()
}

/// The `field` of each of a problem's `errors`, in order.
pub fn error_fields(problem: &Value) -> Vec<&str> {
    problem["errors"]
        .as_array()
        .map(|errors| errors.iter().filter_map(|e| e["field"].as_str()).collect())
        .unwrap_or_default()
}

/// Checks that a change was refused because it would leave an organisation without a manager.
pub async fn assert_last_manager_kept(response: reqwest::Response) {
    assert_eq!(response.status(), 409);
    let body = problem(response).await;
    let detail = body["detail"].as_str().unwrap_or_default();
    assert!(detail.contains("appoint another manager first"), "{body}");
}

pub fn provider_body(kvk: &str) -> Value {
    json!({"kind": "provider", "name": "Leren & Co", "kvk_number": kvk, "provider_kind": "commercieel", "sectors": ["po"]})
}

pub fn school_body(brin: &str) -> Value {
    json!({"kind": "school", "name": "OBS De Linde", "brin": brin, "sectors": ["po"], "province": "utrecht"})
}

pub fn offering_body() -> Value {
    json!({
        "title": "Dyslexie-aanpak in de klas",
        "summary": "Begeleiding van leraren en leerlingen bij dyslexie.",
        "description": "Een traject van zes maanden met coaching op de werkvloer.",
        "domain": "leerlingenzorg",
        "service_type": "zorg_leerproblemen",
        "sectors": ["po", "so"],
        "regions": ["utrecht", "gelderland"],
        "formats": ["begeleidingstraject", "coaching"],
        "delivery": ["op_locatie"],
        "duration": "traject",
        "price_model": "per_deelnemer",
        "price_min_cents": 45000,
        "price_max_cents": 60000,
        "evidence_level": "goed_onderbouwd",
        "evidence_sources": ["https://www.nji.nl/interventies/voorbeeld"],
        "co_creation_phases": ["vraagarticulatie", "evaluatie"],
        "themes": ["inclusief_onderwijs"]
    })
}

impl TestApp {
    /// A provider with an admin; returns (admin, provider id).
    pub async fn provider(&self, admin_email: &str, kvk: &str) -> (User, String) {
        let admin = self.user(admin_email).await;
        let provider = self.organization(&admin, provider_body(kvk)).await;
        (admin, provider["id"].as_str().unwrap().to_owned())
    }

    /// Creates a draft offering; returns its JSON and ETag.
    pub async fn draft(&self, user: &User, provider_id: &str, body: &Value) -> (Value, String) {
        let response = self
            .post(
                &format!("/v1/providers/{provider_id}/offerings"),
                body,
                Some(&user.access),
            )
            .await;
        assert_eq!(response.status(), 201, "{:?}", response.text().await);
        let etag = response.headers()["etag"].to_str().unwrap().to_owned();
        (response.json().await.unwrap(), etag)
    }
}

/// The search engines the contract suite runs against: the embedded index always, Meilisearch
/// when `MEILISEARCH_URL` (and `MEILISEARCH_API_KEY`) were set at build time (see build.rs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Embedded,
    Meilisearch,
}

/// An app searching with `engine`; with Meilisearch each app gets its own index prefix.
pub async fn spawn_app_on(engine: Engine) -> TestApp {
    spawn_app_with(|config| {
        if engine == Engine::Meilisearch {
            config.search.engine = edumarkt_server::config::SearchEngineConfig::Meilisearch {
                url: std::env::var("MEILISEARCH_URL")
                    .expect("MEILISEARCH_URL is set (it was when this test was built)"),
                api_key: std::env::var("MEILISEARCH_API_KEY")
                    .ok()
                    .map(edumarkt_server::config::Secret::new),
                api_key_uid: None,
            };
            config.search.index_prefix = format!("test_{}_", uuid::Uuid::now_v7().simple());
        }
    })
    .await
}

/// An app on `engine` whose search index is synced only when the test says so, as
/// `spawn_app_without_search_worker`. On Meilisearch it reaches the engine through a `CutLine`
/// (returned), so the test can make the engine die and come back.
pub async fn spawn_app_without_search_worker_on(engine: Engine) -> (TestApp, Option<CutLine>) {
    if engine == Engine::Embedded {
        return (spawn_app_without_search_worker().await, None);
    }
    let line = CutLine::to(
        &std::env::var("MEILISEARCH_URL")
            .expect("MEILISEARCH_URL is set (it was when this test was built)"),
    )
    .await;
    let url = line.url();
    let app = spawn(
        |config| {
            config.search.engine = edumarkt_server::config::SearchEngineConfig::Meilisearch {
                url,
                api_key: std::env::var("MEILISEARCH_API_KEY")
                    .ok()
                    .map(edumarkt_server::config::Secret::new),
                api_key_uid: None,
            };
            config.search.index_prefix = format!("test_{}_", uuid::Uuid::now_v7().simple());
        },
        false,
        true,
    )
    .await;
    (app, Some(line))
}

/// A TCP line to a server (Meilisearch) that a test can cut and mend. Cut, nothing listens at
/// its address (new connections are refused) and every open connection is dropped, as when the
/// engine's process dies; mended, it forwards again at the same address, as when the engine is
/// back. The engine itself keeps running: what it had accepted it still applies, as a
/// Meilisearch that persisted its task queue does after a restart.
pub struct CutLine {
    address: std::net::SocketAddr,
    target: String,
    forwarding: std::sync::Mutex<Option<tokio::task::JoinHandle<()>>>,
}

impl CutLine {
    /// A line to the server at `url` (`http://host:port`).
    pub async fn to(url: &str) -> CutLine {
        let target = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_owned();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let line = CutLine {
            address: listener.local_addr().unwrap(),
            target,
            forwarding: std::sync::Mutex::new(None),
        };
        line.forward(listener);
        line
    }

    /// The URL to reach the server through the line.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    fn forward(&self, listener: tokio::net::TcpListener) {
        let target = self.target.clone();
        let task = tokio::spawn(async move {
            // Dropped with the task when the line is cut: aborts every connection.
            let mut connections = tokio::task::JoinSet::new();
            loop {
                let Ok((mut inbound, _)) = listener.accept().await else {
                    continue;
                };
                let target = target.clone();
                connections.spawn(async move {
                    if let Ok(mut outbound) = tokio::net::TcpStream::connect(&target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                while connections.try_join_next().is_some() {}
            }
        });
        *self.forwarding.lock().unwrap() = Some(task);
    }

    pub async fn cut(&self) {
        let task = self.forwarding.lock().unwrap().take();
        if let Some(task) = task {
            task.abort();
            let _ = task.await;
        }
    }

    pub async fn mend(&self) {
        let listener = tokio::net::TcpListener::bind(self.address)
            .await
            .expect("the line's address is free again");
        self.forward(listener);
    }
}

impl Drop for CutLine {
    fn drop(&mut self) {
        if let Some(task) = self.forwarding.lock().unwrap().take() {
            task.abort();
        }
    }
}

/// A new Meilisearch API key that may do everything (tenant tokens are signed with one: the
/// master key has no uid), made with the master key; returns Meilisearch's answer (`key`, `uid`).
pub async fn meilisearch_admin_key(url: &str, master: &str) -> Value {
    reqwest::Client::new()
        .post(format!("{url}/keys"))
        .bearer_auth(master)
        .json(&json!({"actions": ["*"], "indexes": ["*"], "expiresAt": null}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

impl TestApp {
    /// A plain client on the app's database, for what the API does not show.
    pub async fn sql(&self) -> tokio_postgres::Client {
        sql_client(&self.database_url).await
    }

    /// Brings the index up to date with the database now (the background worker would too,
    /// a moment later).
    pub async fn sync_search(&self) {
        let syncer = self
            .state
            .search
            .syncer(self.state.pool.clone(), self.state.clock.clone());
        let bundles = self
            .state
            .search
            .bundles_syncer(self.state.pool.clone(), self.state.clock.clone());
        // The background worker may hold some rows (SKIP LOCKED hides them from this drain);
        // the index is in step once the outbox is empty.
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        loop {
            let batch = syncer.drain().await.expect("sync the search index");
            assert_eq!(batch.failed, 0, "search sync failed");
            let batch = bundles.drain().await.expect("sync the bundles' index");
            assert_eq!(batch.failed, 0, "bundles' search sync failed");
            let mut conn = self.state.pool.get().await.unwrap();
            let (waiting, _) = edumarkt_search_sync::outbox::depth(&mut conn)
                .await
                .unwrap();
            if waiting == 0 {
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the search outbox did not empty"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Searches with a query string and returns the JSON, asserting a 200.
    pub async fn search(&self, query: &str) -> Value {
        let response = self
            .get(&format!("/v1/search/offerings?{query}"), None)
            .await;
        assert_eq!(
            response.status(),
            200,
            "{query}: {:?}",
            response.text().await
        );
        response.json().await.unwrap()
    }

    /// Creates and publishes an offering; returns its id.
    pub async fn publish(&self, user: &User, provider_id: &str, body: &Value) -> String {
        let (offering, _) = self.draft(user, provider_id, body).await;
        let id = offering["id"].as_str().unwrap().to_owned();
        let response = self
            .post(
                &format!("/v1/offerings/{id}/publish"),
                &json!({}),
                Some(&user.access),
            )
            .await;
        assert_eq!(response.status(), 200);
        id
    }
}

/// The titles of a search result's hits, in order.
pub fn titles(results: &Value) -> Vec<String> {
    results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["title"].as_str().unwrap().to_owned())
        .collect()
}

/// Asserts that `search verify` finds the index equal to the database, showing the documents
/// that differ when it does not.
pub async fn verify_clean(app: &TestApp) {
    let report = edumarkt_search_sync::verify::verify(
        &app.state.pool,
        app.state.search.engine.as_ref(),
        app.state.search.index,
        100,
        &|_| {},
    )
    .await
    .unwrap();
    if !report.is_clean() {
        let mut conn = app.state.pool.get().await.unwrap();
        let wanted = edumarkt_search_sync::projection::load(&mut conn, &report.stale)
            .await
            .unwrap();
        let stored = app
            .state
            .search
            .engine
            .documents(app.state.search.index, 0, 1_000)
            .await
            .unwrap();
        let stored: Vec<_> = stored
            .into_iter()
            .filter(|d| report.stale.contains(&d.id))
            .collect();
        panic!(
            "index differs from the database: {report:?}\nwanted {wanted:#?}\nstored {stored:#?}"
        );
    }
}
