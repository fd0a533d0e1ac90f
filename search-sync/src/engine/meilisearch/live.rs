//! Tests against a real Meilisearch, run only when `MEILISEARCH_URL` was set at build time (and
//! `MEILISEARCH_API_KEY`, if the instance has a master key); otherwise they show as ignored. Each test works under its own index
//! prefix and drops its indexes afterwards, even when it fails.

use std::collections::BTreeMap;
use std::time::Duration;

use meilisearch_sdk::client::Client;
use meilisearch_sdk::key::{Action, KeyBuilder};
use serde_json::Value;
use uuid::Uuid;

use super::*;
use crate::document::{FACETS, OFFERINGS, OfferingDocument};
use crate::query::Sort;
use crate::settings::filterable;

/// The index names the tests use (under their prefix), all dropped afterwards.
const LIVE: &str = "offerings";
const FRESH: &str = "fresh";

#[derive(Clone)]
struct Server {
    url: String,
    key: Option<String>,
}

/// Fails rather than passes when the variable is gone at run time: the tests were compiled to
/// run (see build.rs), so a missing server is an error, not a skip.
fn server() -> Server {
    Server {
        url: std::env::var("MEILISEARCH_URL")
            .expect("MEILISEARCH_URL is set (it was when these tests were built)"),
        key: std::env::var("MEILISEARCH_API_KEY").ok(),
    }
}

fn config(server: &Server, key: Option<String>, prefix: &str) -> MeilisearchConfig {
    MeilisearchConfig {
        url: server.url.clone(),
        api_key: key,
        api_key_uid: None,
        index_prefix: prefix.to_owned(),
        task_timeout: Duration::from_secs(30),
        max_batch_documents: 1_000,
        max_batch_bytes: 1024 * 1024,
    }
}

/// An engine under a prefix of its own that drops the test's indexes when it goes.
struct Scratch {
    engine: MeilisearchEngine,
    /// Where and as whom to clean up.
    server: Server,
    prefix: String,
}

impl Scratch {
    async fn new(server: &Server) -> Scratch {
        Scratch::with(server, |_| {}).await
    }

    async fn with(server: &Server, adjust: impl FnOnce(&mut MeilisearchConfig)) -> Scratch {
        let prefix = format!("test_{}_", Uuid::new_v4().simple());
        let mut config = config(server, server.key.clone(), &prefix);
        adjust(&mut config);
        Scratch {
            server: server.clone(),
            prefix,
            engine: MeilisearchEngine::connect(config).await.unwrap(),
        }
    }

    /// A prepared index holding `documents`.
    async fn filled(server: &Server, documents: &[OfferingDocument]) -> Scratch {
        let scratch = Scratch::new(server).await;
        scratch.offerings().prepare(LIVE).await.unwrap();
        scratch.offerings().upsert(LIVE, documents).await.unwrap();
        scratch
    }

    async fn search(&self, query: &SearchQuery) -> SearchResults {
        self.offerings().search(LIVE, query).await.unwrap()
    }

    /// The engine as the offerings index's.
    fn offerings(&self) -> &dyn SearchEngine {
        &self.engine
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        // Async work cannot run in `drop`, so a thread of its own with a runtime does it, and
        // with a client of its own: the engine's connections belong to the blocked runtime.
        let config = config(&self.server, self.server.key.clone(), &self.prefix);
        std::thread::scope(|scope| {
            scope.spawn(|| {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                runtime.block_on(async {
                    let engine = MeilisearchEngine::connect(config).await.unwrap();
                    for index in [LIVE, FRESH] {
                        if let Err(e) = engine.drop_index(index).await {
                            eprintln!("could not drop test index {index}: {e}");
                        }
                    }
                });
            });
        });
    }
}

