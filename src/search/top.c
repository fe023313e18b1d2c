/* top: the best items for each term (see top.h). */
#include "search/top.h"

#include "core/buf.h"
#include "core/mem.h"
#include "core/grow.h"
#include "core/hash.h"
#include "db/db.h"
#include "search/bm25.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Entries are stored as integers, a billionth apart: both backends then
 * read back the very same values. */
#define PART_SCALE 1e9
/* Rows per INSERT; a shorter last batch is padded with rows of no term,
 * so a connection keeps two forms of the statement. */
#define INSERT_ROWS 64

/* ---- an item's terms ------------------------------------------------------------ */

struct token {
	const char *term;
	size_t len;
	double weight;
};

static int by_term(const void *a, const void *b)
{
	const struct token *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->term, y->term, n);
	return c ? c : (x->len > y->len) - (x->len < y->len);
}

static void tokens_of(const struct buf *field, double weight, struct token **list, size_t *n, size_t *cap)
{
	const char *s = field->data, *end = s ? s + field->len : NULL;
	while (s && s < end) {
		while (s < end && *s == ' ')
			s++;
		const char *t = s;
		while (s < end && *s != ' ')
			s++;
		if (s == t)
			continue;
		GROW(*list, *n, *cap);
		(*list)[(*n)++] = (struct token){t, (size_t)(s - t), weight};
	}
}

void top_item_read(struct top_item *it, const struct buf *title, const struct buf *tags, const struct buf *body)
{
	struct token *tokens = NULL;
	size_t n = 0, cap = 0;
	tokens_of(title, 10, &tokens, &n, &cap);
	tokens_of(tags, 4, &tokens, &n, &cap);
	tokens_of(body, 1, &tokens, &n, &cap);
	if (n)
		qsort(tokens, n, sizeof(*tokens), by_term);
	*it = (struct top_item){.terms = xmalloc((n + 1) * sizeof(*it->terms)), .length = (double)n};
	for (size_t i = 0; i < n; i++) {
		if (i == 0 || by_term(&tokens[i], &tokens[i - 1]) != 0)
			it->terms[it->nterms++] = (struct top_term){xstrndup(tokens[i].term, tokens[i].len), 0};
		it->terms[it->nterms - 1].tf += tokens[i].weight;
	}
	free(tokens);
}

void top_item_free(struct top_item *it)
{
	for (size_t i = 0; i < it->nterms; i++)
		free(it->terms[i].term);
	free(it->terms);
	*it = (struct top_item){0};
}

static int64_t entry(double tf, double length, double average)
{
	return llround(bm25_term(1.0, tf, length, average) * PART_SCALE);
}

/* ---- storing entries ------------------------------------------------------------- */

struct row {
	const char *term;
	int64_t part, item_id;
};

/* Inserts rows[0..n): INSERT_ROWS at a time, and what is left in one
 * statement padded with rows of no term. */
static bool insert_rows(struct db *db, const struct row *rows, size_t n)
{
	struct buf full = {0}, padded = {0};
	buf_puts(&full, "INSERT INTO search_top (term, part, item_id) VALUES ");
	buf_puts(&padded, "INSERT INTO search_top (term, part, item_id) SELECT column1, column2, column3 FROM (VALUES ");
	for (int i = 0; i < INSERT_ROWS; i++) {
		buf_puts(&full, i ? ", (?, ?, ?)" : "(?, ?, ?)");
		buf_puts(&padded, i ? ", (?, CAST(? AS BIGINT), CAST(? AS BIGINT))" : "(?, CAST(? AS BIGINT), CAST(? AS BIGINT))");
	}
	buf_puts(&padded, ") v WHERE column1 <> ''");
	bool ok = true;
	for (size_t from = 0; from < n && ok; from += INSERT_ROWS) {
		struct db_value args[3 * INSERT_ROWS];
		for (size_t i = 0; i < INSERT_ROWS; i++) {
			bool real = from + i < n;
			args[3 * i] = db_text(real ? rows[from + i].term : "");
			args[3 * i + 1] = db_int(real ? rows[from + i].part : 0);
			args[3 * i + 2] = db_int(real ? rows[from + i].item_id : 0);
		}
		ok = db_exec(db, n - from >= INSERT_ROWS ? full.data : padded.data, args, 3 * INSERT_ROWS) >= 0;
	}
	buf_free(&full);
	buf_free(&padded);
	return ok;
}

/* The average length the entries are made at: items and terms counted as
 * they are added (an edited item counts again, much as long as before). */
