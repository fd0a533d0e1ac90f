DROP INDEX organizations_board_number_idx;
DROP INDEX organizations_brin_idx;
DROP INDEX organizations_name_trgm_idx;
DROP FUNCTION search_fold(text);
-- The extensions stay: other objects may have come to use them.
