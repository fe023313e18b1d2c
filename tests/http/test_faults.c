/* test_faults: every write is one transaction. The server runs with
 * KRING_FAULT_INJECTION=1, and each write below is sent again and again
 * with its first, second, third … statement failing as a database error
 * (X-Kring-Fail-Statement), until it runs through. Every injected failure
 * must answer 500 and leave the database exactly as it was (a dump of all
 * its rows before and after, posting-limit counters and counts included);
 * the write that runs through must succeed. Two hosts leaving at once leave
 * the community with one of them. A write that cannot have the write lock
 * answers 503, and a read is served when what it writes on the side (the
 * last-seen time of a session or token) fails. */
#include "actors.h"
#include "harness.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The most statements one write below makes, and then some. */
#define MAX_STATEMENTS 120

/* The first line where two dumps differ, for the failure message. */
static const char *first_difference(const char *a, const char *b, char *out, size_t size)
{
	while (*a && *a == *b) {
		const char *na = strchr(a, '\n'), *nb = strchr(b, '\n');
		if (!na || !nb || na - a != nb - b || strncmp(a, b, (size_t)(na - a)) != 0)
			break;
		a = na + 1;
		b = nb + 1;
	}
	snprintf(out, size, "before: %.200s\nafter:  %.200s", a, b);
	return out;
}

/* The database still holds the rows of the dump before, taken before what
 * the failure message names was done. */
static void assert_rows_unchanged(const struct server *s, const char *before, const char *what)
{
	char *after = database_dump(s);
	if (strcmp(before, after) != 0) {
		char diff[600];
		fail_msg("%s changed the database:\n%s", what,
			 first_difference(before, harness_keep(after), diff, sizeof diff));
	}
	free(after);
}

struct write {
	struct actor *a;
	const char *path;
	const char *body;
	const char *content_type; /* NULL: JSON */
};

static struct response *send_write(const struct write *w, int fail_at)
{
	char fault[64];
	snprintf(fault, sizeof fault, "X-Kring-Fail-Statement: %d", fail_at);
	/* A signed-out visitor has no CSRF header: the list goes on after it. */
	const char *headers[] = {fault, "Accept: application/json", w->a->csrf_header, NULL};
	if (!w->content_type)
		return http_post_json(w->a->c, w->path, w->body, headers);
	return http_request(w->a->c, "POST", w->path, headers, w->body, strlen(w->body), w->content_type);
}

/* Waits (at most 15 s) until the jobs worker has nothing left to do, such
 * as the welcome mail of a sign-up: what it writes is not the write's. */
static void wait_for_jobs(const struct server *s)
{
	for (int waited = 0; waited < 15000; waited += 50) {
		const char *rows = sql_rows(s, "SELECT count(*) FROM jobs WHERE done_at IS NULL AND failed_at IS NULL");
		if (atoi(rows) == 0)
			return;
		usleep(50 * 1000);
	}
	fail_msg("the jobs worker did not finish its jobs");
}

/* Sends the write with each of its statements failing in turn; returns the
 * answer of the run that went through (a success). */
static struct response *each_statement_fails(const struct server *s, const struct write *w)
{
	wait_for_jobs(s);
	char *before = database_dump(s);
	for (int n = 1; n <= MAX_STATEMENTS; n++) {
		struct response *r = send_write(w, n);
		if (!response_header(r, "X-Kring-Fault")) {
			if (r->status >= 400)
				fail_msg("POST %s without a failure answered %ld: %s", w->path, r->status, r->body);
			free(before);
			return r;
		}
		if (r->status != 500)
			fail_msg("POST %s with statement %d failing answered %ld, not 500: %s", w->path, n,
				 r->status, r->body);
		response_free(r);
		char what[300];
		snprintf(what, sizeof what, "POST %s with statement %d failing", w->path, n);
		assert_rows_unchanged(s, before, what);
	}
	fail_msg("POST %s makes more than %d statements", w->path, MAX_STATEMENTS);
	return NULL;
}

static int64_t write_id(const struct server *s, const struct write *w, const char *key)
{
	struct response *r = each_statement_fails(s, w);
	int64_t id = key ? jint(r, key) : 0;
	response_free(r);
	return id;
}

