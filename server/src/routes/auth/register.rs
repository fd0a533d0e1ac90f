use actix_web::{HttpResponse, post, web};
use diesel_async::AsyncConnection;
use serde::{Deserialize, Serialize};

use crate::auth::password;
use crate::db::models::user::{NewUser, User};
use crate::domain::UserId;
use crate::domain::password::NewPassword;
use crate::domain::{EmailAddress, Fields};
use crate::error::{ApiError, ApiResult, is_unique_violation};
use crate::http::JsonBody;
use crate::mail::{outbox, templates};
use crate::routes::auth::verify_email::queue_verification;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    pub email: String,
    pub password: String,
    pub display_name: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RegisterResponse {
    /// `verification_sent`: check your mailbox. The same answer whether or not the address
    /// already had an account, so registration does not reveal who is registered.
    pub status: &'static str,
}

/// Create an account; a verification link is mailed to the address.
#[utoipa::path(tag = "identity", request_body = RegisterRequest,
    responses((status = 201, body = RegisterResponse)))]
#[post("/register")]
pub async fn register_user(
    state: web::Data<AppState>,
    body: JsonBody<RegisterRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.0;
    let mut fields = Fields::new();
    let email = fields.check("email", EmailAddress::parse(&body.email));
    let display_name = fields.text("display_name", &body.display_name, 100);
    let password = fields.check(
        "password",
        NewPassword::parse(&body.password, &[&body.email, &body.display_name]),
    );
    let parsed = (|| Some((email?, display_name?, password?)))();
    let (email, display_name, password) = fields.finish_with(parsed)?;
    let password_hash = password::hash(password.expose().to_owned()).await?;
    let now = state.clock.now();
    let mut conn = state.conn().await?;
    let public_url = state.config.public_url.clone();
    conn.transaction::<_, ApiError, _>(async |conn| {
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
                queue_verification(
                    conn,
                    user.id,
                    email.as_str(),
                    &display_name,
                    &public_url,
                    now,
                )
                .await?;
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
    .await?;
    Ok(HttpResponse::Created().json(RegisterResponse {
        status: "verification_sent",
    }))
}
