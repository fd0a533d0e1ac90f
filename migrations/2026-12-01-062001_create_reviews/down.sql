DROP VIEW search_offering_documents;
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
DROP TABLE review_aggregates;
DROP FUNCTION search_outbox_review_aggregate_changed();
DROP TABLE review_responses;
DROP TABLE review_helpful_votes;
DROP TABLE reviews;
