#!/usr/bin/env bash
# A throw-away PostgreSQL server for the tests and measurements of the PostgreSQL history store: a new cluster
# (initdb) in a temporary folder, listening on 127.0.0.1 on a free port, with a test role that logs in with a
# password (scram-sha-256) and may create databases (each test makes its own).
#
#   eval "$(Scripts/pg-test-server.sh start)"   # exports RESSAISIE_TEST_PG_URL, RESSAISIE_TEST_PG_PASSWORD, …
#   Scripts/pg-test-server.sh stop "$RESSAISIE_TEST_PG_DIR"
#
# Needs Debian's server binaries (/usr/lib/postgresql/*/bin); as root, installs the `postgresql` package when they
# are missing. pg_ctl refuses to run as root: as root the cluster belongs to the `postgres` user (which the
# package creates), else to the user running this. Only the export lines go to standard output.
set -euo pipefail

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

start() {
  local bin
  bin=$(find_bin)
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    if [ "$(id -u)" -ne 0 ]; then
      echo "pg-test-server: no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (apt-get install postgresql)" >&2
      exit 1
    fi
    echo "pg-test-server: installing postgresql" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 || echo "apt-get update failed; trying the install with the lists there are" >&2
    apt-get install -y -qq postgresql >&2
    bin=$(find_bin)
  fi
  local owner run
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    owner=postgres
    run() { runuser -u postgres -- "$@"; }
  else
    owner=$(id -un)
    run() { "$@"; }
  fi
  local dir port password
  dir=$(mktemp -d "${TMPDIR:-/tmp}/ressaisie-pg.XXXXXX")
  chmod 755 "$dir"
  chown "$owner" "$dir"
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  printf '%s\n' "$password" >"$dir/password"
  chown "$owner" "$dir/password"
  chmod 600 "$dir/password"
  run "$bin/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 \
    --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  # TLS offered (a self-signed certificate) when openssl is there: clients that prefer TLS (the default) use it.
  local tls=""
  if command -v openssl >/dev/null 2>&1 \
    && openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 -keyout "$dir/data/server.key" \
      -out "$dir/data/server.crt" >/dev/null 2>&1; then
    chown "$owner" "$dir/data/server.key" "$dir/data/server.crt"
    chmod 600 "$dir/data/server.key"
    tls="-c ssl=on"
  fi
  run "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200 $tls" start >&2 \
    || { cat "$dir/server.log" >&2; exit 1; }
  run "$bin/psql" -X -q -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
    -c "CREATE ROLE ressaisie_test LOGIN CREATEDB PASSWORD '$password'" \
    -c "CREATE DATABASE ressaisie_test OWNER ressaisie_test" >&2
  cat <<EOF
export RESSAISIE_TEST_PG_DIR='$dir'
export RESSAISIE_TEST_PG_URL='postgres://ressaisie_test@127.0.0.1:$port/ressaisie_test'
export RESSAISIE_TEST_PG_PASSWORD='$password'
export RESSAISIE_TEST_PG_PASSWORD_FILE='$dir/password'
export RESSAISIE_TEST_PG_BIN='$bin'
export RESSAISIE_TEST_PG_TLS='${tls:+on}'
EOF
  echo "pg-test-server: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($dir)" >&2
}

stop() {
  local dir=${1:?usage: pg-test-server.sh stop DIR}
  local bin
  bin=$(find_bin)
  [ -d "$dir/data" ] || exit 0
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
  else
    "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start | stop DIR" >&2; exit 64 ;;
esac
