-- `edumarkt search reindex` asks the server that holds the embedded index to rebuild it (only
-- that process may write the index): one row per request, with the progress and the outcome
-- the command shows.
CREATE TABLE search_reindex_requests (
    id bigserial PRIMARY KEY,
    requested_at timestamptz NOT NULL DEFAULT now(),
    claimed_at timestamptz,
    -- Renewed while the rebuild runs, so that a server that died mid-way is noticed.
    heartbeat_at timestamptz,
    done bigint NOT NULL DEFAULT 0,
    total bigint NOT NULL DEFAULT 0,
    finished_at timestamptz,
    documents bigint,
    seconds double precision,
    error text
);
