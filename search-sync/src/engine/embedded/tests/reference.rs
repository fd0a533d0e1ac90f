//! Filters, totals, facet counts and orders checked against `SearchQuery::matches_filters`, the
//! reference both engines answer to, over generated documents and generated queries.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest::test_runner::{Config, TestRunner};
use uuid::Uuid;

use super::{TestEngine, text};
use crate::document::{FACETS, OfferingDocument, OfferingFilters};
use crate::engine::embedded::fixtures::{self, offering};
use crate::query::{SearchQuery, Sort, price_group};

const TEXTS: &[&str] = &["", "training", "leerlingen begeleiding", "dyslexie "];

#[test]
fn filters_facets_and_orders_agree_with_the_reference() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let docs = fixtures::generated(200, 7);
    let engine = runtime.block_on(TestEngine::with(&docs));
    // The text narrows first; what each text matches without filters is the ground the filters
    // then narrow (the text itself is tested in `text`).
    let matching: Vec<Vec<OfferingDocument>> = TEXTS
        .iter()
        .map(|q| {
            let everything = SearchQuery {
                per_page: docs.len(),
                ..text(q)
            };
            runtime.block_on(engine.search(&everything)).hits
        })
        .collect();
    assert_eq!(matching[0].len(), docs.len());
    assert!(
        matching[1..]
            .iter()
            .all(|found| !found.is_empty() && found.len() < docs.len())
    );

    let mut runner = TestRunner::new(Config {
        cases: 300,
        ..Config::default()
    });
    runner
        .run(&queries(&docs), |query| {
            let results = runtime.block_on(engine.search(&query));
            let text = TEXTS.iter().position(|q| *q == query.q).unwrap();
            let mut expected: Vec<&OfferingDocument> = matching[text]
                .iter()
                .filter(|doc| query.matches_filters(doc))
                .collect();
            prop_assert_eq!(results.total, expected.len());
            prop_assert_eq!(&results.facets, &facet_counts(&matching[text], &query));
            let start = (query.page - 1) * query.per_page;
            let page_len = expected.len().saturating_sub(start).min(query.per_page);
            prop_assert_eq!(results.hits.len(), page_len);
            if query.sort == Sort::Relevance && !query.q.is_empty() {
                // Scores have no reference; the page holds matching documents all the same.
                let ids: BTreeSet<Uuid> = expected.iter().map(|doc| doc.id).collect();
                prop_assert!(results.hits.iter().all(|hit| ids.contains(&hit.id)));
            } else {
                expected.sort_by(|a, b| order(query.sort, a, b));
                let expected: Vec<&OfferingDocument> = expected
                    .into_iter()
                    .skip(start)
                    .take(query.per_page)
                    .collect();
                let found: Vec<&OfferingDocument> = results.hits.iter().collect();
                prop_assert_eq!(found, expected);
            }
            Ok(())
        })
        .unwrap();
}

/// Queries over the codes and providers the documents hold, plus unknown ones.
fn queries(docs: &[OfferingDocument]) -> impl Strategy<Value = SearchQuery> {
    let codes: Vec<Vec<String>> = FACETS
        .iter()
        .map(|facet| {
            let mut held: BTreeSet<String> = docs
                .iter()
                .flat_map(|doc| doc.facet_values(facet.field))
                .map(str::to_owned)
                .collect();
            held.insert("onbekend".to_owned());
            held.into_iter().collect()
        })
        .collect();
    let mut providers: Vec<Uuid> = docs.iter().map(|doc| doc.provider_id).collect();
    providers.push(Uuid::nil());
    let filters = (
        proptest::collection::vec(
            (
                0..FACETS.len(),
                proptest::collection::vec(any::<Index>(), 0..4),
            ),
            0..4,
        ),
        proptest::collection::vec(any::<Index>(), 0..3),
        proptest::option::of(0_u8..=5),
        proptest::option::of(0_i64..1_100_000),
        proptest::option::of(10_u8..=50),
    );
    let shape = (
        select(TEXTS),
        select(Sort::ALL.to_vec()),
        1_usize..=4,
        1_usize..=60,
    );
    (filters, shape).prop_map(
        move |(
            (facets, provider_picks, evidence_min, price_max_cents, rating_min),
            (q, sort, page, per_page),
        )| {
            let mut query = SearchQuery {
                q: q.to_owned(),
                filters: OfferingFilters {
                    provider_ids: provider_picks
                        .iter()
                        .map(|pick| *pick.get(&providers))
                        .collect(),
                    evidence_min,
                    price_max_cents,
                    rating_min: rating_min.map(|tenths| f64::from(tenths) / 10.0),
                },
                sort,
                page,
                per_page,
                ..SearchQuery::default()
            };
            for (facet, picks) in facets {
                let wanted = picks
                    .iter()
                    .map(|pick| pick.get(&codes[facet]).clone())
                    .collect();
                query.facets.insert(FACETS[facet].field, wanted);
            }
            query
        },
    )
}

