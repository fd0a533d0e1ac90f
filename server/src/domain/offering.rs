//! What makes an offering valid: every code exists, the service type belongs to the domain,
//! prices fit their model, and a claim of evidence names its sources.

use serde::Deserialize;

use crate::domain::cost::PriceModel;
use crate::domain::taxonomy::{self, Code};
use crate::domain::validation::text;
use crate::domain::{DomainError, Fields};

pub const TITLE_MAX: usize = 150;
pub const SUMMARY_MAX: usize = 500;
pub const DESCRIPTION_MAX: usize = 10_000;
/// A hundred million euro: far above any real offering, far below overflow in cost sums.
pub const PRICE_MAX_CENTS: i64 = 10_000_000_000;
pub const SOURCES_MAX: usize = 10;

/// An offering as a provider sends it (create), or as it results from a patch.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfferingInput {
    pub title: String,
    pub summary: String,
    pub description: String,
    pub domain: String,
    pub service_type: String,
    pub sectors: Vec<String>,
    pub regions: Vec<String>,
    pub formats: Vec<String>,
    pub delivery: Vec<String>,
    pub duration: String,
    pub price_model: String,
    pub price_min_cents: Option<i64>,
    pub price_max_cents: Option<i64>,
    #[serde(default = "not_assessed")]
    pub evidence_level: String,
    #[serde(default)]
    pub evidence_sources: Vec<String>,
    #[serde(default)]
    pub co_creation_phases: Vec<String>,
    #[serde(default)]
    pub themes: Vec<String>,
}

fn not_assessed() -> String {
    "geen".into()
}

/// An offering that passed every rule, normalised (texts trimmed, the maximum price defaulted
/// to the minimum): what may be stored. Only `OfferingInput::validate` makes one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidOffering(OfferingInput);

impl ValidOffering {
    pub fn into_inner(self) -> OfferingInput {
        self.0
    }
}

pub(crate) fn one_of(
    fields: &mut Fields,
    field: &str,
    list: &[Code],
    value: &str,
) -> Option<String> {
    if taxonomy::is_code(list, value) {
        Some(value.to_owned())
    } else {
        fields.push(
            field,
            "unknown_code",
            format!("must be one of {}", taxonomy::codes(list)),
        );
        None
    }
}

/// A list of codes: each known, none twice, and (when `required`) at least one.
pub(crate) fn codes(
    fields: &mut Fields,
    field: &str,
    values: &[String],
    required: bool,
    known: impl Fn(&str) -> bool,
) -> Vec<String> {
    if required && values.is_empty() {
        fields.push(field, "required", "name at least one");
    }
    let mut seen = Vec::with_capacity(values.len());
    for (i, value) in values.iter().enumerate() {
        if !known(value) {
            fields.push(
                format!("{field}[{i}]"),
                "unknown_code",
                format!("`{value}` is not a known code"),
            );
        } else if seen.contains(value) {
            fields.push(
                format!("{field}[{i}]"),
                "duplicate",
                format!("`{value}` is listed twice"),
            );
        } else {
            seen.push(value.clone());
        }
    }
    seen
}

/// A known service type of `domain` (when the domain is known).
pub(crate) fn service_type(fields: &mut Fields, domain: Option<&str>, raw: &str) -> Option<String> {
    match taxonomy::service_type(raw) {
        None => {
            fields.push(
                "service_type",
                "unknown_code",
                "is not a known service type",
            );
            None
        }
        Some(service) if domain.is_some_and(|d| d != service.domain) => {
            fields.push(
                "service_type",
                "wrong_domain",
                format!("belongs to the domain {}", service.domain),
            );
            None
        }
        Some(service) => Some(service.code.to_owned()),
    }
}

