use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use crate::helpers::{problem, spawn_app};

fn forge(token: &str, change: impl FnOnce(&mut Value, &mut Value)) -> String {
    let mut parts = token.split('.');
    let mut header: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts.next().unwrap()).unwrap()).unwrap();
    let mut claims: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts.next().unwrap()).unwrap()).unwrap();
    let signature = parts.next().unwrap();
    change(&mut header, &mut claims);
    format!(
        "{}.{}.{signature}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    )
}

#[tokio::test]
async fn an_access_token_expires_after_fifteen_minutes() {
    let app = spawn_app().await;
    let user = app.user("clock@school.nl").await;
    app.clock.advance(chrono::Duration::minutes(14));
    assert_eq!(app.get("/v1/me", Some(&user.access)).await.status(), 200);
    app.clock.advance(chrono::Duration::minutes(1));
    let expired = app.get("/v1/me", Some(&user.access)).await;
    assert_eq!(expired.status(), 401);
    assert_eq!(expired.headers()["www-authenticate"], "Bearer");
    assert!(
        problem(expired).await["detail"]
            .as_str()
            .unwrap()
            .contains("expired")
    );
}

#[tokio::test]
async fn tampered_tokens_are_refused() {
    let app = spawn_app().await;
    let user = app.user("tamper@school.nl").await;
    let other = app.user("other@school.nl").await;
    let cases = [
        (
            "changed subject",
            forge(&user.access, |_, c| c["sub"] = json!(other.id)),
        ),
        ("alg none", {
            let forged = forge(&user.access, |h, _| h["alg"] = json!("none"));
            let mut parts: Vec<&str> = forged.split('.').collect();
            parts[2] = "";
            parts.join(".")
        }),
        (
            "alg HS512",
            forge(&user.access, |h, _| h["alg"] = json!("HS512")),
        ),
        (
            "other audience",
            forge(&user.access, |_, c| c["aud"] = json!("another-service")),
        ),
        (
            "other issuer",
            forge(&user.access, |_, c| c["iss"] = json!("someone-else")),
        ),
        (
            "extended expiry",
            forge(&user.access, |_, c| {
                c["exp"] = json!(c["exp"].as_i64().unwrap() + 3600)
            }),
        ),
        ("garbage", "not.a.token".to_owned()),
    ];
    for (name, token) in cases {
        assert_eq!(
            app.get("/v1/me", Some(&token)).await.status(),
            401,
            "{name}"
        );
    }
    assert_eq!(app.get("/v1/me", None).await.status(), 401);
    let basic = app
        .client
        .get(app.url("/v1/me"))
        .header("Authorization", "Basic YTpi")
        .send()
        .await
        .unwrap();
    assert_eq!(basic.status(), 401);
}

#[tokio::test]
async fn refreshing_rotates_the_pair_and_reuse_revokes_the_whole_chain() {
    let app = spawn_app().await;
    let user = app.user("rotate@school.nl").await;
    let first = app
        .post(
            "/v1/auth/refresh",
            &json!({"refresh_token": user.refresh}),
            None,
        )
        .await;
    assert_eq!(first.status(), 200);
    let pair: Value = first.json().await.unwrap();
    let second_refresh = pair["refresh_token"].as_str().unwrap();
    assert_ne!(second_refresh, user.refresh);
    let new_access = pair["access_token"].as_str().unwrap();
    assert_eq!(app.get("/v1/me", Some(new_access)).await.status(), 200);

    // The old refresh token presented again: someone copied it. The chain ends.
    let reuse = app
        .post(
            "/v1/auth/refresh",
            &json!({"refresh_token": user.refresh}),
            None,
        )
        .await;
    assert_eq!(reuse.status(), 401);
    assert_eq!(
        app.post(
            "/v1/auth/refresh",
            &json!({"refresh_token": second_refresh}),
            None
        )
        .await
        .status(),
        401
    );
    assert_eq!(app.get("/v1/me", Some(new_access)).await.status(), 401);
    assert_eq!(app.get("/v1/me", Some(&user.access)).await.status(), 401);

    // Other sessions of the same user are untouched.
    let again: Value = app
        .login("rotate@school.nl", crate::helpers::PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        app.get("/v1/me", again["access_token"].as_str())
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn refresh_tokens_expire_with_their_session() {
    let app = spawn_app().await;
    let user = app.user("longago@school.nl").await;
    app.clock.advance(chrono::Duration::days(31));
    assert_eq!(
        app.post(
            "/v1/auth/refresh",
            &json!({"refresh_token": user.refresh}),
            None
        )
        .await
        .status(),
        401
    );
    assert_eq!(
        app.post(
            "/v1/auth/refresh",
            &json!({"refresh_token": "made-up"}),
            None
        )
        .await
        .status(),
        401
    );
}

#[tokio::test]
async fn logout_ends_the_session_and_its_tokens() {
    let app = spawn_app().await;
    let user = app.user("bye@school.nl").await;
    assert_eq!(
        app.post("/v1/auth/logout", &json!({}), Some(&user.access))
            .await
            .status(),
        204
    );
    assert_eq!(app.get("/v1/me", Some(&user.access)).await.status(), 401);
    assert_eq!(
        app.post(
            "/v1/auth/refresh",
            &json!({"refresh_token": user.refresh}),
            None
        )
        .await
        .status(),
        401
    );
}
