/* Unit tests of render/markdown: the exact HTML for each rule, hostile input and mentions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "core/buf.h"
#include "core/text.h"
#include "render/markdown.h"
#include "support.h"

#define REL " rel=\"nofollow ugc noopener\""

static char *render_n(const char *s, size_t n)
{
	struct buf b = {0};
	assert_true(markdown_render(s, n, &b));
	return buf_take(&b);
}

static char *render(const char *s)
{
	return render_n(s, strlen(s));
}

#define MD_EQ(in, want)                                   \
	do {                                              \
		char *got_ = render(in);                  \
		assert_string_equal(got_, want);          \
		free(got_);                               \
	} while (0)

/* ---- the safety net: only our tags and attributes, only safe hrefs ---- */

static void assert_no_ci(const char *html, const char *needle)
{
	const char *hit = strcasestr(html, needle);
	if (hit)
		fail_msg("found this: %.60s", hit);
}

/* ---- text, escaping and raw HTML -------------------------------------- */

static void test_paragraph_escaped(void **state)
{
	(void)state;
	MD_EQ("", "");
	MD_EQ("Hello <world> & \"friends\" 'x'",
	      "<p>Hello &lt;world&gt; &amp; &quot;friends&quot; &#39;x&#39;</p>\n");
	MD_EQ("one\ntwo\n\nthree", "<p>one\ntwo</p>\n<p>three</p>\n");
}

static void test_raw_html_is_text(void **state)
{
	(void)state;
	MD_EQ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n");
	MD_EQ("<img src=x onerror=alert(1)>", "<p>&lt;img src=x onerror=alert(1)&gt;</p>\n");
	MD_EQ("<div onclick=\"x\">\nhi\n</div>",
	      "<p>&lt;div onclick=&quot;x&quot;&gt;\nhi\n&lt;/div&gt;</p>\n");
	MD_EQ("x <!-- c --> y <a href=\"javascript:x\">z</a>",
	      "<p>x &lt;!-- c --&gt; y &lt;a href=&quot;javascript:x&quot;&gt;z&lt;/a&gt;</p>\n");
}

static void test_headings_shift_down(void **state)
{
	(void)state;
	MD_EQ("# One", "<h2>One</h2>\n");
	MD_EQ("## Two", "<h3>Two</h3>\n");
	MD_EQ("#### Four", "<h5>Four</h5>\n");
	MD_EQ("##### Five", "<h6>Five</h6>\n");
	MD_EQ("###### Six", "<h6>Six</h6>\n");
	MD_EQ("Setext\n===", "<h2>Setext</h2>\n");
	MD_EQ("# <b>", "<h2>&lt;b&gt;</h2>\n");
}

static void test_inline_spans(void **state)
{
	(void)state;
	MD_EQ("*em* _em_ **strong** ~~del~~ ~del~ `a<b`",
	      "<p><em>em</em> <em>em</em> <strong>strong</strong> <del>del</del> <del>del</del> "
	      "<code>a&lt;b</code></p>\n");
	MD_EQ("hard  \nbreak and\\\nagain", "<p>hard<br>\nbreak and<br>\nagain</p>\n");
}

/* ---- links and images -------------------------------------------------- */

static void test_links_allowed(void **state)
{
	(void)state;
	MD_EQ("[a](http://example.org/x)", "<p><a href=\"http://example.org/x\"" REL ">a</a></p>\n");
	MD_EQ("[a](HTTPS://Example.org)", "<p><a href=\"HTTPS://Example.org\"" REL ">a</a></p>\n");
	MD_EQ("[a](mailto:me@example.org)", "<p><a href=\"mailto:me@example.org\"" REL ">a</a></p>\n");
	MD_EQ("[a](/items/3)", "<p><a href=\"/items/3\"" REL ">a</a></p>\n");
	MD_EQ("[a](#part)", "<p><a href=\"#part\"" REL ">a</a></p>\n");
	MD_EQ("[a](?page=2)", "<p><a href=\"?page=2\"" REL ">a</a></p>\n");
	MD_EQ("[a](./here)", "<p><a href=\"./here\"" REL ">a</a></p>\n");
	MD_EQ("[a](../up)", "<p><a href=\"../up\"" REL ">a</a></p>\n");
	MD_EQ("[a](docs/x:y)", "<p><a href=\"docs/x:y\"" REL ">a</a></p>\n");
	MD_EQ("[a](page)", "<p><a href=\"page\"" REL ">a</a></p>\n");
	MD_EQ("[a]()", "<p><a href=\"\"" REL ">a</a></p>\n");
	MD_EQ("[a][r]\n\n[r]: https://example.org/ \"T\"",
	      "<p><a href=\"https://example.org/\" title=\"T\"" REL ">a</a></p>\n");
}

