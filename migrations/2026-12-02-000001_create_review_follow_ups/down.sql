DELETE FROM jobs WHERE kind = 'review_follow_up';
ALTER TABLE jobs DROP CONSTRAINT jobs_kind_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_kind_check CHECK (kind IN ('mail'));
DROP TABLE review_follow_ups;
