//! A provider's dashboard (`/beheer`): the providers the visitor works for, each with its
//! profile (changed on its own form, `web::profile`) and its offerings in every state; the
//! offering form to create and edit (with the version it was loaded at, so a concurrent edit is
//! never overwritten unseen); publishing, archiving and the history. Every page calls the use
//! cases the API calls, which decide who may do what; a page only turns their answers into
//! Dutch.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::Timelike;

use crate::db::models::offering::{Offering, OfferingContent, Revision, Status};
use crate::domain::offering_status::{self, Move, Mover, Refused};
use crate::domain::{DomainError, DomainResult, FieldError, OfferingId, OrganizationId};
use crate::http::IfMatch;
use crate::state::AppState;
use crate::usecases::offerings;
use crate::web::csrf::CsrfForm;
use crate::web::error::{PageError, PageResult};
use crate::web::form::FormErrors;
use crate::web::form::{Control, FormSection};
use crate::web::format::{self, label, labels};
use crate::web::layout::see_other;
use crate::web::layout::{Layout, Section};
use crate::web::offering_form::{OfferingForm, form_errors, same};
use crate::web::profile::profile_href;
use crate::web::provider::profile_facts;
use crate::web::review_admin;
use crate::web::session::{SignedIn, respond};
use crate::web::sign_in::{MessagePage, query_value};
use crate::web::tender_paths;
use crate::web::text as t;

/// How many offerings a provider's part of the dashboard lists (the newest).
const LISTED: i64 = 200;
/// The hidden field holding the version a form was loaded at.
const VERSION: &str = "versie";

fn offering_href(id: OfferingId) -> String {
    format!("/beheer/aanbod/{id}")
}

/// A path's id that is no UUID names nothing: the same Dutch 404 page as an unknown one.
pub(super) fn parse_id<T: std::str::FromStr>(id: &str) -> PageResult<T> {
    id.parse().map_err(|_| PageError::NotFound)
}

/// An offering in a provider's list.
struct OfferingRow {
    title: String,
    href: String,
    status: &'static str,
    changed: String,
    history_href: String,
}

/// One provider the visitor works for.
struct ProviderView {
    name: String,
    facts: Vec<(&'static str, String)>,
    public_href: String,
    /// The profile's form, for those who may change it (its managers).
    profile_href: Option<String>,
    new_href: String,
    /// Its reviews, to reply to.
    reviews_href: String,
    /// Its interest profiles (a mail when a matching bundle opens).
    interests_href: String,
    rows: Vec<OfferingRow>,
    cut: bool,
    caption: String,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    page: Layout,
    providers: Vec<ProviderView>,
    /// Open bundles to make offers on.
    find_bundles_href: &'static str,
}

/// `GET /beheer`: the visitor's providers with their profiles and offerings. Someone who works
/// for no provider (a teacher) is told the dashboard is not for them (403).
pub async fn dashboard(state: web::Data<AppState>, visitor: SignedIn) -> PageResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let managed = offerings::managed_providers(&mut conn, &visitor.caller).await?;
    if managed.is_empty() {
        let page = MessagePage::new(
            visitor.layout(t::DASHBOARD_NONE_TITLE, Section::Dashboard),
            t::DASHBOARD_NONE_TITLE,
            t::DASHBOARD_NONE_TEXT,
        )
        .link("/account", t::ACCOUNT_TITLE);
        return Ok(respond(&visitor.csrf, StatusCode::FORBIDDEN, &page));
    }
    let mut providers = Vec::with_capacity(managed.len());
    for (provider, role) in managed {
        let mut listed = offerings::list_provider_offerings(
            &mut conn,
            Some(&visitor.caller),
            provider.id,
            None,
            None,
            LISTED + 1,
        )
        .await?;
        let cut = listed.len() as i64 > LISTED;
        listed.truncate(LISTED as usize);
        let mut facts = vec![(t::YOUR_ROLE, role.label_nl().to_owned())];
        facts.extend(profile_facts(&provider));
        for (name, value) in [
            (t::WEBSITE, &provider.website),
            (t::CONTACT_EMAIL, &provider.contact_email),
            (t::CONTACT_PHONE, &provider.contact_phone),
        ] {
            if let Some(value) = value.as_ref().filter(|v| !v.is_empty()) {
                facts.push((name, value.clone()));
            }
        }
        providers.push(ProviderView {
            caption: t::offerings_caption(&provider.name),
            facts,
            public_href: format!("/aanbieders/{}", provider.id),
            profile_href: role.manages().then(|| profile_href(provider.id)),
            new_href: format!("/beheer/aanbieders/{}/nieuw-aanbod", provider.id),
            reviews_href: review_admin::reviews_href(provider.id),
            interests_href: tender_paths::interests_href(provider.id),
            rows: listed
                .into_iter()
                .map(|o| OfferingRow {
                    href: offering_href(o.id),
                    history_href: format!("{}/geschiedenis", offering_href(o.id)),
                    status: t::offering_status(o.status),
                    changed: format::date(o.updated_at),
                    title: o.content.title,
                })
                .collect(),
            cut,
            name: provider.name,
        });
    }
    let page = DashboardPage {
        page: visitor.layout(t::DASHBOARD_TITLE, Section::Dashboard),
        providers,
        find_bundles_href: tender_paths::FIND_BUNDLES,
    };
    Ok(respond(&visitor.csrf, StatusCode::OK, &page))
}

