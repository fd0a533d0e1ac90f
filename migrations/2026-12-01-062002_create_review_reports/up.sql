-- Reports of reviews by signed-in users, and moderators' decisions on them. A hidden review
-- leaves lists and aggregates (reviews.hidden_at); no one but the author ever edits its text.
CREATE TABLE review_reports (
    id          uuid PRIMARY KEY,
    review_id   uuid NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
    reporter_id uuid REFERENCES users (id) ON DELETE SET NULL,
    reason      text NOT NULL,
    created_at  timestamptz NOT NULL,
    -- Set by the decision that handled it.
    resolved_at timestamptz,
    UNIQUE (review_id, reporter_id)
);
-- The moderation queue: open reports, oldest first.
CREATE INDEX review_reports_open_idx ON review_reports (created_at, review_id) WHERE resolved_at IS NULL;

CREATE TABLE review_decisions (
    id           uuid PRIMARY KEY,
    review_id    uuid NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
    moderator_id uuid REFERENCES users (id) ON DELETE SET NULL,
    action       text NOT NULL CHECK (action IN ('hide', 'restore')),
    reason       text NOT NULL,
    created_at   timestamptz NOT NULL
);
CREATE INDEX review_decisions_review_idx ON review_decisions (review_id, created_at);

ALTER TABLE reviews ADD COLUMN hidden_reason text;
