use actix_web::{HttpResponse, post, web};
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::error::ApiResult;
use crate::state::AppState;

/// Tenant tokens live this long: enough for a session of searching, short enough to be harmless.
const TOKEN_TTL_MINUTES: i64 = 15;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TenantToken {
    /// A search-only Meilisearch key limited to the index of published offerings.
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

/// A short-lived search-only token for querying Meilisearch directly, limited to published
/// offerings. With the embedded index (no Meilisearch) this is a 501. Meilisearch answers with
/// the index documents, not the API's hits: `published_at` in Unix seconds, and the attributes
/// only searching needs (`keywords`, `evidence_rank`, `price_group`, the price sorts' first
/// rule). Synonyms apply there as configured, but a typo of a synonym term is not corrected to
/// it as the API does.
#[utoipa::path(tag = "search", responses((status = 200, body = TenantToken)))]
#[post("/tenant-token")]
pub async fn create_tenant_token(state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let expires_at = state.clock.now() + chrono::Duration::minutes(TOKEN_TTL_MINUTES);
    let token = state
        .search
        .engine
        .tenant_token(state.search.index, &(), expires_at)?;
    Ok(HttpResponse::Ok().json(TenantToken { token, expires_at }))
}
