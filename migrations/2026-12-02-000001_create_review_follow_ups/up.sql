-- Follow-ups of a review: 6 and 12 months after writing it, its author is asked (a job of kind
-- `review_follow_up`) whether the offering is still in use and how lasting its effect was. Each
-- answer is kept with its date, so a reader sees whether an effect lasted. They belong to the
-- review, not to the author: erasing the account leaves them with the anonymised review.
CREATE TABLE review_follow_ups (
    id             uuid PRIMARY KEY,
    review_id      uuid NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
    answered_at    timestamptz NOT NULL,
    still_in_use   boolean NOT NULL,
    lasting_effect smallint CHECK (lasting_effect BETWEEN 1 AND 5),
    note           text
);
-- A review's follow-ups, oldest first; reviews are shown a page at a time.
CREATE INDEX review_follow_ups_review_idx ON review_follow_ups (review_id, answered_at);

ALTER TABLE jobs DROP CONSTRAINT jobs_kind_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_kind_check CHECK (kind IN ('mail', 'review_follow_up'));
