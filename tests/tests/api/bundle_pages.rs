//! The bundle pages as a browser receives them: a coordinator drafts a bundle through the form
//! (every mistake shown at once, nothing saved) and opens it; member schools' leaders join,
//! change their part and withdraw on the bundle's page, with the totals the API shows; joining
//! after the deadline is refused; the owner changes the bundle at the version loaded; who may
//! read a network bundle's page; and nothing in a URL or form answers 500. The journey in a
//! real browser is `browser::a_coordinator_bundles_demand_that_schools_join_and_providers_win`.

use chrono::Duration;
use edumarkt_server::web::format::moment_typed;
use serde_json::Value;

use crate::account_pages::{Browser, Page};
use crate::bundles::{Network, json_of, network_on, open_bundle};
use crate::helpers::{TestApp, spawn_app};
use crate::shortlist_pages::{hidden, logged_in};

/// The bundle as the API shows it to `user`'s token.
async fn api_bundle(app: &TestApp, token: &str, id: &str) -> Value {
    json_of(
        app.get(&format!("/v1/bundles/{id}"), Some(token)).await,
        200,
    )
    .await
}

/// The fields of a complete bundle form, its deadlines two and four weeks out in Dutch time.
fn form_fields(app: &TestApp) -> Vec<(&'static str, String)> {
    let now = app.state.clock.now();
    [
        ("title", "Rekenen in de onderbouw"),
        (
            "problem",
            "Leerlingen in groep 3 en 4 lopen achter met rekenen.",
        ),
        ("goals", "Leraren geven rekenles met meer oefening op maat."),
        (
            "intended_result",
            "Een aanpak die elke school zelf voortzet.",
        ),
        ("success_measure", "Toetsresultaten na een jaar."),
        ("domain", "professionalisering"),
        ("service_type", "prof_collectief_team"),
        ("sectors", "po"),
        ("regions", "utrecht"),
        ("unit", "deelnemer"),
        ("visibility", "network"),
        ("price_method", "relative"),
        ("weight_price", "30"),
        ("weight_fit", "40"),
        ("weight_lasting_effect", "30"),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_owned()))
    .chain([
        ("join_deadline", moment_typed(now + Duration::days(14))),
        ("offer_deadline", moment_typed(now + Duration::days(28))),
    ])
    .collect()
}

fn borrowed<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

fn new_path(n: &Network) -> String {
    format!("/bundels/nieuw?voor={}", n.network)
}

