# Sourced by the bench scripts (set `bench_name` first): a scratch folder `$work` removed at exit together with
# the one background process the script started (`background_pid`), and the small helpers they share.
work=$(mktemp -d "${TMPDIR:-/tmp}/newsroom-$bench_name.XXXXXX")
background_pid=""
cleanup() {
    # Only the process this script started, by its id.
    if [ -n "$background_pid" ]; then kill "$background_pid" 2>/dev/null || true; wait "$background_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

die() { echo "$bench_name: $*" >&2; exit 1; }
section() { printf '\n== %s ==\n' "$1"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
