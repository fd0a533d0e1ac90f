//! The nota van inlichtingen of a bundle (`/bundels/{id}/vragen`): the answered questions for
//! whoever may read the bundle, never who asked; a provider's form to ask until the questions
//! close; the owner's unanswered questions, each with its answer form. What may be asked or
//! answered, by whom and when, is `usecases::bundle_questions`' to say; this page says it in
//! Dutch.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::domain::bundle_question::{AnswerInput, AskRefusal, QuestionInput};
use crate::domain::{BundleId, BundleQuestionId, DomainError, FieldError, OrganizationId};
use crate::state::AppState;
use crate::usecases::bundle_questions::{self, QuestionView, QuestionsOverview};
use crate::web::csrf::{Csrf, CsrfForm};
use crate::web::dashboard::parse_id;
use crate::web::error::PageResult;
use crate::web::form::{Control, ControlHead, FormErrors, FormSection};
use crate::web::format::{self, tender};
use crate::web::layout::{Layout, Section, see_other};
use crate::web::session::{SignedIn, Visitor, respond};
use crate::web::shortlist::text_area;
use crate::web::sign_in::query_value;
use crate::web::tender_paths::{answer_href, bundle_href, questions_href};
use crate::web::text as t;

/// The form fields: the question, the provider asking for, an answer.
const QUESTION: &str = "vraag";
const ASKER: &str = "aanbieder";
const ANSWER: &str = "antwoord";
/// The element a refusal of the whole form links to: where the page says when questions close.
const TERM: &str = "termijn";

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/bundels/{id}/vragen", web::get().to(questions_page))
        .route("/bundels/{id}/vragen", web::post().to(ask))
        .route(
            "/bundels/{id}/vragen/{question}/antwoord",
            web::post().to(answer),
        );
}

/// An id posted in a form; one that is no UUID names nothing, so the use case refuses it as
/// it refuses an unknown one.
pub(super) fn form_id<T: From<uuid::Uuid>>(raw: &str) -> T {
    T::from(raw.trim().parse().unwrap_or_else(|_| uuid::Uuid::nil()))
}

/// A form of one section, as `templates/form.html`'s `sectioned_form` renders it.
pub(super) struct PageForm {
    pub action: String,
    pub sections: Vec<FormSection>,
    pub button: &'static str,
    /// Forms of these pages carry no version (`sectioned_form` takes one).
    pub version: Option<i32>,
}

impl PageForm {
    pub fn new(
        action: String,
        legend: &'static str,
        controls: Vec<Control>,
        button: &'static str,
    ) -> PageForm {
        PageForm {
            action,
            sections: vec![FormSection { legend, controls }],
            button,
            version: None,
        }
    }
}

/// A control's head with its error from `errors` under `key`, its id `veld-<key>`.
pub(super) fn control_head(
    errors: &FormErrors,
    name: &'static str,
    key: &str,
    label: &'static str,
    hint: Option<&'static str>,
) -> ControlHead {
    ControlHead {
        name,
        id: format!("veld-{key}"),
        label,
        hint,
        error: errors.of(key).map(str::to_owned),
    }
}

/// One question as the page shows it.
struct QuestionRow {
    anchor: String,
    question: String,
    asked: String,
    answer: Option<String>,
    answered: Option<String>,
    /// The owner's form, while answers are taken.
    form: Option<PageForm>,
}

#[derive(Template)]
#[template(path = "tender_questions.html")]
struct QuestionsPage {
    page: Layout,
    errors: FormErrors,
    notice: Option<&'static str>,
    title: String,
    status: &'static str,
    bundle_href: String,
    closes: String,
    answered: Vec<QuestionRow>,
    open: Vec<QuestionRow>,
    owner: bool,
    /// A provider's: the form, or why there is none.
    ask: Option<AskForm>,
    ask_refused: Option<String>,
    csrf: String,
}

/// What a visitor typed into the page's forms, shown again after a refusal.
#[derive(Default)]
struct Typed {
    question: String,
    asker: String,
    /// An answer and the question it answers.
    answer: Option<(BundleQuestionId, String)>,
}

/// Why the provider cannot ask now, in Dutch.
fn ask_refusal(refusal: AskRefusal) -> String {
    match refusal {
        AskRefusal::Closed(at) => t::questions_closed(&format::moment(at)),
        AskRefusal::WrongState(status) => t::questions_not_now(tender::status(status)),
    }
}

