//! The queries of the job queue: claim, finish, fail, and what `/metrics` and `jobs status` read.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use diesel::dsl::count_star;
use diesel::prelude::*;
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

/// Per kind, the jobs due at `now` and those failing. Both counts read an index that holds only
/// what matters (due rows by `run_at`, failing rows by a partial index), never the whole queue,
/// so a scrape stays cheap when many jobs are scheduled for later.
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
