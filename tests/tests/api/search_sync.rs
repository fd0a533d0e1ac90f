//! Fault tests of the outbox worker: a failing engine, a worker stopped mid-batch, two workers
//! at once, a reindex while writes go on. After each, verify finds the index equal to the
//! database.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use edumarkt_search_sync::engine::{Accepted, Engine, SearchEngine};
use edumarkt_search_sync::error::{SearchError, SearchResult};
use edumarkt_search_sync::outbox::Syncer;
use edumarkt_search_sync::{OfferingDocument, SearchQuery, SearchResults, reindex, verify};
use serde_json::json;
use uuid::Uuid;

use crate::helpers::{
    CutLine, Engine as EngineKind, TestApp, offering_body,
    spawn_app_without_search_worker as spawn_app, spawn_app_without_search_worker_on, verify_clean,
};

/// Wraps the app's engine: fails the first `failures` writes, or hangs writes while `hang` is set
/// (writes to rebuilds while `hang_rebuilds` is; each write to a rebuild waits for a permit of
/// `pace` while `paced` is), refuses documents titled `refuse`, and keeps the names of the
/// indexes written and dropped and the documents sent. While `deferred` is set, a bulk write is accepted at once and
/// confirmed only for a permit of `confirm` (as failed while `fail_confirm` is). While `down`
/// is set it is an engine that does not answer: writes, drops and health checks (counted in
/// `probes`) fail.
struct Faulty {
    inner: Arc<dyn SearchEngine>,
    failures: AtomicUsize,
    hang: std::sync::atomic::AtomicBool,
    hang_rebuilds: std::sync::atomic::AtomicBool,
    paced: std::sync::atomic::AtomicBool,
    pace: tokio::sync::Semaphore,
    deferred: std::sync::atomic::AtomicBool,
    fail_confirm: std::sync::atomic::AtomicBool,
    confirm: Arc<tokio::sync::Semaphore>,
    /// Bulk writes accepted (while `deferred`).
    accepted: AtomicUsize,
    down: std::sync::atomic::AtomicBool,
    probes: AtomicUsize,
    refuse: Mutex<Option<String>>,
    /// Told when a write reaches the engine.
    entered: tokio::sync::Notify,
    written: Mutex<Vec<String>>,
    dropped: Mutex<Vec<String>>,
    /// The documents upserted, in order, each time it was sent.
    sent: Mutex<Vec<Uuid>>,
}

impl Faulty {
    fn new(inner: Arc<dyn SearchEngine>, failures: usize) -> Arc<Faulty> {
        Arc::new(Faulty {
            inner,
            failures: AtomicUsize::new(failures),
            hang: false.into(),
            hang_rebuilds: false.into(),
            paced: false.into(),
            pace: tokio::sync::Semaphore::new(0),
            deferred: false.into(),
            fail_confirm: false.into(),
            confirm: Arc::new(tokio::sync::Semaphore::new(0)),
            accepted: AtomicUsize::new(0),
            down: false.into(),
            probes: AtomicUsize::new(0),
            refuse: Mutex::new(None),
            entered: tokio::sync::Notify::new(),
            written: Mutex::new(Vec::new()),
            dropped: Mutex::new(Vec::new()),
            sent: Mutex::new(Vec::new()),
        })
    }

    /// How many times `id` was sent.
    fn times_sent(&self, id: &str) -> usize {
        let sent = self.sent.lock().unwrap();
        sent.iter().filter(|d| d.to_string() == id).count()
    }

    fn dropped_a_rebuild(&self) -> bool {
        let dropped = self.dropped.lock().unwrap();
        dropped.iter().any(|index| index.contains("_rebuild_"))
    }

    /// Records the documents sent; fails if one of them is refused.
    fn refused(&self, documents: &[OfferingDocument]) -> SearchResult<()> {
        self.sent
            .lock()
            .unwrap()
            .extend(documents.iter().map(|d| d.id));
        let refused = self.refuse.lock().unwrap().clone();
        if documents.iter().any(|d| Some(&d.title) == refused.as_ref()) {
            return Err(SearchError::Engine("refused document".into()));
        }
        Ok(())
    }

    async fn gate(&self, index: &str) -> SearchResult<()> {
        self.written.lock().unwrap().push(index.to_owned());
        self.entered.notify_one();
        if self.hang.load(Ordering::SeqCst)
            || (self.hang_rebuilds.load(Ordering::SeqCst) && index.contains("_rebuild_"))
        {
            std::future::pending::<()>().await;
        }
        if self.paced.load(Ordering::SeqCst) && index.contains("_rebuild_") {
            self.pace.acquire().await.unwrap().forget();
        }
        if self.down.load(Ordering::SeqCst) {
            return Err(SearchError::Engine("connection refused (simulated)".into()));
        }
        if self
            .failures
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok()
        {
            return Err(SearchError::Engine("simulated outage".into()));
        }
        Ok(())
    }
}

