//! Sessions and the account pages as a browser receives them: the session cookie, CSRF on
//! every form, the login redirect and back, and each page the mails link to. The journey in a
//! real browser is in `browser.rs` (`journeys/account.mjs`). `Browser` drives the other page
//! tests' forms too.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, school_body, spawn_app, spawn_app_with};

/// What a page answered.
pub struct Page {
    pub status: u16,
    pub html: String,
    pub location: Option<String>,
    pub set_cookies: Vec<String>,
}

impl Page {
    /// The CSRF token of the page's (first) form.
    pub fn csrf(&self) -> String {
        let start = self
            .html
            .find(r#"name="csrf" value=""#)
            .unwrap_or_else(|| panic!("no CSRF field in {}", self.html))
            + r#"name="csrf" value=""#.len();
        self.html[start..].split('"').next().unwrap().to_owned()
    }

    pub fn set_cookie(&self, name: &str) -> Option<&str> {
        self.set_cookies
            .iter()
            .find(|c| c.starts_with(&format!("{name}=")))
            .map(String::as_str)
    }
}

/// A browser without a cookie jar of reqwest's: cookies kept by hand, so tests can replay,
/// drop or swap them. The other page tests (`shortlist_pages`) browse with it too.
pub struct Browser<'a> {
    app: &'a TestApp,
    pub cookies: BTreeMap<String, String>,
}

impl<'a> Browser<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Browser {
            app,
            cookies: BTreeMap::new(),
        }
    }

    async fn send(&mut self, request: reqwest::RequestBuilder) -> Page {
        let cookie = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let request = if cookie.is_empty() {
            request
        } else {
            request.header("Cookie", cookie)
        };
        let response = request.send().await.expect("request");
        let set_cookies: Vec<String> = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect();
        for set in &set_cookies {
            let pair = set.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            if value.is_empty() || set.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_owned());
        let html = response.text().await.unwrap();
        Page {
            status,
            html,
            location,
            set_cookies,
        }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let request = self.app.client.get(self.app.url(path));
        self.send(request).await
    }

    /// Posts `fields` as they are (no CSRF token added).
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let request = self.app.client.post(self.app.url(path)).form(fields);
        self.send(request).await
    }

    /// Opens `form_path` and posts `fields` to `action` with the form's CSRF token, as a
    /// browser submitting the form would.
    pub async fn submit(&mut self, form_path: &str, action: &str, fields: &[(&str, &str)]) -> Page {
        let form = self.get(form_path).await;
        assert_eq!(form.status, 200, "{form_path}: {}", form.html);
        let csrf = form.csrf();
        let mut fields = fields.to_vec();
        fields.push(("csrf", &csrf));
        self.post(action, &fields).await
    }

    pub async fn log_in(&mut self, email: &str, password: &str) -> Page {
        self.submit(
            "/inloggen",
            "/inloggen",
            &[("email", email), ("password", password)],
        )
        .await
    }
}

