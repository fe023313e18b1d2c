/*
 * case_lessons: the case-bringer publishes what a closed case taught as a
 * best practice (an article, features/articles.h) in a wider community
 * they may post in, never a circle. POST /items/{id}/publish-lessons takes
 * two steps:
 *
 *   draft    the text to review and edit, with its preview: prefilled from
 *            the case (its title, the question as the summary, the
 *            situation, the lessons as the approach), anonymised — the
 *            circle's name and address and its members' names and
 *            @handles are replaced by placeholders;
 *   publish  the article, as the case-bringer wrote it, by them. A text
 *            that still names the circle or another member of it is sent
 *            back (422), as is a community they may not post in.
 *
 * The article does not link to the case nor name the circle; the case
 * records that its lessons were published and links to the article, which
 * only the circle sees. This module owns the case_lessons_published table.
 */
#ifndef KRING_CASE_LESSONS_H
#define KRING_CASE_LESSONS_H

#include <jansson.h>

struct item;
struct req;

/* Sets on a closed case's "case" object "lessons_published" (whether they
 * were), "article" ({"id", "title", "url"} when the viewer may read it,
 * else null) and "can_publish" (the case-bringer, while not yet
 * published). */
void case_lessons_fill(struct req *r, json_t *c, const struct item *it);

/* The steps of /items/{id}/publish-lessons (features/cases.h routes it)
 * for the case it, with its question and lessons (NULL while it is not
 * closed). */
/* GET: the draft, prefilled from the case. */
json_t *case_lessons_draft(struct req *r, const struct item *it, const char *question, const char *lessons);
/* POST with `step` = draft (the default: the draft of what was sent, the
 * rest prefilled, with its preview) or publish (with `community` and the
 * article's fields: 201 and the article {"id", "kind", "title", "url",
 * "community"}). */
json_t *case_lessons_publish(struct req *r, const struct item *it, const char *question, const char *lessons);

#endif