static void test_links_refused(void **state)
{
	(void)state;
	MD_EQ("[x](javascript:alert(1))", "<p>x</p>\n");
	MD_EQ("[x](JaVaScRiPt:alert(1))", "<p>x</p>\n");
	MD_EQ("[x]( javascript:alert(1))", "<p>x</p>\n");
	MD_EQ("[x](< javascript:alert(1)>)", "<p>x</p>\n");
	MD_EQ("[x](java&#x09;script:alert(1))", "<p>x</p>\n");
	MD_EQ("[x](java&Tab;script:alert(1))", "<p>x</p>\n");
	MD_EQ("[x](&#106;avascript:alert(1))", "<p>x</p>\n");
	MD_EQ("[x](javascript&colon;alert(1))", "<p>x</p>\n");
	MD_EQ("[x](<&#1;javascript:alert(1)>)", "<p>x</p>\n");
	MD_EQ("[x](data:text/html,hi)", "<p>x</p>\n");
	MD_EQ("[x](DATA:text/html;base64,PHNjcmlwdD4=)", "<p>x</p>\n");
	MD_EQ("[x](vbscript:msgbox(1))", "<p>x</p>\n");
	MD_EQ("[x](file:///etc/passwd)", "<p>x</p>\n");
	MD_EQ("[x](ftp://example.org)", "<p>x</p>\n");
	MD_EQ("[x](c:y)", "<p>x</p>\n");
	MD_EQ("[x][r]\n\n[r]: javascript:alert(1)", "<p>x</p>\n");
	MD_EQ("![x](javascript:alert(1))", "<p>x</p>\n");
	MD_EQ("<javascript:alert(1)>", "<p>javascript:alert(1)</p>\n");
	/* The text of a refused link still gets its formatting. */
	MD_EQ("[*x*](javascript:1)", "<p><em>x</em></p>\n");
}

static void test_link_attributes_encoded(void **state)
{
	(void)state;
	MD_EQ("[x](http://a/\"onmouseover=\"alert(1))",
	      "<p><a href=\"http://a/%22onmouseover=%22alert(1)\"" REL ">x</a></p>\n");
	MD_EQ("[x](</a b'c<d>)", "<p>[x](&lt;/a b&#39;c&lt;d&gt;)</p>\n");
	MD_EQ("[x](</a b'c>)", "<p><a href=\"/a%20b&#39;c\"" REL ">x</a></p>\n");
	MD_EQ("[x](/p?a=1&b=2 \"say \\\"hi\\\" <now>\")",
	      "<p><a href=\"/p?a=1&amp;b=2\" title=\"say &quot;hi&quot; &lt;now&gt;\"" REL ">x</a></p>\n");
	MD_EQ("[x](/ö%20y)", "<p><a href=\"/%C3%B6%20y\"" REL ">x</a></p>\n");
	MD_EQ("[x](/a&amp;b \"&quot;&#39;\")",
	      "<p><a href=\"/a&amp;b\" title=\"&quot;&#39;\"" REL ">x</a></p>\n");
	MD_EQ("[x](/a\\{b})", "<p><a href=\"/a%7Bb%7D\"" REL ">x</a></p>\n");
}

static void test_images_become_links(void **state)
{
	(void)state;
	MD_EQ("![a cat](/files/cat.png)", "<p><a href=\"/files/cat.png\"" REL ">a cat</a></p>\n");
	MD_EQ("![a *cat*](https://example.org/c.png \"T\")",
	      "<p><a href=\"https://example.org/c.png\" title=\"T\"" REL ">a <em>cat</em></a></p>\n");
	/* With no alt text the address is the text, or the link is invisible. */
	MD_EQ("![](https://example.org/c.png)",
	      "<p><a href=\"https://example.org/c.png\"" REL ">https://example.org/c.png</a></p>\n");
	MD_EQ("![](/a&b)", "<p><a href=\"/a&amp;b\"" REL ">/a&amp;b</a></p>\n");
	/* No <a> inside <a>: an image in a link is its alt text. */
	MD_EQ("[![badge](/b.png)](https://example.org)",
	      "<p><a href=\"https://example.org\"" REL ">badge</a></p>\n");
	MD_EQ("[![badge](/b.png)](javascript:1)", "<p><a href=\"/b.png\"" REL ">badge</a></p>\n");
	MD_EQ("![![i](/i)](/o)", "<p><a href=\"/o\"" REL ">i</a></p>\n");
	MD_EQ("![x](data:image/png;base64,AAAA)", "<p>x</p>\n");
}

