/*
 * webhook: the site's outgoing webhook (docs/webhooks.md). An admin sets its
 * address on the site settings page, which gives it a signing secret. When
 * a question, an update or an answer is shared in a public community, a job
 * is queued with the write, and the worker posts the event as JSON, signed
 * with HMAC-SHA256, retrying until the receiver answers 2xx. Nothing from a
 * members-only or private community is ever sent: the item is loaded again
 * as a signed-out visitor sees it before it is sent.
 */
#ifndef KRING_WEBHOOK_H
#define KRING_WEBHOOK_H

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db;
struct job;

/* Site settings (the admin module's settings table). */
#define WEBHOOK_URL_SETTING "webhook_url"
#define WEBHOOK_SECRET_SETTING "webhook_secret"
#define WEBHOOK_URL_MAX 2000
#define WEBHOOK_SECRET_CHARS 64

/* Queues the item.created event of a new item in a public community when
 * the site has a webhook, in the caller's transaction and at its time now;
 * false on a database error. */
bool webhook_item_created(struct db *db, int64_t item_id, int64_t now);

/* NULL when url may be the webhook's address (http or https with a host),
 * else the message id that says why not. */
const char *webhook_url_problem(const char *url);
/* A new random signing secret, as hexadecimal. */
void webhook_new_secret(char out[WEBHOOK_SECRET_CHARS + 1]);

/* The handler of "webhook" jobs (see jobs.c): posts the job's event. */
const char *webhook_run(struct db *db, struct arena *a, const struct job *job, int64_t now);

/* libcurl's process-wide set-up, before the worker thread starts, and its
 * release after it stopped. */
void webhook_setup(void);
void webhook_cleanup(void);

#endif
