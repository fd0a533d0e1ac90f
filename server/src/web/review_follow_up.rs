//! `/beoordelingen/{id}/vervolg`: where the follow-up mails (6 and 12 months after a review)
//! lead. The author says whether the offering is still in use and how lasting its effect is
//! now; the answer is kept with its date beside the review, which itself stays as written.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::domain::review_follow_up::FollowUpInput;
use crate::domain::{DomainError, FieldError, ReviewId};
use crate::state::AppState;
use crate::usecases::{review_follow_ups, reviews};
use crate::web::csrf::CsrfForm;
use crate::web::dashboard::parse_id;
use crate::web::error::PageResult;
use crate::web::form::{Builder, Control, FormErrors, FormSection};
use crate::web::layout::{Layout, Section, see_other};
use crate::web::reviews::follow_up_lines;
use crate::web::session::{SignedIn, respond};
use crate::web::text as t;

/// What the form holds, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct FollowUpForm {
    still_in_use: String,
    lasting_effect: String,
    note: String,
}

impl FollowUpForm {
    fn posted(form: &CsrfForm) -> FollowUpForm {
        FollowUpForm {
            still_in_use: form.value("still_in_use").to_owned(),
            lasting_effect: form.value("lasting_effect").to_owned(),
            note: form.value("note").replace("\r\n", "\n"),
        }
    }

    /// The use case's input; a rating that is no number (a hand-made post) is sent as 0, which
    /// the rules refuse with the field's error.
    fn input(&self) -> FollowUpInput {
        let chosen = |v: &str| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
        FollowUpInput {
            still_in_use: match self.still_in_use.as_str() {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            },
            lasting_effect: chosen(&self.lasting_effect).map(|r| r.parse().unwrap_or(0)),
            note: chosen(&self.note),
        }
    }

    fn sections(&self, errors: &FormErrors) -> Vec<FormSection> {
        let b = Builder { errors };
        vec![FormSection {
            legend: t::FOLLOW_UP_LEGEND,
            controls: vec![
                b.select_groups(
                    "still_in_use",
                    t::REVIEW_STILL_IN_USE,
                    Some(t::FOLLOW_UP_STILL_HINT),
                    vec![(None, t::YES_NO.to_vec())],
                    &self.still_in_use,
                ),
                b.select_groups(
                    "lasting_effect",
                    t::dimension_label("lasting_effect"),
                    Some(t::FOLLOW_UP_EFFECT_HINT),
                    vec![(None, t::RATING_CHOICES.to_vec())],
                    &self.lasting_effect,
                ),
                b.text(
                    "note",
                    t::FOLLOW_UP_NOTE,
                    Some(t::FOLLOW_UP_NOTE_HINT),
                    &self.note,
                    4,
                ),
            ],
        }]
    }
}

fn follow_up_errors(errors: &[FieldError]) -> FormErrors {
    FormErrors::at_controls(
        errors,
        |field, code, _| {
            let label = match field {
                "still_in_use" => t::REVIEW_STILL_IN_USE,
                "lasting_effect" => t::dimension_label("lasting_effect"),
                _ => t::FOLLOW_UP_NOTE,
            };
            format!("{label}: {}", t::review_problem(code))
        },
        |field| field,
    )
}

#[derive(Template)]
#[template(path = "review_follow_up.html")]
struct FollowUpPage {
    page: Layout,
    offering_title: String,
    offering_href: String,
    /// The earlier answers, oldest first.
    earlier: Vec<String>,
    errors: FormErrors,
    csrf: String,
    action: String,
    version: Option<i32>,
    sections: Vec<FormSection>,
    button: &'static str,
}

async fn page(
    state: &AppState,
    visitor: &SignedIn,
    id: ReviewId,
    form: &FollowUpForm,
    errors: FormErrors,
) -> PageResult<FollowUpPage> {
    let mut conn = state.conn().await?;
    let (view, offering) = reviews::review_for_editing(&mut conn, &visitor.caller, id).await?;
    Ok(FollowUpPage {
        page: visitor.layout(t::FOLLOW_UP_TITLE, Section::Account),
        offering_title: offering.content.title.clone(),
        offering_href: format!("/aanbod/{}#ervaring-{id}", offering.id),
        earlier: follow_up_lines(&view, true),
        sections: form.sections(&errors),
        errors,
        csrf: visitor.csrf.token.clone(),
        action: format!("/beoordelingen/{id}/vervolg"),
        version: None,
        button: t::FOLLOW_UP_BUTTON,
    })
}

/// `GET /beoordelingen/{id}/vervolg`: the author's form (others: what the use case says).
pub async fn follow_up_form(
    state: web::Data<AppState>,
    visitor: SignedIn,
    id: web::Path<String>,
) -> PageResult<HttpResponse> {
    let id: ReviewId = parse_id(&id)?;
    let page = page(
        &state,
        &visitor,
        id,
        &FollowUpForm::default(),
        FormErrors::default(),
    )
    .await?;
    Ok(respond(&visitor.csrf, StatusCode::OK, &page))
}

/// `POST /beoordelingen/{id}/vervolg`: keeps the answer with today's date, or shows the form
/// again with every error and what was typed.
pub async fn record_follow_up(
    state: web::Data<AppState>,
    visitor: SignedIn,
    id: web::Path<String>,
    posted: CsrfForm,
) -> PageResult<HttpResponse> {
    let id: ReviewId = parse_id(&id)?;
    let form = FollowUpForm::posted(&posted);
    let recorded = {
        let mut conn = state.conn().await?;
        review_follow_ups::record_follow_up(
            &mut conn,
            &visitor.caller,
            id,
            form.input(),
            state.clock.now(),
        )
        .await
    };
    let errors = match recorded {
        Ok(_) => return Ok(see_other("/account/beoordelingen?melding=vervolg")),
        Err(DomainError::Invalid(errors)) => follow_up_errors(&errors),
        Err(other) => return Err(other.into()),
    };
    let page = page(&state, &visitor, id, &form, errors).await?;
    Ok(respond(&visitor.csrf, StatusCode::BAD_REQUEST, &page))
}
