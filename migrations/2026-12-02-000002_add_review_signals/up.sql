-- Suspicious patterns put reviews in the moderation queue by themselves. A review keeps where
-- it came from only as a keyed hash of the client address (HMAC-SHA256 under a key derived
-- from the server's secret): equal addresses compare equal, the address itself is never
-- stored and cannot be recovered by hashing every IPv4 address without the key. A table of
-- its own: `reviews` is at diesel's 32 columns, and the hash is nothing a reader ever sees.
CREATE TABLE review_origins (
    review_id   uuid PRIMARY KEY REFERENCES reviews (id) ON DELETE CASCADE,
    client_hash text NOT NULL
);
-- A burst of one offering's reviews is looked up from the newest review's time.
CREATE INDEX reviews_offering_created_idx ON reviews (offering_id, created_at);

-- An automatic report names the signal that fired (`new_accounts`, `one_organization`,
-- `one_client_address`) and has no reporter; a person's report has no signal. A review is
-- reported once per signal: a later burst that includes it again adds nothing.
ALTER TABLE review_reports ADD COLUMN signal text
    CHECK (signal IN ('new_accounts', 'one_organization', 'one_client_address'));
ALTER TABLE review_reports ADD CONSTRAINT review_reports_signal_or_reporter
    CHECK (signal IS NULL OR reporter_id IS NULL);
CREATE UNIQUE INDEX review_reports_signal_idx ON review_reports (review_id, signal)
    WHERE signal IS NOT NULL;
