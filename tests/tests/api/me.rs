use serde_json::{Value, json};

use crate::helpers::{PASSWORD, assert_last_manager_kept, school_body, spawn_app};

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
    // The school keeps a manager when this one goes (the last one could not go).
    let colleague = app.user("colleague@school.nl").await;
    app.join(
        &user,
        school["id"].as_str().unwrap(),
        &colleague,
        "school_leader",
    )
    .await;
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

#[tokio::test]
async fn the_only_manager_cannot_erase_the_account_until_another_manages() {
    let app = spawn_app().await;
    let user = app.user("leider@school.nl").await;
    let school = app.organization(&user, school_body("12AB")).await;
    let id = school["id"].as_str().unwrap();
    assert_last_manager_kept(app.delete("/v1/me", Some(&user.access)).await).await;
    // Nothing was erased.
    let me: Value = app
        .get("/v1/me", Some(&user.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["memberships"].as_array().unwrap().len(), 1);
    assert_eq!(app.login("leider@school.nl", PASSWORD).await.status(), 200);

    let colleague = app.user("collega@school.nl").await;
    assert_eq!(
        app.join(&user, id, &colleague, "school_leader")
            .await
            .status(),
        200
    );
    assert_eq!(app.delete("/v1/me", Some(&user.access)).await.status(), 204);
    let members = app.members(id, &colleague).await;
    assert_eq!(members.len(), 1);
    assert_eq!(members[0]["user_id"].as_str(), Some(colleague.id.as_str()));
}
