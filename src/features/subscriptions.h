/*
 * subscriptions: the digest of a public community, or of the best-practice
 * catalogue, by e-mail for someone without an account, the way a
 * newsletter works.
 *
 * POST /c/{slug}/subscribe and /articles/subscribe take a name, an e-mail
 * address and a pace (daily or weekly). The answer is the same whether or
 * not the address is on the list already, so the form tells nobody who
 * reads what; the address's owner is told by mail instead: a new or
 * unconfirmed subscription gets the confirmation link, a confirmed one a
 * note that it is subscribed already, with the link to stop. Requests are
 * limited per client address and per e-mail address.
 *
 * Double opt-in: nothing is sent to the list before the owner confirms
 * through /subscriptions/{secret}/confirm (GET shows a button, as mail
 * scanners open links; POST confirms) within SUBSCRIPTION_CONFIRM_DAYS;
 * the hourly maintenance drops what is left unconfirmed. Each digest says
 * how to leave with one click (RFC 8058): /subscriptions/{secret}/unsubscribe
 * shows a button on GET and ends the subscription on POST, from the page or
 * from a mail program, which sends no cookie and no CSRF token (the
 * secret in the address is the authority).
 *
 * The digests themselves are features/subscription_digests.h.
 */
#ifndef KRING_SUBSCRIPTIONS_H
#define KRING_SUBSCRIPTIONS_H

#include <jansson.h>
#include <stdint.h>

struct arena;
struct db;
struct req;

/* How long a confirmation link works. */
#define SUBSCRIPTION_CONFIRM_DAYS 7

/* GET and POST /c/{slug}/subscribe: a public community's digest. */
json_t *subscriptions_community_form(struct req *r);
json_t *subscriptions_community(struct req *r);
/* GET and POST /articles/subscribe: the catalogue's. */
json_t *subscriptions_catalogue_form(struct req *r);
json_t *subscriptions_catalogue(struct req *r);

/* What a page offers signed-out visitors: the object {"action": the
 * form's address} for the page's model ("subscribe"), whose template shows
 * partials/subscribe_form; NULL for a member, who follows instead. page is
 * the list's page: "/c/{slug}" or "/articles". */
json_t *subscriptions_offer(struct req *r, const char *page);

/* GET and POST /subscriptions/{secret}/confirm. */
json_t *subscriptions_confirm_page(struct req *r);
json_t *subscriptions_confirm(struct req *r);
/* GET and POST /subscriptions/{secret}/unsubscribe. */
json_t *subscriptions_unsubscribe_page(struct req *r);
json_t *subscriptions_unsubscribe(struct req *r);

/* The absolute unsubscribe address of the subscription's secret, in a
 * (for its digests' List-Unsubscribe). */
const char *subscriptions_unsubscribe_url(struct arena *a, const char *secret);
/* What a digest is of, in the locale: the community's name, or (NULL) the
 * catalogue's "the best practices of {site}"; in a. */
const char *subscriptions_about(struct arena *a, int locale, const char *community_name);

/* Drops the subscriptions left unconfirmed for SUBSCRIPTION_CONFIRM_DAYS
 * (maintenance); returns how many, or -1 on a database error. */
int64_t subscriptions_purge(struct db *db, int64_t now);

#endif
