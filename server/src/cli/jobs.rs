//! `edumarkt jobs status` and `edumarkt worker`.

use diesel_async::AsyncConnection;

use crate::clock::SharedClock;
use crate::config::{self, Config};
use crate::jobs::{JobKind, storage};
use crate::search::Prepare;
use crate::{startup, telemetry};

/// Prints, per kind, the jobs due and failing, then the failing jobs with their last error.
pub async fn status(url: &str) -> anyhow::Result<()> {
    let mut conn = diesel_async::AsyncPgConnection::establish(url).await?;
    let depths = storage::depth(&mut conn, chrono::Utc::now()).await?;
    for kind in JobKind::ALL {
        let depth = depths.get(kind.as_str()).copied().unwrap_or_default();
        println!(
            "{}: {} due, {} failing",
            kind.as_str(),
            depth.due,
            depth.failing
        );
    }
    for job in storage::failing(&mut conn, 20).await? {
        println!(
            "  {} job {} attempts {} next {} error: {}",
            job.kind,
            job.id,
            job.attempts,
            job.run_at,
            job.last_error.unwrap_or_default()
        );
    }
    Ok(())
}

/// Runs the job and search sync workers without serving HTTP, until SIGTERM or SIGINT; the
/// job in hand is finished before the process exits.
pub async fn worker() -> anyhow::Result<()> {
    let config = Config::load(&config::environment)?;
    telemetry::init(config.log_format);
    // Listen before the slow part, so a stop signal during start-up is not lost.
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    // This process syncs the index, so it is the one that applies Meilisearch's settings.
    let state = startup::state(config, SharedClock::system(), Prepare::Settings).await?;
    let (shutdown, _) = tokio::sync::watch::channel(false);
    let mut tasks = startup::spawn_search_worker(&state, &shutdown);
    tasks.push(tokio::spawn(startup::job_worker(
        &state,
        shutdown.subscribe(),
    )));
    tracing::info!("edumarkt workers running");
    tokio::select! {
        _ = terminate.recv() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
    tracing::info!("stopping the workers");
    let _ = shutdown.send(true);
    let stopped = futures_util::future::join_all(tasks);
    if tokio::time::timeout(std::time::Duration::from_secs(30), stopped)
        .await
        .is_err()
    {
        anyhow::bail!("the workers did not stop within 30 seconds");
    }
    Ok(())
}
