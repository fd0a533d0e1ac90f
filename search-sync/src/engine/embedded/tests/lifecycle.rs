//! Writes, index management and what survives a restart.

use uuid::Uuid;

use super::{INDEX, TestEngine, text};
use crate::engine::Engine;
use crate::engine::embedded::EmbeddedEngine;
use crate::engine::embedded::fixtures::{self, offering};
use crate::error::SearchError;

impl TestEngine {
    /// The same folder opened by a new engine, as after a restart.
    fn reopen(self) -> TestEngine {
        let TestEngine { engine, folder } = self;
        // The old engine must let go of the index writers first.
        drop(engine);
        TestEngine {
            engine: EmbeddedEngine::open(folder.path()).unwrap(),
            folder,
        }
    }
}

#[tokio::test]
async fn an_upsert_replaces_the_document_with_its_id() {
    let engine = TestEngine::with(&[offering(1, "Oude titel", "", "")]).await;
    let renamed = offering(1, "Nieuwe titel", "", "");
    engine
        .offerings()
        .upsert(INDEX, std::slice::from_ref(&renamed))
        .await
        .unwrap();
    let results = engine.search(&text("")).await;
    assert_eq!(results.total, 1);
    assert_eq!(results.hits, [renamed]);
    assert!(engine.titles("oude").await.is_empty());
    // Within one batch the last version wins.
    let twice = [offering(2, "Eerste", "", ""), offering(2, "Tweede", "", "")];
    engine.offerings().upsert(INDEX, &twice).await.unwrap();
    assert_eq!(engine.titles("").await, ["Nieuwe titel", "Tweede"]);
}

#[tokio::test]
async fn a_delete_removes_and_unknown_ids_or_indexes_are_no_error() {
    let engine = TestEngine::with(&[offering(1, "Een", "", ""), offering(2, "Twee", "", "")]).await;
    let unknown = Uuid::from_u128(99);
    engine
        .engine
        .delete(INDEX, &[Uuid::from_u128(1), unknown])
        .await
        .unwrap();
    assert_eq!(engine.titles("").await, ["Twee"]);
    engine
        .engine
        .delete("never_made", &[unknown])
        .await
        .unwrap();
}

