//! Sealed offers on a demand bundle, their evaluation and the award.
//!
//! Providers offer while the bundle is tendering (until the offer deadline, which is passed at
//! the instant itself), change or withdraw their offer until then, and confirm it when the
//! owner changed the conditions. The seal: an offer is read by its provider, and by the owner
//! only once the bundle is being evaluated or awarded (`domain::offer::may_read_offer`); to
//! anyone else an offer does not exist (404), and the owner's early attempt is refused with
//! the same words however many offers there are. After the deadline the owner scores the
//! quality criteria, sees the weighted ranking with abnormally low offers flagged, awards one
//! with a motivation, and awards the next when a winner withdraws. Bidders learn their own
//! score and rank by mail, participants the winner.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use sha2::{Digest, Sha256};

use super::bundles::{BundleView, is_owner, readable, refused, view};
use super::check_version;
use crate::auth::Caller;
use crate::db::models::bundle::Bundle;
use crate::db::models::membership::Membership;
use crate::db::models::offer::{IDEMPOTENCY_KEY, Idempotency, ONE_LIVE_PER_PROVIDER, Offer};
use crate::db::models::offering::{Offering, Status};
use crate::db::models::organization::Organization;
use crate::db::models::user::User;
use crate::domain::award::{self, Criterion, PriceMethod};
use crate::domain::bundle::{BundleStatus, Move, Part, TenderSettings, status_at};
use crate::domain::offer::{
    AwardInput, IDEMPOTENCY_KEY_MAX, OfferInput, OfferReader, ScoresInput, may_read_offer,
    quality_criteria, stored_scores,
};
use crate::domain::{
    BundleId, DomainError, DomainResult, OfferId, OrganizationId, OrganizationKind,
};
use crate::http::IfMatch;
use crate::mail::{Mail, outbox, templates};
use crate::web::tender_paths::{bundle_href, evaluation_href, offer_href};

/// The refusal an owner meets before the offers are opened: the same whatever the number of
/// offers, so not even a count leaks.
const SEALED: &str = "Offers stay sealed until the offer deadline has passed.";

/// The bundle's award criteria and weights, as stored (checked when they were saved).
pub fn weights(bundle: &Bundle) -> DomainResult<BTreeMap<Criterion, u8>> {
    let input: award::WeightsInput = bundle
        .criteria
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| Some((c["code"].as_str()?.to_owned(), c["weight"].as_i64()?)))
        .collect();
    award::parse_weights(&input).map_err(|_| {
        DomainError::Internal(anyhow::anyhow!(
            "bundle {} has malformed criteria",
            bundle.id
        ))
    })
}

/// The providers the caller works for (questions on a bundle are asked for one of them too).
pub async fn providers_of(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
) -> DomainResult<Vec<OrganizationId>> {
    Ok(Membership::of_user(conn, caller.id())
        .await?
        .into_iter()
        .filter(|m| m.organization_kind == OrganizationKind::Provider)
        .map(|m| m.organization_id)
        .collect())
}

/// The provider an offer is made for: the one named, which the caller must work for, or the
/// caller's only provider.
async fn offering_provider(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    named: Option<OrganizationId>,
) -> DomainResult<OrganizationId> {
    let providers = providers_of(conn, caller).await?;
    match (named, providers.as_slice()) {
        (_, []) => Err(DomainError::Forbidden(
            "Only a provider's staff make offers.".into(),
        )),
        (Some(named), providers) if providers.contains(&named) => Ok(named),
        (Some(_), _) => Err(DomainError::Forbidden(
            "You make offers only for a provider you work for.".into(),
        )),
        (None, [only]) => Ok(*only),
        (None, _) => Err(DomainError::invalid(
            "provider_id",
            "required",
            "you work for several providers: name the one offering",
        )),
    }
}

