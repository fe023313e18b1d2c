/* ladder: the steps that follow warnings by themselves, and content hidden
 * by itself after reports (see ladder.h). */
#include "features/ladder.h"

#include "auth/account_states.h"
#include "auth/policy.h"
#include "core/arena.h"
#include "core/text.h"
#include "features/audit.h"
#include "features/features.h"
#include "features/hidden.h"
#include "features/member_states.h"
#include "http/req.h"
#include "i18n/format.h"
#include "i18n/i18n.h"
#include "jobs/events.h"
#include "render/links.h"
#include "render/render.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define DAY (24 * 3600LL)
/* Who counts as an established member for automatic hiding. */
#define ESTABLISHED_DAYS 30
#define ESTABLISHED_POSTS 5
/* Members put before the moderators that the queue shows at once. */
#define DECISIONS_SHOWN 50

/* The settings: key, label, default, smallest and largest value. */
static const struct ladder_setting {
	const char *key, *label, *hint;
	int fallback, min, max;
	size_t offset;
} settings[] = {
	{"ladder_window_days", N_("Days a warning counts towards the steps"), NULL, 90, 1, 3650,
	 offsetof(struct ladder_settings, window_days)},
	{"ladder_cooldown_after", N_("Warnings that start a posting cool-down"), N_("0: never"), 2, 0, 100,
	 offsetof(struct ladder_settings, cooldown_after)},
	{"ladder_cooldown_minutes", N_("Minutes between two posts in a cool-down"), NULL, 60, 1, 10080,
	 offsetof(struct ladder_settings, cooldown_minutes)},
	{"ladder_cooldown_days", N_("Days a cool-down lasts"), NULL, 7, 1, 365,
	 offsetof(struct ladder_settings, cooldown_days)},
	{"ladder_suspend_after", N_("Warnings that suspend a member"), N_("0: never"), 3, 0, 100,
	 offsetof(struct ladder_settings, suspend_after)},
	{"ladder_suspend_days", N_("Days an automatic suspension lasts"), NULL, 7, 1, 365,
	 offsetof(struct ladder_settings, suspend_days)},
	{"ladder_decide_after", N_("Warnings that put a member before the moderators for exclusion"), N_("0: never"), 4,
	 0, 100, offsetof(struct ladder_settings, decide_after)},
	{"autohide_reports",
	 N_("Reports by established members that hide content until a moderator reviews it"),
	 N_("0: never. Established: an account older than 30 days with at least 5 posts, answers or comments."), 3, 0,
	 100, offsetof(struct ladder_settings, autohide_reports)},
};
#define NSETTINGS (sizeof(settings) / sizeof(settings[0]))

/* A whole number from min to max, or -1. */
static long number_in(const char *text, int min, int max)
{
	char *end = NULL;
	long n = text && *text ? strtol(text, &end, 10) : -1;
	return end && !*end && n >= min && n <= max ? n : -1;
}

void ladder_settings_load(struct db *db, struct ladder_settings *out)
{
	struct arena a = {0};
	for (size_t i = 0; i < NSETTINGS; i++) {
		long n = number_in(admin_setting_get(db, &a, settings[i].key), settings[i].min, settings[i].max);
		*(int *)((char *)out + settings[i].offset) = n < 0 ? settings[i].fallback : (int)n;
	}
	arena_reset(&a);
}

/* ---- the settings page ---------------------------------------------------------- */

json_t *ladder_settings_page(struct req *r)
{
	struct ladder_settings now;
	ladder_settings_load(r->db, &now);
	json_t *list = json_array();
	for (size_t i = 0; i < NSETTINGS; i++) {
		/* A form sent back with errors shows what was typed. */
		const char *typed = r->error.set ? req_param(r, settings[i].key) : NULL;
		json_t *error = r->error.fields ? json_object_get(r->error.fields, settings[i].key) : NULL;
		json_array_append_new(
			list, json_pack("{s:s, s:s, s:s?, s:s, s:i, s:i, s:O?}", "key", settings[i].key, "label",
					tr(r, settings[i].label), "hint", settings[i].hint ? tr(r, settings[i].hint) : NULL,
					"value",
					typed ? typed
					      : arena_printf(&r->arena, "%d", *(int *)((char *)&now + settings[i].offset)),
					"min", settings[i].min, "max", settings[i].max, "error", error));
	}
	return json_pack("{s:s, s:o, s:b}", "title", tr(r, N_("Moderation settings")), "items", list, "saved",
			 req_query(r, "saved") != NULL);
}

