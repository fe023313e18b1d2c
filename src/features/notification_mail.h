/*
 * notification_mail: notifications a member wants by e-mail at once
 * (features/mail_settings.h). The notifications subscriber queues a
 * "notification_mail" job for each event that told someone, in the
 * write's transaction; the job, after the write has committed, writes one
 * message per notification whose member wants its kind at once and has
 * not read it yet, with what was written, a link to it, and a one-click
 * unsubscribe link for that kind. Each notification is mailed once
 * (the notification_mails table, which belongs here), however often the
 * job runs.
 */
#ifndef KRING_NOTIFICATION_MAIL_H
#define KRING_NOTIFICATION_MAIL_H

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db;
struct job;

/* The "notification_mail" job's work (payload {"event": id}). */
const char *notification_mail_send(struct db *db, struct arena *a, const struct job *job, int64_t now);

#endif
