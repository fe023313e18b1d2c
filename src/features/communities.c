/*
 * communities: spaces to share in, with their visibility (public, members,
 * private), join policy (open, request, invite), members and hosts.
 */
#include "features/communities.h"

#include "auth/users.h"
#include "core/text.h"
#include "db/db.h"
#include "features/audit.h"
#include "features/circles.h"
#include "features/features.h"
#include "http/req.h"
#include "i18n/i18n.h"
#include "jobs/events.h"
#include "render/links.h"
#include "render/markdown.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME_MAX_CHARS 100
#define DESCRIPTION_MAX 5000

static bool load_access(struct req *r, const char *where, struct db_value key,
			struct community_access *out)
{
	memset(out, 0, sizeof(*out));
	char sql[1024];
	int64_t viewer = r->user ? r->user->id : 0;
	snprintf(sql, sizeof(sql),
		 "SELECT c.id, c.slug, c.name, c.visibility, c.join_policy, c.language, c.archived_at,"
		 " m.role, m.state, c.kind, CASE WHEN " POLICY_COMMUNITY_BANNED_SQL " THEN 1 ELSE 0 END,"
		 " CASE WHEN " POLICY_AMBASSADOR_SQL " THEN 1 ELSE 0 END FROM communities c"
		 " LEFT JOIN memberships m ON m.community_id = c.id AND m.user_id = ? WHERE %s", where);
	struct db_stmt *st = db_query(r->db, sql, DB_ARGS(db_int(viewer), db_int(viewer), db_int(viewer), key));
	bool found = db_step(st) == DB_ROW;
	if (found) {
		out->id = db_int_col(st, 0);
		out->slug = arena_strdup(&r->arena, db_text_col(st, 1));
		out->name = arena_strdup(&r->arena, db_text_col(st, 2));
		out->visibility = arena_strdup(&r->arena, db_text_col(st, 3));
		out->join_policy = arena_strdup(&r->arena, db_text_col(st, 4));
		out->language = arena_strdup(&r->arena, db_text_col(st, 5));
		out->archived = !db_null_col(st, 6);
		out->circle = strcmp(db_text_col(st, 9), "circle") == 0;
		out->membership_state = arena_strdup(&r->arena, db_text_col(st, 8));
		bool active = out->membership_state && strcmp(out->membership_state, "active") == 0;
		out->is_member = active;
		out->is_host = active && strcmp(db_text_col(st, 7), "host") == 0;
		out->banned = db_int_col(st, 10) != 0;
		out->is_ambassador = active && db_int_col(st, 11) != 0;
	}
	db_done(st);
	return found && policy_community_rights(r->user, out);
}

bool communities_access(struct req *r, const char *slug, struct community_access *out)
{
	return slug && load_access(r, "c.slug = ?", db_text(slug), out);
}

bool communities_access_id(struct req *r, int64_t id, struct community_access *out)
{
	return load_access(r, "c.id = ?", db_int(id), out);
}

json_t *communities_of_member(struct req *r, int64_t user_id)
{
	int64_t viewer = r->user ? r->user->id : 0;
	json_t *list = json_array();
	struct db_stmt *st = db_query(r->db,
		"SELECT c.slug, c.name, m.role FROM memberships m JOIN communities c ON c.id = m.community_id"
		" WHERE m.user_id = ? AND m.state = 'active' AND " POLICY_COMMUNITY_VISIBLE_SQL " ORDER BY c.name",
		DB_ARGS(db_int(user_id), POLICY_COMMUNITY_VISIBLE_ARGS(viewer)));
	while (db_step(st) == DB_ROW)
		json_array_append_new(list, json_pack("{s:s, s:s, s:s}", "slug", db_text_col(st, 0),
						      "name", db_text_col(st, 1), "role", db_text_col(st, 2)));
	db_done(st);
	return list;
}

/* Members create communities when the site allows it; admins always. */
static bool may_create(struct req *r)
{
	if (!r->user)
		return false;
	return policy_site_allows(r, POLICY_ADMINISTER) || admin_setting_is(r->db, "community_creation", "members");
}

/* Any member who may post starts a circle; communities are as the site
 * says. */
static bool may_create_kind(struct req *r, bool circle)
{
	return circle ? r->user && policy_site_allows(r, POLICY_POST) : may_create(r);
}

/* The translated label of a visibility, join policy or role code; the
 * code itself when unknown. */
static const char *label(struct req *r, const char *code)
{
	static const char *const labels[][2] = {
		{"public", N_("public")}, {"members", N_("members only")}, {"private", N_("private")},
		{"open", N_("open to join")}, {"request", N_("join on request")}, {"invite", N_("by invitation")},
		{"host", N_("Host")}, {"member", N_("Member")},
	};
	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(code, labels[i][0]) == 0)
			return tr(r, labels[i][1]);
	return code;
}

