/* test_communities: creating, editing and archiving communities, the three
 * join policies, leaving, hosts and roles, the community and members pages
 * in HTML and JSON, and hostile text in names and descriptions. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "actors.h"

#include <stdio.h>
#include <stdlib.h>


static struct response *cpost(struct actor *a, const char *slug, const char *what, json_t *body)
{
	char path[256];
	snprintf(path, sizeof path, "/api/v1/c/%s/%s", slug, what);
	return apost(a, path, body);
}

static const char *membership_of(struct actor *a, const char *slug)
{
	struct response *r = aget(a, "/api/v1/c/%s", slug);
	assert_status(r, 200);
	json_t *m = json_path(r->json, "membership");
	const char *s = json_is_string(m) ? harness_strdup(json_string_value(m)) : NULL;
	response_free(r);
	return s;
}

static json_t *member_entry(const struct response *r, const char *list, const char *handle)
{
	json_t *items = json_path(r->json, list), *it;
	size_t i;
	json_array_foreach(items, i, it) {
		const char *h = json_string_value(json_object_get(it, "handle"));
		if (h && strcmp(h, handle) == 0)
			return it;
	}
	return NULL;
}

/* ---- creating ----------------------------------------------------------------- */

static void admin_creates_community(void **state)
{
	struct actor *admin = staff(*state, "root", "--admin");
	struct response *r = apost(admin, "/api/v1/c",
				   json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "slug", "solar-peers",
					     "name", "Solar Peers", "description", "For **installers**.",
					     "visibility", "public", "join_policy", "request", "kind", "community",
					     "language", "sv"));
	assert_status(r, 201);
	assert_jstr(r, "slug", "solar-peers");
	assert_jstr(r, "name", "Solar Peers");
	assert_jstr(r, "visibility", "public");
	assert_jstr(r, "join_policy", "request");
	assert_jstr(r, "language", "sv");
	assert_jstr(r, "url", "/c/solar-peers");
	assert_jstr(r, "membership", "active");
	assert_true(json_is_true(json_path(r->json, "is_host")));
	assert_int_equal(jint(r, "member_count"), 1);
	assert_non_null(strstr(response_jstr(r, "description_html"), "<strong>installers</strong>"));
	response_free(r);

	/* the creator hosts it */
	r = aget(admin, "/api/v1/c/solar-peers/members");
	assert_status(r, 200);
	json_t *e = member_entry(r, "items", "root");
	assert_non_null(e);
	assert_string_equal(json_string_value(json_object_get(e, "role")), "host");
	response_free(r);

	/* the HTML form posts and redirects to the new community */
	r = fpost(admin, "/c", STRS("name", "Heat Pumps", "slug", "heat-pumps", "visibility", "members",
				    "join_policy", "open", "language", "en", "description", "Pumps"));
	assert_status(r, 303);
	assert_header_equal(r, "Location", "/c/heat-pumps");
	response_free(r);
	r = aget(admin, "/c/heat-pumps");
	assert_status(r, 200);
	assert_header_contains(r, "Content-Type", "text/html");
	assert_body_contains(r, "Heat Pumps");
	response_free(r);
	r = aget(admin, "/api/v1/c");
	assert_status(r, 200);
	assert_true(list_has_str(r, "items", "slug", "solar-peers"));
	assert_true(list_has_str(r, "items", "slug", "heat-pumps"));
	response_free(r);
}

static void member_cannot_create_community(void **state)
{
	struct actor *m = member(*state, "maja");
	struct response *r = apost(m, "/api/v1/c", json_pack("{s:s, s:s}", "slug", "mine", "name", "Mine"));
	assert_error(r, 403, "forbidden");
	response_free(r);
	r = fpost(m, "/c", STRS("slug", "mine", "name", "Mine"));
	assert_status(r, 403);
	response_free(r);
	r = aget(m, "/c/new");
	assert_status(r, 403);
	response_free(r);
	r = aget(m, "/api/v1/c/mine");
	assert_status(r, 404);
	response_free(r);
	/* signed out: sign in first */
	struct actor *v = visitor(*state);
	r = apost(v, "/api/v1/c", json_pack("{s:s, s:s}", "slug", "mine", "name", "Mine"));
	assert_status(r, 401);
	response_free(r);
}

