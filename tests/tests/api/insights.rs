//! A network's insight into its demand, end to end: figures from three or more member schools
//! shown, a group of two suppressed (never zero), a withdrawal counted away, the shares next
//! to annex 2's, who may read it (`GET /v1/networks/{id}/insights`), and the page
//! `/netwerken/{id}/inzicht` with its SVG charts and tables, 404 for outsiders and bad ids.

use chrono::{DateTime, Datelike, Duration, TimeZone, Utc};
use serde_json::{Value, json};

use crate::bundles::{Network, network_on};
use crate::helpers::{User, spawn_app};
use crate::shortlist_pages::logged_in;

/// The network of the bundle tests (its coordinator, two member schools, po in Utrecht, with
/// their leaders, and a school outside) with three more member schools.
async fn network_with_five_schools() -> Network {
    let mut n = network_on(spawn_app().await).await;
    for brin in ["33CC", "44DD", "55EE"] {
        n.add_school(brin).await;
    }
    n
}

fn id(value: &Value) -> String {
    value["id"].as_str().unwrap().to_owned()
}

/// Noon UTC on the 15th, `months` months after this month: far from a quarter's edge in any
/// time zone, so the quarter the test expects is the one the server counts in.
fn mid_month(now: DateTime<Utc>, months: u32) -> DateTime<Utc> {
    let index = now.year() * 12 + now.month0() as i32 + months as i32;
    Utc.with_ymd_and_hms(index / 12, (index % 12) as u32 + 1, 15, 12, 0, 0)
        .unwrap()
}

/// `2027-Q1`, as the API names a quarter.
fn quarter(at: DateTime<Utc>) -> String {
    format!("{}-Q{}", at.year(), at.month0() / 3 + 1)
}

/// Drafts and opens a network bundle; returns its id.
async fn open_bundle(
    n: &Network,
    (domain, service_type, unit): (&str, &str, &str),
    regions: &[&str],
    join_deadline: DateTime<Utc>,
) -> String {
    let body = json!({
        "owner_organization_id": n.network,
        "title": format!("Samen inkopen: {service_type}"),
        "need": {
            "problem": "De scholen lopen tegen hetzelfde aan.",
            "goals": "Samen sterker inkopen.",
            "intended_result": "Een gedeelde aanpak.",
            "success_measure": "Na een jaar gemeten."
        },
        "domain": domain,
        "service_type": service_type,
        "sectors": ["po"],
        "regions": regions,
        "unit": unit,
        "criteria": [{"code": "price", "weight": 50}, {"code": "fit", "weight": 50}],
        "price_method": "budget",
        "join_deadline": join_deadline,
        "offer_deadline": join_deadline + Duration::days(14),
        "visibility": "network"
    });
    let draft = n
        .app
        .post("/v1/bundles", &body, Some(&n.coordinator.access))
        .await;
    assert_eq!(draft.status(), 201, "{:?}", draft.text().await);
    let bundle = id(&draft.json().await.unwrap());
    let opened = n
        .app
        .post(
            &format!("/v1/bundles/{bundle}/open"),
            &json!({}),
            Some(&n.coordinator.access),
        )
        .await;
    assert_eq!(opened.status(), 200);
    bundle
}

async fn join(n: &Network, school: usize, bundle: &str, quantity: i64, budget_cents: i64) {
    let joined = n
        .app
        .post(
            &format!("/v1/bundles/{bundle}/participants"),
            &json!({"organization_id": n.schools[school], "quantity": quantity,
                    "budget_cents": budget_cents}),
            Some(&n.leaders[school].access),
        )
        .await;
    assert_eq!(joined.status(), 201, "{:?}", joined.text().await);
}

async fn insights(n: &Network, user: Option<&User>) -> (u16, Value) {
    let response = n
        .app
        .get(
            &format!("/v1/networks/{}/insights", n.network),
            user.map(|u| u.access.as_str()),
        )
        .await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// The breakdown of `code` in a list of breakdowns.
fn group<'a>(list: &'a Value, code: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|g| g["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {list}"))
}

