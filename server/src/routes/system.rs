//! Health, metrics and the API description.

use actix_web::{HttpResponse, ResponseError, get, web};
use diesel_async::RunQueryDsl;
use serde::Serialize;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// 200 while the process runs.
#[utoipa::path(tag = "system", responses((status = 200, description = "The process runs")))]
#[get("/health/live")]
pub async fn live() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "status": "live" }))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Readiness {
    pub status: &'static str,
    pub database: &'static str,
    pub search: &'static str,
}

/// Runs a readiness check with a time limit; the failure, if any, as a short reason.
async fn probe<E: std::fmt::Display>(
    part: &str,
    check: impl std::future::Future<Output = Result<(), E>>,
) -> Result<(), String> {
    match tokio::time::timeout(std::time::Duration::from_secs(2), check).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(error)) => {
            tracing::warn!(%error, part, "readiness check failed");
            Err(format!("{part}: not answering"))
        }
        Err(_) => Err(format!("{part}: timed out")),
    }
}

/// 200 only when the database and the search index answer and the index has every change that
/// is due; 503 naming the failing part, with Retry-After.
#[utoipa::path(tag = "system", responses((status = 200, body = Readiness)))]
#[get("/health/ready")]
pub async fn ready(state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let database = probe("database", async {
        let mut conn = state.pool.get().await.map_err(|e| e.to_string())?;
        diesel::sql_query("SELECT 1")
            .execute(&mut conn)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    });
    let search = probe("search index", state.search.engine.health());
    // Ready means searches find what the database holds: not while changes wait for the index
    // (on a new data folder, until the demo offerings are indexed).
    let in_step = async {
        let mut conn = state.pool.get().await.map_err(|e| e.to_string())?;
        let now = state.clock.now();
        match edumarkt_search_sync::outbox::catching_up(&mut conn, now).await {
            Ok(false) => Ok(()),
            Ok(true) => Err("search index: catching up with the database".to_owned()),
            Err(error) => {
                tracing::warn!(%error, "readiness: cannot read the search outbox");
                Err("search index: cannot tell whether it is in step".to_owned())
            }
        }
    };
    let (database, search, in_step) = tokio::join!(database, search, in_step);
    // One reason per part: a database that is gone says nothing about the index's step.
    let search = search.and(if database.is_ok() { in_step } else { Ok(()) });
    let failing: Vec<String> = [database.err(), search.err()]
        .into_iter()
        .flatten()
        .collect();
    if failing.is_empty() {
        Ok(HttpResponse::Ok().json(Readiness {
            status: "ready",
            database: "ok",
            search: "ok",
        }))
    } else {
        Ok(ApiError::Unavailable(failing.join("; ")).error_response())
    }
}

/// Prometheus metrics in the text format.
#[utoipa::path(tag = "system", responses((status = 200, content_type = "text/plain", body = String)))]
#[get("/metrics")]
pub async fn metrics(state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let text = state.metrics.render(&state).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(text))
}