/// A publish or archive button of the edit page.
struct MoveButton {
    action: String,
    label: &'static str,
    primary: bool,
}

/// What the edit page shows beside the form: where the offering is in its life and what can
/// be done with it.
struct Manage {
    status: &'static str,
    public_href: Option<String>,
    history_href: String,
    moves: Vec<MoveButton>,
}

#[derive(Template)]
#[template(path = "offering_form.html")]
struct OfferingFormPage {
    page: Layout,
    heading: String,
    provider_name: String,
    intro: Option<&'static str>,
    /// What the last action did (after a redirect).
    notice: Option<&'static str>,
    errors: FormErrors,
    csrf: String,
    action: String,
    /// The version the form is based on (edits only).
    version: Option<i32>,
    sections: Vec<FormSection>,
    button: &'static str,
    manage: Option<Manage>,
    /// After a refused stale save: what others changed since, with its value now.
    changed: Vec<(&'static str, String)>,
}

impl OfferingFormPage {
    fn create(
        visitor: &SignedIn,
        provider: &str,
        id: OrganizationId,
        form: &OfferingForm,
        errors: FormErrors,
    ) -> Self {
        OfferingFormPage {
            page: visitor.layout(t::CREATE_TITLE, Section::Dashboard),
            heading: t::CREATE_TITLE.to_owned(),
            provider_name: provider.to_owned(),
            intro: Some(t::CREATE_INTRO),
            notice: None,
            sections: form.sections(&errors),
            errors,
            csrf: visitor.csrf.token.clone(),
            action: format!("/beheer/aanbieders/{id}/nieuw-aanbod"),
            version: None,
            button: t::CREATE_BUTTON,
            manage: None,
            changed: Vec::new(),
        }
    }

