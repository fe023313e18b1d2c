/* Unit tests of render/plaintext: comments as escaped text with paragraphs, links and mentions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/text.h"
#include "render/plaintext.h"
#include "support.h"

#define REL " rel=\"nofollow ugc noopener\""
#define LINK(href, text) "<a href=\"" href "\"" REL ">" text "</a>"
#define MENTION(h) "<a class=\"mention\" href=\"/people/" h "\">@" h "</a>"

static char *render_n(const char *s, size_t n)
{
	struct buf b = {0};
	plaintext_render(s, n, &b);
	return buf_take(&b);
}

static char *render(const char *s)
{
	return render_n(s, strlen(s));
}

#define PT_EQ(in, want)                                   \
	do {                                              \
		char *got_ = render(in);                  \
		assert_string_equal(got_, want);          \
		free(got_);                               \
	} while (0)

/* ---- text and paragraphs ----------------------------------------------- */

static void test_empty_and_blank(void **state)
{
	(void)state;
	PT_EQ("", "");
	PT_EQ("\n", "");
	PT_EQ(" \t\r\n\n  \r", "");
	char *got = render_n(NULL, 0);
	assert_string_equal(got, "");
	free(got);
}

static void test_escaped(void **state)
{
	(void)state;
	PT_EQ("a < b & c > d \"q\" 'a'", "<p>a &lt; b &amp; c &gt; d &quot;q&quot; &#39;a&#39;</p>\n");
	PT_EQ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n");
	PT_EQ("&amp; &lt;", "<p>&amp;amp; &amp;lt;</p>\n");
}

static void test_no_markdown(void **state)
{
	(void)state;
	PT_EQ("# not a heading *nor em* `nor code`\n- nor a list",
	      "<p># not a heading *nor em* `nor code`<br>- nor a list</p>\n");
	PT_EQ("[x](javascript:alert(1))", "<p>[x](javascript:alert(1))</p>\n");
	PT_EQ("[a](http://b.example)", "<p>[a](" LINK("http://b.example", "http://b.example") ")</p>\n");
}

static void test_line_breaks(void **state)
{
	(void)state;
	PT_EQ("a\nb", "<p>a<br>b</p>\n");
	PT_EQ("a\r\nb\rc\n", "<p>a<br>b<br>c</p>\n");
	PT_EQ("a\n\nb", "<p>a</p>\n<p>b</p>\n");
	PT_EQ("a\r\n\r\nb", "<p>a</p>\n<p>b</p>\n");
	PT_EQ("a\r\rb", "<p>a</p>\n<p>b</p>\n");
	PT_EQ("a\n \t\n\n\nb\nc", "<p>a</p>\n<p>b<br>c</p>\n");
	PT_EQ("\n\n  \nfirst\n\n\n", "<p>first</p>\n");
	/* Spaces inside a line are kept; HTML collapses them. */
	PT_EQ("  indented  ", "<p>  indented  </p>\n");
}

/* ---- web addresses ----------------------------------------------------- */

static void test_urls(void **state)
{
	(void)state;
	PT_EQ("http://example.org", "<p>" LINK("http://example.org", "http://example.org") "</p>\n");
	PT_EQ("see https://example.org/a?b=1&c=2#d now",
	      "<p>see " LINK("https://example.org/a?b=1&amp;c=2#d", "https://example.org/a?b=1&amp;c=2#d") " now</p>\n");
	PT_EQ("www.example.org/x", "<p>" LINK("https://www.example.org/x", "www.example.org/x") "</p>\n");
	PT_EQ("HTTPS://EXAMPLE.ORG", "<p>" LINK("HTTPS://EXAMPLE.ORG", "HTTPS://EXAMPLE.ORG") "</p>\n");
	PT_EQ("a\nhttp://x.example\nb", "<p>a<br>" LINK("http://x.example", "http://x.example") "<br>b</p>\n");
	PT_EQ("http://a.example<b>", "<p>" LINK("http://a.example", "http://a.example") "&lt;b&gt;</p>\n");
	PT_EQ("http://a.example\tb", "<p>" LINK("http://a.example", "http://a.example") "\tb</p>\n");
	PT_EQ("https://example.org/ö", "<p>" LINK("https://example.org/%C3%B6", "https://example.org/ö") "</p>\n");
}

