/* community_webhooks: a community's own webhooks (see community_webhooks.h). */
#include "features/community_webhooks.h"

#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/mem.h"
#include "db/db.h"
#include "features/communities.h"
#include "features/webhooks.h"
#include "http/req.h"
#include "i18n/format.h"
#include "i18n/i18n.h"
#include "jobs/events.h"
#include "jobs/jobs.h"
#include "jobs/webhook.h"
#include "render/links.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a hook may take: an event of the type (of an item of the kind,
 * when kind is set). code is how forms, the API and the log name it;
 * column the hooks table's column that says whether a hook takes it; chat
 * the line a chat gets, with the community, the linked title and the
 * author. */
struct topic {
	enum event_type type;
	const char *kind, *code, *column, *label, *chat;
};
static const struct topic topics[] = {
	{EVENT_ITEM_CREATED, "question", "questions", "on_questions", N_("New questions"),
	 N_("New question in {{community}}: {{title}}, asked by {{author}}")},
	{EVENT_ITEM_CREATED, "answer", "answers", "on_answers", N_("Answers"),
	 N_("New answer in {{community}} to {{title}}, by {{author}}")},
	{EVENT_ANSWER_ACCEPTED, NULL, "accepted_answers", "on_accepted", N_("Accepted answers"),
	 N_("Answer accepted in {{community}} on {{title}}, written by {{author}}")},
	{EVENT_ITEM_CREATED, "article", "best_practices", "on_best_practices", N_("New best practices"),
	 N_("New best practice in {{community}}: {{title}}, by {{author}}")},
};
#define TOPICS (sizeof(topics) / sizeof(topics[0]))
/* The log's name for a test message. */
#define TEST_CODE "test"

/* The chats' names are not translated. */
static const struct {
	const char *code, *label;
	bool translated;
} formats[] = {
	{"slack", "Slack", false},
	{"mattermost", "Mattermost", false},
	{"json", N_("Signed JSON"), true},
};
#define FORMATS (sizeof(formats) / sizeof(formats[0]))

/* The topic the event is, or -1. An acceptance taken back is none. */
static int topic_of(const struct event *e)
{
	if (e->type == EVENT_ANSWER_ACCEPTED && !json_is_true(json_object_get(e->payload, "accepted")))
		return -1;
	const char *kind = json_string_value(json_object_get(e->payload, "kind"));
	for (size_t t = 0; t < TOPICS; t++)
		if (topics[t].type == e->type && (!topics[t].kind || (kind && strcmp(topics[t].kind, kind) == 0)))
			return (int)t;
	return -1;
}

static const char *topic_label(struct req *r, const char *code)
{
	for (size_t i = 0; i < TOPICS; i++)
		if (strcmp(topics[i].code, code) == 0)
			return tr(r, topics[i].label);
	return strcmp(code, TEST_CODE) == 0 ? tr(r, N_("Test message")) : code;
}

/* ---- queueing ---------------------------------------------------------- */

bool community_webhooks_on_event(struct db *db, const struct event *e)
{
	int topic = topic_of(e);
	if (topic < 0 || !e->community_id)
		return true;
	/* The column comes from the table above, never from input. */
	char sql[160];
	snprintf(sql, sizeof(sql), "SELECT id FROM community_webhooks WHERE community_id = ? AND enabled = 1 AND %s = 1",
		 topics[topic].column);
	/* Room for every hook a community may have, and some made at the same
	 * time as the last one allowed. */
	int64_t hooks[COMMUNITY_WEBHOOKS_MAX * 2];
	size_t n = 0;
	struct db_stmt *st = db_query(db, sql, DB_ARGS(db_int(e->community_id)));
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		if (n < sizeof(hooks) / sizeof(hooks[0]))
			hooks[n++] = db_int_col(st, 0);
	db_done(st);
	if (rc != DB_DONE)
		return false;
	for (size_t i = 0; i < n; i++) {
		char payload[80], key[80];
		snprintf(payload, sizeof(payload), "{\"hook\":%lld,\"event\":%lld}", (long long)hooks[i], (long long)e->id);
		snprintf(key, sizeof(key), "event:%lld:hook:%lld", (long long)e->id, (long long)hooks[i]);
		if (!jobs_enqueue(db, COMMUNITY_WEBHOOK_JOB, payload, e->created_at, e->created_at, key))
			return false;
	}
	return true;
}

