/* mail_settings: a pace of e-mail per kind of notification, and the
 * one-click unsubscribe links (see mail_settings.h). */
#include "features/mail_settings.h"

#include "auth/users.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/text.h"
#include "features/mail_content.h"
#include "http/cache.h"
#include "http/req.h"
#include "i18n/i18n.h"

#include <string.h>

/* What a member who chose nothing gets: at once what asks something of
 * them or answers them; in the daily digest what merely happened. */
const struct mail_kind mail_kinds[MAIL_KINDS] = {
	{"mention", N_("Someone mentions you"), MAIL_IMMEDIATELY},
	{"answer", N_("A question you follow is answered"), MAIL_IMMEDIATELY},
	{"accepted", N_("Your answer is accepted"), MAIL_IMMEDIATELY},
	{"comment", N_("A comment on something you follow"), MAIL_DAILY},
	{"solved", N_("A question you follow gets an accepted answer"), MAIL_DAILY},
	{"post", N_("A new post in a tag, community or person you follow"), MAIL_DAILY},
	{"verified", N_("An expert verifies your post"), MAIL_DAILY},
	{"review", N_("A post you verified was changed and needs your review"), MAIL_IMMEDIATELY},
	{"lapsed", N_("A verification of your post or by you has lapsed"), MAIL_IMMEDIATELY},
	{"join_request", N_("Someone asks to join a community you host"), MAIL_IMMEDIATELY},
	{"invitation", N_("You are invited to a community"), MAIL_IMMEDIATELY},
	{"promoted", N_("A seat comes free for you at an event you are waitlisted for"), MAIL_IMMEDIATELY},
	{"seat_offered", N_("A seat comes free for you and you must confirm it in time"), MAIL_IMMEDIATELY},
	{"seat_lapsed", N_("A seat offered to you goes to the next, as you did not confirm it"), MAIL_IMMEDIATELY},
	{"cancelled", N_("An event you are going to or waitlisted for is cancelled"), MAIL_IMMEDIATELY},
	{"reminder", N_("A reminder the day before an event you are going to"), MAIL_IMMEDIATELY},
	{"event_message", N_("The hosts of an event you signed up for write to its attendees"), MAIL_IMMEDIATELY},
	{"report", N_("Someone reports content you moderate"), MAIL_IMMEDIATELY},
	{"report_outcome", N_("A report you made has been reviewed"), MAIL_DAILY},
	{"moderator_edited", N_("A moderator changes something you wrote"), MAIL_IMMEDIATELY},
	{"event_role", N_("You are named a host or speaker of an event"), MAIL_IMMEDIATELY},
	{"role_granted", N_("You are made ambassador of a community"), MAIL_IMMEDIATELY},
	{"newcomer_joined", N_("Someone joins a community you are ambassador of"), MAIL_IMMEDIATELY},
	{"warning", N_("A moderator or host warns you"), MAIL_IMMEDIATELY},
	{"post_approved", N_("A post of yours that waited for approval is approved"), MAIL_IMMEDIATELY},
	{"post_rejected", N_("A post of yours that waited for approval is not approved"), MAIL_IMMEDIATELY},
};
_Static_assert(sizeof(mail_kinds) / sizeof(mail_kinds[0]) == MAIL_KINDS, "every kind has its row");

static const char *const pace_names[MAIL_PACES] = {"immediately", "daily", "weekly", "off"};
static const char *const pace_labels[MAIL_PACES] = {N_("At once"), N_("In the daily digest"),
						     N_("In the weekly digest"), N_("Not by e-mail")};

/* 32 random bytes, as URL-safe base64 */
#define SECRET_BYTES 32

const char *mail_pace_name(enum mail_pace pace)
{
	return pace_names[pace];
}

static int pace_index(const char *name)
{
	for (int p = 0; p < MAIL_PACES; p++)
		if (name && strcmp(name, pace_names[p]) == 0)
			return p;
	return -1;
}

static int kind_index(const char *kind)
{
	for (size_t k = 0; k < MAIL_KINDS; k++)
		if (kind && strcmp(kind, mail_kinds[k].kind) == 0)
			return (int)k;
	return -1;
}

