//! The shortlist pages: `/lijsten` (the lists of my organisations, and a new one),
//! `/lijsten/{id}` (a list with its offerings and notes, and changing it) and
//! `/lijsten/bewaren` (saving offerings from the search, an offering page or a comparison on a
//! list, new or existing). All over `usecases::shortlists`, as the API: whether a visitor may
//! read or change a list is the use case's answer (an outsider gets the same 404 as for a list
//! that does not exist). Changes carry the version the page showed, so a colleague's change in
//! between is reported, never overwritten.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::{DateTime, Utc};
use diesel_async::AsyncPgConnection;

use crate::auth::Caller;
use crate::domain::offering_status::Status;
use crate::domain::{DomainError, DomainResult, FieldError};
use crate::domain::{OfferingId, OrganizationId, ShortlistId};
use crate::http::IfMatch;
use crate::state::AppState;
use crate::usecases::shortlists::{self, MAX_ITEMS};
use crate::usecases::{account, shortlists::ShortlistView};
use crate::web::compare::{self, choose_more_href};
use crate::web::csrf::CsrfForm;
use crate::web::error::{PageError, PageResult};
use crate::web::form::FormErrors;
use crate::web::layout::see_other;
use crate::web::layout::{Layout, Section};
use crate::web::session::{SignedIn, Visitor, login_href, respond};
use crate::web::sign_in::MessagePage;
use crate::web::text as t;

/// The path of the page that saves offerings on a list.
const SAVE_PATH: &str = "/lijsten/bewaren";
/// The value of the list menu that starts a new list for an organisation: `nieuw:<id>`.
const NEW_PREFIX: &str = "nieuw:";
/// More offering ids than any form sends (a list holds `MAX_ITEMS`); the rest are not read.
const MAX_IDS: usize = MAX_ITEMS + 1;

fn list_href(id: ShortlistId) -> String {
    format!("/lijsten/{id}")
}

/// The path's id: one that is no UUID names no list (the Dutch 404 page, as an unknown one).
fn list_id(raw: &str) -> PageResult<ShortlistId> {
    raw.parse().map_err(|_| PageError::NotFound)
}

/// The version the form was read at, as the use cases' `If-Match`: anything but a number
/// matches no version, so the change is refused as stale.
fn expected(form: &CsrfForm) -> IfMatch {
    IfMatch::Tags(
        form.value("versie")
            .trim()
            .parse()
            .ok()
            .into_iter()
            .collect(),
    )
}

/// An offering id from a form; one that is no UUID names no offering on any list.
fn offering_id(raw: &str) -> OfferingId {
    raw.trim()
        .parse()
        .unwrap_or_else(|_| OfferingId::from(uuid::Uuid::nil()))
}

/// A browser sends a text area's line breaks as CRLF (the HTML standard's form encoding); the
/// stored text has plain line breaks, as the API's.
pub(super) fn text_area(raw: &str) -> String {
    raw.replace("\r\n", "\n")
}

/// The offering ids named by repeated `id` pairs (bounded), as typed.
fn ids_of<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<String> {
    pairs
        .filter(|(name, _)| *name == compare::ID)
        .map(|(_, value)| value.chars().take(50).collect::<String>())
        .filter(|value| !value.trim().is_empty())
        .take(MAX_IDS)
        .collect()
}

/// The field of a page's form a use case's field error belongs to: the name box and the
/// organisation's control are named by the form.
fn page_field(field: &str, (name_field, organization_field): (&str, &str)) -> String {
    match field {
        "name" => name_field.to_owned(),
        "organization_id" => organization_field.to_owned(),
        "items" | "offering_id" => "aanbod".to_owned(),
        other => other.to_owned(),
    }
}

/// The place (1-based) of the offering an `items[i]...` error names.
fn item_place(field: &str) -> Option<usize> {
    let index = field.strip_prefix("items[")?.split(']').next()?;
    index.parse::<usize>().ok().map(|i| i + 1)
}

