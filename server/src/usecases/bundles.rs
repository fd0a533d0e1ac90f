//! Demand bundles: draft one, read one, open or cancel it, join it and withdraw. Each move is
//! checked by `domain::bundle::check` against the clock and the caller's part, inside the
//! transaction that records it, under a lock on the bundle's row; joins recount the totals in
//! that transaction, so they stay exact however many schools join at once.

use chrono::{DateTime, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};

use super::bundle_reminders::Deadline;
use super::check_version;
use crate::auth::Caller;
use crate::authz::bundle::{Reader, may_draft, may_join, may_read};
use crate::db::models::bundle::{Bundle, Participant};
use crate::db::models::membership::Membership;
use crate::db::models::network::NetworkMember;
use crate::db::models::organization::Organization;
use crate::domain::bundle::{
    BundleInput, BundleStatus, Move, Part, ParticipationInput, Refusal, TenderSettings, Visibility,
    check, offer_deadline_after_change, status_at,
};
use crate::domain::procurement::{self, Regime};
use crate::domain::{BundleId, DomainError, DomainResult, OrganizationId, OrganizationKind};
use crate::http::IfMatch;

/// A bundle as the caller sees it now: its status at `now` (the deadlines move it on), its
/// estimated value and the procurement regime that value falls under.
pub struct BundleView {
    pub bundle: Bundle,
    pub status: BundleStatus,
    pub estimated_value_cents: i64,
    pub regime: Option<Regime>,
}

pub(super) fn view(bundle: Bundle, now: DateTime<Utc>, settings: &TenderSettings) -> BundleView {
    // Until offers come in, the value is what the participants budget for the bundle.
    let estimated_value_cents = bundle.total_budget_cents;
    let regime = procurement::classify(&bundle.service_type).map(|class| {
        settings
            .procurement
            .regime(class.category, estimated_value_cents)
    });
    BundleView {
        status: status_at(bundle.status, bundle.deadlines(), now),
        bundle,
        estimated_value_cents,
        regime,
    }
}

pub(super) fn refused(refusal: Refusal) -> DomainError {
    match refusal {
        Refusal::NotAllowed => {
            DomainError::Forbidden("Your part in this bundle does not allow this.".into())
        }
        Refusal::WrongState(status) => DomainError::Conflict(format!(
            "The bundle is {}: this cannot be done now.",
            status.as_str()
        )),
    }
}

/// Whether the caller manages the bundle's owner.
pub(super) async fn is_owner(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    bundle: &Bundle,
) -> DomainResult<bool> {
    let role = Membership::role_of(conn, bundle.owner_organization_id, caller.id()).await?;
    Ok(role.is_some_and(|r| r.manages()))
}

/// The bundle, if the caller may read it (else not found).
pub(super) async fn readable(
    conn: &mut AsyncPgConnection,
    caller: Option<&Caller>,
    bundle: Option<Bundle>,
    now: DateTime<Utc>,
) -> DomainResult<Bundle> {
    let bundle = bundle.ok_or(DomainError::NotFound)?;
    let reader = match caller {
        None => Reader {
            owner: false,
            in_network: false,
            provider: false,
        },
        Some(caller) => {
            let memberships = Membership::of_user(conn, caller.id()).await?;
            Reader {
                owner: is_owner(conn, caller, &bundle).await?,
                in_network: NetworkMember::user_belongs_to_member(
                    conn,
                    bundle.owner_organization_id,
                    caller.id(),
                )
                .await?,
                provider: memberships
                    .iter()
                    .any(|m| m.organization_kind == OrganizationKind::Provider),
            }
        }
    };
    let status = status_at(bundle.status, bundle.deadlines(), now);
    if may_read(status, bundle.visibility, reader) {
        Ok(bundle)
    } else {
        Err(DomainError::NotFound)
    }
}

