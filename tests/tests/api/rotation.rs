//! Rotating the JWT secret without logging anybody out (RUNBOOK.md, "Rotating the JWT
//! secret"): servers restarted with a new secret and the old one as previous accept what the
//! old servers issued, tokens and open forms alike; once the previous secret is dropped they
//! do not.

use edumarkt_server::config::Secret;

use crate::account_pages::Browser;
use crate::helpers::{PASSWORD, TestApp, second_server_with, spawn_app};

const NEW_SECRET: &str = "the-rotated-secret-of-at-least-32-bytes!";

async fn me(app: &TestApp, server: &str, access: &str) -> u16 {
    app.client
        .get(format!("{server}/v1/me"))
        .bearer_auth(access)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// The `kid` in a token's header.
fn key_of(token: &str) -> String {
    use base64::Engine;
    let header = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token.split('.').next().unwrap())
        .unwrap();
    let header: serde_json::Value = serde_json::from_slice(&header).unwrap();
    header["kid"].as_str().expect("a kid").to_owned()
}

#[tokio::test]
async fn a_rotated_secret_keeps_sessions_and_open_forms_until_the_previous_one_is_dropped() {
    let app = spawn_app().await;
    let user = app.user("blijft@school.nl").await;
    let old_secret = app.state.config.jwt.secret.clone();
    let (rotated, _) = second_server_with(&app, |c| {
        c.jwt.previous_secrets = vec![c.jwt.secret.clone()];
        c.jwt.secret = Secret::new(NEW_SECRET);
    })
    .await;
    let (dropped, _) = second_server_with(&app, |c| {
        c.jwt.secret = Secret::new(NEW_SECRET);
        c.jwt.previous_secrets = Vec::new();
    })
    .await;

    // A token of the old secret is good on the rotated server, not once the secret is dropped.
    assert_eq!(me(&app, &app.address, &user.access).await, 200);
    assert_eq!(me(&app, &rotated, &user.access).await, 200);
    assert_eq!(me(&app, &dropped, &user.access).await, 401);

    // What the rotated server issues names the new key and is good wherever the new secret is.
    let response = app
        .client
        .post(format!("{rotated}/v1/auth/login"))
        .json(&serde_json::json!({"email": user.email, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let tokens: serde_json::Value = response.json().await.unwrap();
    let fresh = tokens["access_token"].as_str().unwrap();
    assert_eq!(me(&app, &rotated, fresh).await, 200);
    assert_eq!(me(&app, &dropped, fresh).await, 200);
    let kid = key_of(fresh);
    assert_eq!(
        kid,
        edumarkt_server::auth::jwt::key_id(NEW_SECRET),
        "the header names the new key"
    );
    assert_ne!(kid, edumarkt_server::auth::jwt::key_id(old_secret.expose()));

    // A login form opened on an old server posts to a rotated one, not to one that dropped
    // the old secret.
    for (server, expected) in [(&rotated, 303), (&dropped, 403)] {
        let mut browser = Browser::new(&app);
        let form = browser.get("/inloggen").await;
        let cookie = browser
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let status = app
            .client
            .post(format!("{server}/inloggen"))
            .header("Cookie", cookie)
            .form(&[
                ("email", user.email.as_str()),
                ("password", PASSWORD),
                ("csrf", &form.csrf()),
            ])
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status.as_u16(), expected, "posting to {server}");
    }
}
