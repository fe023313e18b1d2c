/* job_kinds: the table of the kinds of background job (see jobs/jobs.h). */
#include "jobs/jobs.h"

#include "jobs/events.h"
#include "jobs/mail_send.h"
#include "jobs/outbox.h"
#include "jobs/webhook.h"

/* A queued event subscriber (src/subscribers.c) is a kind of the same name,
 * run by events_deliver, which hands it the job's event. */
const struct job_kind job_kinds[] = {
	{"maintenance", jobs_maintenance, NULL, NULL},
	{"webhook", events_deliver, webhook_setup, webhook_cleanup},
	{"mail", outbox_send, mail_send_setup, mail_send_cleanup},
};
const size_t job_kinds_count = sizeof(job_kinds) / sizeof(job_kinds[0]);
