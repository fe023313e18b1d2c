/* feeds: Atom feeds (RFC 4287) of what is new, for feed readers, which
 * send no session.
 *
 * The feeds of a community, a tag, a member and a search list what a
 * visitor may read, whoever asks: a feed's address is passed around, so it
 * never shows more than the page does to someone signed out, and answers
 * 404 where a visitor would (a members-only community, say).
 *
 * A member's personal feed lists what others post in what they follow
 * (features/follows.h): new posts in the tags and communities, by the
 * people, and answers in the threads. Its address holds a secret, shown in
 * the settings, and it is read with the member's rights as they are when it
 * is read: what they may no longer see leaves it, and an excluded member's
 * feed answers 404. A new secret replaces the old one. */
#ifndef KRING_FEEDS_H
#define KRING_FEEDS_H

#include <jansson.h>

struct req;

/* GET /c/{slug}/feed, /tags/{tag}/feed and /people/{handle}/feed: the
 * newest 20 as application/atom+xml. The search's is search_feed
 * (features/search.h). */
json_t *feeds_community(struct req *r);
json_t *feeds_tag(struct req *r);
json_t *feeds_person(struct req *r);

/* GET /feed/{secret}: the personal feed. */
json_t *feeds_personal(struct req *r);
/* POST /settings/feed: a new secret for the member's personal feed (the
 * first one, or one that replaces the old). {"url": the feed's address}. */
json_t *feeds_renew(struct req *r);
/* The absolute address of the member's personal feed, or JSON null when
 * they have made none; for the settings page. */
json_t *feeds_personal_url(struct req *r);

/* For a feed's handler: answers the request with the Atom feed of the
 * items of list (an items_list answer, taken), titled "title · site",
 * whose own address is self and whose page is alternate (the site's
 * paths). Returns NULL; req_fail_internal when the database failed. */
json_t *feeds_answer(struct req *r, json_t *list, const char *title, const char *self, const char *alternate);
/* Runs a public feed's handler as a visitor would be answered, whoever
 * asks. */
json_t *feeds_as_visitor(struct req *r, json_t *(*feed)(struct req *r));

/* Offers a page's feed: its model's "atom_feed" {"url", "title"}, which the
 * layout links in the head and the page shows as a link. */
void feeds_offer(struct req *r, json_t *model, const char *path, const char *title);

#endif
