#!/usr/bin/env bash
# SQLite beside PostgreSQL (issue 8), printed side by side: signed-in page speed, the time `newsroom fetch` takes
# to refresh 1 000 loopback feeds, two `newsroom serve` instances sharing one PostgreSQL database and its feeds
# (none may be fetched twice), and /healthz's p99 while the first refresh stores 1 000 feeds. It only reports: a
# figure never fails it ("met" / "MISSED"); it exits non-zero only when something could not run. `make bench`
# runs it last; it also runs alone.
#
# PostgreSQL: the database server named by NEWSROOM_TEST_POSTGRES_URL (a superuser's URL: the script creates and
# drops its own databases there), else a throwaway cluster from scripts/with-postgres.sh, under which the script
# runs itself again. That cluster is set back to PostgreSQL's default durability (fsync, full_page_writes,
# synchronous_commit on), as a real deployment runs it; with-postgres.sh turns them off for the tests' speed.
#
# Knobs (environment): BENCH_PACKAGE (package to build, default the repo), BENCH_BIN (folder holding a release
# `newsroom`: skips the build; scripts/bench.sh passes its own), BENCH_FEEDS (fixture folder, default
# Tests/Fixtures/real-feeds), BENCH_PG_FEEDS (loopback feeds for the refresh parts, default 1000), BENCH_PG_HOSTS
# (loopback servers they are spread over, default 50), BENCH_DURATION (each wrk run of the page part, default 10s),
# BENCH_PG_DURABLE (1, the default: PostgreSQL's default durability on the throwaway cluster; 0 keeps
# with-postgres.sh's fsync off), BENCH_PG_ONLY (some of the parts: "pages fetch two live", space-separated), BENCH_PG_LIVE_RUNS (runs of
# the live part per engine, default 3; the median is compared).
set -euo pipefail

count=${BENCH_PG_FEEDS:-1000}
hosts=${BENCH_PG_HOSTS:-50}
duration=${BENCH_DURATION:-10s}
durable=${BENCH_PG_DURABLE:-1}
only=${BENCH_PG_ONLY:-}
# One run's p99 moves by 2 ms on this shared machine: the live part runs this many times per engine (odd).
live_runs=${BENCH_PG_LIVE_RUNS:-3}
# Whether a part runs: all of them, or those BENCH_PG_ONLY names.
wants() { [ -z "$only" ] || [[ " $only " == *" $1 "* ]]; }

bench_name=bench-postgres
source "$(dirname "${BASH_SOURCE[0]}")/bench-common.sh"  # also $repo, $package and $feeds_dir
source "$(dirname "${BASH_SOURCE[0]}")/bench-pages.sh"
source "$(dirname "${BASH_SOURCE[0]}")/bench-feeds.sh"

for tool in wrk curl; do
    command -v "$tool" >/dev/null || die "$tool is missing: run \`make bench\` (it installs wrk and curl)"
done
command -v python3 >/dev/null || { as_root apt-get update -qq && as_root apt-get install -y -qq python3; } >/dev/null ||
    die "python3 is missing and could not be installed"
[ -f "$feeds_dir/bbc-news-front-page.xml" ] && [ -f "$feeds_dir/cnn-edition.rss" ] ||
    die "fixtures not found in $feeds_dir (they ship in Tests/Fixtures/real-feeds, or set BENCH_FEEDS)"
[[ $count =~ ^[1-9][0-9]*$ ]] && [[ $hosts =~ ^[1-9][0-9]*$ ]] || die "BENCH_PG_FEEDS and BENCH_PG_HOSTS must be whole numbers"

# psql on PATH (Debian's wrapper), else beside initdb where Debian puts the server's tools.
find_psql() {
    command -v psql 2>/dev/null && return
    local d
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        [ -x "$d/psql" ] && { echo "$d/psql"; return; }
    done
    return 1
}
if { [ -z "${NEWSROOM_TEST_POSTGRES_URL:-}" ] && [ -z "${NEWSROOM_PG_BIN:-}" ] &&
    ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; } || ! find_psql >/dev/null; then
    # The server binaries for with-postgres.sh and psql; Debian's system-wide cluster on 5432 is left alone.
    echo "installing postgresql"
    { as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql; } >/dev/null ||
        die "PostgreSQL is missing and could not be installed (apt-get install postgresql)"
fi
psql_bin=$(find_psql) || die "psql not found"

newsroom_bin

