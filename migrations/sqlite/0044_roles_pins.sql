-- Ambassadors of a community (features/ambassadors.h): members its hosts
-- asked to welcome newcomers and pin posts to start with. A table of its
-- own rather than a third value of memberships.role: a member may be an
-- ambassador and a host's rules (the last host, who runs the community)
-- stay as they are, and SQLite cannot widen the role's CHECK without
-- rebuilding memberships, which many tables refer to. A row counts only
-- while its member is an active member of the community.
CREATE TABLE IF NOT EXISTS community_ambassadors (
	community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	granted_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (community_id, user_id)
);

-- Posts pinned as "start here" on a community's page (features/pins.h),
-- shown in the order of position.
CREATE TABLE IF NOT EXISTS community_pins (
	item_id INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
	community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	pinned_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
	created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS community_pins_order ON community_pins (community_id, position);

-- Communities whose hosts publish their moderation log
-- (features/moderation_log.h): a row while it is public.
CREATE TABLE IF NOT EXISTS community_public_logs (
	community_id INTEGER PRIMARY KEY REFERENCES communities(id) ON DELETE CASCADE,
	turned_on_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
	created_at INTEGER NOT NULL
);
