/* test_limits: what the server takes and refuses at its edge. Links with
 * parameters of their own (utm_source, fbclid) work and are kept in the
 * cache as the page without them; an address with too many parameters or
 * too long is answered at once; a request with two framings is refused
 * and its connection closed; headers sent a byte at a time are cut off;
 * X-Forwarded-For without --trust-proxy is warned about. */
#include "actors.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static int raw_connect(const struct server *s, int timeout_s)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)s->port)};
	inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
	assert_int_equal(connect(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	struct timeval limit = {.tv_sec = timeout_s};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof(limit));
	return fd;
}

/* What the server sent back on a raw connection. */
struct exchange {
	char *data;   /* NUL-terminated */
	size_t len;
	bool closed;  /* the server closed the connection (not our timeout) */
	double took;  /* seconds until closed or timed out */
};

/* Sends request[0..len) on a new connection and reads until the server
 * closes it or nothing comes for timeout_s seconds. */
static struct exchange raw_exchange(const struct server *s, const char *request, size_t len, int timeout_s)
{
	struct exchange x = {0};
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int fd = raw_connect(s, timeout_s);
	for (size_t sent = 0; sent < len;) {
		ssize_t n = send(fd, request + sent, len - sent, MSG_NOSIGNAL);
		if (n <= 0)
			break; /* refused before it was all sent: read the answer */
		sent += (size_t)n;
	}
	size_t cap = 4096;
	x.data = harness_keep(malloc(cap));
	for (;;) {
		char buf[4096];
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		if (n == 0 || (n < 0 && errno == ECONNRESET)) {
			x.closed = true;
			break;
		}
		if (n < 0)
			break;
		if (x.len + (size_t)n + 1 > cap) {
			while (x.len + (size_t)n + 1 > cap)
				cap *= 2;
			x.data = harness_keep(realloc(x.data, cap));
		}
		memcpy(x.data + x.len, buf, (size_t)n);
		x.len += (size_t)n;
	}
	x.data[x.len] = '\0';
	x.took = seconds_since(&t0);
	close(fd);
	return x;
}

