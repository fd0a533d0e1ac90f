//! The shortlist pages as a browser receives them: saving from a comparison, an offering page
//! and the search results, a list shared within the organisation (colleagues read it, outsiders
//! get the 404 of a list that does not exist), changing it with CSRF tokens and the version the
//! page showed, and form errors that keep what was typed. The journey in a real browser is
//! `browser::a_school_leader_saves_three_compared_offerings_that_a_colleague_opens`.

use serde_json::{Value, json};

use crate::account_pages::{Browser, Page};
use crate::helpers::{PASSWORD, TestApp, school_body, spawn_app};
use crate::pages::market;

/// A market of three published offerings (and a draft), and a school whose leader manages it
/// and whose teacher is a member; an outsider has an account but belongs elsewhere.
struct School {
    ids: Vec<String>,
    draft: String,
    school: String,
    /// The outsider's own school.
    elsewhere: String,
}

const LEADER: &str = "leider@linde.nl";
const TEACHER: &str = "juf@linde.nl";
const OUTSIDER: &str = "buiten@elders.nl";

async fn school(app: &TestApp) -> School {
    let (ids, draft) = market(app).await;
    let leader = app.user(LEADER).await;
    let school = app.organization(&leader, school_body("12AB")).await;
    let school = school["id"].as_str().unwrap().to_owned();
    let teacher = app.user(TEACHER).await;
    assert_eq!(
        app.join(&leader, &school, &teacher, "teacher")
            .await
            .status(),
        200
    );
    let outsider = app.user(OUTSIDER).await;
    let elsewhere = app.organization(&outsider, school_body("99ZZ")).await;
    let elsewhere = elsewhere["id"].as_str().unwrap().to_owned();
    School {
        ids,
        draft,
        school,
        elsewhere,
    }
}

pub async fn logged_in<'a>(app: &'a TestApp, email: &str) -> Browser<'a> {
    let mut browser = Browser::new(app);
    let page = browser.log_in(email, PASSWORD).await;
    assert_eq!(page.status, 303, "{}", page.html);
    browser
}

/// The value of the hidden field `name` in the page's first form that has one.
pub fn hidden(page: &Page, name: &str) -> String {
    let marker = format!(r#"name="{name}" value=""#);
    let start = page
        .html
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} in {}", page.html))
        + marker.len();
    page.html[start..].split('"').next().unwrap().to_owned()
}

/// Posts `fields` to `action` as a form of `page` does: with its CSRF token and the version of
/// the list it showed.
async fn post_from(
    browser: &mut Browser<'_>,
    page: &Page,
    action: &str,
    fields: &[(&str, &str)],
) -> Page {
    let (csrf, version) = (page.csrf(), hidden(page, "versie"));
    let mut fields = fields.to_vec();
    fields.extend([("csrf", csrf.as_str()), ("versie", version.as_str())]);
    browser.post(action, &fields).await
}

/// Saves `ids` from the save page (where the search's button leads) as a new list of the
/// school named `name`; returns the list's path.
async fn save_new(browser: &mut Browser<'_>, school: &School, ids: &[&str], name: &str) -> String {
    let form = format!("/lijsten/bewaren?id={}", ids.join("&id="));
    let mut fields = vec![
        ("lijst", format!("nieuw:{}", school.school)),
        ("nieuwe_naam", name.to_owned()),
    ];
    fields.extend(ids.iter().map(|id| ("id", (*id).to_owned())));
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let saved = browser.submit(&form, "/lijsten/bewaren", &fields).await;
    assert_eq!(saved.status, 303, "{}", saved.html);
    let location = saved.location.unwrap();
    assert!(location.starts_with("/lijsten/"), "{location}");
    location
}

