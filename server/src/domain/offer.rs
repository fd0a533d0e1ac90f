//! Sealed offers on a demand bundle: what an offer must hold, who may read one when, and the
//! owner's scores and award. Pure rules over what the use cases read; the bundle's moves
//! (offer until the deadline, score and award after it) are `domain::bundle::check`.
//!
//! The seal is the rule everything else leans on: before the offer deadline nobody but the
//! offering provider reads an offer, and the owner reads the offers only once the bundle is
//! being evaluated or has been awarded: never of a bundle cancelled before it got there.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::domain::award::{Criterion, MAX_SCORE};
use crate::domain::bundle::BundleStatus;
use crate::domain::{DomainError, Fields, OfferId, OfferingId, OrganizationId};

/// The longest proposal, in characters.
pub const PROPOSAL_MAX: usize = 20_000;
/// The longest answer to one quality criterion.
pub const ANSWER_MAX: usize = 4_000;
/// The longest motivation of an award.
pub const MOTIVATION_MAX: usize = 4_000;
/// The highest price of an offer, in euro cents (ten million euro covers any school network).
pub const PRICE_MAX_CENTS: i64 = 1_000_000_000;
/// The longest `Idempotency-Key` kept.
pub const IDEMPOTENCY_KEY_MAX: usize = 255;

/// An offer as sent (serialised again to recognise a repeated submission).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfferInput {
    /// The provider offering; may be left out by staff of exactly one provider.
    pub provider_id: Option<OrganizationId>,
    /// One of the provider's published offerings this offer delivers (optional).
    pub offering_id: Option<OfferingId>,
    /// For the bundle's whole quantity, euro cents excluding VAT.
    pub price_cents: Option<i64>,
    #[serde(default)]
    pub proposal: String,
    /// An answer per quality criterion of the bundle: `{"fit": "…"}`.
    #[serde(default)]
    pub criteria_answers: BTreeMap<String, String>,
}

/// An offer that passed the rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidOffer {
    pub offering_id: Option<OfferingId>,
    pub price_cents: i64,
    pub proposal: String,
    pub criteria_answers: BTreeMap<Criterion, String>,
}

/// The quality criteria of a bundle's weights: every criterion but the price, whose score
/// follows from the price itself.
pub fn quality_criteria(weights: &BTreeMap<Criterion, u8>) -> BTreeSet<Criterion> {
    weights
        .keys()
        .copied()
        .filter(|c| *c != Criterion::Price)
        .collect()
}

/// Parses answers or scores keyed by criterion code: each must be one of `quality`.
fn quality_key(
    fields: &mut Fields,
    field: &str,
    code: &str,
    quality: &BTreeSet<Criterion>,
) -> Option<Criterion> {
    match Criterion::parse(code) {
        Some(criterion) if quality.contains(&criterion) => Some(criterion),
        Some(Criterion::Price) => {
            fields.push(
                format!("{field}.{code}"),
                "not_a_quality_criterion",
                "the price is scored from the price itself",
            );
            None
        }
        _ => {
            let known: Vec<&str> = quality.iter().map(|c| c.as_str()).collect();
            fields.push(
                format!("{field}.{code}"),
                "unknown_criterion",
                format!("this bundle's quality criteria are {}", known.join(", ")),
            );
            None
        }
    }
}

impl OfferInput {
    /// Checks every field against the bundle's quality criteria; all errors at once.
    pub fn validate(self, quality: &BTreeSet<Criterion>) -> Result<ValidOffer, DomainError> {
        let mut fields = Fields::new();
        let price_cents = match self.price_cents {
            Some(p) if (0..=PRICE_MAX_CENTS).contains(&p) => Some(p),
            Some(_) => {
                fields.push(
                    "price_cents",
                    "out_of_range",
                    format!("must be from 0 to {PRICE_MAX_CENTS}"),
                );
                None
            }
            None => {
                fields.push(
                    "price_cents",
                    "required",
                    "give the price for the bundle's quantity",
                );
                None
            }
        };
        let proposal = fields.text("proposal", &self.proposal, PROPOSAL_MAX);
        let mut answers = BTreeMap::new();
        let mut answers_ok = true;
        for (code, text) in &self.criteria_answers {
            let criterion = quality_key(&mut fields, "criteria_answers", code, quality);
            let text = fields.text(&format!("criteria_answers.{code}"), text, ANSWER_MAX);
            match (criterion, text) {
                (Some(criterion), Some(text)) => {
                    answers.insert(criterion, text);
                }
                _ => answers_ok = false,
            }
        }
        let parsed = (|| {
            Some(ValidOffer {
                offering_id: self.offering_id,
                price_cents: price_cents?,
                proposal: proposal?,
                criteria_answers: answers_ok.then_some(answers)?,
            })
        })();
        fields.finish_with(parsed)
    }
}