/* Admins let members create communities with a site setting. */
static void site_setting_lets_members_create(void **state)
{
	struct actor *admin = staff(*state, "root", "--admin");
	struct actor *m = member(*state, "maja");
	struct response *r = apost(m, "/api/v1/admin/settings", json_pack("{s:s}", "community_creation", "members"));
	assert_error(r, 403, "forbidden");
	response_free(r);
	r = apost(admin, "/api/v1/admin/settings", json_pack("{s:s}", "community_creation", "everyone"));
	assert_error(r, 422, "invalid");
	response_free(r);
	r = aget(admin, "/admin/settings");
	assert_status(r, 200);
	response_free(r);
	r = apost(admin, "/api/v1/admin/settings", json_pack("{s:s}", "community_creation", "members"));
	assert_status(r, 200);
	response_free(r);
	r = apost(m, "/api/v1/c", json_pack("{s:s, s:s}", "slug", "mine", "name", "Mine"));
	assert_status(r, 201);
	response_free(r);
	/* the member hosts what they created */
	r = aget(m, "/api/v1/c/mine");
	assert_true(json_is_true(json_path(r->json, "is_host")));
	response_free(r);
	/* and back to admins only */
	r = apost(admin, "/api/v1/admin/settings", json_pack("{s:s}", "community_creation", "admins"));
	assert_status(r, 200);
	response_free(r);
	r = apost(m, "/api/v1/c", json_pack("{s:s, s:s}", "slug", "more", "name", "More"));
	assert_error(r, 403, "forbidden");
	response_free(r);
}

