/* test_lists: long lists stay whole and in order across their pages — the
 * organisations by name, the questions by each of their sorts, a tag's
 * items for each kind of viewer — and a community shows its newest
 * members. Each list is walked by following "next" to its end. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "actors.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

#define ORGS 130
#define ORGS_PER_PAGE 60
#define QUESTIONS_PER_PAGE 20

/* ---- helpers ------------------------------------------------------------------------------ */

static int teardown(void **state)
{
	held_release();
	return server_teardown(state);
}

/* Pages hold per_page items each but the last, which holds the rest. */
static void assert_page_sizes(const struct pages *p, int total, int per_page)
{
	int want = total > 0 ? (total + per_page - 1) / per_page : 1;
	if (p->n != want)
		fail_msg("%d pages, expected %d for %d items", p->n, want, total);
	for (int i = 0; i < p->n; i++) {
		int size = i < p->n - 1 ? per_page : total - per_page * (p->n - 1);
		if (p->sizes[i] != size)
			fail_msg("page %d holds %d items, expected %d", i + 1, p->sizes[i], size);
	}
}

static int64_t item_int(json_t *items, size_t i, const char *key)
{
	return (int64_t)json_integer_value(json_object_get(json_array_get(items, i), key));
}

/* Non-increasing by key, and by id where the keys tie. */
static void assert_descending(json_t *items, const char *key)
{
	for (size_t i = 0; i < json_array_size(items); i++)
		assert_true(json_is_integer(json_object_get(json_array_get(items, i), key)));
	for (size_t i = 1; i < json_array_size(items); i++) {
		int64_t k0 = item_int(items, i - 1, key), k1 = item_int(items, i, key);
		int64_t id0 = item_int(items, i - 1, "id"), id1 = item_int(items, i, "id");
		if (k1 > k0 || (k1 == k0 && id1 >= id0))
			fail_msg("item %zu (id %lld, %s %lld) follows id %lld with %s %lld", i, (long long)id1,
				 key, (long long)k1, (long long)id0, key, (long long)k0);
	}
}

static void join(struct actor *a, const char *slug)
{
	char path[128];
	snprintf(path, sizeof path, "/api/v1/c/%s/join", slug);
	struct response *r = apost(a, path, NULL);
	assert_status(r, 200);
	assert_jstr(r, "membership", "active");
	response_free(r);
}

/* ---- organisations -------------------------------------------------------------------------- */

struct org_row {
	int64_t id;
	char slug[32];
	char lname[112]; /* the name in lower case, as the list sorts it */
};

static void lower_copy(char *out, size_t outlen, const char *name)
{
	size_t i = 0;
	for (; name[i] && i + 1 < outlen; i++)
		out[i] = (char)tolower((unsigned char)name[i]);
	out[i] = '\0';
}

static int by_lower_name(const void *a, const void *b)
{
	const struct org_row *x = a, *y = b;
	int c = strcmp(x->lname, y->lname);
	return c ? c : (x->id > y->id) - (x->id < y->id);
}

static struct org_row org_row_of(json_t *item)
{
	struct org_row o = {.id = (int64_t)json_integer_value(json_object_get(item, "id"))};
	const char *slug = json_string_value(json_object_get(item, "slug"));
	const char *name = json_string_value(json_object_get(item, "name"));
	assert_non_null(slug);
	assert_non_null(name);
	snprintf(o.slug, sizeof o.slug, "%s", slug);
	lower_copy(o.lname, sizeof o.lname, name);
	return o;
}

static void set_org(struct actor *a, const char *slug)
{
	struct response *r = apost(a, "/api/v1/settings/profile", json_pack("{s:s}", "org", slug));
	assert_status(r, 200);
	assert_jstr(r, "org.slug", slug);
	response_free(r);
}

static const char *href_of(const char *slug)
{
	char h[64];
	snprintf(h, sizeof h, "href=\"/orgs/%s\"", slug);
	return harness_strdup(h);
}

