//! Finding open bundles: the bundles' index kind through `GET /v1/search/bundles`, on every
//! engine (`contract!`): drafts are never found, opened bundles are, for providers' staff only;
//! network bundles by exactly those who may read them; facets, full text over the need and
//! sorts; the deadlines (the clock moved, nothing written) and cancelling take bundles out.
//! And providers' interest profiles: one mail per provider user when a matching bundle opens.

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use crate::bundles::{Network, bundle_body, json_of, network_on};
use crate::helpers::{Engine, TestApp, User, error_fields, problem, spawn_app, spawn_app_on};

/// A network with its schools (see `bundles::network_on`), and a provider's admin.
struct Market {
    n: Network,
    provider: User,
}

async fn market(engine: Engine) -> Market {
    let n = network_on(spawn_app_on(engine).await).await;
    let (provider, _) = n.app.provider("admin@aanbieder.nl", "12345678").await;
    Market { n, provider }
}

/// Drafts a bundle of the network from `body`; its id.
async fn draft(n: &Network, body: &Value) -> String {
    let draft = json_of(
        n.app
            .post("/v1/bundles", body, Some(&n.coordinator.access))
            .await,
        201,
    )
    .await;
    draft["id"].as_str().unwrap().to_owned()
}

async fn act(n: &Network, id: &str, step: &str) {
    json_of(
        n.app
            .post(
                &format!("/v1/bundles/{id}/{step}"),
                &json!({}),
                Some(&n.coordinator.access),
            )
            .await,
        200,
    )
    .await;
}

/// Drafts and opens a bundle; its id.
async fn opened(n: &Network, body: &Value) -> String {
    let id = draft(n, body).await;
    act(n, &id, "open").await;
    id
}

/// A bundle body with `changes` applied over the usual one (`bundles::bundle_body`).
fn body(n: &Network, visibility: &str, changes: Value) -> Value {
    let mut body = bundle_body(&n.network, n.app.state.clock.now(), visibility);
    for (key, value) in changes.as_object().unwrap() {
        body[key] = value.clone();
    }
    body
}

/// The provider's search, synced first; asserts a 200.
async fn search(m: &Market, query: &str) -> Value {
    m.n.app.sync_search().await;
    json_of(
        m.n.app
            .get(
                &format!("/v1/search/bundles?{query}"),
                Some(&m.provider.access),
            )
            .await,
        200,
    )
    .await
}

fn ids(results: &Value) -> Vec<&str> {
    results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect()
}

contract!(drafts_are_never_found_and_opened_bundles_by_providers_only);
async fn drafts_are_never_found_and_opened_bundles_by_providers_only(engine: Engine) {
    let m = market(engine).await;
    let n = &m.n;
    let public = draft(n, &body(n, "public", json!({}))).await;
    assert_eq!(search(&m, "").await["total"], 0, "{engine:?}: a draft");

    act(n, &public, "open").await;
    let found = search(&m, "q=dyslexie").await;
    assert_eq!(ids(&found), [public.as_str()], "{engine:?}");
    let hit = &found["hits"][0];
    assert_eq!(hit["status"], "open");
    assert_eq!(hit["visibility"], "public");
    assert_eq!(hit["owner_name"], "SWV Eemland");
    assert!(hit["service_type_label"].as_str().is_some());
    assert_eq!(
        hit["need"]["problem"],
        "Leerlingen met dyslexie lopen vast in groep 5."
    );
    assert_eq!(
        hit["totals"],
        json!({"quantity": 0, "organizations": 0, "budget_cents": 0})
    );
    assert_eq!(
        (found["page"].as_u64(), found["per_page"].as_u64()),
        (Some(1), Some(20))
    );
    assert!(found["audience"].is_null() && hit["audience"].is_null());

    // A school joins: the recount is a change of the bundle, and the document follows it.
    let joined = n
        .app
        .post(
            &format!("/v1/bundles/{public}/participants"),
            &json!({"organization_id": n.schools[0], "quantity": 120, "budget_cents": 600_000}),
            Some(&n.leaders[0].access),
        )
        .await;
    assert_eq!(joined.status(), 201);
    let found = search(&m, "").await;
    assert_eq!(
        found["hits"][0]["totals"],
        json!({"quantity": 120, "organizations": 1, "budget_cents": 600_000}),
        "{engine:?}"
    );

    // Only a provider's staff search bundles: anonymous 401, a school's leader 403.
    let anonymous = n.app.get("/v1/search/bundles", None).await;
    assert_eq!(anonymous.status(), 401);
    let leader = n
        .app
        .get("/v1/search/bundles", Some(&n.leaders[0].access))
        .await;
    assert_eq!(leader.status(), 403);
    assert_eq!(problem(leader).await["status"], 403);
    // Unknown parameters and codes are refused, never an empty result.
    let refused = n
        .app
        .get(
            "/v1/search/bundles?sector=hbo&audience=public&sort=rating",
            Some(&m.provider.access),
        )
        .await;
    assert_eq!(refused.status(), 422);
    assert_eq!(
        error_fields(&problem(refused).await),
        ["sector", "audience", "sort"]
    );
}

