/*
 * postgres: the PostgreSQL backend of the db interface, through libpq.
 *
 * Statements are prepared on the server under a per-connection name the first
 * time they run, with untyped parameters sent as text so PostgreSQL infers
 * each type from where the parameter stands (as SQLite's loose typing would
 * accept); only bytes go in binary, as they are. Results come back as text, a
 * bytea as hex that db_blob_col decodes. A result is read whole, so a caller
 * may run other statements on the connection while it walks the rows.
 *
 * A connection can be lost (the server restarts, a proxy drops it). The
 * statement that notices fails, the connection is marked lost, and
 * db_available re-establishes it with bounded retries before the next
 * request; statements are prepared again on the new connection.
 */
#include "core/mem.h"
#include "db/backend.h"

#include <libpq-fe.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* All write transactions take this advisory lock, so they run one at a time
 * across every node, as SQLite's BEGIN IMMEDIATE makes them on one file. */
#define WRITE_LOCK_KEY 0x6b72696e67 /* "kring" in ASCII */
#define RECONNECT_TRIES 3
#define RETRY_PAUSE_S 1
#define BYTEAOID 17 /* from PostgreSQL's catalog/pg_type_d.h */

struct pg_db {
	struct db base;
	PGconn *conn;
	char *url;
	unsigned generation; /* bumped on every reconnect: prepared names lapse */
	unsigned next_name;
	time_t failed_at; /* when reconnecting last failed (monotonic), or 0 */
	char sqlstate[6];
	char error[512];
};

struct pg_stmt {
	struct db_stmt base;
	char *sql;           /* with $1..$n placeholders */
	int nparams;
	char name[16];
	unsigned prepared_in; /* the generation it was prepared in, 0 for none */
	char **values;       /* the bound values, owned */
	int *lengths;        /* of binary values */
	int *formats;        /* 1 for a binary value, 0 for text */
	PGresult *res;
	/* bytea columns of the current row decoded by db_blob_col, by column
	 * (ndecoded of them); freed when the row or the result goes. */
	struct decoded {
		unsigned char *bytes;
		size_t len;
	} *decoded;
	int ndecoded;
	int row, nrows;
	int64_t changes;
};

#define PDB(db) ((struct pg_db *)(db))
#define PST(st) ((struct pg_stmt *)(st))

/* Notices ("relation already exists, skipping") are not errors; keep the
 * server log for what matters. */
static void ignore_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

static PGconn *connect_url(const char *url)
{
	/* Defaults first: settings in the URL override them. */
	const char *keys[] = {"connect_timeout", "application_name", "dbname", NULL};
	const char *values[] = {"5", "kring", url, NULL};
	PGconn *conn = PQconnectdbParams(keys, values, 1);
	if (conn && PQstatus(conn) == CONNECTION_OK)
		PQsetNoticeProcessor(conn, ignore_notice, NULL);
	return conn;
}

static void set_error(struct pg_db *db, const char *message, const char *sqlstate)
{
	snprintf(db->error, sizeof(db->error), "%s", message ? message : "unknown error");
	size_t n = strlen(db->error);
	while (n && (db->error[n - 1] == '\n' || db->error[n - 1] == ' '))
		db->error[--n] = '\0';
	snprintf(db->sqlstate, sizeof(db->sqlstate), "%s", sqlstate ? sqlstate : "");
	if (PQstatus(db->conn) != CONNECTION_OK)
		db->base.connection_lost = true;
}

static struct db *pg_open(const char *url, char **err)
{
	PGconn *conn = connect_url(url);
	if (!conn || PQstatus(conn) != CONNECTION_OK) {
		const char *msg = conn ? PQerrorMessage(conn) : "out of memory";
		*err = xstrdup(msg);
		size_t n = strlen(*err);
		while (n && (*err)[n - 1] == '\n')
			(*err)[--n] = '\0';
		PQfinish(conn);
		return NULL;
	}
	struct pg_db *db = xcalloc(1, sizeof(*db));
	db->conn = conn;
	db->url = xstrdup(url);
	db->generation = 1;
	return &db->base;
}

static void clear_values(struct pg_stmt *st)
{
	if (!st->values)
		return;
	for (int i = 0; i < st->nparams; i++) {
		free(st->values[i]);
		st->values[i] = NULL;
		st->lengths[i] = 0;
		st->formats[i] = 0;
	}
}

