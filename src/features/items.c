/*
 * items: the machinery every kind of item shares — lists with keyset
 * pagination, loading with the visibility rule, creating, editing with
 * revisions, soft deletion — and the item page.
 */
#include "features/items.h"

#include "auth/users.h"
#include "core/mem.h"
#include "core/grow.h"
#include "features/articles.h"
#include "core/text.h"
#include "db/db.h"
#include "features/comments.h"
#include "features/experts.h"
#include "features/files.h"
#include "features/communities.h"
#include "features/methods.h"
#include "features/orgs.h"
#include "features/tags.h"
#include "features/writelimits.h"
#include "http/req.h"
#include "i18n/i18n.h"
#include "jobs/webhook.h"
#include "render/links.h"
#include "render/markdown.h"
#include "render/render.h"
#include "search/index.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
	static const char *const labels[][2] = {
		{"unanswered", N_("Unanswered")}, {"answered", N_("Answered")}, {"accepted", N_("Accepted")},
		{"question", N_("Question")}, {"update", N_("Update")}, {"answer", N_("Answer")},
		{"article", N_("Best practice")}, {"method", N_("Method")}, {"event", N_("Event")},
		{"public", N_("public")}, {"members", N_("members only")}, {"private", N_("private")},
		{"open", N_("open to join")}, {"request", N_("join on request")}, {"invite", N_("by invitation")},
		{"host", N_("Host")}, {"member", N_("Member")},
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
	bool is_answer = strcmp(kind, "answer") == 0;
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
	json_object_set_new(o, "is_question", json_boolean(strcmp(kind, "question") == 0));
	json_object_set_new(o, "kind_label", json_string(items_label(r, kind)));
	if (strcmp(kind, "question") == 0) {
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
	query_arg(q, db_int(viewer));
	query_arg(q, db_int(viewer));
	query_arg(q, db_int(viewer));
	if (!f->kind) {
		buf_puts(&q->sql, " AND i.kind <> 'answer'");
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
		char key[24];
		snprintf(key, sizeof(key), "%lld", (long long)ids[i]);
		json_object_set(*index, key, item);
	}
	struct db_stmt *st = db_query_in(db, head, tail, args, nargs, ids, n);
	free(ids);
	return st;
}

json_t *items_indexed(json_t *index, int64_t id)
{
	char key[24];
	snprintf(key, sizeof(key), "%lld", (long long)id);
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
		" WHERE i.id = ? AND i.deleted_at IS NULL AND (i.parent_id IS NULL OR EXISTS (SELECT 1 FROM items p"
		" WHERE p.id = i.parent_id AND p.deleted_at IS NULL))", DB_ARGS(db_int(id)));
	bool found = db_step(st) == DB_ROW;
	if (found)
		item_from_row(r, st, it);
	db_done(st);
	if (found && it->community_id) {
		it->in_community = true;
		found = communities_access_id(r, it->community_id, &it->access) && it->access.can_read;
	} else if (found) {
		/* Updates on a profile are for signed-in members. */
		found = r->user != NULL;
	}
	if (!found) {
		req_fail(r, 404, "not_found", N_("There is no such post."));
		return false;
	}
	item_rights(r, it);
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

/* An item's JSON but for its tags, reactions and comments: they are null
 * here, holding their places, until items_fill fetches them for a whole
 * list of items at once. */
static json_t *item_members(struct req *r, const struct item *it)
{
	json_t *author = it->author_handle ? json_pack("{s:s, s:s}", "handle", it->author_handle,
						       "name", it->author_name) : json_null();
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:o, s:s, s:I, s:o, s:n, s:n}",
			      "id", (json_int_t)it->id, "kind", it->kind, "title", it->title,
			      "body", it->body, "body_html", markdown_json(it->body),
			      "language", it->language, "created_at", (json_int_t)it->created_at,
			      "author", author, "tags", "reactions");
	json_object_set_new(o, "url", json_string(link_item(&r->arena, it->id, it->title)));
	/* Absent values are null, not missing, so that templates do not find
	 * an enclosing item's value instead (an answer inside its question). */
	json_object_set_new(o, "edited_at", it->edited_at ? json_integer(it->edited_at) : json_null());
	json_object_set_new(o, "needed_by", it->needed_by ? json_integer(it->needed_by) : json_null());
	if (it->needed_by)
		render_add_time(o, "needed_by", it->needed_by);
	json_object_set_new(o, "community", it->in_community
			    ? json_pack("{s:s, s:s}", "slug", it->access.slug, "name", it->access.name)
			    : json_null());
	json_object_set_new(o, "comments", json_null());
	json_object_set_new(o, "can_edit", json_boolean(it->is_author && it->can_write));
	json_object_set_new(o, "can_delete", json_boolean(it->is_author || it->can_moderate));
	json_object_set_new(o, "can_comment", json_boolean(it->can_write));
	json_object_set_new(o, "can_react", json_boolean(it->can_write));
	if (strcmp(it->kind, "article") == 0)
		articles_fill(r, o, it->id);
	else if (strcmp(it->kind, "method") == 0)
		methods_fill(r, o, it);
	if (!it->parent_id) {
		files_fill(r, o, it);
		experts_fill(r, o, it);
	}
	return o;
}

