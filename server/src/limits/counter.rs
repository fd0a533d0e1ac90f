//! Fixed-window counters in the `rate_counters` table, so that every process on one database
//! counts the same hits. A window starts at a key's first hit and lasts `window`; the upsert
//! counting a hit starts a new window when the old one has passed. Time is the caller's `now`
//! (the injectable clock), never the database's, so tests move it.

use chrono::{DateTime, Duration, Utc};
use diesel::sql_types::{Integer, Text, Timestamptz};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

/// What a counter holds: its hits in the current window and when that window started.
#[derive(Debug, Clone, Copy, PartialEq, Eq, diesel::QueryableByName)]
pub struct Window {
    #[diesel(sql_type = Integer)]
    pub hits: i32,
    #[diesel(sql_type = Timestamptz)]
    pub window_start: DateTime<Utc>,
}

impl Window {
    /// Seconds until the window ends when `limit` hits are reached (`None`: under the limit).
    /// At least 1, so a `Retry-After` never says "now" while still refusing.
    pub fn wait(&self, limit: u32, window: Duration, now: DateTime<Utc>) -> Option<u64> {
        let ends = self.window_start + window;
        if ends <= now || u64::try_from(self.hits).unwrap_or(0) < u64::from(limit) {
            return None;
        }
        Some(
            u64::try_from((ends - now).num_seconds())
                .unwrap_or(0)
                .max(1),
        )
    }
}

/// How many expired rows one new window prunes: bounded work per request, yet more than the
/// one row it adds, so the table does not grow past the keys active within a window.
const PRUNE_BATCH: i64 = 100;

/// Counts one hit on `key` and returns the window with it.
pub async fn hit(
    conn: &mut AsyncPgConnection,
    scope: &str,
    key: &str,
    window: Duration,
    now: DateTime<Utc>,
) -> diesel::QueryResult<Window> {
    let cutoff = now - window;
    let counted: Window = diesel::sql_query(
        "INSERT INTO rate_counters (scope, key, window_start, hits) VALUES ($1, $2, $3, 1) \
         ON CONFLICT (scope, key) DO UPDATE SET \
           window_start = CASE WHEN rate_counters.window_start <= $4 \
             THEN EXCLUDED.window_start ELSE rate_counters.window_start END, \
           hits = CASE WHEN rate_counters.window_start <= $4 \
             THEN 1 ELSE rate_counters.hits + 1 END \
         RETURNING hits, window_start",
    )
    .bind::<Text, _>(scope)
    .bind::<Text, _>(key)
    .bind::<Timestamptz, _>(now)
    .bind::<Timestamptz, _>(cutoff)
    .get_result(conn)
    .await?;
    // A new window is when old ones are swept: no timer in any process, and a busy key that
    // stays within its window costs one statement per hit.
    if counted.hits == 1 {
        prune(conn, scope, cutoff).await?;
    }
    Ok(counted)
}

/// The current window of `key`, if it has one that has not passed.
pub async fn current(
    conn: &mut AsyncPgConnection,
    scope: &str,
    key: &str,
    window: Duration,
    now: DateTime<Utc>,
) -> diesel::QueryResult<Option<Window>> {
    use diesel::OptionalExtension;
    diesel::sql_query(
        "SELECT hits, window_start FROM rate_counters \
         WHERE scope = $1 AND key = $2 AND window_start > $3",
    )
    .bind::<Text, _>(scope)
    .bind::<Text, _>(key)
    .bind::<Timestamptz, _>(now - window)
    .get_result(conn)
    .await
    .optional()
}

/// Forgets `key`'s hits.
pub async fn clear(
    conn: &mut AsyncPgConnection,
    scope: &str,
    key: &str,
) -> diesel::QueryResult<()> {
    diesel::sql_query("DELETE FROM rate_counters WHERE scope = $1 AND key = $2")
        .bind::<Text, _>(scope)
        .bind::<Text, _>(key)
        .execute(conn)
        .await?;
    Ok(())
}

/// Removes up to `PRUNE_BATCH` rows of `scope` whose window began at or before `cutoff`.
/// Scopes have windows of their own length, so each prunes only its own rows.
async fn prune(
    conn: &mut AsyncPgConnection,
    scope: &str,
    cutoff: DateTime<Utc>,
) -> diesel::QueryResult<()> {
    diesel::sql_query(
        "DELETE FROM rate_counters WHERE (scope, key) IN ( \
           SELECT scope, key FROM rate_counters WHERE scope = $1 AND window_start <= $2 \
           LIMIT $3 FOR UPDATE SKIP LOCKED)",
    )
    .bind::<Text, _>(scope)
    .bind::<Timestamptz, _>(cutoff)
    .bind::<diesel::sql_types::BigInt, _>(PRUNE_BATCH)
    .execute(conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + seconds, 0).unwrap()
    }

    #[test]
    fn under_the_limit_there_is_no_wait() {
        let w = Window {
            hits: 4,
            window_start: at(0),
        };
        assert_eq!(w.wait(5, Duration::minutes(15), at(10)), None);
    }

    #[test]
    fn at_the_limit_the_wait_runs_to_the_end_of_the_window() {
        let w = Window {
            hits: 5,
            window_start: at(0),
        };
        assert_eq!(w.wait(5, Duration::minutes(15), at(60)), Some(14 * 60));
        assert_eq!(w.wait(5, Duration::minutes(15), at(15 * 60 - 1)), Some(1));
    }

    #[test]
    fn a_passed_window_refuses_nothing() {
        let w = Window {
            hits: 500,
            window_start: at(0),
        };
        assert_eq!(w.wait(5, Duration::minutes(15), at(15 * 60)), None);
    }

    #[test]
    fn the_wait_is_never_zero_while_refusing() {
        let w = Window {
            hits: 5,
            window_start: at(0),
        };
        let just_before_end = at(15 * 60) - Duration::milliseconds(200);
        assert_eq!(w.wait(5, Duration::minutes(15), just_before_end), Some(1));
    }
}