static void test_autolinks(void **state)
{
	(void)state;
	MD_EQ("<https://example.org/a>", "<p><a href=\"https://example.org/a\"" REL ">https://example.org/a</a></p>\n");
	MD_EQ("see https://example.org/a.", "<p>see <a href=\"https://example.org/a\"" REL ">https://example.org/a</a>.</p>\n");
	MD_EQ("www.example.org", "<p><a href=\"http://www.example.org\"" REL ">www.example.org</a></p>\n");
	MD_EQ("mail me@example.org", "<p>mail <a href=\"mailto:me@example.org\"" REL ">me@example.org</a></p>\n");
}

/* An address browsers read as another site ("//host", and with backslashes,
 * which they take for slashes) is written as the https: address it is, so
 * it neither looks like a page of this site nor escapes the scheme check. */
static void test_protocol_relative_links(void **state)
{
	(void)state;
	MD_EQ("[x](//evil.example/x)", "<p><a href=\"https://evil.example/x\"" REL ">x</a></p>\n");
	MD_EQ("[x](///evil.example)", "<p><a href=\"https://evil.example\"" REL ">x</a></p>\n");
	MD_EQ("[x](\\\\\\\\evil.example)", "<p><a href=\"https://evil.example\"" REL ">x</a></p>\n");
	MD_EQ("[x](/\\\\evil.example)", "<p><a href=\"https://evil.example\"" REL ">x</a></p>\n");
	MD_EQ("[x](\\\\/evil.example/a\\\\b)", "<p><a href=\"https://evil.example/a%5Cb\"" REL ">x</a></p>\n");
	MD_EQ("[x](<  //evil.example >)", "<p><a href=\"https://evil.example\"" REL ">x</a></p>\n");
	MD_EQ("[x](&#47;&#47;evil.example)", "<p><a href=\"https://evil.example\"" REL ">x</a></p>\n");
	MD_EQ("[x][r]\n\n[r]: //evil.example/r", "<p><a href=\"https://evil.example/r\"" REL ">x</a></p>\n");
	/* An image without alt text shows where it points. */
	MD_EQ("![](//evil.example/i.png)",
	      "<p><a href=\"https://evil.example/i.png\"" REL ">https://evil.example/i.png</a></p>\n");
	/* No host, no link. */
	MD_EQ("[x](//)", "<p>x</p>\n");
	/* One slash is this site; "\\" alone is a relative path. */
	MD_EQ("[x](/evil.example)", "<p><a href=\"/evil.example\"" REL ">x</a></p>\n");
	MD_EQ("[x](\\\\evil.example)", "<p><a href=\"%5Cevil.example\"" REL ">x</a></p>\n");
}

/* ---- blocks ------------------------------------------------------------ */

static void test_code_blocks(void **state)
{
	(void)state;
	MD_EQ("```c\nint a<b;\n```", "<pre><code class=\"language-c\">int a&lt;b;\n</code></pre>\n");
	MD_EQ("```c++ {.x}\nx\n```", "<pre><code class=\"language-c++\">x\n</code></pre>\n");
	MD_EQ("~~~Objective_C-2\nx\n~~~", "<pre><code class=\"language-Objective_C-2\">x\n</code></pre>\n");
	MD_EQ("```\nx\n```", "<pre><code>x\n</code></pre>\n");
	MD_EQ("```c\"onclick=\"x\nx\n```", "<pre><code>x\n</code></pre>\n");
	MD_EQ("```a&amp;b\nx\n```", "<pre><code>x\n</code></pre>\n");
	MD_EQ("```abcdefghijabcdefghijabcdefghijab\nx\n```",
	      "<pre><code class=\"language-abcdefghijabcdefghijabcdefghijab\">x\n</code></pre>\n");
	MD_EQ("```abcdefghijabcdefghijabcdefghijabc\nx\n```", "<pre><code>x\n</code></pre>\n");
	MD_EQ("    indented <code>\n", "<pre><code>indented &lt;code&gt;\n</code></pre>\n");
	MD_EQ("```\n<script>&amp;\n```", "<pre><code>&lt;script&gt;&amp;amp;\n</code></pre>\n");
}

