#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the tests, on 127.0.0.1 only, and print its
# DATABASE_URL. Installs Debian's postgresql when missing (as root). Used by .ci/run.
set -euo pipefail
PORT="${PGPORT_TEST:-55432}"
DATA="${PGDATA_TEST:-/tmp/worker_app-pg}"

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
# PostgreSQL refuses to run as root: run it as the postgres user.
RUN=(runuser -u postgres --)
[ "$(id -u)" = 0 ] || RUN=()

if [ -f "$DATA/postmaster.pid" ]; then
  "${RUN[@]}" "$BIN/pg_ctl" -D "$DATA" -m fast stop >&2 || true
fi
rm -rf "$DATA"
mkdir -p "$DATA"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$DATA"
"${RUN[@]}" "$BIN/initdb" -D "$DATA" -U worker_app --auth=trust -E UTF8 >/dev/null
"${RUN[@]}" "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DATA -c fsync=off" start >&2
"${RUN[@]}" "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U worker_app worker_app_test
echo "postgresql://worker_app@127.0.0.1:$PORT/worker_app_test"
