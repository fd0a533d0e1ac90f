//! The production engine: Meilisearch through its SDK. Every write becomes a Meilisearch task
//! that is awaited with the configured timeout and checked, so a write that returns `Ok` is
//! visible to searches, as `SearchEngine` promises the outbox. Index names get the deployment's
//! prefix here, so deployments and test runs can share one Meilisearch.

use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::ops::Range;
use std::time::Duration;

use async_trait::async_trait;
use futures_util::{StreamExt, TryStreamExt};
use meilisearch_sdk::client::{Client, SwapIndexes};
use meilisearch_sdk::documents::DocumentsQuery;
use meilisearch_sdk::errors::{Error as SdkError, ErrorCode, ErrorType, MeilisearchError};
use meilisearch_sdk::search::{MatchingStrategies, MultiSearchQuery, Selectors};
use meilisearch_sdk::settings::{
    FacetSortValue, FacetingSettings, MinWordSizeForTypos, PaginationSetting, Settings,
    TypoToleranceSettings,
};
use meilisearch_sdk::task_info::TaskInfo;
use meilisearch_sdk::tasks::Task;
use serde::Deserialize;
use uuid::Uuid;

use crate::engine::{Accepted, Engine, SearchEngine};
use crate::error::{SearchError, SearchResult};
use crate::kind::{Facet, IndexDescriptor, IndexKind, Source};
use crate::query::{MAX_HITS, SearchQuery, SearchResults, codes};
use crate::settings::{stop_words, synonyms};

#[cfg(test)]
mod live;
mod yardstick;

/// Facet values Meilisearch reports per facet. The largest code list (service types) has 26
/// codes, so every value of every facet is counted.
pub const MAX_VALUES_PER_FACET: usize = 100;

/// Meilisearch's default ranking rules with `sort` moved first: someone who asks for the
/// cheapest offerings expects prices in order, not relevance buckets each sorted on its own.
/// Without a sort the rule does nothing, so relevance ordering is unchanged.
const RANKING_RULES: &[&str] = &[
    "sort",
    "words",
    "typo",
    "proximity",
    "attribute",
    "exactness",
];

/// Ids read per request when `documents` lists the index.
const ID_PAGE: usize = 10_000;
/// Documents fetched at once when `documents` reads a page.
const FETCH_CONCURRENCY: usize = 8;

pub struct MeilisearchConfig {
    pub url: String,
    /// An API key rather than the master key if tenant tokens are wanted: Meilisearch only
    /// accepts tokens signed with an API key, and they name its uid.
    pub api_key: Option<String>,
    /// The uid of `api_key`, when known: then it is not looked up, so the key needs no
    /// `keys.get` right (which would let it read every other key) and can be search-only.
    pub api_key_uid: Option<String>,
    pub index_prefix: String,
    /// How long to wait for any one request, and for any one task to finish.
    pub task_timeout: Duration,
    pub max_batch_documents: usize,
    /// Bound on one addition's JSON payload (Meilisearch refuses payloads over its own limit,
    /// 100 MB by default).
    pub max_batch_bytes: usize,
}

pub struct MeilisearchEngine {
    client: Client,
    index_prefix: String,
    timeout: Duration,
    max_batch_documents: usize,
    max_batch_bytes: usize,
    /// The configured key's uid for signing tenant tokens, or why there is none.
    key_uid: Result<String, &'static str>,
}

/// An index's settings in Meilisearch's terms, all derived from its kind's descriptor and the
/// shared text `settings`.
pub fn settings(descriptor: &IndexDescriptor) -> Settings {
    Settings::new()
        .with_searchable_attributes(descriptor.searchable.iter().map(|(name, _)| *name))
        .with_filterable_attributes(descriptor.filterable())
        .with_sortable_attributes(descriptor.sortable)
        .with_ranking_rules(RANKING_RULES)
        .with_faceting(FacetingSettings {
            max_values_per_facet: MAX_VALUES_PER_FACET,
            // Meilisearch's default, said out loud so that the settings it returns cover ours.
            sort_facet_values_by: Some([("*".to_owned(), FacetSortValue::Alpha)].into()),
        })
        .with_typo_tolerance(TypoToleranceSettings {
            enabled: Some(true),
            // `settings::typos_allowed`, which the embedded index follows too.
            min_word_size_for_typos: Some(MinWordSizeForTypos {
                one_typo: Some(5),
                two_typos: Some(9),
            }),
            // Empty rather than unset (null), as Meilisearch returns them.
            disable_on_words: Some(Vec::new()),
            disable_on_attributes: Some(Vec::new()),
            ..TypoToleranceSettings::default()
        })
        .with_stop_words(stop_words())
        .with_synonyms(synonyms().into_iter().collect::<HashMap<_, _>>())
        .with_pagination(PaginationSetting {
            max_total_hits: MAX_HITS,
        })
}

