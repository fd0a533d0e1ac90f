//! The pages in a real browser: journeys in `tests/browser/journeys/` run by Node with
//! `playwright-core` against Debian's Chromium (`/usr/bin/chromium`, or `EDUMARKT_CHROMIUM`;
//! never a downloaded browser), with axe-core on every page visited. Screenshots go to
//! `tests/browser/artifacts/<journey>/`. The Node packages are pinned in
//! `tests/browser/package-lock.json` and installed with `npm ci` on first use.

use std::path::PathBuf;
use std::time::Duration;

use tokio::process::Command;
use tokio::sync::OnceCell;

use crate::helpers::{TestApp, school_body, spawn_app, spawn_app_with};
use crate::pages::market;

fn browser_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("browser")
}

/// `npm ci` once per test process, when the packages are not installed yet.
async fn install() {
    static INSTALLED: OnceCell<()> = OnceCell::const_new();
    INSTALLED
        .get_or_init(|| async {
            let dir = browser_dir();
            if dir.join("node_modules/.package-lock.json").exists() {
                return;
            }
            let output = Command::new("npm")
                .args(["ci", "--ignore-scripts", "--no-audit", "--no-fund"])
                .current_dir(&dir)
                .output()
                .await
                .expect("npm runs (install Node.js and npm)");
            assert!(
                output.status.success(),
                "npm ci in tests/browser failed:\n{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
        })
        .await;
}

/// Runs `journeys/<name>.mjs` against the app and fails with its output when it fails.
async fn journey(app: &TestApp, name: &str) {
    journey_with(app, name, &[]).await;
}

/// `journey` with extra environment variables for the script (a phase, a link from a mail).
pub(crate) async fn journey_with(app: &TestApp, name: &str, env: &[(&str, &str)]) {
    install().await;
    let dir = browser_dir();
    let chromium =
        std::env::var("EDUMARKT_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        std::path::Path::new(&chromium).exists(),
        "no Chromium at {chromium}: install Debian's `chromium` package (.ci/run does)"
    );
    let run = Command::new("node")
        .arg(dir.join("journeys").join(format!("{name}.mjs")))
        .env("EDUMARKT_BASE_URL", &app.address)
        .env("EDUMARKT_CHROMIUM", &chromium)
        .envs(env.iter().copied())
        .current_dir(&dir)
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(Duration::from_secs(180), run)
        .await
        .unwrap_or_else(|_| panic!("the {name} journey took over three minutes"))
        .expect("node runs (install Node.js)");
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "the {name} journey failed:\n{log}");
    // A journey that checked no page proves nothing.
    assert!(
        log.contains("ok: "),
        "the {name} journey checked no page:\n{log}"
    );
}

#[tokio::test]
async fn a_school_leader_searches_with_a_typo_filters_and_opens_an_offering() {
    let app = spawn_app().await;
    market(&app).await;
    journey(&app, "search").await;
}

#[tokio::test]
async fn a_new_user_signs_up_verifies_by_the_mail_link_logs_in_and_out() {
    // Plain http, as under `edumarkt up`: the session cookie is then not `Secure`.
    let app = spawn_app_with(|c| c.public_url = "http://edumarkt.test".into()).await;
    journey_with(&app, "account", &[("EDUMARKT_PHASE", "signup")]).await;
    // The mail's link names the configured public URL; the browser opens its path here.
    let token = app.token_from_mail("bram@school.nl", "/verify-email").await;
    let link = format!("/verify-email?token={token}");
    journey_with(
        &app,
        "account",
        &[
            ("EDUMARKT_PHASE", "verify"),
            ("EDUMARKT_VERIFY_PATH", &link),
        ],
    )
    .await;
}

#[tokio::test]
async fn a_school_leader_compares_three_offerings_for_400_pupils() {
    let app = spawn_app().await;
    market(&app).await;
    journey(&app, "compare").await;
}

