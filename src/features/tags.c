/* tags: normalised topic tags and the tags of items. */
#include "features/tags.h"

#include "core/arena.h"
#include "core/buf.h"
#include "core/fold.h"
#include "core/mem.h"
#include "core/grow.h"
#include "core/text.h"
#include "db/db.h"
#include "i18n/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Whether what lies between two words of a tag, s[0..n), parts them
 * with a '-': white space, '_', '-', '/' or another dash. Anything else
 * (punctuation, symbols, invisible marks, bytes that are not UTF-8) is
 * dropped and the words meet. */
static bool parts_words(const char *s, size_t n)
{
	for (size_t i = 0, clen; i < n; i += clen) {
		int32_t cp;
		clen = fold_decode(s + i, n - i, &cp);
		if (cp == '_' || cp == '/' || fold_space_or_dash(cp))
			return true;
	}
	return false;
}

bool tag_normalise(const char *in, char *out, size_t outlen)
{
	size_t n = strlen(in), pos = 0, start, len, o = 0, chars = 0, gap = 0;
	while ((len = fold_next_word(in, n, &pos, &start)) > 0) {
		/* A word of more than 8 bytes a character is too long a tag. */
		char word[8 * TAG_MAX_CHARS * 3 / 2];
		if (len > 8 * TAG_MAX_CHARS)
			return false;
		size_t wn = fold_lower(in + start, len, word, sizeof(word));
		bool dash = o > 0 && parts_words(in + gap, start - gap);
		if (o + dash + wn >= outlen)
			return false;
		if (dash)
			out[o++] = '-';
		memcpy(out + o, word, wn);
		o += wn;
		chars += dash;
		for (size_t k = 0; k < wn; k++)
			chars += ((unsigned char)word[k] & 0xC0) != 0x80;
		gap = pos;
	}
	out[o] = '\0';
	return o > 0 && chars <= TAG_MAX_CHARS;
}

int tags_parse(struct arena *a, const char *list, const char ***tags, const char **problem)
{
	const char **found = arena_alloc(a, sizeof(*found) * (TAGS_MAX + 1));
	int n = 0;
	char *copy = arena_strdup(a, list ? list : ""), *save = NULL;
	for (char *part = strtok_r(copy, ",", &save); part; part = strtok_r(NULL, ",", &save)) {
		if (!*text_trim(part))
			continue;
		char norm[4 * TAG_MAX_CHARS + 8];
		if (!tag_normalise(part, norm, sizeof(norm))) {
			*problem = N_("A tag has 1 to 32 letters, digits or hyphens.");
			return -1;
		}
		bool seen = false;
		for (int i = 0; i < n; i++)
			seen |= strcmp(found[i], norm) == 0;
		if (seen)
			continue;
		if (n == TAGS_MAX) {
			*problem = N_("Use at most 5 tags.");
			return -1;
		}
		found[n++] = arena_strdup(a, norm);
	}
	found[n] = NULL;
	*tags = found;
	return n;
}

int64_t tags_find(struct db *db, const char *name)
{
	return db_scalar_int(db, 0, "SELECT id FROM tags WHERE name = ?", DB_ARGS(db_text(name)));
}

/* The tables that refer to tags, with the columns that make a row unique
 * together with tag_id (none: tag_id is not part of the key). */
static const struct {
	const char *table, *key[2];
} tag_uses[] = {
	{"item_tags", {"item_id"}},
	{"expertise", {"user_id"}},
	{"tag_experts", {"user_id"}},
	{"expert_endorsements", {"user_id", "endorser_id"}},
	{"verifications", {NULL}},
};

/* Gives the tag into what refers to the tag from (but what into has
 * already), then deletes from. */
static bool merge_tag(struct db *db, int64_t from, int64_t into)
{
	bool ok = true;
	for (size_t u = 0; ok && u < sizeof(tag_uses) / sizeof(tag_uses[0]); u++) {
		const char *t = tag_uses[u].table;
		struct buf sql = {0};
		buf_printf(&sql, "UPDATE %s SET tag_id = ? WHERE tag_id = ?", t);
		if (tag_uses[u].key[0]) {
			buf_printf(&sql, " AND NOT EXISTS (SELECT 1 FROM %s x WHERE x.tag_id = ?", t);
			for (size_t k = 0; k < 2 && tag_uses[u].key[k]; k++)
				buf_printf(&sql, " AND x.%s = %s.%s", tag_uses[u].key[k], t, tag_uses[u].key[k]);
			buf_putc(&sql, ')');
		}
		const struct db_value args[] = {db_int(into), db_int(from), db_int(into)};
		ok = db_exec(db, sql.data, args, tag_uses[u].key[0] ? 3 : 2) >= 0;
		buf_reset(&sql);
		buf_printf(&sql, "DELETE FROM %s WHERE tag_id = ?", t);
		ok = ok && db_exec(db, sql.data, DB_ARGS(db_int(from))) >= 0;
		buf_free(&sql);
	}
	return ok && db_exec(db, "DELETE FROM tags WHERE id = ?", DB_ARGS(db_int(from))) >= 0;
}

