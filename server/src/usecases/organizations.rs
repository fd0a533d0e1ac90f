//! Organisations: register one (the caller becomes its first manager), change its profile.

use chrono::{DateTime, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde::Deserialize;

use super::{check_version, verified};
use crate::auth::Caller;
use crate::authz::{self, OrgAction};
use crate::db::models::membership::Membership;
use crate::db::models::organization::{NewOrganization, Organization, OrganizationChanges};
use crate::domain::OrganizationId;
use crate::domain::organization_profile::{
    CreateOrganizationRequest, check_contact, check_profile, provider_kind,
};
use crate::domain::{DomainError, DomainResult, Fields, OrganizationKind};
use crate::error::is_unique_violation;
use crate::http::IfMatch;

/// Register an organisation; the caller becomes its first member, in the managing role. An
/// identifier already registered is a conflict: its managers invite newcomers.
pub async fn create_organization(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    input: CreateOrganizationRequest,
    now: DateTime<Utc>,
) -> DomainResult<Organization> {
    verified(caller)?;
    let valid = input.validate()?;
    let kind = valid.kind;
    let organization = conn
        .transaction::<_, DomainError, _>(async |conn| {
            let board_id = match (valid.kind, &valid.board_number) {
                (OrganizationKind::School, Some(number)) => {
                    Organization::find_board_by_number(conn, number).await?.map(|b| b.id)
                }
                _ => None,
            };
            let new = NewOrganization {
                id: OrganizationId::generate(),
                kind,
                name: valid.name,
                kvk_number: valid.kvk_number,
                provider_kind: valid.provider_kind,
                brin: valid.brin,
                board_number: valid.board_number,
                board_id,
                sectors: valid.sectors,
                province: valid.province,
                website: valid.website,
                description: valid.description,
                created_at: now,
                updated_at: now,
                regions: valid.regions,
                contact_email: valid.contact_email,
                contact_phone: valid.contact_phone,
                denomination: None,
                city: None,
            };
            let organization = Organization::insert(conn, &new).await.map_err(|e| {
                if is_unique_violation(&e) {
                    DomainError::Conflict(
                        "An organisation with this identifier is already registered; ask its managers to invite you.".into(),
                    )
                } else {
                    DomainError::from(e)
                }
            })?;
            Membership::change(conn, organization.id, caller.id(), Some(kind.managing_role()), now).await?;
            Ok(organization)
        })
        .await?;
    tracing::info!(organization_id = %organization.id, kind = kind.as_str(), "organisation registered");
    Ok(organization)
}

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

impl UpdateOrganizationRequest {
    /// The changes to an organisation of `kind`, or every field error at once. A present
    /// field set to null clears it; a present value takes the checked value.
    fn changes(self, kind: OrganizationKind) -> DomainResult<OrganizationChanges> {
        let req = self;
        let mut fields = Fields::new();
        let name = req
            .name
            .as_deref()
            .and_then(|n| fields.text("name", n, 200));
        let provider_kind =
            provider_kind(&mut fields, req.provider_kind.as_deref(), Some(kind), false);
        let (province, website, description) = check_profile(
            &mut fields,
            req.sectors.as_deref().unwrap_or_default(),
            req.province.as_ref().and_then(|p| p.as_deref()),
            req.website.as_ref().and_then(|w| w.as_deref()),
            req.description.as_ref().and_then(|d| d.as_deref()),
        );
        let contact = check_contact(
            &mut fields,
            kind == OrganizationKind::Provider,
            req.regions.as_deref().unwrap_or_default(),
            req.contact_email.as_ref().and_then(|e| e.as_deref()),
            req.contact_phone.as_ref().and_then(|p| p.as_deref()),
        );
        fields.finish()?;
        Ok(OrganizationChanges {
            name,
            provider_kind,
            sectors: req.sectors,
            province: req.province.map(|p| p.and(province)),
            website: req.website.map(|w| w.and(website)),
            description: req.description.map(|d| d.and(description)),
            regions: req.regions,
            contact_email: req.contact_email.map(|e| e.and(contact.email)),
            contact_phone: req.contact_phone.map(|p| p.and(contact.phone)),
        })
    }
}

/// Change an organisation's profile (its managers only); identifiers from the registers
/// cannot be changed here.
pub async fn update_organization(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    id: OrganizationId,
    expected: &IfMatch,
    request: UpdateOrganizationRequest,
    now: DateTime<Utc>,
) -> DomainResult<Organization> {
    let (current, _) = authz::organization(conn, caller, id, OrgAction::Manage).await?;
    check_version(expected, current.version)?;
    let changes = request.changes(current.kind)?;
    Organization::update_if_version(conn, current.id, current.version, &changes, now)
        .await?
        .ok_or(DomainError::Stale)
}

/// A provider's profile as its edit form shows it: for its managers only, who are the ones
/// `update_organization` lets change it (others are told what it would tell them). Another
/// kind of organisation is no provider: not found.
pub async fn provider_for_profile_editing(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    id: OrganizationId,
) -> DomainResult<Organization> {
    let (organization, _) = authz::organization(conn, caller, id, OrgAction::Manage).await?;
    if organization.kind == OrganizationKind::Provider {
        Ok(organization)
    } else {
        Err(DomainError::NotFound)
    }
}

/// A provider's public profile: providers are public register data, anyone may read them.
/// Another kind of organisation (a school, a network) is not a provider's profile: not found.
pub async fn public_provider(
    conn: &mut AsyncPgConnection,
    id: OrganizationId,
) -> DomainResult<Organization> {
    Organization::find(conn, id)
        .await?
        .filter(|o| o.kind == OrganizationKind::Provider)
        .ok_or(DomainError::NotFound)
}