/// The Dutch message of a shortlist form's error.
fn message(error: &FieldError) -> String {
    match (item_place(&error.field), error.field.as_str(), error.code) {
        (Some(place), _, code) => t::shortlist_item_problem(place, code),
        (None, "aanbod", "too_long") => format!("{}: {}", t::SHORTLIST_COUNT, t::SAVE_LIST_FULL),
        (None, "aanbod", "none_chosen") => t::SAVE_NONE_CHOSEN.to_owned(),
        (None, "versie", _) => t::SHORTLIST_CHANGED.to_owned(),
        (None, field, code) => format!(
            "{}: {}",
            t::shortlist_field_label(field),
            t::shortlist_problem(code)
        ),
    }
}

/// Where an error's summary link leads: its control, or the list of offerings.
fn anchor(field: &str) -> String {
    match field {
        "naam" | "nieuwe_naam" | "lijst" | "organisatie" | "bevestig" => format!("veld-{field}"),
        field if field.starts_with("notitie-") => format!("veld-{field}"),
        _ => "aanbod-titel".to_owned(),
    }
}

fn errors(fields: &[FieldError]) -> FormErrors {
    FormErrors::from_messages(fields, message, anchor)
}

/// The save form the offering and compare pages embed, and the save page shows in full.
pub struct SaveForm {
    pub csrf: String,
    /// The offerings to save, as their ids.
    pub ids: Vec<String>,
    /// The list menu: value, label, selected. The visitor's changeable lists, and a new list
    /// for each of their organisations.
    pub choices: Vec<(String, String, bool)>,
    /// The name typed for a new list.
    pub name: String,
    pub errors: FormErrors,
    /// For a logged-out visitor: the login page, coming back to the save page.
    pub login_href: Option<String>,
}

impl SaveForm {
    /// The form for `visitor`; with `new_first` a new list is offered first (saving a
    /// comparison is usually a new list, an offering usually goes on an existing one).
    pub async fn for_visitor(
        state: &AppState,
        visitor: &Visitor,
        ids: Vec<String>,
        new_first: bool,
    ) -> PageResult<SaveForm> {
        let Some(caller) = &visitor.caller else {
            let mut back = form_urlencoded::Serializer::new(String::new());
            for id in &ids {
                back.append_pair(compare::ID, id);
            }
            return Ok(SaveForm {
                csrf: String::new(),
                login_href: Some(login_href(&format!("{SAVE_PATH}?{}", back.finish()))),
                ids,
                choices: Vec::new(),
                name: String::new(),
                errors: FormErrors::default(),
            });
        };
        let mut conn = state.conn().await?;
        SaveForm::for_caller(&mut conn, caller, &visitor.csrf.token, ids, new_first, "").await
    }

    async fn for_caller(
        conn: &mut AsyncPgConnection,
        caller: &Caller,
        csrf: &str,
        ids: Vec<String>,
        new_first: bool,
        chosen: &str,
    ) -> PageResult<SaveForm> {
        let targets = shortlists::save_targets(conn, caller).await?;
        let existing = targets.lists.iter().map(|list| {
            let name = targets
                .organizations
                .iter()
                .find(|m| m.organization_id == list.organization_id)
                .map_or(String::new(), |m| format!(" ({})", m.organization_name));
            (list.id.to_string(), format!("{}{name}", list.name))
        });
        let new = targets.organizations.iter().map(|m| {
            (
                format!("{NEW_PREFIX}{}", m.organization_id),
                t::new_list_for(&m.organization_name),
            )
        });
        let mut choices: Vec<(String, String)> = if new_first {
            new.chain(existing).collect()
        } else {
            existing.chain(new).collect()
        };
        // No organisation, no list: nothing to choose.
        if targets.organizations.is_empty() {
            choices.clear();
        }
        let chosen = if choices.iter().any(|(value, _)| value == chosen) {
            chosen.to_owned()
        } else {
            choices.first().map(|(v, _)| v.clone()).unwrap_or_default()
        };
        Ok(SaveForm {
            csrf: csrf.to_owned(),
            ids,
            choices: choices
                .into_iter()
                .map(|(value, label)| {
                    let selected = value == chosen;
                    (value, label, selected)
                })
                .collect(),
            name: String::new(),
            errors: FormErrors::default(),
            login_href: None,
        })
    }
}