/// Whether an index's `current` settings already hold every setting in `wanted` (its
/// attributes in the same order, where order matters to Meilisearch and so to the comparison).
fn settings_cover(current: &Settings, wanted: &Settings) -> SearchResult<bool> {
    let json =
        |s: &Settings| serde_json::to_value(s).map_err(|e| engine_error("serializing settings", e));
    Ok(covers(&as_sets(json(current)?), &as_sets(json(wanted)?)))
}

/// Settings whose order means nothing to Meilisearch (it may return them sorted), sorted.
fn as_sets(mut settings: serde_json::Value) -> serde_json::Value {
    fn sort(list: Option<&mut serde_json::Value>) {
        if let Some(serde_json::Value::Array(items)) = list {
            items.sort_by_key(|item| item.to_string());
        }
    }
    for key in ["filterableAttributes", "sortableAttributes", "stopWords"] {
        sort(settings.get_mut(key));
    }
    if let Some(serde_json::Value::Object(synonyms)) = settings.get_mut("synonyms") {
        synonyms.values_mut().for_each(|words| sort(Some(words)));
    }
    settings
}

/// `wanted` ⊆ `current`: objects key by key (a key `current` has beyond `wanted` is a setting we
/// leave alone), everything else equal.
fn covers(current: &serde_json::Value, wanted: &serde_json::Value) -> bool {
    match (current, wanted) {
        (serde_json::Value::Object(current), serde_json::Value::Object(wanted)) => wanted
            .iter()
            .all(|(key, value)| current.get(key).is_some_and(|c| covers(c, value))),
        _ => current == wanted,
    }
}

/// The Meilisearch sort for a kind's order (see `IndexKind::sort_rules`): Meilisearch, too,
/// ranks the documents that have the field first and leaves the rest in a final bucket.
fn sort_rule<K: IndexKind>(sort: K::Sort) -> Vec<String> {
    K::sort_rules(sort)
        .iter()
        .map(|rule| {
            let direction = if rule.descending { "desc" } else { "asc" };
            format!("{}:{direction}", rule.field)
        })
        .collect()
}

/// A document as Meilisearch stores it: the document and the numbers its kind derives from it
/// (offerings: the price group its price sorts order by first). Reading it back as the
/// document ignores the extra attributes.
fn stored<K: IndexKind>(document: &K::Document) -> SearchResult<serde_json::Value> {
    let mut json =
        serde_json::to_value(document).map_err(|e| engine_error("serializing a document", e))?;
    for number in K::DESCRIPTOR.numbers {
        if let Source::RankOf { facet, rank } = number.source {
            let code = codes(&json[facet]).first().copied().unwrap_or("");
            let value = rank(code);
            if let Some(object) = json.as_object_mut() {
                object.insert(number.field.to_owned(), value.into());
            }
        }
    }
    Ok(json)
}

/// One query of the multi-search a search becomes.
#[derive(Debug, Clone, PartialEq)]
struct Planned {
    filter: Option<String>,
    /// The facets whose counts this query answers.
    facets: Vec<&'static Facet>,
    /// The main query brings the hits, sorted and paged; the others only count.
    main: bool,
}

/// The queries a search sends: the main one, counting the facets nobody filters on, and one per
/// filtered facet with every filter but its own, so its counts show what each other choice of
/// that facet would give.
fn plan<K: IndexKind>(query: &SearchQuery<K>) -> Vec<Planned> {
    let facets = K::DESCRIPTOR.facets;
    let filtered = |facet: &Facet| query.facets.get(facet.field).is_some_and(|v| !v.is_empty());
    let main = Planned {
        filter: query.meilisearch_filter(),
        facets: facets.iter().filter(|f| !filtered(f)).collect(),
        main: true,
    };
    let own = facets.iter().filter(|f| filtered(f)).map(|facet| Planned {
        filter: query.without_facet(facet.field).meilisearch_filter(),
        facets: vec![facet],
        main: false,
    });
    std::iter::once(main).chain(own).collect()
}

