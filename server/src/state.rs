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
    pub async fn conn(&self) -> Result<DbConn, ApiError> {
        Ok(self.pool.get().await?)
    }
}
