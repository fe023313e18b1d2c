/* Unit tests of core/buf: the growable, NUL-terminated byte buffer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

static void test_append_and_grow(void **state)
{
	(void)state;
	struct buf b = {0};
	buf_puts(&b, "abc");
	buf_putc(&b, '-');
	buf_append(&b, "xyz123", 3);
	assert_int_equal(b.len, 7);
	assert_string_equal(b.data, "abc-xyz");
	for (int i = 0; i < 10000; i++)
		buf_putc(&b, (char)('a' + i % 26));
	assert_int_equal(b.len, 10007);
	assert_int_equal(b.data[b.len], '\0');
	assert_true(b.cap > b.len);
	assert_int_equal(b.data[7], 'a');
	assert_int_equal(b.data[10006], 'a' + 9999 % 26);
	buf_free(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
}

static void test_append_binary(void **state)
{
	(void)state;
	struct buf b = {0};
	buf_append(&b, "a\0b", 3);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.data, "a\0b", 4);
	buf_free(&b);
}

static void test_printf(void **state)
{
	(void)state;
	struct buf b = {0};
	buf_printf(&b, "%d+%d=%s", 2, 2, "4");
	buf_printf(&b, " [%5s]", "x");
	assert_string_equal(b.data, "2+2=4 [    x]");
	assert_int_equal(b.len, strlen(b.data));
	char big[5000];
	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	buf_printf(&b, "%s!", big);
	assert_int_equal(b.len, 13 + sizeof(big));
	assert_int_equal(b.data[b.len - 1], '!');
	buf_free(&b);
}

/* Integers as printf writes them, at both ends of their range too. */
static void test_put_int(void **state)
{
	(void)state;
	const int64_t values[] = {0, 7, -7, 10, 1234567890, -1000000, INT64_MAX, INT64_MIN};
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
		struct buf got = {0}, want = {0};
		buf_puts(&got, "n=");
		buf_put_int(&got, values[i]);
		buf_printf(&want, "n=%lld", (long long)values[i]);
		assert_int_equal(got.len, want.len);
		assert_memory_equal(got.data, want.data, want.len);
		buf_free(&got);
		buf_free(&want);
	}
}

static void test_put_html_escapes(void **state)
{
	(void)state;
	struct buf b = {0};
	const char *s = "<a href=\"x\" title='y'>Tom & Jerry</a>";
	buf_put_html(&b, s, strlen(s));
	assert_string_equal(b.data, "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Tom &amp; Jerry&lt;/a&gt;");
	buf_reset(&b);
	buf_put_html(&b, "plain Välkommen", strlen("plain Välkommen"));
	assert_string_equal(b.data, "plain Välkommen");
	buf_reset(&b);
	buf_put_html(&b, "&&", 1); /* honours n */
	assert_string_equal(b.data, "&amp;");
	buf_free(&b);
}

static void test_reset_take(void **state)
{
	(void)state;
	struct buf b = {0};
	buf_puts(&b, "hello");
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	buf_puts(&b, "again");
	char *p = buf_take(&b);
	assert_string_equal(p, "again");
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	free(p);
	/* Taking an empty buffer still gives a string. */
	struct buf e = {0};
	char *q = buf_take(&e);
	assert_non_null(q);
	assert_string_equal(q, "");
	free(q);
	buf_free(&e);
}

/* A file longer than one read, with a NUL inside, arrives whole after what
 * the buffer held. */
static void test_read_file(void **state)
{
	(void)state;
	FILE *f = tmpfile();
	assert_non_null(f);
	for (int i = 0; i < 70000; i++)
		fputc(i == 5 ? '\0' : 'a' + i % 26, f);
	rewind(f);
	struct buf b = {0};
	buf_puts(&b, "head:");
	assert_true(buf_read_file(&b, f));
	fclose(f);
	assert_int_equal(b.len, 5 + 70000);
	assert_memory_equal(b.data, "head:abcde\0g", 12);
	assert_int_equal(b.data[b.len - 1], 'a' + 69999 % 26);
	assert_int_equal(b.data[b.len], '\0');
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_append_and_grow),
		cmocka_unit_test(test_append_binary),
		cmocka_unit_test(test_printf),
		cmocka_unit_test(test_put_int),
		cmocka_unit_test(test_put_html_escapes),
		cmocka_unit_test(test_reset_take),
		cmocka_unit_test(test_read_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
