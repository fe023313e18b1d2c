/* html_check: whether HTML holds only the tags, attributes and links a
 * renderer may write. Free of cmocka, so the fuzz harnesses check the same
 * rules as the unit tests. */
#ifndef KRING_TEST_HTML_CHECK_H
#define KRING_TEST_HTML_CHECK_H

#include <stdbool.h>
#include <stddef.h>

/* What a renderer may write. An href is http(s), mailto or — when
 * relative_prefix is NULL — any address without a scheme that stays on the
 * site (not "//host"); otherwise only addresses starting with
 * relative_prefix. */
struct html_rules {
	const char *const *tags;
	size_t ntags;
	const char *const *attrs;
	size_t nattrs;
	const char *relative_prefix;
};

/* What render/markdown and render/plaintext may write. */
extern const struct html_rules markdown_html_rules, plaintext_html_rules;

/* False, with the reason in why, when html breaks the rules, has an
 * unquoted value or a '<' or '>' inside one, or contains "<script". */
bool html_check(const char *html, const struct html_rules *rules, char *why, size_t whylen);

#endif
