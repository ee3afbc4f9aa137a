# Sourced after bench-common.sh by the refresh benches (bench-memory.sh, bench-postgres.sh): loopback feed servers
# with the real feeds' sizes, their catalog, and the measurement of a whole process. They read the caller's $work and
# $feeds_dir.

# feed_servers_start COUNT HOSTS [REQUEST_LOG]: the feeds, publication i the i-th fixture (round robin) at /pNNNN.xml
# on host i mod HOSTS, served from $work/www by HOSTS plain HTTP servers in one Python process. Its id is in
# $feed_servers_pid, for the caller to end at exit: keep it before feed_servers_catalog, which can fail. With
# REQUEST_LOG (emptied first), every request's path is appended to that file, one a line, so fetches can be counted.
feed_servers_start() {
    local count=$1 hosts=$2 request_log=${3:-} i
    mkdir -p "$work/www"
    shopt -s nullglob
    fixtures=("$feeds_dir"/*.xml "$feeds_dir"/*.rss)
    shopt -u nullglob
    for i in $(seq 0 $((count - 1))); do
        ln -s "${fixtures[$((i % ${#fixtures[@]}))]}" "$work/www/$(printf 'p%04d.xml' "$i")"
    done
    cat >"$work/feed_server.py" <<'EOF'
# $hosts plain HTTP servers on 127.0.0.1 serving one folder; prints their ports, one a line, then serves forever.
# With a log file (the third argument), every request's path is appended to it, one a line.
import functools, sys, threading, time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

root, hosts = sys.argv[1], int(sys.argv[2])
log = open(sys.argv[3], "a", buffering=1) if len(sys.argv) > 3 else None
lock = threading.Lock()

class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args): pass
    def log_request(self, code="-", size="-"):
        if log is not None:
            with lock: log.write(self.path + "\n")

class Server(ThreadingHTTPServer):
    request_queue_size = 128
    daemon_threads = True

for _ in range(hosts):
    server = Server(("127.0.0.1", 0), functools.partial(Quiet, directory=root))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(server.server_address[1], flush=True)
while True: time.sleep(3600)
EOF
    [ -z "$request_log" ] || : >"$request_log"
    python3 "$work/feed_server.py" "$work/www" "$hosts" ${request_log:+"$request_log"} >"$work/ports" 2>"$work/feed_server.log" &
    feed_servers_pid=$!
}

# feed_servers_catalog COUNT HOSTS: waits (up to 10 s) for the feed servers' ports, into $ports, then writes their
# catalog, $work/feeds.json. refreshMinutes 60: after its first fetch no feed is due again during the run, so a second
# request is a duplicate.
feed_servers_catalog() {
    local count=$1 hosts=$2 i sep
    for _ in $(seq 100); do [ "$(wc -l <"$work/ports")" -ge "$hosts" ] && break; sleep 0.1; done
    [ "$(wc -l <"$work/ports")" -ge "$hosts" ] || { cat "$work/feed_server.log" >&2; die "the feed servers did not start"; }
    mapfile -t ports <"$work/ports"
    {
        echo '{"refreshMinutes": 60, "publications": ['
        for i in $(seq 0 $((count - 1))); do
            sep=,; [ "$i" = $((count - 1)) ] && sep=
            printf '{"id": "p%04d", "url": "http://127.0.0.1:%s/p%04d.xml"}%s\n' "$i" "${ports[$((i % hosts))]}" "$i" "$sep"
        done
        echo ']}'
    } >"$work/feeds.json"
}

# measure LOG COMMAND ARGS…: runs the command to its end, its output into LOG; prints "SECONDS PEAK_KB EXIT": the wall
# time of the whole process and its peak RSS, from wait4's rusage.
measure() {
    [ -f "$work/measure.py" ] || cat >"$work/measure.py" <<'EOF'
import os, subprocess, sys, time
start = time.monotonic()
child = subprocess.Popen(sys.argv[2:], stdout=open(sys.argv[1], "w"), stderr=subprocess.STDOUT)
_, status, usage = os.wait4(child.pid, 0)
print(f"{time.monotonic() - start:.2f} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}")
EOF
    python3 "$work/measure.py" "$@"
}
