/* test_revisions: the history of a best practice and of a method — every
 * field of theirs in the changes between versions, any two versions
 * compared, and an older version restored (by its author only). */
#include "actors.h"

#include <stdio.h>
#include <string.h>

/* asa hosts the public community fika, where bo is a member too. */
struct place {
	struct actor *asa, *bo, *visitor;
	int64_t question;
};

static void place_build(struct place *p, const struct server *s)
{
	struct actor *admin = staff(s, "root", "--admin");
	p->asa = member(s, "asa");
	p->bo = member(s, "bo");
	p->visitor = visitor(s);
	make_community(admin, "fika", "Fika", "public", "open");
	bring_in(admin, "fika", p->asa);
	bring_in(admin, "fika", p->bo);
	p->question = ask(p->bo, "fika", "How do you start?", "Any tips?");
}

static int64_t create(struct actor *a, json_t *body)
{
	struct response *r = apost(a, "/api/v1/c/fika/items", body);
	assert_status(r, 201);
	int64_t id = jint(r, "id");
	response_free(r);
	return id;
}

static void edit(struct actor *a, int64_t id, json_t *body)
{
	char path[64];
	snprintf(path, sizeof path, "/api/v1/items/%lld/edit", (long long)id);
	struct response *r = apost(a, path, body);
	assert_status(r, 200);
	response_free(r);
}

static struct response *restore(struct actor *a, int64_t id, int number)
{
	char path[96];
	snprintf(path, sizeof path, "/api/v1/items/%lld/revisions/%d/restore", (long long)id, number);
	return apost(a, path, json_object());
}

/* The changes of the comparison, or of the listed version at index i
 * (newest first) when i >= 0. */
static json_t *changes_of(const struct response *r, int i)
{
	return i < 0 ? json_path(r->json, "compare.changes")
		     : json_path(json_array_get(json_path(r->json, "items"), (size_t)i), "changes");
}

/* The change of one field; fails when there is none or it differs. */
static void assert_change(const struct response *r, int i, const char *field, const char *removed,
			  const char *added)
{
	json_t *change = json_object_get(changes_of(r, i), field);
	const char *was = json_string_value(json_object_get(change, "removed"));
	const char *is = json_string_value(json_object_get(change, "added"));
	if (!was || !is || strcmp(was, removed) != 0 || strcmp(is, added) != 0)
		harness_fail_response(r, __FILE__, __LINE__, "%s changed from \"%s\" to \"%s\", expected \"%s\" to \"%s\"",
				      field, was ? was : "(none)", is ? is : "(none)", removed, added);
}

static json_t *flag_of(const struct response *r, int i, const char *key)
{
	return json_object_get(json_array_get(json_path(r->json, "items"), (size_t)i), key);
}

