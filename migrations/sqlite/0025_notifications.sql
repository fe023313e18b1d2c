-- Notifications in the site (features/notifications.h): one row per member
-- told about one event, made in the write's transaction. kind says what
-- it tells (mention, answer, comment, accepted, post, join_request,
-- invitation); item_id, comment_id and community_id name what it is about,
-- thread_id the question or post it links to, and are no foreign keys: a
-- notification whose item or comment is gone or hidden is left out when
-- read. read_at is NULL until the member has seen it.
CREATE TABLE IF NOT EXISTS notifications (
	id INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	kind TEXT NOT NULL,
	event_id INTEGER NOT NULL,
	actor_id INTEGER,
	community_id INTEGER,
	item_id INTEGER,
	thread_id INTEGER,
	comment_id INTEGER,
	created_at INTEGER NOT NULL,
	read_at INTEGER,
	UNIQUE (user_id, event_id)
);
CREATE INDEX IF NOT EXISTS notifications_user ON notifications(user_id, id);
-- The count in every member page's header: their unread ones only.
CREATE INDEX IF NOT EXISTS notifications_unread ON notifications(user_id) WHERE read_at IS NULL;
