//! Prometheus metrics: requests and latency per route, pool use and outbox depths. Each app
//! has its own registry (tests run many apps in one process).

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{Error, web};
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGaugeVec, Opts, Registry, TextEncoder,
};

use crate::state::AppState;

/// The most rows a scrape counts per outbox gauge; beyond it the gauge reads "at least this".
const OUTBOX_COUNT_CAP: i64 = 10_000;

pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    pool: IntGaugeVec,
    outbox: IntGaugeVec,
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
            Opts::new("db_pool_connections", "Database pool connections"),
            &["state"],
        )?;
        let outbox = IntGaugeVec::new(
            Opts::new(
                "outbox_rows",
                "Rows waiting in an outbox (jobs: due now, per kind), and those that failed at least once",
            ),
            &["outbox", "state"],
        )?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        registry.register(Box::new(pool.clone()))?;
        registry.register(Box::new(outbox.clone()))?;
        Ok(Self {
            registry,
            requests,
            latency,
            pool,
            outbox,
        })
    }

    /// Reads the gauges that are measured at scrape time, then renders every metric.
    pub async fn render(&self, state: &AppState) -> anyhow::Result<String> {
        let status = state.pool.status();
        self.pool
            .with_label_values(&["max"])
            .set(i64::try_from(status.max_size).unwrap_or(i64::MAX));
        self.pool
            .with_label_values(&["open"])
            .set(i64::try_from(status.size).unwrap_or(i64::MAX));
        self.pool
            .with_label_values(&["idle"])
            .set(i64::try_from(status.available).unwrap_or(i64::MAX));
        let mut conn = state.pool.get().await?;
        // Per job kind, `waiting` counts the jobs due now (not those scheduled for later).
        let jobs = crate::jobs::storage::depth(&mut conn, state.clock.now()).await?;
        for kind in crate::jobs::JobKind::ALL {
            let depth = jobs.get(kind.as_str()).copied().unwrap_or_default();
            self.outbox
                .with_label_values(&[kind.as_str(), "waiting"])
                .set(depth.due);
            self.outbox
                .with_label_values(&[kind.as_str(), "failing"])
                .set(depth.failing);
        }
        // Bounded: a scrape must not count a whole outbox that grew during an outage.
        let (waiting, failing) =
            edumarkt_search_sync::outbox::depth_bounded(&mut conn, OUTBOX_COUNT_CAP).await?;
        self.outbox
            .with_label_values(&["search", "waiting"])
            .set(waiting);
        self.outbox
            .with_label_values(&["search", "failing"])
            .set(failing);
        let mut buffer = Vec::new();
        TextEncoder::new().encode(&self.registry.gather(), &mut buffer)?;
        Ok(String::from_utf8(buffer)?)
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
