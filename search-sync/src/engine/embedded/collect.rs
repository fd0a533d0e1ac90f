//! One pass over the documents the text matches computes everything a search returns: the
//! filters (as `SearchQuery::matches_filters` defines them), the total, the best `keep` hits in
//! the requested order, and the facet counts. A facet's counts ignore that facet's own filter,
//! so a document failing exactly one facet filter still counts towards that facet; one failing
//! two counts nowhere. That avoids a search per filtered facet.

use std::collections::{BTreeMap, BinaryHeap};
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader, TantivyError};

use super::table::{NO_ORD, SegmentTable, decode};
use crate::kind::{Filter, IndexDescriptor, MAX_SORT_RULES, NumberType, SortRule};

/// Orders hits: smaller is better. Ties fall to the id, so pages are stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct SortKey {
    /// Per rule of the order (relevance: the score, descending): whether the document lacks the
    /// attribute (those come last) and the value, flipped for a descending rule.
    keys: [(bool, u64); MAX_SORT_RULES],
    id: u128,
}

impl SortKey {
    fn new(order: &Order, table: &SegmentTable, doc: DocId, score: Score) -> SortKey {
        let ascending = |value: Option<u64>| (value.is_none(), value.unwrap_or(0));
        let descending = |value: Option<u64>| ascending(value.map(|v| u64::MAX - v));
        let mut keys = [(false, 0); MAX_SORT_RULES];
        match order {
            Order::Relevance => {
                keys[0] = descending(Some(tantivy::f64_to_u64(f64::from(score))));
            }
            Order::Rules(rules) => {
                for (key, &(number, desc)) in keys.iter_mut().zip(rules) {
                    let value = number.and_then(|n| table.number(doc, n));
                    *key = if desc {
                        descending(value)
                    } else {
                        ascending(value)
                    };
                }
            }
        }
        SortKey {
            keys,
            id: table.ids[doc as usize],
        }
    }
}

/// A kind's order resolved against its descriptor, once per search.
#[derive(Debug, Clone)]
pub(super) enum Order {
    Relevance,
    /// Per rule: the number's position (`None`: a field that is no number, which every
    /// document lacks) and whether it descends.
    Rules(Vec<(Option<usize>, bool)>),
}

impl Order {
    pub fn new(descriptor: &IndexDescriptor, rules: &[SortRule]) -> Order {
        if rules.is_empty() {
            return Order::Relevance;
        }
        Order::Rules(
            rules
                .iter()
                .take(MAX_SORT_RULES)
                .map(|rule| (descriptor.number(rule.field), rule.descending))
                .collect(),
        )
    }
}

/// A filter that is not a facet, resolved against one segment's table.
enum Check {
    /// The keyword's ord is one of these (sorted).
    Keyword { keyword: usize, ords: Vec<u32> },
    /// The number is at least (or at most) the bound; a document without it fails.
    Bound {
        number: usize,
        ty: NumberType,
        bound: f64,
        at_least: bool,
    },
    /// A filter on an attribute the kind does not have: nothing passes.
    Never,
}

impl Check {
    fn new(descriptor: &IndexDescriptor, table: &SegmentTable, filter: &Filter) -> Check {
        let number = |field: &str| {
            descriptor
                .number(field)
                .map(|n| (n, descriptor.numbers[n].ty))
        };
        match filter {
            Filter::AnyOf { field, values } => {
                match descriptor.keywords.iter().position(|k| k == field) {
                    Some(keyword) => Check::Keyword {
                        keyword,
                        ords: table.keyword_ords(keyword, values),
                    },
                    None => Check::Never,
                }
            }
            Filter::AtLeast { field, value } | Filter::AtMost { field, value } => {
                match number(field) {
                    Some((number, ty)) => Check::Bound {
                        number,
                        ty,
                        bound: value.as_f64(),
                        at_least: matches!(filter, Filter::AtLeast { .. }),
                    },
                    None => Check::Never,
                }
            }
        }
    }

    #[inline]
    fn passes(&self, table: &SegmentTable, doc: DocId) -> bool {
        match self {
            Check::Keyword { keyword, ords } => {
                let ord = table.keyword(doc, *keyword);
                ord != NO_ORD && ords.binary_search(&ord).is_ok()
            }
            Check::Bound {
                number,
                ty,
                bound,
                at_least,
            } => table.number(doc, *number).is_some_and(|v| {
                let v = decode(*ty, v);
                if *at_least { v >= *bound } else { v <= *bound }
            }),
            Check::Never => false,
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
    pub descriptor: &'static IndexDescriptor,
    /// By segment ordinal.
    pub tables: &'a [Arc<SegmentTable>],
    /// Facet field → the codes of which a document must hold one.
    pub facets: &'a BTreeMap<&'static str, Vec<String>>,
    /// The kind's other filters.
    pub filters: &'a [Filter],
    pub order: &'a Order,
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
        let descriptor = self.descriptor;
        let facet_masks = self
            .facets
            .iter()
            .map(|(field, wanted)| {
                let facet = descriptor.facet(field);
                (facet, table.mask(facet, wanted))
            })
            .collect();
        let checks = self
            .filters
            .iter()
            .map(|filter| Check::new(descriptor, &table, filter))
            .collect();
        Ok(SegmentCollect {
            counts: vec![0; table.bit_count()],
            table,
            segment_ord,
            descriptor,
            facet_masks,
            checks,
            order: self.order.clone(),
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
        for facet in self.descriptor.facets {
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
    descriptor: &'static IndexDescriptor,
    /// Per facet filter: the facet (`None` for a field no facet has) and the bits it accepts.
    facet_masks: Vec<(Option<usize>, Vec<u64>)>,
    checks: Vec<Check>,
    order: Order,
    keep: usize,
    /// The best hits so far, the worst on top.
    top: BinaryHeap<(SortKey, DocId)>,
    total: usize,
    /// Per bit of the table.
    counts: Vec<u64>,
}

impl SegmentCollector for SegmentCollect {
    type Fruit = Found;

    fn collect(&mut self, doc: DocId, score: Score) {
        // The filters that are not facets: every count needs them.
        if !self
            .checks
            .iter()
            .all(|check| check.passes(&self.table, doc))
        {
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
                let key = SortKey::new(&self.order, &self.table, doc, score);
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
                    .entry(self.descriptor.facets[facet].param.to_owned())
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
