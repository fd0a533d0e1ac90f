//! The search contract: one suite, run against every engine (`helpers::engines`), through the
//! API as a client uses it.

use edumarkt_server::clock::Clock as _;
use serde_json::{Value, json};

use crate::helpers::{Engine, TestApp, offering_body, problem, spawn_app_on, titles};

/// One contract test per engine, so that the count shows the Meilisearch half as ignored when no
/// Meilisearch is configured (see build.rs) rather than folding it into a passing test.
macro_rules! contract {
    ($name:ident) => {
        mod $name {
            use crate::helpers::Engine;

            #[tokio::test]
            async fn embedded() {
                super::$name(Engine::Embedded).await
            }

            #[tokio::test]
            #[cfg_attr(
                not(meilisearch),
                ignore = "MEILISEARCH_URL is not set: runs against a real Meilisearch only"
            )]
            async fn meilisearch() {
                super::$name(Engine::Meilisearch).await
            }
        }
    };
}

/// Five published offerings and one draft, each with something to find it by.
async fn market(engine: Engine) -> (TestApp, crate::helpers::User, String) {
    let app = spawn_app_on(engine).await;
    let (admin, provider) = app.provider("admin@aanbieder.nl", "12345678").await;
    let offerings = [
        json!({"title": "Dyslexie-aanpak in de klas", "domain": "leerlingenzorg", "service_type": "zorg_leerproblemen",
               "sectors": ["po"], "regions": ["utrecht"], "price_model": "per_deelnemer", "price_min_cents": 45000,
               "evidence_level": "goed_onderbouwd", "evidence_sources": ["https://www.nji.nl/x"]}),
        json!({"title": "Remedial teaching voor rekenen", "domain": "leerlingenzorg", "service_type": "zorg_leerproblemen",
               "sectors": ["po", "so"], "regions": ["gelderland"], "price_model": "per_uur", "price_min_cents": 9500,
               "evidence_level": "geen", "evidence_sources": []}),
        json!({"title": "Training formatief handelen", "domain": "professionalisering", "service_type": "prof_collectief_team",
               "sectors": ["vo"], "regions": ["landelijk"], "price_model": "vaste_prijs", "price_min_cents": 250000,
               "duration": "langdurig", "evidence_level": "geen", "evidence_sources": []}),
        json!({"title": "Intern begeleider in gesprek", "domain": "leerlingenzorg", "service_type": "zorg_leraren_omgang",
               "sectors": ["po"], "regions": ["utrecht"], "price_model": "op_aanvraag", "price_min_cents": null, "price_max_cents": null,
               "evidence_level": "geen", "evidence_sources": []}),
        json!({"title": "Leerlingvolgsysteem Horizon", "domain": "leermiddelen_toetsing", "service_type": "lm_leerlingvolgsysteem",
               "sectors": ["po", "vo"], "regions": ["landelijk"], "price_model": "per_leerling_per_jaar", "price_min_cents": 1200,
               "formats": ["product"], "evidence_level": "geen", "evidence_sources": []}),
    ];
    for fields in offerings {
        let mut body = offering_body();
        body["summary"] = json!("Ondersteuning voor scholen.");
        body["description"] = json!("Een aanbod voor teams.");
        body["price_max_cents"] = Value::Null;
        for (key, value) in fields.as_object().unwrap() {
            body[key] = value.clone();
        }
        app.publish(&admin, &provider, &body).await;
        app.clock.advance(chrono::Duration::minutes(1));
    }
    let mut draft = offering_body();
    draft["title"] = json!("Dyslexie concept (nog niet gepubliceerd)");
    app.draft(&admin, &provider, &draft).await;
    app.sync_search().await;
    (app, admin, provider)
}

contract!(typos_and_synonyms_find_the_right_offerings);
async fn typos_and_synonyms_find_the_right_offerings(engine: Engine) {
    let (app, _, _) = market(engine).await;
    let found = |q: &'static str| {
        let app = &app;
        async move { titles(&app.search(&format!("q={q}")).await) }
    };
    // The title match ranks first; the other also matches through its service type's label
    // ("… leerproblemen (bv. dyslexie)").
    assert_eq!(
        found("dyslexsie").await,
        [
            "Dyslexie-aanpak in de klas",
            "Remedial teaching voor rekenen"
        ],
        "{engine:?}"
    );
    let typo = found("profesionalisering").await;
    assert!(
        typo.contains(&"Training formatief handelen".to_owned()),
        "{engine:?}: {typo:?}"
    );
    assert_eq!(
        found("RT").await,
        ["Remedial teaching voor rekenen"],
        "{engine:?}"
    );
    assert_eq!(
        found("IB").await,
        ["Intern begeleider in gesprek"],
        "{engine:?}"
    );
    assert_eq!(
        found("LVS").await,
        ["Leerlingvolgsysteem Horizon"],
        "{engine:?}"
    );
    assert!(
        found("nascholing")
            .await
            .contains(&"Training formatief handelen".to_owned()),
        "{engine:?}"
    );
    // The draft is never found.
    assert!(
        !found("concept").await.iter().any(|t| t.contains("concept")),
        "{engine:?}"
    );
}