#[tokio::test]
async fn a_visitor_signs_up_verifies_by_the_mail_link_logs_in_and_out() {
    let app = spawn_app().await;
    let mut browser = Browser::new(&app);
    let signed_up = browser
        .submit(
            "/registreren",
            "/registreren",
            &[
                ("display_name", "Meester Bram"),
                ("email", "bram@school.nl"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(signed_up.status, 200, "{}", signed_up.html);
    assert!(signed_up.html.contains("Kijk in uw mailbox"));

    // Unconfirmed, logging in is refused with a message tied to the address.
    let early = browser.log_in("bram@school.nl", PASSWORD).await;
    assert_eq!(early.status, 403, "{}", early.html);
    assert!(early.html.contains("bevestig eerst uw e-mailadres"));
    assert!(early.set_cookie("edumarkt_sessie").is_none());
    // No mail (or lost it)? The login page offers a new link.
    assert!(early.html.contains(r#"href="/bevestigingslink""#));
    let resent = browser
        .submit(
            "/bevestigingslink",
            "/bevestigingslink",
            &[("email", "bram@school.nl")],
        )
        .await;
    assert_eq!(resent.status, 200, "{}", resent.html);
    assert!(resent.html.contains("nieuwe bevestigingslink gestuurd"));
    assert_eq!(app.mails_to("bram@school.nl", 2).await.len(), 2);

    let token = app.token_from_mail("bram@school.nl", "/verify-email").await;
    let verified = browser.get(&format!("/verify-email?token={token}")).await;
    assert_eq!(verified.status, 200, "{}", verified.html);
    assert!(verified.html.contains("E-mailadres bevestigd"));
    let again = browser.get(&format!("/verify-email?token={token}")).await;
    assert_eq!(again.status, 400);
    assert!(again.html.contains("Deze link werkt niet (meer)"));

    let logged_in = browser.log_in("bram@school.nl", PASSWORD).await;
    assert_eq!(logged_in.status, 303, "{}", logged_in.html);
    assert_eq!(logged_in.location.as_deref(), Some("/account"));
    let cookie = logged_in.set_cookie("edumarkt_sessie").unwrap();
    for flag in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/"] {
        assert!(cookie.contains(flag), "{flag} in {cookie}");
    }
    let session = browser.cookies["edumarkt_sessie"].clone();

    let account = browser.get("/account").await;
    assert_eq!(account.status, 200, "{}", account.html);
    assert!(account.html.contains("Meester Bram"));
    assert!(account.html.contains("bram@school.nl"));
    assert!(account.html.contains("Uitloggen"));
    assert!(!account.html.contains(r#"href="/inloggen""#));
    // Every page's header knows the visitor.
    let home = browser.get("/").await;
    assert!(home.html.contains("Meester Bram"), "{}", home.html);

    let csrf = account.csrf();
    let logged_out = browser.post("/uitloggen", &[("csrf", &csrf)]).await;
    assert_eq!(logged_out.status, 303);
    assert_eq!(logged_out.location.as_deref(), Some("/"));
    assert!(!browser.cookies.contains_key("edumarkt_sessie"));
    let home = browser.get("/").await;
    assert!(home.html.contains(r#"href="/inloggen""#));

    // The old cookie names a revoked session: replaying it is being logged out.
    browser
        .cookies
        .insert("edumarkt_sessie".into(), session.clone());
    let replayed = browser.get("/account").await;
    assert_eq!(replayed.status, 303);
}

#[tokio::test]
async fn logging_in_again_ends_the_browsers_previous_session() {
    let app = spawn_app().await;
    app.user("anna@school.nl").await;
    app.user("bram@school.nl").await;
    let mut browser = Browser::new(&app);
    browser.log_in("anna@school.nl", PASSWORD).await;
    let annas = browser.cookies["edumarkt_sessie"].clone();
    // A login form opened while logged in (the session-bound token), used for Bram.
    let csrf = browser.get("/account").await.csrf();
    let again = browser
        .post(
            "/inloggen",
            &[
                ("email", "bram@school.nl"),
                ("password", PASSWORD),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(again.status, 303, "{}", again.html);
    assert!(
        browser
            .get("/account")
            .await
            .html
            .contains("bram@school.nl")
    );
    let mut replay = Browser::new(&app);
    replay.cookies.insert("edumarkt_sessie".into(), annas);
    assert_eq!(replay.get("/account").await.status, 303);
}

#[tokio::test]
async fn under_plain_http_the_session_cookie_is_not_secure() {
    let app = spawn_app_with(|c| c.public_url = "http://localhost:8080".into()).await;
    app.user("anna@school.nl").await;
    let mut browser = Browser::new(&app);
    let logged_in = browser.log_in("anna@school.nl", PASSWORD).await;
    let cookie = logged_in.set_cookie("edumarkt_sessie").unwrap();
    assert!(
        cookie.contains("HttpOnly") && !cookie.contains("Secure"),
        "{cookie}"
    );
}

#[tokio::test]
async fn a_form_without_its_csrf_token_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    app.user("anna@school.nl").await;
    app.user("bram@school.nl").await;
    let mut anna = Browser::new(&app);
    anna.log_in("anna@school.nl", PASSWORD).await;
    let mut bram = Browser::new(&app);
    bram.log_in("bram@school.nl", PASSWORD).await;
    let brams_token = bram.get("/account").await.csrf();

    for csrf in [
        None,
        Some(""),
        Some("bm90LWEtdG9rZW4"),
        Some(brams_token.as_str()),
    ] {
        let mut fields = vec![("bevestig", "ja")];
        if let Some(csrf) = csrf {
            fields.push(("csrf", csrf));
        }
        let refused = anna.post("/account/verwijderen", &fields).await;
        assert_eq!(refused.status, 403, "{csrf:?}");
        assert!(
            refused.html.contains("Formulier verlopen"),
            "{}",
            refused.html
        );
        let refused = anna.post("/uitloggen", &fields).await;
        assert_eq!(refused.status, 403, "{csrf:?}");
    }
    // Anna is still there and still logged in.
    let account = anna.get("/account").await;
    assert_eq!(account.status, 200);
    assert!(account.html.contains("anna@school.nl"));

    // Logged-out forms are bound to their own cookie: without it, or without the token,
    // nothing happens.
    let mut stranger = Browser::new(&app);
    let login = stranger
        .post(
            "/inloggen",
            &[("email", "anna@school.nl"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(login.status, 403);
    assert!(login.set_cookie("edumarkt_sessie").is_none());
    let form = stranger.get("/registreren").await;
    assert!(form.set_cookie("edumarkt_formulier").is_some());
    let mut forger = Browser::new(&app);
    let forged = forger
        .post(
            "/registreren",
            &[
                ("display_name", "Nep"),
                ("email", "nep@school.nl"),
                ("password", PASSWORD),
                ("csrf", &form.csrf()),
            ],
        )
        .await;
    assert_eq!(forged.status, 403);
    assert!(app.mails_to("nep@school.nl", 1).await.is_empty());
}

#[tokio::test]
async fn the_csrf_token_differs_on_every_page_and_each_one_works() {
    // Pages travel compressed and reflect the search words; a token that read the same on
    // every page could be recovered from compressed sizes (BREACH), so each page masks it anew.
    let app = spawn_app().await;
    app.user("anna@school.nl").await;
    let mut anna = Browser::new(&app);
    anna.log_in("anna@school.nl", PASSWORD).await;
    let first = anna.get("/account").await.csrf();
    let second = anna.get("/account").await.csrf();
    assert_ne!(first, second);
    // The older token still works (a second tab's form), and so does the newer one.
    let logged_out = anna.post("/uitloggen", &[("csrf", &first)]).await;
    assert_eq!(logged_out.status, 303, "{}", logged_out.html);
    anna.log_in("anna@school.nl", PASSWORD).await;
    let third = anna.get("/account").await.csrf();
    let logged_out = anna.post("/uitloggen", &[("csrf", &third)]).await;
    assert_eq!(logged_out.status, 303, "{}", logged_out.html);
    // A token whose mask was tampered with is refused.
    anna.log_in("anna@school.nl", PASSWORD).await;
    let token = anna.get("/account").await.csrf();
    let mut bytes = token.into_bytes();
    bytes[3] = if bytes[3] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(bytes).unwrap();
    let refused = anna.post("/uitloggen", &[("csrf", &tampered)]).await;
    assert_eq!(refused.status, 403);
}

#[tokio::test]
async fn a_logged_out_visitor_is_sent_to_log_in_and_back() {
    let app = spawn_app().await;
    app.user("anna@school.nl").await;
    let mut browser = Browser::new(&app);
    let sent = browser.get("/account").await;
    assert_eq!(sent.status, 303);
    assert_eq!(sent.location.as_deref(), Some("/inloggen?terug=%2Faccount"));
    let invitation = browser.get("/invitations/accept?token=abc").await;
    assert_eq!(
        invitation.location.as_deref(),
        Some("/inloggen?terug=%2Finvitations%2Faccept%3Ftoken%3Dabc")
    );

    let form_path = "/inloggen?terug=%2Finvitations%2Faccept%3Ftoken%3Dabc";
    let form = browser.get(form_path).await;
    assert!(
        form.html
            .contains(r#"name="terug" value="/invitations/accept?token=abc""#),
        "{}",
        form.html
    );
    let back = browser
        .submit(
            form_path,
            "/inloggen",
            &[
                ("email", "anna@school.nl"),
                ("password", PASSWORD),
                ("terug", "/invitations/accept?token=abc"),
            ],
        )
        .await;
    assert_eq!(back.status, 303, "{}", back.html);
    assert_eq!(
        back.location.as_deref(),
        Some("/invitations/accept?token=abc")
    );
    // Logged in, the login page sends straight on.
    let on = browser.get("/inloggen?terug=%2Faccount").await;
    assert_eq!(on.location.as_deref(), Some("/account"));

    // Only paths of this site: anything else goes to the account page.
    for evil in [
        "//evil.example/x",
        "https://evil.example",
        "/\\evil.example",
    ] {
        let mut other = Browser::new(&app);
        let landed = other
            .submit(
                "/inloggen",
                "/inloggen",
                &[
                    ("email", "anna@school.nl"),
                    ("password", PASSWORD),
                    ("terug", evil),
                ],
            )
            .await;
        assert_eq!(landed.location.as_deref(), Some("/account"), "{evil}");
    }
}

#[tokio::test]
async fn a_sign_up_error_keeps_what_was_typed_except_the_password() {
    let app = spawn_app().await;
    let mut browser = Browser::new(&app);
    let failed = browser
        .submit(
            "/registreren",
            "/registreren",
            &[
                ("display_name", "Juf <Anna>"),
                ("email", "geen-adres"),
                ("password", "kort-geheim"),
            ],
        )
        .await;
    assert_eq!(failed.status, 400, "{}", failed.html);
    let html = &failed.html;
    assert!(html.contains("Er is een probleem"));
    assert!(
        html.contains(r##"href="#veld-email">E-mailadres: vul een geldig e-mailadres in, zoals naam@school.nl"##),
        "{html}"
    );
    assert!(html.contains(r##"href="#veld-password">Wachtwoord: gebruik minstens 12 tekens"##));
    assert!(
        html.contains(r#"value="Juf &#60;Anna&#62;""#),
        "escaped and kept: {html}"
    );
    assert!(html.contains(r#"value="geen-adres""#));
    assert!(
        !html.contains("kort-geheim"),
        "the password is never echoed"
    );
    assert!(html.contains(r#"aria-describedby="veld-password-hint veld-password-fout""#));
    assert!(app.mails_to("geen-adres", 1).await.is_empty());
}

#[tokio::test]
async fn wrong_passwords_are_a_form_error_throttled_with_the_api() {
    let app = spawn_app().await;
    app.user("anna@school.nl").await;
    let mut browser = Browser::new(&app);
    let wrong = browser
        .log_in("anna@school.nl", "verkeerd wachtwoord")
        .await;
    assert_eq!(wrong.status, 401);
    assert!(
        wrong
            .html
            .contains("het e-mailadres of het wachtwoord klopt niet")
    );
    assert!(wrong.html.contains(r#"value="anna@school.nl""#));
    let mut throttled = false;
    for _ in 0..30 {
        let page = browser
            .log_in("anna@school.nl", "verkeerd wachtwoord")
            .await;
        if page.status == 429 {
            assert!(page.html.contains("Te veel pogingen"));
            throttled = true;
            break;
        }
        assert_eq!(page.status, 401);
    }
    assert!(throttled, "the page's logins are throttled");
    // The API's login counts the same failures.
    let api = app.login("anna@school.nl", PASSWORD).await;
    assert_eq!(api.status(), 429);
}

#[tokio::test]
async fn the_reset_link_opens_a_form_and_a_new_password_ends_every_session() {
    let app = spawn_app().await;
    let anna = app.user("anna@school.nl").await;
    let mut browser = Browser::new(&app);
    browser.log_in("anna@school.nl", PASSWORD).await;
    let old_session = browser.cookies["edumarkt_sessie"].clone();

    let no_token = browser.get("/password-reset").await;
    assert_eq!(no_token.location.as_deref(), Some("/wachtwoord-vergeten"));
    let bad = browser
        .submit(
            "/wachtwoord-vergeten",
            "/wachtwoord-vergeten",
            &[("email", "x")],
        )
        .await;
    assert_eq!(bad.status, 400);
    assert!(bad.html.contains(r##"href="#veld-email""##));
    let asked = browser
        .submit(
            "/wachtwoord-vergeten",
            "/wachtwoord-vergeten",
            &[("email", "anna@school.nl")],
        )
        .await;
    assert_eq!(asked.status, 200);
    assert!(
        asked
            .html
            .contains("Als er een account bij dit e-mailadres hoort")
    );

    let token = app
        .token_from_mail("anna@school.nl", "/password-reset")
        .await;
    let form_path = format!("/password-reset?token={token}");
    let form = browser.get(&form_path).await;
    assert_eq!(form.status, 200);
    assert!(
        form.html
            .contains(&format!(r#"name="token" value="{token}""#))
    );
    let short = browser
        .submit(
            &form_path,
            "/password-reset",
            &[("token", &token), ("password", "kort")],
        )
        .await;
    assert_eq!(short.status, 400);
    assert!(short.html.contains("gebruik minstens 12 tekens"));
    let new_password = "nieuwe groene tram 77";
    let done = browser
        .submit(
            &form_path,
            "/password-reset",
            &[("token", &token), ("password", new_password)],
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.html);
    assert!(done.html.contains("Wachtwoord gewijzigd"));

    // Every session ended: the API's tokens and the old browser cookie.
    assert_eq!(app.get("/v1/me", Some(&anna.access)).await.status(), 401);
    let mut replay = Browser::new(&app);
    replay.cookies.insert("edumarkt_sessie".into(), old_session);
    assert_eq!(replay.get("/account").await.status, 303);
    let used = browser
        .submit(
            &form_path,
            "/password-reset",
            &[("token", &token), ("password", "nog een ander wachtwoord")],
        )
        .await;
    assert_eq!(used.status, 400);
    assert!(used.html.contains("Deze link werkt niet (meer)"));
    assert_eq!(
        browser.log_in("anna@school.nl", new_password).await.status,
        303
    );
}

#[tokio::test]
async fn the_invitation_link_opens_a_page_that_accepts_it() {
    let app = spawn_app().await;
    let manager = app.user("directeur@linde.nl").await;
    let school = app.organization(&manager, school_body("12AB")).await;
    app.user("juf@linde.nl").await;
    let invited = app
        .post(
            &format!(
                "/v1/organizations/{}/members",
                school["id"].as_str().unwrap()
            ),
            &json!({"email": "juf@linde.nl", "role": "teacher"}),
            Some(&manager.access),
        )
        .await;
    assert_eq!(invited.status(), 201);
    let token = app
        .token_from_mail("juf@linde.nl", "/invitations/accept")
        .await;
    let link = format!("/invitations/accept?token={token}");

    // Someone else logged in cannot take it.
    app.user("ander@linde.nl").await;
    let mut other = Browser::new(&app);
    other.log_in("ander@linde.nl", PASSWORD).await;
    let refused = other
        .submit(&link, "/invitations/accept", &[("token", &token)])
        .await;
    assert_eq!(refused.status, 403);
    assert!(refused.html.contains("naar een ander e-mailadres"));

    let mut browser = Browser::new(&app);
    browser.log_in("juf@linde.nl", PASSWORD).await;
    let page = browser.get(&link).await;
    assert_eq!(page.status, 200);
    assert!(page.html.contains("Uitnodiging aannemen"));
    let accepted = browser
        .submit(&link, "/invitations/accept", &[("token", &token)])
        .await;
    assert_eq!(accepted.status, 200, "{}", accepted.html);
    assert!(accepted.html.contains("als leraar"));
    let account = browser.get("/account").await;
    assert!(account.html.contains("OBS De Linde"), "{}", account.html);
    let again = browser
        .submit(&link, "/invitations/accept", &[("token", &token)])
        .await;
    assert_eq!(again.status, 400);
}

#[tokio::test]
async fn the_account_page_downloads_the_export_and_erases_after_confirmation() {
    let app = spawn_app().await;
    app.user("anna@school.nl").await;
    let mut browser = Browser::new(&app);
    browser.log_in("anna@school.nl", PASSWORD).await;
    let export = browser.get("/account/gegevens").await;
    assert_eq!(export.status, 200);
    let export: Value = serde_json::from_str(&export.html).unwrap();
    assert_eq!(export["account"]["email"], "anna@school.nl");
    assert_eq!(export["sessions"].as_array().unwrap().len(), 2);

    let unconfirmed = browser
        .submit("/account", "/account/verwijderen", &[])
        .await;
    assert_eq!(unconfirmed.status, 400);
    assert!(unconfirmed.html.contains(r##"href="#veld-bevestig""##));
    assert_eq!(app.login("anna@school.nl", PASSWORD).await.status(), 200);

    let erased = browser
        .submit("/account", "/account/verwijderen", &[("bevestig", "ja")])
        .await;
    assert_eq!(erased.status, 200, "{}", erased.html);
    assert!(erased.html.contains("Account verwijderd"));
    assert!(!browser.cookies.contains_key("edumarkt_sessie"));
    assert_eq!(app.login("anna@school.nl", PASSWORD).await.status(), 401);
}

#[tokio::test]
async fn odd_input_never_answers_500() {
    let app = spawn_app().await;
    app.user("anna@school.nl").await;
    let mut browser = Browser::new(&app);
    for path in [
        "/verify-email",
        "/verify-email?token=",
        "/verify-email?token=%FF%00%3Cscript%3E",
        "/password-reset?token=%00",
        "/password-reset?token=a&token=b",
        "/inloggen?terug=%00",
        "/inloggen?terug=javascript:alert(1)",
        "/registreren?x=%FF",
    ] {
        let page = browser.get(path).await;
        assert!(page.status < 500, "{path}: {}", page.status);
        assert!(!page.html.contains("<script>"), "{path}");
    }
    let csrf = browser.get("/registreren").await.csrf();
    for body in [
        format!("csrf={csrf}&email=%FF%FE&password=%00&display_name="),
        format!(
            "csrf={csrf}&email=a&email=b&display_name={}",
            "x".repeat(10_000)
        ),
        format!("csrf={csrf}&&&==&"),
        "csrf=%FF".to_owned(),
        "\u{0}\u{1}binary".to_owned(),
    ] {
        for path in [
            "/registreren",
            "/inloggen",
            "/wachtwoord-vergeten",
            "/password-reset",
        ] {
            let request = app
                .client
                .post(app.url(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(body.clone());
            let page = browser.send(request).await;
            assert!(page.status < 500, "{path} {body}: {}", page.status);
        }
    }
}
