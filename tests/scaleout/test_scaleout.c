/*
 * The scale-out test: two `kring serve` nodes on one PostgreSQL, behind
 * nginx load-balancing between them, all on loopback ports. The cluster is
 * this program's own (tests/pg-cluster.sh), so it can be stopped and started
 * again without disturbing other tests.
 *
 * What it shows: a session made through one node works through the other;
 * what is written through one is read through the other; rate limits are
 * shared; background jobs (the webhook's deliveries of the events) run
 * exactly once; a node killed in the middle of
 * a write load loses no acknowledged write; and while the database is down
 * the nodes answer 503 and recover when it is back.
 */
#include "../http/actors.h"
#include "../http/receiver.h"

#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct site {
	char dir[256];          /* the cluster and nginx live here */
	char base_url[128];     /* postgres://postgres@127.0.0.1:PORT */
	char db_url[192];       /* …/kring */
	struct server node[2];
	struct server front;    /* nginx; its db names the shared database */
	pid_t nginx;
	struct receiver *hooks; /* the webhook receiver */
};

static struct site site;

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/* Runs a shell command; returns its exit status, or -1. out (if not NULL)
 * gets the first line it printed. */
static int sh(char *out, size_t outlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int sh(char *out, size_t outlen, const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	FILE *p = popen(cmd, "r");
	if (!p)
		return -1;
	char line[512] = "";
	if (!fgets(line, sizeof line, p))
		line[0] = '\0';
	while (fgetc(p) != EOF)
		;
	int status = pclose(p);
	line[strcspn(line, "\n")] = '\0';
	if (out)
		snprintf(out, outlen, "%s", line);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int free_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof a;
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return ntohs(a.sin_port);
}

static int psql(char *out, size_t outlen, const char *db, const char *sql)
{
	return sh(out, outlen, "psql -X -q -t -A -v ON_ERROR_STOP=1 '%s/%s' -c \"%s\" 2>&1", site.base_url,
		  db, sql);
}

static bool start_nginx(void)
{
	int port = free_port();
	char conf[512];
	snprintf(conf, sizeof conf, "%s/nginx.conf", site.dir);
	FILE *f = fopen(conf, "w");
	if (!f || port < 0)
		return false;
	/* Retries go to the other node on a refused connection or a timeout,
	 * never for a POST already sent (nginx's default): a write is applied
	 * once or reported failed. */
	fprintf(f,
		"worker_processes 1;\n"
		"pid %1$s/nginx.pid;\n"
		"error_log %1$s/nginx-error.log warn;\n"
		"events { worker_connections 512; }\n"
		"http {\n"
		"  access_log off;\n"
		"  client_body_temp_path %1$s/nginx-body;\n"
		"  proxy_temp_path %1$s/nginx-proxy;\n"
		"  fastcgi_temp_path %1$s/nginx-fastcgi;\n"
		"  uwsgi_temp_path %1$s/nginx-uwsgi;\n"
		"  scgi_temp_path %1$s/nginx-scgi;\n"
		"  upstream kring {\n"
		"    server 127.0.0.1:%2$d max_fails=1 fail_timeout=2s;\n"
		"    server 127.0.0.1:%3$d max_fails=1 fail_timeout=2s;\n"
		"    keepalive 16;\n"
		"  }\n"
		"  server {\n"
		"    listen 127.0.0.1:%4$d;\n"
		"    location / {\n"
		"      proxy_pass http://kring;\n"
		"      proxy_http_version 1.1;\n"
		"      proxy_set_header Connection \"\";\n"
		"      proxy_set_header Host $http_host;\n"
		"      proxy_set_header X-Forwarded-For $remote_addr;\n"
		"      proxy_next_upstream error timeout;\n"
		"      proxy_connect_timeout 2s;\n"
		"    }\n"
		"  }\n"
		"}\n",
		site.dir, site.node[0].port, site.node[1].port, port);
	fclose(f);
	pid_t pid = fork();
	if (pid == 0) {
		execlp("nginx", "nginx", "-p", site.dir, "-c", conf, "-g", "daemon off; master_process off;",
		       (char *)NULL);
		/* Debian installs it outside a normal user's PATH. */
		execl("/usr/sbin/nginx", "nginx", "-p", site.dir, "-c", conf, "-g",
		      "daemon off; master_process off;", (char *)NULL);
		_exit(127);
	}
	site.nginx = pid;
	site.front.port = port;
	snprintf(site.front.origin, sizeof site.front.origin, "http://127.0.0.1:%d", port);
	snprintf(site.front.db, sizeof site.front.db, "%s", site.db_url);
	snprintf(site.front.dir, sizeof site.front.dir, "%s", site.dir);
	/* Ready when it answers. */
	for (int waited = 0; waited < 10000; waited += 50) {
		struct client *c = client_new(&site.front);
		struct response *r = http_get(c, "/healthz", NULL);
		long status = r->status;
		response_free(r);
		client_free(c);
		if (status == 200)
			return true;
		sleep_ms(50);
	}
	fprintf(stderr, "scaleout: nginx did not come up; see %s/nginx-error.log\n", site.dir);
	return false;
}

static int group_setup(void **state)
{
	(void)state;
	const char *tmp = getenv("TMPDIR");
	snprintf(site.dir, sizeof site.dir, "%s/kring-scaleout-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(site.dir))
		return -1;
	/* As root the cluster runs as the postgres user, who must reach it. */
	chmod(site.dir, 0755);
	/* The cluster goes in a directory of its own: the script wants it empty. */
	if (sh(site.base_url, sizeof site.base_url, "'%s/tests/pg-cluster.sh' start '%s/pg'",
	       getenv("KRING_SRC"), site.dir) != 0) {
		fprintf(stderr, "scaleout: PostgreSQL did not start: %s\n", site.base_url);
		return -1;
	}
	snprintf(site.db_url, sizeof site.db_url, "%s/kring", site.base_url);
	char out[256];
	if (psql(out, sizeof out, "postgres", "CREATE DATABASE kring") != 0) {
		fprintf(stderr, "scaleout: %s\n", out);
		return -1;
	}
	/* Both nodes start at once: migrations must take turns. */
	for (int i = 0; i < 2; i++)
		if (server_start_on(&site.node[i], site.db_url) != 0)
			return -1;
	for (int i = 0; i < 2; i++)
		if (server_wait_ready(&site.node[i]) != 0)
			return -1;
	site.hooks = receiver_start();
	return site.hooks && start_nginx() ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	int failures = 0;
	if (site.nginx > 0) {
		kill(site.nginx, SIGTERM);
		waitpid(site.nginx, NULL, 0);
	}
	for (int i = 0; i < 2; i++) {
		if (site.node[i].pid && server_stop(&site.node[i], 10) != 0)
			failures++;
		server_cleanup(&site.node[i]);
	}
	receiver_stop(site.hooks);
	sh(NULL, 0, "'%s/tests/pg-cluster.sh' stop '%s/pg'", getenv("KRING_SRC"), site.dir);
	sh(NULL, 0, "rm -rf '%s'", site.dir);
	harness_release_all();
	return failures ? -1 : 0;
}

/* A client of one node, or of nginx. */
static struct client *client_of(int node)
{
	return client_new(node < 0 ? &site.front : &site.node[node]);
}

/* Cookies belong to the host, not the port, so one jar serves both nodes:
 * a session made through node 0 is presented to node 1 as is. */
static void session_works_on_both_nodes(void **state)
{
	(void)state;
	struct client *c = client_of(0);
	assert_true(api_signup(c, "sofia", TEST_PASSWORD) > 0);
	struct response *r = html_login(c, "sofia", TEST_PASSWORD);
	assert_status(r, 303);
	response_free(r);
	for (int node = -1; node < 2; node++) {
		struct client *other = client_of(node);
		client_put_cookie(other, "kring_session", client_cookie(c, "kring_session"));
		r = http_get(other, "/api/v1/settings", NULL);
		assert_status(r, 200);
		assert_non_null(response_jstr(r, "values.name"));
		response_free(r);
		client_free(other);
	}
	/* Signing out through node 1 ends the session on node 0 too. */
	struct actor *a = actor_wrap(c, "sofia");
	struct client *on1 = client_of(1);
	client_put_cookie(on1, "kring_session", client_cookie(c, "kring_session"));
	r = http_post_form(on1, "/logout", (const char *const[]){"csrf", a->csrf, NULL}, NULL);
	assert_status(r, 303);
	response_free(r);
	r = http_get(c, "/api/v1/settings", NULL);
	assert_status(r, 401);
	response_free(r);
	client_free(on1);
}

/* An admin signed in through node n; the same session on every node. */
static struct actor *admin_on(int node)
{
	static struct client *first;
	if (!first) {
		assert_int_equal(kring_user_add(&site.front, "greta", "greta@example.com", "Greta", "--admin",
						TEST_PASSWORD), 0);
		first = client_of(0);
		struct response *r = html_login(first, "greta", TEST_PASSWORD);
		assert_status(r, 303);
		response_free(r);
	}
	struct client *c = client_of(node);
	client_put_cookie(c, "kring_session", client_cookie(first, "kring_session"));
	return actor_wrap(c, "greta");
}

/* A page kept by one node shows a write made through the other: a
 * member's at once, a visitor's once the node has read the changed scopes
 * (at most 100 ms later, src/http/cache.h). */
static void writes_are_read_through_the_other_node(void **state)
{
	(void)state;
	struct actor *admin = admin_on(0), *admin_on1 = admin_on(1);
	unlimited_posting(admin);
	make_community(admin, "delning", "Kunskapsdelning", "public", "open");
	/* Node 1 keeps the list for visitors and for the member… */
	struct client *c = client_of(1);
	struct response *r = NULL;
	for (int i = 0; i < 2; i++) {
		r = http_get(c, "/questions", NULL);
		assert_status(r, 200);
		response_free(r);
		r = http_get(admin_on1->c, "/questions", NULL);
		assert_status(r, 200);
		response_free(r);
	}
	int64_t id = ask(admin, "delning", "Hur delar ni metoder mellan kommuner?", "Vi vill lära av varandra.");
	/* …shows the member the question written through node 0 at once… */
	r = http_get(admin_on1->c, "/questions", NULL);
	assert_status(r, 200);
	assert_non_null(strstr(r->body, "Hur delar ni metoder mellan kommuner?"));
	assert_string_equal(response_header(r, "X-Kring-Cache"), "miss");
	response_free(r);
	/* …and the visitor right after. */
	sleep_ms(150);
	r = http_get(c, "/questions", NULL);
	assert_status(r, 200);
	assert_non_null(strstr(r->body, "Hur delar ni metoder mellan kommuner?"));
	assert_string_equal(response_header(r, "X-Kring-Cache"), "miss");
	response_free(r);
	char path[64];
	snprintf(path, sizeof path, "/api/v1/items/%lld", (long long)id);
	r = http_get(c, path, NULL);
	assert_status(r, 200);
	assert_string_equal(response_jstr(r, "title"), "Hur delar ni metoder mellan kommuner?");
	response_free(r);
	client_free(c);
}

#define HOOKED_QUESTIONS 30
/* Every other question is edited through the other node. */
#define HOOKED_EDITS (HOOKED_QUESTIONS / 2)
#define HOOKED_EVENTS (HOOKED_QUESTIONS + HOOKED_EDITS)

/* Each question, and each edit, records its event and queues a webhook job
 * in its own transaction; both nodes' workers compete for the jobs, and
 * every event is delivered exactly once. */
static void jobs_run_exactly_once(void **state)
{
	(void)state;
	struct actor *admin[2] = {admin_on(0), admin_on(1)};
	char url[64];
	snprintf(url, sizeof url, "http://127.0.0.1:%d/hook", receiver_port(site.hooks));
	struct response *r = fpost(admin[1], "/admin/settings", STRS("webhook_url", url));
	assert_status(r, 303);
	response_free(r);

	int64_t ids[HOOKED_QUESTIONS];
	for (int i = 0; i < HOOKED_QUESTIONS; i++) {
		char title[64];
		snprintf(title, sizeof title, "Fråga nummer %d om metoder", i);
		ids[i] = ask(admin[i % 2], "delning", title, "");
		if (i % 2 == 0) {
			snprintf(title, sizeof title, "Fråga nummer %d om metoder, ändrad", i);
			r = item_edit(admin[1], ids[i], json_pack("{s:s, s:s}", "title", title, "body", "Mer."));
			assert_status(r, 200);
			response_free(r);
		}
	}
	assert_int_equal(receiver_wait(site.hooks, HOOKED_EVENTS, 30000), HOOKED_EVENTS);
	/* A second run of any job would arrive late: give it time to. */
	sleep_ms(1500);
	assert_int_equal(receiver_count(site.hooks), HOOKED_EVENTS);
	int created[HOOKED_QUESTIONS] = {0}, edited[HOOKED_QUESTIONS] = {0};
	for (int d = 0; d < HOOKED_EVENTS; d++) {
		json_t *body = json_loads(receiver_body(site.hooks, d), 0, NULL);
		assert_non_null(body);
		int64_t id = json_integer_value(json_object_get(json_object_get(body, "item"), "id"));
		const char *event = json_string_value(json_object_get(body, "event"));
		assert_non_null(event);
		for (int i = 0; i < HOOKED_QUESTIONS; i++)
			if (ids[i] == id)
				(strcmp(event, "item.edited") == 0 ? edited : created)[i]++;
		json_decref(body);
	}
	for (int i = 0; i < HOOKED_QUESTIONS; i++) {
		assert_int_equal(created[i], 1);
		assert_int_equal(edited[i], i % 2 == 0);
	}
	char out[64];
	assert_int_equal(psql(out, sizeof out, "kring",
			      "SELECT COUNT(*) FROM jobs WHERE kind = 'webhook' AND done_at IS NOT NULL AND attempts = 1"), 0);
	assert_int_equal(atoi(out), HOOKED_EVENTS);
	assert_int_equal(psql(out, sizeof out, "kring", "SELECT COUNT(*) FROM jobs WHERE kind = 'webhook'"), 0);
	assert_int_equal(atoi(out), HOOKED_EVENTS);
}

static void rate_limits_are_shared(void **state)
{
	(void)state;
	struct client *c = client_of(0);
	assert_true(api_signup(c, "lars", TEST_PASSWORD) > 0);
	for (int i = 0; i < 5; i++) {
		struct response *r = api_login(c, "lars", "wrong password 123");
		assert_status(r, 401);
		response_free(r);
	}
	struct client *other = client_of(1);
	struct response *r = api_login(other, "lars", TEST_PASSWORD);
	assert_status(r, 429);
	assert_non_null(response_header(r, "Retry-After"));
	response_free(r);
	client_free(other);
	client_free(c);
}

/* ---- a node dies under load ------------------------------------------- */

#define WRITERS 4
#define WRITES_EACH 40

struct writer {
	int index;
	const char *token;
	atomic_int *acked_total;
	int64_t acked_ids[WRITES_EACH];
	int acked_seq[WRITES_EACH];
	int acked, failed;
};

static size_t keep_body(char *data, size_t size, size_t n, void *userdata)
{
	struct buf_s { char text[4096]; size_t len; } *b = userdata;
	size_t take = size * n;
	if (b->len + take >= sizeof b->text)
		take = sizeof b->text - 1 - b->len;
	memcpy(b->text + b->len, data, take);
	b->len += take;
	b->text[b->len] = '\0';
	return size * n;
}

/* Posts questions through nginx with its own libcurl handle (the harness's
 * clients belong to the main thread) and records each acknowledged one. */
static void *write_load(void *arg)
{
	struct writer *w = arg;
	CURL *curl = curl_easy_init();
	char url[128], auth[256];
	snprintf(url, sizeof url, "%s/api/v1/c/delning/items", site.front.origin);
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", w->token);
	struct curl_slist *headers = curl_slist_append(NULL, auth);
	headers = curl_slist_append(headers, "Content-Type: application/json");
	for (int i = 0; i < WRITES_EACH; i++) {
		char body[256];
		snprintf(body, sizeof body, "{\"kind\":\"question\",\"title\":\"Load %d-%d\",\"body\":\"x\"}",
			 w->index, i);
		struct { char text[4096]; size_t len; } answer = {.len = 0};
		curl_easy_setopt(curl, CURLOPT_URL, url);
		curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, keep_body);
		curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer);
		curl_easy_setopt(curl, CURLOPT_TIMEOUT, 20L);
		long status = 0;
		if (curl_easy_perform(curl) == CURLE_OK)
			curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
		json_t *j = status == 201 ? json_loads(answer.text, 0, NULL) : NULL;
		int64_t id = j ? json_integer_value(json_object_get(j, "id")) : 0;
		json_decref(j);
		if (id > 0) {
			w->acked_ids[w->acked] = id;
			w->acked_seq[w->acked++] = i;
			atomic_fetch_add(w->acked_total, 1);
		} else {
			w->failed++;
		}
	}
	curl_slist_free_all(headers);
	curl_easy_cleanup(curl);
	return NULL;
}