/* Fills the tags, reactions and comments of item_members objects, with a
 * statement each for the whole list. The items share a community (a
 * question and its answers), so the viewer may moderate all or none. */
static void items_fill(struct req *r, json_t *list, bool can_moderate)
{
	tags_fill(r->db, list);
	reactions_fill(r, list);
	comments_fill(r, list, can_moderate);
}

static json_t *item_json(struct req *r, const struct item *it)
{
	json_t *o = item_members(r, it);
	/* An answer on its own: its question's page fills answers together. */
	if (it->parent_id)
		experts_fill(r, o, it);
	json_t *list = json_pack("[O]", o);
	items_fill(r, list, it->can_moderate);
	json_decref(list);
	return o;
}

#define ANSWERS_MAX 500

/* The question's answers, the accepted one first, as item_members, in one
 * statement. An answer lives in its question's community: the viewer may
 * do with it what the question allows, and edit it when they wrote it. */
static json_t *answers_json(struct req *r, const struct item *question, bool can_accept)
{
	json_t *list = json_array();
	struct db_stmt *st = db_query(r->db, ITEM_SELECT " WHERE i.parent_id = ? AND i.kind = 'answer'"
					     " AND i.deleted_at IS NULL ORDER BY i.id = ? DESC, i.created_at, i.id LIMIT ?",
				      DB_ARGS(db_int(question->id), db_int(question->accepted_answer_id),
					      db_int(ANSWERS_MAX)));
	while (db_step(st) == DB_ROW) {
		struct item a = *question;
		item_from_row(r, st, &a);
		item_rights(r, &a);
		json_t *aj = item_members(r, &a);
		json_object_set_new(aj, "accepted", json_boolean(a.id == question->accepted_answer_id));
		json_object_set_new(aj, "can_accept", json_boolean(can_accept));
		json_object_set_new(aj, "question_id", json_integer(question->id));
		json_array_append_new(list, aj);
	}
	db_done(st);
	experts_fill_answers(r, list, question);
	return list;
}

json_t *items_page(struct req *r)
{
	struct item it;
	if (!items_load(r, req_path_param(r, "id"), &it))
		return NULL;
	if (strcmp(it.kind, "answer") == 0) {
		struct item q;
		char id_text[24];
		snprintf(id_text, sizeof(id_text), "%lld", (long long)it.parent_id);
		if (!items_load(r, id_text, &q))
			return NULL;
		const char *to = arena_printf(&r->arena, "%s#answer-%lld", link_item(&r->arena, q.id, q.title),
					      (long long)it.id);
		return req_done(r, 200, to, item_json(r, &it));
	}
	json_t *model = item_members(r, &it);
	/* The question and its answers are filled together. */
	json_t *filled = json_pack("[O]", model);
	json_object_set_new(model, "title", json_string(it.title[0] ? it.title : tr(r, N_("Update"))));
	json_object_set_new(model, "is_article", json_boolean(strcmp(it.kind, "article") == 0));
	json_object_set_new(model, "is_method", json_boolean(strcmp(it.kind, "method") == 0));
	if (strcmp(it.kind, "question") == 0) {
		bool can_accept = r->user && it.can_write && (it.is_author || it.can_moderate);
		json_object_set_new(model, "is_question", json_true());
		const char *status = items_status(it.answer_count, it.accepted_answer_id != 0);
		json_object_set_new(model, "status", json_string(status));
		json_object_set_new(model, "status_label", json_string(items_label(r, status)));
		json_object_set_new(model, "answer_count", json_integer(it.answer_count));
		json_t *answers = answers_json(r, &it, can_accept);
		json_array_extend(filled, answers);
		json_object_set_new(model, "answers", answers);
		json_object_set_new(model, "can_answer", json_boolean(it.can_write));
	}
	items_fill(r, filled, it.can_moderate);
	json_decref(filled);
	json_object_set_new(model, "revision_count",
			    json_integer(db_scalar_int(r->db, 0, "SELECT COUNT(*) FROM item_revisions WHERE item_id = ?",
						       DB_ARGS(db_int(it.id)))));
	/* Asking from the header joined the community on the way (ask.c). */
	if (req_query(r, "joined") && it.in_community && it.access.is_member)
		json_object_set_new(model, "joined", json_pack("{s:s}", "name", it.access.name));
	return model;
}

/* ---- writing ------------------------------------------------------------ */

#define TITLE_MAX 200
#define UPDATE_MAX 5000
#define BODY_MAX 20000

/* Kinds with fields of their own (a module each), and what their body is
 * called in forms and the API. */
enum own_fields { OWN_NONE, OWN_ARTICLE, OWN_METHOD };