bool mail_settings_paces(struct db *db, int64_t member_id, enum mail_pace *paces)
{
	for (size_t k = 0; k < MAIL_KINDS; k++)
		paces[k] = mail_kinds[k].fallback;
	struct db_stmt *st = db_query(db, "SELECT kind, pace FROM mail_settings WHERE user_id = ?",
				      DB_ARGS(db_int(member_id)));
	while (st && db_step(st) == DB_ROW) {
		int k = kind_index(db_text_col(st, 0)), p = pace_index(db_text_col(st, 1));
		if (k >= 0 && p >= 0)
			paces[k] = (enum mail_pace)p;
	}
	db_done(st);
	return !db_failed(db);
}

enum mail_pace mail_settings_pace_of(const enum mail_pace *paces, const char *kind)
{
	int k = kind_index(kind);
	return k >= 0 ? paces[k] : MAIL_OFF;
}

static bool set_pace(struct db *db, int64_t member_id, const char *kind, enum mail_pace pace)
{
	return db_exec(db,
		       "INSERT INTO mail_settings (user_id, kind, pace) VALUES (?, ?, ?)"
		       " ON CONFLICT (user_id, kind) DO UPDATE SET pace = excluded.pace",
		       DB_ARGS(db_int(member_id), db_text(kind), db_text(pace_names[pace]))) >= 0;
}

const char *mail_settings_pace_sql(struct arena *a, const char *member, const char *kind)
{
	/* The defaults are this file's constants, never anything typed. */
	struct buf sql = {0};
	buf_printf(&sql, "COALESCE((SELECT ms.pace FROM mail_settings ms WHERE ms.user_id = %s AND ms.kind = %s), CASE %s",
		   member, kind, kind);
	for (size_t k = 0; k < MAIL_KINDS; k++)
		buf_printf(&sql, " WHEN '%s' THEN '%s'", mail_kinds[k].kind, pace_names[mail_kinds[k].fallback]);
	buf_puts(&sql, " ELSE 'off' END)");
	const char *s = arena_strndup(a, sql.data, sql.len);
	buf_free(&sql);
	return s;
}

/* The member's own pages (the settings page) are stale, nothing else. */
static bool settings_changed(struct db *db, int64_t member_id)
{
	return cache_invalidate_scopes(db, &(struct cache_scope){CACHE_SCOPE_MEMBER, member_id}, 1);
}

const char *mail_settings_unsubscribe_url(struct db *db, struct arena *a, int64_t member_id, const char *list,
					  int64_t now)
{
	char made[2 * SECRET_BYTES + 1];
	token_random(made, SECRET_BYTES);
	/* The first message makes the secret; later ones find it. */
	if (db_exec(db, "INSERT INTO unsubscribe_keys (user_id, secret, created_at) VALUES (?, ?, ?)"
			" ON CONFLICT (user_id) DO NOTHING",
		    DB_ARGS(db_int(member_id), db_text(made), db_int(now))) < 0)
		return NULL;
	struct db_stmt *st = db_query(db, "SELECT secret FROM unsubscribe_keys WHERE user_id = ?",
				      DB_ARGS(db_int(member_id)));
	const char *url = st && db_step(st) == DB_ROW
				  ? mail_content_link(a, arena_printf(a, "/unsubscribe/%s/%s", db_text_col(st, 0), list))
				  : NULL;
	db_done(st);
	return url;
}

/* ---- the settings page --------------------------------------------------- */

static json_t *settings_model(struct req *r, const enum mail_pace *paces)
{
	json_t *kinds = json_array();
	for (size_t k = 0; k < MAIL_KINDS; k++) {
		json_t *options = json_array();
		for (int p = 0; p < MAIL_PACES; p++)
			json_array_append_new(options, json_pack("{s:s, s:s, s:b}", "value", pace_names[p], "label",
								 tr(r, pace_labels[p]), "selected", (int)paces[k] == p));
		json_array_append_new(kinds, json_pack("{s:s, s:s, s:s, s:o}", "kind", mail_kinds[k].kind, "label",
						       tr(r, mail_kinds[k].label), "pace", pace_names[paces[k]],
						       "options", options));
	}
	return json_pack("{s:s, s:o}", "title", tr(r, N_("E-mail")), "kinds", kinds);
}

json_t *mail_settings_page(struct req *r)
{
	enum mail_pace paces[MAIL_KINDS];
	if (!mail_settings_paces(r->db, r->user->id, paces))
		return req_fail_internal(r);
	json_t *model = settings_model(r, paces);
	if (req_query(r, "saved"))
		json_object_set_new(model, "saved", json_true());
	return model;
}

