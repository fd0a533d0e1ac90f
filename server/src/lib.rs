//! edumarkt: a marketplace and comparison service for educational services in Dutch schools.
//! This crate is the HTTP API, the database models and the `edumarkt` command.

pub mod auth;
pub mod authz;
pub mod bench;
pub mod cli;
pub mod clock;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod http;
pub mod import;
pub mod jobs;
pub mod limits;
pub mod mail;
pub mod metrics;
pub mod pg_cluster;
pub mod routes;
pub mod search;
pub mod seed;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod usecases;
pub mod web;
