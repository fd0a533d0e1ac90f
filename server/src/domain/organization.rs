//! Organisations and the roles users hold in them, with the identifiers of the Dutch registers:
//! KvK number (providers), BRIN (schools), bevoegd-gezagnummer (school boards).

use crate::domain::closed_set::closed_set;
use crate::domain::error::FieldError;

closed_set! {
    pub enum OrganizationKind {
        SchoolBoard = "school_board",
        School = "school",
        Network = "network",
        Provider = "provider",
    }
}

impl OrganizationKind {
    /// The role of whoever creates an organisation of this kind: it manages the organisation.
    pub fn managing_role(self) -> Role {
        match self {
            Self::SchoolBoard => Role::BoardOfficer,
            Self::School => Role::SchoolLeader,
            Self::Network => Role::Coordinator,
            Self::Provider => Role::ProviderAdmin,
        }
    }

    /// The roles a member of an organisation of this kind can hold.
    pub fn allows_role(self, role: Role) -> bool {
        match self {
            Self::SchoolBoard => matches!(
                role,
                Role::BoardOfficer | Role::SchoolLeader | Role::Teacher
            ),
            Self::School => matches!(role, Role::SchoolLeader | Role::Teacher),
            Self::Network => matches!(role, Role::Coordinator),
            Self::Provider => matches!(role, Role::ProviderAdmin | Role::ProviderEditor),
        }
    }
}

closed_set! {
    pub enum Role {
        Teacher = "teacher",
        SchoolLeader = "school_leader",
        BoardOfficer = "board_officer",
        Coordinator = "coordinator",
        ProviderAdmin = "provider_admin",
        ProviderEditor = "provider_editor",
    }
}

impl Role {
    /// Whether the role manages its organisation: edits it, invites members, adds network members.
    pub fn manages(self) -> bool {
        matches!(
            self,
            Self::BoardOfficer | Self::SchoolLeader | Self::Coordinator | Self::ProviderAdmin
        )
    }

    pub fn label_nl(self) -> &'static str {
        match self {
            Self::Teacher => "leraar",
            Self::SchoolLeader => "schoolleider",
            Self::BoardOfficer => "bestuurder",
            Self::Coordinator => "coördinator",
            Self::ProviderAdmin => "beheerder aanbieder",
            Self::ProviderEditor => "redacteur aanbieder",
        }
    }
}

/// KvK number: eight digits (Kamer van Koophandel).
pub fn kvk_number(raw: &str) -> Result<String, FieldError> {
    let digits: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() == 8 && digits.bytes().all(|b| b.is_ascii_digit()) {
        Ok(digits)
    } else {
        Err(FieldError::new(
            "kvk_number",
            "invalid",
            "must be the eight digits of a KvK number",
        ))
    }
}

/// BRIN: the four-character instellingscode, two digits and two letters or digits (`12AB`).
pub fn brin(raw: &str) -> Result<String, FieldError> {
    let code = raw.trim().to_ascii_uppercase();
    let bytes = code.as_bytes();
    let ok = bytes.len() == 4
        && bytes[..2].iter().all(u8::is_ascii_digit)
        && bytes[2..].iter().all(u8::is_ascii_alphanumeric);
    if ok {
        Ok(code)
    } else {
        Err(FieldError::new(
            "brin",
            "invalid",
            "must be a BRIN code such as 12AB",
        ))
    }
}

/// Bevoegd-gezagnummer: DUO's number of a school board, up to five digits.
pub fn board_number(raw: &str) -> Result<String, FieldError> {
    let code = raw.trim();
    if (1..=5).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_digit()) {
        Ok(code.to_owned())
    } else {
        Err(FieldError::new(
            "board_number",
            "invalid",
            "must be a bevoegd-gezagnummer of up to five digits",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_validated_and_normalised() {
        assert_eq!(kvk_number("1234 5678").unwrap(), "12345678");
        assert!(kvk_number("1234567").is_err());
        assert!(kvk_number("1234567a").is_err());
        assert_eq!(brin("12ab").unwrap(), "12AB");
        assert!(brin("AB12").is_err());
        assert!(brin("12ABC").is_err());
        assert_eq!(board_number("41234").unwrap(), "41234");
        assert!(board_number("412345").is_err());
    }

    #[test]
    fn each_kind_has_a_managing_role_it_allows() {
        for kind in OrganizationKind::ALL {
            assert!(kind.allows_role(kind.managing_role()));
            assert!(kind.managing_role().manages());
        }
        assert!(!OrganizationKind::Provider.allows_role(Role::Teacher));
        assert!(!OrganizationKind::School.allows_role(Role::ProviderEditor));
    }
}
