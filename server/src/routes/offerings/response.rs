use actix_web::{HttpResponse, HttpResponseBuilder};
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::db::models::offering::{Offering, OfferingContent, Status};
use crate::domain::{OfferingId, OrganizationId};
use crate::http::ETag;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OfferingResponse {
    pub id: OfferingId,
    pub provider_id: OrganizationId,
    pub status: Status,
    #[serde(flatten)]
    pub content: OfferingContent,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    pub archived_at: Option<DateTime<Utc>>,
}

impl From<Offering> for OfferingResponse {
    fn from(o: Offering) -> Self {
        Self {
            id: o.id,
            provider_id: o.provider_id,
            status: o.status,
            content: o.content,
            created_at: o.created_at,
            updated_at: o.updated_at,
            published_at: o.published_at,
            archived_at: o.archived_at,
        }
    }
}

impl OfferingResponse {
    /// The offering with its ETag, under `status`.
    pub fn respond(offering: Offering, mut status: HttpResponseBuilder) -> HttpResponse {
        status
            .insert_header(ETag(offering.version).header())
            .json(OfferingResponse::from(offering))
    }
}
