/*
 * harness: a small library for the black-box HTTP tests. It starts a real
 * `kring serve` on a free port with a fresh database and a temporary
 * directory, creates accounts with `kring user add`, and talks to the server
 * with libcurl: each client has its own in-memory cookie jar, redirects are
 * never followed, and every response keeps its status, headers and body (and
 * the body parsed as JSON when it is JSON).
 *
 * The binary is taken from the environment variable KRING_BIN. The database
 * is a SQLite file in the temporary directory, unless KRING_TEST_PG holds the
 * base URL of a PostgreSQL server (postgres://USER@HOST:PORT, as
 * tests/pg-cluster.sh prints; USER may create databases): then each server
 * gets a database of its own there, which `psql` (found on PATH) creates and
 * drops. Set KRING_TEST_KEEP=1 to keep the temporary directories (database,
 * server.log) and the PostgreSQL databases.
 */
#ifndef KRING_TEST_HARNESS_H
#define KRING_TEST_HARNESS_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <jansson.h>

/* ---- memory ----------------------------------------------------------------
 * Strings the harness returns (cookies, CSRF tokens), clients and responses
 * are released by server_teardown, so a failed assertion leaks nothing. Do
 * not free() the strings; client_free and response_free may be called early. */

/* Registers malloc'd memory to be freed at teardown; returns p. */
void *harness_keep(void *p);
char *harness_strdup(const char *s);
char *harness_strndup(const char *s, size_t n);
void harness_release_all(void);

/* ---- the server -------------------------------------------------------- */

struct server {
	char dir[256];      /* the temporary directory */
	char db[320];       /* --db: <dir>/kring.db or KRING_TEST_PG/<pg_name> */
	char pg_name[64];   /* the PostgreSQL database to drop, or "" */
	char log_path[320]; /* <dir>/server.log */
	pid_t pid;          /* 0 when not running */
	int port;
	char origin[64];    /* http://127.0.0.1:PORT */
};

/* Whether the servers run on PostgreSQL (KRING_TEST_PG is set) rather than
 * SQLite, for a test that must differ between the two. */
bool harness_on_postgres(void);

/* Creates a temporary directory (and on PostgreSQL a new database) and starts
 * `kring serve` on them; waits (at most 10 s) for the "listening on
 * http://127.0.0.1:PORT" line. Returns 0, or -1 after printing why (and the
 * log). */
int server_start(struct server *s);
/* The first half of server_start: the temporary directory and a fresh,
 * empty database (s->db), for commands run against it before or instead of
 * a server. server_cleanup removes both. */
int server_prepare(struct server *s);
/* Starts `kring serve --db db` on a database that exists and outlives the
 * server (server_cleanup leaves it), without waiting: several servers can
 * start at once. server_wait_ready then waits for it as server_start does;
 * it returns 0, or -1 after printing why (the server is then stopped). */
int server_start_on(struct server *s, const char *db);
int server_wait_ready(struct server *s);
/* Sends SIGTERM and waits at most timeout_s seconds, then SIGKILL. Returns the
 * wait status (as from waitpid), or -1 when the process had to be killed. */
int server_stop(struct server *s, int timeout_s);
/* Drops the PostgreSQL database, even while a server still uses it, and
 * removes the temporary directory (neither when KRING_TEST_KEEP is set).
 * Returns 0, or -1 when the database could not be dropped. */
int server_cleanup(struct server *s);
/* The whole server log, NUL-terminated; the caller frees it. */
char *server_log(const struct server *s);
/* Whether one line of the log contains every one of the NULL-terminated
 * strings; waits up to wait_ms for it to appear (the log is written by
 * another process). */
bool server_log_has_line(const struct server *s, int wait_ms, const char *const *needles);
/* Prints the last bytes of the log to stderr (for failure messages). */
void server_log_dump(const struct server *s, size_t tail);

/* cmocka fixtures: *state becomes a started struct server. The teardown
 * stops it and fails the test when the server did not exit cleanly with
 * status 0, its log shows a sanitizer report or its database could not be
 * dropped. */