/// Draft a bundle for an organisation the caller coordinates (a network) or officers (a board).
pub async fn create_bundle(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    input: BundleInput,
    settings: &TenderSettings,
    now: DateTime<Utc>,
) -> DomainResult<BundleView> {
    let owner_id = input.owner_organization_id;
    let valid = input.validate(now);
    let Some(owner_id) = owner_id else {
        let mut errors = match valid {
            Err(DomainError::Invalid(errors)) => errors,
            _ => Vec::new(),
        };
        errors.insert(
            0,
            crate::domain::FieldError::new(
                "owner_organization_id",
                "required",
                "name the network or board the bundle is for",
            ),
        );
        return Err(DomainError::Invalid(errors));
    };
    let owner = Organization::find(conn, owner_id)
        .await?
        .ok_or(DomainError::NotFound)?;
    may_draft(
        owner.kind,
        Membership::role_of(conn, owner.id, caller.id()).await?,
    )?;
    let valid = valid?;
    if valid.visibility == Visibility::Network && owner.kind != OrganizationKind::Network {
        return Err(DomainError::invalid(
            "visibility",
            "not_a_network",
            "only a network's bundle can be for its members; a board's is public",
        ));
    }
    let bundle = Bundle::insert(conn, owner.id, caller.id(), &valid, now).await?;
    tracing::info!(bundle_id = %bundle.id, "bundle drafted");
    Ok(view(bundle, now, settings))
}

pub async fn get_bundle(
    conn: &mut AsyncPgConnection,
    caller: Option<&Caller>,
    id: BundleId,
    settings: &TenderSettings,
    now: DateTime<Utc>,
) -> DomainResult<BundleView> {
    let found = Bundle::find(conn, id).await?;
    let bundle = readable(conn, caller, found, now).await?;
    Ok(view(bundle, now, settings))
}

/// A change of a bundle: the whole bundle sent again, at the version its sender read.
pub struct BundleChange<'a> {
    pub expected: &'a IfMatch,
    pub input: BundleInput,
}

/// The owner changes what they drafted, at the version they read, until the offer deadline.
/// The whole bundle is sent again; the owner stays the owner. Once joining has closed the
/// joining deadline stays, every offer made must be confirmed again, and a change with
/// fewer than `settings.min_offer_days_after_change` days left moves the offer deadline out.
pub async fn change_bundle(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    id: BundleId,
    change: BundleChange<'_>,
    settings: &TenderSettings,
    public_url: &str,
    now: DateTime<Utc>,
) -> DomainResult<BundleView> {
    let BundleChange { expected, input } = change;
    let found = Bundle::find(conn, id).await?;
    let bundle = readable(conn, Some(caller), found, now).await?;
    if input
        .owner_organization_id
        .is_some_and(|owner| owner != bundle.owner_organization_id)
    {
        return Err(DomainError::invalid(
            "owner_organization_id",
            "immutable",
            "a bundle keeps its owner",
        ));
    }
    let owner = Organization::find(conn, bundle.owner_organization_id)
        .await?
        .ok_or(DomainError::NotFound)?;
    let part = if is_owner(conn, caller, &bundle).await? {
        Part::Owner
    } else {
        Part::Other
    };
    check(Move::Change, part, bundle.status, bundle.deadlines(), now).map_err(refused)?;
    let tendering = status_at(bundle.status, bundle.deadlines(), now) == BundleStatus::Tendering;
    check_version(expected, bundle.version)?;
    let valid = if tendering {
        input.validate_while_tendering(now, bundle.join_deadline)?
    } else {
        input.validate(now)?
    };
    if valid.visibility == Visibility::Network && owner.kind != OrganizationKind::Network {
        return Err(DomainError::invalid(
            "visibility",
            "not_a_network",
            "only a network's bundle can be for its members; a board's is public",
        ));
    }
    let changed = conn
        .transaction::<_, DomainError, _>(async |conn| {
            let locked = Bundle::lock(conn, id).await?.ok_or(DomainError::NotFound)?;
            let changed = Bundle::update_if_version(conn, &locked, &valid, caller.id(), now)
                .await?
                .filter(|_| locked.version == bundle.version)
                .ok_or(DomainError::Stale)?;
            if !tendering {
                super::bundle_reminders::reschedule(conn, &locked, &changed, now).await?;
                return Ok(changed);
            }
            // Offers may have come in under the old conditions: they must be confirmed, and
            // a late change leaves their providers time to do so.
            let deadline = offer_deadline_after_change(
                changed.deadlines(),
                now,
                settings.min_offer_days_after_change,
            );
            let changed = if deadline == changed.offer_deadline {
                changed
            } else {
                Bundle::set_offer_deadline(conn, id, deadline).await?
            };
            super::offers::offers_need_confirmation(conn, &changed, public_url, now).await?;
            super::bundle_reminders::reschedule(conn, &locked, &changed, now).await?;
            Ok(changed)
        })
        .await?;
    Ok(view(changed, now, settings))
}