static void clear_decoded(struct pg_stmt *st)
{
	for (int i = 0; i < st->ndecoded; i++) {
		PQfreemem(st->decoded[i].bytes);
		st->decoded[i].bytes = NULL;
	}
}

static void pg_done(struct db_stmt *base)
{
	struct pg_stmt *st = PST(base);
	clear_decoded(st);
	free(st->decoded);
	st->decoded = NULL;
	st->ndecoded = 0;
	PQclear(st->res);
	st->res = NULL;
	clear_values(st);
}

static void pg_close(struct db *db)
{
	for (int b = 0; b < DB_CACHE_BUCKETS; b++) {
		struct db_stmt *st = db->cache[b];
		while (st) {
			struct db_stmt *next = st->next_cached;
			pg_done(st);
			free(PST(st)->values);
			free(PST(st)->lengths);
			free(PST(st)->formats);
			free(PST(st)->sql);
			free(st->sql);
			free(st);
			st = next;
		}
	}
	PQfinish(PDB(db)->conn);
	free(PDB(db)->url);
	free(db);
}

/* Rewrites ? placeholders to $1..$n, leaving quoted text and comments alone.
 * Returns the number of placeholders. */
static int number_placeholders(const char *sql, char **out)
{
	size_t len = strlen(sql);
	char *o = xmalloc(len * 4 + 1);
	char *w = o;
	int n = 0;
	for (const char *p = sql; *p; p++) {
		if (*p == '\'' || *p == '"') {
			char quote = *p;
			*w++ = *p++;
			while (*p && *p != quote)
				*w++ = *p++;
			if (!*p)
				break;
			*w++ = *p;
		} else if (p[0] == '-' && p[1] == '-') {
			while (*p && *p != '\n')
				*w++ = *p++;
			if (!*p)
				break;
			*w++ = *p;
		} else if (*p == '?') {
			w += sprintf(w, "$%d", ++n);
		} else {
			*w++ = *p;
		}
	}
	*w = '\0';
	*out = o;
	return n;
}

static struct db_stmt *pg_prepare(struct db *db, const char *sql)
{
	struct pg_stmt *st = xcalloc(1, sizeof(*st));
	st->nparams = number_placeholders(sql, &st->sql);
	st->values = xcalloc((size_t)st->nparams + 1, sizeof(char *));
	st->lengths = xcalloc((size_t)st->nparams + 1, sizeof(int));
	st->formats = xcalloc((size_t)st->nparams + 1, sizeof(int));
	snprintf(st->name, sizeof(st->name), "k%u", ++PDB(db)->next_name);
	return &st->base;
}

static bool pg_bind(struct db_stmt *base, const struct db_value *args, size_t n)
{
	struct pg_stmt *st = PST(base);
	if ((int)n != st->nparams)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (args[i].type == DBV_INT) {
			char num[24];
			snprintf(num, sizeof(num), "%lld", (long long)args[i].i);
			st->values[i] = xstrdup(num);
		} else if (args[i].type == DBV_TEXT) {
			st->values[i] = xstrdup(args[i].s);
		} else if (args[i].type == DBV_BLOB) {
			if (args[i].len > INT_MAX)
				return false;
			/* Never NULL, which would send SQL NULL for an empty blob. */
			st->values[i] = xmalloc(args[i].len ? args[i].len : 1);
			if (args[i].len)
				memcpy(st->values[i], args[i].s, args[i].len);
			st->lengths[i] = (int)args[i].len;
			st->formats[i] = 1;
		}
	}
	return true;
}

static bool ensure_prepared(struct pg_db *db, struct pg_stmt *st)
{
	if (st->prepared_in == db->generation)
		return true;
	PGresult *res = PQprepare(db->conn, st->name, st->sql, st->nparams, NULL);
	bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	if (ok)
		st->prepared_in = db->generation;
	else
		set_error(db, PQresultErrorMessage(res), PQresultErrorField(res, PG_DIAG_SQLSTATE));
	PQclear(res);
	return ok;
}