#[async_trait]
impl Engine for Faulty {
    fn kind(&self) -> &'static str {
        "faulty"
    }
    async fn delete(&self, index: &str, ids: &[Uuid]) -> SearchResult<()> {
        self.gate(index).await?;
        self.inner.delete(index, ids).await
    }
    async fn swap(&self, a: &str, b: &str) -> SearchResult<()> {
        self.inner.swap(a, b).await
    }
    async fn drop_index(&self, index: &str) -> SearchResult<()> {
        if self.down.load(Ordering::SeqCst) {
            return Err(SearchError::Engine("connection refused (simulated)".into()));
        }
        self.dropped.lock().unwrap().push(index.to_owned());
        self.inner.drop_index(index).await
    }
    async fn health(&self) -> SearchResult<()> {
        self.probes.fetch_add(1, Ordering::SeqCst);
        if self.down.load(Ordering::SeqCst) {
            return Err(SearchError::Engine("connection refused (simulated)".into()));
        }
        self.inner.health().await
    }
}

#[async_trait]
impl SearchEngine for Faulty {
    async fn prepare(&self, index: &str) -> SearchResult<()> {
        self.inner.prepare(index).await
    }
    async fn upsert(&self, index: &str, documents: &[OfferingDocument]) -> SearchResult<()> {
        self.gate(index).await?;
        self.refused(documents)?;
        self.inner.upsert(index, documents).await
    }
    async fn enqueue_upsert(
        &self,
        index: &str,
        documents: &[OfferingDocument],
    ) -> SearchResult<Accepted> {
        self.gate(index).await?;
        let refusal = self.refused(documents);
        if !self.deferred.load(Ordering::SeqCst) {
            // The inner engine's own way (Meilisearch: accepted now, confirmed later).
            refusal?;
            return self.inner.enqueue_upsert(index, documents).await;
        }
        // Accepted whatever the documents; a refused one fails the task, as Meilisearch's does.
        if refusal.is_ok() {
            self.inner.upsert(index, documents).await?;
        }
        self.accepted.fetch_add(1, Ordering::SeqCst);
        let (confirm, fail) = (
            self.confirm.clone(),
            self.fail_confirm.load(Ordering::SeqCst),
        );
        Ok(Box::pin(async move {
            confirm.acquire().await.unwrap().forget();
            if fail {
                return Err(SearchError::Engine("simulated failed task".into()));
            }
            refusal
        }))
    }
    async fn search(&self, index: &str, query: &SearchQuery) -> SearchResult<SearchResults> {
        self.inner.search(index, query).await
    }
    async fn documents(
        &self,
        index: &str,
        offset: usize,
        limit: usize,
    ) -> SearchResult<Vec<OfferingDocument>> {
        self.inner.documents(index, offset, limit).await
    }
    fn tenant_token(
        &self,
        index: &str,
        tenant: &(),
        expires_at: chrono::DateTime<chrono::Utc>,
    ) -> SearchResult<String> {
        self.inner.tenant_token(index, tenant, expires_at)
    }
}

