//! A visitor's bundles (`/bundels`), drafting and changing one (`/bundels/nieuw`,
//! `/bundels/{id}/bewerken`), a bundle's page (`/bundels/{id}`) with what the visitor's part
//! lets them do: the owner opens or cancels it and sees who joined, a school's leader or a
//! board's officer joins, changes their part or withdraws, a provider goes to the offer form,
//! and after the award the participating schools' members find the awarded offering to
//! review. Every action is a use case the API calls too (`usecases::bundles`); the pages turn
//! their answers into Dutch.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::{DateTime, Utc};

use crate::domain::award::Criterion;
use crate::domain::bundle::{BundleStatus, CriterionInput, Move, ParticipationInput};
use crate::domain::cost::Unit;
use crate::domain::{BundleId, DomainError, FieldError, OrganizationId};
use crate::state::AppState;
use crate::usecases::bundle_desk::{self, Joiner, Named, Sight};
use crate::usecases::bundles::{self, BundleView};
use crate::web::bundle_form::BundleForm;
use crate::web::csrf::CsrfForm;
use crate::web::dashboard::{loaded_version, parse_id, refused};
use crate::web::error::PageResult;
use crate::web::form::{Control, FormErrors, FormSection};
use crate::web::format::{self, euros, euros_typed, label, labels, moment, parse_euros, tender};
use crate::web::layout::{Layout, Section, see_other};
use crate::web::session::{SignedIn, Visitor, respond};
use crate::web::sign_in::{MessagePage, query_value};
use crate::web::tender_paths::{
    BUNDLES, FIND_BUNDLES, NEW_BUNDLE, bundle_action, bundle_href, evaluation_href, offer_href,
    questions_href,
};
use crate::web::text as t;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(BUNDLES, web::get().to(desk))
        .route(NEW_BUNDLE, web::get().to(new_bundle))
        .route(NEW_BUNDLE, web::post().to(create_bundle))
        .route("/bundels/{id}", web::get().to(bundle_page))
        .route("/bundels/{id}/bewerken", web::get().to(edit_bundle))
        .route("/bundels/{id}/bewerken", web::post().to(update_bundle))
        .route("/bundels/{id}/openen", web::post().to(open_bundle))
        .route("/bundels/{id}/annuleren", web::post().to(cancel_bundle))
        .route("/bundels/{id}/deelnemen", web::post().to(join))
        .route("/bundels/{id}/afmelden", web::post().to(withdraw));
}

/// A bundle in a list of the desk.
struct Row {
    title: String,
    href: String,
    status: &'static str,
    /// The organisation that joined (the list of joined bundles).
    organization: String,
    join_deadline: String,
    offer_deadline: String,
    organizations: i32,
}

fn row(view: &BundleView, organization: &str) -> Row {
    Row {
        title: view.bundle.title.clone(),
        href: bundle_href(view.bundle.id),
        status: tender::status(view.status),
        organization: organization.to_owned(),
        join_deadline: moment(view.bundle.join_deadline),
        offer_deadline: moment(view.bundle.offer_deadline),
        organizations: view.bundle.total_organizations,
    }
}

fn new_href(owner: OrganizationId) -> String {
    format!("{NEW_BUNDLE}?voor={owner}")
}

#[derive(Template)]
#[template(path = "bundles.html")]
struct DeskPage {
    page: Layout,
    owned: Vec<Row>,
    joined: Vec<Row>,
    joinable: Vec<Row>,
    /// "Nieuwe bundel voor …" per organisation the visitor drafts for.
    new: Vec<(String, String)>,
    /// Where a provider finds open bundles (for a provider's visitor).
    find_href: Option<&'static str>,
}

