//! The server's handle on the search index: the engine the configuration chooses, and the
//! outbox worker that keeps it in step with the database.

use std::sync::Arc;
use std::time::Duration;

use edumarkt_search_sync::bundle::{BUNDLES, Bundles};
use edumarkt_search_sync::document::Offerings;
use edumarkt_search_sync::engine::embedded::EmbeddedEngine;
use edumarkt_search_sync::engine::meilisearch::{MeilisearchConfig, MeilisearchEngine};
use edumarkt_search_sync::engine::{OFFERINGS, SearchEngine};
use edumarkt_search_sync::outbox::Syncer;

use crate::clock::SharedClock;
use crate::config::{SearchConfig, SearchEngineConfig};
use crate::db::DbPool;

/// Whether a process applies the search settings to Meilisearch. Settings are applied by the
/// process that syncs the index (`worker`, or `serve`/`up` running the workers) and by
/// `search reindex`, not by every server that starts; the embedded index belongs to one process
/// and is always prepared by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prepare {
    Settings,
    /// Leave Meilisearch's settings as they are.
    Skip,
}

/// A Meilisearch engine for the configuration, if it names one (`bench` uses it directly for
/// the raw-ingest yardstick).
pub async fn connect_meilisearch(
    config: &SearchConfig,
) -> anyhow::Result<Option<MeilisearchEngine>> {
    let SearchEngineConfig::Meilisearch {
        url,
        api_key,
        api_key_uid,
    } = &config.engine
    else {
        return Ok(None);
    };
    let engine = MeilisearchEngine::connect(MeilisearchConfig {
        url: url.clone(),
        api_key: api_key.as_ref().map(|k| k.expose().to_owned()),
        api_key_uid: api_key_uid.clone(),
        index_prefix: config.index_prefix.clone(),
        task_timeout: Duration::from_secs(60),
        // Large payloads for a reindex or a long outbox (Meilisearch takes up to 100 MB and
        // merges consecutive tasks of an index anyway); a worker's usual batch is far smaller.
        max_batch_documents: 10_000,
        max_batch_bytes: 50 * 1024 * 1024,
    })
    .await
    .map_err(|e| anyhow::anyhow!("cannot use Meilisearch at MEILISEARCH_URL: {e}"))?;
    Ok(Some(engine))
}

#[derive(Clone)]
pub struct Search {
    pub engine: Arc<dyn SearchEngine>,
    /// The live offerings index (engines add the deployment's prefix themselves).
    pub index: &'static str,
    /// The same engine, as the open bundles' index (the second kind).
    pub bundles: Arc<dyn SearchEngine<Bundles>>,
    pub bundles_index: &'static str,
    /// The embedded index on disk was written by an older edumarkt (another schema) and was
    /// dropped on opening: it must be rebuilt from the database (`Search::rebuild`).
    pub outdated: bool,
    /// Likewise for the bundles' index (also true when it did not exist yet).
    pub bundles_outdated: bool,
}

/// Both kinds' views of one engine.
pub fn kinds<E: SearchEngine + SearchEngine<Bundles> + 'static>(
    engine: Arc<E>,
) -> (Arc<dyn SearchEngine>, Arc<dyn SearchEngine<Bundles>>) {
    (engine.clone(), engine)
}