impl QuestionsPage {
    fn new(
        layout: Layout,
        csrf: &Csrf,
        overview: QuestionsOverview,
        typed: &Typed,
        errors: FormErrors,
    ) -> QuestionsPage {
        let id = overview.bundle.id;
        let (answered, open): (Vec<QuestionView>, Vec<QuestionView>) = overview
            .questions
            .into_iter()
            .partition(|q| q.answer.is_some());
        let row = |q: QuestionView| {
            let form = (overview.owner && overview.may_answer && q.answer.is_none()).then(|| {
                let key = format!("{ANSWER}-{}", q.id);
                let value = match &typed.answer {
                    Some((question, text)) if *question == q.id => text.clone(),
                    _ => String::new(),
                };
                let head = control_head(&errors, ANSWER, &key, t::ANSWER, Some(t::ANSWER_HINT));
                PageForm::new(
                    answer_href(id, q.id),
                    t::ANSWER_LEGEND,
                    vec![Control::Text {
                        head,
                        value,
                        rows: 5,
                        numeric: false,
                        moment: false,
                    }],
                    t::ANSWER_BUTTON,
                )
            });
            QuestionRow {
                anchor: format!("vraag-{}", q.id),
                question: q.question,
                asked: format::date(q.asked_at),
                answer: q.answer,
                answered: q.answered_at.map(format::date),
                form,
            }
        };
        let answered = answered.into_iter().map(row).collect();
        let open = open.into_iter().map(row).collect();
        let providing = !overview.askers.is_empty();
        let ask = (providing && overview.may_ask.is_ok())
            .then(|| AskForm::new(id, &overview.askers, typed));
        QuestionsPage {
            page: layout,
            notice: None,
            title: overview.bundle.title,
            status: tender::status(overview.status),
            bundle_href: bundle_href(id),
            closes: t::questions_close(&format::moment(overview.closes_at)),
            answered,
            open,
            owner: overview.owner,
            ask,
            ask_refused: overview
                .may_ask
                .err()
                .filter(|_| providing)
                .map(ask_refusal),
            csrf: csrf.token.clone(),
            errors,
        }
    }
}

/// The provider's form: the question and, for staff of several providers, which one asks.
struct AskForm {
    action: String,
    /// (value, name, chosen) of each provider the visitor may ask for, when more than one.
    askers: Vec<(String, String, bool)>,
    typed: String,
}

impl AskForm {
    fn new(id: BundleId, askers: &[(OrganizationId, String)], typed: &Typed) -> AskForm {
        let askers = if askers.len() > 1 {
            askers
                .iter()
                .map(|(provider, name)| {
                    let value = provider.to_string();
                    let chosen = typed.asker == value;
                    (value, name.clone(), chosen)
                })
                .collect()
        } else {
            Vec::new()
        };
        AskForm {
            action: questions_href(id),
            askers,
            typed: typed.question.clone(),
        }
    }
}

/// `GET /bundels/{id}/vragen`: the nota van inlichtingen as the visitor may read it.
pub async fn questions_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    visitor: Visitor,
    id: web::Path<String>,
) -> PageResult<HttpResponse> {
    let id: BundleId = parse_id(&id)?;
    let mut conn = state.conn().await?;
    let overview = bundle_questions::questions_overview(
        &mut conn,
        visitor.caller.as_ref(),
        id,
        state.config.tenders.question_close_days,
        state.clock.now(),
    )
    .await?;
    let mut page = QuestionsPage::new(
        visitor.layout(t::QUESTIONS_TITLE, Section::Other),
        &visitor.csrf,
        overview,
        &Typed::default(),
        FormErrors::default(),
    );
    page.notice = match query_value(&req, "melding").as_str() {
        "gesteld" => Some(t::ASKED),
        "beantwoord" => Some(t::ANSWERED),
        _ => None,
    };
    Ok(respond(&visitor.csrf, StatusCode::OK, &page))
}

/// Why a posted form was refused: its fields, or the bundle's state now.
pub(super) enum Refusal {
    Fields(Vec<FieldError>),
    State,
}

/// A posted form's outcome: the redirect to `done` once done, or why it was refused (a page
/// error for anything else: not found, forbidden, internal).
pub(super) fn outcome<T>(
    result: Result<T, DomainError>,
    done: &str,
) -> PageResult<Result<HttpResponse, Refusal>> {
    match result {
        Ok(_) => Ok(Ok(see_other(done))),
        Err(DomainError::Invalid(errors)) => Ok(Err(Refusal::Fields(errors))),
        Err(DomainError::Conflict(_)) => Ok(Err(Refusal::State)),
        Err(other) => Err(other.into()),
    }
}

impl Refusal {
    pub fn status(&self) -> StatusCode {
        match self {
            Refusal::Fields(_) => StatusCode::BAD_REQUEST,
            Refusal::State => StatusCode::CONFLICT,
        }
    }
}

