//! Orders and pages.

use std::collections::BTreeSet;

use super::{TestEngine, text};
use crate::engine::embedded::fixtures::{self, offering};
use crate::query::{MAX_HITS, SearchQuery, Sort};

#[tokio::test]
async fn each_order_puts_documents_without_the_attribute_last_and_breaks_ties_by_id() {
    let doc = |id, rating, price, published_at, review_count| {
        let mut doc = offering(id, "Aanbod", "", "");
        doc.rating_score = rating;
        doc.price_min_cents = price;
        doc.published_at = published_at;
        doc.review_count = review_count;
        doc
    };
    let engine = TestEngine::with(&[
        doc(1, Some(4.5), Some(10_000), 300, 5),
        doc(2, None, None, 100, 0),
        doc(3, Some(4.5), Some(5_000), 200, 12),
        doc(4, Some(3.0), Some(20_000), 400, 1),
        doc(5, Some(1.0), None, 400, 5),
    ])
    .await;
    let expected: [(Sort, [u128; 5]); 6] = [
        (Sort::Relevance, [1, 2, 3, 4, 5]),
        (Sort::Rating, [1, 3, 4, 5, 2]),
        (Sort::PriceAsc, [3, 1, 4, 2, 5]),
        (Sort::PriceDesc, [4, 1, 3, 2, 5]),
        (Sort::Newest, [4, 5, 1, 3, 2]),
        (Sort::ReviewCount, [3, 1, 5, 4, 2]),
    ];
    for (sort, ids) in expected {
        let found = engine.ids(&SearchQuery { sort, ..text("") }).await;
        let found: Vec<u128> = found.iter().map(|id| id.as_u128()).collect();
        assert_eq!(found, ids, "{}", sort.as_str());
    }
}

#[tokio::test]
async fn price_sorts_never_interleave_price_models() {
    let doc = |id, model: &str, price| {
        let mut doc = offering(id, "Aanbod", "", "");
        doc.price_model = model.to_owned();
        doc.price_min_cents = price;
        doc
    };
    // Cents per pupil per year are small numbers, an hourly rate or a fixed price large ones:
    // compared raw, the pupil prices would come first and between the others.
    let engine = TestEngine::with(&[
        doc(1, "per_leerling_per_jaar", Some(800)),
        doc(2, "per_uur", Some(9_500)),
        doc(3, "op_aanvraag", None),
        doc(4, "per_leerling_per_jaar", Some(1_200)),
        doc(5, "per_uur", Some(20_000)),
        doc(6, "vaste_prijs", Some(500)),
    ])
    .await;
    for (sort, ids) in [
        (Sort::PriceAsc, [2, 5, 1, 4, 6, 3]),
        (Sort::PriceDesc, [5, 2, 4, 1, 6, 3]),
    ] {
        let found = engine.ids(&SearchQuery { sort, ..text("") }).await;
        let found: Vec<u128> = found.iter().map(|id| id.as_u128()).collect();
        assert_eq!(found, ids, "{}", sort.as_str());
    }
}

#[tokio::test]
async fn pages_neither_overlap_nor_skip_in_any_order() {
    let docs = fixtures::generated(45, 3);
    let engine = TestEngine::with(&docs).await;
    for sort in Sort::ALL {
        for q in ["", "leerlingen "] {
            let all = engine
                .ids(&SearchQuery {
                    sort,
                    per_page: 45,
                    ..text(q)
                })
                .await;
            let mut paged = Vec::new();
            for page in 1..=5 {
                paged.extend(
                    engine
                        .ids(&SearchQuery {
                            sort,
                            page,
                            per_page: 10,
                            ..text(q)
                        })
                        .await,
                );
            }
            assert_eq!(paged, all, "{} {q:?}", sort.as_str());
            assert_eq!(paged.iter().collect::<BTreeSet<_>>().len(), paged.len());
        }
    }
}

#[tokio::test]
async fn pages_end_at_max_hits_while_the_total_counts_everything() {
    let docs = fixtures::generated(MAX_HITS + 50, 11);
    let engine = TestEngine::with(&docs).await;
    let page = |page| SearchQuery {
        page,
        per_page: 100,
        ..text("")
    };
    let last = engine.search(&page(MAX_HITS / 100)).await;
    assert_eq!((last.hits.len(), last.total), (100, MAX_HITS + 50));
    assert!(
        engine
            .search(&page(MAX_HITS / 100 + 1))
            .await
            .hits
            .is_empty()
    );
}
