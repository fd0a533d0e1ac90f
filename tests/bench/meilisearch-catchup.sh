#!/usr/bin/env bash
# Catch-up after Meilisearch was down: `edumarkt up` on Meilisearch, Meilisearch killed, 100
# offerings changed over 10 s while it is down, Meilisearch started again; prints the time from
# its first healthy answer until the outbox is empty (every change confirmed by Meilisearch).
# Kills and restarts the Meilisearch it is given, so point it at a scratch one:
#   MEILI_BIN=… MEILI_DB=… MEILI_KEY=… tests/bench/meilisearch-catchup.sh
# (a release build first: cargo build --release). Figures: README, Figures.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${MEILI_BIN:?the meilisearch binary}" "${MEILI_DB:?its --db-path}" "${MEILI_KEY:?its master key}"
meili() {
    MEILI_NO_ANALYTICS=true "$MEILI_BIN" --http-addr 127.0.0.1:7700 --master-key "$MEILI_KEY" \
        --db-path "$MEILI_DB" --env development --max-indexing-memory 256MiB \
        >>"$work/meilisearch.log" 2>&1 &
}
work=$(mktemp -d)
# The private PostgreSQL runs as the `postgres` account, which must reach its folder.
chmod 755 "$work"
export MEILISEARCH_URL=http://127.0.0.1:7700 MEILISEARCH_API_KEY=$MEILI_KEY
curl -sf "$MEILISEARCH_URL/health" >/dev/null || meili
./target/release/edumarkt up --data-dir "$work/data" --listen 127.0.0.1:8099 >"$work/up.log" 2>&1 &
up=$!
trap 'kill -INT $up 2>/dev/null; wait $up; rm -rf "$work"' EXIT
until curl -sf 127.0.0.1:8099/health/ready >/dev/null; do sleep 0.5; done
db=$(sed 's/\x1b\[[0-9;]*m//g' "$work/up.log" | grep -o 'postgres://[^ ]*' | head -1)
waiting() { psql "$db" -tAc 'SELECT count(*) FROM search_outbox'; }
for round in 1 2 3; do
    pkill -KILL -f -- "$MEILI_BIN"
    for _ in $(seq 1 20); do
        psql "$db" -qc "UPDATE offerings SET title = title || '.' WHERE id IN
            (SELECT id FROM offerings WHERE status = 'published' ORDER BY random() LIMIT 5)"
        sleep 0.5
    done
    rows=$(waiting)
    meili
    until curl -sf "$MEILISEARCH_URL/health" >/dev/null; do sleep 0.01; done
    answered=$(date +%s.%N)
    until [ "$(waiting)" = 0 ]; do sleep 0.02; done
    done_at=$(date +%s.%N)
    printf 'round %s: %s changes waited; caught up %.2f s after Meilisearch answered\n' \
        "$round" "$rows" "$(echo "$done_at - $answered" | bc)"
done
