//! One pass over the documents the text matches computes everything a search returns: the
//! filters (as `SearchQuery::matches_filters` defines them), the total, the best `keep` hits in
//! the requested order, and the facet counts. A facet's counts ignore that facet's own filter,
//! so a document failing exactly one facet filter still counts towards that facet; one failing
//! two counts nowhere. That avoids a search per filtered facet.

use std::collections::{BTreeMap, BinaryHeap};
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader, TantivyError};

use super::table::{Row, SegmentTable};
use crate::document::FACETS;
use crate::query::{SearchQuery, Sort};

/// Orders hits: smaller is better. Ties fall to the id, so pages are stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct SortKey {
    /// Price sorts compare within a price model (`query::PRICE_GROUP`); 0 for other sorts.
    group: u8,
    /// Documents without the sorted attribute (no rating, price on request) come last.
    missing: bool,
    value: u64,
    id: u128,
}

impl SortKey {
    fn new(sort: Sort, row: &Row, score: Score) -> SortKey {
        let ascending = |value: Option<u64>| (value.is_none(), value.unwrap_or(0));
        let descending = |value: Option<u64>| ascending(value.map(|v| u64::MAX - v));
        let (missing, value) = match sort {
            Sort::Relevance => descending(Some(tantivy::f64_to_u64(f64::from(score)))),
            Sort::Rating => descending(row.rating_avg.map(tantivy::f64_to_u64)),
            Sort::PriceAsc => ascending(row.price_min_cents.map(tantivy::i64_to_u64)),
            Sort::PriceDesc => descending(row.price_min_cents.map(tantivy::i64_to_u64)),
            Sort::Newest => descending(Some(tantivy::i64_to_u64(row.published_at))),
            Sort::ReviewCount => descending(Some(tantivy::i64_to_u64(row.review_count))),
        };
        let group = match sort {
            Sort::PriceAsc | Sort::PriceDesc => row.price_group,
            _ => 0,
        };
        SortKey {
            group,
            missing,
            value,
            id: row.id,
        }
    }
}

/// What a search found, before the hits are loaded.
#[derive(Debug, Default)]
pub(super) struct Found {
    pub total: usize,
    /// The best `keep` hits, best first.
    pub top: Vec<(SortKey, DocAddress)>,
    /// Per facet param: code → count.
    pub facets: BTreeMap<String, BTreeMap<String, u64>>,
}

pub(super) struct Collect<'a> {
    /// By segment ordinal.
    pub tables: &'a [Arc<SegmentTable>],
    pub query: &'a SearchQuery,
    pub keep: usize,
    /// Only relevance needs scores; the other orders skip computing them.
    pub scored: bool,
}

impl Collector for Collect<'_> {
    type Fruit = Found;
    type Child = SegmentCollect;

    fn for_segment(
        &self,
        segment_ord: SegmentOrdinal,
        _segment: &SegmentReader,
    ) -> tantivy::Result<SegmentCollect> {
        let table = self
            .tables
            .get(segment_ord as usize)
            .cloned()
            .ok_or_else(|| TantivyError::InternalError("a segment without its table".into()))?;
        let query = self.query;
        let facet_masks = query
            .facets
            .iter()
            .map(|(field, wanted)| {
                let facet = FACETS.iter().position(|f| f.field == *field);
                (facet, table.mask(facet, wanted))
            })
            .collect();
        Ok(SegmentCollect {
            counts: vec![0; table.bit_count()],
            table,
            segment_ord,
            facet_masks,
            query: query.clone(),
            keep: self.keep,
            top: BinaryHeap::new(),
            total: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        self.scored
    }

    fn merge_fruits(&self, segments: Vec<Found>) -> tantivy::Result<Found> {
        let mut found = Found::default();
        for facet in FACETS {
            found.facets.insert(facet.param.to_owned(), BTreeMap::new());
        }
        for segment in segments {
            found.total += segment.total;
            found.top.extend(segment.top);
            for (param, counts) in segment.facets {
                let merged = found.facets.entry(param).or_default();
                for (code, count) in counts {
                    *merged.entry(code).or_default() += count;
                }
            }
        }
        found.top.sort_unstable();
        found.top.truncate(self.keep);
        Ok(found)
    }
}

pub(super) struct SegmentCollect {
    table: Arc<SegmentTable>,
    segment_ord: SegmentOrdinal,
    /// Per facet filter: the facet (`None` for a field no facet has) and the bits it accepts.
    facet_masks: Vec<(Option<usize>, Vec<u64>)>,
    query: SearchQuery,
    keep: usize,
    /// The best hits so far, the worst on top.
    top: BinaryHeap<(SortKey, DocId)>,
    total: usize,
    /// Per bit of the table.
    counts: Vec<u64>,
}

impl SegmentCollect {
    /// The filters that are not facets: every count needs them.
    fn passes_other_filters(&self, row: &Row) -> bool {
        self.query.matches_other_filters(
            &row.provider_id,
            row.evidence_rank,
            row.price_min_cents,
            row.rating_avg,
        )
    }
}

impl SegmentCollector for SegmentCollect {
    type Fruit = Found;

    fn collect(&mut self, doc: DocId, score: Score) {
        let row = &self.table.rows[doc as usize];
        if !self.passes_other_filters(row) {
            return;
        }
        let bits = self.table.bits(doc);
        let mut failed = None;
        for (filter, (_, mask)) in self.facet_masks.iter().enumerate() {
            if !bits
                .iter()
                .zip(mask)
                .any(|(held, wanted)| held & wanted != 0)
            {
                if failed.is_some() {
                    return;
                }
                failed = Some(filter);
            }
        }
        match failed {
            None => {
                self.total += 1;
                let key = SortKey::new(self.query.sort, row, score);
                offer(&mut self.top, self.keep, (key, doc));
                count(&mut self.counts, bits, None);
            }
            Some(filter) => {
                if let Some(facet) = self.facet_masks[filter].0 {
                    count(&mut self.counts, bits, Some(self.table.facet_bits(facet)));
                }
            }
        }
    }

    fn harvest(self) -> Found {
        let mut facets: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
        for (bit, &count) in self.counts.iter().enumerate() {
            if count > 0 {
                let (facet, code) = self.table.code(bit);
                facets
                    .entry(FACETS[facet].param.to_owned())
                    .or_default()
                    .insert(code.to_owned(), count);
            }
        }
        let top = self
            .top
            .into_iter()
            .map(|(key, doc)| (key, DocAddress::new(self.segment_ord, doc)))
            .collect();
        Found {
            total: self.total,
            top,
            facets,
        }
    }
}

/// Adds one to the count of every code the document holds (of one facet with `only`).
fn count(counts: &mut [u64], bits: &[u64], only: Option<&[u64]>) {
    for (word, &held) in bits.iter().enumerate() {
        let mut set = only.map_or(held, |only| held & only[word]);
        while set != 0 {
            counts[word * 64 + set.trailing_zeros() as usize] += 1;
            set &= set - 1;
        }
    }
}

/// Keeps a hit if it is among the best `keep` so far.
fn offer(top: &mut BinaryHeap<(SortKey, DocId)>, keep: usize, hit: (SortKey, DocId)) {
    if top.len() < keep {
        top.push(hit);
    } else if top.peek().is_some_and(|worst| hit.0 < worst.0) {
        top.pop();
        top.push(hit);
    }
}
