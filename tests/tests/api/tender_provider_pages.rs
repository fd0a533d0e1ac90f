//! A provider's tender pages as a browser receives them: finding open bundles
//! (`/bundels/zoeken`, the API's search and scope), the offer form (submitted once per
//! idempotency key, sealed from the owner, changed at the version loaded with typed input kept,
//! withdrawn, confirmed after a change of conditions, refused in Dutch at the deadline) and
//! interest profiles, kept by the provider's own staff only. No input makes a page answer 500.

use chrono::Duration;
use serde_json::Value;

use crate::account_pages::{Browser, Page};
use crate::bundle_offers::{Tender, changed_conditions, tender_with};
use crate::bundles::{json_of, open_bundle};
use crate::dashboard_pages::hidden;
use crate::helpers::{PASSWORD, TestApp};

/// A browser logged in as `email`.
async fn browser_of<'a>(app: &'a TestApp, email: &str) -> Browser<'a> {
    let mut browser = Browser::new(app);
    let login = browser.log_in(email, PASSWORD).await;
    assert_eq!(login.status, 303, "{}", login.html);
    browser
}

fn offer_path(t: &Tender) -> String {
    format!("/bundels/{}/offerte", t.bundle)
}

/// The offer form's fields of provider `i` at `price` (typed as a Dutch reader types it).
fn offer_fields(t: &Tender, i: usize, price: &str) -> Vec<(String, String)> {
    [
        ("price", price),
        ("offering_id", t.providers[i].2.as_str()),
        (
            "proposal",
            "Drie studiedagen en coaching in de klas, afgestemd op de aanpak per school.",
        ),
        (
            "antwoord-fit",
            "We beginnen met de leesresultaten van groep 4.",
        ),
        (
            "antwoord-lasting_effect",
            "Interne coaches nemen het na een jaar over.",
        ),
    ]
    .into_iter()
    .map(|(n, v)| (n.to_owned(), v.to_owned()))
    .collect()
}

