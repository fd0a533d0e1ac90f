//! The `edumarkt` command: `up` is the whole service on one machine with nothing configured;
//! `serve` is the production server, configured by the environment.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use crate::clock::SharedClock;
use crate::config::{self, Config, SearchConfig};
use crate::db::models::user::User;
use crate::pg_cluster::PrivateCluster;
use crate::search::Search;
use crate::seed::market::MarketSize;
use crate::startup::Application;
use crate::{db, import, seed, telemetry};
use anyhow::Context;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "edumarkt",
    version,
    about = "Search, compare and jointly procure educational services for Dutch schools"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the whole service locally: a private PostgreSQL, migrations, demo data, mail to files.
    Up {
        /// Where the database, mail and secrets are kept.
        #[arg(long, default_value = ".edumarkt")]
        data_dir: PathBuf,
        /// The address to serve HTTP on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// Do not load demo data into an empty database.
        #[arg(long)]
        no_demo: bool,
    },
    /// Run the production server, configured by the environment (DATABASE_URL required).
    Serve {
        /// The address to serve HTTP on (overrides EDUMARKT_LISTEN).
        #[arg(long)]
        listen: Option<SocketAddr>,
    },
    /// Apply pending database migrations (DATABASE_URL).
    Migrate,
    /// Load the demo accounts and a generated market into an empty database (DATABASE_URL).
    Seed {
        /// How many offerings to generate (about six per provider); 300 is the demo size.
        #[arg(long, default_value_t = 300)]
        offerings: usize,
        /// The generator's seed: the same seed gives the same market.
        #[arg(long, default_value_t = 2026)]
        seed: u64,
    },
    /// The search index: status, rebuild, verification (DATABASE_URL, and MEILISEARCH_URL or
    /// EDUMARKT_SEARCH_DIR).
    Search {
        #[command(subcommand)]
        action: SearchAction,
    },
    /// Benchmarks that print figures (see the README).
    Bench {
        #[command(subcommand)]
        what: BenchWhat,
    },
    /// Make an account a platform moderator, or take the role away (DATABASE_URL).
    Moderator {
        #[command(subcommand)]
        action: ModeratorAction,
    },
    /// Create or update organisations from a public register (DATABASE_URL).
    Import {
        #[command(subcommand)]
        what: ImportWhat,
    },
}

#[derive(Subcommand)]
enum ImportWhat {
    /// School boards, schools and their locations from DUO's register of school locations.
    ///
    /// Reads DUO's open-data address file of school locations (CSV, comma or semicolon,
    /// UTF-8 or Latin-1). Rows that cannot be imported are listed by line; the others are.
    DuoSchools {
        /// The CSV file.
        file: PathBuf,
        /// The sector of the file, added to every school and board in it: po, so, vo or mbo.
        #[arg(long)]
        sector: Option<String>,
    },
}

#[derive(Subcommand)]
enum SearchAction {
    /// The outbox: rows waiting, rows failing with their last error, and the index's size.
    Status,
    /// Build a fresh index from the database and swap it in; changes made meanwhile are kept.
    Reindex,
    /// Compare the index with the database: missing, stale and extra documents.
    Verify {
        /// Queue the differing documents and sync them.
        #[arg(long)]
        repair: bool,
    },
}

#[derive(Subcommand)]
enum BenchWhat {
    /// Search latency (API and index), throughput, reindex rate and sync lag on the scale data.
    Search {
        /// Where the benchmark's database and index live (kept between runs).
        #[arg(long, default_value = ".edumarkt-bench")]
        data_dir: PathBuf,
        /// Offerings in the scale data (generated on the first run).
        #[arg(long, default_value_t = 100_000)]
        offerings: usize,
        /// Searches timed one by one.
        #[arg(long, default_value_t = 2_000)]
        queries: usize,
        #[arg(long, default_value_t = 32)]
        concurrency: usize,
        #[arg(long, default_value_t = 10)]
        throughput_seconds: u64,
        /// Offerings changed in the sync-lag run, at --writes-per-second.
        #[arg(long, default_value_t = 300)]
        writes: usize,
        #[arg(long, default_value_t = 20)]
        writes_per_second: u64,
    },
}

#[derive(Subcommand)]
enum ModeratorAction {
    /// Give the account with this e-mail address the moderator role.
    Grant { email: String },
    /// Take the moderator role away.
    Revoke { email: String },
}

