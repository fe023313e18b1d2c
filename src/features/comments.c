/*
 * comments: plain-text comments on any item (DESIGN §6: addresses become
 * links, line breaks are kept, blank lines make paragraphs), edited by their
 * author within a time window, deleted by the author, a host or a
 * moderator; and reactions on items and on comments, toggled per member.
 */
#include "features/comments.h"

#include "auth/policy.h"
#include "core/mem.h"
#include "core/text.h"
#include "db/db.h"
#include "features/audit.h"
#include "features/hidden.h"
#include "features/premoderation.h"
#include "features/item_kind.h"
#include "features/items.h"
#include "features/moderator_edits.h"
#include "features/writelimits.h"
#include "http/req.h"
#include "i18n/i18n.h"
#include "jobs/events.h"
#include "render/links.h"
#include "render/plaintext.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COMMENT_MAX 2000
#define COMMENT_EDIT_WINDOW (15 * 60)

static const char *const reaction_kinds[] = {"like", "thanks", "insightful"};

static json_t *comment_html(const char *body)
{
	struct buf html = {0};
	plaintext_render(body, strlen(body), &html);
	/* valid UTF-8 by construction, as markdown_json's */
	json_t *s = json_stringn_nocheck(html.data ? html.data : "", html.len);
	buf_free(&html);
	return s;
}

/* No reactions yet, posted to url: {"like": 0, "thanks": 0, "insightful":
 * 0, "mine": [], "url"}. A page has one for each item and each comment:
 * made without json_pack's format and checks (the keys are ours, the url
 * is ASCII). */
static json_t *empty_reactions(const char *url)
{
	json_t *o = json_object();
	for (int k = 0; k < 3; k++)
		json_object_set_new_nocheck(o, reaction_kinds[k], json_integer(0));
	json_object_set_new_nocheck(o, "mine", json_array());
	json_object_set_new_nocheck(o, "url", json_stringn_nocheck(url, strlen(url)));
	return o;
}

/* For the buttons: each kind with its (translated) label, its count and
 * whether it is mine. */
static json_t *reaction_buttons(json_t *reactions, json_t *const labels[3])
{
	json_t *buttons = json_array(), *mine = json_object_get(reactions, "mine");
	for (int k = 0; k < 3; k++) {
		bool on = false;
		size_t i;
		json_t *m;
		json_array_foreach(mine, i, m)
			on |= strcmp(json_string_value(m), reaction_kinds[k]) == 0;
		json_t *b = json_object();
		json_object_set_new_nocheck(b, "kind", json_string_nocheck(reaction_kinds[k]));
		json_object_set_nocheck(b, "label", labels[k]);
		json_object_set_nocheck(b, "count", json_object_get(reactions, reaction_kinds[k]));
		json_object_set_new_nocheck(b, "on", json_boolean(on));
		json_array_append_new(buttons, b);
	}
	return buttons;
}

/* Reads rows of (id, kind, count, whether the viewer's) into the
 * "reactions" of the objects of index (by id, each with empty_reactions),
 * finishes the statement, and gives every object its buttons. */
static void count_reactions(struct req *r, struct db_stmt *st, json_t *index)
{
	static const char *const label_ids[] = {N_("Like"), N_("Thanks"), N_("Insightful")};
	while (db_step(st) == DB_ROW) {
		json_t *o = json_object_get(items_indexed(index, db_int_col(st, 0)), "reactions");
		if (!o)
			continue;
		json_object_set_new(o, db_text_col(st, 1), json_integer(db_int_col(st, 2)));
		if (db_int_col(st, 3))
			json_array_append_new(json_object_get(o, "mine"), json_string(db_text_col(st, 1)));
	}
	db_done(st);
	json_t *labels[3];
	for (int k = 0; k < 3; k++)
		labels[k] = json_string(tr(r, label_ids[k]));
	const char *key;
	json_t *target;
	json_object_foreach(index, key, target) {
		json_t *o = json_object_get(target, "reactions");
		json_object_set_new_nocheck(o, "buttons", reaction_buttons(o, labels));
	}
	for (int k = 0; k < 3; k++)
		json_decref(labels[k]);
}