/// Where the save form puts the offerings.
enum Choice {
    Existing(ShortlistId),
    New(OrganizationId),
}

impl Choice {
    fn parse(value: &str) -> Option<Choice> {
        match value.trim().strip_prefix(NEW_PREFIX) {
            Some(organization) => organization.parse().ok().map(Choice::New),
            None => value.trim().parse().ok().map(Choice::Existing),
        }
    }
}

/// Saves the offerings `ids` on the chosen list (a new one named `name`): the list's id, or
/// the form's errors. `controls` names the form's name box and its control for the choice,
/// which could not be read when `choice` is the error code to show there.
async fn save(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    choice: Result<Choice, &'static str>,
    controls: (&str, &str),
    name: &str,
    ids: &[String],
    now: DateTime<Utc>,
) -> PageResult<Result<ShortlistId, Vec<FieldError>>> {
    let mut refused = Vec::new();
    let mut offerings = Vec::with_capacity(ids.len());
    for (i, id) in ids.iter().enumerate() {
        match id.trim().parse::<OfferingId>() {
            Ok(id) => offerings.push(id),
            Err(_) => refused.push(FieldError::new(
                format!("items[{i}].offering_id"),
                "not_found",
                "no such offering",
            )),
        }
    }
    let choice = match choice {
        Ok(choice) => choice,
        Err(code) => {
            refused.push(FieldError::new(controls.1, code, "choose one of the menu"));
            return Ok(Err(refused));
        }
    };
    if !refused.is_empty() {
        return Ok(Err(refused));
    }
    let outcome = match choice {
        Choice::New(organization) => {
            let items = offerings
                .into_iter()
                .map(|offering_id| shortlists::ItemInput {
                    offering_id,
                    note: None,
                })
                .collect();
            shortlists::create_shortlist(conn, caller, organization, name, items, now).await
        }
        Choice::Existing(list) => {
            shortlists::add_offerings(conn, caller, list, &offerings, now).await
        }
    };
    match outcome {
        Ok(view) => Ok(Ok(view.list.id)),
        Err(DomainError::Invalid(fields)) => Ok(Err(fields
            .into_iter()
            .map(|mut e| {
                e.field = page_field(&e.field, controls);
                e
            })
            .collect())),
        Err(other) => Err(other.into()),
    }
}

/// A list of the overview.
pub struct ListRow {
    pub href: String,
    pub name: String,
    pub organization: String,
    pub count: String,
}

#[derive(Template)]
#[template(path = "shortlists.html")]
struct ListsPage {
    page: Layout,
    errors: FormErrors,
    csrf: String,
    lists: Vec<ListRow>,
    /// The organisations a new list can be shared with: id, name, selected.
    organizations: Vec<(String, String, bool)>,
    name: String,
}

async fn lists_page(
    state: &AppState,
    visitor: &SignedIn,
    status: StatusCode,
    errors: FormErrors,
    (name, organization): (&str, &str),
) -> PageResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let lists = shortlists::list_shortlists(&mut conn, &visitor.caller).await?;
    let memberships = account::memberships(&mut conn, &visitor.caller).await?;
    let organization_name = |id: OrganizationId| {
        memberships
            .iter()
            .find(|m| m.organization_id == id)
            .map(|m| m.organization_name.clone())
            .unwrap_or_default()
    };
    let page = ListsPage {
        page: visitor.layout(t::SHORTLISTS_TITLE, Section::Shortlists),
        errors,
        csrf: visitor.csrf.token.clone(),
        lists: lists
            .iter()
            .map(|view| ListRow {
                href: list_href(view.list.id),
                name: view.list.name.clone(),
                organization: organization_name(view.list.organization_id),
                count: t::offering_count(view.items.len()),
            })
            .collect(),
        organizations: memberships
            .iter()
            .map(|m| {
                let id = m.organization_id.to_string();
                let selected = id == organization;
                (id, m.organization_name.clone(), selected)
            })
            .collect(),
        name: name.to_owned(),
    };
    Ok(respond(&visitor.csrf, status, &page))
}

