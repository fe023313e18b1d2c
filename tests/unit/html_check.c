/* html_check: the rules renderers' HTML must follow (see html_check.h). */
#include "html_check.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const markdown_tags[] = {
	"a", "p", "em", "strong", "del", "code", "pre", "h2", "h3", "h4", "h5", "h6",
	"ul", "ol", "li", "blockquote", "hr", "br", "table", "thead", "tbody", "tr",
	"th", "td", "input",
};
static const char *const markdown_attrs[] = {
	"href", "rel", "class", "title", "type", "disabled", "checked", "start",
};
const struct html_rules markdown_html_rules = {
	markdown_tags, sizeof markdown_tags / sizeof *markdown_tags,
	markdown_attrs, sizeof markdown_attrs / sizeof *markdown_attrs, NULL,
};

/* Every tag is <p>, <br> or <a> with href, rel or class; hrefs are
 * http(s), mailto or /people/. */
static const char *const plaintext_tags[] = {"p", "br", "a"};
static const char *const plaintext_attrs[] = {"href", "rel", "class"};
const struct html_rules plaintext_html_rules = {
	plaintext_tags, 3, plaintext_attrs, 3, "/people/",
};

static bool in_list(const char *s, size_t n, const char *const *list, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (strlen(list[i]) == n && memcmp(list[i], s, n) == 0)
			return true;
	return false;
}

static bool href_ok(const char *v, const struct html_rules *rules)
{
	if (strncasecmp(v, "http:", 5) == 0 || strncasecmp(v, "https:", 6) == 0 || strncasecmp(v, "mailto:", 7) == 0)
		return true;
	if (rules->relative_prefix)
		return strncmp(v, rules->relative_prefix, strlen(rules->relative_prefix)) == 0;
	/* Two slashes or backslashes start another site's address. */
	if ((v[0] == '/' || v[0] == '\\') && (v[1] == '/' || v[1] == '\\'))
		return false;
	/* Relative as browsers read it: no scheme, which is a letter, then
	 * letters, digits, '+', '-' or '.', then ':'. */
	size_t n = strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.");
	return n == 0 || strspn(v, "0123456789+-.") > 0 || v[n] != ':';
}

bool html_check(const char *html, const struct html_rules *rules, char *why, size_t whylen)
{
	if (strcasestr(html, "<script")) {
		snprintf(why, whylen, "<script in %.60s", strcasestr(html, "<script"));
		return false;
	}
	const char *p = html;
	while ((p = strchr(p, '<'))) {
		const char *tag = p++;
		if (*p == '/')
			p++;
		size_t n = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789");
		if (!in_list(p, n, rules->tags, rules->ntags)) {
			snprintf(why, whylen, "unexpected tag at %.60s", tag);
			return false;
		}
		p += n;
		for (;;) {
			p += strspn(p, " ");
			if (*p == '>')
				break;
			size_t an = strspn(p, "abcdefghijklmnopqrstuvwxyz");
			if (!an || !in_list(p, an, rules->attrs, rules->nattrs)) {
				snprintf(why, whylen, "unexpected attribute at %.60s", p);
				return false;
			}
			bool href = an == 4 && memcmp(p, "href", 4) == 0;
			p += an;
			if (*p != '=')
				continue;
			const char *v = p + 2, *end = p[1] == '"' ? strchr(v, '"') : NULL;
			if (!end) {
				snprintf(why, whylen, "unquoted value at %.60s", p);
				return false;
			}
			if (memchr(v, '<', (size_t)(end - v)) || memchr(v, '>', (size_t)(end - v))) {
				snprintf(why, whylen, "'<' or '>' in the value at %.60s", p);
				return false;
			}
			if (href && !href_ok(v, rules)) {
				snprintf(why, whylen, "unexpected href %.*s", (int)(end - v > 60 ? 60 : end - v), v);
				return false;
			}
			p = end + 1;
		}
	}
	return true;
}
