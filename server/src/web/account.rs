//! `/account` (who am I, my organisations, my data, erasing the account) and the page of the
//! invitation link (`/invitations/accept?token=…`, the path `usecases::members` mails). All
//! need a logged-in visitor (`SignedIn`) and call the same use cases as `/v1/me`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::domain::{DomainError, FieldError, OrganizationKind};
use crate::routes::me::MeExport;
use crate::state::AppState;
use crate::usecases::{account, members};
use crate::web::csrf::CsrfForm;
use crate::web::error::PageResult;
use crate::web::form::FormErrors;
use crate::web::format;
use crate::web::insight::insight_href;
use crate::web::layout::{Layout, Section};
use crate::web::session::{SignedIn, forget_session, respond};
use crate::web::sign_in::{FormPage, MessagePage, account_errors, query_value};
use crate::web::text as t;

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    page: Layout,
    errors: FormErrors,
    csrf: String,
    name: String,
    email: String,
    since: String,
    /// Organisation name, the role in Dutch, and for a network the link to its insight.
    memberships: Vec<(String, &'static str, Option<String>)>,
}

async fn account_page(
    state: &AppState,
    visitor: &SignedIn,
    status: StatusCode,
    errors: FormErrors,
) -> PageResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let memberships = account::memberships(&mut conn, &visitor.caller).await?;
    let user = &visitor.caller.user;
    let page = AccountPage {
        page: visitor.layout(t::ACCOUNT_TITLE, Section::Account),
        errors,
        csrf: visitor.csrf.token.clone(),
        name: user.display_name.clone(),
        email: user.email.clone().unwrap_or_default(),
        since: format::date(user.created_at),
        memberships: memberships
            .into_iter()
            .map(|m| {
                let insight = (m.organization_kind == OrganizationKind::Network)
                    .then(|| insight_href(m.organization_id));
                (m.organization_name, m.role.label_nl(), insight)
            })
            .collect(),
    };
    Ok(respond(&visitor.csrf, status, &page))
}

/// `GET /account`.
pub async fn show(state: web::Data<AppState>, visitor: SignedIn) -> PageResult<HttpResponse> {
    account_page(&state, &visitor, StatusCode::OK, FormErrors::default()).await
}

/// `GET /account/gegevens`: everything stored about the visitor (GDPR art. 15), the same JSON
/// as `GET /v1/me/export`, as a download.
pub async fn export(state: web::Data<AppState>, visitor: SignedIn) -> PageResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let record = account::record(&mut conn, &visitor.caller).await?;
    let export = MeExport::new(&visitor.caller.user, record, state.clock.now());
    Ok(HttpResponse::Ok()
        .insert_header((
            "Content-Disposition",
            "attachment; filename=\"edumarkt-gegevens.json\"",
        ))
        .json(export))
}

/// `POST /account/verwijderen`: erase the account once the box is ticked; the last manager of
/// an organisation is told to appoint another first.
pub async fn erase(
    state: web::Data<AppState>,
    visitor: SignedIn,
    form: CsrfForm,
) -> PageResult<HttpResponse> {
    if !form.is_checked("bevestig") {
        let errors = account_errors(&[FieldError::new("bevestig", "not_confirmed", "")]);
        return account_page(&state, &visitor, StatusCode::BAD_REQUEST, errors).await;
    }
    let mut conn = state.conn().await?;
    let layout = |title| visitor.layout(title, Section::Account);
    match account::erase_account(&mut conn, &visitor.caller, state.clock.now()).await {
        Ok(()) => {
            // The header must no longer show the erased account.
            let page = MessagePage::new(
                Layout::new(t::DELETED_TITLE, Section::Account),
                t::DELETED_TITLE,
                t::DELETED_TEXT,
            );
            let mut response = respond(&visitor.csrf, StatusCode::OK, &page);
            forget_session(&mut response);
            Ok(response)
        }
        Err(DomainError::Conflict(_)) => {
            let page = MessagePage::new(
                layout(t::CONFLICT_TITLE),
                t::CONFLICT_TITLE,
                t::DELETE_LAST_MANAGER,
            )
            .link("/account", t::ACCOUNT_TITLE);
            Ok(respond(&visitor.csrf, StatusCode::CONFLICT, &page))
        }
        Err(other) => Err(other.into()),
    }
}

/// `GET /invitations/accept?token=…`, the link of the invitation mail: a button to accept
/// (a logged-out visitor logs in first and comes back here).
pub async fn invitation_page(req: HttpRequest, visitor: SignedIn) -> PageResult<HttpResponse> {
    let mut form = FormPage::new(
        visitor.layout(t::INVITATION_TITLE, Section::Account),
        &visitor.csrf,
        t::INVITATION_TITLE,
        "/invitations/accept",
    );
    form.intro = vec![t::INVITATION_TEXT];
    form.button = t::INVITATION_BUTTON;
    form.hidden = vec![("token", query_value(&req, "token"))];
    Ok(respond(&visitor.csrf, StatusCode::OK, &form))
}

/// `POST /invitations/accept`: join the organisation in the role invited.
pub async fn accept_invitation(
    state: web::Data<AppState>,
    visitor: SignedIn,
    form: CsrfForm,
) -> PageResult<HttpResponse> {
    let mut conn = state.conn().await?;
    let now = state.clock.now();
    let layout = |title| visitor.layout(title, Section::Account);
    let (status, page) = match members::accept_invitation(
        &mut conn,
        &visitor.caller,
        form.value("token"),
        now,
    )
    .await
    {
        Ok((_, role)) => (
            StatusCode::OK,
            MessagePage::new(
                layout(t::INVITATION_ACCEPTED_TITLE),
                t::INVITATION_ACCEPTED_TITLE,
                t::invitation_accepted(role.label_nl()),
            ),
        ),
        Err(DomainError::Invalid(_)) => (
            StatusCode::BAD_REQUEST,
            MessagePage::new(
                layout(t::LINK_UNUSABLE_TITLE),
                t::LINK_UNUSABLE_TITLE,
                t::INVITATION_UNUSABLE_TEXT,
            ),
        ),
        Err(DomainError::Forbidden(_)) => (
            StatusCode::FORBIDDEN,
            MessagePage::new(
                layout(t::FORBIDDEN_TITLE),
                t::FORBIDDEN_TITLE,
                t::INVITATION_OTHER_ADDRESS,
            ),
        ),
        Err(other) => return Err(other.into()),
    };
    Ok(respond(
        &visitor.csrf,
        status,
        &page.link("/account", t::ACCOUNT_TITLE),
    ))
}
