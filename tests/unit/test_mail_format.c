/* Unit tests of mail_format: headers that nothing typed can break open,
 * encoded words and quoted-printable lines within their lengths and
 * decoding to the text given, addresses that are refused, the date. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/buf.h"
#include "core/text.h"
#include "jobs/mail_format.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* The longest line of text (lines ended by CRLF), without its CRLF. */
static size_t longest_line(const char *text)
{
	size_t longest = 0;
	for (const char *line = text; *line;) {
		const char *end = strstr(line, "\r\n");
		size_t len = end ? (size_t)(end - line) : strlen(line);
		if (len > longest)
			longest = len;
		line += len + (end ? 2 : 0);
	}
	return longest;
}

/* Whether text has a bare CR or LF (not in a CRLF pair). */
static bool bare_line_break(const char *text)
{
	for (const char *p = text; *p; p++) {
		if (*p == '\r' && p[1] != '\n')
			return true;
		if (*p == '\n' && (p == text || p[-1] != '\r'))
			return true;
	}
	return false;
}

/* The text of a header written as encoded words, decoded. */
static char *decode_words(const char *header)
{
	struct buf out = {0};
	for (const char *p = strstr(header, "=?UTF-8?B?"); p; p = strstr(p, "=?UTF-8?B?")) {
		p += strlen("=?UTF-8?B?");
		const char *end = strstr(p, "?=");
		assert_non_null(end);
		assert_true(end - p + 12 <= 75); /* one word within 75 characters */
		unsigned char bin[128];
		size_t len = 0;
		assert_int_equal(sodium_base642bin(bin, sizeof bin, p, (size_t)(end - p), NULL, &len, NULL,
						   sodium_base64_VARIANT_ORIGINAL), 0);
		/* Each word is whole characters. */
		assert_true(utf8_valid((const char *)bin, len));
		buf_append(&out, bin, len);
		p = end + 2;
	}
	return buf_take(&out);
}

static void test_header_injection(void **state)
{
	(void)state;
	struct buf out = {0};
	mail_put_header(&out, "Subject", "Hello\r\nBcc: victim@example.org\nX-Evil: 1");
	assert_string_equal(out.data, "Subject: Hello  Bcc: victim@example.org X-Evil: 1\r\n");
	buf_free(&out);

	/* In a name beside an address, too, and with a comma and quotes that
	 * would make two addresses. */
	struct mail m = {
		.from_name = "kring", .from_address = "kring@example.org",
		.to_name = "Smith, \"Bob\"\r\nBcc: victim@example.org", .to_address = "bob@example.org",
		.subject = "Hi", .text = "text", .html = "<p>html</p>", .date = 0,
	};
	mail_format(&m, &out);
	assert_null(strstr(out.data, "\r\nBcc:"));
	assert_false(bare_line_break(out.data));
	const char *to = strstr(out.data, "\r\nTo: ");
	assert_non_null(to);
	const char *address = strstr(to, "<bob@");
	assert_non_null(address);
	assert_null(memchr(to, ',', (size_t)(address - to)));
	buf_free(&out);
}