impl OfferingInput {
    pub fn validate(self) -> Result<ValidOffering, DomainError> {
        let mut fields = Fields::new();
        let title = fields.text("title", &self.title, TITLE_MAX);
        let summary = fields.text("summary", &self.summary, SUMMARY_MAX);
        let description = fields.check("description", text(&self.description, DESCRIPTION_MAX));
        let domain = one_of(&mut fields, "domain", taxonomy::DOMAINS, &self.domain);
        let service_type = service_type(&mut fields, domain.as_deref(), &self.service_type);
        let sectors = codes(&mut fields, "sectors", &self.sectors, true, |c| {
            taxonomy::is_code(taxonomy::SECTORS, c)
        });
        let regions = codes(
            &mut fields,
            "regions",
            &self.regions,
            true,
            taxonomy::is_region,
        );
        let formats = codes(&mut fields, "formats", &self.formats, true, |c| {
            taxonomy::is_code(taxonomy::FORMATS, c)
        });
        let delivery = codes(&mut fields, "delivery", &self.delivery, true, |c| {
            taxonomy::is_code(taxonomy::DELIVERY, c)
        });
        let duration = one_of(&mut fields, "duration", taxonomy::DURATIONS, &self.duration);
        let price_model = PriceModel::parse(&self.price_model);
        if price_model.is_none() {
            fields.push(
                "price_model",
                "unknown_code",
                format!("must be one of {}", taxonomy::codes(taxonomy::PRICE_MODELS)),
            );
        }
        let (price_min_cents, price_max_cents) = check_prices(
            &mut fields,
            price_model,
            self.price_min_cents,
            self.price_max_cents,
        );
        let evidence_level = one_of(
            &mut fields,
            "evidence_level",
            taxonomy::EVIDENCE_LEVELS,
            &self.evidence_level,
        );
        let evidence_sources = check_sources(
            &mut fields,
            evidence_level.as_deref(),
            &self.evidence_sources,
        );
        let co_creation_phases = codes(
            &mut fields,
            "co_creation_phases",
            &self.co_creation_phases,
            false,
            |c| taxonomy::is_code(taxonomy::CO_CREATION_PHASES, c),
        );
        let themes = codes(&mut fields, "themes", &self.themes, false, |c| {
            taxonomy::is_code(taxonomy::THEMES, c)
        });
        // Each required part parsed, or its field error is listed.
        let parsed = (|| {
            Some((
                title?,
                summary?,
                description?,
                domain?,
                service_type?,
                duration?,
                price_model?,
                evidence_level?,
            ))
        })();
        let (
            title,
            summary,
            description,
            domain,
            service_type,
            duration,
            price_model,
            evidence_level,
        ) = fields.finish_with(parsed)?;
        Ok(ValidOffering(OfferingInput {
            title,
            summary,
            description,
            domain,
            service_type,
            sectors,
            regions,
            formats,
            delivery,
            duration,
            price_model: price_model.as_str().to_owned(),
            price_min_cents,
            price_max_cents,
            evidence_level,
            evidence_sources,
            co_creation_phases,
            themes,
        }))
    }
}

/// "On request" has no prices; every other model needs a minimum, and a maximum (defaulting to
/// the minimum) no lower than it.
fn check_prices(
    fields: &mut Fields,
    model: Option<PriceModel>,
    min: Option<i64>,
    max: Option<i64>,
) -> (Option<i64>, Option<i64>) {
    let in_range = |v: i64| (0..=PRICE_MAX_CENTS).contains(&v);
    match model {
        Some(PriceModel::OpAanvraag) => {
            for (field, value) in [("price_min_cents", min), ("price_max_cents", max)] {
                if value.is_some() {
                    fields.push(field, "not_applicable", "a price on request has no amounts");
                }
            }
            (None, None)
        }
        _ => {
            let Some(min) = min else {
                fields.push(
                    "price_min_cents",
                    "required",
                    "is required unless the price is on request",
                );
                return (None, None);
            };
            let max = max.unwrap_or(min);
            let message = format!("must be between 0 and {PRICE_MAX_CENTS} cents");
            if !in_range(min) {
                fields.push("price_min_cents", "out_of_range", message.clone());
            }
            if !in_range(max) {
                fields.push("price_max_cents", "out_of_range", message);
            } else if max < min {
                fields.push(
                    "price_max_cents",
                    "out_of_range",
                    "must not be below price_min_cents",
                );
            }
            (Some(min), Some(max))
        }
    }
}

