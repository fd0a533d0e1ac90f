//! The owner's side of a tender as a browser receives it: the nota van inlichtingen (asking,
//! answering, answers anonymous to every other provider, asking refused once questions
//! close), and the evaluation: sealed before the offer deadline without leaking even a count,
//! scoring with every error at once and nothing kept, the ranking with abnormally low offers
//! and the price method explained, the award, the winner withdrawing and the next awarded,
//! and everyone but the owner refused. Each change is checked against what the API then says.

use chrono::Duration;
use serde_json::{Value, json};

use crate::account_pages::{Browser, Page};
use crate::bundle_offers::{Tender, tender_priced, tender_with};
use crate::bundles::{json_of, open_bundle};
use crate::helpers::offering_body;
use crate::review_admin_pages::{assert_contains, post_with};
use crate::shortlist_pages::logged_in;

const QUESTION: &str = "Mag de begeleiding ook op dinsdagmiddag plaatsvinden?";
const ANSWER: &str = "Ja, dinsdag en woensdag zijn allebei mogelijk.";
const NAMES: [&str; 3] = ["Aanbieder Alfa", "Aanbieder Beta", "Aanbieder Gamma"];

/// Gives the tender's providers distinct names, so a page can be read for who is where.
async fn name_providers(t: &Tender) {
    let sql = t.app().sql().await;
    for ((_, provider, _), name) in t.providers.iter().zip(NAMES) {
        sql.execute(
            "UPDATE organizations SET name = $1 WHERE id = $2",
            &[&name, &provider.parse::<uuid::Uuid>().unwrap()],
        )
        .await
        .unwrap();
    }
}

/// A third provider with a published offering.
async fn third_provider(t: &mut Tender) {
    let (admin, provider) = t.app().provider("c@aanbieder-c.nl", "44444444").await;
    let offering = t.app().publish(&admin, &provider, &offering_body()).await;
    t.providers.push((admin, provider, offering));
}

/// The offers of `prices` by the first providers, made after the joining deadline; their ids.
async fn offers_at(t: &mut Tender, prices: &[i64]) -> Vec<String> {
    t.at(t.join_deadline).await;
    let mut ids = Vec::new();
    for (i, price) in prices.iter().enumerate() {
        let made = json_of(t.offer(i, *price).await, 201).await;
        ids.push(made["id"].as_str().unwrap().to_owned());
    }
    ids
}

fn questions_path(bundle: &str) -> String {
    format!("/bundels/{bundle}/vragen")
}

fn evaluation_path(bundle: &str) -> String {
    format!("/bundels/{bundle}/beoordeling")
}

fn scores_path(bundle: &str, offer: &str) -> String {
    format!("/bundels/{bundle}/offertes/{offer}/scores")
}

fn award_path(bundle: &str) -> String {
    format!("/bundels/{bundle}/gunnen")
}

/// The page at `path`, expected with `status`.
async fn page(browser: &mut Browser<'_>, path: &str, status: u16) -> Page {
    let page = browser.get(path).await;
    assert_eq!(page.status, status, "{path}: {}", page.html);
    page
}

/// The owner's offers as the API shows them, by id.
async fn offers_json(t: &Tender) -> Vec<Value> {
    let listed = json_of(
        t.app()
            .get(&t.offers(), Some(&t.n.coordinator.access))
            .await,
        200,
    )
    .await;
    listed["items"].as_array().unwrap().clone()
}

async fn bundle_json(t: &Tender) -> Value {
    json_of(
        t.app()
            .get(
                &format!("/v1/bundles/{}", t.bundle),
                Some(&t.n.coordinator.access),
            )
            .await,
        200,
    )
    .await
}

/// The questions' texts the owner reads through the API.
async fn questions_json(t: &Tender) -> Vec<Value> {
    let listed = json_of(
        t.app()
            .get(
                &format!("/v1/bundles/{}/questions", t.bundle),
                Some(&t.n.coordinator.access),
            )
            .await,
        200,
    )
    .await;
    listed["items"].as_array().unwrap().clone()
}

/// The id in the first link of `page` to `prefix<id>suffix`.
fn id_between(page: &Page, prefix: &str, suffix: &str) -> String {
    let start = page
        .html
        .find(prefix)
        .unwrap_or_else(|| panic!("no {prefix} in {}", page.html))
        + prefix.len();
    let rest = &page.html[start..];
    rest[..rest.find(suffix).unwrap()].to_owned()
}

