-- Moderation (docs/moderation.md).
--
-- The audit log (features/audit.h): one row per moderation or admin
-- action, written in the action's transaction. kring only ever INSERTs
-- into it and SELECTs from it; no foreign key cascades into it, so
-- nothing removed elsewhere takes a row of it along.
CREATE TABLE IF NOT EXISTS audit_log (
	id INTEGER PRIMARY KEY,
	actor_id INTEGER,
	action TEXT NOT NULL,
	subject_kind TEXT NOT NULL,
	subject_id INTEGER NOT NULL,
	community_id INTEGER,
	reason TEXT NOT NULL DEFAULT '',
	detail TEXT NOT NULL DEFAULT '{}',
	created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_log_community ON audit_log (community_id, id);
CREATE INDEX IF NOT EXISTS audit_log_actor ON audit_log (actor_id, id);

-- Reports of an item, a comment or a profile (features/reports.h). A
-- member has at most one open report on a subject; settling a subject
-- settles all of its open reports with one outcome.
CREATE TABLE IF NOT EXISTS reports (
	id INTEGER PRIMARY KEY,
	reporter_id INTEGER NOT NULL REFERENCES users(id),
	subject_kind TEXT NOT NULL CHECK (subject_kind IN ('item', 'comment', 'person')),
	subject_id INTEGER NOT NULL,
	community_id INTEGER REFERENCES communities(id),
	author_id INTEGER NOT NULL REFERENCES users(id),
	reason TEXT NOT NULL CHECK (reason IN ('spam', 'harassment', 'off_topic', 'confidential', 'other')),
	note TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	outcome TEXT CHECK (outcome IN ('dismissed', 'hidden', 'edited')),
	settled_by INTEGER REFERENCES users(id),
	settled_at INTEGER,
	settle_note TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX IF NOT EXISTS reports_one_open ON reports (reporter_id, subject_kind, subject_id)
	WHERE settled_at IS NULL;
CREATE INDEX IF NOT EXISTS reports_subject ON reports (subject_kind, subject_id);
CREATE INDEX IF NOT EXISTS reports_author ON reports (author_id);

-- Content a moderator hid (features/hidden.h): gone for everyone but its
-- author and moderators until it is shown again (auth/policy.h).
CREATE TABLE IF NOT EXISTS hidden_content (
	subject_kind TEXT NOT NULL CHECK (subject_kind IN ('item', 'comment')),
	subject_id INTEGER NOT NULL,
	hidden_by INTEGER REFERENCES users(id),
	hidden_at INTEGER NOT NULL,
	PRIMARY KEY (subject_kind, subject_id)
);
