/*
 * copy: `kring migrate-data`. Every table the migrations create is copied
 * row by row through the db interface, values as text (each engine turns
 * them back into its column types) and binary values as bytes, inside one
 * transaction per side: the source's write lock keeps its writers out so the
 * copy is one consistent moment, and the target shows nothing until all of
 * it is there.
 *
 * The check does not trust the copy: before the target commits, it reads
 * both sides again and compares row counts and a checksum per table. The
 * checksum is a sum of per-row SHA-256 prefixes, so it does not depend on row
 * order (the two engines need not sort text alike); a binary value counts by
 * its bytes, which both engines give alike, not by how it prints as text.
 */
#include "db/copy.h"

#include "core/buf.h"
#include "core/mem.h"
#include "db/db.h"
#include "db/migrate.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TABLES 128

struct table_sum {
	int64_t rows;
	uint64_t sum;
};

static bool table_checksum(struct db *db, const char *table, struct table_sum *out)
{
	char sql[160];
	snprintf(sql, sizeof(sql), "SELECT * FROM \"%s\"", table);
	struct db_stmt *st = db_query(db, sql, DB_NOARGS);
	if (!st)
		return false;
	struct buf row = {0};
	*out = (struct table_sum){0};
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		buf_reset(&row);
		for (int c = 0; c < db_col_count(st); c++) {
			size_t len = 0;
			const void *bytes = db_is_blob_col(st, c) ? db_blob_col(st, c, &len) : NULL;
			const char *v;
			if (bytes) {
				buf_printf(&row, "B%zu:", len);
				buf_append(&row, bytes, len);
			} else if ((v = db_text_col(st, c))) {
				buf_printf(&row, "T%zu:%s", strlen(v), v);
			} else {
				buf_putc(&row, 'N');
			}
		}
		unsigned char digest[crypto_hash_sha256_BYTES];
		crypto_hash_sha256(digest, (const unsigned char *)row.data, row.len);
		uint64_t part;
		memcpy(&part, digest, sizeof(part));
		out->sum += part;
		out->rows++;
	}
	db_done(st);
	buf_free(&row);
	return rc == DB_DONE;
}

/* The INSERT for the columns of st's current row. Sets *has_id when one of
 * them is the id column. */
static char *insert_sql(struct db_stmt *st, const char *table, bool *has_id)
{
	struct buf sql = {0};
	buf_printf(&sql, "INSERT INTO \"%s\" (", table);
	int n = db_col_count(st);
	*has_id = false;
	for (int c = 0; c < n; c++) {
		buf_printf(&sql, "%s\"%s\"", c ? ", " : "", db_col_name(st, c));
		*has_id |= strcmp(db_col_name(st, c), "id") == 0;
	}
	buf_puts(&sql, ") VALUES (");
	for (int c = 0; c < n; c++)
		buf_puts(&sql, c ? ", ?" : "?");
	buf_putc(&sql, ')');
	return buf_take(&sql);
}

/* Copies one table; returns the rows copied, or -1. */
static int64_t copy_table(struct db *from, struct db *to, const char *table)
{
	char sql[160];
	snprintf(sql, sizeof(sql), "SELECT * FROM \"%s\"", table);
	struct db_stmt *st = db_query(from, sql, DB_NOARGS);
	if (!st)
		return -1;
	char *insert = NULL;
	struct db_value *values = NULL;
	bool has_id = false;
	int64_t rows = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int n = db_col_count(st);
		if (!insert) {
			insert = insert_sql(st, table, &has_id);
			values = xcalloc((size_t)n, sizeof(*values));
		}
		for (int c = 0; c < n; c++) {
			size_t len = 0;
			const void *bytes = db_is_blob_col(st, c) ? db_blob_col(st, c, &len) : NULL;
			values[c] = bytes ? db_blob(bytes, len) : db_text(db_text_col(st, c));
		}
		if (db_exec(to, insert, values, (size_t)n) != 1) {
			rc = DB_ERROR;
			break;
		}
		rows++;
	}
	db_done(st);
	free(insert);
	free(values);
	if (rc != DB_DONE)
		return -1;
	if (has_id && !db_sync_ids(to, table))
		return -1;
	return rows;
}

