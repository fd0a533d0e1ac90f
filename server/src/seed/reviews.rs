//! Reviews at scale (`edumarkt seed --reviews N`): N generated reviews of the published
//! offerings, spread as attention is on a marketplace (Zipf: the most reviewed offering has
//! about a tenth of them, most have a handful or none), by reviewer accounts made for them
//! (verified teachers and school leaders of the seeded schools), with helpful votes. Rows go
//! in with COPY in batches, then every reviewed offering's aggregates are computed in one
//! grouped query and stored, which queues their search documents.
//!
//! The aggregates are computed as a review's write computes them (`Review::stats_by_offering`),
//! for every offering at once.

use std::fmt::Write as _;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use futures_util::SinkExt;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use uuid::Uuid;

use super::market::v7;
use super::words;
use crate::db::models::review::Review;
use crate::db::models::review_aggregate::ReviewAggregate;
use crate::db::schema::{offerings, organizations, reviews};
use crate::domain::OrganizationKind;
use crate::domain::offering_status::Status;
use crate::domain::review_stats::ReviewSettings;

/// Reviews per COPY: progress shows, and a batch's text stays a few megabytes.
const BATCH: usize = 10_000;

/// What `load_reviews` wrote.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ReviewsSeeded {
    pub reviews: usize,
    /// Offerings with at least one review.
    pub offerings: usize,
    pub reviewers: usize,
    pub helpful_votes: usize,
    /// The most reviews one offering got.
    pub most: usize,
}

/// A reviewer account: a verified member of a school, reviewing from it.
#[derive(Debug, Clone)]
pub struct Reviewer {
    pub id: Uuid,
    pub school: Uuid,
    pub sector: String,
    /// The role in the school, which the reviews name.
    pub role: &'static str,
}

/// Appends one COPY text field: `\N` for NULL, the value with COPY's escapes otherwise.
fn field(buf: &mut String, value: Option<&str>) {
    match value {
        None => buf.push_str("\\N"),
        Some(text) => {
            for c in text.chars() {
                match c {
                    '\\' => buf.push_str("\\\\"),
                    '\t' => buf.push_str("\\t"),
                    '\n' => buf.push_str("\\n"),
                    '\r' => buf.push_str("\\r"),
                    c => buf.push(c),
                }
            }
        }
    }
}

/// Appends a row of COPY text fields.
fn row(buf: &mut String, fields: &[Option<&str>]) {
    for (i, value) in fields.iter().enumerate() {
        if i > 0 {
            buf.push('\t');
        }
        field(buf, *value);
    }
    buf.push('\n');
}

async fn copy(
    client: &tokio_postgres::Client,
    statement: &str,
    text: String,
) -> anyhow::Result<()> {
    let sink = client.copy_in(statement).await?;
    futures_util::pin_mut!(sink);
    sink.send(std::io::Cursor::new(text.into_bytes())).await?;
    sink.finish().await?;
    Ok(())
}

/// A client for COPY, which diesel does not speak.
async fn copy_client(url: &str) -> anyhow::Result<tokio_postgres::Client> {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls).await?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            tracing::warn!(error = %e, "the COPY connection ended");
        }
    });
    Ok(client)
}

/// The schools reviewers belong to, with the sector they review from.
async fn schools(conn: &mut AsyncPgConnection) -> anyhow::Result<Vec<(Uuid, String)>> {
    let rows: Vec<(Uuid, Vec<String>)> = organizations::table
        .filter(organizations::kind.eq(OrganizationKind::School.as_str()))
        .order(organizations::id.asc())
        .select((organizations::id, organizations::sectors))
        .load(conn)
        .await?;
    let schools: Vec<(Uuid, String)> = rows
        .into_iter()
        .filter_map(|(id, sectors)| sectors.into_iter().next().map(|s| (id, s)))
        .collect();
    anyhow::ensure!(
        !schools.is_empty(),
        "there are no schools to review from: seed the market first"
    );
    Ok(schools)
}

