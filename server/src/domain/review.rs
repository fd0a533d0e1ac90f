//! What makes a review valid: an overall rating and any other ratings from 1 to 5, a context
//! of known codes and a sensible period, plain texts within their limits, and an explicit
//! declaration of any tie to the provider and of any reward. Every broken rule is reported at
//! once. Also how a review names its author to the public ("docent vo, Utrecht").

use chrono::NaiveDate;
use serde::Deserialize;

use crate::domain::closed_set::closed_set;
use crate::domain::taxonomy;
use crate::domain::{DomainError, Fields, OrganizationId, Role};

/// Pros, pitfalls and advice: room for a real experience, not for an essay.
pub const TEXT_MAX: usize = 2_000;
/// A declaration of a tie or a reward.
pub const DECLARATION_MAX: usize = 500;
/// The value of `provider_tie` and `reward` that declares there is none.
pub const NONE: &str = "none";

closed_set! {
    /// How far the offering was used: in the reviewer's own class, a team, the whole school.
    pub enum Scale {
        OwnClass = "own_class",
        Team = "team",
        School = "school",
    }
}

closed_set! {
    /// How far the school got with it.
    pub enum Phase {
        Started = "started",
        Implemented = "implemented",
        Embedded = "embedded",
    }
}

closed_set! {
    /// The school's number of pupils, in bands coarse enough not to single a school out.
    pub enum SchoolSize {
        Under200 = "tot_200",
        From200 = "200_500",
        From500 = "500_1000",
        From1000 = "vanaf_1000",
    }
}

closed_set! {
    /// The orders of an offering's reviews: most helpful, newest, highest or lowest overall
    /// rating first, or verified ones first (newest first within each).
    pub enum ReviewSort {
        Helpful = "helpful",
        Newest = "newest",
        Highest = "highest",
        Lowest = "lowest",
        Verified = "verified",
    }
}

closed_set! {
    /// What a moderator does with a reported review.
    pub enum ModerationAction {
        Hide = "hide",
        Restore = "restore",
    }
}

/// The rated dimensions, in the order of `Ratings`; `overall` is the one every review has.
pub const DIMENSIONS: [&str; 6] = [
    "overall",
    "fit_with_practice",
    "expertise",
    "lasting_effect",
    "value_for_money",
    "teacher_involvement",
];

/// The ratings as sent: numbers, checked here so an out-of-range one is a field error.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RatingsInput {
    /// 1 to 5; required.
    pub overall: Option<i64>,
    pub fit_with_practice: Option<i64>,
    pub expertise: Option<i64>,
    pub lasting_effect: Option<i64>,
    pub value_for_money: Option<i64>,
    pub teacher_involvement: Option<i64>,
}

impl RatingsInput {
    fn values(&self) -> [Option<i64>; 6] {
        [
            self.overall,
            self.fit_with_practice,
            self.expertise,
            self.lasting_effect,
            self.value_for_money,
            self.teacher_involvement,
        ]
    }
}

/// The context as sent: codes and dates as text, checked here.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContextInput {
    /// `po`, `so`, `vo` or `mbo`; required.
    pub sector: Option<String>,
    /// `teacher`, `school_leader` or `board_officer`; defaults to the reviewer's role in the
    /// school or board they review from.
    pub role: Option<String>,
    /// `tot_200`, `200_500`, `500_1000` or `vanaf_1000` pupils.
    pub school_size: Option<String>,
    /// `YYYY-MM` or `YYYY-MM-DD`; not in the future.
    pub period_start: Option<String>,
    /// `YYYY-MM` or `YYYY-MM-DD`; not before the start, not in the future.
    pub period_end: Option<String>,
    /// `own_class`, `team` or `school`.
    pub scale: Option<String>,
    /// `started`, `implemented` or `embedded`.
    pub phase: Option<String>,
    pub still_in_use: Option<bool>,
}

