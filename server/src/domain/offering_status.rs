//! An offering's life: draft → published ⇄ archived (a draft may also be archived unseen).
//! One pure function decides every move, so the API, the pages and later jobs share it.

use crate::domain::closed_set::closed_set;

closed_set! {
    /// Where an offering is in its life.
    pub enum Status {
        Draft = "draft",
        Published = "published",
        Archived = "archived",
    }
}

impl Status {
    /// Whether everyone may see an offering in this state (the others only its provider's
    /// staff and moderators).
    pub fn is_public(self) -> bool {
        self == Status::Published
    }
}

/// What a caller asks to do with an offering's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    /// Make it public (a draft, or an archived offering again).
    Publish,
    /// Take it out of public listings; the provider still reads it.
    Archive,
}

impl Move {
    pub fn target(self) -> Status {
        match self {
            Move::Publish => Status::Published,
            Move::Archive => Status::Archived,
        }
    }
}

/// What the caller may do, as far as moving an offering goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mover {
    /// Works for the provider (admin or editor).
    pub staff: bool,
    /// Has confirmed their e-mail address: needed to make anything public.
    pub verified: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Only the provider's staff move its offerings.
    NotStaff,
    /// Publishing needs a confirmed e-mail address.
    Unverified,
    /// The offering is already where the move would take it.
    Already(Status),
}

impl Refused {
    pub fn reason(self) -> String {
        match self {
            Refused::NotStaff => {
                "Only the provider's admins and editors may change its offerings.".into()
            }
            Refused::Unverified => "Confirm your e-mail address first; we sent you a link.".into(),
            Refused::Already(status) => format!("The offering is already {}.", status.as_str()),
        }
    }
}

/// The status after `step`, or why the caller may not take it. No move leads back to draft:
/// once seen publicly, an offering is either public or archived.
pub fn next(current: Status, step: Move, mover: Mover) -> Result<Status, Refused> {
    if !mover.staff {
        return Err(Refused::NotStaff);
    }
    if step == Move::Publish && !mover.verified {
        return Err(Refused::Unverified);
    }
    let target = step.target();
    if current == target {
        return Err(Refused::Already(current));
    }
    Ok(target)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn status() -> impl Strategy<Value = Status> {
        prop::sample::select(Status::ALL.to_vec())
    }

    fn step() -> impl Strategy<Value = Move> {
        prop::sample::select(vec![Move::Publish, Move::Archive])
    }

    fn mover() -> impl Strategy<Value = Mover> {
        (any::<bool>(), any::<bool>()).prop_map(|(staff, verified)| Mover { staff, verified })
    }

    #[test]
    fn the_lifecycle_of_an_offering() {
        let editor = Mover {
            staff: true,
            verified: true,
        };
        let published = next(Status::Draft, Move::Publish, editor).unwrap();
        assert_eq!(published, Status::Published);
        let archived = next(published, Move::Archive, editor).unwrap();
        assert_eq!(next(archived, Move::Publish, editor), Ok(Status::Published));
        assert_eq!(
            next(Status::Draft, Move::Archive, editor),
            Ok(Status::Archived)
        );
        assert_eq!(
            next(archived, Move::Archive, editor),
            Err(Refused::Already(Status::Archived))
        );
    }

    proptest! {
        #[test]
        fn only_staff_move_offerings(current in status(), step in step(), verified in any::<bool>()) {
            let outsider = Mover { staff: false, verified };
            prop_assert_eq!(next(current, step, outsider), Err(Refused::NotStaff));
        }

        #[test]
        fn nothing_is_made_public_without_a_confirmed_address(current in status()) {
            let mover = Mover { staff: true, verified: false };
            prop_assert_eq!(next(current, Move::Publish, mover), Err(Refused::Unverified));
        }

        #[test]
        fn a_move_lands_on_its_target_and_never_on_draft(current in status(), step in step(), mover in mover()) {
            if let Ok(to) = next(current, step, mover) {
                prop_assert_eq!(to, step.target());
                prop_assert_ne!(to, Status::Draft);
                prop_assert_ne!(to, current);
            }
        }

        #[test]
        fn the_same_move_twice_is_refused_the_second_time(current in status(), step in step()) {
            let editor = Mover { staff: true, verified: true };
            let to = next(current, step, editor).unwrap_or(current);
            prop_assert_eq!(next(to, step, editor), Err(Refused::Already(step.target())));
        }

        #[test]
        fn an_archived_offering_can_only_be_published_again(step in step(), mover in mover()) {
            if let Ok(to) = next(Status::Archived, step, mover) {
                prop_assert_eq!((step, to), (Move::Publish, Status::Published));
            }
        }

        #[test]
        fn status_names_round_trip(current in status()) {
            prop_assert_eq!(Status::parse(current.as_str()), Some(current));
        }
    }
}