/// Creates `count` verified reviewer accounts (`{label}-{n}@seed.edumarkt.example`, no
/// password: no one logs in as them), each a teacher or school leader of one of the schools.
pub async fn create_reviewers(
    conn: &mut AsyncPgConnection,
    url: &str,
    count: usize,
    label: &str,
    seed: u64,
) -> anyhow::Result<Vec<Reviewer>> {
    let schools = schools(conn).await?;
    let client = copy_client(url).await?;
    let mut rng = StdRng::seed_from_u64(seed ^ 0x7265_7669_6577);
    let at = DateTime::parse_from_rfc3339("2025-01-01T00:00:00Z")
        .map(|d| d.to_utc())
        .unwrap_or_default();
    let stamp = at.to_rfc3339();
    let mut reviewers = Vec::with_capacity(count);
    let (mut users, mut memberships) = (String::new(), String::new());
    for n in 0..count {
        let id = v7(&mut rng, at);
        let (school, sector) = schools[rng.gen_range(0..schools.len())].clone();
        let name = format!(
            "{} {}",
            words::FIRST_NAMES[rng.gen_range(0..words::FIRST_NAMES.len())],
            words::LAST_NAMES[rng.gen_range(0..words::LAST_NAMES.len())]
        );
        let email = format!("{label}-{n}@seed.edumarkt.example");
        let (id_text, school_text) = (id.to_string(), school.to_string());
        row(
            &mut users,
            &[
                Some(&id_text),
                Some(&email),
                Some(&name),
                None,
                Some(&stamp),
                Some("f"),
                Some(&stamp),
                Some(&stamp),
            ],
        );
        let role = if rng.gen_bool(0.15) {
            "school_leader"
        } else {
            "teacher"
        };
        row(
            &mut memberships,
            &[Some(&school_text), Some(&id_text), Some(role), Some(&stamp)],
        );
        reviewers.push(Reviewer {
            id,
            school,
            sector,
            role,
        });
    }
    copy(
        &client,
        "COPY users (id, email, display_name, password_hash, email_verified_at, is_moderator, \
         created_at, updated_at) FROM STDIN",
        users,
    )
    .await?;
    copy(
        &client,
        "COPY memberships (organization_id, user_id, role, created_at) FROM STDIN",
        memberships,
    )
    .await?;
    Ok(reviewers)
}

/// How many reviews each of `offerings` offerings gets out of `total`: the offering of rank
/// `r` (0 first) in proportion to `1 / (r + 1)`, rounded down, the rest one each from the top.
fn zipf_counts(total: usize, offerings: usize) -> Vec<usize> {
    if offerings == 0 {
        return Vec::new();
    }
    let weight: f64 = (1..=offerings).map(|r| 1.0 / r as f64).sum();
    let mut counts: Vec<usize> = (1..=offerings)
        .map(|r| (total as f64 / (r as f64 * weight)).floor() as usize)
        .collect();
    // Rounding down loses less than one a rank, so the rest is fewer than the ranks.
    let left = total.saturating_sub(counts.iter().sum());
    for rank in 0..left {
        counts[rank % offerings] += 1;
    }
    counts
}

/// The first day of the month `days` before `at`.
fn month_before(at: DateTime<Utc>, days: i64) -> NaiveDate {
    let day = (at - Duration::days(days)).date_naive();
    day.with_day(1).unwrap_or(day)
}

/// One review's row (COPY text) and its helpful votes' rows.
struct ReviewWriter<'a> {
    rng: StdRng,
    reviewers: &'a [Reviewer],
    epoch: DateTime<Utc>,
    reviews: String,
    votes: String,
    vote_count: usize,
}

