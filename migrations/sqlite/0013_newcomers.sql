-- Reactions on comments, as on items: one row per member and kind
-- (features/comments.h).
CREATE TABLE comment_reactions (
	comment_id INTEGER NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	kind TEXT NOT NULL CHECK (kind IN ('like', 'thanks', 'insightful')),
	created_at INTEGER NOT NULL,
	PRIMARY KEY (comment_id, user_id, kind)
);

-- Members who put away the first-visit start of the home page before
-- finishing it (features/home.c).
CREATE TABLE home_start_dismissed (
	user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
	dismissed_at INTEGER NOT NULL
);