/// The page again after a refused form: `typed` kept, the errors on top.
async fn refused_page(
    state: &AppState,
    visitor: &SignedIn,
    id: BundleId,
    typed: &Typed,
    refusal: Refusal,
    errors: impl FnOnce(&QuestionsOverview, Refusal) -> FormErrors,
) -> PageResult<HttpResponse> {
    let status = refusal.status();
    let mut conn = state.conn().await?;
    let overview = bundle_questions::questions_overview(
        &mut conn,
        Some(&visitor.caller),
        id,
        state.config.tenders.question_close_days,
        state.clock.now(),
    )
    .await?;
    let errors = errors(&overview, refusal);
    let page = QuestionsPage::new(
        visitor.layout(t::QUESTIONS_TITLE, Section::Other),
        &visitor.csrf,
        overview,
        typed,
        errors,
    );
    Ok(respond(&visitor.csrf, status, &page))
}

/// One error that is about the whole form, linked to the element `anchor`.
pub(super) fn form_error(message: String, anchor: &str) -> FormErrors {
    FormErrors::from_messages(
        &[FieldError::new(anchor, "refused", message)],
        |e| e.message.clone(),
        |_| anchor.to_owned(),
    )
}

/// The question forms' field errors in Dutch, each at the control `key` names for its field.
fn field_errors(errors: &[FieldError], key: impl Fn(&str) -> String) -> FormErrors {
    let keyed: Vec<FieldError> = errors
        .iter()
        .map(|e| FieldError::new(key(&e.field), e.code, t::question_problem(&e.field, e.code)))
        .collect();
    FormErrors::from_messages(&keyed, |e| e.message.clone(), |f| format!("veld-{f}"))
}

/// `POST /bundels/{id}/vragen`: a provider's question. Refused (nothing stored, the question
/// kept in its box): a field error, or the questions closed.
pub async fn ask(
    state: web::Data<AppState>,
    visitor: SignedIn,
    id: web::Path<String>,
    posted: CsrfForm,
) -> PageResult<HttpResponse> {
    let id: BundleId = parse_id(&id)?;
    let typed = Typed {
        question: text_area(posted.value(QUESTION)),
        asker: posted.value(ASKER).trim().to_owned(),
        answer: None,
    };
    let input = QuestionInput {
        question: typed.question.clone(),
        provider_id: (!typed.asker.is_empty()).then(|| form_id(&typed.asker)),
    };
    let mut conn = state.conn().await?;
    let asked = bundle_questions::ask_question(
        &mut conn,
        &visitor.caller,
        id,
        input,
        state.config.tenders.question_close_days,
        state.clock.now(),
    )
    .await;
    drop(conn);
    let refusal = match outcome(asked, &format!("{}?melding=gesteld", questions_href(id)))? {
        Ok(done) => return Ok(done),
        Err(refusal) => refusal,
    };
    refused_page(
        &state,
        &visitor,
        id,
        &typed,
        refusal,
        |o, refusal| match refusal {
            Refusal::Fields(errors) => field_errors(&errors, |field| match field {
                "provider_id" => ASKER.to_owned(),
                _ => QUESTION.to_owned(),
            }),
            Refusal::State => {
                let message = o
                    .may_ask
                    .err()
                    .map_or(t::CONFLICT_TEXT.to_owned(), ask_refusal);
                form_error(message, TERM)
            }
        },
    )
    .await
}

/// `POST /bundels/{id}/vragen/{question}/antwoord`: the owner's answer, once.
pub async fn answer(
    state: web::Data<AppState>,
    visitor: SignedIn,
    path: web::Path<(String, String)>,
    posted: CsrfForm,
) -> PageResult<HttpResponse> {
    let (id, question) = path.into_inner();
    let id: BundleId = parse_id(&id)?;
    let question: BundleQuestionId = parse_id(&question)?;
    let typed = Typed {
        answer: Some((question, text_area(posted.value(ANSWER)))),
        ..Typed::default()
    };
    let input = AnswerInput {
        answer: typed
            .answer
            .as_ref()
            .map(|(_, a)| a.clone())
            .unwrap_or_default(),
    };
    let mut conn = state.conn().await?;
    let answered = bundle_questions::answer_question(
        &mut conn,
        &visitor.caller,
        id,
        question,
        input,
        state.clock.now(),
    )
    .await;
    drop(conn);
    let done = format!("{}?melding=beantwoord#vraag-{question}", questions_href(id));
    let refusal = match outcome(answered, &done)? {
        Ok(done) => return Ok(done),
        Err(refusal) => refusal,
    };
    refused_page(
        &state,
        &visitor,
        id,
        &typed,
        refusal,
        |o, refusal| match refusal {
            Refusal::Fields(errors) => field_errors(&errors, |_| format!("{ANSWER}-{question}")),
            Refusal::State => {
                let message = if o.may_answer {
                    t::ANSWER_TWICE.to_owned()
                } else {
                    t::answers_not_now(tender::status(o.status))
                };
                form_error(message, &format!("vraag-{question}"))
            }
        },
    )
    .await
}