/// Who the caller is to an offer.
async fn reader_of(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    bundle: &Bundle,
    offer: &Offer,
) -> DomainResult<OfferReader> {
    if providers_of(conn, caller)
        .await?
        .contains(&offer.provider_id)
    {
        Ok(OfferReader::Offerer)
    } else if is_owner(conn, caller, bundle).await? {
        Ok(OfferReader::Owner)
    } else {
        Ok(OfferReader::Other)
    }
}

/// The offer as the caller may see it, or not found.
async fn readable_offer(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    bundle: &Bundle,
    id: OfferId,
    now: DateTime<Utc>,
) -> DomainResult<(Offer, OfferReader)> {
    let offer = Offer::find(conn, bundle.id, id)
        .await?
        .ok_or(DomainError::NotFound)?;
    let reader = reader_of(conn, caller, bundle, &offer).await?;
    let status = status_at(bundle.status, bundle.deadlines(), now);
    if may_read_offer(reader, status) {
        Ok((offer, reader))
    } else {
        Err(DomainError::NotFound)
    }
}

/// An `Idempotency-Key` as sent: visible ASCII, at most 255 characters.
fn checked_key(key: &str) -> DomainResult<&str> {
    if !key.is_empty()
        && key.len() <= IDEMPOTENCY_KEY_MAX
        && key.bytes().all(|b| b.is_ascii_graphic())
    {
        Ok(key)
    } else {
        Err(DomainError::invalid(
            "Idempotency-Key",
            "malformed",
            format!("1 to {IDEMPOTENCY_KEY_MAX} visible ASCII characters"),
        ))
    }
}

/// What identifies a submission: the bundle and the offer as sent.
fn request_hash(bundle_id: BundleId, input: &OfferInput) -> String {
    let mut hasher = Sha256::new();
    hasher.update(bundle_id.to_string().as_bytes());
    // The input's JSON, its maps ordered: the same offer sent again hashes the same.
    hasher.update(serde_json::to_string(input).unwrap_or_default().as_bytes());
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The first answer to a repeated submission: the same offer, if the key was used for the
/// same request by the same caller.
async fn replay(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    key: &str,
    hash: &str,
) -> DomainResult<Option<Offer>> {
    let Some(first) = Offer::by_idempotency_key(conn, caller.id(), key).await? else {
        return Ok(None);
    };
    if first.request_hash.as_deref() != Some(hash) {
        return Err(DomainError::invalid(
            "Idempotency-Key",
            "reused",
            "this key was used for another request; send a new key for a new offer",
        ));
    }
    Ok(Some(first))
}

/// An offering linked to an offer must be one of the provider's published offerings.
async fn check_offering(
    conn: &mut AsyncPgConnection,
    provider: OrganizationId,
    offering_id: Option<crate::domain::OfferingId>,
) -> DomainResult<()> {
    let Some(id) = offering_id else {
        return Ok(());
    };
    match Offering::find(conn, id).await? {
        Some(o) if o.provider_id == provider && o.status == Status::Published => Ok(()),
        _ => Err(DomainError::invalid(
            "offering_id",
            "not_an_offering_of_the_provider",
            "name one of the provider's published offerings, or none",
        )),
    }
}

/// A provider submits a sealed offer while the bundle is tendering. With an
/// `Idempotency-Key`, a repeat of the same request answers the first offer (and `true`).
pub async fn submit_offer(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    bundle_id: BundleId,
    input: OfferInput,
    idempotency_key: Option<&str>,
    now: DateTime<Utc>,
) -> DomainResult<(Offer, bool)> {
    let key = idempotency_key.map(checked_key).transpose()?;
    let hash = request_hash(bundle_id, &input);
    if let Some(key) = key
        && let Some(first) = replay(conn, caller, key, &hash).await?
    {
        return Ok((first, true));
    }
    let found = Bundle::find(conn, bundle_id).await?;
    let bundle = readable(conn, Some(caller), found, now).await?;
    let provider = offering_provider(conn, caller, input.provider_id).await?;
    let quality = quality_criteria(&weights(&bundle)?);
    let valid = input.validate(&quality)?;
    check_offering(conn, provider, valid.offering_id).await?;
    let idempotency = key.map(|key| Idempotency {
        key,
        request_hash: &hash,
    });
    let inserted = conn
        .transaction::<_, DomainError, _>(async |conn| {
            let bundle = Bundle::lock_shared(conn, bundle_id)
                .await?
                .ok_or(DomainError::NotFound)?;
            check(Move::Offer, Part::Provider, &bundle, now)?;
            Offer::insert(
                conn,
                bundle_id,
                provider,
                &valid,
                caller.id(),
                idempotency.as_ref(),
                now,
            )
            .await
            .map_err(|e| match constraint(&e) {
                Some(ONE_LIVE_PER_PROVIDER | IDEMPOTENCY_KEY) => DomainError::Conflict(
                    "Your organisation has an offer on this bundle: change or withdraw it.".into(),
                ),
                _ => e.into(),
            })
        })
        .await;
    match (inserted, key) {
        (Ok(offer), _) => {
            tracing::info!(bundle_id = %bundle.id, offer_id = %offer.id, "offer submitted");
            Ok((offer, false))
        }
        // A concurrent request with the same key won the race (whichever unique index told
        // us so): answer its offer.
        (Err(DomainError::Conflict(reason)), Some(key)) => {
            match replay(conn, caller, key, &hash).await? {
                Some(first) => Ok((first, true)),
                None => Err(DomainError::Conflict(reason)),
            }
        }
        (Err(e), _) => Err(e),
    }
}

/// The name of the constraint a database error violated.
fn constraint(e: &diesel::result::Error) -> Option<&str> {
    match e {
        diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            info,
        ) => info.constraint_name(),
        _ => None,
    }
}

