/* actors: people using the site in the HTTP tests (see actors.h). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "actors.h"

#include <curl/curl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

struct actor *actor_wrap(struct client *c, const char *handle)
{
	struct actor *a = harness_keep(calloc(1, sizeof *a));
	assert_non_null(a);
	a->c = c;
	a->handle = handle ? harness_strdup(handle) : NULL;
	if (handle) {
		char *t = page_csrf(c, "/settings");
		assert_non_null(t);
		a->csrf = t;
		size_t n = strlen(t) + 32;
		char *h = harness_keep(malloc(n));
		assert_non_null(h);
		snprintf(h, n, "X-CSRF-Token: %s", t);
		a->csrf_header = h;
	}
	return a;
}

/* A new member, signed in. */
struct actor *member(const struct server *s, const char *handle)
{
	return actor_wrap(signed_in_client(s, handle, NULL), handle);
}

/* A new account made with `kring user add` (role_flag "--admin",
 * "--moderator" or NULL), signed in. */
struct actor *staff(const struct server *s, const char *handle, const char *role_flag)
{
	char email[128], name[128];
	snprintf(email, sizeof email, "%s@example.com", handle);
	snprintf(name, sizeof name, "Staff %s", handle);
	assert_int_equal(kring_user_add(s, handle, email, name, role_flag, TEST_PASSWORD), 0);
	struct client *c = client_new(s);
	struct response *r = html_login(c, handle, TEST_PASSWORD);
	assert_status(r, 303);
	response_free(r);
	return actor_wrap(c, handle);
}

struct actor *visitor(const struct server *s)
{
	return actor_wrap(client_new(s), NULL);
}

void actor_sign_in_again(struct actor *a)
{
	struct response *r = html_login(a->c, a->handle, TEST_PASSWORD);
	assert_status(r, 303);
	response_free(r);
	const struct actor *fresh = actor_wrap(a->c, a->handle);
	a->csrf = fresh->csrf;
	a->csrf_header = fresh->csrf_header;
}

struct response *aget(struct actor *a, const char *fmt, ...)
{
	char path[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(path, sizeof path, fmt, ap);
	va_end(ap);
	return http_get(a->c, path, NULL);
}

/* POSTs a JSON body (taken) with the session's CSRF header. */
struct response *apost(struct actor *a, const char *path, json_t *body)
{
	if (!body)
		body = json_object();
	return http_post_jsonv(a->c, path, body, a->csrf_header ? STRS(a->csrf_header) : NULL);
}

/* POSTs an HTML form with the session's CSRF token added. */
struct response *fpost(struct actor *a, const char *path, const char *const *fields)
{
	const char *all[64];
	size_t n = 0;
	for (size_t i = 0; fields && fields[i] && n < 60; i++)
		all[n++] = fields[i];
	if (a->csrf) {
		all[n++] = "csrf";
		all[n++] = a->csrf;
	}
	all[n] = NULL;
	return http_post_form(a->c, path, all, NULL);
}

int64_t jint(const struct response *r, const char *path)
{
	json_t *v = json_path(r->json, path);
	return json_is_integer(v) ? (int64_t)json_integer_value(v) : -1;
}

/* Whether the array at path holds an object whose key equals the integer
 * or string value. */
bool list_has_id(const struct response *r, const char *path, int64_t id)
{
	json_t *list = json_path(r->json, path), *it;
	size_t i;
	json_array_foreach(list, i, it)
		if (json_integer_value(json_object_get(it, "id")) == id)
			return true;
	return false;
}

bool list_has_str(const struct response *r, const char *path, const char *key, const char *value)
{
	json_t *list = json_path(r->json, path), *it;
	size_t i;
	json_array_foreach(list, i, it) {
		const char *v = json_string_value(json_object_get(it, key));
		if (v && strcmp(v, value) == 0)
			return true;
	}
	return false;
}

/* Creates a community through the API as an admin (who hosts it). */
void sign_up_cast(const struct server *s, struct actor **admin, struct actor **ana, struct actor **bo,
		  struct actor **eve)
{
	*admin = staff(s, "root", "--admin");
	unlimited_posting(*admin);
	const char *handles[] = {"ana", "bo", "eve"};
	struct actor **who[] = {ana, bo, eve};
	for (size_t i = 0; i < 3; i++)
		if (who[i])
			*who[i] = member(s, handles[i]);
}

void unlimited_posting(struct actor *admin)
{
	struct response *r = apost(admin, "/api/v1/admin/settings",
				   json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "items_per_minute", "0", "items_per_hour", "0",
					     "answers_per_minute", "0", "answers_per_hour", "0", "comments_per_minute",
					     "0", "comments_per_hour", "0"));
	assert_status(r, 200);
	response_free(r);
}

