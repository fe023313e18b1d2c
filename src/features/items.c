/*
 * items: what every kind of item shares when it is read: lists with keyset
 * pagination and counts, loading one with the visibility rule and the
 * viewer's rights. Writing is item_store.c, the page item_page.c, the
 * history item_revisions.c; what differs per kind is in the kinds' files
 * (features/item_kind.h).
 */
#include "features/items.h"

#include "core/grow.h"
#include "core/mem.h"
#include "core/text.h"
#include "db/db.h"
#include "features/communities.h"
#include "features/hidden.h"
#include "features/premoderation.h"
#include "features/item_kind.h"
#include "features/tags.h"
#include "http/req.h"
#include "i18n/i18n.h"
#include "render/links.h"
#include "render/markdown.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIST_DEFAULT 20
#define LIST_MAX 100
#define RARE_TAG_ITEMS 2000
#define COUNT_VALUES_MAX 50

/* A statement assembled from optional conditions. */
struct query {
	struct buf sql;
	struct db_value *args;
	size_t nargs, cap;
};

static void query_arg(struct query *q, struct db_value v)
{
	GROW(q->args, q->nargs, q->cap);
	q->args[q->nargs++] = v;
}

static void query_free(struct query *q)
{
	buf_free(&q->sql);
	free(q->args);
}

const char *items_status(int64_t answers, bool accepted)
{
	return accepted ? "accepted" : answers > 0 ? "answered" : "unanswered";
}

const char *items_label(struct req *r, const char *code)
{
	const struct item_kind *kind = item_kind_find(code);
	if (kind)
		return tr(r, kind->label);
	static const char *const labels[][2] = {
		{"unanswered", N_("Unanswered")}, {"answered", N_("Answered")}, {"accepted", N_("Accepted")},
	};
	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(code, labels[i][0]) == 0)
			return tr(r, labels[i][1]);
	return code;
}

#define SUMMARY_COLUMNS \
	"i.id, i.kind, i.title, i.body, i.created_at, i.activity_at, " \
	"i.answer_count, i.comment_count, i.reaction_count, i.accepted_answer_id, i.needed_by, " \
	"i.language, u.handle, u.name, c.slug, c.name, o.slug, o.name, p.id, p.title"

#define SUMMARY_FROM \
	" FROM items i JOIN users u ON u.id = i.author_id" \
	" LEFT JOIN communities c ON c.id = i.community_id" \
	" LEFT JOIN orgs o ON o.id = i.org_id" \
	" LEFT JOIN items p ON p.id = i.parent_id"

static json_t *summary_from_row(struct req *r, struct db_stmt *st)
{
	int64_t id = db_int_col(st, 0);
	const char *kind = db_text_col(st, 1);
	const struct item_kind *k = item_kind_find(kind);
	/* An answer is shown as its place in its question. */
	bool is_answer = k && (k->places & KIND_UNDER_ITEM);
	const char *title = is_answer ? db_text_col(st, 19) : db_text_col(st, 2);
	const char *url = is_answer ? arena_printf(&r->arena, "%s#answer-%lld",
						   link_item(&r->arena, db_int_col(st, 18), title), (long long)id)
				    : link_item(&r->arena, id, title);
	json_t *o = json_pack("{s:I, s:s, s:s, s:o, s:s, s:I, s:I, s:I, s:I, s:I, s:s, s:{s:s, s:s}}",
			      "id", (json_int_t)id, "kind", kind, "title", title ? title : "",
			      "excerpt", markdown_excerpt_json(db_text_col(st, 3)), "url", url,
			      "created_at", (json_int_t)db_int_col(st, 4),
			      "activity_at", (json_int_t)db_int_col(st, 5),
			      "answer_count", (json_int_t)db_int_col(st, 6),
			      "comment_count", (json_int_t)db_int_col(st, 7),
			      "reaction_count", (json_int_t)db_int_col(st, 8),
			      "language", db_text_col(st, 11),
			      "author", "handle", db_text_col(st, 12), "name", db_text_col(st, 13));
	bool answered = k && k->answered;
	json_object_set_new(o, "is_question", json_boolean(answered));
	json_object_set_new(o, "kind_label", json_string(items_label(r, kind)));
	if (answered) {
		const char *status = items_status(db_int_col(st, 6), !db_null_col(st, 9));
		json_object_set_new(o, "status", json_string(status));
		json_object_set_new(o, "status_label", json_string(items_label(r, status)));
	}
	if (!db_null_col(st, 10))
		json_object_set_new(o, "needed_by", json_integer(db_int_col(st, 10)));
	json_object_set_new(o, "community", db_null_col(st, 14) ? json_null()
			    : json_pack("{s:s, s:s}", "slug", db_text_col(st, 14), "name", db_text_col(st, 15)));
	json_object_set_new(o, "org", db_null_col(st, 16) ? json_null()
			    : json_pack("{s:s, s:s}", "slug", db_text_col(st, 16), "name", db_text_col(st, 17)));
	return o;
}

