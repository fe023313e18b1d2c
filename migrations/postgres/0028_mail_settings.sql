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

-- The notifications that went out by e-mail on their own (paced
-- 'immediately', features/notification_mail.h); a digest leaves them out.
-- Digests look for the notifications of the last day or week.
CREATE TABLE IF NOT EXISTS notification_mails (
	notification_id BIGINT PRIMARY KEY REFERENCES notifications(id) ON DELETE CASCADE DEFERRABLE,
	mailed_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS notifications_created ON notifications(created_at);

-- The lapses of verifications recorded as events (verification.lapsed,
-- features/experts.h), which tell the expert and the author: one per
-- verification and end. Lapses before this version are not told.
CREATE TABLE IF NOT EXISTS verification_lapses (
	item_id BIGINT NOT NULL REFERENCES items(id) ON DELETE CASCADE DEFERRABLE,
	expires_at BIGINT NOT NULL,
	recorded_at BIGINT NOT NULL,
	PRIMARY KEY (item_id, expires_at)
);
INSERT INTO verification_lapses (item_id, expires_at, recorded_at)
	SELECT item_id, expires_at, expires_at FROM verifications WHERE expires_at <= CAST(EXTRACT(EPOCH FROM now()) AS BIGINT)
	ON CONFLICT (item_id, expires_at) DO NOTHING;
