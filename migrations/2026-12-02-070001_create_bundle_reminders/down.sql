DELETE FROM jobs WHERE kind = 'bundle_reminder';
ALTER TABLE jobs DROP CONSTRAINT jobs_kind_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_kind_check
    CHECK (kind IN ('mail', 'review_follow_up', 'bundle_interest'));
DROP TABLE bundle_reminders;
