/* member_states: suspending, excluding and reinstating members (see
 * member_states.h). */
#include "features/member_states.h"

#include "auth/account_states.h"
#include "auth/apitoken.h"
#include "auth/policy.h"
#include "auth/session.h"
#include "core/arena.h"
#include "core/config.h"
#include "core/text.h"
#include "core/zone.h"
#include "db/db.h"
#include "features/communities.h"
#include "features/follows.h"
#include "features/mail_content.h"
#include "features/people.h"
#include "http/req.h"
#include "i18n/format.h"
#include "i18n/i18n.h"
#include "jobs/events.h"
#include "jobs/outbox.h"
#include "render/links.h"
#include "render/render.h"

#include <string.h>

/* The longest suspension: longer is an exclusion. */
#define SUSPENSION_MAX (3660 * 24 * 3600LL)

/* The account of the path, for someone who may act on it; false after
 * answering (404 for no such account, 403 for who may not). */
static bool target(struct req *r, struct account_state *who)
{
	if (!account_states_find(r->db, &r->arena, req_path_param(r, "handle"), who)) {
		if (db_failed(r->db))
			req_fail_internal(r);
		else
			req_fail(r, 404, "not_found", N_("There is no member with that handle."));
		return false;
	}
	struct policy_subject s = {.kind = POLICY_ACCOUNT, .owner_id = who->id, .owner_role = who->role};
	enum policy_verdict v = policy_decide(r->user, POLICY_MODERATE, &s);
	if (v == POLICY_ALLOW)
		return true;
	policy_refuse(r, v, NULL,
		      who->id == r->user->id ? N_("You cannot do that to your own account.")
					     : N_("Only an admin, or a moderator for a member, can do that."));
	return false;
}

/* The end of a suspension: a day (its midnight, UTC) or a time (UTC),
 * after now and within SUSPENSION_MAX; 0 after answering 422. */
static int64_t until_field(struct req *r)
{
	const char *sent = req_param_trimmed(r, "until");
	int64_t until = -1;
	struct zone_local local;
	if (sent && strlen(sent) == 10)
		until = text_parse_date(sent);
	else if (sent && zone_parse_local(sent, &local) && !zone_to_utc("UTC", &local, &until))
		until = -1;
	const char *problem = NULL;
	if (!sent || !*sent)
		problem = N_("Give the day the suspension ends.");
	else if (until < 0)
		problem = N_("Give the end as YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC).");
	else if (until <= r->now)
		problem = N_("The end of a suspension lies in the future.");
	else if (until - r->now > SUSPENSION_MAX)
		problem = N_("A suspension lasts at most ten years; exclude the member instead.");
	if (!problem)
		return until;
	req_fail(r, 422, "invalid", problem);
	r->error.field = "until";
	return 0;
}

/* What happened, recorded in the write's transaction: the one place the
 * side effects of these actions start from (notifications here; an audit
 * log takes the same events). */
static bool record(struct db *db, enum event_type type, int64_t actor, int64_t member, json_t *payload, int64_t now)
{
	return event_record(db, &(struct event){.type = type, .actor_id = actor, .member_id = member,
						.created_at = now, .payload = payload});
}

/* Mails the member what was decided (queued in the write's transaction):
 * paragraphs after the greeting, in their language. */
static bool mail(struct req *r, const struct account_state *who, const char *kind, const char *subject_msgid,
		 const char *const *paragraph_msgids, const char *reason, int64_t until)
{
	int locale = who->locale && i18n_locale_index(who->locale) >= 0 ? i18n_locale_index(who->locale) : r->locale;
	struct arena *a = &r->arena;
	const char *until_text = until ? account_states_time_text(a, until) : "";
	const char *paragraphs[8];
	json_t *html = json_array();
	size_t n = 0;
	paragraphs[n++] = format_message(a, locale, N_("Hello {{name}},"), "name", who->name, NULL);
	for (size_t i = 0; paragraph_msgids[i] && n < 6; i++) {
		paragraphs[n] = format_message(a, locale, paragraph_msgids[i], "site_name", config.site_name, "until",
					       until_text, "reason", reason ? reason : "", NULL);
		json_array_append_new(html, json_string(paragraphs[n++]));
	}
	paragraphs[n++] = mail_content_link(a, "/");
	paragraphs[n] = NULL;
	const char *subject = format_message(a, locale, subject_msgid, "site_name", config.site_name, NULL);
	json_t *model = json_pack("{s:s, s:s, s:o, s:s}", "subject", subject, "name", who->name, "paragraphs", html,
				  "link", paragraphs[n - 1]);
	struct outbox_message m = {
		.kind = kind,
		.user_id = who->id,
		.to_name = who->name,
		.to_address = who->email,
		.subject = subject,
		.text = mail_content_text(a, paragraphs),
		.html = mail_content_html(a, "account_state", model, locale),
	};
	return m.html && outbox_add(r->db, &m, r->now);
}

