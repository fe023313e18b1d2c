/* test_pins: a community's hosts, ambassadors and the site's moderators
 * pin posts as "start here"; the community's page lists them first, in
 * pin order, at most five; hidden and deleted posts drop out, and a
 * private community's pins stay in it (features/pins.h). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "actors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* root (admin) founded plaza (public, open) where ana hosts, bo is an
 * ambassador and eve a member, and garden (public), where bo is a member
 * only; mo is a moderator in no community; zed a member in none. */
struct world {
	const struct server *s;
	struct actor *root, *ana, *bo, *eve, *mo, *zed, *visitor;
	int64_t question; /* eve's, in plaza */
};

static void world_build(struct world *w, const struct server *s)
{
	memset(w, 0, sizeof(*w));
	w->s = s;
	sign_up_cast(s, &w->root, &w->ana, &w->bo, &w->eve);
	w->mo = staff(s, "mo", "--moderator");
	w->zed = member(s, "zed");
	w->visitor = visitor(s);
	make_community(w->root, "plaza", "Plaza", "public", "open");
	make_community(w->root, "garden", "Garden", "public", "open");
	bring_in(w->root, "plaza", w->ana);
	bring_in(w->root, "plaza", w->bo);
	bring_in(w->root, "plaza", w->eve);
	bring_in(w->root, "garden", w->bo);
	set_role(w->root, "plaza", "ana", "host");
	expect_status(apost(w->ana, "/api/v1/c/plaza/members/bo/ambassador", json_object()), 200, NULL);
	w->question = ask(w->eve, "plaza", "Where do I begin", "New here.");
}

static struct response *pin(struct actor *a, int64_t id)
{
	return item_post(a, id, "pin", json_object());
}

static struct response *unpin(struct actor *a, int64_t id)
{
	return item_post(a, id, "unpin", json_object());
}

/* The ids of the community's "start here" posts as a reader sees them,
 * in order, as "1,2,3"; NULL when the page is not theirs to read. */
static const char *start_here(struct actor *a, const char *slug)
{
	struct response *r = aget(a, "/api/v1/c/%s", slug);
	if (r->status == 404) {
		response_free(r);
		return NULL;
	}
	assert_status(r, 200);
	static char out[256];
	out[0] = '\0';
	size_t i;
	json_t *o;
	json_array_foreach(json_path(r->json, "start_here.items"), i, o)
		snprintf(out + strlen(out), sizeof out - strlen(out), "%s%lld", i ? "," : "",
			 (long long)json_integer_value(json_object_get(o, "id")));
	response_free(r);
	return out;
}

static const char *ids(int64_t a, int64_t b, int64_t c)
{
	static char out[96];
	snprintf(out, sizeof out, "%lld,%lld,%lld", (long long)a, (long long)b, (long long)c);
	return out;
}

