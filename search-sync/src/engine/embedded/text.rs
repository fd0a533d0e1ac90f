//! The text part of a search, as Meilisearch treats it: every query word must match (in any
//! searchable field); a word matches itself, its stem, words within its typos
//! (`settings::typos_allowed`) and, for the word still being typed, words it begins; a word or
//! run of words that is a synonym term also matches the group's other terms (several words as
//! a phrase). Synonyms are looked up on the words as written, and one-word synonyms matched as
//! written, as Meilisearch (which does not stem) does: the Dutch stemmer makes `scholing` and
//! `school` one stem, so a search for `school` found all professional development. Variants are looked up in the term dictionaries and searched as ordinary terms, so
//! BM25 scores them like the word as typed, only lower.
//!
//! Typos and prefixes are matched against the words as written, not their stems: the Dutch
//! stemmer also strips prefixes (`begeleiding` → `beleid`, `gedrag` → `drag`), so `begel`, typed
//! on the way to `begeleiding`, begins no stem. And as stems conflate more than people do
//! (`beleid` is a stem of `begeleiding`), the word as typed outranks a stem-only match.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, FuzzyTermQuery, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, Term};

use super::OrEngine;
use super::schema::{self, Searchable};
use crate::error::SearchResult;
use crate::settings;

/// Meilisearch reads at most ten words of a query; so do we, which bounds a search's cost.
const MAX_WORDS: usize = 10;
/// Typo and prefix variants per word and field, most frequent first: a short prefix would
/// otherwise pull in much of the dictionary.
const MAX_VARIANTS: usize = 30;
/// Relative to the word as typed.
const STEM_WEIGHT: f32 = 0.8;
const SYNONYM_WEIGHT: f32 = 0.8;
const VARIANT_WEIGHT: f32 = 0.5;

/// Analysed terms with their positions (gaps where stop words were).
type Phrase = Vec<(usize, String)>;

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Word {
    /// Lower case, accents folded.
    pub typed: String,
    pub stem: String,
    pub typos: u8,
    pub prefix: bool,
}

/// Words that must all match, or else one of the synonyms of the run they form.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Unit {
    pub words: Vec<Word>,
    pub synonyms: Vec<Phrase>,
}

pub(super) struct Dutch {
    words: TextAnalyzer,
    stems: TextAnalyzer,
    /// Synonym term as words (lower case, accents folded) → the terms it also finds: one word
    /// as written, several as a phrase of stems.
    synonyms: BTreeMap<Vec<String>, BTreeSet<Phrase>>,
    longest_synonym: usize,
}

impl Dutch {
    pub fn new() -> Dutch {
        let mut dutch = Dutch {
            words: schema::dutch_words(),
            stems: schema::dutch(),
            synonyms: BTreeMap::new(),
            longest_synonym: 0,
        };
        let mut synonyms: BTreeMap<Vec<String>, BTreeSet<Phrase>> = BTreeMap::new();
        for (term, others) in settings::synonyms() {
            let key: Vec<String> = dutch.words(&term).into_iter().map(|(_, t)| t).collect();
            if key.is_empty() {
                continue;
            }
            let alternatives = synonyms.entry(key.clone()).or_default();
            for other in others {
                let words = dutch.words(&other);
                // `ib'er` analyses to `ib`: the same term, nothing to add.
                if words.is_empty() || words.iter().map(|(_, t)| t).eq(key.iter()) {
                    continue;
                }
                // One word is matched as written; several as a phrase of stems, as only the
                // stem fields keep positions (a phrase of stems conflates little).
                alternatives.insert(if words.len() == 1 {
                    words
                } else {
                    dutch.analyse(&other)
                });
            }
        }
        dutch.longest_synonym = synonyms.keys().map(Vec::len).max().unwrap_or(0);
        dutch.synonyms = synonyms;
        dutch
    }

    /// The stemmed terms of `text` with their positions.
    fn analyse(&self, text: &str) -> Phrase {
        Dutch::tokens(&self.stems, text)
    }

    /// The words of `text` (not stemmed) with their positions.
    fn words(&self, text: &str) -> Phrase {
        Dutch::tokens(&self.words, text)
    }

    fn tokens(analyser: &TextAnalyzer, text: &str) -> Phrase {
        let mut analyser = analyser.clone();
        let mut stream = analyser.token_stream(text);
        let mut phrase = Vec::new();
        while let Some(token) = stream.next() {
            phrase.push((token.position, token.text.clone()));
        }
        phrase
    }

