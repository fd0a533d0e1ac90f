DROP INDEX shortlist_items_offering_id_idx;
DROP INDEX offerings_published_idx;
CREATE INDEX offerings_status_idx ON offerings (status);
ALTER TABLE search_rebuilds DROP COLUMN owner;
ALTER TABLE search_rebuilds DROP COLUMN kind;
CREATE OR REPLACE FUNCTION search_outbox_offering_changed() RETURNS trigger AS $$
BEGIN
    INSERT INTO search_outbox (document_id) VALUES (COALESCE(NEW.id, OLD.id));
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
CREATE OR REPLACE FUNCTION search_outbox_provider_changed() RETURNS trigger AS $$
BEGIN
    INSERT INTO search_outbox (document_id) SELECT id FROM offerings WHERE provider_id = NEW.id;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
DROP INDEX search_outbox_failing_idx;
CREATE INDEX search_outbox_document_idx ON search_outbox (document_id);
ALTER TABLE search_outbox DROP COLUMN claimed_by;
ALTER TABLE search_outbox DROP COLUMN kind;
