/* zone: local times in IANA time zones (see zone.h). */
#include "core/zone.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define NAME_MAX_LEN 64

static pthread_mutex_t zone_lock = PTHREAD_MUTEX_INITIALIZER;

void zone_init(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
}

static const char *zone_dir(void)
{
	const char *dir = getenv("TZDIR");
	return dir && *dir ? dir : "/usr/share/zoneinfo";
}

bool zone_exists(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	if (n == 0 || n > NAME_MAX_LEN || name[0] == '/' || name[0] == '-' || strstr(name, "..") ||
	    strstr(name, "//") || name[n - 1] == '/')
		return false;
	for (const char *p = name; *p; p++) {
		char c = *p;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
		      c == '-' || c == '+' || c == '/'))
			return false;
	}
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", zone_dir(), name);
	struct stat sb;
	if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
		return false;
	/* A zone file begins with "TZif"; the directory also holds tables. */
	FILE *f = fopen(path, "rb");
	char magic[4] = {0};
	bool ok = f && fread(magic, 1, 4, f) == 4 && memcmp(magic, "TZif", 4) == 0;
	if (f)
		fclose(f);
	return ok;
}

static bool leap_year(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && leap_year(y) ? 29 : days[m - 1];
}

bool zone_parse_local(const char *text, struct zone_local *out)
{
	int y, mo, d, h, mi, used = 0;
	char sep;
	if (!text || sscanf(text, "%4d-%2d-%2d%c%2d:%2d%n", &y, &mo, &d, &sep, &h, &mi, &used) != 6 ||
	    (sep != 'T' && sep != ' ') || strlen(text) < 16)
		return false;
	const char *rest = text + used;
	int s;
	/* Seconds are allowed (a browser may send them) and dropped. */
	if (*rest == ':' && sscanf(rest, ":%2d", &s) == 1 && strlen(rest) == 3 && s >= 0 && s < 60)
		rest += 3;
	if (*rest || y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h < 0 ||
	    h > 23 || mi < 0 || mi > 59)
		return false;
	*out = (struct zone_local){y, mo, d, h, mi};
	return true;
}

/* Points the library at the zone; with zone_lock held. */
static void use_zone(const char *zone)
{
	char tz[NAME_MAX_LEN + 2];
	snprintf(tz, sizeof(tz), ":%s", zone);
	setenv("TZ", tz, 1);
	tzset();
}

bool zone_to_utc(const char *zone, const struct zone_local *local, int64_t *utc)
{
	if (!zone_exists(zone))
		return false;
	struct tm tm = {.tm_year = local->year - 1900, .tm_mon = local->month - 1, .tm_mday = local->day,
			.tm_hour = local->hour, .tm_min = local->minute, .tm_isdst = -1};
	pthread_mutex_lock(&zone_lock);
	use_zone(zone);
	time_t t = mktime(&tm);
	/* The first of two times that a wall clock shows twice: an hour
	 * earlier, if that shows the same. */
	struct tm back;
	time_t earlier = t - 3600;
	bool twice = t != (time_t)-1 && localtime_r(&earlier, &back) && back.tm_hour == local->hour &&
		     back.tm_min == local->minute && back.tm_mday == local->day;
	pthread_mutex_unlock(&zone_lock);
	/* mktime moves a time that does not exist (clocks going forward)
	 * to one that does: the fields tell. */
	bool real = t != (time_t)-1 && tm.tm_year == local->year - 1900 && tm.tm_mon == local->month - 1 &&
		    tm.tm_mday == local->day && tm.tm_hour == local->hour && tm.tm_min == local->minute;
	if (!real)
		return false;
	*utc = (int64_t)(twice ? earlier : t);
	return true;
}

bool zone_from_utc(const char *zone, int64_t t, struct zone_local *out, char *abbrev, size_t abbrev_size)
{
	if (!zone_exists(zone))
		return false;
	time_t tt = (time_t)t;
	struct tm tm;
	pthread_mutex_lock(&zone_lock);
	use_zone(zone);
	bool ok = localtime_r(&tt, &tm) != NULL;
	if (ok && abbrev)
		snprintf(abbrev, abbrev_size, "%s", tm.tm_zone ? tm.tm_zone : "");
	pthread_mutex_unlock(&zone_lock);
	if (ok)
		*out = (struct zone_local){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min};
	return ok;
}

/* The offset at t, with zone_lock held and the zone in use. */
static bool offset_locked(int64_t t, struct zone_offset *out)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!localtime_r(&tt, &tm))
		return false;
	out->utc_offset = (int)tm.tm_gmtoff;
	out->dst = tm.tm_isdst > 0;
	snprintf(out->abbrev, sizeof(out->abbrev), "%s", tm.tm_zone ? tm.tm_zone : "");
	return true;
}

static bool same_offset(const struct zone_offset *a, const struct zone_offset *b)
{
	return a->utc_offset == b->utc_offset && a->dst == b->dst && strcmp(a->abbrev, b->abbrev) == 0;
}

bool zone_offset_at(const char *zone, int64_t t, struct zone_offset *out)
{
	if (!zone_exists(zone))
		return false;
	pthread_mutex_lock(&zone_lock);
	use_zone(zone);
	bool ok = offset_locked(t, out);
	pthread_mutex_unlock(&zone_lock);
	return ok;
}

#define DAY_SECONDS 86400

size_t zone_transitions(const char *zone, int64_t from, int64_t to, struct zone_transition *out, size_t max)
{
	if (!zone_exists(zone) || to <= from)
		return 0;
	size_t n = 0;
	pthread_mutex_lock(&zone_lock);
	use_zone(zone);
	struct zone_offset prev;
	bool ok = offset_locked(from, &prev);
	for (int64_t t = from; ok && t < to && n < max;) {
		int64_t next = to - t > DAY_SECONDS ? t + DAY_SECONDS : to;
		struct zone_offset then;
		if (!(ok = offset_locked(next, &then)))
			break;
		if (!same_offset(&prev, &then)) {
			/* The change is in (t, next]: the first second of the new offset. */
			int64_t lo = t, hi = next;
			while (hi - lo > 1) {
				int64_t mid = lo + (hi - lo) / 2;
				struct zone_offset m;
				if (!(ok = offset_locked(mid, &m)))
					break;
				if (same_offset(&prev, &m))
					lo = mid;
				else
					hi = mid;
			}
			out[n++] = (struct zone_transition){hi, prev, then};
			prev = then;
		}
		t = next;
	}
	pthread_mutex_unlock(&zone_lock);
	return n;
}