static void orgs_paged_by_name(void **state)
{
	struct actor *admin = staff(*state, "root", "--admin"), *v = visitor(*state);
	unlimited_posting(admin);
	struct org_row *want = harness_keep(calloc(ORGS + ORGS_PER_PAGE, sizeof *want));
	assert_non_null(want);

	/* Whatever a fresh database already holds is listed too. */
	struct response *r = aget(v, "/api/v1/orgs");
	assert_status(r, 200);
	assert_true(json_is_null(json_path(r->json, "next")));
	size_t n = json_array_size(json_path(r->json, "items"));
	assert_true(n < ORGS_PER_PAGE);
	for (size_t i = 0; i < n; i++)
		want[i] = org_row_of(json_array_get(json_path(r->json, "items"), i));
	response_free(r);

	/* 130 organisations, not made in name order, their names alternating
	 * "Org 000" and "org 001" so that only a case-insensitive order
	 * interleaves them; numbers 059 and 060 share the name "org 059" in
	 * two cases, which puts a tie on the border of the first two pages. */
	for (int k = 0; k < ORGS; k++) {
		int i = k * 37 % ORGS;
		char slug[16], name[16];
		snprintf(slug, sizeof slug, "org-%03d", i);
		snprintf(name, sizeof name, i % 2 ? "org %03d" : "Org %03d", i == 60 ? 59 : i);
		r = apost(admin, "/api/v1/orgs", json_pack("{s:s, s:s}", "slug", slug, "name", name));
		assert_status(r, 201);
		want[n] = org_row_of(r->json);
		assert_true(want[n].id > 0);
		n++;
		response_free(r);
	}
	qsort(want, n, sizeof *want, by_lower_name);

	/* Members of one organisation on the second page and of the first one
	 * on the third. */
	set_org(member(*state, "asa"), "org-077");
	set_org(member(*state, "bo"), "org-077");
	set_org(member(*state, "cai"), "org-120");

	struct pages p;
	json_t *all = walk(v, "/api/v1/orgs", &p);
	assert_page_sizes(&p, (int)n, ORGS_PER_PAGE);
	for (size_t i = 0; i < n && i < json_array_size(all); i++) {
		struct org_row got = org_row_of(json_array_get(all, i));
		if (got.id != want[i].id || strcmp(got.lname, want[i].lname) != 0)
			fail_msg("organisation %zu is %lld \"%s\", expected %lld \"%s\"", i, (long long)got.id,
				 got.lname, (long long)want[i].id, want[i].lname);
		json_int_t members = json_integer_value(json_object_get(json_array_get(all, i), "member_count"));
		if (strcmp(got.slug, "org-077") == 0)
			assert_int_equal(members, 2);
		else if (strcmp(got.slug, "org-120") == 0)
			assert_int_equal(members, 1);
		else if (strncmp(got.slug, "org-", 4) == 0)
			assert_int_equal(members, 0);
	}
	assert_int_equal(json_array_size(all), n);

	/* The HTML pages link to the next one, the last to none. */
	r = aget(v, "/orgs");
	assert_status(r, 200);
	assert_header_contains(r, "Content-Type", "text/html");
	char link[128];
	snprintf(link, sizeof link, "href=\"/orgs?cursor=%s\"", p.next[0]);
	assert_body_contains(r, link);
	assert_body_contains(r, "More organisations");
	assert_body_contains(r, href_of(want[0].slug));
	assert_body_contains(r, href_of(want[ORGS_PER_PAGE - 1].slug));
	assert_body_lacks(r, href_of(want[ORGS_PER_PAGE].slug));
	response_free(r);
	for (int page = 1; page < p.n; page++) {
		r = aget(v, "/orgs?cursor=%s", p.next[page - 1]);
		assert_status(r, 200);
		assert_body_contains(r, href_of(want[page * ORGS_PER_PAGE].slug));
		if (page < p.n - 1) {
			snprintf(link, sizeof link, "href=\"/orgs?cursor=%s\"", p.next[page]);
			assert_body_contains(r, link);
			assert_body_contains(r, "More organisations");
		} else {
			assert_body_contains(r, href_of(want[n - 1].slug));
			assert_body_lacks(r, "More organisations");
			assert_body_lacks(r, "/orgs?cursor=");
		}
		response_free(r);
	}

	static const char *const bad[] = {"abc", "-1", "12x", "0"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		r = aget(v, "/api/v1/orgs?cursor=%s", bad[i]);
		assert_error(r, 400, "bad_cursor");
		response_free(r);
	}
	r = aget(v, "/orgs?cursor=abc");
	assert_status(r, 400);
	assert_header_contains(r, "Content-Type", "text/html");
	response_free(r);
}

/* ---- questions ------------------------------------------------------------------------------ */

#define QUESTIONS 45

struct q_expect {
	int64_t id;
	int reactions;
};