static size_t count_of(const char *haystack, const char *needle)
{
	size_t n = 0;
	for (const char *p = strstr(haystack, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* ---- links with parameters of their own -------------------------------- */

static void tracking_parameters_are_ignored(void **state)
{
	struct actor *admin = staff(*state, "tova", "--admin");
	make_community(admin, "forum", "Forum", "public", "open");
	int64_t id = ask(admin, "forum", "Where do we start?", "From the beginning.");
	struct actor *v = visitor(*state);

	struct response *r = aget(v, "/?utm_source=newsletter");
	assert_status(r, 200);
	response_free(r);
	r = aget(v, "/items/%lld?fbclid=abc", (long long)id);
	assert_status(r, 200);
	assert_body_contains(r, "Where do we start?");
	response_free(r);
	r = aget(v, "/c/forum?ref=mail&utm_medium=email");
	assert_status(r, 200);
	response_free(r);

	/* The API answers too, and names what it left out. */
	r = aget(v, "/api/v1/items/%lld?fbclid=abc&utm_source=newsletter", (long long)id);
	assert_status(r, 200);
	assert_jstr(r, "title", "Where do we start?");
	assert_header_equal(r, "X-Kring-Ignored-Parameters", "fbclid, utm_source");
	response_free(r);
	/* A declared parameter still counts, next to an ignored one. */
	r = aget(v, "/api/v1/questions?community=forum&utm_source=x");
	assert_status(r, 200);
	assert_header_equal(r, "X-Kring-Ignored-Parameters", "utm_source");
	assert_true(list_has_id(r, "items", id));
	response_free(r);
	r = aget(v, "/api/v1/questions?community=no-such-community&utm_source=x");
	assert_error(r, 404, "not_found");
	response_free(r);
	/* Nothing was ignored: no header. */
	r = aget(v, "/api/v1/questions");
	assert_status(r, 200);
	assert_null(response_header(r, "X-Kring-Ignored-Parameters"));
	response_free(r);
	/* A name that is no header text is sent encoded. */
	r = aget(v, "/api/v1/questions?a%%0D%%0AX-Evil:%%201=1");
	assert_status(r, 200);
	assert_header_equal(r, "X-Kring-Ignored-Parameters", "a%0D%0AX-Evil%3A%201");
	assert_null(response_header(r, "X-Evil"));
	response_free(r);

	/* Bodies stay strict. */
	r = apost(admin, "/api/v1/c/forum/items",
		  json_pack("{s:s, s:s, s:s}", "kind", "question", "title", "Strict?", "utm_source", "x"));
	assert_error(r, 400, "unknown_field");
	assert_jstr(r, "error.field", "utm_source");
	response_free(r);
}

static const char *cache_state(const struct response *r)
{
	const char *v = response_header(r, "X-Kring-Cache");
	return v ? v : "none";
}

static void ignored_parameters_share_the_cached_page(void **state)
{
	struct actor *admin = staff(*state, "ulla", "--admin");
	make_community(admin, "forum", "Forum", "public", "open");
	ask(admin, "forum", "Cached question", NULL);
	struct client *v = client_new(*state);
	struct response *r = http_get(v, "/questions", NULL);
	assert_status(r, 200);
	response_free(r);
	/* Every variant of the link is the page already kept. */
	const char *links[] = {"/questions?utm_source=1", "/questions?utm_source=2", "/questions?fbclid=3&ref=4"};
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		r = http_get(v, links[i], NULL);
		assert_status(r, 200);
		assert_string_equal(cache_state(r), "hit");
		assert_body_contains(r, "Cached question");
		response_free(r);
	}
	r = http_get(v, "/api/v1/questions", NULL);
	response_free(r);
	r = http_get(v, "/api/v1/questions?utm_campaign=spring", NULL);
	assert_status(r, 200);
	assert_string_equal(cache_state(r), "hit");
	response_free(r);
	client_free(v);
}

/* ---- addresses too large to take ----------------------------------------- */

/* GET path?p0=1&p1=1… with n parameters each of value_len bytes. */
static char *many_parameters(const char *path, size_t n, size_t value_len)
{
	struct buf_like {
		char *p;
		size_t len, cap;
	} b = {.cap = 256 + n * (value_len + 16)};
	b.p = harness_keep(malloc(b.cap));
	b.len = (size_t)snprintf(b.p, b.cap, "GET %s?", path);
	for (size_t i = 0; i < n; i++) {
		b.len += (size_t)snprintf(b.p + b.len, b.cap - b.len, "%sp%zu=", i ? "&" : "", i);
		memset(b.p + b.len, 'v', value_len);
		b.len += value_len;
	}
	snprintf(b.p + b.len, b.cap - b.len, " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
	return b.p;
}

static void expect_refused_at_once(const struct server *s, const char *request, const char *what)
{
	struct exchange x = raw_exchange(s, request, strlen(request), 8);
	if (!x.closed || x.took > 5 || strncmp(x.data, "HTTP/1.1 414", 12) != 0) {
		fprintf(stderr, "%s: %s after %.1f s, answer: %.80s\n", what, x.closed ? "closed" : "still open",
			x.took, x.data);
		fail();
	}
}

static void too_many_parameters_answered_at_once(void **state)
{
	const struct server *s = *state;
	/* The counts that used to hang, one past the limit, and more. */
	const size_t counts[] = {201, 950, 2000, 10000};
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		char what[64];
		snprintf(what, sizeof what, "%zu parameters", counts[i]);
		expect_refused_at_once(s, many_parameters("/api/v1/questions", counts[i], 1), what);
		expect_refused_at_once(s, many_parameters("/", counts[i], 1), what);
	}
	/* Few parameters but a long address, up to beyond what fits at all. */
	expect_refused_at_once(s, many_parameters("/api/v1/questions", 150, 300), "150 long parameters");
	expect_refused_at_once(s, many_parameters("/questions", 1, 20000), "one 20 kB parameter");
	expect_refused_at_once(s, many_parameters("/questions", 1, 100000), "one 100 kB parameter");

	/* The limit leaves room for any real link. */
	const char *ok = many_parameters("/api/v1/questions", 200, 20);
	struct exchange x = raw_exchange(s, ok, strlen(ok), 8);
	assert_int_equal(strncmp(x.data, "HTTP/1.1 200", 12), 0);
	/* The server still answers afterwards. */
	struct client *c = client_new(s);
	struct response *r = http_get(c, "/api/v1/questions?utm_source=after", NULL);
	assert_status(r, 200);
	response_free(r);
	client_free(c);
}

/* ---- framing and slow headers -------------------------------------------- */

static void both_framings_refused_and_closed(void **state)
{
	const struct server *s = *state;
	/* Read as chunked, the body ends at once and the GET after it would be
	 * a second request on the same connection. */
	const char *smuggle = "POST /api/v1/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
			      "Content-Type: application/json\r\nContent-Length: 40\r\n"
			      "Transfer-Encoding: chunked\r\n\r\n"
			      "0\r\n\r\nGET /api/v1/questions HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
	struct exchange x = raw_exchange(s, smuggle, strlen(smuggle), 5);
	if (strncmp(x.data, "HTTP/1.1 400", 12) != 0 || !x.closed || count_of(x.data, "HTTP/1.1 ") != 1) {
		fprintf(stderr, "connection %s after %.1f s, answer:\n%s\n", x.closed ? "closed" : "kept", x.took, x.data);
		fail();
	}
	assert_non_null(strstr(x.data, "\"bad_request\""));
	/* Either one alone is fine. */
	const char *chunked = "POST /api/v1/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
			      "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
			      "2\r\n{}\r\n0\r\n\r\n";
	x = raw_exchange(s, chunked, strlen(chunked), 5);
	assert_int_equal(strncmp(x.data, "HTTP/1.1 422", 12), 0);
}

static void trickled_headers_are_cut_off(void **state)
{
	(void)state;
	setenv("KRING_TIMEOUT", "2", 1);
	struct server s;
	int started = server_start(&s);
	unsetenv("KRING_TIMEOUT");
	assert_int_equal(started, 0);

	/* One byte every 0.4 s never leaves the connection idle for the
	 * timeout, but the headers as a whole take too long. */
	int fd = raw_connect(&s, 1);
	const char *start = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
	assert_true(send(fd, start, strlen(start), MSG_NOSIGNAL) == (ssize_t)strlen(start));
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	bool cut = false;
	while (!cut && seconds_since(&t0) < 10) {
		usleep(400 * 1000);
		if (send(fd, "a", 1, MSG_NOSIGNAL) != 1) {
			cut = true;
			break;
		}
		char buf[256];
		struct timeval brief = {.tv_usec = 1000};
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &brief, sizeof(brief));
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		cut = n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
	}
	double took = seconds_since(&t0);
	close(fd);
	if (!cut || took > 5) {
		fprintf(stderr, "the trickling connection was %s after %.1f s\n", cut ? "cut" : "still open", took);
		fail();
	}
	/* A kept-alive connection that asks in time is answered. */
	struct client *c = client_new(&s);
	for (int i = 0; i < 2; i++) {
		struct response *r = http_get(c, "/api/v1/questions", NULL);
		assert_status(r, 200);
		response_free(r);
	}
	client_free(c);
	assert_int_equal(server_stop(&s, 10), 0);
	server_cleanup(&s);
}

/* ---- behind a proxy ------------------------------------------------------ */

static void forwarded_for_without_trust_proxy_warns_once(void **state)
{
	const struct server *s = *state;
	struct client *c = client_new(s);
	for (int i = 0; i < 3; i++) {
		struct response *r = http_get(c, "/", STRS("X-Forwarded-For: 203.0.113.7"));
		assert_status(r, 200);
		response_free(r);
	}
	client_free(c);
	assert_true(server_log_has_line(s, 2000, STRS("warning", "X-Forwarded-For", "--trust-proxy")));
	char *log = server_log(s);
	size_t warnings = count_of(log, "but --trust-proxy is off");
	free(log);
	assert_int_equal(warnings, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(tracking_parameters_are_ignored, server_setup, server_teardown),
		cmocka_unit_test_setup_teardown(ignored_parameters_share_the_cached_page, server_setup, server_teardown),
		cmocka_unit_test_setup_teardown(too_many_parameters_answered_at_once, server_setup, server_teardown),
		cmocka_unit_test_setup_teardown(both_framings_refused_and_closed, server_setup, server_teardown),
		cmocka_unit_test(trickled_headers_are_cut_off),
		cmocka_unit_test_setup_teardown(forwarded_for_without_trust_proxy_warns_once, server_setup,
						server_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
