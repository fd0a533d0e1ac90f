//! `edumarkt search reindex` while a server holds the embedded index: tantivy allows one
//! writer per index, so the command cannot rebuild it itself. It inserts a request row and
//! NOTIFYs; the server's worker claims the row (`FOR UPDATE SKIP LOCKED`), runs the ordinary
//! [`reindex`](crate::reindex::reindex), writes its progress to the row as it goes and the
//! report (or the error) at the end. The command shows the progress and prints the report.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};

use crate::engine::SearchEngine;
use crate::error::{SearchError, SearchResult};
use crate::kind::IndexKind;
use crate::outbox::{DbPool, listen};
use crate::reindex::{ReindexReport, reindex};

diesel::table! {
    search_reindex_requests (id) {
        id -> Int8,
        requested_at -> Timestamptz,
        claimed_at -> Nullable<Timestamptz>,
        heartbeat_at -> Nullable<Timestamptz>,
        done -> Int8,
        total -> Int8,
        finished_at -> Nullable<Timestamptz>,
        documents -> Nullable<Int8>,
        seconds -> Nullable<Float8>,
        error -> Nullable<Text>,
        restarts -> Int8,
        kind -> Text,
    }
}

use self::search_reindex_requests as requests;

const CHANNEL: &str = "search_reindex";

/// A claimed request whose heartbeat is older than this belongs to a server that died; another
/// may take it over.
pub const STALE_AFTER: Duration = Duration::from_secs(60);
/// How often a running rebuild writes its progress (and heartbeat).
const BEAT: Duration = Duration::from_millis(500);

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = search_reindex_requests)]
pub struct Request {
    pub id: i64,
    pub claimed_at: Option<DateTime<Utc>>,
    pub heartbeat_at: Option<DateTime<Utc>>,
    pub done: i64,
    pub total: i64,
    pub finished_at: Option<DateTime<Utc>>,
    pub documents: Option<i64>,
    pub seconds: Option<f64>,
    pub error: Option<String>,
    pub restarts: i64,
}

impl Request {
    /// The outcome once finished: the report, or the server's error.
    pub fn outcome(&self) -> Option<Result<ReindexReport, String>> {
        self.finished_at?;
        Some(match (&self.error, self.documents, self.seconds) {
            (None, Some(documents), Some(seconds)) => Ok(ReindexReport {
                documents: usize::try_from(documents).unwrap_or(0),
                seconds,
                restarts: usize::try_from(self.restarts).unwrap_or(0),
            }),
            (error, _, _) => Err(error.clone().unwrap_or_else(|| "no report".into())),
        })
    }
}

/// Asks the server to rebuild the index of `kind` (its descriptor's name); the request's id.
pub async fn request(pool: &DbPool, kind: &str) -> SearchResult<i64> {
    let mut conn = pool.get().await?;
    let id = diesel::insert_into(requests::table)
        .values(requests::kind.eq(kind))
        .returning(requests::id)
        .get_result(&mut conn)
        .await?;
    diesel::sql_query(format!("NOTIFY {CHANNEL}"))
        .execute(&mut conn)
        .await?;
    Ok(id)
}

pub async fn status(pool: &DbPool, id: i64) -> SearchResult<Request> {
    let mut conn = pool.get().await?;
    Ok(requests::table
        .find(id)
        .select(Request::as_select())
        .get_result(&mut conn)
        .await?)
}

/// Withdraws a request no server has claimed; false if one claimed it meanwhile.
pub async fn withdraw(pool: &DbPool, id: i64) -> SearchResult<bool> {
    let mut conn = pool.get().await?;
    let deleted = diesel::delete(
        requests::table
            .find(id)
            .filter(requests::claimed_at.is_null()),
    )
    .execute(&mut conn)
    .await?;
    Ok(deleted == 1)
}