/// The owner opens or cancels the bundle (`step` is `Open` or `Cancel`).
pub async fn move_bundle(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    id: BundleId,
    step: Move,
    settings: &TenderSettings,
    now: DateTime<Utc>,
) -> DomainResult<BundleView> {
    let found = Bundle::find(conn, id).await?;
    readable(conn, Some(caller), found, now).await?;
    let moved = conn
        .transaction::<_, DomainError, _>(async |conn| {
            let bundle = Bundle::lock(conn, id).await?.ok_or(DomainError::NotFound)?;
            let part = if is_owner(conn, caller, &bundle).await? {
                Part::Owner
            } else {
                Part::Other
            };
            let to = check(step, part, bundle.status, bundle.deadlines(), now).map_err(refused)?;
            let moved = Bundle::move_to(conn, &bundle, step.as_str(), to, caller.id(), now).await?;
            if step == Move::Open {
                // Providers with a matching interest profile hear of it, once it has committed.
                super::interest_profiles::schedule(conn, id, now).await?;
                for deadline in [Deadline::Join, Deadline::Offer] {
                    super::bundle_reminders::schedule(conn, &moved, deadline, now).await?;
                }
            }
            Ok(moved)
        })
        .await?;
    tracing::info!(bundle_id = %id, step = step.as_str(), "bundle moved");
    Ok(view(moved, now, settings))
}

/// The bundle locked for a change of its participants, while joining is open.
async fn locked_for_joining(
    conn: &mut AsyncPgConnection,
    id: BundleId,
    now: DateTime<Utc>,
) -> DomainResult<Bundle> {
    let bundle = Bundle::lock(conn, id).await?.ok_or(DomainError::NotFound)?;
    check(
        Move::Join,
        Part::Participant,
        bundle.status,
        bundle.deadlines(),
        now,
    )
    .map_err(refused)?;
    Ok(bundle)
}

/// A school or board joins (or changes its part) until the joining deadline. Answers the
/// bundle with its new totals, and whether the organisation joined just now.
pub async fn join_bundle(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    id: BundleId,
    input: ParticipationInput,
    settings: &TenderSettings,
    now: DateTime<Utc>,
) -> DomainResult<(BundleView, bool)> {
    let found = Bundle::find(conn, id).await?;
    let bundle = readable(conn, Some(caller), found, now).await?;
    let part = input.validate()?;
    let organization = Organization::find(conn, part.organization_id)
        .await?
        .ok_or_else(|| {
            DomainError::invalid("organization_id", "not_found", "no such organisation")
        })?;
    let role = Membership::role_of(conn, organization.id, caller.id()).await?;
    let in_network =
        NetworkMember::is_member(conn, bundle.owner_organization_id, organization.id).await?;
    may_join(organization.kind, role, bundle.visibility, in_network)?;
    let (joined, created) = conn
        .transaction::<_, DomainError, _>(async |conn| {
            locked_for_joining(conn, id, now).await?;
            let created = Bundle::upsert_participant(conn, id, &part, caller.id(), now).await?;
            Ok((Bundle::recount(conn, id).await?, created))
        })
        .await?;
    Ok((view(joined, now, settings), created))
}

/// An organisation withdraws until the joining deadline (its managers decide).
pub async fn withdraw_from_bundle(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    id: BundleId,
    organization_id: OrganizationId,
    settings: &TenderSettings,
    now: DateTime<Utc>,
) -> DomainResult<BundleView> {
    let found = Bundle::find(conn, id).await?;
    readable(conn, Some(caller), found, now).await?;
    let role = Membership::role_of(conn, organization_id, caller.id()).await?;
    if !role.is_some_and(|r| r.manages()) {
        return Err(DomainError::Forbidden(
            "Only the organisation's managers withdraw it.".into(),
        ));
    }
    let left = conn
        .transaction::<_, DomainError, _>(async |conn| {
            locked_for_joining(conn, id, now).await?;
            if !Bundle::remove_participant(conn, id, organization_id).await? {
                return Err(DomainError::NotFound);
            }
            Ok(Bundle::recount(conn, id).await?)
        })
        .await?;
    Ok(view(left, now, settings))
}

/// The participants, for the bundle's owner (others see the totals only).
pub async fn participants(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    id: BundleId,
    now: DateTime<Utc>,
) -> DomainResult<Vec<Participant>> {
    let found = Bundle::find(conn, id).await?;
    let bundle = readable(conn, Some(caller), found, now).await?;
    if !is_owner(conn, caller, &bundle).await? {
        return Err(DomainError::Forbidden(
            "Only the bundle's owner sees who joined.".into(),
        ));
    }
    Ok(Bundle::participants(conn, id).await?)
}
