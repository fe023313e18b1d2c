#!/bin/sh
# bench/run.sh BUILD_DIR — what `make bench` runs (bench/README.md).
#
# Generates the medium data set with kring-bench-gen, imports it into a fresh
# SQLite database (timed), serves it with the release kring and measures six
# pages with wrk at 1, 32 and 256 connections, each next to nginx serving the
# very same bytes as static files. Then it measures a few pages on the small
# and the large set, search latency on the medium and the large set, and
# the instructions a request takes (callgrind), and reads of 1,000 question
# pages while a member comments at 0, 10 and 50 writes a second (the mixed
# workload). It prints the report and writes it to
# bench/results/YYYY-MM-DD.md.
#
# It never fails because of the numbers; it fails when something is broken:
# a build or a tool is missing, a server does not start or dies, a page or a
# request answers other than 200, nginx does not serve the same bytes.
#
# BENCH_SECONDS=5       seconds of each wrk run on the medium set
# BENCH_SETS_SECONDS=3  seconds of each wrk run on the small and large sets
# BENCH_QUICK=1         medium set only, 2 s runs, report in bench/work/
# BENCH_BUDGET=900      seconds the whole run may take; a data set whose
#                       generation or import would not fit is left out
# BENCH_SEED=N          passed to kring-bench-gen as --seed N
# BENCH_KEEP=1          keep the scratch directory (data, logs, nginx)
set -eu

build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
case $build in /*) ;; *) build=$root/$build ;; esac

quick=${BENCH_QUICK:-}
if [ -n "$quick" ] && [ "$quick" != 0 ]; then quick=1; else quick=; fi
secs=${BENCH_SECONDS:-${quick:+2}}
secs=${secs:-5}
sets_secs=${BENCH_SETS_SECONDS:-3}
budget=${BENCH_BUDGET:-900}
seed=${BENCH_SEED:-}
keep=${BENCH_KEEP:-}
[ "$keep" = 0 ] && keep=
conns_list="1 32 256"
# The fixed points of kring-bench-gen's data (bench/README.md).
item=1
community=natverket
login=bench
password=bench-password-2026
# The mixed workload: the pages read, the rates of the writer, and the
# account (made for the run) that lifts the posting limits for it.
mixed_pages=1000
mixed_targets=10
mixed_rates="0 10 50"
admin_login=benchadmin
admin_password=bench-admin-password-2026

kring=$build/kring
gen=${BENCH_GEN_DEV:-$build/kring-bench-gen}
python=/usr/bin/python3

say() { printf 'bench: %s\n' "$*" >&2; }
die() {
	printf 'bench: FAILED: %s\n' "$*" >&2
	exit 1
}

# ---------------------------------------------------------------- checks

for f in "$kring" "$gen"; do
	[ -x "$f" ] || die "$f is missing; run it through make bench"
done
for c in wrk curl awk ss od timeout; do
	command -v "$c" >/dev/null 2>&1 || die "$c is missing (scripts/install-deps.sh --bench)"
done
[ -x "$python" ] || die "$python is missing (scripts/install-deps.sh --bench)"
nginx=$(command -v nginx 2>/dev/null || true)
[ -n "$nginx" ] || { [ -x /usr/sbin/nginx ] && nginx=/usr/sbin/nginx; } ||
	die "nginx is missing (scripts/install-deps.sh --bench)"
case $secs$sets_secs$budget in *[!0-9]*) die "BENCH_SECONDS, BENCH_SETS_SECONDS and BENCH_BUDGET are whole seconds" ;; esac
[ "$secs" -gt 0 ] && [ "$sets_secs" -gt 0 ] || die "BENCH_SECONDS and BENCH_SETS_SECONDS must be at least 1"
case $seed in *[!0-9]*) die "BENCH_SEED is a number" ;; esac

# The build must be an optimised one without sanitizers: Meson's options.
build_opt() {
	meson configure "$build" 2>/dev/null | awk -v k="$1" '$1 == k { print $2; exit }'
}
buildtype=$(build_opt buildtype)
optimization=$(build_opt optimization)
sanitize=$(build_opt b_sanitize)
[ "$sanitize" = none ] || die "$build is built with sanitizers ($sanitize); benchmark a release build"
case $optimization in 2 | 3) ;; *) die "$build is built with -O$optimization; benchmark a release build" ;; esac

# ---------------------------------------------------------------- scratch and cleanup

mkdir -p "$root/bench/work"
work=$(mktemp -d "$root/bench/work/run.XXXXXX")
chmod 755 "$work" # nginx's workers run as nobody when we are root
kring_pid=
nginx_pid=
writer_pid=

stop_pid() { # PID SIGNAL: signals it, waits up to 10 s, then kills it
	kill -"$2" "$1" 2>/dev/null || return 0
	n=0
	while kill -0 "$1" 2>/dev/null && [ $n -lt 100 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	kill -KILL "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}

cleanup() {
	[ -n "$writer_pid" ] && stop_pid "$writer_pid" TERM
	[ -n "$kring_pid" ] && stop_pid "$kring_pid" TERM
	[ -n "$nginx_pid" ] && stop_pid "$nginx_pid" QUIT
	kring_pid=
	nginx_pid=
	if [ -n "$keep" ]; then
		say "kept the scratch directory $work"
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- time

now() { date +%s%N; }
started=$(now)
deadline=$((started + budget * 1000000000))
elapsed_s() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }'; }
remaining_s() { echo $(((deadline - $(now)) / 1000000000)); }

# ---------------------------------------------------------------- data sets

# make_set NAME: generates and imports one set into $work/NAME.db and appends
# its line to $work/sets.tsv. Returns 1 when the budget did not allow it.
make_set() {
	name=$1
	left=$(remaining_s)
	if [ "$left" -lt 20 ]; then
		say "$name set left out: the time budget (BENCH_BUDGET=$budget s) is spent"
		echo "The $name set was left out: the time budget of $budget s was spent." >>"$work/notes"
		return 1
	fi
	say "generating the $name set"
	t0=$(now)
	st=0
	timeout "$left" "$gen" "$name" ${seed:+--seed "$seed"} >"$work/$name.jsonl" 2>"$work/$name.gen.log" || st=$?
	if [ $st -eq 124 ]; then
		say "$name set left out: generating it did not finish within the time budget"
		echo "The $name set was left out: generating it did not finish within the time budget of $budget s." >>"$work/notes"
		return 1
	fi
	[ $st -eq 0 ] || die "kring-bench-gen $name failed ($st): $(tail -n 5 "$work/$name.gen.log")"
	gen_s=$(elapsed_s "$t0")
	"$kring" migrate --db "$work/$name.db" >"$work/$name.migrate.log" 2>&1 ||
		die "kring migrate failed: $(tail -n 5 "$work/$name.migrate.log")"
	left=$(remaining_s)
	[ "$left" -gt 0 ] || left=1
	say "importing the $name set ($(wc -l <"$work/$name.jsonl") lines)"
	t0=$(now)
	st=0
	timeout "$left" "$kring" import "$work/$name.jsonl" --db "$work/$name.db" \
		>"$work/$name.import.out" 2>"$work/$name.import.log" || st=$?
	t1=$(now)
	if [ $st -eq 124 ]; then
		say "$name set left out: its import did not finish within the time budget"
		echo "The $name set was left out: its import did not finish within the time budget of $budget s." >>"$work/notes"
		return 1
	fi
	[ $st -eq 0 ] || die "kring import of the $name set failed ($st): $(tail -n 5 "$work/$name.import.log") $(cat "$work/$name.import.out")"
	# imported N lines: O organisations, P people, C communities, I items, A answers, M comments, R reactions
	summary=$(grep '^imported ' "$work/$name.import.out" | tail -n 1)
	[ -n "$summary" ] || die "kring import printed no summary: $(cat "$work/$name.import.out")"
	printf '%s\n' "$summary" | awk -v name="$name" -v t0="$t0" -v t1="$t1" -v gen_s="$gen_s" \
		-v jsonl="$(wc -c <"$work/$name.jsonl")" -v db="$(wc -c <"$work/$name.db")" '
		{
			for (i = 1; i <= NF; i++) {
				w = $i; sub(/,$/, "", w)
				if (w == "lines:") lines = $(i - 1)
				else if (w ~ /^(organisations|people|communities|items|answers|comments|reactions)$/) n[w] = $(i - 1)
			}
			s = (t1 - t0) / 1e9
			total = n["items"] + n["answers"] + n["comments"] + n["reactions"]
			if (lines == "" || total == 0) exit 1
			printf "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%.1f\t%.1f\t%.1f\t%.2f\t%d\t%d\n", name, lines,
				n["organisations"], n["people"], n["communities"], n["items"], n["answers"], n["comments"],
				n["reactions"], jsonl / 1048576, db / 1048576, gen_s, s, total, total / s
		}' >>"$work/sets.tsv" || die "cannot read kring import's summary: $summary"
	[ -n "$keep" ] || rm -f "$work/$name.jsonl" # up to 300 MB
	say "$(awk -F'\t' -v n="$name" '$1 == n { printf "%s: %d items+answers+comments+reactions in %.2f s = %d/s", n, $14, $13, $15 }' "$work/sets.tsv")"
}

# ---------------------------------------------------------------- kring

kring_wrap=
start_kring() { # DB [CACHE_MB]
	log=$work/kring.log
	: >"$log"
	db=$1
	cache_mb=${2:-}
	# Defaults for everything not given (threads: one per core; the page
	# cache), whatever KRING_* variables the environment has.
	set --
	for v in $(env | sed -n 's/^\(KRING_[A-Za-z0-9_]*\)=.*/\1/p'); do
		set -- "$@" -u "$v"
	done
	# kring_wrap: a program kring runs under (valgrind), which starts slower
	env "$@" $kring_wrap "$kring" serve --db "$db" --port 0 --bind 127.0.0.1 ${cache_mb:+--cache-mb "$cache_mb"} \
		${kring_wrap:+--threads 1} >>"$log" 2>&1 &
	kring_pid=$!
	n=0
	limit=$([ -n "$kring_wrap" ] && echo 1200 || echo 100)
	kring_port=
	while [ -z "$kring_port" ]; do
		kill -0 "$kring_pid" 2>/dev/null || die "kring serve stopped at start: $(tail -n 5 "$log")"
		[ $n -lt "$limit" ] || die "kring serve did not start in $((limit / 10)) s: $(tail -n 5 "$log")"
		sleep 0.1
		n=$((n + 1))
		kring_port=$(sed -n 's|^kring: listening on http://127\.0\.0\.1:\([0-9]*\) .*|\1|p' "$log" | head -n 1)
	done
	kring_threads=$(sed -n 's|^kring: listening on .*, \([0-9]*\) threads).*|\1|p' "$log" | head -n 1)
	kring_url=http://127.0.0.1:$kring_port
	curl -fsS -o /dev/null "$kring_url/healthz" || die "kring's /healthz does not answer 200"
}

