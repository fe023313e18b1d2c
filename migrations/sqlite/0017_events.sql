-- What happened, one row per write's event (jobs/events.h, docs/events.md),
-- stored in the write's transaction. The ids name what it happened to; they
-- are not foreign keys, so that the record outlives what it names.
CREATE TABLE IF NOT EXISTS events (
	id INTEGER PRIMARY KEY,
	type TEXT NOT NULL,
	actor_id INTEGER,
	community_id INTEGER,
	item_id INTEGER,
	member_id INTEGER,
	object_id INTEGER,
	created_at INTEGER NOT NULL,
	payload TEXT NOT NULL DEFAULT '{}'
);
-- A queued subscriber's job names its event by id (the primary key); what
-- happened to an item or in a community, newest first, is read by these.
CREATE INDEX IF NOT EXISTS events_item ON events(item_id, id) WHERE item_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS events_community ON events(community_id, id) WHERE community_id IS NOT NULL;

-- Webhook jobs are now queued per event (kind "webhook", payload
-- {"event": id}); those queued before, in the older form, are given up.
UPDATE jobs SET failed_at = created_at, last_error = 'queued before events; not sent'
	WHERE kind = 'webhook' AND done_at IS NULL AND failed_at IS NULL;