/* ---- delivering -------------------------------------------------------- */

struct hook {
	int64_t id, community_id;
	const char *url, *format, *secret;
	bool enabled;
	const char *slug, *name;
	int locale; /* the community's language, for chat messages */
};

/* 1 with *h filled, 0 when there is no such hook (removed), -1 on a
 * database error. */
static int load_hook(struct db *db, struct arena *a, int64_t id, struct hook *h)
{
	struct db_stmt *st = db_query(db,
		"SELECT h.community_id, h.url, h.format, h.secret, h.enabled, c.slug, c.name, c.language"
		" FROM community_webhooks h JOIN communities c ON c.id = h.community_id WHERE h.id = ?",
		DB_ARGS(db_int(id)));
	int rc = db_step(st);
	if (rc == DB_ROW) {
		int locale = i18n_locale_index(db_text_col(st, 7));
		*h = (struct hook){
			.id = id,
			.community_id = db_int_col(st, 0),
			.url = arena_strdup(a, db_text_col(st, 1)),
			.format = arena_strdup(a, db_text_col(st, 2)),
			.secret = db_null_col(st, 3) ? NULL : arena_strdup(a, db_text_col(st, 3)),
			.enabled = db_int_col(st, 4) != 0,
			.slug = arena_strdup(a, db_text_col(st, 5)),
			.name = arena_strdup(a, db_text_col(st, 6)),
			.locale = locale < 0 ? LOCALE_EN : locale,
		};
	}
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* The item as it is now, while it is live in the hook's community (and an
 * answer's question too): 1, 0 when it is not, -1 on a database error. An
 * accepted answer (must_be_accepted) must still be its question's
 * accepted one. */
static int load_item(struct db *db, struct arena *a, int64_t id, const struct hook *h, bool must_be_accepted,
		     struct webhooks_item *it)
{
	struct db_stmt *st = db_query(db,
		"SELECT i.kind, i.title, i.parent_id, p.title, i.created_at, u.handle, u.name, p.accepted_answer_id"
		" FROM items i LEFT JOIN items p ON p.id = i.parent_id"
		" LEFT JOIN users u ON u.id = i.author_id AND " POLICY_ACCOUNT_SHOWN_SQL("u.status")
		" WHERE i.id = ? AND i.community_id = ? AND i.deleted_at IS NULL"
		" AND (i.parent_id IS NULL OR p.deleted_at IS NULL)",
		DB_ARGS(db_int(id), db_int(h->community_id)));
	int rc = db_step(st);
	bool shown = rc == DB_ROW && (!must_be_accepted || (!db_null_col(st, 2) && db_int_col(st, 7) == id));
	if (shown) {
		int64_t parent = db_null_col(st, 2) ? 0 : db_int_col(st, 2);
		const char *title = db_text_col(st, parent ? 3 : 1);
		*it = (struct webhooks_item){
			.id = id,
			.kind = arena_strdup(a, db_text_col(st, 0)),
			.title = arena_strdup(a, title),
			.url = parent ? arena_printf(a, "%s#answer-%lld", link_item(a, parent, title), (long long)id)
				      : link_item(a, id, title),
			.community_slug = h->slug,
			.community_name = h->name,
			.author_handle = db_null_col(st, 5) ? NULL : arena_strdup(a, db_text_col(st, 5)),
			.author_name = db_null_col(st, 6) ? NULL : arena_strdup(a, db_text_col(st, 6)),
			.created_at = db_int_col(st, 4),
		};
	}
	db_done(st);
	return rc == DB_ROW || rc == DB_DONE ? shown : -1;
}

/* Slack's mrkdwn: &, < and > as entities, the link as <url|text>. */
static void put_slack(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '&')
			buf_puts(b, "&amp;");
		else if (*s == '<')
			buf_puts(b, "&lt;");
		else if (*s == '>')
			buf_puts(b, "&gt;");
		else
			buf_putc(b, *s);
	}
}

/* Markdown: every character that could start markup, escaped with '\'. */
static void put_markdown(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (strchr("\\`*_{}[]()<>#+-.!|~", *s))
			buf_putc(b, '\\');
		buf_putc(b, *s);
	}
}

