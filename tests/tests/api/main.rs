//! End-to-end tests of edumarkt: its HTTP API, as a client sees it, and the `edumarkt` program.

mod auth;
mod cli;
mod helpers;
mod import;
mod mail;
mod me;
mod networks;
mod organizations;
mod plumbing;
mod tokens;
