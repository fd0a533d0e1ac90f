//! A provider's interest profiles (`/beheer/aanbieders/{id}/interesses`): the list, the form
//! that saves one, deleting one. A mail goes out when a matching bundle opens; the rules (who
//! keeps them, what a profile may hold) are `usecases::interest_profiles`'.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::db::models::interest_profile::InterestProfileRow;
use crate::domain::interest_profile::InterestProfileInput;
use crate::domain::taxonomy;
use crate::domain::{DomainError, FieldError, InterestProfileId, OrganizationId};
use crate::state::AppState;
use crate::usecases::{interest_profiles, organizations};
use crate::web::csrf::CsrfForm;
use crate::web::dashboard::parse_id;
use crate::web::error::{PageError, PageResult};
use crate::web::form::{Builder, Control, FormErrors, FormSection, Pairs};
use crate::web::format::{label, labels};
use crate::web::layout::{Layout, Section, see_other};
use crate::web::session::{SignedIn, respond};
use crate::web::sign_in::query_value;
use crate::web::tender_paths::{interest_delete_href, interests_href};
use crate::web::text as t;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/beheer/aanbieders/{id}/interesses",
        web::get().to(interests_page),
    )
    .route(
        "/beheer/aanbieders/{id}/interesses",
        web::post().to(create_interest),
    )
    .route(
        "/beheer/aanbieders/{id}/interesses/{pid}/verwijderen",
        web::post().to(delete_interest),
    );
}

/// The form as typed.
#[derive(Debug, Clone, Default)]
struct InterestForm {
    name: String,
    domain: String,
    service_types: Vec<String>,
    sectors: Vec<String>,
    regions: Vec<String>,
    keywords: String,
}

impl InterestForm {
    fn posted(posted: &CsrfForm) -> InterestForm {
        let list = |name: &str| posted.values(name).map(str::to_owned).collect();
        InterestForm {
            name: posted.value("name").to_owned(),
            domain: posted.value("domain").to_owned(),
            service_types: list("service_types"),
            sectors: list("sectors"),
            regions: list("regions"),
            keywords: posted.value("keywords").to_owned(),
        }
    }

    fn input(&self) -> InterestProfileInput {
        InterestProfileInput {
            name: self.name.clone(),
            domain: Some(self.domain.trim().to_owned()).filter(|d| !d.is_empty()),
            service_types: self.service_types.clone(),
            sectors: self.sectors.clone(),
            regions: self.regions.clone(),
            keywords: self
                .keywords
                .split(',')
                .map(str::trim)
                .filter(|k| !k.is_empty())
                .map(str::to_owned)
                .collect(),
        }
    }

    fn sections(&self, errors: &FormErrors) -> Vec<FormSection> {
        let b = Builder { errors };
        let services: Pairs = taxonomy::SERVICE_TYPES
            .iter()
            .map(|s| (s.code, s.nl))
            .collect();
        vec![FormSection {
            legend: t::INTEREST_LEGEND,
            controls: vec![
                b.text(
                    "name",
                    t::INTEREST_NAME,
                    Some(t::INTEREST_NAME_HINT),
                    &self.name,
                    0,
                ),
                b.select(
                    "domain",
                    t::INTEREST_DOMAIN,
                    None,
                    taxonomy::DOMAINS,
                    &self.domain,
                ),
                b.boxes(
                    "service_types",
                    t::INTEREST_SERVICE_TYPES,
                    None,
                    &services,
                    &self.service_types,
                ),
                b.sectors(&self.sectors),
                b.regions(&self.regions),
                b.text(
                    "keywords",
                    t::INTEREST_KEYWORDS,
                    Some(t::INTEREST_KEYWORDS_HINT),
                    &self.keywords,
                    0,
                ),
            ],
        }]
    }
}

/// The use case's field errors in Dutch, each at its control (`keywords[2]` at `keywords`).
fn interest_errors(errors: &[FieldError]) -> FormErrors {
    FormErrors::at_controls(
        errors,
        |field, code, _| {
            format!(
                "{}: {}",
                t::interest_field_label(field),
                t::offer_problem(code)
            )
        },
        |field| field,
    )
}

