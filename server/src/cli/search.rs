//! `edumarkt search status|reindex|verify`. With the embedded index a running server holds the
//! index's one writer, so these commands read it read-only and leave writing to that server:
//! repairs go through the outbox its worker drains, a rebuild is a request its worker runs.
//! With Meilisearch every process may write, and the commands do the work themselves.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use edumarkt_search_sync::bundle::{BUNDLES, Bundles};
use edumarkt_search_sync::engine::embedded::EmbeddedEngine;
use edumarkt_search_sync::engine::{OFFERINGS, SearchEngine};
use edumarkt_search_sync::outbox::Syncer;
use edumarkt_search_sync::reindex::ReindexReport;
use edumarkt_search_sync::{IndexKind, outbox, projection, reindex, reindex_requests, verify};

use super::SearchAction;
use super::local::Database;
use crate::clock::SharedClock;
use crate::config::SearchEngineConfig;
use crate::db::{self, DbPool};
use crate::search::{Prepare, Search};

/// How long a rebuild request may wait for a server to take it, and a repair for the running
/// server's worker to sync it.
const CLAIM_WAIT: Duration = Duration::from_secs(30);
const REPAIR_WAIT: Duration = Duration::from_secs(120);

/// The index a command works on, and whether this process may write it.
struct Opened {
    search: Search,
    /// False while a running server holds the embedded index's writer.
    writes: bool,
    /// The embedded index's folder, for messages.
    dir: Option<PathBuf>,
}

/// Only `search reindex` (like `up` and `serve`) may create an index; the others need one.
async fn open(database: &Database, may_create: bool) -> anyhow::Result<Opened> {
    let config = database.search_config()?;
    let SearchEngineConfig::Embedded { dir } = &config.engine else {
        // Settings are the syncing process's (reindex applies them itself).
        let search = Search::connect(&config, Prepare::Skip).await?;
        return Ok(Opened {
            search,
            writes: true,
            dir: None,
        });
    };
    let cannot_open = |e| anyhow::anyhow!("cannot open the search index in {}: {e}", dir.display());
    let mut engine = EmbeddedEngine::open_existing(dir).map_err(cannot_open)?;
    // A reindex rebuilds an index an older edumarkt wrote (its schema is no longer ours).
    if may_create && engine.holds_writer() {
        engine
            .drop_if_outdated::<edumarkt_search_sync::Offerings>(OFFERINGS)
            .await
            .map_err(cannot_open)?;
        engine
            .drop_if_outdated::<Bundles>(BUNDLES.name)
            .await
            .map_err(cannot_open)?;
    }
    if !engine.contains(OFFERINGS) || (may_create && !engine.contains(BUNDLES.name)) {
        if !may_create {
            anyhow::bail!(
                "there is no search index in {}: `edumarkt search reindex` builds it (as `up` and \
                 `serve` do on start); EDUMARKT_SEARCH_DIR or --data-dir names another folder",
                dir.display()
            );
        }
        if engine.holds_writer() {
            // Release the writers before taking them again with the right to create.
            drop(engine);
            engine = EmbeddedEngine::open(dir).map_err(cannot_open)?;
        }
    }
    let writes = engine.holds_writer();
    let (engine, bundles) = crate::search::kinds(Arc::new(engine));
    Ok(Opened {
        writes,
        search: Search {
            engine,
            index: OFFERINGS,
            bundles,
            bundles_index: BUNDLES.name,
            // The commands check an index as it is (`search reindex` rebuilds it anyway).
            outdated: false,
            bundles_outdated: false,
        },
        dir: Some(dir.clone()),
    })
}

