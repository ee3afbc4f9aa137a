# Sourced by the bench scripts (set `bench_name` first): a scratch folder `$work` removed at exit together with
# the one background process the script started (`background_pid`), and the small helpers they share. Beside it,
# bench-pages.sh (signed-in page speed) and bench-feeds.sh (loopback feed servers) serve the scripts that need them.
# The repo (this folder's parent), the package to build (BENCH_PACKAGE) and the real-feed fixtures (BENCH_FEEDS).
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
package=${BENCH_PACKAGE:-$repo}
feeds_dir=${BENCH_FEEDS:-$repo/Tests/Fixtures/real-feeds}
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
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# release_build PRODUCT…: builds them in release mode from $package; their folder in $bin. The build's own warnings are
# noise here; its log is shown only if it fails.
release_build() {
    local product
    section "release build"
    for product in "$@"; do
        swift build -c release --package-path "$package" --product "$product" >"$work/build.log" 2>&1 ||
            { cat "$work/build.log" >&2; die "release build of $product failed"; }
    done
    bin=$(swift build -c release --package-path "$package" --show-bin-path)
}
# $bin for the scripts that also run alone: BENCH_BIN (a folder holding a release `newsroom`), else a release build.
newsroom_bin() {
    if [ -n "${BENCH_BIN:-}" ]; then bin=$BENCH_BIN; else release_build newsroom; fi
    [ -x "$bin/newsroom" ] || die "no newsroom in $bin"
}