async fn api_list(app: &TestApp, path: &str, email: &str) -> Value {
    let user = app
        .login(email, PASSWORD)
        .await
        .json::<Value>()
        .await
        .unwrap();
    let id = path.trim_start_matches("/lijsten/");
    let response = app
        .get(
            &format!("/v1/shortlists/{id}"),
            user["access_token"].as_str(),
        )
        .await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

#[tokio::test]
async fn a_school_leader_saves_a_comparison_as_a_list_that_a_colleague_opens() {
    let app = spawn_app().await;
    let school = school(&app).await;
    let ids: Vec<&str> = school.ids.iter().map(String::as_str).collect();
    let mut leader = logged_in(&app, LEADER).await;

    // The comparison offers to save it, a new list of the school first.
    let compare = leader
        .get(&format!(
            "/vergelijken?id={}&aantal=400&eenheid=leerling",
            ids.join("&id=")
        ))
        .await;
    assert_eq!(compare.status, 200, "{}", compare.html);
    assert!(
        compare
            .html
            .contains("Bewaar deze vergelijking als keuzelijst")
    );
    assert!(
        compare.html.contains(&format!(
            r#"<option value="nieuw:{}" selected>Nieuwe lijst voor OBS De Linde</option>"#,
            school.school
        )),
        "{}",
        compare.html
    );
    assert!(compare.html.contains(r#"action="/lijsten/bewaren""#));

    let path = save_new(&mut leader, &school, &ids, "Dyslexie en rekenen 2027").await;
    let list = leader.get(&path).await;
    assert_eq!(list.status, 200, "{}", list.html);
    for expected in [
        r#"<h1 class="utrecht-heading-1">Dyslexie en rekenen 2027</h1>"#,
        "Gedeeld met: OBS De Linde",
        "3 aanbiedingen",
        "Vergelijk het aanbod op deze lijst",
        "Notitie opslaan",
        "Lijst hernoemen",
        "Ja, verwijder deze lijst voor iedereen",
    ] {
        assert!(list.html.contains(expected), "{expected} in {}", list.html);
    }
    // In the order compared, each linking to its page; the comparison of them all.
    let places: Vec<usize> = ids
        .iter()
        .map(|id| list.html.find(&format!(r#"href="/aanbod/{id}""#)).unwrap())
        .collect();
    assert!(places.windows(2).all(|p| p[0] < p[1]), "in order");
    assert!(list.html.contains(&format!(
        r#"href="/vergelijken?id={}&#38;id={}&#38;id={}""#,
        ids[0], ids[1], ids[2]
    )));
    // The header leads to the lists.
    assert!(
        list.html
            .contains(r#"href="/lijsten" aria-current="page">Mijn keuzelijsten"#)
    );

    // A colleague opens the shared link: she reads it, without the forms to change it.
    let mut teacher = logged_in(&app, TEACHER).await;
    let overview = teacher.get("/lijsten").await;
    assert_eq!(overview.status, 200);
    assert!(
        overview
            .html
            .contains(&format!(r#"href="{path}">Dyslexie en rekenen 2027</a>"#))
    );
    assert!(overview.html.contains("3 aanbiedingen"));
    let shared = teacher.get(&path).await;
    assert_eq!(shared.status, 200, "{}", shared.html);
    assert!(shared.html.contains("Dyslexie-aanpak in de klas"));
    assert!(shared.html.contains("Alleen de maker en de beheerders"));
    assert!(shared.html.contains("Notitie: geen notitie"));
    for form in ["/notitie", "/naam", "/verwijderen", "/weghalen"] {
        assert!(
            !shared.html.contains(&format!(r#"{path}{form}""#)),
            "{form}"
        );
    }
    // The same list through the API, from the same use case.
    let api = api_list(&app, &path, TEACHER).await;
    assert_eq!(api["name"], "Dyslexie en rekenen 2027");
    assert_eq!(api["items"].as_array().unwrap().len(), 3);
    assert_eq!(api["items"][0]["offering_id"], ids[0]);
}

/// Every form that changes the list at `path` (what it posts besides its CSRF token and the
/// version), and the save form adding to the list.
fn changes<'a>(school: &'a School, path: &'a str) -> Vec<(String, Vec<(&'a str, &'a str)>)> {
    let offering = school.ids[0].as_str();
    vec![
        (format!("{path}/naam"), vec![("naam", "Nep")]),
        (
            format!("{path}/notitie"),
            vec![("aanbod", offering), ("notitie", "Nep")],
        ),
        (format!("{path}/weghalen"), vec![("aanbod", offering)]),
        (format!("{path}/verwijderen"), vec![("bevestig", "ja")]),
        (
            "/lijsten/bewaren".to_owned(),
            vec![
                ("lijst", &path["/lijsten/".len()..]),
                ("id", &school.ids[1]),
            ],
        ),
    ]
}

/// Posts each of `changes` with the browser's own valid token: each must be refused with
/// `status` and its Dutch page.
async fn every_change_refused(
    browser: &mut Browser<'_>,
    school: &School,
    path: &str,
    version: &str,
    status: u16,
    heading: &str,
) {
    let csrf = browser.get("/lijsten").await.csrf();
    for (action, mut fields) in changes(school, path) {
        fields.extend([("csrf", csrf.as_str()), ("versie", version)]);
        let refused = browser.post(&action, &fields).await;
        assert_eq!(refused.status, status, "{action}: {}", refused.html);
        assert!(refused.html.contains(heading), "{action}");
    }
}

#[tokio::test]
async fn outsiders_get_the_404_of_an_unknown_list_and_readers_may_not_change_it() {
    let app = spawn_app().await;
    let school = school(&app).await;
    let mut leader = logged_in(&app, LEADER).await;
    let path = save_new(&mut leader, &school, &[&school.ids[0]], "Alleen voor ons").await;
    let version = hidden(&leader.get(&path).await, "versie");

    let mut outsider = logged_in(&app, OUTSIDER).await;
    let unknown = outsider
        .get(&format!("/lijsten/{}", uuid::Uuid::now_v7()))
        .await;
    assert_eq!(unknown.status, 404);
    let hidden_list = outsider.get(&path).await;
    assert_eq!(hidden_list.status, 404, "{}", hidden_list.html);
    assert_eq!(
        hidden_list.html, unknown.html,
        "nothing tells the two apart"
    );
    assert!(!hidden_list.html.contains("Alleen voor ons"));
    assert!(
        !outsider
            .get("/lijsten")
            .await
            .html
            .contains("Alleen voor ons")
    );
    // Changing it with the outsider's own valid token: the same 404, nothing changed.
    every_change_refused(
        &mut outsider,
        &school,
        &path,
        &version,
        404,
        "Pagina niet gevonden",
    )
    .await;
    // The teacher reads it but may not change it: the Dutch 403 page.
    let mut teacher = logged_in(&app, TEACHER).await;
    every_change_refused(&mut teacher, &school, &path, &version, 403, "Geen toegang").await;
    let list = leader.get(&path).await;
    assert!(list.html.contains("Alleen voor ons") && list.html.contains("1 aanbieding"));
    // The teacher's save form offers only what she may change: a new list of the school.
    let offering = teacher.get(&format!("/aanbod/{}", school.ids[1])).await;
    assert!(
        !offering.html.contains("Alleen voor ons"),
        "{}",
        offering.html
    );
    assert!(offering.html.contains("Nieuwe lijst voor OBS De Linde"));
}

#[tokio::test]
async fn a_logged_out_visitor_is_sent_to_log_in_and_back_to_save() {
    let app = spawn_app().await;
    let school = school(&app).await;
    let mut visitor = Browser::new(&app);
    for path in ["/lijsten", "/lijsten/bewaren?id=x"] {
        let sent = visitor.get(path).await;
        assert_eq!(sent.status, 303, "{path}");
        assert!(
            sent.location
                .unwrap()
                .starts_with("/inloggen?terug=%2Flijsten")
        );
    }
    let home = visitor.get("/").await;
    assert!(!home.html.contains("Mijn keuzelijsten"), "not in the menu");

    // The offering page's save form is a way to log in that comes back to choose a list.
    let id = &school.ids[0];
    let offering = visitor.get(&format!("/aanbod/{id}")).await;
    let login = format!("/inloggen?terug=%2Flijsten%2Fbewaren%3Fid%3D{id}");
    assert!(
        offering.html.contains(&format!(
            r#"href="{login}">Log in om dit aanbod op een keuzelijst te bewaren"#
        )),
        "{}",
        offering.html
    );
    assert!(!offering.html.contains(r#"action="/lijsten/bewaren""#));
    let back = visitor
        .submit(
            &login,
            "/inloggen",
            &[
                ("email", LEADER),
                ("password", PASSWORD),
                ("terug", &format!("/lijsten/bewaren?id={id}")),
            ],
        )
        .await;
    assert_eq!(
        back.location.as_deref(),
        Some(format!("/lijsten/bewaren?id={id}").as_str())
    );
    let choose = visitor.get(back.location.as_deref().unwrap()).await;
    assert_eq!(choose.status, 200, "{}", choose.html);
    assert!(choose.html.contains("Dit aanbod wordt bewaard:"));
    assert!(choose.html.contains("Dyslexie-aanpak in de klas"));
    assert!(
        choose
            .html
            .contains(&format!(r#"<input type="hidden" name="id" value="{id}">"#))
    );
    let saved = visitor
        .submit(
            back.location.as_deref().unwrap(),
            "/lijsten/bewaren",
            &[
                ("lijst", &format!("nieuw:{}", school.school)),
                ("nieuwe_naam", "Lezen"),
                ("id", id),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.html);
}

#[tokio::test]
async fn offerings_are_added_from_an_offering_page_and_the_search_to_an_existing_list() {
    let app = spawn_app().await;
    let school = school(&app).await;
    let mut leader = logged_in(&app, LEADER).await;
    // A new, empty list from the overview.
    let created = leader
        .submit(
            "/lijsten",
            "/lijsten",
            &[("naam", "Leerlingenzorg"), ("organisatie", &school.school)],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.html);
    let path = created.location.unwrap();
    let list_id = &path["/lijsten/".len()..];
    assert!(
        leader
            .get(&path)
            .await
            .html
            .contains("Er staat nog geen aanbod op deze lijst")
    );

    // The offering page offers the existing list first.
    let offering_path = format!("/aanbod/{}", school.ids[1]);
    let offering = leader.get(&offering_path).await;
    assert!(
        offering.html.contains(&format!(
            r#"<option value="{list_id}" selected>Leerlingenzorg (OBS De Linde)</option>"#
        )),
        "{}",
        offering.html
    );
    for _ in 0..2 {
        let added = leader
            .submit(
                &offering_path,
                "/lijsten/bewaren",
                &[
                    ("lijst", list_id),
                    ("nieuwe_naam", ""),
                    ("id", &school.ids[1]),
                ],
            )
            .await;
        assert_eq!(added.status, 303, "{}", added.html);
        assert_eq!(added.location.as_deref(), Some(path.as_str()));
    }
    let list = leader.get(&path).await;
    assert!(
        list.html.contains("1 aanbieding"),
        "added once: {}",
        list.html
    );

    // From the search: the ticked offerings go to the save page, then onto the list.
    let search = leader.get("/").await;
    assert!(search.html.contains(
        r#"type="submit" form="vergelijk" formaction="/lijsten/bewaren">Bewaar gekozen aanbod op een keuzelijst"#
    ));
    let chosen = format!("/lijsten/bewaren?id={}&id={}", school.ids[0], school.ids[2]);
    let page = leader.get(&chosen).await;
    assert_eq!(page.status, 200);
    assert!(page.html.contains("Dyslexie-aanpak in de klas"));
    assert!(page.html.contains("Training formatief handelen"));
    let added = leader
        .submit(
            &chosen,
            "/lijsten/bewaren",
            &[
                ("lijst", list_id),
                ("id", &school.ids[0]),
                ("id", &school.ids[2]),
            ],
        )
        .await;
    assert_eq!(added.status, 303, "{}", added.html);
    let api = api_list(&app, &path, LEADER).await;
    let on_list: Vec<&str> = api["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["offering_id"].as_str().unwrap())
        .collect();
    assert_eq!(on_list, [&school.ids[1], &school.ids[0], &school.ids[2]]);
}

#[tokio::test]
async fn a_list_is_renamed_its_notes_changed_an_item_removed_and_deleted_after_confirmation() {
    let app = spawn_app().await;
    let school = school(&app).await;
    let ids: Vec<&str> = school.ids.iter().map(String::as_str).collect();
    let mut leader = logged_in(&app, LEADER).await;
    let path = save_new(&mut leader, &school, &ids, "Eerste naam").await;

    let page = leader.get(&path).await;
    let renamed = post_from(
        &mut leader,
        &page,
        &format!("{path}/naam"),
        &[("naam", "Tweede naam")],
    )
    .await;
    assert_eq!(renamed.status, 303, "{}", renamed.html);
    assert_eq!(renamed.location.as_deref(), Some(path.as_str()));

    // A note typed in a text area comes with CRLF line breaks; it is kept as lines.
    let page = leader.get(&path).await;
    assert!(page.html.contains("Tweede naam"));
    let noted = post_from(
        &mut leader,
        &page,
        &format!("{path}/notitie"),
        &[
            ("aanbod", ids[1]),
            ("notitie", "Offerte vragen\r\nvoor 14 <leraren>"),
        ],
    )
    .await;
    assert_eq!(noted.status, 303, "{}", noted.html);
    let api = api_list(&app, &path, TEACHER).await;
    assert_eq!(api["items"][1]["note"], "Offerte vragen\nvoor 14 <leraren>");
    let mut teacher = logged_in(&app, TEACHER).await;
    let read = teacher.get(&path).await;
    assert!(
        read.html
            .contains("Notitie: Offerte vragen\nvoor 14 &#60;leraren&#62;"),
        "{}",
        read.html
    );

    // An empty box clears the note; "remove" takes the offering off.
    let page = leader.get(&path).await;
    let version = hidden(&page, "versie");
    let cleared = leader
        .post(
            &format!("{path}/notitie"),
            &[
                ("csrf", &page.csrf()),
                ("versie", &version),
                ("aanbod", ids[1]),
                ("notitie", "  "),
            ],
        )
        .await;
    assert_eq!(cleared.status, 303);
    assert_eq!(
        api_list(&app, &path, LEADER).await["items"][1]["note"],
        Value::Null
    );
    let page = leader.get(&path).await;
    let removed = post_from(
        &mut leader,
        &page,
        &format!("{path}/weghalen"),
        &[("aanbod", ids[0])],
    )
    .await;
    assert_eq!(removed.status, 303);
    let page = leader.get(&path).await;
    assert!(page.html.contains("2 aanbiedingen"));
    assert!(!page.html.contains(&format!(r#"href="/aanbod/{}""#, ids[0])));

    // Deleting asks for the box to be ticked, then the list is gone for everyone.
    let unconfirmed = post_from(&mut leader, &page, &format!("{path}/verwijderen"), &[]).await;
    assert_eq!(unconfirmed.status, 400);
    assert!(unconfirmed.html.contains(
        r##"href="#veld-bevestig">Lijst verwijderen: vink dit aan als u de lijst echt wilt verwijderen"##
    ));
    assert!(
        unconfirmed
            .html
            .contains(r#"aria-describedby="veld-bevestig-fout""#)
    );
    let deleted = post_from(
        &mut leader,
        &page,
        &format!("{path}/verwijderen"),
        &[("bevestig", "ja")],
    )
    .await;
    assert_eq!(deleted.status, 200, "{}", deleted.html);
    assert!(deleted.html.contains("De keuzelijst is verwijderd."));
    assert_eq!(leader.get(&path).await.status, 404);
    assert_eq!(teacher.get(&path).await.status, 404);
}

#[tokio::test]
async fn form_errors_are_dutch_tied_to_their_field_and_keep_what_was_typed() {
    let app = spawn_app().await;
    let school = school(&app).await;
    let mut leader = logged_in(&app, LEADER).await;
    let too_long = "x".repeat(201);
    for (name, message) in [
        ("", r##"href="#veld-naam">Naam van de lijst: vul dit in"##),
        (
            too_long.as_str(),
            r##"href="#veld-naam">Naam van de lijst: gebruik minder tekens"##,
        ),
        (
            "Lijst\0met nul",
            r##"href="#veld-naam">Naam van de lijst: gebruik geen onzichtbare stuurtekens"##,
        ),
    ] {
        let failed = leader
            .submit(
                "/lijsten",
                "/lijsten",
                &[("naam", name), ("organisatie", &school.school)],
            )
            .await;
        assert_eq!(failed.status, 400, "{name:?}: {}", failed.html);
        assert!(failed.html.contains("Er is een probleem"));
        assert!(
            failed.html.contains(message),
            "{message} in {}",
            failed.html
        );
        assert!(
            failed
                .html
                .contains(r#"aria-describedby="veld-naam-hint veld-naam-fout""#)
        );
        if !name.contains('\0') {
            assert!(
                failed.html.contains(&format!(r#"value="{name}""#)),
                "kept: {name}"
            );
        }
    }
    // An organisation the visitor does not belong to, or none; one that does not exist is the
    // use case's 404.
    let unknown = leader
        .submit(
            "/lijsten",
            "/lijsten",
            &[
                ("naam", "Mijn lijst"),
                ("organisatie", &uuid::Uuid::now_v7().to_string()),
            ],
        )
        .await;
    assert_eq!(unknown.status, 404);
    for organization in [school.elsewhere.clone(), "geen".to_owned()] {
        let failed = leader
            .submit(
                "/lijsten",
                "/lijsten",
                &[("naam", "Mijn lijst"), ("organisatie", &organization)],
            )
            .await;
        assert_eq!(failed.status, 400, "{}", failed.html);
        assert!(
            failed.html.contains(
                r##"href="#veld-organisatie">Delen met: kies een van uw eigen organisaties"##
            ),
            "{}",
            failed.html
        );
        assert!(failed.html.contains(r#"value="Mijn lijst""#));
    }

    // The save form: no list chosen, a new list without a name, offerings that are not there.
    let offering = format!("/aanbod/{}", school.ids[0]);
    let new = format!("nieuw:{}", school.school);
    for (fields, message) in [
        (
            vec![("lijst", ""), ("id", school.ids[0].as_str())],
            "Keuzelijst: kies een lijst of een nieuwe lijst",
        ),
        (
            vec![
                ("lijst", new.as_str()),
                ("nieuwe_naam", " "),
                ("id", school.ids[0].as_str()),
            ],
            r##"href="#veld-nieuwe_naam">Naam van een nieuwe lijst: vul dit in"##,
        ),
        (
            vec![
                ("lijst", new.as_str()),
                ("nieuwe_naam", "Nieuw"),
                ("id", school.ids[0].as_str()),
                ("id", school.draft.as_str()),
            ],
            "Aanbod 2: dit aanbod bestaat niet (meer) of is niet gepubliceerd",
        ),
        (
            vec![
                ("lijst", new.as_str()),
                ("nieuwe_naam", "Nieuw"),
                ("id", school.ids[0].as_str()),
                ("id", "geen-id"),
            ],
            "Aanbod 2: dit aanbod bestaat niet (meer)",
        ),
        (
            vec![
                ("lijst", new.as_str()),
                ("nieuwe_naam", "Nieuw"),
                ("id", school.ids[0].as_str()),
                ("id", school.ids[0].as_str()),
            ],
            "Aanbod 2: staat er twee keer in",
        ),
        (
            vec![("lijst", new.as_str()), ("nieuwe_naam", "Nieuw")],
            "Aanbod: kies eerst aanbod om te bewaren",
        ),
    ] {
        let failed = leader.submit(&offering, "/lijsten/bewaren", &fields).await;
        assert_eq!(failed.status, 400, "{fields:?}: {}", failed.html);
        assert!(
            failed.html.contains(message),
            "{message} in {}",
            failed.html
        );
        assert!(
            !failed.html.contains("Geheim concept"),
            "a draft shows nothing of itself"
        );
    }
    let kept = leader
        .submit(
            &offering,
            "/lijsten/bewaren",
            &[
                ("lijst", &new),
                ("nieuwe_naam", &too_long),
                ("id", &school.ids[0]),
            ],
        )
        .await;
    assert_eq!(kept.status, 400);
    assert!(
        kept.html.contains(&format!(r#"value="{too_long}""#)),
        "the name typed stays"
    );
    assert!(
        kept.html
            .contains(&format!(r#"<option value="{new}" selected>"#))
    );
    assert!(kept.html.contains(&format!(
        r#"<input type="hidden" name="id" value="{}">"#,
        school.ids[0]
    )));
    // Nothing was saved by any of these.
    assert!(
        leader
            .get("/lijsten")
            .await
            .html
            .contains("Er zijn nog geen keuzelijsten")
    );

    // A note too long is tied to its own box, and what was typed stays there.
    let path = save_new(
        &mut leader,
        &school,
        &[&school.ids[0], &school.ids[1]],
        "Notities",
    )
    .await;
    let page = leader.get(&path).await;
    let long_note = format!("Begin {}", "n".repeat(1000));
    let failed = post_from(
        &mut leader,
        &page,
        &format!("{path}/notitie"),
        &[("aanbod", &school.ids[1]), ("notitie", &long_note)],
    )
    .await;
    assert_eq!(failed.status, 400, "{}", failed.html);
    let field = format!("veld-notitie-{}", school.ids[1]);
    assert!(
        failed.html.contains(&format!(
            r##"href="#{field}">Notitie: gebruik minder tekens"##
        )),
        "{}",
        failed.html
    );
    assert!(failed.html.contains(&format!(
        r#"aria-describedby="{field}-hint {field}-fout" aria-invalid="true">{long_note}</textarea>"#
    )));
    let renamed = post_from(&mut leader, &page, &format!("{path}/naam"), &[("naam", "")]).await;
    assert_eq!(renamed.status, 400);
    assert!(
        renamed
            .html
            .contains(r##"href="#veld-naam">Naam van de lijst: vul dit in"##)
    );
    let removed = post_from(
        &mut leader,
        &page,
        &format!("{path}/weghalen"),
        &[("aanbod", &school.ids[2])],
    )
    .await;
    assert_eq!(removed.status, 400);
    assert!(
        removed
            .html
            .contains("Aanbod: dit aanbod staat niet (meer) op de lijst")
    );
}

#[tokio::test]
async fn a_change_made_meanwhile_is_reported_and_the_typed_text_kept() {
    let app = spawn_app().await;
    let school = school(&app).await;
    let mut leader = logged_in(&app, LEADER).await;
    let path = save_new(&mut leader, &school, &[&school.ids[0]], "Samen bewerkt").await;
    let before = leader.get(&path).await;

    // Someone else renames the list through the API meanwhile.
    let token = app
        .login(LEADER, PASSWORD)
        .await
        .json::<Value>()
        .await
        .unwrap();
    let api_path = format!("/v1/shortlists/{}", &path["/lijsten/".len()..]);
    let renamed = app
        .patch(
            &api_path,
            &json!({"name": "Door een collega"}),
            token["access_token"].as_str().unwrap(),
            Some("*"),
        )
        .await;
    assert_eq!(renamed.status(), 200);

    let stale = post_from(
        &mut leader,
        &before,
        &format!("{path}/notitie"),
        &[("aanbod", &school.ids[0]), ("notitie", "Mijn notitie")],
    )
    .await;
    assert_eq!(stale.status, 409, "{}", stale.html);
    assert!(stale.html.contains("De lijst is intussen gewijzigd"));
    assert!(
        stale.html.contains(">Mijn notitie</textarea>"),
        "{}",
        stale.html
    );
    assert!(
        stale.html.contains("Door een collega"),
        "the list as it is now"
    );
    let stale = leader
        .post(
            &format!("{path}/naam"),
            &[
                ("csrf", &before.csrf()),
                ("versie", "geen-versie"),
                ("naam", "Mijn naam"),
            ],
        )
        .await;
    assert_eq!(stale.status, 409);
    assert!(stale.html.contains(r#"value="Mijn naam""#));
    let api = api_list(&app, &path, LEADER).await;
    assert_eq!(api["name"], "Door een collega");
    assert_eq!(api["items"][0]["note"], Value::Null, "nothing overwritten");
}

#[tokio::test]
async fn every_form_without_its_csrf_token_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let school = school(&app).await;
    let mut leader = logged_in(&app, LEADER).await;
    let path = save_new(&mut leader, &school, &[&school.ids[0]], "Beschermd").await;
    let version = hidden(&leader.get(&path).await, "versie");
    let mut teacher = logged_in(&app, TEACHER).await;
    let teachers_token = teacher.get("/lijsten").await.csrf();
    let new = format!("nieuw:{}", school.school);
    for csrf in [
        None,
        Some(""),
        Some("bm90LWEtdG9rZW4"),
        Some(teachers_token.as_str()),
    ] {
        let creating = [
            (
                "/lijsten".to_owned(),
                vec![("naam", "Nep"), ("organisatie", school.school.as_str())],
            ),
            (
                "/lijsten/bewaren".to_owned(),
                vec![
                    ("lijst", new.as_str()),
                    ("nieuwe_naam", "Nep"),
                    ("id", &school.ids[1]),
                ],
            ),
        ];
        for (action, mut fields) in creating.into_iter().chain(changes(&school, &path)) {
            fields.push(("versie", &version));
            if let Some(csrf) = csrf {
                fields.push(("csrf", csrf));
            }
            let refused = leader.post(&action, &fields).await;
            assert_eq!(refused.status, 403, "{action} {csrf:?}");
            assert!(refused.html.contains("Formulier verlopen"), "{action}");
        }
    }
    let api = api_list(&app, &path, LEADER).await;
    assert_eq!(api["name"], "Beschermd");
    assert_eq!(api["items"].as_array().unwrap().len(), 1);
    assert_eq!(api["items"][0]["note"], Value::Null);
    let overview = leader.get("/lijsten").await;
    assert!(!overview.html.contains("Nep"), "{}", overview.html);
}

#[tokio::test]
async fn hostile_urls_and_forms_are_escaped_and_never_a_500() {
    let app = spawn_app().await;
    let school = school(&app).await;
    let mut leader = logged_in(&app, LEADER).await;
    let path = save_new(
        &mut leader,
        &school,
        &[&school.ids[0]],
        "<script>alert(1)</script>",
    )
    .await;
    let page = leader.get(&path).await;
    assert!(!page.html.contains("<script>"), "escaped");
    assert!(
        page.html
            .contains("&#60;script&#62;alert(1)&#60;/script&#62;")
    );
    // A NUL anywhere in a URL is refused before routing (`http::edge`), for pages with the
    // Dutch 400 page: never a 500.
    for nul in ["/lijsten/%00", "/lijsten/bewaren?id=%00"] {
        let refused = leader.get(nul).await;
        assert_eq!(refused.status, 400, "{nul}");
        assert!(refused.html.contains("Ongeldige invoer"), "{nul}");
    }
    for bad in [
        "/lijsten/geen-id".to_owned(),
        "/lijsten/%3Cscript%3E".to_owned(),
        format!("/lijsten/{}", "9".repeat(5000)),
        format!("/lijsten/{}", uuid::Uuid::nil()),
    ] {
        let answer = leader.get(&bad).await;
        assert_eq!(answer.status, 404, "{bad}");
        assert!(answer.html.contains("Pagina niet gevonden"));
        assert!(!answer.html.contains("<script>"));
    }
    let many = "id=x&".repeat(5000);
    for query in [
        many.as_str(),
        "id=%3Cscript%3E&id=%22%3E",
        "id=%FF%FE",
        "&&==&id",
        "id=00000000-0000-0000-0000-000000000000",
    ] {
        let answer = leader.get(&format!("/lijsten/bewaren?{query}")).await;
        assert!(
            answer.status == 200 || answer.status == 400,
            "{query}: {}",
            answer.status
        );
        assert!(!answer.html.contains("<script>"), "{query}");
    }
    let csrf = page.csrf();
    let version = hidden(&page, "versie");
    let long = "y".repeat(100_000);
    for (action, fields) in [
        (
            format!("{path}/naam"),
            vec![("naam", "a\0b"), ("versie", version.as_str())],
        ),
        (
            format!("{path}/naam"),
            vec![("naam", long.as_str()), ("versie", "99999999999999999999")],
        ),
        (
            format!("{path}/notitie"),
            vec![
                ("aanbod", "%00"),
                ("notitie", "\0"),
                ("versie", version.as_str()),
            ],
        ),
        (
            format!("{path}/notitie"),
            vec![
                ("aanbod", school.ids[0].as_str()),
                ("notitie", "a\0b"),
                ("versie", version.as_str()),
            ],
        ),
        (
            format!("{path}/weghalen"),
            vec![("aanbod", "<b>"), ("versie", "-1")],
        ),
        (
            "/lijsten/bewaren".to_owned(),
            vec![("lijst", "nieuw:\0"), ("id", "\0")],
        ),
        (
            "/lijsten/bewaren".to_owned(),
            vec![
                ("lijst", "<b>"),
                ("nieuwe_naam", "<b>"),
                ("id", school.ids[0].as_str()),
            ],
        ),
        (
            "/lijsten/bewaren".to_owned(),
            vec![("lijst", &path[9..]), ("id", long.as_str())],
        ),
        (
            "/lijsten".to_owned(),
            vec![("naam", long.as_str()), ("organisatie", "\0")],
        ),
    ] {
        let mut fields = fields;
        fields.push(("csrf", &csrf));
        let answer = leader.post(&action, &fields).await;
        assert!(
            [400, 404, 409].contains(&answer.status),
            "{action} {:?}: {}",
            &fields[..1],
            answer.status
        );
        assert!(!answer.html.contains("<b>"), "{action}: escaped");
    }
    // Over the limit of a list: refused in Dutch, not a 500.
    let ids: Vec<(&str, &str)> = (0..60).map(|_| ("id", school.ids[0].as_str())).collect();
    let mut fields = vec![("lijst", &path[9..]), ("csrf", csrf.as_str())];
    fields.extend(ids);
    let answer = leader.post("/lijsten/bewaren", &fields).await;
    assert_eq!(answer.status, 400, "{}", answer.html);
    let api = api_list(&app, &path, LEADER).await;
    assert_eq!(api["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn an_archived_offering_stays_on_the_list_marked_and_does_not_block_changes() {
    let app = spawn_app().await;
    let school = school(&app).await;
    let mut leader = logged_in(&app, LEADER).await;
    let path = save_new(
        &mut leader,
        &school,
        &[&school.ids[0], &school.ids[1]],
        "Met archief",
    )
    .await;
    let provider = app
        .login("admin@aanbieder.nl", PASSWORD)
        .await
        .json::<Value>()
        .await
        .unwrap();
    let archived = app
        .post(
            &format!("/v1/offerings/{}/archive", school.ids[0]),
            &json!({}),
            provider["access_token"].as_str(),
        )
        .await;
    assert_eq!(archived.status(), 200);

    let page = leader.get(&path).await;
    assert!(
        page.html.contains(
            r#"Dyslexie-aanpak in de klas</a> <span class="em-badge">niet meer aangeboden</span>"#
        ),
        "{}",
        page.html
    );
    // One offering still offered: nothing to compare it with.
    assert!(!page.html.contains("Vergelijk het aanbod op deze lijst"));
    assert!(
        page.html
            .contains("Vergelijken kan met 2 tot 6 aanbiedingen")
    );
    let noted = post_from(
        &mut leader,
        &page,
        &format!("{path}/notitie"),
        &[("aanbod", &school.ids[1]), ("notitie", "Nog steeds goed")],
    )
    .await;
    assert_eq!(noted.status, 303, "{}", noted.html);
    let added = leader
        .submit(
            &format!("/aanbod/{}", school.ids[2]),
            "/lijsten/bewaren",
            &[
                ("lijst", &path["/lijsten/".len()..]),
                ("id", &school.ids[2]),
            ],
        )
        .await;
    assert_eq!(added.status, 303, "{}", added.html);
    let api = api_list(&app, &path, LEADER).await;
    assert_eq!(api["items"][0]["status"], "archived");
    assert_eq!(api["items"][1]["note"], "Nog steeds goed");
    assert_eq!(api["items"].as_array().unwrap().len(), 3);
}