bool items_cursor_parse(const char *cursor, char sort, int64_t *key, int64_t *id)
{
	char c;
	long long k, i;
	int used = 0;
	if (sscanf(cursor, "%c:%lld:%lld%n", &c, &k, &i, &used) != 3 || cursor[used] || c != sort || i <= 0)
		return false;
	*key = k;
	*id = i;
	return true;
}

/* Appends the conditions of the filter, the visibility rule first, to a
 * statement that reads items as i. */
static void filter_where(struct req *r, const struct item_filter *f, struct query *q)
{
	int64_t viewer = r->user ? r->user->id : 0;
	if (f->join_sql) {
		buf_printf(&q->sql, " %s", f->join_sql);
		for (size_t k = 0; k < f->njoin_args; k++)
			query_arg(q, f->join_args[k]);
	}
	buf_puts(&q->sql, " WHERE " POLICY_ITEM_VISIBLE_SQL);
	const struct db_value visible[] = {POLICY_ITEM_VISIBLE_ARGS(viewer)};
	for (size_t k = 0; k < sizeof(visible) / sizeof(visible[0]); k++)
		query_arg(q, visible[k]);
	if (f->verifiable) {
		buf_puts(&q->sql, " AND i.kind IN (");
		int n = 0;
		for (const struct item_kind *const *k = item_kinds; *k; k++) {
			if ((*k)->verifiable) {
				buf_puts(&q->sql, n++ ? ", ?" : "?");
				query_arg(q, db_text((*k)->name));
			}
		}
		buf_puts(&q->sql, n ? ")" : "NULL)");
	}
	if (!f->kind) {
		/* Items that live under another (answers) are listed with it. */
		for (const struct item_kind *const *k = item_kinds; *k; k++) {
			if ((*k)->places & KIND_UNDER_ITEM) {
				buf_puts(&q->sql, " AND i.kind <> ?");
				query_arg(q, db_text((*k)->name));
			}
		}
	} else if (strcmp(f->kind, "all") != 0) {
		buf_puts(&q->sql, " AND i.kind = ?");
		query_arg(q, db_text(f->kind));
	}
	if (f->community_id) {
		buf_puts(&q->sql, " AND i.community_id = ?");
		query_arg(q, db_int(f->community_id));
	}
	if (f->author_id) {
		buf_puts(&q->sql, " AND i.author_id = ?");
		query_arg(q, db_int(f->author_id));
	}
	if (f->org_id) {
		buf_puts(&q->sql, " AND i.org_id = ?");
		query_arg(q, db_int(f->org_id));
	}
	if (f->tag) {
		/* A tag on few items: read those and sort them. On many: walk the
		 * items in order and keep the tagged ones, which fills a page soon.
		 * Either way the cost does not grow with the size of the site. */
		buf_puts(&q->sql, tags_is_rare(r->db, f->tag, RARE_TAG_ITEMS)
				 ? " AND i.id IN (SELECT it.item_id FROM item_tags it JOIN tags t ON t.id = it.tag_id"
				   " WHERE t.name = ?)"
				 : " AND EXISTS (SELECT 1 FROM item_tags it JOIN tags t ON t.id = it.tag_id"
				   " WHERE it.item_id = i.id AND t.name = ?)");
		query_arg(q, db_text(f->tag));
	}
	if (f->ntags_any > 0) {
		buf_puts(&q->sql, " AND EXISTS (SELECT 1 FROM item_tags it JOIN tags t ON t.id = it.tag_id"
				 " WHERE it.item_id = i.id AND t.name IN (");
		for (int k = 0; k < f->ntags_any && k < 8; k++) {
			buf_puts(&q->sql, k ? ", ?" : "?");
			query_arg(q, db_text(f->tags_any[k]));
		}
		buf_puts(&q->sql, "))");
	}
	if (f->member_of) {
		/* Their communities, and the updates members post on their profiles. */
		buf_puts(&q->sql, " AND (i.community_id IS NULL OR i.community_id IN " POLICY_MEMBER_COMMUNITIES_SQL ")");
		query_arg(q, db_int(f->member_of));
	}
	if (f->status) {
		if (strcmp(f->status, "unanswered") == 0)
			buf_puts(&q->sql, " AND i.kind = 'question' AND i.answer_count = 0");
		else if (strcmp(f->status, "answered") == 0)
			buf_puts(&q->sql, " AND i.kind = 'question' AND i.answer_count > 0 AND i.accepted_answer_id IS NULL");
		else if (strcmp(f->status, "accepted") == 0)
			buf_puts(&q->sql, " AND i.kind = 'question' AND i.accepted_answer_id IS NOT NULL");
	}
	if (f->language) {
		buf_puts(&q->sql, " AND i.language = ?");
		query_arg(q, db_text(f->language));
	}
	if (f->updated_since) {
		buf_puts(&q->sql, " AND COALESCE(i.edited_at, i.created_at) >= ?");
		query_arg(q, db_int(f->updated_since));
	}
	if (f->ids) {
		/* Padded to a power of two by repeating the last id, so that a
		 * connection keeps few forms of the statement. */
		size_t n = 1;
		while (n < f->nids)
			n *= 2;
		buf_puts(&q->sql, f->nids ? " AND i.id IN (" : " AND 1 = 0");
		for (size_t k = 0; f->nids && k < n; k++) {
			buf_puts(&q->sql, k ? ", ?" : "?");
			query_arg(q, db_int(f->ids[k < f->nids ? k : f->nids - 1]));
		}
		if (f->nids)
			buf_putc(&q->sql, ')');
	}
	if (f->verified) {
		buf_printf(&q->sql, " AND %s" VERIFIED_NOW_SQL, f->verified < 0 ? "NOT " : "");
		query_arg(q, db_int(r->now));
	}
	if (f->own_sql) {
		buf_printf(&q->sql, " AND %s", f->own_sql);
		for (int k = 0; k < f->nown_args; k++)
			query_arg(q, f->own_args[k]);
	}
}

