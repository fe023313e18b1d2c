/* admin: the site's accounts and their roles, and the site settings (the
 * settings table), the webhook's among them. */
#include "features/audit.h"
#include "features/experts.h"
#include "features/features.h"
#include "features/writelimits.h"

#include "auth/users.h"
#include "core/text.h"
#include "db/db.h"
#include "http/req.h"
#include "i18n/format.h"
#include "i18n/i18n.h"
#include "jobs/jobs.h"
#include "jobs/webhook.h"

#include <stdlib.h>
#include <string.h>

#define ADMIN_LIST_LIMIT 500
#define DELIVERIES_SHOWN 10

static const char *const roles[] = {"member", "moderator", "admin"};
static const char *const role_labels[] = {N_("Member"), N_("Moderator"), N_("Admin")};

json_t *admin_users(struct req *r)
{
	json_t *users = users_list(r->db, ADMIN_LIST_LIMIT);
	size_t i;
	json_t *u;
	json_array_foreach(users, i, u) {
		json_t *options = json_array();
		const char *role = json_string_value(json_object_get(u, "role"));
		for (size_t k = 0; k < 3; k++)
			json_array_append_new(options, json_pack("{s:s, s:s, s:b}", "role", roles[k],
								  "label", tr(r, role_labels[k]),
								  "selected", strcmp(role, roles[k]) == 0));
		json_object_set_new(u, "role_options", options);
	}
	return json_pack("{s:s, s:o}", "title", tr(r, N_("Members and roles")), "items", users);
}

json_t *admin_set_role(struct req *r)
{
	char *end = NULL;
	long long id = strtoll(req_path_param(r, "id"), &end, 10);
	const char *role = req_param(r, "role");
	struct user *target = *end || id <= 0 ? NULL : users_get(r->db, &r->arena, id);
	if (!target)
		return req_fail(r, 404, "not_found", N_("There is no such member."));
	bool known = false;
	for (size_t k = 0; k < 3; k++)
		known |= role && strcmp(role, roles[k]) == 0;
	if (!known) {
		req_fail(r, 422, "invalid", N_("Choose member, moderator or admin."));
		r->error.field = "role";
		return NULL;
	}
	/* A site always keeps someone who can run it. */
	if (strcmp(target->role, "admin") == 0 && strcmp(role, "admin") != 0 &&
	    users_count(r->db, "admin") <= 1)
		return req_fail(r, 409, "last_admin", N_("This is the last admin; make someone else admin first."));
	if (!users_set_role(r->db, id, role) ||
	    !audit_by(r, "member.role", "member", id, 0, NULL, json_pack("{s:s, s:s}", "from", target->role, "to", role)))
		return req_fail_internal(r);
	return req_done(r, 200, "/admin/users", users_to_json(users_get(r->db, &r->arena, id), true));
}

/* Site settings: each has a fixed set of values, the first the default. */
static const struct {
	const char *key, *label;
	const char *values[5], *labels[5];
} site_settings[] = {
	{"community_creation", N_("Who can create communities"),
	 {"admins", "members", NULL}, {N_("Admins only"), N_("Every member"), NULL}},
	/* features/experts.h */
	{"expert_endorsements", N_("Endorsements by experts in a tag that make a member an expert in it"),
	 {"3", "1", "2", "5", NULL}, {"3", "1", "2", "5", NULL}},
	{"verification_months", N_("Months an expert's verification holds"),
	 {"12", "6", "24", "36", NULL}, {"12", "6", "24", "36", NULL}},
};

bool admin_setting_is(struct db *db, const char *key, const char *value)
{
	return db_exists(db, "SELECT 1 FROM settings WHERE key = ? AND value = ?",
			 DB_ARGS(db_text(key), db_text(value)));
}

const char *admin_setting_get(struct db *db, struct arena *a, const char *key)
{
	struct db_stmt *st = db_query(db, "SELECT value FROM settings WHERE key = ?", DB_ARGS(db_text(key)));
	const char *value = db_step(st) == DB_ROW ? arena_strdup(a, db_text_col(st, 0)) : NULL;
	db_done(st);
	return value;
}

/* Stores a setting, or removes it when value is NULL. */
static bool setting_set(struct db *db, const char *key, const char *value)
{
	if (!value)
		return db_exec(db, "DELETE FROM settings WHERE key = ?", DB_ARGS(db_text(key))) >= 0;
	return db_exec(db, "INSERT INTO settings (key, value) VALUES (?, ?)"
			   " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
		       DB_ARGS(db_text(key), db_text(value))) >= 0;
}

bool admin_setting_set(struct db *db, const char *key, const char *value)
{
	return setting_set(db, key, value);
}

