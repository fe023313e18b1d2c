/* test_audit: moderation and admin actions each leave one entry in the
 * audit log, which admins read at /admin/audit (filtered, a page at a
 * time) and a community's hosts at /c/{slug}/audit (its entries only);
 * no route changes or removes an entry (features/audit.h). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "actors.h"
#include "route_table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* root (admin) hosts plaza; ana hosts garden; mo is a moderator. */
struct world {
	const struct server *s;
	struct actor *root, *ana, *bo, *eve, *mo, *visitor;
	int64_t question; /* bo's, in plaza */
};

static void world_build(struct world *w, const struct server *s)
{
	memset(w, 0, sizeof(*w));
	w->s = s;
	sign_up_cast(s, &w->root, &w->ana, &w->bo, &w->eve);
	w->mo = staff(s, "mo", "--moderator");
	w->visitor = visitor(s);
	make_community(w->root, "plaza", "Plaza", "public", "open");
	make_community(w->root, "garden", "Garden", "public", "open");
	bring_in(w->root, "plaza", w->bo);
	bring_in(w->root, "plaza", w->eve);
	bring_in(w->root, "garden", w->ana);
	set_role(w->root, "garden", "ana", "host");
	w->question = ask(w->bo, "plaza", "Where is the key", "Of the shed.");
}

/* The entries of a page of the log (held). */
static json_t *entries(struct actor *a, const char *path)
{
	struct response *r = aget(a, "%s", path);
	assert_status(r, 200);
	json_t *items = hold(json_incref(json_path(r->json, "items")));
	response_free(r);
	return items;
}

static size_t with_action(json_t *items, const char *action)
{
	size_t n = 0, i;
	json_t *o;
	json_array_foreach(items, i, o)
		n += strcmp(json_string_value(json_object_get(o, "action")), action) == 0;
	return n;
}

static void actions_leave_one_entry_each(void **state)
{
	struct world w;
	world_build(&w, *state);
	/* a site role */
	int64_t eve = strtoll(sql_rows(w.s, "SELECT id FROM users WHERE handle = 'eve'"), NULL, 10);
	struct response *r;
	char path[96];
	snprintf(path, sizeof path, "/api/v1/admin/users/%lld/role", (long long)eve);
	r = apost(w.root, path, json_pack("{s:s}", "role", "moderator"));
	assert_status(r, 200);
	response_free(r);
	json_t *log = entries(w.root, "/api/v1/admin/audit");
	assert_int_equal(with_action(log, "member.role"), 1);
	json_t *top = json_array_get(log, 0);
	assert_string_equal(json_string_value(json_object_get(top, "action")), "member.role");
	assert_string_equal(json_string_value(json_path(top, "subject.handle")), "eve");
	assert_string_equal(json_string_value(json_path(top, "actor.handle")), "root");
	assert_string_equal(json_string_value(json_path(top, "detail.to")), "moderator");
	assert_string_equal(json_string_value(json_path(top, "detail.from")), "member");
	/* a community role; the set-up made ana host of garden */
	set_role(w.root, "plaza", "bo", "host");
	log = entries(w.root, "/api/v1/admin/audit");
	assert_int_equal(with_action(log, "community.role"), 2);
	/* a moderator removing someone's comment and post: recorded; an
	 * author removing their own: not */
	r = item_post(w.eve, w.question, "comments", json_pack("{s:s}", "body", "Under the mat"));
	int64_t comment = jint(r, "id");
	response_free(r);
	snprintf(path, sizeof path, "/api/v1/comments/%lld/delete", (long long)comment);
	r = apost(w.mo, path, json_object());
	assert_status(r, 200);
	response_free(r);
	int64_t own = ask(w.eve, "plaza", "Never mind", "");
	r = item_post(w.eve, own, "delete", json_object());
	assert_status(r, 200);
	response_free(r);
	r = item_post(w.mo, w.question, "delete", json_object());
	assert_status(r, 200);
	response_free(r);
	log = entries(w.root, "/api/v1/admin/audit");
	assert_int_equal(with_action(log, "comment.deleted"), 1);
	assert_int_equal(with_action(log, "item.deleted"), 1);
	top = json_array_get(log, 0);
	assert_string_equal(json_string_value(json_object_get(top, "action")), "item.deleted");
	assert_string_equal(json_string_value(json_path(top, "community.slug")), "plaza");
	assert_string_equal(json_string_value(json_path(top, "detail.author")), "bo");
	/* archiving a community */
	r = apost(w.ana, "/api/v1/c/garden/archive", json_pack("{s:b}", "archived", 1));
	assert_status(r, 200);
	response_free(r);
	log = entries(w.root, "/api/v1/admin/audit");
	assert_int_equal(with_action(log, "community.archived"), 1);
	/* organisations and kinds of events */
	r = apost(w.root, "/api/v1/orgs", json_pack("{s:s, s:s}", "slug", "acme", "name", "Acme"));
	assert_status(r, 201);
	response_free(r);
	r = apost(w.root, "/api/v1/admin/event-types", json_pack("{s:s, s:s}", "code", "harvest", "name_en", "Harvest"));
	assert_status(r, 201);
	response_free(r);
	log = entries(w.root, "/api/v1/admin/audit");
	assert_int_equal(with_action(log, "org.created"), 1);
	assert_int_equal(with_action(log, "event_type.added"), 1);
	assert_string_equal(json_string_value(json_path(json_array_get(log, 0), "detail.code")), "harvest");
	/* a request that fails records nothing */
	r = apost(w.root, path, json_object());
	assert_status(r, 404);
	response_free(r);
	assert_int_equal(json_array_size(entries(w.root, "/api/v1/admin/audit")), json_array_size(log));
}

