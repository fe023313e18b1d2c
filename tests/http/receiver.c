/* receiver: a tiny HTTP server that records what it is sent (see receiver.h). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "receiver.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* How long one connection may take to send its request. */
#define CONN_TIMEOUT_MS 5000
/* How often the thread checks whether it should stop. */
#define TICK_MS 50

struct request {
	char method[16];
	char path[256];
	char *head; /* the request line and headers, each ending in CRLF */
	char *body;
};

struct receiver {
	int fd;
	int port;
	pthread_t thread;
	atomic_int answer; /* the status it answers with */
	atomic_bool stop;
	pthread_mutex_t lock; /* guards got, count and cap */
	pthread_cond_t arrived;
	/* Each request is allocated on its own, so the pointers handed out
	 * stay valid when the array grows. */
	struct request **got;
	int count, cap;
};

/* Tests cannot go on without memory, and the thread has nobody to tell. */
static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p) {
		fprintf(stderr, "receiver: out of memory\n");
		abort();
	}
	return p;
}

static char *xstrndup(const char *s, size_t n)
{
	char *p = xrealloc(NULL, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reads one request from a connection: the head, then Content-Length bytes
 * of body. NULL when the client hangs up early, takes longer than
 * CONN_TIMEOUT_MS in all (a per-connection deadline, so a client sending a
 * byte at a time cannot hold the thread either) or the receiver stops. */
static struct request *receive(struct receiver *rc, int conn)
{
	char *data = NULL;
	size_t len = 0, cap = 0;
	size_t head_len = 0; /* up to the blank line, once it arrived */
	size_t want = 0;     /* the head, the blank line and the body */
	int64_t deadline = now_ms() + CONN_TIMEOUT_MS;
	while (!head_len || len < want) {
		int64_t left = deadline - now_ms();
		if (left <= 0 || atomic_load(&rc->stop))
			break;
		struct pollfd p = {.fd = conn, .events = POLLIN};
		int ready = poll(&p, 1, left < TICK_MS ? (int)left : TICK_MS);
		if (ready < 0 && errno != EINTR)
			break;
		if (ready <= 0)
			continue;
		if (len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			data = xrealloc(data, cap);
		}
		ssize_t n = recv(conn, data + len, cap - len - 1, 0);
		if (n <= 0)
			break;
		len += (size_t)n;
		data[len] = '\0';
		const char *end;
		if (!head_len && (end = strstr(data, "\r\n\r\n"))) {
			head_len = (size_t)(end - data);
			const char *cl = strcasestr(data, "\r\nContent-Length:");
			want = head_len + 4 + (cl && cl < end ? strtoul(cl + 17, NULL, 10) : 0);
		}
	}
	struct request *r = NULL;
	if (head_len && len >= want) {
		r = xrealloc(NULL, sizeof *r);
		*r = (struct request){0};
		sscanf(data, "%15s %255s", r->method, r->path);
		r->head = xstrndup(data, head_len + 2);
		r->body = xstrndup(data + head_len + 4, want - head_len - 4);
	}
	free(data);
	return r;
}

static void record(struct receiver *rc, struct request *r)
{
	pthread_mutex_lock(&rc->lock);
	if (rc->count == rc->cap) {
		rc->cap = rc->cap ? rc->cap * 2 : 64;
		rc->got = xrealloc(rc->got, (size_t)rc->cap * sizeof *rc->got);
	}
	rc->got[rc->count++] = r;
	pthread_cond_broadcast(&rc->arrived);
	pthread_mutex_unlock(&rc->lock);
}

static void answer(struct receiver *rc, int conn)
{
	int status = atomic_load(&rc->answer);
	char buf[128];
	/* Clients go by the code; the reason phrase is decoration. */
	int n = snprintf(buf, sizeof buf, "HTTP/1.1 %d %s\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", status,
			 status < 400 ? "OK" : "Error");
	send(conn, buf, (size_t)n, MSG_NOSIGNAL);
}

static void *serve(void *arg)
{
	struct receiver *rc = arg;
	while (!atomic_load(&rc->stop)) {
		struct pollfd p = {.fd = rc->fd, .events = POLLIN};
		if (poll(&p, 1, TICK_MS) <= 0)
			continue;
		/* Close-on-exec, or servers the test starts meanwhile would keep
		 * the connection open. */
		int conn = accept4(rc->fd, NULL, NULL, SOCK_CLOEXEC);
		if (conn < 0)
			continue;
		struct request *r = receive(rc, conn);
		/* Recorded before it is answered: a sender that has its answer
		 * may count on the request being seen. */
		if (r) {
			record(rc, r);
			answer(rc, conn);
		}
		close(conn);
	}
	return NULL;
}

/* Frees a receiver whose thread is not running. */
static void destroy(struct receiver *rc)
{
	if (rc->fd >= 0)
		close(rc->fd);
	for (int i = 0; i < rc->count; i++) {
		free(rc->got[i]->head);
		free(rc->got[i]->body);
		free(rc->got[i]);
	}
	free(rc->got);
	pthread_cond_destroy(&rc->arrived);
	pthread_mutex_destroy(&rc->lock);
	free(rc);
}

struct receiver *receiver_start(void)
{
	struct receiver *rc = calloc(1, sizeof *rc);
	if (!rc)
		return NULL;
	pthread_mutex_init(&rc->lock, NULL);
	/* receiver_wait's deadline must not move with the wall clock. */
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&rc->arrived, &attr);
	pthread_condattr_destroy(&attr);
	atomic_init(&rc->answer, 200);
	atomic_init(&rc->stop, false);

	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t alen = sizeof addr;
	rc->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	/* A long backlog: senders arriving together wait their turn in it. */
	if (rc->fd < 0 || bind(rc->fd, (struct sockaddr *)&addr, sizeof addr) != 0 ||
	    listen(rc->fd, SOMAXCONN) != 0 || getsockname(rc->fd, (struct sockaddr *)&addr, &alen) != 0) {
		destroy(rc);
		return NULL;
	}
	rc->port = ntohs(addr.sin_port);
	if (pthread_create(&rc->thread, NULL, serve, rc) != 0) {
		destroy(rc);
		return NULL;
	}
	return rc;
}

void receiver_stop(struct receiver *rc)
{
	if (!rc)
		return;
	atomic_store(&rc->stop, true);
	pthread_join(rc->thread, NULL);
	destroy(rc);
}

int receiver_port(const struct receiver *rc)
{
	return rc->port;
}

void receiver_answer_with(struct receiver *rc, int status)
{
	atomic_store(&rc->answer, status);
}

int receiver_count(struct receiver *rc)
{
	pthread_mutex_lock(&rc->lock);
	int n = rc->count;
	pthread_mutex_unlock(&rc->lock);
	return n;
}

int receiver_wait(struct receiver *rc, int n, int timeout_ms)
{
	struct timespec until;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += timeout_ms / 1000;
	until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&rc->lock);
	while (rc->count < n && pthread_cond_timedwait(&rc->arrived, &rc->lock, &until) != ETIMEDOUT)
		;
	int count = rc->count;
	pthread_mutex_unlock(&rc->lock);
	return count;
}

