//! The rule that keeps every organisation manageable: no change of a membership may take away
//! its last managing member (someone must be left to invite, edit and appoint others).

use crate::domain::Role;

/// A change refused because it would leave the organisation without a manager.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the organisation would be left without a manager")]
pub struct NoManagerLeft;

impl NoManagerLeft {
    pub const DETAIL: &'static str = "This would leave the organisation without a manager; \
        appoint another manager first.";
}

/// Whether one member's role may go from `before` to `after` (`None`: not a member) in an
/// organisation that has `managers` managing members now. Only a change that takes a managing
/// role away from the last manager is refused; an organisation that has no manager yet (one
/// imported from DUO's register) is not made worse by any change.
pub fn keeps_a_manager(
    managers: i64,
    before: Option<Role>,
    after: Option<Role>,
) -> Result<(), NoManagerLeft> {
    let manages = |role: Option<Role>| role.is_some_and(Role::manages);
    if manages(before) && !manages(after) && managers <= 1 {
        Err(NoManagerLeft)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_manager_can_neither_leave_nor_step_down() {
        let leader = Some(Role::SchoolLeader);
        assert_eq!(keeps_a_manager(1, leader, None), Err(NoManagerLeft));
        assert_eq!(
            keeps_a_manager(1, leader, Some(Role::Teacher)),
            Err(NoManagerLeft)
        );
    }

    #[test]
    fn a_second_manager_or_a_managing_role_kept_allows_the_change() {
        let leader = Some(Role::SchoolLeader);
        assert_eq!(keeps_a_manager(2, leader, None), Ok(()));
        assert_eq!(keeps_a_manager(2, leader, Some(Role::Teacher)), Ok(()));
        assert_eq!(
            keeps_a_manager(1, Some(Role::SchoolLeader), Some(Role::BoardOfficer)),
            Ok(())
        );
    }

    #[test]
    fn members_who_do_not_manage_come_and_go_freely() {
        let teacher = Some(Role::Teacher);
        assert_eq!(keeps_a_manager(1, teacher, None), Ok(()));
        assert_eq!(keeps_a_manager(0, None, teacher), Ok(()));
        assert_eq!(keeps_a_manager(0, teacher, None), Ok(()));
        assert_eq!(keeps_a_manager(1, None, Some(Role::SchoolLeader)), Ok(()));
    }
}
