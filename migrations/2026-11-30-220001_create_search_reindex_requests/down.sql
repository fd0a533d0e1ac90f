DROP TABLE search_reindex_requests;
