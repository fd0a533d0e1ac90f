DROP INDEX search_outbox_claimed_idx;
