#!/usr/bin/env bash
# Usage: scripts/with-postgres.sh COMMAND ARGS...
# Runs COMMAND with a throwaway PostgreSQL cluster and NEWSROOM_TEST_POSTGRES_URL pointing at it, then stops the
# cluster and deletes it (also when COMMAND fails or the script is interrupted), and exits with COMMAND's status.
#
# The cluster lives in its own temporary folder, listens on 127.0.0.1 only, on a free port, never 5432: Debian's
# `postgresql` package creates and starts a system-wide `main` cluster there, which this script leaves alone
# (no pg_ctlcluster, no service). Durability is switched off: the data is thrown away at the end anyway.
#
# Knob (environment): NEWSROOM_PG_BIN, the folder holding initdb, pg_ctl and pg_isready (default: the newest
# /usr/lib/postgresql/<version>/bin, where Debian puts them, off PATH).
set -euo pipefail

name=with-postgres
die() { echo "$name: $*" >&2; exit 1; }
[ $# -gt 0 ] || die "usage: $0 COMMAND ARGS..."

# --- binaries --------------------------------------------------------------------------------------------------
pg_bin=${NEWSROOM_PG_BIN:-}
if [ -z "$pg_bin" ]; then
    newest=$(for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && basename "$(dirname "$d")"; done | sort -V | tail -n 1 || true)
    if [ -n "$newest" ]; then
        pg_bin=/usr/lib/postgresql/$newest/bin
    elif command -v initdb >/dev/null; then
        pg_bin=$(dirname "$(command -v initdb)")
    else
        die "PostgreSQL is missing: run \`make test\` (it installs Debian's postgresql), or set NEWSROOM_PG_BIN"
    fi
fi
for tool in initdb pg_ctl pg_isready; do [ -x "$pg_bin/$tool" ] || die "$pg_bin/$tool not found"; done

# --- who runs the server ---------------------------------------------------------------------------------------
# PostgreSQL refuses to run as root, and CI runs as root: then a dedicated system user runs it.
pg_user=$(id -un)
if [ "$(id -u)" = 0 ]; then
    pg_user=newsroom-pg
    id -u "$pg_user" >/dev/null 2>&1 ||
        useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$pg_user" ||
        die "could not create the system user $pg_user"
fi
# Runs a PostgreSQL tool as $pg_user, from the cluster folder (the caller's folder may be closed to that user).
as_pg() {
    if [ "$pg_user" = "$(id -un)" ]; then (cd "$tmp" && "$@"); else (cd "$tmp" && runuser -u "$pg_user" -- "$@"); fi
}

# --- cleanup ---------------------------------------------------------------------------------------------------
tmp=$(mktemp -d "${TMPDIR:-/tmp}/newsroom-pg.XXXXXX")
data=$tmp/data
child=""
cleanup() {
    trap - EXIT
    trap '' INT TERM  # a second Ctrl-C must not cut the cleanup short
    if [ -f "$data/postmaster.pid" ]; then
        as_pg "$pg_bin/pg_ctl" stop -D "$data" -m immediate -w -t 30 >/dev/null 2>&1 ||
            echo "$name: could not stop the cluster in $data" >&2
    fi
    rm -rf "$tmp"
}
# On INT or TERM: pass the signal on to COMMAND, let it finish, clean up, and exit with the status a shell gives
# a command killed by that signal (130, 143).
on_signal() {
    local sig=$1 code=$2
    trap '' INT TERM
    if [ -n "$child" ]; then kill -s "$sig" "$child" 2>/dev/null || true; wait "$child" 2>/dev/null || true; fi
    cleanup
    exit "$code"
}
trap cleanup EXIT
trap 'on_signal INT 130' INT
trap 'on_signal TERM 143' TERM

chmod 700 "$tmp"
[ "$pg_user" = "$(id -un)" ] || chown "$pg_user:" "$tmp"
as_pg test -w "$tmp" || die "$tmp is not writable by $pg_user (is a parent folder closed to it? set TMPDIR)"

# --- cluster ---------------------------------------------------------------------------------------------------
# Trust auth for the superuser `newsroom`: only loopback and a socket in the private folder can reach it.
as_pg "$pg_bin/initdb" -D "$data" -U newsroom -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$tmp/initdb.log" 2>&1 ||
    { cat "$tmp/initdb.log" >&2; die "initdb failed"; }
cat >>"$data/postgresql.conf" <<EOF

# with-postgres.sh: loopback only, socket in the private folder, speed over durability.
listen_addresses = '127.0.0.1'
unix_socket_directories = '$tmp'
# Every test store has a pool of up to 20 connections, and a parallel run opens dozens of stores at once.
max_connections = 1000
fsync = off
synchronous_commit = off
full_page_writes = off
EOF

# A port nobody listens on: the kernel's pick for an ephemeral bind, else a random one that refuses connections.
free_port() {
    if command -v python3 >/dev/null &&
        python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null; then
        return
    fi
    local port
    for _ in $(seq 50); do
        port=$((20000 + RANDOM % 40000))
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
    done
    die "found no free port"
}

# The port is free when picked but another process may take it before the server binds it: then try another.
started=""
for _ in 1 2 3; do
    port=$(free_port)
    [ "$port" != 5432 ] || continue
    if as_pg "$pg_bin/pg_ctl" start -D "$data" -l "$tmp/server.log" -o "-p $port" -w -t 30 >/dev/null 2>&1; then
        started=1
        break
    fi
    # A server still starting up after the timeout (not a lost port race) is stopped before the next attempt.
    [ ! -f "$data/postmaster.pid" ] || as_pg "$pg_bin/pg_ctl" stop -D "$data" -m immediate -w >/dev/null 2>&1 || true
done
if [ -z "$started" ] || ! "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$port" -d postgres -U newsroom -t 30; then
    echo "$name: PostgreSQL did not start; its log:" >&2
    cat "$tmp/server.log" >&2 2>/dev/null || true
    exit 1
fi

# --- the command -----------------------------------------------------------------------------------------------
export NEWSROOM_TEST_POSTGRES_URL="postgres://newsroom@127.0.0.1:$port/postgres?sslmode=disable"
# In the background so that a TERM sent to this script alone is handled at once (bash runs traps only between
# commands) and passed on. Bash would start a background command with SIGINT ignored and stdin closed: the
# subshell restores SIGINT so Ctrl-C still reaches COMMAND, and `<&0` keeps stdin.
( trap - INT QUIT; exec "$@" ) <&0 &
child=$!
status=0
wait "$child" || status=$?
child=""
exit "$status"