static void write_ok(const struct server *s, const struct write *w)
{
	write_id(s, w, NULL);
}

/* The rows whose stored counts differ from what they count (none). */
#define COUNTS_ADRIFT                                                                                          \
	"SELECT COUNT(*) FROM items i WHERE answer_count <> (SELECT COUNT(*) FROM items a WHERE a.parent_id = i.id" \
	" AND a.kind = 'answer' AND a.deleted_at IS NULL) OR comment_count <> (SELECT COUNT(*) FROM comments c"    \
	" WHERE c.item_id = i.id AND c.deleted_at IS NULL) OR reaction_count <> (SELECT COUNT(*) FROM reactions r" \
	" WHERE r.item_id = i.id)"

static void assert_counts_hold(const struct server *s)
{
	assert_int_equal(atoi(sql_rows(s, COUNTS_ADRIFT)), 0);
}

#define BOUNDARY "faultsboundary7MA4YWxk"

static void writes_fail_whole(void **state)
{
	const struct server *s = *state;
	struct actor *admin = staff(s, "ada", "--admin");
	struct actor *alice = member(s, "alice"), *bob = member(s, "bob");
	make_community(admin, "garden", "Garden", "public", "open");
	bring_in(admin, "garden", alice);
	write_ok(s, &(struct write){admin, "/api/v1/c",
				   "{\"slug\": \"kitchen\", \"name\": \"Kitchen\", \"description\": \"Cooking.\","
				   " \"visibility\": \"public\", \"join_policy\": \"open\"}"});

	char path[256], body[1024];
	/* An item, then what is done with it. */
	int64_t q = write_id(s, &(struct write){alice, "/api/v1/c/garden/items",
				 "{\"kind\": \"question\", \"title\": \"How deep do carrots root?\","
				 " \"body\": \"Sandy soil, raised bed.\", \"tags\": [\"soil\", \"carrots\"]}"}, "id");
	assert_true(q > 0);
	write_ok(s, &(struct write){bob, "/api/v1/c/garden/join", "{}"});
	snprintf(path, sizeof path, "/api/v1/items/%lld/answers", (long long)q);
	int64_t answer = write_id(s, &(struct write){bob, path, "{\"body\": \"About 30 cm.\"}"}, "id");
	assert_true(answer > 0);
	snprintf(path, sizeof path, "/api/v1/items/%lld/comments", (long long)q);
	int64_t comment = write_id(s, &(struct write){bob, path, "{\"body\": \"Which variety?\"}"}, "id");
	snprintf(path, sizeof path, "/api/v1/comments/%lld/edit", (long long)comment);
	write_ok(s, &(struct write){bob, path, "{\"body\": \"Which variety, Nantes?\"}"});
	snprintf(path, sizeof path, "/api/v1/items/%lld/react", (long long)q);
	write_ok(s, &(struct write){bob, path, "{\"kind\": \"like\"}"});
	snprintf(path, sizeof path, "/api/v1/items/%lld/accept", (long long)q);
	snprintf(body, sizeof body, "{\"answer\": %lld}", (long long)answer);
	write_ok(s, &(struct write){alice, path, body});
	snprintf(path, sizeof path, "/api/v1/items/%lld/edit", (long long)q);
	write_ok(s, &(struct write){alice, path, "{\"title\": \"How deep do carrots root in sand?\","
					   " \"body\": \"Sandy soil, raised bed, 40 cm.\", \"tags\": [\"soil\"]}"});
	/* An expert in the question's tag verifies the answer. */
	struct actor *carol = member(s, "carol");
	write_ok(s, &(struct write){admin, "/api/v1/tags/soil/experts", "{\"handle\": \"carol\"}"});
	snprintf(path, sizeof path, "/api/v1/items/%lld/verify", (long long)answer);
	write_ok(s, &(struct write){carol, path, "{\"note\": \"Checked.\"}"});
	snprintf(path, sizeof path, "/api/v1/items/%lld/files", (long long)q);
	write_ok(s, &(struct write){alice, path,
				   "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"plan.txt\"\r\n"
				   "Content-Type: text/plain\r\n\r\nBeds one to four.\n\r\n--" BOUNDARY "--\r\n",
				   "multipart/form-data; boundary=" BOUNDARY});
	assert_counts_hold(s);

	/* Deleting, membership, profile, organisation. */
	int64_t gone = write_id(s, &(struct write){alice, "/api/v1/c/garden/items",
				    "{\"kind\": \"question\", \"title\": \"Frost dates?\", \"body\": \"\"}"}, "id");
	snprintf(path, sizeof path, "/api/v1/items/%lld/delete", (long long)gone);
	write_ok(s, &(struct write){alice, path, "{}"});
	write_ok(s, &(struct write){bob, "/api/v1/c/garden/leave", "{}"});
	write_ok(s, &(struct write){alice, "/api/v1/settings/profile",
				   "{\"name\": \"Alice Gardener\", \"bio\": \"Raised beds.\", \"languages\": [\"en\"],"
				   " \"expertise_practising\": [\"soil\"]}"});
	write_ok(s, &(struct write){admin, "/api/v1/orgs",
				   "{\"slug\": \"allotments\", \"name\": \"Allotments\", \"description\": \"\","
				   " \"website\": \"\"}"});
	write_ok(s, &(struct write){admin, "/api/v1/orgs/allotments/edit",
				   "{\"slug\": \"allotments\", \"name\": \"The Allotments\", \"description\": \"Plots.\","
				   " \"website\": \"\"}"});
	/* Asking in an open community joins it in the same write. */
	write_ok(s, &(struct write){bob, "/api/v1/ask",
				   "{\"community\": \"kitchen\", \"kind\": \"question\", \"title\": \"Pickling carrots?\","
				   " \"body\": \"Vinegar or brine?\"}"});
	/* Signing up; inviting, accepting and making a host. */
	write_ok(s, &(struct write){visitor(s), "/api/v1/signup",
				   "{\"handle\": \"dana\", \"name\": \"Dana\", \"email\": \"dana@example.org\","
				   " \"password\": \"" TEST_PASSWORD "\"}"});
	write_ok(s, &(struct write){admin, "/api/v1/c/kitchen/invite", "{\"handle\": \"carol\"}"});
	write_ok(s, &(struct write){carol, "/api/v1/c/kitchen/join", "{}"});
	write_ok(s, &(struct write){admin, "/api/v1/c/kitchen/members/carol/role", "{\"role\": \"host\"}"});
	/* A comment's reaction and its removal; an earlier version back; the
	 * community archived. */
	snprintf(path, sizeof path, "/api/v1/comments/%lld/react", (long long)comment);
	write_ok(s, &(struct write){alice, path, "{\"kind\": \"thanks\"}"});
	snprintf(path, sizeof path, "/api/v1/comments/%lld/delete", (long long)comment);
	write_ok(s, &(struct write){bob, path, "{}"});
	snprintf(path, sizeof path, "/api/v1/items/%lld/revisions/1/restore", (long long)q);
	write_ok(s, &(struct write){alice, path, "{}"});
	write_ok(s, &(struct write){admin, "/api/v1/c/kitchen/edit",
				   "{\"name\": \"The Kitchen\", \"description\": \"Cooking and keeping.\","
				   " \"visibility\": \"public\", \"join_policy\": \"open\", \"language\": \"en\"}"});
	/* A method, its use and a variation of it. */
	int64_t method = write_id(s, &(struct write){carol, "/api/v1/c/kitchen/items",
				      "{\"kind\": \"method\", \"title\": \"Taste round\", \"purpose\": \"Agree on a"
				      " recipe.\", \"duration\": 30, \"group_min\": 2, \"group_max\": 8,"
				      " \"steps\": \"Cook\\nTaste\\nVote\"}"}, "id");
	snprintf(path, sizeof path, "/api/v1/items/%lld/uses", (long long)method);
	write_ok(s, &(struct write){admin, path, "{\"note\": \"Worked well.\"}"});
	snprintf(path, sizeof path, "/api/v1/items/%lld/uses/delete", (long long)method);
	write_ok(s, &(struct write){admin, path, "{}"});
	snprintf(path, sizeof path, "/api/v1/items/%lld/variations", (long long)method);
	write_ok(s, &(struct write){admin, path, "{\"title\": \"Blind taste round\", \"body\": \"Cover the"
					       " labels.\"}"});
	/* A kind of event added and retired; an event, a sign-up and a
	 * message to those going. */
	write_ok(s, &(struct write){admin, "/api/v1/admin/event-types",
				   "{\"code\": \"harvest\", \"name_en\": \"Harvest\", \"name_sv\": \"Skörd\"}"});
	write_ok(s, &(struct write){admin, "/api/v1/admin/event-types/harvest", "{\"retired\": true}"});
	int64_t event = write_id(s, &(struct write){carol, "/api/v1/c/kitchen/items",
				     "{\"kind\": \"event\", \"title\": \"Pickling evening\", \"body\": \"Bring jars.\","
				     " \"event_type\": \"workshop\", \"starts_at\": \"2030-09-01T18:00\","
				     " \"ends_at\": \"2030-09-01T21:00\", \"location\": \"The kitchen\"}"}, "id");
	snprintf(path, sizeof path, "/api/v1/items/%lld/rsvp", (long long)event);
	write_ok(s, &(struct write){bob, path, "{\"answer\": \"going\"}"});
	snprintf(path, sizeof path, "/api/v1/items/%lld/message", (long long)event);
	write_ok(s, &(struct write){carol, path, "{\"subject\": \"Jars\", \"body\": \"Half a litre.\"}"});
	/* Tokens, site settings, a start page dismissed. */
	int64_t token = write_id(s, &(struct write){alice, "/api/v1/settings/tokens", "{\"name\": \"laptop\"}"}, "id");
	snprintf(path, sizeof path, "/api/v1/settings/tokens/%lld/revoke", (long long)token);
	write_ok(s, &(struct write){alice, path, "{}"});
	write_ok(s, &(struct write){admin, "/api/v1/admin/settings", "{\"community_creation\": \"members\"}"});
	write_ok(s, &(struct write){alice, "/api/v1/start/dismiss", "{}"});
	write_ok(s, &(struct write){admin, "/api/v1/tags/soil/experts/carol/revoke", "{}"});
	/* A report, and the moderator hiding what it reports and showing it
	 * again (each with its audit entry). */
	snprintf(path, sizeof path, "/api/v1/items/%lld/report", (long long)q);
	write_ok(s, &(struct write){bob, path, "{\"reason\": \"spam\"}"});
	snprintf(path, sizeof path, "/api/v1/moderation/item/%lld", (long long)q);
	write_ok(s, &(struct write){admin, path, "{\"action\": \"hide\", \"note\": \"Advertising\"}"});
	write_ok(s, &(struct write){admin, path, "{\"action\": \"unhide\"}"});
	write_ok(s, &(struct write){admin, "/api/v1/c/garden/archive", "{\"archived\": true}"});
	assert_counts_hold(s);
}

