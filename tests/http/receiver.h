/* receiver: a tiny HTTP server for tests that point kring at an address of
 * their own, such as the site's webhook. A thread listens on a free
 * loopback port, reads one request per connection (the request line and
 * headers, then Content-Length bytes of body), records it and answers with
 * an empty response of a status the test chooses; the test then checks what
 * arrived.
 *
 * Connections are served one at a time, each given at most a few seconds,
 * so a stuck client delays the rest but cannot stop them. Everything is
 * kept until receiver_stop, however many requests arrive, and the functions
 * may be called while requests are arriving. */
#ifndef KRING_TEST_RECEIVER_H
#define KRING_TEST_RECEIVER_H

#include <stddef.h>

struct receiver;

/* Starts listening on a free port on 127.0.0.1, answering 200; NULL on failure. */
struct receiver *receiver_start(void);

/* Stops the thread, closes the socket, frees everything it recorded. NULL is fine. */
void receiver_stop(struct receiver *rc);

int receiver_port(const struct receiver *rc);

/* The status later requests are answered with (200 or e.g. 500). */
void receiver_answer_with(struct receiver *rc, int status);

/* How many requests arrived so far. */
int receiver_count(struct receiver *rc);

/* Waits until at least n requests arrived or timeout_ms passed; returns the count. */
int receiver_wait(struct receiver *rc, int n, int timeout_ms);

/* Request i's method, path and body (owned by the receiver, valid until
 * receiver_stop), or NULL when i is out of range. Requests are numbered from
 * 0 in the order they arrived. */
const char *receiver_method(struct receiver *rc, int i);
const char *receiver_path(struct receiver *rc, int i);
const char *receiver_body(struct receiver *rc, int i);

/* The value of header `name` (case-insensitive) of request i, copied into buf
 * (cut to len - 1 characters); NULL if absent or i is out of range. */
const char *receiver_header(struct receiver *rc, int i, const char *name, char *buf, size_t len);

#endif