# No server given: run again under a throwaway cluster (not `exec`, so this run's EXIT trap still removes $work).
# BENCH_PG_OWN_CLUSTER tells the re-run the cluster is its own to reconfigure; a server named by the caller is not.
if [ -z "${NEWSROOM_TEST_POSTGRES_URL:-}" ]; then
    status=0
    BENCH_BIN=$bin BENCH_PG_OWN_CLUSTER=1 bash "$repo/scripts/with-postgres.sh" bash "${BASH_SOURCE[0]}" || status=$?
    exit "$status"
fi
pg_url=$NEWSROOM_TEST_POSTGRES_URL

# --- processes and databases: every one this script starts or creates is ended or dropped at exit ---------------
pids=()
databases=()
# Ends one process this script started, by its id: TERM, up to 10 s to finish (serve drains), then KILL.
stop_pid() {
    local pid=$1
    if kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
    forget_pid "$pid"
}
# Once reaped, an id may be reused by another process: it leaves the list.
forget_pid() {
    local kept=() p
    for p in "${pids[@]}"; do [ "$p" = "$1" ] || kept+=("$p"); done
    pids=("${kept[@]}")
}
drop_databases() {
    local db
    for db in "${databases[@]}"; do
        "$psql_bin" "$pg_url" -qAt -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
    done
}
finish() {
    local pid
    for pid in "${pids[@]}"; do stop_pid "$pid"; done
    drop_databases
    cleanup
}
trap finish EXIT
# Exiting on a signal runs the EXIT trap, so what was started is ended then too.
trap 'exit 130' INT
trap 'exit 143' TERM

