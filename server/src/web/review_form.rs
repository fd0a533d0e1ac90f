//! Writing, editing and deleting one's review: `/aanbod/{id}/beoordelen` (a new one; someone
//! who wrote one already edits theirs), `/beoordelingen/{id}/bewerken` and
//! `/beoordelingen/{id}/verwijderen`. The form sends what the API's `ReviewInput` holds, to
//! the same use cases; a save of an edit loaded at an older version is refused with what was
//! typed kept (as the offering and profile forms do).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::{Datelike, NaiveDate};

use crate::authz::NoReview;
use crate::db::models::review::ReviewContent;
use crate::domain::review::{ContextInput, DIMENSIONS, NONE, RatingsInput, ReviewInput};
use crate::domain::taxonomy;
use crate::domain::{DomainError, FieldError, OfferingId, ReviewId};
use crate::http::client::client_hash;
use crate::state::AppState;
use crate::usecases::reviews::{self, ReviewStart};
use crate::web::csrf::CsrfForm;
use crate::web::dashboard::{loaded_version, parse_id, refused};
use crate::web::error::{PageError, PageResult};
use crate::web::form::{Builder, Control, FormErrors, FormSection, Pairs, pairs};
use crate::web::layout::see_other;
use crate::web::layout::{Layout, Section};
use crate::web::session::{SignedIn, respond};
use crate::web::sign_in::MessagePage;
use crate::web::text as t;

/// The rated dimensions' controls are named as the dimensions are.
const RATINGS: [&str; 6] = DIMENSIONS;

/// What the form holds, as typed, so a refused form shows exactly what was sent. Controls
/// are named after the API's fields without their group (`ratings.overall` is `overall`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReviewForm {
    pub ratings: [String; 6],
    pub sector: String,
    pub role: String,
    pub school_size: String,
    pub period_start: String,
    pub period_end: String,
    pub scale: String,
    pub phase: String,
    pub still_in_use: String,
    pub pros: String,
    pub pitfalls: String,
    pub advice: String,
    pub provider_tie: String,
    pub reward: String,
    pub show_name: bool,
}

/// "geen" (or the API's `none`) declares there is nothing to declare.
fn declaration(typed: &str) -> Option<String> {
    let typed = typed.trim();
    if typed.eq_ignore_ascii_case("geen") {
        Some(NONE.to_owned())
    } else {
        Some(typed.to_owned()).filter(|v| !v.is_empty())
    }
}

/// A month as the form shows it: `2025-09`, or the whole date when it is not the first.
fn period(date: Option<NaiveDate>) -> String {
    match date {
        Some(d) if d.day() == 1 => d.format("%Y-%m").to_string(),
        Some(d) => d.format("%Y-%m-%d").to_string(),
        None => String::new(),
    }
}

impl ReviewForm {
    pub fn posted(form: &CsrfForm) -> ReviewForm {
        // Browsers send a text area's line breaks as CRLF; reviews store LF.
        let text = |name: &str| form.value(name).replace("\r\n", "\n");
        ReviewForm {
            ratings: RATINGS.map(text),
            sector: text("sector"),
            role: text("role"),
            school_size: text("school_size"),
            period_start: text("period_start"),
            period_end: text("period_end"),
            scale: text("scale"),
            phase: text("phase"),
            still_in_use: text("still_in_use"),
            pros: text("pros"),
            pitfalls: text("pitfalls"),
            advice: text("advice"),
            provider_tie: text("provider_tie"),
            reward: text("reward"),
            show_name: form.is_checked("show_name"),
        }
    }

    /// A stored review, as its form shows it.
    pub fn of(c: &ReviewContent) -> ReviewForm {
        let text = |value: &Option<String>| value.clone().unwrap_or_default();
        let declared = |value: &Option<String>| value.clone().unwrap_or_else(|| "geen".to_owned());
        ReviewForm {
            ratings: c
                .ratings()
                .map(|r| r.map(|v| v.to_string()).unwrap_or_default()),
            sector: c.sector.clone(),
            role: c.role.as_str().to_owned(),
            school_size: c
                .school_size
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default(),
            period_start: period(c.period_start),
            period_end: period(c.period_end),
            scale: c.scale.map(|s| s.as_str().to_owned()).unwrap_or_default(),
            phase: c.phase.map(|p| p.as_str().to_owned()).unwrap_or_default(),
            still_in_use: c.still_in_use.map(|s| s.to_string()).unwrap_or_default(),
            pros: text(&c.pros),
            pitfalls: text(&c.pitfalls),
            advice: text(&c.advice),
            provider_tie: declared(&c.provider_tie),
            reward: declared(&c.reward),
            show_name: c.show_name,
        }
    }