/// The owner's scores of an offer's quality criteria, as sent.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoresInput {
    /// `{"fit": 7.5}`: 0 to 10 per quality criterion of the bundle.
    #[serde(default)]
    pub scores: BTreeMap<String, f64>,
}

impl ScoresInput {
    /// The scores, each a quality criterion of the bundle from 0 to 10; at least one.
    pub fn validate(
        self,
        quality: &BTreeSet<Criterion>,
    ) -> Result<BTreeMap<Criterion, f64>, DomainError> {
        let mut fields = Fields::new();
        if self.scores.is_empty() {
            fields.push("scores", "required", "score at least one quality criterion");
        }
        let mut scores = BTreeMap::new();
        let mut ok = true;
        for (code, value) in &self.scores {
            let criterion = quality_key(&mut fields, "scores", code, quality);
            let value = crate::domain::award::score(&mut fields, &format!("scores.{code}"), *value);
            match (criterion, value) {
                (Some(criterion), Some(value)) => {
                    scores.insert(criterion, value);
                }
                _ => ok = false,
            }
        }
        fields.finish_with(ok.then_some(scores))
    }
}

/// The award as sent: which offer, and why.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AwardInput {
    pub offer_id: Option<OfferId>,
    #[serde(default)]
    pub motivation: String,
}

impl AwardInput {
    pub fn validate(self) -> Result<(OfferId, String), DomainError> {
        let mut fields = Fields::new();
        if self.offer_id.is_none() {
            fields.push("offer_id", "required", "name the offer to award");
        }
        let motivation = fields.text("motivation", &self.motivation, MOTIVATION_MAX);
        let parsed = (|| Some((self.offer_id?, motivation?)))();
        fields.finish_with(parsed)
    }
}

/// Who reads an offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfferReader {
    /// Staff of the provider that made it.
    Offerer,
    /// A manager of the bundle's owner.
    Owner,
    /// Anyone else: other providers, participants, moderators.
    Other,
}

/// Whether `reader` may read an offer of a bundle whose status (at now) is `status`: the
/// provider always; the owner once the offers are opened (evaluating, awarded); nobody else,
/// ever (bidders learn their own score and rank by mail, never another's offer).
pub fn may_read_offer(reader: OfferReader, status: BundleStatus) -> bool {
    match reader {
        OfferReader::Offerer => true,
        OfferReader::Owner => matches!(status, BundleStatus::Evaluating | BundleStatus::Awarded),
        OfferReader::Other => false,
    }
}

