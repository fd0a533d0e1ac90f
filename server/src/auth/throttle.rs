//! Failed-login throttling, per account and per client address, over a window read from the
//! injectable clock. Counting by the e-mail typed (not by account) keeps the answer the same
//! for registered and unknown addresses.
//!
//! The counters live in PostgreSQL (`limits::counter`), so every `serve` process on one
//! database sees the failures made through the others: the limit is the configured one however
//! many processes stand behind the balancer. A check and the failure counted after it are two
//! statements, so processes racing on one account may let a few attempts past the limit at
//! once; never more than one per process in flight.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use diesel_async::AsyncPgConnection;

use crate::config::ThrottleConfig;
use crate::limits::counter;

const ACCOUNT: &str = "login-account";
const CLIENT: &str = "login-client";

pub struct LoginThrottle {
    config: ThrottleConfig,
}

impl LoginThrottle {
    pub fn new(config: ThrottleConfig) -> Self {
        Self { config }
    }

    /// `Some(seconds)` to wait when either limit is reached.
    pub async fn check(
        &self,
        conn: &mut AsyncPgConnection,
        account: &str,
        client: IpAddr,
        now: DateTime<Utc>,
    ) -> diesel::QueryResult<Option<u64>> {
        let window = self.config.window;
        let account_wait = counter::current(conn, ACCOUNT, account, window, now)
            .await?
            .and_then(|w| w.wait(self.config.max_failures_per_account, window, now));
        let client_wait = counter::current(conn, CLIENT, &client.to_string(), window, now)
            .await?
            .and_then(|w| w.wait(self.config.max_failures_per_client, window, now));
        Ok(account_wait.max(client_wait))
    }

    pub async fn record_failure(
        &self,
        conn: &mut AsyncPgConnection,
        account: &str,
        client: IpAddr,
        now: DateTime<Utc>,
    ) -> diesel::QueryResult<()> {
        let window = self.config.window;
        counter::hit(conn, ACCOUNT, account, window, now).await?;
        counter::hit(conn, CLIENT, &client.to_string(), window, now).await?;
        Ok(())
    }

    /// A successful login clears the account's failures (not the address's).
    pub async fn record_success(
        &self,
        conn: &mut AsyncPgConnection,
        account: &str,
    ) -> diesel::QueryResult<()> {
        counter::clear(conn, ACCOUNT, account).await
    }
}