fn doc(n: u128, title: &str) -> OfferingDocument {
    OfferingDocument {
        id: Uuid::from_u128(n),
        title: title.to_owned(),
        summary: String::new(),
        description: String::new(),
        provider_id: Uuid::from_u128(1_000 + n % 3),
        provider_name: "Aanbieder".into(),
        provider_kind: "commercieel".into(),
        domain: "leerlingenzorg".into(),
        domain_label: "Leerlingenzorg".into(),
        service_type: "ondersteuning".into(),
        service_type_label: "Ondersteuning".into(),
        sectors: vec!["po".into()],
        regions: vec!["utrecht".into()],
        formats: vec!["training".into()],
        delivery: vec!["op_locatie".into()],
        duration: "kort".into(),
        long_term: false,
        price_model: "vast".into(),
        price_min_cents: Some(10_000),
        price_max_cents: Some(20_000),
        evidence_level: "geen".into(),
        evidence_rank: 0,
        co_creation_phases: vec![],
        themes: vec![],
        keywords: vec![],
        published_at: 1_700_000_000,
        review_count: 0,
        verified_review_count: 0,
        rating_avg: None,
        rating_fit_with_practice: None,
        rating_expertise: None,
        rating_lasting_effect: None,
        rating_value_for_money: None,
        rating_teacher_involvement: None,
        rating_score: None,
    }
}

fn everything() -> SearchQuery {
    SearchQuery {
        page: 1,
        per_page: 100,
        ..SearchQuery::default()
    }
}

fn text(q: &str) -> SearchQuery {
    SearchQuery {
        q: q.into(),
        ..everything()
    }
}

fn titles(results: &SearchResults) -> Vec<&str> {
    results.hits.iter().map(|d| d.title.as_str()).collect()
}

#[tokio::test]
#[cfg_attr(
    not(meilisearch),
    ignore = "MEILISEARCH_URL is not set: runs against a real Meilisearch only"
)]
async fn prepare_applies_the_settings_and_can_repeat() {
    let server = server();
    let scratch = Scratch::new(&server).await;
    scratch.offerings().prepare(LIVE).await.unwrap();
    scratch.offerings().prepare(LIVE).await.unwrap();

    let index = scratch.engine.client.index(scratch.engine.uid(LIVE));
    assert!(!index.get_facet_search().await.unwrap());
    // The second prepare found the settings in place and wrote none (a settings task
    // re-indexes every document, changed or not).
    let mut query = meilisearch_sdk::tasks::TasksSearchQuery::new(&scratch.engine.client);
    query
        .with_index_uids([index.uid.as_str()])
        .with_types(["settingsUpdate"]);
    let settings_tasks = query.execute().await.unwrap();
    assert_eq!(settings_tasks.results.len(), 2, "{settings_tasks:?}");
    let applied = index.get_settings().await.unwrap();
    let wanted = settings(&OFFERINGS);
    assert_eq!(applied.searchable_attributes, wanted.searchable_attributes);
    assert_eq!(
        applied.sortable_attributes.map(sorted),
        wanted.sortable_attributes.map(sorted)
    );
    let filterable: Vec<String> = applied
        .filterable_attributes
        .unwrap()
        .into_iter()
        .map(|f| {
            serde_json::to_value(f)
                .unwrap()
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(sorted(filterable), sorted(filterable_names()));
    assert_eq!(applied.ranking_rules, wanted.ranking_rules);
    assert_eq!(applied.pagination, wanted.pagination);
    assert_eq!(
        applied.faceting.unwrap().max_values_per_facet,
        MAX_VALUES_PER_FACET
    );
    let typos = applied.typo_tolerance.unwrap();
    assert_eq!(typos.enabled, Some(true));
    assert_eq!(
        typos.min_word_size_for_typos,
        wanted.typo_tolerance.unwrap().min_word_size_for_typos
    );
    assert_eq!(
        applied.stop_words.map(sorted),
        wanted.stop_words.map(sorted)
    );
    assert_eq!(applied.synonyms.unwrap().len(), synonyms().len());
    let primary_key = scratch
        .engine
        .client
        .get_raw_index(scratch.engine.uid(LIVE))
        .await
        .unwrap()["primaryKey"]
        .clone();
    assert_eq!(primary_key, "id");
    scratch.engine.health().await.unwrap();
}

fn sorted(mut list: Vec<String>) -> Vec<String> {
    list.sort();
    list
}

fn filterable_names() -> Vec<String> {
    filterable().into_iter().map(str::to_owned).collect()
}

#[tokio::test]
#[cfg_attr(
    not(meilisearch),
    ignore = "MEILISEARCH_URL is not set: runs against a real Meilisearch only"
)]
async fn search_forgives_typos_knows_synonyms_and_sees_replacements() {
    let server = server();
    let mut rt = doc(2, "Remedial teaching voor rekenen");
    let scratch = Scratch::filled(
        &server,
        &[
            doc(1, "Begeleiding bij dyslexie"),
            rt.clone(),
            doc(3, "Nascholing voor leraren"),
        ],
    )
    .await;

    let typo = scratch.search(&text("dyslexsie")).await;
    assert_eq!(titles(&typo), ["Begeleiding bij dyslexie"]);

    let synonym = scratch.search(&text("RT")).await;
    assert_eq!(titles(&synonym), ["Remedial teaching voor rekenen"]);
    assert_eq!(synonym.hits[0], rt, "the document comes back as stored");

    rt.title = "Rekenbegeleiding".into();
    scratch.offerings().upsert(LIVE, &[rt]).await.unwrap();
    let after = scratch.search(&text("rekenbegeleiding")).await;
    assert_eq!(titles(&after), ["Rekenbegeleiding"]);
    assert_eq!(scratch.search(&everything()).await.total, 3);
}

