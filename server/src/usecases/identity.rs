//! Identity: registering, confirming the e-mail address, logging in and out, refreshing tokens
//! and resetting a password. The API answers with tokens; the pages will hold the same session
//! in a cookie, so logging in is split into checking the credentials and starting a session.

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde::Serialize;

use crate::auth::jwt::JwtKeys;
use crate::auth::throttle::LoginThrottle;
use crate::auth::{Caller, password, token};
use crate::db::models::email_token::{EmailToken, Purpose};
use crate::db::models::session::{RefreshToken, Session};
use crate::db::models::user::{NewUser, User};
use crate::domain::password::NewPassword;
use crate::domain::{DomainError, DomainResult, EmailAddress, Fields, SessionId, UserId};
use crate::error::is_unique_violation;
use crate::mail::{outbox, templates};

/// How long a link in a verification mail works.
pub const VERIFY_TTL: Duration = Duration::hours(24);
/// How long a link in a password-reset mail works.
pub const RESET_TTL: Duration = Duration::minutes(60);

/// What someone signing up types.
pub struct Registration<'a> {
    pub email: &'a str,
    pub password: &'a str,
    pub display_name: &'a str,
}

/// Create an account and mail a verification link. An address that already has an account
/// gets a mail saying so instead, and the caller sees the same outcome either way, so signing
/// up does not reveal who is registered.
pub async fn register(
    conn: &mut AsyncPgConnection,
    registration: Registration<'_>,
    public_url: &str,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let Registration {
        email: typed_email,
        password: typed_password,
        display_name: typed_name,
    } = registration;
    let mut fields = Fields::new();
    let email = fields.check("email", EmailAddress::parse(typed_email));
    let display_name = fields.text("display_name", typed_name, 100);
    // The password may contain neither the address nor the name, as typed.
    let password = fields.check(
        "password",
        NewPassword::parse(typed_password, &[typed_email, typed_name]),
    );
    let parsed = (|| Some((email?, display_name?, password?)))();
    let (email, display_name, password) = fields.finish_with(parsed)?;
    let password_hash = password::hash(password.expose().to_owned()).await?;
    conn.transaction::<_, DomainError, _>(async |conn| {
        let new_user = NewUser {
            id: UserId::generate(),
            email: email.as_str(),
            display_name: &display_name,
            password_hash: &password_hash,
            email_verified_at: None,
            is_moderator: false,
            created_at: now,
            updated_at: now,
        };
        // A savepoint, so a duplicate address leaves the transaction usable for the mail below.
        match conn
            .transaction(async |conn| User::insert(conn, &new_user).await)
            .await
        {
            Ok(user) => {
                queue_verification(conn, &user, public_url, now).await?;
            }
            Err(e) if is_unique_violation(&e) => {
                // Tell the owner of the address, not the caller.
                let link = format!("{public_url}/password-reset");
                outbox::enqueue(
                    conn,
                    &templates::already_registered(email.as_str(), &link),
                    now,
                )
                .await?;
            }
            Err(e) => return Err(e.into()),
        }
        Ok(())
    })
    .await
}

/// Creates a verification token and queues the mail with its link (in the caller's
/// transaction).
async fn queue_verification(
    conn: &mut AsyncPgConnection,
    user: &User,
    public_url: &str,
    now: DateTime<Utc>,
) -> diesel::QueryResult<()> {
    let Some(email) = &user.email else {
        return Ok(());
    };
    let link = mail_link(conn, user.id, Purpose::VerifyEmail, public_url, now).await?;
    outbox::enqueue(
        conn,
        &templates::verify_email(email, &user.display_name, &link),
        now,
    )
    .await
}

/// A new single-use token for `purpose`, stored as its hash, and the page link that carries it
/// (the only place the plain token goes).
async fn mail_link(
    conn: &mut AsyncPgConnection,
    user_id: UserId,
    purpose: Purpose,
    public_url: &str,
    now: DateTime<Utc>,
) -> diesel::QueryResult<String> {
    let (page, ttl) = match purpose {
        Purpose::VerifyEmail => ("verify-email", VERIFY_TTL),
        Purpose::PasswordReset => ("password-reset", RESET_TTL),
    };
    let fresh = token::generate();
    EmailToken::insert(conn, &fresh.hash, user_id, purpose, now, now + ttl).await?;
    Ok(format!("{public_url}/{page}?token={}", fresh.plain))
}

fn unusable_link() -> DomainError {
    DomainError::invalid(
        "token",
        "invalid",
        "this link is unknown, used or expired; ask for a new one",
    )
}

