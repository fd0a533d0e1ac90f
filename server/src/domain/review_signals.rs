//! Suspicious patterns in an offering's reviews, which put them in the moderation queue by
//! themselves: a burst of reviews from new accounts, from one organisation, or from one client
//! address. The rule only looks at the burst the newest review belongs to: every review is
//! checked as it is written, so an earlier burst was caught when its own last review came in.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};

use crate::domain::closed_set::closed_set;
use crate::domain::{OrganizationId, ReviewId};

closed_set! {
    /// A pattern that fired, as stored with the automatic report.
    pub enum Signal {
        /// Many reviews from accounts younger than `new_account_age`.
        NewAccounts = "new_accounts",
        /// Many reviews written from one school or board.
        OneOrganization = "one_organization",
        /// Many reviews sent from one client address.
        OneClientAddress = "one_client_address",
    }
}

impl Signal {
    /// The report's reason, as moderators read it.
    pub fn reason(self) -> &'static str {
        match self {
            Signal::NewAccounts => {
                "Automatisch gesignaleerd: veel beoordelingen van nieuwe accounts"
            }
            Signal::OneOrganization => {
                "Automatisch gesignaleerd: veel beoordelingen vanuit één organisatie"
            }
            Signal::OneClientAddress => {
                "Automatisch gesignaleerd: veel beoordelingen vanaf één adres"
            }
        }
    }
}

/// The rule's settings (the server reads them from its configuration; see the README).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignalSettings {
    /// Reviews of one offering written within this span of each other count as one burst.
    pub window: Duration,
    /// A burst of this many reviews sharing a trait fires (at least 2).
    pub threshold: usize,
    /// An account younger than this when it wrote the review is new.
    pub new_account_age: Duration,
}

impl Default for SignalSettings {
    fn default() -> Self {
        SignalSettings {
            window: Duration::hours(24),
            threshold: 3,
            new_account_age: Duration::days(7),
        }
    }
}

/// What the rule knows of one review of the offering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecentReview {
    pub id: ReviewId,
    pub written_at: DateTime<Utc>,
    /// When the author's account was made; `None` once the author erased it.
    pub author_since: Option<DateTime<Utc>>,
    pub organization_id: OrganizationId,
    /// The keyed hash of the client address it was sent from (none for older reviews).
    pub client_hash: Option<String>,
}

impl RecentReview {
    fn by_new_account(&self, settings: &SignalSettings) -> bool {
        self.author_since
            .is_some_and(|since| self.written_at - since < settings.new_account_age)
    }
}

/// A signal that fired, with the reviews of its burst (the newest among them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Burst {
    pub signal: Signal,
    pub reviews: BTreeSet<ReviewId>,
}

