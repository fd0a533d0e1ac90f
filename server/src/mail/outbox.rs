//! Mail as a job (kind `mail`): queued in the transaction of the change that causes it, sent by
//! the job worker, which retries it with the queue's backoff when the transport fails.

use chrono::{DateTime, Utc};
use diesel::QueryResult;
use diesel_async::AsyncPgConnection;

use crate::jobs::{self, JobKind};
use crate::mail::{Mail, Mailer};

/// Queues a mail; call inside the transaction of the change that causes it.
pub async fn enqueue(
    conn: &mut AsyncPgConnection,
    mail: &Mail,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    enqueue_all(conn, std::slice::from_ref(mail), now).await
}

/// Queues many mails in one statement per thousand (an award mails every bidder and
/// participant); call inside the transaction of the change that causes them.
pub async fn enqueue_all(
    conn: &mut AsyncPgConnection,
    mails: &[Mail],
    now: DateTime<Utc>,
) -> QueryResult<()> {
    let payloads = mails
        .iter()
        .map(serde_json::to_value)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
    jobs::enqueue_all(conn, JobKind::Mail, payloads, now, now).await?;
    Ok(())
}

/// Sends the mail job `id` carries, as message `id`.
pub async fn deliver(
    mailer: &Mailer,
    id: uuid::Uuid,
    payload: &serde_json::Value,
) -> anyhow::Result<()> {
    let mail: Mail = serde_json::from_value(payload.clone())
        .map_err(|e| anyhow::anyhow!("the mail job's payload is malformed: {e}"))?;
    mailer.send(&mail, id).await
}
