-- Open demand bundles are documents of a second search index kind (`bundles`), fed by the same
-- outbox as offerings. The view is the projection: only bundles stored as open or tendering are
-- searchable (drafts never; evaluating, awarded and cancelled leave the index). The deadlines
-- move a bundle on without any write, so searches filter on the offer deadline at query time.
CREATE VIEW search_bundle_documents AS
SELECT b.id, b.title, b.need_problem, b.need_goals, b.need_intended_result,
       b.need_success_measure, b.domain, b.service_type, b.sectors, b.regions, b.unit,
       b.visibility, b.owner_organization_id, o.name AS owner_name, b.join_deadline,
       b.offer_deadline, b.status, b.total_quantity, b.total_organizations, b.total_budget_cents
  FROM bundles b
  JOIN organizations o ON o.id = b.owner_organization_id
 WHERE b.status IN ('open', 'tendering');

-- Every change of a bundle (create, change, open, cancel, award, the recount of a join) queues
-- its document in the change's own transaction, whoever writes it.
CREATE FUNCTION search_outbox_bundle_changed() RETURNS trigger AS $$
BEGIN
    INSERT INTO search_outbox (kind, document_id) VALUES ('bundles', COALESCE(NEW.id, OLD.id));
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER bundles_search_outbox
    AFTER INSERT OR UPDATE OR DELETE ON bundles
    FOR EACH ROW EXECUTE FUNCTION search_outbox_bundle_changed();

-- The owner's name is in its bundles' documents.
CREATE FUNCTION search_outbox_bundle_owner_changed() RETURNS trigger AS $$
BEGIN
    INSERT INTO search_outbox (kind, document_id)
    SELECT 'bundles', id FROM bundles WHERE owner_organization_id = NEW.id;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER organizations_bundle_search_outbox
    AFTER UPDATE OF name ON organizations
    FOR EACH ROW
    WHEN (NEW.kind IN ('network', 'school_board') AND OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION search_outbox_bundle_owner_changed();

-- Bundles written before this migration reach the index through the worker.
INSERT INTO search_outbox (kind, document_id) SELECT 'bundles', id FROM bundles;

-- A rebuild request names the index kind it rebuilds.
ALTER TABLE search_reindex_requests ADD COLUMN kind text NOT NULL DEFAULT 'offerings';

-- What a provider wants to hear of: a bundle that opens and matches (domain, service types,
-- sectors, regions, keywords; an empty list matches anything) is mailed to the staff member who
-- saved the profile.
CREATE TABLE interest_profiles (
    id            uuid PRIMARY KEY,
    provider_id   uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name          text NOT NULL,
    domain        text,
    service_types text[] NOT NULL,
    sectors       text[] NOT NULL,
    regions       text[] NOT NULL,
    keywords      text[] NOT NULL,
    created_at    timestamptz NOT NULL
);
CREATE INDEX interest_profiles_provider_idx ON interest_profiles (provider_id, created_at);

-- One mail per provider user per bundle, however often the job that sends them runs.
CREATE TABLE bundle_interest_mails (
    bundle_id uuid NOT NULL REFERENCES bundles (id) ON DELETE CASCADE,
    user_id   uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    sent_at   timestamptz NOT NULL,
    PRIMARY KEY (bundle_id, user_id)
);

ALTER TABLE jobs DROP CONSTRAINT jobs_kind_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_kind_check
    CHECK (kind IN ('mail', 'review_follow_up', 'bundle_interest'));
