use actix_web::{HttpResponse, delete, get, post, web};
use chrono::{DateTime, Utc};
use diesel_async::AsyncConnection;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::{Caller, token};
use crate::authz::{self, OrgAction};
use crate::db::models::invitation::{Invitation, NewInvitation};
use crate::db::models::membership::{MemberView, Membership};
use crate::domain::{EmailAddress, Fields, OrganizationKind, Role};
use crate::error::{ApiError, ApiResult};
use crate::http::JsonBody;
use crate::mail::{outbox, templates};
use crate::state::AppState;

const INVITATION_TTL_DAYS: i64 = 14;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MemberResponse {
    pub user_id: Uuid,
    pub display_name: String,
    pub email: Option<String>,
    pub role: String,
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
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let (organization, _) =
        authz::organization(&mut conn, &caller, id.into_inner(), OrgAction::ReadMembers).await?;
    let members = Membership::members_of(&mut conn, organization.id).await?;
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
    pub id: Uuid,
    pub organization_id: Uuid,
    pub email: String,
    pub role: String,
    pub expires_at: DateTime<Utc>,
}

/// Invite someone by e-mail to join in a role (the organisation's managers only).
#[utoipa::path(tag = "organizations", security(("bearer" = [])), request_body = InviteRequest,
    responses((status = 201, body = InvitationResponse)))]
#[post("/{id}/members")]
pub async fn invite_member(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: JsonBody<InviteRequest>,
) -> ApiResult<HttpResponse> {
    caller.require_verified()?;
    let mut conn = state.conn().await?;
    let (organization, _) =
        authz::organization(&mut conn, &caller, id.into_inner(), OrgAction::Manage).await?;
    let kind = OrganizationKind::parse(&organization.kind)
        .ok_or_else(|| anyhow::anyhow!("unknown kind"))?;
    let mut fields = Fields::new();
    let email = fields.check("email", EmailAddress::parse(&body.0.email));
    let role = match Role::parse(&body.0.role) {
        Some(role) if kind.allows_role(role) => Some(role),
        Some(_) => {
            fields.push(
                "role",
                "not_applicable",
                format!("is not a role in a {}", kind.as_str()),
            );
            None
        }
        None => {
            fields.push("role", "unknown_code", "is not a role");
            None
        }
    };
    fields.finish()?;
    let (Some(email), Some(role)) = (email, role) else {
        unreachable!("validated above")
    };
    let now = state.clock.now();
    let invite = token::generate();
    let link = format!(
        "{}/invitations/accept?token={}",
        state.config.public_url, invite.plain
    );
    let invitation = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let invitation = Invitation::insert(
                conn,
                &NewInvitation {
                    id: Uuid::now_v7(),
                    organization_id: organization.id,
                    email: email.as_str(),
                    role: role.as_str(),
                    token_hash: &invite.hash,
                    invited_by: Some(caller.id()),
                    created_at: now,
                    expires_at: now + chrono::Duration::days(INVITATION_TTL_DAYS),
                },
            )
            .await?;
            let mail = templates::invitation(
                email.as_str(),
                &organization.name,
                role.label_nl(),
                &caller.user.display_name,
                &link,
            );
            outbox::enqueue(conn, &mail, now).await?;
            Ok(invitation)
        })
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
    path: web::Path<(Uuid, Uuid)>,
) -> ApiResult<HttpResponse> {
    let (organization_id, user_id) = path.into_inner();
    let mut conn = state.conn().await?;
    let action = if user_id == caller.id() {
        OrgAction::ReadMembers
    } else {
        OrgAction::Manage
    };
    let (organization, _) =
        authz::organization(&mut conn, &caller, organization_id, action).await?;
    let now = state.clock.now();
    conn.transaction::<_, ApiError, _>(async |conn| {
        Membership::change(conn, organization.id, user_id, None, now)
            .await?
            .ok_or(ApiError::NotFound)?;
        Ok(())
    })
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
    pub organization_id: Uuid,
    pub role: String,
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
    caller.require_verified()?;
    let hash = token::hash(body.0.token.trim());
    let now = state.clock.now();
    let mut conn = state.conn().await?;
    let accepted = conn
        .transaction::<_, ApiError, _>(async |conn| {
            let invitation = Invitation::find_open_for_update(conn, &hash, now)
                .await?
                .ok_or_else(|| {
                    ApiError::invalid(
                        "token",
                        "invalid",
                        "this invitation is unknown, used or expired",
                    )
                })?;
            if caller.user.email.as_deref() != Some(invitation.email.as_str()) {
                return Err(ApiError::Forbidden(
                    "This invitation was sent to another e-mail address; log in with that address."
                        .into(),
                ));
            }
            // A role the invitation names may demote a manager who invited themselves; the
            // membership rule refuses that for the last one (409).
            let role = Role::parse(&invitation.role).ok_or_else(|| {
                anyhow::anyhow!("invitation with unknown role {}", invitation.role)
            })?;
            Membership::change(
                conn,
                invitation.organization_id,
                caller.id(),
                Some(role),
                now,
            )
            .await?;
            Invitation::mark_accepted(conn, invitation.id, caller.id(), now).await?;
            Ok(AcceptedInvitation {
                organization_id: invitation.organization_id,
                role: invitation.role,
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(accepted))
}
