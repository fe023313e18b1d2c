/* harness: starts kring servers and talks HTTP to them for the tests. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "harness.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- small utilities ------------------------------------------------------ */

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p) {
		fprintf(stderr, "harness: out of memory\n");
		abort();
	}
	return p;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fprintf(stderr, "harness: out of memory\n");
		abort();
	}
	return p;
}

static char *xstrdup(const char *s)
{
	size_t n = strlen(s);
	char *d = xmalloc(n + 1);
	memcpy(d, s, n + 1);
	return d;
}

static char *xstrndup(const char *s, size_t n)
{
	char *d = xmalloc(n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

const char *strcasestr_portable(const char *haystack, const char *needle)
{
	size_t n = strlen(needle);
	if (!haystack)
		return NULL;
	for (; *haystack; haystack++)
		if (strncasecmp(haystack, needle, n) == 0)
			return haystack;
	return n == 0 ? haystack : NULL;
}

static char *read_file(const char *path, size_t *len_out)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 8192, len = 0;
	char *buf = xmalloc(cap);
	for (;;) {
		if (cap - len < 4096) {
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		size_t got = fread(buf + len, 1, cap - len - 1, f);
		len += got;
		if (got == 0)
			break;
	}
	fclose(f);
	buf[len] = '\0';
	if (len_out)
		*len_out = len;
	return buf;
}

static const char *kring_bin(void)
{
	const char *bin = getenv("KRING_BIN");
	if (!bin || !*bin) {
		fprintf(stderr, "harness: KRING_BIN is not set; it must name the kring "
				"binary, e.g. KRING_BIN=build-test/kring\n");
		return NULL;
	}
	if (access(bin, X_OK) != 0) {
		fprintf(stderr, "harness: KRING_BIN=%s is not an executable: %s\n", bin,
			strerror(errno));
		return NULL;
	}
	return bin;
}

/* ---- objects freed at teardown ----------------------------------------------
 * A failed assertion leaves a test function early, so what it allocated is
 * kept on a list and released by server_teardown. */

enum kept_kind { KEPT_MEMORY, KEPT_CLIENT, KEPT_RESPONSE, KEPT_WRITE_LOCK };

static struct kept {
	void *p;
	enum kept_kind kind;
} *kept;
static size_t nkept, cap_kept;
/* Tests send requests from several threads at once (test_faults). */
static pthread_mutex_t kept_lock = PTHREAD_MUTEX_INITIALIZER;

static void keep(void *p, enum kept_kind kind)
{
	if (!p)
		return;
	pthread_mutex_lock(&kept_lock);
	if (nkept == cap_kept) {
		cap_kept = cap_kept ? cap_kept * 2 : 64;
		kept = xrealloc(kept, cap_kept * sizeof *kept);
	}
	kept[nkept].p = p;
	kept[nkept].kind = kind;
	nkept++;
	pthread_mutex_unlock(&kept_lock);
}

static void unkeep(void *p)
{
	pthread_mutex_lock(&kept_lock);
	for (size_t i = nkept; i-- > 0;)
		if (kept[i].p == p) {
			kept[i] = kept[--nkept];
			break;
		}
	pthread_mutex_unlock(&kept_lock);
}

void *harness_keep(void *p)
{
	keep(p, KEPT_MEMORY);
	return p;
}

char *harness_strdup(const char *s)
{
	return s ? harness_keep(xstrdup(s)) : NULL;
}

char *harness_strndup(const char *s, size_t n)
{
	return harness_keep(xstrndup(s, n));
}

static void client_destroy(struct client *c);
static void response_destroy(struct response *r);
static void write_lock_destroy(struct write_lock *l);

void harness_release_all(void)
{
	while (nkept > 0) {
		struct kept k = kept[--nkept];
		switch (k.kind) {
		case KEPT_MEMORY:
			free(k.p);
			break;
		case KEPT_CLIENT:
			client_destroy(k.p);
			break;
		case KEPT_RESPONSE:
			response_destroy(k.p);
			break;
		case KEPT_WRITE_LOCK:
			write_lock_destroy(k.p);
			break;
		}
	}
	free(kept);
	kept = NULL;
	cap_kept = 0;
}

/* ---- the server ------------------------------------------------------------ */

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	if (remove(path) != 0)
		fprintf(stderr, "harness: cannot remove %s: %s\n", path, strerror(errno));
	return 0;
}

static bool keep_files(void)
{
	const char *keep = getenv("KRING_TEST_KEEP");
	return keep && *keep && strcmp(keep, "0") != 0;
}

bool harness_on_postgres(void)
{
	const char *base = getenv("KRING_TEST_PG");
	return base && *base;
}

/* The base URL of KRING_TEST_PG with the database name put after it. */
static int pg_url(char *out, size_t size, const char *dbname)
{
	const char *base = getenv("KRING_TEST_PG");
	size_t n = strlen(base);
	while (n > 0 && base[n - 1] == '/')
		n--;
	int len = snprintf(out, size, "%.*s/%s", (int)n, base, dbname);
	if (len < 0 || (size_t)len >= size) {
		fprintf(stderr, "harness: KRING_TEST_PG=%s is too long\n", base);
		return -1;
	}
	return 0;
}

/* ---- the database's own client -------------------------------------------
 * The one place that runs psql, pg_dump or sqlite3: client programs rather
 * than libpq, so that the harness links only what the tests need. */

/* Runs a program (found on PATH) with input (NULL: nothing) on its
 * standard input, written whole before its output is read (so keep it
 * short); returns what it printed on standard output, malloc'd, and sets
 * *status to its wait status. NULL when it cannot run (it says why on
 * standard error, which is the test's). */
static char *program_output(char *const argv[], const char *input, int *status)
{
	int out_fds[2], in_fds[2] = {-1, -1};
	if (pipe(out_fds) != 0)
		return NULL;
	if (input && pipe(in_fds) != 0) {
		close(out_fds[0]);
		close(out_fds[1]);
		return NULL;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "harness: fork: %s\n", strerror(errno));
		close(out_fds[0]);
		close(out_fds[1]);
		if (input) {
			close(in_fds[0]);
			close(in_fds[1]);
		}
		return NULL;
	}
	if (pid == 0) {
		int in = input ? in_fds[0] : open("/dev/null", O_RDONLY);
		if (in >= 0)
			dup2(in, 0);
		dup2(out_fds[1], 1);
		close(out_fds[0]);
		close(out_fds[1]);
		if (input)
			close(in_fds[1]);
		execvp(argv[0], argv);
		dprintf(2, "harness: exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(out_fds[1]);
	if (input) {
		close(in_fds[0]);
		signal(SIGPIPE, SIG_IGN);
		size_t len = strlen(input);
		if (write(in_fds[1], input, len) != (ssize_t)len)
			fprintf(stderr, "harness: could not write the input of %s\n", argv[0]);
		close(in_fds[1]);
	}
	size_t len = 0, cap = 1 << 16;
	char *out = xmalloc(cap);
	ssize_t n;
	while ((n = read(out_fds[0], out + len, cap - len - 1)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		len += (size_t)n;
		if (cap - len < 4096)
			out = xrealloc(out, cap *= 2);
	}
	close(out_fds[0]);
	out[len] = '\0';
	while (waitpid(pid, status, 0) < 0)
		if (errno != EINTR) {
			free(out);
			return NULL;
		}
	return out;
}

/* What a command (found on PATH) prints on standard output, malloc'd; NULL
 * when it cannot run or does not exit with 0. */
static char *command_output(char *const argv[])
{
	int status;
	char *out = program_output(argv, NULL, &status);
	if (out && WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return out;
	free(out);
	return NULL;
}

/* What the client of the tests' backend (psql, or sqlite3) prints running
 * sql on the database db (its URL, or its file): rows one a line, columns
 * separated by "|"; malloc'd. NULL after saying why when a statement
 * fails. */
static char *sql_output(const char *db, const char *sql)
{
	char *out = harness_on_postgres()
			    ? command_output((char *const[]){"psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d",
							     (char *)db, "-c", (char *)sql, NULL})
			    : command_output((char *const[]){"sqlite3", "-bail", "-cmd", ".timeout 5000", (char *)db,
							     (char *)sql, NULL});
	if (!out)
		fprintf(stderr, "harness: on %s, could not run: %s\n", db, sql);
	return out;
}

void run_sql(const struct server *s, const char *sql)
{
	static const char stale[] = "; UPDATE content_generation SET generation = generation + 1";
	char *all = xmalloc(strlen(sql) + sizeof stale);
	strcpy(all, sql);
	strcat(all, stale);
	char *out = sql_output(s->db, all);
	free(all);
	if (!out)
		fail_msg("the statements did not run: %s", sql);
	free(out);
	beside_the_server();
}

void beside_the_server(void)
{
	sleep_ms(150);
}

const char *sql_rows(const struct server *s, const char *sql)
{
	char *out = sql_output(s->db, sql);
	if (!out)
		fail_msg("the query did not run: %s", sql);
	return harness_keep(out);
}

char *database_dump(const struct server *s)
{
	if (!harness_on_postgres()) {
		char *all = sql_output(s->db, ".dump");
		if (!all)
			fail_msg("sqlite3 could not dump %s", s->db);
		return all;
	}
	char *all = command_output((char *const[]){"pg_dump", "--data-only", "--no-owner", "-d", (char *)s->db, NULL});
	if (!all)
		fail_msg("pg_dump could not dump %s", s->db);
	char *rows = xmalloc(strlen(all) + 1), *w = rows;
	for (char *line = all; *line;) {
		char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) + 1 : strlen(line);
		const char *setval = strstr(line, "pg_catalog.setval");
		bool sequence = setval && (!end || setval < end);
		/* pg_dump brackets its output with a random key of its own */
		bool key = strncmp(line, "\\restrict", 9) == 0 || strncmp(line, "\\unrestrict", 11) == 0;
		if (!sequence && !key) {
			memcpy(w, line, len);
			w += len;
		}
		line += len;
	}
	*w = '\0';
	free(all);
	return rows;
}

/* kring's advisory lock on PostgreSQL (WRITE_LOCK_KEY in src/db/postgres.c). */
#define PG_WRITE_LOCK_KEY "x'6b72696e67'::bigint"

struct write_lock {
	FILE *client; /* the client's standard input: closing it ends the client */
};

struct write_lock *write_lock_hold(const struct server *s)
{
	char held[400], cmd[1024];
	snprintf(held, sizeof held, "%s/write-lock-held", s->dir);
	unlink(held);
	if (harness_on_postgres())
		snprintf(cmd, sizeof cmd, "psql -X -q -v ON_ERROR_STOP=1 -d '%s' >/dev/null", s->db);
	else
		snprintf(cmd, sizeof cmd, "sqlite3 -bail '%s' >/dev/null", s->db);
	fflush(NULL);
	struct write_lock *l = xmalloc(sizeof *l);
	l->client = popen(cmd, "w");
	if (!l->client) {
		free(l);
		fail_msg("could not run %s", cmd);
	}
	keep(l, KEPT_WRITE_LOCK);
	/* The client says it holds the lock by making a file, once the
	 * statement that takes it has run. */
	if (harness_on_postgres())
		fprintf(l->client, "SELECT pg_advisory_lock(" PG_WRITE_LOCK_KEY ");\n\\! touch '%s'\n", held);
	else
		fprintf(l->client, "BEGIN IMMEDIATE;\n.shell touch '%s'\n", held);
	fflush(l->client);
	for (int waited = 0; access(held, F_OK) != 0; waited += 20) {
		if (waited > 10000)
			fail_msg("the database's client did not take the write lock");
		sleep_ms(20);
	}
	return l;
}

static void write_lock_destroy(struct write_lock *l)
{
	pclose(l->client);
	free(l);
}

void write_lock_release(struct write_lock *l)
{
	unkeep(l);
	write_lock_destroy(l);
}

/* Runs one SQL command on the cluster's postgres database; 0 on success. */
static int psql(const char *sql)
{
	char url[512];
	if (pg_url(url, sizeof url, "postgres") != 0)
		return -1;
	char *out = sql_output(url, sql);
	free(out);
	return out ? 0 : -1;
}

/* A database of the server's own, named uniquely among the test programs
 * that share the cluster; s->db becomes its URL. ctype: its character type
 * (LC_CTYPE), or NULL for the cluster's. */
static int pg_create(struct server *s, const char *ctype)
{
	static unsigned counter;
	char name[64], sql[192];
	snprintf(name, sizeof name, "kring_t_%ld_%u", (long)getpid(), ++counter);
	if (pg_url(s->db, sizeof s->db, name) != 0)
		return -1;
	if (ctype)
		snprintf(sql, sizeof sql, "CREATE DATABASE %s TEMPLATE template0 LC_CTYPE '%s'", name, ctype);
	else
		snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
	if (psql(sql) != 0)
		return -1;
	snprintf(s->pg_name, sizeof s->pg_name, "%s", name);
	return 0;
}

int server_cleanup(struct server *s)
{
	int rc = 0;
	if (s->pg_name[0]) {
		char sql[128];
		snprintf(sql, sizeof sql, "DROP DATABASE %s WITH (FORCE)", s->pg_name);
		if (keep_files())
			fprintf(stderr, "harness: keeping the database %s\n", s->db);
		else if (psql(sql) != 0)
			rc = -1;
		s->pg_name[0] = '\0';
	}
	if (!s->dir[0])
		return rc;
	if (keep_files())
		fprintf(stderr, "harness: keeping %s\n", s->dir);
	else
		nftw(s->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	s->dir[0] = '\0';
	return rc;
}

char *server_log(const struct server *s)
{
	char *text = read_file(s->log_path, NULL);
	return text ? text : xstrdup("");
}

void server_log_dump(const struct server *s, size_t tail)
{
	char *log = server_log(s);
	size_t n = strlen(log);
	const char *from = n > tail ? log + n - tail : log;
	fprintf(stderr, "---- %s (last %zu bytes) ----\n%s\n---- end of log ----\n",
		s->log_path, tail, from);
	free(log);
}

static bool line_has_all(const char *line, size_t len, const char *const *needles)
{
	char *copy = xstrndup(line, len);
	bool ok = true;
	for (size_t i = 0; needles[i]; i++)
		if (!strstr(copy, needles[i])) {
			ok = false;
			break;
		}
	free(copy);
	return ok;
}

bool server_log_has_line(const struct server *s, int wait_ms, const char *const *needles)
{
	for (int waited = 0;; waited += 20) {
		char *log = server_log(s);
		const char *p = log;
		bool found = false;
		while (*p && !found) {
			const char *end = strchr(p, '\n');
			size_t len = end ? (size_t)(end - p) : strlen(p);
			found = line_has_all(p, len, needles);
			p += len + (end ? 1 : 0);
		}
		free(log);
		if (found)
			return true;
		if (waited >= wait_ms)
			return false;
		sleep_ms(20);
	}
}

/* A new temporary directory for the server's log (and SQLite file). */
static int make_dir(struct server *s)
{
	const char *tmp = getenv("TMPDIR");
	if (!tmp || !*tmp)
		tmp = "/tmp";
	snprintf(s->dir, sizeof s->dir, "%s/kring-http-XXXXXX", tmp);
	if (!mkdtemp(s->dir)) {
		fprintf(stderr, "harness: mkdtemp %s: %s\n", s->dir, strerror(errno));
		s->dir[0] = '\0';
		return -1;
	}
	snprintf(s->log_path, sizeof s->log_path, "%s/server.log", s->dir);
	return 0;
}

/* Starts `kring serve --db s->db` with its output going to the log. */
static int spawn(struct server *s)
{
	const char *bin = kring_bin();
	if (!bin)
		return -1;
	int logfd = open(s->log_path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
	if (logfd < 0) {
		fprintf(stderr, "harness: %s: %s\n", s->log_path, strerror(errno));
		return -1;
	}
	fflush(NULL);
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "harness: fork: %s\n", strerror(errno));
		close(logfd);
		return -1;
	}
	if (pid == 0) {
		/* the server must not outlive a test program that dies */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != parent)
			_exit(1);
		int devnull = open("/dev/null", O_RDONLY);
		if (devnull >= 0)
			dup2(devnull, 0);
		dup2(logfd, 1);
		dup2(logfd, 2);
		signal(SIGPIPE, SIG_DFL);
		/* Tests sign many members up from one address; the test of the
		 * sign-up limit sets one itself. */
		setenv("KRING_SIGNUP_LIMIT", "0", 0);
		/* A template name that falls through to an enclosing object
		 * fails the page (render/template.h). */
		setenv("KRING_TEMPLATE_STRICT", "1", 0);
		/* Mail goes to .eml files beside the SQLite file; on PostgreSQL
		 * into the server's directory too, not the working one. */
		if (strncmp(s->db, "postgres", 8) == 0) {
			char mail_dir[400];
			snprintf(mail_dir, sizeof mail_dir, "%s/mail", s->dir);
			setenv("KRING_MAIL_DIR", mail_dir, 0);
		}
		execl(bin, bin, "serve", "--db", s->db, "--port", "0", "--bind", "127.0.0.1",
		      (char *)NULL);
		dprintf(2, "harness: exec %s: %s\n", bin, strerror(errno));
		_exit(127);
	}
	close(logfd);
	s->pid = pid;
	return 0;
}

int server_wait_ready(struct server *s)
{
	const char *marker = "listening on http://127.0.0.1:";
	for (int waited = 0; waited <= 10000; waited += 20) {
		char *log = server_log(s);
		const char *at = strstr(log, marker);
		if (at) {
			long port = strtol(at + strlen(marker), NULL, 10);
			free(log);
			if (port <= 0 || port > 65535) {
				fprintf(stderr, "harness: cannot read the port\n");
				break;
			}
			s->port = (int)port;
			snprintf(s->origin, sizeof s->origin, "http://127.0.0.1:%d", s->port);
			return 0;
		}
		free(log);
		int status;
		if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
			s->pid = 0;
			fprintf(stderr, "harness: kring serve exited before listening (status %d)\n",
				WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status));
			server_log_dump(s, 4000);
			return -1;
		}
		sleep_ms(20);
	}
	fprintf(stderr, "harness: kring serve did not report listening within 10 s\n");
	server_log_dump(s, 4000);
	server_stop(s, 5);
	return -1;
}

