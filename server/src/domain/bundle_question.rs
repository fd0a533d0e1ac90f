//! Questions and answers on a demand bundle (the nota van inlichtingen): providers ask while
//! the bundle takes part in the market, until a set number of days before the offer deadline,
//! so every provider has time to read the answers before offering; the owner answers once, and
//! every answer is public to the bundle's readers with the asker anonymous. Pure rules: the
//! use case hands in the bundle's status, its deadlines and `now`.

use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;

use crate::domain::bundle::{BundleStatus, Deadlines, status_at};
use crate::domain::{DomainError, Fields, OrganizationId};

/// A question: room for a precise one, not for a document.
pub const QUESTION_MAX: usize = 2_000;
/// An answer may quote and explain.
pub const ANSWER_MAX: usize = 4_000;
/// How many days before the offer deadline questions close, unless configured.
pub const DEFAULT_CLOSE_DAYS: u32 = 3;

/// The instant questions close: `close_days` before the offer deadline.
pub fn questions_close_at(deadlines: Deadlines, close_days: u32) -> DateTime<Utc> {
    deadlines.offer - Duration::days(i64::from(close_days))
}

/// Why a question is refused now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AskRefusal {
    /// The bundle is not open or tendering (a draft, or over).
    WrongState(BundleStatus),
    /// The closing instant has come (it is closed at the instant itself).
    Closed(DateTime<Utc>),
}

/// Whether a question may be asked at `now`: from the bundle's opening while it is open or
/// tendering, strictly before `questions_close_at`.
pub fn may_ask(
    stored: BundleStatus,
    deadlines: Deadlines,
    close_days: u32,
    now: DateTime<Utc>,
) -> Result<(), AskRefusal> {
    let status = status_at(stored, deadlines, now);
    if !matches!(status, BundleStatus::Open | BundleStatus::Tendering) {
        return Err(AskRefusal::WrongState(status));
    }
    let closes = questions_close_at(deadlines, close_days);
    if now >= closes {
        return Err(AskRefusal::Closed(closes));
    }
    Ok(())
}

/// Whether the owner may answer at `now`: while the tender runs or is being evaluated (a late
/// answer still completes the record), not on a draft, an awarded or a cancelled bundle.
pub fn may_answer(
    stored: BundleStatus,
    deadlines: Deadlines,
    now: DateTime<Utc>,
) -> Result<(), BundleStatus> {
    let status = status_at(stored, deadlines, now);
    match status {
        BundleStatus::Open | BundleStatus::Tendering | BundleStatus::Evaluating => Ok(()),
        other => Err(other),
    }
}

/// What the reader is to the questions of a bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuestionReader {
    /// Manages the owning organisation: sees every question, answered or not.
    Owner,
    /// Works for these providers: answered questions, and their own unanswered ones.
    Provider(Vec<OrganizationId>),
    /// Anyone else who may read the bundle: the answered questions.
    Other,
}

impl QuestionReader {
    /// Whether a question asked for `asker`, answered or not, is shown to this reader.
    pub fn sees(&self, asker: OrganizationId, answered: bool) -> bool {
        answered
            || match self {
                QuestionReader::Owner => true,
                QuestionReader::Provider(own) => own.contains(&asker),
                QuestionReader::Other => false,
            }
    }
}

/// A question as a provider sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionInput {
    #[serde(default)]
    pub question: String,
    /// The provider asking, when the caller works for more than one (else their only one).
    pub provider_id: Option<OrganizationId>,
}

/// The owner's answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerInput {
    #[serde(default)]
    pub answer: String,
}

/// A question that passed the rules: its text, trimmed, and the provider it is asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidQuestion {
    pub question: String,
    pub provider_id: OrganizationId,
}

impl QuestionInput {
    /// Checks every field at once; `providers` are those the caller works for (at least one:
    /// whether the caller may ask at all is decided before).
    pub fn validate(&self, providers: &[OrganizationId]) -> Result<ValidQuestion, DomainError> {
        let mut fields = Fields::new();
        let question = fields.text("question", &self.question, QUESTION_MAX);
        let provider_id = match (self.provider_id, providers) {
            (Some(id), _) if providers.contains(&id) => Some(id),
            (Some(_), _) => {
                fields.push("provider_id", "not_yours", "name a provider you work for");
                None
            }
            (None, [only]) => Some(*only),
            (None, _) => {
                fields.push(
                    "provider_id",
                    "required",
                    "you work for several providers: name the one asking",
                );
                None
            }
        };
        let parsed = (|| {
            Some(ValidQuestion {
                question: question?,
                provider_id: provider_id?,
            })
        })();
        fields.finish_with(parsed)
    }
}