/// A saved profile as the list shows it.
struct ProfileRow {
    name: String,
    facts: Vec<(&'static str, String)>,
    delete_action: String,
}

impl ProfileRow {
    fn of(provider: OrganizationId, row: &InterestProfileRow) -> ProfileRow {
        let any = |list: &[String], param: &str| {
            if list.is_empty() {
                t::INTEREST_ANY.to_owned()
            } else {
                labels(param, list)
            }
        };
        ProfileRow {
            name: row.name.clone(),
            facts: vec![
                (
                    t::INTEREST_DOMAIN,
                    row.domain
                        .as_deref()
                        .map_or(t::INTEREST_ANY, |d| label("domain", d))
                        .to_owned(),
                ),
                (
                    t::INTEREST_SERVICE_TYPES,
                    any(&row.service_types, "service_type"),
                ),
                (t::SECTORS, any(&row.sectors, "sector")),
                (t::REGIONS, any(&row.regions, "region")),
                (
                    t::INTEREST_KEYWORDS,
                    if row.keywords.is_empty() {
                        t::INTEREST_ANY.to_owned()
                    } else {
                        row.keywords.join(", ")
                    },
                ),
            ],
            delete_action: interest_delete_href(provider, row.id),
        }
    }
}

#[derive(Template)]
#[template(path = "interests.html")]
struct InterestsPage {
    page: Layout,
    heading: String,
    notice: Option<&'static str>,
    profiles: Vec<ProfileRow>,
    errors: FormErrors,
    csrf: String,
    action: String,
    version: Option<i32>,
    sections: Vec<FormSection>,
    button: &'static str,
}

/// The page of `provider`'s profiles with the form as typed (refused: `status` and errors).
async fn page_of(
    state: &AppState,
    visitor: &SignedIn,
    provider: OrganizationId,
    form: &InterestForm,
    errors: FormErrors,
) -> PageResult<InterestsPage> {
    let mut conn = state.conn().await?;
    // The use case decides who sees them (403 for outsiders, 404 for what is no provider).
    let rows =
        interest_profiles::list_interest_profiles(&mut conn, &visitor.caller, provider).await?;
    let name = organizations::public_provider(&mut conn, provider)
        .await?
        .name;
    let heading = t::interests_title(&name);
    Ok(InterestsPage {
        page: visitor.layout(heading.clone(), Section::Dashboard),
        heading,
        notice: None,
        profiles: rows.iter().map(|r| ProfileRow::of(provider, r)).collect(),
        sections: form.sections(&errors),
        errors,
        csrf: visitor.csrf.token.clone(),
        action: interests_href(provider),
        version: None,
        button: t::INTEREST_CREATE,
    })
}

/// `GET /beheer/aanbieders/{id}/interesses`: the profiles and the form for a new one.
pub async fn interests_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    visitor: SignedIn,
    id: web::Path<String>,
) -> PageResult<HttpResponse> {
    let provider: OrganizationId = parse_id(&id)?;
    let mut page = page_of(
        &state,
        &visitor,
        provider,
        &InterestForm::default(),
        FormErrors::default(),
    )
    .await?;
    page.notice = match query_value(&req, "melding").as_str() {
        "opgeslagen" => Some(t::INTEREST_SAVED),
        "verwijderd" => Some(t::INTEREST_DELETED),
        _ => None,
    };
    Ok(respond(&visitor.csrf, StatusCode::OK, &page))
}

/// `POST /beheer/aanbieders/{id}/interesses`: saves the profile, or the form again with what
/// was typed and every error.
pub async fn create_interest(
    state: web::Data<AppState>,
    visitor: SignedIn,
    id: web::Path<String>,
    posted: CsrfForm,
) -> PageResult<HttpResponse> {
    let provider: OrganizationId = parse_id(&id)?;
    let form = InterestForm::posted(&posted);
    let created = {
        let mut conn = state.conn().await?;
        interest_profiles::create_interest_profile(
            &mut conn,
            &visitor.caller,
            provider,
            form.input(),
            state.clock.now(),
        )
        .await
    };
    let (status, errors) = match created {
        Ok(_) => {
            return Ok(see_other(&format!(
                "{}?melding=opgeslagen",
                interests_href(provider)
            )));
        }
        Err(DomainError::Invalid(errors)) => (StatusCode::BAD_REQUEST, interest_errors(&errors)),
        Err(DomainError::Conflict(_)) => (
            StatusCode::CONFLICT,
            FormErrors::from_messages(
                &[FieldError::new("name", "too_many", t::INTEREST_TOO_MANY)],
                |e| e.message.clone(),
                |f| format!("veld-{f}"),
            ),
        ),
        Err(other) => return Err(other.into()),
    };
    let page = page_of(&state, &visitor, provider, &form, errors).await?;
    Ok(respond(&visitor.csrf, status, &page))
}

/// `POST /beheer/aanbieders/{id}/interesses/{pid}/verwijderen`.
pub async fn delete_interest(
    state: web::Data<AppState>,
    visitor: SignedIn,
    path: web::Path<(String, String)>,
    _posted: CsrfForm,
) -> PageResult<HttpResponse> {
    let provider: OrganizationId = parse_id(&path.0)?;
    let profile: InterestProfileId = parse_id(&path.1)?;
    let mut conn = state.conn().await?;
    interest_profiles::delete_interest_profile(&mut conn, &visitor.caller, provider, profile)
        .await
        .map_err(PageError::from)?;
    Ok(see_other(&format!(
        "{}?melding=verwijderd",
        interests_href(provider)
    )))
}
