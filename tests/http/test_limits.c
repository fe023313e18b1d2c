/* test_limits: what the server takes and refuses at its edge. Links with
 * parameters of their own (utm_source, fbclid) work and are kept in the
 * cache as the page without them; an address with too many parameters or
 * too long is answered at once; a request with two framings is refused
 * and its connection closed; headers sent a byte at a time are cut off;
 * X-Forwarded-For without --trust-proxy is warned about; members post
 * within the limits the admin sets. */
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
	/* Two lengths are two framings too: read with the first, the body ends
	 * after "{}" and the GET after it is a request of its own; a proxy that
	 * reads the second sees one request. */
	const char *two_lengths = "POST /api/v1/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
				  "Content-Type: application/json\r\nContent-Length: 2\r\n"
				  "Content-Length: 51\r\n\r\n"
				  "{}GET /api/v1/questions HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
	x = raw_exchange(s, two_lengths, strlen(two_lengths), 5);
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

/* ---- posting limits ------------------------------------------------------ */

/* The admin sets the settings given as name, value, …, NULL. */
static void set_limits(struct actor *admin, const char *const *pairs)
{
	json_t *body = json_object();
	for (size_t i = 0; pairs[i]; i += 2)
		json_object_set_new(body, pairs[i], json_string(pairs[i + 1]));
	struct response *r = apost(admin, "/api/v1/admin/settings", body);
	assert_status(r, 200);
	response_free(r);
}

static struct response *comment(struct actor *a, int64_t item, const char *text)
{
	return item_post(a, item, "comments", json_pack("{s:s}", "body", text));
}

static void expect_rate_limited(struct response *r, int most_wait)
{
	assert_error(r, 429, "rate_limited");
	const char *after = response_header(r, "Retry-After");
	assert_non_null(after);
	int wait = atoi(after);
	if (wait < 1 || wait > most_wait)
		harness_fail_response(r, __FILE__, __LINE__, "Retry-After %d, expected 1 to %d", wait, most_wait);
	response_free(r);
}

/* The value of the k-th posting limit's "minute" or "hour" setting. */
static const char *limit_value(const struct response *r, size_t k, const char *window)
{
	json_t *v = json_object_get(jat(r, "limits", k, window), "value");
	return json_is_string(v) ? json_string_value(v) : "(missing)";
}

static void comments_are_limited_per_member(void **state)
{
	struct actor *admin = staff(*state, "vera", "--admin");
	make_community(admin, "forum", "Forum", "public", "open");
	int64_t q = ask(admin, "forum", "Limits?", NULL);
	struct actor *ann = member(*state, "ann"), *bo = member(*state, "bo");
	struct response *r = apost(ann, "/api/v1/c/forum/join", NULL);
	assert_status(r, 200);
	response_free(r);
	r = apost(bo, "/api/v1/c/forum/join", NULL);
	assert_status(r, 200);
	response_free(r);
	/* Defaults, as the settings page shows them. */
	r = aget(admin, "/api/v1/admin/settings");
	assert_status(r, 200);
	assert_string_equal(json_string_value(json_object_get(jat(r, "limits", 2, "minute"), "key")),
			    "comments_per_minute");
	assert_string_equal(limit_value(r, 2, "minute"), "10");
	assert_string_equal(limit_value(r, 2, "hour"), "100");
	response_free(r);
	set_limits(admin, STRS("comments_per_minute", "2"));

	/* A refused comment does not count. */
	r = comment(ann, q, "");
	assert_status(r, 422);
	response_free(r);
	for (int i = 0; i < 2; i++) {
		r = comment(ann, q, "A fair point.");
		assert_status(r, 201);
		response_free(r);
	}
	expect_rate_limited(comment(ann, q, "One too many."), 60);
	/* The page keeps what was typed. */
	char path[64];
	snprintf(path, sizeof path, "/items/%lld/comments", (long long)q);
	r = fpost(ann, path, STRS("body", "Typed with care"));
	assert_status(r, 429);
	assert_header_contains(r, "Content-Type", "text/html");
	assert_non_null(response_header(r, "Retry-After"));
	assert_body_contains(r, "Typed with care");
	response_free(r);
	/* Only two were stored. */
	r = get_item(ann, q);
	assert_int_equal(jlen(r, "comments"), 2);
	response_free(r);

	/* The limit is the member's own: another member still comments. */
	r = comment(bo, q, "Me too.");
	assert_status(r, 201);
	response_free(r);
	/* Staff may post five times as many. */
	for (int i = 0; i < 10; i++) {
		r = comment(admin, q, "Noted.");
		assert_status(r, 201);
		response_free(r);
	}
	expect_rate_limited(comment(admin, q, "Noted again."), 60);

	/* 0 is no limit. */
	set_limits(admin, STRS("comments_per_minute", "0"));
	r = comment(ann, q, "Free again.");
	assert_status(r, 201);
	response_free(r);
}

