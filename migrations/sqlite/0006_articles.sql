-- Best practices: an item of kind 'article' (its title, and its summary as
-- the body) with these sections of its own.
CREATE TABLE articles (
	item_id INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
	situation TEXT NOT NULL DEFAULT '',
	approach TEXT NOT NULL DEFAULT '',
	results TEXT NOT NULL DEFAULT ''
);

-- The members to ask about an item, in the order its author gave.
CREATE TABLE item_contacts (
	item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	PRIMARY KEY (item_id, user_id)
);
CREATE INDEX item_contacts_user ON item_contacts(user_id);

-- The items an item names as related, in the order its author gave.
CREATE TABLE item_links (
	item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
	related_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	PRIMARY KEY (item_id, related_id)
);
CREATE INDEX item_links_related ON item_links(related_id);

-- A kind's own fields as they were at each revision, as JSON ('' for kinds
-- that have none).
ALTER TABLE item_revisions ADD COLUMN fields TEXT NOT NULL DEFAULT '';
