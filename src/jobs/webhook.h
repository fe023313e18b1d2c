/*
 * webhook: outgoing webhooks (docs/webhooks.md) as they go over the wire:
 * the site's, whose address an admin sets on the site settings page, which
 * gives it a signing secret, and those of communities, set by their hosts
 * (features/community_webhooks.h). Their event subscribers say what is sent
 * and post it with webhook_post from the jobs worker, which tries again
 * until the receiver answers 2xx: JSON signed with HMAC-SHA256, or a chat's
 * message unsigned.
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

/* One message to post. */
struct webhook_message {
	const char *url;
	const char *body;   /* JSON */
	const char *event;  /* X-Kring-Event */
	int64_t delivery;   /* X-Kring-Delivery: the job's id */
	const char *secret; /* signs the body (X-Kring-Signature); NULL: unsigned */
	/* The address was chosen by a member, not the operator: refuse it
	 * when it leads to an internal address (jobs/outbound.h). */
	bool public_only;
};

/* Posts the message; NULL when the receiver answered 2xx, else why not
 * (static or in a). *status gets the receiver's HTTP status, 0 when none
 * came. Gives up when the jobs worker stops. */
const char *webhook_post(struct arena *a, const struct webhook_message *m, long *status);

/* libcurl's process-wide set-up, before the jobs worker starts, and its
 * release after it stopped. */
void webhook_setup(void);
void webhook_cleanup(void);

#endif
