//! A network's insight into its demand (`shared/domain.md`, workflow 5): what its schools and
//! boards asked for through the network's bundles, by domain, service type, sector and region,
//! per quarter, next to annex 2's national shares. PostgreSQL does the counting (grouped, one
//! row per group); the rules here decide what may be shown of each group and lay the groups
//! out on a continuous time axis.
//!
//! The one rule of disclosure: no figure is shown that comes from fewer than
//! `MIN_ORGANIZATIONS` distinct organisations. Such a group is *suppressed*, said as such, never
//! shown as zero (a zero would read as "no demand", and a small number would point at a school).

use std::collections::BTreeMap;
use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::domain::taxonomy;

/// The least number of distinct organisations a shown figure comes from (the CBS and NCO rule
/// for pupil data, as for the reviews' subgroups).
pub const MIN_ORGANIZATIONS: i64 = 3;

/// The longest time axis shown: ten years of quarters, the most recent ones.
pub const MAX_QUARTERS: usize = 40;

/// A calendar quarter. Bundles are placed in the quarter of their joining deadline on the
/// Dutch calendar (the query truncates in Europe/Amsterdam): that is when the demand was
/// settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    year: i32,
    /// 1 to 4.
    quarter: u8,
}

impl Quarter {
    /// The quarter a date falls in.
    pub fn of(date: NaiveDate) -> Quarter {
        Quarter {
            year: date.year(),
            // month0 is 0..=11, so the quarter is 1..=4.
            quarter: u8::try_from(date.month0() / 3 + 1).unwrap_or(4),
        }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    /// 1 to 4.
    pub fn number(self) -> u8 {
        self.quarter
    }

    pub fn next(self) -> Quarter {
        if self.quarter == 4 {
            Quarter {
                year: self.year + 1,
                quarter: 1,
            }
        } else {
            Quarter {
                year: self.year,
                quarter: self.quarter + 1,
            }
        }
    }
}

/// `2027-Q1`, the code the API uses.
impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-Q{}", self.year, self.quarter)
    }
}

impl Serialize for Quarter {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Every quarter from the earliest to the latest of `seen`, the empty ones in between
/// included (a chart's axis has no holes); only the latest `MAX_QUARTERS` of a longer span.
pub fn quarters_spanning(seen: impl IntoIterator<Item = Quarter>) -> Vec<Quarter> {
    let mut seen = seen.into_iter();
    let Some(first) = seen.next() else {
        return Vec::new();
    };
    let (min, max) = seen.fold((first, first), |(lo, hi), q| (lo.min(q), hi.max(q)));
    let span = (max.year - min.year) * 4 + i32::from(max.quarter) - i32::from(min.quarter) + 1;
    let skip = usize::try_from(span)
        .unwrap_or(0)
        .saturating_sub(MAX_QUARTERS);
    std::iter::successors(Some(min), |q| Some(q.next()))
        .take_while(|q| *q <= max)
        .skip(skip)
        .collect()
}

/// The way the demand is broken down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Dimension {
    /// All of the network's demand together.
    Total,
    Domain,
    ServiceType,
    Sector,
    Region,
}

impl Dimension {
    pub fn parse(raw: &str) -> Option<Dimension> {
        Some(match raw {
            "total" => Dimension::Total,
            "domain" => Dimension::Domain,
            "service_type" => Dimension::ServiceType,
            "sector" => Dimension::Sector,
            "region" => Dimension::Region,
            _ => return None,
        })
    }

    /// The place of `key` in the taxonomy's order of this dimension (unknown codes last).
    fn rank(self, key: &str) -> usize {
        let position = match self {
            Dimension::Total => Some(0),
            Dimension::Domain => taxonomy::DOMAINS.iter().position(|c| c.code == key),
            Dimension::ServiceType => taxonomy::SERVICE_TYPES.iter().position(|s| s.code == key),
            Dimension::Sector => taxonomy::SECTORS.iter().position(|c| c.code == key),
            Dimension::Region => taxonomy::PROVINCES
                .iter()
                .position(|c| c.code == key)
                .or((key == taxonomy::NATIONWIDE.code).then_some(taxonomy::PROVINCES.len())),
        };
        position.unwrap_or(usize::MAX)
    }
}

