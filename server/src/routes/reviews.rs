//! `/v1/offerings/{id}/reviews` and `/v1/reviews/{id}`: teachers' experiences of an offering,
//! the provider's replies, helpful votes and confirmations of usage.

use std::collections::BTreeMap;

use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder, delete, get, post, put, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::auth::{Caller, MaybeCaller};
use crate::db::models::review::{ReviewCursor, ReviewFilter, ReviewReply, ReviewView};
use crate::db::models::review_aggregate::ReviewAggregate;
use crate::db::models::review_follow_up::ReviewFollowUp;
use crate::domain::review::{
    ModerationAction, NONE, Phase, ReviewInput, ReviewSort, Scale, SchoolSize, public_label,
};
use crate::domain::review_follow_up::FollowUpInput;
use crate::domain::review_signals::Signal;
use crate::domain::review_stats::{DimensionStats, ReviewSettings, ReviewStats};
use crate::domain::taxonomy;
use crate::domain::{OfferingId, OrganizationId, ReviewId, Role};
use crate::error::{ApiError, ApiResult};
use crate::http::client::client_hash;
use crate::http::page::PageParams;
use crate::http::{ETag, IfMatch, JsonBody};
use crate::state::AppState;
use crate::usecases::review_follow_ups;
use crate::usecases::reviews::{self, ReviewSummary};

/// The routes under `/v1/reviews`; those under an offering register with the offerings.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(
        utoipa_actix_web::scope("/v1/reviews")
            .service(get_review)
            .service(update_review)
            .service(delete_review)
            .service(vote_helpful)
            .service(post_response)
            .service(put_response)
            .service(confirm_usage)
            .service(report_review)
            .service(record_follow_up),
    )
    .service(
        utoipa_actix_web::scope("/v1/moderation")
            .service(moderation_reports)
            .service(moderation_decision),
    );
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RatingsResponse {
    pub overall: u8,
    pub fit_with_practice: Option<u8>,
    pub expertise: Option<u8>,
    pub lasting_effect: Option<u8>,
    pub value_for_money: Option<u8>,
    pub teacher_involvement: Option<u8>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ContextResponse {
    pub sector: String,
    pub role: Role,
    pub school_size: Option<SchoolSize>,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    pub scale: Option<Scale>,
    pub phase: Option<Phase>,
    pub still_in_use: Option<bool>,
}

/// Who wrote a review, as the public sees it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AuthorResponse {
    /// Role, sector and the school's province: "docent vo, Utrecht".
    pub label: String,
    /// Only when the author chose to show it.
    pub name: Option<String>,
}

/// The provider's public reply.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReplyResponse {
    pub provider_id: OrganizationId,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
}

impl From<ReviewReply> for ReplyResponse {
    fn from(r: ReviewReply) -> Self {
        ReplyResponse {
            provider_id: r.provider_id,
            body: r.body,
            created_at: r.created_at,
            edited_at: r.edited_at,
        }
    }
}

