//! Form helpers of the GOV.UK and NL Design System pattern: an error summary at the top of a
//! failed form linking to each field, and each field's message tied to its control
//! (`aria-describedby`), in Dutch. Every form of the pages (search now; sign-up, offerings,
//! shortlists later) renders its errors through `FormErrors` and `templates/form.html`. Longer
//! forms (an offering, a provider's profile) are built as `FormSection`s of `Control`s with
//! `Builder`, and rendered by the `sectioned_form` macro of `templates/form.html`.

use crate::domain::FieldError;
use crate::domain::taxonomy::{self, Code};
use crate::web::text as t;

/// One error as a page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageFieldError {
    /// The form control's name.
    pub field: String,
    /// The `id` of the control the summary links to.
    pub anchor: String,
    /// The message in Dutch, naming the field.
    pub message: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormErrors {
    errors: Vec<PageFieldError>,
}

impl FormErrors {
    /// Field errors (from a parser, a rule or a use case) in Dutch: `label` names a field,
    /// `problem` says what to do about an error code, `anchor` gives a field's control id.
    pub fn from_fields(
        errors: &[FieldError],
        label: impl Fn(&str) -> &'static str,
        problem: impl Fn(&str) -> &'static str,
        anchor: impl Fn(&str) -> String,
    ) -> FormErrors {
        FormErrors::from_messages(
            errors,
            |e| format!("{}: {}", label(&e.field), problem(e.code)),
            anchor,
        )
    }

    /// Field errors whose Dutch message depends on more than the field's label and the code
    /// (an item's place in a list, a code that means different things per field).
    pub fn from_messages(
        errors: &[FieldError],
        message: impl Fn(&FieldError) -> String,
        anchor: impl Fn(&str) -> String,
    ) -> FormErrors {
        let mut shown: Vec<PageFieldError> = Vec::new();
        for error in errors {
            let message = message(error);
            // The same field wrong twice (a repeated parameter) is said once.
            if !shown.iter().any(|e| e.field == error.field) {
                shown.push(PageFieldError {
                    field: error.field.clone(),
                    anchor: anchor(&error.field),
                    message,
                });
            }
        }
        FormErrors { errors: shown }
    }

    /// A use case's field errors in Dutch, each at its control (`veld-<control>`): a listed
    /// value's error (`sectors[2]`) at its group of boxes. `message` says it for the field, the
    /// code and the 1-based place of a listed value; `control` names a field's control.
    pub fn at_controls(
        errors: &[FieldError],
        message: impl Fn(&str, &str, Option<usize>) -> String,
        control: impl Fn(&str) -> &str,
    ) -> FormErrors {
        let named: Vec<FieldError> = errors
            .iter()
            .map(|e| {
                let (field, item) = split_item(&e.field);
                FieldError::new(control(field), e.code, message(field, e.code, item))
            })
            .collect();
        FormErrors::from_messages(&named, |e| e.message.clone(), |f| format!("veld-{f}"))
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    pub fn list(&self) -> &[PageFieldError] {
        &self.errors
    }

    /// The message of `field`, when it has one.
    pub fn of(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    /// The names of the fields in error.
    pub fn fields(&self) -> impl Iterator<Item = &str> {
        self.errors.iter().map(|e| e.field.as_str())
    }
}

/// Codes with their Dutch labels, in the order offered.
pub type Pairs = Vec<(&'static str, &'static str)>;

/// One choice of a select or a group of boxes.
pub struct Choice {
    pub id: String,
    pub value: &'static str,
    pub label: &'static str,
    pub chosen: bool,
}

/// Options under a heading (`<optgroup>`), or without one.
pub struct ChoiceGroup {
    pub label: Option<&'static str>,
    pub choices: Vec<Choice>,
}

/// What every control shows: its name (also its error's key), id, label, hint and error.
pub struct ControlHead {
    pub name: &'static str,
    pub id: String,
    pub label: &'static str,
    pub hint: Option<&'static str>,
    pub error: Option<String>,
}

impl ControlHead {
    /// The ids the control is described by (its hint, its error), for `aria-describedby`.
    pub fn described_by(&self) -> String {
        let mut ids = Vec::new();
        if self.hint.is_some() {
            ids.push(format!("{}-hint", self.id));
        }
        if self.error.is_some() {
            ids.push(format!("{}-fout", self.id));
        }
        ids.join(" ")
    }
}

pub enum Control {
    Text {
        head: ControlHead,
        value: String,
        /// Rows of a text area; 0 is a one-line box.
        rows: u8,
        numeric: bool,
        /// A date and time (`datetime-local`; browsers without it show a text box).
        moment: bool,
    },
    Select {
        head: ControlHead,
        groups: Vec<ChoiceGroup>,
    },
    Boxes {
        head: ControlHead,
        choices: Vec<Choice>,
    },
}

/// A part of the form under its own legend.
pub struct FormSection {
    pub legend: &'static str,
    pub controls: Vec<Control>,
}

/// Builds the controls of a form from its values and errors: each control's id is
/// `veld-<name>`, the anchor `FormErrors` links the error summary to.
pub struct Builder<'a> {
    pub errors: &'a FormErrors,
}

impl Builder<'_> {
    pub fn head(
        &self,
        name: &'static str,
        label: &'static str,
        hint: Option<&'static str>,
    ) -> ControlHead {
        ControlHead {
            name,
            id: format!("veld-{name}"),
            label,
            hint,
            error: self.errors.of(name).map(str::to_owned),
        }
    }

