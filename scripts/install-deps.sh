#!/bin/sh
# Installs the Debian packages kring needs to build, run and test, when any is
# missing. Works as root; uses sudo otherwise. Quiet when nothing is missing.
set -e

packages="build-essential meson ninja-build pkg-config
libmicrohttpd-dev libjansson-dev libsqlite3-dev libpq-dev libsodium-dev
libmd4c-dev libmd4c-html0-dev libcurl4-openssl-dev libcmocka-dev libmagic-dev libstemmer-dev libutf8proc-dev"

# Only the test command needs these: the tests start their own PostgreSQL
# server (the package also creates the postgres user to run it as), nginx
# and an SMTP server (python3-aiosmtpd, run by Debian's python3), read the
# feeds and calendars with python3-feedparser and python3-icalendar, and set
# up a few rows the API cannot make (times in the past) with the sqlite3
# shell or psql.
if [ "$1" = "--test" ]; then
	packages="$packages chromium postgresql nginx sqlite3 python3 python3-aiosmtpd python3-feedparser python3-icalendar"
fi
# Only `make fuzz` needs these: libFuzzer comes with clang.
if [ "$1" = "--fuzz" ]; then
	packages="$packages clang libclang-rt-dev"
fi
# Only `make bench` needs these: the load generator, the static reference,
# callgrind, which counts instructions, and Python for the mixed workload's
# writer.
if [ "$1" = "--bench" ]; then
	packages="$packages wrk nginx valgrind python3"
fi

missing=""
for p in $packages; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
# Node.js may come from outside Debian with its own npm; add Debian's only when absent.
if [ "$1" = "--test" ] && ! command -v npm >/dev/null 2>&1; then
	missing="$missing nodejs npm"
fi
[ -z "$missing" ] && exit 0

echo "install-deps: installing$missing"
if [ "$(id -u)" -eq 0 ]; then
	sudo=""
else
	sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