/// `domain::bundle::check` for the move, answered as a domain error.
fn check(
    step: Move,
    part: Part,
    bundle: &Bundle,
    now: DateTime<Utc>,
) -> DomainResult<BundleStatus> {
    crate::domain::bundle::check(step, part, bundle.status, bundle.deadlines(), now)
        .map_err(refused)
}

/// The caller's own live offer, its row locked; another's is not found.
async fn own_live_offer(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    bundle_id: BundleId,
    offer_id: OfferId,
) -> DomainResult<Offer> {
    let offer = Offer::lock(conn, bundle_id, offer_id)
        .await?
        .ok_or(DomainError::NotFound)?;
    if !providers_of(conn, caller)
        .await?
        .contains(&offer.provider_id)
    {
        return Err(DomainError::NotFound);
    }
    if !offer.is_live() {
        return Err(DomainError::Conflict("This offer was withdrawn.".into()));
    }
    Ok(offer)
}

/// The caller's own live offer on a bundle, locked, with the bundle locked for sharing and
/// checked to be taking offers.
async fn own_offer_while_tendering(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    bundle_id: BundleId,
    offer_id: OfferId,
    now: DateTime<Utc>,
) -> DomainResult<Offer> {
    let bundle = Bundle::lock_shared(conn, bundle_id)
        .await?
        .ok_or(DomainError::NotFound)?;
    let offer = own_live_offer(conn, caller, bundle_id, offer_id).await?;
    check(Move::Offer, Part::Provider, &bundle, now)?;
    Ok(offer)
}

/// The provider changes its offer, at the version it read, until the offer deadline; a change
/// also confirms the offer under changed conditions.
pub async fn change_offer(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    bundle_id: BundleId,
    offer_id: OfferId,
    expected: &IfMatch,
    input: OfferInput,
    now: DateTime<Utc>,
) -> DomainResult<Offer> {
    let found = Bundle::find(conn, bundle_id).await?;
    let bundle = readable(conn, Some(caller), found, now).await?;
    let (offer, reader) = readable_offer(conn, caller, &bundle, offer_id, now).await?;
    if reader != OfferReader::Offerer {
        return Err(DomainError::Forbidden(
            "Only the provider changes its offer.".into(),
        ));
    }
    let quality = quality_criteria(&weights(&bundle)?);
    let valid = input.validate(&quality)?;
    check_offering(conn, offer.provider_id, valid.offering_id).await?;
    conn.transaction::<_, DomainError, _>(async |conn| {
        let locked = own_offer_while_tendering(conn, caller, bundle_id, offer_id, now).await?;
        check_version(expected, locked.version)?;
        Offer::update_if_version(conn, &locked, &valid, now)
            .await?
            .ok_or(DomainError::Stale)
    })
    .await
}

