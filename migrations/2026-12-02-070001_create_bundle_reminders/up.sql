-- Reminders 48 hours before a bundle's deadlines, to those who have not acted. A row per
-- address and deadline instant, inserted with the reminder's mail job: however often the
-- reminder job runs, and however many workers run it, each address is reminded once.
CREATE TABLE bundle_reminders (
    bundle_id uuid NOT NULL REFERENCES bundles (id) ON DELETE CASCADE,
    deadline  text NOT NULL CHECK (deadline IN ('join', 'offer')),
    due_at    timestamptz NOT NULL,
    email     text NOT NULL,
    sent_at   timestamptz NOT NULL,
    PRIMARY KEY (bundle_id, deadline, due_at, email)
);

ALTER TABLE jobs DROP CONSTRAINT jobs_kind_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_kind_check
    CHECK (kind IN ('mail', 'review_follow_up', 'bundle_interest', 'bundle_reminder'));
