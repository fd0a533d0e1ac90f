//! The embedded search engine: tantivy indexes in a folder, for `edumarkt up` and the tests, so
//! neither needs a Meilisearch server. It answers as Meilisearch does: typo tolerance, Dutch
//! stemming and synonyms, filters, facet counts that ignore their own filter, sorts and pages.
//!
//! Each named index is a folder under the root; `indexes.json` says which folder holds which
//! name (see `manifest`), which makes a swap one atomic file replacement.

mod collect;
#[cfg(test)]
pub(crate) mod fixtures;
mod handle;
mod manifest;
mod schema;
mod search;
mod table;
#[cfg(test)]
mod tests;
mod text;

use std::collections::BTreeMap;
use std::fmt::Display;
use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock};

use async_trait::async_trait;
use tantivy::collector::Count;
use tantivy::query::AllQuery;
use uuid::Uuid;

use self::handle::IndexHandle;
use self::manifest::Manifest;
use self::schema::IndexSchema;
use self::text::Dutch;
use crate::document::OfferingDocument;
use crate::engine::SearchEngine;
use crate::error::{SearchError, SearchResult};
use crate::query::{SearchQuery, SearchResults};

pub struct EmbeddedEngine {
    inner: Arc<Inner>,
}

struct Inner {
    root: PathBuf,
    schema: IndexSchema,
    dutch: Dutch,
    /// Name → open index. Changed only together with the manifest, under the write lock.
    indexes: RwLock<BTreeMap<String, Arc<IndexHandle>>>,
    writers: Writers,
}

/// Why opening failed: another process holds a writer, or anything else.
enum Opening {
    WriterBusy,
    Failed(SearchError),
}

impl Opening {
    fn into_error(self) -> SearchError {
        match self {
            Opening::WriterBusy => {
                SearchError::Engine("embedded index: another process holds the index writer".into())
            }
            Opening::Failed(error) => error,
        }
    }
}

impl From<SearchError> for Opening {
    fn from(error: SearchError) -> Opening {
        Opening::Failed(error)
    }
}

/// Tantivy allows one writer per index; a process that cannot have them (the running server
/// holds them) can still read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Writers {
    Take,
    None,
}

impl EmbeddedEngine {
    /// Opens the indexes under `root` (creating the folder if missing) and takes their writers:
    /// the process that keeps the index (the server), or a command that may create it.
    pub fn open(root: &Path) -> SearchResult<EmbeddedEngine> {
        std::fs::create_dir_all(root).or_engine("creating the index folder")?;
        Self::load(root, Writers::Take).map_err(Opening::into_error)
    }

    /// Opens the indexes that exist under `root` without creating anything: with their writers
    /// when they are free, read-only when another process (a running server) holds them. A
    /// read-only engine reads a snapshot taken at opening and refuses writes.
    pub fn open_existing(root: &Path) -> SearchResult<EmbeddedEngine> {
        match Self::load(root, Writers::Take) {
            Err(Opening::WriterBusy) => {
                Self::load(root, Writers::None).map_err(Opening::into_error)
            }
            opened => opened.map_err(Opening::into_error),
        }
    }

    /// Whether this process holds the writers; false for an engine opened read-only.
    pub fn holds_writer(&self) -> bool {
        self.inner.writers == Writers::Take
    }

    /// Whether an index of this name exists.
    pub fn contains(&self, index: &str) -> bool {
        self.inner.get(index).is_some()
    }

    fn load(root: &Path, writers: Writers) -> Result<EmbeddedEngine, Opening> {
        let manifest = Manifest::load(root)?;
        let schema = IndexSchema::new();
        let mut indexes = BTreeMap::new();
        for (name, folder) in &manifest.indexes {
            let handle = IndexHandle::open(root, folder.clone(), &schema, writers)?;
            indexes.insert(name.clone(), Arc::new(handle));
        }
        // Only a holder of the writers may tidy up: a server's rebuild in progress has a folder
        // that the manifest does not name yet.
        if writers == Writers::Take && root.is_dir() {
            manifest.remove_orphans(root)?;
        }
        Ok(EmbeddedEngine {
            inner: Arc::new(Inner {
                root: root.to_owned(),
                schema,
                dutch: Dutch::new(),
                indexes: RwLock::new(indexes),
                writers,
            }),
        })
    }

    /// Runs tantivy's blocking work off the async threads.
    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Inner) -> SearchResult<T> + Send + 'static,
    ) -> SearchResult<T> {
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || work(&inner))
            .await
            .or_engine("an index task")?
    }
}

impl Inner {
    fn get(&self, index: &str) -> Option<Arc<IndexHandle>> {
        self.indexes
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(index)
            .cloned()
    }

    fn existing(&self, index: &str) -> SearchResult<Arc<IndexHandle>> {
        self.get(index)
            .ok_or_else(|| SearchError::Engine(format!("embedded index {index} does not exist")))
    }

    /// The index, created if missing (as Meilisearch creates one on the first documents).
    fn prepared(&self, index: &str) -> SearchResult<Arc<IndexHandle>> {
        if let Some(handle) = self.get(index) {
            return Ok(handle);
        }
        if self.writers == Writers::None {
            return Err(read_only());
        }
        self.change(|indexes| {
            if !indexes.contains_key(index) {
                let folder = manifest::new_folder(index);
                let handle = IndexHandle::create(&self.root, folder, &self.schema)?;
                indexes.insert(index.to_owned(), Arc::new(handle));
            }
            Ok(())
        })?;
        self.existing(index)
    }

