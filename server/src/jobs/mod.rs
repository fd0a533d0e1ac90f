//! One job queue for every kind of background work (mail, review follow-ups; deadlines next).
//!
//! A job is a row of `jobs`, inserted by [`enqueue`] inside the transaction of the change that
//! causes it, so a change and its consequences commit or vanish together. The insert's trigger
//! NOTIFYs `jobs` on commit, which wakes the [`worker::Worker`]s of every process; they also poll,
//! so a lost notification only delays a job. A worker claims one due row at a time with
//! `FOR UPDATE SKIP LOCKED` in a short transaction that pushes the row's `run_at` past a lease,
//! runs the job with no transaction open, then deletes the row (or records the failure and the
//! next try) in another short transaction. A crash therefore repeats at most the one job that
//! was running, once its lease ends, and never the jobs finished before it.

pub mod storage;
pub mod worker;

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::db::schema::jobs;

/// What a job does; stored as text (checked by the table), parsed here once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JobKind {
    /// Send one e-mail (payload: [`crate::mail::Mail`]).
    Mail,
    /// Ask a review's author, months later, how the offering is doing now (payload:
    /// [`crate::usecases::review_follow_ups::FollowUpRequest`]).
    ReviewFollowUp,
    /// Mail the provider users whose interest profiles match a bundle that opened (payload:
    /// [`crate::usecases::interest_profiles::BundleOpened`]).
    BundleInterest,
    /// Remind those who have not acted, 48 hours before a bundle's deadline (payload:
    /// [`crate::usecases::bundle_reminders::Reminder`]).
    BundleReminder,
}

impl JobKind {
    /// Every kind, for metrics and the status command (a kind with no rows still reports 0).
    pub const ALL: [JobKind; 4] = [
        JobKind::Mail,
        JobKind::ReviewFollowUp,
        JobKind::BundleInterest,
        JobKind::BundleReminder,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            JobKind::Mail => "mail",
            JobKind::ReviewFollowUp => "review_follow_up",
            JobKind::BundleInterest => "bundle_interest",
            JobKind::BundleReminder => "bundle_reminder",
        }
    }
}

impl std::str::FromStr for JobKind {
    type Err = anyhow::Error;

    fn from_str(kind: &str) -> anyhow::Result<JobKind> {
        JobKind::ALL
            .into_iter()
            .find(|k| k.as_str() == kind)
            .ok_or_else(|| anyhow::anyhow!("unknown job kind {kind:?}"))
    }
}

/// Queues a job due at `run_at`; call inside the transaction of the change that causes it.
pub async fn enqueue(
    conn: &mut AsyncPgConnection,
    kind: JobKind,
    payload: serde_json::Value,
    now: DateTime<Utc>,
    run_at: DateTime<Utc>,
) -> QueryResult<Uuid> {
    let ids = enqueue_all(conn, kind, vec![payload], now, run_at).await?;
    Ok(ids[0])
}

/// Queues a job of `kind` per payload, all due at `run_at`, in one statement per thousand
/// (PostgreSQL takes at most 65,535 parameters a statement).
pub async fn enqueue_all(
    conn: &mut AsyncPgConnection,
    kind: JobKind,
    payloads: Vec<serde_json::Value>,
    now: DateTime<Utc>,
    run_at: DateTime<Utc>,
) -> QueryResult<Vec<Uuid>> {
    let ids: Vec<Uuid> = payloads.iter().map(|_| Uuid::now_v7()).collect();
    let rows: Vec<_> = ids
        .iter()
        .zip(payloads)
        .map(|(id, payload)| {
            (
                jobs::id.eq(*id),
                jobs::kind.eq(kind.as_str()),
                jobs::payload.eq(payload),
                jobs::run_at.eq(run_at),
                jobs::created_at.eq(now),
            )
        })
        .collect();
    for chunk in rows.chunks(1_000) {
        diesel::insert_into(jobs::table)
            .values(chunk)
            .execute(conn)
            .await?;
    }
    Ok(ids)
}

/// The first retry waits this long; each further failure doubles it.
const FIRST_RETRY: Duration = Duration::seconds(30);
/// No retry waits longer.
const MAX_RETRY: Duration = Duration::hours(1);

/// Wait before the next try after `attempts` failures: 30 s doubling up to an hour, shortened
/// by up to a tenth according to `jitter` (0 to 1), so jobs that failed together (an SMTP
/// outage) do not all come back in the same instant.
pub fn backoff(attempts: i32, jitter: f64) -> Duration {
    let exponent = u32::try_from(attempts.clamp(1, 16) - 1).unwrap_or(0);
    let full = (FIRST_RETRY * 2_i32.pow(exponent)).min(MAX_RETRY);
    let spread = full.num_milliseconds() as f64 * jitter.clamp(0.0, 1.0) / 10.0;
    full - Duration::milliseconds(spread as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        assert_eq!(backoff(1, 0.0), Duration::seconds(30));
        assert_eq!(backoff(2, 0.0), Duration::seconds(60));
        assert_eq!(backoff(5, 0.0), Duration::seconds(480));
        assert_eq!(backoff(50, 0.0), Duration::hours(1));
        assert_eq!(backoff(0, 0.0), Duration::seconds(30));
    }

    #[test]
    fn jitter_shortens_by_at_most_a_tenth() {
        assert_eq!(backoff(1, 1.0), Duration::seconds(27));
        assert_eq!(backoff(50, 1.0), Duration::minutes(54));
        assert_eq!(backoff(1, 0.5), Duration::milliseconds(28_500));
        // Out-of-range jitter is clamped rather than trusted.
        assert_eq!(backoff(1, 7.0), Duration::seconds(27));
        assert_eq!(backoff(1, -1.0), Duration::seconds(30));
    }

    #[test]
    fn kinds_round_trip_and_unknown_ones_are_errors() {
        for kind in JobKind::ALL {
            assert_eq!(kind.as_str().parse::<JobKind>().unwrap(), kind);
        }
        assert!("reminder".parse::<JobKind>().is_err());
    }
}