static const char *const delivery_states[][2] = {
	{"queued", N_("Waiting")}, {"running", N_("Sending")}, {"retrying", N_("Will try again")},
	{"done", N_("Delivered")}, {"failed", N_("Failed")},
};

/* The webhook's address, its secret and its latest deliveries. */
static json_t *webhook_model(struct req *r)
{
	const char *url = admin_setting_get(r->db, &r->arena, WEBHOOK_URL_SETTING);
	const char *secret = url ? admin_setting_get(r->db, &r->arena, WEBHOOK_SECRET_SETTING) : NULL;
	json_t *deliveries = jobs_recent(r->db, "webhook", DELIVERIES_SHOWN, r->now);
	size_t i;
	json_t *d;
	json_array_foreach(deliveries, i, d) {
		const char *state = json_string_value(json_object_get(d, "state"));
		for (size_t k = 0; k < sizeof(delivery_states) / sizeof(delivery_states[0]); k++)
			if (strcmp(state, delivery_states[k][0]) == 0)
				json_object_set_new(d, "state_label", json_string(tr(r, delivery_states[k][1])));
	}
	return json_pack("{s:s, s:s?, s:o}", "url", url ? url : "", "secret", secret, "deliveries", deliveries);
}

/* The posting limits with their values: the stored ones, or what the
 * admin typed when the form comes back with an error at one of them. */
static json_t *limits_model(struct req *r)
{
	json_t *list = json_array();
	for (int k = 0; k < WRITE_KINDS; k++) {
		const struct write_limit *l = &write_limits[k];
		const char *keys[2] = {l->minute_key, l->hour_key};
		int fallback[2] = {l->per_minute, l->per_hour};
		json_t *limit = json_pack("{s:s}", "label", tr(r, l->label));
		for (int w = 0; w < 2; w++) {
			const char *typed = r->error.set ? req_param(r, keys[w]) : NULL;
			json_t *error = r->error.fields ? json_object_get(r->error.fields, keys[w]) : NULL;
			json_object_set_new(limit, w ? "hour" : "minute",
					    json_pack("{s:s, s:s, s:O?}", "key", keys[w], "value",
						      typed ? typed : arena_printf(&r->arena, "%d",
								writelimit_setting(r->db, keys[w], fallback[w])),
						      "error", error));
		}
		json_array_append_new(list, limit);
	}
	return list;
}

/* Checks the posting limits sent; a wrong one becomes a field error. */
static void check_limits(struct req *r)
{
	for (int k = 0; k < WRITE_KINDS; k++) {
		const char *keys[2] = {write_limits[k].minute_key, write_limits[k].hour_key};
		for (int w = 0; w < 2; w++) {
			const char *value = req_param_trimmed(r, keys[w]);
			char *end = NULL;
			long n = value ? strtol(value, &end, 10) : 0;
			if (value && (!*value || *end || n < 0 || n > WRITELIMIT_MAX))
				req_field_error(r, NULL, keys[w],
						format_message(&r->arena, r->locale,
							       N_("Enter a whole number from 0 to {{max}} (0 means no limit)."),
							       "max", arena_printf(&r->arena, "%d", WRITELIMIT_MAX), NULL));
		}
	}
}

/* Stores the posting limits sent, as plain numbers. */
static bool save_limits(struct req *r)
{
	bool ok = true;
	for (int k = 0; ok && k < WRITE_KINDS; k++) {
		const char *keys[2] = {write_limits[k].minute_key, write_limits[k].hour_key};
		for (int w = 0; ok && w < 2; w++) {
			const char *value = req_param_trimmed(r, keys[w]);
			if (value)
				ok = setting_set(r->db, keys[w], arena_printf(&r->arena, "%ld", strtol(value, NULL, 10)));
		}
	}
	return ok;
}

json_t *admin_settings(struct req *r)
{
	json_t *list = json_array();
	for (size_t i = 0; i < sizeof(site_settings) / sizeof(site_settings[0]); i++) {
		json_t *options = json_array();
		/* A form sent back with errors shows what was chosen. */
		const char *sent = r->error.set ? req_param(r, site_settings[i].key) : NULL;
		for (int v = 0; site_settings[i].values[v]; v++) {
			bool selected = sent ? strcmp(sent, site_settings[i].values[v]) == 0
				: admin_setting_is(r->db, site_settings[i].key, site_settings[i].values[v]) ||
					  (v == 0 && !db_exists(r->db, "SELECT 1 FROM settings WHERE key = ?",
								DB_ARGS(db_text(site_settings[i].key))));
			json_array_append_new(options, json_pack("{s:s, s:s, s:b}", "value", site_settings[i].values[v],
								 "label", tr(r, site_settings[i].labels[v]),
								 "selected", selected));
		}
		json_array_append_new(list, json_pack("{s:s, s:s, s:o}", "key", site_settings[i].key,
						      "label", tr(r, site_settings[i].label), "options", options));
	}
	json_t *webhook = webhook_model(r);
	return json_pack("{s:s, s:o, s:o, s:b, s:o, s:{s:O}}", "title", tr(r, N_("Site settings")), "items", list,
			 "limits", limits_model(r), "saved", req_query(r, "saved") != NULL, "webhook", webhook,
			 "values", "webhook_url", json_object_get(webhook, "url"));
}

