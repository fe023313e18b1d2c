-- Guests and claim windows for events (features/rsvp.h, guests.h).
-- place orders everyone who signed up for an event, members and guests
-- alike: seats and the waitlist are served lowest place first. A member's
-- place is given when they answer, a guest's when they confirm.
-- claim_by, when set, is the time by which someone promoted from the
-- waitlist must claim the seat (the event's claim window after the
-- promotion); NULL: the seat is theirs.
-- SQLite adds a column only once (no ADD COLUMN IF NOT EXISTS), so the
-- table is built anew with them, which can run again: every place starts
-- as the order of sign-up.
CREATE TABLE IF NOT EXISTS event_rsvps_placed (
	id INTEGER PRIMARY KEY,
	item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	state TEXT NOT NULL CHECK (state IN ('going', 'waitlisted')),
	created_at INTEGER NOT NULL,
	place INTEGER NOT NULL DEFAULT 0,
	claim_by INTEGER,
	UNIQUE (item_id, user_id)
);
INSERT INTO event_rsvps_placed (id, item_id, user_id, state, created_at, place)
	SELECT id, item_id, user_id, state, created_at, id FROM event_rsvps;
DROP TABLE event_rsvps;
ALTER TABLE event_rsvps_placed RENAME TO event_rsvps;
CREATE INDEX IF NOT EXISTS event_rsvps_order ON event_rsvps(item_id, state, id);
CREATE INDEX IF NOT EXISTS event_rsvps_place ON event_rsvps(item_id, place);

-- The claim window a host gave an event, in hours; no row: none.
CREATE TABLE IF NOT EXISTS event_claim_windows (
	item_id INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
	hours INTEGER NOT NULL
);

-- Guests: people without an account who signed up for an event of a
-- public community with a name and an e-mail address (email_key: in lower
-- case, once per event). secret is the guest's authority, in the links of
-- their mail (confirm, cancel, claim). A guest is unconfirmed until they
-- confirm (double opt-in), then going or waitlisted like a member.
CREATE TABLE IF NOT EXISTS event_guests (
	id INTEGER PRIMARY KEY,
	item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	email TEXT NOT NULL,
	email_key TEXT NOT NULL,
	locale TEXT NOT NULL CHECK (locale IN ('en', 'sv', 'nl')),
	secret TEXT NOT NULL UNIQUE,
	state TEXT NOT NULL CHECK (state IN ('unconfirmed', 'going', 'waitlisted')),
	place INTEGER NOT NULL DEFAULT 0,
	claim_by INTEGER,
	created_at INTEGER NOT NULL,
	confirmed_at INTEGER,
	UNIQUE (item_id, email_key)
);
CREATE INDEX IF NOT EXISTS event_guests_place ON event_guests(item_id, state, place);
