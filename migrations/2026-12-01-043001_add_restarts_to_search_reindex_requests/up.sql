-- How many times a requested reindex started over because the search engine died midway, for
-- the report the command prints.
ALTER TABLE search_reindex_requests ADD COLUMN restarts bigint NOT NULL DEFAULT 0;
