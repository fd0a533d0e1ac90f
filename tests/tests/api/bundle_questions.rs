//! Questions and answers on a demand bundle end to end (the nota van inlichtingen): providers
//! ask until the questions close (3 days before the offer deadline by default; one millisecond
//! before and exactly at that instant, with the clock moved), the owner answers each once,
//! answers are visible to every reader with the asker anonymous, and the refusals: not found
//! for those who cannot read the bundle, forbidden for a school leader asking and a non-owner
//! answering, every invalid field at once.

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use crate::bundles::{Network, bundle_body, json_of, network_on, open_bundle};
use crate::helpers::{TestApp, User, error_fields, problem, spawn_app};

fn questions(bundle: &str) -> String {
    format!("/v1/bundles/{bundle}/questions")
}

async fn ask(app: &TestApp, user: &User, bundle: &str, body: Value) -> reqwest::Response {
    app.post(&questions(bundle), &body, Some(&user.access))
        .await
}

async fn answer(
    app: &TestApp,
    user: &User,
    bundle: &str,
    question: &str,
    text: &str,
) -> reqwest::Response {
    app.post(
        &format!("{}/{question}/answer", questions(bundle)),
        &json!({ "answer": text }),
        Some(&user.access),
    )
    .await
}

/// The listing's body as text (for what must not appear in it) and its questions' texts.
async fn listing(app: &TestApp, user: Option<&User>, bundle: &str) -> (String, Vec<String>) {
    let response = app
        .get(&questions(bundle), user.map(|u| u.access.as_str()))
        .await;
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    let body: Value = serde_json::from_str(&text).unwrap();
    let asked = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["question"].as_str().unwrap().to_owned())
        .collect();
    (text, asked)
}

/// Nothing in `text` tells who asked: not the provider, not the person.
fn anonymous(text: &str, provider: &str, asker: &User) {
    for secret in [provider, asker.id.as_str(), asker.email.as_str()] {
        assert!(!text.contains(secret), "{secret} appears in {text}");
    }
}

