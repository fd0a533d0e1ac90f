//! The tantivy schema, derived from `OfferingDocument` and the settings: each searchable
//! attribute twice, stemmed (so `trainingen` finds `training`) and as the words were written
//! (for typos and prefixes, see `text`), the facet codes and provider id as raw tokens with fast
//! columns (filters and counts read those), the sort and range attributes as numeric fast fields,
//! and the whole document as stored JSON so a hit comes back exactly as it was indexed.

use tantivy::TantivyDocument;
use tantivy::schema::{
    FAST, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer, TextAnalyzerBuilder,
};

use super::OrEngine;
use crate::document::{FACETS, OfferingDocument};
use crate::error::{SearchError, SearchResult};
use crate::settings;

/// The names the Dutch analysers are registered under in every index's tokenizer manager.
pub(super) const DUTCH: &str = "dutch";
pub(super) const DUTCH_WORDS: &str = "dutch_words";

pub(super) const ID: &str = "id";
pub(super) const PROVIDER_ID: &str = "provider_id";
pub(super) const EVIDENCE_RANK: &str = "evidence_rank";
pub(super) const PRICE_MIN_CENTS: &str = "price_min_cents";
pub(super) const RATING_AVG: &str = "rating_avg";
pub(super) const PUBLISHED_AT: &str = "published_at";
pub(super) const REVIEW_COUNT: &str = "review_count";
const DOCUMENT: &str = "document";

/// Longer tokens are noise (pasted links, base64) and would only bloat the term dictionary.
const LONGEST_TOKEN: usize = 40;

/// A searchable attribute's two fields.
#[derive(Debug, Clone, Copy)]
pub(super) struct Searchable {
    pub stems: Field,
    pub words: Field,
    pub boost: f32,
}

#[derive(Clone)]
pub(super) struct IndexSchema {
    pub schema: Schema,
    pub id: Field,
    /// In `settings::SEARCHABLE` order.
    pub text: Vec<Searchable>,
    /// In `FACETS` order.
    facets: Vec<Field>,
    provider_id: Field,
    evidence_rank: Field,
    price_min_cents: Field,
    rating_avg: Field,
    published_at: Field,
    review_count: Field,
    pub document: Field,
}

impl IndexSchema {
    pub fn new() -> IndexSchema {
        let mut builder = Schema::builder();
        // Positions for the phrases multi-word synonyms expand to, which match stems.
        let stems = analysed(DUTCH, IndexRecordOption::WithFreqsAndPositions);
        let words = analysed(DUTCH_WORDS, IndexRecordOption::WithFreqs);
        let id = builder.add_text_field(ID, STRING | FAST);
        let text = settings::SEARCHABLE
            .iter()
            .map(|&(name, boost)| Searchable {
                stems: builder.add_text_field(name, stems.clone()),
                words: builder.add_text_field(&format!("{name}_words"), words.clone()),
                boost,
            })
            .collect();
        let facets = FACETS
            .iter()
            .map(|facet| builder.add_text_field(facet.field, STRING | FAST))
            .collect();
        let provider_id = builder.add_text_field(PROVIDER_ID, STRING | FAST);
        let evidence_rank = builder.add_u64_field(EVIDENCE_RANK, FAST);
        let price_min_cents = builder.add_i64_field(PRICE_MIN_CENTS, FAST);
        let rating_avg = builder.add_f64_field(RATING_AVG, FAST);
        let published_at = builder.add_i64_field(PUBLISHED_AT, FAST);
        let review_count = builder.add_i64_field(REVIEW_COUNT, FAST);
        let document = builder.add_text_field(DOCUMENT, STORED);
        IndexSchema {
            schema: builder.build(),
            id,
            text,
            facets,
            provider_id,
            evidence_rank,
            price_min_cents,
            rating_avg,
            published_at,
            review_count,
            document,
        }
    }

    pub fn to_tantivy(&self, doc: &OfferingDocument) -> SearchResult<TantivyDocument> {
        // The searchable attributes are read by name from the serialised document, so the
        // settings stay the one list of what is searched.
        let json = serde_json::to_value(doc).or_engine("serialising a document")?;
        let mut out = TantivyDocument::default();
        out.add_text(self.id, doc.id.to_string());
        for (&(name, _), field) in settings::SEARCHABLE.iter().zip(&self.text) {
            let texts: Vec<&str> = match &json[name] {
                serde_json::Value::String(text) => vec![text],
                serde_json::Value::Array(values) => values
                    .iter()
                    .filter_map(serde_json::Value::as_str)
                    .collect(),
                _ => {
                    return Err(SearchError::Engine(format!(
                        "searchable attribute {name} is not text in OfferingDocument"
                    )));
                }
            };
            for text in texts {
                out.add_text(field.stems, text);
                out.add_text(field.words, text);
            }
        }
        for (facet, &field) in FACETS.iter().zip(&self.facets) {
            for code in doc.facet_values(facet.field) {
                out.add_text(field, code);
            }
        }
        out.add_text(self.provider_id, doc.provider_id.to_string());
        out.add_u64(self.evidence_rank, u64::from(doc.evidence_rank));
        if let Some(price) = doc.price_min_cents {
            out.add_i64(self.price_min_cents, price);
        }
        if let Some(rating) = doc.rating_avg {
            out.add_f64(self.rating_avg, rating);
        }
        out.add_i64(self.published_at, doc.published_at);
        out.add_i64(self.review_count, doc.review_count);
        out.add_text(self.document, json.to_string());
        Ok(out)
    }
}

fn analysed(tokenizer: &str, record: IndexRecordOption) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(record),
    )
}

/// Words as written: split on anything not a letter or digit, lower
/// case, accents folded (`coördinatie` finds `coordinatie`), Dutch stop words removed.
pub(super) fn dutch_words() -> TextAnalyzer {
    words().build()
}

/// `dutch_words` stemmed, so `trainingen` finds `training`.
pub(super) fn dutch() -> TextAnalyzer {
    words()
        .filter_dynamic(Stemmer::new(Language::Dutch))
        .build()
}

fn words() -> TextAnalyzerBuilder {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST_TOKEN))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(StopWordFilter::remove(
            settings::stop_words().into_iter().map(str::to_owned),
        ))
        .dynamic()
}
