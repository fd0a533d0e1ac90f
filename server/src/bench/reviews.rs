//! `edumarkt bench reviews`: figures for the reviews on the scale data with generated reviews.
//! Listing an offering's reviews most helpful first through the API (the most reviewed
//! offering and typical ones; the first page and a deep cursor page), p50/p99, with the plan
//! PostgreSQL uses; review writes per second from concurrent writers (distinct accounts)
//! through the API, after which every written offering's stored aggregates are compared with
//! a fresh computation from its reviews; and the sync lag from a review's commit until the
//! offering's search document shows it; and the review summary (all, recent, per sector)
//! through the API, with its grouped count timed against loading the reviews and counting
//! them in Rust (as the summary did before). It prints figures; it asserts nothing but the
//! aggregates' and the summary's exactness and that writes succeed.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde_json::{Value, json};
use uuid::Uuid;

use super::{Awaited, Shows, access_tokens, machine, poll, report, send_concurrently};
use crate::db::explain::explain;
use crate::db::models::review::{Review, ReviewFilter};
use crate::db::models::review_aggregate::ReviewAggregate;
use crate::db::schema::{offerings, review_aggregates};
use crate::domain::OfferingId;
use crate::domain::review::ReviewSort;
use crate::domain::review_stats::{ReviewStats, SummaryCounts};
use crate::seed::reviews::create_reviewers;
use crate::state::AppState;
use crate::usecases::reviews::recent_since;

pub struct Options {
    /// Requests timed per list.
    pub requests: usize,
    /// How deep the deep page of the most reviewed offering is (in pages of 20).
    pub deep_page: usize,
    /// Distinct accounts writing concurrently; each reviews every written offering once.
    pub writers: usize,
    /// Requests in flight at once while writing.
    pub concurrency: usize,
    /// Typical offerings written to.
    pub write_offerings: usize,
    /// Reviews written in the sync-lag run, at `writes_per_second`.
    pub lag_writes: usize,
    pub writes_per_second: u64,
}

/// A review as a teacher writes one, with `overall` stars.
pub(crate) fn review_body(overall: u64) -> Value {
    json!({
        "ratings": {"overall": overall, "expertise": (overall % 5) + 1, "lasting_effect": 4},
        "context": {"sector": "vo", "scale": "team", "phase": "implemented",
                    "period_start": "2025-09", "still_in_use": true},
        "pros": "Concreet en direct toepasbaar in de klas.",
        "pitfalls": "Plan de vervolgsessies vooraf in.",
        "provider_tie": "none",
        "reward": "none"
    })
}

/// Accounts that may review (verified members of schools), each with an access token.
async fn writers(state: &AppState, count: usize, label: &str) -> anyhow::Result<Vec<String>> {
    let mut conn = state.pool.get().await?;
    let seed = u64::from_le_bytes(Uuid::now_v7().as_bytes()[8..16].try_into()?);
    let reviewers = create_reviewers(
        &mut conn,
        state.config.database_url.expose(),
        count,
        label,
        seed,
    )
    .await?;
    drop(conn);
    let ids: Vec<Uuid> = reviewers.iter().map(|r| r.id).collect();
    access_tokens(state, &ids).await
}