/// The provider confirms its offer stands under the bundle's changed conditions.
pub async fn confirm_offer(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    bundle_id: BundleId,
    offer_id: OfferId,
    now: DateTime<Utc>,
) -> DomainResult<Offer> {
    let found = Bundle::find(conn, bundle_id).await?;
    readable(conn, Some(caller), found, now).await?;
    conn.transaction::<_, DomainError, _>(async |conn| {
        let offer = own_offer_while_tendering(conn, caller, bundle_id, offer_id, now).await?;
        Ok(Offer::confirm(conn, offer.id, now).await?)
    })
    .await
}

/// The provider withdraws its offer until the offer deadline; the winner may also withdraw
/// after the award, which clears it so the owner can award the next in rank.
pub async fn withdraw_offer(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    bundle_id: BundleId,
    offer_id: OfferId,
    public_url: &str,
    now: DateTime<Utc>,
) -> DomainResult<Offer> {
    let found = Bundle::find(conn, bundle_id).await?;
    readable(conn, Some(caller), found, now).await?;
    let withdrawn = conn
        .transaction::<_, DomainError, _>(async |conn| {
            let bundle = Bundle::lock(conn, bundle_id)
                .await?
                .ok_or(DomainError::NotFound)?;
            let offer = own_live_offer(conn, caller, bundle_id, offer_id).await?;
            let won = bundle.awarded_offer_id == Some(offer.id);
            if !won {
                check(Move::Offer, Part::Provider, &bundle, now)?;
            }
            let withdrawn = Offer::withdraw(conn, offer.id, now).await?;
            if won {
                Bundle::clear_award(conn, &bundle, caller.id(), now).await?;
                let provider = Organization::find(conn, offer.provider_id).await?;
                let provider = provider.map_or_else(String::new, |p| p.name);
                for to in Membership::manager_emails(conn, bundle.owner_organization_id).await? {
                    let link = format!("{public_url}{}", evaluation_href(bundle.id));
                    let mail = templates::award_withdrawn(&to, &bundle.title, &provider, &link);
                    outbox::enqueue(conn, &mail, now).await?;
                }
            }
            Ok(withdrawn)
        })
        .await?;
    tracing::info!(bundle_id = %bundle_id, offer_id = %offer_id, "offer withdrawn");
    Ok(withdrawn)
}

/// The offers the caller may read: all live ones for the owner once they are opened, its own
/// (withdrawn ones too) for a provider, none for anyone else.
pub async fn list_offers(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    bundle_id: BundleId,
    now: DateTime<Utc>,
) -> DomainResult<(Vec<Offer>, OfferReader)> {
    let found = Bundle::find(conn, bundle_id).await?;
    let bundle = readable(conn, Some(caller), found, now).await?;
    let status = status_at(bundle.status, bundle.deadlines(), now);
    if is_owner(conn, caller, &bundle).await? {
        return if may_read_offer(OfferReader::Owner, status) {
            Ok((
                Offer::live_of_bundle(conn, bundle_id).await?,
                OfferReader::Owner,
            ))
        } else {
            Err(DomainError::Forbidden(SEALED.into()))
        };
    }
    let providers = providers_of(conn, caller).await?;
    if providers.is_empty() {
        return Err(DomainError::Forbidden(
            "Only the bundle's owner, after the offer deadline, reads its offers.".into(),
        ));
    }
    Ok((
        Offer::of_providers(conn, bundle_id, &providers).await?,
        OfferReader::Offerer,
    ))
}

