//! A search as the engines receive it: already validated (codes exist, pages in range), so an
//! engine only translates it. The Meilisearch filter is built here, with every value quoted and
//! escaped, so user input can never change a filter's structure.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::document::{FACETS, Facet, Offerings};
use crate::kind::{Filter, IndexKind};
use crate::taxonomy;

/// Meilisearch returns at most this many hits per search (its `maxTotalHits`), so pages end there.
pub const MAX_HITS: usize = 1_000;
pub const MAX_PER_PAGE: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    #[default]
    Relevance,
    Rating,
    PriceAsc,
    PriceDesc,
    Newest,
    ReviewCount,
}

impl Sort {
    pub const ALL: [Sort; 6] = [
        Sort::Relevance,
        Sort::Rating,
        Sort::PriceAsc,
        Sort::PriceDesc,
        Sort::Newest,
        Sort::ReviewCount,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::Rating => "rating",
            Sort::PriceAsc => "price_asc",
            Sort::PriceDesc => "price_desc",
            Sort::Newest => "newest",
            Sort::ReviewCount => "review_count",
        }
    }

    pub fn parse(s: &str) -> Option<Sort> {
        Sort::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// The attribute a price sort orders by before the price (`price_group`): prices are compared
/// only within one price model, because an hourly rate, a price per participant and a yearly
/// price per pupil are different things and their cents say nothing of each other. A price sort
/// therefore lists its hits in groups, one per price model in this order, each ordered by its
/// lowest price; "on request" (no price at all) comes last in either direction. Meilisearch
/// stores it beside the document (see the engine), the embedded index derives it from the price
/// model column; neither is part of the document or of a hit.
pub const PRICE_GROUP: &str = "price_group";

/// The price models in the order of a price sort's groups: the taxonomy's, which ends with
/// `op_aanvraag`.
pub fn price_groups() -> impl Iterator<Item = &'static str> {
    taxonomy::PRICE_MODELS.iter().map(|m| m.code)
}

/// A price model's group in a price sort; a code the taxonomy lacks sorts after every group.
pub fn price_group(price_model: &str) -> u8 {
    price_groups()
        .position(|m| m == price_model)
        .map_or(u8::MAX, |i| u8::try_from(i).unwrap_or(u8::MAX))
}

/// A search of an index of kind `K` (offerings unless said).
pub struct SearchQuery<K: IndexKind = Offerings> {
    /// Free text; empty matches every document.
    pub q: String,
    /// Per facet field (see the kind's facets): the codes of which a document must hold at
    /// least one. Different facets combine with AND.
    pub facets: BTreeMap<&'static str, Vec<String>>,
    /// The kind's other filters.
    pub filters: K::Filters,
    pub sort: K::Sort,
    /// 1-based.
    pub page: usize,
    pub per_page: usize,
}

// By hand: derives would ask `K` itself (a marker type) for the traits.
impl<K: IndexKind> Clone for SearchQuery<K> {
    fn clone(&self) -> Self {
        SearchQuery {
            q: self.q.clone(),
            facets: self.facets.clone(),
            filters: self.filters.clone(),
            sort: self.sort,
            page: self.page,
            per_page: self.per_page,
        }
    }
}

impl<K: IndexKind> Default for SearchQuery<K> {
    fn default() -> Self {
        SearchQuery {
            q: String::new(),
            facets: BTreeMap::new(),
            filters: K::Filters::default(),
            sort: K::Sort::default(),
            page: 0,
            per_page: 0,
        }
    }
}

impl<K: IndexKind> PartialEq for SearchQuery<K> {
    fn eq(&self, other: &Self) -> bool {
        (
            &self.q,
            &self.facets,
            &self.filters,
            &self.sort,
            self.page,
            self.per_page,
        ) == (
            &other.q,
            &other.facets,
            &other.filters,
            &other.sort,
            other.page,
            other.per_page,
        )
    }
}

impl<K: IndexKind> std::fmt::Debug for SearchQuery<K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchQuery")
            .field("q", &self.q)
            .field("facets", &self.facets)
            .field("filters", &self.filters)
            .field("sort", &self.sort)
            .field("page", &self.page)
            .field("per_page", &self.per_page)
            .finish()
    }
}

