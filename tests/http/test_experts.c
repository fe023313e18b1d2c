/* test_experts: experts per tag and their verification of what members
 * share — admins naming and revoking experts, experts endorsing members
 * until enough of them make one an expert (and the site setting for how
 * many), verifying articles, methods and answers (who may, and what the
 * item then shows), the verification lapsing as the server's clock passes
 * its end or when the author edits, the review queue and the list of what
 * needs review, withdrawing, the catalogue's "verified" filter and facet,
 * and nothing of a private community leaking through any of them.
 *
 * The server runs on a test clock (tests/http/harness.h) that starts at T0
 * and that the tests move; items' own times follow it too. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "actors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PER_PAGE 20

/* 2027-01-15 08:00:00 UTC, on the hour. */
#define T0 ((int64_t)1800000000)
/* 2028-01-15 08:00:00 UTC: T0 and twelve calendar months. */
#define T0_PLUS_12_MONTHS ((int64_t)1831536000)
/* 2027-07-15 08:00:00 UTC: T0 and six calendar months. */
#define T0_PLUS_6_MONTHS ((int64_t)1815638400)
/* 2028-02-29 08:00:00 UTC, a leap day, and a year later, which has no
 * 29 February: 2029-03-01 08:00:00 UTC. */
#define LEAP_DAY ((int64_t)1835424000)
#define LEAP_DAY_PLUS_12_MONTHS ((int64_t)1867046400)

/* ---- the server's clock --------------------------------------------------------------------- */

/* The same time of day, months calendar months later, in UTC. */
static int64_t months_after(int64_t t, int months)
{
	time_t start = (time_t)t;
	struct tm tm;
	gmtime_r(&start, &tm);
	tm.tm_mon += months;
	return (int64_t)timegm(&tm);
}

/* A server on a test clock set to T0. */
static int clock_setup(void **state)
{
	test_clock_start(T0);
	return server_setup(state);
}

/* ---- the place ------------------------------------------------------------------------------ */

/* The public community fika and the private board. asa writes; bo, eva
 * belong to fika as well, pia to board; eli, ola and cai belong to no
 * community. mo is a site moderator. The seed question (asa's, in fika)
 * carries the tags water and soil, so that both exist. */
struct place {
	const struct server *srv;
	struct actor *admin, *mo, *asa, *bo, *eva, *eli, *pia, *ola, *cai, *visitor;
	int64_t seed;
	int64_t signed_in_at; /* by the server's clock */
};

/* Moves the server's clock to t. Sessions last 30 days by that clock: after
 * a longer leap everyone of the place signs in again. */
static void travel(struct place *p, int64_t t)
{
	test_clock_set(t);
	if (t - p->signed_in_at < 30 * 86400)
		return;
	struct actor *const members[] = {p->admin, p->mo, p->asa, p->bo, p->eva, p->eli, p->pia, p->ola, p->cai};
	for (size_t i = 0; i < sizeof members / sizeof members[0]; i++)
		actor_sign_in_again(members[i]);
	p->signed_in_at = t;
}

static void place_build(struct place *p, const struct server *s)
{
	p->signed_in_at = T0;
	p->srv = s;
	p->admin = staff(s, "root", "--admin");
	unlimited_posting(p->admin);
	p->mo = staff(s, "mo", "--moderator");
	p->asa = member(s, "asa");
	p->bo = member(s, "bo");
	p->eva = member(s, "eva");
	p->eli = member(s, "eli");
	p->pia = member(s, "pia");
	p->ola = member(s, "ola");
	p->cai = member(s, "cai");
	p->visitor = visitor(s);
	make_community(p->admin, "fika", "Fika", "public", "open");
	make_community(p->admin, "board", "The Board", "private", "invite");
	bring_in(p->admin, "fika", p->asa);
	bring_in(p->admin, "fika", p->bo);
	bring_in(p->admin, "fika", p->eva);
	bring_in(p->admin, "board", p->asa);
	bring_in(p->admin, "board", p->pia);
	p->seed = new_item(p->asa, "question", "fika",
		       json_pack("{s:s, s:s, s:s, s:[s,s]}", "kind", "question", "title", "Where do we start?",
				 "body", "Any ideas?", "tags", "water", "soil"));
}

/* ---- helpers -------------------------------------------------------------------------------- */

static struct response *experts_of(struct actor *a, const char *tag)
{
	return aget(a, "/api/v1/tags/%s/experts", tag);
}

/* Names (as an admin) or endorses (as an expert) the member in the tag. */
static struct response *add_expert(struct actor *by, const char *tag, const char *handle)
{
	char path[256];
	snprintf(path, sizeof path, "/api/v1/tags/%s/experts", tag);
	return apost(by, path, json_pack("{s:s}", "handle", handle));
}

static void name_expert(struct actor *admin, const char *tag, const char *handle)
{
	struct response *r = add_expert(admin, tag, handle);
	assert_status(r, 200);
	response_free(r);
}

static void endorse(struct actor *expert, const char *tag, const char *handle)
{
	struct response *r = add_expert(expert, tag, handle);
	assert_status(r, 200);
	response_free(r);
}

static struct response *revoke_expert(struct actor *by, const char *tag, const char *handle)
{
	char path[256];
	snprintf(path, sizeof path, "/api/v1/tags/%s/experts/%s/revoke", tag, handle);
	return apost(by, path, NULL);
}

/* eva, eli and pia are experts in water, ola in soil. */
static void name_the_experts(struct place *p)
{
	name_expert(p->admin, "water", "eva");
	name_expert(p->admin, "water", "eli");
	name_expert(p->admin, "water", "pia");
	name_expert(p->admin, "soil", "ola");
}

/* The object with this handle in the array at path, or NULL. */
static json_t *person_in(const struct response *r, const char *path, const char *handle)
{
	json_t *list = json_path(r->json, path), *o;
	size_t i;
	json_array_foreach(list, i, o) {
		const char *h = json_string_value(json_object_get(o, "handle"));
		if (h && strcmp(h, handle) == 0)
			return o;
	}
	return NULL;
}

/* Whether the member is listed as an expert of the tag. */
static bool is_expert_in(struct actor *viewer, const char *tag, const char *handle)
{
	struct response *r = experts_of(viewer, tag);
	assert_status(r, 200);
	bool found = person_in(r, "experts", handle) != NULL;
	response_free(r);
	return found;
}

static bool jtrue(const struct response *r, const char *path)
{
	return json_is_true(json_path(r->json, path));
}

static bool jfalse(const struct response *r, const char *path)
{
	return json_is_false(json_path(r->json, path));
}

static json_t *article_body(const char *title, const char *tag)
{
	json_t *b = json_pack("{s:s, s:s, s:s, s:s}", "kind", "article", "title", title, "summary",
			      "What we learnt.", "approach", "We tried it this way.");
	if (tag)
		json_object_set_new(b, "tags", json_pack("[s]", tag));
	return b;
}

static int64_t article(struct actor *a, const char *slug, const char *title, const char *tag)
{
	return new_item(a, "article", slug, article_body(title, tag));
}

static int64_t method(struct actor *a, const char *slug, const char *title, const char *tag)
{
	return new_item(a, "method", slug,
		    json_pack("{s:s, s:s, s:s, s:i, s:i, s:i, s:s, s:[s]}", "kind", "method", "title", title,
			      "purpose", "Why we do it.", "duration", 30, "group_min", 2, "group_max", 8, "steps",
			      "Gather\nTalk\nClose", "tags", tag));
}

static int64_t question(struct actor *a, const char *slug, const char *title, const char *tag)
{
	return new_item(a, "question", slug,
		    json_pack("{s:s, s:s, s:s, s:[s]}", "kind", "question", "title", title, "body", "What do you think?",
			      "tags", tag));
}

static int64_t answer(struct actor *a, int64_t q, const char *body)
{
	struct response *r = item_post(a, q, "answers", json_pack("{s:s}", "body", body));
	assert_status(r, 201);
	assert_jstr(r, "kind", "answer");
	int64_t id = jint(r, "id");
	assert_true(id > 0);
	response_free(r);
	return id;
}

static struct response *verify(struct actor *a, int64_t id, const char *note)
{
	return item_post(a, id, "verify", note ? json_pack("{s:s}", "note", note) : json_object());
}

static void verify_ok(struct actor *a, int64_t id)
{
	struct response *r = verify(a, id, NULL);
	assert_status(r, 200);
	response_free(r);
}

