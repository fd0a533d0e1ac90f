-- What /metrics reads on every scrape, from any process: per search index kind the oldest
-- change not yet in the index and the rows waiting and failing (counted up to a cap), per job
-- kind the oldest due job, the jobs due and failing and the most attempts of a failing one.
-- Each figure is one probe (or one bounded range) of an index led by the kind, however long a
-- queue grows: the indexes so far were not keyed by kind, so a kind with nothing waiting
-- behind another's backlog meant scanning that backlog.
CREATE INDEX search_outbox_kind_created_idx ON search_outbox (kind, created_at);
-- Failing rows are normally none: a partial index as small as what it counts.
CREATE INDEX search_outbox_kind_failing_idx ON search_outbox (kind) WHERE attempts > 0;
CREATE INDEX jobs_kind_run_at_idx ON jobs (kind, run_at);
-- With the attempts in the key, the most attempts per kind is the index's last entry.
DROP INDEX jobs_failing_idx;
CREATE INDEX jobs_failing_idx ON jobs (kind, attempts) WHERE attempts > 0;
