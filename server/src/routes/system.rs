//! Health, metrics and the API description.

use actix_web::{HttpResponse, get, web};
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

/// 200 only when the database and the search index answer; 503 naming the failing part.
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
    let (database, search) = tokio::join!(database, search);
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
        Err(ApiError::Unavailable(failing.join("; ")))
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
