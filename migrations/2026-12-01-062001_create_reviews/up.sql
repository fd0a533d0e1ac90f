-- Reviews: teachers' experiences of an offering they used. One per author per offering; the
-- author edits it (versioned for If-Match) and deletes it. When the author erases their account
-- the review stays, anonymised: `author_id` becomes NULL and the name is never shown again.
CREATE TABLE reviews (
    id                         uuid PRIMARY KEY,
    offering_id                uuid NOT NULL REFERENCES offerings (id) ON DELETE CASCADE,
    author_id                  uuid REFERENCES users (id) ON DELETE SET NULL,
    -- The school or board the author belongs to and reviewed from: whose leaders confirm the
    -- usage, and whose province the public sees ("docent vo, Utrecht").
    organization_id            uuid NOT NULL REFERENCES organizations (id),
    rating_overall             smallint NOT NULL CHECK (rating_overall BETWEEN 1 AND 5),
    rating_fit_with_practice   smallint CHECK (rating_fit_with_practice BETWEEN 1 AND 5),
    rating_expertise           smallint CHECK (rating_expertise BETWEEN 1 AND 5),
    rating_lasting_effect      smallint CHECK (rating_lasting_effect BETWEEN 1 AND 5),
    rating_value_for_money     smallint CHECK (rating_value_for_money BETWEEN 1 AND 5),
    rating_teacher_involvement smallint CHECK (rating_teacher_involvement BETWEEN 1 AND 5),
    sector                     text NOT NULL CHECK (sector IN ('po', 'so', 'vo', 'mbo')),
    role                       text NOT NULL CHECK (role IN ('teacher', 'school_leader', 'board_officer')),
    school_size                text CHECK (school_size IN ('tot_200', '200_500', '500_1000', 'vanaf_1000')),
    period_start               date,
    period_end                 date CHECK (period_end >= period_start),
    scale                      text CHECK (scale IN ('own_class', 'team', 'school')),
    phase                      text CHECK (phase IN ('started', 'implemented', 'embedded')),
    still_in_use               boolean,
    pros                       text,
    pitfalls                   text,
    advice                     text,
    -- NULL: the author declared no tie to the provider (no reward); otherwise the declaration.
    provider_tie               text,
    reward                     text,
    show_name                  boolean NOT NULL DEFAULT false,
    verified_at                timestamptz,
    verified_by                uuid REFERENCES users (id) ON DELETE SET NULL,
    -- Kept in step with review_helpful_votes in the transaction of each vote.
    helpful_count              integer NOT NULL DEFAULT 0 CHECK (helpful_count >= 0),
    -- Set by moderators (a later step): a hidden review leaves lists and aggregates.
    hidden_at                  timestamptz,
    created_at                 timestamptz NOT NULL,
    edited_at                  timestamptz,
    version                    integer NOT NULL DEFAULT 1,
    UNIQUE (offering_id, author_id)
);
-- An offering's reviews in each order the list offers (newest and verified first use id).
CREATE INDEX reviews_offering_helpful_idx ON reviews (offering_id, helpful_count DESC, id DESC);
CREATE INDEX reviews_offering_rating_idx ON reviews (offering_id, rating_overall, id DESC);
-- The daily limit counts an author's recent reviews; the export lists them.
CREATE INDEX reviews_author_idx ON reviews (author_id, created_at);

CREATE TABLE review_helpful_votes (
    review_id  uuid NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
    user_id    uuid NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL,
    PRIMARY KEY (review_id, user_id)
);

-- The provider's one public reply to a review; editable (version for If-Match).
CREATE TABLE review_responses (
    review_id   uuid PRIMARY KEY REFERENCES reviews (id) ON DELETE CASCADE,
    provider_id uuid NOT NULL REFERENCES organizations (id),
    author_id   uuid REFERENCES users (id) ON DELETE SET NULL,
    body        text NOT NULL,
    created_at  timestamptz NOT NULL,
    edited_at   timestamptz,
    version     integer NOT NULL DEFAULT 1
);

-- Per offering, recomputed from its visible reviews in the transaction of every change to
-- them, under a lock on this row (so concurrent writers take turns and the last one counts
-- everything committed). `dimensions` holds, per dimension, the count, the average and the
-- counts of 1 to 5 stars: {"overall": {"count", "average", "distribution": [n1, ..., n5]}, ...}.
-- `rating_score` is the Bayesian (IMDb weighted) rating that sorting by rating uses; its
-- settings are the server's.
CREATE TABLE review_aggregates (
    offering_id                uuid PRIMARY KEY REFERENCES offerings (id) ON DELETE CASCADE,
    review_count               bigint NOT NULL DEFAULT 0,
    verified_review_count      bigint NOT NULL DEFAULT 0,
    rating_avg                 double precision,
    rating_fit_with_practice   double precision,
    rating_expertise           double precision,
    rating_lasting_effect      double precision,
    rating_value_for_money     double precision,
    rating_teacher_involvement double precision,
    rating_score               double precision,
    dimensions                 jsonb NOT NULL DEFAULT '{}'
);

-- The offering's search document carries the aggregates: a change writes its outbox row in
-- the same transaction.
CREATE FUNCTION search_outbox_review_aggregate_changed() RETURNS trigger AS $$
BEGIN
    INSERT INTO search_outbox (kind, document_id) VALUES ('offerings', NEW.offering_id);
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER review_aggregates_search_outbox_insert
    AFTER INSERT ON review_aggregates
    FOR EACH ROW EXECUTE FUNCTION search_outbox_review_aggregate_changed();

CREATE TRIGGER review_aggregates_search_outbox_update
    AFTER UPDATE ON review_aggregates
    FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)
    EXECUTE FUNCTION search_outbox_review_aggregate_changed();

-- The projection now reads the real aggregates (and adds the Bayesian score, last, as a view
-- may only gain columns at its end).
CREATE OR REPLACE VIEW search_offering_documents AS
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
       COALESCE(a.review_count, 0)::bigint AS review_count,
       COALESCE(a.verified_review_count, 0)::bigint AS verified_review_count,
       a.rating_avg,
       a.rating_fit_with_practice,
       a.rating_expertise,
       a.rating_lasting_effect,
       a.rating_value_for_money,
       a.rating_teacher_involvement,
       a.rating_score
FROM offerings o
JOIN organizations p ON p.id = o.provider_id
LEFT JOIN review_aggregates a ON a.offering_id = o.id
WHERE o.status = 'published';
