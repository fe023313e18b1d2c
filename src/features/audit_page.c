/* audit_page: the audit log's pages (see audit_page.h). */
#include "features/audit_page.h"

#include "auth/policy.h"
#include "core/arena.h"
#include "core/buf.h"
#include "db/db.h"
#include "features/communities.h"
#include "http/req.h"
#include "i18n/i18n.h"
#include "render/links.h"
#include "render/render.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Entries on one page. */
#define PAGE_SIZE 50

/* What the log calls each action; an action not listed shows its code. */
static const struct {
	const char *action, *label;
} actions[] = {
	{"member.role", N_("Site role changed")},
	{"community.role", N_("Community role changed")},
	{"community.member_removed", N_("Member removed from the community")},
	{"community.archived", N_("Community archived")},
	{"community.unarchived", N_("Community taken out of the archive")},
	{"community.request_approved", N_("Request to join approved")},
	{"community.request_declined", N_("Request to join declined")},
	{"item.deleted", N_("Post deleted by a moderator")},
	{"comment.deleted", N_("Comment deleted by a moderator")},
	{"file.removed", N_("File removed by a moderator")},
	{"expert.revoked", N_("Expert status revoked")},
	{"org.created", N_("Organisation added")},
	{"org.edited", N_("Organisation changed")},
	{"event_type.added", N_("Kind of event added")},
	{"event_type.changed", N_("Kind of event changed")},
	{"site.settings", N_("Site settings changed")},
	{"report.dismissed", N_("Reports dismissed")},
	{"content.hidden", N_("Content hidden")},
	{"content.unhidden", N_("Content shown again")},
	{"content.edited", N_("Content edited by a moderator")},
	{"community.ambassador_granted", N_("Made ambassador")},
	{"community.ambassador_revoked", N_("Ambassador role taken back")},
	{"item.pinned", N_("Post pinned")},
	{"item.unpinned", N_("Post unpinned")},
	{"community.moderation_log", N_("Public moderation log turned on or off")},
	{"content.hidden_automatically", N_("Content hidden automatically after reports")},
	{"member.warned", N_("Member warned")},
	{"member.cooldown", N_("Posting cool-down started")},
	{"member.exclusion_proposed", N_("Member put before the moderators for exclusion")},
	{"member.kept", N_("Member kept after a decision on exclusion")},
	{"member.suspended", N_("Member suspended")},
	{"member.unsuspended", N_("Suspension ended")},
	{"member.excluded", N_("Member excluded")},
	{"member.reinstated", N_("Member reinstated")},
	{"member.banned", N_("Member banned from the community")},
	{"member.unbanned", N_("Ban lifted")},
	{"post.approved", N_("Post approved")},
	{"post.rejected", N_("Post not approved")},
	{"site.premoderation", N_("Pre-moderation of the site changed")},
	{"community.premoderation", N_("Pre-moderation of the community changed")},
	{"conduct.published", N_("Code of conduct published")},
};

const char *audit_action_label(struct req *r, const char *action)
{
	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		if (strcmp(actions[i].action, action) == 0)
			return tr(r, actions[i].label);
	return action;
}

/* What the log calls the kinds of subject. */
static const char *kind_label(struct req *r, const char *kind)
{
	static const char *const kinds[][2] = {
		{"item", N_("Post")}, {"comment", N_("Comment")}, {"member", N_("Member")},
		{"community", N_("Community")}, {"org", N_("Organisation")}, {"site", N_("The site")},
	};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kinds[i][0], kind) == 0)
			return tr(r, kinds[i][1]);
	return kind;
}

/* The detail's values that are text, numbers or truths, as "key: value"
 * lines for the page. */
static json_t *detail_lines(struct req *r, json_t *detail)
{
	json_t *lines = json_array();
	const char *key;
	json_t *v;
	json_object_foreach(detail, key, v) {
		const char *text = json_is_string(v)    ? json_string_value(v)
				   : json_is_integer(v) ? arena_printf(&r->arena, "%lld", (long long)json_integer_value(v))
				   : json_is_boolean(v) ? (json_is_true(v) ? "true" : "false")
							: NULL;
		if (text)
			json_array_append_new(lines, json_pack("{s:s, s:s}", "key", key, "value", text));
	}
	return lines;
}

