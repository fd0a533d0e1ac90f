//! The outbox worker: claims due rows by naming its owner token on them in one short statement
//! (`FOR UPDATE SKIP LOCKED`, so several workers share the queue; a dead worker's claims lapse
//! with its connection, see `owner`), merges rows of the same document, re-reads the
//! documents' current projection, hands them to the engine (upserts or deletes) and, once the
//! engine confirmed, removes the rows; no transaction stays open while the engine works.
//!
//! Up to `PIPELINE` batches are in flight: the worker claims, reads and sends the next batch
//! while the engine still works on the previous one (Meilisearch applies an index's tasks in
//! the order it accepted them). A document whose earlier batch is still in flight is not
//! claimed again until that batch settled, so a document is in at most one batch of a worker,
//! and its rows leave the outbox only after the task that carried it succeeded.
//!
//! A document the engine refuses retries with exponential backoff, the last error kept on its
//! rows; the others of its batch go through. An engine that is down delays no row's retry: the
//! worker asks its health every `HEALTH_PROBE` and resumes the moment it answers.
//! LISTEN/NOTIFY wakes the worker; polling is the fallback.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Bool, Integer, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::pooled_connection::deadpool::Pool;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use futures_util::StreamExt;
use uuid::Uuid;

use crate::document::Offerings;
use crate::engine::{Accepted, Engine, SearchEngine};
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

/// Batches a worker keeps handed to the engine and not yet confirmed, at most. Meilisearch
/// indexes one batch's task while the worker claims, reads and sends the next, so a change
/// waits for the tasks ahead of it, not for their confirmations one by one; few enough that
/// an outage throws little work away.
pub const PIPELINE: usize = 4;

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

/// A batch the engine has accepted (or refused to accept) and not yet confirmed.
struct InFlight<K: IndexKind> {
    /// Its rows stay claimed until it settled: a later claim of this worker leaves the rows of
    /// its documents until then (see `claim`).
    work: Work<K>,
    claimed_at: DateTime<Utc>,
    /// When it was claimed, and how long until the engine had accepted it (for the log line
    /// that says where a batch's time goes).
    started: Instant,
    /// From the newest row's insert (its transaction's start, by the system clock) to its
    /// claim: the wake-up's share of a change's lag.
    waited: chrono::Duration,
    accepted_after: Duration,
    /// The engine's confirmation of every write of the batch, or why it did not take them.
    confirmed: Accepted,
}

/// The batches of one worker in flight, oldest first.
struct Pipeline<K: IndexKind>(VecDeque<InFlight<K>>);

impl<K: IndexKind> Pipeline<K> {
    fn new() -> Pipeline<K> {
        Pipeline(VecDeque::new())
    }

    fn full(&self) -> bool {
        self.0.len() >= PIPELINE
    }
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
    /// documents to the engine holding no transaction and no row lock, waits for the engine to
    /// confirm, then deletes the rows of the documents the engine confirmed and gives the
    /// others their error and backoff, in one short transaction. A row leaves the outbox only
    /// after the engine confirmed it.
    pub async fn sync_batch(&self) -> SearchResult<Batch> {
        let mut slot = self.owner.lock().await;
        // Out of the slot while the batch runs: if the batch is dropped midway (a stopped
        // worker) or fails, the connection closes with it, and PostgreSQL releases its claims
        // and locks at once. Only a batch that finished puts it back.
        let mut owner = match slot.take() {
            Some(owner) => owner,
            None => Owner::acquire(&self.pool).await?,
        };
        let batch = match self.start(&mut owner).await? {
            Some(mut sent) => {
                let confirmed = (&mut sent.confirmed).await;
                self.finish(&mut owner.conn, sent, confirmed).await?
            }
            None => Batch::default(),
        };
        *slot = Some(owner);
        Ok(batch)
    }