static int pg_step(struct db_stmt *base)
{
	struct pg_stmt *st = PST(base);
	struct pg_db *db = PDB(base->db);
	if (!st->res) {
		if (db->base.connection_lost) {
			set_error(db, "the connection to PostgreSQL was lost", "08006");
			return DB_ERROR;
		}
		if (!ensure_prepared(db, st))
			return DB_ERROR;
		st->res = PQexecPrepared(db->conn, st->name, st->nparams,
					 (const char *const *)st->values, st->lengths, st->formats, 0);
		ExecStatusType status = PQresultStatus(st->res);
		if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
			set_error(db, PQresultErrorMessage(st->res),
				  PQresultErrorField(st->res, PG_DIAG_SQLSTATE));
			PQclear(st->res);
			st->res = NULL;
			return DB_ERROR;
		}
		st->nrows = PQntuples(st->res);
		st->row = -1;
		/* INSERT … RETURNING has rows and a count; a SELECT changes nothing. */
		st->changes = strncmp(PQcmdStatus(st->res), "SELECT", 6) == 0
				      ? 0 : strtoll(PQcmdTuples(st->res), NULL, 10);
	}
	clear_decoded(st);
	if (st->row < st->nrows)
		st->row++;
	return st->row < st->nrows ? DB_ROW : DB_DONE;
}

static int64_t pg_int_col(struct db_stmt *base, int col)
{
	struct pg_stmt *st = PST(base);
	if (PQgetisnull(st->res, st->row, col))
		return 0;
	const char *v = PQgetvalue(st->res, st->row, col);
	/* Comparisons and EXISTS come back as booleans. */
	if (v[0] == 't' && v[1] == '\0')
		return 1;
	if (v[0] == 'f' && v[1] == '\0')
		return 0;
	return strtoll(v, NULL, 10);
}

static const char *pg_text_col(struct db_stmt *base, int col)
{
	struct pg_stmt *st = PST(base);
	if (PQgetisnull(st->res, st->row, col))
		return NULL;
	return PQgetvalue(st->res, st->row, col);
}

/* PostgreSQL writes a double's shortest text that reads back exactly. */
static double pg_double_col(struct db_stmt *base, int col)
{
	const char *v = pg_text_col(base, col);
	return v ? strtod(v, NULL) : 0;
}

static bool pg_null_col(struct db_stmt *base, int col)
{
	return PQgetisnull(PST(base)->res, PST(base)->row, col);
}

static const void *pg_blob_col(struct db_stmt *base, int col, size_t *len)
{
	struct pg_stmt *st = PST(base);
	*len = 0;
	if (PQgetisnull(st->res, st->row, col))
		return NULL;
	/* Other types are their text, as SQLite gives them. */
	if (PQftype(st->res, col) != BYTEAOID) {
		*len = (size_t)PQgetlength(st->res, st->row, col);
		return PQgetvalue(st->res, st->row, col);
	}
	if (!st->decoded) {
		st->ndecoded = PQnfields(st->res);
		st->decoded = xcalloc((size_t)st->ndecoded, sizeof(*st->decoded));
	}
	struct decoded *d = &st->decoded[col];
	if (!d->bytes)
		d->bytes = PQunescapeBytea((const unsigned char *)PQgetvalue(st->res, st->row, col), &d->len);
	*len = d->bytes ? d->len : 0;
	return d->bytes;
}

static bool pg_is_blob_col(struct db_stmt *base, int col)
{
	return PQftype(PST(base)->res, col) == BYTEAOID;
}

static int64_t pg_changes(struct db_stmt *base)
{
	return PST(base)->changes;
}

static bool pg_exec_script(struct db *base, const char *sql)
{
	struct pg_db *db = PDB(base);
	PGresult *res = PQexec(db->conn, sql);
	ExecStatusType status = PQresultStatus(res);
	bool ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
	if (!ok) {
		set_error(db, PQresultErrorMessage(res), PQresultErrorField(res, PG_DIAG_SQLSTATE));
		fprintf(stderr, "db: %s\n", db->error);
	}
	PQclear(res);
	return ok;
}

static int pg_col_count(struct db_stmt *base)
{
	return PQnfields(PST(base)->res);
}

static const char *pg_col_name(struct db_stmt *base, int col)
{
	return PQfname(PST(base)->res, col);
}

static bool pg_sync_ids(struct db *db, const char *table)
{
	/* Tables without a generated id get NULL from pg_get_serial_sequence,
	 * which setval (strict) turns into nothing. */
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT setval(pg_get_serial_sequence(?, 'id'), MAX(id)) FROM \"%s\"", table);
	return db_exec(db, sql, DB_ARGS(db_text(table))) >= 0;
}

