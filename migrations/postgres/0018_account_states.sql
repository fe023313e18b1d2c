-- An account is active, suspended (reads, writes nothing but its own
-- account) or excluded (signed out everywhere, cannot sign in): the states
-- auth/policy.h decides with. The column is made again, as SQLite must,
-- so that the users table has its columns in the same order on both
-- backends (kring migrate-data compares them row by row).
ALTER TABLE users ADD COLUMN account_state TEXT NOT NULL DEFAULT 'active'
	CHECK (account_state IN ('active', 'suspended', 'excluded'));
UPDATE users SET account_state = status;
ALTER TABLE users DROP COLUMN status;
ALTER TABLE users RENAME COLUMN account_state TO status;