json_t *ladder_settings_save(struct req *r)
{
	/* Everything is checked before anything is stored. */
	json_t *sent = json_object();
	for (size_t i = 0; i < NSETTINGS; i++) {
		const char *value = req_param_trimmed(r, settings[i].key);
		if (!value)
			continue;
		if (number_in(value, settings[i].min, settings[i].max) < 0)
			req_field_error(r, NULL, settings[i].key,
					format_message(&r->arena, r->locale,
						       N_("Enter a whole number from {{min}} to {{max}}."), "min",
						       arena_printf(&r->arena, "%d", settings[i].min), "max",
						       arena_printf(&r->arena, "%d", settings[i].max), NULL));
		json_object_set_new(sent, settings[i].key, json_string(value));
	}
	if (req_has_field_errors(r)) {
		json_decref(sent);
		json_t *model = ladder_settings_page(r);
		json_object_set(model, "errors", r->error.fields);
		return req_invalid(r, model);
	}
	bool ok = true;
	for (size_t i = 0; ok && i < NSETTINGS; i++) {
		const char *value = req_param_trimmed(r, settings[i].key);
		if (value)
			ok = admin_setting_set(r->db, settings[i].key,
					       arena_printf(&r->arena, "%ld", strtol(value, NULL, 10)));
	}
	if (!ok) {
		json_decref(sent);
		return req_fail_internal(r);
	}
	if (!audit_by(r, "site.settings", "site", 0, 0, NULL, sent))
		return req_fail_internal(r);
	return req_done(r, 200, "/admin/moderation-settings?saved=1", ladder_settings_page(r));
}

/* ---- the steps -------------------------------------------------------------------- */

/* An entry of the audit log for a step the ladder took: no actor. */
static bool audit_step(struct req *r, const char *action, int64_t member_id, json_t *detail)
{
	return audit_record(r->db, &(struct audit_entry){.action = action, .subject_kind = "member",
							 .subject_id = member_id, .detail = detail,
							 .created_at = r->now});
}

static bool cool_down(struct req *r, const struct account_state *who, const struct ladder_settings *s, int64_t count)
{
	int64_t until = r->now + s->cooldown_days * DAY;
	return db_exec(r->db,
		       "INSERT INTO posting_cooldowns (user_id, minutes, ends_at, last_post_at, created_at)"
		       " VALUES (?, ?, ?, NULL, ?) ON CONFLICT (user_id) DO UPDATE SET minutes = excluded.minutes,"
		       " ends_at = excluded.ends_at, created_at = excluded.created_at",
		       DB_ARGS(db_int(who->id), db_int(s->cooldown_minutes), db_int(until), db_int(r->now))) >= 0 &&
	       audit_step(r, "member.cooldown", who->id,
			  json_pack("{s:I, s:i, s:I}", "warnings", (json_int_t)count, "minutes", s->cooldown_minutes,
				    "until", (json_int_t)until));
}

static bool suspend(struct req *r, const struct account_state *who, const struct ladder_settings *s, int64_t count)
{
	int64_t until = r->now + s->suspend_days * DAY;
	/* A longer suspension a moderator gave stands. */
	if (strcmp(who->status, "suspended") == 0 && who->ends_at >= until)
		return true;
	int locale = who->locale && i18n_locale_index(who->locale) >= 0 ? i18n_locale_index(who->locale) : 0;
	const char *reason = format_message(&r->arena, locale, N_("automatic: {{count}} warnings"), "count",
					    arena_printf(&r->arena, "%lld", (long long)count), NULL);
	/* Its event makes the audit entry, without an actor. */
	return member_states_suspend_as(r, who, reason, until, 0);
}

