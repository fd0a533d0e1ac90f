use serde_json::{Value, json};

use crate::helpers::{PASSWORD, school_body, spawn_app};

#[tokio::test]
async fn me_shows_the_user_and_memberships() {
    let app = spawn_app().await;
    let user = app.user("me@school.nl").await;
    let school = app.organization(&user, school_body("12AB")).await;
    let me: Value = app
        .get("/v1/me", Some(&user.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], "me@school.nl");
    assert_eq!(me["email_verified"], true);
    assert_eq!(
        me["memberships"],
        json!([{"organization_id": school["id"], "organization_kind": "school", "organization_name": "OBS De Linde", "role": "school_leader"}])
    );
    assert!(me.get("password_hash").is_none());
}

#[tokio::test]
async fn the_export_holds_everything_stored_about_the_caller_and_nothing_secret() {
    let app = spawn_app().await;
    let user = app.user("export@school.nl").await;
    app.organization(&user, school_body("12AB")).await;
    let response = app.get("/v1/me/export", Some(&user.access)).await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("attachment")
    );
    let text = response.text().await.unwrap();
    let export: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(export["account"]["email"], "export@school.nl");
    assert_eq!(
        export["account"]["memberships"].as_array().unwrap().len(),
        1
    );
    assert_eq!(export["sessions"].as_array().unwrap().len(), 1);
    assert!(!text.contains("argon2"), "no password hash in the export");
    assert!(!text.contains(&user.refresh), "no token in the export");
}

#[tokio::test]
async fn erasing_the_account_removes_personal_data_and_frees_the_address() {
    let app = spawn_app().await;
    let user = app.user("erase@school.nl").await;
    let school = app.organization(&user, school_body("12AB")).await;
    assert_eq!(app.delete("/v1/me", Some(&user.access)).await.status(), 204);
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
    assert_eq!(app.login("erase@school.nl", PASSWORD).await.status(), 401);

    // The database keeps no personal data of the erased user.
    let (client, connection) = tokio_postgres::connect(&app.database_url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    let id: uuid::Uuid = user.id.parse().unwrap();
    let row = client
        .query_one(
            "SELECT email, password_hash, display_name FROM users WHERE id = $1",
            &[&id],
        )
        .await
        .unwrap();
    assert_eq!(row.get::<_, Option<String>>(0), None);
    assert_eq!(row.get::<_, Option<String>>(1), None);
    assert_eq!(row.get::<_, String>(2), "verwijderde gebruiker");
    let memberships: i64 = client
        .query_one(
            "SELECT count(*) FROM memberships WHERE user_id = $1",
            &[&id],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(memberships, 0);
    // The school stays, and the address may register again.
    assert!(school["id"].is_string());
    assert_eq!(app.register("erase@school.nl").await.status(), 201);
}