/// Parses the command line and runs the command; the exit code of the process.
pub fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("edumarkt: cannot start the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("edumarkt: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Up {
            data_dir,
            listen,
            no_demo,
        } => up(&data_dir, listen, !no_demo).await,
        Command::Serve { listen } => {
            let mut config = Config::load(&config::environment)?;
            if let Some(listen) = listen {
                config.listen = listen;
            }
            telemetry::init(config.log_format);
            let app = Application::build(config, SharedClock::system()).await?;
            app.spawn_workers();
            tracing::info!(port = app.port(), "edumarkt serving");
            app.run_until_stopped().await?;
            Ok(())
        }
        Command::Migrate => {
            telemetry::init(config::LogFormat::Pretty);
            let url = required_database_url()?;
            let applied = db::migrate(&url).await?;
            println!("applied {} migration(s)", applied.len());
            Ok(())
        }
        Command::Seed { offerings, seed } => {
            telemetry::init(config::LogFormat::Pretty);
            let url = required_database_url()?;
            let size = if offerings == MarketSize::DEMO.offerings {
                MarketSize::DEMO
            } else {
                MarketSize::scale(offerings)
            };
            seed_database(&url, size, seed).await
        }
        Command::Search { action } => {
            telemetry::init(config::LogFormat::Pretty);
            search_command(action).await
        }
        Command::Bench {
            what:
                BenchWhat::Search {
                    data_dir,
                    offerings,
                    queries,
                    concurrency,
                    throughput_seconds,
                    writes,
                    writes_per_second,
                },
        } => {
            telemetry::init(config::LogFormat::Pretty);
            let local = local(&data_dir, "127.0.0.1:0".parse()?).await?;
            let url = local.config.database_url.expose().to_owned();
            seed_database(&url, MarketSize::scale(offerings), 2026).await?;
            let app = Application::build(local.config.clone(), SharedClock::system()).await?;
            let state = app.state();
            let base_url = format!("http://127.0.0.1:{}", app.port());
            app.spawn_workers();
            let server = tokio::spawn(app.run_until_stopped());
            // The first run indexes the whole scale set; wait for the outbox to empty.
            loop {
                let mut conn = state.pool.get().await?;
                let (waiting, _) = edumarkt_search_sync::outbox::depth(&mut conn).await?;
                if waiting == 0 {
                    break;
                }
                tracing::info!(waiting, "waiting for the index to catch up");
                tokio::time::sleep(std::time::Duration::from_secs(2)).await;
            }
            let options = crate::bench::Options {
                queries,
                concurrency,
                throughput_seconds,
                writes,
                writes_per_second,
            };
            let outcome = crate::bench::search(&state, &base_url, &options).await;
            server.abort();
            local.stop().await?;
            outcome
        }
        Command::Moderator { action } => {
            use diesel_async::AsyncConnection;
            let (email, grant) = match action {
                ModeratorAction::Grant { email } => (email, true),
                ModeratorAction::Revoke { email } => (email, false),
            };
            let mut conn =
                diesel_async::AsyncPgConnection::establish(&required_database_url()?).await?;
            let user = User::find_by_email(&mut conn, &email)
                .await?
                .with_context(|| format!("no account has the address {email}"))?;
            User::set_moderator(&mut conn, user.id, grant, chrono::Utc::now()).await?;
            println!(
                "{email} is {}a moderator",
                if grant { "now " } else { "no longer " }
            );
            Ok(())
        }
        Command::Import {
            what: ImportWhat::DuoSchools { file, sector },
        } => import_duo_schools(&file, sector.as_deref()).await,
    }
}

async fn import_duo_schools(file: &Path, sector: Option<&str>) -> anyhow::Result<()> {
    use diesel_async::AsyncConnection;
    let options = import::ImportOptions::new(sector, chrono::Utc::now())?;
    let url = required_database_url()?;
    let bytes = tokio::fs::read(file)
        .await
        .with_context(|| format!("cannot read {}", file.display()))?;
    let mut conn = diesel_async::AsyncPgConnection::establish(&url).await?;
    // Progress only for a person watching; redirected output stays clean.
    let progress = if std::io::stderr().is_terminal() {
        import::ProgressBar::new(0).with_style(indicatif::ProgressStyle::with_template(
            "{bar:40} {human_pos}/{human_len} rows, {eta} left",
        )?)
    } else {
        import::ProgressBar::hidden()
    };
    let report = import::import_duo_schools(&mut conn, &bytes[..], &options, &progress)
        .await
        .with_context(|| format!("{} not imported", file.display()))?;
    progress.finish_and_clear();
    print!("{report}");
    if report.imported == 0 && !report.rejected.is_empty() {
        anyhow::bail!("no row of {} could be imported", file.display());
    }
    Ok(())
}

fn required_database_url() -> anyhow::Result<String> {
    config::environment("DATABASE_URL")
        .context("DATABASE_URL is required: a postgres:// URL of the database")
}

fn progress_bar(len: u64, what: &str) -> indicatif::ProgressBar {
    indicatif::ProgressBar::new(len).with_style(
        indicatif::ProgressStyle::with_template(&format!(
            "{{msg}} {{wide_bar}} {{pos}}/{{len}} {what} ({{per_sec}}, {{eta}})"
        ))
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    )
}

