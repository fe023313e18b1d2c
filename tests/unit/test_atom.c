/* Unit tests of atom: escaping for XML (the five characters, and what XML
 * cannot carry at all left out), RFC 3339 times, and a whole feed's shape. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "render/atom.h"

static char *escaped(const char *s)
{
	struct buf b = {0};
	atom_put_escaped(&b, s);
	buf_putc(&b, '\0');
	return buf_take(&b);
}

static void test_escapes_markup(void **state)
{
	(void)state;
	char *s = escaped("a <b> & \"c\" 'd'");
	assert_string_equal(s, "a &lt;b&gt; &amp; &quot;c&quot; &#39;d&#39;");
	free(s);
	/* Already escaped text is escaped again: it is text, not markup. */
	s = escaped("&lt;p&gt;");
	assert_string_equal(s, "&amp;lt;p&amp;gt;");
	free(s);
}

static void test_leaves_out_what_xml_cannot_carry(void **state)
{
	(void)state;
	/* Control characters but tab and line ends; bytes that are not UTF-8;
	 * U+FFFE and U+FFFF. Letters of any script stay. */
	char *s = escaped("a\x01\x08\x0b\x1f\tb\r\nc\xff\xc3 d\xef\xbf\xbe\xef\xbf\xbf e\xc3\xa5\xe2\x80\x94\xf0\x9f\x98\x80");
	assert_string_equal(s, "a\tb\r\nc d e\xc3\xa5\xe2\x80\x94\xf0\x9f\x98\x80");
	free(s);
}

static void test_times_are_rfc3339_utc(void **state)
{
	(void)state;
	struct buf b = {0};
	atom_put_time(&b, 0);
	buf_putc(&b, ' ');
	atom_put_time(&b, 1796635800); /* 2026-12-07 09:30 UTC */
	buf_putc(&b, '\0');
	assert_string_equal(b.data, "1970-01-01T00:00:00Z 2026-12-07T09:30:00Z");
	buf_free(&b);
}

static void test_a_feed(void **state)
{
	(void)state;
	const char *tags[] = {"c++", NULL};
	struct atom_entry e = {
		.id = "https://x.example/items/1", .title = "A & B", .link = "https://x.example/items/1-a-b",
		.author_name = "Ana <3", .author_uri = "https://x.example/people/ana", .published = 0, .updated = 60,
		.summary = "text", .content_html = "<p>text</p>", .categories = tags,
		.category_scheme = "https://x.example/tags/",
	};
	struct atom_feed f = {.id = "https://x.example/tags/c%2B%2B/feed", .title = "c++ · kring",
			      .self = "https://x.example/tags/c%2B%2B/feed?a=1&b=2", .alternate = "https://x.example/tags/c%2B%2B",
			      .base = "https://x.example/", .lang = "sv", .updated = 60};
	struct buf b = {0};
	atom_write(&b, &f, &e, 1);
	buf_putc(&b, '\0');
	const char *want[] = {
		"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\""
		" xml:base=\"https://x.example/\" xml:lang=\"sv\">\n",
		"<link rel=\"self\" type=\"application/atom+xml\" href=\"https://x.example/tags/c%2B%2B/feed?a=1&amp;b=2\"/>",
		"<updated>1970-01-01T00:01:00Z</updated>",
		"<title>A &amp; B</title>",
		"<name>Ana &lt;3</name>",
		"<published>1970-01-01T00:00:00Z</published>",
		"<category term=\"c++\" scheme=\"https://x.example/tags/\"/>",
		"<content type=\"html\">&lt;p&gt;text&lt;/p&gt;</content>",
		"</entry>\n</feed>\n",
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (!strstr(b.data, want[i]))
			fail_msg("the feed lacks %s:\n%s", want[i], b.data);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escapes_markup),
		cmocka_unit_test(test_leaves_out_what_xml_cannot_carry),
		cmocka_unit_test(test_times_are_rfc3339_utc),
		cmocka_unit_test(test_a_feed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
