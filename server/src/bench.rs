//! `edumarkt bench search`: figures for the search, measured on the scale data. Search latency
//! p50/p99 through the API and straight to the index (the ratio is the API's overhead),
//! throughput with concurrent clients, the reindex rate, and the sync lag (commit to
//! searchable) under a steady write load. It prints figures; it asserts nothing.

pub mod load;
pub mod pages;
pub mod reviews;
pub mod serve;
pub mod tenders;

use std::sync::Arc;
use std::time::{Duration, Instant};

use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

use edumarkt_search_sync::document::Offerings;
use edumarkt_search_sync::kind::IndexKind;
use edumarkt_search_sync::query::MAX_PER_PAGE;

use crate::routes::search::params;
use crate::state::AppState;

pub struct Options {
    pub queries: usize,
    pub concurrency: usize,
    pub throughput_seconds: u64,
    pub writes: usize,
    pub writes_per_second: u64,
}

/// Query strings as schools send them: words, typos, synonyms, filters, sorts, pages.
pub(crate) const QUERIES: &[&str] = &[
    "q=dyslexie",
    "q=dyslexsie&sector=po",
    "q=rekenen&sort=price_asc",
    "q=coaching&region=utrecht&region=landelijk",
    "q=RT",
    "q=IB&sector=po",
    "q=leerlingvolgsysteem",
    "q=profesionalisering&duration=langdurig",
    "q=examentraining&sector=vo",
    "q=interim&sort=newest",
    "domain=professionalisering&sector=vo",
    "service_type=zorg_leerproblemen&sector=po&sort=rating",
    "evidence_min=goed_onderbouwd&sort=newest",
    "price_max_cents=50000&sector=mbo",
    "q=training&format=training&delivery=online",
    "q=lesmethode&page=3&per_page=20",
    "theme=inclusief_onderwijs&co_creation=co_design",
    "",
    "q=formatief handelen",
    "q=digitale leeromgeving&sort=price_desc",
];

pub(crate) fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

/// The machine the figures come from: cores and memory.
pub(crate) fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("MemTotal:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .map_or("unknown".to_owned(), |kb| {
            format!("{:.1} GB", kb as f64 / 1_048_576.0)
        });
    format!("{cores} cores, {memory} memory")
}