static enum own_fields own_fields_of(const char *kind)
{
	return strcmp(kind, "article") == 0 ? OWN_ARTICLE : strcmp(kind, "method") == 0 ? OWN_METHOD : OWN_NONE;
}

struct item_input {
	const char *title, *body, *language;
	const char **tags;
	int ntags;
	int64_t needed_by;
	enum own_fields own;
	struct article_input article; /* OWN_ARTICLE */
	struct method_input method;   /* OWN_METHOD */
	struct file_inputs files;     /* attached with a new item */
};

/* The fields of the composer and the edit form, which come back filled
 * when something is wrong. */
static const char *const form_fields[] = {"title", "body", "tags", "language", "needed_by", "summary",
					  "situation", "approach", "results", "contacts", "org", "related",
					  "purpose", "when_to_use", "duration", "group_min", "group_max",
					  "materials", "steps", "tips"};
#define FORM_FIELDS (sizeof(form_fields) / sizeof(form_fields[0]))

static const char *clean_text(struct req *r, const char *name)
{
	const char *v = req_param_trimmed(r, name);
	return v ? v : "";
}

/* A field's trimmed value; when the request leaves it out, the current
 * item's value (edits keep what they do not send), else "". */
static const char *field_or(struct req *r, const char *name, const char *current)
{
	return req_param(r, name) || !current ? clean_text(r, name) : current;
}

/* The body of a kind with fields of its own: an article's summary, a
 * method's purpose. */
static const char *own_body_field(enum own_fields own)
{
	return own == OWN_ARTICLE ? "summary" : "purpose";
}

static void read_own_body(struct req *r, json_t *model, const struct item_input *in)
{
	bool article = in->own == OWN_ARTICLE;
	const char *field = own_body_field(in->own);
	if (!*in->body)
		req_field_error(r, model, field, article ? N_("Sum the practice up in a few sentences.")
							 : N_("Say what the method is for."));
	else if (utf8_length(in->body) > (article ? ARTICLE_SUMMARY_MAX : METHOD_PURPOSE_MAX))
		req_field_error(r, model, field, article ? N_("A summary has at most 500 characters.")
							 : N_("A purpose has at most 1000 characters."));
	else if (!text_printable(in->body, true))
		req_field_error(r, model, field, N_("The text cannot contain control characters."));
}

/* Reads and checks the fields of an item of the kind; field errors go on
 * the model. When editing, current is the item as it is. */
static void read_item_input(struct req *r, json_t *model, const char *kind, const char *default_language,
			    const struct item *current, struct item_input *in)
{
	bool question = strcmp(kind, "question") == 0, update = strcmp(kind, "update") == 0;
	in->own = own_fields_of(kind);
	bool titled = question || in->own != OWN_NONE;
	in->title = titled ? text_clean_name(arena_strdup(&r->arena, field_or(r, "title", current ? current->title : NULL)))
			   : "";
	/* An article's summary, a method's purpose: the body lists show. */
	in->body = field_or(r, in->own ? own_body_field(in->own) : "body", current ? current->body : NULL);
	in->language = field_or(r, "language", current ? current->language : NULL);
	if (!*in->language)
		in->language = default_language;
	if (question && !*in->title)
		req_field_error(r, model, "title", N_("Write your question as a title."));
	else if (in->own && !*in->title)
		req_field_error(r, model, "title", in->own == OWN_ARTICLE ? N_("Give the practice a title.")
									  : N_("Give the method a title."));
	else if (utf8_length(in->title) > TITLE_MAX)
		req_field_error(r, model, "title", N_("A title has at most 200 characters."));
	else if (!text_printable(in->title, false))
		req_field_error(r, model, "title", N_("A title cannot contain control characters."));
	if (in->own)
		read_own_body(r, model, in);
	else if (!question && !*in->body)
		req_field_error(r, model, "body", update ? N_("Write your update.") : N_("Write your answer."));
	else if (utf8_length(in->body) > (update ? UPDATE_MAX : BODY_MAX))
		req_field_error(r, model, "body", update ? N_("An update has at most 5000 characters.")
							 : N_("The text has at most 20000 characters."));
	else if (!text_printable(in->body, true))
		req_field_error(r, model, "body", N_("The text cannot contain control characters."));
	if (i18n_locale_index(in->language) < 0)
		req_field_error(r, model, "language", N_("Choose English, Swedish or Dutch."));
	const char *problem = NULL;
	/* Answers take the tags of their question; they have none of their own. */
	const char *tags = strcmp(kind, "answer") == 0 ? "" : req_param(r, "tags");
	char *current_tags = NULL;
	if (!tags && current)
		tags = current_tags = tags_of_item_text(r->db, current->id);
	in->ntags = tags_parse(&r->arena, tags, &in->tags, &problem);
	free(current_tags);
	if (in->ntags < 0) {
		req_field_error(r, model, "tags", problem);
		in->ntags = 0;
	}
	const char *needed = clean_text(r, "needed_by");
	in->needed_by = 0;
	if (question && current && !req_param(r, "needed_by")) {
		in->needed_by = current->needed_by;
	} else if (question && *needed) {
		in->needed_by = text_parse_date(needed);
		/* A date already set may have passed; only a new one must lie ahead. */
		bool unchanged = current && in->needed_by == current->needed_by - current->needed_by % 86400;
		if (in->needed_by < 0)
			req_field_error(r, model, "needed_by", N_("Give the date as YYYY-MM-DD."));
		else if (!unchanged && in->needed_by < r->now - 24 * 3600)
			req_field_error(r, model, "needed_by", N_("The date has passed."));
	}
	if (in->own == OWN_ARTICLE) {
		/* An article is its author's organisation's unless it names one. */
		struct profile author;
		int64_t org = r->user && users_profile_id(r->db, &r->arena, r->user->id, &author) ? author.org_id : 0;
		articles_read(r, model, current, org, &in->article);
	} else if (in->own == OWN_METHOD) {
		methods_read(r, model, current, &in->method);
	}
}

