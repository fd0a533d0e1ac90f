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

use std::collections::{BTreeMap, HashMap};
use std::fmt::Display;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use async_trait::async_trait;
use uuid::Uuid;

use self::handle::IndexHandle;
use self::manifest::Manifest;
use self::schema::IndexSchema;
use self::text::Dutch;
use crate::engine::{Accepted, Engine, SearchEngine};
use crate::error::{SearchError, SearchResult};
use crate::kind::IndexKind;
use crate::query::{SearchQuery, SearchResults};

pub struct EmbeddedEngine {
    inner: Arc<Inner>,
    /// Whose turn it is to change the indexes: taken (first come, first served) before a write
    /// is accepted and held until it is applied, so writes apply in the order they were
    /// accepted (the engine's contract) while the caller prepares its next one.
    turn: Arc<tokio::sync::Mutex<()>>,
}

struct Inner {
    root: PathBuf,
    /// Per kind (by its name): its schema, built on first use.
    schemas: Mutex<HashMap<&'static str, Arc<IndexSchema>>>,
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

    /// Drops `index` when it was written with another schema than `K`'s (by an older edumarkt,
    /// before a field was added), which no search could open; says whether it did. Its
    /// documents come back from the database with a reindex.
    pub async fn drop_if_outdated<K: IndexKind>(&self, index: &str) -> SearchResult<bool> {
        let Some(handle) = self.inner.get(index) else {
            return Ok(false);
        };
        if handle.written_with(&self.inner.schema::<K>()) {
            return Ok(false);
        }
        Engine::drop_index(self, index).await?;
        Ok(true)
    }

    /// Whether an index of this name exists.
    pub fn contains(&self, index: &str) -> bool {
        self.inner.get(index).is_some()
    }

    fn load(root: &Path, writers: Writers) -> Result<EmbeddedEngine, Opening> {
        let manifest = Manifest::load(root)?;
        let mut indexes = BTreeMap::new();
        for (name, folder) in &manifest.indexes {
            let handle = IndexHandle::open(root, folder.clone(), writers)?;
            indexes.insert(name.clone(), Arc::new(handle));
        }
        // Only a holder of the writers may tidy up: a server's rebuild in progress has a folder
        // that the manifest does not name yet.
        if writers == Writers::Take && root.is_dir() {
            manifest.remove_orphans(root)?;
        }
        Ok(EmbeddedEngine {
            turn: Arc::default(),
            inner: Arc::new(Inner {
                root: root.to_owned(),
                schemas: Mutex::new(HashMap::new()),
                dutch: Dutch::new(),
                indexes: RwLock::new(indexes),
                writers,
            }),
        })
    }

