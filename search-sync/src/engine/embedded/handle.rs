//! One open index: its folder, its one writer (tantivy allows one per index), and the snapshot
//! searches read. A write commits and then publishes a new snapshot before it returns, so the
//! change is visible to every search that starts after.
//!
//! An index opened from disk does not say which kind it holds; the first use through a kind
//! binds it to that kind's schema (checked against the one on disk), and only then are the
//! snapshot's tables built, since they follow the kind's descriptor.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, PoisonError, RwLock};
use std::time::Instant;

use serde::de::DeserializeOwned;
use tantivy::directory::error::LockError;
use tantivy::index::SegmentId;
use tantivy::schema::{Field, Value};
use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, TantivyDocument,
    TantivyError, Term,
};
use uuid::Uuid;

use super::schema::{self, IndexSchema};
use super::table::SegmentTable;
use super::{Opening, OrEngine, Writers};
use crate::error::{SearchError, SearchResult};

/// The writer's indexing memory; tantivy flushes a segment when it is used up.
const WRITER_MEMORY: usize = 50_000_000;

/// A searcher and the tables of its segments, published together so a search never sees a
/// segment without its table.
pub(super) struct Snapshot {
    pub searcher: Searcher,
    /// By segment ordinal.
    pub tables: Vec<Arc<SegmentTable>>,
    /// The stored document's field.
    document: Field,
    /// Every live document by id, computed on first use: verification pages through all.
    by_id: OnceLock<Vec<(u128, DocAddress)>>,
}

impl Snapshot {
    pub fn by_id(&self) -> &[(u128, DocAddress)] {
        self.by_id.get_or_init(|| {
            let mut all = Vec::with_capacity(self.searcher.num_docs() as usize);
            let segments = self.searcher.segment_readers().iter().zip(&self.tables);
            for (ord, (segment, table)) in (0_u32..).zip(segments) {
                all.extend(
                    segment
                        .doc_ids_alive()
                        .map(|doc| (table.ids[doc as usize], DocAddress::new(ord, doc))),
                );
            }
            all.sort_unstable();
            all
        })
    }

    pub fn document<D: DeserializeOwned>(&self, address: DocAddress) -> SearchResult<D> {
        let stored: TantivyDocument = self.searcher.doc(address).or_engine("reading a hit")?;
        let json = stored
            .get_first(self.document)
            .and_then(|value| value.as_str())
            .ok_or_else(|| {
                SearchError::Engine("embedded index: a hit without its document".into())
            })?;
        serde_json::from_str(json).or_engine("reading a stored document")
    }
}

pub(super) struct IndexHandle {
    /// The folder's name under the engine's root.
    pub folder: String,
    path: PathBuf,
    /// The schema on disk.
    disk: tantivy::schema::Schema,
    id: Field,
    /// The kind's schema, once the index is bound to its kind.
    schema: OnceLock<Arc<IndexSchema>>,
    /// `None` once the index is dropped, or when it was opened read-only.
    writer: Mutex<Option<IndexWriter>>,
    reader: IndexReader,
    /// `None` until the index is bound.
    snapshot: RwLock<Option<Arc<Snapshot>>>,
}

impl IndexHandle {
    /// A new index of the kind `schema` describes.
    pub fn create(
        root: &Path,
        folder: String,
        schema: &Arc<IndexSchema>,
    ) -> SearchResult<IndexHandle> {
        let path = root.join(&folder);
        std::fs::create_dir_all(&path).or_engine("creating an index folder")?;
        let index =
            Index::create_in_dir(&path, schema.schema.clone()).or_engine("creating an index")?;
        let handle =
            IndexHandle::new(index, path, folder, Writers::Take).map_err(Opening::into_error)?;
        handle.bind(schema)?;
        Ok(handle)
    }

    /// An index on disk, not yet bound to a kind.
    pub fn open(root: &Path, folder: String, writers: Writers) -> Result<IndexHandle, Opening> {
        let path = root.join(&folder);
        let index = Index::open_in_dir(&path).or_engine(&format!("opening {}", path.display()))?;
        IndexHandle::new(index, path, folder, writers)
    }

