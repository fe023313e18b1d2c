/* mail_content: the parts of an e-mail (see mail_content.h). */
#include "features/mail_content.h"

#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "http/req.h"
#include "i18n/i18n.h"
#include "render/template.h"

#include <stdio.h>
#include <string.h>

const char *mail_content_html(struct arena *a, const char *name, json_t *model, int locale)
{
	char path[128], err[256];
	snprintf(path, sizeof(path), "mail/%s", name);
	const struct tmpl *t = tmpl_get(path);
	json_t *globals = json_pack("{s:s, s:s}", "site_name", config.site_name, "lang", i18n_locale_code(locale));
	struct buf out = {0};
	bool ok = t && tmpl_render(t, globals, model, locale, &out, err, sizeof(err));
	if (!ok)
		fprintf(stderr, "mail: cannot render %s: %s\n", path, t ? err : "no such template");
	const char *html = ok ? arena_strndup(a, out.data ? out.data : "", out.len) : NULL;
	buf_free(&out);
	json_decref(globals);
	json_decref(model);
	return html;
}

const char *mail_content_text(struct arena *a, const char *const *paragraphs)
{
	struct buf out = {0};
	for (const char *const *p = paragraphs; *p; p++)
		buf_printf(&out, "%s\n\n", *p);
	/* "-- " starts a signature for mail programs. */
	buf_printf(&out, "-- \n%s\n", config.site_name);
	const char *text = arena_strndup(a, out.data, out.len);
	buf_free(&out);
	return text;
}

const char *mail_content_link(struct arena *a, const char *path)
{
	const char *base = config.base_url ? config.base_url : "";
	size_t len = strlen(base);
	while (len && base[len - 1] == '/')
		len--;
	return arena_printf(a, "%.*s%s", (int)len, base, path);
}

int mail_content_locale(const struct user *u, int fallback)
{
	int locale = u && u->locale ? i18n_locale_index(u->locale) : -1;
	return locale >= 0 ? locale : fallback;
}
