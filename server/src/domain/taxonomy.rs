//! The taxonomy lives with the search index contract; see `edumarkt_search_sync::taxonomy`.

pub use edumarkt_search_sync::taxonomy::*;
