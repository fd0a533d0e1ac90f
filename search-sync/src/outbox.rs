//! The outbox worker: claims due rows with `FOR UPDATE SKIP LOCKED` (so several workers share
//! the queue), merges rows of the same document, re-reads the documents' current projection,
//! upserts or deletes them, waits for the engine to confirm and only then removes the rows.
//! Failures retry with exponential backoff, the last error kept on the row. LISTEN/NOTIFY
//! wakes the worker; polling is the fallback.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Uuid as SqlUuid};
use diesel_async::pooled_connection::deadpool::Pool;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use futures_util::StreamExt;
use uuid::Uuid;

use crate::engine::SearchEngine;
use crate::error::{SearchError, SearchResult};
use crate::projection;

diesel::table! {
    search_outbox (id) {
        id -> Int8,
        document_id -> Uuid,
        created_at -> Timestamptz,
        attempts -> Int4,
        next_attempt_at -> Timestamptz,
        last_error -> Nullable<Text>,
    }
}

diesel::table! {
    search_rebuilds (index_name) {
        index_name -> Text,
        started_at -> Timestamptz,
    }
}

pub type DbPool = Pool<AsyncPgConnection>;
/// The current time: the server's injectable clock, so tests move time instead of sleeping.
pub type Now = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = search_outbox)]
pub struct OutboxRow {
    pub id: i64,
    pub document_id: Uuid,
    pub created_at: DateTime<Utc>,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
}

