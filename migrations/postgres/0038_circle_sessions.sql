-- Who attended a session of a circle (an event in a circle,
-- features/circle_sessions.h), as its hosts recorded it after the start:
-- a row per member present.
CREATE TABLE IF NOT EXISTS circle_attendance (
	item_id BIGINT NOT NULL REFERENCES items(id) ON DELETE CASCADE DEFERRABLE,
	user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE DEFERRABLE,
	recorded_by BIGINT REFERENCES users(id) ON DELETE SET NULL DEFERRABLE,
	recorded_at BIGINT NOT NULL,
	PRIMARY KEY (item_id, user_id)
);

-- The best practice a case's lessons were published as
-- (features/case_lessons.h): the case records it for the circle; the
-- article knows nothing of the case.
CREATE TABLE IF NOT EXISTS case_lessons_published (
	case_id BIGINT PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE DEFERRABLE,
	article_id BIGINT NOT NULL REFERENCES items(id) ON DELETE CASCADE DEFERRABLE,
	published_at BIGINT NOT NULL
);
