/*
 * mail_settings: how each member hears of each kind of notification by
 * e-mail — at once, in a daily or a weekly digest, or not at all — chosen
 * at /settings/notifications; and the one-click unsubscribe links in every
 * such message (RFC 8058), /unsubscribe/{secret}/{list}, where list is a
 * kind of notification or a digest ("daily", "weekly"). The secret is the
 * member's own, made with the first message that needs it; it can do
 * nothing but turn mail off. The tables mail_settings and
 * unsubscribe_keys belong here.
 */
#ifndef KRING_MAIL_SETTINGS_H
#define KRING_MAIL_SETTINGS_H

#include "db/db.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct req;

enum mail_pace { MAIL_IMMEDIATELY, MAIL_DAILY, MAIL_WEEKLY, MAIL_OFF, MAIL_PACES };

/* A kind of notification (features/notifications.h) a member chooses a
 * pace for, with the pace of a member who has not. */
struct mail_kind {
	const char *kind;
	const char *label; /* msgid, for the settings page */
	enum mail_pace fallback;
};

/* The kinds, in the order the settings page shows them. */
#define MAIL_KINDS 26
extern const struct mail_kind mail_kinds[MAIL_KINDS];

/* "immediately", "daily", "weekly", "off". */
const char *mail_pace_name(enum mail_pace pace);

/* The member's pace for each of mail_kinds[] into paces (MAIL_KINDS of
 * them). False on a database error. */
DB_MUST_CHECK bool mail_settings_paces(struct db *db, int64_t member_id, enum mail_pace *paces);
/* The pace of kind in paces (as filled by mail_settings_paces); MAIL_OFF
 * for a kind that is not one of mail_kinds[]. */
enum mail_pace mail_settings_pace_of(const enum mail_pace *paces, const char *kind);

/* An SQL expression of the pace (its name) a member chooses for a kind:
 * their row in mail_settings, else the kind's default; member and kind
 * are SQL expressions (columns such as "n.user_id", "n.kind"). In a. */
const char *mail_settings_pace_sql(struct arena *a, const char *member, const char *kind);

/* The absolute one-click unsubscribe address of the member's list (a kind,
 * "daily" or "weekly"), in a; NULL on a database error. */
const char *mail_settings_unsubscribe_url(struct db *db, struct arena *a, int64_t member_id, const char *list,
					  int64_t now);

/* GET and POST /settings/notifications: a pace per kind. */
json_t *mail_settings_page(struct req *r);
json_t *mail_settings_save(struct req *r);

/* GET /unsubscribe/{secret}/{list}: what the button will turn off; POST
 * (a person's button, or a mail program's "List-Unsubscribe=One-Click"):
 * turns it off. */
json_t *mail_settings_unsubscribe_form(struct req *r);
json_t *mail_settings_unsubscribe(struct req *r);

#endif
