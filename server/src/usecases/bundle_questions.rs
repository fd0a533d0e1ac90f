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
use crate::domain::bundle_question::{
    AnswerInput, AskRefusal, QuestionInput, QuestionReader, may_answer, may_ask,
};
use crate::domain::ocds::Enquiry;
use crate::domain::{BundleId, BundleQuestionId, DomainError, DomainResult};

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
    let reader = match caller {
        None => QuestionReader::Other,
        Some(caller) => {
            if is_owner(conn, caller, &bundle).await? {
                QuestionReader::Owner
            } else {
                let providers = providers_of(conn, caller).await?;
                if providers.is_empty() {
                    QuestionReader::Other
                } else {
                    QuestionReader::Provider(providers)
                }
            }
        }
    };
    let answered_only = reader == QuestionReader::Other;
    Ok(BundleQuestion::of_bundle(conn, id, answered_only)
        .await?
        .into_iter()
        .filter(|q| reader.sees(q.provider_id, q.answer.is_some()))
        .map(QuestionView::from)
        .collect())
}