static struct response *withdraw(struct actor *a, int64_t id)
{
	return item_post(a, id, "verify/withdraw", NULL);
}

/* What a verification should say; at and until are checked when not 0. */
struct want {
	const char *verifier, *tag, *note;
	bool holds, expired, edited;
	int64_t at, until;
};

static void verification_is(const struct response *r, json_t *v, struct want w, int line)
{
	if (!json_is_object(v))
		harness_fail_response(r, __FILE__, line, "no verification object");
	const char *handle = json_string_value(json_object_get(json_object_get(v, "verifier"), "handle"));
	const char *tag = json_string_value(json_object_get(v, "tag"));
	const char *note = json_string_value(json_object_get(v, "note"));
	if (!handle || strcmp(handle, w.verifier) != 0)
		harness_fail_response(r, __FILE__, line, "verifier %s, expected %s", handle ? handle : "(none)",
				      w.verifier);
	if (w.tag && (!tag || strcmp(tag, w.tag) != 0))
		harness_fail_response(r, __FILE__, line, "tag %s, expected %s", tag ? tag : "(none)", w.tag);
	if (w.note && (!note || strcmp(note, w.note) != 0))
		harness_fail_response(r, __FILE__, line, "note \"%s\", expected \"%s\"", note ? note : "(none)", w.note);
	if (json_is_true(json_object_get(v, "holds")) != w.holds ||
	    json_is_true(json_object_get(v, "expired")) != w.expired ||
	    json_is_true(json_object_get(v, "edited")) != w.edited)
		harness_fail_response(r, __FILE__, line, "expected holds %d, expired %d, edited %d", w.holds,
				      w.expired, w.edited);
	if (!json_is_boolean(json_object_get(v, "holds")) || !json_is_boolean(json_object_get(v, "expired")) ||
	    !json_is_boolean(json_object_get(v, "edited")))
		harness_fail_response(r, __FILE__, line, "holds, expired and edited are not all booleans");
	json_int_t at = json_integer_value(json_object_get(v, "verified_at"));
	json_int_t until = json_integer_value(json_object_get(v, "expires_at"));
	if (w.at && at != w.at)
		harness_fail_response(r, __FILE__, line, "verified_at %lld, expected %lld", (long long)at,
				      (long long)w.at);
	if (w.until && until != w.until)
		harness_fail_response(r, __FILE__, line, "expires_at %lld, expected %lld", (long long)until,
				      (long long)w.until);
}

#define assert_verification(r, v, ...) verification_is((r), (v), (struct want){__VA_ARGS__}, __LINE__)

/* GET /api/v1/items/{id} as a, which must answer 200. */
static struct response *item_of(struct actor *a, int64_t id)
{
	struct response *r = get_item(a, id);
	assert_status(r, 200);
	return r;
}

/* The item's verification as a sees it. */
#define assert_item_verification(a, id, ...)                                            \
	do {                                                                            \
		struct response *ri_ = item_of((a), (id));                              \
		verification_is(ri_, json_path(ri_->json, "verification"),             \
				(struct want){__VA_ARGS__}, __LINE__);                  \
		response_free(ri_);                                                     \
	} while (0)

static void assert_unverified(struct actor *a, int64_t id)
{
	struct response *r = item_of(a, id);
	json_t *v = json_path(r->json, "verification");
	if (!v || !json_is_null(v))
		harness_fail_response(r, __FILE__, __LINE__, "expected \"verification\": null");
	response_free(r);
}

/* The list at path (JSON) holds exactly these items, in this order. */
static void list_is(struct actor *a, const char *path, const int64_t *want, size_t n, int line)
{
	struct response *r = aget(a, "%s", path);
	if (r->status != 200)
		harness_fail_response(r, __FILE__, line, "status %ld for %s", r->status, path);
	json_t *items = json_path(r->json, "items");
	bool same = json_array_size(items) == n;
	for (size_t i = 0; same && i < n; i++)
		same = json_integer_value(json_object_get(json_array_get(items, i), "id")) == want[i];
	if (!same) {
		char expected[512] = "";
		size_t len = 0;
		for (size_t i = 0; i < n && len < sizeof expected - 24; i++)
			len += (size_t)snprintf(expected + len, sizeof expected - len, " %lld", (long long)want[i]);
		harness_fail_response(r, __FILE__, line, "%s: expected the items%s", path, n ? expected : " (none)");
	}
	response_free(r);
}

#define LIST_IS(a, path, ...)                                                           \
	list_is((a), (path), (const int64_t[]){__VA_ARGS__},                            \
		sizeof((const int64_t[]){__VA_ARGS__}) / sizeof(int64_t), __LINE__)
#define LIST_EMPTY(a, path) list_is((a), (path), NULL, 0, __LINE__)

/* The list summary with this id in the response's items, or NULL. */
static json_t *summary_in(const struct response *r, int64_t id)
{
	json_t *items = json_path(r->json, "items"), *o;
	size_t i;
	json_array_foreach(items, i, o)
		if (json_integer_value(json_object_get(o, "id")) == id)
			return o;
	return NULL;
}

/* The count of a facet's value (0 when it is not listed). */
static json_int_t facet_count(const struct response *r, const char *facet, const char *value)
{
	char path[64];
	snprintf(path, sizeof path, "facets.%s", facet);
	json_t *list = json_path(r->json, path), *o;
	if (!json_is_array(list))
		harness_fail_response(r, __FILE__, __LINE__, "no facet %s", facet);
	size_t i;
	json_array_foreach(list, i, o) {
		const char *v = json_string_value(json_object_get(o, "value"));
		if (v && strcmp(v, value) == 0)
			return json_integer_value(json_object_get(o, "count"));
	}
	return 0;
}

/* The verified facet of /api/v1/articles{query} as a sees it is yes/no. */
static void verified_facet_is(struct actor *a, const char *query, json_int_t yes, json_int_t no, int line)
{
	struct response *r = aget(a, "/api/v1/articles%s", query);
	if (r->status != 200)
		harness_fail_response(r, __FILE__, line, "status %ld", r->status);
	json_int_t y = facet_count(r, "verified", "yes"), n = facet_count(r, "verified", "no");
	if (y != yes || n != no)
		harness_fail_response(r, __FILE__, line, "verified facet yes %lld, no %lld; expected %lld, %lld",
				      (long long)y, (long long)n, (long long)yes, (long long)no);
	response_free(r);
}

#define assert_verified_facet(a, query, yes, no) verified_facet_is((a), (query), (yes), (no), __LINE__)

/* A site setting through the API, as the admin. */
static struct response *save_setting(struct actor *a, const char *key, const char *value)
{
	return apost(a, "/api/v1/admin/settings", json_pack("{s:s}", key, value));
}

/* ---- naming and revoking experts ----------------------------------------------------------- */