    /// The use case's input. An empty select is no value; a rating that is no number (only a
    /// hand-made post sends one) is sent as 0, which the rules refuse with the field's error.
    pub fn input(&self) -> ReviewInput {
        let chosen = |v: &str| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
        let [overall, fit, expertise, lasting, value, involvement] = self
            .ratings
            .clone()
            .map(|r| chosen(&r).map(|r| r.parse::<i64>().unwrap_or(0)));
        ReviewInput {
            ratings: RatingsInput {
                overall,
                fit_with_practice: fit,
                expertise,
                lasting_effect: lasting,
                value_for_money: value,
                teacher_involvement: involvement,
            },
            context: ContextInput {
                sector: chosen(&self.sector),
                role: chosen(&self.role),
                school_size: chosen(&self.school_size),
                period_start: chosen(&self.period_start),
                period_end: chosen(&self.period_end),
                scale: chosen(&self.scale),
                phase: chosen(&self.phase),
                still_in_use: match self.still_in_use.as_str() {
                    "true" => Some(true),
                    "false" => Some(false),
                    _ => None,
                },
            },
            pros: chosen(&self.pros),
            pitfalls: chosen(&self.pitfalls),
            advice: chosen(&self.advice),
            provider_tie: declaration(&self.provider_tie),
            reward: declaration(&self.reward),
            show_name: self.show_name,
            organization_id: None,
        }
    }

    pub fn sections(&self, errors: &FormErrors) -> Vec<FormSection> {
        let b = Builder { errors };
        let stars: Pairs = t::RATING_CHOICES.to_vec();
        let ratings = RATINGS
            .iter()
            .zip(&self.ratings)
            .map(|(&name, value)| {
                let hint = match name {
                    "overall" => t::REVIEW_OVERALL_HINT,
                    "lasting_effect" => t::REVIEW_LASTING_HINT,
                    _ => t::REVIEW_RATING_HINT,
                };
                let groups = vec![(None, stars.clone())];
                b.select_groups(name, t::dimension_label(name), Some(hint), groups, value)
            })
            .collect();
        let select = |name, label, hint, list: &[(&'static str, &'static str)], value: &str| {
            b.select_groups(name, label, hint, vec![(None, list.to_vec())], value)
        };
        vec![
            FormSection {
                legend: t::REVIEW_RATINGS,
                controls: ratings,
            },
            FormSection {
                legend: t::REVIEW_CONTEXT,
                controls: vec![
                    select(
                        "sector",
                        t::review_field_label("sector"),
                        Some(t::REVIEW_SECTOR_HINT),
                        &pairs(taxonomy::SECTORS),
                        &self.sector,
                    ),
                    select(
                        "role",
                        t::REVIEW_ROLE,
                        Some(t::REVIEW_ROLE_HINT),
                        &t::REVIEW_ROLES,
                        &self.role,
                    ),
                    select(
                        "school_size",
                        t::REVIEW_SCHOOL_SIZE,
                        None,
                        &t::SCHOOL_SIZES,
                        &self.school_size,
                    ),
                    b.text(
                        "period_start",
                        t::REVIEW_PERIOD_START,
                        Some(t::REVIEW_PERIOD_HINT),
                        &self.period_start,
                        0,
                    ),
                    b.text(
                        "period_end",
                        t::REVIEW_PERIOD_END,
                        Some(t::REVIEW_PERIOD_HINT),
                        &self.period_end,
                        0,
                    ),
                    select(
                        "scale",
                        t::REVIEW_SCALE,
                        Some(t::REVIEW_SCALE_HINT),
                        &t::SCALES,
                        &self.scale,
                    ),
                    select(
                        "phase",
                        t::REVIEW_PHASE,
                        Some(t::REVIEW_PHASE_HINT),
                        &t::PHASES,
                        &self.phase,
                    ),
                    select(
                        "still_in_use",
                        t::REVIEW_STILL_IN_USE,
                        None,
                        &t::YES_NO,
                        &self.still_in_use,
                    ),
                ],
            },
            FormSection {
                legend: t::REVIEW_TEXTS,
                controls: vec![
                    b.text(
                        "pros",
                        t::REVIEWS_PROS,
                        Some(t::REVIEW_PROS_HINT),
                        &self.pros,
                        5,
                    ),
                    b.text(
                        "pitfalls",
                        t::REVIEWS_PITFALLS,
                        Some(t::REVIEW_PITFALLS_HINT),
                        &self.pitfalls,
                        5,
                    ),
                    b.text(
                        "advice",
                        t::REVIEWS_ADVICE,
                        Some(t::REVIEW_ADVICE_HINT),
                        &self.advice,
                        5,
                    ),
                ],
            },
            FormSection {
                legend: t::REVIEW_DECLARATIONS,
                controls: vec![
                    b.text(
                        "provider_tie",
                        t::REVIEWS_TIE,
                        Some(t::REVIEW_TIE_HINT),
                        &self.provider_tie,
                        0,
                    ),
                    b.text(
                        "reward",
                        t::REVIEWS_REWARD,
                        Some(t::REVIEW_REWARD_HINT),
                        &self.reward,
                        0,
                    ),
                    b.boxes(
                        "show_name",
                        t::REVIEW_SHOW_NAME,
                        None,
                        &[("ja", t::REVIEW_SHOW_NAME_CHOICE)],
                        &(if self.show_name {
                            vec!["ja".to_owned()]
                        } else {
                            Vec::new()
                        }),
                    ),
                ],
            },
        ]
    }
}

