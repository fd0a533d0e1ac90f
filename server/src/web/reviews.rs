//! Reviews ("ervaringen") on the pages: the section of an offering's page (the figures with
//! their count and distribution, the list with its orders and filters, verified marks, the
//! provider's replies, helpful votes), "my reviews", and the public page that says who may
//! review, how reviews are checked and how the score is computed, as the ACM asks. Writing,
//! editing and deleting one is `review_form`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use diesel_async::AsyncPgConnection;

use crate::db::models::offering::Offering;
use crate::db::models::review::{ReviewCursor, ReviewFilter, ReviewView};
use crate::domain::review::{DIMENSIONS, ReviewSort, public_label};
use crate::domain::review_stats::{ReviewSettings, ReviewStats};
use crate::domain::taxonomy;
use crate::domain::{DomainError, OrganizationId, ReviewId, UserId};
use crate::state::AppState;
use crate::usecases::reviews;
use crate::web::csrf::CsrfForm;
use crate::web::dashboard::parse_id;
use crate::web::error::PageResult;
use crate::web::form::Choice;
use crate::web::format;
use crate::web::layout::see_other;
use crate::web::layout::{Layout, Section};
use crate::web::session::{SignedIn, Visitor, respond};
use crate::web::sign_in::query_value;
use crate::web::text as t;

/// Reviews per page of the list.
const PAGE_SIZE: i64 = 10;

/// The list's parameters in an offering page's URL. Unknown values fall back to the default
/// list: they come from the page's own selects, and an edited URL deserves the list rather
/// than an error page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery {
    pub sort: ReviewSort,
    pub sector: Option<String>,
    pub verified_only: bool,
    pub after: Option<ReviewCursor>,
}

impl ListQuery {
    pub fn of(req: &HttpRequest) -> ListQuery {
        let sector = query_value(req, "sector");
        ListQuery {
            sort: ReviewSort::parse(&query_value(req, "sorteer")).unwrap_or(ReviewSort::Helpful),
            sector: taxonomy::is_code(taxonomy::SECTORS, &sector).then_some(sector),
            verified_only: query_value(req, "geverifieerd") == "ja",
            after: ReviewCursor::decode(&query_value(req, "na")),
        }
    }

    /// The offering's page showing this list from `after` on.
    fn href(&self, offering_path: &str, after: Option<ReviewCursor>) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query.append_pair("sorteer", self.sort.as_str());
        if let Some(sector) = &self.sector {
            query.append_pair("sector", sector);
        }
        if self.verified_only {
            query.append_pair("geverifieerd", "ja");
        }
        if let Some(after) = after {
            query.append_pair("na", &after.encode());
        }
        format!("{offering_path}?{}#ervaringen-titel", query.finish())
    }

    fn filter(&self) -> ReviewFilter {
        ReviewFilter {
            sector: self.sector.clone(),
            verified: self.verified_only.then_some(true),
        }
    }
}

/// One bar of the distribution: how many gave this many stars, and their share.
pub struct Bar {
    pub label: String,
    pub count: u64,
    pub percent: u64,
}

