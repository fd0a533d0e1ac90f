//! `GET /v1/taxonomy`: every code list of the domain with Dutch and English labels.

use actix_web::{HttpResponse, get};
use serde::Serialize;

use crate::domain::taxonomy::{self as t, Code, ServiceType};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Taxonomy {
    pub domains: &'static [Code],
    pub service_types: &'static [ServiceType],
    pub sectors: &'static [Code],
    /// The twelve provinces and `landelijk`.
    pub regions: Vec<Code>,
    pub formats: &'static [Code],
    pub delivery: &'static [Code],
    pub durations: &'static [Code],
    pub price_models: &'static [Code],
    pub units: &'static [Code],
    /// In rising order of strength.
    pub evidence_levels: &'static [Code],
    pub co_creation_phases: &'static [Code],
    pub themes: &'static [Code],
    pub provider_kinds: &'static [Code],
}

/// The taxonomy; public and cacheable.
#[utoipa::path(tag = "catalogue", responses((status = 200, body = Taxonomy)))]
#[get("/v1/taxonomy")]
pub async fn get_taxonomy() -> HttpResponse {
    let mut regions = t::PROVINCES.to_vec();
    regions.push(t::NATIONWIDE);
    HttpResponse::Ok()
        .insert_header(("Cache-Control", "public, max-age=3600"))
        .json(Taxonomy {
            domains: t::DOMAINS,
            service_types: t::SERVICE_TYPES,
            sectors: t::SECTORS,
            regions,
            formats: t::FORMATS,
            delivery: t::DELIVERY,
            durations: t::DURATIONS,
            price_models: t::PRICE_MODELS,
            units: t::UNITS,
            evidence_levels: t::EVIDENCE_LEVELS,
            co_creation_phases: t::CO_CREATION_PHASES,
            themes: t::THEMES,
            provider_kinds: t::PROVIDER_KINDS,
        })
}