/// Scores stored as `{"fit": 7.5}`, read back leniently: codes no longer among the bundle's
/// criteria are dropped, values clamped to the scale.
pub fn stored_scores(value: &serde_json::Value) -> BTreeMap<Criterion, f64> {
    value
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(code, v)| Some((Criterion::parse(code)?, v.as_f64()?.clamp(0.0, MAX_SCORE))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quality() -> BTreeSet<Criterion> {
        BTreeSet::from([Criterion::Fit, Criterion::LastingEffect])
    }

    fn codes(error: DomainError) -> Vec<(String, &'static str)> {
        match error {
            DomainError::Invalid(errors) => errors.into_iter().map(|e| (e.field, e.code)).collect(),
            other => panic!("expected invalid, got {other:?}"),
        }
    }

    #[test]
    fn an_offer_names_a_price_a_proposal_and_answers_to_the_bundles_quality_criteria() {
        let valid = OfferInput {
            price_cents: Some(4_500_000),
            proposal: "  Een traject van drie dagdelen. ".into(),
            criteria_answers: BTreeMap::from([("fit".into(), "Sluit aan bij groep 5.".into())]),
            ..OfferInput::default()
        }
        .validate(&quality())
        .unwrap();
        assert_eq!(valid.price_cents, 4_500_000);
        assert_eq!(valid.proposal, "Een traject van drie dagdelen.");
        assert_eq!(
            valid
                .criteria_answers
                .get(&Criterion::Fit)
                .map(String::as_str),
            Some("Sluit aan bij groep 5.")
        );
    }

    #[test]
    fn every_broken_rule_of_an_offer_is_listed_at_once() {
        let errors = codes(
            OfferInput {
                price_cents: Some(-1),
                proposal: " ".into(),
                criteria_answers: BTreeMap::from([
                    ("price".into(), "goedkoop".into()),
                    ("evidence".into(), "onderzocht".into()),
                    ("fit".into(), "".into()),
                ]),
                ..OfferInput::default()
            }
            .validate(&quality())
            .unwrap_err(),
        );
        let fields: Vec<&str> = errors.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "price_cents",
                "proposal",
                "criteria_answers.evidence",
                "criteria_answers.fit",
                "criteria_answers.price"
            ]
        );
        assert!(errors.contains(&("criteria_answers.price".into(), "not_a_quality_criterion")));
        assert!(errors.contains(&("criteria_answers.evidence".into(), "unknown_criterion")));
        let missing = codes(OfferInput::default().validate(&quality()).unwrap_err());
        assert!(missing.contains(&("price_cents".into(), "required")));
    }

    #[test]
    fn scores_are_zero_to_ten_for_quality_criteria_only() {
        let scores = ScoresInput {
            scores: BTreeMap::from([("fit".into(), 7.5), ("lasting_effect".into(), 0.0)]),
        }
        .validate(&quality())
        .unwrap();
        assert_eq!(scores.get(&Criterion::Fit), Some(&7.5));
        let errors = codes(
            ScoresInput {
                scores: BTreeMap::from([
                    ("fit".into(), 10.5),
                    ("price".into(), 5.0),
                    ("lasting_effect".into(), f64::NAN),
                ]),
            }
            .validate(&quality())
            .unwrap_err(),
        );
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(
            codes(ScoresInput::default().validate(&quality()).unwrap_err())
                .contains(&("scores".into(), "required"))
        );
    }

    #[test]
    fn an_award_names_the_offer_and_its_motivation() {
        let errors = codes(AwardInput::default().validate().unwrap_err());
        assert_eq!(
            errors,
            [
                ("offer_id".into(), "required"),
                ("motivation".into(), "required")
            ]
        );
        let id = OfferId::generate();
        assert_eq!(
            AwardInput {
                offer_id: Some(id),
                motivation: "Beste prijs-kwaliteit".into()
            }
            .validate()
            .unwrap(),
            (id, "Beste prijs-kwaliteit".into())
        );
    }

    #[test]
    fn only_the_offerer_reads_an_offer_before_the_offers_are_opened() {
        use BundleStatus::*;
        for status in [Draft, Open, Tendering, Evaluating, Awarded, Cancelled] {
            assert!(may_read_offer(OfferReader::Offerer, status));
            assert!(!may_read_offer(OfferReader::Other, status));
        }
        for status in [Draft, Open, Tendering, Cancelled] {
            assert!(!may_read_offer(OfferReader::Owner, status), "{status:?}");
        }
        assert!(may_read_offer(OfferReader::Owner, Evaluating));
        assert!(may_read_offer(OfferReader::Owner, Awarded));
    }

    #[test]
    fn stored_scores_drop_unknown_codes_and_stay_on_the_scale() {
        let scores = stored_scores(&serde_json::json!({"fit": 12.0, "gone": 3.0, "evidence": 4}));
        assert_eq!(
            scores,
            BTreeMap::from([(Criterion::Fit, 10.0), (Criterion::Evidence, 4.0)])
        );
    }
}