/// An offering's figures as its page shows them.
pub struct SummaryView {
    pub overall: String,
    pub counts: String,
    pub bars: Vec<Bar>,
    /// The other dimensions that have ratings: label and "4,2 van 5 (7 ervaringen)".
    pub dimensions: Vec<(&'static str, String)>,
    pub recent: Option<String>,
    pub score: Option<String>,
    /// Only the sectors whose group is large enough (the use case leaves out the others).
    pub sectors: Vec<(&'static str, String)>,
}

fn rating_text(stats: &ReviewStats, dimension: &str) -> Option<String> {
    let d = stats.dimensions.get(dimension)?;
    let count = i64::try_from(d.count).unwrap_or(i64::MAX);
    d.average.map(|average| t::rating(average, count))
}

impl SummaryView {
    fn new(summary: &reviews::ReviewSummary) -> Option<SummaryView> {
        let all = &summary.all;
        let overall = rating_text(all, DIMENSIONS[0])?;
        let distribution = all
            .dimensions
            .get(DIMENSIONS[0])
            .map(|d| d.distribution)
            .unwrap_or_default();
        let total: u64 = distribution.iter().sum();
        let bars = (1..=5u8)
            .rev()
            .map(|stars| {
                let count = distribution[usize::from(stars - 1)];
                Bar {
                    label: t::stars(stars),
                    count,
                    percent: (count * 100).checked_div(total).unwrap_or(0),
                }
            })
            .collect();
        Some(SummaryView {
            overall,
            counts: t::review_counts(all.review_count, all.verified_review_count),
            bars,
            dimensions: DIMENSIONS[1..]
                .iter()
                .filter_map(|d| Some((t::dimension_label(d), rating_text(all, d)?)))
                .collect(),
            recent: rating_text(&summary.last_24_months, DIMENSIONS[0]),
            score: summary.score.map(|s| format!("{s:.2}").replace('.', ",")),
            sectors: summary
                .by_sector
                .iter()
                .filter_map(|(sector, stats)| {
                    Some((
                        taxonomy::SECTORS.iter().find(|c| c.code == sector)?.nl,
                        rating_text(stats, DIMENSIONS[0])?,
                    ))
                })
                .collect(),
        })
    }
}

/// The provider's reply under a review.
pub struct ReplyItem {
    pub provider: String,
    pub paragraphs: Vec<String>,
    pub date: String,
    pub edited: Option<String>,
}

/// How the pages name a review's author: "docent vo, Utrecht", with the name in front when
/// the author chose to show it.
pub fn shown_author(view: &ReviewView) -> String {
    let c = &view.review.content;
    let label = public_label(c.role, &c.sector, view.province.as_deref());
    match &view.author_name {
        Some(name) => format!("{name}, {label}"),
        None => label,
    }
}

/// The author's follow-ups in words, oldest first; their notes only for the author (`notes`),
/// as the API shows them: dates, use and effect are public.
pub fn follow_up_lines(view: &ReviewView, notes: bool) -> Vec<String> {
    view.follow_ups
        .iter()
        .map(|f| {
            t::follow_up_line(
                &format::date(f.answered_at),
                f.still_in_use,
                f.lasting_effect(),
                f.note.as_deref().filter(|_| notes),
            )
        })
        .collect()
}

/// One review as the pages show it.
pub struct ReviewItem {
    pub anchor: String,
    /// "docent vo, Utrecht", with the name in front when the author chose to show it.
    pub author: String,
    pub date: String,
    pub edited: Option<String>,
    pub verified: bool,
    pub overall: String,
    pub ratings: Vec<(&'static str, String)>,
    pub context: Vec<(&'static str, String)>,
    pub pros: Vec<String>,
    pub pitfalls: Vec<String>,
    pub advice: Vec<String>,
    pub tie: Option<String>,
    pub reward: Option<String>,
    pub helpful: String,
    /// Where a signed-in reader other than the author votes it helpful.
    pub vote_action: Option<String>,
    /// Where a leader of the author's school confirms the usage (until it is confirmed).
    pub confirm_action: Option<String>,
    pub report_href: String,
    /// The author's own: where to edit and delete it.
    pub own: bool,
    pub edit_href: String,
    pub delete_href: String,
    pub reply: Option<ReplyItem>,
    /// Why a moderator hid it (its author still sees it, in "my reviews").
    pub hidden: Option<String>,
    /// How it went later: the author's follow-ups with their dates, oldest first.
    pub later: Vec<String>,
    /// Where its author tells how it goes now.
    pub follow_up_href: String,
}

impl ReviewItem {
    /// `leads`: the schools whose reviewers' usage the reader may confirm.
    pub fn new(
        view: &ReviewView,
        provider: &str,
        reader: Option<UserId>,
        leads: &[OrganizationId],
    ) -> ReviewItem {
        let r = &view.review;
        let c = &r.content;
        let author = shown_author(view);
        let ratings = c.ratings();
        let mut context = Vec::new();
        if let Some(size) = c.school_size {
            context.push((
                t::REVIEW_SCHOOL_SIZE,
                t::choice_label(&t::SCHOOL_SIZES, size.as_str()).to_owned(),
            ));
        }
        let period = match (c.period_start, c.period_end) {
            (Some(start), Some(end)) => Some(format!("{} – {}", month(start), month(end))),
            (Some(start), None) => Some(format!("vanaf {}", month(start))),
            (None, Some(end)) => Some(format!("tot {}", month(end))),
            (None, None) => None,
        };
        if let Some(period) = period {
            context.push(("Periode", period));
        }
        if let Some(scale) = c.scale {
            context.push((
                t::REVIEW_SCALE,
                t::choice_label(&t::SCALES, scale.as_str()).to_owned(),
            ));
        }
        if let Some(phase) = c.phase {
            context.push((
                t::REVIEW_PHASE,
                t::choice_label(&t::PHASES, phase.as_str()).to_owned(),
            ));
        }
        if let Some(still) = c.still_in_use {
            context.push((
                t::REVIEW_STILL_IN_USE,
                if still { t::YES } else { t::NO }.to_owned(),
            ));
        }
        let own = reader.is_some() && r.author_id == reader;
        let text =
            |value: &Option<String>| value.as_deref().map(format::paragraphs).unwrap_or_default();
        ReviewItem {
            anchor: format!("ervaring-{}", r.id),
            author,
            date: format::date(r.created_at),
            edited: r.edited_at.map(format::date),
            verified: r.verified_at.is_some(),
            overall: t::stars(ratings[0].unwrap_or_default()),
            ratings: DIMENSIONS[1..]
                .iter()
                .zip(&ratings[1..])
                .filter_map(|(d, stars)| Some((t::dimension_label(d), t::stars((*stars)?))))
                .collect(),
            context,
            pros: text(&c.pros),
            pitfalls: text(&c.pitfalls),
            advice: text(&c.advice),
            tie: c.provider_tie.clone(),
            reward: c.reward.clone(),
            helpful: t::helpful_count(r.helpful_count),
            vote_action: (reader.is_some() && !own)
                .then(|| format!("/beoordelingen/{}/nuttig", r.id)),
            confirm_action: (!own && r.verified_at.is_none() && leads.contains(&r.organization_id))
                .then(|| format!("/beoordelingen/{}/bevestigen", r.id)),
            report_href: format!("/beoordelingen/{}/melden", r.id),
            own,
            edit_href: format!("/beoordelingen/{}/bewerken", r.id),
            delete_href: format!("/beoordelingen/{}/verwijderen", r.id),
            reply: view.response.as_ref().map(|reply| ReplyItem {
                provider: provider.to_owned(),
                paragraphs: format::paragraphs(&reply.body),
                date: format::date(reply.created_at),
                edited: reply.edited_at.map(format::date),
            }),
            hidden: r
                .hidden_at
                .map(|_| r.hidden_reason.clone().unwrap_or_default()),
            later: follow_up_lines(view, own),
            follow_up_href: format!("/beoordelingen/{}/vervolg", r.id),
        }
    }
}

/// "september 2025": periods are months.
fn month(date: chrono::NaiveDate) -> String {
    let day = date.and_hms_opt(0, 0, 0).map(|d| d.and_utc());
    day.map(|d| {
        format::date(d)
            .split_once(' ')
            .map_or(String::new(), |(_, m)| m.to_owned())
    })
    .unwrap_or_default()
}

/// The reviews section of an offering's page.
pub struct ReviewsSection {
    pub summary: Option<SummaryView>,
    pub items: Vec<ReviewItem>,
    pub sorts: Vec<Choice>,
    pub sectors: Vec<Choice>,
    pub verified_only: bool,
    /// A filter is on: "none match" rather than "none yet".
    pub filtered: bool,
    pub more_href: Option<String>,
    /// The offering's page, where the list's form sends its choices.
    pub action: String,
    pub write_href: String,
    /// For the readers' vote buttons.
    pub csrf: String,
}

impl ReviewsSection {
    pub async fn load(
        conn: &mut AsyncPgConnection,
        visitor: &Visitor,
        offering: &Offering,
        provider: &str,
        query: &ListQuery,
        settings: &ReviewSettings,
        now: chrono::DateTime<chrono::Utc>,
    ) -> PageResult<ReviewsSection> {
        let caller = visitor.caller.as_ref();
        let summary = reviews::review_summary(conn, caller, offering.id, settings, now).await?;
        let page = reviews::list_reviews(
            conn,
            caller,
            offering.id,
            query.sort,
            &query.filter(),
            query.after,
            PAGE_SIZE,
        )
        .await?;
        let action = format!("/aanbod/{}", offering.id);
        let reader = caller.map(|c| c.id());
        let leads = match caller {
            Some(caller) => reviews::confirmable_organizations(conn, caller).await?,
            None => Vec::new(),
        };
        Ok(ReviewsSection {
            summary: SummaryView::new(&summary),
            items: page
                .items
                .iter()
                .map(|view| ReviewItem::new(view, provider, reader, &leads))
                .collect(),
            sorts: ReviewSort::ALL
                .iter()
                .map(|sort| Choice {
                    id: format!("sorteer-{}", sort.as_str()),
                    value: sort.as_str(),
                    label: t::review_sort_label(*sort),
                    chosen: *sort == query.sort,
                })
                .collect(),
            sectors: taxonomy::SECTORS
                .iter()
                .map(|c| Choice {
                    id: format!("sector-{}", c.code),
                    value: c.code,
                    label: c.nl,
                    chosen: query.sector.as_deref() == Some(c.code),
                })
                .collect(),
            verified_only: query.verified_only,
            filtered: query.sector.is_some() || query.verified_only || query.after.is_some(),
            more_href: page.next.map(|next| query.href(&action, Some(next))),
            write_href: format!("{action}/beoordelen"),
            action,
            csrf: visitor.csrf.token.clone(),
        })
    }
}

/// The notice an offering's page shows after a change to its reviews (`?melding=`).
pub fn notice(req: &HttpRequest) -> Option<&'static str> {
    match query_value(req, "melding").as_str() {
        "geplaatst" => Some(t::REVIEWS_POSTED),
        "opgeslagen" => Some(t::REVIEWS_SAVED),
        "gestemd" => Some(t::REVIEWS_VOTED),
        "al-gestemd" => Some(t::REVIEWS_VOTED_BEFORE),
        "bevestigd" => Some(t::REVIEWS_CONFIRMED),
        _ => None,
    }
}

/// `POST /beoordelingen/{id}/nuttig`: the reader finds the review helpful (once), and is back
/// at it on the offering's page.
pub async fn vote(
    state: web::Data<AppState>,
    visitor: SignedIn,
    id: web::Path<String>,
    _posted: CsrfForm,
) -> PageResult<HttpResponse> {
    let id: ReviewId = parse_id(&id)?;
    let mut conn = state.conn().await?;
    let review = reviews::get_review(&mut conn, Some(&visitor.caller), id).await?;
    let melding =
        match reviews::vote_helpful(&mut conn, &visitor.caller, id, state.clock.now()).await {
            Ok(_) => "gestemd",
            Err(DomainError::Conflict(_)) => "al-gestemd",
            Err(other) => return Err(other.into()),
        };
    Ok(see_other(&format!(
        "/aanbod/{}?melding={melding}#ervaring-{id}",
        review.review.offering_id
    )))
}

/// `POST /beoordelingen/{id}/bevestigen`: a leader of the author's school confirms that the
/// school used the offering; the review counts as verified from then on.
pub async fn confirm(
    state: web::Data<AppState>,
    visitor: SignedIn,
    id: web::Path<String>,
    _posted: CsrfForm,
) -> PageResult<HttpResponse> {
    let id: ReviewId = parse_id(&id)?;
    let mut conn = state.conn().await?;
    let confirmed = reviews::confirm_usage(
        &mut conn,
        &visitor.caller,
        id,
        &state.config.reviews,
        state.clock.now(),
    )
    .await?;
    Ok(see_other(&format!(
        "/aanbod/{}?melding=bevestigd#ervaring-{id}",
        confirmed.review.offering_id
    )))
}

#[derive(Template)]
#[template(path = "my_reviews.html")]
struct MyReviewsPage {
    page: Layout,
    notice: Option<&'static str>,
    /// Each review with its offering's title and page.
    reviews: Vec<(ReviewItem, String, String)>,
}

/// `GET /account/beoordelingen`: the visitor's own reviews, hidden ones with the moderator's
/// reason, each with its links to edit and delete.
pub async fn my_reviews(
    req: HttpRequest,
    state: web::Data<AppState>,
    visitor: SignedIn,
) -> PageResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let mine = reviews::my_reviews(&mut conn, &visitor.caller).await?;
    let me = Some(visitor.caller.id());
    let page = MyReviewsPage {
        page: visitor.layout(t::MY_REVIEWS_TITLE, Section::Account),
        notice: match query_value(&req, "melding").as_str() {
            "verwijderd" => Some(t::MY_REVIEWS_DELETED),
            "vervolg" => Some(t::FOLLOW_UP_SAVED),
            _ => None,
        },
        reviews: mine
            .iter()
            .map(|m| {
                (
                    ReviewItem::new(&m.review, t::THE_PROVIDER, me, &[]),
                    m.offering_title.clone(),
                    format!(
                        "/aanbod/{}#ervaring-{}",
                        m.review.review.offering_id, m.review.review.id
                    ),
                )
            })
            .collect(),
    };
    Ok(respond(&visitor.csrf, StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "reviews_how.html")]
struct HowPage {
    page: Layout,
    sections: Vec<(&'static str, String)>,
}

/// `GET /beoordelingen/uitleg`: who may review, how reviews are checked, how the score is
/// computed and what moderators do, with the settings this server runs with.
pub async fn how_reviews_work(
    state: web::Data<AppState>,
    visitor: Visitor,
) -> PageResult<HttpResponse> {
    let s = &state.config.reviews;
    let page = HowPage {
        page: visitor.layout(t::REVIEWS_HOW_TITLE, Section::Other),
        sections: vec![
            (t::REVIEWS_HOW_WHO, t::reviews_how_who(s.daily_limit)),
            (t::REVIEWS_HOW_CHECK, t::REVIEWS_HOW_CHECK_TEXT.to_owned()),
            (
                t::REVIEWS_HOW_SCORE,
                t::reviews_how_score(s.prior_mean, s.min_count),
            ),
            (
                t::REVIEWS_HOW_PRIVACY,
                t::reviews_how_privacy(s.subgroup_min_reviews, s.subgroup_min_schools),
            ),
            (
                t::REVIEWS_HOW_MODERATION,
                t::REVIEWS_HOW_MODERATION_TEXT.to_owned(),
            ),
            (t::REVIEWS_HOW_TIME, t::REVIEWS_HOW_TIME_TEXT.to_owned()),
        ],
    };
    Ok(respond(&visitor.csrf, StatusCode::OK, &page))
}
