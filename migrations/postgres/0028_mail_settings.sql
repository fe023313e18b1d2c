-- How each member hears of each kind of notification by e-mail
-- (features/mail_settings.h): pace is 'immediately', 'daily', 'weekly' or
-- 'off'. A kind without a row has its default.
CREATE TABLE IF NOT EXISTS mail_settings (
	user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE DEFERRABLE,
	kind TEXT NOT NULL,
	pace TEXT NOT NULL,
	PRIMARY KEY (user_id, kind)
);

-- The secret of a member's unsubscribe links, /unsubscribe/{secret}/{list}
-- (features/mail_settings.h): made with the first message that has one.
CREATE TABLE IF NOT EXISTS unsubscribe_keys (
	user_id BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE DEFERRABLE,
	secret TEXT NOT NULL UNIQUE,
	created_at BIGINT NOT NULL
);

-- Where each member's daily and weekly digests stand (features/digests.h):
-- when the last one was made and the last notification it looked at.
CREATE TABLE IF NOT EXISTS digests (
	user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE DEFERRABLE,
	pace TEXT NOT NULL,
	sent_at BIGINT NOT NULL,
	last_notification_id BIGINT NOT NULL,
	PRIMARY KEY (user_id, pace)
);

-- When a notification went out by e-mail on its own (paced
-- 'immediately'); a digest leaves those out. Digests look for the
-- notifications of the last day or week.
ALTER TABLE notifications ADD COLUMN mailed_at BIGINT;
CREATE INDEX IF NOT EXISTS notifications_created ON notifications(created_at);
