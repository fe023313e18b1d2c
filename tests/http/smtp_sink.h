/* smtp_sink: a real SMTP server on loopback for the tests of e-mail:
 * tests/http/smtp_sink.py (Debian's python3-aiosmtpd) run by /usr/bin/python3
 * in a process of its own, which stores each message it takes as an .eml
 * file in a temporary directory. The test points kring at it with
 * KRING_SMTP_URL and reads what arrived. Scripts are found under
 * $KRING_SRC/tests/http. */
#ifndef KRING_TEST_SMTP_SINK_H
#define KRING_TEST_SMTP_SINK_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct smtp_sink;

/* Starts the server and waits (at most 10 s) until it listens; NULL after
 * printing why when it cannot. */
struct smtp_sink *smtp_sink_start(void);
/* Stops it and removes its directory. NULL is fine. */
void smtp_sink_stop(struct smtp_sink *sink);

/* A test's set-up: starts a sink into *sink and then a server
 * (server_setup) on a test clock started at clock_start (0: the system
 * clock's time) that sends its mail to the sink. */
int smtp_server_setup(void **state, struct smtp_sink **sink, int64_t clock_start);
/* Its tear-down: stop (server_teardown or a test's own) and the sink. */
int smtp_server_teardown(void **state, struct smtp_sink **sink, int (*stop)(void **state));

/* "smtp://127.0.0.1:PORT" (lives as long as the sink). */
const char *smtp_sink_url(const struct smtp_sink *sink);
/* While failing, the server refuses every message with 451. */
void smtp_sink_fail(struct smtp_sink *sink, bool failing);
/* How many messages it took so far. */
int smtp_sink_count(const struct smtp_sink *sink);
/* Waits until at least n arrived or timeout_ms passed; returns the count. */
int smtp_sink_wait(const struct smtp_sink *sink, int n, int timeout_ms);
/* The path of message i (0 first), in a static buffer. */
const char *smtp_sink_file(const struct smtp_sink *sink, int i);

/* The e-mail in the file, read by Python's email package (mail_parse.py):
 * {"subject", "to", "to_name", "to_address", "from", "date", "message_id",
 * "mime_version", "content_type", "defects", "header_count", "raw_headers",
 * "crlf_only", "longest_line", "parts": [{"type", "charset", "encoding",
 * "defects", "content"}]}; the caller decrefs it. Fails the test when the
 * file cannot be read as an e-mail. */
json_t *mail_parse(const char *path);
/* How many messages the sink received for address whose subject contains
 * part; the plain text of the last into *text (held until teardown) when
 * text is not NULL. */
int smtp_sink_mails_to(const struct smtp_sink *sink, const char *address, const char *part, const char **text);
/* The same for a member signed up by the tests, handle@example.com. */
int smtp_sink_mails_to_member(const struct smtp_sink *sink, const char *handle, const char *part,
			      const char **text);
/* The text of the part of that type ("text/plain"), or NULL. */
const char *mail_part(json_t *mail, const char *type);

#endif