static void who_may_pin_where(void **state)
{
	struct world w;
	world_build(&w, *state);
	int64_t q = w.question;
	/* its author, a member, someone outside, a visitor: no */
	expect_status(pin(w.eve, q), 403, "forbidden");
	expect_status(pin(w.zed, q), 403, "forbidden");
	expect_status(pin(w.visitor, q), 401, NULL);
	assert_string_equal(start_here(w.eve, "plaza"), "");
	/* the ambassador: yes, once */
	struct response *r = pin(w.bo, q);
	assert_status(r, 200);
	assert_true(json_is_true(json_path(r->json, "pinned")));
	response_free(r);
	expect_status(pin(w.bo, q), 409, "pinned");
	char one[32];
	snprintf(one, sizeof one, "%lld", (long long)q);
	assert_string_equal(start_here(w.visitor, "plaza"), one);
	/* a host unpins, a moderator outside it pins, an admin unpins */
	expect_status(unpin(w.ana, q), 200, NULL);
	expect_status(unpin(w.ana, q), 404, "not_found");
	expect_status(pin(w.mo, q), 200, NULL);
	expect_status(unpin(w.eve, q), 403, "forbidden");
	expect_status(unpin(w.root, q), 200, NULL);
	/* an ambassador of plaza is a plain member of garden */
	int64_t g = ask(w.root, "garden", "Seeds", "Which?");
	expect_status(pin(w.bo, g), 403, "forbidden");
	expect_status(pin(w.root, g), 200, NULL);
	/* answers and updates on a profile are no posts of a community */
	struct response *a = item_post(w.ana, q, "answers", json_pack("{s:s}", "body", "Read the guide."));
	assert_status(a, 201);
	int64_t answer = jint(a, "id");
	response_free(a);
	expect_status(pin(w.bo, answer), 422, "not_pinnable");
	a = apost(w.bo, "/api/v1/items", json_pack("{s:s, s:s}", "kind", "update", "body", "Working out loud"));
	assert_status(a, 201);
	int64_t update = jint(a, "id");
	response_free(a);
	expect_status(pin(w.bo, update), 422, "not_pinnable");
	/* each pin and unpin is one audit entry */
	r = aget(w.ana, "/api/v1/c/plaza/audit?action=item.pinned");
	assert_int_equal(jlen(r, "items"), 2);
	response_free(r);
	r = aget(w.ana, "/api/v1/c/plaza/audit?action=item.unpinned");
	assert_int_equal(jlen(r, "items"), 2);
	assert_string_equal(json_string_value(json_path(json_array_get(json_path(r->json, "items"), 0), "actor.handle")),
			    "root");
	response_free(r);
	/* an archived community's pins stay as they are */
	expect_status(apost(w.root, "/api/v1/c/garden/archive", NULL), 200, NULL);
	expect_status(unpin(w.root, g), 409, "archived");
	expect_status(pin(w.root, q), 200, NULL);
}

static void at_most_five_in_pin_order(void **state)
{
	struct world w;
	world_build(&w, *state);
	int64_t posts[6];
	for (int i = 0; i < 6; i++) {
		char title[32];
		snprintf(title, sizeof title, "Guide %d", i);
		posts[i] = ask(w.ana, "plaza", title, "Read me.");
	}
	int order[] = {3, 0, 4, 1, 2};
	for (int i = 0; i < 5; i++)
		expect_status(pin(w.bo, posts[order[i]]), 200, NULL);
	struct response *r = pin(w.ana, posts[5]);
	assert_error(r, 409, "too_many_pins");
	assert_non_null(strstr(response_jstr(r, "error.message"), "at most 5"));
	response_free(r);
	char want[128];
	snprintf(want, sizeof want, "%lld,%lld,%lld,%lld,%lld", (long long)posts[3], (long long)posts[0],
		 (long long)posts[4], (long long)posts[1], (long long)posts[2]);
	assert_string_equal(start_here(w.eve, "plaza"), want);
	/* a slot freed goes to the next, pinned last */
	expect_status(unpin(w.bo, posts[0]), 200, NULL);
	expect_status(pin(w.bo, posts[5]), 200, NULL);
	snprintf(want, sizeof want, "%lld,%lld,%lld,%lld,%lld", (long long)posts[3], (long long)posts[4],
		 (long long)posts[1], (long long)posts[2], (long long)posts[5]);
	assert_string_equal(start_here(w.visitor, "plaza"), want);
	/* the pages: "Start here" on the community's, "Pinned" on the post's */
	r = aget(w.eve, "/c/plaza");
	assert_body_contains(r, "Start here");
	assert_body_contains(r, "Guide 5");
	response_free(r);
	r = aget(w.eve, "/api/v1/items/%lld", (long long)posts[5]);
	assert_true(json_is_true(json_path(r->json, "pin.pinned")));
	assert_false(json_is_true(json_path(r->json, "pin.can_pin")));
	response_free(r);
	r = aget(w.bo, "/items/%lld", (long long)posts[5]);
	assert_body_contains(r, "Pinned: start here");
	char form[96];
	snprintf(form, sizeof form, "action=\"/items/%lld/unpin\"", (long long)posts[5]);
	assert_body_contains(r, form);
	response_free(r);
	r = aget(w.eve, "/items/%lld", (long long)posts[0]);
	assert_body_lacks(r, "Pinned: start here");
	assert_body_lacks(r, "/pin\"");
	response_free(r);
	/* the HTML form goes back to the post */
	snprintf(form, sizeof form, "/items/%lld/unpin", (long long)posts[5]);
	r = fpost(w.bo, form, (const char *const[]){NULL});
	assert_status(r, 303);
	snprintf(form, sizeof form, "/items/%lld-", (long long)posts[5]);
	assert_header_contains(r, "Location", form);
	response_free(r);
}