/// The signals the review `newest` sets off among `reviews` (the offering's reviews, `newest`
/// among them; those outside the window before it are ignored), each with its burst.
pub fn bursts(
    newest: &RecentReview,
    reviews: &[RecentReview],
    settings: &SignalSettings,
) -> Vec<Burst> {
    let since = newest.written_at - settings.window;
    let window: Vec<&RecentReview> = reviews
        .iter()
        .chain(std::iter::once(newest))
        .filter(|r| r.written_at > since && r.written_at <= newest.written_at)
        .collect();
    let mut found = Vec::new();
    let mut check = |signal: Signal, applies: bool, shares: &dyn Fn(&RecentReview) -> bool| {
        let members: BTreeSet<ReviewId> = window
            .iter()
            .filter(|r| applies && shares(r))
            .map(|r| r.id)
            .collect();
        // A threshold below 2 would make every review a burst of its own.
        if members.len() >= settings.threshold.max(2) {
            found.push(Burst {
                signal,
                reviews: members,
            });
        }
    };
    check(Signal::NewAccounts, newest.by_new_account(settings), &|r| {
        r.by_new_account(settings)
    });
    check(Signal::OneOrganization, true, &|r| {
        r.organization_id == newest.organization_id
    });
    check(
        Signal::OneClientAddress,
        newest.client_hash.is_some(),
        &|r| r.client_hash.is_some() && r.client_hash == newest.client_hash,
    );
    found
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use uuid::Uuid;

    use super::*;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 2, 12, 0, 0).unwrap()
    }

    fn organization(n: u128) -> OrganizationId {
        OrganizationId::from(Uuid::from_u128(n))
    }

    /// A review `hours_ago` before now by an account `account_days` old then, from
    /// organisation `org` and client `client`.
    fn review(n: u128, hours_ago: i64, account_days: i64, org: u128, client: &str) -> RecentReview {
        let written_at = now() - Duration::hours(hours_ago);
        RecentReview {
            id: ReviewId::from(Uuid::from_u128(n)),
            written_at,
            author_since: Some(written_at - Duration::days(account_days)),
            organization_id: organization(org),
            client_hash: Some(client.to_owned()),
        }
    }

    fn fired(newest: &RecentReview, others: &[RecentReview]) -> Vec<(Signal, usize)> {
        bursts(newest, others, &SignalSettings::default())
            .into_iter()
            .map(|b| (b.signal, b.reviews.len()))
            .collect()
    }

    #[test]
    fn three_new_accounts_within_a_day_fire_and_name_all_three() {
        let others = [review(1, 20, 1, 1, "a"), review(2, 5, 6, 2, "b")];
        let newest = review(3, 0, 0, 3, "c");
        let found = bursts(&newest, &others, &SignalSettings::default());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].signal, Signal::NewAccounts);
        assert_eq!(
            found[0].reviews,
            [1, 2, 3].map(|n| ReviewId::from(Uuid::from_u128(n))).into()
        );
    }

    #[test]
    fn one_organisation_and_one_address_fire_for_old_accounts_too() {
        let others = [review(1, 3, 400, 7, "a"), review(2, 2, 400, 7, "b")];
        assert_eq!(
            fired(&review(3, 0, 400, 7, "c"), &others),
            [(Signal::OneOrganization, 3)]
        );
        let others = [review(1, 3, 400, 1, "x"), review(2, 2, 400, 2, "x")];
        assert_eq!(
            fired(&review(3, 0, 400, 3, "x"), &others),
            [(Signal::OneClientAddress, 3)]
        );
    }

    #[test]
    fn two_are_no_burst_and_neither_are_reviews_outside_the_window() {
        let two = [review(1, 1, 0, 1, "x")];
        assert_eq!(fired(&review(2, 0, 0, 1, "x"), &two), []);
        // 24 hours before is outside; just inside counts.
        let spaced = [review(1, 24, 0, 1, "x"), review(2, 12, 0, 1, "x")];
        assert_eq!(fired(&review(3, 0, 0, 1, "x"), &spaced), []);
        let inside = [
            RecentReview {
                written_at: now() - Duration::hours(24) + Duration::seconds(1),
                ..review(1, 0, 0, 1, "x")
            },
            review(2, 12, 0, 1, "x"),
        ];
        assert_eq!(fired(&review(3, 0, 0, 1, "x"), &inside).len(), 3);
    }

    #[test]
    fn an_account_of_seven_days_is_no_longer_new_and_an_erased_one_is_unknown() {
        let others = [review(1, 2, 7, 1, "a"), review(2, 1, 0, 2, "b")];
        assert_eq!(fired(&review(3, 0, 0, 3, "c"), &others), []);
        let erased = RecentReview {
            author_since: None,
            ..review(1, 2, 0, 1, "a")
        };
        assert_eq!(
            fired(&review(3, 0, 0, 3, "c"), &[erased, review(2, 1, 0, 2, "b")]),
            []
        );
    }

    #[test]
    fn only_the_burst_of_the_newest_review_fires() {
        // Three new accounts earlier, but the newest is an old account from elsewhere.
        let others = [
            review(1, 3, 0, 1, "a"),
            review(2, 2, 0, 2, "b"),
            review(3, 1, 0, 3, "c"),
        ];
        assert_eq!(fired(&review(4, 0, 400, 4, "d"), &others), []);
        // Reviews without an address never make an address burst.
        let unknown = |n, h| RecentReview {
            client_hash: None,
            ..review(n, h, 400, n, "")
        };
        assert_eq!(fired(&unknown(3, 0), &[unknown(1, 2), unknown(2, 1)]), []);
    }

    #[test]
    fn the_newest_is_counted_once_even_when_listed_among_the_others() {
        let newest = review(3, 0, 400, 7, "c");
        let others = [review(1, 3, 400, 7, "a"), newest.clone()];
        assert_eq!(fired(&newest, &others), []);
    }

    #[test]
    fn a_lower_threshold_and_a_longer_window_are_honoured() {
        let settings = SignalSettings {
            window: Duration::hours(72),
            threshold: 2,
            ..SignalSettings::default()
        };
        let others = [review(1, 48, 400, 7, "a")];
        let found = bursts(&review(2, 0, 400, 7, "b"), &others, &settings);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].signal, Signal::OneOrganization);
    }

    #[test]
    fn reasons_are_dutch_and_name_the_pattern() {
        assert!(Signal::NewAccounts.reason().contains("nieuwe accounts"));
        assert!(Signal::OneOrganization.reason().contains("één organisatie"));
        assert!(Signal::OneClientAddress.reason().contains("één adres"));
        for signal in Signal::ALL {
            assert!(signal.reason().starts_with("Automatisch gesignaleerd"));
        }
    }
}
