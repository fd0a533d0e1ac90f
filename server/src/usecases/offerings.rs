//! Offerings: create a draft, edit it, publish or archive it, read it and its history.

use chrono::{DateTime, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};

use super::{check_version, verified};
use crate::auth::Caller;
use crate::authz::{self, OfferingAction};
use crate::db::models::membership::Membership;
use crate::db::models::offering::{Offering, OfferingContent, Revision, Status, diff};
use crate::db::models::organization::Organization;
use crate::domain::offering::OfferingInput;
use crate::domain::offering_status::{self, Move, Mover, Refused};
use crate::domain::{DomainError, DomainResult};
use crate::domain::{OfferingId, OrganizationId, OrganizationKind, Role};
use crate::http::IfMatch;

/// A new draft of the provider's (its admins and editors, with a confirmed address).
pub async fn create_offering(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    provider_id: OrganizationId,
    input: OfferingInput,
    now: DateTime<Utc>,
) -> DomainResult<Offering> {
    verified(caller)?;
    let provider = authz::provider_for_editing(conn, caller, provider_id).await?;
    let content = OfferingContent::from(input.validate()?);
    let offering = conn
        .transaction::<_, DomainError, _>(async |conn| {
            Ok(Offering::create(
                conn,
                OfferingId::generate(),
                provider.id,
                caller.id(),
                &content,
                now,
            )
            .await?)
        })
        .await?;
    tracing::info!(offering_id = %offering.id, provider_id = %provider.id, "offering created");
    Ok(offering)
}

/// The providers whose offerings the caller writes (admin or editor) and the role at each, in
/// the order the caller joined them.
async fn staff_memberships(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
) -> DomainResult<Vec<(OrganizationId, Role)>> {
    Ok(Membership::of_user(conn, caller.id())
        .await?
        .into_iter()
        .filter(|m| {
            m.organization_kind == OrganizationKind::Provider && authz::is_staff_role(Some(m.role))
        })
        .map(|m| (m.organization_id, m.role))
        .collect())
}

/// Whether the caller writes any provider's offerings (the pages' menu offers the dashboard).
pub async fn manages_offerings(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
) -> DomainResult<bool> {
    Ok(!staff_memberships(conn, caller).await?.is_empty())
}

/// The providers whose offerings the caller writes, with the caller's role at each: what a
/// provider's dashboard manages.
pub async fn managed_providers(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
) -> DomainResult<Vec<(Organization, Role)>> {
    let staff = staff_memberships(conn, caller).await?;
    let ids: Vec<OrganizationId> = staff.iter().map(|(id, _)| *id).collect();
    let mut found = Organization::find_many(conn, &ids).await?;
    Ok(staff
        .into_iter()
        .filter_map(|(id, role)| {
            let at = found.iter().position(|o| o.id == id)?;
            Some((found.swap_remove(at), role))
        })
        .collect())
}

/// The provider, when the caller may write its offerings (a form for a new one is shown only
/// to those who may create it): not found unless a provider, forbidden unless its staff.
pub async fn provider_for_offerings(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    provider_id: OrganizationId,
) -> DomainResult<Organization> {
    authz::provider_for_editing(conn, caller, provider_id).await
}

/// The offering, when the caller may edit it (its provider's staff): what an edit form shows.
/// Others are told what `update_offering` would tell them (hidden: not found; public:
/// forbidden).
pub async fn offering_for_editing(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    id: OfferingId,
) -> DomainResult<Offering> {
    let (offering, _) = authz::offering(conn, Some(caller), id, OfferingAction::Edit).await?;
    Ok(offering)
}

pub async fn get_offering(
    conn: &mut AsyncPgConnection,
    caller: Option<&Caller>,
    id: OfferingId,
) -> DomainResult<Offering> {
    let (offering, _) = authz::offering(conn, caller, id, OfferingAction::Read).await?;
    Ok(offering)
}

/// Who changed what and when, newest first (the provider's staff only).
pub async fn offering_history(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    id: OfferingId,
) -> DomainResult<Vec<Revision>> {
    let (offering, _) = authz::offering(conn, Some(caller), id, OfferingAction::Edit).await?;
    Ok(Revision::of_offering(conn, offering.id).await?)
}

/// A provider's offerings, newest first: everyone sees the published ones; its staff see the
/// others too, or those in `status`.
pub async fn list_provider_offerings(
    conn: &mut AsyncPgConnection,
    caller: Option<&Caller>,
    provider_id: OrganizationId,
    status: Option<Status>,
    after: Option<OfferingId>,
    limit: i64,
) -> DomainResult<Vec<Offering>> {
    let provider = super::organizations::public_provider(conn, provider_id).await?;
    let staff = authz::is_provider_staff(conn, caller, provider.id).await?;
    let statuses: Vec<Status> = match (status, staff) {
        (Some(s), true) => vec![s],
        (None, true) => Status::ALL.to_vec(),
        (_, false) => vec![Status::Published],
    };
    Ok(Offering::of_provider(conn, provider.id, &statuses, after, limit).await?)
}

/// Change an offering (its provider's staff): `patch` turns the current content into the
/// wanted one, which is validated as a whole, so rules across fields hold after every edit.
/// The row is locked while it is checked and written; the change goes into its history.
pub async fn update_offering(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    id: OfferingId,
    expected: &IfMatch,
    patch: impl FnOnce(OfferingInput) -> OfferingInput + Send,
    now: DateTime<Utc>,
) -> DomainResult<Offering> {
    conn.transaction::<_, DomainError, _>(async |conn| {
        let (current, _) = authz::offering_locked(conn, caller, id, OfferingAction::Edit).await?;
        check_version(expected, current.version)?;
        let content =
            OfferingContent::from(patch(OfferingInput::from(current.content.clone())).validate()?);
        let updated = Offering::update_if_version(conn, current.id, current.version, &content, now)
            .await?
            .ok_or(DomainError::Stale)?;
        let changes = diff(&current.content, &updated.content);
        Revision::record(conn, &updated, caller.id(), "updated", changes).await?;
        Ok(updated)
    })
    .await
}

/// Publish or archive an offering (its provider's staff), by the rules of
/// `offering_status::next`, decided on the locked row. `expected`, when given, must match.
pub async fn move_offering(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    id: OfferingId,
    step: Move,
    expected: Option<&IfMatch>,
    now: DateTime<Utc>,
) -> DomainResult<Offering> {
    // Making something public needs a confirmed address, whatever the offering.
    if step == Move::Publish {
        verified(caller)?;
    }
    let moved = conn
        .transaction::<_, DomainError, _>(async |conn| {
            let (current, access) =
                authz::offering_locked(conn, caller, id, OfferingAction::Read).await?;
            let mover = Mover {
                staff: access.can_edit(),
                verified: caller.user.is_verified(),
            };
            let decided = offering_status::next(current.status, step, mover);
            if let Err(refused @ (Refused::NotStaff | Refused::Unverified)) = decided {
                return Err(DomainError::Forbidden(refused.reason()));
            }
            if let Some(expected) = expected {
                check_version(expected, current.version)?;
            }
            let to = decided.map_err(|refused| DomainError::Conflict(refused.reason()))?;
            Offering::move_to(conn, &current, to, caller.id(), now)
                .await?
                .ok_or(DomainError::Stale)
        })
        .await?;
    tracing::info!(offering_id = %moved.id, status = moved.status.as_str(), "offering status changed");
    Ok(moved)
}
