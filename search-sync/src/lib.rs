//! The search indexes of edumarkt: index kinds (`kind`: a document, its projection, a descriptor
//! of its settings; offerings in `document` are the first, open bundles in `bundle` the
//! second), the shared Dutch text settings, the outbox worker that keeps each kind's index in
//! step with the database, reindex and verify, and the engines behind one interface for every
//! kind: Meilisearch in production, an embedded tantivy index by default. It knows nothing of
//! actix or of the server: it reads the outbox and the projection views.

pub mod bundle;
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

pub use bundle::{BundleDocument, BundleFilters, Bundles};
pub use document::{OfferingDocument, OfferingFilters, Offerings};
pub use engine::SearchEngine;
pub use error::SearchError;
pub use kind::IndexKind;
pub use query::{SearchQuery, SearchResults};

/// Every index kind's name (its outbox rows' `kind`), for what reports on each of them.
pub const INDEX_KINDS: [&str; 2] = [document::OFFERINGS.name, bundle::BUNDLES.name];