pub async fn reviews(state: &AppState, base_url: &str, options: &Options) -> anyhow::Result<()> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(options.concurrency)
        .build()?;
    let mut conn = state.pool.get().await?;
    // Offerings with reviews, most reviewed first.
    let reviewed: Vec<(OfferingId, i64)> = review_aggregates::table
        .filter(review_aggregates::review_count.gt(0))
        .order((
            review_aggregates::review_count.desc(),
            review_aggregates::offering_id.asc(),
        ))
        .select((
            review_aggregates::offering_id,
            review_aggregates::review_count,
        ))
        .load(&mut conn)
        .await?;
    let total: i64 = reviewed.iter().map(|(_, n)| n).sum();
    // (`<[_]>::first`: diesel's `RunQueryDsl::first` would shadow the slice's.)
    let Some(&(top, top_count)) = <[_]>::first(&reviewed) else {
        anyhow::bail!("the benchmark's database has no reviews (seed them with --reviews)");
    };
    let documents = edumarkt_search_sync::projection::count(&mut conn).await?;
    // Typical: around the median of the reviewed offerings.
    let median = reviewed.len() / 2;
    let typical: Vec<(OfferingId, i64)> =
        reviewed[median.saturating_sub(10)..(median + 10).min(reviewed.len())].to_vec();
    println!(
        "reviews benchmark on {}: {total} reviews of {} offerings ({documents} searchable), \
         the most reviewed has {top_count}, the median {}; engine {}",
        machine(),
        reviewed.len(),
        reviewed[median].1,
        state.search.engine.kind()
    );

    // The plans of the list's query as the use case builds it: the first page, and the page
    // after the deep cursor.
    let helpful = |after| {
        Review::list_query(
            top,
            ReviewSort::Helpful,
            &ReviewFilter::default(),
            after,
            21,
        )
    };
    let depth = i64::try_from(options.deep_page.saturating_sub(1) * 20).unwrap_or(0);
    let deep = Review::list_query(
        top,
        ReviewSort::Helpful,
        &ReviewFilter::default(),
        None,
        depth.max(1),
    )
    .load(&mut conn)
    .await?
    .last()
    .map(|r| r.cursor(ReviewSort::Helpful));
    for (label, after) in [("page 1", None), ("the deep page", deep)] {
        let plan = explain(&mut conn, helpful(after)).await?;
        println!("plan of the list most helpful first, most reviewed offering, {label}:");
        for line in &plan {
            println!("    {line}");
        }
        if !plan
            .iter()
            .any(|l| l.contains("reviews_offering_helpful_idx"))
        {
            println!("  NOTE: the list does not use reviews_offering_helpful_idx");
        }
    }
    drop(conn);

    list_latency(&client, base_url, top, &typical, options).await?;
    summary_latency(
        state,
        &client,
        base_url,
        (top, top_count),
        &typical,
        options,
    )
    .await?;
    let written = write_rate(state, &client, base_url, top, &reviewed, options).await?;
    check_aggregates(state, &written).await?;
    sync_lag(state, &client, base_url, options).await
}

async fn get_json(client: &reqwest::Client, url: &str) -> anyhow::Result<Value> {
    Ok(client
        .get(url)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?)
}

/// p50/p99 of the list most helpful first: the most reviewed offering's first page and a deep
/// cursor page, and the first pages of typical offerings, one client.
async fn list_latency(
    client: &reqwest::Client,
    base_url: &str,
    top: OfferingId,
    typical: &[(OfferingId, i64)],
    options: &Options,
) -> anyhow::Result<()> {
    let list = |id: OfferingId| format!("{base_url}/v1/offerings/{id}/reviews?sort=helpful");
    // The deep page's cursor, reached by following the cursors.
    let mut cursor = None;
    let mut depth = 1;
    while depth < options.deep_page {
        let url = match &cursor {
            Some(c) => format!("{}&cursor={c}", list(top)),
            None => list(top),
        };
        let page = get_json(client, &url).await?;
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
        depth += 1;
    }
    let mut runs: Vec<(String, Vec<String>)> =
        vec![("most reviewed, page 1".to_owned(), vec![list(top)])];
    if let Some(cursor) = &cursor {
        runs.push((
            format!("most reviewed, page {depth} (cursor)"),
            vec![format!("{}&cursor={cursor}", list(top))],
        ));
    }
    runs.push((
        format!("{} typical offerings, page 1", typical.len()),
        typical.iter().map(|(id, _)| list(*id)).collect(),
    ));
    println!(
        "list reviews most helpful first through the API, 20 a page, one client, {} requests each:",
        options.requests
    );
    time_runs(client, runs, options.requests, |page| {
        page["items"].is_array()
    })
    .await
}