int server_start_on(struct server *s, const char *db)
{
	memset(s, 0, sizeof *s);
	if (make_dir(s) != 0)
		return -1;
	snprintf(s->db, sizeof s->db, "%s", db);
	if (spawn(s) != 0) {
		server_cleanup(s);
		return -1;
	}
	return 0;
}

/* server_prepare, the PostgreSQL database of character type ctype (NULL:
 * the cluster's). */
static int prepare(struct server *s, const char *ctype)
{
	memset(s, 0, sizeof *s);
	if (make_dir(s) != 0)
		return -1;
	if (!harness_on_postgres()) {
		snprintf(s->db, sizeof s->db, "%s/kring.db", s->dir);
	} else if (pg_create(s, ctype) != 0) {
		server_cleanup(s);
		return -1;
	}
	return 0;
}

int server_prepare(struct server *s)
{
	return prepare(s, NULL);
}

/* server_start on a database of character type ctype (NULL: the cluster's). */
static int start(struct server *s, const char *ctype)
{
	if (prepare(s, ctype) != 0)
		return -1;
	if (spawn(s) != 0 || server_wait_ready(s) != 0) {
		server_cleanup(s);
		return -1;
	}
	return 0;
}

int server_start(struct server *s)
{
	return start(s, NULL);
}