static int by_text(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool add_revision(struct req *r, int64_t item_id, const struct item_input *in, int64_t now)
{
	/* Sorted, as the item shows them, so that versions differ only when
	 * the tags do. */
	const char *sorted[TAGS_MAX];
	int ntags = in->ntags < TAGS_MAX ? in->ntags : TAGS_MAX;
	if (ntags > 0) {
		memcpy(sorted, in->tags, (size_t)ntags * sizeof(*sorted));
		qsort(sorted, (size_t)ntags, sizeof(*sorted), by_text);
	}
	struct buf tags = {0};
	for (int i = 0; i < ntags; i++) {
		if (i)
			buf_puts(&tags, ", ");
		buf_puts(&tags, sorted[i]);
	}
	/* A kind's own fields go in as JSON, so the history has them too. */
	char *fields = NULL;
	json_t *j = in->own == OWN_ARTICLE ? articles_revision_fields(r->db, &in->article)
		    : in->own == OWN_METHOD ? methods_revision_fields(&in->method) : NULL;
	if (j) {
		fields = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(j);
	}
	bool ok = db_exec(r->db, "INSERT INTO item_revisions (item_id, editor_id, title, body, tags, fields, created_at)"
				 " VALUES (?, ?, ?, ?, ?, ?, ?)",
			  DB_ARGS(db_int(item_id), db_int(r->user->id), db_text(in->title), db_text(in->body),
				  db_text(tags.data ? tags.data : ""), db_text(fields ? fields : ""), db_int(now))) == 1;
	buf_free(&tags);
	free(fields);
	return ok;
}

/* Stores what the item's kind adds to it, in the caller's transaction. */
static bool store_kind_fields(struct req *r, int64_t item_id, const struct item_input *in)
{
	switch (in->own) {
	case OWN_ARTICLE:
		return articles_store(r->db, item_id, &in->article);
	case OWN_METHOD:
		return methods_store(r->db, item_id, &in->method);
	default:
		return true;
	}
}

/* Stores a new item (in community c, or on the author's profile when c is
 * NULL) and its first revision in one transaction (the caller's when there
 * is one, which then commits or rolls back); 0 on error. */
static int64_t items_insert(struct req *r, const char *kind, const struct community_access *c, int64_t parent_id,
			    const struct item_input *in)
{
	int64_t community_id = c ? c->id : 0;
	int64_t now = r->now;
	/* An item keeps the organisation its author was with when sharing it. */
	struct profile author;
	int64_t org = users_profile_id(r->db, &r->arena, r->user->id, &author) ? author.org_id : 0;
	if (!db_begin(r->db))
		return 0;
	struct db_stmt *st = db_query(r->db,
		"INSERT INTO items (kind, community_id, author_id, org_id, parent_id, title, body, language,"
		" needed_by, created_at, activity_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		DB_ARGS(db_text(kind), community_id ? db_int(community_id) : db_null(), db_int(r->user->id),
			org ? db_int(org) : db_null(), parent_id ? db_int(parent_id) : db_null(), db_text(in->title),
			db_text(in->body), db_text(in->language), in->needed_by ? db_int(in->needed_by) : db_null(),
			db_int(now), db_int(now)));
	int64_t id = db_step(st) == DB_ROW ? db_int_col(st, 0) : 0;
	db_done(st);
	if (!id || !tags_set_for_item(r->db, id, in->tags, in->ntags) || !store_kind_fields(r, id, in) ||
	    !files_store(r, id, &in->files) || !add_revision(r, id, in, now) || !search_index_item(r->db, id) ||
	    (parent_id && db_exec(r->db, "UPDATE items SET answer_count = answer_count + 1, activity_at = ?"
					 " WHERE id = ?", DB_ARGS(db_int(now), db_int(parent_id))) != 1) ||
	    /* What anyone may read goes out to the site's webhook, queued in
	     * this transaction: sent if and only if the item is stored. */
	    (c && strcmp(c->visibility, "public") == 0 && !webhook_item_created(r->db, id, now)) ||
	    !db_commit(r->db)) {
		db_rollback(r->db);
		return 0;
	}
	return id;
}