    /// Changes the name → index map: on a copy, saved to the manifest, and only then made the
    /// map, so memory never runs ahead of the disk.
    fn change<T>(
        &self,
        edit: impl FnOnce(&mut BTreeMap<String, Arc<IndexHandle>>) -> SearchResult<T>,
    ) -> SearchResult<T> {
        if self.writers == Writers::None {
            return Err(read_only());
        }
        // The map is replaced only whole (below), so a panic elsewhere cannot have left it half
        // changed.
        let mut indexes = self.indexes.write().unwrap_or_else(PoisonError::into_inner);
        let mut next = indexes.clone();
        let outcome = edit(&mut next)?;
        let manifest = Manifest {
            indexes: next
                .iter()
                .map(|(name, handle)| (name.clone(), handle.folder.clone()))
                .collect(),
        };
        manifest.save(&self.root)?;
        *indexes = next;
        Ok(outcome)
    }
}

#[async_trait]
impl SearchEngine for EmbeddedEngine {
    fn kind(&self) -> &'static str {
        "embedded"
    }

    async fn prepare(&self, index: &str) -> SearchResult<()> {
        let index = index.to_owned();
        self.blocking(move |inner| inner.prepared(&index).map(drop))
            .await
    }

    async fn upsert(&self, index: &str, documents: &[OfferingDocument]) -> SearchResult<()> {
        let (index, documents) = (index.to_owned(), documents.to_vec());
        self.blocking(move |inner| inner.prepared(&index)?.upsert(&documents))
            .await
    }

    async fn delete(&self, index: &str, ids: &[Uuid]) -> SearchResult<()> {
        let (index, ids) = (index.to_owned(), ids.to_vec());
        // Without the index there is nothing to delete.
        self.blocking(move |inner| inner.get(&index).map_or(Ok(()), |h| h.delete(&ids)))
            .await
    }

    async fn search(&self, index: &str, query: &SearchQuery) -> SearchResult<SearchResults> {
        let (index, query) = (index.to_owned(), query.clone());
        self.blocking(move |inner| {
            let snapshot = inner.existing(&index)?.snapshot();
            search::search(&snapshot, &inner.schema, &inner.dutch, &query)
        })
        .await
    }

    async fn documents(
        &self,
        index: &str,
        offset: usize,
        limit: usize,
    ) -> SearchResult<Vec<OfferingDocument>> {
        let index = index.to_owned();
        self.blocking(move |inner| {
            search::documents(&inner.existing(&index)?.snapshot(), offset, limit)
        })
        .await
    }

    async fn swap(&self, a: &str, b: &str) -> SearchResult<()> {
        let (a, b) = (a.to_owned(), b.to_owned());
        self.blocking(move |inner| {
            inner.change(|indexes| {
                let missing = |name: &str| {
                    SearchError::Engine(format!("embedded index {name} does not exist"))
                };
                let first = indexes.get(&a).cloned().ok_or_else(|| missing(&a))?;
                let second = indexes.get(&b).cloned().ok_or_else(|| missing(&b))?;
                indexes.insert(a.clone(), second);
                indexes.insert(b.clone(), first);
                Ok(())
            })
        })
        .await
    }

    async fn drop_index(&self, index: &str) -> SearchResult<()> {
        let index = index.to_owned();
        self.blocking(move |inner| {
            match inner.change(|indexes| Ok(indexes.remove(&index)))? {
                Some(handle) => handle.remove(),
                // Dropping what is not there leaves the same state: no error, as for deletes.
                None => Ok(()),
            }
        })
        .await
    }

    async fn health(&self) -> SearchResult<()> {
        self.blocking(|inner| {
            std::fs::metadata(&inner.root).or_engine("reading the index folder")?;
            let indexes: Vec<_> = inner
                .indexes
                .read()
                .unwrap_or_else(PoisonError::into_inner)
                .values()
                .cloned()
                .collect();
            for handle in indexes {
                handle
                    .snapshot()
                    .searcher
                    .search(&AllQuery, &Count)
                    .or_engine("searching")?;
            }
            Ok(())
        })
        .await
    }

    fn tenant_token(
        &self,
        _index: &str,
        _expires_at: chrono::DateTime<chrono::Utc>,
    ) -> SearchResult<String> {
        Err(SearchError::Unsupported(
            "tenant tokens need Meilisearch; the embedded index has none",
        ))
    }
}

fn read_only() -> SearchError {
    SearchError::Engine(
        "embedded index: opened read-only, because another process (the running server) holds \
         its writer"
            .into(),
    )
}

/// Tantivy and the file system fail with their own errors; this crate speaks `SearchError`.
trait OrEngine<T> {
    fn or_engine(self, doing: &str) -> SearchResult<T>;
}

impl<T, E: Display> OrEngine<T> for Result<T, E> {
    fn or_engine(self, doing: &str) -> SearchResult<T> {
        self.map_err(|e| SearchError::Engine(format!("embedded index: {doing}: {e}")))
    }
}
