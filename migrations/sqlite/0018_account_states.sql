-- An account is active, suspended (reads, writes nothing but its own
-- account) or excluded (signed out everywhere, cannot sign in): the states
-- auth/policy.h decides with. SQLite cannot change a column's CHECK, so
-- the column is made again with the new one and takes the old one's name.
ALTER TABLE users ADD COLUMN account_state TEXT NOT NULL DEFAULT 'active'
	CHECK (account_state IN ('active', 'suspended', 'excluded'));
UPDATE users SET account_state = status;
ALTER TABLE users DROP COLUMN status;
ALTER TABLE users RENAME COLUMN account_state TO status;
