-- Shortlists: offerings a user collects to compare, shared with one of their organisations.
CREATE TABLE shortlists (
    id              uuid PRIMARY KEY,
    owner_id        uuid REFERENCES users (id) ON DELETE SET NULL,
    organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name            text NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    version         integer NOT NULL DEFAULT 1
);
CREATE INDEX shortlists_organization_id_idx ON shortlists (organization_id);

CREATE TABLE shortlist_items (
    shortlist_id uuid NOT NULL REFERENCES shortlists (id) ON DELETE CASCADE,
    offering_id  uuid NOT NULL REFERENCES offerings (id) ON DELETE CASCADE,
    position     integer NOT NULL,
    note         text,
    PRIMARY KEY (shortlist_id, offering_id)
);
