#!/usr/bin/env bash
# Start a PgBouncer in transaction mode in front of the test PostgreSQL, unless one
# already answers on its port. Its pool (2 server connections per database) is smaller
# than the tests' clients, so transactions of different clients share connections.
#   scripts/pgbouncer.sh            # PGBOUNCER_PORT (6432) -> 127.0.0.1:5432
# PgBouncer refuses to run as root: under root it runs as the postgres user.
set -euo pipefail
PORT="${PGBOUNCER_PORT:-6432}"
PG_HOST="${PGBOUNCER_UPSTREAM_HOST:-127.0.0.1}"
PG_PORT="${PGBOUNCER_UPSTREAM_PORT:-5432}"
POOL_SIZE="${PGBOUNCER_POOL_SIZE:-2}"
DIR="${TMPDIR:-/tmp}/taskflask-pgbouncer-$PORT"

answers() { psql "postgresql://postgres@127.0.0.1:$PORT/postgres" -qtAc "SELECT 1" >/dev/null 2>&1; }

if answers; then
  echo "pgbouncer: already answering on 127.0.0.1:$PORT"
  exit 0
fi

mkdir -p "$DIR"
cat >"$DIR/pgbouncer.ini" <<EOF
[databases]
* = host=$PG_HOST port=$PG_PORT

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $PORT
unix_socket_dir =
auth_type = trust
auth_file = $DIR/userlist.txt
pool_mode = transaction
default_pool_size = $POOL_SIZE
max_client_conn = 500
; a client that waits this long for a server connection gets an error instead of hanging
query_wait_timeout = 30
; the tests read SHOW POOLS on the admin console (database pgbouncer)
admin_users = postgres
logfile = $DIR/pgbouncer.log
pidfile = $DIR/pgbouncer.pid
EOF
echo '"postgres" ""' >"$DIR/userlist.txt"

if [ "$(id -u)" = 0 ]; then
  chown -R postgres: "$DIR"
  runuser -u postgres -- pgbouncer -d "$DIR/pgbouncer.ini"
else
  pgbouncer -d "$DIR/pgbouncer.ini"
fi

for _ in $(seq 1 50); do
  answers && { echo "pgbouncer: transaction mode, pool $POOL_SIZE, on 127.0.0.1:$PORT"; exit 0; }
  sleep 0.1
done
echo "pgbouncer did not start; see $DIR/pgbouncer.log" >&2
exit 1
