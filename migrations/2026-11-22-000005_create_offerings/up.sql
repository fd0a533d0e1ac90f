CREATE TABLE offerings (
    id                 uuid PRIMARY KEY,
    provider_id        uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    status             text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'archived')),
    title              text NOT NULL,
    summary            text NOT NULL,
    description        text NOT NULL,
    domain             text NOT NULL,
    service_type       text NOT NULL,
    sectors            text[] NOT NULL,
    regions            text[] NOT NULL,
    formats            text[] NOT NULL,
    delivery           text[] NOT NULL,
    duration           text NOT NULL,
    price_model        text NOT NULL,
    price_min_cents    bigint,
    price_max_cents    bigint,
    evidence_level     text NOT NULL DEFAULT 'geen',
    evidence_sources   text[] NOT NULL DEFAULT '{}',
    co_creation_phases text[] NOT NULL DEFAULT '{}',
    themes             text[] NOT NULL DEFAULT '{}',
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    published_at       timestamptz,
    archived_at        timestamptz,
    -- Bumped on every change; the ETag.
    version            integer NOT NULL DEFAULT 1,
    CHECK (price_min_cents IS NULL OR price_min_cents >= 0),
    CHECK (price_min_cents IS NULL OR price_max_cents IS NULL OR price_min_cents <= price_max_cents)
);
CREATE INDEX offerings_provider_id_idx ON offerings (provider_id, id);
CREATE INDEX offerings_status_idx ON offerings (status);

-- Who changed what and when: one row per change, with the fields before and after.
CREATE TABLE offering_revisions (
    offering_id uuid NOT NULL REFERENCES offerings (id) ON DELETE CASCADE,
    version     integer NOT NULL,
    changed_by  uuid REFERENCES users (id) ON DELETE SET NULL,
    changed_at  timestamptz NOT NULL,
    action      text NOT NULL,
    -- {"field": {"from": …, "to": …}, …}
    changes     jsonb NOT NULL,
    PRIMARY KEY (offering_id, version)
);