/// Wait before the next try after `attempts` failures: 1 s doubling, at most five minutes.
pub fn backoff(attempts: i32) -> chrono::Duration {
    let exponent = u32::try_from(attempts.clamp(1, 10) - 1).unwrap_or(0);
    chrono::Duration::seconds((1_i64 << exponent).min(300))
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Batch {
    /// Outbox rows handled.
    pub rows: usize,
    pub upserted: usize,
    pub deleted: usize,
    /// Rows that failed and will be retried.
    pub failed: usize,
}

pub struct Syncer {
    pub pool: DbPool,
    pub engine: Arc<dyn SearchEngine>,
    /// The live index's full name (with the deployment's prefix).
    pub index: String,
    pub now: Now,
    pub batch_size: i64,
}

impl Syncer {
    /// Handles one batch of due rows.
    pub async fn sync_batch(&self) -> SearchResult<Batch> {
        let mut conn = self.pool.get().await?;
        let now = (self.now)();
        conn.transaction::<_, SearchError, _>(async |conn| {
            let rows: Vec<OutboxRow> = search_outbox::table
                .filter(search_outbox::next_attempt_at.le(now))
                .order(search_outbox::id.asc())
                .limit(self.batch_size)
                .for_update()
                .skip_locked()
                .select(OutboxRow::as_select())
                .load(conn)
                .await?;
            if rows.is_empty() {
                return Ok(Batch::default());
            }
            let ids: Vec<Uuid> = rows.iter().map(|r| r.document_id).collect::<BTreeSet<_>>().into_iter().collect();
            // Shared with other batches, exclusive to a reindex swapping indexes: a swap never
            // falls between the writes of one batch to the live and the rebuilt index.
            swap_guard(conn, "pg_advisory_xact_lock_shared").await?;
            lock_documents(conn, &ids).await?;
            // Read after the locks: a worker that synced these documents before us has
            // committed, so we see at least what it saw and never put an older version back.
            let documents = projection::load(conn, &ids).await?;
            let present: BTreeSet<Uuid> = documents.iter().map(|d| d.id).collect();
            let gone: Vec<Uuid> = ids.iter().copied().filter(|id| !present.contains(id)).collect();
            let row_ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
            // An index being rebuilt gets every change too (see `reindex`).
            let mut targets = vec![self.index.clone()];
            targets.extend(search_rebuilds::table.select(search_rebuilds::index_name).load::<String>(conn).await?);
            let outcome = async {
                for index in &targets {
                    apply(self.engine.as_ref(), index, &documents, &gone).await?;
                }
                Ok::<_, SearchError>(())
            }
            .await;
            match outcome {
                Ok(()) => {
                    diesel::delete(search_outbox::table.filter(search_outbox::id.eq_any(&row_ids))).execute(conn).await?;
                    Ok(Batch { rows: rows.len(), upserted: documents.len(), deleted: gone.len(), failed: 0 })
                }
                Err(error) => {
                    let attempts = rows.iter().map(|r| r.attempts).max().unwrap_or(0) + 1;
                    tracing::warn!(rows = rows.len(), attempts, error = %error, "search sync failed; will retry");
                    diesel::update(search_outbox::table.filter(search_outbox::id.eq_any(&row_ids)))
                        .set((
                            search_outbox::attempts.eq(search_outbox::attempts + 1),
                            search_outbox::next_attempt_at.eq(now + backoff(attempts)),
                            search_outbox::last_error.eq(error.to_string()),
                        ))
                        .execute(conn)
                        .await?;
                    Ok(Batch { rows: rows.len(), failed: rows.len(), ..Batch::default() })
                }
            }
        })
        .await
    }

    /// Syncs until no row is due; returns what was done (tests and the CLI use it).
    pub async fn drain(&self) -> SearchResult<Batch> {
        let mut total = Batch::default();
        loop {
            let batch = self.sync_batch().await?;
            total.rows += batch.rows;
            total.upserted += batch.upserted;
            total.deleted += batch.deleted;
            total.failed += batch.failed;
            if batch.rows == 0 || batch.failed > 0 {
                return Ok(total);
            }
        }
    }

    /// Runs until `shutdown` fires. `listen_url` is the database to LISTEN on for wake-ups;
    /// without it (or while it is unreachable) the worker polls every `poll`.
    pub async fn run(
        self,
        listen_url: Option<String>,
        poll: Duration,
        mut shutdown: tokio::sync::watch::Receiver<bool>,
    ) {
        let wake = Arc::new(tokio::sync::Notify::new());
        if let Some(url) = listen_url {
            tokio::spawn(listen(url, "search_outbox", wake.clone(), shutdown.clone()));
        }
        loop {
            let busy = match self.sync_batch().await {
                Ok(batch) => {
                    if batch.rows > 0 {
                        tracing::debug!(
                            rows = batch.rows,
                            upserted = batch.upserted,
                            deleted = batch.deleted,
                            "search index synced"
                        );
                    }
                    batch.rows > 0 && batch.failed == 0
                }
                Err(error) => {
                    tracing::error!(error = %error, "search sync could not read the outbox");
                    false
                }
            };
            if busy {
                continue;
            }
            tokio::select! {
                _ = wake.notified() => {}
                _ = tokio::time::sleep(poll) => {}
                _ = shutdown.changed() => return,
            }
        }
    }
}

/// Writes a batch's documents to one index and removes the gone ones.
pub(crate) async fn apply(
    engine: &dyn SearchEngine,
    index: &str,
    documents: &[crate::OfferingDocument],
    gone: &[Uuid],
) -> SearchResult<()> {
    if !documents.is_empty() {
        engine.upsert(index, documents).await?;
    }
    if !gone.is_empty() {
        engine.delete(index, gone).await?;
    }
    Ok(())
}

/// The advisory lock that orders batches against a reindex's swap.
pub(crate) const SWAP_LOCK: i64 = 0x6564_756d_6172_6b74;

/// Calls one of PostgreSQL's advisory lock functions on `SWAP_LOCK`.
pub(crate) async fn swap_guard(conn: &mut AsyncPgConnection, function: &str) -> QueryResult<()> {
    #[derive(QueryableByName)]
    #[allow(dead_code)]
    struct Done {
        #[diesel(sql_type = diesel::sql_types::Text)]
        done: String,
    }
    let _: Vec<Done> = diesel::sql_query(format!("SELECT {function}($1)::text AS done"))
        .bind::<BigInt, _>(SWAP_LOCK)
        .load(conn)
        .await?;
    Ok(())
}

/// Takes a transaction-scoped advisory lock per document, in a fixed order (no deadlocks), so
/// two workers never sync the same document at once.
pub(crate) async fn lock_documents(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> QueryResult<()> {
    #[derive(QueryableByName)]
    #[allow(dead_code)]
    struct Locked {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let _: Vec<Locked> = diesel::sql_query(
        "SELECT count(pg_advisory_xact_lock(k)) AS n FROM \
         (SELECT hashtextextended(d::text, 0) AS k FROM unnest($1) AS d ORDER BY 1) AS keys",
    )
    .bind::<Array<SqlUuid>, _>(ids)
    .load(conn)
    .await?;
    Ok(())
}

/// Forwards NOTIFYs on `channel` to `wake`, reconnecting after a pause when the connection
/// drops.
pub async fn listen(
    url: String,
    channel: &'static str,
    wake: Arc<tokio::sync::Notify>,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
) {
    loop {
        match tokio_postgres::connect(&url, tokio_postgres::NoTls).await {
            Ok((client, mut connection)) => {
                let mut messages =
                    futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
                // `channel` is one of this crate's constants, never input.
                let listen = format!("LISTEN {channel}");
                let listening = client.batch_execute(&listen);
                // The connection must be driven for LISTEN to complete.
                tokio::pin!(listening);
                let mut ready = false;
                loop {
                    tokio::select! {
                        result = &mut listening, if !ready => {
                            if let Err(error) = result {
                                tracing::warn!(%error, "LISTEN failed; polling only");
                                break;
                            }
                            ready = true;
                            // Notifications sent before LISTEN took effect were missed: one
                            // pass now finds what they announced.
                            wake.notify_one();
                        }
                        message = messages.next() => match message {
                            Some(Ok(tokio_postgres::AsyncMessage::Notification(_))) => wake.notify_one(),
                            Some(Ok(_)) => {}
                            Some(Err(error)) => {
                                tracing::warn!(%error, "LISTEN connection lost; polling until it is back");
                                break;
                            }
                            None => break,
                        },
                        _ = shutdown.changed() => return,
                    }
                }
            }
            Err(error) => tracing::warn!(%error, "cannot LISTEN for search changes; polling"),
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(5)) => {}
            _ = shutdown.changed() => return,
        }
    }
}

/// Rows waiting, and those that failed at least once (for metrics and `edumarkt search status`).
pub async fn depth(conn: &mut AsyncPgConnection) -> QueryResult<(i64, i64)> {
    let waiting = search_outbox::table.count().get_result(conn).await?;
    let failing = search_outbox::table
        .filter(search_outbox::attempts.gt(0))
        .count()
        .get_result(conn)
        .await?;
    Ok((waiting, failing))
}

/// Whether a change is due that the index does not have yet: one indexed probe (no count over
/// the table), cheap enough for every readiness check. Rows waiting out a retry's backoff do
/// not count, so that one document that keeps failing does not take the service out.
pub async fn catching_up(conn: &mut AsyncPgConnection, now: DateTime<Utc>) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        search_outbox::table.filter(search_outbox::next_attempt_at.le(now)),
    ))
    .get_result(conn)
    .await
}

/// How many outbox rows are left for these documents (a repair waits for none).
pub async fn waiting_for(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> QueryResult<i64> {
    search_outbox::table
        .filter(search_outbox::document_id.eq_any(ids))
        .count()
        .get_result(conn)
        .await
}

/// The rows that keep failing, most attempts first.
pub async fn failing(conn: &mut AsyncPgConnection, limit: i64) -> QueryResult<Vec<OutboxRow>> {
    search_outbox::table
        .filter(search_outbox::attempts.gt(0))
        .order((search_outbox::attempts.desc(), search_outbox::id.asc()))
        .limit(limit)
        .select(OutboxRow::as_select())
        .load(conn)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_five_minutes() {
        assert_eq!(backoff(1), chrono::Duration::seconds(1));
        assert_eq!(backoff(4), chrono::Duration::seconds(8));
        assert_eq!(backoff(40), chrono::Duration::seconds(300));
    }
}
