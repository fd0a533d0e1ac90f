//! The offering form of the dashboard: every field of the API's offering as a form control
//! with its Dutch label and its choices from the taxonomy, what was typed read back into the
//! use case's `OfferingInput`, and the use case's field errors in Dutch at their controls.
//! The form checks nothing itself: what is valid is `OfferingInput::validate`'s to say.

use crate::db::models::offering::OfferingContent;
use crate::domain::FieldError;
use crate::domain::offering::OfferingInput;
use crate::domain::taxonomy;
use crate::web::csrf::CsrfForm;
use crate::web::form::{Builder, FormErrors, FormSection, pairs};
use crate::web::text as t;

/// What the form holds: as typed (a price is text until it parses), so a refused form shows
/// exactly what was sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OfferingForm {
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
    pub price_min: String,
    pub price_max: String,
    pub evidence_level: String,
    /// One source a line.
    pub evidence_sources: String,
    pub co_creation_phases: Vec<String>,
    pub themes: Vec<String>,
}

/// The price boxes' names; the other controls are named as the API's fields.
const PRICE_MIN: &str = "price_min";
const PRICE_MAX: &str = "price_max";

impl OfferingForm {
    /// The form as posted; a missing field reads as empty.
    pub fn posted(form: &CsrfForm) -> OfferingForm {
        // Browsers send a text area's line breaks as CRLF (HTML's form encoding); the offering
        // stores LF, and a lone CR is a control character the use case refuses.
        let text = |name: &str| form.value(name).replace("\r\n", "\n");
        let list = |name: &str| form.values(name).map(str::to_owned).collect::<Vec<_>>();
        OfferingForm {
            title: text("title"),
            summary: text("summary"),
            description: text("description"),
            domain: text("domain"),
            service_type: text("service_type"),
            sectors: list("sectors"),
            regions: list("regions"),
            formats: list("formats"),
            delivery: list("delivery"),
            duration: text("duration"),
            price_model: text("price_model"),
            price_min: text(PRICE_MIN),
            price_max: text(PRICE_MAX),
            evidence_level: text("evidence_level"),
            evidence_sources: text("evidence_sources"),
            co_creation_phases: list("co_creation_phases"),
            themes: list("themes"),
        }
    }

    /// A new offering's form: nothing chosen but the evidence level the API defaults to.
    pub fn blank() -> OfferingForm {
        OfferingForm {
            evidence_level: "geen".to_owned(),
            ..OfferingForm::default()
        }
    }

    /// The stored offering, as its edit form shows it.
    pub fn of(content: &OfferingContent) -> OfferingForm {
        let c = content.clone();
        OfferingForm {
            title: c.title,
            summary: c.summary,
            description: c.description,
            domain: c.domain,
            service_type: c.service_type,
            sectors: c.sectors,
            regions: c.regions,
            formats: c.formats,
            delivery: c.delivery,
            duration: c.duration,
            price_model: c.price_model,
            price_min: c.price_min_cents.map(euros_typed).unwrap_or_default(),
            price_max: c.price_max_cents.map(euros_typed).unwrap_or_default(),
            evidence_level: c.evidence_level,
            evidence_sources: c.evidence_sources.join("\n"),
            co_creation_phases: c.co_creation_phases,
            themes: c.themes,
        }
    }

    /// A three-way merge after a concurrent edit: each field the visitor left as it was at
    /// `base` (the version the form was loaded at) takes its `current` value; each field the
    /// visitor changed keeps what they typed.
    pub fn merged(&self, base: &OfferingForm, current: &OfferingForm) -> OfferingForm {
        let value = |form: &OfferingForm| serde_json::to_value(form).unwrap_or_default();
        let (mine, base_value, theirs) = (value(self), value(base), value(current));
        let Some(fields) = mine.as_object() else {
            return self.clone();
        };
        let merged: serde_json::Map<String, serde_json::Value> = fields
            .iter()
            .map(|(name, typed)| {
                let kept = if base_value.get(name).is_some_and(|b| same(b, typed)) {
                    theirs.get(name).unwrap_or(typed)
                } else {
                    typed
                };
                (name.clone(), kept.clone())
            })
            .collect();
        serde_json::from_value(serde_json::Value::Object(merged)).unwrap_or_else(|_| self.clone())
    }