contract!(network_bundles_are_found_by_those_who_may_read_them);
async fn network_bundles_are_found_by_those_who_may_read_them(engine: Engine) {
    let m = market(engine).await;
    let n = &m.n;
    let network = opened(
        n,
        &body(
            n,
            "network",
            json!({"title": "Rekenbundel van het netwerk"}),
        ),
    )
    .await;
    let public = opened(n, &body(n, "public", json!({}))).await;
    // The rule of reading a bundle (`authz::bundle::may_read`): a network bundle is its
    // network's and the providers'. Search agrees with it for every hit.
    let found = search(&m, "").await;
    let mut found_ids = ids(&found);
    found_ids.sort_unstable();
    let mut both = [network.as_str(), public.as_str()];
    both.sort_unstable();
    assert_eq!(found_ids, both, "{engine:?}");
    for id in [&network, &public] {
        let read = n
            .app
            .get(&format!("/v1/bundles/{id}"), Some(&m.provider.access))
            .await;
        assert_eq!(read.status(), 200, "the provider reads what it finds");
    }
    // Someone unrelated (a school outside the network, no provider) reads nothing of the
    // network bundle, and searches nothing.
    let outsider = Some(n.outsider.access.as_str());
    let path = format!("/v1/bundles/{network}");
    assert_eq!(n.app.get(&path, outsider).await.status(), 404);
    assert_eq!(n.app.get(&path, None).await.status(), 404);
    assert_eq!(
        n.app.get("/v1/search/bundles", outsider).await.status(),
        403
    );
    assert_eq!(
        n.app
            .get(&format!("/v1/bundles/{public}"), outsider)
            .await
            .status(),
        200
    );
}

