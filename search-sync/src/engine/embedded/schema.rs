//! The tantivy schema of an index kind, derived from its descriptor: each searchable attribute
//! twice, stemmed (so `trainingen` finds `training`) and as the words were written (for typos
//! and prefixes, see `text`), the facet codes and keywords (ids) as raw tokens with fast columns
//! (filters and counts read those), the numbers as numeric fast fields, and the whole document
//! as stored JSON so a hit comes back exactly as it was indexed. Field names and order follow
//! the descriptor, so an index written before kinds existed keeps its schema.

use tantivy::TantivyDocument;
use tantivy::schema::{
    FAST, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer, TextAnalyzerBuilder,
};
use uuid::Uuid;

use crate::error::{SearchError, SearchResult};
use crate::kind::{IndexDescriptor, NumberType, Source};
use crate::query::codes;
use crate::settings;

/// The names the Dutch analysers are registered under in every index's tokenizer manager.
pub(super) const DUTCH: &str = "dutch";
pub(super) const DUTCH_WORDS: &str = "dutch_words";

pub(super) const ID: &str = "id";
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

pub(super) struct IndexSchema {
    pub descriptor: &'static IndexDescriptor,
    pub schema: Schema,
    pub id: Field,
    /// In the descriptor's `searchable` order.
    pub text: Vec<Searchable>,
    /// In the descriptor's `facets` order.
    facets: Vec<Field>,
    /// In the descriptor's `keywords` order.
    keywords: Vec<Field>,
    /// In the descriptor's `numbers` order; `None` for numbers derived from a facet column.
    numbers: Vec<Option<Field>>,
    pub document: Field,
}

impl IndexSchema {
    pub fn new(descriptor: &'static IndexDescriptor) -> IndexSchema {
        let mut builder = Schema::builder();
        // Positions for the phrases multi-word synonyms expand to, which match stems.
        let stems = analysed(DUTCH, IndexRecordOption::WithFreqsAndPositions);
        let words = analysed(DUTCH_WORDS, IndexRecordOption::WithFreqs);
        let id = builder.add_text_field(ID, STRING | FAST);
        let text = descriptor
            .searchable
            .iter()
            .map(|&(name, boost)| Searchable {
                stems: builder.add_text_field(name, stems.clone()),
                words: builder.add_text_field(&format!("{name}_words"), words.clone()),
                boost,
            })
            .collect();
        let facets = descriptor
            .facets
            .iter()
            .map(|facet| builder.add_text_field(facet.field, STRING | FAST))
            .collect();
        let keywords = descriptor
            .keywords
            .iter()
            .map(|name| builder.add_text_field(name, STRING | FAST))
            .collect();
        let numbers = descriptor
            .numbers
            .iter()
            .map(|number| match (number.source, number.ty) {
                (Source::RankOf { .. }, _) => None,
                (Source::Document, NumberType::U64) => {
                    Some(builder.add_u64_field(number.field, FAST))
                }
                (Source::Document, NumberType::I64) => {
                    Some(builder.add_i64_field(number.field, FAST))
                }
                (Source::Document, NumberType::F64) => {
                    Some(builder.add_f64_field(number.field, FAST))
                }
            })
            .collect();
        let document = builder.add_text_field(DOCUMENT, STORED);
        IndexSchema {
            descriptor,
            schema: builder.build(),
            id,
            text,
            facets,
            keywords,
            numbers,
            document,
        }
    }

    /// The tantivy document of a document read as JSON: every attribute is read by name, so the
    /// descriptor stays the one list of what is searched, filtered and sorted.
    pub fn to_tantivy(&self, id: Uuid, json: &serde_json::Value) -> SearchResult<TantivyDocument> {
        let descriptor = self.descriptor;
        let mut out = TantivyDocument::default();
        out.add_text(self.id, id.to_string());
        for (&(name, _), field) in descriptor.searchable.iter().zip(&self.text) {
            let texts = match &json[name] {
                value @ (serde_json::Value::String(_) | serde_json::Value::Array(_)) => {
                    codes(value)
                }
                _ => {
                    return Err(SearchError::Engine(format!(
                        "searchable attribute {name} is not text in the {} document",
                        descriptor.name
                    )));
                }
            };
            for text in texts {
                out.add_text(field.stems, text);
                out.add_text(field.words, text);
            }
        }
        for (facet, &field) in descriptor.facets.iter().zip(&self.facets) {
            for code in codes(&json[facet.field]) {
                out.add_text(field, code);
            }
        }
        for (&name, &field) in descriptor.keywords.iter().zip(&self.keywords) {
            if let Some(value) = json[name].as_str() {
                out.add_text(field, value);
            }
        }
        for (number, field) in descriptor.numbers.iter().zip(&self.numbers) {
            let (Some(field), value) = (field, &json[number.field]) else {
                continue;
            };
            match number.ty {
                NumberType::U64 => value.as_u64().map(|v| out.add_u64(*field, v)),
                NumberType::I64 => value.as_i64().map(|v| out.add_i64(*field, v)),
                NumberType::F64 => value.as_f64().map(|v| out.add_f64(*field, v)),
            };
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::OFFERINGS;

    /// The offerings schema is the one indexes were written with before kinds existed, field
    /// for field, so an index on disk opens after the upgrade without a reindex.
    #[test]
    fn the_offerings_schema_is_unchanged() {
        let schema = IndexSchema::new(&OFFERINGS);
        let fields: Vec<(&str, String)> = schema
            .schema
            .fields()
            .map(|(_, entry)| {
                (
                    entry.name(),
                    format!("{:?}", entry.field_type().value_type()),
                )
            })
            .collect();
        let text = [
            "title",
            "service_type_label",
            "keywords",
            "summary",
            "provider_name",
            "domain_label",
            "description",
        ];
        let mut expected: Vec<(String, &str)> = vec![("id".into(), "Str")];
        for name in text {
            expected.push((name.into(), "Str"));
            expected.push((format!("{name}_words"), "Str"));
        }
        for facet in [
            "domain",
            "service_type",
            "sectors",
            "regions",
            "formats",
            "delivery",
            "duration",
            "co_creation_phases",
            "themes",
            "evidence_level",
            "price_model",
            "provider_kind",
            "provider_id",
        ] {
            expected.push((facet.into(), "Str"));
        }
        expected.extend([
            ("evidence_rank".into(), "U64"),
            ("price_min_cents".into(), "I64"),
            ("rating_avg".into(), "F64"),
            ("published_at".into(), "I64"),
            ("review_count".into(), "I64"),
            ("rating_score".into(), "F64"),
            ("document".into(), "Str"),
        ]);
        let expected: Vec<(&str, String)> = expected
            .iter()
            .map(|(name, ty)| (name.as_str(), (*ty).to_owned()))
            .collect();
        assert_eq!(fields, expected);
    }
}