    /// The use case's input, and the errors of prices that are no amount (the input then has
    /// no price there; the use case must not run on it).
    pub fn input(&self) -> (OfferingInput, Vec<FieldError>) {
        let mut errors = Vec::new();
        let mut amount = |field: &str, typed: &str| match parse_euros(typed) {
            Ok(cents) => cents,
            Err(()) => {
                errors.push(FieldError::new(
                    field,
                    "invalid",
                    "is not an amount in euros",
                ));
                None
            }
        };
        let price_min_cents = amount("price_min_cents", &self.price_min);
        let price_max_cents = amount("price_max_cents", &self.price_max);
        let input = OfferingInput {
            title: self.title.clone(),
            summary: self.summary.clone(),
            description: self.description.clone(),
            domain: self.domain.clone(),
            service_type: self.service_type.clone(),
            sectors: self.sectors.clone(),
            regions: self.regions.clone(),
            formats: self.formats.clone(),
            delivery: self.delivery.clone(),
            duration: self.duration.clone(),
            price_model: self.price_model.clone(),
            price_min_cents,
            price_max_cents,
            evidence_level: self.evidence_level.clone(),
            evidence_sources: self
                .evidence_sources
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
            co_creation_phases: self.co_creation_phases.clone(),
            themes: self.themes.clone(),
        };
        (input, errors)
    }
}

/// Whether two values of a field are the same: a list of codes as a set, since boxes post
/// their values in the form's order, not in the order they were stored.
pub fn same(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    match (a.as_array(), b.as_array()) {
        (Some(a), Some(b)) => {
            let sorted = |list: &[serde_json::Value]| {
                let mut items: Vec<String> = list.iter().map(|v| v.to_string()).collect();
                items.sort();
                items
            };
            sorted(a) == sorted(b)
        }
        _ => a == b,
    }
}

/// Cents as the price box shows them: `450`, `1250,50`.
pub(crate) fn euros_typed(cents: i64) -> String {
    let (whole, rest) = (cents / 100, (cents % 100).abs());
    if rest == 0 {
        whole.to_string()
    } else {
        format!("{whole},{rest:02}")
    }
}

/// An amount in euros as a Dutch reader types it (`450`, `1.250,50`, `€ 450`, `450.5`), in
/// cents; empty is no amount. A sign is kept, so the use case can say a price is out of range.
pub(crate) fn parse_euros(typed: &str) -> Result<Option<i64>, ()> {
    let cleaned: String = typed
        .trim()
        .trim_start_matches('€')
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if cleaned.is_empty() {
        return Ok(None);
    }
    let (negative, digits) = match cleaned.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, cleaned.as_str()),
    };
    // A comma is the decimal sign and dots group thousands; without a comma, a dot before one
    // or two final digits is a decimal point (450.50) and other dots group thousands (1.250).
    let (whole, fraction) = match digits.rsplit_once(',') {
        Some((whole, fraction)) => (whole.replace('.', ""), fraction.to_owned()),
        None => match digits.rsplit_once('.') {
            Some((whole, fraction)) if (1..=2).contains(&fraction.len()) => {
                (whole.replace('.', ""), fraction.to_owned())
            }
            _ => (digits.replace('.', ""), String::new()),
        },
    };
    let all_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || !all_digits(&whole) || !all_digits(&fraction) || fraction.len() > 2 {
        return Err(());
    }
    let whole: i64 = whole.parse().map_err(|_| ())?;
    let fraction: i64 = format!("{fraction:0<2}").parse().map_err(|_| ())?;
    let cents = whole
        .checked_mul(100)
        .and_then(|c| c.checked_add(fraction))
        .ok_or(())?;
    Ok(Some(if negative { -cents } else { cents }))
}

