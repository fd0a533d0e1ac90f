//! The provider's and the moderators' side of reviews: a provider's reviews in its dashboard
//! with a reply form per review (`/beheer/aanbieders/{id}/beoordelingen`,
//! `/beheer/beoordelingen/{id}/reactie`), reporting a review (`/beoordelingen/{id}/melden`),
//! and the moderation queue with a decision per review (`/moderatie`). Every change goes
//! through the API's use cases (`reviews::respond`, `report_review`, `decide`), which decide
//! who may do it; a page turns their answers into Dutch. A reply carries the version it was
//! loaded at, so a colleague's reply in between is shown, never overwritten unseen.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::db::models::review::ReviewView;
use crate::db::models::review_report::ReviewReport;
use crate::domain::review::{DIMENSIONS, ModerationAction};
use crate::domain::{DomainError, FieldError, Fields, OfferingId, OrganizationId, ReviewId};
use crate::state::AppState;
use crate::usecases::review_admin::{self, ReviewOfOffering};
use crate::usecases::reviews::{self, REASON_MAX};
use crate::web::csrf::CsrfForm;
use crate::web::dashboard::{loaded_version, parse_id, refused};
use crate::web::error::PageResult;
use crate::web::form::{Choice, FormErrors};
use crate::web::format;
use crate::web::layout::{Layout, Section, see_other};
use crate::web::reviews::shown_author;
use crate::web::session::{SignedIn, respond};
use crate::web::shortlist::text_area;
use crate::web::sign_in::{MessagePage, query_value};
use crate::web::text as t;

/// How many reviews a page of a provider's list shows.
const PER_PAGE: i64 = 20;
/// How many reported reviews the moderation queue shows (the API's maximum page).
const QUEUE: i64 = 100;
/// The query parameter of the list's filter, and the one of its next page.
const UNANSWERED: &str = "zonder_reactie";
const AFTER: &str = "na";

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/beheer/aanbieders/{id}/beoordelingen",
        web::get().to(provider_reviews),
    )
    .route(
        "/beheer/beoordelingen/{id}/reactie",
        web::get().to(reply_form),
    )
    .route("/beheer/beoordelingen/{id}/reactie", web::post().to(reply))
    .route("/beoordelingen/{id}/melden", web::get().to(report_form))
    .route("/beoordelingen/{id}/melden", web::post().to(report))
    .route("/moderatie", web::get().to(queue))
    .route("/moderatie/beoordelingen/{id}", web::get().to(case))
    .route("/moderatie/beoordelingen/{id}", web::post().to(decide));
}

/// The dashboard's list of a provider's reviews.
pub fn reviews_href(provider: OrganizationId) -> String {
    format!("/beheer/aanbieders/{provider}/beoordelingen")
}

fn reply_href(review: ReviewId) -> String {
    format!("/beheer/beoordelingen/{review}/reactie")
}

fn case_href(review: ReviewId) -> String {
    format!("/moderatie/beoordelingen/{review}")
}

