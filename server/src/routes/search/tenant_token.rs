use actix_web::{HttpResponse, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::auth::MaybeCaller;
use crate::domain::DomainError;
use crate::error::ApiResult;
use crate::state::AppState;
use crate::usecases::bundle_search;

/// Tenant tokens live this long: enough for a session of searching, short enough to be harmless.
const TOKEN_TTL_MINUTES: i64 = 15;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TenantToken {
    /// A search-only Meilisearch key limited to one index (and, for bundles, to the caller's).
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TenantTokenQuery {
    /// `offerings` (the default; anyone) or `bundles` (providers' staff).
    pub index: Option<String>,
}

/// A short-lived search-only token for querying Meilisearch directly. With `index=offerings`
/// (the default) it opens the published offerings to anyone. With `index=bundles` it is for a
/// provider's staff (401 without a login, 403 for others) and carries the bundle search's rule
/// as its filter: the audiences the caller may read, and offer deadlines after the moment the
/// token was made (a bundle whose deadline passes while the token lives stays findable through
/// it until it expires, at most 15 minutes). With the embedded index (no Meilisearch) this is
/// a 501. Meilisearch answers with the index documents, not the API's hits: times in Unix
/// seconds (offerings) or milliseconds (bundles' deadlines), and the attributes only searching
/// needs (`keywords`, `evidence_rank`, `price_group`, `audience`). Synonyms apply there as
/// configured, but a typo of a synonym term is not corrected to it as the API does.
#[utoipa::path(tag = "search", params(TenantTokenQuery),
    responses((status = 200, body = TenantToken), (status = 401), (status = 403)))]
#[post("/tenant-token")]
pub async fn create_tenant_token(
    state: web::Data<AppState>,
    caller: MaybeCaller,
    query: web::Query<TenantTokenQuery>,
) -> ApiResult<HttpResponse> {
    let now = state.clock.now();
    let expires_at = now + chrono::Duration::minutes(TOKEN_TTL_MINUTES);
    let token = match query.index.as_deref() {
        None | Some("offerings") => {
            state
                .search
                .engine
                .tenant_token(state.search.index, &(), expires_at)?
        }
        Some("bundles") => {
            let caller = caller
                .as_ref()
                .ok_or_else(|| DomainError::Unauthenticated("log in to search bundles".into()))?;
            let tenant = {
                let mut conn = state.conn().await?;
                bundle_search::search_scope(&mut conn, caller, now).await?
            };
            state
                .search
                .bundles
                .tenant_token(state.search.bundles_index, &tenant, expires_at)?
        }
        Some(_) => {
            return Err(DomainError::invalid(
                "index",
                "unknown_code",
                "must be offerings or bundles",
            )
            .into());
        }
    };
    Ok(HttpResponse::Ok().json(TenantToken { token, expires_at }))
}