    /// The edit page of `offering`, showing `form` (the stored content, or what was typed).
    fn edit(
        visitor: &SignedIn,
        offering: &Offering,
        form: &OfferingForm,
        errors: FormErrors,
    ) -> Self {
        let href = offering_href(offering.id);
        let mover = Mover {
            staff: true,
            verified: visitor.caller.user.is_verified(),
        };
        // The buttons offered are the moves the lifecycle allows from here.
        let moves = [(Move::Publish, "publiceren"), (Move::Archive, "archiveren")]
            .into_iter()
            .filter(|(step, _)| offering_status::next(offering.status, *step, mover).is_ok())
            .map(|(step, path)| MoveButton {
                action: format!("{href}/{path}"),
                label: match (step, offering.status) {
                    (Move::Publish, Status::Archived) => t::REPUBLISH_BUTTON,
                    (Move::Publish, _) => t::PUBLISH_BUTTON,
                    (Move::Archive, _) => t::ARCHIVE_BUTTON,
                },
                primary: step == Move::Publish,
            })
            .collect();
        OfferingFormPage {
            page: visitor.layout(t::EDIT_TITLE, Section::Dashboard),
            heading: offering.content.title.clone(),
            provider_name: String::new(),
            intro: None,
            notice: None,
            sections: form.sections(&errors),
            errors,
            csrf: visitor.csrf.token.clone(),
            action: href.clone(),
            version: Some(offering.version),
            button: t::EDIT_BUTTON,
            manage: Some(Manage {
                status: t::offering_status(offering.status),
                public_href: offering
                    .status
                    .is_public()
                    .then(|| format!("/aanbod/{}", offering.id)),
                history_href: format!("{href}/geschiedenis"),
                moves,
            }),
            changed: Vec::new(),
        }
    }
}

/// The form's errors: the prices that are no amount, and (when there are some) the other
/// errors the use case would name, so every problem is shown at once; the use case does not
/// run on a form with unreadable prices.
fn parse_errors(form: &OfferingForm) -> Option<FormErrors> {
    let (input, mut errors) = form.input();
    if errors.is_empty() {
        return None;
    }
    if let Err(DomainError::Invalid(rest)) = input.validate() {
        let unreadable: Vec<String> = errors.iter().map(|e| e.field.clone()).collect();
        errors.extend(rest.into_iter().filter(|e| !unreadable.contains(&e.field)));
    }
    Some(form_errors(&errors))
}

/// `GET /beheer/aanbieders/{id}/nieuw-aanbod`: an empty form, for the provider's staff.
pub async fn new_offering(
    state: web::Data<AppState>,
    visitor: SignedIn,
    id: web::Path<String>,
) -> PageResult<HttpResponse> {
    let id: OrganizationId = parse_id(&id)?;
    let mut conn = state.conn().await?;
    let provider = offerings::provider_for_offerings(&mut conn, &visitor.caller, id).await?;
    let page = OfferingFormPage::create(
        &visitor,
        &provider.name,
        id,
        &OfferingForm::blank(),
        FormErrors::default(),
    );
    Ok(respond(&visitor.csrf, StatusCode::OK, &page))
}

/// `POST /beheer/aanbieders/{id}/nieuw-aanbod`: a draft, or the form again with every error.
pub async fn create_offering(
    state: web::Data<AppState>,
    visitor: SignedIn,
    id: web::Path<String>,
    posted: CsrfForm,
) -> PageResult<HttpResponse> {
    let id: OrganizationId = parse_id(&id)?;
    let form = OfferingForm::posted(&posted);
    let mut conn = state.conn().await?;
    let errors = match parse_errors(&form) {
        Some(errors) => errors,
        None => {
            let (input, _) = form.input();
            match offerings::create_offering(
                &mut conn,
                &visitor.caller,
                id,
                input,
                state.clock.now(),
            )
            .await
            {
                Ok(offering) => {
                    return Ok(see_other(&format!(
                        "{}?melding=aangemaakt",
                        offering_href(offering.id)
                    )));
                }
                Err(DomainError::Invalid(errors)) => form_errors(&errors),
                Err(other) => return Err(other.into()),
            }
        }
    };
    let provider = offerings::provider_for_offerings(&mut conn, &visitor.caller, id).await?;
    let page = OfferingFormPage::create(&visitor, &provider.name, id, &form, errors);
    Ok(respond(&visitor.csrf, StatusCode::BAD_REQUEST, &page))
}

/// The version a posted form was loaded at, and the change's precondition: that version only.
/// A version that is no number names none we issued, so the change is refused as stale.
pub(super) fn loaded_version(posted: &CsrfForm) -> (Option<i32>, IfMatch) {
    let loaded: Option<i32> = posted.value(VERSION).trim().parse().ok();
    (loaded, IfMatch::Tags(loaded.into_iter().collect()))
}

/// What a save of a form loaded at a version came to: the redirect to `href` of what was saved
/// (with the notice that it was), or the status and errors of the form shown again: the use
/// case's field errors (in Dutch by `field_errors`), or `stale` when someone else saved first
/// (it links to what changed meanwhile, `#wijzigingen`).
pub(super) fn refused<T>(
    saved: DomainResult<T>,
    href: impl FnOnce(&T) -> String,
    field_errors: impl FnOnce(&[FieldError]) -> FormErrors,
    stale: &'static str,
) -> PageResult<Result<HttpResponse, (StatusCode, FormErrors)>> {
    match saved {
        Ok(saved) => Ok(Ok(see_other(&format!(
            "{}?melding=opgeslagen",
            href(&saved)
        )))),
        Err(DomainError::Invalid(errors)) => {
            Ok(Err((StatusCode::BAD_REQUEST, field_errors(&errors))))
        }
        Err(DomainError::Stale) => Ok(Err((
            StatusCode::CONFLICT,
            FormErrors::from_messages(
                &[FieldError::new(VERSION, "stale", stale)],
                |e| e.message.clone(),
                |_| "wijzigingen".to_owned(),
            ),
        ))),
        Err(other) => Err(other.into()),
    }
}

/// The notice of `?melding=`, after a change was saved.
fn notice(req: &HttpRequest) -> Option<&'static str> {
    match query_value(req, "melding").as_str() {
        "aangemaakt" => Some(t::SAVED_CREATED),
        "opgeslagen" => Some(t::SAVED_UPDATED),
        "gepubliceerd" => Some(t::SAVED_PUBLISHED),
        "gearchiveerd" => Some(t::SAVED_ARCHIVED),
        _ => None,
    }
}