static void filters_and_pages(void **state)
{
	struct world w;
	world_build(&w, *state);
	int64_t eve = strtoll(sql_rows(w.s, "SELECT id FROM users WHERE handle = 'eve'"), NULL, 10);
	struct response *r;
	char path[96];
	snprintf(path, sizeof path, "/api/v1/admin/users/%lld/role", (long long)eve);
	/* 60 role changes: more than a page */
	for (int i = 0; i < 60; i++) {
		r = apost(w.root, path, json_pack("{s:s}", "role", i % 2 ? "member" : "moderator"));
		assert_status(r, 200);
		response_free(r);
	}
	bring_in(w.root, "garden", w.eve);
	set_role(w.ana, "garden", "eve", "host");
	struct pages pages;
	json_t *all = walk(w.root, "/api/v1/admin/audit?action=member.role", &pages);
	assert_int_equal(json_array_size(all), 60);
	assert_int_equal(pages.n, 2);
	assert_int_equal(pages.sizes[0], 50);
	/* the newest first */
	assert_true(json_integer_value(json_object_get(json_array_get(all, 0), "id")) >
		    json_integer_value(json_object_get(json_array_get(all, 59), "id")));
	json_t *by_ana = entries(w.root, "/api/v1/admin/audit?actor=ana");
	assert_int_equal(json_array_size(by_ana), 1);
	assert_int_equal(with_action(by_ana, "community.role"), 1);
	json_t *garden = entries(w.root, "/api/v1/admin/audit?community=garden");
	assert_int_equal(json_array_size(garden), 2); /* ana made host, then eve */
	assert_int_equal(json_array_size(entries(w.root, "/api/v1/admin/audit?actor=nobody")), 0);
	/* the HTML page with its filters */
	r = aget(w.root, "/admin/audit?action=community.role");
	assert_status(r, 200);
	assert_body_contains(r, "Community role changed");
	assert_body_lacks(r, "Site role changed</td>");
	response_free(r);
}