/* Stores the webhook's address: an address has a secret, no address none. */
static bool save_webhook(struct req *r, const char *url, bool new_secret)
{
	if (!*url)
		return setting_set(r->db, WEBHOOK_URL_SETTING, NULL) && setting_set(r->db, WEBHOOK_SECRET_SETTING, NULL);
	if (!setting_set(r->db, WEBHOOK_URL_SETTING, url))
		return false;
	if (!new_secret && admin_setting_get(r->db, &r->arena, WEBHOOK_SECRET_SETTING))
		return true;
	char secret[WEBHOOK_SECRET_CHARS + 1];
	webhook_new_secret(secret);
	return setting_set(r->db, WEBHOOK_SECRET_SETTING, secret);
}

/* The settings a save sent, for the audit log: the values, and whether
 * the webhook's address or secret changed (never the secret itself). */
static json_t *settings_sent(struct req *r)
{
	json_t *sent = json_object();
	for (size_t i = 0; i < sizeof(site_settings) / sizeof(site_settings[0]); i++) {
		const char *value = req_param(r, site_settings[i].key);
		if (value)
			json_object_set_new(sent, site_settings[i].key, json_string(value));
	}
	for (int k = 0; k < WRITE_KINDS; k++) {
		const char *keys[2] = {write_limits[k].minute_key, write_limits[k].hour_key};
		for (int w = 0; w < 2; w++) {
			const char *value = req_param_trimmed(r, keys[w]);
			if (value)
				json_object_set_new(sent, keys[w], json_string(value));
		}
	}
	if (req_param(r, "webhook_url"))
		json_object_set_new(sent, "webhook_url", json_string(req_param(r, "webhook_url")));
	if (req_param_bool(r, "new_webhook_secret", false))
		json_object_set_new(sent, "new_webhook_secret", json_true());
	return sent;
}

json_t *admin_save_settings(struct req *r)
{
	/* Everything is checked before anything is stored. */
	for (size_t i = 0; i < sizeof(site_settings) / sizeof(site_settings[0]); i++) {
		const char *value = req_param(r, site_settings[i].key);
		bool known = !value;
		for (int v = 0; value && site_settings[i].values[v]; v++)
			known |= strcmp(value, site_settings[i].values[v]) == 0;
		if (!known) {
			req_fail(r, 422, "invalid", N_("Choose one of the values offered."));
			r->error.field = site_settings[i].key;
			return NULL;
		}
	}
	const char *typed = req_param(r, "webhook_url");
	const char *url = typed ? text_trim(arena_strdup(&r->arena, typed)) : NULL;
	const char *problem = url && *url ? webhook_url_problem(url) : NULL;
	if (problem)
		req_field_error(r, NULL, "webhook_url", problem);
	check_limits(r);
	if (req_has_field_errors(r)) {
		json_t *model = admin_settings(r);
		if (typed)
			json_object_set_new(json_object_get(model, "values"), "webhook_url", json_string(typed));
		json_object_set(model, "errors", r->error.fields);
		return req_invalid(r, model);
	}
	bool new_secret = req_param_bool(r, "new_webhook_secret", false);
	if (!url && new_secret)
		url = admin_setting_get(r->db, &r->arena, WEBHOOK_URL_SETTING);

	bool ok = db_begin(r->db);
	for (size_t i = 0; ok && i < sizeof(site_settings) / sizeof(site_settings[0]); i++) {
		const char *value = req_param(r, site_settings[i].key);
		if (value)
			ok = setting_set(r->db, site_settings[i].key, value);
	}
	if (ok && url)
		ok = save_webhook(r, url, new_secret);
	if (ok)
		ok = save_limits(r);
	/* Fewer endorsements needed: those who have enough are experts now. */
	if (ok)
		ok = experts_promote_endorsed(r->db, r->now);
	if (ok)
		ok = audit_by(r, "site.settings", "site", 0, 0, NULL, settings_sent(r));
	if (!ok || !db_commit(r->db)) {
		db_rollback(r->db);
		return req_fail_internal(r);
	}
	return req_done(r, 200, "/admin/settings?saved=1", admin_settings(r));
}