/// A worker running in the background until stopped, without LISTEN: it polls every `poll`
/// (and probes a failed engine's health).
struct Running {
    stop: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Running {
    fn start(syncer: Syncer, poll: std::time::Duration) -> Running {
        let (stop, shutdown) = tokio::sync::watch::channel(false);
        let task = tokio::spawn(syncer.run(None, poll, shutdown));
        Running { stop, task }
    }

    async fn stop(self) {
        self.stop.send(true).unwrap();
        self.task.await.unwrap();
    }
}

fn syncer(app: &TestApp, engine: Arc<dyn SearchEngine>, batch_size: i64) -> Syncer {
    let mut syncer = app
        .state
        .search
        .syncer(app.state.pool.clone(), app.state.clock.clone());
    syncer.engine = engine;
    syncer.batch_size = batch_size;
    syncer
}

/// A provider with `n` published offerings; the triggers queue them in the outbox, and these
/// tests' apps run no background worker, so the tests drive the syncers themselves.
async fn offerings(app: &TestApp, n: usize) -> (crate::helpers::User, String, Vec<String>) {
    let (admin, provider) = app.provider("admin@aanbieder.nl", "12345678").await;
    let mut ids = Vec::new();
    for i in 0..n {
        let mut body = offering_body();
        body["title"] = json!(format!("Aanbod {i}"));
        ids.push(app.publish(&admin, &provider, &body).await);
    }
    (admin, provider, ids)
}

/// Changes an offering's title (as its editor would, with the current ETag).
async fn retitle(app: &TestApp, admin: &crate::helpers::User, id: &str, title: &str) {
    let path = format!("/v1/offerings/{id}");
    let etag = app.get(&path, Some(&admin.access)).await.headers()["etag"]
        .to_str()
        .unwrap()
        .to_owned();
    app.patch(
        &path,
        &json!({ "title": title }),
        &admin.access,
        Some(&etag),
    )
    .await;
}

/// Rebuilds still registered.
async fn rebuilds_left(db: &tokio_postgres::Client) -> i64 {
    db.query_one("SELECT count(*) FROM search_rebuilds", &[])
        .await
        .unwrap()
        .get(0)
}

/// A worker whose engine hangs every write, beside an app with `n` offerings waiting.
async fn hanging(app: &TestApp, n: usize) -> (Arc<Faulty>, Syncer) {
    offerings(app, n).await;
    let faulty = Faulty::new(app.state.search.engine.clone(), 0);
    faulty.hang.store(true, Ordering::SeqCst);
    let stuck = syncer(app, faulty.clone(), 500);
    (faulty, stuck)
}

#[tokio::test]
async fn an_engine_outage_delays_the_index_and_loses_nothing() {
    let app = spawn_app().await;
    let faulty = Faulty::new(app.state.search.engine.clone(), 3);
    let syncer = syncer(&app, faulty.clone(), 500);
    syncer.drain().await.unwrap();
    offerings(&app, 5).await;
    let failed = syncer.sync_batch().await.unwrap();
    assert!(failed.failed > 0);
    let mut conn = app.state.pool.get().await.unwrap();
    let (waiting, failing) = edumarkt_search_sync::outbox::depth(&mut conn)
        .await
        .unwrap();
    assert!(waiting > 0 && failing > 0, "rows stay with their error");
    let rows = edumarkt_search_sync::outbox::failing(&mut conn, 10)
        .await
        .unwrap();
    assert!(
        rows[0]
            .last_error
            .as_deref()
            .unwrap()
            .contains("simulated outage")
    );
    // Not due again until the backoff passes; then the outage is over.
    for _ in 0..3 {
        app.clock.advance(chrono::Duration::minutes(10));
        syncer.drain().await.unwrap();
    }
    assert_eq!(
        edumarkt_search_sync::outbox::depth(&mut conn)
            .await
            .unwrap(),
        (0, 0)
    );
    verify_clean(&app).await;
}

#[tokio::test]
async fn a_worker_stopped_mid_batch_leaves_its_rows_for_the_next() {
    let app = spawn_app().await;
    let (_faulty, mut stuck) = hanging(&app, 8).await;
    // The stopped worker has connections of its own, as another process would.
    stuck.pool = edumarkt_server::db::pool(&app.database_url, 1).unwrap();
    // The worker is killed while the engine has the batch: its transaction never commits.
    let stopped =
        tokio::time::timeout(std::time::Duration::from_millis(300), stuck.sync_batch()).await;
    assert!(stopped.is_err(), "the batch was still running when stopped");
    drop(stuck);
    let fresh = syncer(&app, app.state.search.engine.clone(), 500);
    // PostgreSQL rolls the dead worker's transaction back once it sees the connection close.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let mut done = fresh.drain().await.unwrap();
    while done.rows == 0 && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        done = fresh.drain().await.unwrap();
    }
    assert!(done.rows > 0, "the rows were still there");
    verify_clean(&app).await;
}

#[tokio::test]
async fn two_workers_at_once_share_the_queue() {
    let app = spawn_app().await;
    let (admin, _, ids) = offerings(&app, 12).await;
    // Many changes to few documents, so both workers meet the same documents.
    for round in 0..3 {
        for id in &ids {
            retitle(&app, &admin, id, &format!("Ronde {round} {id}")).await;
        }
    }
    let (a, b) = (
        syncer(&app, app.state.search.engine.clone(), 7),
        syncer(&app, app.state.search.engine.clone(), 7),
    );
    let (ra, rb) = tokio::join!(a.drain(), b.drain());
    let (ra, rb) = (ra.unwrap(), rb.unwrap());
    assert!(
        ra.rows > 0 && rb.rows > 0,
        "both workers took part: {ra:?} {rb:?}"
    );
    syncer(&app, app.state.search.engine.clone(), 500)
        .drain()
        .await
        .unwrap();
    verify_clean(&app).await;
    assert_eq!(app.search("q=Ronde").await["total"], 12);
}

#[tokio::test]
async fn a_reindex_while_writes_continue_loses_none_of_them() {
    let app = spawn_app().await;
    let (admin, provider, ids) = offerings(&app, 30).await;
    app.sync_search().await;
    let writes = async {
        for (i, id) in ids.iter().enumerate().take(15) {
            retitle(&app, &admin, id, &format!("Tijdens herindexering {i}")).await;
            app.sync_search().await;
        }
        let mut body = offering_body();
        body["title"] = json!("Nieuw tijdens herindexering");
        app.publish(&admin, &provider, &body).await;
        app.post(
            &format!("/v1/offerings/{}/archive", ids[29]),
            &json!({}),
            Some(&admin.access),
        )
        .await;
        app.sync_search().await;
    };
    let rebuild = reindex::reindex(
        &app.state.pool,
        app.state.search.engine.as_ref(),
        app.state.search.index,
        3,
        &|_, _| {},
    );
    let ((), report) = tokio::join!(writes, rebuild);
    assert!(report.unwrap().documents >= 29);
    app.sync_search().await;
    verify_clean(&app).await;
    assert_eq!(app.search("q=herindexering").await["total"], 16);
    assert_eq!(app.search("").await["total"], 30);
}

