/* warnings: moderators and hosts warn members (see warnings.h). */
#include "features/warnings.h"

#include "auth/account_states.h"
#include "auth/policy.h"
#include "core/arena.h"
#include "core/text.h"
#include "db/db.h"
#include "features/communities.h"
#include "features/ladder.h"
#include "features/member_states.h"
#include "http/req.h"
#include "i18n/i18n.h"
#include "jobs/events.h"
#include "render/links.h"
#include "render/render.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Warnings a page shows at most. */
#define WARNINGS_SHOWN 50

/* Whether r's member may warn who about something in the community (0:
 * none; about_content: about their content there, else about their
 * conduct as its member): whoever may suspend them, or a host of the
 * community when they are a member of the site (not staff) who wrote that
 * content or is in the community. Nobody warns themselves. */
static bool may_warn(struct req *r, const struct account_state *who, int64_t community_id, bool about_content)
{
	if (!r->user || who->id == r->user->id)
		return false;
	struct policy_subject s = {.kind = POLICY_ACCOUNT, .owner_id = who->id, .owner_role = who->role};
	if (policy_allows(r->user, POLICY_MODERATE, &s))
		return true;
	struct community_access a;
	if (!community_id || strcmp(who->role, "member") != 0 || !communities_access_id(r, community_id, &a) ||
	    !a.can_moderate)
		return false;
	/* A host's reach ends at their community: its content and members. */
	return about_content || db_exists(r->db,
					  "SELECT 1 FROM memberships WHERE community_id = ? AND user_id = ?"
					  " AND state = 'active'",
					  DB_ARGS(db_int(community_id), db_int(who->id)));
}

/* The member's warnings, the newest first, as pages show them; with who
 * gave each for moderators (by), without for the member. */
static json_t *warnings_of(struct req *r, int64_t member_id, bool by)
{
	struct db_stmt *st = db_query(r->db,
				      "SELECT w.reason, w.created_at, a.handle, a.name, c.slug, c.name FROM warnings w"
				      " LEFT JOIN users a ON a.id = w.actor_id LEFT JOIN communities c"
				      " ON c.id = w.community_id WHERE w.user_id = ? ORDER BY w.created_at DESC, w.id DESC"
				      " LIMIT ?",
				      DB_ARGS(db_int(member_id), db_int(WARNINGS_SHOWN)));
	json_t *list = json_array();
	while (st && db_step(st) == DB_ROW) {
		/* Every key on each, so that a template asks no enclosing object. */
		json_t *w = json_pack("{s:s, s:n, s:n}", "reason", db_text_col(st, 0), "by", "community");
		render_add_time(w, "created", db_int_col(st, 1));
		if (by && !db_null_col(st, 2))
			json_object_set_new(w, "by", json_pack("{s:s, s:s}", "handle", db_text_col(st, 2), "name",
								 db_text_col(st, 3)));
		if (!db_null_col(st, 4))
			json_object_set_new(w, "community",
					    json_pack("{s:s, s:s, s:s}", "slug", db_text_col(st, 4), "name",
						      db_text_col(st, 5), "url", link_community(&r->arena, db_text_col(st, 4))));
		json_array_append_new(list, w);
	}
	db_done(st);
	return list;
}

/* ---- warning ------------------------------------------------------------------- */

/* What the warning is about (the fields subject_kind and subject_id): its
 * community into *community_id. False after answering 422 for a subject
 * that is not there, not the member's or not the viewer's to read. */
static bool subject_field(struct req *r, const struct account_state *who, const char **kind, int64_t *id,
			  int64_t *community_id)
{
	const char *sent = req_param_trimmed(r, "subject_kind");
	*kind = NULL;
	if (!sent || !*sent)
		return true;
	const char *id_text = req_param_trimmed(r, "subject_id");
	char *end = NULL;
	errno = 0;
	long long n = id_text ? strtoll(id_text, &end, 10) : 0;
	const char *sql = NULL;
	if (strcmp(sent, "item") == 0)
		sql = "SELECT COALESCE(community_id, 0), author_id FROM items WHERE id = ?";
	else if (strcmp(sent, "comment") == 0)
		sql = "SELECT COALESCE(t.community_id, 0), k.author_id FROM comments k JOIN items t ON t.id = k.item_id"
		      " WHERE k.id = ?";
	else if (strcmp(sent, "person") == 0)
		sql = "SELECT 0, id FROM users WHERE id = ?";
	bool found = false;
	if (sql && n > 0 && !errno && !*end) {
		struct db_stmt *st = db_query(r->db, sql, DB_ARGS(db_int(n)));
		if (st && db_step(st) == DB_ROW && db_int_col(st, 1) == who->id) {
			found = true;
			*community_id = db_int_col(st, 0);
		}
		db_done(st);
	}
	struct community_access a;
	if (found && *community_id && (!communities_access_id(r, *community_id, &a) || !a.can_read))
		found = false;
	if (!found) {
		req_fail(r, 422, "invalid", N_("Warn about a post, a comment or the profile of this member."));
		r->error.field = "subject_id";
		return false;
	}
	*kind = strcmp(sent, "item") == 0 ? "item" : strcmp(sent, "comment") == 0 ? "comment" : "person";
	*id = n;
	return true;
}

