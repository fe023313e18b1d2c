/* Unit tests of outbound: which addresses a community's webhook may reach,
 * and the check of an address written as a number (no lookup needed). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/arena.h"
#include "jobs/outbound.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

static bool public_address(const char *text)
{
	struct sockaddr_storage ss = {0};
	if (strchr(text, ':')) {
		struct sockaddr_in6 *sa = (struct sockaddr_in6 *)&ss;
		sa->sin6_family = AF_INET6;
		assert_int_equal(inet_pton(AF_INET6, text, &sa->sin6_addr), 1);
	} else {
		struct sockaddr_in *sa = (struct sockaddr_in *)&ss;
		sa->sin_family = AF_INET;
		assert_int_equal(inet_pton(AF_INET, text, &sa->sin_addr), 1);
	}
	return outbound_address_public((struct sockaddr *)&ss);
}

static void test_internal_addresses(void **state)
{
	(void)state;
	static const char *const internal[] = {
		"0.0.0.0", "10.1.2.3", "100.64.0.1", "127.0.0.1", "127.255.255.254", "169.254.169.254",
		"172.16.0.1", "172.31.255.255", "192.0.0.8", "192.0.2.1", "192.168.1.1", "198.18.0.1",
		"198.51.100.7", "203.0.113.9", "224.0.0.1", "240.0.0.1", "255.255.255.255",
		"::", "::1", "fc00::1", "fd12:3456::1", "fe80::1", "ff02::1", "::ffff:127.0.0.1",
		"::ffff:10.0.0.1", "64:ff9b::a00:1", "2001:db8::1", "2002:7f00:1::1", "2001::1",
	};
	for (size_t i = 0; i < sizeof(internal) / sizeof(internal[0]); i++)
		if (public_address(internal[i]))
			fail_msg("%s counts as public", internal[i]);
}

static void test_public_addresses(void **state)
{
	(void)state;
	static const char *const public[] = {
		"1.1.1.1", "8.8.8.8", "93.184.216.34", "100.63.255.255", "100.128.0.1", "172.15.255.255",
		"172.32.0.1", "192.169.0.1", "223.255.255.255", "2606:4700:4700::1111", "2a00:1450:4001::1",
		"::ffff:8.8.8.8",
	};
	for (size_t i = 0; i < sizeof(public) / sizeof(public[0]); i++)
		if (!public_address(public[i]))
			fail_msg("%s counts as internal", public[i]);
}

/* Addresses written as numbers are judged without a lookup, and not pinned
 * (libcurl does not look them up either). */
static void test_check_of_numeric_hosts(void **state)
{
	(void)state;
	struct arena a = {0};
	struct curl_slist *pin = NULL;
	const char *why = outbound_check(&a, "http://127.0.0.1:9/hook", &pin);
	assert_non_null(why);
	assert_non_null(strstr(why, "internal address 127.0.0.1"));
	assert_null(pin);
	why = outbound_check(&a, "https://[::1]/hook", &pin);
	assert_non_null(why);
	assert_null(pin);
	assert_null(outbound_check(&a, "https://8.8.8.8/hook", &pin));
	assert_null(pin);
	assert_null(outbound_check(&a, "https://[2606:4700:4700::1111]:8443/hook", &pin));
	assert_null(pin);
	arena_reset(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_internal_addresses),
		cmocka_unit_test(test_public_addresses),
		cmocka_unit_test(test_check_of_numeric_hosts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
