use actix_web::HttpResponse;
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::db::models::organization::Organization;
use crate::domain::{OrganizationId, OrganizationKind};
use crate::http::ETag;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OrganizationResponse {
    pub id: OrganizationId,
    pub kind: OrganizationKind,
    pub name: String,
    pub kvk_number: Option<String>,
    pub provider_kind: Option<String>,
    pub brin: Option<String>,
    pub board_number: Option<String>,
    pub board_id: Option<OrganizationId>,
    pub sectors: Vec<String>,
    pub province: Option<String>,
    pub website: Option<String>,
    pub description: Option<String>,
    /// Providers: the regions they work in (provinces or `landelijk`).
    pub regions: Vec<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    /// Schools and boards: from DUO's register.
    pub denomination: Option<String>,
    pub city: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Organization> for OrganizationResponse {
    fn from(o: Organization) -> Self {
        Self {
            id: o.id,
            kind: o.kind,
            name: o.name,
            kvk_number: o.kvk_number,
            provider_kind: o.provider_kind,
            brin: o.brin,
            board_number: o.board_number,
            board_id: o.board_id,
            sectors: o.sectors,
            province: o.province,
            website: o.website,
            description: o.description,
            regions: o.regions,
            contact_email: o.contact_email,
            contact_phone: o.contact_phone,
            denomination: o.denomination,
            city: o.city,
            created_at: o.created_at,
            updated_at: o.updated_at,
        }
    }
}

impl OrganizationResponse {
    /// The organisation with its ETag, under `status`.
    pub fn respond(
        organization: Organization,
        mut status: actix_web::HttpResponseBuilder,
    ) -> HttpResponse {
        status
            .insert_header(ETag(organization.version).header())
            .json(OrganizationResponse::from(organization))
    }
}
