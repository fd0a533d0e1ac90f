-- Looking organisations up by name (GET /v1/organizations?q=) ignoring case and accents, and
-- by BRIN or bevoegd-gezagnummer whatever the kind. Both extensions ship with PostgreSQL
-- (contrib, in Debian's server package) and are trusted: a database owner may create them.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;

-- unaccent() is only STABLE (its dictionary could change), so an index cannot use it directly;
-- naming the dictionary makes the result depend on the argument alone.
CREATE FUNCTION search_fold(text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;

-- A trigram index serves LIKE '%part%' on the folded name.
CREATE INDEX organizations_name_trgm_idx ON organizations USING gin (search_fold(name) gin_trgm_ops);
-- The existing unique indexes on these are partial (one kind each); a lookup without a kind
-- filter, or for a board's schools by its number, needs plain ones.
CREATE INDEX organizations_brin_idx ON organizations (brin);
CREATE INDEX organizations_board_number_idx ON organizations (board_number);