void make_community(struct actor *founder, const char *slug, const char *name,
		    const char *visibility, const char *policy)
{
	struct response *r = apost(founder, "/api/v1/c",
				   json_pack("{s:s, s:s, s:s, s:s, s:s}", "slug", slug, "name", name,
					     "description", "About this community", "visibility",
					     visibility, "join_policy", policy));
	assert_status(r, 201);
	assert_jstr(r, "slug", slug);
	response_free(r);
}

/* The host invites the member, who accepts by joining. */
void bring_in(struct actor *host, const char *slug, struct actor *who)
{
	char path[256];
	snprintf(path, sizeof path, "/api/v1/c/%s/invite", slug);
	struct response *r = apost(host, path, json_pack("{s:s}", "handle", who->handle));
	assert_status(r, 200);
	response_free(r);
	snprintf(path, sizeof path, "/api/v1/c/%s/join", slug);
	r = apost(who, path, NULL);
	assert_status(r, 200);
	assert_jstr(r, "membership", "active");
	response_free(r);
}

void set_role(struct actor *host, const char *slug, const char *handle, const char *role)
{
	char path[256];
	snprintf(path, sizeof path, "/api/v1/c/%s/members/%s/role", slug, handle);
	struct response *r = apost(host, path, json_pack("{s:s}", "role", role));
	assert_status(r, 200);
	response_free(r);
}

/* Asks a question in a community; returns its id. */
int64_t ask(struct actor *a, const char *slug, const char *title, const char *body)
{
	char path[256];
	snprintf(path, sizeof path, "/api/v1/c/%s/items", slug);
	struct response *r = apost(a, path, json_pack("{s:s, s:s, s:s}", "kind", "question", "title", title,
						      "body", body ? body : ""));
	assert_status(r, 201);
	int64_t id = jint(r, "id");
	assert_true(id > 0);
	response_free(r);
	return id;
}

struct response *item_post(struct actor *a, int64_t id, const char *what, json_t *body)
{
	char path[256];
	snprintf(path, sizeof path, "/api/v1/items/%lld/%s", (long long)id, what);
	return apost(a, path, body);
}

static json_t *held;

json_t *hold(json_t *v)
{
	if (!held)
		held = json_array();
	json_array_append_new(held, v);
	return v;
}

void held_release(void)
{
	json_decref(held);
	held = NULL;
}

json_t *walk(struct actor *a, const char *path, struct pages *p)
{
	json_t *all = hold(json_array());
	const char *sep = strchr(path, '?') ? "&" : "?";
	char *cursor = NULL;
	memset(p, 0, sizeof *p);
	for (;;) {
		struct response *r = cursor ? aget(a, "%s%scursor=%s", path, sep, cursor) : aget(a, "%s", path);
		assert_status(r, 200);
		json_t *items = json_path(r->json, "items"), *next = json_path(r->json, "next");
		assert_true(json_is_array(items));
		assert_true(p->n < WALK_PAGES_MAX);
		p->sizes[p->n] = (int)json_array_size(items);
		json_array_extend(all, items);
		if (json_is_null(next)) {
			p->n++;
			response_free(r);
			return all;
		}
		/* A cursor is an opaque string, not a number. */
		if (!json_is_string(next))
			harness_fail_response(r, __FILE__, __LINE__, "\"next\" is neither a string nor null");
		p->next[p->n++] = harness_strdup(json_string_value(next));
		char *esc = curl_easy_escape(NULL, json_string_value(next), 0);
		cursor = harness_strdup(esc);
		curl_free(esc);
		response_free(r);
	}
}

int teardown_releasing(void **state)
{
	held_release();
	return server_teardown(state);
}

struct response *post_item(struct actor *a, const char *slug, json_t *body)
{
	char path[128];
	snprintf(path, sizeof path, "/api/v1/c/%s/items", slug);
	return apost(a, path, body);
}

int64_t new_item(struct actor *a, const char *kind, const char *slug, json_t *body)
{
	struct response *r = post_item(a, slug, body);
	assert_status(r, 201);
	assert_jstr(r, "kind", kind);
	int64_t id = jint(r, "id");
	assert_true(id > 0);
	response_free(r);
	return id;
}

