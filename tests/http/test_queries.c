/* test_queries: a question page costs the same few statements however many
 * answers, comments and reactions it shows, and a search however many
 * organisations it finds — read from the "12q" at the end of each
 * access-log line. */
#include "actors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define QUERIES_MAX 25

struct questions {
	int64_t small, big; /* 2 and 30 answers */
};

/* Answers, each with a comment and a reaction, and the same on the question. */
static void discuss(struct actor *asker, struct actor *answerer, int64_t q, int answers)
{
	struct response *r = item_post(asker, q, "comments", json_pack("{s:s}", "body", "Any ideas?"));
	assert_status(r, 201);
	response_free(r);
	r = item_post(answerer, q, "react", json_pack("{s:s}", "kind", "like"));
	assert_status(r, 200);
	response_free(r);
	for (int i = 0; i < answers; i++) {
		char body[64];
		snprintf(body, sizeof body, "Answer %d, with *emphasis*.", i + 1);
		r = item_post(answerer, q, "answers", json_pack("{s:s}", "body", body));
		assert_status(r, 201);
		int64_t a = jint(r, "id");
		response_free(r);
		r = item_post(asker, a, "comments", json_pack("{s:s}", "body", "Thanks, see https://example.org"));
		assert_status(r, 201);
		response_free(r);
		r = item_post(asker, a, "react", json_pack("{s:s}", "kind", i % 2 ? "thanks" : "insightful"));
		assert_status(r, 200);
		response_free(r);
	}
}

/* A public community where asa asks and bo answers. */
static struct questions build(const struct server *s, struct actor **asa)
{
	struct actor *admin = staff(s, "root", "--admin");
	unlimited_posting(admin);
	*asa = member(s, "asa");
	struct actor *bo = member(s, "bo");
	make_community(admin, "retro", "Retrospectives", "public", "open");
	bring_in(admin, "retro", *asa);
	bring_in(admin, "retro", bo);
	struct questions q = {
		.small = ask(*asa, "retro", "How long should a retro take?", "For a team of six."),
		.big = ask(*asa, "retro", "What is your favourite retro format?", "Tell us **everything**."),
	};
	discuss(*asa, bo, q.small, 2);
	discuss(*asa, bo, q.big, 30);
	return q;
}

/* How many access-log lines begin with head; the statements the last of
 * them counts into *queries, and all of them into *total (when not NULL). */
