//! The numbers shown for an offering's reviews: per dimension the count, average and
//! distribution; the counts of all and of verified reviews; the Bayesian score that sorting
//! by rating uses; and aggregates for subgroups (reviewers of one sector), shown only when
//! the group is large enough that no one in it can be singled out.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::OrganizationId;
use crate::domain::review::DIMENSIONS;
use crate::domain::review_signals::SignalSettings;

/// The rules' settings (the server reads them from its configuration; see the README).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReviewSettings {
    /// `C` of the weighted rating: the score an offering without reviews is pulled towards.
    pub prior_mean: f64,
    /// `m` of the weighted rating: how many reviews weigh as much as the prior.
    pub min_count: f64,
    /// A subgroup's aggregate is shown only with more reviews than this ...
    pub subgroup_min_reviews: usize,
    /// ... from at least this many schools (the CBS and NCO rule for pupil data).
    pub subgroup_min_schools: usize,
    /// More reviews than this from one account within 24 hours are refused.
    pub daily_limit: i64,
    /// When a burst of reviews goes to the moderation queue by itself.
    pub signals: SignalSettings,
}

impl Default for ReviewSettings {
    fn default() -> Self {
        ReviewSettings {
            prior_mean: 3.5,
            min_count: 5.0,
            subgroup_min_reviews: 5,
            subgroup_min_schools: 3,
            daily_limit: 10,
            signals: SignalSettings::default(),
        }
    }
}

/// What the numbers are computed from: one visible review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatedReview {
    /// In `DIMENSIONS` order; `overall` is always there.
    pub ratings: [Option<u8>; 6],
    pub verified: bool,
    pub sector: String,
    pub organization_id: OrganizationId,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DimensionStats {
    /// Reviews that rated this dimension.
    pub count: u64,
    pub average: Option<f64>,
    /// How many gave 1, 2, 3, 4 and 5 stars.
    pub distribution: [u64; 5],
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReviewStats {
    pub review_count: u64,
    pub verified_review_count: u64,
    /// By dimension name (`overall`, `fit_with_practice`, ...).
    pub dimensions: BTreeMap<String, DimensionStats>,
}

impl ReviewStats {
    pub fn of<'a>(reviews: impl IntoIterator<Item = &'a RatedReview>) -> ReviewStats {
        ReviewCounts::of(reviews).stats()
    }

    /// The figures from counts alone: how many reviews, how many verified, and per dimension
    /// (in `DIMENSIONS` order) how many gave 1 to 5 stars. What `of` computes, from counts a
    /// database can group in one pass (bulk seeding does).
    pub fn from_distributions(
        review_count: u64,
        verified_review_count: u64,
        distributions: [[u64; 5]; 6],
    ) -> ReviewStats {
        let dimensions = distributions.map(|distribution| {
            let count: u64 = distribution.iter().sum();
            let sum: u64 = distribution
                .iter()
                .zip(1u64..)
                .map(|(n, stars)| n * stars)
                .sum();
            DimensionStats {
                count,
                average: (count > 0).then(|| round(sum as f64 / count as f64)),
                distribution,
            }
        });
        ReviewStats {
            review_count,
            verified_review_count,
            dimensions: DIMENSIONS
                .iter()
                .map(|name| (*name).to_owned())
                .zip(dimensions)
                .collect(),
        }
    }

    pub fn average(&self, dimension: &str) -> Option<f64> {
        self.dimensions.get(dimension).and_then(|d| d.average)
    }

    /// The weighted rating of the overall average under `settings`.
    pub fn score(&self, settings: &ReviewSettings) -> Option<f64> {
        bayesian(self.average("overall"), self.review_count, settings)
    }
}

/// Figures keep four decimals: more than anyone reads, and few enough that a value survives
/// the trip through JSON into a search document exactly (`search verify` compares exactly).
fn round(value: f64) -> f64 {
    (value * 10_000.0).round() / 10_000.0
}

/// The IMDb weighted rating: `(v / (v + m)) R + (m / (v + m)) C` for `v` reviews averaging `R`,
/// prior mean `C` and minimum count `m`. Few reviews stay near the prior, many speak for
/// themselves, so one 5-star review does not outrank forty at 4.7. No reviews, no score.
pub fn bayesian(average: Option<f64>, count: u64, settings: &ReviewSettings) -> Option<f64> {
    let average = average.filter(|_| count > 0)?;
    let v = count as f64;
    let m = settings.min_count.max(0.0);
    Some(round(
        (v / (v + m)) * average + (m / (v + m)) * settings.prior_mean,
    ))
}

