//! A demand bundle's life, as a pure state machine: draft → open (schools join) → tendering
//! (providers offer) → evaluating → awarded, or cancelled. The two deadlines move a bundle on
//! by themselves (`status_at`); what people do (`Move`) is checked against the clock and the
//! caller's part in the bundle before the transaction that records it. Nothing here reads the
//! database or the clock: the caller hands in what was read, and `now`.

use std::collections::BTreeMap;

use chrono::{DateTime, SubsecRound, Utc};
use serde::Deserialize;

use crate::domain::award::{self, Criterion, PriceMethod};
use crate::domain::closed_set::closed_set;
use crate::domain::cost::Unit;
use crate::domain::offering::{codes, one_of, service_type};
use crate::domain::taxonomy;
use crate::domain::{DomainError, Fields};

pub const TITLE_MAX: usize = 150;
/// Each part of the need: room for the schools' own words.
pub const NEED_MAX: usize = 4_000;
/// A participant's wishes.
pub const WISHES_MAX: usize = 2_000;
/// More than any real bundle; far from overflow in sums over many participants.
pub const QUANTITY_MAX: i64 = 10_000_000;
pub const BUDGET_MAX_CENTS: i64 = 10_000_000_000;

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
    /// Who may join: the members of the owner's network, or any school or board.
    pub enum Visibility {
        Network = "network",
        Public = "public",
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

/// The need in the schools' own words, along the questions the advice asks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NeedInput {
    /// What is the problem the schools want solved?
    #[serde(default)]
    pub problem: String,
    /// What do they want to reach?
    #[serde(default)]
    pub goals: String,
    /// What should be there at the end?
    #[serde(default)]
    pub intended_result: String,
    /// How will they know it worked?
    #[serde(default)]
    pub success_measure: String,
}

/// One award criterion and its weight.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CriterionInput {
    /// `price`, `fit`, `lasting_effect`, `evidence`, `co_creation` or `expertise`.
    pub code: String,
    /// 1 to 100; the weights of a bundle sum to 100.
    pub weight: i64,
}

/// A bundle as its owner drafts it (and sends it whole again to change it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BundleInput {
    /// The network or school board the bundle is for; the caller coordinates or officers it.
    pub owner_organization_id: Option<crate::domain::OrganizationId>,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub need: NeedInput,
    #[serde(default)]
    pub domain: String,
    #[serde(default)]
    pub service_type: String,
    #[serde(default)]
    pub sectors: Vec<String>,
    #[serde(default)]
    pub regions: Vec<String>,
    /// `deelnemer`, `leerling`, `licentie`, `uur` or `school`.
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub criteria: Vec<CriterionInput>,
    /// `relative` (the default) or `budget`: how prices are scored, shown to bidders.
    pub price_method: Option<String>,
    pub join_deadline: Option<DateTime<Utc>>,
    pub offer_deadline: Option<DateTime<Utc>>,
    /// `network` or `public`.
    #[serde(default)]
    pub visibility: String,
}

/// A bundle that passed every rule, texts trimmed. Only `BundleInput::validate` makes one.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidBundle {
    pub title: String,
    pub need: [String; 4],
    pub domain: String,
    pub service_type: String,
    pub sectors: Vec<String>,
    pub regions: Vec<String>,
    pub unit: Unit,
    pub criteria: BTreeMap<Criterion, u8>,
    pub price_method: PriceMethod,
    pub deadlines: Deadlines,
    pub visibility: Visibility,
}

impl BundleInput {
    /// Checks every field as of `now` (the joining deadline must lie ahead).
    pub fn validate(self, now: DateTime<Utc>) -> Result<ValidBundle, DomainError> {
        self.validate_with(now, None)
    }

    /// Checks a change made while offers can be made: joining has closed, so the joining
    /// deadline stays `join`; the offer deadline must still lie ahead.
    pub fn validate_while_tendering(
        self,
        now: DateTime<Utc>,
        join: DateTime<Utc>,
    ) -> Result<ValidBundle, DomainError> {
        self.validate_with(now, Some(join))
    }

