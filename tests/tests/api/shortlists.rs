use serde_json::{Value, json};

use crate::helpers::{offering_body, school_body, spawn_app};

#[tokio::test]
async fn a_shortlist_is_shared_within_the_organisation_and_guarded_against_lost_edits() {
    let app = spawn_app().await;
    let (admin, provider) = app.provider("admin@aanbieder.nl", "12345678").await;
    let first = app.publish(&admin, &provider, &offering_body()).await;
    let second = app.publish(&admin, &provider, &offering_body()).await;
    let leader = app.user("leader@school.nl").await;
    let school = app.organization(&leader, school_body("12AB")).await;
    let school_id = school["id"].as_str().unwrap();

    let created = app
        .post(
            "/v1/shortlists",
            &json!({"name": "Leesaanpak 2027", "organization_id": school_id,
            "items": [{"offering_id": first, "note": "goede reviews"}]}),
            Some(&leader.access),
        )
        .await;
    assert_eq!(created.status(), 201);
    let etag = created.headers()["etag"].to_str().unwrap().to_owned();
    let list: Value = created.json().await.unwrap();
    let path = format!("/v1/shortlists/{}", list["id"].as_str().unwrap());
    assert_eq!(list["items"][0]["note"], "goede reviews");

    // A colleague invited into the school sees it; an outsider does not.
    app.post(
        &format!("/v1/organizations/{school_id}/members"),
        &json!({"email": "teacher@school.nl", "role": "teacher"}),
        Some(&leader.access),
    )
    .await;
    let token = app
        .token_from_mail("teacher@school.nl", "/invitations/accept")
        .await;
    let teacher = app.user("teacher@school.nl").await;
    app.post(
        "/v1/invitations/accept",
        &json!({"token": token}),
        Some(&teacher.access),
    )
    .await;
    assert_eq!(app.get(&path, Some(&teacher.access)).await.status(), 200);
    let mine: Value = app
        .get("/v1/shortlists", Some(&teacher.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["items"].as_array().unwrap().len(), 1);
    let outsider = app.user("outsider@elders.nl").await;
    assert_eq!(app.get(&path, Some(&outsider.access)).await.status(), 404);

    // Teachers read; the owner edits, with If-Match.
    let items = json!({"items": [{"offering_id": second}, {"offering_id": first}]});
    let put = |token: String, tag: Option<String>| {
        let (app, path, items) = (&app, path.clone(), items.clone());
        async move {
            let mut request = app
                .client
                .put(app.url(&format!("{path}/items")))
                .json(&items)
                .bearer_auth(token);
            if let Some(tag) = tag {
                request = request.header("If-Match", tag);
            }
            request.send().await.unwrap()
        }
    };
    assert_eq!(
        put(teacher.access.clone(), Some(etag.clone()))
            .await
            .status(),
        403
    );
    assert_eq!(put(leader.access.clone(), None).await.status(), 428);
    let replaced = put(leader.access.clone(), Some(etag.clone())).await;
    assert_eq!(replaced.status(), 200);
    let replaced: Value = replaced.json().await.unwrap();
    let order: Vec<&str> = replaced["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["offering_id"].as_str().unwrap())
        .collect();
    assert_eq!(order, [second.as_str(), first.as_str()]);
    assert_eq!(
        put(leader.access.clone(), Some(etag)).await.status(),
        412,
        "a stale version loses nothing"
    );

    // Lists are only shared with the caller's own organisations, and hold visible offerings.
    let elsewhere = app
        .post(
            "/v1/shortlists",
            &json!({"name": "X", "organization_id": school_id}),
            Some(&outsider.access),
        )
        .await;
    assert_eq!(elsewhere.status(), 422);
    let (draft, _) = app.draft(&admin, &provider, &offering_body()).await;
    let hidden = app
        .post("/v1/shortlists", &json!({"name": "X", "organization_id": school_id, "items": [{"offering_id": draft["id"]}]}), Some(&leader.access))
        .await;
    assert_eq!(hidden.status(), 422);
}

#[tokio::test]
async fn a_shortlist_is_renamed_and_deleted_by_its_owner_and_managers_only() {
    let app = spawn_app().await;
    let (admin, provider) = app.provider("admin@aanbieder.nl", "12345678").await;
    let offering = app.publish(&admin, &provider, &offering_body()).await;
    let leader = app.user("leader@school.nl").await;
    let school = app.organization(&leader, school_body("12AB")).await;
    let school_id = school["id"].as_str().unwrap();
    let (owner, colleague) = (
        app.user("owner@school.nl").await,
        app.user("colleague@school.nl").await,
    );
    for teacher in [&owner, &colleague] {
        assert_eq!(
            app.join(&leader, school_id, teacher, "teacher")
                .await
                .status(),
            200
        );
    }
    let outsider = app.user("outsider@elders.nl").await;
    app.organization(&outsider, school_body("34CD")).await;

    let created = app
        .post(
            "/v1/shortlists",
            &json!({"name": "Rekenen", "organization_id": school_id,
                "items": [{"offering_id": offering}]}),
            Some(&owner.access),
        )
        .await;
    assert_eq!(created.status(), 201);
    let first_tag = created.headers()["etag"].to_str().unwrap().to_owned();
    let list: Value = created.json().await.unwrap();
    let path = format!("/v1/shortlists/{}", list["id"].as_str().unwrap());
    let rename = |name: &str| json!({ "name": name });

    // The owner renames, with If-Match; a new ETag comes back.
    assert_eq!(
        app.patch(&path, &rename("Rekenen 2027"), &owner.access, None)
            .await
            .status(),
        428
    );
    let renamed = app
        .patch(
            &path,
            &rename("Rekenen 2027"),
            &owner.access,
            Some(&first_tag),
        )
        .await;
    assert_eq!(renamed.status(), 200);
    let second_tag = renamed.headers()["etag"].to_str().unwrap().to_owned();
    assert_ne!(second_tag, first_tag);
    let renamed: Value = renamed.json().await.unwrap();
    assert_eq!(renamed["name"], "Rekenen 2027");
    assert_eq!(renamed["items"].as_array().unwrap().len(), 1);

    // A rename based on the old version loses, and changes nothing.
    let stale = app
        .patch(&path, &rename("Oud"), &owner.access, Some(&first_tag))
        .await;
    assert_eq!(stale.status(), 412);
    let current: Value = app
        .get(&path, Some(&owner.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(current["name"], "Rekenen 2027");

    // A colleague reads but may not change; the school's leader (a manager) may.
    assert_eq!(app.get(&path, Some(&colleague.access)).await.status(), 200);
    assert_eq!(
        app.patch(
            &path,
            &rename("Van mij"),
            &colleague.access,
            Some(&second_tag)
        )
        .await
        .status(),
        403
    );
    assert_eq!(
        app.delete(&path, Some(&colleague.access)).await.status(),
        403
    );
    let by_leader = app
        .patch(
            &path,
            &rename("Rekenen (schoolbreed)"),
            &leader.access,
            Some(&second_tag),
        )
        .await;
    assert_eq!(by_leader.status(), 200);
    let third_tag = by_leader.headers()["etag"].to_str().unwrap().to_owned();
    assert_eq!(
        app.patch(&path, &rename("  "), &leader.access, Some(&third_tag))
            .await
            .status(),
        422
    );

    // Another organisation's user does not see it at all.
    assert_eq!(
        app.patch(
            &path,
            &rename("Gekaapt"),
            &outsider.access,
            Some(&third_tag)
        )
        .await
        .status(),
        404
    );
    assert_eq!(
        app.delete(&path, Some(&outsider.access)).await.status(),
        404
    );

    // Delete honours If-Match when sent, and works without it.
    let stale_delete = app
        .client
        .delete(app.url(&path))
        .bearer_auth(&owner.access)
        .header("If-Match", &second_tag)
        .send()
        .await
        .unwrap();
    assert_eq!(stale_delete.status(), 412);
    assert_eq!(app.get(&path, Some(&owner.access)).await.status(), 200);
    assert_eq!(app.delete(&path, Some(&owner.access)).await.status(), 204);
    assert_eq!(app.get(&path, Some(&owner.access)).await.status(), 404);
    assert_eq!(app.delete(&path, Some(&owner.access)).await.status(), 404);
    let lists: Value = app
        .get("/v1/shortlists", Some(&leader.access))
        .await
        .json()
        .await
        .unwrap();
    assert!(lists["items"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn an_items_body_over_the_limit_is_refused_before_anything_is_looked_up() {
    let app = spawn_app().await;
    let leader = app.user("leader@school.nl").await;
    let school = app.organization(&leader, school_body("12AB")).await;
    let created: Value = app
        .post(
            "/v1/shortlists",
            &json!({"name": "Lang", "organization_id": school["id"]}),
            Some(&leader.access),
        )
        .await
        .json()
        .await
        .unwrap();
    let path = format!("/v1/shortlists/{}/items", created["id"].as_str().unwrap());
    // Ids of no offering: had they been looked up, each would be named as not found.
    let items: Vec<Value> = (0..51)
        .map(|i| json!({"offering_id": format!("00000000-0000-4000-8000-{i:012}")}))
        .collect();
    let body = json!({ "items": items });
    let outsider = app.user("outsider@elders.nl").await;
    for who in [&leader, &outsider] {
        let refused = app
            .client
            .put(app.url(&path))
            .json(&body)
            .bearer_auth(&who.access)
            .header("If-Match", "\"1\"")
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 422);
        let problem: Value = refused.json().await.unwrap();
        assert_eq!(
            problem["errors"],
            json!([{"field": "items", "code": "too_long",
                "message": "a list holds at most 50 offerings"}])
        );
    }
    // Creating a list over the limit is refused the same way.
    let refused = app
        .post(
            "/v1/shortlists",
            &json!({"name": "Lang", "organization_id": school["id"], "items": items}),
            Some(&leader.access),
        )
        .await;
    assert_eq!(refused.status(), 422);
    let problem: Value = refused.json().await.unwrap();
    assert_eq!(problem["errors"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn every_list_shows_its_own_items_in_order() {
    let app = spawn_app().await;
    let (admin, provider) = app.provider("admin@aanbieder.nl", "12345678").await;
    let first = app.publish(&admin, &provider, &offering_body()).await;
    let second = app.publish(&admin, &provider, &offering_body()).await;
    let leader = app.user("leader@school.nl").await;
    let school = app.organization(&leader, school_body("12AB")).await;
    for (name, items) in [
        (
            "A",
            json!([{"offering_id": second}, {"offering_id": first}]),
        ),
        ("B", json!([{"offering_id": first}])),
        ("C", json!([])),
    ] {
        let created = app
            .post(
                "/v1/shortlists",
                &json!({"name": name, "organization_id": school["id"], "items": items}),
                Some(&leader.access),
            )
            .await;
        assert_eq!(created.status(), 201);
    }
    let lists: Value = app
        .get("/v1/shortlists", Some(&leader.access))
        .await
        .json()
        .await
        .unwrap();
    let shown: Vec<(String, Vec<String>)> = lists["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let ids = l["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["offering_id"].as_str().unwrap().to_owned())
                .collect();
            (l["name"].as_str().unwrap().to_owned(), ids)
        })
        .collect();
    assert_eq!(
        shown,
        [
            ("C".to_owned(), vec![]),
            ("B".to_owned(), vec![first.clone()]),
            ("A".to_owned(), vec![second, first]),
        ]
    );
}
