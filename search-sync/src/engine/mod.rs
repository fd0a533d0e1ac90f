//! One interface over the engines: Meilisearch in production, the embedded tantivy index by
//! default. Every write returns only after the engine confirmed it (Meilisearch: the task
//! succeeded; embedded: committed and visible to searches), so the outbox can then forget it.
//!
//! `Engine` is what does not depend on an index's kind (ids, swaps, drops, health);
//! `SearchEngine<K>` adds what does, for every kind `K` (offerings unless said), so one engine
//! serves every kind's indexes.

pub mod embedded;
pub mod meilisearch;

use std::future::Future;
use std::pin::Pin;

use async_trait::async_trait;
use uuid::Uuid;

use crate::document::Offerings;
use crate::error::SearchResult;
use crate::kind::IndexKind;
use crate::query::{SearchQuery, SearchResults};

/// The name of the live offerings index (before the deployment's prefix).
pub const OFFERINGS: &str = crate::document::OFFERINGS.name;

/// A write the engine has accepted but may not have applied yet. The engine applies an index's
/// writes in the order it accepted them, so a write accepted later can never be overtaken by
/// this one; awaiting it confirms it was applied, or says why not.
pub type Accepted = Pin<Box<dyn Future<Output = SearchResult<()>> + Send>>;

#[async_trait]
pub trait Engine: Send + Sync {
    /// `meilisearch` or `embedded`.
    fn kind(&self) -> &'static str;

    /// Removes documents by id; unknown ids are no error.
    async fn delete(&self, index: &str, ids: &[Uuid]) -> SearchResult<()>;

    /// Like `delete`, but returns once the engine has accepted the deletion (see
    /// `SearchEngine::enqueue_upsert`). By default, a deletion already confirmed.
    async fn enqueue_delete(&self, index: &str, ids: &[Uuid]) -> SearchResult<Accepted> {
        self.delete(index, ids).await?;
        Ok(Box::pin(std::future::ready(Ok(()))))
    }

    /// Exchanges the contents of two indexes atomically: searches see one or the other, whole.
    async fn swap(&self, a: &str, b: &str) -> SearchResult<()>;

    async fn drop_index(&self, index: &str) -> SearchResult<()>;

    /// Whether the engine answers (for /health/ready).
    async fn health(&self) -> SearchResult<()>;
}

#[async_trait]
pub trait SearchEngine<K: IndexKind = Offerings>: Engine {
    /// Creates the index if it does not exist and applies the kind's settings (before any
    /// document).
    async fn prepare(&self, index: &str) -> SearchResult<()>;

    /// Adds or replaces documents by id.
    async fn upsert(&self, index: &str, documents: &[K::Document]) -> SearchResult<()>;

    /// Like `upsert`, but returns once the engine has accepted the documents, so a bulk copy
    /// keeps several writes in flight. By default, an upsert already confirmed.
    async fn enqueue_upsert(
        &self,
        index: &str,
        documents: &[K::Document],
    ) -> SearchResult<Accepted> {
        self.upsert(index, documents).await?;
        Ok(Box::pin(std::future::ready(Ok(()))))
    }

    async fn search(&self, index: &str, query: &SearchQuery<K>) -> SearchResult<SearchResults<K>>;

    /// A page of stored documents in id order, for verification.
    async fn documents(
        &self,
        index: &str,
        offset: usize,
        limit: usize,
    ) -> SearchResult<Vec<K::Document>>;

    /// A search-only key for `tenant` (limited by the kind's tenant filter), valid until
    /// `expires_at` (Meilisearch's tenant tokens). The embedded index has no such thing.
    fn tenant_token(
        &self,
        index: &str,
        tenant: &K::Tenant,
        expires_at: chrono::DateTime<chrono::Utc>,
    ) -> SearchResult<String>;
}