/* Where the HTML form goes on to: the review queue when it was sent from
 * there (the field `return`), else the person's page. */
const char *member_states_return(struct req *r, const char *handle)
{
	const char *back = req_param_trimmed(r, "return");
	if (back && strcmp(back, "/moderation") == 0)
		return "/moderation";
	return link_person(&r->arena, handle);
}

static json_t *answer(struct req *r, const struct account_state *who, const char *status)
{
	return req_done(r, 200, member_states_return(r, who->handle),
			json_pack("{s:s, s:s}", "handle", who->handle, "status", status));
}

static json_t *wrong_state(struct req *r, const char *msgid)
{
	return req_fail(r, 409, "wrong_state", msgid);
}

bool member_states_suspend_as(struct req *r, const struct account_state *who, const char *reason, int64_t until,
			      int64_t actor_id)
{
	static const char *const says[] = {
		N_("Your account on {{site_name}} is suspended until {{until}}."),
		N_("The reason: {{reason}}"),
		N_("Until then you can read, but not post, comment, react or join. The suspension ends by itself."),
		NULL,
	};
	return account_states_suspend(r->db, who->id, reason, until, actor_id, r->now) &&
	       record(r->db, EVENT_MEMBER_SUSPENDED, actor_id, who->id,
		      json_pack("{s:s, s:I}", "reason", reason, "until", (json_int_t)until), r->now) &&
	       mail(r, who, "account_suspended", N_("Your account on {{site_name}} is suspended"), says, reason, until);
}

json_t *member_states_suspend(struct req *r)
{
	struct account_state who;
	if (!target(r, &who))
		return NULL;
	if (strcmp(who.status, "excluded") == 0)
		return wrong_state(r, N_("This member is excluded; reinstate them first."));
	int64_t until = until_field(r);
	const char *reason = until ? account_states_reason_field(r) : NULL;
	if (!reason)
		return NULL;
	if (!member_states_suspend_as(r, &who, reason, until, r->user->id))
		return req_fail_internal(r);
	json_t *m = answer(r, &who, "suspended");
	json_object_set_new(m, "until", json_integer(until));
	json_object_set_new(m, "reason", json_string(reason));
	return m;
}

json_t *member_states_unsuspend(struct req *r)
{
	struct account_state who;
	if (!target(r, &who))
		return NULL;
	/* One whose suspension ended by the clock is active already. */
	if (strcmp(who.status, "suspended") != 0 || who.ends_at <= r->now)
		return wrong_state(r, N_("This member is not suspended."));
	if (!account_states_reinstate(r->db, who.id) ||
	    !record(r->db, EVENT_MEMBER_UNSUSPENDED, r->user->id, who.id, NULL, r->now))
		return req_fail_internal(r);
	return answer(r, &who, "active");
}

