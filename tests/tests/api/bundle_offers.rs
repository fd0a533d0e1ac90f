//! Sealed offers, evaluation and award end to end, with the clock moved instead of waited
//! for: offers one millisecond before and exactly at the deadline; nobody but the provider
//! reading an offer before the deadline (not the owner, another provider, a participant or a
//! moderator, through no route, count or error); one offer per `Idempotency-Key`, also under
//! concurrent repeats; concurrent offers all counted; a change of the conditions asking for
//! confirmation and moving a close deadline out; scores, the ranking, the award with mails
//! telling each bidder only its own result, the fallback when the winner withdraws, and the
//! verified reviews the award makes possible.

use chrono::{DateTime, Duration, Utc};
use futures_util::future::join_all;
use serde_json::{Value, json};

use crate::bundles::{
    Network, bundle_body, join, json_of, network_on, open_bundle, open_bundle_of,
};
use crate::helpers::{TestApp, User, error_fields, offering_body, problem, spawn_app};
use crate::reviews::{review_body, teacher_at, write};

/// A bundle both member schools joined, and two providers with a published offering.
pub struct Tender {
    pub n: Network,
    pub bundle: String,
    pub join_deadline: DateTime<Utc>,
    pub offer_deadline: DateTime<Utc>,
    pub providers: Vec<(User, String, String)>,
}

fn deadline(bundle: &Value, field: &str) -> DateTime<Utc> {
    bundle[field].as_str().unwrap().parse().unwrap()
}

async fn tender() -> Tender {
    tender_with("network").await
}

pub async fn tender_with(visibility: &str) -> Tender {
    tender_priced(visibility, "budget").await
}

/// A tender whose price scores by `price_method` (`budget`, `relative`).
pub async fn tender_priced(visibility: &str, price_method: &str) -> Tender {
    let n = network_on(spawn_app().await).await;
    let mut body = bundle_body(&n.network, n.app.state.clock.now(), visibility);
    body["price_method"] = json!(price_method);
    let bundle = open_bundle_of(&n, &body).await;
    for (leader, school) in n.leaders.iter().zip(&n.schools) {
        assert_eq!(
            join(&n.app, leader, &bundle, school, 120, 1_500_000)
                .await
                .status(),
            201
        );
    }
    let mut providers = Vec::new();
    for (email, kvk) in [
        ("a@aanbieder-a.nl", "11111111"),
        ("b@aanbieder-b.nl", "22222222"),
    ] {
        let (admin, provider) = n.app.provider(email, kvk).await;
        let offering = n.app.publish(&admin, &provider, &offering_body()).await;
        providers.push((admin, provider, offering));
    }
    let read = json_of(
        n.app
            .get(
                &format!("/v1/bundles/{bundle}"),
                Some(&n.coordinator.access),
            )
            .await,
        200,
    )
    .await;
    Tender {
        join_deadline: deadline(&read, "join_deadline"),
        offer_deadline: deadline(&read, "offer_deadline"),
        n,
        bundle,
        providers,
    }
}

impl Tender {
    pub fn app(&self) -> &TestApp {
        &self.n.app
    }

    /// Moves the clock and logs everyone in again (access tokens expire with the moved time).
    pub async fn at(&mut self, when: DateTime<Utc>) {
        self.n.app.clock.set(when);
        let app = &self.n.app;
        self.n.coordinator = app.log_in_again(&self.n.coordinator).await;
        for leader in &mut self.n.leaders {
            *leader = app.log_in_again(leader).await;
        }
        self.n.outsider = app.log_in_again(&self.n.outsider).await;
        for (admin, _, _) in &mut self.providers {
            *admin = app.log_in_again(admin).await;
        }
    }

    pub fn admin(&self, i: usize) -> &User {
        &self.providers[i].0
    }

    pub fn offers(&self) -> String {
        format!("/v1/bundles/{}/offers", self.bundle)
    }

