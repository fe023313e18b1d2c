/* deadline: a bound on the time to receive request headers (see
 * deadline.h). The watched connections are one list under one lock. */
#include "http/deadline.h"

#include "core/mem.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

struct watch {
	int fd;
	time_t since;   /* opened, or the previous answer completed */
	bool headers_in; /* a request is being answered: no limit */
	bool cut;        /* shut down once already */
	struct watch *prev, *next;
};

static struct {
	pthread_mutex_t lock;
	int seconds;
	struct watch *first;
} watched = {.lock = PTHREAD_MUTEX_INITIALIZER};

static time_t now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

void deadline_init(int seconds)
{
	watched.seconds = seconds;
}

void deadline_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
		     enum MHD_ConnectionNotificationCode code)
{
	(void)cls;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *info = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		struct watch *w = xcalloc(1, sizeof(*w));
		if (!info) {
			free(w);
			return;
		}
		w->fd = info->connect_fd;
		w->since = now_s();
		pthread_mutex_lock(&watched.lock);
		w->next = watched.first;
		if (w->next)
			w->next->prev = w;
		watched.first = w;
		pthread_mutex_unlock(&watched.lock);
		*socket_context = w;
		return;
	}
	/* Closed: libmicrohttpd closes the socket after this returns, so the
	 * sweep, which holds the lock, never touches a closed descriptor. */
	struct watch *w = *socket_context;
	if (!w)
		return;
	pthread_mutex_lock(&watched.lock);
	if (w->prev)
		w->prev->next = w->next;
	else
		watched.first = w->next;
	if (w->next)
		w->next->prev = w->prev;
	pthread_mutex_unlock(&watched.lock);
	free(w);
	*socket_context = NULL;
}

void deadline_mark(struct MHD_Connection *conn, bool headers_in)
{
	const union MHD_ConnectionInfo *info = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct watch *w = info ? info->socket_context : NULL;
	if (!w)
		return;
	pthread_mutex_lock(&watched.lock);
	w->headers_in = headers_in;
	if (!headers_in)
		w->since = now_s();
	pthread_mutex_unlock(&watched.lock);
}

void deadline_sweep(void)
{
	time_t now = now_s();
	pthread_mutex_lock(&watched.lock);
	for (struct watch *w = watched.first; w; w = w->next) {
		if (w->headers_in || w->cut || now - w->since < watched.seconds)
			continue;
		/* libmicrohttpd sees the connection end and closes it in its
		 * own thread. */
		shutdown(w->fd, SHUT_RDWR);
		w->cut = true;
	}
	pthread_mutex_unlock(&watched.lock);
}
