//! `edumarkt bench load`: unlike the other benchmarks, the server runs in a process of its own
//! (`edumarkt serve`, started here on the scale data), so that its memory is measured apart from
//! the load's; or it is a server already running, given by `--url`.

use std::time::Duration;

use diesel_async::{AsyncConnection, AsyncPgConnection};

use super::local::{Database, local};
use super::{BenchData, seed_database, seed_reviews};
use crate::bench::load::{self, Server, engine_kind};
use crate::bench::serve::ChildServer;
use crate::bench::tenders::vacuum_queues;
use crate::config;
use crate::seed::market::MarketSize;

#[derive(clap::Args)]
pub(super) struct LoadArgs {
    #[command(flatten)]
    data: BenchData,
    /// Reviews generated on the first run (as `bench reviews` does, whose data folder this
    /// shares by default: the same number, so that whichever runs first seeds them for both).
    #[arg(long, default_value_t = 100_000)]
    reviews: usize,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// How long the load runs.
    #[arg(long, default_value_t = 30)]
    seconds: u64,
    /// Stop after this many requests instead of after --seconds.
    #[arg(long)]
    requests: Option<usize>,
    /// Load the server running at this URL instead of starting one; the run's accounts go
    /// into its database (DATABASE_URL, or --data-dir's), and nothing is seeded. Its per-client
    /// rate limits must allow the load (EDUMARKT_RATE_PUBLIC_PER_CLIENT=0): every request
    /// comes from this one client.
    #[arg(long, value_name = "URL")]
    url: Option<String>,
}

pub(super) async fn bench_load(args: LoadArgs) -> anyhow::Result<()> {
    let mut options = load::Options {
        concurrency: args.concurrency,
        seconds: args.seconds,
        requests: args.requests,
        daily_limit: 0,
    };
    if let Some(url) = args.url {
        let database = Database::open(Some(&args.data.data_dir)).await?;
        let outcome = async {
            // The server's own settings are not visible from here: the environment's are taken
            // for them, as an operator runs both with the same.
            let engine = engine_kind(&database.search_config()?.engine);
            options.daily_limit = limit(config::review_settings(&config::environment)?.daily_limit);
            load::load(Server::Running(url), &database.url, engine, &options).await
        }
        .await;
        database.close().await?;
        return outcome;
    }
    let local = local(&args.data.data_dir, "127.0.0.1:0".parse()?).await?;
    let url = local.config.database_url.expose().to_owned();
    seed_database(&url, MarketSize::scale(args.data.offerings), 2026).await?;
    seed_reviews(&url, args.reviews, 2026, &local.config.reviews).await?;
    options.daily_limit = limit(local.config.reviews.daily_limit);
    let engine = engine_kind(&local.config.search.engine);
    let mut server = ChildServer::start(&local.config, &local.data_dir)?;
    eprintln!(
        "load: started `edumarkt serve` (process {}, log {}); waiting until it is ready",
        server.pid,
        server.log.display()
    );
    let outcome = async {
        // The first run indexes the whole scale set.
        server.wait_ready(Duration::from_secs(900)).await?;
        let mut conn = AsyncPgConnection::establish(&url).await?;
        loop {
            let (waiting, _) = edumarkt_search_sync::outbox::depth(&mut conn).await?;
            if waiting == 0 {
                break;
            }
            tracing::info!(waiting, "waiting for the index to catch up");
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
        vacuum_queues(&mut conn).await?;
        drop(conn);
        load::load(Server::Child(&server), &url, engine, &options).await
    }
    .await;
    // The server first, then the database it uses.
    let stopped = server.stop().await;
    local.stop().await?;
    outcome.and(stopped)
}

fn limit(daily: i64) -> usize {
    usize::try_from(daily).unwrap_or(0)
}
