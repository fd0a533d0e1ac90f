use serde_json::{Value, json};

use crate::helpers::{
    TestApp, User, assert_last_manager_kept, offering_body, problem, provider_body, school_body,
    spawn_app,
};

#[tokio::test]
async fn the_creator_becomes_the_managing_member_of_each_kind() {
    let app = spawn_app().await;
    let user = app.user("founder@school.nl").await;
    let cases = [
        (
            json!({"kind": "school_board", "name": "Stichting Vechtstreek", "board_number": "41234"}),
            "board_officer",
        ),
        (school_body("12AB"), "school_leader"),
        (
            json!({"kind": "network", "name": "SWV Utrecht-West"}),
            "coordinator",
        ),
        (provider_body("12345678"), "provider_admin"),
    ];
    for (body, role) in cases {
        let organization = app.organization(&user, body.clone()).await;
        assert_eq!(organization["kind"], body["kind"]);
        let me: Value = app
            .get("/v1/me", Some(&user.access))
            .await
            .json()
            .await
            .unwrap();
        let membership = me["memberships"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["organization_id"] == organization["id"])
            .cloned()
            .expect("a membership");
        assert_eq!(membership["role"], role);
        assert_eq!(membership["organization_kind"], body["kind"]);
    }
}

#[tokio::test]
async fn a_school_names_its_board_and_is_linked_to_it() {
    let app = spawn_app().await;
    let user = app.user("bestuur@school.nl").await;
    let board = app
        .organization(
            &user,
            json!({"kind": "school_board", "name": "Stichting Eem", "board_number": "20000"}),
        )
        .await;
    let mut body = school_body("34CD");
    body["board_number"] = json!("20000");
    let school = app.organization(&user, body).await;
    assert_eq!(school["board_id"], board["id"]);
    assert_eq!(school["brin"], "34CD");
}

