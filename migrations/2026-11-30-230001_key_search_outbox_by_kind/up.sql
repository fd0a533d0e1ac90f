-- Search indexes of any kind: an outbox row names the kind of its document (`offerings`, the
-- only kind so far), so one worker and one queue serve every index.
ALTER TABLE search_outbox ADD COLUMN kind text NOT NULL DEFAULT 'offerings';
-- Every writer names its kind from now on (the triggers below, verify's repairs).
ALTER TABLE search_outbox ALTER COLUMN kind DROP DEFAULT;

-- A claim: the owner token of the worker sending the row to the engine. It counts only while
-- that worker's connection holds the session advisory lock (search_sync owner class, token),
-- so a worker that dies mid-batch leaves rows the next one takes at once; the batch holds no
-- row lock (nor any transaction) while it waits on the engine.
ALTER TABLE search_outbox ADD COLUMN claimed_by integer;

-- No query looked rows up by document alone; the failing rows are (status, metrics).
DROP INDEX search_outbox_document_idx;
CREATE INDEX search_outbox_failing_idx ON search_outbox (attempts DESC, id) WHERE attempts > 0;

CREATE OR REPLACE FUNCTION search_outbox_offering_changed() RETURNS trigger AS $$
BEGIN
    INSERT INTO search_outbox (kind, document_id) VALUES ('offerings', COALESCE(NEW.id, OLD.id));
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION search_outbox_provider_changed() RETURNS trigger AS $$
BEGIN
    INSERT INTO search_outbox (kind, document_id)
    SELECT 'offerings', id FROM offerings WHERE provider_id = NEW.id;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

-- A rebuild's registration counts only while the reindex that made it holds the session
-- advisory lock on its owner token: a reindex killed midway (its connection closes) leaves a
-- row that batches ignore and clean up, never an index they keep writing to.
ALTER TABLE search_rebuilds ADD COLUMN kind text NOT NULL DEFAULT 'offerings';
ALTER TABLE search_rebuilds ALTER COLUMN kind DROP DEFAULT;
ALTER TABLE search_rebuilds ADD COLUMN owner integer NOT NULL DEFAULT 0;
ALTER TABLE search_rebuilds ALTER COLUMN owner DROP DEFAULT;

-- The projection (search_offering_documents) reads published offerings in id order (reindex,
-- verify, counts); a status index on three values served nothing else.
DROP INDEX offerings_status_idx;
CREATE INDEX offerings_published_idx ON offerings (id) WHERE status = 'published';

-- Deleting or archiving an offering looks up the shortlists holding it (the foreign key).
CREATE INDEX shortlist_items_offering_id_idx ON shortlist_items (offering_id);