static int by_reactions(const void *a, const void *b)
{
	const struct q_expect *x = a, *y = b;
	if (x->reactions != y->reactions)
		return y->reactions - x->reactions;
	return (y->id > x->id) - (y->id < x->id);
}

/* Walks one sort of the question list; checks the pages, the order by the
 * key and that the ids are want. Returns the items. */
static json_t *check_sort(struct actor *a, const char *sort, const char *key, const int64_t *want)
{
	char path[64];
	snprintf(path, sizeof path, "/api/v1/questions?sort=%s", sort);
	struct pages p;
	json_t *all = walk(a, path, &p);
	printf("# sort=%s: %d pages\n", sort, p.n);
	assert_page_sizes(&p, QUESTIONS, QUESTIONS_PER_PAGE);
	assert_descending(all, key);
	assert_ids(all, want, QUESTIONS);
	return all;
}

static void questions_keep_order_across_pages(void **state)
{
	struct actor *admin = staff(*state, "root", "--admin");
	unlimited_posting(admin);
	struct actor *asa = member(*state, "asa"), *bo = member(*state, "bo");
	make_community(admin, "fika", "Fika", "public", "open");
	bring_in(admin, "fika", asa);
	bring_in(admin, "fika", bo);

	/* 0 to 3 reactions each (like, thanks, insightful from bo), so that
	 * about 11 questions share each count and ties cross page borders. */
	static const char *const kinds[] = {"like", "thanks", "insightful"};
	struct q_expect q[QUESTIONS];
	for (int i = 0; i < QUESTIONS; i++) {
		char title[64];
		snprintf(title, sizeof title, "Paged question %02d", i);
		q[i] = (struct q_expect){.id = ask(asa, "fika", title, "Which way?"), .reactions = i % 4};
		for (int k = 0; k < q[i].reactions; k++) {
			struct response *r = item_post(bo, q[i].id, "react", json_pack("{s:s}", "kind", kinds[k]));
			assert_status(r, 200);
			response_free(r);
		}
	}
	/* Answers a second later make three of the oldest the most active. */
	test_clock_advance(1);
	static const int answered[] = {0, 5, 10};
	for (size_t i = 0; i < 3; i++) {
		struct response *r = item_post(bo, q[answered[i]].id, "answers", json_pack("{s:s}", "body", "This way."));
		assert_status(r, 201);
		response_free(r);
	}

	int64_t want[QUESTIONS];
	/* newest: the reverse of asking */
	for (int i = 0; i < QUESTIONS; i++)
		want[i] = q[QUESTIONS - 1 - i].id;
	check_sort(asa, "newest", "created_at", want);

	/* active: the answered ones, the last answered first, then the rest
	 * newest first */
	int n = 0;
	for (int i = 2; i >= 0; i--)
		want[n++] = q[answered[i]].id;
	for (int i = QUESTIONS - 1; i >= 0; i--)
		if (i != answered[0] && i != answered[1] && i != answered[2])
			want[n++] = q[i].id;
	check_sort(asa, "active", "activity_at", want);

	/* reactions: by count, ties newest first; each count as given */
	struct q_expect sorted[QUESTIONS];
	memcpy(sorted, q, sizeof q);
	qsort(sorted, QUESTIONS, sizeof *sorted, by_reactions);
	for (int i = 0; i < QUESTIONS; i++)
		want[i] = sorted[i].id;
	json_t *all = check_sort(asa, "reactions", "reaction_count", want);
	for (size_t i = 0; i < json_array_size(all); i++)
		assert_int_equal(item_int(all, i, "reaction_count"), sorted[i].reactions);
}

/* ---- a tag's page --------------------------------------------------------------------------- */

#define TAGGED_MAX 48

/* Who may see an item of the tag's list. */
enum { SEEN_BY_VISITOR = 1, SEEN_BY_MEMBER = 2, SEEN_BY_INSIDER = 4 };

struct tagged {
	int64_t ids[TAGGED_MAX];
	int seen_by[TAGGED_MAX];
	int n;
};

/* Posts an item with tags (a NULL-terminated list) and, when t is set,
 * notes who sees it in the tag's list. slug NULL: an update on the
 * author's profile. */
