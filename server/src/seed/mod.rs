//! Seed data. `demo` is the fixed set of accounts and organisations to log in with; `market`
//! generates a deterministic, realistic Dutch market of schools, networks, providers and
//! offerings, small for `edumarkt up` and large for benchmarks; `reviews` adds reviews at scale
//! to a market.

pub mod demo;
pub mod market;
pub mod reviews;
mod words;

pub use demo::{DEMO_OFFERING_COUNT, DEMO_PASSWORD, DEMO_USERS, is_empty, load_demo};
