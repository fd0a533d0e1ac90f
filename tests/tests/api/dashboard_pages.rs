//! A provider's dashboard (`/beheer`) as a browser receives it: the providers and offerings in
//! every state, the offering form with the API's own validation, the lost-update protection of
//! edits, publishing and archiving, the history, and who may see what. The journeys in a real
//! browser are `browser::a_provider_creates_fixes_publishes_and_finds_an_offering` and
//! `browser::a_second_tab_cannot_overwrite_the_first_tabs_save`.

use serde_json::{Value, json};

use crate::account_pages::{Browser, Page};
use crate::helpers::{PASSWORD, TestApp, User, offering_body, school_body, spawn_app};

/// The form fields of `offering_body()` as the offering form posts them (prices in euros).
fn form_of(body: &Value) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    for (name, value) in body.as_object().unwrap() {
        match (name.as_str(), value) {
            ("price_min_cents" | "price_max_cents", Value::Number(cents)) => {
                let euros = cents.as_i64().unwrap() / 100;
                fields.push((name.replace("_cents", ""), euros.to_string()));
            }
            ("evidence_sources", Value::Array(items)) => {
                let lines: Vec<&str> = items.iter().map(|i| i.as_str().unwrap()).collect();
                fields.push((name.clone(), lines.join("\n")));
            }
            (_, Value::Array(items)) => {
                for item in items {
                    fields.push((name.clone(), item.as_str().unwrap().to_owned()));
                }
            }
            (_, Value::String(text)) => fields.push((name.clone(), text.clone())),
            _ => {}
        }
    }
    fields
}

fn set(fields: &mut Vec<(String, String)>, name: &str, value: &str) {
    fields.retain(|(n, _)| n != name);
    fields.push((name.to_owned(), value.to_owned()));
}

/// Posts `fields` and the page's CSRF token (and nothing else) to `action`.
async fn post_form(
    browser: &mut Browser<'_>,
    csrf: &str,
    action: &str,
    fields: &[(String, String)],
) -> Page {
    let mut pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    pairs.push(("csrf", csrf));
    browser.post(action, &pairs).await
}

