/* meetings: the steps the HTTP tests of events share (see meetings.h). */
#include "meetings.h"

#include <stdlib.h>
#include <time.h>

int64_t utc(int y, int mo, int d, int h, int mi)
{
	struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi};
	return (int64_t)timegm(&tm);
}

const char *utc_text(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char *s = harness_keep(malloc(24));
	strftime(s, 24, "%Y-%m-%dT%H:%M", gmtime_r(&tt, &tm));
	return s;
}

void rsvp(struct actor *a, int64_t id, const char *answer, const char *want, int64_t position)
{
	struct response *r = item_post(a, id, "rsvp", json_pack("{s:s}", "answer", answer));
	assert_status(r, 200);
	assert_jstr(r, "state", want);
	if (position >= 0 && jint(r, "position") != position)
		harness_fail_response(r, __FILE__, __LINE__, "position %lld, expected %lld",
				      (long long)jint(r, "position"), (long long)position);
	response_free(r);
}

struct response *event_of(struct actor *a, int64_t id)
{
	struct response *r = get_item(a, id);
	assert_status(r, 200);
	return r;
}
