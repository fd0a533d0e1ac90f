//! `/netwerken/{id}/inzicht`: a network's demand through its bundles, over
//! `usecases::insights` as `GET /v1/networks/{id}/insights`. The two charts are drawn here as
//! inline SVG (no script: the page works without JavaScript and under the CSP), each named by
//! its `<title>` and `<desc>` and followed by a table with the same figures, for screen
//! readers and for whoever wants the numbers. What the rules suppress is said, never drawn as
//! zero.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::domain::OrganizationId;
use crate::domain::insight::{
    Breakdown, Figure, MIN_ORGANIZATIONS, Quarter, Share, ShareComparison, ShareKind,
};
use crate::state::AppState;
use crate::usecases::insights;
use crate::web::error::{PageError, PageResult};
use crate::web::format::{euros, label};
use crate::web::layout::{Layout, Section};
use crate::web::session::{SignedIn, respond};
use crate::web::text as t;

/// The page's path for a network.
pub fn insight_href(network: OrganizationId) -> String {
    format!("/netwerken/{network}/inzicht")
}

/// The charts' drawing area, in SVG user units (the SVG scales to the page's width).
const WIDTH: f64 = 640.0;
const TIMELINE_HEIGHT: f64 = 240.0;
const PLOT_LEFT: f64 = 8.0;
const PLOT_TOP: f64 = 24.0;
const PLOT_BOTTOM: f64 = 200.0;
/// The height of the mark that stands for a suppressed quarter: visible, clearly not a value.
const SUPPRESSED_MARK: f64 = 18.0;
const SHARE_ROW: f64 = 52.0;
const SHARE_BAR_LEFT: f64 = 8.0;
const SHARE_BAR_MAX: f64 = 480.0;

/// A number in SVG user units, to one decimal.
fn unit(value: f64) -> String {
    format!("{value:.1}")
}

/// "2027 K1".
fn quarter_label(q: Quarter) -> String {
    format!("{} K{}", q.year(), q.number())
}

/// One quarter's bar of the timeline.
struct TimelineBar {
    x: String,
    y: String,
    width: String,
    height: String,
    /// Where the quarter's name and the value's text go.
    text_x: String,
    value_y: String,
    quarter: String,
    value: String,
    suppressed: bool,
}

struct TimelineChart {
    width: String,
    height: String,
    axis_y: String,
    label_y: String,
    bars: Vec<TimelineBar>,
}

/// The organisations that joined per quarter, as bars scaled to the largest shown value.
fn timeline(total: &Breakdown) -> TimelineChart {
    let count = total.by_period.len().max(1) as f64;
    let slot = (WIDTH - 2.0 * PLOT_LEFT) / count;
    let most = total
        .by_period
        .iter()
        .filter_map(|p| p.figure.organizations())
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let plot = PLOT_BOTTOM - PLOT_TOP;
    let bars = total
        .by_period
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let (height, value, suppressed) = match &p.figure {
                Figure::Shown { organizations, .. } => (
                    *organizations as f64 / most * plot,
                    organizations.to_string(),
                    false,
                ),
                Figure::Suppressed => (
                    SUPPRESSED_MARK,
                    t::INSIGHT_SUPPRESSED_SHORT.to_owned(),
                    true,
                ),
                Figure::None => (0.0, "0".to_owned(), false),
            };
            let x = PLOT_LEFT + slot * i as f64 + slot * 0.2;
            TimelineBar {
                x: unit(x),
                y: unit(PLOT_BOTTOM - height),
                width: unit(slot * 0.6),
                height: unit(height),
                text_x: unit(x + slot * 0.3),
                value_y: unit(PLOT_BOTTOM - height - 6.0),
                quarter: quarter_label(p.period),
                value,
                suppressed,
            }
        })
        .collect();
    TimelineChart {
        width: unit(WIDTH),
        height: unit(TIMELINE_HEIGHT),
        axis_y: unit(PLOT_BOTTOM),
        label_y: unit(PLOT_BOTTOM + 20.0),
        bars,
    }
}

/// One comparison of the share chart: the network's bar above annex 2's.
struct ShareBar {
    label_y: String,
    label: String,
    network_y: String,
    /// None when suppressed.
    network_width: Option<String>,
    network_text: String,
    national_y: String,
    national_width: Option<String>,
    national_text: String,
    text_x_network: String,
    text_x_national: String,
}

struct ShareChart {
    width: String,
    height: String,
    bars: Vec<ShareBar>,
}

fn comparison_label(c: &ShareComparison) -> String {
    let param = match c.kind {
        ShareKind::Domain => "domain",
        ShareKind::ServiceType => "service_type",
    };
    format!("{} ({})", label(param, &c.code), c.sector)
}

