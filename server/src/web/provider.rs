//! `/aanbieders/{id}`: a provider's public profile with its published offerings, found by the
//! search with the API's provider filter (`/v1/search/offerings?provider_id=`).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use edumarkt_search_sync::query::MAX_HITS;

use crate::db::models::organization::Organization;
use crate::domain::OrganizationId;
use crate::error::ApiError;
use crate::routes::search::params;
use crate::state::AppState;
use crate::usecases::organizations;
use crate::web::error::{PageError, PageResult};
use crate::web::format::{label, labels, paragraphs};
use crate::web::layout::{Layout, Section, render};
use crate::web::search::HitView;
use crate::web::session::Visitor;
use crate::web::text as t;

/// How many offerings the profile lists; past it, a link opens them all in the search.
const SHOWN: usize = 50;

#[derive(Template)]
#[template(path = "provider.html")]
pub struct ProviderPage {
    page: Layout,
    name: String,
    paragraphs: Vec<String>,
    facts: Vec<(&'static str, String)>,
    /// The provider's site, only when it is a web address (never another scheme as a link).
    website: Option<String>,
    offerings_heading: String,
    count: String,
    hits: Vec<HitView>,
    /// The search filtered to this provider, when it has more than are listed.
    all_href: Option<String>,
}

/// The path's id is read as text: one that is no UUID names nothing (a Dutch 404 page).
pub async fn provider_page(
    state: web::Data<AppState>,
    id: web::Path<String>,
    visitor: Visitor,
) -> PageResult<HttpResponse> {
    let id: OrganizationId = id.parse().map_err(|_| PageError::NotFound)?;
    let mut conn = state.conn().await?;
    let provider = organizations::public_provider(&mut conn, id).await?;
    drop(conn);
    let filter = format!("provider_id={id}");
    let query = params::parse(&format!("{filter}&sort=newest&per_page={SHOWN}"))?;
    let results = state
        .search
        .offerings(&query)
        .await
        .map_err(ApiError::from)?;
    let facts = profile_facts(&provider);
    let page = ProviderPage {
        page: visitor.layout(provider.name.clone(), Section::Other),
        offerings_heading: t::provider_offerings(&provider.name),
        paragraphs: paragraphs(provider.description.as_deref().unwrap_or_default()),
        website: provider
            .website
            .filter(|w| w.starts_with("https://") || w.starts_with("http://")),
        name: provider.name,
        facts,
        count: t::result_count(results.total, results.total >= MAX_HITS),
        hits: results.hits.iter().map(HitView::from).collect(),
        all_href: (results.total > SHOWN).then(|| format!("/?{filter}")),
    };
    Ok(render(StatusCode::OK, &page))
}

/// A provider's register facts under their Dutch labels, as its public profile shows them (the
/// dashboard shows the same, and more).
pub fn profile_facts(provider: &Organization) -> Vec<(&'static str, String)> {
    let mut facts = vec![(
        t::PROVIDER_KIND,
        provider
            .provider_kind
            .as_deref()
            .map_or(t::NONE_GIVEN, |k| label("provider_kind", k))
            .to_owned(),
    )];
    facts.push((t::REGIONS, labels("region", &provider.regions)));
    if !provider.sectors.is_empty() {
        facts.push((t::SECTORS, labels("sector", &provider.sectors)));
    }
    let location: Vec<&str> = [provider.city.as_deref(), provider.province.as_deref()]
        .into_iter()
        .flatten()
        .filter(|s| !s.trim().is_empty())
        .collect();
    if !location.is_empty() {
        facts.push((t::LOCATION, location.join(", ")));
    }
    if let Some(kvk) = provider.kvk_number.clone().filter(|k| !k.is_empty()) {
        facts.push((t::KVK_NUMBER, kvk));
    }
    facts
}
