use serde_json::{Value, json};

use crate::helpers::{offering_body, problem, spawn_app};

#[tokio::test]
async fn offerings_side_by_side_with_the_cost_for_the_schools_quantity() {
    let app = spawn_app().await;
    let (admin, provider) = app.provider("admin@aanbieder.nl", "12345678").await;
    let per_participant = app.publish(&admin, &provider, &offering_body()).await;
    let mut hourly = offering_body();
    hourly["title"] = json!("Coaching per uur");
    hourly["price_model"] = json!("per_uur");
    hourly["price_min_cents"] = json!(9500);
    hourly["price_max_cents"] = json!(12000);
    let hourly = app.publish(&admin, &provider, &hourly).await;
    let mut on_request = offering_body();
    on_request["title"] = json!("Maatwerk");
    on_request["price_model"] = json!("op_aanvraag");
    on_request["price_min_cents"] = Value::Null;
    on_request["price_max_cents"] = Value::Null;
    on_request["duration"] = json!("eenmalig");
    let on_request = app.publish(&admin, &provider, &on_request).await;

    let response = app
        .get(&format!("/v1/compare?ids={per_participant},{hourly},{on_request}&quantity=25&unit=deelnemer&sector=po"), None)
        .await;
    assert_eq!(response.status(), 200);
    let comparison: Value = response.json().await.unwrap();
    let items = comparison["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(items[0]["id"], json!(per_participant));
    assert_eq!(
        items[0]["cost"],
        json!({"kind": "estimate", "min_cents": 1_125_000, "max_cents": 1_500_000, "per_year": false})
    );
    assert_eq!(
        items[1]["cost"],
        json!({"kind": "unit_mismatch", "price_unit": "uur"})
    );
    assert_eq!(items[2]["cost"], json!({"kind": "on_request"}));
    assert_eq!(items[0]["long_term"], true);
    assert_eq!(items[2]["long_term"], false);
    assert_eq!(items[0]["evidence_level"], "goed_onderbouwd");
    assert_eq!(
        items[0]["evidence_sources"],
        json!(["https://www.nji.nl/interventies/voorbeeld"])
    );
    assert_eq!(items[0]["provider_name"], "Leren & Co");
    assert_eq!(items[0]["ratings"]["review_count"], 0);

    // Without a unit each offering is priced in its own.
    let own: Value = app
        .get(
            &format!("/v1/compare?ids={per_participant},{hourly}&quantity=10"),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        own["items"][1]["cost"],
        json!({"kind": "estimate", "min_cents": 95_000, "max_cents": 120_000, "per_year": false})
    );
}

#[tokio::test]
async fn comparisons_need_two_to_six_visible_offerings_and_valid_parameters() {
    let app = spawn_app().await;
    let (admin, provider) = app.provider("admin@aanbieder.nl", "12345678").await;
    let published = app.publish(&admin, &provider, &offering_body()).await;
    let (draft, _) = app.draft(&admin, &provider, &offering_body()).await;
    let draft = draft["id"].as_str().unwrap();
    let field = |response: reqwest::Response| async move {
        problem(response).await["errors"][0]["field"]
            .as_str()
            .unwrap()
            .to_owned()
    };

    assert_eq!(
        field(app.get(&format!("/v1/compare?ids={published}"), None).await).await,
        "ids"
    );
    let seven = vec![published.clone(); 7].join(",");
    assert_eq!(
        app.get(&format!("/v1/compare?ids={seven}"), None)
            .await
            .status(),
        422
    );
    assert_eq!(
        field(
            app.get(&format!("/v1/compare?ids={published},{draft}"), None)
                .await
        )
        .await,
        "ids[1]"
    );
    assert_eq!(
        field(
            app.get(&format!("/v1/compare?ids={published},nope"), None)
                .await
        )
        .await,
        "ids[1]"
    );
    let other = app.publish(&admin, &provider, &offering_body()).await;
    assert_eq!(
        field(
            app.get(
                &format!("/v1/compare?ids={published},{other}&unit=kilo"),
                None
            )
            .await
        )
        .await,
        "unit"
    );
    assert_eq!(
        field(
            app.get(
                &format!("/v1/compare?ids={published},{other}&quantity=0"),
                None
            )
            .await
        )
        .await,
        "quantity"
    );
    assert_eq!(
        field(
            app.get(
                &format!("/v1/compare?ids={published},{other}&sector=hbo"),
                None
            )
            .await
        )
        .await,
        "sector"
    );
    // The provider's own staff may compare its drafts.
    assert_eq!(
        app.get(
            &format!("/v1/compare?ids={published},{draft}"),
            Some(&admin.access)
        )
        .await
        .status(),
        200
    );
}
