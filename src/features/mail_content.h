/*
 * mail_content: what a feature needs to write an e-mail: its HTML part
 * from a template under templates/mail/ in the recipient's language, links
 * to the site (--base-url), and the recipient's language itself. The
 * plain-text part is written by the feature with format_message.
 */
#ifndef KRING_MAIL_CONTENT_H
#define KRING_MAIL_CONTENT_H

#include <jansson.h>

struct arena;
struct user;

/* templates/mail/NAME.html rendered with the model (which it takes:
 * decref'd) in the locale, in a; NULL when it cannot be rendered. */
const char *mail_content_html(struct arena *a, const char *name, json_t *model, int locale);

/* The plain-text part: the paragraphs (NULL-terminated) separated by
 * blank lines, then the site's name as a signature; in a. */
const char *mail_content_text(struct arena *a, const char *const *paragraphs);

/* The site's address followed by path ("/password/reset/…"), in a. */
const char *mail_content_link(struct arena *a, const char *path);

/* The language to write to the member in: their setting, else fallback
 * (the language of the request that caused the message). */
int mail_content_locale(const struct user *u, int fallback);

#endif