static void experts_named_by_admins(void **state)
{
	struct place p;
	place_build(&p, *state);

	/* a tag no item carries has no experts, and looks like any tag without
	 * them (only private posts may carry it); no one can be named in it */
	struct response *r = experts_of(p.visitor, "nosuch");
	assert_status(r, 200);
	assert_int_equal(jlen(r, "experts"), 0);
	assert_int_equal(jlen(r, "candidates"), 0);
	response_free(r);
	r = aget(p.visitor, "/tags/nosuch/experts");
	assert_status(r, 200);
	response_free(r);
	r = aget(p.visitor, "/tags/---/experts");
	assert_status(r, 404);
	response_free(r);
	r = add_expert(p.admin, "nosuch", "eva");
	assert_error(r, 404, "not_found");
	response_free(r);

	/* none yet */
	r = experts_of(p.visitor, "water");
	assert_status(r, 200);
	assert_jstr(r, "tag", "water");
	assert_int_equal(jlen(r, "experts"), 0);
	assert_int_equal(jlen(r, "candidates"), 0);
	assert_int_equal(jint(r, "endorsements_needed"), 3);
	assert_true(jfalse(r, "can_grant"));
	response_free(r);

	/* the admin names eva, who is listed as named, not endorsed */
	r = add_expert(p.admin, "water", "eva");
	assert_status(r, 200);
	json_t *e = person_in(r, "experts", "eva");
	assert_non_null(e);
	assert_true(json_is_false(json_object_get(e, "endorsed")));
	assert_string_equal(json_string_value(json_object_get(e, "name")), "Test eva");
	assert_string_equal(json_string_value(json_object_get(e, "revoke_url")), "/tags/water/experts/eva/revoke");
	/* since the server's now */
	assert_int_equal(json_integer_value(json_object_get(e, "since")), T0);
	response_free(r);

	r = experts_of(p.visitor, "water");
	assert_status(r, 200);
	assert_int_equal(jlen(r, "experts"), 1);
	e = person_in(r, "experts", "eva");
	assert_non_null(e);
	assert_true(json_is_false(json_object_get(e, "endorsed")));
	assert_null(json_object_get(e, "revoke_url"));
	assert_true(jfalse(r, "can_grant"));
	assert_true(jfalse(r, "is_expert"));
	response_free(r);
	r = experts_of(p.admin, "water");
	assert_true(jtrue(r, "can_grant"));
	response_free(r);
	r = experts_of(p.eva, "water");
	assert_true(jtrue(r, "is_expert"));
	assert_true(jtrue(r, "can_endorse"));
	assert_true(jfalse(r, "can_grant"));
	response_free(r);

	/* the page */
	r = aget(p.visitor, "/tags/water/experts");
	assert_status(r, 200);
	assert_header_contains(r, "Content-Type", "text/html");
	assert_body_contains(r, "href=\"/people/eva\"");
	assert_body_contains(r, "Test eva");
	assert_body_contains(r, "named by an admin");
	assert_body_lacks(r, "action=\"/tags/water/experts\"");
	assert_body_lacks(r, "/revoke");
	response_free(r);
	r = aget(p.admin, "/tags/water/experts");
	assert_status(r, 200);
	assert_body_contains(r, "action=\"/tags/water/experts\"");
	assert_body_contains(r, "action=\"/tags/water/experts/eva/revoke\"");
	response_free(r);

	/* a member who is no expert names no one */
	r = add_expert(p.cai, "water", "bo");
	assert_error(r, 403, "forbidden");
	response_free(r);
	assert_false(is_expert_in(p.visitor, "water", "bo"));

	/* the handle must be a member who is not an expert yet */
	r = add_expert(p.admin, "water", "nobody");
	assert_invalid_field(r, "handle");
	response_free(r);
	r = add_expert(p.admin, "water", "");
	assert_invalid_field(r, "handle");
	response_free(r);
	r = add_expert(p.admin, "water", "eva");
	assert_invalid_field(r, "handle");
	response_free(r);
	r = experts_of(p.visitor, "water");
	assert_int_equal(jlen(r, "experts"), 1);
	response_free(r);

	/* through the form */
	r = fpost(p.admin, "/tags/water/experts", STRS("handle", "eli"));
	assert_status(r, 303);
	assert_header_equal(r, "Location", "/tags/water/experts");
	response_free(r);
	r = fpost(p.admin, "/tags/water/experts", STRS("handle", "nobody"));
	assert_status(r, 422);
	assert_header_contains(r, "Content-Type", "text/html");
	assert_body_contains(r, "field-error");
	assert_body_contains(r, "value=\"nobody\"");
	response_free(r);

	/* listed by name; experts are per tag */
	r = experts_of(p.visitor, "water");
	assert_int_equal(jlen(r, "experts"), 2);
	assert_string_equal(jat_str(r, "experts", 0, "handle"), "eli");
	assert_string_equal(jat_str(r, "experts", 1, "handle"), "eva");
	response_free(r);
	r = experts_of(p.visitor, "soil");
	assert_int_equal(jlen(r, "experts"), 0);
	response_free(r);

	/* the review page knows which tags one is an expert in */
	r = aget(p.eva, "/api/v1/review");
	assert_status(r, 200);
	assert_int_equal(jlen(r, "expert_tags"), 1);
	assert_string_equal(json_string_value(json_array_get(json_path(r->json, "expert_tags"), 0)), "water");
	response_free(r);
}

static void revoking_experts(void **state)
{
	struct place p;
	place_build(&p, *state);
	name_expert(p.admin, "water", "eva");
	name_expert(p.admin, "water", "eli");
	int64_t a = article(p.asa, "fika", "Filters", "water");

	/* only admins revoke, experts included */
	struct response *r = revoke_expert(p.eva, "water", "eli");
	assert_status(r, 403);
	response_free(r);
	r = revoke_expert(p.cai, "water", "eli");
	assert_status(r, 403);
	response_free(r);
	r = revoke_expert(p.mo, "water", "eli");
	assert_status(r, 403);
	response_free(r);
	assert_true(is_expert_in(p.visitor, "water", "eli"));

	/* someone who is no expert in the tag, no one, no tag */
	static const char *const missing[][2] = {
		{"water", "cai"}, {"water", "nobody"}, {"nosuch", "eli"}, {"soil", "eli"},
	};
	for (size_t i = 0; i < sizeof missing / sizeof *missing; i++) {
		r = revoke_expert(p.admin, missing[i][0], missing[i][1]);
		assert_error(r, 404, "not_found");
		response_free(r);
	}

	/* revoked: no longer listed, verifies nothing */
	r = revoke_expert(p.admin, "water", "eli");
	assert_status(r, 200);
	assert_null(person_in(r, "experts", "eli"));
	assert_non_null(person_in(r, "experts", "eva"));
	response_free(r);
	assert_false(is_expert_in(p.visitor, "water", "eli"));
	r = verify(p.eli, a, NULL);
	assert_error(r, 403, "forbidden");
	response_free(r);
	r = item_of(p.eli, a);
	assert_true(jfalse(r, "can_verify"));
	response_free(r);

	/* the endorsements of a revoked expert go with them */
	endorse(p.eva, "water", "cai");
	r = experts_of(p.visitor, "water");
	assert_non_null(person_in(r, "candidates", "cai"));
	response_free(r);
	name_expert(p.admin, "water", "cai");
	r = revoke_expert(p.admin, "water", "cai");
	assert_status(r, 200);
	assert_null(person_in(r, "candidates", "cai"));
	assert_null(person_in(r, "experts", "cai"));
	response_free(r);

	/* through the form */
	r = fpost(p.admin, "/tags/water/experts/eva/revoke", NULL);
	assert_status(r, 303);
	assert_header_equal(r, "Location", "/tags/water/experts");
	response_free(r);
	r = experts_of(p.visitor, "water");
	assert_int_equal(jlen(r, "experts"), 0);
	response_free(r);
	/* eva endorses no one now, and has no tags to review */
	r = add_expert(p.eva, "water", "bo");
	assert_error(r, 403, "forbidden");
	response_free(r);
	r = aget(p.eva, "/api/v1/review");
	assert_status(r, 200);
	assert_int_equal(jlen(r, "expert_tags"), 0);
	response_free(r);
}

/* ---- endorsements --------------------------------------------------------------------------- */

