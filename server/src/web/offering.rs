//! `/aanbod/{id}`: one offering with every attribute under its Dutch label.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::db::models::offering::Offering;
use crate::db::models::organization::Organization;
use crate::domain::compare::MAX_QUANTITY;
use crate::domain::cost::{CostEstimate, PriceModel, Unit, offering_cost};
use crate::domain::{FieldError, OfferingId};
use crate::state::AppState;
use crate::usecases::offerings;
use crate::web::error::{PageError, PageResult};
use crate::web::form::FormErrors;
use crate::web::format::{self, label, labels};
use crate::web::layout::{Layout, Section, render};
use crate::web::session::Visitor;
use crate::web::text as t;

/// An evidence source: a link when it is a web address, text otherwise (never a `javascript:`
/// or other scheme as a link).
pub struct Source {
    pub text: String,
    pub link: bool,
}

#[derive(Template)]
#[template(path = "offering.html")]
pub struct OfferingPage {
    page: Layout,
    title: String,
    summary: String,
    /// The description's paragraphs (split at blank lines).
    paragraphs: Vec<String>,
    provider_name: String,
    /// Label and value of each attribute, in the order shown.
    facts: Vec<(&'static str, String)>,
    long_term: bool,
    short_term: bool,
    sources: Vec<Source>,
    published_at: Option<String>,
    cost: CostView,
    errors: FormErrors,
}

/// The estimate for a quantity the visitor types, in the price's own unit.
pub struct CostView {
    /// The quantity box, when the price is per a unit (not fixed, not on request).
    pub unit: Option<Unit>,
    /// What was typed, shown again as typed.
    pub typed: String,
    /// The estimate for a valid quantity; a fixed price needs none.
    pub result: Option<String>,
    pub on_request: bool,
}

/// The quantity parameter of the estimate form.
const QUANTITY: &str = "aantal";

impl CostView {
    /// The estimate for `typed` (empty: none asked yet), or the field error of a bad quantity.
    fn new(offering: &Offering, typed: Option<String>) -> (CostView, Option<FieldError>) {
        let c = &offering.content;
        let model = PriceModel::parse(&c.price_model).unwrap_or(PriceModel::OpAanvraag);
        let mut view = CostView {
            unit: model.unit(),
            typed: typed.clone().unwrap_or_default(),
            result: None,
            on_request: model == PriceModel::OpAanvraag,
        };
        let quantity = match (model, typed) {
            (PriceModel::VastePrijs, _) => 1,
            (_, None) => return (view, None),
            (_, Some(typed)) => match typed.trim().parse::<u64>() {
                Ok(n) if (1..=MAX_QUANTITY).contains(&n) => n,
                _ => {
                    let error = FieldError::new(
                        QUANTITY,
                        "out_of_range",
                        format!("must be a whole number from 1 to {MAX_QUANTITY}"),
                    );
                    return (view, Some(error));
                }
            },
        };
        let estimate = offering_cost(
            &c.price_model,
            c.price_min_cents,
            c.price_max_cents,
            quantity,
            None,
        );
        view.result = match estimate {
            CostEstimate::Estimate {
                min_cents,
                max_cents,
                per_year,
            } => {
                let amount = if min_cents == max_cents || max_cents == 0 {
                    format::euros(min_cents)
                } else {
                    format!(
                        "{} – {}",
                        format::euros(min_cents),
                        format::euros(max_cents)
                    )
                };
                let year = if per_year {
                    format!(" {}", t::PER_YEAR)
                } else {
                    String::new()
                };
                let what = model
                    .unit()
                    .map(|unit| format!("{}: ", t::quantity(quantity, unit)))
                    .unwrap_or_default();
                Some(format!("{what}{amount}{year} ({})", t::PRICE_EXCL_VAT))
            }
            // The page asks in the price's own unit, so neither can come from this form.
            CostEstimate::OnRequest | CostEstimate::UnitMismatch { .. } => None,
        };
        (view, None)
    }
}

impl OfferingPage {
    fn new(
        offering: Offering,
        provider: Option<Organization>,
        quantity: Option<String>,
    ) -> OfferingPage {
        let (cost, error) = CostView::new(&offering, quantity);
        let errors = FormErrors::from_fields(
            error.as_slice(),
            |_| cost.unit.as_ref().map_or("Aantal", t::quantity_label),
            |_| t::QUANTITY_PROBLEM,
            |_| "veld-aantal".to_owned(),
        );
        let c = &offering.content;
        let facts = vec![
            (t::DOMAIN, label("domain", &c.domain).to_owned()),
            (
                t::SERVICE_TYPE,
                label("service_type", &c.service_type).to_owned(),
            ),
            (t::SECTORS, labels("sector", &c.sectors)),
            (t::REGIONS, labels("region", &c.regions)),
            (t::FORMATS, labels("format", &c.formats)),
            (t::DELIVERY, labels("delivery", &c.delivery)),
            (t::DURATION, label("duration", &c.duration).to_owned()),
            (
                t::PRICE,
                format!(
                    "{} ({})",
                    format::price(&c.price_model, c.price_min_cents, c.price_max_cents),
                    t::PRICE_EXCL_VAT
                ),
            ),
            (
                t::EVIDENCE,
                label("evidence_level", &c.evidence_level).to_owned(),
            ),
            (t::CO_CREATION, labels("co_creation", &c.co_creation_phases)),
            (t::THEMES, labels("theme", &c.themes)),
        ];
        let sources = c
            .evidence_sources
            .iter()
            .map(|s| Source {
                text: s.clone(),
                link: s.starts_with("https://") || s.starts_with("http://"),
            })
            .collect();
        OfferingPage {
            page: Layout::new(c.title.clone(), Section::Other),
            title: c.title.clone(),
            summary: c.summary.clone(),
            paragraphs: c
                .description
                .split("\n\n")
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_owned)
                .collect(),
            provider_name: provider.map(|p| p.name).unwrap_or_default(),
            facts,
            long_term: matches!(c.duration.as_str(), "traject" | "langdurig"),
            short_term: matches!(c.duration.as_str(), "eenmalig" | "kort"),
            sources,
            published_at: offering.published_at.map(format::date),
            cost,
            errors,
        }
    }
}

/// The path's id is read as text: one that is no UUID names nothing, and gets the same Dutch
/// 404 page as an unknown one (not the API's problem+json).
pub async fn offering_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    visitor: Visitor,
) -> PageResult<HttpResponse> {
    let id: OfferingId = id.parse().map_err(|_| PageError::NotFound)?;
    let mut conn = state.conn().await?;
    // The use case decides what the visitor may see: published offerings, and a provider's
    // members their drafts too.
    let offering = offerings::get_offering(&mut conn, visitor.caller.as_ref(), id).await?;
    // Providers are public register data.
    let provider = Organization::find(&mut conn, offering.provider_id)
        .await
        .map_err(|e| PageError::Internal(e.into()))?;
    let quantity = form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(name, value)| name == QUANTITY && !value.trim().is_empty())
        // Enough for any quantity; the rest is not echoed back.
        .map(|(_, value)| value.chars().take(50).collect());
    let mut page = OfferingPage::new(offering, provider, quantity);
    page.page = visitor.layout(page.page.title.clone(), Section::Other);
    let status = if page.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    Ok(render(status, &page))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dutch_quantity_message_states_the_domain_limit() {
        assert_eq!(MAX_QUANTITY, 1_000_000, "update text::QUANTITY_PROBLEM");
        assert!(t::QUANTITY_PROBLEM.contains("1.000.000"));
    }
}
