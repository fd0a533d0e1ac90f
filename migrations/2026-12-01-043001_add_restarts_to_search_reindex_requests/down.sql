ALTER TABLE search_reindex_requests DROP COLUMN restarts;