static json_t *community_json(struct req *r, struct db_stmt *st, int base)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:I}",
			      "id", (json_int_t)db_int_col(st, base), "slug", db_text_col(st, base + 1),
			      "name", db_text_col(st, base + 2), "description", db_text_col(st, base + 3),
			      "kind", db_text_col(st, base + 4), "visibility", db_text_col(st, base + 5),
			      "join_policy", db_text_col(st, base + 6), "language", db_text_col(st, base + 7),
			      "archived", !db_null_col(st, base + 8),
			      "member_count", (json_int_t)db_int_col(st, base + 9));
	json_object_set_new(o, "excerpt", markdown_excerpt_json(db_text_col(st, base + 3)));
	json_object_set_new(o, "url", json_string(link_community(&r->arena, db_text_col(st, base + 1))));
	json_object_set_new(o, "visibility_label", json_string(label(r, db_text_col(st, base + 5))));
	json_object_set_new(o, "join_policy_label", json_string(label(r, db_text_col(st, base + 6))));
	json_object_set_new(o, "is_circle", json_boolean(strcmp(db_text_col(st, base + 4), "circle") == 0));
	return o;
}

#define COMMUNITY_COLUMNS \
	"c.id, c.slug, c.name, c.description, c.kind, c.visibility, c.join_policy, c.language," \
	" c.archived_at, COALESCE((SELECT cc.members FROM community_counts cc WHERE cc.community_id = c.id), 0)"

/* Open communities the member can see and has not joined (nor been
 * invited to), not archived: the most members first. */
#define JOINABLE_SQL \
	"c.kind = 'community' AND c.join_policy = 'open' AND c.archived_at IS NULL AND " POLICY_COMMUNITY_VISIBLE_SQL \
	" AND NOT EXISTS (SELECT 1 FROM memberships jm WHERE jm.community_id = c.id AND jm.user_id = ?)"

json_t *communities_joinable(struct req *r, int limit)
{
	json_t *list = json_array();
	struct db_stmt *st = db_query(r->db,
		"SELECT " COMMUNITY_COLUMNS " FROM communities c WHERE " JOINABLE_SQL
		" ORDER BY 10 DESC, c.name LIMIT ?",
		DB_ARGS(POLICY_COMMUNITY_VISIBLE_ARGS(r->user->id), db_int(r->user->id), db_int(limit)));
	while (db_step(st) == DB_ROW)
		json_array_append_new(list, community_json(r, st, 0));
	db_done(st);
	return list;
}

json_t *communities_askable(struct req *r)
{
	json_t *list = json_array();
	int64_t me = r->user->id;
	struct db_stmt *st = db_query(r->db,
		"SELECT c.slug, c.name, CASE WHEN EXISTS (SELECT 1 FROM memberships am WHERE am.community_id = c.id"
		" AND am.user_id = ? AND am.state = 'active') THEN 1 ELSE 0 END FROM communities c"
		" WHERE c.archived_at IS NULL AND (c.id IN " POLICY_MEMBER_COMMUNITIES_SQL " OR (" JOINABLE_SQL "))"
		" ORDER BY 3 DESC, c.name",
		DB_ARGS(db_int(me), db_int(me), POLICY_COMMUNITY_VISIBLE_ARGS(me), db_int(me)));
	while (db_step(st) == DB_ROW)
		json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "slug", db_text_col(st, 0),
						      "name", db_text_col(st, 1), "is_member", db_int_col(st, 2) != 0));
	db_done(st);
	return list;
}

json_t *communities_list(struct req *r)
{
	int64_t viewer = r->user ? r->user->id : 0;
	json_t *list = json_array();
	struct db_stmt *st = db_query(r->db,
		"SELECT " COMMUNITY_COLUMNS ", (SELECT state FROM memberships mm WHERE mm.community_id = c.id"
		" AND mm.user_id = ?) FROM communities c WHERE " POLICY_COMMUNITY_VISIBLE_SQL
		" ORDER BY c.archived_at IS NOT NULL, c.name",
		DB_ARGS(db_int(viewer), POLICY_COMMUNITY_VISIBLE_ARGS(viewer)));
	while (db_step(st) == DB_ROW) {
		json_t *c = community_json(r, st, 0);
		json_object_set_new(c, "membership", db_null_col(st, 10) ? json_null() : json_string(db_text_col(st, 10)));
		json_object_set_new(c, "is_member", json_boolean(!db_null_col(st, 10) &&
								 strcmp(db_text_col(st, 10), "active") == 0));
		json_array_append_new(list, c);
	}
	db_done(st);
	return json_pack("{s:s, s:o, s:b, s:b}", "title", tr(r, N_("Communities")), "items", list,
			 "can_create", may_create(r), "can_start_circle", may_create_kind(r, true));
}