/// `GET /lijsten`: the lists of my organisations, and a form for a new one.
pub async fn lists(state: web::Data<AppState>, visitor: SignedIn) -> PageResult<HttpResponse> {
    lists_page(
        &state,
        &visitor,
        StatusCode::OK,
        FormErrors::default(),
        ("", ""),
    )
    .await
}

/// `POST /lijsten`: a new, empty list for one of my organisations.
pub async fn create(
    state: web::Data<AppState>,
    visitor: SignedIn,
    form: CsrfForm,
) -> PageResult<HttpResponse> {
    let (name, organization) = (form.value("naam"), form.value("organisatie"));
    let choice = organization
        .trim()
        .parse()
        .map(Choice::New)
        .map_err(|_| "not_member");
    let mut conn = state.conn().await?;
    let now = state.clock.now();
    let fields = ("naam", "organisatie");
    match save(&mut conn, &visitor.caller, choice, fields, name, &[], now).await? {
        Ok(id) => Ok(see_other(&list_href(id))),
        Err(fields) => {
            let errors = errors(&fields);
            let typed = (name, organization);
            lists_page(&state, &visitor, StatusCode::BAD_REQUEST, errors, typed).await
        }
    }
}

/// An offering on the list page.
pub struct ItemRow {
    pub id: String,
    pub href: String,
    pub title: String,
    pub archived: bool,
    pub note: Option<String>,
    /// The note box's text: the note, or what was typed when saving it failed.
    pub typed_note: String,
}

#[derive(Template)]
#[template(path = "shortlist.html")]
struct ListPage {
    page: Layout,
    errors: FormErrors,
    csrf: String,
    /// The form actions' base, `/lijsten/{id}`.
    href: String,
    name: String,
    organization: String,
    version: i32,
    items: Vec<ItemRow>,
    /// The comparison of the offerings still offered, when there are 2 to 6.
    compare_href: Option<String>,
    may_change: bool,
    /// The rename box's text.
    typed_name: String,
}

/// What was typed in a form of the list page that failed, shown again.
#[derive(Default)]
struct Typed<'a> {
    name: Option<&'a str>,
    note: Option<(OfferingId, String)>,
}

async fn list_page(
    state: &AppState,
    visitor: &SignedIn,
    id: ShortlistId,
    status: StatusCode,
    errors: FormErrors,
    typed: Typed<'_>,
) -> PageResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let (view, may_change) = shortlists::open_shortlist(&mut conn, &visitor.caller, id).await?;
    let memberships = account::memberships(&mut conn, &visitor.caller).await?;
    let ShortlistView { list, items } = view;
    let offered: Vec<String> = items
        .iter()
        .filter(|i| i.status == Status::Published)
        .map(|i| i.offering_id.to_string())
        .collect();
    let compare_href = (2..=crate::domain::compare::MAX_ITEMS)
        .contains(&offered.len())
        .then(|| {
            let mut url = form_urlencoded::Serializer::new(String::new());
            for id in &offered {
                url.append_pair(compare::ID, id);
            }
            format!("/vergelijken?{}", url.finish())
        });
    let page = ListPage {
        page: visitor.layout(list.name.clone(), Section::Shortlists),
        errors,
        csrf: visitor.csrf.token.clone(),
        href: list_href(list.id),
        organization: memberships
            .into_iter()
            .find(|m| m.organization_id == list.organization_id)
            .map(|m| m.organization_name)
            .unwrap_or_default(),
        version: list.version,
        items: items
            .into_iter()
            .map(|i| ItemRow {
                id: i.offering_id.to_string(),
                href: format!("/aanbod/{}", i.offering_id),
                title: i.title,
                archived: i.status != Status::Published,
                typed_note: match &typed.note {
                    Some((id, text)) if *id == i.offering_id => text.clone(),
                    _ => i.note.clone().unwrap_or_default(),
                },
                note: i.note,
            })
            .collect(),
        compare_href,
        may_change,
        typed_name: typed.name.unwrap_or(list.name.as_str()).to_owned(),
        name: list.name,
    };
    Ok(respond(&visitor.csrf, status, &page))
}

