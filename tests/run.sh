#!/bin/sh
# Runs every test program of a test build and prints the totals:
#   tests/run.sh BUILD_DIR
# Unit and HTTP tests are cmocka programs; each browser test is a Node script
# (tests/browser/*.mjs but lib.mjs).
# Exits non-zero when anything failed.
set -u
build=${1:-build-test}
root=$(cd "$(dirname "$0")/.." && pwd)
export KRING_BIN="$root/$build/kring"
export KRING_SRC="$root"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

passed=0
failed=0
broken=""
log=$(mktemp)

for t in "$build"/tests/unit/test_* "$build"/tests/http/test_*; do
	[ -x "$t" ] || continue
	case "$t" in *.p) continue ;; esac
	"$t" >"$log" 2>&1
	rc=$?
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1 # crashed or a sanitizer stopped it
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	printf '%-40s %3d passed, %d failed\n' "${t#"$build"/}" "$p" "$f"
	if [ "$f" -ne 0 ]; then
		broken="$broken ${t#"$build"/}"
		sed 's/^/    /' "$log" | grep -v '^    \[ \(RUN\|       OK\) ' | tail -60
	fi
done

for js in "$root"/tests/browser/*.mjs; do
	[ -f "$js" ] || continue
	name=$(basename "$js" .mjs)
	[ "$name" = lib ] && continue # shared helpers, not a test
	if [ ! -d "$root/tests/browser/node_modules" ]; then
		(cd "$root/tests/browser" && npm ci --silent --no-audit --no-fund) || echo "npm ci failed"
	fi
	if (cd "$root/tests/browser" && node "$name.mjs") >"$log" 2>&1; then
		passed=$((passed + 1))
		printf '%-40s %3d passed, %d failed\n' "browser/$name" 1 0
	else
		failed=$((failed + 1))
		broken="$broken browser/$name"
		printf '%-40s %3d passed, %d failed\n' "browser/$name" 0 1
		sed 's/^/    /' "$log" | tail -40
	fi
done
rm -f "$log"

[ -n "$broken" ] && echo "failing:$broken"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