stop_kring() {
	pid=$kring_pid
	kring_pid=
	kill -TERM "$pid" 2>/dev/null || die "kring serve died: $(kring_log_tail)"
	st=0
	wait "$pid" || st=$?
	[ $st -eq 0 ] || die "kring serve exited with $st on SIGTERM: $(kring_log_tail)"
}

# The end of kring's log without the request lines.
kring_log_tail() {
	grep -Ev '^[A-Z]+ /[^ ]* [0-9]{3} ' "$work/kring.log" | tail -n 5
}

kring_alive() {
	kill -0 "$kring_pid" 2>/dev/null && return 0
	st=0
	wait "$kring_pid" || st=$?
	kring_pid=
	die "kring serve died (exit status $st): $(kring_log_tail)"
}

# sign_in [LOGIN PASSWORD]: signs in (as bench when not given); sets $session.
sign_in() {
	who=${1:-$login}
	code=$(curl -sS -o "$work/login.json" -D "$work/login.headers" -w '%{http_code}' \
		-H 'Content-Type: application/json' \
		--data "{\"login\":\"$who\",\"password\":\"${2:-$password}\"}" "$kring_url/api/v1/login") ||
		die "signing in failed"
	[ "$code" = 200 ] || die "signing in as $who answered $code: $(cat "$work/login.json")"
	session=$(tr -d '\r' <"$work/login.headers" | sed -n 's/^[Ss]et-[Cc]ookie: kring_session=\([^;]*\).*/\1/p' | head -n 1)
	[ -n "$session" ] || die "signing in as $who set no kring_session cookie"
}

