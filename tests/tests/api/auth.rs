use serde_json::json;

use crate::helpers::{PASSWORD, problem, spawn_app};

#[tokio::test]
async fn registering_mails_a_link_that_verifies_the_address() {
    let app = spawn_app().await;
    let response = app.register("Anna@School.nl").await;
    assert_eq!(response.status(), 201);
    let mails = app.mails_to("anna@school.nl", 1).await;
    assert_eq!(mails.len(), 1);
    assert!(
        mails[0].subject.contains("Bevestig"),
        "Dutch subject: {}",
        mails[0].subject
    );
    assert!(
        mails[0]
            .html
            .contains("<a href=\"https://edumarkt.test/verify-email?token=")
    );

    // Unverified: the password is right but login waits for the address to be confirmed.
    let unverified = app.login("anna@school.nl", PASSWORD).await;
    assert_eq!(unverified.status(), 403);

    let token = app.token_from_mail("anna@school.nl", "/verify-email").await;
    assert_eq!(
        app.post("/v1/auth/verify-email", &json!({"token": token}), None)
            .await
            .status(),
        204
    );
    // A verification link works once.
    assert_eq!(
        app.post("/v1/auth/verify-email", &json!({"token": token}), None)
            .await
            .status(),
        422
    );
    let login = app.login("ANNA@school.nl", PASSWORD).await;
    assert_eq!(login.status(), 200);
    let body: serde_json::Value = login.json().await.unwrap();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 900);
}

#[tokio::test]
async fn an_expired_verification_link_is_refused() {
    let app = spawn_app().await;
    app.register("late@school.nl").await;
    let token = app.token_from_mail("late@school.nl", "/verify-email").await;
    app.clock.advance(chrono::Duration::hours(25));
    let response = app
        .post("/v1/auth/verify-email", &json!({"token": token}), None)
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(problem(response).await["errors"][0]["field"], "token");
}

