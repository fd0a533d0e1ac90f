//! The index settings, derived next to the document: which attributes are searched (in order of
//! weight), filtered, sorted and faceted, typo tolerance, and the Dutch stop words and synonyms
//! kept as data in `search-sync/data/`.

use std::collections::BTreeMap;

use crate::document::FACETS;

pub const SYNONYMS: &str = include_str!("../data/synonyms.txt");
pub const STOP_WORDS: &str = include_str!("../data/stopwords_nl.txt");

/// Searched attributes, most important first, with the boost the embedded index gives them.
pub const SEARCHABLE: &[(&str, f32)] = &[
    ("title", 4.0),
    ("service_type_label", 2.5),
    ("keywords", 2.0),
    ("summary", 1.5),
    ("provider_name", 1.5),
    ("domain_label", 1.0),
    ("description", 1.0),
];

pub const SORTABLE: &[&str] = &[
    "rating_avg",
    "price_min_cents",
    "published_at",
    "review_count",
];

/// Filterable: every facet field plus the range and id filters.
pub fn filterable() -> Vec<&'static str> {
    let mut fields: Vec<&'static str> = FACETS.iter().map(|f| f.field).collect();
    fields.extend([
        "provider_id",
        "evidence_rank",
        "price_min_cents",
        "rating_avg",
        "long_term",
    ]);
    fields
}

/// Typo tolerance as Meilisearch applies it by default: one typo from five letters, two from nine.
pub fn typos_allowed(word: &str) -> u8 {
    match word.chars().count() {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

fn lines(data: &'static str) -> impl Iterator<Item = &'static str> {
    data.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

pub fn stop_words() -> Vec<&'static str> {
    lines(STOP_WORDS).collect()
}

/// Each term with every other term of its groups (Meilisearch's mutual synonyms).
pub fn synonyms() -> BTreeMap<String, Vec<String>> {
    let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in lines(SYNONYMS) {
        let group: Vec<String> = line
            .split(',')
            .map(|t| t.trim().to_lowercase())
            .filter(|t| !t.is_empty())
            .collect();
        for term in &group {
            let others = map.entry(term.clone()).or_default();
            for other in &group {
                if other != term && !others.contains(other) {
                    others.push(other.clone());
                }
            }
        }
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synonyms_are_mutual_and_cover_the_field() {
        let synonyms = synonyms();
        assert!(synonyms["rt"].contains(&"remedial teaching".to_owned()));
        assert!(synonyms["remedial teaching"].contains(&"rt".to_owned()));
        assert!(synonyms["nascholing"].contains(&"professionalisering".to_owned()));
        for term in ["ib", "lvs", "elo", "plg"] {
            assert!(synonyms.contains_key(term), "{term}");
        }
    }

    #[test]
    fn typo_budget_grows_with_word_length() {
        assert_eq!(
            (
                typos_allowed("rt"),
                typos_allowed("dyslexie"),
                typos_allowed("professionalisering")
            ),
            (0, 1, 2)
        );
        assert!(stop_words().contains(&"het"));
    }
}