static void items_and_answers_are_limited_by_the_hour(void **state)
{
	struct actor *admin = staff(*state, "wilma", "--admin");
	make_community(admin, "forum", "Forum", "public", "open");
	struct actor *ann = member(*state, "ann");
	struct response *r = apost(ann, "/api/v1/c/forum/join", NULL);
	assert_status(r, 200);
	response_free(r);
	set_limits(admin, STRS("items_per_minute", "0", "items_per_hour", "1", "answers_per_minute", "1"));

	int64_t q = ask(ann, "forum", "First question", NULL);
	r = apost(ann, "/api/v1/c/forum/items", json_pack("{s:s, s:s}", "kind", "question", "title", "Second"));
	expect_rate_limited(r, 3600);
	/* The page says to wait a while. */
	r = fpost(ann, "/c/forum/items", STRS("kind", "question", "title", "Kept title", "body", "Kept body"));
	assert_status(r, 429);
	assert_body_contains(r, "in the last hour");
	/* The composer comes back whole, with what was typed, to send again. */
	assert_body_contains(r, "action=\"/c/forum/items\"");
	assert_body_contains(r, "value=\"Kept title\"");
	assert_body_contains(r, ">Kept body</textarea>");
	response_free(r);
	/* So does the header's Ask form, with the community chosen. */
	r = fpost(ann, "/ask", STRS("community", "forum", "kind", "question", "title", "Asked from the header",
				    "body", "Typed details", "tags", "planning"));
	assert_status(r, 429);
	assert_body_contains(r, "action=\"/ask\"");
	assert_body_contains(r, "<option value=\"forum\" selected>");
	assert_body_contains(r, "value=\"Asked from the header\"");
	assert_body_contains(r, ">Typed details</textarea>");
	assert_body_contains(r, "value=\"planning\"");
	assert_body_contains(r, "value=\"question\"");
	response_free(r);
	/* A profile update is an item too. */
	r = apost(ann, "/api/v1/items", json_pack("{s:s, s:s}", "kind", "update", "body", "Hello"));
	expect_rate_limited(r, 3600);

	r = item_post(ann, q, "answers", json_pack("{s:s}", "body", "Answering myself."));
	assert_status(r, 201);
	response_free(r);
	expect_rate_limited(item_post(ann, q, "answers", json_pack("{s:s}", "body", "Again.")), 60);
	/* The answer form comes back with the answer typed. */
	char path[64];
	snprintf(path, sizeof path, "/items/%lld/answers", (long long)q);
	r = fpost(ann, path, STRS("body", "A long answer, typed with care"));
	assert_status(r, 429);
	assert_body_contains(r, "A long answer, typed with care");
	assert_body_contains(r, "Wait a minute");
	response_free(r);

	/* A variation of a method is a post too, and its form keeps both
	 * fields. */
	int64_t m = new_item(admin, "method", "forum",
			     json_pack("{s:s, s:s, s:s, s:i, s:i, s:i, s:s}", "kind", "method", "title", "Walk and talk",
				       "purpose", "Think while moving.", "duration", 30, "group_min", 2, "group_max", 4,
				       "steps", "Walk\nTalk"));
	snprintf(path, sizeof path, "/items/%lld/variations", (long long)m);
	r = fpost(ann, path, STRS("title", "Indoors", "body", "Walk the corridors instead"));
	assert_status(r, 429);
	assert_body_contains(r, "value=\"Indoors\"");
	assert_body_contains(r, "Walk the corridors instead");
	response_free(r);
}

static void limit_settings_are_checked(void **state)
{
	struct actor *admin = staff(*state, "xena", "--admin");
	const char *bad[] = {"-1", "abc", "100001", "", "1.5"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct response *r = apost(admin, "/api/v1/admin/settings",
					   json_pack("{s:s, s:s}", "comments_per_hour", bad[i], "items_per_minute", "3"));
		assert_invalid_field(r, "comments_per_hour");
		response_free(r);
	}
	/* Nothing was stored, and the form shows what was typed. */
	struct response *r = aget(admin, "/api/v1/admin/settings");
	assert_string_equal(limit_value(r, 0, "minute"), "5");
	assert_string_equal(limit_value(r, 2, "hour"), "100");
	response_free(r);
	/* The form comes back with every choice made, the limit it refused
	 * named in its message. */
	r = fpost(admin, "/admin/settings", STRS("comments_per_hour", "lots", "community_creation", "members"));
	assert_status(r, 422);
	assert_body_contains(r, "value=\"lots\"");
	assert_body_contains(r, "from 0 to 100000");
	assert_body_contains(r, "name=\"community_creation\" value=\"members\" checked");
	assert_body_lacks(r, "name=\"community_creation\" value=\"admins\" checked");
	response_free(r);
	/* A good value is stored as a number. */
	r = fpost(admin, "/admin/settings", STRS("comments_per_hour", " 250 "));
	assert_status(r, 303);
	response_free(r);
	r = aget(admin, "/api/v1/admin/settings");
	assert_string_equal(limit_value(r, 2, "hour"), "250");
	response_free(r);
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
		cmocka_unit_test_setup_teardown(comments_are_limited_per_member, server_setup, server_teardown),
		cmocka_unit_test_setup_teardown(items_and_answers_are_limited_by_the_hour, server_setup,
						server_teardown),
		cmocka_unit_test_setup_teardown(limit_settings_are_checked, server_setup, server_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