/// What the figures of one group of reviews are computed from: counts, as a database groups
/// them in one pass (see `Review::summary_counts`) or as `of` counts them from the reviews.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReviewCounts {
    pub review_count: u64,
    pub verified_review_count: u64,
    /// How many schools (organisations) the reviews come from: the subgroup rule needs it.
    pub organization_count: u64,
    /// Per dimension (in `DIMENSIONS` order), how many gave 1 to 5 stars.
    pub distributions: [[u64; 5]; 6],
}

impl ReviewCounts {
    pub fn of<'a>(reviews: impl IntoIterator<Item = &'a RatedReview>) -> ReviewCounts {
        let mut counts = ReviewCounts::default();
        let mut schools = HashSet::new();
        for review in reviews {
            counts.review_count += 1;
            counts.verified_review_count += u64::from(review.verified);
            schools.insert(review.organization_id);
            for (i, rating) in review.ratings.iter().enumerate() {
                if let Some(stars @ 1..=5) = *rating {
                    counts.distributions[i][usize::from(stars - 1)] += 1;
                }
            }
        }
        counts.organization_count = schools.len() as u64;
        counts
    }

    pub fn stats(&self) -> ReviewStats {
        ReviewStats::from_distributions(
            self.review_count,
            self.verified_review_count,
            self.distributions,
        )
    }

    /// Whether this group's aggregate may be shown as a subgroup's: more than the minimum of
    /// reviews, from at least the minimum of schools.
    pub fn shown_as_subgroup(&self, settings: &ReviewSettings) -> bool {
        self.review_count > settings.subgroup_min_reviews as u64
            && self.organization_count >= settings.subgroup_min_schools as u64
    }
}

/// The counts an offering's summary is computed from: all its visible reviews, those after
/// the start of the recent window, and those of each sector.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SummaryCounts {
    pub all: ReviewCounts,
    pub recent: ReviewCounts,
    pub by_sector: BTreeMap<String, ReviewCounts>,
}

impl SummaryCounts {
    /// The counts of `reviews`, recent meaning created after `since`: what the database's
    /// grouped query answers, computed from the reviews themselves.
    pub fn of(reviews: &[RatedReview], since: DateTime<Utc>) -> SummaryCounts {
        let mut sectors: BTreeMap<&str, Vec<&RatedReview>> = BTreeMap::new();
        for review in reviews {
            sectors.entry(&review.sector).or_default().push(review);
        }
        SummaryCounts {
            all: ReviewCounts::of(reviews),
            recent: ReviewCounts::of(reviews.iter().filter(|r| r.created_at > since)),
            by_sector: sectors
                .into_iter()
                .map(|(sector, group)| (sector.to_owned(), ReviewCounts::of(group)))
                .collect(),
        }
    }
}

/// An offering's review figures as the public sees them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReviewSummary {
    pub all: ReviewStats,
    pub score: Option<f64>,
    pub last_24_months: ReviewStats,
    /// Only the sectors whose group is large enough to show.
    pub by_sector: BTreeMap<String, ReviewStats>,
}

impl ReviewSummary {
    pub fn of(counts: &SummaryCounts, settings: &ReviewSettings) -> ReviewSummary {
        let all = counts.all.stats();
        ReviewSummary {
            score: all.score(settings),
            all,
            last_24_months: counts.recent.stats(),
            by_sector: shown_sectors(&counts.by_sector, settings),
        }
    }
}

