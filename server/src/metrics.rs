//! Prometheus metrics: requests and latency per route, the pool, and the queues (depth, age of
//! the oldest row, sync lag). The queue figures are read from the database at scrape time, so
//! any `serve` process reports them for every process (workers open no HTTP port). Each app has
//! its own registry (tests run many apps in one process).

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{Error, web};
use chrono::{DateTime, Utc};
use prometheus::core::Collector;
use prometheus::{
    Encoder, GaugeVec, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, IntGaugeVec, Opts,
    Registry, TextEncoder,
};

use crate::error::ApiError;
use crate::state::AppState;

/// The most rows a scrape counts per outbox gauge; beyond it the gauge reads "at least this".
pub const OUTBOX_COUNT_CAP: i64 = 10_000;

pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    pool: IntGaugeVec,
    outbox: IntGaugeVec,
    oldest: GaugeVec,
    sync_lag: GaugeVec,
    attempts: IntGaugeVec,
    memory: IntGauge,
    queues_read: IntGauge,
}

/// The resident set of this process in bytes, from `/proc/self/status` (Linux); `None`
/// elsewhere. Read here rather than through the prometheus crate's `process` feature, which
/// would bring a crate of its own for this one line.
fn resident_memory_bytes() -> Option<i64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: i64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// The `outbox` label of a search index kind's outbox (`search_offerings`…).
fn search_outbox_label(kind: &str) -> String {
    format!("search_{kind}")
}

/// Seconds from `since` to `now`; 0 when nothing waits, and when `since` is ahead of the
/// clock (the database's and this machine's clocks may differ a little).
fn age(since: Option<DateTime<Utc>>, now: DateTime<Utc>) -> f64 {
    since.map_or(0.0, |since| {
        (now - since).num_milliseconds().max(0) as f64 / 1000.0
    })
}

fn register<C: Collector + Clone + 'static>(
    registry: &Registry,
    collector: C,
) -> anyhow::Result<C> {
    registry.register(Box::new(collector.clone()))?;
    Ok(collector)
}

