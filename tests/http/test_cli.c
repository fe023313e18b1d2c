/* Tests of the kring command itself: help, version, bad flags and their exit
 * codes, init, migrate, user add, and serve's refusals and timeouts. */
#include "harness.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static char tmpdir[256];

static int make_tmpdir(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/kring-cli-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
	(void)state;
	harness_release_all();
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

#define EXPECT(rc_expected, needle, out, rc) do { \
	if ((rc) != (rc_expected) || !strstr((out), (needle))) { \
		fprintf(stderr, "expected exit %d and \"%s\"; got exit %d:\n%s\n", \
			(rc_expected), (needle), (rc), (out)); \
		fail(); \
	} \
} while (0)

static void version_and_help(void **state)
{
	(void)state;
	char *out;
	int rc = kring_command(&out, tmpdir, NULL, NULL, "--version");
	EXPECT(0, "kring ", out, rc);
	rc = kring_command(&out, tmpdir, NULL, NULL, "--help");
	EXPECT(0, "usage: kring COMMAND", out, rc);
	const char *commands[] = {"serve", "init", "migrate", "user add"};
	for (size_t i = 0; i < 4; i++) {
		rc = kring_command(&out, tmpdir, NULL, NULL, "%s --help", commands[i]);
		char usage[64];
		snprintf(usage, sizeof(usage), "usage: kring %s", commands[i]);
		EXPECT(0, usage, out, rc);
		}
	rc = kring_command(&out, tmpdir, NULL, NULL, "%s", "");
	EXPECT(2, "usage: kring COMMAND", out, rc);
}

static void bad_flags_exit_2(void **state)
{
	(void)state;
	char *out;
	int rc = kring_command(&out, tmpdir, NULL, NULL, "frobnicate");
	EXPECT(2, "unknown command \"frobnicate\"", out, rc);
	rc = kring_command(&out, tmpdir, NULL, NULL, "serve --bogus");
	EXPECT(2, "unknown option \"--bogus\"", out, rc);
	rc = kring_command(&out, tmpdir, NULL, NULL, "serve --port abc");
	EXPECT(2, "--port must be a number from 0 to 65535, not \"abc\"", out, rc);
	rc = kring_command(&out, tmpdir, NULL, NULL, "serve --port 70000");
	EXPECT(2, "--port must be a number", out, rc);
	rc = kring_command(&out, tmpdir, NULL, NULL, "serve --db");
	EXPECT(2, "needs a value", out, rc);
	rc = kring_command(&out, tmpdir, NULL, NULL, "init --port 3");
	EXPECT(2, "option \"--port\" does not apply to this command", out, rc);
	rc = kring_command(&out, tmpdir, NULL, NULL, "serve extra");
	EXPECT(2, "unexpected argument \"extra\"", out, rc);
	/* Variables are checked like flags. */
	rc = kring_command(&out, tmpdir, NULL, "KRING_PORT=abc", "serve");
	EXPECT(2, "KRING_PORT must be a number", out, rc);
	rc = kring_command(&out, tmpdir, NULL, "KRING_MAX_BODY=12", "serve");
	EXPECT(2, "KRING_MAX_BODY must be a number from 1024", out, rc);
}

static void init_once(void **state)
{
	(void)state;
	char *out;
	int rc = kring_command(&out, tmpdir, NULL, NULL, "init --db site/kring.db");
	EXPECT(0, "handle:   admin", out, rc);
	assert_non_null(strstr(out, "applied migration 0001_core.sql"));
	assert_non_null(strstr(out, "password: "));
	/* A second init refuses and changes nothing. */
	rc = kring_command(&out, tmpdir, NULL, NULL, "init --db site/kring.db");
	EXPECT(1, "already has accounts", out, rc);
	/* KRING_DB names the database too. */
	rc = kring_command(&out, tmpdir, NULL, "KRING_DB=site/kring.db", "init");
	EXPECT(1, "already has accounts", out, rc);
}