fn share_chart(shares: &[ShareComparison]) -> ShareChart {
    let bar = |percent: Option<u8>| percent.map(|p| f64::from(p) / 100.0 * SHARE_BAR_MAX);
    let bars = shares
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let top = PLOT_TOP + SHARE_ROW * i as f64;
            let network = bar(c.network.percent());
            let national = bar(c.national_percent);
            ShareBar {
                label_y: unit(top + 12.0),
                label: comparison_label(c),
                network_y: unit(top + 18.0),
                network_width: network.map(unit),
                network_text: share_text(&c.network),
                national_y: unit(top + 32.0),
                national_width: national.map(unit),
                national_text: national_text(c.national_percent),
                text_x_network: unit(SHARE_BAR_LEFT + network.unwrap_or(0.0) + 6.0),
                text_x_national: unit(SHARE_BAR_LEFT + national.unwrap_or(0.0) + 6.0),
            }
        })
        .collect();
    ShareChart {
        width: unit(WIDTH),
        height: unit(PLOT_TOP + SHARE_ROW * shares.len() as f64 + 8.0),
        bars,
    }
}

fn share_text(share: &Share) -> String {
    match share {
        Share::Shown {
            schools,
            of,
            percent,
        } => t::insight_share(*percent, *schools, *of),
        Share::Suppressed => t::INSIGHT_SUPPRESSED_SHORT.to_owned(),
    }
}

fn national_text(percent: Option<u8>) -> String {
    percent.map_or_else(|| t::INSIGHT_NO_NATIONAL.to_owned(), |p| format!("{p}%"))
}

/// A row of a figures table; `cells` None: suppressed.
struct FigureRow {
    label: String,
    cells: Option<[String; 4]>,
}

fn figure_row(label: String, figure: &Figure) -> FigureRow {
    let cells = match figure {
        Figure::Shown {
            organizations,
            bundles,
            quantity,
            unit,
            budget_cents,
        } => Some([
            organizations.to_string(),
            bundles.to_string(),
            match (quantity, unit) {
                (Some(q), Some(u)) => format!("{q} × {}", label_of_unit(u)),
                _ => t::INSIGHT_MIXED_UNITS.to_owned(),
            },
            euros(*budget_cents),
        ]),
        Figure::None => Some(["0".to_owned(), "0".to_owned(), "0".to_owned(), euros(0)]),
        Figure::Suppressed => None,
    };
    FigureRow { label, cells }
}

fn label_of_unit(code: &str) -> &str {
    crate::domain::taxonomy::UNITS
        .iter()
        .find(|u| u.code == code)
        .map_or(code, |u| u.nl)
}

struct FigureTable {
    heading: &'static str,
    first_column: &'static str,
    rows: Vec<FigureRow>,
}

fn table(
    heading: &'static str,
    first_column: &'static str,
    param: &str,
    groups: &[Breakdown],
) -> FigureTable {
    FigureTable {
        heading,
        first_column,
        rows: groups
            .iter()
            .map(|g| figure_row(label(param, &g.code).to_owned(), &g.overall))
            .collect(),
    }
}

struct ShareRow {
    label: String,
    network: String,
    national: String,
}

#[derive(Template)]
#[template(path = "network_insight.html")]
struct InsightPage {
    page: Layout,
    name: String,
    /// Why some figures are missing, and what stands in their place.
    rule: String,
    suppressed: String,
    has_demand: bool,
    timeline: TimelineChart,
    timeline_rows: Vec<FigureRow>,
    timeline_desc: String,
    total: FigureRow,
    shares: ShareChart,
    share_rows: Vec<ShareRow>,
    tables: Vec<FigureTable>,
}