/// Splits documents of the given serialized sizes into consecutive batches of at most
/// `max_documents` documents and at most `max_bytes` bytes as one JSON array (brackets and
/// commas counted). A document larger than `max_bytes` goes alone: it cannot be split, and
/// Meilisearch judges it against its own limit.
fn batches(sizes: &[usize], max_documents: usize, max_bytes: usize) -> Vec<Range<usize>> {
    let max_documents = max_documents.max(1);
    let mut batches = Vec::new();
    let mut start = 0;
    let mut bytes = 2;
    for (i, size) in sizes.iter().enumerate() {
        let count = i - start;
        if count > 0 && (count == max_documents || bytes + 1 + size > max_bytes) {
            batches.push(start..i);
            start = i;
            bytes = 2 + size;
        } else {
            bytes += size + usize::from(count > 0);
        }
    }
    if start < sizes.len() {
        batches.push(start..sizes.len());
    }
    batches
}

#[derive(Deserialize)]
struct IdOnly {
    id: Uuid,
}

fn engine_error(context: &str, error: impl std::fmt::Display) -> SearchError {
    SearchError::Engine(format!("{context}: {error}"))
}

/// The key lookup is the one request that carries the key in its URL (`/keys/<key>`), and a
/// failed request's text names its URL: the key must reach no message, log line or response.
fn without_secret(error: SearchError, secret: &str) -> SearchError {
    match error {
        SearchError::Engine(text) => SearchError::Engine(text.replace(secret, "<the API key>")),
        other => other,
    }
}

impl MeilisearchEngine {
    /// Connects and looks up the configured key's uid (tenant tokens name it). Fails when
    /// Meilisearch does not answer.
    pub async fn connect(config: MeilisearchConfig) -> SearchResult<MeilisearchEngine> {
        // The SDK panics on a key that cannot be an HTTP header (a newline from a secrets file).
        if config
            .api_key
            .as_deref()
            .is_some_and(|k| k.chars().any(char::is_control))
        {
            return Err(SearchError::Engine(
                "the Meilisearch API key contains control characters".into(),
            ));
        }
        let client = Client::new(&config.url, config.api_key.as_deref())
            .map_err(|e| engine_error("Meilisearch client", e))?;
        let mut engine = MeilisearchEngine {
            client,
            index_prefix: config.index_prefix,
            timeout: config.task_timeout,
            max_batch_documents: config.max_batch_documents,
            max_batch_bytes: config.max_batch_bytes,
            key_uid: Err("tenant tokens need a Meilisearch API key, and none is configured"),
        };
        if let (Some(_), Some(uid)) = (&config.api_key, &config.api_key_uid) {
            engine.key_uid = Ok(uid.clone());
        } else if let Some(key) = &config.api_key {
            engine.key_uid = match engine.bounded(engine.client.get_key(key)).await {
                Ok(found) => Ok(found.uid),
                Err(SdkFailure::Meilisearch(e)) if e.error_code == ErrorCode::ApiKeyNotFound => {
                    Err(
                        "tenant tokens need a Meilisearch API key; the configured key is the master key",
                    )
                }
                Err(SdkFailure::Meilisearch(e)) if e.error_type == ErrorType::Auth => Err(
                    "tenant tokens need the uid of the configured API key, which may not read keys",
                ),
                Err(other) => {
                    let error = other.into_search_error("looking up the API key");
                    return Err(without_secret(error, key));
                }
            };
        }
        Ok(engine)
    }

    fn uid(&self, index: &str) -> String {
        format!("{}{index}", self.index_prefix)
    }

    /// Runs one request within the timeout.
    async fn bounded<T>(
        &self,
        request: impl Future<Output = Result<T, SdkError>>,
    ) -> Result<T, SdkFailure> {
        within(self.timeout, request).await
    }

    /// Sends a write and waits for its task; `Ok(Err(_))` is a task Meilisearch ran and failed.
    async fn task(
        &self,
        what: &str,
        request: impl Future<Output = Result<TaskInfo, SdkError>>,
    ) -> SearchResult<Result<(), MeilisearchError>> {
        let info = self
            .bounded(request)
            .await
            .map_err(|e| e.into_search_error(what))?;
        outcome(&self.client, self.timeout, what, info).await
    }

    /// Waits for enqueued tasks in order; a failed task is an error.
    fn confirmation(&self, what: String, tasks: Vec<TaskInfo>) -> Accepted {
        let (client, timeout) = (self.client.clone(), self.timeout);
        Box::pin(async move {
            for info in tasks {
                outcome(&client, timeout, &what, info)
                    .await?
                    .map_err(|e| engine_error(&what, e))?;
            }
            Ok(())
        })
    }

