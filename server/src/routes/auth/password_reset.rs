use actix_web::{HttpResponse, post, web};
use diesel_async::AsyncConnection;
use serde::Deserialize;

use crate::auth::{password, token};
use crate::db::models::email_token::{EmailToken, Purpose};
use crate::db::models::session::Session;
use crate::db::models::user::User;
use crate::domain::EmailAddress;
use crate::domain::password::NewPassword;
use crate::error::{ApiError, ApiResult};
use crate::http::JsonBody;
use crate::mail::{outbox, templates};
use crate::state::AppState;

const RESET_TTL_MINUTES: i64 = 60;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetRequest {
    pub email: String,
}

/// Ask for a password-reset link. Always 202, whether or not the address is registered.
#[utoipa::path(tag = "identity", request_body = PasswordResetRequest, responses((status = 202)))]
#[post("/password-reset")]
pub async fn request_password_reset(
    state: web::Data<AppState>,
    body: JsonBody<PasswordResetRequest>,
) -> ApiResult<HttpResponse> {
    let email = EmailAddress::parse(&body.0.email).map_err(|e| ApiError::Validation(vec![e]))?;
    let now = state.clock.now();
    let public_url = state.config.public_url.clone();
    let mut conn = state.conn().await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        if let Some(user) = User::find_by_email(conn, email.as_str()).await? {
            let reset = token::generate();
            let expires = now + chrono::Duration::minutes(RESET_TTL_MINUTES);
            EmailToken::insert(
                conn,
                &reset.hash,
                user.id,
                Purpose::PasswordReset,
                now,
                expires,
            )
            .await?;
            let link = format!("{public_url}/password-reset?token={}", reset.plain);
            outbox::enqueue(
                conn,
                &templates::password_reset(email.as_str(), &user.display_name, &link),
                now,
            )
            .await?;
        }
        Ok(())
    })
    .await?;
    Ok(HttpResponse::Accepted().finish())
}

fn invalid_token() -> ApiError {
    ApiError::invalid(
        "token",
        "invalid",
        "this link is unknown, used or expired; ask for a new one",
    )
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetConfirm {
    pub token: String,
    pub password: String,
}

/// Set a new password with the token from the reset mail. Every session of the account ends.
#[utoipa::path(tag = "identity", request_body = PasswordResetConfirm, responses((status = 204)))]
#[post("/password-reset/confirm")]
pub async fn confirm_password_reset(
    state: web::Data<AppState>,
    body: JsonBody<PasswordResetConfirm>,
) -> ApiResult<HttpResponse> {
    let PasswordResetConfirm {
        token: plain,
        password: typed,
    } = body.0;
    let now = state.clock.now();
    let hash = token::hash(plain.trim());
    let mut conn = state.conn().await?;
    // Look the token's user up first, without spending it, so the new password can be checked
    // against their details and hashed outside the transaction.
    let user_id = EmailToken::find_valid(&mut conn, &hash, Purpose::PasswordReset, now)
        .await?
        .ok_or_else(invalid_token)?;
    let user = User::find(&mut conn, user_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let email = user.email.clone().unwrap_or_default();
    let new_password = NewPassword::parse(&typed, &[&email, &user.display_name])
        .map_err(|e| ApiError::Validation(vec![e]))?;
    let password_hash = password::hash(new_password.expose().to_owned()).await?;
    conn.transaction::<_, ApiError, _>(async |conn| {
        EmailToken::redeem(conn, &hash, Purpose::PasswordReset, now)
            .await?
            .ok_or_else(invalid_token)?;
        User::set_password(conn, user.id, &password_hash, now).await?;
        // A reset proves control of the mailbox, so it also confirms the address.
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
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