/// `GET /netwerken/{id}/inzicht`: for whoever may see the network (others, and ids that name
/// no network, get the Dutch 404 page, as the API's 404).
pub async fn insight_page(
    state: web::Data<AppState>,
    visitor: SignedIn,
    id: web::Path<String>,
) -> PageResult<HttpResponse> {
    let id: OrganizationId = id.parse().map_err(|_| PageError::NotFound)?;
    let mut conn = state.conn().await?;
    let insight = insights::network_insight(&mut conn, &visitor.caller, id).await?;
    let demand = &insight.demand;
    let timeline_rows: Vec<FigureRow> = demand
        .total
        .by_period
        .iter()
        .map(|p| figure_row(quarter_label(p.period), &p.figure))
        .collect();
    let shown = timeline_rows.iter().filter(|r| r.cells.is_some()).count();
    let page = InsightPage {
        page: visitor.layout(t::insight_title(&insight.network.name), Section::Other),
        name: insight.network.name.clone(),
        rule: t::insight_rule(MIN_ORGANIZATIONS),
        suppressed: t::insight_suppressed(MIN_ORGANIZATIONS),
        has_demand: !demand.periods.is_empty(),
        timeline: timeline(&demand.total),
        timeline_desc: t::insight_timeline_desc(
            demand.periods.first().map(|q| quarter_label(*q)),
            demand.periods.last().map(|q| quarter_label(*q)),
            timeline_rows.len() - shown,
        ),
        timeline_rows,
        total: figure_row(t::INSIGHT_ALL.to_owned(), &demand.total.overall),
        shares: share_chart(&insight.shares),
        share_rows: insight
            .shares
            .iter()
            .map(|c| ShareRow {
                label: comparison_label(c),
                network: share_text(&c.network),
                national: national_text(c.national_percent),
            })
            .collect(),
        tables: vec![
            table(
                t::INSIGHT_BY_DOMAIN,
                t::INSIGHT_DOMAIN,
                "domain",
                &demand.by_domain,
            ),
            table(
                t::INSIGHT_BY_SERVICE,
                t::INSIGHT_SERVICE,
                "service_type",
                &demand.by_service_type,
            ),
            table(
                t::INSIGHT_BY_SECTOR,
                t::INSIGHT_SECTOR,
                "sector",
                &demand.by_sector,
            ),
            table(
                t::INSIGHT_BY_REGION,
                t::INSIGHT_REGION,
                "region",
                &demand.by_region,
            ),
        ],
    };
    Ok(respond(&visitor.csrf, StatusCode::OK, &page))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::insight::{GroupCounts, PeriodFigure, TOTAL_KEY, quarters_spanning};

    /// The total's breakdown as the rules would lay it out (the quarters given, in order).
    fn total(per_quarter: &[(Option<Quarter>, i64)]) -> Breakdown {
        let periods = quarters_spanning(per_quarter.iter().filter_map(|(q, _)| *q));
        let counts = |organizations: i64| GroupCounts {
            organizations,
            bundles: 1,
            quantity: 1,
            units: 1,
            unit: None,
            budget_cents: 0,
        };
        Breakdown {
            code: TOTAL_KEY.into(),
            overall: Figure::of(Some(&counts(9))),
            by_period: periods
                .iter()
                .map(|q| PeriodFigure {
                    period: *q,
                    figure: Figure::of(
                        per_quarter
                            .iter()
                            .find(|(p, _)| *p == Some(*q))
                            .map(|(_, n)| counts(*n))
                            .as_ref(),
                    ),
                })
                .collect(),
        }
    }

    fn quarter(date: &str) -> Option<Quarter> {
        Some(Quarter::of(date.parse().unwrap()))
    }

    #[test]
    fn the_tallest_bar_fills_the_plot_and_a_suppressed_quarter_is_a_mark_not_a_value() {
        let chart = timeline(&total(&[
            (quarter("2027-01-15"), 6),
            (quarter("2027-04-15"), 2),
            (quarter("2027-10-15"), 3),
        ]));
        assert_eq!(chart.bars.len(), 4, "the empty third quarter has its place");
        assert_eq!(chart.bars[0].height, unit(PLOT_BOTTOM - PLOT_TOP));
        assert_eq!(chart.bars[0].y, unit(PLOT_TOP));
        assert!(chart.bars[1].suppressed);
        assert_eq!(chart.bars[1].value, t::INSIGHT_SUPPRESSED_SHORT);
        assert_eq!(chart.bars[2].height, unit(0.0));
        assert_eq!(chart.bars[3].height, unit((PLOT_BOTTOM - PLOT_TOP) / 2.0));
        assert_eq!(chart.bars[3].quarter, "2027 K4");
    }

    #[test]
    fn suppressed_shares_have_no_bar() {
        let shares = [
            ShareComparison {
                kind: ShareKind::ServiceType,
                code: "zorg_diagnostiek".into(),
                sector: "po".into(),
                network: Share::of(3, 6),
                national_percent: Some(77),
            },
            ShareComparison {
                kind: ShareKind::ServiceType,
                code: "zorg_gedragsproblemen".into(),
                sector: "po".into(),
                network: Share::Suppressed,
                national_percent: None,
            },
        ];
        let chart = share_chart(&shares);
        assert_eq!(chart.bars[0].network_width, Some(unit(SHARE_BAR_MAX / 2.0)));
        assert_eq!(
            chart.bars[0].national_width,
            Some(unit(SHARE_BAR_MAX * 0.77))
        );
        assert_eq!(chart.bars[1].network_width, None);
        assert_eq!(chart.bars[1].network_text, t::INSIGHT_SUPPRESSED_SHORT);
        assert_eq!(chart.bars[1].national_text, t::INSIGHT_NO_NATIONAL);
        assert_eq!(chart.bars[0].label, "diagnostiek (po)");
    }
}
