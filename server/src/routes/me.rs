//! `/v1/me`: the caller's account, its GDPR export and its erasure.

use actix_web::{HttpResponse, delete, get, web};
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::auth::Caller;
use crate::db::models::membership::MembershipView;
use crate::db::models::user::User;
use crate::domain::{OrganizationId, OrganizationKind, Role, SessionId, UserId};
use crate::error::ApiResult;
use crate::routes::reviews::ReviewResponse;
use crate::state::AppState;
use crate::usecases::account;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MembershipResponse {
    pub organization_id: OrganizationId,
    pub organization_kind: OrganizationKind,
    pub organization_name: String,
    pub role: Role,
}

impl From<MembershipView> for MembershipResponse {
    fn from(m: MembershipView) -> Self {
        Self {
            organization_id: m.organization_id,
            organization_kind: m.organization_kind,
            organization_name: m.organization_name,
            role: m.role,
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MeResponse {
    pub id: UserId,
    pub email: Option<String>,
    pub display_name: String,
    pub email_verified: bool,
    pub is_moderator: bool,
    pub created_at: DateTime<Utc>,
    pub memberships: Vec<MembershipResponse>,
}

impl MeResponse {
    fn new(user: &User, memberships: Vec<MembershipView>) -> Self {
        Self {
            id: user.id,
            email: user.email.clone(),
            display_name: user.display_name.clone(),
            email_verified: user.is_verified(),
            is_moderator: user.is_moderator,
            created_at: user.created_at,
            memberships: memberships.into_iter().map(Into::into).collect(),
        }
    }
}

/// The caller and the organisations they belong to, with their role in each.
#[utoipa::path(tag = "identity", security(("bearer" = [])), responses((status = 200, body = MeResponse)))]
#[get("")]
pub async fn get_me(state: web::Data<AppState>, caller: Caller) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let memberships = account::memberships(&mut conn, &caller).await?;
    Ok(HttpResponse::Ok().json(MeResponse::new(&caller.user, memberships)))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ExportSession {
    pub id: SessionId,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ExportInvitation {
    pub organization_id: OrganizationId,
    pub role: Role,
    pub created_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
}

/// Everything edumarkt stores about a person (GDPR art. 15).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MeExport {
    pub exported_at: DateTime<Utc>,
    pub account: MeResponse,
    pub updated_at: DateTime<Utc>,
    pub email_verified_at: Option<DateTime<Utc>>,
    pub sessions: Vec<ExportSession>,
    pub invitations: Vec<ExportInvitation>,
    pub reviews: Vec<ExportReview>,
}

/// A review the person wrote, with the school or board they wrote it from.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ExportReview {
    pub organization_id: OrganizationId,
    #[serde(flatten)]
    pub review: ReviewResponse,
}

impl MeExport {
    /// The export of `user` with what `account::record` gathered (the pages' download too).
    pub fn new(user: &User, record: account::AccountRecord, now: DateTime<Utc>) -> Self {
        MeExport {
            exported_at: now,
            account: MeResponse::new(user, record.memberships),
            updated_at: user.updated_at,
            email_verified_at: user.email_verified_at,
            sessions: record
                .sessions
                .into_iter()
                .map(|s| ExportSession {
                    id: s.id,
                    created_at: s.created_at,
                    expires_at: s.expires_at,
                    revoked_at: s.revoked_at,
                })
                .collect(),
            invitations: record
                .invitations
                .into_iter()
                .map(|i| ExportInvitation {
                    organization_id: i.organization_id,
                    role: i.role,
                    created_at: i.created_at,
                    accepted_at: i.accepted_at,
                })
                .collect(),
            reviews: record
                .reviews
                .into_iter()
                .map(|view| ExportReview {
                    organization_id: view.review.organization_id,
                    review: ReviewResponse::for_author(view),
                })
                .collect(),
        }
    }
}

/// Everything stored about the caller, as JSON to download.
#[utoipa::path(tag = "identity", security(("bearer" = [])), responses((status = 200, body = MeExport)))]
#[get("/export")]
pub async fn export_me(state: web::Data<AppState>, caller: Caller) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let record = account::record(&mut conn, &caller).await?;
    let export = MeExport::new(&caller.user, record, state.clock.now());
    Ok(HttpResponse::Ok()
        .insert_header((
            "Content-Disposition",
            "attachment; filename=\"edumarkt-export.json\"",
        ))
        .json(export))
}

/// Erase the caller's account: personal data, memberships and sessions go; contributions such
/// as reviews stay, anonymised. The last manager of an organisation must appoint another first
/// (409).
#[utoipa::path(tag = "identity", security(("bearer" = [])), responses((status = 204), (status = 409)))]
#[delete("")]
pub async fn delete_me(state: web::Data<AppState>, caller: Caller) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    account::erase_account(&mut conn, &caller, state.clock.now()).await?;
    Ok(HttpResponse::NoContent().finish())
}
