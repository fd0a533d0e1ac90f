//! Search latency by query shape, for judging an engine on a given machine with
//! `fixtures::generated` documents. Figures depend on the machine, so nothing asserts them.

use std::time::{Duration, Instant};

use crate::engine::SearchEngine;
use crate::error::SearchResult;
use crate::query::{SearchQuery, Sort};

#[derive(Debug, Clone)]
pub struct Latency {
    pub shape: &'static str,
    pub p50: Duration,
    pub p99: Duration,
    /// The shape's matching documents, to tell a cheap empty answer from a full one.
    pub total: usize,
}

/// What the catalogue asks: browsing, typing, filtering and sorting.
pub fn query_shapes() -> Vec<(&'static str, SearchQuery)> {
    let page = |q: &str| SearchQuery {
        q: q.to_owned(),
        page: 1,
        per_page: 20,
        ..SearchQuery::default()
    };
    let mut filtered = page("begeleiding");
    filtered.facets.insert("sectors", vec!["po".into()]);
    filtered
        .facets
        .insert("regions", vec!["utrecht".into(), "landelijk".into()]);
    filtered.evidence_min = Some(2);
    let mut browse_filtered = page("");
    browse_filtered
        .facets
        .insert("themes", vec!["gelijke_kansen".into()]);
    browse_filtered.sort = Sort::Rating;
    vec![
        ("browse: empty q, relevance", page("")),
        (
            "browse: empty q, 1 facet filter, by rating",
            browse_filtered,
        ),
        ("one word: training", page("training ")),
        ("typo: dyslexsie", page("dyslexsie ")),
        ("prefix while typing: begel", page("begel")),
        ("one letter while typing: o", page("o")),
        ("three words", page("leerlingen rekenen begeleiding ")),
        ("synonym: rt", page("rt ")),
        ("word + 3 filters", filtered),
        (
            "deep page 40 of 20, by price",
            SearchQuery {
                page: 40,
                sort: Sort::PriceAsc,
                ..page("")
            },
        ),
    ]
}

/// Runs every shape `runs` times (after one warm-up run) and reports its median and 99th
/// percentile.
pub async fn measure(
    engine: &dyn SearchEngine,
    index: &str,
    shapes: &[(&'static str, SearchQuery)],
    runs: usize,
) -> SearchResult<Vec<Latency>> {
    let mut latencies = Vec::with_capacity(shapes.len());
    for (shape, query) in shapes {
        let total = engine.search(index, query).await?.total;
        let mut times = Vec::with_capacity(runs);
        for _ in 0..runs {
            let start = Instant::now();
            engine.search(index, query).await?;
            times.push(start.elapsed());
        }
        times.sort_unstable();
        let at = |share: f64| {
            let rank = ((times.len() as f64 * share).ceil() as usize).clamp(1, times.len().max(1));
            times.get(rank - 1).copied().unwrap_or_default()
        };
        latencies.push(Latency {
            shape,
            p50: at(0.5),
            p99: at(0.99),
            total,
        });
    }
    Ok(latencies)
}