/* Request i, or NULL. The lock is only needed to read the array: the
 * request itself is complete before it is recorded and never changes. */
static const struct request *request(struct receiver *rc, int i)
{
	pthread_mutex_lock(&rc->lock);
	const struct request *r = i >= 0 && i < rc->count ? rc->got[i] : NULL;
	pthread_mutex_unlock(&rc->lock);
	return r;
}

const char *receiver_method(struct receiver *rc, int i)
{
	const struct request *r = request(rc, i);
	return r ? r->method : NULL;
}

const char *receiver_path(struct receiver *rc, int i)
{
	const struct request *r = request(rc, i);
	return r ? r->path : NULL;
}

const char *receiver_body(struct receiver *rc, int i)
{
	const struct request *r = request(rc, i);
	return r ? r->body : NULL;
}

const char *receiver_header(struct receiver *rc, int i, const char *name, char *buf, size_t len)
{
	const struct request *r = request(rc, i);
	if (!r)
		return NULL;
	size_t n = strlen(name);
	/* Each line after the request line is a header. */
	for (const char *line = strstr(r->head, "\r\n"); line && line[2]; line = strstr(line + 2, "\r\n")) {
		const char *h = line + 2;
		if (strncasecmp(h, name, n) == 0 && h[n] == ':') {
			const char *v = h + n + 1 + strspn(h + n + 1, " \t");
			snprintf(buf, len, "%.*s", (int)strcspn(v, "\r"), v);
			return buf;
		}
	}
	return NULL;
}
