/* test_events: every write records what happened (docs/events.md) in its
 * own transaction. Each route's write leaves exactly one event of its type,
 * naming who did it and what it happened to; a write rolled back by an
 * injected database failure leaves no event and queues no webhook; the
 * pages kept in the cache stay kept through a failed write and are made
 * anew after a committed one, with or without an event. */
#include "actors.h"
#include "receiver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- reading the events table ------------------------------------------------ */

static int64_t sql_int(const struct server *s, const char *sql)
{
	return atoll(sql_rows(s, sql));
}

static int64_t user_id(const struct server *s, const char *handle)
{
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT id FROM users WHERE handle = '%s'", handle);
	return sql_int(s, sql);
}

static int64_t community_id(const struct server *s, const char *slug)
{
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT id FROM communities WHERE slug = '%s'", slug);
	return sql_int(s, sql);
}

static int64_t event_count(const struct server *s)
{
	return sql_int(s, "SELECT COUNT(*) FROM events");
}

/* What a write must have recorded: one event, the newest. */
struct want {
	const char *type;
	int64_t actor, community, item, member, object;
};

/* The events since *seen (the count before the write) are exactly the one
 * wanted; moves *seen on. */
static void expect_event(const struct server *s, int64_t *seen, struct want w)
{
	int64_t now = event_count(s);
	if (now != *seen + 1)
		fail_msg("%s: %lld events recorded, not 1", w.type, (long long)(now - *seen));
	*seen = now;
	const char *got = sql_rows(s, "SELECT type, COALESCE(actor_id, 0), COALESCE(community_id, 0),"
				  " COALESCE(item_id, 0), COALESCE(member_id, 0), COALESCE(object_id, 0)"
				  " FROM events ORDER BY id DESC LIMIT 1");
	char want[256];
	snprintf(want, sizeof want, "%s|%lld|%lld|%lld|%lld|%lld\n", w.type, (long long)w.actor,
		 (long long)w.community, (long long)w.item, (long long)w.member, (long long)w.object);
	if (strcmp(got, want) != 0)
		fail_msg("the event recorded is %s not %s", got, want);
}

/* The newest event's payload, as stored (held until teardown). */
static const char *payload_of_latest(const struct server *s)
{
	return sql_rows(s, "SELECT payload FROM events ORDER BY id DESC LIMIT 1");
}

/* POSTs the JSON body (taken) to path and checks the status. */
static struct response *post_ok(struct actor *a, const char *path, json_t *body, long status)
{
	struct response *r = apost(a, path, body);
	assert_status(r, status);
	return r;
}

static void post(struct actor *a, const char *path, json_t *body, long status)
{
	response_free(post_ok(a, path, body, status));
}

static char *at(const char *fmt, long long id)
{
	static char path[8][256];
	static int next;
	char *p = path[next++ % 8];
	snprintf(p, sizeof path[0], fmt, id);
	return p;
}

#define BOUNDARY "eventsboundary9Qx2"

/* ---- every route ------------------------------------------------------------ */

