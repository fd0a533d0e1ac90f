-- Fixed-window counters shared by every `serve` process on this database: failed logins per
-- account and per client address, and requests per client address on the public and
-- authentication routes. A row's window starts at its first hit; the upsert that counts a hit
-- also starts a new window once the old one has passed, so no process needs a timer.
-- UNLOGGED: a public read counts itself here, and a logged table would make every search wait
-- for a WAL flush. A crash empties the table (counts start over, which errs towards letting
-- people in) and standbys do not have it; nothing else is lost.
CREATE UNLOGGED TABLE rate_counters (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    window_start TIMESTAMPTZ NOT NULL,
    hits INTEGER NOT NULL,
    PRIMARY KEY (scope, key)
);

-- Pruning takes a scope's passed windows, a few at a time.
CREATE INDEX rate_counters_scope_window_start_idx ON rate_counters (scope, window_start);