    pub async fn offer(&self, i: usize, price: i64) -> reqwest::Response {
        self.app()
            .post(
                &self.offers(),
                &offer_body(&self.providers[i].2, price),
                Some(&self.admin(i).access),
            )
            .await
    }
}

/// The tender's bundle sent again with other goals: a change of the conditions that asks every
/// live offer to be confirmed.
pub fn changed_conditions(t: &Tender) -> Value {
    let mut body = bundle_body(
        &t.n.network,
        t.join_deadline - Duration::days(14),
        "network",
    );
    body["join_deadline"] = json!(t.join_deadline);
    body["offer_deadline"] = json!(t.offer_deadline);
    body["need"]["goals"] = json!("Leraren signaleren vroeg, begeleiden zelf en delen wat werkt.");
    body
}

pub fn offer_body(offering: &str, price: i64) -> Value {
    json!({
        "offering_id": offering,
        "price_cents": price,
        "proposal": "Drie studiedagen en coaching in de klas, afgestemd op de aanpak per school.",
        "criteria_answers": {"fit": "We beginnen met de leesresultaten van groep 4.",
                             "lasting_effect": "Interne coaches nemen het na een jaar over."}
    })
}

async fn post_with_key(
    app: &TestApp,
    path: &str,
    body: &Value,
    token: &str,
    key: &str,
) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url(path))
        .bearer_auth(token)
        .header("Idempotency-Key", key)
        .json(body)
        .send()
        .await
        .expect("request")
}

#[tokio::test]
async fn offers_are_taken_until_one_millisecond_before_the_deadline_and_sealed_until_it() {
    let mut t = tender().await;
    // Joining is still open: no offers yet.
    assert_eq!(t.offer(0, 2_987_650).await.status(), 409);
    let moderator = t.app().moderator("moderator@edumarkt.nl").await;
    t.at(t.offer_deadline - Duration::milliseconds(1)).await;
    let moderator = t.app().log_in_again(&moderator).await;
    let first = json_of(t.offer(0, 2_987_650).await, 201).await;
    let offer_id = first["id"].as_str().unwrap().to_owned();
    assert_eq!(first["status"], "live");
    assert_eq!(
        first["scores"],
        Value::Null,
        "a provider never sees scores here"
    );
    let own = format!("{}/{offer_id}", t.offers());

    // Sealed: the provider reads its own; to everyone else the offer does not exist, and the
    // owner's list is refused in the same words as for a bundle without offers.
    assert_eq!(
        t.app().get(&own, Some(&t.admin(0).access)).await.status(),
        200
    );
    for reader in [
        &t.admin(1).access,
        &t.n.coordinator.access,
        &t.n.leaders[0].access,
        &moderator.access,
    ] {
        assert_eq!(t.app().get(&own, Some(reader)).await.status(), 404);
    }
    let sealed = problem(
        t.app()
            .get(&t.offers(), Some(&t.n.coordinator.access))
            .await,
    )
    .await;
    assert_eq!(sealed["status"], 403);
    let other = open_bundle(&t.n, "network").await;
    let empty = problem(
        t.app()
            .get(
                &format!("/v1/bundles/{other}/offers"),
                Some(&t.n.coordinator.access),
            )
            .await,
    )
    .await;
    assert_eq!(
        sealed["detail"], empty["detail"],
        "the refusal must not depend on the offers"
    );
    // A participant reads the bundle but not its offers; a moderator has no part in a
    // network's tender and does not see the bundle at all.
    assert_eq!(
        t.app()
            .get(&t.offers(), Some(&t.n.leaders[0].access))
            .await
            .status(),
        403
    );
    assert_eq!(
        t.app()
            .get(&t.offers(), Some(&moderator.access))
            .await
            .status(),
        404
    );
    let others = json_of(
        t.app().get(&t.offers(), Some(&t.admin(1).access)).await,
        200,
    )
    .await;
    assert_eq!(
        others["items"],
        json!([]),
        "another provider sees only its own"
    );
    // Nor does the bundle itself, or its ranking or scores, give anything away.
    let bundle = t
        .app()
        .get(
            &format!("/v1/bundles/{}", t.bundle),
            Some(&t.n.coordinator.access),
        )
        .await;
    let text = bundle.text().await.unwrap();
    assert!(
        !text.contains(&offer_id) && !text.contains("2987650"),
        "{text}"
    );
    let ranking = format!("/v1/bundles/{}/ranking", t.bundle);
    assert_eq!(
        t.app()
            .get(&ranking, Some(&t.n.coordinator.access))
            .await
            .status(),
        403
    );
    let scores = t
        .app()
        .post(
            &format!("{own}/scores"),
            &json!({"scores": {"fit": 8}}),
            Some(&t.n.coordinator.access),
        )
        .await;
    assert_eq!(scores.status(), 404);

    // At the deadline itself an offer is too late.
    t.at(t.offer_deadline).await;
    let late = problem(t.offer(1, 2_000_000).await).await;
    assert_eq!(late["status"], 409);
    let moderator = t.app().log_in_again(&moderator).await;

    // Opened: the owner reads the offers; nobody else gains anything.
    let listed = json_of(
        t.app()
            .get(&t.offers(), Some(&t.n.coordinator.access))
            .await,
        200,
    )
    .await;
    let ids: Vec<&str> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [offer_id.as_str()]);
    assert_eq!(
        listed["items"][0]["criteria_answers"]["fit"],
        "We beginnen met de leesresultaten van groep 4."
    );
    assert_eq!(
        t.app()
            .get(&own, Some(&t.n.coordinator.access))
            .await
            .status(),
        200
    );
    for reader in [
        &t.admin(1).access,
        &t.n.leaders[0].access,
        &moderator.access,
    ] {
        assert_eq!(t.app().get(&own, Some(reader)).await.status(), 404);
    }
    // The provider can no longer change or withdraw it.
    assert_eq!(
        t.app()
            .post(
                &format!("{own}/withdraw"),
                &json!({}),
                Some(&t.admin(0).access)
            )
            .await
            .status(),
        409
    );
}

