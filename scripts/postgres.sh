#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on 127.0.0.1 for the tests (Debian's `postgresql`
# package, installed by scripts/setup.sh --e2e):
#
#   scripts/postgres.sh start DIR PORT   initdb into DIR (if empty), start, print the URL
#   scripts/postgres.sh stop DIR         stop it (fast shutdown)
#
# The URL printed is postgres://fleetdesk@127.0.0.1:PORT/postgres (trust authentication on
# loopback only; the user owns the cluster and may create databases). PostgreSQL refuses to
# run as root, so as root the cluster belongs to the `postgres` user.
set -euo pipefail

command="${1:?start or stop}"
dir="${2:?the directory of the cluster}"

bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [ ! -x "$bin/initdb" ]; then
  echo "PostgreSQL is missing: run scripts/setup.sh --e2e (Debian's postgresql)" >&2
  exit 1
fi

# Runs a PostgreSQL program as the cluster's owner.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "$command" in
  start)
    port="${3:?the port}"
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then
      # The owner must reach DIR: its parent (often a private temp dir) gets a+x.
      chown postgres: "$dir"
      chmod a+x "$(dirname "$dir")"
    fi
    if [ ! -f "$dir/PG_VERSION" ]; then
      as_owner "$bin/initdb" -D "$dir" -U fleetdesk -A trust -E UTF8 --locale=C.UTF-8 \
        >"$dir/../initdb.log" 2>&1 || { cat "$dir/../initdb.log" >&2; exit 1; }
    fi
    # fsync off: a test cluster need not survive a power cut, and it saves the disk.
    as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 30 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200" \
      start >/dev/null
    echo "postgres://fleetdesk@127.0.0.1:$port/postgres"
    ;;
  stop)
    if [ -f "$dir/postmaster.pid" ]; then
      as_owner "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null
    fi
    ;;
  *)
    echo "usage: $0 start DIR PORT | stop DIR" >&2
    exit 2
    ;;
esac