# session_csrf: the CSRF token of $session, from a page's globals.
session_csrf() {
	curl -sS -H "Cookie: kring_session=$session" "$kring_url/settings/tokens" |
		sed -n 's/.*<meta name="csrf-token" content="\([^"]*\)".*/\1/p' | head -n 1
}

# cache_counts: the page cache's hits and misses since kring started
# (/healthz), as "HITS MISSES".
cache_counts() {
	curl -fsS "$kring_url/healthz" | awk '{
		if (match($0, /"page_cache": *\{[^}]*\}/)) {
			pc = substr($0, RSTART, RLENGTH)
			if (match(pc, /"hits": *[0-9]+/)) { h = substr(pc, RSTART, RLENGTH); sub(/.*: */, "", h) }
			if (match(pc, /"misses": *[0-9]+/)) { m = substr(pc, RSTART, RLENGTH); sub(/.*: */, "", m) }
			if (h != "" && m != "") print h, m
		}
	}'
}

# fetch_page KEY PATH AUTH: fetches a page from kring, following a redirect to
# its canonical address, into $work/www/KEY; appends
# KEY PATH FINAL_PATH AUTH CONTENT_TYPE BYTES FIRST_MS CACHE to $work/pages.tsv.
fetch_page() {
	set -- "$1" "$2" "$3"
	if [ "$3" = 1 ]; then
		set -- "$@" -H "Cookie: kring_session=$session"
	fi
	key=$1
	path=$2
	auth=$3
	shift 3
	out=$(curl -sS -L -o "$work/www/$key" -D "$work/www/$key.headers" "$@" \
		-w '%{http_code}\t%{url_effective}\t%{content_type}\t%{size_download}\t%{time_total}' \
		"$kring_url$path") || die "fetching $path from kring failed"
	code=$(printf '%s' "$out" | cut -f 1)
	[ "$code" = 200 ] || die "kring answered $code for $path"
	final=$(printf '%s' "$out" | cut -f 2)
	final=${final#"$kring_url"}
	case $final in
	*[!A-Za-z0-9/_.~-]*) die "$path leads to $final, which the nginx configuration cannot name" ;;
	esac
	cache=$(tr -d '\r' <"$work/www/$key.headers" | sed -n 's/^[Xx]-[Kk]ring-[Cc]ache: *//p' | tail -n 1)
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$key" "$path" "$final" "$auth" \
		"$(printf '%s' "$out" | cut -f 3)" "$(printf '%s' "$out" | cut -f 4)" \
		"$(printf '%s' "$out" | awk -F'\t' '{ printf "%.2f", $5 * 1000 }')" "${cache:--}" >>"$work/pages.tsv"
}

# ---------------------------------------------------------------- nginx

start_nginx() {
	ngx=$work/nginx
	mkdir -p "$ngx"
	cores=$(nproc)
	tries=0
	while :; do
		tries=$((tries + 1))
		[ $tries -le 10 ] || die "nginx did not start: $(tail -n 5 "$ngx/error.log" "$ngx/stderr.log" 2>/dev/null)"
		nginx_port=$((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000))
		[ -z "$(ss -Hltn "sport = :$nginx_port")" ] || continue
		awk -F'\t' -v dir="$work" -v ngx="$ngx" -v port="$nginx_port" -v cores="$cores" '
			{ final[NR] = $3; key[NR] = $1; auth[NR] = $4; type[NR] = $5 }
			END {
				printf "worker_processes %d;\ndaemon off;\npid %s/nginx.pid;\nerror_log %s/error.log warn;\n", cores, ngx, ngx
				printf "events { worker_connections 4096; }\n"
				printf "http {\n  access_log off;\n  sendfile on;\n  tcp_nopush on;\n"
				printf "  keepalive_requests 10000000;\n  keepalive_timeout 75s;\n"
				printf "  types {}\n"
				split("client_body proxy fastcgi uwsgi scgi", t, " ")
				for (i = 1; i <= 5; i++) printf "  %s_temp_path %s/%s;\n", t[i], ngx, t[i]
				# One address may have a signed-out and a signed-in page (the
				# home page): the session cookie chooses the file. try_files,
				# since a path ending in / would be a directory to alias.
				for (i = 1; i <= NR; i++) {
					p = final[i]
					if (!(p in seen)) { seen[p] = ++paths; order[paths] = p }
					if (auth[i] == 1) member[p] = i; else visitor[p] = i
				}
				for (j = 1; j <= paths; j++) {
					p = order[j]
					if ((p in member) && (p in visitor)) {
						printf "  map $cookie_kring_session $page%d {\n    \"\" %s;\n    default %s;\n  }\n",
							j, key[visitor[p]], key[member[p]]
					}
				}
				printf "  open_file_cache max=100;\n  open_file_cache_valid 600s;\n"
				printf "  server {\n    listen 127.0.0.1:%d;\n    root %s/www;\n", port, dir
				for (j = 1; j <= paths; j++) {
					p = order[j]
					i = (p in visitor) ? visitor[p] : member[p]
					file = ((p in member) && (p in visitor)) ? sprintf("$page%d", j) : key[i]
					printf "    location = %s {\n      default_type \"%s\";\n      try_files /%s =404;\n    }\n", p, type[i], file
				}
				printf "    location / { return 404; }\n  }\n}\n"
			}' "$work/pages.tsv" >"$ngx/nginx.conf"
		: >"$ngx/error.log"
		"$nginx" -p "$ngx" -e "$ngx/error.log" -c "$ngx/nginx.conf" >"$ngx/stderr.log" 2>&1 &
		nginx_pid=$!
		nginx_url=http://127.0.0.1:$nginx_port
		n=0
		while kill -0 "$nginx_pid" 2>/dev/null && [ $n -lt 50 ]; do
			curl -s -o /dev/null "$nginx_url/" && return 0
			sleep 0.1
			n=$((n + 1))
		done
		stop_pid "$nginx_pid" QUIT
		nginx_pid=
		grep -q 'in use' "$ngx/error.log" || die "nginx did not start: $(tail -n 5 "$ngx/error.log")"
	done
}

