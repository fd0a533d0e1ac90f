//! The owner's evaluation of a bundle's offers (`/bundels/{id}/beoordeling`): before the offer
//! deadline only when the seal breaks (the page is the same however many offers there are);
//! after it every live offer with a score form, the weighted ranking of `offers::ranking`
//! with abnormally low offers flagged, how the price method counts, and the award form; after
//! the award the winner and why, and after a winner withdrew the award of the next. Who may do
//! what, and when, is the use cases' (`usecases::evaluation`, `offers::score_offer`,
//! `offers::award_bundle`); this page says it in Dutch.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::domain::award::{Criterion, PriceMethod};
use crate::domain::offer::{AwardInput, ScoresInput};
use crate::domain::{BundleId, FieldError, OfferId};
use crate::state::AppState;
use crate::usecases::evaluation::{self, Evaluation, Opened};
use crate::usecases::offers::{self, RankedOffer};
use crate::web::csrf::{self, CsrfForm};
use crate::web::dashboard::parse_id;
use crate::web::error::PageResult;
use crate::web::form::{Control, FormErrors};
use crate::web::format::{self, euros, tender};
use crate::web::layout::Section;
use crate::web::session::{SignedIn, respond};
use crate::web::shortlist::text_area;
use crate::web::sign_in::query_value;
use crate::web::tender_paths::{bundle_action, bundle_href, evaluation_href, scores_href};
use crate::web::tender_questions::{PageForm, Refusal, control_head, form_error, form_id, outcome};
use crate::web::text as t;

/// The award form's fields, and the element a refusal of a whole form links to.
const AWARD_OFFER: &str = "offerte";
const MOTIVATION: &str = "motivering";
const AWARD: &str = "gunnen";
/// The most score boxes a posted form is read for (a bundle has six criteria at most).
const SCORE_FIELDS: usize = 12;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/bundels/{id}/beoordeling", web::get().to(evaluation_page))
        .route(
            "/bundels/{id}/offertes/{offer}/scores",
            web::post().to(score),
        )
        .route("/bundels/{id}/gunnen", web::post().to(award));
}

/// A score or total as Dutch readers write it: "7", "7,5", "72,25".
fn decimal(x: f64) -> String {
    let fixed = format!("{x:.2}");
    let trimmed = fixed.trim_end_matches('0').trim_end_matches('.');
    trimmed.replace('.', ",")
}

/// What was typed into a form that was refused, shown again.
#[derive(Default)]
struct Typed {
    /// The score boxes of one offer, by criterion code.
    scores: Option<(OfferId, BTreeMap<String, String>)>,
    offer: String,
    motivation: String,
}

/// A row of the ranking table.
struct RankRow {
    rank: usize,
    anchor: String,
    provider: String,
    price: String,
    price_score: String,
    scores: Vec<String>,
    total: String,
    low: bool,
}