#[tokio::test]
#[cfg_attr(
    not(meilisearch),
    ignore = "MEILISEARCH_URL is not set: runs against a real Meilisearch only"
)]
async fn hostile_filter_values_are_data_not_syntax() {
    let server = server();
    let hostile = r#"x" OR domain = "leerlingenzorg"#;
    let mut odd = doc(2, "Vreemd thema");
    odd.themes = vec![hostile.into(), r"back\slash".into()];
    let scratch = Scratch::filled(&server, &[doc(1, "Gewoon"), odd]).await;

    for value in [hostile, r"back\slash"] {
        let mut query = everything();
        query.facets.insert("themes", vec![value.into()]);
        let found = scratch.search(&query).await;
        assert_eq!(titles(&found), ["Vreemd thema"], "{value}");
        assert_eq!(found.total, 1);
    }
    let mut query = everything();
    query
        .facets
        .insert("themes", vec![r#"x" OR domain = "y"#.into()]);
    query
        .facets
        .insert("sectors", vec![r#"po") OR (sectors = "po"#.into()]);
    let nothing = scratch.search(&query).await;
    assert_eq!((nothing.total, nothing.hits.len()), (0, 0));
}

/// What each facet should count: the documents matching every filter but the facet's own.
fn expected_facets(
    documents: &[OfferingDocument],
    query: &SearchQuery,
) -> BTreeMap<String, BTreeMap<String, u64>> {
    FACETS
        .iter()
        .map(|facet| {
            let others = query.without_facet(facet.field);
            let mut counts = BTreeMap::new();
            for document in documents.iter().filter(|d| others.matches_filters(d)) {
                for value in document.facet_values(facet.field) {
                    *counts.entry(value.to_owned()).or_insert(0) += 1;
                }
            }
            (facet.param.to_owned(), counts)
        })
        .collect()
}

fn market() -> Vec<OfferingDocument> {
    (0..12_u128)
        .map(|n| {
            // Half name "aanbod" in the title, all in the description: relevance differs.
            let title = if n % 2 == 0 { "Aanbod" } else { "Training" };
            let mut d = doc(n + 1, &format!("{title} {n}"));
            d.description = "Aanbod voor scholen".into();
            d.sectors = vec![["po", "vo", "mbo"][(n % 3) as usize].into()];
            if n % 4 == 0 {
                d.sectors.push("so".into());
            }
            d.domain = ["leerlingenzorg", "professionalisering"][(n % 2) as usize].into();
            d.themes = vec![["dyslexie", "rekenen", "gedrag"][(n % 3) as usize].into()];
            d.regions = vec![["utrecht", "landelijk"][(n % 2) as usize].into()];
            d.evidence_rank = (n % 6) as u8;
            d.price_min_cents = (n % 5 != 0).then_some(1_000 * (n as i64 % 7 + 1));
            d.rating_avg = (n % 3 != 0).then_some(1.0 + (n % 4) as f64);
            d.rating_score = d.rating_avg.map(|r| r - 0.1 * (n % 2) as f64);
            d.review_count = (n * 7 % 11) as i64;
            d.published_at = 1_700_000_000 + (n * 37 % 12) as i64 * 86_400;
            d
        })
        .collect()
}

/// A prepared index of the `market` documents.
async fn market_index() -> (Vec<OfferingDocument>, Scratch) {
    let server = server();
    let documents = market();
    let scratch = Scratch::filled(&server, &documents).await;
    (documents, scratch)
}

#[tokio::test]
#[cfg_attr(
    not(meilisearch),
    ignore = "MEILISEARCH_URL is not set: runs against a real Meilisearch only"
)]
async fn each_facet_counts_without_its_own_filter() {
    let (documents, scratch) = market_index().await;

    let mut query = everything();
    query
        .facets
        .insert("sectors", vec!["po".into(), "so".into()]);
    query.facets.insert("domain", vec!["leerlingenzorg".into()]);
    query.filters.evidence_min = Some(1);
    query.filters.price_max_cents = Some(5_000);
    let found = scratch.search(&query).await;

    let expected: Vec<&OfferingDocument> = documents
        .iter()
        .filter(|d| query.matches_filters(d))
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(found.total, expected.len());
    assert!(found.hits.iter().all(|d| query.matches_filters(d)));
    assert_eq!(found.facets, expected_facets(&documents, &query));
    // The point of it: other sectors are still offered while `po` is chosen.
    assert!(found.facets["sector"].contains_key("vo"));

    let unfiltered = scratch.search(&everything()).await;
    assert_eq!(
        unfiltered.facets,
        expected_facets(&documents, &everything())
    );
}

/// Asserts the values are in order, those missing (and only those) at the end.
fn assert_in_order(values: &[Option<f64>], descending: bool) {
    let present = values.iter().take_while(|v| v.is_some()).count();
    assert!(values[present..].iter().all(Option::is_none), "{values:?}");
    let ordered = |a: &Option<f64>, b: &Option<f64>| if descending { a >= b } else { a <= b };
    assert!(values[..present].is_sorted_by(ordered), "{values:?}");
}

#[tokio::test]
#[cfg_attr(
    not(meilisearch),
    ignore = "MEILISEARCH_URL is not set: runs against a real Meilisearch only"
)]
async fn sorts_put_missing_values_last() {
    let (documents, scratch) = market_index().await;
    type Key = fn(&OfferingDocument) -> Option<f64>;
    let rating: Key = |d| d.rating_score;
    let price: Key = |d| d.price_min_cents.map(|p| p as f64);
    assert!(
        documents
            .iter()
            .any(|d| rating(d).is_none() || price(d).is_none())
    );
    let cases: [(&str, Sort, bool, Key); 6] = [
        ("", Sort::Rating, true, rating),
        ("", Sort::PriceAsc, false, price),
        ("", Sort::PriceDesc, true, price),
        ("", Sort::Newest, true, |d| Some(d.published_at as f64)),
        ("", Sort::ReviewCount, true, |d| Some(d.review_count as f64)),
        // With text, the chosen order still wins over relevance.
        ("aanbod", Sort::PriceAsc, false, price),
    ];
    for (q, sort, descending, key) in cases {
        let hits = scratch.search(&SearchQuery { sort, ..text(q) }).await.hits;
        assert_eq!(hits.len(), documents.len(), "{sort:?}");
        let values: Vec<Option<f64>> = hits.iter().map(key).collect();
        assert_in_order(&values, descending);
    }
}