/// An app with the demo data (its provider Leerkracht Academie and its accounts act in the
/// dashboard journeys), over plain http as under `edumarkt up`.
async fn demo_app() -> TestApp {
    let app = spawn_app_with(|c| c.public_url = "http://edumarkt.test".into()).await;
    let mut conn = app.state.pool.get().await.unwrap();
    edumarkt_server::seed::load_demo(&mut conn, app.state.clock.now())
        .await
        .unwrap();
    app
}

#[tokio::test]
async fn a_provider_creates_fixes_publishes_and_finds_an_offering() {
    let app = demo_app().await;
    journey(&app, "dashboard").await;
    let rows = app
        .sql()
        .await
        .query(
            "SELECT status, price_min_cents FROM offerings WHERE title = 'Rekenen met verhalen in groep 5'",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].get::<_, String>(0), "published");
    assert_eq!(rows[0].get::<_, Option<i64>>(1), Some(35_000));
    let rows = app
        .sql()
        .await
        .query(
            "SELECT website, contact_phone, regions FROM organizations WHERE name = 'Leerkracht Academie (demo)'",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(
        rows[0].get::<_, Option<String>>(0).as_deref(),
        Some("https://www.leerkracht-academie.example")
    );
    assert_eq!(
        rows[0].get::<_, Option<String>>(1).as_deref(),
        Some("030 765 4321")
    );
    assert_eq!(rows[0].get::<_, Vec<String>>(2), ["utrecht"]);
}