/// Per facet param: how many of `docs` hold each code, among those passing every filter but
/// that facet's own.
fn facet_counts(
    docs: &[OfferingDocument],
    query: &SearchQuery,
) -> BTreeMap<String, BTreeMap<String, u64>> {
    FACETS
        .iter()
        .map(|facet| {
            let others = query.without_facet(facet.field);
            let mut counts: BTreeMap<String, u64> = BTreeMap::new();
            for doc in docs.iter().filter(|doc| others.matches_filters(doc)) {
                for code in doc.facet_values(facet.field) {
                    *counts.entry(code.to_owned()).or_default() += 1;
                }
            }
            (facet.param.to_owned(), counts)
        })
        .collect()
}

/// The documented orders, written out plainly; ties by id.
pub(super) fn order(sort: Sort, a: &OfferingDocument, b: &OfferingDocument) -> Ordering {
    fn missing_last<T: PartialOrd>(a: Option<T>, b: Option<T>, descending: bool) -> Ordering {
        match (a, b) {
            (Some(a), Some(b)) => {
                let ascending = a.partial_cmp(&b).unwrap_or(Ordering::Equal);
                if descending {
                    ascending.reverse()
                } else {
                    ascending
                }
            }
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        }
    }
    let by = match sort {
        // Without text every document scores the same.
        Sort::Relevance => Ordering::Equal,
        Sort::Rating => missing_last(a.rating_score, b.rating_score, true),
        // Prices compare within a price model only; the models' groups in their fixed order.
        Sort::PriceAsc => price_group(&a.price_model)
            .cmp(&price_group(&b.price_model))
            .then(missing_last(a.price_min_cents, b.price_min_cents, false)),
        Sort::PriceDesc => price_group(&a.price_model)
            .cmp(&price_group(&b.price_model))
            .then(missing_last(a.price_min_cents, b.price_min_cents, true)),
        Sort::Newest => b.published_at.cmp(&a.published_at),
        Sort::ReviewCount => b.review_count.cmp(&a.review_count),
    };
    by.then(a.id.cmp(&b.id))
}

#[tokio::test]
async fn a_facet_counts_the_choices_its_own_filter_leaves_out() {
    let in_sector = |id: u128, sector: &str, domain_service: &str| {
        let mut doc = offering(id, "Aanbod", "", "");
        doc.sectors = vec![sector.to_owned()];
        doc.service_type = domain_service.to_owned();
        fixtures::derive_labels(&mut doc);
        doc
    };
    let engine = TestEngine::with(&[
        in_sector(1, "po", "zorg_diagnostiek"),
        in_sector(2, "po", "prof_collectief_team"),
        in_sector(3, "vo", "zorg_diagnostiek"),
        in_sector(4, "mbo", "zorg_diagnostiek"),
    ])
    .await;
    let mut query = text("");
    query.facets.insert("sectors", vec!["po".into()]);
    let results = engine.search(&query).await;
    assert_eq!(results.total, 2);
    // The sector facet still shows what choosing vo or mbo instead would give…
    let sectors = &results.facets["sector"];
    assert_eq!((sectors["po"], sectors["vo"], sectors["mbo"]), (2, 1, 1));
    // …while the other facets count only the po offerings.
    let domains = &results.facets["domain"];
    assert_eq!(
        (domains["leerlingenzorg"], domains["professionalisering"]),
        (1, 1)
    );
}
