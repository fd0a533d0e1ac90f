//! The caller's own account: who they are and where, and erasing it.

use chrono::{DateTime, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};

use crate::auth::Caller;
use crate::db::models::invitation::Invitation;
use crate::db::models::membership::{Membership, MembershipView};
use crate::db::models::session::Session;
use crate::db::models::user::User;
use crate::domain::{DomainError, DomainResult};

/// The organisations the caller belongs to, with their role in each.
pub async fn memberships(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
) -> DomainResult<Vec<MembershipView>> {
    Ok(Membership::of_user(conn, caller.id()).await?)
}

/// What the GDPR export (art. 15) holds besides the caller's own row.
#[derive(Debug)]
pub struct AccountExport {
    pub memberships: Vec<MembershipView>,
    pub sessions: Vec<Session>,
    /// Invitations sent to the caller's address, accepted or not.
    pub invitations: Vec<Invitation>,
}

/// Everything stored about the caller (their account row is `caller.user`).
pub async fn export_account(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
) -> DomainResult<AccountExport> {
    let user = &caller.user;
    let memberships = Membership::of_user(conn, user.id).await?;
    let sessions = Session::of_user(conn, user.id).await?;
    let invitations = match &user.email {
        Some(email) => Invitation::sent_to(conn, email).await?,
        None => Vec::new(),
    };
    Ok(AccountExport {
        memberships,
        sessions,
        invitations,
    })
}

/// Erase the caller's account: personal data, memberships and sessions go; contributions stay,
/// anonymised. Refused (conflict) while the caller is the last manager of an organisation.
pub async fn erase_account(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let user_id = caller.id();
    conn.transaction::<_, DomainError, _>(async |conn| {
        Membership::end_all_of(conn, user_id, now).await?;
        Session::revoke_all_of(conn, user_id, "account erased", now).await?;
        User::erase(conn, user_id, now).await?;
        Ok(())
    })
    .await?;
    tracing::info!(user_id = %user_id, "account erased");
    Ok(())
}
