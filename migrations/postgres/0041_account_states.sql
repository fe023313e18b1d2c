-- What a moderator decided about an account that is not active
-- (auth/account_states.h): why, until when a suspension lasts, and
-- whether an excluded member's posts are hidden. One row per account
-- while users.status is 'suspended' or 'excluded'; gone when reinstated.
CREATE TABLE IF NOT EXISTS account_states (
	user_id BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE DEFERRABLE,
	reason TEXT NOT NULL,
	ends_at BIGINT,
	hides_content INTEGER NOT NULL DEFAULT 0,
	actor_id BIGINT REFERENCES users(id) ON DELETE SET NULL DEFERRABLE,
	created_at BIGINT NOT NULL
);

-- Members a community's hosts (or an admin) removed and banned
-- (features/community_bans.h): they cannot join, ask to join or be
-- invited until the ban is lifted.
CREATE TABLE IF NOT EXISTS community_bans (
	community_id BIGINT NOT NULL REFERENCES communities(id) ON DELETE CASCADE DEFERRABLE,
	user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE DEFERRABLE,
	reason TEXT NOT NULL,
	actor_id BIGINT REFERENCES users(id) ON DELETE SET NULL DEFERRABLE,
	created_at BIGINT NOT NULL,
	PRIMARY KEY (community_id, user_id)
);