static bool average_length(struct db *db, double *average)
{
	struct db_stmt *st = db_query(db, "SELECT items, terms FROM search_top_average WHERE id = 1", DB_NOARGS);
	int rc = db_step(st);
	*average = rc == DB_ROW && db_int_col(st, 0) > 0 ? (double)db_int_col(st, 1) / (double)db_int_col(st, 0) : 0;
	db_done(st);
	return rc != DB_ERROR;
}

/* Lists not built yet (items -1) stay so until a whole build. */
static bool count_added(struct db *db, int64_t items, int64_t terms, bool first)
{
	return db_exec(db, first ? "INSERT INTO search_top_average (id, items, terms) VALUES (1, ?, ?)"
				   " ON CONFLICT (id) DO UPDATE SET items = excluded.items, terms = excluded.terms"
				 : "INSERT INTO search_top_average (id, items, terms) VALUES (1, ?, ?)"
				   " ON CONFLICT (id) DO UPDATE SET items = search_top_average.items + excluded.items,"
				   " terms = search_top_average.terms + excluded.terms WHERE search_top_average.items >= 0",
		       DB_ARGS(db_int(items), db_int(terms))) >= 0;
}

bool top_ready(struct db *db)
{
	return db_scalar_int(db, 0, "SELECT items FROM search_top_average WHERE id = 1", DB_NOARGS) >= 0;
}

bool top_remove(struct db *db, int64_t item_id, const char *terms)
{
	struct buf sql = {0};
	buf_puts(&sql, "DELETE FROM search_top WHERE item_id = ? AND term IN (");
	for (int i = 0; i < INSERT_ROWS; i++)
		buf_puts(&sql, i ? ", ?" : "?");
	buf_putc(&sql, ')');
	/* Each term once: a body repeats its words. */
	struct buf text = {0};
	buf_puts(&text, terms);
	struct top_item it;
	top_item_read(&it, &text, &(struct buf){0}, &(struct buf){0});
	buf_free(&text);
	bool ok = true;
	for (size_t from = 0; from < it.nterms && ok; from += INSERT_ROWS) {
		struct db_value args[1 + INSERT_ROWS];
		args[0] = db_int(item_id);
		for (size_t i = 0; i < INSERT_ROWS; i++)
			args[1 + i] = db_text(from + i < it.nterms ? it.terms[from + i].term : "");
		ok = db_exec(db, sql.data, args, 1 + INSERT_ROWS) >= 0;
	}
	top_item_free(&it);
	buf_free(&sql);
	return ok;
}

bool top_add(struct db *db, int64_t item_id, const struct top_item *it)
{
	double average;
	if (!average_length(db, &average))
		return false;
	struct row *rows = xmalloc((it->nterms + 1) * sizeof(*rows));
	for (size_t i = 0; i < it->nterms; i++)
		rows[i] = (struct row){it->terms[i].term, entry(it->terms[i].tf, it->length, average), item_id};
	bool ok = insert_rows(db, rows, it->nterms) && count_added(db, 1, (int64_t)it->length, false);
	free(rows);
	return ok;
}

/* ---- a whole build --------------------------------------------------------------- */

/* One term's best items so far: a min-heap on their entries, so the worst
 * is the one to replace. tf and length are kept, as the entries are made
 * at the build's final average. */
struct candidate {
	double key, tf, length;
	int64_t item_id;
};

struct term_list {
	char *term;
	struct candidate *heap;
	size_t n, cap;
};

struct top_build {
	struct db *db;
	bool first;
	struct term_list *slots; /* open addressing by the term's hash */
	size_t nslots, used;
	int64_t items, terms;
	double average; /* the lists' average length before the build; 0: none */
};

static struct term_list *slot_for(struct top_build *b, const char *term)
{
	if (2 * (b->used + 1) > b->nslots) {
		struct term_list *old = b->slots;
		size_t nold = b->nslots;
		b->nslots = nold ? nold * 2 : 1024;
		b->slots = xcalloc(b->nslots, sizeof(*b->slots));
		for (size_t i = 0; i < nold; i++)
			if (old[i].term) {
				size_t k = hash_str(old[i].term) & (b->nslots - 1);
				while (b->slots[k].term)
					k = (k + 1) & (b->nslots - 1);
				b->slots[k] = old[i];
			}
		free(old);
	}
	size_t k = hash_str(term) & (b->nslots - 1);
	while (b->slots[k].term && strcmp(b->slots[k].term, term) != 0)
		k = (k + 1) & (b->nslots - 1);
	if (!b->slots[k].term) {
		b->slots[k].term = xstrdup(term);
		b->used++;
	}
	return &b->slots[k];
}

static bool worse(const struct candidate *x, const struct candidate *y)
{
	return x->key < y->key || (x->key == y->key && x->item_id < y->item_id);
}