void comments_fill(struct req *r, json_t *items, const struct policy_subject *place)
{
	size_t i;
	json_t *item;
	json_array_foreach(items, i, item)
		json_object_set_new(item, "comments", json_array());
	int64_t now = r->now, viewer = r->user ? r->user->id : 0;
	/* Reporting is writing: not for a suspended member. */
	bool may_report = viewer && policy_site_allows(r, POLICY_POST);
	json_t *index, *by_id = json_object();
	/* Hidden comments, and those held for approval, are shown to their
	 * authors and moderators only, marked so. */
	bool moderator = policy_allows(r->user, POLICY_MODERATE, place);
	struct db_stmt *st = items_batch_query(r->db, items,
		"SELECT c.item_id, c.id, c.body, c.created_at, c.edited_at, c.author_id, u.handle, u.name,"
		" CASE WHEN EXISTS (SELECT 1 FROM hidden_content h WHERE h.subject_kind = 'comment'"
		" AND h.subject_id = c.id) THEN 1 ELSE 0 END, q.state, q.rejection"
		" FROM comments c JOIN users u ON u.id = c.author_id"
		" LEFT JOIN pending_posts q ON q.subject_kind = 'comment' AND q.subject_id = c.id"
		" WHERE c.deleted_at IS NULL AND " POLICY_AUTHOR_SHOWN_SQL("c.author_id")
		" AND (? OR " POLICY_NOT_HIDDEN_SQL("comment", "c.id", "c.author_id") ")"
		" AND (? OR " POLICY_NOT_PENDING_SQL("comment", "c.id", "c.author_id") ") AND c.item_id IN",
		" ORDER BY c.id", DB_ARGS(db_int(moderator), POLICY_NOT_HIDDEN_ARGS(viewer), db_int(moderator),
					  POLICY_NOT_PENDING_ARGS(viewer)), &index);
	while (db_step(st) == DB_ROW) {
		struct policy_subject comment = *place;
		comment.kind = POLICY_COMMENT_ON;
		comment.owner_id = db_int_col(st, 5);
		/* A page has many: made member by member, without json_pack's
		 * format and checks. */
		json_t *c = json_object(), *author = json_object();
		json_object_set_new_nocheck(c, "id", json_integer(db_int_col(st, 1)));
		json_object_set_new_nocheck(c, "body", json_checked_text(db_text_col(st, 2)));
		json_object_set_new_nocheck(c, "body_html", comment_html(db_text_col(st, 2)));
		json_object_set_new_nocheck(c, "created_at", json_integer(db_int_col(st, 3)));
		json_object_set_new_nocheck(c, "hidden", json_boolean(db_int_col(st, 8)));
		/* Held for approval: its author reads why when it was not
		 * approved (features/premoderation.h). */
		bool rejected = !db_null_col(st, 9) && strcmp(db_text_col(st, 9), "rejected") == 0;
		json_object_set_new_nocheck(c, "pending", json_boolean(!db_null_col(st, 9)));
		json_object_set_new_nocheck(c, "rejected", json_boolean(rejected));
		if (rejected)
			json_object_set_new_nocheck(c, "rejection", json_checked_text(db_text_col(st, 10)));
		json_object_set_new_nocheck(c, "can_report", json_boolean(may_report && viewer != comment.owner_id));
		json_object_set_new_nocheck(author, "handle", json_checked_text(db_text_col(st, 6)));
		json_object_set_new_nocheck(author, "name", json_checked_text(db_text_col(st, 7)));
		json_object_set_new_nocheck(c, "author", author);
		/* Its author within the window; a moderator, with a note, any
		 * time but while it waits for approval. */
		bool others = viewer != comment.owner_id;
		bool can_edit = policy_allows(r->user, POLICY_EDIT, &comment) &&
				(others ? db_null_col(st, 9) : now - db_int_col(st, 3) < COMMENT_EDIT_WINDOW);
		json_object_set_new_nocheck(c, "can_edit", json_boolean(can_edit));
		json_object_set_new_nocheck(c, "moderating", json_boolean(can_edit && others));
		json_object_set_new_nocheck(c, "can_delete",
					    json_boolean(policy_allows(r->user, POLICY_DELETE, &comment)));
		json_object_set_new_nocheck(c, "edited_at",
					    db_null_col(st, 4) ? json_null() : json_integer(db_int_col(st, 4)));
		json_t *on = items_indexed(index, db_int_col(st, 0));
		/* Who may react to the item may react to its comments. */
		json_object_set(c, "can_react", json_object_get(on, "can_react"));
		json_object_set_new(c, "reactions", empty_reactions(
			link_comment_react(&r->arena, db_int_col(st, 1))));
		char key[TEXT_INT_SIZE];
		text_int(key, db_int_col(st, 1));
		json_object_set_new(by_id, key, json_incref(c));
		json_array_append_new(json_object_get(on, "comments"), c);
	}
	db_done(st);
	json_decref(index);
	st = items_batch_query(r->db, items,
		"SELECT cr.comment_id, cr.kind, COUNT(*), MAX(CASE WHEN cr.user_id = ? THEN 1 ELSE 0 END)"
		" FROM comment_reactions cr JOIN comments c ON c.id = cr.comment_id"
		" WHERE c.deleted_at IS NULL AND c.item_id IN", " GROUP BY cr.comment_id, cr.kind",
		DB_ARGS(db_int(viewer)), &index);
	count_reactions(r, st, by_id);
	json_decref(index);
	json_decref(by_id);
}