impl ReviewWriter<'_> {
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.rng.gen_range(0..items.len())]
    }

    /// A star rating around `quality`.
    fn stars(&mut self, quality: f64) -> i16 {
        let noise = (self.rng.r#gen::<f64>() + self.rng.r#gen::<f64>() - 1.0) * 1.8;
        (quality + noise).round().clamp(1.0, 5.0) as i16
    }

    fn review(&mut self, offering: Uuid, author: usize, quality: f64) {
        let reviewer = &self.reviewers[author];
        let (author_id, school, sector, role) = (
            reviewer.id,
            reviewer.school,
            reviewer.sector.clone(),
            reviewer.role,
        );
        let created = self.epoch + Duration::seconds(self.rng.gen_range(0..690 * 86_400));
        let id = v7(&mut self.rng, created);
        let overall = self.stars(quality);
        let mut others: [Option<String>; 5] = Default::default();
        for other in &mut others {
            if self.rng.gen_bool(0.75) {
                let step = self.rng.gen_range(-1..=1);
                *other = Some((overall + step).clamp(1, 5).to_string());
            }
        }
        let started = month_before(created, self.rng.gen_range(30..400));
        let still = self.rng.gen_bool(0.6);
        let ended = (!still).then(|| month_before(created, 0).to_string());
        let pros = if self.rng.gen_bool(0.4) {
            format!(
                "{} {}",
                self.pick(words::REVIEW_PROS),
                self.pick(words::REVIEW_PROS)
            )
        } else {
            self.pick(words::REVIEW_PROS).to_owned()
        };
        let pitfalls = self
            .rng
            .gen_bool(0.8)
            .then(|| self.pick(words::REVIEW_PITFALLS));
        let advice = self
            .rng
            .gen_bool(0.5)
            .then(|| self.pick(words::REVIEW_ADVICE));
        let size = self.pick(&["tot_200", "200_500", "500_1000", "vanaf_1000"]);
        let scale = self.pick(&["own_class", "team", "school"]);
        let phase = self.pick(&["started", "implemented", "embedded"]);
        let verified = self
            .rng
            .gen_bool(0.2)
            .then(|| (created + Duration::days(3)).to_rfc3339());
        // Most reviews get no vote; a few get many (the voters: the next reviewers along, never
        // the author, each once).
        let votes = if self.rng.gen_bool(0.25) {
            (self.rng.r#gen::<f64>() * 16f64.ln()).exp() as usize
        } else {
            0
        }
        .min(self.reviewers.len() - 1);
        let (id_text, created_text) = (id.to_string(), created.to_rfc3339());
        let overall_text = overall.to_string();
        let started_text = started.to_string();
        let votes_text = votes.to_string();
        row(
            &mut self.reviews,
            &[
                Some(&id_text),
                Some(&offering.to_string()),
                Some(&author_id.to_string()),
                Some(&school.to_string()),
                Some(&overall_text),
                others[0].as_deref(),
                others[1].as_deref(),
                others[2].as_deref(),
                others[3].as_deref(),
                others[4].as_deref(),
                Some(&sector),
                Some(role),
                Some(size),
                Some(&started_text),
                ended.as_deref(),
                Some(scale),
                Some(phase),
                Some(if still { "t" } else { "f" }),
                Some(&pros),
                pitfalls,
                advice,
                Some(if self.rng.gen_bool(0.3) { "t" } else { "f" }),
                verified.as_deref(),
                Some(&votes_text),
                Some(&created_text),
            ],
        );
        for k in 0..votes {
            let voter = &self.reviewers[(author + 1 + k) % self.reviewers.len()];
            let at = (created + Duration::hours(1 + k as i64)).to_rfc3339();
            let _ = writeln!(self.votes, "{id_text}\t{}\t{at}", voter.id);
        }
        self.vote_count += votes;
    }
}

const REVIEW_COLUMNS: &str = "COPY reviews (id, offering_id, author_id, organization_id, \
     rating_overall, rating_fit_with_practice, rating_expertise, rating_lasting_effect, \
     rating_value_for_money, rating_teacher_involvement, sector, role, school_size, \
     period_start, period_end, scale, phase, still_in_use, pros, pitfalls, advice, show_name, \
     verified_at, helpful_count, created_at) FROM STDIN";

/// Whether the database holds reviews already.
pub async fn has_reviews(conn: &mut AsyncPgConnection) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(reviews::table.select(reviews::id)))
        .get_result(conn)
        .await
}

