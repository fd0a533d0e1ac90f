//! The provider's and the moderators' review pages as a browser receives them: the provider's
//! reviews in its dashboard and the reply form (with the lost-update protection of the API's
//! If-Match), reporting a review, and the moderation queue with its decisions, checked against
//! what the API then says.

use serde_json::{Value, json};

use crate::account_pages::{Browser, Page};
use crate::browser::journey_with;
use crate::dashboard_pages::hidden;
use crate::helpers::TestApp;
use crate::reviews::{Market, id, market, offering_figures, review};
use crate::shortlist_pages::logged_in;

const PROS: &str = "Concreet en direct toepasbaar in de klas.";

/// The review as anyone reads it through the API.
async fn review_json(app: &TestApp, review: &str) -> Value {
    let response = app.get(&format!("/v1/reviews/{review}"), None).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// Posts `fields` with the CSRF token of `page` to `action`.
pub async fn post_with(
    browser: &mut Browser<'_>,
    page: &Page,
    action: &str,
    fields: &[(&str, &str)],
) -> Page {
    let csrf = page.csrf();
    let mut fields = fields.to_vec();
    fields.push(("csrf", &csrf));
    browser.post(action, &fields).await
}

pub fn assert_contains(page: &Page, expected: &[&str]) {
    for text in expected {
        assert!(page.html.contains(text), "{text} in {}", page.html);
    }
}

#[tokio::test]
async fn the_provider_sees_its_reviews_and_replies_and_the_api_shows_the_reply() {
    let Market {
        app,
        provider,
        offering,
        leader,
        teacher,
        ..
    } = market().await;
    let (written, _) = review(&app, &teacher, &offering, 4).await;
    let review_id = id(&written);
    let mut browser = logged_in(&app, "admin@aanbieder.nl").await;

    let dashboard = browser.get("/beheer").await;
    let list_path = format!("/beheer/aanbieders/{provider}/beoordelingen");
    assert_contains(&dashboard, &[&format!(r#"href="{list_path}""#)]);
    let list = browser.get(&list_path).await;
    assert_eq!(list.status, 200, "{}", list.html);
    let reply_path = format!("/beheer/beoordelingen/{review_id}/reactie");
    assert_contains(
        &list,
        &[
            "Beoordelingen van Leren &#38; Co",
            "Dyslexie-aanpak in de klas",
            "docent vo, Utrecht",
            PROS,
            "Totaaloordeel</dt><dd>4 van 5",
            "Deskundigheid</dt><dd>4 van 5",
            "Nog geen reactie.",
            &format!(r#"href="{reply_path}""#),
            ">Reageren<",
        ],
    );
    let unanswered = browser.get(&format!("{list_path}?zonder_reactie=ja")).await;
    assert_contains(
        &unanswered,
        &[PROS, r#"aria-current="page">Zonder reactie"#],
    );

    // An empty reply is refused with the error at its box, nothing stored.
    let form = browser.get(&reply_path).await;
    assert_eq!(form.status, 200, "{}", form.html);
    assert!(!form.html.contains(r#"name="versie""#), "{}", form.html);
    let empty = post_with(&mut browser, &form, &reply_path, &[("reactie", "  ")]).await;
    assert_eq!(empty.status, 400, "{}", empty.html);
    assert_contains(
        &empty,
        &[
            "Er is een probleem",
            r##"href="#veld-reactie">Uw reactie: vul dit in"##,
        ],
    );
    assert!(review_json(&app, &review_id).await["response"].is_null());

    let mails_before = app.mails_to(&teacher.email, 0).await.len();
    let text = "Dank voor uw beoordeling! Wij plannen de vervolgsessies voortaan vooraf.";
    let saved = post_with(&mut browser, &form, &reply_path, &[("reactie", text)]).await;
    assert_eq!(saved.status, 303, "{}", saved.html);
    assert_eq!(
        saved.location.as_deref(),
        Some(format!("{list_path}?melding=opgeslagen").as_str())
    );
    let shown = review_json(&app, &review_id).await;
    assert_eq!(shown["response"]["body"], text);
    assert_eq!(shown["response"]["provider_id"], provider.as_str());
    let list = browser.get(saved.location.as_deref().unwrap()).await;
    assert_contains(
        &list,
        &["Uw reactie is geplaatst", text, ">Reactie wijzigen<"],
    );
    let unanswered = browser.get(&format!("{list_path}?zonder_reactie=ja")).await;
    assert_contains(&unanswered, &["Op alle beoordelingen staat een reactie."]);
    assert!(!unanswered.html.contains(PROS));
    // The author hears of the reply.
    let told = app.mails_to(&teacher.email, mails_before + 1).await;
    let told = told.last().unwrap();
    assert!(told.subject.contains("gereageerd"), "{}", told.subject);

    // Editing shows the reply and the version it is at.
    let form = browser.get(&reply_path).await;
    assert_eq!(hidden(&form.html, "versie"), "1");
    assert_contains(&form, &[text, "Reactie opslaan"]);

    // Newest first; a page starting after the newest review shows the older ones.
    let (newer, _) = review(&app, &leader, &offering, 5).await;
    let list = browser.get(&list_path).await;
    let (at_newer, at_older) = (
        list.html.find(&id(&newer)).unwrap(),
        list.html.find(&review_id).unwrap(),
    );
    assert!(at_newer < at_older, "{}", list.html);
    let older = browser.get(&format!("{list_path}?na={}", id(&newer))).await;
    assert_eq!(older.status, 200, "{}", older.html);
    assert_contains(
        &older,
        &[&review_id, "Terug naar de nieuwste beoordelingen"],
    );
    assert!(!older.html.contains(&id(&newer)), "{}", older.html);
}

#[tokio::test]
async fn only_the_providers_staff_see_and_answer_its_reviews() {
    let Market {
        app,
        provider,
        offering,
        teacher,
        ..
    } = market().await;
    let (written, _) = review(&app, &teacher, &offering, 4).await;
    let reply_path = format!("/beheer/beoordelingen/{}/reactie", id(&written));
    let list_path = format!("/beheer/aanbieders/{provider}/beoordelingen");
    app.provider("admin@ander.nl", "87654321").await;
    for email in ["admin@ander.nl", "docent@linde.nl"] {
        let mut browser = logged_in(&app, email).await;
        for path in [&list_path, &reply_path] {
            let page = browser.get(path).await;
            assert_eq!(page.status, 403, "{email} {path}: {}", page.html);
            assert_contains(&page, &["Geen toegang"]);
        }
        let account = browser.get("/account").await;
        let posted = post_with(
            &mut browser,
            &account,
            &reply_path,
            &[("reactie", "Wij zijn beter.")],
        )
        .await;
        assert_eq!(posted.status, 403, "{email}: {}", posted.html);
        assert_contains(&posted, &["Geen toegang"]);
    }
    assert!(review_json(&app, &id(&written)).await["response"].is_null());
    // A logged-out visitor is sent to log in, and back.
    let page = Browser::new(&app).get(&list_path).await;
    assert_eq!(page.status, 303);
    assert!(page.location.unwrap().starts_with("/inloggen?terug="));
}

#[tokio::test]
async fn a_stale_reply_is_refused_with_409_keeping_the_typed_text() {
    let Market {
        app,
        admin,
        offering,
        teacher,
        ..
    } = market().await;
    let (written, _) = review(&app, &teacher, &offering, 4).await;
    let review_id = id(&written);
    let reply_path = format!("/beheer/beoordelingen/{review_id}/reactie");
    let mut first = logged_in(&app, "admin@aanbieder.nl").await;
    let mut second = logged_in(&app, "admin@aanbieder.nl").await;

    // Two forms loaded before the first reply: the second save would overwrite the first.
    let form_a = first.get(&reply_path).await;
    let form_b = second.get(&reply_path).await;
    let saved = post_with(
        &mut first,
        &form_a,
        &reply_path,
        &[("reactie", "Eerste reactie.")],
    )
    .await;
    assert_eq!(saved.status, 303, "{}", saved.html);
    let typed = "Mijn eigen getypte reactie.";
    let stale = post_with(&mut second, &form_b, &reply_path, &[("reactie", typed)]).await;
    assert_eq!(stale.status, 409, "{}", stale.html);
    assert_contains(
        &stale,
        &[
            typed,
            "Eerste reactie.",
            "Iemand anders heeft intussen een reactie opgeslagen",
            r##"href="#wijzigingen""##,
        ],
    );
    assert_eq!(
        review_json(&app, &review_id).await["response"]["body"],
        "Eerste reactie."
    );

    // An edit loaded at version 1 after another edit (version 2) is refused the same way.
    let edit = first.get(&reply_path).await;
    assert_eq!(hidden(&edit.html, "versie"), "1");
    let changed = app
        .put(
            &format!("/v1/reviews/{review_id}/response"),
            &json!({"body": "Via de API gewijzigd."}),
            &admin.access,
            Some("\"1\""),
        )
        .await;
    assert_eq!(changed.status(), 200);
    let stale = post_with(
        &mut first,
        &edit,
        &reply_path,
        &[("reactie", typed), ("versie", "1")],
    )
    .await;
    assert_eq!(stale.status, 409, "{}", stale.html);
    assert_contains(&stale, &[typed, "Via de API gewijzigd."]);
    // The form is now based on the current version: saving again is a choice made knowingly.
    assert_eq!(hidden(&stale.html, "versie"), "2");
    let again = post_with(
        &mut first,
        &stale,
        &reply_path,
        &[("reactie", typed), ("versie", "2")],
    )
    .await;
    assert_eq!(again.status, 303, "{}", again.html);
    assert_eq!(
        review_json(&app, &review_id).await["response"]["body"],
        typed
    );
}

#[tokio::test]
async fn of_two_replies_saved_at_once_on_the_same_version_one_is_refused() {
    let Market {
        app,
        offering,
        teacher,
        ..
    } = market().await;
    let (written, _) = review(&app, &teacher, &offering, 4).await;
    let review_id = id(&written);
    let reply_path = format!("/beheer/beoordelingen/{review_id}/reactie");
    let mut first = logged_in(&app, "admin@aanbieder.nl").await;
    let mut second = logged_in(&app, "admin@aanbieder.nl").await;
    for round in ["", "1"] {
        let form_a = first.get(&reply_path).await;
        let form_b = second.get(&reply_path).await;
        let fields_a = [("reactie", "Tabblad A."), ("versie", round)];
        let fields_b = [("reactie", "Tabblad B."), ("versie", round)];
        let (a, b) = tokio::join!(
            post_with(&mut first, &form_a, &reply_path, &fields_a),
            post_with(&mut second, &form_b, &reply_path, &fields_b),
        );
        let mut statuses = [a.status, b.status];
        statuses.sort_unstable();
        assert_eq!(statuses, [303, 409], "version {round:?}");
    }
}

#[tokio::test]
async fn a_signed_in_visitor_reports_a_review_and_moderators_see_it() {
    let Market {
        app,
        offering,
        teacher,
        ..
    } = market().await;
    let (written, _) = review(&app, &teacher, &offering, 2).await;
    let report_path = format!("/beoordelingen/{}/melden", id(&written));
    let page = Browser::new(&app).get(&report_path).await;
    assert_eq!(page.status, 303);
    assert!(page.location.unwrap().starts_with("/inloggen?terug="));

    let reporter = app.user("melder@elders.nl").await;
    let mut browser = logged_in(&app, &reporter.email).await;
    let form = browser.get(&report_path).await;
    assert_eq!(form.status, 200, "{}", form.html);
    assert_contains(
        &form,
        &[
            "Beoordeling melden",
            PROS,
            "De schrijver heeft het aanbod niet zelf gebruikt",
            r#"type="radio""#,
        ],
    );
    // Every error at once: no reason chosen, an explanation with a control character.
    let wrong = post_with(
        &mut browser,
        &form,
        &report_path,
        &[("toelichting", "a\u{7}b")],
    )
    .await;
    assert_eq!(wrong.status, 400, "{}", wrong.html);
    assert_contains(
        &wrong,
        &[
            r##"href="#veld-soort">Reden: kies een van de mogelijkheden"##,
            r##"href="#veld-toelichting">Toelichting: gebruik geen onzichtbare stuurtekens"##,
        ],
    );
    let unexplained = post_with(&mut browser, &form, &report_path, &[("soort", "anders")]).await;
    assert_eq!(unexplained.status, 400, "{}", unexplained.html);
    assert_contains(
        &unexplained,
        &[
            r##"href="#veld-toelichting">Toelichting: vul dit in"##,
            r#"value="anders" checked"#,
        ],
    );

    let fields = [
        ("soort", "geen_ervaring"),
        ("toelichting", "Dit lijkt geen echte ervaring."),
    ];
    let sent = post_with(&mut browser, &form, &report_path, &fields).await;
    assert_eq!(sent.status, 200, "{}", sent.html);
    assert_contains(
        &sent,
        &["Bedankt voor uw melding", &format!("/aanbod/{offering}")],
    );
    let again = post_with(&mut browser, &form, &report_path, &fields).await;
    assert_eq!(again.status, 409, "{}", again.html);
    assert_contains(&again, &["al gemeld"]);

    let moderator = app.moderator("moderator@edumarkt.nl").await;
    let mut moderators = logged_in(&app, &moderator.email).await;
    let queue = moderators.get("/moderatie").await;
    assert_eq!(queue.status, 200, "{}", queue.html);
    let reason = "De schrijver heeft het aanbod niet zelf gebruikt: Dit lijkt geen echte ervaring.";
    assert_contains(
        &queue,
        &[
            "Gemelde beoordelingen",
            "1 melding",
            reason,
            PROS,
            &format!(r#"href="/moderatie/beoordelingen/{}""#, id(&written)),
        ],
    );
    let api: Value = app
        .get("/v1/moderation/reports", Some(&moderator.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(api["items"][0]["reports"][0]["reason"], reason);
}

#[tokio::test]
async fn moderators_hide_a_review_with_a_reason_and_it_leaves_the_aggregate() {
    let Market {
        app,
        provider,
        offering,
        leader,
        teacher,
        ..
    } = market().await;
    let (low, _) = review(&app, &teacher, &offering, 1).await;
    let (high, _) = review(&app, &leader, &offering, 5).await;
    let report = app
        .post(
            &format!("/v1/reviews/{}/reports", id(&low)),
            &json!({"reason": "Geen echte ervaring."}),
            Some(&leader.access),
        )
        .await;
    assert_eq!(report.status(), 202);
    assert_eq!(offering_figures(&app, &offering).await["rating_avg"], 3.0);
    let case_path = format!("/moderatie/beoordelingen/{}", id(&low));
    let hide = [
        ("besluit", "hide"),
        ("reden", "Geen ervaring uit de praktijk."),
    ];

    // Not a moderator: 403 on the queue, the case and the decision; nothing changes.
    let mut outsider = logged_in(&app, "leider@linde.nl").await;
    for path in ["/moderatie", case_path.as_str()] {
        let page = outsider.get(path).await;
        assert_eq!(page.status, 403, "{path}: {}", page.html);
        assert_contains(&page, &["Geen toegang"]);
    }
    let account = outsider.get("/account").await;
    let refused = post_with(&mut outsider, &account, &case_path, &hide).await;
    assert_eq!(refused.status, 403, "{}", refused.html);
    assert_eq!(offering_figures(&app, &offering).await["rating_avg"], 3.0);

    let moderator = app.moderator("moderator@edumarkt.nl").await;
    let mut browser = logged_in(&app, &moderator.email).await;
    let case = browser.get(&case_path).await;
    assert_eq!(case.status, 200, "{}", case.html);
    assert_contains(
        &case,
        &[
            "Geen echte ervaring.",
            "Deze beoordeling is zichtbaar",
            r#"value="hide" checked"#,
        ],
    );
    // Without a reason, or without a decision: the form again with every error, unchanged.
    let no_reason = post_with(&mut browser, &case, &case_path, &[("besluit", "hide")]).await;
    assert_eq!(no_reason.status, 400, "{}", no_reason.html);
    assert_contains(
        &no_reason,
        &[r##"href="#veld-reden">Reden van het besluit: vul dit in"##],
    );
    let nothing = post_with(&mut browser, &case, &case_path, &[("besluit", "delete")]).await;
    assert_eq!(nothing.status, 400, "{}", nothing.html);
    assert_contains(
        &nothing,
        &[
            r##"href="#veld-besluit">Besluit: kies een van de mogelijkheden"##,
            r##"href="#veld-reden">Reden van het besluit: vul dit in"##,
        ],
    );
    assert_eq!(offering_figures(&app, &offering).await["rating_avg"], 3.0);
    assert_eq!(review_json(&app, &id(&low)).await["hidden"], false);

    let hidden_now = post_with(&mut browser, &case, &case_path, &hide).await;
    assert_eq!(hidden_now.status, 303, "{}", hidden_now.html);
    assert_eq!(
        hidden_now.location.as_deref(),
        Some("/moderatie?melding=verborgen")
    );
    let figures = offering_figures(&app, &offering).await;
    assert_eq!(
        (&figures["review_count"], &figures["rating_avg"]),
        (&json!(1), &json!(5.0))
    );
    // The provider's list leaves the hidden review out, as the public lists do.
    let mut providers = logged_in(&app, "admin@aanbieder.nl").await;
    let list = providers
        .get(&format!("/beheer/aanbieders/{provider}/beoordelingen"))
        .await;
    assert_contains(&list, &[&format!(r#"id="beoordeling-{}""#, id(&high))]);
    assert!(!list.html.contains(&id(&low)), "{}", list.html);
    let queue = browser.get("/moderatie?melding=verborgen").await;
    assert_contains(
        &queue,
        &[
            "De beoordeling is verborgen",
            "Er zijn geen open meldingen.",
        ],
    );
    // The case still shows it to the moderator, hidden, offering to restore it.
    let case = browser.get(&case_path).await;
    assert_contains(
        &case,
        &[
            "Verborgen door een moderator",
            "Geen ervaring uit de praktijk.",
            r#"value="restore" checked"#,
        ],
    );
    let restore = [
        ("besluit", "restore"),
        ("reden", "De school bevestigde het gebruik."),
    ];
    let restored = post_with(&mut browser, &case, &case_path, &restore).await;
    assert_eq!(restored.status, 303, "{}", restored.html);
    assert_eq!(offering_figures(&app, &offering).await["rating_avg"], 3.0);
}

#[tokio::test]
async fn hostile_url_parts_never_give_a_500() {
    let Market {
        app,
        provider,
        offering,
        teacher,
        ..
    } = market().await;
    let (written, _) = review(&app, &teacher, &offering, 4).await;
    app.moderator("moderator@edumarkt.nl").await;
    let huge = "99999999999999999999";
    let nil = "00000000-0000-0000-0000-000000000000";
    let list = format!("/beheer/aanbieders/{provider}/beoordelingen");
    for email in ["admin@aanbieder.nl", "moderator@edumarkt.nl"] {
        let mut browser = logged_in(&app, email).await;
        let account = browser.get("/account").await;
        for part in ["%00", huge, "-1", "1e400", nil, "%27%22%3E%3Cscript%3E"] {
            for path in [
                format!("/beheer/aanbieders/{part}/beoordelingen"),
                format!("{list}?na={part}"),
                format!("{list}?zonder_reactie=ja&na={part}"),
                format!("/beheer/beoordelingen/{part}/reactie"),
                format!("/beoordelingen/{part}/melden"),
                format!("/moderatie/beoordelingen/{part}"),
            ] {
                let page = browser.get(&path).await;
                // A page start that names no review is an empty page.
                assert!(
                    [200, 400, 403, 404].contains(&page.status),
                    "{email} {path}: {} {}",
                    page.status,
                    page.html
                );
                assert!(!page.html.contains("<script>"), "{path}");
            }
            for path in [
                format!("/beheer/beoordelingen/{part}/reactie"),
                format!("/beoordelingen/{part}/melden"),
                format!("/moderatie/beoordelingen/{part}"),
            ] {
                let fields = [("reactie", "x"), ("soort", "anders"), ("besluit", "hide")];
                let page = post_with(&mut browser, &account, &path, &fields).await;
                assert!(
                    [400, 403, 404].contains(&page.status),
                    "{email} POST {path}: {} {}",
                    page.status,
                    page.html
                );
            }
        }
    }
    // A version that is no number, or out of range, is a stale form, never a 500.
    let mut browser = logged_in(&app, "admin@aanbieder.nl").await;
    let reply_path = format!("/beheer/beoordelingen/{}/reactie", id(&written));
    let form = browser.get(&reply_path).await;
    post_with(&mut browser, &form, &reply_path, &[("reactie", "Eerste.")]).await;
    for version in [huge, "abc", "-1"] {
        let page = post_with(
            &mut browser,
            &form,
            &reply_path,
            &[("reactie", "Tweede."), ("versie", version)],
        )
        .await;
        assert_eq!(page.status, 409, "{version}: {}", page.html);
    }
}

/// The journey in a real browser (`journeys/review-moderation.mjs`): the provider replies, a
/// visitor reports the review, a moderator hides it; the offering's average changes.
#[tokio::test]
async fn in_a_browser_a_provider_replies_and_a_moderator_hides_a_reported_review() {
    let Market {
        app,
        offering,
        leader,
        teacher,
        ..
    } = market().await;
    let (low, _) = review(&app, &teacher, &offering, 1).await;
    review(&app, &leader, &offering, 5).await;
    app.user("melder@elders.nl").await;
    app.moderator("moderator@edumarkt.nl").await;
    let figures = offering_figures(&app, &offering).await;
    assert_eq!(
        (&figures["review_count"], &figures["rating_avg"]),
        (&json!(2), &json!(3.0))
    );

    journey_with(
        &app,
        "review-moderation",
        &[("EDUMARKT_REVIEW_ID", &id(&low))],
    )
    .await;

    let figures = offering_figures(&app, &offering).await;
    assert_eq!(
        (&figures["review_count"], &figures["rating_avg"]),
        (&json!(1), &json!(5.0))
    );
    let hidden: Value = app
        .get(&format!("/v1/reviews/{}", id(&low)), Some(&teacher.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(hidden["hidden"], true);
    assert!(
        hidden["response"]["body"]
            .as_str()
            .unwrap()
            .starts_with("Dank voor uw ervaring!"),
        "{hidden}"
    );
}