json_t *member_states_exclude(struct req *r)
{
	struct account_state who;
	if (!target(r, &who))
		return NULL;
	if (strcmp(who.status, "excluded") == 0)
		return wrong_state(r, N_("This member is excluded already."));
	const char *content = req_param_trimmed(r, "content");
	if (content && *content && strcmp(content, "keep") != 0 && strcmp(content, "hide") != 0) {
		req_fail(r, 422, "invalid", N_("Choose whether their posts are kept or hidden."));
		r->error.field = "content";
		return NULL;
	}
	bool hide = content && strcmp(content, "hide") == 0;
	const char *reason = account_states_reason_field(r);
	if (!reason)
		return NULL;
	static const char *const says[] = {
		N_("Your account on {{site_name}} is closed: you can no longer sign in."),
		N_("The reason: {{reason}}"),
		N_("If you think this is a mistake, reply to this message or write to the site's moderators."),
		NULL,
	};
	/* All at once: a session or token left would keep them in. */
	if (!account_states_exclude(r->db, who.id, reason, hide, r->user->id, r->now) ||
	    !session_end_all(r, who.id) || !apitoken_revoke_all(r, who.id) ||
	    !communities_forget_requests(r, who.id) || !follows_forget_member(r->db, who.id) ||
	    !record(r->db, EVENT_MEMBER_EXCLUDED, r->user->id, who.id,
		    json_pack("{s:s, s:s}", "reason", reason, "content", hide ? "hide" : "keep"), r->now) ||
	    !mail(r, &who, "account_excluded", N_("Your account on {{site_name}} is closed"), says, reason, 0))
		return req_fail_internal(r);
	json_t *m = answer(r, &who, "excluded");
	json_object_set_new(m, "content", json_string(hide ? "hide" : "keep"));
	return m;
}

json_t *member_states_reinstate(struct req *r)
{
	struct account_state who;
	if (!target(r, &who))
		return NULL;
	if (strcmp(who.status, "excluded") != 0)
		return wrong_state(r, N_("This member is not excluded."));
	static const char *const says[] = {
		N_("Your account on {{site_name}} is open again: you can sign in."),
		NULL,
	};
	if (!account_states_reinstate(r->db, who.id) ||
	    !record(r->db, EVENT_MEMBER_REINSTATED, r->user->id, who.id, NULL, r->now) ||
	    !mail(r, &who, "account_reinstated", N_("Your account on {{site_name}} is open again"), says, NULL, 0))
		return req_fail_internal(r);
	return answer(r, &who, "active");
}

json_t *member_states_person_page(struct req *r)
{
	json_t *model = people_profile(r);
	struct account_state who;
	/* Only staff act on accounts: the others' pages ask nothing more. */
	if ((!model && r->status != 404) || !policy_site_allows(r, POLICY_MODERATE) ||
	    !account_states_find(r->db, &r->arena, req_path_param(r, "handle"), &who))
		return model;
	struct policy_subject s = {.kind = POLICY_ACCOUNT, .owner_id = who.id, .owner_role = who.role};
	if (!policy_allows(r->user, POLICY_MODERATE, &s))
		return model;
	if (!model) {
		/* An excluded member has no profile; those who may reinstate
		 * them see the card that does. */
		if (strcmp(who.status, "excluded") != 0)
			return NULL;
		r->error.set = false;
		r->status = 200;
		model = json_pack("{s:s}", "title", who.name);
	}
	bool suspended = strcmp(who.status, "suspended") == 0 && who.ends_at > r->now;
	json_t *m = json_pack("{s:s, s:s, s:b, s:b, s:b, s:b}", "handle", who.handle, "status", suspended ? "suspended" : who.status,
			      "is_suspended", suspended, "is_excluded", strcmp(who.status, "excluded") == 0,
			      "is_active", !suspended && strcmp(who.status, "excluded") != 0, "hides_content",
			      who.hides_content);
	if (who.reason && strcmp(who.status, "active") != 0)
		json_object_set_new(m, "reason", json_string(who.reason));
	if (suspended)
		render_add_time(m, "until", who.ends_at);
	json_object_set_new(model, "moderation", m);
	return model;
}

int64_t member_states_end_suspensions(struct db *db, struct arena *a, int64_t now)
{
	size_t n;
	int64_t *ids = account_states_ended(db, a, now, &n);
	if (db_failed(db))
		return -1;
	int64_t ended = 0;
	for (size_t i = 0; i < n; i++) {
		/* Each in a transaction of its own, with its event. */
		bool ok = db_begin(db);
		int claimed = ok ? account_states_end_suspension(db, ids[i], now) : -1;
		if (claimed > 0)
			ok = record(db, EVENT_MEMBER_UNSUSPENDED, 0, ids[i], json_pack("{s:b}", "ended", 1), now);
		if (claimed < 0 || !ok || !db_commit(db)) {
			db_rollback(db);
			return -1;
		}
		ended += claimed;
	}
	return ended;
}
