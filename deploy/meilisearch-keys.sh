#!/bin/sh
# Creates edumarkt's two Meilisearch API keys with the master key, or shows them when they
# exist, and prints them as lines for deploy/.env, with the serve key's uid (the serve
# processes' MEILISEARCH_API_KEY_UID). A key's value is derived from its uid and the master key,
# so the same uids give the same values on every run (and after a rotation, new uids give new
# values: RUNBOOK.md, Rotating the Meilisearch keys).
#
# Runs in compose (`docker compose --profile setup run --rm -T meilisearch-keys`) or anywhere with
# curl: MEILISEARCH_URL=http://127.0.0.1:7700 MEILI_MASTER_KEY=... sh deploy/meilisearch-keys.sh
#
# What each key may do follows the calls the program makes (search-sync/src/engine/meilisearch.rs):
# - serve (`edumarkt serve --no-workers`): multi-search (`search`); tenant tokens are signed with
#   this key, so it must hold `search` on the indexes the tokens open, and they name its uid,
#   which the processes are given (MEILISEARCH_API_KEY_UID) rather than look up: looking it up
#   needs `keys.get`, which would let the key read every other key's value. Nothing else: the
#   worker applies the settings and writes the documents.
# - worker (`edumarkt worker`, `edumarkt search reindex|verify|status`): creates indexes and
#   applies their settings (`indexes.create`, `settings.get`, `settings.update`), writes and
#   reads documents (`documents.add`, `documents.delete`, `documents.get`), waits for tasks
#   (`tasks.get`), swaps in a rebuilt index and drops the old one (`indexes.swap`,
#   `indexes.delete`). No `keys.*`: it signs no tenant tokens.
# Both are limited to the indexes under EDUMARKT_SEARCH_INDEX_PREFIX (default `edumarkt_`),
# rebuilds (`edumarkt_offerings_rebuild_…`) included. .ci/lint-deploy checks that the serve
# key's actions stay `search` alone and that no key gets a `keys.*` action.
#
# Meilisearch's default keys are left alone: no edumarkt key can read them, and whoever can
# (the master key) can make any key anyway.
set -eu

: "${MEILI_MASTER_KEY:?set MEILI_MASTER_KEY}"
url=${MEILISEARCH_URL:-http://meilisearch:7700}
prefix=${EDUMARKT_SEARCH_INDEX_PREFIX:-edumarkt_}
serve_uid=${MEILI_SERVE_KEY_UID:-6c0d3d8e-6f6a-4a3e-9a55-0e6b5a2f7c11}
worker_uid=${MEILI_WORKER_KEY_UID:-0b7e5f0c-3c1d-4f53-8f7e-2a9d4c6b8e21}
serve_actions='"search"'
worker_actions='"documents.add","documents.get","documents.delete","indexes.create","indexes.delete","indexes.swap","settings.get","settings.update","tasks.get"'

api() {
    method=$1
    path=$2
    shift 2
    curl -sS --fail-with-body -X "$method" "$url$path" \
        -H "Authorization: Bearer $MEILI_MASTER_KEY" -H 'Content-Type: application/json' "$@"
}

# The actions of a key's JSON (or of a list as written above), one a line, sorted.
actions_of() {
    sed -n 's/.*"actions":\[\([^]]*\)\].*/\1/p' | tr ',' '\n' | sort
}

# Prints the value of the key with this uid, creating the key first when it does not exist.
ensure_key() {
    uid=$1
    name=$2
    actions=$3
    if found=$(api GET "/keys/$uid" 2>/dev/null); then
        # Meilisearch cannot change a key's actions, only a new uid gives a new set: an older
        # setup's serve key also held `keys.get`.
        if [ "$(printf '%s\n' "$found" | actions_of)" != "$(printf '"actions":[%s]\n' "$actions" | actions_of)" ]; then
            echo "the key \"$name\" ($uid) may do other things than [$actions]: rotate it (RUNBOOK.md, Rotating the Meilisearch keys)" >&2
        fi
    else
        found=$(api POST /keys -d "{\"uid\":\"$uid\",\"name\":\"$name\",\"actions\":[$actions],\"indexes\":[\"$prefix*\"],\"expiresAt\":null}")
        echo "created the key \"$name\" ($uid)" >&2
    fi
    printf '%s\n' "$found" | sed -n 's/.*"key":"\([^"]*\)".*/\1/p'
}

until curl -sf "$url/health" >/dev/null; do
    echo "waiting for Meilisearch at $url" >&2
    sleep 1
done

serve_key=$(ensure_key "$serve_uid" "edumarkt serve" "$serve_actions")
worker_key=$(ensure_key "$worker_uid" "edumarkt worker" "$worker_actions")

if [ -z "$serve_key" ] || [ -z "$worker_key" ]; then
    echo "could not read the keys' values from Meilisearch" >&2
    exit 1
fi
echo "# Meilisearch keys for deploy/.env (serve: search only; workers: documents and settings)"
echo "MEILI_SERVE_KEY=$serve_key"
echo "MEILI_SERVE_KEY_UID=$serve_uid"
echo "MEILI_WORKER_KEY=$worker_key"
