/*
 * subscription_digests: the digests of subscribers without an account
 * (features/subscriptions.h). A confirmed subscription gets, daily or
 * weekly as it chose, what is new and public in its community — new
 * questions (unanswered first), accepted answers, new best practices and
 * methods, items an expert verified, other new posts — or the new best
 * practices of the catalogue, as a signed-out visitor would see them when
 * the digest is made: what was deleted or is no longer public since is
 * left out. Nothing is sent when nothing happened.
 *
 * The digests go out at the hour the members' do (digests_due_at in
 * features/digests.h): the "subscription_digests" job, queued by the
 * hourly maintenance once across nodes, sends each subscription whose
 * digest is due the one that covers the time since its last. Each is
 * queued and recorded in one transaction by an UPDATE that only one run
 * can win, so a subscription gets one digest a period even when two
 * nodes run the job.
 */
#ifndef KRING_SUBSCRIPTION_DIGESTS_H
#define KRING_SUBSCRIPTION_DIGESTS_H

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db;
struct job;

/* Queues this hour's "subscription_digests" job (once across nodes). */
bool subscription_digests_schedule(struct db *db, int64_t now);

/* The "subscription_digests" job's work. */
const char *subscription_digests_send(struct db *db, struct arena *a, const struct job *job, int64_t now);

#endif
