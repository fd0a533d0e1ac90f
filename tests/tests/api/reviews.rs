//! Reviews end to end: who may write one, edits guarded by If-Match, votes, the provider's
//! reply, confirmation by the school's leader, anonymity and subgroup thresholds, the
//! aggregates (exact under concurrent writers, and in the search documents), and what erasing
//! an account does to its reviews.

use chrono::Duration;
use futures_util::future::join_all;
use serde_json::{Value, json};

use crate::helpers::{
    PASSWORD, TestApp, User, error_fields, offering_body, problem, school_body, spawn_app,
    spawn_app_with, titles, verify_clean,
};

/// A provider with a published offering, and a school in Utrecht with its leader and a teacher.
pub struct Market {
    pub app: TestApp,
    pub admin: User,
    pub provider: String,
    pub offering: String,
    pub leader: User,
    pub school: String,
    pub teacher: User,
}

pub async fn market() -> Market {
    market_on(spawn_app().await).await
}

pub async fn market_on(app: TestApp) -> Market {
    let (admin, provider) = app.provider("admin@aanbieder.nl", "12345678").await;
    let offering = app.publish(&admin, &provider, &offering_body()).await;
    let leader = app.user("leider@linde.nl").await;
    let school = app.organization(&leader, school_body("12AB")).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let teacher = teacher_at(&app, &leader, &school, "docent@linde.nl").await;
    Market {
        app,
        admin,
        provider,
        offering,
        leader,
        school,
        teacher,
    }
}

/// A new user who joins the school as a teacher.
pub async fn teacher_at(app: &TestApp, leader: &User, school: &str, email: &str) -> User {
    let teacher = app.user(email).await;
    let joined = app.join(leader, school, &teacher, "teacher").await;
    assert!(joined.status().is_success(), "{:?}", joined.text().await);
    teacher
}

/// A new school (in Utrecht) with its leader; returns (leader, school id).
pub async fn new_school(app: &TestApp, leader_email: &str, brin: &str) -> (User, String) {
    let leader = app.user(leader_email).await;
    let school = app.organization(&leader, school_body(brin)).await;
    (leader, school["id"].as_str().unwrap().to_owned())
}

pub fn review_body(overall: u8) -> Value {
    json!({
        "ratings": {"overall": overall, "expertise": 4, "lasting_effect": 5},
        "context": {"sector": "vo", "scale": "team", "phase": "implemented",
                    "period_start": "2025-09", "still_in_use": true},
        "pros": "Concreet en direct toepasbaar in de klas.",
        "pitfalls": "Plan de vervolgsessies vooraf in.",
        "provider_tie": "none",
        "reward": "none"
    })
}

pub async fn write(app: &TestApp, user: &User, offering: &str, body: &Value) -> reqwest::Response {
    app.post(
        &format!("/v1/offerings/{offering}/reviews"),
        body,
        Some(&user.access),
    )
    .await
}

/// Writes a review; returns its JSON and ETag.
pub async fn review(app: &TestApp, user: &User, offering: &str, overall: u8) -> (Value, String) {
    let response = write(app, user, offering, &review_body(overall)).await;
    assert_eq!(response.status(), 201, "{:?}", response.text().await);
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    (response.json().await.unwrap(), etag)
}