#[tokio::test]
#[cfg_attr(
    not(meilisearch),
    ignore = "MEILISEARCH_URL is not set: runs against a real Meilisearch only"
)]
async fn pages_split_the_results() {
    let server = server();
    let documents: Vec<OfferingDocument> =
        (1..=25).map(|n| doc(n, &format!("Aanbod {n}"))).collect();
    let scratch = Scratch::filled(&server, &documents).await;

    let mut seen = Vec::new();
    for (page, size) in [(1, 10), (2, 10), (3, 5), (4, 0)] {
        let found = scratch
            .search(&SearchQuery {
                sort: Sort::Newest,
                page,
                per_page: 10,
                ..SearchQuery::default()
            })
            .await;
        assert_eq!(found.total, 25);
        assert_eq!(found.hits.len(), size, "page {page}");
        seen.extend(found.hits.into_iter().map(|d| d.id));
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 25);
}

#[tokio::test]
#[cfg_attr(
    not(meilisearch),
    ignore = "MEILISEARCH_URL is not set: runs against a real Meilisearch only"
)]
async fn upsert_splits_batches_and_delete_removes() {
    let server = server();
    let scratch = Scratch::with(&server, |config| {
        config.max_batch_documents = 3;
        config.max_batch_bytes = 2_000;
    })
    .await;
    scratch.offerings().prepare(LIVE).await.unwrap();
    let mut documents: Vec<OfferingDocument> =
        (1..=10).map(|n| doc(n, &format!("Aanbod {n}"))).collect();
    documents[4].description = "lang ".repeat(1_000);
    scratch.offerings().upsert(LIVE, &documents).await.unwrap();
    assert_eq!(scratch.search(&everything()).await.total, 10);

    let gone = [documents[0].id, documents[4].id, Uuid::from_u128(999)];
    scratch.engine.delete(LIVE, &gone).await.unwrap();
    let left = scratch.search(&everything()).await;
    assert_eq!(left.total, 8);
    assert!(left.hits.iter().all(|d| !gone.contains(&d.id)));
}

