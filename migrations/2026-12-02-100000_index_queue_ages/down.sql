DROP INDEX jobs_failing_idx;
CREATE INDEX jobs_failing_idx ON jobs (kind) WHERE attempts > 0;
DROP INDEX jobs_kind_run_at_idx;
DROP INDEX search_outbox_kind_failing_idx;
DROP INDEX search_outbox_kind_created_idx;
