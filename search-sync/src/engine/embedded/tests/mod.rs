//! The embedded engine tested as the server uses it: through `SearchEngine`, on a fresh folder
//! per test.

mod lifecycle;
mod reference;
mod sorting;
mod text;

use tempfile::TempDir;
use uuid::Uuid;

use super::EmbeddedEngine;
use crate::document::OfferingDocument;
use crate::engine::SearchEngine;
use crate::query::{SearchQuery, SearchResults};

const INDEX: &str = "offerings_test";

struct TestEngine {
    engine: EmbeddedEngine,
    /// Kept so the folder lives as long as the engine.
    folder: TempDir,
}

impl TestEngine {
    async fn with(documents: &[OfferingDocument]) -> TestEngine {
        let folder = tempfile::tempdir().unwrap();
        let engine = TestEngine {
            engine: EmbeddedEngine::open(folder.path()).unwrap(),
            folder,
        };
        engine.offerings().prepare(INDEX).await.unwrap();
        if !documents.is_empty() {
            engine.offerings().upsert(INDEX, documents).await.unwrap();
        }
        engine
    }

    /// The engine as an offerings index's.
    fn offerings(&self) -> &dyn SearchEngine {
        &self.engine
    }

    async fn search(&self, query: &SearchQuery) -> SearchResults {
        self.offerings().search(INDEX, query).await.unwrap()
    }

    /// The titles a text search finds, best first.
    async fn titles(&self, q: &str) -> Vec<String> {
        let results = self.search(&text(q)).await;
        results.hits.into_iter().map(|hit| hit.title).collect()
    }

    /// The title found first for `q` (empty if nothing is).
    async fn first(&self, q: &str) -> String {
        self.titles(q).await.into_iter().next().unwrap_or_default()
    }

    async fn ids(&self, query: &SearchQuery) -> Vec<Uuid> {
        let results = self.search(query).await;
        results.hits.iter().map(|hit| hit.id).collect()
    }
}

/// A first page of 100 hits for `q`, by relevance, without filters.
fn text(q: &str) -> SearchQuery {
    SearchQuery {
        q: q.to_owned(),
        page: 1,
        per_page: 100,
        ..SearchQuery::default()
    }
}
