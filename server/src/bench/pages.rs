//! `edumarkt bench pages`: the pages on the scale data as a browser gets them. For each page:
//! the time to first byte (the response head) and to the last byte, p50 and p99 over
//! sequential requests; the HTML's size on the wire (compressed as a browser asks) and
//! uncompressed; and the page's weight with everything it loads (stylesheets, scripts,
//! images), on a first visit (empty cache) and on a repeat visit (what the cache headers make
//! the browser fetch again). It prints figures; it asserts nothing.

use std::collections::HashMap;
use std::time::Instant;

use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use reqwest::header::{self, HeaderMap};
use uuid::Uuid;

use super::percentile;
use crate::state::AppState;

/// What a current browser sends: it takes compressed answers.
pub(crate) const ACCEPT_ENCODING: &str = "gzip, deflate, br, zstd";

/// The bytes of one response: on the wire (its body as sent) and once decompressed.
#[derive(Default, Clone, Copy)]
struct Weight {
    requests: usize,
    wire: usize,
    plain: usize,
}

impl std::ops::AddAssign for Weight {
    fn add_assign(&mut self, other: Weight) {
        self.requests += other.requests;
        self.wire += other.wire;
        self.plain += other.plain;
    }
}

fn kb(bytes: usize) -> String {
    format!("{:.1} kB", bytes as f64 / 1000.0)
}

pub async fn pages(state: &AppState, base_url: &str, requests: usize) -> anyhow::Result<()> {
    // No automatic decompression (reqwest's gzip feature is off): bodies are timed and counted
    // as they travel.
    let client = reqwest::Client::builder().build()?;
    let (documents, ids) = {
        let mut conn = state.pool.get().await?;
        let documents = edumarkt_search_sync::projection::count(&mut conn).await?;
        use crate::db::schema::offerings;
        let ids: Vec<Uuid> = offerings::table
            .filter(offerings::status.eq("published"))
            .order(offerings::id.asc())
            .limit(3)
            .select(offerings::id)
            .load(&mut conn)
            .await?;
        (documents, ids)
    };
    anyhow::ensure!(
        ids.len() == 3,
        "the scale data has fewer than 3 published offerings"
    );
    let compare = ids
        .iter()
        .map(|id| format!("id={id}"))
        .collect::<Vec<_>>()
        .join("&");
    let pages = [
        ("search, no words", "/".to_owned()),
        ("search for a word", "/?q=dyslexie".to_owned()),
        ("search with a typo", "/?q=dyslexsie&sector=po".to_owned()),
        (
            "search, filtered and sorted, page 3",
            "/?q=rekenen&sector=po&sort=price_asc&page=3".to_owned(),
        ),
        ("search that finds nothing", "/?q=qqxzwvk".to_owned()),
        (
            "an offering, cost for 400",
            format!("/aanbod/{}?aantal=400", ids[0]),
        ),
        (
            "compare 3 for 400 pupils",
            format!("/vergelijken?{compare}&aantal=400&eenheid=leerling"),
        ),
    ];
    println!(
        "pages benchmark: {documents} searchable offerings, engine {}, {requests} requests per page",
        state.search.engine.kind()
    );
    println!(
        "  {:<36} {:>9} {:>9} {:>9} {:>9} {:>10} {:>10}",
        "page", "TTFB p50", "p99", "full p50", "p99", "HTML wire", "HTML"
    );
    let mut weights = Vec::new();
    for (label, path) in &pages {
        let url = format!("{base_url}{path}");
        // Warm the path once, so first-touch costs do not count.
        get(&client, &url, &HeaderMap::new()).await?;
        let (mut first_byte, mut full) = (Vec::new(), Vec::new());
        for _ in 0..requests.max(1) {
            let started = Instant::now();
            let response = client
                .get(&url)
                .header(header::ACCEPT, "text/html")
                .header(header::ACCEPT_ENCODING, ACCEPT_ENCODING)
                .send()
                .await?;
            first_byte.push(started.elapsed());
            let status = response.status();
            response.bytes().await?;
            full.push(started.elapsed());
            anyhow::ensure!(status.is_success(), "{path} answered {status}");
        }
        first_byte.sort();
        full.sort();
        let (html, visits) = weigh(&client, base_url, path).await?;
        println!(
            "  {label:<36} {:>6.2} ms {:>6.2} ms {:>6.2} ms {:>6.2} ms {:>10} {:>10}",
            percentile(&first_byte, 50.0),
            percentile(&first_byte, 99.0),
            percentile(&full, 50.0),
            percentile(&full, 99.0),
            kb(html.wire),
            kb(html.plain),
        );
        weights.push((label, visits));
    }
    println!("page weight, the HTML and everything it loads (on the wire / uncompressed):");
    for (label, (first, repeat)) in weights {
        println!(
            "  {label:<36} first visit {} requests {} / {}; repeat visit {} requests {}",
            first.requests,
            kb(first.wire),
            kb(first.plain),
            repeat.requests,
            kb(repeat.wire),
        );
    }
    Ok(())
}