static void endorsements_make_experts(void **state)
{
	struct place p;
	place_build(&p, *state);
	name_the_experts(&p);

	/* one endorsement of the three needed: a candidate */
	struct response *r = add_expert(p.eva, "water", "bo");
	assert_status(r, 200);
	json_t *c = person_in(r, "candidates", "bo");
	assert_non_null(c);
	assert_int_equal(json_integer_value(json_object_get(c, "endorsements")), 1);
	assert_true(json_is_true(json_object_get(c, "endorsed_by_me")));
	assert_null(person_in(r, "experts", "bo"));
	response_free(r);

	/* the same expert again counts once */
	endorse(p.eva, "water", "bo");
	r = experts_of(p.eli, "water");
	c = person_in(r, "candidates", "bo");
	assert_non_null(c);
	assert_int_equal(json_integer_value(json_object_get(c, "endorsements")), 1);
	assert_true(json_is_false(json_object_get(c, "endorsed_by_me")));
	response_free(r);

	/* experts cannot endorse themselves; members and experts in other
	 * tags endorse no one */
	r = add_expert(p.eva, "water", "eva");
	assert_invalid_field(r, "handle");
	response_free(r);
	r = add_expert(p.bo, "water", "bo");
	assert_error(r, 403, "forbidden");
	response_free(r);
	r = add_expert(p.ola, "water", "bo");
	assert_error(r, 403, "forbidden");
	response_free(r);
	/* an expert is not endorsed again */
	r = add_expert(p.eva, "water", "eli");
	assert_invalid_field(r, "handle");
	response_free(r);

	/* the second */
	r = add_expert(p.eli, "water", "bo");
	assert_status(r, 200);
	c = person_in(r, "candidates", "bo");
	assert_non_null(c);
	assert_int_equal(json_integer_value(json_object_get(c, "endorsements")), 2);
	assert_null(person_in(r, "experts", "bo"));
	response_free(r);
	r = aget(p.visitor, "/tags/water/experts");
	assert_status(r, 200);
	assert_body_contains(r, "2 endorsements");
	response_free(r);

	/* the third: bo is an expert, endorsed */
	r = add_expert(p.pia, "water", "bo");
	assert_status(r, 200);
	json_t *e = person_in(r, "experts", "bo");
	assert_non_null(e);
	assert_true(json_is_true(json_object_get(e, "endorsed")));
	assert_null(person_in(r, "candidates", "bo"));
	response_free(r);
	r = experts_of(p.bo, "water");
	assert_true(jtrue(r, "is_expert"));
	assert_true(jtrue(r, "can_endorse"));
	e = person_in(r, "experts", "eva");
	assert_true(json_is_false(json_object_get(e, "endorsed")));
	response_free(r);
	r = aget(p.visitor, "/tags/water/experts");
	assert_body_contains(r, "endorsed by experts");
	response_free(r);
	/* and verifies */
	int64_t a = article(p.asa, "fika", "Rain barrels", "water");
	r = verify(p.bo, a, NULL);
	assert_status(r, 200);
	response_free(r);

	/* an endorsement through the form */
	r = fpost(p.bo, "/tags/water/experts", STRS("handle", "cai"));
	assert_status(r, 303);
	assert_header_equal(r, "Location", "/tags/water/experts");
	response_free(r);
	r = experts_of(p.visitor, "water");
	c = person_in(r, "candidates", "cai");
	assert_non_null(c);
	assert_int_equal(json_integer_value(json_object_get(c, "endorsements")), 1);
	response_free(r);

	/* revoked experts' endorsements stop counting: eva endorses ola,
	 * loses her expertise, and eli and pia's two do not make three */
	endorse(p.eva, "water", "ola");
	r = revoke_expert(p.admin, "water", "eva");
	assert_status(r, 200);
	response_free(r);
	endorse(p.eli, "water", "ola");
	endorse(p.pia, "water", "ola");
	assert_false(is_expert_in(p.visitor, "water", "ola"));
	/* bo's is the third that counts */
	endorse(p.bo, "water", "ola");
	assert_true(is_expert_in(p.visitor, "water", "ola"));
}

/* The count a candidate shows is the count that makes them an expert: an
 * endorsement by someone no longer an expert shows no more than it counts. */
static void candidates_show_the_endorsements_that_count(void **state)
{
	struct place p;
	place_build(&p, *state);
	name_the_experts(&p);
	endorse(p.eva, "water", "cai");
	endorse(p.eli, "water", "cai");
	struct response *r = revoke_expert(p.admin, "water", "eva");
	assert_status(r, 200);
	response_free(r);
	/* one endorsement counts (eli's): cai is no expert */
	assert_false(is_expert_in(p.visitor, "water", "cai"));
	r = experts_of(p.visitor, "water");
	json_t *c = person_in(r, "candidates", "cai");
	assert_non_null(c);
	json_int_t shown = json_integer_value(json_object_get(c, "endorsements"));
	if (shown != 1)
		harness_fail_response(r, __FILE__, __LINE__,
				      "cai shows %lld endorsements; 1 counts towards the %lld needed",
				      (long long)shown, (long long)jint(r, "endorsements_needed"));
	response_free(r);
}

/* ---- the site settings ---------------------------------------------------------------------- */

static void expert_site_settings(void **state)
{
	struct place p;
	place_build(&p, *state);
	name_the_experts(&p);

	/* the settings page offers both, defaults selected */
	struct response *r = aget(p.admin, "/api/v1/admin/settings");
	assert_status(r, 200);
	assert_true(list_has_str(r, "items", "key", "expert_endorsements"));
	assert_true(list_has_str(r, "items", "key", "verification_months"));
	response_free(r);

	/* only the values offered, only by admins */
	r = save_setting(p.admin, "expert_endorsements", "4");
	assert_status(r, 422);
	assert_jstr(r, "error.field", "expert_endorsements");
	response_free(r);
	r = save_setting(p.admin, "verification_months", "7");
	assert_status(r, 422);
	assert_jstr(r, "error.field", "verification_months");
	response_free(r);
	r = save_setting(p.eva, "expert_endorsements", "1");
	assert_status(r, 403);
	response_free(r);

	/* one endorsement suffices */
	r = save_setting(p.admin, "expert_endorsements", "1");
	assert_status(r, 200);
	response_free(r);
	r = experts_of(p.visitor, "water");
	assert_int_equal(jint(r, "endorsements_needed"), 1);
	response_free(r);
	r = add_expert(p.eva, "water", "bo");
	assert_status(r, 200);
	json_t *e = person_in(r, "experts", "bo");
	assert_non_null(e);
	assert_true(json_is_true(json_object_get(e, "endorsed")));
	response_free(r);

	/* a verification holds six months */
	r = save_setting(p.admin, "verification_months", "6");
	assert_status(r, 200);
	response_free(r);
	int64_t a = article(p.asa, "fika", "Half a year", "water");
	r = verify(p.eva, a, NULL);
	assert_status(r, 200);
	assert_verification(r, json_path(r->json, "verification"), .verifier = "eva", .holds = true, .at = T0,
			    .until = T0_PLUS_6_MONTHS);
	response_free(r);
	assert_int_equal(months_after(T0, 6), T0_PLUS_6_MONTHS);
	travel(&p, T0_PLUS_6_MONTHS - 1);
	assert_item_verification(p.visitor, a, .verifier = "eva", .holds = true);
	travel(&p, T0_PLUS_6_MONTHS);
	assert_item_verification(p.visitor, a, .verifier = "eva", .holds = false, .expired = true);

	/* the settings read back */
	r = aget(p.admin, "/api/v1/admin/settings");
	assert_status(r, 200);
	json_t *items = json_path(r->json, "items"), *it;
	size_t i;
	int checked = 0;
	json_array_foreach(items, i, it) {
		const char *key = json_string_value(json_object_get(it, "key"));
		const char *want = strcmp(key, "expert_endorsements") == 0   ? "1"
				   : strcmp(key, "verification_months") == 0 ? "6"
									     : NULL;
		if (!want)
			continue;
		json_t *opt;
		size_t k;
		json_array_foreach(json_object_get(it, "options"), k, opt)
			if (json_is_true(json_object_get(opt, "selected"))) {
				assert_string_equal(json_string_value(json_object_get(opt, "value")), want);
				checked++;
			}
	}
	assert_int_equal(checked, 2);
	response_free(r);

	/* the settings form sends every setting at once */
	r = fpost(p.admin, "/admin/settings",
		  STRS("community_creation", "admins", "expert_endorsements", "3", "verification_months", "12"));
	assert_status(r, 303);
	assert_header_equal(r, "Location", "/admin/settings?saved=1");
	response_free(r);
	r = experts_of(p.visitor, "water");
	assert_int_equal(jint(r, "endorsements_needed"), 3);
	response_free(r);
}

/* ---- verifying -------------------------------------------------------------------------------- */