/* A circle's writes: the attendance of a session, and a closed case's
 * lessons published as a best practice. */
static void circle_writes_fail_whole(void **state)
{
	const struct server *s = *state;
	struct actor *admin = staff(s, "ada", "--admin");
	struct actor *alice = member(s, "alice"), *bob = member(s, "bob");
	make_community(admin, "garden", "Garden", "public", "open");
	bring_in(admin, "garden", bob);
	struct response *r = apost(alice, "/api/v1/c",
				   json_pack("{s:s, s:s, s:s, s:s, s:s}", "kind", "circle", "slug", "growers", "name",
					     "Growers", "description", "Peers.", "purpose", "Cases from the beds."));
	assert_status(r, 201);
	response_free(r);
	bring_in(alice, "growers", bob);
	int64_t session = new_item(alice, "event", "growers",
				   json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "kind", "event", "title",
					     "First session", "body", "A case.", "event_type", "meetup", "starts_at",
					     "2020-01-01T10:00", "ends_at", "2020-01-01T12:00", "timezone", "UTC",
					     "location", "The shed"));
	char path[128];
	snprintf(path, sizeof path, "/api/v1/items/%lld/attendance", (long long)session);
	write_ok(s, &(struct write){alice, path, "{\"present\": [\"alice\", \"bob\"]}"});
	assert_string_equal(sql_rows(s, "SELECT COUNT(*) FROM circle_attendance"), "2\n");

	int64_t c = new_item(bob, "case", "growers",
			     json_pack("{s:s, s:s, s:s, s:s}", "kind", "case", "title", "Slugs", "situation",
				       "Alice saw them eat the lettuce.", "question", "What would you do?"));
	const char *rounds[] = {"analysis", "advice", "reflection", "closed"};
	for (size_t i = 0; i < 4; i++) {
		r = item_post(alice, c, "round", json_pack("{s:s, s:s}", "round", rounds[i], "lessons", "Beer traps."));
		assert_status(r, 200);
		response_free(r);
	}
	snprintf(path, sizeof path, "/api/v1/items/%lld/publish-lessons", (long long)c);
	int64_t article = write_id(s, &(struct write){bob, path,
				       "{\"step\": \"publish\", \"community\": \"garden\", \"title\": \"Beer traps\","
				       " \"summary\": \"Against slugs.\", \"approach\": \"Set beer traps.\"}"}, "id");
	assert_true(article > 0);
	assert_counts_hold(s);
}