impl Search {
    /// Connects to the configured engine and, as `prepare` says, prepares the offerings index
    /// (settings first). The embedded index is taken for this process alone: a second process
    /// on the same folder is refused, since only one can write it.
    pub async fn connect(config: &SearchConfig, prepare: Prepare) -> anyhow::Result<Search> {
        let mut prepare = prepare;
        let mut outdated = false;
        let mut bundles_outdated = false;
        let (engine, bundles) = match &config.engine {
            SearchEngineConfig::Meilisearch { .. } => {
                kinds(Arc::new(connect_meilisearch(config).await?.ok_or_else(
                    || anyhow::anyhow!("the configuration names no Meilisearch"),
                )?))
            }
            SearchEngineConfig::Embedded { dir } => {
                prepare = Prepare::Settings;
                std::fs::create_dir_all(dir).map_err(|e| {
                    anyhow::anyhow!("cannot create the search folder {}: {e}", dir.display())
                })?;
                // Like `open`, but tells a writer held elsewhere from other failures.
                let engine = EmbeddedEngine::open_existing(dir).map_err(|e| {
                    anyhow::anyhow!("cannot open the search index in {}: {e}", dir.display())
                })?;
                if !engine.holds_writer() {
                    anyhow::bail!(
                        "the search index in {} is in use by another edumarkt process (a running \
                         `serve` or `up`); only one process may serve an embedded index: stop the \
                         other, give this one its own EDUMARKT_SEARCH_DIR, or use Meilisearch \
                         (MEILISEARCH_URL) to run several",
                        dir.display()
                    );
                }
                outdated = engine
                    .drop_if_outdated::<Offerings>(OFFERINGS)
                    .await
                    .map_err(|e| anyhow::anyhow!("cannot open the search index: {e}"))?;
                // An index of bundles of another schema is rebuilt from the database. One that
                // an older edumarkt lacked starts empty and fills from the outbox (the migration
                // that added the kind queued every bundle), as a new index does: so a process
                // whose database is down still starts and reports itself not ready.
                bundles_outdated = engine.contains(BUNDLES.name)
                    && engine
                        .drop_if_outdated::<Bundles>(BUNDLES.name)
                        .await
                        .map_err(|e| anyhow::anyhow!("cannot open the search index: {e}"))?;
                kinds(Arc::new(engine))
            }
        };
        if prepare == Prepare::Settings {
            engine
                .prepare(OFFERINGS)
                .await
                .map_err(|e| anyhow::anyhow!("cannot prepare the search index: {e}"))?;
            bundles
                .prepare(BUNDLES.name)
                .await
                .map_err(|e| anyhow::anyhow!("cannot prepare the bundles' search index: {e}"))?;
        }
        Ok(Search {
            engine,
            index: OFFERINGS,
            bundles,
            bundles_index: BUNDLES.name,
            outdated,
            bundles_outdated,
        })
    }

    /// Rebuilds an outdated index from the database (see `outdated`) before this process
    /// serves, logging its progress; nothing to do otherwise.
    pub async fn rebuild_if_outdated(&self, pool: &DbPool) -> anyhow::Result<()> {
        if self.outdated {
            tracing::warn!(
                "the search index was written by an older edumarkt (another schema): rebuilding it from the database"
            );
            rebuild(pool, self.engine.as_ref(), self.index).await?;
        }
        if self.bundles_outdated {
            rebuild(pool, self.bundles.as_ref(), self.bundles_index).await?;
        }
        Ok(())
    }

    /// Published offerings matching `query` (already validated by
    /// `routes::search::params::parse`): the one search both the API and the pages run.
    pub async fn offerings(
        &self,
        query: &edumarkt_search_sync::SearchQuery,
    ) -> Result<edumarkt_search_sync::SearchResults, edumarkt_search_sync::SearchError> {
        self.engine.search(self.index, query).await
    }

    /// Open bundles matching `query`, whose filters already carry the caller's audiences and
    /// the instant offers must still be possible at (`usecases::bundle_search`).
    pub async fn bundles(
        &self,
        query: &edumarkt_search_sync::SearchQuery<Bundles>,
    ) -> Result<edumarkt_search_sync::SearchResults<Bundles>, edumarkt_search_sync::SearchError>
    {
        self.bundles.search(self.bundles_index, query).await
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

    /// The worker of the bundles' index: the same outbox, its own kind's rows.
    pub fn bundles_syncer(&self, pool: DbPool, clock: SharedClock) -> Syncer<Bundles> {
        Syncer::new(
            pool,
            self.bundles.clone(),
            self.bundles_index.to_owned(),
            Arc::new(move || clock.now()),
            500,
        )
    }
}

/// Rebuilds one index of kind `K` from the database, logging its progress.
async fn rebuild<K: edumarkt_search_sync::IndexKind>(
    pool: &DbPool,
    engine: &dyn SearchEngine<K>,
    index: &str,
) -> anyhow::Result<()> {
    let logged = std::sync::atomic::AtomicUsize::new(0);
    let report = edumarkt_search_sync::reindex::reindex(
        pool,
        engine,
        index,
        edumarkt_search_sync::reindex::PAGE,
        &|done, total| {
            // A line per tenth, not per page.
            let tenth = done * 10 / total.max(1);
            if logged.fetch_max(tenth, std::sync::atomic::Ordering::Relaxed) < tenth {
                tracing::info!(done, total, "rebuilding the search index");
            }
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("cannot rebuild the search index: {e}"))?;
    tracing::info!(
        index,
        documents = report.documents,
        seconds = report.seconds,
        "search index rebuilt"
    );
    Ok(())
}