static void verifying_an_article(void **state)
{
	struct place p;
	place_build(&p, *state);
	name_the_experts(&p);
	int64_t a = article(p.asa, "fika", "Rain gardens", "water");
	assert_int_equal(months_after(T0, 12), T0_PLUS_12_MONTHS);

	/* not verified yet; eva may, asa (the author) and cai may not */
	struct response *r = item_of(p.eva, a);
	assert_true(json_is_null(json_path(r->json, "verification")));
	assert_true(jtrue(r, "can_verify"));
	response_free(r);
	r = item_of(p.cai, a);
	assert_true(jfalse(r, "can_verify"));
	response_free(r);
	r = item_of(p.asa, a);
	assert_true(jfalse(r, "can_verify"));
	response_free(r);

	r = verify(p.eva, a, "Checked the figures with our own pumps.");
	assert_status(r, 200);
	assert_verification(r, json_path(r->json, "verification"), .verifier = "eva", .tag = "water",
			    .note = "Checked the figures with our own pumps.", .holds = true, .at = T0,
			    .until = T0_PLUS_12_MONTHS);
	assert_jstr(r, "verification.verifier.name", "Test eva");
	response_free(r);

	/* the item says so, to anyone */
	assert_item_verification(p.visitor, a, .verifier = "eva", .tag = "water",
				 .note = "Checked the figures with our own pumps.", .holds = true, .at = T0,
				 .until = T0_PLUS_12_MONTHS);
	assert_item_verification(p.asa, a, .verifier = "eva", .holds = true, .at = T0);
	r = aget(p.visitor, "/items/%lld", (long long)a);
	assert_status(r, 200);
	assert_body_contains(r, "Verified");
	assert_body_contains(r, "Test eva");
	assert_body_contains(r, "href=\"/people/eva\"");
	assert_body_contains(r, "href=\"/tags/water/experts\"");
	assert_body_contains(r, "Checked the figures with our own pumps.");
	assert_body_lacks(r, "Needs review");
	/* a visitor gets no verify or withdraw form */
	assert_body_lacks(r, "/verify\"");
	assert_body_lacks(r, "/verify/withdraw");
	response_free(r);
	r = aget(p.eva, "/items/%lld", (long long)a);
	assert_status(r, 200);
	assert_body_contains(r, "/verify\"");
	assert_body_contains(r, "/verify/withdraw\"");
	response_free(r);

	/* lists mark it */
	r = aget(p.visitor, "/api/v1/articles");
	assert_status(r, 200);
	json_t *s = summary_in(r, a);
	assert_non_null(s);
	assert_true(json_is_true(json_object_get(s, "verified")));
	assert_true(json_is_false(json_object_get(s, "needs_review")));
	response_free(r);

	/* another expert verifies again ten days later: new times, new verifier */
	int64_t later = T0 + 10 * 86400;
	travel(&p, later);
	r = verify(p.eli, a, NULL);
	assert_status(r, 200);
	assert_verification(r, json_path(r->json, "verification"), .verifier = "eli", .tag = "water", .note = "",
			    .holds = true, .at = later, .until = months_after(later, 12));
	response_free(r);
	assert_item_verification(p.visitor, a, .verifier = "eli", .holds = true, .at = later,
				 .until = months_after(later, 12));

	/* on a leap day, a year later is 1 March */
	travel(&p, LEAP_DAY);
	r = verify(p.eva, a, "Again");
	assert_status(r, 200);
	assert_verification(r, json_path(r->json, "verification"), .verifier = "eva", .note = "Again", .holds = true,
			    .at = LEAP_DAY, .until = LEAP_DAY_PLUS_12_MONTHS);
	response_free(r);

	/* through the form: back to the item */
	char path[64];
	snprintf(path, sizeof path, "/items/%lld/verify", (long long)a);
	r = fpost(p.pia, path, STRS("note", "Looked at it"));
	assert_status(r, 303);
	char location[64];
	snprintf(location, sizeof location, "/items/%lld-", (long long)a);
	assert_header_contains(r, "Location", location);
	response_free(r);
	assert_item_verification(p.visitor, a, .verifier = "pia", .note = "Looked at it", .holds = true,
				 .at = LEAP_DAY);
}

static void who_may_verify(void **state)
{
	struct place p;
	place_build(&p, *state);
	name_the_experts(&p);
	int64_t a = article(p.asa, "fika", "Drip lines", "water");

	/* not your own, expert or not */
	int64_t own = article(p.eva, "fika", "My own", "water");
	struct response *r = verify(p.eva, own, NULL);
	assert_error(r, 403, "forbidden");
	response_free(r);
	r = item_of(p.eva, own);
	assert_true(jfalse(r, "can_verify"));
	response_free(r);

	/* an expert in another tag, a member, a moderator, an admin: no */
	struct actor *others[] = {p.ola, p.cai, p.mo, p.admin, p.bo};
	for (size_t i = 0; i < sizeof others / sizeof *others; i++) {
		r = verify(others[i], a, NULL);
		assert_error(r, 403, "forbidden");
		response_free(r);
	}
	/* signed out */
	r = verify(p.visitor, a, NULL);
	assert_true(r->status == 401 || r->status == 403);
	response_free(r);
	assert_unverified(p.visitor, a);

	/* a private community's item is no item to someone outside it */
	int64_t secret = article(p.asa, "board", "Board pumps", "water");
	r = verify(p.eva, secret, NULL);
	assert_error(r, 404, "not_found");
	response_free(r);
	/* pia, inside, may */
	r = verify(p.pia, secret, NULL);
	assert_status(r, 200);
	response_free(r);
	r = withdraw(p.eva, secret);
	assert_error(r, 404, "not_found");
	response_free(r);

	/* questions and updates are not verified */
	int64_t q = question(p.asa, "fika", "Which pump?", "water");
	r = verify(p.eva, q, NULL);
	assert_error(r, 422, "invalid");
	response_free(r);
	r = item_of(p.eva, q);
	assert_null(json_path(r->json, "verification"));
	response_free(r);
	int64_t u = new_item(p.asa, "update", "fika",
			 json_pack("{s:s, s:s, s:[s]}", "kind", "update", "body", "Pumps arrived.", "tags", "water"));
	r = verify(p.eva, u, NULL);
	assert_error(r, 422, "invalid");
	response_free(r);
	r = verify(p.eva, 999999, NULL);
	assert_error(r, 404, "not_found");
	response_free(r);

	/* the note: at most 500 characters (not bytes) */
	r = verify(p.eva, a, repeat("x", 501));
	assert_status(r, 422);
	assert_jstr(r, "error.code", "invalid");
	assert_jstr(r, "error.field", "note");
	response_free(r);
	r = verify(p.eva, a, repeat("\xc3\xa9", 501));
	assert_status(r, 422);
	response_free(r);
	r = verify(p.eva, a, "bell\a");
	assert_status(r, 422);
	assert_jstr(r, "error.field", "note");
	response_free(r);
	assert_unverified(p.visitor, a);
	char path[64];
	snprintf(path, sizeof path, "/items/%lld/verify", (long long)a);
	r = fpost(p.eva, path, STRS("note", repeat("x", 501)));
	assert_status(r, 422);
	assert_header_contains(r, "Content-Type", "text/html");
	response_free(r);
	assert_unverified(p.visitor, a);
	const char *longest = repeat("\xc3\xa9", 500);
	r = verify(p.eva, a, longest);
	assert_status(r, 200);
	assert_jstr(r, "verification.note", longest);
	response_free(r);
	/* the note is text on the page, not markup */
	r = verify(p.eli, a, "<script>alert(1)</script>");
	assert_status(r, 200);
	response_free(r);
	r = aget(p.visitor, "/items/%lld", (long long)a);
	assert_status(r, 200);
	assert_body_lacks(r, "<script>alert(1)");
	assert_body_contains(r, "&lt;script&gt;");
	response_free(r);
}

