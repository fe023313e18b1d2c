/* job_kinds: the table of the kinds of background job (see jobs/jobs.h). */
#include "jobs/jobs.h"

#include "jobs/webhook.h"

const struct job_kind job_kinds[] = {
	{"maintenance", jobs_maintenance, NULL, NULL},
	{"webhook", webhook_run, webhook_setup, webhook_cleanup},
};
const size_t job_kinds_count = sizeof(job_kinds) / sizeof(job_kinds[0]);
