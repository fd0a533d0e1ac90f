-- Mail is queued in the transaction of the change that causes it and delivered by a worker,
-- so an SMTP outage delays mail and loses none.
CREATE TABLE mail_outbox (
    id              uuid PRIMARY KEY,
    recipient       text NOT NULL,
    subject         text NOT NULL,
    body_text       text NOT NULL,
    body_html       text NOT NULL,
    created_at      timestamptz NOT NULL,
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    last_error      text
);
CREATE INDEX mail_outbox_next_attempt_idx ON mail_outbox (next_attempt_at);
