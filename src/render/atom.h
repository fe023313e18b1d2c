/* atom: an Atom feed (RFC 4287) written as XML, with every text escaped and
 * characters XML forbids left out. Addresses are absolute (the caller puts
 * --base-url before the site's paths). */
#ifndef KRING_ATOM_H
#define KRING_ATOM_H

#include "core/buf.h"

#include <stddef.h>
#include <stdint.h>

struct atom_entry {
	const char *id;          /* a stable absolute URL */
	const char *title;
	const char *link;        /* the page it is on */
	const char *author_name, *author_uri;
	int64_t published, updated; /* seconds since 1970 */
	const char *summary;     /* plain text */
	const char *content_html; /* HTML, sent escaped as type="html" */
	const char *const *categories; /* tags; NULL-terminated, or NULL */
	const char *category_scheme;   /* the address tags are under */
};

struct atom_feed {
	const char *id, *title;
	const char *self;        /* the feed's own address */
	const char *alternate;   /* the page it follows */
	const char *base;        /* what relative addresses in the content are
				    relative to: the site's address with a '/' */
	const char *lang;        /* "en", "sv", "nl" */
	int64_t updated;         /* the newest entry's updated */
};

/* Appends the document to out. */
void atom_write(struct buf *out, const struct atom_feed *feed, const struct atom_entry *entries, size_t n);

/* Appends s as XML character data or attribute value: &, <, >, " and '
 * escaped; control characters other than tab and line ends, and bytes that
 * are not UTF-8, left out. */
void atom_put_escaped(struct buf *out, const char *s);

/* Appends the time as RFC 3339 in UTC ("2026-12-07T09:30:00Z"). */
void atom_put_time(struct buf *out, int64_t t);

#endif