json_t *items_list(struct req *r, const struct item_filter *f)
{
	struct query q = {0};
	const char *sort = f->sort ? f->sort : "newest";
	bool ranked = strcmp(sort, "rank") == 0 && f->join_sql;
	buf_puts(&q.sql, ranked ? "SELECT " SUMMARY_COLUMNS ", h.rank" SUMMARY_FROM : "SELECT " SUMMARY_COLUMNS SUMMARY_FROM);
	filter_where(r, f, &q);
	const char *key_col = ranked ? "h.rank" : strcmp(sort, "active") == 0 ? "i.activity_at"
			      : strcmp(sort, "reactions") == 0 ? "i.reaction_count" : "i.created_at";
	char sort_code = sort[0];
	if (f->cursor && *f->cursor) {
		int64_t key, id;
		if (!items_cursor_parse(f->cursor, sort_code, &key, &id)) {
			query_free(&q);
			req_fail(r, 400, "bad_cursor", N_("This page link is not valid. Start from the first page."));
			r->error.field = "cursor";
			return NULL;
		}
		/* A row value, so that the database seeks to it in the index. */
		buf_printf(&q.sql, " AND (%s, i.id) < (?, ?)", key_col);
		query_arg(&q, db_int(key));
		query_arg(&q, db_int(id));
	}
	int limit = f->limit > 0 ? (f->limit > LIST_MAX ? LIST_MAX : f->limit) : LIST_DEFAULT;
	buf_printf(&q.sql, " ORDER BY %s DESC, i.id DESC LIMIT ?", key_col);
	query_arg(&q, db_int(limit + 1));

	json_t *items = json_array();
	json_t *next = json_null();
	struct db_stmt *st = db_query(r->db, q.sql.data, q.args, q.nargs);
	int n = 0, rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == limit) {
			/* There is another page: the cursor is the last row shown. */
			json_t *last = json_array_get(items, (size_t)n - 1);
			int64_t key = ranked ? json_integer_value(json_object_get(last, "rank"))
				      : strcmp(sort, "active") == 0 ? json_integer_value(json_object_get(last, "activity_at"))
				      : strcmp(sort, "reactions") == 0 ? json_integer_value(json_object_get(last, "reaction_count"))
				      : json_integer_value(json_object_get(last, "created_at"));
			json_decref(next);
			next = json_sprintf("%c:%lld:%lld", sort_code, (long long)key,
					    (long long)json_integer_value(json_object_get(last, "id")));
			break;
		}
		json_t *summary = summary_from_row(r, st);
		if (ranked)
			json_object_set_new(summary, "rank", json_integer(db_int_col(st, 20)));
		json_array_append_new(items, summary);
		n++;
	}
	db_done(st);
	query_free(&q);
	/* A list that could not be read is an error, not an empty list. */
	if (rc == DB_ERROR) {
		json_decref(items);
		json_decref(next);
		return req_fail_internal(r);
	}
	tags_fill(r->db, items);
	return json_pack("{s:o, s:o}", "items", items, "next", next);
}

