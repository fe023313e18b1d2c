/* req: reading a request's input and shaping its answer. */
#include "http/req.h"

#include "core/buf.h"
#include "core/config.h"
#include "core/grow.h"
#include "core/text.h"
#include "i18n/i18n.h"

#include <microhttpd.h>
#include <string.h>

void params_add(struct arena *a, struct params *p, const char *name, const char *value)
{
	GROW_ARENA(a, p->items, p->count, p->cap);
	p->items[p->count++] = (struct param){name, value};
}

void uploads_add(struct arena *a, struct uploads *u, const struct upload *file)
{
	GROW_ARENA(a, u->items, u->count, u->cap);
	u->items[u->count++] = *file;
}

static const char *params_get(const struct params *p, const char *name)
{
	for (size_t i = 0; i < p->count; i++)
		if (strcmp(p->items[i].name, name) == 0)
			return p->items[i].value;
	return NULL;
}

const char *req_param(struct req *r, const char *name)
{
	const char *v = params_get(&r->body, name);
	return v ? v : params_get(&r->query, name);
}

const char *req_param_all(struct req *r, const char *name)
{
	const struct params *p = &r->body;
	bool any = false;
	for (size_t i = 0; i < p->count && !any; i++)
		any = strcmp(p->items[i].name, name) == 0;
	if (!any)
		return req_param(r, name);
	struct buf joined = {0};
	for (size_t i = 0; i < p->count; i++) {
		if (strcmp(p->items[i].name, name) != 0)
			continue;
		if (joined.len)
			buf_putc(&joined, ',');
		buf_puts(&joined, p->items[i].value);
	}
	const char *out = arena_strdup(&r->arena, joined.data ? joined.data : "");
	buf_free(&joined);
	return out;
}

const char *req_param_trimmed(struct req *r, const char *name)
{
	const char *v = req_param(r, name);
	return v ? text_trim(arena_strdup(&r->arena, v)) : NULL;
}

bool req_param_bool(struct req *r, const char *name, bool fallback)
{
	const char *v = req_param(r, name);
	if (!v)
		return fallback;
	return *v && strcmp(v, "false") != 0 && strcmp(v, "0") != 0 && strcmp(v, "off") != 0;
}

const char *req_query(struct req *r, const char *name)
{
	return params_get(&r->query, name);
}

const char *req_path_param(struct req *r, const char *name)
{
	return params_get(&r->path_params, name);
}

const char *req_header(struct req *r, const char *name)
{
	return r->conn ? MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name) : NULL;
}

const char *req_cookie(struct req *r, const char *name)
{
	return r->conn ? MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name) : NULL;
}

const char *tr(struct req *r, const char *msgid)
{
	return i18n_get(r->locale, msgid);
}

void req_shows(struct req *r, enum cache_scope_kind kind, int64_t id)
{
	for (size_t i = 0; i < r->ncache_scopes; i++)
		if (r->cache_scopes[i].kind == kind && r->cache_scopes[i].id == id)
			return;
	/* One past the most stands for "more than a page may name". */
	if (r->ncache_scopes <= CACHE_MAX_SCOPES)
		r->cache_scopes[r->ncache_scopes++] = (struct cache_scope){kind, id};
}

void req_add_header(struct req *r, const char *name, const char *value)
{
	if (r->nheaders < (int)(sizeof(r->headers) / sizeof(r->headers[0])))
		r->headers[r->nheaders++] = (struct header){name, value};
}

void req_set_cookie(struct req *r, const char *name, const char *value, long max_age)
{
	req_add_header(r, MHD_HTTP_HEADER_SET_COOKIE,
		       arena_printf(&r->arena, "%s=%s; Path=/; Max-Age=%ld; HttpOnly; SameSite=Lax%s",
				    name, value, max_age, config.secure_cookies ? "; Secure" : ""));
}

json_t *req_fail(struct req *r, int status, const char *code, const char *msgid)
{
	r->status = status;
	r->error.set = true;
	r->error.code = code;
	r->error.message = tr(r, msgid);
	r->error.field = NULL;
	return NULL;
}

json_t *req_fail_internal(struct req *r)
{
	return req_fail(r, 500, "internal", N_("Something went wrong on our side. Please try again."));
}

void req_field_error(struct req *r, json_t *model, const char *field, const char *msgid)
{
	const char *message = tr(r, msgid);
	if (!r->error.fields)
		r->error.fields = json_object();
	if (json_object_get(r->error.fields, field))
		return; /* the first problem of a field is the one shown */
	json_object_set_new(r->error.fields, field, json_string(message));
	if (!r->error.set) {
		r->error.set = true;
		r->error.code = "invalid";
		r->error.message = message;
		r->error.field = field;
		r->status = 422;
	}
	if (model)
		json_object_set(model, "errors", r->error.fields);
}

bool req_has_field_errors(struct req *r)
{
	return r->error.fields && json_object_size(r->error.fields) > 0;
}

json_t *req_invalid(struct req *r, json_t *model)
{
	if (!r->error.set)
		r->status = 422;
	return model;
}

json_t *req_done(struct req *r, int status, const char *location, json_t *model)
{
	r->status = status;
	if (!r->api && location)
		r->redirect = location;
	return model;
}

json_t *req_form_model(struct req *r, const char *title_msgid, const char *fields)
{
	json_t *values = json_object();
	char *list = arena_strdup(&r->arena, fields), *save = NULL;
	for (char *f = strtok_r(list, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
		const char *v = req_param(r, f);
		if (v)
			json_object_set_new(values, f, json_string(v));
	}
	return json_pack("{s:s, s:o}", "title", tr(r, title_msgid), "values", values);
}
