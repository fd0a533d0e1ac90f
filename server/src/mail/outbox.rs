//! The mail outbox: queue in the business transaction, deliver from a worker.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::clock::SharedClock;
use crate::db::DbPool;
use crate::db::schema::mail_outbox;
use crate::mail::{Mail, Mailer};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = mail_outbox)]
pub struct QueuedMail {
    pub id: Uuid,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub created_at: DateTime<Utc>,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
}

/// Queues a mail; call inside the transaction of the change that causes it.
pub async fn enqueue(
    conn: &mut AsyncPgConnection,
    mail: &Mail,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::insert_into(mail_outbox::table)
        .values((
            mail_outbox::id.eq(Uuid::now_v7()),
            mail_outbox::recipient.eq(&mail.to),
            mail_outbox::subject.eq(&mail.subject),
            mail_outbox::body_text.eq(&mail.text),
            mail_outbox::body_html.eq(&mail.html),
            mail_outbox::created_at.eq(now),
            mail_outbox::next_attempt_at.eq(now),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// Wait before the next try after `attempts` failures: 30 s doubling, at most an hour.
pub fn backoff(attempts: i32) -> Duration {
    let exponent = u32::try_from(attempts.clamp(1, 8) - 1).unwrap_or(0);
    Duration::seconds((30_i64 << exponent).min(3600))
}

const BATCH: i64 = 50;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Delivery {
    pub sent: usize,
    pub failed: usize,
}

/// Sends the mail that is due, one batch. Rows are claimed with `FOR UPDATE SKIP LOCKED`, so
/// several workers share the queue without sending a mail twice; a row is deleted only after
/// the transport accepted it.
pub async fn deliver_due(
    pool: &DbPool,
    mailer: &Mailer,
    clock: &SharedClock,
) -> anyhow::Result<Delivery> {
    let mut conn = pool.get().await?;
    let now = clock.now();
    conn.transaction::<_, anyhow::Error, _>(async |conn| {
        let due: Vec<QueuedMail> = mail_outbox::table
            .filter(mail_outbox::next_attempt_at.le(now))
            .order(mail_outbox::next_attempt_at.asc())
            .limit(BATCH)
            .for_update()
            .skip_locked()
            .select(QueuedMail::as_select())
            .load(conn)
            .await?;
        let mut delivery = Delivery::default();
        for row in due {
            let mail = Mail { to: row.recipient, subject: row.subject, text: row.body_text, html: row.body_html };
            match mailer.send(&mail).await {
                Ok(()) => {
                    diesel::delete(mail_outbox::table.find(row.id)).execute(conn).await?;
                    delivery.sent += 1;
                }
                Err(error) => {
                    let attempts = row.attempts + 1;
                    tracing::warn!(mail_id = %row.id, attempts, error = %error, "mail delivery failed; will retry");
                    diesel::update(mail_outbox::table.find(row.id))
                        .set((
                            mail_outbox::attempts.eq(attempts),
                            mail_outbox::next_attempt_at.eq(now + backoff(attempts)),
                            mail_outbox::last_error.eq(error.to_string()),
                        ))
                        .execute(conn)
                        .await?;
                    delivery.failed += 1;
                }
            }
        }
        Ok(delivery)
    })
    .await
}

/// Mail waiting to be sent, and how many of those have failed at least once (for /metrics).
pub async fn depth(conn: &mut AsyncPgConnection) -> QueryResult<(i64, i64)> {
    let waiting = mail_outbox::table.count().get_result(conn).await?;
    let failing = mail_outbox::table
        .filter(mail_outbox::attempts.gt(0))
        .count()
        .get_result(conn)
        .await?;
    Ok((waiting, failing))
}

/// Delivers mail until `shutdown` fires: woken when mail is queued, polling every few seconds
/// for retries that come due.
pub async fn run_worker(
    pool: DbPool,
    mailer: std::sync::Arc<Mailer>,
    clock: SharedClock,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
) {
    loop {
        match deliver_due(&pool, &mailer, &clock).await {
            Ok(d) if d.sent + d.failed > 0 => {
                tracing::info!(sent = d.sent, failed = d.failed, "mail delivered")
            }
            Ok(_) => {}
            Err(error) => tracing::error!(error = ?error, "mail worker could not read the outbox"),
        }
        tokio::select! {
            _ = mailer.queued.notified() => {}
            _ = tokio::time::sleep(std::time::Duration::from_secs(5)) => {}
            _ = shutdown.changed() => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        assert_eq!(backoff(1), Duration::seconds(30));
        assert_eq!(backoff(2), Duration::seconds(60));
        assert_eq!(backoff(5), Duration::seconds(480));
        assert_eq!(backoff(50), Duration::seconds(3600));
    }
}