#[tokio::test]
async fn invalid_organisations_get_every_field_error_and_nothing_is_stored() {
    let app = spawn_app().await;
    let user = app.user("sloppy@school.nl").await;
    let response = app
        .post(
            "/v1/organizations",
            &json!({"kind": "provider", "name": " ", "kvk_number": "123", "brin": "12AB", "sectors": ["po", "hbo"],
                    "province": "texel", "website": "ftp://x"}),
            Some(&user.access),
        )
        .await;
    assert_eq!(response.status(), 422);
    let body = problem(response).await;
    let mut fields: Vec<String> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect();
    fields.sort();
    assert_eq!(
        fields,
        [
            "brin",
            "kvk_number",
            "name",
            "provider_kind",
            "province",
            "sectors[1]",
            "website"
        ]
    );
    let me: Value = app
        .get("/v1/me", Some(&user.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["memberships"], json!([]));
    let unknown_kind = app
        .post(
            "/v1/organizations",
            &json!({"kind": "club", "name": "X"}),
            Some(&user.access),
        )
        .await;
    assert_eq!(
        problem(unknown_kind).await["errors"][0]["code"],
        "unknown_code"
    );
}

#[tokio::test]
async fn a_registered_identifier_cannot_be_claimed_twice() {
    let app = spawn_app().await;
    let first = app.user("first@provider.nl").await;
    let second = app.user("second@provider.nl").await;
    app.organization(&first, provider_body("87654321")).await;
    let again = app
        .post(
            "/v1/organizations",
            &provider_body("8765 4321"),
            Some(&second.access),
        )
        .await;
    assert_eq!(again.status(), 409);
}

#[tokio::test]
async fn unverified_users_cannot_create_organisations() {
    let app = spawn_app().await;
    app.register("unverified@school.nl").await;
    // Unverified users cannot log in at all, so they have no token to create anything with.
    assert_eq!(
        app.login("unverified@school.nl", crate::helpers::PASSWORD)
            .await
            .status(),
        403
    );
    assert_eq!(
        app.post("/v1/organizations", &school_body("56EF"), None)
            .await
            .status(),
        401
    );
}

#[tokio::test]
async fn changes_need_if_match_and_a_stale_one_loses_nothing() {
    let app = spawn_app().await;
    let admin = app.user("admin@provider.nl").await;
    let created = app
        .post(
            "/v1/organizations",
            &provider_body("11223344"),
            Some(&admin.access),
        )
        .await;
    let etag = created.headers()["etag"].to_str().unwrap().to_owned();
    let id = created.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/v1/organizations/{id}");

    let missing = app
        .patch(
            &path,
            &json!({"name": "Zonder If-Match"}),
            &admin.access,
            None,
        )
        .await;
    assert_eq!(missing.status(), 428);

    let first = app
        .patch(
            &path,
            &json!({"name": "Leren & Co BV", "website": "https://lerenenco.nl"}),
            &admin.access,
            Some(&etag),
        )
        .await;
    assert_eq!(first.status(), 200);
    let new_etag = first.headers()["etag"].to_str().unwrap().to_owned();
    assert_ne!(new_etag, etag);

    // A second editor who read the old version is refused and the first change stands.
    let stale = app
        .patch(
            &path,
            &json!({"name": "Overschreven"}),
            &admin.access,
            Some(&etag),
        )
        .await;
    assert_eq!(stale.status(), 412);
    let current: Value = app
        .get(&path, Some(&admin.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(current["name"], "Leren & Co BV");
    assert_eq!(current["website"], "https://lerenenco.nl");

    // null clears a field; absent fields stay.
    let cleared = app
        .patch(
            &path,
            &json!({"website": null}),
            &admin.access,
            Some(&new_etag),
        )
        .await;
    assert_eq!(cleared.status(), 200);
    let cleared: Value = cleared.json().await.unwrap();
    assert_eq!(cleared["website"], Value::Null);
    assert_eq!(cleared["name"], "Leren & Co BV");

    let invalid = app
        .patch(
            &path,
            &json!({"province": "atlantis"}),
            &admin.access,
            Some("\"3\""),
        )
        .await;
    assert_eq!(invalid.status(), 422);
    let registry_field = app
        .patch(
            &path,
            &json!({"kvk_number": "99999999"}),
            &admin.access,
            Some("\"3\""),
        )
        .await;
    assert_eq!(registry_field.status(), 422);
}

#[tokio::test]
async fn a_member_of_one_organisation_cannot_act_on_another() {
    let app = spawn_app().await;
    let alice = app.user("alice@provider-a.nl").await;
    let bob = app.user("bob@provider-b.nl").await;
    let a = app.organization(&alice, provider_body("10000001")).await;
    let b_response = app
        .post(
            "/v1/organizations",
            &provider_body("10000002"),
            Some(&bob.access),
        )
        .await;
    let b_etag = b_response.headers()["etag"].to_str().unwrap().to_owned();
    let b: Value = b_response.json().await.unwrap();
    let b_path = format!("/v1/organizations/{}", b["id"].as_str().unwrap());

    // Providers are public profiles: visible, but not Alice's to change.
    assert_eq!(app.get(&b_path, Some(&alice.access)).await.status(), 200);
    assert_eq!(
        app.patch(
            &b_path,
            &json!({"name": "Gekaapt"}),
            &alice.access,
            Some(&b_etag)
        )
        .await
        .status(),
        403
    );
    assert_eq!(
        app.get(&format!("{b_path}/members"), Some(&alice.access))
            .await
            .status(),
        403
    );
    let invite = app
        .post(
            &format!("{b_path}/members"),
            &json!({"email": "mole@provider-a.nl", "role": "provider_admin"}),
            Some(&alice.access),
        )
        .await;
    assert_eq!(invite.status(), 403);
    assert!(app.mails_to("mole@provider-a.nl", 1).await.is_empty());
    let kick = app
        .delete(&format!("{b_path}/members/{}", bob.id), Some(&alice.access))
        .await;
    assert_eq!(kick.status(), 403);
    let unchanged: Value = app
        .get(&b_path, Some(&bob.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(unchanged["name"], b["name"]);
    assert_eq!(a["kind"], "provider");
}

#[tokio::test]
async fn networks_are_invisible_to_outsiders() {
    let app = spawn_app().await;
    let coordinator = app.user("coord@swv.nl").await;
    let outsider = app.user("outsider@school.nl").await;
    let network = app
        .organization(
            &coordinator,
            json!({"kind": "network", "name": "SWV Noord"}),
        )
        .await;
    let path = format!("/v1/organizations/{}", network["id"].as_str().unwrap());
    assert_eq!(
        app.get(&path, Some(&coordinator.access)).await.status(),
        200
    );
    assert_eq!(app.get(&path, Some(&outsider.access)).await.status(), 404);
    assert_eq!(
        app.get(&format!("{path}/members"), Some(&outsider.access))
            .await
            .status(),
        404
    );
    assert_eq!(app.get(&path, None).await.status(), 401);
}

#[tokio::test]
async fn an_invitation_by_mail_adds_a_member_in_the_invited_role() {
    let app = spawn_app().await;
    let leader = app.user("leader@school.nl").await;
    let school = app.organization(&leader, school_body("78GH")).await;
    let members_path = format!(
        "/v1/organizations/{}/members",
        school["id"].as_str().unwrap()
    );

    let wrong_role = app
        .post(
            &members_path,
            &json!({"email": "t@school.nl", "role": "provider_editor"}),
            Some(&leader.access),
        )
        .await;
    assert_eq!(problem(wrong_role).await["errors"][0]["field"], "role");

    let invited = app
        .post(
            &members_path,
            &json!({"email": "Teacher@School.nl", "role": "teacher"}),
            Some(&leader.access),
        )
        .await;
    assert_eq!(invited.status(), 201);
    let mail = &app.mails_to("teacher@school.nl", 1).await[0];
    assert!(mail.subject.contains("OBS De Linde"));
    assert!(mail.text.contains("als leraar"));
    let token = app
        .token_from_mail("teacher@school.nl", "/invitations/accept")
        .await;

    // Someone else cannot use the invitation.
    let intruder = app.user("intruder@school.nl").await;
    assert_eq!(
        app.post(
            "/v1/invitations/accept",
            &json!({"token": token}),
            Some(&intruder.access)
        )
        .await
        .status(),
        403
    );

    let teacher = app.user("teacher@school.nl").await;
    let accepted = app
        .post(
            "/v1/invitations/accept",
            &json!({"token": token}),
            Some(&teacher.access),
        )
        .await;
    assert_eq!(accepted.status(), 200);
    assert_eq!(
        app.post(
            "/v1/invitations/accept",
            &json!({"token": token}),
            Some(&teacher.access)
        )
        .await
        .status(),
        422
    );

    let members: Value = app
        .get(&members_path, Some(&teacher.access))
        .await
        .json()
        .await
        .unwrap();
    let roles: Vec<&str> = members["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["school_leader", "teacher"]);
    // A teacher does not manage the school.
    let etag = app
        .get(
            &format!("/v1/organizations/{}", school["id"].as_str().unwrap()),
            Some(&teacher.access),
        )
        .await
        .headers()["etag"]
        .to_str()
        .unwrap()
        .to_owned();
    let path = format!("/v1/organizations/{}", school["id"].as_str().unwrap());
    assert_eq!(
        app.patch(
            &path,
            &json!({"name": "Overgenomen"}),
            &teacher.access,
            Some(&etag)
        )
        .await
        .status(),
        403
    );
    // The teacher may leave; the last manager may not.
    assert_eq!(
        app.delete(
            &format!("{members_path}/{}", leader.id),
            Some(&leader.access)
        )
        .await
        .status(),
        409
    );
    assert_eq!(
        app.delete(
            &format!("{members_path}/{}", teacher.id),
            Some(&teacher.access)
        )
        .await
        .status(),
        204
    );
}

#[tokio::test]
async fn an_invitation_expires_after_two_weeks() {
    let app = spawn_app().await;
    let admin = app.user("admin@provider.nl").await;
    let provider = app.organization(&admin, provider_body("55667788")).await;
    let path = format!(
        "/v1/organizations/{}/members",
        provider["id"].as_str().unwrap()
    );
    app.post(
        &path,
        &json!({"email": "editor@provider.nl", "role": "provider_editor"}),
        Some(&admin.access),
    )
    .await;
    let token = app
        .token_from_mail("editor@provider.nl", "/invitations/accept")
        .await;
    let editor = app.user("editor@provider.nl").await;
    app.clock.advance(chrono::Duration::days(15));
    // Tokens from before the jump expired too; log in again.
    let fresh: Value = app
        .login("editor@provider.nl", crate::helpers::PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    let response = app
        .post(
            "/v1/invitations/accept",
            &json!({"token": token}),
            fresh["access_token"].as_str(),
        )
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(editor.email, "editor@provider.nl");
}

#[tokio::test]
async fn provider_profiles_carry_regions_and_contact_details() {
    let app = spawn_app().await;
    let admin = app.user("admin@aanbieder.nl").await;
    let mut body = provider_body("33445566");
    body["regions"] = json!(["utrecht", "landelijk"]);
    body["contact_email"] = json!("Info@Aanbieder.nl");
    body["contact_phone"] = json!("+31 30 123 4567");
    body["description"] = json!("Wij begeleiden teams in het po.");
    let created = app
        .post("/v1/organizations", &body, Some(&admin.access))
        .await;
    let etag = created.headers()["etag"].to_str().unwrap().to_owned();
    let provider: Value = created.json().await.unwrap();
    assert_eq!(provider["regions"], json!(["utrecht", "landelijk"]));
    assert_eq!(provider["contact_email"], "info@aanbieder.nl");
    let path = format!("/v1/organizations/{}", provider["id"].as_str().unwrap());
    let bad = app
        .patch(
            &path,
            &json!({"regions": ["mars"], "contact_phone": "bel maar"}),
            &admin.access,
            Some(&etag),
        )
        .await;
    let problem = problem(bad).await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["regions[0]", "contact_phone"]);
    let cleared = app
        .patch(
            &path,
            &json!({"contact_phone": null, "regions": ["gelderland"]}),
            &admin.access,
            Some(&etag),
        )
        .await;
    let cleared: Value = cleared.json().await.unwrap();
    assert_eq!(cleared["contact_phone"], Value::Null);
    assert_eq!(cleared["regions"], json!(["gelderland"]));
    // Schools have no regions or contact of a provider.
    let school = app
        .post(
            "/v1/organizations",
            &json!({"kind": "school", "name": "X", "brin": "44QR", "regions": ["utrecht"]}),
            Some(&admin.access),
        )
        .await;
    assert_eq!(problem_field(school).await, "regions");
}

async fn problem_field(response: reqwest::Response) -> String {
    problem(response).await["errors"][0]["field"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The roles of the organisation's members, in the order they joined.
async fn roles(app: &TestApp, organization_id: &str, member: &User) -> Vec<String> {
    app.members(organization_id, member)
        .await
        .iter()
        .map(|m| m["role"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_only_manager_cannot_step_down_through_an_invitation_until_another_manages() {
    let app = spawn_app().await;
    let leader = app.user("leader@school.nl").await;
    let school = app.organization(&leader, school_body("12AB")).await;
    let id = school["id"].as_str().unwrap();

    assert_last_manager_kept(app.join(&leader, id, &leader, "teacher").await).await;
    assert_eq!(roles(&app, id, &leader).await, ["school_leader"]);

    let second = app.user("second@school.nl").await;
    assert_eq!(
        app.join(&leader, id, &second, "school_leader")
            .await
            .status(),
        200
    );
    assert_eq!(
        app.join(&leader, id, &leader, "teacher").await.status(),
        200
    );
    assert_eq!(roles(&app, id, &leader).await, ["teacher", "school_leader"]);
}

#[tokio::test]
async fn a_manager_may_leave_once_a_second_one_manages() {
    let app = spawn_app().await;
    let leader = app.user("leader@school.nl").await;
    let school = app.organization(&leader, school_body("12AB")).await;
    let id = school["id"].as_str().unwrap();
    let leave = |user: &User| {
        let path = format!("/v1/organizations/{id}/members/{}", user.id);
        let (app, token) = (&app, user.access.clone());
        async move { app.delete(&path, Some(&token)).await.status() }
    };
    assert_eq!(leave(&leader).await, 409);
    let second = app.user("second@school.nl").await;
    app.join(&leader, id, &second, "school_leader").await;
    assert_eq!(leave(&leader).await, 204);
    assert_eq!(roles(&app, id, &second).await, ["school_leader"]);
    assert_eq!(leave(&second).await, 409, "now the second is the last");
}

#[tokio::test]
async fn two_managers_removing_each_other_at_once_leave_one_of_them() {
    let app = spawn_app().await;
    // A race is not lost every time; a few rounds make a missing lock show.
    for round in 0..5 {
        let first = app.user(&format!("first{round}@school.nl")).await;
        let second = app.user(&format!("second{round}@school.nl")).await;
        let school = app
            .organization(&first, school_body(&format!("{}RC", 10 + round)))
            .await;
        let id = school["id"].as_str().unwrap();
        assert_eq!(
            app.join(&first, id, &second, "school_leader")
                .await
                .status(),
            200
        );
        let first_path = format!("/v1/organizations/{id}/members/{}", first.id);
        let second_path = format!("/v1/organizations/{id}/members/{}", second.id);
        let (a, b) = tokio::join!(
            app.delete(&second_path, Some(&first.access)),
            app.delete(&first_path, Some(&second.access)),
        );
        let mut statuses = [a.status().as_u16(), b.status().as_u16()];
        statuses.sort_unstable();
        // Exactly one wins. The other is refused by the rule (409) or, when it starts after
        // the first has finished, because its caller manages nothing there any more (403).
        assert_eq!(statuses[0], 204, "round {round}: {statuses:?}");
        assert!(
            [403, 409].contains(&statuses[1]),
            "round {round}: {statuses:?}"
        );
        let survivor = if a.status() == 204 { &first } else { &second };
        assert_eq!(roles(&app, id, survivor).await, ["school_leader"]);
    }
}

#[tokio::test]
async fn organisations_are_found_by_brin_board_number_kind_and_part_of_their_name() {
    let app = spawn_app().await;
    let user = app.user("bestuur@school.nl").await;
    let board = app
        .organization(
            &user,
            json!({"kind": "school_board", "name": "Stichting Öpen Leren Eemland", "board_number": "20001"}),
        )
        .await;
    let mut body = school_body("12AB");
    body["board_number"] = json!("20001");
    let school = app.organization(&user, body).await;
    let provider = app.organization(&user, provider_body("12345678")).await;
    let ids = |page: Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let find = |query: &str| {
        let (app, token, path) = (
            &app,
            user.access.clone(),
            format!("/v1/organizations?{query}"),
        );
        async move {
            let response = app.get(&path, Some(&token)).await;
            assert_eq!(response.status(), 200, "{path}");
            response.json::<Value>().await.unwrap()
        }
    };
    let (board_id, school_id, provider_id) = (
        board["id"].as_str().unwrap(),
        school["id"].as_str().unwrap(),
        provider["id"].as_str().unwrap(),
    );

    assert_eq!(ids(find("brin=12ab").await), [school_id]);
    let by_number = find("board_number=20001&kind=school_board").await;
    assert_eq!(ids(by_number.clone()), [board_id]);
    assert_eq!(
        by_number["items"][0]["name"],
        "Stichting Öpen Leren Eemland"
    );
    assert_eq!(by_number["next_cursor"], Value::Null);
    // A board's number also finds the schools it governs.
    assert_eq!(ids(find("board_number=20001").await), [board_id, school_id]);
    // Part of the name, in another case and without the accent.
    assert_eq!(ids(find("q=DE%20LINDE").await), [school_id]);
    assert_eq!(ids(find("q=open%20leren").await), [board_id]);
    assert_eq!(ids(find("q=leren&kind=provider").await), [provider_id]);
    assert_eq!(ids(find("kind=provider").await), [provider_id]);
    // Wildcards in the query are plain characters.
    assert!(ids(find("q=%25").await).is_empty());
    assert!(ids(find("q=_").await).is_empty());
    assert!(ids(find("brin=99ZZ").await).is_empty());
    assert_eq!(
        app.get("/v1/organizations?q=linde", None).await.status(),
        401
    );
}

#[tokio::test]
async fn a_lookup_pages_through_every_match_exactly_once() {
    let app = spawn_app().await;
    let user = app.user("leider@school.nl").await;
    let mut created = Vec::new();
    for n in 0..7 {
        let mut body = school_body(&format!("{:02}WA", 10 + n));
        body["name"] = json!(format!("Basisschool De Wadden {n}"));
        created.push(
            app.organization(&user, body).await["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    app.organization(&user, school_body("99ZZ")).await;

    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut path = "/v1/organizations?q=wadden&limit=3".to_owned();
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let page: Value = app
            .get(&path, Some(&user.access))
            .await
            .json()
            .await
            .unwrap();
        pages += 1;
        for item in page["items"].as_array().unwrap() {
            seen.push(item["id"].as_str().unwrap().to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
        assert!(pages < 10, "paging does not end");
    }
    assert_eq!(pages, 3);
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), seen.len(), "no organisation twice");
    created.sort();
    assert_eq!(unique, created);
}

#[tokio::test]
async fn a_lookup_shows_a_network_only_to_those_who_may_see_it() {
    let app = spawn_app().await;
    let coordinator = app.user("coord@swv.nl").await;
    let leader = app.user("leader@school.nl").await;
    let outsider = app.user("outsider@school.nl").await;
    let network = app
        .organization(
            &coordinator,
            json!({"kind": "network", "name": "SWV Eemland"}),
        )
        .await;
    let network_id = network["id"].as_str().unwrap();
    let school = app.organization(&leader, school_body("12AB")).await;
    let count = |user: &User, query: &'static str| {
        let (app, token) = (&app, user.access.clone());
        async move {
            let page: Value = app
                .get(&format!("/v1/organizations?{query}"), Some(&token))
                .await
                .json()
                .await
                .unwrap();
            page["items"].as_array().unwrap().len()
        }
    };
    assert_eq!(count(&outsider, "q=eemland").await, 0);
    assert_eq!(count(&outsider, "kind=network").await, 0);
    assert_eq!(count(&leader, "q=eemland").await, 0);
    assert_eq!(count(&coordinator, "q=eemland").await, 1);
    assert_eq!(count(&coordinator, "kind=network").await, 1);

    // Once the school is a member, its leader sees the network too; the outsider still not.
    let added = app
        .post(
            &format!("/v1/networks/{network_id}/members"),
            &json!({"organization_id": school["id"]}),
            Some(&coordinator.access),
        )
        .await;
    assert_eq!(added.status(), 201);
    assert_eq!(count(&leader, "q=eemland").await, 1);
    assert_eq!(count(&outsider, "q=eemland").await, 0);
}

#[tokio::test]
async fn an_invalid_lookup_names_every_invalid_parameter() {
    let app = spawn_app().await;
    let user = app.user("leider@school.nl").await;
    let response = app
        .get(
            "/v1/organizations?kind=kasteel&brin=XX1&board_number=123456&limit=500&cursor=!!",
            Some(&user.access),
        )
        .await;
    assert_eq!(response.status(), 422);
    let body = problem(response).await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["kind", "brin", "board_number", "limit", "cursor"]);
    for query in ["limit=0", "q=%01"] {
        let response = app
            .get(&format!("/v1/organizations?{query}"), Some(&user.access))
            .await;
        assert_eq!(response.status(), 422, "{query}");
    }
}

/// Writes `value` into `table.column` of the row whose `key` is `id`, past the column's CHECK
/// constraint (dropped first): a value this build does not know, as a newer build or a manual
/// fix might leave behind.
async fn store_unknown(app: &TestApp, table: &str, column: &str, value: &str, key: &str, id: &str) {
    app.sql()
        .await
        .batch_execute(&format!(
            "ALTER TABLE {table} DROP CONSTRAINT {table}_{column}_check;
             UPDATE {table} SET {column} = '{value}' WHERE {key} = '{id}'"
        ))
        .await
        .unwrap();
}

/// An unknown stored code fails the request with an opaque 500 that does not echo it.
async fn assert_internal_error(response: reqwest::Response, value: &str) {
    assert_eq!(response.status(), 500);
    let body = problem(response).await;
    assert_eq!(body["type"], "https://edumarkt.nl/problems/internal");
    assert!(!body.to_string().contains(value), "{body}");
}

/// A stored role the server does not know is an error where the row is read, not "no role"
/// (which would quietly show a member the organisation as an outsider sees it).
#[tokio::test]
async fn an_unknown_stored_role_is_an_error_not_a_missing_role() {
    let app = spawn_app().await;
    let leader = app.user("leider@school.nl").await;
    let school = app.organization(&leader, school_body("12AB")).await;
    let id = school["id"].as_str().unwrap();
    let path = format!("/v1/organizations/{id}");
    assert_eq!(app.get(&path, Some(&leader.access)).await.status(), 200);
    store_unknown(&app, "memberships", "role", "owner", "organization_id", id).await;
    assert_internal_error(app.get(&path, Some(&leader.access)).await, "owner").await;
}

/// The offering's status likewise: an unknown one is not taken for a draft.
#[tokio::test]
async fn an_unknown_stored_status_is_an_error_not_a_draft() {
    let app = spawn_app().await;
    let (admin, provider) = app.provider("admin@aanbieder.nl", "12345678").await;
    let (offering, _) = app.draft(&admin, &provider, &offering_body()).await;
    let id = offering["id"].as_str().unwrap();
    store_unknown(&app, "offerings", "status", "withdrawn", "id", id).await;
    let response = app
        .get(&format!("/v1/offerings/{id}"), Some(&admin.access))
        .await;
    assert_internal_error(response, "withdrawn").await;
}

#[tokio::test]
async fn invitations_hold_only_known_roles() {
    let app = spawn_app().await;
    let leader = app.user("leider@school.nl").await;
    let school = app.organization(&leader, school_body("12AB")).await;
    let sql = app.sql().await;
    let insert = |role: &'static str| {
        format!(
            "INSERT INTO invitations (id, organization_id, email, role, token_hash, created_at, expires_at)
             VALUES (gen_random_uuid(), '{}', 'x@school.nl', '{role}', '\\x{:02x}', now(), now())",
            school["id"].as_str().unwrap(),
            role.len()
        )
    };
    sql.batch_execute(&insert("teacher")).await.unwrap();
    let refused = sql.batch_execute(&insert("owner")).await.unwrap_err();
    assert!(
        refused.to_string().contains("invitations_role_check")
            || format!("{refused:?}").contains("invitations_role_check"),
        "{refused:?}"
    );
}
