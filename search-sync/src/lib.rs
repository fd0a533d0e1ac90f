//! The search index of edumarkt: the offering document (the index contract), the index
//! settings, the outbox worker that keeps the index in step with the database, and the engines
//! behind one interface: Meilisearch in production, an embedded tantivy index by default. It
//! knows nothing of actix or of the server: it reads the outbox and the projection view.

pub mod document;
pub mod engine;
pub mod error;
pub mod kind;
pub mod outbox;
pub mod owner;
pub mod projection;
pub mod query;
pub mod reindex;
pub mod reindex_requests;
pub mod settings;
pub mod taxonomy;
pub mod verify;

pub use document::{OfferingDocument, OfferingFilters, Offerings};
pub use engine::SearchEngine;
pub use error::SearchError;
pub use kind::IndexKind;
pub use query::{SearchQuery, SearchResults};