#[tokio::test]
async fn a_reindex_ends_however_fast_new_offerings_arrive() {
    let app = spawn_app().await;
    let (admin, provider, ids) = offerings(&app, 6).await;
    app.sync_search().await;
    // Each page the reindex writes waits for the writer to publish one more offering, so the
    // writer always stays ahead of a cursor that would chase the newest id.
    let faulty = Faulty::new(app.state.search.engine.clone(), 0);
    faulty.paced.store(true, Ordering::SeqCst);
    let finished = std::sync::atomic::AtomicBool::new(false);
    let rebuild = async {
        let report = tokio::time::timeout(
            std::time::Duration::from_secs(30),
            reindex::reindex(
                &app.state.pool,
                faulty.as_ref(),
                app.state.search.index,
                1,
                &|_, _| {},
            ),
        )
        .await;
        finished.store(true, Ordering::SeqCst);
        report
    };
    let writer = async {
        let mut published = 0;
        while !finished.load(Ordering::SeqCst) {
            let mut body = offering_body();
            body["title"] = json!(format!("Nieuw tijdens herindexering {published}"));
            app.publish(&admin, &provider, &body).await;
            let id = &ids[published % ids.len()];
            retitle(&app, &admin, id, &format!("Gewijzigd {published} {id}")).await;
            published += 1;
            // Before syncing: the page waiting for it holds document locks the sync may need.
            faulty.pace.add_permits(1);
            app.sync_search().await;
        }
        published
    };
    let (report, published) = tokio::join!(rebuild, writer);
    let report = report
        .expect("the reindex ended while writes went on")
        .unwrap();
    assert!(report.documents >= 6, "{report:?}");
    app.sync_search().await;
    verify_clean(&app).await;
    assert_eq!(
        app.search("q=herindexering").await["total"],
        json!(published)
    );
    assert_eq!(app.search("").await["total"], json!(6 + published));
}