/// `GET /bundels`.
pub async fn desk(state: web::Data<AppState>, visitor: SignedIn) -> PageResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let desk = bundle_desk::desk(
        &mut conn,
        &visitor.caller,
        &state.config.tenders,
        state.clock.now(),
    )
    .await?;
    let page = DeskPage {
        page: visitor.layout(t::BUNDLES_TITLE, Section::Bundles),
        owned: desk.owned.iter().map(|v| row(v, "")).collect(),
        joined: desk
            .joined
            .iter()
            .map(|j| row(&j.bundle, &j.organization.name))
            .collect(),
        joinable: desk.joinable.iter().map(|v| row(v, "")).collect(),
        new: desk
            .draft_for
            .into_iter()
            .map(|o| (new_href(o.id), o.name))
            .collect(),
        find_href: desk.provider.then_some(FIND_BUNDLES),
    };
    Ok(respond(&visitor.csrf, StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "bundle_form.html")]
struct FormPage {
    page: Layout,
    heading: String,
    owner: String,
    intro: &'static str,
    errors: FormErrors,
    csrf: String,
    action: String,
    version: Option<i32>,
    sections: Vec<FormSection>,
    button: &'static str,
    back: String,
    back_text: &'static str,
}

/// The organisation a new bundle is for: the one named by `voor` when the visitor drafts for
/// it, else the only one they draft for. None: the visitor drafts for none (or named another).
async fn drafting_for(
    conn: &mut diesel_async::AsyncPgConnection,
    visitor: &SignedIn,
    voor: &str,
) -> PageResult<Option<Named>> {
    let mut mine = bundle_desk::draft_for(conn, &visitor.caller).await?;
    let chosen = match voor.parse::<OrganizationId>() {
        Ok(id) => mine.into_iter().find(|o| o.id == id),
        Err(_) if mine.len() == 1 => mine.pop(),
        Err(_) => None,
    };
    Ok(chosen)
}

fn cannot_draft(visitor: &SignedIn) -> HttpResponse {
    let page = MessagePage::new(
        visitor.layout(t::BUNDLE_CANNOT_DRAFT, Section::Bundles),
        t::BUNDLE_CANNOT_DRAFT,
        t::BUNDLE_CANNOT_DRAFT_TEXT,
    )
    .link(BUNDLES, t::BUNDLES_TITLE);
    respond(&visitor.csrf, StatusCode::FORBIDDEN, &page)
}

fn new_form(visitor: &SignedIn, owner: &Named, form: &BundleForm, errors: FormErrors) -> FormPage {
    FormPage {
        page: visitor.layout(t::BUNDLE_NEW, Section::Bundles),
        heading: t::BUNDLE_NEW.to_owned(),
        owner: owner.name.clone(),
        intro: t::BUNDLE_NEW_INTRO,
        sections: form.sections(&errors, false),
        errors,
        csrf: visitor.csrf.token.clone(),
        // The owner chosen travels in the address the form posts to.
        action: new_href(owner.id),
        version: None,
        button: t::BUNDLE_NEW_BUTTON,
        back: BUNDLES.to_owned(),
        back_text: t::BUNDLES_TITLE,
    }
}

/// `GET /bundels/nieuw?voor={organisation}`: an empty form for a network or board the visitor
/// drafts for; 403 for everyone else.
pub async fn new_bundle(
    state: web::Data<AppState>,
    visitor: SignedIn,
    req: HttpRequest,
) -> PageResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let Some(owner) = drafting_for(&mut conn, &visitor, &query_value(&req, "voor")).await? else {
        return Ok(cannot_draft(&visitor));
    };
    let network = owner_is_network(&mut conn, owner.id).await?;
    let page = new_form(
        &visitor,
        &owner,
        &BundleForm::blank(network),
        FormErrors::default(),
    );
    Ok(respond(&visitor.csrf, StatusCode::OK, &page))
}

async fn owner_is_network(
    conn: &mut diesel_async::AsyncPgConnection,
    id: OrganizationId,
) -> PageResult<bool> {
    use crate::db::models::organization::Organization;
    use crate::domain::OrganizationKind;
    let found = Organization::find(conn, id)
        .await
        .map_err(DomainError::from)?;
    Ok(found.is_some_and(|o| o.kind == OrganizationKind::Network))
}

