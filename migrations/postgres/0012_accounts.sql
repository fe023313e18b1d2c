-- Hardening of sign-in and API tokens. PostgreSQL twin of
-- migrations/sqlite/0012_accounts.sql.

-- What an API token may do (auth/apitoken.h): a comma-separated list of
-- read, write and account. Tokens made before scopes existed keep read and
-- write; minting tokens or changing the account takes a new token.
ALTER TABLE api_tokens ADD COLUMN scopes TEXT NOT NULL DEFAULT 'read,write';

-- Growing delays (ratelimit_backoff): no attempt under the key is let
-- through before next_at.
ALTER TABLE rate_limits ADD COLUMN next_at BIGINT NOT NULL DEFAULT 0;

-- The addresses each member signed in from (auth/loginlimit.h): from these
-- the account's guessing delays do not hold the owner back.
CREATE TABLE login_addresses (
	user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE DEFERRABLE,
	ip TEXT NOT NULL,
	last_at BIGINT NOT NULL,
	PRIMARY KEY (user_id, ip)
);
CREATE INDEX login_addresses_last ON login_addresses(last_at);
