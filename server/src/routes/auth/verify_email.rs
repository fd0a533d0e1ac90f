use actix_web::{HttpResponse, post, web};
use diesel_async::AsyncConnection;
use serde::Deserialize;

use crate::auth::token;
use crate::db::models::email_token::{EmailToken, Purpose};
use crate::db::models::user::User;
use crate::domain::EmailAddress;
use crate::domain::UserId;
use crate::error::{ApiError, ApiResult};
use crate::http::JsonBody;
use crate::mail::{outbox, templates};
use crate::state::AppState;

pub const VERIFY_TTL_HOURS: i64 = 24;

/// Creates a verification token and queues the mail with its link (in the caller's transaction).
pub async fn queue_verification(
    conn: &mut diesel_async::AsyncPgConnection,
    user_id: UserId,
    email: &str,
    display_name: &str,
    public_url: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> diesel::QueryResult<()> {
    let verify = token::generate();
    let expires = now + chrono::Duration::hours(VERIFY_TTL_HOURS);
    EmailToken::insert(
        conn,
        &verify.hash,
        user_id,
        Purpose::VerifyEmail,
        now,
        expires,
    )
    .await?;
    let link = format!("{public_url}/verify-email?token={}", verify.plain);
    outbox::enqueue(
        conn,
        &templates::verify_email(email, display_name, &link),
        now,
    )
    .await
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyEmailRequest {
    pub token: String,
}

/// Confirm an e-mail address with the token from the verification mail.
#[utoipa::path(tag = "identity", request_body = VerifyEmailRequest,
    responses((status = 204, description = "The address is confirmed")))]
#[post("/verify-email")]
pub async fn verify_email(
    state: web::Data<AppState>,
    body: JsonBody<VerifyEmailRequest>,
) -> ApiResult<HttpResponse> {
    let now = state.clock.now();
    let mut conn = state.conn().await?;
    let hash = token::hash(body.0.token.trim());
    conn.transaction::<_, ApiError, _>(async |conn| {
        let user_id = EmailToken::redeem(conn, &hash, Purpose::VerifyEmail, now)
            .await?
            .ok_or_else(|| {
                ApiError::invalid(
                    "token",
                    "invalid",
                    "this link is unknown, used or expired; ask for a new one",
                )
            })?;
        User::mark_verified(conn, user_id, now).await?;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResendVerificationRequest {
    pub email: String,
}

/// Send the verification mail again. Always 202, whether or not the address is registered.
#[utoipa::path(tag = "identity", request_body = ResendVerificationRequest,
    responses((status = 202, description = "If the address has an unconfirmed account, a new link is on its way")))]
#[post("/verify-email/resend")]
pub async fn resend_verification(
    state: web::Data<AppState>,
    body: JsonBody<ResendVerificationRequest>,
) -> ApiResult<HttpResponse> {
    let email = EmailAddress::parse(&body.0.email).map_err(|e| ApiError::Validation(vec![e]))?;
    let now = state.clock.now();
    let mut conn = state.conn().await?;
    let public_url = state.config.public_url.clone();
    conn.transaction::<_, ApiError, _>(async |conn| {
        if let Some(user) = User::find_by_email(conn, email.as_str())
            .await?
            .filter(|u| !u.is_verified())
        {
            queue_verification(
                conn,
                user.id,
                email.as_str(),
                &user.display_name,
                &public_url,
                now,
            )
            .await?;
        }
        Ok(())
    })
    .await?;
    Ok(HttpResponse::Accepted().finish())
}