bool items_has_posted(struct db *db, int64_t author_id)
{
	return db_exists(db, "SELECT 1 FROM items WHERE author_id = ? AND deleted_at IS NULL", DB_ARGS(db_int(author_id)));
}

int64_t items_insert_answer(struct req *r, const struct item *question, const char *body)
{
	struct item_input in = {.title = "", .body = body, .language = question->language};
	return items_insert(r, "answer", question->in_community ? &question->access : NULL, question->id, &in);
}

static const char *const creatable_kinds[] = {"question", "update", "article", "method", NULL};

static bool kind_creatable(const char *kind)
{
	for (int i = 0; kind && creatable_kinds[i]; i++)
		if (strcmp(kind, creatable_kinds[i]) == 0)
			return true;
	return false;
}

json_t *items_composer_model(struct req *r, const char *kind, const struct community_access *c)
{
	json_t *values = json_object();
	for (size_t i = 0; i < FORM_FIELDS; i++) {
		const char *v = req_param(r, form_fields[i]);
		if (v)
			json_object_set_new(values, form_fields[i], json_string(v));
	}
	const char *lang = req_param(r, "language");
	if (!lang)
		lang = c ? c->language : i18n_locale_code(r->locale);
	json_t *langs = json_array();
	for (int i = 0; i < LOCALE_COUNT; i++)
		json_array_append_new(langs, json_pack("{s:s, s:s, s:b}", "code", i18n_locale_code(i),
						       "name", i18n_locale_name(i),
						       "selected", strcmp(lang, i18n_locale_code(i)) == 0));
	bool question = strcmp(kind, "question") == 0, article = strcmp(kind, "article") == 0,
	     method = strcmp(kind, "method") == 0;
	json_t *m = json_pack("{s:s, s:s, s:o, s:o, s:b, s:b, s:b, s:b, s:b}",
			      "title", tr(r, question ? N_("Ask a question") : article ? N_("Share a best practice")
					  : method ? N_("Add a method") : N_("Post an update")),
			      "kind", kind, "values", values, "languages", langs, "is_question", question,
			      "is_article", article, "is_method", method, "is_update", !question && !article && !method,
			      "has_tags", 1);
	if (article) {
		/* The author's own organisation until they choose another. */
		const char *org = req_param(r, "org");
		struct profile author;
		struct org own;
		if (!org && users_profile_id(r->db, &r->arena, r->user->id, &author) && author.org_id &&
		    orgs_get(r->db, &r->arena, author.org_id, &own))
			org = own.slug;
		json_object_set_new(m, "orgs", orgs_options(r->db, org));
	}
	json_object_set_new(m, "action", json_string(c ? arena_printf(&r->arena, "%s/items", link_community(&r->arena, c->slug))
						     : "/items"));
	files_form_fill(r, m);
	json_object_set_new(m, "community", c ? json_pack("{s:s, s:s}", "slug", c->slug, "name", c->name) : json_null());
	return m;
}

/* The community of /c/{slug}/…, when the member may post in it. */
static bool postable_community(struct req *r, struct community_access *c)
{
	if (!communities_access(r, req_path_param(r, "slug"), c)) {
		req_fail(r, 404, "not_found", N_("There is no such community."));
		return false;
	}
	if (c->archived) {
		req_fail(r, 409, "archived", N_("This community is archived; nothing new can be posted."));
		return false;
	}
	if (!c->can_post) {
		req_fail(r, 403, "not_member", N_("Join the community to post in it."));
		return false;
	}
	return true;
}

json_t *items_composer(struct req *r)
{
	struct community_access c;
	if (!postable_community(r, &c))
		return NULL;
	const char *kind = req_query(r, "kind");
	if (!kind)
		kind = "question";
	if (!kind_creatable(kind))
		return req_fail(r, 404, "not_found", N_("There is no such kind of post."));
	return items_composer_model(r, kind, &c);
}

json_t *items_create_in(struct req *r, const struct community_access *c)
{
	const char *kind = req_param(r, "kind");
	if (!kind)
		kind = c ? "question" : "update";
	if (!kind_creatable(kind) || (!c && strcmp(kind, "update") != 0)) {
		req_fail(r, 422, "invalid", N_("Choose a question, an update, a best practice or a method."));
		r->error.field = "kind";
		return NULL;
	}
	json_t *model = items_composer_model(r, kind, c);
	struct item_input in;
	read_item_input(r, model, kind, c ? c->language : i18n_locale_code(r->locale), NULL, &in);
	files_read(r, model, 0, &in.files);
	if (req_has_field_errors(r))
		return req_invalid(r, model);
	if (!writelimit_take(r))
		return model;
	int64_t id = items_insert(r, kind, c, 0, &in);
	json_decref(model);
	if (!id)
		return req_fail_internal(r);
	struct item it;
	char id_text[24];
	snprintf(id_text, sizeof(id_text), "%lld", (long long)id);
	if (!items_load(r, id_text, &it))
		return NULL;
	return req_done(r, 201, link_item(&r->arena, id, in.title), item_json(r, &it));
}

