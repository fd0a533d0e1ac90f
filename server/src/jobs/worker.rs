//! The worker: runs due jobs one by one, each claimed, run and finished on its own.

use std::sync::Arc;

use chrono::Duration;

use crate::clock::SharedClock;
use crate::db::DbPool;
use crate::jobs::storage::{self, Job};
use crate::jobs::{JobKind, backoff};
use crate::mail::Mailer;
use crate::usecases::{bundle_reminders, interest_profiles, review_follow_ups};

/// How long a claimed job is hidden from other workers. Longer than any job may take (an SMTP
/// send gives up within a minute), so a live worker keeps its job; short enough that a job
/// whose worker died runs soon after.
pub const LEASE: Duration = Duration::minutes(5);

/// Jobs run in one pass before the worker looks at its shutdown signal again.
const PASS: usize = 100;

/// What the jobs need, and the queue they come from.
#[derive(Clone)]
pub struct Worker {
    pub pool: DbPool,
    pub clock: SharedClock,
    pub mailer: Arc<Mailer>,
    /// Where users reach the service: links in the mail jobs compose.
    pub public_url: String,
}

/// Jobs run in a pass: those done and those that failed (and will be retried).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Ran {
    pub done: usize,
    pub failed: usize,
}

impl Worker {
    /// Runs the job due first, if any; whether it succeeded.
    pub async fn run_next(&self) -> anyhow::Result<Option<bool>> {
        // The connection goes back to the pool while the job runs: a slow SMTP server must not
        // hold one per worker.
        let claimed = {
            let mut conn = self.pool.get().await?;
            storage::claim(&mut conn, self.clock.now(), LEASE).await?
        };
        let Some(job) = claimed else {
            return Ok(None);
        };
        let outcome = self.perform(&job).await;
        let mut conn = self.pool.get().await?;
        let (succeeded, kept) = match outcome {
            Ok(()) => (true, storage::finish(&mut conn, &job).await?),
            Err(error) => {
                let attempts = job.attempts + 1;
                let retry_at = self.clock.now() + backoff(attempts, rand::random());
                tracing::warn!(job_id = %job.id, kind = job.kind, attempts, error = format!("{error:#}"), %retry_at, "job failed; will retry");
                let kept = storage::fail(&mut conn, &job, &format!("{error:#}"), retry_at).await?;
                (false, kept)
            }
        };
        if !kept {
            tracing::warn!(job_id = %job.id, kind = job.kind, "job outran its lease; another worker has claimed it");
        }
        Ok(Some(succeeded))
    }

    async fn perform(&self, job: &Job) -> anyhow::Result<()> {
        match job.kind.parse::<JobKind>()? {
            JobKind::Mail => crate::mail::outbox::deliver(&self.mailer, job.id, &job.payload).await,
            JobKind::ReviewFollowUp => {
                // The connection goes back before the mail is sent, as for a mail job.
                let mail = {
                    let mut conn = self.pool.get().await?;
                    review_follow_ups::request_mail(&mut conn, &job.payload, &self.public_url)
                        .await?
                };
                match mail {
                    Some(mail) => self.mailer.send(&mail, job.id).await,
                    None => Ok(()),
                }
            }
            JobKind::BundleInterest => {
                // Queues mail jobs (each sent and retried on its own), recorded with them.
                let mut conn = self.pool.get().await?;
                interest_profiles::mail_matching(
                    &mut conn,
                    &job.payload,
                    &self.public_url,
                    self.clock.now(),
                )
                .await
                .map(|_| ())
            }
            JobKind::BundleReminder => {
                let mut conn = self.pool.get().await?;
                bundle_reminders::remind(
                    &mut conn,
                    &job.payload,
                    &self.public_url,
                    self.clock.now(),
                )
                .await
                .map(|_| ())
            }
        }
    }

    /// Runs due jobs until none is left or a pass is full.
    pub async fn run_due(&self) -> anyhow::Result<Ran> {
        let mut ran = Ran::default();
        while ran.done + ran.failed < PASS {
            match self.run_next().await? {
                Some(true) => ran.done += 1,
                Some(false) => ran.failed += 1,
                None => break,
            }
        }
        Ok(ran)
    }

    /// Runs jobs until `shutdown` fires, woken by NOTIFY on `jobs` from any process (LISTEN on
    /// `listen_url`) and polling every `poll` for retries that come due and missed wake-ups.
    /// A job that is running when `shutdown` fires is finished first.
    pub async fn run(
        self,
        listen_url: Option<String>,
        poll: std::time::Duration,
        mut shutdown: tokio::sync::watch::Receiver<bool>,
    ) {
        let wake = Arc::new(tokio::sync::Notify::new());
        if let Some(url) = listen_url {
            tokio::spawn(edumarkt_search_sync::outbox::listen(
                url,
                "jobs",
                wake.clone(),
                shutdown.clone(),
            ));
        }
        loop {
            let full = match self.run_due().await {
                Ok(ran) => {
                    if ran != Ran::default() {
                        tracing::info!(done = ran.done, failed = ran.failed, "jobs run");
                    }
                    ran.done + ran.failed == PASS
                }
                Err(error) => {
                    tracing::error!(
                        error = format!("{error:#}"),
                        "job worker cannot reach the queue"
                    );
                    false
                }
            };
            if *shutdown.borrow() {
                return;
            }
            if full {
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
