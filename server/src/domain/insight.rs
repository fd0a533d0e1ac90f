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

/// A figure's place: a group of a dimension, in a quarter or (None) over all of them.
type Cell<'a> = (Dimension, &'a str, Option<Quarter>);

/// The dimensions whose groups add up to the total (sectors and regions only nearly: a bundle
/// of two sectors counts in both; treating them as sums hides more, never less).
const PARTS: [Dimension; 4] = [
    Dimension::Domain,
    Dimension::ServiceType,
    Dimension::Sector,
    Dimension::Region,
];

/// The sums a reader could solve: a figure over all quarters is the sum of its quarters; a
/// dimension's groups add up to the total (in each quarter too); a domain's service types
/// add up to the domain. Each as (the sum, its parts).
fn sums<'a>(keys: &[(Dimension, &'a str)], periods: &[Quarter]) -> Vec<(Cell<'a>, Vec<Cell<'a>>)> {
    let all: Vec<Option<Quarter>> = std::iter::once(None)
        .chain(periods.iter().copied().map(Some))
        .collect();
    let mut sums: Vec<(Cell<'a>, Vec<Cell<'a>>)> = std::iter::once(&(Dimension::Total, TOTAL_KEY))
        .chain(keys)
        .map(|&(d, k)| {
            (
                (d, k, None),
                periods.iter().map(|q| (d, k, Some(*q))).collect(),
            )
        })
        .collect();
    for period in &all {
        for dimension in PARTS {
            let parts = keys
                .iter()
                .filter(|(d, _)| *d == dimension)
                .map(|&(d, k)| (d, k, *period))
                .collect();
            sums.push(((Dimension::Total, TOTAL_KEY, *period), parts));
        }
        for &(_, domain) in keys.iter().filter(|(d, _)| *d == Dimension::Domain) {
            let parts = keys
                .iter()
                .filter(|(d, k)| {
                    *d == Dimension::ServiceType
                        && taxonomy::service_type(k).is_some_and(|s| s.domain == domain)
                })
                .map(|&(d, k)| (d, k, *period))
                .collect();
            sums.push(((Dimension::Domain, domain, *period), parts));
        }
    }
    sums
}

/// Secondary suppression: a sum with exactly one hidden figure among it and its parts gives
/// that figure away (the total less the shown groups is the hidden group's budget). So the
/// smallest shown part is hidden too, until no sum has a single unknown.
fn suppress_what_sums_reveal<'a>(
    figures: &mut BTreeMap<Cell<'a>, Figure>,
    sums: &[(Cell<'a>, Vec<Cell<'a>>)],
) {
    let hidden = |figures: &BTreeMap<Cell<'_>, Figure>, cell: &Cell<'_>| {
        figures.get(cell) == Some(&Figure::Suppressed)
    };
    loop {
        let mut changed = false;
        for (sum, parts) in sums {
            let unknowns = usize::from(hidden(figures, sum))
                + parts.iter().filter(|p| hidden(figures, p)).count();
            if unknowns != 1 {
                continue;
            }
            let smallest = parts
                .iter()
                .filter_map(|p| match figures.get(p) {
                    Some(Figure::Shown {
                        organizations,
                        budget_cents,
                        ..
                    }) => Some(((*organizations, *budget_cents), *p)),
                    _ => None,
                })
                .min();
            if let Some((_, part)) = smallest {
                figures.insert(part, Figure::Suppressed);
                changed = true;
            }
        }
        if !changed {
            return;
        }
    }
}