static bool flag(struct req *r, const struct account_state *who, int64_t count)
{
	int64_t made = db_exec(r->db,
			       "INSERT INTO exclusion_flags (user_id, warnings, flagged_at) VALUES (?, ?, ?)"
			       " ON CONFLICT (user_id) DO UPDATE SET warnings = excluded.warnings",
			       DB_ARGS(db_int(who->id), db_int(count), db_int(r->now)));
	return made >= 0 &&
	       audit_step(r, "member.exclusion_proposed", who->id, json_pack("{s:I}", "warnings", (json_int_t)count));
}

const char *ladder_after_warning(struct req *r, const struct account_state *who)
{
	struct ladder_settings s;
	ladder_settings_load(r->db, &s);
	int64_t count = db_scalar_int(r->db, -1, "SELECT COUNT(*) FROM warnings WHERE user_id = ? AND created_at > ?",
				      DB_ARGS(db_int(who->id), db_int(r->now - s.window_days * DAY)));
	if (count < 0)
		return NULL;
	if (s.decide_after && count >= s.decide_after)
		return flag(r, who, count) ? "decision" : NULL;
	if (s.suspend_after && count >= s.suspend_after)
		return suspend(r, who, &s, count) ? "suspended" : NULL;
	if (s.cooldown_after && count >= s.cooldown_after)
		return cool_down(r, who, &s, count) ? "cooldown" : NULL;
	return "none";
}

/* ---- the cool-down ---------------------------------------------------------------- */

bool ladder_cooldown_take(struct req *r)
{
	if (!r->user)
		return true;
	/* The post is claimed in one statement: of two at once, one gets it. */
	int64_t claimed = db_exec(r->db,
				  "UPDATE posting_cooldowns SET last_post_at = ? WHERE user_id = ? AND ends_at > ?"
				  " AND (last_post_at IS NULL OR last_post_at + minutes * 60 <= ?)",
				  DB_ARGS(db_int(r->now), db_int(r->user->id), db_int(r->now), db_int(r->now)));
	if (claimed != 0) {
		if (claimed < 0)
			req_fail_internal(r);
		return claimed > 0;
	}
	json_t *c = ladder_cooldown(r->db, r->user->id, r->now);
	if (!c && db_failed(r->db))
		req_fail_internal(r);
	if (!c)
		return !db_failed(r->db);
	int64_t next = json_integer_value(json_object_get(c, "next"));
	req_add_header(r, "Retry-After", arena_printf(&r->arena, "%lld", (long long)(next - r->now)));
	req_fail(r, 429, "cooldown", N_("You are in a posting cool-down."));
	r->error.message = format_message(
		&r->arena, r->locale,
		N_("You are in a posting cool-down until {{until}}: one post, answer or comment every {{minutes}} minutes."
		   " You may post again at {{next}}."),
		"until", account_states_time_text(&r->arena, json_integer_value(json_object_get(c, "until"))), "minutes",
		arena_printf(&r->arena, "%lld", (long long)json_integer_value(json_object_get(c, "minutes"))), "next",
		account_states_time_text(&r->arena, next), NULL);
	json_decref(c);
	return false;
}

json_t *ladder_cooldown(struct db *db, int64_t member_id, int64_t now)
{
	struct db_stmt *st = db_query(db,
				      "SELECT minutes, ends_at, COALESCE(last_post_at, 0) FROM posting_cooldowns"
				      " WHERE user_id = ? AND ends_at > ?",
				      DB_ARGS(db_int(member_id), db_int(now)));
	json_t *c = NULL;
	if (st && db_step(st) == DB_ROW) {
		int64_t minutes = db_int_col(st, 0), until = db_int_col(st, 1), last = db_int_col(st, 2);
		int64_t next = last ? last + minutes * 60 : now;
		c = json_pack("{s:I, s:I, s:I, s:b}", "minutes", (json_int_t)minutes, "until", (json_int_t)until, "next",
			      (json_int_t)next, "may_post", next <= now);
		render_add_time(c, "until", until);
		if (next > now)
			render_add_time(c, "next", next);
	}
	db_done(st);
	return c;
}

/* ---- decisions on exclusion -------------------------------------------------------- */