/* A write that failed: nothing of it stays. */
static json_t *internal_error(struct req *r)
{
	db_rollback(r->db);
	return req_fail_internal(r);
}

/* Checks a comment's text; NULL when fine, else a message id. */
static const char *comment_problem(const char *body)
{
	if (!*body)
		return N_("Write a comment.");
	if (utf8_length(body) > COMMENT_MAX)
		return N_("A comment has at most 2000 characters; write a longer text as an answer or a post.");
	if (!text_printable(body, true))
		return N_("The text cannot contain control characters.");
	return NULL;
}

static const char *clean_body(struct req *r)
{
	const char *v = req_param(r, "body");
	return v ? text_trim(arena_strdup(&r->arena, v)) : "";
}

/* Records what happened to a comment on the item (or to the item, with
 * comment_id 0: a reaction), done by the viewer. */
/* member: who it is about (the author of a comment a moderator changed), or 0. */
static bool comment_event(struct req *r, enum event_type type, const struct item *it, int64_t comment_id,
			  int64_t member, json_t *payload)
{
	if (it->parent_id)
		json_object_set_new(payload, "parent_id", json_integer(it->parent_id));
	return event_record(r->db, &(struct event){.type = type, .actor_id = r->user->id,
						   .community_id = it->community_id, .item_id = it->id,
						   .object_id = comment_id, .member_id = member, .created_at = r->now,
						   .payload = payload});
}

json_t *comments_create(struct req *r)
{
	struct item it;
	if (!items_load(r, req_path_param(r, "id"), &it))
		return NULL;
	if (!items_may_write(r, &it, N_("Join the community to comment.")))
		return NULL;
	const char *body = clean_body(r);
	const char *problem = comment_problem(body);
	const struct item_kind *kind = item_kind_find(it.kind);
	if (!problem && kind && kind->comment_refused)
		problem = kind->comment_refused(r, &it, body);
	if (problem || !writelimit_take(r)) {
		json_t *model = json_pack("{s:s, s:s, s:{s:s}}", "title", tr(r, N_("Comment")),
					  "url", link_item(&r->arena, it.id, it.title), "values", "body",
					  req_param(r, "body") ? req_param(r, "body") : "");
		if (!problem)
			return model; /* over the posting limit */
		req_field_error(r, model, "body", problem);
		return req_invalid(r, model);
	}
	int64_t now = r->now;
	if (!db_begin(r->db))
		return req_fail_internal(r);
	struct db_stmt *st = db_query(r->db, "INSERT INTO comments (item_id, author_id, body, created_at)"
					     " VALUES (?, ?, ?, ?) RETURNING id",
				      DB_ARGS(db_int(it.id), db_int(r->user->id), db_text(body), db_int(now)));
	int64_t id = db_step(st) == DB_ROW ? db_int_col(st, 0) : 0;
	db_done(st);
	/* A comment held for approval records comment.added when it is
	 * approved (features/premoderation.h). */
	const char *held = id ? premoderation_reason(r, it.in_community ? &it.access : NULL, body) : NULL;
	if (!id ||
	    !(held ? premoderation_hold(r, "comment", id, it.id, it.community_id, held)
		   : comment_event(r, EVENT_COMMENT_ADDED, &it, id, 0, json_object())) ||
	    !db_commit(r->db))
		return internal_error(r);
	const char *url = arena_printf(&r->arena, "%s#comment-%lld",
				       it.parent_id ? link_item_id(&r->arena, it.parent_id)
						    : link_item(&r->arena, it.id, it.title), (long long)id);
	return req_done(r, 201, url, json_pack("{s:I, s:I, s:s, s:o, s:I, s:{s:s, s:s}, s:b}",
					       "id", (json_int_t)id, "item", (json_int_t)it.id, "body", body,
					       "body_html", comment_html(body), "created_at", (json_int_t)now,
					       "author", "handle", r->user->handle, "name", r->user->name,
					       "pending", held != NULL));
}

