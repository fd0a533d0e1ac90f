//! Suspicious patterns go to the moderation queue by themselves: a burst of an offering's
//! reviews from new accounts, from one organisation or from one client address (counted from
//! `X-Forwarded-For` only behind the trusted proxy), each reported once with a Dutch reason;
//! two reviews, or reviews spaced beyond the window, are no burst. The address is kept only as
//! a keyed hash.

use chrono::Duration;
use serde_json::Value;

use crate::helpers::{PASSWORD, TestApp, User, spawn_app, spawn_app_with};
use crate::reviews::{Market, json_of, market_on, new_school, review_body, teacher_at};

const NEW_ACCOUNTS: &str = "Automatisch gesignaleerd: veel beoordelingen van nieuwe accounts";
const ONE_ORGANIZATION: &str =
    "Automatisch gesignaleerd: veel beoordelingen vanuit één organisatie";
const ONE_ADDRESS: &str = "Automatisch gesignaleerd: veel beoordelingen vanaf één adres";

/// A market whose server sits behind a trusted proxy (it reads `X-Forwarded-For`).
async fn proxied_market() -> Market {
    market_on(spawn_app_with(|c| c.trust_forwarded_for = true).await).await
}

/// `user` reviews `offering`, the request arriving (through the proxy) from `address`;
/// answers the review's id.
async fn review_from(app: &TestApp, user: &User, offering: &str, address: &str) -> String {
    let response = app
        .client
        .post(app.url(&format!("/v1/offerings/{offering}/reviews")))
        .bearer_auth(&user.access)
        .header("x-forwarded-for", address)
        .json(&review_body(4))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201, "{:?}", response.text().await);
    let created: Value = response.json().await.unwrap();
    created["id"].as_str().unwrap().to_owned()
}

/// Each user, signed in again, reviews `offering` from its address; answers the reviews' ids.
async fn reviews_from(app: &TestApp, offering: &str, from: &[(&User, String)]) -> Vec<String> {
    let mut ids = Vec::new();
    for (user, address) in from {
        let user = app.log_in_again(user).await;
        ids.push(review_from(app, &user, offering, address).await);
    }
    ids
}

/// Each user with an address of their own, followed by `then` (what a proxy appended).
fn own_addresses<'a>(users: &[&'a User], then: &str) -> Vec<(&'a User, String)> {
    users
        .iter()
        .enumerate()
        .map(|(i, user)| (*user, format!("203.0.113.{}{then}", i + 1)))
        .collect()
}

/// The market's teacher and the leaders of two more schools: reviewers of three schools.
async fn reviewers_of_three_schools(app: &TestApp, teacher: &User) -> [User; 3] {
    let (baken, _) = new_school(app, "leider@baken.nl", "34CD").await;
    let (ster, _) = new_school(app, "leider@ster.nl", "56EF").await;
    [teacher.clone(), baken, ster]
}

const MODERATOR: &str = "moderator@edumarkt.nl";

/// A moderator's access token: the test's moderator signs in, made on first use.
async fn moderator(app: &TestApp) -> String {
    let login = app.login(MODERATOR, PASSWORD).await;
    if login.status() == 200 {
        let tokens: Value = login.json().await.unwrap();
        return tokens["access_token"].as_str().unwrap().to_owned();
    }
    let moderator = app.moderator(MODERATOR).await;
    moderator.access
}

/// The moderation queue as (review id, [(reason, signal)]) in its order.
async fn queue(app: &TestApp) -> Vec<(String, Vec<(String, String)>)> {
    let token = moderator(app).await;
    let queue = json_of(app.get("/v1/moderation/reports", Some(&token)).await).await;
    queue["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            let reports = item["reports"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| {
                    (
                        r["reason"].as_str().unwrap().to_owned(),
                        r["signal"].as_str().unwrap_or("").to_owned(),
                    )
                })
                .collect();
            (item["review"]["id"].as_str().unwrap().to_owned(), reports)
        })
        .collect()
}

fn sorted(mut ids: Vec<String>) -> Vec<String> {
    ids.sort();
    ids
}

/// Every review of the queue with exactly one report, of this reason and signal.
fn all_reported_for(
    queue: &[(String, Vec<(String, String)>)],
    reason: &str,
    signal: &str,
) -> Vec<String> {
    for (review, reports) in queue {
        assert_eq!(
            reports,
            &[(reason.to_owned(), signal.to_owned())],
            "review {review}"
        );
    }
    sorted(queue.iter().map(|(id, _)| id.clone()).collect())
}

