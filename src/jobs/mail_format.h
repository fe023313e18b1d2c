/*
 * mail_format: one e-mail as it goes over the wire (RFC 5322 and MIME): the
 * headers (Date, Message-ID, From, To, Subject, MIME-Version), and a
 * multipart/alternative body of a plain-text and an HTML part, both UTF-8
 * in quoted-printable. Names and subjects beyond printable ASCII are
 * encoded words (RFC 2047); a line break in them cannot start a header of
 * its own (control characters become spaces), and an address that is not
 * a plain one is refused, so nothing a member typed can add a header.
 */
#ifndef KRING_MAIL_FORMAT_H
#define KRING_MAIL_FORMAT_H

#include <stdbool.h>
#include <stdint.h>

struct buf;

struct mail {
	const char *from_name, *from_address;
	const char *to_name, *to_address; /* to_name may be NULL */
	const char *subject;
	const char *text; /* the plain-text part, lines ended by "\n" */
	const char *html; /* the HTML part: a whole document */
	/* An https or http address that unsubscribes the recipient from this
	 * kind of message with one POST (RFC 8058), or NULL. */
	const char *unsubscribe_url;
	int64_t date;     /* UTC seconds */
};

/* Whether address is a plain address kring sends to: printable ASCII
 * without spaces, brackets, quotes or commas, one "@" with text on both
 * sides, at most 254 characters. */
bool mail_address_ok(const char *address);

/* Writes the whole message, lines ended by CRLF, to out, with a new
 * Message-ID and MIME boundary, and List-Unsubscribe and
 * List-Unsubscribe-Post headers when it has an unsubscribe_url. False
 * (nothing written) when an address is not mail_address_ok. */
bool mail_format(const struct mail *m, struct buf *out);

/* Pieces of mail_format, for its tests. */
/* The header "Name: value" and its CRLF, encoded and folded. */
void mail_put_header(struct buf *out, const char *name, const char *value);
/* text in quoted-printable, lines at most 76 characters, CRLF line ends. */
void mail_put_quoted_printable(struct buf *out, const char *text);
/* t as in a Date header: "Mon, 07 Dec 2026 09:30:00 +0000". */
void mail_put_date(struct buf *out, int64_t t);

#endif