/// Posts `fields` with the hidden fields of `form` (CSRF, key, offer and version if present).
async fn post_offer_form(
    browser: &mut Browser<'_>,
    form: &Page,
    action: &str,
    fields: &[(String, String)],
) -> Page {
    let mut pairs: Vec<(String, String)> = fields.to_vec();
    pairs.push(("csrf".into(), form.csrf()));
    for name in ["sleutel", "offerte", "versie"] {
        if form.html.contains(&format!(r#"name="{name}" value=""#)) {
            pairs.push((name.into(), hidden(&form.html, name)));
        }
    }
    let pairs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    browser.post(action, &pairs).await
}

/// Provider `i`'s offers on the bundle, through the API.
async fn offers_of(t: &Tender, i: usize) -> Vec<Value> {
    let listed = json_of(
        t.app().get(&t.offers(), Some(&t.admin(i).access)).await,
        200,
    )
    .await;
    listed["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn providers_find_open_bundles_with_facet_counts_and_others_are_refused() {
    let t = tender_with("public").await;
    let network = open_bundle(&t.n, "network").await;
    let app = t.app();
    app.sync_search().await;
    let mut browser = browser_of(app, &t.admin(0).email).await;
    let found = browser.get("/bundels/zoeken?q=dyslexie&sector=po").await;
    assert_eq!(found.status, 200, "{}", found.html);
    assert!(found.html.contains("2 resultaten"), "{}", found.html);
    // Both bundles, each with its page and its offer form; the owner, status and deadlines.
    for id in [&t.bundle, &network] {
        assert!(found.html.contains(&format!(r#"href="/bundels/{id}""#)));
        assert!(
            found
                .html
                .contains(&format!(r#"href="/bundels/{id}/offerte""#))
        );
    }
    assert!(found.html.contains("SWV Eemland"));
    assert!(found.html.contains("open voor aanmelding"));
    assert!(found.html.contains("Offertes indienen kan tot"));
    // The facets count the results: both bundles are leerlingenzorg in Utrecht.
    for facet in [
        r#"name="domain" value="leerlingenzorg">"#,
        r#"name="service_type" value="zorg_leerproblemen">"#,
        r#"name="region" value="utrecht">"#,
        r#"name="sector" value="po" checked>"#,
    ] {
        let at = found.html.find(facet).unwrap_or_else(|| panic!("{facet}"));
        let label = &found.html[at..at + found.html[at..].find("</label>").unwrap()];
        assert!(
            label.ends_with(r#"<span class="em-count">(2)</span>"#),
            "{label}"
        );
    }
    // The page finds what the API finds for the same provider, no more.
    let api = json_of(
        app.get(
            "/v1/search/bundles?q=dyslexie&sector=po",
            Some(&t.admin(0).access),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(api["total"], 2);
    // A filter that matches nothing leaves nothing.
    let none = browser.get("/bundels/zoeken?region=zeeland").await;
    assert_eq!(none.status, 200);
    assert!(none.html.contains("0 resultaten"), "{}", none.html);
    assert!(!none.html.contains(&format!("/bundels/{network}")));
    // A bad parameter is named in Dutch and the rest of the search still runs.
    let bad = browser
        .get("/bundels/zoeken?deadline_within_days=999&q=dyslexie")
        .await;
    assert_eq!(bad.status, 400);
    assert!(bad.html.contains("Er is een probleem"));
    assert!(bad.html.contains(r##"href="#veld-deadline_within_days""##));
    assert!(bad.html.contains("2 resultaten"));

    // A school's leader makes no offers: the search is not for them.
    let mut school = browser_of(app, &t.n.outsider.email).await;
    let refused = school.get("/bundels/zoeken").await;
    assert_eq!(refused.status, 403, "{}", refused.html);
    assert!(refused.html.contains("Geen toegang"));
    assert!(!refused.html.contains(&t.bundle));
}

#[tokio::test]
async fn an_offer_made_through_the_form_is_made_once_and_stays_sealed_from_the_owner() {
    let mut t = tender_with("network").await;
    t.at(t.join_deadline).await;
    let app = t.app();
    let mut browser = browser_of(app, &t.admin(0).email).await;
    let form = browser.get(&offer_path(&t)).await;
    assert_eq!(form.status, 200, "{}", form.html);
    // The bundle's criteria with their weights and how the price is scored.
    for words in [
        "aansluiting bij de vraag",
        "blijvend effect",
        "35%",
        "ten opzichte van het budget van de bundel",
        "240 leerlingen",
    ] {
        assert!(form.html.contains(words), "{words}: {}", form.html);
    }
    assert!(
        form.html
            .contains(r#"<label class="utrecht-form-label" for="veld-price">"#)
    );
    assert!(form.html.contains(r#"id="veld-antwoord-fit""#));
    let fields = offer_fields(&t, 0, "30.000");
    let submitted = post_offer_form(&mut browser, &form, &offer_path(&t), &fields).await;
    assert_eq!(submitted.status, 303, "{}", submitted.html);
    // A double-click: the same form posted again makes no second offer.
    let again = post_offer_form(&mut browser, &form, &offer_path(&t), &fields).await;
    assert_eq!(again.status, 303, "{}", again.html);
    let offers = offers_of(&t, 0).await;
    assert_eq!(offers.len(), 1, "{offers:?}");
    assert_eq!(offers[0]["price_cents"], 3_000_000);
    assert_eq!(offers[0]["offering_id"], t.providers[0].2.as_str());
    assert_eq!(
        offers[0]["criteria_answers"]["fit"],
        "We beginnen met de leesresultaten van groep 4."
    );
    let shown = browser.get(submitted.location.as_deref().unwrap()).await;
    assert!(shown.html.contains("Uw offerte is ingediend."));
    assert!(shown.html.contains(r#"value="30000""#), "{}", shown.html);
    assert!(shown.html.contains("Offerte intrekken"));

    // Sealed: the owner's page and another provider's page show nothing of it.
    let mut owner = browser_of(app, &t.n.coordinator.email).await;
    let sealed = owner.get(&offer_path(&t)).await;
    assert_eq!(sealed.status, 403, "{}", sealed.html);
    assert!(!sealed.html.contains("30000"));
    let mut other = browser_of(app, &t.admin(1).email).await;
    let theirs = other.get(&offer_path(&t)).await;
    assert_eq!(theirs.status, 200);
    assert!(!theirs.html.contains("30000"));
    assert!(!theirs.html.contains("Offerte intrekken"));
    assert!(theirs.html.contains("Offerte indienen"));
}

/// The owner changes the bundle's goals two days before the offer deadline (as
/// `bundle_offers::providers_change_and_withdraw_offers…` does), so live offers need confirming.
async fn change_conditions(t: &mut Tender) {
    t.at(t.offer_deadline - Duration::days(2)).await;
    let app = t.app();
    let path = format!("/v1/bundles/{}", t.bundle);
    let read = app.get(&path, Some(&t.n.coordinator.access)).await;
    let etag = read.headers()["etag"].to_str().unwrap().to_owned();
    json_of(
        app.patch(
            &path,
            &changed_conditions(t),
            &t.n.coordinator.access,
            Some(&etag),
        )
        .await,
        200,
    )
    .await;
}

#[tokio::test]
async fn a_provider_changes_confirms_and_withdraws_its_offer_and_bad_input_keeps_what_was_typed() {
    let mut t = tender_with("network").await;
    t.at(t.join_deadline).await;
    assert_eq!(t.offer(0, 3_000_000).await.status(), 201);
    let app = t.app();
    let mut browser = browser_of(app, &t.admin(0).email).await;
    let form = browser.get(&offer_path(&t)).await;
    assert!(form.html.contains("Wijzigingen opslaan"));

    // A price that is no amount and an empty proposal: every error, what was typed, nothing saved.
    let mut fields = offer_fields(&t, 0, "twaalfduizend");
    fields.retain(|(n, _)| n != "proposal" && n != "antwoord-fit");
    fields.push(("proposal".into(), String::new()));
    fields.push((
        "antwoord-fit".into(),
        "Nieuw antwoord op de aansluiting".into(),
    ));
    let refused = post_offer_form(&mut browser, &form, &offer_path(&t), &fields).await;
    assert_eq!(refused.status, 400, "{}", refused.html);
    assert!(refused.html.contains("Er is een probleem"));
    assert!(refused.html.contains(r##"href="#veld-price""##));
    assert!(refused.html.contains(r##"href="#veld-proposal""##));
    assert!(refused.html.contains(r#"id="veld-price-fout""#));
    assert!(refused.html.contains(r#"value="twaalfduizend""#));
    assert!(refused.html.contains("Nieuw antwoord op de aansluiting"));
    assert_eq!(offers_of(&t, 0).await[0]["price_cents"], 3_000_000);

    // A good change at the version loaded is saved; the same form again is stale.
    let changed = post_offer_form(
        &mut browser,
        &form,
        &offer_path(&t),
        &offer_fields(&t, 0, "28.500,50"),
    )
    .await;
    assert_eq!(changed.status, 303, "{}", changed.html);
    assert_eq!(offers_of(&t, 0).await[0]["price_cents"], 2_850_050);
    let stale = post_offer_form(
        &mut browser,
        &form,
        &offer_path(&t),
        &offer_fields(&t, 0, "27.000"),
    )
    .await;
    assert_eq!(stale.status, 409, "{}", stale.html);
    assert!(stale.html.contains("intussen gewijzigd"));
    assert!(stale.html.contains(r#"value="27.000""#));
    assert_eq!(offers_of(&t, 0).await[0]["price_cents"], 2_850_050);

    // The owner changes the conditions: the page asks for confirmation, which is given.
    change_conditions(&mut t).await;
    let app = t.app();
    let mut browser = browser_of(app, &t.admin(0).email).await;
    let asking = browser.get(&offer_path(&t)).await;
    assert!(asking.html.contains("Bevestiging nodig"), "{}", asking.html);
    assert_eq!(offers_of(&t, 0).await[0]["needs_confirmation"], true);
    let offer = hidden(&asking.html, "offerte");
    let confirmed = browser
        .post(
            &format!("{}/bevestigen", offer_path(&t)),
            &[("csrf", &asking.csrf()), ("offerte", &offer)],
        )
        .await;
    assert_eq!(confirmed.status, 303, "{}", confirmed.html);
    assert_eq!(offers_of(&t, 0).await[0]["needs_confirmation"], false);
    let after = browser.get(confirmed.location.as_deref().unwrap()).await;
    assert!(after.html.contains("Uw offerte is bevestigd."));
    assert!(!after.html.contains("Bevestiging nodig"));

    // Withdrawn: the API says so and the page offers a new, empty form.
    let withdrawn = browser
        .post(
            &format!("{}/intrekken", offer_path(&t)),
            &[("csrf", &after.csrf()), ("offerte", &offer)],
        )
        .await;
    assert_eq!(withdrawn.status, 303, "{}", withdrawn.html);
    assert_eq!(offers_of(&t, 0).await[0]["status"], "withdrawn");
    let empty = browser.get(&offer_path(&t)).await;
    assert!(empty.html.contains("eerdere offerte ingetrokken"));
    assert!(empty.html.contains("Offerte indienen"));
    // Withdrawing again is refused in Dutch.
    let twice = browser
        .post(
            &format!("{}/intrekken", offer_path(&t)),
            &[("csrf", &empty.csrf()), ("offerte", &offer)],
        )
        .await;
    assert_eq!(twice.status, 409, "{}", twice.html);
    assert!(twice.html.contains("al ingetrokken"));
}

#[tokio::test]
async fn an_offer_posted_at_the_deadline_is_refused_in_dutch_and_nothing_is_saved() {
    let mut t = tender_with("network").await;
    t.at(t.join_deadline).await;
    let app = t.app();
    let mut browser = browser_of(app, &t.admin(0).email).await;
    let form = browser.get(&offer_path(&t)).await;
    assert_eq!(form.status, 200);
    // The form stays open in the tab while the deadline passes.
    app.clock.set(t.offer_deadline);
    let refused = post_offer_form(
        &mut browser,
        &form,
        &offer_path(&t),
        &offer_fields(&t, 0, "30000"),
    )
    .await;
    assert_eq!(refused.status, 409, "{}", refused.html);
    assert!(
        refused
            .html
            .contains("De termijn voor offertes is gesloten")
    );
    assert!(refused.html.contains("Er is niets opgeslagen"));
    t.at(t.offer_deadline).await;
    assert!(offers_of(&t, 0).await.is_empty());
    // The page now says the offers are sealed and being evaluated, without a form.
    let mut browser = browser_of(t.app(), &t.admin(0).email).await;
    let sealed = browser.get(&offer_path(&t)).await;
    assert_eq!(sealed.status, 200);
    assert!(sealed.html.contains("worden beoordeeld"), "{}", sealed.html);
    assert!(sealed.html.contains("geen offerte ingediend"));
    assert!(!sealed.html.contains("Offerte indienen"));
}

#[tokio::test]
async fn interest_profiles_are_kept_by_their_providers_staff_only() {
    let t = tender_with("public").await;
    let app = t.app();
    let (a, b) = (&t.providers[0].1, &t.providers[1].1);
    let path = format!("/beheer/aanbieders/{a}/interesses");
    let mut browser = browser_of(app, &t.admin(0).email).await;
    // The dashboard links to the profiles and to the open bundles.
    let dashboard = browser.get("/beheer").await;
    assert!(dashboard.html.contains(&format!(r#"href="{path}""#)));
    assert!(dashboard.html.contains(r#"href="/bundels/zoeken""#));
    let empty = browser.get(&path).await;
    assert_eq!(empty.status, 200, "{}", empty.html);
    assert!(empty.html.contains("nog geen interesseprofielen"));

    // No name and a domain that is none: both named, what was typed kept, nothing saved.
    let refused = browser
        .submit(
            &path,
            &path,
            &[
                ("name", ""),
                ("domain", "sterrenkunde"),
                ("keywords", "dyslexie, lezen"),
            ],
        )
        .await;
    assert_eq!(refused.status, 400, "{}", refused.html);
    assert!(refused.html.contains("Er is een probleem"));
    assert!(refused.html.contains(r#"id="veld-name-fout""#));
    assert!(refused.html.contains(r#"id="veld-domain-fout""#));
    assert!(refused.html.contains(r#"value="dyslexie, lezen""#));
    let api = format!("/v1/providers/{a}/interest-profiles");
    let listed = json_of(app.get(&api, Some(&t.admin(0).access)).await, 200).await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 0, "{listed}");

    let created = browser
        .submit(
            &path,
            &path,
            &[
                ("name", "Dyslexie in het po"),
                ("domain", "leerlingenzorg"),
                ("sectors", "po"),
                ("keywords", "dyslexie, lezen"),
            ],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.html);
    let listed = json_of(app.get(&api, Some(&t.admin(0).access)).await, 200).await;
    let profile = listed["items"][0]["id"].as_str().unwrap().to_owned();
    let shown = browser.get(&path).await;
    assert!(shown.html.contains("Dyslexie in het po"));
    assert!(shown.html.contains("dyslexie, lezen"));
    let delete = format!("{path}/{profile}/verwijderen");

    // Another provider's staff neither see nor delete them.
    let mut other = browser_of(app, &t.admin(1).email).await;
    let hidden_page = other.get(&path).await;
    assert_eq!(hidden_page.status, 403, "{}", hidden_page.html);
    assert!(!hidden_page.html.contains("Dyslexie in het po"));
    let own = other
        .get(&format!("/beheer/aanbieders/{b}/interesses"))
        .await;
    let csrf = own.csrf();
    assert_eq!(other.post(&delete, &[("csrf", &csrf)]).await.status, 403);
    let under_own = format!("/beheer/aanbieders/{b}/interesses/{profile}/verwijderen");
    assert_eq!(other.post(&under_own, &[("csrf", &csrf)]).await.status, 404);
    let listed = json_of(app.get(&api, Some(&t.admin(0).access)).await, 200).await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);

    let deleted = browser.post(&delete, &[("csrf", &shown.csrf())]).await;
    assert_eq!(deleted.status, 303, "{}", deleted.html);
    let listed = json_of(app.get(&api, Some(&t.admin(0).access)).await, 200).await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn garbage_in_the_tender_pages_urls_and_forms_never_answers_500() {
    let mut t = tender_with("network").await;
    t.at(t.join_deadline).await;
    let app = t.app();
    let mut browser = browser_of(app, &t.admin(0).email).await;
    let a = t.providers[0].1.clone();
    let school = t.n.schools[0].clone();
    let gets = [
        "/bundels/zoeken?page=abc&per_page=0&sort=x&sector=zz&deadline_within_days=-1&q=%00"
            .to_owned(),
        "/bundels/zoeken?page=99999999999999999999".to_owned(),
        "/bundels/geen-id/offerte".to_owned(),
        format!("/bundels/{}/offerte", uuid_like()),
        "/beheer/aanbieders/%27%3B--/interesses".to_owned(),
        format!("/beheer/aanbieders/{school}/interesses"),
    ];
    for path in &gets {
        let page = browser.get(path).await;
        assert!(page.status < 500, "{path}: {} {}", page.status, page.html);
        assert!(page.html.contains(r#"lang="nl""#), "{path}");
    }
    assert_eq!(browser.get(&gets[2]).await.status, 404);
    assert_eq!(browser.get(&gets[3]).await.status, 404);
    assert_eq!(browser.get(&gets[5]).await.status, 404);

    let form = browser.get(&offer_path(&t)).await;
    let csrf = form.csrf();
    let long = "k".repeat(300);
    let garbage: Vec<Vec<(&str, &str)>> = vec![
        vec![
            ("price", "1e400"),
            ("offering_id", "x"),
            ("proposal", "\u{0}"),
        ],
        vec![
            ("price", "-5"),
            ("proposal", "x"),
            ("antwoord-onbekend", "y"),
        ],
        vec![("price", "99999999999999999999"), ("provider_id", "niet")],
        vec![
            ("price", "10"),
            ("proposal", "x"),
            ("sleutel", "met spatie"),
        ],
        vec![("price", "10"), ("proposal", "x"), ("sleutel", &long)],
        vec![("price", "10"), ("proposal", "x"), ("offerte", "geen-id")],
        vec![
            ("price", "10"),
            ("proposal", "x"),
            ("offerte", &a),
            ("versie", "x"),
        ],
    ];
    for fields in &garbage {
        let mut fields = fields.clone();
        fields.push(("csrf", &csrf));
        let page = browser.post(&offer_path(&t), &fields).await;
        assert!(
            (400..500).contains(&page.status),
            "{fields:?}: {} {}",
            page.status,
            page.html
        );
        assert!(page.html.contains(r#"lang="nl""#));
    }
    for action in ["intrekken", "bevestigen"] {
        for offer in ["", "geen-id", a.as_str()] {
            let page = browser
                .post(
                    &format!("{}/{action}", offer_path(&t)),
                    &[("csrf", &csrf), ("offerte", offer)],
                )
                .await;
            assert_eq!(page.status, 404, "{action} {offer}: {}", page.html);
        }
    }
    let interests = format!("/beheer/aanbieders/{a}/interesses");
    let eleven = "a,b,c,d,e,f,g,h,i,j,k";
    for fields in [
        vec![("name", "x"), ("domain", "💥"), ("keywords", eleven)],
        vec![
            ("name", "x"),
            ("service_types", "\u{0}"),
            ("regions", "maan"),
        ],
    ] {
        let mut fields = fields.clone();
        fields.push(("csrf", &csrf));
        let page = browser.post(&interests, &fields).await;
        assert_eq!(page.status, 400, "{fields:?}: {}", page.html);
    }
    for pid in ["geen-id", uuid_like()] {
        let page = browser
            .post(
                &format!("{interests}/{pid}/verwijderen"),
                &[("csrf", &csrf)],
            )
            .await;
        assert_eq!(page.status, 404, "{pid}");
    }
    assert!(offers_of(&t, 0).await.is_empty(), "garbage saved nothing");
}

/// A well-formed id that names nothing.
fn uuid_like() -> &'static str {
    "0190f5a4-0000-7000-8000-000000000000"
}

#[tokio::test]
async fn after_the_award_each_bidder_reads_its_own_score_and_rank_and_no_one_elses() {
    let mut t = tender_with("network").await;
    t.at(t.join_deadline + Duration::minutes(1)).await;
    let mut offers = Vec::new();
    for (i, price) in [(0, 2_400_000), (1, 1_900_000)] {
        let offer = json_of(t.offer(i, price).await, 201).await;
        offers.push(offer["id"].as_str().unwrap().to_owned());
    }
    let after = t.offer_deadline + Duration::minutes(1);
    t.at(after).await;
    let app = t.app();
    let owner = &t.n.coordinator.access;
    for (offer, fit) in offers.iter().zip([9, 4]) {
        let path = format!("/v1/bundles/{}/offers/{offer}/scores", t.bundle);
        let body = serde_json::json!({"scores": {"fit": fit, "lasting_effect": 8}});
        json_of(app.post(&path, &body, Some(owner)).await, 200).await;
    }
    let award = serde_json::json!({"offer_id": offers[0], "motivation": "Beste aansluiting."});
    let path = format!("/v1/bundles/{}/award", t.bundle);
    json_of(app.post(&path, &award, Some(owner)).await, 200).await;

    let mut winner = browser_of(app, &t.admin(0).email).await;
    let page = winner.get(&offer_path(&t)).await;
    assert_eq!(page.status, 200, "{}", page.html);
    assert!(
        page.html.contains("De bundel is aan uw offerte gegund."),
        "{}",
        page.html
    );
    assert!(page.html.contains("plaats 1 van 2"), "{}", page.html);
    let mut other = browser_of(app, &t.admin(1).email).await;
    let page = other.get(&offer_path(&t)).await;
    assert!(
        page.html.contains("gegund aan een andere aanbieder"),
        "{}",
        page.html
    );
    assert!(page.html.contains("plaats 2 van 2"), "{}", page.html);
    // Its own price only: the winner's stays the winner's.
    assert!(
        page.html.contains("19.000") && !page.html.contains("24.000"),
        "{}",
        page.html
    );
}