async fn offer_deadline(n: &Network, bundle: &str) -> DateTime<Utc> {
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
    read["offer_deadline"].as_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn providers_ask_until_three_days_before_the_offer_deadline_and_answers_are_anonymous() {
    let n = network_on(spawn_app().await).await;
    let app = &n.app;
    let id = open_bundle(&n, "network").await;
    let (first, first_provider) = app.provider("vraag@aanbieder.nl", "12345678").await;
    let (second, second_provider) = app.provider("ander@aanbieder.nl", "87654321").await;

    let asked = json_of(
        ask(
            app,
            &first,
            &id,
            json!({"question": "  Mag de training ook online?  "}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(asked["question"], "Mag de training ook online?");
    assert!(asked["answer"].is_null());
    let first_question = asked["id"].as_str().unwrap().to_owned();
    let theirs = json_of(
        ask(
            app,
            &second,
            &id,
            json!({"question": "Hoeveel scholen doen er mee?"}),
        )
        .await,
        201,
    )
    .await;
    let second_question = theirs["id"].as_str().unwrap().to_owned();

    // Unanswered: the owner sees both, each provider its own, a member school none.
    assert_eq!(listing(app, Some(&n.coordinator), &id).await.1.len(), 2);
    assert_eq!(
        listing(app, Some(&first), &id).await.1,
        ["Mag de training ook online?"]
    );
    assert_eq!(
        listing(app, Some(&second), &id).await.1,
        ["Hoeveel scholen doen er mee?"]
    );
    assert!(listing(app, Some(&n.leaders[0]), &id).await.1.is_empty());

    // The owner answers once; a second answer is refused, as is an answer by anyone else.
    let answered = json_of(
        answer(
            app,
            &n.coordinator,
            &id,
            &first_question,
            "Ja, als hybride traject.",
        )
        .await,
        200,
    )
    .await;
    assert_eq!(answered["answer"], "Ja, als hybride traject.");
    anonymous(&answered.to_string(), &first_provider, &first);
    let again = answer(app, &n.coordinator, &id, &first_question, "Toch niet.").await;
    assert_eq!(again.status(), 409);
    for other in [&second, &first, &n.leaders[0]] {
        let refused = answer(app, other, &id, &second_question, "Twaalf.").await;
        assert_eq!(refused.status(), 403, "{}", other.email);
    }

    // The answer is everyone's who reads the bundle, with the asker anonymous to all.
    for reader in [&second, &n.leaders[0], &n.coordinator, &first] {
        let (text, asked) = listing(app, Some(reader), &id).await;
        assert!(
            asked.contains(&"Mag de training ook online?".to_owned()),
            "{}",
            reader.email
        );
        assert!(text.contains("Ja, als hybride traject."));
        anonymous(&text, &first_provider, &first);
        anonymous(&text, &second_provider, &second);
    }
    assert_eq!(listing(app, Some(&second), &id).await.1.len(), 2);
    assert_eq!(listing(app, Some(&n.leaders[0]), &id).await.1.len(), 1);

    // One millisecond before the close a question is taken; at the instant itself, not.
    let closes = offer_deadline(&n, &id).await - Duration::days(3);
    app.clock.set(closes - Duration::milliseconds(1));
    let first = app.log_in_again(&first).await;
    json_of(
        ask(
            app,
            &first,
            &id,
            json!({"question": "Is er een vaste contactpersoon?"}),
        )
        .await,
        201,
    )
    .await;
    app.clock.set(closes);
    let first = app.log_in_again(&first).await;
    let late = ask(app, &first, &id, json!({"question": "Nog eentje?"})).await;
    assert_eq!(late.status(), 409);
    assert!(
        problem(late).await["detail"]
            .as_str()
            .unwrap()
            .contains("closed")
    );
    // The owner still answers what came in time.
    let coordinator = app.log_in_again(&n.coordinator).await;
    json_of(
        answer(
            app,
            &coordinator,
            &id,
            &second_question,
            "Twee, en er komen er meer.",
        )
        .await,
        200,
    )
    .await;
    let (text, asked) = listing(app, Some(&first), &id).await;
    assert_eq!(asked.len(), 3, "{text}");
    anonymous(&text, &first_provider, &first);
    anonymous(&text, &second_provider, &second);
}

#[tokio::test]
async fn outsiders_find_nothing_leaders_and_non_owners_are_refused_and_errors_come_at_once() {
    let n = network_on(spawn_app().await).await;
    let app = &n.app;
    let id = open_bundle(&n, "network").await;
    let (provider, provider_id) = app.provider("vraag@aanbieder.nl", "12345678").await;
    let (_, other_provider) = app.provider("ander@aanbieder.nl", "87654321").await;
    let question = json!({"question": "Mag de training ook online?"});

    // A draft is its owner's alone: a provider does not find it to ask on, nor its questions.
    let draft = json_of(
        app.post(
            "/v1/bundles",
            &bundle_body(&n.network, app.state.clock.now(), "network"),
            Some(&n.coordinator.access),
        )
        .await,
        201,
    )
    .await;
    let draft = draft["id"].as_str().unwrap();
    assert_eq!(
        ask(app, &provider, draft, question.clone()).await.status(),
        404
    );
    assert_eq!(
        app.get(&questions(draft), Some(&provider.access))
            .await
            .status(),
        404
    );
    // A network bundle is not found by a school outside the network, nor by anyone anonymous.
    assert_eq!(
        ask(app, &n.outsider, &id, question.clone()).await.status(),
        404
    );
    assert_eq!(
        app.get(&questions(&id), Some(&n.outsider.access))
            .await
            .status(),
        404
    );
    assert_eq!(app.get(&questions(&id), None).await.status(), 404);
    // A member school's leader reads the bundle but does not ask.
    assert_eq!(
        ask(app, &n.leaders[0], &id, question.clone())
            .await
            .status(),
        403
    );

    // Every invalid field at once: a question too long, asked for another provider.
    let refused = ask(
        app,
        &provider,
        &id,
        json!({"question": "v".repeat(2_001), "provider_id": other_provider}),
    )
    .await;
    assert_eq!(refused.status(), 422);
    let body = problem(refused).await;
    assert_eq!(error_fields(&body), ["question", "provider_id"], "{body}");
    let refused = ask(app, &provider, &id, json!({"question": "   "})).await;
    assert_eq!(error_fields(&problem(refused).await), ["question"]);

    let asked = json_of(
        ask(
            app,
            &provider,
            &id,
            json!({"question": "Mag de training ook online?", "provider_id": provider_id}),
        )
        .await,
        201,
    )
    .await;
    let qid = asked["id"].as_str().unwrap();
    let refused = answer(app, &n.coordinator, &id, qid, &"a".repeat(4_001)).await;
    assert_eq!(refused.status(), 422);
    assert_eq!(error_fields(&problem(refused).await), ["answer"]);
    // Unknown questions, and questions of another bundle, are not found.
    let other = open_bundle(&n, "public").await;
    assert_eq!(
        answer(app, &n.coordinator, &other, qid, "Ja.")
            .await
            .status(),
        404
    );
    assert_eq!(
        answer(
            app,
            &n.coordinator,
            &id,
            "0190a000-0000-7000-8000-000000000000",
            "Ja."
        )
        .await
        .status(),
        404
    );
    // A public bundle's answered questions are anyone's, signed in or not.
    let public_question = json_of(ask(app, &provider, &other, question.clone()).await, 201).await;
    json_of(
        answer(
            app,
            &n.coordinator,
            &other,
            public_question["id"].as_str().unwrap(),
            "Ja.",
        )
        .await,
        200,
    )
    .await;
    let (text, asked) = listing(app, None, &other).await;
    assert_eq!(asked, ["Mag de training ook online?"]);
    anonymous(&text, &provider_id, &provider);
    // Its open contracting data carries the answered question as an enquiry, as anonymous.
    let ocds = app.get(&format!("/v1/bundles/{other}/ocds"), None).await;
    assert_eq!(ocds.status(), 200);
    let text = ocds.text().await.unwrap();
    let package: Value = serde_json::from_str(&text).unwrap();
    let tender = &package["releases"][0]["tender"];
    assert_eq!(tender["hasEnquiries"], true, "{text}");
    assert_eq!(tender["enquiries"][0]["answer"], "Ja.", "{text}");
    anonymous(&text, &provider_id, &provider);

    // The routes are in the OpenAPI document, and a wrong method is a 405 naming the right.
    let doc: Value = app.get("/openapi.json", None).await.json().await.unwrap();
    let paths = &doc["paths"];
    assert!(paths["/v1/bundles/{id}/questions"]["post"].is_object());
    assert!(paths["/v1/bundles/{id}/questions"]["get"].is_object());
    assert!(paths["/v1/bundles/{id}/questions/{qid}/answer"]["post"].is_object());
    let wrong = app.delete(&questions(&id), Some(&provider.access)).await;
    assert_eq!(wrong.status(), 405);

    // A cancelled bundle takes no more questions.
    json_of(
        app.post(
            &format!("/v1/bundles/{id}/cancel"),
            &json!({}),
            Some(&n.coordinator.access),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(ask(app, &provider, &id, question).await.status(), 409);
}
