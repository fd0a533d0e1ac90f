//! Reminders 48 hours before each of a bundle's deadlines, to those who have not acted: before
//! the joining deadline, the managers of the network's member schools and boards that have
//! not joined; before the offer deadline, the providers told of the bundle who have not
//! offered, and those whose offer awaits confirmation after a change.
//!
//! A reminder is a job due 48 hours before the deadline it names, queued when the bundle
//! opens and again whenever a deadline moves. The job reminds of the deadline it carries only
//! while that is still the bundle's deadline (a moved one has its own job), and records each
//! address with the mail it queues: one reminder per address and deadline, however often
//! the job runs and however many workers there are.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};

use crate::db::models::bundle::Bundle;
use crate::db::models::membership::Membership;
use crate::db::models::network::NetworkMember;
use crate::db::models::offer::Offer;
use crate::db::schema::{bundle_interest_mails, bundle_reminders, users};
use crate::domain::bundle::{BundleStatus, status_at};
use crate::domain::{BundleId, OrganizationKind};
use crate::jobs::{self, JobKind};
use crate::mail::{outbox, templates};
use crate::web::tender_paths::{bundle_href, offer_href};

/// How long before a deadline its reminder goes out.
pub const LEAD: Duration = Duration::hours(48);

/// Which deadline a reminder is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Deadline {
    Join,
    Offer,
}

impl Deadline {
    fn as_str(self) -> &'static str {
        match self {
            Deadline::Join => "join",
            Deadline::Offer => "offer",
        }
    }
}

/// What a reminder job carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reminder {
    pub bundle_id: BundleId,
    pub deadline: Deadline,
    /// The deadline reminded of; a job whose deadline moved since does nothing.
    pub at: DateTime<Utc>,
}

/// When the reminder of a deadline is due: 48 hours before it, or now when that has passed.
pub fn due(deadline: DateTime<Utc>, now: DateTime<Utc>) -> DateTime<Utc> {
    (deadline - LEAD).max(now)
}

/// Queues the reminder of one deadline; call in the transaction that sets it.
pub async fn schedule(
    conn: &mut AsyncPgConnection,
    bundle: &Bundle,
    deadline: Deadline,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    let at = match deadline {
        Deadline::Join => bundle.join_deadline,
        Deadline::Offer => bundle.offer_deadline,
    };
    if at <= now {
        return Ok(());
    }
    let reminder = Reminder {
        bundle_id: bundle.id,
        deadline,
        at,
    };
    let payload = serde_json::to_value(reminder)
        .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
    jobs::enqueue(conn, JobKind::BundleReminder, payload, now, due(at, now)).await?;
    Ok(())
}

/// Queues reminders for the deadlines that differ between `before` and `after` (a change).
pub async fn reschedule(
    conn: &mut AsyncPgConnection,
    before: &Bundle,
    after: &Bundle,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    if after.status == BundleStatus::Draft {
        return Ok(());
    }
    if before.join_deadline != after.join_deadline {
        schedule(conn, after, Deadline::Join, now).await?;
    }
    if before.offer_deadline != after.offer_deadline {
        schedule(conn, after, Deadline::Offer, now).await?;
    }
    Ok(())
}

/// The addresses to remind of the bundle's joining deadline: managers of the owning
/// network's members that have not joined.
async fn not_joined(conn: &mut AsyncPgConnection, bundle: &Bundle) -> anyhow::Result<Vec<String>> {
    let joined: Vec<_> = Bundle::participants(conn, bundle.id)
        .await?
        .into_iter()
        .map(|p| p.organization_id)
        .collect();
    let mut to = Vec::new();
    for member in NetworkMember::members(conn, bundle.owner_organization_id).await? {
        if !joined.contains(&member.id) {
            to.extend(Membership::manager_emails(conn, member.id).await?);
        }
    }
    Ok(to)
}

