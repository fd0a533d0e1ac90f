//! What every handler receives: the pool, the configuration, the clock and the shared services.

use std::sync::Arc;

use crate::auth::jwt::JwtKeys;
use crate::auth::throttle::LoginThrottle;
use crate::clock::SharedClock;
use crate::config::Config;
use crate::db::{DbConn, DbPool};
use crate::error::ApiError;
use crate::mail::Mailer;
use crate::metrics::Metrics;
use crate::search::Search;

pub struct AppState {
    pub pool: DbPool,
    pub config: Config,
    pub clock: SharedClock,
    pub jwt: JwtKeys,
    pub throttle: LoginThrottle,
    pub mailer: Arc<Mailer>,
    pub metrics: Metrics,
    pub search: Search,
}

impl AppState {
    /// A connection from the pool, waiting at most `db_pool_wait`: past that the request is
    /// answered 503 with `Retry-After` rather than joining an ever longer queue.
    pub async fn conn(&self) -> Result<DbConn, ApiError> {
        match tokio::time::timeout(self.config.db_pool_wait, self.pool.get()).await {
            Ok(conn) => Ok(conn?),
            Err(_) => {
                tracing::warn!(
                    wait = ?self.config.db_pool_wait,
                    "no database connection free in time; answering 503"
                );
                Err(ApiError::Unavailable(
                    "The server is busy; try again in a moment.".into(),
                ))
            }
        }
    }
}
