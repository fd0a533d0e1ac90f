//! The server's handle on the search index: the engine the configuration chooses, and the
//! outbox worker that keeps it in step with the database.

use std::sync::Arc;
use std::time::Duration;

use edumarkt_search_sync::engine::embedded::EmbeddedEngine;
use edumarkt_search_sync::engine::meilisearch::{MeilisearchConfig, MeilisearchEngine};
use edumarkt_search_sync::engine::{OFFERINGS, SearchEngine};
use edumarkt_search_sync::outbox::Syncer;

use crate::clock::SharedClock;
use crate::config::{SearchConfig, SearchEngineConfig};
use crate::db::DbPool;

#[derive(Clone)]
pub struct Search {
    pub engine: Arc<dyn SearchEngine>,
    /// The live offerings index (engines add the deployment's prefix themselves).
    pub index: &'static str,
}

impl Search {
    /// Connects to the configured engine and prepares the offerings index (settings first).
    pub async fn connect(config: &SearchConfig) -> anyhow::Result<Search> {
        let engine: Arc<dyn SearchEngine> = match &config.engine {
            SearchEngineConfig::Meilisearch { url, api_key } => Arc::new(
                MeilisearchEngine::connect(MeilisearchConfig {
                    url: url.clone(),
                    api_key: api_key.as_ref().map(|k| k.expose().to_owned()),
                    index_prefix: config.index_prefix.clone(),
                    task_timeout: Duration::from_secs(60),
                    max_batch_documents: 1_000,
                    max_batch_bytes: 10 * 1024 * 1024,
                })
                .await
                .map_err(|e| anyhow::anyhow!("cannot use Meilisearch at MEILISEARCH_URL: {e}"))?,
            ),
            SearchEngineConfig::Embedded { dir } => {
                Arc::new(EmbeddedEngine::open(dir).map_err(|e| {
                    anyhow::anyhow!("cannot open the search index in {}: {e}", dir.display())
                })?)
            }
        };
        engine
            .prepare(OFFERINGS)
            .await
            .map_err(|e| anyhow::anyhow!("cannot prepare the search index: {e}"))?;
        Ok(Search {
            engine,
            index: OFFERINGS,
        })
    }

    pub fn syncer(&self, pool: DbPool, clock: SharedClock) -> Syncer {
        Syncer::new(
            pool,
            self.engine.clone(),
            self.index.to_owned(),
            Arc::new(move || clock.now()),
            500,
        )
    }
}