#[tokio::test]
async fn a_second_tab_cannot_overwrite_the_first_tabs_save() {
    let app = demo_app().await;
    journey(&app, "dashboard-tabs").await;
    let rows = app
        .sql()
        .await
        .query(
            "SELECT title, description, version FROM offerings WHERE title LIKE 'Lesson study rekenen%'",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    // Both tabs' changes are kept: the first tab's title, the second tab's text.
    assert_eq!(
        rows[0].get::<_, String>(0),
        "Lesson study rekenen (tab één)"
    );
    assert_eq!(
        rows[0].get::<_, String>(1),
        "Tekst uit het tweede tabblad die niet verloren mag gaan."
    );
}

#[tokio::test]
async fn a_school_leader_saves_three_compared_offerings_that_a_colleague_opens() {
    journey(&school_with_teacher().await, "shortlist").await;
}

/// The market of the page tests, and a school with leider@linde.nl managing it and
/// juf@linde.nl a teacher.
async fn school_with_teacher() -> TestApp {
    let app = spawn_app().await;
    market(&app).await;
    let leader = app.user("leider@linde.nl").await;
    let school = app.organization(&leader, school_body("12AB")).await;
    let colleague = app.user("juf@linde.nl").await;
    let school = school["id"].as_str().unwrap();
    let joined = app.join(&leader, school, &colleague, "teacher").await;
    assert_eq!(joined.status(), 200);
    app
}

#[tokio::test]
async fn a_teacher_writes_a_review_and_sees_it() {
    journey(&school_with_teacher().await, "review").await;
}

#[tokio::test]
async fn a_coordinator_reads_the_networks_demand_in_charts_and_tables() {
    let (network, ..) = crate::insights::network_with_demand().await;
    journey(&network.app, "insight").await;
}

/// The bundle the tender journey drafted: its page's path and its deadlines.
async fn drafted_bundle(
    app: &TestApp,
) -> (
    String,
    chrono::DateTime<chrono::Utc>,
    chrono::DateTime<chrono::Utc>,
) {
    let rows = app
        .sql()
        .await
        .query("SELECT id, join_deadline, offer_deadline FROM bundles", &[])
        .await
        .unwrap();
    assert_eq!(rows.len(), 1, "the journey drafted one bundle");
    let id: uuid::Uuid = rows[0].get(0);
    (format!("/bundels/{id}"), rows[0].get(1), rows[0].get(2))
}

#[tokio::test]
async fn a_coordinator_bundles_demand_that_schools_join_and_providers_win() {
    use crate::bundles::{json_of, network_on};
    use crate::helpers::offering_body;

    let n = network_on(spawn_app().await).await;
    let app = &n.app;
    let teacher = app.user("juf@school.nl").await;
    assert_eq!(
        app.join(&n.leaders[0], &n.schools[0], &teacher, "teacher")
            .await
            .status(),
        200
    );
    let mut providers = Vec::new();
    for (email, kvk) in [
        ("a@aanbieder-a.nl", "11111111"),
        ("b@aanbieder-b.nl", "22222222"),
    ] {
        let (admin, provider) = app.provider(email, kvk).await;
        let offering = app.publish(&admin, &provider, &offering_body()).await;
        providers.push((admin, offering, provider));
    }
    // The fixture names every provider alike; the journey tells them apart by name.
    for ((_, _, provider), name) in providers.iter().zip(["Aanbieder Alfa", "Aanbieder Beta"]) {
        let id: uuid::Uuid = provider.parse().unwrap();
        app.sql()
            .await
            .execute(
                "UPDATE organizations SET name = $1 WHERE id = $2",
                &[&name, &id],
            )
            .await
            .unwrap();
    }
    let now = app.state.clock.now().to_rfc3339();
    journey_with(
        app,
        "tender",
        &[("EDUMARKT_PHASE", "draft"), ("EDUMARKT_NOW", &now)],
    )
    .await;
    let (path, join_deadline, offer_deadline) = drafted_bundle(app).await;
    let id = path.trim_start_matches("/bundels/").to_owned();
    let coordinator = app.log_in_again(&n.coordinator).await;
    let bundle = json_of(
        app.get(&format!("/v1/bundles/{id}"), Some(&coordinator.access))
            .await,
        200,
    )
    .await;
    assert_eq!(bundle["status"], "open");
    assert_eq!(bundle["totals"]["organizations"], 2);
    assert_eq!(bundle["totals"]["quantity"], 20);
    assert_eq!(bundle["totals"]["budget_cents"], 750_000);

    // Joining closes; the providers offer on the page.
    app.clock.set(join_deadline + chrono::Duration::minutes(1));
    let phase = |name| {
        [
            ("EDUMARKT_PHASE", name),
            ("EDUMARKT_BUNDLE_PATH", path.as_str()),
        ]
    };
    journey_with(app, "tender", &phase("offer")).await;
    let coordinator = app.log_in_again(&n.coordinator).await;
    let bundle = json_of(
        app.get(&format!("/v1/bundles/{id}"), Some(&coordinator.access))
            .await,
        200,
    )
    .await;
    assert_eq!(bundle["status"], "tendering");

    // The offers open after their deadline; the owner scores and awards on the page.
    app.clock.set(offer_deadline + chrono::Duration::minutes(1));
    journey_with(app, "tender", &phase("award")).await;
    let coordinator = app.log_in_again(&n.coordinator).await;
    let bundle = json_of(
        app.get(&format!("/v1/bundles/{id}"), Some(&coordinator.access))
            .await,
        200,
    )
    .await;
    assert_eq!(bundle["status"], "awarded");
    let winner = app
        .sql()
        .await
        .query(
            "SELECT o.offering_id::text FROM bundles b JOIN bundle_offers o ON o.id = b.awarded_offer_id",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(winner[0].get::<_, String>(0), providers[0].1, "Alfa won");
    app.mail_about(&n.leaders[1].email, "is gegund aan").await;

    journey_with(app, "tender", &phase("review")).await;
    let rows = app
        .sql()
        .await
        .query(
            "SELECT offering_id::text FROM reviews WHERE verified_at IS NOT NULL",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(rows.len(), 1, "one verified review");
    assert_eq!(rows[0].get::<_, String>(0), providers[0].1);
}
