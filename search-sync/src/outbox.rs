//! The outbox worker: claims due rows by naming its owner token on them in one short statement
//! (`FOR UPDATE SKIP LOCKED`, so several workers share the queue; a dead worker's claims lapse
//! with its connection, see `owner`), merges rows of the same document, re-reads the
//! documents' current projection, upserts or deletes them, waits for the engine to confirm and
//! only then removes the rows; no transaction stays open while the engine works. A document
//! the engine refuses retries with exponential backoff, the last error kept on its rows; the
//! others of its batch go through. An engine that is down delays no row's retry: the worker
//! asks its health every `HEALTH_PROBE` and resumes the moment it answers. LISTEN/NOTIFY wakes
//! the worker; polling is the fallback.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Bool, Integer, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::pooled_connection::deadpool::Pool;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use futures_util::StreamExt;
use uuid::Uuid;

use crate::document::Offerings;
use crate::engine::{Engine, SearchEngine};
use crate::error::{SearchError, SearchResult};
use crate::kind::IndexKind;
use crate::owner::{self, Owner};

diesel::table! {
    search_outbox (id) {
        id -> Int8,
        kind -> Text,
        document_id -> Uuid,
        created_at -> Timestamptz,
        attempts -> Int4,
        next_attempt_at -> Timestamptz,
        last_error -> Nullable<Text>,
        claimed_by -> Nullable<Int4>,
    }
}

diesel::table! {
    search_rebuilds (index_name) {
        index_name -> Text,
        kind -> Text,
        owner -> Int4,
        started_at -> Timestamptz,
    }
}

pub type DbPool = Pool<AsyncPgConnection>;
/// The current time: the server's injectable clock, so tests move time instead of sleeping.
pub type Now = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

#[derive(Debug, Clone, Queryable, Selectable, QueryableByName)]
#[diesel(table_name = search_outbox)]
pub struct OutboxRow {
    pub id: i64,
    /// The index kind of the document (its descriptor's name, `offerings`…).
    pub kind: String,
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
    /// The engine was down (it failed and did not answer its health check): the rows stay due,
    /// with no backoff, for the batch after the engine answers again.
    pub outage: bool,
}

/// How often a worker asks a failed engine whether it answers again: it resumes within this
/// of the engine's return, however long the outage lasted.
pub const HEALTH_PROBE: Duration = Duration::from_millis(250);

/// What sending a batch's documents came to.
enum Sent {
    /// The documents that failed (none: all went through), with why.
    Failures(BTreeMap<Uuid, String>),
    /// The engine failed and does not answer: nothing of the batch counts as done.
    Outage(String),
}

/// The worker of one index kind: it claims only its kind's rows.
pub struct Syncer<K: IndexKind = Offerings> {
    pub pool: DbPool,
    pub engine: Arc<dyn SearchEngine<K>>,
    /// The live index's full name (with the deployment's prefix).
    pub index: String,
    pub now: Now,
    pub batch_size: i64,
    /// Whether the last claim took a full batch: then many rows are due (a first sync, a
    /// backlog after an outage) and the next claims take `BULK_BATCH`, sent as one bulk write.
    bulk: AtomicBool,
    /// This worker's connection and claim token, kept between batches (see `sync_batch`).
    owner: tokio::sync::Mutex<Option<Owner>>,
}

/// Rows claimed at once while the outbox is long: as large as a reindex's page, so draining a
/// full outbox runs at the reindex's rate.
pub const BULK_BATCH: i64 = crate::reindex::PAGE;

/// What one batch found to do, after its claim.
struct Work<K: IndexKind> {
    rows: Vec<OutboxRow>,
    documents: Vec<K::Document>,
    gone: Vec<Uuid>,
    /// Rebuilds whose reindex is gone: not written to, dropped when no batch is in flight.
    dead_rebuilds: Vec<String>,
}

