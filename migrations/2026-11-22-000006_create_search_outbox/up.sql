-- The search outbox: one row per change to a search document, written by triggers in the
-- transaction of the change itself, so no code path can forget it. The search-sync worker
-- claims rows, re-reads the documents' projection and updates the index.
CREATE TABLE search_outbox (
    id              bigserial PRIMARY KEY,
    document_id     uuid NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    attempts        integer NOT NULL DEFAULT 0,
    -- New rows are due at once, whatever the worker's clock says; failures move this forward.
    next_attempt_at timestamptz NOT NULL DEFAULT '1970-01-01 00:00:00+00',
    last_error      text
);
CREATE INDEX search_outbox_next_attempt_idx ON search_outbox (next_attempt_at, id);
CREATE INDEX search_outbox_document_idx ON search_outbox (document_id);

CREATE FUNCTION search_outbox_offering_changed() RETURNS trigger AS $$
BEGIN
    INSERT INTO search_outbox (document_id) VALUES (COALESCE(NEW.id, OLD.id));
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER offerings_search_outbox
    AFTER INSERT OR UPDATE OR DELETE ON offerings
    FOR EACH ROW EXECUTE FUNCTION search_outbox_offering_changed();

-- A provider's name and kind are in each of its offerings' documents.
CREATE FUNCTION search_outbox_provider_changed() RETURNS trigger AS $$
BEGIN
    INSERT INTO search_outbox (document_id) SELECT id FROM offerings WHERE provider_id = NEW.id;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER organizations_search_outbox
    AFTER UPDATE OF name, provider_kind ON organizations
    FOR EACH ROW
    WHEN (NEW.kind = 'provider' AND (OLD.name IS DISTINCT FROM NEW.name OR OLD.provider_kind IS DISTINCT FROM NEW.provider_kind))
    EXECUTE FUNCTION search_outbox_provider_changed();

-- Wakes the workers (LISTEN search_outbox) once per statement; they poll as well.
CREATE FUNCTION search_outbox_notify() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('search_outbox', '');
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER search_outbox_notify
    AFTER INSERT ON search_outbox
    FOR EACH STATEMENT EXECUTE FUNCTION search_outbox_notify();

-- The projection of search documents: published offerings with their provider. Review
-- aggregates join here once reviews exist. Owned by search-sync.
CREATE VIEW search_offering_documents AS
SELECT o.id,
       o.title,
       o.summary,
       o.description,
       o.provider_id,
       p.name AS provider_name,
       COALESCE(p.provider_kind, '') AS provider_kind,
       o.domain,
       o.service_type,
       o.sectors,
       o.regions,
       o.formats,
       o.delivery,
       o.duration,
       o.price_model,
       o.price_min_cents,
       o.price_max_cents,
       o.evidence_level,
       o.co_creation_phases,
       o.themes,
       COALESCE(o.published_at, o.updated_at) AS published_at,
       0::bigint AS review_count,
       0::bigint AS verified_review_count,
       NULL::double precision AS rating_avg,
       NULL::double precision AS rating_fit_with_practice,
       NULL::double precision AS rating_expertise,
       NULL::double precision AS rating_lasting_effect,
       NULL::double precision AS rating_value_for_money,
       NULL::double precision AS rating_teacher_involvement
FROM offerings o
JOIN organizations p ON p.id = o.provider_id
WHERE o.status = 'published';
