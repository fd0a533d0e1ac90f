//! The service on this machine: `up` (and `bench`) run a private PostgreSQL in a data folder;
//! the other commands use the same folder's database, joining a running `up` or starting the
//! cluster for their own duration.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::clock::SharedClock;
use crate::config::{self, Config, SearchConfig};
use crate::pg_cluster::{PrivateCluster, RunningCluster};
use crate::seed::market::MarketSize;
use crate::startup::Application;
use crate::{db, telemetry};

/// The folder `up` keeps its database, index, mail and secrets in unless told otherwise.
pub const DEFAULT_DATA_DIR: &str = ".edumarkt";

/// The database every command but `up` and `serve` works on: DATABASE_URL, or else the
/// `edumarkt` database of the private cluster in the data folder: a running `up`'s, or a
/// cluster started for the command and stopped by [`Database::close`].
pub struct Database {
    pub url: String,
    /// Started for this command.
    cluster: Option<PrivateCluster>,
    /// The data folder in use, whose `search` folder is the default embedded index.
    data_dir: Option<PathBuf>,
    /// Migrations that were pending and are now applied.
    pub applied: usize,
}

impl Database {
    /// Finds (or starts) the database and brings its schema up to this program's version, as
    /// `up` does, so that no command meets a half-made schema.
    pub async fn open(data_dir: Option<&Path>) -> anyhow::Result<Database> {
        let mut database = match config::environment("DATABASE_URL") {
            Some(url) => Database {
                url,
                cluster: None,
                data_dir: data_dir.map(Path::to_path_buf),
                applied: 0,
            },
            None => {
                let dir = data_dir.unwrap_or(Path::new(DEFAULT_DATA_DIR));
                if !dir.join("pg/data/PG_VERSION").exists() {
                    anyhow::bail!(
                        "there is no database in {dir}: `edumarkt up --data-dir {dir}` creates \
                         one, or set DATABASE_URL",
                        dir = dir.display()
                    );
                }
                let (url, cluster) = private_database(dir, Join::Running).await?;
                Database {
                    url,
                    cluster,
                    data_dir: Some(dir.to_path_buf()),
                    applied: 0,
                }
            }
        };
        match db::migrate(&database.url).await {
            Ok(applied) => database.applied = applied.len(),
            Err(error) => {
                database.close().await?;
                return Err(error.context("cannot apply the pending migrations"));
            }
        }
        if database.applied > 0 {
            eprintln!("applied {} pending migration(s)", database.applied);
        }
        Ok(database)
    }

    /// The search settings: the environment's, with the data folder's `search` folder as the
    /// embedded index (where `up` keeps it) when a data folder is in use.
    pub fn search_config(&self) -> anyhow::Result<SearchConfig> {
        let index = self.data_dir.as_ref().map(|d| d.join("search"));
        let lookup = |name: &str| {
            let default = (name == "EDUMARKT_SEARCH_DIR")
                .then(|| index.clone())
                .flatten();
            config::environment(name).or_else(|| Some(default?.display().to_string()))
        };
        Ok(SearchConfig::load(&lookup)?)
    }