static void sift_down(struct candidate *heap, size_t n, size_t i)
{
	for (;;) {
		size_t least = i, l = 2 * i + 1, r = l + 1;
		if (l < n && worse(&heap[l], &heap[least]))
			least = l;
		if (r < n && worse(&heap[r], &heap[least]))
			least = r;
		if (least == i)
			return;
		struct candidate t = heap[i];
		heap[i] = heap[least];
		heap[least] = t;
		i = least;
	}
}

static void offer(struct term_list *l, const struct candidate *c)
{
	if (l->n < TOP_PER_TERM) {
		GROW(l->heap, l->n, l->cap);
		size_t i = l->n++;
		l->heap[i] = *c;
		while (i > 0 && worse(&l->heap[i], &l->heap[(i - 1) / 2])) {
			struct candidate t = l->heap[i];
			l->heap[i] = l->heap[(i - 1) / 2];
			l->heap[(i - 1) / 2] = t;
			i = (i - 1) / 2;
		}
	} else if (worse(&l->heap[0], c)) {
		l->heap[0] = *c;
		sift_down(l->heap, l->n, 0);
	}
}

struct top_build *top_build_new(struct db *db, bool first)
{
	struct top_build *b = xcalloc(1, sizeof(*b));
	b->db = db;
	b->first = first;
	if (!average_length(db, &b->average))
		b->average = 0;
	return b;
}

void top_build_add(struct top_build *b, int64_t item_id, const struct top_item *it)
{
	b->items++;
	b->terms += (int64_t)it->length;
	/* Chosen at the average the lists had before (the average so far when
	 * they had none), stored at the build's: items of about the same
	 * entry may change places across the 500th, no more. */
	double average = b->average > 0 ? b->average : (double)b->terms / (double)b->items;
	for (size_t i = 0; i < it->nterms; i++) {
		struct candidate c = {bm25_term(1.0, it->terms[i].tf, it->length, average), it->terms[i].tf, it->length,
				      item_id};
		offer(slot_for(b, it->terms[i].term), &c);
	}
}

static int by_item(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	return (x->item_id > y->item_id) - (x->item_id < y->item_id);
}

static int by_list_term(const void *a, const void *b)
{
	return strcmp((*(struct term_list *const *)a)->term, (*(struct term_list *const *)b)->term);
}

bool top_build_store(struct top_build *b)
{
	if (!count_added(b->db, b->items, b->terms, b->first))
		return false;
	double average;
	if (!average_length(b->db, &average))
		return false;
	/* In the order of the table's keys, (term, item_id): written in
	 * order, the rows cost a fraction of what they cost in any order.
	 * All lists in one go, so that only the last INSERT is padded. */
	struct term_list **lists = xmalloc((b->used + 1) * sizeof(*lists));
	size_t nlists = 0;
	for (size_t s = 0; s < b->nslots; s++)
		if (b->slots[s].term)
			lists[nlists++] = &b->slots[s];
	qsort(lists, nlists, sizeof(*lists), by_list_term);
	size_t nrows = 0;
	for (size_t s = 0; s < nlists; s++)
		nrows += lists[s]->n;
	struct row *rows = xmalloc((nrows + 1) * sizeof(*rows)), *r = rows;
	for (size_t s = 0; s < nlists; s++) {
		struct term_list *l = lists[s];
		for (size_t i = 0; i < l->n; i++)
			r[i] = (struct row){l->term, entry(l->heap[i].tf, l->heap[i].length, average), l->heap[i].item_id};
		qsort(r, l->n, sizeof(*r), by_item);
		r += l->n;
	}
	bool ok = insert_rows(b->db, rows, nrows);
	free(rows);
	free(lists);
	return ok;
}

void top_build_free(struct top_build *b)
{
	if (!b)
		return;
	for (size_t s = 0; s < b->nslots; s++) {
		free(b->slots[s].term);
		free(b->slots[s].heap);
	}
	free(b->slots);
	free(b);
}

/* ---- reading ------------------------------------------------------------------------ */

long top_read(struct db *db, const char *term, size_t max, int64_t *ids, double *parts)
{
	struct db_stmt *st = db_query(db, "SELECT item_id, part FROM search_top WHERE term = ?"
					  " ORDER BY part DESC, item_id DESC LIMIT ?",
				      DB_ARGS(db_text(term), db_int((int64_t)max)));
	long n = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW && (size_t)n < max) {
		ids[n] = db_int_col(st, 0);
		parts[n++] = (double)db_int_col(st, 1) / PART_SCALE;
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : n;
}