pub async fn json_of(response: reqwest::Response) -> Value {
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// The offering with its review figures, as anyone reads it.
pub async fn offering_figures(app: &TestApp, offering: &str) -> Value {
    json_of(app.get(&format!("/v1/offerings/{offering}"), None).await).await
}

/// The offering's reviews with the query string `query`, as anyone reads them.
pub async fn list(app: &TestApp, offering: &str, query: &str) -> Value {
    json_of(
        app.get(&format!("/v1/offerings/{offering}/reviews?{query}"), None)
            .await,
    )
    .await
}

fn ids(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect()
}

pub fn id(review: &Value) -> String {
    review["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_teacher_reviews_an_offering_and_the_public_sees_it_anonymously() {
    let Market {
        app,
        offering,
        leader,
        teacher,
        ..
    } = market().await;
    let (created, etag) = review(&app, &teacher, &offering, 4).await;
    assert_eq!(etag, "\"1\"");
    assert_eq!(created["author"]["label"], "docent vo, Utrecht");
    assert!(created["author"]["name"].is_null());
    assert!(created.get("author_id").is_none() && created.get("organization_id").is_none());
    assert_eq!(created["ratings"]["overall"], 4);
    assert!(created["ratings"]["fit_with_practice"].is_null());
    assert_eq!(created["context"]["period_start"], "2025-09-01");
    assert_eq!(created["context"]["role"], "teacher");
    assert_eq!(
        (&created["provider_tie"], &created["verified"]),
        (&json!("none"), &json!(false))
    );
    assert!(created["edited_at"].is_null());

    // Anyone reads it, without a token.
    let listed = list(&app, &offering, "").await;
    assert_eq!(ids(&listed), [id(&created)]);
    assert_eq!(listed["items"][0]["author"]["label"], "docent vo, Utrecht");
    assert!(listed["next_cursor"].is_null());

    // The offering carries the figures.
    let figures = offering_figures(&app, &offering).await;
    assert_eq!(figures["review_count"], 1);
    assert_eq!(figures["verified_review_count"], 0);
    assert_eq!(figures["rating_avg"], 4.0);
    assert_eq!(figures["rating_expertise"], 4.0);
    assert!(figures["rating_fit_with_practice"].is_null());
    // (1 / 6) 4 + (5 / 6) 3.5, to four decimals.
    assert_eq!(figures["rating_score"], 3.5833);
    assert_eq!(
        figures["ratings"]["overall"]["distribution"],
        json!([0, 0, 0, 1, 0])
    );
    assert_eq!(figures["title"], "Dyslexie-aanpak in de klas");

    // One review per user per offering.
    let again = write(&app, &teacher, &offering, &review_body(5)).await;
    assert_eq!(again.status(), 409);
    assert!(
        problem(again).await["detail"]
            .as_str()
            .unwrap()
            .contains("already reviewed")
    );

    // A reviewer who chooses to show their name is shown with it.
    let mut named = review_body(2);
    named["show_name"] = json!(true);
    let shown = write(&app, &leader, &offering, &named).await;
    assert_eq!(shown.status(), 201);
    let shown: Value = shown.json().await.unwrap();
    assert_eq!(shown["author"]["name"], "Juf Anna");
    assert_eq!(shown["author"]["label"], "schoolleider vo, Utrecht");
    let figures = offering_figures(&app, &offering).await;
    assert_eq!(
        (&figures["review_count"], &figures["rating_avg"]),
        (&json!(2), &json!(3.0))
    );
}

#[tokio::test]
async fn staff_outsiders_unverified_accounts_and_drafts_are_refused() {
    let Market {
        app,
        admin,
        provider,
        offering,
        leader,
        school,
        ..
    } = market().await;
    // The provider's own staff, even when they also teach at a school.
    let staff = write(&app, &admin, &offering, &review_body(5)).await;
    assert_eq!(staff.status(), 403);
    let joined = app.join(&leader, &school, &admin, "teacher").await;
    assert!(joined.status().is_success());
    let staff = write(&app, &admin, &offering, &review_body(5)).await;
    assert_eq!(staff.status(), 403);
    assert!(
        problem(staff).await["detail"]
            .as_str()
            .unwrap()
            .contains("Staff of the offering's provider")
    );

    // Someone without a school or board.
    let outsider = app.user("iemand@elders.nl").await;
    let response = write(&app, &outsider, &offering, &review_body(4)).await;
    assert_eq!(response.status(), 403);

    // An account whose address is no longer confirmed.
    let teacher = teacher_at(&app, &leader, &school, "nieuw@linde.nl").await;
    app.sql()
        .await
        .execute(
            "UPDATE users SET email_verified_at = NULL WHERE id = $1",
            &[&teacher.id.parse::<uuid::Uuid>().unwrap()],
        )
        .await
        .unwrap();
    let response = write(&app, &teacher, &offering, &review_body(4)).await;
    assert_eq!(response.status(), 403);
    assert!(
        problem(response).await["detail"]
            .as_str()
            .unwrap()
            .contains("Confirm your e-mail")
    );

    // Drafts cannot be reviewed (nor seen); nor can unknown offerings.
    let (draft, _) = app.draft(&admin, &provider, &offering_body()).await;
    let draft = draft["id"].as_str().unwrap();
    assert_eq!(
        write(&app, &leader, draft, &review_body(4)).await.status(),
        404
    );
    let unknown = uuid::Uuid::now_v7().to_string();
    assert_eq!(
        write(&app, &leader, &unknown, &review_body(4))
            .await
            .status(),
        404
    );

    // Every invalid field at once.
    let invalid = json!({
        "ratings": {"overall": 6, "expertise": 0},
        "context": {"sector": "hbo", "scale": "land", "period_start": "2099-01"},
        "pros": "x".repeat(2001),
        "reward": "none"
    });
    let response = write(&app, &leader, &offering, &invalid).await;
    assert_eq!(response.status(), 422);
    let body = problem(response).await;
    assert_eq!(
        error_fields(&body),
        [
            "ratings.overall",
            "ratings.expertise",
            "context.sector",
            "context.scale",
            "context.period_start",
            "pros",
            "provider_tie"
        ]
    );
    // Nothing was counted.
    let figures = offering_figures(&app, &offering).await;
    assert_eq!(figures["review_count"], 0);
}

#[tokio::test]
async fn only_the_author_edits_at_the_current_version_and_deletes() {
    let Market {
        app,
        offering,
        leader,
        teacher,
        ..
    } = market().await;
    let (created, etag) = review(&app, &teacher, &offering, 4).await;
    let path = format!("/v1/reviews/{}", id(&created));
    let edit = review_body(2);

    let missing = app.put(&path, &edit, &teacher.access, None).await;
    assert_eq!(missing.status(), 428);
    let stale = app.put(&path, &edit, &teacher.access, Some("\"7\"")).await;
    assert_eq!(stale.status(), 412);
    let other = app.put(&path, &edit, &leader.access, Some(&etag)).await;
    assert_eq!(other.status(), 403);
    let mut invalid = edit.clone();
    invalid["ratings"]["overall"] = json!(9);
    assert_eq!(
        app.put(&path, &invalid, &teacher.access, Some(&etag))
            .await
            .status(),
        422
    );

    let edited = app.put(&path, &edit, &teacher.access, Some(&etag)).await;
    assert_eq!(edited.status(), 200);
    assert_eq!(edited.headers()["etag"], "\"2\"");
    // The edit based on the first version cannot be applied twice.
    assert_eq!(
        app.put(&path, &edit, &teacher.access, Some(&etag))
            .await
            .status(),
        412
    );
    // The public sees that and when it was edited.
    let public = json_of(app.get(&path, None).await).await;
    assert_eq!(public["ratings"]["overall"], 2);
    assert!(public["edited_at"].is_string());
    let figures = offering_figures(&app, &offering).await;
    assert_eq!(figures["rating_avg"], 2.0);

    assert_eq!(app.delete(&path, Some(&leader.access)).await.status(), 403);
    assert_eq!(app.delete(&path, None).await.status(), 401);
    assert_eq!(app.delete(&path, Some(&teacher.access)).await.status(), 204);
    assert_eq!(app.get(&path, None).await.status(), 404);
    let figures = offering_figures(&app, &offering).await;
    assert_eq!(figures["review_count"], 0);
    assert!(figures["rating_avg"].is_null() && figures["rating_score"].is_null());
    // Deleted, the offering may be reviewed again.
    review(&app, &teacher, &offering, 3).await;
}

#[tokio::test]
async fn more_than_ten_reviews_a_day_are_refused_until_the_day_is_over() {
    let Market {
        app,
        admin,
        provider,
        offering,
        teacher,
        ..
    } = market().await;
    let mut offerings = vec![offering];
    for _ in 0..10 {
        offerings.push(app.publish(&admin, &provider, &offering_body()).await);
    }
    for offering in &offerings[..10] {
        review(&app, &teacher, offering, 4).await;
    }
    let eleventh = write(&app, &teacher, &offerings[10], &review_body(4)).await;
    assert_eq!(eleventh.status(), 429);
    let retry_after: i64 = eleventh.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=86_400).contains(&retry_after), "{retry_after}");

    // A day later the limit counts afresh (the old token expired meanwhile: log in again).
    app.clock
        .advance(Duration::hours(24) + Duration::seconds(1));
    let tokens: Value = app
        .login(&teacher.email, PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    let teacher = User {
        access: tokens["access_token"].as_str().unwrap().to_owned(),
        ..teacher
    };
    review(&app, &teacher, &offerings[10], 4).await;
}

#[tokio::test]
async fn helpful_votes_count_once_never_for_oneself_and_order_the_list() {
    let Market {
        app,
        offering,
        leader,
        school,
        teacher,
        ..
    } = market().await;
    let (first, _) = review(&app, &teacher, &offering, 4).await;
    let (second, _) = review(&app, &leader, &offering, 2).await;
    let voter = teacher_at(&app, &leader, &school, "stem@linde.nl").await;
    let vote = |review: &Value, user: &User| {
        let (app, path, token) = (
            &app,
            format!("/v1/reviews/{}/helpful", id(review)),
            user.access.clone(),
        );
        async move { app.post(&path, &json!({}), Some(&token)).await }
    };

    assert_eq!(vote(&first, &teacher).await.status(), 403);
    let counted = vote(&first, &voter).await;
    assert_eq!(counted.status(), 201);
    assert_eq!(counted.json::<Value>().await.unwrap()["helpful_count"], 1);
    assert_eq!(vote(&first, &voter).await.status(), 409);
    assert_eq!(vote(&first, &leader).await.status(), 201);
    assert_eq!(vote(&second, &voter).await.status(), 201);

    let (first, second) = (id(&first), id(&second));
    let helpful = list(&app, &offering, "sort=helpful").await;
    assert_eq!(ids(&helpful), [first.clone(), second.clone()]);
    assert_eq!(helpful["items"][0]["helpful_count"], 2);
    assert_eq!(
        ids(&list(&app, &offering, "").await),
        [first.clone(), second.clone()]
    );
    assert_eq!(
        ids(&list(&app, &offering, "sort=lowest").await),
        [second.clone(), first.clone()]
    );
    assert_eq!(
        ids(&list(&app, &offering, "sort=highest").await),
        [first.clone(), second.clone()]
    );
    assert_eq!(
        ids(&list(&app, &offering, "sort=newest").await),
        [second.clone(), first.clone()]
    );

    // Paging: a page of one, then the next from its cursor.
    let page = list(&app, &offering, "sort=helpful&limit=1").await;
    assert_eq!(ids(&page), [first.as_str()]);
    let cursor = page["next_cursor"].as_str().unwrap().to_owned();
    let next = list(
        &app,
        &offering,
        &format!("sort=helpful&limit=1&cursor={cursor}"),
    )
    .await;
    assert_eq!(ids(&next), [second.as_str()]);
    assert!(next["next_cursor"].is_null());

    // Unknown orders and sectors, and forged cursors, are named.
    let bad = app
        .get(
            &format!("/v1/offerings/{offering}/reviews?sort=best&sector=hbo&cursor=xyz"),
            None,
        )
        .await;
    assert_eq!(bad.status(), 422);
    let body = problem(bad).await;
    assert_eq!(error_fields(&body), ["sort", "sector", "cursor"]);
}

#[tokio::test]
async fn the_provider_replies_once_editably_and_the_author_is_told() {
    let Market {
        app,
        admin,
        offering,
        teacher,
        ..
    } = market().await;
    let (created, _) = review(&app, &teacher, &offering, 3).await;
    let path = format!("/v1/reviews/{}/response", id(&created));
    let reply =
        json!({"body": "Dank voor je ervaring; we plannen de vervolgsessies voortaan mee."});

    let (other, _) = app.provider("admin@ander.nl", "87654321").await;
    assert_eq!(
        app.post(&path, &reply, Some(&other.access)).await.status(),
        403
    );
    assert_eq!(
        app.post(&path, &reply, Some(&teacher.access))
            .await
            .status(),
        403
    );
    let empty = app
        .post(&path, &json!({"body": "  "}), Some(&admin.access))
        .await;
    assert_eq!(empty.status(), 422);

    let mails_before = app.mails_to(&teacher.email, 0).await.len();
    let posted = app.post(&path, &reply, Some(&admin.access)).await;
    assert_eq!(posted.status(), 201);
    assert_eq!(posted.headers()["etag"], "\"1\"");
    let mails = app.mails_to(&teacher.email, mails_before + 1).await;
    let told = mails.last().unwrap();
    assert!(told.subject.contains("gereageerd"), "{}", told.subject);
    assert!(told.text.contains(&format!("/aanbod/{offering}")));

    let public = json_of(
        app.get(&format!("/v1/reviews/{}", id(&created)), None)
            .await,
    )
    .await;
    assert_eq!(public["response"]["body"], reply["body"]);
    assert!(public["response"]["edited_at"].is_null());

    // Posting again replaces the text (one reply per review); a PUT names the version.
    let replaced = app
        .post(
            &path,
            &json!({"body": "Aangepast antwoord."}),
            Some(&admin.access),
        )
        .await;
    assert_eq!(replaced.status(), 200);
    assert_eq!(replaced.headers()["etag"], "\"2\"");
    let stale = app
        .put(
            &path,
            &json!({"body": "Te laat."}),
            &admin.access,
            Some("\"1\""),
        )
        .await;
    assert_eq!(stale.status(), 412);
    let put = app
        .put(
            &path,
            &json!({"body": "Definitief."}),
            &admin.access,
            Some("\"2\""),
        )
        .await;
    assert_eq!(put.status(), 200);
    let public = json_of(
        app.get(&format!("/v1/reviews/{}", id(&created)), None)
            .await,
    )
    .await;
    assert_eq!(public["response"]["body"], "Definitief.");
    assert!(public["response"]["edited_at"].is_string());
}

#[tokio::test]
async fn a_school_leader_confirms_usage_and_verified_reviews_are_counted_apart() {
    let Market {
        app,
        offering,
        leader,
        school,
        teacher,
        ..
    } = market().await;
    let (created, _) = review(&app, &teacher, &offering, 5).await;
    let (own, _) = review(&app, &leader, &offering, 3).await;
    let path = format!("/v1/reviews/{}/confirm-usage", id(&created));
    let colleague = teacher_at(&app, &leader, &school, "collega@linde.nl").await;
    let (other_leader, _) = new_school(&app, "leider@baken.nl", "34CD").await;

    for refused in [&colleague, &teacher, &other_leader] {
        let response = app.post(&path, &json!({}), Some(&refused.access)).await;
        assert_eq!(response.status(), 403, "{}", refused.email);
    }
    // A leader does not confirm their own usage.
    let own_path = format!("/v1/reviews/{}/confirm-usage", id(&own));
    assert_eq!(
        app.post(&own_path, &json!({}), Some(&leader.access))
            .await
            .status(),
        403
    );

    let confirmed = app.post(&path, &json!({}), Some(&leader.access)).await;
    assert_eq!(confirmed.status(), 200);
    assert_eq!(confirmed.json::<Value>().await.unwrap()["verified"], true);
    let figures = offering_figures(&app, &offering).await;
    assert_eq!(
        (&figures["review_count"], &figures["verified_review_count"]),
        (&json!(2), &json!(1))
    );

    assert_eq!(
        ids(&list(&app, &offering, "verified=true").await),
        [id(&created)]
    );
    assert_eq!(
        ids(&list(&app, &offering, "verified=false").await),
        [id(&own)]
    );
    assert_eq!(
        ids(&list(&app, &offering, "sort=verified").await),
        [id(&created), id(&own)]
    );
    assert_eq!(
        ids(&list(&app, &offering, "sort=newest").await),
        [id(&own), id(&created)]
    );
}

#[tokio::test]
async fn a_sector_is_summarised_only_with_more_than_five_reviews_from_three_schools() {
    let Market {
        app,
        admin,
        provider,
        offering,
        leader,
        school: linde,
        teacher,
    } = market().await;
    let other = app.publish(&admin, &provider, &offering_body()).await;
    // Compare shows figures from reviewers in the caller's sector under the same rule.
    let compared_in = |sector: &'static str| {
        let (app, path) = (
            &app,
            format!("/v1/compare?ids={offering},{other}&sector={sector}"),
        );
        async move { json_of(app.get(&path, None).await).await["items"][0]["ratings"].clone() }
    };
    let (baken_leader, baken) = new_school(&app, "leider@baken.nl", "34CD").await;
    let (ster_leader, ster) = new_school(&app, "leider@ster.nl", "56EF").await;
    let baken_teacher = teacher_at(&app, &baken_leader, &baken, "docent@baken.nl").await;
    for reviewer in [
        &teacher,
        &leader,
        &baken_leader,
        &ster_leader,
        &baken_teacher,
    ] {
        review(&app, reviewer, &offering, 4).await;
    }
    // A po reviewer from a fourth group of one, never shown on its own.
    let po_teacher = teacher_at(&app, &leader, &linde, "po@linde.nl").await;
    let mut po = review_body(1);
    po["context"]["sector"] = json!("po");
    assert_eq!(write(&app, &po_teacher, &offering, &po).await.status(), 201);

    let summary = || {
        let (app, offering) = (&app, offering.clone());
        async move {
            json_of(
                app.get(&format!("/v1/offerings/{offering}/reviews/summary"), None)
                    .await,
            )
            .await
        }
    };
    let five = summary().await;
    assert_eq!(five["review_count"], 6);
    assert_eq!(five["by_sector"], json!({}), "{five}");
    assert_eq!(five["last_24_months"]["review_count"], 6);
    assert_eq!(five["method"]["subgroup_min_reviews"], 5);
    assert_eq!(five["method"]["subgroup_min_schools"], 3);
    assert_eq!(
        five["dimensions"]["overall"]["distribution"],
        json!([1, 0, 0, 5, 0])
    );
    let compared = compared_in("vo").await;
    assert_eq!(compared["review_count"], 6);
    assert!(compared["sector"].is_null(), "{compared}");

    let ster_teacher = teacher_at(&app, &ster_leader, &ster, "docent@ster.nl").await;
    review(&app, &ster_teacher, &offering, 2).await;
    let six = summary().await;
    let vo = &six["by_sector"]["vo"];
    assert_eq!(vo["review_count"], 6, "{six}");
    assert_eq!(vo["dimensions"]["overall"]["average"], 3.6667);
    assert!(six["by_sector"].get("po").is_none());
    let compared = compared_in("vo").await;
    assert_eq!(compared["sector"]["review_count"], 6, "{compared}");
    assert_eq!(
        compared["sector"]["dimensions"]["overall"]["average"],
        3.6667
    );
    assert!(compared_in("po").await["sector"].is_null());

    // A review older than 24 months leaves the recent figures, not the totals.
    app.clock.advance(Duration::days(731));
    let later = summary().await;
    assert_eq!(later["review_count"], 7);
    assert_eq!(later["last_24_months"]["review_count"], 0);
}

