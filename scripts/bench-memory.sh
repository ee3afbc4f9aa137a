#!/usr/bin/env bash
# Memory of a refresh (issue 11): 1 000 publications served by 50 loopback hosts with the real feeds' sizes,
# refreshed by `newsroom serve` (RSS while the first refresh runs and once it is done), by `newsroom fetch`
# (whole process) and by lemon24's `reader` (PyPI, whole process) in the same run, printed side by side.
# It only reports: no figure ever fails it. `make bench` runs it last; it also runs alone.
#
# Knobs (environment): BENCH_PACKAGE (package to build, default the repo), BENCH_BIN (folder holding a release
# `newsroom`: skips the build; scripts/bench.sh passes its own), BENCH_FEEDS (fixture folder, default
# Tests/Fixtures/real-feeds), BENCH_MEMORY_FEEDS (1000), BENCH_MEMORY_HOSTS (50), BENCH_READER_WORKERS (8, the
# number of transfers newsroom runs at once; 0 skips reader), BENCH_READER_VENV (reader's venv), BENCH_SETTLE (seconds after the
# first refresh before the steady RSS is read, default 5).
set -euo pipefail

count=${BENCH_MEMORY_FEEDS:-1000}
hosts=${BENCH_MEMORY_HOSTS:-50}
reader_workers=${BENCH_READER_WORKERS:-8}
settle=${BENCH_SETTLE:-5}

bench_name=bench-memory
source "$(dirname "${BASH_SOURCE[0]}")/bench-common.sh"  # also $repo, $package and $feeds_dir
source "$(dirname "${BASH_SOURCE[0]}")/bench-feeds.sh"
venv=${BENCH_READER_VENV:-$repo/.build/bench-reader-venv}
command -v python3 >/dev/null || { as_root apt-get update -qq && as_root apt-get install -y -qq python3; } >/dev/null ||
    die "python3 is missing and could not be installed"