#[tokio::test]
async fn registering_a_taken_address_answers_the_same_and_warns_its_owner() {
    let app = spawn_app().await;
    app.user("taken@school.nl").await;
    let again = app
        .post("/v1/auth/register", &json!({"email": "TAKEN@school.nl", "password": "een heel ander wachtwoord", "display_name": "X"}), None)
        .await;
    assert_eq!(again.status(), 201);
    let body: serde_json::Value = again.json().await.unwrap();
    assert_eq!(body, json!({"status": "verification_sent"}));
    let mails = app.mails_to("taken@school.nl", 2).await;
    assert!(mails.iter().any(|m| m.subject.contains("al een account")));
    // The original password still works: nothing was overwritten.
    assert_eq!(
        app.login("taken@school.nl", crate::helpers::PASSWORD)
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn weak_passwords_and_bad_addresses_are_refused_with_field_errors() {
    let app = spawn_app().await;
    let response = app
        .post(
            "/v1/auth/register",
            &json!({"email": "not-an-address", "password": "password1234", "display_name": ""}),
            None,
        )
        .await;
    assert_eq!(response.status(), 422);
    let body = problem(response).await;
    let fields: Vec<(&str, &str)> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert!(fields.contains(&("email", "invalid")), "{fields:?}");
    assert!(fields.contains(&("password", "too_common")), "{fields:?}");
    assert!(fields.contains(&("display_name", "required")), "{fields:?}");
    let short = app
        .post(
            "/v1/auth/register",
            &json!({"email": "a@b.nl", "password": "kort", "display_name": "A"}),
            None,
        )
        .await;
    assert_eq!(problem(short).await["errors"][0]["code"], "too_short");
    // Nothing was stored: the address can still register.
    assert_eq!(app.register("a@b.nl").await.status(), 201);
    assert_eq!(app.mails_to("a@b.nl", 1).await.len(), 1);
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_address_look_the_same() {
    let app = spawn_app().await;
    app.user("known@school.nl").await;
    let wrong = problem(
        app.login("known@school.nl", "niet het goede wachtwoord")
            .await,
    )
    .await;
    let unknown = problem(
        app.login("nobody@school.nl", "niet het goede wachtwoord")
            .await,
    )
    .await;
    assert_eq!(wrong["status"], 401);
    assert_eq!(wrong, unknown);
}

#[tokio::test]
async fn failed_logins_are_throttled_per_account_until_the_window_passes() {
    let app = spawn_app().await;
    app.user("target@school.nl").await;
    for _ in 0..5 {
        assert_eq!(
            app.login("target@school.nl", "fout wachtwoord 123")
                .await
                .status(),
            401
        );
    }
    let blocked = app.login("target@school.nl", PASSWORD).await;
    assert_eq!(blocked.status(), 429);
    let retry_after: u64 = blocked.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry_after > 0 && retry_after <= 15 * 60);
    // Unknown addresses are throttled the same way, so the 429 tells nothing either.
    for _ in 0..5 {
        app.login("ghost@school.nl", "fout wachtwoord 123").await;
    }
    assert_eq!(
        app.login("ghost@school.nl", "fout wachtwoord 123")
            .await
            .status(),
        429
    );
    app.clock.advance(chrono::Duration::minutes(16));
    assert_eq!(app.login("target@school.nl", PASSWORD).await.status(), 200);
}

#[tokio::test]
async fn failed_logins_are_throttled_per_client_across_accounts() {
    let app = spawn_app().await;
    for i in 0..20 {
        assert_eq!(
            app.login(&format!("user{i}@school.nl"), "fout wachtwoord 123")
                .await
                .status(),
            401
        );
    }
    assert_eq!(
        app.login("fresh@school.nl", "fout wachtwoord 123")
            .await
            .status(),
        429
    );
}

#[tokio::test]
async fn a_password_reset_sets_a_new_password_and_ends_every_session() {
    let app = spawn_app().await;
    let user = app.user("reset@school.nl").await;
    assert_eq!(
        app.post(
            "/v1/auth/password-reset",
            &json!({"email": "reset@school.nl"}),
            None
        )
        .await
        .status(),
        202
    );
    // Unknown addresses get the same answer and no mail.
    assert_eq!(
        app.post(
            "/v1/auth/password-reset",
            &json!({"email": "nobody@school.nl"}),
            None
        )
        .await
        .status(),
        202
    );
    let token = app
        .token_from_mail("reset@school.nl", "/password-reset")
        .await;

    let weak = app
        .post(
            "/v1/auth/password-reset/confirm",
            &json!({"token": token, "password": "password1234"}),
            None,
        )
        .await;
    assert_eq!(weak.status(), 422);
    let new_password = "een nieuw sterk wachtwoord";
    let ok = app
        .post(
            "/v1/auth/password-reset/confirm",
            &json!({"token": token, "password": new_password}),
            None,
        )
        .await;
    assert_eq!(ok.status(), 204);
    let reused = app
        .post(
            "/v1/auth/password-reset/confirm",
            &json!({"token": token, "password": "nog een ander wachtwoord"}),
            None,
        )
        .await;
    assert_eq!(reused.status(), 422);

    assert_eq!(app.get("/v1/me", Some(&user.access)).await.status(), 401);
    assert_eq!(app.login("reset@school.nl", PASSWORD).await.status(), 401);
    assert_eq!(
        app.login("reset@school.nl", new_password).await.status(),
        200
    );
    assert!(app.mails_to("nobody@school.nl", 1).await.is_empty());
}

#[tokio::test]
async fn a_reset_link_expires_after_an_hour() {
    let app = spawn_app().await;
    app.user("slow@school.nl").await;
    app.post(
        "/v1/auth/password-reset",
        &json!({"email": "slow@school.nl"}),
        None,
    )
    .await;
    let token = app
        .token_from_mail("slow@school.nl", "/password-reset")
        .await;
    app.clock.advance(chrono::Duration::minutes(61));
    let response = app
        .post(
            "/v1/auth/password-reset/confirm",
            &json!({"token": token, "password": "een nieuw sterk wachtwoord"}),
            None,
        )
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(app.login("slow@school.nl", PASSWORD).await.status(), 200);
}
