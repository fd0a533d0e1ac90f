-- One queue for every background job (mail now; reminders and deadlines later). A job is
-- enqueued in the transaction of the change that causes it; workers in any process claim due
-- rows with FOR UPDATE SKIP LOCKED. Claiming pushes `run_at` past a lease, so a job whose worker
-- died is due again once the lease ends; `locked_by` names the claim that may finish the job.
CREATE TABLE jobs (
    id         uuid PRIMARY KEY,
    kind       text NOT NULL CHECK (kind IN ('mail')),
    payload    jsonb NOT NULL,
    run_at     timestamptz NOT NULL,
    attempts   integer NOT NULL DEFAULT 0,
    last_error text,
    locked_at  timestamptz,
    locked_by  uuid,
    created_at timestamptz NOT NULL
);
-- Claims and the depth metric read due rows only.
CREATE INDEX jobs_run_at_idx ON jobs (run_at);
-- `edumarkt jobs status` and the metric count failing rows, normally none.
CREATE INDEX jobs_failing_idx ON jobs (kind) WHERE attempts > 0;

-- Wakes the workers of every process (LISTEN jobs) when the enqueuing transaction commits; once
-- per statement, and PostgreSQL folds equal notifications of one transaction into one.
CREATE FUNCTION jobs_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('jobs', '');
    RETURN NULL;
END
$$;
CREATE TRIGGER jobs_notify AFTER INSERT ON jobs
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_notify();

-- Mail still waiting in the old outbox becomes mail jobs, with its retry state.
INSERT INTO jobs (id, kind, payload, run_at, attempts, last_error, created_at)
SELECT id, 'mail',
       jsonb_build_object('to', recipient, 'subject', subject, 'text', body_text, 'html', body_html),
       next_attempt_at, attempts, last_error, created_at
FROM mail_outbox;
DROP TABLE mail_outbox;