/// The control of an API field: `ratings.overall` → `overall`.
fn control(field: &str) -> &str {
    field.rsplit_once('.').map_or(field, |(_, name)| name)
}

/// The use case's field errors in Dutch, each at its control.
fn review_errors(errors: &[FieldError]) -> FormErrors {
    FormErrors::at_controls(
        errors,
        |field, code, _| {
            format!(
                "{}: {}",
                t::review_field_label(control(field)),
                t::review_problem(code)
            )
        },
        control,
    )
}

#[derive(Template)]
#[template(path = "review_form.html")]
struct ReviewFormPage {
    page: Layout,
    heading: &'static str,
    offering_title: String,
    offering_href: String,
    /// The school or board a new review is written from.
    organization: Option<String>,
    errors: FormErrors,
    csrf: String,
    action: String,
    version: Option<i32>,
    sections: Vec<FormSection>,
    button: &'static str,
}

fn edit_href(id: ReviewId) -> String {
    format!("/beoordelingen/{id}/bewerken")
}

/// Why the visitor may not review, as a Dutch page (403) with the way on.
fn refusal_page(visitor: &SignedIn, refusal: NoReview, offering: OfferingId) -> HttpResponse {
    let text = match refusal {
        NoReview::Unverified => t::REVIEW_REFUSED_UNVERIFIED,
        NoReview::ProviderStaff => t::REVIEW_REFUSED_STAFF,
        NoReview::NoSchool => t::REVIEW_REFUSED_NO_SCHOOL,
    };
    let page = MessagePage::new(
        visitor.layout(t::REVIEW_REFUSED_TITLE, Section::Other),
        t::REVIEW_REFUSED_TITLE,
        text,
    )
    .link(&format!("/aanbod/{offering}"), t::BACK_TO_OFFERING)
    .link("/beoordelingen/uitleg", t::REVIEWS_HOW);
    respond(&visitor.csrf, StatusCode::FORBIDDEN, &page)
}

/// `GET /aanbod/{id}/beoordelen`: the empty form, or the visitor's own review to edit, or why
/// they may not review this offering.
pub async fn new_review(
    state: web::Data<AppState>,
    visitor: SignedIn,
    id: web::Path<String>,
) -> PageResult<HttpResponse> {
    let id: OfferingId = parse_id(&id)?;
    let mut conn = state.conn().await?;
    let (offering, start) = reviews::start_review(&mut conn, &visitor.caller, id).await?;
    let organization = match start {
        ReviewStart::Write { organization } => organization,
        ReviewStart::Edit(own) => return Ok(see_other(&edit_href(own))),
        ReviewStart::Refused(refusal) => return Ok(refusal_page(&visitor, refusal, id)),
    };
    let errors = FormErrors::default();
    let page = ReviewFormPage {
        page: visitor.layout(t::REVIEW_NEW_TITLE, Section::Other),
        heading: t::REVIEW_NEW_TITLE,
        offering_title: offering.content.title.clone(),
        offering_href: format!("/aanbod/{id}"),
        organization: Some(organization),
        sections: ReviewForm::default().sections(&errors),
        errors,
        csrf: visitor.csrf.token.clone(),
        action: format!("/aanbod/{id}/beoordelen"),
        version: None,
        button: t::REVIEW_SUBMIT,
    };
    Ok(respond(&visitor.csrf, StatusCode::OK, &page))
}

