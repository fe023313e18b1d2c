/* index: the search index kept in step with the items (see index.h). */
#include "search/index.h"

#include "core/buf.h"
#include "core/mem.h"
#include "core/grow.h"
#include "db/db.h"
#include "render/markdown.h"
#include "search/analyze.h"
#include "search/backend.h"
#include "search/bm25.h"
#include "search/profiles.h"
#include "search/top.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void doc_free(struct search_doc *d)
{
	buf_free(&d->title);
	buf_free(&d->tags);
	buf_free(&d->body);
	buf_free(&d->words);
}

/* Adds Markdown text to the body's terms and the words, as plain text. */
static void add_markdown(struct search_doc *d, const char *md, const char *language, struct buf *plain)
{
	if (!md || !*md)
		return;
	buf_reset(plain);
	markdown_plain(md, strlen(md), plain);
	analyze_terms(plain->data ? plain->data : "", plain->len, language, &d->body);
	analyze_words(plain->data ? plain->data : "", plain->len, &d->words);
}

/* The item's text, from the tables of the modules that own it: its title
 * and body, what its kind adds (search_kind_text_sql) and its tags. False
 * when the item is gone or deleted. */
static bool gather(struct db *db, int64_t id, struct search_doc *d)
{
	struct db_stmt *st = db_query(db, "SELECT i.title, i.language, i.body, i.kind FROM items i"
					  " WHERE i.id = ? AND i.deleted_at IS NULL", DB_ARGS(db_int(id)));
	if (db_step(st) != DB_ROW) {
		db_done(st);
		return false;
	}
	const char *title = db_text_col(st, 0);
	char language[8], kind[32];
	snprintf(language, sizeof(language), "%s", db_text_col(st, 1));
	snprintf(kind, sizeof(kind), "%s", db_text_col(st, 3));
	analyze_terms(title, strlen(title), language, &d->title);
	analyze_words(title, strlen(title), &d->words);
	struct buf plain = {0};
	add_markdown(d, db_text_col(st, 2), language, &plain);
	db_done(st);
	const char *own = search_kind_text_sql(kind);
	if (own) {
		st = db_query(db, own, DB_ARGS(db_int(id)));
		if (db_step(st) == DB_ROW)
			for (int col = 0; col < db_col_count(st); col++)
				add_markdown(d, db_text_col(st, col), language, &plain);
		db_done(st);
	}
	buf_free(&plain);

	st = db_query(db, "SELECT t.name FROM item_tags it JOIN tags t ON t.id = it.tag_id WHERE it.item_id = ?",
		      DB_ARGS(db_int(id)));
	while (db_step(st) == DB_ROW) {
		const char *tag = db_text_col(st, 0);
		analyze_terms(tag, strlen(tag), language, &d->tags);
		analyze_words(tag, strlen(tag), &d->words);
	}
	db_done(st);
	return true;
}

/* Indexes the item as it now is (or takes it out): its terms and words,
 * and its entries in the terms' lists, into build when one is given. */
static bool index_item(struct db *db, int64_t item_id, struct top_build *build)
{
	struct search_doc d = {0};
	bool live = gather(db, item_id, &d);
	struct buf all = d.words;
	d.words = (struct buf){0};
	analyze_compounds(&all, &d.words);
	buf_free(&all);
	const struct search_backend *backend = search_backend(db);
	char *old = backend->item_terms(db, item_id);
	bool ok = backend->item_store(db, item_id, &d, live);
	ok = ok && (!old || top_remove(db, item_id, old));
	free(old);
	if (ok && live) {
		struct top_item it;
		top_item_read(&it, &d.title, &d.tags, &d.body);
		if (build)
			top_build_add(build, item_id, &it);
		else
			ok = top_add(db, item_id, &it);
		top_item_free(&it);
	}
	doc_free(&d);
	return ok;
}

bool search_index_item(struct db *db, int64_t item_id)
{
	return index_item(db, item_id, NULL);
}

static bool index_all(struct db *db, const int64_t *ids, size_t n, bool first)
{
	struct top_build *build = top_build_new(db, first);
	bool ok = true;
	for (size_t i = 0; i < n && ok; i++)
		ok = index_item(db, ids[i], build);
	ok = ok && top_build_store(build);
	top_build_free(build);
	return ok;
}

bool search_index_items(struct db *db, const int64_t *ids, size_t n)
{
	if (!db_begin(db))
		return false;
	if (!index_all(db, ids, n, false) || !db_commit(db)) {
		db_rollback(db);
		return false;
	}
	bm25_forget();
	return true;
}

/* Indexes the people and organisations alone, in one transaction. */
static bool index_profiles(struct db *db)
{
	if (!db_begin(db))
		return false;
	if (search_index_profiles(db) && db_commit(db))
		return true;
	db_rollback(db);
	return false;
}

bool search_index_ready(struct db *db)
{
	if (!top_ready(db)) {
		fprintf(stderr, "kring: rebuilding the search index for its new ranking\n");
		if (search_reindex(db) >= 0)
			return true;
	} else if (!search_profiles_ready(db)) {
		fprintf(stderr, "kring: indexing people and organisations for search\n");
		if (index_profiles(db))
			return true;
	} else {
		return true;
	}
	fprintf(stderr, "kring: the search index could not be rebuilt: %s\n", db_errmsg(db));
	return false;
}

int64_t search_reindex(struct db *db)
{
	if (!db_begin(db))
		return -1;
	bool ok = db_exec(db, "DELETE FROM search_top", DB_NOARGS) >= 0 && search_backend(db)->clear(db, SEARCH_ITEMS);
	/* The ids first: one statement at a time on a connection. */
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	struct db_stmt *st = ok ? db_query(db, "SELECT id FROM items WHERE deleted_at IS NULL ORDER BY id", DB_NOARGS)
				: NULL;
	while (st && db_step(st) == DB_ROW) {
		GROW(ids, n, cap);
		ids[n++] = db_int_col(st, 0);
	}
	if (st)
		db_done(st);
	ok = ok && index_all(db, ids, n, true) && search_index_profiles(db);
	free(ids);
	if (!ok || !db_commit(db)) {
		db_rollback(db);
		return -1;
	}
	bm25_forget();
	return (int64_t)n;
}