static void verifying_methods_and_answers(void **state)
{
	struct place p;
	place_build(&p, *state);
	name_the_experts(&p);

	/* a method */
	int64_t m = method(p.asa, "fika", "Water walk", "water");
	struct response *r = verify(p.eva, m, "Ran it twice.");
	assert_status(r, 200);
	assert_verification(r, json_path(r->json, "verification"), .verifier = "eva", .tag = "water",
			    .note = "Ran it twice.", .holds = true, .at = T0, .until = T0_PLUS_12_MONTHS);
	response_free(r);
	assert_item_verification(p.visitor, m, .verifier = "eva", .holds = true, .at = T0);
	r = aget(p.visitor, "/items/%lld", (long long)m);
	assert_status(r, 200);
	assert_body_contains(r, "Verified");
	assert_body_contains(r, "href=\"/tags/water/experts\"");
	response_free(r);
	int64_t m2 = method(p.asa, "fika", "Soil walk", "soil");
	LIST_IS(p.visitor, "/api/v1/methods?verified=yes", m);
	LIST_IS(p.visitor, "/api/v1/methods?verified=no", m2);
	r = aget(p.visitor, "/methods?verified=yes");
	assert_status(r, 200);
	assert_body_contains(r, "Water walk");
	assert_body_lacks(r, "Soil walk");
	response_free(r);

	/* an answer, through its question's tags (answers carry none) */
	int64_t q = question(p.asa, "fika", "How deep do we dig?", "water");
	int64_t ans = answer(p.bo, q, "Half a metre.");
	int64_t mine = answer(p.eva, q, "A metre, I would say.");
	r = item_of(p.eva, q);
	json_t *answers = json_path(r->json, "answers"), *o;
	size_t i;
	int seen = 0;
	json_array_foreach(answers, i, o) {
		int64_t id = json_integer_value(json_object_get(o, "id"));
		if (id == ans || id == mine) {
			assert_true(json_is_null(json_object_get(o, "verification")));
			assert_int_equal(json_is_true(json_object_get(o, "can_verify")), id == ans);
			seen++;
		}
	}
	assert_int_equal(seen, 2);
	response_free(r);

	r = verify(p.eva, ans, "Matches the guide.");
	assert_status(r, 200);
	assert_verification(r, json_path(r->json, "verification"), .verifier = "eva", .tag = "water",
			    .note = "Matches the guide.", .holds = true, .at = T0, .until = T0_PLUS_12_MONTHS);
	response_free(r);
	/* one's own answer, no */
	r = verify(p.eva, mine, NULL);
	assert_error(r, 403, "forbidden");
	response_free(r);
	/* the answer read on its own says so */
	assert_item_verification(p.visitor, ans, .verifier = "eva", .tag = "water", .note = "Matches the guide.",
				 .holds = true, .at = T0, .until = T0_PLUS_12_MONTHS);
	r = item_of(p.eva, mine);
	assert_true(json_is_null(json_path(r->json, "verification")));
	assert_true(jfalse(r, "can_verify"));
	response_free(r);
	/* the question shows the answer verified, to anyone */
	r = item_of(p.visitor, q);
	answers = json_path(r->json, "answers");
	seen = 0;
	json_array_foreach(answers, i, o) {
		int64_t id = json_integer_value(json_object_get(o, "id"));
		if (id == ans) {
			assert_verification(r, json_object_get(o, "verification"), .verifier = "eva", .tag = "water",
					    .holds = true, .at = T0, .until = T0_PLUS_12_MONTHS);
			seen++;
		} else if (id == mine) {
			assert_true(json_is_null(json_object_get(o, "verification")));
			seen++;
		}
	}
	assert_int_equal(seen, 2);
	response_free(r);
	r = aget(p.visitor, "/items/%lld", (long long)q);
	assert_status(r, 200);
	assert_body_contains(r, "Verified");
	assert_body_contains(r, "Matches the guide.");
	response_free(r);

	/* an answer to a question in another tag: no */
	int64_t q2 = question(p.asa, "fika", "Clay or sand?", "soil");
	int64_t ans2 = answer(p.bo, q2, "Sand.");
	r = verify(p.eva, ans2, NULL);
	assert_error(r, 403, "forbidden");
	response_free(r);
	r = verify(p.ola, ans2, NULL);
	assert_status(r, 200);
	response_free(r);
}

/* ---- lapsing --------------------------------------------------------------------------------- */

static void verification_expires_with_the_clock(void **state)
{
	struct place p;
	place_build(&p, *state);
	name_the_experts(&p);
	int64_t a1 = article(p.asa, "fika", "Pond liners", "water");
	int64_t a2 = article(p.asa, "fika", "Gutters", "water");
	verify_ok(p.eva, a1);

	/* a second before the end, it holds */
	travel(&p, T0_PLUS_12_MONTHS - 1);
	assert_item_verification(p.visitor, a1, .verifier = "eva", .holds = true, .at = T0,
				 .until = T0_PLUS_12_MONTHS);
	LIST_IS(p.visitor, "/api/v1/articles?verified=yes", a1);
	LIST_IS(p.visitor, "/api/v1/articles?verified=no", a2);
	assert_verified_facet(p.visitor, "", 1, 1);
	LIST_EMPTY(p.asa, "/api/v1/review?list=needs_review");
	LIST_IS(p.eva, "/api/v1/review?list=queue", a2);

	/* at the end it no longer does */
	travel(&p, T0_PLUS_12_MONTHS);
	/* The maintenance of the new hour tells the expert and the author,
	 * once: the next hour's tells no one again. */
	usleep(1500 * 1000);
	jobs_settle(p.srv);
	char told[160];
	snprintf(told, sizeof told,
		 "SELECT u.handle FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.kind = 'lapsed'"
		 " AND n.item_id = %lld ORDER BY u.handle",
		 (long long)a1);
	assert_string_equal(sql_rows(p.srv, told), "asa\neva\n");
	struct response *n = aget(p.asa, "/notifications");
	assert_body_contains(n, "The verification of Pond liners has lapsed");
	response_free(n);
	test_clock_set(T0_PLUS_12_MONTHS + 3600);
	usleep(1500 * 1000);
	jobs_settle(p.srv);
	assert_string_equal(sql_rows(p.srv, told), "asa\neva\n");
	test_clock_set(T0_PLUS_12_MONTHS);
	assert_item_verification(p.visitor, a1, .verifier = "eva", .holds = false, .expired = true, .at = T0,
				 .until = T0_PLUS_12_MONTHS);
	assert_item_verification(p.asa, a1, .verifier = "eva", .holds = false, .expired = true);
	LIST_EMPTY(p.visitor, "/api/v1/articles?verified=yes");
	LIST_IS(p.visitor, "/api/v1/articles?verified=no", a2, a1);
	assert_verified_facet(p.visitor, "", 0, 2);
	assert_verified_facet(p.visitor, "?tag=water", 0, 2);
	assert_verified_facet(p.visitor, "?verified=no", 0, 2);

	/* the summaries say it needs review */
	struct response *r = aget(p.visitor, "/api/v1/articles");
	json_t *s = summary_in(r, a1);
	assert_non_null(s);
	assert_true(json_is_false(json_object_get(s, "verified")));
	assert_true(json_is_true(json_object_get(s, "needs_review")));
	s = summary_in(r, a2);
	assert_true(json_is_false(json_object_get(s, "verified")));
	assert_true(json_is_false(json_object_get(s, "needs_review")));
	response_free(r);

	/* it needs review, and is back in the expert's queue */
	LIST_IS(p.asa, "/api/v1/review?list=needs_review", a1);
	LIST_IS(p.cai, "/api/v1/review?list=needs_review", a1);
	r = aget(p.eva, "/api/v1/review?list=needs_review");
	assert_status(r, 200);
	assert_jstr(r, "list", "needs_review");
	s = summary_in(r, a1);
	assert_non_null(s);
	assert_true(json_is_true(json_object_get(s, "needs_review")));
	assert_true(json_is_false(json_object_get(s, "verified")));
	response_free(r);
	LIST_IS(p.eva, "/api/v1/review?list=queue", a2, a1);
	LIST_IS(p.eva, "/api/v1/review", a2, a1);

	/* the pages show it */
	r = aget(p.visitor, "/items/%lld", (long long)a1);
	assert_status(r, 200);
	assert_body_contains(r, "Needs review");
	assert_body_contains(r, "The verification expired on");
	assert_body_lacks(r, "✓ Verified");
	response_free(r);
	r = aget(p.asa, "/review?list=needs_review");
	assert_status(r, 200);
	assert_body_contains(r, "Pond liners");
	assert_body_lacks(r, "Gutters");
	response_free(r);
	r = aget(p.eva, "/review");
	assert_status(r, 200);
	assert_body_contains(r, "Pond liners");
	assert_body_contains(r, "Gutters");
	assert_body_contains(r, "href=\"/tags/water/experts\"");
	response_free(r);

	/* verified again, for another year from now */
	r = verify(p.eva, a1, NULL);
	assert_status(r, 200);
	assert_verification(r, json_path(r->json, "verification"), .verifier = "eva", .holds = true,
			    .at = T0_PLUS_12_MONTHS, .until = months_after(T0_PLUS_12_MONTHS, 12));
	response_free(r);
	LIST_EMPTY(p.asa, "/api/v1/review?list=needs_review");
	LIST_IS(p.visitor, "/api/v1/articles?verified=yes", a1);
	LIST_IS(p.eva, "/api/v1/review?list=queue", a2);
}