json_t *warnings_warn(struct req *r)
{
	struct account_state who;
	if (!account_states_find(r->db, &r->arena, req_path_param(r, "handle"), &who))
		return db_failed(r->db) ? req_fail_internal(r)
					: req_fail(r, 404, "not_found", N_("There is no member with that handle."));
	const char *kind = NULL;
	int64_t subject_id = 0, community_id = 0;
	if (!subject_field(r, &who, &kind, &subject_id, &community_id))
		return NULL;
	const char *slug = req_param_trimmed(r, "community");
	if (!kind && slug && *slug) {
		struct community_access a;
		if (!communities_access(r, slug, &a) || !a.can_read) {
			req_fail(r, 422, "invalid", N_("There is no such community."));
			r->error.field = "community";
			return NULL;
		}
		community_id = a.id;
	}
	if (!may_warn(r, &who, community_id, kind != NULL))
		return req_fail(r, 403, "forbidden",
				who.id == r->user->id
					? N_("You cannot warn yourself.")
					: N_("Only a moderator, or a host for content in their community, can warn this member."));
	if (strcmp(who.status, "excluded") == 0)
		return req_fail(r, 409, "wrong_state", N_("This member is excluded already."));
	const char *reason = account_states_reason_field(r);
	if (!reason)
		return NULL;
	struct db_stmt *st = db_query(
		r->db,
		"INSERT INTO warnings (user_id, actor_id, community_id, subject_kind, subject_id, reason, created_at)"
		" VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
		DB_ARGS(db_int(who.id), db_int(r->user->id), community_id ? db_int(community_id) : db_null(),
			kind ? db_text(kind) : db_null(), kind ? db_int(subject_id) : db_null(), db_text(reason),
			db_int(r->now)));
	int64_t id = st && db_step(st) == DB_ROW ? db_int_col(st, 0) : 0;
	db_done(st);
	if (!id)
		return req_fail_internal(r);
	json_t *payload = json_pack("{s:s, s:I}", "reason", reason, "warning", (json_int_t)id);
	if (kind) {
		json_object_set_new(payload, "subject_kind", json_string(kind));
		json_object_set_new(payload, "subject_id", json_integer(subject_id));
	}
	/* The event tells the member and makes the audit entry. */
	if (!event_record(r->db, &(struct event){.type = EVENT_MEMBER_WARNED, .actor_id = r->user->id,
							 .community_id = community_id, .member_id = who.id,
							 .created_at = r->now, .payload = payload}))
		return req_fail_internal(r);
	const char *step = ladder_after_warning(r, &who);
	if (!step)
		return req_fail_internal(r);
	return req_done(r, 201, member_states_return(r, who.handle),
			json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)id, "handle", who.handle, "reason", reason,
				  "step", step));
}

/* ---- seeing them ------------------------------------------------------------------ */

json_t *warnings_standing(struct req *r)
{
	const struct user *me = r->user;
	bool suspended = strcmp(me->status, "suspended") == 0 && me->suspended_until > r->now;
	json_t *m = json_pack("{s:s, s:s, s:o}", "title", tr(r, N_("Your standing")), "status",
			      suspended ? "suspended" : "active", "warnings", warnings_of(r, me->id, false));
	if (suspended) {
		json_t *s = json_pack("{s:s}", "reason", me->suspension_reason ? me->suspension_reason : "");
		render_add_time(s, "until", me->suspended_until);
		json_object_set_new(m, "suspension", s);
	}
	struct ladder_settings ls;
	ladder_settings_load(r->db, &ls);
	json_object_set_new(m, "window_days", json_integer(ls.window_days));
	json_t *c = ladder_cooldown(r->db, me->id, r->now);
	if (c)
		json_object_set_new(m, "cooldown", c);
	if (db_failed(r->db)) {
		json_decref(m);
		return req_fail_internal(r);
	}
	json_object_set_new(m, "clear", json_boolean(!suspended && !c &&
						     json_array_size(json_object_get(m, "warnings")) == 0));
	return m;
}

json_t *warnings_person_page(struct req *r)
{
	json_t *model = member_states_person_page(r);
	json_t *card = model ? json_object_get(model, "moderation") : NULL;
	struct account_state who;
	if (!card || !account_states_find(r->db, &r->arena, req_path_param(r, "handle"), &who))
		return model;
	json_object_set_new(card, "warnings", warnings_of(r, who.id, true));
	return model;
}

void warnings_author_actions(struct req *r, json_t *subject)
{
	json_t *author = json_object_get(subject, "author");
	const char *handle = json_string_value(json_object_get(author, "handle"));
	struct account_state who;
	if (!handle || !account_states_find(r->db, &r->arena, handle, &who) || strcmp(who.status, "excluded") == 0)
		return;
	int64_t community_id = 0;
	struct community_access a;
	const char *slug = json_string_value(json_object_get(json_object_get(subject, "community"), "slug"));
	if (slug && communities_access(r, slug, &a))
		community_id = a.id;
	struct policy_subject s = {.kind = POLICY_ACCOUNT, .owner_id = who.id, .owner_role = who.role};
	/* The queue's forms warn about the subject, content in its community. */
	const char *kind = json_string_value(json_object_get(subject, "kind"));
	bool about_content = kind && strcmp(kind, "person") != 0;
	bool warn = may_warn(r, &who, community_id, about_content), staff = policy_allows(r->user, POLICY_MODERATE, &s);
	if (!warn && !staff)
		return;
	json_t *actions = json_pack("{s:b, s:b, s:s, s:s, s:I, s:s, s:o}", "may_warn", warn, "may_suspend", staff, "handle",
				    who.handle, "subject_kind", kind, "subject_id",
				    (json_int_t)json_integer_value(json_object_get(subject, "id")), "community_slug",
				    slug ? slug : "", "warnings", warnings_of(r, who.id, true));
	json_object_set_new(actions, "suspended",
			    json_boolean(strcmp(who.status, "suspended") == 0 && who.ends_at > r->now));
	json_object_set_new(subject, "author_actions", actions);
}
