use actix_web::{HttpResponse, patch, web};
use serde::Deserialize;

use crate::auth::Caller;
use crate::domain::OfferingId;
use crate::domain::offering::OfferingInput;
use crate::error::ApiResult;
use crate::http::{IfMatch, JsonBody};
use crate::routes::offerings::OfferingResponse;
use crate::state::AppState;
use crate::usecases::offerings;

/// The fields to change; absent ones stay. Prices can be cleared with `null` (for "on request").
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfferingPatch {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub domain: Option<String>,
    pub service_type: Option<String>,
    pub sectors: Option<Vec<String>>,
    pub regions: Option<Vec<String>>,
    pub formats: Option<Vec<String>>,
    pub delivery: Option<Vec<String>>,
    pub duration: Option<String>,
    pub price_model: Option<String>,
    #[serde(default, deserialize_with = "crate::http::json::nullable")]
    #[schema(value_type = Option<i64>)]
    pub price_min_cents: Option<Option<i64>>,
    #[serde(default, deserialize_with = "crate::http::json::nullable")]
    #[schema(value_type = Option<i64>)]
    pub price_max_cents: Option<Option<i64>>,
    pub evidence_level: Option<String>,
    pub evidence_sources: Option<Vec<String>>,
    pub co_creation_phases: Option<Vec<String>>,
    pub themes: Option<Vec<String>>,
}

impl OfferingPatch {
    /// The offering as it would be after the patch; validated as a whole, so rules across
    /// fields (a service type in its domain) hold after every edit.
    fn apply(self, mut input: OfferingInput) -> OfferingInput {
        macro_rules! take {
            ($($field:ident),*) => { $( if let Some(value) = self.$field { input.$field = value; } )* };
        }
        take!(
            title,
            summary,
            description,
            domain,
            service_type,
            sectors,
            regions,
            formats,
            delivery,
            duration,
            price_model,
            price_min_cents,
            price_max_cents,
            evidence_level,
            evidence_sources,
            co_creation_phases,
            themes
        );
        input
    }
}

/// Change an offering (the provider's staff). Needs `If-Match`; the change is recorded in the
/// offering's history.
#[utoipa::path(tag = "catalogue", security(("bearer" = [])), request_body = OfferingPatch,
    params(("If-Match" = String, Header, description = "The ETag last read")),
    responses((status = 200, body = OfferingResponse)))]
#[patch("/{id}")]
pub async fn update_offering(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<OfferingId>,
    if_match: IfMatch,
    body: JsonBody<OfferingPatch>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let patch = body.0;
    let updated = offerings::update_offering(
        &mut conn,
        &caller,
        id.into_inner(),
        &if_match,
        |current| patch.apply(current),
        state.clock.now(),
    )
    .await?;
    Ok(OfferingResponse::respond(updated, HttpResponse::Ok()))
}
