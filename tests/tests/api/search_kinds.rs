//! A second index kind, made up for the test: bundle-like documents (a title, a status facet, a
//! closing date to sort by, the network that owns them) projected from a table of their own.
//! The same contract runs on both engines: what the engines, the outbox worker, reindex and
//! verify do for offerings they do for any kind that implements `IndexKind`, from its
//! descriptor alone.

use std::sync::Arc;

use async_trait::async_trait;
use diesel::QueryResult;
use diesel::sql_types::{Array, BigInt, Text, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use edumarkt_search_sync::engine::SearchEngine;
use edumarkt_search_sync::engine::embedded::EmbeddedEngine;
use edumarkt_search_sync::engine::meilisearch::{MeilisearchConfig, MeilisearchEngine};
use edumarkt_search_sync::kind::{
    Facet, Filter, IndexDescriptor, IndexKind, Number, NumberType, SortRule, Source, Value,
};
use edumarkt_search_sync::outbox::Syncer;
use edumarkt_search_sync::query::{SearchQuery, SearchResults, quote};
use edumarkt_search_sync::{reindex, verify};
use futures_util::FutureExt;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::helpers::{Engine, TestApp, spawn_app_without_search_worker};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, diesel::QueryableByName)]
struct BundleDocument {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = Text)]
    title: String,
    #[diesel(sql_type = Text)]
    status: String,
    /// Seconds since the Unix epoch.
    #[diesel(sql_type = BigInt)]
    closes_at: i64,
    #[diesel(sql_type = SqlUuid)]
    network_id: Uuid,
}

struct Bundles;

#[derive(Debug, Clone, Default, PartialEq)]
struct BundleFilters {
    networks: Vec<Uuid>,
    closing_after: Option<i64>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
enum BundleSort {
    #[default]
    Relevance,
    ClosingFirst,
}

const INDEX: &str = "test_bundles";

static BUNDLES: IndexDescriptor = IndexDescriptor {
    name: INDEX,
    searchable: &[("title", 3.0)],
    facets: &[Facet {
        param: "status",
        field: "status",
    }],
    keywords: &["network_id"],
    numbers: &[Number {
        field: "closes_at",
        ty: NumberType::I64,
        source: Source::Document,
    }],
    filterable: &["network_id", "closes_at"],
    sortable: &["closes_at"],
};

/// Drafts are not searchable: the projection leaves them out, as the offerings view does.
const PROJECTION: &str = "SELECT id, title, status, \
     EXTRACT(EPOCH FROM closes_at)::int8 AS closes_at, network_id \
     FROM test_bundles WHERE status <> 'concept'";

#[async_trait]
impl IndexKind for Bundles {
    type Document = BundleDocument;
    type Filters = BundleFilters;
    type Sort = BundleSort;
    /// A network sees its own bundles only.
    type Tenant = Uuid;

    const DESCRIPTOR: &'static IndexDescriptor = &BUNDLES;

    fn id(document: &BundleDocument) -> Uuid {
        document.id
    }

    fn filters(filters: &BundleFilters) -> Vec<Filter> {
        let mut out = Vec::new();
        if !filters.networks.is_empty() {
            out.push(Filter::AnyOf {
                field: "network_id",
                values: filters.networks.iter().map(Uuid::to_string).collect(),
            });
        }
        if let Some(after) = filters.closing_after {
            out.push(Filter::AtLeast {
                field: "closes_at",
                value: Value::I64(after),
            });
        }
        out
    }

    fn sort_rules(sort: BundleSort) -> &'static [SortRule] {
        match sort {
            BundleSort::Relevance => &[],
            BundleSort::ClosingFirst => &[SortRule {
                field: "closes_at",
                descending: false,
            }],
        }
    }

    fn tenant_filter(network: &Uuid) -> Option<String> {
        Some(format!("network_id = {}", quote(&network.to_string())))
    }