static void every_write_records_its_event(void **state)
{
	const struct server *s = *state;
	struct actor *admin = staff(s, "ada", "--admin");
	struct actor *alice = member(s, "alice"), *bob = member(s, "bob"), *carol = member(s, "carol");
	int64_t ada_id = user_id(s, "ada"), alice_id = user_id(s, "alice"), bob_id = user_id(s, "bob"),
		carol_id = user_id(s, "carol");
	int64_t seen = event_count(s);

	/* Communities. */
	post(admin, "/api/v1/c", json_pack("{s:s, s:s, s:s, s:s, s:s}", "slug", "garden", "name", "Garden",
					   "description", "Growing.", "visibility", "public", "join_policy", "open"), 201);
	int64_t garden = community_id(s, "garden");
	expect_event(s, &seen, (struct want){"community.created", ada_id, garden, 0, 0, 0});
	post(admin, "/api/v1/c/garden/edit", json_pack("{s:s, s:s, s:s, s:s, s:s}", "name", "The Garden",
						       "description", "Growing food.", "visibility", "public",
						       "join_policy", "open", "language", "en"), 200);
	expect_event(s, &seen, (struct want){"community.edited", ada_id, garden, 0, 0, 0});

	/* Membership: join, leave, ask to join, approved, declined, invited,
	 * role, removed. */
	post(alice, "/api/v1/c/garden/join", json_object(), 200);
	expect_event(s, &seen, (struct want){"member.joined", alice_id, garden, 0, alice_id, 0});
	post(bob, "/api/v1/c/garden/join", json_object(), 200);
	expect_event(s, &seen, (struct want){"member.joined", bob_id, garden, 0, bob_id, 0});
	post(bob, "/api/v1/c/garden/leave", json_object(), 200);
	expect_event(s, &seen, (struct want){"member.left", bob_id, garden, 0, bob_id, 0});
	/* Leaving what one is not in changes nothing and records nothing. */
	post(bob, "/api/v1/c/garden/leave", json_object(), 200);
	assert_int_equal(event_count(s), seen);
	post(bob, "/api/v1/c/garden/join", json_object(), 200);
	expect_event(s, &seen, (struct want){"member.joined", bob_id, garden, 0, bob_id, 0});

	make_community(admin, "shed", "Shed", "members", "request");
	int64_t shed = community_id(s, "shed");
	seen = event_count(s);
	post(alice, "/api/v1/c/shed/join", json_object(), 200);
	expect_event(s, &seen, (struct want){"member.requested", alice_id, shed, 0, alice_id, 0});
	post(admin, "/api/v1/c/shed/requests/alice/approve", json_object(), 200);
	expect_event(s, &seen, (struct want){"member.approved", ada_id, shed, 0, alice_id, 0});
	post(bob, "/api/v1/c/shed/join", json_object(), 200);
	expect_event(s, &seen, (struct want){"member.requested", bob_id, shed, 0, bob_id, 0});
	post(admin, "/api/v1/c/shed/requests/bob/decline", json_object(), 200);
	expect_event(s, &seen, (struct want){"member.declined", ada_id, shed, 0, bob_id, 0});
	post(admin, "/api/v1/c/shed/invite", json_pack("{s:s}", "handle", "carol"), 200);
	expect_event(s, &seen, (struct want){"member.invited", ada_id, shed, 0, carol_id, 0});
	/* Inviting an invitee again changes nothing. */
	post(admin, "/api/v1/c/shed/invite", json_pack("{s:s}", "handle", "carol"), 200);
	assert_int_equal(event_count(s), seen);
	post(carol, "/api/v1/c/shed/join", json_object(), 200);
	expect_event(s, &seen, (struct want){"member.joined", carol_id, shed, 0, carol_id, 0});
	post(admin, "/api/v1/c/shed/members/carol/role", json_pack("{s:s}", "role", "host"), 200);
	expect_event(s, &seen, (struct want){"member.role", ada_id, shed, 0, carol_id, 0});
	const char *payload = payload_of_latest(s);
	assert_non_null(strstr(payload, "\"role\":\"host\""));
	post(carol, "/api/v1/c/shed/members/alice/role", json_pack("{s:s}", "role", "removed"), 200);
	expect_event(s, &seen, (struct want){"member.left", carol_id, shed, 0, alice_id, 0});
	post(admin, "/api/v1/c/shed/archive", json_pack("{s:b}", "archived", 1), 200);
	expect_event(s, &seen, (struct want){"community.archived", ada_id, shed, 0, 0, 0});

	/* Items: created, an answer, accepted, edited, restored. */
	int64_t q = ask(alice, "garden", "How deep do carrots root?", "Sandy soil.");
	expect_event(s, &seen, (struct want){"item.created", alice_id, garden, q, 0, 0});
	struct response *r = post_ok(bob, at("/api/v1/items/%lld/answers", q), json_pack("{s:s}", "body", "30 cm."), 201);
	int64_t answer = jint(r, "id");
	response_free(r);
	expect_event(s, &seen, (struct want){"item.created", bob_id, garden, answer, 0, 0});
	payload = payload_of_latest(s);
	char parent[64];
	snprintf(parent, sizeof parent, "\"parent_id\":%lld", (long long)q);
	assert_non_null(strstr(payload, parent));
	assert_non_null(strstr(payload, "\"kind\":\"answer\""));
	assert_non_null(strstr(payload, "\"public\":true"));
	post(alice, at("/api/v1/items/%lld/accept", q), json_pack("{s:I}", "answer", (json_int_t)answer), 200);
	expect_event(s, &seen, (struct want){"answer.accepted", alice_id, garden, q, 0, answer});
	post(alice, at("/api/v1/items/%lld/edit", q), json_pack("{s:s, s:s}", "title", "How deep do carrots root in sand?",
								"body", "Sandy soil, 40 cm."), 200);
	expect_event(s, &seen, (struct want){"item.edited", alice_id, garden, q, 0, 0});
	post(alice, at("/api/v1/items/%lld/revisions/1/restore", q), json_object(), 200);
	expect_event(s, &seen, (struct want){"item.restored", alice_id, garden, q, 0, 1});

	/* Comments and reactions. */
	r = post_ok(bob, at("/api/v1/items/%lld/comments", q), json_pack("{s:s}", "body", "Which variety?"), 201);
	int64_t comment = jint(r, "id");
	response_free(r);
	expect_event(s, &seen, (struct want){"comment.added", bob_id, garden, q, 0, comment});
	post(bob, at("/api/v1/comments/%lld/edit", comment), json_pack("{s:s}", "body", "Which variety, Nantes?"), 200);
	expect_event(s, &seen, (struct want){"comment.edited", bob_id, garden, q, 0, comment});
	post(alice, at("/api/v1/comments/%lld/react", comment), json_pack("{s:s}", "kind", "thanks"), 200);
	expect_event(s, &seen, (struct want){"reaction.toggled", alice_id, garden, q, 0, comment});
	post(bob, at("/api/v1/items/%lld/react", q), json_pack("{s:s}", "kind", "like"), 200);
	expect_event(s, &seen, (struct want){"reaction.toggled", bob_id, garden, q, 0, 0});
	payload = payload_of_latest(s);
	assert_non_null(strstr(payload, "\"added\":true"));
	post(bob, at("/api/v1/items/%lld/react", q), json_pack("{s:s}", "kind", "like"), 200);
	expect_event(s, &seen, (struct want){"reaction.toggled", bob_id, garden, q, 0, 0});
	payload = payload_of_latest(s);
	assert_non_null(strstr(payload, "\"added\":false"));
	post(bob, at("/api/v1/comments/%lld/delete", comment), json_object(), 200);
	expect_event(s, &seen, (struct want){"comment.deleted", bob_id, garden, q, 0, comment});

	/* Experts and verification: an admin names one, who endorses
	 * another; a verification given and withdrawn; an expert revoked. */
	post(alice, at("/api/v1/items/%lld/edit", answer), json_pack("{s:s}", "body", "x"), 403);
	assert_int_equal(event_count(s), seen);
	r = post_ok(alice, at("/api/v1/items/%lld/edit", q), json_pack("{s:s, s:s, s:[s]}", "title", "Carrots?",
								      "body", "Sand.", "tags", "soil"), 200);
	response_free(r);
	expect_event(s, &seen, (struct want){"item.edited", alice_id, garden, q, 0, 0});
	post(admin, "/api/v1/tags/soil/experts", json_pack("{s:s}", "handle", "carol"), 200);
	expect_event(s, &seen, (struct want){"expert.added", ada_id, 0, 0, carol_id, 0});
	payload = payload_of_latest(s);
	assert_non_null(strstr(payload, "\"tag\":\"soil\""));
	post(carol, "/api/v1/tags/soil/experts", json_pack("{s:s}", "handle", "bob"), 200);
	expect_event(s, &seen, (struct want){"expert.endorsed", carol_id, 0, 0, bob_id, 0});
	post(carol, at("/api/v1/items/%lld/verify", answer), json_pack("{s:s}", "note", "Checked."), 200);
	expect_event(s, &seen, (struct want){"item.verified", carol_id, garden, answer, carol_id, 0});
	post(admin, at("/api/v1/items/%lld/verify/withdraw", answer), json_object(), 200);
	expect_event(s, &seen, (struct want){"verification.withdrawn", ada_id, garden, answer, carol_id, 0});
	post(admin, "/api/v1/tags/soil/experts/carol/revoke", json_object(), 200);
	expect_event(s, &seen, (struct want){"expert.revoked", ada_id, 0, 0, carol_id, 0});

	/* Files. */
	const char *multipart = "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"plan.txt\"\r\n"
				"Content-Type: text/plain\r\n\r\nBeds one to four.\n\r\n--" BOUNDARY "--\r\n";
	const char *headers[] = {"Accept: application/json", alice->csrf_header, NULL};
	r = http_request(alice->c, "POST", at("/api/v1/items/%lld/files", q), headers, multipart, strlen(multipart),
			 "multipart/form-data; boundary=" BOUNDARY);
	assert_status(r, 201);
	response_free(r);
	expect_event(s, &seen, (struct want){"file.attached", alice_id, garden, q, 0, 0});
	payload = payload_of_latest(s);
	assert_non_null(strstr(payload, "plan.txt"));
	int64_t file = sql_int(s, "SELECT MAX(id) FROM item_files");
	char path[128];
	snprintf(path, sizeof path, "/api/v1/items/%lld/files/%lld/delete", (long long)q, (long long)file);
	post(alice, path, json_object(), 200);
	expect_event(s, &seen, (struct want){"file.removed", alice_id, garden, q, 0, file});

	/* A method: used, no longer used, a variation. */
	int64_t method = new_item(bob, "method", "garden",
				  json_pack("{s:s, s:s, s:s, s:i, s:i, s:i, s:s}", "kind", "method", "title", "Seed swap",
					    "purpose", "Share seeds.", "duration", 30, "group_min", 2, "group_max", 8,
					    "steps", "Bring\nSwap"));
	expect_event(s, &seen, (struct want){"item.created", bob_id, garden, method, 0, 0});
	post(alice, at("/api/v1/items/%lld/uses", method), json_pack("{s:s}", "note", "Worked."), 201);
	expect_event(s, &seen, (struct want){"method.used", alice_id, garden, method, 0, 0});
	post(alice, at("/api/v1/items/%lld/uses/delete", method), json_object(), 200);
	expect_event(s, &seen, (struct want){"method.unused", alice_id, garden, method, 0, 0});
	r = post_ok(alice, at("/api/v1/items/%lld/variations", method),
		    json_pack("{s:s, s:s}", "title", "Online swap", "body", "By post."), 201);
	int64_t variation = jint(r, "id");
	response_free(r);
	expect_event(s, &seen, (struct want){"variation.added", alice_id, garden, method, 0, variation});

	/* Deleted: the answer, then the question. */
	post(bob, at("/api/v1/items/%lld/delete", answer), json_object(), 200);
	expect_event(s, &seen, (struct want){"item.deleted", bob_id, garden, answer, 0, 0});
	post(admin, at("/api/v1/items/%lld/delete", q), json_object(), 200);
	expect_event(s, &seen, (struct want){"item.deleted", ada_id, garden, q, 0, 0});

	/* An update on a profile belongs to no community. */
	r = post_ok(alice, "/api/v1/items", json_pack("{s:s, s:s}", "kind", "update", "body", "Harvest day."), 201);
	int64_t update = jint(r, "id");
	response_free(r);
	expect_event(s, &seen, (struct want){"item.created", alice_id, 0, update, 0, 0});
	payload = payload_of_latest(s);
	assert_non_null(strstr(payload, "\"public\":false"));
}