    /// Claims due rows of documents not in flight, reads their documents and hands them to the
    /// engine for every target index; `None` when no row is due. The document locks and the
    /// swap guard are held until the engine accepted the writes, no longer: the engine applies
    /// an index's writes in the order it accepted them (`engine::Accepted`), so a later write of
    /// the same document (another worker's, a reindex's page) lands after this one, and a swap
    /// after them all. The batch's rows stay claimed until `finish`.
    async fn start(&self, owner: &mut Owner) -> SearchResult<Option<InFlight<K>>> {
        let now = (self.now)();
        let started = Instant::now();
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
            return Ok(None);
        }
        let waited = rows
            .iter()
            .map(|r| r.created_at)
            .max()
            .map_or(chrono::Duration::zero(), |newest| Utc::now() - newest);
        let ids: BTreeSet<Uuid> = rows.iter().map(|r| r.document_id).collect();
        let list: Vec<Uuid> = ids.iter().copied().collect();
        let conn = &mut owner.conn;
        let locked = self.locked(conn, &list, async |conn| {
            let (work, targets) = self.read(conn, rows, &list).await?;
            let confirmed = self.enqueue(&targets, &work.documents, &work.gone).await;
            Ok((work, confirmed))
        });
        let (work, confirmed) = locked.await?;
        Ok(Some(InFlight {
            work,
            claimed_at: now,
            started,
            waited,
            accepted_after: started.elapsed(),
            confirmed,
        }))
    }

    /// Runs `f` holding the swap guard (shared: with other batches, exclusive to a reindex
    /// swapping indexes, so a swap never falls between a batch's writes to the live and the
    /// rebuilt index) and the locks of `ids`, and releases them whatever `f` came to.
    async fn locked<T>(
        &self,
        conn: &mut AsyncPgConnection,
        ids: &[Uuid],
        f: impl AsyncFnOnce(&mut AsyncPgConnection) -> SearchResult<T>,
    ) -> SearchResult<T> {
        swap_guard(conn, "pg_advisory_lock_shared").await?;
        document_locks(conn, ids, "pg_advisory_lock").await?;
        let done = f(conn).await;
        document_locks(conn, ids, "pg_advisory_unlock").await?;
        swap_guard(conn, "pg_advisory_unlock_shared").await?;
        done
    }

    /// Hands the documents to the engine for every target; the confirmation of them all, or
    /// why the engine did not accept them (as a confirmation that fails).
    async fn enqueue(
        &self,
        targets: &[String],
        documents: &[K::Document],
        gone: &[Uuid],
    ) -> Accepted {
        let mut accepted = Vec::new();
        for index in targets {
            if !documents.is_empty() {
                match self.engine.enqueue_upsert(index, documents).await {
                    Ok(write) => accepted.push(write),
                    Err(error) => return Box::pin(std::future::ready(Err(error))),
                }
            }
            if !gone.is_empty() {
                match self.engine.enqueue_delete(index, gone).await {
                    Ok(write) => accepted.push(write),
                    Err(error) => return Box::pin(std::future::ready(Err(error))),
                }
            }
        }
        Box::pin(async move {
            for write in accepted {
                write.await?;
            }
            Ok(())
        })
    }

    /// Settles a batch the engine confirmed (or failed): deletes the rows of the documents it
    /// took, and gives the others their error and backoff, or back to the queue as they were
    /// if the engine is down. A failed batch of several documents is sent again document by
    /// document when the engine is up, so one document the engine refuses does not hold back
    /// the others.
    async fn finish(
        &self,
        conn: &mut AsyncPgConnection,
        sent: InFlight<K>,
        confirmed: SearchResult<()>,
    ) -> SearchResult<Batch> {
        let InFlight {
            work,
            claimed_at,
            started,
            waited,
            accepted_after,
            ..
        } = sent;
        let confirmed_after = started.elapsed();
        let (work, outcome) = match confirmed {
            Ok(()) => (work, Sent::Failures(BTreeMap::new())),
            Err(error) => self.isolate(conn, work, &error).await?,
        };
        let batch = match outcome {
            Sent::Failures(failures) => settle(conn, &work, &failures, claimed_at).await?,
            Sent::Outage(error) => release(conn, &work.rows, &error).await?,
        };
        if !work.dead_rebuilds.is_empty() {
            clean_rebuilds(conn, self.engine(), &work.dead_rebuilds).await?;
        }
        // Where a change's time goes between its claim and its row's deletion.
        tracing::debug!(
            rows = batch.rows,
            upserted = batch.upserted,
            deleted = batch.deleted,
            failed = batch.failed,
            waited_ms = waited.num_milliseconds(),
            ?accepted_after,
            ?confirmed_after,
            settled_after = ?started.elapsed(),
            "search index synced"
        );
        Ok(batch)
    }

    /// After a batch failed with `error`: whether the engine is down, or else which documents
    /// it refuses, each sent alone. They are read again under their locks, with the targets of
    /// now: the locks were let go once the engine accepted the batch, so another worker may
    /// have sent a newer version since, and a reindex may have swapped or ended.
    async fn isolate(
        &self,
        conn: &mut AsyncPgConnection,
        work: Work<K>,
        error: &SearchError,
    ) -> SearchResult<(Work<K>, Sent)> {
        // Refused while healthy is the documents' fault and waits out a backoff; an engine
        // that does not answer is nobody's, and the worker resumes as soon as it does.
        if self.engine.health().await.is_err() {
            tracing::warn!(error = %error, "search engine down; syncing resumes when it answers");
            return Ok((work, Sent::Outage(error.to_string())));
        }
        let every: Vec<Uuid> = work
            .rows
            .iter()
            .map(|r| r.document_id)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        if every.len() <= 1 {
            tracing::warn!(error = %error, "search sync failed; will retry");
            let failures = every.iter().map(|id| (*id, error.to_string())).collect();
            return Ok((work, Sent::Failures(failures)));
        }
        let engine = self.engine.as_ref();
        let (work, failures) = self
            .locked(conn, &every, async |conn| {
                let (work, targets) = self.read(conn, work.rows, &every).await?;
                let mut failures = BTreeMap::new();
                for document in &work.documents {
                    let one = std::slice::from_ref(document);
                    if let Err(error) = apply_all(engine, &targets, one, &[]).await {
                        failures.insert(K::id(document), error.to_string());
                    }
                }
                for id in &work.gone {
                    let one = std::slice::from_ref(id);
                    if let Err(error) = apply_all(engine, &targets, &[], one).await {
                        failures.insert(*id, error.to_string());
                    }
                }
                Ok((work, failures))
            })
            .await?;
        tracing::warn!(failed = failures.len(), error = %error, "search sync failed for some documents; will retry them");
        Ok((work, Sent::Failures(failures)))
    }

    /// The engine's kind-free part.
    fn engine(&self) -> &dyn Engine {
        &*self.engine
    }

    /// The documents' current projection and the indexes to write them to, read under the
    /// document locks: a worker that synced these documents before us has handed them to the
    /// engine, so we see at least what it saw and never put an older version back.
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

    /// Fills the pipeline with batches of due rows until it is full or no row is due.
    async fn fill(&self, owner: &mut Owner, pipeline: &mut Pipeline<K>) -> SearchResult<()> {
        while !pipeline.full() {
            match self.start(owner).await? {
                Some(sent) => pipeline.0.push_back(sent),
                None => break,
            }
        }
        Ok(())
    }

    /// Settles every batch in flight, oldest first (an outage's: the engine will not confirm
    /// the rest either, or did before it died).
    async fn settle_all(
        &self,
        owner: &mut Owner,
        pipeline: &mut Pipeline<K>,
        total: &mut Batch,
    ) -> SearchResult<()> {
        while let Some(mut sent) = pipeline.0.pop_front() {
            let confirmed = (&mut sent.confirmed).await;
            total.add(self.finish(&mut owner.conn, sent, confirmed).await?);
        }
        Ok(())
    }

    /// Syncs until no row is due, with up to `PIPELINE` batches in flight; returns what was done
    /// (tests and the CLI use it). Stops early, once what is in flight settled, when a batch
    /// failed: its rows wait out a backoff, or an engine that is down.
    pub async fn drain(&self) -> SearchResult<Batch> {
        let mut slot = self.owner.lock().await;
        let mut owner = match slot.take() {
            Some(owner) => owner,
            None => Owner::acquire(&self.pool).await?,
        };
        let mut pipeline = Pipeline::new();
        let mut total = Batch::default();
        loop {
            self.fill(&mut owner, &mut pipeline).await?;
            let Some(mut oldest) = pipeline.0.pop_front() else {
                break;
            };
            let confirmed = (&mut oldest.confirmed).await;
            let batch = self.finish(&mut owner.conn, oldest, confirmed).await?;
            total.add(batch);
            if batch.failed > 0 {
                self.settle_all(&mut owner, &mut pipeline, &mut total)
                    .await?;
                break;
            }
        }
        *slot = Some(owner);
        Ok(total)
    }

    /// Runs until `shutdown` fires. `listen_url` is the database to LISTEN on for wake-ups;
    /// without it (or while it is unreachable) the worker polls every `poll`. Up to `PIPELINE`
    /// batches are in flight: while the oldest waits for its confirmation, a wake-up claims
    /// and sends the next.
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
        let mut owner: Option<Owner> = None;
        let mut pipeline = Pipeline::new();
        loop {
            let held = match owner.take() {
                Some(held) => Ok(held),
                None => Owner::acquire(&self.pool).await,
            };
            let stepped = match held {
                Ok(mut held) => {
                    let step = self.step(&mut held, &mut pipeline, &wake, poll, &mut shutdown);
                    let stepped = step.await;
                    // A worker whose connection failed starts afresh: the batches in flight
                    // go with it (their claims lapse with the connection; another pass sends
                    // them again, after what the engine already accepted).
                    if stepped.is_ok() {
                        owner = Some(held);
                    } else {
                        pipeline.0.clear();
                    }
                    stepped
                }
                Err(error) => Err(error),
            };
            match stepped {
                Ok(Step::Busy) => {}
                Ok(Step::Outage) => {
                    if !self.engine_back(&mut shutdown).await {
                        return;
                    }
                }
                Ok(Step::Stop) => return,
                Err(error) => {
                    tracing::error!(error = %error, "search sync could not read the outbox");
                    tokio::select! {
                        _ = tokio::time::sleep(poll) => {}
                        _ = shutdown.changed() => return,
                    }
                }
            }
        }
    }

    /// One turn of `run`: sends what is due, then waits for the oldest batch's confirmation
    /// (and settles it), a wake-up or the poll, whichever comes first.
    async fn step(
        &self,
        owner: &mut Owner,
        pipeline: &mut Pipeline<K>,
        wake: &tokio::sync::Notify,
        poll: Duration,
        shutdown: &mut tokio::sync::watch::Receiver<bool>,
    ) -> SearchResult<Step> {
        self.fill(owner, pipeline).await?;
        let room = !pipeline.full();
        let Some(oldest) = pipeline.0.front_mut() else {
            tokio::select! {
                _ = wake.notified() => {}
                _ = tokio::time::sleep(poll) => {}
                _ = shutdown.changed() => return Ok(Step::Stop),
            }
            return Ok(Step::Busy);
        };
        tokio::select! {
            confirmed = &mut oldest.confirmed => {
                let Some(sent) = pipeline.0.pop_front() else {
                    return Ok(Step::Busy);
                };
                let batch = self.finish(&mut owner.conn, sent, confirmed).await?;
                if batch.outage {
                    let mut rest = Batch::default();
                    self.settle_all(owner, pipeline, &mut rest).await?;
                    return Ok(Step::Outage);
                }
            }
            _ = wake.notified(), if room => {}
            _ = tokio::time::sleep(poll), if room => {}
            _ = shutdown.changed() => return Ok(Step::Stop),
        }
        Ok(Step::Busy)
    }
}

