#!/usr/bin/env bash
# Start a throwaway Redis server for the tests, on 127.0.0.1 only, and print its URL (for
# REDIS_URL / RATELIMIT_STORAGE_URI). Installs Debian's redis-server when missing (as root).
# Used by .ci/run; stop it with: kill "$(cat "$REDIS_DIR_TEST/redis.pid")".
set -euo pipefail
PORT="${REDIS_PORT_TEST:-56379}"
DIR="${REDIS_DIR_TEST:-/tmp/worker_app-redis}"

if ! command -v redis-server >/dev/null; then
  if [ "$(id -u)" != 0 ]; then
    echo "redis-server is missing: install Debian's redis-server package (as root)" >&2
    exit 1
  fi
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >&2
fi

OLD=$(cat "$DIR/redis.pid" 2>/dev/null || true)
if [ -n "$OLD" ] && kill -0 "$OLD" 2>/dev/null; then
  kill "$OLD"
  for _ in $(seq 50); do kill -0 "$OLD" 2>/dev/null || break; sleep 0.1; done
fi
rm -rf "$DIR"
mkdir -p "$DIR"
# Rate-limit counters only: nothing to keep, so no snapshots and no append-only file.
redis-server --bind 127.0.0.1 --port "$PORT" --dir "$DIR" --daemonize yes \
  --pidfile "$DIR/redis.pid" --logfile "$DIR/redis.log" --save "" --appendonly no \
  --protected-mode yes >&2
for _ in $(seq 50); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    echo "redis://127.0.0.1:$PORT/0"
    exit 0
  fi
  sleep 0.1
done
echo "redis-server did not start: see $DIR/redis.log" >&2
exit 1
