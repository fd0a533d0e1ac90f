//! Follow-ups of a review: months after writing it, its author says whether the offering is
//! still in use and how lasting its effect turned out. When the author is asked (6 and 12
//! months after the review) is the rule here too, so the job and its tests agree.

use chrono::{DateTime, Months, Utc};
use serde::Deserialize;

use crate::domain::DomainError;
use crate::domain::Fields;
use crate::domain::review::{optional_text, stars};

/// The longest note a follow-up may carry.
pub const NOTE_MAX: usize = 500;

/// How many months after a review its author is asked for a follow-up.
pub const ASK_AFTER_MONTHS: [u32; 2] = [6, 12];

/// When the author of a review written at `written_at` is asked for each follow-up: the
/// months after and the moment (calendar months; the 31st falls back to the month's last day).
pub fn ask_at(written_at: DateTime<Utc>) -> Vec<(u32, DateTime<Utc>)> {
    ASK_AFTER_MONTHS
        .into_iter()
        .filter_map(|months| Some((months, written_at.checked_add_months(Months::new(months))?)))
        .collect()
}

/// A follow-up as its author sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowUpInput {
    /// Whether the offering is still in use; required.
    pub still_in_use: Option<bool>,
    /// 1 to 5: how lasting the effect is now.
    pub lasting_effect: Option<i64>,
    /// A short note (at most 500 characters).
    pub note: Option<String>,
}

/// A follow-up that passed every rule. Only `FollowUpInput::validate` makes one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidFollowUp {
    pub still_in_use: bool,
    pub lasting_effect: Option<u8>,
    pub note: Option<String>,
}

impl FollowUpInput {
    /// Checks every field, listing each broken rule.
    pub fn validate(self) -> Result<ValidFollowUp, DomainError> {
        let mut fields = Fields::new();
        if self.still_in_use.is_none() {
            fields.push(
                "still_in_use",
                "required",
                "say whether the offering is still in use",
            );
        }
        let lasting_effect = stars(&mut fields, "lasting_effect", self.lasting_effect, false);
        let note = optional_text(&mut fields, "note", self.note.as_deref(), NOTE_MAX);
        let still_in_use = fields.finish_with(self.still_in_use)?;
        Ok(ValidFollowUp {
            still_in_use,
            lasting_effect,
            note,
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn the_author_is_asked_six_and_twelve_calendar_months_later() {
        let written = Utc.with_ymd_and_hms(2026, 8, 31, 10, 0, 0).unwrap();
        assert_eq!(
            ask_at(written),
            [
                // No 31 February: the last day of the month.
                (6, Utc.with_ymd_and_hms(2027, 2, 28, 10, 0, 0).unwrap()),
                (12, Utc.with_ymd_and_hms(2027, 8, 31, 10, 0, 0).unwrap()),
            ]
        );
    }

    #[test]
    fn a_valid_follow_up_is_trimmed() {
        let valid = FollowUpInput {
            still_in_use: Some(true),
            lasting_effect: Some(4),
            note: Some("  Nog steeds in gebruik in groep 5. ".into()),
        }
        .validate()
        .unwrap();
        assert_eq!(
            valid,
            ValidFollowUp {
                still_in_use: true,
                lasting_effect: Some(4),
                note: Some("Nog steeds in gebruik in groep 5.".into()),
            }
        );
        let bare = FollowUpInput {
            still_in_use: Some(false),
            note: Some(" ".into()),
            ..Default::default()
        };
        assert_eq!(bare.validate().unwrap().note, None);
    }

    #[test]
    fn every_invalid_field_is_listed_at_once() {
        let Err(DomainError::Invalid(errors)) = FollowUpInput {
            still_in_use: None,
            lasting_effect: Some(6),
            note: Some("x".repeat(NOTE_MAX + 1)),
        }
        .validate() else {
            panic!("expected errors")
        };
        let found: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            found,
            [
                ("still_in_use", "required"),
                ("lasting_effect", "out_of_range"),
                ("note", "too_long"),
            ]
        );
        // A rating alone out of range is refused even when the rest is fine.
        let low = FollowUpInput {
            still_in_use: Some(true),
            lasting_effect: Some(0),
            note: None,
        };
        assert!(low.validate().is_err());
    }
}
