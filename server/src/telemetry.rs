//! Structured logs through tracing: JSON in production, readable lines locally. Request ids are
//! on each request's span (see `http::request_id`).

use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

pub fn init(format: LogFormat) {
    // The Meilisearch SDK warns of every answer it did not expect (a 404 we asked about on
    // purpose, a failure we report ourselves with its context): only its errors are news.
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,actix_server=warn,meilisearch_sdk=error"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    // A second init (tests build many apps) keeps the first subscriber.
    let _ = match format {
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .try_init(),
        LogFormat::Pretty => builder.try_init(),
    };
}