json_t *items_create_in_community(struct req *r)
{
	struct community_access c;
	if (!postable_community(r, &c))
		return NULL;
	return items_create_in(r, &c);
}

json_t *items_create_on_profile(struct req *r)
{
	return items_create_in(r, NULL);
}

/* Stores a new version of the item, with its revision, and answers with
 * the item. */
static json_t *save_edit(struct req *r, struct item *it, const struct item_input *in)
{
	int64_t now = r->now;
	if (!db_begin(r->db))
		return req_fail(r, 503, "unavailable", N_("The database is busy. Try again shortly."));
	bool ok = db_exec(r->db, "UPDATE items SET title = ?, body = ?, language = ?, needed_by = ?, edited_at = ?"
				 " WHERE id = ?",
			  DB_ARGS(db_text(in->title), db_text(in->body), db_text(in->language),
				  in->needed_by ? db_int(in->needed_by) : db_null(), db_int(now), db_int(it->id))) == 1 &&
		  tags_set_for_item(r->db, it->id, in->tags, in->ntags) && store_kind_fields(r, it->id, in) &&
		  add_revision(r, it->id, in, now) && experts_item_edited(r, it->id) &&
		  search_index_item(r->db, it->id) && db_commit(r->db);
	if (!ok) {
		db_rollback(r->db);
		return req_fail_internal(r);
	}
	char id_text[24];
	snprintf(id_text, sizeof(id_text), "%lld", (long long)it->id);
	if (!items_load(r, id_text, it))
		return req_fail_internal(r);
	return req_done(r, 200, link_item(&r->arena, it->id, it->title), item_json(r, it));
}

/* The edit form of the item with the values in it. */
static json_t *edit_model(struct req *r, const struct item *it, json_t *values)
{
	bool article = strcmp(it->kind, "article") == 0;
	json_t *m = json_pack("{s:s, s:I, s:s, s:s, s:b, s:b, s:b, s:b, s:o}", "title", tr(r, N_("Edit")),
			      "id", (json_int_t)it->id, "kind", it->kind, "url", link_item(&r->arena, it->id, it->title),
			      "is_question", strcmp(it->kind, "question") == 0, "is_article", article,
			      "is_method", strcmp(it->kind, "method") == 0,
			      "has_tags", strcmp(it->kind, "answer") != 0, "values", values);
	if (article)
		json_object_set_new(m, "orgs", orgs_options(r->db, json_string_value(json_object_get(values, "org"))));
	return m;
}

json_t *items_edit_form(struct req *r)
{
	struct item it;
	if (!items_load(r, req_path_param(r, "id"), &it))
		return NULL;
	if (!it.is_author || !it.can_write)
		return req_fail(r, 403, "forbidden", N_("Only the author can edit this."));
	char *tags = tags_of_item_text(r->db, it.id);
	char needed[16] = "";
	if (it.needed_by) {
		time_t t = (time_t)it.needed_by;
		struct tm tm;
		strftime(needed, sizeof(needed), "%Y-%m-%d", gmtime_r(&t, &tm));
	}
	json_t *values = json_pack("{s:s, s:s, s:s, s:s, s:s}", "title", it.title, "body", it.body, "tags", tags,
				   "language", it.language, "needed_by", needed);
	free(tags);
	if (strcmp(it.kind, "article") == 0) {
		json_object_set_new(values, "summary", json_string(it.body));
		articles_form_values(r, values, it.id);
	} else if (strcmp(it.kind, "method") == 0) {
		json_object_set_new(values, "purpose", json_string(it.body));
		methods_form_values(r, values, it.id);
	}
	return edit_model(r, &it, values);
}

json_t *items_edit(struct req *r)
{
	struct item it;
	if (!items_load(r, req_path_param(r, "id"), &it))
		return NULL;
	if (!it.is_author || !it.can_write)
		return req_fail(r, 403, "forbidden", N_("Only the author can edit this."));
	/* What was sent comes back in the form when something is wrong. */
	json_t *values = json_object();
	for (size_t i = 0; i < FORM_FIELDS; i++)
		json_object_set_new(values, form_fields[i], json_string(clean_text(r, form_fields[i])));
	json_t *model = edit_model(r, &it, values);
	struct item_input in;
	read_item_input(r, model, it.kind, it.language, &it, &in);
	if (req_has_field_errors(r))
		return req_invalid(r, model);
	json_decref(model);
	return save_edit(r, &it, &in);
}

