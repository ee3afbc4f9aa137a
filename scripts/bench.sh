#!/usr/bin/env bash
# `make bench`: parse throughput (newsroom vs xmllint vs Python feedparser) and page speed (/healthz vs a
# signed-in /news/bbc), printed side by side. It only reports: a slow figure never fails the run; a broken
# setup (build, server start, sign-in) does, since then there is nothing to report.
#
# Knobs (environment): BENCH_PACKAGE (package to build, default the repo), BENCH_FEEDS (fixture folder,
# default Tests/Fixtures/real-feeds in the repo), BENCH_SIZE_MB (20), BENCH_ITERATIONS (5), BENCH_DURATION (10s),
# BENCH_FEEDPARSER_MB (size of the feedparser slice, default 5), BENCH_VENV (feedparser's venv),
# BENCH_ONLY (parse or pages: run one half).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
package=${BENCH_PACKAGE:-$repo}
feeds_dir=${BENCH_FEEDS:-$repo/Tests/Fixtures/real-feeds}
size_mb=${BENCH_SIZE_MB:-20}
iterations=${BENCH_ITERATIONS:-5}
duration=${BENCH_DURATION:-10s}
only=${BENCH_ONLY:-}
feedparser_mb=${BENCH_FEEDPARSER_MB:-5}  # feedparser runs at ~1 MB/s: 20 MB would take most of the time budget

