/*
 * community_webhooks: webhooks a community's hosts set up themselves
 * (docs/webhooks.md, "Webhooks of a community"), to post what happens in it
 * into a chat channel or to a program of theirs.
 *
 * A hook has an address, a format — Slack's or Mattermost's incoming
 * webhook ({"text": …}) or the signed JSON of the site webhook, with a
 * secret of its own — and the events it takes: new questions, answers,
 * accepted answers, new best practices. The in-step subscriber queues one
 * "community_webhook" job per hook and event in the write's transaction;
 * the job builds the message when it runs, from the item as it is then
 * (a deleted item, or an answer whose question is deleted, is not sent),
 * posts it with jobs/webhook.c and keeps a log of its attempts. Addresses
 * that lead to internal hosts are refused unless the operator allows
 * them (--webhooks-allow-private), as hosts are not operators.
 */
#ifndef KRING_COMMUNITY_WEBHOOKS_H
#define KRING_COMMUNITY_WEBHOOKS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db;
struct event;
struct job;
struct req;

/* The job kind of a delivery. */
#define COMMUNITY_WEBHOOK_JOB "community_webhook"
/* The most hooks a community has. */
#define COMMUNITY_WEBHOOKS_MAX 20
/* The attempts shown per hook, and kept. */
#define COMMUNITY_WEBHOOK_LOG_SHOWN 20
#define COMMUNITY_WEBHOOK_LOG_KEPT 50

/* The in-step subscriber: queues a delivery for each hook of the event's
 * community that is on and takes the event. False on a database error. */
bool community_webhooks_on_event(struct db *db, const struct event *e);

/* The job: payload {"hook": id, "event": id}, or {"hook": id} for a test
 * message. */
const char *community_webhooks_deliver(struct db *db, struct arena *a, const struct job *job, int64_t now);

/* Route handlers: /c/{slug}/webhooks and one hook's actions. */
json_t *community_webhooks_page(struct req *r);
json_t *community_webhooks_add(struct req *r);
json_t *community_webhooks_remove(struct req *r);
json_t *community_webhooks_switch(struct req *r);
json_t *community_webhooks_test(struct req *r);

#endif