int server_setup(void **state);
int server_teardown(void **state);
/* server_setup on a database that tells letters from other characters by
 * Unicode: on PostgreSQL its character type (LC_CTYPE) is C.UTF-8, as in a
 * cluster made in a UTF-8 locale, whose text search parser takes some marks
 * for separators and lower-cases by Unicode (for the cluster's own type, C,
 * every character beyond ASCII is a letter of no case). On SQLite the same
 * as server_setup. */
int unicode_server_setup(void **state);

/* ---- the database ---------------------------------------------------------
 * Tests reach the server's database from outside with its own client (psql
 * found on PATH, or sqlite3) through these alone. */

/* Runs SQL (statements separated by ";") on the server's database; the
 * server is told its cache is stale, and the call returns once a visitor's
 * page shows it (beside_the_server). Fails the test when a statement
 * fails. */
void run_sql(const struct server *s, const char *sql);
/* Waits until what was written beside the server (SQL, a command) shows in
 * a visitor's cached pages: the server reads the changed scopes at most
 * 100 ms after the last time (src/http/cache.h); a member's pages show it
 * at once. */
void beside_the_server(void);
/* Waits (at most 20 s) until the server's jobs that are due by the test
 * clock (or the system clock without one) are done; fails the test when
 * they are not, or when a job has reported an error. */
void jobs_settle(const struct server *s);
/* The rows a query gives, as both clients print them: one a line, columns
 * separated by "|" (held until teardown). Changes nothing. */
const char *sql_rows(const struct server *s, const char *sql);
/* Every row of the database as its client dumps it (malloc'd), so that two
 * dumps of the same rows are equal: PostgreSQL's sequence positions (a
 * rolled-back insert uses up its id, as it is meant to) and the random key
 * pg_dump marks its output with are left out. Fails the test when it
 * cannot. */
char *database_dump(const struct server *s);

/* Another connection holding the server's write lock, as a long write of
 * another process would: sqlite3 in a write transaction (BEGIN IMMEDIATE),
 * or psql holding kring's advisory lock. write_lock_hold returns once it
 * holds it (and fails the test when it cannot); write_lock_release lets it
 * go, as server_teardown does for a lock still held. */
struct write_lock;
struct write_lock *write_lock_hold(const struct server *s);
void write_lock_release(struct write_lock *l);

/* ---- the test clock ------------------------------------------------------ */

/* While a test clock runs, the servers and commands started read the time
 * from its file (KRING_CLOCK_FILE) instead of the system clock, and the test
 * moves it: what happens "later" needs no waiting. server_teardown stops it. */
/* Starts a test clock at t (seconds since 1970); fails the test when it
 * cannot. */
void test_clock_start(int64_t t);
/* The test clock's time, and setting or moving it. */
int64_t test_clock_now(void);
void test_clock_set(int64_t t);
void test_clock_advance(int64_t seconds);
/* Removes its file; what starts afterwards uses the system clock. */
void test_clock_stop(void);
/* server_setup with a test clock started at the system clock's time. */
int clock_server_setup(void **state);

/* Runs `kring user add HANDLE --email E --name N [ROLE_FLAG] --password-stdin
 * --db s->db` with the password on stdin. role_flag is NULL, "--admin" or
 * "--moderator". Returns the command's exit status (0 is success). */
int kring_user_add(const struct server *s, const char *handle, const char *email,
		   const char *name, const char *role_flag, const char *password);

/* Runs `[env] $KRING_BIN args` through the shell (args as printf makes
 * them from fmt, quoted for the shell) in the directory dir (NULL: the
 * test's own), with stdin_text (NULL: nothing) on its standard input.
 * *output gets what it printed on standard output and standard error (held
 * until teardown: do not free it); returns its exit status, or -1 when it
 * did not exit. Fails the test when it cannot run. */
