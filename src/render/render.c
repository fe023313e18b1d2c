/* render: turns a handler's view model into the answer's bytes. */
#include "render/render.h"

#include "auth/policy.h"
#include "auth/users.h"
#include "core/config.h"
#include "http/req.h"
#include "http/static.h"
#include "i18n/i18n.h"
#include "render/template.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static void render_json(struct req *r, json_t *value)
{
	char *text = json_dumps(value, JSON_COMPACT | JSON_ENSURE_ASCII);
	buf_puts(&r->body_out, text ? text : "{}");
	buf_putc(&r->body_out, '\n');
	free(text);
	r->content_type = "application/json";
}

static json_t *error_json(struct req *r)
{
	json_t *err = json_pack("{s:s, s:s}", "code", r->error.code ? r->error.code : "error",
				"message", r->error.message ? r->error.message : "");
	if (r->error.field)
		json_object_set_new(err, "field", json_string(r->error.field));
	if (r->error.fields)
		json_object_set(err, "fields", r->error.fields);
	return json_pack("{s:o}", "error", err);
}

/* What every page knows besides its own model: who is signed in, the CSRF
 * token for forms, the language, the asset version for cache busting. */
static json_t *page_globals(struct req *r, bool show_error)
{
	json_t *g = json_object();
	json_object_set_new(g, "site_name", json_string(config.site_name));
	json_object_set_new(g, "lang", json_string(i18n_locale_code(r->locale)));
	json_object_set_new(g, "csrf", json_string(r->csrf ? r->csrf : ""));
	json_object_set_new(g, "asset_version", json_string(static_version()));
	json_object_set_new(g, "path", json_string(r->path));
	if (r->error.set && show_error) {
		/* Field errors are shown at their fields; the banner only points there. */
		const char *message = r->error.fields && json_object_size(r->error.fields) > 0
			? tr(r, N_("Please correct the marked fields.")) : r->error.message;
		json_object_set_new(g, "error", json_pack("{s:s, s:s}", "code", r->error.code,
							  "message", message ? message : ""));
	}
	if (r->user) {
		json_t *me = users_to_json(r->user, true);
		if (policy_site_allows(r, POLICY_ADMINISTER))
			json_object_set_new(me, "is_admin", json_true());
		/* The review queue is for those who verify: experts and staff. */
		if (policy_site_allows(r, POLICY_REVIEW))
			json_object_set_new(me, "may_review", json_true());
		json_object_set_new(g, "me", me);
	}
	return g;
}

/* The UTC date of a day counted from 1970-01-01 (the proleptic Gregorian
 * calendar, in 400-year eras). Pages show many times, and gmtime_r takes
 * glibc's time zone lock on every call. */
static void civil_from_days(long long days, long long *year, int *month, int *day)
{
	days += 719468; /* from 0000-03-01, so that a leap day ends a year */
	long long era = (days >= 0 ? days : days - 146096) / 146097;
	long long doe = days - era * 146097;
	long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long long mp = (5 * doy + 2) / 153;
	*day = (int)(doy - (153 * mp + 2) / 5 + 1);
	*month = (int)(mp < 10 ? mp + 3 : mp - 9);
	*year = yoe + era * 400 + (*month <= 2);
}

void render_add_time(json_t *o, const char *key, long long value)
{
	long long days = value / 86400, secs = value % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	long long y;
	int m, d, hh = (int)(secs / 3600), mm = (int)(secs / 60 % 60), ss = (int)(secs % 60);
	civil_from_days(days, &y, &m, &d);
	char iso[48], text[48], name[128];
	snprintf(iso, sizeof(iso), "%04lld-%02d-%02dT%02d:%02d:%02dZ", y, m, d, hh, mm, ss);
	/* A time at midnight UTC is a date (a deadline); show it as one. */
	if (secs == 0)
		snprintf(text, sizeof(text), "%04lld-%02d-%02d", y, m, d);
	else
		snprintf(text, sizeof(text), "%04lld-%02d-%02d %02d:%02d UTC", y, m, d, hh, mm);
	snprintf(name, sizeof(name), "%s_iso", key);
	json_object_set_new(o, name, json_string(iso));
	snprintf(name, sizeof(name), "%s_text", key);
	json_object_set_new(o, name, json_string(text));
}