/// `GET /lijsten/{id}`: a list of my organisation, for any member (a colleague opening a
/// shared link), with the forms to change it for those who may.
pub async fn list(
    state: web::Data<AppState>,
    visitor: SignedIn,
    id: web::Path<String>,
) -> PageResult<HttpResponse> {
    let id = list_id(&id)?;
    list_page(
        &state,
        &visitor,
        id,
        StatusCode::OK,
        FormErrors::default(),
        Typed::default(),
    )
    .await
}

/// After a change: back to the list (303), or the list again with what went wrong and what was
/// typed; a change by someone else in between is said, not overwritten.
async fn after_change<T>(
    state: &AppState,
    visitor: &SignedIn,
    id: ShortlistId,
    outcome: DomainResult<T>,
    field: &str,
    typed: Typed<'_>,
) -> PageResult<HttpResponse> {
    let (status, fields) = match outcome {
        Ok(_) => return Ok(see_other(&list_href(id))),
        Err(DomainError::Invalid(fields)) => (
            StatusCode::BAD_REQUEST,
            fields
                .into_iter()
                .map(|mut e| {
                    e.field = match e.field.as_str() {
                        "note" => field.to_owned(),
                        other => page_field(other, (field, field)),
                    };
                    e
                })
                .collect(),
        ),
        Err(DomainError::Stale) => (
            StatusCode::CONFLICT,
            vec![FieldError::new("versie", "stale", "changed meanwhile")],
        ),
        Err(other) => return Err(other.into()),
    };
    list_page(state, visitor, id, status, errors(&fields), typed).await
}

/// `POST /lijsten/{id}/naam`: rename the list.
pub async fn rename(
    state: web::Data<AppState>,
    visitor: SignedIn,
    id: web::Path<String>,
    form: CsrfForm,
) -> PageResult<HttpResponse> {
    let id = list_id(&id)?;
    let name = form.value("naam");
    let mut conn = state.conn().await?;
    let caller = &visitor.caller;
    let outcome = shortlists::rename_shortlist(
        &mut conn,
        caller,
        id,
        &expected(&form),
        name,
        state.clock.now(),
    )
    .await;
    let typed = Typed {
        name: Some(name),
        note: None,
    };
    after_change(&state, &visitor, id, outcome, "naam", typed).await
}

/// What a form of an offering on the list does to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ItemChange {
    /// Change, or with an empty box clear, its note.
    Note,
    /// Take it off the list.
    Remove,
}

/// `POST /lijsten/{id}/notitie`: change (or with an empty box, clear) an offering's note.
pub async fn note(
    state: web::Data<AppState>,
    visitor: SignedIn,
    id: web::Path<String>,
    form: CsrfForm,
) -> PageResult<HttpResponse> {
    change_item(&state, &visitor, &id, &form, ItemChange::Note).await
}

/// `POST /lijsten/{id}/weghalen`: take an offering off the list (the note form's other button).
pub async fn remove(
    state: web::Data<AppState>,
    visitor: SignedIn,
    id: web::Path<String>,
    form: CsrfForm,
) -> PageResult<HttpResponse> {
    change_item(&state, &visitor, &id, &form, ItemChange::Remove).await
}

