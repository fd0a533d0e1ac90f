//! `/v1/bundles`: demand bundles drafted by a network or board, joined by schools and boards.

use actix_web::{HttpResponse, HttpResponseBuilder, delete, get, patch, post, web};
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::auth::{Caller, MaybeCaller};
use crate::db::models::bundle::Bundle;
use crate::domain::award::PriceMethod;
use crate::domain::bundle::{BundleInput, BundleStatus, Move, ParticipationInput, Visibility};
use crate::domain::procurement::Regime;
use crate::domain::{BundleId, OfferId, OrganizationId};
use crate::error::ApiResult;
use crate::http::{ETag, IfMatch, JsonBody};
use crate::routes::{bundle_offers, bundle_questions, ocds};
use crate::state::AppState;
use crate::usecases::bundles::{self, BundleView};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(
        utoipa_actix_web::scope("/v1/bundles")
            .service(create_bundle)
            .service(get_bundle)
            .service(change_bundle)
            .service(open_bundle)
            .service(cancel_bundle)
            .service(join_bundle)
            .service(withdraw_from_bundle)
            .service(list_participants)
            .service(bundle_offers::submit_offer)
            .service(bundle_offers::list_offers)
            .service(bundle_offers::get_offer)
            .service(bundle_offers::change_offer)
            .service(bundle_offers::confirm_offer)
            .service(bundle_offers::withdraw_offer)
            .service(bundle_offers::score_offer)
            .service(bundle_offers::ranking)
            .service(bundle_offers::award_bundle)
            .service(ocds::bundle_ocds)
            .service(bundle_questions::ask_question)
            .service(bundle_questions::list_questions)
            .service(bundle_questions::answer_question),
    );
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NeedResponse {
    pub problem: String,
    pub goals: String,
    pub intended_result: String,
    pub success_measure: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TotalsResponse {
    pub quantity: i64,
    pub organizations: i32,
    pub budget_cents: i64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BundleResponse {
    pub id: BundleId,
    pub owner_organization_id: OrganizationId,
    pub title: String,
    pub need: NeedResponse,
    pub domain: String,
    pub service_type: String,
    pub sectors: Vec<String>,
    pub regions: Vec<String>,
    pub unit: String,
    /// `[{"code": "price", "weight": 40}, …]`, the weights summing to 100.
    #[schema(value_type = Vec<Object>)]
    pub criteria: serde_json::Value,
    pub price_method: PriceMethod,
    pub join_deadline: DateTime<Utc>,
    pub offer_deadline: DateTime<Utc>,
    pub visibility: Visibility,
    /// As of now: the deadlines move an open bundle to tendering and then to evaluating.
    pub status: BundleStatus,
    pub totals: TotalsResponse,
    /// What the participants budget, until offers come in.
    pub estimated_value_cents: i64,
    /// The procedure the estimated value calls for (see the README for the thresholds).
    pub procurement_regime: Option<Regime>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Once awarded: the winning offer, the owner's motivation and when.
    pub award: Option<AwardResponse>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AwardResponse {
    pub offer_id: OfferId,
    pub motivation: String,
    pub awarded_at: DateTime<Utc>,
}

impl From<BundleView> for BundleResponse {
    fn from(view: BundleView) -> Self {
        let b: Bundle = view.bundle;
        BundleResponse {
            id: b.id,
            owner_organization_id: b.owner_organization_id,
            title: b.title,
            need: NeedResponse {
                problem: b.need_problem,
                goals: b.need_goals,
                intended_result: b.need_intended_result,
                success_measure: b.need_success_measure,
            },
            domain: b.domain,
            service_type: b.service_type,
            sectors: b.sectors,
            regions: b.regions,
            unit: b.unit,
            criteria: b.criteria,
            price_method: b.price_method,
            join_deadline: b.join_deadline,
            offer_deadline: b.offer_deadline,
            visibility: b.visibility,
            status: view.status,
            totals: TotalsResponse {
                quantity: b.total_quantity,
                organizations: b.total_organizations,
                budget_cents: b.total_budget_cents,
            },
            estimated_value_cents: view.estimated_value_cents,
            procurement_regime: view.regime,
            version: b.version,
            created_at: b.created_at,
            updated_at: b.updated_at,
            award: match (b.awarded_offer_id, b.award_motivation, b.awarded_at) {
                (Some(offer_id), Some(motivation), Some(awarded_at)) => Some(AwardResponse {
                    offer_id,
                    motivation,
                    awarded_at,
                }),
                _ => None,
            },
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ParticipantResponse {
    pub organization_id: OrganizationId,
    pub quantity: i64,
    pub budget_cents: i64,
    pub wishes: Option<String>,
    pub joined_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ParticipantList {
    pub items: Vec<ParticipantResponse>,
}

pub(super) fn respond(view: BundleView, mut status: HttpResponseBuilder) -> HttpResponse {
    status
        .insert_header(ETag(view.bundle.version).header())
        .json(BundleResponse::from(view))
}

/// Draft a bundle for a network (its coordinator) or a school board (its officer).
#[utoipa::path(tag = "bundles", security(("bearer" = [])), request_body = BundleInput,
    responses((status = 201, body = BundleResponse)))]
#[post("")]
pub async fn create_bundle(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonBody<BundleInput>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let view = bundles::create_bundle(
        &mut conn,
        &caller,
        body.0,
        &state.config.tenders,
        state.clock.now(),
    )
    .await?;
    Ok(respond(view, HttpResponse::Created()))
}

/// A bundle: drafts to their owner only, network bundles to the network and to providers.
#[utoipa::path(tag = "bundles", responses((status = 200, body = BundleResponse)))]
#[get("/{id}")]
pub async fn get_bundle(
    state: web::Data<AppState>,
    caller: MaybeCaller,
    id: web::Path<BundleId>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let view = bundles::get_bundle(
        &mut conn,
        caller.as_ref(),
        id.into_inner(),
        &state.config.tenders,
        state.clock.now(),
    )
    .await?;
    Ok(respond(view, HttpResponse::Ok()))
}

/// Change what was drafted (its owner), sending the whole bundle again with the ETag last
/// read in `If-Match`; while it is a draft or open for joining.
#[utoipa::path(tag = "bundles", security(("bearer" = [])), request_body = BundleInput,
    params(("If-Match" = String, Header, description = "The ETag last read")),
    responses((status = 200, body = BundleResponse), (status = 409), (status = 412), (status = 428)))]
#[patch("/{id}")]
pub async fn change_bundle(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<BundleId>,
    if_match: IfMatch,
    body: JsonBody<BundleInput>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let view = bundles::change_bundle(
        &mut conn,
        &caller,
        id.into_inner(),
        bundles::BundleChange {
            expected: &if_match,
            input: body.0,
        },
        &state.config.tenders,
        &state.config.public_url,
        state.clock.now(),
    )
    .await?;
    Ok(respond(view, HttpResponse::Ok()))
}

async fn move_bundle(
    state: &AppState,
    caller: &Caller,
    id: BundleId,
    step: Move,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let view = bundles::move_bundle(
        &mut conn,
        caller,
        id,
        step,
        &state.config.tenders,
        state.clock.now(),
    )
    .await?;
    Ok(respond(view, HttpResponse::Ok()))
}

/// Open a draft for schools to join (its owner, before the joining deadline).
#[utoipa::path(tag = "bundles", security(("bearer" = [])),
    responses((status = 200, body = BundleResponse), (status = 409)))]
#[post("/{id}/open")]
pub async fn open_bundle(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<BundleId>,
) -> ApiResult<HttpResponse> {
    move_bundle(&state, &caller, id.into_inner(), Move::Open).await
}

/// Cancel a bundle before it is awarded (its owner).
#[utoipa::path(tag = "bundles", security(("bearer" = [])),
    responses((status = 200, body = BundleResponse), (status = 409)))]