    fn validate_with(
        self,
        now: DateTime<Utc>,
        closed_join: Option<DateTime<Utc>>,
    ) -> Result<ValidBundle, DomainError> {
        let mut fields = Fields::new();
        let title = fields.text("title", &self.title, TITLE_MAX);
        let n = &self.need;
        let need = [
            ("need.problem", &n.problem),
            ("need.goals", &n.goals),
            ("need.intended_result", &n.intended_result),
            ("need.success_measure", &n.success_measure),
        ]
        .map(|(field, value)| fields.text(field, value, NEED_MAX));
        let domain = one_of(&mut fields, "domain", taxonomy::DOMAINS, &self.domain);
        let service_type = service_type(&mut fields, domain.as_deref(), &self.service_type);
        let sectors = codes(&mut fields, "sectors", &self.sectors, true, |c| {
            taxonomy::is_code(taxonomy::SECTORS, c)
        });
        let regions = codes(
            &mut fields,
            "regions",
            &self.regions,
            true,
            taxonomy::is_region,
        );
        let unit = Unit::parse(&self.unit);
        if unit.is_none() {
            fields.push(
                "unit",
                "unknown_code",
                format!("must be one of {}", taxonomy::codes(taxonomy::UNITS)),
            );
        }
        let criteria: award::WeightsInput = self
            .criteria
            .iter()
            .map(|c| (c.code.clone(), c.weight))
            .collect();
        let criteria = award::weights(&mut fields, &criteria);
        let price_method = match self.price_method.as_deref() {
            None => Some(PriceMethod::Relative),
            Some(raw) => {
                let method = PriceMethod::parse(raw);
                if method.is_none() {
                    fields.push("price_method", "unknown_code", "must be relative or budget");
                }
                method
            }
        };
        let deadlines = match (self.join_deadline, self.offer_deadline) {
            (Some(join), Some(offer)) => {
                // Stored to the microsecond, as PostgreSQL keeps time: a deadline read back
                // and sent again is then the same instant.
                let (join, offer) = (join.trunc_subsecs(6), offer.trunc_subsecs(6));
                let mut ok = true;
                match closed_join {
                    Some(closed) if join != closed => {
                        fields.push(
                            "join_deadline",
                            "immutable",
                            "joining has closed: the joining deadline stays as it was",
                        );
                        ok = false;
                    }
                    Some(_) if offer <= now => {
                        fields.push("offer_deadline", "in_past", "must lie ahead");
                        ok = false;
                    }
                    Some(_) => {}
                    None if join <= now => {
                        fields.push("join_deadline", "in_past", "must lie ahead");
                        ok = false;
                    }
                    None => {}
                }
                if offer <= join {
                    fields.push(
                        "offer_deadline",
                        "before_join_deadline",
                        "must come after the joining deadline",
                    );
                    ok = false;
                }
                ok.then_some(Deadlines { join, offer })
            }
            (join, offer) => {
                if join.is_none() {
                    fields.push("join_deadline", "required", "give a date and time");
                }
                if offer.is_none() {
                    fields.push("offer_deadline", "required", "give a date and time");
                }
                None
            }
        };
        let visibility = Visibility::parse(&self.visibility);
        if visibility.is_none() {
            fields.push("visibility", "unknown_code", "must be network or public");
        }
        let [a, b, c, d] = need;
        let parsed = (|| {
            Some(ValidBundle {
                title: title?,
                need: [a?, b?, c?, d?],
                domain: domain?,
                service_type: service_type?,
                sectors,
                regions,
                unit: unit?,
                criteria: criteria?,
                price_method: price_method?,
                deadlines: deadlines?,
                visibility: visibility?,
            })
        })();
        fields.finish_with(parsed)
    }
}

/// A participant's part as sent: how much of the unit, its budget and its wishes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ParticipationInput {
    /// The school or board that joins; the caller manages it.
    pub organization_id: Option<crate::domain::OrganizationId>,
    /// In the bundle's unit; more than 0.
    pub quantity: Option<i64>,
    /// Euro cents excluding VAT; 0 or more.
    pub budget_cents: Option<i64>,
    pub wishes: Option<String>,
}

/// A participant's part that passed the rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidParticipation {
    pub organization_id: crate::domain::OrganizationId,
    pub quantity: i64,
    pub budget_cents: i64,
    pub wishes: Option<String>,
}