static void slug_generated_from_name(void **state)
{
	struct actor *admin = staff(*state, "root", "--admin");
	struct response *r = apost(admin, "/api/v1/c", json_pack("{s:s, s:s}", "name", "Green Energy Network!",
								 "slug", ""));
	assert_status(r, 201);
	assert_jstr(r, "slug", "green-energy-network");
	response_free(r);
	/* without the field at all */
	r = apost(admin, "/api/v1/c", json_pack("{s:s}", "name", "  Water & Waste  "));
	assert_status(r, 201);
	assert_jstr(r, "slug", "water-waste");
	assert_jstr(r, "name", "Water & Waste");
	response_free(r);
	/* a name with letters beyond ASCII still gives a valid address */
	r = apost(admin, "/api/v1/c", json_pack("{s:s}", "name", "Fika på Östermalm"));
	assert_status(r, 201);
	const char *slug = response_jstr(r, "slug");
	assert_non_null(slug);
	for (const char *p = slug; *p; p++)
		assert_true((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-');
	char *copy = harness_strdup(slug);
	response_free(r);
	r = aget(admin, "/api/v1/c/%s", copy);
	assert_status(r, 200);
	assert_jstr(r, "name", "Fika på Östermalm");
	response_free(r);
}

static void taken_slug_conflicts(void **state)
{
	struct actor *admin = staff(*state, "root", "--admin");
	make_community(admin, "fika", "Fika", "public", "open");
	struct response *r = apost(admin, "/api/v1/c", json_pack("{s:s, s:s}", "slug", "fika", "name", "Other Fika"));
	assert_error(r, 409, "taken");
	assert_jstr(r, "error.field", "slug");
	response_free(r);
	/* a slug made from the name conflicts the same way */
	r = apost(admin, "/api/v1/c", json_pack("{s:s}", "name", "Fika"));
	assert_error(r, 409, "taken");
	assert_jstr(r, "error.field", "slug");
	response_free(r);
	/* the HTML form comes back with what was typed */
	r = fpost(admin, "/c", STRS("slug", "fika", "name", "Second Fika Group", "description", "Typed description 42"));
	assert_status(r, 409);
	assert_header_contains(r, "Content-Type", "text/html");
	assert_body_contains(r, "Second Fika Group");
	assert_body_contains(r, "Typed description 42");
	response_free(r);
	/* and the first one is untouched */
	r = aget(admin, "/api/v1/c/fika");
	assert_jstr(r, "name", "Fika");
	response_free(r);
}

static void invalid_fields_rejected(void **state)
{
	struct actor *admin = staff(*state, "root", "--admin");
	struct {
		const char *slug, *name, *visibility, *policy, *language, *field;
	} cases[] = {
		{"ok-slug", "", "public", "open", "en", "name"},
		{"Bad Slug!", "Name", "public", "open", "en", "slug"},
		{"-dash", "Name", "public", "open", "en", "slug"},
		{"new", "Name", "public", "open", "en", "slug"},
		{"x", "Name", "public", "open", "en", "slug"},
		{"ok-slug", "Name", "secret", "open", "en", "visibility"},
		{"ok-slug", "Name", "public", "whenever", "en", "join_policy"},
		{"ok-slug", "Name", "public", "open", "de", "language"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct response *r = apost(admin, "/api/v1/c",
					   json_pack("{s:s, s:s, s:s, s:s, s:s}", "slug", cases[i].slug,
						     "name", cases[i].name, "visibility", cases[i].visibility,
						     "join_policy", cases[i].policy, "language", cases[i].language));
		assert_error(r, 422, "invalid");
		assert_jstr(r, "error.field", cases[i].field);
		response_free(r);
	}
	/* a name of 101 characters */
	char long_name[128];
	memset(long_name, 'n', 101);
	long_name[101] = '\0';
	struct response *r = apost(admin, "/api/v1/c", json_pack("{s:s, s:s}", "slug", "long", "name", long_name));
	assert_error(r, 422, "invalid");
	assert_jstr(r, "error.field", "name");
	response_free(r);
	/* a wrong type is a bad request */
	r = apost(admin, "/api/v1/c", json_pack("{s:s, s:i}", "slug", "typed", "name", 5));
	assert_status(r, 400);
	response_free(r);
	/* the HTML form keeps every typed value, escaped */
	r = fpost(admin, "/c", STRS("slug", "Bad Slug!", "name", "Typed <Name> & co", "description",
				    "My typed description", "visibility", "private", "join_policy", "invite",
				    "language", "nl"));
	assert_status(r, 422);
	assert_header_contains(r, "Content-Type", "text/html");
	assert_body_contains(r, "value=\"Bad Slug!\"");
	assert_body_contains(r, "Typed &lt;Name&gt; &amp; co");
	assert_body_contains(r, "My typed description");
	assert_body_contains(r, "value=\"private\" checked");
	assert_body_contains(r, "value=\"invite\" checked");
	assert_body_contains(r, "value=\"nl\" selected");
	assert_body_lacks(r, "Typed <Name>");
	response_free(r);
	/* nothing was created */
	r = aget(admin, "/api/v1/c");
	assert_int_equal(json_array_size(json_path(r->json, "items")), 0);
	response_free(r);
}

/* ---- editing and archiving ------------------------------------------------------ */

static void host_edits_community(void **state)
{
	struct actor *admin = staff(*state, "root", "--admin");
	struct actor *host = member(*state, "hedda");
	struct actor *m = member(*state, "mats");
	make_community(admin, "makers", "Makers", "public", "open");
	bring_in(admin, "makers", host);
	bring_in(admin, "makers", m);
	set_role(admin, "makers", "hedda", "host");

	struct response *r = cpost(host, "makers", "edit",
				   json_pack("{s:s, s:s, s:s, s:s}", "name", "Makers & Menders", "description",
					     "Repair cafés", "visibility", "members", "join_policy", "request"));
	assert_status(r, 200);
	assert_jstr(r, "name", "Makers & Menders");
	assert_jstr(r, "visibility", "members");
	assert_jstr(r, "join_policy", "request");
	assert_jstr(r, "slug", "makers");
	response_free(r);
	r = aget(m, "/api/v1/c/makers");
	assert_jstr(r, "description", "Repair cafés");
	response_free(r);

	/* a plain member cannot */
	r = cpost(m, "makers", "edit", json_pack("{s:s}", "name", "Mine now"));
	assert_error(r, 403, "forbidden");
	response_free(r);
	r = aget(m, "/c/makers/edit");
	assert_status(r, 403);
	response_free(r);
	r = aget(host, "/c/makers/edit");
	assert_status(r, 200);
	assert_body_contains(r, "Makers &amp; Menders");
	response_free(r);
	/* invalid values are refused, the HTML form keeps them */
	r = cpost(host, "makers", "edit", json_pack("{s:s, s:s}", "name", "Makers", "visibility", "everyone"));
	assert_error(r, 422, "invalid");
	assert_jstr(r, "error.field", "visibility");
	response_free(r);
	r = fpost(host, "/c/makers/edit", STRS("name", "", "description", "Kept text 77"));
	assert_status(r, 422);
	assert_body_contains(r, "Kept text 77");
	response_free(r);
	r = aget(m, "/api/v1/c/makers");
	assert_jstr(r, "name", "Makers & Menders");
	response_free(r);
}

static void archived_community_refuses_posts_and_joins(void **state)
{
	struct actor *admin = staff(*state, "root", "--admin");
	struct actor *host = member(*state, "hedda");
	struct actor *m = member(*state, "mats");
	struct actor *late = member(*state, "lotta");
	make_community(admin, "old-days", "Old Days", "public", "open");
	bring_in(admin, "old-days", host);
	bring_in(admin, "old-days", m);
	set_role(admin, "old-days", "hedda", "host");
	int64_t q = ask(m, "old-days", "Before the archive", "");

	struct response *r = cpost(m, "old-days", "archive", NULL);
	assert_error(r, 403, "forbidden");
	response_free(r);
	r = cpost(host, "old-days", "archive", NULL);
	assert_status(r, 200);
	assert_true(json_is_true(json_path(r->json, "archived")));
	response_free(r);

	r = cpost(m, "old-days", "items", json_pack("{s:s, s:s}", "kind", "question", "title", "After the archive"));
	assert_error(r, 409, "archived");
	response_free(r);
	r = cpost(late, "old-days", "join", NULL);
	assert_error(r, 409, "archived");
	response_free(r);
	assert_null(membership_of(late, "old-days"));
	/* what was there stays readable */
	r = aget(late, "/api/v1/items/%lld", (long long)q);
	assert_status(r, 200);
	response_free(r);
	r = aget(m, "/api/v1/c/old-days");
	assert_false(json_is_true(json_path(r->json, "can_post")));
	response_free(r);

	/* reopened, it works again */
	r = cpost(host, "old-days", "archive", json_pack("{s:b}", "archived", 0));
	assert_status(r, 200);
	assert_false(json_is_true(json_path(r->json, "archived")));
	response_free(r);
	ask(m, "old-days", "After reopening", "");
	r = cpost(late, "old-days", "join", NULL);
	assert_status(r, 200);
	assert_jstr(r, "membership", "active");
	response_free(r);
}

/* ---- joining ------------------------------------------------------------------------ */

/* The community's member count on its page and in the directory, as
 * its founder sees it. */
static int64_t member_count(struct actor *a, const char *slug)
{
	struct response *r = aget(a, "/api/v1/c/%s", slug);
	assert_status(r, 200);
	int64_t n = jint(r, "member_count");
	response_free(r);
	return n;
}

/* The count of active members follows every way in and out: joining, a
 * request (not counted until approved, nor when declined), an invitation
 * (not counted until accepted), leaving and being removed; an import's
 * communities are counted too. */
static void member_count_follows_every_change(void **state)
{
	struct actor *admin = staff(*state, "root", "--admin");
	struct actor *a = member(*state, "anna"), *b = member(*state, "bert"), *c = member(*state, "cilla");
	make_community(admin, "tally", "Tally", "public", "open");
	make_community(admin, "gate", "Gate", "public", "request");
	assert_int_equal(member_count(admin, "tally"), 1);
	response_free(cpost(a, "tally", "join", NULL));
	response_free(cpost(b, "tally", "join", NULL));
	assert_int_equal(member_count(admin, "tally"), 3);
	response_free(cpost(b, "tally", "leave", NULL));
	assert_int_equal(member_count(admin, "tally"), 2);
	struct response *r = cpost(admin, "tally", "members/anna/role", json_pack("{s:s}", "role", "removed"));
	assert_status(r, 200);
	response_free(r);
	assert_int_equal(member_count(admin, "tally"), 1);

	response_free(cpost(a, "gate", "join", NULL));
	response_free(cpost(b, "gate", "join", NULL));
	assert_int_equal(member_count(admin, "gate"), 1);
	response_free(cpost(admin, "gate", "requests/anna/approve", NULL));
	response_free(cpost(admin, "gate", "requests/bert/decline", NULL));
	assert_int_equal(member_count(admin, "gate"), 2);
	r = cpost(admin, "gate", "invite", json_pack("{s:s}", "handle", "cilla"));
	assert_status(r, 200);
	response_free(r);
	assert_int_equal(member_count(admin, "gate"), 2);
	response_free(cpost(c, "gate", "join", NULL));
	assert_int_equal(member_count(admin, "gate"), 3);
	assert_string_equal(sql_rows(*state, "SELECT cc.members FROM community_counts cc"
					      " JOIN communities c ON c.id = cc.community_id WHERE c.slug = 'gate'"),
			    "3\n");
}

static void open_join_is_immediate(void **state)
{
	struct actor *admin = staff(*state, "root", "--admin");
	struct actor *m = member(*state, "mats");
	make_community(admin, "opendoor", "Open Door", "public", "open");
	struct response *r = cpost(m, "opendoor", "join", NULL);
	assert_status(r, 200);
	assert_jstr(r, "membership", "active");
	response_free(r);
	/* joining twice changes nothing */
	r = cpost(m, "opendoor", "join", NULL);
	assert_status(r, 200);
	assert_jstr(r, "membership", "active");
	response_free(r);
	r = aget(m, "/api/v1/c/opendoor");
	assert_true(json_is_true(json_path(r->json, "is_member")));
	assert_true(json_is_true(json_path(r->json, "can_post")));
	assert_int_equal(jint(r, "member_count"), 2);
	response_free(r);
	ask(m, "opendoor", "First question as a member", "");
	/* the HTML form redirects back to the community */
	struct actor *n = member(*state, "nora");
	r = fpost(n, "/c/opendoor/join", NULL);
	assert_status(r, 303);
	assert_header_equal(r, "Location", "/c/opendoor");
	response_free(r);
	assert_string_equal(membership_of(n, "opendoor"), "active");
}

static void request_join_waits_for_a_host(void **state)
{
	struct actor *admin = staff(*state, "root", "--admin");
	struct actor *host = member(*state, "hedda");
	struct actor *a = member(*state, "anna");
	struct actor *b = member(*state, "bert");
	struct actor *m = member(*state, "mats");
	make_community(admin, "guild", "Guild", "public", "request");
	bring_in(admin, "guild", host);
	bring_in(admin, "guild", m);
	set_role(admin, "guild", "hedda", "host");

	struct response *r = cpost(a, "guild", "join", NULL);
	assert_status(r, 200);
	assert_jstr(r, "membership", "requested");
	response_free(r);
	r = cpost(b, "guild", "join", NULL);
	assert_jstr(r, "membership", "requested");
	response_free(r);
	/* not a member yet */
	r = cpost(a, "guild", "items", json_pack("{s:s, s:s}", "kind", "question", "title", "Too early?"));
	assert_error(r, 403, "not_member");
	response_free(r);
	r = aget(a, "/api/v1/c/guild");
	assert_true(json_is_true(json_path(r->json, "is_requested")));
	assert_false(json_is_true(json_path(r->json, "is_member")));
	response_free(r);

	/* hosts see the requests; members do not */
	r = aget(host, "/api/v1/c/guild/members");
	assert_non_null(member_entry(r, "requests", "anna"));
	assert_non_null(member_entry(r, "requests", "bert"));
	assert_null(member_entry(r, "items", "anna"));
	response_free(r);
	r = aget(m, "/api/v1/c/guild/members");
	assert_status(r, 200);
	assert_null(json_path(r->json, "requests"));
	assert_body_lacks(r, "anna");
	response_free(r);

	/* a member cannot decide */
	r = cpost(m, "guild", "requests/anna/approve", NULL);
	assert_error(r, 403, "forbidden");
	response_free(r);
	r = cpost(host, "guild", "requests/anna/approve", NULL);
	assert_status(r, 200);
	assert_jstr(r, "membership", "active");
	response_free(r);
	r = cpost(host, "guild", "requests/bert/decline", NULL);
	assert_status(r, 200);
	response_free(r);
	assert_string_equal(membership_of(a, "guild"), "active");
	assert_null(membership_of(b, "guild"));
	ask(a, "guild", "Now a member", "");
	/* no request left to decide */
	r = cpost(host, "guild", "requests/bert/approve", NULL);
	assert_status(r, 404);
	response_free(r);
	r = cpost(host, "guild", "requests/nobody/approve", NULL);
	assert_status(r, 404);
	response_free(r);
	/* a declined member may ask again */
	r = cpost(b, "guild", "join", NULL);
	assert_jstr(r, "membership", "requested");
	response_free(r);
	/* HTML: the members page shows the host the request, with buttons */
	r = aget(host, "/c/guild/members");
	assert_status(r, 200);
	assert_body_contains(r, "/c/guild/requests/bert/approve");
	response_free(r);
	/* an unknown decision is not a decline */
	r = cpost(host, "guild", "requests/bert/maybe", NULL);
	if (r->status == 200)
		harness_fail_response(r, __FILE__, __LINE__, "an unknown decision was accepted");
	response_free(r);
	assert_string_equal(membership_of(b, "guild"), "requested");
}

static void invite_only_join(void **state)
{
	struct actor *admin = staff(*state, "root", "--admin");
	struct actor *i = member(*state, "ida");
	struct actor *m = member(*state, "mats");
	make_community(admin, "board", "Board", "members", "invite");
	bring_in(admin, "board", m);
	struct response *r = cpost(i, "board", "join", NULL);
	assert_error(r, 403, "invitation_required");
	response_free(r);
	assert_null(membership_of(i, "board"));
	/* members cannot invite */
	r = cpost(m, "board", "invite", json_pack("{s:s}", "handle", "ida"));
	assert_error(r, 403, "forbidden");
	response_free(r);
	/* hosts can; unknown handles are refused */
	r = cpost(admin, "board", "invite", json_pack("{s:s}", "handle", "nobody-here"));
	assert_error(r, 422, "invalid");
	assert_jstr(r, "error.field", "handle");
	response_free(r);
	r = cpost(admin, "board", "invite", json_pack("{s:s}", "handle", "@ida"));
	assert_status(r, 200);
	response_free(r);
	assert_string_equal(membership_of(i, "board"), "invited");
	r = aget(admin, "/api/v1/c/board/members");
	assert_non_null(member_entry(r, "invitations", "ida"));
	response_free(r);
	/* the host's page lists the invitation, with a way to withdraw it */
	r = aget(admin, "/c/board/members");
	assert_status(r, 200);
	assert_body_contains(r, "action=\"/c/board/members/ida/role\"");
	assert_body_contains(r, "Withdraw the invitation");
	response_free(r);
	/* invited is not yet a member */
	r = cpost(i, "board", "items", json_pack("{s:s, s:s}", "kind", "question", "title", "Hello?"));
	assert_error(r, 403, "not_member");
	response_free(r);
	/* joining accepts */
	r = cpost(i, "board", "join", NULL);
	assert_status(r, 200);
	assert_jstr(r, "membership", "active");
	response_free(r);
	ask(i, "board", "Glad to be here", "");
	/* declining an invitation: leave */
	struct actor *d = member(*state, "dora");
	r = cpost(admin, "board", "invite", json_pack("{s:s}", "handle", "dora"));
	assert_status(r, 200);
	response_free(r);
	r = cpost(d, "board", "leave", NULL);
	assert_status(r, 200);
	response_free(r);
	assert_null(membership_of(d, "board"));
	r = cpost(d, "board", "join", NULL);
	assert_error(r, 403, "invitation_required");
	response_free(r);
}

static void leave_and_last_host(void **state)
{
	struct actor *admin = staff(*state, "root", "--admin");
	struct actor *m = member(*state, "mats");
	make_community(admin, "club", "Club", "public", "open");
	bring_in(admin, "club", m);
	struct response *r = cpost(m, "club", "leave", NULL);
	assert_status(r, 200);
	assert_true(json_is_null(json_path(r->json, "membership")));
	response_free(r);
	assert_null(membership_of(m, "club"));
	r = cpost(m, "club", "items", json_pack("{s:s, s:s}", "kind", "question", "title", "Still here?"));
	assert_error(r, 403, "not_member");
	response_free(r);
	/* the only host cannot leave */
	r = cpost(admin, "club", "leave", NULL);
	assert_error(r, 409, "last_host");
	response_free(r);
	assert_string_equal(membership_of(admin, "club"), "active");
	/* with a second host, they can */
	bring_in(admin, "club", m);
	set_role(admin, "club", "mats", "host");
	r = cpost(admin, "club", "leave", NULL);
	assert_status(r, 200);
	response_free(r);
	r = cpost(m, "club", "leave", NULL);
	assert_error(r, 409, "last_host");
	response_free(r);
	r = aget(m, "/api/v1/c/club/members");
	assert_int_equal(json_array_size(json_path(r->json, "items")), 1);
	response_free(r);
}

static void hosts_change_roles(void **state)
{
	struct actor *admin = staff(*state, "root", "--admin");
	struct actor *host = member(*state, "hedda");
	struct actor *m = member(*state, "mats");
	struct actor *n = member(*state, "nils");
	make_community(admin, "crew", "Crew", "public", "open");
	bring_in(admin, "crew", host);
	bring_in(admin, "crew", m);
	bring_in(admin, "crew", n);
	set_role(admin, "crew", "hedda", "host");
	struct response *r = cpost(admin, "crew", "leave", NULL);
	assert_status(r, 200);
	response_free(r);

	/* members cannot change roles */
	r = cpost(m, "crew", "members/nils/role", json_pack("{s:s}", "role", "host"));
	assert_error(r, 403, "forbidden");
	response_free(r);
	/* hosts can */
	r = cpost(host, "crew", "members/mats/role", json_pack("{s:s}", "role", "host"));
	assert_status(r, 200);
	assert_jstr(r, "role", "host");
	response_free(r);
	r = aget(n, "/api/v1/c/crew/members");
	assert_string_equal(json_string_value(json_object_get(member_entry(r, "items", "mats"), "role")), "host");
	response_free(r);
	r = aget(m, "/api/v1/c/crew");
	assert_true(json_is_true(json_path(r->json, "is_host")));
	response_free(r);
	/* the new host removes someone */
	r = cpost(m, "crew", "members/nils/role", json_pack("{s:s}", "role", "removed"));
	assert_status(r, 200);
	response_free(r);
	assert_null(membership_of(n, "crew"));
	r = aget(m, "/api/v1/c/crew/members");
	assert_null(member_entry(r, "items", "nils"));
	response_free(r);
	/* and steps back */
	r = cpost(m, "crew", "members/mats/role", json_pack("{s:s}", "role", "member"));
	assert_status(r, 200);
	response_free(r);
	r = aget(m, "/api/v1/c/crew");
	assert_false(json_is_true(json_path(r->json, "is_host")));
	response_free(r);
	/* the last host cannot stop being one, nor be removed */
	r = cpost(host, "crew", "members/hedda/role", json_pack("{s:s}", "role", "member"));
	assert_error(r, 409, "last_host");
	response_free(r);
	r = cpost(host, "crew", "members/hedda/role", json_pack("{s:s}", "role", "removed"));
	assert_error(r, 409, "last_host");
	response_free(r);
	/* bad roles and unknown members */
	r = cpost(host, "crew", "members/mats/role", json_pack("{s:s}", "role", "owner"));
	assert_error(r, 422, "invalid");
	assert_jstr(r, "error.field", "role");
	response_free(r);
	r = cpost(host, "crew", "members/nils/role", json_pack("{s:s}", "role", "host"));
	assert_status(r, 404);
	response_free(r);
	r = cpost(host, "crew", "members/ghost/role", json_pack("{s:s}", "role", "host"));
	assert_status(r, 404);
	response_free(r);
}

/* ---- pages ---------------------------------------------------------------------------- */

static void community_and_members_pages(void **state)
{
	struct actor *admin = staff(*state, "root", "--admin");
	struct actor *m = member(*state, "mats");
	make_community(admin, "readers", "Readers Circle", "public", "open");
	bring_in(admin, "readers", m);
	ask(m, "readers", "Which book first?", "Ideas welcome");
	struct actor *v = visitor(*state);

	struct response *r = aget(v, "/c/readers");
	assert_status(r, 200);
	assert_header_contains(r, "Content-Type", "text/html");
	assert_body_contains(r, "Readers Circle");
	assert_body_contains(r, "Which book first?");
	response_free(r);
	r = aget(v, "/api/v1/c/readers");
	assert_status(r, 200);
	assert_jstr(r, "slug", "readers");
	assert_jstr(r, "name", "Readers Circle");
	assert_int_equal(jint(r, "member_count"), 2);
	assert_int_equal(json_array_size(json_path(r->json, "stream.items")), 1);
	assert_non_null(member_entry(r, "hosts", "root"));
	assert_non_null(member_entry(r, "members", "mats"));
	assert_true(json_is_true(json_path(r->json, "signed_out")));
	response_free(r);

	r = aget(v, "/c/readers/members");
	assert_status(r, 200);
	assert_header_contains(r, "Content-Type", "text/html");
	assert_body_contains(r, "Test mats");
	assert_body_contains(r, "Staff root");
	response_free(r);
	r = aget(v, "/api/v1/c/readers/members");
	assert_status(r, 200);
	assert_string_equal(json_string_value(json_object_get(member_entry(r, "items", "mats"), "role")), "member");
	assert_null(json_path(r->json, "requests"));
	assert_null(json_path(r->json, "invitations"));
	response_free(r);

	r = aget(v, "/c");
	assert_status(r, 200);
	assert_body_contains(r, "Readers Circle");
	response_free(r);
	r = aget(v, "/api/v1/c/nope");
	assert_error(r, 404, "not_found");
	response_free(r);
	r = aget(v, "/c/nope");
	assert_status(r, 404);
	assert_header_contains(r, "Content-Type", "text/html");
	response_free(r);
}

/* ---- hostile text ------------------------------------------------------------------------ */

static void assert_html_safe(struct actor *a, const char *path)
{
	struct response *r = aget(a, "%s", path);
	const char *bad[] = {"<script>alert(1)", "<svg onload", "href=\"javascript:", "<b>bold</b>"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (r->body && strcasestr_portable(r->body, bad[i]))
			harness_fail_response(r, __FILE__, __LINE__, "page holds \"%s\"", bad[i]);
	response_free(r);
}

static void hostile_names_and_descriptions(void **state)
{
	struct actor *admin = staff(*state, "root", "--admin");
	const char *names[] = {"<script>alert(1)</script>", "\"><svg onload=alert(1)>", "<b>bold</b> name"};
	const char *slugs[] = {"x1", "x2", "x3"};
	const char *desc = "<script>alert(1)</script>\n\n\"><svg onload=alert(1)>\n\n"
			   "[click](javascript:alert(1)) <a href=\"javascript:alert(1)\">x</a>";
	for (int i = 0; i < 3; i++) {
		struct response *r = apost(admin, "/api/v1/c",
					   json_pack("{s:s, s:s, s:s, s:s}", "slug", slugs[i], "name", names[i],
						     "description", desc, "visibility", "public"));
		if (r->status != 201 && r->status != 422 && r->status != 400)
			harness_fail_response(r, __FILE__, __LINE__, "expected 201, 400 or 422");
		bool made = r->status == 201;
		if (made) {
			const char *html = response_jstr(r, "description_html");
			assert_non_null(html);
			assert_null(strstr(html, "<script"));
			assert_null(strstr(html, "<svg"));
			assert_null(strcasestr_portable(html, "href=\"javascript:"));
			assert_null(strstr(html, "<a href=\"javascript"));
		}
		response_free(r);
		if (!made)
			continue;
		char path[64];
		snprintf(path, sizeof path, "/c/%s", slugs[i]);
		assert_html_safe(admin, path);
		snprintf(path, sizeof path, "/c/%s/members", slugs[i]);
		assert_html_safe(admin, path);
		snprintf(path, sizeof path, "/c/%s/edit", slugs[i]);
		assert_html_safe(admin, path);
	}
	assert_html_safe(admin, "/c");
	assert_html_safe(visitor(*state), "/c");
	/* the form shown again escapes what was typed */
	struct response *r = fpost(admin, "/c", STRS("slug", "<script>alert(1)</script>", "name",
						     "\"><svg onload=alert(1)>", "description", "<script>alert(1)</script>"));
	assert_status(r, 422);
	assert_body_lacks(r, "<script>alert(1)");
	assert_body_lacks(r, "<svg onload");
	response_free(r);
	/* broken UTF-8 is refused */
	r = fpost(admin, "/c", STRS("slug", "broken", "name", "Bad \xff name"));
	if (r->status != 400 && r->status != 422)
		harness_fail_response(r, __FILE__, __LINE__, "expected 400 or 422");
	assert_body_lacks(r, "\xff");
	response_free(r);
	r = http_request(admin->c, "POST", "/api/v1/c", STRS(admin->csrf_header),
			 "{\"slug\":\"broken2\",\"name\":\"Bad \xff name\"}", 38, "application/json");
	if (r->status != 400 && r->status != 422)
		harness_fail_response(r, __FILE__, __LINE__, "expected 400 or 422");
	response_free(r);
	/* addresses that do not exist are not echoed raw */
	r = aget(admin, "/c/%%3Cscript%%3Ealert(1)%%3C%%2Fscript%%3E");
	assert_status(r, 404);
	assert_body_lacks(r, "<script>alert(1)");
	response_free(r);
	r = aget(admin, "/c/%%22%%3E%%3Csvg%%20onload%%3Dalert(1)%%3E/members");
	assert_status(r, 404);
	assert_body_lacks(r, "<svg onload");
	response_free(r);
	r = aget(admin, "/api/v1/c/broken");
	assert_status(r, 404);
	response_free(r);
	r = aget(admin, "/api/v1/c/broken2");
	assert_status(r, 404);
	response_free(r);
}

/* ---- cards ----------------------------------------------------------------------- */

/* A card shows the description as plain text, as the page would read:
 * no Markdown, list items apart, no space before the punctuation after
 * formatting. The API keeps the description as written. */
static void cards_show_descriptions_as_plain_text(void **state)
{
	static const char description[] =
		"For the **companies**. We share:\n\n- *first* steps\n- [templates](https://example.org)\n\n"
		"Thanks @root!";
	static const char excerpt[] = "For the companies. We share: first steps \xC2\xB7 templates \xC2\xB7 Thanks @root!";
	struct actor *admin = staff(*state, "root", "--admin");
	struct response *r = apost(admin, "/api/v1/c",
				   json_pack("{s:s, s:s, s:s, s:s, s:s}", "slug", "tools", "name", "Tools",
					     "description", description, "visibility", "public", "join_policy", "open"));
	assert_status(r, 201);
	response_free(r);

	r = aget(visitor(*state), "/c");
	assert_status(r, 200);
	char card[256];
	snprintf(card, sizeof card, "<p>%s</p>", excerpt);
	assert_body_contains(r, card);
	assert_body_lacks(r, "**");
	response_free(r);

	r = aget(visitor(*state), "/api/v1/c");
	assert_status(r, 200);
	assert_int_equal(jlen(r, "items"), 1);
	assert_string_equal(jat_str(r, "items", 0, "excerpt"), excerpt);
	assert_string_equal(jat_str(r, "items", 0, "description"), description);
	response_free(r);
}

#define T(f) cmocka_unit_test_setup_teardown(f, server_setup, server_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(admin_creates_community),
		T(member_cannot_create_community),
		T(site_setting_lets_members_create),
		T(slug_generated_from_name),
		T(taken_slug_conflicts),
		T(invalid_fields_rejected),
		T(host_edits_community),
		T(archived_community_refuses_posts_and_joins),
		T(member_count_follows_every_change),
		T(open_join_is_immediate),
		T(request_join_waits_for_a_host),
		T(invite_only_join),
		T(leave_and_last_host),
		T(hosts_change_roles),
		T(community_and_members_pages),
		T(hostile_names_and_descriptions),
		T(cards_show_descriptions_as_plain_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