static void test_lists(void **state)
{
	(void)state;
	MD_EQ("- a\n- b", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n");
	MD_EQ("1. a\n2. b", "<ol>\n<li>a</li>\n<li>b</li>\n</ol>\n");
	MD_EQ("3. a\n4. b", "<ol start=\"3\">\n<li>a</li>\n<li>b</li>\n</ol>\n");
	MD_EQ("0) a", "<ol start=\"0\">\n<li>a</li>\n</ol>\n");
	MD_EQ("- a\n\n- b", "<ul>\n<li><p>a</p>\n</li>\n<li><p>b</p>\n</li>\n</ul>\n");
	MD_EQ("- a\n  - b", "<ul>\n<li>a<ul>\n<li>b</li>\n</ul>\n</li>\n</ul>\n");
	MD_EQ("- [x] done\n- [ ] todo\n- [X] also\n- plain",
	      "<ul>\n"
	      "<li class=\"task\"><input type=\"checkbox\" disabled checked> done</li>\n"
	      "<li class=\"task\"><input type=\"checkbox\" disabled> todo</li>\n"
	      "<li class=\"task\"><input type=\"checkbox\" disabled checked> also</li>\n"
	      "<li>plain</li>\n"
	      "</ul>\n");
}

static void test_tables(void **state)
{
	(void)state;
	MD_EQ("| a | b | c | d |\n|:--|:-:|--:|---|\n| 1 | *2* | 3 | <4> |",
	      "<table>\n<thead>\n<tr>\n"
	      "<th class=\"align-left\">a</th>\n<th class=\"align-center\">b</th>\n"
	      "<th class=\"align-right\">c</th>\n<th>d</th>\n"
	      "</tr>\n</thead>\n<tbody>\n<tr>\n"
	      "<td class=\"align-left\">1</td>\n<td class=\"align-center\"><em>2</em></td>\n"
	      "<td class=\"align-right\">3</td>\n<td>&lt;4&gt;</td>\n"
	      "</tr>\n</tbody>\n</table>\n");
}

static void test_quote_and_rule(void **state)
{
	(void)state;
	MD_EQ("> said\n> this", "<blockquote>\n<p>said\nthis</p>\n</blockquote>\n");
	MD_EQ("> > deep", "<blockquote>\n<blockquote>\n<p>deep</p>\n</blockquote>\n</blockquote>\n");
	MD_EQ("a\n\n---\n\nb", "<p>a</p>\n<hr>\n<p>b</p>\n");
}

/* ---- entities, NUL and broken UTF-8 ------------------------------------ */

static void test_entities(void **state)
{
	(void)state;
	MD_EQ("&amp; &lt; &gt; &quot; &apos; &copy; &#65; &#x263A; &#X41;",
	      "<p>&amp; &lt; &gt; &quot; &#39; \xC2\xA9 A \xE2\x98\xBA A</p>\n");
	MD_EQ("a&nbsp;b", "<p>a\xC2\xA0" "b</p>\n");
	MD_EQ("&foo; &bogus123;", "<p>&amp;foo; &amp;bogus123;</p>\n");
	MD_EQ("&#0; &#xD800; &#x110000; &#9999999;",
	      "<p>\xEF\xBF\xBD \xEF\xBF\xBD \xEF\xBF\xBD \xEF\xBF\xBD</p>\n");
	MD_EQ("&#x1F600;", "<p>\xF0\x9F\x98\x80</p>\n");
	MD_EQ("&#60;script&#62;", "<p>&lt;script&gt;</p>\n");
	MD_EQ("`&amp;`", "<p><code>&amp;amp;</code></p>\n");
}

static void test_nul_and_broken_utf8(void **state)
{
	(void)state;
	char *got = render_n("a\0b", 3);
	assert_string_equal(got, "<p>a\xEF\xBF\xBD" "b</p>\n");
	free(got);
	got = render_n("<\xff\xfe>\xc3(", 6);
	assert_string_equal(got, "<p>&lt;\xEF\xBF\xBD\xEF\xBF\xBD&gt;\xEF\xBF\xBD(</p>\n");
	assert_true(utf8_valid(got, strlen(got)));
	free(got);
	static const char odd[] = "[\xc0](/\xed\xa0\x80)";
	got = render_n(odd, sizeof odd - 1);
	assert_true(utf8_valid(got, strlen(got)));
	assert_safe_html(got, &markdown_html_rules);
	free(got);
}

static void test_valid_input_gives_valid_utf8(void **state)
{
	(void)state;
	static const char *const inputs[] = {
		"Välkommen, Åsa! Ĳsselmeer ☃ 😀",
		"# Rubrik ö\n\n> citat 日本語\n\n- [x] ✓ klar\n\n| å | ä |\n|---|---|\n| ö | 😀 |",
		"[länk](/ö \"tïtel\") ![bild](/ü.png) @åsa @bob",
		"&eacute;&#233;&#x1F600;&auml;&nbsp;&hellip;",
		"```py\nprint('ö')\n```",
	};
	for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++) {
		assert_true(utf8_valid(inputs[i], strlen(inputs[i])));
		char *got = render(inputs[i]);
		assert_true(utf8_valid(got, strlen(got)));
		assert_safe_html(got, &markdown_html_rules);
		free(got);
	}
}

