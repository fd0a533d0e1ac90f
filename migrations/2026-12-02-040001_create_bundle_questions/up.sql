-- Questions on a demand bundle and the owner's answers (the nota van inlichtingen). The asking
-- provider and person are kept so the owner's list and the provider's own unanswered questions
-- can be told apart; no output names them (answers are public with the asker anonymous).
CREATE TABLE bundle_questions (
    id           uuid PRIMARY KEY,
    bundle_id    uuid NOT NULL REFERENCES bundles (id) ON DELETE CASCADE,
    provider_id  uuid NOT NULL REFERENCES organizations (id),
    asked_by     uuid REFERENCES users (id) ON DELETE SET NULL,
    question     text NOT NULL,
    asked_at     timestamptz NOT NULL,
    answer       text,
    answered_by  uuid REFERENCES users (id) ON DELETE SET NULL,
    answered_at  timestamptz,
    CHECK ((answer IS NULL) = (answered_at IS NULL))
);
CREATE INDEX bundle_questions_bundle_idx ON bundle_questions (bundle_id, asked_at, id);