struct db_stmt *items_query(struct req *r, const struct item_filter *f, const char *select, const char *tail)
{
	struct query q = {0};
	buf_puts(&q.sql, select);
	filter_where(r, f, &q);
	buf_puts(&q.sql, tail);
	struct db_stmt *st = db_query(r->db, q.sql.data, q.args, q.nargs);
	query_free(&q);
	return st;
}

json_t *items_count(struct req *r, const struct item_filter *f, enum item_count_by by)
{
	/* value, label and the join that gives them, per grouping */
	static const char *const select[] = {
		[COUNT_BY_TAG] = "SELECT t.name, t.name, COUNT(*) FROM items i"
				 " JOIN item_tags ct ON ct.item_id = i.id JOIN tags t ON t.id = ct.tag_id",
		[COUNT_BY_ORG] = "SELECT o.slug, o.name, COUNT(*) FROM items i JOIN orgs o ON o.id = i.org_id",
		[COUNT_BY_COMMUNITY] = "SELECT cc.slug, cc.name, COUNT(*) FROM items i"
				       " JOIN communities cc ON cc.id = i.community_id",
		[COUNT_BY_LANGUAGE] = "SELECT i.language, i.language, COUNT(*) FROM items i",
		[COUNT_BY_VERIFIED] = "SELECT CASE WHEN " VERIFIED_NOW_SQL " THEN 'yes' ELSE 'no' END, '', COUNT(*)"
				      " FROM items i",
	};
	static const char *const group[] = {
		[COUNT_BY_TAG] = " GROUP BY t.name",
		[COUNT_BY_ORG] = " GROUP BY o.slug, o.name",
		[COUNT_BY_COMMUNITY] = " GROUP BY cc.slug, cc.name",
		[COUNT_BY_LANGUAGE] = " GROUP BY i.language",
		[COUNT_BY_VERIFIED] = " GROUP BY 1",
	};
	struct query q = {0};
	buf_puts(&q.sql, select[by]);
	if (by == COUNT_BY_VERIFIED)
		query_arg(&q, db_int(r->now));
	filter_where(r, f, &q);
	buf_printf(&q.sql, "%s ORDER BY 3 DESC, 2 LIMIT ?", group[by]);
	query_arg(&q, db_int(COUNT_VALUES_MAX));
	json_t *list = json_array();
	struct db_stmt *st = db_query(r->db, q.sql.data, q.args, q.nargs);
	while (db_step(st) == DB_ROW)
		json_array_append_new(list, json_pack("{s:s, s:s, s:I}", "value", db_text_col(st, 0),
						      "label", db_text_col(st, 1), "count", (json_int_t)db_int_col(st, 2)));
	db_done(st);
	query_free(&q);
	return list;
}

struct db_stmt *items_batch_query(struct db *db, json_t *items, const char *head, const char *tail,
				  const struct db_value *args, size_t nargs, json_t **index)
{
	*index = NULL;
	size_t n = json_array_size(items);
	if (n == 0)
		return NULL;
	int64_t *ids = xcalloc(n, sizeof(*ids));
	*index = json_object();
	for (size_t i = 0; i < n; i++) {
		json_t *item = json_array_get(items, i);
		ids[i] = json_integer_value(json_object_get(item, "id"));
		char key[TEXT_INT_SIZE];
		text_int(key, ids[i]);
		json_object_set(*index, key, item);
	}
	struct db_stmt *st = db_query_in(db, head, tail, args, nargs, ids, n);
	free(ids);
	return st;
}