static void test_addresses(void **state)
{
	(void)state;
	assert_true(mail_address_ok("zoe@example.org"));
	assert_true(mail_address_ok("first.last+tag@sub.example.org"));
	const char *bad[] = {"", "zoe", "@example.org", "zoe@", "a@b@c", "zoe@example.org\r\nBcc: x@y",
			     "<zoe@example.org>", "zoe smith@example.org", "zo\xc3\xab@example.org",
			     "zoe@example.org,x@y.org", "\"zoe\"@example.org"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_false(mail_address_ok(bad[i]));

	struct buf out = {0};
	struct mail m = {.from_name = "kring", .from_address = "kring@example.org", .to_address = "x@y\nBcc: z@w",
			 .subject = "Hi", .text = "t", .html = "h"};
	assert_false(mail_format(&m, &out));
	assert_int_equal(out.len, 0);
	buf_free(&out);
}

static void test_encoded_words(void **state)
{
	(void)state;
	/* ASCII that fits stays as it is. */
	struct buf out = {0};
	mail_put_header(&out, "Subject", "Reset your password on kring");
	assert_string_equal(out.data, "Subject: Reset your password on kring\r\n");
	buf_reset(&out);

	/* Long text of characters of two and three bytes: words of whole
	 * characters, folded onto lines of at most 78. */
	const char *subject = "Återställ ditt lösenord på kring — ärenden för gemenskapen Fika med ett ämne, "
			      "Ålvbacka kommun och Ängelholms förening för öppen kunskap";
	mail_put_header(&out, "Subject", subject);
	assert_true(strncmp(out.data, "Subject: =?UTF-8?B?", 19) == 0);
	assert_true(longest_line(out.data) <= 78);
	assert_false(bare_line_break(out.data));
	char *decoded = decode_words(out.data);
	assert_string_equal(decoded, subject);
	free(decoded);
	buf_free(&out);
}

/* Decodes quoted-printable (CRLF line ends) back to text with "\n". */
static char *decode_qp(const char *qp)
{
	struct buf out = {0};
	for (const char *p = qp; *p; p++) {
		if (p[0] == '=' && p[1] == '\r' && p[2] == '\n')
			p += 2;
		else if (p[0] == '=') {
			char hex[3] = {p[1], p[2], 0};
			buf_putc(&out, (char)strtol(hex, NULL, 16));
			p += 2;
		} else if (p[0] == '\r' && p[1] == '\n') {
			buf_putc(&out, '\n');
			p++;
		} else
			buf_putc(&out, *p);
	}
	return buf_take(&out);
}

static void test_quoted_printable(void **state)
{
	(void)state;
	struct buf text = {0};
	for (int i = 0; i < 100; i++)
		buf_puts(&text, "é");
	buf_puts(&text, "\nA line with = signs and a trailing space \nand a tab\t\n");
	for (int i = 0; i < 200; i++)
		buf_putc(&text, 'x');
	buf_puts(&text, "\n.\n");
	struct buf out = {0};
	mail_put_quoted_printable(&out, text.data);
	assert_true(longest_line(out.data) <= 76);
	assert_false(bare_line_break(out.data));
	assert_non_null(strstr(out.data, "=3D"));
	assert_non_null(strstr(out.data, "space=20\r\n"));
	assert_non_null(strstr(out.data, "tab=09\r\n"));
	/* no byte beyond ASCII is left as it is */
	for (const char *p = out.data; *p; p++)
		assert_true((unsigned char)*p < 0x80);
	char *decoded = decode_qp(out.data);
	assert_string_equal(decoded, text.data);
	free(decoded);
	buf_free(&out);
	buf_free(&text);
}

static void test_date(void **state)
{
	(void)state;
	struct buf out = {0};
	mail_put_date(&out, 0);
	assert_string_equal(out.data, "Thu, 01 Jan 1970 00:00:00 +0000");
	buf_reset(&out);
	mail_put_date(&out, 1796619535);
	assert_string_equal(out.data, "Mon, 07 Dec 2026 04:58:55 +0000");
	buf_free(&out);
}

/* The whole message: the headers once each, both parts, the boundary
 * nowhere in them. */
static void test_message(void **state)
{
	(void)state;
	struct buf out = {0};
	struct mail m = {
		.from_name = "kring", .from_address = "kring@example.org",
		.to_name = "Zoë", .to_address = "zoe@example.org",
		.subject = "Hi", .text = "Hello Zoë,\n\nbye\n", .html = "<p>Hello Zoë,</p>", .date = 0,
	};
	assert_true(mail_format(&m, &out));
	const char *once[] = {"\r\nMessage-ID: <", "\r\nFrom: kring <kring@example.org>\r\n",
			      "\r\nTo: =?UTF-8?B?Wm/Dqw==?=\r\n <zoe@example.org>\r\n", "\r\nSubject: Hi\r\n",
			      "\r\nMIME-Version: 1.0\r\n", "Content-Type: multipart/alternative;\r\n boundary=\"",
			      "Content-Type: text/plain; charset=UTF-8\r\n", "Content-Type: text/html; charset=UTF-8\r\n",
			      "Hello Zo=C3=AB,\r\n\r\nbye\r\n"};
	for (size_t i = 0; i < sizeof once / sizeof once[0]; i++) {
		const char *at = strstr(out.data, once[i]);
		assert_non_null(at);
		assert_null(strstr(at + 1, once[i]));
	}
	assert_true(strncmp(out.data, "Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n", 39) == 0);
	const char *b = strstr(out.data, "boundary=\"") + strlen("boundary=\"");
	char boundary[80];
	snprintf(boundary, sizeof boundary, "--%.*s", (int)strcspn(b, "\""), b);
	/* two parts and the end */
	int n = 0;
	for (const char *p = strstr(out.data, boundary); p; p = strstr(p + 1, boundary))
		n++;
	assert_int_equal(n, 3);
	assert_true(longest_line(out.data) <= 78);
	assert_null(strstr(out.data, "List-Unsubscribe"));
	buf_free(&out);
}

/* A message one can unsubscribe from says where, and that one POST does
 * it (RFC 8058); a line break in the address cannot add a header. */
static void test_unsubscribe(void **state)
{
	(void)state;
	struct buf out = {0};
	struct mail m = {
		.from_name = "kring", .from_address = "kring@example.org", .to_address = "zoe@example.org",
		.subject = "Digest", .text = "t", .html = "<p>t</p>",
		.unsubscribe_url = "https://example.org/unsubscribe/abc/daily\r\nBcc: x@example.org",
	};
	assert_true(mail_format(&m, &out));
	assert_non_null(strstr(out.data, "\r\nList-Unsubscribe: <https://example.org/unsubscribe/abc/daily  Bcc: "
					 "x@example.org>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"));
	assert_null(strstr(out.data, "\r\nBcc:"));
	assert_false(bare_line_break(out.data));
	buf_free(&out);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_injection),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_encoded_words),
		cmocka_unit_test(test_quoted_printable),
		cmocka_unit_test(test_date),
		cmocka_unit_test(test_message),
		cmocka_unit_test(test_unsubscribe),
	};
	return cmocka_run_group_tests_name("mail_format", tests, NULL, NULL);
}