    /// Accepts a change to the indexes: waits for its turn, then applies it off the async
    /// threads without waiting for that. A bulk copy reads its next page from the database
    /// while tantivy indexes and commits this one (a reindex went from 77% to … of the raw
    /// ingest rate).
    async fn accept(
        &self,
        change: impl FnOnce(&Inner) -> SearchResult<()> + Send + 'static,
    ) -> SearchResult<Accepted> {
        let turn = Arc::clone(&self.turn).lock_owned().await;
        let inner = Arc::clone(&self.inner);
        let applying = tokio::task::spawn_blocking(move || {
            let _turn = turn;
            change(&inner)
        });
        Ok(Box::pin(async move {
            applying.await.or_engine("an index task")?
        }))
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

    /// The kind's schema, built once per engine.
    fn schema<K: IndexKind>(&self) -> Arc<IndexSchema> {
        let descriptor = K::DESCRIPTOR;
        let mut schemas = self.schemas.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(
            schemas
                .entry(descriptor.name)
                .or_insert_with(|| Arc::new(IndexSchema::new(descriptor))),
        )
    }

    /// The index, bound to kind `K`.
    fn existing<K: IndexKind>(&self, index: &str) -> SearchResult<Arc<IndexHandle>> {
        let handle = self
            .get(index)
            .ok_or_else(|| SearchError::Engine(format!("embedded index {index} does not exist")))?;
        handle.bind(&self.schema::<K>())?;
        Ok(handle)
    }

    /// The index of kind `K`, created if missing (as Meilisearch creates one on the first
    /// documents).
    fn prepared<K: IndexKind>(&self, index: &str) -> SearchResult<Arc<IndexHandle>> {
        if self.get(index).is_some() {
            return self.existing::<K>(index);
        }
        if self.writers == Writers::None {
            return Err(read_only());
        }
        self.change(|indexes| {
            if !indexes.contains_key(index) {
                let folder = manifest::new_folder(index);
                let handle = IndexHandle::create(&self.root, folder, &self.schema::<K>())?;
                indexes.insert(index.to_owned(), Arc::new(handle));
            }
            Ok(())
        })?;
        self.existing::<K>(index)
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
impl Engine for EmbeddedEngine {
    fn kind(&self) -> &'static str {
        "embedded"
    }

    async fn delete(&self, index: &str, ids: &[Uuid]) -> SearchResult<()> {
        Engine::enqueue_delete(self, index, ids).await?.await
    }

    async fn enqueue_delete(&self, index: &str, ids: &[Uuid]) -> SearchResult<Accepted> {
        let (index, ids) = (index.to_owned(), ids.to_vec());
        // Without the index there is nothing to delete.
        self.accept(move |inner| inner.get(&index).map_or(Ok(()), |h| h.delete(&ids)))
            .await
    }

    async fn swap(&self, a: &str, b: &str) -> SearchResult<()> {
        let (a, b) = (a.to_owned(), b.to_owned());
        // In turn: a write accepted before the swap lands where its name pointed then.
        self.accept(move |inner| {
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
        .await?
        .await
    }

    async fn drop_index(&self, index: &str) -> SearchResult<()> {
        let index = index.to_owned();
        self.accept(move |inner| {
            match inner.change(|indexes| Ok(indexes.remove(&index)))? {
                Some(handle) => handle.remove(),
                // Dropping what is not there leaves the same state: no error, as for deletes.
                None => Ok(()),
            }
        })
        .await?
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
                handle.count()?;
            }
            Ok(())
        })
        .await
    }
}

#[async_trait]
impl<K: IndexKind> SearchEngine<K> for EmbeddedEngine {
    async fn prepare(&self, index: &str) -> SearchResult<()> {
        let index = index.to_owned();
        self.accept(move |inner| inner.prepared::<K>(&index).map(drop))
            .await?
            .await
    }

    async fn upsert(&self, index: &str, documents: &[K::Document]) -> SearchResult<()> {
        SearchEngine::<K>::enqueue_upsert(self, index, documents)
            .await?
            .await
    }

    async fn enqueue_upsert(
        &self,
        index: &str,
        documents: &[K::Document],
    ) -> SearchResult<Accepted> {
        // Serialised here, on the caller's thread, as Meilisearch's engine does: the index reads
        // every attribute by name from the JSON.
        let documents = documents
            .iter()
            .map(|doc| {
                Ok((
                    K::id(doc),
                    serde_json::to_value(doc).or_engine("serialising a document")?,
                ))
            })
            .collect::<SearchResult<Vec<_>>>()?;
        let index = index.to_owned();
        self.accept(move |inner| inner.prepared::<K>(&index)?.upsert(&documents))
            .await
    }

    async fn search(&self, index: &str, query: &SearchQuery<K>) -> SearchResult<SearchResults<K>> {
        let (index, query) = (index.to_owned(), query.clone());
        self.blocking(move |inner| {
            let handle = inner.existing::<K>(&index)?;
            search::search(
                &*handle.snapshot()?,
                &inner.schema::<K>(),
                &inner.dutch,
                &query,
            )
        })
        .await
    }

    async fn documents(
        &self,
        index: &str,
        offset: usize,
        limit: usize,
    ) -> SearchResult<Vec<K::Document>> {
        let index = index.to_owned();
        self.blocking(move |inner| {
            search::documents::<K>(&*inner.existing::<K>(&index)?.snapshot()?, offset, limit)
        })
        .await
    }

    fn tenant_token(
        &self,
        _index: &str,
        _tenant: &K::Tenant,
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
