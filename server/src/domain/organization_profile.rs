//! What makes an organisation's profile valid: known codes, register identifiers that fit its
//! kind, and contact details for providers only.

use serde::Deserialize;

use crate::domain::organization::{OrganizationKind, board_number, brin, kvk_number};
use crate::domain::taxonomy::{self, PROVIDER_KINDS};
use crate::domain::validation::website;
use crate::domain::{DomainError, EmailAddress, FieldError, Fields};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOrganizationRequest {
    /// `school_board`, `school`, `network` or `provider`.
    pub kind: String,
    pub name: String,
    /// Providers: the eight-digit KvK number.
    pub kvk_number: Option<String>,
    /// Providers: `commercieel`, `zzp`, `non_profit`, `kennisinstelling` or `publiek`.
    pub provider_kind: Option<String>,
    /// Schools: the BRIN code (`12AB`).
    pub brin: Option<String>,
    /// School boards: the bevoegd-gezagnummer; schools: their board's, to link them.
    pub board_number: Option<String>,
    #[serde(default)]
    pub sectors: Vec<String>,
    pub province: Option<String>,
    pub website: Option<String>,
    pub description: Option<String>,
    /// Providers: the regions they work in (provinces or `landelijk`).
    #[serde(default)]
    pub regions: Vec<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
}

/// Shared checks of the profile fields that creation and update both accept.
pub fn check_profile(
    fields: &mut Fields,
    sectors: &[String],
    province: Option<&str>,
    site: Option<&str>,
    description: Option<&str>,
) -> (Option<String>, Option<String>, Option<String>) {
    for (i, sector) in sectors.iter().enumerate() {
        if !taxonomy::is_code(taxonomy::SECTORS, sector) {
            fields.push(
                format!("sectors[{i}]"),
                "unknown_code",
                format!("must be one of {}", taxonomy::codes(taxonomy::SECTORS)),
            );
        }
    }
    let province = province.and_then(|p| {
        if taxonomy::is_code(taxonomy::PROVINCES, p) {
            Some(p.to_owned())
        } else {
            fields.push(
                "province",
                "unknown_code",
                format!("must be one of {}", taxonomy::codes(taxonomy::PROVINCES)),
            );
            None
        }
    });
    let site = site.and_then(|w| fields.check("website", website(w)));
    let description = description.and_then(|d| fields.text("description", d, 5000));
    (province, site, description)
}

pub struct Contact {
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// Regions served and contact details: provider profiles only.
pub fn check_contact(
    fields: &mut Fields,
    is_provider: bool,
    regions: &[String],
    email: Option<&str>,
    phone: Option<&str>,
) -> Contact {
    if !is_provider {
        for (field, given) in [
            ("regions", !regions.is_empty()),
            ("contact_email", email.is_some()),
            ("contact_phone", phone.is_some()),
        ] {
            if given {
                fields.push(field, "not_applicable", "applies to providers only");
            }
        }
        return Contact {
            email: None,
            phone: None,
        };
    }
    for (i, region) in regions.iter().enumerate() {
        if !taxonomy::is_region(region) {
            fields.push(
                format!("regions[{i}]"),
                "unknown_code",
                "must be a province code or landelijk",
            );
        }
    }
    let email = email.and_then(|e| {
        fields
            .check("contact_email", EmailAddress::parse(e))
            .map(|e| e.as_str().to_owned())
    });
    let phone = phone.and_then(|p| {
        let digits = p.chars().filter(char::is_ascii_digit).count();
        let allowed = p.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c));
        if allowed && (10..=15).contains(&digits) {
            Some(p.trim().to_owned())
        } else {
            fields.push(
                "contact_phone",
                "invalid",
                "must be a phone number such as 030 123 4567 or +31 30 123 4567",
            );
            None
        }
    });
    Contact { email, phone }
}

pub fn check_provider_kind(fields: &mut Fields, value: &str) -> Option<String> {
    if taxonomy::is_code(PROVIDER_KINDS, value) {
        Some(value.to_owned())
    } else {
        fields.push(
            "provider_kind",
            "unknown_code",
            format!("must be one of {}", taxonomy::codes(PROVIDER_KINDS)),
        );
        None
    }
}

/// A registration that passed every rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidNewOrganization {
    pub kind: OrganizationKind,
    pub name: String,
    pub kvk_number: Option<String>,
    pub provider_kind: Option<String>,
    pub brin: Option<String>,
    /// Boards: their own number; schools: their board's, to link them.
    pub board_number: Option<String>,
    pub sectors: Vec<String>,
    pub province: Option<String>,
    pub website: Option<String>,
    pub description: Option<String>,
    pub regions: Vec<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
}

/// The provider kind a request names: for providers only, and required when one registers.
pub fn provider_kind(
    fields: &mut Fields,
    value: Option<&str>,
    kind: Option<OrganizationKind>,
    required: bool,
) -> Option<String> {
    match (value, kind) {
        (Some(v), Some(OrganizationKind::Provider)) => check_provider_kind(fields, v),
        (None, Some(OrganizationKind::Provider)) if required => {
            fields.push("provider_kind", "required", "is required for providers");
            None
        }
        (Some(_), _) => {
            fields.push(
                "provider_kind",
                "not_applicable",
                "applies to providers only",
            );
            None
        }
        (None, _) => None,
    }
}

