-- Events their hosts cancelled (features/event_cancel.h): when, and by
-- whom. An event without a row is on. (A table of its own rather than a
-- column of event_details, so that the migration can run again.)
CREATE TABLE IF NOT EXISTS event_cancellations (
	item_id INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
	cancelled_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
	cancelled_at INTEGER NOT NULL
);

-- The secrets of a member's personal feeds (features/feeds.h), one per
-- feed: 'atom', what they follow at /feed/{secret}, and 'calendar', the
-- events they go to at /calendar/{secret}/events.ics. A new secret
-- replaces the feed's old one, whose address then answers 404. The table
-- had one secret per member (the Atom feed's); it is made anew with the
-- feed in its key.
CREATE TABLE IF NOT EXISTS member_feed_keys (
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	feed TEXT NOT NULL CHECK (feed IN ('atom', 'calendar')),
	secret TEXT NOT NULL UNIQUE,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (user_id, feed)
);
INSERT INTO member_feed_keys (user_id, feed, secret, created_at)
	SELECT user_id, 'atom', secret, created_at FROM feed_keys WHERE true ON CONFLICT DO NOTHING;
DROP TABLE feed_keys;
ALTER TABLE member_feed_keys RENAME TO feed_keys;
