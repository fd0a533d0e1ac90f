//! Single-use tokens sent by mail: e-mail verification and password reset. Only their hashes
//! are stored.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::db::schema::email_tokens;
use crate::domain::UserId;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    VerifyEmail,
    PasswordReset,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::VerifyEmail => "verify_email",
            Purpose::PasswordReset => "password_reset",
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = email_tokens)]
pub struct EmailToken {
    pub token_hash: Vec<u8>,
    pub user_id: UserId,
    pub purpose: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
}

impl EmailToken {
    pub async fn insert(
        conn: &mut AsyncPgConnection,
        token_hash: &[u8],
        user_id: UserId,
        purpose: Purpose,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> QueryResult<usize> {
        diesel::insert_into(email_tokens::table)
            .values((
                email_tokens::token_hash.eq(token_hash),
                email_tokens::user_id.eq(user_id),
                email_tokens::purpose.eq(purpose.as_str()),
                email_tokens::created_at.eq(now),
                email_tokens::expires_at.eq(expires_at),
            ))
            .execute(conn)
            .await
    }

    /// Marks an unused, unexpired token of `purpose` as used and returns its user; `None` when
    /// the token is unknown, used or expired. One statement, so a token is redeemed at most once.
    pub async fn redeem(
        conn: &mut AsyncPgConnection,
        token_hash: &[u8],
        purpose: Purpose,
        now: DateTime<Utc>,
    ) -> QueryResult<Option<UserId>> {
        diesel::update(
            email_tokens::table
                .find(token_hash)
                .filter(email_tokens::purpose.eq(purpose.as_str()))
                .filter(email_tokens::used_at.is_null())
                .filter(email_tokens::expires_at.gt(now)),
        )
        .set(email_tokens::used_at.eq(now))
        .returning(email_tokens::user_id)
        .get_result(conn)
        .await
        .optional()
    }

    /// The user of an unused, unexpired token of `purpose`, without spending it.
    pub async fn find_valid(
        conn: &mut AsyncPgConnection,
        token_hash: &[u8],
        purpose: Purpose,
        now: DateTime<Utc>,
    ) -> QueryResult<Option<UserId>> {
        email_tokens::table
            .find(token_hash)
            .filter(email_tokens::purpose.eq(purpose.as_str()))
            .filter(email_tokens::used_at.is_null())
            .filter(email_tokens::expires_at.gt(now))
            .select(email_tokens::user_id)
            .first(conn)
            .await
            .optional()
    }

    /// Voids every outstanding token of `purpose` for a user (e.g. after a password change).
    pub async fn void_all(
        conn: &mut AsyncPgConnection,
        user_id: UserId,
        purpose: Purpose,
        now: DateTime<Utc>,
    ) -> QueryResult<usize> {
        diesel::update(
            email_tokens::table
                .filter(email_tokens::user_id.eq(user_id))
                .filter(email_tokens::purpose.eq(purpose.as_str()))
                .filter(email_tokens::used_at.is_null()),
        )
        .set(email_tokens::used_at.eq(now))
        .execute(conn)
        .await
    }
}
