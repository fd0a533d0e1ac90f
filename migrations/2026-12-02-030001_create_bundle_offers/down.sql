ALTER TABLE bundles DROP COLUMN awarded_offer_id, DROP COLUMN award_motivation, DROP COLUMN awarded_at;
DROP TABLE bundle_offers;