/// Sources are https links; a level above "not assessed" needs at least one.
fn check_sources(fields: &mut Fields, level: Option<&str>, sources: &[String]) -> Vec<String> {
    if sources.len() > SOURCES_MAX {
        fields.push(
            "evidence_sources",
            "too_long",
            format!("name at most {SOURCES_MAX} sources"),
        );
    }
    if level.is_some_and(|l| l != "geen") && sources.is_empty() {
        fields.push(
            "evidence_sources",
            "required",
            "an evidence level above `geen` needs at least one https source",
        );
    }
    let mut valid = Vec::new();
    for (i, source) in sources.iter().enumerate() {
        let source = source.trim();
        let host = source
            .strip_prefix("https://")
            .map(|rest| rest.split(['/', '?', '#']).next().unwrap_or(""));
        // A control character (a NUL) is no part of a URL, and PostgreSQL refuses NUL in text.
        let ok = source.len() <= 2000
            && !source.contains(|c: char| c.is_whitespace() || c.is_control())
            && host.is_some_and(|h| h.contains('.'));
        if ok {
            valid.push(source.to_owned());
        } else {
            fields.push(
                format!("evidence_sources[{i}]"),
                "invalid",
                "must be an https URL",
            );
        }
    }
    valid
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn sample() -> OfferingInput {
        OfferingInput {
            title: "Leesinterventie dyslexie".into(),
            summary: "Begeleiding van leerlingen met dyslexie".into(),
            description: "Een traject van zes maanden.".into(),
            domain: "leerlingenzorg".into(),
            service_type: "zorg_leerproblemen".into(),
            sectors: vec!["po".into()],
            regions: vec!["utrecht".into(), "landelijk".into()],
            formats: vec!["begeleidingstraject".into()],
            delivery: vec!["op_locatie".into()],
            duration: "traject".into(),
            price_model: "per_leerling_per_jaar".into(),
            price_min_cents: Some(1_200),
            price_max_cents: None,
            evidence_level: "geen".into(),
            evidence_sources: vec![],
            co_creation_phases: vec![],
            themes: vec!["inclusief_onderwijs".into()],
        }
    }

    fn errors(input: OfferingInput) -> Vec<(String, &'static str)> {
        match input.validate() {
            Err(DomainError::Invalid(errors)) => {
                errors.into_iter().map(|e| (e.field, e.code)).collect()
            }
            other => panic!("expected field errors, got {other:?}"),
        }
    }

    #[test]
    fn a_complete_offering_is_valid_and_the_maximum_defaults_to_the_minimum() {
        let content = sample().validate().unwrap();
        assert_eq!(content.into_inner().price_max_cents, Some(1_200));
    }

    #[test]
    fn a_service_type_must_belong_to_its_domain() {
        let mut input = sample();
        input.service_type = "prof_teamleiders".into();
        assert_eq!(errors(input), [("service_type".to_owned(), "wrong_domain")]);
    }

    #[test]
    fn evidence_above_not_assessed_needs_an_https_source() {
        let mut input = sample();
        input.evidence_level = "effectief_eerste_aanwijzingen".into();
        assert_eq!(
            errors(input.clone()),
            [("evidence_sources".to_owned(), "required")]
        );
        input.evidence_sources = vec!["http://example.org/study".into()];
        assert_eq!(
            errors(input.clone()),
            [("evidence_sources[0]".to_owned(), "invalid")]
        );
        input.evidence_sources = vec!["https://www.nji.nl/x\0y".into()];
        assert_eq!(
            errors(input.clone()),
            [("evidence_sources[0]".to_owned(), "invalid")]
        );
        input.evidence_sources = vec!["https://www.nji.nl/interventies/x".into()];
        assert!(input.validate().is_ok());
    }

    #[test]
    fn prices_fit_their_model() {
        let mut input = sample();
        input.price_min_cents = Some(5_000);
        input.price_max_cents = Some(4_000);
        assert_eq!(
            errors(input.clone()),
            [("price_max_cents".to_owned(), "out_of_range")]
        );
        input.price_model = "op_aanvraag".into();
        assert_eq!(errors(input.clone()).len(), 2);
        input.price_min_cents = None;
        input.price_max_cents = None;
        assert!(input.validate().is_ok());
        let mut negative = sample();
        negative.price_min_cents = Some(-1);
        assert_eq!(
            errors(negative),
            [
                ("price_min_cents".to_owned(), "out_of_range"),
                ("price_max_cents".to_owned(), "out_of_range")
            ]
        );
    }

    #[test]
    fn every_unknown_or_repeated_code_is_named() {
        let mut input = sample();
        input.sectors = vec!["po".into(), "hbo".into(), "po".into()];
        input.regions = vec![];
        input.themes = vec!["astrologie".into()];
        let found = errors(input);
        assert_eq!(
            found,
            [
                ("sectors[1]".to_owned(), "unknown_code"),
                ("sectors[2]".to_owned(), "duplicate"),
                ("regions".to_owned(), "required"),
                ("themes[0]".to_owned(), "unknown_code"),
            ]
        );
    }
}