/// `POST /aanbod/{id}/beoordelen`: writes the review and shows it on the offering's page; or
/// the form again with every error at once and what was typed.
pub async fn create_review(
    req: HttpRequest,
    state: web::Data<AppState>,
    visitor: SignedIn,
    id: web::Path<String>,
    posted: CsrfForm,
) -> PageResult<HttpResponse> {
    let id: OfferingId = parse_id(&id)?;
    let form = ReviewForm::posted(&posted);
    let mut conn = state.conn().await?;
    let (offering, start) = reviews::start_review(&mut conn, &visitor.caller, id).await?;
    let organization = match start {
        ReviewStart::Write { organization } => organization,
        ReviewStart::Edit(own) => return Ok(see_other(&edit_href(own))),
        ReviewStart::Refused(refusal) => return Ok(refusal_page(&visitor, refusal, id)),
    };
    let written = reviews::create_review(
        &mut conn,
        &visitor.caller,
        id,
        form.input(),
        &state.config.reviews,
        &client_hash(&req, &state.config),
        state.clock.now(),
    )
    .await;
    let errors = match written {
        Ok(view) => {
            return Ok(see_other(&format!(
                "/aanbod/{id}?melding=geplaatst#ervaring-{}",
                view.review.id
            )));
        }
        Err(DomainError::Invalid(errors)) => review_errors(&errors),
        Err(other) => return Err(other.into()),
    };
    let page = ReviewFormPage {
        page: visitor.layout(t::REVIEW_NEW_TITLE, Section::Other),
        heading: t::REVIEW_NEW_TITLE,
        offering_title: offering.content.title.clone(),
        offering_href: format!("/aanbod/{id}"),
        organization: Some(organization),
        sections: form.sections(&errors),
        errors,
        csrf: visitor.csrf.token.clone(),
        action: format!("/aanbod/{id}/beoordelen"),
        version: None,
        button: t::REVIEW_SUBMIT,
    };
    Ok(respond(&visitor.csrf, StatusCode::BAD_REQUEST, &page))
}

fn edit_page(
    visitor: &SignedIn,
    id: ReviewId,
    offering: &crate::db::models::offering::Offering,
    form: &ReviewForm,
    errors: FormErrors,
    version: Option<i32>,
) -> ReviewFormPage {
    ReviewFormPage {
        page: visitor.layout(t::REVIEW_EDIT_TITLE, Section::Other),
        heading: t::REVIEW_EDIT_TITLE,
        offering_title: offering.content.title.clone(),
        offering_href: format!("/aanbod/{}", offering.id),
        organization: None,
        sections: form.sections(&errors),
        errors,
        csrf: visitor.csrf.token.clone(),
        action: edit_href(id),
        version,
        button: t::REVIEW_SAVE,
    }
}

/// `GET /beoordelingen/{id}/bewerken`: the author's review in its form, at its version.
pub async fn edit_review(
    state: web::Data<AppState>,
    visitor: SignedIn,
    id: web::Path<String>,
) -> PageResult<HttpResponse> {
    let id: ReviewId = parse_id(&id)?;
    let mut conn = state.conn().await?;
    let (view, offering) = reviews::review_for_editing(&mut conn, &visitor.caller, id).await?;
    let form = ReviewForm::of(&view.review.content);
    let page = edit_page(
        &visitor,
        id,
        &offering,
        &form,
        FormErrors::default(),
        Some(view.review.version),
    );
    Ok(respond(&visitor.csrf, StatusCode::OK, &page))
}

/// `POST /beoordelingen/{id}/bewerken`: saves the review if it is still at the version the
/// form was loaded at (the public then sees that and when it was edited). Otherwise the form
/// comes back with what was typed: with every error, or, after a save elsewhere, at the
/// current version so that saving again is a choice.
pub async fn update_review(
    state: web::Data<AppState>,
    visitor: SignedIn,
    id: web::Path<String>,
    posted: CsrfForm,
) -> PageResult<HttpResponse> {
    let id: ReviewId = parse_id(&id)?;
    let form = ReviewForm::posted(&posted);
    let (loaded, expected) = loaded_version(&posted);
    let mut conn = state.conn().await?;
    let (_, offering) = reviews::review_for_editing(&mut conn, &visitor.caller, id).await?;
    let saved = reviews::update_review(
        &mut conn,
        &visitor.caller,
        id,
        &expected,
        form.input(),
        &state.config.reviews,
        state.clock.now(),
    )
    .await;
    let (status, errors) = match refused(
        saved,
        |v| format!("/aanbod/{}", v.review.offering_id),
        review_errors,
        t::REVIEW_STALE,
    )? {
        Ok(redirect) => return Ok(redirect),
        Err(refusal) => refusal,
    };
    let version = if status == StatusCode::CONFLICT {
        let (current, _) = reviews::review_for_editing(&mut conn, &visitor.caller, id).await?;
        Some(current.review.version)
    } else {
        loaded
    };
    let page = edit_page(&visitor, id, &offering, &form, errors, version);
    Ok(respond(&visitor.csrf, status, &page))
}