/// The errors of a posted form: what the form could not read, with (when there is some) all
/// the use case would say too, so every problem shows at once.
fn unreadable(form: &BundleForm, now: DateTime<Utc>) -> Option<FormErrors> {
    let (input, mut errors) = form.input();
    if errors.is_empty() {
        return None;
    }
    if let Err(DomainError::Invalid(rest)) = input.validate(now) {
        let named: Vec<String> = errors.iter().map(|e| e.field.clone()).collect();
        // An unreadable weight leaves the criteria the use case saw incomplete: its word on
        // them (their sum) would mislead, so only the weight's own error is shown.
        let weight_unread = named.iter().any(|n| n.starts_with("weight_"));
        errors.extend(rest.into_iter().filter(|e| {
            let about_weights = e.field.starts_with("criteria") && weight_unread;
            !named.contains(&e.field) && !about_weights
        }));
    }
    Some(form.errors(&errors))
}

/// `POST /bundels/nieuw`: a draft, or the form again with every error.
pub async fn create_bundle(
    state: web::Data<AppState>,
    visitor: SignedIn,
    req: HttpRequest,
    posted: CsrfForm,
) -> PageResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let Some(owner) = drafting_for(&mut conn, &visitor, &query_value(&req, "voor")).await? else {
        return Ok(cannot_draft(&visitor));
    };
    let form = BundleForm::posted(&posted);
    let now = state.clock.now();
    let errors = match unreadable(&form, now) {
        Some(errors) => errors,
        None => {
            let (mut input, _) = form.input();
            input.owner_organization_id = Some(owner.id);
            match bundles::create_bundle(
                &mut conn,
                &visitor.caller,
                input,
                &state.config.tenders,
                now,
            )
            .await
            {
                Ok(view) => {
                    return Ok(see_other(&format!(
                        "{}?melding=concept",
                        bundle_href(view.bundle.id)
                    )));
                }
                Err(DomainError::Invalid(errors)) => form.errors(&errors),
                Err(other) => return Err(other.into()),
            }
        }
    };
    let page = new_form(&visitor, &owner, &form, errors);
    Ok(respond(&visitor.csrf, StatusCode::BAD_REQUEST, &page))
}

fn edit_form(visitor: &SignedIn, sight: &Sight, form: &BundleForm, errors: FormErrors) -> FormPage {
    let bundle = &sight.bundle.bundle;
    let tendering = sight.bundle.status == BundleStatus::Tendering;
    FormPage {
        page: visitor.layout(t::BUNDLE_EDIT, Section::Bundles),
        heading: bundle.title.clone(),
        owner: sight.owner.name.clone(),
        intro: if tendering {
            t::BUNDLE_EDIT_TENDERING
        } else {
            t::BUNDLE_NEW_INTRO
        },
        sections: form.sections(&errors, tendering),
        errors,
        csrf: visitor.csrf.token.clone(),
        action: bundle_action(bundle.id, "bewerken"),
        version: Some(bundle.version),
        button: t::BUNDLE_EDIT_BUTTON,
        back: bundle_href(bundle.id),
        back_text: t::BUNDLE_BACK,
    }
}

/// The bundle as the visitor's page shows it: not found for those who may not read it.
async fn sight_of(
    state: &AppState,
    conn: &mut diesel_async::AsyncPgConnection,
    visitor: Option<&crate::auth::Caller>,
    id: BundleId,
) -> PageResult<Sight> {
    Ok(bundle_desk::sight(conn, visitor, id, &state.config.tenders, state.clock.now()).await?)
}

/// `GET /bundels/{id}/bewerken`: the owner's form, while the bundle can still change.
pub async fn edit_bundle(
    state: web::Data<AppState>,
    visitor: SignedIn,
    id: web::Path<String>,
) -> PageResult<HttpResponse> {
    let id: BundleId = parse_id(&id)?;
    let mut conn = state.conn().await?;
    let sight = sight_of(&state, &mut conn, Some(&visitor.caller), id).await?;
    if !sight.is_owner {
        return Err(DomainError::Forbidden("not the owner".into()).into());
    }
    if !changeable(sight.bundle.status) {
        return Err(DomainError::Conflict("no longer changeable".into()).into());
    }
    let page = edit_form(
        &visitor,
        &sight,
        &BundleForm::of(&sight.bundle.bundle),
        FormErrors::default(),
    );
    Ok(respond(&visitor.csrf, StatusCode::OK, &page))
}