/* ---- mentions ---------------------------------------------------------- */

#define MENTION(h) "<a class=\"mention\" href=\"/people/" h "\">@" h "</a>"

static void test_mentions_rendered(void **state)
{
	(void)state;
	MD_EQ("@bob", "<p>" MENTION("bob") "</p>\n");
	MD_EQ("hi @bob, @ann-b and (@x_9)!",
	      "<p>hi " MENTION("bob") ", " MENTION("ann-b") " and (" MENTION("x_9") ")!</p>\n");
	MD_EQ("*@bob*", "<p><em>" MENTION("bob") "</em></p>\n");
	MD_EQ("&amp;@bob", "<p>&amp;" MENTION("bob") "</p>\n");
	MD_EQ("a\n@bob", "<p>a\n" MENTION("bob") "</p>\n");
	MD_EQ("@ab @abcdefghijabcdefghijabcdefghijab",
	      "<p>" MENTION("ab") " " MENTION("abcdefghijabcdefghijabcdefghijab") "</p>\n");
}

static void test_mentions_not_rendered(void **state)
{
	(void)state;
	MD_EQ("`@bob`", "<p><code>@bob</code></p>\n");
	MD_EQ("```\n@bob\n```", "<pre><code>@bob\n</code></pre>\n");
	MD_EQ("[hi @bob](/x)", "<p><a href=\"/x\"" REL ">hi @bob</a></p>\n");
	MD_EQ("[hi @bob](javascript:x)", "<p>hi @bob</p>\n");
	MD_EQ("![@bob](/x.png)", "<p><a href=\"/x.png\"" REL ">@bob</a></p>\n");
	/* E-mail addresses: md4c links them, and the @ follows a letter. */
	MD_EQ("bob@example.org", "<p><a href=\"mailto:bob@example.org\"" REL ">bob@example.org</a></p>\n");
	MD_EQ("bob@localhost", "<p>bob@localhost</p>\n");
	MD_EQ("*x*@bob", "<p><em>x</em>@bob</p>\n");
	MD_EQ("é@bob", "<p>é@bob</p>\n");
	MD_EQ("@a @Bob @-ab @_ab", "<p>@a @Bob @-ab @_ab</p>\n");
	MD_EQ("@abcdefghijabcdefghijabcdefghijabc", "<p>@abcdefghijabcdefghijabcdefghijabc</p>\n");
	MD_EQ("@bobX", "<p>@bobX</p>\n");
	MD_EQ("@bob@localhost", "<p>@bob@localhost</p>\n");
}

static void test_mention_at_rule(void **state)
{
	(void)state;
	size_t n = 0;
	assert_true(mention_at("@bob", 4, 0, &n));
	assert_int_equal(n, 3);
	assert_true(mention_at("x @bo_b-. y", 11, 2, &n));
	assert_int_equal(n, 5);
	assert_false(mention_at("x@bob", 5, 1, &n));
	assert_false(mention_at("_@bob", 5, 1, &n));
	assert_true(mention_at(".@bob", 5, 1, &n));
	assert_false(mention_at("@b", 2, 0, &n));
	assert_false(mention_at("@", 1, 0, &n));
	assert_false(mention_at("bob", 3, 0, &n));
	assert_false(mention_at("@bob", 4, 4, &n));
	assert_false(mention_at("@Bob", 4, 0, &n));
	assert_false(mention_at("@bo\xc3\xa9", 5, 0, &n));
	/* The length is respected: "@bob" cut to "@b". */
	assert_false(mention_at("@bob", 2, 0, &n));
	assert_true(mention_at("@bob", 3, 0, &n));
	assert_int_equal(n, 2);
}