/* The subject as the log shows it: a label and, where there is one, a
 * link. A member is shown by handle. */
static json_t *subject_model(struct req *r, const char *kind, int64_t id, const char *handle)
{
	json_t *s = json_pack("{s:s, s:s, s:I, s:b}", "kind", kind, "kind_label", kind_label(r, kind), "id", (json_int_t)id,
			      "is_site", strcmp(kind, "site") == 0);
	if (strcmp(kind, "item") == 0)
		json_object_set_new(s, "url", json_string(link_item_id(&r->arena, id)));
	else if (strcmp(kind, "member") == 0 && handle) {
		json_object_set_new(s, "url", json_string(link_person(&r->arena, handle)));
		json_object_set_new(s, "handle", json_string(handle));
	}
	return s;
}

/* The filters of the page: each NULL or the value sent. */
struct filter {
	int64_t actor, community, before;
	const char *action;
};

/* One page of entries that meet f, the newest first. community_only:
 * the entries of f.community alone (a host's view). */
static json_t *entries(struct req *r, const struct filter *f, bool *more)
{
	int64_t viewer = r->user->id;
	struct db_stmt *st = db_query(
		r->db,
		"SELECT e.id, e.action, e.subject_kind, e.subject_id, e.reason, e.detail, e.created_at,"
		" a.handle, a.name, su.handle,"
		" CASE WHEN c.id IS NOT NULL AND " POLICY_COMMUNITY_VISIBLE_SQL " THEN c.slug END, c.name"
		" FROM audit_log e LEFT JOIN users a ON a.id = e.actor_id"
		" LEFT JOIN users su ON e.subject_kind = 'member' AND su.id = e.subject_id"
		" LEFT JOIN communities c ON c.id = e.community_id"
		" WHERE e.id < ? AND (? = 0 OR e.actor_id = ?) AND (? = 0 OR e.community_id = ?)"
		" AND (? = '' OR e.action = ?) ORDER BY e.id DESC LIMIT ?",
		DB_ARGS(POLICY_COMMUNITY_VISIBLE_ARGS(viewer), db_int(f->before), db_int(f->actor), db_int(f->actor),
			db_int(f->community), db_int(f->community), db_text(f->action ? f->action : ""),
			db_text(f->action ? f->action : ""), db_int(PAGE_SIZE + 1)));
	json_t *items = json_array();
	int rows = 0;
	*more = false;
	while (st && db_step(st) == DB_ROW) {
		if (rows++ == PAGE_SIZE) {
			*more = true;
			break;
		}
		const char *action = db_text_col(st, 1);
		json_t *detail = json_loads(db_text_col(st, 5), 0, NULL);
		if (!detail)
			detail = json_object();
		json_t *e = json_pack("{s:I, s:s, s:s, s:o, s:s, s:o}", "id", (json_int_t)db_int_col(st, 0), "action",
				      action, "action_label", audit_action_label(r, action), "subject",
				      subject_model(r, db_text_col(st, 2), db_int_col(st, 3),
						    db_null_col(st, 9) ? NULL : db_text_col(st, 9)),
				      "reason", db_text_col(st, 4), "detail", detail);
		json_object_set_new(e, "detail_lines", detail_lines(r, detail));
		render_add_time(e, "created", db_int_col(st, 6));
		if (!db_null_col(st, 7))
			json_object_set_new(e, "actor", json_pack("{s:s, s:s}", "handle", db_text_col(st, 7), "name",
								  db_text_col(st, 8)));
		if (!db_null_col(st, 10))
			json_object_set_new(e, "community", json_pack("{s:s, s:s}", "slug", db_text_col(st, 10), "name",
								      db_text_col(st, 11)));
		json_array_append_new(items, e);
	}
	db_done(st);
	return items;
}

