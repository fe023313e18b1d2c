/* premoderation: newcomers' posts held for approval (see premoderation.h). */
#include "features/premoderation.h"

#include "auth/policy.h"
#include "core/arena.h"
#include "core/grow.h"
#include "core/text.h"
#include "features/audit.h"
#include "features/communities.h"
#include "features/item_events.h"
#include "http/req.h"
#include "i18n/i18n.h"
#include "jobs/events.h"
#include "render/links.h"
#include "render/render.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define FIRST_POSTS_DEFAULT 2
#define FIRST_POSTS_MAX 100
#define REJECTION_MAX 1000
#define QUEUE_LIMIT 100
#define BODY_SHOWN 2000
/* The settings' row of the site; a community's is its id. */
#define SITE_SCOPE 0

enum mode { MODE_OFF, MODE_NEWCOMERS, MODE_LINKS, MODES };
static const char *const mode_names[MODES] = {"off", "newcomers", "links"};
static const char *const mode_labels[MODES] = {
	N_("Off: posts appear at once"),
	N_("Hold new members' first posts for approval"),
	N_("Hold new members' first posts, and every post with a link"),
};

struct rule {
	enum mode mode;
	int first_posts;
};

static struct rule rule_load(struct db *db, int64_t scope)
{
	struct rule rule = {MODE_OFF, FIRST_POSTS_DEFAULT};
	struct db_stmt *st = db_query(db, "SELECT mode, first_posts FROM premoderation_settings WHERE scope_id = ?",
				      DB_ARGS(db_int(scope)));
	if (st && db_step(st) == DB_ROW) {
		for (int m = 0; m < MODES; m++)
			if (strcmp(db_text_col(st, 0), mode_names[m]) == 0)
				rule.mode = (enum mode)m;
		rule.first_posts = (int)db_int_col(st, 1);
	}
	db_done(st);
	return rule;
}

/* Whether the text has an http(s) address or a Markdown link. */
static bool has_link(const char *text)
{
	for (const char *p = text; p && *p; p++) {
		if ((strncasecmp(p, "http://", 7) == 0 || strncasecmp(p, "https://", 8) == 0) ||
		    (p[0] == ']' && p[1] == '('))
			return true;
	}
	return false;
}

/* How many posts (items, answers and comments) the member has published
 * on the site, or in one community (community_id, 0: anywhere): not
 * deleted and not held. Counted up to limit only. */
static int64_t published_posts(struct db *db, int64_t member, int64_t community_id, int limit)
{
	return db_scalar_int(db, 0,
			     "SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM items i WHERE i.author_id = ?"
			     " AND (? = 0 OR i.community_id = ?)"
			     " AND i.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM pending_posts q"
			     " WHERE q.subject_kind = 'item' AND q.subject_id = i.id) LIMIT ?) a)"
			     " + (SELECT COUNT(*) FROM (SELECT 1 FROM comments k JOIN items t ON t.id = k.item_id"
			     " WHERE k.author_id = ? AND (? = 0 OR t.community_id = ?)"
			     " AND k.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM pending_posts q"
			     " WHERE q.subject_kind = 'comment' AND q.subject_id = k.id) LIMIT ?) b)",
			     DB_ARGS(db_int(member), db_int(community_id), db_int(community_id), db_int(limit),
				     db_int(member), db_int(community_id), db_int(community_id), db_int(limit)));
}

/* Whether the rule holds the member as new: fewer than its first posts
 * published where it counts (the new post, stored already, counts
 * itself). */
static bool holds_newcomer(struct db *db, const struct rule *rule, int64_t member, int64_t community_id)
{
	return rule->mode != MODE_OFF && rule->first_posts > 0 &&
	       published_posts(db, member, community_id, rule->first_posts + 1) <= rule->first_posts;
}

const char *premoderation_reason(struct req *r, const struct community_access *c, const char *text)
{
	/* Who moderates is never held: the site's moderators and admins,
	 * the community's hosts. */
	if (!r->user || policy_site_allows(r, POLICY_MODERATE) || (c && c->can_moderate))
		return NULL;
	struct rule site = rule_load(r->db, SITE_SCOPE);
	struct rule own = c ? rule_load(r->db, c->id) : (struct rule){MODE_OFF, 0};
	/* Either holds: a community adds to the site's, and counts what the
	 * member published in it — new to it is new, however active they
	 * are elsewhere. */
	if (holds_newcomer(r->db, &site, r->user->id, 0) || (c && holds_newcomer(r->db, &own, r->user->id, c->id)))
		return "newcomer";
	if ((site.mode == MODE_LINKS || own.mode == MODE_LINKS) && has_link(text))
		return "link";
	return NULL;
}