#[tokio::test]
async fn three_reviews_from_new_accounts_within_a_day_are_queued() {
    let Market {
        app,
        offering,
        teacher,
        ..
    } = proxied_market().await;
    let [teacher, baken, ster] = reviewers_of_three_schools(&app, &teacher).await;
    // Three schools, three addresses: only the accounts' age is shared.
    let mut ids = vec![review_from(&app, &teacher, &offering, "203.0.113.1").await];
    app.clock.advance(Duration::hours(10));
    let baken = app.log_in_again(&baken).await;
    ids.push(review_from(&app, &baken, &offering, "203.0.113.2").await);
    assert!(queue(&app).await.is_empty(), "two are no burst");
    app.clock.advance(Duration::hours(10));
    let ster = app.log_in_again(&ster).await;
    ids.push(review_from(&app, &ster, &offering, "203.0.113.3").await);

    let queued = queue(&app).await;
    assert_eq!(
        all_reported_for(&queued, NEW_ACCOUNTS, "new_accounts"),
        sorted(ids)
    );

    // What the reviews keep of the addresses is a keyed hash, one per address.
    let rows = app
        .sql()
        .await
        .query("SELECT client_hash FROM review_origins", &[])
        .await
        .unwrap();
    let hashes: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
    assert_eq!(hashes.len(), 3);
    for hash in &hashes {
        assert_eq!(hash.len(), 64, "{hash}");
        assert!(hash.chars().all(|c| c.is_ascii_hexdigit()), "{hash}");
        assert!(!hash.contains("203.0.113"));
    }
    assert_eq!(
        hashes
            .iter()
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        3
    );
}

#[tokio::test]
async fn three_reviews_from_one_organisation_are_queued_whatever_the_accounts_age() {
    let Market {
        app,
        offering,
        leader,
        school,
        teacher,
        ..
    } = proxied_market().await;
    let second = teacher_at(&app, &leader, &school, "tweede@linde.nl").await;
    let third = teacher_at(&app, &leader, &school, "derde@linde.nl").await;
    app.clock.advance(Duration::days(8));
    let from = own_addresses(&[&teacher, &second, &third], "");
    let ids = reviews_from(&app, &offering, &from).await;
    let queued = queue(&app).await;
    assert_eq!(
        all_reported_for(&queued, ONE_ORGANIZATION, "one_organization"),
        sorted(ids)
    );

    // A fourth from the school joins the burst; the three already queued are not reported
    // twice.
    let leader = app.log_in_again(&leader).await;
    let fourth = teacher_at(&app, &leader, &school, "vierde@linde.nl").await;
    let fourth_id = review_from(&app, &fourth, &offering, "203.0.113.4").await;
    let queued = queue(&app).await;
    assert_eq!(queued.len(), 4);
    let (_, reports) = queued.iter().find(|(id, _)| *id == fourth_id).unwrap();
    assert!(
        reports.contains(&(ONE_ORGANIZATION.to_owned(), "one_organization".to_owned())),
        "{reports:?}"
    );
    for (id, reports) in &queued {
        let organisation = reports
            .iter()
            .filter(|(_, signal)| signal == "one_organization")
            .count();
        assert_eq!(organisation, 1, "review {id}: {reports:?}");
    }
}

/// Older accounts of three schools review from their own addresses, each followed by
/// `then`; the queue must list all three for one client address.
async fn assert_one_address_burst(market: Market, then: &str) {
    let Market {
        app,
        offering,
        teacher,
        ..
    } = market;
    let reviewers = reviewers_of_three_schools(&app, &teacher).await;
    app.clock.advance(Duration::days(8));
    let from = own_addresses(&reviewers.each_ref(), then);
    let ids = reviews_from(&app, &offering, &from).await;
    let queued = queue(&app).await;
    assert_eq!(
        all_reported_for(&queued, ONE_ADDRESS, "one_client_address"),
        sorted(ids)
    );
}

#[tokio::test]
async fn three_reviews_from_one_address_are_queued_behind_the_trusted_proxy() {
    // The proxy appends the address it saw last; what a client put before it is not used.
    assert_one_address_burst(proxied_market().await, ", 198.51.100.9").await;
}

#[tokio::test]
async fn without_the_trusted_proxy_the_forwarded_address_is_ignored() {
    // Every request comes from 127.0.0.1: varying `X-Forwarded-For` hides nothing.
    assert_one_address_burst(market_on(spawn_app().await).await, "").await;
}

#[tokio::test]
async fn two_reviews_or_reviews_spaced_beyond_the_window_are_not_queued() {
    let Market {
        app,
        offering,
        leader,
        school,
        teacher,
        ..
    } = proxied_market().await;
    // Two new accounts of one school from one address: every trait shared, but only two.
    review_from(&app, &teacher, &offering, "203.0.113.1").await;
    review_from(&app, &leader, &offering, "203.0.113.1").await;
    assert!(queue(&app).await.is_empty());

    // A third, 25 hours after the first: the first is outside its window.
    let third = teacher_at(&app, &leader, &school, "derde@linde.nl").await;
    app.clock.advance(Duration::hours(25));
    let third = app.log_in_again(&third).await;
    review_from(&app, &third, &offering, "203.0.113.1").await;
    assert!(queue(&app).await.is_empty());
}
