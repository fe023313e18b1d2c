/* profiles: members and organisations in the search index (see profiles.h). */
#include "search/profiles.h"

#include "auth/users.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/mem.h"
#include "core/grow.h"
#include "db/db.h"
#include "render/markdown.h"
#include "search/analyze.h"
#include "search/backend.h"
#include "search/query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A profile as the index stores it: the terms of its name, of the rest,
 * and its long words. */
struct profile_doc {
	struct buf name, rest, words;
};

static void doc_add(struct profile_doc *d, bool name, const char *text)
{
	if (!text || !*text)
		return;
	analyze_terms_all(text, strlen(text), name ? &d->name : &d->rest);
	analyze_words(text, strlen(text), &d->words);
}

static void doc_free(struct profile_doc *d)
{
	buf_free(&d->name);
	buf_free(&d->rest);
	buf_free(&d->words);
}

/* Writes the profile's row (or takes it out when !live). */
static bool store(struct db *db, enum search_table t, int64_t id, struct profile_doc *d, bool live)
{
	struct buf words = {0};
	analyze_compounds(&d->words, &words);
	bool ok = search_backend(db)->profile_store(db, t, id, d->name.data ? d->name.data : "",
						    d->rest.data ? d->rest.data : "", words.data ? words.data : "", live);
	buf_free(&words);
	return ok;
}

bool search_index_person(struct db *db, int64_t user_id)
{
	struct profile_doc d = {0};
	struct db_stmt *st = db_query(db, "SELECT u.name, u.handle, u.title, u.ask_me_about, o.name FROM users u"
					  " LEFT JOIN orgs o ON o.id = u.org_id WHERE u.id = ?", DB_ARGS(db_int(user_id)));
	int rc = db_step(st);
	bool live = rc == DB_ROW;
	if (live) {
		doc_add(&d, true, db_text_col(st, 0));
		doc_add(&d, true, db_text_col(st, 1));
		for (int col = 2; col <= 4; col++)
			doc_add(&d, false, db_text_col(st, col));
	}
	db_done(st);
	st = live ? db_query(db, "SELECT t.name FROM expertise e JOIN tags t ON t.id = e.tag_id WHERE e.user_id = ?",
			     DB_ARGS(db_int(user_id))) : NULL;
	while (st && (rc = db_step(st)) == DB_ROW)
		doc_add(&d, false, db_text_col(st, 0));
	if (st)
		db_done(st);
	bool ok = rc != DB_ERROR && (!live || st) && store(db, SEARCH_PEOPLE, user_id, &d, live) &&
		  db_exec(db, "DELETE FROM search_people_stale WHERE user_id = ?", DB_ARGS(db_int(user_id))) >= 0;
	doc_free(&d);
	return ok;
}

/* The ids a statement gives (its first column), malloc'd into *ids; how
 * many, or -1 (*ids NULL). */
static long read_ids(struct db *db, const char *sql, const struct db_value *args, size_t nargs, int64_t **ids)
{
	size_t n = 0, cap = 0;
	*ids = NULL;
	struct db_stmt *st = db_query(db, sql, args, nargs);
	int rc = DB_ERROR;
	while (st && (rc = db_step(st)) == DB_ROW) {
		GROW(*ids, n, cap);
		(*ids)[n++] = db_int_col(st, 0);
	}
	if (st)
		db_done(st);
	if (rc != DB_ERROR)
		return (long)n;
	free(*ids);
	*ids = NULL;
	return -1;
}

/* Indexes the organisation alone. */
static bool index_org_only(struct db *db, int64_t org_id)
{
	struct profile_doc d = {0};
	struct db_stmt *st = db_query(db, "SELECT name, description FROM orgs WHERE id = ?", DB_ARGS(db_int(org_id)));
	int rc = db_step(st);
	bool live = rc == DB_ROW;
	if (live) {
		doc_add(&d, true, db_text_col(st, 0));
		struct buf plain = {0};
		const char *md = db_text_col(st, 1);
		markdown_plain(md ? md : "", md ? strlen(md) : 0, &plain);
		buf_putc(&plain, '\0');
		doc_add(&d, false, plain.data);
		buf_free(&plain);
	}
	db_done(st);
	bool ok = rc != DB_ERROR && store(db, SEARCH_ORGS, org_id, &d, live);
	doc_free(&d);
	return ok;
}

bool search_index_org(struct db *db, int64_t org_id)
{
	int64_t *members;
	long n = read_ids(db, "SELECT id FROM users WHERE org_id = ?", DB_ARGS(db_int(org_id)), &members);
	bool ok = n >= 0 && index_org_only(db, org_id);
	for (long i = 0; ok && i < n; i++)
		ok = search_index_person(db, members[i]);
	free(members);
	return ok;
}

