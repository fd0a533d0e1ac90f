//! `edumarkt bench load`: a mixed read/write load on a server with the scale data, as its
//! visitors and schools make it at once. A fixed mix (`MIX`) of searches through the API and
//! the search page, the home page, offering pages and the offering API, compare through the API
//! and its page, review lists, reviews written and bundles joined, with `concurrency` requests
//! in flight for a time or a number of requests. Per operation: requests, errors (any answer
//! but 2xx and 3xx, or none), throughput, p50 and p99 of the answered ones; and the server's
//! memory before and after. The run fails when more than 1% of the requests fail.
//!
//! Reads are anonymous, as a visitor's. Writes go through the API with real accounts logged in
//! through it: reviews by teachers and school leaders of the scale data's schools (each writes
//! up to the server's daily limit, then the next account logs in, untimed), joins by the
//! leaders of the run's own schools to the run's open public bundles (a school joins each
//! bundle once, then changes its part, as a school may until the deadline).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use futures_util::{StreamExt, TryStreamExt};
use reqwest::header;
use serde_json::json;
use uuid::Uuid;

use super::pages::ACCEPT_ENCODING;
use super::reviews::review_body;
use super::serve::{ChildServer, ProcMemory, metrics_memory, mib};
use super::tenders::{create_cast, open_bundle, part};
use super::{QUERIES, call, machine, percentile};
use crate::config::SearchEngineConfig;
use crate::db::schema::{offerings, review_aggregates, reviews, users};
use crate::seed::reviews::create_reviewers;

pub struct Options {
    /// Requests in flight at once.
    pub concurrency: usize,
    /// How long the load runs, unless `requests` is given.
    pub seconds: u64,
    /// Stop after this many requests.
    pub requests: Option<usize>,
    /// Reviews one account may write a day (the server's `EDUMARKT_REVIEW_DAILY_LIMIT`).
    pub daily_limit: usize,
}

/// The server under load.
pub enum Server<'a> {
    /// `edumarkt serve` started by the benchmark: memory from `/proc`.
    Child(&'a ChildServer),
    /// A server running at this URL: memory from its `/metrics`, if it says.
    Running(String),
}

impl Server<'_> {
    fn base_url(&self) -> &str {
        match self {
            Server::Child(child) => &child.base_url,
            Server::Running(url) => url,
        }
    }
}