impl<K: IndexKind> Syncer<K> {
    pub fn new(
        pool: DbPool,
        engine: Arc<dyn SearchEngine<K>>,
        index: String,
        now: Now,
        batch_size: i64,
    ) -> Syncer<K> {
        Syncer {
            pool,
            engine,
            index,
            now,
            batch_size,
            bulk: false.into(),
            owner: tokio::sync::Mutex::new(None),
        }
    }

    /// Handles one batch of due rows: claims them in one short statement, sends their current
    /// documents to the engine holding no transaction and no row lock, then deletes the rows
    /// of the documents the engine confirmed and gives the others their error and backoff, in
    /// one short transaction. A row leaves the outbox only after the engine confirmed it.
    pub async fn sync_batch(&self) -> SearchResult<Batch> {
        let mut slot = self.owner.lock().await;
        // Out of the slot while the batch runs: if the batch is dropped midway (a stopped
        // worker) or fails, the connection closes with it, and PostgreSQL releases its claims
        // and locks at once. Only a batch that finished puts it back.
        let mut owner = match slot.take() {
            Some(owner) => owner,
            None => Owner::acquire(&self.pool).await?,
        };
        let batch = self.batch(&mut owner).await?;
        *slot = Some(owner);
        Ok(batch)
    }

    async fn batch(&self, owner: &mut Owner) -> SearchResult<Batch> {
        let now = (self.now)();
        // Spelled out: diesel's `RunQueryDsl::load` would be picked for `self.bulk.load`.
        let limit = if AtomicBool::load(&self.bulk, Ordering::Relaxed) {
            self.batch_size.max(BULK_BATCH)
        } else {
            self.batch_size
        };
        let rows = claim(owner, K::DESCRIPTOR.name, now, limit).await?;
        self.bulk.store(
            i64::try_from(rows.len()).is_ok_and(|n| n >= limit),
            Ordering::Relaxed,
        );
        if rows.is_empty() {
            // Idle: the moment to notice a reindex that died (its rebuild gets no changes).
            let dead: Vec<String> = rebuilds(&mut owner.conn, K::DESCRIPTOR.name)
                .await?
                .into_iter()
                .filter_map(|(index, dead)| dead.then_some(index))
                .collect();
            if !dead.is_empty() {
                clean_rebuilds(&mut owner.conn, self.engine(), &dead).await?;
            }
            return Ok(Batch::default());
        }
        let ids: Vec<Uuid> = rows
            .iter()
            .map(|r| r.document_id)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let conn = &mut owner.conn;
        // Shared with other batches, exclusive to a reindex swapping indexes: a swap never
        // falls between the writes of one batch to the live and the rebuilt index.
        swap_guard(conn, "pg_advisory_lock_shared").await?;
        document_locks(conn, &ids, "pg_advisory_lock").await?;
        let read = self.read(conn, rows, &ids).await;
        let sent = match &read {
            Ok((work, targets)) => self.send(targets, &work.documents, &work.gone).await,
            Err(_) => Sent::Failures(BTreeMap::new()),
        };
        document_locks(conn, &ids, "pg_advisory_unlock").await?;
        swap_guard(conn, "pg_advisory_unlock_shared").await?;
        let (work, _) = read?;
        let batch = match sent {
            Sent::Failures(failures) => settle(conn, &work, &failures, now).await?,
            Sent::Outage(error) => release(conn, &work.rows, &error).await?,
        };
        if !work.dead_rebuilds.is_empty() {
            clean_rebuilds(conn, self.engine(), &work.dead_rebuilds).await?;
        }
        Ok(batch)
    }

    /// The engine's kind-free part.
    fn engine(&self) -> &dyn Engine {
        &*self.engine
    }

