//! `edumarkt search reindex`: builds a fresh index from the database, swaps it in atomically
//! and drops the old one. Changes made while it runs are not lost: the rebuild is registered in
//! `search_rebuilds`, so the outbox workers write every change to the new index as well, and
//! each page is copied under the same per-document locks the workers take, so a page read
//! before a change can never be written after it.
//!
//! It copies a snapshot and ends: the documents up to the largest id there is just after the
//! registration committed. Why nothing is lost: a change committed before the registration is
//! in the projection the copy reads (its document's id is at most the bound, being committed
//! before the bound was read); a change committed after it queues an outbox row that a worker
//! handles after the registration committed, so the worker sees the rebuild and writes it there
//! too (or, handled after the swap, writes it to what is then the live index). New offerings
//! get larger ids (uuid v7, time-ordered) and reach the rebuild that second way, so the copy
//! need not chase them past its cursor, and a steady stream of writes cannot keep it running.
//!
//! It copies in bulk: large pages (the engine splits them by bytes), settings applied once
//! before the first document (`prepare`), and up to `IN_FLIGHT` pages handed to the engine
//! before the oldest is awaited, so the engine indexes one page while the next is read. A page's
//! document locks go once the engine accepted it: the engine applies an index's writes in the
//! order it accepted them (`engine::Accepted`), so a worker's later write of the same document
//! still lands after it. Every page is confirmed before the swap; one that failed fails the
//! reindex.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use uuid::Uuid;

use crate::engine::{Accepted, Engine, SearchEngine};
use crate::error::{SearchError, SearchResult};
use crate::kind::IndexKind;
use crate::outbox::{
    DbPool, HEALTH_PROBE, forget_rebuilds, lock_documents, search_rebuilds, swap_guard,
};
use crate::owner::Owner;

/// Documents read and sent per page: the engines split a page by their own limits (Meilisearch:
/// bytes per payload), so this only bounds what one page holds in memory and locks.
pub const PAGE: i64 = 5_000;

/// Pages handed to the engine and not yet confirmed, at most: enough for the engine never to
/// wait for the next page, few enough to bound memory and the work a failure throws away.
const IN_FLIGHT: usize = 4;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReindexReport {
    pub documents: usize,
    pub seconds: f64,
    /// Times the copy started over because the engine died midway (see `reindex`).
    pub restarts: usize,
}

/// Times a reindex starts over after the engine died midway, at most: a flapping engine ends
/// it with the last error rather than copying forever.
pub const RESTARTS: usize = 3;

/// How long a reindex waits for an engine that died midway to answer again before it gives up.
pub const ENGINE_WAIT: Duration = Duration::from_secs(15 * 60);

