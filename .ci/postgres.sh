#!/usr/bin/env bash
# A throw-away PostgreSQL server on loopback for the registry tests.
#   eval "$(.ci/postgres.sh start)"   # prints: export FRMR_TEST_PG_URL=...
#   .ci/postgres.sh stop
# initdb refuses to run as root, so as root the server runs as the `postgres` user.
set -euo pipefail

DIR="${FRMR_PG_DIR:-/tmp/frmr-test-pg}"
DB="frmr_test"

find_bin() {
    local name="$1"
    if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return; fi
    local found
    found=$(ls -d /usr/lib/postgresql/*/bin/"$name" 2>/dev/null | sort -V | tail -n 1 || true)
    [ -n "$found" ] || { echo "postgres.sh: $name not found (apt-get install postgresql)" >&2; exit 1; }
    echo "$found"
}

as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
    local initdb pg_ctl psql port
    initdb=$(find_bin initdb)
    pg_ctl=$(find_bin pg_ctl)
    psql=$(find_bin psql)
    if [ -f "$DIR/env" ] && as_pg "$pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
        cat "$DIR/env"
        return
    fi
    rm -rf "$DIR"
    mkdir -p "$DIR"
    [ "$(id -u)" = 0 ] && chown postgres: "$DIR"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_pg "$initdb" -D "$DIR/data" -U postgres -A trust -E UTF8 --no-locale >"$DIR/initdb.log"
    as_pg "$pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
        -o "-p $port -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" \
        start >/dev/null
    as_pg "$psql" -h 127.0.0.1 -p "$port" -U postgres -q -c "CREATE DATABASE $DB" postgres
    echo "export FRMR_TEST_PG_URL=postgresql+psycopg://postgres@127.0.0.1:$port/$DB" \
        | tee "$DIR/env"
}

stop() {
    local pg_ctl
    pg_ctl=$(find_bin pg_ctl)
    if [ -d "$DIR/data" ]; then
        as_pg "$pg_ctl" -D "$DIR/data" -m fast stop >/dev/null 2>&1 || true
    fi
    rm -rf "$DIR"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