pub async fn run(action: SearchAction, database: &Database) -> anyhow::Result<()> {
    let pool = db::pool(&database.url, 4)?;
    let opened = open(database, matches!(action, SearchAction::Reindex)).await?;
    let engine = opened.search.engine.as_ref();
    match action {
        SearchAction::Status => {
            let mut conn = pool.get().await?;
            let (waiting, failing) = outbox::depth(&mut conn).await?;
            let documents = projection::count(&mut conn).await?;
            let bundles = Bundles::count(&mut conn).await?;
            let place = opened.dir.as_ref().map(|d| format!(" in {}", d.display()));
            println!(
                "engine: {}{}; searchable offerings in the database: {documents}; open bundles: {bundles}",
                engine.kind(),
                place.unwrap_or_default()
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
            let search = &opened.search;
            let dir = opened.dir.as_deref();
            for (name, report) in [
                (
                    "offerings",
                    reindex_kind(&pool, engine, search.index, opened.writes, dir).await?,
                ),
                (
                    "open bundles",
                    reindex_kind(
                        &pool,
                        search.bundles.as_ref(),
                        search.bundles_index,
                        opened.writes,
                        dir,
                    )
                    .await?,
                ),
            ] {
                println!(
                    "reindexed {} documents of {name} in {:.1} s ({:.0} documents/s){}",
                    report.documents,
                    report.seconds,
                    report.documents as f64 / report.seconds.max(0.001),
                    restarted(report.restarts)
                );
            }
        }
        SearchAction::Verify { repair } => {
            let search = &opened.search;
            let offerings = search.syncer(pool.clone(), SharedClock::system());
            let bundles = search.bundles_syncer(pool.clone(), SharedClock::system());
            let writes = opened.writes;
            let clean = verify_kind(&pool, engine, search.index, repair, writes, &offerings)
                .await?
                & verify_kind(
                    &pool,
                    search.bundles.as_ref(),
                    search.bundles_index,
                    repair,
                    writes,
                    &bundles,
                )
                .await?;
            if !clean {
                anyhow::bail!(
                    "the index differs from the database; run `edumarkt search verify --repair`"
                );
            }
        }
    }
    Ok(())
}

/// Rebuilds the index of kind `K`: here when this process may write it, else by the server.
async fn reindex_kind<K: IndexKind>(
    pool: &DbPool,
    engine: &dyn SearchEngine<K>,
    index: &str,
    writes: bool,
    dir: Option<&Path>,
) -> anyhow::Result<ReindexReport> {
    if !writes {
        return reindex_by_the_server(pool, K::DESCRIPTOR.name, dir).await;
    }
    let bar = super::progress_bar(0, "documents");
    bar.set_message(format!("reindexing {}", K::DESCRIPTOR.name));
    let report = reindex::reindex(pool, engine, index, reindex::PAGE, &|d, t| {
        bar.set_length(t as u64);
        bar.set_position(d as u64);
    })
    .await?;
    bar.finish_and_clear();
    Ok(report)
}

/// Compares the index of kind `K` with the database and, with `repair`, queues and syncs what
/// differs; whether it was clean (or repaired).
async fn verify_kind<K: IndexKind>(
    pool: &DbPool,
    engine: &dyn SearchEngine<K>,
    index: &str,
    repair: bool,
    writes: bool,
    syncer: &Syncer<K>,
) -> anyhow::Result<bool> {
    let bar = super::progress_bar(0, "documents checked");
    let report = verify::verify(pool, engine, index, 1_000, &|checked| {
        bar.set_position(checked as u64)
    })
    .await?;
    bar.finish_and_clear();
    println!(
        "{}: checked {}: {} missing, {} stale, {} extra",
        K::DESCRIPTOR.name,
        report.checked,
        report.missing.len(),
        report.stale.len(),
        report.extra.len()
    );
    if report.is_clean() {
        return Ok(true);
    }
    if !repair {
        return Ok(false);
    }
    let queued = verify::queue_repairs(pool, &report).await?;
    if writes {
        let synced = syncer.drain().await?;
        println!(
            "repaired: queued {queued}, synced {} rows ({} failed)",
            synced.rows, synced.failed
        );
    } else {
        wait_for_the_worker(pool, &report.differing()).await?;
        println!("repaired: queued {queued}, synced by the running server");
    }
    Ok(true)
}

/// What the reindex's report says of its restarts: nothing when it ran through.
fn restarted(restarts: usize) -> String {
    match restarts {
        0 => String::new(),
        1 => "; started over once after the search engine died midway".into(),
        n => format!("; started over {n} times after the search engine died midway"),
    }
}

/// Asks the server holding the index to rebuild it, shows its progress and returns its report.
async fn reindex_by_the_server(
    pool: &DbPool,
    kind: &str,
    dir: Option<&Path>,
) -> anyhow::Result<ReindexReport> {
    let id = reindex_requests::request(pool, kind).await?;
    let bar = super::progress_bar(0, "documents");
    bar.set_message("reindexing (by the running server)");
    let asked = Instant::now();
    loop {
        let request = reindex_requests::status(pool, id).await?;
        if let Some(outcome) = request.outcome() {
            bar.finish_and_clear();
            return outcome
                .map_err(|e| anyhow::anyhow!("the running server could not reindex: {e}"));
        }
        match request.heartbeat_at {
            None if asked.elapsed() > CLAIM_WAIT
                && reindex_requests::withdraw(pool, id).await? =>
            {
                let place = dir
                    .map(|d| format!(" in {}", d.display()))
                    .unwrap_or_default();
                anyhow::bail!(
                    "no server took the reindex request within {} s: another process holds the \
                     index{place} but does not serve requests; stop it and run the command again",
                    CLAIM_WAIT.as_secs()
                );
            }
            Some(beat) if chrono::Utc::now() - beat > stale() => anyhow::bail!(
                "the server rebuilding the index stopped reporting progress (request {id}); see \
                 its log, and run the command again"
            ),
            _ => {}
        }
        bar.set_length(u64::try_from(request.total).unwrap_or(0));
        bar.set_position(u64::try_from(request.done).unwrap_or(0));
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn stale() -> chrono::Duration {
    chrono::Duration::from_std(reindex_requests::STALE_AFTER).unwrap_or(chrono::Duration::MAX)
}

/// Waits, with a bound, until the running server's worker has synced the queued repairs.
async fn wait_for_the_worker(pool: &DbPool, ids: &[uuid::Uuid]) -> anyhow::Result<()> {
    let bar = super::progress_bar(ids.len() as u64, "repairs synced");
    bar.set_message("waiting for the running server");
    let started = Instant::now();
    loop {
        let mut conn = pool.get().await?;
        let left = outbox::waiting_for(&mut conn, ids).await?;
        bar.set_position(ids.len() as u64 - u64::try_from(left).unwrap_or(0).min(ids.len() as u64));
        if left == 0 {
            bar.finish_and_clear();
            return Ok(());
        }
        if started.elapsed() > REPAIR_WAIT {
            bar.abandon();
            anyhow::bail!(
                "the running server has not synced {left} of {} repairs within {} s; \
                 `edumarkt search status` shows what fails",
                ids.len(),
                REPAIR_WAIT.as_secs()
            );
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