struct response *get_item(struct actor *a, int64_t id)
{
	return aget(a, "/api/v1/items/%lld", (long long)id);
}

struct response *item_edit(struct actor *a, int64_t id, json_t *body)
{
	return item_post(a, id, "edit", body);
}

size_t revision_count(struct actor *a, int64_t id)
{
	struct response *r = aget(a, "/api/v1/items/%lld/revisions", (long long)id);
	assert_status(r, 200);
	size_t n = jlen(r, "items");
	response_free(r);
	return n;
}

size_t jlen(const struct response *r, const char *path)
{
	return json_array_size(json_path(r->json, path));
}

json_t *jat(const struct response *r, const char *path, size_t i, const char *key)
{
	return json_object_get(json_array_get(json_path(r->json, path), i), key);
}

const char *jat_str(const struct response *r, const char *path, size_t i, const char *key)
{
	return json_string_value(jat(r, path, i, key));
}

bool has_tag(json_t *tags, const char *tag)
{
	json_t *t;
	size_t i;
	json_array_foreach(tags, i, t)
		if (json_is_string(t) && strcmp(json_string_value(t), tag) == 0)
			return true;
	return false;
}

void assert_ids(json_t *items, const int64_t *want, size_t n)
{
	for (size_t i = 0; i < n && i < json_array_size(items); i++) {
		int64_t got = json_integer_value(json_object_get(json_array_get(items, i), "id"));
		if (got != want[i])
			fail_msg("item %zu is %lld, expected %lld", i, (long long)got, (long long)want[i]);
	}
	if (json_array_size(items) != n)
		fail_msg("%zu items, expected %zu", json_array_size(items), n);
}

void invalid_field_at(const struct response *r, const char *field, const char *file, int line)
{
	char path[64];
	snprintf(path, sizeof path, "error.fields.%s", field);
	const char *code = response_jstr(r, "error.code"), *msg = response_jstr(r, path);
	if (r->status != 422 || !code || strcmp(code, "invalid") != 0 || !msg || !*msg)
		harness_fail_response(r, file, line, "expected 422 \"invalid\" with a message on \"%s\"", field);
}

void assert_inert(const struct response *r, const char *html, const char *what)
{
	static const char *const bad[] = {"<script", "<img", "<iframe", "href=\"javascript", "href='javascript"};
	if (!html)
		harness_fail_response(r, __FILE__, __LINE__, "%s is missing", what);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (strcasestr_portable(html, bad[i]))
			harness_fail_response(r, __FILE__, __LINE__, "%s holds \"%s\": %s", what, bad[i], html);
}

const char *repeat(const char *ch, size_t n)
{
	size_t len = strlen(ch);
	char *s = harness_keep(malloc(n * len + 1));
	assert_non_null(s);
	for (size_t i = 0; i < n; i++)
		memcpy(s + i * len, ch, len);
	s[n * len] = '\0';
	return s;
}

FILE *import_file_open(const struct server *s, const char *name)
{
	char path[400];
	snprintf(path, sizeof path, "%s/%s", s->dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	return f;
}

void import_file_load(const struct server *s, FILE *f, const char *name)
{
	assert_int_equal(fclose(f), 0);
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "'%s' import '%s/%s' --db '%s' >/dev/null 2>&1", getenv("KRING_BIN"), s->dir, name,
		 s->db);
	int rc = system(cmd);
	if (!WIFEXITED(rc) || WEXITSTATUS(rc) != 0)
		fail_msg("kring import of %s failed (%d)", name, rc);
}

json_t *notifications_of_kind(struct actor *a, const char *kind)
{
	struct response *r = aget(a, "/api/v1/notifications");
	assert_status(r, 200);
	json_t *found = json_array(), *o;
	size_t i;
	json_array_foreach(json_path(r->json, "items"), i, o)
		if (strcmp(json_string_value(json_object_get(o, "kind")), kind) == 0)
			json_array_append(found, o);
	response_free(r);
	return hold(found);
}

size_t notified(struct actor *a, const char *kind)
{
	return json_array_size(notifications_of_kind(a, kind));
}

void expect_status(struct response *r, int status, const char *code)
{
	if (code)
		assert_error(r, status, code);
	else
		assert_status(r, status);
	response_free(r);
}