/* Pages show times readably without JavaScript: every integer member named
 * *_at (UTC seconds) gets *_at_iso for datetime attributes and *_at_text.
 * The API keeps the plain numbers. */
static void add_readable_times(json_t *v)
{
	if (json_is_array(v)) {
		size_t i;
		json_t *el;
		json_array_foreach(v, i, el)
			add_readable_times(el);
		return;
	}
	if (!json_is_object(v))
		return;
	const char *key;
	json_t *member;
	json_t *added = NULL; /* not into v while going through it */
	json_object_foreach(v, key, member) {
		size_t len = strlen(key);
		if (json_is_integer(member) && len > 3 && strcmp(key + len - 3, "_at") == 0) {
			if (!added)
				added = json_object();
			render_add_time(added, key, json_integer_value(member));
		} else if (json_is_object(member) || json_is_array(member)) {
			add_readable_times(member);
		}
	}
	if (added) {
		json_object_update(v, added);
		json_decref(added);
	}
}

static void render_page(struct req *r, const char *template_name, json_t *model, bool show_error)
{
	struct tmpl *page = tmpl_get(template_name);
	struct tmpl *layout = tmpl_get("layout");
	if (!page || !layout) {
		fprintf(stderr, "render: template \"%s\" is missing\n", template_name);
		r->status = 500;
		buf_puts(&r->body_out, "Internal error: a page template is missing.\n");
		r->content_type = "text/plain; charset=utf-8";
		return;
	}
	json_t *globals = page_globals(r, show_error);
	add_readable_times(model);
	struct buf content = {0};
	char err[512];
	bool ok = tmpl_render(page, globals, model, r->locale, &content, err, sizeof(err));
	if (ok) {
		/* The layout sees the page's model too (its title). */
		json_object_set_new(globals, "content_html", json_string(content.data ? content.data : ""));
		ok = tmpl_render(layout, globals, model, r->locale, &r->body_out, err, sizeof(err));
	}
	json_decref(globals);
	buf_free(&content);
	if (!ok) {
		fprintf(stderr, "render: %s %s: template %s\n", r->method, r->path, err);
		r->status = 500;
		buf_reset(&r->body_out);
		buf_puts(&r->body_out, "Internal error: a page template failed.\n");
		r->content_type = "text/plain; charset=utf-8";
		return;
	}
	r->content_type = "text/html; charset=utf-8";
}

static const char *error_title(int status)
{
	switch (status) {
	case 400: return N_("Bad request");
	case 401: return N_("Please sign in");
	case 403: return N_("Not allowed");
	case 404: return N_("Page not found");
	case 405: return N_("Method not allowed");
	case 409: return N_("Conflict");
	case 413: return N_("Too large");
	case 422: return N_("Please check the form");
	case 429: return N_("Too many attempts");
	case 503: return N_("Temporarily unavailable");
	default: return N_("Something went wrong");
	}
}

void render_response(struct req *r)
{
	if (r->status == 0)
		r->status = 200;
	if (r->content_type && !r->error.set)
		return; /* the handler produced its own bytes (static files) */
	if (r->api) {
		if (r->error.set) {
			json_t *e = error_json(r);
			render_json(r, e);
			json_decref(e);
		} else {
			render_json(r, r->model ? r->model : json_object());
		}
		return;
	}
	if (r->redirect && !r->error.set) {
		r->status = 303;
		req_add_header(r, "Location", r->redirect);
		return;
	}
	if (r->error.set && !(r->model && r->template)) {
		/* An error page in the layout; a form with errors is its own page. */
		json_t *model = json_pack("{s:s, s:s, s:i}", "title", tr(r, error_title(r->status)),
					  "message", r->error.message ? r->error.message : "",
					  "status", r->status);
		render_page(r, "error", model, false);
		json_decref(model);
		return;
	}
	json_t *model = r->model ? r->model : json_object();
	render_page(r, r->template ? r->template : "error", model, true);
	if (!r->model)
		json_decref(model);
}