contract!(filters_combine_or_within_a_facet_and_and_across);
async fn filters_combine_or_within_a_facet_and_and_across(engine: Engine) {
    let (app, _, provider) = market(engine).await;
    let total = |q: String| {
        let app = &app;
        async move { app.search(&q).await["total"].as_u64().unwrap() }
    };
    assert_eq!(total("".into()).await, 5, "{engine:?}");
    assert_eq!(total("sector=po".into()).await, 4, "{engine:?}");
    assert_eq!(total("sector=po&sector=vo".into()).await, 5, "{engine:?}");
    assert_eq!(
        total("sector=po&domain=leerlingenzorg".into()).await,
        3,
        "{engine:?}"
    );
    assert_eq!(total("region=utrecht".into()).await, 2, "{engine:?}");
    assert_eq!(total("price_max_cents=10000".into()).await, 2, "{engine:?}");
    assert_eq!(
        total("evidence_min=goed_onderbouwd".into()).await,
        1,
        "{engine:?}"
    );
    assert_eq!(total("duration=langdurig".into()).await, 1, "{engine:?}");
    assert_eq!(
        total(format!("provider_id={provider}")).await,
        5,
        "{engine:?}"
    );
    assert_eq!(total("q=dyslexie&sector=vo".into()).await, 0, "{engine:?}");
}

contract!(each_facet_is_counted_without_its_own_filter);
async fn each_facet_is_counted_without_its_own_filter(engine: Engine) {
    let (app, _, _) = market(engine).await;
    let results = app.search("sector=po&domain=leerlingenzorg").await;
    assert_eq!(results["total"], 3);
    // Domains, counted among po offerings: what choosing another domain would give.
    assert_eq!(
        results["facets"]["domain"],
        json!({"leerlingenzorg": 3, "leermiddelen_toetsing": 1}),
        "{engine:?}"
    );
    // Sectors, counted among pupil-care offerings.
    assert_eq!(
        results["facets"]["sector"],
        json!({"po": 3, "so": 1}),
        "{engine:?}"
    );
    // Facets without a filter are counted within the full filter.
    assert_eq!(
        results["facets"]["region"],
        json!({"utrecht": 2, "gelderland": 1}),
        "{engine:?}"
    );
}

contract!(sorting_and_pagination);
async fn sorting_and_pagination(engine: Engine) {
    let (app, _, _) = market(engine).await;
    // Grouped by price model (per hour, per participant, per pupil per year, fixed), each
    // group by price; on request last.
    assert_eq!(
        titles(&app.search("sort=price_asc").await),
        [
            "Remedial teaching voor rekenen",
            "Dyslexie-aanpak in de klas",
            "Leerlingvolgsysteem Horizon",
            "Training formatief handelen",
            "Intern begeleider in gesprek"
        ],
        "{engine:?}: on request comes last"
    );
    assert_eq!(
        titles(
            &app.search("sort=price_desc&price_model=vaste_prijs&price_model=per_uur")
                .await
        ),
        [
            "Remedial teaching voor rekenen",
            "Training formatief handelen"
        ],
        "{engine:?}"
    );
    assert_eq!(
        titles(&app.search("sort=newest").await)[0],
        "Leerlingvolgsysteem Horizon",
        "{engine:?}"
    );
    let mut seen = Vec::new();
    for page in 1..=3 {
        let results = app
            .search(&format!("sort=newest&per_page=2&page={page}"))
            .await;
        assert_eq!(results["total"], 5);
        assert_eq!(
            (results["page"].as_u64(), results["per_page"].as_u64()),
            (Some(page), Some(2))
        );
        seen.extend(titles(&results));
    }
    assert_eq!(
        seen,
        titles(&app.search("sort=newest").await),
        "{engine:?}: pages neither overlap nor skip"
    );
}