int server_stop(struct server *s, int timeout_s)
{
	if (s->pid <= 0)
		return -1;
	kill(s->pid, SIGTERM);
	int status = 0;
	for (int waited = 0; waited <= timeout_s * 1000; waited += 10) {
		pid_t r = waitpid(s->pid, &status, WNOHANG);
		if (r == s->pid) {
			s->pid = 0;
			return status;
		}
		if (r < 0 && errno != EINTR) {
			s->pid = 0;
			return -1;
		}
		sleep_ms(10);
	}
	fprintf(stderr, "harness: kring serve ignored SIGTERM for %d s; killing it\n", timeout_s);
	kill(s->pid, SIGKILL);
	while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
		;
	s->pid = 0;
	return -1;
}

/* server_setup on a database of character type ctype (NULL: the cluster's). */
static int setup(void **state, const char *ctype)
{
	struct server *s = xmalloc(sizeof *s);
	if (start(s, ctype) != 0) {
		free(s);
		return -1;
	}
	*state = s;
	return 0;
}

int server_setup(void **state)
{
	return setup(state, NULL);
}

int unicode_server_setup(void **state)
{
	return setup(state, "C.UTF-8");
}

static const char *const sanitizer_marks[] = {
	"ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
	"ThreadSanitizer", NULL,
};

