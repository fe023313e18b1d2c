-- Reminders the day before an event (features/event_reminders.h): one row
-- per event and member reminded, written in the transaction that tells
-- them, so that each is reminded once however often the job runs.
CREATE TABLE IF NOT EXISTS event_reminders (
	item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	sent_at INTEGER NOT NULL,
	PRIMARY KEY (item_id, user_id)
);

-- Messages an event's hosts wrote to those going (and, when audience says
-- so, the waitlist) (features/event_messages.h); recipients is how many
-- were told.
CREATE TABLE IF NOT EXISTS event_messages (
	id INTEGER PRIMARY KEY,
	item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
	author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
	audience TEXT NOT NULL CHECK (audience IN ('going', 'going_and_waitlist')),
	subject TEXT NOT NULL,
	body TEXT NOT NULL,
	recipients INTEGER NOT NULL DEFAULT 0,
	created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS event_messages_item ON event_messages(item_id, id);

-- The kinds of events an admin added, and the names they gave or the
-- retirement of the built-in ones (talk, fika, workshop, meetup, which
-- need no row) (features/event_types.h). A name left empty is the
-- built-in's translated one, or the English one. A retired kind stays on
-- the events that have it but is no longer offered.
CREATE TABLE IF NOT EXISTS event_types (
	code TEXT PRIMARY KEY,
	name_en TEXT NOT NULL DEFAULT '',
	name_sv TEXT NOT NULL DEFAULT '',
	name_nl TEXT NOT NULL DEFAULT '',
	retired_at INTEGER,
	created_at INTEGER NOT NULL
);

-- event_details loses its CHECK on event_type (the kinds are the table
-- above now). SQLite cannot drop a constraint: the table is built again
-- with the same columns in the same order, its rows copied and its index
-- made again. The guard stops the migration, changing nothing, should
-- event_details have columns this copy does not know of.
CREATE TEMP TABLE event_details_guard (columns INTEGER CHECK (columns = 10));
INSERT INTO event_details_guard SELECT COUNT(*) FROM pragma_table_info('event_details');
DROP TABLE event_details_guard;
ALTER TABLE event_details RENAME TO event_details_old;
CREATE TABLE IF NOT EXISTS event_details (
	item_id INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
	event_type TEXT NOT NULL,
	starts_at INTEGER NOT NULL,
	ends_at INTEGER NOT NULL,
	timezone TEXT NOT NULL,
	location TEXT NOT NULL DEFAULT '',
	online_url TEXT NOT NULL DEFAULT '',
	capacity INTEGER NOT NULL DEFAULT 0,
	signup_deadline INTEGER,
	signup_closed INTEGER NOT NULL DEFAULT 0
);
INSERT INTO event_details (item_id, event_type, starts_at, ends_at, timezone, location, online_url, capacity,
			   signup_deadline, signup_closed)
	SELECT item_id, event_type, starts_at, ends_at, timezone, location, online_url, capacity, signup_deadline,
	       signup_closed FROM event_details_old;
DROP TABLE event_details_old;
CREATE INDEX IF NOT EXISTS event_details_starts ON event_details(starts_at);