const WRITERS: usize = 24;

#[tokio::test]
async fn concurrent_reviews_and_votes_leave_exact_aggregates_and_search_agrees() {
    // Enough connections that the writers really run at once.
    let Market {
        app,
        offering,
        leader,
        school,
        teacher,
        ..
    } = market_on(
        spawn_app_with(|config| {
            config.db_pool_size = 24;
            // The writers queue on one aggregate row: on a loaded machine (the whole suite on
            // two cores) they must wait their turn, not be answered 503.
            config.db_pool_wait = std::time::Duration::from_secs(120);
            config.request_timeout = std::time::Duration::from_secs(180);
        })
        .await,
    )
    .await;
    let (first, _) = review(&app, &teacher, &offering, 5).await;
    let mut reviewers = Vec::new();
    for i in 0..WRITERS {
        reviewers.push(teacher_at(&app, &leader, &school, &format!("docent{i}@linde.nl")).await);
    }
    let vote_path = format!("/v1/reviews/{}/helpful", id(&first));
    let writes = reviewers.iter().enumerate().map(|(i, reviewer)| {
        let (app, offering, vote_path) = (&app, &offering, &vote_path);
        async move {
            let mut body = review_body(u8::try_from(i % 5).unwrap() + 1);
            body["ratings"]["fit_with_practice"] = json!((i % 3) + 2);
            let empty = json!({});
            let (wrote, voted) = tokio::join!(
                write(app, reviewer, offering, &body),
                app.post(vote_path, &empty, Some(&reviewer.access)),
            );
            (wrote.status().as_u16(), voted.status().as_u16())
        }
    });
    let outcomes = join_all(writes).await;
    assert!(outcomes.iter().all(|o| *o == (201, 201)), "{outcomes:?}");

    // The stored aggregates equal a fresh computation from the reviews.
    let sql = app.sql().await;
    let offering_id: uuid::Uuid = offering.parse().unwrap();
    let fresh = sql
        .query_one(
            "SELECT count(*), count(verified_at), avg(rating_overall)::float8,
                    avg(rating_fit_with_practice)::float8, avg(rating_expertise)::float8
             FROM reviews WHERE offering_id = $1 AND hidden_at IS NULL",
            &[&offering_id],
        )
        .await
        .unwrap();
    let stored = sql
        .query_one(
            "SELECT review_count, verified_review_count, rating_avg, rating_fit_with_practice,
                    rating_expertise, rating_score
             FROM review_aggregates WHERE offering_id = $1",
            &[&offering_id],
        )
        .await
        .unwrap();
    let count: i64 = fresh.get(0);
    assert_eq!(count, 1 + WRITERS as i64);
    assert_eq!(stored.get::<_, i64>(0), count);
    assert_eq!(stored.get::<_, i64>(1), fresh.get::<_, i64>(1));
    let rounded = |v: f64| (v * 10_000.0).round() / 10_000.0;
    for (stored_at, fresh_at) in [(2, 2), (3, 3), (4, 4)] {
        let fresh: f64 = fresh.get(fresh_at);
        assert_eq!(
            stored.get::<_, Option<f64>>(stored_at),
            Some(rounded(fresh))
        );
    }
    let average: f64 = fresh.get(2);
    let score = rounded((count as f64 * rounded(average) + 5.0 * 3.5) / (count as f64 + 5.0));
    assert_eq!(stored.get::<_, Option<f64>>(5), Some(score));
    let votes = sql
        .query_one(
            "SELECT r.helpful_count, (SELECT count(*) FROM review_helpful_votes v WHERE v.review_id = r.id)
             FROM reviews r WHERE r.id = $1",
            &[&id(&first).parse::<uuid::Uuid>().unwrap()],
        )
        .await
        .unwrap();
    assert_eq!(i64::from(votes.get::<_, i32>(0)), votes.get::<_, i64>(1));
    assert_eq!(votes.get::<_, i32>(0), WRITERS as i32);

    // The search document agrees once synced, and verify finds the index equal to the database.
    app.sync_search().await;
    let results = app.search("q=dyslexie").await;
    let hit = &results["hits"][0];
    assert_eq!(hit["review_count"], count);
    assert_eq!(hit["rating_avg"], json!(rounded(average)));
    assert_eq!(hit["rating_score"], json!(score));
    verify_clean(&app).await;
}