/// One offer with everything it says and the owner's score form.
struct OfferView {
    anchor: String,
    heading: String,
    price: String,
    /// The linked offering's page and title.
    offering: Option<(String, String)>,
    proposal: Vec<String>,
    answers: Vec<(&'static str, String)>,
    form: Option<PageForm>,
}

/// The award as made.
struct AwardView {
    winner: String,
    motivation: String,
    when: String,
}

struct AwardForm {
    action: String,
    /// (offer id, label, chosen), in rank order.
    choices: Vec<(String, String, bool)>,
    motivation: String,
}

/// The opened offers as the page shows them.
struct OpenedView {
    price_counts: String,
    price_explained: &'static str,
    columns: Vec<String>,
    rows: Vec<RankRow>,
    any_low: bool,
    offers: Vec<OfferView>,
    awarded: Option<AwardView>,
    winner_withdrew: bool,
    award_form: Option<AwardForm>,
}

#[derive(Template)]
#[template(path = "evaluation.html")]
struct EvaluationPage {
    page: crate::web::layout::Layout,
    errors: FormErrors,
    notice: Option<&'static str>,
    title: String,
    status: &'static str,
    bundle_href: String,
    csrf: String,
    /// Before the offers are opened: what the page says instead of any of them.
    sealed: Vec<String>,
    opened: Option<OpenedView>,
}

fn provider_name(opened: &Opened, ranked: &RankedOffer) -> String {
    opened
        .provider_names
        .get(&ranked.offer.provider_id)
        .cloned()
        .unwrap_or_default()
}

/// The score form of one offer: a box per quality criterion, holding what was typed after a
/// refusal, else the score given.
fn score_form(
    id: BundleId,
    ranked: &RankedOffer,
    quality: &[Criterion],
    typed: &Typed,
    errors: &FormErrors,
) -> PageForm {
    let offer = ranked.offer.id;
    let typed = typed.scores.as_ref().filter(|(o, _)| *o == offer);
    let controls = quality
        .iter()
        .map(|c| {
            let code = c.as_str();
            let value = match typed {
                Some((_, values)) => values.get(code).cloned().unwrap_or_default(),
                None => ranked
                    .quality_scores
                    .get(c)
                    .map(|s| decimal(*s))
                    .unwrap_or_default(),
            };
            let key = format!("score-{offer}-{code}");
            Control::Text {
                head: control_head(
                    errors,
                    code,
                    &key,
                    tender::criterion(*c),
                    Some(t::SCORES_HINT),
                ),
                value,
                rows: 0,
                numeric: true,
                moment: false,
            }
        })
        .collect();
    PageForm::new(
        scores_href(id, offer),
        t::SCORES_LEGEND,
        controls,
        t::SCORES_BUTTON,
    )
}

impl OpenedView {
    fn new(opened: &Opened, typed: &Typed, errors: &FormErrors) -> OpenedView {
        let id = opened.bundle.id;
        let ranking = &opened.ranking;
        let quality: Vec<Criterion> = ranking
            .weights
            .keys()
            .copied()
            .filter(|c| *c != Criterion::Price)
            .collect();
        let columns = quality
            .iter()
            .map(|c| t::weighted(tender::criterion(*c), ranking.weights[c]))
            .collect();
        let rows = ranking
            .offers
            .iter()
            .map(|r| RankRow {
                rank: r.rank,
                anchor: format!("offerte-{}", r.offer.id),
                provider: provider_name(opened, r),
                price: euros(r.offer.price_cents),
                price_score: decimal(r.price_score),
                scores: quality
                    .iter()
                    .map(|c| {
                        r.quality_scores
                            .get(c)
                            .map_or(t::NOT_SCORED.to_owned(), |s| decimal(*s))
                    })
                    .collect(),
                total: decimal(r.total),
                low: r.abnormally_low,
            })
            .collect();
        let offers = ranking
            .offers
            .iter()
            .map(|r| {
                let answers = stored_answers(&r.offer.criteria_answers);
                OfferView {
                    anchor: format!("offerte-{}", r.offer.id),
                    heading: t::offer_heading(r.rank, &provider_name(opened, r)),
                    price: euros(r.offer.price_cents),
                    offering: r.offer.offering_id.map(|o| {
                        let title = opened.offering_titles.get(&o).cloned();
                        (
                            format!("/aanbod/{o}"),
                            title.unwrap_or_else(|| o.to_string()),
                        )
                    }),
                    proposal: format::paragraphs(&r.offer.proposal),
                    answers: quality
                        .iter()
                        .map(|c| {
                            let answer = answers.get(c).cloned();
                            (
                                tender::criterion(*c),
                                answer.unwrap_or_else(|| t::OFFER_NO_ANSWER.to_owned()),
                            )
                        })
                        .collect(),
                    form: opened
                        .may_score
                        .then(|| score_form(id, r, &quality, typed, errors)),
                }
            })
            .collect();
        let bundle = &opened.bundle;
        let awarded = bundle.awarded_offer_id.map(|winner| AwardView {
            winner: ranking
                .offers
                .iter()
                .find(|r| r.offer.id == winner)
                .map(|r| provider_name(opened, r))
                .unwrap_or_default(),
            motivation: bundle.award_motivation.clone().unwrap_or_default(),
            when: bundle.awarded_at.map(format::date).unwrap_or_default(),
        });
        let award_form = (opened.may_award && !ranking.offers.is_empty()).then(|| AwardForm {
            action: bundle_action(id, AWARD),
            choices: ranking
                .offers
                .iter()
                .map(|r| {
                    let value = r.offer.id.to_string();
                    let label = t::award_choice(
                        r.rank,
                        &provider_name(opened, r),
                        &euros(r.offer.price_cents),
                        &decimal(r.total),
                    );
                    let chosen = typed.offer == value;
                    (value, label, chosen)
                })
                .collect(),
            motivation: typed.motivation.clone(),
        });
        let price_weight = ranking.weights.get(&Criterion::Price).copied().unwrap_or(0);
        OpenedView {
            price_counts: t::price_counts(price_weight, tender::price_method(ranking.method)),
            price_explained: match ranking.method {
                PriceMethod::Relative => t::PRICE_RELATIVE_EXPLAINED,
                PriceMethod::Budget => t::PRICE_BUDGET_EXPLAINED,
            },
            columns,
            any_low: ranking.offers.iter().any(|r| r.abnormally_low),
            rows,
            offers,
            awarded,
            winner_withdrew: opened.winner_withdrew,
            award_form,
        }
    }
}

/// An offer's answers as stored (`{"fit": "…"}`), by criterion.
fn stored_answers(value: &serde_json::Value) -> BTreeMap<Criterion, String> {
    value
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(code, v)| Some((Criterion::parse(code)?, v.as_str()?.to_owned())))
        .collect()
}

