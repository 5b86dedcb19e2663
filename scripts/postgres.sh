#!/usr/bin/env bash
# Start a throw-away PostgreSQL 15 for the test suite and print its URL.
# Installs Debian's postgresql package when it is missing (needs root, as in CI).
# initdb refuses to run as root, so the cluster belongs to the `postgres` user.
set -euo pipefail
port="${WAITLIST_PG_PORT:-54329}"
data="${TMPDIR:-/tmp}/waitlist-pg-${port}"
url="postgresql+psycopg://postgres@127.0.0.1:${port}/postgres"

find_bin() {
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  return 1
}

if ! bin=$(find_bin); then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing PostgreSQL from Debian packages..." >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
    bin=$(find_bin)
  else
    echo "PostgreSQL is not installed and this user cannot install it" >&2
    exit 1
  fi
fi

as_pg() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}

if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" 2>/dev/null; then
  echo "$url"
  exit 0
fi

# Not running: start from a brand-new cluster (it runs with fsync off, so a cluster left
# behind by a killed server is not to be trusted).
rm -rf "$data"
mkdir -p "$data"
[ "$(id -u)" = 0 ] && chown postgres "$data"
as_pg "'$bin/initdb' -D '$data' -A trust -U postgres --no-sync" >/dev/null
[ "$(id -u)" = 0 ] && chown -R postgres "$data"
# Tuned for a disposable test cluster: durability is not needed.
as_pg "'$bin/pg_ctl' -D '$data' -l '$data/server.log' -w -o \"-p $port -k '$data' -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300\" start" >/dev/null
echo "$url"
