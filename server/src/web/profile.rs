//! A provider's profile in the dashboard (`/beheer/aanbieders/{id}/profiel`): the fields
//! `UpdateOrganizationRequest` accepts as a form, saved by the use case the API's
//! `PATCH /v1/organizations/{id}` calls, with the same lost-update protection as the offering
//! form (the version the form was loaded at travels in a hidden field). The use case decides
//! who may change it and what is valid; this page only turns its answers into Dutch.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::db::models::organization::Organization;
use crate::domain::taxonomy;
use crate::domain::{FieldError, OrganizationId};
use crate::state::AppState;
use crate::usecases::organizations::{self, UpdateOrganizationRequest};
use crate::web::csrf::CsrfForm;
use crate::web::dashboard::{loaded_version, parse_id, refused};
use crate::web::error::PageResult;
use crate::web::form::{Builder, Control, FormErrors, FormSection};
use crate::web::format::{label, labels};
use crate::web::layout::{Layout, Section};
use crate::web::offering_form::same;
use crate::web::session::{SignedIn, respond};
use crate::web::sign_in::query_value;
use crate::web::text as t;

/// What the form holds, as typed, so a refused form shows exactly what was sent. The fields
/// carry the API's names, which are also the controls' names.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ProfileForm {
    pub name: String,
    pub provider_kind: String,
    pub sectors: Vec<String>,
    pub province: String,
    pub website: String,
    pub description: String,
    pub regions: Vec<String>,
    pub contact_email: String,
    pub contact_phone: String,
}

impl ProfileForm {
    /// The form as posted; a missing field reads as empty.
    pub fn posted(form: &CsrfForm) -> ProfileForm {
        // Browsers send a text area's line breaks as CRLF; the profile stores LF, and a lone
        // CR is a control character the use case refuses.
        let text = |name: &str| form.value(name).replace("\r\n", "\n");
        let list = |name: &str| form.values(name).map(str::to_owned).collect::<Vec<_>>();
        ProfileForm {
            name: text("name"),
            provider_kind: text("provider_kind"),
            sectors: list("sectors"),
            province: text("province"),
            website: text("website"),
            description: text("description"),
            regions: list("regions"),
            contact_email: text("contact_email"),
            contact_phone: text("contact_phone"),
        }
    }

    /// The stored profile, as its form shows it.
    pub fn of(provider: &Organization) -> ProfileForm {
        let text = |value: &Option<String>| value.clone().unwrap_or_default();
        ProfileForm {
            name: provider.name.clone(),
            provider_kind: text(&provider.provider_kind),
            sectors: provider.sectors.clone(),
            province: text(&provider.province),
            website: text(&provider.website),
            description: text(&provider.description),
            regions: provider.regions.clone(),
            contact_email: text(&provider.contact_email),
            contact_phone: text(&provider.contact_phone),
        }
    }

    /// The use case's request: every field the form shows, so an emptied box clears its
    /// value. The provider kind cannot be cleared (a provider has one), so "Kies…" leaves it
    /// as it is.
    pub fn request(&self) -> UpdateOrganizationRequest {
        let optional = |typed: &str| Some(Some(typed.trim().to_owned()).filter(|v| !v.is_empty()));
        UpdateOrganizationRequest {
            name: Some(self.name.clone()),
            provider_kind: Some(self.provider_kind.clone()).filter(|k| !k.is_empty()),
            sectors: Some(self.sectors.clone()),
            province: optional(&self.province),
            website: optional(&self.website),
            description: optional(&self.description),
            regions: Some(self.regions.clone()),
            contact_email: optional(&self.contact_email),
            contact_phone: optional(&self.contact_phone),
        }
    }