bool search_index_profiles(struct db *db)
{
	const struct search_backend *backend = search_backend(db);
	bool ok = backend->clear(db, SEARCH_PEOPLE) && backend->clear(db, SEARCH_ORGS) &&
		  db_exec(db, "DELETE FROM search_people_stale", DB_NOARGS) >= 0;
	int64_t *ids = NULL;
	long n = ok ? read_ids(db, "SELECT id FROM orgs ORDER BY id", DB_NOARGS, &ids) : -1;
	for (long i = 0; i < n && ok; i++)
		ok = index_org_only(db, ids[i]);
	free(ids);
	ids = NULL;
	n = ok && n >= 0 ? read_ids(db, "SELECT id FROM users ORDER BY id", DB_NOARGS, &ids) : -1;
	for (long i = 0; i < n && ok; i++)
		ok = search_index_person(db, ids[i]);
	free(ids);
	return ok && n >= 0;
}

bool search_profiles_ready(struct db *db)
{
	return db_exists(db, "SELECT 1 FROM search_people", DB_NOARGS) ||
	       !db_exists(db, "SELECT 1 FROM users", DB_NOARGS);
}

/* Members indexed at one time when the index catches up: a burst of
 * sign-ups waits for the next searches rather than delaying one. */
#define CATCH_UP_MAX 200
#define STR_(x) #x
#define STR(x) STR_(x)

/* Indexes the members whose rows changed since they were indexed (the
 * migration's triggers list them), in a transaction of its own. Every
 * write kring makes to a profile indexes it, so this is a safety net for
 * changes made otherwise and for an indexing that failed. A search
 * that cannot do it (another is writing, the database is read-only) finds
 * them as they were indexed. */
static void catch_up(struct db *db)
{
	int64_t *ids = NULL;
	long n = db_in_transaction(db) ? -1
		: read_ids(db, "SELECT user_id FROM search_people_stale ORDER BY user_id LIMIT " STR(CATCH_UP_MAX),
			   DB_NOARGS, &ids);
	if (n > 0 && db_begin(db)) {
		bool ok = true;
		for (long i = 0; i < n && ok; i++)
			ok = search_index_person(db, ids[i]);
		if (!ok || !db_commit(db))
			db_rollback(db);
	}
	free(ids);
}

/* ---- finding them ------------------------------------------------------------ */

/* How well a profile matches: the higher the better. */
enum { MATCH_PART = 1, MATCH_PROFILE = 2, MATCH_NAME = 3 };

struct profile_hit {
	int64_t id;
	int match;
};

static int by_id(const void *a, const void *b)
{
	const struct profile_hit *x = a, *y = b;
	return (x->id > y->id) - (x->id < y->id);
}

/* Adds the (id, match) rows of a statement to hits that do not hold the id
 * yet (hits[0..*n) in id order before and after). False when it failed. */
static bool add_hits(struct db_stmt *st, int match, struct profile_hit *hits, size_t *n)
{
	size_t before = *n;
	int rc = DB_ERROR;
	while (st && (rc = db_step(st)) == DB_ROW && *n < 2 * SEARCH_PROFILES_MAX) {
		struct profile_hit h = {db_int_col(st, 0), match ? match : (int)db_int_col(st, 1)};
		if (!bsearch(&h, hits, before, sizeof(*hits), by_id))
			hits[(*n)++] = h;
	}
	if (st)
		db_done(st);
	qsort(hits, *n, sizeof(*hits), by_id);
	return rc != DB_ERROR;
}

/* The profiles of part t that match the query, each with how well, in id
 * order (from a, NULL after an error); how many, or -1. */
static long find(struct db *db, struct arena *a, enum search_table t, const struct search_query *p,
		 struct profile_hit **out)
{
	const struct search_backend *backend = search_backend(db);
	const char *match = query_terms_match(a, p, backend->syntax);
	struct profile_hit *hits = arena_alloc(a, 2 * SEARCH_PROFILES_MAX * sizeof(*hits));
	size_t n = 0;
	/* Whole words, those in the name first; then the query's words inside
	 * longer words. */
	bool ok = add_hits(backend->whole_words(db, a, t, match, MATCH_NAME, MATCH_PROFILE, SEARCH_PROFILES_MAX), 0,
			   hits, &n) &&
		  (!query_parts_searchable(p) ||
		   add_hits(backend->parts(db, a, t, p, SEARCH_PROFILES_MAX), MATCH_PART, hits, &n));
	*out = ok ? hits : NULL;
	return ok ? (long)n : -1;
}