# check_nginx: nginx serves every page with kring's bytes and Content-Type.
check_nginx() {
	while IFS='	' read -r key path final auth type bytes first cache <&3; do
		[ "$auth" = 1 ] && set -- -H "Cookie: kring_session=$session" || set --
		out=$(curl -sS -o "$work/nginx.body" "$@" -w '%{http_code}\t%{content_type}\t%{size_download}' \
			"$nginx_url$final") || die "fetching $final from nginx failed"
		[ "$(printf '%s' "$out" | cut -f 1)" = 200 ] || die "nginx answered $out for $final"
		[ "$(printf '%s' "$out" | cut -f 2)" = "$type" ] ||
			die "nginx serves $final as $(printf '%s' "$out" | cut -f 2), kring as $type"
		[ "$(printf '%s' "$out" | cut -f 3)" = "$bytes" ] && cmp -s "$work/nginx.body" "$work/www/$key" ||
			die "nginx serves $(printf '%s' "$out" | cut -f 3) bytes for $final ($key), kring $bytes"
	done 3<"$work/pages.tsv"
}

# ---------------------------------------------------------------- wrk

# run_wrk SERVER_URL PATH CONNS SECONDS AUTH [SCRIPT ARG]: one wrk run (with
# the Lua SCRIPT given ARG, when given); prints REQ/S P50_MS P99_MS REQUESTS
# SOCKET_ERRORS (tab-separated). Fails on responses other than 2xx/3xx.
run_wrk() {
	threads=2
	[ "$3" -lt $threads ] && threads=$3
	wout=$work/wrk.out
	url=$1$2
	conns=$3
	d=$4
	auth=$5
	script=${6:-}
	script_arg=${7:-}
	set --
	[ "$auth" = 1 ] && set -- -H "Cookie: kring_session=$session"
	if [ -n "$script" ]; then
		set -- "$@" -s "$script" "$url" -- "$script_arg"
	else
		set -- "$@" "$url"
	fi
	wrk -t"$threads" -c"$conns" -d"${d}s" --latency "$@" >"$wout" 2>&1 </dev/null ||
		die "wrk failed against $url: $(cat "$wout")"
	cat "$wout" >>"$work/wrk.log"
	awk -v url="$url" '
		function ms(v) {
			if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
			if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
			if (v ~ /m$/) return substr(v, 1, length(v) - 1) * 60000
			if (v ~ /h$/) return substr(v, 1, length(v) - 1) * 3600000
			if (v ~ /s$/) return substr(v, 1, length(v) - 1) * 1000
			return -1
		}
		$1 == "50%" { p50 = ms($2) }
		$1 == "99%" { p99 = ms($2) }
		$1 == "Requests/sec:" { rps = $2 }
		/ requests in / { n = $1 }
		/Non-2xx or 3xx responses:/ { bad = $NF }
		/Socket errors:/ { sub(/^ *Socket errors: */, ""); errors = $0 }
		END {
			if (bad > 0) { printf "bench: FAILED: %s: %d responses were not 2xx or 3xx\n", url, bad > "/dev/stderr"; exit 1 }
			if (n == 0 || p50 == "" || p99 == "" || rps == "" || p50 < 0 || p99 < 0) {
				printf "bench: FAILED: %s: wrk measured nothing\n", url > "/dev/stderr"; exit 1
			}
			printf "%s\t%.3f\t%.3f\t%d\t%s\n", rps, p50, p99, n, errors
		}' "$wout" || exit 1
}

# ---------------------------------------------------------------- the run

mixed_warmup=2
if [ -n "$quick" ]; then
	sets="medium"
	planned=$((6 * 3 * 2 * secs + 3 * secs + mixed_warmup + 4 * sets_secs))
else
	sets="medium small large"
	planned=$((6 * 3 * 2 * secs + 3 * secs + mixed_warmup + 2 * 2 * 3 * sets_secs + 2 * 4 * sets_secs))
fi
say "scratch directory $work; wrk will run for $planned s, plus generating and importing $sets (budget $budget s)"
: >"$work/notes"
: >"$work/sets.tsv"
mkdir -p "$work/www"
chmod 755 "$work/www"

