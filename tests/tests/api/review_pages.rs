//! The review pages as a browser receives them: the reviews on an offering's page (figures,
//! distribution, orders, filters, pages of the list, verified marks, helpful votes), the form
//! that writes, edits (version-checked) and deletes one, the refusals said in Dutch, "my
//! reviews" and the page on how reviews work. The journey in a real browser is
//! `browser::a_teacher_writes_a_review_and_sees_it`.

use serde_json::{Value, json};

use crate::account_pages::{Browser, Page};
use crate::helpers::{TestApp, User, spawn_app_with};
use crate::reviews::{
    Market, id, json_of, list, market, new_school, offering_figures, review, review_body,
    teacher_at,
};
use crate::shortlist_pages::{hidden, logged_in};

/// A valid review as the form sends it (the declarations in the page's own words).
fn form_fields(pros: &str) -> Vec<(&'static str, String)> {
    vec![
        ("overall", "4".into()),
        ("expertise", "5".into()),
        ("sector", "vo".into()),
        ("scale", "team".into()),
        ("period_start", "2025-09".into()),
        ("still_in_use", "true".into()),
        ("pros", pros.into()),
        ("provider_tie", "geen".into()),
        ("reward", "Geen".into()),
    ]
}

fn borrowed<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// How many reviews a page shows.
fn articles(page: &Page) -> usize {
    page.html.matches(r#"<article class="em-review""#).count()
}

#[tokio::test]
async fn a_teacher_writes_a_review_on_the_form_and_sees_it_on_the_offering_page() {
    let Market {
        app,
        offering,
        teacher,
        ..
    } = market().await;
    let mut browser = logged_in(&app, &teacher.email).await;
    let offering_page = browser.get(&format!("/aanbod/{offering}")).await;
    assert!(
        offering_page
            .html
            .contains("Er zijn nog geen ervaringen gedeeld")
    );
    assert!(
        offering_page
            .html
            .contains(&format!("/aanbod/{offering}/beoordelen"))
    );

    let form_path = format!("/aanbod/{offering}/beoordelen");
    let form = browser.get(&form_path).await;
    assert_eq!(form.status, 200, "{}", form.html);
    assert!(form.html.contains("Uw ervaring delen"));
    // The reviewer sees which school they write for, and every context field explained.
    assert!(form.html.contains("namens <strong>"), "{}", form.html);
    assert!(
        form.html
            .contains("In uw eigen klas, met een team of in de hele school?")
    );
    let fields = form_fields("Concreet en direct bruikbaar.\r\nOok voor nieuwe collega-leraren.");
    let posted = browser
        .submit(&form_path, &form_path, &borrowed(&fields))
        .await;
    assert_eq!(posted.status, 303, "{}", posted.html);
    let location = posted.location.unwrap();
    let written = list(&app, &offering, "").await;
    let review_id = written["items"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        location,
        format!("/aanbod/{offering}?melding=geplaatst#ervaring-{review_id}")
    );
    // Stored as the API would have it: "geen" is the declaration of none, lines as LF.
    let stored = &written["items"][0];
    assert_eq!(stored["provider_tie"], "none");
    assert_eq!(stored["reward"], "none");
    assert_eq!(
        stored["pros"],
        "Concreet en direct bruikbaar.\nOok voor nieuwe collega-leraren."
    );
    assert_eq!(stored["context"]["period_start"], "2025-09-01");

    let page = browser.get(&location).await;
    assert_eq!(page.status, 200);
    assert!(page.html.contains("Uw ervaring staat op de pagina."));
    assert!(
        page.html.contains("4,0 van 5 (1 ervaring)"),
        "{}",
        page.html
    );
    assert!(page.html.contains("1 ervaring, waarvan 0 geverifieerd"));
    assert!(page.html.contains("4 van 5 – docent vo, Utrecht"));
    assert!(page.html.contains("Ook voor nieuwe collega-leraren."));
    assert!(page.html.contains("met een team"));
    // Its author can edit and delete it, and does not vote on or report it.
    assert!(
        page.html
            .contains(&format!("/beoordelingen/{review_id}/bewerken"))
    );
    assert!(
        !page
            .html
            .contains(&format!("/beoordelingen/{review_id}/nuttig"))
    );
    assert!(
        !page
            .html
            .contains(&format!("/beoordelingen/{review_id}/melden"))
    );
    // Anyone else reads it, anonymously.
    let public = Browser::new(&app).get(&format!("/aanbod/{offering}")).await;
    assert!(public.html.contains("4 van 5 – docent vo, Utrecht"));
    assert!(
        !public
            .html
            .contains(&format!("/beoordelingen/{review_id}/bewerken"))
    );

    // A second review of the same offering is the first one's edit form.
    let again = browser.get(&form_path).await;
    assert_eq!(again.status, 303);
    assert_eq!(
        again.location.as_deref(),
        Some(format!("/beoordelingen/{review_id}/bewerken").as_str())
    );
    assert_eq!(
        list(&app, &offering, "").await["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn a_refused_review_form_lists_every_error_at_once_and_keeps_what_was_typed() {
    let Market {
        app,
        offering,
        teacher,
        ..
    } = market().await;
    let mut browser = logged_in(&app, &teacher.email).await;
    let form_path = format!("/aanbod/{offering}/beoordelen");
    let fields = [
        ("overall", ""),
        ("expertise", "9"),
        ("sector", ""),
        ("period_start", "gisteren"),
        ("pros", "Wat ik typte <blijft>"),
        ("provider_tie", ""),
        ("reward", ""),
    ];
    let page = browser.submit(&form_path, &form_path, &fields).await;
    assert_eq!(page.status, 400, "{}", page.html);
    for message in [
        "Totaaloordeel: vul dit in",
        "Deskundigheid: kies 1 tot en met 5",
        "Sector: vul dit in",
        "Gebruikt vanaf: klopt niet",
        "Band met de aanbieder: vul dit in",
        "Beloning ontvangen: vul dit in",
    ] {
        assert!(page.html.contains(message), "{message} in {}", page.html);
    }
    // Each error links to its control, and the typed text is there, escaped.
    assert!(page.html.contains(r##"href="#veld-overall""##));
    assert!(page.html.contains(r##"href="#veld-provider_tie""##));
    assert!(
        page.html.contains("Wat ik typte &#60;blijft&#62;"),
        "{}",
        page.html
    );
    assert!(page.html.contains(r#"value="gisteren""#));
    assert!(
        list(&app, &offering, "").await["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn provider_staff_people_without_a_school_and_visitors_are_refused_in_dutch() {
    let Market {
        app,
        admin,
        offering,
        ..
    } = market().await;
    let form_path = format!("/aanbod/{offering}/beoordelen");
    // Logged out: to the login page and back.
    let anonymous = Browser::new(&app).get(&form_path).await;
    assert_eq!(anonymous.status, 303);
    assert!(anonymous.location.unwrap().starts_with("/inloggen?terug="));

    let mut staff = logged_in(&app, &admin.email).await;
    let refused = staff.get(&form_path).await;
    assert_eq!(refused.status, 403);
    assert!(
        refused
            .html
            .contains("U werkt voor de aanbieder van dit aanbod.")
    );
    // Posting anyway (with a token of another page) writes nothing.
    let csrf = staff.get("/account").await.csrf();
    let fields = form_fields("Eigen aanbod, top!");
    let mut posted = borrowed(&fields);
    posted.push(("csrf", &csrf));
    assert_eq!(staff.post(&form_path, &posted).await.status, 403);

    let loner = app.user("los@elders.nl").await;
    let mut browser = logged_in(&app, &loner.email).await;
    let refused = browser.get(&form_path).await;
    assert_eq!(refused.status, 403);
    assert!(
        refused
            .html
            .contains("Alleen leraren, schoolleiders en bestuurders")
    );
    assert!(refused.html.contains("/beoordelingen/uitleg"));
    assert!(
        list(&app, &offering, "").await["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn the_author_edits_at_the_version_read_and_a_stale_save_keeps_the_typed_text() {
    let Market {
        app,
        offering,
        teacher,
        ..
    } = market().await;
    let (created, _) = review(&app, &teacher, &offering, 3).await;
    let review_id = id(&created);
    let mut browser = logged_in(&app, &teacher.email).await;
    let edit_path = format!("/beoordelingen/{review_id}/bewerken");
    let form = browser.get(&edit_path).await;
    assert_eq!(form.status, 200);
    assert_eq!(hidden(&form, "versie"), "1");
    assert!(
        form.html
            .contains("Concreet en direct toepasbaar in de klas.")
    );
    assert!(form.html.contains(r#"value="2025-09""#));

    // Meanwhile the author changes it through the API (another tab, another program).
    let mut body = review_body(2);
    body["pros"] = json!("Via de API gewijzigd.");
    let changed = app
        .put(
            &format!("/v1/reviews/{review_id}"),
            &body,
            &teacher.access,
            Some("\"1\""),
        )
        .await;
    assert_eq!(changed.status(), 200, "{:?}", changed.text().await);

    let mut fields = form_fields("Mijn nieuwe tekst");
    fields.extend([("csrf", form.csrf()), ("versie", "1".to_owned())]);
    let stale = browser.post(&edit_path, &borrowed(&fields)).await;
    assert_eq!(stale.status, 409, "{}", stale.html);
    assert!(
        stale
            .html
            .contains("U heeft deze ervaring intussen ergens anders gewijzigd.")
    );
    assert!(stale.html.contains("Mijn nieuwe tekst"));
    assert_eq!(hidden(&stale, "versie"), "2");
    let now = json_of(app.get(&format!("/v1/reviews/{review_id}"), None).await).await;
    assert_eq!(now["pros"], "Via de API gewijzigd.");

    // Saving again from that form is a choice made knowing the other change.
    fields.retain(|(k, _)| *k != "versie" && *k != "csrf");
    fields.extend([("csrf", stale.csrf()), ("versie", "2".to_owned())]);
    let saved = browser.post(&edit_path, &borrowed(&fields)).await;
    assert_eq!(saved.status, 303, "{}", saved.html);
    assert_eq!(
        saved.location.as_deref(),
        Some(format!("/aanbod/{offering}?melding=opgeslagen").as_str())
    );
    let now = json_of(app.get(&format!("/v1/reviews/{review_id}"), None).await).await;
    assert_eq!(
        (&now["pros"], &now["ratings"]["overall"]),
        (&json!("Mijn nieuwe tekst"), &json!(4))
    );
    assert!(now["edited_at"].is_string());
    let page = browser.get(&saved.location.unwrap()).await;
    assert!(page.html.contains("Uw ervaring is bijgewerkt."));
    assert!(page.html.contains("(bewerkt op "), "{}", page.html);

    // No one else edits it, nor opens its form.
    let (other, _) = new_school(&app, "leider@elders.nl", "33CC").await;
    let mut other_browser = logged_in(&app, &other.email).await;
    assert_eq!(other_browser.get(&edit_path).await.status, 403);
}

#[tokio::test]
async fn the_author_deletes_a_review_after_confirming_and_it_leaves_the_figures() {
    let Market {
        app,
        offering,
        leader,
        school,
        teacher,
        ..
    } = market().await;
    let (created, _) = review(&app, &teacher, &offering, 2).await;
    let review_id = id(&created);
    let colleague = teacher_at(&app, &leader, &school, "collega@linde.nl").await;
    review(&app, &colleague, &offering, 5).await;

    // Someone else cannot delete it.
    let mut other = logged_in(&app, &colleague.email).await;
    let delete_path = format!("/beoordelingen/{review_id}/verwijderen");
    assert_eq!(other.get(&delete_path).await.status, 403);
    let csrf = other.get("/account").await.csrf();
    assert_eq!(
        other.post(&delete_path, &[("csrf", &csrf)]).await.status,
        403
    );
    assert_eq!(offering_figures(&app, &offering).await["review_count"], 2);

    let mut browser = logged_in(&app, &teacher.email).await;
    let confirm = browser.get(&delete_path).await;
    assert_eq!(confirm.status, 200);
    assert!(confirm.html.contains("Weet u het zeker?"));
    let deleted = browser.submit(&delete_path, &delete_path, &[]).await;
    assert_eq!(deleted.status, 303);
    assert_eq!(
        deleted.location.as_deref(),
        Some("/account/beoordelingen?melding=verwijderd")
    );
    let figures = offering_figures(&app, &offering).await;
    assert_eq!(
        (&figures["review_count"], &figures["rating_avg"]),
        (&json!(1), &json!(5.0))
    );
    let mine = browser.get(&deleted.location.unwrap()).await;
    assert!(mine.html.contains("Uw ervaring is verwijderd."));
    assert!(mine.html.contains("U heeft nog geen ervaringen gedeeld."));
    // A second post (another tab) finds it gone and lands on the same list.
    let again = browser.post(&delete_path, &[("csrf", &mine.csrf())]).await;
    assert_eq!(again.status, 303);
}

#[tokio::test]
async fn readers_sort_filter_and_page_the_reviews_and_vote_one_helpful_once() {
    let Market {
        app,
        offering,
        leader,
        school,
        teacher,
        ..
    } = market().await;
    // Eleven reviews: one more than a page holds. The first is the lowest, one is from po.
    let (lowest, _) = review(&app, &teacher, &offering, 1).await;
    let mut po_review = Value::Null;
    for i in 0..10 {
        let colleague = teacher_at(&app, &leader, &school, &format!("d{i}@linde.nl")).await;
        let mut body = review_body(if i == 9 { 5 } else { 3 });
        if i == 0 {
            body["context"]["sector"] = json!("po");
        }
        let written = app
            .post(
                &format!("/v1/offerings/{offering}/reviews"),
                &body,
                Some(&colleague.access),
            )
            .await;
        assert_eq!(written.status(), 201);
        if i == 0 {
            po_review = written.json().await.unwrap();
        }
    }
    let confirmed = app
        .post(
            &format!("/v1/reviews/{}/confirm-usage", id(&lowest)),
            &json!({}),
            Some(&leader.access),
        )
        .await;
    assert_eq!(confirmed.status(), 200);

    let mut reader = Browser::new(&app);
    let page = reader.get(&format!("/aanbod/{offering}")).await;
    assert_eq!(page.status, 200);
    assert_eq!(articles(&page), 10);
    assert!(
        page.html.contains("3,0 van 5 (11 ervaringen)"),
        "{}",
        page.html
    );
    assert!(page.html.contains("11 ervaringen, waarvan 1 geverifieerd"));
    // The distribution: 9 at 3 stars is 81%.
    assert!(page.html.contains(r#"<meter min="0" max="100" value="81""#));
    let more = page.html.split("Meer ervaringen").next().unwrap();
    let href = more
        .rsplit("href=\"")
        .next()
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let rest = reader.get(&href.replace("&#38;", "&")).await;
    assert_eq!(articles(&rest), 1, "{href}");
    assert!(!rest.html.contains("Meer ervaringen"));

    let lowest_first = reader
        .get(&format!("/aanbod/{offering}?sorteer=lowest"))
        .await;
    let first = lowest_first.html.find("<article").unwrap();
    assert!(lowest_first.html[first..].starts_with(&format!(
        r#"<article class="em-review" id="ervaring-{}""#,
        id(&lowest)
    )));
    assert!(
        lowest_first
            .html
            .contains(r#"<option value="lowest" selected>"#)
    );
    let verified = reader
        .get(&format!("/aanbod/{offering}?geverifieerd=ja"))
        .await;
    assert_eq!(articles(&verified), 1);
    assert!(verified.html.contains(">Geverifieerd</span>"));
    let po = reader.get(&format!("/aanbod/{offering}?sector=po")).await;
    assert_eq!(articles(&po), 1);
    assert!(po.html.contains(&format!("ervaring-{}", id(&po_review))));
    let none = reader
        .get(&format!("/aanbod/{offering}?sector=mbo&geverifieerd=ja"))
        .await;
    assert!(none.html.contains("Geen ervaringen met deze filters."));
    // Hand-made parameters get the default list, escaped, never an error.
    let odd = reader
        .get(&format!(
            "/aanbod/{offering}?sorteer=%3Cscript%3E&sector=hbo&na=xyz&geverifieerd=1"
        ))
        .await;
    assert_eq!(odd.status, 200);
    assert_eq!(articles(&odd), 10);
    assert!(!odd.html.contains("<script>"));

    // A signed-in reader votes once; the author cannot vote on their own review.
    let mut voter = logged_in(&app, "d5@linde.nl").await;
    let page = voter
        .get(&format!("/aanbod/{offering}?sorteer=lowest"))
        .await;
    let vote_path = format!("/beoordelingen/{}/nuttig", id(&lowest));
    assert!(page.html.contains(&vote_path));
    let voted = voter.post(&vote_path, &[("csrf", &page.csrf())]).await;
    assert_eq!(voted.status, 303);
    assert_eq!(
        voted.location.as_deref(),
        Some(
            format!(
                "/aanbod/{offering}?melding=gestemd#ervaring-{}",
                id(&lowest)
            )
            .as_str()
        )
    );
    let twice = voter.post(&vote_path, &[("csrf", &page.csrf())]).await;
    assert!(twice.location.unwrap().contains("melding=al-gestemd"));
    let after = voter
        .get(&format!("/aanbod/{offering}?melding=al-gestemd"))
        .await;
    assert!(after.html.contains("U vond deze ervaring al eerder nuttig"));
    assert!(after.html.contains("1 keer nuttig gevonden"));
    let stored = json_of(app.get(&format!("/v1/reviews/{}", id(&lowest)), None).await).await;
    assert_eq!(stored["helpful_count"], 1);
    let mut author = logged_in(&app, &teacher.email).await;
    let csrf = author.get("/account").await.csrf();
    assert_eq!(
        author.post(&vote_path, &[("csrf", &csrf)]).await.status,
        403
    );
    // Without the form's token nothing is counted.
    assert_eq!(voter.post(&vote_path, &[]).await.status, 403);
    let stored = json_of(app.get(&format!("/v1/reviews/{}", id(&lowest)), None).await).await;
    assert_eq!(stored["helpful_count"], 1);
}

#[tokio::test]
async fn a_sector_figure_shows_only_above_the_threshold_on_the_page() {
    let Market {
        app,
        offering,
        leader,
        teacher,
        ..
    } = market().await;
    // Five reviews from po (the schools' sector), from three schools: a group of five is shown nowhere.
    review_po(&app, &teacher, &offering, 4).await;
    review_po(&app, &leader, &offering, 4).await;
    let (second_leader, second) = new_school(&app, "leider@tweede.nl", "22BB").await;
    review_po(&app, &second_leader, &offering, 5).await;
    let (third_leader, third) = new_school(&app, "leider@derde.nl", "33CC").await;
    review_po(&app, &third_leader, &offering, 3).await;
    let fifth = teacher_at(&app, &second_leader, &second, "docent@tweede.nl").await;
    review_po(&app, &fifth, &offering, 4).await;
    let page = Browser::new(&app).get(&format!("/aanbod/{offering}")).await;
    assert!(
        page.html.contains("4,0 van 5 (5 ervaringen)"),
        "{}",
        page.html
    );
    assert!(!page.html.contains("Naar sector van de schrijvers"));
    // Compare shows a signed-in reviewer the figure of their sector only above it too.
    let compare_path = format!(
        "/vergelijken?id={offering}&id={}",
        other_offering(&app).await
    );
    let mut reader = logged_in(&app, &teacher.email).await;
    let compared = reader.get(&compare_path).await;
    assert_eq!(compared.status, 200, "{}", compared.html);
    assert!(
        compared
            .html
            .contains("Oordeel van schrijvers uit primair onderwijs")
    );
    assert!(
        compared
            .html
            .contains("te weinig ervaringen uit deze sector om te tonen")
    );

    let sixth = teacher_at(&app, &third_leader, &third, "docent@derde.nl").await;
    review_po(&app, &sixth, &offering, 4).await;
    let page = Browser::new(&app).get(&format!("/aanbod/{offering}")).await;
    assert!(page.html.contains("Naar sector van de schrijvers"));
    assert!(
        page.html
            .contains(r#"<dt class="utrecht-data-list__item-key">primair onderwijs</dt>"#)
    );
    let compared = reader.get(&compare_path).await;
    let row = compared
        .html
        .split("Oordeel van schrijvers uit primair onderwijs")
        .nth(1)
        .unwrap();
    assert!(row.contains("4,0 van 5 (6 ervaringen)"), "{row}");
    // Anonymous visitors have no sector of their own: no such row.
    let anonymous = Browser::new(&app).get(&compare_path).await;
    assert!(!anonymous.html.contains("Oordeel van schrijvers uit"));
}

/// A review by a reviewer in po, the sector of the test schools.
async fn review_po(app: &TestApp, user: &User, offering: &str, overall: u8) {
    let mut body = review_body(overall);
    body["context"]["sector"] = json!("po");
    let written = app
        .post(
            &format!("/v1/offerings/{offering}/reviews"),
            &body,
            Some(&user.access),
        )
        .await;
    assert_eq!(written.status(), 201);
}

/// A second published offering of another provider, to compare beside the first.
async fn other_offering(app: &TestApp) -> String {
    let (admin, provider) = app.provider("admin@tweede-aanbieder.nl", "87654321").await;
    app.publish(&admin, &provider, &crate::helpers::offering_body())
        .await
}

#[tokio::test]
async fn my_reviews_shows_the_authors_reviews_with_a_hidden_one_and_its_reason() {
    let Market {
        app,
        offering,
        teacher,
        admin,
        ..
    } = market().await;
    let (created, _) = review(&app, &teacher, &offering, 2).await;
    let review_id = id(&created);
    let replied = app
        .post(
            &format!("/v1/reviews/{review_id}/response"),
            &json!({"body": "Dank voor uw ervaring."}),
            Some(&admin.access),
        )
        .await;
    assert!(replied.status().is_success(), "{:?}", replied.text().await);
    let mut browser = logged_in(&app, &teacher.email).await;
    let account = browser.get("/account").await;
    assert!(account.html.contains(r#"href="/account/beoordelingen""#));
    let mine = browser.get("/account/beoordelingen").await;
    assert_eq!(mine.status, 200);
    assert!(
        mine.html
            .contains(&format!("/aanbod/{offering}#ervaring-{review_id}"))
    );
    assert!(mine.html.contains("De aanbieder heeft gereageerd"));
    assert!(mine.html.contains("Dank voor uw ervaring."));
    assert!(
        mine.html
            .contains(&format!("/beoordelingen/{review_id}/bewerken"))
    );

    let moderator = app.moderator("moderator@edumarkt.nl").await;
    // The menu leads moderators, and only them, to the queue.
    let queue_link = r#"href="/moderatie""#;
    assert!(!browser.get("/account").await.html.contains(queue_link));
    let mut moderating = logged_in(&app, &moderator.email).await;
    assert!(moderating.get("/account").await.html.contains(queue_link));
    let hidden = app
        .post(
            &format!("/v1/moderation/reviews/{review_id}/decision"),
            &json!({"action": "hide", "reason": "Bevat persoonsgegevens van een leerling."}),
            Some(&moderator.access),
        )
        .await;
    assert_eq!(hidden.status(), 200);
    let mine = browser.get("/account/beoordelingen").await;
    assert!(
        mine.html
            .contains("Verborgen door een moderator: Bevat persoonsgegevens van een leerling.")
    );
    let public = Browser::new(&app).get(&format!("/aanbod/{offering}")).await;
    assert!(!public.html.contains(&format!("ervaring-{review_id}")));
    assert!(public.html.contains("Er zijn nog geen ervaringen gedeeld"));
    // The page of my reviews is for the logged in only.
    assert_eq!(
        Browser::new(&app)
            .get("/account/beoordelingen")
            .await
            .status,
        303
    );
}

#[tokio::test]
async fn how_reviews_work_states_the_rules_with_the_servers_own_settings() {
    let app = spawn_app_with(|config| {
        config.reviews.prior_mean = 3.8;
        config.reviews.min_count = 10.0;
        config.reviews.subgroup_min_reviews = 7;
        config.reviews.subgroup_min_schools = 4;
        config.reviews.daily_limit = 6;
    })
    .await;
    let page = Browser::new(&app).get("/beoordelingen/uitleg").await;
    assert_eq!(page.status, 200);
    for said in [
        "Hoe ervaringen op edumarkt werken",
        "hoogstens 6 per dag",
        "Medewerkers van de aanbieder beoordelen hun eigen aanbod niet",
        "geverifieerd",
        "C = 3,8 en m = 10",
        "meer dan 7 ervaringen van minstens 4 scholen",
        "Een verborgen ervaring telt niet mee",
        "Zes en twaalf maanden",
    ] {
        assert!(page.html.contains(said), "{said} in {}", page.html);
    }
    // Every page links to it from its footer.
    let home = Browser::new(&app).get("/").await;
    assert!(home.html.contains(r#"href="/beoordelingen/uitleg""#));
}

#[tokio::test]
async fn hostile_review_page_urls_are_a_dutch_404_never_a_500() {
    let Market { app, teacher, .. } = market().await;
    let mut browser = logged_in(&app, &teacher.email).await;
    for path in [
        "/aanbod/niet-een-id/beoordelen",
        "/aanbod/00000000-0000-0000-0000-000000000000/beoordelen",
        "/beoordelingen/99999999999999999999/verwijderen",
        "/beoordelingen/00000000-0000-0000-0000-000000000000/bewerken",
    ] {
        let page = browser.get(path).await;
        assert_eq!(page.status, 404, "{path}: {}", page.html);
        assert!(page.html.contains("Pagina niet gevonden"), "{path}");
    }
    // A NUL byte is refused at the edge, with the Dutch page for bad input.
    let page = browser.get("/beoordelingen/%00/bewerken").await;
    assert_eq!(page.status, 400);
    assert!(page.html.contains("Ongeldige invoer"));
}

#[tokio::test]
async fn a_leader_of_the_authors_school_confirms_the_usage_from_the_offering_page() {
    let Market {
        app,
        offering,
        leader,
        school,
        teacher,
        ..
    } = market().await;
    let (created, _) = review(&app, &teacher, &offering, 4).await;
    let review_id = id(&created);
    let confirm_path = format!("/beoordelingen/{review_id}/bevestigen");
    // A colleague who is no leader, and the leader of another school, are not offered it.
    let colleague = teacher_at(&app, &leader, &school, "collega@linde.nl").await;
    let mut other = logged_in(&app, &colleague.email).await;
    let page = other.get(&format!("/aanbod/{offering}")).await;
    assert!(!page.html.contains(&confirm_path));
    let (stranger, _) = new_school(&app, "leider@elders.nl", "44DD").await;
    let mut elsewhere = logged_in(&app, &stranger.email).await;
    let page = elsewhere.get(&format!("/aanbod/{offering}")).await;
    assert!(!page.html.contains(&confirm_path));
    assert_eq!(
        elsewhere
            .post(&confirm_path, &[("csrf", &page.csrf())])
            .await
            .status,
        403
    );

    let mut browser = logged_in(&app, &leader.email).await;
    let page = browser.get(&format!("/aanbod/{offering}")).await;
    assert!(page.html.contains(&confirm_path));
    assert!(page.html.contains("Gebruik op onze school bevestigen"));
    let confirmed = browser.post(&confirm_path, &[("csrf", &page.csrf())]).await;
    assert_eq!(confirmed.status, 303);
    let page = browser.get(&confirmed.location.unwrap()).await;
    assert!(page.html.contains("de ervaring telt nu als geverifieerd"));
    assert!(page.html.contains(">Geverifieerd</span>"));
    assert!(!page.html.contains(&confirm_path));
    assert!(page.html.contains("1 ervaring, waarvan 1 geverifieerd"));
    let stored = json_of(app.get(&format!("/v1/reviews/{review_id}"), None).await).await;
    assert_eq!(stored["verified"], true);
}

#[tokio::test]
async fn the_author_tells_how_it_goes_months_later_and_readers_see_it_with_its_date() {
    let Market {
        app,
        offering,
        leader,
        teacher,
        ..
    } = market().await;
    let (created, _) = review(&app, &teacher, &offering, 4).await;
    let review_id = id(&created);
    let path = format!("/beoordelingen/{review_id}/vervolg");
    // Only the author answers.
    let mut other = logged_in(&app, &leader.email).await;
    assert_eq!(other.get(&path).await.status, 403);

    let mut browser = logged_in(&app, &teacher.email).await;
    let form = browser.get(&path).await;
    assert_eq!(form.status, 200);
    assert!(form.html.contains("Hoe gaat het nu?"));
    let refused = browser
        .submit(
            &path,
            &path,
            &[("still_in_use", ""), ("lasting_effect", "9"), ("note", "x")],
        )
        .await;
    assert_eq!(refused.status, 400, "{}", refused.html);
    assert!(refused.html.contains("Nog in gebruik: vul dit in"));
    assert!(
        refused
            .html
            .contains("Duurzaam effect: kies 1 tot en met 5")
    );
    let stored = json_of(app.get(&format!("/v1/reviews/{review_id}"), None).await).await;
    assert_eq!(stored["follow_ups"], json!([]));

    let saved = browser
        .submit(
            &path,
            &path,
            &[
                ("still_in_use", "true"),
                ("lasting_effect", "4"),
                ("note", "Loopt nog steeds in groep 5."),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.html);
    let mine = browser.get(&saved.location.unwrap()).await;
    assert!(
        mine.html
            .contains("Dank u: uw antwoord staat bij uw ervaring.")
    );
    assert!(
        mine.html
            .contains("nog in gebruik, duurzaam effect 4 van 5. Loopt nog steeds in groep 5.")
    );
    assert!(mine.html.contains(&path));
    // The public sees the date, the use and the effect; the note is the author's.
    let public = Browser::new(&app).get(&format!("/aanbod/{offering}")).await;
    assert!(public.html.contains("Hoe het later ging"));
    assert!(
        public
            .html
            .contains("nog in gebruik, duurzaam effect 4 van 5.")
    );
    assert!(!public.html.contains("Loopt nog steeds in groep 5."));
    let stored = json_of(app.get(&format!("/v1/reviews/{review_id}"), None).await).await;
    assert_eq!(stored["follow_ups"][0]["lasting_effect"], 4);
}
