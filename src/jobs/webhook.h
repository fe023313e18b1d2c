/*
 * webhook: the site's outgoing webhook (docs/webhooks.md), as it goes over
 * the wire. An admin sets its address on the site settings page, which
 * gives it a signing secret; the webhook's event subscriber
 * (features/webhooks.c) says what is sent and posts it with webhook_post,
 * as JSON signed with HMAC-SHA256, from the jobs worker, which tries again
 * until the receiver answers 2xx.
 */
#ifndef KRING_WEBHOOK_H
#define KRING_WEBHOOK_H

#include <stdbool.h>
#include <stdint.h>

struct arena;

/* Site settings (the admin module's settings table). */
#define WEBHOOK_URL_SETTING "webhook_url"
#define WEBHOOK_SECRET_SETTING "webhook_secret"
#define WEBHOOK_URL_MAX 2000
#define WEBHOOK_SECRET_CHARS 64

/* NULL when url may be the webhook's address (http or https with a host),
 * else the message id that says why not. */
const char *webhook_url_problem(const char *url);
/* A new random signing secret, as hexadecimal. */
void webhook_new_secret(char out[WEBHOOK_SECRET_CHARS + 1]);

/* Posts the message body (JSON) of the event to url, signed with secret,
 * as delivery (its X-Kring-Delivery); NULL when the receiver answered 2xx,
 * else why not (static or in a). Gives up when the jobs worker stops. */
const char *webhook_post(struct arena *a, const char *url, const char *secret, const char *event,
			 int64_t delivery, const char *body);

/* libcurl's process-wide set-up, before the jobs worker starts, and its
 * release after it stopped. */
void webhook_setup(void);
void webhook_cleanup(void);

#endif
