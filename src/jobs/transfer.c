/* transfer: a job's libcurl transfer (see transfer.h). */
#include "jobs/transfer.h"

#include "jobs/jobs.h"

/* Called by libcurl while it waits: a non-zero answer gives up. */
static int give_up_when_stopping(void *user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
				 curl_off_t ulnow)
{
	(void)user;
	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return jobs_stopping();
}

CURLcode transfer_perform(CURL *curl, long timeout_s, char *error, long *status)
{
	error[0] = '\0';
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, timeout_s);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
	curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, give_up_when_stopping);
	CURLcode rc = curl_easy_perform(curl);
	*status = 0;
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, status);
	return rc;
}