#[tokio::test]
async fn a_reindex_keeps_several_pages_in_flight() {
    let app = spawn_app().await;
    offerings(&app, 6).await;
    app.sync_search().await;
    let faulty = Faulty::new(app.state.search.engine.clone(), 0);
    faulty.deferred.store(true, Ordering::SeqCst);
    let rebuild = reindex::reindex(
        &app.state.pool,
        faulty.as_ref(),
        app.state.search.index,
        1,
        &|_, _| {},
    );
    let confirm = async {
        // No page is confirmed until three are in the engine's hands at once.
        while faulty.accepted.load(Ordering::SeqCst) < 3 {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        faulty.confirm.add_permits(100);
    };
    let (report, ()) = tokio::time::timeout(std::time::Duration::from_secs(20), async {
        tokio::join!(rebuild, confirm)
    })
    .await
    .expect("the reindex sent the next pages before the first was confirmed");
    assert_eq!(report.unwrap().documents, 6);
    assert_eq!(faulty.accepted.load(Ordering::SeqCst), 6);
    verify_clean(&app).await;
    assert_eq!(app.search("q=Aanbod").await["total"], 6);
}

#[tokio::test]
async fn a_page_the_engine_fails_fails_the_reindex_and_spares_the_live_index() {
    let app = spawn_app().await;
    offerings(&app, 4).await;
    app.sync_search().await;
    let faulty = Faulty::new(app.state.search.engine.clone(), 0);
    faulty.deferred.store(true, Ordering::SeqCst);
    faulty.fail_confirm.store(true, Ordering::SeqCst);
    faulty.confirm.add_permits(100);
    let rebuilt = reindex::reindex(
        &app.state.pool,
        faulty.as_ref(),
        app.state.search.index,
        2,
        &|_, _| {},
    )
    .await;
    assert!(
        matches!(&rebuilt, Err(SearchError::Engine(e)) if e.contains("simulated failed task")),
        "{rebuilt:?}"
    );
    assert!(faulty.dropped_a_rebuild(), "the rebuild was dropped");
    assert_eq!(rebuilds_left(&app.sql().await).await, 0);
    verify_clean(&app).await;
    assert_eq!(app.search("q=Aanbod").await["total"], 4);
}

#[tokio::test]
async fn a_long_outbox_is_drained_in_bulk() {
    let app = spawn_app().await;
    let (admin, provider, _) = offerings(&app, 10).await;
    let syncer = syncer(&app, app.state.search.engine.clone(), 2);
    assert_eq!(syncer.sync_batch().await.unwrap().rows, 2);
    // A full batch: many rows are due, so the next claim takes them all at once.
    let bulk = syncer.sync_batch().await.unwrap();
    assert!(bulk.rows >= 8, "{bulk:?}");
    let mut conn = app.state.pool.get().await.unwrap();
    assert_eq!(
        edumarkt_search_sync::outbox::depth(&mut conn)
            .await
            .unwrap(),
        (0, 0)
    );
    verify_clean(&app).await;
    // Back to small batches once the outbox is short.
    for _ in 0..3 {
        app.publish(&admin, &provider, &offering_body()).await;
    }
    assert_eq!(syncer.sync_batch().await.unwrap().rows, 2);
}

/// Waits (up to 20 s) until `done` holds, checking every 20 ms.
async fn eventually(what: &str, mut done: impl AsyncFnMut() -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !done().await {
        assert!(std::time::Instant::now() < deadline, "{what}");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn rows_an_engine_down_could_not_take_stay_due_without_backoff() {
    let app = spawn_app().await;
    let (admin, _, ids) = offerings(&app, 3).await;
    let faulty = Faulty::new(app.state.search.engine.clone(), 0);
    let syncer = syncer(&app, faulty.clone(), 500);
    syncer.drain().await.unwrap();
    faulty.down.store(true, Ordering::SeqCst);
    retitle(&app, &admin, &ids[0], "Tijdens de storing").await;
    let batch = syncer.sync_batch().await.unwrap();
    assert!(batch.outage && batch.rows > 0, "{batch:?}");
    let mut conn = app.state.pool.get().await.unwrap();
    // No attempt counted, nothing pushed into the future: due the moment the engine answers.
    assert_eq!(
        edumarkt_search_sync::outbox::depth(&mut conn)
            .await
            .unwrap(),
        (i64::try_from(batch.rows).unwrap(), 0)
    );
    assert!(
        edumarkt_search_sync::outbox::catching_up(&mut conn, app.state.clock.now())
            .await
            .unwrap()
    );
    faulty.down.store(false, Ordering::SeqCst);
    // The same instant on the clock: no backoff to wait out.
    let done = syncer.drain().await.unwrap();
    assert_eq!((done.rows, done.failed), (batch.rows, 0));
    verify_clean(&app).await;
    assert_eq!(app.search("q=storing").await["total"], 1);
}

#[tokio::test]
async fn a_worker_resumes_as_soon_as_the_engine_answers_again() {
    let app = spawn_app().await;
    let (admin, provider, ids) = offerings(&app, 3).await;
    app.sync_search().await;
    let faulty = Faulty::new(app.state.search.engine.clone(), 0);
    faulty.down.store(true, Ordering::SeqCst);
    for (i, id) in ids.iter().enumerate() {
        retitle(&app, &admin, id, &format!("Tijdens de storing {i}")).await;
    }
    let mut body = offering_body();
    body["title"] = json!("Nieuw tijdens de storing");
    app.publish(&admin, &provider, &body).await;
    // No LISTEN, and a poll of an hour: only the health probe can wake the worker.
    let worker = Running::start(
        syncer(&app, faulty.clone(), 500),
        std::time::Duration::from_secs(3_600),
    );
    eventually("the worker probes the engine's health", async || {
        faulty.probes.load(Ordering::SeqCst) >= 3
    })
    .await;
    assert_eq!(app.search("q=storing").await["total"], 0);
    faulty.down.store(false, Ordering::SeqCst);
    eventually("the worker caught up", async || {
        app.search("q=storing").await["total"] == 4
    })
    .await;
    worker.stop().await;
    verify_clean(&app).await;
}

/// Makes the engine die and come back: the embedded index (it lives in the process) through
/// `Faulty`'s switch; Meilisearch by cutting the line to it, so its client meets refused
/// connections and tasks in flight it cannot confirm, as when the engine's process dies.
struct Outage {
    faulty: Arc<Faulty>,
    line: Option<CutLine>,
}

impl Outage {
    async fn begin(&self) {
        match &self.line {
            Some(line) => line.cut().await,
            None => self.faulty.down.store(true, Ordering::SeqCst),
        }
    }

    async fn end(&self) {
        match &self.line {
            Some(line) => line.mend().await,
            None => self.faulty.down.store(false, Ordering::SeqCst),
        }
    }
}

/// The index names the engine holds that belong to rebuilds.
async fn rebuild_indexes(app: &TestApp) -> Vec<String> {
    let names: Vec<String> = match &app.state.config.search.engine {
        edumarkt_server::config::SearchEngineConfig::Meilisearch { .. } => {
            crate::helpers::meilisearch_indexes(
                &std::env::var("MEILISEARCH_URL").unwrap(),
                std::env::var("MEILISEARCH_API_KEY").ok().as_deref(),
                &app.state.config.search.index_prefix,
            )
            .await
        }
        _ => {
            // The embedded engine's manifest names each index (its keys) and its folder.
            let manifest = std::fs::read_to_string(app.search_dir.join("indexes.json")).unwrap();
            let manifest: serde_json::Value = serde_json::from_str(&manifest).unwrap();
            manifest["indexes"]
                .as_object()
                .unwrap()
                .keys()
                .cloned()
                .collect()
        }
    };
    names
        .into_iter()
        .filter(|name| name.contains("_rebuild_"))
        .collect()
}

/// The engine dies while a reindex copies (its first page in the rebuild) and writes go on;
/// when it answers again, the reindex drops its half-built rebuild, starts over and completes,
/// and the index equals the database.
async fn an_engine_dying_during_a_reindex_is_survived(engine: EngineKind) {
    let (app, line) = spawn_app_without_search_worker_on(engine).await;
    let (admin, _, ids) = offerings(&app, 6).await;
    app.sync_search().await;
    let faulty = Faulty::new(app.state.search.engine.clone(), 0);
    faulty.paced.store(true, Ordering::SeqCst);
    let outage = Outage {
        faulty: faulty.clone(),
        line,
    };
    let worker = Running::start(
        syncer(&app, faulty.clone(), 500),
        std::time::Duration::from_millis(50),
    );
    let rebuild = reindex::reindex(
        &app.state.pool,
        faulty.as_ref(),
        app.state.search.index,
        2,
        &|_, _| {},
    );
    let during = async {
        // The first page reaches the rebuild; then the engine dies while writes go on.
        faulty.pace.add_permits(1);
        eventually("the first page was copied", async || {
            faulty.pace.available_permits() == 0
        })
        .await;
        outage.begin().await;
        faulty.paced.store(false, Ordering::SeqCst);
        faulty.pace.add_permits(100);
        for (i, id) in ids.iter().enumerate() {
            retitle(&app, &admin, id, &format!("Tijdens de storing {i}")).await;
        }
        // The reindex (and the worker) found the engine down and wait for it.
        eventually("the engine's health was asked", async || {
            faulty.probes.load(Ordering::SeqCst) >= 3
        })
        .await;
        outage.end().await;
    };
    let (rebuilt, ()) = tokio::time::timeout(std::time::Duration::from_secs(60), async {
        tokio::join!(rebuild, during)
    })
    .await
    .expect("the reindex ended once the engine was back");
    let report = rebuilt.expect("the reindex completed after the outage");
    assert_eq!(report.documents, 6);
    assert!(report.restarts >= 1, "it started over: {report:?}");
    eventually("the worker caught up", async || {
        app.search("q=storing").await["total"] == 6
    })
    .await;
    assert_eq!(rebuilds_left(&app.sql().await).await, 0);
    assert_eq!(
        rebuild_indexes(&app).await,
        Vec::<String>::new(),
        "no rebuild is left in the engine"
    );
    worker.stop().await;
    verify_clean(&app).await;
}

/// The engine dies while a worker syncs a steady stream of writes (changes and new offerings)
/// and comes back while they go on: nothing is lost, and the index equals the database.
async fn an_engine_dying_during_steady_writes_loses_nothing(engine: EngineKind) {
    let (app, line) = spawn_app_without_search_worker_on(engine).await;
    let (admin, provider, ids) = offerings(&app, 4).await;
    app.sync_search().await;
    let faulty = Faulty::new(app.state.search.engine.clone(), 0);
    let outage = Outage {
        faulty: faulty.clone(),
        line,
    };
    let worker = Running::start(
        syncer(&app, faulty.clone(), 500),
        std::time::Duration::from_millis(20),
    );
    let mut published = 0;
    for step in 0..30 {
        if step == 10 {
            outage.begin().await;
        }
        if step == 20 {
            // Down long enough for the worker to meet the outage and probe for the engine.
            eventually("the worker found the engine down", async || {
                faulty.probes.load(Ordering::SeqCst) >= 2
            })
            .await;
            outage.end().await;
        }
        retitle(
            &app,
            &admin,
            &ids[step % ids.len()],
            &format!("Stap {step}"),
        )
        .await;
        if step % 3 == 0 {
            let mut body = offering_body();
            body["title"] = json!(format!("Nieuw bij stap {step}"));
            app.publish(&admin, &provider, &body).await;
            published += 1;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let db = app.sql().await;
    eventually("the worker emptied the outbox", async || {
        let waiting: i64 = db
            .query_one("SELECT count(*) FROM search_outbox", &[])
            .await
            .unwrap()
            .get(0);
        waiting == 0
    })
    .await;
    worker.stop().await;
    verify_clean(&app).await;
    assert_eq!(app.search("q=stap").await["total"], json!(published + 4));
}

/// Runs `$test` on the embedded index (in every run) and on Meilisearch (when `MEILISEARCH_URL`
/// was set at build time; reported as ignored otherwise), as the tests `$name::embedded` and
/// `$name::meilisearch`.
macro_rules! on_both_engines {
    ($name:ident, $test:ident) => {
        mod $name {
            use super::*;

            #[tokio::test]
            async fn embedded() {
                $test(EngineKind::Embedded).await;
            }

            #[tokio::test]
            #[cfg_attr(
                not(meilisearch),
                ignore = "MEILISEARCH_URL is not set: runs against a real Meilisearch only"
            )]
            async fn meilisearch() {
                $test(EngineKind::Meilisearch).await;
            }
        }
    };
}

on_both_engines!(
    engine_death_during_a_reindex,
    an_engine_dying_during_a_reindex_is_survived
);
on_both_engines!(
    engine_death_during_steady_writes,
    an_engine_dying_during_steady_writes_loses_nothing
);

#[tokio::test]
async fn verify_finds_and_repairs_what_differs() {
    let app = spawn_app().await;
    let (_, _, ids) = offerings(&app, 4).await;
    app.sync_search().await;
    let engine = app.state.search.engine.clone();
    let index = app.state.search.index;
    // Damage the index behind the worker's back: one missing, one stale, one extra.
    engine
        .delete(index, &[ids[0].parse().unwrap()])
        .await
        .unwrap();
    let mut stale = engine
        .search(
            index,
            &SearchQuery {
                page: 1,
                per_page: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .hits;
    stale.retain(|d| d.id.to_string() == ids[1]);
    stale[0].title = "Verouderd".into();
    let mut extra = stale[0].clone();
    extra.id = Uuid::now_v7();
    engine
        .upsert(index, &[stale[0].clone(), extra.clone()])
        .await
        .unwrap();
    let report = verify::verify(&app.state.pool, engine.as_ref(), index, 2, &|_| {})
        .await
        .unwrap();
    assert_eq!(report.missing, [ids[0].parse::<Uuid>().unwrap()]);
    assert_eq!(report.stale, [ids[1].parse::<Uuid>().unwrap()]);
    assert_eq!(report.extra, [extra.id]);
    verify::queue_repairs(&app.state.pool, &report)
        .await
        .unwrap();
    app.sync_search().await;
    verify_clean(&app).await;
}

#[tokio::test]
async fn one_refused_document_fails_alone() {
    let app = spawn_app().await;
    let (admin, provider, _) = offerings(&app, 4).await;
    let mut body = offering_body();
    body["title"] = json!("Weigerachtig");
    let refused = app.publish(&admin, &provider, &body).await;
    let faulty = Faulty::new(app.state.search.engine.clone(), 0);
    *faulty.refuse.lock().unwrap() = Some("Weigerachtig".into());
    let batch = syncer(&app, faulty.clone(), 500)
        .sync_batch()
        .await
        .unwrap();
    assert_eq!(batch.upserted, 4, "the others went through: {batch:?}");
    assert!(batch.failed > 0);
    let mut conn = app.state.pool.get().await.unwrap();
    let rows = edumarkt_search_sync::outbox::failing(&mut conn, 100)
        .await
        .unwrap();
    assert_eq!(rows.len(), batch.failed);
    for row in &rows {
        assert_eq!(row.document_id.to_string(), refused, "only its rows failed");
        assert!(
            row.last_error
                .as_deref()
                .unwrap()
                .contains("refused document")
        );
    }
    let (waiting, _) = edumarkt_search_sync::outbox::depth(&mut conn)
        .await
        .unwrap();
    assert_eq!(waiting, i64::try_from(rows.len()).unwrap());
    assert_eq!(app.search("q=Aanbod").await["total"], 4);
    // Once the engine takes it, its backoff over, it is found as well.
    *faulty.refuse.lock().unwrap() = None;
    app.clock.advance(chrono::Duration::minutes(1));
    app.sync_search().await;
    assert_eq!(app.search("q=Weigerachtig").await["total"], 1);
    verify_clean(&app).await;
}

#[tokio::test]
async fn a_batch_waiting_on_the_engine_holds_no_row_lock_and_keeps_its_claim() {
    let app = spawn_app().await;
    let (faulty, stuck) = hanging(&app, 3).await;
    let entered = faulty.entered.notified();
    let waiting = tokio::spawn(async move { stuck.sync_batch().await });
    entered.await;
    let db = app.sql().await;
    // Anything may lock the rows meanwhile (a trigger's insert, `search status`, a repair).
    let locked = db
        .query("SELECT id FROM search_outbox FOR UPDATE NOWAIT", &[])
        .await
        .expect("no row is locked while the engine works");
    assert!(!locked.is_empty());
    // Another worker leaves the claimed rows to the live one.
    let other = syncer(&app, app.state.search.engine.clone(), 500);
    assert_eq!(other.sync_batch().await.unwrap().rows, 0);
    waiting.abort();
    assert!(waiting.await.unwrap_err().is_cancelled());
}

#[tokio::test]
async fn a_reindex_killed_midway_is_forgotten_and_its_index_dropped() {
    let app = spawn_app().await;
    let (admin, _, ids) = offerings(&app, 4).await;
    app.sync_search().await;
    let faulty = Faulty::new(app.state.search.engine.clone(), 0);
    faulty.hang_rebuilds.store(true, Ordering::SeqCst);
    let entered = faulty.entered.notified();
    let rebuild = reindex::reindex(
        &app.state.pool,
        faulty.as_ref(),
        app.state.search.index,
        2,
        &|_, _| {},
    );
    // Killed while copying its first page.
    tokio::select! {
        _ = rebuild => panic!("the reindex finished"),
        () = async { entered.await; tokio::time::sleep(std::time::Duration::from_millis(100)).await } => {}
    }
    let db = app.sql().await;
    let registered: Vec<String> = db
        .query("SELECT index_name FROM search_rebuilds", &[])
        .await
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    assert_eq!(registered.len(), 1, "the dead reindex left its row");
    let dead = registered[0].clone();
    faulty.hang_rebuilds.store(false, Ordering::SeqCst);
    // PostgreSQL releases the dead reindex's lock once it sees its connection close.
    let syncer = syncer(&app, faulty.clone(), 500);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        syncer.drain().await.unwrap();
        if rebuilds_left(&db).await == 0 {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the row stayed");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(
        faulty.dropped.lock().unwrap().contains(&dead),
        "its index was dropped"
    );
    faulty.written.lock().unwrap().clear();
    retitle(&app, &admin, &ids[0], "Na de herindexering").await;
    assert_eq!(syncer.drain().await.unwrap().upserted, 1);
    assert_eq!(
        *faulty.written.lock().unwrap(),
        [app.state.search.index.to_owned()],
        "later batches write the live index only"
    );
    assert_eq!(app.search("q=herindexering").await["total"], 1);
    verify_clean(&app).await;
}

#[tokio::test]
async fn a_worker_leaves_rows_of_other_kinds_to_theirs() {
    let app = spawn_app().await;
    let (_, _, ids) = offerings(&app, 1).await;
    app.sync_search().await;
    let db = app.sql().await;
    let id: Uuid = ids[0].parse().unwrap();
    db.execute(
        "INSERT INTO search_outbox (kind, document_id) VALUES ('bundles', $1)",
        &[&id],
    )
    .await
    .unwrap();
    let done = syncer(&app, app.state.search.engine.clone(), 500)
        .drain()
        .await
        .unwrap();
    assert_eq!(done.rows, 0);
    let kinds: Vec<String> = db
        .query("SELECT kind FROM search_outbox", &[])
        .await
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    assert_eq!(kinds, ["bundles"]);
}

/// Rows waiting in the outbox.
async fn waiting(db: &tokio_postgres::Client) -> i64 {
    db.query_one("SELECT count(*) FROM search_outbox", &[])
        .await
        .unwrap()
        .get(0)
}

#[tokio::test]
async fn a_worker_sends_other_documents_while_a_batch_is_in_flight_and_holds_back_its_own() {
    let app = spawn_app().await;
    let (admin, _, ids) = offerings(&app, 3).await;
    app.sync_search().await;
    let db = app.sql().await;
    // Every task is accepted at once and confirmed only for a permit, oldest first.
    let faulty = Faulty::new(app.state.search.engine.clone(), 0);
    faulty.deferred.store(true, Ordering::SeqCst);
    retitle(&app, &admin, &ids[0], "Eerste versie").await;
    let worker = Running::start(
        syncer(&app, faulty.clone(), 1),
        std::time::Duration::from_millis(20),
    );
    eventually("the first batch was sent", async || {
        faulty.accepted.load(Ordering::SeqCst) == 1
    })
    .await;
    retitle(&app, &admin, &ids[0], "Tweede versie").await;
    retitle(&app, &admin, &ids[1], "Ander aanbod").await;
    retitle(&app, &admin, &ids[2], "Derde aanbod").await;
    eventually(
        "the other documents were sent before the first task's end",
        async || faulty.times_sent(&ids[1]) == 1 && faulty.times_sent(&ids[2]) == 1,
    )
    .await;
    // Many polls later, the document in flight was still sent only once.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        faulty.times_sent(&ids[0]),
        1,
        "a document in flight waits for its task"
    );
    assert_eq!(
        waiting(&db).await,
        4,
        "no row left the outbox before its task succeeded"
    );
    // The first task succeeds: its row goes, and the document's next version is sent.
    faulty.confirm.add_permits(1);
    eventually(
        "the waiting version was sent after the first task",
        async || faulty.times_sent(&ids[0]) == 2,
    )
    .await;
    assert_eq!(waiting(&db).await, 3, "only the confirmed task's row left");
    faulty.confirm.add_permits(100);
    eventually("the outbox emptied", async || waiting(&db).await == 0).await;
    worker.stop().await;
    verify_clean(&app).await;
    assert_eq!(app.search("q=Tweede").await["total"], 1);
}

#[tokio::test]
async fn a_task_that_fails_is_sent_again_document_by_document() {
    let app = spawn_app().await;
    let (admin, _, ids) = offerings(&app, 4).await;
    app.sync_search().await;
    let faulty = Faulty::new(app.state.search.engine.clone(), 0);
    faulty.deferred.store(true, Ordering::SeqCst);
    faulty.confirm.add_permits(100);
    *faulty.refuse.lock().unwrap() = Some("Weigerachtig".into());
    for (i, id) in ids.iter().enumerate().skip(1) {
        retitle(&app, &admin, id, &format!("Bijgewerkt {i}")).await;
    }
    retitle(&app, &admin, &ids[0], "Weigerachtig").await;
    // Accepted as one task, which fails for the refused document's sake.
    let batch = syncer(&app, faulty.clone(), 500)
        .sync_batch()
        .await
        .unwrap();
    assert_eq!(faulty.accepted.load(Ordering::SeqCst), 1);
    assert_eq!((batch.upserted, batch.failed), (3, 1), "{batch:?}");
    let mut conn = app.state.pool.get().await.unwrap();
    let rows = edumarkt_search_sync::outbox::failing(&mut conn, 100)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        rows[0].document_id.to_string(),
        ids[0],
        "only its row stayed"
    );
    assert!(
        rows[0]
            .last_error
            .as_deref()
            .unwrap()
            .contains("refused document")
    );
    assert_eq!(waiting(&app.sql().await).await, 1);
    assert_eq!(app.search("q=Bijgewerkt").await["total"], 3);
}
