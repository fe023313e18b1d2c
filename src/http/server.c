/*
 * server: libmicrohttpd glue. A request is collected (headers, then the body
 * up to the size limit), dispatched through the route table with its checks
 * (authentication, roles, CSRF, declared fields, UTF-8), answered from the
 * handler's view model, and logged in one line when complete.
 */
#include "http/server.h"

#include "auth/account_states.h"
#include "auth/apitoken.h"
#include "auth/csrf.h"
#include "auth/policy.h"
#include "auth/session.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/mem.h"
#include "core/text.h"
#include "db/db.h"
#include "http/body.h"
#include "http/cache.h"
#include "http/deadline.h"
#include "http/multipart.h"
#include "http/req.h"
#include "http/router.h"
#include "http/static.h"
#include "i18n/i18n.h"
#include "jobs/events.h"
#include "jobs/jobs.h"
#include "render/render.h"
#include "render/template.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define API_PREFIX "/api/v1"
#define MAX_DB_CONNECTIONS 256

static atomic_bool shutting_down;

/* ---- one database connection per worker thread ------------------------- */

static _Thread_local struct db *thread_db;
static struct db *all_dbs[MAX_DB_CONNECTIONS];
static int ndbs;
static pthread_mutex_t dbs_lock = PTHREAD_MUTEX_INITIALIZER;

struct db *server_thread_db(void)
{
	if (thread_db)
		return thread_db;
	struct db *db = db_open_logged(config.db);
	if (!db)
		return NULL;
	pthread_mutex_lock(&dbs_lock);
	if (ndbs < MAX_DB_CONNECTIONS)
		all_dbs[ndbs++] = db;
	pthread_mutex_unlock(&dbs_lock);
	thread_db = db;
	return db;
}

static void close_all_dbs(void)
{
	pthread_mutex_lock(&dbs_lock);
	for (int i = 0; i < ndbs; i++)
		db_close(all_dbs[i]);
	ndbs = 0;
	pthread_mutex_unlock(&dbs_lock);
}

/* ---- reading input ----------------------------------------------------- */

static uint64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static enum MHD_Result collect_query(void *cls, enum MHD_ValueKind kind, const char *key,
				     const char *value)
{
	(void)kind;
	struct req *r = cls;
	params_add(&r->arena, &r->query, arena_strdup(&r->arena, key),
		   arena_strdup(&r->arena, value ? value : ""));
	return MHD_YES;
}

/* Set once a request with X-Forwarded-For has been warned about. */
static atomic_bool forwarded_warned;

static const char *client_address(struct req *r)
{
	/* Behind a proxy without --trust-proxy every client has the proxy's
	 * address, and the sign-in limits hold for all of them at once. */
	if (!config.trust_proxy && req_header(r, "X-Forwarded-For") &&
	    !atomic_exchange(&forwarded_warned, true))
		fprintf(stderr, "kring: warning: requests carry X-Forwarded-For but --trust-proxy is off, so every "
				"client seems to come from the proxy's address; start kring with --trust-proxy "
				"behind a proxy you control\n");
	if (config.trust_proxy) {
		/* The proxy appends the address it saw last. */
		const char *xff = req_header(r, "X-Forwarded-For");
		if (xff && *xff) {
			const char *last = strrchr(xff, ',');
			char *ip = arena_strdup(&r->arena, last ? last + 1 : xff);
			return text_trim(ip);
		}
	}
	const union MHD_ConnectionInfo *info =
		MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char text[INET6_ADDRSTRLEN] = "unknown";
	if (info && info->client_addr) {
		const struct sockaddr *sa = info->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, text, sizeof(text));
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, text, sizeof(text));
	}
	return arena_strdup(&r->arena, text);
}

/* ---- checks before a handler runs -------------------------------------- */

static bool all_utf8(const struct params *p)
{
	for (size_t i = 0; i < p->count; i++)
		if (!utf8_valid(p->items[i].name, strlen(p->items[i].name)) ||
		    !utf8_valid(p->items[i].value, strlen(p->items[i].value)))
			return false;
	return true;
}

static bool field_declared(const char *fields, const char *name)
{
	return strcmp(name, "csrf") == 0 || router_field_allowed(fields, name);
}

static const char *unknown_field(const char *fields, const struct params *p)
{
	for (size_t i = 0; i < p->count; i++)
		if (!field_declared(fields, p->items[i].name))
			return p->items[i].name;
	return NULL;
}