bool premoderation_hold(struct req *r, const char *kind, int64_t id, int64_t item_id, int64_t community_id,
			const char *reason)
{
	return db_exec(r->db,
		       "INSERT INTO pending_posts (subject_kind, subject_id, item_id, author_id, community_id, reason,"
		       " state, held_at) VALUES (?, ?, ?, ?, ?, ?, 'waiting', ?)",
		       DB_ARGS(db_text(kind), db_int(id), db_int(item_id), db_int(r->user->id),
			       community_id ? db_int(community_id) : db_null(), db_text(reason), db_int(r->now))) == 1;
}

bool premoderation_edited(struct req *r, const char *kind, int64_t id)
{
	return db_exec(r->db,
		       "UPDATE pending_posts SET state = 'waiting', rejection = NULL, held_at = ? WHERE subject_kind = ?"
		       " AND subject_id = ? AND state = 'rejected' AND author_id = ?",
		       DB_ARGS(db_int(r->now), db_text(kind), db_int(id), db_int(r->user->id))) >= 0;
}

const char *premoderation_state(struct req *r, const char *kind, int64_t id, const char **rejection)
{
	const char *state = NULL;
	struct db_stmt *st = db_query(r->db,
				      "SELECT state, COALESCE(rejection, '') FROM pending_posts WHERE subject_kind = ?"
				      " AND subject_id = ?",
				      DB_ARGS(db_text(kind), db_int(id)));
	if (st && db_step(st) == DB_ROW) {
		state = strcmp(db_text_col(st, 0), "rejected") == 0 ? "rejected" : "waiting";
		if (rejection)
			*rejection = arena_strdup(&r->arena, db_text_col(st, 1));
	}
	db_done(st);
	return state;
}

ssize_t premoderation_answers(struct req *r, int64_t question, struct premoderation_mark **marks)
{
	struct premoderation_mark *out = NULL;
	size_t n = 0, cap = 0;
	struct db_stmt *st = db_query(r->db,
				      "SELECT q.subject_id, q.state, COALESCE(q.rejection, '') FROM pending_posts q"
				      " JOIN items i ON i.id = q.subject_id WHERE q.subject_kind = 'item' AND i.parent_id = ?",
				      DB_ARGS(db_int(question)));
	while (st && db_step(st) == DB_ROW) {
		GROW_ARENA(&r->arena, out, n, cap);
		out[n++] = (struct premoderation_mark){db_int_col(st, 0),
						       strcmp(db_text_col(st, 1), "rejected") == 0 ? "rejected" : "waiting",
						       arena_strdup(&r->arena, db_text_col(st, 2))};
	}
	db_done(st);
	*marks = out;
	return db_failed(r->db) ? -1 : (ssize_t)n;
}

static const char *reason_label(struct req *r, const char *reason)
{
	return tr(r, strcmp(reason, "link") == 0 ? N_("It has a link") : N_("A new member's first posts"));
}

/* Whether the viewer may approve posts in the community (0: on a
 * profile): its hosts, and the site's moderators who may read it. */
static bool may_decide(struct req *r, int64_t community_id)
{
	if (!community_id)
		return policy_site_allows(r, POLICY_MODERATE);
	struct community_access a;
	return communities_access_id(r, community_id, &a) && a.can_read && a.can_moderate;
}

/* ---- the queue ---------------------------------------------------------------- */