#[tokio::test]
async fn search_sorts_by_the_bayesian_score_and_filters_on_ratings() {
    let Market {
        app,
        admin,
        provider,
        offering: single,
        leader,
        school,
        teacher,
    } = market().await;
    let mut body = offering_body();
    body["title"] = json!("Rekenen met begrip");
    let many = app.publish(&admin, &provider, &body).await;
    body["title"] = json!("Lezen zonder ervaringen");
    app.publish(&admin, &provider, &body).await;
    let colleague = teacher_at(&app, &leader, &school, "collega@linde.nl").await;

    // One 5-star review against three averaging 4.67.
    review(&app, &teacher, &single, 5).await;
    review(&app, &teacher, &many, 5).await;
    review(&app, &leader, &many, 5).await;
    review(&app, &colleague, &many, 4).await;
    app.sync_search().await;

    let by_rating = app.search("sort=rating").await;
    assert_eq!(
        titles(&by_rating),
        [
            "Rekenen met begrip",
            "Dyslexie-aanpak in de klas",
            "Lezen zonder ervaringen"
        ]
    );
    assert_eq!(by_rating["hits"][0]["rating_score"], 3.9375);
    assert_eq!(by_rating["hits"][1]["rating_score"], 3.75);
    assert_eq!(
        titles(&app.search("sort=review_count").await),
        [
            "Rekenen met begrip",
            "Dyslexie-aanpak in de klas",
            "Lezen zonder ervaringen"
        ]
    );
    assert_eq!(
        titles(&app.search("rating_min=4.8").await),
        ["Dyslexie-aanpak in de klas"]
    );
    assert_eq!(app.search("rating_min=4.5").await["total"], 2);
}