#[derive(Serialize)]
#[serde(bound = "")]
pub struct SearchResults<K: IndexKind = Offerings> {
    pub hits: Vec<K::Document>,
    /// Matching documents in all (capped by the engine at `MAX_HITS` for paging).
    pub total: usize,
    /// Per facet param: code → count, each counted with every filter but that facet's own, so a
    /// user sees how many results each other choice would give.
    pub facets: BTreeMap<String, BTreeMap<String, u64>>,
}

impl<K: IndexKind> Default for SearchResults<K> {
    fn default() -> Self {
        SearchResults {
            hits: Vec::new(),
            total: 0,
            facets: BTreeMap::new(),
        }
    }
}

impl<K: IndexKind> Clone for SearchResults<K> {
    fn clone(&self) -> Self {
        SearchResults {
            hits: self.hits.clone(),
            total: self.total,
            facets: self.facets.clone(),
        }
    }
}

impl<K: IndexKind> PartialEq for SearchResults<K> {
    fn eq(&self, other: &Self) -> bool {
        (&self.hits, self.total, &self.facets) == (&other.hits, other.total, &other.facets)
    }
}

impl<K: IndexKind> std::fmt::Debug for SearchResults<K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchResults")
            .field("hits", &self.hits)
            .field("total", &self.total)
            .field("facets", &self.facets)
            .finish()
    }
}

impl SearchQuery<Offerings> {
    /// For a price sort, the price models whose groups the hits come in, in order (those the
    /// `price_model` filter allows); `None` for other sorts.
    pub fn price_sort_groups(&self) -> Option<Vec<&'static str>> {
        if !matches!(self.sort, Sort::PriceAsc | Sort::PriceDesc) {
            return None;
        }
        let wanted = self.facets.get("price_model");
        Some(
            price_groups()
                .filter(|m| wanted.is_none_or(|w| w.iter().any(|v| v == m)))
                .collect(),
        )
    }
}

impl<K: IndexKind> SearchQuery<K> {
    /// The text both engines search for: `q` with typos of synonym terms corrected
    /// (`settings::correct_to_synonyms`), so a typo finds what the word it corrects to finds.
    pub fn text(&self) -> String {
        crate::settings::correct_to_synonyms(&self.q)
    }

    /// The same query without the filter on `field` (for that facet's counts).
    pub fn without_facet(&self, field: &str) -> SearchQuery<K> {
        let mut other = self.clone();
        other.facets.remove(field);
        other
    }

    /// Whether a document passes every filter; the reference the engines are tested against
    /// (it reads the document as JSON, as the engines index it: slow, and never on a search).
    pub fn matches_filters(&self, doc: &K::Document) -> bool {
        let Ok(json) = serde_json::to_value(doc) else {
            return false;
        };
        self.facets.iter().all(|(field, wanted)| {
            let held = codes(&json[*field]);
            wanted.iter().any(|w| held.contains(&w.as_str()))
        }) && K::filters(&self.filters).iter().all(|filter| match filter {
            Filter::AnyOf { field, values } => json[*field]
                .as_str()
                .is_some_and(|v| values.iter().any(|w| w == v)),
            Filter::AtLeast { field, value } => {
                json[*field].as_f64().is_some_and(|v| v >= value.as_f64())
            }
            Filter::AtMost { field, value } => {
                json[*field].as_f64().is_some_and(|v| v <= value.as_f64())
            }
        })
    }

    /// The filter in Meilisearch's syntax; `None` when there is nothing to filter on.
    pub fn meilisearch_filter(&self) -> Option<String> {
        let mut clauses: Vec<String> = Vec::new();
        for (field, values) in &self.facets {
            if !values.is_empty() {
                clauses.push(any_of(field, values));
            }
        }
        for filter in K::filters(&self.filters) {
            clauses.push(filter_clause(&filter));
        }
        (!clauses.is_empty()).then(|| clauses.join(" AND "))
    }
}

/// One filter in Meilisearch's syntax, its values quoted (searches and tenant tokens alike).
pub fn filter_clause(filter: &Filter) -> String {
    match filter {
        Filter::AnyOf { field, values } => any_of(field, values),
        Filter::AtLeast { field, value } => format!("{field} >= {value}"),
        Filter::AtMost { field, value } => format!("{field} <= {value}"),
    }
}