/* The counts the in-step subscribers keep agree with what they count. */
static void counts_follow_the_events(void **state)
{
	const struct server *s = *state;
	struct actor *admin = staff(s, "ada", "--admin");
	struct actor *alice = member(s, "alice"), *bob = member(s, "bob");
	make_community(admin, "garden", "Garden", "public", "open");
	bring_in(admin, "garden", alice);
	bring_in(admin, "garden", bob);
	int64_t q = ask(alice, "garden", "Frost dates?", "");
	struct response *r = post_ok(bob, at("/api/v1/items/%lld/answers", q), json_pack("{s:s}", "body", "May."), 201);
	int64_t answer = jint(r, "id");
	response_free(r);
	post(bob, at("/api/v1/items/%lld/comments", q), json_pack("{s:s}", "body", "Where?"), 201);
	post(bob, at("/api/v1/items/%lld/react", q), json_pack("{s:s}", "kind", "like"), 200);
	post(alice, at("/api/v1/items/%lld/accept", q), json_pack("{s:I}", "answer", (json_int_t)answer), 200);
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT answer_count, comment_count, reaction_count, COALESCE(accepted_answer_id, 0)"
				  " FROM items WHERE id = %lld", (long long)q);
	const char *row = sql_rows(s, sql);
	char want[64];
	snprintf(want, sizeof want, "1|1|1|%lld\n", (long long)answer);
	assert_string_equal(row, want);
	/* A deleted answer leaves the count and takes its acceptance along. */
	post(bob, at("/api/v1/items/%lld/delete", answer), json_object(), 200);
	row = sql_rows(s, sql);
	assert_string_equal(row, "0|1|1|0\n");
	/* And the search index lost it with the same write. */
	r = aget(alice, "/api/v1/search?q=May");
	assert_status(r, 200);
	assert_false(list_has_id(r, "items", answer));
	response_free(r);
}

