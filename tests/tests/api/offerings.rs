use serde_json::{Value, json};

use crate::helpers::{offering_body, problem, spawn_app};

#[tokio::test]
async fn a_draft_is_private_until_published_and_then_public() {
    let app = spawn_app().await;
    let (admin, provider) = app.provider("admin@aanbieder.nl", "12345678").await;
    let (offering, _) = app.draft(&admin, &provider, &offering_body()).await;
    assert_eq!(offering["status"], "draft");
    assert_eq!(offering["price_min_cents"], 45000);
    assert_eq!(offering["themes"], json!(["inclusief_onderwijs"]));
    let path = format!("/v1/offerings/{}", offering["id"].as_str().unwrap());

    assert_eq!(app.get(&path, None).await.status(), 404);
    let listed: Value = app
        .get(&format!("/v1/providers/{provider}/offerings"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["items"], json!([]));
    assert_eq!(app.get(&path, Some(&admin.access)).await.status(), 200);

    let published = app
        .post(&format!("{path}/publish"), &json!({}), Some(&admin.access))
        .await;
    assert_eq!(published.status(), 200);
    let published: Value = published.json().await.unwrap();
    assert_eq!(published["status"], "published");
    assert!(published["published_at"].is_string());
    let public: Value = app.get(&path, None).await.json().await.unwrap();
    assert_eq!(public["title"], "Dyslexie-aanpak in de klas");
    let listed: Value = app
        .get(&format!("/v1/providers/{provider}/offerings"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    assert_eq!(
        app.post(&format!("{path}/publish"), &json!({}), Some(&admin.access))
            .await
            .status(),
        409
    );
}

#[tokio::test]
async fn archived_offerings_leave_public_listings_but_stay_readable_to_the_provider() {
    let app = spawn_app().await;
    let (admin, provider) = app.provider("admin@aanbieder.nl", "12345678").await;
    let (offering, _) = app.draft(&admin, &provider, &offering_body()).await;
    let path = format!("/v1/offerings/{}", offering["id"].as_str().unwrap());
    app.post(&format!("{path}/publish"), &json!({}), Some(&admin.access))
        .await;
    let archived = app
        .post(&format!("{path}/archive"), &json!({}), Some(&admin.access))
        .await;
    assert_eq!(archived.status(), 200);

    assert_eq!(app.get(&path, None).await.status(), 404);
    let stranger = app.user("juf@school.nl").await;
    assert_eq!(app.get(&path, Some(&stranger.access)).await.status(), 404);
    let public: Value = app
        .get(&format!("/v1/providers/{provider}/offerings"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(public["items"], json!([]));

    let own: Value = app
        .get(&path, Some(&admin.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(own["status"], "archived");
    let staff_list: Value = app
        .get(
            &format!("/v1/providers/{provider}/offerings?status=archived"),
            Some(&admin.access),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(staff_list["items"][0]["id"], offering["id"]);
}

#[tokio::test]
async fn every_invalid_field_is_named_and_nothing_is_stored() {
    let app = spawn_app().await;
    let (admin, provider) = app.provider("admin@aanbieder.nl", "12345678").await;
    let mut body = offering_body();
    body["title"] = json!("");
    body["service_type"] = json!("prof_teamleiders");
    body["sectors"] = json!(["po", "hbo"]);
    body["regions"] = json!([]);
    body["formats"] = json!(["yoga"]);
    body["delivery"] = json!(["per_post"]);
    body["duration"] = json!("eeuwig");
    body["price_min_cents"] = json!(70000);
    body["evidence_level"] = json!("effectief_sterke_aanwijzingen");
    body["evidence_sources"] = json!(["http://niet-veilig.nl/studie"]);
    body["co_creation_phases"] = json!(["brainstorm"]);
    body["themes"] = json!(["astrologie"]);
    body["summary"] = json!("x".repeat(501));
    let response = app
        .post(
            &format!("/v1/providers/{provider}/offerings"),
            &body,
            Some(&admin.access),
        )
        .await;
    assert_eq!(response.status(), 422);
    let problem = problem(response).await;
    let mut fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    fields.sort();
    assert_eq!(
        fields,
        [
            "co_creation_phases[0]",
            "delivery[0]",
            "duration",
            "evidence_sources[0]",
            "formats[0]",
            "price_max_cents",
            "regions",
            "sectors[1]",
            "service_type",
            "summary",
            "themes[0]",
            "title"
        ]
    );
    let wrong_type = app
        .post(
            &format!("/v1/providers/{provider}/offerings"),
            &json!({"title": 5}),
            Some(&admin.access),
        )
        .await;
    assert_eq!(wrong_type.status(), 422);
    let listed: Value = app
        .get(
            &format!("/v1/providers/{provider}/offerings"),
            Some(&admin.access),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["items"], json!([]));
}

#[tokio::test]
async fn an_editor_of_one_provider_cannot_see_or_touch_another_providers_drafts() {
    let app = spawn_app().await;
    let (alice, provider_a) = app.provider("alice@a.nl", "10000001").await;
    let (bob, provider_b) = app.provider("bob@b.nl", "10000002").await;
    let (draft, etag) = app.draft(&bob, &provider_b, &offering_body()).await;
    let path = format!("/v1/offerings/{}", draft["id"].as_str().unwrap());

    assert_eq!(app.get(&path, Some(&alice.access)).await.status(), 404);
    assert_eq!(
        app.patch(
            &path,
            &json!({"title": "Gekaapt"}),
            &alice.access,
            Some(&etag)
        )
        .await
        .status(),
        404
    );
    assert_eq!(
        app.post(&format!("{path}/publish"), &json!({}), Some(&alice.access))
            .await
            .status(),
        404
    );
    assert_eq!(
        app.get(&format!("{path}/history"), Some(&alice.access))
            .await
            .status(),
        404
    );
    let drafts: Value = app
        .get(
            &format!("/v1/providers/{provider_b}/offerings?status=draft"),
            Some(&alice.access),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        drafts["items"],
        json!([]),
        "only published ones are listed for outsiders"
    );
    let create = app
        .post(
            &format!("/v1/providers/{provider_b}/offerings"),
            &offering_body(),
            Some(&alice.access),
        )
        .await;
    assert_eq!(create.status(), 403);

    // Once published, others can read it but still not change it.
    app.post(&format!("{path}/publish"), &json!({}), Some(&bob.access))
        .await;
    assert_eq!(app.get(&path, Some(&alice.access)).await.status(), 200);
    let current = app.get(&path, Some(&bob.access)).await.headers()["etag"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        app.patch(
            &path,
            &json!({"title": "Gekaapt"}),
            &alice.access,
            Some(&current)
        )
        .await
        .status(),
        403
    );
    let unchanged: Value = app.get(&path, None).await.json().await.unwrap();
    assert_eq!(unchanged["title"], draft["title"]);
    assert!(!provider_a.is_empty());
}

#[tokio::test]
async fn an_invited_editor_edits_and_the_history_says_who_changed_what() {
    let app = spawn_app().await;
    let (admin, provider) = app.provider("admin@aanbieder.nl", "12345678").await;
    app.post(
        &format!("/v1/organizations/{provider}/members"),
        &json!({"email": "editor@aanbieder.nl", "role": "provider_editor"}),
        Some(&admin.access),
    )
    .await;
    let token = app
        .token_from_mail("editor@aanbieder.nl", "/invitations/accept")
        .await;
    let editor = app.user("editor@aanbieder.nl").await;
    app.post(
        "/v1/invitations/accept",
        &json!({"token": token}),
        Some(&editor.access),
    )
    .await;

    let (offering, etag) = app.draft(&admin, &provider, &offering_body()).await;
    let path = format!("/v1/offerings/{}", offering["id"].as_str().unwrap());
    let edited = app
        .patch(
            &path,
            &json!({"price_max_cents": 65000, "duration": "langdurig"}),
            &editor.access,
            Some(&etag),
        )
        .await;
    assert_eq!(edited.status(), 200);

    let history: Value = app
        .get(&format!("{path}/history"), Some(&admin.access))
        .await
        .json()
        .await
        .unwrap();
    let items = history["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["action"], "updated");
    assert_eq!(items[0]["changed_by"], json!(editor.id));
    assert_eq!(
        items[0]["changes"],
        json!({"price_max_cents": {"from": 60000, "to": 65000}, "duration": {"from": "traject", "to": "langdurig"}})
    );
    assert_eq!(items[1]["action"], "created");
    assert_eq!(items[1]["changed_by"], json!(admin.id));

    let stranger = app.user("juf@school.nl").await;
    app.post(&format!("{path}/publish"), &json!({}), Some(&editor.access))
        .await;
    assert_eq!(
        app.get(&format!("{path}/history"), Some(&stranger.access))
            .await
            .status(),
        403
    );
}

#[tokio::test]
async fn two_editors_changing_the_same_offering_one_wins_and_nothing_is_lost() {
    let app = spawn_app().await;
    let (admin, provider) = app.provider("admin@aanbieder.nl", "12345678").await;
    let (offering, etag) = app.draft(&admin, &provider, &offering_body()).await;
    let path = format!("/v1/offerings/{}", offering["id"].as_str().unwrap());
    let first = app
        .patch(
            &path,
            &json!({"title": "Versie van Anna"}),
            &admin.access,
            Some(&etag),
        )
        .await;
    let second = app
        .patch(
            &path,
            &json!({"summary": "Versie van Bram"}),
            &admin.access,
            Some(&etag),
        )
        .await;
    assert_eq!(first.status(), 200);
    assert_eq!(second.status(), 412);
    let current: Value = app
        .get(&path, Some(&admin.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(current["title"], "Versie van Anna");
    assert_eq!(current["summary"], offering["summary"]);

    // Sent at the same moment, still exactly one wins.
    let etag = app.get(&path, Some(&admin.access)).await.headers()["etag"]
        .to_str()
        .unwrap()
        .to_owned();
    let (body_a, body_b) = (
        json!({"title": "Gelijktijdig A"}),
        json!({"title": "Gelijktijdig B"}),
    );
    let (a, b) = tokio::join!(
        app.patch(&path, &body_a, &admin.access, Some(&etag)),
        app.patch(&path, &body_b, &admin.access, Some(&etag)),
    );
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 412]);
    assert_eq!(
        app.patch(&path, &json!({"title": "Zonder"}), &admin.access, None)
            .await
            .status(),
        428
    );
}

#[tokio::test]
async fn a_patch_is_validated_as_a_whole_offering() {
    let app = spawn_app().await;
    let (admin, provider) = app.provider("admin@aanbieder.nl", "12345678").await;
    let (offering, etag) = app.draft(&admin, &provider, &offering_body()).await;
    let path = format!("/v1/offerings/{}", offering["id"].as_str().unwrap());
    // Moving to another domain without a matching service type is refused.
    let response = app
        .patch(
            &path,
            &json!({"domain": "professionalisering"}),
            &admin.access,
            Some(&etag),
        )
        .await;
    assert_eq!(
        problem(response).await["errors"][0]["field"],
        "service_type"
    );
    // Switching to "on request" needs the prices cleared.
    let response = app
        .patch(
            &path,
            &json!({"price_model": "op_aanvraag"}),
            &admin.access,
            Some(&etag),
        )
        .await;
    assert_eq!(response.status(), 422);
    let ok = app
        .patch(&path, &json!({"price_model": "op_aanvraag", "price_min_cents": null, "price_max_cents": null}), &admin.access, Some(&etag))
        .await;
    assert_eq!(ok.status(), 200);
    assert_eq!(
        ok.json::<Value>().await.unwrap()["price_min_cents"],
        Value::Null
    );
}

#[tokio::test]
async fn provider_listings_page_with_a_cursor() {
    let app = spawn_app().await;
    let (admin, provider) = app.provider("admin@aanbieder.nl", "12345678").await;
    for i in 0..5 {
        let mut body = offering_body();
        body["title"] = json!(format!("Aanbod {i}"));
        app.draft(&admin, &provider, &body).await;
    }
    let path = format!("/v1/providers/{provider}/offerings");
    let first: Value = app
        .get(&format!("{path}?limit=2"), Some(&admin.access))
        .await
        .json()
        .await
        .unwrap();
    let titles = |page: &Value| {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["title"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(titles(&first), ["Aanbod 4", "Aanbod 3"]);
    let cursor = first["next_cursor"].as_str().unwrap();
    let second: Value = app
        .get(
            &format!("{path}?limit=2&cursor={cursor}"),
            Some(&admin.access),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(titles(&second), ["Aanbod 2", "Aanbod 1"]);
    let third: Value = app
        .get(
            &format!(
                "{path}?limit=2&cursor={}",
                second["next_cursor"].as_str().unwrap()
            ),
            Some(&admin.access),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(titles(&third), ["Aanbod 0"]);
    assert_eq!(third["next_cursor"], Value::Null);
    assert_eq!(
        app.get(&format!("{path}?limit=101"), None).await.status(),
        422
    );
    assert_eq!(
        app.get(&format!("{path}?cursor=bogus!"), None)
            .await
            .status(),
        422
    );
    assert_eq!(
        app.get(
            &format!("/v1/providers/{}/offerings", uuid::Uuid::now_v7()),
            None
        )
        .await
        .status(),
        404
    );
}

#[tokio::test]
async fn the_taxonomy_lists_every_code_with_dutch_labels() {
    let app = spawn_app().await;
    let taxonomy: Value = app.get("/v1/taxonomy", None).await.json().await.unwrap();
    assert_eq!(taxonomy["domains"].as_array().unwrap().len(), 4);
    assert_eq!(taxonomy["service_types"].as_array().unwrap().len(), 26);
    let dyslexia = taxonomy["service_types"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["code"] == "zorg_leerproblemen")
        .unwrap();
    assert_eq!(dyslexia["domain"], "leerlingenzorg");
    assert_eq!(dyslexia["share_po"], 71);
    assert_eq!(taxonomy["regions"].as_array().unwrap().len(), 13);
    assert_eq!(taxonomy["evidence_levels"][0]["code"], "geen");
    assert_eq!(taxonomy["themes"][2]["nl"], "technologie in het onderwijs");
    for list in [
        "sectors",
        "formats",
        "delivery",
        "durations",
        "price_models",
        "units",
        "co_creation_phases",
        "provider_kinds",
    ] {
        assert!(!taxonomy[list].as_array().unwrap().is_empty(), "{list}");
    }
}