    /// A write whose failed task is an error.
    async fn write(
        &self,
        what: &str,
        request: impl Future<Output = Result<TaskInfo, SdkError>>,
    ) -> SearchResult<()> {
        self.task(what, request)
            .await?
            .map_err(|e| engine_error(what, e))
    }
}

/// Runs one request within `timeout`.
async fn within<T>(
    timeout: Duration,
    request: impl Future<Output = Result<T, SdkError>>,
) -> Result<T, SdkFailure> {
    match tokio::time::timeout(timeout, request).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(SdkError::Meilisearch(e))) => Err(SdkFailure::Meilisearch(e)),
        Ok(Err(SdkError::Timeout)) | Err(_) => Err(SdkFailure::Timeout(timeout)),
        Ok(Err(other)) => Err(SdkFailure::Other(other)),
    }
}

/// How often a task's status is asked while waiting for it. Meilisearch applies a small write
/// in a few milliseconds; the SDK's default (50 ms) would add half of that to every sync's lag.
const TASK_POLL: Duration = Duration::from_millis(10);

/// Waits for an enqueued task; `Ok(Err(_))` is a task Meilisearch ran and failed.
async fn outcome(
    client: &Client,
    timeout: Duration,
    what: &str,
    info: TaskInfo,
) -> SearchResult<Result<(), MeilisearchError>> {
    let task = within(
        timeout,
        client.wait_for_task(info, Some(TASK_POLL), Some(timeout)),
    )
    .await
    .map_err(|e| e.into_search_error(what))?;
    Ok(match task {
        Task::Failed { content } => Err(content.error),
        _ => Ok(()),
    })
}

/// What a Meilisearch call failed with, kept apart so callers can accept expected errors.
enum SdkFailure {
    Meilisearch(MeilisearchError),
    Timeout(Duration),
    Other(SdkError),
}

impl SdkFailure {
    fn into_search_error(self, what: &str) -> SearchError {
        match self {
            SdkFailure::Meilisearch(e) => engine_error(what, e),
            SdkFailure::Timeout(after) => SearchError::Timeout(after),
            SdkFailure::Other(e) => engine_error(what, e),
        }
    }
}

#[async_trait]
impl Engine for MeilisearchEngine {
    fn kind(&self) -> &'static str {
        "meilisearch"
    }

    async fn delete(&self, index: &str, ids: &[Uuid]) -> SearchResult<()> {
        self.enqueue_delete(index, ids).await?.await
    }

    /// Sends every batch before waiting for any, as `enqueue_upsert`.
    async fn enqueue_delete(&self, index: &str, ids: &[Uuid]) -> SearchResult<Accepted> {
        let index = self.client.index(self.uid(index));
        let what = format!("deleting documents from {}", index.uid);
        let mut tasks = Vec::new();
        for batch in ids.chunks(self.max_batch_documents.max(1)) {
            let info = self
                .bounded(index.delete_documents(batch))
                .await
                .map_err(|e| e.into_search_error(&what))?;
            tasks.push(info);
        }
        Ok(self.confirmation(what, tasks))
    }

    async fn swap(&self, a: &str, b: &str) -> SearchResult<()> {
        let (a, b) = (self.uid(a), self.uid(b));
        let swap = SwapIndexes {
            indexes: (a.clone(), b.clone()),
            rename: None,
        };
        self.write(
            &format!("swapping {a} and {b}"),
            self.client.swap_indexes([&swap]),
        )
        .await
    }

    async fn drop_index(&self, index: &str) -> SearchResult<()> {
        let uid = self.uid(index);
        let what = format!("deleting index {uid}");
        match self.task(&what, self.client.delete_index(&uid)).await? {
            Err(e) if e.error_code != ErrorCode::IndexNotFound => Err(engine_error(&what, e)),
            _ => Ok(()),
        }
    }

    async fn health(&self) -> SearchResult<()> {
        let health = self
            .bounded(self.client.health())
            .await
            .map_err(|e| e.into_search_error("health"))?;
        if health.status == "available" {
            Ok(())
        } else {
            Err(SearchError::Engine(format!(
                "Meilisearch reports {}",
                health.status
            )))
        }
    }
}

