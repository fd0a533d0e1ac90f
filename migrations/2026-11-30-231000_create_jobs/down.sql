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
INSERT INTO mail_outbox
SELECT id, payload->>'to', payload->>'subject', payload->>'text', payload->>'html', created_at,
       attempts, run_at, last_error
FROM jobs WHERE kind = 'mail';
DROP TABLE jobs;
DROP FUNCTION jobs_notify();
