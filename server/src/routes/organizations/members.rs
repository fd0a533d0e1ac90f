use actix_web::{HttpResponse, delete, get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::auth::Caller;
use crate::db::models::membership::MemberView;
use crate::domain::{InvitationId, OrganizationId, Role, UserId};
use crate::error::ApiResult;
use crate::http::JsonBody;
use crate::state::AppState;
use crate::usecases::members;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MemberResponse {
    pub user_id: UserId,
    pub display_name: String,
    pub email: Option<String>,
    pub role: Role,
    pub member_since: DateTime<Utc>,
}

impl From<MemberView> for MemberResponse {
    fn from(m: MemberView) -> Self {
        Self {
            user_id: m.user_id,
            display_name: m.display_name,
            email: m.email,
            role: m.role,
            member_since: m.created_at,
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MemberList {
    pub items: Vec<MemberResponse>,
}

/// The organisation's members and their roles (members and moderators only).
#[utoipa::path(tag = "organizations", security(("bearer" = [])), responses((status = 200, body = MemberList)))]
#[get("/{id}/members")]
pub async fn list_members(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<OrganizationId>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let members = members::list_members(&mut conn, &caller, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(MemberList {
        items: members.into_iter().map(Into::into).collect(),
    }))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InviteRequest {
    pub email: String,
    /// `teacher`, `school_leader`, `board_officer`, `coordinator`, `provider_admin` or
    /// `provider_editor`, as fits the kind of organisation.
    pub role: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct InvitationResponse {
    pub id: InvitationId,
    pub organization_id: OrganizationId,
    pub email: String,
    pub role: Role,
    pub expires_at: DateTime<Utc>,
}

/// Invite someone by e-mail to join in a role (the organisation's managers only).
#[utoipa::path(tag = "organizations", security(("bearer" = [])), request_body = InviteRequest,
    responses((status = 201, body = InvitationResponse)))]
#[post("/{id}/members")]
pub async fn invite_member(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<OrganizationId>,
    body: JsonBody<InviteRequest>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let invitation = members::invite_member(
        &mut conn,
        &caller,
        id.into_inner(),
        (&body.0.email, &body.0.role),
        &state.config.public_url,
        state.clock.now(),
    )
    .await?;
    Ok(HttpResponse::Created().json(InvitationResponse {
        id: invitation.id,
        organization_id: invitation.organization_id,
        email: invitation.email,
        role: invitation.role,
        expires_at: invitation.expires_at,
    }))
}

/// Remove a member (managers), or leave (any member removing themselves). The last manager
/// cannot leave (409): the organisation would have no one to manage it.
#[utoipa::path(tag = "organizations", security(("bearer" = [])), responses((status = 204)))]
#[delete("/{id}/members/{user_id}")]
pub async fn remove_member(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(OrganizationId, UserId)>,
) -> ApiResult<HttpResponse> {
    let (organization_id, user_id) = path.into_inner();
    let mut conn = state.conn().await?;
    members::remove_member(
        &mut conn,
        &caller,
        organization_id,
        user_id,
        state.clock.now(),
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptInvitationRequest {
    pub token: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AcceptedInvitation {
    pub organization_id: OrganizationId,
    pub role: Role,
}

/// Accept an invitation with the token from its mail. The caller's e-mail address must be the
/// one invited.
#[utoipa::path(tag = "organizations", security(("bearer" = [])), request_body = AcceptInvitationRequest,
    responses((status = 200, body = AcceptedInvitation)))]
#[post("/v1/invitations/accept")]
pub async fn accept_invitation(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonBody<AcceptInvitationRequest>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let (organization_id, role) =
        members::accept_invitation(&mut conn, &caller, &body.0.token, state.clock.now()).await?;
    Ok(HttpResponse::Ok().json(AcceptedInvitation {
        organization_id,
        role,
    }))
}
