/* server: the HTTP server (libmicrohttpd with an epoll thread pool) and the
 * life of a request from its first byte to the access-log line. */
#ifndef KRING_SERVER_H
#define KRING_SERVER_H

struct db;

/* Serves until SIGINT or SIGTERM, then finishes the requests in flight and
 * closes the databases. Returns the process exit code. */
int server_run(void);

/* This worker thread's database connection, opened on first use; NULL when
 * the database cannot be opened. */
struct db *server_thread_db(void);

#endif
