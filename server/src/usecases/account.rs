//! The caller's own account: who they are and where, what is stored about them, and erasing
//! it.

use chrono::{DateTime, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};

use crate::auth::Caller;
use crate::db::models::invitation::Invitation;
use crate::db::models::membership::{Membership, MembershipView};
use crate::db::models::review::{Review, ReviewView};
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

/// Everything stored about a person (GDPR art. 15), gathered for an export.
pub struct AccountRecord {
    pub memberships: Vec<MembershipView>,
    pub sessions: Vec<Session>,
    /// Invitations sent to the person's address, accepted or not.
    pub invitations: Vec<Invitation>,
    /// The reviews the person wrote, with everything they hold.
    pub reviews: Vec<ReviewView>,
}

/// What edumarkt stores about the caller besides the account itself (which the caller holds).
pub async fn record(conn: &mut AsyncPgConnection, caller: &Caller) -> DomainResult<AccountRecord> {
    let user = &caller.user;
    Ok(AccountRecord {
        memberships: Membership::of_user(conn, user.id).await?,
        sessions: Session::of_user(conn, user.id).await?,
        invitations: match &user.email {
            Some(email) => Invitation::sent_to(conn, email).await?,
            None => Vec::new(),
        },
        reviews: {
            let written = Review::of_author(conn, user.id).await?;
            Review::views(conn, written).await?
        },
    })
}

/// Erase the caller's account: personal data, memberships and sessions go; contributions stay,
/// anonymised (reviews lose their link to the account and never show the name again). Refused (conflict) while the caller is the last manager of an organisation.
pub async fn erase_account(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let user_id = caller.id();
    conn.transaction::<_, DomainError, _>(async |conn| {
        Membership::end_all_of(conn, user_id, now).await?;
        Session::revoke_all_of(conn, user_id, "account erased", now).await?;
        Review::anonymise_of_author(conn, user_id).await?;
        User::erase(conn, user_id, now).await?;
        Ok(())
    })
    .await?;
    tracing::info!(user_id = %user_id, "account erased");
    Ok(())
}
