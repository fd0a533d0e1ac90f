//! The authenticated caller: a valid access token whose session is still active and whose user
//! still exists. Anything less is a 401.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};

use chrono::{DateTime, Utc};
use diesel::QueryResult;
use diesel_async::AsyncPgConnection;

use crate::auth::jwt::TokenError;
use crate::auth::token;
use crate::db::models::session::Session;
use crate::db::models::user::User;
use crate::domain::{SessionId, UserId};
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Debug, Clone)]
pub struct Caller {
    pub user: User,
    pub session_id: SessionId,
}

impl Caller {
    pub fn id(&self) -> UserId {
        self.user.id
    }

    /// The caller of an active session whose user still exists: the one lookup behind both
    /// the bearer token (`session_id` from its claims, `user_id` checked against them) and the
    /// pages' session cookie (`Self::of_browser_token`).
    async fn of_session(
        conn: &mut AsyncPgConnection,
        session: Option<Session>,
        user_id: Option<UserId>,
    ) -> QueryResult<Option<Caller>> {
        let Some(session) = session.filter(|s| user_id.is_none_or(|u| u == s.user_id)) else {
            return Ok(None);
        };
        Ok(User::find(conn, session.user_id).await?.map(|user| Caller {
            user,
            session_id: session.id,
        }))
    }

    /// The caller a browser's session cookie names, if its session is active.
    pub async fn of_browser_token(
        conn: &mut AsyncPgConnection,
        plain: &str,
        now: DateTime<Utc>,
    ) -> QueryResult<Option<Caller>> {
        let session =
            Session::find_active_by_browser_token(conn, &token::hash(plain.trim()), now).await?;
        Self::of_session(conn, session, None).await
    }

    /// Acting on behalf of organisations needs a confirmed e-mail address.
    pub fn require_verified(&self) -> Result<(), ApiError> {
        if self.user.is_verified() {
            Ok(())
        } else {
            Err(ApiError::Forbidden(
                "Confirm your e-mail address first; we sent you a link.".into(),
            ))
        }
    }
}

fn bearer(req: &HttpRequest) -> Result<String, ApiError> {
    let value = req.headers().get(header::AUTHORIZATION).ok_or_else(|| {
        ApiError::Unauthorized("Send an access token as `Authorization: Bearer <token>`.".into())
    })?;
    let value = value
        .to_str()
        .map_err(|_| ApiError::Unauthorized("The Authorization header is malformed.".into()))?;
    let (scheme, token) = value
        .split_once(' ')
        .ok_or_else(|| ApiError::Unauthorized("The Authorization header is malformed.".into()))?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(ApiError::Unauthorized(
            "Only Bearer tokens are accepted.".into(),
        ));
    }
    Ok(token.trim().to_owned())
}

/// The caller on routes open to anonymous readers: `None` without an Authorization header, but
/// a 401 for a token that is present and bad (a client should learn its token is broken).
#[derive(Debug, Clone)]
pub struct MaybeCaller(pub Option<Caller>);

impl MaybeCaller {
    pub fn as_ref(&self) -> Option<&Caller> {
        self.0.as_ref()
    }
}

impl FromRequest for MaybeCaller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        if req.headers().contains_key(header::AUTHORIZATION) {
            let caller = Caller::from_request(req, payload);
            Box::pin(async move { Ok(MaybeCaller(Some(caller.await?))) })
        } else {
            Box::pin(async { Ok(MaybeCaller(None)) })
        }
    }
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let token = bearer(req);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let state = state
                .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("AppState is not registered")))?;
            let now = state.clock.now();
            let claims = state.jwt.decode(&token?, now).map_err(|e| match e {
                TokenError::Expired => {
                    ApiError::Unauthorized("The access token has expired; refresh it.".into())
                }
                TokenError::Invalid => {
                    ApiError::Unauthorized("The access token is not valid.".into())
                }
            })?;
            let mut conn = state.conn().await?;
            let session = Session::find_active(&mut conn, claims.sid, now).await?;
            Caller::of_session(&mut conn, session, Some(claims.sub))
                .await?
                .ok_or_else(|| {
                    ApiError::Unauthorized("The session has ended; log in again.".into())
                })
        })
    }
}
