-- What a circle (a community of kind 'circle', features/circles.h) has
-- beyond a community: how many may be in it (active members and
-- invitations), what it is for, how often it meets, and the working form
-- from the method book it follows.
CREATE TABLE IF NOT EXISTS circles (
	community_id INTEGER PRIMARY KEY REFERENCES communities(id) ON DELETE CASCADE,
	member_limit INTEGER NOT NULL DEFAULT 8,
	purpose TEXT NOT NULL DEFAULT '',
	cadence TEXT NOT NULL DEFAULT '',
	method_id INTEGER REFERENCES items(id) ON DELETE SET NULL
);

-- A case brought to a circle (features/cases.h): the question to the
-- circle, the round it is in (clarifying, analysis, advice, reflection,
-- closed) and, once closed, the lessons learned.
CREATE TABLE IF NOT EXISTS cases (
	item_id INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
	question TEXT NOT NULL,
	round TEXT NOT NULL DEFAULT 'clarifying'
		CHECK (round IN ('clarifying', 'analysis', 'advice', 'reflection', 'closed')),
	lessons TEXT NOT NULL DEFAULT ''
);

-- The round each contribution to a case (a comment) was made in.
CREATE TABLE IF NOT EXISTS case_contributions (
	comment_id INTEGER PRIMARY KEY REFERENCES comments(id) ON DELETE CASCADE,
	item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
	round TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS case_contributions_item ON case_contributions(item_id, round);
