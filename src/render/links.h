/* links: the one place that knows the shape of the site's addresses.
 *
 * Each builder takes the pieces as they are stored (a slug, a handle, a
 * tag, a file name) and percent-encodes them as one path segment, so no
 * value can reach into another segment or out of an attribute. The result
 * lives in the arena. A page under one of these ("/c/{slug}/members") is
 * the builder's result with the rest appended. */
#ifndef KRING_LINKS_H
#define KRING_LINKS_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"

/* /c/{slug}: a community. */
const char *link_community(struct arena *a, const char *slug);
/* /items/{id}-{slug}: an item's page, the slug made from its title; just
 * /items/{id} when the title gives no slug (Greek or Cyrillic alone). */
const char *link_item(struct arena *a, int64_t id, const char *title);
/* /items/{id}: the base of an item's actions (react, revisions, files). */
const char *link_item_id(struct arena *a, int64_t id);
/* /items/{id}/react and /comments/{id}/react: where a reaction is toggled
 * (a page has one for each item and each comment). */
const char *link_item_react(struct arena *a, int64_t id);
const char *link_comment_react(struct arena *a, int64_t id);
/* /people/{handle}: a person's profile. */
const char *link_person(struct arena *a, const char *handle);
/* /orgs/{slug}: an organisation. */
const char *link_org(struct arena *a, const char *slug);
/* /tags/{tag}: a tag. */
const char *link_tag(struct arena *a, const char *tag);
/* /tags/{tag}/experts/{handle}: a person's standing as an expert on a tag. */
const char *link_tag_expert(struct arena *a, const char *tag, const char *handle);
/* /files/{sha256}/{name}: downloads a file (and counts it). */
const char *link_file(struct arena *a, const char *sha256, const char *name);
/* /files/{sha256}/preview/{name}: shows an image or video on a page. */
const char *link_file_preview(struct arena *a, const char *sha256, const char *name);
/* The address for outside the site (mail, feeds, chat messages): path after
 * --base-url without its trailing '/'. */
const char *link_absolute(struct arena *a, const char *path);
/* Appends link_person's address for the n bytes of handle at h, for
 * renderers that write into a buffer. */
void link_put_person(struct buf *b, const char *h, size_t n);

#endif
