//! `GET /v1/compare`: two to six offerings side by side, with what each would cost for the
//! caller's quantity.

use actix_web::{HttpResponse, get, web};
use serde::{Deserialize, Serialize};

use crate::auth::MaybeCaller;
use crate::db::models::offering::OfferingContent;
use crate::domain::compare::Comparison as CompareRequest;
use crate::domain::cost::{CostEstimate, Unit};
use crate::domain::review_stats::ReviewStats;
use crate::domain::taxonomy;
use crate::domain::{OfferingId, OrganizationId};
use crate::error::ApiResult;
use crate::state::AppState;
use crate::usecases::compare::{self, Compared};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct CompareParams {
    /// Two to six offering ids, comma-separated.
    pub ids: String,
    /// How many units the school needs (default 1).
    pub quantity: Option<u64>,
    /// `deelnemer`, `leerling`, `licentie`, `uur` or `school` (default: each offering's own unit).
    pub unit: Option<String>,
    /// The caller's sector, for ratings from reviewers in it.
    pub sector: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Ratings {
    pub review_count: i64,
    pub verified_review_count: i64,
    pub overall: Option<f64>,
    pub fit_with_practice: Option<f64>,
    pub expertise: Option<f64>,
    pub lasting_effect: Option<f64>,
    pub value_for_money: Option<f64>,
    pub teacher_involvement: Option<f64>,
    /// From reviewers in the requested `sector` only: absent unless more than 5 reviews from
    /// at least 3 schools form the group (the thresholds are settings), so no one in a small
    /// group can be singled out.
    pub sector: Option<ReviewStats>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ComparedOffering {
    pub id: OfferingId,
    pub provider_id: OrganizationId,
    pub provider_name: String,
    pub provider_kind: Option<String>,
    /// Every field the provider wrote (title, domain, prices, evidence, co-creation…).
    #[serde(flatten)]
    pub content: OfferingContent,
    pub service_type_label: String,
    /// `traject` or `langdurig`: long-term support, which the advice prefers over one-off help.
    pub long_term: bool,
    /// The cost for the requested quantity, or why it cannot be given.
    pub cost: CostEstimate,
    pub ratings: Ratings,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Comparison {
    pub quantity: u64,
    pub unit: Option<Unit>,
    pub sector: Option<String>,
    pub items: Vec<ComparedOffering>,
}

/// Two to six offerings side by side: attributes, the estimated cost for `quantity` `unit`s,
/// ratings per dimension, evidence, duration and co-creation.
#[utoipa::path(tag = "search", params(CompareParams), responses((status = 200, body = Comparison)))]
#[get("/v1/compare")]
pub async fn compare_offerings(
    state: web::Data<AppState>,
    caller: MaybeCaller,
    params: web::Query<CompareParams>,
) -> ApiResult<HttpResponse> {
    let params = params.into_inner();
    let request = CompareRequest::parse(
        &params.ids,
        params.quantity,
        params.unit.as_deref(),
        params.sector,
    )?;
    let mut conn = state.conn().await?;
    let compared =
        compare::compare_offerings(&mut conn, caller.as_ref(), &request, &state.config.reviews)
            .await?;
    Ok(HttpResponse::Ok().json(Comparison {
        quantity: request.quantity,
        unit: request.unit,
        sector: request.sector,
        items: compared.into_iter().map(ComparedOffering::from).collect(),
    }))
}

impl From<Compared> for ComparedOffering {
    fn from(compared: Compared) -> Self {
        let Compared {
            offering: o,
            provider,
            document,
            cost,
            sector_ratings,
        } = compared;
        let document = document.as_ref();
        let c = o.content;
        ComparedOffering {
            id: o.id,
            provider_id: o.provider_id,
            provider_name: provider
                .as_ref()
                .map(|p| p.name.clone())
                .unwrap_or_default(),
            provider_kind: provider.and_then(|p| p.provider_kind),
            service_type_label: taxonomy::service_type(&c.service_type)
                .map_or_else(|| c.service_type.clone(), |s| s.nl.to_owned()),
            long_term: matches!(c.duration.as_str(), "traject" | "langdurig"),
            cost,
            ratings: Ratings {
                sector: sector_ratings,
                review_count: document.map_or(0, |d| d.review_count),
                verified_review_count: document.map_or(0, |d| d.verified_review_count),
                overall: document.and_then(|d| d.rating_avg),
                fit_with_practice: document.and_then(|d| d.rating_fit_with_practice),
                expertise: document.and_then(|d| d.rating_expertise),
                lasting_effect: document.and_then(|d| d.rating_lasting_effect),
                value_for_money: document.and_then(|d| d.rating_value_for_money),
                teacher_involvement: document.and_then(|d| d.rating_teacher_involvement),
            },
            content: c,
        }
    }
}