/// Times `requests` GETs of each run, one client, its URLs in turn after one warm-up each;
/// every answer must pass `valid`.
async fn time_runs(
    client: &reqwest::Client,
    runs: Vec<(String, Vec<String>)>,
    requests: usize,
    valid: impl Fn(&Value) -> bool,
) -> anyhow::Result<()> {
    for (label, urls) in runs {
        for url in &urls {
            get_json(client, url).await?;
        }
        let mut samples = Vec::with_capacity(requests);
        for i in 0..requests {
            let started = Instant::now();
            let answer = get_json(client, &urls[i % urls.len()]).await?;
            samples.push(started.elapsed());
            anyhow::ensure!(valid(&answer), "{label}: unexpected answer {answer}");
        }
        report(&label, samples);
    }
    Ok(())
}

/// p50/p99 of the review summary through the API (the most reviewed offering and typical
/// ones), and on the most reviewed offering the database's grouped count against loading its
/// reviews and counting them here, which must give the same counts.
async fn summary_latency(
    state: &AppState,
    client: &reqwest::Client,
    base_url: &str,
    (top, top_count): (OfferingId, i64),
    typical: &[(OfferingId, i64)],
    options: &Options,
) -> anyhow::Result<()> {
    let summary = |id: OfferingId| format!("{base_url}/v1/offerings/{id}/reviews/summary");
    println!(
        "review summary through the API, one client, {} requests each:",
        options.requests
    );
    let runs = vec![
        ("most reviewed".to_owned(), vec![summary(top)]),
        (
            format!("{} typical offerings", typical.len()),
            typical.iter().map(|(id, _)| summary(*id)).collect(),
        ),
    ];
    time_runs(client, runs, options.requests, |figures| {
        figures["review_count"].is_u64()
    })
    .await?;

    let mut conn = state.pool.get().await?;
    let since = recent_since(state.clock.now());
    let rounds = options.requests.clamp(1, 100);
    let (mut grouped, mut loaded) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        let started = Instant::now();
        let counted = Review::summary_counts(&mut conn, &[top], since, None)
            .await?
            .remove(&top)
            .unwrap_or_default();
        grouped.push(started.elapsed());
        let started = Instant::now();
        let rated = Review::rated_of_offering(&mut conn, top).await?;
        let fresh = SummaryCounts::of(&rated, since);
        loaded.push(started.elapsed());
        anyhow::ensure!(
            counted == fresh,
            "the grouped counts differ from the reviews': {counted:?} against {fresh:?}"
        );
    }
    println!(
        "summary counts of the most reviewed offering ({top_count} reviews), in the server, {rounds} rounds (equal each round):"
    );
    report("counted by PostgreSQL, grouped", grouped);
    report("reviews loaded, counted in Rust", loaded);
    Ok(())
}

/// Writes reviews from `writers` distinct accounts, `concurrency` requests at once: every
/// account reviews each of a few typical offerings, then the most reviewed one. Answers the
/// offerings written to.
async fn write_rate(
    state: &AppState,
    client: &reqwest::Client,
    base_url: &str,
    top: OfferingId,
    reviewed: &[(OfferingId, i64)],
    options: &Options,
) -> anyhow::Result<Vec<OfferingId>> {
    let run = Uuid::now_v7().simple().to_string();
    let tokens = writers(state, options.writers, &format!("bench-{}", &run[24..])).await?;
    // Typical offerings with a few reviews: at three quarters down the list.
    let quarter = reviewed.len() * 3 / 4;
    let few: Vec<OfferingId> = reviewed
        .iter()
        .skip(quarter)
        .take(options.write_offerings)
        .map(|(id, _)| *id)
        .collect();
    println!(
        "review writes through the API, {} distinct writers, {} requests in flight:",
        options.writers, options.concurrency
    );
    let mut written = few.clone();
    for (label, targets) in [
        (format!("{} typical offerings", few.len()), few),
        ("the most reviewed offering".to_owned(), vec![top]),
    ] {
        let mut requests = Vec::new();
        for (w, token) in tokens.iter().enumerate() {
            for (o, offering) in targets.iter().enumerate() {
                let i = w * targets.len() + o;
                requests.push(
                    client
                        .post(format!("{base_url}/v1/offerings/{offering}/reviews"))
                        .bearer_auth(token)
                        .json(&review_body((i % 5 + 1) as u64))
                        .build()?,
                );
            }
        }
        let batch = send_concurrently(client, requests, options.concurrency, 201).await?;
        println!("  {label}: {}", batch.rate("reviews"));
        report("  one write", batch.samples);
    }
    written.push(top);
    Ok(written)
}