    /// The documents' current projection and the indexes to write them to, read under the
    /// document locks: a worker that synced these documents before us has committed, so we
    /// see at least what it saw and never put an older version back.
    async fn read(
        &self,
        conn: &mut AsyncPgConnection,
        rows: Vec<OutboxRow>,
        ids: &[Uuid],
    ) -> SearchResult<(Work<K>, Vec<String>)> {
        let documents = K::load(conn, ids).await?;
        let present: BTreeSet<Uuid> = documents.iter().map(K::id).collect();
        let gone: Vec<Uuid> = ids
            .iter()
            .copied()
            .filter(|id| !present.contains(id))
            .collect();
        // An index being rebuilt gets every change too (see `reindex`), while its reindex lives.
        let mut targets = vec![self.index.clone()];
        let mut dead_rebuilds = Vec::new();
        for (index, dead) in rebuilds(conn, K::DESCRIPTOR.name).await? {
            if dead {
                dead_rebuilds.push(index);
            } else {
                targets.push(index);
            }
        }
        Ok((
            Work {
                rows,
                documents,
                gone,
                dead_rebuilds,
            },
            targets,
        ))
    }

    /// Writes the documents to every target; returns the documents that failed, with why, or
    /// that the engine is down. A failed batch is retried document by document when the engine
    /// is up, so one document the engine refuses does not hold back the others.
    async fn send(&self, targets: &[String], documents: &[K::Document], gone: &[Uuid]) -> Sent {
        let engine = self.engine.as_ref();
        let Err(error) = apply_all(engine, targets, documents, gone).await else {
            return Sent::Failures(BTreeMap::new());
        };
        // Refused while healthy is the documents' fault and waits out a backoff; an engine
        // that does not answer is nobody's, and the worker resumes as soon as it does.
        if engine.health().await.is_err() {
            tracing::warn!(error = %error, "search engine down; syncing resumes when it answers");
            return Sent::Outage(error.to_string());
        }
        let every = documents.iter().map(K::id).chain(gone.iter().copied());
        if documents.len() + gone.len() <= 1 {
            tracing::warn!(error = %error, "search sync failed; will retry");
            return Sent::Failures(every.map(|id| (id, error.to_string())).collect());
        }
        let mut failures = BTreeMap::new();
        for document in documents {
            if let Err(error) =
                apply_all(engine, targets, std::slice::from_ref(document), &[]).await
            {
                failures.insert(K::id(document), error.to_string());
            }
        }
        for id in gone {
            if let Err(error) = apply_all(engine, targets, &[], std::slice::from_ref(id)).await {
                failures.insert(*id, error.to_string());
            }
        }
        tracing::warn!(failed = failures.len(), error = %error, "search sync failed for some documents; will retry them");
        Sent::Failures(failures)
    }