/* text as a link to url (absolute) in the hook's chat format; plain text
 * (escaped) when url is NULL. */
static const char *chat_link(struct arena *a, const char *format, const char *text, const char *url)
{
	struct buf b = {0};
	bool slack = strcmp(format, "slack") == 0;
	if (slack && url) {
		buf_putc(&b, '<');
		put_slack(&b, url);
		buf_putc(&b, '|');
	} else if (url) {
		buf_putc(&b, '[');
	}
	(slack ? put_slack : put_markdown)(&b, text);
	if (slack && url) {
		buf_putc(&b, '>');
	} else if (url) {
		buf_puts(&b, "](");
		buf_puts(&b, url);
		buf_putc(&b, ')');
	}
	const char *out = arena_strndup(a, b.data, b.len);
	buf_free(&b);
	return out;
}

/* {"text": line} as text (json_text_free it). */
static char *chat_body(const char *line)
{
	json_t *message = json_pack("{s:s}", "text", line);
	char *body = json_dumps(message, JSON_COMPACT);
	json_decref(message);
	return body;
}

/* The message of the event for the hook, as text (json_text_free it), or
 * NULL when there is nothing to send. *failed: a database error. */
static char *event_body(struct db *db, struct arena *a, const struct hook *h, const struct event *e, int topic,
			int64_t now, bool *failed)
{
	struct webhooks_item it;
	bool accepted = e->type == EVENT_ANSWER_ACCEPTED;
	int rc = load_item(db, a, accepted ? e->object_id : e->item_id, h, accepted, &it);
	*failed = rc < 0;
	if (rc <= 0)
		return NULL;
	if (strcmp(h->format, "json") == 0)
		return webhooks_body(e, now, webhooks_item_json(&it));
	const char *community = chat_link(a, h->format, h->name, link_absolute(a, link_community(a, h->slug)));
	const char *title = chat_link(a, h->format, it.title, link_absolute(a, it.url));
	const char *author = chat_link(a, h->format,
				       it.author_name ? it.author_name : i18n_get(h->locale, N_("a former member")), NULL);
	return chat_body(format_message(a, h->locale, topics[topic].chat, "community", community, "title", title, "author",
					author, NULL));
}

/* A test message: {"event": "ping", "sent_at", "community"} signed, or a
 * line for the chat. */
static char *test_body(struct arena *a, const struct hook *h, int64_t now)
{
	if (strcmp(h->format, "json") == 0) {
		json_t *message = json_pack("{s:s, s:I, s:{s:s, s:s}}", "event", "ping", "sent_at", (json_int_t)now,
					    "community", "slug", h->slug, "name", h->name);
		char *body = json_dumps(message, JSON_COMPACT);
		json_decref(message);
		return body;
	}
	const char *community = chat_link(a, h->format, h->name, link_absolute(a, link_community(a, h->slug)));
	return chat_body(
		format_message(a, h->locale, N_("Test message from {{community}}: this webhook works."), "community",
			       community, NULL));
}

/* Adds the attempt to the hook's log and forgets the oldest beyond
 * COMMUNITY_WEBHOOK_LOG_KEPT. A failure here is only logged: the message
 * went out, or its job is tried again anyway. */
static void log_attempt(struct db *db, int64_t hook, const char *code, int64_t now, long status, const char *error)
{
	if (db_exec(db, "INSERT INTO community_webhook_attempts (hook_id, event, attempted_at, status, error)"
			" VALUES (?, ?, ?, ?, ?)",
		    DB_ARGS(db_int(hook), db_text(code), db_int(now), status ? db_int(status) : db_null(),
			    db_text(error))) != 1 ||
	    db_exec(db, "DELETE FROM community_webhook_attempts WHERE hook_id = ? AND id <= (SELECT id FROM"
			" community_webhook_attempts WHERE hook_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)",
		    DB_ARGS(db_int(hook), db_int(hook), db_int(COMMUNITY_WEBHOOK_LOG_KEPT))) < 0)
		fprintf(stderr, "community webhooks: could not log an attempt of hook %lld\n", (long long)hook);
}