struct comment {
	int64_t id, item_id, author_id, created_at;
	bool pending; /* held for approval (features/premoderation.h) */
};

/* Loads a live comment whose item the viewer may read. */
static bool load_comment(struct req *r, struct comment *c, struct item *it)
{
	char *end = NULL;
	const char *text = req_path_param(r, "id");
	long long id = strtoll(text, &end, 10);
	bool found = false;
	if (id > 0 && !*end) {
		struct db_stmt *st = db_query(r->db, "SELECT id, item_id, author_id, created_at FROM comments"
						     " WHERE id = ? AND deleted_at IS NULL", DB_ARGS(db_int(id)));
		if ((found = db_step(st) == DB_ROW))
			*c = (struct comment){db_int_col(st, 0), db_int_col(st, 1), db_int_col(st, 2), db_int_col(st, 3),
					       false};
		db_done(st);
	}
	char item_text[24];
	snprintf(item_text, sizeof(item_text), "%lld", (long long)(found ? c->item_id : 0));
	/* A hidden comment, or one held for approval, is its author's and
	 * its moderators' to see. */
	if (found)
		c->pending = premoderation_state(r, "comment", c->id, NULL) != NULL;
	if (!found || !items_load(r, item_text, it) ||
	    (c->author_id != (r->user ? r->user->id : 0) && !it->can_moderate &&
	     (c->pending || hidden_is(r->db, "comment", c->id)))) {
		req_fail(r, 404, "not_found", N_("There is no such comment."));
		return false;
	}
	return true;
}

bool comments_load(struct req *r, int64_t *id, int64_t *author_id, struct item *it)
{
	struct comment c;
	if (!load_comment(r, &c, it))
		return false;
	*id = c.id;
	*author_id = c.author_id;
	return true;
}

static const char *comment_url(struct req *r, const struct item *it, int64_t comment_id)
{
	int64_t page = it->parent_id ? it->parent_id : it->id;
	return arena_printf(&r->arena, "%s#comment-%lld", link_item_id(&r->arena, page), (long long)comment_id);
}

