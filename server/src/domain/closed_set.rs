//! `closed_set!`: an enum of named codes (offering status, organisation kind, role) with its
//! one spelling, used by the API (serde) and the database (text under a CHECK constraint)
//! alike. `db::enums` converts them at the database edge, where an unknown stored code is an
//! error.

/// Defines the enum with `ALL`, `as_str` and `parse` from one list of `Variant = "code"`.
/// The code is taken as a `tt`, not a `literal`: utoipa does not see through the invisible
/// group a `literal` fragment is wrapped in, and would describe the Rust variant names
/// (`SchoolBoard`) in /openapi.json instead of the codes serde sends (`school_board`).
macro_rules! closed_set {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($(#[$variant_meta:meta])* $variant:ident = $code:tt),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash,
            serde::Serialize, serde::Deserialize, utoipa::ToSchema,
            diesel::AsExpression, diesel::FromSqlRow,
        )]
        #[diesel(sql_type = diesel::sql_types::Text)]
        pub enum $name {
            $($(#[$variant_meta])* #[serde(rename = $code)] $variant),+
        }

        impl $name {
            pub const ALL: [$name; [$($code),+].len()] = [$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $code),+
                }
            }

            pub fn parse(s: &str) -> Option<$name> {
                match s {
                    $($code => Some($name::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

pub(crate) use closed_set;
