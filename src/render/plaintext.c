/* plaintext: comments as plain text to HTML; no markup of any kind is recognised. */
#include "render/plaintext.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/mem.h"
#include "core/text.h"
#include "render/links.h"
#include "render/markdown.h"

#define LINK_REL " rel=\"nofollow ugc noopener\""

static bool blank_char(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\f' || c == '\v';
}

static bool ascii_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z');
}

/* Length of the web address starting at s[i], or 0. The address runs to
 * white space or '<', less the punctuation that ends the sentence around
 * it; a ')' stays when it closes a '(' of the address, as in
 * https://en.wikipedia.org/wiki/C_(programming_language). */
static size_t web_address(const char *s, size_t n, size_t i, bool *www)
{
	const char *p = s + i;
	size_t avail = n - i, prefix;
	/* Not the middle of a word or of a longer address. */
	if (i > 0 && (mention_word_char((unsigned char)s[i - 1]) || strchr("./-@:&=%+~", s[i - 1])))
		return 0;
	if (avail > 8 && strncasecmp(p, "https://", 8) == 0)
		prefix = 8, *www = false;
	else if (avail > 7 && strncasecmp(p, "http://", 7) == 0)
		prefix = 7, *www = false;
	else if (avail > 4 && strncasecmp(p, "www.", 4) == 0 && ascii_alnum((unsigned char)p[4]))
		prefix = 4, *www = true;
	else
		return 0;
	size_t e = prefix, open = 0, close = 0;
	for (; e < avail && !blank_char((unsigned char)p[e]) && p[e] != '<'; e++) {
		open += p[e] == '(';
		close += p[e] == ')';
	}
	while (e > prefix) {
		char c = p[e - 1];
		if (c == ')' && close > open)
			close--;
		else if (c == '\0' || !strchr(".,;:!?'\"]>", c))
			break;
		e--;
	}
	return e > prefix ? e : 0;
}

static bool email_local_char(unsigned char c)
{
	return ascii_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

/* The e-mail address around the '@' at s[at] as s[*from..*to), looking no
 * further back than lo (text before it is already written), or false. */
static bool email_at(const char *s, size_t n, size_t lo, size_t at, size_t *from, size_t *to)
{
	size_t b = at;
	while (b > lo && email_local_char((unsigned char)s[b - 1]))
		b--;
	while (b < at && s[b] == '.')
		b++;
	/* "josé@example.org" is one address we cannot link; better none than
	 * "é" outside the link. */
	if (b == at || (b > 0 && (unsigned char)s[b - 1] >= 0x80))
		return false;
	size_t e = at + 1;
	while (e < n && (ascii_alnum((unsigned char)s[e]) || s[e] == '-' || s[e] == '.'))
		e++;
	while (e > at + 1 && (s[e - 1] == '.' || s[e - 1] == '-'))
		e--;
	/* At least two labels, none empty, the last (the TLD) two or more. */
	size_t labels = 0, label = at + 1, last = at + 1;
	for (size_t k = at + 1; k <= e; k++) {
		if (k < e && s[k] != '.')
			continue;
		if (k == label)
			return false;
		labels++;
		last = label;
		label = k + 1;
	}
	if (labels < 2 || e - last < 2)
		return false;
	*from = b;
	*to = e;
	return true;
}

static void put_link(struct buf *out, const char *scheme, const char *u, size_t n)
{
	buf_puts(out, "<a href=\"");
	buf_puts(out, scheme);
	markdown_put_href(out, u, n);
	buf_puts(out, "\"" LINK_REL ">");
	buf_put_html(out, u, n);
	buf_puts(out, "</a>");
}

/* One line (no line breaks in it), escaped, with its links. */
static void render_line(const char *s, size_t n, struct buf *out)
{
	size_t start = 0, i = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		size_t e, from, to;
		bool www;
		if (((c | 32) == 'h' || (c | 32) == 'w') && (e = web_address(s, n, i, &www))) {
			buf_put_html(out, s + start, i - start);
			put_link(out, www ? "https://" : "", s + i, e);
			i += e;
			start = i;
			continue;
		}
		if (c == '@' && email_at(s, n, start, i, &from, &to)) {
			buf_put_html(out, s + start, from - start);
			put_link(out, "mailto:", s + from, to - from);
			i = start = to;
			continue;
		}
		if (c == '@' && mention_at(s, n, i, &e)) {
			buf_put_html(out, s + start, i - start);
			buf_puts(out, "<a class=\"mention\" href=\"");
			link_put_person(out, s + i + 1, e);
			buf_puts(out, "\">@");
			buf_append(out, s + i + 1, e);
			buf_puts(out, "</a>");
			i += e + 1;
			start = i;
			continue;
		}
		i++;
	}
	buf_put_html(out, s + start, n - start);
}

void plaintext_render(const char *text, size_t len, struct buf *out)
{
	if (!text || !len)
		return;
	/* Repaired first, so the output is valid UTF-8 whatever came in. */
	char *fixed = NULL;
	if (!utf8_valid(text, len)) {
		fixed = xmalloc(3 * len + 1);
		len = utf8_repair(fixed, text, len);
		text = fixed;
	}
	bool in_p = false;
	size_t i = 0;
	while (i < len) {
		size_t e = i;
		while (e < len && text[e] != '\n' && text[e] != '\r')
			e++;
		size_t next = e;
		if (next < len)
			next += text[next] == '\r' && next + 1 < len && text[next + 1] == '\n' ? 2 : 1;
		bool blank = true;
		for (size_t k = i; k < e && blank; k++)
			blank = blank_char((unsigned char)text[k]);
		if (blank) {
			if (in_p)
				buf_puts(out, "</p>\n");
			in_p = false;
		} else {
			buf_puts(out, in_p ? "<br>" : "<p>");
			in_p = true;
			render_line(text + i, e - i, out);
		}
		i = next;
	}
	if (in_p)
		buf_puts(out, "</p>\n");
	free(fixed);
}