impl CreateOrganizationRequest {
    /// The organisation to register, or every field error at once.
    pub fn validate(self) -> Result<ValidNewOrganization, DomainError> {
        let mut fields = Fields::new();
        let kind = OrganizationKind::parse(&self.kind);
        if kind.is_none() {
            fields.push(
                "kind",
                "unknown_code",
                "must be one of school_board, school, network, provider",
            );
        }
        let name = fields.text("name", &self.name, 200);
        let (province, site, description) = check_profile(
            &mut fields,
            &self.sectors,
            self.province.as_deref(),
            self.website.as_deref(),
            self.description.as_deref(),
        );
        let mut identifier =
            |field: &'static str,
             value: &Option<String>,
             wanted: bool,
             parse: fn(&str) -> Result<String, FieldError>| {
                match (value, wanted) {
                    (Some(v), true) => fields.check(field, parse(v)),
                    (None, true) => {
                        fields.push(
                            field,
                            "required",
                            "is required for this kind of organisation",
                        );
                        None
                    }
                    (Some(_), false) => {
                        fields.push(
                            field,
                            "not_applicable",
                            "does not apply to this kind of organisation",
                        );
                        None
                    }
                    (None, false) => None,
                }
            };
        let is = |k: OrganizationKind| kind == Some(k);
        let kvk = identifier(
            "kvk_number",
            &self.kvk_number,
            is(OrganizationKind::Provider),
            kvk_number,
        );
        let brin_code = identifier("brin", &self.brin, is(OrganizationKind::School), brin);
        // A school may name its board's number to be linked to it; a board must have one.
        let board_no = match (&self.board_number, kind) {
            (Some(v), Some(OrganizationKind::School)) => {
                fields.check("board_number", board_number(v))
            }
            (value, _) => identifier(
                "board_number",
                value,
                is(OrganizationKind::SchoolBoard),
                board_number,
            ),
        };
        let provider_kind = provider_kind(&mut fields, self.provider_kind.as_deref(), kind, true);
        let contact = check_contact(
            &mut fields,
            kind == Some(OrganizationKind::Provider),
            &self.regions,
            self.contact_email.as_deref(),
            self.contact_phone.as_deref(),
        );
        let parsed = (|| Some((kind?, name?)))();
        let (kind, name) = fields.finish_with(parsed)?;
        Ok(ValidNewOrganization {
            kind,
            name,
            kvk_number: kvk,
            provider_kind,
            brin: brin_code,
            board_number: board_no,
            sectors: self.sectors,
            province,
            website: site,
            description,
            regions: self.regions,
            contact_email: contact.email,
            contact_phone: contact.phone,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provider() -> CreateOrganizationRequest {
        CreateOrganizationRequest {
            kind: "provider".into(),
            name: " CPS Onderwijsontwikkeling ".into(),
            kvk_number: Some("12345678".into()),
            provider_kind: Some("commercieel".into()),
            brin: None,
            board_number: None,
            sectors: vec!["po".into()],
            province: Some("utrecht".into()),
            website: Some("https://www.cps.nl".into()),
            description: None,
            regions: vec!["landelijk".into()],
            contact_email: Some("info@cps.nl".into()),
            contact_phone: Some("033 453 4343".into()),
        }
    }

    fn codes(request: CreateOrganizationRequest) -> Vec<(String, &'static str)> {
        match request.validate() {
            Err(DomainError::Invalid(errors)) => {
                errors.into_iter().map(|e| (e.field, e.code)).collect()
            }
            other => panic!("expected field errors, got {other:?}"),
        }
    }

    #[test]
    fn a_provider_registers_with_its_kvk_number_and_contact() {
        let valid = provider().validate().unwrap();
        assert_eq!(valid.kind, OrganizationKind::Provider);
        assert_eq!(valid.name, "CPS Onderwijsontwikkeling");
        assert_eq!(valid.contact_email.as_deref(), Some("info@cps.nl"));
    }

    #[test]
    fn identifiers_and_contact_must_fit_the_kind() {
        let mut school = provider();
        school.kind = "school".into();
        school.provider_kind = None;
        assert_eq!(
            codes(school),
            [
                ("kvk_number".to_owned(), "not_applicable"),
                ("brin".to_owned(), "required"),
                ("regions".to_owned(), "not_applicable"),
                ("contact_email".to_owned(), "not_applicable"),
                ("contact_phone".to_owned(), "not_applicable"),
            ]
        );
        let mut unknown = provider();
        unknown.kind = "sekte".into();
        unknown.name = String::new();
        let found = codes(unknown);
        assert!(found.contains(&("kind".to_owned(), "unknown_code")));
        assert!(found.contains(&("name".to_owned(), "required")));
    }
}