/// Whether the owner may still change the bundle (`domain::bundle::check` says the same for
/// `Move::Change`; the page only decides whether to offer the link).
fn changeable(status: BundleStatus) -> bool {
    matches!(
        status,
        BundleStatus::Draft | BundleStatus::Open | BundleStatus::Tendering
    )
}

/// `POST /bundels/{id}/bewerken`: saved at the version loaded, or the form again.
pub async fn update_bundle(
    state: web::Data<AppState>,
    visitor: SignedIn,
    id: web::Path<String>,
    posted: CsrfForm,
) -> PageResult<HttpResponse> {
    let id: BundleId = parse_id(&id)?;
    let mut conn = state.conn().await?;
    let sight = sight_of(&state, &mut conn, Some(&visitor.caller), id).await?;
    let form = BundleForm::posted(&posted);
    let now = state.clock.now();
    let (status, errors) = match unreadable(&form, now) {
        Some(errors) => (StatusCode::BAD_REQUEST, errors),
        None => {
            let (input, _) = form.input();
            let (_, expected) = loaded_version(&posted);
            let saved = bundles::change_bundle(
                &mut conn,
                &visitor.caller,
                id,
                bundles::BundleChange {
                    expected: &expected,
                    input,
                },
                &state.config.tenders,
                &state.config.public_url,
                now,
            )
            .await;
            match refused(
                saved,
                |v| bundle_href(v.bundle.id),
                |errors| form.errors(errors),
                t::bundle_problem("versie", "stale"),
            )? {
                Ok(redirect) => return Ok(redirect),
                Err(refusal) => refusal,
            }
        }
    };
    let page = edit_form(&visitor, &sight, &form, errors);
    Ok(respond(&visitor.csrf, status, &page))
}

/// An action of the owner's on the bundle's page (open, cancel, change, evaluate).
struct Action {
    href: String,
    label: &'static str,
    /// A form posting to `href` (else a link).
    post: bool,
    primary: bool,
}

/// The join form of one organisation the visitor joins for.
struct JoinForm {
    organization_id: String,
    organization: String,
    quantity: String,
    budget: String,
    wishes: String,
    joined: bool,
    errors: FormErrors,
}

