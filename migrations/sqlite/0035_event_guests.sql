-- Guests and claim windows for events (features/rsvp.h, guests.h).
-- place orders everyone who signed up for an event, members and guests
-- alike: seats and the waitlist are served lowest place first. A member's
-- place is given when they answer, a guest's when they confirm.
-- claim_by, when set, is the time by which someone promoted from the
-- waitlist must claim the seat (the event's claim window after the
-- promotion); NULL: the seat is theirs.
ALTER TABLE event_rsvps ADD COLUMN place INTEGER NOT NULL DEFAULT 0;
ALTER TABLE event_rsvps ADD COLUMN claim_by INTEGER;
UPDATE event_rsvps SET place = id;
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