const char *community_webhooks_deliver(struct db *db, struct arena *a, const struct job *job, int64_t now)
{
	json_t *payload = json_loads(job->payload, 0, NULL);
	int64_t hook_id = json_integer_value(json_object_get(payload, "hook"));
	int64_t event_id = json_integer_value(json_object_get(payload, "event"));
	json_decref(payload);
	struct hook h;
	int rc = load_hook(db, a, hook_id, &h);
	if (rc < 0)
		return "a database error (see the log)";
	/* A hook removed, or turned off since, sends nothing more; a test
	 * message goes out either way. */
	if (rc == 0 || (event_id && !h.enabled))
		return NULL;
	struct event e = {0};
	int topic = -1;
	if (event_id) {
		rc = event_load(db, event_id, &e);
		if (rc < 0)
			return "a database error (see the log)";
		if (rc == 0 || (topic = topic_of(&e)) < 0) {
			json_decref(e.payload);
			return "the job names no event a community's webhook takes";
		}
	}
	bool failed = false;
	char *body = event_id ? event_body(db, a, &h, &e, topic, now, &failed) : test_body(a, &h, now);
	json_decref(e.payload);
	if (failed)
		return "a database error (see the log)";
	/* Deleted, or no longer accepted, before it went out. */
	if (!body)
		return NULL;
	long status;
	const char *error = webhook_post(a,
					 &(struct webhook_message){.url = h.url, .body = body,
								   .event = event_id ? event_type_name(e.type) : "ping",
								   .delivery = job->id, .secret = h.secret,
								   .public_only = !config.webhooks_allow_private},
					 &status);
	json_text_free(body);
	log_attempt(db, h.id, event_id ? topics[topic].code : TEST_CODE, now, status, error);
	return error;
}

/* ---- the page ------------------------------------------------------------ */

/* The hook's last attempts, newest first. */
static json_t *attempts(struct req *r, int64_t hook)
{
	json_t *list = json_array();
	struct db_stmt *st = db_query(r->db,
		"SELECT event, attempted_at, status, error FROM community_webhook_attempts WHERE hook_id = ?"
		" ORDER BY id DESC LIMIT ?", DB_ARGS(db_int(hook), db_int(COMMUNITY_WEBHOOK_LOG_SHOWN)));
	while (db_step(st) == DB_ROW) {
		const char *code = db_text_col(st, 0);
		json_array_append_new(list, json_pack("{s:s, s:s, s:I, s:o, s:o, s:b}", "event", code, "event_label",
						      topic_label(r, code), "attempted_at", (json_int_t)db_int_col(st, 1),
						      "status", db_null_col(st, 2) ? json_null() : json_integer(db_int_col(st, 2)),
						      "error", db_null_col(st, 3) ? json_null() : json_string(db_text_col(st, 3)),
						      "ok", db_null_col(st, 3)));
	}
	db_done(st);
	return list;
}

static const char *format_label(struct req *r, const char *code)
{
	for (size_t i = 0; i < FORMATS; i++)
		if (strcmp(formats[i].code, code) == 0)
			return formats[i].translated ? tr(r, formats[i].label) : formats[i].label;
	return code;
}

/* The community's hooks with their logs; never their secrets. */
static json_t *hooks_list(struct req *r, const struct community_access *a)
{
	json_t *list = json_array();
	struct buf sql = {0};
	buf_puts(&sql, "SELECT id, url, format, enabled, created_at");
	for (size_t t = 0; t < TOPICS; t++)
		buf_printf(&sql, ", %s", topics[t].column);
	buf_puts(&sql, " FROM community_webhooks WHERE community_id = ? ORDER BY id");
	struct db_stmt *st = db_query(r->db, sql.data, DB_ARGS(db_int(a->id)));
	while (db_step(st) == DB_ROW) {
		int64_t id = db_int_col(st, 0);
		json_t *events = json_array(), *labels = json_array();
		for (size_t t = 0; t < TOPICS; t++)
			if (db_int_col(st, 5 + (int)t)) {
				json_array_append_new(events, json_string(topics[t].code));
				json_array_append_new(labels, json_string(tr(r, topics[t].label)));
			}
		const char *format = db_text_col(st, 2);
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s, s:b, s:I, s:o, s:o, s:s}", "id", (json_int_t)id,
						      "url", db_text_col(st, 1), "format", format, "format_label",
						      format_label(r, format), "enabled", db_int_col(st, 3) != 0,
						      "created_at", (json_int_t)db_int_col(st, 4), "events", events,
						      "event_labels", labels, "path",
						      arena_printf(&r->arena, "%s/webhooks/%lld", link_community(&r->arena, a->slug),
								   (long long)id)));
	}
	db_done(st);
	buf_free(&sql);
	/* The logs after the list: one statement at a time. */
	size_t i;
	json_t *hook;
	json_array_foreach(list, i, hook)
		json_object_set_new(hook, "attempts", attempts(r, json_integer_value(json_object_get(hook, "id"))));
	return list;
}

/* The page: the community, its hooks and the form to add one, with what
 * was sent (format and events checked; events NULL: every one) when it
 * comes back with errors. */
static json_t *page_model(struct req *r, const struct community_access *a, const char *url, const char *format,
			  const bool *events)
{
	json_t *m = communities_model(r, a);
	json_object_set_new(m, "title", json_string(tr(r, N_("Webhooks"))));
	json_object_set_new(m, "community_name", json_string(a->name));
	json_object_set_new(m, "items", hooks_list(r, a));
	json_t *format_options = json_array(), *event_options = json_array();
	for (size_t i = 0; i < FORMATS; i++)
		json_array_append_new(format_options, json_pack("{s:s, s:s, s:b}", "value", formats[i].code, "label",
								format_label(r, formats[i].code), "selected",
								strcmp(formats[i].code, format) == 0));
	for (size_t t = 0; t < TOPICS; t++)
		json_array_append_new(event_options, json_pack("{s:s, s:s, s:b}", "value", topics[t].code, "label",
							       tr(r, topics[t].label), "checked", !events || events[t]));
	json_object_set_new(m, "format_options", format_options);
	json_object_set_new(m, "event_options", event_options);
	json_object_set_new(m, "values", json_pack("{s:s}", "url", url));
	return m;
}

json_t *community_webhooks_page(struct req *r)
{
	struct community_access a;
	if (!communities_managed(r, &a))
		return NULL;
	return page_model(r, &a, "", "slack", NULL);
}

/* The events field (checkboxes, a JSON list or a comma-separated list)
 * into chosen[]: the number chosen, or -1 when one is not known. */
static int parse_events(const char *sent, bool chosen[TOPICS])
{
	memset(chosen, 0, TOPICS * sizeof(bool));
	int n = 0;
	while (sent && *sent) {
		size_t len = strcspn(sent, ",");
		bool known = len == 0;
		for (size_t t = 0; t < TOPICS && !known; t++)
			if (strlen(topics[t].code) == len && strncmp(topics[t].code, sent, len) == 0) {
				n += !chosen[t];
				chosen[t] = known = true;
			}
		if (!known)
			return -1;
		sent += len + (sent[len] == ',');
	}
	return n;
}

json_t *community_webhooks_add(struct req *r)
{
	struct community_access a;
	if (!communities_managed(r, &a))
		return NULL;
	const char *url = req_param_trimmed(r, "url");
	const char *format = req_param_trimmed(r, "format");
	bool events[TOPICS];
	int chosen = parse_events(req_param_all(r, "events"), events);
	bool format_known = false;
	for (size_t i = 0; format && i < FORMATS; i++)
		format_known = format_known || strcmp(formats[i].code, format) == 0;
	json_t *model = page_model(r, &a, url ? url : "", format_known ? format : "slack", events);
	const char *problem = url && *url ? webhook_url_problem(url) : N_("Enter the address the messages go to.");
	if (problem)
		req_field_error(r, model, "url", problem);
	if (!format_known)
		req_field_error(r, model, "format", N_("Choose Slack, Mattermost or signed JSON."));
	if (chosen < 0)
		req_field_error(r, model, "events", N_("The events are questions, answers, accepted_answers and best_practices."));
	else if (chosen == 0)
		req_field_error(r, model, "events", N_("Choose at least one event."));
	if (!req_has_field_errors(r) &&
	    db_scalar_int(r->db, 0, "SELECT COUNT(*) FROM community_webhooks WHERE community_id = ?",
			  DB_ARGS(db_int(a.id))) >= COMMUNITY_WEBHOOKS_MAX)
		req_field_error(r, model, "url", N_("A community has at most 20 webhooks; remove one first."));
	if (req_has_field_errors(r))
		return req_invalid(r, model);
	json_decref(model);
	char secret[WEBHOOK_SECRET_CHARS + 1];
	bool signed_json = strcmp(format, "json") == 0;
	if (signed_json)
		webhook_new_secret(secret);
	/* One column per topic, as the table above names them. */
	struct buf sql = {0};
	buf_puts(&sql, "INSERT INTO community_webhooks (community_id, url, format, secret, enabled, created_by, created_at");
	for (size_t t = 0; t < TOPICS; t++)
		buf_printf(&sql, ", %s", topics[t].column);
	buf_puts(&sql, ") VALUES (?, ?, ?, ?, 1, ?, ?");
	struct db_value args[6 + TOPICS] = {db_int(a.id), db_text(url), db_text(format),
					    signed_json ? db_text(secret) : db_null(), db_int(r->user->id), db_int(r->now)};
	for (size_t t = 0; t < TOPICS; t++) {
		buf_puts(&sql, ", ?");
		args[6 + t] = db_int(events[t]);
	}
	buf_puts(&sql, ") RETURNING id");
	struct db_stmt *st = db_query(r->db, sql.data, args, 6 + TOPICS);
	int64_t id = db_step(st) == DB_ROW ? db_int_col(st, 0) : 0;
	db_done(st);
	buf_free(&sql);
	if (!id)
		return req_fail_internal(r);
	json_t *created = json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)id, "url", url, "format", format,
				    "secret", signed_json ? json_string(secret) : json_null());
	if (r->api) {
		r->status = 201;
		return created;
	}
	/* The page shows the secret this once. */
	model = page_model(r, &a, "", "slack", NULL);
	json_object_set_new(model, "created", created);
	return model;
}

/* The hook of the path in the community its hosts run; 0 after answering
 * 404 or 403. */
static int64_t managed_hook(struct req *r, struct community_access *a)
{
	if (!communities_managed(r, a))
		return 0;
	char *end = NULL;
	long long id = strtoll(req_path_param(r, "id"), &end, 10);
	if (*end || id <= 0 || !db_exists(r->db, "SELECT 1 FROM community_webhooks WHERE id = ? AND community_id = ?",
					  DB_ARGS(db_int(id), db_int(a->id)))) {
		req_fail(r, 404, "not_found", N_("There is no such webhook."));
		return 0;
	}
	return id;
}

static const char *page_path(struct req *r, const struct community_access *a)
{
	return arena_printf(&r->arena, "%s/webhooks", link_community(&r->arena, a->slug));
}

json_t *community_webhooks_remove(struct req *r)
{
	struct community_access a;
	int64_t id = managed_hook(r, &a);
	if (!id)
		return NULL;
	if (db_exec(r->db, "DELETE FROM community_webhooks WHERE id = ?", DB_ARGS(db_int(id))) != 1)
		return req_fail_internal(r);
	return req_done(r, 200, page_path(r, &a), json_pack("{s:I, s:b}", "id", (json_int_t)id, "removed", 1));
}

json_t *community_webhooks_switch(struct req *r)
{
	struct community_access a;
	int64_t id = managed_hook(r, &a);
	if (!id)
		return NULL;
	if (!req_param(r, "enabled"))
		return req_fail(r, 422, "invalid", N_("Say whether the webhook is on (enabled)."));
	bool enabled = req_param_bool(r, "enabled", true);
	if (db_exec(r->db, "UPDATE community_webhooks SET enabled = ? WHERE id = ?",
		    DB_ARGS(db_int(enabled), db_int(id))) != 1)
		return req_fail_internal(r);
	return req_done(r, 200, page_path(r, &a), json_pack("{s:I, s:b}", "id", (json_int_t)id, "enabled", enabled));
}

json_t *community_webhooks_test(struct req *r)
{
	struct community_access a;
	int64_t id = managed_hook(r, &a);
	if (!id)
		return NULL;
	char payload[48];
	snprintf(payload, sizeof(payload), "{\"hook\":%lld}", (long long)id);
	if (!jobs_enqueue(r->db, COMMUNITY_WEBHOOK_JOB, payload, r->now, r->now, NULL))
		return req_fail_internal(r);
	return req_done(r, 202, page_path(r, &a), json_pack("{s:I, s:b}", "id", (json_int_t)id, "queued", 1));
}
