/* Unit tests of links: each kind of address, item slugs made from titles,
 * and the percent-encoding that keeps a tag, handle or file name inside its
 * own path segment. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/arena.h"
#include "core/buf.h"
#include "render/links.h"

static void test_plain_addresses(void **state)
{
	(void)state;
	struct arena a = {0};
	assert_string_equal(link_community(&a, "rust-users"), "/c/rust-users");
	assert_string_equal(link_person(&a, "ada_l"), "/people/ada_l");
	assert_string_equal(link_org(&a, "acme-labs"), "/orgs/acme-labs");
	assert_string_equal(link_tag(&a, "c++"), "/tags/c%2B%2B");
	assert_string_equal(link_tag(&a, "postgresql"), "/tags/postgresql");
	assert_string_equal(link_tag_expert(&a, "sql", "bob"), "/tags/sql/experts/bob");
	assert_string_equal(link_item_id(&a, 42), "/items/42");
	assert_string_equal(link_item_id(&a, INT64_MAX), "/items/9223372036854775807");
	assert_string_equal(link_item_react(&a, 42), "/items/42/react");
	assert_string_equal(link_comment_react(&a, 7), "/comments/7/react");
	arena_reset(&a);
}

static void test_item_slugs(void **state)
{
	(void)state;
	struct arena a = {0};
	assert_string_equal(link_item(&a, 7, "How do I vacuum a table?"), "/items/7-how-do-i-vacuum-a-table");
	assert_string_equal(link_item(&a, 8, "Smörgåsbord & Crème brûlée"), "/items/8-smorgasbord-creme-brulee");
	/* A title with no ASCII letters or digits after folding gives no slug. */
	assert_string_equal(link_item(&a, 9, "Πώς λειτουργεί"), "/items/9");
	assert_string_equal(link_item(&a, 10, ""), "/items/10");
	assert_string_equal(link_item(&a, 11, NULL), "/items/11");
	assert_string_equal(link_item(&a, INT64_C(9007199254740993), "big"), "/items/9007199254740993-big");
	arena_reset(&a);
}

static void test_segments_are_escaped(void **state)
{
	(void)state;
	struct arena a = {0};
	/* A '/' or '?' cannot open another segment or a query, a '"' or '<'
	 * cannot leave an attribute, non-ASCII is encoded byte by byte. */
	assert_string_equal(link_tag(&a, "a/b?c#d"), "/tags/a%2Fb%3Fc%23d");
	assert_string_equal(link_tag(&a, "café"), "/tags/caf%C3%A9");
	assert_string_equal(link_person(&a, "x\"><script>"), "/people/x%22%3E%3Cscript%3E");
	assert_string_equal(link_community(&a, "../admin"), "/c/..%2Fadmin");
	assert_string_equal(link_tag_expert(&a, "a b", "c/d"), "/tags/a%20b/experts/c%2Fd");
	/* The unreserved characters stay as they are. */
	assert_string_equal(link_org(&a, "A-z_0.9~"), "/orgs/A-z_0.9~");
	arena_reset(&a);
}

static void test_files(void **state)
{
	(void)state;
	struct arena a = {0};
	const char *sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
	assert_string_equal(link_file(&a, sha, "report.pdf"),
			    "/files/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08/report.pdf");
	assert_string_equal(link_file_preview(&a, sha, "photo 1.jpg"),
			    "/files/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08/preview/photo%201.jpg");
	assert_string_equal(link_file(&a, "abc", "Årsrapport (v2)#final.pdf"),
			    "/files/abc/%C3%85rsrapport%20%28v2%29%23final.pdf");
	arena_reset(&a);
}

static void test_put_person(void **state)
{
	(void)state;
	struct buf b = {0};
	/* Only the n bytes named are written, as renderers point into text. */
	link_put_person(&b, "bob and more", 3);
	assert_string_equal(b.data, "/people/bob");
	buf_reset(&b);
	link_put_person(&b, "a&b", 3);
	assert_string_equal(b.data, "/people/a%26b");
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_addresses),
		cmocka_unit_test(test_item_slugs),
		cmocka_unit_test(test_segments_are_escaped),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_put_person),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