impl ParticipationInput {
    pub fn validate(self) -> Result<ValidParticipation, DomainError> {
        let mut fields = Fields::new();
        if self.organization_id.is_none() {
            fields.push(
                "organization_id",
                "required",
                "name the school or board that joins",
            );
        }
        let quantity = match self.quantity {
            Some(q) if (1..=QUANTITY_MAX).contains(&q) => Some(q),
            _ => {
                fields.push(
                    "quantity",
                    "out_of_range",
                    format!("must be from 1 to {QUANTITY_MAX}"),
                );
                None
            }
        };
        let budget_cents = match self.budget_cents {
            Some(b) if (0..=BUDGET_MAX_CENTS).contains(&b) => Some(b),
            _ => {
                fields.push(
                    "budget_cents",
                    "out_of_range",
                    format!("must be from 0 to {BUDGET_MAX_CENTS}"),
                );
                None
            }
        };
        let wishes = match self.wishes.as_deref().map(str::trim) {
            None | Some("") => Some(None),
            Some(text) => fields.text("wishes", text, WISHES_MAX).map(Some),
        };
        let parsed = (|| {
            Some(ValidParticipation {
                organization_id: self.organization_id?,
                quantity: quantity?,
                budget_cents: budget_cents?,
                wishes: wishes?,
            })
        })();
        fields.finish_with(parsed)
    }
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

/// The tender rules' numbers (settings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TenderSettings {
    /// The thresholds a bundle's estimated value is held against.
    pub procurement: crate::domain::procurement::ProcurementSettings,
    /// A change of the conditions while offers can be made leaves at least this many days
    /// until the offer deadline (`EDUMARKT_BUNDLE_CHANGE_MIN_DAYS`, 4 by default).
    pub min_offer_days_after_change: i64,
    /// Questions close this many days before the offer deadline, so every provider reads the
    /// answers in time to offer (`EDUMARKT_BUNDLE_QUESTION_CLOSE_DAYS`, 3 by default; see
    /// `bundle_question::may_ask`).
    pub question_close_days: u32,
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
pub(crate) mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    /// A day of March 2027, at noon (the other deadline rules' tests use these too).
    pub(crate) fn at(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, 3, day, 12, 0, 0).unwrap()
    }

    pub(crate) fn deadlines() -> Deadlines {
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

    fn valid_input() -> BundleInput {
        BundleInput {
            owner_organization_id: None,
            title: " Dyslexie-aanpak voor tien scholen ".into(),
            need: NeedInput {
                problem: "Leerlingen met dyslexie lopen vast.".into(),
                goals: "Leraren signaleren vroeg.".into(),
                intended_result: "Een aanpak in elke school.".into(),
                success_measure: "Leesresultaten na een jaar.".into(),
            },
            domain: "leerlingenzorg".into(),
            service_type: "zorg_leerproblemen".into(),
            sectors: vec!["po".into()],
            regions: vec!["utrecht".into()],
            unit: "leerling".into(),
            criteria: vec![
                CriterionInput {
                    code: "price".into(),
                    weight: 40,
                },
                CriterionInput {
                    code: "fit".into(),
                    weight: 60,
                },
            ],
            price_method: None,
            join_deadline: Some(at(10)),
            offer_deadline: Some(at(20)),
            visibility: "network".into(),
        }
    }

    #[test]
    fn a_valid_bundle_is_trimmed_and_priced_relatively_by_default() {
        let valid = valid_input().validate(at(1)).unwrap();
        assert_eq!(valid.title, "Dyslexie-aanpak voor tien scholen");
        assert_eq!(valid.price_method, PriceMethod::Relative);
        assert_eq!(valid.unit, Unit::Leerling);
        assert_eq!(valid.visibility, Visibility::Network);
        assert_eq!(
            valid.criteria.values().map(|w| u32::from(*w)).sum::<u32>(),
            100
        );
    }

    #[test]
    fn every_broken_rule_of_a_bundle_is_named_at_once() {
        let input = BundleInput {
            owner_organization_id: None,
            title: String::new(),
            need: NeedInput::default(),
            domain: "professionalisering".into(),
            service_type: "zorg_leerproblemen".into(),
            sectors: vec![],
            regions: vec!["mars".into()],
            unit: "kilo".into(),
            criteria: vec![CriterionInput {
                code: "price".into(),
                weight: 30,
            }],
            price_method: Some("cheapest".into()),
            join_deadline: Some(at(10)),
            offer_deadline: Some(at(9)),
            visibility: "secret".into(),
        };
        let Err(DomainError::Invalid(errors)) = input.validate(at(11)) else {
            panic!("refused");
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        for field in [
            "title",
            "need.problem",
            "need.goals",
            "need.intended_result",
            "need.success_measure",
            "service_type",
            "sectors",
            "regions[0]",
            "unit",
            "criteria",
            "price_method",
            "join_deadline",
            "offer_deadline",
            "visibility",
        ] {
            assert!(fields.contains(&field), "{field} in {fields:?}");
        }
    }

    #[test]
    fn a_part_in_a_bundle_needs_a_quantity_and_a_budget() {
        let Err(DomainError::Invalid(errors)) = ParticipationInput {
            organization_id: None,
            quantity: Some(0),
            budget_cents: Some(-1),
            wishes: Some("\u{7}".into()),
        }
        .validate() else {
            panic!("refused");
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["organization_id", "quantity", "budget_cents", "wishes"]
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

    #[test]
    fn a_change_while_tendering_keeps_the_joining_deadline_and_needs_an_offer_deadline_ahead() {
        let input = valid_input();
        let join = input.join_deadline.unwrap();
        let offer = input.offer_deadline.unwrap();
        let after_join = join + Duration::hours(1);
        let valid = input
            .clone()
            .validate_while_tendering(after_join, join)
            .unwrap();
        assert_eq!(valid.deadlines, Deadlines { join, offer });
        let Err(DomainError::Invalid(errors)) = BundleInput {
            join_deadline: Some(join + Duration::days(1)),
            ..input.clone()
        }
        .validate_while_tendering(after_join, join) else {
            panic!("a moved joining deadline passed");
        };
        assert_eq!(errors[0].code, "immutable");
        let Err(DomainError::Invalid(errors)) = input.validate_while_tendering(offer, join) else {
            panic!("an offer deadline in the past passed");
        };
        assert_eq!(
            (errors[0].field.as_str(), errors[0].code),
            ("offer_deadline", "in_past")
        );
    }
}