/// The author's later answer on use and lasting effect.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FollowUpResponse {
    pub answered_at: DateTime<Utc>,
    pub still_in_use: bool,
    /// 1 to 5, when given.
    pub lasting_effect: Option<u8>,
    /// The author's note: shown to the author (their export, the answer to recording it) only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl FollowUpResponse {
    fn new(follow_up: ReviewFollowUp, with_note: bool) -> Self {
        FollowUpResponse {
            answered_at: follow_up.answered_at,
            still_in_use: follow_up.still_in_use,
            lasting_effect: follow_up.lasting_effect(),
            note: follow_up.note.filter(|_| with_note),
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReviewResponse {
    pub id: ReviewId,
    pub offering_id: OfferingId,
    pub author: AuthorResponse,
    pub ratings: RatingsResponse,
    pub context: ContextResponse,
    pub pros: Option<String>,
    pub pitfalls: Option<String>,
    pub advice: Option<String>,
    /// `none`, or the author's declared tie to the provider.
    pub provider_tie: String,
    /// `none`, or the reward the author declared.
    pub reward: String,
    pub show_name: bool,
    /// A leader of the author's school confirmed the usage.
    pub verified: bool,
    pub helpful_count: i32,
    pub created_at: DateTime<Utc>,
    /// When the author last edited it.
    pub edited_at: Option<DateTime<Utc>>,
    pub response: Option<ReplyResponse>,
    /// Hidden by a moderator (only its author and moderators still see it), and why.
    pub hidden: bool,
    pub hidden_reason: Option<String>,
    /// The author's later answers on use and lasting effect, oldest first.
    pub follow_ups: Vec<FollowUpResponse>,
}

impl From<ReviewView> for ReviewResponse {
    fn from(view: ReviewView) -> Self {
        ReviewResponse::new(view, false)
    }
}

impl ReviewResponse {
    /// The review as its author sees it: with the notes of their follow-ups.
    pub fn for_author(view: ReviewView) -> Self {
        ReviewResponse::new(view, true)
    }

    fn new(view: ReviewView, with_notes: bool) -> Self {
        let ReviewView {
            review,
            province,
            author_name,
            response,
            follow_ups,
        } = view;
        let c = review.content;
        let [overall, fit, expertise, lasting, value, involvement] = c.ratings();
        ReviewResponse {
            id: review.id,
            offering_id: review.offering_id,
            author: AuthorResponse {
                label: public_label(c.role, &c.sector, province.as_deref()),
                name: author_name,
            },
            ratings: RatingsResponse {
                overall: overall.unwrap_or_default(),
                fit_with_practice: fit,
                expertise,
                lasting_effect: lasting,
                value_for_money: value,
                teacher_involvement: involvement,
            },
            context: ContextResponse {
                sector: c.sector,
                role: c.role,
                school_size: c.school_size,
                period_start: c.period_start,
                period_end: c.period_end,
                scale: c.scale,
                phase: c.phase,
                still_in_use: c.still_in_use,
            },
            pros: c.pros,
            pitfalls: c.pitfalls,
            advice: c.advice,
            provider_tie: c.provider_tie.unwrap_or_else(|| NONE.into()),
            reward: c.reward.unwrap_or_else(|| NONE.into()),
            show_name: c.show_name,
            verified: review.verified_at.is_some(),
            helpful_count: review.helpful_count,
            created_at: review.created_at,
            edited_at: review.edited_at,
            response: response.map(ReplyResponse::from),
            hidden: review.hidden_at.is_some(),
            hidden_reason: review.hidden_reason,
            follow_ups: follow_ups
                .into_iter()
                .map(|f| FollowUpResponse::new(f, with_notes))
                .collect(),
        }
    }
}

fn respond(view: ReviewView, mut status: HttpResponseBuilder) -> HttpResponse {
    status
        .insert_header(ETag(view.review.version).header())
        .json(ReviewResponse::from(view))
}

/// An offering's review figures, stored with the offering and shown with it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReviewFigures {
    pub review_count: i64,
    pub verified_review_count: i64,
    /// The average overall rating.
    pub rating_avg: Option<f64>,
    pub rating_fit_with_practice: Option<f64>,
    pub rating_expertise: Option<f64>,
    pub rating_lasting_effect: Option<f64>,
    pub rating_value_for_money: Option<f64>,
    pub rating_teacher_involvement: Option<f64>,
    /// The Bayesian score sorting by rating uses (see `GET /v1/offerings/{id}/reviews/summary`).
    pub rating_score: Option<f64>,
    /// Per dimension: count, average and the counts of 1 to 5 stars.
    pub ratings: BTreeMap<String, DimensionStats>,
}

impl From<ReviewAggregate> for ReviewFigures {
    fn from(a: ReviewAggregate) -> Self {
        let ratings = a.stats().dimensions;
        ReviewFigures {
            review_count: a.review_count,
            verified_review_count: a.verified_review_count,
            rating_avg: a.rating_avg,
            rating_fit_with_practice: a.rating_fit_with_practice,
            rating_expertise: a.rating_expertise,
            rating_lasting_effect: a.rating_lasting_effect,
            rating_value_for_money: a.rating_value_for_money,
            rating_teacher_involvement: a.rating_teacher_involvement,
            rating_score: a.rating_score,
            ratings,
        }
    }
}

/// How the figures are computed, as consumer law asks a review site to say.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MethodResponse {
    /// `(v / (v + m)) R + (m / (v + m)) C` for `v` reviews averaging `R`.
    pub score: &'static str,
    /// `C`.
    pub prior_mean: f64,
    /// `m`.
    pub min_count: f64,
    /// A sector's figures are shown only with more reviews than this ...
    pub subgroup_min_reviews: usize,
    /// ... from at least this many schools.
    pub subgroup_min_schools: usize,
}