json_t *communities_people(struct req *r, int64_t community_id, const char *state, const char *role, int limit,
				bool newest)
{
	json_t *list = json_array();
	/* The role only when asked for (not "? IS NULL OR …"), so that the
	 * hosts of a large community are found through an index. */
	struct db_value args[4] = {db_int(community_id), db_text(state)};
	size_t n = 2;
	if (role)
		args[n++] = db_text(role);
	args[n++] = db_int(limit);
	const char *sql = arena_printf(&r->arena,
		"SELECT u.handle, u.name, m.role, m.created_at FROM memberships m JOIN users u ON u.id = m.user_id"
		" WHERE m.community_id = ? AND m.state = ? AND " POLICY_ACCOUNT_SHOWN_SQL("u.status")
		"%s ORDER BY %s LIMIT ?", role ? " AND m.role = ?" : "",
		newest ? "m.created_at DESC, m.user_id DESC" : "u.name");
	struct db_stmt *st = db_query(r->db, sql, args, n);
	while (db_step(st) == DB_ROW)
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:b, s:I}", "handle", db_text_col(st, 0),
						      "name", db_text_col(st, 1), "role", db_text_col(st, 2),
						      "role_label", label(r, db_text_col(st, 2)),
						      "is_host", strcmp(db_text_col(st, 2), "host") == 0,
						      "since", (json_int_t)db_int_col(st, 3)));
	db_done(st);
	return list;
}

json_t *communities_model(struct req *r, const struct community_access *a)
{
	struct db_stmt *st = db_query(r->db, "SELECT " COMMUNITY_COLUMNS " FROM communities c WHERE c.id = ?",
				      DB_ARGS(db_int(a->id)));
	json_t *c = db_step(st) == DB_ROW ? community_json(r, st, 0) : json_object();
	db_done(st);
	const char *description = json_string_value(json_object_get(c, "description"));
	json_object_set_new(c, "description_html", markdown_json(description ? description : ""));
	json_object_set_new(c, "membership", a->membership_state ? json_string(a->membership_state) : json_null());
	json_object_set_new(c, "is_member", json_boolean(a->is_member));
	json_object_set_new(c, "is_host", json_boolean(a->is_host));
	json_object_set_new(c, "is_invited", json_boolean(a->membership_state && strcmp(a->membership_state, "invited") == 0));
	json_object_set_new(c, "is_requested", json_boolean(a->membership_state && strcmp(a->membership_state, "requested") == 0));
	json_object_set_new(c, "can_post", json_boolean(a->can_post));
	json_object_set_new(c, "can_manage", json_boolean(a->can_host));
	json_object_set_new(c, "is_banned", json_boolean(a->banned));
	struct policy_subject joining = {.kind = POLICY_COMMUNITY, .place = a};
	bool joinable = policy_allows(r->user, POLICY_JOIN, &joining) && !a->membership_state &&
			strcmp(a->join_policy, "invite") != 0;
	json_object_set_new(c, "can_join", json_boolean(joinable));
	json_object_set_new(c, "join_is_request", json_boolean(strcmp(a->join_policy, "request") == 0));
	json_object_set_new(c, "signed_out", json_boolean(!r->user));
	if (a->circle)
		circles_fill(r, c, a->id);
	return c;
}

/* ---- creating and editing ------------------------------------------------- */

static const char *const visibilities[] = {"public", "members", "private", NULL};
static const char *const policies[] = {"open", "request", "invite", NULL};
static const char *const languages[] = {"en", "sv", "nl", NULL};

static bool in_list(const char *v, const char *const *list)
{
	for (; v && *list; list++)
		if (strcmp(v, *list) == 0)
			return true;
	return false;
}

static json_t *options(struct req *r, const char *const *codes, const char *const *labels, const char *selected)
{
	json_t *list = json_array();
	for (int i = 0; codes[i]; i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "code", codes[i], "label", tr(r, labels[i]),
						      "selected", selected && strcmp(selected, codes[i]) == 0));
	return list;
}

static json_t *form_model(struct req *r, const char *title_msgid, const char *name, const char *slug,
			  const char *description, const char *visibility, const char *policy, const char *language)
{
	static const char *const visibility_labels[] = {N_("Public: anyone can read, even when signed out"),
							N_("Members: every signed-in member can read"),
							N_("Private: only its members know it exists")};
	static const char *const policy_labels[] = {N_("Open: anyone can join"),
						    N_("On request: hosts approve who joins"),
						    N_("By invitation: hosts invite members")};
	json_t *m = json_pack("{s:s, s:{s:s, s:s, s:s}}", "title", tr(r, title_msgid), "values",
			      "name", name ? name : "", "slug", slug ? slug : "", "description", description ? description : "");
	json_object_set_new(m, "visibilities", options(r, visibilities, visibility_labels, visibility ? visibility : "members"));
	json_object_set_new(m, "policies", options(r, policies, policy_labels, policy ? policy : "open"));
	json_t *langs = json_array();
	for (int i = 0; languages[i]; i++)
		json_array_append_new(langs, json_pack("{s:s, s:s, s:b}", "code", languages[i], "label", i18n_locale_name(i18n_locale_index(languages[i])),
						       "selected", strcmp(language ? language : "en", languages[i]) == 0));
	json_object_set_new(m, "languages", langs);
	return m;
}