/* ---- rolled back --------------------------------------------------------------- */

static struct response *send_failing(struct actor *a, const char *path, const char *body, int fail_at)
{
	char fault[64];
	snprintf(fault, sizeof fault, "X-Kring-Fail-Statement: %d", fail_at);
	return http_post_json(a->c, path, body, (const char *[]){fault, "Accept: application/json", a->csrf_header, NULL});
}

static int64_t webhook_jobs(const struct server *s)
{
	return sql_int(s, "SELECT COUNT(*) FROM jobs WHERE kind = 'webhook'");
}

/* An edit of a public item with each of its statements failing in turn:
 * every failure leaves no event and no webhook job, and the receiver hears
 * only of the edit that went through. */
static void a_rolled_back_write_notifies_no_one(void **state)
{
	const struct server *s = *state;
	struct receiver *hooks = receiver_start();
	assert_non_null(hooks);
	struct actor *admin = staff(s, "ada", "--admin");
	struct actor *alice = member(s, "alice");
	char url[64];
	snprintf(url, sizeof url, "http://127.0.0.1:%d/hook", receiver_port(hooks));
	post(admin, "/api/v1/admin/settings", json_pack("{s:s}", "webhook_url", url), 200);
	make_community(admin, "garden", "Garden", "public", "open");
	bring_in(admin, "garden", alice);
	int64_t q = ask(alice, "garden", "Frost dates?", "");
	assert_int_equal(receiver_wait(hooks, 1, 15000), 1);

	int64_t events = event_count(s), jobs = webhook_jobs(s);
	const char *path = at("/api/v1/items/%lld/edit", q);
	int failures = 0;
	for (int n = 1;; n++) {
		assert_true(n < 100);
		struct response *r = send_failing(alice, path, "{\"title\": \"Last frost?\", \"body\": \"Zone 7.\"}", n);
		bool injected = response_header(r, "X-Kring-Fault") != NULL;
		long status = r->status;
		response_free(r);
		if (!injected) {
			assert_int_equal(status, 200);
			break;
		}
		assert_int_equal(status, 500);
		assert_int_equal(event_count(s), events);
		assert_int_equal(webhook_jobs(s), jobs);
		failures++;
	}
	/* The event's own statements were among those that failed. */
	assert_true(failures > 3);
	assert_int_equal(event_count(s), events + 1);
	assert_int_equal(webhook_jobs(s), jobs + 1);
	assert_int_equal(receiver_wait(hooks, 2, 15000), 2);
	/* Nothing more arrives: the failed attempts queued nothing. */
	assert_int_equal(receiver_wait(hooks, 3, 1500), 2);
	json_t *body = json_loads(receiver_body(hooks, 1), 0, NULL);
	assert_string_equal(json_string_value(json_object_get(body, "event")), "item.edited");
	assert_string_equal(json_string_value(json_path(body, "item.title")), "Last frost?");
	json_decref(body);
	receiver_stop(hooks);
}