impl From<&ReviewSettings> for MethodResponse {
    fn from(s: &ReviewSettings) -> Self {
        MethodResponse {
            score: "(v / (v + m)) * R + (m / (v + m)) * C",
            prior_mean: s.prior_mean,
            min_count: s.min_count,
            subgroup_min_reviews: s.subgroup_min_reviews,
            subgroup_min_schools: s.subgroup_min_schools,
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SummaryResponse {
    #[serde(flatten)]
    pub all: ReviewStats,
    pub rating_score: Option<f64>,
    pub last_24_months: ReviewStats,
    /// Only sectors with enough reviews from enough schools that no one can be singled out.
    pub by_sector: BTreeMap<String, ReviewStats>,
    pub method: MethodResponse,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ListParams {
    /// `helpful` (default), `newest`, `highest`, `lowest` or `verified` (verified first).
    pub sort: Option<String>,
    /// Only reviewers of this sector (`po`, `so`, `vo`, `mbo`).
    pub sector: Option<String>,
    /// Only verified (`true`) or unverified (`false`) reviews.
    pub verified: Option<bool>,
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReviewPage {
    pub items: Vec<ReviewResponse>,
    pub next_cursor: Option<String>,
}

fn decode_cursor(raw: &str) -> Result<ReviewCursor, ApiError> {
    ReviewCursor::decode(raw).ok_or_else(|| {
        ApiError::invalid(
            "cursor",
            "invalid",
            "this cursor was not issued by this list",
        )
    })
}

/// Every invalid parameter of a list request at once.
fn list_request(
    params: ListParams,
) -> Result<(ReviewSort, ReviewFilter, i64, Option<ReviewCursor>), ApiError> {
    let mut errors = Vec::new();
    let sort = match params.sort.as_deref() {
        None => Some(ReviewSort::Helpful),
        Some(s) => ReviewSort::parse(s),
    };
    if sort.is_none() {
        errors.push(crate::error::FieldError::new(
            "sort",
            "unknown_code",
            "must be helpful, newest, highest, lowest or verified",
        ));
    }
    if let Some(sector) = &params.sector
        && !taxonomy::is_code(taxonomy::SECTORS, sector)
    {
        errors.push(crate::error::FieldError::new(
            "sector",
            "unknown_code",
            format!("must be one of {}", taxonomy::codes(taxonomy::SECTORS)),
        ));
    }
    let paging = PageParams {
        limit: params.limit,
        cursor: None,
    };
    let limit = paging.limit();
    let cursor = params.cursor.as_deref().map(decode_cursor).transpose();
    for result in [limit.as_ref().err(), cursor.as_ref().err()]
        .into_iter()
        .flatten()
    {
        if let ApiError::Validation(found) = result {
            errors.extend(found.iter().cloned());
        }
    }
    match (sort, limit, cursor) {
        (Some(sort), Ok(limit), Ok(cursor)) if errors.is_empty() => Ok((
            sort,
            ReviewFilter {
                sector: params.sector,
                verified: params.verified,
            },
            limit,
            cursor,
        )),
        _ => Err(ApiError::Validation(errors)),
    }
}

/// Write a review of a published offering (a teacher, school leader or board officer of a
/// school or board, with a confirmed address; never the provider's staff). One per offering;
/// at most 10 a day.
#[utoipa::path(tag = "reviews", security(("bearer" = [])), request_body = ReviewInput,
    responses((status = 201, body = ReviewResponse)))]
#[post("/{id}/reviews")]
pub async fn create_review(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<OfferingId>,
    body: JsonBody<ReviewInput>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let view = reviews::create_review(
        &mut conn,
        &caller,
        id.into_inner(),
        body.0,
        &state.config.reviews,
        &client_hash(&req, &state.config),
        state.clock.now(),
    )
    .await?;
    Ok(respond(view, HttpResponse::Created()))
}

/// An offering's reviews, most helpful first unless `sort` says otherwise.
#[utoipa::path(tag = "reviews", params(ListParams), responses((status = 200, body = ReviewPage)))]
#[get("/{id}/reviews")]
pub async fn list_reviews(
    state: web::Data<AppState>,
    caller: MaybeCaller,
    id: web::Path<OfferingId>,
    params: web::Query<ListParams>,
) -> ApiResult<HttpResponse> {
    let (sort, filter, limit, after) = list_request(params.into_inner())?;
    let mut conn = state.conn().await?;
    let page = reviews::list_reviews(
        &mut conn,
        caller.as_ref(),
        id.into_inner(),
        sort,
        &filter,
        after,
        limit,
    )
    .await?;
    Ok(HttpResponse::Ok().json(ReviewPage {
        items: page.items.into_iter().map(ReviewResponse::from).collect(),
        next_cursor: page.next.map(ReviewCursor::encode),
    }))
}

/// An offering's review figures: counts, averages and distributions per dimension, the same
/// over the last 24 months, the Bayesian score, per sector where the group is large enough,
/// and how all of it is computed.
#[utoipa::path(tag = "reviews", responses((status = 200, body = SummaryResponse)))]
#[get("/{id}/reviews/summary")]
pub async fn review_summary(
    state: web::Data<AppState>,
    caller: MaybeCaller,
    id: web::Path<OfferingId>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let settings = &state.config.reviews;
    let ReviewSummary {
        all,
        score,
        last_24_months,
        by_sector,
    } = reviews::review_summary(
        &mut conn,
        caller.as_ref(),
        id.into_inner(),
        settings,
        state.clock.now(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(SummaryResponse {
        all,
        rating_score: score,
        last_24_months,
        by_sector,
        method: MethodResponse::from(settings),
    }))
}

/// A review.
#[utoipa::path(tag = "reviews", responses((status = 200, body = ReviewResponse)))]
#[get("/{id}")]
pub async fn get_review(
    state: web::Data<AppState>,
    caller: MaybeCaller,
    id: web::Path<ReviewId>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let view = reviews::get_review(&mut conn, caller.as_ref(), id.into_inner()).await?;
    Ok(respond(view, HttpResponse::Ok()))
}

/// Replace a review (its author). Needs `If-Match`; the public sees when it was edited.
#[utoipa::path(tag = "reviews", security(("bearer" = [])), request_body = ReviewInput,
    params(("If-Match" = String, Header, description = "The ETag last read")),
    responses((status = 200, body = ReviewResponse)))]
#[put("/{id}")]
pub async fn update_review(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<ReviewId>,
    if_match: IfMatch,
    body: JsonBody<ReviewInput>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let view = reviews::update_review(
        &mut conn,
        &caller,
        id.into_inner(),
        &if_match,
        body.0,
        &state.config.reviews,
        state.clock.now(),
    )
    .await?;
    Ok(respond(view, HttpResponse::Ok()))
}

/// Delete a review (its author).
#[utoipa::path(tag = "reviews", security(("bearer" = [])), responses((status = 204)))]
#[delete("/{id}")]
pub async fn delete_review(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<ReviewId>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    reviews::delete_review(&mut conn, &caller, id.into_inner(), &state.config.reviews).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HelpfulResponse {
    pub helpful_count: i32,
}

/// Vote a review helpful: once per person, never one's own (409 the second time).
#[utoipa::path(tag = "reviews", security(("bearer" = [])), responses((status = 201, body = HelpfulResponse)))]
#[post("/{id}/helpful")]
pub async fn vote_helpful(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<ReviewId>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let helpful_count =
        reviews::vote_helpful(&mut conn, &caller, id.into_inner(), state.clock.now()).await?;
    Ok(HttpResponse::Created().json(HelpfulResponse { helpful_count }))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplyRequest {
    pub body: String,
}

async fn write_reply(
    state: &AppState,
    caller: &Caller,
    id: ReviewId,
    if_match: Option<&IfMatch>,
    body: &str,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let (reply, created) = reviews::respond(
        &mut conn,
        caller,
        id,
        if_match,
        body,
        &state.config.public_url,
        state.clock.now(),
    )
    .await?;
    let mut status = if created {
        HttpResponse::Created()
    } else {
        HttpResponse::Ok()
    };
    Ok(status
        .insert_header(ETag(reply.version).header())
        .json(ReplyResponse::from(reply)))
}

/// The provider's public reply to a review (its admins and editors): one per review; posting
/// again replaces its text. The author is told by mail.
#[utoipa::path(tag = "reviews", security(("bearer" = [])), request_body = ReplyRequest,
    responses((status = 201, body = ReplyResponse), (status = 200, body = ReplyResponse)))]
#[post("/{id}/response")]
pub async fn post_response(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<ReviewId>,
    body: JsonBody<ReplyRequest>,
) -> ApiResult<HttpResponse> {
    write_reply(&state, &caller, id.into_inner(), None, &body.0.body).await
}

/// Change the provider's reply; `If-Match` (the reply's ETag) is honoured when sent.
#[utoipa::path(tag = "reviews", security(("bearer" = [])), request_body = ReplyRequest,
    params(("If-Match" = Option<String>, Header, description = "The reply's ETag last read")),
    responses((status = 200, body = ReplyResponse)))]