/// What a turn of the worker came to.
enum Step {
    /// Go on.
    Busy,
    /// The engine is down: wait until it answers.
    Outage,
    Stop,
}

impl Batch {
    fn add(&mut self, other: Batch) {
        self.rows += other.rows;
        self.upserted += other.upserted;
        self.deleted += other.deleted;
        self.failed += other.failed;
        self.outage |= other.outage;
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
///
/// Rows of a document this owner has in flight (a row of it claimed by this owner and not yet
/// settled) wait until that batch settled, so a document is never in two of its batches at
/// once. (This also keeps the owner's own claimed rows out: its lock is its own session's,
/// which `gone` would take again.) `NOT IN` over a subquery, not `NOT EXISTS`: it becomes one
/// hashed subplan of the in-flight documents, while the anti join the planner picked for
/// `NOT EXISTS` (statistics taken when nothing was claimed say one row) compared every due row
/// with every in-flight row: 15 s per claim with 15,000 rows in flight, 67 ms this way.
/// (`document_id` is never NULL, so `NOT IN` means what it says.) The claimed ids come from
/// `ARRAY(…)`, which runs once, rather than `IN (…)`, which the planner may join: planned on
/// statistics from an empty queue just before 90,000 rows arrived, one claim ran 13 minutes.
async fn claim(
    owner: &mut Owner,
    kind: &str,
    now: DateTime<Utc>,
    limit: i64,
) -> QueryResult<Vec<OutboxRow>> {
    diesel::sql_query(format!(
        "UPDATE search_outbox SET claimed_by = $1 WHERE id = ANY(ARRAY( \
           SELECT id FROM search_outbox AS due \
           WHERE kind = $4 AND next_attempt_at <= $2 AND (claimed_by IS NULL OR {gone}) \
             AND due.document_id NOT IN (SELECT mine.document_id FROM search_outbox AS mine \
                                         WHERE mine.claimed_by = $1) \
           ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED)) \
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
    for index in dead {
        tracing::warn!(index, "a reindex stopped midway; dropping its index");
    }
    forget_rebuilds(conn, engine, dead).await
}

/// Drops the indexes of rebuilds and their registrations, holding the exclusive swap lock
/// (taken by the caller), which it releases whatever happened.
pub(crate) async fn forget_rebuilds(
    conn: &mut AsyncPgConnection,
    engine: &dyn Engine,
    rebuilds: &[String],
) -> SearchResult<()> {
    let forgotten = async {
        for index in rebuilds {
            engine.drop_index(index).await?;
            diesel::delete(search_rebuilds::table.find(index))
                .execute(conn)
                .await?;
        }
        Ok::<_, SearchError>(())
    }
    .await;
    swap_guard(conn, "pg_advisory_unlock").await?;
    forgotten
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

/// One index kind's outbox as a metrics scrape reads it.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct KindDepth {
    #[diesel(sql_type = Text)]
    pub kind: String,
    /// Changes not yet in the index, counted up to the cap.
    #[diesel(sql_type = BigInt)]
    pub waiting: i64,
    /// Those of them that failed at least once, counted up to the cap.
    #[diesel(sql_type = BigInt)]
    pub failing: i64,
    /// When the oldest change not yet in the index was made; `None` when the index is in step.
    #[diesel(sql_type = diesel::sql_types::Nullable<Timestamptz>)]
    pub oldest: Option<DateTime<Utc>>,
}

/// Per index kind, the rows waiting and failing as `depth` counts them but counting no further
/// than `cap` each (a gauge at `cap` reads "at least"), and the oldest row's time: cheap enough
/// for every metrics scrape however long the outbox grows, each figure an index range that
/// stops at the cap or one probe, of an index led by the kind. A row counts until the engine
/// confirmed it, so the oldest row is the oldest change searches may not show yet.
pub async fn depth_per_kind(
    conn: &mut AsyncPgConnection,
    kinds: &[&str],
    cap: i64,
) -> QueryResult<Vec<KindDepth>> {
    // Raw SQL: the DSL has no count over a limited subquery, nor a subquery per unnested kind.
    // The `ORDER BY`s ask for the kind's index order, which only the kind-led indexes give.
    let query = diesel::sql_query(
        "SELECT k.kind, \
                (SELECT count(*) FROM (SELECT 1 FROM search_outbox o WHERE o.kind = k.kind \
                                       ORDER BY o.kind, o.created_at LIMIT $2) AS w) AS waiting, \
                (SELECT count(*) FROM (SELECT 1 FROM search_outbox o \
                                       WHERE o.kind = k.kind AND o.attempts > 0 \
                                       ORDER BY o.kind LIMIT $2) AS f) AS failing, \
                (SELECT min(o.created_at) FROM search_outbox o WHERE o.kind = k.kind) AS oldest \
         FROM unnest($1) AS k(kind)",
    )
    .bind::<Array<Text>, _>(kinds)
    .bind::<BigInt, _>(cap);
    conn.transaction(async |conn| {
        plan_in_index_order(conn).await?;
        query.load(conn).await
    })
    .await
}

/// Has the planner of the transaction open on `conn` walk indexes in order, never sorting,
/// scanning a whole table or building a bitmap. For the bounded counts of a metrics scrape,
/// planned once for every kind (the kinds come from `unnest`): estimating each kind as the
/// average one, the planner otherwise prefers a bitmap scan, which reads every matching row
/// before the `LIMIT` (an outage's whole backlog), or an index on the time alone filtered by
/// kind, which reads past every other kind's rows to find none of this one.
pub async fn plan_in_index_order(conn: &mut AsyncPgConnection) -> QueryResult<()> {
    diesel::sql_query(
        "SELECT set_config('enable_seqscan', 'off', true), \
                set_config('enable_bitmapscan', 'off', true), \
                set_config('enable_sort', 'off', true)",
    )
    .execute(conn)
    .await
    .map(|_| ())
}

/// Rows waiting, and those that failed at least once, every one counted (for `edumarkt search
/// status`; a metrics scrape reads [`depth_per_kind`]).
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