int kring_command(char **output, const char *dir, const char *stdin_text, const char *env, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* ---- clients and responses ---------------------------------------------- */

struct client {
	CURL *curl;
	const struct server *srv;
	char *bearer; /* sent as Authorization: Bearer when set */
};

struct resp_header {
	char *name, *value;
};

struct response {
	char method[16];
	char *path;
	long status;
	char *body;
	size_t body_len;
	struct resp_header *headers;
	size_t nheaders, cap_headers;
	json_t *json; /* the body parsed, when it parses as JSON; else NULL */
	CURLcode curl_error;
};

struct client *client_new(const struct server *s);
void client_free(struct client *c);
void client_set_bearer(struct client *c, const char *token);
/* The value of a cookie in the client's jar, or NULL. */
char *client_cookie(struct client *c, const char *name);
/* Puts a cookie for the server's host into the client's jar. */
void client_put_cookie(struct client *c, const char *name, const char *value);

/* One request. headers is a NULL-terminated list of "Name: value" strings
 * (or NULL). body may be NULL; when content_type is set it is sent as the
 * Content-Type. Never follows redirects. */
struct response *http_request(struct client *c, const char *method, const char *path,
			      const char *const *headers, const char *body, size_t body_len,
			      const char *content_type);
struct response *http_get(struct client *c, const char *path, const char *const *headers);
/* fields: NULL-terminated name, value, name, value, …; values are escaped
 * with curl_easy_escape and sent as application/x-www-form-urlencoded. */
struct response *http_post_form(struct client *c, const char *path, const char *const *fields,
				const char *const *headers);
/* The form body text for fields (malloc'd). */
char *form_encode(const char *const *fields);
struct response *http_post_json(struct client *c, const char *path, const char *json,
				const char *const *headers);
/* Serialises (and takes ownership of) a jansson value and posts it. */
struct response *http_post_jsonv(struct client *c, const char *path, json_t *value,
				 const char *const *headers);
void response_free(struct response *r);
/* Sends n (at most 64) identical JSON posts at once, each on its own fresh
 * connection without cookies, and stores their statuses (0 for no answer).
 * Returns how many got an answer. */
int http_parallel_post_json(const struct server *s, const char *path, const char *json, int n,
			    long *statuses);

/* The first header of that name (case-insensitive), or NULL. */
const char *response_header(const struct response *r, const char *name);
/* Whether the answer came from the page cache: its X-Kring-Cache header
 * ("hit" or "miss"), "none" when it has none. */
const char *cache_state(const struct response *r);
/* The Set-Cookie header that sets cookie `name`, or NULL. */
const char *response_set_cookie(const struct response *r, const char *name);
/* A string found by a dotted path ("error.code") in the JSON body, or NULL. */
const char *response_jstr(const struct response *r, const char *path);
/* The JSON value at a dotted path, or NULL. */
json_t *json_path(json_t *root, const char *path);

/* ---- pages ---------------------------------------------------------------- */

/* The CSRF token of an HTML page: the value of the hidden input named
 * "csrf", else the content of <meta name="csrf-token">, or NULL. */
char *html_csrf(const char *html);
/* Only the <meta name="csrf-token"> content, or NULL. */
char *html_meta_csrf(const char *html);
/* GETs path and returns its CSRF token, or NULL. */
char *page_csrf(struct client *c, const char *path);

/* Case-insensitive substring search. */
const char *strcasestr_portable(const char *haystack, const char *needle);

/* ---- account flows ---------------------------------------------------------- */

/* JSON sign-up (POST /api/v1/signup) from a fresh client of the same server
 * (so c's cookies are untouched), accepting the code of conduct when the
 * site has one; returns the new member's id, or 0. */
int64_t api_signup(struct client *c, const char *handle, const char *password);
/* JSON sign-up with these fields; returns the POST response. */
struct response *json_signup(struct client *c, const char *handle, const char *name,
			     const char *email, const char *password);
/* HTML sign-up through the form; returns the POST response. */
struct response *html_signup(struct client *c, const char *handle, const char *name,
			     const char *email, const char *password);
/* HTML log-in through the form (GET /login for the token, then POST). */
struct response *html_login(struct client *c, const char *login, const char *password);
/* JSON log-in (POST /api/v1/login). */
struct response *api_login(struct client *c, const char *login, const char *password);
/* A client signed in (through the HTML form) as a new member created with
 * api_signup; *id gets the member's id when id is not NULL. */
struct client *signed_in_client(const struct server *s, const char *handle, int64_t *id);

/* GET /api/v1/me answers 200 and its key ("handle", "name", "role")
 * holds value. */
void assert_me(struct client *c, const char *key, const char *value);
/* GET /api/v1/me answers 401: nobody is signed in. */
void assert_signed_out(struct client *c);

/* The password every helper uses. */
#define TEST_PASSWORD "correct horse battery"

/* ---- assertions ------------------------------------------------------------ */

void harness_fail_response(const struct response *r, const char *file, int line,
			   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#define assert_status(resp, code)                                                       \
	do {                                                                            \
		const struct response *r_ = (resp);                                     \
		long want_ = (code);                                                    \
		if (r_->status != want_)                                                \
			harness_fail_response(r_, __FILE__, __LINE__,                   \
					      "status %ld, expected %ld", r_->status,   \
					      want_);                                   \
	} while (0)

/* status and {"error":{"code":CODE}} */
#define assert_error(resp, code_status, code_text)                                      \
	do {                                                                            \
		const struct response *r_ = (resp);                                     \
		const char *c_ = response_jstr(r_, "error.code");                       \
		if (r_->status != (code_status) || !c_ || strcmp(c_, (code_text)) != 0) \
			harness_fail_response(r_, __FILE__, __LINE__,                   \
					      "expected %d with error code \"%s\"; got " \
					      "%ld, code %s",                           \
					      (int)(code_status), (code_text),          \
					      r_->status, c_ ? c_ : "(none)");          \
	} while (0)

#define assert_body_contains(resp, needle)                                              \
	do {                                                                            \
		const struct response *r_ = (resp);                                     \
		const char *n_ = (needle);                                              \
		if (!r_->body || !strstr(r_->body, n_))                                 \
			harness_fail_response(r_, __FILE__, __LINE__,                   \
					      "body lacks \"%s\"", n_);                 \
	} while (0)

#define assert_body_lacks(resp, needle)                                                 \
	do {                                                                            \
		const struct response *r_ = (resp);                                     \
		const char *n_ = (needle);                                              \
		if (r_->body && strstr(r_->body, n_))                                   \
			harness_fail_response(r_, __FILE__, __LINE__,                   \
					      "body contains \"%s\"", n_);              \
	} while (0)

/* The header exists and contains needle (case-insensitive). */
#define assert_header_contains(resp, hname, needle)                                     \
	do {                                                                            \
		const struct response *r_ = (resp);                                     \
		const char *h_ = response_header(r_, (hname));                          \
		if (!h_ || !strcasestr_portable(h_, (needle)))                          \
			harness_fail_response(r_, __FILE__, __LINE__,                   \
					      "header %s is \"%s\", expected it to "    \
					      "contain \"%s\"",                         \
					      (hname), h_ ? h_ : "(missing)", (needle)); \
	} while (0)

/* A string at a dotted path of the JSON body equals expected. */
#define assert_jstr(resp, jpath, expected)                                              \
	do {                                                                            \
		const struct response *r_ = (resp);                                     \
		const char *v_ = response_jstr(r_, (jpath));                            \
		const char *e_ = (expected);                                            \
		if (!v_ || strcmp(v_, e_) != 0)                                         \
			harness_fail_response(r_, __FILE__, __LINE__,                   \
					      "JSON %s is \"%s\", expected \"%s\"",       \
					      (jpath), v_ ? v_ : "(missing)", e_);      \
	} while (0)

/* A header equals expected exactly. */
#define assert_header_equal(resp, hname, expected)                                      \
	do {                                                                            \
		const struct response *r_ = (resp);                                     \
		const char *h_ = response_header(r_, (hname));                          \
		const char *e_ = (expected);                                            \
		if (!h_ || strcmp(h_, e_) != 0)                                         \
			harness_fail_response(r_, __FILE__, __LINE__,                   \
					      "header %s is \"%s\", expected \"%s\"",     \
					      (hname), h_ ? h_ : "(missing)", e_);      \
	} while (0)

#define STRS(...) ((const char *const[]){__VA_ARGS__, NULL})

#endif