/// The bundle's id from a redirect to its page.
fn redirected_id(page: &Page) -> String {
    let location = page
        .location
        .as_deref()
        .unwrap_or_else(|| panic!("{}", page.html));
    location
        .trim_start_matches("/bundels/")
        .split('?')
        .next()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_coordinator_drafts_a_bundle_through_the_form_and_opens_it() {
    let n = network_on(spawn_app().await).await;
    let app = &n.app;
    let mut browser = logged_in(app, "coord@swv.nl").await;
    let desk = browser.get("/bundels").await;
    assert_eq!(desk.status, 200);
    assert!(desk.html.contains(&new_path(&n)), "{}", desk.html);

    let form = browser.get(&new_path(&n)).await;
    assert_eq!(form.status, 200);
    for text in [
        "Welk probleem willen de scholen oplossen?",
        "Gunningscriteria",
        "SWV Eemland",
    ] {
        assert!(form.html.contains(text), "{text}");
    }
    assert!(form.html.contains(r#"type="datetime-local""#));
    // Price weighs no more than quality from the start.
    assert!(
        form.html.contains(r#"name="weight_price" value="40""#),
        "{}",
        form.html
    );

    let fields = form_fields(app);
    let saved = browser
        .submit(&new_path(&n), &new_path(&n), &borrowed(&fields))
        .await;
    assert_eq!(saved.status, 303, "{}", saved.html);
    let id = redirected_id(&saved);
    assert!(saved.location.unwrap().ends_with("?melding=concept"));

    let bundle = api_bundle(app, &n.coordinator.access, &id).await;
    assert_eq!(bundle["status"], "draft");
    assert_eq!(bundle["title"], "Rekenen in de onderbouw");
    assert_eq!(bundle["owner_organization_id"], n.network.as_str());
    assert_eq!(bundle["unit"], "deelnemer");
    let weights: Vec<(String, i64)> = bundle["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["code"].as_str().unwrap().to_owned(),
                c["weight"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        weights,
        [
            ("price".into(), 30),
            ("fit".into(), 40),
            ("lasting_effect".into(), 30)
        ]
    );
    // The deadline typed in Dutch time is the instant it named.
    let join: chrono::DateTime<chrono::Utc> =
        bundle["join_deadline"].as_str().unwrap().parse().unwrap();
    assert_eq!(
        moment_typed(join),
        fields
            .iter()
            .find(|(k, _)| *k == "join_deadline")
            .unwrap()
            .1
    );

    let page = browser.get(&format!("/bundels/{id}?melding=concept")).await;
    assert_eq!(page.status, 200);
    for text in [
        "De bundel is opgeslagen als concept.",
        "concept",
        "Leerlingen in groep 3 en 4 lopen achter met rekenen.",
        "aansluiting bij de vraag",
        "Openen voor aanmelding",
        "Nog niemand heeft zich aangemeld.",
    ] {
        assert!(page.html.contains(text), "{text}: {}", page.html);
    }
    let opened = browser
        .submit(
            &format!("/bundels/{id}"),
            &format!("/bundels/{id}/openen"),
            &[],
        )
        .await;
    assert_eq!(opened.status, 303, "{}", opened.html);
    assert_eq!(
        api_bundle(app, &n.coordinator.access, &id).await["status"],
        "open"
    );
    let page = browser.get(&format!("/bundels/{id}?melding=geopend")).await;
    assert!(page.html.contains("open voor aanmelding"));
    assert!(!page.html.contains("Openen voor aanmelding"), "opened once");
    // The owner's desk lists it.
    assert!(
        browser
            .get("/bundels")
            .await
            .html
            .contains("Rekenen in de onderbouw")
    );
}

#[tokio::test]
async fn a_bundle_form_with_every_mistake_shows_every_error_and_saves_nothing() {
    let n = network_on(spawn_app().await).await;
    let app = &n.app;
    let mut browser = logged_in(app, "coord@swv.nl").await;
    let mut fields = form_fields(app);
    let mut set = |name: &str, value: &str| {
        fields.iter_mut().find(|(k, _)| *k == name).unwrap().1 = value.to_owned();
    };
    set("title", "   ");
    set("weight_fit", "veel");
    set("join_deadline", "morgen");
    set("regions", "mars");
    let refused = browser
        .submit(&new_path(&n), &new_path(&n), &borrowed(&fields))
        .await;
    assert_eq!(refused.status, 400, "{}", refused.html);
    for text in [
        "Er is een probleem",
        r##"href="#veld-title""##,
        r##"href="#veld-weight_fit""##,
        r##"href="#veld-join_deadline""##,
        r##"href="#veld-regions""##,
        "Titel: vul dit in",
        "Gunningscriteria: een gewicht is een heel getal van 1 tot en met 100",
        "Aanmelden kan tot: vul een datum en tijd in",
    ] {
        assert!(refused.html.contains(text), "{text}: {}", refused.html);
    }
    // What was typed stays.
    assert!(refused.html.contains(r#"value="veel""#));
    assert!(refused.html.contains(r#"value="morgen""#));
    assert!(
        refused
            .html
            .contains("Leerlingen in groep 3 en 4 lopen achter met rekenen.")
    );

    // Readable but wrong: the weights' sum, an offer deadline before the joining deadline.
    let mut fields = form_fields(app);
    let mut set = |name: &str, value: String| {
        fields.iter_mut().find(|(k, _)| *k == name).unwrap().1 = value;
    };
    set("weight_fit", "20".into());
    set(
        "offer_deadline",
        moment_typed(app.state.clock.now() + Duration::days(7)),
    );
    let refused = browser
        .submit(&new_path(&n), &new_path(&n), &borrowed(&fields))
        .await;
    assert_eq!(refused.status, 400);
    assert!(
        refused.html.contains("de gewichten zijn samen precies 100"),
        "{}",
        refused.html
    );
    assert!(
        refused
            .html
            .contains("kies een moment na het sluiten van de aanmelding")
    );
    assert!(
        browser
            .get("/bundels")
            .await
            .html
            .contains("Nog geen bundels.")
    );
}

#[tokio::test]
async fn only_a_coordinator_or_board_officer_gets_the_form_and_outsiders_no_network_bundle() {
    let n = network_on(spawn_app().await).await;
    let app = &n.app;
    let mut leader = logged_in(app, &n.leaders[0].email).await;
    let page = leader.get("/bundels/nieuw").await;
    assert_eq!(page.status, 403);
    assert!(page.html.contains("U kunt geen bundel opstellen"));
    // Naming the network in the address changes nothing, and a post saves nothing.
    assert_eq!(leader.get(&new_path(&n)).await.status, 403);
    let fields = form_fields(app);
    let posted = leader
        .submit("/bundels", &new_path(&n), &borrowed(&fields))
        .await;
    assert_eq!(posted.status, 403);
    let mut coordinator = logged_in(app, "coord@swv.nl").await;
    assert!(
        coordinator
            .get("/bundels")
            .await
            .html
            .contains("Nog geen bundels.")
    );

    // A network bundle: its members' leaders and providers read it; outsiders and anonymous
    // visitors find nothing.
    let id = open_bundle(&n, "network").await;
    assert_eq!(leader.get(&format!("/bundels/{id}")).await.status, 200);
    let mut outsider = logged_in(app, "leider@elders.nl").await;
    assert_eq!(outsider.get(&format!("/bundels/{id}")).await.status, 404);
    assert_eq!(
        Browser::new(app)
            .get(&format!("/bundels/{id}"))
            .await
            .status,
        404
    );
    assert!(!outsider.get("/bundels").await.html.contains(&id));
    // A public one is everyone's to read, without logging in.
    let public = open_bundle(&n, "public").await;
    let anonymous = Browser::new(app).get(&format!("/bundels/{public}")).await;
    assert_eq!(anonymous.status, 200);
    assert!(
        anonymous
            .html
            .contains("Open data over deze aanbesteding (OCDS)")
    );
    assert!(
        !anonymous.html.contains("Meedoen"),
        "no join form for anonymous visitors"
    );
}

/// The totals of the bundle as the API shows them: (quantity, organisations, budget cents).
async fn totals(n: &Network, id: &str) -> (i64, i64, i64) {
    let b = api_bundle(&n.app, &n.coordinator.access, id).await;
    let t = &b["totals"];
    (
        t["quantity"].as_i64().unwrap(),
        t["organizations"].as_i64().unwrap(),
        t["budget_cents"].as_i64().unwrap(),
    )
}

#[tokio::test]
async fn member_schools_join_change_and_withdraw_on_the_bundle_page() {
    let n = network_on(spawn_app().await).await;
    let app = &n.app;
    let id = open_bundle(&n, "network").await;
    let page_path = format!("/bundels/{id}");
    let join_path = format!("/bundels/{id}/deelnemen");
    let school = n.schools[0].clone();
    let mut leader = logged_in(app, &n.leaders[0].email).await;
    let desk = leader.get("/bundels").await;
    assert!(desk.html.contains("Open voor aanmelding"), "{}", desk.html);
    assert!(desk.html.contains(&page_path));
    let page = leader.get(&page_path).await;
    assert!(page.html.contains("Meedoen"), "{}", page.html);
    assert!(
        page.html.contains("Aantal leerlingen"),
        "the unit names the quantity"
    );

    let joined = leader
        .submit(
            &page_path,
            &join_path,
            &[
                ("organization_id", &school),
                ("quantity", "120"),
                ("budget", "1.250,50"),
                ("wishes", "Op woensdag"),
            ],
        )
        .await;
    assert_eq!(joined.status, 303, "{}", joined.html);
    assert_eq!(totals(&n, &id).await, (120, 1, 125_050));
    let page = leader.get(&format!("{page_path}?melding=aangemeld")).await;
    for text in [
        "U doet mee.",
        "Uw deelname",
        r#"value="1250,50""#,
        "Deelname wijzigen",
        "Afmelden",
    ] {
        assert!(page.html.contains(text), "{text}: {}", page.html);
    }

    // Every mistake at once, the typed values kept, the totals untouched.
    let refused = leader
        .submit(
            &page_path,
            &join_path,
            &[
                ("organization_id", &school),
                ("quantity", "veel"),
                ("budget", "-5"),
            ],
        )
        .await;
    assert_eq!(refused.status, 400, "{}", refused.html);
    assert!(
        refused
            .html
            .contains(&format!(r##"href="#veld-quantity-{school}""##))
    );
    assert!(
        refused
            .html
            .contains(&format!(r##"href="#veld-budget-{school}""##))
    );
    assert!(refused.html.contains(r#"value="veel""#));
    assert_eq!(totals(&n, &id).await, (120, 1, 125_050));

    let changed = leader
        .submit(
            &page_path,
            &join_path,
            &[
                ("organization_id", &school),
                ("quantity", "80"),
                ("budget", "900"),
            ],
        )
        .await;
    assert_eq!(changed.status, 303, "{}", changed.html);
    assert_eq!(totals(&n, &id).await, (80, 1, 90_000));
    // The owner sees who joined; the other member does not.
    let mut coordinator = logged_in(app, "coord@swv.nl").await;
    let owner_page = coordinator.get(&page_path).await;
    assert!(owner_page.html.contains("Wie doet mee"));
    assert!(owner_page.html.contains("€ 900"), "{}", owner_page.html);
    let mut other = logged_in(app, &n.leaders[1].email).await;
    assert!(!other.get(&page_path).await.html.contains("Wie doet mee"));
    // Only for one's own school: another's id is refused and changes nothing.
    let forged = other
        .submit(
            &page_path,
            &join_path,
            &[
                ("organization_id", &school),
                ("quantity", "5"),
                ("budget", "1"),
            ],
        )
        .await;
    assert_eq!(forged.status, 403, "{}", forged.html);
    assert_eq!(totals(&n, &id).await, (80, 1, 90_000));

    let left = leader
        .submit(
            &page_path,
            &format!("/bundels/{id}/afmelden"),
            &[("organization_id", &school)],
        )
        .await;
    assert_eq!(left.status, 303, "{}", left.html);
    assert_eq!(totals(&n, &id).await, (0, 0, 0));
}

#[tokio::test]
async fn joining_after_the_joining_deadline_is_refused_and_not_offered() {
    let n = network_on(spawn_app().await).await;
    let app = &n.app;
    let id = open_bundle(&n, "network").await;
    let page_path = format!("/bundels/{id}");
    let mut leader = logged_in(app, &n.leaders[0].email).await;
    let before = leader.get(&page_path).await;
    let deadline: chrono::DateTime<chrono::Utc> = api_bundle(app, &n.coordinator.access, &id).await
        ["join_deadline"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    app.clock.set(deadline);
    let late = leader
        .post(
            &format!("/bundels/{id}/deelnemen"),
            &[
                ("organization_id", n.schools[0].as_str()),
                ("quantity", "10"),
                ("budget", "100"),
                ("csrf", &before.csrf()),
            ],
        )
        .await;
    assert_eq!(late.status, 409, "{}", late.html);
    let coordinator = app.log_in_again(&n.coordinator).await;
    let bundle = api_bundle(app, &coordinator.access, &id).await;
    assert_eq!(bundle["totals"]["organizations"], 0);
    assert_eq!(bundle["status"], "tendering");
    let page = leader.get(&page_path).await;
    assert!(page.html.contains("open voor offertes"));
    assert!(
        !page.html.contains("Aanmelden</button>"),
        "no join form after the deadline"
    );
}

#[tokio::test]
async fn the_owner_changes_the_bundle_at_the_version_loaded() {
    let n = network_on(spawn_app().await).await;
    let app = &n.app;
    let id = open_bundle(&n, "network").await;
    let edit_path = format!("/bundels/{id}/bewerken");
    let mut coordinator = logged_in(app, "coord@swv.nl").await;
    let form = coordinator.get(&edit_path).await;
    assert_eq!(form.status, 200, "{}", form.html);
    let bundle = api_bundle(app, &n.coordinator.access, &id).await;
    let join: chrono::DateTime<chrono::Utc> =
        bundle["join_deadline"].as_str().unwrap().parse().unwrap();
    assert!(
        form.html.contains(&moment_typed(join)),
        "the deadline in Dutch time"
    );
    assert!(form.html.contains(r#"name="weight_price" value="40""#));
    let version = hidden(&form, "versie");

    let mut fields = form_fields(app);
    fields.push(("versie", version.clone()));
    fields.push(("csrf", form.csrf()));
    fields.retain(|(k, _)| *k != "title");
    fields.push(("title", "Rekenen, gewijzigd".into()));
    let saved = coordinator.post(&edit_path, &borrowed(&fields)).await;
    assert_eq!(saved.status, 303, "{}", saved.html);
    assert_eq!(
        api_bundle(app, &n.coordinator.access, &id).await["title"],
        "Rekenen, gewijzigd"
    );
    // The same form sent again is older than the bundle now: refused, nothing overwritten.
    fields.retain(|(k, _)| *k != "title");
    fields.push(("title", "Rekenen, oud".into()));
    let stale = coordinator.post(&edit_path, &borrowed(&fields)).await;
    assert_eq!(stale.status, 409, "{}", stale.html);
    assert!(
        stale
            .html
            .contains("iemand anders heeft de bundel intussen gewijzigd")
    );
    assert_eq!(
        api_bundle(app, &n.coordinator.access, &id).await["title"],
        "Rekenen, gewijzigd"
    );
    // Not the owner: no form.
    let mut leader = logged_in(app, &n.leaders[0].email).await;
    assert_eq!(leader.get(&edit_path).await.status, 403);
}

#[tokio::test]
async fn nothing_in_a_bundle_url_or_form_answers_500() {
    let n = network_on(spawn_app().await).await;
    let app = &n.app;
    let id = open_bundle(&n, "network").await;
    let mut leader = logged_in(app, &n.leaders[0].email).await;
    for path in [
        "/bundels/niets".to_owned(),
        "/bundels/00000000-0000-0000-0000-000000000000".into(),
        "/bundels/niets/bewerken".into(),
        "/bundels/nieuw?voor=%FF%00".into(),
        format!("/bundels/{id}?melding=%3Cscript%3E"),
    ] {
        let page = leader.get(&path).await;
        assert!(page.status < 500, "{path}: {}", page.status);
    }
    let page = leader.get(&format!("/bundels/{id}")).await;
    let csrf = page.csrf();
    for fields in [
        vec![("organization_id", "niets")],
        vec![
            ("organization_id", n.schools[0].as_str()),
            ("quantity", "99999999999999999999999"),
        ],
        vec![
            ("organization_id", n.schools[0].as_str()),
            ("budget", "9.999.999.999.999.999,99"),
        ],
        vec![
            ("organization_id", n.schools[0].as_str()),
            ("wishes", "\u{0}"),
        ],
    ] {
        let mut fields = fields;
        fields.push(("csrf", &csrf));
        let answer = leader
            .post(&format!("/bundels/{id}/deelnemen"), &fields)
            .await;
        assert!(
            [400, 404].contains(&answer.status),
            "{fields:?}: {} {}",
            answer.status,
            answer.html
        );
    }
    let mut coordinator = logged_in(app, "coord@swv.nl").await;
    let form = coordinator.get(&new_path(&n)).await;
    let csrf = form.csrf();
    let mut fields = form_fields(app);
    for (name, value) in [
        ("weight_price", "99999999999999999999"),
        ("join_deadline", "9999-12-31T23:59"),
        ("offer_deadline", "+275760-09-13T00:00"),
        ("unit", "\u{0}"),
    ] {
        fields.iter_mut().find(|(k, _)| *k == name).unwrap().1 = value.into();
    }
    fields.push(("csrf", csrf));
    let answer = coordinator.post(&new_path(&n), &borrowed(&fields)).await;
    assert_eq!(answer.status, 400, "{}", answer.html);
}
