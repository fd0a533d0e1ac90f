-- Sealed offers on demand bundles. A provider has at most one live offer per bundle (it
-- changes or withdraws that one); nobody but the provider reads it before the offer deadline,
-- which the use cases enforce. `idempotency_key` is the submitter's `Idempotency-Key`: a
-- repeat of the same request finds the first offer through the unique index instead of
-- creating a second one (NULL keys never collide).
CREATE TABLE bundle_offers (
    id                 uuid PRIMARY KEY,
    bundle_id          uuid NOT NULL REFERENCES bundles (id) ON DELETE CASCADE,
    provider_id        uuid NOT NULL REFERENCES organizations (id),
    offering_id        uuid REFERENCES offerings (id),
    price_cents        bigint NOT NULL CHECK (price_cents >= 0),
    proposal           text NOT NULL,
    -- {"fit": "…", "lasting_effect": "…"}: the provider's answer per quality criterion.
    criteria_answers   jsonb NOT NULL DEFAULT '{}',
    submitted_by       uuid REFERENCES users (id) ON DELETE SET NULL,
    idempotency_key    text,
    -- SHA-256 of the request a key was first used with: the same key with another request
    -- is refused rather than answered with an unrelated offer.
    request_hash       text,
    -- Set when the owner changed the bundle's conditions after this offer came in; cleared
    -- when the provider confirms or changes it.
    needs_confirmation boolean NOT NULL DEFAULT false,
    withdrawn_at       timestamptz,
    -- The owner's scores of the quality criteria, 0-10: {"fit": 7.5}.
    scores             jsonb NOT NULL DEFAULT '{}',
    scored_at          timestamptz,
    version            integer NOT NULL DEFAULT 1,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    UNIQUE (submitted_by, idempotency_key)
);
CREATE UNIQUE INDEX bundle_offers_one_live_per_provider
    ON bundle_offers (bundle_id, provider_id) WHERE withdrawn_at IS NULL;
CREATE INDEX bundle_offers_provider_idx ON bundle_offers (provider_id);

-- The award: which offer, why, when. A winner that withdraws after the award clears it (the
-- bundle goes back to evaluating) and the owner awards the next in rank.
ALTER TABLE bundles
    ADD COLUMN awarded_offer_id uuid REFERENCES bundle_offers (id),
    ADD COLUMN award_motivation text,
    ADD COLUMN awarded_at       timestamptz;