json_t *items_indexed(json_t *index, int64_t id)
{
	char key[TEXT_INT_SIZE];
	text_int(key, id);
	return json_object_get(index, key);
}

/* An item with its author, for items_load and the answers of a question. */
#define ITEM_SELECT \
	"SELECT i.id, i.community_id, i.author_id, i.parent_id, i.accepted_answer_id, i.created_at," \
	" i.edited_at, i.needed_by, i.answer_count, i.kind, i.title, i.body, i.language, u.handle, u.name" \
	" FROM items i LEFT JOIN users u ON u.id = i.author_id"

static void item_from_row(struct req *r, struct db_stmt *st, struct item *it)
{
	it->id = db_int_col(st, 0);
	it->community_id = db_null_col(st, 1) ? 0 : db_int_col(st, 1);
	it->author_id = db_int_col(st, 2);
	it->parent_id = db_null_col(st, 3) ? 0 : db_int_col(st, 3);
	it->accepted_answer_id = db_null_col(st, 4) ? 0 : db_int_col(st, 4);
	it->created_at = db_int_col(st, 5);
	it->edited_at = db_null_col(st, 6) ? 0 : db_int_col(st, 6);
	it->needed_by = db_null_col(st, 7) ? 0 : db_int_col(st, 7);
	it->answer_count = db_int_col(st, 8);
	it->kind = arena_strdup(&r->arena, db_text_col(st, 9));
	it->title = arena_strdup(&r->arena, db_text_col(st, 10));
	it->body = arena_strdup(&r->arena, db_text_col(st, 11));
	it->language = arena_strdup(&r->arena, db_text_col(st, 12));
	it->author_handle = arena_strdup(&r->arena, db_text_col(st, 13));
	it->author_name = arena_strdup(&r->arena, db_text_col(st, 14));
}

struct policy_subject items_subject(const struct item *it)
{
	return (struct policy_subject){.kind = POLICY_ITEM, .place = it->in_community ? &it->access : NULL,
				       .owner_id = it->author_id};
}

/* What the viewer may do with an item they can read, given where it lives
 * (in_community and access set), as the policy says. */
static void item_rights(struct req *r, struct item *it)
{
	struct policy_subject s = items_subject(it);
	it->can_read = true;
	it->is_author = r->user && r->user->id == it->author_id;
	it->can_write = policy_allows(r->user, POLICY_COMMENT, &s);
	it->can_moderate = policy_allows(r->user, POLICY_MODERATE, &s);
	it->can_edit = policy_allows(r->user, POLICY_EDIT, &s);
	it->can_delete = policy_allows(r->user, POLICY_DELETE, &s);
	it->can_accept = policy_allows(r->user, POLICY_ACCEPT, &s);
}

bool items_load(struct req *r, const char *id_text, struct item *it)
{
	memset(it, 0, sizeof(*it));
	char *end = NULL;
	long long id = id_text ? strtoll(id_text, &end, 10) : 0;
	if (id <= 0 || (*end && *end != '-')) {
		req_fail(r, 404, "not_found", N_("There is no such post."));
		return false;
	}
	struct db_stmt *st = db_query(r->db, ITEM_SELECT
		" WHERE i.id = ? AND i.deleted_at IS NULL AND " POLICY_AUTHOR_SHOWN_SQL("i.author_id")
		" AND (i.parent_id IS NULL OR EXISTS (SELECT 1 FROM items p WHERE p.id = i.parent_id AND p.deleted_at IS NULL"
		" AND " POLICY_AUTHOR_SHOWN_SQL("p.author_id") "))", DB_ARGS(db_int(id)));
	bool found = db_step(st) == DB_ROW;
	if (found)
		item_from_row(r, st, it);
	db_done(st);
	if (found && it->community_id) {
		it->in_community = true;
		found = communities_access_id(r, it->community_id, &it->access);
	}
	struct policy_subject s = items_subject(it);
	if (!found || !policy_allows(r->user, POLICY_READ, &s)) {
		req_fail(r, 404, "not_found", N_("There is no such post."));
		return false;
	}
	item_rights(r, it);
	/* Hidden content is its author's and its moderators' to see. */
	it->hidden = hidden_item_or(r->db, it->id, it->parent_id);
	/* So is a post held for approval, and a question's answers go with
	 * it (features/premoderation.h). */
	it->pending = premoderation_state(r, "item", it->id, &it->rejection);
	bool question_pending = it->parent_id && premoderation_state(r, "item", it->parent_id, NULL);
	if ((it->hidden || it->pending || question_pending) && !it->is_author && !it->can_moderate) {
		req_fail(r, 404, "not_found", N_("There is no such post."));
		return false;
	}
	/* A moderator approves or rejects a held post rather than change it
	 * (features/moderator_edits.h). */
	if (it->pending && !it->is_author)
		it->can_edit = false;
	return true;
}