#[put("/{id}/response")]
pub async fn put_response(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<ReviewId>,
    // Absent when the header is (the extractor fails only then).
    if_match: Option<IfMatch>,
    body: JsonBody<ReplyRequest>,
) -> ApiResult<HttpResponse> {
    write_reply(
        &state,
        &caller,
        id.into_inner(),
        if_match.as_ref(),
        &body.0.body,
    )
    .await
}

/// A school leader of the reviewer's school confirms the usage: the review becomes verified.
#[utoipa::path(tag = "reviews", security(("bearer" = [])), responses((status = 200, body = ReviewResponse)))]
#[post("/{id}/confirm-usage")]
pub async fn confirm_usage(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<ReviewId>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let view = reviews::confirm_usage(
        &mut conn,
        &caller,
        id.into_inner(),
        &state.config.reviews,
        state.clock.now(),
    )
    .await?;
    Ok(respond(view, HttpResponse::Ok()))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportRequest {
    pub reason: String,
}

/// Report a review to the moderators (anyone signed in, once per review).
#[utoipa::path(tag = "reviews", security(("bearer" = [])), request_body = ReportRequest,
    responses((status = 202)))]
#[post("/{id}/reports")]
pub async fn report_review(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<ReviewId>,
    body: JsonBody<ReportRequest>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    reviews::report_review(
        &mut conn,
        &caller,
        id.into_inner(),
        &body.0.reason,
        state.clock.now(),
    )
    .await?;
    Ok(HttpResponse::Accepted().finish())
}