#[async_trait]
impl<K: IndexKind> SearchEngine<K> for MeilisearchEngine {
    async fn prepare(&self, index: &str) -> SearchResult<()> {
        let uid = self.uid(index);
        let created = self
            .task(
                &format!("creating index {uid}"),
                self.client.create_index(&uid, Some("id")),
            )
            .await?;
        if let Err(e) = created
            && e.error_code != ErrorCode::IndexAlreadyExists
        {
            return Err(engine_error(&format!("creating index {uid}"), e));
        }
        let index = self.client.index(&uid);
        // Settings are written only when they differ: Meilisearch re-indexes every document
        // for a settings task even when nothing changes (7 s per task on 90,000 offerings),
        // and every server, worker and reindex prepares the live index when it starts.
        let wanted = settings(K::DESCRIPTOR);
        let current = self
            .bounded(index.get_settings())
            .await
            .map_err(|e| e.into_search_error(&format!("reading the settings of {uid}")))?;
        if !settings_cover(&current, &wanted)? {
            self.write(
                &format!("settings of index {uid}"),
                index.set_settings(&wanted),
            )
            .await?;
        }
        // Facet search (searching within a facet's values) is a feature we never call: facet
        // counts come with each search. Left on, every batch of changed documents also
        // rebuilds its structures: on 90,000 offerings a batch of 20 took 1.9 s with it and
        // 0.6 s without (median of 6), which is most of the sync lag.
        let facet_search = self
            .bounded(index.get_facet_search())
            .await
            .map_err(|e| e.into_search_error(&format!("reading facet search of {uid}")))?;
        if facet_search {
            self.write(
                &format!("facet search of index {uid}"),
                index.set_facet_search(false),
            )
            .await?;
        }
        Ok(())
    }

    async fn upsert(&self, index: &str, documents: &[K::Document]) -> SearchResult<()> {
        SearchEngine::<K>::enqueue_upsert(self, index, documents)
            .await?
            .await
    }

