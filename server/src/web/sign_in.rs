//! Logging in and out, signing up, confirming the address and resetting the password: pages
//! over `usecases::identity`. The paths `/verify-email` and `/password-reset` are the ones the
//! mails link to (`identity::mail_link`); the others are Dutch.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::domain::{DomainError, FieldError};
use crate::routes::auth::client_address;
use crate::state::AppState;
use crate::usecases::identity::{self, Credentials, Registration};
use crate::web::csrf::{Csrf, CsrfForm};
use crate::web::error::PageResult;
use crate::web::form::FormErrors;
use crate::web::layout::see_other;
use crate::web::layout::{Layout, Section};
use crate::web::session::{Visitor, forget_session, respond, safe_back, session_cookie};
use crate::web::text as t;

/// A text box of an account form.
pub struct Field {
    pub name: &'static str,
    pub id: &'static str,
    pub label: &'static str,
    /// The input's `type`: text, email or password.
    pub kind: &'static str,
    pub value: String,
    pub hint: Option<&'static str>,
    pub autocomplete: &'static str,
}

impl Field {
    fn email(value: &str) -> Field {
        Field {
            name: "email",
            id: "veld-email",
            label: t::EMAIL_LABEL,
            kind: "email",
            value: value.to_owned(),
            hint: None,
            autocomplete: "email",
        }
    }

    /// A password box: never filled in again after a failed post.
    fn password(
        label: &'static str,
        hint: Option<&'static str>,
        autocomplete: &'static str,
    ) -> Field {
        Field {
            name: "password",
            id: "veld-password",
            label,
            kind: "password",
            value: String::new(),
            hint,
            autocomplete,
        }
    }
}

