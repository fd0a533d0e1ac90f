//! `/aanbod/{id}`: one offering with every attribute under its Dutch label.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use uuid::Uuid;

use crate::db::models::offering::Offering;
use crate::db::models::organization::Organization;
use crate::state::AppState;
use crate::usecases::offerings;
use crate::web::error::{PageError, PageResult};
use crate::web::format::{self, label, labels};
use crate::web::layout::{Layout, Section, render};
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
}

impl OfferingPage {
    fn new(offering: Offering, provider: Option<Organization>) -> OfferingPage {
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
        }
    }
}

/// The path's id is read as text: one that is no UUID names nothing, and gets the same Dutch
/// 404 page as an unknown one (not the API's problem+json).
pub async fn offering_page(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> PageResult<HttpResponse> {
    let id = Uuid::parse_str(&id).map_err(|_| PageError::NotFound)?;
    let mut conn = state.conn().await?;
    // No session on the pages yet: everyone is anonymous, and sees published offerings only.
    let offering = offerings::get_offering(&mut conn, None, id).await?;
    // Providers are public register data.
    let provider = Organization::find(&mut conn, offering.provider_id)
        .await
        .map_err(|e| PageError::Internal(e.into()))?;
    Ok(render(
        StatusCode::OK,
        &OfferingPage::new(offering, provider),
    ))
}