    /// Sends every batch before waiting for any: Meilisearch applies an index's tasks in the
    /// order it received them (so the caller's locks may go once this returns) and works on
    /// the next while the caller prepares more.
    async fn enqueue_upsert(
        &self,
        index: &str,
        documents: &[K::Document],
    ) -> SearchResult<Accepted> {
        let documents: Vec<serde_json::Value> = documents
            .iter()
            .map(stored::<K>)
            .collect::<SearchResult<_>>()?;
        let sizes = documents
            .iter()
            .map(|d| serde_json::to_vec(d).map(|json| json.len()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| engine_error("serializing a document", e))?;
        let index = self.client.index(self.uid(index));
        let what = format!("adding documents to {}", index.uid);
        let mut tasks = Vec::new();
        for batch in batches(&sizes, self.max_batch_documents, self.max_batch_bytes) {
            let info = self
                .bounded(index.add_or_replace(&documents[batch], Some("id")))
                .await
                .map_err(|e| e.into_search_error(&what))?;
            tasks.push(info);
        }
        Ok(self.confirmation(what, tasks))
    }

    async fn search(&self, index: &str, query: &SearchQuery<K>) -> SearchResult<SearchResults<K>> {
        let index = self.client.index(self.uid(index));
        let plan = plan(query);
        let fields: Vec<Vec<&str>> = plan
            .iter()
            .map(|p| p.facets.iter().map(|f| f.field).collect())
            .collect();
        let sort = sort_rule::<K>(query.sort);
        let sort: Vec<&str> = sort.iter().map(String::as_str).collect();
        let text = query.text();
        let mut multi = MultiSearchQuery::new(&self.client);
        for (planned, fields) in plan.iter().zip(&fields) {
            let mut search = index.search();
            // Every word must match, as in the embedded index; Meilisearch's default (`last`)
            // would drop words from the end until something matches, so "nascholing rekenen"
            // would also list every offering about nascholing.
            search
                .with_query(&text)
                .with_matching_strategy(MatchingStrategies::ALL)
                .with_facets(Selectors::Some(fields));
            if let Some(filter) = &planned.filter {
                search.with_filter(filter);
            }
            if planned.main {
                search
                    .with_page(query.page)
                    .with_hits_per_page(query.per_page);
                if !sort.is_empty() {
                    search.with_sort(&sort);
                }
            } else {
                search.with_page(1).with_hits_per_page(0);
            }
            multi.with_search_query(search.build());
        }
        let response = self
            .bounded(multi.execute::<K::Document>())
            .await
            .map_err(|e| e.into_search_error(&format!("searching {}", index.uid)))?;
        if response.results.len() != plan.len() {
            return Err(SearchError::Engine(format!(
                "multi-search answered {} of {} queries",
                response.results.len(),
                plan.len()
            )));
        }

        // Every facet is present, counting only the codes that occur (as Meilisearch reports).
        let mut facets: BTreeMap<String, BTreeMap<String, u64>> = K::DESCRIPTOR
            .facets
            .iter()
            .map(|f| (f.param.to_owned(), BTreeMap::new()))
            .collect();
        let mut results = SearchResults::default();
        for (planned, mut answer) in plan.iter().zip(response.results) {
            let mut distribution = answer.facet_distribution.take().unwrap_or_default();
            for facet in &planned.facets {
                let counts = distribution.remove(facet.field).unwrap_or_default();
                facets.insert(
                    facet.param.to_owned(),
                    counts
                        .into_iter()
                        .map(|(code, n)| (code, n as u64))
                        .collect(),
                );
            }
            if planned.main {
                results.total = answer
                    .total_hits
                    .or(answer.estimated_total_hits)
                    .unwrap_or(0);
                results.hits = answer.hits.into_iter().map(|hit| hit.result).collect();
            }
        }
        results.facets = facets;
        Ok(results)
    }

    /// Meilisearch lists documents in its internal order and (before v1.16) cannot sort them,
    /// so every call reads all ids (one small request per 10 000 documents), sorts them, and
    /// fetches the page's documents one by one. A full walk in pages of `limit` therefore reads
    /// the ids N/limit times: fine for verification of thousands of offerings, not for paging
    /// a million.
    async fn documents(
        &self,
        index: &str,
        offset: usize,
        limit: usize,
    ) -> SearchResult<Vec<K::Document>> {
        let index = self.client.index(self.uid(index));
        let what = format!("listing documents of {}", index.uid);
        let mut ids = Vec::new();
        loop {
            let mut page = DocumentsQuery::new(&index);
            page.with_offset(ids.len())
                .with_limit(ID_PAGE)
                .with_fields(["id"]);
            let read = self
                .bounded(index.get_documents_with::<IdOnly>(&page))
                .await
                .map_err(|e| e.into_search_error(&what))?
                .results;
            let done = read.len() < ID_PAGE;
            ids.extend(read.into_iter().map(|d| d.id));
            if done {
                break;
            }
        }
        ids.sort_unstable();
        let (index, what) = (&index, &what);
        let wanted = ids.iter().skip(offset).take(limit).map(Uuid::to_string);
        futures_util::stream::iter(wanted)
            .map(|id| async move {
                match self.bounded(index.get_document::<K::Document>(&id)).await {
                    Ok(document) => Ok(Some(document)),
                    // Deleted since the ids were read.
                    Err(SdkFailure::Meilisearch(e))
                        if e.error_code == ErrorCode::DocumentNotFound =>
                    {
                        Ok(None)
                    }
                    Err(e) => Err(e.into_search_error(what)),
                }
            })
            .buffered(FETCH_CONCURRENCY)
            .try_filter_map(|document| async move { Ok(document) })
            .try_collect()
            .await
    }

    /// The token opens the one index, limited by the kind's filter for the tenant.
    fn tenant_token(
        &self,
        index: &str,
        tenant: &K::Tenant,
        expires_at: chrono::DateTime<chrono::Utc>,
    ) -> SearchResult<String> {
        let key_uid = self.key_uid.clone().map_err(SearchError::Unsupported)?;
        let expires_at = time::OffsetDateTime::from_unix_timestamp(expires_at.timestamp())
            .map_err(|e| engine_error("tenant token expiry", e))?;
        let mut rules = serde_json::Map::new();
        let rule = match K::tenant_filter(tenant) {
            Some(filter) => serde_json::json!({ "filter": filter }),
            None => serde_json::json!({}),
        };
        rules.insert(self.uid(index), rule);
        self.client
            .generate_tenant_token(key_uid, rules.into(), None, Some(expires_at))
            .map_err(|e| engine_error("tenant token", e))
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::document::{FACETS, OFFERINGS, OfferingDocument, Offerings};
    use crate::query::{Sort, price_group};
    use crate::settings::{SEARCHABLE, SORTABLE, filterable, typos_allowed};
    use crate::taxonomy;

    #[test]
    fn settings_come_from_the_document_settings() {
        let json = serde_json::to_value(settings(&OFFERINGS)).unwrap();
        let searchable: Vec<&str> = SEARCHABLE.iter().map(|(name, _)| *name).collect();
        assert_eq!(json["searchableAttributes"], serde_json::json!(searchable));
        assert_eq!(
            json["filterableAttributes"],
            serde_json::json!(filterable())
        );
        assert_eq!(json["sortableAttributes"], serde_json::json!(SORTABLE));
        assert_eq!(json["rankingRules"][0], "sort");
        assert_eq!(json["pagination"]["maxTotalHits"], MAX_HITS);
        assert!(json["faceting"]["maxValuesPerFacet"].as_u64().unwrap() >= 100);
        assert_eq!(json["typoTolerance"]["enabled"], true);
        assert_eq!(json["stopWords"], serde_json::json!(stop_words()));
        assert_eq!(json["synonyms"]["rt"], serde_json::json!(synonyms()["rt"]));
        assert_eq!(
            json["synonyms"].as_object().unwrap().len(),
            synonyms().len()
        );
    }

    #[test]
    fn settings_cover_what_meilisearch_returns_for_them() {
        let wanted = settings(&OFFERINGS);
        assert!(settings_cover(&wanted, &wanted).unwrap());
        // As Meilisearch answers: sets sorted, settings of its own we do not set.
        let mut returned = serde_json::to_value(&wanted).unwrap();
        returned["sortableAttributes"]
            .as_array_mut()
            .unwrap()
            .reverse();
        returned["stopWords"].as_array_mut().unwrap().reverse();
        returned["typoTolerance"]["disableOnNumbers"] = serde_json::json!(false);
        returned["proximityPrecision"] = serde_json::json!("byWord");
        let returned: Settings = serde_json::from_value(returned).unwrap();
        assert!(settings_cover(&returned, &wanted).unwrap());

        // A changed setting, a missing one, or searchable attributes in another order do not.
        let changed = wanted.clone().with_pagination(PaginationSetting {
            max_total_hits: MAX_HITS + 1,
        });
        assert!(!settings_cover(&changed, &wanted).unwrap());
        assert!(!settings_cover(&Settings::new(), &wanted).unwrap());
        let mut reordered = wanted.clone();
        if let Some(attributes) = reordered.searchable_attributes.as_mut() {
            attributes.reverse();
        }
        assert!(!settings_cover(&reordered, &wanted).unwrap());
    }

    #[test]
    fn typo_word_sizes_agree_with_the_shared_rule() {
        let sizes = settings(&OFFERINGS)
            .typo_tolerance
            .unwrap()
            .min_word_size_for_typos
            .unwrap();
        let (one, two) = (sizes.one_typo.unwrap(), sizes.two_typos.unwrap());
        for length in 1..20_u8 {
            let word = "a".repeat(usize::from(length));
            let expected = u8::from(length >= one) + u8::from(length >= two);
            assert_eq!(typos_allowed(&word), expected, "{length} letters");
        }
    }

    #[test]
    fn every_facet_value_fits_the_facet_limit() {
        let longest = [
            taxonomy::DOMAINS.len(),
            taxonomy::SERVICE_TYPES.len(),
            taxonomy::SECTORS.len(),
            taxonomy::PROVINCES.len() + 1,
            taxonomy::FORMATS.len(),
            taxonomy::DELIVERY.len(),
            taxonomy::DURATIONS.len(),
            taxonomy::CO_CREATION_PHASES.len(),
            taxonomy::THEMES.len(),
            taxonomy::EVIDENCE_LEVELS.len(),
            taxonomy::PRICE_MODELS.len(),
            taxonomy::PROVIDER_KINDS.len(),
        ]
        .into_iter()
        .max()
        .unwrap();
        assert!(longest <= MAX_VALUES_PER_FACET);
    }

    #[test]
    fn sorts_map_to_sortable_fields_and_relevance_to_none() {
        assert!(sort_rule::<Offerings>(Sort::Relevance).is_empty());
        assert_eq!(sort_rule::<Offerings>(Sort::Rating), ["rating_score:desc"]);
        // Prices compare within a price model: the group first, ascending either way.
        assert_eq!(
            sort_rule::<Offerings>(Sort::PriceAsc),
            ["price_group:asc", "price_min_cents:asc"]
        );
        assert_eq!(
            sort_rule::<Offerings>(Sort::PriceDesc),
            ["price_group:asc", "price_min_cents:desc"]
        );
        assert_eq!(sort_rule::<Offerings>(Sort::Newest), ["published_at:desc"]);
        assert_eq!(
            sort_rule::<Offerings>(Sort::ReviewCount),
            ["review_count:desc"]
        );
        for sort in Sort::ALL {
            for rule in sort_rule::<Offerings>(sort) {
                let field = rule.split(':').next().unwrap();
                assert!(SORTABLE.contains(&field), "{rule}");
            }
        }
    }

    #[test]
    fn stored_documents_carry_their_price_group() {
        let mut document = crate::engine::embedded::fixtures::offering(1, "a", "b", "c");
        document.price_model = "per_uur".into();
        let json = stored::<Offerings>(&document).unwrap();
        assert_eq!(json["price_group"], u64::from(price_group("per_uur")));
        assert_eq!(json["title"], "a");
        // Read back, the extra attribute is ignored.
        assert_eq!(
            serde_json::from_value::<OfferingDocument>(json).unwrap(),
            document
        );
    }

    fn facet(param: &str) -> &'static Facet {
        crate::query::facet_by_param(param).unwrap()
    }

    #[test]
    fn without_filters_one_query_counts_every_facet() {
        let plan = plan(&SearchQuery::<Offerings>::default());
        assert_eq!(plan.len(), 1);
        assert!(plan[0].main);
        assert_eq!(plan[0].filter, None);
        assert_eq!(plan[0].facets.len(), FACETS.len());
    }

    #[test]
    fn each_filtered_facet_is_counted_without_its_own_filter() {
        let mut query = SearchQuery::<Offerings>::default();
        query.facets.insert("sectors", vec!["po".into()]);
        query
            .facets
            .insert("themes", vec!["x\" OR domain = \"y".into()]);
        query.facets.insert("regions", vec![]);
        query.filters.evidence_min = Some(3);
        let plan = plan(&query);

        assert_eq!(plan.len(), 3);
        let main = &plan[0];
        assert!(main.main);
        assert_eq!(main.filter, query.meilisearch_filter());
        assert!(!main.facets.contains(&facet("sector")));
        assert!(!main.facets.contains(&facet("theme")));
        // An empty list filters nothing, so its facet is counted with the rest.
        assert!(main.facets.contains(&facet("region")));
        assert_eq!(main.facets.len(), FACETS.len() - 2);

        for (planned, (field, param)) in plan[1..]
            .iter()
            .zip([("sectors", "sector"), ("themes", "theme")])
        {
            let own = Planned {
                filter: query.without_facet(field).meilisearch_filter(),
                facets: vec![facet(param)],
                main: false,
            };
            assert_eq!(planned, &own);
        }
        assert_eq!(
            plan[1].filter.as_deref(),
            Some(r#"themes IN ["x\" OR domain = \"y"] AND evidence_rank >= 3"#)
        );
    }

    #[test]
    fn a_single_filtered_facet_alone_is_counted_unfiltered() {
        let mut query = SearchQuery::<Offerings>::default();
        query.facets.insert("domain", vec!["leerlingenzorg".into()]);
        let plan = plan(&query);
        assert_eq!(plan.len(), 2);
        assert_eq!(plan[1].filter, None);
        assert_eq!(plan[1].facets, vec![facet("domain")]);
    }

    #[test]
    fn batches_split_on_count_and_on_bytes() {
        assert_eq!(batches(&[10; 5], 2, 1_000), vec![0..2, 2..4, 4..5]);
        // [a,b] of 10-byte documents is 23 bytes; a third would make 34.
        assert_eq!(batches(&[10; 5], 100, 33), vec![0..2, 2..4, 4..5]);
        assert_eq!(batches(&[10; 3], 100, 34), vec![0..3]);
        // Too big for any batch: alone.
        assert_eq!(batches(&[5, 50, 5], 100, 20), vec![0..1, 1..2, 2..3]);
        assert_eq!(batches(&[], 10, 10), Vec::<Range<usize>>::new());
    }

    proptest! {
        #[test]
        fn batches_cover_everything_in_order_within_bounds(
            sizes in proptest::collection::vec(1..200_usize, 0..60),
            max_documents in 1..10_usize,
            max_bytes in 2..600_usize,
        ) {
            let split = batches(&sizes, max_documents, max_bytes);
            let mut next = 0;
            for batch in &split {
                prop_assert_eq!(batch.start, next);
                prop_assert!(!batch.is_empty());
                prop_assert!(batch.len() <= max_documents);
                let bytes = 2 + sizes[batch.clone()].iter().sum::<usize>() + batch.len() - 1;
                prop_assert!(bytes <= max_bytes || batch.len() == 1);
                next = batch.end;
            }
            prop_assert_eq!(next, sizes.len());
        }
    }
}