contract!(facets_full_text_and_deadline_sorts);
async fn facets_full_text_and_deadline_sorts(engine: Engine) {
    let m = market(engine).await;
    let n = &m.n;
    let now = n.app.state.clock.now();
    let dyslexia = opened(n, &body(n, "public", json!({}))).await;
    let maths = opened(
        n,
        &body(
            n,
            "public",
            json!({
                "title": "Rekenonderwijs in de onderbouw",
                "need": {"problem": "De rekenresultaten dalen.", "goals": "Sterker rekenonderwijs.",
                         "intended_result": "Een doorlopende leerlijn.", "success_measure": "Toetsresultaten."},
                "domain": "professionalisering",
                "service_type": "prof_collectief_team",
                "sectors": ["vo"],
                "regions": ["gelderland", "utrecht"],
                "join_deadline": now + Duration::days(7),
                "offer_deadline": now + Duration::days(10)
            }),
        ),
    )
    .await;
    let all = search(&m, "").await;
    assert_eq!(all["total"], 2, "{engine:?}");
    assert_eq!(
        all["facets"]["sector"],
        json!({"po": 1, "vo": 1}),
        "{engine:?}"
    );
    assert_eq!(
        all["facets"]["region"],
        json!({"gelderland": 1, "utrecht": 2}),
        "{engine:?}"
    );
    assert_eq!(ids(&search(&m, "sector=vo").await), [maths.as_str()]);
    assert_eq!(
        search(&m, "sector=po&sector=vo").await["total"],
        2,
        "{engine:?}: OR within a facet"
    );
    assert_eq!(
        search(&m, "sector=po&region=gelderland").await["total"],
        0,
        "{engine:?}: AND across facets"
    );
    let care = search(&m, "domain=leerlingenzorg").await;
    assert_eq!(ids(&care), [dyslexia.as_str()]);
    // Each facet counted without its own filter.
    assert_eq!(
        care["facets"]["domain"],
        json!({"leerlingenzorg": 1, "professionalisering": 1}),
        "{engine:?}"
    );
    assert_eq!(care["facets"]["sector"], json!({"po": 1}), "{engine:?}");
    // Full text over the need, typos forgiven.
    assert_eq!(
        ids(&search(&m, "q=rekenresultatn").await),
        [maths.as_str()],
        "{engine:?}"
    );
    // The first deadline to come first; within days of now.
    assert_eq!(
        ids(&search(&m, "sort=offer_deadline").await),
        [maths.as_str(), dyslexia.as_str()],
        "{engine:?}"
    );
    assert_eq!(
        ids(&search(&m, "sort=join_deadline").await),
        [maths.as_str(), dyslexia.as_str()],
        "{engine:?}"
    );
    assert_eq!(
        ids(&search(&m, "deadline_within_days=14").await),
        [maths.as_str()],
        "{engine:?}"
    );
    let before = (now + Duration::days(28)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    assert_eq!(
        search(&m, &format!("offer_deadline_before={}", urlencode(&before))).await["total"],
        2,
        "{engine:?}: at the deadline counts as before it"
    );
}

fn urlencode(value: &str) -> String {
    value.replace('+', "%2B").replace(':', "%3A")
}

/// Moves the clock to `at`; the provider logs in again (access tokens expire with time).
async fn set_clock(m: &mut Market, at: DateTime<Utc>) {
    m.n.app.clock.set(at);
    m.provider = m.n.app.log_in_again(&m.provider).await;
}

contract!(deadlines_passing_and_cancelling_take_bundles_out);
async fn deadlines_passing_and_cancelling_take_bundles_out(engine: Engine) {
    let mut m = market(engine).await;
    let start = m.n.app.state.clock.now();
    let kept = opened(&m.n, &body(&m.n, "public", json!({}))).await;
    let cancelled = opened(
        &m.n,
        &body(&m.n, "network", json!({"title": "Wordt geannuleerd"})),
    )
    .await;
    assert_eq!(search(&m, "").await["total"], 2, "{engine:?}");

    act(&m.n, &cancelled, "cancel").await;
    assert_eq!(ids(&search(&m, "").await), [kept.as_str()], "{engine:?}");

    // Past the joining deadline: still found, now tendering; not among those still joinable.
    let join_deadline: DateTime<Utc> = start + Duration::days(14);
    set_clock(&mut m, join_deadline).await;
    let found = search(&m, "").await;
    assert_eq!(found["hits"][0]["status"], "tendering", "{engine:?}");
    let joinable = format!(
        "join_deadline_after={}",
        urlencode(&join_deadline.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
    );
    assert_eq!(search(&m, &joinable).await["total"], 0, "{engine:?}");

    // One millisecond before the offer deadline it is found; at the deadline it is not, with
    // nothing written in between.
    let offer_deadline = start + Duration::days(28);
    set_clock(&mut m, offer_deadline - Duration::milliseconds(1)).await;
    assert_eq!(search(&m, "").await["total"], 1, "{engine:?}");
    set_clock(&mut m, offer_deadline).await;
    assert_eq!(search(&m, "").await["total"], 0, "{engine:?}");
}

/// The index of bundles is verified and rebuilt like the offerings' one.
#[tokio::test]
async fn reindex_and_verify_cover_the_bundles_index() {
    let m = market(Engine::Embedded).await;
    let n = &m.n;
    let id = opened(n, &body(n, "public", json!({}))).await;
    draft(n, &body(n, "public", json!({"title": "Nog een concept"}))).await;
    n.app.sync_search().await;
    let search = &n.app.state.search;
    let pool = &n.app.state.pool;
    let report = edumarkt_search_sync::verify::verify(
        pool,
        search.bundles.as_ref(),
        search.bundles_index,
        100,
        &|_| {},
    )
    .await
    .unwrap();
    assert!(report.is_clean(), "{report:?}");
    assert_eq!(report.checked, 1);
    let rebuilt = edumarkt_search_sync::reindex::reindex(
        pool,
        search.bundles.as_ref(),
        search.bundles_index,
        10,
        &|_, _| {},
    )
    .await
    .unwrap();
    assert_eq!(rebuilt.documents, 1);
    let stored = search
        .bundles
        .documents(search.bundles_index, 0, 10)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].id.to_string(), id);
}

