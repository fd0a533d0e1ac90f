//! Reading an index: a search (text, filters, facets, order, page) and the documents in id
//! order.

use super::OrEngine;
use super::collect::Collect;
use super::handle::Snapshot;
use super::schema::IndexSchema;
use super::text::{self, Dutch};
use crate::document::OfferingDocument;
use crate::error::SearchResult;
use crate::query::{MAX_HITS, SearchQuery, SearchResults, Sort};

pub(super) fn search(
    snapshot: &Snapshot,
    schema: &IndexSchema,
    dutch: &Dutch,
    query: &SearchQuery,
) -> SearchResult<SearchResults> {
    let plan = dutch.plan(&query.text());
    let text = text::to_query(&plan, &snapshot.searcher, &schema.text)?;
    let start = query.page.saturating_sub(1).saturating_mul(query.per_page);
    let collector = Collect {
        tables: &snapshot.tables,
        query,
        // Pages end at MAX_HITS, as they do on Meilisearch.
        keep: start.saturating_add(query.per_page).min(MAX_HITS),
        scored: query.sort == Sort::Relevance && !plan.is_empty(),
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

pub(super) fn documents(
    snapshot: &Snapshot,
    offset: usize,
    limit: usize,
) -> SearchResult<Vec<OfferingDocument>> {
    snapshot
        .by_id()
        .iter()
        .skip(offset)
        .take(limit)
        .map(|&(_, address)| snapshot.document(address))
        .collect()
}