contract!(archived_offerings_and_renamed_providers_follow_the_database);
async fn archived_offerings_and_renamed_providers_follow_the_database(engine: Engine) {
    let (app, admin, provider) = market(engine).await;
    let id = app.search("q=dyslexie").await["hits"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.post(
        &format!("/v1/offerings/{id}/archive"),
        &json!({}),
        Some(&admin.access),
    )
    .await;
    let path = format!("/v1/organizations/{provider}");
    let etag = app.get(&path, Some(&admin.access)).await.headers()["etag"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        app.patch(
            &path,
            &json!({"name": "Leerkracht & Co"}),
            &admin.access,
            Some(&etag)
        )
        .await
        .status(),
        200
    );
    app.sync_search().await;
    assert!(
        !titles(&app.search("q=dyslexie").await).contains(&"Dyslexie-aanpak in de klas".to_owned()),
        "{engine:?}"
    );
    let results = app.search("").await;
    assert_eq!(results["total"], 4, "{engine:?}");
    assert!(
        results["hits"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["provider_name"] == "Leerkracht & Co"),
        "{engine:?}"
    );
    assert_eq!(
        titles(&app.search("q=leerkracht").await).len(),
        4,
        "{engine:?}: the new name is searchable"
    );
}

contract!(hostile_input_is_data_and_bad_parameters_are_422);
async fn hostile_input_is_data_and_bad_parameters_are_422(engine: Engine) {
    let (app, _, _) = market(engine).await;
    for q in [
        r#"dyslexie" OR domain = "x"#,
        r"\\",
        "(((",
        "NOT",
        "a AND b OR c",
        "' OR 1=1 --",
        "%00",
    ] {
        let encoded: String = form_encode(q);
        let response = app
            .get(&format!("/v1/search/offerings?q={encoded}"), None)
            .await;
        assert_eq!(response.status(), 200, "{engine:?}: {q}");
    }
    for (query, field) in [
        ("theme=x%22%20OR%20domain%20%3D%20%22y", "theme"),
        ("sector=hbo", "sector"),
        ("sort=cheapest", "sort"),
        ("page=50&per_page=100", "page"),
        ("per_page=0", "per_page"),
        ("colour=blue", "colour"),
        ("provider_id=not-a-uuid", "provider_id"),
    ] {
        let response = app
            .get(&format!("/v1/search/offerings?{query}"), None)
            .await;
        assert_eq!(response.status(), 422, "{engine:?}: {query}");
        assert_eq!(
            problem(response).await["errors"][0]["field"],
            field,
            "{engine:?}: {query}"
        );
    }
}

fn form_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

contract!(a_hit_is_the_public_offering_with_rfc3339_times_and_no_internal_fields);
async fn a_hit_is_the_public_offering_with_rfc3339_times_and_no_internal_fields(engine: Engine) {
    let (app, _, _) = market(engine).await;
    let results = app.search("q=dyslexie").await;
    let keys = |value: &Value| -> Vec<String> {
        let mut keys: Vec<String> = value.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        keys
    };
    assert_eq!(
        keys(&results),
        [
            "facets",
            "hits",
            "page",
            "per_page",
            "processing_time_ms",
            "sort_basis",
            "total"
        ],
        "{engine:?}"
    );
    let hit = &results["hits"][0];
    let mut expected = [
        "id",
        "title",
        "summary",
        "description",
        "provider_id",
        "provider_name",
        "provider_kind",
        "domain",
        "domain_label",
        "service_type",
        "service_type_label",
        "sectors",
        "regions",
        "formats",
        "delivery",
        "duration",
        "long_term",
        "price_model",
        "price_min_cents",
        "price_max_cents",
        "evidence_level",
        "co_creation_phases",
        "themes",
        "published_at",
        "review_count",
        "verified_review_count",
        "rating_avg",
        "rating_fit_with_practice",
        "rating_expertise",
        "rating_lasting_effect",
        "rating_value_for_money",
        "rating_teacher_involvement",
        "rating_score",
    ];
    expected.sort_unstable();
    assert_eq!(
        keys(hit),
        expected,
        "{engine:?}: no keywords, no evidence_rank"
    );
    // The first offering was published when the market opened, five minutes before now.
    let published = hit["published_at"]
        .as_str()
        .expect("a string, not Unix seconds");
    assert!(published.ends_with('Z'), "{engine:?}: UTC, {published}");
    let published = chrono::DateTime::parse_from_rfc3339(published).unwrap();
    let opened = app.clock.now() - chrono::Duration::minutes(5);
    assert_eq!(published.timestamp(), opened.timestamp(), "{engine:?}");
    assert_eq!(
        results["sort_basis"],
        Value::Null,
        "{engine:?}: only price sorts have one"
    );

    let doc: Value = app.get("/openapi.json", None).await.json().await.unwrap();
    let schemas = &doc["components"]["schemas"];
    let properties = &schemas["SearchHit"]["properties"];
    assert_eq!(properties["published_at"]["format"], "date-time");
    assert_eq!(properties.as_object().unwrap().len(), expected.len());
    assert!(schemas["SearchResponse"]["properties"]["sort_basis"].is_object());
}

#[tokio::test]
async fn tenant_tokens_need_meilisearch() {
    let app = crate::helpers::spawn_app().await;
    let response = app.post("/v1/search/tenant-token", &json!({}), None).await;
    assert_eq!(response.status(), 501);
    assert!(
        problem(response).await["detail"]
            .as_str()
            .unwrap()
            .contains("Meilisearch")
    );
}

#[tokio::test]
#[cfg_attr(
    not(meilisearch),
    ignore = "MEILISEARCH_URL is not set: runs against a real Meilisearch only"
)]
async fn tenant_tokens_are_signed_with_meilisearch() {
    // Tokens are signed with an API key that has a uid; the master key has none, so give the
    // app an admin key of its own.
    let url = std::env::var("MEILISEARCH_URL").expect("MEILISEARCH_URL is set");
    let master = std::env::var("MEILISEARCH_API_KEY").unwrap_or_default();
    let key = crate::helpers::meilisearch_admin_key(&url, &master).await;
    let admin_key = key["key"].as_str().expect("a new admin key").to_owned();
    let app = crate::helpers::spawn_app_with(|config| {
        config.search.engine = edumarkt_server::config::SearchEngineConfig::Meilisearch {
            url: url.clone(),
            api_key: Some(edumarkt_server::config::Secret::new(admin_key.clone())),
            api_key_uid: None,
        };
        config.search.index_prefix = format!("test_{}_", uuid::Uuid::now_v7().simple());
    })
    .await;
    let response = app.post("/v1/search/tenant-token", &json!({}), None).await;
    assert_eq!(response.status(), 200);
    let token: Value = response.json().await.unwrap();
    assert_eq!(
        token["token"].as_str().unwrap().split('.').count(),
        3,
        "a JWT"
    );
    let uid = key["uid"].as_str().unwrap();
    reqwest::Client::new()
        .delete(format!("{url}/keys/{uid}"))
        .bearer_auth(&master)
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn the_worker_keeps_the_index_in_step_without_help() {
    let app = crate::helpers::spawn_app().await;
    let (admin, provider) = app.provider("admin@aanbieder.nl", "12345678").await;
    app.publish(&admin, &provider, &offering_body()).await;
    // No explicit sync: the background worker, woken by NOTIFY, indexes it.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        if app.search("q=dyslexie").await["total"] == 1 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the worker did not index the offering"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    // The document is searchable a moment before the worker deletes its outbox row, and
    // readiness counts rows, so readiness follows within the same deadline rather than at once.
    loop {
        let ready: Value = app.get("/health/ready", None).await.json().await.unwrap();
        if ready["search"] == "ok" {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the index never reported ready: {ready}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

contract!(price_sorts_compare_within_one_price_model_and_say_so);
async fn price_sorts_compare_within_one_price_model_and_say_so(engine: Engine) {
    let (app, admin, provider) = market(engine).await;
    // Small numbers of cents per pupil per year next to large hourly rates: compared raw, the
    // pupil prices would come first and between the others.
    for (title, model, cents) in [
        ("Coaching per uur", "per_uur", 20_000),
        ("Rekentoets Plus", "per_leerling_per_jaar", 800),
    ] {
        let mut body = offering_body();
        body["title"] = json!(title);
        body["price_model"] = json!(model);
        body["price_min_cents"] = json!(cents);
        body["price_max_cents"] = Value::Null;
        app.publish(&admin, &provider, &body).await;
    }
    app.sync_search().await;

    let ascending = app.search("sort=price_asc").await;
    assert_eq!(
        titles(&ascending),
        [
            "Remedial teaching voor rekenen",
            "Coaching per uur",
            "Dyslexie-aanpak in de klas",
            "Rekentoets Plus",
            "Leerlingvolgsysteem Horizon",
            "Training formatief handelen",
            "Intern begeleider in gesprek"
        ],
        "{engine:?}"
    );
    assert_eq!(
        ascending["sort_basis"],
        json!({"compared_within": "price_model", "price_models": [
            "per_uur", "per_deelnemer", "per_leerling_per_jaar", "per_licentie_per_jaar",
            "vaste_prijs", "op_aanvraag"]}),
        "{engine:?}"
    );
    assert_eq!(
        titles(&app.search("sort=price_desc").await),
        [
            "Coaching per uur",
            "Remedial teaching voor rekenen",
            "Dyslexie-aanpak in de klas",
            "Leerlingvolgsysteem Horizon",
            "Rekentoets Plus",
            "Training formatief handelen",
            "Intern begeleider in gesprek"
        ],
        "{engine:?}: groups keep their order, on request stays last"
    );
    // One price model: one comparable list, and the basis says which.
    let one = app
        .search("sort=price_asc&price_model=per_leerling_per_jaar")
        .await;
    assert_eq!(
        titles(&one),
        ["Rekentoets Plus", "Leerlingvolgsysteem Horizon"],
        "{engine:?}"
    );
    assert_eq!(
        one["sort_basis"]["price_models"],
        json!(["per_leerling_per_jaar"]),
        "{engine:?}"
    );
}

/// Offerings as schools meet them, each in its own domain and service type, with plain texts
/// so what finds them is the words a school types.
async fn school_market(engine: Engine) -> TestApp {
    let app = spawn_app_on(engine).await;
    let (admin, provider) = app.provider("admin@aanbieder.nl", "12345678").await;
    let offerings = [
        (
            "Nascholing rekenen voor leerkrachten",
            "prof_individueel_leraren",
            "Rekendidactiek voor groep 5 tot en met 8.",
            "opleiding",
        ),
        (
            "Rekenspel voor leerlingen",
            "lm_leermiddelen_leerlingen",
            "Oefenen met rekenen in de klas.",
            "product",
        ),
        (
            "Dyslexie-aanpak voor de basisschool",
            "zorg_leerproblemen",
            "Lezen en spellen bij leerlingen met dyslexie.",
            "begeleidingstraject",
        ),
        (
            "Leesstoornis vroeg signaleren",
            "zorg_diagnostiek",
            "Onderzoek en advies voor de intern begeleider.",
            "advies",
        ),
        (
            "Formatief evalueren in de klas",
            "prof_collectief_team",
            "Feedback geven en leerdoelen delen met het hele team.",
            "training",
        ),
        (
            "Leesmethode Leeslijn voor groep 3",
            "lm_leermiddelen_leerlingen",
            "Aanvankelijk lezen met letters en klanken.",
            "product",
        ),
        (
            "Scholing gedragsproblemen in de klas",
            "zorg_leraren_omgang",
            "Leerkrachten leren rust en structuur bieden.",
            "begeleidingstraject",
        ),
        (
            "Kanjertraining voor de hele school",
            "zorg_gedragsproblemen",
            "Sociale vaardigheden voor leerlingen in elke klas.",
            "training",
        ),
        (
            "Examentraining wiskunde",
            "lm_bijles_examentraining",
            "Eindexamens voorbereiden in kleine groepen.",
            "training",
        ),
        (
            "Werkdruk verlagen met het team",
            "org_beleidsadvies",
            "Samen keuzes maken over taken en tijd.",
            "advies",
        ),
        (
            "NT2-traject voor nieuwkomers",
            "zorg_hulpmiddelen",
            "Taalondersteuning voor leerlingen die net in Nederland zijn.",
            "begeleidingstraject",
        ),
        (
            "Burgerschapsonderwijs ontwerpen",
            "prof_collectief_team",
            "Een leerlijn democratie en diversiteit voor de sectie.",
            "opleiding",
        ),
        (
            "Cursus Excel voor de schooladministratie",
            "org_beleidsadvies",
            "Formules en draaitabellen voor administratief medewerkers.",
            "training",
        ),
    ];
    for (title, service_type, summary, format) in offerings {
        let domain = match service_type.split('_').next() {
            Some("prof") => "professionalisering",
            Some("zorg") => "leerlingenzorg",
            Some("lm") => "leermiddelen_toetsing",
            _ => "organisatieontwikkeling",
        };
        let mut body = offering_body();
        for (key, value) in [
            ("title", json!(title)),
            ("summary", json!(summary)),
            ("description", json!("Op maat voor uw organisatie.")),
            ("domain", json!(domain)),
            ("service_type", json!(service_type)),
            ("formats", json!([format])),
            ("sectors", json!(["po"])),
            ("themes", json!([])),
            ("co_creation_phases", json!([])),
            ("evidence_level", json!("geen")),
            ("evidence_sources", json!([])),
        ] {
            body[key] = value;
        }
        app.publish(&admin, &provider, &body).await;
    }
    app.sync_search().await;
    app
}

contract!(school_queries_find_what_a_school_means_and_nothing_of_other_domains);
async fn school_queries_find_what_a_school_means_and_nothing_of_other_domains(engine: Engine) {
    let app = school_market(engine).await;
    let search = |q: &'static str| {
        let app = &app;
        async move { app.search(&format!("q={}", form_encode(q))).await }
    };
    let sorted = |mut titles: Vec<String>| {
        titles.sort();
        titles
    };
    // (query, the top results in order, the other results in any order)
    let cases: [(&str, &[&str], &[&str]); 9] = [
        (
            "nascholing rekenen",
            &["Nascholing rekenen voor leerkrachten"],
            &[],
        ),
        (
            "dyslexie",
            &[],
            &[
                "Dyslexie-aanpak voor de basisschool",
                "Leesstoornis vroeg signaleren",
            ],
        ),
        (
            "formatief evalueren",
            &["Formatief evalueren in de klas"],
            &[],
        ),
        (
            "leesmethode groep 3",
            &["Leesmethode Leeslijn voor groep 3"],
            &[],
        ),
        (
            "gedragsproblemen klas",
            &["Scholing gedragsproblemen in de klas"],
            &["Kanjertraining voor de hele school"],
        ),
        ("werkdruk", &["Werkdruk verlagen met het team"], &[]),
        ("NT2", &["NT2-traject voor nieuwkomers"], &[]),
        ("burgerschap", &["Burgerschapsonderwijs ontwerpen"], &[]),
        // Professional development, wherever it is offered; not every training or course.
        (
            "professionalisering",
            &[],
            &[
                "Nascholing rekenen voor leerkrachten",
                "Formatief evalueren in de klas",
                "Scholing gedragsproblemen in de klas",
                "Burgerschapsonderwijs ontwerpen",
            ],
        ),
    ];
    for (q, top, rest) in cases {
        let found = titles(&search(q).await);
        assert_eq!(
            found.len(),
            top.len() + rest.len(),
            "{engine:?} {q}: {found:?}"
        );
        assert_eq!(found[..top.len()], *top, "{engine:?} {q}: {found:?}");
        let mut rest: Vec<String> = rest.iter().map(|t| (*t).to_owned()).collect();
        rest.sort();
        assert_eq!(sorted(found[top.len()..].to_vec()), rest, "{engine:?} {q}");
    }
    // `nascholing` means the same, and pulls in no pupil training, exam training or course.
    let nascholing = sorted(titles(&search("nascholing").await));
    assert_eq!(
        nascholing,
        sorted(titles(&search("professionalisering").await)),
        "{engine:?}"
    );
    for other in [
        "Kanjertraining voor de hele school",
        "Examentraining wiskunde",
        "Cursus Excel voor de schooladministratie",
    ] {
        assert!(
            !nascholing.contains(&other.to_owned()),
            "{engine:?}: {other}"
        );
    }
}

contract!(a_typo_finds_what_the_word_it_corrects_to_finds_synonyms_included);
async fn a_typo_finds_what_the_word_it_corrects_to_finds_synonyms_included(engine: Engine) {
    let app = school_market(engine).await;
    for (typo, word) in [
        ("profesionalisering", "professionalisering"),
        ("nascholign", "nascholing"),
        ("burgreschap", "burgerschap"),
    ] {
        let (typo_results, word_results) = (
            app.search(&format!("q={typo}")).await,
            app.search(&format!("q={word}")).await,
        );
        assert_eq!(
            typo_results["total"], word_results["total"],
            "{engine:?}: {typo}"
        );
        assert_eq!(
            titles(&typo_results),
            titles(&word_results),
            "{engine:?}: {typo}"
        );
    }
    // Through the synonym `scholing` only: the typo used to miss it.
    assert!(
        titles(&app.search("q=profesionalisering").await)
            .contains(&"Scholing gedragsproblemen in de klas".to_owned()),
        "{engine:?}"
    );
}
