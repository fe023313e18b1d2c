-- What members follow (features/follows.h): a tag, a community, a person
-- or a thread (an item; an answer's is its question). target_id names a
-- row of tags, communities, users or items by kind; it is no foreign key,
-- so that one table holds every kind. Who follows something is read by
-- follows_target, what a member follows by the primary key.
CREATE TABLE IF NOT EXISTS follows (
	user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE DEFERRABLE,
	kind TEXT NOT NULL CHECK (kind IN ('tag', 'community', 'person', 'item')),
	target_id BIGINT NOT NULL,
	created_at BIGINT NOT NULL,
	PRIMARY KEY (user_id, kind, target_id)
);
CREATE INDEX IF NOT EXISTS follows_target ON follows(kind, target_id, user_id);

-- A member's choices about following; no row: the defaults (the threads
-- they write, answer or comment on are followed).
CREATE TABLE IF NOT EXISTS follow_settings (
	user_id BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE DEFERRABLE,
	auto_follow INTEGER NOT NULL DEFAULT 1
);
