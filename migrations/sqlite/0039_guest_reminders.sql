-- The guests of events reminded the day before (features/guests.h), each
-- once: a row is written in the transaction that queues the mail.
CREATE TABLE IF NOT EXISTS guest_reminders (
	guest_id INTEGER PRIMARY KEY REFERENCES event_guests(id) ON DELETE CASCADE,
	sent_at INTEGER NOT NULL
);