/* Names listed in the API's ignored-parameters header; the rest are left
 * out of it. */
#define IGNORED_HEADER_MAX 1024

/* A shared link often carries parameters of its own (utm_source, fbclid,
 * ref): a GET drops the query parameters its route does not declare before
 * anything else sees them, so they neither reach the handler nor make
 * entries of their own in the page cache. The API names them, URL-encoded,
 * in X-Kring-Ignored-Parameters. */
static void drop_undeclared_query(struct req *r)
{
	struct buf ignored = {0};
	size_t kept = 0;
	for (size_t i = 0; i < r->query.count; i++) {
		const char *name = r->query.items[i].name;
		if (field_declared(r->fields, name)) {
			r->query.items[kept++] = r->query.items[i];
			continue;
		}
		struct buf one = {0};
		buf_put_url(&one, name);
		if (one.len && ignored.len + one.len + 2 <= IGNORED_HEADER_MAX) {
			if (ignored.len)
				buf_puts(&ignored, ", ");
			buf_append(&ignored, one.data ? one.data : "", one.len);
		}
		buf_free(&one);
	}
	r->query.count = kept;
	if (r->api && ignored.len)
		req_add_header(r, "X-Kring-Ignored-Parameters", arena_strndup(&r->arena, ignored.data, ignored.len));
	buf_free(&ignored);
}

/* The form the person sent, shown again with broken bytes replaced. */
static json_t *form_echo(struct req *r)
{
	json_t *values = json_object();
	for (size_t i = 0; i < r->body.count; i++) {
		const char *name = r->body.items[i].name, *value = r->body.items[i].value;
		size_t nlen = strlen(name), vlen = strlen(value);
		char *n = arena_alloc(&r->arena, 3 * nlen + 1), *v = arena_alloc(&r->arena, 3 * vlen + 1);
		utf8_repair(n, name, nlen);
		utf8_repair(v, value, vlen);
		if (strcmp(n, "csrf") != 0)
			json_object_set_new(values, n, json_string(v));
	}
	return json_pack("{s:o}", "values", values);
}

static bool is_json_body(struct req *r)
{
	const char *ct = req_header(r, MHD_HTTP_HEADER_CONTENT_TYPE);
	return ct && strncmp(ct, "application/json", 16) == 0;
}

static bool check_csrf(struct req *r)
{
	const char *given = req_param(r, "csrf");
	if (!given)
		given = req_header(r, "X-CSRF-Token");
	struct csrf_request c = {
		.bearer = r->auth == AUTH_TOKEN,
		.expected = r->auth == AUTH_SESSION ? r->csrf : req_cookie(r, ANON_CSRF_COOKIE),
		.given = given,
		.json_body = is_json_body(r) && r->auth == AUTH_NONE,
		.origin = req_header(r, "Origin"),
		.host = req_header(r, MHD_HTTP_HEADER_HOST),
	};
	return csrf_check(&c) == CSRF_OK;
}

/* Signed-out visitors get a token of their own for the forms they see. */
static void ensure_anonymous_csrf(struct req *r)
{
	const char *cookie = req_cookie(r, ANON_CSRF_COOKIE);
	if (cookie && strlen(cookie) == CSRF_TOKEN_CHARS) {
		r->csrf = arena_strdup(&r->arena, cookie);
		return;
	}
	char token[CSRF_TOKEN_CHARS + 1];
	csrf_new_token(token);
	r->csrf = arena_strdup(&r->arena, token);
	if (!r->api)
		req_set_cookie(r, ANON_CSRF_COOKIE, r->csrf, 24 * 3600);
}

/* The fields and files of a multipart form; files only where the route
 * takes them. How many bytes they may hold together (--max-upload) is
 * checked where they are read (features/files.c), which names the file
 * that is too large; the body as a whole is bounded before it is read. */
static bool read_multipart(struct req *r, const char *boundary)
{
	if (!multipart_parse(&r->arena, boundary, r->upload.data, r->upload.len, &r->body, &r->files)) {
		req_fail(r, 400, "bad_form", N_("The form data is malformed."));
		return false;
	}
	for (size_t i = 0; i < r->files.count; i++) {
		const struct upload *f = &r->files.items[i];
		if (router_field_kind(r->fields, f->field) != FIELD_FILE) {
			req_fail(r, 400, "unknown_field", N_("The request has a field this address does not accept."));
			r->error.field = f->field;
			return false;
		}
	}
	return true;
}