fn any_of(field: &str, values: &[String]) -> String {
    let list: Vec<String> = values.iter().map(|v| quote(v)).collect();
    format!("{field} IN [{}]", list.join(", "))
}

/// The codes a facet attribute holds in a document read as JSON: one code or a list of them.
pub fn codes(value: &serde_json::Value) -> Vec<&str> {
    match value {
        serde_json::Value::String(code) => vec![code],
        serde_json::Value::Array(values) => values
            .iter()
            .filter_map(serde_json::Value::as_str)
            .collect(),
        _ => Vec::new(),
    }
}

/// A Meilisearch filter string literal: double-quoted, with `\` and `"` escaped, so the value
/// is data whatever it contains (quotes, parentheses, `OR`, `AND`, `NOT`, `TO`…).
pub fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// The facet a query parameter names.
pub fn facet_by_param(param: &str) -> Option<&'static Facet> {
    FACETS.iter().find(|f| f.param == param)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn filters_combine_or_within_and_across_facets() {
        let mut query = SearchQuery::<Offerings>::default();
        query
            .facets
            .insert("sectors", vec!["po".into(), "vo".into()]);
        query.facets.insert("domain", vec!["leerlingenzorg".into()]);
        query.filters.evidence_min = Some(2);
        assert_eq!(
            query.meilisearch_filter().unwrap(),
            r#"domain IN ["leerlingenzorg"] AND sectors IN ["po", "vo"] AND evidence_rank >= 2"#
        );
        assert_eq!(
            SearchQuery::<Offerings>::default().meilisearch_filter(),
            None
        );
    }

    #[test]
    fn price_sorts_group_by_price_model_with_on_request_last() {
        let groups: Vec<&str> = price_groups().collect();
        assert_eq!(groups.last(), Some(&"op_aanvraag"));
        assert_eq!(usize::from(price_group("op_aanvraag")), groups.len() - 1);
        assert!(price_group("per_uur") < price_group("per_leerling_per_jaar"));
        assert_eq!(price_group("onbekend"), u8::MAX);

        let mut query = SearchQuery {
            sort: Sort::PriceDesc,
            ..SearchQuery::default()
        };
        assert_eq!(query.price_sort_groups(), Some(groups));
        query
            .facets
            .insert("price_model", vec!["op_aanvraag".into(), "per_uur".into()]);
        assert_eq!(
            query.price_sort_groups(),
            Some(vec!["per_uur", "op_aanvraag"])
        );
        query.sort = Sort::Newest;
        assert_eq!(query.price_sort_groups(), None);
    }

    #[test]
    fn hostile_values_stay_inside_their_quotes() {
        assert_eq!(quote(r#"po" OR domain = "x"#), r#""po\" OR domain = \"x""#);
        assert_eq!(quote(r"back\slash"), r#""back\\slash""#);
    }

    /// Reads one quoted literal as Meilisearch's lexer would; returns it and the rest.
    fn unquote(input: &str) -> Option<(String, &str)> {
        let mut chars = input.strip_prefix('"')?.char_indices();
        let mut value = String::new();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => value.push(chars.next()?.1),
                '"' => return Some((value, &input[i + 2..])),
                other => value.push(other),
            }
        }
        None
    }

    proptest! {
        #[test]
        fn any_value_reads_back_as_exactly_one_literal(value in ".*") {
            let quoted = quote(&value);
            let (read, rest) = unquote(&quoted).expect("a complete literal");
            prop_assert_eq!(read, value);
            prop_assert_eq!(rest, "");
        }

        #[test]
        fn a_filter_of_hostile_values_has_one_clause_per_facet(values in proptest::collection::vec(".*", 1..5)) {
            let mut query = SearchQuery::<Offerings>::default();
            query.facets.insert("themes", values.clone());
            let filter = query.meilisearch_filter().unwrap();
            let list = filter.strip_prefix("themes IN [").and_then(|f| f.strip_suffix(']')).unwrap();
            let mut rest = list;
            let mut read = Vec::new();
            loop {
                let (value, after) = unquote(rest).expect("a literal");
                read.push(value);
                match after.strip_prefix(", ") {
                    Some(next) => rest = next,
                    None => { prop_assert_eq!(after, ""); break; }
                }
            }
            prop_assert_eq!(read, values);
        }
    }
}
