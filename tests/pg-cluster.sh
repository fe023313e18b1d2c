#!/bin/sh
# A throwaway PostgreSQL cluster for tests, listening on 127.0.0.1:
#   tests/pg-cluster.sh start DIR  creates a cluster in DIR (absent or empty),
#                                  starts it on a free port and prints its
#                                  base URL, postgres://postgres@127.0.0.1:PORT
#   tests/pg-cluster.sh pause DIR  stops its server, keeping the data
#   tests/pg-cluster.sh resume DIR starts it again on the same port
#   tests/pg-cluster.sh stop DIR   stops it and removes DIR (keeps DIR when
#                                  KRING_TEST_KEEP is set)
#   tests/pg-cluster.sh bindir     prints the directory of the PostgreSQL
#                                  programs (initdb, pg_ctl, psql)
# Every local connection is trusted, the superuser is postgres, the collation
# is C (byte order, as in SQLite) and durability is off: nothing in the
# cluster outlives the tests. initdb refuses to run as root, so as root the
# cluster runs as the postgres user (which the postgresql package creates),
# who then owns DIR.
# On failure it prints why (with the end of PostgreSQL's log) and exits 1.
set -eu

die() {
	echo "pg-cluster: $*" >&2
	exit 1
}

# pg_config belongs to libpq-dev and may name another version than the
# installed server, so each candidate must hold initdb.
find_bindir() {
	on_path=$(command -v initdb 2>/dev/null || true)
	for d in "$(pg_config --bindir 2>/dev/null || true)" \
		"$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)" \
		"${on_path%/initdb}"; do
		if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/psql" ]; then
			echo "$d"
			return
		fi
	done
	die "no PostgreSQL server programs (initdb, pg_ctl) found; install the postgresql package (make test-deps)"
}

# Runs a command as the cluster's owner.
as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# Starts the server of the cluster in $dir on port $1; the log goes on in
# $dir/postgres.log.
launch() {
	as_owner "$(find_bindir)/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 -s \
		-o "-c listen_addresses=127.0.0.1 -p $1 -k '$dir'" \
		-o "-c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
		-o "-c max_connections=300" \
		start >"$dir/pg_ctl.log" 2>&1
}

launch_failed() {
	cat "$dir/pg_ctl.log" >&2
	tail -n 20 "$dir/postgres.log" >&2 2>/dev/null || true
	die "PostgreSQL did not start"
}

start() {
	[ -z "$(ls -A "$dir")" ] || die "$dir is not empty"
	# The marker lets the other commands touch only what start made.
	: >"$dir/pg-cluster"
	bin=$(find_bindir)
	if [ "$(id -u)" -eq 0 ]; then
		id postgres >/dev/null 2>&1 ||
			die "running as root, and there is no postgres user to run PostgreSQL as; install the postgresql package (make test-deps)"
		chown postgres "$dir"
		as_owner test -w "$dir" ||
			die "the postgres user cannot write $dir (is a parent directory private? set TMPDIR)"
	fi
	if ! as_owner "$bin/initdb" -D "$dir/data" -A trust -U postgres \
		--encoding=UTF8 --locale=C >"$dir/initdb.log" 2>&1; then
		tail -n 20 "$dir/initdb.log" >&2
		die "initdb failed"
	fi
	# A random port below Linux's ephemeral range, so that clients' ports
	# rarely collide with it; another one when it is taken after all.
	tries=0
	while :; do
		port=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 12000))
		rm -f "$dir/postgres.log"
		launch "$port" && break
		tries=$((tries + 1))
		if [ "$tries" -ge 10 ] || ! grep -q "could not bind" "$dir/postgres.log" 2>/dev/null; then
			launch_failed
		fi
	done
	echo "$port" >"$dir/port"
	echo "postgres://postgres@127.0.0.1:$port"
}

pause() {
	as_owner "$(find_bindir)/pg_ctl" -D "$dir/data" -m fast -w -s stop
}

# The same port, as clients hold the URL.
resume() {
	launch "$(cat "$dir/port")" || launch_failed
}

stop() {
	status=0
	if [ -f "$dir/data/postmaster.pid" ]; then
		pause || status=1
	fi
	if [ -n "${KRING_TEST_KEEP:-}" ] && [ "$KRING_TEST_KEEP" != 0 ]; then
		echo "pg-cluster: keeping $dir" >&2
	else
		rm -rf "$dir"
	fi
	return "$status"
}

case "${1:-}" in
start | pause | resume | stop)
	[ $# -eq 2 ] || die "usage: $0 $1 DIR"
	[ "$1" != start ] || mkdir -p "$2"
	# absolute, for pg_ctl and the socket
	dir=$(cd "$2" 2>/dev/null && pwd) || die "no directory $2"
	[ "$1" = start ] || [ -f "$dir/pg-cluster" ] ||
		die "$2 is not a cluster made by pg-cluster.sh start"
	cd / # a working directory the postgres user can read
	"$1"
	;;
bindir) find_bindir ;;
*) die "usage: $0 start|pause|resume|stop DIR, or $0 bindir" ;;
esac
