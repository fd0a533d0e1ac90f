//! The database edge of the domain's closed sets (offering status, organisation kind, role):
//! each is stored as text under a CHECK constraint and parsed here, once, when a row is read.
//! A stored value this build does not know is an error (the request fails with a logged 500),
//! never a silent default: guessing `draft` for an unknown status or "no role" for an unknown
//! role would hide the data problem and could show or hide the wrong things.

use diesel::deserialize::{self, FromSql};
use diesel::pg::{Pg, PgValue};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;

use crate::domain::award::PriceMethod;
use crate::domain::bundle::{BundleStatus, Visibility};
use crate::domain::offering_status::Status;
use crate::domain::review::{ModerationAction, Phase, Scale, SchoolSize};
use crate::domain::review_signals::Signal;
use crate::domain::{OrganizationKind, Role};

/// Parses a stored `name` value with `parse`; an unknown one is an error naming the column's
/// type and the value.
fn decode<T>(raw: &str, name: &str, parse: impl Fn(&str) -> Option<T>) -> deserialize::Result<T> {
    parse(raw).ok_or_else(|| format!("unknown {name} {raw:?} stored in the database").into())
}

macro_rules! text_column {
    ($($name:ident),+) => {
        $(
            impl ToSql<Text, Pg> for $name {
                fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
                    <str as ToSql<Text, Pg>>::to_sql(self.as_str(), out)
                }
            }

            impl FromSql<Text, Pg> for $name {
                fn from_sql(value: PgValue<'_>) -> deserialize::Result<Self> {
                    let raw = <String as FromSql<Text, Pg>>::from_sql(value)?;
                    decode(&raw, stringify!($name), $name::parse)
                }
            }
        )+
    };
}

text_column!(
    Status,
    OrganizationKind,
    Role,
    Scale,
    Phase,
    SchoolSize,
    ModerationAction,
    BundleStatus,
    PriceMethod,
    Visibility,
    Signal
);

#[cfg(test)]
mod tests {
    use super::*;

    /// Every value reads back as itself, and the API spells it as the database does (serde
    /// renders the JSON, `as_str` the column).
    #[test]
    fn stored_names_round_trip_and_match_the_api() {
        fn check<T: Copy + PartialEq + std::fmt::Debug + serde::Serialize>(
            all: &[T],
            as_str: fn(T) -> &'static str,
            parse: fn(&str) -> Option<T>,
        ) {
            for &value in all {
                assert_eq!(decode(as_str(value), "T", parse).ok(), Some(value));
                assert_eq!(serde_json::to_value(value).unwrap(), as_str(value));
            }
        }
        check(&Status::ALL, Status::as_str, Status::parse);
        check(
            &OrganizationKind::ALL,
            OrganizationKind::as_str,
            OrganizationKind::parse,
        );
        check(&Role::ALL, Role::as_str, Role::parse);
    }

    #[test]
    fn an_unknown_stored_value_is_an_error_not_a_default() {
        let error = decode("withdrawn", "Status", Status::parse).unwrap_err();
        assert_eq!(
            error.to_string(),
            r#"unknown Status "withdrawn" stored in the database"#
        );
        assert!(decode("owner", "Role", Role::parse).is_err());
        assert!(decode("School", "OrganizationKind", OrganizationKind::parse).is_err());
        assert!(decode("", "Role", Role::parse).is_err());
    }
}
