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
 * feed answers 404. A new secret replaces the old one.
 *
 * Each personal feed has a secret of its own (table feed_keys): the Atom
 * feed of what the member follows, and the calendar of the events they go
 * to (features/calendars.h), so that one can be revoked without the
 * other. */
#ifndef KRING_FEEDS_H
#define KRING_FEEDS_H

#include <jansson.h>
#include <stdbool.h>

struct req;

/* The member's personal feeds, each with its own secret. */
enum feed_key { FEED_ATOM, FEED_CALENDAR };

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

/* For a personal feed's handler (GET with {secret} in its path): runs
 * answer as the member whose secret for the feed it is, with their rights
 * and language and outside the page cache, and self the feed's own path;
 * 404 when no member has that secret. */
json_t *feeds_as_member(struct req *r, enum feed_key feed, json_t *(*answer)(struct req *r, const char *self));
/* The absolute address of the member's feed, or JSON null when they have
 * made none (or revoked it). */
json_t *feeds_key_url(struct req *r, enum feed_key feed);
/* A new secret for the member's feed, replacing the old one: its absolute
 * address, or NULL on a database error. */
const char *feeds_key_renew(struct req *r, enum feed_key feed);
/* Forgets the member's secret for the feed, whose address then answers
 * 404; false on a database error. */
bool feeds_key_revoke(struct req *r, enum feed_key feed);

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