/// An access token for each of these accounts, from a session started as a login starts one.
pub(crate) async fn access_tokens(state: &AppState, users: &[Uuid]) -> anyhow::Result<Vec<String>> {
    use crate::db::models::user::User;
    let mut conn = state.pool.get().await?;
    let now = state.clock.now();
    let mut tokens = Vec::with_capacity(users.len());
    for id in users {
        let user = User::find(&mut conn, crate::domain::UserId::from(*id))
            .await?
            .ok_or_else(|| anyhow::anyhow!("the new account {id} went missing"))?;
        let pair = crate::usecases::identity::start_session(
            &mut conn,
            &state.jwt,
            &user,
            state.config.jwt.refresh_ttl,
            now,
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        tokens.push(pair.access_token);
    }
    Ok(tokens)
}

/// What requests sent concurrently came to: the time of each that was answered as expected,
/// the others counted by status (0: no answer), and the wall time of the whole batch.
pub(crate) struct Batch {
    pub samples: Vec<Duration>,
    pub failed: std::collections::BTreeMap<u16, usize>,
    pub seconds: f64,
}

impl Batch {
    /// `N {what} in S s = R {what}/s`, and the failures if any.
    pub(crate) fn rate(&self, what: &str) -> String {
        format!(
            "{} {what} in {:.2} s = {:.0} {what}/s{}",
            self.samples.len(),
            self.seconds,
            self.samples.len() as f64 / self.seconds.max(1e-9),
            if self.failed.is_empty() {
                String::new()
            } else {
                format!(", failed (status: count) {:?}", self.failed)
            }
        )
    }
}

/// Sends `requests` with `concurrency` in flight, each worker taking the next unsent one;
/// an answer with status `expected` counts as done.
pub(crate) async fn send_concurrently(
    client: &reqwest::Client,
    requests: Vec<reqwest::Request>,
    concurrency: usize,
    expected: u16,
) -> anyhow::Result<Batch> {
    let queue = Arc::new(std::sync::Mutex::new(requests.into_iter()));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..concurrency.max(1) {
        let (client, queue) = (client.clone(), queue.clone());
        workers.push(tokio::spawn(async move {
            let (mut samples, mut failed) = (Vec::new(), Vec::new());
            loop {
                let next = queue.lock().unwrap_or_else(|p| p.into_inner()).next();
                let Some(request) = next else {
                    return (samples, failed);
                };
                let sent = Instant::now();
                // (Named in full: diesel's `RunQueryDsl::execute` is in scope too.)
                let status = reqwest::Client::execute(&client, request)
                    .await
                    .map_or(0, |r| r.status().as_u16());
                if status == expected {
                    samples.push(sent.elapsed());
                } else {
                    failed.push(status);
                }
            }
        }));
    }
    let mut batch = Batch {
        samples: Vec::new(),
        failed: Default::default(),
        seconds: 0.0,
    };
    for worker in workers {
        let (samples, failed) = worker.await?;
        batch.samples.extend(samples);
        for status in failed {
            *batch.failed.entry(status).or_insert(0) += 1;
        }
    }
    batch.seconds = started.elapsed().as_secs_f64();
    Ok(batch)
}

/// Sends a request and answers its JSON, which must come with `status`; with the body's size.
pub(crate) async fn call(
    request: reqwest::RequestBuilder,
    status: u16,
) -> anyhow::Result<(serde_json::Value, usize)> {
    let response = request.send().await?;
    let code = response.status().as_u16();
    let body = response.bytes().await?;
    anyhow::ensure!(
        code == status,
        "expected {status}, got {code}: {}",
        String::from_utf8_lossy(&body)
    );
    Ok((serde_json::from_slice(&body)?, body.len()))
}

pub(crate) fn report(label: &str, mut samples: Vec<Duration>) -> (f64, f64) {
    samples.sort();
    let (p50, p99) = (percentile(&samples, 50.0), percentile(&samples, 99.0));
    println!(
        "  {label:<34} p50 {p50:>7.2} ms   p99 {p99:>7.2} ms   ({} samples)",
        samples.len()
    );
    (p50, p99)
}

pub async fn search(state: &AppState, base_url: &str, options: &Options) -> anyhow::Result<()> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(options.concurrency)
        .build()?;
    let documents = {
        let mut conn = state.pool.get().await?;
        edumarkt_search_sync::projection::count(&mut conn).await?
    };
    println!(
        "search benchmark: {documents} searchable offerings, engine {}",
        state.search.engine.kind()
    );

    // Warm both paths so first-touch costs do not count.
    for query in QUERIES {
        client
            .get(format!("{base_url}/v1/search/offerings?{query}"))
            .send()
            .await?
            .error_for_status()?;
    }
    let parsed: Vec<_> = QUERIES
        .iter()
        .map(|q| params::parse(q))
        .collect::<Result<_, _>>()
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let (mut api, mut direct) = (Vec::new(), Vec::new());
    for i in 0..options.queries {
        let query = QUERIES[i % QUERIES.len()];
        let started = Instant::now();
        client
            .get(format!("{base_url}/v1/search/offerings?{query}"))
            .send()
            .await?
            .error_for_status()?
            .bytes()
            .await?;
        api.push(started.elapsed());
        let started = Instant::now();
        state
            .search
            .engine
            .search(state.search.index, &parsed[i % parsed.len()])
            .await?;
        direct.push(started.elapsed());
    }
    println!("latency, one client:");
    let (api50, api99) = report("through the API", api);
    let (direct50, direct99) = report("straight to the index", direct);
    println!(
        "  API overhead: {:.2}x at p50, {:.2}x at p99",
        api50 / direct50.max(1e-6),
        api99 / direct99.max(1e-6)
    );

    // Throughput: concurrent clients for a fixed time.
    let deadline = Instant::now() + Duration::from_secs(options.throughput_seconds);
    let mut clients = Vec::new();
    for c in 0..options.concurrency {
        let (client, base_url) = (client.clone(), base_url.to_owned());
        clients.push(tokio::spawn(async move {
            let mut done = 0u64;
            let mut i = c;
            while Instant::now() < deadline {
                let query = QUERIES[i % QUERIES.len()];
                if client
                    .get(format!("{base_url}/v1/search/offerings?{query}"))
                    .send()
                    .await
                    .is_ok_and(|r| r.status().is_success())
                {
                    done += 1;
                }
                i += 1;
            }
            done
        }));
    }
    let mut total = 0;
    for client in clients {
        total += client.await?;
    }
    println!(
        "throughput: {:.0} searches/s with {} concurrent clients over {} s",
        total as f64 / options.throughput_seconds as f64,
        options.concurrency,
        options.throughput_seconds
    );

    // Reindex rate.
    let started = Instant::now();
    let reindexed = edumarkt_search_sync::reindex::reindex(
        &state.pool,
        state.search.engine.as_ref(),
        state.search.index,
        edumarkt_search_sync::reindex::PAGE,
        &|_, _| {},
    )
    .await?;
    println!(
        "reindex: {} documents in {:.1} s = {:.0} documents/s",
        reindexed.documents,
        started.elapsed().as_secs_f64(),
        reindexed.documents as f64 / started.elapsed().as_secs_f64()
    );

    let reindex_rate = reindexed.documents as f64 / reindexed.seconds;
    let raw = raw_ingest(state).await?;
    println!(
        "  reindex: {:.0}% of raw ingest",
        100.0 * reindex_rate / raw
    );
    first_sync(state, raw).await?;
    sync_lag(state, options).await
}

