/*
 * digests: each member's daily and weekly digest by e-mail, of the
 * notifications whose kind they pace "daily" or "weekly"
 * (features/mail_settings.h) and may still see. A daily digest goes out
 * at the first run of the "digests" job from DIGEST_HOUR UTC each day, a
 * weekly one from that hour on Mondays, when something happened before
 * that hour since the last one (what happens later waits for the next;
 * when the job could not run, it catches up on a week more);
 * each covers the notifications after the last one it covered (the
 * digests table), so nothing is told twice. The job runs
 * each hour (queued by the maintenance, once across nodes); an admin can
 * also send what is waiting at once from /admin/mail.
 */
#ifndef KRING_DIGESTS_H
#define KRING_DIGESTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db;
struct job;
struct req;

/* 07:00 UTC: morning in the communities' time zones. */
#define DIGEST_HOUR 7

/* Queues this hour's "digests" job (once across nodes). */
bool digests_schedule(struct db *db, int64_t now);

/* The "digests" job's work. Payload {"now": true} sends every digest that
 * has something in it, due or not. */
const char *digests_send(struct db *db, struct arena *a, const struct job *job, int64_t now);

/* POST /admin/mail/digests: sends what is waiting now (a job). */
json_t *digests_send_now(struct req *r);

/* When the digest of the period (86400 or 7 * 86400 seconds) was last due
 * at or before now: DIGEST_HOUR of the day, or of the week's Monday. */
int64_t digests_due_at(int64_t now, bool weekly);

#endif