#[tokio::test]
#[cfg_attr(
    not(meilisearch),
    ignore = "MEILISEARCH_URL is not set: runs against a real Meilisearch only"
)]
async fn documents_come_in_id_order() {
    let server = server();
    let mut documents: Vec<OfferingDocument> = (0..15)
        .map(|n| {
            let mut d = doc(0, &format!("Aanbod {n}"));
            d.id = Uuid::new_v4();
            d
        })
        .collect();
    let scratch = Scratch::filled(&server, &documents).await;
    documents.sort_by_key(|d| d.id);

    let mut read = Vec::new();
    for offset in (0..20).step_by(6) {
        read.extend(
            scratch
                .offerings()
                .documents(LIVE, offset, 6)
                .await
                .unwrap(),
        );
    }
    assert_eq!(read, documents);
}

#[tokio::test]
#[cfg_attr(
    not(meilisearch),
    ignore = "MEILISEARCH_URL is not set: runs against a real Meilisearch only"
)]
async fn swap_exchanges_whole_indexes_and_drop_forgives_missing() {
    let server = server();
    let scratch = Scratch::filled(&server, &[doc(1, "Oud aanbod")]).await;
    scratch.offerings().prepare(FRESH).await.unwrap();
    scratch
        .offerings()
        .upsert(FRESH, &[doc(2, "Nieuw aanbod"), doc(3, "Nog nieuwer")])
        .await
        .unwrap();

    scratch.engine.swap(LIVE, FRESH).await.unwrap();
    assert_eq!(scratch.search(&everything()).await.total, 2);
    let old = scratch
        .offerings()
        .search(FRESH, &everything())
        .await
        .unwrap();
    assert_eq!(titles(&old), ["Oud aanbod"]);

    scratch.engine.drop_index(FRESH).await.unwrap();
    scratch.engine.drop_index(FRESH).await.unwrap();
    assert!(
        scratch
            .offerings()
            .search(FRESH, &everything())
            .await
            .is_err()
    );
    // A task that fails is an error, not a write that seemed to happen.
    let failed = scratch.engine.swap(LIVE, FRESH).await;
    assert!(
        matches!(&failed, Err(SearchError::Engine(e)) if e.contains("index_not_found")),
        "{failed:?}"
    );
    assert_eq!(scratch.search(&everything()).await.total, 2);
}

/// A new API key on every index with `action`, made with the master key's `admin` client.
async fn key_for(admin: &Client, action: Action) -> meilisearch_sdk::key::Key {
    let mut builder = KeyBuilder::new();
    builder
        .with_action(action)
        .with_index("*")
        .with_name(format!("edumarkt test {}", Uuid::new_v4()));
    admin.create_key(builder).await.unwrap()
}