#[tokio::test]
async fn erasing_an_account_anonymises_its_reviews_which_the_export_held() {
    let Market {
        app,
        offering,
        school,
        teacher,
        ..
    } = market().await;
    let mut body = review_body(4);
    body["show_name"] = json!(true);
    let created: Value = write(&app, &teacher, &offering, &body)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(created["author"]["name"], "Juf Anna");

    let export = json_of(app.get("/v1/me/export", Some(&teacher.access)).await).await;
    let exported = &export["reviews"][0];
    assert_eq!(exported["id"], created["id"]);
    assert_eq!(exported["organization_id"], school.as_str());
    assert_eq!(
        exported["pros"],
        "Concreet en direct toepasbaar in de klas."
    );

    assert_eq!(
        app.delete("/v1/me", Some(&teacher.access)).await.status(),
        204
    );
    let after = json_of(
        app.get(&format!("/v1/reviews/{}", id(&created)), None)
            .await,
    )
    .await;
    assert!(after["author"]["name"].is_null(), "{after}");
    assert_eq!(after["author"]["label"], "docent vo, Utrecht");
    assert_eq!(after["show_name"], false);
    let figures = offering_figures(&app, &offering).await;
    assert_eq!(figures["review_count"], 1);
    let author: Option<uuid::Uuid> = app
        .sql()
        .await
        .query_one(
            "SELECT author_id FROM reviews WHERE id = $1",
            &[&id(&created).parse::<uuid::Uuid>().unwrap()],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(author, None);
}

#[tokio::test]
async fn a_moderator_hides_a_reported_review_and_the_average_changes() {
    let Market {
        app,
        offering,
        leader,
        teacher,
        ..
    } = market().await;
    let (low, _) = review(&app, &teacher, &offering, 1).await;
    review(&app, &leader, &offering, 5).await;
    assert_eq!(offering_figures(&app, &offering).await["rating_avg"], 3.0);

    let reporter = app.user("melder@elders.nl").await;
    let report_path = format!("/v1/reviews/{}/reports", id(&low));
    let report = json!({"reason": "Dit lijkt geen echte ervaring."});
    assert_eq!(app.post(&report_path, &report, None).await.status(), 401);
    let empty = app
        .post(
            &report_path,
            &json!({"reason": " "}),
            Some(&reporter.access),
        )
        .await;
    assert_eq!(empty.status(), 422);
    assert_eq!(
        app.post(&report_path, &report, Some(&reporter.access))
            .await
            .status(),
        202
    );
    assert_eq!(
        app.post(&report_path, &report, Some(&reporter.access))
            .await
            .status(),
        409
    );

    // Only moderators see the queue and decide.
    let decision_path = format!("/v1/moderation/reviews/{}/decision", id(&low));
    let hide = json!({"action": "hide", "reason": "Geen ervaring uit de praktijk."});
    assert_eq!(
        app.get("/v1/moderation/reports", Some(&reporter.access))
            .await
            .status(),
        403
    );
    assert_eq!(
        app.post(&decision_path, &hide, Some(&leader.access))
            .await
            .status(),
        403
    );
    let moderator = app.moderator("moderator@edumarkt.nl").await;
    let queue = json_of(
        app.get("/v1/moderation/reports", Some(&moderator.access))
            .await,
    )
    .await;
    assert_eq!(queue["items"].as_array().unwrap().len(), 1);
    assert_eq!(queue["items"][0]["review"]["id"], low["id"]);
    assert_eq!(queue["items"][0]["reports"][0]["reason"], report["reason"]);
    let unknown = json!({"action": "delete", "reason": "x"});
    assert_eq!(
        app.post(&decision_path, &unknown, Some(&moderator.access))
            .await
            .status(),
        422
    );

    let hidden = app
        .post(&decision_path, &hide, Some(&moderator.access))
        .await;
    assert_eq!(hidden.status(), 200);
    assert_eq!(hidden.json::<Value>().await.unwrap()["hidden"], true);
    // The hidden review leaves the aggregates, the list and the public; its author still sees
    // it, and the text is unchanged.
    let figures = offering_figures(&app, &offering).await;
    assert_eq!(
        (&figures["review_count"], &figures["rating_avg"]),
        (&json!(1), &json!(5.0))
    );
    assert_eq!(
        list(&app, &offering, "").await["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let review_path = format!("/v1/reviews/{}", id(&low));
    assert_eq!(app.get(&review_path, None).await.status(), 404);
    let own = json_of(app.get(&review_path, Some(&teacher.access)).await).await;
    assert_eq!((&own["hidden"], &own["pros"]), (&json!(true), &low["pros"]));
    let queue = json_of(
        app.get("/v1/moderation/reports", Some(&moderator.access))
            .await,
    )
    .await;
    assert_eq!(queue["items"], json!([]));
    app.sync_search().await;
    assert_eq!(app.search("q=dyslexie").await["hits"][0]["review_count"], 1);

    // Author and reporter hear the outcome.
    let told = app.mails_to(&teacher.email, 3).await;
    assert!(
        told.iter().any(|m| m.subject.contains("verborgen")),
        "{told:?}"
    );
    let told = app.mails_to(&reporter.email, 2).await;
    assert!(
        told.iter().any(|m| m.subject.contains("behandeld")),
        "{told:?}"
    );

    // Restored, it counts again.
    let restore = json!({"action": "restore", "reason": "De school bevestigde het gebruik."});
    assert_eq!(
        app.post(&decision_path, &restore, Some(&moderator.access))
            .await
            .status(),
        200
    );
    let figures = offering_figures(&app, &offering).await;
    assert_eq!(
        (&figures["review_count"], &figures["rating_avg"]),
        (&json!(2), &json!(3.0))
    );
    assert_eq!(app.get(&review_path, None).await.status(), 200);
}
