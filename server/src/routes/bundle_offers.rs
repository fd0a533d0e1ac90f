//! `/v1/bundles/{id}/offers`, `/ranking` and `/award`: sealed offers, their evaluation and the
//! award. Who reads what when is the use cases' (`usecases::offers`); these adapt HTTP. They
//! are served in the `/v1/bundles` scope of `routes::bundles` (one scope per prefix: actix
//! would not look past the first).

use std::collections::BTreeMap;

use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::auth::Caller;
use crate::db::models::offer::Offer;
use crate::domain::award::PriceMethod;
use crate::domain::offer::{AwardInput, OfferInput, OfferReader, ScoresInput};
use crate::domain::{BundleId, OfferId, OfferingId, OrganizationId};
use crate::error::ApiResult;
use crate::http::{ETag, IfMatch, JsonBody};
use crate::routes::bundles::{BundleResponse, respond};
use crate::state::AppState;
use crate::usecases::offers::{self, Ranking};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OfferResponse {
    pub id: OfferId,
    pub bundle_id: BundleId,
    pub provider_id: OrganizationId,
    pub offering_id: Option<OfferingId>,
    pub price_cents: i64,
    pub proposal: String,
    /// `{"fit": "…"}`: the answer per quality criterion.
    #[schema(value_type = Object)]
    pub criteria_answers: serde_json::Value,
    /// The owner changed the conditions after this offer: confirm or change it.
    pub needs_confirmation: bool,
    /// `live` or `withdrawn`.
    pub status: &'static str,
    pub withdrawn_at: Option<DateTime<Utc>>,
    /// The owner's scores (0-10) per quality criterion, once evaluating; to the owner only.
    #[schema(value_type = Object)]
    pub scores: Option<serde_json::Value>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// An offer's JSON; `with_scores` for the owner (a provider learns its score by mail).
fn offer_json(offer: Offer, with_scores: bool) -> OfferResponse {
    OfferResponse {
        id: offer.id,
        bundle_id: offer.bundle_id,
        provider_id: offer.provider_id,
        offering_id: offer.offering_id,
        price_cents: offer.price_cents,
        proposal: offer.proposal,
        criteria_answers: offer.criteria_answers,
        needs_confirmation: offer.needs_confirmation,
        status: if offer.withdrawn_at.is_some() {
            "withdrawn"
        } else {
            "live"
        },
        withdrawn_at: offer.withdrawn_at,
        scores: with_scores.then_some(offer.scores),
        version: offer.version,
        created_at: offer.created_at,
        updated_at: offer.updated_at,
    }
}

/// An offer answered to its provider (who learns its score by mail, not here).
fn offer_response(offer: Offer, mut status: actix_web::HttpResponseBuilder) -> HttpResponse {
    status
        .insert_header(ETag(offer.version).header())
        .json(offer_json(offer, false))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OfferList {
    pub items: Vec<OfferResponse>,
}

/// Submit a sealed offer while the bundle takes offers (a provider's staff). An offer at the
/// deadline or later is refused (409). With `Idempotency-Key`, a repeat of the same request
/// answers the first offer (header `Idempotent-Replayed: true`) instead of a second one; the
/// same key with another request is refused (422).
#[utoipa::path(tag = "bundles", security(("bearer" = [])), request_body = OfferInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a repeated submission create one offer")),
    responses((status = 201, body = OfferResponse), (status = 403), (status = 404), (status = 409), (status = 422)))]
#[post("/{id}/offers")]
pub async fn submit_offer(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    id: web::Path<BundleId>,
    body: JsonBody<OfferInput>,
) -> ApiResult<HttpResponse> {
    let key = match req.headers().get("Idempotency-Key") {
        None => None,
        Some(value) => Some(value.to_str().map_err(|_| {
            crate::domain::DomainError::invalid(
                "Idempotency-Key",
                "malformed",
                "visible ASCII characters only",
            )
        })?),
    };
    let mut conn = state.conn().await?;
    let (offer, replayed) = offers::submit_offer(
        &mut conn,
        &caller,
        id.into_inner(),
        body.0,
        key,
        state.clock.now(),
    )
    .await?;
    let mut response = HttpResponse::Created();
    if replayed {
        response.insert_header(("Idempotent-Replayed", "true"));
    }
    Ok(offer_response(offer, response))
}

