//! The `edumarkt` command: `up` is the whole service on one machine with nothing configured;
//! `serve` is the production server, configured by the environment. The other commands work
//! on DATABASE_URL's database or, without it, on the data folder of `up` (see `local`).

mod bench_load;
mod jobs;
mod local;
mod search;

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use crate::clock::SharedClock;
use crate::config::{self, Config};
use crate::db::models::user::User;
use crate::search::Prepare;
use crate::seed::market::MarketSize;
use crate::startup::Application;
use crate::{import, seed, telemetry};
use anyhow::Context;
use clap::{Parser, Subcommand};

pub use local::{DEFAULT_DATA_DIR, Local, local};
use local::{Database, up};

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

/// Which database a command works on when DATABASE_URL is not set.
#[derive(clap::Args)]
struct Target {
    /// The folder of `edumarkt up` whose database and search index to use when DATABASE_URL is
    /// not set: a running `up`'s, or started for the command [default: .edumarkt]
    #[arg(long, value_name = "DIR", global = true)]
    data_dir: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the whole service locally: a private PostgreSQL, migrations, demo data, mail to files.
    Up {
        /// Where the database, mail and secrets are kept.
        #[arg(long, default_value = DEFAULT_DATA_DIR)]
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
        /// Serve HTTP only: no mail or other jobs, no search sync, and Meilisearch's settings
        /// left to `edumarkt worker`.
        #[arg(long)]
        no_workers: bool,
    },
    /// Run the workers alone (jobs such as mail, and the search sync), configured like `serve`;
    /// stops on SIGTERM after the job in hand.
    Worker,
    /// The job queue (mail and other background work).
    Jobs {
        #[command(flatten)]
        target: Target,
        #[command(subcommand)]
        action: JobsAction,
    },
    /// Apply pending database migrations (every other command applies them too).
    Migrate {
        #[command(flatten)]
        target: Target,
    },
    /// Load the demo accounts and a generated market into an empty database.
    Seed {
        #[command(flatten)]
        target: Target,
        /// How many offerings to generate (about six per provider); 300 is the demo size.
        #[arg(long, default_value_t = 300)]
        offerings: usize,
        /// The generator's seed: the same seed gives the same market.
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// How many reviews to generate for the published offerings (with reviewer accounts
        /// and helpful votes), unless the database has reviews already.
        #[arg(long, default_value_t = 0)]
        reviews: usize,
    },
    /// The search index: status, rebuild, verification (MEILISEARCH_URL, or the embedded index
    /// in EDUMARKT_SEARCH_DIR, by default the data folder's `search`).
    Search {
        #[command(flatten)]
        target: Target,
        #[command(subcommand)]
        action: SearchAction,
    },
    /// Benchmarks that print figures (see the README).
    Bench {
        #[command(subcommand)]
        what: BenchCommand,
    },
    /// Make an account a platform moderator, or take the role away.
    Moderator {
        #[command(flatten)]
        target: Target,
        #[command(subcommand)]
        action: ModeratorAction,
    },
    /// Create or update organisations from a public register.
    Import {
        #[command(flatten)]
        target: Target,
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
enum JobsAction {
    /// Jobs due and failing per kind, and the failing ones with their last error.
    Status,
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

/// Where a benchmark's scale data lives, shared by every benchmark.
#[derive(clap::Args)]
struct BenchData {
    /// Where the benchmark's database and index live (kept between runs).
    #[arg(long, default_value = ".edumarkt-bench")]
    data_dir: PathBuf,
    /// Offerings in the scale data (generated on the first run).
    #[arg(long, default_value_t = 100_000)]
    offerings: usize,
}

#[derive(Subcommand)]
enum BenchCommand {
    #[command(flatten)]
    InProcess(BenchWhat),
    /// A mixed read/write load (searches, offering pages, compare, review lists, reviews
    /// written, bundles joined, page views) on a server of its own with the scale data, or on a
    /// running one (--url): throughput, p50 and p99 per operation, and the server's memory.
    Load(bench_load::LoadArgs),
}

/// The benchmarks that run the server in their own process, next to the load they make.
#[derive(Subcommand)]
enum BenchWhat {
    /// Search latency (API and index), throughput, reindex rate and sync lag on the scale data.
    Search {
        #[command(flatten)]
        data: BenchData,
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
    /// The pages on the scale data: time to first byte and in full, and the weight of each page
    /// with what it loads, compressed and not, on a first and a repeat visit.
    Pages {
        #[command(flatten)]
        data: BenchData,
        /// Requests timed per page.
        #[arg(long, default_value_t = 200)]
        requests: usize,
    },
    /// Reviews on the scale data with generated reviews: listing most helpful first (p50,
    /// p99), writes per second with exact aggregates, and the rating's sync lag to search.
    Reviews {
        #[command(flatten)]
        data: BenchData,
        /// Reviews generated on the first run (as `edumarkt seed --reviews`).
        #[arg(long, default_value_t = 100_000)]
        reviews: usize,
        /// Requests timed per list.
        #[arg(long, default_value_t = 1_000)]
        requests: usize,
        /// The deep page of the most reviewed offering's list (pages of 20).
        #[arg(long, default_value_t = 250)]
        deep_page: usize,
        /// Distinct accounts writing reviews at once; each reviews every written offering.
        #[arg(long, default_value_t = 256)]
        writers: usize,
        /// Write requests in flight at once.
        #[arg(long, default_value_t = 32)]
        concurrency: usize,
        /// Typical offerings the writers review (then the most reviewed one).
        #[arg(long, default_value_t = 4)]
        write_offerings: usize,
        /// Reviews written in the sync-lag run, at --writes-per-second.
        #[arg(long, default_value_t = 300)]
        lag_writes: usize,
        #[arg(long, default_value_t = 20)]
        writes_per_second: u64,
    },
    /// A tender at scale through the API: schools joining one bundle at once (with exact
    /// totals), sealed offers, then opening, scoring, ranking, awarding and the OCDS export.
    Tenders {
        #[command(flatten)]
        data: BenchData,
        /// Schools that join the bundle.
        #[arg(long, default_value_t = 1_000)]
        schools: usize,
        /// Providers that offer on it.
        #[arg(long, default_value_t = 200)]
        offers: usize,
        /// Joins and offers in flight at once.
        #[arg(long, default_value_t = 16)]
        concurrency: usize,
        /// Times each read (offers, ranking, OCDS package, awards feed) is timed.
        #[arg(long, default_value_t = 20)]
        runs: usize,
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
        Command::Serve { listen, no_workers } => {
            let mut config = Config::load(&config::environment)?;
            if let Some(listen) = listen {
                config.listen = listen;
            }
            telemetry::init(config.log_format);
            let prepare = if no_workers {
                Prepare::Skip
            } else {
                Prepare::Settings
            };
            let mut app = Application::build_with(config, SharedClock::system(), prepare).await?;
            if !no_workers {
                app.spawn_workers();
            }
            tracing::info!(port = app.port(), "edumarkt serving");
            app.run_until_stopped().await?;
            Ok(())
        }
        Command::Worker => jobs::worker().await,
        Command::Jobs {
            target,
            action: JobsAction::Status,
        } => {
            let database = Database::open(target.data_dir.as_deref()).await?;
            let done = jobs::status(&database.url).await;
            database.close().await?;
            done
        }
        Command::Migrate { target } => {
            telemetry::init(config::LogFormat::Pretty);
            let database = Database::open(target.data_dir.as_deref()).await?;
            println!("applied {} migration(s)", database.applied);
            database.close().await
        }
        Command::Seed {
            target,
            offerings,
            seed,
            reviews,
        } => {
            telemetry::init(config::LogFormat::Pretty);
            let size = if offerings == MarketSize::DEMO.offerings {
                MarketSize::DEMO
            } else {
                MarketSize::scale(offerings)
            };
            let settings = config::review_settings(&config::environment)?;
            let database = Database::open(target.data_dir.as_deref()).await?;
            let mut seeded = seed_database(&database.url, size, seed).await;
            if seeded.is_ok() && reviews > 0 {
                seeded = seed_reviews(&database.url, reviews, seed, &settings).await;
            }
            database.close().await?;
            seeded
        }
        Command::Search { target, action } => {
            telemetry::init(config::LogFormat::Pretty);
            let database = Database::open(target.data_dir.as_deref()).await?;
            let done = search::run(action, &database).await;
            database.close().await?;
            done
        }
        Command::Bench {
            what: BenchCommand::Load(args),
        } => {
            telemetry::init(config::LogFormat::Pretty);
            bench_load::bench_load(args).await
        }
        Command::Bench {
            what: BenchCommand::InProcess(what),
        } => {
            telemetry::init(config::LogFormat::Pretty);
            let data = match &what {
                BenchWhat::Search { data, .. }
                | BenchWhat::Pages { data, .. }
                | BenchWhat::Reviews { data, .. }
                | BenchWhat::Tenders { data, .. } => data,
            };
            let local = local(&data.data_dir, "127.0.0.1:0".parse()?).await?;
            let url = local.config.database_url.expose().to_owned();
            seed_database(&url, MarketSize::scale(data.offerings), 2026).await?;
            if let BenchWhat::Reviews { reviews, .. } = &what {
                seed_reviews(&url, *reviews, 2026, &local.config.reviews).await?;
            }
            let mut config = local.config.clone();
            // The benchmark's clients all come from 127.0.0.1: counted as one client they would
            // meet the per-client limit (and queue on its one counter row), measuring the
            // limiter instead of the service.
            config.rate_limits.public_per_client = 0;
            let mut app = Application::build(config, SharedClock::system()).await?;
            let state = app.state();
            let base_url = format!("http://127.0.0.1:{}", app.port());
            app.spawn_workers();
            let handle = app.server_handle();
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
            let outcome = match what {
                BenchWhat::Search {
                    queries,
                    concurrency,
                    throughput_seconds,
                    writes,
                    writes_per_second,
                    ..
                } => {
                    let options = crate::bench::Options {
                        queries,
                        concurrency,
                        throughput_seconds,
                        writes,
                        writes_per_second,
                    };
                    crate::bench::search(&state, &base_url, &options).await
                }
                BenchWhat::Pages { requests, .. } => {
                    crate::bench::pages::pages(&state, &base_url, requests).await
                }
                BenchWhat::Reviews {
                    requests,
                    deep_page,
                    writers,
                    concurrency,
                    write_offerings,
                    lag_writes,
                    writes_per_second,
                    ..
                } => {
                    let options = crate::bench::reviews::Options {
                        requests,
                        deep_page,
                        writers,
                        concurrency,
                        write_offerings,
                        lag_writes,
                        writes_per_second,
                    };
                    crate::bench::reviews::reviews(&state, &base_url, &options).await
                }
                BenchWhat::Tenders {
                    schools,
                    offers,
                    concurrency,
                    runs,
                    ..
                } => {
                    let options = crate::bench::tenders::Options {
                        schools,
                        offers,
                        concurrency,
                        runs,
                    };
                    crate::bench::tenders::tenders(&state, &base_url, &options).await
                }
            };
            // Server and workers first, then the database they use.
            handle.stop(true).await;
            server.await??;
            local.stop().await?;
            outcome
        }
        Command::Moderator { target, action } => {
            let database = Database::open(target.data_dir.as_deref()).await?;
            let done = moderator(&database.url, action).await;
            database.close().await?;
            done
        }
        Command::Import {
            target,
            what: ImportWhat::DuoSchools { file, sector },
        } => {
            let options = import::ImportOptions::new(sector.as_deref(), chrono::Utc::now())?;
            let database = Database::open(target.data_dir.as_deref()).await?;
            let done = import_duo_schools(&database.url, &file, &options).await;
            database.close().await?;
            done
        }
    }
}

async fn moderator(url: &str, action: ModeratorAction) -> anyhow::Result<()> {
    use diesel_async::AsyncConnection;
    let (email, grant) = match action {
        ModeratorAction::Grant { email } => (email, true),
        ModeratorAction::Revoke { email } => (email, false),
    };
    let mut conn = diesel_async::AsyncPgConnection::establish(url).await?;
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

async fn import_duo_schools(
    url: &str,
    file: &Path,
    options: &import::ImportOptions,
) -> anyhow::Result<()> {
    use diesel_async::AsyncConnection;
    let bytes = tokio::fs::read(file)
        .await
        .with_context(|| format!("cannot read {}", file.display()))?;
    let mut conn = diesel_async::AsyncPgConnection::establish(url).await?;
    // Progress only for a person watching; redirected output stays clean.
    let progress = if std::io::stderr().is_terminal() {
        import::ProgressBar::new(0).with_style(indicatif::ProgressStyle::with_template(
            "{bar:40} {human_pos}/{human_len} rows, {eta} left",
        )?)
    } else {
        import::ProgressBar::hidden()
    };
    let report = import::import_duo_schools(&mut conn, &bytes[..], options, &progress)
        .await
        .with_context(|| format!("{} not imported", file.display()))?;
    progress.finish_and_clear();
    print!("{report}");
    if report.imported == 0 && !report.rejected.is_empty() {
        anyhow::bail!("no row of {} could be imported", file.display());
    }
    Ok(())
}

fn progress_bar(len: u64, what: &str) -> indicatif::ProgressBar {
    indicatif::ProgressBar::new(len).with_style(
        indicatif::ProgressStyle::with_template(&format!(
            "{{msg}} {{wide_bar}} {{pos}}/{{len}} {what} ({{per_sec}}, {{eta}})"
        ))
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    )
}

/// Loads `count` generated reviews, unless the database has reviews already.
async fn seed_reviews(
    url: &str,
    count: usize,
    seed: u64,
    settings: &crate::domain::review_stats::ReviewSettings,
) -> anyhow::Result<()> {
    use diesel_async::AsyncConnection;
    let mut conn = diesel_async::AsyncPgConnection::establish(url).await?;
    if seed::reviews::has_reviews(&mut conn).await? {
        println!("the database already has reviews; reviews not loaded");
        return Ok(());
    }
    let started = std::time::Instant::now();
    let bar = progress_bar(count as u64, "reviews");
    bar.set_message("seeding reviews");
    let seeded = seed::reviews::load_reviews(&mut conn, url, count, seed, settings, &|done| {
        bar.set_position(done as u64)
    })
    .await?;
    bar.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "seeded {} reviews of {} offerings (the most reviewed has {}) by {} reviewers, with {} helpful votes, in {seconds:.1} s ({:.0} reviews/s)",
        seeded.reviews,
        seeded.offerings,
        seeded.most,
        seeded.reviewers,
        seeded.helpful_votes,
        seeded.reviews as f64 / seconds
    );
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
