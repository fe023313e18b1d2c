/* useragent: browser and platform names from a User-Agent header. */
#include "auth/useragent.h"

#include <string.h>
#include <strings.h>

struct marker {
	const char *text; /* found anywhere in the header */
	const char *name;
};

/* First match wins: browsers that build on another name it too ("Edg/"
 * comes with "Chrome/" and "Safari/"), so they are looked for first. */
static const struct marker browsers[] = {
	{"Edg/", "Edge"},          {"EdgA/", "Edge"},      {"EdgiOS/", "Edge"},
	{"OPR/", "Opera"},         {"SamsungBrowser/", "Samsung Internet"},
	{"FxiOS/", "Firefox"},     {"Firefox/", "Firefox"}, {"CriOS/", "Chrome"},
	{"HeadlessChrome/", "Chromium"}, {"Chromium/", "Chromium"}, {"Chrome/", "Chrome"},
	{"Version/", "Safari"},
};

static const struct marker platforms[] = {
	{"iPhone", "iPhone"}, {"iPad", "iPad"},     {"Android", "Android"}, {"CrOS", "ChromeOS"},
	{"Windows", "Windows"}, {"Macintosh", "macOS"}, {"Linux", "Linux"},
};

/* What scripts send: the start of their User-Agent. */
static const char *const programs[] = {
	"kring", "curl/", "Wget/", "python-", "Python-", "Go-http-client/", "libcurl", "node-fetch",
	"axios/", "okhttp/", "Java/", "PowerShell", "HTTPie/",
};

static const char *find(const char *ua, const struct marker *m, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strstr(ua, m[i].text))
			return m[i].name;
	return NULL;
}

void useragent_parse(const char *ua, struct useragent *out)
{
	*out = (struct useragent){0};
	if (!ua || !*ua)
		return;
	for (size_t i = 0; i < sizeof(programs) / sizeof(programs[0]); i++)
		if (strncasecmp(ua, programs[i], strlen(programs[i])) == 0) {
			out->program = true;
			return;
		}
	out->browser = find(ua, browsers, sizeof(browsers) / sizeof(browsers[0]));
	/* Safari's marker "Version/" counts only next to "Safari/". */
	if (out->browser && strcmp(out->browser, "Safari") == 0 && !strstr(ua, "Safari/"))
		out->browser = NULL;
	out->platform = find(ua, platforms, sizeof(platforms) / sizeof(platforms[0]));
}