    fn new(
        index: Index,
        path: PathBuf,
        folder: String,
        writers: Writers,
    ) -> Result<IndexHandle, Opening> {
        let disk = index.schema();
        let id = disk.get_field(schema::ID).map_err(|_| {
            Opening::Failed(SearchError::Engine(format!(
                "embedded index {} has no id field; drop it and reindex",
                path.display()
            )))
        })?;
        // Analysers are code, not data: tantivy stores only their names.
        index.tokenizers().register(schema::DUTCH, schema::dutch());
        index
            .tokenizers()
            .register(schema::DUTCH_WORDS, schema::dutch_words());
        let writer = match writers {
            Writers::None => None,
            Writers::Take => match index.writer(WRITER_MEMORY) {
                Ok(writer) => Some(writer),
                Err(TantivyError::LockFailure(LockError::LockBusy, _)) => {
                    return Err(Opening::WriterBusy);
                }
                Err(error) => {
                    let error = format!("embedded index: opening the index writer: {error}");
                    return Err(Opening::Failed(SearchError::Engine(error)));
                }
            },
        };
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .or_engine("opening an index reader")?;
        Ok(IndexHandle {
            folder,
            path,
            disk,
            id,
            schema: OnceLock::new(),
            writer: Mutex::new(writer),
            reader,
            snapshot: RwLock::new(None),
        })
    }

    /// Whether the index on disk was written with `schema` (the first use would bind it).
    pub fn written_with(&self, schema: &IndexSchema) -> bool {
        self.disk == schema.schema
    }

    /// Binds the index to the kind of `schema` (a no-op when it already is): refused when the
    /// index on disk was written with another schema, or is bound to another kind.
    pub fn bind(&self, schema: &Arc<IndexSchema>) -> SearchResult<()> {
        if self.schema.get().is_none() {
            if self.disk != schema.schema {
                return Err(SearchError::Engine(format!(
                    "embedded index {} was written with another schema than {}'s; drop it and \
                     reindex",
                    self.path.display(),
                    schema.descriptor.name
                )));
            }
            // Two first uses may race: both checked the same schema, one of them wins.
            let _ = self.schema.set(Arc::clone(schema));
        }
        match self.schema.get() {
            Some(bound) if bound.descriptor.name == schema.descriptor.name => Ok(()),
            Some(bound) => Err(SearchError::Engine(format!(
                "embedded index {} holds {}, not {}",
                self.folder, bound.descriptor.name, schema.descriptor.name
            ))),
            None => Err(SearchError::Engine("embedded index: binding failed".into())),
        }
    }

    fn bound(&self) -> SearchResult<&Arc<IndexSchema>> {
        self.schema.get().ok_or_else(|| {
            SearchError::Engine(format!(
                "embedded index {} is not bound to a kind",
                self.folder
            ))
        })
    }

    /// What searches read; the index must be bound.
    pub fn snapshot(&self) -> SearchResult<Arc<Snapshot>> {
        if let Some(snapshot) = &*self.snapshot.read().unwrap_or_else(PoisonError::into_inner) {
            return Ok(Arc::clone(snapshot));
        }
        let schema = self.bound()?;
        let mut slot = self
            .snapshot
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(snapshot) = &*slot {
            return Ok(Arc::clone(snapshot));
        }
        let snapshot = Arc::new(build_snapshot(&self.reader, schema, None)?);
        *slot = Some(Arc::clone(&snapshot));
        Ok(snapshot)
    }

    /// Whether the index answers a search (for health), bound or not.
    pub fn count(&self) -> SearchResult<usize> {
        self.reader
            .searcher()
            .search(&tantivy::query::AllQuery, &tantivy::collector::Count)
            .or_engine("searching")
    }

