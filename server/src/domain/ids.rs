//! Typed identifiers: one newtype over `Uuid` per entity, so a user's id cannot be passed where
//! an organisation's is expected. On the wire and in the database each is a plain UUID (serde
//! is transparent); the diesel conversions live at the database edge (`db::ids`), which
//! implements them for every id through `for_each_id!`, so the list below is the only one.

use std::fmt;
use std::str::FromStr;

use uuid::Uuid;

macro_rules! ids {
    // `$d` is a literal `$`: the nested `for_each_id!` needs metavariables of its own.
    ($d:tt $($(#[$doc:meta])* $name:ident),+ $(,)?) => {
        $(
            $(#[$doc])*
            #[derive(
                Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash,
                serde::Serialize, serde::Deserialize, utoipa::ToSchema,
                diesel::AsExpression, diesel::FromSqlRow,
            )]
            #[serde(transparent)]
            #[diesel(sql_type = diesel::sql_types::Uuid)]
            pub struct $name(Uuid);

            impl $name {
                /// A fresh id, time-ordered (v7) so new rows land at the end of the index.
                pub fn generate() -> Self {
                    Self(Uuid::now_v7())
                }

                pub fn as_uuid(&self) -> &Uuid {
                    &self.0
                }
            }

            impl From<Uuid> for $name {
                fn from(id: Uuid) -> Self {
                    Self(id)
                }
            }

            impl From<$name> for Uuid {
                fn from(id: $name) -> Self {
                    id.0
                }
            }

            impl fmt::Display for $name {
                fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    fmt::Display::fmt(&self.0, f)
                }
            }

            impl FromStr for $name {
                type Err = uuid::Error;

                fn from_str(s: &str) -> Result<Self, Self::Err> {
                    Uuid::from_str(s).map(Self)
                }
            }
        )+

        /// Calls the macro `$m` with every id type (the database edge implements its
        /// conversions this way).
        macro_rules! for_each_id {
            ($d m:ident) => {
                $d m!($($name),+);
            };
        }
        pub(crate) use for_each_id;
    };
}

ids! {$
    /// A user account.
    UserId,
    /// A login session (the `sid` of access tokens).
    SessionId,
    /// An organisation of any kind: school board, school, network or provider.
    OrganizationId,
    /// One location of a school.
    SchoolLocationId,
    /// A provider's offering.
    OfferingId,
    /// A shortlist of offerings.
    ShortlistId,
    /// An invitation to join an organisation.
    InvitationId,
    /// A review of an offering.
    ReviewId,
    /// A demand bundle.
    BundleId,
    /// A question on a demand bundle.
    BundleQuestionId,
    /// A provider's interest profile (which opening bundles to mail about).
    InterestProfileId,
    /// A provider's offer on a demand bundle.
    OfferId,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_text_and_json_as_plain_uuids() {
        let id = OfferingId::generate();
        let text = id.to_string();
        assert_eq!(text, id.as_uuid().to_string());
        assert_eq!(text.parse::<OfferingId>().unwrap(), id);
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, format!("\"{text}\""));
        assert_eq!(serde_json::from_str::<OfferingId>(&json).unwrap(), id);
    }

    #[test]
    fn malformed_ids_are_errors() {
        assert!("not-a-uuid".parse::<UserId>().is_err());
        assert!(serde_json::from_str::<UserId>("\"12\"").is_err());
        assert!(serde_json::from_str::<UserId>("12").is_err());
    }
}
