#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the sync integration tests.
#
#   eval "$(tests/pg/pg_server.sh start)"   # prints export IBR_TEST_PG_DSN=... IBR_TEST_PG_DIR=...
#   tests/pg/pg_server.sh pause  DIR        # pg_ctl stop (-m fast), data kept  (fault tests)
#   tests/pg/pg_server.sh resume DIR        # start it again on the same port
#   tests/pg/pg_server.sh stop   DIR        # stop and remove everything
#
# Works as root (initdb refuses root: the cluster runs as the `postgres` user via runuser) and as
# an ordinary user (the cluster runs as that user). Needs the server binaries (Debian package
# postgresql-15: /usr/lib/postgresql/15/bin, or PG_BIN). The owner role it creates has
# CREATEDB and CREATEROLE, so tests make a fresh database each and init-schema can create roles.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

die() { echo "pg_server.sh: $*" >&2; exit 1; }

as_owner() {  # run a server binary as the cluster's OS user
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$(( 20000 + RANDOM % 30000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  die "no free TCP port found"
}

cmd_start() {
  [ -x "$PG_BIN/initdb" ] || die "no PostgreSQL server binaries in $PG_BIN (apt-get install postgresql, or set PG_BIN)"
  local dir port pw
  dir=$(mktemp -d /tmp/ibr-pg.XXXXXX)
  chmod 755 "$dir"
  if [ "$(id -u)" = 0 ]; then
    getent passwd postgres >/dev/null || die "running as root needs the 'postgres' OS user (installed with the postgresql package)"
    chown postgres:postgres "$dir"
  fi
  port=$(free_port)
  pw=$(head -c 18 /dev/urandom | base64 | tr -d '/+=' | head -c 20)
  echo "$port" > "$dir/port"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir/port"
  local super; super=$(if [ "$(id -u)" = 0 ]; then echo postgres; else id -un; fi)
  (cd "$dir" && as_owner "$PG_BIN/initdb" -D "$dir/data" -U "$super" -E UTF8 --locale=C.UTF-8 \
      --auth-local=peer --auth-host=scram-sha-256 --no-sync >"$dir/initdb.log" 2>&1) \
    || { cat "$dir/initdb.log" >&2; die "initdb failed (log above)"; }
  cmd_resume "$dir" >/dev/null
  as_owner "$PG_BIN/psql" -h "$dir" -p "$port" -U "$super" -d postgres -qAt -v ON_ERROR_STOP=1 \
      -c "CREATE ROLE ibr_owner LOGIN CREATEDB CREATEROLE PASSWORD '$pw'" \
      -c "CREATE DATABASE ibr_owner OWNER ibr_owner" >/dev/null \
    || die "could not create the owner role (see $dir/server.log)"
  echo "export IBR_TEST_PG_DSN='host=127.0.0.1 port=$port user=ibr_owner password=$pw dbname=ibr_owner'"
  echo "export IBR_TEST_PG_DIR='$dir'"
}

cmd_resume() {
  local dir=${1:?usage: pg_server.sh resume DIR}; local port
  port=$(cat "$dir/port") || die "$dir is not a pg_server.sh cluster"
  (cd "$dir" && as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200" \
      start >/dev/null) || { tail -n 20 "$dir/server.log" >&2 || true; die "pg_ctl start failed (log above)"; }
  echo "started on port $port"
}

cmd_pause() {
  local dir=${1:?usage: pg_server.sh pause DIR}
  (cd "$dir" && as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null)
  echo "stopped"
}

cmd_stop() {
  local dir=${1:?usage: pg_server.sh stop DIR}
  [ -f "$dir/port" ] || die "$dir is not a pg_server.sh cluster"
  if [ -f "$dir/data/postmaster.pid" ]; then
    (cd "$dir" && as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1) || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) cmd_start ;;
  pause) cmd_pause "${2:-}" ;;
  resume) cmd_resume "${2:-}" ;;
  stop) cmd_stop "${2:-}" ;;
  *) echo "usage: pg_server.sh start | pause DIR | resume DIR | stop DIR" >&2; exit 2 ;;
esac