/* ---- the page cache ------------------------------------------------------------- */

/* The page as a visitor gets it, and whether it came from the cache. */
static bool page_from_cache(struct client *c, const char *path, const char *text)
{
	struct response *r = http_get(c, path, NULL);
	assert_status(r, 200);
	if (text)
		assert_body_contains(r, text);
	bool hit = strcmp(cache_state(r), "hit") == 0;
	response_free(r);
	return hit;
}

static void the_cache_follows_committed_writes_only(void **state)
{
	const struct server *s = *state;
	struct actor *admin = staff(s, "ada", "--admin");
	struct actor *alice = member(s, "alice");
	make_community(admin, "garden", "Garden", "public", "open");
	bring_in(admin, "garden", alice);
	struct client *v = client_new(s);
	page_from_cache(v, "/c/garden", NULL);
	assert_true(page_from_cache(v, "/c/garden", NULL));

	/* A failed write: the page is still the one kept. */
	struct response *r = send_failing(alice, "/api/v1/c/garden/items",
					  "{\"kind\": \"question\", \"title\": \"Compost heat?\", \"body\": \"\"}", 4);
	assert_status(r, 500);
	assert_non_null(response_header(r, "X-Kring-Fault"));
	response_free(r);
	assert_true(page_from_cache(v, "/c/garden", NULL));

	/* A committed one (it records item.created) shows at once. */
	ask(alice, "garden", "Compost heat?", "");
	assert_false(page_from_cache(v, "/c/garden", "Compost heat?"));
	assert_true(page_from_cache(v, "/c/garden", "Compost heat?"));

	/* A write that records no event (a profile) makes pages stale too. */
	page_from_cache(v, "/people/alice", NULL);
	assert_true(page_from_cache(v, "/people/alice", NULL));
	post(alice, "/api/v1/settings/profile", json_pack("{s:s, s:s}", "name", "Alice Gardener", "bio", "Beds."), 200);
	assert_false(page_from_cache(v, "/people/alice", "Alice Gardener"));
	client_free(v);
}

static int fault_setup(void **state)
{
	setenv("KRING_FAULT_INJECTION", "1", 1);
	return server_setup(state);
}

#define T(f) cmocka_unit_test_setup_teardown(f, server_setup, teardown_releasing)
#define F(f) cmocka_unit_test_setup_teardown(f, fault_setup, teardown_releasing)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(every_write_records_its_event),
		T(counts_follow_the_events),
		F(a_rolled_back_write_notifies_no_one),
		F(the_cache_follows_committed_writes_only),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
