# A thin wrapper around Meson. `make run` serves kring with demo content on
# http://localhost:8080; `make test` builds with sanitizers and runs every test.

BUILD      ?= build
TEST_BUILD ?= build-test
DB         ?= data/kring.db
PORT       ?= 8080

.PHONY: all run test deps test-deps build-test clean

all: $(BUILD)/kring

deps:
	@scripts/install-deps.sh

test-deps:
	@scripts/install-deps.sh --test

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

clean:
	rm -rf $(BUILD) $(TEST_BUILD)

FORCE:
