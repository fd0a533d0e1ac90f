//! Demand bundles end to end: drafting by a network's coordinator or a board's officer, who
//! reads a draft and a network bundle, opening, joining with exact totals (also under
//! concurrent joins), the deadlines moving the bundle on with the clock moved instead of
//! waited for (one millisecond before and exactly at the deadline), withdrawing, cancelling,
//! and the procurement regime of the estimated value.

use chrono::{DateTime, Duration, Utc};
use futures_util::future::join_all;
use serde_json::{Value, json};

use crate::helpers::{
    TestApp, User, error_fields, problem, school_body, spawn_app, spawn_app_with,
};

/// A network with its coordinator and two member schools with their leaders; a third school
/// outside the network.
pub struct Network {
    pub app: TestApp,
    pub coordinator: User,
    pub network: String,
    pub leaders: Vec<User>,
    pub schools: Vec<String>,
    pub outsider: User,
    pub outside_school: String,
}

pub async fn network_on(app: TestApp) -> Network {
    let coordinator = app.user("coord@swv.nl").await;
    let network = app
        .organization(
            &coordinator,
            json!({"kind": "network", "name": "SWV Eemland"}),
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let outsider = app.user("leider@elders.nl").await;
    let outside_school = app.organization(&outsider, school_body("99ZZ")).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut n = Network {
        app,
        coordinator,
        network,
        leaders: Vec::new(),
        schools: Vec::new(),
        outsider,
        outside_school,
    };
    for brin in ["11AA", "22BB"] {
        n.add_school(brin).await;
    }
    n
}

impl Network {
    /// A new school (po, Utrecht) of a new leader, `leider{i}@school.nl` where `i` counts the
    /// schools added before, made a member of the network.
    pub async fn add_school(&mut self, brin: &str) {
        let leader = self
            .app
            .user(&format!("leider{}@school.nl", self.schools.len()))
            .await;
        let school = self.app.organization(&leader, school_body(brin)).await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let added = self
            .app
            .post(
                &format!("/v1/networks/{}/members", self.network),
                &json!({"organization_id": school}),
                Some(&self.coordinator.access),
            )
            .await;
        assert_eq!(added.status(), 201);
        self.leaders.push(leader);
        self.schools.push(school);
    }
}

pub fn bundle_body(owner: &str, now: DateTime<Utc>, visibility: &str) -> Value {
    json!({
        "owner_organization_id": owner,
        "title": "Dyslexie-aanpak voor de scholen van het samenwerkingsverband",
        "need": {
            "problem": "Leerlingen met dyslexie lopen vast in groep 5.",
            "goals": "Leraren signaleren vroeg en begeleiden zelf.",
            "intended_result": "Een gedeelde aanpak in elke school.",
            "success_measure": "Leesresultaten en doorverwijzingen na een jaar."
        },
        "domain": "leerlingenzorg",
        "service_type": "zorg_leerproblemen",
        "sectors": ["po"],
        "regions": ["utrecht"],
        "unit": "leerling",
        "criteria": [{"code": "price", "weight": 40}, {"code": "fit", "weight": 35},
                     {"code": "lasting_effect", "weight": 25}],
        "price_method": "budget",
        "join_deadline": now + Duration::days(14),
        "offer_deadline": now + Duration::days(28),
        "visibility": visibility
    })
}

pub async fn json_of(response: reqwest::Response, status: u16) -> Value {
    let code = response.status().as_u16();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert_eq!(code, status, "{body}");
    body
}

/// Drafts and opens a bundle of the network; returns its id.
pub async fn open_bundle(n: &Network, visibility: &str) -> String {
    let now = n.app.state.clock.now();
    open_bundle_of(n, &bundle_body(&n.network, now, visibility)).await
}

/// Drafts the bundle `body` describes and opens it; returns its id.
pub async fn open_bundle_of(n: &Network, body: &Value) -> String {
    let draft = json_of(
        n.app
            .post("/v1/bundles", body, Some(&n.coordinator.access))
            .await,
        201,
    )
    .await;
    let id = draft["id"].as_str().unwrap().to_owned();
    json_of(
        n.app
            .post(
                &format!("/v1/bundles/{id}/open"),
                &json!({}),
                Some(&n.coordinator.access),
            )
            .await,
        200,
    )
    .await;
    id
}

pub async fn join(
    app: &TestApp,
    user: &User,
    bundle: &str,
    school: &str,
    quantity: i64,
    budget: i64,
) -> reqwest::Response {
    app.post(
        &format!("/v1/bundles/{bundle}/participants"),
        &json!({"organization_id": school, "quantity": quantity, "budget_cents": budget,
                "wishes": "Graag op locatie, op woensdagmiddag."}),
        Some(&user.access),
    )
    .await
}

#[tokio::test]
async fn a_coordinator_drafts_and_opens_a_bundle_that_member_schools_join() {
    let n = network_on(spawn_app().await).await;
    let app = &n.app;
    let now = app.state.clock.now();
    let draft = json_of(
        app.post(
            "/v1/bundles",
            &bundle_body(&n.network, now, "network"),
            Some(&n.coordinator.access),
        )
        .await,
        201,
    )
    .await;
    let id = draft["id"].as_str().unwrap();
    assert_eq!(draft["status"], "draft");
    assert_eq!(
        draft["need"]["success_measure"],
        "Leesresultaten en doorverwijzingen na een jaar."
    );
    assert_eq!(
        draft["criteria"],
        json!([{"code": "price", "weight": 40}, {"code": "fit", "weight": 35}, {"code": "lasting_effect", "weight": 25}])
    );
    assert_eq!(
        draft["totals"],
        json!({"quantity": 0, "organizations": 0, "budget_cents": 0})
    );
    assert_eq!(draft["procurement_regime"], "single_quotation");
    // A draft is its owner's: the member schools and anyone else get not found.
    let path = format!("/v1/bundles/{id}");
    for reader in [Some(&n.leaders[0].access), Some(&n.outsider.access), None] {
        assert_eq!(
            app.get(&path, reader.map(String::as_str)).await.status(),
            404
        );
    }
    assert_eq!(
        join(app, &n.leaders[0], id, &n.schools[0], 100, 1_000_000)
            .await
            .status(),
        404,
        "nothing to join before it opens"
    );

    let opened = json_of(
        app.post(
            &format!("{path}/open"),
            &json!({}),
            Some(&n.coordinator.access),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(opened["status"], "open");
    // Open to the network: members read it; a school outside the network does not.
    assert_eq!(
        app.get(&path, Some(&n.leaders[1].access)).await.status(),
        200
    );
    assert_eq!(app.get(&path, Some(&n.outsider.access)).await.status(), 404);
    assert_eq!(app.get(&path, None).await.status(), 404);

    let joined = json_of(
        join(app, &n.leaders[0], id, &n.schools[0], 120, 1_500_000).await,
        201,
    )
    .await;
    assert_eq!(
        joined["totals"],
        json!({"quantity": 120, "organizations": 1, "budget_cents": 1_500_000})
    );
    // Joining again changes the part: 200, and the totals follow.
    let changed = json_of(
        join(app, &n.leaders[0], id, &n.schools[0], 150, 2_000_000).await,
        200,
    )
    .await;
    assert_eq!(
        changed["totals"],
        json!({"quantity": 150, "organizations": 1, "budget_cents": 2_000_000})
    );
    let both = json_of(
        join(app, &n.leaders[1], id, &n.schools[1], 80, 1_000_000).await,
        201,
    )
    .await;
    assert_eq!(
        both["totals"],
        json!({"quantity": 230, "organizations": 2, "budget_cents": 3_000_000})
    );
    // The owner sees who joined; a participant does not see the others.
    let list = json_of(
        app.get(&format!("{path}/participants"), Some(&n.coordinator.access))
            .await,
        200,
    )
    .await;
    assert_eq!(list["items"].as_array().unwrap().len(), 2);
    assert_eq!(
        list["items"][0]["wishes"],
        "Graag op locatie, op woensdagmiddag."
    );
    assert_eq!(
        app.get(&format!("{path}/participants"), Some(&n.leaders[0].access))
            .await
            .status(),
        403
    );
}

#[tokio::test]
async fn only_coordinators_and_board_officers_draft_and_only_leaders_of_members_join() {
    let n = network_on(spawn_app().await).await;
    let app = &n.app;
    let now = app.state.clock.now();
    // A school leader cannot draft for their school, nor for a network they are not
    // coordinating.
    for owner in [&n.schools[0], &n.network] {
        let refused = app
            .post(
                "/v1/bundles",
                &bundle_body(owner, now, "public"),
                Some(&n.leaders[0].access),
            )
            .await;
        assert_eq!(refused.status(), 403, "{owner}");
    }
    // A board's officer drafts for the board; a board's bundle is public, not a network's.
    let officer = app.user("bestuurder@stichting.nl").await;
    let board = app
        .organization(
            &officer,
            json!({"kind": "school_board", "name": "Stichting Eem", "board_number": "41235"}),
        )
        .await;
    let board = board["id"].as_str().unwrap();
    let network_only = problem(
        app.post(
            "/v1/bundles",
            &bundle_body(board, now, "network"),
            Some(&officer.access),
        )
        .await,
    )
    .await;
    assert_eq!(error_fields(&network_only), vec!["visibility"]);
    json_of(
        app.post(
            "/v1/bundles",
            &bundle_body(board, now, "public"),
            Some(&officer.access),
        )
        .await,
        201,
    )
    .await;

    // Every invalid field at once, and nothing stored.
    let bad = json!({
        "owner_organization_id": n.network,
        "title": "",
        "domain": "leerlingenzorg",
        "service_type": "prof_teamleiders",
        "sectors": [],
        "regions": ["mars"],
        "unit": "kilo",
        "criteria": [{"code": "price", "weight": 70}, {"code": "charm", "weight": 30}],
        "price_method": "cheapest",
        "join_deadline": now - Duration::days(1),
        "offer_deadline": now - Duration::days(2),
        "visibility": "secret"
    });
    let refused = problem(
        app.post("/v1/bundles", &bad, Some(&n.coordinator.access))
            .await,
    )
    .await;
    let fields = error_fields(&refused);
    for field in [
        "title",
        "need.problem",
        "service_type",
        "sectors",
        "regions[0]",
        "unit",
        "criteria[1]",
        "price_method",
        "join_deadline",
        "offer_deadline",
        "visibility",
    ] {
        assert!(fields.contains(&field), "{field} in {fields:?}");
    }
    let count = app
        .sql()
        .await
        .query_one("SELECT count(*) FROM bundles", &[])
        .await
        .unwrap()
        .get::<_, i64>(0);
    assert_eq!(count, 1, "only the board's bundle");

    // Joining a network bundle: a school outside the network, a teacher, a provider cannot.
    let id = open_bundle(&n, "network").await;
    let outside = join(app, &n.outsider, &id, &n.outside_school, 10, 0).await;
    assert_eq!(outside.status(), 404, "the outsider does not even see it");
    let teacher = app.user("docent@school.nl").await;
    let added = app
        .join(&n.leaders[0], &n.schools[0], &teacher, "teacher")
        .await;
    assert!(added.status().is_success());
    assert_eq!(
        join(app, &teacher, &id, &n.schools[0], 10, 0)
            .await
            .status(),
        403
    );
    // A leader joining for a school they do not lead.
    assert_eq!(
        join(app, &n.leaders[0], &id, &n.schools[1], 10, 0)
            .await
            .status(),
        403
    );
    let invalid = problem(
        app.post(
            &format!("/v1/bundles/{id}/participants"),
            &json!({"quantity": 0, "budget_cents": -5}),
            Some(&n.leaders[0].access),
        )
        .await,
    )
    .await;
    assert_eq!(
        error_fields(&invalid),
        vec!["organization_id", "quantity", "budget_cents"]
    );
    // A public bundle is joined by any school's leader.
    let public = open_bundle(&n, "public").await;
    assert_eq!(
        join(app, &n.outsider, &public, &n.outside_school, 10, 0)
            .await
            .status(),
        201
    );
}

#[tokio::test]
async fn the_deadlines_move_the_bundle_on_with_the_clock() {
    let n = network_on(spawn_app().await).await;
    let app = &n.app;
    let id = open_bundle(&n, "network").await;
    let path = format!("/v1/bundles/{id}");
    let bundle = json_of(app.get(&path, Some(&n.coordinator.access)).await, 200).await;
    let join_deadline: DateTime<Utc> = bundle["join_deadline"].as_str().unwrap().parse().unwrap();
    let offer_deadline: DateTime<Utc> = bundle["offer_deadline"].as_str().unwrap().parse().unwrap();
    json_of(
        join(app, &n.leaders[1], &id, &n.schools[1], 50, 500_000).await,
        201,
    )
    .await;

    // One millisecond before the joining deadline a school still joins; at it, no longer.
    app.clock.set(join_deadline - Duration::milliseconds(1));
    let leaders = [
        app.log_in_again(&n.leaders[0]).await,
        app.log_in_again(&n.leaders[1]).await,
    ];
    let coordinator = app.log_in_again(&n.coordinator).await;
    json_of(
        join(app, &leaders[0], &id, &n.schools[0], 10, 100_000).await,
        201,
    )
    .await;
    // Withdrawing is allowed until the deadline too.
    let left = json_of(
        app.delete(
            &format!("{path}/participants/{}", n.schools[0]),
            Some(&leaders[0].access),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        left["totals"],
        json!({"quantity": 50, "organizations": 1, "budget_cents": 500_000})
    );
    app.clock.set(join_deadline);
    let late = join(app, &leaders[0], &id, &n.schools[0], 10, 100_000).await;
    assert_eq!(late.status(), 409);
    let bundle = json_of(app.get(&path, Some(&leaders[0].access)).await, 200).await;
    assert_eq!(bundle["status"], "tendering");
    assert_eq!(bundle["totals"]["organizations"], 1);
    assert_eq!(
        app.delete(
            &format!("{path}/participants/{}", n.schools[1]),
            Some(&leaders[1].access)
        )
        .await
        .status(),
        409
    );
    app.clock.set(offer_deadline);
    let leaders = [
        app.log_in_again(&leaders[0]).await,
        app.log_in_again(&leaders[1]).await,
    ];
    let coordinator = app.log_in_again(&coordinator).await;
    let bundle = json_of(app.get(&path, Some(&coordinator.access)).await, 200).await;
    assert_eq!(bundle["status"], "evaluating");

    // Only the owner cancels; a cancelled bundle stays cancelled.
    assert_eq!(
        app.post(
            &format!("{path}/cancel"),
            &json!({}),
            Some(&leaders[0].access)
        )
        .await
        .status(),
        403
    );
    let cancelled = json_of(
        app.post(
            &format!("{path}/cancel"),
            &json!({}),
            Some(&coordinator.access),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(
        app.post(
            &format!("{path}/cancel"),
            &json!({}),
            Some(&coordinator.access)
        )
        .await
        .status(),
        409
    );
    // Every move is recorded, with its actor.
    let events = app
        .sql()
        .await
        .query(
            "SELECT action, from_status, to_status FROM bundle_events WHERE bundle_id = $1::text::uuid ORDER BY id",
            &[&id],
        )
        .await
        .unwrap();
    let moves: Vec<(String, String, String)> = events
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    assert_eq!(
        moves,
        vec![
            ("open".into(), "draft".into(), "open".into()),
            ("cancel".into(), "open".into(), "cancelled".into()),
        ]
    );
}

#[tokio::test]
async fn a_draft_opened_after_its_joining_deadline_is_refused() {
    let n = network_on(spawn_app().await).await;
    let app = &n.app;
    let now = app.state.clock.now();
    let draft = json_of(
        app.post(
            "/v1/bundles",
            &bundle_body(&n.network, now, "network"),
            Some(&n.coordinator.access),
        )
        .await,
        201,
    )
    .await;
    app.clock.advance(Duration::days(15));
    let coordinator = app.log_in_again(&n.coordinator).await;
    let id = draft["id"].as_str().unwrap();
    assert_eq!(
        app.post(
            &format!("/v1/bundles/{id}/open"),
            &json!({}),
            Some(&coordinator.access)
        )
        .await
        .status(),
        409
    );
}

#[tokio::test]
async fn concurrent_joins_leave_totals_equal_to_a_fresh_sum() {
    const SCHOOLS: usize = 12;
    let n = network_on(
        spawn_app_with(|config| {
            config.db_pool_size = 16;
            // The joins queue on one bundle row: on a loaded machine they wait their turn.
            config.db_pool_wait = std::time::Duration::from_secs(120);
            config.request_timeout = std::time::Duration::from_secs(180);
        })
        .await,
    )
    .await;
    let app = &n.app;
    let id = open_bundle(&n, "public").await;
    let mut joiners = Vec::new();
    for i in 0..SCHOOLS {
        let leader = app.user(&format!("leider{i}@samen.nl")).await;
        let school = app
            .organization(&leader, school_body(&format!("{:02}CC", i + 10)))
            .await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        joiners.push((leader, school));
    }
    let joins = joiners.iter().enumerate().map(|(i, (leader, school))| {
        let quantity = 10 + i as i64;
        join(app, leader, &id, school, quantity, quantity * 1_000)
    });
    for response in join_all(joins).await {
        assert_eq!(response.status(), 201);
    }
    let bundle = json_of(app.get(&format!("/v1/bundles/{id}"), None).await, 200).await;
    let expected_quantity: i64 = (0..SCHOOLS as i64).map(|i| 10 + i).sum();
    assert_eq!(
        bundle["totals"],
        json!({"quantity": expected_quantity, "organizations": SCHOOLS, "budget_cents": expected_quantity * 1_000})
    );
    let fresh = app
        .sql()
        .await
        .query_one(
            "SELECT sum(quantity)::bigint, count(*), sum(budget_cents)::bigint FROM bundle_participants WHERE bundle_id = $1::text::uuid",
            &[&id],
        )
        .await
        .unwrap();
    assert_eq!(fresh.get::<_, i64>(0), expected_quantity);
    assert_eq!(fresh.get::<_, i64>(1), SCHOOLS as i64);
}

#[tokio::test]
async fn the_estimated_value_decides_the_procurement_regime() {
    let n = network_on(spawn_app().await).await;
    let app = &n.app;
    let id = open_bundle(&n, "network").await;
    // Pupil support is a social service of Annex XIV: European only from EUR 750,000.
    let bundle = json_of(
        join(app, &n.leaders[0], &id, &n.schools[0], 400, 40_000_000).await,
        201,
    )
    .await;
    assert_eq!(bundle["estimated_value_cents"], 40_000_000);
    assert_eq!(bundle["procurement_regime"], "national");
    let bundle = json_of(
        join(app, &n.leaders[1], &id, &n.schools[1], 400, 35_000_000).await,
        201,
    )
    .await;
    assert_eq!(bundle["estimated_value_cents"], 75_000_000);
    assert_eq!(bundle["procurement_regime"], "european");
    // The thresholds are settings.
    let lower = network_on(
        spawn_app_with(|config| config.tenders.procurement.eu_social_cents = 20_000_000).await,
    )
    .await;
    let id = open_bundle(&lower, "network").await;
    let bundle = json_of(
        join(
            &lower.app,
            &lower.leaders[0],
            &id,
            &lower.schools[0],
            10,
            20_000_000,
        )
        .await,
        201,
    )
    .await;
    assert_eq!(bundle["procurement_regime"], "european");
}

#[tokio::test]
async fn the_owner_changes_a_bundle_at_the_version_read_until_the_offer_deadline() {
    let n = network_on(spawn_app().await).await;
    let app = &n.app;
    let now = app.state.clock.now();
    let id = open_bundle(&n, "network").await;
    let path = format!("/v1/bundles/{id}");
    let mut body = bundle_body(&n.network, now, "network");
    body["title"] = json!("Dyslexie en leesbegeleiding voor het samenwerkingsverband");
    body["criteria"] = json!([{"code": "price", "weight": 50}, {"code": "fit", "weight": 50}]);

    // No If-Match: 428; a stale one: 412; others: 403 for a member, 404 for an outsider.
    let missing = app
        .client
        .patch(app.url(&path))
        .bearer_auth(&n.coordinator.access)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 428);
    let stale = app
        .patch(&path, &body, &n.coordinator.access, Some("\"1\""))
        .await;
    assert_eq!(stale.status(), 412, "opening made it version 2");
    let member = app
        .patch(&path, &body, &n.leaders[0].access, Some("\"2\""))
        .await;
    assert_eq!(member.status(), 403);
    let outsider = app
        .patch(&path, &body, &n.outsider.access, Some("\"2\""))
        .await;
    assert_eq!(outsider.status(), 404);
    let mut invalid = body.clone();
    invalid["criteria"] = json!([{"code": "price", "weight": 50}]);
    invalid["owner_organization_id"] = json!(n.schools[0]);
    let refused = problem(
        app.patch(&path, &invalid, &n.coordinator.access, Some("\"2\""))
            .await,
    )
    .await;
    assert_eq!(error_fields(&refused), vec!["owner_organization_id"]);
    invalid["owner_organization_id"] = json!(n.network);
    let refused = problem(
        app.patch(&path, &invalid, &n.coordinator.access, Some("\"2\""))
            .await,
    )
    .await;
    assert_eq!(error_fields(&refused), vec!["criteria"]);

    let changed = json_of(
        app.patch(&path, &body, &n.coordinator.access, Some("\"2\""))
            .await,
        200,
    )
    .await;
    assert_eq!(changed["title"], body["title"]);
    assert_eq!(changed["criteria"], body["criteria"]);
    assert_eq!(changed["version"], 3);
    assert_eq!(changed["status"], "open");

    // Once the joining deadline passed, offers are possible: the conditions still change
    // (offers made must then be confirmed, see bundle_offers), the joining deadline stays,
    // and with fourteen days left the offer deadline does too.
    app.clock.advance(Duration::days(14));
    let coordinator = app.log_in_again(&n.coordinator).await;
    let late = json_of(
        app.patch(&path, &body, &coordinator.access, Some("\"3\""))
            .await,
        200,
    )
    .await;
    assert_eq!(late["status"], "tendering");
    assert_eq!(late["offer_deadline"], changed["offer_deadline"]);
    // Cancelled, it changes no more.
    json_of(
        app.post(
            &format!("{path}/cancel"),
            &json!({}),
            Some(&coordinator.access),
        )
        .await,
        200,
    )
    .await;
    let after = app
        .patch(&path, &body, &coordinator.access, Some("\"5\""))
        .await;
    assert_eq!(after.status(), 409);
}