json_t *comments_edit(struct req *r)
{
	struct comment c;
	struct item it;
	if (!load_comment(r, &c, &it))
		return NULL;
	struct policy_subject s = items_subject(&it);
	s.kind = POLICY_COMMENT_ON;
	s.owner_id = c.author_id;
	if (!policy_allows(r->user, POLICY_EDIT, &s))
		return req_fail(r, 403, "forbidden", N_("Only the author can edit a comment."));
	bool moderating = moderator_edits_others(r, c.author_id);
	if (moderating && c.pending)
		return moderator_edits_refuse_pending(r);
	if (!moderating && r->now - c.created_at >= COMMENT_EDIT_WINDOW)
		return req_fail(r, 403, "edit_window_closed",
				N_("Comments can be edited for 15 minutes. Write a new comment instead."));
	const char *body = clean_body(r);
	json_t *model = json_pack("{s:s, s:s, s:{s:s}}", "title", tr(r, N_("Comment")), "url",
				  comment_url(r, &it, c.id), "values", "body", body);
	const char *problem = comment_problem(body);
	if (problem)
		req_field_error(r, model, "body", problem);
	const char *note = moderating ? moderator_edit_note(r, model) : NULL;
	if (req_has_field_errors(r))
		return req_invalid(r, model);
	json_decref(model);
	int64_t now = r->now;
	json_t *payload = note ? json_pack("{s:s}", "moderator_note", note) : json_object();
	if (!db_begin(r->db)) {
		json_decref(payload);
		return req_fail_internal(r);
	}
	/* A comment waiting for approval has no events yet
	 * (features/premoderation.h). */
	bool ok = db_exec(r->db, "UPDATE comments SET body = ?, edited_at = ? WHERE id = ?",
			  DB_ARGS(db_text(body), db_int(now), db_int(c.id))) == 1 &&
		  (c.pending ? premoderation_edited(r, "comment", c.id)
			     : comment_event(r, EVENT_COMMENT_EDITED, &it, c.id, note ? c.author_id : 0,
					     json_incref(payload))) &&
		  db_commit(r->db);
	json_decref(payload);
	if (!ok) {
		db_rollback(r->db);
		return req_fail_internal(r);
	}
	return req_done(r, 200, comment_url(r, &it, c.id),
			json_pack("{s:I, s:s, s:o, s:I}", "id", (json_int_t)c.id, "body", body,
				  "body_html", comment_html(body), "edited_at", (json_int_t)now));
}

json_t *comments_delete(struct req *r)
{
	struct comment c;
	struct item it;
	if (!load_comment(r, &c, &it))
		return NULL;
	struct policy_subject s = items_subject(&it);
	s.kind = POLICY_COMMENT_ON;
	s.owner_id = c.author_id;
	if (!policy_allows(r->user, POLICY_DELETE, &s))
		return req_fail(r, 403, "forbidden", N_("You cannot delete this comment."));
	if (!db_begin(r->db))
		return req_fail_internal(r);
	bool ok = db_exec(r->db, "UPDATE comments SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL",
			  DB_ARGS(db_int(r->now), db_int(c.id))) == 1 &&
		  (c.pending || comment_event(r, EVENT_COMMENT_DELETED, &it, c.id, 0, json_object())) &&
		  /* A moderator removing someone else's comment is a moderation action. */
		  (c.author_id == r->user->id ||
		   audit_by(r, "comment.deleted", "comment", c.id, it.community_id, NULL,
			    json_pack("{s:I}", "item", (json_int_t)it.id))) &&
		  db_commit(r->db);
	if (!ok)
		return internal_error(r);
	return req_done(r, 200, link_item_id(&r->arena, it.parent_id ? it.parent_id : it.id),
			json_pack("{s:b}", "deleted", 1));
}

void reactions_fill(struct req *r, json_t *items)
{
	size_t i;
	json_t *item;
	json_array_foreach(items, i, item)
		json_object_set_new(item, "reactions", empty_reactions(link_item_react(
			&r->arena, json_integer_value(json_object_get(item, "id")))));
	/* The counts and the viewer's own (none when signed out) together. */
	json_t *index;
	struct db_stmt *st = items_batch_query(r->db, items,
		"SELECT item_id, kind, COUNT(*), MAX(CASE WHEN user_id = ? THEN 1 ELSE 0 END) FROM reactions"
		" WHERE item_id IN", " GROUP BY item_id, kind ORDER BY item_id, kind",
		DB_ARGS(db_int(r->user ? r->user->id : 0)), &index);
	count_reactions(r, st, index);
	json_decref(index);
}

/* The reactions of one item, as reactions_fill gives them. */
static json_t *reactions_of_item(struct req *r, int64_t item_id)
{
	json_t *items = json_pack("[{s:I}]", "id", (json_int_t)item_id);
	reactions_fill(r, items);
	json_t *o = json_incref(json_object_get(json_array_get(items, 0), "reactions"));
	json_decref(items);
	return o;
}

/* The reactions of one comment on the item, as comments_fill gives them. */
static json_t *reactions_of_comment(struct req *r, const struct item *it, int64_t comment_id)
{
	json_t *items = json_pack("[{s:I, s:b}]", "id", (json_int_t)it->id, "can_react", it->can_write);
	struct policy_subject place = items_subject(it);
	comments_fill(r, items, &place);
	json_t *o = NULL;
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(json_array_get(items, 0), "comments"), i, c)
		if (json_integer_value(json_object_get(c, "id")) == comment_id)
			o = json_incref(json_object_get(c, "reactions"));
	json_decref(items);
	return o ? o : json_object();
}