static int64_t post_tagged(struct actor *a, const char *slug, const char *kind, const char *title,
			   const char *const *tags, struct tagged *t, int seen_by)
{
	json_t *list = json_array();
	for (size_t i = 0; tags && tags[i]; i++)
		json_array_append_new(list, json_string(tags[i]));
	json_t *body = json_pack("{s:s, s:s, s:o}", "kind", kind, "body", "Numbers for next year", "tags", list);
	if (strcmp(kind, "question") == 0)
		json_object_set_new(body, "title", json_string(title));
	char path[128];
	snprintf(path, sizeof path, slug ? "/api/v1/c/%s/items" : "/api/v1/items", slug);
	struct response *r = apost(a, path, body);
	assert_status(r, 201);
	int64_t id = jint(r, "id");
	assert_true(id > 0);
	response_free(r);
	if (t) {
		assert_true(t->n < TAGGED_MAX);
		t->ids[t->n] = id;
		t->seen_by[t->n++] = seen_by;
	}
	return id;
}

/* Walks /api/v1/tags/budget as the viewer: exactly what they may see,
 * newest first, each item carrying the tag. */
static void check_tag_list(struct actor *a, const struct tagged *t, int viewer)
{
	int64_t want[TAGGED_MAX];
	int n = 0;
	for (int i = t->n - 1; i >= 0; i--)
		if (t->seen_by[i] & viewer)
			want[n++] = t->ids[i];
	struct pages p;
	json_t *all = walk(a, "/api/v1/tags/budget", &p);
	printf("# %s: %d items on %d pages\n", a->handle ? a->handle : "visitor", n, p.n);
	assert_page_sizes(&p, n, QUESTIONS_PER_PAGE);
	assert_ids(all, want, (size_t)n);
	assert_descending(all, "created_at");
	json_t *item;
	size_t i, k;
	json_array_foreach(all, i, item) {
		json_t *tag;
		bool has = false;
		json_array_foreach(json_object_get(item, "tags"), k, tag)
			has |= strcmp(json_string_value(tag), "budget") == 0;
		assert_true(has);
	}
}

static void tag_lists_what_each_viewer_may_see(void **state)
{
	struct actor *admin = staff(*state, "root", "--admin");
	unlimited_posting(admin);
	struct actor *asa = member(*state, "asa"), *bo = member(*state, "bo"), *pia = member(*state, "pia");
	make_community(admin, "fika", "Fika", "public", "open");
	make_community(admin, "inner", "Inner circle", "members", "open");
	make_community(admin, "board", "The board", "private", "invite");
	bring_in(admin, "fika", asa);
	bring_in(admin, "inner", pia);
	bring_in(admin, "board", pia);

	/* 27 tagged questions in the public community (the tag written in
	 * several ways), untagged ones, and tagged ones only some may see,
	 * all interleaved so that hidden rows fall inside the pages. */
	struct tagged t = {0};
	static const char *const spellings[][3] = {{"budget", NULL}, {"Budget", "planning", NULL}, {"BUDGET", NULL}};
	int64_t deleted = 0;
	for (int i = 0; i < 27; i++) {
		char title[64];
		snprintf(title, sizeof title, "Budget question %02d", i);
		int64_t id = post_tagged(asa, "fika", "question", title, spellings[i % 3], &t,
					 SEEN_BY_VISITOR | SEEN_BY_MEMBER | SEEN_BY_INSIDER);
		if (i == 13)
			deleted = id;
		if (i % 6 == 2)
			post_tagged(asa, "fika", "question", "Another topic", STRS("planning"), NULL, 0);
		if (i % 9 == 4)
			ask(asa, "fika", "A question without tags", "");
		if (i == 8 || i == 20)
			post_tagged(pia, "board", "question", "Board budget", STRS("budget"), &t, SEEN_BY_INSIDER);
		if (i == 11 || i == 17)
			post_tagged(pia, "inner", "question", "Inner budget", STRS("budget"), &t,
				    SEEN_BY_MEMBER | SEEN_BY_INSIDER);
		if (i == 22)
			post_tagged(asa, NULL, "update", NULL, STRS("budget"), &t, SEEN_BY_MEMBER | SEEN_BY_INSIDER);
	}
	/* A deleted item leaves the list. */
	struct response *r = item_post(asa, deleted, "delete", NULL);
	assert_status(r, 200);
	response_free(r);
	for (int i = 0; i < t.n; i++)
		if (t.ids[i] == deleted)
			t.seen_by[i] = 0;

	check_tag_list(visitor(*state), &t, SEEN_BY_VISITOR);
	check_tag_list(bo, &t, SEEN_BY_MEMBER);
	check_tag_list(asa, &t, SEEN_BY_MEMBER);
	check_tag_list(pia, &t, SEEN_BY_INSIDER);

	/* The HTML page links to the older items. */
	r = aget(bo, "/tags/budget");
	assert_status(r, 200);
	assert_body_contains(r, "href=\"/tags/budget?cursor=");
	assert_body_lacks(r, "Board budget");
	response_free(r);
}

