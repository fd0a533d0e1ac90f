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
use crate::error::{SearchError, SearchResult};
use crate::kind::{IndexDescriptor, NumberType, Source};

/// A document without a value for a keyword.
pub(super) const NO_ORD: u32 = u32::MAX;

pub(super) struct SegmentTable {
    /// Per document: its id.
    pub ids: Vec<u128>,
    /// u64 words per document in `bits`.
    pub words: usize,
    bits: Vec<u64>,
    /// Per bit: the facet (position in the descriptor's facets) and the code.
    codes: Vec<(usize, String)>,
    /// Per facet: the bits of its codes.
    facet_bits: Vec<Vec<u64>>,
    /// Per keyword: its values in the segment, sorted (a value's position is its ord).
    keyword_terms: Vec<Vec<String>>,
    /// Per document, per keyword: the ord of its value, or `NO_ORD`.
    keyword_ords: Vec<u32>,
    /// Per document, per number: the value in tantivy's order-preserving u64 encoding.
    numbers: Vec<u64>,
    /// Per document: bit `n` is set when it has number `n`.
    present: Vec<u64>,
    number_count: usize,
}

impl SegmentTable {
    pub fn build(
        segment: &SegmentReader,
        descriptor: &IndexDescriptor,
    ) -> SearchResult<SegmentTable> {
        let docs = segment.max_doc() as usize;
        let fast = segment.fast_fields();
        let mut codes = Vec::new();
        let mut columns = Vec::new();
        for (facet, spec) in descriptor.facets.iter().enumerate() {
            // A segment in which no document holds a code of the facet has no column for it.
            if let Some(column) = fast.str(spec.field).or_engine("reading a facet column")? {
                columns.push((codes.len(), column.clone()));
                codes.extend(terms(&column)?.into_iter().map(|code| (facet, code)));
            }
        }
        let words = codes.len().div_ceil(64).max(1);
        let mut bits = vec![0_u64; docs * words];
        for (first_bit, column) in &columns {
            for doc in 0..docs {
                for ord in column.term_ords(doc as u32) {
                    set(&mut bits[doc * words..], *first_bit + ord as usize);
                }
            }
        }
        let mut facet_bits = vec![vec![0_u64; words]; descriptor.facets.len()];
        for (bit, (facet, _)) in codes.iter().enumerate() {
            set(&mut facet_bits[*facet], bit);
        }

        let id_column = str_column(segment, schema::ID)?;
        let id_terms = parse_uuids(id_column.as_ref())?;
        let ids = (0..docs)
            .map(|doc| {
                id_terms
                    .get(first_ord(&id_column, doc) as usize)
                    .map_or(0, |id| id.as_u128())
            })
            .collect();

        let keyword_count = descriptor.keywords.len();
        let mut keyword_terms = Vec::with_capacity(keyword_count);
        let mut keyword_ords = vec![NO_ORD; docs * keyword_count];
        for (k, name) in descriptor.keywords.iter().enumerate() {
            let column = str_column(segment, name)?;
            keyword_terms.push(column.as_ref().map_or(Ok(Vec::new()), terms)?);
            for doc in 0..docs {
                keyword_ords[doc * keyword_count + k] = first_ord(&column, doc);
            }
        }

        let number_count = descriptor.numbers.len();
        if number_count > 64 {
            return Err(SearchError::Engine(format!(
                "the {} index has more than 64 numbers",
                descriptor.name
            )));
        }
        let mut numbers = vec![0_u64; docs * number_count];
        let mut present = vec![0_u64; docs];
        for (n, number) in descriptor.numbers.iter().enumerate() {
            let mut put = |doc: usize, value: Option<u64>| {
                if let Some(value) = value {
                    numbers[doc * number_count + n] = value;
                    present[doc] |= 1 << n;
                }
            };
            match number.source {
                // A code's rank is computed once per code of the segment, not per document.
                Source::RankOf { facet, rank } => {
                    let column = str_column(segment, facet)?;
                    let ranks: Vec<u64> = column
                        .as_ref()
                        .map_or(Ok(Vec::new()), terms)?
                        .iter()
                        .map(|code| rank(code))
                        .collect();
                    let none = rank("");
                    for doc in 0..docs {
                        let ord = first_ord(&column, doc);
                        put(doc, Some(ranks.get(ord as usize).copied().unwrap_or(none)));
                    }
                }
                Source::Document => match number.ty {
                    NumberType::U64 => {
                        let column = fast.u64(number.field).or_engine("a number column")?;
                        (0..docs).for_each(|doc| put(doc, column.first(doc as u32)));
                    }
                    NumberType::I64 => {
                        let column = fast.i64(number.field).or_engine("a number column")?;
                        (0..docs).for_each(|doc| {
                            put(doc, column.first(doc as u32).map(tantivy::i64_to_u64));
                        });
                    }
                    NumberType::F64 => {
                        let column = fast.f64(number.field).or_engine("a number column")?;
                        (0..docs).for_each(|doc| {
                            put(doc, column.first(doc as u32).map(tantivy::f64_to_u64));
                        });
                    }
                },
            }
        }
        Ok(SegmentTable {
            ids,
            words,
            bits,
            codes,
            facet_bits,
            keyword_terms,
            keyword_ords,
            numbers,
            present,
            number_count,
        })
    }

    /// Number `n` of the document, encoded (see `decode`).
    #[inline]
    pub fn number(&self, doc: u32, n: usize) -> Option<u64> {
        let doc = doc as usize;
        (self.present[doc] & (1 << n) != 0).then(|| self.numbers[doc * self.number_count + n])
    }

    /// The ord of the document's value of keyword `k` (`NO_ORD` without one).
    #[inline]
    pub fn keyword(&self, doc: u32, k: usize) -> u32 {
        self.keyword_ords[doc as usize * self.keyword_terms.len() + k]
    }

    /// The ords of the given values of keyword `k` in this segment, sorted.
    pub fn keyword_ords(&self, k: usize, values: &[String]) -> Vec<u32> {
        let terms = &self.keyword_terms[k];
        let mut ords: Vec<u32> = values
            .iter()
            .filter_map(|v| terms.binary_search(v).ok())
            .filter_map(|ord| u32::try_from(ord).ok())
            .collect();
        ords.sort_unstable();
        ords.dedup();
        ords
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

fn str_column(segment: &SegmentReader, name: &str) -> SearchResult<Option<StrColumn>> {
    segment
        .fast_fields()
        .str(name)
        .or_engine("reading a text column")
}

fn first_ord(column: &Option<StrColumn>, doc: usize) -> u32 {
    column
        .as_ref()
        .and_then(|c| c.term_ords(doc as u32).next())
        .and_then(|ord| u32::try_from(ord).ok())
        .unwrap_or(NO_ORD)
}

/// A number's value for comparison with a filter's bound.
pub(super) fn decode(ty: NumberType, value: u64) -> f64 {
    match ty {
        NumberType::U64 => value as f64,
        NumberType::I64 => tantivy::u64_to_i64(value) as f64,
        NumberType::F64 => tantivy::u64_to_f64(value),
    }
}

fn parse_uuids(column: Option<&StrColumn>) -> SearchResult<Vec<Uuid>> {
    column.map_or(Ok(Vec::new()), |column| {
        terms(column)?
            .iter()
            .map(|term| Uuid::from_str(term).or_engine("an id in the index"))
            .collect()
    })
}
