/* digest_mail: composing one digest e-mail (see digest_mail.h). */
#include "features/digest_mail.h"

#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "features/mail_content.h"
#include "i18n/format.h"
#include "i18n/i18n.h"
#include "jobs/outbox.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const char *const section_headings[DIGEST_SECTIONS] = {
	[DIGEST_UNANSWERED] = N_("New questions waiting for an answer"),
	[DIGEST_ACCEPTED] = N_("Accepted answers"),
	[DIGEST_PRACTICES] = N_("New best practices and methods"),
	[DIGEST_VERIFIED] = N_("Verified by an expert"),
	[DIGEST_OTHER] = N_("Also new"),
};

/* The lines in section order, each section in the order given: a stable
 * counting sort. */
static const struct digest_line **sorted_lines(struct arena *a, const struct digest_mail *d)
{
	const struct digest_line **out = arena_alloc(a, d->nlines * sizeof(*out));
	size_t n = 0;
	for (int s = 0; s < DIGEST_SECTIONS; s++)
		for (size_t i = 0; i < d->nlines; i++)
			if ((int)d->lines[i].section == s)
				out[n++] = &d->lines[i];
	return out;
}

bool digest_mail_queue(struct db *db, struct arena *a, const struct digest_mail *d, int64_t now)
{
	if (!d->nlines)
		return true;
	int locale = d->locale;
	const struct digest_line **lines = sorted_lines(a, d);
	size_t shown = d->nlines < DIGEST_MAX_LINES ? d->nlines : DIGEST_MAX_LINES;
	const char *name = d->to_name ? d->to_name : "";
	const char *rest = mail_content_link(a, d->rest_path);
	const char *settings = d->settings_path ? mail_content_link(a, d->settings_path) : NULL;

	const char *subject = format_message(a, locale,
					     d->weekly ? N_("Weekly digest from {{site_name}}: {{about}}")
						       : N_("Daily digest from {{site_name}}: {{about}}"),
					     "site_name", config.site_name, "about", d->about, NULL);
	const char *intro = format_message(a, locale,
					   d->weekly ? N_("Here is what is new in {{about}} since last week.")
						     : N_("Here is what is new in {{about}} since yesterday."),
					   "about", d->about, NULL);
	const char *more = d->nlines > shown
				   ? format_message(a, locale, N_("And {{count}} more."), "count",
						    arena_printf(a, "%zu", d->nlines - shown), NULL)
				   : NULL;

	/* The plain text: a paragraph per section, then the links. */
	const char *paragraphs[DIGEST_SECTIONS + 8];
	size_t np = 0;
	paragraphs[np++] = format_message(a, locale, N_("Hello {{name}},"), "name", name, NULL);
	paragraphs[np++] = intro;
	json_t *sections = json_array(), *section = NULL;
	struct buf text = {0};
	for (size_t i = 0; i < shown; i++) {
		const struct digest_line *l = lines[i];
		const char *url = mail_content_link(a, l->path);
		if (i == 0 || l->section != lines[i - 1]->section) {
			if (text.len)
				paragraphs[np++] = arena_strndup(a, text.data, text.len);
			text.len = 0;
			const char *heading = i18n_get(locale, section_headings[l->section]);
			buf_printf(&text, "== %s ==\n", heading);
			section = json_pack("{s:s, s:[]}", "heading", heading, "lines");
			json_array_append_new(sections, section);
		}
		buf_printf(&text, "\n- %s%s%s%s\n", l->title, l->where ? " (" : "", l->where ? l->where : "",
			   l->where ? ")" : "");
		if (l->what)
			buf_printf(&text, "  %s\n", l->what);
		buf_printf(&text, "  %s\n", url);
		json_t *line = json_pack("{s:s, s:s}", "title", l->title, "url", url);
		if (l->where)
			json_object_set_new(line, "where", json_string(l->where));
		if (l->what)
			json_object_set_new(line, "what", json_string(l->what));
		json_array_append_new(json_object_get(section, "lines"), line);
	}
	paragraphs[np++] = arena_strndup(a, text.data, text.len);
	buf_free(&text);
	if (more)
		paragraphs[np++] = more;
	paragraphs[np++] = arena_printf(a, "%s: %s", i18n_get(locale, N_("Read everything on the site")), rest);
	if (settings)
		paragraphs[np++] =
			arena_printf(a, "%s: %s", i18n_get(locale, N_("Choose what you receive by e-mail")), settings);
	if (d->unsubscribe_url)
		paragraphs[np++] = arena_printf(a, "%s: %s", i18n_get(locale, N_("Unsubscribe")), d->unsubscribe_url);
	paragraphs[np] = NULL;

	json_t *model = json_pack("{s:s, s:s, s:s, s:o, s:s}", "subject", subject, "name", name, "intro", intro,
				  "sections", sections, "rest_link", rest);
	if (more)
		json_object_set_new(model, "more", json_string(more));
	if (settings)
		json_object_set_new(model, "settings_link", json_string(settings));
	if (d->unsubscribe_url)
		json_object_set_new(model, "unsubscribe_link", json_string(d->unsubscribe_url));
	struct outbox_message m = {
		.kind = d->kind,
		.user_id = d->user_id,
		.to_name = d->to_name,
		.to_address = d->to_address,
		.subject = subject,
		.text = mail_content_text(a, paragraphs),
		.html = mail_content_html(a, "digest", model, locale),
		.unsubscribe_url = d->unsubscribe_url,
	};
	return m.html && outbox_add(db, &m, now);
}
