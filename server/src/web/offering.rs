//! `/aanbod/{id}`: one offering with every attribute under its Dutch label.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::db::models::offering::Offering;
use crate::db::models::organization::Organization;
use crate::domain::cost::{CostEstimate, PriceModel, Unit, offering_cost};
use crate::domain::{FieldError, OfferingId};
use crate::state::AppState;
use crate::usecases::offerings;
use crate::web::compare::{choose_more_href, parse_quantity};
use crate::web::error::{PageError, PageResult};
use crate::web::form::FormErrors;
use crate::web::format::{self, label, labels};
use crate::web::layout::{Layout, Section};
use crate::web::reviews::{self, ListQuery, ReviewsSection};
use crate::web::session::{Visitor, respond};
use crate::web::shortlist::SaveForm;
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
    /// The provider's public profile.
    provider_href: String,
    /// The search with this offering chosen to compare, to choose others beside it.
    compare_href: String,
    /// Label and value of each attribute, in the order shown.
    facts: Vec<(&'static str, String)>,
    long_term: bool,
    short_term: bool,
    sources: Vec<Source>,
    published_at: Option<String>,
    cost: CostView,
    errors: FormErrors,
    /// Saving this offering on a shortlist.
    save: SaveForm,
    reviews: ReviewsSection,
    /// What the visitor's last change to a review did.
    review_notice: Option<&'static str>,
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
            (_, Some(typed)) => match parse_quantity(QUANTITY, &typed) {
                Ok(n) => n,
                Err(error) => return (view, Some(error)),
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
                let what = model
                    .unit()
                    .map(|unit| format!("{}: ", t::quantity(quantity, unit)))
                    .unwrap_or_default();
                let amount = format::estimate(min_cents, max_cents, per_year);
                Some(format!("{what}{amount} ({})", t::PRICE_EXCL_VAT))
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
        save: SaveForm,
        reviews: ReviewsSection,
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
            paragraphs: format::paragraphs(&c.description),
            provider_name: provider.map(|p| p.name).unwrap_or_default(),
            provider_href: format!("/aanbieders/{}", offering.provider_id),
            compare_href: choose_more_href(&[&offering.id.to_string()]),
            facts,
            long_term: matches!(c.duration.as_str(), "traject" | "langdurig"),
            short_term: matches!(c.duration.as_str(), "eenmalig" | "kort"),
            sources,
            published_at: offering.published_at.map(format::date),
            cost,
            errors,
            save,
            reviews,
            review_notice: None,
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
    let save =
        SaveForm::for_visitor(&state, &visitor, vec![offering.id.to_string()], false).await?;
    let provider_name = provider
        .as_ref()
        .map(|p| p.name.clone())
        .unwrap_or_default();
    let reviews = ReviewsSection::load(
        &mut conn,
        &visitor,
        &offering,
        &provider_name,
        &ListQuery::of(&req),
        &state.config.reviews,
        state.clock.now(),
    )
    .await?;
    let mut page = OfferingPage::new(offering, provider, quantity, save, reviews);
    page.page = visitor.layout(page.page.title.clone(), Section::Other);
    page.review_notice = reviews::notice(&req);
    let status = if page.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    Ok(respond(&visitor.csrf, status, &page))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::compare::MAX_QUANTITY;

    #[test]
    fn the_dutch_quantity_message_states_the_domain_limit() {
        assert_eq!(MAX_QUANTITY, 1_000_000, "update text::QUANTITY_PROBLEM");
        assert!(t::QUANTITY_PROBLEM.contains("1.000.000"));
    }
}