    pub fn text(
        &self,
        name: &'static str,
        label: &'static str,
        hint: Option<&'static str>,
        value: &str,
        rows: u8,
    ) -> Control {
        Control::Text {
            head: self.head(name, label, hint),
            value: value.to_owned(),
            rows,
            numeric: false,
            moment: false,
        }
    }

    /// A one-line box for a number (a phone's keypad shows digits).
    pub fn numeric(
        &self,
        name: &'static str,
        label: &'static str,
        hint: Option<&'static str>,
        value: &str,
    ) -> Control {
        self.line(self.head(name, label, hint), value, true, false)
    }

    /// A date and time in Dutch time, as `web::format::moment_typed` writes it.
    pub fn moment(
        &self,
        name: &'static str,
        label: &'static str,
        hint: Option<&'static str>,
        value: &str,
    ) -> Control {
        self.line(self.head(name, label, hint), value, false, true)
    }

    fn line(&self, head: ControlHead, value: &str, numeric: bool, moment: bool) -> Control {
        Control::Text {
            head,
            value: value.to_owned(),
            rows: 0,
            numeric,
            moment,
        }
    }

    fn choices(
        name: &str,
        list: &[(&'static str, &'static str)],
        chosen: impl Fn(&str) -> bool,
    ) -> Vec<Choice> {
        list.iter()
            .map(|(value, label)| Choice {
                id: format!("veld-{name}-{value}"),
                value,
                label,
                chosen: chosen(value),
            })
            .collect()
    }

    /// A select with a first "Kies…" option (chosen when nothing known is).
    pub fn select(
        &self,
        name: &'static str,
        label: &'static str,
        hint: Option<&'static str>,
        list: &[Code],
        value: &str,
    ) -> Control {
        let pairs: Pairs = list.iter().map(|c| (c.code, c.nl)).collect();
        self.select_groups(name, label, hint, vec![(None, pairs)], value)
    }

    pub fn select_groups(
        &self,
        name: &'static str,
        label: &'static str,
        hint: Option<&'static str>,
        groups: Vec<(Option<&'static str>, Pairs)>,
        value: &str,
    ) -> Control {
        let mut all = vec![ChoiceGroup {
            label: None,
            choices: vec![Choice {
                id: String::new(),
                value: "",
                label: t::CHOOSE,
                chosen: false,
            }],
        }];
        all.extend(groups.into_iter().map(|(label, pairs)| ChoiceGroup {
            label,
            choices: Self::choices(name, &pairs, |v| v == value),
        }));
        Control::Select {
            head: self.head(name, label, hint),
            groups: all,
        }
    }

    pub fn boxes(
        &self,
        name: &'static str,
        label: &'static str,
        hint: Option<&'static str>,
        list: &[(&'static str, &'static str)],
        values: &[String],
    ) -> Control {
        Control::Boxes {
            head: self.head(name, label, hint),
            choices: Self::choices(name, list, |v| values.iter().any(|x| x == v)),
        }
    }

    /// The sectors as boxes, as offerings and providers both name them.
    pub fn sectors(&self, values: &[String]) -> Control {
        let list = pairs(taxonomy::SECTORS);
        self.boxes("sectors", t::SECTORS, None, &list, values)
    }

    /// The service types grouped under their domains.
    pub fn service_type(&self, value: &str) -> Control {
        let groups = taxonomy::DOMAINS
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
        self.select_groups(
            "service_type",
            t::SERVICE_TYPE,
            Some(t::SERVICE_TYPE_HINT),
            groups,
            value,
        )
    }

    /// The regions as boxes: nationwide first, then the provinces.
    pub fn regions(&self, values: &[String]) -> Control {
        let list: Pairs = std::iter::once(&taxonomy::NATIONWIDE)
            .chain(taxonomy::PROVINCES)
            .map(|c| (c.code, c.nl))
            .collect();
        self.boxes("regions", t::REGIONS, Some(t::REGIONS_HINT), &list, values)
    }
}

/// The codes of a taxonomy list with their Dutch labels.
pub fn pairs(list: &[Code]) -> Pairs {
    list.iter().map(|c| (c.code, c.nl)).collect()
}

/// `sectors[2]` → (`sectors`, Some(3)): the field and the 1-based place of the value.
fn split_item(field: &str) -> (&str, Option<usize>) {
    match field.split_once('[') {
        Some((name, rest)) => (
            name,
            rest.trim_end_matches(']')
                .parse::<usize>()
                .ok()
                .map(|i| i + 1),
        ),
        None => (field, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_field_is_named_once_with_a_dutch_message_and_its_control() {
        let errors = FormErrors::from_fields(
            &[
                FieldError::new("sector", "unknown_code", "x"),
                FieldError::new("sector", "unknown_code", "y"),
                FieldError::new("q", "too_long", "z"),
            ],
            |f| if f == "q" { "Zoekwoorden" } else { "Sector" },
            |_| "kies opnieuw",
            |f| format!("veld-{f}"),
        );
        assert_eq!(errors.list().len(), 2);
        assert_eq!(errors.of("q"), Some("Zoekwoorden: kies opnieuw"));
        assert_eq!(errors.list()[0].anchor, "veld-sector");
        assert_eq!(errors.of("page"), None);
    }
}