int server_teardown(void **state)
{
	struct server *s = *state;
	int rc = 0;
	test_clock_stop();
	if (!s)
		return 0;
	harness_release_all();
	if (s->pid > 0) {
		int status = server_stop(s, 10);
		if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "harness: kring serve did not exit cleanly after SIGTERM "
					"(%s %d)\n",
				status == -1 ? "killed" :
				WIFEXITED(status) ? "exit status" : "signal",
				status == -1 ? 9 :
				WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
			rc = -1;
		}
	}
	char *log = server_log(s);
	for (size_t i = 0; sanitizer_marks[i]; i++)
		if (strstr(log, sanitizer_marks[i])) {
			fprintf(stderr, "harness: the server log has a sanitizer report (\"%s\")\n",
				sanitizer_marks[i]);
			rc = -1;
			break;
		}
	free(log);
	if (rc != 0)
		server_log_dump(s, 6000);
	if (server_cleanup(s) != 0)
		rc = -1;
	free(s);
	*state = NULL;
	return rc;
}

int kring_user_add(const struct server *s, const char *handle, const char *email,
		   const char *name, const char *role_flag, const char *password)
{
	const char *bin = kring_bin();
	if (!bin)
		return -1;
	char log_path[400];
	snprintf(log_path, sizeof log_path, "%s/cli.log", s->dir);
	int pipefd[2];
	if (pipe(pipefd) != 0)
		return -1;
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int logfd = open(log_path, O_WRONLY | O_CREAT | O_APPEND, 0644);
		dup2(pipefd[0], 0);
		close(pipefd[0]);
		close(pipefd[1]);
		if (logfd >= 0) {
			dup2(logfd, 1);
			dup2(logfd, 2);
		}
		const char *argv[16];
		int n = 0;
		argv[n++] = bin;
		argv[n++] = "user";
		argv[n++] = "add";
		argv[n++] = handle;
		argv[n++] = "--email";
		argv[n++] = email;
		argv[n++] = "--name";
		argv[n++] = name;
		if (role_flag)
			argv[n++] = role_flag;
		argv[n++] = "--password-stdin";
		argv[n++] = "--db";
		argv[n++] = s->db;
		argv[n] = NULL;
		execv(bin, (char *const *)argv);
		_exit(127);
	}
	close(pipefd[0]);
	signal(SIGPIPE, SIG_IGN);
	size_t len = strlen(password);
	if (write(pipefd[1], password, len) != (ssize_t)len || write(pipefd[1], "\n", 1) != 1)
		fprintf(stderr, "harness: could not write the password to kring user add\n");
	close(pipefd[1]);
	int status = 0;
	for (int waited = 0;; waited += 10) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			break;
		if (waited > 30000) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			fprintf(stderr, "harness: kring user add hung\n");
			return -1;
		}
		sleep_ms(10);
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		char *out = read_file(log_path, NULL);
		fprintf(stderr, "harness: kring user add %s failed:\n%s\n", handle, out ? out : "");
		free(out);
		return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	}
	return 0;
}