json_t *mail_settings_save(struct req *r)
{
	int64_t me = r->user->id;
	enum mail_pace paces[MAIL_KINDS];
	if (!mail_settings_paces(r->db, me, paces))
		return req_fail_internal(r);
	/* A kind left out keeps its pace (an API client may set one). */
	bool wrong[MAIL_KINDS] = {false};
	bool any_wrong = false;
	for (size_t k = 0; k < MAIL_KINDS; k++) {
		const char *given = req_param_trimmed(r, mail_kinds[k].kind);
		if (!given || !*given)
			continue;
		int p = pace_index(given);
		if (p < 0)
			wrong[k] = any_wrong = true;
		else
			paces[k] = (enum mail_pace)p;
	}
	json_t *model = settings_model(r, paces);
	if (any_wrong) {
		static const char problem[] = N_("Choose at once, daily, weekly or not by e-mail.");
		json_t *kinds = json_object_get(model, "kinds");
		for (size_t k = 0; k < MAIL_KINDS; k++)
			if (wrong[k]) {
				req_field_error(r, model, mail_kinds[k].kind, problem);
				json_object_set_new(json_array_get(kinds, k), "error", json_string(tr(r, problem)));
			}
		return req_invalid(r, model);
	}
	for (size_t k = 0; k < MAIL_KINDS; k++)
		if (!set_pace(r->db, me, mail_kinds[k].kind, paces[k]))
			return req_fail_internal(r);
	if (!settings_changed(r->db, me))
		return req_fail_internal(r);
	return req_done(r, 200, "/settings/notifications?saved=1", model);
}

/* ---- unsubscribing ------------------------------------------------------- */

/* The member whose secret is in the address, and the list's label; NULL
 * (the request failed) when either is unknown. */
static struct user *unsubscriber(struct req *r, const char **list, const char **label)
{
	const char *secret = req_path_param(r, "secret");
	*list = req_path_param(r, "list");
	int k = kind_index(*list);
	*label = k >= 0 ? mail_kinds[k].label
		 : strcmp(*list, "daily") == 0 ? N_("The daily digest")
		 : strcmp(*list, "weekly") == 0 ? N_("The weekly digest")
						: NULL;
	int64_t id = *label && token_shaped(secret, SECRET_BYTES)
			     ? db_scalar_int(r->db, 0, "SELECT user_id FROM unsubscribe_keys WHERE secret = ?",
					     DB_ARGS(db_text(secret)))
			     : 0;
	struct user *member = id ? users_get(r->db, &r->arena, id) : NULL;
	if (!member) {
		if (db_failed(r->db))
			req_fail_internal(r);
		else
			req_fail(r, 404, "not_found", N_("This unsubscribe link is not valid."));
		return NULL;
	}
	/* The page speaks the member's language and is nobody else's. */
	if (member->locale && i18n_locale_index(member->locale) >= 0)
		r->locale = i18n_locale_index(member->locale);
	r->cache_key = NULL;
	return member;
}

static json_t *unsubscribe_model(struct req *r, const struct user *member, const char *list, const char *label,
				 bool done)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:b}", "title", tr(r, N_("Unsubscribe")), "handle", member->handle,
			 "list", list, "what", tr(r, label), "done", done);
}

json_t *mail_settings_unsubscribe_form(struct req *r)
{
	const char *list, *label;
	struct user *member = unsubscriber(r, &list, &label);
	return member ? unsubscribe_model(r, member, list, label, false) : NULL;
}

json_t *mail_settings_unsubscribe(struct req *r)
{
	const char *list, *label;
	struct user *member = unsubscriber(r, &list, &label);
	if (!member)
		return NULL;
	int k = kind_index(list);
	enum mail_pace paces[MAIL_KINDS];
	if (!mail_settings_paces(r->db, member->id, paces))
		return req_fail_internal(r);
	/* A digest is every kind that goes into it. */
	enum mail_pace digest = strcmp(list, "weekly") == 0 ? MAIL_WEEKLY : MAIL_DAILY;
	for (size_t i = 0; i < MAIL_KINDS; i++) {
		bool listed = k >= 0 ? (int)i == k : paces[i] == digest;
		if (listed && !set_pace(r->db, member->id, mail_kinds[i].kind, MAIL_OFF))
			return req_fail_internal(r);
	}
	if (!settings_changed(r->db, member->id))
		return req_fail_internal(r);
	return unsubscribe_model(r, member, list, label, true);
}
