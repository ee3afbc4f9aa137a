# Sourced after bench-common.sh by the benches that measure signed-in pages (bench.sh, bench-postgres.sh): the catalog
# of real-feed fixtures, the sign-in through the sandbox, the wait for the first fetches, and wrk's figures. They read
# the caller's $work, $feeds_dir, $duration (each wrk run) and the measured server's $base and $port.

# wrk's latency figures come with units (us, ms, s); print them in milliseconds.
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) ; else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'; }
# "REQUESTS_PER_S P99_MS NON_2XX REQUESTS" from wrk's report on stdin.
wrk_figures() {
    awk '/^Requests\/sec:/ { rps = $2 } $1 == "99%" { p99 = $2 } /Non-2xx or 3xx responses:/ { bad = $5 }
         / requests in / { n = $1 } END { printf "%s %s %s %s\n", rps ? rps : 0, p99 ? p99 : "0", bad ? bad : 0, n ? n : 0 }' |
        { read -r rps p99 bad n; echo "$rps $(to_ms "$p99") $bad $n"; }
}
# The load every bench puts on a route, so the figures compare: issue 12's own measurement (2 threads, 16 connections).
# At 32 connections wrk and the server saturate the 2 cores they share, and p99 measures wrk's own queue.
wrk_load="-t2 -c16"
# One route under that load: wrk_figures' line.
run_wrk() { wrk $wrk_load -d"$duration" --latency "$@" | wrk_figures; }

# feeds.json with COUNT publications in DIR, its path in $catalog: the real-feed fixtures served as files, bbc and cnn
# first, then the fixtures in turn; every 50th (the 10th, 60th, …) points at a missing file, so some fetches fail, as
# in real life.
pages_catalog() {
    local count=$1 dir=$2 fixtures=(bbc-news-front-page.xml cnn-edition.rss npr-news.xml nytimes-homepage.xml japantimes-latest.xml) fixture file i
    mkdir -p "$dir/feeds"
    for fixture in "${fixtures[@]}"; do cp "$feeds_dir/$fixture" "$dir/feeds/$fixture"; done
    {
        echo '{"refreshMinutes": 15, "publications": ['
        echo "  {\"id\": \"bbc\", \"name\": \"BBC News\", \"url\": \"file://$dir/feeds/bbc-news-front-page.xml\"},"
        echo -n "  {\"id\": \"cnn\", \"name\": \"CNN\", \"url\": \"file://$dir/feeds/cnn-edition.rss\"}"
        for i in $(seq 3 "$count"); do
            fixture=${fixtures[$(( i % ${#fixtures[@]} ))]}
            file="$dir/feeds/$fixture"
            [ $(( i % 50 )) = 10 ] && file="$dir/feeds/missing-$i.xml"
            printf ',\n  {"id": "p%04d", "name": "%s %d", "url": "file://%s"}' "$i" "${fixture%%[-.]*}" "$i" "$file"
        done
        echo
        echo ']}'
    } >"$dir/feeds.json"
    catalog=$dir/feeds.json
}

# Sign in as octocat through the sandbox, the way a browser does; sets $cookie.
pages_sign_in() {
    local jar=$work/cookies-$port.txt authorize picker request_id action origin page_url callback session
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
}

# pages_wait_for_fetches LOG [LOG_NAME]: waits (up to 10 minutes) until no publication waits for its first fetch, then
# checks the signed-in /news/bbc shows its headline; sets $pages_headline and $pages_seconds (the seconds it waited).
# LOG, the server's log, is shown when the wait gives up; LOG_NAME (default LOG) is what a missing headline points at.
pages_wait_for_fetches() {
    local log=$1 log_name=${2:-$1} started page status
    started=$(date +%s)
    while :; do
        page=$(curl -s -H "$cookie" -w '\n%{http_code}' "$base/status" || true)
        status=${page##*$'\n'}
        [ "$status" = 200 ] && ! grep -q 'waiting for' <<<"$page" && break
        [ $(( $(date +%s) - started )) -lt 600 ] || { tail -20 "$log" >&2; die "publications still waiting for a first fetch after 10 minutes"; }
        sleep 0.5
    done
    page=$(curl -s -H "$cookie" -w '\n%{http_code}' "$base/news/bbc" || true)
    status=${page##*$'\n'}
    [ "$status" = 200 ] || die "signed-in /news/bbc answered $status, not 200"
    grep -q 'class="lead"' <<<"$page" || die "/news/bbc has no headline (first fetch failed? see $log_name)"
    pages_headline=$(sed -n 's/.*id="lead-title">\(<a [^>]*>\)\{0,1\}\([^<]*\).*/\2/;T;s/&#39;/'"'"'/g;s/&quot;/"/g;s/&amp;/\&/g;p;q' <<<"$page")
    pages_seconds=$(( $(date +%s) - started ))
}