    /// Stops the cluster if this command started it.
    pub async fn close(self) -> anyhow::Result<()> {
        if let Some(cluster) = self.cluster {
            cluster.stop().await?;
        }
        Ok(())
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Join {
    /// Use the cluster a running `up` serves, if any.
    Running,
    /// Start the cluster here (`up` itself: a second `up` on a folder is refused).
    Never,
}

/// The `edumarkt` database of the private cluster in `data_dir`, created on first use; the
/// cluster if this process started it.
async fn private_database(
    data_dir: &Path,
    join: Join,
) -> anyhow::Result<(String, Option<PrivateCluster>)> {
    let pg = data_dir.join("pg");
    if join == Join::Running
        && let Some(running) = RunningCluster::find(&pg)
    {
        return Ok((running.database_url("edumarkt"), None));
    }
    let cluster = PrivateCluster::start(&pg).await?;
    create_database(&cluster.database_url("postgres"), "edumarkt").await?;
    Ok((cluster.database_url("edumarkt"), Some(cluster)))
}

/// The service on this machine: a private PostgreSQL in `data_dir` (unless DATABASE_URL is
/// set), migrated, with the settings `up` and `bench` fill in for a local run.
pub struct Local {
    pub cluster: Option<PrivateCluster>,
    pub config: Config,
    pub data_dir: PathBuf,
}

pub async fn local(data_dir: &Path, listen: SocketAddr) -> anyhow::Result<Local> {
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("cannot create {}", data_dir.display()))?;
    let data_dir = data_dir.canonicalize()?;
    let mut defaults: HashMap<&str, String> = HashMap::new();
    let cluster = match config::environment("DATABASE_URL") {
        Some(_) => None,
        None => {
            let (url, cluster) = private_database(&data_dir, Join::Never).await?;
            defaults.insert("DATABASE_URL", url);
            cluster
        }
    };
    defaults.insert("EDUMARKT_JWT_SECRET", jwt_secret(&data_dir)?);
    defaults.insert(
        "EDUMARKT_MAIL_DIR",
        data_dir.join("mail").display().to_string(),
    );
    defaults.insert(
        "EDUMARKT_SEARCH_DIR",
        data_dir.join("search").display().to_string(),
    );
    defaults.insert("EDUMARKT_LISTEN", listen.to_string());
    let lookup = |name: &str| {
        // The --listen flag wins over the environment; other settings may be overridden.
        if name == "EDUMARKT_LISTEN" {
            return defaults.get(name).cloned();
        }
        config::environment(name).or_else(|| defaults.get(name).cloned())
    };
    let config = Config::load(&lookup)?;
    tracing::info!("applying migrations");
    let applied = db::migrate(config.database_url.expose()).await?;
    tracing::info!(count = applied.len(), "migrations applied");
    Ok(Local {
        cluster,
        config,
        data_dir,
    })
}

impl Local {
    pub async fn stop(self) -> anyhow::Result<()> {
        if let Some(cluster) = self.cluster {
            tracing::info!("stopping PostgreSQL");
            cluster.stop().await?;
        }
        Ok(())
    }
}

/// Generated reviews in `up`'s demo data (the most reviewed offering gets about a tenth).
const DEMO_REVIEWS: usize = 600;

pub async fn up(data_dir: &Path, listen: SocketAddr, demo: bool) -> anyhow::Result<()> {
    telemetry::init(config::LogFormat::Pretty);
    // Before anything touches the data folder: otherwise a port in use fails only after initdb,
    // the migrations and the seeding. (The server binds again below; the gap is a moment.)
    std::net::TcpListener::bind(listen).with_context(|| {
        format!(
            "cannot listen on {listen} (in use by another program?): choose another with --listen"
        )
    })?;
    let local = local(data_dir, listen).await?;
    if demo {
        let url = local.config.database_url.expose();
        super::seed_database(url, MarketSize::DEMO, 2026).await?;
        // Reviews too, so the demo's offering pages, sorting by rating and compare show them.
        super::seed_reviews(url, DEMO_REVIEWS, 2026, &local.config.reviews).await?;
    }
    let public_url = local.config.public_url.clone();
    let mail_dir = local.data_dir.join("mail");
    let database_url = local.config.database_url.expose().to_owned();
    let mut app = Application::build(local.config.clone(), SharedClock::system()).await?;
    app.spawn_workers();
    println!();
    println!("edumarkt is running");
    println!("  API:   {public_url}/v1");
    println!("  docs:  {public_url}/docs");
    println!("  ready: {public_url}/health/ready");
    println!("  mail:  {}", mail_dir.display());
    // The other commands find this themselves with --data-dir; other tools need the URL.
    println!("  DATABASE_URL={database_url}");
    println!("Press Ctrl-C to stop.");
    let served = app.run_until_stopped().await;
    local.stop().await?;
    served?;
    Ok(())
}

/// Creates `name` unless it exists.
async fn create_database(admin_url: &str, name: &str) -> anyhow::Result<()> {
    let (client, connection) = tokio_postgres::connect(admin_url, tokio_postgres::NoTls).await?;
    tokio::spawn(connection);
    let exists = client
        .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])
        .await?
        .is_some();
    if !exists {
        // Identifiers cannot be bound as parameters; `name` is our own constant.
        client
            .batch_execute(&format!("CREATE DATABASE \"{name}\""))
            .await?;
    }
    Ok(())
}

/// The signing secret of `up`, generated once and kept in the data folder (mode 0600).
fn jwt_secret(data_dir: &Path) -> anyhow::Result<String> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let path = data_dir.join("jwt-secret");
    if let Ok(existing) = std::fs::read_to_string(&path) {
        return Ok(existing.trim().to_owned());
    }
    let secret = crate::auth::token::generate().plain + &crate::auth::token::generate().plain;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&path)?;
    file.write_all(secret.as_bytes())?;
    Ok(secret)
}