/// The offers: all live ones to the owner after the offer deadline (403 before it, whatever
/// their number); a provider's own (withdrawn ones too) to its staff; to no one else.
#[utoipa::path(tag = "bundles", security(("bearer" = [])),
    responses((status = 200, body = OfferList), (status = 403), (status = 404)))]
#[get("/{id}/offers")]
pub async fn list_offers(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<BundleId>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let (list, reader) =
        offers::list_offers(&mut conn, &caller, id.into_inner(), state.clock.now()).await?;
    // The owner's list carries the scores; a provider's, its own offers without them.
    let owner = reader == OfferReader::Owner;
    Ok(HttpResponse::Ok().json(OfferList {
        items: list.into_iter().map(|o| offer_json(o, owner)).collect(),
    }))
}

/// One offer, to its provider, or to the owner after the offer deadline; to anyone else it
/// does not exist (404).
#[utoipa::path(tag = "bundles", security(("bearer" = [])),
    responses((status = 200, body = OfferResponse), (status = 404)))]
#[get("/{id}/offers/{offer_id}")]
pub async fn get_offer(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(BundleId, OfferId)>,
) -> ApiResult<HttpResponse> {
    let (id, offer_id) = path.into_inner();
    let mut conn = state.conn().await?;
    let (offer, reader) =
        offers::get_offer(&mut conn, &caller, id, offer_id, state.clock.now()).await?;
    Ok(HttpResponse::Ok()
        .insert_header(ETag(offer.version).header())
        .json(offer_json(offer, reader == OfferReader::Owner)))
}

/// Change the offer, sending it whole with the ETag last read in `If-Match`, until the offer
/// deadline (its provider); a change also confirms it after a change of the conditions.
#[utoipa::path(tag = "bundles", security(("bearer" = [])), request_body = OfferInput,
    params(("If-Match" = String, Header, description = "The ETag last read")),
    responses((status = 200, body = OfferResponse), (status = 404), (status = 409), (status = 412), (status = 428)))]
#[put("/{id}/offers/{offer_id}")]
pub async fn change_offer(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(BundleId, OfferId)>,
    if_match: IfMatch,
    body: JsonBody<OfferInput>,
) -> ApiResult<HttpResponse> {
    let (id, offer_id) = path.into_inner();
    let mut conn = state.conn().await?;
    let offer = offers::change_offer(
        &mut conn,
        &caller,
        id,
        offer_id,
        &if_match,
        body.0,
        state.clock.now(),
    )
    .await?;
    Ok(offer_response(offer, HttpResponse::Ok()))
}

/// Confirm the offer stands under the bundle's changed conditions (its provider).
#[utoipa::path(tag = "bundles", security(("bearer" = [])),
    responses((status = 200, body = OfferResponse), (status = 404), (status = 409)))]
#[post("/{id}/offers/{offer_id}/confirm")]
pub async fn confirm_offer(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(BundleId, OfferId)>,
) -> ApiResult<HttpResponse> {
    let (id, offer_id) = path.into_inner();
    let mut conn = state.conn().await?;
    let offer = offers::confirm_offer(&mut conn, &caller, id, offer_id, state.clock.now()).await?;
    Ok(offer_response(offer, HttpResponse::Ok()))
}

/// Withdraw the offer until the offer deadline, or as the winner after the award (the owner
/// may then award the next in rank).
#[utoipa::path(tag = "bundles", security(("bearer" = [])),
    responses((status = 200, body = OfferResponse), (status = 404), (status = 409)))]
#[post("/{id}/offers/{offer_id}/withdraw")]
pub async fn withdraw_offer(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(BundleId, OfferId)>,
) -> ApiResult<HttpResponse> {
    let (id, offer_id) = path.into_inner();
    let mut conn = state.conn().await?;
    let offer = offers::withdraw_offer(
        &mut conn,
        &caller,
        id,
        offer_id,
        &state.config.public_url,
        state.clock.now(),
    )
    .await?;
    Ok(offer_response(offer, HttpResponse::Ok()))
}

