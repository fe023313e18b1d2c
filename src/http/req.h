/*
 * req: the request context a handler receives, and the calls a handler uses
 * to read input and shape its answer. A handler returns a view model (a
 * jansson object, owned by the request from then on); the response layer
 * renders it as HTML through the route's template or as JSON.
 */
#ifndef KRING_REQ_H
#define KRING_REQ_H

#include "core/arena.h"
#include "core/buf.h"
#include "http/cache.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;
struct route;

struct param {
	const char *name;
	const char *value;
};

struct params {
	struct param *items;
	size_t count, cap;
};

/* A file sent with a multipart form; data points into the request body. */
struct upload {
	const char *field, *filename, *content_type;
	const char *data;
	size_t len;
};

struct uploads {
	struct upload *items;
	size_t count, cap;
};

struct user {
	int64_t id;
	const char *handle, *name, *email, *role, *locale;
	const char *status; /* the account's state: "active" or "suspended" (auth/policy.h) */
	bool expert;        /* an expert in at least one tag */
	/* A suspension's end and the reason the member is told
	 * (auth/account_states.h); 0 and NULL when not suspended. */
	int64_t suspended_until;
	const char *suspension_reason;
};

enum auth_kind { AUTH_NONE, AUTH_SESSION, AUTH_TOKEN };

struct header {
	const char *name, *value;
};

struct req {
	struct arena arena;
	void *conn; /* struct MHD_Connection */
	uint64_t started_us;

	const char *method;  /* "GET", "HEAD", "POST", … */
	const char *path;    /* without the /api/v1 prefix */
	const char *url;     /* as requested */
	bool api;            /* answer in JSON */
	const char *client_ip;

	struct params query, body, path_params;
	struct uploads files; /* the files of a multipart body */
	struct buf upload;   /* the raw request body */
	size_t body_limit;   /* the most body this request may send */
	bool upload_too_large;

	const struct route *route;
	const char *fields;  /* the fields it takes (route->fields, and the kinds'
				for ROUTE_KIND_FIELDS) */
	struct db *db;
	int64_t now;         /* seconds since 1970, read once from the clock */
	const char *cache_key;    /* set when the answer may be cached */
	int64_t cache_generation; /* the content generation it was made under */
	/* What the page shows (req_shows); none named: everything. */
	struct cache_scope cache_scopes[CACHE_MAX_SCOPES + 1];
	size_t ncache_scopes;

	/* who is asking */
	struct user *user;   /* NULL when signed out */
	enum auth_kind auth;
	int64_t session_id;
	const char *csrf;    /* the token forms of this page carry */
	int locale;          /* LOCALE_* */

	/* the answer */
	int status;
	const char *template;
	const char *redirect;     /* HTML only: 303 to here instead of a page */
	struct {
		bool set;
		const char *code, *message, *field;
		json_t *fields;   /* every field error: {"field": "message"} */
	} error;
	struct header headers[16];
	int nheaders;
	json_t *model;
	bool json_in_arena; /* its JSON was made in the arena (core/mem.h) */
	const char *content_type; /* set for answers that are neither page nor JSON */
	struct buf body_out;
	const void *static_body;  /* or: bytes that outlive the request */
	size_t static_len;
	size_t bytes_sent;        /* body length, for the access log */
	int64_t queries;          /* statements run answering it, for the access log */
};

/* Input. Body fields win over query fields of the same name. */
const char *req_param(struct req *r, const char *name);
/* Every value sent in the body for name (checkboxes send one field per
 * box), joined with commas; req_param when the body has none. */
const char *req_param_all(struct req *r, const char *name);
/* req_param without white space around it (a copy in the arena); NULL
 * when the request does not have the field. */
const char *req_param_trimmed(struct req *r, const char *name);
/* A yes-or-no field (a "name:bool" field, a checkbox): fallback when the
 * request does not have it, false for "", "false", "0" and "off", else
 * true. */
bool req_param_bool(struct req *r, const char *name, bool fallback);
const char *req_query(struct req *r, const char *name);
const char *req_path_param(struct req *r, const char *name);
const char *req_header(struct req *r, const char *name);
const char *req_cookie(struct req *r, const char *name);
void params_add(struct arena *a, struct params *p, const char *name, const char *value);
void uploads_add(struct arena *a, struct uploads *u, const struct upload *file);

/* The translation of msgid for this request's locale. */
const char *tr(struct req *r, const char *msgid);

/* Output. */
/* Names a scope the answer shows (http/cache.h): a cached copy is kept
 * until a write changes it. An answer that names none shows everything. */
void req_shows(struct req *r, enum cache_scope_kind kind, int64_t id);
void req_add_header(struct req *r, const char *name, const char *value);
/* Sets a cookie with the attributes kring uses everywhere (Path=/, HttpOnly,
 * SameSite=Lax, Secure behind TLS); max_age 0 deletes it. */
void req_set_cookie(struct req *r, const char *name, const char *value, long max_age);

/* Marks the request failed with an HTTP status, a stable error code and a
 * message (translated here). Returns NULL so a handler can `return
 * req_fail(...)`. The HTML answer is an error page in the site layout. */
json_t *req_fail(struct req *r, int status, const char *code, const char *msgid);
/* req_fail with 500 internal: the database (or something else on the
 * site's side) failed. */
json_t *req_fail_internal(struct req *r);

/* Records a message at one field of a form; the first one becomes the API
 * error. The model gets "errors": {field: message}. */
void req_field_error(struct req *r, json_t *model, const char *field, const char *msgid);
/* Finishes a form with field errors: status 422, and the model (with the
 * values the person typed) is shown again with the messages. */
json_t *req_invalid(struct req *r, json_t *model);
bool req_has_field_errors(struct req *r);

/* A form page's model: its title and the values the person sent for the
 * comma-separated fields (so a form shown again keeps what they typed). */
json_t *req_form_model(struct req *r, const char *title_msgid, const char *fields);

/* After a successful form post: HTML clients are sent to location (303), API
 * clients get model with the given status. */
json_t *req_done(struct req *r, int status, const char *location, json_t *model);

#endif