static void who_reads_the_log(void **state)
{
	struct world w;
	world_build(&w, *state);
	set_role(w.root, "plaza", "bo", "host");
	/* admins only at /admin/audit */
	struct response *r = aget(w.mo, "/api/v1/admin/audit");
	assert_status(r, 403);
	response_free(r);
	r = aget(w.ana, "/api/v1/admin/audit");
	assert_status(r, 403);
	response_free(r);
	r = aget(w.visitor, "/api/v1/admin/audit");
	assert_status(r, 401);
	response_free(r);
	/* a community's hosts: its entries only */
	json_t *plaza = entries(w.bo, "/api/v1/c/plaza/audit");
	assert_int_equal(json_array_size(plaza), 1);
	assert_string_equal(json_string_value(json_path(json_array_get(plaza, 0), "subject.handle")), "bo");
	json_t *garden = entries(w.ana, "/api/v1/c/garden/audit");
	assert_int_equal(json_array_size(garden), 1);
	assert_string_equal(json_string_value(json_path(json_array_get(garden, 0), "subject.handle")), "ana");
	r = aget(w.ana, "/api/v1/c/plaza/audit");
	assert_status(r, 403);
	response_free(r);
	r = aget(w.eve, "/api/v1/c/plaza/audit");
	assert_status(r, 403);
	response_free(r);
	r = aget(w.ana, "/c/garden/audit");
	assert_status(r, 200);
	assert_body_contains(r, "Community role changed");
	response_free(r);
}

/* ---- append-only ------------------------------------------------------------ */

#define MAX_ROUTES 200

#define LOG_ROWS \
	"SELECT id, actor_id, action, subject_kind, subject_id, community_id, reason, detail, created_at" \
	" FROM audit_log ORDER BY id"

static void no_route_changes_an_entry(void **state)
{
	struct world w;
	world_build(&w, *state);
	set_role(w.root, "plaza", "bo", "host");
	struct response *r = item_post(w.eve, w.question, "report", json_pack("{s:s}", "reason", "spam"));
	assert_status(r, 201);
	response_free(r);
	char path[96];
	snprintf(path, sizeof path, "/api/v1/moderation/item/%lld", (long long)w.question);
	r = apost(w.mo, path, json_pack("{s:s, s:s}", "action", "dismiss", "note", "fine"));
	assert_status(r, 200);
	response_free(r);
	char *before = harness_strdup(sql_rows(w.s, LOG_ROWS));
	assert_true(strlen(before) > 0);
	/* every route, by an admin and by the moderator, with an empty body */
	static struct route_line routes[MAX_ROUTES];
	size_t n = route_table_read(routes, MAX_ROUTES);
	assert_true(n > 50);
	const struct route_values values = {.item = w.question, .slug = "plaza", .handle = "bo", .tag = "keys",
					    .kind = "item"};
	struct actor *who[] = {w.mo, w.root};
	for (size_t k = 0; k < 2; k++)
		for (size_t i = 0; i < n; i++) {
			const char *pattern = routes[i].pattern;
			if (strstr(pattern, "logout") || strstr(pattern, "/settings/password") ||
			    strstr(pattern, "/sessions/revoke"))
				continue; /* they would sign the actor out */
			const char *to = route_table_address(pattern, &values);
			r = strcmp(routes[i].method, "GET") == 0 ? aget(who[k], "%s", to) : apost(who[k], to, json_object());
			response_free(r);
		}
	/* what was there is there, unchanged; anything new came after it */
	const char *after = sql_rows(w.s, LOG_ROWS);
	if (strncmp(after, before, strlen(before)) != 0)
		fail_msg("the audit log changed:\nbefore:\n%s\nafter:\n%s", before, after);
}

#define T(f) cmocka_unit_test_setup_teardown(f, server_setup, teardown_releasing)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(actions_leave_one_entry_each),
		T(filters_and_pages),
		T(who_reads_the_log),
		T(no_route_changes_an_entry),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
