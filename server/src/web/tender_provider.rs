//! A provider's tender pages: `/bundels/zoeken` finds open bundles (the query string is the
//! API's `/v1/search/bundles`, read by the same parser and limited by the same use case
//! scope), and `/bundels/{id}/offerte` is the provider's own sealed offer: submitted with an
//! idempotency key generated when the form is shown (a double-click makes one offer), changed
//! at the version it was loaded at, withdrawn, or confirmed after the owner changed the
//! conditions. The rules are `usecases::offers`'; these pages only turn their answers into
//! Dutch.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::{DateTime, Utc};
use diesel_async::AsyncPgConnection;
use edumarkt_search_sync::BundleDocument;
use edumarkt_search_sync::bundle::FACETS;
use edumarkt_search_sync::query::MAX_HITS;

use crate::auth::Caller;
use crate::db::models::bundle::Bundle;
use crate::db::models::offer::Offer;
use crate::db::models::offering::Status;
use crate::domain::award::Criterion;
use crate::domain::bundle::{BundleStatus, Deadlines, status_at};
use crate::domain::cost::Unit;
use crate::domain::offer::{OfferInput, OfferReader};
use crate::domain::{BundleId, DomainError, FieldError, OfferId, OrganizationId};
use crate::error::ApiError;
use crate::routes::search::bundle_params;
use crate::state::AppState;
use crate::usecases::{bundle_search, bundles, offerings, offers, organizations};
use crate::web::csrf::CsrfForm;
use crate::web::dashboard::{loaded_version, parse_id};
use crate::web::error::{PageError, PageResult};
use crate::web::form::FormErrors;
use crate::web::format::{self, tender};
use crate::web::format::{euros_typed, parse_euros};
use crate::web::layout::{Layout, Section, see_other};
use crate::web::search::{FacetView, QueryPairs, SelectView, facet_views};
use crate::web::session::{SignedIn, respond};
use crate::web::sign_in::{MessagePage, query_value};
use crate::web::tender_paths::{FIND_BUNDLES, bundle_action, bundle_href, offer_href};
use crate::web::text as t;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(FIND_BUNDLES, web::get().to(find_bundles))
        .route("/bundels/{id}/offerte", web::get().to(offer_page))
        .route("/bundels/{id}/offerte", web::post().to(save_offer))
        .route(
            "/bundels/{id}/offerte/intrekken",
            web::post().to(withdraw_offer),
        )
        .route(
            "/bundels/{id}/offerte/bevestigen",
            web::post().to(confirm_offer),
        );
}

