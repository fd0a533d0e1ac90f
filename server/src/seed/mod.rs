//! Seed data. `demo` is the fixed set of accounts and organisations to log in with; `market`
//! generates a deterministic, realistic Dutch market of schools, networks, providers and
//! offerings, small for `edumarkt up` and large for benchmarks.

pub mod demo;
pub mod market;
mod words;

pub use demo::{DEMO_OFFERING_COUNT, DEMO_PASSWORD, DEMO_USERS, is_empty, load_demo};
