-- An index being rebuilt by `edumarkt search reindex`. While a row is here the outbox workers
-- write every change to that index as well as to the live one, so changes made during the
-- rebuild are not lost when it is swapped in.
CREATE TABLE search_rebuilds (
    index_name text PRIMARY KEY,
    started_at timestamptz NOT NULL DEFAULT now()
);