/// Rebuilds `live`, an index of kind `K`; `progress` is told how many documents are in the new
/// index so far, out of how many.
///
/// When the engine dies midway (a write fails and the engine does not answer its health check),
/// the reindex waits for it (asking every `outbox::HEALTH_PROBE`, for up to `ENGINE_WAIT`),
/// drops the half-built rebuild and starts over with a fresh one and a fresh snapshot, up to
/// `RESTARTS` times. It starts over rather than resuming: an engine that comes back may have
/// lost what it had not yet persisted (or its whole volume), and a rebuild that is complete by
/// construction needs no check. A failure while the engine answers (a refused document) is not
/// the engine's death and fails the reindex at once. The live index is never touched by a
/// failed copy.
pub async fn reindex<K: IndexKind>(
    pool: &DbPool,
    engine: &dyn SearchEngine<K>,
    live: &str,
    page_size: i64,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> SearchResult<ReindexReport> {
    let started = Instant::now();
    engine.prepare(live).await?;
    // The registrations count only while this reindex holds its owner's lock: if it is killed
    // midway, its connection closes and the batches stop writing to the rebuild and drop it.
    let mut owner = Owner::acquire(pool).await?;
    let mut restarts = 0;
    loop {
        let error = match attempt(pool, engine, live, &mut owner, page_size, progress).await {
            Ok(documents) => {
                return Ok(ReindexReport {
                    documents,
                    seconds: started.elapsed().as_secs_f64(),
                    restarts,
                });
            }
            Err(failed) => failed,
        };
        if error.swapped || restarts == RESTARTS || engine.health().await.is_ok() {
            return Err(error.error);
        }
        tracing::warn!(error = %error.error, "the search engine died during the reindex; starting over when it answers");
        if !engine_back(engine, ENGINE_WAIT).await {
            return Err(error.error);
        }
        if let Some(rebuild) = error.left {
            abandon(&mut owner.conn, engine, &rebuild).await?;
        }
        restarts += 1;
        tracing::info!(
            restarts,
            "the search engine answers again; the reindex starts over"
        );
    }
}

/// A copy that failed: why, and its rebuild if it is still registered (the engine could not
/// drop it).
struct Failed {
    error: SearchError,
    left: Option<String>,
    /// The new index was swapped in; only dropping the old contents failed. Nothing to redo.
    swapped: bool,
}

/// One copy into a fresh rebuild, swapped in if it completes.
async fn attempt<K: IndexKind>(
    pool: &DbPool,
    engine: &dyn SearchEngine<K>,
    live: &str,
    owner: &mut Owner,
    page_size: i64,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<usize, Failed> {
    let failed = |error: SearchError| Failed {
        error,
        left: None,
        swapped: false,
    };
    let fresh = format!("{live}_rebuild_{}", Uuid::now_v7().simple());
    engine.prepare(&fresh).await.map_err(failed)?;
    let conn = &mut owner.conn;
    diesel::insert_into(search_rebuilds::table)
        .values((
            search_rebuilds::index_name.eq(&fresh),
            search_rebuilds::kind.eq(K::DESCRIPTOR.name),
            search_rebuilds::owner.eq(owner.token),
        ))
        .execute(conn)
        .await
        .map_err(|e| failed(e.into()))?;
    let copied = copy_all(pool, engine, &fresh, page_size, progress).await;
    // Wait for batches in flight (they hold this lock shared) and keep new ones out while the
    // indexes swap and the rebuild stops receiving writes. Otherwise a batch could write a
    // change to the live index just before the swap and to the rebuild just after, and the
    // change would end up in neither.
    swap_guard(conn, "pg_advisory_lock")
        .await
        .map_err(|e| failed(e.into()))?;
    let outcome = match copied {
        Ok(documents) => engine.swap(live, &fresh).await.map(|()| documents),
        Err(error) => Err(error),
    };
    // Whatever happened, stop writing to the rebuild and remove it (after a swap it holds the
    // old contents). A failed rebuild is dropped here, under the lock, so that no batch writes
    // it again; if the engine cannot drop it now (it died), the registration stays: `reindex`
    // drops it once the engine answers, or, if this reindex ends first, it lapses with its
    // connection and a worker drops the index, as after a reindex killed midway.
    let failed_copy = outcome.is_err();
    let dropped = if failed_copy {
        engine.drop_index(&fresh).await
    } else {
        Ok(())
    };
    let stopped = match &dropped {
        Ok(()) => diesel::delete(search_rebuilds::table.find(&fresh))
            .execute(conn)
            .await
            .map(drop),
        Err(error) => {
            tracing::warn!(%error, index = %fresh, "cannot drop the failed rebuild now");
            Ok(())
        }
    };
    let unlocked = swap_guard(conn, "pg_advisory_unlock").await;
    let left = dropped.is_err().then(|| fresh.clone());
    let unfinished = |error: SearchError| Failed {
        error,
        left: left.clone(),
        swapped: false,
    };
    unlocked.map_err(|e| unfinished(e.into()))?;
    stopped.map_err(|e| unfinished(e.into()))?;
    let documents = outcome.map_err(unfinished)?;
    engine.drop_index(&fresh).await.map_err(|error| Failed {
        error,
        left: None,
        swapped: true,
    })?;
    Ok(documents)
}

/// Drops a failed rebuild the engine could not drop when it failed, and forgets it, under the
/// swap lock so that no batch is writing it meanwhile.
async fn abandon(
    conn: &mut diesel_async::AsyncPgConnection,
    engine: &dyn Engine,
    rebuild: &str,
) -> SearchResult<()> {
    swap_guard(conn, "pg_advisory_lock").await?;
    forget_rebuilds(conn, engine, &[rebuild.to_owned()]).await
}

/// Whether the engine answers its health check within `wait`, asking every `HEALTH_PROBE`.
async fn engine_back(engine: &dyn Engine, wait: Duration) -> bool {
    let deadline = Instant::now() + wait;
    while Instant::now() < deadline {
        tokio::time::sleep(HEALTH_PROBE).await;
        if engine.health().await.is_ok() {
            return true;
        }
    }
    false
}

async fn copy_all<K: IndexKind>(
    pool: &DbPool,
    engine: &dyn SearchEngine<K>,
    fresh: &str,
    page_size: i64,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> SearchResult<usize> {
    let mut conn = pool.get().await?;
    // Read after the registration committed (the caller awaited it): see the module's doc.
    let Some(bound) = K::last_id(&mut conn).await? else {
        return Ok(0);
    };
    let total = usize::try_from(K::count(&mut conn).await?).unwrap_or(0);
    let mut after: Option<Uuid> = None;
    let mut copied = 0;
    let mut pending: VecDeque<Accepted> = VecDeque::new();
    loop {
        let mut page = K::page_ids(&mut conn, after, page_size).await?;
        page.retain(|id| *id <= bound);
        let Some(last) = page.last().copied() else {
            break;
        };
        let accepted = conn
            .transaction::<_, SearchError, _>(async |conn| {
                lock_documents(conn, &page).await?;
                let documents = K::load(conn, &page).await?;
                copied += documents.len();
                engine.enqueue_upsert(fresh, &documents).await
            })
            .await?;
        pending.push_back(accepted);
        if pending.len() > IN_FLIGHT
            && let Some(oldest) = pending.pop_front()
        {
            oldest.await?;
        }
        progress(copied, total.max(copied));
        after = Some(last);
    }
    for accepted in pending {
        accepted.await?;
    }
    Ok(copied)
}