static void article_history(void **state)
{
	struct place p;
	place_build(&p, *state);
	int64_t id = create(p.asa, json_pack("{s:s, s:s, s:s, s:s, s:s, s:[s], s:[s]}", "kind", "article", "title",
					     "Fika once a month", "summary", "A monthly fika.", "approach", "Pick a topic",
					     "results", "Thirty came", "contacts", "asa", "tags", "fika"));
	edit(p.asa, id, json_pack("{s:s, s:[s, s]}", "approach", "Pick a topic\nInvite a speaker", "contacts", "bo",
				  "asa"));
	char related[24];
	snprintf(related, sizeof related, "%lld", (long long)p.question);
	edit(p.asa, id, json_pack("{s:s, s:[s]}", "title", "Fika twice a month", "related", related));

	/* Version 1 against 3: the item's fields and the article's, as text. */
	struct response *r = aget(p.visitor, "/api/v1/items/%lld/revisions?from=1&to=3", (long long)id);
	assert_status(r, 200);
	assert_int_equal(jint(r, "compare.from"), 1);
	assert_int_equal(jint(r, "compare.to"), 3);
	assert_change(r, -1, "title", "Fika once a month", "Fika twice a month");
	assert_change(r, -1, "approach", "Pick a topic", "Pick a topic\nInvite a speaker");
	assert_change(r, -1, "contacts", "asa", "bo, asa");
	assert_change(r, -1, "related", "", related);
	assert_null(json_object_get(changes_of(r, -1), "results"));
	/* Each version against the one before it. */
	assert_change(r, 0, "related", "", related);
	assert_null(json_object_get(changes_of(r, 0), "approach"));
	assert_change(r, 1, "contacts", "asa", "bo, asa");
	/* A visitor may read the history but restore nothing. */
	assert_false(json_is_true(flag_of(r, 1, "can_restore")));
	response_free(r);

	r = aget(p.asa, "/api/v1/items/%lld/revisions", (long long)id);
	assert_true(json_is_true(flag_of(r, 1, "can_restore")));
	/* The current version is not offered again. */
	assert_false(json_is_true(flag_of(r, 0, "can_restore")));
	/* By default the last version against the one before. */
	assert_int_equal(jint(r, "compare.from"), 2);
	assert_int_equal(jint(r, "compare.to"), 3);
	response_free(r);

	r = aget(p.asa, "/api/v1/items/%lld/revisions?from=4", (long long)id);
	assert_error(r, 400, "bad_filter");
	response_free(r);

	/* Restoring version 1 makes a fourth version with its fields. */
	r = restore(p.bo, id, 1);
	assert_error(r, 403, "forbidden");
	response_free(r);
	r = restore(p.asa, id, 9);
	assert_error(r, 404, "not_found");
	response_free(r);
	r = restore(p.asa, id, 1);
	assert_status(r, 200);
	assert_jstr(r, "title", "Fika once a month");
	assert_jstr(r, "article.approach", "Pick a topic");
	assert_int_equal(json_array_size(json_path(r->json, "contacts")), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_path(r->json, "contacts"), 0), "handle")), "asa");
	assert_int_equal(json_array_size(json_path(r->json, "related")), 0);
	response_free(r);
	r = aget(p.asa, "/api/v1/items/%lld/revisions?from=1&to=4", (long long)id);
	assert_int_equal(json_array_size(json_path(r->json, "items")), 4);
	assert_int_equal(json_object_size(json_path(r->json, "compare.changes")), 0);
	response_free(r);

	/* The page compares and offers the restore button to the author only. */
	r = aget(p.asa, "/items/%lld/revisions?from=1&to=3", (long long)id);
	assert_status(r, 200);
	assert_body_contains(r, "Invite a speaker");
	assert_body_contains(r, "/revisions/1/restore");
	response_free(r);
	r = aget(p.bo, "/items/%lld/revisions", (long long)id);
	assert_status(r, 200);
	assert_null(strstr(r->body, "/restore"));
	response_free(r);
}

static void method_history(void **state)
{
	struct place p;
	place_build(&p, *state);
	int64_t id = create(p.asa, json_pack("{s:s, s:s, s:s, s:i, s:i, s:i, s:s}", "kind", "method", "title",
					     "Lean coffee", "purpose", "Talk through many topics.", "duration", 45,
					     "group_min", 3, "group_max", 12, "steps", "Write topics\nVote\nTalk"));
	edit(p.asa, id, json_pack("{s:i, s:s, s:s}", "duration", 60, "steps", "Write topics\nTalk", "tips",
				  "Keep time"));
	struct response *r = aget(p.asa, "/api/v1/items/%lld/revisions", (long long)id);
	assert_change(r, -1, "duration", "45", "60");
	assert_change(r, -1, "steps", "Vote\n", "");
	assert_change(r, -1, "tips", "", "Keep time");
	response_free(r);

	r = restore(p.asa, id, 1);
	assert_status(r, 200);
	assert_int_equal(jint(r, "method.duration"), 45);
	assert_int_equal(json_array_size(json_path(r->json, "method.steps")), 3);
	assert_jstr(r, "method.tips", "");
	response_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(article_history, server_setup, server_teardown),
		cmocka_unit_test_setup_teardown(method_history, server_setup, server_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
