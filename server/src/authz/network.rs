//! Which networks a lookup of organisations may show the caller.

use crate::auth::Caller;
use crate::domain::UserId;

/// Which networks a lookup may show; schools, boards and providers are public registers and
/// always shown. The same rule as `organization` applies to one network, here as a filter for
/// one query instead of a check per row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetworkScope {
    /// Moderators see every network.
    All,
    /// The networks the user coordinates (is a member of) or whose member organisations the
    /// user belongs to.
    VisibleTo(UserId),
}

pub fn network_scope(caller: &Caller) -> NetworkScope {
    if caller.user.is_moderator {
        NetworkScope::All
    } else {
        NetworkScope::VisibleTo(caller.id())
    }
}