/// What PostgreSQL counted for one group of participations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupCounts {
    /// Distinct organisations that joined (a school joining two bundles counts once).
    pub organizations: i64,
    pub bundles: i64,
    pub quantity: i64,
    /// The distinct units of quantity of the group's bundles, and one of them.
    pub units: i64,
    pub unit: Option<String>,
    pub budget_cents: i64,
}

/// One counted group: `period` None is the group over all periods (distinct organisations do
/// not add up over quarters, so PostgreSQL counts that row itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRow {
    pub dimension: Dimension,
    pub key: String,
    pub period: Option<Quarter>,
    pub counts: GroupCounts,
}

/// What may be shown of one group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Figure {
    Shown {
        organizations: i64,
        bundles: i64,
        /// None when the group's bundles count in different units (pupils and hours do not
        /// add up).
        quantity: Option<i64>,
        unit: Option<String>,
        budget_cents: i64,
    },
    /// Fewer than `MIN_ORGANIZATIONS` organisations: nothing of it is shown.
    Suppressed,
    /// Nobody joined a bundle of this group in this period.
    None,
}

impl Figure {
    pub fn of(counts: Option<&GroupCounts>) -> Figure {
        match counts {
            None => Figure::None,
            Some(c) if c.organizations == 0 => Figure::None,
            Some(c) if c.organizations < MIN_ORGANIZATIONS => Figure::Suppressed,
            Some(c) => {
                let one_unit = c.units == 1;
                Figure::Shown {
                    organizations: c.organizations,
                    bundles: c.bundles,
                    quantity: one_unit.then_some(c.quantity),
                    unit: if one_unit { c.unit.clone() } else { None },
                    budget_cents: c.budget_cents,
                }
            }
        }
    }

    /// The number of organisations, when shown.
    pub fn organizations(&self) -> Option<i64> {
        match self {
            Figure::Shown { organizations, .. } => Some(*organizations),
            Figure::Suppressed | Figure::None => None,
        }
    }
}

/// One period's figure of a group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PeriodFigure {
    /// The quarter, `2027-Q1`.
    #[schema(value_type = String, example = "2027-Q1")]
    pub period: Quarter,
    pub figure: Figure,
}

/// One group (a domain, a service type, ...) over all periods and per period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Breakdown {
    /// The taxonomy's code (`all` for the total).
    pub code: String,
    pub overall: Figure,
    /// One per quarter of `Demand::periods`, in order.
    pub by_period: Vec<PeriodFigure>,
}

/// The network's demand laid out for display.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Demand {
    /// The time axis: every quarter from the first to the last with demand.
    #[schema(value_type = Vec<String>)]
    pub periods: Vec<Quarter>,
    pub total: Breakdown,
    pub by_domain: Vec<Breakdown>,
    pub by_service_type: Vec<Breakdown>,
    pub by_sector: Vec<Breakdown>,
    pub by_region: Vec<Breakdown>,
}

/// The key of the total's one group.
pub const TOTAL_KEY: &str = "all";

