-- Warnings and the graduated ladder (docs/moderation.md).
--
-- Warnings a moderator or a host gave a member (features/warnings.h),
-- with the reason the member reads and, where it was about something,
-- the subject and its community.
CREATE TABLE IF NOT EXISTS warnings (
	id INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	actor_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
	community_id INTEGER REFERENCES communities(id) ON DELETE SET NULL,
	subject_kind TEXT CHECK (subject_kind IN ('item', 'comment', 'person')),
	subject_id INTEGER,
	reason TEXT NOT NULL,
	created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS warnings_user ON warnings (user_id, created_at);

-- A posting cool-down the ladder put a member in (features/ladder.h): one
-- post, answer or comment per `minutes` until ends_at; last_post_at is
-- their latest within it.
CREATE TABLE IF NOT EXISTS posting_cooldowns (
	user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
	minutes INTEGER NOT NULL,
	ends_at INTEGER NOT NULL,
	last_post_at INTEGER,
	created_at INTEGER NOT NULL
);

-- Members the ladder put before the moderators for a decision on
-- exclusion (features/ladder.h); gone once a moderator decided to keep
-- them.
CREATE TABLE IF NOT EXISTS exclusion_flags (
	user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
	warnings INTEGER NOT NULL,
	flagged_at INTEGER NOT NULL
);