/* ---- a community's members ------------------------------------------------------------------ */

#define JOINERS 30
#define MEMBERS_SHOWN 24

static void community_shows_newest_members(void **state)
{
	struct actor *admin = staff(*state, "root", "--admin");
	unlimited_posting(admin);
	make_community(admin, "fika", "Fika", "public", "open");
	/* early signs up before the others but joins last, a second later:
	 * the list is by when people joined, not by when they signed up. */
	struct actor *early = member(*state, "early");
	const char *order[JOINERS];
	for (int i = 0; i < JOINERS - 1; i++) {
		char handle[16];
		snprintf(handle, sizeof handle, "m%02d", i);
		struct actor *m = member(*state, handle);
		join(m, "fika");
		order[i] = m->handle;
	}
	test_clock_advance(1);
	join(early, "fika");
	order[JOINERS - 1] = early->handle;

	struct response *r = aget(visitor(*state), "/api/v1/c/fika");
	assert_status(r, 200);
	json_t *members = json_path(r->json, "members"), *hosts = json_path(r->json, "hosts");
	assert_int_equal(json_array_size(members), MEMBERS_SHOWN);
	for (size_t i = 0; i < json_array_size(members); i++) {
		json_t *m = json_array_get(members, i);
		const char *handle = json_string_value(json_object_get(m, "handle"));
		if (!handle || strcmp(handle, order[JOINERS - 1 - i]) != 0)
			fail_msg("member %zu is %s, expected %s", i, handle ? handle : "(none)",
				 order[JOINERS - 1 - i]);
		assert_false(json_is_true(json_object_get(m, "is_host")));
		if (i > 0)
			assert_true(json_integer_value(json_object_get(m, "since")) <=
				    json_integer_value(json_object_get(json_array_get(members, i - 1), "since")));
	}
	/* the founder, the only host, joined first: listed as a host only */
	assert_int_equal(json_array_size(hosts), 1);
	json_t *host = json_array_get(hosts, 0);
	assert_string_equal(json_string_value(json_object_get(host, "handle")), "root");
	assert_true(json_is_true(json_object_get(host, "is_host")));
	assert_false(list_has_str(r, "members", "handle", "root"));
	response_free(r);
}

/* ---- excerpts ------------------------------------------------------------------------------ */

/* A list's excerpt is the plain text of the whole body, cut afterwards: a
 * link whose reference is defined far below still reads as its text. */
static void excerpts_are_plain_text_of_the_whole_body(void **state)
{
	struct actor *admin = staff(*state, "root", "--admin");
	make_community(admin, "fika", "Fika", "public", "open");
	char body[1024];
	snprintf(body, sizeof body, "See [the guide][g] **now**.\n\n%s\n\n[g]: https://example.org/guide",
		 repeat("word ", 120));
	int64_t id = ask(admin, "fika", "Where is the guide?", body);

	struct response *r = aget(visitor(*state), "/api/v1/questions");
	assert_status(r, 200);
	assert_int_equal(json_integer_value(jat(r, "items", 0, "id")), id);
	const char *excerpt = jat_str(r, "items", 0, "excerpt");
	if (strncmp(excerpt, "See the guide now. word word", 28) != 0)
		fail_msg("excerpt \"%s\"", excerpt);
	response_free(r);

	r = aget(visitor(*state), "/questions");
	assert_status(r, 200);
	assert_body_contains(r, "<p class=\"excerpt\">See the guide now. word word");
	response_free(r);
}

#define T(f) cmocka_unit_test_setup_teardown(f, server_setup, teardown)
/* Tests that move the server's clock. */
#define C(f) cmocka_unit_test_setup_teardown(f, clock_server_setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(orgs_paged_by_name),
		C(questions_keep_order_across_pages),
		T(tag_lists_what_each_viewer_may_see),
		C(community_shows_newest_members),
		T(excerpts_are_plain_text_of_the_whole_body),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