struct found {
	char handles[8][40];
	int count;
};

static void collect(const char *h, size_t n, void *ctx)
{
	struct found *f = ctx;
	assert_true(n <= 32);
	assert_true(f->count < 8);
	memcpy(f->handles[f->count], h, n);
	f->handles[f->count][n] = '\0';
	f->count++;
}

static void test_markdown_mentions(void **state)
{
	(void)state;
	struct found f = {0};
	const char *s = "@bob and @ann, again @bob. `@carol` [@dave](/x) ![@erin](/e.png) "
			"fred@example.org www.example.org/@gus\n\n```\n@hal\n```\n\n> @ivy\n\n&amp;@bob";
	markdown_mentions(s, strlen(s), collect, &f);
	assert_int_equal(f.count, 3);
	assert_string_equal(f.handles[0], "bob");
	assert_string_equal(f.handles[1], "ann");
	assert_string_equal(f.handles[2], "ivy");

	f.count = 0;
	markdown_mentions("", 0, collect, &f);
	markdown_mentions("no one", 6, collect, &f);
	assert_int_equal(f.count, 0);
}

static int many_count;

static void count_found(const char *h, size_t n, void *ctx)
{
	(void)h, (void)n, (void)ctx;
	many_count++;
}

static void test_markdown_mentions_many(void **state)
{
	(void)state;
	/* 20,000 distinct handles, each twice: reported once each. */
	struct buf b = {0};
	for (int round = 0; round < 2; round++)
		for (int i = 0; i < 20000; i++)
			buf_printf(&b, "@u%d ", i);
	many_count = 0;
	markdown_mentions(b.data, b.len, count_found, NULL);
	assert_int_equal(many_count, 20000);
	buf_free(&b);
}

/* ---- hostile input ----------------------------------------------------- */

static void test_hostile_set(void **state)
{
	(void)state;
	static const char *const inputs[] = {
		"<script>alert(1)</script>",
		"<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
		"[x](javascript:alert(1))",
		"[x](JaVaScRiPt:alert(1))",
		"[x]( javascript:alert(1))",
		"[x](java&#x09;script:alert(1))",
		"[x](java&#x0A;script:alert(1))",
		"[x](&#x6A;&#x61;vascript:alert(1))",
		"[x](data:text/html,<script>alert(1)</script>)",
		"[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
		"![x](javascript:alert(1))",
		"![x](vbscript:alert(1))",
		"<img src=x onerror=alert(1)>",
		"[x](http://a/\"onmouseover=\"alert(1))",
		"[x](http://a/'onmouseover='alert(1))",
		"[x](/a \"\\\" onmouseover=\\\"alert(1)\")",
		"\"><svg onload=alert(1)>",
		"[\"><svg onload=alert(1)>](/x)",
		"[x](\"><svg onload=alert(1)>)",
		"<a href=\"javascript:alert(1)\">x</a>",
		"<iframe src=javascript:alert(1)>",
		"``` \"><script>\nx\n```",
		"| <script> | x |\n|---|---|\n| <img src=x onerror=alert(1)> | y |",
		"[x][r]\n\n[r]: javascript:alert(1) \"\\\" onclick=\\\"x\"",
		"<javascript:alert(1)>",
		"- [x] <svg onload=alert(1)>",
		"[x](//evil.example)",
		"[x](/\\\\evil.example)",
		"![x](\\\\\\\\evil.example/x.png)",
	};
	for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++) {
		char *got = render(inputs[i]);
		assert_safe_html(got, &markdown_html_rules);
		assert_no_ci(got, "<script");
		assert_no_ci(got, "<img");
		assert_no_ci(got, "<svg");
		assert_no_ci(got, "<iframe");
		assert_no_ci(got, "href=\"javascript:");
		assert_no_ci(got, "href=\"data:");
		free(got);
	}
	/* Where the hostile part can only be in an address, it is gone. */
	for (size_t i = 2; i <= 11; i++) {
		char *got = render(inputs[i]);
		assert_no_ci(got, "javascript:");
		assert_no_ci(got, "vbscript:");
		assert_no_ci(got, "data:");
		assert_no_ci(got, " on");
		free(got);
	}
}