/// One offer and who the caller is to it, if the caller may read it (else not found).
pub async fn get_offer(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    bundle_id: BundleId,
    offer_id: OfferId,
    now: DateTime<Utc>,
) -> DomainResult<(Offer, OfferReader)> {
    let found = Bundle::find(conn, bundle_id).await?;
    let bundle = readable(conn, Some(caller), found, now).await?;
    readable_offer(conn, caller, &bundle, offer_id, now).await
}

/// The owner scores an offer's quality criteria (0-10) while evaluating; scores of criteria
/// not sent stay as they were.
pub async fn score_offer(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    bundle_id: BundleId,
    offer_id: OfferId,
    input: ScoresInput,
    now: DateTime<Utc>,
) -> DomainResult<Offer> {
    let found = Bundle::find(conn, bundle_id).await?;
    let bundle = readable(conn, Some(caller), found, now).await?;
    let (offer, reader) = readable_offer(conn, caller, &bundle, offer_id, now).await?;
    if reader != OfferReader::Owner {
        return Err(DomainError::Forbidden(
            "Only the bundle's owner scores offers.".into(),
        ));
    }
    if !offer.is_live() {
        return Err(DomainError::NotFound);
    }
    let scores = input.validate(&quality_criteria(&weights(&bundle)?))?;
    conn.transaction::<_, DomainError, _>(async |conn| {
        let bundle = Bundle::lock(conn, bundle_id)
            .await?
            .ok_or(DomainError::NotFound)?;
        check(Move::Score, Part::Owner, &bundle, now)?;
        Ok(Offer::set_scores(conn, offer.id, &scores, now).await?)
    })
    .await
}

/// One offer's place in the ranking.
pub struct RankedOffer {
    pub offer: Offer,
    pub rank: usize,
    /// Weighted, 0-100.
    pub total: f64,
    pub price_score: f64,
    pub quality_scores: BTreeMap<Criterion, f64>,
    /// Quality criteria the owner has not scored yet (they count as 0).
    pub unscored: Vec<Criterion>,
    /// Abnormally low against the others: the owner asks the provider to explain.
    pub abnormally_low: bool,
}

/// The weighted ranking of a bundle's live offers, best first.
pub struct Ranking {
    pub method: PriceMethod,
    pub weights: BTreeMap<Criterion, u8>,
    pub offers: Vec<RankedOffer>,
}

fn rank_offers(bundle: &Bundle, offers: Vec<Offer>) -> DomainResult<Ranking> {
    let weights = weights(bundle)?;
    let quality = quality_criteria(&weights);
    let scored: Vec<award::Scored> = offers
        .iter()
        .map(|o| award::Scored {
            price_cents: o.price_cents,
            quality: stored_scores(&o.scores),
        })
        .collect();
    let prices: Vec<i64> = offers.iter().map(|o| o.price_cents).collect();
    let low: BTreeSet<usize> = award::abnormally_low(&prices).into_iter().collect();
    let ranked = award::rank(
        &weights,
        bundle.price_method,
        bundle.total_budget_cents,
        &scored,
    );
    let mut slots: Vec<Option<Offer>> = offers.into_iter().map(Some).collect();
    let offers = ranked
        .into_iter()
        .enumerate()
        .filter_map(|(place, r)| {
            let offer = slots[r.index].take()?;
            let quality_scores = scored[r.index].quality.clone();
            Some(RankedOffer {
                unscored: quality
                    .iter()
                    .copied()
                    .filter(|c| !quality_scores.contains_key(c))
                    .collect(),
                offer,
                rank: place + 1,
                total: r.total,
                price_score: r.price_score,
                quality_scores,
                abnormally_low: low.contains(&r.index),
            })
        })
        .collect();
    Ok(Ranking {
        method: bundle.price_method,
        weights,
        offers,
    })
}