static void test_url_trailing_punctuation(void **state)
{
	(void)state;
	PT_EQ("Go to http://example.org.", "<p>Go to " LINK("http://example.org", "http://example.org") ".</p>\n");
	PT_EQ("http://example.org/a, b", "<p>" LINK("http://example.org/a", "http://example.org/a") ", b</p>\n");
	PT_EQ("http://e.org/x?!;:',", "<p>" LINK("http://e.org/x", "http://e.org/x") "?!;:&#39;,</p>\n");
	PT_EQ("\"http://e.org/q\"", "<p>&quot;" LINK("http://e.org/q", "http://e.org/q") "&quot;</p>\n");
	PT_EQ("(see http://e.org/a)", "<p>(see " LINK("http://e.org/a", "http://e.org/a") ")</p>\n");
	PT_EQ("[http://e.org/a]", "<p>[" LINK("http://e.org/a", "http://e.org/a") "]</p>\n");
	PT_EQ("<http://e.org/a>", "<p>&lt;" LINK("http://e.org/a", "http://e.org/a") "&gt;</p>\n");
	PT_EQ("http://e.org/a.b/c", "<p>" LINK("http://e.org/a.b/c", "http://e.org/a.b/c") "</p>\n");
}

static void test_url_parentheses(void **state)
{
	(void)state;
	PT_EQ("https://en.wikipedia.org/wiki/C_(programming_language)",
	      "<p>" LINK("https://en.wikipedia.org/wiki/C_(programming_language)",
			 "https://en.wikipedia.org/wiki/C_(programming_language)") "</p>\n");
	PT_EQ("(https://en.wikipedia.org/wiki/C_(programming_language)).",
	      "<p>(" LINK("https://en.wikipedia.org/wiki/C_(programming_language)",
			  "https://en.wikipedia.org/wiki/C_(programming_language)") ").</p>\n");
	PT_EQ("http://e.org/a(b)c)", "<p>" LINK("http://e.org/a(b)c", "http://e.org/a(b)c") ")</p>\n");
}

static void test_not_urls(void **state)
{
	(void)state;
	PT_EQ("http://", "<p>http://</p>\n");
	PT_EQ("http://.", "<p>http://.</p>\n");
	PT_EQ("www.", "<p>www.</p>\n");
	PT_EQ("www. and", "<p>www. and</p>\n");
	PT_EQ("xhttp://e.org", "<p>xhttp://e.org</p>\n");
	PT_EQ("awww.e.org", "<p>awww.e.org</p>\n");
	PT_EQ("ftp://e.org javascript:alert(1) data:text/html,x",
	      "<p>ftp://e.org javascript:alert(1) data:text/html,x</p>\n");
	PT_EQ("http:/e.org", "<p>http:/e.org</p>\n");
}

static void test_url_attribute_breakers(void **state)
{
	(void)state;
	PT_EQ("http://a/\"onmouseover=\"alert(1)",
	      "<p>" LINK("http://a/%22onmouseover=%22alert(1)", "http://a/&quot;onmouseover=&quot;alert(1)") "</p>\n");
	PT_EQ("http://a/'onmouseover='alert(1)'x",
	      "<p>" LINK("http://a/&#39;onmouseover=&#39;alert(1)&#39;x",
			 "http://a/&#39;onmouseover=&#39;alert(1)&#39;x") "</p>\n");
	PT_EQ("http://a/\"><svg onload=alert(1)>",
	      "<p>" LINK("http://a/", "http://a/") "&quot;&gt;&lt;svg onload=alert(1)&gt;</p>\n");
	PT_EQ("http://a/\">x", "<p>" LINK("http://a/%22%3Ex", "http://a/&quot;&gt;x") "</p>\n");
	PT_EQ("www.a.example/`{|}\\^",
	      "<p>" LINK("https://www.a.example/%60%7B%7C%7D%5C%5E", "www.a.example/`{|}\\^") "</p>\n");
}

/* ---- e-mail addresses and mentions ------------------------------------- */

static void test_email(void **state)
{
	(void)state;
	PT_EQ("bob@example.com", "<p>" LINK("mailto:bob@example.com", "bob@example.com") "</p>\n");
	PT_EQ("Mail first.last+tag@sub.example.co.uk.",
	      "<p>Mail " LINK("mailto:first.last+tag@sub.example.co.uk", "first.last+tag@sub.example.co.uk") ".</p>\n");
	PT_EQ("(a_b%c-d@x-y.example)", "<p>(" LINK("mailto:a_b%c-d@x-y.example", "a_b%c-d@x-y.example") ")</p>\n");
	PT_EQ("...bob@example.com", "<p>..." LINK("mailto:bob@example.com", "bob@example.com") "</p>\n");
	PT_EQ("bob@localhost x@y.z a@.example a@b..example a@-",
	      "<p>bob@localhost x@y.z a@.example a@b..example a@-</p>\n");
	PT_EQ("josé@example.org", "<p>josé@example.org</p>\n");
	PT_EQ("<bob@example.com>", "<p>&lt;" LINK("mailto:bob@example.com", "bob@example.com") "&gt;</p>\n");
}