/// Lays the counted groups out: each dimension's groups in the taxonomy's order, each with a
/// figure for every quarter of the axis, what may not be shown suppressed.
pub fn demand(rows: &[GroupRow]) -> Demand {
    let periods = quarters_spanning(rows.iter().filter_map(|r| r.period));
    type Key<'a> = (Dimension, &'a str);
    let mut groups: BTreeMap<Key<'_>, (Option<&GroupCounts>, BTreeMap<Quarter, &GroupCounts>)> =
        BTreeMap::new();
    for row in rows {
        let group = groups.entry((row.dimension, row.key.as_str())).or_default();
        match row.period {
            None => group.0 = Some(&row.counts),
            Some(q) => {
                group.1.insert(q, &row.counts);
            }
        }
    }
    let breakdown =
        |code: &str, (overall, per): &(Option<&GroupCounts>, BTreeMap<Quarter, &GroupCounts>)| {
            Breakdown {
                code: code.to_owned(),
                overall: Figure::of(*overall),
                by_period: periods
                    .iter()
                    .map(|q| PeriodFigure {
                        period: *q,
                        figure: Figure::of(per.get(q).copied()),
                    })
                    .collect(),
            }
        };
    let of = |dimension: Dimension| {
        let mut keys: Vec<_> = groups
            .iter()
            .filter(|((d, _), _)| *d == dimension)
            .collect();
        keys.sort_by_key(|((d, key), _)| (d.rank(key), *key));
        keys.into_iter()
            .map(|((_, key), group)| breakdown(key, group))
            .collect::<Vec<_>>()
    };
    let total = groups.get(&(Dimension::Total, TOTAL_KEY)).map_or_else(
        || breakdown(TOTAL_KEY, &(None, BTreeMap::new())),
        |group| breakdown(TOTAL_KEY, group),
    );
    Demand {
        periods: periods.clone(),
        total,
        by_domain: of(Dimension::Domain),
        by_service_type: of(Dimension::ServiceType),
        by_sector: of(Dimension::Sector),
        by_region: of(Dimension::Region),
    }
}

/// The share of a network's member schools (of one sector) that joined a bundle of some kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Share {
    Shown {
        /// Member schools of the sector that joined.
        schools: i64,
        /// Member schools of the sector.
        of: i64,
        /// Rounded to whole percents, as annex 2's.
        percent: u8,
    },
    /// Fewer than `MIN_ORGANIZATIONS` schools joined: not shown.
    Suppressed,
}

impl Share {
    pub fn of(joined: i64, members: i64) -> Share {
        if joined < MIN_ORGANIZATIONS || members < joined {
            return Share::Suppressed;
        }
        // Half up, in integers: (100·joined + members/2) / members.
        let percent = (200 * joined + members) / (2 * members);
        Share::Shown {
            schools: joined,
            of: members,
            percent: u8::try_from(percent).unwrap_or(100),
        }
    }

    pub fn percent(&self) -> Option<u8> {
        match self {
            Share::Shown { percent, .. } => Some(*percent),
            Share::Suppressed => None,
        }
    }
}

/// What was bought: a service type, or any service type of a domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ShareKind {
    Domain,
    ServiceType,
}

/// Counted by PostgreSQL: how many member schools of `sector` joined a bundle of `code`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinedCount {
    pub kind: ShareKind,
    pub code: String,
    pub sector: String,
    pub schools: i64,
}

/// The network's share next to the national one, for one kind of service and one sector.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ShareComparison {
    pub kind: ShareKind,
    /// A service type's or a domain's code.
    pub code: String,
    pub sector: String,
    pub network: Share,
    /// Annex 2's share of schools that buy it externally (None where it gives no figure).
    pub national_percent: Option<u8>,
}