/// Lays the counted groups out: each dimension's groups in the taxonomy's order, each with a
/// figure for every quarter of the axis; what comes from too few organisations suppressed,
/// and what the other figures would give away of it suppressed too.
pub fn demand(rows: &[GroupRow]) -> Demand {
    let periods = quarters_spanning(rows.iter().filter_map(|r| r.period));
    let mut figures: BTreeMap<Cell<'_>, Figure> = rows
        .iter()
        .map(|r| {
            // A quarter before the axis is not shown: an unknown to the reader.
            let figure = match r.period {
                Some(q) if !periods.contains(&q) => Figure::Suppressed,
                _ => Figure::of(Some(&r.counts)),
            };
            ((r.dimension, r.key.as_str(), r.period), figure)
        })
        .collect();
    let mut keys: Vec<(Dimension, &str)> = rows
        .iter()
        .map(|r| (r.dimension, r.key.as_str()))
        .filter(|(d, _)| *d != Dimension::Total)
        .collect();
    keys.sort_by_key(|(d, key)| (*d, d.rank(key), *key));
    keys.dedup();
    suppress_what_sums_reveal(&mut figures, &sums(&keys, &periods));
    let figure = |cell: Cell<'_>| figures.get(&cell).cloned().unwrap_or(Figure::None);
    let breakdown = |dimension: Dimension, code: &str| Breakdown {
        code: code.to_owned(),
        overall: figure((dimension, code, None)),
        by_period: periods
            .iter()
            .map(|q| PeriodFigure {
                period: *q,
                figure: figure((dimension, code, Some(*q))),
            })
            .collect(),
    };
    let of = |dimension: Dimension| {
        keys.iter()
            .filter(|(d, _)| *d == dimension)
            .map(|(d, key)| breakdown(*d, key))
            .collect::<Vec<_>>()
    };
    Demand {
        periods: periods.clone(),
        total: breakdown(Dimension::Total, TOTAL_KEY),
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
        assert_eq!(per[1], &Figure::None, "a quarter without demand");
        assert_eq!(per[2], &Figure::Suppressed, "two organisations");
        assert_eq!(
            per[0],
            &Figure::Suppressed,
            "the total less the first quarter would be the third"
        );
        let services: Vec<_> = demand
            .by_service_type
            .iter()
            .map(|b| b.code.as_str())
            .collect();
        assert_eq!(services, ["prof_collectief_team", "zorg_leerproblemen"]);
        assert_eq!(demand.by_service_type[0].overall, Figure::Suppressed);
        assert_eq!(demand.by_service_type[1].by_period.len(), 3);
        assert_eq!(
            demand.by_service_type[1].overall,
            Figure::Suppressed,
            "the total less it would be the suppressed service type"
        );
        let regions: Vec<_> = demand.by_region.iter().map(|b| b.code.as_str()).collect();
        assert_eq!(regions, ["utrecht", "landelijk"]);
        assert!(demand.by_domain.is_empty());
    }

    #[test]
    fn no_sum_gives_a_suppressed_figure_away() {
        let (q1, q2) = (q(2027, 1), q(2027, 2));
        let rows = vec![
            row(Dimension::Total, TOTAL_KEY, None, 9),
            row(Dimension::Total, TOTAL_KEY, Some(q1), 5),
            row(Dimension::Total, TOTAL_KEY, Some(q2), 4),
            row(Dimension::ServiceType, "zorg_leerproblemen", None, 3),
            row(Dimension::ServiceType, "zorg_leerproblemen", Some(q1), 3),
            row(Dimension::ServiceType, "zorg_diagnostiek", None, 4),
            row(Dimension::ServiceType, "zorg_diagnostiek", Some(q2), 4),
            row(Dimension::ServiceType, "prof_collectief_team", None, 2),
            row(Dimension::ServiceType, "prof_collectief_team", Some(q1), 2),
            row(Dimension::Domain, "leerlingenzorg", None, 7),
            row(Dimension::Domain, "leerlingenzorg", Some(q1), 3),
            row(Dimension::Domain, "leerlingenzorg", Some(q2), 4),
            row(Dimension::Domain, "professionalisering", None, 2),
            row(Dimension::Domain, "professionalisering", Some(q1), 2),
        ];
        let demand = demand(&rows);
        let service = |code: &str| {
            demand
                .by_service_type
                .iter()
                .find(|b| b.code == code)
                .unwrap()
        };
        // Primary: two organisations.
        assert_eq!(service("prof_collectief_team").overall, Figure::Suppressed);
        // Secondary: the smallest other service type, and its one quarter (which equals it).
        assert_eq!(service("zorg_leerproblemen").overall, Figure::Suppressed);
        assert_eq!(
            service("zorg_leerproblemen").by_period[0].figure,
            Figure::Suppressed
        );
        // The rest stays: the sums now have two unknowns each.
        assert_eq!(service("zorg_diagnostiek").overall.organizations(), Some(4));
        assert_eq!(demand.total.overall.organizations(), Some(9));
        assert_eq!(demand.total.by_period[0].figure.organizations(), Some(5));
        assert_eq!(demand.total.by_period[1].figure.organizations(), Some(4));
        // Domains: professionalisering is hidden, so leerlingenzorg (the total less it) too.
        assert_eq!(demand.by_domain[1].overall, Figure::Suppressed);
        assert_eq!(demand.by_domain[0].overall, Figure::Suppressed);
        // No sum anywhere has exactly one unknown left.
        let keys: Vec<(Dimension, &str)> = rows
            .iter()
            .filter(|r| r.dimension != Dimension::Total)
            .map(|r| (r.dimension, r.key.as_str()))
            .collect();
        let shown = |(d, k, p): Cell<'_>| {
            let list = match d {
                Dimension::Total => std::slice::from_ref(&demand.total),
                Dimension::Domain => &demand.by_domain[..],
                Dimension::ServiceType => &demand.by_service_type[..],
                Dimension::Sector => &demand.by_sector[..],
                Dimension::Region => &demand.by_region[..],
            };
            let Some(b) = list.iter().find(|b| b.code == k) else {
                return true;
            };
            let figure = match p {
                None => &b.overall,
                Some(q) => &b.by_period.iter().find(|f| f.period == q).unwrap().figure,
            };
            figure != &Figure::Suppressed
        };
        for (sum, parts) in sums(&keys, &demand.periods) {
            let unknowns = usize::from(!shown(sum)) + parts.iter().filter(|p| !shown(**p)).count();
            assert_ne!(unknowns, 1, "{sum:?} = {parts:?}");
        }
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