/// The addresses to remind of the offer deadline: provider staff told of the bundle whose
/// providers have no live offer, and those whose live offer awaits confirmation.
async fn not_offered(conn: &mut AsyncPgConnection, bundle: &Bundle) -> anyhow::Result<Vec<String>> {
    let live = Offer::live_of_bundle(conn, bundle.id).await?;
    let told: Vec<(crate::domain::UserId, Option<String>)> = bundle_interest_mails::table
        .inner_join(users::table.on(users::id.eq(bundle_interest_mails::user_id)))
        .filter(bundle_interest_mails::bundle_id.eq(bundle.id))
        .filter(users::deleted_at.is_null())
        .select((users::id, users::email))
        .load(conn)
        .await?;
    let mut to = Vec::new();
    for (user, email) in told {
        let Some(email) = email else { continue };
        let providers: Vec<_> = Membership::of_user(conn, user)
            .await?
            .into_iter()
            .filter(|m| m.organization_kind == OrganizationKind::Provider)
            .map(|m| m.organization_id)
            .collect();
        if !live.iter().any(|o| providers.contains(&o.provider_id)) {
            to.push(email);
        }
    }
    for offer in live.iter().filter(|o| o.needs_confirmation) {
        to.extend(Membership::manager_emails(conn, offer.provider_id).await?);
    }
    Ok(to)
}

/// The job: queues the reminder mails of one deadline; how many it queued.
pub async fn remind(
    conn: &mut AsyncPgConnection,
    payload: &serde_json::Value,
    public_url: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<usize> {
    let job: Reminder = serde_json::from_value(payload.clone())
        .map_err(|e| anyhow::anyhow!("the reminder job's payload is malformed: {e}"))?;
    conn.transaction::<_, anyhow::Error, _>(async |conn| {
        let Some(bundle) = Bundle::lock(conn, job.bundle_id).await? else {
            return Ok(0);
        };
        let (current, acting) = match job.deadline {
            Deadline::Join => (bundle.join_deadline, BundleStatus::Open),
            Deadline::Offer => (bundle.offer_deadline, BundleStatus::Tendering),
        };
        let status = status_at(bundle.status, bundle.deadlines(), now);
        if current != job.at || status != acting {
            return Ok(0);
        }
        let mut to = match job.deadline {
            Deadline::Join => not_joined(conn, &bundle).await?,
            Deadline::Offer => not_offered(conn, &bundle).await?,
        };
        to.sort_by_key(|e| e.to_lowercase());
        to.dedup_by_key(|e| e.to_lowercase());
        let when = crate::web::format::moment(job.at);
        // Schools go to the bundle's page to join, providers to their offer.
        let link = match job.deadline {
            Deadline::Join => format!("{public_url}{}", bundle_href(bundle.id)),
            Deadline::Offer => format!("{public_url}{}", offer_href(bundle.id)),
        };
        let mut queued = 0;
        for email in to {
            let first = diesel::insert_into(bundle_reminders::table)
                .values((
                    bundle_reminders::bundle_id.eq(bundle.id),
                    bundle_reminders::deadline.eq(job.deadline.as_str()),
                    bundle_reminders::due_at.eq(job.at),
                    bundle_reminders::email.eq(&email),
                    bundle_reminders::sent_at.eq(now),
                ))
                .on_conflict_do_nothing()
                .execute(conn)
                .await?
                == 1;
            if first {
                let mail = match job.deadline {
                    Deadline::Join => {
                        templates::join_reminder(&email, &bundle.title, &when, &link)
                    }
                    Deadline::Offer => {
                        templates::offer_reminder(&email, &bundle.title, &when, &link)
                    }
                };
                outbox::enqueue(conn, &mail, now).await?;
                queued += 1;
            }
        }
        tracing::info!(bundle_id = %bundle.id, deadline = job.deadline.as_str(), queued, "bundle reminders queued");
        Ok(queued)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_reminder_is_due_two_days_before_its_deadline_or_at_once_when_that_has_passed() {
        let deadline = Utc.with_ymd_and_hms(2027, 3, 10, 12, 0, 0).unwrap();
        let early = deadline - Duration::days(10);
        assert_eq!(due(deadline, early), deadline - Duration::hours(48));
        let late = deadline - Duration::hours(30);
        assert_eq!(due(deadline, late), late);
    }
}
