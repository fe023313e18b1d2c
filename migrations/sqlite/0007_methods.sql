-- The method book: an item of kind 'method' (its title, and its purpose as
-- the body) with the plan of a workshop or process. steps holds one step
-- per line, in order.
CREATE TABLE methods (
	item_id INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
	when_to_use TEXT NOT NULL DEFAULT '',
	duration_minutes INTEGER NOT NULL,
	group_min INTEGER NOT NULL,
	group_max INTEGER NOT NULL,
	materials TEXT NOT NULL DEFAULT '',
	steps TEXT NOT NULL,
	tips TEXT NOT NULL DEFAULT ''
);
CREATE INDEX methods_duration ON methods(duration_minutes);

-- "I used this": one mark per member and method, with a short note. A
-- mark made again is a new row, so the newest have the highest ids.
CREATE TABLE method_uses (
	id INTEGER PRIMARY KEY,
	method_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	note TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	UNIQUE (method_id, user_id)
);
CREATE INDEX method_uses_newest ON method_uses(method_id, id DESC);

-- Variations of a method that other members contributed.
CREATE TABLE method_variations (
	id INTEGER PRIMARY KEY,
	method_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
	author_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	title TEXT NOT NULL,
	body TEXT NOT NULL,
	created_at INTEGER NOT NULL
);
CREATE INDEX method_variations_method ON method_variations(method_id, id);