psql_at() { "$psql_bin" "$1" -qAt -v ON_ERROR_STOP=1 -c "$2"; }
# The server's URL with another database in its path (the query, e.g. sslmode, kept).
db_url() {
    local base=${pg_url%%\?*} query=${pg_url#"${pg_url%%\?*}"}
    [[ $base =~ ^postgres(ql)?://[^/]+/ ]] || base="$base/"
    echo "${base%/*}/$1$query"
}
# A fresh, empty database for one measurement, its URL in $new_url; the name is unique to this run, so a shared
# server is safe. Called in this shell, never in $(…), so the list of databases to drop keeps it.
new_database() {
    local name="newsroom_bench_$$_$1"
    psql_at "$pg_url" "CREATE DATABASE $name" >/dev/null || die "could not create the database $name"
    databases+=("$name")
    new_url=$(db_url "$name")
}

psql_at "$pg_url" "SELECT 1" >/dev/null || die "cannot reach PostgreSQL at NEWSROOM_TEST_POSTGRES_URL"
if [ "${BENCH_PG_OWN_CLUSTER:-}" = 1 ] && [ "$durable" = 1 ]; then
    psql_at "$pg_url" "ALTER SYSTEM SET fsync = on" >/dev/null &&
        psql_at "$pg_url" "ALTER SYSTEM SET full_page_writes = on" >/dev/null &&
        psql_at "$pg_url" "ALTER SYSTEM SET synchronous_commit = on" >/dev/null &&
        psql_at "$pg_url" "SELECT pg_reload_conf()" >/dev/null || die "could not restore PostgreSQL's default durability"
    sleep 0.5  # the reload reaches every backend at its next command; new connections read it at once
fi
pg_version=$(psql_at "$pg_url" "SHOW server_version")
pg_settings=$(psql_at "$pg_url" "SELECT string_agg(name || '=' || setting, ', ' ORDER BY name) FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes')")
secret_key=$(python3 -c 'import secrets; print(secrets.token_hex(32))')  # ≥ 32 bytes, required with PostgreSQL

# `newsroom serve` in the offline sandbox (no GitHub app, plain http on loopback; acme: octocat is a member). The
# same APP_SECRET_KEY on both engines, so the only difference is the database. Runs in the background; $! is its id.
serve() {
    local log=$1; shift
    env -u GITHUB_CLIENT_ID -u GITHUB_CLIENT_SECRET -u APP_SECRET_KEY_FILE -u NEWSROOM_DATABASE \
        APP_SECRET_KEY="$secret_key" GITHUB_ORG=acme LOG_LEVEL=warning \
        "$bin/newsroom" serve --insecure-transport --host 127.0.0.1 --resources "$package/Resources" "$@" >"$log" 2>&1 &
}
# Waits (up to 60 s) until $base answers `path` (default /readyz); the server's log if it exits first.
wait_for_server() {
    local pid=$1 log=$2 path=${3:-/readyz}
    for _ in $(seq 1200); do
        curl -fs "$base$path" >/dev/null 2>&1 && return
        kill -0 "$pid" 2>/dev/null || { tail -20 "$log" >&2; die "newsroom serve exited"; }
        sleep 0.05
    done
    tail -20 "$log" >&2; die "$path never answered"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
verdict() { awk "BEGIN { print ($1) ? \"met\" : \"MISSED\" }"; }
row() { printf '%-40s %14s %14s\n' "$@"; }

# Waits until every publication has been tried once (lastFetchAttemptAt set) and prints the seconds it took; fails
# when a given process exits first or after `timeout` seconds. One process polls, so waiting costs little CPU.
cat >"$work/wait_tried.py" <<'EOF'
import os, sqlite3, subprocess, sys, time
engine, db, count, timeout, psql = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
pids = [int(p) for p in sys.argv[6:]]
query = "SELECT count(*) FROM publications WHERE lastFetchAttemptAt IS NOT NULL"
start, conn, tried = time.monotonic(), None, 0
def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f: return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError: return False
def count_tried():
    global conn
    if engine == "sqlite":
        if conn is None and os.path.exists(db):
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        if conn is None: return 0
        try: return conn.execute(query).fetchone()[0]
        except sqlite3.Error: return 0  # no table yet, or busy
    # One psql session for the whole wait: a psql per poll made PostgreSQL fork a backend and authenticate five
    # times a second, CPU the SQLite side's poll does not cost. A failed query (no table yet) prints nothing, so
    # each query is followed by a marker to read up to.
    if conn is None or conn.poll() is not None:
        conn = subprocess.Popen([psql, db, "-qAt"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, text=True, bufsize=1)
    try:
        conn.stdin.write(query + ";\nSELECT 'done';\n")
        conn.stdin.flush()
        lines = []
        while (line := conn.stdout.readline()) not in ("done\n", ""): lines.append(line.strip())
    except BrokenPipeError:
        return 0
    return int(lines[0]) if lines and lines[0].isdigit() else 0
while True:
    tried = count_tried()
    if tried >= count: break
    if any(not alive(p) for p in pids): sys.exit(f"newsroom exited before every publication was tried ({tried} of {count})")
    if time.monotonic() - start > timeout: sys.exit(f"{tried} of {count} publications tried after {timeout:.0f} s")
    time.sleep(0.2)
print(f"{time.monotonic() - start:.2f}")
EOF
wait_tried() { python3 "$work/wait_tried.py" "$1" "$2" "$count" 600 "$psql_bin" "${@:3}"; }

section "SQLite beside PostgreSQL (issue 8)"
echo "PostgreSQL $pg_version ($pg_settings); SQLite: newsroom's own settings (WAL)"

# --- 1. page speed ---------------------------------------------------------------------------------------------
# As scripts/bench.sh's page bench at 10 publications (scripts/bench-pages.sh): the real-feed fixtures served as
# files, bbc and cnn first, p0010 a missing file (one failing feed, as in real life); measured once every publication
# has been fetched.

# One engine's figures into r[ENGINE.healthz.rps] and so on (globals: the servers it starts stay in $pids).
declare -A r
page_speed() {
    local engine=$1 database=$2 log=$work/pages-$1.log pid route rps p99 bad _n
    port=$(free_port) base=http://127.0.0.1:$port
    serve "$log" --port "$port" --database "$database" --feeds "$work/pages/feeds.json"
    pid=$!; pids+=("$pid")
    wait_for_server "$pid" "$log"
    pages_sign_in
    pages_wait_for_fetches "$log"
    # /healthz without the cookie, as in scripts/bench.sh: the trivial route that the page is measured against.
    read -r rps p99 bad _n <<<"$(run_wrk "$base/healthz")"
    r[$engine./healthz.rps]=$rps r[$engine./healthz.p99]=$p99 r[$engine./healthz.bad]=$bad
    read -r rps p99 bad _n <<<"$(run_wrk -H "$cookie" "$base/news/bbc")"
    r[$engine./news/bbc.rps]=$rps r[$engine./news/bbc.p99]=$p99 r[$engine./news/bbc.bad]=$bad
    stop_pid "$pid"
}

if wants pages; then
echo
echo "1. page speed, 10 publications, signed in: wrk $wrk_load -d$duration --latency (server and wrk share $(nproc) cores)"
pages_catalog 10 "$work/pages"
page_speed sqlite "$work/pages.sqlite"
new_database pages
page_speed postgres "$new_url"
row "" "SQLite" "PostgreSQL"
for route in /healthz /news/bbc; do
    row "$route requests/s" "${r[sqlite.$route.rps]}" "${r[postgres.$route.rps]}"
    row "$route p99 ms" "${r[sqlite.$route.p99]}" "${r[postgres.$route.p99]}"
done
s_ratio=$(ratio "${r[sqlite./news/bbc.rps]}" "${r[sqlite./healthz.rps]}")
p_ratio=$(ratio "${r[postgres./news/bbc.rps]}" "${r[postgres./healthz.rps]}")
row "/news/bbc x /healthz" "$s_ratio" "$p_ratio"
row "non-2xx (/healthz, /news/bbc)" "${r[sqlite./healthz.bad]}, ${r[sqlite./news/bbc.bad]}" \
    "${r[postgres./healthz.bad]}, ${r[postgres./news/bbc.bad]}"
pages_verdict="PostgreSQL /news/bbc ≥ 0.5x its /healthz: $(verdict "$p_ratio >= 0.5") (${p_ratio}x; SQLite ${s_ratio}x)"
echo "target: $pages_verdict"
fi

# --- the loopback feeds for parts 2 to 4 -----------------------------------------------------------------------
# As scripts/bench-memory.sh (scripts/bench-feeds.sh), here with every request's path logged, so fetches can be
# counted per feed.
feed_servers_start "$count" "$hosts" "$work/requests.log"
pids+=("$feed_servers_pid")
feed_servers_catalog "$count" "$hosts"

# --- 2. refresh time -------------------------------------------------------------------------------------------
# `newsroom fetch` on a fresh database: the whole process (opening, migrating, syncing the catalog, fetching,
# storing). A failed feed makes it exit 1, which is a figure here, not a broken run.
fetch_time() {
    local engine=$1 database=$2 log=$work/fetch-$1.log line seconds kb status
    line=$(measure "$log" "$bin/newsroom" fetch --feeds "$work/feeds.json" --database "$database") ||
        die "could not run newsroom fetch"
    read -r seconds kb status <<<"$line"
    [ "$(grep -c . "$log")" -ge "$count" ] || { tail -5 "$log" >&2; die "newsroom fetch on $engine exited $status without a line per feed"; }
    r[$engine.fetch.seconds]=$seconds
    r[$engine.fetch.mb]=$(awk -v k="$kb" 'BEGIN { printf "%.1f", k / 1024 }')
    r[$engine.fetch.ok]=$(grep -c $'\tok\t' "$log" || true)
}
if wants fetch; then
echo
echo "2. refresh of $count feeds on $hosts loopback hosts: newsroom fetch, whole process, fresh database"
fetch_time sqlite "$work/fetch.sqlite"
new_database fetch
fetch_time postgres "$new_url"
row "" "SQLite" "PostgreSQL"
for figure in seconds ok mb; do
    row "$(case $figure in seconds) echo seconds ;; ok) echo "feeds ok" ;; mb) echo "peak MB" ;; esac)" \
        "${r[sqlite.fetch.$figure]}" "${r[postgres.fetch.$figure]}"
done
f_ratio=$(ratio "${r[postgres.fetch.seconds]}" "${r[sqlite.fetch.seconds]}")
fetch_verdict="PostgreSQL refresh within 1.5x of SQLite's: $(verdict "$f_ratio <= 1.5") (${f_ratio}x)"
echo "target: $fetch_verdict"
fi

# --- 3. two instances ------------------------------------------------------------------------------------------
# As the README's several-instances recipe: the same DATABASE_URL, APP_SECRET_KEY and feeds.json, started together.
# The feed servers' log says how often each feed was requested; each instance's own metrics listener says how many
# fetches it made, so a run where one instance did everything shows.
if wants two; then
echo
echo "3. two newsroom serve instances on one PostgreSQL database, $count feeds, started together"
new_database two
two_url=$new_url
logged_before=$(wc -l <"$work/requests.log")
two_pids=() metrics_ports=()
for n in 1 2; do
    metrics_ports+=("$(free_port)")
    DATABASE_URL=$two_url serve "$work/two-$n.log" --port 0 --feeds "$work/feeds.json" --metrics-address "127.0.0.1:${metrics_ports[$((n - 1))]}"
    two_pids+=("$!"); pids+=("$!")
done
two_seconds=$(wait_tried postgres "$two_url" "${two_pids[@]}") || { tail -5 "$work/two-1.log" "$work/two-2.log" >&2; die "the two instances did not refresh every feed"; }
sleep 2  # a duplicate fetch still under way when the last attempt was recorded gets logged too
fetched=()
for n in 1 2; do
    # newsroom_feed_fetches_total{publication=…,outcome=…} N, summed over its lines.
    fetched+=("$({ curl -s "http://127.0.0.1:${metrics_ports[$((n - 1))]}/metrics" || true; } |
        awk '/^newsroom_feed_fetches_total[{ ]/ { s += $NF; seen = 1 } END { print seen ? s : "?" }')")
done
for pid in "${two_pids[@]}"; do stop_pid "$pid"; done
tail -n +"$((logged_before + 1))" "$work/requests.log" | sort | uniq -c >"$work/two-counts"
two_total=$(awk '{ s += $1 } END { print s + 0 }' "$work/two-counts")
two_distinct=$(awk 'END { print NR }' "$work/two-counts")
two_twice=$(awk '$1 > 1 { n++ } END { print n + 0 }' "$work/two-counts")
printf '%-40s %14s\n' "seconds from start to every feed tried" "$two_seconds" "requests at the feed servers" "$two_total" \
    "distinct feeds requested" "$two_distinct" "feeds fetched twice or more" "$two_twice" \
    "fetches by instance 1, 2" "${fetched[0]}, ${fetched[1]}"
two_verdict="two instances fetch no feed twice: $(verdict "$two_twice == 0 && $two_distinct == $count") ($two_twice of $count fetched twice, $two_distinct requested)"
echo "target: $two_verdict"
fi

# --- 4. /healthz during the first refresh ----------------------------------------------------------------------
# A server on a fresh database with the $count-feed catalog, loaded with wrk from the moment it answers until every
# feed has been tried (at least 1 s): the refresh must not hold up requests. wrk stops at SIGINT and reports.
healthz_during_refresh() {
    local engine=$1 database=$2 run=$3 log=$work/live-$1.log pid wrk_pid seconds started rps p99
    port=$(free_port) base=http://127.0.0.1:$port
    serve "$log" --port "$port" --database "$database" --feeds "$work/feeds.json"
    pid=$!; pids+=("$pid")
    wait_for_server "$pid" "$log" /healthz
    started=$(date +%s%N)
    wrk $wrk_load -d3600s --latency "$base/healthz" >"$work/live-$engine.wrk" 2>&1 &
    wrk_pid=$!; pids+=("$wrk_pid")
    seconds=$(wait_tried "$engine" "$database" "$pid") || { tail -5 "$log" >&2; die "the first refresh on $engine did not finish"; }
    while [ $(( $(date +%s%N) - started )) -lt 1000000000 ]; do sleep 0.1; done
    kill -INT "$wrk_pid" 2>/dev/null || true
    wait "$wrk_pid" 2>/dev/null || true
    forget_pid "$wrk_pid"
    stop_pid "$pid"
    grep -q 'Requests/sec:' "$work/live-$engine.wrk" || { cat "$work/live-$engine.wrk" >&2; die "wrk reported nothing"; }
    read -r rps p99 _ _ <<<"$(wrk_figures <"$work/live-$engine.wrk")"
    # This run's figures, for the median, and its p99 beside the earlier runs'.
    r[$engine.live.$run]="$p99 $seconds $rps" r[$engine.live.p99s]+="${r[$engine.live.p99s]:+/}$p99"
}
if wants live; then
echo
echo "4. /healthz while the first refresh stores $count feeds: wrk $wrk_load --latency from start until every feed is tried;"
echo "   $live_runs runs per engine, taking turns, each on a fresh database; the median run is compared"
for run in $(seq "$live_runs"); do
    healthz_during_refresh sqlite "$work/live-$run.sqlite" "$run"
    new_database "live$run"
    healthz_during_refresh postgres "$new_url" "$run"
done
# The run whose p99 is the median, per engine (its own seconds and requests/s go with it).
median_run() { local engine=$1 run; for run in $(seq "$live_runs"); do echo "${r[$engine.live.$run]}"; done | sort -g | sed -n "$(( (live_runs + 1) / 2 ))p"; }
read -r s_p99 s_seconds s_rps <<<"$(median_run sqlite)"
read -r p_p99 p_seconds p_rps <<<"$(median_run postgres)"
row "" "SQLite" "PostgreSQL"
row "/healthz p99 ms, each run" "${r[sqlite.live.p99s]}" "${r[postgres.live.p99s]}"
row "median run: /healthz p99 ms" "$s_p99" "$p_p99"
row "median run: requests/s" "$s_rps" "$p_rps"
row "median run: seconds to try every feed" "$s_seconds" "$p_seconds"  # from the first answer
live_verdict="/healthz p99 under 10 ms during the first refresh (median of $live_runs): SQLite $(verdict "$s_p99 < 10")"
live_verdict+=" ($s_p99 ms), PostgreSQL $(verdict "$p_p99 < 10") ($p_p99 ms)"
echo "target: $live_verdict"
fi

echo
echo "targets (issue 8; a shared, noisy machine moves these figures):"
for line in "${pages_verdict:-}" "${fetch_verdict:-}" "${two_verdict:-}" "${live_verdict:-}"; do [ -z "$line" ] || echo "  $line"; done