    /// Adds or replaces documents, each given with its id and as JSON; the index must be bound.
    pub fn upsert(&self, documents: &[(Uuid, serde_json::Value)]) -> SearchResult<()> {
        if documents.is_empty() {
            return Ok(());
        }
        let schema = self.bound()?;
        let documents = documents
            .iter()
            .map(|(id, json)| Ok((*id, schema.to_tantivy(*id, json)?)))
            .collect::<SearchResult<Vec<_>>>()?;
        self.write(|writer| {
            for (id, document) in documents {
                writer.delete_term(self.id_term(id));
                writer
                    .add_document(document)
                    .or_engine("adding a document")?;
            }
            Ok(())
        })
    }

    pub fn delete(&self, ids: &[Uuid]) -> SearchResult<()> {
        if ids.is_empty() {
            return Ok(());
        }
        self.write(|writer| {
            for &id in ids {
                writer.delete_term(self.id_term(id));
            }
            Ok(())
        })
    }

    fn id_term(&self, id: Uuid) -> Term {
        Term::from_field_text(self.id, &id.to_string())
    }

    /// Applies `changes`, commits, and publishes the result; a failed change is rolled back so
    /// no half of it reaches a later commit.
    fn write(
        &self,
        changes: impl FnOnce(&mut IndexWriter) -> SearchResult<()>,
    ) -> SearchResult<()> {
        // A panic mid-write leaves at most uncommitted changes, which the rollback below or the
        // next commit settles; the writer itself stays usable.
        let mut guard = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let writer = guard.as_mut().ok_or_else(|| {
            SearchError::Engine(
                "embedded index: the index was dropped, or is open read-only".into(),
            )
        })?;
        let started = Instant::now();
        let applied =
            changes(writer).and_then(|()| writer.commit().map(drop).or_engine("committing"));
        let committed = started.elapsed();
        if let Err(error) = applied {
            writer.rollback().or_engine("rolling back")?;
            return Err(error);
        }
        self.reader.reload().or_engine("reloading the reader")?;
        // An index not yet bound has no tables to keep: its first search builds them. Built
        // outside the lock, so searches go on meanwhile; writes are one at a time (the writer's
        // lock), so no other write publishes in between.
        let next = match self.schema.get() {
            Some(schema) => {
                let previous = self
                    .snapshot
                    .read()
                    .unwrap_or_else(PoisonError::into_inner)
                    .clone();
                Some(Arc::new(build_snapshot(
                    &self.reader,
                    schema,
                    previous.as_deref(),
                )?))
            }
            None => None,
        };
        *self
            .snapshot
            .write()
            .unwrap_or_else(PoisonError::into_inner) = next;
        // Commits (fsyncs) dominate; publishing is slow only when a merge made a big segment.
        tracing::debug!(folder = %self.folder, ?committed, published = ?started.elapsed() - committed, "embedded index write");
        Ok(())
    }

    /// Stops the writer (waiting for merges) and deletes the folder. Searches holding a
    /// snapshot finish on the files they have open.
    pub fn remove(&self) -> SearchResult<()> {
        let writer = self
            .writer
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(writer) = writer {
            writer
                .wait_merging_threads()
                .or_engine("stopping the writer")?;
        }
        std::fs::remove_dir_all(&self.path).or_engine("removing an index folder")
    }
}

/// The reader's current searcher with its tables, reusing those of `previous` for the segments
/// it already had.
fn build_snapshot(
    reader: &IndexReader,
    schema: &IndexSchema,
    previous: Option<&Snapshot>,
) -> SearchResult<Snapshot> {
    let known: HashMap<SegmentId, &Arc<SegmentTable>> = previous
        .map(|snapshot| {
            let ids = snapshot
                .searcher
                .segment_readers()
                .iter()
                .map(|s| s.segment_id());
            ids.zip(&snapshot.tables).collect()
        })
        .unwrap_or_default();
    let searcher = reader.searcher();
    let tables = searcher
        .segment_readers()
        .iter()
        .map(|segment| match known.get(&segment.segment_id()) {
            Some(table) => Ok(Arc::clone(table)),
            None => SegmentTable::build(segment, schema.descriptor).map(Arc::new),
        })
        .collect::<SearchResult<_>>()?;
    Ok(Snapshot {
        searcher,
        tables,
        document: schema.document,
        by_id: OnceLock::new(),
    })
}