int kring_command(char **output, const char *dir, const char *stdin_text, const char *env, const char *fmt, ...)
{
	const char *bin = kring_bin();
	if (!bin)
		fail_msg("there is no kring to run");
	char args[1024], cmd[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(args, sizeof args, fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof cmd, "cd '%s' && %s%s '%s' %s 2>&1", dir ? dir : ".", env ? "env " : "", env ? env : "",
		 bin, args);
	int status;
	char *out = program_output((char *const[]){"/bin/sh", "-c", cmd, NULL}, stdin_text, &status);
	if (!out)
		fail_msg("could not run %s", cmd);
	*output = harness_keep(out);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* ---- clients ------------------------------------------------------------------ */

static void global_init(void)
{
	static bool done;
	if (!done) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		atexit(curl_global_cleanup);
		done = true;
	}
}

struct client *client_new(const struct server *s)
{
	global_init();
	struct client *c = xmalloc(sizeof *c);
	memset(c, 0, sizeof *c);
	c->srv = s;
	c->curl = curl_easy_init();
	if (!c->curl) {
		fprintf(stderr, "harness: curl_easy_init failed\n");
		abort();
	}
	keep(c, KEPT_CLIENT);
	curl_easy_setopt(c->curl, CURLOPT_COOKIEFILE, ""); /* in-memory cookie engine */
	curl_easy_setopt(c->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c->curl, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c->curl, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(c->curl, CURLOPT_CONNECTTIMEOUT, 10L);
	return c;
}

static void client_destroy(struct client *c)
{
	curl_easy_cleanup(c->curl);
	free(c->bearer);
	free(c);
}

void client_free(struct client *c)
{
	if (!c)
		return;
	unkeep(c);
	client_destroy(c);
}

void client_set_bearer(struct client *c, const char *token)
{
	free(c->bearer);
	c->bearer = token ? xstrdup(token) : NULL;
}

char *client_cookie(struct client *c, const char *name)
{
	struct curl_slist *list = NULL;
	char *value = NULL;
	if (curl_easy_getinfo(c->curl, CURLINFO_COOKIELIST, &list) != CURLE_OK)
		return NULL;
	for (struct curl_slist *l = list; l && !value; l = l->next) {
		/* domain, tailmatch, path, secure, expires, name, value */
		const char *p = l->data;
		int field = 0;
		const char *start = p;
		const char *fields[7] = {0};
		size_t lens[7] = {0};
		for (;; p++) {
			if (*p == '\t' || *p == '\0') {
				if (field < 7) {
					fields[field] = start;
					lens[field] = (size_t)(p - start);
				}
				field++;
				if (*p == '\0')
					break;
				start = p + 1;
			}
		}
		if (field >= 7 && lens[5] == strlen(name) && strncmp(fields[5], name, lens[5]) == 0)
			value = xstrndup(fields[6], lens[6]);
	}
	curl_slist_free_all(list);
	return harness_keep(value);
}

void client_put_cookie(struct client *c, const char *name, const char *value)
{
	char line[2048];
	snprintf(line, sizeof line, "127.0.0.1\tFALSE\t/\tFALSE\t0\t%s\t%s", name, value);
	curl_easy_setopt(c->curl, CURLOPT_COOKIELIST, line);
}

/* ---- requests --------------------------------------------------------------- */

struct sink {
	struct response *r;
	size_t cap;
};

static size_t on_body(char *data, size_t size, size_t nmemb, void *userdata)
{
	struct sink *k = userdata;
	size_t n = size * nmemb;
	struct response *r = k->r;
	if (r->body_len + n + 1 > k->cap) {
		while (r->body_len + n + 1 > k->cap)
			k->cap = k->cap ? k->cap * 2 : 4096;
		r->body = xrealloc(r->body, k->cap);
	}
	memcpy(r->body + r->body_len, data, n);
	r->body_len += n;
	r->body[r->body_len] = '\0';
	return n;
}

static void clear_headers(struct response *r)
{
	for (size_t i = 0; i < r->nheaders; i++) {
		free(r->headers[i].name);
		free(r->headers[i].value);
	}
	r->nheaders = 0;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *userdata)
{
	struct response *r = userdata;
	size_t n = size * nmemb;
	size_t len = n;
	while (len > 0 && (data[len - 1] == '\r' || data[len - 1] == '\n'))
		len--;
	if (len >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		clear_headers(r); /* a new response (after 100 Continue) */
		return n;
	}
	const char *colon = memchr(data, ':', len);
	if (!colon)
		return n;
	const char *v = colon + 1;
	while (v < data + len && (*v == ' ' || *v == '\t'))
		v++;
	if (r->nheaders == r->cap_headers) {
		r->cap_headers = r->cap_headers ? r->cap_headers * 2 : 16;
		r->headers = xrealloc(r->headers, r->cap_headers * sizeof *r->headers);
	}
	r->headers[r->nheaders].name = xstrndup(data, (size_t)(colon - data));
	r->headers[r->nheaders].value = xstrndup(v, (size_t)(data + len - v));
	r->nheaders++;
	return n;
}

struct response *http_request(struct client *c, const char *method, const char *path,
			      const char *const *headers, const char *body, size_t body_len,
			      const char *content_type)
{
	struct response *r = xmalloc(sizeof *r);
	memset(r, 0, sizeof *r);
	snprintf(r->method, sizeof r->method, "%s", method);
	r->path = xstrdup(path);
	r->body = xstrdup("");
	keep(r, KEPT_RESPONSE);
	struct sink sink = {r, 1};

	char url[4096];
	snprintf(url, sizeof url, "%s%s", c->srv->origin, path);
	CURL *h = c->curl;
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPGET, 1L); /* resets POST state */
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, NULL);
	curl_easy_setopt(h, CURLOPT_NOBODY, 0L);
	if (strcmp(method, "HEAD") == 0) {
		curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
	} else if (strcmp(method, "GET") != 0 || body) {
		if (strcmp(method, "POST") != 0)
			curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
		if (body || strcmp(method, "POST") == 0) {
			curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
					 (curl_off_t)(body ? body_len : 0));
			curl_easy_setopt(h, CURLOPT_POSTFIELDS, body ? body : "");
		}
	}

	struct curl_slist *list = NULL;
	char line[4200];
	if (content_type) {
		snprintf(line, sizeof line, "Content-Type: %s", content_type);
		list = curl_slist_append(list, line);
	} else if (body) {
		list = curl_slist_append(list, "Content-Type:"); /* none at all */
	}
	if (c->bearer) {
		snprintf(line, sizeof line, "Authorization: Bearer %s", c->bearer);
		list = curl_slist_append(list, line);
	}
	for (size_t i = 0; headers && headers[i]; i++)
		list = curl_slist_append(list, headers[i]);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, r);

	r->curl_error = curl_easy_perform(h);
	if (r->curl_error == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
	else
		fprintf(stderr, "harness: %s %s: %s\n", method, path,
			curl_easy_strerror(r->curl_error));
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(list);

	if (r->body_len > 0) {
		json_error_t err;
		r->json = json_loadb(r->body, r->body_len, JSON_DECODE_ANY, &err);
	}
	return r;
}