/// A review as these pages show it (`templates/review_card.html`).
pub struct ReviewCard {
    /// The id of its element, for links to it.
    anchor: String,
    offering_title: String,
    offering_href: String,
    /// As the public sees the author ("docent vo, Utrecht"), with the name if shown.
    author: String,
    facts: Vec<(&'static str, String)>,
    verified: bool,
    ratings: Vec<(&'static str, String)>,
    texts: Vec<(&'static str, String)>,
    reply: Option<String>,
    /// Why a moderator hid it, while hidden.
    hidden: Option<String>,
}

impl ReviewCard {
    fn of(view: &ReviewView, offering_id: OfferingId, offering_title: &str) -> ReviewCard {
        let review = &view.review;
        let c = &review.content;
        let author = shown_author(view);
        let mut facts = vec![
            (t::REVIEW_BY, author.clone()),
            (t::REVIEW_WRITTEN, format::date(review.created_at)),
        ];
        if let Some(edited) = review.edited_at {
            facts.push((t::REVIEW_EDITED, format::date(edited)));
        }
        let ratings = DIMENSIONS
            .iter()
            .zip(c.ratings())
            .filter_map(|(dimension, rating)| {
                rating.map(|r| (t::dimension_label(dimension), t::stars(r)))
            })
            .collect();
        let texts = [
            (t::REVIEW_PROS, &c.pros),
            (t::REVIEW_PITFALLS, &c.pitfalls),
            (t::REVIEW_ADVICE, &c.advice),
        ]
        .into_iter()
        .filter_map(|(name, text)| {
            text.as_ref()
                .filter(|text| !text.trim().is_empty())
                .map(|text| (name, text.clone()))
        })
        .collect();
        ReviewCard {
            anchor: format!("beoordeling-{}", review.id),
            offering_title: offering_title.to_owned(),
            offering_href: format!("/aanbod/{offering_id}"),
            author,
            facts,
            verified: review.verified_at.is_some(),
            ratings,
            texts,
            reply: view.response.as_ref().map(|r| r.body.clone()),
            hidden: review
                .hidden_at
                .map(|_| review.hidden_reason.clone().unwrap_or_default()),
        }
    }

    fn of_offering(target: &ReviewOfOffering) -> ReviewCard {
        ReviewCard::of(
            &target.review,
            target.offering.id,
            &target.offering.content.title,
        )
    }
}

/// The Dutch errors of a review form, each at its control: the use cases' field names become
/// the forms' (`body` is the reply, `reason` a report's explanation).
fn form_errors(errors: &[FieldError]) -> FormErrors {
    let named: Vec<FieldError> = errors
        .iter()
        .map(|e| {
            let control = match e.field.as_str() {
                "body" => "reactie",
                "reason" => "toelichting",
                other => other,
            };
            FieldError::new(control, e.code, e.message.clone())
        })
        .collect();
    FormErrors::from_messages(
        &named,
        |e| {
            format!(
                "{}: {}",
                t::review_admin_field_label(&e.field),
                t::review_admin_problem(&e.field, e.code)
            )
        },
        |f| format!("veld-{f}"),
    )
}

/// Radio choices `(value, label)`, the one equal to `chosen` checked.
fn choices(name: &str, list: &[(&'static str, &'static str)], chosen: &str) -> Vec<Choice> {
    list.iter()
        .map(|(value, label)| Choice {
            id: format!("veld-{name}-{value}"),
            value,
            label,
            chosen: *value == chosen,
        })
        .collect()
}

// ---- A provider's reviews. ----

#[derive(Template)]
#[template(path = "review_admin_list.html")]
struct ProviderReviewsPage {
    page: Layout,
    heading: String,
    notice: Option<&'static str>,
    unanswered: bool,
    all_href: String,
    unanswered_href: String,
    /// Each review with its reply form's link and whether it has a reply.
    reviews: Vec<(ReviewCard, String, bool)>,
    first_href: Option<String>,
    next_href: Option<String>,
}

/// `GET /beheer/aanbieders/{id}/beoordelingen[?zonder_reactie=ja][&na=<review>]`: the reviews
/// of the provider's offerings, newest first, a page at a time; for its staff only.
pub async fn provider_reviews(
    req: HttpRequest,
    state: web::Data<AppState>,
    visitor: SignedIn,
    id: web::Path<String>,
) -> PageResult<HttpResponse> {
    let id: OrganizationId = parse_id(&id)?;
    let unanswered = !query_value(&req, UNANSWERED).is_empty();
    // A page start that is no review id names no page: the same 404 as an unknown one.
    let after: Option<ReviewId> = match query_value(&req, AFTER).as_str() {
        "" => None,
        raw => Some(parse_id(raw)?),
    };
    let mut conn = state.conn().await?;
    let found =
        review_admin::provider_reviews(&mut conn, &visitor.caller, id, unanswered, after, PER_PAGE)
            .await?;
    let all_href = reviews_href(id);
    let unanswered_href = format!("{all_href}?{UNANSWERED}=ja");
    let this_list = if unanswered {
        &unanswered_href
    } else {
        &all_href
    };
    let separator = if unanswered { '&' } else { '?' };
    let page = ProviderReviewsPage {
        page: visitor.layout(t::PROVIDER_REVIEWS_TITLE, Section::Dashboard),
        heading: t::provider_reviews_heading(&found.provider.name),
        notice: (query_value(&req, "melding") == "opgeslagen").then_some(t::REPLY_SAVED),
        first_href: after.map(|_| this_list.clone()),
        next_href: found
            .next
            .map(|next| format!("{this_list}{separator}{AFTER}={next}")),
        reviews: found
            .items
            .iter()
            .map(|item| {
                let id = item.review.review.id;
                let card = ReviewCard::of(
                    &item.review,
                    item.review.review.offering_id,
                    &item.offering_title,
                );
                (card, reply_href(id), item.review.response.is_some())
            })
            .collect(),
        unanswered,
        all_href,
        unanswered_href,
    };
    Ok(respond(&visitor.csrf, StatusCode::OK, &page))
}

// ---- The reply form. ----

#[derive(Template)]
#[template(path = "review_reply.html")]
struct ReplyPage {
    page: Layout,
    errors: FormErrors,
    back_href: String,
    review: ReviewCard,
    /// After a refused stale save: the reply as someone else saved it meanwhile.
    current_reply: Option<String>,
    csrf: String,
    action: String,
    /// The reply's version the form is based on (none before the first reply).
    version: Option<i32>,
    typed: String,
    button: &'static str,
}

impl ReplyPage {
    /// The form for `target`, showing `typed` and based on `version`.
    fn new(
        visitor: &SignedIn,
        target: &ReviewOfOffering,
        typed: String,
        version: Option<i32>,
        errors: FormErrors,
    ) -> ReplyPage {
        ReplyPage {
            page: visitor.layout(t::REPLY_TITLE, Section::Dashboard),
            errors,
            back_href: reviews_href(target.offering.provider_id),
            review: ReviewCard::of_offering(target),
            current_reply: None,
            csrf: visitor.csrf.token.clone(),
            action: reply_href(target.review.review.id),
            version,
            typed,
            button: if version.is_some() {
                t::REPLY_UPDATE_BUTTON
            } else {
                t::REPLY_BUTTON
            },
        }
    }
}

/// `GET /beheer/beoordelingen/{id}/reactie`: the review with the reply form (holding the
/// current reply, if any), for its offering's provider's staff.
pub async fn reply_form(
    state: web::Data<AppState>,
    visitor: SignedIn,
    id: web::Path<String>,
) -> PageResult<HttpResponse> {
    let id: ReviewId = parse_id(&id)?;
    let mut conn = state.conn().await?;
    let target = review_admin::review_to_answer(&mut conn, &visitor.caller, id).await?;
    let reply = target.review.response.as_ref();
    let page = ReplyPage::new(
        &visitor,
        &target,
        reply.map(|r| r.body.clone()).unwrap_or_default(),
        reply.map(|r| r.version),
        FormErrors::default(),
    );
    Ok(respond(&visitor.csrf, StatusCode::OK, &page))
}

/// `POST /beheer/beoordelingen/{id}/reactie`: saves the reply if it is still at the version
/// the form was loaded at (a form loaded before the first reply expects none). Otherwise
/// nothing is saved and the form comes back (409) with what was typed and the reply as it is
/// now, based on its current version, so saving again is a choice made knowing it.
pub async fn reply(
    state: web::Data<AppState>,
    visitor: SignedIn,
    id: web::Path<String>,
    posted: CsrfForm,
) -> PageResult<HttpResponse> {
    let id: ReviewId = parse_id(&id)?;
    let typed = text_area(posted.value("reactie"));
    let (loaded, expected) = loaded_version(&posted);
    let mut conn = state.conn().await?;
    let saved = reviews::respond(
        &mut conn,
        &visitor.caller,
        id,
        Some(&expected),
        &typed,
        &state.config.public_url,
        state.clock.now(),
    )
    .await;
    let (status, errors) = match refused(
        saved,
        |(reply, _)| reviews_href(reply.provider_id),
        form_errors,
        t::REPLY_STALE,
    )? {
        Ok(redirect) => return Ok(redirect),
        Err(refusal) => refusal,
    };
    let target = review_admin::review_to_answer(&mut conn, &visitor.caller, id).await?;
    let page = if status == StatusCode::CONFLICT {
        let current = target.review.response.as_ref();
        let mut page = ReplyPage::new(&visitor, &target, typed, current.map(|r| r.version), errors);
        page.current_reply = current.map(|r| r.body.clone());
        page
    } else {
        ReplyPage::new(&visitor, &target, typed, loaded, errors)
    };
    Ok(respond(&visitor.csrf, status, &page))
}

// ---- Reporting a review. ----

#[derive(Template)]
#[template(path = "review_report.html")]
struct ReportPage {
    page: Layout,
    errors: FormErrors,
    offering_href: String,
    review: ReviewCard,
    csrf: String,
    action: String,
    kinds: Vec<Choice>,
    typed: String,
}

impl ReportPage {
    fn new(
        visitor: &SignedIn,
        target: &ReviewOfOffering,
        kind: &str,
        typed: String,
        errors: FormErrors,
    ) -> ReportPage {
        ReportPage {
            page: visitor.layout(t::REPORT_TITLE, Section::Other),
            errors,
            offering_href: format!("/aanbod/{}", target.offering.id),
            review: ReviewCard::of_offering(target),
            csrf: visitor.csrf.token.clone(),
            action: format!("/beoordelingen/{}/melden", target.review.review.id),
            kinds: choices("soort", &t::REPORT_KINDS, kind),
            typed,
        }
    }
}

/// What a report says to the moderators: the chosen reason's label, then the explanation;
/// or every error of the form (no reason chosen, "something else" without an explanation,
/// an explanation the rules refuse).
fn report_reason(kind: &str, text: &str) -> Result<String, Vec<FieldError>> {
    let mut fields = Fields::new();
    let explained = !text.trim().is_empty();
    let text = if explained {
        fields.text("toelichting", text, REASON_MAX)
    } else {
        None
    };
    let label = t::REPORT_KINDS
        .iter()
        .find(|(code, _)| *code == kind)
        .map(|(_, label)| *label);
    let mut errors = match fields.finish() {
        Err(DomainError::Invalid(errors)) => errors,
        _ => Vec::new(),
    };
    match label {
        None => errors.insert(0, FieldError::new("soort", "required", "choose a reason")),
        Some(_) if kind == "anders" && !explained => errors.push(FieldError::new(
            "toelichting",
            "required",
            "explain what is wrong",
        )),
        Some(_) => {}
    }
    match (label, text) {
        (Some(label), Some(text)) if errors.is_empty() => Ok(format!("{label}: {text}")),
        (Some(label), None) if errors.is_empty() => Ok(label.to_owned()),
        _ => Err(errors),
    }
}

/// `GET /beoordelingen/{id}/melden`: the review and the report form (signed-in visitors).
pub async fn report_form(
    state: web::Data<AppState>,
    visitor: SignedIn,
    id: web::Path<String>,
) -> PageResult<HttpResponse> {
    let id: ReviewId = parse_id(&id)?;
    let mut conn = state.conn().await?;
    let target = review_admin::review_to_report(&mut conn, &visitor.caller, id).await?;
    let page = ReportPage::new(&visitor, &target, "", String::new(), FormErrors::default());
    Ok(respond(&visitor.csrf, StatusCode::OK, &page))
}

/// `POST /beoordelingen/{id}/melden`: reports the review, then says what happens next; a
/// second report of the same review is refused (409) as the API refuses it.
pub async fn report(
    state: web::Data<AppState>,
    visitor: SignedIn,
    id: web::Path<String>,
    posted: CsrfForm,
) -> PageResult<HttpResponse> {
    let id: ReviewId = parse_id(&id)?;
    let kind = posted.value("soort");
    let typed = text_area(posted.value("toelichting"));
    let mut conn = state.conn().await?;
    let target = review_admin::review_to_report(&mut conn, &visitor.caller, id).await?;
    let offering_href = format!("/aanbod/{}", target.offering.id);
    let errors = match report_reason(kind, &typed) {
        Err(errors) => errors,
        Ok(reason) => {
            let now = state.clock.now();
            match reviews::report_review(&mut conn, &visitor.caller, id, &reason, now).await {
                Ok(()) => {
                    let page = MessagePage::new(
                        visitor.layout(t::REPORTED_TITLE, Section::Other),
                        t::REPORTED_TITLE,
                        t::REPORTED_TEXT,
                    )
                    .link(&offering_href, t::BACK_TO_OFFERING);
                    return Ok(respond(&visitor.csrf, StatusCode::OK, &page));
                }
                Err(DomainError::Conflict(_)) => {
                    let page = MessagePage::new(
                        visitor.layout(t::REPORT_TITLE, Section::Other),
                        t::REPORT_TITLE,
                        t::REPORTED_ALREADY,
                    )
                    .link(&offering_href, t::BACK_TO_OFFERING);
                    return Ok(respond(&visitor.csrf, StatusCode::CONFLICT, &page));
                }
                Err(DomainError::Invalid(errors)) => errors,
                Err(other) => return Err(other.into()),
            }
        }
    };
    let page = ReportPage::new(&visitor, &target, kind, typed, form_errors(&errors));
    Ok(respond(&visitor.csrf, StatusCode::BAD_REQUEST, &page))
}

// ---- Moderation. ----

/// A reported review in the queue.
struct QueueItem {
    review: ReviewCard,
    count: String,
    /// When and why, oldest first.
    reports: Vec<(String, String)>,
    href: String,
}

#[derive(Template)]
#[template(path = "moderation_queue.html")]
struct QueuePage {
    page: Layout,
    notice: Option<&'static str>,
    items: Vec<QueueItem>,
}

fn reports_shown(reports: &[ReviewReport]) -> Vec<(String, String)> {
    reports
        .iter()
        .map(|r| (format::date(r.created_at), r.reason.clone()))
        .collect()
}

/// `GET /moderatie`: the reviews with open reports, reported longest ago first (moderators;
/// others get 403).
pub async fn queue(
    req: HttpRequest,
    state: web::Data<AppState>,
    visitor: SignedIn,
) -> PageResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let queue = review_admin::moderation_overview(&mut conn, &visitor.caller, QUEUE).await?;
    let items = queue
        .iter()
        .map(|(reported, title)| {
            let review = &reported.review;
            QueueItem {
                review: ReviewCard::of(review, review.review.offering_id, title),
                count: t::report_count(reported.reports.len()),
                reports: reports_shown(&reported.reports),
                href: case_href(review.review.id),
            }
        })
        .collect();
    let page = QueuePage {
        page: visitor.layout(t::MODERATION_TITLE, Section::Other),
        notice: match query_value(&req, "melding").as_str() {
            "verborgen" => Some(t::DECIDED_HIDDEN),
            "zichtbaar" => Some(t::DECIDED_RESTORED),
            _ => None,
        },
        items,
    };
    Ok(respond(&visitor.csrf, StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "moderation_case.html")]
struct CasePage {
    page: Layout,
    errors: FormErrors,
    review: ReviewCard,
    reports: Vec<(String, String)>,
    csrf: String,
    action: String,
    decisions: Vec<Choice>,
    typed: String,
}

impl CasePage {
    /// The page of `target`; `chosen` is the decision ticked (by default the change: hide a
    /// visible review, restore a hidden one).
    fn new(
        visitor: &SignedIn,
        target: &ReviewOfOffering,
        reports: &[ReviewReport],
        chosen: Option<&str>,
        typed: String,
        errors: FormErrors,
    ) -> CasePage {
        let hidden = target.review.review.hidden_at.is_some();
        let default = if hidden {
            ModerationAction::Restore
        } else {
            ModerationAction::Hide
        };
        let options = [
            (ModerationAction::Hide.as_str(), t::DECIDE_HIDE),
            (ModerationAction::Restore.as_str(), t::DECIDE_RESTORE),
        ];
        CasePage {
            page: visitor.layout(t::CASE_TITLE, Section::Other),
            errors,
            review: ReviewCard::of_offering(target),
            reports: reports_shown(reports),
            csrf: visitor.csrf.token.clone(),
            action: case_href(target.review.review.id),
            decisions: choices("besluit", &options, chosen.unwrap_or(default.as_str())),
            typed,
        }
    }
}

/// `GET /moderatie/beoordelingen/{id}`: the review (hidden or not), its open reports and the
/// decision form (moderators; others get 403).
pub async fn case(
    state: web::Data<AppState>,
    visitor: SignedIn,
    id: web::Path<String>,
) -> PageResult<HttpResponse> {
    let id: ReviewId = parse_id(&id)?;
    let mut conn = state.conn().await?;
    let (target, reports) = review_admin::moderation_case(&mut conn, &visitor.caller, id).await?;
    let page = CasePage::new(
        &visitor,
        &target,
        &reports,
        None,
        String::new(),
        FormErrors::default(),
    );
    Ok(respond(&visitor.csrf, StatusCode::OK, &page))
}

/// `POST /moderatie/beoordelingen/{id}`: hides or restores the review with the reason given
/// (through `reviews::decide`), then back to the queue; without a decision or a reason, the
/// form again with every error and nothing changed.
pub async fn decide(
    state: web::Data<AppState>,
    visitor: SignedIn,
    id: web::Path<String>,
    posted: CsrfForm,
) -> PageResult<HttpResponse> {
    let id: ReviewId = parse_id(&id)?;
    let chosen = posted.value("besluit");
    let typed = text_area(posted.value("reden"));
    let mut conn = state.conn().await?;
    // Refuses non-moderators before the form is read, so they learn nothing from its errors.
    let (target, reports) = review_admin::moderation_case(&mut conn, &visitor.caller, id).await?;
    let errors = match ModerationAction::parse(chosen) {
        Some(action) => {
            let decided = reviews::decide(
                &mut conn,
                &visitor.caller,
                id,
                action,
                &typed,
                &state.config.reviews,
                state.clock.now(),
            )
            .await;
            match decided {
                Ok(_) => {
                    let done = match action {
                        ModerationAction::Hide => "verborgen",
                        ModerationAction::Restore => "zichtbaar",
                    };
                    return Ok(see_other(&format!("/moderatie?melding={done}")));
                }
                Err(DomainError::Invalid(errors)) => errors,
                Err(other) => return Err(other.into()),
            }
        }
        None => {
            // The reason's own errors too, so both are said at once.
            let mut fields = Fields::new();
            fields.text("reason", &typed, REASON_MAX);
            let mut errors = vec![FieldError::new(
                "besluit",
                "required",
                "choose hide or restore",
            )];
            if let Err(DomainError::Invalid(more)) = fields.finish() {
                errors.extend(more);
            }
            errors
        }
    };
    let errors: Vec<FieldError> = errors
        .into_iter()
        .map(|mut e| {
            if e.field == "reason" {
                e.field = "reden".to_owned();
            }
            e
        })
        .collect();
    let page = CasePage::new(
        &visitor,
        &target,
        &reports,
        Some(chosen),
        typed,
        form_errors(&errors),
    );
    Ok(respond(&visitor.csrf, StatusCode::BAD_REQUEST, &page))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(result: Result<String, Vec<FieldError>>) -> Vec<(String, &'static str)> {
        result
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    #[test]
    fn a_report_names_its_reason_and_every_error_at_once() {
        assert_eq!(
            report_reason("ongepast", "  Scheldwoorden.  ").unwrap(),
            "Beledigend, discriminerend of ongepast: Scheldwoorden."
        );
        assert_eq!(
            report_reason("belang", " ").unwrap(),
            "De schrijver heeft belang bij het aanbod of kreeg er iets voor"
        );
        assert_eq!(
            fields(report_reason("anders", "")),
            [("toelichting".to_owned(), "required")]
        );
        assert_eq!(
            fields(report_reason("verzonnen", &"x".repeat(REASON_MAX + 1))),
            [
                ("soort".to_owned(), "required"),
                ("toelichting".to_owned(), "too_long")
            ]
        );
    }

    #[test]
    fn the_use_cases_fields_are_named_by_the_forms_controls_in_dutch() {
        let errors = form_errors(&[
            FieldError::new("body", "required", "x"),
            FieldError::new("reason", "too_long", "x"),
        ]);
        assert_eq!(errors.of("reactie"), Some("Uw reactie: vul dit in"));
        assert_eq!(
            errors.of("toelichting"),
            Some("Toelichting: gebruik minder tekens")
        );
        assert_eq!(errors.list()[0].anchor, "veld-reactie");
    }
}