json_t *ladder_decisions(struct req *r)
{
	struct db_stmt *st = db_query(r->db,
				      "SELECT u.handle, u.name, f.warnings, f.flagged_at FROM exclusion_flags f"
				      " JOIN users u ON u.id = f.user_id WHERE u.status <> 'excluded' AND u.role = 'member'"
				      " ORDER BY f.flagged_at, u.id LIMIT ?",
				      DB_ARGS(db_int(DECISIONS_SHOWN)));
	json_t *list = json_array();
	while (st && db_step(st) == DB_ROW) {
		const char *handle = db_text_col(st, 0);
		json_t *d = json_pack("{s:s, s:s, s:s, s:I}", "handle", handle, "name", db_text_col(st, 1), "url",
				      link_person(&r->arena, handle), "warnings", (json_int_t)db_int_col(st, 2));
		render_add_time(d, "flagged", db_int_col(st, 3));
		json_array_append_new(list, d);
	}
	db_done(st);
	if (db_failed(r->db)) {
		json_decref(list);
		return NULL;
	}
	return list;
}

json_t *ladder_keep(struct req *r)
{
	struct account_state who;
	if (!account_states_find(r->db, &r->arena, req_path_param(r, "handle"), &who))
		return db_failed(r->db) ? req_fail_internal(r)
					: req_fail(r, 404, "not_found", N_("There is no member with that handle."));
	struct policy_subject s = {.kind = POLICY_ACCOUNT, .owner_id = who.id, .owner_role = who.role};
	enum policy_verdict v = policy_decide(r->user, POLICY_MODERATE, &s);
	if (v != POLICY_ALLOW)
		return policy_refuse(r, v, NULL, N_("Only an admin, or a moderator for a member, can do that."));
	const char *typed = req_param_trimmed(r, "note");
	const char *note = typed ? typed : "";
	if (utf8_length(note) > ACCOUNT_STATES_REASON_MAX || !text_printable(note, true)) {
		req_fail(r, 422, "invalid", N_("Keep the note under 1000 characters."));
		r->error.field = "note";
		return NULL;
	}
	int64_t gone = db_exec(r->db, "DELETE FROM exclusion_flags WHERE user_id = ?", DB_ARGS(db_int(who.id)));
	if (gone == 0)
		return req_fail(r, 409, "wrong_state", N_("This member is not waiting for a decision."));
	if (gone < 0 || !audit_by(r, "member.kept", "member", who.id, 0, note, NULL))
		return req_fail_internal(r);
	return req_done(r, 200, member_states_return(r, who.handle),
			json_pack("{s:s, s:s}", "handle", who.handle, "status", who.status));
}

bool ladder_on_excluded(struct db *db, const struct event *e)
{
	return db_exec(db, "DELETE FROM exclusion_flags WHERE user_id = ?", DB_ARGS(db_int(e->member_id))) >= 0;
}

/* ---- hidden by itself ---------------------------------------------------------------- */

bool ladder_after_report(struct db *db, const char *kind, int64_t id, int64_t community_id, int64_t now)
{
	struct ladder_settings s;
	ladder_settings_load(db, &s);
	if (!s.autohide_reports || !hidden_kind_known(kind))
		return true;
	int64_t established = db_scalar_int(
		db, -1,
		"SELECT COUNT(*) FROM reports p JOIN users u ON u.id = p.reporter_id WHERE p.subject_kind = ?"
		" AND p.subject_id = ? AND p.settled_at IS NULL AND u.created_at <= ? AND"
		" (SELECT COUNT(*) FROM items i WHERE i.author_id = u.id AND i.deleted_at IS NULL) +"
		" (SELECT COUNT(*) FROM comments k WHERE k.author_id = u.id AND k.deleted_at IS NULL) >= ?",
		DB_ARGS(db_text(kind), db_int(id), db_int(now - ESTABLISHED_DAYS * DAY), db_int(ESTABLISHED_POSTS)));
	if (established < 0)
		return false;
	if (established < s.autohide_reports)
		return true;
	bool was = hidden_is(db, kind, id);
	if (db_failed(db))
		return false;
	if (was)
		return true;
	return hidden_set(db, kind, id, 0, now) &&
	       audit_record(db, &(struct audit_entry){.action = "content.hidden_automatically", .subject_kind = kind,
						      .subject_id = id, .community_id = community_id,
						      .detail = json_pack("{s:I}", "reports", (json_int_t)established),
						      .created_at = now});
}