/// The field errors (parse errors first, then the use case's) in Dutch, each at its control.
pub fn form_errors(errors: &[FieldError]) -> FormErrors {
    FormErrors::at_controls(
        errors,
        |field, code, item| {
            format!(
                "{}: {}",
                t::offering_field_label(field),
                t::offering_problem(field, code, item)
            )
        },
        control,
    )
}

/// The control of an API field.
fn control(field: &str) -> &str {
    match field {
        "price_min_cents" => PRICE_MIN,
        "price_max_cents" => PRICE_MAX,
        other => other,
    }
}

impl OfferingForm {
    /// The form's controls in sections, showing the values and each control's error.
    pub fn sections(&self, errors: &FormErrors) -> Vec<FormSection> {
        let b = Builder { errors };
        let service_types = taxonomy::DOMAINS
            .iter()
            .map(|domain| {
                let types = taxonomy::SERVICE_TYPES
                    .iter()
                    .filter(|s| s.domain == domain.code)
                    .map(|s| (s.code, s.nl))
                    .collect();
                (Some(domain.nl), types)
            })
            .collect();
        vec![
            FormSection {
                legend: t::FORM_TEXTS,
                controls: vec![
                    b.text("title", t::TITLE_LABEL, None, &self.title, 0),
                    b.text(
                        "summary",
                        t::SUMMARY_LABEL,
                        Some(t::SUMMARY_HINT),
                        &self.summary,
                        3,
                    ),
                    b.text(
                        "description",
                        t::DESCRIPTION_LABEL,
                        Some(t::DESCRIPTION_HINT),
                        &self.description,
                        10,
                    ),
                ],
            },
            FormSection {
                legend: t::FORM_KIND,
                controls: vec![
                    b.select("domain", t::DOMAIN, None, taxonomy::DOMAINS, &self.domain),
                    b.select_groups(
                        "service_type",
                        t::SERVICE_TYPE,
                        Some(t::SERVICE_TYPE_HINT),
                        service_types,
                        &self.service_type,
                    ),
                ],
            },
            FormSection {
                legend: t::FORM_AUDIENCE,
                controls: vec![b.sectors(&self.sectors), b.regions(&self.regions)],
            },
            FormSection {
                legend: t::FORM_FORM,
                controls: vec![
                    b.boxes(
                        "formats",
                        t::FORMATS,
                        None,
                        &pairs(taxonomy::FORMATS),
                        &self.formats,
                    ),
                    b.boxes(
                        "delivery",
                        t::DELIVERY,
                        None,
                        &pairs(taxonomy::DELIVERY),
                        &self.delivery,
                    ),
                    b.select(
                        "duration",
                        t::DURATION,
                        None,
                        taxonomy::DURATIONS,
                        &self.duration,
                    ),
                ],
            },
            FormSection {
                legend: t::FORM_PRICE,
                controls: vec![
                    b.select(
                        "price_model",
                        t::PRICE_MODEL_LABEL,
                        None,
                        taxonomy::PRICE_MODELS,
                        &self.price_model,
                    ),
                    b.numeric(
                        PRICE_MIN,
                        t::OFFERING_PRICE_MIN_LABEL,
                        Some(t::PRICE_HINT),
                        &self.price_min,
                    ),
                    b.numeric(
                        PRICE_MAX,
                        t::OFFERING_PRICE_MAX_LABEL,
                        Some(t::PRICE_HINT),
                        &self.price_max,
                    ),
                ],
            },
            FormSection {
                legend: t::FORM_EVIDENCE,
                controls: vec![
                    b.select(
                        "evidence_level",
                        t::EVIDENCE,
                        None,
                        taxonomy::EVIDENCE_LEVELS,
                        &self.evidence_level,
                    ),
                    b.text(
                        "evidence_sources",
                        t::SOURCES_LABEL,
                        Some(t::SOURCES_HINT),
                        &self.evidence_sources,
                        3,
                    ),
                ],
            },
            FormSection {
                legend: t::FORM_MORE,
                controls: vec![
                    b.boxes(
                        "co_creation_phases",
                        t::CO_CREATION,
                        Some(t::CO_CREATION_HINT),
                        &pairs(taxonomy::CO_CREATION_PHASES),
                        &self.co_creation_phases,
                    ),
                    b.boxes(
                        "themes",
                        t::THEMES,
                        Some(t::THEMES_HINT),
                        &pairs(taxonomy::THEMES),
                        &self.themes,
                    ),
                ],
            },
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_read_as_dutch_readers_type_them() {
        for (typed, cents) in [
            ("", None),
            ("  ", None),
            ("450", Some(45_000)),
            ("€ 450", Some(45_000)),
            ("1.250", Some(125_000)),
            ("1.250,50", Some(125_050)),
            ("1250,5", Some(125_050)),
            ("450.50", Some(45_050)),
            ("-5", Some(-500)),
        ] {
            assert_eq!(parse_euros(typed), Ok(cents), "{typed:?}");
        }
        for bad in [
            "vijftig",
            "4,5,0",
            "1,234",
            "12e3",
            "99999999999999999999",
            ",5",
            "€",
        ] {
            if bad == "€" {
                assert_eq!(parse_euros(bad), Ok(None));
            } else {
                assert_eq!(parse_euros(bad), Err(()), "{bad:?}");
            }
        }
    }

    #[test]
    fn a_merge_keeps_what_was_typed_and_takes_the_other_edit_elsewhere() {
        let base = OfferingForm {
            title: "Oud".into(),
            summary: "Samenvatting".into(),
            sectors: vec!["po".into()],
            ..OfferingForm::blank()
        };
        let mut mine = base.clone();
        mine.summary = "Mijn samenvatting".into();
        let mut theirs = base.clone();
        theirs.title = "Nieuw van de ander".into();
        theirs.summary = "Hun samenvatting".into();
        theirs.sectors = vec!["vo".into()];
        let merged = mine.merged(&base, &theirs);
        assert_eq!(merged.title, "Nieuw van de ander");
        // Boxes post in the form's order: the same set is no change of the visitor's.
        let base = OfferingForm {
            regions: vec!["utrecht".into(), "gelderland".into()],
            ..base
        };
        let mine = OfferingForm {
            regions: vec!["gelderland".into(), "utrecht".into()],
            ..mine
        };
        let theirs = OfferingForm {
            regions: vec!["landelijk".into()],
            ..theirs
        };
        assert_eq!(
            mine.merged(&base, &theirs).regions,
            vec!["landelijk".to_owned()]
        );
        assert_eq!(merged.summary, "Mijn samenvatting");
        assert_eq!(merged.sectors, vec!["vo".to_owned()]);
    }

    #[test]
    fn a_stored_price_reads_back_as_it_was_typed() {
        for cents in [0, 45_000, 125_050, 9_500] {
            assert_eq!(parse_euros(&euros_typed(cents)), Ok(Some(cents)));
        }
    }

    #[test]
    fn listed_values_errors_go_to_their_group_and_sources_are_counted_from_one() {
        let errors = form_errors(&[
            FieldError::new("sectors[1]", "unknown_code", ""),
            FieldError::new("sectors[2]", "duplicate", ""),
            FieldError::new("evidence_sources[1]", "invalid", ""),
            FieldError::new("price_min_cents", "required", ""),
        ]);
        assert_eq!(errors.list().len(), 3);
        assert_eq!(
            errors.of("sectors"),
            Some("Sectoren: kies een van de mogelijkheden uit de lijst")
        );
        assert!(errors.of("evidence_sources").unwrap().contains("bron 2 "));
        assert_eq!(errors.list()[2].anchor, "veld-price_min");
    }
}
