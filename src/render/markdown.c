/* markdown: untrusted Markdown to HTML through md4c's parser, writing every tag ourselves. */
#include "render/markdown.h"

#include <jansson.h>

#include <md4c.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/mem.h"
#include "core/hash.h"
#include "core/text.h"
#include "render/links.h"

/* Raw HTML off: it would otherwise pass through untouched. The rest is
 * GitHub's dialect, which is what people paste. */
#define KRING_MD_FLAGS (MD_FLAG_NOHTML | MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | \
			MD_FLAG_TASKLISTS | MD_FLAG_PERMISSIVEAUTOLINKS)

#define LINK_REL " rel=\"nofollow ugc noopener\""
#define REPLACEMENT "\xEF\xBF\xBD"

/* ---- mentions ---------------------------------------------------------- */

bool mention_word_char(unsigned char c)
{
	/* Non-ASCII bytes count as word characters so that "josé@example.org"
	 * is not read as a mention of "example". */
	return (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z') || c == '_' || c >= 0x80;
}

static bool handle_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

bool mention_at(const char *s, size_t len, size_t i, size_t *handle_len)
{
	if (i >= len || s[i] != '@' || (i > 0 && mention_word_char((unsigned char)s[i - 1])))
		return false;
	const unsigned char *h = (const unsigned char *)s + i + 1;
	size_t avail = len - i - 1, n = 0;
	if (avail == 0 || !((h[0] >= 'a' && h[0] <= 'z') || (h[0] >= '0' && h[0] <= '9')))
		return false;
	while (n < avail && n <= 32 && handle_char(h[n]))
		n++;
	if (n < 2 || n > 32)
		return false;
	/* "@Bob" or "@bob@example.org" name someone else, not a local "bob". */
	if (n < avail && (mention_word_char(h[n]) || h[n] == '-' || h[n] == '@'))
		return false;
	*handle_len = n;
	return true;
}

/* The handles already reported by markdown_mentions: open addressing, so
 * a document with thousands of mentions stays linear. */
struct handle_set {
	char (*slot)[33];
	size_t cap, count;
};

/* Adds h[0..n) (n <= 32); false when it was there already. */
static bool handle_set_add(struct handle_set *set, const char *h, size_t n)
{
	if ((set->count + 1) * 2 > set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 16;
		char (*slot)[33] = xcalloc(cap, sizeof *slot);
		for (size_t i = 0; i < set->cap; i++) {
			if (!set->slot[i][0])
				continue;
			size_t k = hash_str(set->slot[i]) & (cap - 1);
			while (slot[k][0])
				k = (k + 1) & (cap - 1);
			memcpy(slot[k], set->slot[i], sizeof slot[k]);
		}
		free(set->slot);
		set->slot = slot;
		set->cap = cap;
	}
	size_t k = hash_bytes(h, n) & (set->cap - 1);
	for (; set->slot[k][0]; k = (k + 1) & (set->cap - 1))
		if (strlen(set->slot[k]) == n && memcmp(set->slot[k], h, n) == 0)
			return false;
	memcpy(set->slot[k], h, n);
	set->slot[k][n] = '\0';
	set->count++;
	return true;
}

/* ---- entities ---------------------------------------------------------- */

static const struct {
	const char *name;
	uint32_t cp;
} named_entities[] = {
	{"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''},
	{"nbsp", 0xA0}, {"copy", 0xA9}, {"reg", 0xAE}, {"trade", 0x2122},
	{"hellip", 0x2026}, {"mdash", 0x2014}, {"ndash", 0x2013},
	{"lsquo", 0x2018}, {"rsquo", 0x2019}, {"ldquo", 0x201C}, {"rdquo", 0x201D},
	{"laquo", 0xAB}, {"raquo", 0xBB}, {"euro", 0x20AC}, {"pound", 0xA3},
	{"yen", 0xA5}, {"cent", 0xA2}, {"deg", 0xB0}, {"middot", 0xB7},
	{"times", 0xD7}, {"divide", 0xF7}, {"plusmn", 0xB1}, {"sect", 0xA7},
	{"para", 0xB6}, {"bull", 0x2022}, {"larr", 0x2190}, {"rarr", 0x2192},
	{"uarr", 0x2191}, {"darr", 0x2193}, {"harr", 0x2194}, {"shy", 0xAD},
	{"auml", 0xE4}, {"ouml", 0xF6}, {"uuml", 0xFC}, {"aring", 0xE5},
	{"Auml", 0xC4}, {"Ouml", 0xD6}, {"Uuml", 0xDC}, {"Aring", 0xC5},
	{"eacute", 0xE9}, {"egrave", 0xE8}, {"euml", 0xEB}, {"iuml", 0xEF},
	{"szlig", 0xDF},
	/* These only matter for link addresses: decoding them lets the scheme
	 * check see what a browser would see. */
	{"colon", ':'}, {"Tab", '\t'}, {"NewLine", '\n'}, {"sol", '/'},
	{"lpar", '('}, {"rpar", ')'}, {"period", '.'},
};

/* The code point of the entity e[0..n) ("&...;" as md4c found it), or 0
 * when it is a name we do not know. Numeric references to nothing valid
 * give U+FFFD, as CommonMark says. */
static uint32_t entity_code(const char *e, size_t n)
{
	if (n < 3 || e[0] != '&' || e[n - 1] != ';')
		return 0;
	if (e[1] == '#') {
		bool hex = n > 3 && (e[2] | 32) == 'x';
		uint32_t cp = 0;
		size_t i = hex ? 3 : 2;
		if (i >= n - 1)
			return 0;
		for (; i < n - 1; i++) {
			unsigned char c = (unsigned char)e[i];
			unsigned d;
			if (c >= '0' && c <= '9')
				d = c - '0';
			else if (hex && (c | 32) >= 'a' && (c | 32) <= 'f')
				d = (c | 32) - 'a' + 10;
			else
				return 0;
			/* md4c allows 7 decimal or 6 hex digits; the cap keeps
			 * the arithmetic in range for anything longer. */
			cp = cp > 0x10FFFF ? cp : cp * (hex ? 16 : 10) + d;
		}
		if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0xFFFD;
		return cp;
	}
	for (size_t i = 0; i < sizeof named_entities / sizeof named_entities[0]; i++)
		if (strlen(named_entities[i].name) == n - 2 && memcmp(named_entities[i].name, e + 1, n - 2) == 0)
			return named_entities[i].cp;
	return 0;
}

static size_t utf8_encode(char out[4], uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Appends the entity decoded (unescaped) to b; an unknown one as written. */
static void put_entity_raw(struct buf *b, const char *e, size_t n)
{
	uint32_t cp = entity_code(e, n);
	if (!cp) {
		buf_append(b, e, n);
		return;
	}
	char u[4];
	buf_append(b, u, utf8_encode(u, cp));
}

/* ---- addresses --------------------------------------------------------- */

/* Decodes an md4c attribute (text with entities) into b, unescaped. */
static void attr_decode(const MD_ATTRIBUTE *a, struct buf *b)
{
	for (size_t k = 0; a->substr_offsets[k] < a->size; k++) {
		const char *p = a->text + a->substr_offsets[k];
		size_t n = a->substr_offsets[k + 1] - a->substr_offsets[k];
		if (a->substr_types[k] == MD_TEXT_ENTITY)
			put_entity_raw(b, p, n);
		else if (a->substr_types[k] == MD_TEXT_NULLCHAR)
			buf_puts(b, REPLACEMENT);
		else
			buf_append(b, p, n);
	}
}

/* True when the decoded address u[0..n) may be a link: http, https, mailto
 * or relative. A scheme is what a browser would take for one (a letter,
 * then letters, digits, '+', '-', '.', then ':'); control characters are
 * refused outright because browsers drop some of them inside schemes
 * ("java\tscript:"). */
static bool url_allowed(const char *u, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)u[i] < 0x20 || u[i] == 0x7F)
			return false;
	if (n == 0 || (u[0] | 32) < 'a' || (u[0] | 32) > 'z')
		return true;
	size_t j = 1;
	while (j < n && ((u[j] >= '0' && u[j] <= '9') || ((u[j] | 32) >= 'a' && (u[j] | 32) <= 'z') ||
			 u[j] == '+' || u[j] == '-' || u[j] == '.'))
		j++;
	if (j == n || u[j] != ':')
		return true;
	return (j == 4 && strncasecmp(u, "http", 4) == 0) || (j == 5 && strncasecmp(u, "https", 5) == 0) ||
	       (j == 6 && strncasecmp(u, "mailto", 6) == 0);
}

/* Where the host starts when browsers read u[0..n) as an address on
 * another site with the page's scheme: two or more of '/' and '\' at the
 * start in any mix ("//evil.example/x"), as browsers take '\' for '/';
 * 0 when they do not. */
static size_t protocol_relative(const char *u, size_t n)
{
	size_t k = 0;
	while (k < n && (u[k] == '/' || u[k] == '\\'))
		k++;
	return k >= 2 ? k : 0;
}

void markdown_put_href(struct buf *out, const char *u, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)u[i];
		if (c == '&')
			buf_puts(out, "&amp;");
		else if (c == '\'')
			buf_puts(out, "&#39;");
		/* What a URL may hold as it is; '%' stays so that addresses
		 * already encoded are not encoded twice. */
		else if ((c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z') ||
			 (c && strchr("-_.~!*();:@=+$,/?#[]%", c)))
			buf_putc(out, (char)c);
		else {
			char e[3] = {'%', hex[c >> 4], hex[c & 15]};
			buf_append(out, e, 3);
		}
	}
}

