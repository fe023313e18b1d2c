-- Events (items of kind 'event'): talks, fikas with a topic, workshops and
-- meetups with sign-up. starts_at, ends_at and signup_deadline are UTC
-- seconds; timezone is the IANA zone they were entered in and are shown
-- in. capacity 0 is no limit; signup_closed is set when a host closes
-- sign-up by hand.
CREATE TABLE IF NOT EXISTS event_details (
	item_id INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
	event_type TEXT NOT NULL CHECK (event_type IN ('talk', 'fika', 'workshop', 'meetup')),
	starts_at INTEGER NOT NULL,
	ends_at INTEGER NOT NULL,
	timezone TEXT NOT NULL,
	location TEXT NOT NULL DEFAULT '',
	online_url TEXT NOT NULL DEFAULT '',
	capacity INTEGER NOT NULL DEFAULT 0,
	signup_deadline INTEGER,
	signup_closed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS event_details_starts ON event_details(starts_at);

-- Who answered an event: going, or waitlisted when it was full. The id
-- orders sign-ups: the waitlist is served lowest id first. Not going is
-- no row.
CREATE TABLE IF NOT EXISTS event_rsvps (
	id INTEGER PRIMARY KEY,
	item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	state TEXT NOT NULL CHECK (state IN ('going', 'waitlisted')),
	created_at INTEGER NOT NULL,
	UNIQUE (item_id, user_id)
);
CREATE INDEX IF NOT EXISTS event_rsvps_order ON event_rsvps(item_id, state, id);
