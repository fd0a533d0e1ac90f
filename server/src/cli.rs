//! The `edumarkt` command: `up` is the whole service on one machine with nothing configured;
//! `serve` is the production server, configured by the environment.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use crate::clock::SharedClock;
use crate::config::{self, Config};
use crate::db::models::user::User;
use crate::pg_cluster::PrivateCluster;
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
    /// Load the demo organisations and accounts into an empty database (DATABASE_URL).
    Seed,
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
        Command::Seed => {
            telemetry::init(config::LogFormat::Pretty);
            let url = required_database_url()?;
            seed_demo(&url).await
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

async fn seed_demo(url: &str) -> anyhow::Result<()> {
    use diesel_async::AsyncConnection;
    let mut conn = diesel_async::AsyncPgConnection::establish(url).await?;
    if seed::is_empty(&mut conn).await? {
        println!("loading demo data");
        seed::load_demo(&mut conn, chrono::Utc::now()).await?;
    } else {
        println!("the database already has accounts; demo data not loaded");
    }
    Ok(())
}

async fn up(data_dir: &Path, listen: SocketAddr, demo: bool) -> anyhow::Result<()> {
    telemetry::init(config::LogFormat::Pretty);
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
    defaults.insert("EDUMARKT_LISTEN", listen.to_string());
    let lookup = |name: &str| {
        // The --listen flag wins over the environment; other settings may be overridden.
        if name == "EDUMARKT_LISTEN" {
            return defaults.get(name).cloned();
        }
        config::environment(name).or_else(|| defaults.get(name).cloned())
    };
    let config = Config::load(&lookup)?;
    let url = config.database_url.expose().to_owned();
    tracing::info!("applying migrations");
    let applied = db::migrate(&url).await?;
    tracing::info!(count = applied.len(), "migrations applied");
    if demo {
        seed_demo(&url).await?;
    }
    let public_url = config.public_url.clone();
    let mail_dir = data_dir.join("mail");
    let app = Application::build(config, SharedClock::system()).await?;
    app.spawn_workers();
    println!();
    println!("edumarkt is running");
    println!("  API:   {public_url}/v1");
    println!("  docs:  {public_url}/docs");
    println!("  ready: {public_url}/health/ready");
    println!("  mail:  {}", mail_dir.display());
    println!("Press Ctrl-C to stop.");
    let served = app.run_until_stopped().await;
    if let Some(cluster) = cluster {
        tracing::info!("stopping PostgreSQL");
        cluster.stop().await?;
    }
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
