//! Sessions and their refresh-token chains. A refresh token is used once; presenting a used one
//! again means it was stolen (or replayed), and the whole session is revoked.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::db::schema::{refresh_tokens, sessions};
use crate::domain::{SessionId, UserId};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable, serde::Serialize)]
#[diesel(table_name = sessions)]
pub struct Session {
    pub id: SessionId,
    pub user_id: UserId,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoked_reason: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = refresh_tokens)]
pub struct RefreshToken {
    pub token_hash: Vec<u8>,
    pub session_id: SessionId,
    pub issued_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
}

/// A session still usable at `now`: not revoked, not expired (token and browser sessions alike).
#[diesel::dsl::auto_type(no_type_alias)]
fn active_at(now: DateTime<Utc>) -> _ {
    sessions::revoked_at
        .is_null()
        .and(sessions::expires_at.gt(now))
}

impl Session {
    /// A new session; `browser_token_hash` names it for a browser's cookie (None for a token
    /// session, whose refresh tokens name it instead).
    pub async fn create(
        conn: &mut AsyncPgConnection,
        user_id: UserId,
        browser_token_hash: Option<&[u8]>,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> QueryResult<Session> {
        diesel::insert_into(sessions::table)
            .values((
                sessions::id.eq(SessionId::generate()),
                sessions::user_id.eq(user_id),
                sessions::browser_token_hash.eq(browser_token_hash),
                sessions::created_at.eq(now),
                sessions::expires_at.eq(expires_at),
            ))
            .returning(Session::as_returning())
            .get_result(conn)
            .await
    }

    /// A session that may still be used at `now`.
    pub async fn find_active(
        conn: &mut AsyncPgConnection,
        id: SessionId,
        now: DateTime<Utc>,
    ) -> QueryResult<Option<Session>> {
        sessions::table
            .find(id)
            .filter(active_at(now))
            .select(Session::as_select())
            .first(conn)
            .await
            .optional()
    }

    /// The active session a browser's cookie names, by the cookie token's hash.
    pub async fn find_active_by_browser_token(
        conn: &mut AsyncPgConnection,
        browser_token_hash: &[u8],
        now: DateTime<Utc>,
    ) -> QueryResult<Option<Session>> {
        sessions::table
            .filter(sessions::browser_token_hash.eq(browser_token_hash))
            .filter(active_at(now))
            .select(Session::as_select())
            .first(conn)
            .await
            .optional()
    }

    pub async fn revoke(
        conn: &mut AsyncPgConnection,
        id: SessionId,
        reason: &str,
        now: DateTime<Utc>,
    ) -> QueryResult<usize> {
        diesel::update(
            sessions::table
                .find(id)
                .filter(sessions::revoked_at.is_null()),
        )
        .set((
            sessions::revoked_at.eq(now),
            sessions::revoked_reason.eq(reason),
        ))
        .execute(conn)
        .await
    }

    pub async fn revoke_all_of(
        conn: &mut AsyncPgConnection,
        user_id: UserId,
        reason: &str,
        now: DateTime<Utc>,
    ) -> QueryResult<usize> {
        diesel::update(
            sessions::table
                .filter(sessions::user_id.eq(user_id))
                .filter(sessions::revoked_at.is_null()),
        )
        .set((
            sessions::revoked_at.eq(now),
            sessions::revoked_reason.eq(reason),
        ))
        .execute(conn)
        .await
    }

    pub async fn of_user(
        conn: &mut AsyncPgConnection,
        user_id: UserId,
    ) -> QueryResult<Vec<Session>> {
        sessions::table
            .filter(sessions::user_id.eq(user_id))
            .order(sessions::created_at.asc())
            .select(Session::as_select())
            .load(conn)
            .await
    }
}

impl RefreshToken {
    pub async fn insert(
        conn: &mut AsyncPgConnection,
        token_hash: &[u8],
        session_id: SessionId,
        now: DateTime<Utc>,
    ) -> QueryResult<usize> {
        diesel::insert_into(refresh_tokens::table)
            .values((
                refresh_tokens::token_hash.eq(token_hash),
                refresh_tokens::session_id.eq(session_id),
                refresh_tokens::issued_at.eq(now),
            ))
            .execute(conn)
            .await
    }

    /// The token row, locked so two concurrent refreshes with the same token cannot both win.
    pub async fn find_for_update(
        conn: &mut AsyncPgConnection,
        token_hash: &[u8],
    ) -> QueryResult<Option<RefreshToken>> {
        refresh_tokens::table
            .find(token_hash)
            .select(RefreshToken::as_select())
            .for_update()
            .first(conn)
            .await
            .optional()
    }

    pub async fn mark_used(
        conn: &mut AsyncPgConnection,
        token_hash: &[u8],
        now: DateTime<Utc>,
    ) -> QueryResult<usize> {
        diesel::update(refresh_tokens::table.find(token_hash))
            .set(refresh_tokens::used_at.eq(now))
            .execute(conn)
            .await
    }
}