/// Confirm an e-mail address with the token from the verification mail.
pub async fn verify_email(
    conn: &mut AsyncPgConnection,
    plain_token: &str,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let hash = token::hash(plain_token.trim());
    conn.transaction::<_, DomainError, _>(async |conn| {
        let user_id = EmailToken::redeem(conn, &hash, Purpose::VerifyEmail, now)
            .await?
            .ok_or_else(unusable_link)?;
        User::mark_verified(conn, user_id, now).await?;
        Ok(())
    })
    .await
}

/// Send the verification mail again, if the address has an unconfirmed account; the caller
/// sees the same outcome either way.
pub async fn resend_verification(
    conn: &mut AsyncPgConnection,
    email: &str,
    public_url: &str,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let email = EmailAddress::parse(email).map_err(|e| DomainError::Invalid(vec![e]))?;
    conn.transaction::<_, DomainError, _>(async |conn| {
        if let Some(user) = User::find_by_email(conn, email.as_str())
            .await?
            .filter(|u| !u.is_verified())
        {
            queue_verification(conn, &user, public_url, now).await?;
        }
        Ok(())
    })
    .await
}

/// Who is trying to log in, and from where (failures are counted per account and per client).
pub struct Credentials {
    pub email: String,
    pub password: String,
    pub client: IpAddr,
}

/// The account the credentials belong to, if they are right and the address is confirmed.
/// A wrong address and a wrong password get the same answer in the same time; repeated
/// failures are throttled.
pub async fn authenticate(
    conn: &mut AsyncPgConnection,
    throttle: &LoginThrottle,
    credentials: Credentials,
    now: DateTime<Utc>,
) -> DomainResult<User> {
    let Credentials {
        email,
        password: typed,
        client,
    } = credentials;
    let account = email.trim().to_lowercase();
    if let Some(retry_after_secs) = throttle.check(conn, &account, client, now).await? {
        return Err(DomainError::Throttled { retry_after_secs });
    }
    let user = User::find_by_email(conn, &account).await?;
    let stored = user.as_ref().and_then(|u| u.password_hash.clone());
    let matches = password::verify(typed, stored).await?;
    let Some(user) = user.filter(|_| matches) else {
        throttle.record_failure(conn, &account, client, now).await?;
        return Err(DomainError::Unauthenticated(
            "The e-mail address or password is wrong.".into(),
        ));
    };
    throttle.record_success(conn, &account).await?;
    if !user.is_verified() {
        return Err(DomainError::Forbidden(
            "Confirm your e-mail address first; we sent you a link (ask for a new one at /v1/auth/verify-email/resend).".into(),
        ));
    }
    Ok(user)
}

/// An access and refresh token pair of one session.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TokenPair {
    pub access_token: String,
    pub refresh_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: i64,
}

async fn issue(
    conn: &mut AsyncPgConnection,
    jwt: &JwtKeys,
    user_id: UserId,
    session_id: SessionId,
    now: DateTime<Utc>,
) -> DomainResult<TokenPair> {
    let refresh = token::generate();
    RefreshToken::insert(conn, &refresh.hash, session_id, now).await?;
    Ok(TokenPair {
        access_token: jwt.issue(user_id, session_id, now)?,
        refresh_token: refresh.plain,
        token_type: "Bearer",
        expires_in: jwt.ttl().num_seconds(),
    })
}

/// Start a session for an authenticated user, lasting `refresh_ttl`, and issue its tokens.
pub async fn start_session(
    conn: &mut AsyncPgConnection,
    jwt: &JwtKeys,
    user: &User,
    refresh_ttl: Duration,
    now: DateTime<Utc>,
) -> DomainResult<TokenPair> {
    let pair = conn
        .transaction::<_, DomainError, _>(async |conn| {
            let session = Session::create(conn, user.id, None, now, now + refresh_ttl).await?;
            issue(conn, jwt, user.id, session.id, now).await
        })
        .await?;
    tracing::info!(user_id = %user.id, "logged in");
    Ok(pair)
}

/// Start a session for an authenticated user in a browser, lasting `ttl`: answers the opaque
/// token for its cookie (only its hash is stored). It ends like a token session: logout,
/// password reset and erasure revoke the row.
pub async fn start_browser_session(
    conn: &mut AsyncPgConnection,
    user: &User,
    ttl: Duration,
    now: DateTime<Utc>,
) -> DomainResult<String> {
    let cookie = token::generate();
    Session::create(conn, user.id, Some(&cookie.hash), now, now + ttl).await?;
    tracing::info!(user_id = %user.id, "logged in (browser)");
    Ok(cookie.plain)
}