#[tokio::test]
async fn bundle_tenant_tokens_are_for_providers_and_need_meilisearch() {
    let m = market(Engine::Embedded).await;
    let n = &m.n;
    let path = "/v1/search/tenant-token?index=bundles";
    assert_eq!(n.app.post(path, &json!({}), None).await.status(), 401);
    assert_eq!(
        n.app
            .post(path, &json!({}), Some(&n.leaders[0].access))
            .await
            .status(),
        403
    );
    assert_eq!(
        n.app
            .post(path, &json!({}), Some(&m.provider.access))
            .await
            .status(),
        501
    );
    let unknown = n
        .app
        .post("/v1/search/tenant-token?index=reviews", &json!({}), None)
        .await;
    assert_eq!(error_fields(&problem(unknown).await), ["index"]);
}

/// With Meilisearch, a provider's token finds what the API finds: open bundles of every
/// audience, not drafts, not those whose offer deadline passed.
#[tokio::test]
#[cfg_attr(
    not(meilisearch),
    ignore = "MEILISEARCH_URL is not set: runs against a real Meilisearch only"
)]
async fn a_providers_bundle_token_finds_what_the_api_finds() {
    let url = std::env::var("MEILISEARCH_URL").expect("MEILISEARCH_URL is set");
    let master = std::env::var("MEILISEARCH_API_KEY").unwrap_or_default();
    let key = crate::helpers::meilisearch_admin_key(&url, &master).await;
    let admin_key = key["key"].as_str().expect("a new admin key").to_owned();
    let prefix = format!("test_{}_", uuid::Uuid::now_v7().simple());
    let app = crate::helpers::spawn_app_with(|config| {
        config.search.engine = edumarkt_server::config::SearchEngineConfig::Meilisearch {
            url: url.clone(),
            api_key: Some(edumarkt_server::config::Secret::new(admin_key.clone())),
            api_key_uid: None,
        };
        config.search.index_prefix = prefix.clone();
    })
    .await;
    let n = network_on(app).await;
    let (provider, _) = n.app.provider("admin@aanbieder.nl", "12345678").await;
    let m = Market { n, provider };
    let n = &m.n;
    let network = opened(n, &body(n, "network", json!({}))).await;
    let short = opened(
        n,
        &body(
            n,
            "public",
            json!({"join_deadline": n.app.state.clock.now() + Duration::hours(1),
                   "offer_deadline": n.app.state.clock.now() + Duration::hours(2)}),
        ),
    )
    .await;
    draft(n, &body(n, "public", json!({}))).await;
    n.app.sync_search().await;
    // The token is made after the short bundle's offer deadline.
    n.app
        .clock
        .set(n.app.state.clock.now() + Duration::hours(3));
    let token = json_of(
        n.app
            .post(
                "/v1/search/tenant-token?index=bundles",
                &json!({}),
                Some(&m.provider.access),
            )
            .await,
        200,
    )
    .await;
    let found: Value = reqwest::Client::new()
        .post(format!("{url}/indexes/{prefix}bundles/search"))
        .bearer_auth(token["token"].as_str().unwrap())
        .json(&json!({}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let hits: Vec<&str> = found["hits"]
        .as_array()
        .unwrap_or_else(|| panic!("{found}"))
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert_eq!(hits, [network.as_str()]);
    assert!(!hits.contains(&short.as_str()));
    reqwest::Client::new()
        .delete(format!(
            "{url}/keys/{}",
            key["uid"].as_str().unwrap_or_default()
        ))
        .bearer_auth(&master)
        .send()
        .await
        .unwrap();
}

async fn profile(app: &TestApp, user: &User, provider: &str, body: Value) -> reqwest::Response {
    app.post(
        &format!("/v1/providers/{provider}/interest-profiles"),
        &body,
        Some(&user.access),
    )
    .await
}

#[tokio::test]
async fn interest_profiles_are_the_providers_staffs() {
    let n = network_on(spawn_app().await).await;
    let app = &n.app;
    let (admin, provider) = app.provider("admin@aanbieder.nl", "12345678").await;
    let (other, _) = app.provider("admin@ander.nl", "87654321").await;
    let created = json_of(
        profile(
            app,
            &admin,
            &provider,
            json!({"name": "Zorg in het po", "domain": "leerlingenzorg", "sectors": ["po"],
                   "regions": ["utrecht"], "keywords": ["Dyslexie"]}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(created["keywords"], json!(["dyslexie"]));
    let list_path = format!("/v1/providers/{provider}/interest-profiles");
    let listed = json_of(app.get(&list_path, Some(&admin.access)).await, 200).await;
    assert_eq!(listed["items"][0]["id"], created["id"]);
    // Another provider's staff, a school's leader: refused; an organisation that is no
    // provider: not found; nobody: 401.
    for outsider in [&other, &n.leaders[0]] {
        assert_eq!(
            app.get(&list_path, Some(&outsider.access)).await.status(),
            403
        );
        assert_eq!(
            profile(app, outsider, &provider, json!({"name": "x"}))
                .await
                .status(),
            403
        );
    }
    assert_eq!(
        app.get(
            &format!("/v1/providers/{}/interest-profiles", n.schools[0]),
            Some(&n.leaders[0].access)
        )
        .await
        .status(),
        404
    );
    assert_eq!(app.get(&list_path, None).await.status(), 401);
    // Every broken rule at once.
    let invalid = profile(
        app,
        &admin,
        &provider,
        json!({"name": "", "domain": "x", "sectors": ["hbo"], "regions": ["mars"]}),
    )
    .await;
    assert_eq!(invalid.status(), 422);
    assert_eq!(
        error_fields(&problem(invalid).await),
        ["name", "domain", "sectors[0]", "regions[0]"]
    );
    let one = format!("{list_path}/{}", created["id"].as_str().unwrap());
    assert_eq!(app.delete(&one, Some(&other.access)).await.status(), 403);
    assert_eq!(app.delete(&one, Some(&admin.access)).await.status(), 204);
    assert_eq!(app.delete(&one, Some(&admin.access)).await.status(), 404);
}

#[tokio::test]
async fn a_matching_profile_gets_one_mail_when_a_bundle_opens() {
    let n = network_on(spawn_app().await).await;
    let app = &n.app;
    let (interested, provider) = app.provider("admin@aanbieder.nl", "12345678").await;
    let (elsewhere, other) = app.provider("admin@ander.nl", "87654321").await;
    // Two matching profiles of one user: still one mail.
    for name in ["Dyslexie", "Alles in Utrecht"] {
        let body = if name == "Dyslexie" {
            json!({"name": name, "domain": "leerlingenzorg", "service_types": ["zorg_leerproblemen"],
                   "sectors": ["po"], "keywords": ["dyslexie"]})
        } else {
            json!({"name": name, "regions": ["utrecht"]})
        };
        json_of(profile(app, &interested, &provider, body).await, 201).await;
    }
    json_of(
        profile(
            app,
            &elsewhere,
            &other,
            json!({"name": "Voortgezet onderwijs", "sectors": ["vo"]}),
        )
        .await,
        201,
    )
    .await;

    let announced = |to: &'static str| async move {
        app.mails_to(to, 0)
            .await
            .into_iter()
            .filter(|m| m.subject.starts_with("Nieuwe gebundelde vraag"))
            .count()
    };
    let draft_id = draft(&n, &body(&n, "public", json!({}))).await;
    // A draft mails nobody.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(announced("admin@aanbieder.nl").await, 0);
    let before = app.mails_to("admin@aanbieder.nl", 0).await.len();
    act(&n, &draft_id, "open").await;
    let mails: Vec<_> = app
        .mails_to("admin@aanbieder.nl", before + 1)
        .await
        .into_iter()
        .filter(|m| m.subject.starts_with("Nieuwe gebundelde vraag"))
        .collect();
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert_eq!(
        mails[0].subject,
        "Nieuwe gebundelde vraag: Dyslexie-aanpak voor de scholen van het samenwerkingsverband"
    );
    assert!(mails[0].text.contains("SWV Eemland"), "{}", mails[0].text);
    assert!(mails[0].text.contains("interesseprofiel"));
    let page = format!("/bundels/{draft_id}");
    assert!(mails[0].text.contains(&page), "{}", mails[0].text);

    // The job run again (a crash after its commit, a duplicate): nobody hears twice.
    let mut conn = app.state.pool.get().await.unwrap();
    let again = edumarkt_server::usecases::interest_profiles::mail_matching(
        &mut conn,
        &json!({"bundle_id": draft_id}),
        &app.state.config.public_url,
        app.state.clock.now(),
    )
    .await
    .unwrap();
    assert_eq!(again, 0);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(announced("admin@aanbieder.nl").await, 1);
    // The profile that does not match (secondary education) brings no mail.
    assert_eq!(announced("admin@ander.nl").await, 0);
}
