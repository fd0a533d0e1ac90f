use serde_json::{Value, json};

use crate::helpers::{school_body, spawn_app};

#[tokio::test]
async fn a_coordinator_adds_a_school_whose_leaders_are_told_and_may_leave() {
    let app = spawn_app().await;
    let coordinator = app.user("coord@swv.nl").await;
    let leader = app.user("leader@school.nl").await;
    let network = app
        .organization(
            &coordinator,
            json!({"kind": "network", "name": "SWV Eemland"}),
        )
        .await;
    let school = app.organization(&leader, school_body("90IJ")).await;
    let network_id = network["id"].as_str().unwrap();
    let school_id = school["id"].as_str().unwrap();
    let path = format!("/v1/networks/{network_id}/members");

    // Before joining, the school's leader cannot see the network.
    assert_eq!(
        app.get(
            &format!("/v1/organizations/{network_id}"),
            Some(&leader.access)
        )
        .await
        .status(),
        404
    );

    let added = app
        .post(
            &path,
            &json!({"organization_id": school_id}),
            Some(&coordinator.access),
        )
        .await;
    assert_eq!(added.status(), 201);
    let again = app
        .post(
            &path,
            &json!({"organization_id": school_id}),
            Some(&coordinator.access),
        )
        .await;
    assert_eq!(again.status(), 200);
    let mails = app.mails_to("leader@school.nl", 2).await;
    let joined: Vec<_> = mails
        .iter()
        .filter(|m| m.subject.contains("toegevoegd aan het netwerk SWV Eemland"))
        .collect();
    assert_eq!(joined.len(), 1, "one mail, not one per attempt");

    let members: Value = app
        .get(&path, Some(&leader.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(members["items"][0]["id"], school["id"]);
    assert_eq!(
        app.get(
            &format!("/v1/organizations/{network_id}"),
            Some(&leader.access)
        )
        .await
        .status(),
        200
    );

    // The leader is not the network's coordinator: they cannot add others.
    let other = app.organization(&leader, school_body("91KL")).await;
    let denied = app
        .post(
            &path,
            &json!({"organization_id": other["id"]}),
            Some(&leader.access),
        )
        .await;
    assert_eq!(denied.status(), 403);

    // But they may take their own school out.
    assert_eq!(
        app.delete(&format!("{path}/{school_id}"), Some(&leader.access))
            .await
            .status(),
        204
    );
    assert_eq!(
        app.delete(&format!("{path}/{school_id}"), Some(&coordinator.access))
            .await
            .status(),
        404
    );
    let members: Value = app
        .get(&path, Some(&coordinator.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(members["items"], json!([]));
}

#[tokio::test]
async fn only_schools_and_boards_join_networks() {
    let app = spawn_app().await;
    let coordinator = app.user("coord@swv.nl").await;
    let network = app
        .organization(&coordinator, json!({"kind": "network", "name": "SWV Zuid"}))
        .await;
    let provider = app
        .organization(&coordinator, crate::helpers::provider_body("22334455"))
        .await;
    let path = format!("/v1/networks/{}/members", network["id"].as_str().unwrap());
    let response = app
        .post(
            &path,
            &json!({"organization_id": provider["id"]}),
            Some(&coordinator.access),
        )
        .await;
    assert_eq!(response.status(), 422);
    let unknown = app
        .post(
            &path,
            &json!({"organization_id": uuid::Uuid::now_v7()}),
            Some(&coordinator.access),
        )
        .await;
    assert_eq!(unknown.status(), 422);
    // A school is not a network.
    let school = app.organization(&coordinator, school_body("92MN")).await;
    let not_a_network = app
        .post(
            &format!("/v1/networks/{}/members", school["id"].as_str().unwrap()),
            &json!({"organization_id": school["id"]}),
            Some(&coordinator.access),
        )
        .await;
    assert_eq!(not_a_network.status(), 404);
}

#[tokio::test]
async fn outsiders_cannot_touch_a_network() {
    let app = spawn_app().await;
    let coordinator = app.user("coord@swv.nl").await;
    let outsider = app.user("outsider@school.nl").await;
    let network = app
        .organization(&coordinator, json!({"kind": "network", "name": "SWV West"}))
        .await;
    let school = app.organization(&outsider, school_body("93OP")).await;
    let path = format!("/v1/networks/{}/members", network["id"].as_str().unwrap());
    assert_eq!(
        app.post(
            &path,
            &json!({"organization_id": school["id"]}),
            Some(&outsider.access)
        )
        .await
        .status(),
        404
    );
    assert_eq!(app.get(&path, Some(&outsider.access)).await.status(), 404);
}