#[tokio::test]
async fn a_repeated_submission_with_one_idempotency_key_creates_one_offer() {
    let mut t = tender().await;
    t.at(t.join_deadline).await;
    let app = t.app();
    let offers = t.offers();
    let body = offer_body(&t.providers[0].2, 2_500_000);
    let token = t.admin(0).access.clone();
    let first = post_with_key(app, &t.offers(), &body, &token, "offer-7f3a").await;
    assert_eq!(first.status(), 201);
    assert!(first.headers().get("idempotent-replayed").is_none());
    let first: Value = first.json().await.unwrap();
    // Repeats, one after another and all at once, answer the first offer.
    let again = post_with_key(app, &t.offers(), &body, &token, "offer-7f3a").await;
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.json::<Value>().await.unwrap()["id"], first["id"]);
    let repeats =
        join_all((0..6).map(|_| post_with_key(app, &offers, &body, &token, "offer-7f3a"))).await;
    for response in repeats {
        assert_eq!(response.status(), 201);
        assert_eq!(response.json::<Value>().await.unwrap()["id"], first["id"]);
    }
    // The same key with another offer is refused; a new key meets the live offer.
    let other = post_with_key(
        app,
        &t.offers(),
        &offer_body(&t.providers[0].2, 1),
        &token,
        "offer-7f3a",
    )
    .await;
    assert_eq!(error_fields(&problem(other).await), ["Idempotency-Key"]);
    let second = problem(post_with_key(app, &t.offers(), &body, &token, "offer-8b1c").await).await;
    assert_eq!(second["status"], 409);
    let malformed = post_with_key(app, &t.offers(), &body, &token, "sleutel met spaties").await;
    assert_eq!(malformed.status(), 422);
    let own = json_of(app.get(&t.offers(), Some(&token)).await, 200).await;
    assert_eq!(own["items"].as_array().unwrap().len(), 1);

    // First submissions racing with one key also make one offer.
    let body = offer_body(&t.providers[1].2, 2_000_000);
    let token = t.admin(1).access.clone();
    let racing =
        join_all((0..8).map(|_| post_with_key(app, &offers, &body, &token, "race-1"))).await;
    let mut ids = Vec::new();
    for response in racing {
        assert_eq!(response.status(), 201);
        ids.push(response.json::<Value>().await.unwrap()["id"].clone());
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "{ids:?}");
    let count = app
        .sql()
        .await
        .query_one("SELECT count(*) FROM bundle_offers", &[])
        .await
        .unwrap()
        .get::<_, i64>(0);
    assert_eq!(count, 2);
}

