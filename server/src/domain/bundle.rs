//! A demand bundle's life, as a pure state machine: draft → open (schools join) → tendering
//! (providers offer) → evaluating → awarded, or cancelled. The two deadlines move a bundle on
//! by themselves (`status_at`); what people do (`Move`) is checked against the clock and the
//! caller's part in the bundle before the transaction that records it. Nothing here reads the
//! database or the clock: the caller hands in what was read, and `now`.

use chrono::{DateTime, Utc};

use crate::domain::closed_set::closed_set;

closed_set! {
    pub enum BundleStatus {
        Draft = "draft",
        Open = "open",
        Tendering = "tendering",
        Evaluating = "evaluating",
        Awarded = "awarded",
        Cancelled = "cancelled",
    }
}

closed_set! {
    /// What someone does to a bundle.
    pub enum Move {
        /// The owner opens a draft for schools to join.
        Open = "open",
        /// A school or board joins, changes its part, or withdraws.
        Join = "join",
        /// A provider offers, changes or withdraws its offer.
        Offer = "offer",
        /// The owner scores offers, after the offer deadline.
        Score = "score",
        /// The owner awards one offer (or the next in rank, when the winner withdrew).
        Award = "award",
        /// The owner stops the bundle.
        Cancel = "cancel",
        /// The owner changes the conditions (drafts, and open bundles before offers close).
        Change = "change",
    }
}

closed_set! {
    /// Who the caller is to this bundle.
    pub enum Part {
        /// The network coordinator or board officer who drafted it, for their organisation.
        Owner = "owner",
        /// A manager of a school or board that may join.
        Participant = "participant",
        /// Staff of a provider.
        Provider = "provider",
        /// Anyone else (moderators included: they have no part in a tender).
        Other = "other",
    }
}

/// The two deadlines; the offer deadline comes after the joining deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadlines {
    pub join: DateTime<Utc>,
    pub offer: DateTime<Utc>,
}

/// Why a move is refused: the bundle's state or time, or the caller's part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The caller has no part that allows this move.
    NotAllowed,
    /// The bundle is not (or no longer) in a state for it.
    WrongState(BundleStatus),
}

/// The status a stored one has at `now`: the joining deadline turns an open bundle into a
/// tendering one, the offer deadline a tendering one into an evaluating one. A deadline is
/// passed at the instant itself: an offer at the deadline is too late.
pub fn status_at(stored: BundleStatus, deadlines: Deadlines, now: DateTime<Utc>) -> BundleStatus {
    match stored {
        BundleStatus::Open | BundleStatus::Tendering if now >= deadlines.offer => {
            BundleStatus::Evaluating
        }
        BundleStatus::Open if now >= deadlines.join => BundleStatus::Tendering,
        other => other,
    }
}

/// Whether `part` may make `step` on a bundle stored as `stored`, at `now`; on success, the
/// status to store afterwards.
pub fn check(
    step: Move,
    part: Part,
    stored: BundleStatus,
    deadlines: Deadlines,
    now: DateTime<Utc>,
) -> Result<BundleStatus, Refusal> {
    use BundleStatus::{Awarded, Cancelled, Draft, Evaluating, Open, Tendering};
    let current = status_at(stored, deadlines, now);
    let who = match step {
        Move::Join => Part::Participant,
        Move::Offer => Part::Provider,
        _ => Part::Owner,
    };
    if part != who {
        return Err(Refusal::NotAllowed);
    }
    let allowed = match step {
        // Opening a draft whose joining deadline has passed would skip the joining.
        Move::Open => current == Draft && now < deadlines.join,
        Move::Join => current == Open,
        Move::Offer => current == Tendering,
        Move::Score => current == Evaluating,
        // Awarded again: the next in rank, after the winner withdrew.
        Move::Award => matches!(current, Evaluating | Awarded),
        Move::Cancel => matches!(current, Draft | Open | Tendering | Evaluating),
        Move::Change => matches!(current, Draft | Open | Tendering),
    };
    if !allowed {
        return Err(Refusal::WrongState(current));
    }
    Ok(match step {
        Move::Open => Open,
        Move::Award => Awarded,
        Move::Cancel => Cancelled,
        _ => current,
    })
}

