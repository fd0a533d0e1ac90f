//! The review summary (and compare's sector figures), counted by PostgreSQL, against a fresh
//! computation written here from the review rows: generated reviews of several sectors and
//! schools, old and recent, some hidden.

use std::collections::BTreeMap;
use std::process::Command;

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use edumarkt_server::domain::review::DIMENSIONS;

use crate::helpers::spawn_app;

/// One review row as the figures need it.
struct Row {
    sector: String,
    school: String,
    created_at: DateTime<Utc>,
    verified: bool,
    hidden: bool,
    ratings: [Option<i16>; 6],
}

fn round(value: f64) -> f64 {
    (value * 10_000.0).round() / 10_000.0
}

/// The figures of a group of reviews as the API shows them.
fn figures<'a>(rows: impl IntoIterator<Item = &'a Row> + Clone) -> Value {
    let mut dimensions = serde_json::Map::new();
    for (d, name) in DIMENSIONS.iter().enumerate() {
        let mut distribution = [0u64; 5];
        for row in rows.clone() {
            if let Some(stars) = row.ratings[d] {
                distribution[usize::try_from(stars - 1).unwrap()] += 1;
            }
        }
        let count: u64 = distribution.iter().sum();
        let sum: u64 = distribution.iter().zip(1u64..).map(|(n, s)| n * s).sum();
        let average = (count > 0).then(|| round(sum as f64 / count as f64));
        dimensions.insert(
            (*name).to_owned(),
            json!({"count": count, "average": average, "distribution": distribution}),
        );
    }
    json!({
        "review_count": rows.clone().into_iter().count(),
        "verified_review_count": rows.into_iter().filter(|r| r.verified).count(),
        "dimensions": dimensions,
    })
}

fn part(summary: &Value) -> Value {
    json!({
        "review_count": summary["review_count"],
        "verified_review_count": summary["verified_review_count"],
        "dimensions": summary["dimensions"],
    })
}

#[tokio::test]
async fn the_summary_equals_a_fresh_computation_over_sectors_ages_and_hidden_reviews() {
    let app = spawn_app().await;
    let output = Command::new(env!("CARGO_BIN_EXE_edumarkt-e2e"))
        .args([
            "seed",
            "--offerings",
            "300",
            "--reviews",
            "800",
            "--seed",
            "5",
        ])
        .env("DATABASE_URL", &app.database_url)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let sql = app.sql().await;
    // About one review in eight hidden by a moderator: they count nowhere.
    sql.execute(
        "UPDATE reviews SET hidden_at = created_at + interval '1 day' \
         WHERE right(id::text, 1) IN ('0', '7')",
        &[],
    )
    .await
    .unwrap();
    // The generated reviews are from 2025-01-01 over 690 days: a window from 2025-06-01 splits
    // them into old and recent.
    let now: DateTime<Utc> = "2027-06-01T12:00:00Z".parse().unwrap();
    app.clock.set(now);
    let since = now - Duration::days(730);
    let method = |summary: &Value| {
        (
            summary["method"]["subgroup_min_reviews"].as_u64().unwrap() as usize,
            summary["method"]["subgroup_min_schools"].as_u64().unwrap() as usize,
        )
    };

    let top: Vec<String> = sql
        .query(
            "SELECT offering_id::text FROM reviews GROUP BY offering_id \
             ORDER BY count(*) DESC, offering_id LIMIT 8",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    let (mut hidden, mut old, mut recent, mut shown, mut withheld) = (0, 0, 0, 0, 0);
    for offering in &top {
        let rows: Vec<Row> = sql
            .query(
                "SELECT sector, organization_id::text, created_at, verified_at IS NOT NULL, \
                 hidden_at IS NOT NULL, rating_overall, rating_fit_with_practice, \
                 rating_expertise, rating_lasting_effect, rating_value_for_money, \
                 rating_teacher_involvement FROM reviews WHERE offering_id = $1::text::uuid",
                &[offering],
            )
            .await
            .unwrap()
            .iter()
            .map(|r| Row {
                sector: r.get(0),
                school: r.get(1),
                created_at: r.get(2),
                verified: r.get(3),
                hidden: r.get(4),
                ratings: std::array::from_fn(|d| r.get(5 + d)),
            })
            .collect();
        hidden += rows.iter().filter(|r| r.hidden).count();
        let visible: Vec<&Row> = rows.iter().filter(|r| !r.hidden).collect();
        old += visible.iter().filter(|r| r.created_at <= since).count();
        recent += visible.iter().filter(|r| r.created_at > since).count();

        let summary = app
            .get(&format!("/v1/offerings/{offering}/reviews/summary"), None)
            .await
            .json::<Value>()
            .await
            .unwrap();
        assert_eq!(
            part(&summary),
            figures(visible.iter().copied()),
            "{offering}"
        );
        assert_eq!(
            summary["last_24_months"],
            figures(visible.iter().copied().filter(|r| r.created_at > since)),
            "{offering}"
        );
        let (min_reviews, min_schools) = method(&summary);
        let mut sectors: BTreeMap<&str, Vec<&Row>> = BTreeMap::new();
        for row in &visible {
            sectors.entry(&row.sector).or_default().push(row);
        }
        let mut expected = serde_json::Map::new();
        for (sector, group) in &sectors {
            let schools: std::collections::HashSet<&str> =
                group.iter().map(|r| r.school.as_str()).collect();
            if group.len() > min_reviews && schools.len() >= min_schools {
                expected.insert((*sector).to_owned(), figures(group.iter().copied()));
                shown += 1;
            } else {
                withheld += 1;
            }
        }
        assert_eq!(summary["by_sector"], Value::Object(expected), "{offering}");

        // Compare's figures from one sector's reviewers follow the same counts and rule.
        let other = if offering == &top[0] {
            &top[1]
        } else {
            &top[0]
        };
        for sector in sectors.keys() {
            let compared = app
                .get(
                    &format!("/v1/compare?ids={offering},{other}&sector={sector}"),
                    None,
                )
                .await
                .json::<Value>()
                .await
                .unwrap();
            let figures = &compared["items"][0]["ratings"]["sector"];
            match summary["by_sector"].get(*sector) {
                Some(shown) => assert_eq!(part(figures), part(shown), "{compared}"),
                None => assert!(figures.is_null(), "{compared}"),
            }
        }
    }
    // The mix this test needs really was there.
    assert!(
        hidden > 0 && old > 0 && recent > 0,
        "{hidden} {old} {recent}"
    );
    assert!(shown > 0 && withheld > 0, "{shown} {withheld}");
}