/// A review as its author sends it (create, and the whole review again on an edit).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewInput {
    pub ratings: RatingsInput,
    pub context: ContextInput,
    pub pros: Option<String>,
    pub pitfalls: Option<String>,
    pub advice: Option<String>,
    /// `none`, or a description of the reviewer's tie to the provider; required.
    pub provider_tie: Option<String>,
    /// `none`, or a description of any reward received for the review; required.
    pub reward: Option<String>,
    /// Show the reviewer's name instead of only "docent vo, Utrecht".
    #[serde(default)]
    pub show_name: bool,
    /// The school or board the reviewer reviews from; defaults to the first they belong to.
    pub organization_id: Option<OrganizationId>,
}

/// Ratings that passed: `overall` always, the others when given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ratings {
    pub overall: u8,
    pub others: [Option<u8>; 5],
}

impl Ratings {
    /// Every dimension in `DIMENSIONS` order.
    pub fn all(&self) -> [Option<u8>; 6] {
        let [a, b, c, d, e] = self.others;
        [Some(self.overall), a, b, c, d, e]
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewContext {
    pub sector: String,
    /// `None`: the reviewer's role in the organisation they review from.
    pub role: Option<Role>,
    pub school_size: Option<SchoolSize>,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    pub scale: Option<Scale>,
    pub phase: Option<Phase>,
    pub still_in_use: Option<bool>,
}

/// A review that passed every rule, texts trimmed (an empty one is absent). Only
/// `ReviewInput::validate` makes one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidReview {
    pub ratings: Ratings,
    pub context: ReviewContext,
    pub pros: Option<String>,
    pub pitfalls: Option<String>,
    pub advice: Option<String>,
    /// `None`: no tie declared.
    pub provider_tie: Option<String>,
    /// `None`: no reward declared.
    pub reward: Option<String>,
    pub show_name: bool,
    pub organization_id: Option<OrganizationId>,
}

/// Whether a role is one a reviewer holds at a school or board.
pub fn is_reviewer_role(role: Role) -> bool {
    matches!(
        role,
        Role::Teacher | Role::SchoolLeader | Role::BoardOfficer
    )
}

fn rating(fields: &mut Fields, dimension: &str, value: Option<i64>, required: bool) -> Option<u8> {
    stars(fields, &format!("ratings.{dimension}"), value, required)
}

/// A rating of 1 to 5 stars in `field` (the review's ratings, a follow-up's lasting effect).
pub(crate) fn stars(
    fields: &mut Fields,
    field: &str,
    value: Option<i64>,
    required: bool,
) -> Option<u8> {
    match value {
        None if required => {
            fields.push(field, "required", "rate from 1 to 5");
            None
        }
        None => None,
        Some(v) => match u8::try_from(v) {
            Ok(v) if (1..=5).contains(&v) => Some(v),
            _ => {
                fields.push(field, "out_of_range", "must be from 1 to 5");
                None
            }
        },
    }
}

/// An optional code of a closed set: unknown ones are field errors.
fn code<T>(
    fields: &mut Fields,
    field: &str,
    value: Option<&str>,
    parse: fn(&str) -> Option<T>,
    known: &str,
) -> Option<T> {
    let value = value?;
    let parsed = parse(value);
    if parsed.is_none() {
        fields.push(field, "unknown_code", format!("must be one of {known}"));
    }
    parsed
}

/// `YYYY-MM` (the first of the month) or `YYYY-MM-DD`, not after `today`.
fn month_or_day(
    fields: &mut Fields,
    field: &str,
    value: Option<&str>,
    today: NaiveDate,
) -> Option<NaiveDate> {
    let value = value?.trim();
    let parsed = NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(&format!("{value}-01"), "%Y-%m-%d"))
        .ok();
    match parsed {
        None => {
            fields.push(
                field,
                "invalid",
                "must be a month (YYYY-MM) or a date (YYYY-MM-DD)",
            );
            None
        }
        Some(date) if date > today => {
            fields.push(field, "in_future", "must not be in the future");
            None
        }
        Some(date) => Some(date),
    }
}