/* ---- rendering --------------------------------------------------------- */

/* One open link or image span: whether we wrote its <a>, and for images
 * where the alt text starts and what the href was, so an empty alt text
 * can show the address instead of an invisible link. */
struct frame {
	bool emitted;
	size_t start, href_at, href_len;
};

struct md {
	struct buf *out;
	struct buf frames;	/* a stack of struct frame */
	struct buf scratch;	/* decoded attributes */
	struct buf link;	/* a protocol-relative address made https: */
	unsigned open_a;	/* <a> written and not yet closed: no nested <a> */
	unsigned in_link;	/* link and image spans entered: no mentions */
	bool prev_word;		/* the last text character was a word character */
	/* Set when collecting mentions instead of rendering. */
	void (*found)(const char *handle, size_t n, void *ctx);
	void *ctx;
	struct handle_set seen;
	/* Set when writing plain text instead of HTML (markdown_plain), with
	 * what was passed over since the last character written: white
	 * space, or the edge of a block. */
	bool plain, plain_space, plain_block;
};

/* ---- plain text -------------------------------------------------------- */

static bool plain_space_char(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* True when out ends a sentence or a clause, so that the next block reads
 * on after a space: "We need: a · b", "First step. Second step." */
static bool plain_clause_end(const struct buf *out)
{
	size_t n = out->len;
	if (n >= 3 && memcmp(out->data + n - 3, "\xE2\x80\xA6", 3) == 0)
		return true;
	return n && strchr(".,;:!?", out->data[n - 1]);
}

/* Appends text as a reader sees it: runs of white space as one space, and
 * " · " between the text of two blocks (list items, cells, a heading and
 * what follows it) unless the first ends a clause. The edges of spans
 * (emphasis, links, mentions) add nothing, so "**companies**." stays
 * "companies." and words the source kept apart stay apart. */
static void plain_put(struct md *m, const char *s, size_t n)
{
	struct buf *out = m->out;
	for (size_t i = 0; i < n;) {
		if (plain_space_char((unsigned char)s[i])) {
			m->plain_space = true;
			i++;
			continue;
		}
		if (out->len && m->plain_block && !plain_clause_end(out))
			buf_puts(out, " \xC2\xB7 ");
		else if (out->len && (m->plain_block || m->plain_space))
			buf_putc(out, ' ');
		m->plain_block = m->plain_space = false;
		size_t j = i;
		while (j < n && !plain_space_char((unsigned char)s[j]))
			j++;
		buf_append(out, s + i, j - i);
		i = j;
	}
}

static void plain_text(struct md *m, MD_TEXTTYPE type, const char *s, size_t n)
{
	char u[4];
	uint32_t cp;
	switch (type) {
	case MD_TEXT_NULLCHAR:
		plain_put(m, REPLACEMENT, strlen(REPLACEMENT));
		break;
	case MD_TEXT_BR:
	case MD_TEXT_SOFTBR:
		plain_put(m, " ", 1);
		break;
	case MD_TEXT_ENTITY:
		cp = entity_code(s, n);
		if (cp)
			plain_put(m, u, utf8_encode(u, cp));
		else
			plain_put(m, s, n);
		break;
	default:
		plain_put(m, s, n);
		break;
	}
}

static void put_mention(struct md *m, const char *h, size_t n)
{
	if (m->found) {
		if (handle_set_add(&m->seen, h, n))
			m->found(h, n, m->ctx);
		return;
	}
	buf_puts(m->out, "<a class=\"mention\" href=\"");
	link_put_person(m->out, h, n);
	buf_puts(m->out, "\">@");
	buf_append(m->out, h, n);
	buf_puts(m->out, "</a>");
}

/* Normal text: escaped, with mentions linked unless inside a link. */
static void put_text(struct md *m, const char *s, size_t n)
{
	size_t start = 0;
	if (!m->in_link) {
		for (size_t i = 0; i < n; i++) {
			size_t h;
			/* md4c hands text over in pieces; the character before a
			 * piece's first '@' is in the previous piece. */
			if (s[i] != '@' || (i == 0 && m->prev_word) || !mention_at(s, n, i, &h))
				continue;
			if (!m->found)
				buf_put_html(m->out, s + start, i - start);
			put_mention(m, s + i + 1, h);
			i += h;
			start = i + 1;
		}
	}
	if (!m->found)
		buf_put_html(m->out, s + start, n - start);
	if (n)
		m->prev_word = mention_word_char((unsigned char)s[n - 1]);
}

static int text_cb(MD_TEXTTYPE type, const MD_CHAR *s, MD_SIZE n, void *userdata)
{
	struct md *m = userdata;
	struct buf *out = m->out;
	if (m->plain) {
		plain_text(m, type, s, n);
		return 0;
	}
	if (type == MD_TEXT_NORMAL) {
		put_text(m, s, n);
		return 0;
	}
	uint32_t cp = type == MD_TEXT_ENTITY ? entity_code(s, n) : 0;
	char u[4];
	size_t un = cp ? utf8_encode(u, cp) : 0;
	if (type == MD_TEXT_BR || type == MD_TEXT_SOFTBR)
		m->prev_word = false;
	else if (type == MD_TEXT_NULLCHAR || un)
		m->prev_word = mention_word_char(un ? (unsigned char)u[0] : 0x80);
	else if (n)
		m->prev_word = mention_word_char((unsigned char)s[n - 1]);
	if (m->found)
		return 0;
	switch (type) {
	case MD_TEXT_NULLCHAR:
		buf_puts(out, REPLACEMENT);
		break;
	case MD_TEXT_BR:
		buf_puts(out, "<br>\n");
		break;
	case MD_TEXT_SOFTBR:
		buf_putc(out, '\n');
		break;
	case MD_TEXT_ENTITY:
		/* Decoded, then escaped: "&lt;" stays "&lt;", "&foo;" becomes
		 * "&amp;foo;" and shows as typed. */
		if (un)
			buf_put_html(out, u, un);
		else
			buf_put_html(out, s, n);
		break;
	default:
		/* Code, and raw HTML should md4c ever report it despite
		 * MD_FLAG_NOHTML: text either way. */
		buf_put_html(out, s, n);
		break;
	}
	return 0;
}

/* Writes <a href=... for an allowed address and returns true, or nothing. */
static bool open_link(struct md *m, const MD_ATTRIBUTE *href, const MD_ATTRIBUTE *title, struct frame *f)
{
	struct buf *out = m->out;
	buf_reset(&m->scratch);
	attr_decode(href, &m->scratch);
	const char *u = m->scratch.data ? m->scratch.data : "";
	size_t n = m->scratch.len;
	/* Browsers ignore spaces around an address ("<  http://x >"). */
	while (n && u[0] == ' ')
		u++, n--;
	while (n && u[n - 1] == ' ')
		n--;
	/* A protocol-relative address leads to another site as much as an
	 * https: one does, so it is written as one: the page then shows
	 * where it goes, and it passes the same check. */
	size_t host = protocol_relative(u, n);
	if (host) {
		buf_reset(&m->link);
		buf_puts(&m->link, "https://");
		buf_append(&m->link, u + host, n - host);
		u = m->link.data;
		n = m->link.len;
		if (n == strlen("https://"))
			return false;
	}
	if (!url_allowed(u, n))
		return false;
	buf_puts(out, "<a href=\"");
	f->href_at = out->len;
	markdown_put_href(out, u, n);
	f->href_len = out->len - f->href_at;
	buf_putc(out, '"');
	if (title && title->size) {
		buf_reset(&m->scratch);
		attr_decode(title, &m->scratch);
		buf_puts(out, " title=\"");
		buf_put_html(out, m->scratch.data, m->scratch.len);
		buf_putc(out, '"');
	}
	buf_puts(out, LINK_REL ">");
	f->start = out->len;
	return true;
}

static int enter_span_cb(MD_SPANTYPE type, void *detail, void *userdata)
{
	struct md *m = userdata;
	struct buf *out = m->out;
	if (m->plain)
		return 0;
	if (type == MD_SPAN_A || type == MD_SPAN_IMG) {
		struct frame f = {0};
		m->in_link++;
		/* A link inside a link (an image in a link, a link in an
		 * image's alt text) stays text: HTML cannot nest <a>. */
		if (!m->found && !m->open_a) {
			const MD_ATTRIBUTE *href, *title;
			if (type == MD_SPAN_A) {
				href = &((MD_SPAN_A_DETAIL *)detail)->href;
				title = &((MD_SPAN_A_DETAIL *)detail)->title;
			} else {
				href = &((MD_SPAN_IMG_DETAIL *)detail)->src;
				title = &((MD_SPAN_IMG_DETAIL *)detail)->title;
			}
			f.emitted = open_link(m, href, title, &f);
			m->open_a += f.emitted;
		}
		buf_append(&m->frames, &f, sizeof f);
		return 0;
	}
	if (m->found)
		return 0;
	switch (type) {
	case MD_SPAN_EM: buf_puts(out, "<em>"); break;
	case MD_SPAN_STRONG: buf_puts(out, "<strong>"); break;
	case MD_SPAN_CODE: buf_puts(out, "<code>"); break;
	case MD_SPAN_DEL: buf_puts(out, "<del>"); break;
	default: break;
	}
	return 0;
}

static int leave_span_cb(MD_SPANTYPE type, void *detail, void *userdata)
{
	(void)detail;
	struct md *m = userdata;
	struct buf *out = m->out;
	if (m->plain)
		return 0;
	if (type == MD_SPAN_A || type == MD_SPAN_IMG) {
		struct frame f;
		/* md4c (0.4.8) can leave a link it never entered, as in
		 * "![]([)]()"; there is nothing to close then. */
		if (m->frames.len < sizeof f)
			return 0;
		m->frames.len -= sizeof f;
		memcpy(&f, m->frames.data + m->frames.len, sizeof f);
		m->in_link--;
		if (f.emitted) {
			if (type == MD_SPAN_IMG && out->len == f.start) {
				/* The href is already escaped, so it is safe as
				 * text; copied because out may move as it grows. */
				buf_reset(&m->scratch);
				buf_append(&m->scratch, out->data + f.href_at, f.href_len);
				buf_append(out, m->scratch.data, m->scratch.len);
			}
			buf_puts(out, "</a>");
			m->open_a--;
		}
		return 0;
	}
	if (m->found)
		return 0;
	switch (type) {
	case MD_SPAN_EM: buf_puts(out, "</em>"); break;
	case MD_SPAN_STRONG: buf_puts(out, "</strong>"); break;
	case MD_SPAN_CODE: buf_puts(out, "</code>"); break;
	case MD_SPAN_DEL: buf_puts(out, "</del>"); break;
	default: break;
	}
	return 0;
}

static bool code_lang_ok(const MD_ATTRIBUTE *lang)
{
	if (lang->size < 1 || lang->size > 32)
		return false;
	for (MD_SIZE i = 0; i < lang->size; i++) {
		unsigned char c = (unsigned char)lang->text[i];
		if (!((c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z') || c == '_' || c == '+' ||
		      c == '-'))
			return false;
	}
	return true;
}

static const char *cell_align(MD_ALIGN a)
{
	/* Classes, not style attributes: kring's CSP blocks inline styles. */
	switch (a) {
	case MD_ALIGN_LEFT: return " class=\"align-left\"";
	case MD_ALIGN_CENTER: return " class=\"align-center\"";
	case MD_ALIGN_RIGHT: return " class=\"align-right\"";
	default: return "";
	}
}

static unsigned heading_level(void *detail)
{
	/* The page title is the only <h1>. */
	unsigned level = ((MD_BLOCK_H_DETAIL *)detail)->level + 1;
	return level > 6 ? 6 : level;
}

static int enter_block_cb(MD_BLOCKTYPE type, void *detail, void *userdata)
{
	struct md *m = userdata;
	struct buf *out = m->out;
	m->prev_word = false;
	m->plain_block = true;
	if (m->found || m->plain)
		return 0;
	switch (type) {
	case MD_BLOCK_QUOTE: buf_puts(out, "<blockquote>\n"); break;
	case MD_BLOCK_UL: buf_puts(out, "<ul>\n"); break;
	case MD_BLOCK_OL: {
		unsigned start = ((MD_BLOCK_OL_DETAIL *)detail)->start;
		if (start == 1)
			buf_puts(out, "<ol>\n");
		else
			buf_printf(out, "<ol start=\"%u\">\n", start);
		break;
	}
	case MD_BLOCK_LI: {
		MD_BLOCK_LI_DETAIL *li = detail;
		if (!li->is_task)
			buf_puts(out, "<li>");
		else if (li->task_mark == ' ')
			buf_puts(out, "<li class=\"task\"><input type=\"checkbox\" disabled> ");
		else
			buf_puts(out, "<li class=\"task\"><input type=\"checkbox\" disabled checked> ");
		break;
	}
	case MD_BLOCK_HR: buf_puts(out, "<hr>\n"); break;
	case MD_BLOCK_H: buf_printf(out, "<h%u>", heading_level(detail)); break;
	case MD_BLOCK_CODE: {
		MD_BLOCK_CODE_DETAIL *code = detail;
		if (code_lang_ok(&code->lang)) {
			buf_puts(out, "<pre><code class=\"language-");
			buf_append(out, code->lang.text, code->lang.size);
			buf_puts(out, "\">");
		} else {
			buf_puts(out, "<pre><code>");
		}
		break;
	}
	case MD_BLOCK_P: buf_puts(out, "<p>"); break;
	case MD_BLOCK_TABLE: buf_puts(out, "<table>\n"); break;
	case MD_BLOCK_THEAD: buf_puts(out, "<thead>\n"); break;
	case MD_BLOCK_TBODY: buf_puts(out, "<tbody>\n"); break;
	case MD_BLOCK_TR: buf_puts(out, "<tr>\n"); break;
	case MD_BLOCK_TH:
		buf_puts(out, "<th");
		buf_puts(out, cell_align(((MD_BLOCK_TD_DETAIL *)detail)->align));
		buf_putc(out, '>');
		break;
	case MD_BLOCK_TD:
		buf_puts(out, "<td");
		buf_puts(out, cell_align(((MD_BLOCK_TD_DETAIL *)detail)->align));
		buf_putc(out, '>');
		break;
	default: break;	/* the document, and raw HTML blocks, which NOHTML rules out */
	}
	return 0;
}

static int leave_block_cb(MD_BLOCKTYPE type, void *detail, void *userdata)
{
	struct md *m = userdata;
	struct buf *out = m->out;
	m->prev_word = false;
	m->plain_block = true;
	if (m->found || m->plain)
		return 0;
	switch (type) {
	case MD_BLOCK_QUOTE: buf_puts(out, "</blockquote>\n"); break;
	case MD_BLOCK_UL: buf_puts(out, "</ul>\n"); break;
	case MD_BLOCK_OL: buf_puts(out, "</ol>\n"); break;
	case MD_BLOCK_LI: buf_puts(out, "</li>\n"); break;
	case MD_BLOCK_H: buf_printf(out, "</h%u>\n", heading_level(detail)); break;
	case MD_BLOCK_CODE: buf_puts(out, "</code></pre>\n"); break;
	case MD_BLOCK_P: buf_puts(out, "</p>\n"); break;
	case MD_BLOCK_TABLE: buf_puts(out, "</table>\n"); break;
	case MD_BLOCK_THEAD: buf_puts(out, "</thead>\n"); break;
	case MD_BLOCK_TBODY: buf_puts(out, "</tbody>\n"); break;
	case MD_BLOCK_TR: buf_puts(out, "</tr>\n"); break;
	case MD_BLOCK_TH: buf_puts(out, "</th>\n"); break;
	case MD_BLOCK_TD: buf_puts(out, "</td>\n"); break;
	default: break;
	}
	return 0;
}

#define MD_PAD 8

static bool parse(const char *text, size_t len, struct md *m)
{
	static const MD_PARSER parser = {
		.abi_version = 0,
		.flags = KRING_MD_FLAGS,
		.enter_block = enter_block_cb,
		.leave_block = leave_block_cb,
		.enter_span = enter_span_cb,
		.leave_span = leave_span_cb,
		.text = text_cb,
	};
	if (!text)
		text = "", len = 0;
	if (len > UINT32_MAX / 3)
		return false;
	/* md4c (0.4.8) looks past the end of its input after a link
	 * destination left open at the very end ("[a](b"), and a ')' found
	 * there makes it hand out text from beyond the end. So it always gets
	 * a copy followed by NUL bytes. The copy is repaired first, so the
	 * output is valid UTF-8 whatever came in: JSON and the browser both
	 * need that. */
	bool valid = utf8_valid(text, len);
	char *copy = xmalloc((valid ? len : 3 * len) + MD_PAD);
	if (valid)
		memcpy(copy, text, len);
	else
		len = utf8_repair(copy, text, len);
	memset(copy + len, 0, MD_PAD);
	int rc = md_parse(copy, (MD_SIZE)len, &parser, m);
	free(copy);
	buf_free(&m->frames);
	buf_free(&m->scratch);
	buf_free(&m->link);
	return rc == 0;
}

bool markdown_render(const char *text, size_t len, struct buf *out)
{
	struct md m = {.out = out};
	return parse(text, len, &m);
}

void markdown_mentions(const char *text, size_t len,
		       void (*found)(const char *handle, size_t n, void *ctx), void *ctx)
{
	struct buf unused = {0};
	struct md m = {.out = &unused, .found = found, .ctx = ctx};
	parse(text, len, &m);
	free(m.seen.slot);
	buf_free(&unused);
}

json_t *markdown_json(const char *text)
{
	struct buf html = {0};
	json_t *s;
	/* What markdown_render makes is valid UTF-8 (it repairs its input),
	 * so jansson need not check it again, which costs more than it does
	 * on a long page. */
	if (markdown_render(text, strlen(text), &html)) {
		s = json_stringn_nocheck(html.data ? html.data : "", html.len);
	} else {
		buf_reset(&html);
		buf_put_html(&html, text, strlen(text));
		s = json_string(html.data ? html.data : "");
	}
	buf_free(&html);
	return s;
}

/* The rendered bodies kept: one slot per key modulo KEPT_SLOTS, the last
 * rendered there. Bodies longer than KEPT_TEXT_MAX are rendered each time,
 * which bounds the memory to a few megabytes. */
#define KEPT_SLOTS 2048
#define KEPT_TEXT_MAX 16384

static struct {
	pthread_mutex_t lock;
	struct kept_html {
		int64_t key;
		char *text, *html; /* one allocation: the text, then its HTML */
		size_t text_len, html_len;
	} slots[KEPT_SLOTS];
} kept = {.lock = PTHREAD_MUTEX_INITIALIZER};

json_t *markdown_json_kept(int64_t key, const char *text)
{
	size_t len = strlen(text);
	struct kept_html *slot = &kept.slots[(uint64_t)key % KEPT_SLOTS];
	pthread_mutex_lock(&kept.lock);
	if (slot->text && slot->key == key && slot->text_len == len && memcmp(slot->text, text, len) == 0) {
		json_t *s = json_stringn_nocheck(slot->html, slot->html_len);
		pthread_mutex_unlock(&kept.lock);
		return s;
	}
	pthread_mutex_unlock(&kept.lock);
	struct buf html = {0};
	if (len > KEPT_TEXT_MAX || !markdown_render(text, len, &html)) {
		buf_free(&html);
		return markdown_json(text);
	}
	char *both = xmalloc(len + html.len + 1);
	memcpy(both, text, len);
	memcpy(both + len, html.data ? html.data : "", html.len);
	json_t *s = json_stringn_nocheck(both + len, html.len);
	pthread_mutex_lock(&kept.lock);
	free(slot->text);
	*slot = (struct kept_html){key, both, both + len, len, html.len};
	pthread_mutex_unlock(&kept.lock);
	buf_free(&html);
	return s;
}

void markdown_plain(const char *text, size_t len, struct buf *out)
{
	struct md m = {.out = out, .plain = true};
	size_t had = out->len;
	if (!parse(text, len, &m)) {
		out->len = had;
		if (out->data)
			out->data[had] = '\0';
		buf_append(out, text, len);
	}
}

json_t *markdown_excerpt_json(const char *text)
{
	struct buf plain = {0};
	markdown_plain(text, strlen(text), &plain);
	char excerpt[MARKDOWN_EXCERPT_MAX + 4];
	text_excerpt(plain.data ? plain.data : "", MARKDOWN_EXCERPT_MAX, excerpt, sizeof(excerpt));
	/* Not UTF-8 only when md4c failed and the source came back as it was. */
	json_t *s = json_string(excerpt);
	buf_free(&plain);
	return s ? s : json_string("");
}