#[post("/{id}/cancel")]
pub async fn cancel_bundle(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<BundleId>,
) -> ApiResult<HttpResponse> {
    move_bundle(&state, &caller, id.into_inner(), Move::Cancel).await
}

/// Join with a quantity, a budget and wishes, or change them, until the joining deadline (a
/// school's leader or a board's officer). 201 when the organisation joins, 200 on a change.
#[utoipa::path(tag = "bundles", security(("bearer" = [])), request_body = ParticipationInput,
    responses((status = 201, body = BundleResponse), (status = 200, body = BundleResponse), (status = 409)))]
#[post("/{id}/participants")]
pub async fn join_bundle(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<BundleId>,
    body: JsonBody<ParticipationInput>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let (view, joined) = bundles::join_bundle(
        &mut conn,
        &caller,
        id.into_inner(),
        body.0,
        &state.config.tenders,
        state.clock.now(),
    )
    .await?;
    let status = if joined {
        HttpResponse::Created()
    } else {
        HttpResponse::Ok()
    };
    Ok(respond(view, status))
}

/// Withdraw an organisation until the joining deadline (its managers).
#[utoipa::path(tag = "bundles", security(("bearer" = [])),
    responses((status = 200, body = BundleResponse), (status = 409)))]
#[delete("/{id}/participants/{organization_id}")]
pub async fn withdraw_from_bundle(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(BundleId, OrganizationId)>,
) -> ApiResult<HttpResponse> {
    let (id, organization_id) = path.into_inner();
    let mut conn = state.conn().await?;
    let view = bundles::withdraw_from_bundle(
        &mut conn,
        &caller,
        id,
        organization_id,
        &state.config.tenders,
        state.clock.now(),
    )
    .await?;
    Ok(respond(view, HttpResponse::Ok()))
}

/// Who joined, with their quantities, budgets and wishes (the bundle's owner).
#[utoipa::path(tag = "bundles", security(("bearer" = [])),
    responses((status = 200, body = ParticipantList)))]
#[get("/{id}/participants")]
pub async fn list_participants(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<BundleId>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let list =
        bundles::participants(&mut conn, &caller, id.into_inner(), state.clock.now()).await?;
    Ok(HttpResponse::Ok().json(ParticipantList {
        items: list
            .into_iter()
            .map(|p| ParticipantResponse {
                organization_id: p.organization_id,
                quantity: p.quantity,
                budget_cents: p.budget_cents,
                wishes: p.wishes,
                joined_at: p.joined_at,
                updated_at: p.updated_at,
            })
            .collect(),
    }))
}
