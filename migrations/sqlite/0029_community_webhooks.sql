-- Webhooks of a community (features/community_webhooks.h), set by its
-- hosts: where to post (url), in which format ("slack", "mattermost" or
-- "json", the signed JSON of the site webhook, whose secret is kept here to
-- sign with), for which of the community's events, and whether it is on.
CREATE TABLE IF NOT EXISTS community_webhooks (
	id INTEGER PRIMARY KEY,
	community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
	url TEXT NOT NULL,
	format TEXT NOT NULL,
	secret TEXT,
	on_questions INTEGER NOT NULL DEFAULT 0,
	on_answers INTEGER NOT NULL DEFAULT 0,
	on_accepted INTEGER NOT NULL DEFAULT 0,
	on_best_practices INTEGER NOT NULL DEFAULT 0,
	enabled INTEGER NOT NULL DEFAULT 1,
	created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
	created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS community_webhooks_community ON community_webhooks(community_id);

-- The attempts to deliver to each hook, the newest kept: when, which
-- event, the receiver's HTTP status (NULL when none came back) and why it
-- failed (NULL when it did not).
CREATE TABLE IF NOT EXISTS community_webhook_attempts (
	id INTEGER PRIMARY KEY,
	hook_id INTEGER NOT NULL REFERENCES community_webhooks(id) ON DELETE CASCADE,
	event TEXT NOT NULL,
	attempted_at INTEGER NOT NULL,
	status INTEGER,
	error TEXT
);
CREATE INDEX IF NOT EXISTS community_webhook_attempts_hook ON community_webhook_attempts(hook_id, id);