/// The aggregates of the sectors whose group may be shown, by sector code.
pub fn shown_sectors(
    by_sector: &BTreeMap<String, ReviewCounts>,
    settings: &ReviewSettings,
) -> BTreeMap<String, ReviewStats> {
    by_sector
        .iter()
        .filter(|(_, counts)| counts.shown_as_subgroup(settings))
        .map(|(sector, counts)| (sector.clone(), counts.stats()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn review(overall: u8, sector: &str, school: OrganizationId) -> RatedReview {
        RatedReview {
            ratings: [Some(overall), None, Some(3), None, None, None],
            verified: overall == 5,
            sector: sector.into(),
            organization_id: school,
            created_at: Utc::now(),
        }
    }

    #[test]
    fn stats_count_average_and_distribute_each_dimension() {
        let school = OrganizationId::generate();
        let reviews = [
            review(5, "vo", school),
            review(4, "vo", school),
            review(4, "po", school),
        ];
        let stats = ReviewStats::of(&reviews);
        assert_eq!((stats.review_count, stats.verified_review_count), (3, 1));
        let overall = &stats.dimensions["overall"];
        assert_eq!(overall.count, 3);
        assert_eq!(overall.distribution, [0, 0, 0, 2, 1]);
        assert_eq!(overall.average, Some(4.3333));
        assert_eq!(stats.average("expertise"), Some(3.0));
        assert_eq!(
            stats.dimensions["fit_with_practice"],
            DimensionStats::default()
        );
        assert_eq!(ReviewStats::of(&[]).score(&ReviewSettings::default()), None);
    }

    #[test]
    fn counts_alone_give_the_same_figures_as_the_reviews() {
        let school = OrganizationId::generate();
        let reviews: Vec<_> = (0..7u8).map(|i| review(i % 5 + 1, "po", school)).collect();
        let mut distributions = [[0u64; 5]; 6];
        for r in &reviews {
            for (d, rating) in r.ratings.iter().enumerate() {
                if let Some(stars) = rating {
                    distributions[d][usize::from(stars - 1)] += 1;
                }
            }
        }
        let verified = reviews.iter().filter(|r| r.verified).count() as u64;
        assert_eq!(
            ReviewStats::from_distributions(7, verified, distributions),
            ReviewStats::of(&reviews)
        );
    }

    #[test]
    fn one_five_star_review_does_not_outrank_forty_at_four_point_seven() {
        let settings = ReviewSettings::default();
        let one = bayesian(Some(5.0), 1, &settings).unwrap();
        let forty = bayesian(Some(4.7), 40, &settings).unwrap();
        assert!(forty > one, "{forty} <= {one}");
        // (1 / 6) 5 + (5 / 6) 3.5 = 3.75; (40 / 45) 4.7 + (5 / 45) 3.5 = 4.5666...
        assert_eq!(one, 3.75);
        assert_eq!(forty, 4.5667);
        // Without a minimum count the score is the plain average.
        let plain = ReviewSettings {
            min_count: 0.0,
            ..settings
        };
        assert_eq!(bayesian(Some(4.2), 3, &plain), Some(4.2));
        assert_eq!(bayesian(None, 0, &settings), None);
    }

    #[test]
    fn a_subgroup_needs_more_than_five_reviews_from_three_schools() {
        let settings = ReviewSettings::default();
        let schools: Vec<_> = (0..3).map(|_| OrganizationId::generate()).collect();
        let shown =
            |reviews: &[RatedReview]| ReviewCounts::of(reviews).shown_as_subgroup(&settings);
        let five: Vec<_> = (0..5).map(|i| review(4, "vo", schools[i % 3])).collect();
        assert!(!shown(&five));
        let mut six = five.clone();
        six.push(review(2, "vo", schools[0]));
        assert!(shown(&six));
        let two_schools: Vec<_> = (0..8).map(|i| review(4, "vo", schools[i % 2])).collect();
        assert!(!shown(&two_schools));

        let mut mixed = six.clone();
        mixed.extend(five.iter().map(|r| RatedReview {
            sector: "po".into(),
            ..r.clone()
        }));
        let counts = SummaryCounts::of(&mixed, Utc::now() - chrono::Duration::days(1));
        let sectors = shown_sectors(&counts.by_sector, &settings);
        assert_eq!(sectors.keys().collect::<Vec<_>>(), ["vo"]);
        assert_eq!(sectors["vo"].review_count, 6);
        assert_eq!(counts.by_sector["po"].organization_count, 3);
    }

    #[test]
    fn the_summary_splits_recent_and_old_and_hides_small_sectors() {
        let settings = ReviewSettings::default();
        let schools: Vec<_> = (0..4).map(|_| OrganizationId::generate()).collect();
        let since = Utc::now() - chrono::Duration::days(730);
        let mut reviews: Vec<_> = (0..8)
            .map(|i| review(u8::try_from(i % 5).unwrap() + 1, "vo", schools[i % 4]))
            .collect();
        // Two old ones, one of them exactly at the window's start (not recent: after, not at).
        reviews[0].created_at = since;
        reviews[1].created_at = since - chrono::Duration::days(3);
        reviews.push(review(5, "po", schools[0]));
        let counts = SummaryCounts::of(&reviews, since);
        assert_eq!(counts.all.review_count, 9);
        assert_eq!(counts.recent.review_count, 7);
        assert_eq!(counts.all.organization_count, 4);
        let summary = ReviewSummary::of(&counts, &settings);
        assert_eq!(summary.all, ReviewStats::of(&reviews));
        assert_eq!(
            summary.last_24_months,
            ReviewStats::of(reviews.iter().filter(|r| r.created_at > since))
        );
        assert_eq!(summary.score, summary.all.score(&settings));
        assert_eq!(summary.by_sector.keys().collect::<Vec<_>>(), ["vo"]);
        assert_eq!(summary.by_sector["vo"].review_count, 8);
    }
}