/// `GET /beheer/aanbod/{id}`: the offering's form at its current version, with its status,
/// the moves it allows and its history. Others than its provider's staff get what the use
/// case says: not found (a draft), forbidden (someone else's published offering).
pub async fn edit_offering(
    req: HttpRequest,
    state: web::Data<AppState>,
    visitor: SignedIn,
    id: web::Path<String>,
) -> PageResult<HttpResponse> {
    let id: OfferingId = parse_id(&id)?;
    let mut conn = state.conn().await?;
    let offering = offerings::offering_for_editing(&mut conn, &visitor.caller, id).await?;
    let mut page = OfferingFormPage::edit(
        &visitor,
        &offering,
        &OfferingForm::of(&offering.content),
        FormErrors::default(),
    );
    page.notice = notice(&req);
    Ok(respond(&visitor.csrf, StatusCode::OK, &page))
}

/// `POST /beheer/aanbod/{id}`: saves the form if the offering is still at the version the form
/// was loaded at. If someone changed it meanwhile, nothing is saved: the form comes back with
/// what was typed, what changed meanwhile, and the current version, so saving again is a
/// choice made knowing the other change.
pub async fn update_offering(
    state: web::Data<AppState>,
    visitor: SignedIn,
    id: web::Path<String>,
    posted: CsrfForm,
) -> PageResult<HttpResponse> {
    let id: OfferingId = parse_id(&id)?;
    let form = OfferingForm::posted(&posted);
    let (loaded, expected) = loaded_version(&posted);
    let mut conn = state.conn().await?;
    let (status, errors) = match parse_errors(&form) {
        Some(errors) => (StatusCode::BAD_REQUEST, errors),
        None => {
            let (input, _) = form.input();
            let now = state.clock.now();
            let saved = offerings::update_offering(
                &mut conn,
                &visitor.caller,
                id,
                &expected,
                |_| input,
                now,
            )
            .await;
            match refused(saved, |o| offering_href(o.id), form_errors, t::STALE_EDIT)? {
                Ok(redirect) => return Ok(redirect),
                Err(refusal) => refusal,
            }
        }
    };
    let current = offerings::offering_for_editing(&mut conn, &visitor.caller, id).await?;
    if status != StatusCode::CONFLICT {
        // Not saved for errors of its own: the form stays at the version it was loaded at.
        let mut page = OfferingFormPage::edit(&visitor, &current, &form, errors);
        page.version = loaded;
        return Ok(respond(&visitor.csrf, status, &page));
    }
    let history = offerings::offering_history(&mut conn, &visitor.caller, id).await?;
    // Fields the visitor did not touch take the other edit; what they typed stays.
    let form = match loaded.and_then(|v| content_at(&history, v, &current.content)) {
        Some(base) => form.merged(
            &OfferingForm::of(&base),
            &OfferingForm::of(&current.content),
        ),
        None => form,
    };
    let mut page = OfferingFormPage::edit(&visitor, &current, &form, errors);
    page.changed = changed_since(&history, loaded.unwrap_or(0), &current);
    Ok(respond(&visitor.csrf, StatusCode::CONFLICT, &page))
}

/// The offering's content at version `loaded`: the current content with every later edit
/// undone (an edit's revision records `{field: {from, to}}`; the history is newest first).
/// None for a version the history does not know.
fn content_at(
    history: &[Revision],
    loaded: i32,
    current: &OfferingContent,
) -> Option<OfferingContent> {
    if !history.iter().any(|r| r.version == loaded) {
        return None;
    }
    let mut content = serde_json::to_value(current).ok()?;
    for revision in history
        .iter()
        .filter(|r| r.version > loaded && r.action == "updated")
    {
        for (field, change) in revision.changes.as_object()? {
            *content.get_mut(field)? = change.get("from")?.clone();
        }
    }
    serde_json::from_value(content).ok()
}

