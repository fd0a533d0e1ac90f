//! Reviews: who may write one, and who may change, answer, confirm or vote on one. Reviews of
//! published offerings are public; each decision below is a pure function of what was read.

use crate::db::models::membership::MembershipView;
use crate::domain::review::is_reviewer_role;
use crate::domain::{DomainError, DomainResult, OrganizationId, OrganizationKind, Role, UserId};

/// Why someone may not review an offering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoReview {
    Unverified,
    ProviderStaff,
    NoSchool,
}

impl NoReview {
    fn reason(self) -> &'static str {
        match self {
            NoReview::Unverified => "Confirm your e-mail address before writing a review.",
            NoReview::ProviderStaff => {
                "Staff of the offering's provider cannot review its offerings."
            }
            NoReview::NoSchool => {
                "Only teachers, school leaders and board officers of a school or school board \
                 can write a review."
            }
        }
    }
}

impl From<NoReview> for DomainError {
    fn from(refusal: NoReview) -> Self {
        DomainError::Forbidden(refusal.reason().into())
    }
}

/// The memberships someone may review from: a reviewer's role at a school or school board.
pub fn reviewer_memberships(memberships: &[MembershipView]) -> Vec<&MembershipView> {
    memberships
        .iter()
        .filter(|m| {
            matches!(
                m.organization_kind,
                OrganizationKind::School | OrganizationKind::SchoolBoard
            ) && is_reviewer_role(m.role)
        })
        .collect()
}

/// Why someone with these memberships (and a confirmed address, or not) may not review an
/// offering of `provider_id`, if they may not: the pages say it before showing a form.
pub fn review_refusal(
    verified: bool,
    memberships: &[MembershipView],
    provider_id: OrganizationId,
) -> Option<NoReview> {
    if !verified {
        return Some(NoReview::Unverified);
    }
    // Staff never review their own provider, whatever schools they also belong to.
    if memberships.iter().any(|m| m.organization_id == provider_id) {
        return Some(NoReview::ProviderStaff);
    }
    reviewer_memberships(memberships)
        .is_empty()
        .then_some(NoReview::NoSchool)
}

/// Whether someone with these memberships (and a confirmed address, or not) may review an
/// offering of `provider_id`; on success, the membership reviewed from: `chosen` when given
/// (it must be one of theirs), otherwise the first.
pub fn may_review(
    verified: bool,
    memberships: &[MembershipView],
    provider_id: OrganizationId,
    chosen: Option<OrganizationId>,
) -> DomainResult<(OrganizationId, Role)> {
    if let Some(refusal) = review_refusal(verified, memberships, provider_id) {
        return Err(refusal.into());
    }
    let eligible = reviewer_memberships(memberships);
    let first = eligible.first().ok_or(NoReview::NoSchool)?;
    match chosen {
        None => Ok((first.organization_id, first.role)),
        Some(id) => eligible
            .iter()
            .find(|m| m.organization_id == id)
            .map(|m| (m.organization_id, m.role))
            .ok_or_else(|| {
                DomainError::invalid(
                    "organization_id",
                    "not_member",
                    "must be a school or board you belong to as teacher, school leader or \
                     board officer",
                )
            }),
    }
}

/// Only the author edits or deletes a review.
pub fn may_change(author_id: Option<UserId>, caller: UserId) -> DomainResult<()> {
    if author_id == Some(caller) {
        Ok(())
    } else {
        Err(DomainError::Forbidden(
            "Only the review's author may change or delete it.".into(),
        ))
    }
}

/// A vote counts only from someone other than the author.
pub fn may_vote(author_id: Option<UserId>, caller: UserId) -> DomainResult<()> {
    if author_id == Some(caller) {
        Err(DomainError::Forbidden(
            "You cannot vote on your own review.".into(),
        ))
    } else {
        Ok(())
    }
}

