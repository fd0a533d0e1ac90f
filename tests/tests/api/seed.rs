//! `edumarkt seed`: the generated market is valid, deterministic and loaded once.

use std::process::Command;

use serde_json::Value;

use crate::helpers::{spawn_app, titles, verify_clean};

fn seed(database_url: &str, offerings: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_edumarkt-e2e"))
        .args(["seed", "--offerings", offerings, "--seed", "11"])
        .env("DATABASE_URL", database_url)
        .output()
        .unwrap()
}

async fn rows(database_url: &str, sql: &str) -> Vec<tokio_postgres::Row> {
    let (client, connection) = tokio_postgres::connect(database_url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    client.query(sql, &[]).await.unwrap()
}

#[tokio::test]
async fn seeding_builds_a_whole_market_once_and_the_same_way_each_time() {
    let (first, second) = (spawn_app().await, spawn_app().await);
    for app in [&first, &second] {
        let output = seed(&app.database_url, "1200");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(String::from_utf8_lossy(&output.stdout).contains("1200 offerings"));
    }
    let ids = "SELECT id::text FROM offerings ORDER BY id";
    let (a, b) = (
        rows(&first.database_url, ids).await,
        rows(&second.database_url, ids).await,
    );
    assert_eq!(a.len(), 1200);
    let text = |rows: &[tokio_postgres::Row]| {
        rows.iter()
            .map(|r| r.get::<_, String>(0))
            .collect::<Vec<_>>()
    };
    assert_eq!(text(&a), text(&b), "the same seed gives the same market");

    // Every province has schools, every kind of provider and every domain is there.
    let provinces = rows(
        &first.database_url,
        "SELECT count(DISTINCT province) FROM organizations WHERE kind = 'school'",
    )
    .await;
    assert_eq!(provinces[0].get::<_, i64>(0), 12);
    let kinds = rows(
        &first.database_url,
        "SELECT count(DISTINCT provider_kind) FROM organizations WHERE kind = 'provider'",
    )
    .await;
    assert_eq!(kinds[0].get::<_, i64>(0), 5);
    let domains = rows(
        &first.database_url,
        "SELECT count(DISTINCT domain), count(DISTINCT service_type) FROM offerings",
    )
    .await;
    assert_eq!(
        (domains[0].get::<_, i64>(0), domains[0].get::<_, i64>(1)),
        (4, 26)
    );
    // Service types come in annex 2's proportions: teachers' development (bought by ~88% of
    // schools) far more often than research and development (~17%).
    let count = |service: &'static str| {
        let url = first.database_url.clone();
        async move {
            rows(
                &url,
                &format!("SELECT count(*) FROM offerings WHERE service_type = '{service}'"),
            )
            .await[0]
                .get::<_, i64>(0)
        }
    };
    let (common, rare) = (
        count("prof_individueel_leraren").await,
        count("org_onderzoek_ontwikkeling").await,
    );
    assert!(common > 3 * rare, "{common} vs {rare}");

    // A second run adds nothing.
    let again = seed(&first.database_url, "1200");
    assert!(String::from_utf8_lossy(&again.stdout).contains("not loaded"));
    assert_eq!(
        rows(&first.database_url, "SELECT count(*) FROM offerings").await[0].get::<_, i64>(0),
        1200
    );

    // Seeded offerings are served like any other.
    let published = rows(
        &first.database_url,
        "SELECT id::text FROM offerings WHERE status = 'published' LIMIT 1",
    )
    .await;
    let id: String = published[0].get(0);
    let offering: Value = first
        .get(&format!("/v1/offerings/{id}"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(offering["status"], "published");
    let login = first
        .login(
            "aanbieder@edumarkt.demo",
            edumarkt_server::seed::DEMO_PASSWORD,
        )
        .await;
    assert_eq!(login.status(), 200);
}

/// Logs a demo account in and returns its access token.
async fn demo_login(app: &crate::helpers::TestApp, email: &str) -> String {
    let response = app.login(email, edumarkt_server::seed::DEMO_PASSWORD).await;
    assert_eq!(response.status(), 200);
    let tokens: Value = response.json().await.unwrap();
    tokens["access_token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn the_demo_accounts_have_offerings_and_a_shortlist_to_act_on() {
    let app = spawn_app().await;
    {
        let mut conn = app.state.pool.get().await.unwrap();
        edumarkt_server::seed::load_demo(&mut conn, app.state.clock.now())
            .await
            .unwrap();
    }

    // The provider's staff see all its offerings, the draft included; others the published.
    let admin = demo_login(&app, "aanbieder@edumarkt.demo").await;
    let me: Value = app.get("/v1/me", Some(&admin)).await.json().await.unwrap();
    let provider_id = me["memberships"][0]["organization_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/v1/providers/{provider_id}/offerings");
    let staff: Value = app.get(&path, Some(&admin)).await.json().await.unwrap();
    let statuses: Vec<&str> = staff["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["status"].as_str().unwrap())
        .collect();
    assert!(statuses.len() >= 4, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == "draft").count(), 1);
    let published = statuses.iter().filter(|s| **s == "published").count();
    let public: Value = app.get(&path, None).await.json().await.unwrap();
    assert_eq!(public["items"].as_array().unwrap().len(), published);
    let domains: std::collections::HashSet<&str> = staff["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["domain"].as_str().unwrap())
        .collect();
    assert!(domains.len() >= 2, "{domains:?}");

    // They are searchable.
    app.sync_search().await;
    let found = app.search(&format!("provider_id={provider_id}")).await;
    assert_eq!(found["total"], published);
    let found = app.search("q=formatief%20handelen").await;
    assert!(
        titles(&found).contains(&"Formatief handelen met het hele team".to_owned()),
        "{found}"
    );

    // The school leader's shortlist is readable by the teacher of the same school.
    let teacher = demo_login(&app, "leraar@edumarkt.demo").await;
    let lists: Value = app
        .get("/v1/shortlists", Some(&teacher))
        .await
        .json()
        .await
        .unwrap();
    let list = &lists["items"][0];
    assert_eq!(lists["items"].as_array().unwrap().len(), 1);
    let leader: Value = app
        .get(
            "/v1/me",
            Some(&demo_login(&app, "schoolleider@edumarkt.demo").await),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["owner_id"], leader["id"]);
    assert!(list["items"].as_array().unwrap().len() >= 2);
    let read = app
        .get(
            &format!("/v1/shortlists/{}", list["id"].as_str().unwrap()),
            Some(&teacher),
        )
        .await;
    assert_eq!(read.status(), 200);
}

#[tokio::test]
async fn seeded_reviews_are_skewed_voted_and_their_aggregates_and_documents_exact() {
    let app = spawn_app().await;
    let output = Command::new(env!("CARGO_BIN_EXE_edumarkt-e2e"))
        .args([
            "seed",
            "--offerings",
            "300",
            "--reviews",
            "300",
            "--seed",
            "11",
        ])
        .env("DATABASE_URL", &app.database_url)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("seeded 300 reviews"), "{stdout}");
    let one = |sql: &'static str| {
        let url = app.database_url.clone();
        async move { rows(&url, sql).await[0].get::<_, i64>(0) }
    };
    assert_eq!(one("SELECT count(*) FROM reviews").await, 300);

    // Skewed: one offering has many, most have few or none.
    let most = one("SELECT max(review_count) FROM review_aggregates").await;
    let reviewed = one("SELECT count(*) FROM review_aggregates WHERE review_count > 0").await;
    assert!(most >= 30, "the most reviewed has {most}");
    assert!(
        reviewed > 50 && reviewed < 300,
        "{reviewed} offerings reviewed"
    );
    // Votes are real votes, never the author's; authors review from their own school.
    assert!(one("SELECT sum(helpful_count) FROM reviews").await > 0);
    assert_eq!(
        one("SELECT count(*) FROM reviews r WHERE helpful_count <> \
             (SELECT count(*) FROM review_helpful_votes v WHERE v.review_id = r.id)")
        .await,
        0
    );
    assert_eq!(
        one(
            "SELECT count(*) FROM review_helpful_votes v JOIN reviews r ON r.id = v.review_id \
             WHERE v.user_id = r.author_id"
        )
        .await,
        0
    );
    assert_eq!(
        one(
            "SELECT count(*) FROM reviews r WHERE NOT EXISTS (SELECT 1 FROM memberships m \
             WHERE m.user_id = r.author_id AND m.organization_id = r.organization_id)"
        )
        .await,
        0
    );

    // Every offering's stored aggregates equal a fresh computation from its reviews.
    let compared = rows(
        &app.database_url,
        "SELECT a.review_count, f.n, a.verified_review_count, f.verified, a.rating_avg, f.overall,
                a.rating_expertise, f.expertise, a.rating_score
         FROM review_aggregates a
         FULL JOIN (SELECT offering_id, count(*) AS n, count(verified_at) AS verified,
                           avg(rating_overall)::float8 AS overall,
                           avg(rating_expertise)::float8 AS expertise
                    FROM reviews WHERE hidden_at IS NULL GROUP BY offering_id) f
           USING (offering_id)",
    )
    .await;
    assert_eq!(compared.len() as i64, reviewed);
    let rounded = |v: f64| (v * 10_000.0).round() / 10_000.0;
    for row in &compared {
        let count: i64 = row.get(1);
        assert_eq!(row.get::<_, i64>(0), count);
        assert_eq!(row.get::<_, i64>(2), row.get::<_, i64>(3));
        let average = rounded(row.get::<_, f64>(5));
        assert_eq!(row.get::<_, Option<f64>>(4), Some(average));
        assert_eq!(
            row.get::<_, Option<f64>>(6),
            row.get::<_, Option<f64>>(7).map(rounded)
        );
        let score = rounded((count as f64 * average + 5.0 * 3.5) / (count as f64 + 5.0));
        assert_eq!(row.get::<_, Option<f64>>(8), Some(score));
    }

    // The search documents carry them: the index equals the database, and the offering found
    // first by review count has the most.
    app.sync_search().await;
    verify_clean(&app).await;
    let by_count = app.search("sort=review_count").await;
    assert_eq!(by_count["hits"][0]["review_count"], most);

    // The most reviewed offering's list comes most helpful first.
    let top = rows(
        &app.database_url,
        "SELECT offering_id::text FROM review_aggregates ORDER BY review_count DESC LIMIT 1",
    )
    .await[0]
        .get::<_, String>(0);
    let list: Value = app
        .get(
            &format!("/v1/offerings/{top}/reviews?sort=helpful&limit=100"),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    let helpful: Vec<i64> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["helpful_count"].as_i64().unwrap())
        .collect();
    assert_eq!(helpful.len() as i64, most.min(100));
    assert!(helpful.windows(2).all(|w| w[0] >= w[1]), "{helpful:?}");
    // Paged by cursors, 7 a page, it is the same list: every review once, ties (most have no
    // vote) in id order.
    let mut paged = Vec::new();
    let mut cursor = String::new();
    loop {
        let page: Value = app
            .get(
                &format!("/v1/offerings/{top}/reviews?sort=helpful&limit=7{cursor}"),
                None,
            )
            .await
            .json()
            .await
            .unwrap();
        paged.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["id"].as_str().unwrap().to_owned()),
        );
        match page["next_cursor"].as_str() {
            Some(next) => cursor = format!("&cursor={next}"),
            None => break,
        }
    }
    let expected: Vec<String> = rows(
        &app.database_url,
        &format!(
            "SELECT id::text FROM reviews WHERE offering_id = '{top}' \
             ORDER BY helpful_count DESC, id DESC"
        ),
    )
    .await
    .iter()
    .map(|r| r.get(0))
    .collect();
    assert_eq!(paged, expected);

    // A second run adds none.
    let again = Command::new(env!("CARGO_BIN_EXE_edumarkt-e2e"))
        .args(["seed", "--reviews", "300"])
        .env("DATABASE_URL", &app.database_url)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&again.stdout).contains("reviews not loaded"));
    assert_eq!(one("SELECT count(*) FROM reviews").await, 300);
}