#[tokio::test]
async fn providers_ask_the_owner_answers_and_every_provider_reads_the_answer_anonymously() {
    let mut t = tender_with("network").await;
    name_providers(&t).await;
    let bundle = t.bundle.clone();
    let path = questions_path(&bundle);
    let app = t.app();
    let mut asker = logged_in(app, &t.admin(0).email).await;
    let form = page(&mut asker, &path, 200).await;
    assert_contains(
        &form,
        &[
            "Vragen en antwoorden",
            "Aanbieders kunnen vragen stellen tot",
            &format!(r#"action="{path}""#),
            ">Vraag stellen<",
            r#"<label class="utrecht-form-label" for="veld-vraag">"#,
            &format!(r#"href="/bundels/{bundle}""#),
        ],
    );

    // An empty question: the error at its box, nothing stored.
    let empty = post_with(&mut asker, &form, &path, &[("vraag", "  ")]).await;
    assert_eq!(empty.status, 400, "{}", empty.html);
    assert_contains(
        &empty,
        &[
            "Er is een probleem",
            r##"href="#veld-vraag">Vraag: vul dit in"##,
        ],
    );
    assert!(questions_json(&t).await.is_empty());

    let asked = post_with(&mut asker, &form, &path, &[("vraag", QUESTION)]).await;
    assert_eq!(asked.status, 303, "{}", asked.html);
    assert_eq!(
        asked.location.as_deref(),
        Some(format!("{path}?melding=gesteld").as_str())
    );
    let own = page(&mut asker, asked.location.as_deref().unwrap(), 200).await;
    assert_contains(
        &own,
        &[
            "Uw vraag is gesteld",
            "Uw vragen zonder antwoord",
            QUESTION,
            "nog niet beantwoord",
        ],
    );
    // Another provider does not see a question before it is answered.
    let mut other = logged_in(app, &t.admin(1).email).await;
    let before = page(&mut other, &path, 200).await;
    assert!(!before.html.contains(QUESTION), "{}", before.html);
    assert_contains(&before, &["Er zijn nog geen vragen beantwoord."]);

    // The owner sees it with an answer form; an empty answer is refused at its box.
    let mut owner = logged_in(app, &t.n.coordinator.email).await;
    let open = page(&mut owner, &path, 200).await;
    let question = id_between(&open, &format!("/bundels/{bundle}/vragen/"), "/antwoord");
    let answer_path = format!("/bundels/{bundle}/vragen/{question}/antwoord");
    assert_contains(
        &open,
        &[
            "Vragen zonder antwoord",
            QUESTION,
            &format!(r#"action="{answer_path}""#),
            ">Antwoord plaatsen<",
        ],
    );
    assert!(!open.html.contains(">Vraag stellen<"), "{}", open.html);
    let empty = post_with(&mut owner, &open, &answer_path, &[("antwoord", "")]).await;
    assert_eq!(empty.status, 400, "{}", empty.html);
    assert_contains(
        &empty,
        &[&format!(
            r##"href="#veld-antwoord-{question}">Antwoord: vul dit in"##
        )],
    );
    assert!(questions_json(&t).await[0]["answer"].is_null());
    let answered = post_with(&mut owner, &open, &answer_path, &[("antwoord", ANSWER)]).await;
    assert_eq!(answered.status, 303, "{}", answered.html);
    assert_eq!(questions_json(&t).await[0]["answer"], ANSWER);
    let shown = page(&mut owner, answered.location.as_deref().unwrap(), 200).await;
    assert_contains(
        &shown,
        &[
            "Uw antwoord is geplaatst",
            ANSWER,
            "Alle vragen zijn beantwoord.",
        ],
    );
    // Answered once: a second answer is refused in Dutch and changes nothing.
    let twice = post_with(
        &mut owner,
        &open,
        &answer_path,
        &[("antwoord", "Toch niet.")],
    )
    .await;
    assert_eq!(twice.status, 409, "{}", twice.html);
    assert_contains(&twice, &["Deze vraag is al beantwoord."]);
    assert_eq!(questions_json(&t).await[0]["answer"], ANSWER);

    // Every other reader sees the answer, and nothing of who asked.
    let after = page(&mut other, &path, 200).await;
    assert_contains(&after, &[QUESTION, ANSWER, "Beantwoorde vragen"]);
    for secret in [
        NAMES[0],
        &t.admin(0).email,
        &t.admin(0).id,
        &t.providers[0].1,
    ] {
        assert!(!after.html.contains(secret), "{secret} in {}", after.html);
    }
    let mut leader = logged_in(app, &t.n.leaders[0].email).await;
    let read = page(&mut leader, &path, 200).await;
    assert_contains(&read, &[QUESTION, ANSWER]);
    assert!(!read.html.contains(">Vraag stellen<"));

    // Three days before the offer deadline questions close: the page says so and a question
    // posted anyway is refused in Dutch, nothing stored.
    let closes = t.offer_deadline - Duration::days(3);
    t.at(closes - Duration::milliseconds(1)).await;
    let mut asker = logged_in(t.app(), &t.admin(0).email).await;
    let last = page(&mut asker, &path, 200).await;
    assert_contains(&last, &[">Vraag stellen<"]);
    t.app().clock.set(closes);
    let closed = page(&mut asker, &path, 200).await;
    assert_contains(
        &closed,
        &["U kunt geen vragen meer stellen: de termijn voor vragen is gesloten op"],
    );
    assert!(!closed.html.contains(">Vraag stellen<"), "{}", closed.html);
    let late = post_with(&mut asker, &last, &path, &[("vraag", "Nog een vraag?")]).await;
    assert_eq!(late.status, 409, "{}", late.html);
    assert_contains(
        &late,
        &[
            "Er is een probleem",
            r##"href="#termijn">U kunt geen vragen meer stellen"##,
        ],
    );
    assert_eq!(questions_json(&t).await.len(), 1);
}

/// The page with every id, token and title that differs between two bundles made alike
/// replaced, so what is left is what the page tells of the offers.
fn normalised(page: &Page, bundle: &str) -> String {
    let csrf = page.csrf();
    page.html.replace(bundle, "BUNDEL").replace(&csrf, "TOKEN")
}

#[tokio::test]
async fn before_the_deadline_the_evaluation_shows_nothing_of_the_offers_not_even_a_count() {
    let mut t = tender_with("network").await;
    // A bundle like it that gets no offers.
    let empty = open_bundle(&t.n, "network").await;
    let ids = offers_at(&mut t, &[2_400_000, 2_000_000]).await;
    assert_eq!(ids.len(), 2);
    let mut owner = logged_in(t.app(), &t.n.coordinator.email).await;
    let sealed = page(&mut owner, &evaluation_path(&t.bundle), 200).await;
    let none = page(&mut owner, &evaluation_path(&empty), 200).await;
    assert_contains(
        &sealed,
        &[
            "Beoordeling van de offertes",
            "De offertes blijven verzegeld tot",
            "geen aantal, geen prijs en geen inhoud",
        ],
    );
    assert_eq!(normalised(&sealed, &t.bundle), normalised(&none, &empty));
    for leak in [
        "24.000",
        "Drie studiedagen",
        "offerte-",
        ">Gunnen<",
        "Rangorde",
    ] {
        assert!(!sealed.html.contains(leak), "{leak} in {}", sealed.html);
    }
    // A millisecond before the deadline, the same; scoring and awarding are refused.
    t.at(t.offer_deadline - Duration::milliseconds(1)).await;
    let mut owner = logged_in(t.app(), &t.n.coordinator.email).await;
    let sealed = page(&mut owner, &evaluation_path(&t.bundle), 200).await;
    assert_contains(&sealed, &["De offertes blijven verzegeld tot"]);
    let early = post_with(
        &mut owner,
        &sealed,
        &scores_path(&t.bundle, &ids[0]),
        &[("fit", "8")],
    )
    .await;
    assert_eq!(early.status, 404, "{}", early.html);
    let award = post_with(
        &mut owner,
        &sealed,
        &award_path(&t.bundle),
        &[("offerte", &ids[0]), ("motivering", "Vroeg")],
    )
    .await;
    assert_eq!(award.status, 409, "{}", award.html);
    assert!(!award.html.contains("24.000"), "{}", award.html);
    assert_eq!(bundle_json(&t).await["status"], "tendering");
}

#[tokio::test]
async fn the_owner_scores_ranks_and_awards_on_the_page_and_awards_the_next_after_a_withdrawal() {
    let mut t = tender_with("network").await;
    third_provider(&mut t).await;
    name_providers(&t).await;
    let ids = offers_at(&mut t, &[2_400_000, 2_000_000, 600_000]).await;
    t.at(t.offer_deadline).await;
    let bundle = t.bundle.clone();
    let path = evaluation_path(&bundle);
    let mut owner = logged_in(t.app(), &t.n.coordinator.email).await;
    let opened = page(&mut owner, &path, 200).await;
    assert_contains(
        &opened,
        &[
            "offertes in beoordeling",
            "<caption class=\"utrecht-table__caption\">Rangorde van de offertes",
            r#"<th class="utrecht-table__header-cell" scope="col">aansluiting bij de vraag (35%)</th>"#,
            "Prijs (40%): ten opzichte van het budget van de bundel.",
            "geen andere offerte kan de volgorde van twee offertes veranderen",
            NAMES[0],
            NAMES[1],
            NAMES[2],
            "€ 24.000",
            "€ 20.000",
            "€ 6.000",
            "Drie studiedagen en coaching in de klas",
            "We beginnen met de leesresultaten van groep 4.",
            "nog niet gescoord",
            "<strong>Abnormaal laag</strong>",
            "Vraag de aanbieder schriftelijk om een toelichting",
            &format!(r#"action="{}""#, scores_path(&bundle, &ids[0])),
            &format!(r#"action="{}""#, award_path(&bundle)),
        ],
    );
    assert!(!opened.html.contains("rangomkering"), "{}", opened.html);
    // Only the lowest offer is flagged.
    assert_eq!(
        opened
            .html
            .matches("<strong>Abnormaal laag</strong>")
            .count(),
        1
    );

    // Wrong scores: every error at once, what was typed kept, nothing stored.
    let scores = scores_path(&bundle, &ids[0]);
    let wrong = post_with(
        &mut owner,
        &opened,
        &scores,
        &[("fit", "11"), ("lasting_effect", "veel")],
    )
    .await;
    assert_eq!(wrong.status, 400, "{}", wrong.html);
    let fit = format!("veld-score-{}-fit", ids[0]);
    let lasting = format!("veld-score-{}-lasting_effect", ids[0]);
    assert_contains(
        &wrong,
        &[
            "Er is een probleem",
            &format!(
                r##"href="#{fit}">Score voor aansluiting bij de vraag: geef een getal van 0 tot en met 10"##
            ),
            &format!(
                r##"href="#{lasting}">Score voor blijvend effect: geef een getal van 0 tot en met 10"##
            ),
            r#"value="11""#,
            r#"value="veel""#,
        ],
    );
    for offer in offers_json(&t).await {
        assert_eq!(offer["scores"], json!({}), "{offer}");
    }

    // Scores per offer; a later form with one box filled keeps the other score.
    for (i, fit, lasting) in [(0, "9", "9,0"), (1, "6", "5"), (2, "4", "3")] {
        let saved = post_with(
            &mut owner,
            &opened,
            &scores_path(&bundle, &ids[i]),
            &[("fit", fit), ("lasting_effect", lasting)],
        )
        .await;
        assert_eq!(saved.status, 303, "{}", saved.html);
    }
    let again = post_with(
        &mut owner,
        &opened,
        &scores_path(&bundle, &ids[1]),
        &[("fit", "6,5"), ("lasting_effect", "")],
    )
    .await;
    assert_eq!(again.status, 303, "{}", again.html);
    let scored = offers_json(&t).await;
    let of = |id: &str| scored.iter().find(|o| o["id"] == id).unwrap()["scores"].clone();
    assert_eq!(of(&ids[0]), json!({"fit": 9.0, "lasting_effect": 9.0}));
    assert_eq!(of(&ids[1]), json!({"fit": 6.5, "lasting_effect": 5.0}));

    // The ranking table by total: A (78), B, C; scores shown Dutch style.
    let ranked = page(&mut owner, &format!("{path}?melding=scores"), 200).await;
    assert_contains(
        &ranked,
        &["De scores zijn opgeslagen", ">78<", ">6,5<", r#"value="9""#],
    );
    let table =
        &ranked.html[ranked.html.find("<table").unwrap()..ranked.html.find("</table>").unwrap()];
    let at = |name: &str| table.find(name).unwrap();
    assert!(
        at(NAMES[0]) < at(NAMES[1]) && at(NAMES[1]) < at(NAMES[2]),
        "{table}"
    );

    // The award needs a motivation and a live offer of the ranking.
    let award = award_path(&bundle);
    let unmotivated = post_with(
        &mut owner,
        &ranked,
        &award,
        &[("offerte", &ids[0]), ("motivering", " ")],
    )
    .await;
    assert_eq!(unmotivated.status, 400, "{}", unmotivated.html);
    assert_contains(
        &unmotivated,
        &[
            r##"href="#veld-motivering">Motivering: leg uit waarom u deze offerte gunt"##,
            &format!(r#"value="{}" checked"#, ids[0]),
        ],
    );
    let garbage = post_with(
        &mut owner,
        &ranked,
        &award,
        &[("offerte", "geen-id"), ("motivering", "Goed")],
    )
    .await;
    assert_eq!(garbage.status, 400, "{}", garbage.html);
    assert_contains(
        &garbage,
        &[
            r##"href="#veld-offerte">Offerte: kies een offerte uit de rangorde"##,
            r#"Goed</textarea>"#,
        ],
    );
    let nothing = post_with(&mut owner, &ranked, &award, &[]).await;
    assert_eq!(nothing.status, 400, "{}", nothing.html);
    assert_contains(
        &nothing,
        &["Offerte: kies de offerte die u gunt", "Motivering: leg uit"],
    );
    assert_eq!(bundle_json(&t).await["status"], "evaluating");

    let motivation = "Beste aansluiting bij de leesaanpak van de scholen.";
    let awarded = post_with(
        &mut owner,
        &ranked,
        &award,
        &[("offerte", &ids[0]), ("motivering", motivation)],
    )
    .await;
    assert_eq!(awarded.status, 303, "{}", awarded.html);
    let read = bundle_json(&t).await;
    assert_eq!(read["status"], "awarded");
    assert_eq!(read["award"]["offer_id"], ids[0].as_str());
    let shown = page(&mut owner, awarded.location.as_deref().unwrap(), 200).await;
    assert_contains(
        &shown,
        &[
            "De bundel is gegund",
            "Gegund aan</dt><dd>Aanbieder Alfa",
            motivation,
        ],
    );
    assert!(!shown.html.contains(&format!(r#"action="{award}""#)));
    // A second award is refused in Dutch.
    let twice = post_with(
        &mut owner,
        &ranked,
        &award,
        &[("offerte", &ids[1]), ("motivering", "B")],
    )
    .await;
    assert_eq!(twice.status, 409, "{}", twice.html);
    assert_contains(&twice, &["De bundel is al gegund."]);

    // The winner withdraws (API): the page says so and offers the next.
    let withdrawn = t
        .app()
        .post(
            &format!("{}/{}/withdraw", t.offers(), ids[0]),
            &json!({}),
            Some(&t.admin(0).access),
        )
        .await;
    assert_eq!(withdrawn.status(), 200);
    let next = page(&mut owner, &path, 200).await;
    assert_contains(
        &next,
        &[
            "heeft zijn offerte ingetrokken",
            &format!(r#"action="{award}""#),
            &format!(r#"value="{}""#, ids[1]),
        ],
    );
    assert!(!next.html.contains(NAMES[0]), "{}", next.html);
    let awarded = post_with(
        &mut owner,
        &next,
        &award,
        &[
            ("offerte", &ids[1]),
            ("motivering", "De volgende in de rangorde."),
        ],
    )
    .await;
    assert_eq!(awarded.status, 303, "{}", awarded.html);
    assert_eq!(bundle_json(&t).await["award"]["offer_id"], ids[1].as_str());
    let shown = page(&mut owner, &path, 200).await;
    assert_contains(&shown, &["Gegund aan</dt><dd>Aanbieder Beta"]);
    assert!(!shown.html.contains("heeft zijn offerte ingetrokken"));
}

#[tokio::test]
async fn the_relative_price_method_is_explained_with_its_rank_reversal() {
    let mut t = tender_priced("network", "relative").await;
    name_providers(&t).await;
    offers_at(&mut t, &[2_400_000, 2_000_000]).await;
    t.at(t.offer_deadline).await;
    let mut owner = logged_in(t.app(), &t.n.coordinator.email).await;
    let opened = page(&mut owner, &evaluation_path(&t.bundle), 200).await;
    assert_contains(
        &opened,
        &[
            "Prijs (40%): ten opzichte van de laagste prijs.",
            "de volgorde van twee offertes omdraaien als een derde, goedkopere offerte erbij komt",
            "(rangomkering)",
            // The lowest price scores 10.
            ">10<",
        ],
    );
    assert!(!opened.html.contains("Abnormaal laag"), "{}", opened.html);
}

/// Posts the forms of the evaluation with `browser`'s own token (from a page it may see).
async fn forms_refused(browser: &mut Browser<'_>, bundle: &str, offer: &str) {
    let any = page(browser, "/account", 200).await;
    let scored = post_with(browser, &any, &scores_path(bundle, offer), &[("fit", "10")]).await;
    let awarded = post_with(
        browser,
        &any,
        &award_path(bundle),
        &[("offerte", offer), ("motivering", "Ik gun mezelf.")],
    )
    .await;
    for refused in [scored, awarded] {
        assert!([403, 404].contains(&refused.status), "{}", refused.html);
    }
}

#[tokio::test]
async fn participants_moderators_and_other_providers_are_refused_and_odd_ids_never_fail() {
    let mut t = tender_with("public").await;
    let ids = offers_at(&mut t, &[2_400_000, 2_000_000]).await;
    t.at(t.offer_deadline).await;
    let app = t.app();
    app.moderator("moderator@edumarkt.nl").await;
    let path = evaluation_path(&t.bundle);
    let outsiders = [
        t.n.leaders[0].email.clone(),
        "moderator@edumarkt.nl".to_owned(),
        t.admin(1).email.clone(),
    ];
    for email in &outsiders {
        let mut browser = logged_in(app, email).await;
        let refused = page(&mut browser, &path, 403).await;
        assert_contains(&refused, &["Geen toegang"]);
        for leak in ["24.000", "20.000", "Drie studiedagen"] {
            assert!(!refused.html.contains(leak), "{email}: {}", refused.html);
        }
        forms_refused(&mut browser, &t.bundle, &ids[0]).await;
    }
    for offer in offers_json(&t).await {
        assert_eq!(offer["scores"], json!({}));
    }
    assert_eq!(bundle_json(&t).await["status"], "evaluating");

    // Ids that name nothing: a Dutch 404, never a 500.
    let mut owner = logged_in(app, &t.n.coordinator.email).await;
    let opened = page(&mut owner, &path, 200).await;
    let unknown = uuid::Uuid::now_v7().to_string();
    for missing in [
        "/bundels/geen-id/beoordeling".to_owned(),
        evaluation_path(&unknown),
        questions_path(&unknown),
    ] {
        let shown = page(&mut owner, &missing, 404).await;
        assert_contains(&shown, &["Pagina niet gevonden"]);
    }
    // The edge refuses a NUL before any page sees it.
    let nul = page(&mut owner, "/bundels/%00/vragen", 400).await;
    assert_contains(&nul, &["Ongeldige invoer"]);
    for (action, fields) in [
        (scores_path(&t.bundle, "geen-id"), vec![("fit", "5")]),
        (scores_path(&t.bundle, &unknown), vec![("fit", "5")]),
        (scores_path("geen-id", &ids[0]), vec![("fit", "5")]),
        (award_path("geen-id"), vec![("offerte", ids[0].as_str())]),
        (
            format!("/bundels/{}/vragen/geen-id/antwoord", t.bundle),
            vec![("antwoord", "Ja")],
        ),
        (
            format!("/bundels/{}/vragen/{unknown}/antwoord", t.bundle),
            vec![("antwoord", "Ja")],
        ),
    ] {
        let refused = post_with(&mut owner, &opened, &action, &fields).await;
        assert!(
            [404, 409].contains(&refused.status),
            "{action}: {} {}",
            refused.status,
            refused.html
        );
    }
    // Boxes the bundle does not score, and odd values: field errors, nothing stored.
    let odd = post_with(
        &mut owner,
        &opened,
        &scores_path(&t.bundle, &ids[0]),
        &[
            ("price", "5"),
            ("onzin", "1"),
            ("fit", "NaN"),
            ("lasting_effect", "1e999"),
        ],
    )
    .await;
    assert_eq!(odd.status, 400, "{}", odd.html);
    assert_contains(
        &odd,
        &[
            "Score voor prijs: dit criterium telt niet mee",
            "Score voor onzin: dit criterium telt niet mee",
            "Score voor aansluiting bij de vraag: geef een getal van 0 tot en met 10",
            "Score voor blijvend effect: geef een getal van 0 tot en met 10",
        ],
    );
    let empty = post_with(&mut owner, &opened, &scores_path(&t.bundle, &ids[0]), &[]).await;
    assert_eq!(empty.status, 400, "{}", empty.html);
    assert_contains(
        &empty,
        &[&format!(
            r##"href="#offerte-{}">Scores: vul minstens één score in"##,
            ids[0]
        )],
    );
    for offer in offers_json(&t).await {
        assert_eq!(offer["scores"], json!({}));
    }
}