fn share<'a>(body: &'a Value, code: &str) -> &'a Value {
    body["shares"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["code"] == code && s["sector"] == "po")
        .unwrap_or_else(|| panic!("no share of {code} in {body}"))
}

/// In the first quarter three member schools join a dyslexia bundle and two a team-development
/// bundle (suppressed); in the next, four join a diagnostics bundle. The browser journey
/// `insight` starts from it too.
pub(crate) async fn network_with_demand() -> (Network, DateTime<Utc>, DateTime<Utc>, String) {
    let n = network_with_five_schools().await;
    let now = n.app.state.clock.now();
    let (first, later) = (mid_month(now, 2), mid_month(now, 5));
    let dyslexia = open_bundle(
        &n,
        ("leerlingenzorg", "zorg_leerproblemen", "leerling"),
        &["utrecht"],
        first,
    )
    .await;
    let team = open_bundle(
        &n,
        ("professionalisering", "prof_collectief_team", "deelnemer"),
        &["gelderland"],
        first,
    )
    .await;
    let diagnostics = open_bundle(
        &n,
        ("leerlingenzorg", "zorg_diagnostiek", "leerling"),
        &["utrecht"],
        later,
    )
    .await;
    for (school, pupils) in [(0, 100), (1, 120), (2, 80)] {
        join(&n, school, &dyslexia, pupils, 1_000_000).await;
    }
    for school in [3, 4] {
        join(&n, school, &team, 12, 500_000).await;
    }
    for school in 0..4 {
        join(&n, school, &diagnostics, 50, 800_000).await;
    }
    (n, first, later, dyslexia)
}

