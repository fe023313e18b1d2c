/* job_kinds: the table of the kinds of background job (see jobs/jobs.h). */
#include "jobs/jobs.h"

#include "auth/loginlimit.h"
#include "auth/ratelimit.h"
#include "auth/session.h"
#include "db/db.h"
#include "features/community_webhooks.h"
#include "features/digests.h"
#include "features/event_reminders.h"
#include "features/experts.h"
#include "features/guests.h"
#include "features/member_states.h"
#include "features/notification_mail.h"
#include "features/rsvp.h"
#include "features/subscription_digests.h"
#include "features/subscriptions.h"

#include "jobs/events.h"
#include "jobs/mail_send.h"
#include "jobs/outbox.h"
#include "jobs/webhook.h"

#include <stdio.h>

/* The hourly maintenance: what has expired in each module's tables. It
 * lives here, at the top level, as it reaches into modules the queue
 * itself does not know. */
static const char *maintenance(struct db *db, struct arena *a, const struct job *job, int64_t now)
{
	(void)job;
	int64_t sessions = session_purge_expired(db, now);
	int64_t windows = ratelimit_purge(db, now);
	int64_t addresses = loginlimit_purge(db, now);
	int64_t jobs = db_exec(db, "DELETE FROM jobs WHERE done_at <= ? OR failed_at <= ?",
			       DB_ARGS(db_int(now - JOBS_KEEP), db_int(now - JOBS_KEEP)));
	int64_t mail = outbox_purge(db, now - JOBS_KEEP);
	int64_t lapses = experts_record_lapses(db, now);
	int64_t unconfirmed = subscriptions_purge(db, now);
	int64_t guests = guests_purge(db, now);
	int64_t suspensions = member_states_end_suspensions(db, a, now);
	if (sessions < 0 || windows < 0 || addresses < 0 || jobs < 0 || mail < 0 || lapses < 0 || unconfirmed < 0 ||
	    guests < 0 || suspensions < 0 || !digests_schedule(db, now) || !subscription_digests_schedule(db, now) ||
	    !event_reminders_schedule(db, now))
		return "a database error (see the log)";
	fprintf(stderr, "jobs: maintenance removed %lld expired sessions, %lld rate-limit counters, "
			"%lld old sign-in addresses, %lld old jobs, %lld old e-mail messages, %lld unconfirmed "
			"subscriptions, %lld unconfirmed guests; recorded %lld lapsed verifications, %lld ended "
			"suspensions\n",
		(long long)sessions, (long long)windows, (long long)addresses, (long long)jobs, (long long)mail,
		(long long)unconfirmed, (long long)guests, (long long)lapses, (long long)suspensions);
	return NULL;
}

/* A queued event subscriber (src/subscribers.c) is a kind of the same name,
 * run by events_deliver, which hands it the job's event. */
const struct job_kind job_kinds[] = {
	{"maintenance", maintenance, NULL, NULL},
	{"webhook", events_deliver, webhook_setup, webhook_cleanup},
	{COMMUNITY_WEBHOOK_JOB, community_webhooks_deliver, webhook_setup, webhook_cleanup},
	{"mail", outbox_send, mail_send_setup, mail_send_cleanup},
	{"notification_mail", notification_mail_send, NULL, NULL},
	{"digests", digests_send, NULL, NULL},
	{"subscription_digests", subscription_digests_send, NULL, NULL},
	{RSVP_CLAIMS_JOB, rsvp_claims_run, NULL, NULL},
	{"event_reminders", event_reminders_send, NULL, NULL},
};
const size_t job_kinds_count = sizeof(job_kinds) / sizeof(job_kinds[0]);