/// The value of the hidden field `name` of a page.
pub(crate) fn hidden(html: &str, name: &str) -> String {
    let marker = format!(r#"name="{name}" value=""#);
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} in {html}"))
        + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

/// The controls in error on a page (`veld-<name>-fout`), sorted.
fn fields_in_error(html: &str) -> Vec<String> {
    let mut fields: Vec<String> = html
        .match_indices(r#"<p class="utrecht-form-field-error-message" id="veld-"#)
        .map(|(at, m)| {
            let rest = &html[at + m.len()..];
            rest[..rest.find("-fout").unwrap()].to_owned()
        })
        .collect();
    fields.sort();
    fields
}

/// A provider whose admin is logged in in a browser; returns (admin, provider id, browser).
async fn logged_in_provider<'a>(
    app: &'a TestApp,
    email: &str,
    kvk: &str,
) -> (User, String, Browser<'a>) {
    let (admin, provider) = app.provider(email, kvk).await;
    let mut browser = Browser::new(app);
    let login = browser.log_in(email, PASSWORD).await;
    assert_eq!(login.status, 303, "{}", login.html);
    (admin, provider, browser)
}

/// How many offerings the provider has, in every state.
async fn offerings_of(app: &TestApp, user: &User, provider: &str) -> usize {
    let listed: Value = app
        .get(
            &format!("/v1/providers/{provider}/offerings"),
            Some(&user.access),
        )
        .await
        .json()
        .await
        .unwrap();
    listed["items"].as_array().unwrap().len()
}

/// Publishes (`publiceren`) or archives (`archiveren`) from a page showing `version`.
async fn move_offering(
    browser: &mut Browser<'_>,
    path: &str,
    step: &str,
    csrf: &str,
    version: &str,
) -> Page {
    browser
        .post(
            &format!("{path}/{step}"),
            &[("csrf", csrf), ("versie", version)],
        )
        .await
}

async fn offering(app: &TestApp, user: &User, id: &str) -> Value {
    let response = app
        .get(&format!("/v1/offerings/{id}"), Some(&user.access))
        .await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

#[tokio::test]
async fn the_dashboard_lists_the_providers_profile_and_offerings_in_every_state() {
    let app = spawn_app().await;
    let (admin, provider, mut browser) =
        logged_in_provider(&app, "admin@aanbieder.nl", "12345678").await;
    let mut draft = offering_body();
    draft["title"] = json!("Concept voor later");
    app.draft(&admin, &provider, &draft).await;
    app.publish(&admin, &provider, &offering_body()).await;
    let mut archived = offering_body();
    archived["title"] = json!("Oude training");
    let archived = app.publish(&admin, &provider, &archived).await;
    let response = app
        .post(
            &format!("/v1/offerings/{archived}/archive"),
            &json!({}),
            Some(&admin.access),
        )
        .await;
    assert_eq!(response.status(), 200);

    let page = browser.get("/beheer").await;
    assert_eq!(page.status, 200, "{}", page.html);
    for expected in [
        "Beheer van uw aanbod",
        "Leren &#38; Co",
        "12345678",
        "beheerder aanbieder",
        "Concept voor later",
        "Dyslexie-aanpak in de klas",
        "Oude training",
        ">concept<",
        ">gepubliceerd<",
        ">gearchiveerd<",
        &format!(r#"href="/beheer/aanbieders/{provider}/nieuw-aanbod""#),
        &format!(r#"href="/aanbieders/{provider}""#),
        &format!(r#"href="/beheer/aanbod/{archived}/geschiedenis""#),
        // The menu links here and marks it as the current page.
        r#"href="/beheer" aria-current="page""#,
    ] {
        assert!(page.html.contains(expected), "{expected} in {}", page.html);
    }
    // Every page's menu offers the dashboard to the provider's staff.
    assert!(browser.get("/").await.html.contains(r#"href="/beheer""#));

    // An editor manages the same offerings.
    let editor = app.user("redacteur@aanbieder.nl").await;
    let joined = app
        .join(&admin, &provider, &editor, "provider_editor")
        .await;
    assert_eq!(joined.status(), 200, "{:?}", joined.text().await);
    let mut editors = Browser::new(&app);
    editors.log_in("redacteur@aanbieder.nl", PASSWORD).await;
    let page = editors.get("/beheer").await;
    assert_eq!(page.status, 200);
    assert!(page.html.contains("redacteur aanbieder"));
    assert!(page.html.contains("Concept voor later"));
}

#[tokio::test]
async fn the_form_names_every_error_the_api_names_at_once_and_keeps_what_was_typed() {
    let app = spawn_app().await;
    let (admin, provider, mut browser) =
        logged_in_provider(&app, "admin@aanbieder.nl", "12345678").await;
    let new = format!("/beheer/aanbieders/{provider}/nieuw-aanbod");
    let form = browser.get(&new).await;
    assert_eq!(form.status, 200, "{}", form.html);
    // Every choice comes from the taxonomy with its Dutch label.
    for expected in [
        r#"<optgroup label="leerlingenzorg en -ondersteuning">"#,
        r#"name="sectors" value="po""#,
        r#"name="regions" value="landelijk""#,
        r#"<option value="per_deelnemer">"#,
        r#"name="themes" value="inclusief_onderwijs""#,
        r#"<option value="geen" selected>"#,
    ] {
        assert!(form.html.contains(expected), "{expected} in {}", form.html);
    }

    let mut fields = form_of(&offering_body());
    set(&mut fields, "title", "Mijn <b>training</b>");
    set(&mut fields, "summary", "   ");
    set(&mut fields, "service_type", "prof_teamleiders");
    fields.retain(|(n, _)| n != "sectors" && n != "evidence_sources");
    set(&mut fields, "price_min", "vijftig");
    let refused = post_form(&mut browser, &form.csrf(), &new, &fields).await;
    assert_eq!(refused.status, 400, "{}", refused.html);
    for expected in [
        "Er is een probleem",
        "Korte samenvatting: vul dit in",
        "Soort dienst: deze soort dienst hoort bij een ander domein",
        "Sectoren: kies er minstens één",
        "Prijs vanaf (euro): vul een bedrag in euro&#39;s in",
        "Bronnen van de onderbouwing: een onderbouwing boven ‘geen’ heeft minstens één bron nodig",
        r##"href="#veld-sectors""##,
        // What was typed stays, escaped.
        r#"value="Mijn &#60;b&#62;training&#60;/b&#62;""#,
        r#"value="vijftig""#,
        r#"<option value="prof_teamleiders" selected>"#,
        r#"name="regions" value="gelderland" checked"#,
        r#"aria-describedby="veld-sectors-fout""#,
    ] {
        assert!(
            refused.html.contains(expected),
            "{expected} in {}",
            refused.html
        );
    }
    // The same fields as the API names for the same offering (a price it cannot read is no
    // price to the API: required there, unreadable here).
    let mut body = offering_body();
    body["summary"] = json!("   ");
    body["service_type"] = json!("prof_teamleiders");
    body["sectors"] = json!([]);
    body["evidence_sources"] = json!([]);
    body["price_min_cents"] = Value::Null;
    let api = app
        .post(
            &format!("/v1/providers/{provider}/offerings"),
            &body,
            Some(&admin.access),
        )
        .await;
    assert_eq!(api.status(), 422);
    let problem: Value = api.json().await.unwrap();
    let mut api_fields: Vec<String> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().replace("_cents", ""))
        .collect();
    api_fields.sort();
    assert_eq!(fields_in_error(&refused.html), api_fields, "{problem}");
    assert_eq!(
        offerings_of(&app, &admin, &provider).await,
        0,
        "nothing was created"
    );

    // Fixed, it is saved as a draft and the browser lands on its page.
    let mut fields = form_of(&offering_body());
    set(&mut fields, "title", "Mijn <b>training</b>");
    set(&mut fields, "price_min", "1.250,50");
    set(&mut fields, "price_max", "");
    let created = post_form(&mut browser, &refused.csrf(), &new, &fields).await;
    assert_eq!(created.status, 303, "{}", created.html);
    let location = created.location.unwrap();
    assert!(location.ends_with("?melding=aangemaakt"), "{location}");
    let id = location
        .trim_start_matches("/beheer/aanbod/")
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let stored = offering(&app, &admin, &id).await;
    assert_eq!(stored["title"], "Mijn <b>training</b>");
    assert_eq!(stored["status"], "draft");
    assert_eq!(stored["price_min_cents"], 125_050);
    assert_eq!(stored["sectors"], json!(["po", "so"]));
    assert_eq!(
        stored["evidence_sources"],
        offering_body()["evidence_sources"]
    );
    let page = browser.get(&location).await;
    assert_eq!(page.status, 200);
    assert!(page.html.contains("Het aanbod is opgeslagen als concept"));
    assert!(page.html.contains(r#"value="1250,50""#), "{}", page.html);
    assert!(
        page.html
            .contains(r#"<input type="hidden" name="versie" value="1">"#)
    );
}

#[tokio::test]
async fn a_save_based_on_an_older_version_is_refused_and_the_typed_text_is_kept() {
    let app = spawn_app().await;
    let (admin, provider, mut browser) =
        logged_in_provider(&app, "admin@aanbieder.nl", "12345678").await;
    let (draft, etag) = app.draft(&admin, &provider, &offering_body()).await;
    let id = draft["id"].as_str().unwrap();
    let path = format!("/beheer/aanbod/{id}");
    let form = browser.get(&path).await;
    assert_eq!(form.status, 200, "{}", form.html);
    assert_eq!(hidden(&form.html, "versie"), "1");

    // A colleague saves first.
    let changed = app
        .patch(
            &format!("/v1/offerings/{id}"),
            &json!({"summary": "Nieuwe samenvatting van de collega."}),
            &admin.access,
            Some(&etag),
        )
        .await;
    assert_eq!(changed.status(), 200);

    let mut fields = form_of(&offering_body());
    set(&mut fields, "title", "Mijn zorgvuldig getypte titel");
    set(&mut fields, "versie", "1");
    // As a browser sends a text area's line breaks.
    set(
        &mut fields,
        "description",
        "Eerste alinea.\r\n\r\nTweede alinea.",
    );
    let refused = post_form(&mut browser, &form.csrf(), &path, &fields).await;
    assert_eq!(refused.status, 409, "{}", refused.html);
    for expected in [
        "Iemand anders heeft dit aanbod gewijzigd nadat u het opende",
        r##"href="#wijzigingen""##,
        "Intussen gewijzigd",
        "Korte samenvatting",
        "Nieuwe samenvatting van de collega.",
        r#"value="Mijn zorgvuldig getypte titel""#,
        // The field the visitor left alone takes the colleague's edit.
        ">Nieuwe samenvatting van de collega.</textarea>",
    ] {
        assert!(
            refused.html.contains(expected),
            "{expected} in {}",
            refused.html
        );
    }
    // Nothing of the stale form was saved.
    let stored = offering(&app, &admin, id).await;
    assert_eq!(stored["title"], "Dyslexie-aanpak in de klas");
    // The form now names the current version: saving again is a choice made knowing the
    // other change.
    assert_eq!(hidden(&refused.html, "versie"), "2");
    set(&mut fields, "versie", "2");
    // The form posts what the page now holds: the merged summary too.
    set(
        &mut fields,
        "summary",
        "Nieuwe samenvatting van de collega.",
    );
    let saved = post_form(&mut browser, &refused.csrf(), &path, &fields).await;
    assert_eq!(saved.status, 303, "{}", saved.html);
    assert_eq!(
        saved.location.as_deref(),
        Some(format!("{path}?melding=opgeslagen").as_str())
    );
    let stored = offering(&app, &admin, id).await;
    assert_eq!(stored["title"], "Mijn zorgvuldig getypte titel");
    assert_eq!(stored["summary"], "Nieuwe samenvatting van de collega.");
    assert_eq!(stored["description"], "Eerste alinea.\n\nTweede alinea.");

    // A version that is no number is no version we issued: refused too.
    set(&mut fields, "versie", "abc");
    let csrf = browser.get(&path).await.csrf();
    let odd = post_form(&mut browser, &csrf, &path, &fields).await;
    assert_eq!(odd.status, 409);
    // An invalid edit keeps the version it was loaded at, and what was typed.
    set(&mut fields, "versie", "3");
    set(&mut fields, "title", "");
    let invalid = post_form(&mut browser, &odd.csrf(), &path, &fields).await;
    assert_eq!(invalid.status, 400, "{}", invalid.html);
    assert!(invalid.html.contains("Titel: vul dit in"));
    assert_eq!(hidden(&invalid.html, "versie"), "3");
}

#[tokio::test]
async fn publishing_and_archiving_from_the_page_with_its_history() {
    let app = spawn_app().await;
    let (admin, provider, mut browser) =
        logged_in_provider(&app, "admin@aanbieder.nl", "12345678").await;
    let (draft, _) = app.draft(&admin, &provider, &offering_body()).await;
    let id = draft["id"].as_str().unwrap();
    let path = format!("/beheer/aanbod/{id}");
    let page = browser.get(&path).await;
    assert!(
        page.html
            .contains(&format!(r#"action="{path}/publiceren""#))
    );
    assert!(
        page.html
            .contains(&format!(r#"action="{path}/archiveren""#))
    );
    let csrf = page.csrf();

    let published = move_offering(&mut browser, &path, "publiceren", &csrf, "1").await;
    assert_eq!(published.status, 303, "{}", published.html);
    assert_eq!(offering(&app, &admin, id).await["status"], "published");
    let page = browser.get(published.location.as_deref().unwrap()).await;
    assert!(page.html.contains("Het aanbod is gepubliceerd"));
    assert!(
        page.html.contains(&format!(r#"href="/aanbod/{id}""#)),
        "a link to its public page"
    );
    assert!(
        !page
            .html
            .contains(&format!(r#"action="{path}/publiceren""#))
    );
    app.sync_search().await;
    assert!(
        browser
            .get("/?q=dyslexie")
            .await
            .html
            .contains(&format!(r#"href="/aanbod/{id}""#))
    );

    // A page showing an older version cannot move it, nor can a move be done twice.
    let stale = move_offering(&mut browser, &path, "archiveren", &csrf, "1").await;
    assert_eq!(stale.status, 409);
    assert!(stale.html.contains("gewijzigd sinds u de pagina opende"));
    let again = move_offering(&mut browser, &path, "publiceren", &csrf, "2").await;
    assert_eq!(again.status, 409);
    assert!(again.html.contains("Het aanbod staat al zo"));

    let archived = move_offering(&mut browser, &path, "archiveren", &csrf, "2").await;
    assert_eq!(archived.status, 303);
    assert_eq!(offering(&app, &admin, id).await["status"], "archived");
    let page = browser.get(&path).await;
    assert!(page.html.contains("Opnieuw publiceren"));

    // An edit by a colleague, then the history, newest first.
    let colleague = app.user("collega@aanbieder.nl").await;
    app.join(&admin, &provider, &colleague, "provider_editor")
        .await;
    let etag = app
        .get(&format!("/v1/offerings/{id}"), Some(&admin.access))
        .await
        .headers()["etag"]
        .to_str()
        .unwrap()
        .to_owned();
    let edited = app
        .patch(
            &format!("/v1/offerings/{id}"),
            &json!({"title": "Nieuwe titel", "themes": []}),
            &colleague.access,
            Some(&etag),
        )
        .await;
    assert_eq!(edited.status(), 200);
    let history = browser.get(&format!("{path}/geschiedenis")).await;
    assert_eq!(history.status, 200, "{}", history.html);
    let order: Vec<usize> = [
        "Gewijzigd: Titel, Thema&#39;s",
        "Gearchiveerd",
        "Gepubliceerd",
        "Aangemaakt als concept",
    ]
    .iter()
    .map(|what| {
        history
            .html
            .find(what)
            .unwrap_or_else(|| panic!("{what} in {}", history.html))
    })
    .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "newest first: {order:?}"
    );
    assert!(history.html.contains(">een collega<"));
    assert!(history.html.contains(">u<"));
}

#[tokio::test]
async fn only_the_providers_staff_reach_its_offerings_and_others_are_told_in_dutch() {
    let app = spawn_app().await;
    let (admin, provider) = app.provider("admin@aanbieder.nl", "12345678").await;
    let (draft, _) = app.draft(&admin, &provider, &offering_body()).await;
    let draft = draft["id"].as_str().unwrap().to_owned();
    let published = app.publish(&admin, &provider, &offering_body()).await;
    let (_, _, mut other) = logged_in_provider(&app, "ander@aanbieder.nl", "87654321").await;

    // Another provider: someone else's draft does not exist, a published one is not theirs.
    for (path, status) in [
        (format!("/beheer/aanbod/{draft}"), 404),
        (format!("/beheer/aanbod/{draft}/geschiedenis"), 404),
        (format!("/beheer/aanbod/{published}"), 403),
        (format!("/beheer/aanbod/{published}/geschiedenis"), 403),
        (format!("/beheer/aanbieders/{provider}/nieuw-aanbod"), 403),
    ] {
        let page = other.get(&path).await;
        assert_eq!(page.status, status, "{path}: {}", page.html);
        let heading = if status == 404 {
            "Pagina niet gevonden"
        } else {
            "Geen toegang"
        };
        assert!(page.html.contains(heading), "{path}: {}", page.html);
    }
    let csrf = other.get("/beheer").await.csrf();
    let mut fields = form_of(&offering_body());
    set(&mut fields, "title", "Overgenomen");
    set(&mut fields, "versie", "2");
    let posts = [
        (format!("/beheer/aanbod/{published}"), 403),
        (format!("/beheer/aanbod/{draft}"), 404),
        (format!("/beheer/aanbod/{published}/archiveren"), 403),
        (format!("/beheer/aanbod/{draft}/publiceren"), 404),
        (format!("/beheer/aanbieders/{provider}/nieuw-aanbod"), 403),
    ];
    for (path, status) in posts {
        let page = post_form(&mut other, &csrf, &path, &fields).await;
        assert_eq!(page.status, status, "{path}: {}", page.html);
    }
    let stored = offering(&app, &admin, &published).await;
    assert_eq!(
        (stored["title"].as_str(), stored["status"].as_str()),
        (Some("Dyslexie-aanpak in de klas"), Some("published"))
    );
    assert_eq!(offering(&app, &admin, &draft).await["status"], "draft");

    // A teacher has no dashboard, and no link to one.
    app.user("leraar@school.nl").await;
    let mut teacher = Browser::new(&app);
    teacher.log_in("leraar@school.nl", PASSWORD).await;
    let page = teacher.get("/beheer").await;
    assert_eq!(page.status, 403);
    assert!(page.html.contains("Geen aanbieder om te beheren"));
    assert!(
        !teacher
            .get("/account")
            .await
            .html
            .contains(r#"href="/beheer""#)
    );

    // Logged out: sent to log in, and back after.
    let mut visitor = Browser::new(&app);
    let path = format!("/beheer/aanbod/{draft}");
    let sent = visitor.get(&path).await;
    assert_eq!(sent.status, 303);
    let login = sent.location.unwrap();
    assert_eq!(
        login,
        format!("/inloggen?terug=%2Fbeheer%2Faanbod%2F{draft}")
    );
    let form = visitor.get(&login).await;
    assert!(
        form.html
            .contains(&format!(r#"name="terug" value="{path}""#))
    );
    let back = visitor
        .submit(
            &login,
            "/inloggen",
            &[
                ("email", "admin@aanbieder.nl"),
                ("password", PASSWORD),
                ("terug", &path),
            ],
        )
        .await;
    assert_eq!(
        back.location.as_deref(),
        Some(path.as_str()),
        "{}",
        back.html
    );
    assert_eq!(visitor.get(&path).await.status, 200);
    // A logged-out post is sent to log in too, and changes nothing.
    let mut stranger = Browser::new(&app);
    let posted = stranger
        .post(
            &format!("/beheer/aanbod/{draft}/publiceren"),
            &[("versie", "1")],
        )
        .await;
    assert_eq!(posted.status, 303);
    assert_eq!(offering(&app, &admin, &draft).await["status"], "draft");
}

#[tokio::test]
async fn no_dashboard_form_works_without_its_csrf_token() {
    let app = spawn_app().await;
    let (admin, provider, mut browser) =
        logged_in_provider(&app, "admin@aanbieder.nl", "12345678").await;
    let (draft, _) = app.draft(&admin, &provider, &offering_body()).await;
    let id = draft["id"].as_str().unwrap();
    let (_, _, mut other) = logged_in_provider(&app, "ander@aanbieder.nl", "87654321").await;
    let others_token = other.get("/beheer").await.csrf();
    let mut fields = form_of(&offering_body());
    set(&mut fields, "title", "Vervalst");
    set(&mut fields, "versie", "1");
    let actions = [
        format!("/beheer/aanbieders/{provider}/nieuw-aanbod"),
        format!("/beheer/aanbod/{id}"),
        format!("/beheer/aanbod/{id}/publiceren"),
        format!("/beheer/aanbod/{id}/archiveren"),
    ];
    for csrf in [
        None,
        Some(""),
        Some("bm90LWEtdG9rZW4"),
        Some(others_token.as_str()),
    ] {
        for action in &actions {
            let mut pairs: Vec<(&str, &str)> = fields
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .collect();
            if let Some(csrf) = csrf {
                pairs.push(("csrf", csrf));
            }
            let refused = browser.post(action, &pairs).await;
            assert_eq!(refused.status, 403, "{action} {csrf:?}");
            assert!(
                refused.html.contains("Formulier verlopen"),
                "{}",
                refused.html
            );
        }
    }
    let stored = offering(&app, &admin, id).await;
    assert_eq!(
        (stored["title"].as_str(), stored["status"].as_str()),
        (Some("Dyslexie-aanpak in de klas"), Some("draft"))
    );
    assert_eq!(offerings_of(&app, &admin, &provider).await, 1);
}

#[tokio::test]
async fn odd_input_in_the_url_or_the_form_never_answers_500() {
    let app = spawn_app().await;
    let (admin, provider, mut browser) =
        logged_in_provider(&app, "admin@aanbieder.nl", "12345678").await;
    let (draft, _) = app.draft(&admin, &provider, &offering_body()).await;
    let id = draft["id"].as_str().unwrap();
    // As the API reads it (with its review figures), before any of the forms below.
    let before = offering(&app, &admin, id).await;
    for path in [
        "/beheer/aanbod/geen-uuid",
        "/beheer/aanbod/0198c2a0-0000-7000-8000-000000000000",
        "/beheer/aanbod/geen-uuid/geschiedenis",
        "/beheer/aanbieders/geen-uuid/nieuw-aanbod",
        "/beheer/aanbieders/0198c2a0-0000-7000-8000-000000000000/nieuw-aanbod",
    ] {
        let page = browser.get(path).await;
        assert_eq!(page.status, 404, "{path}: {}", page.html);
        assert!(page.html.contains("Pagina niet gevonden"));
    }
    let csrf = browser.get("/beheer").await.csrf();
    let path = format!("/beheer/aanbod/{id}");
    let huge = "x".repeat(100_000);
    let many: Vec<String> = (0..300).map(|i| format!("onbekend{i}")).collect();
    let cases: Vec<(&str, &str, &str)> = vec![
        (
            "title",
            "Titel\0met nul",
            "Titel: gebruik geen onzichtbare stuurtekens",
        ),
        ("title", &huge, "Titel: gebruik hoogstens 150 tekens"),
        (
            "description",
            "regel\u{7}",
            "Beschrijving: gebruik geen onzichtbare stuurtekens",
        ),
        (
            "evidence_sources",
            "https://www.nji.nl/x\0y",
            "Bronnen van de onderbouwing: bron 1 ",
        ),
        (
            "evidence_sources",
            "javascript:alert(1)",
            "bron 1 is geen geldige https-link",
        ),
        (
            "price_min",
            "99999999999999999999",
            "Prijs vanaf (euro): vul een bedrag in euro",
        ),
        (
            "price_min",
            "-5",
            "Prijs vanaf (euro): vul een bedrag in van € 0",
        ),
        (
            "price_max",
            "10",
            "Prijs tot en met (euro): vul een bedrag in van € 0 tot € 100.000.000, niet lager",
        ),
        (
            "domain",
            "\0",
            "Domein: kies een van de mogelijkheden uit de lijst",
        ),
        (
            "sectors",
            "hbo",
            "Sectoren: kies een van de mogelijkheden uit de lijst",
        ),
        (
            "themes",
            &many[0],
            "Thema&#39;s: kies een van de mogelijkheden uit de lijst",
        ),
    ];
    for (field, value, message) in cases {
        let mut fields = form_of(&offering_body());
        if field == "sectors" || field == "themes" {
            fields.push((field.to_owned(), value.to_owned()));
        } else {
            set(&mut fields, field, value);
        }
        if field == "themes" {
            for more in &many {
                fields.push(("themes".to_owned(), more.clone()));
            }
        }
        set(&mut fields, "versie", "1");
        let page = post_form(&mut browser, &csrf, &path, &fields).await;
        assert_eq!(
            page.status,
            400,
            "{field}: {}",
            &page.html[..page.html.len().min(3000)]
        );
        assert!(
            page.html.contains(message),
            "{message} in {}",
            &page.html[..page.html.len().min(20_000)]
        );
    }
    let stored = offering(&app, &admin, id).await;
    assert_eq!(stored, before, "nothing was saved");
    // A NUL in the path is refused at the edge, before any page.
    assert!(browser.get("/beheer/aanbod/%00").await.status < 500);
}

/// Fails unless `page` holds each of `expected`, naming the first missing.
fn assert_shows(page: &Page, expected: &[&str]) {
    for text in expected {
        assert!(page.html.contains(text), "{text} in {}", page.html);
    }
}

/// A provider profile's form fields as its form posts them (a text area's breaks as CRLF).
fn profile_fields() -> Vec<(String, String)> {
    [
        ("name", "Leren & Co Onderwijsadvies"),
        ("provider_kind", "non_profit"),
        ("sectors", "po"),
        ("sectors", "vo"),
        ("province", "utrecht"),
        ("website", "https://www.lerenenco.nl"),
        (
            "description",
            "Wij begeleiden scholen.\r\n\r\nAl twintig jaar.",
        ),
        ("regions", "utrecht"),
        ("regions", "gelderland"),
        ("contact_email", "info@lerenenco.nl"),
        ("contact_phone", "030 123 4567"),
    ]
    .into_iter()
    .map(|(n, v)| (n.to_owned(), v.to_owned()))
    .collect()
}

/// The organisation as the API shows it, with its ETag.
async fn organization(app: &TestApp, user: &User, id: &str) -> (Value, String) {
    let response = app
        .get(&format!("/v1/organizations/{id}"), Some(&user.access))
        .await;
    assert_eq!(response.status(), 200);
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    (response.json().await.unwrap(), etag)
}

#[tokio::test]
async fn the_profile_is_changed_from_the_dashboard_and_shown_there() {
    let app = spawn_app().await;
    let (admin, provider, mut browser) =
        logged_in_provider(&app, "admin@aanbieder.nl", "12345678").await;
    let path = format!("/beheer/aanbieders/{provider}/profiel");
    let dashboard = browser.get("/beheer").await;
    assert!(
        dashboard.html.contains(&format!(r#"href="{path}""#)),
        "the profile section links to its form: {}",
        dashboard.html
    );
    let form = browser.get(&path).await;
    assert_eq!(form.status, 200, "{}", form.html);
    assert_shows(
        &form,
        &[
            "Profiel wijzigen",
            r#"<input type="hidden" name="versie" value="1">"#,
            r#"value="Leren &#38; Co""#,
            r#"<option value="commercieel" selected>"#,
            r#"id="veld-sectors-po" name="sectors" value="po" checked"#,
            r#"<label class="utrecht-form-label" for="veld-contact_phone">Telefoonnummer</label>"#,
            r#"aria-describedby="veld-website-hint""#,
            &format!(r#"action="{path}""#),
        ],
    );

    let saved = post_form(&mut browser, &form.csrf(), &path, &{
        let mut fields = profile_fields();
        set(&mut fields, "versie", "1");
        fields
    })
    .await;
    assert_eq!(saved.status, 303, "{}", saved.html);
    assert_eq!(
        saved.location.as_deref(),
        Some(format!("{path}?melding=opgeslagen").as_str())
    );
    let (stored, _) = organization(&app, &admin, &provider).await;
    assert_eq!(stored["name"], "Leren & Co Onderwijsadvies");
    assert_eq!(stored["provider_kind"], "non_profit");
    assert_eq!(stored["sectors"], json!(["po", "vo"]));
    assert_eq!(stored["regions"], json!(["utrecht", "gelderland"]));
    assert_eq!(stored["province"], "utrecht");
    assert_eq!(stored["website"], "https://www.lerenenco.nl");
    assert_eq!(
        stored["description"],
        "Wij begeleiden scholen.\n\nAl twintig jaar."
    );
    assert_eq!(stored["contact_email"], "info@lerenenco.nl");
    assert_eq!(stored["contact_phone"], "030 123 4567");
    let page = browser.get(saved.location.as_deref().unwrap()).await;
    assert!(page.html.contains("Het profiel is opgeslagen."));
    assert_eq!(hidden(&page.html, "versie"), "2");
    let dashboard = browser.get("/beheer").await;
    assert_shows(
        &dashboard,
        &[
            "Leren &#38; Co Onderwijsadvies",
            "stichting, vereniging of sectorraad",
            "info@lerenenco.nl",
            "030 123 4567",
            "https://www.lerenenco.nl",
        ],
    );

    // An emptied box clears its value.
    let mut fields = profile_fields();
    set(&mut fields, "versie", "2");
    set(&mut fields, "contact_phone", "");
    set(&mut fields, "website", "  ");
    let cleared = post_form(&mut browser, &page.csrf(), &path, &fields).await;
    assert_eq!(cleared.status, 303, "{}", cleared.html);
    let (stored, _) = organization(&app, &admin, &provider).await;
    assert_eq!(stored["contact_phone"], Value::Null);
    assert_eq!(stored["website"], Value::Null);
    assert_eq!(stored["name"], "Leren & Co Onderwijsadvies");
}

#[tokio::test]
async fn the_profile_form_names_every_error_at_once_and_keeps_what_was_typed() {
    let app = spawn_app().await;
    let (admin, provider, mut browser) =
        logged_in_provider(&app, "admin@aanbieder.nl", "12345678").await;
    let path = format!("/beheer/aanbieders/{provider}/profiel");
    let form = browser.get(&path).await;
    let mut fields = profile_fields();
    set(&mut fields, "versie", "1");
    set(&mut fields, "name", "  ");
    set(&mut fields, "website", "www.zonder-schema");
    set(&mut fields, "contact_email", "geen-adres");
    set(&mut fields, "contact_phone", "bel ons");
    set(&mut fields, "description", &"x".repeat(5001));
    fields.push(("sectors".to_owned(), "hbo".to_owned()));
    let refused = post_form(&mut browser, &form.csrf(), &path, &fields).await;
    assert_eq!(refused.status, 400, "{}", refused.html);
    assert_eq!(
        fields_in_error(&refused.html),
        [
            "contact_email",
            "contact_phone",
            "description",
            "name",
            "sectors",
            "website"
        ]
    );
    assert_shows(
        &refused,
        &[
            "Er is een probleem",
            r##"<a class="utrecht-link" href="#veld-website">Website: vul een volledig webadres in"##,
            "Naam: vul dit in",
            "E-mailadres voor contact: vul een e-mailadres in",
            "Telefoonnummer: vul een telefoonnummer in",
            "Beschrijving: gebruik hoogstens 5.000 tekens",
            "Sectoren: kies een van de mogelijkheden uit de lijst",
            // What was typed is kept, the version it was loaded at too.
            r#"value="www.zonder-schema""#,
            r#"value="geen-adres""#,
            r#"value="bel ons""#,
            r#"id="veld-regions-gelderland" name="regions" value="gelderland" checked"#,
            r#"<option value="non_profit" selected>"#,
            r#"aria-describedby="veld-contact_phone-hint veld-contact_phone-fout" aria-invalid="true""#,
        ],
    );
    assert_eq!(hidden(&refused.html, "versie"), "1");
    let (stored, _) = organization(&app, &admin, &provider).await;
    assert_eq!(
        (stored["name"].as_str(), stored["website"].as_str()),
        (Some("Leren & Co"), None),
        "nothing was saved"
    );
}

#[tokio::test]
async fn a_profile_save_based_on_an_older_version_is_refused_and_the_typed_values_are_kept() {
    let app = spawn_app().await;
    let (admin, provider, mut browser) =
        logged_in_provider(&app, "admin@aanbieder.nl", "12345678").await;
    let path = format!("/beheer/aanbieders/{provider}/profiel");
    let form = browser.get(&path).await;
    assert_eq!(hidden(&form.html, "versie"), "1");

    // A colleague saves first, through the API, at the version the API last showed.
    let (_, etag) = organization(&app, &admin, &provider).await;
    let api = format!("/v1/organizations/{provider}");
    let change = json!({"contact_email": "collega@lerenenco.nl"});
    let changed = app.patch(&api, &change, &admin.access, Some(&etag)).await;
    assert_eq!(changed.status(), 200, "{:?}", changed.text().await);

    let mut fields = profile_fields();
    set(&mut fields, "versie", "1");
    set(&mut fields, "name", "Mijn zorgvuldig getypte naam");
    let refused = post_form(&mut browser, &form.csrf(), &path, &fields).await;
    assert_eq!(refused.status, 409, "{}", refused.html);
    assert_shows(
        &refused,
        &[
            "Iemand anders heeft dit profiel gewijzigd nadat u het opende",
            r##"href="#wijzigingen""##,
            r#"id="wijzigingen""#,
            "Nu opgeslagen",
            // What is stored now, where it differs from the form.
            "collega@lerenenco.nl",
            r#"value="Mijn zorgvuldig getypte naam""#,
            r#"value="info@lerenenco.nl""#,
        ],
    );
    let (stored, _) = organization(&app, &admin, &provider).await;
    assert_eq!(stored["name"], "Leren & Co", "nothing of the stale form");
    assert_eq!(stored["contact_email"], "collega@lerenenco.nl");
    // The form now names the current version: saving again overwrites knowingly.
    assert_eq!(hidden(&refused.html, "versie"), "2");
    set(&mut fields, "versie", "2");
    let saved = post_form(&mut browser, &refused.csrf(), &path, &fields).await;
    assert_eq!(saved.status, 303, "{}", saved.html);
    let (stored, _) = organization(&app, &admin, &provider).await;
    assert_eq!(stored["name"], "Mijn zorgvuldig getypte naam");

    // A version that is no number is no version we issued: refused too.
    set(&mut fields, "versie", "abc");
    let csrf = browser.get(&path).await.csrf();
    let odd = post_form(&mut browser, &csrf, &path, &fields).await;
    assert_eq!(odd.status, 409, "{}", odd.html);
}

#[tokio::test]
async fn only_the_providers_admins_change_its_profile_and_only_with_the_form_token() {
    let app = spawn_app().await;
    let (admin, provider) = app.provider("admin@aanbieder.nl", "12345678").await;
    let path = format!("/beheer/aanbieders/{provider}/profiel");
    let mut fields = profile_fields();
    set(&mut fields, "versie", "1");
    set(&mut fields, "name", "Overgenomen");

    // Another provider's admin, and the provider's own editor: no access, in Dutch.
    let (_, _, mut other) = logged_in_provider(&app, "ander@aanbieder.nl", "87654321").await;
    let editor = app.user("redacteur@aanbieder.nl").await;
    let joined = app
        .join(&admin, &provider, &editor, "provider_editor")
        .await;
    assert_eq!(joined.status(), 200, "{:?}", joined.text().await);
    let mut editors = Browser::new(&app);
    editors.log_in("redacteur@aanbieder.nl", PASSWORD).await;
    assert!(
        !editors.get("/beheer").await.html.contains(&path),
        "no link for an editor"
    );
    for browser in [&mut other, &mut editors] {
        let page = browser.get(&path).await;
        assert_eq!(page.status, 403, "{}", page.html);
        assert!(page.html.contains("Geen toegang"), "{}", page.html);
        let csrf = browser.get("/beheer").await.csrf();
        let posted = post_form(browser, &csrf, &path, &fields).await;
        assert_eq!(posted.status, 403, "{}", posted.html);
        assert!(posted.html.contains("Geen toegang"));
    }
    // A school is no provider; an unknown or malformed id names nothing.
    let school = app.organization(&admin, school_body("12AB")).await;
    let school = school["id"].as_str().unwrap();
    let mut admins = Browser::new(&app);
    admins.log_in("admin@aanbieder.nl", PASSWORD).await;
    for path in [
        format!("/beheer/aanbieders/{school}/profiel"),
        "/beheer/aanbieders/0198c2a0-0000-7000-8000-000000000000/profiel".to_owned(),
        "/beheer/aanbieders/geen-uuid/profiel".to_owned(),
    ] {
        let page = admins.get(&path).await;
        assert_eq!(page.status, 404, "{path}: {}", page.html);
        assert!(page.html.contains("Pagina niet gevonden"));
    }
    let csrf = admins.get("/beheer").await.csrf();
    let school_post = post_form(
        &mut admins,
        &csrf,
        &format!("/beheer/aanbieders/{school}/profiel"),
        &fields,
    )
    .await;
    assert_eq!(school_post.status, 404, "{}", school_post.html);

    // The admin's own form, without its token (or with another's): refused, nothing saved.
    let others_token = other.get("/beheer").await.csrf();
    for csrf in [None, Some(""), Some(others_token.as_str())] {
        let mut pairs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        if let Some(csrf) = csrf {
            pairs.push(("csrf", csrf));
        }
        let refused = admins.post(&path, &pairs).await;
        assert_eq!(refused.status, 403, "{csrf:?}");
        assert!(
            refused.html.contains("Formulier verlopen"),
            "{}",
            refused.html
        );
    }
    let (stored, _) = organization(&app, &admin, &provider).await;
    assert_eq!(stored["name"], "Leren & Co");
    let (stored, _) = organization(&app, &admin, school).await;
    assert_eq!(stored["name"], "OBS De Linde");

    // Logged out: sent to log in.
    let mut visitor = Browser::new(&app);
    let sent = visitor.get(&path).await;
    assert_eq!(sent.status, 303);
    assert!(sent.location.unwrap().starts_with("/inloggen"));
}
