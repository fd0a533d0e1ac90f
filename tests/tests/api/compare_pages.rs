//! The compare page and a provider's public profile as a browser receives them; the journey in
//! a real browser is `browser::a_school_leader_compares_three_offerings_for_400_pupils`.

use crate::helpers::{TestApp, school_body, spawn_app};
use crate::pages::{market, page};

/// The compare page's URL for `ids` and the rest of a query string.
fn compare(ids: &[&str], rest: &str) -> String {
    let ids: Vec<String> = ids.iter().map(|id| format!("id={id}")).collect();
    format!("/vergelijken?{}{rest}", ids.join("&"))
}

async fn provider_of(app: &TestApp, offering: &str) -> String {
    let response = app.get(&format!("/v1/offerings/{offering}"), None).await;
    let body: serde_json::Value = response.json().await.unwrap();
    body["provider_id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn three_offerings_side_by_side_with_dutch_labels_and_costs_for_400_pupils() {
    let app = spawn_app().await;
    let (ids, _) = market(&app).await;
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let (status, html) = page(&app, &compare(&refs, "&aantal=400&eenheid=leerling")).await;
    assert_eq!(status, 200, "{html}");
    for expected in [
        r#"<caption class="utrecht-table__caption" id="vergelijking-titel">Vergelijking van 3 aanbiedingen, geschatte kosten voor 400 leerlingen</caption>"#,
        r#"<th class="utrecht-table__header-cell" scope="col">Kenmerk</th>"#,
        "Dyslexie-aanpak in de klas",
        "Remedial teaching voor rekenen",
        "Training formatief handelen",
        "€ 450 – € 600 per deelnemer",
        "€ 95 per uur",
        // Neither price is per pupil: said, not guessed; on request has no figure.
        "niet te schatten in leerlingen: de prijs is per deelnemer",
        "niet te schatten in leerlingen: de prijs is per uur",
        "primair onderwijs, (voortgezet) speciaal onderwijs",
        "nog geen ervaringen",
        r#"value="400""#,
        r#"<option value="leerling" selected>leerlingen</option>"#,
    ] {
        assert!(html.contains(expected), "{expected} in {html}");
    }
    // Each offering links to its page and its provider's profile.
    let provider = provider_of(&app, &ids[0]).await;
    assert!(html.contains(&format!(r#"href="/aanbod/{}""#, ids[2])));
    assert!(html.contains(&format!(r#"href="/aanbieders/{provider}""#)));
    // The form carries the ids, so recomputing keeps the comparison.
    for id in &ids {
        assert!(html.contains(&format!(r#"<input type="hidden" name="id" value="{id}">"#)));
    }
}

#[tokio::test]
async fn differences_are_marked_in_words_and_equal_rows_are_not() {
    let app = spawn_app().await;
    let (ids, _) = market(&app).await;
    let (_, html) = page(&app, &compare(&[&ids[0], &ids[1]], "")).await;
    let row = |label: &str| {
        let start = html
            .find(&format!(r#"scope="row">{label}"#))
            .unwrap_or_else(|| panic!("row {label} in {html}"));
        let open = html[..start].rfind("<tr").unwrap();
        html[open..start].to_owned() + &html[start..start + label.len() + 120]
    };
    let domain = row("Domein");
    assert!(!domain.contains("verschilt"), "same domain: {domain}");
    assert!(!domain.contains("em-compare__row--differs"));
    let price = row("Prijs");
    assert!(price.contains("em-compare__row--differs"), "{price}");
    assert!(
        price.contains(r#"<span class="em-differs">verschilt</span>"#),
        "{price}"
    );
    assert!(row("Sectoren").contains("verschilt"));
    // Without a quantity, each cost cell asks for one.
    assert!(html.contains("vul hierboven een aantal in"));
}

#[tokio::test]
async fn without_a_unit_each_offering_is_estimated_in_its_own() {
    let app = spawn_app().await;
    let (ids, _) = market(&app).await;
    let (status, html) = page(&app, &compare(&[&ids[0], &ids[1]], "&aantal=25&eenheid=")).await;
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains("25 deelnemers: € 11.250 – € 15.000"),
        "{html}"
    );
    assert!(html.contains("25 uur: € 2.375"), "{html}");
    assert!(html.contains(r#"<option value="" selected>de eenheid van elk aanbod</option>"#));
    // The API's use case gives the same figures.
    let api: serde_json::Value = app
        .get(
            &format!("/v1/compare?ids={},{}&quantity=25", ids[0], ids[1]),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(api["items"][1]["cost"]["min_cents"], 237_500);
}

#[tokio::test]
async fn a_column_can_be_removed_while_two_remain() {
    let app = spawn_app().await;
    let (ids, _) = market(&app).await;
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let (_, three) = page(&app, &compare(&refs, "&aantal=4")).await;
    let without_first = format!(
        r#"href="/vergelijken?id={}&#38;id={}&#38;aantal=4""#,
        ids[1], ids[2]
    );
    assert!(three.contains(&without_first), "{three}");
    assert!(three.contains("Weghalen uit vergelijking<span class=\"em-visually-hidden\">: Dyslexie-aanpak in de klas</span>"));
    let (_, two) = page(&app, &compare(&refs[..2], "")).await;
    assert!(
        !two.contains("Weghalen uit vergelijking"),
        "two is the least"
    );
    // Room for more: back to the search with these chosen.
    assert!(two.contains(&format!(r#"href="/?id={}&#38;id={}""#, ids[0], ids[1])));
}

#[tokio::test]
async fn too_few_too_many_unknown_draft_and_repeated_offerings_are_a_dutch_error_summary() {
    let app = spawn_app().await;
    let (ids, draft) = market(&app).await;
    let unknown = uuid::Uuid::now_v7().to_string();
    let seven: Vec<String> = (0..7).map(|_| uuid::Uuid::now_v7().to_string()).collect();
    let seven: Vec<&str> = seven.iter().map(String::as_str).collect();
    for (path, message) in [
        (
            "/vergelijken".to_owned(),
            "Aanbod: kies 2 tot en met 6 aanbiedingen om te vergelijken",
        ),
        (
            compare(&[&ids[0]], ""),
            "Aanbod: kies 2 tot en met 6 aanbiedingen",
        ),
        (
            compare(&seven, ""),
            "Aanbod: kies 2 tot en met 6 aanbiedingen",
        ),
        (
            compare(&[&ids[0], &unknown], ""),
            "Aanbod 2: dit aanbod bestaat niet (meer) of is niet gepubliceerd",
        ),
        (
            compare(&[&draft, &ids[0]], ""),
            "Aanbod 1: dit aanbod bestaat niet (meer) of is niet gepubliceerd",
        ),
        (
            compare(&[&ids[0], &ids[0]], ""),
            "Aanbod 2: staat er twee keer in",
        ),
        (
            compare(&[&ids[0], "geen-id"], ""),
            "Aanbod 2: dit is geen geldig aanbod",
        ),
    ] {
        let (status, html) = page(&app, &path).await;
        assert_eq!(status, 400, "{path}");
        assert!(html.contains("Er is een probleem"), "{path}: {html}");
        assert!(html.contains(message), "{message} in {path}: {html}");
        assert!(html.contains(r##"href="#kiezen""##), "{path}");
        assert!(!html.contains("<table"), "{path}: no half comparison");
        assert!(
            !html.contains("Geheim concept"),
            "a draft shows nothing of itself"
        );
    }
    // The way back keeps the offering that was fine.
    let (_, html) = page(&app, &compare(&[&ids[0], &unknown], "")).await;
    assert!(
        html.contains(&format!(r#"href="/?id={}""#, ids[0])),
        "{html}"
    );
}

#[tokio::test]
async fn a_bad_quantity_or_unit_keeps_the_table_and_what_was_typed() {
    let app = spawn_app().await;
    let (ids, _) = market(&app).await;
    for (rest, field, message) in [
        (
            "&aantal=0",
            "aantal",
            "Aantal: vul een heel getal in van 1 tot en met 1.000.000",
        ),
        ("&aantal=2.5", "aantal", "Aantal: vul een heel getal in"),
        ("&aantal=1000001", "aantal", "Aantal: vul een heel getal in"),
        (
            "&aantal=4&eenheid=kilo",
            "eenheid",
            "Eenheid: kies een van de mogelijkheden uit de lijst",
        ),
    ] {
        let (status, html) = page(&app, &compare(&[&ids[0], &ids[1]], rest)).await;
        assert_eq!(status, 400, "{rest}");
        assert!(html.contains(message), "{rest}: {html}");
        assert!(
            html.contains(&format!(r##"href="#veld-{field}""##)),
            "{rest}"
        );
        assert!(
            html.contains(&format!(r#"aria-describedby="veld-{field}-fout""#))
                || html.contains(&format!(
                    r#"aria-describedby="veld-{field}-hint veld-{field}-fout""#
                )),
            "{rest}"
        );
        assert!(html.contains("<table"), "{rest}: the offerings still show");
    }
    let (_, typed) = page(&app, &compare(&[&ids[0], &ids[1]], "&aantal=2.5")).await;
    assert!(typed.contains(r#"value="2.5""#), "what was typed stays");
}

#[tokio::test]
async fn hostile_compare_urls_are_escaped_and_never_a_500() {
    let app = spawn_app().await;
    let (ids, _) = market(&app).await;
    let many = "id=x&".repeat(5_000);
    for hostile in [
        "/vergelijken?id=%3Cscript%3Ealert(1)%3C/script%3E&id=%22%3E%3Cb%3E".to_owned(),
        format!(
            "/vergelijken?id={}&id={}&aantal=%3Cscript%3E",
            ids[0], ids[1]
        ),
        format!(
            "/vergelijken?id={}&id={}&aantal=99999999999999999999999999",
            ids[0], ids[1]
        ),
        format!("/vergelijken?id={},{}&eenheid=%3Cb%3E", ids[0], ids[1]),
        format!("/vergelijken?id={}&id=%FF%FE&aantal=-1", ids[0]),
        "/vergelijken?&&==&id".to_owned(),
        format!("/vergelijken?{many}"),
        format!("/vergelijken?id={},{},,,,", ids[0], ids[1]),
    ] {
        let (status, html) = page(&app, &hostile).await;
        assert!(status == 200 || status == 400, "{hostile}: {status}");
        assert!(
            !html.contains("<script>") && !html.contains("<b>"),
            "{hostile} is escaped"
        );
        assert!(html.contains("Aanbod vergelijken"), "{hostile}");
    }
    // A comma-separated list, as in the API, is a comparison too.
    let (status, _) = page(&app, &format!("/vergelijken?id={},{}", ids[0], ids[1])).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn search_results_have_compare_boxes_and_keep_chosen_offerings() {
    let app = spawn_app().await;
    let (ids, _) = market(&app).await;
    let (status, html) = page(&app, "/").await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"<form id="vergelijk" method="get" action="/vergelijken">"#));
    assert_eq!(
        html.matches(r#"type="checkbox" form="vergelijk""#).count(),
        3,
        "{html}"
    );
    for id in &ids {
        assert!(
            html.contains(&format!(r#"name="id" value="{id}">"#)),
            "{id}"
        );
    }
    assert!(html.contains(r#"type="submit" form="vergelijk""#));
    assert!(html.contains(
        "Vergelijk<span class=\"em-visually-hidden\">: Dyslexie-aanpak in de klas</span>"
    ));

    // Chosen on the offering page, then a search that does not find it: it is carried unseen,
    // the chosen one found is ticked, and the search still works with `id` in its URL.
    let (_, offering) = page(&app, &format!("/aanbod/{}", ids[0])).await;
    let link = format!(
        r#"<a class="utrecht-link" href="/?id={}">Vergelijk dit aanbod met ander aanbod</a>"#,
        ids[0]
    );
    assert!(offering.contains(&link), "{offering}");
    let (status, html) = page(&app, &format!("/?id={}&id={}&q=rekenen", ids[0], ids[1])).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("1 resultaat"), "{html}");
    assert!(html.contains(&format!(r#"name="id" value="{}" checked>"#, ids[1])));
    assert!(html.contains(&format!(
        r#"<input type="hidden" name="id" value="{}">"#,
        ids[0]
    )));
    let (status, html) = page(&app, "/?id=%3Cscript%3E&q=rekenen").await;
    assert_eq!(status, 200);
    assert!(!html.contains("<script>"));
}

#[tokio::test]
async fn a_providers_profile_shows_its_details_and_published_offerings() {
    let app = spawn_app().await;
    let (ids, _) = market(&app).await;
    let provider = provider_of(&app, &ids[0]).await;
    let (_, offering) = page(&app, &format!("/aanbod/{}", ids[0])).await;
    assert!(
        offering.contains(&format!(
            r#"href="/aanbieders/{provider}"><strong>Leren &#38; Co</strong></a>"#
        )),
        "{offering}"
    );

    let (status, html) = page(&app, &format!("/aanbieders/{provider}")).await;
    assert_eq!(status, 200, "{html}");
    for expected in [
        r#"<h1 class="utrecht-heading-1">Leren &#38; Co</h1>"#,
        "Soort aanbieder",
        "Aanbod van Leren &#38; Co",
        "3 resultaten",
        "Dyslexie-aanpak in de klas",
        "Training formatief handelen",
        "KvK-nummer",
        "12345678",
    ] {
        assert!(html.contains(expected), "{expected} in {html}");
    }
    assert!(!html.contains("Geheim concept"), "drafts are not shown");

    // Another provider's offerings are not listed on this profile.
    let (other_admin, other) = app.provider("ander@aanbieder.nl", "87654321").await;
    let mut body = crate::helpers::offering_body();
    body["title"] = "Ander aanbod van elders".into();
    app.publish(&other_admin, &other, &body).await;
    app.sync_search().await;
    let (_, html) = page(&app, &format!("/aanbieders/{provider}")).await;
    assert!(!html.contains("Ander aanbod van elders"));
    let (_, html) = page(&app, &format!("/aanbieders/{other}")).await;
    assert!(html.contains("Ander aanbod van elders"), "{html}");
    assert!(html.contains("1 resultaat"));
}

#[tokio::test]
async fn unknown_malformed_and_non_provider_organisations_are_a_dutch_404_page() {
    let app = spawn_app().await;
    market(&app).await;
    let user = app.user("leider@school.nl").await;
    let school = app.organization(&user, school_body("12AB")).await;
    for path in [
        format!("/aanbieders/{}", uuid::Uuid::now_v7()),
        format!("/aanbieders/{}", school["id"].as_str().unwrap()),
        "/aanbieders/geen-id".to_owned(),
        "/aanbieders/%3Cscript%3E".to_owned(),
    ] {
        let (status, html) = page(&app, &path).await;
        assert_eq!(status, 404, "{path}");
        assert!(html.contains("Pagina niet gevonden"), "{path}: {html}");
        assert!(!html.contains("<script>"));
    }
}