static void test_mentions(void **state)
{
	(void)state;
	PT_EQ("@bob", "<p>" MENTION("bob") "</p>\n");
	PT_EQ("thanks @ann-b, (@x_9) and\n@c0!",
	      "<p>thanks " MENTION("ann-b") ", (" MENTION("x_9") ") and<br>" MENTION("c0") "!</p>\n");
	PT_EQ("bob@example.com", "<p>" LINK("mailto:bob@example.com", "bob@example.com") "</p>\n");
	PT_EQ("bob@localhost", "<p>bob@localhost</p>\n");
	PT_EQ("@a @Bob @bobX @-x @abcdefghijabcdefghijabcdefghijabc",
	      "<p>@a @Bob @bobX @-x @abcdefghijabcdefghijabcdefghijabc</p>\n");
	PT_EQ("@bob@mastodon.example", "<p>@" LINK("mailto:bob@mastodon.example", "bob@mastodon.example") "</p>\n");
	PT_EQ("http://e.org/@bob", "<p>" LINK("http://e.org/@bob", "http://e.org/@bob") "</p>\n");
	PT_EQ("é@bob", "<p>é@bob</p>\n");
}

/* ---- hostile and broken input ------------------------------------------ */

static void test_hostile_set(void **state)
{
	(void)state;
	static const char *const inputs[] = {
		"<script>alert(1)</script>",
		"<img src=x onerror=alert(1)>",
		"\"><svg onload=alert(1)>",
		"javascript:alert(1)",
		"[x](javascript:alert(1))",
		"http://a/\"onmouseover=\"alert(1)",
		"http://a/'onmouseover='alert(1)",
		"www.a.example/\"><script>alert(1)</script>",
		"x\"@example.com onclick=\"y@example.com",
		"@bob\"><script>",
		"http://<script>",
		"https://a.example/</p><script>",
		"a@b.example\"onmouseover=\"x",
	};
	for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++) {
		char *got = render(inputs[i]);
		assert_safe_html(got, &plaintext_html_rules);
		if (strcasestr(got, "<script") || strcasestr(got, "href=\"javascript:") || strstr(got, "<svg") ||
		    strstr(got, "<img"))
			fail_msg("unsafe: %s", got);
		free(got);
	}
}

static void test_broken_utf8(void **state)
{
	(void)state;
	static const char bad[] = "a\xff<\xc3(\0b http://e.org/\xfe";
	char *got = render_n(bad, sizeof bad - 1);
	assert_string_equal(got, "<p>a\xEF\xBF\xBD&lt;\xEF\xBF\xBD(\xEF\xBF\xBD" "b "
				 LINK("http://e.org/%EF%BF%BD", "http://e.org/\xEF\xBF\xBD") "</p>\n");
	assert_true(utf8_valid(got, strlen(got)));
	free(got);

	static const char *const good[] = {
		"Hej @åsa, se https://exempel.se/å och skriv till åsa@exempel.se.\n\n日本語 😀",
		"Ĳsselmeer — www.example.org/ĳ (ok)",
	};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
		got = render(good[i]);
		assert_true(utf8_valid(got, strlen(got)));
		assert_safe_html(got, &plaintext_html_rules);
		free(got);
	}
}

static void test_pathological(void **state)
{
	(void)state;
	static const char *const units[] = {
		"(", ")", "http://x(", "http://", "www.", "@", "a@", "@ab", "a.", "\n", "\r\n \n", "<",
		"https://e.org/)", "\xff", "x@y.", "@ab@",
	};
	assert_renders_safely(render_n, units, sizeof units / sizeof *units, 100000, &plaintext_html_rules);
}

static void test_long_line(void **state)
{
	(void)state;
	size_t n;
	char *s = repeat("a", 1 << 20, &n);
	char *got = render_n(s, n);
	assert_int_equal(strlen(got), n + strlen("<p></p>\n"));
	free(got);
	free(s);
	/* One address a megabyte long, with thousands of '(' in it. */
	s = repeat("(", 1 << 20, &n);
	memcpy(s, "http://e.org/", 13);
	got = render_n(s, n);
	assert_int_equal(strncmp(got, "<p><a href=\"http://e.org/(((", 28), 0);
	free(got);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_and_blank),
		cmocka_unit_test(test_escaped),
		cmocka_unit_test(test_no_markdown),
		cmocka_unit_test(test_line_breaks),
		cmocka_unit_test(test_urls),
		cmocka_unit_test(test_url_trailing_punctuation),
		cmocka_unit_test(test_url_parentheses),
		cmocka_unit_test(test_not_urls),
		cmocka_unit_test(test_url_attribute_breakers),
		cmocka_unit_test(test_email),
		cmocka_unit_test(test_mentions),
		cmocka_unit_test(test_hostile_set),
		cmocka_unit_test(test_broken_utf8),
		cmocka_unit_test(test_pathological),
		cmocka_unit_test(test_long_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