impl EvaluationPage {
    fn new(
        visitor: &SignedIn,
        evaluation: Evaluation,
        typed: &Typed,
        errors: FormErrors,
    ) -> EvaluationPage {
        let (bundle, status, sealed, opened) = match evaluation {
            Evaluation::Sealed { bundle, status } => {
                let sealed = if status == crate::domain::bundle::BundleStatus::Cancelled {
                    vec![t::SEALED_CANCELLED.to_owned()]
                } else {
                    vec![
                        t::sealed_until(&format::moment(bundle.offer_deadline)),
                        t::SEALED_NOTHING.to_owned(),
                    ]
                };
                (bundle, status, sealed, None)
            }
            Evaluation::Opened(opened) => {
                let view = OpenedView::new(&opened, typed, &errors);
                let Opened { bundle, status, .. } = opened;
                (bundle, status, Vec::new(), Some(view))
            }
        };
        EvaluationPage {
            page: visitor.layout(t::EVALUATION_TITLE, Section::Other),
            errors,
            notice: None,
            title: bundle.title,
            status: tender::status(status),
            bundle_href: bundle_href(bundle.id),
            csrf: visitor.csrf.token.clone(),
            sealed,
            opened,
        }
    }
}

/// `GET /bundels/{id}/beoordeling`: the evaluation, for the bundle's owner only.
pub async fn evaluation_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    visitor: SignedIn,
    id: web::Path<String>,
) -> PageResult<HttpResponse> {
    let id: BundleId = parse_id(&id)?;
    let mut conn = state.conn().await?;
    let found = evaluation::evaluation(&mut conn, &visitor.caller, id, state.clock.now()).await?;
    let mut page = EvaluationPage::new(&visitor, found, &Typed::default(), FormErrors::default());
    page.notice = match query_value(&req, "melding").as_str() {
        "scores" => Some(t::SCORES_SAVED),
        "gegund" => Some(t::AWARDED),
        _ => None,
    };
    Ok(respond(&visitor.csrf, StatusCode::OK, &page))
}

/// The page again after a refused form: what was typed kept, the errors on top.
async fn refused_page(
    state: &AppState,
    visitor: &SignedIn,
    id: BundleId,
    typed: &Typed,
    refusal: Refusal,
    errors: impl FnOnce(&Evaluation, Refusal) -> FormErrors,
) -> PageResult<HttpResponse> {
    let status = refusal.status();
    let mut conn = state.conn().await?;
    let found = evaluation::evaluation(&mut conn, &visitor.caller, id, state.clock.now()).await?;
    let errors = errors(&found, refusal);
    let page = EvaluationPage::new(visitor, found, typed, errors);
    Ok(respond(&visitor.csrf, status, &page))
}

/// Why a move is refused in the bundle's state now, in Dutch.
fn not_now(found: &Evaluation) -> String {
    let status = match found {
        Evaluation::Sealed { status, .. } => *status,
        Evaluation::Opened(opened) => {
            if opened.bundle.awarded_offer_id.is_some() {
                return t::AWARD_TAKEN.to_owned();
            }
            opened.status
        }
    };
    t::evaluation_not_now(tender::status(status))
}

/// The scores' errors in Dutch, each at its box (`score-<offer>-<code>`); "score at least
/// one" at the offer.
fn score_errors(offer: OfferId, errors: &[FieldError]) -> FormErrors {
    let whole = format!("score-{offer}");
    let keyed: Vec<FieldError> = errors
        .iter()
        .map(|e| match e.field.strip_prefix("scores.") {
            Some(code) => {
                let name = match Criterion::parse(code) {
                    Some(criterion) => tender::criterion(criterion),
                    None => code,
                };
                FieldError::new(
                    format!("{whole}-{code}"),
                    e.code,
                    t::score_problem(name, e.code),
                )
            }
            None => FieldError::new(whole.clone(), e.code, t::SCORES_REQUIRED),
        })
        .collect();
    FormErrors::from_messages(
        &keyed,
        |e| e.message.clone(),
        |f| {
            if f == whole {
                format!("offerte-{offer}")
            } else {
                format!("veld-{f}")
            }
        },
    )
}

