/* server: the HTTP server (libmicrohttpd with an epoll thread pool) and the
 * life of a request from its first byte to the access-log line. */
#ifndef KRING_SERVER_H
#define KRING_SERVER_H

#include <stdbool.h>

struct db;

/* Serves until SIGINT or SIGTERM, then finishes the requests in flight and
 * closes the databases. Returns the process exit code. */
int server_run(void);

/* This worker thread's database connection, opened on first use; NULL when
 * the database cannot be opened. */
struct db *server_thread_db(void);

/* Applies the migrations (verbose: names each), renames the tags that are
 * spelt otherwise now and readies the search index; false, with a message
 * on standard error, when one of them fails. Defined at the top level
 * (src/start.c). */
bool start_database(struct db *db, bool verbose);

#endif
