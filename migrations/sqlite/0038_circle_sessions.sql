-- Who attended a session of a circle (an event in a circle,
-- features/circle_sessions.h), as its hosts recorded it after the start:
-- a row per member present.
CREATE TABLE IF NOT EXISTS circle_attendance (
	item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	recorded_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
	recorded_at INTEGER NOT NULL,
	PRIMARY KEY (item_id, user_id)
);

-- The best practice a case's lessons were published as
-- (features/case_lessons.h): the case records it for the circle; the
-- article knows nothing of the case.
CREATE TABLE IF NOT EXISTS case_lessons_published (
	case_id INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
	article_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
	published_at INTEGER NOT NULL
);
