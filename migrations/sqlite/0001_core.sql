-- Accounts, sessions, API tokens, rate limits and site settings.

CREATE TABLE users (
	id INTEGER PRIMARY KEY,
	handle TEXT NOT NULL UNIQUE COLLATE NOCASE,
	name TEXT NOT NULL,
	email TEXT NOT NULL UNIQUE COLLATE NOCASE,
	password_hash TEXT NOT NULL,
	role TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('admin', 'moderator', 'member')),
	status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
	locale TEXT CHECK (locale IN ('en', 'sv', 'nl')),
	created_at INTEGER NOT NULL
);

CREATE TABLE sessions (
	id INTEGER PRIMARY KEY,
	token_hash TEXT NOT NULL UNIQUE,
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	csrf_token TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	last_seen_at INTEGER NOT NULL,
	user_agent TEXT,
	ip TEXT
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
	id INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	token_hash TEXT NOT NULL UNIQUE,
	created_at INTEGER NOT NULL,
	last_used_at INTEGER
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

-- Fixed-window counters shared by every kring node on the same database.
CREATE TABLE rate_limits (
	key TEXT PRIMARY KEY,
	window_start INTEGER NOT NULL,
	count INTEGER NOT NULL
);

CREATE TABLE settings (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
