//! The queries of the job queue: claim, finish, fail, and what `/metrics` and `jobs status` read.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use diesel::dsl::count_star;
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Integer, Nullable, Text, Timestamptz};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::db::schema::jobs;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = jobs)]
pub struct Job {
    pub id: Uuid,
    pub kind: String,
    pub payload: serde_json::Value,
    pub run_at: DateTime<Utc>,
    pub attempts: i32,
    pub last_error: Option<String>,
    /// The claim that may finish this job; set by [`claim`].
    pub locked_by: Option<Uuid>,
}

/// Claims the job due first, in a transaction of its own that commits before the job runs: the
/// row's `run_at` moves `lease` ahead, so no other worker sees it as due until then. If this
/// worker dies, the job is due again when the lease ends.
pub async fn claim(
    conn: &mut AsyncPgConnection,
    now: DateTime<Utc>,
    lease: Duration,
) -> QueryResult<Option<Job>> {
    conn.transaction(async |conn| {
        let Some(mut job) = jobs::table
            .filter(jobs::run_at.le(now))
            .order((jobs::run_at.asc(), jobs::id.asc()))
            .limit(1)
            .for_update()
            .skip_locked()
            .select(Job::as_select())
            .first(conn)
            .await
            .optional()?
        else {
            return Ok(None);
        };
        let claim = Uuid::now_v7();
        diesel::update(jobs::table.find(job.id))
            .set((
                jobs::run_at.eq(now + lease),
                jobs::locked_at.eq(now),
                jobs::locked_by.eq(claim),
            ))
            .execute(conn)
            .await?;
        job.locked_by = Some(claim);
        Ok(Some(job))
    })
    .await
}

/// Only the claim that holds the job may finish it: after a lease ran out, another worker's.
fn claimed(
    job: &Job,
) -> diesel::dsl::Filter<diesel::dsl::Find<jobs::table, Uuid>, diesel::dsl::Eq<jobs::locked_by, Uuid>>
{
    jobs::table
        .find(job.id)
        .filter(jobs::locked_by.eq(job.locked_by.unwrap_or_else(Uuid::nil)))
}

/// Removes a job that ran; false if its claim had lapsed and another worker holds it now.
pub async fn finish(conn: &mut AsyncPgConnection, job: &Job) -> QueryResult<bool> {
    Ok(diesel::delete(claimed(job)).execute(conn).await? == 1)
}

/// Records a failed run: one more attempt, its error, and the time of the next try.
pub async fn fail(
    conn: &mut AsyncPgConnection,
    job: &Job,
    error: &str,
    retry_at: DateTime<Utc>,
) -> QueryResult<bool> {
    let updated = diesel::update(claimed(job))
        .set((
            jobs::attempts.eq(jobs::attempts + 1),
            jobs::last_error.eq(error),
            jobs::run_at.eq(retry_at),
            jobs::locked_at.eq(None::<DateTime<Utc>>),
            jobs::locked_by.eq(None::<Uuid>),
        ))
        .execute(conn)
        .await?;
    Ok(updated == 1)
}

/// Jobs of one kind that are due and that have failed at least once.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Depth {
    pub due: i64,
    pub failing: i64,
}

/// Per kind, the jobs due at `now` and those failing, every one counted (for `edumarkt jobs
/// status`; a metrics scrape reads [`queue_per_kind`], which stops counting at a cap).
pub async fn depth(
    conn: &mut AsyncPgConnection,
    now: DateTime<Utc>,
) -> QueryResult<HashMap<String, Depth>> {
    let due: Vec<(String, i64)> = jobs::table
        .filter(jobs::run_at.le(now))
        .group_by(jobs::kind)
        .select((jobs::kind, count_star()))
        .load(conn)
        .await?;
    let failing: Vec<(String, i64)> = jobs::table
        .filter(jobs::attempts.gt(0))
        .group_by(jobs::kind)
        .select((jobs::kind, count_star()))
        .load(conn)
        .await?;
    let mut depths: HashMap<String, Depth> = HashMap::new();
    for (kind, n) in due {
        depths.entry(kind).or_default().due = n;
    }
    for (kind, n) in failing {
        depths.entry(kind).or_default().failing = n;
    }
    Ok(depths)
}