bool tags_refold(struct db *db)
{
	struct refold {
		int64_t id;
		char *name;
	} *changed = NULL;
	size_t n = 0, cap = 0;
	struct db_stmt *st = db_query(db, "SELECT id, name FROM tags ORDER BY id", DB_NOARGS);
	while (st && db_step(st) == DB_ROW) {
		char norm[4 * TAG_MAX_CHARS + 8];
		const char *name = db_text_col(st, 1);
		if (!tag_normalise(name, norm, sizeof(norm)) || strcmp(norm, name) == 0)
			continue; /* as it should be, or no tag any more: left as it is */
		GROW(changed, n, cap);
		changed[n++] = (struct refold){db_int_col(st, 0), xstrdup(norm)};
	}
	bool ok = st != NULL;
	if (st)
		db_done(st);
	if (ok && n > 0 && (ok = db_begin(db))) {
		for (size_t i = 0; ok && i < n; i++) {
			int64_t into = tags_find(db, changed[i].name);
			ok = into ? merge_tag(db, changed[i].id, into)
				  : db_exec(db, "UPDATE tags SET name = ? WHERE id = ?",
					    DB_ARGS(db_text(changed[i].name), db_int(changed[i].id))) >= 0;
		}
		ok = ok && db_commit(db);
		if (ok)
			fprintf(stderr, "kring: %zu tags renamed to their lower case in every script\n", n);
		else
			db_rollback(db);
	}
	if (!ok)
		fprintf(stderr, "kring: the tags could not be renamed: %s\n", db_errmsg(db));
	for (size_t i = 0; i < n; i++)
		free(changed[i].name);
	free(changed);
	return ok;
}

int64_t tags_ensure(struct db *db, const char *name)
{
	int64_t id = tags_find(db, name);
	if (id)
		return id;
	return db_scalar_int(db, 0, "INSERT INTO tags (name) VALUES (?) "
				    "ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id",
			     DB_ARGS(db_text(name)));
}

bool tags_set_for_item(struct db *db, int64_t item_id, const char *const *tags, int n)
{
	if (db_exec(db, "DELETE FROM item_tags WHERE item_id = ?", DB_ARGS(db_int(item_id))) < 0)
		return false;
	for (int i = 0; i < n; i++) {
		int64_t tag = tags_ensure(db, tags[i]);
		if (!tag || db_exec(db, "INSERT INTO item_tags (item_id, tag_id) VALUES (?, ?) "
					"ON CONFLICT DO NOTHING",
				    DB_ARGS(db_int(item_id), db_int(tag))) < 0)
			return false;
	}
	return true;
}

bool tags_is_rare(struct db *db, const char *name, int limit)
{
	return db_scalar_int(db, 0, "SELECT COUNT(*) FROM (SELECT 1 FROM item_tags it JOIN tags t ON t.id = it.tag_id"
				    " WHERE t.name = ? LIMIT ?) few", DB_ARGS(db_text(name), db_int(limit))) < limit;
}

void tags_fill(struct db *db, json_t *items)
{
	size_t n = json_array_size(items), i;
	json_t *item;
	int64_t *ids = xcalloc(n ? n : 1, sizeof(*ids));
	json_array_foreach(items, i, item) {
		json_object_set_new(item, "tags", json_array());
		ids[i] = json_integer_value(json_object_get(item, "id"));
	}
	/* Rows come by item; each goes to the item it names (one list holds
	 * few items, so a look along it is quick). */
	struct db_stmt *st = n ? db_query_in(db, "SELECT it.item_id, t.name FROM item_tags it"
						 " JOIN tags t ON t.id = it.tag_id WHERE it.item_id IN",
					     " ORDER BY it.item_id, t.name", DB_NOARGS, ids, n)
			       : NULL;
	while (st && db_step(st) == DB_ROW)
		for (i = 0; i < n; i++)
			if (ids[i] == db_int_col(st, 0))
				json_array_append_new(json_object_get(json_array_get(items, i), "tags"),
						      json_string(db_text_col(st, 1)));
	db_done(st);
	free(ids);
}

char *tags_of_item_text(struct db *db, int64_t item_id)
{
	json_t *items = json_pack("[{s:I}]", "id", (json_int_t)item_id);
	tags_fill(db, items);
	struct buf b = {0};
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(json_array_get(items, 0), "tags"), i, t) {
		if (i)
			buf_puts(&b, ", ");
		buf_puts(&b, json_string_value(t));
	}
	json_decref(items);
	return buf_take(&b);
}