#[derive(Template)]
#[template(path = "review_delete.html")]
struct DeletePage {
    page: Layout,
    offering_title: String,
    offering_href: String,
    csrf: String,
    action: String,
}

/// `GET /beoordelingen/{id}/verwijderen`: asks the author to confirm.
pub async fn delete_page(
    state: web::Data<AppState>,
    visitor: SignedIn,
    id: web::Path<String>,
) -> PageResult<HttpResponse> {
    let id: ReviewId = parse_id(&id)?;
    let mut conn = state.conn().await?;
    let (_, offering) = reviews::review_for_editing(&mut conn, &visitor.caller, id).await?;
    let page = DeletePage {
        page: visitor.layout(t::REVIEW_DELETE_TITLE, Section::Account),
        offering_title: offering.content.title.clone(),
        offering_href: format!("/aanbod/{}", offering.id),
        csrf: visitor.csrf.token.clone(),
        action: format!("/beoordelingen/{id}/verwijderen"),
    };
    Ok(respond(&visitor.csrf, StatusCode::OK, &page))
}

/// `POST /beoordelingen/{id}/verwijderen`: deletes it; the aggregates drop it at once.
pub async fn delete_review(
    state: web::Data<AppState>,
    visitor: SignedIn,
    id: web::Path<String>,
    _posted: CsrfForm,
) -> PageResult<HttpResponse> {
    let id: ReviewId = parse_id(&id)?;
    let mut conn = state.conn().await?;
    match reviews::delete_review(&mut conn, &visitor.caller, id, &state.config.reviews).await {
        // Deleted, or gone already (a second tab): the list shows what is left.
        Ok(()) | Err(DomainError::NotFound) => {
            Ok(see_other("/account/beoordelingen?melding=verwijderd"))
        }
        Err(other) => Err(PageError::from(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geen_declares_nothing_and_an_empty_declaration_stays_missing() {
        assert_eq!(declaration(" Geen "), Some(NONE.to_owned()));
        assert_eq!(declaration("none"), Some("none".to_owned()));
        assert_eq!(declaration("  "), None);
        assert_eq!(
            declaration("ik gaf er training"),
            Some("ik gaf er training".to_owned())
        );
    }

    #[test]
    fn a_stored_review_comes_back_from_its_form_unchanged() {
        let form = ReviewForm {
            ratings: ["4", "", "5", "3", "", "2"].map(str::to_owned),
            sector: "vo".into(),
            role: "teacher".into(),
            school_size: "200_500".into(),
            period_start: "2025-09".into(),
            period_end: "2026-03-15".into(),
            scale: "team".into(),
            phase: "embedded".into(),
            still_in_use: "true".into(),
            pros: "Goed\nwerkbaar".into(),
            provider_tie: "geen".into(),
            reward: "een boek".into(),
            show_name: true,
            ..ReviewForm::default()
        };
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let valid = form.input().validate(today).unwrap();
        let stored = ReviewContent::new(valid, crate::domain::Role::Teacher);
        assert_eq!(ReviewForm::of(&stored), form);
    }

    #[test]
    fn every_field_the_rules_name_has_a_control_and_a_dutch_label() {
        let sections = ReviewForm::default().sections(&FormErrors::default());
        let names: Vec<&str> = sections
            .iter()
            .flat_map(|s| &s.controls)
            .map(|c| match c {
                Control::Text { head, .. }
                | Control::Select { head, .. }
                | Control::Boxes { head, .. } => head.name,
            })
            .collect();
        let invalid = ReviewForm {
            ratings: ["9", "0", "x", "7", "6", "-1"].map(str::to_owned),
            sector: "hbo".into(),
            role: "moderator".into(),
            school_size: "groot".into(),
            period_start: "gisteren".into(),
            period_end: "2999-01".into(),
            scale: "land".into(),
            phase: "klaar".into(),
            pros: "\u{7}".into(),
            ..ReviewForm::default()
        };
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let Err(DomainError::Invalid(errors)) = invalid.input().validate(today) else {
            panic!("the form's input should be refused");
        };
        assert!(errors.len() >= 14, "{errors:?}");
        for error in &errors {
            let name = control(&error.field);
            assert!(names.contains(&name), "{} has no control", error.field);
            assert_ne!(t::review_field_label(name), "Veld", "{name}");
        }
    }
}