/// A bundle as the search page lists it.
struct BundleHitView {
    title: String,
    href: String,
    offer_href: String,
    facts: Vec<(&'static str, String)>,
}

fn millis(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

impl BundleHitView {
    fn at(d: &BundleDocument, now: DateTime<Utc>) -> BundleHitView {
        let id = BundleId::from(d.id);
        let deadlines = Deadlines {
            join: millis(d.join_deadline),
            offer: millis(d.offer_deadline),
        };
        let stored = BundleStatus::parse(&d.status).unwrap_or(BundleStatus::Open);
        BundleHitView {
            title: d.title.clone(),
            href: bundle_href(id),
            offer_href: offer_href(id),
            facts: vec![
                (t::BUNDLE_OWNER, d.owner_name.clone()),
                (
                    t::BUNDLE_STATUS,
                    tender::status(status_at(stored, deadlines, now)).to_owned(),
                ),
                (
                    t::SERVICE_TYPE,
                    format!("{} · {}", d.domain_label, d.service_type_label),
                ),
                (t::BUNDLE_QUANTITY, quantity(d.total_quantity, &d.unit)),
                (t::JOIN_DEADLINE, crate::web::format::moment(deadlines.join)),
                (
                    t::OFFER_DEADLINE,
                    crate::web::format::moment(deadlines.offer),
                ),
            ],
        }
    }
}

/// "240 leerlingen" (the unit's code when it is one this build does not know).
fn quantity(n: i64, unit: &str) -> String {
    match Unit::parse(unit) {
        Some(unit) => t::quantity(n.max(0).unsigned_abs(), unit),
        None => format!("{n} {unit}"),
    }
}

#[derive(Template)]
#[template(path = "bundle_search.html")]
struct FindBundlesPage {
    page: Layout,
    action: &'static str,
    form: QueryPairs,
    errors: FormErrors,
    selects: Vec<SelectView>,
    facets: Vec<FacetView>,
    hits: Vec<BundleHitView>,
    count: String,
    previous: Option<String>,
    next: Option<String>,
    clear_filters: String,
}

/// The id of the control a bundle search parameter is typed or chosen in.
fn control_id(param: &str) -> String {
    match param {
        "q" | "sort" | "deadline_within_days" => format!("veld-{param}"),
        other if FACETS.iter().any(|f| f.param == other) => "filters".to_owned(),
        _ => "veld-q".to_owned(),
    }
}

fn bundle_selects(form: &QueryPairs) -> Vec<SelectView> {
    let options = |name: &str, list: &[(&str, &str)], any: bool| {
        let chosen = form.value(name);
        let mut options: Vec<(String, String, bool)> = Vec::new();
        if any {
            options.push((String::new(), t::ANY.to_owned(), chosen.is_empty()));
        }
        options.extend(
            list.iter()
                .map(|(v, l)| ((*v).to_owned(), (*l).to_owned(), *v == chosen)),
        );
        options
    };
    vec![
        SelectView {
            name: "sort",
            label: t::SORT_LABEL,
            options: options("sort", t::BUNDLE_SORTS, false),
        },
        SelectView {
            name: "deadline_within_days",
            label: t::DEADLINE_WITHIN_LABEL,
            options: options("deadline_within_days", t::DEADLINE_WITHIN, true),
        },
    ]
}

/// `GET /bundels/zoeken`: open bundles for a provider's staff (others: 403), one GET form.
pub async fn find_bundles(
    req: HttpRequest,
    state: web::Data<AppState>,
    visitor: SignedIn,
) -> PageResult<HttpResponse> {
    let now = state.clock.now();
    let form = QueryPairs::parse(req.query_string());
    // The API's parser decides; what it refuses is shown as form errors and the rest of the
    // search still runs.
    let (query, errors) = match bundle_params::parse(&form.encoded(), now) {
        Ok(query) => (query, FormErrors::default()),
        Err(ApiError::Validation(fields)) => {
            let errors = FormErrors::from_fields(
                &fields,
                t::bundle_search_label,
                t::field_problem,
                control_id,
            );
            let valid = form.without(|k, _| errors.fields().any(|f| f == k));
            let query = bundle_params::parse(&valid.encoded(), now)
                .or_else(|_| {
                    bundle_params::parse(&valid.without(|k, _| k == "page").encoded(), now)
                })
                .map_err(|_| ApiError::BadRequest("search parameters".into()))?;
            (query, errors)
        }
        Err(other) => return Err(other.into()),
    };
    let query = {
        let mut conn = state.conn().await?;
        bundle_search::scoped_query(&mut conn, &visitor.caller, query, now).await?
    };
    let results = state.search.bundles(&query).await.map_err(ApiError::from)?;
    let last = results.total.min(MAX_HITS).div_ceil(query.per_page.max(1));
    let at = |page: usize| {
        form.without(|k, _| k == "page")
            .with("page", page.to_string())
            .href_at(FIND_BUNDLES)
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let page = FindBundlesPage {
        page: visitor.layout(t::FIND_BUNDLES_TITLE, Section::Dashboard),
        action: FIND_BUNDLES,
        selects: bundle_selects(&form),
        facets: facet_views(&form, FACETS.iter().map(|f| f.param), &results.facets),
        hits: results
            .hits
            .iter()
            .map(|d| BundleHitView::at(d, now))
            .collect(),
        count: t::result_count(results.total, results.total >= MAX_HITS),
        previous: (query.page > 1).then(|| at(query.page - 1)),
        next: (query.page < last).then(|| at(query.page + 1)),
        clear_filters: form.without(|k, _| k != "q").href_at(FIND_BUNDLES),
        errors,
        form,
    };
    Ok(respond(&visitor.csrf, status, &page))
}

/// The hidden fields of the offer form.
const KEY: &str = "sleutel";
const OFFER: &str = "offerte";

/// The form's control of a criterion's answer.
fn answer_control(code: &str) -> String {
    format!("antwoord-{code}")
}

/// What the offer form holds, as typed.
#[derive(Debug, Clone, Default)]
struct OfferForm {
    provider_id: String,
    offering_id: String,
    price: String,
    proposal: String,
    /// Per quality criterion of the bundle, in its order: (code, answer).
    answers: Vec<(&'static str, String)>,
}

impl OfferForm {
    fn blank(bundle: &Bundle) -> PageResult<OfferForm> {
        Ok(OfferForm {
            answers: quality(bundle)?
                .into_iter()
                .map(|c| (c, String::new()))
                .collect(),
            ..OfferForm::default()
        })
    }

    fn of(bundle: &Bundle, offer: &Offer) -> PageResult<OfferForm> {
        Ok(OfferForm {
            provider_id: offer.provider_id.to_string(),
            offering_id: offer.offering_id.map(|o| o.to_string()).unwrap_or_default(),
            price: euros_typed(offer.price_cents),
            proposal: offer.proposal.clone(),
            answers: quality(bundle)?
                .into_iter()
                .map(|c| {
                    let answer = offer.criteria_answers[c].as_str().unwrap_or_default();
                    (c, answer.to_owned())
                })
                .collect(),
        })
    }

    fn posted(bundle: &Bundle, posted: &CsrfForm) -> PageResult<OfferForm> {
        // Browsers send a text area's line breaks as CRLF; offers store LF.
        let text = |name: &str| posted.value(name).replace("\r\n", "\n");
        Ok(OfferForm {
            provider_id: text("provider_id"),
            offering_id: text("offering_id"),
            price: text("price"),
            proposal: text("proposal"),
            answers: quality(bundle)?
                .into_iter()
                .map(|c| (c, text(&answer_control(c))))
                .collect(),
        })
    }

    /// The use case's input, and the errors of what is no amount or no id. With such an
    /// error the input has no price, so the use case refuses it whatever else it holds (and
    /// names every other field in error).
    fn input(&self) -> (OfferInput, Vec<FieldError>) {
        let mut errors = Vec::new();
        let mut id = |field: &'static str, typed: &str| match typed.trim() {
            "" => None,
            typed => typed.parse::<uuid::Uuid>().ok().or_else(|| {
                errors.push(FieldError::new(field, "unknown_code", "no such choice"));
                None
            }),
        };
        let provider_id = id("provider_id", &self.provider_id).map(OrganizationId::from);
        let offering_id = id("offering_id", &self.offering_id).map(Into::into);
        let price_cents = match parse_euros(&self.price) {
            Ok(cents) => cents,
            Err(()) => {
                errors.push(FieldError::new("price_cents", "invalid", "not an amount"));
                None
            }
        };
        let input = OfferInput {
            provider_id,
            offering_id,
            price_cents: if errors.is_empty() { price_cents } else { None },
            proposal: self.proposal.clone(),
            criteria_answers: self
                .answers
                .iter()
                .filter(|(_, a)| !a.trim().is_empty())
                .map(|(c, a)| ((*c).to_owned(), a.clone()))
                .collect(),
        };
        (input, errors)
    }
}

/// The bundle's quality criteria (every one but the price), in the bundle's order.
fn quality(bundle: &Bundle) -> PageResult<Vec<&'static str>> {
    Ok(offers::weights(bundle)?
        .keys()
        .filter(|c| c.as_str() != "price")
        .map(|c| c.as_str())
        .collect())
}

/// The use case's field errors in Dutch at their controls, after the form's own (`parsed`).
/// With a form error the use case was sent no price, so its word on the price is dropped.
fn offer_errors(parsed: &[FieldError], refused: &[FieldError]) -> FormErrors {
    let artifact = |e: &&FieldError| !parsed.is_empty() && e.field == "price_cents";
    let named: Vec<FieldError> = parsed
        .iter()
        .chain(refused.iter().filter(|e| !artifact(e)))
        .map(|e| {
            let (control, label) = match e.field.strip_prefix("criteria_answers.") {
                Some(code) => (
                    answer_control(code),
                    Criterion::parse(code).map_or(t::OFFER_ANSWERS_LEGEND, tender::criterion),
                ),
                None if e.field == "price_cents" => ("price".to_owned(), t::OFFER_PRICE_LABEL),
                None => (e.field.clone(), t::offer_field_label(&e.field)),
            };
            let message = format!("{label}: {}", t::offer_problem(e.code));
            FieldError::new(control, e.code, message)
        })
        .collect();
    FormErrors::from_messages(&named, |e| e.message.clone(), |f| format!("veld-{f}"))
}

/// One criterion of the bundle, as the page explains the scoring.
struct CriterionRow {
    name: &'static str,
    weight: u8,
}

/// An answer's control.
struct AnswerView {
    id: String,
    name: String,
    label: &'static str,
    value: String,
    error: Option<String>,
}

/// The provider's own offer, as shown once it can no longer change.
struct OfferSummary {
    price: String,
    proposal: Vec<String>,
    answers: Vec<(&'static str, String)>,
}

/// Where the offer stands, and what the page offers to do.
enum Stage {
    /// Joining still runs: offers come after it.
    NotYet,
    /// Offers are taken: the form.
    Open,
    /// After the offer deadline: sealed, then awarded or cancelled.
    Closed(&'static str),
}

#[derive(Template)]
#[template(path = "offer_form.html")]
struct OfferPage {
    page: Layout,
    bundle_title: String,
    bundle_href: String,
    facts: Vec<(&'static str, String)>,
    criteria: Vec<CriterionRow>,
    price_method: &'static str,
    notice: Option<&'static str>,
    errors: FormErrors,
    stage: Stage,
    /// The live offer needs confirming (the owner changed the conditions).
    needs_confirmation: bool,
    /// After the award: whether it went to the visitor's offer, with its score and rank.
    outcome: Option<String>,
    summary: Option<OfferSummary>,
    withdrawn_before: bool,
    csrf: String,
    action: String,
    withdraw_action: String,
    confirm_action: String,
    key: String,
    /// The live offer being changed, and the version the form was loaded at.
    offer_id: Option<String>,
    version: Option<i32>,
    /// Several providers: the caller chooses for which.
    providers: Choices,
    /// The caller's published offerings, grouped by provider name.
    offerings: Vec<(String, Choices)>,
    form: OfferForm,
    answers: Vec<AnswerView>,
    button: &'static str,
}

/// The options of a select: (value, label, chosen).
type Choices = Vec<(String, String, bool)>;

/// What the offer page is built from: the bundle as the caller may read it, the caller's own
/// offers on it (403 for anyone who makes no offers), and the providers they offer for.
struct Desk {
    bundle: Bundle,
    status: BundleStatus,
    offers: Vec<Offer>,
    providers: Vec<(OrganizationId, String)>,
    /// The moment it was read at, which the rest of the page is read at too.
    now: DateTime<Utc>,
}

impl Desk {
    async fn load(
        conn: &mut AsyncPgConnection,
        state: &AppState,
        caller: &Caller,
        id: BundleId,
        now: DateTime<Utc>,
    ) -> PageResult<Desk> {
        let view = bundles::get_bundle(conn, Some(caller), id, &state.config.tenders, now).await?;
        let (offers, reader) = offers::list_offers(conn, caller, id, now).await?;
        if reader != OfferReader::Offerer {
            return Err(PageError::Forbidden(
                "Only a provider's staff make offers.".into(),
            ));
        }
        let mut providers = Vec::new();
        for provider in offers::providers_of(conn, caller).await? {
            let name = organizations::public_provider(conn, provider).await?.name;
            providers.push((provider, name));
        }
        Ok(Desk {
            status: view.status,
            bundle: view.bundle,
            offers,
            providers,
            now,
        })
    }

    fn live(&self) -> Option<&Offer> {
        self.offers.iter().find(|o| o.is_live())
    }
}

fn notice(req: &HttpRequest) -> Option<&'static str> {
    match query_value(req, "melding").as_str() {
        "ingediend" => Some(t::OFFER_SAVED_SUBMITTED),
        "opgeslagen" => Some(t::OFFER_SAVED_CHANGED),
        "ingetrokken" => Some(t::OFFER_SAVED_WITHDRAWN),
        "bevestigd" => Some(t::OFFER_SAVED_CONFIRMED),
        _ => None,
    }
}

/// The page over `desk`, with `form` as typed (or loaded) and its errors.
async fn offer_page_of(
    conn: &mut AsyncPgConnection,
    visitor: &SignedIn,
    desk: &Desk,
    form: OfferForm,
    errors: FormErrors,
    key: String,
    version: Option<i32>,
) -> PageResult<OfferPage> {
    let bundle = &desk.bundle;
    let live = desk.live();
    let weights = offers::weights(bundle)?;
    let stage = match desk.status {
        BundleStatus::Draft | BundleStatus::Open => Stage::NotYet,
        BundleStatus::Tendering => Stage::Open,
        BundleStatus::Evaluating => Stage::Closed(t::OFFER_SEALED),
        BundleStatus::Awarded => Stage::Closed(t::OFFER_SEALED),
        BundleStatus::Cancelled => Stage::Closed(t::OFFER_CANCELLED),
    };
    let verdict = match (desk.status, live) {
        (BundleStatus::Awarded, Some(own)) if bundle.awarded_offer_id == Some(own.id) => {
            Some(t::OFFER_AWARDED_TO_YOU)
        }
        (BundleStatus::Awarded, _) => Some(t::OFFER_AWARDED_OTHER),
        _ => None,
    };
    let result = offers::own_result(conn, &visitor.caller, bundle.id, desk.now).await?;
    let outcome = verdict.map(|verdict| match result {
        Some(r) => format!("{verdict} {}", t::own_result(r.total, r.rank, r.of)),
        None => verdict.to_owned(),
    });
    let mut offerings = Vec::new();
    for (provider, name) in &desk.providers {
        let published = offerings::list_provider_offerings(
            conn,
            Some(&visitor.caller),
            *provider,
            Some(Status::Published),
            None,
            200,
        )
        .await?;
        let choices = published
            .into_iter()
            .map(|o| {
                let id = o.id.to_string();
                let chosen = id == form.offering_id;
                (id, o.content.title, chosen)
            })
            .collect();
        offerings.push((name.clone(), choices));
    }
    let summary = match (&stage, live) {
        (Stage::Closed(_), Some(own)) => Some(OfferSummary {
            price: format::euros(own.price_cents),
            proposal: format::paragraphs(&own.proposal),
            answers: OfferForm::of(bundle, own)?
                .answers
                .into_iter()
                .map(|(c, a)| {
                    let name = Criterion::parse(c).map_or(c, tender::criterion);
                    (name, a)
                })
                .collect(),
        }),
        _ => None,
    };
    let answers = form
        .answers
        .iter()
        .map(|(code, value)| {
            let name = answer_control(code);
            AnswerView {
                id: format!("veld-{name}"),
                error: errors.of(&name).map(str::to_owned),
                label: Criterion::parse(code).map_or(t::OFFER_ANSWERS_LEGEND, tender::criterion),
                value: value.clone(),
                name,
            }
        })
        .collect();
    let id = bundle.id;
    Ok(OfferPage {
        page: visitor.layout(t::OFFER_TITLE, Section::Dashboard),
        bundle_title: bundle.title.clone(),
        bundle_href: bundle_href(id),
        facts: vec![
            (t::BUNDLE_OWNER, bundle_owner(conn, bundle).await?),
            (t::BUNDLE_STATUS, tender::status(desk.status).to_owned()),
            (
                t::BUNDLE_QUANTITY,
                quantity(bundle.total_quantity, &bundle.unit),
            ),
            (
                t::JOIN_DEADLINE,
                crate::web::format::moment(bundle.join_deadline),
            ),
            (
                t::OFFER_DEADLINE,
                crate::web::format::moment(bundle.offer_deadline),
            ),
        ],
        criteria: weights
            .iter()
            .map(|(c, w)| CriterionRow {
                name: tender::criterion(*c),
                weight: *w,
            })
            .collect(),
        price_method: tender::price_method(bundle.price_method),
        notice: None,
        needs_confirmation: live.is_some_and(|o| o.needs_confirmation),
        outcome,
        summary,
        withdrawn_before: live.is_none() && !desk.offers.is_empty(),
        csrf: visitor.csrf.token.clone(),
        action: offer_href(id),
        withdraw_action: bundle_action(id, "offerte/intrekken"),
        confirm_action: bundle_action(id, "offerte/bevestigen"),
        key,
        offer_id: live.map(|o| o.id.to_string()),
        version: version.or(live.map(|o| o.version)),
        providers: if desk.providers.len() > 1 {
            desk.providers
                .iter()
                .map(|(p, name)| {
                    let id = p.to_string();
                    let chosen = id == form.provider_id;
                    (id, name.clone(), chosen)
                })
                .collect()
        } else {
            Vec::new()
        },
        offerings,
        answers,
        button: if live.is_some() {
            t::OFFER_SAVE
        } else {
            t::OFFER_SUBMIT
        },
        form,
        errors,
        stage,
    })
}

/// The owner's name, as the bundle's page would show it.
async fn bundle_owner(conn: &mut AsyncPgConnection, bundle: &Bundle) -> PageResult<String> {
    Ok(
        crate::db::models::organization::Organization::find(conn, bundle.owner_organization_id)
            .await
            .map_err(|e| PageError::Internal(e.into()))?
            .map_or_else(String::new, |o| o.name),
    )
}

/// A new idempotency key: one per rendering of the empty form.
fn new_key() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// `GET /bundels/{id}/offerte`: the provider's live offer in its form, or an empty form; after
/// the offer deadline, the sealed offer and, once awarded, the outcome.
pub async fn offer_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    visitor: SignedIn,
    id: web::Path<String>,
) -> PageResult<HttpResponse> {
    let id: BundleId = parse_id(&id)?;
    let now = state.clock.now();
    let mut conn = state.conn().await?;
    let desk = Desk::load(&mut conn, &state, &visitor.caller, id, now).await?;
    let form = match desk.live() {
        Some(own) => OfferForm::of(&desk.bundle, own)?,
        None => OfferForm::blank(&desk.bundle)?,
    };
    let mut page = offer_page_of(
        &mut conn,
        &visitor,
        &desk,
        form,
        FormErrors::default(),
        new_key(),
        None,
    )
    .await?;
    page.notice = notice(&req);
    Ok(respond(&visitor.csrf, StatusCode::OK, &page))
}

/// Why an offer could not be saved now, as a Dutch page (409) with the way back.
fn refusal(visitor: &SignedIn, id: BundleId, text: &'static str) -> HttpResponse {
    let page = MessagePage::new(
        visitor.layout(t::OFFER_REFUSED_TITLE, Section::Dashboard),
        t::OFFER_REFUSED_TITLE,
        text,
    )
    .link(&offer_href(id), t::BACK_TO_OFFER)
    .link(&bundle_href(id), t::BACK_TO_BUNDLE);
    respond(&visitor.csrf, StatusCode::CONFLICT, &page)
}

/// A conflict of the offer's use cases in Dutch: the deadline (the bundle no longer, or not
/// yet, takes offers), a withdrawn offer, or another live offer of the organisation.
async fn conflict_text(
    conn: &mut AsyncPgConnection,
    state: &AppState,
    visitor: &SignedIn,
    id: BundleId,
) -> PageResult<&'static str> {
    let now = state.clock.now();
    let view =
        bundles::get_bundle(conn, Some(&visitor.caller), id, &state.config.tenders, now).await?;
    Ok(if view.status != BundleStatus::Tendering {
        t::OFFER_REFUSED_DEADLINE
    } else {
        t::OFFER_REFUSED_EXISTS
    })
}

/// `POST /bundels/{id}/offerte`: submits the offer (with the form's idempotency key) or, when
/// the form was loaded with a live offer, changes it at the version loaded. Refused input
/// comes back with what was typed and every error; nothing is saved.
pub async fn save_offer(
    state: web::Data<AppState>,
    visitor: SignedIn,
    id: web::Path<String>,
    posted: CsrfForm,
) -> PageResult<HttpResponse> {
    let id: BundleId = parse_id(&id)?;
    let now = state.clock.now();
    let mut conn = state.conn().await?;
    let desk = Desk::load(&mut conn, &state, &visitor.caller, id, now).await?;
    let form = OfferForm::posted(&desk.bundle, &posted)?;
    let (input, parsed) = form.input();
    let key = posted.value(KEY).trim().to_owned();
    let (loaded, expected) = loaded_version(&posted);
    let changing = match posted.value(OFFER).trim() {
        "" => None,
        typed => Some(parse_id::<OfferId>(typed)?),
    };
    let saved = match changing {
        Some(offer_id) => offers::change_offer(
            &mut conn,
            &visitor.caller,
            id,
            offer_id,
            &expected,
            input,
            now,
        )
        .await
        .map(|_| "opgeslagen"),
        None => offers::submit_offer(
            &mut conn,
            &visitor.caller,
            id,
            input,
            Some(key.as_str()).filter(|k| !k.is_empty()),
            now,
        )
        .await
        .map(|_| "ingediend"),
    };
    let (status, errors, version) = match saved {
        Ok(done) if parsed.is_empty() => {
            return Ok(see_other(&format!("{}?melding={done}", offer_href(id))));
        }
        // Unreachable in practice: input with a parse error carries no price.
        Ok(_) => (StatusCode::BAD_REQUEST, offer_errors(&parsed, &[]), loaded),
        // The key of a submission made before, sent with other content (the form of a page
        // gone back to): the organisation has its offer already.
        Err(DomainError::Invalid(refused))
            if refused.iter().any(|e| e.field == "Idempotency-Key") =>
        {
            // A key no form of ours carries (only a hand-made post sends one): a bad request.
            return if refused.iter().any(|e| e.code == "reused") {
                Ok(refusal(&visitor, id, t::OFFER_REFUSED_EXISTS))
            } else {
                Err(PageError::BadRequest)
            };
        }
        Err(DomainError::Invalid(refused)) => (
            StatusCode::BAD_REQUEST,
            offer_errors(&parsed, &refused),
            loaded,
        ),
        Err(DomainError::Stale) => {
            let current = desk.live().map(|o| o.version);
            let stale = FormErrors::from_messages(
                &[FieldError::new("versie", "stale", t::OFFER_STALE)],
                |e| e.message.clone(),
                |_| "wijzigingen".to_owned(),
            );
            (StatusCode::CONFLICT, stale, current)
        }
        Err(DomainError::Conflict(reason)) if reason.contains("withdrawn") => {
            return Ok(refusal(&visitor, id, t::OFFER_REFUSED_WITHDRAWN));
        }
        Err(DomainError::Conflict(_)) => {
            let text = conflict_text(&mut conn, &state, &visitor, id).await?;
            return Ok(refusal(&visitor, id, text));
        }
        Err(other) => return Err(other.into()),
    };
    // The same key again: the corrected form is still the one submission.
    let key = if key.is_empty() { new_key() } else { key };
    let page = offer_page_of(&mut conn, &visitor, &desk, form, errors, key, version).await?;
    Ok(respond(&visitor.csrf, status, &page))
}

/// The live offer a withdraw or confirm form names.
fn named_offer(posted: &CsrfForm) -> PageResult<OfferId> {
    parse_id(posted.value(OFFER).trim())
}

/// A step on the live offer a form names: withdrawing or confirming it.
#[derive(Clone, Copy)]
enum Step {
    Withdraw,
    Confirm,
}

async fn offer_step(
    state: &AppState,
    visitor: &SignedIn,
    id: &str,
    posted: &CsrfForm,
    step: Step,
) -> PageResult<HttpResponse> {
    let id: BundleId = parse_id(id)?;
    let offer_id = named_offer(posted)?;
    let mut conn = state.conn().await?;
    let now = state.clock.now();
    let (done, notice) = match step {
        Step::Withdraw => (
            offers::withdraw_offer(
                &mut conn,
                &visitor.caller,
                id,
                offer_id,
                &state.config.public_url,
                now,
            )
            .await,
            "ingetrokken",
        ),
        Step::Confirm => (
            offers::confirm_offer(&mut conn, &visitor.caller, id, offer_id, now).await,
            "bevestigd",
        ),
    };
    match done {
        Ok(_) => Ok(see_other(&format!("{}?melding={notice}", offer_href(id)))),
        Err(DomainError::Conflict(reason)) if reason.contains("withdrawn") => {
            Ok(refusal(visitor, id, t::OFFER_REFUSED_WITHDRAWN))
        }
        Err(DomainError::Conflict(_)) => {
            let text = conflict_text(&mut conn, state, visitor, id).await?;
            Ok(refusal(visitor, id, text))
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /bundels/{id}/offerte/intrekken`.
pub async fn withdraw_offer(
    state: web::Data<AppState>,
    visitor: SignedIn,
    id: web::Path<String>,
    posted: CsrfForm,
) -> PageResult<HttpResponse> {
    offer_step(&state, &visitor, &id, &posted, Step::Withdraw).await
}

/// `POST /bundels/{id}/offerte/bevestigen`: the offer stands under the changed conditions.
pub async fn confirm_offer(
    state: web::Data<AppState>,
    visitor: SignedIn,
    id: web::Path<String>,
    posted: CsrfForm,
) -> PageResult<HttpResponse> {
    offer_step(&state, &visitor, &id, &posted, Step::Confirm).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_price_that_is_no_amount_is_the_forms_error_and_keeps_the_use_case_from_saving() {
        let form = OfferForm {
            price: "twaalf euro".into(),
            proposal: "Een voorstel".into(),
            ..OfferForm::default()
        };
        let (input, parsed) = form.input();
        assert_eq!(input.price_cents, None);
        assert_eq!(parsed.len(), 1);
        let refused = [
            FieldError::new("price_cents", "required", "x"),
            FieldError::new("criteria_answers.fit", "too_long", "y"),
        ];
        let errors = offer_errors(&parsed, &refused);
        assert_eq!(errors.list().len(), 2);
        assert!(errors.of("price").unwrap().contains("bedrag in euro"));
        assert!(errors.of("antwoord-fit").is_some());
        assert_eq!(errors.list()[1].anchor, "veld-antwoord-fit");
    }

    #[test]
    fn a_bad_offering_id_withholds_the_price_too() {
        let form = OfferForm {
            price: "1.250".into(),
            offering_id: "x".into(),
            ..OfferForm::default()
        };
        let (input, parsed) = form.input();
        assert_eq!(input.price_cents, None);
        assert_eq!(parsed[0].field, "offering_id");
        let errors = offer_errors(&parsed, &[FieldError::new("price_cents", "required", "x")]);
        assert_eq!(errors.fields().collect::<Vec<_>>(), ["offering_id"]);
    }

    #[test]
    fn search_errors_point_at_their_controls() {
        assert_eq!(
            control_id("deadline_within_days"),
            "veld-deadline_within_days"
        );
        assert_eq!(control_id("sector"), "filters");
        assert_eq!(control_id("colour"), "veld-q");
    }
}
