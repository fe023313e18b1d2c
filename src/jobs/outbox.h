/*
 * outbox: every e-mail kring sends. outbox_add composes the message
 * (mail_format.h) and stores it in the mail_outbox table with a "mail" job
 * to send it, both on the caller's connection and so in the transaction of
 * the write that causes it: a rolled-back write sends nothing. The jobs
 * worker runs the job (outbox_send): one node at a time claims it, and a
 * message the SMTP server refused is tried again with the jobs' backoff;
 * each attempt and its error are recorded on the message, which admins see
 * at /admin/mail.
 */
#ifndef KRING_OUTBOX_H
#define KRING_OUTBOX_H

#include "db/db.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct arena;
struct job;

/* What one message says, in the recipient's language already. */
struct outbox_message {
	const char *kind;    /* what it is, for the admins: "password_reset", … */
	int64_t user_id;     /* the recipient's account, or 0 */
	const char *to_name; /* may be NULL */
	const char *to_address;
	const char *subject;
	const char *text;    /* the plain-text part */
	const char *html;    /* the HTML part, a whole document */
	/* The one-click unsubscribe address of this kind of message (RFC
	 * 8058), or NULL for a message the recipient cannot turn off (a
	 * password reset). */
	const char *unsubscribe_url;
};

/* Queues the message, from --mail-from in the site's name, at the time now.
 * False on a database error. An address that cannot be sent to (not
 * mail_address_ok) queues nothing and is logged: the write goes on. */
DB_MUST_CHECK bool outbox_add(struct db *db, const struct outbox_message *m, int64_t now);

/* The "mail" job's work (payload {"mail": id}): sends the message over
 * SMTP, or writes it as an .eml file without --smtp-url. */
const char *outbox_send(struct db *db, struct arena *a, const struct job *job, int64_t now);

/* Deletes the messages sent or given up before the time `before`
 * (maintenance); returns how many, or -1 on a database error. */
int64_t outbox_purge(struct db *db, int64_t before);

/* The most recent messages, newest first: [{"id", "kind", "to", "subject",
 * "state" ("queued", "retrying", "sent", "failed"), "attempts",
 * "last_error", "created_at", "sent_at", "sent_to", "file"}]; file is the
 * .eml file's name when it was written to one. */
json_t *outbox_recent(struct db *db, int limit);

#endif