json_t *premoderation_queue(struct req *r)
{
	bool staff = policy_site_allows(r, POLICY_MODERATE);
	struct db_stmt *st = db_query(
		r->db,
		"SELECT q.subject_kind, q.subject_id, q.item_id, q.reason, q.held_at, u.handle, u.name,"
		" COALESCE(p.title, t.title), COALESCE(k.body, t.body), COALESCE(t.parent_id, 0), s.slug, s.name"
		" FROM pending_posts q JOIN users u ON u.id = q.author_id JOIN items t ON t.id = q.item_id"
		" LEFT JOIN items p ON p.id = t.parent_id"
		" LEFT JOIN comments k ON q.subject_kind = 'comment' AND k.id = q.subject_id"
		" LEFT JOIN communities s ON s.id = q.community_id"
		" WHERE q.state = 'waiting' AND t.deleted_at IS NULL AND (k.id IS NULL OR k.deleted_at IS NULL)"
		" AND " POLICY_MODERATED_SQL("q.community_id") " ORDER BY q.held_at, q.subject_id LIMIT ?",
		DB_ARGS(POLICY_MODERATED_ARGS(staff, r->user->id), db_int(QUEUE_LIMIT)));
	json_t *list = json_array();
	while (st && db_step(st) == DB_ROW) {
		const char *kind = strcmp(db_text_col(st, 0), "comment") == 0 ? "comment" : "item";
		int64_t id = db_int_col(st, 1), item = db_int_col(st, 2), parent = db_int_col(st, 9);
		const char *title = db_text_col(st, 7), *handle = db_text_col(st, 5);
		char body[BODY_SHOWN + 8];
		text_excerpt(db_text_col(st, 8), BODY_SHOWN, body, sizeof(body));
		const char *url = strcmp(kind, "comment") == 0
			? arena_printf(&r->arena, "%s#comment-%lld", link_item_id(&r->arena, parent ? parent : item),
				       (long long)id)
			: parent ? arena_printf(&r->arena, "%s#answer-%lld", link_item_id(&r->arena, parent), (long long)id)
				 : link_item_id(&r->arena, id);
		json_t *o = json_pack("{s:s, s:I, s:s, s:s, s:s, s:b, s:s, s:s, s:{s:s, s:s, s:s}, s:s}", "kind", kind,
				      "id", (json_int_t)id, "title", *title ? title : tr(r, N_("Update")), "body", body,
				      "url", url, "is_comment", strcmp(kind, "comment") == 0, "reason", db_text_col(st, 3),
				      "reason_label", reason_label(r, db_text_col(st, 3)), "author", "handle", handle,
				      "name", db_text_col(st, 6), "url", link_person(&r->arena, handle), "action",
				      arena_printf(&r->arena, "/moderation/pending/%s/%lld", kind, (long long)id));
		render_add_time(o, "held", db_int_col(st, 4));
		if (!db_null_col(st, 10))
			json_object_set_new(o, "community",
					    json_pack("{s:s, s:s, s:s}", "slug", db_text_col(st, 10), "name",
						      db_text_col(st, 11), "url", link_community(&r->arena, db_text_col(st, 10))));
		json_array_append_new(list, o);
	}
	db_done(st);
	if (db_failed(r->db)) {
		json_decref(list);
		return NULL;
	}
	return list;
}

/* ---- deciding ----------------------------------------------------------------- */

/* What waits: the post, its item, community and author. */
struct waiting {
	const char *kind;
	int64_t id, item_id, community_id, author_id;
};

static bool load_waiting(struct req *r, struct waiting *w)
{
	const char *kind = req_path_param(r, "kind");
	char *end = NULL;
	long long id = strtoll(req_path_param(r, "id"), &end, 10);
	memset(w, 0, sizeof(*w));
	bool found = false;
	if (kind && (strcmp(kind, "item") == 0 || strcmp(kind, "comment") == 0) && id > 0 && !*end) {
		w->kind = strcmp(kind, "item") == 0 ? "item" : "comment";
		struct db_stmt *st = db_query(r->db,
					      "SELECT item_id, COALESCE(community_id, 0), author_id FROM pending_posts"
					      " WHERE subject_kind = ? AND subject_id = ? AND state = 'waiting'",
					      DB_ARGS(db_text(w->kind), db_int(id)));
		if ((found = st && db_step(st) == DB_ROW)) {
			w->id = id;
			w->item_id = db_int_col(st, 0);
			w->community_id = db_int_col(st, 1);
			w->author_id = db_int_col(st, 2);
		}
		db_done(st);
	}
	if (found && may_decide(r, w->community_id))
		return true;
	/* Who may not decide on it learns nothing of it, but its author. */
	if (found && w->author_id == r->user->id)
		req_fail(r, 403, "forbidden", N_("Only moderators and the community's hosts can do that."));
	else
		req_fail(r, 404, "not_found", N_("Nothing of that waits for approval."));
	return false;
}

/* The event its author's post would have recorded when it was written,
 * recorded now that it is approved. */