static int lines_with_total(const struct server *s, const char *head, long *queries, long *total)
{
	char *log = server_log(s);
	int n = 0;
	if (total)
		*total = 0;
	for (char *line = log; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		if (strncmp(line, head, strlen(head)) == 0) {
			n++;
			if (sscanf(line + strlen(head), "%*u %*uus %ldq", queries) != 1)
				fail_msg("the access-log line %.80s has no query count", line);
			if (total)
				*total += *queries;
		}
	free(log);
	return n;
}

static int lines_with(const struct server *s, const char *head, long *queries)
{
	return lines_with_total(s, head, queries, NULL);
}

/* GETs the page and returns how many statements its access-log line says
 * the server ran for it (the line names the path without its query). Each
 * page is fetched once per server (a second time, it may come from the
 * cache). */
static long queries_for(const struct server *s, struct client *c, const char *path)
{
	char head[96];
	snprintf(head, sizeof head, "GET %.*s 200 ", (int)strcspn(path, "?"), path);
	long queries = -1;
	int before = lines_with(s, head, &queries);
	/* Long enough after the last request that this one reads what other
	 * nodes wrote (at most every 100 ms for a visitor, http/cache.h), so
	 * that every page counted counts that statement. */
	usleep(150000);
	struct response *r = http_get(c, path, NULL);
	assert_status(r, 200);
	response_free(r);
	/* The line is written when the request completes, maybe just after
	 * the answer arrived. */
	for (int waited = 0; lines_with(s, head, &queries) == before; waited += 10) {
		if (waited >= 3000) {
			server_log_dump(s, 3000);
			fail_msg("no access-log line for %s", path);
		}
		usleep(10000);
	}
	assert_true(queries >= 0);
	return queries;
}

static void check_pages(const struct server *s, struct client *c, const struct questions *q)
{
	const char *const pages[] = {"/items/%lld", "/api/v1/items/%lld"};
	for (int p = 0; p < 2; p++) {
		char small_path[64], big_path[64];
		snprintf(small_path, sizeof small_path, pages[p], (long long)q->small);
		snprintf(big_path, sizeof big_path, pages[p], (long long)q->big);
		long small = queries_for(s, c, small_path), big = queries_for(s, c, big_path);
		printf("# %s: %ld statements with 2 answers, %ld with 30\n", pages[p], small, big);
		assert_true(small <= QUERIES_MAX);
		assert_true(big <= small);
	}
}

static void member_pages(void **state)
{
	struct actor *asa;
	struct questions q = build(*state, &asa);
	check_pages(*state, asa->c, &q);
	/* What the batched statements fill in is all there. */
	struct response *r = aget(asa, "/api/v1/items/%lld", (long long)q.big);
	assert_status(r, 200);
	json_t *answers = json_path(r->json, "answers");
	assert_int_equal(json_array_size(answers), 30);
	assert_int_equal(json_array_size(json_path(r->json, "comments")), 1);
	assert_int_equal(json_integer_value(json_path(r->json, "reactions.like")), 1);
	size_t i;
	json_t *a;
	json_array_foreach(answers, i, a) {
		json_t *comments = json_object_get(a, "comments");
		assert_int_equal(json_array_size(comments), 1);
		assert_true(json_is_true(json_object_get(json_array_get(comments, 0), "can_delete")));
		assert_int_equal(json_array_size(json_path(a, "reactions.mine")), 1);
		assert_false(json_is_true(json_object_get(a, "can_edit")));
		assert_true(json_is_true(json_object_get(a, "can_accept")));
	}
	response_free(r);
}

static void visitor_pages(void **state)
{
	struct actor *asa;
	struct questions q = build(*state, &asa);
	check_pages(*state, client_new(*state), &q);
}

/* A page kept in the cache is served without a statement of its own: a
 * node reads what other nodes wrote at most every 100 ms for visitors
 * (http/cache.h), however many pages it serves, and a comment on another
 * question leaves the page kept. */
static void kept_pages_cost_no_statements(void **state)
{
	struct actor *asa;
	struct questions q = build(*state, &asa);
	struct client *v = client_new(*state);
	char path[64], head[96];
	snprintf(path, sizeof path, "/items/%lld", (long long)q.big);
	snprintf(head, sizeof head, "GET %s 200 ", path);
	struct response *r = item_post(asa, q.small, "comments", json_pack("{s:s}", "body", "One more thing."));
	assert_status(r, 201);
	response_free(r);
	queries_for(*state, v, path); /* made and kept, and its line written */
	long last = 0, before = 0, after = 0;
	int lines_before = lines_with_total(*state, head, &last, &before);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < 20; i++) {
		if (i == 10) {
			r = item_post(asa, q.small, "comments", json_pack("{s:s}", "body", "And another."));
			assert_status(r, 201);
			response_free(r);
		}
		r = http_get(v, path, NULL);
		assert_status(r, 200);
		assert_string_equal(response_header(r, "X-Kring-Cache"), "hit");
		response_free(r);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long elapsed_ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	for (int waited = 0; lines_with_total(*state, head, &last, &after) < lines_before + 20; waited += 10) {
		if (waited >= 3000)
			fail_msg("the access log has not every request for %s", path);
		usleep(10000);
	}
	printf("# 20 pages from the cache in %ld ms: %ld statements\n", elapsed_ms, after - before);
	assert_true(after - before <= 1 + elapsed_ms / 100);
	client_free(v);
}

/* Five organisations found cost what one does: they are read together. */
static void search_reads_organisations_together(void **state)
{
	const struct server *s = *state;
	struct actor *admin = staff(s, "root", "--admin");
	static const char *const orgs[][2] = {
		{"kvarnby-norra", "Kvarnby norra"}, {"kvarnby-sodra", "Kvarnby södra"}, {"kvarnby-ost", "Kvarnby öst"},
		{"kvarnby-vast", "Kvarnby väst"},   {"kvarnby-by", "Kvarnby by"},       {"flodby", "Flodby"},
	};
	for (size_t i = 0; i < sizeof orgs / sizeof *orgs; i++) {
		struct response *r = apost(admin, "/api/v1/orgs", json_pack("{s:s, s:s}", "slug", orgs[i][0], "name", orgs[i][1]));
		assert_status(r, 201);
		response_free(r);
	}
	struct client *c = client_new(s);
	/* Each word searched once before: the server remembers how many items
	 * hold it, so that neither page below reads that count. */
	static const struct {
		const char *word;
		size_t found;
	} words[] = {{"flodby", 1}, {"kvarnby", 5}};
	for (size_t i = 0; i < 2; i++) {
		char path[64];
		snprintf(path, sizeof path, "/api/v1/search?q=%s", words[i].word);
		struct response *r = http_get(c, path, NULL);
		assert_status(r, 200);
		assert_int_equal(json_array_size(json_path(r->json, "organisations")), words[i].found);
		response_free(r);
	}
	long one = queries_for(s, c, "/search?q=flodby"), five = queries_for(s, c, "/search?q=kvarnby");
	printf("# /search: %ld statements for one organisation, %ld for five\n", one, five);
	assert_int_equal(five, one);
}

/* The people directory reads its members' organisations in one statement,
 * however many there are. */
static void people_read_organisations_together(void **state)
{
	const struct server *s = *state;
	struct actor *admin = staff(s, "root", "--admin");
	static const char *const people[][2] = {
		{"kvarn1", "org-a"}, {"kvarn2", "org-b"}, {"kvarn3", "org-c"}, {"kvarn4", "org-d"}, {"kvarn5", "org-e"},
		{"flod1", "org-f"},
	};
	for (size_t i = 0; i < sizeof people / sizeof *people; i++) {
		struct response *r = apost(admin, "/api/v1/orgs",
					   json_pack("{s:s, s:s}", "slug", people[i][1], "name", people[i][1]));
		assert_status(r, 201);
		response_free(r);
		struct actor *a = member(s, people[i][0]);
		r = apost(a, "/api/v1/settings/profile",
			  json_pack("{s:s, s:s}", "org", people[i][1], "name", i < 5 ? "Kvarn Person" : "Flod Person"));
		assert_status(r, 200);
		response_free(r);
	}
	struct client *c = client_new(s);
	/* Once before, so that the search of people has caught up with the
	 * profiles saved above and neither page below does that work. */
	for (int i = 0; i < 2; i++) {
		struct response *r = http_get(c, i ? "/api/v1/people?q=kvarn" : "/api/v1/people?q=flod", NULL);
		assert_status(r, 200);
		assert_int_equal(json_array_size(json_path(r->json, "items")), i ? 5 : 1);
		response_free(r);
	}
	long one = queries_for(s, c, "/people?q=flod"), five = queries_for(s, c, "/people?q=kvarn");
	printf("# /people: %ld statements for one organisation, %ld for five\n", one, five);
	assert_int_equal(five, one);
}

#define T(f) cmocka_unit_test_setup_teardown(f, server_setup, server_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(member_pages),
		T(visitor_pages),
		T(kept_pages_cost_no_statements),
		T(search_reads_organisations_together),
		T(people_read_organisations_together),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