bool items_may_write(struct req *r, const struct item *it, const char *join_msgid)
{
	struct policy_subject s = items_subject(it);
	enum policy_verdict v = policy_decide(r->user, POLICY_COMMENT, &s);
	if (v == POLICY_ALLOW)
		return true;
	policy_refuse(r, v, join_msgid, N_("You do not have permission to do that."));
	return false;
}

struct item *items_answers(struct req *r, const struct item *question, size_t max, size_t *n)
{
	struct item *list = NULL;
	size_t cap = 0;
	*n = 0;
	/* Hidden answers are shown to their authors and moderators only. */
	int64_t viewer = r->user ? r->user->id : 0;
	struct db_stmt *st = db_query(r->db, ITEM_SELECT " WHERE i.parent_id = ? AND i.deleted_at IS NULL"
					     " AND " POLICY_AUTHOR_SHOWN_SQL("i.author_id")
					     " AND (? OR " POLICY_NOT_HIDDEN_SQL("item", "i.id", "i.author_id") ")"
					     " AND (? OR " POLICY_NOT_PENDING_SQL("item", "i.id", "i.author_id") ")"
					     " ORDER BY i.id = ? DESC, i.created_at, i.id LIMIT ?",
				      DB_ARGS(db_int(question->id), db_int(question->can_moderate),
					      POLICY_NOT_HIDDEN_ARGS(viewer), db_int(question->can_moderate),
					      POLICY_NOT_PENDING_ARGS(viewer), db_int(question->accepted_answer_id),
					      db_int((int64_t)max)));
	while (db_step(st) == DB_ROW) {
		/* An answer lives in its question's community: the viewer may do
		 * with it what the question allows, and edit it when they wrote it. */
		GROW_ARENA(&r->arena, list, *n, cap);
		struct item *a = &list[(*n)++];
		*a = *question;
		item_from_row(r, st, a);
		item_rights(r, a);
		a->hidden = false; /* marked below */
		a->pending = a->rejection = NULL;
	}
	db_done(st);
	struct premoderation_mark *marks;
	ssize_t nmarks = *n ? premoderation_answers(r, question->id, &marks) : 0;
	for (ssize_t k = 0; k < nmarks; k++)
		for (size_t i = 0; i < *n; i++)
			if (list[i].id == marks[k].id) {
				list[i].pending = marks[k].state;
				list[i].rejection = marks[k].rejection;
			}
	int64_t *hidden;
	ssize_t nhidden = *n ? hidden_answers(r->db, &r->arena, question->id, &hidden) : 0;
	for (ssize_t k = 0; k < nhidden; k++)
		for (size_t i = 0; i < *n; i++)
			list[i].hidden |= list[i].id == hidden[k];
	return list;
}

bool items_has_posted(struct db *db, int64_t author_id)
{
	return db_exists(db, "SELECT 1 FROM items WHERE author_id = ? AND deleted_at IS NULL", DB_ARGS(db_int(author_id)));
}

bool items_thread(struct db *db, int64_t id, int64_t *thread, int64_t *community_id)
{
	struct db_stmt *st = db_query(db,
				      "SELECT t.id, t.community_id FROM items i"
				      " JOIN items t ON t.id = COALESCE(i.parent_id, i.id) WHERE i.id = ?",
				      DB_ARGS(db_int(id)));
	bool found = db_step(st) == DB_ROW;
	if (found) {
		*thread = db_int_col(st, 0);
		*community_id = db_null_col(st, 1) ? 0 : db_int_col(st, 1);
	}
	db_done(st);
	return found;
}