/* Reads ?actor, ?action and ?cursor into f; false after answering 400. */
static bool read_filter(struct req *r, struct filter *f)
{
	memset(f, 0, sizeof(*f));
	f->before = INT64_MAX;
	const char *cursor = req_query(r, "cursor");
	if (cursor && *cursor) {
		char *end;
		errno = 0;
		long long v = strtoll(cursor, &end, 10);
		if (errno || *end || v <= 0) {
			req_fail(r, 400, "invalid", N_("The page's address is not valid."));
			return false;
		}
		f->before = v;
	}
	const char *actor = req_query(r, "actor");
	if (actor && *actor) {
		if (*actor == '@')
			actor++;
		/* A handle no one has finds nothing. */
		f->actor = db_scalar_int(r->db, -1, "SELECT id FROM users WHERE handle = ?", DB_ARGS(db_text(actor)));
	}
	const char *action = req_query(r, "action");
	f->action = action && *action ? action : NULL;
	return true;
}

/* The page's model: the entries, the filters as sent, the next page. */
static json_t *page(struct req *r, const struct filter *f, const char *base, json_t *extra)
{
	bool more = false;
	json_t *items = entries(r, f, &more);
	if (db_failed(r->db)) {
		json_decref(items);
		json_decref(extra);
		return req_fail_internal(r);
	}
	int64_t last = json_array_size(items)
			       ? json_integer_value(json_object_get(json_array_get(items, json_array_size(items) - 1), "id"))
			       : 0;
	json_t *options = json_array();
	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		json_array_append_new(options, json_pack("{s:s, s:s, s:b}", "action", actions[i].action, "label",
							 tr(r, actions[i].label), "selected",
							 f->action && strcmp(f->action, actions[i].action) == 0));
	const char *actor = req_query(r, "actor"), *community = req_query(r, "community");
	json_t *m = json_pack("{s:s, s:o, s:o, s:o, s:b, s:s, s:{s:s, s:s, s:s}}", "title", tr(r, N_("Audit log")),
			      "items", items, "next",
			      more ? json_string(arena_printf(&r->arena, "%lld", (long long)last)) : json_null(),
			      "action_options", options, "none", json_array_size(items) == 0, "base", base, "filters",
			      "actor", actor ? actor : "", "action", f->action ? f->action : "", "community",
			      community ? community : "");
	if (more) {
		/* The next page keeps the filters. */
		struct buf b = {0};
		buf_printf(&b, "%s?cursor=%lld", base, (long long)last);
		const char *kept[][2] = {{"actor", actor}, {"action", f->action}, {"community", community}};
		for (size_t i = 0; i < 3; i++)
			if (kept[i][1] && *kept[i][1]) {
				buf_printf(&b, "&%s=", kept[i][0]);
				buf_put_percent(&b, kept[i][1], strlen(kept[i][1]), "");
			}
		json_object_set_new(m, "next_url", json_stringn(b.data, b.len));
		buf_free(&b);
	}
	if (extra)
		json_object_update_new(m, extra);
	return m;
}

json_t *audit_admin_page(struct req *r)
{
	struct filter f;
	if (!read_filter(r, &f))
		return NULL;
	const char *slug = req_query(r, "community");
	if (slug && *slug) {
		struct community_access a;
		/* One the admin may not know of finds nothing. */
		f.community = communities_access(r, slug, &a) && a.can_read ? a.id : -1;
	}
	return page(r, &f, "/admin/audit", json_pack("{s:b}", "site", 1));
}

json_t *audit_community_page(struct req *r)
{
	struct community_access a;
	if (!communities_managed(r, &a))
		return NULL;
	struct filter f;
	if (!read_filter(r, &f))
		return NULL;
	f.community = a.id;
	return page(r, &f, arena_printf(&r->arena, "%s/audit", link_community(&r->arena, a.slug)),
		    json_pack("{s:{s:s, s:s}}", "community", "slug", a.slug, "name", a.name));
}
