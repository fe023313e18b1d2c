# A thin wrapper around Meson. `make run` serves kring with demo content on
# http://localhost:8080; `make test` builds with sanitizers and runs every test;
# `make fuzz` runs each fuzz harness (tests/fuzz) for FUZZ_SECONDS.

BUILD      ?= build
TEST_BUILD ?= build-test
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZERS    ?=
DB         ?= data/kring.db
PORT       ?= 8080

.PHONY: all run test deps test-deps build-test fuzz fuzz-deps bench bench-deps clean

all: $(BUILD)/kring

deps:
	@scripts/install-deps.sh

test-deps:
	@scripts/install-deps.sh --test

fuzz-deps:
	@scripts/install-deps.sh --fuzz

bench-deps:
	@scripts/install-deps.sh --bench

# The embedded files are listed when Meson configures, so a new template,
# asset, migration or catalog makes the build configure again.
EMBEDDED := $(wildcard templates/*.html templates/*/*.html static/* migrations/*/*.sql i18n/*.po demo/*.jsonl)

$(BUILD)/build.ninja: $(EMBEDDED)
	@if [ -f $@ ]; then meson setup --reconfigure $(BUILD); \
	else meson setup $(BUILD) --buildtype=release; fi

$(BUILD)/kring: deps $(BUILD)/build.ninja FORCE
	ninja -C $(BUILD) kring

$(TEST_BUILD)/build.ninja: $(EMBEDDED)
	@if [ -f $@ ]; then meson setup --reconfigure $(TEST_BUILD); \
	else meson setup $(TEST_BUILD) -Dtests=true -Db_sanitize=address,undefined -Db_lundef=false; fi

build-test: test-deps $(TEST_BUILD)/build.ninja FORCE
	ninja -C $(TEST_BUILD)

run: $(BUILD)/kring
	@test -f $(DB) || $(BUILD)/kring init --demo --db $(DB)
	$(BUILD)/kring serve --db $(DB) --port $(PORT)

test: build-test
	@tests/run.sh $(TEST_BUILD)

# libFuzzer needs clang. FUZZERS="router json" runs only those harnesses.
$(FUZZ_BUILD)/build.ninja: $(EMBEDDED)
	@if [ -f $@ ]; then meson setup --reconfigure $(FUZZ_BUILD); \
	else CC=clang meson setup $(FUZZ_BUILD) -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false; fi

fuzz: fuzz-deps $(FUZZ_BUILD)/build.ninja FORCE
	ninja -C $(FUZZ_BUILD)
	@tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZERS)

# The release build against nginx serving the same pages (bench/README.md):
# prints a report and writes bench/results/DATE.md; fails only when something
# is broken. BENCH_QUICK=1 for a short run on the medium set only.
bench: bench-deps $(BUILD)/build.ninja FORCE
	ninja -C $(BUILD) kring kring-bench-gen
	@bench/run.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(TEST_BUILD) $(FUZZ_BUILD)

FORCE:
