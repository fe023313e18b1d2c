/* event_messages: hosts write to those going to their event (see
 * event_messages.h). */
#include "features/event_messages.h"

#include "auth/policy.h"
#include "auth/ratelimit.h"
#include "core/arena.h"
#include "core/grow.h"
#include "core/text.h"
#include "db/db.h"
#include "features/event_people.h"
#include "features/guests.h"
#include "features/items.h"
#include "http/req.h"
#include "i18n/i18n.h"
#include "jobs/events.h"
#include "render/links.h"
#include "render/markdown.h"
#include "render/render.h"

#include <stdio.h>
#include <string.h>

#define SUBJECT_MAX 150
#define BODY_MAX 5000
#define DAY (24 * 3600)
/* The messages a host's page lists. */
#define LISTED 20

/* The members a message to `audience` reaches (bind the event's id). */
#define RECIPIENTS_SQL                                                                                  \
	"SELECT r.user_id FROM event_rsvps r JOIN users u ON u.id = r.user_id WHERE r.item_id = ?"     \
	" AND (r.state = 'going' OR (? = 'going_and_waitlist' AND r.state = 'waitlisted'))"           \
	" AND " POLICY_ACCOUNT_SHOWN_SQL("u.status") " ORDER BY CASE WHEN r.state = 'going' THEN 0 ELSE 1 END, r.id"

static int64_t *members_of(struct db *db, struct arena *a, int64_t item_id, const char *audience, size_t *n)
{
	int64_t *ids = NULL;
	size_t cap = 0;
	*n = 0;
	struct db_stmt *st = db_query(db, RECIPIENTS_SQL, DB_ARGS(db_int(item_id), db_text(audience)));
	while (st && db_step(st) == DB_ROW) {
		GROW_ARENA(a, ids, *n, cap);
		ids[(*n)++] = db_int_col(st, 0);
	}
	db_done(st);
	return ids;
}

int64_t *event_messages_recipients(struct db *db, struct arena *a, int64_t message_id, size_t *n)
{
	*n = 0;
	struct db_stmt *st = db_query(db, "SELECT item_id, audience FROM event_messages WHERE id = ?",
				      DB_ARGS(db_int(message_id)));
	int64_t item_id = 0;
	const char *audience = NULL;
	if (st && db_step(st) == DB_ROW) {
		item_id = db_int_col(st, 0);
		audience = arena_strdup(a, db_text_col(st, 1));
	}
	db_done(st);
	return item_id ? members_of(db, a, item_id, audience, n) : NULL;
}

const char *event_messages_body(struct db *db, struct arena *a, int64_t message_id)
{
	struct db_stmt *st = db_query(db, "SELECT body FROM event_messages WHERE id = ?", DB_ARGS(db_int(message_id)));
	const char *body = st && db_step(st) == DB_ROW ? arena_strdup(a, db_text_col(st, 0)) : NULL;
	db_done(st);
	return body;
}

/* Those a message to the audience would reach, but for its writer. */
static size_t others(struct req *r, int64_t item_id, const char *audience)
{
	size_t n, count = 0;
	int64_t *ids = members_of(r->db, &r->arena, item_id, audience, &n);
	for (size_t i = 0; i < n; i++)
		count += ids[i] != r->user->id;
	return count;
}

json_t *event_messages_send(struct req *r)
{
	struct item it;
	if (!items_load(r, req_path_param(r, "id"), &it))
		return NULL;
	if (strcmp(it.kind, "event") != 0)
		return req_fail(r, 404, "not_found", N_("There is no such event."));
	if (!event_people_hosts(r, &it))
		return req_fail(r, 403, "forbidden", N_("Only the event's hosts can write to its attendees."));
	json_t *model = req_form_model(r, N_("Write to the attendees"), "subject,body,to");
	json_object_set_new(model, "url", json_string(link_item(&r->arena, it.id, it.title)));
	json_object_set_new(model, "id", json_integer(it.id));
	json_object_set_new(model, "event_title", json_string(it.title));

	const char *subject = req_param_trimmed(r, "subject");
	subject = subject ? text_clean_name(arena_strdup(&r->arena, subject)) : "";
	if (!*subject)
		req_field_error(r, model, "subject", N_("Give the message a subject."));
	else if (utf8_length(subject) > SUBJECT_MAX)
		req_field_error(r, model, "subject", N_("A subject has at most 150 characters."));
	else if (!text_printable(subject, false))
		req_field_error(r, model, "subject", N_("The text cannot contain control characters."));
	const char *body = req_param_trimmed(r, "body");
	if (!body || !*body)
		req_field_error(r, model, "body", N_("Write the message."));
	else if (utf8_length(body) > BODY_MAX)
		req_field_error(r, model, "body", N_("A message has at most 5000 characters."));
	else if (!text_printable(body, true))
		req_field_error(r, model, "body", N_("The text cannot contain control characters."));
	const char *to = req_param_trimmed(r, "to");
	if (!to || !*to)
		to = "going";
	bool waitlist = strcmp(to, "going_and_waitlist") == 0;
	json_object_set_new(json_object_get(model, "values"), "to_waitlist", json_boolean(waitlist));
	size_t recipients = 0;
	if (!waitlist && strcmp(to, "going") != 0)
		req_field_error(r, model, "to", N_("Write to those going, or to those going and the waitlist."));
	else if ((recipients = others(r, it.id, to) + (size_t)guests_count(r->db, it.id, waitlist)) == 0)
		req_field_error(r, model, "to", N_("No one is signed up yet: there is no one to write to."));
	if (db_failed(r->db))
		return req_fail_internal(r);
	if (req_has_field_errors(r))
		return req_invalid(r, model);

	char key[64];
	snprintf(key, sizeof(key), "event-message:%lld", (long long)it.id);
	int wait = ratelimit_take(r->db, key, MESSAGES_PER_DAY, DAY, r->now);
	if (wait > 0) {
		req_add_header(r, "Retry-After", arena_printf(&r->arena, "%d", wait));
		json_object_set_new(model, "retry_after", json_integer(wait));
		req_fail(r, 429, "rate_limited",
			 N_("This event has had as many messages as it may today. Try again tomorrow."));
		return model;
	}
	json_decref(model);
	struct db_stmt *st = db_query(r->db,
		"INSERT INTO event_messages (item_id, author_id, audience, subject, body, recipients, created_at)"
		" VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
		DB_ARGS(db_int(it.id), db_int(r->user->id), db_text(to), db_text(subject), db_text(body),
			db_int((int64_t)recipients), db_int(r->now)));
	int64_t id = st && db_step(st) == DB_ROW ? db_int_col(st, 0) : 0;
	db_done(st);
	if (id <= 0 || !event_record(r->db, &(struct event){.type = EVENT_MESSAGE_SENT, .actor_id = r->user->id,
							    .community_id = it.community_id, .item_id = it.id,
							    .object_id = id, .created_at = r->now,
							    .payload = json_pack("{s:s}", "subject", subject)}) ||
	    !guests_forward(r->db, it.id, subject, body, waitlist, r->now))
		return req_fail_internal(r);
	return req_done(r, 201, arena_printf(&r->arena, "%s#messages", link_item(&r->arena, it.id, it.title)),
			json_pack("{s:I, s:s, s:s, s:I}", "id", (json_int_t)id, "subject", subject, "to", to,
				  "recipients", (json_int_t)recipients));
}

/* The audiences whose messages the viewer reads: every one for a host,
 * else what their answer puts them in ("going", "waitlisted"); NULL for
 * none. */
static const char *audiences_read(struct req *r, const struct item *it, bool hosts)
{
	if (hosts)
		return "'going', 'going_and_waitlist'";
	if (!r->user)
		return NULL;
	struct db_stmt *st = db_query(r->db, "SELECT state FROM event_rsvps WHERE item_id = ? AND user_id = ?",
				      DB_ARGS(db_int(it->id), db_int(r->user->id)));
	const char *audiences = NULL;
	if (st && db_step(st) == DB_ROW)
		audiences = strcmp(db_text_col(st, 0), "going") == 0 ? "'going', 'going_and_waitlist'"
								      : "'going_and_waitlist'";
	db_done(st);
	return audiences;
}

void event_messages_fill(struct req *r, json_t *o, const struct item *it)
{
	json_t *e = json_object_get(o, "event");
	if (strcmp(it->kind, "event") != 0 || !e)
		return;
	bool hosts = event_people_hosts(r, it);
	const char *audiences = audiences_read(r, it, hosts);
	if (!audiences)
		return;
	json_t *list = json_array();
	/* audiences is one of this file's constants. */
	struct db_stmt *st = db_query(r->db, arena_printf(&r->arena,
		"SELECT m.id, m.subject, m.body, m.audience, m.recipients, m.created_at, u.handle, u.name"
		" FROM event_messages m LEFT JOIN users u ON u.id = m.author_id WHERE m.item_id = ?"
		" AND m.audience IN (%s) ORDER BY m.id DESC LIMIT ?", audiences),
		DB_ARGS(db_int(it->id), db_int(LISTED)));
	while (st && db_step(st) == DB_ROW) {
		const char *audience = db_text_col(st, 3);
		json_t *m = json_pack("{s:I, s:s, s:o}", "id", (json_int_t)db_int_col(st, 0), "subject",
				      db_text_col(st, 1), "body_html", markdown_json(db_text_col(st, 2)));
		/* To whom, and how many: for the hosts. */
		if (hosts)
			json_object_update_new(m, json_pack("{s:s, s:b, s:I}", "to", audience, "to_waitlist",
							   strcmp(audience, "going_and_waitlist") == 0, "recipients",
							   (json_int_t)db_int_col(st, 4)));
		render_add_time(m, "created", db_int_col(st, 5));
		if (!db_null_col(st, 6))
			json_object_set_new(m, "author", json_pack("{s:s, s:s}", "handle", db_text_col(st, 6), "name",
								   db_text_col(st, 7)));
		json_array_append_new(list, m);
	}
	db_done(st);
	json_object_set_new(e, "messages", list);
	if (hosts)
		json_object_set_new(e, "message_limit", json_integer(MESSAGES_PER_DAY));
}
