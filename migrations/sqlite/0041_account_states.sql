-- What a moderator decided about an account that is not active
-- (auth/account_states.h): why, until when a suspension lasts, and
-- whether an excluded member's posts are hidden. One row per account
-- while users.status is 'suspended' or 'excluded'; gone when reinstated.
CREATE TABLE IF NOT EXISTS account_states (
	user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
	reason TEXT NOT NULL,
	ends_at INTEGER,
	hides_content INTEGER NOT NULL DEFAULT 0,
	actor_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
	created_at INTEGER NOT NULL
);

-- Members a community's hosts (or an admin) removed and banned
-- (features/community_bans.h): they cannot join, ask to join or be
-- invited until the ban is lifted.
CREATE TABLE IF NOT EXISTS community_bans (
	community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	reason TEXT NOT NULL,
	actor_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (community_id, user_id)
);