/// How many hits a search of index `uid` with the tenant token `token` finds.
async fn hits_with(server: &Server, token: &str, uid: &str) -> usize {
    Client::new(&server.url, Some(token))
        .unwrap()
        .index(uid)
        .search()
        .execute::<Value>()
        .await
        .unwrap()
        .hits
        .len()
}

#[tokio::test]
#[cfg_attr(
    not(meilisearch),
    ignore = "MEILISEARCH_URL is not set: runs against a real Meilisearch only"
)]
async fn tenant_tokens_search_only_their_index() {
    let server = server();
    let Some(master) = server.key.clone() else {
        eprintln!("tenant tokens: not run, MEILISEARCH_API_KEY (the master key) is not set");
        return;
    };
    let expires = chrono::Utc::now() + chrono::Duration::hours(1);

    let without = MeilisearchEngine::connect(config(&server, None, "x_"))
        .await
        .unwrap();
    assert!(matches!(
        SearchEngine::<crate::document::Offerings>::tenant_token(&without, LIVE, &(), expires),
        Err(SearchError::Unsupported(_))
    ));

    // An API key of its own, as a deployment would configure (the master key cannot sign).
    let admin = Client::new(&server.url, Some(&master)).unwrap();
    let key = key_for(&admin, Action::All).await;
    let scratch = Scratch::with(&server, |config| config.api_key = Some(key.key.clone())).await;
    scratch.offerings().prepare(LIVE).await.unwrap();
    scratch
        .offerings()
        .upsert(LIVE, &[doc(1, "Zichtbaar")])
        .await
        .unwrap();
    scratch.offerings().prepare(FRESH).await.unwrap();

    let token = scratch
        .offerings()
        .tenant_token(LIVE, &(), expires)
        .unwrap();
    assert_eq!(
        hits_with(&server, &token, &scratch.engine.uid(LIVE)).await,
        1
    );
    let visitor = Client::new(&server.url, Some(&token)).unwrap();
    let elsewhere = visitor
        .index(scratch.engine.uid(FRESH))
        .search()
        .execute::<Value>()
        .await;
    assert!(elsewhere.is_err(), "the token must not open other indexes");

    drop(scratch);
    admin.delete_key(&key.uid).await.unwrap();
}

#[tokio::test]
#[cfg_attr(
    not(meilisearch),
    ignore = "MEILISEARCH_URL is not set: runs against a real Meilisearch only"
)]
async fn a_search_only_key_with_its_uid_configured_signs_tenant_tokens() {
    let server = server();
    let master = server
        .key
        .clone()
        .expect("MEILISEARCH_API_KEY (the master key) is set with MEILISEARCH_URL");
    let expires = chrono::Utc::now() + chrono::Duration::hours(1);
    let admin = Client::new(&server.url, Some(&master)).unwrap();
    let key = key_for(&admin, Action::Search).await;

    // The index is written with the master key, as a worker's indexing key would.
    let scratch = Scratch::new(&server).await;
    scratch.offerings().prepare(LIVE).await.unwrap();
    scratch
        .offerings()
        .upsert(LIVE, &[doc(1, "Zichtbaar")])
        .await
        .unwrap();

    // Without its uid the search-only key cannot look itself up, so it cannot sign ...
    let looked_up = MeilisearchEngine::connect(config(
        &server,
        Some(key.key.clone()),
        &scratch.engine.index_prefix,
    ))
    .await
    .unwrap();
    assert!(matches!(
        SearchEngine::<crate::document::Offerings>::tenant_token(&looked_up, LIVE, &(), expires),
        Err(SearchError::Unsupported(_))
    ));
    // ... with it, it signs tokens Meilisearch accepts.
    let mut with_uid = config(&server, Some(key.key.clone()), &scratch.engine.index_prefix);
    with_uid.api_key_uid = Some(key.uid.clone());
    let serving = MeilisearchEngine::connect(with_uid).await.unwrap();
    let token =
        SearchEngine::<crate::document::Offerings>::tenant_token(&serving, LIVE, &(), expires)
            .unwrap();
    assert_eq!(
        hits_with(&server, &token, &scratch.engine.uid(LIVE)).await,
        1
    );

    drop(scratch);
    admin.delete_key(&key.uid).await.unwrap();
}