const char *communities_slug_problem(const char *slug)
{
	size_t n = strlen(slug);
	if (n < 2 || n > 64)
		return N_("An address has 2 to 64 characters.");
	for (const char *p = slug; *p; p++)
		if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '-'))
			return N_("An address has only lower-case letters a-z, digits and hyphens.");
	if (slug[0] == '-' || slug[n - 1] == '-')
		return N_("An address starts and ends with a letter or a digit.");
	if (strcmp(slug, "new") == 0)
		return N_("This address is reserved.");
	return NULL;
}

/* Checks the form's fields; problems go on the model. */
static void check_fields(struct req *r, json_t *model, const char *name, const char *description,
			 const char *visibility, const char *policy, const char *language)
{
	if (!*name)
		req_field_error(r, model, "name", N_("Give the community a name."));
	else if (utf8_length(name) > NAME_MAX_CHARS || !text_printable(name, false))
		req_field_error(r, model, "name", N_("A name has at most 100 characters and no control characters."));
	if (utf8_length(description) > DESCRIPTION_MAX || !text_printable(description, true))
		req_field_error(r, model, "description", N_("A description has at most 5000 characters."));
	if (!in_list(visibility, visibilities))
		req_field_error(r, model, "visibility", N_("Choose who can read the community."));
	if (!in_list(policy, policies))
		req_field_error(r, model, "join_policy", N_("Choose how people join."));
	if (!in_list(language, languages))
		req_field_error(r, model, "language", N_("Choose English, Swedish or Dutch."));
}

static const char *field(struct req *r, const char *name, const char *fallback)
{
	const char *v = req_param(r, name);
	return v ? text_trim(arena_strdup(&r->arena, v)) : fallback;
}

/* The community's name as sent, made a clean name (text_clean_name). */
static const char *name_field(struct req *r, const char *fallback)
{
	const char *v = req_param(r, "name");
	return v ? text_clean_name(arena_strdup(&r->arena, v)) : fallback;
}

/* A circle's own fields on its form, which offers no visibility (it is
 * private) and no open joining. */
static void circle_form(struct req *r, json_t *m, const struct circle_input *in)
{
	circles_form(r, m, in);
	json_array_remove(json_object_get(m, "policies"), 0); /* "open" */
}

/* A circle is private and nobody joins it unasked. */
static void check_circle(struct req *r, json_t *model, const char *visibility, const char *policy)
{
	if (strcmp(visibility, "private") != 0)
		req_field_error(r, model, "visibility", N_("A circle is always private."));
	if (strcmp(policy, "open") == 0)
		req_field_error(r, model, "join_policy", N_("A circle takes members by invitation or on request."));
}

/* The form of a new community or circle. */
static json_t *new_form_model(struct req *r, bool circle, const char *name, const char *slug,
			      const char *description, const char *visibility, const char *policy, const char *language)
{
	json_t *m = form_model(r, circle ? N_("New circle") : N_("New community"), name, slug, description,
			       circle ? "private" : visibility, circle ? (policy ? policy : "invite") : policy, language);
	json_object_set_new(json_object_get(m, "values"), "kind", json_string(circle ? "circle" : "community"));
	return m;
}

json_t *communities_new_form(struct req *r)
{
	const char *kind = req_query(r, "kind");
	bool circle = kind && strcmp(kind, "circle") == 0;
	if (!may_create_kind(r, circle))
		return req_fail(r, 403, "forbidden", N_("Only admins can create communities on this site."));
	json_t *m = new_form_model(r, circle, NULL, NULL, NULL, NULL, NULL, i18n_locale_code(r->locale));
	if (circle)
		circle_form(r, m, &(struct circle_input){CIRCLE_DEFAULT_LIMIT, "", "", 0});
	return m;
}