static bool read_body(struct req *r)
{
	if (r->upload.len == 0)
		return true;
	if (!utf8_valid(r->upload.data, r->upload.len) && is_json_body(r)) {
		req_fail(r, 400, "bad_encoding", N_("The request contains text that is not valid UTF-8."));
		return false;
	}
	if (is_json_body(r)) {
		const char *bad_key = NULL;
		if (!body_parse_json(&r->arena, r->upload.data, r->upload.len, r->fields, &r->body,
				     &bad_key)) {
			req_fail(r, 400, "bad_json", bad_key ? N_("A field has a value of the wrong type.")
							    : N_("The request body is not a valid JSON object."));
			r->error.field = bad_key;
			return false;
		}
		return true;
	}
	const char *ct = req_header(r, MHD_HTTP_HEADER_CONTENT_TYPE);
	const char *boundary = multipart_boundary(&r->arena, ct);
	if (boundary)
		return read_multipart(r, boundary);
	if (ct && strncmp(ct, "application/x-www-form-urlencoded", 33) != 0) {
		req_fail(r, 415, "unsupported_media_type",
			 N_("Send forms as application/x-www-form-urlencoded, multipart/form-data or JSON."));
		return false;
	}
	if (!body_parse_form(&r->arena, r->upload.data, r->upload.len, &r->body)) {
		req_fail(r, 400, "bad_form", N_("The form data is malformed."));
		return false;
	}
	return true;
}

static void identify(struct req *r)
{
	if (r->api && req_header(r, MHD_HTTP_HEADER_AUTHORIZATION)) {
		if (!apitoken_authenticate(r))
			req_fail(r, 401, "invalid_token", N_("The API token is not valid."));
	} else {
		session_resume(r);
	}
	account_states_at(r->user, r->now);
	if (r->auth != AUTH_SESSION)
		ensure_anonymous_csrf(r);
	if (r->user && r->user->locale) {
		int l = i18n_locale_index(r->user->locale);
		if (l >= 0)
			r->locale = l;
	}
}

/* A GET of a page anyone may ask for is answered from the cache when it
 * can be; otherwise r->cache_key says the answer may be kept once rendered.
 * A member's pages are kept under their id: what they see depends on who
 * they are, and changes to that (a membership, a role) are writes too.
 * Pages only for members (settings, tokens, admin) show things of the
 * session itself and are never kept. */
static bool serve_from_cache(struct req *r)
{
	if (!cache_enabled() ||
	    (r->route->flags & (ROUTE_AUTH | ROUTE_ADMIN | ROUTE_JSON)) ||
	    (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0))
		return false;
	/* A member's request reads what other nodes wrote: members see their
	 * own writes through any node. */
	r->cache_generation = cache_refresh(r->db, r->user != NULL);
	if (r->cache_generation < 0)
		return false;
	struct buf key = {0};
	/* Pages also change as time passes (a verification lapses): none is
	 * kept past the hour it was made in. */
	/* A suspended member's pages say so (until the suspension ends,
	 * which may be within the hour). */
	buf_printf(&key, "%c%d u%lld%s h%lld %s?", r->api ? 'J' : 'H', r->locale,
		   (long long)(r->user ? r->user->id : 0), r->user && r->user->suspended_until ? "s" : "",
		   (long long)(r->now / 3600), r->path);
	for (size_t i = 0; i < r->query.count; i++) {
		buf_put_url(&key, r->query.items[i].name);
		buf_putc(&key, '=');
		buf_put_url(&key, r->query.items[i].value);
		buf_putc(&key, '&');
	}
	r->cache_key = arena_strndup(&r->arena, key.data, key.len);
	buf_free(&key);
	const char *content_type;
	if (!cache_lookup(r->cache_key, r->csrf, &r->body_out, &content_type))
		return false;
	r->status = 200;
	r->content_type = content_type;
	r->cache_key = NULL;
	req_add_header(r, "X-Kring-Cache", "hit");
	return true;
}

/* The scopes a kept answer shows: the page's own and, on a member's page,
 * the member's own scope, since every page of theirs shows their count of
 * notifications (features/notifications.h). A page that names no scopes
 * (or more than a page may) shows everything and stays so. */
static size_t kept_scopes(struct req *r)
{
	if (r->ncache_scopes == 0 || r->ncache_scopes > CACHE_MAX_SCOPES)
		return 0;
	if (r->user)
		r->cache_scopes[r->ncache_scopes++] = (struct cache_scope){CACHE_SCOPE_MEMBER, r->user->id};
	return r->ncache_scopes;
}