/// `POST /bundels/{id}/offertes/{offer}/scores`: the owner's scores of one offer, 0 to 10 per
/// quality criterion ("7,5" as well as "7.5"); an empty box keeps its score. Any wrong box
/// refuses all of them: nothing is stored, every error is shown, what was typed stays.
pub async fn score(
    state: web::Data<AppState>,
    visitor: SignedIn,
    path: web::Path<(String, String)>,
    posted: CsrfForm,
) -> PageResult<HttpResponse> {
    let (id, offer) = path.into_inner();
    let id: BundleId = parse_id(&id)?;
    let offer: OfferId = parse_id(&offer)?;
    let typed: BTreeMap<String, String> = posted
        .pairs()
        .filter(|(name, _)| *name != csrf::FIELD)
        .take(SCORE_FIELDS)
        .map(|(name, value)| (name.to_owned(), value.trim().to_owned()))
        .collect();
    // What is no number is sent as one the rules refuse, so its error comes with the others'.
    let scores = typed
        .iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(code, value)| {
            let number = value.replace(',', ".").parse().unwrap_or(f64::NAN);
            (code.clone(), number)
        })
        .collect();
    let mut conn = state.conn().await?;
    let saved = offers::score_offer(
        &mut conn,
        &visitor.caller,
        id,
        offer,
        ScoresInput { scores },
        state.clock.now(),
    )
    .await;
    drop(conn);
    let typed = Typed {
        scores: Some((offer, typed)),
        ..Typed::default()
    };
    let done = format!("{}?melding=scores#offerte-{offer}", evaluation_href(id));
    let refusal = match outcome(saved, &done)? {
        Ok(done) => return Ok(done),
        Err(refusal) => refusal,
    };
    refused_page(
        &state,
        &visitor,
        id,
        &typed,
        refusal,
        |found, refusal| match refusal {
            Refusal::Fields(errors) => score_errors(offer, &errors),
            Refusal::State => form_error(not_now(found), &format!("offerte-{offer}")),
        },
    )
    .await
}

/// `POST /bundels/{id}/gunnen`: the award of one live offer, with a motivation.
pub async fn award(
    state: web::Data<AppState>,
    visitor: SignedIn,
    id: web::Path<String>,
    posted: CsrfForm,
) -> PageResult<HttpResponse> {
    let id: BundleId = parse_id(&id)?;
    let typed = Typed {
        scores: None,
        offer: posted.value(AWARD_OFFER).trim().to_owned(),
        motivation: text_area(posted.value(MOTIVATION)),
    };
    let input = AwardInput {
        offer_id: (!typed.offer.is_empty()).then(|| form_id(&typed.offer)),
        motivation: typed.motivation.clone(),
    };
    let mut conn = state.conn().await?;
    let awarded = offers::award_bundle(
        &mut conn,
        &visitor.caller,
        id,
        input,
        &state.config.tenders,
        &state.config.public_url,
        state.clock.now(),
    )
    .await;
    drop(conn);
    let done = format!("{}?melding=gegund", evaluation_href(id));
    let refusal = match outcome(awarded, &done)? {
        Ok(done) => return Ok(done),
        Err(refusal) => refusal,
    };
    refused_page(
        &state,
        &visitor,
        id,
        &typed,
        refusal,
        |found, refusal| match refusal {
            Refusal::Fields(errors) => award_errors(&errors),
            Refusal::State => form_error(not_now(found), AWARD),
        },
    )
    .await
}

/// The award's errors in Dutch, at the offer's choice or the motivation.
fn award_errors(errors: &[FieldError]) -> FormErrors {
    let keyed: Vec<FieldError> = errors
        .iter()
        .map(|e| {
            let key = if e.field == "offer_id" {
                AWARD_OFFER
            } else {
                MOTIVATION
            };
            FieldError::new(key, e.code, t::award_problem(&e.field, e.code))
        })
        .collect();
    FormErrors::from_messages(&keyed, |e| e.message.clone(), |f| format!("veld-{f}"))
}
