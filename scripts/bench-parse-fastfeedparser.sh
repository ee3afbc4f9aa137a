#!/usr/bin/env bash
# Whole-process parse speed: `newsroom parse FILE --json` against Python's fastfeedparser printing the same feed as
# JSON, on one ~5 MB feed built from cnn-edition.rss. Both are timed from process start to exit (interpreter start-up,
# reading the file and writing JSON included), best of N runs. It only reports; a slow figure never fails.
#
# usage: bench-parse-fastfeedparser.sh BIN_DIR SOURCE_FEED [VENV]
#   BIN_DIR: release binaries (newsroom, ParseBench); SOURCE_FEED: the small feed to grow;
#   VENV: the bench's virtualenv under .build (fastfeedparser is installed into it when missing).
# Knobs: BENCH_FASTFEEDPARSER_MB (5), BENCH_FASTFEEDPARSER_RUNS (5).
set -euo pipefail

bin=${1:?usage: $0 BIN_DIR SOURCE_FEED [VENV]}
source_feed=${2:?usage: $0 BIN_DIR SOURCE_FEED [VENV]}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${3:-$repo/.build/bench-venv}
size_mb=${BENCH_FASTFEEDPARSER_MB:-5}
runs=${BENCH_FASTFEEDPARSER_RUNS:-5}

work=$(mktemp -d "${TMPDIR:-/tmp}/newsroom-ffp.XXXXXX")
trap 'rm -rf "$work"' EXIT
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
now_ns() { date +%s%N; }

printf '\n== whole-process parse to JSON: newsroom vs fastfeedparser (issue 10) ==\n'
ready() { [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import fastfeedparser' 2>/dev/null; }
if ! ready; then
    [ -x "$venv/bin/python" ] || python3 -m venv "$venv" >/dev/null 2>&1 || true
    [ -x "$venv/bin/pip" ] && "$venv/bin/pip" install -q --disable-pip-version-check fastfeedparser >/dev/null 2>&1 || true
fi
if ! ready; then
    echo "fastfeedparser unavailable (pip install fastfeedparser failed: is PyPI reachable?)"
    exit 0
fi

sample=$work/sample.rss
"$bin/ParseBench" --make-large "$source_feed" "$sample" --size-mb "$size_mb" >/dev/null
mb=$(calc '%.3f' "$(stat -c %s "$sample") / 1000000")

# Best wall-clock time of `runs` runs of a command whose output is discarded.
best_of() {
    local best="" start elapsed
    for _ in $(seq "$runs"); do
        start=$(now_ns)
        "$@" >/dev/null
        elapsed=$(calc '%.4f' "($(now_ns) - $start) / 1e9")
        if [ -z "$best" ] || awk "BEGIN { exit !($elapsed < $best) }"; then best=$elapsed; fi
    done
    echo "$best"
}

newsroom_s=$(best_of "$bin/newsroom" parse "$sample" --json)
ffp_s=$(best_of "$venv/bin/python" -c '
import sys, json, fastfeedparser
data = open(sys.argv[1], "rb").read()
print(json.dumps(fastfeedparser.parse(data), default=str))' "$sample")
newsroom_entries=$("$bin/newsroom" parse "$sample" --json | grep -o '"entries": \[' | wc -l)

printf '%-34s %10s %10s\n' "whole process (${mb} MB, best of $runs)" "seconds" "MB/s"
printf '%-34s %10s %10s\n' "newsroom parse --json" "$newsroom_s" "$(calc '%.1f' "$mb / $newsroom_s")"
printf '%-34s %10s %10s\n' "python fastfeedparser + json.dumps" "$ffp_s" "$(calc '%.1f' "$mb / $ffp_s")"
[ "$newsroom_entries" -ge 1 ] || echo "warning: newsroom printed no entries list"
echo "newsroom throughput / fastfeedparser throughput: $(calc '%.2f' "$ffp_s / $newsroom_s")x   (target: at least 1.5x, sanitization on)"
