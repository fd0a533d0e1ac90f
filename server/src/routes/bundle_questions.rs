//! `/v1/bundles/{id}/questions`: providers' questions on a demand bundle and the owner's
//! answers (the nota van inlichtingen). No response names who asked. Served in the
//! `/v1/bundles` scope of `routes::bundles` (one scope per prefix: actix would not look past
//! the first).

use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::auth::{Caller, MaybeCaller};
use crate::domain::bundle_question::{AnswerInput, QuestionInput};
use crate::domain::{BundleId, BundleQuestionId};
use crate::error::ApiResult;
use crate::http::JsonBody;
use crate::state::AppState;
use crate::usecases::bundle_questions::{self, QuestionView};

/// A question and, once given, its answer; never who asked.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct QuestionResponse {
    pub id: BundleQuestionId,
    pub question: String,
    pub asked_at: DateTime<Utc>,
    pub answer: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
}

impl From<QuestionView> for QuestionResponse {
    fn from(q: QuestionView) -> Self {
        QuestionResponse {
            id: q.id,
            question: q.question,
            asked_at: q.asked_at,
            answer: q.answer,
            answered_at: q.answered_at,
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct QuestionList {
    pub items: Vec<QuestionResponse>,
}

/// A provider's staff member asks a question, until the questions close
/// (`EDUMARKT_BUNDLE_QUESTION_CLOSE_DAYS` before the offer deadline; closed at the instant).
#[utoipa::path(tag = "bundles", security(("bearer" = [])), request_body = QuestionInput,
    params(("id" = BundleId, Path, description = "The bundle")),
    responses((status = 201, body = QuestionResponse), (status = 403), (status = 409), (status = 422)))]
#[post("/{id}/questions")]
pub async fn ask_question(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<BundleId>,
    body: JsonBody<QuestionInput>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let asked = bundle_questions::ask_question(
        &mut conn,
        &caller,
        id.into_inner(),
        body.0,
        state.config.tenders.question_close_days,
        state.clock.now(),
    )
    .await?;
    Ok(HttpResponse::Created().json(QuestionResponse::from(asked)))
}

/// The answered questions for every reader of the bundle; the owner also sees the unanswered
/// ones, a provider its own.
#[utoipa::path(tag = "bundles", params(("id" = BundleId, Path, description = "The bundle")),
    responses((status = 200, body = QuestionList)))]
#[get("/{id}/questions")]
pub async fn list_questions(
    state: web::Data<AppState>,
    caller: MaybeCaller,
    id: web::Path<BundleId>,
) -> ApiResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let questions = bundle_questions::list_questions(
        &mut conn,
        caller.as_ref(),
        id.into_inner(),
        state.clock.now(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(QuestionList {
        items: questions.into_iter().map(QuestionResponse::from).collect(),
    }))
}

/// The bundle's owner answers a question, once (a second answer is 409).
#[utoipa::path(tag = "bundles", security(("bearer" = [])), request_body = AnswerInput,
    params(("id" = BundleId, Path, description = "The bundle"),
        ("qid" = BundleQuestionId, Path, description = "The question")),
    responses((status = 200, body = QuestionResponse), (status = 403), (status = 409), (status = 422)))]
#[post("/{id}/questions/{qid}/answer")]
pub async fn answer_question(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(BundleId, BundleQuestionId)>,
    body: JsonBody<AnswerInput>,
) -> ApiResult<HttpResponse> {
    let (id, question_id) = path.into_inner();
    let mut conn = state.conn().await?;
    let answered = bundle_questions::answer_question(
        &mut conn,
        &caller,
        id,
        question_id,
        body.0,
        state.clock.now(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(QuestionResponse::from(answered)))
}
