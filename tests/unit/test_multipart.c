/* Unit tests of http/multipart: the boundary of a Content-Type, and bodies
 * split into fields and uploads as browsers send them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/multipart.h"

#define B "----WebKitFormBoundary7MA4YWxkTrZu0gW"
#define DELIM "--" B "\r\n"
#define CLOSE "--" B "--\r\n"
#define TEXT(name) "Content-Disposition: form-data; name=\"" name "\"\r\n\r\n"

/* What one parse gave; freed by teardown. */
struct parsed {
	struct arena a;
	struct params fields;
	struct uploads files;
};

static int setup(void **state)
{
	*state = calloc(1, sizeof(struct parsed));
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	struct parsed *p = *state;
	arena_reset(&p->a);
	free(p);
	return 0;
}

/* Parses the string literal body (which may hold NUL bytes) at boundary B. */
#define PARSE(body) multipart_parse(&P->a, B, body, sizeof(body) - 1, &P->fields, &P->files)
#define P ((struct parsed *)*state)

static const char *field(const struct parsed *p, const char *name)
{
	for (size_t i = 0; i < p->fields.count; i++)
		if (strcmp(p->fields.items[i].name, name) == 0)
			return p->fields.items[i].value;
	return NULL;
}

/* ---- multipart_boundary -------------------------------------------- */

static const char *boundary(void **state, const char *content_type)
{
	return multipart_boundary(&P->a, content_type);
}

static void test_boundary_unquoted(void **state)
{
	assert_string_equal(boundary(state, "multipart/form-data; boundary=" B), B);
	assert_string_equal(boundary(state, "Multipart/Form-Data;BOUNDARY=abc"), "abc");
	assert_string_equal(boundary(state, "  multipart/form-data ;  boundary = abc  "), "abc");
}

static void test_boundary_quoted(void **state)
{
	assert_string_equal(boundary(state, "multipart/form-data; boundary=\"" B "\""), B);
	/* a quoted boundary may hold characters a token cannot */
	assert_string_equal(boundary(state, "multipart/form-data; boundary=\"a b:c=d?\""), "a b:c=d?");
	assert_null(boundary(state, "multipart/form-data; boundary=\"a\\\"b\""));
}

static void test_boundary_other_params(void **state)
{
	assert_string_equal(boundary(state, "multipart/form-data; charset=utf-8; boundary=xyz"), "xyz");
	assert_string_equal(boundary(state, "multipart/form-data; boundary=xyz; charset=utf-8"), "xyz");
	/* a quoted parameter before it may hold ';' and "boundary=" */
	assert_string_equal(boundary(state, "multipart/form-data; x=\"; boundary=no\"; boundary=yes"),
			    "yes");
}

static void test_boundary_missing(void **state)
{
	assert_null(boundary(state, "multipart/form-data"));
	assert_null(boundary(state, "multipart/form-data;"));
	assert_null(boundary(state, "multipart/form-data; boundary="));
	assert_null(boundary(state, "multipart/form-data; boundary=\"\""));
	assert_null(boundary(state, "multipart/form-data; boundary=\"abc"));
	assert_null(boundary(state, "multipart/form-data; xboundary=abc"));
	assert_null(boundary(state, NULL));
}

static void test_boundary_length(void **state)
{
	char ct[128], b70[71];
	memset(b70, 'x', 70);
	b70[70] = '\0';
	snprintf(ct, sizeof(ct), "multipart/form-data; boundary=%s", b70);
	assert_string_equal(boundary(state, ct), b70);
	snprintf(ct, sizeof(ct), "multipart/form-data; boundary=%sx", b70);
	assert_null(boundary(state, ct));
	/* not RFC 2046's characters, or a space at the end */
	assert_null(boundary(state, "multipart/form-data; boundary=\"a\r\nb\""));
	assert_null(boundary(state, "multipart/form-data; boundary=\"ab \""));
}

static void test_boundary_not_multipart(void **state)
{
	assert_null(boundary(state, "application/x-www-form-urlencoded; boundary=abc"));
	assert_null(boundary(state, "multipart/mixed; boundary=abc"));
	assert_null(boundary(state, "multipart/form-datax; boundary=abc"));
	assert_null(boundary(state, "text/plain"));
	assert_null(boundary(state, ""));
}

/* ---- multipart_parse ------------------------------------------------ */