/* Drops whatever the handler answered: after a database failure nothing
 * it made (a page, a redirect, a cookie) stands. */
static void discard_answer(struct req *r)
{
	json_decref(r->error.fields);
	r->error.fields = NULL;
	json_decref(r->model);
	r->model = NULL;
	r->redirect = NULL;
	r->cache_key = NULL;
	r->nheaders = 0;
	r->content_type = NULL;
}

/* The database could not do the request now (the connection broke, or
 * another writer held the write lock longer than a request waits for it):
 * the same request will likely go through in a moment. */
static void fail_try_again(struct req *r, const char *code, const char *msgid)
{
	discard_answer(r);
	req_fail(r, 503, code, msgid);
	req_add_header(r, "Retry-After", "5");
}

static void fail_unavailable(struct req *r)
{
	fail_try_again(r, "unavailable", N_("The database is not available. Try again shortly."));
}

/* KRING_FAULT_INJECTION=1 (tests only): a request's header
 * X-Kring-Fail-Statement: N makes its Nth statement fail as a database
 * error, and an answer to such a request says X-Kring-Fault: injected
 * when it did. */
static bool fault_injection;

static int64_t statement_to_fail(struct req *r)
{
	const char *n = fault_injection ? req_header(r, "X-Kring-Fail-Statement") : NULL;
	return n ? strtoll(n, NULL, 10) : 0;
}

/* Ends the transaction of a write: committed when the handler succeeded;
 * rolled back, with all it wrote (posting-limit counts and events
 * included), when it did not. The events it recorded made the pages cached
 * before it stale (the cache's subscriber, src/subscribers.c); a write that
 * recorded none and named no scopes itself (cache_changed) makes every page
 * stale here. events_before is the thread's count of
 * recorded events before the handler ran. */
static void end_write(struct req *r, int64_t events_before)
{
	db_finish_statements(r->db);
	bool ok = !r->error.set && r->status < 400 && !db_failed(r->db);
	/* A session's own changes (sign-in, sign-out) show on no shared page;
	 * a write that said what it changed has made that stale itself. */
	if (ok && !(r->route->flags & ROUTE_SESSION) && events_recorded() == events_before && !cache_changed())
		ok = cache_invalidate(r->db);
	if (ok && db_commit(r->db)) {
		cache_commit();
	} else {
		db_rollback(r->db);
		cache_rollback();
	}
}

/* After a failed statement the request wrote nothing (its transaction was
 * rolled back) and it says so, whatever the handler made of the failure:
 * 503 when the connection broke or the write lock was not to be had, 500
 * otherwise. */
static void end_database_use(struct req *r)
{
	/* Whatever the handler made of a broken connection (or however early
	 * the request stopped on it), the person is told plainly that nothing
	 * may have been saved. */
	if (db_connection_lost(r->db))
		fail_unavailable(r);
	else if (db_busy(r->db))
		fail_try_again(r, "busy", N_("The database is busy. Try again shortly."));
	else if (db_failed(r->db)) {
		discard_answer(r);
		req_fail_internal(r);
	}
	if (db_request_fault_fired(r->db))
		req_add_header(r, "X-Kring-Fault", "injected");
	db_request_end(r->db);
}

