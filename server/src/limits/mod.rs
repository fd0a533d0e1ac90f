//! Limits that hold across every `serve` process on one database: windowed counters in
//! PostgreSQL (`counter`), the per-client request limits on the public and authentication
//! routes (`rate`), and the request timeout (`timeout`).

pub mod counter;
pub mod rate;
pub mod timeout;