async fn change_item(
    state: &AppState,
    visitor: &SignedIn,
    id: &str,
    form: &CsrfForm,
    change: ItemChange,
) -> PageResult<HttpResponse> {
    let id = list_id(id)?;
    let offering = offering_id(form.value("aanbod"));
    let note = text_area(form.value("notitie"));
    let mut conn = state.conn().await?;
    let (caller, now, expected) = (&visitor.caller, state.clock.now(), expected(form));
    let (outcome, field, typed) = match change {
        ItemChange::Note => (
            shortlists::set_note(&mut conn, caller, id, &expected, offering, &note, now).await,
            format!("notitie-{offering}"),
            Typed {
                name: None,
                note: Some((offering, note)),
            },
        ),
        ItemChange::Remove => (
            shortlists::remove_offering(&mut conn, caller, id, &expected, offering, now).await,
            "aanbod".to_owned(),
            Typed::default(),
        ),
    };
    after_change(state, visitor, id, outcome, &field, typed).await
}

/// `POST /lijsten/{id}/verwijderen`: delete the list once the box is ticked.
pub async fn delete(
    state: web::Data<AppState>,
    visitor: SignedIn,
    id: web::Path<String>,
    form: CsrfForm,
) -> PageResult<HttpResponse> {
    let id = list_id(&id)?;
    let outcome = if form.is_checked("bevestig") {
        let mut conn = state.conn().await?;
        shortlists::delete_shortlist(&mut conn, &visitor.caller, id, Some(&expected(&form))).await
    } else {
        Err(DomainError::invalid(
            "bevestig",
            "not_confirmed",
            "tick the box",
        ))
    };
    if outcome.is_ok() {
        let page = MessagePage::new(
            visitor.layout(t::SHORTLIST_DELETE_HEADING, Section::Shortlists),
            t::SHORTLIST_DELETE_HEADING,
            t::SHORTLIST_DELETED,
        )
        .link("/lijsten", t::SHORTLIST_ALL);
        return Ok(respond(&visitor.csrf, StatusCode::OK, &page));
    }
    after_change(&state, &visitor, id, outcome, "bevestig", Typed::default()).await
}

/// An offering about to be saved, as the save page lists it.
pub struct Chosen {
    pub href: String,
    pub title: String,
}

#[derive(Template)]
#[template(path = "shortlist_save.html")]
struct SavePage {
    page: Layout,
    chosen: Vec<Chosen>,
    save: SaveForm,
    /// The search with these offerings ticked, to choose more or others.
    back_href: String,
}

/// The save page: the offerings `ids` (those the visitor may see are listed) and the form.
async fn save_page(
    state: &AppState,
    visitor: &SignedIn,
    ids: Vec<String>,
    status: StatusCode,
    mut fields: Vec<FieldError>,
    (chosen, name): (&str, &str),
) -> PageResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let parsed: Vec<OfferingId> = ids.iter().filter_map(|id| id.trim().parse().ok()).collect();
    let visible = if parsed.len() <= MAX_ITEMS {
        shortlists::visible_offerings(&mut conn, &visitor.caller, &parsed).await?
    } else {
        Vec::new()
    };
    if ids.is_empty() && fields.is_empty() {
        fields.push(FieldError::new(
            "aanbod",
            "none_chosen",
            "no offerings chosen",
        ));
    }
    let status = if fields.is_empty() {
        status
    } else {
        StatusCode::BAD_REQUEST
    };
    let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let back_href = choose_more_href(&id_refs);
    let caller = &visitor.caller;
    let mut save =
        SaveForm::for_caller(&mut conn, caller, &visitor.csrf.token, ids, false, chosen).await?;
    save.name = name.to_owned();
    save.errors = errors(&fields);
    let page = SavePage {
        page: visitor.layout(t::SAVE_HEADING, Section::Shortlists),
        // In the order asked, each once.
        chosen: parsed
            .iter()
            .enumerate()
            .filter(|(i, id)| !parsed[..*i].contains(id))
            .filter_map(|(_, id)| visible.iter().find(|o| o.id == *id))
            .map(|o| Chosen {
                href: format!("/aanbod/{}", o.id),
                title: o.content.title.clone(),
            })
            .collect(),
        save,
        back_href,
    };
    Ok(respond(&visitor.csrf, status, &page))
}

