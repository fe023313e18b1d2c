-- The outbox (jobs/outbox.h): every e-mail kring sends, stored with the
-- write that causes it (a rolled-back write sends nothing) and sent by a
-- "mail" job of the jobs worker, once across nodes, with retries. message
-- is the whole RFC 5322 message; it is emptied once sent, so that links in
-- it (a password reset) live on only in the recipient's mailbox. sent_to
-- says where it went: "smtp", or the .eml file's name under the mail
-- directory.
CREATE TABLE IF NOT EXISTS mail_outbox (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL,
	user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
	to_address TEXT NOT NULL,
	subject TEXT NOT NULL,
	message TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	attempts INTEGER NOT NULL DEFAULT 0,
	last_attempt_at INTEGER,
	last_error TEXT,
	sent_at INTEGER,
	sent_to TEXT,
	failed_at INTEGER
);

-- Password reset links (features/password_reset.h): only the SHA-256 of
-- the token is kept. A link is valid until expires_at, and once: using it
-- deletes it, with the account's other links.
CREATE TABLE IF NOT EXISTS password_resets (
	token_hash TEXT PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS password_resets_user ON password_resets(user_id);