/// The engine's own ingest rate (documents/s), the yardstick for reindex and first sync: every
/// searchable document sent straight to a scratch index with the same settings (Meilisearch:
/// payloads of up to 90 MB, all enqueued at once; embedded: one write), timed to the last
/// confirmation.
async fn raw_ingest(state: &AppState) -> anyhow::Result<f64> {
    let mut documents = Vec::new();
    {
        let mut conn = state.pool.get().await?;
        let mut after = None;
        loop {
            let page = <Offerings as IndexKind>::page(&mut conn, after, 10_000).await?;
            let Some(last) = page.last() else { break };
            after = Some(last.id);
            documents.extend(page);
        }
    }
    let scratch = format!("bench_raw_{}", Uuid::now_v7().simple());
    let engine = state.search.engine.as_ref();
    engine.prepare(&scratch).await?;
    let elapsed = match crate::search::connect_meilisearch(&state.config.search).await? {
        Some(meilisearch) => {
            meilisearch
                .raw_ingest::<Offerings>(&scratch, &documents)
                .await
        }
        None => {
            let started = Instant::now();
            engine
                .upsert(&scratch, &documents)
                .await
                .map(|()| started.elapsed())
        }
    };
    engine.drop_index(&scratch).await?;
    let elapsed = elapsed?;
    let rate = documents.len() as f64 / elapsed.as_secs_f64();
    println!(
        "raw ingest (the same documents straight to the engine): {} documents in {:.1} s = {rate:.0} documents/s",
        documents.len(),
        elapsed.as_secs_f64(),
    );
    Ok(rate)
}