/// The ranking, for the owner once the offers are opened.
pub async fn ranking(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    bundle_id: BundleId,
    now: DateTime<Utc>,
) -> DomainResult<Ranking> {
    let found = Bundle::find(conn, bundle_id).await?;
    let bundle = readable(conn, Some(caller), found, now).await?;
    if !is_owner(conn, caller, &bundle).await? {
        return Err(DomainError::Forbidden(
            "Only the bundle's owner sees the ranking.".into(),
        ));
    }
    let status = status_at(bundle.status, bundle.deadlines(), now);
    if !may_read_offer(OfferReader::Owner, status) {
        return Err(DomainError::Forbidden(SEALED.into()));
    }
    rank_offers(&bundle, Offer::live_of_bundle(conn, bundle_id).await?)
}

/// A bidder's own result once the bundle is awarded: its total, its rank and how many
/// ranked, as the outcome mail tells it; never another's offer. None before the award, or
/// for a caller whose providers have no live offer on the bundle.
pub struct OwnResult {
    pub total: f64,
    pub rank: usize,
    pub of: usize,
}

pub async fn own_result(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    bundle_id: BundleId,
    now: DateTime<Utc>,
) -> DomainResult<Option<OwnResult>> {
    let found = Bundle::find(conn, bundle_id).await?;
    let bundle = readable(conn, Some(caller), found, now).await?;
    if status_at(bundle.status, bundle.deadlines(), now) != BundleStatus::Awarded {
        return Ok(None);
    }
    let providers = providers_of(conn, caller).await?;
    let ranking = rank_offers(&bundle, Offer::live_of_bundle(conn, bundle_id).await?)?;
    let of = ranking.offers.len();
    Ok(ranking
        .offers
        .into_iter()
        .find(|r| providers.contains(&r.offer.provider_id))
        .map(|r| OwnResult {
            total: r.total,
            rank: r.rank,
            of,
        }))
}

/// Where the mails of each offer go: whoever submitted it and its provider's managers; in two
/// queries however many offers there are (an award mails every bidder).
async fn offers_recipients(
    conn: &mut AsyncPgConnection,
    offers: &[&Offer],
) -> DomainResult<Vec<Vec<String>>> {
    let providers: Vec<OrganizationId> = offers.iter().map(|o| o.provider_id).collect();
    let managers = Membership::manager_emails_of(conn, &providers).await?;
    let submitters: Vec<_> = offers.iter().filter_map(|o| o.submitted_by).collect();
    let submitters: BTreeMap<_, _> = User::emails_of(conn, &submitters)
        .await?
        .into_iter()
        .collect();
    Ok(offers
        .iter()
        .map(|offer| {
            let mut to: Vec<String> = managers
                .iter()
                .filter(|(provider, _)| *provider == offer.provider_id)
                .map(|(_, email)| email.clone())
                .chain(
                    offer
                        .submitted_by
                        .and_then(|by| submitters.get(&by).cloned()),
                )
                .collect();
            to.sort_by_key(|e| e.to_lowercase());
            to.dedup_by_key(|e| e.to_lowercase());
            to
        })
        .collect())
}