/// After the owner changes the conditions of a bundle with offers possible, the offer
/// deadline must leave providers at least `min_days` to confirm or change their offers: a
/// later deadline when fewer days are left, the same one otherwise.
pub fn offer_deadline_after_change(
    deadlines: Deadlines,
    now: DateTime<Utc>,
    min_days: i64,
) -> DateTime<Utc> {
    deadlines.offer.max(now + chrono::Duration::days(min_days))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn at(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, 3, day, 12, 0, 0).unwrap()
    }

    fn deadlines() -> Deadlines {
        Deadlines {
            join: at(10),
            offer: at(20),
        }
    }

    #[test]
    fn the_deadlines_move_an_open_bundle_on_at_the_instant_itself() {
        let d = deadlines();
        let ms = Duration::milliseconds(1);
        assert_eq!(
            status_at(BundleStatus::Open, d, d.join - ms),
            BundleStatus::Open
        );
        assert_eq!(
            status_at(BundleStatus::Open, d, d.join),
            BundleStatus::Tendering
        );
        assert_eq!(
            status_at(BundleStatus::Open, d, d.offer - ms),
            BundleStatus::Tendering
        );
        assert_eq!(
            status_at(BundleStatus::Open, d, d.offer),
            BundleStatus::Evaluating
        );
        assert_eq!(
            status_at(BundleStatus::Tendering, d, d.offer),
            BundleStatus::Evaluating
        );
        // A draft, an award and a cancellation stay what they are.
        for stored in [
            BundleStatus::Draft,
            BundleStatus::Awarded,
            BundleStatus::Cancelled,
        ] {
            assert_eq!(status_at(stored, d, at(28)), stored);
        }
    }

    #[test]
    fn offers_are_taken_until_one_millisecond_before_the_deadline() {
        let d = deadlines();
        let ms = Duration::milliseconds(1);
        let offer = |now| check(Move::Offer, Part::Provider, BundleStatus::Open, d, now);
        assert_eq!(
            offer(d.join - ms),
            Err(Refusal::WrongState(BundleStatus::Open))
        );
        assert_eq!(offer(d.join), Ok(BundleStatus::Tendering));
        assert_eq!(offer(d.offer - ms), Ok(BundleStatus::Tendering));
        assert_eq!(
            offer(d.offer),
            Err(Refusal::WrongState(BundleStatus::Evaluating))
        );
        let join = |now| check(Move::Join, Part::Participant, BundleStatus::Open, d, now);
        assert_eq!(join(d.join - ms), Ok(BundleStatus::Open));
        assert_eq!(
            join(d.join),
            Err(Refusal::WrongState(BundleStatus::Tendering))
        );
    }

    #[test]
    fn only_the_owner_opens_scores_awards_changes_and_cancels() {
        let d = deadlines();
        for step in [
            Move::Open,
            Move::Score,
            Move::Award,
            Move::Cancel,
            Move::Change,
        ] {
            for part in [Part::Participant, Part::Provider, Part::Other] {
                assert_eq!(
                    check(step, part, BundleStatus::Draft, d, at(1)),
                    Err(Refusal::NotAllowed),
                    "{step:?} by {part:?}"
                );
            }
        }
        assert_eq!(
            check(Move::Join, Part::Owner, BundleStatus::Open, d, at(1)),
            Err(Refusal::NotAllowed)
        );
        assert_eq!(
            check(
                Move::Offer,
                Part::Participant,
                BundleStatus::Open,
                d,
                at(12)
            ),
            Err(Refusal::NotAllowed)
        );
    }

    #[test]
    fn the_owners_moves_follow_the_states() {
        let d = deadlines();
        let owner = |step, stored, now| check(step, Part::Owner, stored, d, now);
        assert_eq!(
            owner(Move::Open, BundleStatus::Draft, at(1)),
            Ok(BundleStatus::Open)
        );
        // Too late to open: the joining would be skipped.
        assert_eq!(
            owner(Move::Open, BundleStatus::Draft, at(10)),
            Err(Refusal::WrongState(BundleStatus::Draft))
        );
        assert_eq!(
            owner(Move::Open, BundleStatus::Open, at(1)),
            Err(Refusal::WrongState(BundleStatus::Open))
        );
        // Scoring and awarding wait for the offer deadline.
        assert_eq!(
            owner(Move::Score, BundleStatus::Open, at(19)),
            Err(Refusal::WrongState(BundleStatus::Tendering))
        );
        assert_eq!(
            owner(Move::Score, BundleStatus::Open, at(20)),
            Ok(BundleStatus::Evaluating)
        );
        assert_eq!(
            owner(Move::Award, BundleStatus::Tendering, at(21)),
            Ok(BundleStatus::Awarded)
        );
        // The next in rank after the winner withdrew.
        assert_eq!(
            owner(Move::Award, BundleStatus::Awarded, at(25)),
            Ok(BundleStatus::Awarded)
        );
        assert_eq!(
            owner(Move::Cancel, BundleStatus::Open, at(15)),
            Ok(BundleStatus::Cancelled)
        );
        assert_eq!(
            owner(Move::Cancel, BundleStatus::Awarded, at(25)),
            Err(Refusal::WrongState(BundleStatus::Awarded))
        );
        assert_eq!(
            owner(Move::Change, BundleStatus::Open, at(21)),
            Err(Refusal::WrongState(BundleStatus::Evaluating))
        );
        assert_eq!(
            owner(Move::Award, BundleStatus::Cancelled, at(25)),
            Err(Refusal::WrongState(BundleStatus::Cancelled))
        );
    }

    #[test]
    fn a_late_change_moves_the_offer_deadline_out() {
        let d = deadlines();
        // Eighteen days left: the deadline stays.
        assert_eq!(offer_deadline_after_change(d, at(2), 4), d.offer);
        // Two days left: at least four from now.
        assert_eq!(offer_deadline_after_change(d, at(18), 4), at(22));
    }
}