/// The comparisons for the sectors annex 2 reports on (po, vo, mbo), for every domain and
/// service type the network's member schools of that sector joined bundles of, in the
/// taxonomy's order. `members` counts the member schools per sector.
pub fn compare_shares(members: &[(String, i64)], joined: &[JoinedCount]) -> Vec<ShareComparison> {
    let members_of = |sector: &str| {
        members
            .iter()
            .find(|(s, _)| s == sector)
            .map_or(0, |(_, n)| *n)
    };
    let rank = |kind: ShareKind, code: &str| match kind {
        ShareKind::Domain => Dimension::Domain.rank(code),
        ShareKind::ServiceType => Dimension::ServiceType.rank(code),
    };
    let sector_rank = |sector: &str| taxonomy::ANNEX_SECTORS.iter().position(|s| *s == sector);
    let mut comparisons: Vec<ShareComparison> = joined
        .iter()
        .filter(|j| sector_rank(&j.sector).is_some())
        .map(|j| ShareComparison {
            kind: j.kind,
            code: j.code.clone(),
            sector: j.sector.clone(),
            network: Share::of(j.schools, members_of(&j.sector)),
            national_percent: taxonomy::national_share(&j.code, &j.sector),
        })
        .collect();
    comparisons.sort_by_key(|c| (c.kind, rank(c.kind, &c.code), sector_rank(&c.sector)));
    comparisons
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn q(y: i32, n: u8) -> Quarter {
        Quarter {
            year: y,
            quarter: n,
        }
    }

    fn counts(organizations: i64) -> GroupCounts {
        GroupCounts {
            organizations,
            bundles: 1,
            quantity: 10 * organizations,
            units: 1,
            unit: Some("leerling".into()),
            budget_cents: 100_000 * organizations,
        }
    }

    fn row(dimension: Dimension, key: &str, period: Option<Quarter>, n: i64) -> GroupRow {
        GroupRow {
            dimension,
            key: key.into(),
            period,
            counts: counts(n),
        }
    }

    #[test]
    fn dates_fall_in_their_calendar_quarter() {
        assert_eq!(Quarter::of(date(2027, 1, 1)), q(2027, 1));
        assert_eq!(Quarter::of(date(2027, 3, 31)), q(2027, 1));
        assert_eq!(Quarter::of(date(2027, 4, 1)), q(2027, 2));
        assert_eq!(Quarter::of(date(2026, 12, 31)), q(2026, 4));
        assert_eq!(q(2026, 4).next(), q(2027, 1));
        assert_eq!(q(2027, 2).to_string(), "2027-Q2");
    }

    #[test]
    fn the_time_axis_has_no_holes_and_is_bounded() {
        assert!(quarters_spanning([]).is_empty());
        assert_eq!(
            quarters_spanning([q(2027, 2), q(2026, 3), q(2027, 2)]),
            vec![q(2026, 3), q(2026, 4), q(2027, 1), q(2027, 2)]
        );
        let long = quarters_spanning([q(2000, 1), q(2030, 4)]);
        assert_eq!(long.len(), MAX_QUARTERS);
        assert_eq!(long.last(), Some(&q(2030, 4)), "the most recent are kept");
        assert_eq!(long[0], q(2021, 1));
    }

    #[test]
    fn a_group_of_fewer_than_three_organisations_is_suppressed_not_zero() {
        assert_eq!(Figure::of(Some(&counts(2))), Figure::Suppressed);
        assert_eq!(Figure::of(Some(&counts(1))), Figure::Suppressed);
        assert_eq!(Figure::of(None), Figure::None);
        assert_eq!(Figure::of(Some(&counts(0))), Figure::None);
        assert_eq!(
            Figure::of(Some(&counts(3))),
            Figure::Shown {
                organizations: 3,
                bundles: 1,
                quantity: Some(30),
                unit: Some("leerling".into()),
                budget_cents: 300_000
            }
        );
    }

    #[test]
    fn quantities_in_different_units_are_not_added_up() {
        let mixed = GroupCounts {
            units: 2,
            ..counts(4)
        };
        let Figure::Shown { quantity, unit, .. } = Figure::of(Some(&mixed)) else {
            panic!("four organisations are shown");
        };
        assert_eq!((quantity, unit), (None, None));
    }

    #[test]
    fn shares_need_three_schools_and_round_half_up() {
        assert_eq!(Share::of(2, 10), Share::Suppressed);
        assert_eq!(Share::of(0, 10), Share::Suppressed);
        assert_eq!(
            Share::of(3, 4),
            Share::Shown {
                schools: 3,
                of: 4,
                percent: 75
            }
        );
        assert_eq!(Share::of(3, 8).percent(), Some(38), "37.5 rounds up");
        assert_eq!(Share::of(3, 9).percent(), Some(33));
        assert_eq!(Share::of(3, 3).percent(), Some(100));
        assert_eq!(
            Share::of(5, 3),
            Share::Suppressed,
            "never above all members"
        );
    }

    #[test]
    fn demand_is_laid_out_per_dimension_in_taxonomy_order_with_every_quarter() {
        let rows = vec![
            row(Dimension::Total, TOTAL_KEY, None, 5),
            row(Dimension::Total, TOTAL_KEY, Some(q(2027, 1)), 3),
            row(Dimension::Total, TOTAL_KEY, Some(q(2027, 3)), 2),
            row(Dimension::ServiceType, "zorg_leerproblemen", None, 3),
            row(Dimension::ServiceType, "prof_collectief_team", None, 2),
            row(Dimension::Region, "landelijk", None, 4),
            row(Dimension::Region, "utrecht", None, 4),
        ];
        let demand = demand(&rows);
        assert_eq!(demand.periods, vec![q(2027, 1), q(2027, 2), q(2027, 3)]);
        assert_eq!(demand.total.overall.organizations(), Some(5));
        let per: Vec<_> = demand.total.by_period.iter().map(|p| &p.figure).collect();
        assert_eq!(per[0].organizations(), Some(3));
        assert_eq!(per[1], &Figure::None, "a quarter without demand");
        assert_eq!(per[2], &Figure::Suppressed, "two organisations");
        let services: Vec<_> = demand
            .by_service_type
            .iter()
            .map(|b| b.code.as_str())
            .collect();
        assert_eq!(services, ["prof_collectief_team", "zorg_leerproblemen"]);
        assert_eq!(demand.by_service_type[0].overall, Figure::Suppressed);
        assert_eq!(demand.by_service_type[1].by_period.len(), 3);
        let regions: Vec<_> = demand.by_region.iter().map(|b| b.code.as_str()).collect();
        assert_eq!(regions, ["utrecht", "landelijk"]);
        assert!(demand.by_domain.is_empty());
    }

    #[test]
    fn no_demand_lays_out_an_empty_total() {
        let demand = demand(&[]);
        assert!(demand.periods.is_empty());
        assert_eq!(demand.total.overall, Figure::None);
    }

    #[test]
    fn shares_stand_next_to_annex_2_for_the_sectors_it_covers() {
        let members = vec![
            ("po".to_owned(), 6),
            ("vo".to_owned(), 2),
            ("so".to_owned(), 5),
        ];
        let joined = |kind, code: &str, sector: &str, schools| JoinedCount {
            kind,
            code: code.into(),
            sector: sector.into(),
            schools,
        };
        let comparisons = compare_shares(
            &members,
            &[
                joined(ShareKind::ServiceType, "zorg_leerproblemen", "vo", 2),
                joined(ShareKind::ServiceType, "zorg_leerproblemen", "po", 3),
                joined(ShareKind::ServiceType, "zorg_leerproblemen", "so", 5),
                joined(ShareKind::Domain, "leerlingenzorg", "po", 3),
            ],
        );
        let seen: Vec<_> = comparisons
            .iter()
            .map(|c| {
                (
                    c.kind,
                    c.code.as_str(),
                    c.sector.as_str(),
                    c.network,
                    c.national_percent,
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                (
                    ShareKind::Domain,
                    "leerlingenzorg",
                    "po",
                    Share::of(3, 6),
                    Some(61)
                ),
                (
                    ShareKind::ServiceType,
                    "zorg_leerproblemen",
                    "po",
                    Share::of(3, 6),
                    Some(71)
                ),
                (
                    ShareKind::ServiceType,
                    "zorg_leerproblemen",
                    "vo",
                    Share::Suppressed,
                    Some(35)
                ),
            ]
        );
        assert_eq!(comparisons[0].network.percent(), Some(50));
    }
}