json_t *communities_create(struct req *r)
{
	const char *kind = field(r, "kind", "community");
	bool circle = strcmp(kind, "circle") == 0;
	if (!may_create_kind(r, circle))
		return req_fail(r, 403, "forbidden", N_("Only admins can create communities on this site."));
	const char *name = name_field(r, ""), *description = field(r, "description", "");
	const char *visibility = field(r, "visibility", circle ? "private" : "members");
	const char *policy = field(r, "join_policy", circle ? "invite" : "open");
	const char *language = field(r, "language", "en");
	char generated[65];
	const char *slug = field(r, "slug", "");
	if (!*slug) {
		text_slug(name, generated, sizeof(generated));
		slug = generated;
	}
	json_t *model = new_form_model(r, circle, name, slug, description, visibility, policy, language);
	check_fields(r, model, name, description, visibility, policy, language);
	const char *problem = communities_slug_problem(slug);
	if (problem)
		req_field_error(r, model, "slug", problem);
	struct circle_input circle_in;
	if (circle) {
		check_circle(r, model, visibility, policy);
		circles_read(r, model, 0, &circle_in);
		circle_form(r, model, &circle_in);
	} else if (strcmp(kind, "community") != 0) {
		req_field_error(r, model, "kind", N_("The kind must be \"community\" or \"circle\"."));
	}
	if (req_has_field_errors(r))
		return req_invalid(r, model);
	int64_t now = r->now;
	if (!db_begin(r->db)) {
		json_decref(model);
		return req_fail_internal(r);
	}
	struct db_stmt *st = db_query(r->db,
		"INSERT INTO communities (slug, name, description, kind, visibility, join_policy, language,"
		" created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		DB_ARGS(db_text(slug), db_text(name), db_text(description), db_text(circle ? "circle" : "community"),
			db_text(visibility), db_text(policy), db_text(language), db_int(r->user->id), db_int(now),
			db_int(now)));
	int64_t id = db_step(st) == DB_ROW ? db_int_col(st, 0) : 0;
	db_done(st);
	if (!id) {
		db_rollback(r->db);
		req_field_error(r, model, "slug", N_("This address is taken. Choose another one."));
		r->status = 409;
		r->error.code = "taken";
		return model;
	}
	/* Whoever creates a community hosts it. */
	if (db_exec(r->db, "INSERT INTO memberships (community_id, user_id, role, state, created_at)"
			   " VALUES (?, ?, 'host', 'active', ?)",
		    DB_ARGS(db_int(id), db_int(r->user->id), db_int(now))) != 1 ||
	    (circle && !circles_store(r->db, id, &circle_in)) ||
	    !event_record(r->db, &(struct event){.type = EVENT_COMMUNITY_CREATED, .actor_id = r->user->id,
						  .community_id = id, .created_at = now,
						  .payload = json_pack("{s:s, s:s}", "slug", slug, "visibility", visibility)}) ||
	    !db_commit(r->db)) {
		db_rollback(r->db);
		json_decref(model);
		return req_fail_internal(r);
	}
	json_decref(model);
	struct community_access a;
	if (!communities_access_id(r, id, &a))
		return req_fail_internal(r);
	return req_done(r, 201, link_community(&r->arena, slug), communities_model(r, &a));
}

/* The community of the path, for its hosts (and admins): see communities.h. */
bool communities_managed(struct req *r, struct community_access *a)
{
	if (!communities_access(r, req_path_param(r, "slug"), a) || !a->can_read) {
		req_fail(r, 404, "not_found", N_("There is no such community."));
		return false;
	}
	if (!a->can_host) {
		req_fail(r, 403, "forbidden", N_("Only the community's hosts can do that."));
		return false;
	}
	return true;
}

json_t *communities_edit_form(struct req *r)
{
	struct community_access a;
	if (!communities_managed(r, &a))
		return NULL;
	json_t *c = communities_model(r, &a);
	json_t *m = form_model(r, N_("Edit community"), a.name, a.slug,
			       json_string_value(json_object_get(c, "description")), a.visibility, a.join_policy,
			       a.language);
	json_object_set_new(m, "community", c);
	if (a.circle) {
		struct circle_input in;
		circles_read(r, m, a.id, &in);
		circle_form(r, m, &in);
	}
	return m;
}

json_t *communities_edit(struct req *r)
{
	struct community_access a;
	if (!communities_managed(r, &a))
		return NULL;
	json_t *current = communities_model(r, &a);
	const char *name = name_field(r, a.name);
	const char *description = field(r, "description",
					arena_strdup(&r->arena, json_string_value(json_object_get(current, "description"))));
	json_decref(current);
	const char *visibility = field(r, "visibility", a.visibility), *policy = field(r, "join_policy", a.join_policy);
	const char *language = field(r, "language", a.language);
	json_t *model = form_model(r, N_("Edit community"), name, a.slug, description, visibility, policy, language);
	json_object_set_new(model, "community", communities_model(r, &a));
	check_fields(r, model, name, description, visibility, policy, language);
	struct circle_input circle_in;
	if (a.circle) {
		check_circle(r, model, visibility, policy);
		circles_read(r, model, a.id, &circle_in);
		circle_form(r, model, &circle_in);
	}
	if (req_has_field_errors(r))
		return req_invalid(r, model);
	json_decref(model);
	if ((a.circle && !circles_store(r->db, a.id, &circle_in)) ||
	    db_exec(r->db, "UPDATE communities SET name = ?, description = ?, visibility = ?, join_policy = ?,"
			   " language = ?, updated_at = ? WHERE id = ?",
		    DB_ARGS(db_text(name), db_text(description), db_text(visibility), db_text(policy), db_text(language),
			    db_int(r->now), db_int(a.id))) != 1 ||
	    !event_record(r->db, &(struct event){.type = EVENT_COMMUNITY_EDITED, .actor_id = r->user->id,
						  .community_id = a.id, .created_at = r->now,
						  .payload = json_pack("{s:s, s:s}", "slug", a.slug, "visibility", visibility)}))
		return req_fail_internal(r);
	if (!communities_access_id(r, a.id, &a))
		return req_fail_internal(r);
	return req_done(r, 200, link_community(&r->arena, a.slug), communities_model(r, &a));
}