/// Compares each offering's stored aggregates with a fresh computation from its reviews.
async fn check_aggregates(state: &AppState, offerings: &[OfferingId]) -> anyhow::Result<()> {
    let mut conn = state.pool.get().await?;
    let mut exact = 0;
    for offering in offerings {
        let rated = Review::rated_of_offering(&mut conn, *offering).await?;
        let fresh = ReviewAggregate::of(*offering, &ReviewStats::of(&rated), &state.config.reviews);
        let stored = ReviewAggregate::find(&mut conn, *offering).await?;
        if stored.as_ref() == Some(&fresh) {
            exact += 1;
        } else {
            println!("  offering {offering}: stored {stored:?}, fresh {fresh:?}");
        }
    }
    println!(
        "aggregates after the writes: {exact} of {} written offerings equal a fresh computation from their reviews",
        offerings.len()
    );
    anyhow::ensure!(
        exact == offerings.len(),
        "aggregates differ from their reviews"
    );
    Ok(())
}

/// Writes reviews at a steady rate, each of another offering, and times each from the write's
/// answer (its commit) until a search shows the offering's new review count.
async fn sync_lag(
    state: &AppState,
    client: &reqwest::Client,
    base_url: &str,
    options: &Options,
) -> anyhow::Result<()> {
    // Offerings of providers with at most 8 published ones, one per provider, so a page of the
    // poller's search holds every offering of the providers it asks for.
    let published: Vec<(OfferingId, Uuid)> = {
        let mut conn = state.pool.get().await?;
        offerings::table
            .filter(offerings::status.eq("published"))
            .order(offerings::id.asc())
            .select((offerings::id, offerings::provider_id))
            .load(&mut conn)
            .await?
    };
    let mut per_provider: HashMap<Uuid, usize> = HashMap::new();
    for (_, provider) in &published {
        *per_provider.entry(*provider).or_default() += 1;
    }
    let mut chosen: Vec<(OfferingId, Uuid)> = Vec::new();
    for (id, provider) in &published {
        if per_provider[provider] <= 8 && !chosen.iter().any(|(_, p)| p == provider) {
            chosen.push((*id, *provider));
            if chosen.len() == options.lag_writes {
                break;
            }
        }
    }
    let run = Uuid::now_v7().simple().to_string();
    let tokens = writers(state, chosen.len(), &format!("lag-{}", &run[24..])).await?;
    let interval = Duration::from_micros(1_000_000 / options.writes_per_second.max(1));
    let awaited = Arc::new(std::sync::Mutex::new(Vec::<Awaited>::new()));
    let (done_tx, done) = tokio::sync::watch::channel(false);
    let poller = tokio::spawn(poll(
        state.search.engine.clone(),
        state.search.index,
        None,
        awaited.clone(),
        done,
    ));
    let mut failed = 0;
    for ((id, provider), token) in chosen.iter().zip(&tokens) {
        let tick = Instant::now();
        let before = {
            let mut conn = state.pool.get().await?;
            ReviewAggregate::find(&mut conn, *id)
                .await?
                .map_or(0, |a| a.review_count)
        };
        let status = client
            .post(format!("{base_url}/v1/offerings/{id}/reviews"))
            .bearer_auth(token)
            .json(&review_body(4))
            .send()
            .await?
            .status();
        if status.as_u16() == 201 {
            awaited
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(Awaited {
                    id: *id.as_uuid(),
                    provider: *provider,
                    shows: Shows::Reviews(before + 1),
                    committed: Instant::now(),
                });
        } else {
            failed += 1;
        }
        tokio::time::sleep(interval.saturating_sub(tick.elapsed())).await;
    }
    done_tx.send(true)?;
    let lags = poller.await??;
    println!(
        "rating sync lag at {} writes/s ({} reviews written, {failed} failed, {} seen):",
        options.writes_per_second,
        chosen.len() - failed,
        lags.len()
    );
    report("review write to search document", lags);
    Ok(())
}