static void test_fields_and_file(void **state)
{
	assert_true(PARSE(DELIM TEXT("csrf") "Jx3kQ9v2\r\n"
			  DELIM TEXT("title") "Fika with a topic\r\nline two\r\n"
			  DELIM "Content-Disposition: form-data; name=\"avatar\"; filename=\"me.png\"\r\n"
			  "Content-Type: image/png\r\n\r\n"
			  "\x89PNG\r\n\x1a\n\r\n"
			  CLOSE));
	assert_int_equal(P->fields.count, 2);
	assert_string_equal(field(P, "csrf"), "Jx3kQ9v2");
	assert_string_equal(field(P, "title"), "Fika with a topic\r\nline two");
	assert_int_equal(P->files.count, 1);
	const struct upload *u = &P->files.items[0];
	assert_string_equal(u->field, "avatar");
	assert_string_equal(u->filename, "me.png");
	assert_string_equal(u->content_type, "image/png");
	assert_int_equal(u->len, 8);
	assert_memory_equal(u->data, "\x89PNG\r\n\x1a\n", 8);
}

static void test_binary_file(void **state)
{
	/* NUL bytes, and "\r\n--" lines that only start like the boundary */
	static const char bytes[] = "\0\0\r\n--\r\n--" B "x\r\n--" B "-\r\n--" B " y\r\n\0";
	static const char body[] = DELIM "Content-Disposition: form-data; name=\"f\"; filename=\"b.bin\"\r\n\r\n"
		"\0\0\r\n--\r\n--" B "x\r\n--" B "-\r\n--" B " y\r\n\0" "\r\n" CLOSE;
	assert_true(multipart_parse(&P->a, B, body, sizeof(body) - 1, &P->fields, &P->files));
	assert_int_equal(P->files.count, 1);
	assert_null(P->files.items[0].content_type);
	assert_int_equal(P->files.items[0].len, sizeof(bytes) - 1);
	assert_memory_equal(P->files.items[0].data, bytes, sizeof(bytes) - 1);
	/* the bytes stay in the body */
	assert_ptr_equal(P->files.items[0].data, strstr(body, "\r\n\r\n") + 4);
}

static void test_empty_file_input_skipped(void **state)
{
	assert_true(PARSE(DELIM "Content-Disposition: form-data; name=\"avatar\"; filename=\"\"\r\n"
			  "Content-Type: application/octet-stream\r\n\r\n\r\n"
			  DELIM TEXT("name") "Åsa\r\n" CLOSE));
	assert_int_equal(P->files.count, 0);
	assert_string_equal(field(P, "name"), "Åsa");
}

static void test_empty_file_kept(void **state)
{
	assert_true(PARSE(DELIM "Content-Disposition: form-data; name=\"doc\"; filename=\"a.txt\"\r\n"
			  "Content-Type: text/plain\r\n\r\n\r\n" CLOSE));
	assert_int_equal(P->files.count, 1);
	assert_string_equal(P->files.items[0].filename, "a.txt");
	assert_int_equal(P->files.items[0].len, 0);
	assert_int_equal(P->fields.count, 0);
}

static void test_filename_as_sent(void **state)
{
	/* sanitising is the caller's job */
	assert_true(PARSE(DELIM "Content-Disposition: form-data; name=\"f\"; filename=\"../../etc/passwd\"\r\n\r\n"
			  "x\r\n"
			  DELIM "Content-Disposition: form-data; name=f; filename=C:\\tmp\\a.txt\r\n\r\n"
			  "y\r\n"
			  DELIM "content-disposition: FORM-DATA; filename*=UTF-8''%C3%A5.txt; "
			  "NAME=\"g\"; FileName=\"say \\\"hi\\\".txt\"\r\n\r\n"
			  "z\r\n"
			  DELIM "Content-Disposition: form-data; name=h; filename=\"a\\\\b\\c\"\r\n\r\n"
			  "w\r\n" CLOSE));
	assert_int_equal(P->files.count, 4);
	assert_string_equal(P->files.items[0].filename, "../../etc/passwd");
	assert_string_equal(P->files.items[1].field, "f");
	assert_string_equal(P->files.items[1].filename, "C:\\tmp\\a.txt");
	assert_string_equal(P->files.items[2].field, "g");
	assert_string_equal(P->files.items[2].filename, "say \"hi\".txt");
	assert_string_equal(P->files.items[3].filename, "a\\b\\c");
}

static void test_missing_close(void **state)
{
	assert_false(PARSE(DELIM TEXT("a") "1\r\n"));
	/* the parts before the error are not handed out */
	assert_int_equal(P->fields.count, 0);
	assert_false(PARSE(DELIM TEXT("a") "1\r\n--" B));
	assert_false(PARSE(DELIM TEXT("a") "1"));
	assert_false(PARSE("no boundary at all"));
	assert_false(PARSE(""));
}

static void test_part_without_name(void **state)
{
	assert_false(PARSE(DELIM "Content-Disposition: form-data\r\n\r\n1\r\n" CLOSE));
	assert_false(PARSE(DELIM "Content-Disposition: form-data; name=\"\"\r\n\r\n1\r\n" CLOSE));
	assert_false(PARSE(DELIM "Content-Disposition: form-data; filename=\"a\"\r\n\r\n1\r\n" CLOSE));
	assert_false(PARSE(DELIM "Content-Disposition: attachment; name=\"a\"\r\n\r\n1\r\n" CLOSE));
	assert_false(PARSE(DELIM "Content-Type: text/plain\r\n\r\n1\r\n" CLOSE));
}