/// Loads `total` generated reviews (from `seed`) into a database with a market and no reviews
/// yet; `progress` is told how many are in.
pub async fn load_reviews(
    conn: &mut AsyncPgConnection,
    url: &str,
    total: usize,
    seed: u64,
    settings: &ReviewSettings,
    progress: &(dyn Fn(usize) + Sync),
) -> anyhow::Result<ReviewsSeeded> {
    let mut published: Vec<Uuid> = offerings::table
        .filter(offerings::status.eq(Status::Published.as_str()))
        .order(offerings::id.asc())
        .select(offerings::id)
        .load(conn)
        .await?;
    anyhow::ensure!(
        !published.is_empty() || total == 0,
        "there are no published offerings to review: seed the market first"
    );
    let mut rng = StdRng::seed_from_u64(seed ^ 0x7265_7669_6577_7321);
    // Which offering is popular is chance, not its age.
    rand::seq::SliceRandom::shuffle(&mut published[..], &mut rng);
    let counts = zipf_counts(total, published.len());
    let most = counts.iter().max().copied().unwrap_or(0);
    // One review per reviewer per offering: the most reviewed offering needs that many
    // reviewers; a few more give the votes voters.
    let reviewers = create_reviewers(conn, url, most.max(50), "recensent", seed).await?;
    let client = copy_client(url).await?;
    let mut writer = ReviewWriter {
        rng,
        reviewers: &reviewers,
        epoch: DateTime::parse_from_rfc3339("2025-01-01T00:00:00Z")
            .map(|d| d.to_utc())
            .unwrap_or_default(),
        reviews: String::new(),
        votes: String::new(),
        vote_count: 0,
    };
    let (mut done, mut in_batch) = (0, 0);
    for (offering, count) in published.iter().zip(&counts) {
        let quality = writer.rng.gen_range(2.2..4.9);
        let first = writer.rng.gen_range(0..reviewers.len());
        for j in 0..*count {
            writer.review(*offering, (first + j) % reviewers.len(), quality);
            in_batch += 1;
            if in_batch == BATCH {
                flush(&client, &mut writer).await?;
                done += in_batch;
                in_batch = 0;
                progress(done);
            }
        }
    }
    flush(&client, &mut writer).await?;
    done += in_batch;
    progress(done);
    let offerings = store_aggregates(conn, settings).await?;
    Ok(ReviewsSeeded {
        reviews: done,
        offerings,
        reviewers: reviewers.len(),
        helpful_votes: writer.vote_count,
        most,
    })
}

async fn flush(
    client: &tokio_postgres::Client,
    writer: &mut ReviewWriter<'_>,
) -> anyhow::Result<()> {
    if !writer.reviews.is_empty() {
        copy(client, REVIEW_COLUMNS, std::mem::take(&mut writer.reviews)).await?;
    }
    if !writer.votes.is_empty() {
        copy(
            client,
            "COPY review_helpful_votes (review_id, user_id, created_at) FROM STDIN",
            std::mem::take(&mut writer.votes),
        )
        .await?;
    }
    Ok(())
}

/// Computes and stores the aggregates of every reviewed offering (the figures a review's write
/// would store); answers how many offerings have reviews.
pub async fn store_aggregates(
    conn: &mut AsyncPgConnection,
    settings: &ReviewSettings,
) -> anyhow::Result<usize> {
    let aggregates: Vec<ReviewAggregate> = Review::stats_by_offering(conn, None)
        .await?
        .iter()
        .map(|(offering_id, stats)| ReviewAggregate::of(*offering_id, stats, settings))
        .collect();
    ReviewAggregate::store_many(conn, &aggregates).await?;
    // The planner's statistics still describe the tables before the load (empty, at first):
    // left to autovacuum, lists would meanwhile be planned for a handful of rows.
    diesel::sql_query(
        "ANALYZE users, memberships, reviews, review_helpful_votes, review_aggregates",
    )
    .execute(conn)
    .await?;
    Ok(aggregates.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_counts_add_up_and_fall_with_rank() {
        for (total, offerings) in [(300, 250), (1_000_000, 9_000), (7, 3), (5, 10)] {
            let counts = zipf_counts(total, offerings);
            assert_eq!(counts.len(), offerings);
            assert_eq!(counts.iter().sum::<usize>(), total);
            assert!(
                counts.windows(2).all(|w| w[0] >= w[1]),
                "{total} {offerings}"
            );
        }
        // The head is long: with a million reviews the top offering has about a tenth.
        let counts = zipf_counts(1_000_000, 10_000);
        assert!(counts[0] > 90_000 && counts[0] < 120_000, "{}", counts[0]);
        assert!(counts[100] > 500, "{}", counts[100]);
        assert_eq!(zipf_counts(10, 0), Vec::<usize>::new());
    }

    #[test]
    fn copy_text_escapes_what_would_end_a_field_or_row() {
        let mut buf = String::new();
        row(&mut buf, &[Some("a\tb\\c\nd"), None, Some("é")]);
        assert_eq!(buf, "a\\tb\\\\c\\nd\t\\N\té\n");
    }
}
