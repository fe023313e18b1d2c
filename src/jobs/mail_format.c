/* mail_format: composing an e-mail (see mail_format.h). */
#include "jobs/mail_format.h"

#include "core/buf.h"
#include "core/mem.h"
#include "core/text.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* RFC 5322 lines should stay within 78 characters, RFC 2045 quoted-printable
 * lines within 76, RFC 2047 encoded words within 75. */
#define LINE_MAX_CHARS 78
#define QP_LINE_CHARS 76
/* Bytes of text in one encoded word: base64 of 45 bytes is 60 characters,
 * with "=?UTF-8?B?" and "?=" 72. */
#define WORD_BYTES 45

bool mail_address_ok(const char *address)
{
	size_t len = address ? strlen(address) : 0;
	if (len < 3 || len > 254)
		return false;
	const char *at = strchr(address, '@');
	if (!at || at == address || !at[1] || strchr(at + 1, '@'))
		return false;
	for (const char *p = address; *p; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f || strchr("<>()[],;:\"\\", *p))
			return false;
	return true;
}

static bool printable_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			return false;
	return true;
}

/* The length of the UTF-8 sequence that starts with byte c (1 for a
 * stray byte, so that nothing is ever cut in two twice). */
static size_t utf8_seq_len(unsigned char c)
{
	return c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
}

/* Bytes of text an encoded word may hold on a line with room characters
 * left: base64 writes 4 characters for 3 bytes, and "=?UTF-8?B?" and "?="
 * take 12. */
static size_t word_bytes(size_t room)
{
	size_t n = room > 12 ? (room - 12) / 4 * 3 : 3;
	return n < WORD_BYTES ? n : WORD_BYTES;
}

/* value as encoded words cut between characters, the first on a line
 * that has `used` characters already, each later one on a line of its
 * own. */
static void put_encoded_words(struct buf *out, const char *value, size_t used)
{
	size_t len = strlen(value), at = 0;
	bool first = true;
	while (at < len) {
		size_t most = word_bytes(LINE_MAX_CHARS - (first ? used : 1)), n = 0;
		while (at + n < len) {
			size_t step = utf8_seq_len((unsigned char)value[at + n]);
			if (n + step > most || at + n + step > len)
				break;
			n += step;
		}
		if (n == 0) /* a sequence cut short by the end of the text */
			n = len - at;
		char b64[sodium_base64_ENCODED_LEN(WORD_BYTES, sodium_base64_VARIANT_ORIGINAL)];
		sodium_bin2base64(b64, sizeof(b64), (const unsigned char *)value + at, n,
				  sodium_base64_VARIANT_ORIGINAL);
		buf_printf(out, "%s=?UTF-8?B?%s?=", first ? "" : "\r\n ", b64);
		first = false;
		at += n;
	}
}

/* A copy of s with every control character a space: nothing in a header
 * value may end its line. The caller frees it. */
static char *header_safe(const char *s)
{
	char *copy = xstrdup(s ? s : "");
	for (char *p = copy; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p == 0x7f)
			*p = ' ';
	return copy;
}

void mail_put_header(struct buf *out, const char *name, const char *value)
{
	char *safe = header_safe(value);
	buf_printf(out, "%s: ", name);
	if (printable_ascii(safe) && strlen(name) + 2 + strlen(safe) <= LINE_MAX_CHARS)
		buf_puts(out, safe);
	else
		put_encoded_words(out, safe, strlen(name) + 2);
	buf_puts(out, "\r\n");
	free(safe);
}

/* A name that may stand as it is before an address: letters, digits and
 * spaces (RFC 5322 atoms), else it is encoded. */
static bool plain_phrase(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == ' '))
			return false;
	return true;
}

/* "Name: name <address>", or the address alone when there is no name. */
static void put_address_header(struct buf *out, const char *header, const char *name, const char *address)
{
	char *safe = header_safe(name);
	buf_printf(out, "%s: ", header);
	if (*safe && plain_phrase(safe))
		buf_printf(out, "%s ", safe);
	else if (*safe) {
		put_encoded_words(out, safe, strlen(header) + 2);
		buf_puts(out, "\r\n ");
	}
	buf_printf(out, "<%s>\r\n", address);
	free(safe);
}

void mail_put_date(struct buf *out, int64_t t)
{
	static const char days[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	buf_printf(out, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
		   tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

void mail_put_quoted_printable(struct buf *out, const char *text)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t column = 0;
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		if (*p == '\r')
			continue; /* lines end in "\n"; CRLF is written below */
		if (*p == '\n') {
			buf_puts(out, "\r\n");
			column = 0;
			continue;
		}
		/* White space stays as it is unless it ends a line, where
		 * transports may drop it. */
		bool line_end = p[1] == '\n' || p[1] == '\0' || (p[1] == '\r' && p[2] == '\n');
		bool literal = (*p >= 33 && *p <= 126 && *p != '=') || ((*p == ' ' || *p == '\t') && !line_end);
		size_t width = literal ? 1 : 3;
		/* A soft line break ("=" at the end) keeps lines short. */
		if (column + width > QP_LINE_CHARS - 1) {
			buf_puts(out, "=\r\n");
			column = 0;
		}
		if (literal)
			buf_putc(out, (char)*p);
		else {
			buf_putc(out, '=');
			buf_putc(out, hex[*p >> 4]);
			buf_putc(out, hex[*p & 15]);
		}
		column += width;
	}
	if (column)
		buf_puts(out, "\r\n");
}

static void put_part(struct buf *out, const char *boundary, const char *type, const char *body)
{
	buf_printf(out, "--%s\r\nContent-Type: %s; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n",
		   boundary, type);
	mail_put_quoted_printable(out, body);
}

bool mail_format(const struct mail *m, struct buf *out)
{
	if (!mail_address_ok(m->from_address) || !mail_address_ok(m->to_address))
		return false;
	unsigned char raw[16];
	char id[2 * sizeof(raw) + 1], boundary[64];
	randombytes_buf(raw, sizeof(raw));
	hex_encode(id, raw, sizeof(raw));
	/* "=_" never appears in quoted-printable text, so the boundary
	 * cannot either. */
	snprintf(boundary, sizeof(boundary), "=_kring_%.24s", id + 8);
	buf_puts(out, "Date: ");
	mail_put_date(out, m->date);
	buf_printf(out, "\r\nMessage-ID: <%.16s.%lld@%s>\r\n", id, (long long)m->date, strchr(m->from_address, '@') + 1);
	put_address_header(out, "From", m->from_name, m->from_address);
	put_address_header(out, "To", m->to_name, m->to_address);
	mail_put_header(out, "Subject", m->subject);
	if (m->unsubscribe_url) {
		/* Mail programs show an unsubscribe button that posts
		 * "List-Unsubscribe=One-Click" to the address (RFC 8058). */
		char *safe = header_safe(m->unsubscribe_url);
		buf_printf(out, "List-Unsubscribe: <%s>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n", safe);
		free(safe);
	}
	buf_printf(out, "MIME-Version: 1.0\r\nContent-Type: multipart/alternative;\r\n boundary=\"%s\"\r\n\r\n", boundary);
	put_part(out, boundary, "text/plain", m->text ? m->text : "");
	put_part(out, boundary, "text/html", m->html ? m->html : "");
	buf_printf(out, "--%s--\r\n", boundary);
	return true;
}
