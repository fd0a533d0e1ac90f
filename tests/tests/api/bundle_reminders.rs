//! Reminders 48 hours before a bundle's deadlines, with the clock moved instead of waited
//! for: only to those who have not acted, each exactly once, also with the reminder jobs
//! doubled and several workers running them at once.

use chrono::Duration;
use serde_json::json;

use crate::bundles::{join, json_of, network_on, open_bundle};
use crate::helpers::{TestApp, offering_body, spawn_app};
use crate::jobs::worker;

fn reminders_to(app: &TestApp, to: &str, subject: &str) -> usize {
    app.state
        .mailer
        .sent()
        .iter()
        .filter(|m| m.to == to && m.subject.contains(subject))
        .count()
}

/// Doubles every queued reminder job (as a retried or rescheduled job would) and runs the
/// queue with two more workers at once, beside the app's own.
async fn run_doubled_reminders(app: &TestApp) {
    app.sql()
        .await
        .execute(
            "INSERT INTO jobs (id, kind, payload, run_at, created_at) \
             SELECT gen_random_uuid(), kind, payload, run_at, created_at FROM jobs \
             WHERE kind = 'bundle_reminder'",
            &[],
        )
        .await
        .unwrap();
    let (a, b) = (worker(app), worker(app));
    let (ran_a, ran_b) = tokio::join!(
        tokio::spawn(async move { a.run_due().await.unwrap() }),
        tokio::spawn(async move { b.run_due().await.unwrap() }),
    );
    ran_a.unwrap();
    ran_b.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn reminders_go_once_to_those_who_have_not_acted_two_days_before_each_deadline() {
    let n = network_on(spawn_app().await).await;
    let app = &n.app;
    // Two providers hear of the bundle through their interest profiles; one will offer.
    let mut providers = Vec::new();
    for (email, kvk) in [
        ("a@aanbieder-a.nl", "11111111"),
        ("c@aanbieder-c.nl", "33333333"),
    ] {
        let (admin, provider) = app.provider(email, kvk).await;
        let offering = app.publish(&admin, &provider, &offering_body()).await;
        let body = json!({"name": "Zorg", "domain": "leerlingenzorg"});
        let created = app
            .post(
                &format!("/v1/providers/{provider}/interest-profiles"),
                &body,
                Some(&admin.access),
            )
            .await;
        assert_eq!(created.status(), 201);
        providers.push((admin, offering));
    }
    let bundle = open_bundle(&n, "network").await;
    let read = json_of(
        app.get(
            &format!("/v1/bundles/{bundle}"),
            Some(&n.coordinator.access),
        )
        .await,
        200,
    )
    .await;
    let join_deadline: chrono::DateTime<chrono::Utc> =
        read["join_deadline"].as_str().unwrap().parse().unwrap();
    let offer_deadline: chrono::DateTime<chrono::Utc> =
        read["offer_deadline"].as_str().unwrap().parse().unwrap();
    // The first school joins; the second does not.
    assert_eq!(
        join(app, &n.leaders[0], &bundle, &n.schools[0], 50, 500_000)
            .await
            .status(),
        201
    );

    // Not yet: three days before the joining deadline nobody is reminded.
    app.clock.set(join_deadline - Duration::days(3));
    run_doubled_reminders(app).await;
    assert_eq!(reminders_to(app, &n.leaders[1].email, "aan te sluiten"), 0);

    app.clock.set(join_deadline - Duration::hours(48));
    run_doubled_reminders(app).await;
    let reminder = app.mail_about(&n.leaders[1].email, "aan te sluiten").await;
    // It links to the bundle's page, where the school joins, and names the time in Dutch.
    assert!(reminder.text.contains("/bundels/"), "{}", reminder.text);
    assert!(!reminder.text.contains("UTC"), "{}", reminder.text);
    run_doubled_reminders(app).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        reminders_to(app, &n.leaders[1].email, "aan te sluiten"),
        1,
        "exactly once"
    );
    assert_eq!(
        reminders_to(app, &n.leaders[0].email, "aan te sluiten"),
        0,
        "it joined"
    );
    assert_eq!(
        reminders_to(app, &n.outsider.email, "aan te sluiten"),
        0,
        "not a member"
    );

    // Offers: C offers, A does not.
    app.clock.set(join_deadline);
    let c = app.log_in_again(&providers[1].0).await;
    let body = crate::bundle_offers::offer_body(&providers[1].1, 900_000);
    assert_eq!(
        app.post(
            &format!("/v1/bundles/{bundle}/offers"),
            &body,
            Some(&c.access)
        )
        .await
        .status(),
        201
    );
    app.clock.set(offer_deadline - Duration::hours(47));
    run_doubled_reminders(app).await;
    let reminder = app
        .mail_about(&providers[0].0.email, "in te schrijven")
        .await;
    assert!(reminder.text.contains("/offerte"), "{}", reminder.text);
    run_doubled_reminders(app).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        reminders_to(app, &providers[0].0.email, "in te schrijven"),
        1,
        "exactly once"
    );
    assert_eq!(
        reminders_to(app, &providers[1].0.email, "in te schrijven"),
        0,
        "it offered"
    );
    let recorded: i64 = app
        .sql()
        .await
        .query_one("SELECT count(*) FROM bundle_reminders", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(recorded, 2);
}

#[tokio::test]
async fn a_moved_deadline_is_reminded_of_at_its_new_time_and_the_old_time_passes_silently() {
    let n = network_on(spawn_app().await).await;
    let app = &n.app;
    let bundle = open_bundle(&n, "network").await;
    let path = format!("/v1/bundles/{bundle}");
    let read = app.get(&path, Some(&n.coordinator.access)).await;
    let etag = read.headers()["etag"].to_str().unwrap().to_owned();
    let mut body: serde_json::Value = read.json().await.unwrap();
    let old: chrono::DateTime<chrono::Utc> =
        body["join_deadline"].as_str().unwrap().parse().unwrap();
    let new = old + Duration::days(3);
    let mut input = crate::bundles::bundle_body(&n.network, app.state.clock.now(), "network");
    input["join_deadline"] = json!(new);
    input["offer_deadline"] = body["offer_deadline"].take();
    json_of(
        app.patch(&path, &input, &n.coordinator.access, Some(&etag))
            .await,
        200,
    )
    .await;
    // At the old reminder time: silence.
    app.clock.set(old - Duration::hours(48));
    run_doubled_reminders(app).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    for leader in &n.leaders {
        assert_eq!(reminders_to(app, &leader.email, "aan te sluiten"), 0);
    }
    // At the new one: both schools, once.
    app.clock.set(new - Duration::hours(48));
    run_doubled_reminders(app).await;
    for leader in &n.leaders {
        app.mail_about(&leader.email, "aan te sluiten").await;
        assert_eq!(reminders_to(app, &leader.email, "aan te sluiten"), 1);
    }
}