/* ---- two last hosts leaving at once ---------------------------------------------------------- */

struct leaving {
	struct actor *host;
	const char *path;
	long status;
};

static void *leave(void *arg)
{
	struct leaving *l = arg;
	struct response *r = http_post_json(l->host->c, l->path, "{}",
					    (const char *[]){l->host->csrf_header, NULL});
	l->status = r->status;
	response_free(r);
	return NULL;
}

static void two_hosts_leaving_keep_one(void **state)
{
	const struct server *s = *state;
	struct actor *admin = staff(s, "ada", "--admin");
	for (int round = 0; round < 20; round++) {
		char slug[32], path[64];
		snprintf(slug, sizeof slug, "pair%d", round);
		struct actor *first = member(s, slug);
		make_community(admin, slug, "Pair", "public", "open");
		bring_in(admin, slug, first);
		set_role(admin, slug, first->handle, "host");
		/* Two hosts: the admin who made it and the first member. */
		snprintf(path, sizeof path, "/api/v1/c/%s/leave", slug);
		struct leaving a = {admin, path, 0}, b = {first, path, 0};
		pthread_t ta, tb;
		assert_int_equal(pthread_create(&ta, NULL, leave, &a), 0);
		assert_int_equal(pthread_create(&tb, NULL, leave, &b), 0);
		pthread_join(ta, NULL);
		pthread_join(tb, NULL);
		if (!((a.status == 200 && b.status == 409) || (a.status == 409 && b.status == 200)))
			fail_msg("round %d: the two hosts leaving got %ld and %ld", round, a.status, b.status);
		struct response *r = aget(admin, "/api/v1/c/%s", slug);
		assert_int_equal(r->status, 200);
		assert_int_equal(jlen(r, "hosts"), 1);
		response_free(r);
	}
}