json_t *items_delete(struct req *r)
{
	struct item it;
	if (!items_load(r, req_path_param(r, "id"), &it))
		return NULL;
	if (!it.is_author && !it.can_moderate)
		return req_fail(r, 403, "forbidden", N_("You cannot delete this."));
	int64_t now = r->now;
	if (!db_begin(r->db))
		return req_fail(r, 503, "unavailable", N_("The database is busy. Try again shortly."));
	bool ok = db_exec(r->db, "UPDATE items SET deleted_at = ?, deleted_by = ? WHERE id = ? AND deleted_at IS NULL",
			  DB_ARGS(db_int(now), db_int(r->user->id), db_int(it.id))) == 1;
	/* An answer leaves its question's count, and its acceptance. */
	if (ok && it.parent_id)
		ok = db_exec(r->db, "UPDATE items SET answer_count = answer_count - 1,"
				    " accepted_answer_id = CASE WHEN accepted_answer_id = ? THEN NULL"
				    " ELSE accepted_answer_id END WHERE id = ?",
			     DB_ARGS(db_int(it.id), db_int(it.parent_id))) == 1;
	if (ok)
		ok = search_index_item(r->db, it.id);
	if (!ok || !db_commit(r->db)) {
		db_rollback(r->db);
		return req_fail_internal(r);
	}
	const char *to = "/";
	if (it.parent_id) {
		to = link_item_id(&r->arena, it.parent_id);
	} else if (it.in_community) {
		to = link_community(&r->arena, it.access.slug);
	}
	return req_done(r, 200, to, json_pack("{s:b}", "deleted", 1));
}

/* The lines that changed between two texts: what stands between their
 * common beginning and common end. */
static json_t *text_change(const char *before, const char *after)
{
	size_t bl = strlen(before), al = strlen(after), head = 0, tail = 0;
	while (head < bl && head < al && before[head] == after[head])
		head++;
	while (tail < bl - head && tail < al - head && before[bl - 1 - tail] == after[al - 1 - tail])
		tail++;
	/* Widen to whole lines, so the change reads in context: the common end
	 * must begin a line in both texts. */
	while (head > 0 && before[head - 1] != '\n')
		head--;
	while (tail > 0 && ((bl > tail && before[bl - tail - 1] != '\n') || (al > tail && after[al - tail - 1] != '\n')))
		tail--;
	return json_pack("{s:s%, s:s%}", "removed", before + head, bl - head - tail,
			 "added", after + head, al - head - tail);
}

/* The fields a revision records, with their labels: the item's own, then
 * those of the kinds with fields of their own (revisions.fields). */
static const struct {
	const char *key, *label;
} revision_fields[] = {
	{"title", N_("Title")}, {"tags", N_("Tags")}, {"body", N_("Text")},
	{"situation", N_("Situation or problem")}, {"approach", N_("Approach")},
	{"results", N_("Results and lessons")}, {"contacts", N_("People to contact")},
	{"org", N_("Organisation")}, {"related", N_("Related posts")},
	{"when_to_use", N_("When to use it")}, {"duration", N_("Duration in minutes")},
	{"group_min", N_("Smallest group")}, {"group_max", N_("Largest group")},
	{"materials", N_("Materials")}, {"steps", N_("Steps")}, {"tips", N_("Facilitation tips")},
};
#define REVISION_FIELDS (sizeof(revision_fields) / sizeof(revision_fields[0]))

/* A recorded field as text, "" when the revision has none. */
static const char *revision_value(struct req *r, json_t *v, const char *key)
{
	json_t *f = json_object_get(v, key);
	if (!f)
		f = json_object_get(json_object_get(v, "fields"), key);
	if (json_is_integer(f))
		return arena_printf(&r->arena, "%" JSON_INTEGER_FORMAT, json_integer_value(f));
	return json_is_string(f) ? json_string_value(f) : "";
}

/* What changed from revision a to b: {"title": {"removed", "added"}, …},
 * and the same as a list with labels for the page. */
static json_t *revision_changes(struct req *r, json_t *a, json_t *b, json_t **list)
{
	json_t *changes = json_object();
	*list = json_array();
	for (size_t f = 0; f < REVISION_FIELDS; f++) {
		const char *before = revision_value(r, a, revision_fields[f].key);
		const char *after = revision_value(r, b, revision_fields[f].key);
		if (strcmp(before, after) == 0)
			continue;
		json_t *change = text_change(before, after);
		json_object_set(changes, revision_fields[f].key, change);
		json_object_set_new(change, "label", json_string(tr(r, revision_fields[f].label)));
		json_object_set_new(change, "field", json_string(revision_fields[f].key));
		json_array_append_new(*list, change);
	}
	return changes;
}

/* Every revision of the item, oldest first, with its fields parsed. */
static json_t *revisions_of(struct req *r, int64_t item_id)
{
	json_t *list = json_array();
	struct db_stmt *st = db_query(r->db,
		"SELECT v.id, v.title, v.body, v.tags, v.created_at, u.handle, u.name, v.fields FROM item_revisions v"
		" LEFT JOIN users u ON u.id = v.editor_id WHERE v.item_id = ? ORDER BY v.id", DB_ARGS(db_int(item_id)));
	int number = 0;
	while (db_step(st) == DB_ROW) {
		json_t *v = json_pack("{s:I, s:i, s:s, s:s, s:s, s:I, s:{s:s?, s:s?}}",
				      "id", (json_int_t)db_int_col(st, 0), "number", ++number,
				      "title", db_text_col(st, 1), "body", db_text_col(st, 2),
				      "tags", db_text_col(st, 3), "created_at", (json_int_t)db_int_col(st, 4),
				      "editor", "handle", db_text_col(st, 5), "name", db_text_col(st, 6));
		json_t *fields = *db_text_col(st, 7) ? json_loads(db_text_col(st, 7), 0, NULL) : NULL;
		json_object_set_new(v, "fields", fields ? fields : json_object());
		json_array_append_new(list, v);
	}
	db_done(st);
	return list;
}