    /// Returns once the engine answers its health check (or `shutdown` fires: then `false`),
    /// asking every `HEALTH_PROBE`.
    async fn engine_back(&self, shutdown: &mut tokio::sync::watch::Receiver<bool>) -> bool {
        loop {
            tokio::select! {
                _ = tokio::time::sleep(HEALTH_PROBE) => {}
                _ = shutdown.changed() => return false,
            }
            if self.engine.health().await.is_ok() {
                tracing::info!("search engine answers again; syncing resumes");
                return true;
            }
        }
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
            total.outage |= batch.outage;
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
                Ok(batch) if batch.outage => {
                    if !self.engine_back(&mut shutdown).await {
                        return;
                    }
                    true
                }
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

/// Writes a batch's documents to every target index.
async fn apply_all<K: IndexKind>(
    engine: &dyn SearchEngine<K>,
    targets: &[String],
    documents: &[K::Document],
    gone: &[Uuid],
) -> SearchResult<()> {
    for index in targets {
        apply(engine, index, documents, gone).await?;
    }
    Ok(())
}

/// Claims up to `limit` due rows for `owner` in one statement (so for no longer than that):
/// rows nobody claimed, or claimed by an owner that is gone. `SKIP LOCKED` lets several
/// workers claim at once without waiting for each other.
async fn claim(
    owner: &mut Owner,
    kind: &str,
    now: DateTime<Utc>,
    limit: i64,
) -> QueryResult<Vec<OutboxRow>> {
    diesel::sql_query(format!(
        "UPDATE search_outbox SET claimed_by = $1 WHERE id IN ( \
           SELECT id FROM search_outbox \
           WHERE kind = $4 AND next_attempt_at <= $2 AND (claimed_by IS NULL OR {gone}) \
           ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED) \
         RETURNING id, kind, document_id, created_at, attempts, next_attempt_at, last_error",
        gone = owner::gone("claimed_by"),
    ))
    .bind::<Integer, _>(owner.token)
    .bind::<Timestamptz, _>(now)
    .bind::<BigInt, _>(limit)
    // The one kind this worker projects and writes; rows of other kinds wait for theirs.
    .bind::<Text, _>(kind)
    .load(&mut owner.conn)
    .await
}

/// The registered rebuilds of a kind, each with whether its reindex is gone.
async fn rebuilds(conn: &mut AsyncPgConnection, kind: &str) -> QueryResult<Vec<(String, bool)>> {
    #[derive(QueryableByName)]
    struct Rebuild {
        #[diesel(sql_type = Text)]
        index_name: String,
        #[diesel(sql_type = Bool)]
        dead: bool,
    }
    let rows: Vec<Rebuild> = diesel::sql_query(format!(
        "SELECT index_name, {} AS dead FROM search_rebuilds WHERE kind = $1 ORDER BY index_name",
        owner::gone("owner")
    ))
    .bind::<Text, _>(kind)
    .load(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.index_name, r.dead)).collect())
}

/// Deletes the rows of the documents the engine confirmed; the failed ones keep their error,
/// count an attempt and wait out their backoff, claimed by nobody.
async fn settle<K: IndexKind>(
    conn: &mut AsyncPgConnection,
    work: &Work<K>,
    failures: &BTreeMap<Uuid, String>,
    now: DateTime<Utc>,
) -> SearchResult<Batch> {
    let (failed, done): (Vec<&OutboxRow>, Vec<&OutboxRow>) = work
        .rows
        .iter()
        .partition(|r| failures.contains_key(&r.document_id));
    let done_ids: Vec<i64> = done.iter().map(|r| r.id).collect();
    conn.transaction::<_, SearchError, _>(async |conn| {
        diesel::delete(search_outbox::table.filter(search_outbox::id.eq_any(&done_ids)))
            .execute(conn)
            .await?;
        for (document, error) in failures {
            let rows: Vec<&&OutboxRow> = failed
                .iter()
                .filter(|r| r.document_id == *document)
                .collect();
            let attempts = rows.iter().map(|r| r.attempts).max().unwrap_or(0) + 1;
            let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
            diesel::update(search_outbox::table.filter(search_outbox::id.eq_any(&ids)))
                .set((
                    search_outbox::attempts.eq(search_outbox::attempts + 1),
                    search_outbox::next_attempt_at.eq(now + backoff(attempts)),
                    search_outbox::last_error.eq(error),
                    search_outbox::claimed_by.eq(None::<i32>),
                ))
                .execute(conn)
                .await?;
        }
        Ok(())
    })
    .await?;
    let succeeded = |id: &Uuid| !failures.contains_key(id);
    Ok(Batch {
        rows: work.rows.len(),
        upserted: work
            .documents
            .iter()
            .filter(|d| succeeded(&K::id(d)))
            .count(),
        deleted: work.gone.iter().filter(|id| succeeded(id)).count(),
        failed: failed.len(),
        outage: false,
    })
}

/// Gives the rows of a batch the engine could not take because it was down back to the queue
/// as they were (no attempt counted, no backoff), with the error for `search status`.
async fn release(
    conn: &mut AsyncPgConnection,
    rows: &[OutboxRow],
    error: &str,
) -> SearchResult<Batch> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    diesel::update(search_outbox::table.filter(search_outbox::id.eq_any(&ids)))
        .set((
            search_outbox::last_error.eq(error),
            search_outbox::claimed_by.eq(None::<i32>),
        ))
        .execute(conn)
        .await?;
    Ok(Batch {
        rows: rows.len(),
        failed: rows.len(),
        outage: true,
        ..Batch::default()
    })
}