/// Score an offer's quality criteria, 0-10 each (the owner, after the offer deadline);
/// criteria not sent keep their score.
#[utoipa::path(tag = "bundles", security(("bearer" = [])), request_body = ScoresInput,
    responses((status = 200, body = OfferResponse), (status = 403), (status = 404), (status = 409), (status = 422)))]
#[post("/{id}/offers/{offer_id}/scores")]
pub async fn score_offer(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(BundleId, OfferId)>,
    body: JsonBody<ScoresInput>,
) -> ApiResult<HttpResponse> {
    let (id, offer_id) = path.into_inner();
    let mut conn = state.conn().await?;
    let offer =
        offers::score_offer(&mut conn, &caller, id, offer_id, body.0, state.clock.now()).await?;
    Ok(HttpResponse::Ok()
        .insert_header(ETag(offer.version).header())
        .json(offer_json(offer, true)))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RankedOfferResponse {
    pub rank: usize,
    pub offer_id: OfferId,
    pub provider_id: OrganizationId,
    pub price_cents: i64,
    /// Weighted total, 0-100.
    pub total: f64,
    /// The price's score, 0-10, by the bundle's price method.
    pub price_score: f64,
    /// The owner's scores, 0-10.
    pub quality_scores: BTreeMap<String, f64>,
    /// Quality criteria not scored yet (counted as 0).
    pub unscored: Vec<String>,
    /// More than 40% below the others' mean or 30% below the next: ask for an explanation.
    pub abnormally_low: bool,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RankingResponse {
    pub price_method: PriceMethod,
    /// How the price is scored, in words, with what the method implies for the ranking.
    pub price_method_explained: &'static str,
    pub weights: BTreeMap<String, u8>,
    pub items: Vec<RankedOfferResponse>,
}

impl From<Ranking> for RankingResponse {
    fn from(r: Ranking) -> Self {
        RankingResponse {
            price_method: r.method,
            price_method_explained: crate::domain::award::explain(r.method),
            weights: r
                .weights
                .iter()
                .map(|(c, w)| (c.as_str().to_owned(), *w))
                .collect(),
            items: r
                .offers
                .into_iter()
                .map(|o| RankedOfferResponse {
                    rank: o.rank,
                    offer_id: o.offer.id,
                    provider_id: o.offer.provider_id,
                    price_cents: o.offer.price_cents,
                    total: o.total,
                    price_score: o.price_score,
                    quality_scores: o
                        .quality_scores
                        .iter()
                        .map(|(c, s)| (c.as_str().to_owned(), *s))
                        .collect(),
                    unscored: o.unscored.iter().map(|c| c.as_str().to_owned()).collect(),
                    abnormally_low: o.abnormally_low,
                })
                .collect(),
        }
    }
}

/// The weighted ranking of the live offers, best first (the owner, after the offer deadline).
#[utoipa::path(tag = "bundles", security(("bearer" = [])),
    responses((status = 200, body = RankingResponse), (status = 403), (status = 404)))]
#[get("/{id}/ranking")]
pub async fn ranking(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<BundleId>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let ranking = offers::ranking(&mut conn, &caller, id.into_inner(), state.clock.now()).await?;
    Ok(HttpResponse::Ok().json(RankingResponse::from(ranking)))
}

/// Award the bundle to a live offer with a motivation (the owner, after the offer deadline;
/// again after a winner withdrew). Bidders learn their own score and rank by mail.
#[utoipa::path(tag = "bundles", security(("bearer" = [])), request_body = AwardInput,
    responses((status = 200, body = BundleResponse), (status = 403), (status = 404), (status = 409), (status = 422)))]
#[post("/{id}/award")]
pub async fn award_bundle(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<BundleId>,
    body: JsonBody<AwardInput>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let view = offers::award_bundle(
        &mut conn,
        &caller,
        id.into_inner(),
        body.0,
        &state.config.tenders,
        &state.config.public_url,
        state.clock.now(),
    )
    .await?;
    Ok(respond(view, HttpResponse::Ok()))
}
