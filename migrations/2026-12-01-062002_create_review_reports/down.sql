ALTER TABLE reviews DROP COLUMN hidden_reason;
DROP TABLE review_decisions;
DROP TABLE review_reports;