/// Only the offering's provider's staff (its role at that provider) answer a review.
pub fn may_respond(role_at_provider: Option<Role>) -> DomainResult<()> {
    if matches!(
        role_at_provider,
        Some(Role::ProviderAdmin | Role::ProviderEditor)
    ) {
        Ok(())
    } else {
        Err(DomainError::Forbidden(
            "Only the offering's provider may answer its reviews.".into(),
        ))
    }
}

/// A leader of the school (or board) the review was written from confirms the usage; not the
/// author themself.
pub fn may_confirm(
    role_at_school: Option<Role>,
    author_id: Option<UserId>,
    caller: UserId,
) -> DomainResult<()> {
    if author_id == Some(caller) {
        return Err(DomainError::Forbidden(
            "Another leader of your school must confirm your own usage.".into(),
        ));
    }
    if matches!(
        role_at_school,
        Some(Role::SchoolLeader | Role::BoardOfficer)
    ) {
        Ok(())
    } else {
        Err(DomainError::Forbidden(
            "Only a school leader of the reviewer's school may confirm the usage.".into(),
        ))
    }
}

/// Only the platform's moderators see the queue and decide on reports.
pub fn may_moderate(is_moderator: bool) -> DomainResult<()> {
    if is_moderator {
        Ok(())
    } else {
        Err(DomainError::Forbidden(
            "Only moderators may do this.".into(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn membership(kind: OrganizationKind, role: Role) -> MembershipView {
        MembershipView {
            organization_id: OrganizationId::generate(),
            organization_kind: kind,
            organization_name: "x".into(),
            role,
        }
    }

    fn refusal(result: DomainResult<(OrganizationId, Role)>) -> String {
        match result {
            Err(DomainError::Forbidden(reason)) => reason,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn teachers_of_schools_review_staff_and_outsiders_do_not() {
        let school = membership(OrganizationKind::School, Role::Teacher);
        let provider = membership(OrganizationKind::Provider, Role::ProviderEditor);
        let other_provider = OrganizationId::generate();
        let ok = may_review(true, std::slice::from_ref(&school), other_provider, None);
        assert_eq!(ok.unwrap(), (school.organization_id, Role::Teacher));
        assert!(
            refusal(may_review(
                false,
                std::slice::from_ref(&school),
                other_provider,
                None
            ))
            .contains("Confirm")
        );
        let both = [school.clone(), provider.clone()];
        assert!(refusal(may_review(true, &both, provider.organization_id, None)).contains("Staff"));
        // Staff of another provider who teach may review.
        assert!(may_review(true, &both, other_provider, None).is_ok());
        let network = membership(OrganizationKind::Network, Role::Coordinator);
        assert!(refusal(may_review(true, &[network], other_provider, None)).contains("Only"));
        let chosen = may_review(
            true,
            std::slice::from_ref(&school),
            other_provider,
            Some(OrganizationId::generate()),
        );
        assert!(matches!(chosen, Err(DomainError::Invalid(_))));
    }

    #[test]
    fn only_authors_change_others_vote_staff_respond_leaders_confirm() {
        let (author, other) = (UserId::generate(), UserId::generate());
        assert!(may_change(Some(author), author).is_ok());
        assert!(may_change(Some(author), other).is_err());
        assert!(may_change(None, other).is_err());
        assert!(may_vote(Some(author), author).is_err());
        assert!(may_vote(Some(author), other).is_ok());
        assert!(may_respond(Some(Role::ProviderEditor)).is_ok());
        assert!(may_respond(Some(Role::Teacher)).is_err());
        assert!(may_respond(None).is_err());
        assert!(may_confirm(Some(Role::SchoolLeader), Some(author), other).is_ok());
        assert!(may_confirm(Some(Role::SchoolLeader), Some(author), author).is_err());
        assert!(may_confirm(Some(Role::Teacher), Some(author), other).is_err());
        assert!(may_moderate(true).is_ok() && may_moderate(false).is_err());
    }
}