    async fn load(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> QueryResult<Vec<BundleDocument>> {
        diesel::sql_query(format!("{PROJECTION} AND id = ANY($1) ORDER BY id"))
            .bind::<Array<SqlUuid>, _>(ids)
            .load(conn)
            .await
    }

    async fn page(
        conn: &mut AsyncPgConnection,
        after: Option<Uuid>,
        limit: i64,
    ) -> QueryResult<Vec<BundleDocument>> {
        diesel::sql_query(format!("{PROJECTION} AND id > $1 ORDER BY id LIMIT $2"))
            .bind::<SqlUuid, _>(after.unwrap_or(Uuid::nil()))
            .bind::<BigInt, _>(limit)
            .load(conn)
            .await
    }

    async fn page_ids(
        conn: &mut AsyncPgConnection,
        after: Option<Uuid>,
        limit: i64,
    ) -> QueryResult<Vec<Uuid>> {
        let page = Self::page(conn, after, limit).await?;
        Ok(page.iter().map(Self::id).collect())
    }

    async fn count(conn: &mut AsyncPgConnection) -> QueryResult<i64> {
        Ok(Self::page(conn, None, i64::MAX).await?.len() as i64)
    }

    async fn last_id(conn: &mut AsyncPgConnection) -> QueryResult<Option<Uuid>> {
        let page = Self::page(conn, None, i64::MAX).await?;
        Ok(page.last().map(Self::id))
    }
}

/// One contract test per engine (see `search::contract!`).
mod contract {
    use crate::helpers::Engine;

    #[tokio::test]
    async fn embedded() {
        super::a_second_kind_is_indexed_searched_synced_reindexed_and_verified(Engine::Embedded)
            .await
    }

    #[tokio::test]
    #[cfg_attr(
        not(meilisearch),
        ignore = "MEILISEARCH_URL is not set: runs against a real Meilisearch only"
    )]
    async fn meilisearch() {
        super::a_second_kind_is_indexed_searched_synced_reindexed_and_verified(Engine::Meilisearch)
            .await
    }
}

/// An engine for the test alone: a folder of its own, or an index prefix of its own.
async fn engine(kind: Engine, folder: &std::path::Path) -> Arc<dyn SearchEngine<Bundles>> {
    match kind {
        Engine::Embedded => Arc::new(EmbeddedEngine::open(folder).unwrap()),
        Engine::Meilisearch => {
            let key = std::env::var("MEILISEARCH_API_KEY").ok();
            let prefix = format!("test_{}_", Uuid::now_v7().simple());
            let config = meilisearch(key.as_deref(), &prefix);
            Arc::new(MeilisearchEngine::connect(config).await.unwrap())
        }
    }
}

/// The configured Meilisearch with `key`, under an index prefix of the test's own.
fn meilisearch(key: Option<&str>, prefix: &str) -> MeilisearchConfig {
    MeilisearchConfig {
        url: std::env::var("MEILISEARCH_URL")
            .expect("MEILISEARCH_URL is set (it was when this test was built)"),
        api_key: key.map(str::to_owned),
        api_key_uid: None,
        index_prefix: prefix.to_owned(),
        task_timeout: std::time::Duration::from_secs(30),
        max_batch_documents: 1_000,
        max_batch_bytes: 1024 * 1024,
    }
}

const NETWORK_A: Uuid = Uuid::from_u128(0xa);