static bool record_creation(struct req *r, const struct waiting *w)
{
	struct db_stmt *st = db_query(r->db, "SELECT kind, title, COALESCE(parent_id, 0) FROM items WHERE id = ?",
				      DB_ARGS(db_int(w->item_id)));
	if (!st || db_step(st) != DB_ROW) {
		db_done(st);
		return false;
	}
	const char *kind = arena_strdup(&r->arena, db_text_col(st, 0));
	const char *title = arena_strdup(&r->arena, db_text_col(st, 1));
	int64_t parent = db_int_col(st, 2);
	db_done(st);
	struct event e = {.actor_id = w->author_id, .community_id = w->community_id, .item_id = w->item_id,
			  .created_at = r->now};
	if (strcmp(w->kind, "comment") == 0) {
		e.type = EVENT_COMMENT_ADDED;
		e.object_id = w->id;
		e.payload = json_object();
		if (parent)
			json_object_set_new(e.payload, "parent_id", json_integer(parent));
	} else {
		struct community_access a;
		bool in = w->community_id && communities_access_id(r, w->community_id, &a);
		e.type = EVENT_ITEM_CREATED;
		e.payload = item_event_payload(kind, title, parent, in ? &a : NULL);
	}
	return event_record(r->db, &e);
}

json_t *premoderation_decide(struct req *r)
{
	struct waiting w;
	if (!load_waiting(r, &w))
		return NULL;
	const char *action = req_param_trimmed(r, "action");
	bool approve = action && strcmp(action, "approve") == 0;
	if (!approve && !(action && strcmp(action, "reject") == 0)) {
		req_fail(r, 422, "invalid", N_("Choose approve or reject."));
		r->error.field = "action";
		return NULL;
	}
	const char *reason = req_param_trimmed(r, "reason");
	if (!reason)
		reason = "";
	if (!approve && !*reason) {
		req_fail(r, 422, "invalid", N_("Say why it is not approved; its author reads it."));
		r->error.field = "reason";
		return NULL;
	}
	if (utf8_length(reason) > REJECTION_MAX || !text_printable(reason, true)) {
		req_fail(r, 422, "invalid", N_("Keep the reason under 1000 characters."));
		r->error.field = "reason";
		return NULL;
	}
	bool ok = approve ? db_exec(r->db, "DELETE FROM pending_posts WHERE subject_kind = ? AND subject_id = ?",
				    DB_ARGS(db_text(w.kind), db_int(w.id))) == 1
			  : db_exec(r->db,
				    "UPDATE pending_posts SET state = 'rejected', rejection = ? WHERE subject_kind = ?"
				    " AND subject_id = ?",
				    DB_ARGS(db_text(reason), db_text(w.kind), db_int(w.id))) == 1;
	if (!ok)
		return req_fail_internal(r);
	json_t *payload = json_pack("{s:s}", "subject_kind", w.kind);
	if (!approve)
		json_object_set_new(payload, "reason", json_string(reason));
	/* post.approved first: its subscriber dates the post at its approval
	 * before its creation is told. */
	ok = event_record(r->db, &(struct event){.type = approve ? EVENT_POST_APPROVED : EVENT_POST_REJECTED,
						  .actor_id = r->user->id, .community_id = w.community_id,
						  .item_id = w.item_id, .member_id = w.author_id,
						  .object_id = strcmp(w.kind, "comment") == 0 ? w.id : 0,
						  .created_at = r->now, .payload = payload}) &&
	     (!approve || record_creation(r, &w)) &&
	     audit_by(r, approve ? "post.approved" : "post.rejected", w.kind, w.id, w.community_id,
		      *reason ? reason : NULL, json_pack("{s:I}", "author", (json_int_t)w.author_id));
	if (!ok)
		return req_fail_internal(r);
	return req_done(r, 200, "/moderation",
			json_pack("{s:s, s:I, s:s}", "subject_kind", w.kind, "subject_id", (json_int_t)w.id, "action",
				  approve ? "approve" : "reject"));
}

/* ---- settings ----------------------------------------------------------------- */

/* The settings form of the site (a: NULL) or of the community a, posted
 * to action, with what was sent after an error. */
