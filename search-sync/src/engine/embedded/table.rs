//! What filters, facet counts and sorting read of every document, decoded once per segment from
//! the fast fields into plain arrays. Segments never change after they are written (deletes only
//! hide documents), so a table is built when a segment first appears and shared by every search
//! after; reading the columns per search would cost a dictionary lookup per value and per hit.
//!
//! Facet codes are few (about a hundred across all facets), so a document's codes are a bitset:
//! a filter is one AND per word, and counting walks the set bits.

use std::str::FromStr;

use tantivy::SegmentReader;
use tantivy::columnar::StrColumn;
use uuid::Uuid;

use super::OrEngine;
use super::schema;
use crate::document::FACETS;
use crate::error::SearchResult;
use crate::query::price_group;

/// The single-valued attributes of one document.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Row {
    pub id: u128,
    pub provider_id: Uuid,
    pub evidence_rank: u8,
    pub price_min_cents: Option<i64>,
    /// `query::price_group` of the price model: what a price sort orders by first.
    pub price_group: u8,
    pub rating_avg: Option<f64>,
    pub published_at: i64,
    pub review_count: i64,
}

pub(super) struct SegmentTable {
    pub rows: Vec<Row>,
    /// u64 words per document in `bits`.
    pub words: usize,
    bits: Vec<u64>,
    /// Per bit: the facet (position in `FACETS`) and the code.
    codes: Vec<(usize, String)>,
    /// Per facet: the bits of its codes.
    facet_bits: Vec<Vec<u64>>,
}

impl SegmentTable {
    pub fn build(segment: &SegmentReader) -> SearchResult<SegmentTable> {
        let docs = segment.max_doc();
        let fast = segment.fast_fields();
        let mut codes = Vec::new();
        let mut columns = Vec::new();
        for (facet, spec) in FACETS.iter().enumerate() {
            // A segment in which no document holds a code of the facet has no column for it.
            if let Some(column) = fast.str(spec.field).or_engine("reading a facet column")? {
                columns.push((codes.len(), column.clone()));
                codes.extend(terms(&column)?.into_iter().map(|code| (facet, code)));
            }
        }
        let words = codes.len().div_ceil(64).max(1);
        let mut bits = vec![0_u64; docs as usize * words];
        for (first_bit, column) in &columns {
            for doc in 0..docs {
                for ord in column.term_ords(doc) {
                    set(&mut bits[doc as usize * words..], *first_bit + ord as usize);
                }
            }
        }
        let mut facet_bits = vec![vec![0_u64; words]; FACETS.len()];
        for (bit, (facet, _)) in codes.iter().enumerate() {
            set(&mut facet_bits[*facet], bit);
        }

        let ids = uuid_column(segment, schema::ID)?;
        let id_terms = parse_uuids(ids.as_ref())?;
        let provider_column = uuid_column(segment, schema::PROVIDER_ID)?;
        let providers = parse_uuids(provider_column.as_ref())?;
        let evidence = fast
            .u64(schema::EVIDENCE_RANK)
            .or_engine("evidence column")?;
        let price = fast
            .i64(schema::PRICE_MIN_CENTS)
            .or_engine("price column")?;
        // The price model is a facet column; its group is looked up once per code, not per row.
        let models = fast.str("price_model").or_engine("price model column")?;
        let groups: Vec<u8> = models
            .as_ref()
            .map_or(Ok(Vec::new()), terms)?
            .iter()
            .map(|code| price_group(code))
            .collect();
        let rating = fast.f64(schema::RATING_AVG).or_engine("rating column")?;
        let published = fast
            .i64(schema::PUBLISHED_AT)
            .or_engine("published column")?;
        let reviews = fast.i64(schema::REVIEW_COUNT).or_engine("review column")?;
        let first_ord = |column: &Option<StrColumn>, doc| {
            column
                .as_ref()
                .and_then(|c| c.term_ords(doc).next())
                .unwrap_or(0) as usize
        };
        let rows = (0..docs)
            .map(|doc| Row {
                id: id_terms
                    .get(first_ord(&ids, doc))
                    .map_or(0, |id| id.as_u128()),
                provider_id: providers
                    .get(first_ord(&provider_column, doc))
                    .copied()
                    .unwrap_or_default(),
                evidence_rank: u8::try_from(evidence.first(doc).unwrap_or(0)).unwrap_or(u8::MAX),
                price_min_cents: price.first(doc),
                price_group: groups
                    .get(first_ord(&models, doc))
                    .copied()
                    .unwrap_or(u8::MAX),
                rating_avg: rating.first(doc),
                published_at: published.first(doc).unwrap_or(0),
                review_count: reviews.first(doc).unwrap_or(0),
            })
            .collect();
        Ok(SegmentTable {
            rows,
            words,
            bits,
            codes,
            facet_bits,
        })
    }

    /// The document's codes as a bitset of `words` words.
    pub fn bits(&self, doc: u32) -> &[u64] {
        let start = doc as usize * self.words;
        &self.bits[start..start + self.words]
    }

    /// The bits of the given codes of a facet; `facet` is `None` for a field no facet has, which
    /// no document holds.
    pub fn mask(&self, facet: Option<usize>, wanted: &[String]) -> Vec<u64> {
        let mut mask = vec![0_u64; self.words];
        for (bit, (of, code)) in self.codes.iter().enumerate() {
            if Some(*of) == facet && wanted.contains(code) {
                set(&mut mask, bit);
            }
        }
        mask
    }

    pub fn facet_bits(&self, facet: usize) -> &[u64] {
        &self.facet_bits[facet]
    }

    /// The facet and code a bit stands for.
    pub fn code(&self, bit: usize) -> (usize, &str) {
        let (facet, code) = &self.codes[bit];
        (*facet, code)
    }

    pub fn bit_count(&self) -> usize {
        self.codes.len()
    }
}

fn set(bits: &mut [u64], bit: usize) {
    bits[bit / 64] |= 1 << (bit % 64);
}

fn terms(column: &StrColumn) -> SearchResult<Vec<String>> {
    let mut stream = column.dictionary().stream().or_engine("reading codes")?;
    let mut terms = Vec::with_capacity(column.num_terms());
    while stream.advance() {
        terms.push(String::from_utf8_lossy(stream.key()).into_owned());
    }
    Ok(terms)
}

fn uuid_column(segment: &SegmentReader, name: &str) -> SearchResult<Option<StrColumn>> {
    segment
        .fast_fields()
        .str(name)
        .or_engine("reading an id column")
}

fn parse_uuids(column: Option<&StrColumn>) -> SearchResult<Vec<Uuid>> {
    column.map_or(Ok(Vec::new()), |column| {
        terms(column)?
            .iter()
            .map(|term| Uuid::from_str(term).or_engine("an id in the index"))
            .collect()
    })
}