/// A page with one form of text boxes (login, sign-up, password forms, accepting).
#[derive(Template)]
#[template(path = "account_form.html")]
pub struct FormPage {
    pub page: Layout,
    pub heading: &'static str,
    pub intro: Vec<&'static str>,
    pub errors: FormErrors,
    pub action: &'static str,
    pub csrf: String,
    pub hidden: Vec<(&'static str, String)>,
    pub fields: Vec<Field>,
    pub button: &'static str,
    pub links: Vec<(String, &'static str)>,
}

impl FormPage {
    pub fn new(layout: Layout, csrf: &Csrf, heading: &'static str, action: &'static str) -> Self {
        FormPage {
            page: layout,
            heading,
            intro: Vec::new(),
            errors: FormErrors::default(),
            action,
            csrf: csrf.token.clone(),
            hidden: Vec::new(),
            fields: Vec::new(),
            button: heading,
            links: Vec::new(),
        }
    }
}

/// A page that says what happened, with links onward.
#[derive(Template)]
#[template(path = "message.html")]
pub struct MessagePage {
    pub page: Layout,
    pub heading: &'static str,
    pub paragraphs: Vec<String>,
    pub links: Vec<(String, &'static str)>,
}

impl MessagePage {
    pub fn new(layout: Layout, heading: &'static str, text: impl Into<String>) -> Self {
        MessagePage {
            page: layout,
            heading,
            paragraphs: vec![text.into()],
            links: Vec::new(),
        }
    }

    pub fn link(mut self, href: &str, text: &'static str) -> Self {
        self.links.push((href.to_owned(), text));
        self
    }
}

/// Field errors of the account forms in Dutch, each tied to its box (`veld-<name>`).
pub fn account_errors(errors: &[FieldError]) -> FormErrors {
    // The API says `invalid` for an address and for a name alike; the page can be more
    // specific about the address.
    let errors: Vec<FieldError> = errors
        .iter()
        .cloned()
        .map(|mut e| {
            if e.field == "email" && e.code == "invalid" {
                e.code = "invalid_email";
            }
            e
        })
        .collect();
    FormErrors::from_fields(&errors, t::account_field_label, t::account_problem, |f| {
        format!("veld-{f}")
    })
}

/// The value of query parameter `name`, or "".
pub fn query_value(req: &HttpRequest, name: &str) -> String {
    form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

fn login_form(visitor: &Visitor, email: &str, back: Option<&str>, errors: FormErrors) -> FormPage {
    let mut form = FormPage::new(
        visitor.layout(t::LOGIN_TITLE, Section::Account),
        &visitor.csrf,
        t::LOGIN_TITLE,
        "/inloggen",
    );
    form.errors = errors;
    form.button = t::LOGIN_BUTTON;
    form.fields = vec![
        Field::email(email),
        Field::password(t::PASSWORD_LABEL, None, "current-password"),
    ];
    if let Some(back) = back {
        form.hidden.push(("terug", back.to_owned()));
    }
    form.links = vec![
        ("/wachtwoord-vergeten".into(), t::LINK_FORGOT),
        ("/registreren".into(), t::LINK_REGISTER),
        ("/bevestigingslink".into(), t::LINK_RESEND),
    ];
    form
}

/// `GET /inloggen?terug=/pad`: the login form (a logged-in visitor goes straight on).
pub async fn login_page(req: HttpRequest, visitor: Visitor) -> PageResult<HttpResponse> {
    let terug = query_value(&req, "terug");
    let back = safe_back(&terug);
    if visitor.caller.is_some() {
        return Ok(see_other(back.unwrap_or("/account")));
    }
    let form = login_form(&visitor, "", back, FormErrors::default());
    Ok(respond(&visitor.csrf, StatusCode::OK, &form))
}

/// `POST /inloggen`: check the credentials (throttled like the API's login, with the same
/// `LoginThrottle`), start a browser session and go back where the visitor came from.
pub async fn log_in(
    req: HttpRequest,
    state: web::Data<AppState>,
    visitor: Visitor,
    form: CsrfForm,
) -> PageResult<HttpResponse> {
    let email = form.value("email");
    let back = safe_back(form.value("terug"));
    let credentials = Credentials {
        email: email.to_owned(),
        password: form.value("password").to_owned(),
        client: client_address(&req, state.config.trust_forwarded_for),
    };
    let now = state.clock.now();
    let mut conn = state.conn().await?;
    let refused = |code: &'static str, status: StatusCode| {
        let errors = account_errors(&[FieldError::new("email", code, "")]);
        let form = login_form(&visitor, email, back, errors);
        Ok(respond(&visitor.csrf, status, &form))
    };
    let user = match identity::authenticate(&mut conn, &state.throttle, credentials, now).await {
        Ok(user) => user,
        Err(DomainError::Unauthenticated(_)) => {
            return refused("login_wrong", StatusCode::UNAUTHORIZED);
        }
        Err(DomainError::Forbidden(_)) => return refused("unverified", StatusCode::FORBIDDEN),
        Err(other) => return Err(other.into()),
    };
    // A session this browser still held (another account's, or an older one) ends: the
    // cookie is about to be replaced, and a session nobody can use should not stay active.
    if let Some(previous) = &visitor.caller {
        identity::log_out(&mut conn, previous, now).await?;
    }
    let token =
        identity::start_browser_session(&mut conn, &user, state.config.jwt.refresh_ttl, now)
            .await?;
    let mut response = see_other(back.unwrap_or("/account"));
    // A cookie built by `session_cookie` always has a valid name and value.
    let _ = response.add_cookie(&session_cookie(&state, token));
    Ok(response)
}

/// `POST /uitloggen`: end the session (its row is revoked, like the API's logout) and forget
/// the cookie.
pub async fn log_out(
    state: web::Data<AppState>,
    visitor: Visitor,
    _form: CsrfForm,
) -> PageResult<HttpResponse> {
    if let Some(caller) = &visitor.caller {
        let mut conn = state.conn().await?;
        identity::log_out(&mut conn, caller, state.clock.now()).await?;
    }
    let mut response = see_other("/");
    forget_session(&mut response);
    Ok(response)
}

fn register_form(visitor: &Visitor, name: &str, email: &str, errors: FormErrors) -> FormPage {
    let mut form = FormPage::new(
        visitor.layout(t::REGISTER_TITLE, Section::Account),
        &visitor.csrf,
        t::REGISTER_TITLE,
        "/registreren",
    );
    form.intro = vec![t::REGISTER_INTRO];
    form.errors = errors;
    form.button = t::REGISTER_BUTTON;
    form.fields = vec![
        Field {
            name: "display_name",
            id: "veld-display_name",
            label: t::NAME_LABEL,
            kind: "text",
            value: name.to_owned(),
            hint: Some(t::NAME_HINT),
            autocomplete: "name",
        },
        Field::email(email),
        Field::password(t::PASSWORD_LABEL, Some(t::PASSWORD_HINT), "new-password"),
    ];
    form.links = vec![("/inloggen".into(), t::LINK_LOGIN)];
    form
}

/// `GET /registreren`: the sign-up form.
pub async fn register_page(visitor: Visitor) -> PageResult<HttpResponse> {
    let form = register_form(&visitor, "", "", FormErrors::default());
    Ok(respond(&visitor.csrf, StatusCode::OK, &form))
}

/// `POST /registreren`: create the account with the API's rules and messages; a form error
/// keeps what was typed except the password.
pub async fn register(
    state: web::Data<AppState>,
    visitor: Visitor,
    form: CsrfForm,
) -> PageResult<HttpResponse> {
    let (name, email) = (form.value("display_name"), form.value("email"));
    let registration = Registration {
        email,
        password: form.value("password"),
        display_name: name,
    };
    let mut conn = state.conn().await?;
    let now = state.clock.now();
    match identity::register(&mut conn, registration, &state.config.public_url, now).await {
        Ok(()) => {
            let page = MessagePage::new(
                visitor.layout(t::REGISTERED_TITLE, Section::Account),
                t::REGISTERED_TITLE,
                t::REGISTERED_TEXT,
            );
            Ok(respond(&visitor.csrf, StatusCode::OK, &page))
        }
        Err(DomainError::Invalid(errors)) => {
            let page = register_form(&visitor, name, email, account_errors(&errors));
            Ok(respond(&visitor.csrf, StatusCode::BAD_REQUEST, &page))
        }
        Err(other) => Err(other.into()),
    }
}

/// `GET /verify-email?token=…`, the link of the verification mail: confirm the address.
pub async fn verify_email(
    req: HttpRequest,
    state: web::Data<AppState>,
    visitor: Visitor,
) -> PageResult<HttpResponse> {
    let token = query_value(&req, "token");
    let mut conn = state.conn().await?;
    let (status, page) = match identity::verify_email(&mut conn, &token, state.clock.now()).await {
        Ok(()) => (
            StatusCode::OK,
            MessagePage::new(
                visitor.layout(t::VERIFIED_TITLE, Section::Account),
                t::VERIFIED_TITLE,
                t::VERIFIED_TEXT,
            ),
        ),
        Err(DomainError::Invalid(_)) => (
            StatusCode::BAD_REQUEST,
            MessagePage::new(
                visitor.layout(t::LINK_UNUSABLE_TITLE, Section::Account),
                t::LINK_UNUSABLE_TITLE,
                t::VERIFY_UNUSABLE_TEXT,
            )
            .link("/bevestigingslink", t::LINK_RESEND),
        ),
        Err(other) => return Err(other.into()),
    };
    let page = if visitor.caller.is_some() {
        page.link("/account", t::ACCOUNT_TITLE)
    } else {
        page.link("/inloggen", t::LINK_LOGIN)
    };
    Ok(respond(&visitor.csrf, status, &page))
}

/// The two forms that ask for a mail by address: a password-reset link, or a new
/// verification link. Both answer the same whether or not the address has an account.
#[derive(Debug, Clone, Copy)]
pub enum MailRequest {
    PasswordReset,
    Verification,
}

impl MailRequest {
    fn texts(
        self,
    ) -> (
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
    ) {
        // (title, path, intro, button, sent)
        match self {
            MailRequest::PasswordReset => (
                t::FORGOT_TITLE,
                "/wachtwoord-vergeten",
                t::FORGOT_INTRO,
                t::FORGOT_BUTTON,
                t::FORGOT_SENT_TEXT,
            ),
            MailRequest::Verification => (
                t::RESEND_TITLE,
                "/bevestigingslink",
                t::RESEND_INTRO,
                t::RESEND_BUTTON,
                t::RESEND_SENT_TEXT,
            ),
        }
    }

    fn form(self, visitor: &Visitor, email: &str, errors: FormErrors) -> FormPage {
        let (title, path, intro, button, _) = self.texts();
        let mut form = FormPage::new(
            visitor.layout(title, Section::Account),
            &visitor.csrf,
            title,
            path,
        );
        form.intro = vec![intro];
        form.errors = errors;
        form.button = button;
        form.fields = vec![Field::email(email)];
        form
    }
}

/// `GET /wachtwoord-vergeten`, `GET /bevestigingslink`: the form asking for the mail.
pub async fn mail_request_page(
    visitor: Visitor,
    request: web::Data<MailRequest>,
) -> PageResult<HttpResponse> {
    let form = request.form(&visitor, "", FormErrors::default());
    Ok(respond(&visitor.csrf, StatusCode::OK, &form))
}

/// `POST` of either form: queue the mail (a reset link, or a new verification link for an
/// unconfirmed account) and say so, in the same words whether or not there is an account.
pub async fn mail_request(
    state: web::Data<AppState>,
    request: web::Data<MailRequest>,
    visitor: Visitor,
    form: CsrfForm,
) -> PageResult<HttpResponse> {
    let email = form.value("email");
    let mut conn = state.conn().await?;
    let (now, public_url) = (state.clock.now(), &state.config.public_url);
    let outcome = match **request {
        MailRequest::PasswordReset => {
            identity::request_password_reset(&mut conn, email, public_url, now).await
        }
        MailRequest::Verification => {
            identity::resend_verification(&mut conn, email, public_url, now).await
        }
    };
    match outcome {
        Ok(()) => {
            let page = MessagePage::new(
                visitor.layout(t::REGISTERED_TITLE, Section::Account),
                t::REGISTERED_TITLE,
                request.texts().4,
            );
            Ok(respond(&visitor.csrf, StatusCode::OK, &page))
        }
        Err(DomainError::Invalid(errors)) => {
            let page = request.form(&visitor, email, account_errors(&errors));
            Ok(respond(&visitor.csrf, StatusCode::BAD_REQUEST, &page))
        }
        Err(other) => Err(other.into()),
    }
}

fn reset_form(visitor: &Visitor, token: &str, errors: FormErrors) -> FormPage {
    let mut form = FormPage::new(
        visitor.layout(t::RESET_TITLE, Section::Account),
        &visitor.csrf,
        t::RESET_TITLE,
        "/password-reset",
    );
    form.errors = errors;
    form.button = t::RESET_BUTTON;
    form.hidden = vec![("token", token.to_owned())];
    form.fields = vec![Field::password(
        t::NEW_PASSWORD_LABEL,
        Some(t::PASSWORD_HINT),
        "new-password",
    )];
    form
}

/// `GET /password-reset?token=…`, the link of the reset mail: the form for the new password.
/// Without a token (the link of the "already registered" mail) it is the request form.
pub async fn reset_page(req: HttpRequest, visitor: Visitor) -> PageResult<HttpResponse> {
    let token = query_value(&req, "token");
    if token.trim().is_empty() {
        return Ok(see_other("/wachtwoord-vergeten"));
    }
    let form = reset_form(&visitor, &token, FormErrors::default());
    Ok(respond(&visitor.csrf, StatusCode::OK, &form))
}

/// `POST /password-reset`: set the new password; every session of the account ends, this
/// browser's too.
pub async fn reset(
    state: web::Data<AppState>,
    visitor: Visitor,
    form: CsrfForm,
) -> PageResult<HttpResponse> {
    let token = form.value("token");
    let mut conn = state.conn().await?;
    let now = state.clock.now();
    let outcome = identity::reset_password(&mut conn, token, form.value("password"), now).await;
    let unusable = || {
        MessagePage::new(
            visitor.layout(t::LINK_UNUSABLE_TITLE, Section::Account),
            t::LINK_UNUSABLE_TITLE,
            t::RESET_UNUSABLE_TEXT,
        )
        .link("/wachtwoord-vergeten", t::LINK_NEW_RESET)
    };
    match outcome {
        Ok(()) => {
            let page = MessagePage::new(
                visitor.layout(t::RESET_DONE_TITLE, Section::Account),
                t::RESET_DONE_TITLE,
                t::RESET_DONE_TEXT,
            )
            .link("/inloggen", t::LINK_LOGIN);
            let mut response = respond(&visitor.csrf, StatusCode::OK, &page);
            forget_session(&mut response);
            Ok(response)
        }
        Err(DomainError::Invalid(errors)) if errors.iter().any(|e| e.field == "token") => {
            Ok(respond(&visitor.csrf, StatusCode::BAD_REQUEST, &unusable()))
        }
        Err(DomainError::NotFound) => {
            Ok(respond(&visitor.csrf, StatusCode::BAD_REQUEST, &unusable()))
        }
        Err(DomainError::Invalid(errors)) => {
            let page = reset_form(&visitor, token, account_errors(&errors));
            Ok(respond(&visitor.csrf, StatusCode::BAD_REQUEST, &page))
        }
        Err(other) => Err(other.into()),
    }
}
