-- Organisations, profiles, expertise, communities, items, comments, reactions.

CREATE TABLE orgs (
	id INTEGER PRIMARY KEY,
	slug TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	website TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);

-- Profile fields. languages is a comma-separated list of language codes.
ALTER TABLE users ADD COLUMN org_id INTEGER REFERENCES orgs(id) ON DELETE SET NULL;
ALTER TABLE users ADD COLUMN title TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN bio TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN ask_me_about TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN location TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN languages TEXT NOT NULL DEFAULT '';
CREATE INDEX users_org ON users(org_id);

-- Tags are normalised (lower case, words joined by hyphens) before they
-- are stored, so "Fika with a topic" and "fika-with-a-topic" are one tag.
CREATE TABLE tags (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE
);

CREATE TABLE expertise (
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	tag_id INTEGER NOT NULL REFERENCES tags(id),
	level TEXT NOT NULL CHECK (level IN ('learning', 'practising', 'expert')),
	PRIMARY KEY (user_id, tag_id)
);
CREATE INDEX expertise_tag ON expertise(tag_id, level);

CREATE TABLE communities (
	id INTEGER PRIMARY KEY,
	slug TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	kind TEXT NOT NULL DEFAULT 'community' CHECK (kind IN ('community', 'circle')),
	visibility TEXT NOT NULL CHECK (visibility IN ('public', 'members', 'private')),
	join_policy TEXT NOT NULL CHECK (join_policy IN ('open', 'request', 'invite')),
	language TEXT NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'sv', 'nl')),
	archived_at INTEGER,
	created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);

-- state: active members, requests waiting for a host, invitations waiting
-- for the invitee.
CREATE TABLE memberships (
	community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	role TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'host')),
	state TEXT NOT NULL CHECK (state IN ('active', 'requested', 'invited')),
	invited_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (community_id, user_id)
);
CREATE INDEX memberships_user ON memberships(user_id, state);

-- Everything people share. community_id is NULL for updates on a profile;
-- parent_id links an answer to its question. Counts are kept here so lists
-- need no aggregation; activity_at orders "recently active".
CREATE TABLE items (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL CHECK (kind IN ('update', 'question', 'answer', 'article', 'method',
					   'event', 'case', 'offer', 'request')),
	community_id INTEGER REFERENCES communities(id),
	author_id INTEGER NOT NULL REFERENCES users(id),
	org_id INTEGER REFERENCES orgs(id) ON DELETE SET NULL,
	parent_id INTEGER REFERENCES items(id),
	title TEXT NOT NULL DEFAULT '',
	body TEXT NOT NULL DEFAULT '',
	language TEXT NOT NULL DEFAULT 'en',
	needed_by INTEGER,
	accepted_answer_id INTEGER REFERENCES items(id),
	answer_count INTEGER NOT NULL DEFAULT 0,
	comment_count INTEGER NOT NULL DEFAULT 0,
	reaction_count INTEGER NOT NULL DEFAULT 0,
	created_at INTEGER NOT NULL,
	activity_at INTEGER NOT NULL,
	edited_at INTEGER,
	deleted_at INTEGER,
	deleted_by INTEGER REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX items_community ON items(community_id, created_at DESC, id DESC);
CREATE INDEX items_kind ON items(kind, created_at DESC, id DESC);
CREATE INDEX items_kind_activity ON items(kind, activity_at DESC, id DESC);
CREATE INDEX items_parent ON items(parent_id, created_at);
CREATE INDEX items_author ON items(author_id, created_at DESC, id DESC);
CREATE INDEX items_org ON items(org_id, created_at DESC, id DESC);

CREATE TABLE item_tags (
	item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
	tag_id INTEGER NOT NULL REFERENCES tags(id),
	PRIMARY KEY (item_id, tag_id)
);
CREATE INDEX item_tags_tag ON item_tags(tag_id, item_id DESC);

-- Every version of an item's text, the first included: who wrote it, when.
CREATE TABLE item_revisions (
	id INTEGER PRIMARY KEY,
	item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
	editor_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
	title TEXT NOT NULL,
	body TEXT NOT NULL,
	tags TEXT NOT NULL,
	created_at INTEGER NOT NULL
);
CREATE INDEX item_revisions_item ON item_revisions(item_id, id);

CREATE TABLE comments (
	id INTEGER PRIMARY KEY,
	item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
	author_id INTEGER NOT NULL REFERENCES users(id),
	body TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	edited_at INTEGER,
	deleted_at INTEGER
);
CREATE INDEX comments_item ON comments(item_id, id);

CREATE TABLE reactions (
	item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	kind TEXT NOT NULL CHECK (kind IN ('like', 'thanks', 'insightful')),
	created_at INTEGER NOT NULL,
	PRIMARY KEY (item_id, user_id, kind)
);
