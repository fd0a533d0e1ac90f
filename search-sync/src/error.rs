//! The crate's one error type.

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The engine refused or failed a request (Meilisearch task failed, index I/O failed…).
    #[error("search engine: {0}")]
    Engine(String),
    /// The engine did not confirm in time.
    #[error("search engine did not answer within {0:?}")]
    Timeout(std::time::Duration),
    #[error("database: {0}")]
    Database(#[from] diesel::result::Error),
    #[error("database pool: {0}")]
    Pool(String),
    /// What this engine cannot do (tenant tokens on the embedded index).
    #[error("{0}")]
    Unsupported(&'static str),
}

pub type SearchResult<T> = Result<T, SearchError>;

impl From<diesel_async::pooled_connection::deadpool::PoolError> for SearchError {
    fn from(e: diesel_async::pooled_connection::deadpool::PoolError) -> Self {
        SearchError::Pool(e.to_string())
    }
}
