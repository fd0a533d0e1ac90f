//! The database edge of the typed ids (`domain::ids`): each is stored as a PostgreSQL `uuid`.

use diesel::deserialize::{self, FromSql};
use diesel::pg::{Pg, PgValue};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types;
use uuid::Uuid;

use crate::domain::ids::*;

macro_rules! uuid_column {
    ($($name:ident),+) => {
        $(
            impl ToSql<sql_types::Uuid, Pg> for $name {
                fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
                    <Uuid as ToSql<sql_types::Uuid, Pg>>::to_sql(self.as_uuid(), out)
                }
            }

            impl FromSql<sql_types::Uuid, Pg> for $name {
                fn from_sql(value: PgValue<'_>) -> deserialize::Result<Self> {
                    <Uuid as FromSql<sql_types::Uuid, Pg>>::from_sql(value).map(Self::from)
                }
            }
        )+
    };
}

for_each_id!(uuid_column);