/// An optional plain text: absent when empty.
pub(crate) fn optional_text(
    fields: &mut Fields,
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Option<String> {
    let value = value.filter(|v| !v.trim().is_empty())?;
    fields.text(field, value, max)
}

/// A required declaration: `none`, or what there is to declare.
fn declaration(fields: &mut Fields, field: &str, value: Option<&str>) -> Option<Option<String>> {
    match value.map(str::trim) {
        None | Some("") => {
            fields.push(field, "required", "declare `none` or describe it");
            None
        }
        Some(v) if v.eq_ignore_ascii_case(NONE) => Some(None),
        Some(v) => fields.text(field, v, DECLARATION_MAX).map(Some),
    }
}

impl ReviewInput {
    /// Checks every field against the rules, as of `today` (a period cannot lie ahead).
    pub fn validate(self, today: NaiveDate) -> Result<ValidReview, DomainError> {
        let mut fields = Fields::new();
        let values = self.ratings.values();
        let overall = rating(&mut fields, DIMENSIONS[0], values[0], true);
        let mut others = [None; 5];
        for (i, slot) in others.iter_mut().enumerate() {
            *slot = rating(&mut fields, DIMENSIONS[i + 1], values[i + 1], false);
        }
        let c = &self.context;
        let sector = match c.sector.as_deref() {
            None => {
                fields.push(
                    "context.sector",
                    "required",
                    "name the sector: po, so, vo or mbo",
                );
                None
            }
            Some(s) if taxonomy::is_code(taxonomy::SECTORS, s) => Some(s.to_owned()),
            Some(_) => {
                fields.push(
                    "context.sector",
                    "unknown_code",
                    format!("must be one of {}", taxonomy::codes(taxonomy::SECTORS)),
                );
                None
            }
        };
        let role = code(
            &mut fields,
            "context.role",
            c.role.as_deref(),
            |r| Role::parse(r).filter(|r| is_reviewer_role(*r)),
            "teacher, school_leader, board_officer",
        );
        let school_size = code(
            &mut fields,
            "context.school_size",
            c.school_size.as_deref(),
            SchoolSize::parse,
            "tot_200, 200_500, 500_1000, vanaf_1000",
        );
        let scale = code(
            &mut fields,
            "context.scale",
            c.scale.as_deref(),
            Scale::parse,
            "own_class, team, school",
        );
        let phase = code(
            &mut fields,
            "context.phase",
            c.phase.as_deref(),
            Phase::parse,
            "started, implemented, embedded",
        );
        let period_start = month_or_day(
            &mut fields,
            "context.period_start",
            c.period_start.as_deref(),
            today,
        );
        let period_end = month_or_day(
            &mut fields,
            "context.period_end",
            c.period_end.as_deref(),
            today,
        );
        if let (Some(start), Some(end)) = (period_start, period_end)
            && end < start
        {
            fields.push(
                "context.period_end",
                "before_start",
                "must not be before the start",
            );
        }
        let pros = optional_text(&mut fields, "pros", self.pros.as_deref(), TEXT_MAX);
        let pitfalls = optional_text(&mut fields, "pitfalls", self.pitfalls.as_deref(), TEXT_MAX);
        let advice = optional_text(&mut fields, "advice", self.advice.as_deref(), TEXT_MAX);
        let provider_tie = declaration(&mut fields, "provider_tie", self.provider_tie.as_deref());
        let reward = declaration(&mut fields, "reward", self.reward.as_deref());
        // Each required part parsed, or its field error is listed.
        let parsed = (|| Some((overall?, sector?, provider_tie?, reward?)))();
        let (overall, sector, provider_tie, reward) = fields.finish_with(parsed)?;
        Ok(ValidReview {
            ratings: Ratings { overall, others },
            context: ReviewContext {
                sector,
                role,
                school_size,
                period_start,
                period_end,
                scale,
                phase,
                still_in_use: c.still_in_use,
            },
            pros,
            pitfalls,
            advice,
            provider_tie,
            reward,
            show_name: self.show_name,
            organization_id: self.organization_id,
        })
    }
}

/// How the public names a reviewer: role, sector and the school's province ("docent vo,
/// Utrecht"), with the name in front only when the reviewer chose to show it.
pub fn public_label(role: Role, sector: &str, province: Option<&str>) -> String {
    let role = match role {
        Role::Teacher => "docent",
        Role::SchoolLeader => "schoolleider",
        Role::BoardOfficer => "bestuurder",
        other => other.label_nl(),
    };
    let province = province.and_then(|p| taxonomy::PROVINCES.iter().find(|c| c.code == p));
    match province {
        Some(province) => format!("{role} {sector}, {}", province.nl),
        None => format!("{role} {sector}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
    }

    fn valid_input() -> ReviewInput {
        ReviewInput {
            ratings: RatingsInput {
                overall: Some(4),
                lasting_effect: Some(5),
                ..Default::default()
            },
            context: ContextInput {
                sector: Some("vo".into()),
                period_start: Some("2025-09".into()),
                period_end: Some("2026-06-30".into()),
                scale: Some("team".into()),
                ..Default::default()
            },
            pros: Some("  Praktisch en concreet. ".into()),
            pitfalls: Some("   ".into()),
            provider_tie: Some("none".into()),
            reward: Some("NONE".into()),
            ..Default::default()
        }
    }

    #[test]
    fn a_valid_review_is_trimmed_and_parsed() {
        let review = valid_input().validate(today()).unwrap();
        assert_eq!(
            review.ratings.all(),
            [Some(4), None, None, Some(5), None, None]
        );
        assert_eq!(review.context.sector, "vo");
        assert_eq!(review.context.scale, Some(Scale::Team));
        assert_eq!(
            review.context.period_start,
            NaiveDate::from_ymd_opt(2025, 9, 1)
        );
        assert_eq!(review.pros.as_deref(), Some("Praktisch en concreet."));
        assert_eq!(review.pitfalls, None);
        assert_eq!((review.provider_tie, review.reward), (None, None));
    }

    #[test]
    fn every_invalid_field_is_reported_at_once() {
        let input = ReviewInput {
            ratings: RatingsInput {
                overall: None,
                expertise: Some(6),
                value_for_money: Some(0),
                ..Default::default()
            },
            context: ContextInput {
                sector: Some("hbo".into()),
                role: Some("provider_admin".into()),
                school_size: Some("huge".into()),
                period_start: Some("2026-13".into()),
                period_end: Some("2027-01".into()),
                scale: Some("country".into()),
                phase: Some("dreaming".into()),
                still_in_use: None,
            },
            pros: Some("x".repeat(TEXT_MAX + 1)),
            provider_tie: None,
            reward: Some("y".repeat(DECLARATION_MAX + 1)),
            ..Default::default()
        };
        let Err(DomainError::Invalid(errors)) = input.validate(today()) else {
            panic!("expected field errors")
        };
        let named: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            named,
            vec![
                ("ratings.overall", "required"),
                ("ratings.expertise", "out_of_range"),
                ("ratings.value_for_money", "out_of_range"),
                ("context.sector", "unknown_code"),
                ("context.role", "unknown_code"),
                ("context.school_size", "unknown_code"),
                ("context.scale", "unknown_code"),
                ("context.phase", "unknown_code"),
                ("context.period_start", "invalid"),
                ("context.period_end", "in_future"),
                ("pros", "too_long"),
                ("provider_tie", "required"),
                ("reward", "too_long"),
            ]
        );
    }

    #[test]
    fn a_period_must_not_end_before_it_starts() {
        let mut input = valid_input();
        input.context.period_start = Some("2026-03".into());
        input.context.period_end = Some("2026-02-28".into());
        let Err(DomainError::Invalid(errors)) = input.validate(today()) else {
            panic!("expected field errors")
        };
        assert_eq!(errors[0].field, "context.period_end");
        assert_eq!(errors[0].code, "before_start");
    }

    #[test]
    fn a_declared_tie_is_kept() {
        let mut input = valid_input();
        input.provider_tie = Some("Ik gaf er zelf een workshop.".into());
        let review = input.validate(today()).unwrap();
        assert_eq!(
            review.provider_tie.as_deref(),
            Some("Ik gaf er zelf een workshop.")
        );
    }

    #[test]
    fn the_public_sees_role_sector_and_province() {
        assert_eq!(
            public_label(Role::Teacher, "vo", Some("utrecht")),
            "docent vo, Utrecht"
        );
        assert_eq!(
            public_label(Role::SchoolLeader, "po", Some("noord_holland")),
            "schoolleider po, Noord-Holland"
        );
        assert_eq!(
            public_label(Role::BoardOfficer, "mbo", None),
            "bestuurder mbo"
        );
    }
}