async fn search_command(action: SearchAction) -> anyhow::Result<()> {
    use edumarkt_search_sync::{outbox, reindex, verify};
    let url = required_database_url()?;
    let pool = db::pool(&url, 4)?;
    let search = Search::connect(&SearchConfig::load(&config::environment)?).await?;
    let engine = search.engine.as_ref();
    match action {
        SearchAction::Status => {
            let mut conn = pool.get().await?;
            let (waiting, failing) = outbox::depth(&mut conn).await?;
            let documents = edumarkt_search_sync::projection::count(&mut conn).await?;
            println!(
                "engine: {}; searchable offerings in the database: {documents}",
                engine.kind()
            );
            println!("outbox: {waiting} waiting, {failing} failing");
            for row in outbox::failing(&mut conn, 20).await? {
                println!(
                    "  document {} attempts {} next {} error: {}",
                    row.document_id,
                    row.attempts,
                    row.next_attempt_at,
                    row.last_error.unwrap_or_default()
                );
            }
        }
        SearchAction::Reindex => {
            let bar = progress_bar(0, "documents");
            bar.set_message("reindexing");
            let report = reindex::reindex(&pool, engine, search.index, 1_000, &|done, total| {
                bar.set_length(total as u64);
                bar.set_position(done as u64);
            })
            .await?;
            bar.finish_and_clear();
            println!(
                "reindexed {} documents in {:.1} s ({:.0} documents/s)",
                report.documents,
                report.seconds,
                report.documents as f64 / report.seconds.max(0.001)
            );
        }
        SearchAction::Verify { repair } => {
            let bar = progress_bar(0, "documents checked");
            let report = verify::verify(&pool, engine, search.index, 1_000, &|checked| {
                bar.set_position(checked as u64)
            })
            .await?;
            bar.finish_and_clear();
            println!(
                "checked {}: {} missing, {} stale, {} extra",
                report.checked,
                report.missing.len(),
                report.stale.len(),
                report.extra.len()
            );
            if repair && !report.is_clean() {
                let queued = verify::queue_repairs(&pool, &report).await?;
                let synced = search
                    .syncer(pool.clone(), SharedClock::system())
                    .drain()
                    .await?;
                println!(
                    "repaired: queued {queued}, synced {} rows ({} failed)",
                    synced.rows, synced.failed
                );
            } else if !report.is_clean() {
                anyhow::bail!(
                    "the index differs from the database; run `edumarkt search verify --repair`"
                );
            }
        }
    }
    Ok(())
}

/// Loads the demo accounts and a generated market, unless the database already has accounts.
async fn seed_database(url: &str, size: MarketSize, seed: u64) -> anyhow::Result<()> {
    use diesel_async::AsyncConnection;
    let mut conn = diesel_async::AsyncPgConnection::establish(url).await?;
    if !seed::is_empty(&mut conn).await? {
        println!("the database already has accounts; seed data not loaded");
        return Ok(());
    }
    let started = std::time::Instant::now();
    seed::load_demo(&mut conn, chrono::Utc::now()).await?;
    // The demo provider's offerings count towards the number asked for: a database seeded with
    // N offerings holds N.
    let size = MarketSize {
        offerings: size.offerings.saturating_sub(seed::DEMO_OFFERING_COUNT),
        ..size
    };
    let bar = indicatif::ProgressBar::new(size.offerings as u64).with_style(
        indicatif::ProgressStyle::with_template(
            "{msg} {wide_bar} {pos}/{len} offerings ({per_sec}, {eta})",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.set_message("seeding");
    let seeded =
        seed::market::load_market(&mut conn, size, seed, &|done| bar.set_position(done as u64))
            .await?;
    bar.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "seeded {} boards, {} schools, {} networks, {} providers and {} offerings in {seconds:.1} s ({:.0} offerings/s)",
        seeded.boards,
        seeded.schools,
        seeded.networks,
        seeded.providers,
        seeded.offerings + seed::DEMO_OFFERING_COUNT,
        seeded.offerings as f64 / seconds
    );
    Ok(())
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
            let cluster = PrivateCluster::start(&data_dir.join("pg")).await?;
            create_database(&cluster.database_url("postgres"), "edumarkt").await?;
            defaults.insert("DATABASE_URL", cluster.database_url("edumarkt"));
            Some(cluster)
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

async fn up(data_dir: &Path, listen: SocketAddr, demo: bool) -> anyhow::Result<()> {
    telemetry::init(config::LogFormat::Pretty);
    let local = local(data_dir, listen).await?;
    if demo {
        seed_database(local.config.database_url.expose(), MarketSize::DEMO, 2026).await?;
    }
    let public_url = local.config.public_url.clone();
    let mail_dir = local.data_dir.join("mail");
    let app = Application::build(local.config.clone(), SharedClock::system()).await?;
    app.spawn_workers();
    println!();
    println!("edumarkt is running");
    println!("  API:   {public_url}/v1");
    println!("  docs:  {public_url}/docs");
    println!("  ready: {public_url}/health/ready");
    println!("  mail:  {}", mail_dir.display());
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
