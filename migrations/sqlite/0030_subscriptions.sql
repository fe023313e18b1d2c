-- Subscriptions without an account (features/subscriptions.h): someone
-- gets the digest of a public community (community_id) or, with no
-- community, of the best-practice catalogue, by e-mail. email_key is the
-- address in lower case, one subscription per list and address. secret is
-- the subscription's authority, in the links of its mail (confirm,
-- unsubscribe); it is kept as it is, as every digest carries it. Nothing
-- is sent to the list before confirmed_at (double opt-in); an unconfirmed
-- subscription is dropped after 7 days. last_digest_at is the end of the
-- period the last digest covered (the confirmation's time at first).
CREATE TABLE IF NOT EXISTS subscriptions (
	id INTEGER PRIMARY KEY,
	community_id INTEGER REFERENCES communities(id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	email TEXT NOT NULL,
	email_key TEXT NOT NULL,
	pace TEXT NOT NULL CHECK (pace IN ('daily', 'weekly')),
	locale TEXT NOT NULL CHECK (locale IN ('en', 'sv', 'nl')),
	secret TEXT NOT NULL UNIQUE,
	created_at INTEGER NOT NULL,
	confirmed_at INTEGER,
	last_digest_at INTEGER
);
CREATE UNIQUE INDEX IF NOT EXISTS subscriptions_list_address ON subscriptions(COALESCE(community_id, 0), email_key);
CREATE INDEX IF NOT EXISTS subscriptions_due ON subscriptions(pace, last_digest_at) WHERE confirmed_at IS NOT NULL;
-- A community's digest reads what happened in it over a period.
CREATE INDEX IF NOT EXISTS events_community_time ON events(community_id, created_at) WHERE community_id IS NOT NULL;