struct response *http_get(struct client *c, const char *path, const char *const *headers)
{
	return http_request(c, "GET", path, headers, NULL, 0, NULL);
}

char *form_encode(const char *const *fields)
{
	size_t cap = 256, len = 0;
	char *out = xmalloc(cap);
	out[0] = '\0';
	for (size_t i = 0; fields && fields[i] && fields[i + 1]; i += 2) {
		char *name = curl_easy_escape(NULL, fields[i], 0);
		char *value = curl_easy_escape(NULL, fields[i + 1], 0);
		size_t need = len + strlen(name) + strlen(value) + 3;
		if (need > cap) {
			while (need > cap)
				cap *= 2;
			out = xrealloc(out, cap);
		}
		len += (size_t)sprintf(out + len, "%s%s=%s", len ? "&" : "", name, value);
		curl_free(name);
		curl_free(value);
	}
	return out;
}

struct response *http_post_form(struct client *c, const char *path, const char *const *fields,
				const char *const *headers)
{
	char *body = form_encode(fields);
	struct response *r = http_request(c, "POST", path, headers, body, strlen(body),
					  "application/x-www-form-urlencoded");
	free(body);
	return r;
}

struct response *http_post_json(struct client *c, const char *path, const char *json,
				const char *const *headers)
{
	return http_request(c, "POST", path, headers, json, strlen(json), "application/json");
}

struct response *http_post_jsonv(struct client *c, const char *path, json_t *value,
				 const char *const *headers)
{
	char *text = json_dumps(value, JSON_COMPACT);
	json_decref(value);
	struct response *r = http_post_json(c, path, text, headers);
	free(text);
	return r;
}

void response_free(struct response *r)
{
	if (!r)
		return;
	unkeep(r);
	response_destroy(r);
}

static void response_destroy(struct response *r)
{
	clear_headers(r);
	free(r->headers);
	free(r->body);
	free(r->path);
	json_decref(r->json);
	free(r);
}

const char *response_header(const struct response *r, const char *name)
{
	for (size_t i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->headers[i].name, name) == 0)
			return r->headers[i].value;
	return NULL;
}

const char *cache_state(const struct response *r)
{
	const char *v = response_header(r, "X-Kring-Cache");
	return v ? v : "none";
}

