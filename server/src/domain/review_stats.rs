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
        let mut distributions = [[0u64; 5]; 6];
        let (mut count, mut verified) = (0, 0);
        for review in reviews {
            count += 1;
            verified += u64::from(review.verified);
            for (i, rating) in review.ratings.iter().enumerate() {
                if let Some(stars @ 1..=5) = *rating {
                    distributions[i][usize::from(stars - 1)] += 1;
                }
            }
        }
        ReviewStats::from_distributions(count, verified, distributions)
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

/// Whether a subgroup's aggregate may be shown: more than the minimum of reviews, from at
/// least the minimum of schools.
pub fn subgroup_shown<'a>(
    reviews: impl IntoIterator<Item = &'a RatedReview>,
    settings: &ReviewSettings,
) -> bool {
    let mut count = 0;
    let mut schools = HashSet::new();
    for review in reviews {
        count += 1;
        schools.insert(review.organization_id);
    }
    count > settings.subgroup_min_reviews && schools.len() >= settings.subgroup_min_schools
}

/// The aggregates per sector of the groups that may be shown, by sector code.
pub fn by_sector(
    reviews: &[RatedReview],
    settings: &ReviewSettings,
) -> BTreeMap<String, ReviewStats> {
    let sectors: HashSet<&str> = reviews.iter().map(|r| r.sector.as_str()).collect();
    sectors
        .into_iter()
        .filter_map(|sector| {
            let group: Vec<&RatedReview> = reviews.iter().filter(|r| r.sector == sector).collect();
            subgroup_shown(group.iter().copied(), settings)
                .then(|| (sector.to_owned(), ReviewStats::of(group)))
        })
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
        let five: Vec<_> = (0..5).map(|i| review(4, "vo", schools[i % 3])).collect();
        assert!(!subgroup_shown(&five, &settings));
        let mut six = five.clone();
        six.push(review(2, "vo", schools[0]));
        assert!(subgroup_shown(&six, &settings));
        let two_schools: Vec<_> = (0..8).map(|i| review(4, "vo", schools[i % 2])).collect();
        assert!(!subgroup_shown(&two_schools, &settings));

        let mut mixed = six.clone();
        mixed.extend(five.iter().map(|r| RatedReview {
            sector: "po".into(),
            ..r.clone()
        }));
        let shown = by_sector(&mixed, &settings);
        assert_eq!(shown.keys().collect::<Vec<_>>(), ["vo"]);
        assert_eq!(shown["vo"].review_count, 6);
    }
}