#[tokio::test]
async fn concurrent_offers_from_many_providers_are_all_counted() {
    let mut t = tender().await;
    for i in 0..6 {
        let (admin, provider) = t
            .app()
            .provider(&format!("staf{i}@aanbieder{i}.nl"), &format!("3333333{i}"))
            .await;
        let offering = t.app().publish(&admin, &provider, &offering_body()).await;
        t.providers.push((admin, provider, offering));
    }
    t.at(t.join_deadline).await;
    let responses =
        join_all((0..t.providers.len()).map(|i| t.offer(i, 1_000_000 + i as i64 * 10_000))).await;
    for response in responses {
        assert_eq!(response.status(), 201);
    }
    t.at(t.offer_deadline).await;
    let listed = json_of(
        t.app()
            .get(&t.offers(), Some(&t.n.coordinator.access))
            .await,
        200,
    )
    .await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 8);
}

#[tokio::test]
async fn invalid_offers_are_refused_with_every_field_and_change_nothing() {
    let mut t = tender().await;
    t.at(t.join_deadline).await;
    let body = json!({"price_cents": -5, "proposal": " ", "offering_id": t.providers[1].2,
                      "criteria_answers": {"price": "laag", "evidence": "x"}});
    let refused = problem(
        t.app()
            .post(&t.offers(), &body, Some(&t.admin(0).access))
            .await,
    )
    .await;
    assert_eq!(
        error_fields(&refused),
        [
            "price_cents",
            "proposal",
            "criteria_answers.evidence",
            "criteria_answers.price"
        ]
    );
    // Another provider's offering cannot be offered.
    let body = offer_body(&t.providers[1].2, 100);
    let refused = problem(
        t.app()
            .post(&t.offers(), &body, Some(&t.admin(0).access))
            .await,
    )
    .await;
    assert_eq!(error_fields(&refused), ["offering_id"]);
    // A school leader is no provider.
    assert_eq!(
        t.app()
            .post(
                &t.offers(),
                &offer_body(&t.providers[0].2, 100),
                Some(&t.n.leaders[0].access)
            )
            .await
            .status(),
        403
    );
    let own = json_of(
        t.app().get(&t.offers(), Some(&t.admin(0).access)).await,
        200,
    )
    .await;
    assert_eq!(own["items"], json!([]));
}