static void edits_send_it_back_for_review(void **state)
{
	struct place p;
	place_build(&p, *state);
	name_the_experts(&p);
	int64_t a = article(p.asa, "fika", "Cisterns", "water");
	int64_t m = method(p.asa, "fika", "Tap check", "water");
	verify_ok(p.eva, a);
	verify_ok(p.eli, m);

	/* the author edits: the verification no longer holds */
	struct response *r = item_edit(p.asa, a, json_pack("{s:s}", "approach", "We tried it another way."));
	assert_status(r, 200);
	response_free(r);
	assert_item_verification(p.visitor, a, .verifier = "eva", .holds = false, .expired = false, .edited = true,
				 .at = T0, .until = T0_PLUS_12_MONTHS);
	r = aget(p.visitor, "/items/%lld", (long long)a);
	assert_status(r, 200);
	assert_body_contains(r, "Needs review");
	assert_body_contains(r, "It was edited after the verification.");
	response_free(r);
	LIST_IS(p.asa, "/api/v1/review?list=needs_review", a);
	LIST_IS(p.visitor, "/api/v1/articles?verified=no", a);
	LIST_EMPTY(p.visitor, "/api/v1/articles?verified=yes");
	LIST_IS(p.eva, "/api/v1/review?list=queue", a);
	LIST_IS(p.visitor, "/api/v1/methods?verified=yes", m);

	/* a method edited likewise */
	r = item_edit(p.asa, m, json_pack("{s:i}", "duration", 45));
	assert_status(r, 200);
	response_free(r);
	assert_item_verification(p.visitor, m, .verifier = "eli", .holds = false, .edited = true);
	LIST_IS(p.asa, "/api/v1/review?list=needs_review", m, a);
	LIST_EMPTY(p.visitor, "/api/v1/methods?verified=yes");

	/* verified again: it holds, not edited since */
	travel(&p, T0 + 3600);
	r = verify(p.eva, a, "Read the new approach.");
	assert_status(r, 200);
	assert_verification(r, json_path(r->json, "verification"), .verifier = "eva", .holds = true,
			    .edited = false, .at = T0 + 3600, .until = months_after(T0 + 3600, 12));
	response_free(r);
	assert_item_verification(p.visitor, a, .verifier = "eva", .holds = true, .edited = false, .expired = false);
	LIST_IS(p.asa, "/api/v1/review?list=needs_review", m);
	LIST_IS(p.visitor, "/api/v1/articles?verified=yes", a);
	LIST_IS(p.eva, "/api/v1/review?list=queue", m);
}

/* ---- the review queue -------------------------------------------------------------------------- */

static void review_queue(void **state)
{
	struct place p;
	place_build(&p, *state);
	name_the_experts(&p);
	int64_t art = article(p.asa, "fika", "Swales", "water");
	int64_t meth = method(p.asa, "fika", "Puddle map", "water");
	int64_t q = question(p.asa, "fika", "What about wells?", "water");
	int64_t ans = answer(p.bo, q, "Test them yearly.");
	int64_t own = article(p.eva, "fika", "Eva's own", "water");
	int64_t other_tag = article(p.asa, "fika", "Compost", "soil");
	int64_t untagged = article(p.asa, "fika", "No tags", NULL);
	int64_t secret = article(p.asa, "board", "Board wells", "water");
	int64_t done = article(p.asa, "fika", "Already checked", "water");
	new_item(p.asa, "update", "fika",
	     json_pack("{s:s, s:s, s:[s]}", "kind", "update", "body", "Rain today.", "tags", "water"));
	int64_t q_other = question(p.asa, "fika", "Which spade?", "soil");
	int64_t ans_other = answer(p.bo, q_other, "A sharp one.");
	verify_ok(p.eli, done);

	/* eva: someone else's article, method and answer in water, nothing
	 * verified, nothing of her own, of other tags or kinds, nothing she
	 * cannot read */
	struct response *r = aget(p.eva, "/api/v1/review?list=queue");
	assert_status(r, 200);
	assert_jstr(r, "list", "queue");
	assert_true(jtrue(r, "is_queue"));
	assert_true(json_is_null(json_path(r->json, "next")));
	response_free(r);
	LIST_IS(p.eva, "/api/v1/review?list=queue", ans, meth, art);
	/* pia also reads the board */
	LIST_IS(p.pia, "/api/v1/review?list=queue", secret, own, ans, meth, art);
	/* ola, in soil */
	LIST_IS(p.ola, "/api/v1/review", ans_other, other_tag);
	(void)untagged;

	/* verified leaves the queue */
	verify_ok(p.pia, meth);
	LIST_IS(p.eva, "/api/v1/review?list=queue", ans, art);
	/* a verification withdrawn puts it back */
	r = withdraw(p.pia, meth);
	assert_status(r, 200);
	response_free(r);
	LIST_IS(p.eva, "/api/v1/review?list=queue", ans, meth, art);

	/* a member who is no expert has nothing to review */
	r = aget(p.cai, "/api/v1/review?list=queue");
	assert_status(r, 200);
	assert_int_equal(jlen(r, "items"), 0);
	assert_true(json_is_array(json_path(r->json, "expert_tags")));
	assert_int_equal(jlen(r, "expert_tags"), 0);
	response_free(r);
	r = aget(p.cai, "/review");
	assert_status(r, 200);
	assert_body_contains(r, "You are not an expert in any tag yet.");
	response_free(r);
	r = aget(p.eva, "/review");
	assert_status(r, 200);
	assert_body_contains(r, "Swales");
	assert_body_contains(r, "Puddle map");
	assert_body_lacks(r, "Eva's own");
	assert_body_lacks(r, "Board wells");
	assert_body_lacks(r, "Already checked");
	response_free(r);

	/* signed out */
	r = aget(p.visitor, "/api/v1/review");
	assert_error(r, 401, "unauthorized");
	response_free(r);
	r = aget(p.visitor, "/review?list=queue");
	assert_status(r, 303);
	assert_header_contains(r, "Location", "/login?next=");
	response_free(r);
	/* an unknown list, a broken cursor */
	r = aget(p.eva, "/api/v1/review?list=everything");
	assert_error(r, 400, "bad_filter");
	assert_jstr(r, "error.field", "list");
	response_free(r);
	r = aget(p.eva, "/api/v1/review?cursor=nonsense");
	assert_status(r, 400);
	response_free(r);

	/* pages: 22 more articles make 25 in all, 20 on the first page */
	int64_t ids[22];
	for (int i = 0; i < 22; i++) {
		char title[32];
		snprintf(title, sizeof title, "Water note %d", i);
		ids[i] = article(p.bo, "fika", title, "water");
	}
	struct pages pg;
	json_t *all = walk(p.eva, "/api/v1/review?list=queue", &pg);
	assert_int_equal(pg.n, 2);
	assert_int_equal(pg.sizes[0], PER_PAGE);
	assert_int_equal(pg.sizes[1], 5);
	int64_t want[25];
	for (int i = 0; i < 22; i++)
		want[i] = ids[21 - i];
	want[22] = ans;
	want[23] = meth;
	want[24] = art;
	assert_ids(all, want, 25);
	r = aget(p.eva, "/review");
	assert_status(r, 200);
	assert_body_contains(r, "/review?list=queue&amp;cursor=");
	response_free(r);
}

/* ---- withdrawing ------------------------------------------------------------------------------- */

static void withdrawing_a_verification(void **state)
{
	struct place p;
	place_build(&p, *state);
	name_the_experts(&p);
	int64_t a = article(p.asa, "fika", "Hoses", "water");
	verify_ok(p.eva, a);

	/* members, experts in other tags, the author: no */
	struct actor *others[] = {p.cai, p.ola, p.asa, p.bo};
	for (size_t i = 0; i < sizeof others / sizeof *others; i++) {
		struct response *r = withdraw(others[i], a);
		assert_error(r, 403, "forbidden");
		response_free(r);
	}
	struct response *r = withdraw(p.visitor, a);
	assert_true(r->status == 401 || r->status == 403);
	response_free(r);
	assert_item_verification(p.visitor, a, .verifier = "eva", .holds = true);
	r = item_of(p.cai, a);
	assert_true(jfalse(r, "can_withdraw_verification"));
	response_free(r);
	r = item_of(p.eva, a);
	assert_true(jtrue(r, "can_withdraw_verification"));
	response_free(r);
	r = item_of(p.mo, a);
	assert_true(jtrue(r, "can_withdraw_verification"));
	response_free(r);

	/* nor the author when an expert in the tag: eli verifies eva's */
	int64_t evas = article(p.eva, "fika", "Eva's hoses", "water");
	verify_ok(p.eli, evas);
	r = item_of(p.eva, evas);
	assert_true(jfalse(r, "can_withdraw_verification"));
	response_free(r);
	r = withdraw(p.eva, evas);
	assert_error(r, 403, "forbidden");
	response_free(r);
	assert_item_verification(p.visitor, evas, .verifier = "eli", .holds = true);
	/* eli, its verifier, may */
	r = withdraw(p.eli, evas);
	assert_status(r, 200);
	assert_true(json_is_null(json_path(r->json, "verification")));
	response_free(r);
	assert_unverified(p.visitor, evas);

	/* the verifier may */
	r = withdraw(p.eva, a);
	assert_status(r, 200);
	assert_true(json_is_null(json_path(r->json, "verification")));
	assert_true(jfalse(r, "can_withdraw_verification"));
	response_free(r);
	assert_unverified(p.visitor, a);
	LIST_EMPTY(p.visitor, "/api/v1/articles?verified=yes");
	LIST_IS(p.visitor, "/api/v1/articles?verified=no", evas, a);
	/* withdrawn is not lapsed: nothing needs review */
	LIST_EMPTY(p.asa, "/api/v1/review?list=needs_review");

	/* so may a moderator, through the form */
	verify_ok(p.eva, a);
	char path[64];
	snprintf(path, sizeof path, "/items/%lld/verify/withdraw", (long long)a);
	r = fpost(p.mo, path, NULL);
	assert_status(r, 303);
	char location[64];
	snprintf(location, sizeof location, "/items/%lld-", (long long)a);
	assert_header_contains(r, "Location", location);
	response_free(r);
	assert_unverified(p.visitor, a);

	/* and the admin (a moderator everywhere) */
	verify_ok(p.eli, a);
	r = withdraw(p.admin, a);
	assert_status(r, 200);
	response_free(r);
	assert_unverified(p.visitor, a);

	/* a lapsed one is withdrawn too */
	verify_ok(p.eva, a);
	travel(&p, T0_PLUS_12_MONTHS + 60);
	LIST_IS(p.asa, "/api/v1/review?list=needs_review", a);
	r = withdraw(p.eva, a);
	assert_status(r, 200);
	response_free(r);
	LIST_EMPTY(p.asa, "/api/v1/review?list=needs_review");
	assert_unverified(p.visitor, a);
}