work=$(mktemp -d "${TMPDIR:-/tmp}/newsroom-bench.XXXXXX")
server_pid=""
cleanup() {
    # Only the server this script started, by its id.
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

die() { echo "bench: $*" >&2; exit 1; }
section() { printf '\n== %s ==\n' "$1"; }
# Seconds since the epoch with nanoseconds, for timing external commands.
now_ns() { date +%s%N; }
# awk does the arithmetic so the script needs nothing beyond coreutils.
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

for tool in wrk xmllint curl python3; do
    if ! command -v "$tool" >/dev/null; then
        [ "$tool" = python3 ] || die "$tool is missing: run \`make bench\` (it installs wrk, libxml2-utils and curl)"
        { as_root apt-get update -qq && as_root apt-get install -y -qq python3; } >/dev/null || die "python3 is missing and could not be installed"
    fi
done
[ -f "$feeds_dir/cnn-edition.rss" ] && [ -f "$feeds_dir/bbc-news-front-page.xml" ] ||
    die "fixtures not found in $feeds_dir (they ship in Tests/Fixtures/real-feeds, or set BENCH_FEEDS)"

section "release build"
# The build's own warnings are noise here; its log is shown only if it fails.
for product in newsroom ParseBench; do
    swift build -c release --package-path "$package" --product "$product" >"$work/build.log" 2>&1 ||
        { cat "$work/build.log" >&2; die "release build of $product failed"; }
done
bin=$(swift build -c release --package-path "$package" --show-bin-path)
echo "binaries: $bin"

# Issue 2 §7: one ~20 MB feed parsed by newsroom, xmllint and feedparser.
parse_bench() {
section "parse throughput (issue 2 §7)"
# Python feedparser in a venv under .build, so the system Python stays untouched (PyPI must be reachable).
venv=${BENCH_VENV:-$repo/.build/bench-venv}
feedparser_ready() { [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import feedparser' 2>/dev/null; }
if ! feedparser_ready; then
    rm -rf "$venv"
    if ! python3 -m venv "$venv" >/dev/null 2>&1; then
        # Debian's python3 has no ensurepip until python3-venv is installed.
        { as_root apt-get update -qq && as_root apt-get install -y -qq python3-venv; } >/dev/null 2>&1 || true
        rm -rf "$venv"; python3 -m venv "$venv" >/dev/null 2>&1 || true
    fi
    [ -x "$venv/bin/pip" ] && "$venv/bin/pip" install -q --disable-pip-version-check feedparser >/dev/null 2>&1 || true
fi

large=$work/large.rss
"$bin/ParseBench" --make-large "$feeds_dir/cnn-edition.rss" "$large" --size-mb "$size_mb"
bytes=$(stat -c %s "$large")
mb=$(calc '%.3f' "$bytes / 1000000")

newsroom_line=$("$bin/ParseBench" "$large" --iterations "$iterations")
echo "$newsroom_line"
newsroom_s=$(sed -n 's/.* best=\([0-9.]*\)s .*/\1/p' <<<"$newsroom_line")
[ -n "$newsroom_s" ] || die "cannot read ParseBench's output"

xmllint_s=""
for _ in $(seq "$iterations"); do
    start=$(now_ns)
    xmllint --noout --huge "$large"
    elapsed=$(calc '%.4f' "($(now_ns) - $start) / 1e9")
    if [ -z "$xmllint_s" ] || awk "BEGIN { exit !($elapsed < $xmllint_s) }"; then xmllint_s=$elapsed; fi
done

feedparser_s="" feedparser_size=""
if feedparser_ready; then
    sample=$large
    if [ "$feedparser_mb" != "$size_mb" ]; then
        sample=$work/feedparser-sample.rss
        "$bin/ParseBench" --make-large "$feeds_dir/cnn-edition.rss" "$sample" --size-mb "$feedparser_mb" >/dev/null
    fi
    feedparser_size=$(calc '%.3f' "$(stat -c %s "$sample") / 1000000")
    # Timed inside Python: reading the file and starting the interpreter are not parsing.
    feedparser_s=$("$venv/bin/python" - "$sample" <<'EOF'
import sys, time, feedparser
data = open(sys.argv[1], "rb").read()
start = time.perf_counter()
result = feedparser.parse(data)
elapsed = time.perf_counter() - start
print(f"{elapsed:.4f}")
print(f"feedparser entries={len(result.entries)}", file=sys.stderr)
EOF
)
fi

echo
printf '%-22s %10s %10s %12s\n' "parser (${mb} MB)" "seconds" "MB/s" "note"
printf '%-22s %10s %10s %12s\n' "newsroom (best of $iterations)" "$newsroom_s" "$(calc '%.1f' "$mb / $newsroom_s")" ""
printf '%-22s %10s %10s %12s\n' "xmllint --noout (best)" "$xmllint_s" "$(calc '%.1f' "$mb / $xmllint_s")" "no model"
if [ -n "$feedparser_s" ]; then
    printf '%-22s %10s %10s %12s\n' "feedparser (1 run)" "$feedparser_s" "$(calc '%.2f' "$feedparser_size / $feedparser_s")" "${feedparser_size} MB"
else
    printf '%-22s %10s\n' "feedparser" "unavailable (pip install feedparser failed: is PyPI reachable?)"
fi
echo "newsroom time / xmllint time: $(calc '%.2f' "$newsroom_s / $xmllint_s")x   (target: within 3x)"
if [ -n "$feedparser_s" ]; then
    echo "newsroom speed / feedparser speed: $(calc '%.1f' "($mb / $newsroom_s) / ($feedparser_size / $feedparser_s)")x   (target: at least 20x)"
fi
}

# Issue 4 §3: a release server on loopback, signed in through the sandbox, measured with wrk.
page_bench() {
section "page speed (issue 4 §3)"
mkdir -p "$work/feeds"
cp "$feeds_dir/bbc-news-front-page.xml" "$work/feeds/bbc.xml"
cp "$feeds_dir/cnn-edition.rss" "$work/feeds/cnn.xml"
cat >"$work/feeds.json" <<EOF
{
  "refreshMinutes": 15,
  "publications": [
    {"id": "bbc", "name": "BBC News", "url": "file://$work/feeds/bbc.xml"},
    {"id": "cnn", "name": "CNN", "url": "file://$work/feeds/cnn.xml"}
  ]
}
EOF
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port
# No GitHub app configured and plain http on loopback: serve starts the sandbox (acme: octocat is a member).
env -u GITHUB_CLIENT_ID -u GITHUB_CLIENT_SECRET -u APP_SECRET_KEY -u APP_SECRET_KEY_FILE \
    GITHUB_ORG=acme LOG_LEVEL=warning \
    "$bin/newsroom" serve --insecure-transport --host 127.0.0.1 --port "$port" --database "$work/newsroom.sqlite" \
    --feeds "$work/feeds.json" --resources "$repo/Resources" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 300); do
    curl -fs "$base/readyz" >/dev/null 2>&1 && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; die "newsroom serve exited"; }
    sleep 0.1
done
curl -fs "$base/readyz" >/dev/null || { cat "$work/server.log" >&2; die "/readyz never answered"; }

# Sign in as octocat through the sandbox, the way a browser does.
jar=$work/cookies.txt
authorize=$(curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{redirect_url}' "$base/login?next=/news/bbc")
[ -n "$authorize" ] || die "/login did not redirect to the sandbox"
picker=$(curl -s -c "$jar" -b "$jar" "$authorize")
request_id=$(sed -n 's/.*name="authorization_request" value="\([^"]*\)".*/\1/p;T;q' <<<"$picker")
action=$(sed -n 's/.*<form method="post" action="\([^"]*\)".*/\1/;T;s/&amp;/\&/g;p;q' <<<"$picker")
[ -n "$request_id" ] && [ -n "$action" ] || die "the sandbox's authorize page has no account picker"
# The form posts to an absolute URL, a path on the sandbox's origin (the app mounts it under /_sandbox/github), or
# a path relative to the page.
origin=$(sed -E 's#^([a-z]+://[^/]+).*#\1#' <<<"$authorize")
page_url=${authorize%%\?*}
case $action in http*) ;; /*) action="$origin$action" ;; *) action="${page_url%/*}/$action" ;; esac
callback=$(curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{redirect_url}' \
    --data "authorization_request=$request_id&user_id=1&decision=approve" "$action")
[ -n "$callback" ] || die "the sandbox did not redirect back with a code"
curl -s -c "$jar" -b "$jar" -o /dev/null "$callback"
session=$(awk '$6 == "newsroom-session" { print $7 }' "$jar")
[ -n "$session" ] || die "signing in set no newsroom-session cookie"
cookie="Cookie: newsroom-session=$session"

# Wait for the first fetch, then check the signed-in page really is the page (200 with the headline).
status="" page=""
for _ in $(seq 300); do
    page=$(curl -s -H "$cookie" -w '\n%{http_code}' "$base/news/bbc" || true)
    status=${page##*$'\n'}
    [ "$status" = 200 ] && grep -q 'class="lead"' <<<"$page" && break
    sleep 0.1
done
[ "$status" = 200 ] || die "signed-in /news/bbc answered $status, not 200"
grep -q 'class="lead"' <<<"$page" || die "/news/bbc has no headline after 30 s (first fetch failed? see the server log)"
headline=$(sed -n 's/.*id="lead-title">\(<a [^>]*>\)\{0,1\}\([^<]*\).*/\2/;T;s/&#39;/'"'"'/g;s/&quot;/"/g;s/&amp;/\&/g;p;q' <<<"$page")
echo "signed in as octocat; /news/bbc: 200, headline: $headline"

# wrk's latency figures come with units (us, ms, s); print them in milliseconds.
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) ; else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'; }
run_wrk() {
    local out
    out=$(wrk -t2 -c32 -d"$duration" --latency "$@")
    local rps p99 errors
    rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
    p99=$(awk '$1 == "99%" { print $2 }' <<<"$out")
    errors=$(awk '/Non-2xx or 3xx responses:/ { print $5 }' <<<"$out")
    echo "${rps:-0} $(to_ms "${p99:-0}") ${errors:-0}"
}
read -r health_rps health_p99 health_bad <<<"$(run_wrk "$base/healthz")"
read -r news_rps news_p99 news_bad <<<"$(run_wrk -H "$cookie" "$base/news/bbc")"

echo
echo "wrk -t2 -c32 -d$duration --latency (server and wrk share this machine's $(nproc) cores)"
printf '%-24s %12s %10s %10s\n' "route" "requests/s" "p99 ms" "non-2xx"
printf '%-24s %12s %10s %10s\n' "/healthz" "$health_rps" "$health_p99" "$health_bad"
printf '%-24s %12s %10s %10s\n' "/news/bbc (signed in)" "$news_rps" "$news_p99" "$news_bad"
ratio=n/a
awk "BEGIN { exit !($health_rps > 0) }" && ratio=$(calc '%.2f' "$news_rps / $health_rps")
echo "news / healthz requests/s: $ratio   (target: at least 0.5; /news/bbc p99 target: under 10 ms)"
}

[ "$only" = pages ] || parse_bench
[ "$only" = parse ] || page_bench