static void dispatch(struct req *r)
{
	r->now = clock_now(); /* the one time the whole request reasons with */
	r->locale = i18n_negotiate(req_header(r, MHD_HTTP_HEADER_ACCEPT_LANGUAGE));
	if (strncmp(r->path, "/static/", 8) == 0 &&
	    (strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0)) {
		if (!static_serve(r, r->path + 8))
			req_fail(r, 404, "not_found", N_("There is no such page."));
		return;
	}
	if (strncmp(r->path, API_PREFIX, strlen(API_PREFIX)) == 0 &&
	    (r->path[strlen(API_PREFIX)] == '/' || r->path[strlen(API_PREFIX)] == '\0')) {
		r->api = true;
		r->path = r->path[strlen(API_PREFIX)] ? r->path + strlen(API_PREFIX) : "/";
	} else {
		const char *accept = req_header(r, MHD_HTTP_HEADER_ACCEPT);
		r->api = accept && strncmp(accept, "application/json", 16) == 0;
	}

	struct route_match m;
	if (!router_match(routes, routes_count, r->method, r->path, &m)) {
		if (m.method_mismatch) {
			req_fail(r, 405, "method_not_allowed", N_("This address does not accept that method."));
			req_add_header(r, "Allow", arena_strdup(&r->arena, m.allow));
		} else
			req_fail(r, 404, "not_found", N_("There is no such page."));
		return;
	}
	r->route = m.route;
	r->fields = m.route->flags & ROUTE_KIND_FIELDS
		    ? arena_printf(&r->arena, "%s,%s", m.route->fields, item_kind_fields()) : m.route->fields;
	r->template = m.route->template;
	r->api |= (m.route->flags & ROUTE_JSON) != 0;
	for (int i = 0; i < m.nparams; i++)
		params_add(&r->arena, &r->path_params,
			   arena_strndup(&r->arena, m.params[i].name, m.params[i].name_len),
			   arena_strndup(&r->arena, m.params[i].value, m.params[i].value_len));

	r->db = server_thread_db();
	if (!r->db || !db_available(r->db)) {
		r->db = NULL;
		fail_unavailable(r);
		return;
	}
	db_request_start(r->db, strcmp(r->method, "POST") == 0, statement_to_fail(r));
	identify(r);
	if (r->error.set)
		return;

	if (r->upload_too_large) {
		req_fail(r, 413, "too_large", N_("The request is larger than this site accepts."));
		return;
	}
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, collect_query, r);
	if (strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0)
		drop_undeclared_query(r);
	if (!read_body(r))
		return;
	if (!all_utf8(&r->query) || !all_utf8(&r->body) || !all_utf8(&r->path_params)) {
		req_fail(r, 400, "bad_encoding", N_("The request contains text that is not valid UTF-8."));
		if (!r->api && strcmp(r->method, "POST") == 0)
			r->model = form_echo(r);
		return;
	}
	const char *unknown = unknown_field(r->fields, &r->query);
	if (!unknown)
		unknown = unknown_field(r->fields, &r->body);
	if (unknown) {
		req_fail(r, 400, "unknown_field", N_("The request has a field this address does not accept."));
		r->error.field = unknown;
		return;
	}

	/* The policy's word on the route as a whole: signed in for a route for
	 * members, an admin for one for admins, a member who may write for a
	 * POST (a suspended member only changes their own account). */
	enum policy_verdict allowed = policy_route(r->user, m.route->flags, strcmp(r->method, "POST") == 0);
	if (allowed == POLICY_SIGN_IN) {
		if (r->api) {
			req_fail(r, 401, "unauthorized", N_("Please sign in first."));
		} else {
			struct buf next = {0};
			buf_put_url(&next, r->url);
			r->redirect = arena_printf(&r->arena, "/login?next=%s", next.data);
			buf_free(&next);
		}
		return;
	}
	if (allowed != POLICY_ALLOW) {
		policy_refuse(r, allowed, N_("You do not have permission to do that."),
			      N_("You do not have permission to do that."));
		return;
	}
	if (strcmp(r->method, "POST") == 0 && !(r->route->flags & ROUTE_ONE_CLICK) && !check_csrf(r)) {
		req_fail(r, 403, "csrf_failed",
			 N_("This form has expired or did not come from this site. Check it and send it again."));
		/* The form comes back with what was typed and a fresh token. */
		if (!r->api)
			r->model = form_echo(r);
		return;
	}

	if (serve_from_cache(r))
		return;
	int headers_before = r->nheaders;
	/* Every write is one transaction: all of it is saved, or none. */
	bool write = strcmp(r->method, "POST") == 0;
	if (write && !db_begin(r->db))
		return;
	int64_t events_before = events_recorded();
	r->model = m.route->handler(r);
	if (write)
		end_write(r, events_before);
	db_finish_statements(r->db);
	/* An answer with headers of its own (a cookie, a redirect) is not
	 * everyone's answer. */
	if (r->nheaders != headers_before)
		r->cache_key = NULL;
}

/* ---- answering --------------------------------------------------------- */