    /// The form's controls in sections, showing the values and each control's error.
    pub fn sections(&self, errors: &FormErrors) -> Vec<FormSection> {
        let b = Builder { errors };
        vec![
            FormSection {
                legend: t::PROFILE_ORGANIZATION,
                controls: vec![
                    b.text("name", t::PROFILE_NAME, None, &self.name, 0),
                    b.select(
                        "provider_kind",
                        t::PROVIDER_KIND,
                        None,
                        taxonomy::PROVIDER_KINDS,
                        &self.provider_kind,
                    ),
                    b.text(
                        "description",
                        t::DESCRIPTION_LABEL,
                        Some(t::PROFILE_DESCRIPTION_HINT),
                        &self.description,
                        8,
                    ),
                ],
            },
            FormSection {
                legend: t::PROFILE_AREA,
                controls: vec![
                    b.sectors(&self.sectors),
                    b.regions(&self.regions),
                    b.select(
                        "province",
                        t::PROFILE_PROVINCE,
                        None,
                        taxonomy::PROVINCES,
                        &self.province,
                    ),
                ],
            },
            FormSection {
                legend: t::PROFILE_CONTACT,
                controls: vec![
                    b.text(
                        "website",
                        t::WEBSITE,
                        Some(t::PROFILE_WEBSITE_HINT),
                        &self.website,
                        0,
                    ),
                    b.text(
                        "contact_email",
                        t::CONTACT_EMAIL,
                        None,
                        &self.contact_email,
                        0,
                    ),
                    b.text(
                        "contact_phone",
                        t::CONTACT_PHONE,
                        Some(t::PROFILE_PHONE_HINT),
                        &self.contact_phone,
                        0,
                    ),
                ],
            },
        ]
    }
}

/// The use case's field errors in Dutch, each at its control.
fn profile_errors(errors: &[FieldError]) -> FormErrors {
    FormErrors::at_controls(
        errors,
        |field, code, _| {
            format!(
                "{}: {}",
                t::profile_field_label(field),
                t::profile_problem(field, code)
            )
        },
        |field| field,
    )
}

/// A profile field's stored value in Dutch, as the dashboard shows it.
fn stored_value(provider: &Organization, field: &str) -> String {
    let text = |value: &Option<String>| {
        value
            .clone()
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| t::NONE_GIVEN.to_owned())
    };
    match field {
        "name" => provider.name.clone(),
        "provider_kind" => provider
            .provider_kind
            .as_deref()
            .map_or(t::NONE_GIVEN, |k| label("provider_kind", k))
            .to_owned(),
        "sectors" => labels("sector", &provider.sectors),
        "province" => provider
            .province
            .as_deref()
            .map_or(t::NONE_GIVEN, |p| label("region", p))
            .to_owned(),
        "website" => text(&provider.website),
        "description" => text(&provider.description),
        "regions" => labels("region", &provider.regions),
        "contact_email" => text(&provider.contact_email),
        "contact_phone" => text(&provider.contact_phone),
        _ => String::new(),
    }
}

/// After a refused stale save: each field whose stored value differs from what the form
/// holds, with the stored value, so the visitor sees what they would overwrite.
fn stored_differences(typed: &ProfileForm, provider: &Organization) -> Vec<(&'static str, String)> {
    let value = |form: &ProfileForm| serde_json::to_value(form).unwrap_or_default();
    let (typed, stored) = (value(typed), value(&ProfileForm::of(provider)));
    let Some(fields) = typed.as_object() else {
        return Vec::new();
    };
    fields
        .iter()
        .filter(|(name, value)| stored.get(name.as_str()).is_some_and(|s| !same(s, value)))
        .map(|(name, _)| (t::profile_field_label(name), stored_value(provider, name)))
        .collect()
}