    /// The query's units, in order. No unit means the query matches every document.
    pub fn plan(&self, q: &str) -> Vec<Unit> {
        let mut analyser = self.words.clone();
        let mut stream = analyser.token_stream(q);
        let mut typed = Vec::new();
        let mut cut = false;
        while let Some(token) = stream.next() {
            if typed.len() == MAX_WORDS {
                cut = true;
                break;
            }
            typed.push(token.text.clone());
        }
        // A query not ending in a space is still being typed: its last word may be a prefix.
        let typing = !cut && !q.ends_with(char::is_whitespace);
        let words: Vec<Word> = typed
            .iter()
            .enumerate()
            .map(|(i, word)| Word {
                typed: word.clone(),
                stem: self
                    .analyse(word)
                    .pop()
                    .map_or_else(|| word.clone(), |(_, stem)| stem),
                typos: settings::typos_allowed(word),
                prefix: typing && i + 1 == typed.len(),
            })
            .collect();
        let mut units = Vec::new();
        let mut start = 0;
        while start < words.len() {
            // The longest run of words from here that is a synonym term.
            let longest = self.longest_synonym.min(words.len() - start);
            let (len, synonyms) = (1..=longest)
                .rev()
                .find_map(|len| {
                    let run = &typed[start..start + len];
                    self.synonyms
                        .get(run)
                        .map(|s| (len, s.iter().cloned().collect()))
                })
                .unwrap_or((1, Vec::new()));
            units.push(Unit {
                words: words[start..start + len].to_vec(),
                synonyms,
            });
            start += len;
        }
        units
    }
}

/// The tantivy query of a plan over the searchable fields.
pub(super) fn to_query(
    units: &[Unit],
    searcher: &Searcher,
    fields: &[Searchable],
) -> SearchResult<Box<dyn Query>> {
    if units.is_empty() {
        return Ok(Box::new(AllQuery));
    }
    let units = units
        .iter()
        .map(|unit| unit_query(unit, searcher, fields))
        .collect::<SearchResult<Vec<_>>>()?;
    Ok(all_of(units))
}

fn unit_query(
    unit: &Unit,
    searcher: &Searcher,
    fields: &[Searchable],
) -> SearchResult<Box<dyn Query>> {
    let words = unit
        .words
        .iter()
        .map(|word| word_query(word, searcher, fields))
        .collect::<SearchResult<Vec<_>>>()?;
    let mut alternatives = vec![all_of(words)];
    for phrase in &unit.synonyms {
        for field in fields {
            let phrase = match phrase.len() {
                1 => phrase_query(field.words, phrase),
                _ => phrase_query(field.stems, phrase),
            };
            alternatives.push(boosted(phrase, field.boost * SYNONYM_WEIGHT));
        }
    }
    Ok(any_of(alternatives))
}

fn word_query(
    word: &Word,
    searcher: &Searcher,
    fields: &[Searchable],
) -> SearchResult<Box<dyn Query>> {
    let mut alternatives = Vec::new();
    for field in fields {
        let typed = Term::from_field_text(field.words, &word.typed);
        alternatives.push(boosted(term_query(typed), field.boost));
        let stem = Term::from_field_text(field.stems, &word.stem);
        alternatives.push(boosted(term_query(stem), field.boost * STEM_WEIGHT));
        for variant in variants(word, searcher, field.words)? {
            let term = Term::from_field_text(field.words, &variant);
            alternatives.push(boosted(term_query(term), field.boost * VARIANT_WEIGHT));
        }
    }
    Ok(any_of(alternatives))
}

/// The words of `field` within the word's typos (as a prefix while it is typed), the word
/// itself excluded.
fn variants(word: &Word, searcher: &Searcher, field: Field) -> SearchResult<Vec<String>> {
    if word.typos == 0 && !word.prefix {
        return Ok(Vec::new());
    }
    let typed = Term::from_field_text(field, &word.typed);
    let fuzzy = if word.prefix {
        FuzzyTermQuery::new_prefix(typed, word.typos, true)
    } else {
        FuzzyTermQuery::new(typed, word.typos, true)
    };
    let automaton = fuzzy.automaton().or_engine("building a typo automaton")?;
    let mut found: HashMap<Vec<u8>, u64> = HashMap::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field).or_engine("opening terms")?;
        let mut terms = inverted
            .terms()
            .search(&automaton)
            .into_stream()
            .or_engine("reading terms")?;
        while terms.advance() {
            *found.entry(terms.key().to_vec()).or_default() += u64::from(terms.value().doc_freq);
        }
    }
    found.remove(word.typed.as_bytes());
    let mut found: Vec<(Vec<u8>, u64)> = found.into_iter().collect();
    found.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(found
        .into_iter()
        .take(MAX_VARIANTS)
        .filter_map(|(term, _)| String::from_utf8(term).ok())
        .collect())
}

fn phrase_query(field: Field, phrase: &Phrase) -> Box<dyn Query> {
    match phrase.as_slice() {
        [(_, single)] => term_query(Term::from_field_text(field, single)),
        _ => Box::new(PhraseQuery::new_with_offset(
            phrase
                .iter()
                .map(|(position, text)| (*position, Term::from_field_text(field, text)))
                .collect(),
        )),
    }
}

fn term_query(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
}

fn boosted(query: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(query, boost))
}

fn all_of(mut queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    match queries.len() {
        1 => queries.remove(0),
        _ => Box::new(BooleanQuery::intersection(queries)),
    }
}

fn any_of(mut queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    match queries.len() {
        1 => queries.remove(0),
        _ => Box::new(BooleanQuery::union(queries)),
    }
}
