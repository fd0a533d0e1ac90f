//! `/v1/providers/{id}/interest-profiles`: which opening bundles a provider's staff want to
//! hear of (registered in the providers' scope, see `routes::offerings`).

use actix_web::{HttpResponse, delete, get, post, web};
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::auth::Caller;
use crate::db::models::interest_profile::InterestProfileRow;
use crate::domain::interest_profile::InterestProfileInput;
use crate::domain::{InterestProfileId, OrganizationId, UserId};
use crate::error::ApiResult;
use crate::http::JsonBody;
use crate::state::AppState;
use crate::usecases::interest_profiles;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct InterestProfileResponse {
    pub id: InterestProfileId,
    pub provider_id: OrganizationId,
    /// Who saved it: the staff member mailed when a matching bundle opens.
    pub user_id: UserId,
    pub name: String,
    pub domain: Option<String>,
    pub service_types: Vec<String>,
    pub sectors: Vec<String>,
    pub regions: Vec<String>,
    pub keywords: Vec<String>,
    pub created_at: DateTime<Utc>,
}

impl From<InterestProfileRow> for InterestProfileResponse {
    fn from(row: InterestProfileRow) -> Self {
        InterestProfileResponse {
            id: row.id,
            provider_id: row.provider_id,
            user_id: row.user_id,
            name: row.name,
            domain: row.domain,
            service_types: row.service_types,
            sectors: row.sectors,
            regions: row.regions,
            keywords: row.keywords,
            created_at: row.created_at,
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct InterestProfileList {
    pub items: Vec<InterestProfileResponse>,
}

/// Save an interest profile (the provider's staff): when a bundle opens whose domain, service
/// type, sectors, regions and keywords match (an empty list matches anything; `landelijk`
/// matches every region), the staff member who saved it gets one mail about it.
#[utoipa::path(tag = "bundles", security(("bearer" = [])), request_body = InterestProfileInput,
    responses((status = 201, body = InterestProfileResponse), (status = 403), (status = 404), (status = 409)))]
#[post("/{provider_id}/interest-profiles")]
pub async fn create_interest_profile(
    state: web::Data<AppState>,
    caller: Caller,
    provider_id: web::Path<OrganizationId>,
    body: JsonBody<InterestProfileInput>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let row = interest_profiles::create_interest_profile(
        &mut conn,
        &caller,
        provider_id.into_inner(),
        body.0,
        state.clock.now(),
    )
    .await?;
    Ok(HttpResponse::Created().json(InterestProfileResponse::from(row)))
}

/// The provider's interest profiles, oldest first (its staff only).
#[utoipa::path(tag = "bundles", security(("bearer" = [])),
    responses((status = 200, body = InterestProfileList), (status = 403), (status = 404)))]
#[get("/{provider_id}/interest-profiles")]
pub async fn list_interest_profiles(
    state: web::Data<AppState>,
    caller: Caller,
    provider_id: web::Path<OrganizationId>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let rows =
        interest_profiles::list_interest_profiles(&mut conn, &caller, provider_id.into_inner())
            .await?;
    Ok(HttpResponse::Ok().json(InterestProfileList {
        items: rows
            .into_iter()
            .map(InterestProfileResponse::from)
            .collect(),
    }))
}

/// Delete one of the provider's interest profiles (its staff only).
#[utoipa::path(tag = "bundles", security(("bearer" = [])),
    responses((status = 204), (status = 403), (status = 404)))]
#[delete("/{provider_id}/interest-profiles/{profile_id}")]
pub async fn delete_interest_profile(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(OrganizationId, InterestProfileId)>,
) -> ApiResult<HttpResponse> {
    let (provider_id, profile_id) = path.into_inner();
    let mut conn = state.conn().await?;
    interest_profiles::delete_interest_profile(&mut conn, &caller, provider_id, profile_id).await?;
    Ok(HttpResponse::NoContent().finish())
}
