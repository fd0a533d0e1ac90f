//! The web pages as a browser receives them (HTML over HTTP); the journeys in a real browser
//! are in `browser.rs`.

use serde_json::{Value, json};

use crate::helpers::{TestApp, offering_body, spawn_app};

/// A provider with three published offerings and one draft; returns the published ids in
/// order (dyslexia, arithmetic, training) and the draft's id.
pub async fn market(app: &TestApp) -> (Vec<String>, String) {
    let (admin, provider) = app.provider("admin@aanbieder.nl", "12345678").await;
    let changes = [
        json!({"title": "Dyslexie-aanpak in de klas"}),
        json!({"title": "Remedial teaching voor rekenen", "sectors": ["vo"], "regions": ["gelderland"],
               "price_model": "per_uur", "price_min_cents": 9500, "price_max_cents": null, "duration": "kort",
               "evidence_level": "geen", "evidence_sources": []}),
        json!({"title": "Training formatief handelen", "domain": "professionalisering",
               "service_type": "prof_collectief_team", "sectors": ["vo"], "regions": ["landelijk"],
               "price_model": "op_aanvraag", "price_min_cents": null, "price_max_cents": null,
               "duration": "langdurig", "evidence_level": "geen", "evidence_sources": []}),
    ];
    let mut published = Vec::new();
    for change in changes {
        let mut body = offering_body();
        for (key, value) in change.as_object().unwrap() {
            body[key] = value.clone();
        }
        published.push(app.publish(&admin, &provider, &body).await);
    }
    let mut draft = offering_body();
    draft["title"] = Value::from("Geheim concept dyslexie");
    let (draft, _) = app.draft(&admin, &provider, &draft).await;
    app.sync_search().await;
    (published, draft["id"].as_str().unwrap().to_owned())
}

pub async fn page(app: &TestApp, path: &str) -> (u16, String) {
    let response = app.get(path, None).await;
    let status = response.status().as_u16();
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(content_type, "text/html; charset=utf-8", "{path}");
    assert!(
        response.headers().contains_key("content-security-policy"),
        "{path}"
    );
    (status, response.text().await.unwrap())
}

