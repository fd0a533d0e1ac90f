//! Meilisearch's raw ingest: the yardstick `edumarkt bench search` holds the sync path against.
//! The same documents the sync sends (`stored`, with their derived numbers), into an index with
//! the same settings, in as few payloads as Meilisearch takes (its default limit is 100 MB; we
//! stay under 90), all enqueued before any is awaited so Meilisearch batches the tasks, timed
//! until the last task has succeeded. No outbox, no locks and no waits between payloads: what
//! the engine itself can do.

use std::time::{Duration, Instant};

use meilisearch_sdk::tasks::Task;

use super::{MeilisearchEngine, batches, engine_error, stored};
use crate::error::SearchResult;
use crate::kind::IndexKind;

const MAX_PAYLOAD_BYTES: usize = 90 * 1024 * 1024;

impl MeilisearchEngine {
    /// Sends `documents` straight to `index` (prepared beforehand) and returns how long
    /// Meilisearch took from the first payload sent to the last task succeeded.
    pub async fn raw_ingest<K: IndexKind>(
        &self,
        index: &str,
        documents: &[K::Document],
    ) -> SearchResult<Duration> {
        const WHAT: &str = "raw ingest";
        let documents = documents
            .iter()
            .map(stored::<K>)
            .collect::<SearchResult<Vec<_>>>()?;
        let sizes = documents
            .iter()
            .map(|d| serde_json::to_vec(d).map(|json| json.len()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| engine_error("serializing a document", e))?;
        let index = self.client.index(self.uid(index));
        let started = Instant::now();
        let mut enqueued = Vec::new();
        for payload in batches(&sizes, usize::MAX, MAX_PAYLOAD_BYTES) {
            let info = self
                .bounded(index.add_or_replace(&documents[payload], Some("id")))
                .await
                .map_err(|e| e.into_search_error(WHAT))?;
            enqueued.push(info);
        }
        for info in enqueued {
            let task = self
                .bounded(self.client.wait_for_task(info, None, Some(self.timeout)))
                .await
                .map_err(|e| e.into_search_error(WHAT))?;
            if let Task::Failed { content } = task {
                return Err(engine_error(WHAT, content.error));
            }
        }
        Ok(started.elapsed())
    }
}
