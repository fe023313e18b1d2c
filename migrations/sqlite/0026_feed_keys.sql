-- The secret of a member's personal feed (features/feeds.h): its address
-- is /feed/{secret}, which reads what the member follows with their rights.
-- A new secret replaces the old one, whose address then answers 404.
CREATE TABLE IF NOT EXISTS feed_keys (
	user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
	secret TEXT NOT NULL UNIQUE,
	created_at INTEGER NOT NULL
);
