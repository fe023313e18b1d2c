/*
 * deadline: a bound on the whole time a request's headers may take to
 * arrive. libmicrohttpd's timeout only counts idle time, so a client that
 * sends one byte of its headers every few seconds would hold a connection
 * open for ever. Each connection is watched from the moment it opens, and
 * again from the moment an answer on it completes (a kept-alive connection
 * waits for its next request), until the next request's headers are in;
 * a connection still without them after the limit is shut down.
 */
#ifndef KRING_DEADLINE_H
#define KRING_DEADLINE_H

#include <microhttpd.h>
#include <stdbool.h>

/* Sets the limit in seconds; call before serving. */
void deadline_init(int seconds);
/* The MHD_OPTION_NOTIFY_CONNECTION callback: starts and ends the watch. */
void deadline_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
		     enum MHD_ConnectionNotificationCode code);
/* The connection's request has all its headers (headers_in true), or its
 * answer is complete and the wait for the next request begins (false). */
void deadline_mark(struct MHD_Connection *conn, bool headers_in);
/* Shuts down the connections past the limit; call about once a second. */
void deadline_sweep(void);

#endif