#[tokio::test]
async fn three_schools_make_a_figure_and_two_are_suppressed_not_zero() {
    let (n, first, later, _) = network_with_demand().await;
    let (status, body) = insights(&n, Some(&n.coordinator)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["min_organizations"], 3);
    assert_eq!(body["network_name"], "SWV Eemland");
    let demand = &body["demand"];
    let periods: Vec<&str> = demand["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert_eq!(periods.first(), Some(&quarter(first).as_str()));
    assert_eq!(periods.last(), Some(&quarter(later).as_str()));
    assert_eq!(periods.len(), 2, "consecutive quarters: {periods:?}");

    // All demand: five schools, pupils and participants do not add up.
    assert_eq!(
        demand["total"]["overall"],
        json!({"status": "shown", "organizations": 5, "bundles": 3, "quantity": null,
               "unit": null, "budget_cents": 7_200_000})
    );
    assert_eq!(
        demand["total"]["by_period"][0]["figure"]["budget_cents"],
        4_000_000
    );
    assert_eq!(
        demand["total"]["by_period"][1]["figure"]["organizations"],
        4
    );
    let diagnostics = group(&demand["by_service_type"], "zorg_diagnostiek");
    assert_eq!(
        diagnostics["overall"],
        json!({"status": "shown", "organizations": 4, "bundles": 1, "quantity": 200,
               "unit": "leerling", "budget_cents": 3_200_000})
    );
    assert_eq!(
        diagnostics["by_period"][0],
        json!({"period": quarter(first), "figure": {"status": "none"}})
    );
    assert_eq!(diagnostics["by_period"][1]["figure"]["organizations"], 4);
    // Two schools: nothing of the group is shown, in any breakdown or quarter.
    let team = group(&demand["by_service_type"], "prof_collectief_team");
    assert_eq!(team["overall"], json!({"status": "suppressed"}));
    assert_eq!(
        team["by_period"][0]["figure"],
        json!({"status": "suppressed"})
    );
    assert_eq!(
        group(&demand["by_domain"], "professionalisering")["overall"],
        json!({"status": "suppressed"})
    );
    assert_eq!(
        group(&demand["by_region"], "gelderland")["overall"],
        json!({"status": "suppressed"})
    );
    // Nor can it be worked out: the first quarter's total less the dyslexia bundle would be
    // the two schools' budget, so the dyslexia figures (three schools) are hidden too, and so
    // are leerlingenzorg and Utrecht, the total less professionalisering and Gelderland.
    let dyslexia = group(&demand["by_service_type"], "zorg_leerproblemen");
    assert_eq!(dyslexia["overall"], json!({"status": "suppressed"}));
    assert_eq!(
        dyslexia["by_period"][0]["figure"],
        json!({"status": "suppressed"})
    );
    for (list, code) in [("by_domain", "leerlingenzorg"), ("by_region", "utrecht")] {
        assert_eq!(
            group(&demand[list], code)["overall"],
            json!({"status": "suppressed"}),
            "{code}"
        );
    }
    assert_eq!(
        group(&demand["by_sector"], "po")["overall"]["organizations"],
        5
    );

    // Next to annex 2: three of the five po schools joined a dyslexia bundle (60%), against
    // 71% of po schools nationally; the team development of two is suppressed.
    assert_eq!(
        share(&body, "zorg_leerproblemen"),
        &json!({"kind": "service_type", "code": "zorg_leerproblemen", "sector": "po",
                "network": {"status": "shown", "schools": 3, "of": 5, "percent": 60},
                "national_percent": 71})
    );
    assert_eq!(share(&body, "zorg_diagnostiek")["network"]["percent"], 80);
    assert_eq!(share(&body, "zorg_diagnostiek")["national_percent"], 77);
    assert_eq!(share(&body, "leerlingenzorg")["national_percent"], 61);
    assert_eq!(share(&body, "leerlingenzorg")["network"]["percent"], 80);
    assert_eq!(
        share(&body, "prof_collectief_team")["network"],
        json!({"status": "suppressed"})
    );
    assert_eq!(share(&body, "prof_collectief_team")["national_percent"], 85);
}

#[tokio::test]
async fn a_withdrawal_takes_a_group_below_three_and_hides_it() {
    let (n, _, _, dyslexia) = network_with_demand().await;
    let withdrawn = n
        .app
        .delete(
            &format!("/v1/bundles/{dyslexia}/participants/{}", n.schools[2]),
            Some(&n.leaders[2].access),
        )
        .await;
    assert_eq!(withdrawn.status(), 200);
    let (_, body) = insights(&n, Some(&n.coordinator)).await;
    assert_eq!(
        group(&body["demand"]["by_service_type"], "zorg_leerproblemen")["overall"],
        json!({"status": "suppressed"})
    );
    assert_eq!(
        body["demand"]["total"]["overall"]["organizations"], 5,
        "a school counts once however many bundles it joins"
    );
    assert_eq!(
        share(&body, "zorg_leerproblemen")["network"],
        json!({"status": "suppressed"})
    );
}

#[tokio::test]
async fn members_read_the_insight_and_everyone_else_is_refused() {
    let (n, ..) = network_with_demand().await;
    // The people of a member school read it, as they see the network.
    let (status, body) = insights(&n, Some(&n.leaders[4])).await;
    assert_eq!(status, 200);
    assert_eq!(body["demand"]["total"]["overall"]["organizations"], 5);
    // A school outside the network: the network is hidden from it, as everywhere.
    let (status, body) = insights(&n, Some(&n.outsider)).await;
    assert_eq!(status, 404, "{body}");
    assert!(!body.to_string().contains("zorg_leerproblemen"));
    let (status, _) = insights(&n, None).await;
    assert_eq!(status, 401);
    // Ids that name no network: a school's, an unknown one, a malformed one.
    for path in [
        format!("/v1/networks/{}/insights", n.outside_school),
        format!("/v1/networks/{}/insights", uuid::Uuid::nil()),
        "/v1/networks/geen-id/insights".to_owned(),
    ] {
        let response = n.app.get(&path, Some(&n.outsider.access)).await;
        assert_eq!(response.status(), 404, "{path}");
    }
    // The route is described.
    let doc: Value = n.app.get("/openapi.json", None).await.json().await.unwrap();
    assert!(doc["paths"]["/v1/networks/{id}/insights"]["get"].is_object());
}

#[tokio::test]
async fn a_network_without_demand_says_so() {
    let n = network_with_five_schools().await;
    let (status, body) = insights(&n, Some(&n.coordinator)).await;
    assert_eq!(status, 200);
    assert_eq!(body["demand"]["periods"], json!([]));
    assert_eq!(
        body["demand"]["total"]["overall"],
        json!({"status": "none"})
    );
    assert_eq!(body["shares"], json!([]));
    let mut browser = logged_in(&n.app, &n.coordinator.email).await;
    let page = browser
        .get(&format!("/netwerken/{}/inzicht", n.network))
        .await;
    assert_eq!(page.status, 200, "{}", page.html);
    assert!(page.html.contains("nog geen school of bestuur aangemeld"));
    assert!(!page.html.contains("<svg"));
}

#[tokio::test]
async fn the_page_draws_the_charts_with_their_tables_and_refuses_outsiders() {
    let (n, first, _, _) = network_with_demand().await;
    let path = format!("/netwerken/{}/inzicht", n.network);
    let mut browser = logged_in(&n.app, &n.coordinator.email).await;
    // The coordinator finds it from the account page, beside the network.
    let account = browser.get("/account").await;
    assert!(
        account.html.contains(&format!(r#"href="{path}""#)),
        "{}",
        account.html
    );
    let mut member = logged_in(&n.app, &n.leaders[0].email).await;
    assert!(!member.get("/account").await.html.contains("/inzicht"));
    let page = browser.get(&path).await;
    assert_eq!(page.status, 200, "{}", page.html);
    let html = &page.html;
    assert!(html.contains("Inzicht in de vraag van SWV Eemland"));
    // Two charts, each named by its title and description, each followed by its table.
    assert_eq!(
        html.matches(r#"<svg class="em-chart" role="img""#).count(),
        2
    );
    assert!(html.contains(r#"aria-labelledby="tijdlijn-titel tijdlijn-uitleg""#));
    assert!(html.contains(r#"<title id="tijdlijn-titel">"#));
    assert!(html.contains(r#"<desc id="tijdlijn-uitleg">"#));
    assert!(html.contains(r#"<title id="aandeel-titel">"#));
    assert!(html.contains("De vraag per kwartaal in cijfers"));
    assert!(html.contains("De aandelen in cijfers"));
    let first_label = format!("{} K{}", first.year(), first.month0() / 3 + 1);
    assert!(html.contains(&format!(">{first_label}</th>")), "{html}");
    // Shown: 4 schools, 200 pupils, € 32.000 for diagnostics; 60% of the schools joined a
    // dyslexia bundle, against 71% nationally.
    assert!(html.contains("200 × leerling"));
    assert!(html.contains("€ 32.000"));
    assert!(!html.contains("€ 30.000"), "nor what would give it away");
    assert!(html.contains("60% (3 van 5 scholen)"));
    assert!(html.contains("71%"));
    // Suppressed: said, in the tables and the charts, never a zero in its place.
    assert!(html.contains("afgeschermd: minder dan 3 organisaties"));
    assert!(html.contains("Netwerk: afgeschermd"));
    assert!(
        !html.contains("€ 10.000"),
        "the two schools' budget is not shown"
    );

    // A member school's leader reads it too; an outsider gets the Dutch 404 page.
    assert_eq!(member.get(&path).await.status, 200);
    let mut outsider = logged_in(&n.app, &n.outsider.email).await;
    let refused = outsider.get(&path).await;
    assert_eq!(refused.status, 404);
    assert!(!refused.html.contains("zorg_leerproblemen") && !refused.html.contains("<svg"));
    // Bad ids in the URL: 404, never 500 (a NUL is the edge's Dutch 400 page, as on every
    // page).
    assert_eq!(browser.get("/netwerken/%00/inzicht").await.status, 400);
    for bad in [
        "/netwerken/geen-id/inzicht".to_owned(),
        "/netwerken/inzicht/inzicht".to_owned(),
        format!("/netwerken/{}/inzicht", uuid::Uuid::nil()),
        format!("/netwerken/{}/inzicht", n.outside_school),
    ] {
        assert_eq!(browser.get(&bad).await.status, 404, "{bad}");
    }
    // Logged out: to the login page, and back here after.
    let logged_out = crate::account_pages::Browser::new(&n.app).get(&path).await;
    assert_eq!(logged_out.status, 303);
    assert!(logged_out.location.unwrap().starts_with("/inloggen?terug="));
}