impl AnswerInput {
    /// The answer's text, trimmed, within its limit.
    pub fn validate(&self) -> Result<String, DomainError> {
        let mut fields = Fields::new();
        let answer = fields.text("answer", &self.answer, ANSWER_MAX);
        fields.finish_with(answer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::bundle::tests::{at, deadlines};

    #[test]
    fn questions_close_days_before_the_offer_deadline_at_the_instant_itself() {
        let closes = questions_close_at(deadlines(), 3);
        assert_eq!(closes, at(17));
        let ms = Duration::milliseconds(1);
        assert_eq!(
            may_ask(BundleStatus::Open, deadlines(), 3, closes - ms),
            Ok(())
        );
        assert_eq!(
            may_ask(BundleStatus::Open, deadlines(), 3, closes),
            Err(AskRefusal::Closed(closes))
        );
        // Zero days: until the offer deadline, where the bundle is evaluating anyway.
        assert_eq!(
            may_ask(BundleStatus::Open, deadlines(), 0, at(20) - ms),
            Ok(())
        );
        assert_eq!(
            may_ask(BundleStatus::Open, deadlines(), 0, at(20)),
            Err(AskRefusal::WrongState(BundleStatus::Evaluating))
        );
    }

    #[test]
    fn questions_are_asked_while_open_or_tendering_only() {
        // Open for joining, and tendering after the joining deadline (stored as open).
        assert_eq!(may_ask(BundleStatus::Open, deadlines(), 3, at(5)), Ok(()));
        assert_eq!(may_ask(BundleStatus::Open, deadlines(), 3, at(12)), Ok(()));
        for stored in [
            BundleStatus::Draft,
            BundleStatus::Cancelled,
            BundleStatus::Awarded,
        ] {
            assert_eq!(
                may_ask(stored, deadlines(), 3, at(5)),
                Err(AskRefusal::WrongState(stored))
            );
        }
    }

    #[test]
    fn answers_come_until_the_tender_is_over() {
        assert!(may_answer(BundleStatus::Open, deadlines(), at(5)).is_ok());
        assert!(may_answer(BundleStatus::Open, deadlines(), at(18)).is_ok());
        // After the offer deadline: evaluating, a late answer still completes the record.
        assert!(may_answer(BundleStatus::Open, deadlines(), at(25)).is_ok());
        assert_eq!(
            may_answer(BundleStatus::Awarded, deadlines(), at(25)),
            Err(BundleStatus::Awarded)
        );
        assert_eq!(
            may_answer(BundleStatus::Cancelled, deadlines(), at(5)),
            Err(BundleStatus::Cancelled)
        );
    }

    #[test]
    fn readers_see_answers_and_only_the_owner_and_asker_see_open_questions() {
        let (mine, theirs) = (OrganizationId::generate(), OrganizationId::generate());
        let provider = QuestionReader::Provider(vec![mine]);
        assert!(provider.sees(mine, false));
        assert!(!provider.sees(theirs, false));
        assert!(provider.sees(theirs, true));
        assert!(QuestionReader::Owner.sees(theirs, false));
        assert!(!QuestionReader::Other.sees(theirs, false));
        assert!(QuestionReader::Other.sees(theirs, true));
    }

    fn fields(result: Result<impl std::fmt::Debug, DomainError>) -> Vec<String> {
        match result {
            Err(DomainError::Invalid(errors)) => errors.into_iter().map(|e| e.field).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn texts_are_required_and_limited_and_every_error_comes_at_once() {
        let (mine, other) = (OrganizationId::generate(), OrganizationId::generate());
        let long = QuestionInput {
            question: "v".repeat(QUESTION_MAX + 1),
            provider_id: Some(other),
        };
        assert_eq!(fields(long.validate(&[mine])), ["question", "provider_id"]);
        let unnamed = QuestionInput {
            question: "Mag het online?".into(),
            provider_id: None,
        };
        assert_eq!(fields(unnamed.validate(&[mine, other])), ["provider_id"]);
        assert_eq!(unnamed.validate(&[mine]).unwrap().provider_id, mine);
        let named = QuestionInput {
            provider_id: Some(other),
            ..unnamed
        };
        assert_eq!(named.validate(&[mine, other]).unwrap().provider_id, other);
        let empty = AnswerInput {
            answer: "  ".into(),
        };
        assert_eq!(fields(empty.validate()), ["answer"]);
        let fine = QuestionInput {
            question: "  Mag de training ook online?  ".into(),
            provider_id: None,
        };
        assert_eq!(
            fine.validate(&[mine]).unwrap().question,
            "Mag de training ook online?"
        );
    }
}
