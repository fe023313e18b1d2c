#!/bin/sh
# Runs every test program of a test build and prints the totals:
#   tests/run.sh BUILD_DIR
# Unit and HTTP tests are cmocka programs; each browser test is a Node script
# (tests/browser/*.mjs but lib.mjs). tests/pg-cluster.sh starts a PostgreSQL
# cluster in a temporary directory for the run; the unit tests get its URL in
# KRING_TEST_PG, and the HTTP programs run twice, on SQLite and then with
# KRING_TEST_PG on PostgreSQL. A cluster that cannot start counts as a failure.
# The scale-out programs (tests/scaleout) run once: they start their own.
# Exits non-zero when anything failed.
set -u
build=${1:-build-test}
root=$(cd "$(dirname "$0")/.." && pwd)
export KRING_BIN="$root/$build/kring"
export KRING_SRC="$root"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
unset KRING_TEST_PG # set below for the programs that use the cluster only

passed=0
failed=0
broken=""
summary=""
log=$(mktemp)
pgdir=""

cleanup() {
	[ -z "$pgdir" ] || "$root/tests/pg-cluster.sh" stop "$pgdir"
	rm -f "$log"
}
trap cleanup EXIT
# Exiting runs the EXIT trap, so an interrupted run stops its cluster too.
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# Counts a result: NAME PASSED FAILED.
count() {
	passed=$((passed + $2))
	failed=$((failed + $3))
	printf '%-40s %3d passed, %d failed\n' "$1" "$2" "$3"
	[ "$3" -eq 0 ] || broken="$broken${broken:+,} $1"
}

# The number cmocka's summary line "[TAG] N test(s)..." gives in the log.
tests_in() {
	sed -n "s/^\[$1\] \([0-9]*\) test.*/\1/p" "$log" | awk '{s+=$1} END {print s+0}'
}

# Runs a cmocka program, with VAR=VALUE settings before it:
# NAME [VAR=VALUE...] PROGRAM. Leaves its counts in p and f.
run_cmocka() {
	name=$1
	shift
	env "$@" >"$log" 2>&1
	rc=$?
	p=$(tests_in '  PASSED  ')
	# what ran and neither passed nor skipped, as a failed setup is not
	# among cmocka's "FAILED" tests
	f=$(($(tests_in '==========') - p - $(tests_in '  SKIPPED ')))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1 # crashed or a sanitizer stopped it
	fi
	count "$name" "$p" "$f"
	if [ "$f" -ne 0 ]; then
		sed 's/^/    /' "$log" | grep -v '^    \[ \(RUN\|       OK\) ' | tail -60
	fi
}

# Runs every HTTP program on one backend and adds its totals to the summary:
# BACKEND [VAR=VALUE...]
http_suite() {
	backend=$1
	shift
	start=$(date +%s)
	suite_passed=0
	suite_failed=0
	for t in "$build"/tests/http/test_*; do
		[ -x "$t" ] || continue
		case "$t" in *.p) continue ;; esac
		run_cmocka "http/${t##*/} [$backend]" "$@" "$t"
		suite_passed=$((suite_passed + p))
		suite_failed=$((suite_failed + f))
	done
	summary="$summary$backend: $suite_passed passed, $suite_failed failed in $(($(date +%s) - start)) s
"
}

# "$@" becomes the settings that point a program at the cluster; none when it
# did not start.
pgdir=$(mktemp -d "${TMPDIR:-/tmp}/kring-pg-XXXXXX")
if url=$("$root/tests/pg-cluster.sh" start "$pgdir" 2>"$log") &&
	bindir=$("$root/tests/pg-cluster.sh" bindir 2>"$log"); then
	set -- "KRING_TEST_PG=$url" "PATH=$bindir:$PATH" # the harness runs psql
else
	set --
	count "postgres cluster" 0 1
	echo "    PostgreSQL did not start, so the tests cannot use it:"
	sed 's/^/    /' "$log"
fi

for t in "$build"/tests/unit/test_*; do
	[ -x "$t" ] || continue
	case "$t" in *.p) continue ;; esac
	run_cmocka "unit/${t##*/}" "$@" "$t"
done

http_suite sqlite
if [ $# -gt 0 ]; then
	http_suite postgres "$@"
else
	summary="${summary}postgres: not run, PostgreSQL did not start
"
fi
# The scale-out test starts a cluster of its own, two nodes and nginx.
for t in "$build"/tests/scaleout/test_*; do
	[ -x "$t" ] || continue
	case "$t" in *.p) continue ;; esac
	start=$(date +%s)
	run_cmocka "scaleout/${t##*/}" "$@" "$t"
	summary="${summary}scale-out: $p passed, $f failed in $(($(date +%s) - start)) s
"
done
if ! "$root/tests/pg-cluster.sh" stop "$pgdir"; then
	count "postgres cluster stop" 0 1
fi
pgdir=""

for js in "$root"/tests/browser/*.mjs; do
	[ -f "$js" ] || continue
	name=$(basename "$js" .mjs)
	[ "$name" = lib ] && continue # shared helpers, not a test
	if [ ! -d "$root/tests/browser/node_modules" ]; then
		(cd "$root/tests/browser" && npm ci --silent --no-audit --no-fund) || echo "npm ci failed"
	fi
	if (cd "$root/tests/browser" && node "$name.mjs") >"$log" 2>&1; then
		count "browser/$name" 1 0
	else
		count "browser/$name" 0 1
		sed 's/^/    /' "$log" | tail -40
	fi
done

printf '%s' "$summary"
[ -n "$broken" ] && echo "failing:$broken"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
