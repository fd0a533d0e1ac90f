//! Password rules: at least 12 characters, at most 1,024 (hashing cost is bounded), and not a
//! common or easily guessed one. zxcvbn carries the frequency lists of common passwords, names
//! and words, so we check against those rather than keep a list of our own.

use crate::domain::error::FieldError;

pub const MIN_LENGTH: usize = 12;
pub const MAX_LENGTH: usize = 1024;

pub struct NewPassword(String);

impl NewPassword {
    /// `hints` are the user's own details (e-mail, name), which make a password guessable.
    pub fn parse(raw: &str, hints: &[&str]) -> Result<Self, FieldError> {
        let length = raw.chars().count();
        if length < MIN_LENGTH {
            return Err(FieldError::new(
                "password",
                "too_short",
                format!("must be at least {MIN_LENGTH} characters"),
            ));
        }
        if length > MAX_LENGTH {
            return Err(FieldError::new(
                "password",
                "too_long",
                format!("must be at most {MAX_LENGTH} characters"),
            ));
        }
        // zxcvbn matches whole inputs; split "anna.devries@school.nl" into the words it holds.
        let words: Vec<String> = hints
            .iter()
            .flat_map(|h| h.split(|c: char| !c.is_alphanumeric()))
            .filter(|w| w.chars().count() >= 3)
            .map(str::to_lowercase)
            .chain(hints.iter().map(|h| h.to_lowercase()))
            .collect();
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        let estimate = zxcvbn::zxcvbn(raw, &words);
        if (estimate.score() as u8) < 3 {
            return Err(FieldError::new(
                "password",
                "too_common",
                "is too common or too easy to guess; use a longer phrase of unrelated words",
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_passwords_are_refused() {
        assert_eq!(
            NewPassword::parse("Kort!1", &[]).err().unwrap().code,
            "too_short"
        );
    }

    #[test]
    fn common_passwords_are_refused_even_when_long() {
        for common in [
            "password1234",
            "123456789012",
            "qwertyuiopas",
            "welkom123456",
        ] {
            assert_eq!(
                NewPassword::parse(common, &[]).err().map(|e| e.code),
                Some("too_common"),
                "{common}"
            );
        }
    }

    #[test]
    fn the_users_own_details_do_not_make_a_password() {
        let email = "anna.devries@school.nl";
        assert!(NewPassword::parse(email, &[email, "Anna de Vries"]).is_err());
        assert!(NewPassword::parse("Anna de Vries 2026", &[email, "Anna de Vries"]).is_err());
    }

    #[test]
    fn a_passphrase_is_accepted() {
        assert!(NewPassword::parse("paarse fiets onder de brug", &[]).is_ok());
    }
}
