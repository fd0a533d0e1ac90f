//! People in organisations: who is a member, inviting by e-mail, accepting, leaving.

use chrono::{DateTime, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};

use super::verified;
use crate::auth::{Caller, token};
use crate::authz::{self, OrgAction};
use crate::db::models::invitation::{Invitation, NewInvitation};
use crate::db::models::membership::{MemberView, Membership};
use crate::domain::{DomainError, DomainResult, EmailAddress, Fields, OrganizationKind, Role};
use crate::domain::{InvitationId, OrganizationId, UserId};
use crate::mail::{outbox, templates};

const INVITATION_TTL_DAYS: i64 = 14;

/// The organisation's members and their roles (members and moderators only).
pub async fn list_members(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    organization_id: OrganizationId,
) -> DomainResult<Vec<MemberView>> {
    let (organization, _) =
        authz::organization(conn, caller, organization_id, OrgAction::ReadMembers).await?;
    Ok(Membership::members_of(conn, organization.id).await?)
}

/// The address and role to invite, checked against the kind of organisation.
fn invitee(kind: OrganizationKind, email: &str, role: &str) -> DomainResult<(EmailAddress, Role)> {
    let mut fields = Fields::new();
    let email = fields.check("email", EmailAddress::parse(email));
    let role = match Role::parse(role) {
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
    let parsed = (|| Some((email?, role?)))();
    fields.finish_with(parsed)
}

/// Invite someone by e-mail to join in a role (the organisation's managers only); the mail
/// with the link (under `public_url`) is queued in the same transaction.
pub async fn invite_member(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    organization_id: OrganizationId,
    (email, role): (&str, &str),
    public_url: &str,
    now: DateTime<Utc>,
) -> DomainResult<Invitation> {
    verified(caller)?;
    let (organization, _) =
        authz::organization(conn, caller, organization_id, OrgAction::Manage).await?;
    let kind = organization.kind;
    let (email, role) = invitee(kind, email, role)?;
    let invite = token::generate();
    let link = format!("{public_url}/invitations/accept?token={}", invite.plain);
    conn.transaction::<_, DomainError, _>(async |conn| {
        let invitation = Invitation::insert(
            conn,
            &NewInvitation {
                id: InvitationId::generate(),
                organization_id: organization.id,
                email: email.as_str(),
                role,
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
    .await
}

/// Remove a member (managers), or leave (any member removing themselves). The last manager
/// cannot leave (409): the organisation would have no one to manage it.
pub async fn remove_member(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    organization_id: OrganizationId,
    user_id: UserId,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let action = if user_id == caller.id() {
        OrgAction::ReadMembers
    } else {
        OrgAction::Manage
    };
    let (organization, _) = authz::organization(conn, caller, organization_id, action).await?;
    conn.transaction::<_, DomainError, _>(async |conn| {
        Membership::change(conn, organization.id, user_id, None, now)
            .await?
            .ok_or(DomainError::NotFound)?;
        Ok(())
    })
    .await
}

/// Accept an invitation with the token from its mail; the caller's address must be the one
/// invited. Answers the organisation joined and the role taken.
pub async fn accept_invitation(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    plain_token: &str,
    now: DateTime<Utc>,
) -> DomainResult<(OrganizationId, Role)> {
    verified(caller)?;
    let hash = token::hash(plain_token.trim());
    conn.transaction::<_, DomainError, _>(async |conn| {
        let invitation = Invitation::find_open_for_update(conn, &hash, now)
            .await?
            .ok_or_else(|| {
                DomainError::invalid(
                    "token",
                    "invalid",
                    "this invitation is unknown, used or expired",
                )
            })?;
        if caller.user.email.as_deref() != Some(invitation.email.as_str()) {
            return Err(DomainError::Forbidden(
                "This invitation was sent to another e-mail address; log in with that address."
                    .into(),
            ));
        }
        // A role the invitation names may demote a manager who invited themselves; the
        // membership rule refuses that for the last one (409).
        let role = invitation.role;
        Membership::change(
            conn,
            invitation.organization_id,
            caller.id(),
            Some(role),
            now,
        )
        .await?;
        Invitation::mark_accepted(conn, invitation.id, caller.id(), now).await?;
        Ok((invitation.organization_id, role))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invitation_names_a_role_of_the_organisations_kind() {
        let (email, role) = invitee(OrganizationKind::School, "juf@school.nl", "teacher").unwrap();
        assert_eq!((email.as_str(), role), ("juf@school.nl", Role::Teacher));
        let Err(DomainError::Invalid(errors)) =
            invitee(OrganizationKind::Provider, "nope", "teacher")
        else {
            panic!("expected field errors")
        };
        let codes: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(codes, [("email", "invalid"), ("role", "not_applicable")]);
    }
}