async fn a_second_kind_is_indexed_searched_synced_reindexed_and_verified(kind: Engine) {
    let app = spawn_app_without_search_worker().await;
    let folder = tempfile_dir(&app);
    let engine = engine(kind, &folder).await;
    let outcome = std::panic::AssertUnwindSafe(contract(&app, engine.clone()))
        .catch_unwind()
        .await;
    // Whatever happened, the test's indexes go (Meilisearch's are shared with other runs).
    engine.drop_index(INDEX).await.unwrap();
    let _ = std::fs::remove_dir_all(&folder);
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

fn tempfile_dir(app: &TestApp) -> std::path::PathBuf {
    let folder = std::env::temp_dir().join(format!(
        "edumarkt-kinds-{}-{}",
        std::process::id(),
        app.address.rsplit(':').next().unwrap_or("0")
    ));
    std::fs::create_dir_all(&folder).unwrap();
    folder
}

fn query() -> SearchQuery<Bundles> {
    SearchQuery {
        page: 1,
        per_page: 10,
        ..SearchQuery::default()
    }
}

fn titles(results: &SearchResults<Bundles>) -> Vec<&str> {
    results.hits.iter().map(|hit| hit.title.as_str()).collect()
}

async fn contract(app: &TestApp, shared: Arc<dyn SearchEngine<Bundles>>) {
    let engine = shared.as_ref();
    let sql = app.sql().await;
    sql.batch_execute(
        "CREATE TABLE test_bundles (id uuid PRIMARY KEY, title text NOT NULL, \
         status text NOT NULL, closes_at timestamptz NOT NULL, network_id uuid NOT NULL);
         INSERT INTO test_bundles VALUES
           ('00000000-0000-0000-0000-000000000001', 'Gezamenlijke inkoop rekenmethode', 'open',
            '2027-03-01T00:00:00Z', '00000000-0000-0000-0000-00000000000a'),
           ('00000000-0000-0000-0000-000000000002', 'Scholing dyslexie voor het hele bestuur', 'open',
            '2027-01-15T00:00:00Z', '00000000-0000-0000-0000-00000000000b'),
           ('00000000-0000-0000-0000-000000000003', 'Rekenen in de onderbouw', 'gegund',
            '2026-10-01T00:00:00Z', '00000000-0000-0000-0000-00000000000a'),
           ('00000000-0000-0000-0000-000000000004', 'Nog niet open: taalbundel', 'concept',
            '2027-06-01T00:00:00Z', '00000000-0000-0000-0000-00000000000a');",
    )
    .await
    .unwrap();
    let pool = &app.state.pool;

    // Reindex builds the index from the projection (drafts left out), in pages.
    let rebuilt = reindex::reindex(pool, engine, INDEX, 2, &|_, _| {})
        .await
        .unwrap();
    assert_eq!(rebuilt.documents, 3);

    // Text with a typo, as for offerings; the status facet counts; the closing date sorts.
    let found = engine
        .search(
            INDEX,
            &SearchQuery {
                q: "rekenn ".into(),
                ..query()
            },
        )
        .await
        .unwrap();
    assert_eq!(titles(&found), ["Rekenen in de onderbouw"]);
    assert_eq!(found.total, 1);
    let mut open = query();
    open.facets.insert("status", vec!["open".into()]);
    open.sort = BundleSort::ClosingFirst;
    let found = engine.search(INDEX, &open).await.unwrap();
    assert_eq!(
        titles(&found),
        [
            "Scholing dyslexie voor het hele bestuur",
            "Gezamenlijke inkoop rekenmethode"
        ]
    );
    // The facet ignores its own filter: the awarded bundle still counts there.
    assert_eq!(
        found.facets["status"],
        [("gegund".to_owned(), 1), ("open".to_owned(), 2)].into()
    );
    // The kind's own filters: a keyword (the network) and a number (closing after a date).
    let mut mine = query();
    mine.filters.networks = vec![NETWORK_A];
    // 2027-01-01: the awarded bundle of the network closed before.
    mine.filters.closing_after = Some(1_798_761_600);
    mine.sort = BundleSort::ClosingFirst;
    let found = engine.search(INDEX, &mine).await.unwrap();
    assert_eq!(titles(&found), ["Gezamenlijke inkoop rekenmethode"]);
    assert_eq!(found.facets["status"], [("open".to_owned(), 1)].into());
    let sorted = engine
        .search(
            INDEX,
            &SearchQuery {
                sort: BundleSort::ClosingFirst,
                ..query()
            },
        )
        .await
        .unwrap();
    let closing: Vec<i64> = sorted.hits.iter().map(|hit| hit.closes_at).collect();
    assert!(closing.is_sorted(), "{closing:?}");
    assert_eq!(closing.len(), 3);

    // The kind's worker takes only its kind's rows: a change queued for bundles is synced by
    // the bundles' worker, and the offerings' worker leaves it alone.
    sql.batch_execute(
        "UPDATE test_bundles SET status = 'open' WHERE id = '00000000-0000-0000-0000-000000000004';
         DELETE FROM test_bundles WHERE id = '00000000-0000-0000-0000-000000000002';
         INSERT INTO search_outbox (kind, document_id) VALUES
           ('test_bundles', '00000000-0000-0000-0000-000000000004'),
           ('test_bundles', '00000000-0000-0000-0000-000000000002');",
    )
    .await
    .unwrap();
    let offerings = app
        .state
        .search
        .syncer(pool.clone(), app.state.clock.clone());
    assert_eq!(offerings.drain().await.unwrap().rows, 0);
    let clock = app.state.clock.clone();
    let bundles: Syncer<Bundles> = Syncer::new(
        pool.clone(),
        shared.clone(),
        INDEX.to_owned(),
        Arc::new(move || clock.now()),
        10,
    );
    let synced = bundles.drain().await.unwrap();
    assert_eq!((synced.rows, synced.upserted, synced.deleted), (2, 1, 1));
    let all = engine.search(INDEX, &query()).await.unwrap();
    assert_eq!(all.total, 3);
    assert!(titles(&all).contains(&"Nog niet open: taalbundel"));
    assert!(!titles(&all).contains(&"Scholing dyslexie voor het hele bestuur"));

    // Verify compares the kind's projection with its index, and its repairs queue its kind.
    let clean = verify::verify(pool, engine, INDEX, 2, &|_| {})
        .await
        .unwrap();
    assert!(clean.is_clean(), "{clean:?}");
    assert_eq!(clean.checked, 3);
    sql.batch_execute(
        "UPDATE test_bundles SET title = 'Rekenmethode, gezamenlijk ingekocht'
           WHERE id = '00000000-0000-0000-0000-000000000001';
         INSERT INTO test_bundles VALUES ('00000000-0000-0000-0000-000000000005', 'Nieuwe bundel',
           'open', '2027-02-01T00:00:00Z', '00000000-0000-0000-0000-00000000000b');",
    )
    .await
    .unwrap();
    let report = verify::verify(pool, engine, INDEX, 2, &|_| {})
        .await
        .unwrap();
    assert_eq!(report.stale, [Uuid::from_u128(1)]);
    assert_eq!(report.missing, [Uuid::from_u128(5)]);
    assert_eq!(verify::queue_repairs(pool, &report).await.unwrap(), 2);
    assert_eq!(offerings.drain().await.unwrap().rows, 0);
    assert_eq!(bundles.drain().await.unwrap().upserted, 2);
    let repaired = verify::verify(pool, engine, INDEX, 2, &|_| {})
        .await
        .unwrap();
    assert!(repaired.is_clean(), "{repaired:?}");
    let stored = engine.documents(INDEX, 0, 10).await.unwrap();
    let ids: Vec<u128> = stored.iter().map(|d| d.id.as_u128()).collect();
    assert_eq!(ids, [1, 3, 4, 5]);
    assert_eq!(stored[0].title, "Rekenmethode, gezamenlijk ingekocht");
}

/// A tenant token carries the kind's rule for its caller: a network's token finds that
/// network's bundles only. Meilisearch signs tokens with an API key (not the master key), so
/// the test makes one and deletes it after.
#[tokio::test]
#[cfg_attr(
    not(meilisearch),
    ignore = "MEILISEARCH_URL is not set: runs against a real Meilisearch only"
)]
async fn a_kinds_tenant_token_finds_only_what_its_rule_allows() {
    let url = std::env::var("MEILISEARCH_URL").expect("MEILISEARCH_URL is set");
    let master = std::env::var("MEILISEARCH_API_KEY")
        .expect("MEILISEARCH_API_KEY (the master key) is set for the tenant token test");
    let http = reqwest::Client::new();
    let key = crate::helpers::meilisearch_admin_key(&url, &master).await;
    let prefix = format!("test_{}_", Uuid::now_v7().simple());
    let engine = MeilisearchEngine::connect(meilisearch(key["key"].as_str(), &prefix))
        .await
        .unwrap();
    let engine: &dyn SearchEngine<Bundles> = &engine;
    let outcome = std::panic::AssertUnwindSafe(async {
        engine.prepare(INDEX).await.unwrap();
        let bundle = |n: u128, network: u128| BundleDocument {
            id: Uuid::from_u128(n),
            title: format!("Bundel {n}"),
            status: "open".into(),
            closes_at: 1_800_000_000,
            network_id: Uuid::from_u128(network),
        };
        let documents = [bundle(1, 0xa), bundle(2, 0xb), bundle(3, 0xa)];
        engine.upsert(INDEX, &documents).await.unwrap();
        let expires = chrono::Utc::now() + chrono::Duration::hours(1);
        let token = engine.tenant_token(INDEX, &NETWORK_A, expires).unwrap();
        let found: serde_json::Value = http
            .post(format!("{url}/indexes/{prefix}{INDEX}/search"))
            .bearer_auth(&token)
            .json(&serde_json::json!({}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let mut titles: Vec<&str> = found["hits"]
            .as_array()
            .unwrap_or_else(|| panic!("{found}"))
            .iter()
            .map(|hit| hit["title"].as_str().unwrap())
            .collect();
        titles.sort_unstable();
        assert_eq!(titles, ["Bundel 1", "Bundel 3"]);
    })
    .catch_unwind()
    .await;
    engine.drop_index(INDEX).await.unwrap();
    http.delete(format!(
        "{url}/keys/{}",
        key["uid"].as_str().unwrap_or_default()
    ))
    .bearer_auth(&master)
    .send()
    .await
    .unwrap();
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

#[tokio::test]
async fn the_embedded_index_has_no_tenant_tokens_for_any_kind() {
    let folder = std::env::temp_dir().join(format!("edumarkt-kinds-token-{}", Uuid::now_v7()));
    let engine = EmbeddedEngine::open(&folder).unwrap();
    let token =
        SearchEngine::<Bundles>::tenant_token(&engine, INDEX, &NETWORK_A, chrono::Utc::now());
    assert!(matches!(
        token,
        Err(edumarkt_search_sync::SearchError::Unsupported(_))
    ));
    drop(engine);
    std::fs::remove_dir_all(&folder).unwrap();
}
