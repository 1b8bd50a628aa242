#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on loopback for mllifecycle.store's tests
# and benchmarks; print its SQLAlchemy URL on stdout (everything else on stderr).
#
#   export MLLIFECYCLE_TEST_PG_URL="$(bash .ci/start-postgres.sh)"
#
# Idempotent: a server already answering on the port is reused. Installs
# Debian's postgresql package when no server binaries are found (needs root).
# Runs the server as user postgres when started as root (initdb refuses root).
# Settings (environment): MLLIFECYCLE_PG_PORT (54329), MLLIFECYCLE_PG_DIR
# (/tmp/mllifecycle-pg: data directory, log and socket live there).
set -euo pipefail

port="${MLLIFECYCLE_PG_PORT:-54329}"
dir="${MLLIFECYCLE_PG_DIR:-/tmp/mllifecycle-pg}"
url="postgresql+psycopg://postgres@127.0.0.1:${port}/postgres"

log() { echo "start-postgres: $*" >&2; }

find_bin() {
    local found
    found="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    if [ -n "$found" ] && [ -x "$found/initdb" ]; then
        echo "$found"
    fi
}

bin="$(find_bin)"
if [ -z "$bin" ]; then
    if [ "$(id -u)" != 0 ]; then
        log "PostgreSQL server binaries not found and not root: cannot install"
        exit 1
    fi
    log "installing Debian's postgresql package"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
    bin="$(find_bin)"
    if [ -z "$bin" ]; then
        log "postgresql installed but initdb not found under /usr/lib/postgresql"
        exit 1
    fi
fi

if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; then
    log "server already running on 127.0.0.1:${port}"
    echo "$url"
    exit 0
fi

as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

mkdir -p "$dir"
if [ "$(id -u)" = 0 ]; then
    chown postgres:postgres "$dir"
fi
chmod 700 "$dir"

if [ ! -f "$dir/data/PG_VERSION" ]; then
    log "initdb in $dir/data"
    as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-instructions >&2
fi

start() {
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200" start >&2
}
log "starting server on 127.0.0.1:${port}"
if ! start; then
    # a server of an earlier session was killed: its lock file may name a live pid now
    log "start failed; removing a stale postmaster.pid and retrying once"
    rm -f "$dir/data/postmaster.pid"
    start || true
fi

for _ in $(seq 1 60); do
    if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; then
        echo "$url"
        exit 0
    fi
    sleep 0.5
done
log "server did not become ready; log follows"
cat "$dir/server.log" >&2 || true
exit 1
