//! Lasting effect over time: 6 and 12 months after a review its author is asked, once each, by
//! a job of the queue on the moved clock; the answers are kept with their dates and shown with
//! the review; only the author answers, and every invalid field is listed at once.

use chrono::{DateTime, Duration, Months, Utc};
use serde_json::{Value, json};

use crate::helpers::{TestApp, error_fields, problem};
use crate::jobs::worker;
use crate::reviews::{Market, id, json_of, market, review, teacher_at};

/// The follow-up requests sent to `to` about `review` so far, after giving the app's own worker
/// time to send `expected` of them (and a moment more, so a duplicate would show).
async fn follow_up_mails(app: &TestApp, to: &str, review: &str, expected: usize) -> Vec<String> {
    let link = format!("https://edumarkt.test/beoordelingen/{review}/vervolg");
    let found = || {
        app.state
            .mailer
            .sent()
            .into_iter()
            .filter(|m| m.to == to && m.text.contains(&link))
            .map(|m| m.text)
            .collect::<Vec<_>>()
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while found().len() < expected && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    found()
}

/// Moves the clock to `at` and runs the jobs due by then.
async fn run_jobs_at(app: &TestApp, at: DateTime<Utc>) {
    app.clock.set(at);
    worker(app).run_due().await.unwrap();
}

/// The review as anyone reads it.
async fn public_review(app: &TestApp, review: &Value) -> Value {
    json_of(app.get(&format!("/v1/reviews/{}", id(review)), None).await).await
}

fn written_at(review: &Value) -> DateTime<Utc> {
    review["created_at"].as_str().unwrap().parse().unwrap()
}

async fn follow_up_jobs(app: &TestApp) -> i64 {
    app.sql()
        .await
        .query_one(
            "SELECT count(*) FROM jobs WHERE kind = 'review_follow_up'",
            &[],
        )
        .await
        .unwrap()
        .get(0)
}

#[tokio::test]
async fn the_author_is_asked_six_and_twelve_months_later_once_each() {
    let Market {
        app,
        offering,
        leader,
        teacher,
        ..
    } = market().await;
    let (created, _) = review(&app, &teacher, &offering, 4).await;
    let review_id = id(&created);
    let written = written_at(&created);
    assert_eq!(follow_up_jobs(&app).await, 2);
    let six = written + Months::new(6);
    let twelve = written + Months::new(12);

    run_jobs_at(&app, six - Duration::days(1)).await;
    assert!(
        follow_up_mails(&app, &teacher.email, &review_id, 0)
            .await
            .is_empty(),
        "asked a day early"
    );

    run_jobs_at(&app, six).await;
    let mails = follow_up_mails(&app, &teacher.email, &review_id, 1).await;
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert!(mails[0].contains("6 maanden geleden"), "{}", mails[0]);
    assert!(mails[0].contains("Dyslexie-aanpak in de klas"));
    // Running the queue again sends nothing more.
    worker(&app).run_due().await.unwrap();
    assert_eq!(
        follow_up_mails(&app, &teacher.email, &review_id, 2)
            .await
            .len(),
        1
    );

    run_jobs_at(&app, twelve - Duration::days(1)).await;
    assert_eq!(
        follow_up_mails(&app, &teacher.email, &review_id, 2)
            .await
            .len(),
        1
    );
    run_jobs_at(&app, twelve).await;
    let mails = follow_up_mails(&app, &teacher.email, &review_id, 2).await;
    assert_eq!(mails.len(), 2, "{mails:?}");
    assert!(mails[1].contains("12 maanden geleden"), "{}", mails[1]);
    assert_eq!(follow_up_jobs(&app).await, 0);
    // No one else was asked about it.
    assert!(
        follow_up_mails(&app, &leader.email, &review_id, 0)
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn a_deleted_review_and_an_erased_author_are_not_asked() {
    let Market {
        app,
        offering,
        leader,
        school,
        teacher,
        ..
    } = market().await;
    let (deleted, _) = review(&app, &teacher, &offering, 4).await;
    assert_eq!(
        app.delete(
            &format!("/v1/reviews/{}", id(&deleted)),
            Some(&teacher.access)
        )
        .await
        .status(),
        204
    );
    let erased = teacher_at(&app, &leader, &school, "weg@linde.nl").await;
    let (kept, _) = review(&app, &erased, &offering, 3).await;
    assert_eq!(
        app.delete("/v1/me", Some(&erased.access)).await.status(),
        204
    );

    run_jobs_at(&app, written_at(&kept) + Months::new(12)).await;
    for (to, review) in [(&teacher.email, &deleted), (&erased.email, &kept)] {
        assert!(
            follow_up_mails(&app, to, &id(review), 0).await.is_empty(),
            "{to} was asked"
        );
    }
    // The jobs finished (nothing left to retry).
    assert_eq!(follow_up_jobs(&app).await, 0);
}

#[tokio::test]
async fn the_author_records_follow_ups_shown_with_the_review_by_date() {
    let Market {
        app,
        offering,
        teacher,
        ..
    } = market().await;
    let (created, _) = review(&app, &teacher, &offering, 4).await;
    let path = format!("/v1/reviews/{}/follow-ups", id(&created));
    assert_eq!(created["follow_ups"], json!([]));

    app.clock.advance(Duration::days(183));
    let teacher = app.log_in_again(&teacher).await;
    let first_at = app.state.clock.now();
    let first = app
        .post(
            &path,
            &json!({"still_in_use": true, "lasting_effect": 4,
                    "note": "  Nog steeds in gebruik in groep 5. "}),
            Some(&teacher.access),
        )
        .await;
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    assert_eq!(first["still_in_use"], true);
    assert_eq!(first["lasting_effect"], 4);
    assert_eq!(first["note"], "Nog steeds in gebruik in groep 5.");

    app.clock.advance(Duration::days(182));
    let teacher = app.log_in_again(&teacher).await;
    let second = app
        .post(
            &path,
            &json!({"still_in_use": false}),
            Some(&teacher.access),
        )
        .await;
    assert_eq!(second.status(), 201);

    // Anyone reading the review sees the answers, oldest first, with their dates; the note
    // is the author's own.
    let shown = public_review(&app, &created).await;
    let follow_ups = shown["follow_ups"].as_array().unwrap();
    assert_eq!(follow_ups.len(), 2, "{shown}");
    let answered: DateTime<Utc> = follow_ups[0]["answered_at"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(answered.timestamp(), first_at.timestamp());
    assert_eq!(
        (
            &follow_ups[0]["still_in_use"],
            &follow_ups[0]["lasting_effect"]
        ),
        (&json!(true), &json!(4))
    );
    assert_eq!(
        (
            &follow_ups[1]["still_in_use"],
            &follow_ups[1]["lasting_effect"]
        ),
        (&json!(false), &Value::Null)
    );
    assert!(follow_ups[0].get("note").is_none(), "{shown}");
    // The original review stays as written.
    assert_eq!(shown["ratings"]["lasting_effect"], 5);
    let listed = json_of(
        app.get(&format!("/v1/offerings/{offering}/reviews"), None)
            .await,
    )
    .await;
    assert_eq!(listed["items"][0]["follow_ups"], shown["follow_ups"]);
    let export = json_of(app.get("/v1/me/export", Some(&teacher.access)).await).await;
    let exported = &export["reviews"][0]["follow_ups"];
    assert_eq!(exported.as_array().unwrap().len(), 2, "{export}");
    assert_eq!(exported[0]["note"], "Nog steeds in gebruik in groep 5.");

    // Erasing the account leaves the answers with the anonymised review.
    assert_eq!(
        app.delete("/v1/me", Some(&teacher.access)).await.status(),
        204
    );
    let after = public_review(&app, &created).await;
    assert_eq!(after["follow_ups"], shown["follow_ups"]);
}

#[tokio::test]
async fn only_the_author_answers_and_invalid_answers_are_refused_whole() {
    let Market {
        app,
        offering,
        leader,
        teacher,
        ..
    } = market().await;
    let (created, _) = review(&app, &teacher, &offering, 4).await;
    let path = format!("/v1/reviews/{}/follow-ups", id(&created));
    let answer = json!({"still_in_use": true, "lasting_effect": 3});

    assert_eq!(app.post(&path, &answer, None).await.status(), 401);
    let stranger = app.post(&path, &answer, Some(&leader.access)).await;
    assert_eq!(stranger.status(), 403);
    let unknown = format!("/v1/reviews/{}/follow-ups", uuid::Uuid::now_v7());
    assert_eq!(
        app.post(&unknown, &answer, Some(&teacher.access))
            .await
            .status(),
        404
    );

    let invalid = app
        .post(
            &path,
            &json!({"lasting_effect": 9, "note": "x".repeat(501)}),
            Some(&teacher.access),
        )
        .await;
    assert_eq!(invalid.status(), 422);
    let body = problem(invalid).await;
    assert_eq!(
        error_fields(&body),
        ["still_in_use", "lasting_effect", "note"],
        "{body}"
    );

    let stored: i64 = app
        .sql()
        .await
        .query_one("SELECT count(*) FROM review_follow_ups", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(stored, 0);
    let shown = public_review(&app, &created).await;
    assert_eq!(shown["follow_ups"], json!([]));
}