/* Node 0 is killed with SIGKILL while writes go through nginx to both. A
 * write may fail (nginx does not resend a POST a dead node may have
 * applied), but every write that was acknowledged is there afterwards. */
static void killed_node_loses_no_acknowledged_write(void **state)
{
	(void)state;
	/* Forty posts each in a few seconds: far more than a person posts. */
	unlimited_posting(admin_on(0));
	struct actor *a = member(&site.front, "writer");
	struct response *r = http_post_json(a->c, "/api/v1/c/delning/join", "{}", STRS(a->csrf_header));
	assert_true(r->status == 200 || r->status == 201 || r->status == 303);
	response_free(r);
	r = http_post_json(a->c, "/api/v1/settings/tokens", "{\"name\":\"load\"}", STRS(a->csrf_header));
	assert_status(r, 201);
	const char *token = harness_strdup(response_jstr(r, "token"));
	response_free(r);

	atomic_int acked = 0;
	struct writer writers[WRITERS];
	pthread_t threads[WRITERS];
	for (int i = 0; i < WRITERS; i++) {
		writers[i] = (struct writer){.index = i, .token = token, .acked_total = &acked};
		pthread_create(&threads[i], NULL, write_load, &writers[i]);
	}
	while (atomic_load(&acked) < WRITERS * WRITES_EACH / 4)
		sleep_ms(5);
	kill(site.node[0].pid, SIGKILL);
	waitpid(site.node[0].pid, NULL, 0);
	site.node[0].pid = 0;
	int acked_at_kill = atomic_load(&acked);
	for (int i = 0; i < WRITERS; i++)
		pthread_join(threads[i], NULL);

	int total_acked = 0, total_failed = 0;
	struct client *c = client_of(1);
	for (int i = 0; i < WRITERS; i++) {
		total_acked += writers[i].acked;
		total_failed += writers[i].failed;
		for (int k = 0; k < writers[i].acked; k++) {
			char path[64], title[64];
			snprintf(path, sizeof path, "/api/v1/items/%lld", (long long)writers[i].acked_ids[k]);
			snprintf(title, sizeof title, "Load %d-%d", i, writers[i].acked_seq[k]);
			r = http_get(c, path, NULL);
			assert_status(r, 200);
			assert_string_equal(response_jstr(r, "title"), title);
			response_free(r);
		}
	}
	client_free(c);
	/* The load went on after the kill and most of it got through node 1. */
	print_message("scaleout: %d writes acknowledged (%d before the kill), %d failed\n", total_acked,
		      acked_at_kill, total_failed);
	assert_true(total_acked > acked_at_kill);
	assert_true(total_acked + total_failed == WRITERS * WRITES_EACH);
	/* The database holds each acknowledged write once; at most the writes
	 * in flight at the kill were applied without an answer. */
	char out[64];
	assert_int_equal(psql(out, sizeof out, "kring", "SELECT COUNT(*) FROM items WHERE title LIKE 'Load %'"), 0);
	int stored = atoi(out);
	assert_true(stored >= total_acked);
	assert_true(stored <= total_acked + WRITERS);
}