static void test_deep_nesting(void **state)
{
	(void)state;
	static const char *const units[] = {">", "[", "*", "> - ", "![", "[a](", "_*", "`", "(", "<", "&#"};
	assert_renders_safely(render_n, units, sizeof units / sizeof *units, 100000, &markdown_html_rules);
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
	s = repeat("@ab x@y <b> [l](javascript:1) ", 40000, &n);
	got = render_n(s, n);
	assert_safe_html(got, &markdown_html_rules);
	free(got);
	free(s);
}

/* A link destination left open at the very end, with a ')' in memory right
 * after the text: md4c must not take it for the end of the link. */
static void test_open_destination_at_the_end(void **state)
{
	(void)state;
	const char text[] = "see [the days](jav)and more text that is not part of the input";
	size_t n = strlen("see [the days](jav");
	char *got = render_n(text, n);
	assert_string_equal(got, "<p>see [the days](jav</p>\n");
	free(got);
}

/* ---- plain text for excerpts, snippets and the index ------------------- */

static char *plain(const char *s)
{
	struct buf b = {0};
	markdown_plain(s, strlen(s), &b);
	return b.data ? buf_take(&b) : strdup("");
}

#define PLAIN_EQ(in, want)                                \
	do {                                              \
		char *got_ = plain(in);                   \
		assert_string_equal(got_, want);          \
		free(got_);                               \
	} while (0)

#define DOT " \xC2\xB7 "

static void test_plain_without_markup(void **state)
{
	(void)state;
	PLAIN_EQ("", "");
	PLAIN_EQ("**Bold**, *em* and `code`", "Bold, em and code");
	PLAIN_EQ("[a link](https://example.org \"T\") and ![a picture](/p.png)", "a link and a picture");
	PLAIN_EQ("&amp; &lt;b&gt; <i> &copy; &foo;", "& <b> <i> \xC2\xA9 &foo;");
	PLAIN_EQ("> quoted\n> on two lines", "quoted on two lines");
	PLAIN_EQ("a  \nb\\\nc\nd", "a b c d");
	PLAIN_EQ("```\nint a;\n\n    int b;\n```", "int a; int b;");
	PLAIN_EQ("  lots   of\t\tspace  ", "lots of space");
}

/* Blocks do not run together: a heading and its text, list items, cells. */
static void test_plain_blocks_apart(void **state)
{
	(void)state;
	PLAIN_EQ("## Title\n\nBody", "Title" DOT "Body");
	PLAIN_EQ("- first\n- second\n- third", "first" DOT "second" DOT "third");
	PLAIN_EQ("* first\n\n* second", "first" DOT "second");
	PLAIN_EQ("1. one\n2. two", "one" DOT "two");
	PLAIN_EQ("- a\n  - b\n- c", "a" DOT "b" DOT "c");
	PLAIN_EQ("- [x] done\n- [ ] todo", "done" DOT "todo");
	PLAIN_EQ("| a | b |\n|---|---|\n| 1 | 2 |", "a" DOT "b" DOT "1" DOT "2");
	PLAIN_EQ("a\n\n---\n\nb", "a" DOT "b");
	/* After the end of a sentence or a clause, a space reads better. */
	PLAIN_EQ("We need:\n\n- chairs\n- tables", "We need: chairs" DOT "tables");
	PLAIN_EQ("One paragraph.\n\nAnother!\n\nA third?\n\nAnd\xE2\x80\xA6\n\nend",
		 "One paragraph. Another! A third? And\xE2\x80\xA6 end");
}

/* Where formatting ends, nothing is added: no space before punctuation,
 * and words the source kept apart stay apart. */
static void test_plain_spans_add_nothing(void **state)
{
	(void)state;
	PLAIN_EQ("We asked the **companies**. We", "We asked the companies. We");
	PLAIN_EQ("Thanks @anna!", "Thanks @anna!");
	PLAIN_EQ("Thanks **@anna**, and *@bo*?", "Thanks @anna, and @bo?");
	PLAIN_EQ("See [the guide](/x), then `make`; ~~not~~ *this*.", "See the guide, then make; not this.");
	PLAIN_EQ("**foo**bar *baz* qux", "foobar baz qux");
	PLAIN_EQ("a *b* c", "a b c");
	PLAIN_EQ("https://example.org/x.", "https://example.org/x.");
}

