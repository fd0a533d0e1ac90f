//! Failed-login throttling, per account and per client address, over a sliding window read
//! from the injectable clock. Counting by the e-mail typed (not by account) keeps the answer the
//! same for registered and unknown addresses.
//!
//! The counters live in the process: with several instances behind a balancer each instance
//! throttles on its own, so the effective limit is the per-instance limit times the instances.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;

use chrono::{DateTime, Utc};

use crate::config::ThrottleConfig;

pub struct LoginThrottle {
    config: ThrottleConfig,
    failures: Mutex<Failures>,
}

#[derive(Default)]
struct Failures {
    by_account: HashMap<String, VecDeque<DateTime<Utc>>>,
    by_client: HashMap<IpAddr, VecDeque<DateTime<Utc>>>,
}

impl LoginThrottle {
    pub fn new(config: ThrottleConfig) -> Self {
        Self {
            config,
            failures: Mutex::new(Failures::default()),
        }
    }

    /// `Some(seconds)` to wait when either limit is reached.
    pub fn check(&self, account: &str, client: IpAddr, now: DateTime<Utc>) -> Option<u64> {
        let mut failures = self.lock();
        let window = self.config.window;
        let account_wait = wait(
            failures.by_account.get_mut(account),
            self.config.max_failures_per_account,
            window,
            now,
        );
        let client_wait = wait(
            failures.by_client.get_mut(&client),
            self.config.max_failures_per_client,
            window,
            now,
        );
        account_wait.max(client_wait)
    }

    pub fn record_failure(&self, account: &str, client: IpAddr, now: DateTime<Utc>) {
        let mut failures = self.lock();
        failures
            .by_account
            .entry(account.to_owned())
            .or_default()
            .push_back(now);
        failures.by_client.entry(client).or_default().push_back(now);
        // Bound memory: forget windows that have passed entirely.
        if failures.by_account.len() + failures.by_client.len() > 100_000 {
            let cutoff = now - self.config.window;
            failures
                .by_account
                .retain(|_, q| q.back().is_some_and(|t| *t > cutoff));
            failures
                .by_client
                .retain(|_, q| q.back().is_some_and(|t| *t > cutoff));
        }
    }

    /// A successful login clears the account's failures (not the address's).
    pub fn record_success(&self, account: &str) {
        self.lock().by_account.remove(account);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Failures> {
        self.failures
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn wait(
    queue: Option<&mut VecDeque<DateTime<Utc>>>,
    limit: u32,
    window: chrono::Duration,
    now: DateTime<Utc>,
) -> Option<u64> {
    let queue = queue?;
    while queue.front().is_some_and(|t| *t <= now - window) {
        queue.pop_front();
    }
    if queue.len() < limit as usize {
        return None;
    }
    // Blocked until the oldest failure in the window ages out.
    let oldest = *queue.front()?;
    let seconds = (oldest + window - now).num_seconds().max(1);
    Some(u64::try_from(seconds).unwrap_or(1))
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;

    fn throttle() -> LoginThrottle {
        LoginThrottle::new(ThrottleConfig {
            window: Duration::minutes(15),
            max_failures_per_account: 3,
            max_failures_per_client: 5,
        })
    }

    #[test]
    fn an_account_is_blocked_after_its_limit_until_the_window_passes() {
        let t = throttle();
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        let now = Utc::now();
        for _ in 0..3 {
            assert_eq!(t.check("a@b.nl", ip, now), None);
            t.record_failure("a@b.nl", ip, now);
        }
        let wait = t.check("a@b.nl", ip, now).unwrap();
        assert_eq!(wait, 15 * 60);
        assert_eq!(
            t.check("other@b.nl", "10.0.0.1".parse().unwrap(), now),
            None
        );
        assert_eq!(t.check("a@b.nl", ip, now + Duration::minutes(15)), None);
    }

    #[test]
    fn a_client_is_blocked_across_accounts() {
        let t = throttle();
        let ip: IpAddr = "192.0.2.7".parse().unwrap();
        let now = Utc::now();
        for i in 0..5 {
            t.record_failure(&format!("user{i}@b.nl"), ip, now);
        }
        assert!(t.check("fresh@b.nl", ip, now).is_some());
        assert_eq!(
            t.check("fresh@b.nl", "192.0.2.8".parse().unwrap(), now),
            None
        );
    }
}