const char *response_set_cookie(const struct response *r, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < r->nheaders; i++) {
		if (strcasecmp(r->headers[i].name, "Set-Cookie") != 0)
			continue;
		const char *v = r->headers[i].value;
		while (*v == ' ')
			v++;
		if (strncmp(v, name, n) == 0 && v[n] == '=')
			return r->headers[i].value;
	}
	return NULL;
}

json_t *json_path(json_t *root, const char *path)
{
	json_t *cur = root;
	const char *p = path;
	while (cur && *p) {
		const char *dot = strchr(p, '.');
		size_t len = dot ? (size_t)(dot - p) : strlen(p);
		char key[128];
		if (len >= sizeof key)
			return NULL;
		memcpy(key, p, len);
		key[len] = '\0';
		cur = json_is_object(cur) ? json_object_get(cur, key) : NULL;
		p += len + (dot ? 1 : 0);
	}
	return cur;
}

const char *response_jstr(const struct response *r, const char *path)
{
	json_t *v = json_path(r->json, path);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static size_t discard_body(char *data, size_t size, size_t nmemb, void *userdata)
{
	(void)data;
	(void)userdata;
	return size * nmemb;
}

int http_parallel_post_json(const struct server *s, const char *path, const char *json, int n,
			    long *statuses)
{
	global_init();
	if (n <= 0 || n > 64)
		return -1;
	CURLM *multi = curl_multi_init();
	CURL *handles[64];
	struct curl_slist *hdrs = curl_slist_append(NULL, "Content-Type: application/json");
	char url[4096];
	snprintf(url, sizeof url, "%s%s", s->origin, path);
	for (int i = 0; i < n; i++) {
		CURL *h = curl_easy_init();
		handles[i] = h;
		statuses[i] = 0;
		curl_easy_setopt(h, CURLOPT_URL, url);
		curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L);
		curl_easy_setopt(h, CURLOPT_FRESH_CONNECT, 1L);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, json);
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
		curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard_body);
		curl_multi_add_handle(multi, h);
	}
	int running = 1;
	while (running) {
		if (curl_multi_perform(multi, &running) != CURLM_OK)
			break;
		if (running)
			curl_multi_poll(multi, NULL, 0, 1000, NULL);
	}
	int done = 0;
	for (int i = 0; i < n; i++) {
		if (curl_easy_getinfo(handles[i], CURLINFO_RESPONSE_CODE, &statuses[i]) == CURLE_OK &&
		    statuses[i] > 0)
			done++;
		curl_multi_remove_handle(multi, handles[i]);
		curl_easy_cleanup(handles[i]);
	}
	curl_multi_cleanup(multi);
	curl_slist_free_all(hdrs);
	return done;
}

/* ---- pages ---------------------------------------------------------------------- */

/* The value of attribute attr="…" inside the tag text [tag, end), or NULL. */
static char *tag_attr(const char *tag, const char *end, const char *attr)
{
	char pat[64];
	snprintf(pat, sizeof pat, "%s=\"", attr);
	size_t plen = strlen(pat);
	for (const char *p = tag; p + plen <= end; p++) {
		if (strncasecmp(p, pat, plen) != 0 || !isspace((unsigned char)p[-1]))
			continue;
		const char *v = p + plen;
		const char *q = memchr(v, '"', (size_t)(end - v));
		if (!q)
			return NULL;
		return xstrndup(v, (size_t)(q - v));
	}
	return NULL;
}

/* The attribute value_attr of the first <tag_name …> whose name="want". */
static char *find_tag_value(const char *html, const char *tag_name, const char *want,
			    const char *value_attr)
{
	char open[32];
	snprintf(open, sizeof open, "<%s", tag_name);
	const char *p = html;
	while (p && (p = strcasestr_portable(p, open))) {
		const char *end = strchr(p, '>');
		if (!end)
			return NULL;
		char *name = tag_attr(p, end, "name");
		bool match = name && strcmp(name, want) == 0;
		free(name);
		if (match)
			return tag_attr(p, end, value_attr);
		p = end;
	}
	return NULL;
}

char *html_meta_csrf(const char *html)
{
	return html ? harness_keep(find_tag_value(html, "meta", "csrf-token", "content")) : NULL;
}

char *html_csrf(const char *html)
{
	if (!html)
		return NULL;
	char *t = find_tag_value(html, "input", "csrf", "value");
	if (t && *t)
		return harness_keep(t);
	free(t);
	return html_meta_csrf(html);
}

char *page_csrf(struct client *c, const char *path)
{
	struct response *r = http_get(c, path, NULL);
	char *t = r->status == 200 ? html_csrf(r->body) : NULL;
	if (!t)
		fprintf(stderr, "harness: no CSRF token on GET %s (status %ld)\n", path, r->status);
	response_free(r);
	return t;
}

/* ---- account flows ---------------------------------------------------------------- */

int64_t api_signup(struct client *who, const char *handle, const char *password)
{
	struct client *c = client_new(who->srv);
	char name[200], email[200];
	snprintf(name, sizeof name, "Test %s", handle);
	snprintf(email, sizeof email, "%s@example.com", handle);
	json_t *body = json_pack("{s:s, s:s, s:s, s:s}", "handle", handle, "name", name, "email",
				 email, "password", password);
	/* The site's code of conduct, when it has one (the demo's), is
	 * accepted as the form does it. */
	struct response *r = http_get(c, "/api/v1/conduct", NULL);
	json_t *version = json_path(r->json, "version.number");
	if (json_is_integer(version))
		json_object_set_new(body, "conduct", json_integer(json_integer_value(version)));
	response_free(r);
	r = http_post_jsonv(c, "/api/v1/signup", body, NULL);
	int64_t id = 0;
	json_t *jid = json_path(r->json, "id");
	if (r->status == 201 && json_is_integer(jid))
		id = json_integer_value(jid);
	else
		fprintf(stderr, "harness: JSON sign-up of %s: %ld %.500s\n", handle, r->status,
			r->body);
	response_free(r);
	client_free(c);
	return id;
}