json_t *communities_archive(struct req *r)
{
	struct community_access a;
	if (!communities_managed(r, &a))
		return NULL;
	bool archive = req_param_bool(r, "archived", true);
	if (db_exec(r->db, "UPDATE communities SET archived_at = ?, updated_at = ? WHERE id = ?",
		    DB_ARGS(archive ? db_int(r->now) : db_null(), db_int(r->now), db_int(a.id))) != 1 ||
	    !event_record(r->db, &(struct event){.type = EVENT_COMMUNITY_ARCHIVED, .actor_id = r->user->id,
						  .community_id = a.id, .created_at = r->now,
						  .payload = json_pack("{s:s, s:b}", "slug", a.slug, "archived", archive)}) ||
	    !audit_by(r, archive ? "community.archived" : "community.unarchived", "community", a.id, a.id, NULL, NULL))
		return req_fail_internal(r);
	if (!communities_access_id(r, a.id, &a))
		return req_fail_internal(r);
	return req_done(r, 200, link_community(&r->arena, a.slug), communities_model(r, &a));
}

/* ---- membership ------------------------------------------------------------ */

static json_t *membership_answer(struct req *r, const struct community_access *a, const char *state)
{
	return req_done(r, 200, link_community(&r->arena, a->slug),
			json_pack("{s:s, s:o}", "community", a->slug, "membership", state ? json_string(state) : json_null()));
}

/* Records what happened to member's membership of the community, done by
 * the viewer; role is the new role, or NULL. */
static bool membership_event(struct req *r, enum event_type type, int64_t community_id, int64_t member,
			     const char *role)
{
	return event_record(r->db, &(struct event){.type = type, .actor_id = r->user->id,
						   .community_id = community_id, .member_id = member,
						   .created_at = r->now,
						   .payload = role ? json_pack("{s:s}", "role", role) : NULL});
}

/* A new membership of the member in the state ("active": joined, or
 * "requested"); false on a database error. */
static bool add_membership(struct req *r, int64_t community_id, const char *state)
{
	return db_exec(r->db, "INSERT INTO memberships (community_id, user_id, role, state, created_at)"
			      " VALUES (?, ?, 'member', ?, ?)",
		       DB_ARGS(db_int(community_id), db_int(r->user->id), db_text(state), db_int(r->now))) == 1 &&
	       membership_event(r, strcmp(state, "active") == 0 ? EVENT_MEMBER_JOINED : EVENT_MEMBER_REQUESTED,
				community_id, r->user->id, NULL);
}

static json_t *circle_full(struct req *r)
{
	return req_fail(r, 409, "circle_full", N_("This circle is full: it has no room for another member."));
}

json_t *communities_join(struct req *r)
{
	struct community_access a;
	if (!communities_access(r, req_path_param(r, "slug"), &a))
		return req_fail(r, 404, "not_found", N_("There is no such community."));
	struct policy_subject s = {.kind = POLICY_COMMUNITY, .place = &a};
	enum policy_verdict v = policy_decide(r->user, POLICY_JOIN, &s);
	if (v == POLICY_ARCHIVED)
		return req_fail(r, 409, "archived", N_("This community is archived; nobody can join."));
	if (v != POLICY_ALLOW)
		return policy_refuse(r, v, NULL, N_("You do not have permission to do that."));
	const char *state = a.membership_state;
	int64_t now = r->now;
	if (state && strcmp(state, "active") == 0)
		return membership_answer(r, &a, "active");
	if (state && strcmp(state, "invited") == 0) {
		/* Joining is how an invitee accepts. */
		if (db_exec(r->db, "UPDATE memberships SET state = 'active', created_at = ? WHERE community_id = ?"
				   " AND user_id = ?", DB_ARGS(db_int(now), db_int(a.id), db_int(r->user->id))) != 1 ||
		    !membership_event(r, EVENT_MEMBER_JOINED, a.id, r->user->id, NULL))
			return req_fail_internal(r);
		return membership_answer(r, &a, "active");
	}
	if (state && strcmp(state, "requested") == 0)
		return membership_answer(r, &a, "requested");
	if (strcmp(a.join_policy, "invite") == 0)
		return req_fail(r, 403, "invitation_required", N_("This community takes new members by invitation only."));
	const char *next = strcmp(a.join_policy, "open") == 0 ? "active" : "requested";
	if (strcmp(next, "active") == 0 && !circles_has_room(r->db, a.id))
		return circle_full(r);
	if (!add_membership(r, a.id, next))
		return req_fail_internal(r);
	return membership_answer(r, &a, next);
}

bool communities_open_to_join(const struct community_access *a)
{
	return a->can_read && !a->archived && !a->membership_state && strcmp(a->join_policy, "open") == 0;
}