/* ---- the write lock held elsewhere ------------------------------------------------------------ */

/* A write that cannot have the write lock within the server's wait (another
 * process holds it) answers 503 with Retry-After, says the database is
 * busy, in JSON and in HTML, and writes nothing; once the lock is free the
 * same write goes through. A search whose index would catch up on a
 * renamed member first (in a transaction of its own) finds them as they
 * were indexed. */
static void busy_database_answers_503(void **state)
{
	const struct server *s = *state;
	struct actor *admin = staff(s, "ada", "--admin");
	run_sql(s, "UPDATE users SET name = 'Ada Pickler' WHERE handle = 'ada'");
	const char *const fields[] = {"slug", "kitchen", "name", "Kitchen", "description", "Cooking.",
				      "visibility", "public", "join_policy", "open", NULL};
	json_t *body = json_object();
	for (size_t i = 0; fields[i]; i += 2)
		json_object_set_new(body, fields[i], json_string(fields[i + 1]));
	char *before = harness_keep(database_dump(s));
	struct write_lock *lock = write_lock_hold(s);
	struct response *r = apost(admin, "/api/v1/c", body);
	assert_error(r, 503, "busy");
	assert_jstr(r, "error.message", "The database is busy. Try again shortly.");
	assert_header_equal(r, "Retry-After", "5");
	response_free(r);
	r = fpost(admin, "/c", fields);
	assert_status(r, 503);
	assert_header_contains(r, "Content-Type", "text/html");
	assert_body_contains(r, "The database is busy. Try again shortly.");
	assert_header_equal(r, "Retry-After", "5");
	response_free(r);
	r = http_get(visitor(s)->c, "/api/v1/people?q=ada", NULL);
	assert_status(r, 200);
	assert_true(list_has_str(r, "items", "handle", "ada"));
	response_free(r);
	write_lock_release(lock);
	assert_rows_unchanged(s, before, "a write refused as busy");
	r = fpost(admin, "/c", fields);
	assert_status(r, 303);
	response_free(r);
}