/// One job kind's queue as a metrics scrape reads it.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct KindQueue {
    #[diesel(sql_type = Text)]
    pub kind: String,
    /// Jobs due now, counted up to the cap.
    #[diesel(sql_type = BigInt)]
    pub due: i64,
    /// Jobs that failed at least once (due or waiting out a retry), counted up to the cap.
    #[diesel(sql_type = BigInt)]
    pub failing: i64,
    /// Since when the job due first has been due; `None` when none is due.
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub oldest_due: Option<DateTime<Utc>>,
    /// The most attempts a failing job has had, 0 when none fails. Jobs never give up (the
    /// retries only slow down to hourly), so this is how long the worst one has been failing.
    #[diesel(sql_type = Integer)]
    pub attempts_max: i32,
}

/// Per kind in `kinds`, the figures of [`KindQueue`], each an index range that stops at the cap
/// or one probe, of an index led by the kind (`jobs_kind_run_at_idx`, `jobs_failing_idx`):
/// cheap on every scrape however long a queue grows, and the same whichever process asks. The
/// age of the oldest due job counts from its `run_at`, not its creation: a review follow-up
/// queued months ahead is not late the moment it comes due, and a claim or a retry moves
/// `run_at` on.
pub async fn queue_per_kind(
    conn: &mut AsyncPgConnection,
    kinds: &[&str],
    now: DateTime<Utc>,
    cap: i64,
) -> QueryResult<Vec<KindQueue>> {
    // Raw SQL: the DSL has no count over a limited subquery, nor a subquery per unnested kind.
    // The due jobs are a range of (kind, run_at) written as row comparisons, which only
    // `jobs_kind_run_at_idx` serves: with `kind = k.kind` the planner walks `jobs_run_at_idx`
    // (the claims' index) and skips every other kind's due job on the way.
    let query = diesel::sql_query(
        "SELECT k.kind, \
                (SELECT count(*) FROM (SELECT 1 FROM jobs j \
                                       WHERE (j.kind, j.run_at) >= (k.kind, '-infinity') \
                                         AND (j.kind, j.run_at) <= (k.kind, $2) \
                                       ORDER BY j.kind, j.run_at LIMIT $3) AS d) AS due, \
                (SELECT count(*) FROM (SELECT 1 FROM jobs j \
                                       WHERE j.kind = k.kind AND j.attempts > 0 \
                                       ORDER BY j.kind, j.attempts LIMIT $3) AS f) AS failing, \
                (SELECT j.run_at FROM jobs j \
                 WHERE (j.kind, j.run_at) >= (k.kind, '-infinity') \
                   AND (j.kind, j.run_at) <= (k.kind, $2) \
                 ORDER BY j.kind, j.run_at LIMIT 1) AS oldest_due, \
                (SELECT coalesce(max(j.attempts), 0) FROM jobs j \
                 WHERE j.kind = k.kind AND j.attempts > 0) AS attempts_max \
         FROM unnest($1) AS k(kind)",
    )
    .bind::<Array<Text>, _>(kinds)
    .bind::<Timestamptz, _>(now)
    .bind::<BigInt, _>(cap);
    conn.transaction(async |conn| {
        edumarkt_search_sync::outbox::plan_in_index_order(conn).await?;
        query.load(conn).await
    })
    .await
}

/// The failing jobs with the most attempts first (for `edumarkt jobs status`).
pub async fn failing(conn: &mut AsyncPgConnection, limit: i64) -> QueryResult<Vec<Job>> {
    jobs::table
        .filter(jobs::attempts.gt(0))
        .order((jobs::attempts.desc(), jobs::run_at.asc()))
        .limit(limit)
        .select(Job::as_select())
        .load(conn)
        .await
}