/* ---- the catalogue ----------------------------------------------------------------------------- */

static void catalogue_verified_filter(void **state)
{
	struct place p;
	place_build(&p, *state);
	name_the_experts(&p);
	int64_t w1 = article(p.asa, "fika", "Water one", "water");
	int64_t w2 = article(p.asa, "fika", "Water two", "water");
	int64_t s1 = article(p.asa, "fika", "Soil one", "soil");
	verify_ok(p.eva, w1);
	verify_ok(p.ola, s1);

	LIST_IS(p.visitor, "/api/v1/articles?verified=yes", s1, w1);
	LIST_IS(p.visitor, "/api/v1/articles?verified=no", w2);
	LIST_IS(p.visitor, "/api/v1/articles?verified=yes&tag=water", w1);
	LIST_IS(p.visitor, "/api/v1/articles", s1, w2, w1);

	/* each facet counts under the other filters */
	assert_verified_facet(p.visitor, "", 2, 1);
	assert_verified_facet(p.visitor, "?tag=water", 1, 1);
	assert_verified_facet(p.visitor, "?tag=soil", 1, 0);
	assert_verified_facet(p.visitor, "?verified=yes", 2, 1);
	struct response *r = aget(p.visitor, "/api/v1/articles?verified=yes");
	assert_status(r, 200);
	assert_jstr(r, "filters.verified", "yes");
	assert_int_equal(facet_count(r, "tag", "water"), 1);
	assert_int_equal(facet_count(r, "tag", "soil"), 1);
	/* the selected value's address drops it, the other's sets it */
	json_t *list = json_path(r->json, "facets.verified"), *o;
	size_t i;
	json_array_foreach(list, i, o) {
		const char *v = json_string_value(json_object_get(o, "value"));
		const char *url = json_string_value(json_object_get(o, "url"));
		assert_non_null(json_string_value(json_object_get(o, "label")));
		if (strcmp(v, "yes") == 0) {
			assert_true(json_is_true(json_object_get(o, "selected")));
			assert_string_equal(url, "/articles");
		} else {
			assert_string_equal(v, "no");
			assert_true(json_is_false(json_object_get(o, "selected")));
			assert_string_equal(url, "/articles?verified=no");
		}
	}
	response_free(r);
	r = aget(p.visitor, "/api/v1/articles?verified=no");
	assert_int_equal(facet_count(r, "tag", "water"), 1);
	assert_int_equal(facet_count(r, "tag", "soil"), 0);
	response_free(r);

	/* the HTML catalogue */
	r = aget(p.visitor, "/articles?verified=yes");
	assert_status(r, 200);
	assert_body_contains(r, "Water one");
	assert_body_contains(r, "Soil one");
	assert_body_lacks(r, "Water two");
	assert_body_contains(r, "Verified by an expert");
	response_free(r);

	/* only yes or no */
	static const char *const bad[] = {"maybe", "YES", "1", "true"};
	for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
		r = aget(p.visitor, "/api/v1/articles?verified=%s", bad[k]);
		assert_error(r, 400, "bad_filter");
		assert_jstr(r, "error.field", "verified");
		response_free(r);
		r = aget(p.visitor, "/api/v1/methods?verified=%s", bad[k]);
		assert_error(r, 400, "bad_filter");
		assert_jstr(r, "error.field", "verified");
		response_free(r);
	}
	r = aget(p.visitor, "/articles?verified=maybe");
	assert_status(r, 400);
	assert_header_contains(r, "Content-Type", "text/html");
	response_free(r);
	r = aget(p.visitor, "/methods?verified=maybe");
	assert_status(r, 400);
	response_free(r);
	/* empty is no filter */
	LIST_IS(p.visitor, "/api/v1/articles?verified=", s1, w2, w1);
}

/* ---- private communities ---------------------------------------------------------------------- */

static void private_verifications_stay_private(void **state)
{
	struct place p;
	place_build(&p, *state);
	name_the_experts(&p);
	int64_t pub = article(p.asa, "fika", "Open wells", "water");
	int64_t secret = article(p.asa, "board", "Board wells", "water");
	int64_t secret2 = article(p.asa, "board", "Board taps", "water");
	verify_ok(p.eva, pub);
	verify_ok(p.pia, secret);

	/* outsiders count and list only the public one */
	struct actor *outside[] = {p.visitor, p.cai, p.eva};
	for (size_t i = 0; i < sizeof outside / sizeof *outside; i++) {
		assert_verified_facet(outside[i], "", 1, 0);
		LIST_IS(outside[i], "/api/v1/articles?verified=yes", pub);
		LIST_EMPTY(outside[i], "/api/v1/articles?verified=no");
	}
	assert_verified_facet(p.asa, "", 2, 1);
	assert_verified_facet(p.pia, "?tag=water", 2, 1);
	LIST_IS(p.asa, "/api/v1/articles?verified=yes", secret, pub);
	LIST_IS(p.asa, "/api/v1/articles?verified=no", secret2);
	/* the queue: eva does not see the board, pia does */
	LIST_EMPTY(p.eva, "/api/v1/review?list=queue");
	LIST_IS(p.pia, "/api/v1/review?list=queue", secret2);

	/* lapsed: outsiders' lists of what needs review lack the board's */
	travel(&p, T0_PLUS_12_MONTHS + 3600);
	LIST_IS(p.cai, "/api/v1/review?list=needs_review", pub);
	LIST_IS(p.eva, "/api/v1/review?list=needs_review", pub);
	LIST_IS(p.asa, "/api/v1/review?list=needs_review", secret, pub);
	LIST_IS(p.pia, "/api/v1/review?list=needs_review", secret, pub);
	struct response *r = aget(p.cai, "/review?list=needs_review");
	assert_status(r, 200);
	assert_body_contains(r, "Open wells");
	assert_body_lacks(r, "Board wells");
	response_free(r);
	assert_verified_facet(p.cai, "", 0, 1);
	assert_verified_facet(p.asa, "", 0, 3);
	LIST_IS(p.eva, "/api/v1/review?list=queue", pub);
	LIST_IS(p.pia, "/api/v1/review?list=queue", secret2, secret, pub);

	r = aget(p.visitor, "/review?list=needs_review");
	assert_status(r, 303);
	response_free(r);
}

#define T(f) cmocka_unit_test_setup_teardown(f, clock_setup, teardown_releasing)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(experts_named_by_admins),
		T(revoking_experts),
		T(endorsements_make_experts),
		T(candidates_show_the_endorsements_that_count),
		T(expert_site_settings),
		T(verifying_an_article),
		T(who_may_verify),
		T(verifying_methods_and_answers),
		T(verification_expires_with_the_clock),
		T(edits_send_it_back_for_review),
		T(review_queue),
		T(withdrawing_a_verification),
		T(catalogue_verified_filter),
		T(private_verifications_stay_private),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