void assert_me(struct client *c, const char *key, const char *value)
{
	struct response *r = http_get(c, "/api/v1/me", NULL);
	assert_status(r, 200);
	assert_jstr(r, key, value);
	response_free(r);
}

void assert_signed_out(struct client *c)
{
	struct response *r = http_get(c, "/api/v1/me", NULL);
	assert_status(r, 401);
	response_free(r);
}

struct response *json_signup(struct client *c, const char *handle, const char *name,
			     const char *email, const char *password)
{
	return http_post_jsonv(c, "/api/v1/signup",
			       json_pack("{s:s, s:s, s:s, s:s}", "handle", handle, "name", name, "email", email,
					 "password", password),
			       NULL);
}

struct response *html_signup(struct client *c, const char *handle, const char *name,
			     const char *email, const char *password)
{
	char *csrf = page_csrf(c, "/signup");
	struct response *r = http_post_form(c, "/signup",
					    STRS("handle", handle, "name", name, "email", email,
						 "password", password, "csrf", csrf ? csrf : ""),
					    NULL);
	return r;
}

struct response *html_login(struct client *c, const char *login, const char *password)
{
	char *csrf = page_csrf(c, "/login");
	struct response *r = http_post_form(
		c, "/login", STRS("login", login, "password", password, "csrf", csrf ? csrf : ""),
		NULL);
	return r;
}

struct response *api_login(struct client *c, const char *login, const char *password)
{
	json_t *body = json_pack("{s:s, s:s}", "login", login, "password", password);
	return http_post_jsonv(c, "/api/v1/login", body, NULL);
}

struct client *signed_in_client(const struct server *s, const char *handle, int64_t *id)
{
	struct client *c = client_new(s);
	int64_t uid = api_signup(c, handle, TEST_PASSWORD);
	if (uid <= 0) {
		print_error("could not sign up %s\n", handle);
		fail();
	}
	struct response *r = html_login(c, handle, TEST_PASSWORD);
	if (r->status != 303 || !response_set_cookie(r, "kring_session"))
		harness_fail_response(r, __FILE__, __LINE__,
				      "signing in %s: expected 303 with a kring_session cookie",
				      handle);
	response_free(r);
	if (id)
		*id = uid;
	return c;
}

/* ---- the test clock -------------------------------------------------------------- */

static struct {
	char path[64]; /* "" when no test clock runs */
	int64_t now;
} test_clock;

void test_clock_set(int64_t t)
{
	assert_true(test_clock.path[0]);
	char tmp[80];
	snprintf(tmp, sizeof tmp, "%s.new", test_clock.path);
	FILE *f = fopen(tmp, "w");
	assert_non_null(f);
	bool ok = fprintf(f, "%lld\n", (long long)t) > 0;
	ok = fclose(f) == 0 && ok;
	/* A rename, so that a server never reads a half-written file. */
	assert_true(ok && rename(tmp, test_clock.path) == 0);
	test_clock.now = t;
}

void test_clock_start(int64_t t)
{
	snprintf(test_clock.path, sizeof test_clock.path, "/tmp/kring-clock-XXXXXX");
	int fd = mkstemp(test_clock.path);
	assert_true(fd >= 0);
	close(fd);
	test_clock_set(t);
	setenv("KRING_CLOCK_FILE", test_clock.path, 1);
}

int64_t test_clock_now(void)
{
	assert_true(test_clock.path[0]);
	return test_clock.now;
}

void test_clock_advance(int64_t seconds)
{
	test_clock_set(test_clock_now() + seconds);
}

void test_clock_stop(void)
{
	if (!test_clock.path[0])
		return;
	unsetenv("KRING_CLOCK_FILE");
	unlink(test_clock.path);
	test_clock.path[0] = '\0';
}

int clock_server_setup(void **state)
{
	test_clock_start((int64_t)time(NULL));
	return server_setup(state);
}

void jobs_settle(const struct server *s)
{
	char sql[200];
	int64_t now = test_clock.path[0] ? test_clock.now : (int64_t)time(NULL);
	snprintf(sql, sizeof sql,
		 "SELECT COUNT(*) FROM jobs WHERE done_at IS NULL AND failed_at IS NULL AND run_at <= %lld",
		 (long long)now);
	for (int i = 0; i < 200 && atoi(sql_rows(s, sql)) > 0; i++)
		sleep_ms(100);
	assert_int_equal(atoi(sql_rows(s, sql)), 0);
	assert_string_equal(sql_rows(s, "SELECT COUNT(*) FROM jobs WHERE last_error IS NOT NULL"), "0\n");
}

/* ---- assertions ------------------------------------------------------------------ */

void harness_fail_response(const struct response *r, const char *file, int line,
			   const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	print_error("%s %s: %s\n", r->method, r->path, msg);
	print_error("  response %ld", r->status);
	const char *show[] = {"Content-Type", "Location", "Retry-After", NULL};
	for (size_t i = 0; show[i]; i++) {
		const char *v = response_header(r, show[i]);
		if (v)
			print_error(", %s: %s", show[i], v);
	}
	print_error("\n  body: %.1500s%s\n", r->body ? r->body : "",
		    r->body_len > 1500 ? " …" : "");
	_fail(file, line);
}
