use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn an_smtp_outage_delays_mail_and_loses_none() {
    let app = spawn_app().await;
    app.state.mailer.set_failing(true);
    assert_eq!(app.register("patient@school.nl").await.status(), 201);
    // The worker tries, fails and schedules a retry; the mail stays queued.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let (client, connection) =
            tokio_postgres::connect(&app.database_url, tokio_postgres::NoTls)
                .await
                .unwrap();
        tokio::spawn(connection);
        let row = client
            .query_one(
                "SELECT attempts, last_error FROM jobs WHERE kind = 'mail'",
                &[],
            )
            .await
            .unwrap();
        if row.get::<_, i32>(0) >= 1 {
            assert!(
                row.get::<_, Option<String>>(1)
                    .unwrap()
                    .contains("unreachable")
            );
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the worker never tried"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let metrics = app.get("/metrics", None).await.text().await.unwrap();
    assert!(
        metrics.contains(r#"edumarkt_outbox_rows{outbox="mail",state="failing"} 1"#),
        "{metrics}"
    );

    app.state.mailer.set_failing(false);
    // Not yet due: nothing is sent before the backoff has passed.
    let early = crate::jobs::worker(&app).run_due().await.unwrap();
    assert_eq!(early.done, 0);
    app.clock.advance(chrono::Duration::seconds(31));
    let later = crate::jobs::worker(&app).run_due().await.unwrap();
    assert_eq!(later.done, 1);
    let mails = app.mails_to("patient@school.nl", 1).await;
    assert_eq!(mails.len(), 1);
    // Delivered mail leaves the outbox.
    let token = app
        .token_from_mail("patient@school.nl", "/verify-email")
        .await;
    assert_eq!(
        app.post("/v1/auth/verify-email", &json!({"token": token}), None)
            .await
            .status(),
        204
    );
}

#[tokio::test]
async fn every_mail_has_a_plain_text_and_an_html_part_in_dutch() {
    let app = spawn_app().await;
    app.register("nl@school.nl").await;
    let mail = &app.mails_to("nl@school.nl", 1).await[0];
    assert!(mail.text.contains("Met vriendelijke groet"));
    assert!(mail.html.starts_with("<!DOCTYPE html><html lang=\"nl\">"));
}