/* While PostgreSQL is down the node answers 503 with Retry-After, never
 * crashes, and serves again once it is back. */
static void database_outage_gives_503_then_recovers(void **state)
{
	(void)state;
	struct client *c = client_of(1);
	struct response *r = http_get(c, "/api/v1/questions", NULL);
	assert_status(r, 200);
	response_free(r);
	char out[256];
	assert_int_equal(sh(out, sizeof out, "'%s/tests/pg-cluster.sh' pause '%s/pg' 2>&1",
			    getenv("KRING_SRC"), site.dir), 0);
	r = http_get(c, "/api/v1/questions", NULL);
	assert_status(r, 503);
	assert_string_equal(response_jstr(r, "error.code"), "unavailable");
	assert_non_null(response_header(r, "Retry-After"));
	response_free(r);
	r = http_get(c, "/healthz", NULL);
	assert_status(r, 503);
	response_free(r);
	r = http_get(c, "/questions", NULL);
	assert_status(r, 503);
	assert_non_null(strstr(r->body, "<html"));
	response_free(r);
	assert_int_equal(sh(out, sizeof out, "'%s/tests/pg-cluster.sh' resume '%s/pg' 2>&1",
			    getenv("KRING_SRC"), site.dir), 0);
	long status = 0;
	for (int waited = 0; waited < 10000 && status != 200; waited += 100) {
		r = http_get(c, "/api/v1/questions", NULL);
		status = r->status;
		response_free(r);
		if (status != 200)
			sleep_ms(100);
	}
	assert_int_equal(status, 200);
	assert_true(site.node[1].pid > 0 && kill(site.node[1].pid, 0) == 0);
	client_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(session_works_on_both_nodes),
		cmocka_unit_test(writes_are_read_through_the_other_node),
		cmocka_unit_test(rate_limits_are_shared),
		cmocka_unit_test(jobs_run_exactly_once),
		cmocka_unit_test(killed_node_loses_no_acknowledged_write),
		cmocka_unit_test(database_outage_gives_503_then_recovers),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