static const char *const security_headers[][2] = {
	{"Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; "
				    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"},
	{"X-Content-Type-Options", "nosniff"},
	{"Referrer-Policy", "same-origin"},
	{"X-Frame-Options", "DENY"},
};

static enum MHD_Result send_answer(struct req *r)
{
	struct MHD_Response *resp;
	if (r->static_body && r->status == 200) {
		r->bytes_sent = r->static_len;
		resp = MHD_create_response_from_buffer(r->static_len, (void *)r->static_body,
						       MHD_RESPMEM_PERSISTENT);
	} else {
		size_t len = r->body_out.len;
		r->bytes_sent = len;
		char *body = buf_take(&r->body_out);
		resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	}
	for (size_t i = 0; i < sizeof(security_headers) / sizeof(security_headers[0]); i++)
		MHD_add_response_header(resp, security_headers[i][0], security_headers[i][1]);
	if (config.secure_cookies)
		MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
	if (r->content_type)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->content_type);
	bool cache_set = false;
	for (int i = 0; i < r->nheaders; i++) {
		MHD_add_response_header(resp, r->headers[i].name, r->headers[i].value);
		cache_set |= strcmp(r->headers[i].name, "Cache-Control") == 0;
	}
	if (!cache_set)
		MHD_add_response_header(resp, "Cache-Control", "private, no-cache");
	if (atomic_load(&shutting_down))
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
	enum MHD_Result ret = MHD_queue_response(r->conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* Answers a request as soon as its headers are in, before any body is read
 * and before dispatch; the connection is closed after the answer (an
 * answer queued before the body tells libmicrohttpd to close it too). */
static enum MHD_Result answer_early(struct req *r, int status, const char *code, const char *msgid)
{
	r->locale = i18n_negotiate(MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
								MHD_HTTP_HEADER_ACCEPT_LANGUAGE));
	r->api = strncmp(r->url, API_PREFIX, strlen(API_PREFIX)) == 0;
	r->csrf = "";
	req_fail(r, status, code, msgid);
	req_add_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
	render_response(r);
	return send_answer(r);
}

/* The most query parameters a request may have, and the longest address
 * with a query; no page takes nearly so many, and proxies refuse longer
 * request lines. libmicrohttpd keeps each parameter in the connection's
 * memory, next to the request line, and when that runs out while it parses
 * them it leaves the connection without an answer until the timeout. So
 * the URI is looked at before it is parsed (libmicrohttpd hands the
 * logging callback the buffer it parses next): a query over either limit
 * is cut off there, and the request is marked to be answered 414. */
#define MAX_QUERY_PARAMS 200
#define MAX_URI_BYTES 8192

static char query_cut_off; /* the *con_cls of such a request */

static void *check_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	(void)cls;
	(void)conn;
	char *query = strchr(uri, '?');
	if (!query)
		return NULL;
	size_t params = 1;
	for (const char *p = query + 1; *p; p++)
		params += *p == '&';
	if (params <= MAX_QUERY_PARAMS && strlen(uri) <= MAX_URI_BYTES)
		return NULL;
	query[1] = '\0';
	return &query_cut_off;
}

static enum MHD_Result count_length(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	(void)value;
	if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0)
		(*(int *)cls)++;
	return MHD_YES;
}

/* The message for a request that says more than once where its body
 * ends, or NULL. Both framings at once, or two lengths, is how a request
 * is smuggled past a proxy that reads the other one (libmicrohttpd reads
 * the chunks, and the first length). */
static const char *framed_twice(struct MHD_Connection *conn)
{
	int lengths = 0;
	MHD_get_connection_values(conn, MHD_HEADER_KIND, count_length, &lengths);
	if (lengths > 1)
		return N_("The request has more than one Content-Length.");
	if (lengths && MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING))
		return N_("The request has both Content-Length and Transfer-Encoding.");
	return NULL;
}

/* Requests between their first byte and their last answer byte: what a
 * shutdown waits for (idle keep-alive connections it does not). */
static atomic_int requests_in_flight;

static struct req *req_new(struct MHD_Connection *conn, const char *url, const char *method)
{
	struct req *r = xcalloc(1, sizeof(*r));
	atomic_fetch_add(&requests_in_flight, 1);
	r->started_us = now_us();
	r->conn = conn;
	r->url = arena_strdup(&r->arena, url);
	r->path = r->url;
	r->method = arena_strdup(&r->arena, method);
	r->client_ip = client_address(r);
	return r;
}

static void *from_request_arena(void *arena, size_t n)
{
	return arena_alloc(arena, n);
}