/* A revision number from the query string; 0 when absent, -1 when not one
 * of the n revisions. */
static int revision_number(struct req *r, const char *name, int n)
{
	const char *v = req_query(r, name);
	if (!v || !*v)
		return 0;
	char *end = NULL;
	long k = strtol(v, &end, 10);
	return *end || k < 1 || k > n ? -1 : (int)k;
}

json_t *items_revisions(struct req *r)
{
	struct item it;
	if (!items_load(r, req_path_param(r, "id"), &it))
		return NULL;
	json_t *list = revisions_of(r, it.id);
	int n = (int)json_array_size(list);
	int from = revision_number(r, "from", n), to = revision_number(r, "to", n);
	if (from < 0 || to < 0) {
		json_decref(list);
		return req_fail(r, 400, "bad_filter", N_("Choose two versions of this post."));
	}
	bool can_restore = it.is_author && it.can_write;
	for (int i = 0; i < n; i++) {
		json_t *v = json_array_get(list, (size_t)i), *shown;
		if (i > 0) {
			json_object_set_new(v, "changes", revision_changes(r, json_array_get(list, (size_t)i - 1), v, &shown));
			json_object_set_new(v, "change_list", shown);
		}
		json_object_set_new(v, "can_restore", json_boolean(can_restore && i < n - 1));
	}
	/* Any two versions side by side: by default the last against the one
	 * before it. */
	json_t *compare = json_null();
	if (n > 1) {
		if (!to)
			to = n;
		if (!from)
			from = to > 1 ? to - 1 : 1;
		json_t *shown;
		json_t *changes = revision_changes(r, json_array_get(list, (size_t)from - 1),
						   json_array_get(list, (size_t)to - 1), &shown);
		compare = json_pack("{s:i, s:i, s:o, s:o}", "from", from, "to", to, "changes", changes,
				    "change_list", shown);
	}
	json_t *numbers = json_array();
	for (int i = n; i >= 1; i--)
		json_array_append_new(numbers, json_pack("{s:i, s:b, s:b}", "number", i, "is_from", i == from,
							 "is_to", i == to));
	/* Newest first to read, as history pages do. */
	json_t *newest_first = json_array();
	for (size_t i = json_array_size(list); i > 0; i--)
		json_array_append(newest_first, json_array_get(list, i - 1));
	json_decref(list);
	return json_pack("{s:s, s:I, s:s, s:s, s:s, s:o, s:o, s:o}", "title", tr(r, N_("Revisions")),
			 "id", (json_int_t)it.id, "item_title", it.title, "url", link_item(&r->arena, it.id, it.title),
			 "revisions_url", arena_printf(&r->arena, "%s/revisions", link_item_id(&r->arena, it.id)),
			 "items", newest_first, "compare", compare, "numbers", numbers);
}

json_t *items_restore(struct req *r)
{
	struct item it;
	if (!items_load(r, req_path_param(r, "id"), &it))
		return NULL;
	if (!it.is_author || !it.can_write)
		return req_fail(r, 403, "forbidden", N_("Only the author can edit this."));
	json_t *list = revisions_of(r, it.id);
	char *end = NULL;
	const char *number_text = req_path_param(r, "number");
	long number = strtol(number_text ? number_text : "", &end, 10);
	json_t *v = *end || number < 1 ? NULL : json_array_get(list, (size_t)number - 1);
	if (!v) {
		json_decref(list);
		return req_fail(r, 404, "not_found", N_("There is no such version."));
	}
	/* The version as it was, in the item's language and deadline as they
	 * are now; the tags and the kind's fields from the version. */
	struct item_input in = {.title = arena_strdup(&r->arena, json_string_value(json_object_get(v, "title"))),
				.body = arena_strdup(&r->arena, json_string_value(json_object_get(v, "body"))),
				.language = it.language, .needed_by = it.needed_by, .own = own_fields_of(it.kind)};
	const char *problem = NULL;
	in.ntags = tags_parse(&r->arena, json_string_value(json_object_get(v, "tags")), &in.tags, &problem);
	if (in.ntags < 0)
		in.ntags = 0;
	if (in.own == OWN_ARTICLE)
		articles_from_revision(r, json_object_get(v, "fields"), &in.article);
	else if (in.own == OWN_METHOD)
		methods_from_revision(r, json_object_get(v, "fields"), &in.method);
	json_decref(list);
	return save_edit(r, &it, &in);
}