/* The kind a reaction post names; NULL (after a 422) when it is none. */
static const char *reaction_kind(struct req *r)
{
	const char *kind = req_param(r, "kind");
	for (int k = 0; k < 3; k++)
		if (kind && strcmp(kind, reaction_kinds[k]) == 0)
			return reaction_kinds[k];
	req_fail(r, 422, "invalid", N_("Choose like, thanks or insightful."));
	r->error.field = "kind";
	return NULL;
}

/* Takes the member's reaction of the kind back when there is one, else adds
 * it, in the caller's transaction: the statements get (target id, member,
 * kind) and the insert also the time. Returns the change of the count (+1
 * or -1), or 0 on a database error. */
static int toggle_reaction(struct req *r, const char *delete_sql, const char *insert_sql, int64_t target,
			   const char *kind)
{
	int64_t removed = db_exec(r->db, delete_sql, DB_ARGS(db_int(target), db_int(r->user->id), db_text(kind)));
	if (removed != 0)
		return removed > 0 ? -1 : 0;
	int64_t added = db_exec(r->db, insert_sql, DB_ARGS(db_int(target), db_int(r->user->id), db_text(kind),
							   db_int(r->now)));
	return added > 0 ? 1 : 0;
}

/* Checks a reaction to the item or one of its comments (who may write on
 * the item may react; the kind posted) and begins its transaction: the
 * kind, or NULL after req_fail. */
static const char *reaction_begin(struct req *r, const struct item *it)
{
	if (!items_may_write(r, it, N_("Join the community to react.")))
		return NULL;
	const char *kind = reaction_kind(r);
	if (kind && !db_begin(r->db)) {
		req_fail_internal(r);
		return NULL;
	}
	return kind;
}

json_t *reactions_toggle(struct req *r)
{
	struct item it;
	if (!items_load(r, req_path_param(r, "id"), &it))
		return NULL;
	const char *kind = reaction_begin(r, &it);
	if (!kind)
		return NULL;
	int delta = toggle_reaction(r, "DELETE FROM reactions WHERE item_id = ? AND user_id = ? AND kind = ?",
				    "INSERT INTO reactions (item_id, user_id, kind, created_at) VALUES (?, ?, ?, ?)",
				    it.id, kind);
	if (!delta ||
	    !comment_event(r, EVENT_REACTION_TOGGLED, &it, 0, 0, json_pack("{s:s, s:b}", "kind", kind, "added", delta > 0)) ||
	    !db_commit(r->db))
		return internal_error(r);
	const char *url = link_item(&r->arena, it.id, it.title);
	struct item question;
	char parent[24];
	snprintf(parent, sizeof(parent), "%lld", (long long)it.parent_id);
	if (it.parent_id && items_load(r, parent, &question))
		url = arena_printf(&r->arena, "%s#answer-%lld", link_item(&r->arena, question.id, question.title),
				   (long long)it.id);
	return req_done(r, 200, url, reactions_of_item(r, it.id));
}

json_t *comments_react(struct req *r)
{
	struct comment c;
	struct item it;
	if (!load_comment(r, &c, &it))
		return NULL;
	const char *kind = reaction_begin(r, &it);
	if (!kind)
		return NULL;
	int delta = toggle_reaction(r, "DELETE FROM comment_reactions WHERE comment_id = ? AND user_id = ? AND kind = ?",
				    "INSERT INTO comment_reactions (comment_id, user_id, kind, created_at) VALUES (?, ?, ?, ?)",
				    c.id, kind);
	if (!delta ||
	    !comment_event(r, EVENT_REACTION_TOGGLED, &it, c.id, 0, json_pack("{s:s, s:b}", "kind", kind, "added", delta > 0)) ||
	    !db_commit(r->db))
		return internal_error(r);
	return req_done(r, 200, comment_url(r, &it, c.id), reactions_of_comment(r, &it, c.id));
}
