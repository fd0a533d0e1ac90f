-- Demand bundles (vraagbundeling): a network coordinator or board officer drafts one for their
-- organisation; schools and boards join it with quantity, budget and wishes until the joining
-- deadline; providers offer until the offer deadline (offers come in a later migration). The
-- totals are recomputed from the participants in the transaction of each join, under a lock
-- on the bundle's row, so they are exact under concurrent joins.
CREATE TABLE bundles (
    id                     uuid PRIMARY KEY,
    owner_organization_id  uuid NOT NULL REFERENCES organizations (id),
    created_by             uuid REFERENCES users (id) ON DELETE SET NULL,
    title                  text NOT NULL,
    need_problem           text NOT NULL,
    need_goals             text NOT NULL,
    need_intended_result   text NOT NULL,
    need_success_measure   text NOT NULL,
    domain                 text NOT NULL,
    service_type           text NOT NULL,
    sectors                text[] NOT NULL,
    regions                text[] NOT NULL,
    unit                   text NOT NULL CHECK (unit IN ('deelnemer', 'leerling', 'licentie', 'uur', 'school')),
    -- [{"code": "price", "weight": 40}, ...]; the weights sum to 100 (checked by the rules).
    criteria               jsonb NOT NULL,
    price_method           text NOT NULL CHECK (price_method IN ('relative', 'budget')),
    join_deadline          timestamptz NOT NULL,
    offer_deadline         timestamptz NOT NULL CHECK (offer_deadline > join_deadline),
    visibility             text NOT NULL CHECK (visibility IN ('network', 'public')),
    status                 text NOT NULL DEFAULT 'draft'
                           CHECK (status IN ('draft', 'open', 'tendering', 'evaluating', 'awarded', 'cancelled')),
    total_quantity         bigint NOT NULL DEFAULT 0,
    total_organizations    integer NOT NULL DEFAULT 0,
    total_budget_cents     bigint NOT NULL DEFAULT 0,
    version                integer NOT NULL DEFAULT 1,
    created_at             timestamptz NOT NULL,
    updated_at             timestamptz NOT NULL
);
CREATE INDEX bundles_owner_idx ON bundles (owner_organization_id);

CREATE TABLE bundle_participants (
    bundle_id       uuid NOT NULL REFERENCES bundles (id) ON DELETE CASCADE,
    organization_id uuid NOT NULL REFERENCES organizations (id),
    quantity        bigint NOT NULL CHECK (quantity > 0),
    budget_cents    bigint NOT NULL CHECK (budget_cents >= 0),
    wishes          text,
    joined_by       uuid REFERENCES users (id) ON DELETE SET NULL,
    joined_at       timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (bundle_id, organization_id)
);
CREATE INDEX bundle_participants_organization_idx ON bundle_participants (organization_id);

-- Every transition, with who made it and when (the bundle's history).
CREATE TABLE bundle_events (
    id          bigserial PRIMARY KEY,
    bundle_id   uuid NOT NULL REFERENCES bundles (id) ON DELETE CASCADE,
    actor_id    uuid REFERENCES users (id) ON DELETE SET NULL,
    action      text NOT NULL,
    from_status text NOT NULL,
    to_status   text NOT NULL,
    at          timestamptz NOT NULL
);
CREATE INDEX bundle_events_bundle_idx ON bundle_events (bundle_id, id);
