//! The caller's own account: who they are and where, and erasing it.

use chrono::{DateTime, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};

use crate::auth::Caller;
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
