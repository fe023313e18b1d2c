/*
 * event_reminders: a reminder the day before an event to each member
 * going to it — the notification `reminder`, "Tomorrow: {title} at
 * {time}" with the time on the event's clock, linking to the event, and
 * by e-mail as the member chose for that kind (features/mail_settings.h).
 *
 * The hourly maintenance queues the "event_reminders" job (once across
 * nodes); it reminds those going to each event that starts within the next
 * REMINDER_AHEAD seconds and tomorrow on the event's clock (one who signs
 * up on the day is not reminded), unless the event is deleted, or the
 * member may no longer read it or has been excluded. Each member is
 * reminded once per event: the event_reminders table (which belongs here)
 * records it in the transaction that tells them (the event
 * reminder.sent), so a job run again, or on two nodes, reminds no one
 * twice; one who signs up after the others were reminded is reminded at
 * the next run. A job that could not run for a while catches up on the
 * events that are still tomorrow.
 */
#ifndef KRING_FEATURES_EVENT_REMINDERS_H
#define KRING_FEATURES_EVENT_REMINDERS_H

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db;
struct job;

/* How long before the start those going are reminded: a day. */
#define REMINDER_AHEAD (24 * 3600)

/* Queues this hour's "event_reminders" job (once across nodes). */
bool event_reminders_schedule(struct db *db, int64_t now);

/* The "event_reminders" job's work. */
const char *event_reminders_send(struct db *db, struct arena *a, const struct job *job, int64_t now);

#endif