static json_t *settings_model(struct req *r, const struct community_access *a, const char *action)
{
	int64_t scope = a ? a->id : SITE_SCOPE;
	struct rule rule = rule_load(r->db, scope);
	const char *sent_mode = r->error.set ? req_param(r, "mode") : NULL;
	json_t *options = json_array();
	for (int m = 0; m < MODES; m++)
		json_array_append_new(options,
				      json_pack("{s:s, s:s, s:b}", "value", mode_names[m], "label", tr(r, mode_labels[m]),
						"selected", sent_mode ? strcmp(sent_mode, mode_names[m]) == 0
								      : rule.mode == (enum mode)m));
	const char *sent_first = r->error.set ? req_param(r, "first_posts") : NULL;
	json_t *m = json_pack("{s:s, s:s, s:o, s:s, s:s}", "title", tr(r, N_("Pre-moderation")), "action", action,
			      "modes", options, "first_posts",
			      sent_first ? sent_first : arena_printf(&r->arena, "%d", rule.first_posts), "mode",
			      mode_names[rule.mode]);
	if (a) {
		/* What the community adds to. */
		struct rule site = rule_load(r->db, SITE_SCOPE);
		json_object_set_new(m, "site", json_pack("{s:s, s:s, s:i}", "mode", mode_names[site.mode], "label",
							 tr(r, mode_labels[site.mode]), "first_posts", site.first_posts));
		json_object_set_new(m, "community", json_pack("{s:s, s:s, s:s}", "slug", a->slug, "name", a->name,
							      "url", link_community(&r->arena, a->slug)));
	}
	if (req_query(r, "saved"))
		json_object_set_new(m, "saved", json_true());
	return m;
}

/* Saves the form's choice for the site (a: NULL) or the community a:
 * the page again, or the form with what is wrong. */
static json_t *settings_save(struct req *r, const struct community_access *a, const char *action)
{
	int64_t scope = a ? a->id : SITE_SCOPE;
	const char *mode = req_param_trimmed(r, "mode");
	int which = -1;
	for (int m = 0; mode && m < MODES; m++)
		if (strcmp(mode, mode_names[m]) == 0)
			which = m;
	if (which < 0)
		req_field_error(r, NULL, "mode", N_("Choose off, new members' posts, or also posts with links."));
	const char *first = req_param_trimmed(r, "first_posts");
	char *end = NULL;
	long n = first && *first ? strtol(first, &end, 10) : FIRST_POSTS_DEFAULT;
	if ((end && *end) || n < 1 || n > FIRST_POSTS_MAX)
		req_field_error(r, NULL, "first_posts", N_("Give a number of posts from 1 to 100."));
	if (req_has_field_errors(r)) {
		/* The form again with what was sent and what is wrong. */
		json_t *model = settings_model(r, a, action);
		json_object_set(model, "errors", r->error.fields);
		return req_invalid(r, model);
	}
	if (db_exec(r->db,
		    "INSERT INTO premoderation_settings (scope_id, mode, first_posts) VALUES (?, ?, ?)"
		    " ON CONFLICT (scope_id) DO UPDATE SET mode = excluded.mode, first_posts = excluded.first_posts",
		    DB_ARGS(db_int(scope), db_text(mode_names[which]), db_int(n))) < 0 ||
	    !audit_by(r, a ? "community.premoderation" : "site.premoderation", a ? "community" : "site", scope, scope,
		      NULL, json_pack("{s:s, s:I}", "mode", mode_names[which], "first_posts", (json_int_t)n)))
		return req_fail_internal(r);
	return req_done(r, 200, arena_printf(&r->arena, "%s?saved=1", action), settings_model(r, a, action));
}

#define SITE_SETTINGS "/admin/premoderation"

json_t *premoderation_site_page(struct req *r)
{
	return settings_model(r, NULL, SITE_SETTINGS);
}

json_t *premoderation_site_save(struct req *r)
{
	return settings_save(r, NULL, SITE_SETTINGS);
}

static const char *community_settings_path(struct req *r, const struct community_access *a)
{
	return arena_printf(&r->arena, "%s/premoderation", link_community(&r->arena, a->slug));
}

json_t *premoderation_community_page(struct req *r)
{
	struct community_access a;
	if (!communities_managed(r, &a))
		return NULL;
	return settings_model(r, &a, community_settings_path(r, &a));
}

json_t *premoderation_community_save(struct req *r)
{
	struct community_access a;
	if (!communities_managed(r, &a))
		return NULL;
	return settings_save(r, &a, community_settings_path(r, &a));
}
