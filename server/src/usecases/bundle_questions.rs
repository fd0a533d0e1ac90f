//! Questions and answers on a demand bundle (the nota van inlichtingen): a provider's staff ask
//! until the questions close (`domain::bundle_question::may_ask`, a setting's days before the
//! offer deadline), the owner answers each once, and every reader of the bundle reads the
//! answered ones without learning who asked. What leaves this module is a `QuestionView` or an
//! OCDS `Enquiry`, which carry no asker, so no route or page can show one by mistake.

use chrono::{DateTime, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};

use super::bundles::{is_owner, readable};
use super::offers::providers_of;
use crate::auth::Caller;
use crate::db::models::bundle::Bundle;
use crate::db::models::bundle_question::BundleQuestion;
use crate::db::models::organization::Organization;
use crate::domain::bundle::{BundleStatus, status_at};
use crate::domain::bundle_question::{
    AnswerInput, AskRefusal, QuestionInput, QuestionReader, may_answer, may_ask, questions_close_at,
};
use crate::domain::ocds::Enquiry;
use crate::domain::{BundleId, BundleQuestionId, DomainError, DomainResult, OrganizationId};

/// A question as its readers see it: never who asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionView {
    pub id: BundleQuestionId,
    pub question: String,
    pub asked_at: DateTime<Utc>,
    pub answer: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
}

impl From<BundleQuestion> for QuestionView {
    fn from(q: BundleQuestion) -> Self {
        QuestionView {
            id: q.id,
            question: q.question,
            asked_at: q.asked_at,
            answer: q.answer,
            answered_at: q.answered_at,
        }
    }
}

/// The answered questions of a bundle, in the order they were asked, for the OCDS export. It
/// decides nothing about the reader: the export publishes public bundles only and checks that
/// itself.
pub async fn enquiries(conn: &mut AsyncPgConnection, id: BundleId) -> DomainResult<Vec<Enquiry>> {
    Ok(BundleQuestion::of_bundle(conn, id, true)
        .await?
        .into_iter()
        .filter_map(|q| {
            Some(Enquiry {
                answer: q.answer?,
                answered_at: q.answered_at?,
                id: q.id.to_string(),
                question: q.question,
                asked_at: q.asked_at,
            })
        })
        .collect())
}

/// A provider's staff member asks a question on a bundle they may read, until the questions
/// close `close_days` before the offer deadline.
pub async fn ask_question(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    id: BundleId,
    input: QuestionInput,
    close_days: u32,
    now: DateTime<Utc>,
) -> DomainResult<QuestionView> {
    let found = Bundle::find(conn, id).await?;
    readable(conn, Some(caller), found, now).await?;
    let providers = providers_of(conn, caller).await?;
    if providers.is_empty() {
        return Err(DomainError::Forbidden(
            "Only a provider's staff ask questions on a bundle.".into(),
        ));
    }
    let valid = input.validate(&providers)?;
    let asked = conn
        .transaction::<_, DomainError, _>(async |conn| {
            // Under the bundle's lock: a change of the offer deadline cannot slip between the
            // check and the question.
            let bundle = Bundle::lock(conn, id).await?.ok_or(DomainError::NotFound)?;
            may_ask(bundle.status, bundle.deadlines(), close_days, now).map_err(|refusal| {
                match refusal {
                    AskRefusal::WrongState(status) => DomainError::Conflict(format!(
                        "The bundle is {}: questions cannot be asked now.",
                        status.as_str()
                    )),
                    AskRefusal::Closed(at) => DomainError::Conflict(format!(
                        "Questions closed at {}, {close_days} days before the offer deadline.",
                        at.to_rfc3339()
                    )),
                }
            })?;
            Ok(BundleQuestion::insert(conn, id, &valid, caller.id(), now).await?)
        })
        .await?;
    tracing::info!(bundle_id = %id, question_id = %asked.id, "bundle question asked");
    Ok(asked.into())
}

