//! Reading an index: a search (text, filters, facets, order, page) and the documents in id
//! order.

use super::OrEngine;
use super::collect::{Collect, Order};
use super::handle::Snapshot;
use super::schema::IndexSchema;
use super::text::{self, Dutch};
use crate::error::SearchResult;
use crate::kind::IndexKind;
use crate::query::{MAX_HITS, SearchQuery, SearchResults};

pub(super) fn search<K: IndexKind>(
    snapshot: &Snapshot,
    schema: &IndexSchema,
    dutch: &Dutch,
    query: &SearchQuery<K>,
) -> SearchResult<SearchResults<K>> {
    let plan = dutch.plan(&query.text());
    let text = text::to_query(&plan, &snapshot.searcher, &schema.text)?;
    let start = query.page.saturating_sub(1).saturating_mul(query.per_page);
    let order = Order::new(K::DESCRIPTOR, K::sort_rules(query.sort));
    let filters = K::filters(&query.filters);
    let collector = Collect {
        descriptor: K::DESCRIPTOR,
        tables: &snapshot.tables,
        facets: &query.facets,
        filters: &filters,
        // Only relevance needs scores; the other orders skip computing them.
        scored: matches!(order, Order::Relevance) && !plan.is_empty(),
        order: &order,
        // Pages end at MAX_HITS, as they do on Meilisearch.
        keep: start.saturating_add(query.per_page).min(MAX_HITS),
    };
    let found = snapshot
        .searcher
        .search(text.as_ref(), &collector)
        .or_engine("searching")?;
    let hits = found
        .top
        .iter()
        .skip(start)
        .map(|&(_, address)| snapshot.document(address))
        .collect::<SearchResult<_>>()?;
    Ok(SearchResults {
        hits,
        total: found.total,
        facets: found.facets,
    })
}

pub(super) fn documents<K: IndexKind>(
    snapshot: &Snapshot,
    offset: usize,
    limit: usize,
) -> SearchResult<Vec<K::Document>> {
    snapshot
        .by_id()
        .iter()
        .skip(offset)
        .take(limit)
        .map(|&(_, address)| snapshot.document(address))
        .collect()
}
