//! Form helpers of the GOV.UK and NL Design System pattern: an error summary at the top of a
//! failed form linking to each field, and each field's message tied to its control
//! (`aria-describedby`), in Dutch. Every form of the pages (search now; sign-up, offerings,
//! shortlists later) renders its errors through `FormErrors` and `templates/form.html`.

use crate::domain::FieldError;

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