/* The name of a table of the target that has rows, or NULL. */
static const char *first_filled(struct db *to, const char **tables, int n)
{
	for (int i = 0; i < n; i++) {
		char sql[160];
		snprintf(sql, sizeof(sql), "SELECT 1 FROM \"%s\" LIMIT 1", tables[i]);
		if (db_exists(to, sql, DB_NOARGS))
			return tables[i];
	}
	return NULL;
}

static bool verify(struct db *from, struct db *to, const char **tables, int n, FILE *report)
{
	bool all_match = true;
	fprintf(report, "\n%-22s %10s %10s  %-16s\n", "table", "source", "target", "checksum");
	for (int i = 0; i < n; i++) {
		struct table_sum a, b;
		if (!table_checksum(from, tables[i], &a) || !table_checksum(to, tables[i], &b)) {
			fprintf(stderr, "kring: cannot read %s back\n", tables[i]);
			return false;
		}
		bool match = a.rows == b.rows && a.sum == b.sum;
		all_match &= match;
		fprintf(report, "%-22s %10" PRId64 " %10" PRId64 "  %016" PRIx64 "%s\n", tables[i], a.rows,
			b.rows, b.sum, match ? "" : " DIFFERS");
	}
	return all_match;
}

/* Copies and checks inside both transactions: the source stays locked
 * against writes until the check is done, and the target commits only a
 * copy that matched (deferred references are checked at that commit). */
static bool copy_all(struct db *from, struct db *to, const char **tables, int n, FILE *report)
{
	if (!db_begin(from))
		return false;
	bool ok = db_begin(to) && db_defer_constraints(to);
	for (int i = 0; ok && i < n; i++) {
		int64_t rows = copy_table(from, to, tables[i]);
		if (rows < 0)
			fprintf(stderr, "kring: copying %s failed: %s\n", tables[i], db_errmsg(to));
		else
			fprintf(report, "copied %-20s %10" PRId64 " rows\n", tables[i], rows);
		ok = rows >= 0;
	}
	if (ok && !verify(from, to, tables, n, report)) {
		fprintf(stderr, "kring: the copy differs from the source\n");
		ok = false;
	}
	if (ok && !db_commit(to)) {
		fprintf(stderr, "kring: the copy could not be committed: %s\n", db_errmsg(to));
		ok = false;
	}
	db_rollback(to);
	db_rollback(from); /* it only read */
	return ok;
}

/* Leaves out the search index's tables: they differ between the engines
 * and are built again from the copied items. */
static int copied_tables(const char **tables, int n)
{
	int kept = 0;
	for (int i = 0; i < n; i++)
		if (strncmp(tables[i], "search_", 7) != 0)
			tables[kept++] = tables[i];
	return kept;
}

int copy_database(struct db *from, struct db *to, FILE *report)
{
	if (migrate_apply(from, false) < 0 || migrate_apply(to, false) < 0)
		return -1;
	if (migrate_current_version(from) != migrate_current_version(to)) {
		fprintf(stderr, "kring: the two databases are at different schema versions\n");
		return -1;
	}
	const char *tables[MAX_TABLES];
	char *names;
	int n = copied_tables(tables, migrate_tables(from, tables, MAX_TABLES, &names));
	int rc = -1;
	const char *filled = first_filled(to, tables, n);
	if (filled)
		fprintf(stderr, "kring: the target already holds data (table %s has rows); "
				"migrate-data only copies into an empty database, so nothing was copied\n",
			filled);
	else if (!copy_all(from, to, tables, n, report))
		fprintf(stderr, "kring: nothing was copied; the target is as it was\n");
	else
		rc = n;
	free(names);
	return rc;
}