/// The engine a configuration chooses, named as the engines name themselves.
pub fn engine_kind(engine: &SearchEngineConfig) -> &'static str {
    match engine {
        SearchEngineConfig::Meilisearch { .. } => "meilisearch",
        SearchEngineConfig::Embedded { .. } => "embedded",
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operation {
    SearchApi,
    SearchPage,
    HomePage,
    OfferingPage,
    OfferingApi,
    CompareApi,
    ComparePage,
    ReviewList,
    WriteReview,
    JoinBundle,
}

/// The mix: of every 100 requests, this many of each operation (spread evenly over the 100).
const MIX: [(Operation, usize, &str); 10] = [
    (Operation::SearchApi, 20, "search (API)"),
    (Operation::SearchPage, 10, "search page"),
    (Operation::HomePage, 5, "home page"),
    (Operation::OfferingPage, 15, "offering page"),
    (Operation::OfferingApi, 10, "offering (API)"),
    (Operation::CompareApi, 5, "compare (API)"),
    (Operation::ComparePage, 5, "compare page"),
    (Operation::ReviewList, 20, "review list (API)"),
    (Operation::WriteReview, 5, "write a review"),
    (Operation::JoinBundle, 5, "join a bundle"),
];

/// Schools of the run (each with its leader) that join the bundles, and the bundles.
const SCHOOLS: usize = 64;
const BUNDLES: usize = 4;
/// Offerings whose reviews are listed: the most reviewed first.
const REVIEWED: i64 = 1_000;
/// Reviewer accounts created at a time when the spare ones run out.
const REVIEWER_CHUNK: usize = 64;

/// The order of the operations in every run of 100 requests: each `MIX` weight times, spread
/// by smooth weighted round robin (the operation furthest behind its share goes next), so a run
/// cut short anywhere is still close to the mix.
fn schedule() -> Vec<usize> {
    let total: usize = MIX.iter().map(|(_, weight, _)| weight).sum();
    let mut credit = [0_i64; MIX.len()];
    (0..total)
        .map(|_| {
            for (credit, (_, weight, _)) in credit.iter_mut().zip(MIX) {
                *credit += weight as i64;
            }
            let next = (0..MIX.len())
                .rev()
                .max_by_key(|&i| credit[i])
                .unwrap_or_default();
            credit[next] -= total as i64;
            next
        })
        .collect()
}

/// What the operations work on.
struct Targets {
    /// Published offerings (pages, the API, compare, reviews written).
    offerings: Vec<Uuid>,
    /// Offerings whose reviews are listed: those with reviews, most reviewed first.
    reviewed: Vec<Uuid>,
    bundles: Vec<String>,
    /// A school of the run and its leader's access token.
    schools: Vec<(Uuid, String)>,
}

/// Logs in through the API; the access token.
async fn log_in(
    client: &reqwest::Client,
    base_url: &str,
    email: &str,
    password: &str,
) -> anyhow::Result<String> {
    let (pair, _) = call(
        client
            .post(format!("{base_url}/v1/auth/login"))
            .json(&json!({"email": email, "password": password})),
        200,
    )
    .await?;
    pair["access_token"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("the login answered no access token: {pair}"))
}

/// Logs every account in, `concurrency` at once; their tokens in the same order.
async fn log_in_all(
    client: &reqwest::Client,
    base_url: &str,
    emails: &[String],
    password: &str,
    concurrency: usize,
) -> anyhow::Result<Vec<String>> {
    futures_util::stream::iter(emails)
        .map(|email| log_in(client, base_url, email, password))
        .buffered(concurrency.max(1))
        .try_collect()
        .await
}

/// The accounts' password: `hash`, the hash of the run's password.
async fn set_password(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
    hash: &str,
) -> anyhow::Result<Vec<String>> {
    diesel::update(users::table.filter(users::id.eq_any(ids)))
        .set(users::password_hash.eq(hash))
        .execute(conn)
        .await?;
    let emails: Vec<Option<String>> = users::table
        .filter(users::id.eq_any(ids))
        .order(users::email.asc())
        .select(users::email)
        .load(conn)
        .await?;
    Ok(emails.into_iter().flatten().collect())
}

/// The accounts that write reviews: teachers and school leaders of the scale data's schools
/// with the run's password, created a chunk at a time when the spare ones run out.
struct Reviewers {
    database_url: String,
    label: String,
    password: String,
    hash: String,
    /// The connection that creates them, and the addresses not yet handed out.
    spare: tokio::sync::Mutex<(AsyncPgConnection, Vec<String>)>,
    chunks: AtomicUsize,
    /// Accounts logged in while the load ran.
    logins: AtomicUsize,
}

impl Reviewers {
    /// The address of an account no one has written with yet.
    async fn take(&self) -> anyhow::Result<String> {
        let mut guard = self.spare.lock().await;
        let (conn, spare) = &mut *guard;
        if spare.is_empty() {
            let chunk = self.chunks.fetch_add(1, Ordering::Relaxed);
            let seed = u64::from_le_bytes(Uuid::now_v7().as_bytes()[8..16].try_into()?);
            let created = create_reviewers(
                conn,
                &self.database_url,
                REVIEWER_CHUNK,
                &format!("{}-{chunk}", self.label),
                seed,
            )
            .await?;
            let ids: Vec<Uuid> = created.iter().map(|r| r.id).collect();
            *spare = set_password(conn, &ids, &self.hash).await?;
        }
        spare
            .pop()
            .ok_or_else(|| anyhow::anyhow!("no reviewer accounts were created"))
    }
}

/// One worker's tally of one operation: the times of the answered requests (2xx, 3xx), and the
/// others counted by status (0: no answer).
#[derive(Default)]
struct Tally {
    samples: Vec<Duration>,
    failed: BTreeMap<u16, usize>,
}

impl Tally {
    fn requests(&self) -> usize {
        self.samples.len() + self.errors()
    }

    fn errors(&self) -> usize {
        self.failed.values().sum()
    }

    fn add(&mut self, other: Tally) {
        self.samples.extend(other.samples);
        for (status, count) in other.failed {
            *self.failed.entry(status).or_insert(0) += count;
        }
    }
}

/// What the workers share.
struct Load {
    client: reqwest::Client,
    base_url: String,
    targets: Targets,
    reviewers: Reviewers,
    daily_limit: usize,
    schedule: Vec<usize>,
    /// The next request's number, over all operations.
    sequence: AtomicUsize,
    /// Per operation, the next request's number (which offering, query, school it takes).
    counters: [AtomicUsize; MIX.len()],
    deadline: Option<Instant>,
    requests: Option<usize>,
    done: AtomicUsize,
    failed: AtomicUsize,
}

/// A worker's reviewer: the access token and the reviews written with it.
type Writer = Option<(String, usize)>;

impl Load {
    /// The request for the `k`th time `op` is sent.
    async fn request(
        &self,
        op: Operation,
        k: usize,
        writer: &mut Writer,
    ) -> anyhow::Result<reqwest::RequestBuilder> {
        let base = &self.base_url;
        let t = &self.targets;
        let offering = |n: usize| t.offerings[n % t.offerings.len()];
        let page = |path: String| {
            self.client
                .get(format!("{base}{path}"))
                .header(header::ACCEPT, "text/html")
                .header(header::ACCEPT_ENCODING, ACCEPT_ENCODING)
        };
        let three = [offering(3 * k), offering(3 * k + 1), offering(3 * k + 2)];
        Ok(match op {
            Operation::SearchApi => self.client.get(format!(
                "{base}/v1/search/offerings?{}",
                QUERIES[k % QUERIES.len()]
            )),
            Operation::SearchPage => page(format!("/?{}", QUERIES[k % QUERIES.len()])),
            Operation::HomePage => page("/".to_owned()),
            Operation::OfferingPage => page(format!("/aanbod/{}", offering(k))),
            Operation::OfferingApi => self
                .client
                .get(format!("{base}/v1/offerings/{}", offering(k))),
            Operation::CompareApi => self.client.get(format!(
                "{base}/v1/compare?ids={},{},{}&quantity=400&unit=leerling",
                three[0], three[1], three[2]
            )),
            Operation::ComparePage => page(format!(
                "/vergelijken?id={}&id={}&id={}&aantal=400&eenheid=leerling",
                three[0], three[1], three[2]
            )),
            Operation::ReviewList => self.client.get(format!(
                "{base}/v1/offerings/{}/reviews",
                t.reviewed[k % t.reviewed.len()]
            )),
            Operation::WriteReview => {
                if writer
                    .as_ref()
                    .is_none_or(|(_, written)| *written >= self.daily_limit)
                {
                    let email = self.reviewers.take().await?;
                    let token =
                        log_in(&self.client, base, &email, &self.reviewers.password).await?;
                    self.reviewers.logins.fetch_add(1, Ordering::Relaxed);
                    *writer = Some((token, 0));
                }
                let Some((token, written)) = writer.as_mut() else {
                    anyhow::bail!("no reviewer logged in");
                };
                *written += 1;
                // Each offering once: no account reviews one twice, whoever it is.
                self.client
                    .post(format!("{base}/v1/offerings/{}/reviews", offering(k)))
                    .bearer_auth(token)
                    .json(&review_body((k % 5 + 1) as u64))
            }
            Operation::JoinBundle => {
                let (school, token) = &t.schools[k % t.schools.len()];
                let bundle = &t.bundles[(k / t.schools.len()) % t.bundles.len()];
                let (quantity, budget) = part(k);
                self.client
                    .post(format!("{base}/v1/bundles/{bundle}/participants"))
                    .bearer_auth(token)
                    .json(&json!({
                        "organization_id": school,
                        "quantity": quantity,
                        "budget_cents": budget,
                        "wishes": "Graag op woensdagmiddag."
                    }))
            }
        })
    }

    /// Sends the next request until the run is over; its tally per operation.
    async fn work(self: Arc<Self>, mut writer: Writer) -> anyhow::Result<Vec<Tally>> {
        let mut tallies: Vec<Tally> = MIX.iter().map(|_| Tally::default()).collect();
        loop {
            let n = self.sequence.fetch_add(1, Ordering::Relaxed);
            if self.requests.is_some_and(|r| n >= r)
                || self.deadline.is_some_and(|d| Instant::now() >= d)
            {
                return Ok(tallies);
            }
            let slot = self.schedule[n % self.schedule.len()];
            let k = self.counters[slot].fetch_add(1, Ordering::Relaxed);
            let request = self.request(MIX[slot].0, k, &mut writer).await?;
            let sent = Instant::now();
            let status = match request.send().await {
                Ok(response) => {
                    let status = response.status().as_u16();
                    response.bytes().await.map_or(0, |_| status)
                }
                Err(_) => 0,
            };
            let elapsed = sent.elapsed();
            self.done.fetch_add(1, Ordering::Relaxed);
            if (200..400).contains(&status) {
                tallies[slot].samples.push(elapsed);
            } else {
                self.failed.fetch_add(1, Ordering::Relaxed);
                *tallies[slot].failed.entry(status).or_insert(0) += 1;
            }
        }
    }
}

/// The operations' names with their share, as the output states the mix.
fn mix() -> String {
    MIX.iter()
        .map(|(_, weight, label)| format!("{label} {weight}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Published offerings, the most reviewed ones, and the counts the run's header names.
async fn targets(conn: &mut AsyncPgConnection) -> anyhow::Result<(Vec<Uuid>, Vec<Uuid>, i64, i64)> {
    let published: Vec<Uuid> = offerings::table
        .filter(offerings::status.eq("published"))
        .order(offerings::id.asc())
        .select(offerings::id)
        .load(conn)
        .await?;
    anyhow::ensure!(
        published.len() >= 3,
        "the database has fewer than 3 published offerings: seed it (`edumarkt seed`)"
    );
    let mut reviewed: Vec<Uuid> = review_aggregates::table
        .filter(review_aggregates::review_count.gt(0))
        .order((
            review_aggregates::review_count.desc(),
            review_aggregates::offering_id.asc(),
        ))
        .limit(REVIEWED)
        .select(review_aggregates::offering_id)
        .load(conn)
        .await?;
    if reviewed.is_empty() {
        reviewed = published.iter().take(REVIEWED as usize).copied().collect();
    }
    let searchable = edumarkt_search_sync::projection::count(conn).await?;
    let review_count: i64 = reviews::table.count().get_result(conn).await?;
    Ok((published, reviewed, searchable, review_count))
}

/// The run's network, schools and open bundles, and the first reviewers, every account logged
/// in through the API.
async fn setup(
    conn: &mut AsyncPgConnection,
    client: &reqwest::Client,
    base_url: &str,
    database_url: &str,
    concurrency: usize,
) -> anyhow::Result<(Vec<String>, Vec<(Uuid, String)>, Reviewers, Vec<Writer>)> {
    let run = Uuid::now_v7().simple().to_string();
    let password = format!("load-{run}");
    let hash = crate::auth::password::hash(password.clone()).await?;
    let cast = create_cast(conn, chrono::Utc::now(), SCHOOLS, 0, "load").await?;
    let ids: Vec<Uuid> = cast.people.iter().map(|p| p.user).collect();
    set_password(conn, &ids, &hash).await?;
    let emails: Vec<String> = cast.people.iter().map(|p| p.email.clone()).collect();
    let tokens = log_in_all(client, base_url, &emails, &password, concurrency).await?;
    let coordinator = &tokens[0];
    let schools: Vec<(Uuid, String)> = cast.people[1..]
        .iter()
        .map(|p| p.organization)
        .zip(tokens[1..].iter().cloned())
        .collect();
    let mut bundles = Vec::with_capacity(BUNDLES);
    for _ in 0..BUNDLES {
        let id = open_bundle(
            client,
            base_url,
            coordinator,
            cast.network,
            chrono::Utc::now(),
        )
        .await?;
        bundles.push(id);
    }
    let reviewers = Reviewers {
        database_url: database_url.to_owned(),
        label: format!("load-{}", &run[24..]),
        password,
        hash,
        spare: tokio::sync::Mutex::new((
            AsyncPgConnection::establish(database_url).await?,
            Vec::new(),
        )),
        chunks: AtomicUsize::new(0),
        logins: AtomicUsize::new(0),
    };
    // One reviewer per worker, logged in before the clock starts.
    let mut first = Vec::with_capacity(concurrency);
    for _ in 0..concurrency {
        first.push(reviewers.take().await?);
    }
    let writers = log_in_all(client, base_url, &first, &reviewers.password, concurrency)
        .await?
        .into_iter()
        .map(|token| Some((token, 0)))
        .collect();
    Ok((bundles, schools, reviewers, writers))
}

/// A line of the table: requests, errors, throughput, p50 and p99.
fn row(label: &str, tally: &mut Tally, seconds: f64) {
    tally.samples.sort();
    println!(
        "  {label:<20} {:>9} {:>7} {:>9.1} {:>9.2} {:>9.2}{}",
        tally.requests(),
        tally.errors(),
        tally.requests() as f64 / seconds.max(1e-9),
        percentile(&tally.samples, 50.0),
        percentile(&tally.samples, 99.0),
        if tally.failed.is_empty() {
            String::new()
        } else {
            format!("   failed (status: count) {:?}", tally.failed)
        }
    );
}

fn proc_memory(memory: &ProcMemory) -> String {
    format!(
        "{} (anonymous {}, files {})",
        mib(memory.resident),
        mib(memory.anonymous),
        mib(memory.file)
    )
}

/// Runs the load on `server`, whose database is `database_url` (for the run's accounts) and
/// whose engine is `engine`, and prints the figures.
pub async fn load(
    server: Server<'_>,
    database_url: &str,
    engine: &str,
    options: &Options,
) -> anyhow::Result<()> {
    let base_url = server.base_url().trim_end_matches('/').to_owned();
    let concurrency = options.concurrency.max(1);
    // Redirects are answers (3xx), not followed: each request is one operation.
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(concurrency)
        .timeout(Duration::from_secs(60))
        .build()?;
    let mut conn = AsyncPgConnection::establish(database_url).await?;
    let (published, reviewed, searchable, review_count) = targets(&mut conn).await?;
    let served = match &server {
        Server::Child(child) => format!(
            "`edumarkt serve` with its workers (process {}) at {base_url}",
            child.pid
        ),
        Server::Running(_) => format!("the one running at {base_url}"),
    };
    println!(
        "load benchmark on {}: {} published offerings ({searchable} searchable), {review_count} \
         reviews; engine {engine}; server: {served}",
        machine(),
        published.len(),
    );
    println!("mix, per 100 requests: {}", mix());

    eprintln!("load: creating the run's network, schools, bundles and reviewers");
    let started = Instant::now();
    let (bundles, schools, reviewers, writers) =
        setup(&mut conn, &client, &base_url, database_url, concurrency).await?;
    drop(conn);
    println!(
        "setup: a network with {} schools (their leaders join), {} open public bundles, {} \
         reviewer accounts, each account logged in through the API, in {:.1} s",
        schools.len(),
        bundles.len(),
        writers.len(),
        started.elapsed().as_secs_f64()
    );
    let mut load = Load {
        client: client.clone(),
        base_url: base_url.clone(),
        targets: Targets {
            offerings: published,
            reviewed,
            bundles,
            schools,
        },
        reviewers,
        daily_limit: options.daily_limit.max(1),
        schedule: schedule(),
        sequence: AtomicUsize::new(0),
        counters: std::array::from_fn(|_| AtomicUsize::new(0)),
        deadline: None,
        requests: None,
        done: AtomicUsize::new(0),
        failed: AtomicUsize::new(0),
    };
    // Every read once, untimed, so first-touch costs do not count.
    let mut none = None;
    for (op, _, _) in MIX {
        if !matches!(op, Operation::WriteReview | Operation::JoinBundle) {
            load.request(op, 0, &mut none)
                .await?
                .send()
                .await?
                .bytes()
                .await?;
        }
    }

    let before = match &server {
        Server::Child(child) => Some(child.memory()?),
        Server::Running(_) => None,
    };
    let before_metrics = match &server {
        Server::Running(url) => metrics_memory(&client, url).await,
        Server::Child(_) => None,
    };
    let peak_reset = matches!(&server, Server::Child(child) if child.reset_peak());

    match options.requests {
        Some(requests) => load.requests = Some(requests),
        None => load.deadline = Some(Instant::now() + Duration::from_secs(options.seconds)),
    }
    let load = Arc::new(load);
    let how_long = match options.requests {
        Some(requests) => format!("{requests} requests"),
        None => format!("{} s", options.seconds),
    };
    eprintln!("load: {concurrency} in flight for {how_long}");
    let started = Instant::now();
    let progress = {
        let load = load.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_secs(5)).await;
                eprintln!(
                    "load: {:.0} s, {} requests, {} failed",
                    started.elapsed().as_secs_f64(),
                    // (Named in full: diesel's `RunQueryDsl::load` is in scope too.)
                    AtomicUsize::load(&load.done, Ordering::Relaxed),
                    AtomicUsize::load(&load.failed, Ordering::Relaxed)
                );
            }
        })
    };
    let workers: Vec<_> = writers
        .into_iter()
        .map(|writer| tokio::spawn(load.clone().work(writer)))
        .collect();
    let mut tallies: Vec<Tally> = MIX.iter().map(|_| Tally::default()).collect();
    let mut outcome = Ok(());
    for worker in workers {
        match worker.await? {
            Ok(tally) => {
                for (all, one) in tallies.iter_mut().zip(tally) {
                    all.add(one);
                }
            }
            Err(error) => outcome = Err(error),
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    progress.abort();
    outcome?;

    let mut total = Tally::default();
    println!(
        "load: {concurrency} in flight for {how_long}: {} requests in {seconds:.1} s",
        tallies.iter().map(Tally::requests).sum::<usize>()
    );
    println!(
        "  {:<20} {:>9} {:>7} {:>9} {:>9} {:>9}",
        "operation", "requests", "errors", "req/s", "p50 ms", "p99 ms"
    );
    for ((_, _, label), mut tally) in MIX.iter().zip(tallies) {
        row(label, &mut tally, seconds);
        total.add(tally);
    }
    row("all", &mut total, seconds);
    println!(
        "  reviewer accounts logged in during the load (untimed; each writes up to {} reviews a day): {}",
        load.daily_limit,
        AtomicUsize::load(&load.reviewers.logins, Ordering::Relaxed)
    );

    match &server {
        Server::Child(child) => {
            let after = child.memory()?;
            println!(
                "server memory (`edumarkt serve`, /proc/{}/status): before the load {}; after it {}; \
                 peak {} {}",
                child.pid,
                before.as_ref().map_or("unknown".to_owned(), proc_memory),
                proc_memory(&after),
                mib(after.peak),
                if peak_reset {
                    "during the load (VmHWM, reset before it)"
                } else {
                    "since the server started (VmHWM; it could not be reset)"
                }
            );
        }
        Server::Running(url) => match (before_metrics, metrics_memory(&client, url).await) {
            (Some(before), Some(after)) => println!(
                "server memory (its /metrics, edumarkt_process_resident_memory_bytes): before \
                 the load {}; after it {}",
                mib(before),
                mib(after)
            ),
            _ => println!(
                "server memory: unknown (its /metrics reports no \
                 edumarkt_process_resident_memory_bytes)"
            ),
        },
    }
    let (errors, requests) = (total.errors(), total.requests());
    anyhow::ensure!(requests > 0, "no request was sent");
    anyhow::ensure!(
        errors * 100 <= requests,
        "{errors} of {requests} requests failed, more than 1%"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_hundred_requests_hold_the_mix_spread_out() {
        let order = schedule();
        assert_eq!(order.len(), 100);
        for (i, (_, weight, label)) in MIX.iter().enumerate() {
            assert_eq!(
                order.iter().filter(|&&o| o == i).count(),
                *weight,
                "{label}"
            );
        }
        // Spread: the first 20 requests hold every operation already.
        for (i, (_, _, label)) in MIX.iter().enumerate() {
            assert!(order[..20].contains(&i), "{label} missing");
        }
    }
}