static void req_free(struct req *r)
{
	atomic_fetch_sub(&requests_in_flight, 1);
	/* JSON made in the arena goes with it, without a walk through it. */
	if (!r->json_in_arena) {
		json_decref(r->model);
		json_decref(r->error.fields);
	}
	buf_free(&r->upload);
	buf_free(&r->body_out);
	arena_reset(&r->arena);
	free(r);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_size, void **con_cls)
{
	(void)cls;
	(void)version;
	if (*con_cls == &query_cut_off) {
		struct req *r = req_new(conn, url, method);
		*con_cls = r;
		deadline_mark(conn, true);
		return answer_early(r, 414, "uri_too_long",
				    N_("The address is longer or has more query parameters than this site accepts."));
	}
	struct req *r = *con_cls;
	if (!r) {
		r = req_new(conn, url, method);
		*con_cls = r;
		deadline_mark(conn, true);
		/* A request framed twice is refused, and the connection closed
		 * (an early answer closes it) so that no request follows. */
		const char *twice = framed_twice(conn);
		if (twice)
			return answer_early(r, 400, "bad_request", twice);
		/* A multipart form may carry a file of up to --max-upload besides
		 * its fields. */
		const char *ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
							     MHD_HTTP_HEADER_CONTENT_TYPE);
		r->body_limit = config.max_body;
		if (ct && strncasecmp(ct, "multipart/form-data", 19) == 0)
			r->body_limit += config.max_upload;
		const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
							     MHD_HTTP_HEADER_CONTENT_LENGTH);
		const char *expect = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_EXPECT);
		unsigned long long declared = cl ? strtoull(cl, NULL, 10) : 0;
		/* Refuse before reading the body, and close the connection, when
		 * the client waits for leave to send it (Expect: 100-continue) or
		 * it is far too large to read. A client already sending a body
		 * would often see the closed connection instead of the answer,
		 * so a body not much too large is read and thrown away, and
		 * refused when it has arrived. */
		if (declared > r->body_limit &&
		    ((expect && strcasecmp(expect, "100-continue") == 0) || declared > 4 * (unsigned long long)r->body_limit))
			return answer_early(r, 413, "too_large", N_("The request is larger than this site accepts."));
		return MHD_YES;
	}
	if (*upload_size) {
		if (r->upload.len + *upload_size > r->body_limit) {
			r->upload_too_large = true;
			buf_free(&r->upload);
		} else if (!r->upload_too_large) {
			buf_append(&r->upload, upload_data, *upload_size);
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (r->error.set)
		return MHD_YES; /* answered before the body */
	/* Counted here, not when the request completes: this thread's
	 * connection may answer other requests in between. */
	int64_t queries_before = thread_db ? db_queries_run(thread_db) : 0;
	/* The view model, and all JSON the request makes, is taken from its
	 * arena: no value is freed one by one (core/mem.h). */
	mem_json_from(from_request_arena, &r->arena);
	r->json_in_arena = true;
	dispatch(r);
	if (r->db)
		end_database_use(r);
	render_response(r);
	mem_json_from(NULL, NULL);
	r->queries = r->db ? db_queries_run(r->db) - queries_before : 0;
	if (r->cache_key && r->status == 200 && !r->error.set && !r->redirect && !r->static_body &&
	    cache_store(r->cache_key, r->cache_generation, r->cache_scopes, kept_scopes(r), r->body_out.data,
			r->body_out.len, r->content_type, r->csrf))
		req_add_header(r, "X-Kring-Cache", "miss");
	return send_answer(r);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	deadline_mark(conn, false);
	struct req *r = *con_cls;
	if (!r || *con_cls == &query_cut_off)
		return;
	/* An address that holds a secret is logged as its route's pattern. */
	const char *logged = r->url;
	if (r->route && (r->route->flags & ROUTE_SECRET_ADDRESS))
		logged = arena_printf(&r->arena, "%s%s", r->api ? "/api/v1" : "", r->route->pattern);
	fprintf(stderr, "%s %s %d %zu %lluus %lldq%s\n", r->method, logged, r->status ? r->status : 500,
		r->bytes_sent, (unsigned long long)(now_us() - r->started_us), (long long)r->queries,
		toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (aborted)");
	req_free(r);
	*con_cls = NULL;
}

static void log_mhd(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	fputs("microhttpd: ", stderr);
	vfprintf(stderr, fmt, ap);
}

/* ---- start and stop ---------------------------------------------------- */

static int resolve_bind(struct sockaddr_storage *addr, socklen_t *len)
{
	struct addrinfo hints = {.ai_flags = AI_PASSIVE | AI_NUMERICSERV, .ai_socktype = SOCK_STREAM};
	struct addrinfo *res = NULL;
	char port[16];
	snprintf(port, sizeof(port), "%d", config.port);
	int rc = getaddrinfo(config.bind, port, &hints, &res);
	if (rc != 0) {
		fprintf(stderr, "kring: cannot use bind address %s: %s\n", config.bind, gai_strerror(rc));
		return -1;
	}
	memcpy(addr, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	int family = res->ai_family;
	freeaddrinfo(res);
	return family;
}

int server_run(void)
{
	if (!tmpl_load_all())
		return 1;
	static_init();
	cache_init((size_t)config.cache_mb << 20);
	db_log_slow_statements(config.slow_ms);
	const char *faults = getenv("KRING_FAULT_INJECTION");
	fault_injection = faults && strcmp(faults, "1") == 0;
	if (fault_injection)
		fprintf(stderr, "kring: fault injection is on (tests only)\n");
	const char *strict = getenv("KRING_TEMPLATE_STRICT");
	if (strict && strcmp(strict, "1") == 0) {
		tmpl_set_strict(true);
		fprintf(stderr, "kring: strict templates are on (tests only)\n");
	}

	struct db *db = server_thread_db();
	if (!db)
		return 1;
	if (!start_database(db, true))
		return 1;

	struct sockaddr_storage addr;
	socklen_t addrlen;
	int family = resolve_bind(&addr, &addrlen);
	if (family < 0)
		return 1;

	/* Worker threads inherit this mask, so only the main thread sees the
	 * stop signals, in sigwait below. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned threads = config.threads > 0 ? (unsigned)config.threads : (unsigned)(cores > 0 ? cores : 1);
	unsigned flags = MHD_USE_EPOLL | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG;
	if (family == AF_INET6)
		flags |= MHD_USE_IPv6;
	struct MHD_Daemon *d = MHD_start_daemon(
		flags, (uint16_t)config.port, NULL, NULL, on_request, NULL,
		MHD_OPTION_EXTERNAL_LOGGER, log_mhd, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
		MHD_OPTION_THREAD_POOL_SIZE, threads,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)config.timeout,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
		MHD_OPTION_CONNECTION_LIMIT, 4096u,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
		MHD_OPTION_URI_LOG_CALLBACK, check_uri, NULL,
		MHD_OPTION_NOTIFY_CONNECTION, deadline_notify, NULL,
		MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "kring: cannot listen on %s port %d (in use?)\n", config.bind, config.port);
		close_all_dbs();
		return 1;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	int port = info ? info->port : config.port;
	char *shown_db = db_url_redacted(config.db);
	fprintf(stderr, "kring: listening on http://%s%s%s:%d (%s, %u threads)\n",
		family == AF_INET6 ? "[" : "", config.bind, family == AF_INET6 ? "]" : "", port,
		shown_db, threads);
	free(shown_db);
	/* Links in e-mail lead here unless --base-url says otherwise. */
	static char listening[300];
	if (!config.base_url) {
		snprintf(listening, sizeof(listening), "http://%s%s%s:%d", family == AF_INET6 ? "[" : "",
			 config.bind, family == AF_INET6 ? "]" : "", port);
		config.base_url = listening;
	}
	/* After the signal mask, which the worker thread inherits. */
	if (!jobs_start(config.db)) {
		MHD_stop_daemon(d);
		close_all_dbs();
		return 1;
	}

	/* The main thread also cuts off connections whose headers take
	 * longer than --timeout in all. */
	deadline_init(config.timeout);
	const struct timespec second = {.tv_sec = 1};
	int sig;
	while ((sig = sigtimedwait(&stop, NULL, &second)) < 0)
		deadline_sweep();
	fprintf(stderr, "kring: %s received, finishing requests in flight\n",
		sig == SIGINT ? "SIGINT" : "SIGTERM");
	/* Drain rather than quiesce: MHD_quiesce_daemon can abort inside
	 * libmicrohttpd with an epoll thread pool. Answers from now on close
	 * their connections; requests being answered finish; idle keep-alive
	 * connections are closed when the daemon stops. */
	atomic_store(&shutting_down, true);
	for (int i = 0; i < 100 && atomic_load(&requests_in_flight) > 0; i++)
		usleep(50 * 1000);
	MHD_stop_daemon(d);
	jobs_stop();
	close_all_dbs();
	cache_free();
	tmpl_free_all();
	fprintf(stderr, "kring: stopped\n");
	return 0;
}