/// The owner answers a question once; a second answer is a conflict (the nota van
/// inlichtingen is a record providers rely on: a correction is a new question's answer).
pub async fn answer_question(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    id: BundleId,
    question_id: BundleQuestionId,
    input: AnswerInput,
    now: DateTime<Utc>,
) -> DomainResult<QuestionView> {
    let found = Bundle::find(conn, id).await?;
    let bundle = readable(conn, Some(caller), found, now).await?;
    if !is_owner(conn, caller, &bundle).await? {
        return Err(DomainError::Forbidden(
            "Only the bundle's owner answers its questions.".into(),
        ));
    }
    let answer = input.validate()?;
    conn.transaction::<_, DomainError, _>(async |conn| {
        let bundle = Bundle::lock(conn, id).await?.ok_or(DomainError::NotFound)?;
        may_answer(bundle.status, bundle.deadlines(), now).map_err(|status| {
            DomainError::Conflict(format!(
                "The bundle is {}: its questions are no longer answered.",
                status.as_str()
            ))
        })?;
        match BundleQuestion::answer_once(conn, id, question_id, &answer, caller.id(), now).await? {
            Some(answered) => Ok(answered.into()),
            None => match BundleQuestion::find(conn, id, question_id).await? {
                Some(_) => Err(DomainError::Conflict(
                    "This question has been answered already.".into(),
                )),
                None => Err(DomainError::NotFound),
            },
        }
    })
    .await
}

/// The questions the caller may read: the answered ones for every reader of the bundle; the
/// unanswered ones too for the owner, and a provider's own.
pub async fn list_questions(
    conn: &mut AsyncPgConnection,
    caller: Option<&Caller>,
    id: BundleId,
    now: DateTime<Utc>,
) -> DomainResult<Vec<QuestionView>> {
    let found = Bundle::find(conn, id).await?;
    let bundle = readable(conn, caller, found, now).await?;
    let reader = question_reader(conn, caller, &bundle).await?;
    questions_for(conn, &reader, id).await
}

/// Who the caller is to a bundle's questions.
async fn question_reader(
    conn: &mut AsyncPgConnection,
    caller: Option<&Caller>,
    bundle: &Bundle,
) -> DomainResult<QuestionReader> {
    let Some(caller) = caller else {
        return Ok(QuestionReader::Other);
    };
    if is_owner(conn, caller, bundle).await? {
        return Ok(QuestionReader::Owner);
    }
    let providers = providers_of(conn, caller).await?;
    Ok(if providers.is_empty() {
        QuestionReader::Other
    } else {
        QuestionReader::Provider(providers)
    })
}

/// The questions of a bundle `reader` sees.
async fn questions_for(
    conn: &mut AsyncPgConnection,
    reader: &QuestionReader,
    id: BundleId,
) -> DomainResult<Vec<QuestionView>> {
    let answered_only = *reader == QuestionReader::Other;
    Ok(BundleQuestion::of_bundle(conn, id, answered_only)
        .await?
        .into_iter()
        .filter(|q| reader.sees(q.provider_id, q.answer.is_some()))
        .map(QuestionView::from)
        .collect())
}

/// The nota van inlichtingen as its page shows it to the caller: the questions they may read
/// and what they may do now, so the page decides nothing itself.
pub struct QuestionsOverview {
    pub bundle: Bundle,
    /// The bundle's status at `now`.
    pub status: BundleStatus,
    pub questions: Vec<QuestionView>,
    /// The caller manages the owner: they answer.
    pub owner: bool,
    /// The providers (with their names) the caller may ask for; empty for anyone else.
    pub askers: Vec<(OrganizationId, String)>,
    /// When questions close.
    pub closes_at: DateTime<Utc>,
    /// Whether a question may be asked now, and why not.
    pub may_ask: Result<(), AskRefusal>,
    /// Whether the owner's answers are taken now.
    pub may_answer: bool,
}

/// The questions of a bundle for its page, with what the caller may do now.
pub async fn questions_overview(
    conn: &mut AsyncPgConnection,
    caller: Option<&Caller>,
    id: BundleId,
    close_days: u32,
    now: DateTime<Utc>,
) -> DomainResult<QuestionsOverview> {
    let found = Bundle::find(conn, id).await?;
    let bundle = readable(conn, caller, found, now).await?;
    let reader = question_reader(conn, caller, &bundle).await?;
    let questions = questions_for(conn, &reader, id).await?;
    let askers = match &reader {
        QuestionReader::Provider(providers) => {
            let mut named: Vec<(OrganizationId, String)> = Organization::find_many(conn, providers)
                .await?
                .into_iter()
                .map(|o| (o.id, o.name))
                .collect();
            named.sort_by(|a, b| a.1.cmp(&b.1));
            named
        }
        _ => Vec::new(),
    };
    let deadlines = bundle.deadlines();
    Ok(QuestionsOverview {
        status: status_at(bundle.status, deadlines, now),
        owner: reader == QuestionReader::Owner,
        may_ask: may_ask(bundle.status, deadlines, close_days, now),
        may_answer: may_answer(bundle.status, deadlines, now).is_ok(),
        closes_at: questions_close_at(deadlines, close_days),
        askers,
        questions,
        bundle,
    })
}