#[tokio::test]
async fn the_search_page_is_dutch_finds_with_a_typo_and_counts_facets() {
    let app = spawn_app().await;
    let (ids, _) = market(&app).await;
    let (status, html) = page(&app, "/?q=dyslxie").await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains(r#"<html lang="nl""#));
    assert!(html.contains(r##"href="#inhoud""##), "skip link");
    assert!(
        html.contains(&format!(r#"href="/aanbod/{}""#, ids[0])),
        "{html}"
    );
    assert!(html.contains("Dyslexie-aanpak in de klas"));
    assert!(!html.contains("Geheim concept"), "drafts are not found");
    assert!(html.contains("€ 450 – € 600 per deelnemer"));
    // The sector facet counts with its Dutch label; the typed words stay in the box.
    assert!(html.contains(r#"name="sector" value="po""#), "{html}");
    assert!(html.contains("primair onderwijs <span class=\"em-count\">(1)</span>"));
    assert!(html.contains(r#"value="dyslxie""#));

    let (_, filtered) = page(&app, "/?sector=vo&sort=price_asc").await;
    assert!(filtered.contains("2 resultaten"), "{filtered}");
    assert!(filtered.contains(r#"value="vo" checked"#));
    assert!(filtered.contains("alleen vergeleken binnen hetzelfde prijsmodel"));
    assert!(!filtered.contains("Dyslexie-aanpak"));
}

#[tokio::test]
async fn no_results_offer_ways_out() {
    let app = spawn_app().await;
    market(&app).await;
    let (status, html) = page(&app, "/?q=formatief&sector=po").await;
    assert_eq!(status, 200);
    assert!(html.contains("Geen resultaten"), "{html}");
    assert!(html.contains("Zonder filters is er 1 resultaat."), "{html}");
    assert!(html.contains(r#"href="/?q=formatief""#), "{html}");
    assert!(html.contains("Filter weghalen: Sector: primair onderwijs"));
}

#[tokio::test]
async fn bad_search_parameters_are_a_dutch_error_summary_never_a_500() {
    let app = spawn_app().await;
    market(&app).await;
    let (status, html) = page(&app, "/?q=dyslexie&sector=hbo&colour=blue&page=0").await;
    assert_eq!(status, 400);
    assert!(html.contains("Er is een probleem"), "{html}");
    assert!(html.contains(
        r##"<a class="utrecht-link" href="#filters">Sector: kies een van de mogelijkheden uit de lijst</a>"##
    ));
    assert!(html.contains(r##"href="#veld-q""##));
    // The valid part of the search still runs.
    assert!(html.contains("Dyslexie-aanpak in de klas"), "{html}");

    let (status, html) = page(&app, &format!("/?q={}", "a".repeat(300))).await;
    assert_eq!(status, 400);
    assert!(html.contains(r#"aria-invalid="true""#), "{html}");
    assert!(html.contains(r#"aria-describedby="veld-q-hint veld-q-fout""#));

    for hostile in [
        "/?page=99999999999999999999999",
        "/?per_page=100&page=11",
        "/?price_max_cents=-5&rating_min=NaN&sort=%3Cscript%3E",
        "/?q=%3Cscript%3Ealert(1)%3C/script%3E",
        "/?q=%FF%FE&sector=po&sector=po",
        "/?evidence_min=&provider_id=nope",
        "/?&&==&q",
    ] {
        let (status, html) = page(&app, hostile).await;
        assert!(status == 200 || status == 400, "{hostile}: {status}");
        assert!(!html.contains("<script>"), "{hostile} is escaped");
    }
}

#[tokio::test]
async fn the_offering_page_shows_every_attribute_with_its_dutch_label() {
    let app = spawn_app().await;
    let (ids, _) = market(&app).await;
    let (status, html) = page(&app, &format!("/aanbod/{}", ids[0])).await;
    assert_eq!(status, 200, "{html}");
    for expected in [
        "<h1 class=\"utrecht-heading-1\">Dyslexie-aanpak in de klas</h1>",
        "Leren &#38; Co",
        "leerlingenzorg en -ondersteuning",
        "primair onderwijs, (voortgezet) speciaal onderwijs",
        "Utrecht, Gelderland",
        "begeleidingstraject, coaching",
        "op locatie",
        "traject (drie tot twaalf maanden)",
        "€ 450 – € 600 per deelnemer (exclusief btw)",
        "goed onderbouwd",
        "vraagarticulatie, testen en evalueren",
        "toegang tot een inclusieve(re) leeromgeving",
        r#"<a class="utrecht-link" href="https://www.nji.nl/interventies/voorbeeld""#,
        "Langdurige ondersteuning",
        "Ervaringen van scholen",
    ] {
        assert!(html.contains(expected), "{expected} in {html}");
    }
    assert!(
        !html.contains("zelden een"),
        "no short-term warning on a trajectory"
    );

    let (_, short) = page(&app, &format!("/aanbod/{}", ids[1])).await;
    assert!(short.contains("zelden een"), "short-term warning");
    assert!(short.contains("€ 95 per uur"));
    let (_, on_request) = page(&app, &format!("/aanbod/{}", ids[2])).await;
    assert!(on_request.contains("prijs op aanvraag"));
}

#[tokio::test]
async fn the_offering_page_estimates_the_cost_of_a_typed_quantity_in_its_unit() {
    let app = spawn_app().await;
    let (ids, _) = market(&app).await;
    let (status, html) = page(&app, &format!("/aanbod/{}?aantal=25", ids[0])).await;
    assert_eq!(status, 200);
    assert!(html.contains(
        r#"<label class="utrecht-form-label" for="veld-aantal">Aantal deelnemers</label>"#
    ));
    assert!(
        html.contains("25 deelnemers: € 11.250 – € 15.000 (exclusief btw)"),
        "{html}"
    );

    for bad in ["0", "-3", "2.5", "1000001", "%3Cb%3Eveel%3C/b%3E"] {
        let (status, html) = page(&app, &format!("/aanbod/{}?aantal={bad}", ids[1])).await;
        assert_eq!(status, 400, "{bad}");
        assert!(html.contains("Er is een probleem"), "{bad}");
        assert!(html.contains(
            r##"<a class="utrecht-link" href="#veld-aantal">Aantal uur: vul een heel getal in van 1 tot en met 1.000.000</a>"##
        ), "{bad}: {html}");
        assert!(html.contains(r#"aria-describedby="veld-aantal-hint veld-aantal-fout""#));
        assert!(!html.contains("<b>"), "{bad} is escaped");
    }
    let (_, typed) = page(&app, &format!("/aanbod/{}?aantal=2.5", ids[1])).await;
    assert!(typed.contains(r#"value="2.5""#), "what was typed stays");

    let (_, on_request) = page(&app, &format!("/aanbod/{}?aantal=4", ids[2])).await;
    assert!(on_request.contains("De aanbieder geeft de prijs op aanvraag"));
    assert!(!on_request.contains("veld-aantal"));
}

#[tokio::test]
async fn unknown_malformed_and_draft_offerings_are_a_dutch_404_page() {
    let app = spawn_app().await;
    let (_, draft) = market(&app).await;
    for path in [
        format!("/aanbod/{draft}"),
        format!("/aanbod/{}", uuid::Uuid::now_v7()),
        "/aanbod/geen-id".to_owned(),
        "/aanbod/%3Cscript%3E".to_owned(),
    ] {
        let (status, html) = page(&app, &path).await;
        assert_eq!(status, 404, "{path}");
        assert!(html.contains("Pagina niet gevonden"), "{path}: {html}");
        assert!(!html.contains("<script>"));
    }
}

#[tokio::test]
async fn an_unknown_path_is_a_dutch_page_for_browsers_and_a_problem_for_the_api() {
    let app = spawn_app().await;
    let browser = |path: &str| {
        app.client
            .get(app.url(path))
            .header("accept", "text/html,application/xhtml+xml,*/*;q=0.8")
    };
    let response = browser("/onbekend/pad").send().await.unwrap();
    assert_eq!(response.status(), 404);
    assert_eq!(
        response.headers()["content-type"],
        "text/html; charset=utf-8"
    );
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Pagina niet gevonden")
    );
    for path in ["/v1/onbekend", "/health/onbekend"] {
        let response = browser(path).send().await.unwrap();
        assert_eq!(response.status(), 404, "{path}");
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json",
            "{path}"
        );
    }
    let response = app.get("/onbekend/pad", None).await;
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json",
        "clients that do not ask for HTML get the problem"
    );
}

#[tokio::test]
async fn the_stylesheets_are_served_from_the_binary_under_versioned_paths() {
    let app = spawn_app().await;
    let (_, html) = page(&app, "/").await;
    for (path, cache) in [
        (
            "/assets/utrecht-component-library-css-9.0.4/index.css",
            "public, max-age=31536000, immutable",
        ),
        (
            "/assets/voorbeeld-design-tokens-7.4.1/theme.css",
            "public, max-age=31536000, immutable",
        ),
        ("/assets/edumarkt.css", "public, no-cache"),
    ] {
        assert!(html.contains(&format!(r#"href="{path}""#)), "{path}");
        let response = app.get(path, None).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()["cache-control"], cache);
        assert_eq!(
            response.headers()["content-type"],
            "text/css; charset=utf-8"
        );
    }
    // No inline style or script anywhere (the CSP would block it).
    assert!(!html.contains("style=") && !html.contains("<script"));
}

#[tokio::test]
async fn our_own_stylesheet_is_revalidated_by_its_tag_and_not_sent_again() {
    let app = spawn_app().await;
    let first = app.get("/assets/edumarkt.css", None).await;
    let tag = first.headers()["etag"].to_str().unwrap().to_owned();
    assert!(tag.starts_with('"') && tag.ends_with('"'), "{tag}");
    let unchanged = app
        .client
        .get(app.url("/assets/edumarkt.css"))
        .header("if-none-match", &tag)
        .send()
        .await
        .unwrap();
    assert_eq!(unchanged.status(), 304);
    assert_eq!(unchanged.headers()["etag"].to_str().unwrap(), tag);
    assert!(unchanged.bytes().await.unwrap().is_empty());
    // Another tag (an older file) gets the file.
    let changed = app
        .client
        .get(app.url("/assets/edumarkt.css"))
        .header("if-none-match", "\"an-older-version\"")
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 200);
    assert!(!changed.bytes().await.unwrap().is_empty());
}

#[tokio::test]
async fn pages_and_stylesheets_travel_compressed_when_the_browser_takes_it() {
    let app = spawn_app().await;
    for path in [
        "/?q=rekenen",
        "/assets/utrecht-component-library-css-9.0.4/index.css",
        "/openapi.json",
    ] {
        let plain = app.client.get(app.url(path)).send().await.unwrap();
        assert!(plain.headers().get("content-encoding").is_none(), "{path}");
        let plain = plain.bytes().await.unwrap().len();
        let compressed = app
            .client
            .get(app.url(path))
            .header("accept-encoding", "gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(compressed.status(), 200, "{path}");
        assert_eq!(compressed.headers()["content-encoding"], "gzip", "{path}");
        assert!(
            compressed.headers()["vary"]
                .to_str()
                .unwrap()
                .to_ascii_lowercase()
                .contains("accept-encoding"),
            "{path}"
        );
        let wire = compressed.bytes().await.unwrap().len();
        assert!(wire * 2 < plain, "{path}: {wire} of {plain} bytes");
    }
}

#[tokio::test]
async fn a_search_engine_that_is_down_is_a_dutch_503_page_not_a_500() {
    let app = crate::helpers::spawn_app_with_search_down().await;
    let response = app.get("/?q=rekenen", None).await;
    assert_eq!(response.status(), 503);
    assert_eq!(response.headers()["retry-after"], "2");
    let (status, html) = page(&app, "/?q=rekenen").await;
    assert_eq!(status, 503);
    assert!(html.contains("Even niet beschikbaar"), "{html}");
    assert!(html.contains("lang=\"nl\""));
}

#[tokio::test]
async fn a_nul_in_a_pages_url_is_a_dutch_400_page_and_the_api_keeps_its_problem() {
    let app = spawn_app().await;
    for path in [
        "/aanbod/%00",
        "/?q=%00",
        "/?q=lezen&sector=po%00",
        "/aanbieders/ab%00cd",
        "/beheer/aanbod/%00/geschiedenis",
    ] {
        let (status, html) = page(&app, path).await;
        assert_eq!(status, 400, "{path}: {html}");
        assert!(html.contains(r#"<html lang="nl""#), "{path}: {html}");
        assert!(html.contains("Ongeldige invoer"), "{path}: {html}");
    }
    for path in [
        "/v1/search/offerings?q=%00",
        "/v1/offerings/%00",
        "/health/live?x=%00",
        "/assets/edumarkt.css?v=%00",
    ] {
        let response = app.get(path, None).await;
        assert_eq!(response.status(), 422, "{path}");
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json",
            "{path}"
        );
    }
}