/// Drops the indexes of rebuilds whose reindex is gone and forgets them, when no batch is in
/// flight (one that saw the rebuild alive could otherwise write it again after the drop);
/// otherwise a later batch does.
async fn clean_rebuilds(
    conn: &mut AsyncPgConnection,
    engine: &dyn Engine,
    dead: &[String],
) -> SearchResult<()> {
    if !try_swap_guard(conn).await? {
        return Ok(());
    }
    let cleaned = async {
        for index in dead {
            tracing::warn!(index, "a reindex stopped midway; dropping its index");
            engine.drop_index(index).await?;
            diesel::delete(search_rebuilds::table.find(index))
                .execute(conn)
                .await?;
        }
        Ok::<_, SearchError>(())
    }
    .await;
    swap_guard(conn, "pg_advisory_unlock").await?;
    cleaned
}

/// Writes a batch's documents to one index and removes the gone ones.
pub(crate) async fn apply<K: IndexKind>(
    engine: &dyn SearchEngine<K>,
    index: &str,
    documents: &[K::Document],
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

/// Takes the exclusive swap lock if no one holds it.
async fn try_swap_guard(conn: &mut AsyncPgConnection) -> QueryResult<bool> {
    #[derive(QueryableByName)]
    struct Got {
        #[diesel(sql_type = Bool)]
        got: bool,
    }
    let got: Got = diesel::sql_query("SELECT pg_try_advisory_lock($1) AS got")
        .bind::<BigInt, _>(SWAP_LOCK)
        .get_result(conn)
        .await?;
    Ok(got.got)
}

/// Takes a transaction-scoped advisory lock per document, in a fixed order (no deadlocks), so
/// two workers never sync the same document at once.
pub(crate) async fn lock_documents(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> QueryResult<()> {
    document_locks(conn, ids, "pg_advisory_xact_lock").await
}

/// Calls an advisory lock function (`function` is one of this crate's names, never input) on
/// each document's key, in a fixed order (no deadlocks): the transaction-scoped locks of a
/// reindex's page and the session locks of a batch exclude each other.
async fn document_locks(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
    function: &str,
) -> QueryResult<()> {
    #[derive(QueryableByName)]
    #[allow(dead_code)]
    struct Locked {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let _: Vec<Locked> = diesel::sql_query(format!(
        "SELECT count({function}(k)) AS n FROM \
         (SELECT hashtextextended(d::text, 0) AS k FROM unnest($1) AS d ORDER BY 1) AS keys"
    ))
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

/// Rows waiting and failing as `depth` counts them, but counting no further than `cap` each:
/// cheap enough for every metrics scrape however long the outbox grows (a gauge at `cap`
/// reads "at least").
pub async fn depth_bounded(conn: &mut AsyncPgConnection, cap: i64) -> QueryResult<(i64, i64)> {
    #[derive(QueryableByName)]
    struct Depth {
        #[diesel(sql_type = BigInt)]
        waiting: i64,
        #[diesel(sql_type = BigInt)]
        failing: i64,
    }
    // Raw SQL: the DSL has no count over a limited subquery. The failing count reads the
    // partial index of failed rows.
    let depth: Depth = diesel::sql_query(
        "SELECT (SELECT count(*) FROM (SELECT 1 FROM search_outbox LIMIT $1) AS w) AS waiting, \
                (SELECT count(*) FROM (SELECT 1 FROM search_outbox WHERE attempts > 0 LIMIT $1) AS f) AS failing",
    )
    .bind::<BigInt, _>(cap)
    .get_result(conn)
    .await?;
    Ok((depth.waiting, depth.failing))
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