/// The award's mails: each bidder learns its own score and rank, every participant's managers
/// the winner. The addresses come in a few queries whatever the number of offers and
/// participants (one query each made an award of 1,000 schools and 200 offers take 0.5 s).
async fn award_mails(
    conn: &mut AsyncPgConnection,
    bundle: &Bundle,
    ranking: &Ranking,
    awarded: OfferId,
    motivation: &str,
    public_url: &str,
) -> DomainResult<Vec<Mail>> {
    let offer_link = format!("{public_url}{}", offer_href(bundle.id));
    let bundle_link = format!("{public_url}{}", bundle_href(bundle.id));
    let offers: Vec<&Offer> = ranking.offers.iter().map(|r| &r.offer).collect();
    let recipients = offers_recipients(conn, &offers).await?;
    let of = ranking.offers.len();
    let mut mails = Vec::new();
    let mut winner = String::new();
    for (ranked, to) in ranking.offers.iter().zip(recipients) {
        let won = ranked.offer.id == awarded;
        if won {
            winner = Organization::find(conn, ranked.offer.provider_id)
                .await?
                .map_or_else(String::new, |p| p.name);
        }
        for to in to {
            mails.push(templates::offer_outcome(
                &to,
                &bundle.title,
                won,
                ranked.total,
                ranked.rank,
                of,
                &offer_link,
            ));
        }
    }
    let participants: Vec<OrganizationId> = Bundle::participants(conn, bundle.id)
        .await?
        .into_iter()
        .map(|p| p.organization_id)
        .collect();
    for (_, to) in Membership::manager_emails_of(conn, &participants).await? {
        mails.push(templates::bundle_awarded(
            &to,
            &bundle.title,
            &winner,
            motivation,
            &bundle_link,
        ));
    }
    Ok(mails)
}

/// The owner awards the bundle to a live offer, with a motivation, after the offer deadline
/// (or, after the winner withdrew, to the next). Every bidder is told its own score and rank;
/// every participant, the winner.
pub async fn award_bundle(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    bundle_id: BundleId,
    input: AwardInput,
    settings: &TenderSettings,
    public_url: &str,
    now: DateTime<Utc>,
) -> DomainResult<BundleView> {
    let found = Bundle::find(conn, bundle_id).await?;
    readable(conn, Some(caller), found, now).await?;
    let (offer_id, motivation) = input.validate()?;
    let awarded = conn
        .transaction::<_, DomainError, _>(async |conn| {
            let bundle = Bundle::lock(conn, bundle_id)
                .await?
                .ok_or(DomainError::NotFound)?;
            let part = if is_owner(conn, caller, &bundle).await? {
                Part::Owner
            } else {
                Part::Other
            };
            check(Move::Award, part, &bundle, now)?;
            if bundle.awarded_offer_id.is_some() {
                return Err(DomainError::Conflict(
                    "The bundle is awarded; another offer can be awarded only if the winner withdraws.".into(),
                ));
            }
            let live = Offer::live_of_bundle(conn, bundle_id).await?;
            if !live.iter().any(|o| o.id == offer_id) {
                return Err(DomainError::invalid(
                    "offer_id",
                    "not_a_live_offer",
                    "name a live offer on this bundle",
                ));
            }
            let awarded =
                Bundle::award(conn, &bundle, offer_id, &motivation, caller.id(), now).await?;
            let ranking = rank_offers(&bundle, live)?;
            let mails =
                award_mails(conn, &bundle, &ranking, offer_id, &motivation, public_url).await?;
            outbox::enqueue_all(conn, &mails, now).await?;
            Ok(awarded)
        })
        .await?;
    tracing::info!(bundle_id = %bundle_id, offer_id = %offer_id, "bundle awarded");
    Ok(view(awarded, now, settings))
}

/// After the owner changed the conditions while offers could be made: every live offer needs
/// confirming, and its provider is told by mail (in the change's transaction).
pub(super) async fn offers_need_confirmation(
    conn: &mut AsyncPgConnection,
    bundle: &Bundle,
    public_url: &str,
    now: DateTime<Utc>,
) -> DomainResult<usize> {
    let link = format!("{public_url}{}", offer_href(bundle.id));
    let marked = Offer::require_confirmation(conn, bundle.id, now).await?;
    let deadline = crate::web::format::moment(bundle.offer_deadline);
    let offers: Vec<&Offer> = marked.iter().collect();
    let mut mails = Vec::new();
    for to in offers_recipients(conn, &offers)
        .await?
        .into_iter()
        .flatten()
    {
        mails.push(templates::offer_needs_confirmation(
            &to,
            &bundle.title,
            &deadline,
            &link,
        ));
    }
    outbox::enqueue_all(conn, &mails, now).await?;
    Ok(marked.len())
}