/// One GET with `headers`: its status, head and body.
async fn get(
    client: &reqwest::Client,
    url: &str,
    headers: &HeaderMap,
) -> anyhow::Result<(reqwest::StatusCode, HeaderMap, Vec<u8>)> {
    let response = client.get(url).headers(headers.clone()).send().await?;
    let (status, head) = (response.status(), response.headers().clone());
    Ok((status, head, response.bytes().await?.to_vec()))
}

/// The page at `path`: its HTML's weight, and the whole page's on a first and a repeat visit.
async fn weigh(
    client: &reqwest::Client,
    base_url: &str,
    path: &str,
) -> anyhow::Result<(Weight, (Weight, Weight))> {
    let mut compressed = HeaderMap::new();
    compressed.insert(header::ACCEPT, "text/html".parse()?);
    compressed.insert(header::ACCEPT_ENCODING, ACCEPT_ENCODING.parse()?);
    let url = format!("{base_url}{path}");
    let (_, _, wire) = get(client, &url, &compressed).await?;
    let (_, _, plain) = get(client, &url, &HeaderMap::new()).await?;
    let html = Weight {
        requests: 1,
        wire: wire.len(),
        plain: plain.len(),
    };
    let (mut first, mut repeat) = (html, html);
    // What the page loads, fetched as a browser with an empty cache; then what its cache
    // headers make it fetch again on the next visit.
    let mut cached: HashMap<String, HeaderMap> = HashMap::new();
    for asset in linked(&String::from_utf8_lossy(&plain)) {
        let url = format!("{base_url}{asset}");
        let (_, head, wire) = get(client, &url, &compressed).await?;
        let (_, _, plain) = get(client, &url, &HeaderMap::new()).await?;
        first += Weight {
            requests: 1,
            wire: wire.len(),
            plain: plain.len(),
        };
        cached.insert(url, head);
    }
    for (url, head) in cached.iter().filter(|(_, head)| revisit(head)) {
        let mut conditional = compressed.clone();
        if let Some(etag) = head.get(header::ETAG) {
            conditional.insert(header::IF_NONE_MATCH, etag.clone());
        }
        let (_, _, body) = get(client, url, &conditional).await?;
        repeat += Weight {
            requests: 1,
            wire: body.len(),
            plain: body.len(),
        };
    }
    Ok((html, (first, repeat)))
}

/// Whether a browser asks for a response again on the next visit, rather than serving it from
/// its cache without asking: a fresh `max-age` (or `immutable`) is not asked again.
fn revisit(head: &HeaderMap) -> bool {
    let cache = head
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let fresh = cache.split(',').map(str::trim).any(|d| {
        d == "immutable"
            || d.strip_prefix("max-age=")
                .and_then(|s| s.parse::<u64>().ok())
                .is_some_and(|s| s > 0)
    }) && !cache.contains("no-cache");
    !fresh
}

/// The same-origin stylesheets, scripts and images an HTML page loads, in order.
fn linked(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (tag, attribute) in [
        ("<link ", "href=\""),
        ("<script ", "src=\""),
        ("<img ", "src=\""),
    ] {
        for (at, _) in html.match_indices(tag) {
            let element = &html[at..html[at..].find('>').map_or(html.len(), |end| at + end)];
            if tag == "<link " && !element.contains("rel=\"stylesheet\"") {
                continue;
            }
            let Some(start) = element.find(attribute).map(|i| i + attribute.len()) else {
                continue;
            };
            let Some(value) = element[start..].split('"').next() else {
                continue;
            };
            if value.starts_with('/')
                && !value.starts_with("//")
                && !found.iter().any(|f| f == value)
            {
                found.push(value.to_owned());
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_loads_its_own_stylesheets_scripts_and_images_once_each() {
        let html = r#"<html><head>
            <link rel="stylesheet" href="/assets/a.css">
            <link rel="icon" href="/favicon.ico">
            <link href="/assets/b.css" rel="stylesheet">
            <link rel="stylesheet" href="https://cdn.example/c.css">
            <script src="/assets/app.js"></script><script>inline()</script>
            </head><body><img alt="" src="/logo.svg"><img src="//elsewhere/x.png">
            <link rel="stylesheet" href="/assets/a.css"></body></html>"#;
        assert_eq!(
            linked(html),
            [
                "/assets/a.css",
                "/assets/b.css",
                "/assets/app.js",
                "/logo.svg"
            ]
        );
    }

    #[test]
    fn a_fresh_cache_entry_is_not_asked_for_again_and_a_revalidated_one_is() {
        let head = |value: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::CACHE_CONTROL, value.parse().unwrap());
            h
        };
        assert!(!revisit(&head("public, max-age=31536000, immutable")));
        assert!(revisit(&head("public, no-cache")));
        assert!(revisit(&head("max-age=0")));
        assert!(revisit(&HeaderMap::new()));
    }
}
