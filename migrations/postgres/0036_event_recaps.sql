-- The hosts and speakers an event names: members (user_id) or guests by
-- name (user_id NULL, name set), in the order given. A member named as a
-- host runs the event with its author (features/event_people.h).
CREATE TABLE IF NOT EXISTS event_people (
	item_id BIGINT NOT NULL REFERENCES items(id) ON DELETE CASCADE DEFERRABLE,
	role TEXT NOT NULL CHECK (role IN ('host', 'speaker')),
	position BIGINT NOT NULL,
	user_id BIGINT REFERENCES users(id) ON DELETE CASCADE DEFERRABLE,
	name TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (item_id, role, position)
);
CREATE INDEX IF NOT EXISTS event_people_member ON event_people(user_id, role);

-- What an event has besides its details: the method from the method book
-- it follows as its plan, and after it the hosts' recap (notes and what
-- was learned, Markdown) and the best practice drafted from it.
CREATE TABLE IF NOT EXISTS event_recaps (
	item_id BIGINT PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE DEFERRABLE,
	method_id BIGINT REFERENCES items(id) ON DELETE SET NULL DEFERRABLE,
	notes TEXT NOT NULL DEFAULT '',
	learned TEXT NOT NULL DEFAULT '',
	article_id BIGINT REFERENCES items(id) ON DELETE SET NULL DEFERRABLE
);
