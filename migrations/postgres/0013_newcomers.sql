-- Reactions on comments, as on items: one row per member and kind
-- (features/comments.h).
CREATE TABLE comment_reactions (
	comment_id BIGINT NOT NULL REFERENCES comments(id) ON DELETE CASCADE DEFERRABLE,
	user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE DEFERRABLE,
	kind TEXT NOT NULL CHECK (kind IN ('like', 'thanks', 'insightful')),
	created_at BIGINT NOT NULL,
	PRIMARY KEY (comment_id, user_id, kind)
);

-- Members who put away the first-visit start of the home page before
-- finishing it (features/home.c).
CREATE TABLE home_start_dismissed (
	user_id BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE DEFERRABLE,
	dismissed_at BIGINT NOT NULL
);