static void migrate_explicitly(void **state)
{
	(void)state;
	char *out;
	int rc = kring_command(&out, tmpdir, NULL, NULL, "migrate --db m.db --status");
	EXPECT(0, "database version 0, this kring ", out, rc);
	rc = kring_command(&out, tmpdir, NULL, NULL, "migrate --db m.db");
	EXPECT(0, "applied migration 0001_core.sql", out, rc);
	rc = kring_command(&out, tmpdir, NULL, NULL, "migrate --db m.db");
	EXPECT(0, "the database is up to date", out, rc);
	assert_null(strstr(out, "applied migration"));
	rc = kring_command(&out, tmpdir, NULL, NULL, "migrate --db /nonexistent-dir/x/m.db");
	EXPECT(1, "cannot open the database", out, rc);
}

static void user_add(void **state)
{
	(void)state;
	char *out;
	int rc = kring_command(&out, tmpdir, NULL, NULL, "user add ada --db u.db");
	EXPECT(2, "--email is required", out, rc);
	rc = kring_command(&out, tmpdir, NULL, NULL, "user add --email a@example.org --db u.db");
	EXPECT(2, "give exactly one HANDLE", out, rc);
	rc = kring_command(&out, tmpdir, NULL, NULL, "user remove ada");
	EXPECT(2, "unknown user command", out, rc);
	rc = kring_command(&out, tmpdir, NULL, NULL, "user add 'Not Valid' --email a@example.org --db u.db");
	EXPECT(1, "handle", out, rc);
	rc = kring_command(&out, tmpdir, "short\n", NULL,
			   "user add ada --email ada@example.org --password-stdin --db u.db");
	EXPECT(1, "Use at least 10 characters.", out, rc);
	rc = kring_command(&out, tmpdir, "a long enough password\n", NULL,
			   "user add ada --email ada@example.org --name 'Ada L' --moderator --password-stdin --db u.db");
	EXPECT(0, "created ada (moderator)", out, rc);
	assert_null(strstr(out, "password:"));
	rc = kring_command(&out, tmpdir, NULL, NULL, "user add bea --email bea@example.org --db u.db");
	EXPECT(0, "password: ", out, rc);
	rc = kring_command(&out, tmpdir, NULL, NULL, "user add ada --email other@example.org --db u.db");
	EXPECT(1, "the handle ada is taken", out, rc);
	rc = kring_command(&out, tmpdir, NULL, NULL, "user add cem --email ADA@example.org --db u.db");
	EXPECT(1, "an account with ADA@example.org exists", out, rc);
}