/* A request's transaction waits for the write lock (and any other) at most
 * DB_LOCK_WAIT_MS, as SQLite's busy timeout makes it: someone is waiting
 * for the answer, which says to try again. The CLI's transactions (a
 * migration behind another node's) wait as long as it takes. */
static bool pg_begin(struct db *db)
{
	if (db_exec(db, "BEGIN", DB_NOARGS) < 0)
		return false;
	if ((db->in_request &&
	     db_exec(db, "SELECT set_config('lock_timeout', ?, true)", DB_ARGS(db_int(DB_LOCK_WAIT_MS))) < 0) ||
	    db_exec(db, "SELECT pg_advisory_xact_lock(?)", DB_ARGS(db_int(WRITE_LOCK_KEY))) < 0) {
		db_control(db, "ROLLBACK");
		return false;
	}
	return true;
}

static const char *pg_errmsg(struct db *db)
{
	return PDB(db)->error;
}

static bool pg_is_unique_violation(struct db *db)
{
	return strcmp(PDB(db)->sqlstate, "23505") == 0;
}

/* lock_not_available: lock_timeout ran out. */
static bool pg_is_busy(struct db *db)
{
	return strcmp(PDB(db)->sqlstate, "55P03") == 0;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/* Whether the server has closed the connection while it sat idle: it then
 * sends a goodbye and hangs up, which shows as readable input. */
static bool closed_while_idle(PGconn *conn)
{
	struct pollfd p = {.fd = PQsocket(conn), .events = POLLIN};
	if (p.fd < 0)
		return true;
	/* The goodbye and the hang-up may take more than one read to see. */
	for (int reads = 0; reads < 8 && poll(&p, 1, 0) > 0; reads++)
		if (!PQconsumeInput(conn) || PQstatus(conn) != CONNECTION_OK)
			return true;
	return false;
}

static time_t now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static bool pg_available(struct db *base)
{
	struct pg_db *db = PDB(base);
	if (!db->base.connection_lost && PQstatus(db->conn) == CONNECTION_OK && !closed_while_idle(db->conn))
		return true;
	/* While the server is down, requests are told so at once rather than
	 * each waiting for another round of tries. */
	time_t started = now_seconds();
	if (db->failed_at && started - db->failed_at < RETRY_PAUSE_S)
		return false;
	for (int attempt = 0; attempt < RECONNECT_TRIES; attempt++) {
		if (attempt) {
			if (now_seconds() - started >= 1)
				break; /* the server is slow to refuse: one try is enough */
			sleep_ms(100L << attempt);
		}
		PQreset(db->conn);
		if (PQstatus(db->conn) == CONNECTION_OK) {
			PQsetNoticeProcessor(db->conn, ignore_notice, NULL);
			db->base.connection_lost = false;
			db->failed_at = 0;
			db->generation++;
			fputs("db: reconnected to PostgreSQL\n", stderr);
			return true;
		}
	}
	set_error(db, PQerrorMessage(db->conn), "08006");
	fprintf(stderr, "db: PostgreSQL is unreachable: %s\n", db->error);
	db->failed_at = now_seconds();
	return false;
}

const struct db_backend db_postgres_backend = {
	.name = "postgres",
	.open = pg_open,
	.close = pg_close,
	.prepare = pg_prepare,
	.bind = pg_bind,
	.step = pg_step,
	.int_col = pg_int_col,
	.text_col = pg_text_col,
	.double_col = pg_double_col,
	.null_col = pg_null_col,
	.blob_col = pg_blob_col,
	.is_blob_col = pg_is_blob_col,
	.done = pg_done,
	.changes = pg_changes,
	.exec_script = pg_exec_script,
	.col_count = pg_col_count,
	.col_name = pg_col_name,
	.sync_ids = pg_sync_ids,
	.begin = pg_begin,
	.available = pg_available,
	.defer_constraints = "SET CONSTRAINTS ALL DEFERRED",
	.skip_locked = " FOR UPDATE SKIP LOCKED",
	.errmsg = pg_errmsg,
	.is_unique_violation = pg_is_unique_violation,
	.is_busy = pg_is_busy,
};
