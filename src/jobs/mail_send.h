/*
 * mail_send: how a composed message (mail_format.h) leaves kring. With
 * --smtp-url it goes to that SMTP server through libcurl (STARTTLS when
 * the server offers it, or smtps://); without it, as for `make run`, it is
 * written as an .eml file to the mail directory (--mail-dir, else mail/
 * beside the SQLite file, or data/mail for PostgreSQL), where a newcomer
 * opens what would have been sent. The outbox (outbox.h) calls these from
 * the jobs worker.
 */
#ifndef KRING_MAIL_SEND_H
#define KRING_MAIL_SEND_H

#include <stdint.h>

struct arena;

/* NULL when --smtp-url, --mail-from and --base-url can be used, else what
 * is wrong with them (for the command line). */
const char *mail_config_problem(void);

/* The directory .eml files go to. */
const char *mail_directory(void);

/* Sends message (RFC 5322, CRLF line ends) from --mail-from to the address
 * over SMTP: NULL when the server took it, else why not (static or in a).
 * Gives up when the jobs worker stops. */
const char *mail_send_smtp(struct arena *a, const char *to_address, const char *message);

/* Writes message as the file "<date>-<id>.eml" in the mail directory
 * (made when missing), whole or not at all; *name gets the file's name (in
 * a). NULL when written, else why not. */
const char *mail_write_file(struct arena *a, int64_t id, int64_t created_at, const char *message,
			    const char **name);

/* libcurl's process-wide set-up before the jobs worker starts, and its
 * release after. */
void mail_send_setup(void);
void mail_send_cleanup(void);

#endif
