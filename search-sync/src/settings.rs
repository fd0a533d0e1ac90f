//! The index settings, derived next to the document: which attributes are searched (in order of
//! weight), filtered, sorted and faceted, typo tolerance, and the Dutch stop words and synonyms
//! kept as data in `search-sync/data/`.

use std::collections::BTreeMap;
use std::sync::LazyLock;

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
    crate::query::PRICE_GROUP,
    "rating_avg",
    "price_min_cents",
    "published_at",
    "review_count",
    "rating_score",
];

/// Filterable: every facet field plus the range and id filters.
pub fn filterable() -> Vec<&'static str> {
    crate::document::OFFERINGS.filterable()
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

fn terms(list: &str) -> Vec<String> {
    list.split(',')
        .map(|t| t.trim().to_lowercase())
        .filter(|t| !t.is_empty())
        .collect()
}

/// Each term with the terms it also finds: every other term of a mutual group (`a, b, c`), and
/// the right-hand terms of a one-way line (`a > b, c`) for its left-hand term only. Meilisearch
/// receives this map as it is (a key without the reverse entry is one-way there too).
pub fn synonyms() -> BTreeMap<String, Vec<String>> {
    let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut add = |term: &String, found: &[String]| {
        let others = map.entry(term.clone()).or_default();
        for other in found {
            if other != term && !others.contains(other) {
                others.push(other.clone());
            }
        }
    };
    for line in lines(SYNONYMS) {
        match line.split_once('>') {
            Some((from, to)) => {
                let to = terms(to);
                for term in &terms(from) {
                    add(term, &to);
                }
            }
            None => {
                let group = terms(line);
                for term in &group {
                    add(term, &group);
                }
            }
        }
    }
    map
}

/// The query with each word that is a typo of a one-word synonym term replaced by that term, so
/// the word finds the term's synonyms too, exactly as the term itself would: Meilisearch looks
/// synonyms up for the words as typed only (typo tolerance does not apply to them), and both
/// engines receive the corrected query, so they stay alike.
///
/// A word is corrected under Meilisearch's typo rules (`typos_allowed` by the word's length;
/// Damerau-Levenshtein, a transposition being one typo; a different first letter counts as two).
/// Only the nearest term is taken, and a word with two nearest terms, or that is itself a
/// synonym term, is left alone. Case and everything between words are kept, so a trailing space
/// (the word is complete, not a prefix) still reads the same.
pub fn correct_to_synonyms(q: &str) -> String {
    // Read once: every search passes through here.
    static ONE_WORD_TERMS: LazyLock<Vec<String>> = LazyLock::new(|| {
        synonyms()
            .into_keys()
            .filter(|t| t.chars().all(char::is_alphanumeric))
            .collect()
    });
    let single: Vec<&str> = ONE_WORD_TERMS.iter().map(String::as_str).collect();
    let mut out = String::with_capacity(q.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        out.push_str(correction(word, &single).unwrap_or(word.as_str()));
        word.clear();
    };
    for c in q.chars() {
        if c.is_alphanumeric() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// The one synonym term nearest to `word` within its typos, if the word is not a term itself.
fn correction<'t>(word: &str, terms: &[&'t str]) -> Option<&'t str> {
    let lower = word.to_lowercase();
    let budget = typos_allowed(&lower);
    if budget == 0 || terms.contains(&lower.as_str()) {
        return None;
    }
    let mut nearest: Vec<(u8, &str)> = terms
        .iter()
        .filter_map(|&t| typos(&lower, t).filter(|&d| d <= budget).map(|d| (d, t)))
        .collect();
    nearest.sort_unstable();
    match nearest.as_slice() {
        [(d, term), rest @ ..] if rest.first().is_none_or(|(next, _)| next > d) => Some(term),
        _ => None,
    }
}

/// The typos between a typed word and a term as Meilisearch counts them; `None` beyond two.
fn typos(typed: &str, term: &str) -> Option<u8> {
    let (a, b): (Vec<char>, Vec<char>) = (typed.chars().collect(), term.chars().collect());
    let first = u8::from(a.first() != b.first());
    let distance = damerau(&a, &b);
    u8::try_from(distance)
        .ok()
        .map(|d| d + first)
        .filter(|&d| d <= 2)
}

/// Edit distance with adjacent transpositions as one edit (optimal string alignment).
fn damerau(a: &[char], b: &[char]) -> usize {
    let width = b.len() + 1;
    let mut d = vec![0_usize; (a.len() + 1) * width];
    for (i, row) in d.chunks_mut(width).enumerate() {
        row[0] = i;
    }
    for (j, cell) in d.iter_mut().take(width).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = best;
        }
    }
    d[a.len() * width + b.len()]
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
        assert!(synonyms["professionalisering"].contains(&"nascholing".to_owned()));
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

    #[test]
    fn broad_words_find_narrow_ones_one_way_and_never_other_domains() {
        let synonyms = synonyms();
        // `training` occurs in every domain (a format, kanjertraining, examentraining).
        assert!(!synonyms["nascholing"].contains(&"training".to_owned()));
        assert!(!synonyms.contains_key("training"));
        assert!(!synonyms.contains_key("cursus"));
        assert_eq!(synonyms["begeleiding"], ["coaching"]);
        assert!(!synonyms.contains_key("coaching"));
        assert_eq!(synonyms["leesproblemen"], ["dyslexie", "leesstoornis"]);
        assert_eq!(synonyms["dyslexie"], ["leesstoornis"]);
    }

    #[test]
    fn a_typo_of_a_synonym_term_becomes_the_term() {
        assert_eq!(
            correct_to_synonyms("profesionalisering"),
            "professionalisering"
        );
        // Two typos from nine letters; a transposition is one.
        assert_eq!(
            correct_to_synonyms("nascohlign rekenen "),
            "nascholing rekenen "
        );
        assert_eq!(correct_to_synonyms("Dyslexsie"), "dyslexie");
        // Under five letters no typo; a word that is a term stays as typed.
        assert_eq!(correct_to_synonyms("rd ib"), "rd ib");
        assert_eq!(correct_to_synonyms("Scholing"), "Scholing");
        // A different first letter counts twice, as in Meilisearch: one typo is not enough.
        assert_eq!(correct_to_synonyms("tyslexie"), "tyslexie");
        // Words far from every term are kept, as are the separators between words.
        assert_eq!(
            correct_to_synonyms("  formatief, evalueren!"),
            "  formatief, evalueren!"
        );
    }

    #[test]
    fn damerau_counts_a_transposition_once() {
        let chars = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(damerau(&chars("ab"), &chars("ba")), 1);
        assert_eq!(damerau(&chars("kitten"), &chars("sitting")), 3);
        assert_eq!(damerau(&chars(""), &chars("abc")), 3);
        assert_eq!(typos("tyslexie", "dyslexie"), Some(2));
    }
}