static void write_file(const char *name, const char *text)
{
	char path[400];
	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void init_demo_and_import(void **state)
{
	(void)state;
	char *out;
	int rc = kring_command(&out, tmpdir, NULL, NULL, "init --demo --db demo.db");
	EXPECT(0, "Loaded the demo: 6 organisations, 24 people, 7 communities", out, rc);
	assert_non_null(strstr(out, "password kring-demo-2026"));

	/* A good file, then a file with a bad third line: its batch is not
	 * written and the line is named. */
	write_file("good.jsonl",
		   "{\"type\":\"org\",\"slug\":\"acme\",\"name\":\"Acme\"}\n"
		   "{\"type\":\"person\",\"handle\":\"ola\",\"name\":\"Ola\",\"email\":\"ola@example.org\",\"org\":\"acme\"}\n");
	rc = kring_command(&out, tmpdir, NULL, NULL, "import good.jsonl --db imp.db");
	EXPECT(0, "imported 2 lines: 1 organisations, 1 people", out, rc);
	write_file("bad.jsonl",
		   "{\"type\":\"org\",\"slug\":\"beta\",\"name\":\"Beta\"}\n"
		   "\n"
		   "{\"type\":\"person\",\"handle\":\"pia\",\"name\":\"Pia\",\"email\":\"pia@example.org\",\"org\":\"nowhere\"}\n");
	rc = kring_command(&out, tmpdir, NULL, NULL, "import bad.jsonl --db imp.db");
	EXPECT(1, "line 3: organisation \"nowhere\" is not defined above", out, rc);
	/* Beta, in the same batch as the bad line, was not written: importing
	 * it again works. */
	write_file("beta.jsonl", "{\"type\":\"org\",\"slug\":\"beta\",\"name\":\"Beta\"}\n{\"type\":\"org\"}\n");
	rc = kring_command(&out, tmpdir, NULL, NULL, "import beta.jsonl --db imp.db");
	EXPECT(1, "line 2: \"slug\" is missing", out, rc);
	write_file("broken.jsonl", "{\"type\":\"org\",\"slug\":\n");
	rc = kring_command(&out, tmpdir, NULL, NULL, "import broken.jsonl --db imp.db");
	EXPECT(1, "line 1: not a JSON object", out, rc);
	rc = kring_command(&out, tmpdir, NULL, NULL, "import missing.jsonl --db imp.db");
	EXPECT(1, "cannot read missing.jsonl", out, rc);
}

/* The row count migrate-data reported for a table, or -1. */
static long copied_rows(const char *out, const char *table)
{
	char needle[64];
	snprintf(needle, sizeof(needle), "copied %s ", table);
	const char *at = strstr(out, needle);
	return at ? strtol(at + strlen(needle), NULL, 10) : -1;
}

/* A community moves to another database (PostgreSQL in the PostgreSQL
 * pass) and works there; backups of SQLite are whole and never overwrite. */
/* The rows of the items table the demo makes: its item and answer lines. */
static long demo_items(void)
{
	char path[4096], line[65536];
	snprintf(path, sizeof(path), "%s/demo/demo.jsonl", getenv("KRING_SRC"));
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	long n = 0;
	while (fgets(line, sizeof(line), f))
		n += strstr(line, "\"type\": \"item\"") || strstr(line, "\"type\": \"answer\"");
	fclose(f);
	return n;
}

static void migrate_data_and_backup(void **state)
{
	(void)state;
	long items = demo_items();
	assert_true(items > 0);
	char *out;
	int rc = kring_command(&out, tmpdir, NULL, NULL, "init --demo --db moving.db");
	EXPECT(0, "Loaded the demo", out, rc);

	struct server target;
	assert_int_equal(server_prepare(&target), 0);
	rc = kring_command(&out, tmpdir, NULL, NULL, "migrate-data --from moving.db --to '%s'", target.db);
	EXPECT(0, "tables match", out, rc);
	assert_int_equal(copied_rows(out, "items"), items);
	assert_null(strstr(out, "DIFFERS"));
	rc = kring_command(&out, tmpdir, NULL, NULL, "migrate-data --from moving.db --to '%s'", target.db);
	EXPECT(1, "already holds data (table users has rows)", out, rc);
	rc = kring_command(&out, tmpdir, NULL, NULL, "migrate-data --from moving.db");
	EXPECT(2, "give both --from and --to", out, rc);

	/* The copy serves: demo members sign in with their passwords, and new
	 * rows get ids after the copied ones. */
	struct server moved;
	assert_int_equal(server_start_on(&moved, target.db), 0);
	assert_int_equal(server_wait_ready(&moved), 0);
	struct client *c = client_new(&moved);
	struct response *r = api_login(c, "anna", "kring-demo-2026");
	assert_status(r, 200);
	response_free(r);
	r = http_get(c, "/api/v1/questions", NULL);
	assert_status(r, 200);
	assert_true(json_array_size(json_path(r->json, "items")) > 0);
	response_free(r);
	assert_true(api_signup(c, "newcomer", TEST_PASSWORD) > 24);
	client_free(c);
	assert_int_equal(server_stop(&moved, 10), 0);
	server_cleanup(&moved);
	assert_int_equal(server_cleanup(&target), 0);

	rc = kring_command(&out, tmpdir, NULL, NULL, "backup copy.db --db moving.db");
	EXPECT(0, "backed up moving.db to copy.db", out, rc);
	rc = kring_command(&out, tmpdir, NULL, NULL, "backup copy.db --db moving.db");
	EXPECT(1, "copy.db exists", out, rc);
	rc = kring_command(&out, tmpdir, NULL, NULL, "backup x.dump --db postgres://kring@127.0.0.1:1/kring");
	EXPECT(1, "pg_dump", out, rc);
	rc = kring_command(&out, tmpdir, NULL, NULL, "backup /nonexistent-dir/copy.db --db moving.db");
	EXPECT(1, "no backup made", out, rc);
	/* The backup holds the whole community. */
	rc = kring_command(&out, tmpdir, NULL, NULL, "migrate-data --from copy.db --to restored.db");
	EXPECT(0, "tables match", out, rc);
	assert_int_equal(copied_rows(out, "items"), items);
	assert_int_equal(copied_rows(out, "users"), 25);
}

/* The first page of a search as "id:rank …". */
static char *search_ranks(struct server *s, const char *q)
{
	struct client *c = client_new(s);
	char path[256];
	snprintf(path, sizeof(path), "/api/v1/search?q=%s", q);
	struct response *r = http_get(c, path, NULL);
	assert_status(r, 200);
	size_t cap = 1024, len = 0, i;
	char *list = calloc(1, cap);
	json_t *item;
	json_array_foreach(json_path(r->json, "items"), i, item)
		len += (size_t)snprintf(list + len, cap - len, "%lld:%lld ",
					(long long)json_integer_value(json_object_get(item, "id")),
					(long long)json_integer_value(json_object_get(item, "rank")));
	response_free(r);
	client_free(c);
	return list;
}

/* A community moved from SQLite to the backend under test ranks its search
 * results the same: BM25 with the same weights on both (search/bm25.h), at
 * the same clock. */
static void search_ranks_alike_after_moving(void **state)
{
	(void)state;
	char *out;
	int rc = kring_command(&out, tmpdir, NULL, NULL, "init --demo --db ranked.db");
	EXPECT(0, "Loaded the demo", out, rc);
	/* and posts with a word PostgreSQL's array text reads as NULL unquoted */
	write_file("null.jsonl",
		   "{\"type\": \"person\", \"handle\": \"ines\", \"name\": \"Ines Data\", \"email\": \"ines@example.org\"}\n"
		   "{\"type\": \"community\", \"slug\": \"data-team\", \"name\": \"Data team\", \"visibility\": \"public\","
		   " \"join_policy\": \"open\", \"language\": \"en\", \"hosts\": [\"ines\"]}\n"
		   "{\"type\": \"item\", \"ref\": \"n1\", \"kind\": \"question\", \"community\": \"data-team\", \"author\": \"ines\","
		   " \"language\": \"en\", \"title\": \"Null values in the export\", \"body\": \"The export writes null for empty"
		   " cells. Null or nothing?\"}\n"
		   "{\"type\": \"item\", \"ref\": \"n2\", \"kind\": \"question\", \"community\": \"data-team\", \"author\": \"ines\","
		   " \"language\": \"en\", \"title\": \"Exporting the member list\", \"body\": \"Which columns does the export"
		   " have? One of them is null.\"}\n");
	rc = kring_command(&out, tmpdir, NULL, NULL, "import null.jsonl --db ranked.db");
	EXPECT(0, "imported", out, rc);
	/* built whole, as migrate-data builds the copy's index: lists made at
	 * other times may hold other averages */
	rc = kring_command(&out, tmpdir, NULL, NULL, "reindex --db ranked.db");
	EXPECT(0, "indexed", out, rc);
	struct server target, source, moved;
	assert_int_equal(server_prepare(&target), 0);
	rc = kring_command(&out, tmpdir, NULL, NULL, "migrate-data --from ranked.db --to '%s'", target.db);
	EXPECT(0, "the search index is built", out, rc);

	char clock_path[300], source_db[300];
	snprintf(clock_path, sizeof(clock_path), "%s/clock", tmpdir);
	snprintf(source_db, sizeof(source_db), "%s/ranked.db", tmpdir);
	FILE *f = fopen(clock_path, "w");
	assert_non_null(f);
	fprintf(f, "%lld\n", (long long)time(NULL));
	fclose(f);
	setenv("KRING_CLOCK_FILE", clock_path, 1);
	assert_int_equal(server_start_on(&source, source_db), 0);
	assert_int_equal(server_start_on(&moved, target.db), 0);
	unsetenv("KRING_CLOCK_FILE");
	assert_int_equal(server_wait_ready(&source), 0);
	assert_int_equal(server_wait_ready(&moved), 0);
	/* The import counted its community's members, and the copy kept it. */
	for (struct server *on = &source; on; on = on == &source ? &moved : NULL) {
		struct client *c = client_new(on);
		struct response *r = http_get(c, "/api/v1/c/data-team", NULL);
		assert_status(r, 200);
		assert_int_equal(json_integer_value(json_path(r->json, "member_count")), 1);
		response_free(r);
		client_free(c);
	}
	static const char *const queries[] = {"workshop", "fika", "kommun", "onboarding+gemeenten", "%22lean+coffee%22",
					      "delning", "verksamhet+-fika", "data", "null+export", "%22null+values%22"};
	for (size_t q = 0; q < sizeof(queries) / sizeof(queries[0]); q++) {
		char *a = search_ranks(&source, queries[q]), *b = search_ranks(&moved, queries[q]);
		if (strcmp(a, b) != 0) {
			fprintf(stderr, "q=%s\n SQLite:  %s\n moved:   %s\n", queries[q], a, b);
			fail();
		}
		free(a);
		free(b);
	}
	char *some = search_ranks(&source, "workshop");
	assert_true(strlen(some) > 0);
	free(some);
	assert_int_equal(server_stop(&source, 10), 0);
	assert_int_equal(server_stop(&moved, 10), 0);
	server_cleanup(&source);
	server_cleanup(&moved);
	assert_int_equal(server_cleanup(&target), 0);
}

static void serve_refuses_a_port_in_use(void **state)
{
	struct server *s = *state;
	char *out;
	int rc = kring_command(&out, tmpdir, NULL, NULL, "serve --db other.db --port %d", s->port);
	EXPECT(1, "cannot listen", out, rc);
}

/* A client that sends half a request is cut off after the timeout. */
static void slow_client_is_cut_off(void **state)
{
	(void)state;
	setenv("KRING_TIMEOUT", "1", 1);
	struct server s;
	int started = server_start(&s);
	unsetenv("KRING_TIMEOUT");
	assert_int_equal(started, 0);

	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)s.port)};
	inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
	assert_int_equal(connect(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	const char *partial = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
	assert_int_equal(write(fd, partial, strlen(partial)), (ssize_t)strlen(partial));
	struct timeval limit = {.tv_sec = 8};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof(limit));
	char buf[256];
	struct timeval t0, t1;
	gettimeofday(&t0, NULL);
	ssize_t n = read(fd, buf, sizeof(buf));
	gettimeofday(&t1, NULL);
	double waited = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_usec - t0.tv_usec) / 1e6;
	close(fd);
	/* The server closed the connection (EOF or reset), not our read limit. */
	if (!(n == 0 || (n < 0 && errno == ECONNRESET)) || waited >= 7.5) {
		fprintf(stderr, "read gave %zd (errno %d) after %.1f s\n", n, n < 0 ? errno : 0, waited);
		fail();
	}
	assert_int_equal(server_stop(&s, 10), 0);
	server_cleanup(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(version_and_help),
		cmocka_unit_test(bad_flags_exit_2),
		cmocka_unit_test(init_once),
		cmocka_unit_test(migrate_explicitly),
		cmocka_unit_test(user_add),
		cmocka_unit_test(init_demo_and_import),
		cmocka_unit_test(migrate_data_and_backup),
		cmocka_unit_test(search_ranks_alike_after_moving),
		cmocka_unit_test_setup_teardown(serve_refuses_a_port_in_use, server_setup, server_teardown),
		cmocka_unit_test(slow_client_is_cut_off),
	};
	return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}