impl Metrics {
    pub fn new() -> anyhow::Result<Self> {
        let registry = Registry::new_custom(Some("edumarkt".into()), None)?;
        let requests = IntCounterVec::new(
            Opts::new(
                "http_requests_total",
                "HTTP requests by route, method and status",
            ),
            &["route", "method", "status"],
        )?;
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "http_request_duration_seconds",
                "HTTP request latency by route",
            )
            .buckets(vec![
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
            ]),
            &["route", "method"],
        )?;
        let pool = IntGaugeVec::new(
            Opts::new(
                "db_pool_connections",
                "Database pool of the scraped process: max, open, idle connections, and callers waiting for one",
            ),
            &["state"],
        )?;
        let outbox = IntGaugeVec::new(
            Opts::new(
                "outbox_rows",
                format!(
                    "Rows waiting in an outbox (jobs: due now, per kind; search: not yet in the \
                     index, per index kind), and those that failed at least once; counted up to \
                     {OUTBOX_COUNT_CAP}"
                ),
            ),
            &["outbox", "state"],
        )?;
        let oldest = GaugeVec::new(
            Opts::new(
                "outbox_oldest_age_seconds",
                "Age of the oldest waiting row of an outbox (jobs: since the first due job came due), 0 when none waits",
            ),
            &["outbox"],
        )?;
        let sync_lag = GaugeVec::new(
            Opts::new(
                "search_sync_lag_seconds",
                "How stale searches of an index may be: age of the oldest change not yet in it, 0 when in step",
            ),
            &["index"],
        )?;
        let attempts = IntGaugeVec::new(
            Opts::new(
                "jobs_failing_attempts_max",
                "Most failed attempts of a job of this kind still retrying (jobs never give up), 0 when none fails",
            ),
            &["kind"],
        )?;
        let memory = IntGauge::new(
            "process_resident_memory_bytes",
            "Resident memory of the scraped process",
        )?;
        let queues_read = IntGauge::new(
            "metrics_queues_read",
            "1 when this scrape read the queue figures from the database, 0 when it could not \
             (the queue gauges then show the last figures read)",
        )?;
        Ok(Self {
            memory: register(&registry, memory)?,
            queues_read: register(&registry, queues_read)?,
            requests: register(&registry, requests)?,
            latency: register(&registry, latency)?,
            pool: register(&registry, pool)?,
            outbox: register(&registry, outbox)?,
            oldest: register(&registry, oldest)?,
            sync_lag: register(&registry, sync_lag)?,
            attempts: register(&registry, attempts)?,
            registry,
        })
    }

    /// Reads the gauges that are measured at scrape time, then renders every metric. A pool with
    /// nothing free answers 503 after the usual wait, as for any request.
    pub async fn render(&self, state: &AppState) -> Result<String, ApiError> {
        // Before this scrape asks for a connection itself, so `waiting` counts only others.
        let status = state.pool.status();
        for (label, value) in [
            ("max", status.max_size),
            ("open", status.size),
            ("idle", status.available),
            ("waiting", status.waiting),
        ] {
            self.pool
                .with_label_values(&[label])
                .set(i64::try_from(value).unwrap_or(i64::MAX));
        }
        if let Some(bytes) = resident_memory_bytes() {
            self.memory.set(bytes);
        }
        // The HTTP and pool figures matter most when the database does not answer: render them
        // anyway, and say that the queue figures could not be read.
        match self.read_queues(state).await {
            Ok(()) => self.queues_read.set(1),
            Err(error) => {
                tracing::warn!(error = %error, "metrics: the queue figures could not be read");
                self.queues_read.set(0);
            }
        }
        let mut buffer = Vec::new();
        TextEncoder::new()
            .encode(&self.registry.gather(), &mut buffer)
            .map_err(anyhow::Error::from)?;
        Ok(String::from_utf8(buffer).map_err(anyhow::Error::from)?)
    }

    /// The queue gauges, read from the database for every process at once.
    async fn read_queues(&self, state: &AppState) -> Result<(), ApiError> {
        let mut conn = state.conn().await?;
        let now = state.clock.now();
        let kinds: Vec<&str> = crate::jobs::JobKind::ALL
            .iter()
            .map(|kind| kind.as_str())
            .collect();
        let jobs =
            crate::jobs::storage::queue_per_kind(&mut conn, &kinds, now, OUTBOX_COUNT_CAP).await?;
        for queue in jobs {
            let kind = queue.kind.as_str();
            self.outbox
                .with_label_values(&[kind, "waiting"])
                .set(queue.due);
            self.outbox
                .with_label_values(&[kind, "failing"])
                .set(queue.failing);
            self.oldest
                .with_label_values(&[kind])
                .set(age(queue.oldest_due, now));
            self.attempts
                .with_label_values(&[kind])
                .set(i64::from(queue.attempts_max));
        }
        let search = edumarkt_search_sync::outbox::depth_per_kind(
            &mut conn,
            &edumarkt_search_sync::INDEX_KINDS,
            OUTBOX_COUNT_CAP,
        )
        .await?;
        for depth in search {
            let outbox = search_outbox_label(&depth.kind);
            self.outbox
                .with_label_values(&[&outbox, "waiting"])
                .set(depth.waiting);
            self.outbox
                .with_label_values(&[&outbox, "failing"])
                .set(depth.failing);
            let lag = age(depth.oldest, now);
            self.oldest.with_label_values(&[&outbox]).set(lag);
            self.sync_lag.with_label_values(&[&depth.kind]).set(lag);
        }
        Ok(())
    }
}

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let method = req.method().to_string();
    let started = std::time::Instant::now();
    let response = next.call(req).await?;
    if let Some(state) = state {
        // The route pattern, not the path, so ids do not explode the label space.
        let route = response
            .request()
            .match_pattern()
            .unwrap_or_else(|| "unmatched".into());
        let status = response.status().as_u16().to_string();
        state
            .metrics
            .requests
            .with_label_values(&[&route, &method, &status])
            .inc();
        state
            .metrics
            .latency
            .with_label_values(&[&route, &method])
            .observe(started.elapsed().as_secs_f64());
    }
    Ok(response)
}