# 1. The medium set: import, then every page against kring and nginx.
make_set medium || die "the medium set is needed; raise BENCH_BUDGET"
start_kring "$work/medium.db"
sign_in
: >"$work/pages.tsv"
fetch_page home / 0
fetch_page question /items/$item 0
fetch_page community /c/$community 0
fetch_page questions /questions 0
fetch_page question-json /api/v1/items/$item 0
fetch_page home-member / 1
chmod 644 "$work"/www/*
start_nginx
check_nginx
rss_start=$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$kring_pid/status")

label() {
	case $1 in
	home) echo "home, signed out" ;;
	question) echo "question" ;;
	community) echo "community" ;;
	questions) echo "questions list" ;;
	question-json) echo "question, JSON" ;;
	home-member) echo "home, signed in" ;;
	*) echo "$1" ;;
	esac
}

: >"$work/main.tsv"
while IFS='	' read -r key path final auth type bytes first cache <&3; do
	for c in $conns_list; do
		: >"$work/kring.log" # the request log of this run only
		k=$(run_wrk "$kring_url" "$final" "$c" "$secs" "$auth") || exit 1
		kring_alive
		g=$(run_wrk "$nginx_url" "$final" "$c" "$secs" "$auth") || exit 1
		kill -0 "$nginx_pid" 2>/dev/null || die "nginx died: $(tail -n 5 "$work/nginx/error.log")"
		printf '%s\t%s\t%s\t%s\t%s\n' "$key" "$final" "$c" "$k" "$g" |
			awk -F'\t' -v OFS='\t' -v label="$(label "$key")" '{
				ratio = $9 > 0 ? $4 / $9 : 0
				print label, $3, $4, $9, ratio, $5, $6, $10, $11, $8, $13
			}' >>"$work/main.tsv"
		tail -n 1 "$work/main.tsv" | awk -F'\t' '{
			printf "bench: %-17s %3d conn%s kring %8.0f req/s p99 %7.3f ms | nginx %8.0f req/s p99 %7.3f ms | %.2f\n",
				$1, $2, $2 == 1 ? ": " : "s:", $3, $7, $4, $9, $5 }' >&2
	done
done 3<"$work/pages.tsv"
kring_alive
rss_peak=$(awk '$1 == "VmHWM:" { print $2 }' "/proc/$kring_pid/status")
stop_pid "$nginx_pid" QUIT
nginx_pid=
stop_kring

# 1b. The mixed workload, on a copy of the medium set (the comments written
# would change the pages measured after it): wrk reads 1,000 question pages,
# each request the next in the list (bench/mixed.lua), while bench comments
# on other questions at a steady rate (bench/mixed.py). The page cache's
# hits and misses over each run come from /healthz. An admin made for the run
# lifts the posting limits (0: none), which a member at 50 a second meets.
: >"$work/mixed.tsv"
cp "$work/medium.db" "$work/mixed.db"
printf '%s\n' "$admin_password" | "$kring" user add "$admin_login" --email "$admin_login@example.org" --admin \
	--password-stdin --db "$work/mixed.db" >"$work/mixed.user.log" 2>&1 ||
	die "kring user add failed: $(tail -n 5 "$work/mixed.user.log")"
start_kring "$work/mixed.db"
sign_in "$admin_login" "$admin_password"
code=$(curl -sS -o "$work/settings.json" -w '%{http_code}' -H "Cookie: kring_session=$session" \
	-H "X-CSRF-Token: $(session_csrf)" -H 'Content-Type: application/json' \
	--data '{"comments_per_minute":"0","comments_per_hour":"0"}' "$kring_url/api/v1/admin/settings") ||
	die "changing the posting limits failed"
[ "$code" = 200 ] || die "changing the posting limits answered $code: $(head -c 300 "$work/settings.json")"
sign_in
csrf=$(session_csrf)
[ -n "$csrf" ] || die "no CSRF token on /settings/tokens for $login"
"$python" "$root/bench/mixed.py" pages "$kring_url" "$mixed_pages" "$work/mixed.paths" "$work/mixed.targets" \
	"$community" "$mixed_targets" || die "bench/mixed.py could not list the questions"
run_wrk "$kring_url" / 32 "$mixed_warmup" 0 "$root/bench/mixed.lua" "$work/mixed.paths" >/dev/null || exit 1
for rate in $mixed_rates; do
	before=$(cache_counts)
	[ -n "$before" ] || die "/healthz reports no page_cache counts"
	if [ "$rate" != 0 ]; then
		"$python" "$root/bench/mixed.py" write "$kring_url" "$rate" "$secs" "$work/mixed.targets" "$session" "$csrf" \
			>"$work/writer.out" 2>"$work/writer.log" &
		writer_pid=$!
	fi
	: >"$work/kring.log"
	k=$(run_wrk "$kring_url" / 32 "$secs" 0 "$root/bench/mixed.lua" "$work/mixed.paths") || exit 1
	written="0 $secs"
	if [ -n "$writer_pid" ]; then
		st=0
		wait "$writer_pid" || st=$?
		writer_pid=
		[ $st -eq 0 ] || die "the writer failed ($st): $(tail -n 5 "$work/writer.log")"
		written=$(cat "$work/writer.out")
	fi
	kring_alive
	after=$(cache_counts)
	printf '%s\t%s\t%s\t%s\t%s\n' "$rate" "$written" "$before" "$after" "$k" | awk -F'\t' -v OFS='\t' '{
		split($2, w, " "); split($3, b, " "); split($4, a, " ")
		hits = a[1] - b[1]; looked = hits + a[2] - b[2]
		printf "%s\t%.1f\t%s\t%.3f\t%.3f\t%.3f\n", $1, (w[2] > 0 ? w[1] / w[2] : 0), $5, $6, $7,
			(looked > 0 ? hits / looked : 0)
	}' >>"$work/mixed.tsv"
	tail -n 1 "$work/mixed.tsv" | awk -F'\t' '{
		printf "bench: mixed, %2d writes/s asked, %4.1f made: %8.0f reads/s, p99 %7.3f ms, page-cache hits %3.0f %%\n",
			$1, $2, $3, $5, $6 * 100 }' >&2
done
stop_kring

# 2. Small and large: the same pages on little and much data, kring only,
# as served (page cache on) and rendered from the database every time
# (--cache-mb 0).
: >"$work/scale.tsv"
if [ -z "$quick" ]; then
	for set in small large; do
		make_set "$set" || continue
		for cache in on off; do
			if [ $cache = on ]; then
				start_kring "$work/$set.db"
			else
				start_kring "$work/$set.db" 0
			fi
			for page in question:/items/$item community:/c/$community questions:/questions; do
				key=${page%%:*}
				path=${page#*:}
				out=$(curl -sS -L -o /dev/null -w '%{http_code}\t%{url_effective}\t%{time_total}' \
					"$kring_url$path") || die "fetching $path from kring failed"
				[ "$(printf '%s' "$out" | cut -f 1)" = 200 ] || die "kring answered $out for $path ($set set)"
				final=$(printf '%s' "$out" | cut -f 2)
				final=${final#"$kring_url"}
				first=$(printf '%s' "$out" | awk -F'\t' '{ printf "%.2f", $3 * 1000 }')
				: >"$work/kring.log"
				k=$(run_wrk "$kring_url" "$final" 32 "$sets_secs" 0) || exit 1
				kring_alive
				printf '%s\t%s\t%s\t%s\t%s\n' "$set" "$cache" "$(label "$key")" "$first" "$k" >>"$work/scale.tsv"
				say "$set, page cache $cache: $(label "$key"): $(printf '%s' "$k" |
					awk -F'\t' '{ printf "%.0f req/s, p50 %.3f ms, p99 %.3f ms", $1, $2, $3 }')"
			done
			stop_kring
		done
	done
fi

# 3. Search: one query of each kind, one connection at a time, rendered
# from the database every time (--cache-mb 0), on the medium and the large
# set. The words are ones kring-bench-gen writes.
: >"$work/search.tsv"
search_sets="medium"
[ -z "$quick" ] && search_sets="medium large"
for set in $search_sets; do
	[ -f "$work/$set.db" ] || continue
	start_kring "$work/$set.db" 0
	for query in "single word:workshop" "several words:buddy+system+managers" \
		"phrase:%22buddy+system%22" "part of a compound:utbyte"; do
		what=${query%%:*}
		path="/api/v1/search?q=${query#*:}"
		code=$(curl -sS -o "$work/search.json" -w '%{http_code}' "$kring_url$path") ||
			die "searching $path failed"
		[ "$code" = 200 ] || die "kring answered $code for $path ($set set)"
		hits=$(grep -o '"id":' "$work/search.json" | wc -l)
		: >"$work/kring.log"
		k=$(run_wrk "$kring_url" "$path" 1 "$sets_secs" 0) || exit 1
		kring_alive
		printf '%s\t%s\t%s\t%s\t%s\n' "$set" "$what" "${query#*:}" "$hits" "$k" >>"$work/search.tsv"
		say "$set, search, $what: $(printf '%s' "$k" | awk -F'\t' '{ printf "p50 %.3f ms, p99 %.3f ms", $2, $3 }')"
	done
	stop_kring
done

# 4. Instructions per request, which the machine's noise cannot change:
# kring under callgrind on the medium set, one thread, every request
# rendered (--cache-mb 0). Each page is fetched 5 times, callgrind's counts
# are dumped (and start again), then it is fetched 20 times and dumped: the
# second dump over 20 is one request, all threads included.
: >"$work/instructions.tsv"
if command -v valgrind >/dev/null && command -v callgrind_control >/dev/null; then
	mkdir -p "$work/callgrind"
	kring_wrap="valgrind --tool=callgrind --callgrind-out-file=$work/callgrind/out.%p"
	start_kring "$work/medium.db" 0
	kring_wrap=
	for page in question:/items/$item question-json:/api/v1/items/$item questions:/questions home:/; do
		key=${page%%:*}
		final=$(curl -sS -L -o /dev/null -w '%{url_effective}' "$kring_url${page#*:}") ||
			die "fetching ${page#*:} from kring failed"
		for i in 1 2 3 4 5; do curl -fsS -o /dev/null "$final" || die "fetching $final failed"; done
		callgrind_control -d "$kring_pid" >/dev/null || die "callgrind_control could not dump kring's counts"
		for i in $(seq 20); do curl -fsS -o /dev/null "$final" || die "fetching $final failed"; done
		callgrind_control -d "$kring_pid" >/dev/null || die "callgrind_control could not dump kring's counts"
		dump=$(ls -t "$work"/callgrind/out.* | head -n 1)
		total=$(sed -n 's/^summary: *\([0-9]*\).*/\1/p' "$dump" | head -n 1)
		[ -n "$total" ] || die "no instruction count in $dump"
		bytes=$(curl -sS -o /dev/null -w '%{size_download}' "$final")
		printf '%s\t%s\t%s\n' "$(label "$key")" "$((total / 20))" "$bytes" >>"$work/instructions.tsv"
		say "instructions per request: $(label "$key"): $((total / 20))"
		# Where the question page's instructions go: the functions that
		# take most of them, callees included, per request (a function
		# called from itself is counted once).
		if [ "$key" = question ] && command -v callgrind_annotate >/dev/null; then
			callgrind_annotate --threshold=100 --inclusive=yes "$dump" 2>/dev/null |
				sed -nE 's/^ *([0-9,]+) +\( *[0-9.]+%\) +(.*:)?([^ :]+) \[.*$/\1\t\3/p' |
				awk -F'\t' -v total="$total" -v OFS='\t' '
					$2 ~ /^0x|\x27|^\(below|^clone$|^start_thread$|^on_request$|^MHD_|^\?\?\?$/ { next }
					seen[$2]++ { next }
					{ n = $1; gsub(",", "", n)
					  printf "%s\t%d\t%.1f %%\n", $2, n / 20, 100 * n / total
					  if (++rows == 24) exit }' >"$work/question_profile.tsv"
		fi
	done
	stop_kring
else
	echo "Instructions per request were not measured: valgrind is not installed." >>"$work/notes"
fi

# ---------------------------------------------------------------- the report

# md_table: tab-separated lines, the first the header, as a Markdown table
# with padded columns; columns that hold numbers are right-aligned.
md_table() {
	awk -F'\t' '
		{ for (i = 1; i <= NF; i++) { cell[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i)
			if (NR > 1 && $i !~ /^[-0-9.,×%]+$/ && $i != "") text[i] = 1 }
		  if (NF > cols) cols = NF }
		function pad(n,  s) { s = ""; while (n-- > 0) s = s " "; return s }
		END {
			for (r = 1; r <= NR; r++) {
				line = "|"
				for (i = 1; i <= cols; i++) {
					v = cell[r, i]
					line = line " " (text[i] || r == 1 ? v pad(w[i] - length(v)) : pad(w[i] - length(v)) v) " |"
				}
				print line
				if (r == 1) {
					line = "|"
					for (i = 1; i <= cols; i++) {
						d = ""; for (k = 0; k < w[i]; k++) d = d "-"
						line = line (text[i] ? " " d " |" : " " substr(d, 2) ": |")
					}
					print line
				}
			}
		}'
}

date=$(date +%Y-%m-%d)
if [ -n "$quick" ]; then
	report=$root/bench/work/quick.md
else
	mkdir -p "$root/bench/results"
	report=$root/bench/results/$date.md
	n=2
	while [ -e "$report" ]; do
		report=$root/bench/results/$date-$n.md
		n=$((n + 1))
	done
fi

commit=$(git -C "$root" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
if [ -n "$(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
	commit="$commit (with uncommitted changes)"
fi
cpu=$(awk -F': *' '$1 ~ /^model name/ { print $2; exit }' /proc/cpuinfo)
cpu=${cpu:-unknown}
imp=$(awk -F'\t' '$1 == "medium" { print $15 }' "$work/sets.tsv")
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

# met/not met lines for the targets
targets() {
	awk -F'\t' -v r="$rss_peak" -v imp="$imp" '
		FILENAME ~ /main.tsv$/ {
			rows++; if ($5 >= 0.5) ok1++; else miss1 = miss1 sprintf("%s%s at %d (%.2f)", miss1 ? ", " : "", $1, $2, $5)
			if ($2 == 32) { rows2++; if ($7 <= 10) ok2++; else miss2 = miss2 sprintf("%s%s (%.2f ms)", miss2 ? ", " : "", $1, $7) }
			next
		}
		FILENAME ~ /scale.tsv$/ {
			k = $2 SUBSEP $3
			if ($1 == "small") { s50[k] = $6; s99[k] = $7; if ($2 == "on") order[++np] = $3 }
			else { l50[k] = $6; l99[k] = $7 }
			next
		}
		function scale(cache, what,  i, k, a, b, cmp, ok, res) {
			ok = 1; res = ""
			for (i = 1; i <= np; i++) {
				k = cache SUBSEP order[i]
				if (!(k in l50) || !(k in s50)) continue
				cmp++
				a = s50[k] > 0 ? l50[k] / s50[k] : 0; b = s99[k] > 0 ? l99[k] / s99[k] : 0
				if (a > 1.5 || b > 1.5) ok = 0
				res = res sprintf("%s%s p50 %.2f×, p99 %.2f×", res ? "; " : "", order[i], a, b)
			}
			if (cmp) printf "| large-set latency within 1.5× of small (p50 and p99, 32 connections, %s) | %s | %s |\n", what, res, status(ok)
			else printf "| large-set latency within 1.5× of small (%s) | not measured | not measured |\n", what
		}
		FILENAME ~ /search.tsv$/ {
			if ($1 == "large") {
				if (!ns++) sok = 1
				if ($6 > 5 || $7 > 25) sok = 0
				sres = sres sprintf("%s%s p50 %.2f ms, p99 %.2f ms", sres ? "; " : "", $2, $6, $7)
			}
			next
		}
		FILENAME ~ /instructions.tsv$/ {
			if ($1 == "question") qi = $2
			next
		}
		FILENAME ~ /mixed.tsv$/ {
			if ($1 == 0) mixed0 = $3
			made[$1] = $2; reads[$1] = $3; hit[$1] = $6
			next
		}
		function mixed(rate, least) {
			if (!(rate in reads) || mixed0 <= 0) {
				printf "| reads of 1,000 question pages at %d writes/s ≥ %.1f× the rate without writes | not measured | not measured |\n", rate, least
				return
			}
			printf "| reads of 1,000 question pages at %d writes/s ≥ %.1f× the rate without writes | %.2f× (%.0f of %.0f req/s; %.1f writes/s made, page-cache hits %.0f %%) | %s |\n",
				rate, least, reads[rate] / mixed0, reads[rate], mixed0, made[rate], hit[rate] * 100,
				status(reads[rate] / mixed0 >= least && made[rate] >= 0.9 * rate)
		}
		function status(ok) { return ok ? "met" : "**not met**" }
		END {
			printf "| target | result | status |\n|---|---|---|\n"
			printf "| hot read pages ≥ 50%% of nginx'"'"'s req/s | %d of %d page × connection runs%s | %s |\n",
				ok1, rows, miss1 ? "; below: " miss1 : "", status(ok1 == rows)
			printf "| p99 ≤ 10 ms at 32 connections | %d of %d pages%s | %s |\n",
				ok2, rows2, miss2 ? "; above: " miss2 : "", status(ok2 == rows2)
			printf "| peak RSS ≤ 64 MB at 256 connections (medium) | %.1f MB | %s |\n", r / 1024, status(r / 1024 <= 64)
			scale("on", "as served")
			scale("off", "page cache off")
			printf "| import ≥ 100,000 items/s (medium, with the search index) | %d items/s | %s |\n", imp, status(imp >= 100000)
			if (ns) printf "| search on the large set: p50 ≤ 5 ms, p99 ≤ 25 ms | %s | %s |\n", sres, status(sok)
			else printf "| search on the large set: p50 ≤ 5 ms, p99 ≤ 25 ms | not measured | not measured |\n"
			if (qi) printf "| uncached question page ≤ 2 M instructions per request | %.1f M | %s |\n", qi / 1e6, status(qi <= 2e6)
			else printf "| uncached question page ≤ 2 M instructions per request | not measured | not measured |\n"
			mixed(10, 0.7)
			mixed(50, 0.5)
		}' "$work/main.tsv" "$work/scale.tsv" "$work/search.tsv" "$work/instructions.tsv" "$work/mixed.tsv"
}

{
	echo "# kring benchmark, $date"
	echo
	echo "- Machine: $(nproc) cores, $cpu, $(uname -sr)"
	echo "- kring: commit $commit; build \`$(basename "$build")\` (buildtype $buildtype, -O$optimization, no sanitizers); \`kring serve\` with the default threads ($kring_threads)"
	echo "- Load: $(wrk -v 2>&1 | awk 'NR == 1 { print $1, $2 }'), on the same machine: \`wrk -t2 -c{1,32,256} -d${secs}s --latency\` (-t1 for one connection)"
	echo "- Reference: $("$nginx" -v 2>&1 | sed 's/.*version: //') serving each page's bytes as a static file with kring's Content-Type ($(nproc) workers, sendfile, no access log)"
	echo "- Took $(elapsed_s "$started") s$([ -n "$quick" ] && echo '; a quick run (BENCH_QUICK=1): medium set only')"
	echo
	echo "## Data sets"
	echo
	{
		printf 'set\tlines\torganisations\tpeople\tcommunities\titems\tanswers\tcomments\treactions\tJSONL MB\tdatabase MB\timport s\timported items/s\n'
		awk -F'\t' -v OFS='\t' '{ print $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $13, $15 }' "$work/sets.tsv"
	} | md_table
	echo
	echo "Imported items/s counts items, answers, comments and reactions (the last four numbers of"
	echo "\`kring import\`'s summary line) per second of \`kring import\` into a fresh, migrated SQLite"
	echo "database${seed:+; kring-bench-gen --seed $seed}."
	echo
	echo "## Pages (medium set)"
	echo
	{
		printf 'page\tasked\tbenchmarked\tbytes\tContent-Type\tfirst fetch ms\tcache\n'
		while IFS='	' read -r key path final auth type bytes first cache; do
			a=""
			[ "$auth" = 1 ] && a=" (signed in as $login)"
			printf '%s\t`%s`\t`%s`%s\t%s\t%s\t%s\t%s\n' "$(label "$key")" "$path" "$final" "$a" "$bytes" "$type" "$first" "$cache"
		done <"$work/pages.tsv"
	} | md_table
	echo
	echo "The first fetch is one curl request right after the server started (X-Kring-Cache tells"
	echo "whether kring's page cache had it); nginx serves the same bytes, checked with cmp."
	echo
	echo "## Requests per second and latency (medium set)"
	echo
	{
		printf 'page\tconns\tkring req/s\tnginx req/s\tratio\tkring p50 ms\tkring p99 ms\tnginx p50 ms\tnginx p99 ms\n'
		awk -F'\t' -v OFS='\t' '{ printf "%s\t%d\t%.0f\t%.0f\t%.2f\t%.3f\t%.3f\t%.3f\t%.3f\n", $1, $2, $3, $4, $5, $6, $7, $8, $9 }' "$work/main.tsv"
	} | md_table
	echo
	awk -F'\t' '$10 != "" || $11 != "" {
		if (!n++) print "wrk reported socket errors:\n"
		if ($10 != "") printf "- kring, %s, %d connections: %s\n", $1, $2, $10
		if ($11 != "") printf "- nginx, %s, %d connections: %s\n", $1, $2, $11
	} END { if (n) print "" }' "$work/main.tsv"
	echo "## Reads while a member writes (medium set, 32 connections, ${secs} s runs)"
	echo
	if [ -s "$work/mixed.tsv" ]; then
		echo "wrk reads the $mixed_pages newest question pages a visitor sees (\`/questions\`), each request the"
		echo "next in the list (\`bench/mixed.lua\`), as served (the page cache on, its default size), while"
		echo "\`$login\` comments on $mixed_targets other questions of \`$community\`, none of them read, at the rate"
		echo "asked (\`bench/mixed.py\`: up to 8 writes in flight, a write that cannot go out in time is left"
		echo "out). The hit rate is the share of the reads kring answered from its page cache (its"
		echo "\`/healthz\` counts before and after each run); the ratio is to the reads without writes."
		echo
		{
			printf 'writes/s asked\twrites/s made\treads req/s\tratio\tp50 ms\tp99 ms\tpage-cache hit rate\n'
			awk -F'\t' -v OFS='\t' '$1 == 0 { r0 = $3 }
				{ printf "%d\t%.1f\t%.0f\t%.2f\t%.3f\t%.3f\t%.0f%%\n", $1, $2, $3, (r0 > 0 ? $3 / r0 : 0), $4, $5, $6 * 100 }' \
				"$work/mixed.tsv"
		} | md_table
	else
		echo "Not measured."
	fi
	echo
	echo "## Memory"
	echo
	echo "kring's resident memory on the medium set: $(mb "$rss_start") MB after start and the first"
	echo "fetches, peak (VmHWM) $(mb "$rss_peak") MB after all runs up to 256 connections."
	echo
	echo "## Large set against small set (32 connections, ${sets_secs} s runs, kring only)"
	echo
	if [ -n "$quick" ]; then
		echo "Not measured in a quick run."
	elif [ -s "$work/scale.tsv" ]; then
		echo "Each page as served (page cache on, the default) and with \`--cache-mb 0\`, when every"
		echo "request renders the page from the database. The first fetch is one curl request right"
		echo "after the server started."
		echo
		{
			printf 'page\tpage cache\tset\tfirst fetch ms\treq/s\tp50 ms\tp99 ms\n'
			awk -F'\t' '!(($3, $2) in rows) { order[++n] = $3 SUBSEP $2 }
				{ rows[$3, $2] = rows[$3, $2] sprintf("%s\t%s\t%s\t%s\t%.0f\t%.3f\t%.3f\n", $3, $2, $1, $4, $5, $6, $7) }
				END { for (i = 1; i <= n; i++) printf "%s", rows[order[i]] }' "$work/scale.tsv"
		} | md_table
		echo
		{
			printf 'page\tpage cache\tp50 large/small\tp99 large/small\n'
			awk -F'\t' '$1 == "small" { s50[$3, $2] = $6; s99[$3, $2] = $7; o[++n] = $3 SUBSEP $2 }
				$1 == "large" { l50[$3, $2] = $6; l99[$3, $2] = $7 }
				END { for (i = 1; i <= n; i++) if (o[i] in l50) {
					split(o[i], k, SUBSEP)
					printf "%s\t%s\t%.2f\t%.2f\n", k[1], k[2], l50[o[i]] / s50[o[i]], l99[o[i]] / s99[o[i]] } }' "$work/scale.tsv"
		} | md_table
	else
		echo "Not measured."
	fi
	echo
	if [ -s "$work/notes" ]; then
		sed 's/^/- /' "$work/notes"
		echo
	fi
	echo "## Search (page cache off, one connection, ${sets_secs} s runs)"
	echo
	if [ -s "$work/search.tsv" ]; then
		{
			printf 'set\tquery\tq\tresults on the first page\treq/s\tp50 ms\tp99 ms\n'
			awk -F'\t' -v OFS='\t' '{ printf "%s\t%s\t`%s`\t%d\t%.0f\t%.3f\t%.3f\n", $1, $2, $3, $4, $5, $6, $7 }' "$work/search.tsv"
		} | md_table
	else
		echo "Not measured."
	fi
	echo
	echo "## Instructions per request (callgrind, page cache off, one thread)"
	echo
	if [ -s "$work/instructions.tsv" ]; then
		{
			printf 'page\tinstructions\tbytes\tinstructions per byte\n'
			awk -F'\t' -v OFS='\t' '{ printf "%s\t%d\t%d\t%.0f\n", $1, $2, $3, ($3 > 0 ? $2 / $3 : 0) }' \
				"$work/instructions.tsv"
		} | md_table
	else
		echo "Not measured."
	fi
	if [ -s "$work/question_profile.tsv" ]; then
		echo
		echo "Where the uncached question page's instructions go (callgrind, each function with"
		echo "what it calls, per request; the target's explanation when it is not met):"
		echo
		{
			printf 'function\tinstructions\tshare\n'
			cat "$work/question_profile.tsv"
		} | md_table
	fi
	echo
	echo "## Targets"
	echo
	targets
	echo
	echo "The numbers come from a shared machine where wrk, kring and nginx share the cores; they"
	echo "are a report, not a pass or fail."
} >"$work/report.md"

cp "$work/report.md" "$report"
echo
cat "$report"
echo
say "report written to ${report#"$root/"} in $(elapsed_s "$started") s"