#[tokio::test]
async fn documents_come_in_id_order_a_page_at_a_time() {
    let docs = fixtures::generated(30, 5);
    let engine = TestEngine::with(&docs).await;
    let mut sorted = docs.clone();
    sorted.sort_by_key(|doc| doc.id);
    let page = engine.offerings().documents(INDEX, 10, 15).await.unwrap();
    assert_eq!(page, sorted[10..25]);
    assert!(
        engine
            .offerings()
            .documents(INDEX, 30, 10)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn a_swap_exchanges_two_indexes_and_survives_a_restart() {
    let engine = TestEngine::with(&[offering(1, "Live", "", "")]).await;
    engine
        .offerings()
        .upsert("next", &[offering(2, "Nieuw", "", "")])
        .await
        .unwrap();
    engine.engine.swap(INDEX, "next").await.unwrap();
    assert_eq!(engine.titles("").await, ["Nieuw"]);

    let engine = engine.reopen();
    assert_eq!(engine.titles("").await, ["Nieuw"]);
    let old = engine.offerings().documents("next", 0, 10).await.unwrap();
    assert_eq!(old, [offering(1, "Live", "", "")]);

    // The usual end of a reindex: the old contents go, the live index stays.
    engine.engine.drop_index("next").await.unwrap();
    assert!(engine.offerings().search("next", &text("")).await.is_err());
    assert_eq!(engine.titles("").await, ["Nieuw"]);
    let folders = std::fs::read_dir(engine.folder.path())
        .unwrap()
        .filter(|entry| entry.as_ref().unwrap().path().is_dir())
        .count();
    assert_eq!(folders, 1);
    engine.engine.drop_index("next").await.unwrap();
    assert!(engine.engine.swap(INDEX, "next").await.is_err());
}

#[tokio::test]
async fn a_restart_finds_what_was_written_and_clears_unnamed_folders() {
    let docs = fixtures::generated(20, 9);
    let engine = TestEngine::with(&docs).await;
    engine.engine.delete(INDEX, &[docs[0].id]).await.unwrap();
    let stray = engine.folder.path().join("index-left-by-a-crash");
    let foreign = engine.folder.path().join("uploads");
    std::fs::create_dir_all(&stray).unwrap();
    std::fs::create_dir_all(&foreign).unwrap();

    let engine = engine.reopen();
    let mut expected = docs[1..].to_vec();
    expected.sort_by_key(|doc| doc.id);
    assert_eq!(
        engine.offerings().documents(INDEX, 0, 100).await.unwrap(),
        expected
    );
    assert!(!stray.exists());
    assert!(foreign.exists());
    // Writes go on where they stopped.
    engine.offerings().upsert(INDEX, &docs[..1]).await.unwrap();
    assert_eq!(engine.search(&text("")).await.total, 20);
}

#[tokio::test]
async fn prepare_is_idempotent_and_health_and_tokens_answer() {
    let engine = TestEngine::with(&[offering(1, "Een", "", "")]).await;
    engine.offerings().prepare(INDEX).await.unwrap();
    assert_eq!(engine.titles("").await, ["Een"]);
    engine.engine.health().await.unwrap();
    assert_eq!(engine.engine.kind(), "embedded");
    let token = engine
        .offerings()
        .tenant_token(INDEX, &(), chrono::Utc::now());
    assert!(matches!(token, Err(SearchError::Unsupported(_))));
}

/// A kind of its own for the test: a title and nothing else.
struct Notes;

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct Note {
    id: Uuid,
    title: String,
}

static NOTES: crate::kind::IndexDescriptor = crate::kind::IndexDescriptor {
    name: "notes",
    searchable: &[("title", 1.0)],
    facets: &[],
    keywords: &[],
    numbers: &[],
    filterable: &[],
    sortable: &[],
};

#[async_trait::async_trait]
impl crate::kind::IndexKind for Notes {
    type Document = Note;
    type Filters = ();
    type Sort = ();
    type Tenant = ();
    const DESCRIPTOR: &'static crate::kind::IndexDescriptor = &NOTES;

    fn id(note: &Note) -> Uuid {
        note.id
    }
    fn filters(_: &()) -> Vec<crate::kind::Filter> {
        Vec::new()
    }
    fn sort_rules(_: ()) -> &'static [crate::kind::SortRule] {
        &[]
    }
    fn tenant_filter(_: &()) -> Option<String> {
        None
    }
    // No database here: the engines alone are tested.
    async fn load(
        _: &mut diesel_async::AsyncPgConnection,
        _: &[Uuid],
    ) -> diesel::QueryResult<Vec<Note>> {
        Ok(Vec::new())
    }
    async fn page(
        _: &mut diesel_async::AsyncPgConnection,
        _: Option<Uuid>,
        _: i64,
    ) -> diesel::QueryResult<Vec<Note>> {
        Ok(Vec::new())
    }
    async fn page_ids(
        _: &mut diesel_async::AsyncPgConnection,
        _: Option<Uuid>,
        _: i64,
    ) -> diesel::QueryResult<Vec<Uuid>> {
        Ok(Vec::new())
    }
    async fn count(_: &mut diesel_async::AsyncPgConnection) -> diesel::QueryResult<i64> {
        Ok(0)
    }
    async fn last_id(_: &mut diesel_async::AsyncPgConnection) -> diesel::QueryResult<Option<Uuid>> {
        Ok(None)
    }
}

#[tokio::test]
async fn one_engine_keeps_indexes_of_several_kinds_and_each_index_its_own() {
    use crate::engine::SearchEngine;
    use crate::query::SearchQuery;

    let engine = TestEngine::with(&[offering(1, "Rekenen", "", "")]).await;
    let notes: &dyn SearchEngine<Notes> = &engine.engine;
    let note = Note {
        id: Uuid::from_u128(7),
        title: "Rekenen met breuken".into(),
    };
    notes
        .upsert("notes", std::slice::from_ref(&note))
        .await
        .unwrap();
    let everything = SearchQuery::<Notes> {
        q: "rekenen".into(),
        page: 1,
        per_page: 10,
        ..SearchQuery::default()
    };
    assert_eq!(
        notes.search("notes", &everything).await.unwrap().hits,
        std::slice::from_ref(&note)
    );
    assert_eq!(engine.titles("rekenen").await, ["Rekenen"]);
    // An index is of one kind: read as another, it is refused, not misread.
    let wrong = notes.search(INDEX, &everything).await;
    assert!(
        matches!(&wrong, Err(SearchError::Engine(e)) if e.contains("holds offerings, not notes")),
        "{wrong:?}"
    );

    // After a restart each index is bound again by its first use, and checked then.
    let engine = engine.reopen();
    let notes: &dyn SearchEngine<Notes> = &engine.engine;
    let wrong = notes.search(INDEX, &everything).await;
    assert!(
        matches!(&wrong, Err(SearchError::Engine(e)) if e.contains("another schema")),
        "{wrong:?}"
    );
    assert_eq!(notes.documents("notes", 0, 10).await.unwrap(), [note]);
    assert_eq!(engine.titles("rekenen").await, ["Rekenen"]);
    let offerings_as_notes = engine.offerings().search("notes", &text("")).await;
    assert!(offerings_as_notes.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accepted_writes_apply_in_the_order_they_were_accepted() {
    // Each write is applied on a blocking thread while the next is accepted: without the
    // turn, a later write could overtake an earlier one (a reindex's old copy of a document
    // landing after the sync's newer one).
    let engine = TestEngine::with(&[]).await;
    let offerings = engine.offerings();
    let mut accepted = Vec::new();
    for round in 0..20 {
        let version = offering(1, &format!("Versie {round}"), "", "");
        accepted.push(offerings.enqueue_upsert(INDEX, &[version]).await.unwrap());
        if round % 3 == 0 {
            accepted.push(
                engine
                    .engine
                    .enqueue_delete(INDEX, &[Uuid::from_u128(1)])
                    .await
                    .unwrap(),
            );
        }
    }
    for write in accepted {
        write.await.unwrap();
    }
    assert_eq!(engine.titles("").await, ["Versie 19"]);

    // The last accepted write is a delete: nothing is left.
    let last = engine
        .engine
        .enqueue_delete(INDEX, &[Uuid::from_u128(1)])
        .await
        .unwrap();
    offerings
        .enqueue_upsert(INDEX, &[offering(2, "Blijft", "", "")])
        .await
        .unwrap()
        .await
        .unwrap();
    last.await.unwrap();
    assert_eq!(engine.titles("").await, ["Blijft"]);
}

#[tokio::test]
async fn an_index_written_with_another_schema_is_dropped_for_a_rebuild() {
    use crate::document::Offerings;
    use crate::engine::SearchEngine;

    // What an older edumarkt left: `live` written with a schema that is not the offerings' now
    // (here another kind's), next to an index of today's schema.
    let engine = TestEngine::with(&[offering(1, "Rekenen", "", "")]).await;
    let notes: &dyn SearchEngine<Notes> = &engine.engine;
    let note = Note {
        id: Uuid::from_u128(7),
        title: "Oud".into(),
    };
    notes.upsert("live", &[note]).await.unwrap();
    let engine = engine.reopen();

    assert!(
        engine
            .engine
            .drop_if_outdated::<Offerings>("live")
            .await
            .unwrap()
    );
    assert!(!engine.engine.contains("live"));
    // Today's index, and one that is not there, are left alone.
    assert!(
        !engine
            .engine
            .drop_if_outdated::<Offerings>(INDEX)
            .await
            .unwrap()
    );
    assert!(
        !engine
            .engine
            .drop_if_outdated::<Offerings>("live")
            .await
            .unwrap()
    );
    assert_eq!(engine.titles("rekenen").await, ["Rekenen"]);
    // The name is free for a fresh index of today's schema.
    engine
        .offerings()
        .upsert("live", &[offering(2, "Nieuw", "", "")])
        .await
        .unwrap();
}