static void hidden_and_deleted_posts_drop_out(void **state)
{
	struct world w;
	world_build(&w, *state);
	int64_t a = ask(w.ana, "plaza", "First", "One."), b = ask(w.eve, "plaza", "Second", "Two."),
		c = ask(w.ana, "plaza", "Third", "Three.");
	expect_status(pin(w.bo, a), 200, NULL);
	expect_status(pin(w.bo, b), 200, NULL);
	expect_status(pin(w.bo, c), 200, NULL);
	assert_string_equal(start_here(w.eve, "plaza"), ids(a, b, c));
	/* a moderator hides b: gone for readers, back when shown again */
	char path[96];
	snprintf(path, sizeof path, "/api/v1/moderation/item/%lld", (long long)b);
	expect_status(apost(w.mo, path, json_pack("{s:s}", "action", "hide")), 200, NULL);
	char two[64];
	snprintf(two, sizeof two, "%lld,%lld", (long long)a, (long long)c);
	assert_string_equal(start_here(w.zed, "plaza"), two);
	assert_string_equal(start_here(w.visitor, "plaza"), two);
	/* hidden content is not pinned anew */
	expect_status(unpin(w.mo, b), 200, NULL);
	expect_status(pin(w.mo, b), 409, "hidden");
	expect_status(apost(w.mo, path, json_pack("{s:s}", "action", "unhide")), 200, NULL);
	expect_status(pin(w.bo, b), 200, NULL);
	assert_string_equal(start_here(w.visitor, "plaza"), ids(a, c, b));
	/* a deleted post leaves the list and frees its place */
	expect_status(item_post(w.ana, a, "delete", json_object()), 200, NULL);
	snprintf(two, sizeof two, "%lld,%lld", (long long)c, (long long)b);
	assert_string_equal(start_here(w.eve, "plaza"), two);
	for (int i = 0; i < 3; i++)
		expect_status(pin(w.bo, ask(w.ana, "plaza", "More", "To read.")), 200, NULL);
	expect_status(pin(w.bo, ask(w.ana, "plaza", "Too many", "Sixth.")), 409, "too_many_pins");
}

static void a_private_communitys_pins_stay_in_it(void **state)
{
	struct world w;
	world_build(&w, *state);
	make_community(w.root, "den", "Den", "private", "invite");
	bring_in(w.root, "den", w.bo);
	expect_status(apost(w.root, "/api/v1/c/den/members/bo/ambassador", json_object()), 200, NULL);
	int64_t secret = ask(w.root, "den", "Our secret plan", "Hush.");
	expect_status(pin(w.bo, secret), 200, NULL);
	char one[32];
	snprintf(one, sizeof one, "%lld", (long long)secret);
	assert_string_equal(start_here(w.bo, "den"), one);
	/* outsiders, staff included, see neither the community nor the pin */
	assert_null(start_here(w.zed, "den"));
	assert_null(start_here(w.visitor, "den"));
	assert_null(start_here(w.mo, "den"));
	expect_status(pin(w.mo, secret), 404, "not_found");
	expect_status(unpin(w.zed, secret), 404, "not_found");
	expect_status(aget(w.zed, "/api/v1/items/%lld", (long long)secret), 404, NULL);
	struct response *r = aget(w.visitor, "/c/plaza");
	assert_body_lacks(r, "Our secret plan");
	response_free(r);
	/* nor is it pinned anywhere else */
	assert_string_equal(start_here(w.eve, "plaza"), "");
}

#define T(f) cmocka_unit_test_setup_teardown(f, server_setup, teardown_releasing)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(who_may_pin_where),
		T(at_most_five_in_pin_order),
		T(hidden_and_deleted_posts_drop_out),
		T(a_private_communitys_pins_stay_in_it),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