ls "$feeds_dir"/*.xml "$feeds_dir"/*.rss >/dev/null 2>&1 || die "no feeds in $feeds_dir (set BENCH_FEEDS)"

newsroom_bin

section "memory: $count publications on $hosts loopback hosts (issue 11)"

# reader 3.26 and sgmllib3k (its feedparser's old-HTML fallback) in a venv under .build; PyPI must be reachable.
reader_ready() { [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import reader, sgmllib' 2>/dev/null; }
if ! reader_ready; then
    rm -rf "$venv"
    if ! python3 -m venv "$venv" >/dev/null 2>&1; then
        # Debian's python3 has no ensurepip until python3-venv is installed.
        { as_root apt-get update -qq && as_root apt-get install -y -qq python3-venv; } >/dev/null 2>&1 || true
        rm -rf "$venv"; python3 -m venv "$venv" >/dev/null 2>&1 || true
    fi
    [ -x "$venv/bin/pip" ] && "$venv/bin/pip" install -q --disable-pip-version-check 'reader==3.26' sgmllib3k >/dev/null 2>&1 || true
fi

# The feeds (scripts/bench-feeds.sh): publication i is the i-th fixture (round robin) at /pNNNN.xml on host i mod $hosts.
feed_servers_start "$count" "$hosts"
background_pid=$feed_servers_pid
feed_servers_catalog "$count" "$hosts"
python3 -c 'import json, sys; print("\n".join(p["url"] for p in json.load(open(sys.argv[1]))["publications"]))' \
    "$work/feeds.json" >"$work/urls.txt"
total_mb=$(find -L "$work/www" -type f -printf '%s\n' | awk '{ s += $1 } END { printf "%.1f", s / 1048576 }')
echo "feeds: $total_mb MB in $count files (${#fixtures[@]} real feeds, round robin), on ports ${ports[0]}…${ports[$((hosts - 1))]}"

# Starts `newsroom serve`, samples /proc/PID/status every 50 ms, and watches the database until every publication
# has been tried once; then waits $settle s and reads the steady RSS. Ends the server it started, by its id.
cat >"$work/watch_serve.py" <<'EOF'
import os, signal, sqlite3, subprocess, sys, time
log, db, count, settle = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
def status(pid):
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile"): fields[key] = int(value.split()[0])
    return fields
start = time.monotonic()
server = subprocess.Popen(sys.argv[5:], stdout=open(log, "w"), stderr=subprocess.STDOUT)
try:
    conn, ready_at, ready_rss, done_at, tried = None, None, None, None, 0
    while time.monotonic() - start < 300:
        if server.poll() is not None: sys.exit(f"newsroom serve exited with {server.returncode}")
        s = status(server.pid)
        if conn is None and os.path.exists(db):
            try: conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
            except sqlite3.Error: conn = None
        if conn is not None:
            try:
                total, tried = conn.execute("SELECT count(*), count(lastFetchAttemptAt) FROM publications").fetchone()
            except sqlite3.Error: total = 0
            if ready_at is None and total >= count:
                ready_at, ready_rss = time.monotonic(), s["VmRSS"]
            if tried >= count:
                done_at = time.monotonic(); break
        time.sleep(0.05)
    if done_at is None: sys.exit(f"the first refresh did not finish in 300 s ({tried} of {count} tried)")
    peak = status(server.pid)["VmHWM"]
    ok = conn.execute("SELECT count(*) FROM publications WHERE lastSuccessAt IS NOT NULL").fetchone()[0]
    articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    conn.close()
    time.sleep(settle)
    s = status(server.pid)
    print(f"{ready_rss} {s['VmHWM']} {s['VmRSS']} {s['RssAnon']} {s['RssFile']} {done_at - ready_at:.2f} {ok} {articles}")
finally:
    server.send_signal(signal.SIGTERM)
    try: server.wait(10)
    except subprocess.TimeoutExpired: server.kill(); server.wait()
EOF

mb() { awk -v kb="$1" 'BEGIN { printf "%.1f", kb / 1024 }'; }

# newsroom serve: the offline sandbox stands in for GitHub; port 0 so nothing collides.
serve_line=$(env -u GITHUB_CLIENT_ID -u GITHUB_CLIENT_SECRET -u APP_SECRET_KEY -u APP_SECRET_KEY_FILE \
    GITHUB_ORG=acme LOG_LEVEL=error \
    python3 "$work/watch_serve.py" "$work/serve.log" "$work/serve.sqlite" "$count" "$settle" \
    "$bin/newsroom" serve --insecure-transport --host 127.0.0.1 --port 0 --database "$work/serve.sqlite" \
    --feeds "$work/feeds.json" --resources "$repo/Resources") || { tail -20 "$work/serve.log" >&2; serve_line=""; }
read -r s_ready s_peak s_steady s_anon s_file s_seconds s_ok s_articles <<<"${serve_line:-- - - - - - - -}"

# newsroom fetch: the same catalog, a fresh database, the whole process.
fetch_line=$(measure "$work/fetch.log" \
    "$bin/newsroom" fetch --feeds "$work/feeds.json" --database "$work/fetch.sqlite")
read -r f_seconds f_peak f_exit <<<"$fetch_line"
f_ok=$(grep -c $'\tok\t' "$work/fetch.log" || true)

# reader: the same URLs, its own SQLite database, update_feeds with workers; the whole process (imports included).
r_seconds="" r_peak="" r_ok=""
if [ "$reader_workers" != 0 ] && reader_ready; then
    cat >"$work/reader_run.py" <<'EOF'
import sys
from reader import make_reader
reader = make_reader(sys.argv[1])
for url in open(sys.argv[2]).read().split(): reader.add_feed(url)
reader.update_feeds(workers=int(sys.argv[3]))
ok = sum(1 for feed in reader.get_feeds() if feed.last_exception is None and feed.last_updated is not None)
print(f"reader: {ok} feeds updated, {reader.get_entry_counts().total} entries")
EOF
    reader_line=$(measure "$work/reader.log" \
        "$venv/bin/python" "$work/reader_run.py" "$work/reader.sqlite" "$work/urls.txt" "$reader_workers")
    read -r r_seconds r_peak r_exit <<<"$reader_line"
    r_ok=$(sed -n 's/^reader: \([0-9]*\) feeds updated.*/\1/p' "$work/reader.log")
    [ "$r_exit" = 0 ] || tail -5 "$work/reader.log" >&2
fi

echo
printf '%-34s %10s %10s %10s %8s\n' "whole process" "seconds" "peak MB" "after MB" "feeds ok"
if [ -n "$serve_line" ]; then
    printf '%-34s %10s %10s %10s %8s\n' "newsroom serve (first refresh)" "$s_seconds" "$(mb "$s_peak")" "$(mb "$s_steady")" "$s_ok"
else
    printf '%-34s %10s\n' "newsroom serve" "failed (see above)"
fi
printf '%-34s %10s %10s %10s %8s\n' "newsroom fetch" "$f_seconds" "$(mb "$f_peak")" "-" "${f_ok:-0}"
if [ -n "$r_seconds" ]; then
    printf '%-34s %10s %10s %10s %8s\n' "reader 3.26 (workers=$reader_workers)" "$r_seconds" "$(mb "$r_peak")" "-" "${r_ok:-?}"
elif [ "$reader_workers" != 0 ]; then
    printf '%-34s %10s\n' "reader 3.26" "unavailable (pip install reader==3.26 sgmllib3k failed: is PyPI reachable?)"
fi
if [ -n "$serve_line" ]; then
    echo "serve: $(mb "$s_ready") MB once the catalog was synced, before any fetch; after the refresh $(mb "$s_anon") MB anonymous" \
        "+ $(mb "$s_file") MB file-backed; $s_articles articles stored"
    echo "serve seconds: from the catalog in the database to every publication tried; 'after': RSS ${settle} s later"
fi
echo "targets: serve after the first refresh <= 60 MB, peak during it <= 80 MB; refresh time well ahead of reader"
