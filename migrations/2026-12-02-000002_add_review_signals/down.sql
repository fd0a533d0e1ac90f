DROP INDEX review_reports_signal_idx;
ALTER TABLE review_reports DROP CONSTRAINT review_reports_signal_or_reporter;
ALTER TABLE review_reports DROP COLUMN signal;
DROP INDEX reviews_offering_created_idx;
DROP TABLE review_origins;
