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
}

/// 200 only when the database answers; 503 naming the failing part otherwise. (The search
/// index joins this check when it exists.)
#[utoipa::path(tag = "system", responses((status = 200, body = Readiness)))]
#[get("/health/ready")]
pub async fn ready(state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let probe = async {
        let mut conn = state.pool.get().await.map_err(|e| e.to_string())?;
        diesel::sql_query("SELECT 1")
            .execute(&mut conn)
            .await
            .map_err(|e| e.to_string())
    };
    match tokio::time::timeout(std::time::Duration::from_secs(2), probe).await {
        Ok(Ok(_)) => Ok(HttpResponse::Ok().json(Readiness {
            status: "ready",
            database: "ok",
        })),
        Ok(Err(error)) => {
            tracing::warn!(%error, "readiness: the database does not answer");
            Err(ApiError::Unavailable("database: not answering".into()))
        }
        Err(_) => Err(ApiError::Unavailable("database: timed out".into())),
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
