//! Interest profiles: a provider's staff save which bundles they want to hear of, and when a
//! bundle opens, a job (enqueued in the opening's transaction) mails every provider user with a
//! matching profile, once per user and bundle however often the job runs: the record of the
//! mail and the mail's own job commit together.

use chrono::{DateTime, Utc};
use diesel::QueryResult;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde::{Deserialize, Serialize};

use crate::auth::Caller;
use crate::db::models::bundle::Bundle;
use crate::db::models::interest_profile::InterestProfileRow;
use crate::db::models::membership::Membership;
use crate::db::models::organization::Organization;
use crate::db::models::user::User;
use crate::domain::bundle::{BundleStatus, status_at};
use crate::domain::interest_profile::{BundleTraits, InterestProfileInput, PROFILES_MAX, matches};
use crate::domain::{
    BundleId, DomainError, DomainResult, InterestProfileId, OrganizationId, OrganizationKind,
};
use crate::jobs::{self, JobKind};
use crate::mail::{outbox, templates};
use crate::web::tender_paths::bundle_href;

/// The provider, if the caller is on its staff: an organisation that is no provider is not
/// found; a provider's outsiders are refused.
async fn staff_of(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    provider_id: OrganizationId,
) -> DomainResult<Organization> {
    let provider = Organization::find(conn, provider_id)
        .await?
        .filter(|o| o.kind == OrganizationKind::Provider)
        .ok_or(DomainError::NotFound)?;
    if Membership::role_of(conn, provider.id, caller.id())
        .await?
        .is_none()
    {
        return Err(DomainError::Forbidden(
            "Only the provider's staff keep its interest profiles.".into(),
        ));
    }
    Ok(provider)
}

pub async fn create_interest_profile(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    provider_id: OrganizationId,
    input: InterestProfileInput,
    now: DateTime<Utc>,
) -> DomainResult<InterestProfileRow> {
    let provider = staff_of(conn, caller, provider_id).await?;
    let profile = input.validate()?;
    if InterestProfileRow::count_of_provider(conn, provider.id).await? >= PROFILES_MAX {
        return Err(DomainError::Conflict(format!(
            "A provider keeps at most {PROFILES_MAX} interest profiles; delete one first."
        )));
    }
    let row = InterestProfileRow::insert(conn, provider.id, caller.id(), &profile, now).await?;
    tracing::info!(profile_id = %row.id, provider_id = %provider.id, "interest profile saved");
    Ok(row)
}

pub async fn list_interest_profiles(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    provider_id: OrganizationId,
) -> DomainResult<Vec<InterestProfileRow>> {
    let provider = staff_of(conn, caller, provider_id).await?;
    Ok(InterestProfileRow::of_provider(conn, provider.id).await?)
}

pub async fn delete_interest_profile(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    provider_id: OrganizationId,
    id: InterestProfileId,
) -> DomainResult<()> {
    let provider = staff_of(conn, caller, provider_id).await?;
    if !InterestProfileRow::delete(conn, provider.id, id).await? {
        return Err(DomainError::NotFound);
    }
    Ok(())
}

/// What an interest job carries: the bundle that opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleOpened {
    pub bundle_id: BundleId,
}

/// Queues the mails about a bundle that opens; call in the transaction that opens it.
pub async fn schedule(
    conn: &mut AsyncPgConnection,
    bundle_id: BundleId,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    let payload = serde_json::to_value(BundleOpened { bundle_id })
        .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
    jobs::enqueue(conn, JobKind::BundleInterest, payload, now, now).await?;
    Ok(())
}

/// The job: queues a mail to every provider user with a profile matching the bundle, unless
/// they were told of it before; how many mails it queued. A bundle no longer open for joining
/// or offers (cancelled before the job ran) is not announced.
pub async fn mail_matching(
    conn: &mut AsyncPgConnection,
    payload: &serde_json::Value,
    public_url: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<usize> {
    let job: BundleOpened = serde_json::from_value(payload.clone())
        .map_err(|e| anyhow::anyhow!("the interest job's payload is malformed: {e}"))?;
    let queued = conn
        .transaction::<_, anyhow::Error, _>(async |conn| {
            let Some(bundle) = Bundle::find(conn, job.bundle_id).await? else {
                return Ok(0);
            };
            let status = status_at(bundle.status, bundle.deadlines(), now);
            if !matches!(status, BundleStatus::Open | BundleStatus::Tendering) {
                return Ok(0);
            }
            let owner = Organization::find(conn, bundle.owner_organization_id)
                .await?
                .map_or_else(String::new, |o| o.name);
            let texts = [
                bundle.title.as_str(),
                &bundle.need_problem,
                &bundle.need_goals,
                &bundle.need_intended_result,
                &bundle.need_success_measure,
            ];
            let traits = BundleTraits {
                domain: &bundle.domain,
                service_type: &bundle.service_type,
                sectors: &bundle.sectors,
                regions: &bundle.regions,
                texts: &texts,
            };
            let mut queued = 0;
            for row in InterestProfileRow::candidates(conn, &bundle.domain).await? {
                if !matches(&row.profile(), &traits)
                    || !InterestProfileRow::record_mail(conn, bundle.id, row.user_id, now).await?
                {
                    continue;
                }
                let Some(user) = User::find(conn, row.user_id).await? else {
                    continue;
                };
                let Some(to) = user.email.as_deref() else {
                    continue;
                };
                let mail = templates::bundle_opened(
                    to,
                    &user.display_name,
                    &bundle.title,
                    &owner,
                    &row.name,
                    bundle.deadlines(),
                    &format!("{public_url}{}", bundle_href(bundle.id)),
                );
                outbox::enqueue(conn, &mail, now).await?;
                queued += 1;
            }
            Ok(queued)
        })
        .await?;
    tracing::info!(bundle_id = %job.bundle_id, queued, "interest mails queued");
    Ok(queued)
}
