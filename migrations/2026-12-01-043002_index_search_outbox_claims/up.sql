-- A worker keeps several batches in flight and leaves the later rows of a document it has in
-- flight for after that batch: its claim asks, per candidate row, whether it holds a row of the
-- same document. Only claimed rows are indexed (few, while the queue may be long).
CREATE INDEX search_outbox_claimed_idx ON search_outbox (claimed_by, document_id)
    WHERE claimed_by IS NOT NULL;