bool communities_join_open(struct req *r, struct community_access *a)
{
	if (!communities_open_to_join(a) || !add_membership(r, a->id, "active"))
		return false;
	a->is_member = true;
	a->membership_state = "active";
	return policy_community_rights(r->user, a);
}

static int64_t host_count(struct req *r, int64_t community_id)
{
	return db_scalar_int(r->db, 0, "SELECT COUNT(*) FROM memberships WHERE community_id = ? AND role = 'host'"
				       " AND state = 'active'", DB_ARGS(db_int(community_id)));
}

json_t *communities_leave(struct req *r)
{
	struct community_access a;
	if (!communities_access(r, req_path_param(r, "slug"), &a))
		return req_fail(r, 404, "not_found", N_("There is no such community."));
	if (a.is_host && host_count(r, a.id) <= 1)
		return req_fail(r, 409, "last_host", N_("You are the last host; make someone else host before you leave."));
	/* Leaving also withdraws a request or declines an invitation. */
	int64_t left = db_exec(r->db, "DELETE FROM memberships WHERE community_id = ? AND user_id = ?",
			       DB_ARGS(db_int(a.id), db_int(r->user->id)));
	if (left < 0 || (left > 0 && !membership_event(r, EVENT_MEMBER_LEFT, a.id, r->user->id, NULL)))
		return req_fail_internal(r);
	return req_done(r, 200, strcmp(a.visibility, "private") == 0 ? "/c" : link_community(&r->arena, a.slug),
			json_pack("{s:s, s:n}", "community", a.slug, "membership"));
}

json_t *communities_members(struct req *r)
{
	struct community_access a;
	if (!communities_access(r, req_path_param(r, "slug"), &a) || !a.can_read)
		return req_fail(r, 404, "not_found", N_("There is no such community."));
	json_t *m = communities_model(r, &a);
	json_object_set_new(m, "title", json_string(a.name));
	json_object_set_new(m, "items", communities_people(r, a.id, "active", NULL, 1000, false));
	if (a.can_host) {
		json_object_set_new(m, "requests", communities_people(r, a.id, "requested", NULL, 1000, false));
		json_object_set_new(m, "invitations", communities_people(r, a.id, "invited", NULL, 1000, false));
	}
	return m;
}

/* The member named by the handle field or path segment; 0 when unknown. */
static int64_t member_id(struct req *r, const char *handle)
{
	struct profile p;
	return handle && users_profile(r->db, &r->arena, handle, &p) ? p.id : 0;
}

json_t *communities_invite(struct req *r)
{
	struct community_access a;
	if (!communities_managed(r, &a))
		return NULL;
	const char *handle = field(r, "handle", "");
	if (*handle == '@')
		handle++;
	int64_t id = member_id(r, handle);
	if (!id) {
		req_fail(r, 422, "invalid", N_("There is no member with that handle."));
		r->error.field = "handle";
		return NULL;
	}
	if (db_exists(r->db, "SELECT 1 FROM communities c WHERE c.id = ? AND " POLICY_COMMUNITY_BANNED_SQL,
		      DB_ARGS(db_int(a.id), db_int(id)))) {
		req_fail(r, 409, "banned", N_("This member is banned from this community; lift the ban before you invite them."));
		r->error.field = "handle";
		return NULL;
	}
	/* An invitation to someone who asked to join lets them in at once;
	 * one to a member or an invitee changes nothing. */
	bool requested = db_exists(r->db, "SELECT 1 FROM memberships WHERE community_id = ? AND user_id = ?"
					  " AND state = 'requested'", DB_ARGS(db_int(a.id), db_int(id)));
	bool in = db_exists(r->db, "SELECT 1 FROM memberships WHERE community_id = ? AND user_id = ?"
				   " AND state IN ('active', 'invited')", DB_ARGS(db_int(a.id), db_int(id)));
	if (!in && !circles_has_room(r->db, a.id))
		return circle_full(r);
	int64_t changed = db_exec(r->db,
		"INSERT INTO memberships (community_id, user_id, role, state, invited_by, created_at)"
		" VALUES (?, ?, 'member', 'invited', ?, ?) ON CONFLICT (community_id, user_id) DO UPDATE"
		" SET state = 'active' WHERE memberships.state = 'requested'",
		DB_ARGS(db_int(a.id), db_int(id), db_int(r->user->id), db_int(r->now)));
	if (changed < 0 ||
	    (changed > 0 && !membership_event(r, requested ? EVENT_MEMBER_APPROVED : EVENT_MEMBER_INVITED, a.id, id, NULL)))
		return req_fail_internal(r);
	return req_done(r, 200, arena_printf(&r->arena, "%s/members", link_community(&r->arena, a.slug)),
			json_pack("{s:s, s:s}", "community", a.slug, "invited", handle));
}

