/* atom: an Atom feed as XML (see atom.h). */
#include "render/atom.h"

#include "core/fold.h"

#include <string.h>
#include <time.h>

void atom_put_escaped(struct buf *out, const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x80) {
			/* Whole UTF-8 characters only; XML has no way to carry the rest. */
			int32_t cp;
			size_t len = fold_decode(s + i, n - i, &cp);
			if (cp >= 0 && cp != 0xFFFE && cp != 0xFFFF)
				buf_append(out, s + i, len);
			i += len;
			continue;
		}
		switch (c) {
		case '&': buf_puts(out, "&amp;"); break;
		case '<': buf_puts(out, "&lt;"); break;
		case '>': buf_puts(out, "&gt;"); break;
		case '"': buf_puts(out, "&quot;"); break;
		case '\'': buf_puts(out, "&#39;"); break;
		default:
			if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r')
				buf_putc(out, (char)c);
		}
		i++;
	}
}

void atom_put_time(struct buf *out, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char text[32];
	gmtime_r(&tt, &tm);
	strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &tm);
	buf_puts(out, text);
}

/* <name>text</name> on its own line, indented. */
static void element(struct buf *out, const char *indent, const char *name, const char *text)
{
	buf_printf(out, "%s<%s>", indent, name);
	atom_put_escaped(out, text);
	buf_printf(out, "</%s>\n", name);
}

static void time_element(struct buf *out, const char *indent, const char *name, int64_t t)
{
	buf_printf(out, "%s<%s>", indent, name);
	atom_put_time(out, t);
	buf_printf(out, "</%s>\n", name);
}

static void link_element(struct buf *out, const char *indent, const char *rel, const char *type, const char *href)
{
	buf_printf(out, "%s<link rel=\"%s\" type=\"%s\" href=\"", indent, rel, type);
	atom_put_escaped(out, href);
	buf_puts(out, "\"/>\n");
}

static void entry_write(struct buf *out, const struct atom_entry *e)
{
	buf_puts(out, "  <entry>\n");
	element(out, "    ", "id", e->id);
	element(out, "    ", "title", e->title);
	link_element(out, "    ", "alternate", "text/html", e->link);
	time_element(out, "    ", "published", e->published);
	time_element(out, "    ", "updated", e->updated);
	buf_puts(out, "    <author>\n");
	element(out, "      ", "name", e->author_name);
	if (e->author_uri)
		element(out, "      ", "uri", e->author_uri);
	buf_puts(out, "    </author>\n");
	for (const char *const *c = e->categories; c && *c; c++) {
		buf_puts(out, "    <category term=\"");
		atom_put_escaped(out, *c);
		if (e->category_scheme) {
			buf_puts(out, "\" scheme=\"");
			atom_put_escaped(out, e->category_scheme);
		}
		buf_puts(out, "\"/>\n");
	}
	if (e->summary && *e->summary)
		element(out, "    ", "summary", e->summary);
	if (e->content_html) {
		buf_puts(out, "    <content type=\"html\">");
		atom_put_escaped(out, e->content_html);
		buf_puts(out, "</content>\n");
	}
	buf_puts(out, "  </entry>\n");
}

void atom_write(struct buf *out, const struct atom_feed *feed, const struct atom_entry *entries, size_t n)
{
	buf_puts(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"");
	if (feed->base) {
		buf_puts(out, " xml:base=\"");
		atom_put_escaped(out, feed->base);
		buf_putc(out, '"');
	}
	if (feed->lang) {
		buf_puts(out, " xml:lang=\"");
		atom_put_escaped(out, feed->lang);
		buf_putc(out, '"');
	}
	buf_puts(out, ">\n");
	element(out, "  ", "id", feed->id);
	element(out, "  ", "title", feed->title);
	link_element(out, "  ", "self", "application/atom+xml", feed->self);
	link_element(out, "  ", "alternate", "text/html", feed->alternate);
	time_element(out, "  ", "updated", feed->updated);
	buf_puts(out, "  <generator>kring</generator>\n");
	for (size_t i = 0; i < n; i++)
		entry_write(out, &entries[i]);
	buf_puts(out, "</feed>\n");
}