static int match_of(const struct profile_hit *hits, size_t n, int64_t id)
{
	const struct profile_hit *h = bsearch(&(struct profile_hit){.id = id}, hits, n, sizeof(*hits), by_id);
	return h ? h->match : 0;
}

/* A found profile as it is sorted: how well it matches, its lower-cased
 * name, its id; row: where the caller keeps the rest. */
struct ranked {
	int match;
	int64_t id, created_at;
	const char *key;
	size_t row;
};

/* The one name order of people and organisations (enum search_people_order). */
static int by_name(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : (x->id > y->id) - (x->id < y->id);
}

static int by_match(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	return x->match != y->match ? y->match - x->match : by_name(a, b);
}

static int by_newest(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	if (x->created_at != y->created_at)
		return x->created_at > y->created_at ? -1 : 1;
	return (x->id < y->id) - (x->id > y->id);
}

/* The hits' ids, for an IN list. */
static int64_t *ids_of(struct arena *a, const struct profile_hit *hits, size_t n)
{
	int64_t *ids = arena_alloc(a, (n + 1) * sizeof(*ids));
	for (size_t i = 0; i < n; i++)
		ids[i] = hits[i].id;
	return ids;
}

int search_people(struct db *db, struct arena *a, const struct search_query *p, const struct users_dir_filter *f,
		  enum search_people_order order, struct users_dir_row **rows)
{
	struct profile_hit *hits;
	catch_up(db);
	long n = find(db, a, SEARCH_PEOPLE, p, &hits);
	*rows = NULL;
	if (n <= 0)
		return (int)n;
	/* Who of them the directory would list under the same filters. */
	struct buf sql = {0};
	struct db_value args[USERS_DIR_ARGS];
	size_t nargs = users_dir_query(a, f, &sql, args);
	buf_puts(&sql, " AND u.id IN ");
	struct db_stmt *st = db_query_in(db, sql.data, "", args, nargs, ids_of(a, hits, (size_t)n), (size_t)n);
	buf_free(&sql);
	struct users_dir_row *found = arena_zalloc(a, (size_t)n * sizeof(*found));
	struct ranked *ranked = arena_alloc(a, (size_t)n * sizeof(*ranked));
	size_t m = 0;
	int rc = DB_ERROR;
	while (st && (rc = db_step(st)) == DB_ROW && m < (size_t)n) {
		struct users_dir_row *row = &found[m];
		users_dir_row_read(a, st, row);
		ranked[m] = (struct ranked){match_of(hits, (size_t)n, row->id), row->id, row->created_at, row->key, m};
		m++;
	}
	if (st)
		db_done(st);
	static int (*const compare[])(const void *, const void *) = {
		[SEARCH_PEOPLE_BEST] = by_match, [SEARCH_PEOPLE_NAME] = by_name, [SEARCH_PEOPLE_NEWEST] = by_newest,
	};
	qsort(ranked, m, sizeof(*ranked), compare[order]);
	*rows = arena_alloc(a, (m + 1) * sizeof(**rows));
	for (size_t i = 0; i < m && i < SEARCH_PROFILES_MAX; i++)
		(*rows)[i] = found[ranked[i].row];
	if (rc == DB_ERROR)
		return -1;
	return m < SEARCH_PROFILES_MAX ? (int)m : SEARCH_PROFILES_MAX;
}

int search_orgs(struct db *db, struct arena *a, const struct search_query *p, int64_t **ids)
{
	struct profile_hit *hits;
	long n = find(db, a, SEARCH_ORGS, p, &hits);
	*ids = NULL;
	if (n <= 0)
		return (int)n;
	struct db_stmt *st = db_query_in(db, "SELECT id, lower(name) FROM orgs WHERE id IN ", "", DB_NOARGS,
					 ids_of(a, hits, (size_t)n), (size_t)n);
	struct ranked *order = arena_alloc(a, (size_t)n * sizeof(*order));
	size_t m = 0;
	int rc = DB_ERROR;
	while (st && (rc = db_step(st)) == DB_ROW && m < (size_t)n) {
		int64_t id = db_int_col(st, 0);
		order[m] = (struct ranked){match_of(hits, (size_t)n, id), id, 0, arena_strdup(a, db_text_col(st, 1)), m};
		m++;
	}
	if (st)
		db_done(st);
	qsort(order, m, sizeof(*order), by_match);
	m = m < SEARCH_PROFILES_MAX ? m : SEARCH_PROFILES_MAX;
	*ids = arena_alloc(a, (m + 1) * sizeof(**ids));
	for (size_t i = 0; i < m; i++)
		(*ids)[i] = order[i].id;
	return rc == DB_ERROR ? -1 : (int)m;
}
