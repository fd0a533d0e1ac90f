//! `GET /v1/compare`: two to six offerings side by side, with what each would cost for the
//! caller's quantity.

use actix_web::{HttpResponse, get, web};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::MaybeCaller;
use crate::authz::{self, OfferingAction};
use crate::db::models::offering::OfferingContent;
use crate::db::models::organization::Organization;
use crate::domain::Fields;
use crate::domain::cost::{self, CostEstimate, PriceModel, Unit};
use crate::domain::taxonomy;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub const MIN_ITEMS: usize = 2;
pub const MAX_ITEMS: usize = 6;
/// Larger quantities than any school or network buys; the cost arithmetic is safe beyond it.
pub const MAX_QUANTITY: u64 = 1_000_000;

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
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ComparedOffering {
    pub id: Uuid,
    pub provider_id: Uuid,
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

fn parse_ids(fields: &mut Fields, raw: &str) -> Vec<Uuid> {
    let mut ids = Vec::new();
    for (i, part) in raw
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .enumerate()
    {
        match Uuid::parse_str(part) {
            Ok(id) if ids.contains(&id) => {
                fields.push(format!("ids[{i}]"), "duplicate", "is listed twice")
            }
            Ok(id) => ids.push(id),
            Err(_) => fields.push(format!("ids[{i}]"), "invalid", "must be a UUID"),
        }
    }
    if !(MIN_ITEMS..=MAX_ITEMS).contains(&ids.len()) {
        fields.push(
            "ids",
            "out_of_range",
            format!("compare {MIN_ITEMS} to {MAX_ITEMS} offerings"),
        );
    }
    ids
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
    let mut fields = Fields::new();
    let ids = parse_ids(&mut fields, &params.ids);
    let quantity = params.quantity.unwrap_or(1);
    if !(1..=MAX_QUANTITY).contains(&quantity) {
        fields.push(
            "quantity",
            "out_of_range",
            format!("must be between 1 and {MAX_QUANTITY}"),
        );
    }
    let unit = params.unit.as_deref().and_then(|u| {
        let unit = Unit::parse(u);
        if unit.is_none() {
            fields.push(
                "unit",
                "unknown_code",
                format!("must be one of {}", taxonomy::codes(taxonomy::UNITS)),
            );
        }
        unit
    });
    if params
        .sector
        .as_deref()
        .is_some_and(|s| !taxonomy::is_code(taxonomy::SECTORS, s))
    {
        fields.push(
            "sector",
            "unknown_code",
            format!("must be one of {}", taxonomy::codes(taxonomy::SECTORS)),
        );
    }
    fields.finish()?;

    let mut conn = state.conn().await?;
    let mut offerings = Vec::with_capacity(ids.len());
    for (i, id) in ids.iter().enumerate() {
        match authz::offering(&mut conn, caller.as_ref(), *id, OfferingAction::Read).await {
            Ok((offering, _)) => offerings.push(offering),
            Err(ApiError::NotFound) => {
                return Err(ApiError::invalid(
                    format!("ids[{i}]"),
                    "not_found",
                    "no such published offering",
                ));
            }
            Err(other) => return Err(other),
        }
    }
    let providers = Organization::find_many(
        &mut conn,
        &offerings.iter().map(|o| o.provider_id).collect::<Vec<_>>(),
    )
    .await?;
    let documents = edumarkt_search_sync::projection::load(&mut conn, &ids).await?;
    let items = offerings
        .into_iter()
        .map(|o| {
            let provider = providers.iter().find(|p| p.id == o.provider_id);
            let document = documents.iter().find(|d| d.id == o.id);
            let c = o.content;
            let model = PriceModel::parse(&c.price_model).unwrap_or(PriceModel::OpAanvraag);
            // Without a unit, each offering is priced in its own unit.
            let wanted_unit = unit.or(model.unit()).unwrap_or(Unit::School);
            let cost = cost::estimate(
                model,
                c.price_min_cents.unwrap_or(0),
                c.price_max_cents.unwrap_or(0),
                quantity,
                wanted_unit,
            );
            ComparedOffering {
                id: o.id,
                provider_id: o.provider_id,
                provider_name: provider.map(|p| p.name.clone()).unwrap_or_default(),
                provider_kind: provider.and_then(|p| p.provider_kind.clone()),
                service_type_label: taxonomy::service_type(&c.service_type)
                    .map_or_else(|| c.service_type.clone(), |s| s.nl.to_owned()),
                long_term: matches!(c.duration.as_str(), "traject" | "langdurig"),
                cost,
                ratings: Ratings {
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
        })
        .collect();
    Ok(HttpResponse::Ok().json(Comparison {
        quantity,
        unit,
        sector: params.sector,
        items,
    }))
}