/// Exchange a refresh token for a new pair. Each refresh token works once; presenting a used
/// one again revokes the whole session, since it means the token was copied.
pub async fn refresh(
    conn: &mut AsyncPgConnection,
    jwt: &JwtKeys,
    presented: &str,
    now: DateTime<Utc>,
) -> DomainResult<TokenPair> {
    enum Outcome {
        Rotated(TokenPair),
        Reused,
        Invalid,
    }
    let hash = token::hash(presented.trim());
    let outcome = conn
        .transaction::<_, DomainError, _>(async |conn| {
            let Some(presented) = RefreshToken::find_for_update(conn, &hash).await? else {
                return Ok(Outcome::Invalid);
            };
            if presented.used_at.is_some() {
                Session::revoke(conn, presented.session_id, "refresh token reused", now).await?;
                return Ok(Outcome::Reused);
            }
            let Some(session) = Session::find_active(conn, presented.session_id, now).await? else {
                return Ok(Outcome::Invalid);
            };
            RefreshToken::mark_used(conn, &hash, now).await?;
            Ok(Outcome::Rotated(
                issue(conn, jwt, session.user_id, session.id, now).await?,
            ))
        })
        .await?;
    // The revocation above must commit, so the refusal is made here, after the transaction.
    match outcome {
        Outcome::Rotated(pair) => Ok(pair),
        Outcome::Reused => {
            tracing::warn!("a used refresh token was presented again; its session is revoked");
            Err(DomainError::Unauthenticated(
                "This refresh token was already used; the session has been ended. Log in again."
                    .into(),
            ))
        }
        Outcome::Invalid => Err(DomainError::Unauthenticated(
            "The refresh token is unknown or its session has ended.".into(),
        )),
    }
}

/// End the caller's session: its refresh token and every access token of it stop working.
pub async fn log_out(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    Session::revoke(conn, caller.session_id, "logout", now).await?;
    Ok(())
}

/// Mail a password-reset link, if the address has an account; the caller sees the same
/// outcome either way.
pub async fn request_password_reset(
    conn: &mut AsyncPgConnection,
    email: &str,
    public_url: &str,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let email = EmailAddress::parse(email).map_err(|e| DomainError::Invalid(vec![e]))?;
    conn.transaction::<_, DomainError, _>(async |conn| {
        if let Some(user) = User::find_by_email(conn, email.as_str()).await? {
            let link = mail_link(conn, user.id, Purpose::PasswordReset, public_url, now).await?;
            outbox::enqueue(
                conn,
                &templates::password_reset(email.as_str(), &user.display_name, &link),
                now,
            )
            .await?;
        }
        Ok(())
    })
    .await
}

/// Set a new password with the token from the reset mail. Every session of the account ends,
/// and the address counts as confirmed (the reset proved control of the mailbox).
pub async fn reset_password(
    conn: &mut AsyncPgConnection,
    plain_token: &str,
    typed: &str,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let hash = token::hash(plain_token.trim());
    // Look the token's user up first, without spending it, so the new password can be checked
    // against their details and hashed outside the transaction.
    let user_id = EmailToken::find_valid(conn, &hash, Purpose::PasswordReset, now)
        .await?
        .ok_or_else(unusable_link)?;
    let user = User::find(conn, user_id)
        .await?
        .ok_or(DomainError::NotFound)?;
    let email = user.email.clone().unwrap_or_default();
    let new_password = NewPassword::parse(typed, &[&email, &user.display_name])
        .map_err(|e| DomainError::Invalid(vec![e]))?;
    let password_hash = password::hash(new_password.expose().to_owned()).await?;
    conn.transaction::<_, DomainError, _>(async |conn| {
        EmailToken::redeem(conn, &hash, Purpose::PasswordReset, now)
            .await?
            .ok_or_else(unusable_link)?;
        User::set_password(conn, user.id, &password_hash, now).await?;
        User::mark_verified(conn, user.id, now).await?;
        EmailToken::void_all(conn, user.id, Purpose::PasswordReset, now).await?;
        Session::revoke_all_of(conn, user.id, "password reset", now).await?;
        outbox::enqueue(
            conn,
            &templates::password_changed(&email, &user.display_name),
            now,
        )
        .await?;
        Ok(())
    })
    .await
}
