//! One interface over the engines: Meilisearch in production, the embedded tantivy index by
//! default. Every write returns only after the engine confirmed it (Meilisearch: the task
//! succeeded; embedded: committed and visible to searches), so the outbox can then forget it.

pub mod embedded;
pub mod meilisearch;

use async_trait::async_trait;
use uuid::Uuid;

use crate::document::OfferingDocument;
use crate::error::SearchResult;
use crate::query::{SearchQuery, SearchResults};

/// The name of the live offerings index (before the deployment's prefix).
pub const OFFERINGS: &str = "offerings";

#[async_trait]
pub trait SearchEngine: Send + Sync {
    /// `meilisearch` or `embedded`.
    fn kind(&self) -> &'static str;

    /// Creates the index if it does not exist and applies the settings (before any document).
    async fn prepare(&self, index: &str) -> SearchResult<()>;

    /// Adds or replaces documents by id.
    async fn upsert(&self, index: &str, documents: &[OfferingDocument]) -> SearchResult<()>;

    /// Removes documents by id; unknown ids are no error.
    async fn delete(&self, index: &str, ids: &[Uuid]) -> SearchResult<()>;

    async fn search(&self, index: &str, query: &SearchQuery) -> SearchResult<SearchResults>;

    /// A page of stored documents in id order, for verification.
    async fn documents(
        &self,
        index: &str,
        offset: usize,
        limit: usize,
    ) -> SearchResult<Vec<OfferingDocument>>;

    /// Exchanges the contents of two indexes atomically: searches see one or the other, whole.
    async fn swap(&self, a: &str, b: &str) -> SearchResult<()>;

    async fn drop_index(&self, index: &str) -> SearchResult<()>;

    /// Whether the engine answers (for /health/ready).
    async fn health(&self) -> SearchResult<()>;

    /// A search-only key limited to published offerings, valid until `expires_at` (Meilisearch's
    /// tenant tokens). The embedded index has no such thing.
    fn tenant_token(
        &self,
        index: &str,
        expires_at: chrono::DateTime<chrono::Utc>,
    ) -> SearchResult<String>;
}