#[derive(Template)]
#[template(path = "profile_form.html")]
struct ProfilePage {
    page: Layout,
    provider_name: String,
    public_href: String,
    /// What the last action did (after a redirect).
    notice: Option<&'static str>,
    errors: FormErrors,
    csrf: String,
    action: String,
    /// The version the form is based on.
    version: Option<i32>,
    sections: Vec<FormSection>,
    button: &'static str,
    /// After a refused stale save: what is stored now where it differs from the form.
    stored: Vec<(&'static str, String)>,
}

impl ProfilePage {
    fn new(
        visitor: &SignedIn,
        provider: &Organization,
        form: &ProfileForm,
        errors: FormErrors,
    ) -> Self {
        ProfilePage {
            page: visitor.layout(t::PROFILE_EDIT_TITLE, Section::Dashboard),
            provider_name: provider.name.clone(),
            public_href: format!("/aanbieders/{}", provider.id),
            notice: None,
            sections: form.sections(&errors),
            errors,
            csrf: visitor.csrf.token.clone(),
            action: profile_href(provider.id),
            version: Some(provider.version),
            button: t::PROFILE_SAVE_BUTTON,
            stored: Vec::new(),
        }
    }
}

pub fn profile_href(id: OrganizationId) -> String {
    format!("/beheer/aanbieders/{id}/profiel")
}

/// `GET /beheer/aanbieders/{id}/profiel`: the profile's form at its current version, for the
/// provider's managers; others get what the use case says (forbidden, or not found).
pub async fn edit_profile(
    req: HttpRequest,
    state: web::Data<AppState>,
    visitor: SignedIn,
    id: web::Path<String>,
) -> PageResult<HttpResponse> {
    let id: OrganizationId = parse_id(&id)?;
    let mut conn = state.conn().await?;
    let provider =
        organizations::provider_for_profile_editing(&mut conn, &visitor.caller, id).await?;
    let mut page = ProfilePage::new(
        &visitor,
        &provider,
        &ProfileForm::of(&provider),
        FormErrors::default(),
    );
    if query_value(&req, "melding") == "opgeslagen" {
        page.notice = Some(t::PROFILE_SAVED);
    }
    Ok(respond(&visitor.csrf, StatusCode::OK, &page))
}

/// `POST /beheer/aanbieders/{id}/profiel`: saves the profile if it is still at the version the
/// form was loaded at. Otherwise nothing is saved: the form comes back with what was typed,
/// every error at once, or (after someone else's save) what is stored now and the current
/// version, so saving again is a choice made knowing the other change.
pub async fn update_profile(
    state: web::Data<AppState>,
    visitor: SignedIn,
    id: web::Path<String>,
    posted: CsrfForm,
) -> PageResult<HttpResponse> {
    let id: OrganizationId = parse_id(&id)?;
    let form = ProfileForm::posted(&posted);
    let (loaded, expected) = loaded_version(&posted);
    let mut conn = state.conn().await?;
    // A school's managers pass the use case's check too, but this page is a provider's.
    organizations::provider_for_profile_editing(&mut conn, &visitor.caller, id).await?;
    let saved = organizations::update_organization(
        &mut conn,
        &visitor.caller,
        id,
        &expected,
        form.request(),
        state.clock.now(),
    )
    .await;
    let (status, errors) = match refused(
        saved,
        |o| profile_href(o.id),
        profile_errors,
        t::PROFILE_STALE,
    )? {
        Ok(redirect) => return Ok(redirect),
        Err(refusal) => refusal,
    };
    let current =
        organizations::provider_for_profile_editing(&mut conn, &visitor.caller, id).await?;
    let mut page = ProfilePage::new(&visitor, &current, &form, errors);
    if status == StatusCode::CONFLICT {
        page.stored = stored_differences(&form, &current);
    } else {
        // Not saved for errors of its own: the form stays at the version it was loaded at.
        page.version = loaded;
    }
    Ok(respond(&visitor.csrf, status, &page))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_the_use_case_accepts_is_on_the_form_with_a_dutch_label() {
        let request = serde_json::to_value(ProfileForm::default()).unwrap();
        let fields: Vec<&str> = request
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        // The use case refuses unknown fields: each form field is one of its own.
        let json: serde_json::Value = fields
            .iter()
            .map(|f| (f.to_string(), serde_json::Value::Null))
            .collect::<serde_json::Map<_, _>>()
            .into();
        assert!(serde_json::from_value::<UpdateOrganizationRequest>(json).is_ok());
        assert_eq!(fields.len(), 9);
        let sections = ProfileForm::default().sections(&FormErrors::default());
        let controls: usize = sections.iter().map(|s| s.controls.len()).sum();
        assert_eq!(controls, fields.len());
        for field in fields {
            assert_ne!(t::profile_field_label(field), "Veld", "{field}");
        }
    }

    #[test]
    fn an_emptied_box_clears_its_value_and_an_unchosen_kind_keeps_it() {
        let form = ProfileForm {
            name: " Leren & Co ".into(),
            website: "   ".into(),
            contact_phone: "030 123 4567 ".into(),
            ..ProfileForm::default()
        };
        let request = form.request();
        assert_eq!(request.website, Some(None));
        assert_eq!(request.contact_phone, Some(Some("030 123 4567".into())));
        assert_eq!(request.provider_kind, None);
        assert_eq!(request.sectors, Some(vec![]));
    }
}