static void test_headers_without_end(void **state)
{
	assert_false(PARSE(DELIM "Content-Disposition: form-data; name=\"a\"\r\n1\r\n" CLOSE));
	assert_false(PARSE(DELIM "Content-Disposition: form-data; name=\"a\""));
}

/* A part whose header lines take exactly size bytes, then "1" and the end. */
static bool parse_headers_of_size(void **state, size_t size)
{
	static const char cd[] = "Content-Disposition: form-data; name=\"a\"\r\nX-Pad: ";
	size_t pad = size - (sizeof(cd) - 1) - 2;
	size_t len = strlen(DELIM) + size + strlen("\r\n1\r\n" CLOSE);
	char *body = malloc(len + 1);
	char *p = body + sprintf(body, DELIM "%s", cd);
	memset(p, 'x', pad);
	sprintf(p + pad, "\r\n\r\n1\r\n" CLOSE);
	bool ok = multipart_parse(&P->a, B, body, len, &P->fields, &P->files);
	free(body);
	return ok;
}

static void test_headers_too_long(void **state)
{
	assert_true(parse_headers_of_size(state, 8192));
	assert_string_equal(field(P, "a"), "1");
	assert_false(parse_headers_of_size(state, 8193));
	assert_false(parse_headers_of_size(state, 100000));
}

static void test_many_params_cost_little(void **state)
{
	/* only the values asked for are copied, whatever the header holds */
	char *pad = malloc(8192), *body = malloc(8192 + 256);
	size_t n = 0;
	while (n + 7 < 8000)
		n += (size_t)sprintf(pad + n, "; x=\"\"");
	int len = sprintf(body, DELIM "Content-Disposition: form-data%s; name=a\r\n\r\n1\r\n" CLOSE, pad);
	assert_true(multipart_parse(&P->a, B, body, (size_t)len, &P->fields, &P->files));
	assert_true(P->a.used_total < 1024);
	free(pad);
	free(body);
}

static void test_nul_in_text(void **state)
{
	assert_false(PARSE(DELIM TEXT("a") "1\0002\r\n" CLOSE));
	assert_false(PARSE(DELIM "Content-Disposition: form-data; name=\"a\0b\"\r\n\r\n1\r\n" CLOSE));
}

static void test_lf_headers(void **state)
{
	assert_true(PARSE("--" B "\n"
			  "Content-Disposition: form-data; name=\"a\"\n\n"
			  "1\n2\r\n"
			  "--" B "\n"
			  "Content-Disposition: form-data; name=\"f\"; filename=\"x\"\n"
			  "Content-Type:text/plain \n\n"
			  "abc\r\n"
			  "--" B "--"));
	assert_string_equal(field(P, "a"), "1\n2");
	assert_int_equal(P->files.count, 1);
	assert_string_equal(P->files.items[0].content_type, "text/plain");
	assert_int_equal(P->files.items[0].len, 3);
}

static void test_preamble_and_epilogue(void **state)
{
	assert_true(PARSE("This is a preamble.\r\n--" B "x is not it either\r\n"
			  DELIM TEXT("a") "1\r\n"
			  "--" B "--\r\nThe epilogue.\r\n" DELIM TEXT("b") "2\r\n" CLOSE));
	assert_int_equal(P->fields.count, 1);
	assert_string_equal(field(P, "a"), "1");
	assert_null(field(P, "b"));
}

static void test_transport_padding(void **state)
{
	assert_true(PARSE("--" B " \t\r\n" TEXT("a") "1\r\n--" B "  \r\n" TEXT("b") "\r\n" CLOSE));
	assert_string_equal(field(P, "a"), "1");
	assert_string_equal(field(P, "b"), "");
}

static void test_no_parts(void **state)
{
	assert_true(PARSE("--" B "--"));
	assert_int_equal(P->fields.count + P->files.count, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_boundary_unquoted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_boundary_quoted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_boundary_other_params, setup, teardown),
		cmocka_unit_test_setup_teardown(test_boundary_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_boundary_length, setup, teardown),
		cmocka_unit_test_setup_teardown(test_boundary_not_multipart, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fields_and_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_binary_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_file_input_skipped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_file_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_filename_as_sent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_close, setup, teardown),
		cmocka_unit_test_setup_teardown(test_part_without_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_headers_without_end, setup, teardown),
		cmocka_unit_test_setup_teardown(test_headers_too_long, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_params_cost_little, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nul_in_text, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lf_headers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_preamble_and_epilogue, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transport_padding, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_parts, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
