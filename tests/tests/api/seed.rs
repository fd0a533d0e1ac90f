//! `edumarkt seed`: the generated market is valid, deterministic and loaded once.

use std::process::Command;

use serde_json::Value;

use crate::helpers::{spawn_app, titles};

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