/// Draining a full outbox, as the first sync of a new deployment does: a row for every
/// searchable document, timed until the workers have emptied it. The live index starts empty,
/// as a new deployment's does (an empty one is swapped in): replacing documents the engine
/// already holds with the same ones costs Meilisearch a fraction of adding them, and would
/// flatter the figure.
async fn first_sync(state: &AppState, raw: f64) -> anyhow::Result<()> {
    let engine = state.search.engine.as_ref();
    let empty = format!("bench_empty_{}", Uuid::now_v7().simple());
    engine.prepare(&empty).await?;
    engine.swap(state.search.index, &empty).await?;
    engine.drop_index(&empty).await?;
    let rows = {
        let mut conn = state.pool.get().await?;
        diesel::sql_query(
            "INSERT INTO search_outbox (kind, document_id) \
             SELECT 'offerings', id FROM search_offering_documents",
        )
        .execute(&mut conn)
        .await?
    };
    let started = Instant::now();
    loop {
        let mut conn = state.pool.get().await?;
        let (waiting, _) = edumarkt_search_sync::outbox::depth(&mut conn).await?;
        if waiting == 0 {
            break;
        }
        anyhow::ensure!(
            started.elapsed() < Duration::from_secs(900),
            "the outbox did not drain within 15 minutes ({waiting} rows left)"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let rate = rows as f64 / started.elapsed().as_secs_f64();
    println!(
        "first sync (drain an outbox of {rows} rows): {:.1} s = {rate:.0} documents/s, {:.0}% of raw ingest",
        started.elapsed().as_secs_f64(),
        100.0 * rate / raw
    );
    Ok(())
}

/// What a change makes a search document show.
pub(crate) enum Shows {
    /// The new title.
    Title(String),
    /// At least this many reviews (a review written).
    Reviews(i64),
}

impl Shows {
    fn in_document(&self, hit: &edumarkt_search_sync::document::OfferingDocument) -> bool {
        match self {
            Shows::Title(title) => hit.title == *title,
            Shows::Reviews(count) => hit.review_count >= *count,
        }
    }
}

/// A changed offering the lag run waits to find.
pub(crate) struct Awaited {
    pub id: Uuid,
    pub provider: Uuid,
    pub shows: Shows,
    pub committed: Instant,
}

/// Changes published offerings at a steady rate and times each from its commit until a search
/// finds it with its new title.
///
/// One poller looks for every change still awaited with a single search per round (the run's
/// word, filtered to the awaited offerings' providers), as one user searching nonstop would:
/// a watcher per change, each polling on its own, put dozens of concurrent searches on the
/// engine and slowed Meilisearch's indexing (the figure measured the benchmark's own load). A
/// change counts as seen when the search that found it returned, so a lag is never reported
/// lower than it was; the error is at most one round (one search and 5 ms).
async fn sync_lag(state: &AppState, options: &Options) -> anyhow::Result<()> {
    use crate::db::schema::offerings;
    let changed: Vec<(Uuid, Uuid)> = {
        let mut conn = state.pool.get().await?;
        offerings::table
            .filter(offerings::status.eq("published"))
            .order(offerings::id.asc())
            .limit(i64::try_from(options.writes).unwrap_or(1_000))
            .select((offerings::id, offerings::provider_id))
            .load(&mut conn)
            .await?
    };
    let interval = Duration::from_micros(1_000_000 / options.writes_per_second.max(1));
    // A word no other document holds (the run's random tail: a v7 id begins with the time,
    // which an earlier run may share).
    let run = Uuid::now_v7().simple().to_string();
    let word = format!("bench{}", &run[run.len() - 8..]);
    let awaited = Arc::new(std::sync::Mutex::new(Vec::<Awaited>::new()));
    let (done_tx, done) = tokio::sync::watch::channel(false);
    let poller = tokio::spawn(poll(
        state.search.engine.clone(),
        state.search.index,
        Some(word.clone()),
        awaited.clone(),
        done,
    ));
    for (n, (id, provider)) in changed.iter().enumerate() {
        let tick = Instant::now();
        let title = format!("Benchmark {word} wijziging {n}");
        {
            let mut conn = state.pool.get().await?;
            diesel::update(offerings::table.find(*id))
                .set(offerings::title.eq(&title))
                .execute(&mut conn)
                .await?;
        }
        awaited
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(Awaited {
                id: *id,
                provider: *provider,
                shows: Shows::Title(title),
                committed: Instant::now(),
            });
        tokio::time::sleep(interval.saturating_sub(tick.elapsed())).await;
    }
    done_tx.send(true)?;
    let lags = poller.await??;
    println!(
        "sync lag at {} writes/s ({} writes, {} seen):",
        options.writes_per_second,
        changed.len(),
        lags.len()
    );
    report("commit to searchable", lags);
    Ok(())
}

/// The poller of `sync_lag`: the lag of every change it found; a change not found within 30 s
/// is given up (and missing from the count seen). With `word`, a round searches for it among
/// up to 50 providers' offerings; without, it lists up to 12 providers' offerings (a page
/// holds them all when each has at most 8).
pub(crate) async fn poll(
    engine: Arc<dyn edumarkt_search_sync::engine::SearchEngine>,
    index: &'static str,
    word: Option<String>,
    awaited: Arc<std::sync::Mutex<Vec<Awaited>>>,
    done: tokio::sync::watch::Receiver<bool>,
) -> anyhow::Result<Vec<Duration>> {
    let mut lags = Vec::new();
    loop {
        let providers: Vec<Uuid> = {
            let mut awaited = awaited.lock().unwrap_or_else(|p| p.into_inner());
            awaited.retain(|a| a.committed.elapsed() < Duration::from_secs(30));
            let mut providers: Vec<Uuid> = awaited.iter().map(|a| a.provider).collect();
            providers.sort();
            providers.dedup();
            providers
        };
        if providers.is_empty() {
            if *done.borrow() {
                return Ok(lags);
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
            continue;
        }
        let (mut query, providers_per_round) = match &word {
            Some(word) => (format!("q={word}&per_page={MAX_PER_PAGE}"), 50),
            None => (format!("per_page={MAX_PER_PAGE}"), 12),
        };
        for provider in providers.iter().take(providers_per_round) {
            query.push_str(&format!("&provider_id={provider}"));
        }
        let query = params::parse(&query).map_err(|e| anyhow::anyhow!("{e:?}"))?;
        if let Ok(results) = engine.search(index, &query).await {
            let seen = Instant::now();
            awaited
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .retain(|a| {
                    // Only the changed document showing the change counts: its old version
                    // may be found by the rest of its text.
                    let found = results
                        .hits
                        .iter()
                        .any(|hit| hit.id == a.id && a.shows.in_document(hit));
                    if found {
                        lags.push(seen - a.committed);
                    }
                    !found
                });
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}
