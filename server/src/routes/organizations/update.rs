use actix_web::{HttpResponse, patch, web};
use serde::Deserialize;
use uuid::Uuid;

use crate::auth::Caller;
use crate::authz::{self, OrgAction};
use crate::db::models::organization::{Organization, OrganizationChanges};
use crate::domain::{Fields, OrganizationKind};
use crate::error::{ApiError, ApiResult};
use crate::http::{IfMatch, JsonBody};
use crate::routes::organizations::OrganizationResponse;
use crate::routes::organizations::create::{check_contact, check_profile, check_provider_kind};
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateOrganizationRequest {
    pub name: Option<String>,
    pub provider_kind: Option<String>,
    pub sectors: Option<Vec<String>>,
    #[serde(default, deserialize_with = "crate::http::json::nullable")]
    #[schema(value_type = Option<String>)]
    pub province: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::http::json::nullable")]
    #[schema(value_type = Option<String>)]
    pub website: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::http::json::nullable")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
    pub regions: Option<Vec<String>>,
    #[serde(default, deserialize_with = "crate::http::json::nullable")]
    #[schema(value_type = Option<String>)]
    pub contact_email: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::http::json::nullable")]
    #[schema(value_type = Option<String>)]
    pub contact_phone: Option<Option<String>>,
}

/// Change an organisation's profile (its managers only). Needs `If-Match` with the ETag read;
/// identifiers from the registers (KvK, BRIN, bevoegd-gezagnummer) cannot be changed here.
#[utoipa::path(tag = "organizations", security(("bearer" = [])), request_body = UpdateOrganizationRequest,
    params(("If-Match" = String, Header, description = "The ETag last read")),
    responses((status = 200, body = OrganizationResponse)))]
#[patch("/{id}")]
pub async fn update_organization(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: JsonBody<UpdateOrganizationRequest>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let (current, _) =
        authz::organization(&mut conn, &caller, id.into_inner(), OrgAction::Manage).await?;
    if_match.check(current.version)?;
    let req = body.0;
    let mut fields = Fields::new();
    let name = req
        .name
        .as_deref()
        .and_then(|n| fields.text("name", n, 200));
    let provider_kind = match (&req.provider_kind, OrganizationKind::parse(&current.kind)) {
        (Some(v), Some(OrganizationKind::Provider)) => check_provider_kind(&mut fields, v),
        (Some(_), _) => {
            fields.push(
                "provider_kind",
                "not_applicable",
                "applies to providers only",
            );
            None
        }
        (None, _) => None,
    };
    let (province, website, description) = check_profile(
        &mut fields,
        req.sectors.as_deref().unwrap_or_default(),
        req.province.as_ref().and_then(|p| p.as_deref()),
        req.website.as_ref().and_then(|w| w.as_deref()),
        req.description.as_ref().and_then(|d| d.as_deref()),
    );
    let contact = check_contact(
        &mut fields,
        current.kind == OrganizationKind::Provider.as_str(),
        req.regions.as_deref().unwrap_or_default(),
        req.contact_email.as_ref().and_then(|e| e.as_deref()),
        req.contact_phone.as_ref().and_then(|p| p.as_deref()),
    );
    fields.finish()?;
    // A present field set to null clears it; a present value takes the checked value.
    let changes = OrganizationChanges {
        name,
        provider_kind,
        sectors: req.sectors,
        province: req.province.map(|p| p.and(province)),
        website: req.website.map(|w| w.and(website)),
        description: req.description.map(|d| d.and(description)),
        regions: req.regions,
        contact_email: req.contact_email.map(|e| e.and(contact.email)),
        contact_phone: req.contact_phone.map(|p| p.and(contact.phone)),
    };
    let updated = Organization::update_if_version(
        &mut conn,
        current.id,
        current.version,
        &changes,
        state.clock.now(),
    )
    .await?
    .ok_or(ApiError::PreconditionFailed)?;
    Ok(OrganizationResponse::respond(updated, HttpResponse::Ok()))
}