/// The author says how the offering is doing now, months after the review (asked by mail 6
/// and 12 months after it): still in use, the lasting effect (1-5), a short note. Kept with
/// its date and shown with the review (the note to the author only).
#[utoipa::path(tag = "reviews", security(("bearer" = [])), request_body = FollowUpInput,
    responses((status = 201, body = FollowUpResponse)))]
#[post("/{id}/follow-ups")]
pub async fn record_follow_up(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<ReviewId>,
    body: JsonBody<FollowUpInput>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let follow_up = review_follow_ups::record_follow_up(
        &mut conn,
        &caller,
        id.into_inner(),
        body.0,
        state.clock.now(),
    )
    .await?;
    Ok(HttpResponse::Created().json(FollowUpResponse::new(follow_up, true)))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReportResponse {
    pub reason: String,
    pub created_at: DateTime<Utc>,
    /// Filed by the service itself: the suspicious pattern (`new_accounts`,
    /// `one_organization`, `one_client_address`); `null` for a person's report.
    pub signal: Option<Signal>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReportedReview {
    pub review: ReviewResponse,
    /// The open reports, oldest first (reporters are not named).
    pub reports: Vec<ReportResponse>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ModerationQueue {
    pub items: Vec<ReportedReview>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct QueueParams {
    /// How many reviews (default 20, at most 100).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
}

/// The moderation queue: reviews with open reports, reported longest ago first (moderators).
#[utoipa::path(tag = "reviews", security(("bearer" = [])), params(QueueParams),
    responses((status = 200, body = ModerationQueue)))]
#[get("/reports")]
pub async fn moderation_reports(
    state: web::Data<AppState>,
    caller: Caller,
    params: web::Query<QueueParams>,
) -> ApiResult<HttpResponse> {
    let limit = PageParams {
        limit: params.limit,
        cursor: None,
    }
    .limit()?;
    let mut conn = state.conn().await?;
    let queue = reviews::moderation_queue(&mut conn, &caller, limit).await?;
    Ok(HttpResponse::Ok().json(ModerationQueue {
        items: queue
            .into_iter()
            .map(|reported| ReportedReview {
                review: ReviewResponse::from(reported.review),
                reports: reported
                    .reports
                    .into_iter()
                    .map(|r| ReportResponse {
                        reason: r.reason,
                        created_at: r.created_at,
                        signal: r.signal,
                    })
                    .collect(),
            })
            .collect(),
    }))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    /// `hide` or `restore`.
    pub action: ModerationAction,
    pub reason: String,
}

/// Hide a review (it leaves lists and aggregates) or restore it, with a reason (moderators).
/// Its open reports close; author and reporters are told by mail.
#[utoipa::path(tag = "reviews", security(("bearer" = [])), request_body = DecisionRequest,
    responses((status = 200, body = ReviewResponse)))]
#[post("/reviews/{id}/decision")]
pub async fn moderation_decision(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<ReviewId>,
    body: JsonBody<DecisionRequest>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let request = body.0;
    let view = reviews::decide(
        &mut conn,
        &caller,
        id.into_inner(),
        request.action,
        &request.reason,
        &state.config.reviews,
        state.clock.now(),
    )
    .await?;
    Ok(respond(view, HttpResponse::Ok()))
}
