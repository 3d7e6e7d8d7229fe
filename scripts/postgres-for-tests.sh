#!/usr/bin/env bash
# Starts a throw-away PostgreSQL cluster for the hub's tests and prints its URL on stdout
# (the last line). Usage: eval "export KONTOR_TEST_POSTGRES_URL=$(scripts/postgres-for-tests.sh)"
# The cluster lives in $KONTOR_PG_DIR (default: a new temp dir) and runs as the `postgres`
# user, because initdb refuses to run as root. Stop it with: pg_ctl -D DIR stop.
set -euo pipefail

bindir="${KONTOR_PG_BIN:-}"
if [ -z "$bindir" ]; then
  for candidate in /usr/lib/postgresql/*/bin; do
    [ -x "$candidate/initdb" ] && bindir="$candidate"
  done
fi
[ -n "$bindir" ] && [ -x "$bindir/initdb" ] || { echo "postgres-for-tests: initdb not found (apt-get install postgresql)" >&2; exit 1; }

dir="${KONTOR_PG_DIR:-$(mktemp -d /tmp/kontor-pg.XXXXXX)}"
mkdir -p "$dir"
# Already running (a second call with the same KONTOR_PG_DIR): print its URL again.
if [ -f "$dir/port" ] && [ -f "$dir/data/postmaster.pid" ] && "$bindir/pg_isready" -q -h 127.0.0.1 -p "$(cat "$dir/port")"; then
  echo "postgres://postgres@127.0.0.1:$(cat "$dir/port")/postgres"
  exit 0
fi
port="${KONTOR_PG_PORT:-$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')}"

as_pg=()
if [ "$(id -u)" = "0" ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown -R postgres "$dir"
  as_pg=(runuser -u postgres --)
fi

if [ ! -f "$dir/data/PG_VERSION" ]; then
  mkdir -p "$dir/data"
  [ "${#as_pg[@]}" -eq 0 ] || chown -R postgres "$dir"
  "${as_pg[@]}" "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
fi
# Tests open a database per file and two hubs per test: room for that, and a socket dir we own.
# synchronous_commit=off: tests kill hubs, never the database server, so they lose nothing by it.
"${as_pg[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200  -c synchronous_commit=off" \
  start >&2 || { cat "$dir/server.log" >&2; exit 1; }
echo "$port" >"$dir/port"
echo "postgres://postgres@127.0.0.1:$port/postgres"
