/* render: turns a handler's view model into the answer's bytes. */
#include "render/render.h"

#include "auth/policy.h"
#include "auth/users.h"
#include "core/config.h"
#include "http/req.h"
#include "http/static.h"
#include "i18n/i18n.h"
#include "render/json_write.h"
#include "render/template.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static void render_json(struct req *r, json_t *value)
{
	json_write(value, &r->body_out);
	buf_putc(&r->body_out, '\n');
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
		/* The queue of reports (features/moderation.h); hosts reach it
		 * from their communities. */
		if (policy_site_allows(r, POLICY_MODERATE))
			json_object_set_new(me, "may_moderate", json_true());
		render_member_header(r, me);
		json_object_set_new(g, "me", me);
	}
	return g;
}

void render_add_time(json_t *o, const char *key, long long value)
{
	static const char *const suffixes[] = {"_iso", "_text"};
	for (int i = 0; i < 2; i++) {
		struct buf text = {0}, name = {0};
		tmpl_write_time(value, i == 0, &text);
		buf_printf(&name, "%s%s", key, suffixes[i]);
		json_object_set_new(o, name.data, json_stringn(text.data, text.len));
		buf_free(&text);
		buf_free(&name);
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
	struct buf content = {0};
	char err[512];
	bool ok = tmpl_render(page, globals, model, r->locale, &content, err, sizeof(err));
	if (ok) {
		/* The layout sees the page's model too (its title). */
		/* The page's own HTML, valid UTF-8 as its parts are: not checked
		 * again, byte by byte. */
		json_object_set_new_nocheck(globals, "content_html",
					    json_stringn_nocheck(content.data ? content.data : "", content.len));
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