/// `GET /lijsten/bewaren?id=…`: choose the list for the offerings ticked in the search (or
/// named by the login's way back).
pub async fn save_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    visitor: SignedIn,
) -> PageResult<HttpResponse> {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(req.query_string().as_bytes())
        .take(MAX_IDS * 2)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let ids = ids_of(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    save_page(&state, &visitor, ids, StatusCode::OK, Vec::new(), ("", "")).await
}

/// `POST /lijsten/bewaren`: save the offerings on the chosen list, or on a new one, and show
/// the list.
pub async fn save_offerings(
    state: web::Data<AppState>,
    visitor: SignedIn,
    form: CsrfForm,
) -> PageResult<HttpResponse> {
    let ids = ids_of(form.pairs());
    let (chosen, name) = (form.value("lijst"), form.value("nieuwe_naam"));
    if ids.is_empty() {
        let typed = (chosen, name);
        return save_page(
            &state,
            &visitor,
            ids,
            StatusCode::BAD_REQUEST,
            Vec::new(),
            typed,
        )
        .await;
    }
    let mut conn = state.conn().await?;
    let choice = Choice::parse(chosen).ok_or("choose");
    let now = state.clock.now();
    let fields = ("nieuwe_naam", "lijst");
    match save(&mut conn, &visitor.caller, choice, fields, name, &ids, now).await? {
        Ok(id) => Ok(see_other(&list_href(id))),
        Err(fields) => {
            let typed = (chosen, name);
            save_page(
                &state,
                &visitor,
                ids,
                StatusCode::BAD_REQUEST,
                fields,
                typed,
            )
            .await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_of_the_use_cases_are_dutch_and_point_at_their_control() {
        let fields = [
            FieldError::new("naam", "too_long", "x"),
            FieldError::new("items[2].offering_id", "not_found", "x"),
            FieldError::new("lijst", "choose", "x"),
            FieldError::new(format!("notitie-{}", uuid::Uuid::nil()), "invalid", "x"),
        ];
        let errors = errors(&fields);
        assert_eq!(
            errors.of("naam"),
            Some("Naam van de lijst: gebruik minder tekens")
        );
        assert_eq!(
            errors.of("items[2].offering_id"),
            Some("Aanbod 3: dit aanbod bestaat niet (meer) of is niet gepubliceerd")
        );
        assert_eq!(errors.list()[1].anchor, "aanbod-titel");
        assert_eq!(errors.list()[2].anchor, "veld-lijst");
        assert!(errors.list()[3].anchor.starts_with("veld-notitie-"));
        let fields = ("nieuwe_naam", "lijst");
        assert_eq!(page_field("organization_id", fields), "lijst");
        assert_eq!(page_field("name", fields), "nieuwe_naam");
    }

    #[test]
    fn the_list_menu_reads_an_existing_list_or_a_new_one_for_an_organisation() {
        let id = uuid::Uuid::now_v7();
        assert!(matches!(
            Choice::parse(&id.to_string()),
            Some(Choice::Existing(_))
        ));
        assert!(matches!(
            Choice::parse(&format!("nieuw:{id}")),
            Some(Choice::New(_))
        ));
        for bad in ["", "nieuw:", "nieuw:x", "x", "\0"] {
            assert!(Choice::parse(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn a_form_version_that_is_no_number_matches_no_version() {
        assert!(IfMatch::Tags(vec![3]).matches(3));
        let none: Vec<i32> = "x".parse().ok().into_iter().collect();
        assert!(!IfMatch::Tags(none).matches(3));
        assert_eq!(text_area("a\r\nb"), "a\nb");
        assert_eq!(offering_id("geen-id"), OfferingId::from(uuid::Uuid::nil()));
    }
}