/* ---- what a read writes on the side ------------------------------------------------------------ */

/* GETs the member's /api/v1/me with each of its statements failing in
 * turn, the clock moved on before each so that the last-seen time of the
 * member's session or token (seen: the query that reads it) is due to be
 * written: when that write is the one that fails, the member still gets
 * the page and the time stays as it was; any other failure answers 500. */
static void read_with_each_statement_failing(const struct server *s, struct client *c, const char *handle,
					     const char *seen)
{
	int served = 0;
	for (int n = 1;; n++) {
		if (n > MAX_STATEMENTS)
			fail_msg("GET /api/v1/me makes more than %d statements", MAX_STATEMENTS);
		test_clock_advance(3600);
		const char *seen_before = sql_rows(s, seen);
		char fault[64];
		snprintf(fault, sizeof fault, "X-Kring-Fail-Statement: %d", n);
		struct response *r = http_get(c, "/api/v1/me", STRS(fault));
		if (!response_header(r, "X-Kring-Fault")) {
			assert_status(r, 200);
			assert_jstr(r, "handle", handle);
			response_free(r);
			break;
		}
		if (r->status == 200) {
			assert_jstr(r, "handle", handle);
			assert_string_equal(sql_rows(s, seen), seen_before);
			served++;
		} else if (r->status != 500) {
			fail_msg("GET /api/v1/me with statement %d failing answered %ld: %s", n, r->status, r->body);
		}
		response_free(r);
	}
	/* The write of the last-seen time, and nothing else. */
	assert_int_equal(served, 1);
}

static void reads_survive_failed_bookkeeping(void **state)
{
	const struct server *s = *state;
	struct actor *alice = member(s, "alice");
	read_with_each_statement_failing(s, alice->c, "alice", "SELECT id, last_seen_at FROM sessions ORDER BY id");

	struct response *r = apost(alice, "/api/v1/settings/tokens", json_pack("{s:s}", "name", "laptop"));
	assert_status(r, 201);
	struct client *api = client_new(s);
	client_set_bearer(api, response_jstr(r, "token"));
	response_free(r);
	read_with_each_statement_failing(s, api, "alice", "SELECT id, last_used_at FROM api_tokens ORDER BY id");
}

static int setup(void **state)
{
	setenv("KRING_FAULT_INJECTION", "1", 1);
	return server_setup(state);
}

static int clock_setup(void **state)
{
	setenv("KRING_FAULT_INJECTION", "1", 1);
	return clock_server_setup(state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(writes_fail_whole, setup, teardown_releasing),
		cmocka_unit_test_setup_teardown(circle_writes_fail_whole, setup, teardown_releasing),
		cmocka_unit_test_setup_teardown(two_hosts_leaving_keep_one, setup, teardown_releasing),
		cmocka_unit_test_setup_teardown(busy_database_answers_503, setup, teardown_releasing),
		cmocka_unit_test_setup_teardown(reads_survive_failed_bookkeeping, clock_setup, teardown_releasing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