#[derive(Template)]
#[template(path = "bundle.html")]
struct BundlePage {
    page: Layout,
    csrf: String,
    notice: Option<&'static str>,
    title: String,
    owner: String,
    status: &'static str,
    need: Vec<(&'static str, Vec<String>)>,
    facts: Vec<(&'static str, String)>,
    criteria: Vec<(&'static str, String)>,
    totals: Vec<(&'static str, String)>,
    actions: Vec<Action>,
    links: Vec<(String, &'static str)>,
    participants: Vec<Vec<String>>,
    owner_view: bool,
    /// Joining is open (the join forms are offered).
    joining: bool,
    joins: Vec<JoinForm>,
    join_href: String,
    withdraw_href: String,
    unit_label: &'static str,
    awarded: Vec<(&'static str, String)>,
}

fn notice(code: &str) -> Option<&'static str> {
    Some(match code {
        "concept" => t::BUNDLE_DRAFTED,
        "opgeslagen" => t::BUNDLE_CHANGED,
        "geopend" => t::BUNDLE_OPENED,
        "geannuleerd" => t::BUNDLE_CANCELLED,
        "aangemeld" => t::BUNDLE_JOINED,
        "afgemeld" => t::BUNDLE_LEFT,
        _ => return None,
    })
}

/// The join forms: each organisation's part as stored, or (for `typed.0`) as typed with its
/// errors.
fn join_forms(
    joiners: &[Joiner],
    typed: Option<(OrganizationId, &CsrfForm, FormErrors)>,
) -> Vec<JoinForm> {
    joiners
        .iter()
        .map(|j| {
            let part = j.part.as_ref();
            let mut form = JoinForm {
                organization_id: j.organization.id.to_string(),
                organization: j.organization.name.clone(),
                quantity: part.map(|p| p.quantity.to_string()).unwrap_or_default(),
                budget: part
                    .map(|p| euros_typed(p.budget_cents))
                    .unwrap_or_default(),
                wishes: part.and_then(|p| p.wishes.clone()).unwrap_or_default(),
                joined: part.is_some(),
                errors: FormErrors::default(),
            };
            if let Some((id, posted, errors)) = &typed
                && *id == j.organization.id
            {
                form.quantity = posted.value("quantity").to_owned();
                form.budget = posted.value("budget").to_owned();
                form.wishes = posted.value("wishes").replace("\r\n", "\n");
                form.errors = errors.clone();
            }
            form
        })
        .collect()
}

fn bundle_view(
    visitor: &Visitor,
    sight: &Sight,
    notice_code: &str,
    joins: Vec<JoinForm>,
) -> BundlePage {
    let view = &sight.bundle;
    let b = &view.bundle;
    let unit = Unit::parse(&b.unit);
    let unit_label = unit.map_or(t::JOIN_QUANTITY, |u| t::quantity_label(&u));
    let stored: Vec<CriterionInput> =
        serde_json::from_value(b.criteria.clone()).unwrap_or_default();
    let criteria = stored
        .iter()
        .filter_map(|c| {
            Criterion::parse(&c.code).map(|k| (tender::criterion(k), format!("{}%", c.weight)))
        })
        .collect();
    let mut facts = vec![
        (t::DOMAIN, label("domain", &b.domain).to_owned()),
        (
            t::SERVICE_TYPE,
            label("service_type", &b.service_type).to_owned(),
        ),
        (t::SECTORS, labels("sector", &b.sectors)),
        (t::REGIONS, labels("region", &b.regions)),
        (
            t::UNIT,
            unit.map_or_else(|| b.unit.clone(), |u| t::unit_plural(u).to_owned()),
        ),
        (t::VISIBILITY, tender::visibility(b.visibility).to_owned()),
        (
            t::PRICE_METHOD,
            tender::price_method(b.price_method).to_owned(),
        ),
        (t::JOIN_DEADLINE, moment(b.join_deadline)),
        (t::OFFER_DEADLINE, moment(b.offer_deadline)),
    ];
    if let Some(regime) = view.regime {
        facts.push((t::BUNDLE_REGIME, t::regime(regime).to_owned()));
    }
    let totals = vec![
        (t::BUNDLE_ORGANIZATIONS, b.total_organizations.to_string()),
        (t::BUNDLE_QUANTITY, b.total_quantity.to_string()),
        (t::BUNDLE_BUDGET, euros(b.total_budget_cents)),
        (t::BUNDLE_ESTIMATE, euros(view.estimated_value_cents)),
    ];
    let mut actions = Vec::new();
    if sight.is_owner {
        if changeable(view.status) {
            actions.push(Action {
                href: bundle_action(b.id, "bewerken"),
                label: t::BUNDLE_EDIT,
                post: false,
                primary: false,
            });
        }
        if view.status == BundleStatus::Draft {
            actions.push(Action {
                href: bundle_action(b.id, "openen"),
                label: t::BUNDLE_OPEN_BUTTON,
                post: true,
                primary: true,
            });
        }
        if matches!(
            view.status,
            BundleStatus::Evaluating | BundleStatus::Awarded
        ) {
            actions.push(Action {
                href: evaluation_href(b.id),
                label: t::BUNDLE_EVALUATION_LINK,
                post: false,
                primary: true,
            });
        }
        if changeable(view.status) || view.status == BundleStatus::Evaluating {
            actions.push(Action {
                href: bundle_action(b.id, "annuleren"),
                label: t::BUNDLE_CANCEL_BUTTON,
                post: true,
                primary: false,
            });
        }
    }
    let mut links = Vec::new();
    if view.status != BundleStatus::Draft {
        links.push((questions_href(b.id), t::BUNDLE_QUESTIONS_LINK));
    }
    if sight.provider && !sight.is_owner && view.status != BundleStatus::Draft {
        links.push((offer_href(b.id), t::BUNDLE_OFFER_LINK));
    }
    let mut awarded = Vec::new();
    if let Some(award) = &sight.awarded {
        awarded.push((t::BUNDLE_AWARDED_TO, award.provider.name.clone()));
        if let Some(motivation) = &award.motivation {
            awarded.push((t::BUNDLE_MOTIVATION, motivation.clone()));
        }
        if let Some(offering) = award.offering_id {
            links.push((format!("/aanbod/{offering}"), t::BUNDLE_AWARDED_OFFERING));
            if sight.participating {
                links.push((
                    format!("/aanbod/{offering}/beoordelen"),
                    t::BUNDLE_REVIEW_LINK,
                ));
            }
        }
    }
    if b.visibility == crate::domain::bundle::Visibility::Public
        && view.status != BundleStatus::Draft
    {
        links.push((format!("/v1/bundles/{}/ocds", b.id), t::BUNDLE_OCDS_LINK));
    }
    BundlePage {
        page: visitor.layout(b.title.clone(), Section::Bundles),
        csrf: visitor.csrf.token.clone(),
        notice: notice(notice_code),
        title: b.title.clone(),
        owner: sight.owner.name.clone(),
        status: tender::status(view.status),
        need: vec![
            (t::NEED_PROBLEM, format::paragraphs(&b.need_problem)),
            (t::NEED_GOALS, format::paragraphs(&b.need_goals)),
            (t::NEED_RESULT, format::paragraphs(&b.need_intended_result)),
            (t::NEED_MEASURE, format::paragraphs(&b.need_success_measure)),
        ],
        facts,
        criteria,
        totals,
        actions,
        links,
        participants: sight
            .participants
            .iter()
            .map(|(p, name)| {
                vec![
                    name.clone(),
                    p.quantity.to_string(),
                    euros(p.budget_cents),
                    p.wishes.clone().unwrap_or_default(),
                    format::date(p.joined_at),
                ]
            })
            .collect(),
        owner_view: sight.is_owner,
        joining: view.status == BundleStatus::Open,
        joins,
        join_href: bundle_action(b.id, "deelnemen"),
        withdraw_href: bundle_action(b.id, "afmelden"),
        unit_label,
        awarded,
    }
}

/// `GET /bundels/{id}`: anyone who may read the bundle (a public one: everyone).
pub async fn bundle_page(
    state: web::Data<AppState>,
    visitor: Visitor,
    id: web::Path<String>,
    req: HttpRequest,
) -> PageResult<HttpResponse> {
    let id: BundleId = parse_id(&id)?;
    let mut conn = state.conn().await?;
    let sight = sight_of(&state, &mut conn, visitor.caller.as_ref(), id).await?;
    let joins = join_forms(&sight.joiners, None);
    let page = bundle_view(&visitor, &sight, &query_value(&req, "melding"), joins);
    Ok(respond(&visitor.csrf, StatusCode::OK, &page))
}

fn signed(visitor: &SignedIn) -> Visitor {
    Visitor {
        caller: Some(visitor.caller.clone()),
        csrf: visitor.csrf.clone(),
        dashboard: visitor.dashboard,
    }
}

/// `POST /bundels/{id}/openen` and `/annuleren`: the owner's moves.
async fn move_to(
    state: web::Data<AppState>,
    visitor: SignedIn,
    id: web::Path<String>,
    step: Move,
    done: &str,
) -> PageResult<HttpResponse> {
    let id: BundleId = parse_id(&id)?;
    let mut conn = state.conn().await?;
    bundles::move_bundle(
        &mut conn,
        &visitor.caller,
        id,
        step,
        &state.config.tenders,
        state.clock.now(),
    )
    .await?;
    Ok(see_other(&format!("{}?melding={done}", bundle_href(id))))
}

pub async fn open_bundle(
    state: web::Data<AppState>,
    visitor: SignedIn,
    id: web::Path<String>,
    _posted: CsrfForm,
) -> PageResult<HttpResponse> {
    move_to(state, visitor, id, Move::Open, "geopend").await
}

pub async fn cancel_bundle(
    state: web::Data<AppState>,
    visitor: SignedIn,
    id: web::Path<String>,
    _posted: CsrfForm,
) -> PageResult<HttpResponse> {
    move_to(state, visitor, id, Move::Cancel, "geannuleerd").await
}

/// The join form's errors in Dutch, each at its box (`veld-<field>-<organisation>`, as one
/// page may hold a form per organisation).
fn join_errors(errors: &[FieldError], organization: OrganizationId) -> FormErrors {
    FormErrors::from_messages(
        errors,
        |e| {
            format!(
                "{}: {}",
                t::bundle_field_label(&e.field),
                t::bundle_problem(&e.field, e.code)
            )
        },
        |f| format!("veld-{}-{organization}", join_control(f)),
    )
}

/// The box of a participation field.
fn join_control(field: &str) -> &str {
    match field {
        "budget_cents" => "budget",
        other => other,
    }
}

/// `POST /bundels/{id}/deelnemen`: join for an organisation, or change its part.
pub async fn join(
    state: web::Data<AppState>,
    visitor: SignedIn,
    id: web::Path<String>,
    posted: CsrfForm,
) -> PageResult<HttpResponse> {
    let id: BundleId = parse_id(&id)?;
    let organization: OrganizationId = parse_id(posted.value("organization_id"))?;
    let mut unreadable = Vec::new();
    let quantity = match posted.value("quantity").trim() {
        "" => None,
        typed => match typed.replace('.', "").parse::<i64>() {
            Ok(q) => Some(q),
            Err(_) => {
                unreadable.push(FieldError::new("quantity", "invalid", "not a whole number"));
                None
            }
        },
    };
    let budget = match parse_euros(posted.value("budget")) {
        Ok(cents) => cents,
        Err(()) => {
            unreadable.push(FieldError::new("budget_cents", "invalid", "not an amount"));
            None
        }
    };
    let input = ParticipationInput {
        organization_id: Some(organization),
        quantity,
        budget_cents: budget,
        wishes: Some(posted.value("wishes").replace("\r\n", "\n")),
    };
    let mut conn = state.conn().await?;
    let errors = if unreadable.is_empty() {
        match bundles::join_bundle(
            &mut conn,
            &visitor.caller,
            id,
            input,
            &state.config.tenders,
            state.clock.now(),
        )
        .await
        {
            Ok(_) => return Ok(see_other(&format!("{}?melding=aangemeld", bundle_href(id)))),
            Err(DomainError::Invalid(errors)) => errors,
            Err(other) => return Err(other.into()),
        }
    } else {
        if let Err(DomainError::Invalid(rest)) = input.validate() {
            let named: Vec<String> = unreadable.iter().map(|e| e.field.clone()).collect();
            unreadable.extend(rest.into_iter().filter(|e| !named.contains(&e.field)));
        }
        unreadable
    };
    let sight = sight_of(&state, &mut conn, Some(&visitor.caller), id).await?;
    let joins = join_forms(
        &sight.joiners,
        Some((organization, &posted, join_errors(&errors, organization))),
    );
    let page = bundle_view(&signed(&visitor), &sight, "", joins);
    Ok(respond(&visitor.csrf, StatusCode::BAD_REQUEST, &page))
}

/// `POST /bundels/{id}/afmelden`: an organisation withdraws while joining is open.
pub async fn withdraw(
    state: web::Data<AppState>,
    visitor: SignedIn,
    id: web::Path<String>,
    posted: CsrfForm,
) -> PageResult<HttpResponse> {
    let id: BundleId = parse_id(&id)?;
    let organization: OrganizationId = parse_id(posted.value("organization_id"))?;
    let mut conn = state.conn().await?;
    bundles::withdraw_from_bundle(
        &mut conn,
        &visitor.caller,
        id,
        organization,
        &state.config.tenders,
        state.clock.now(),
    )
    .await?;
    Ok(see_other(&format!("{}?melding=afgemeld", bundle_href(id))))
}
