//! Collects every field error of a request, so a client learns all that is wrong at once.

use crate::domain::error::{DomainError, FieldError};

#[derive(Default)]
pub struct Fields {
    errors: Vec<FieldError>,
}

impl Fields {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(
        &mut self,
        field: impl Into<String>,
        code: &'static str,
        message: impl Into<String>,
    ) {
        self.errors.push(FieldError::new(field, code, message));
    }

    /// Keeps the value when valid; records the error and returns `None` otherwise.
    pub fn check<T>(&mut self, field: &str, result: Result<T, FieldError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(mut error) => {
                error.field = field.to_owned();
                self.errors.push(error);
                None
            }
        }
    }

    /// A required text: trimmed, not empty, at most `max` characters.
    pub fn text(&mut self, field: &str, value: &str, max: usize) -> Option<String> {
        self.check(field, text(value, max))
    }

    pub fn finish(self) -> Result<(), DomainError> {
        self.finish_with(Some(()))
    }

    /// The parsed value when every field was valid. Validators hand in `Some` only when each
    /// part parsed, so a missing part always comes with its field error; the value is carried
    /// in the type instead of being unwrapped after a check.
    pub fn finish_with<T>(self, parsed: Option<T>) -> Result<T, DomainError> {
        match parsed {
            Some(value) if self.errors.is_empty() => Ok(value),
            _ => Err(DomainError::Invalid(self.errors)),
        }
    }
}

pub fn text(value: &str, max: usize) -> Result<String, FieldError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(FieldError::new("", "required", "must not be empty"));
    }
    if trimmed.chars().count() > max {
        return Err(FieldError::new(
            "",
            "too_long",
            format!("must be at most {max} characters"),
        ));
    }
    if trimmed
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(FieldError::new(
            "",
            "invalid",
            "must not contain control characters",
        ));
    }
    Ok(trimmed.to_owned())
}

/// An https (or http) URL of a website, at most 2,000 characters.
pub fn website(value: &str) -> Result<String, FieldError> {
    let trimmed = value.trim();
    let ok = (trimmed.starts_with("https://") || trimmed.starts_with("http://"))
        && trimmed.len() <= 2000
        && trimmed.split("://").nth(1).is_some_and(|rest| {
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            host.contains('.') && !host.contains(char::is_whitespace)
        });
    if ok {
        Ok(trimmed.to_owned())
    } else {
        Err(FieldError::new("", "invalid", "must be an http(s) URL"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_collect_every_error() {
        let mut fields = Fields::new();
        assert_eq!(
            fields.text("name", "  Het Baken ", 10),
            None.or(Some("Het Baken".into()))
        );
        assert_eq!(fields.text("title", "", 10), None);
        assert_eq!(fields.text("summary", "x".repeat(11).as_str(), 10), None);
        let Err(DomainError::Invalid(errors)) = fields.finish() else {
            panic!("expected errors")
        };
        let named: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(named, vec![("title", "required"), ("summary", "too_long")]);
    }

    #[test]
    fn a_value_is_returned_only_when_every_field_parsed() {
        let mut fields = Fields::new();
        let name = fields.text("name", "Het Baken", 10);
        assert_eq!(fields.finish_with(name).unwrap(), "Het Baken");
        let mut fields = Fields::new();
        let name = fields.text("name", " ", 10);
        let Err(DomainError::Invalid(errors)) = fields.finish_with(name) else {
            panic!("expected errors")
        };
        assert_eq!(errors[0].code, "required");
        // A value with an error elsewhere (a list entry) is refused too.
        let mut fields = Fields::new();
        fields.push("items[3]", "duplicate", "twice");
        assert!(fields.finish_with(Some(1)).is_err());
    }

    #[test]
    fn websites_must_be_http_urls() {
        assert!(website("https://www.cps.nl/aanbod").is_ok());
        assert!(website("javascript:alert(1)").is_err());
        assert!(website("https://nodot").is_err());
    }
}
