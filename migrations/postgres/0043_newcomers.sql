-- Pre-moderation of newcomers' posts (features/premoderation.h): the
-- site's choice (scope_id 0) and each community's, which can only add
-- protection. mode: off, newcomers (a member's first first_posts posts)
-- or links (those, and every post with a link).
CREATE TABLE IF NOT EXISTS premoderation_settings (
	scope_id BIGINT PRIMARY KEY,
	mode TEXT NOT NULL,
	first_posts INTEGER NOT NULL
);

-- Posts (items, answers too, and comments) held for a moderator's
-- approval: one row while waiting (state 'waiting') or after a rejection
-- (state 'rejected', with its reason); gone once approved.
CREATE TABLE IF NOT EXISTS pending_posts (
	subject_kind TEXT NOT NULL,
	subject_id BIGINT NOT NULL,
	item_id BIGINT NOT NULL,
	author_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE DEFERRABLE,
	community_id BIGINT REFERENCES communities(id) ON DELETE CASCADE DEFERRABLE,
	reason TEXT NOT NULL,
	state TEXT NOT NULL DEFAULT 'waiting',
	rejection TEXT,
	held_at BIGINT NOT NULL,
	PRIMARY KEY (subject_kind, subject_id)
);
CREATE INDEX IF NOT EXISTS pending_posts_waiting ON pending_posts (state, community_id);

-- The code of conduct (features/conduct.h): every version an admin
-- published, and which version each member accepted.
CREATE TABLE IF NOT EXISTS conduct_versions (
	number BIGINT PRIMARY KEY,
	body TEXT NOT NULL,
	author_id BIGINT REFERENCES users(id) ON DELETE SET NULL DEFERRABLE,
	created_at BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS conduct_acceptances (
	user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE DEFERRABLE,
	version INTEGER NOT NULL,
	accepted_at BIGINT NOT NULL,
	PRIMARY KEY (user_id, version)
);