/// The offering fields in the order the form shows them (the API's names).
const FIELDS: [&str; 17] = [
    "title",
    "summary",
    "description",
    "domain",
    "service_type",
    "sectors",
    "regions",
    "formats",
    "delivery",
    "duration",
    "price_model",
    "price_min_cents",
    "price_max_cents",
    "evidence_level",
    "evidence_sources",
    "co_creation_phases",
    "themes",
];

/// A field's value in Dutch, as the offering's page would show it.
fn value_of(content: &OfferingContent, field: &str) -> String {
    let c = content;
    let amount = |cents: Option<i64>| cents.map_or(t::NONE_GIVEN.to_owned(), format::euros);
    match field {
        "title" => c.title.clone(),
        "summary" => c.summary.clone(),
        "description" => c.description.clone(),
        "domain" => label("domain", &c.domain).to_owned(),
        "service_type" => label("service_type", &c.service_type).to_owned(),
        "sectors" => labels("sector", &c.sectors),
        "regions" => labels("region", &c.regions),
        "formats" => labels("format", &c.formats),
        "delivery" => labels("delivery", &c.delivery),
        "duration" => label("duration", &c.duration).to_owned(),
        "price_model" => label("price_model", &c.price_model).to_owned(),
        "price_min_cents" => amount(c.price_min_cents),
        "price_max_cents" => amount(c.price_max_cents),
        "evidence_level" => label("evidence_level", &c.evidence_level).to_owned(),
        "evidence_sources" if c.evidence_sources.is_empty() => t::NONE_GIVEN.to_owned(),
        "evidence_sources" => c.evidence_sources.join(", "),
        "co_creation_phases" => labels("co_creation", &c.co_creation_phases),
        "themes" => labels("theme", &c.themes),
        _ => String::new(),
    }
}

/// The fields a revision changed, in the form's order.
fn fields_changed(revision: &Revision) -> Vec<&'static str> {
    match revision.action.as_str() {
        // A list saved in another order is no change to a reader.
        "updated" => FIELDS
            .into_iter()
            .filter(|f| {
                revision
                    .changes
                    .get(f)
                    .is_some_and(|c| !same(&c["from"], &c["to"]))
            })
            .collect(),
        "published" | "archived" => vec!["status"],
        _ => Vec::new(),
    }
}

/// What changed after version `loaded`, each field once, with its value now.
fn changed_since(
    history: &[Revision],
    loaded: i32,
    current: &Offering,
) -> Vec<(&'static str, String)> {
    let mut fields: Vec<&'static str> = Vec::new();
    for revision in history.iter().filter(|r| r.version > loaded) {
        for field in fields_changed(revision) {
            if !fields.contains(&field) {
                fields.push(field);
            }
        }
    }
    let order = |f: &&str| FIELDS.iter().position(|x| x == f).unwrap_or(FIELDS.len());
    fields.sort_by_key(order);
    fields
        .into_iter()
        .map(|field| {
            let value = if field == "status" {
                t::offering_status(current.status).to_owned()
            } else {
                value_of(&current.content, field)
            };
            (t::offering_field_label(field), value)
        })
        .collect()
}

/// Publishes or archives, if the offering is still at the version the page showed.
async fn move_offering(
    state: &AppState,
    visitor: &SignedIn,
    id: &str,
    posted: &CsrfForm,
    step: Move,
) -> PageResult<HttpResponse> {
    let id: OfferingId = parse_id(id)?;
    let (_, expected) = loaded_version(posted);
    let mut conn = state.conn().await?;
    let refused = match offerings::move_offering(
        &mut conn,
        &visitor.caller,
        id,
        step,
        Some(&expected),
        state.clock.now(),
    )
    .await
    {
        Ok(moved) => {
            let done = match step {
                Move::Publish => "gepubliceerd",
                Move::Archive => "gearchiveerd",
            };
            return Ok(see_other(&format!(
                "{}?melding={done}",
                offering_href(moved.id)
            )));
        }
        Err(DomainError::Stale) => (StatusCode::CONFLICT, t::MOVE_STALE),
        Err(DomainError::Conflict(_)) => (StatusCode::CONFLICT, t::MOVE_ALREADY),
        Err(DomainError::Forbidden(reason)) if reason == Refused::Unverified.reason() => {
            (StatusCode::FORBIDDEN, t::MOVE_UNVERIFIED)
        }
        Err(other) => return Err(other.into()),
    };
    let (status, text) = refused;
    let page = MessagePage::new(
        visitor.layout(t::CONFLICT_TITLE, Section::Dashboard),
        t::CONFLICT_TITLE,
        text,
    )
    .link(&offering_href(id), t::BACK_TO_OFFERING);
    Ok(respond(&visitor.csrf, status, &page))
}