/// Claims the oldest open request of `kind` (or one whose server stopped beating), if any.
async fn claim(pool: &DbPool, kind: &str, now: DateTime<Utc>) -> SearchResult<Option<i64>> {
    let mut conn = pool.get().await?;
    let stale = now - chrono::Duration::from_std(STALE_AFTER).unwrap_or_default();
    conn.transaction::<_, SearchError, _>(async |conn| {
        let open: Option<i64> = requests::table
            .filter(requests::finished_at.is_null())
            .filter(requests::kind.eq(kind))
            .filter(
                requests::claimed_at
                    .is_null()
                    .or(requests::heartbeat_at.lt(stale)),
            )
            .order(requests::id.asc())
            .select(requests::id)
            .for_update()
            .skip_locked()
            .first(conn)
            .await
            .optional()?;
        if let Some(claimed) = open {
            diesel::update(requests::table.find(claimed))
                .set((requests::claimed_at.eq(now), requests::heartbeat_at.eq(now)))
                .execute(conn)
                .await?;
        }
        Ok(open)
    })
    .await
}

/// Runs one claimed request, beating its progress into the row, and records the outcome.
async fn run<K: IndexKind>(
    pool: &DbPool,
    engine: &dyn SearchEngine<K>,
    live: &str,
    request: i64,
) -> SearchResult<()> {
    let progress = Arc::new((AtomicUsize::new(0), AtomicUsize::new(0)));
    let seen = Arc::clone(&progress);
    let report_progress = move |d, t| {
        seen.0.store(d, Ordering::Relaxed);
        seen.1.store(t, Ordering::Relaxed);
    };
    let work = reindex(pool, engine, live, 1_000, &report_progress);
    tokio::pin!(work);
    let outcome = loop {
        tokio::select! {
            outcome = &mut work => break outcome,
            () = tokio::time::sleep(BEAT) => {
                let (d, t) = (count(&progress.0), count(&progress.1));
                let mut conn = pool.get().await?;
                diesel::update(requests::table.find(request))
                    .set((
                        requests::done.eq(d),
                        requests::total.eq(t),
                        requests::heartbeat_at.eq(Utc::now()),
                    ))
                    .execute(&mut conn)
                    .await?;
            }
        }
    };
    let mut conn = pool.get().await?;
    let finished = diesel::update(requests::table.find(request));
    match outcome {
        Ok(report) => {
            let count = i64::try_from(report.documents).unwrap_or(i64::MAX);
            finished
                .set((
                    requests::finished_at.eq(Utc::now()),
                    requests::done.eq(count),
                    requests::total.eq(count),
                    requests::documents.eq(count),
                    requests::seconds.eq(report.seconds),
                    requests::restarts.eq(i64::try_from(report.restarts).unwrap_or(i64::MAX)),
                ))
                .execute(&mut conn)
                .await?;
        }
        Err(failure) => {
            tracing::error!(error = %failure, request, "requested reindex failed");
            finished
                .set((
                    requests::finished_at.eq(Utc::now()),
                    requests::error.eq(failure.to_string()),
                ))
                .execute(&mut conn)
                .await?;
        }
    }
    Ok(())
}

/// The server's side: serves requests until `shutdown` fires, woken by NOTIFY on `listen_url`
/// and polling every `poll` as the fallback. It takes its kind's requests only.
pub async fn serve<K: IndexKind>(
    pool: DbPool,
    engine: Arc<dyn SearchEngine<K>>,
    live: String,
    listen_url: Option<String>,
    poll: Duration,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
) {
    let wake = Arc::new(tokio::sync::Notify::new());
    if let Some(url) = listen_url {
        tokio::spawn(listen(url, CHANNEL, wake.clone(), shutdown.clone()));
    }
    loop {
        match claim(&pool, K::DESCRIPTOR.name, Utc::now()).await {
            Ok(Some(request)) => {
                tracing::info!(request, "reindexing on request");
                if let Err(error) = run(&pool, engine.as_ref(), &live, request).await {
                    tracing::error!(%error, request, "could not record a reindex request");
                }
                continue;
            }
            Ok(None) => {}
            Err(error) => tracing::error!(%error, "could not read the reindex requests"),
        }
        tokio::select! {
            () = wake.notified() => {}
            () = tokio::time::sleep(poll) => {}
            _ = shutdown.changed() => return,
        }
    }
}

/// `RunQueryDsl::load` shadows the atomic's method of the same name, hence the full path.
fn count(value: &AtomicUsize) -> i64 {
    i64::try_from(AtomicUsize::load(value, Ordering::Relaxed)).unwrap_or(i64::MAX)
}
