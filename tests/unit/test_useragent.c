/* Unit tests of auth/useragent: the names the sessions list shows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "auth/useragent.h"

struct example {
	const char *ua;
	const char *browser, *platform;
};

static const struct example examples[] = {
	{"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.6099.28 "
	 "Safari/537.36", "Chromium", "Linux"},
	{"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chromium/119.0 Chrome/119.0 "
	 "Safari/537.36", "Chromium", "Linux"},
	{"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0", "Firefox", "Windows"},
	{"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
	 "Version/17.1 Mobile/15E148 Safari/604.1", "Safari", "iPhone"},
	{"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
	 "Version/17.1 Safari/605.1.15", "Safari", "macOS"},
	{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 "
	 "Safari/537.36 Edg/120.0.0.0", "Edge", "Windows"},
	{"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 "
	 "Mobile Safari/537.36", "Chrome", "Android"},
	{"Mozilla/5.0 (iPad; CPU OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/121.0 "
	 "Mobile/15E148 Safari/605.1.15", "Firefox", "iPad"},
	{"Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 "
	 "Safari/537.36", "Chrome", "ChromeOS"},
	{"Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 "
	 "OPR/105.0.0.0", "Opera", "Windows"},
	/* something else: names only what it recognises */
	{"Mozilla/5.0 (X11; Linux x86_64) SomeBrowser/1.0", NULL, "Linux"},
	{"Version/3 without the engine", NULL, NULL},
	{"<script>alert(1)</script>", NULL, NULL},
};

static void assert_name(const char *got, const char *want, const char *ua)
{
	if ((got == NULL) != (want == NULL) || (got && strcmp(got, want) != 0))
		fail_msg("%s: got %s, expected %s", ua, got ? got : "(none)", want ? want : "(none)");
}

static void test_browsers_and_platforms(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(examples) / sizeof(examples[0]); i++) {
		struct useragent ua;
		useragent_parse(examples[i].ua, &ua);
		assert_false(ua.program);
		assert_name(ua.browser, examples[i].browser, examples[i].ua);
		assert_name(ua.platform, examples[i].platform, examples[i].ua);
	}
}

static void test_programs(void **state)
{
	(void)state;
	const char *programs[] = {"curl/8.5.0", "kring-cli/1.0", "python-requests/2.31.0",
				  "Go-http-client/1.1", "Wget/1.21.4"};
	for (size_t i = 0; i < sizeof(programs) / sizeof(programs[0]); i++) {
		struct useragent ua;
		useragent_parse(programs[i], &ua);
		if (!ua.program || ua.browser || ua.platform)
			fail_msg("%s is not read as a program", programs[i]);
	}
}

static void test_nothing_sent(void **state)
{
	(void)state;
	struct useragent ua;
	useragent_parse(NULL, &ua);
	assert_false(ua.program);
	assert_null(ua.browser);
	assert_null(ua.platform);
	useragent_parse("", &ua);
	assert_null(ua.browser);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_browsers_and_platforms),
		cmocka_unit_test(test_programs),
		cmocka_unit_test(test_nothing_sent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
