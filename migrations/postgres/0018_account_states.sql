-- An account is active, suspended (reads, writes nothing but its own
-- account) or excluded (signed out everywhere, cannot sign in): the states
-- auth/policy.h decides with.
ALTER TABLE users DROP CONSTRAINT users_status_check;
ALTER TABLE users ADD CONSTRAINT users_status_check CHECK (status IN ('active', 'suspended', 'excluded'));
