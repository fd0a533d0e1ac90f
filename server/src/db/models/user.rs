use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::db::schema::users;
use crate::domain::UserId;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: UserId,
    pub email: Option<String>,
    pub display_name: String,
    pub password_hash: Option<String>,
    pub email_verified_at: Option<DateTime<Utc>>,
    pub is_moderator: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub id: UserId,
    pub email: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub email_verified_at: Option<DateTime<Utc>>,
    pub is_moderator: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

diesel::define_sql_function!(fn lower(x: diesel::sql_types::Nullable<diesel::sql_types::Text>) -> diesel::sql_types::Nullable<diesel::sql_types::Text>);

impl User {
    /// The e-mail addresses of these accounts (those not erased and with an address).
    pub async fn emails_of(
        conn: &mut AsyncPgConnection,
        ids: &[UserId],
    ) -> QueryResult<Vec<(UserId, String)>> {
        let rows: Vec<(UserId, Option<String>)> = users::table
            .filter(users::id.eq_any(ids))
            .filter(users::deleted_at.is_null())
            .select((users::id, users::email))
            .load(conn)
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, email)| Some((id, email?)))
            .collect())
    }

    pub async fn find(conn: &mut AsyncPgConnection, id: UserId) -> QueryResult<Option<User>> {
        users::table
            .find(id)
            .filter(users::deleted_at.is_null())
            .select(User::as_select())
            .first(conn)
            .await
            .optional()
    }

    /// Locks the account's row until the transaction ends, so its actions that count against
    /// a limit (reviews a day) take turns. NO KEY UPDATE leaves rows that reference the account
    /// free to be written.
    pub async fn lock(conn: &mut AsyncPgConnection, id: UserId) -> QueryResult<()> {
        users::table
            .find(id)
            .select(users::id)
            .for_no_key_update()
            .first::<UserId>(conn)
            .await?;
        Ok(())
    }

    /// Looks an account up by e-mail, ignoring case (addresses are stored lower-cased).
    pub async fn find_by_email(
        conn: &mut AsyncPgConnection,
        email: &str,
    ) -> QueryResult<Option<User>> {
        users::table
            .filter(lower(users::email).eq(email.to_lowercase()))
            .filter(users::deleted_at.is_null())
            .select(User::as_select())
            .first(conn)
            .await
            .optional()
    }

    pub async fn insert(conn: &mut AsyncPgConnection, new: &NewUser<'_>) -> QueryResult<User> {
        diesel::insert_into(users::table)
            .values(new)
            .returning(User::as_returning())
            .get_result(conn)
            .await
    }

    pub async fn set_password(
        conn: &mut AsyncPgConnection,
        id: UserId,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> QueryResult<usize> {
        diesel::update(users::table.find(id))
            .set((
                users::password_hash.eq(password_hash),
                users::updated_at.eq(now),
            ))
            .execute(conn)
            .await
    }

    pub async fn mark_verified(
        conn: &mut AsyncPgConnection,
        id: UserId,
        now: DateTime<Utc>,
    ) -> QueryResult<usize> {
        diesel::update(
            users::table
                .find(id)
                .filter(users::email_verified_at.is_null()),
        )
        .set((users::email_verified_at.eq(now), users::updated_at.eq(now)))
        .execute(conn)
        .await
    }

    pub async fn set_moderator(
        conn: &mut AsyncPgConnection,
        id: UserId,
        moderator: bool,
        now: DateTime<Utc>,
    ) -> QueryResult<usize> {
        diesel::update(users::table.find(id))
            .set((users::is_moderator.eq(moderator), users::updated_at.eq(now)))
            .execute(conn)
            .await
    }

    /// GDPR erasure: personal data goes, the row stays as a tombstone so reviews keep an author
    /// the platform can tell apart from others without knowing who it was.
    pub async fn erase(
        conn: &mut AsyncPgConnection,
        id: UserId,
        now: DateTime<Utc>,
    ) -> QueryResult<usize> {
        diesel::update(users::table.find(id))
            .set((
                users::email.eq(None::<String>),
                users::display_name.eq("verwijderde gebruiker"),
                users::password_hash.eq(None::<String>),
                users::is_moderator.eq(false),
                users::updated_at.eq(now),
                users::deleted_at.eq(Some(now)),
            ))
            .execute(conn)
            .await
    }

    pub fn is_verified(&self) -> bool {
        self.email_verified_at.is_some()
    }
}