/// `POST /beheer/aanbod/{id}/publiceren`.
pub async fn publish(
    state: web::Data<AppState>,
    visitor: SignedIn,
    id: web::Path<String>,
    posted: CsrfForm,
) -> PageResult<HttpResponse> {
    move_offering(&state, &visitor, &id, &posted, Move::Publish).await
}

/// `POST /beheer/aanbod/{id}/archiveren`.
pub async fn archive(
    state: web::Data<AppState>,
    visitor: SignedIn,
    id: web::Path<String>,
    posted: CsrfForm,
) -> PageResult<HttpResponse> {
    move_offering(&state, &visitor, &id, &posted, Move::Archive).await
}

/// One step of an offering's history.
struct HistoryRow {
    version: i32,
    when: String,
    who: &'static str,
    what: String,
}

#[derive(Template)]
#[template(path = "offering_history.html")]
struct HistoryPage {
    page: Layout,
    title: String,
    offering_href: String,
    rows: Vec<HistoryRow>,
}

/// `GET /beheer/aanbod/{id}/geschiedenis`: who changed what and when, newest first.
pub async fn history(
    state: web::Data<AppState>,
    visitor: SignedIn,
    id: web::Path<String>,
) -> PageResult<HttpResponse> {
    let id: OfferingId = parse_id(&id)?;
    let mut conn = state.conn().await?;
    let revisions = offerings::offering_history(&mut conn, &visitor.caller, id).await?;
    let offering = offerings::offering_for_editing(&mut conn, &visitor.caller, id).await?;
    let me = visitor.caller.id();
    let rows = revisions
        .iter()
        .map(|r| {
            let fields: Vec<&str> = fields_changed(r)
                .into_iter()
                .filter(|f| *f != "status")
                .map(t::offering_field_label)
                .collect();
            HistoryRow {
                version: r.version,
                when: t::date_time(
                    &format::date(r.changed_at),
                    r.changed_at.hour(),
                    r.changed_at.minute(),
                ),
                who: match r.changed_by {
                    Some(by) if by == me => t::HISTORY_YOU,
                    Some(_) => t::HISTORY_COLLEAGUE,
                    None => t::HISTORY_GONE,
                },
                what: t::history_action(&r.action, &fields),
            }
        })
        .collect();
    let page = HistoryPage {
        page: visitor.layout(t::HISTORY_TITLE, Section::Dashboard),
        title: offering.content.title,
        offering_href: offering_href(offering.id),
        rows,
    };
    Ok(respond(&visitor.csrf, StatusCode::OK, &page))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_of_an_offering_is_listed_once_with_a_dutch_label() {
        let content = serde_json::to_value(OfferingContent::from(
            crate::domain::offering::OfferingInput {
                title: "t".into(),
                summary: "s".into(),
                description: "d".into(),
                domain: "leerlingenzorg".into(),
                service_type: "zorg_leerproblemen".into(),
                sectors: vec!["po".into()],
                regions: vec!["landelijk".into()],
                formats: vec!["coaching".into()],
                delivery: vec!["op_locatie".into()],
                duration: "traject".into(),
                price_model: "op_aanvraag".into(),
                price_min_cents: None,
                price_max_cents: None,
                evidence_level: "geen".into(),
                evidence_sources: vec![],
                co_creation_phases: vec![],
                themes: vec![],
            }
            .validate()
            .unwrap(),
        ))
        .unwrap();
        let stored: Vec<&str> = content
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(stored.len(), FIELDS.len());
        for field in FIELDS {
            assert!(stored.contains(&field), "{field}");
            assert_ne!(t::offering_field_label(field), "Veld", "{field}");
        }
    }
}
