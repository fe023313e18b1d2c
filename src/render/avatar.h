/* avatar: the initials avatar of a member, an inline SVG made on the server
 * (no external resources), used until members can upload a picture. */
#ifndef KRING_AVATAR_H
#define KRING_AVATAR_H

#include <stdint.h>

struct buf;

/* Appends an SVG image of size x size pixels to out: a coloured circle with
 * the initials of the first and last word of name. The colour comes from a
 * fixed palette, picked by a hash of the name; the name appears only
 * escaped (as the image's label). Broken UTF-8 and control characters in
 * name are replaced. size is clamped to 16..512. */
void avatar_svg(const char *name, int size, struct buf *out);

/* The hash avatar_svg picks the colour by (core/hash of the name); also a
 * cache-busting version for avatar URLs. */
uint32_t avatar_hash(const char *name);

#endif