/* Text already there is set apart from what is appended like a block. */
static void test_plain_appends(void **state)
{
	(void)state;
	struct buf b = {0};
	markdown_plain("The summary", strlen("The summary"), &b);
	markdown_plain("*The situation*", strlen("*The situation*"), &b);
	markdown_plain("", 0, &b);
	markdown_plain("Done.", strlen("Done."), &b);
	assert_string_equal(b.data, "The summary" DOT "The situation" DOT "Done.");
	buf_free(&b);
}

static void test_excerpt_json(void **state)
{
	(void)state;
	json_t *j = markdown_excerpt_json("**Bold** start\n\n- first\n- second");
	assert_string_equal(json_string_value(j), "Bold start" DOT "first" DOT "second");
	json_decref(j);

	/* The whole text is made plain before it is cut: a link whose
	 * reference is defined far below still shows as its text. */
	struct buf md = {0};
	buf_puts(&md, "Read [the guide][g] **first**.\n\n");
	for (int i = 0; i < 200; i++)
		buf_puts(&md, "word ");
	buf_puts(&md, "\n\n[g]: https://example.org/guide\n");
	j = markdown_excerpt_json(md.data);
	const char *e = json_string_value(j);
	assert_true(strncmp(e, "Read the guide first. word word", 31) == 0);
	assert_true(strlen(e) <= MARKDOWN_EXCERPT_MAX + 3);
	assert_string_equal(e + strlen(e) - 3, "\xE2\x80\xA6");
	json_decref(j);
	buf_free(&md);
}

/* What markdown_json_kept gives equals markdown_json's, the first time
 * and from memory; an edited text under the same key, another key in the
 * same slot and a text too long to keep are each rendered anew. */
static void assert_kept_renders(int64_t key, const char *text)
{
	json_t *want = markdown_json(text), *got = markdown_json_kept(key, text);
	assert_string_equal(json_string_value(got), json_string_value(want));
	json_decref(want);
	json_decref(got);
}

static void test_kept_html(void **state)
{
	(void)state;
	assert_kept_renders(7, "A *first* answer with a [link](https://example.org).");
	assert_kept_renders(7, "A *first* answer with a [link](https://example.org).");
	assert_kept_renders(7, "The answer, **edited**.");
	assert_kept_renders(7 + 2048, "Another item in the same slot.");
	assert_kept_renders(7, "The answer, **edited**.");
	assert_kept_renders(8, "");
	char *long_text = malloc(40000);
	memset(long_text, 'x', 39999);
	long_text[0] = '#';
	long_text[1] = ' ';
	long_text[39999] = '\0';
	assert_kept_renders(9, long_text);
	assert_kept_renders(9, long_text);
	free(long_text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paragraph_escaped),
		cmocka_unit_test(test_open_destination_at_the_end),
		cmocka_unit_test(test_raw_html_is_text),
		cmocka_unit_test(test_headings_shift_down),
		cmocka_unit_test(test_inline_spans),
		cmocka_unit_test(test_links_allowed),
		cmocka_unit_test(test_links_refused),
		cmocka_unit_test(test_link_attributes_encoded),
		cmocka_unit_test(test_images_become_links),
		cmocka_unit_test(test_autolinks),
		cmocka_unit_test(test_protocol_relative_links),
		cmocka_unit_test(test_code_blocks),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_quote_and_rule),
		cmocka_unit_test(test_entities),
		cmocka_unit_test(test_nul_and_broken_utf8),
		cmocka_unit_test(test_valid_input_gives_valid_utf8),
		cmocka_unit_test(test_mentions_rendered),
		cmocka_unit_test(test_mentions_not_rendered),
		cmocka_unit_test(test_mention_at_rule),
		cmocka_unit_test(test_markdown_mentions),
		cmocka_unit_test(test_markdown_mentions_many),
		cmocka_unit_test(test_hostile_set),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_plain_without_markup),
		cmocka_unit_test(test_plain_blocks_apart),
		cmocka_unit_test(test_plain_spans_add_nothing),
		cmocka_unit_test(test_plain_appends),
		cmocka_unit_test(test_excerpt_json),
		cmocka_unit_test(test_kept_html),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