#[tokio::test]
async fn providers_change_and_withdraw_offers_and_confirm_them_after_a_change_of_conditions() {
    let mut t = tender().await;
    t.at(t.join_deadline).await;
    let created = t.offer(0, 3_000_000).await;
    let etag = created.headers()["etag"].to_str().unwrap().to_owned();
    let offer: Value = created.json().await.unwrap();
    let own = format!("{}/{}", t.offers(), offer["id"].as_str().unwrap());
    let app = t.app();
    // Changing at the version read; a stale version is refused.
    let changed = app
        .put(
            &own,
            &offer_body(&t.providers[0].2, 2_800_000),
            &t.admin(0).access,
            Some(&etag),
        )
        .await;
    assert_eq!(changed.status(), 200);
    assert_eq!(
        app.put(
            &own,
            &offer_body(&t.providers[0].2, 2_700_000),
            &t.admin(0).access,
            Some(&etag)
        )
        .await
        .status(),
        412
    );
    // Another provider cannot touch it.
    assert_eq!(
        app.post(
            &format!("{own}/withdraw"),
            &json!({}),
            Some(&t.admin(1).access)
        )
        .await
        .status(),
        404
    );
    // Provider B offers, withdraws and offers again.
    let b: Value = json_of(t.offer(1, 2_000_000).await, 201).await;
    let b_path = format!("{}/{}", t.offers(), b["id"].as_str().unwrap());
    let withdrawn = json_of(
        app.post(
            &format!("{b_path}/withdraw"),
            &json!({}),
            Some(&t.admin(1).access),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(withdrawn["status"], "withdrawn");
    assert_eq!(t.offer(1, 2_100_000).await.status(), 201);

    // Two days before the offer deadline the owner changes the conditions.
    t.at(t.offer_deadline - Duration::days(2)).await;
    let app = t.app();
    let path = format!("/v1/bundles/{}", t.bundle);
    let read = app.get(&path, Some(&t.n.coordinator.access)).await;
    let etag = read.headers()["etag"].to_str().unwrap().to_owned();
    let body = changed_conditions(&t);
    // Joining has closed: the joining deadline stays.
    let mut moved = body.clone();
    moved["join_deadline"] = json!(t.join_deadline + Duration::days(1));
    let refused = problem(
        app.patch(&path, &moved, &t.n.coordinator.access, Some(&etag))
            .await,
    )
    .await;
    assert_eq!(error_fields(&refused), ["join_deadline"]);
    let now = app.state.clock.now();
    let changed = json_of(
        app.patch(&path, &body, &t.n.coordinator.access, Some(&etag))
            .await,
        200,
    )
    .await;
    assert_eq!(
        deadline(&changed, "offer_deadline"),
        now + Duration::days(4),
        "four days left to confirm"
    );
    let mine = json_of(app.get(&own, Some(&t.admin(0).access)).await, 200).await;
    assert_eq!(mine["needs_confirmation"], true);
    let told = app
        .mail_about(&t.admin(0).email, "bevestig je inschrijving")
        .await;
    // The mail links to the provider's offer form.
    let offer_form = format!("/bundels/{}/offerte", t.bundle);
    assert!(told.text.contains(&offer_form), "{}", told.text);
    let confirmed = json_of(
        app.post(
            &format!("{own}/confirm"),
            &json!({}),
            Some(&t.admin(0).access),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(confirmed["needs_confirmation"], false);
    // The old deadline no longer closes the offers.
    t.at(t.offer_deadline).await;
    assert_eq!(
        t.offer(1, 1_900_000).await.status(),
        409,
        "B still has its live offer"
    );
    let b_offers = json_of(
        t.app().get(&t.offers(), Some(&t.admin(1).access)).await,
        200,
    )
    .await;
    let live = b_offers["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["status"] == "live")
        .unwrap()
        .clone();
    let b_live = format!("{}/{}", t.offers(), live["id"].as_str().unwrap());
    assert_eq!(
        json_of(
            t.app()
                .post(
                    &format!("{b_live}/confirm"),
                    &json!({}),
                    Some(&t.admin(1).access)
                )
                .await,
            200
        )
        .await["needs_confirmation"],
        false
    );
}

#[tokio::test]
async fn the_owner_scores_ranks_and_awards_and_falls_back_when_the_winner_withdraws() {
    let mut t = tender().await;
    // A third provider with an abnormally low offer.
    let (admin, provider) = t.app().provider("c@aanbieder-c.nl", "44444444").await;
    let offering = t.app().publish(&admin, &provider, &offering_body()).await;
    t.providers.push((admin, provider, offering));
    t.at(t.join_deadline).await;
    let mut ids = Vec::new();
    for (i, price) in [(0, 2_400_000), (1, 2_000_000), (2, 600_000)] {
        ids.push(
            json_of(t.offer(i, price).await, 201).await["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    t.at(t.offer_deadline).await;
    let app = t.app();
    let owner = &t.n.coordinator.access;
    let score = |i: usize, body: Value| {
        let path = format!("{}/{}/scores", t.offers(), ids[i]);
        async move { app.post(&path, &body, Some(owner)).await }
    };
    // Every wrong score at once; a provider cannot score.
    let refused =
        problem(score(0, json!({"scores": {"fit": 11, "price": 5, "evidence": 3}})).await).await;
    assert_eq!(
        error_fields(&refused),
        ["scores.evidence", "scores.fit", "scores.price"]
    );
    let by_provider = app
        .post(
            &format!("{}/{}/scores", t.offers(), ids[0]),
            &json!({"scores": {"fit": 9}}),
            Some(&t.admin(0).access),
        )
        .await;
    assert_eq!(by_provider.status(), 403);
    for (i, fit, lasting) in [(0, 9.0, 9.0), (1, 6.0, 5.0), (2, 4.0, 3.0)] {
        let scored = json_of(score(i, json!({"scores": {"fit": fit}})).await, 200).await;
        assert_eq!(scored["scores"]["fit"], fit);
        let scored = json_of(
            score(i, json!({"scores": {"lasting_effect": lasting}})).await,
            200,
        )
        .await;
        assert_eq!(
            scored["scores"],
            json!({"fit": fit, "lasting_effect": lasting}),
            "earlier scores stay"
        );
    }
    let ranking = json_of(
        app.get(&format!("/v1/bundles/{}/ranking", t.bundle), Some(owner))
            .await,
        200,
    )
    .await;
    assert_eq!(ranking["price_method"], "budget");
    let order: Vec<&str> = ranking["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["offer_id"].as_str().unwrap())
        .collect();
    assert_eq!(order, [ids[0].as_str(), ids[1].as_str(), ids[2].as_str()]);
    let low: Vec<bool> = ranking["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["abnormally_low"].as_bool().unwrap())
        .collect();
    assert_eq!(low, [false, false, true]);
    // Budget 3,000,000 (two schools at 1,500,000): A's price 2,400,000 scores 10 x (1 - 0.4) = 6.
    let top = &ranking["items"][0];
    assert!(
        (top["price_score"].as_f64().unwrap() - 6.0).abs() < 1e-9,
        "{top}"
    );
    assert!((top["total"].as_f64().unwrap() - (40.0 * 0.6 + 35.0 * 0.9 + 25.0 * 0.9)).abs() < 1e-9);
    // Only the owner ranks and awards.
    assert_eq!(
        app.get(
            &format!("/v1/bundles/{}/ranking", t.bundle),
            Some(&t.admin(0).access)
        )
        .await
        .status(),
        403
    );
    let award = format!("/v1/bundles/{}/award", t.bundle);
    assert_eq!(
        app.post(
            &award,
            &json!({"offer_id": ids[0], "motivation": "x"}),
            Some(&t.admin(0).access)
        )
        .await
        .status(),
        403
    );
    let refused = problem(app.post(&award, &json!({}), Some(owner)).await).await;
    assert_eq!(error_fields(&refused), ["offer_id", "motivation"]);

    let awarded = json_of(
        app.post(
            &award,
            &json!({"offer_id": ids[0], "motivation": "Beste aansluiting bij de leesaanpak."}),
            Some(owner),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(awarded["status"], "awarded");
    assert_eq!(awarded["award"]["offer_id"], ids[0].as_str());
    assert_eq!(
        app.post(
            &award,
            &json!({"offer_id": ids[1], "motivation": "Toch B"}),
            Some(owner)
        )
        .await
        .status(),
        409
    );
    // Each bidder learns its own score and rank, never another's price.
    let outcome = app.mail_about(&t.admin(0).email, "Uitslag").await;
    assert!(
        outcome.text.contains("is gegund") && outcome.text.contains("plaats 1 van 3"),
        "{}",
        outcome.text
    );
    assert!(
        outcome
            .text
            .contains(&format!("/bundels/{}/offerte", t.bundle)),
        "{}",
        outcome.text
    );
    let outcome = app.mail_about(&t.admin(2).email, "Uitslag").await;
    assert!(
        outcome.text.contains("niet gegund") && outcome.text.contains("plaats 3 van 3"),
        "{}",
        outcome.text
    );
    assert!(!outcome.text.contains("24000") && !outcome.text.contains("2.400.000"));
    for leader in &t.n.leaders {
        let told = app.mail_about(&leader.email, "is gegund aan").await;
        assert!(told.text.contains("Beste aansluiting"), "{}", told.text);
        let page = format!("/bundels/{}", t.bundle);
        assert!(told.text.contains(&page), "{}", told.text);
    }

    // The winner withdraws: the award is cleared and the next in rank is awarded.
    let withdrawn = app
        .post(
            &format!("{}/{}/withdraw", t.offers(), ids[0]),
            &json!({}),
            Some(&t.admin(0).access),
        )
        .await;
    assert_eq!(withdrawn.status(), 200);
    let told = app
        .mail_about(&t.n.coordinator.email, "heeft zich teruggetrokken")
        .await;
    let evaluation = format!("/bundels/{}/beoordeling", t.bundle);
    assert!(told.text.contains(&evaluation), "{}", told.text);
    let bundle = json_of(
        app.get(&format!("/v1/bundles/{}", t.bundle), Some(owner))
            .await,
        200,
    )
    .await;
    assert_eq!(bundle["status"], "evaluating");
    assert_eq!(bundle["award"], Value::Null);
    let ranking = json_of(
        app.get(&format!("/v1/bundles/{}/ranking", t.bundle), Some(owner))
            .await,
        200,
    )
    .await;
    assert_eq!(ranking["items"][0]["offer_id"], ids[1].as_str());
    let awarded = json_of(
        app.post(
            &award,
            &json!({"offer_id": ids[1], "motivation": "De volgende in rang."}),
            Some(owner),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(awarded["award"]["offer_id"], ids[1].as_str());
    // A losing bidder cannot withdraw after the deadline.
    assert_eq!(
        app.post(
            &format!("{}/{}/withdraw", t.offers(), ids[2]),
            &json!({}),
            Some(&t.admin(2).access)
        )
        .await
        .status(),
        409
    );
}

#[tokio::test]
async fn after_the_award_members_of_participating_schools_write_verified_reviews() {
    let mut t = tender().await;
    t.at(t.join_deadline).await;
    let offer = json_of(t.offer(0, 2_400_000).await, 201).await;
    t.at(t.offer_deadline).await;
    let app = t.app();
    let award = format!("/v1/bundles/{}/award", t.bundle);
    let body =
        json!({"offer_id": offer["id"], "motivation": "Enige inschrijving, goed onderbouwd."});
    json_of(
        app.post(&award, &body, Some(&t.n.coordinator.access)).await,
        200,
    )
    .await;
    let offering = t.providers[0].2.clone();
    let teacher = teacher_at(app, &t.n.leaders[0], &t.n.schools[0], "docent@deelnemer.nl").await;
    let written = json_of(write(app, &teacher, &offering, &review_body(4)).await, 201).await;
    assert_eq!(written["verified"], true, "{written}");
    // A teacher of a school outside the bundle writes an unverified one.
    let outsider = teacher_at(app, &t.n.outsider, &t.n.outside_school, "docent@elders.nl").await;
    let written = json_of(write(app, &outsider, &offering, &review_body(3)).await, 201).await;
    assert_eq!(written["verified"], false);
    // The other provider's offering gains nothing from the award.
    let other = t.providers[1].2.clone();
    let colleague = teacher_at(
        app,
        &t.n.leaders[1],
        &t.n.schools[1],
        "docent2@deelnemer.nl",
    )
    .await;
    let written = json_of(write(app, &colleague, &other, &review_body(5)).await, 201).await;
    assert_eq!(written["verified"], false);
}