json_t *communities_decide_request(struct req *r)
{
	struct community_access a;
	if (!communities_managed(r, &a))
		return NULL;
	int64_t id = member_id(r, req_path_param(r, "handle"));
	const char *decision = req_path_param(r, "decision");
	if (strcmp(decision, "approve") != 0 && strcmp(decision, "decline") != 0)
		return req_fail(r, 404, "not_found", N_("There is no such page."));
	if (!id || !db_exists(r->db, "SELECT 1 FROM memberships WHERE community_id = ? AND user_id = ? AND state = 'requested'",
			      DB_ARGS(db_int(a.id), db_int(id))))
		return req_fail(r, 404, "not_found", N_("There is no such request."));
	bool approve = strcmp(decision, "approve") == 0;
	if (approve && !circles_has_room(r->db, a.id))
		return circle_full(r);
	if (db_exec(r->db, approve ? "UPDATE memberships SET state = 'active' WHERE community_id = ? AND user_id = ?"
				   : "DELETE FROM memberships WHERE community_id = ? AND user_id = ?",
		    DB_ARGS(db_int(a.id), db_int(id))) != 1 ||
	    !membership_event(r, approve ? EVENT_MEMBER_APPROVED : EVENT_MEMBER_DECLINED, a.id, id, NULL) ||
	    !audit_by(r, approve ? "community.request_approved" : "community.request_declined", "member", id, a.id,
		      NULL, NULL))
		return req_fail_internal(r);
	return req_done(r, 200, arena_printf(&r->arena, "%s/members", link_community(&r->arena, a.slug)),
			json_pack("{s:s, s:s}", "handle", req_path_param(r, "handle"),
				  "membership", approve ? "active" : "declined"));
}

bool communities_remove(struct req *r, const struct community_access *a, int64_t member, bool *last_host)
{
	*last_host = false;
	bool host = db_exists(r->db, "SELECT 1 FROM memberships WHERE community_id = ? AND user_id = ? AND role = 'host'"
				     " AND state = 'active'", DB_ARGS(db_int(a->id), db_int(member)));
	if (host && host_count(r, a->id) <= 1) {
		*last_host = true;
		return false;
	}
	int64_t removed = db_exec(r->db, "DELETE FROM memberships WHERE community_id = ? AND user_id = ?",
				  DB_ARGS(db_int(a->id), db_int(member)));
	return removed >= 0 && (removed == 0 || membership_event(r, EVENT_MEMBER_LEFT, a->id, member, NULL));
}

bool communities_forget_requests(struct req *r, int64_t member)
{
	return db_exec(r->db, "DELETE FROM memberships WHERE user_id = ? AND state IN ('requested', 'invited')",
		       DB_ARGS(db_int(member))) >= 0;
}

json_t *communities_set_role(struct req *r)
{
	struct community_access a;
	if (!communities_managed(r, &a))
		return NULL;
	int64_t id = member_id(r, req_path_param(r, "handle"));
	const char *role = req_param(r, "role");
	/* Invitations are withdrawn by removing the invitee. */
	bool removing = role && strcmp(role, "removed") == 0;
	if (!id || !db_exists(r->db, "SELECT 1 FROM memberships WHERE community_id = ? AND user_id = ?"
				     " AND (state = 'active' OR (? AND state = 'invited'))",
			      DB_ARGS(db_int(a.id), db_int(id), db_int(removing))))
		return req_fail(r, 404, "not_found", N_("This person is not a member."));
	if (!role || (strcmp(role, "host") != 0 && strcmp(role, "member") != 0 && !removing)) {
		req_fail(r, 422, "invalid", N_("Choose host or member, or remove the member."));
		r->error.field = "role";
		return NULL;
	}
	bool was_host = db_exists(r->db, "SELECT 1 FROM memberships WHERE community_id = ? AND user_id = ? AND role = 'host'",
				  DB_ARGS(db_int(a.id), db_int(id)));
	if (was_host && strcmp(role, "host") != 0 && host_count(r, a.id) <= 1)
		return req_fail(r, 409, "last_host", N_("A community keeps at least one host."));
	int64_t changed = removing ? db_exec(r->db, "DELETE FROM memberships WHERE community_id = ? AND user_id = ?",
					     DB_ARGS(db_int(a.id), db_int(id)))
				   : db_exec(r->db, "UPDATE memberships SET role = ? WHERE community_id = ? AND user_id = ?",
					     DB_ARGS(db_text(role), db_int(a.id), db_int(id)));
	if (changed != 1 ||
	    !membership_event(r, removing ? EVENT_MEMBER_LEFT : EVENT_MEMBER_ROLE, a.id, id, removing ? NULL : role) ||
	    !audit_by(r, removing ? "community.member_removed" : "community.role", "member", id, a.id, NULL,
		      json_pack("{s:s}", "role", role)))
		return req_fail_internal(r);
	return req_done(r, 200, arena_printf(&r->arena, "%s/members", link_community(&r->arena, a.slug)),
			json_pack("{s:s, s:s}", "handle", req_path_param(r, "handle"), "role", role));
}
