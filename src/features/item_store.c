/* item_store: writing items (see item_store.h). */
#include "features/item_store.h"

#include "auth/users.h"
#include "core/buf.h"
#include "core/mem.h"
#include "core/text.h"
#include "db/db.h"
#include "features/item_events.h"
#include "features/item_kind.h"
#include "features/items.h"
#include "features/premoderation.h"
#include "features/tags.h"
#include "http/req.h"
#include "i18n/i18n.h"
#include "jobs/events.h"

#include <stdlib.h>
#include <string.h>

#define TITLE_MAX 200

/* The fields every kind's form has besides its own. */
static const char *const common_fields[] = {"title", "body", "tags", "language", "needed_by"};
#define COMMON_FIELDS (sizeof(common_fields) / sizeof(common_fields[0]))

static const char *clean_text(struct req *r, const char *name)
{
	const char *v = req_param_trimmed(r, name);
	return v ? v : "";
}

/* A field's trimmed value; when the request leaves it out, the current
 * item's value (edits keep what they do not send), else "". */
static const char *field_or(struct req *r, const char *name, const char *current)
{
	return req_param(r, name) || !current ? clean_text(r, name) : current;
}

static void put_value(struct req *r, json_t *values, const char *name, bool all)
{
	const char *v = all ? clean_text(r, name) : req_param(r, name);
	if (v)
		json_object_set_new(values, name, json_string(v));
}

json_t *item_input_values(struct req *r, const struct item_kind *kind, bool all)
{
	json_t *values = json_object();
	for (size_t i = 0; i < COMMON_FIELDS; i++)
		put_value(r, values, common_fields[i], all);
	if (strcmp(kind->body_field, "body") != 0)
		put_value(r, values, kind->body_field, all);
	/* The kind's own, named as in a route's field list: "name:type,…". */
	for (const char *f = kind->own_fields; f && *f;) {
		size_t n = strcspn(f, ":,");
		char name[64];
		if (n < sizeof(name)) {
			memcpy(name, f, n);
			name[n] = '\0';
			if (strcmp(name, kind->body_field) != 0)
				put_value(r, values, name, all);
		}
		f += strcspn(f, ",");
		f += *f == ',';
	}
	return values;
}

static void read_title(struct req *r, json_t *model, const struct item *current, struct item_input *in)
{
	const struct item_kind *kind = in->kind;
	if (!kind->title_missing) {
		in->title = "";
		return;
	}
	in->title = text_clean_name(arena_strdup(&r->arena, field_or(r, "title", current ? current->title : NULL)));
	if (!*in->title)
		req_field_error(r, model, "title", kind->title_missing);
	else if (utf8_length(in->title) > TITLE_MAX)
		req_field_error(r, model, "title", N_("A title has at most 200 characters."));
	else if (!text_printable(in->title, false))
		req_field_error(r, model, "title", N_("A title cannot contain control characters."));
}

static void read_body(struct req *r, json_t *model, const struct item *current, struct item_input *in)
{
	const struct item_kind *kind = in->kind;
	in->body = field_or(r, kind->body_field, current ? current->body : NULL);
	if (!*in->body && kind->body_missing)
		req_field_error(r, model, kind->body_field, kind->body_missing);
	else if (utf8_length(in->body) > kind->body_max)
		req_field_error(r, model, kind->body_field, kind->body_too_long);
	else if (!text_printable(in->body, true))
		req_field_error(r, model, kind->body_field, N_("The text cannot contain control characters."));
}

static void read_tags(struct req *r, json_t *model, const struct item *current, struct item_input *in)
{
	const char *problem = NULL;
	/* Answers take the tags of their question; they have none of their own. */
	const char *tags = in->kind->tagged ? req_param(r, "tags") : "";
	char *current_tags = NULL;
	if (!tags && current)
		tags = current_tags = tags_of_item_text(r->db, current->id);
	in->ntags = tags_parse(&r->arena, tags, &in->tags, &problem);
	free(current_tags);
	if (in->ntags < 0) {
		req_field_error(r, model, "tags", problem);
		in->ntags = 0;
	}
}

static void read_deadline(struct req *r, json_t *model, const struct item *current, struct item_input *in)
{
	in->needed_by = 0;
	if (!in->kind->has_deadline)
		return;
	const char *needed = clean_text(r, "needed_by");
	if (current && !req_param(r, "needed_by")) {
		in->needed_by = current->needed_by;
	} else if (*needed) {
		in->needed_by = text_parse_date(needed);
		/* A date already set may have passed; only a new one must lie ahead. */
		bool unchanged = current && in->needed_by == current->needed_by - current->needed_by % 86400;
		if (in->needed_by < 0)
			req_field_error(r, model, "needed_by", N_("Give the date as YYYY-MM-DD."));
		else if (!unchanged && in->needed_by < r->now - 24 * 3600)
			req_field_error(r, model, "needed_by", N_("The date has passed."));
	}
}

void item_input_read(struct req *r, json_t *model, const struct item_kind *kind, const char *default_language,
		     const struct item *current, struct item_input *in)
{
	memset(in, 0, sizeof(*in));
	in->kind = kind;
	read_title(r, model, current, in);
	read_body(r, model, current, in);
	in->language = field_or(r, "language", current ? current->language : NULL);
	if (!*in->language)
		in->language = default_language;
	if (i18n_locale_index(in->language) < 0)
		req_field_error(r, model, "language", N_("Choose English, Swedish or Dutch."));
	read_tags(r, model, current, in);
	read_deadline(r, model, current, in);
	if (kind->read) {
		in->own = arena_zalloc(&r->arena, kind->input_size);
		kind->read(r, model, current, in->own);
	}
}

void item_input_from_revision(struct req *r, const struct item *it, json_t *revision, struct item_input *in)
{
	memset(in, 0, sizeof(*in));
	in->kind = item_kind_find(it->kind);
	in->title = arena_strdup(&r->arena, json_string_value(json_object_get(revision, "title")));
	in->body = arena_strdup(&r->arena, json_string_value(json_object_get(revision, "body")));
	in->language = it->language;
	in->needed_by = it->needed_by;
	const char *problem = NULL;
	in->ntags = tags_parse(&r->arena, json_string_value(json_object_get(revision, "tags")), &in->tags, &problem);
	if (in->ntags < 0)
		in->ntags = 0;
	if (in->kind && in->kind->from_history) {
		in->own = arena_zalloc(&r->arena, in->kind->input_size);
		in->kind->from_history(r, json_object_get(revision, "fields"), in->own);
	}
}

static int by_text(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Records the version in item_revisions: the tags sorted, as the item
 * shows them, so that versions differ only when the tags do, and the
 * kind's own fields as JSON, so the history has them too. */
static bool add_revision(struct req *r, int64_t item_id, const struct item_input *in)
{
	const char *sorted[TAGS_MAX];
	int ntags = in->ntags < TAGS_MAX ? in->ntags : TAGS_MAX;
	if (ntags > 0) {
		memcpy(sorted, in->tags, (size_t)ntags * sizeof(*sorted));
		qsort(sorted, (size_t)ntags, sizeof(*sorted), by_text);
	}
	struct buf tags = {0};
	for (int i = 0; i < ntags; i++) {
		if (i)
			buf_puts(&tags, ", ");
		buf_puts(&tags, sorted[i]);
	}
	char *fields = NULL;
	json_t *j = in->own && in->kind->history ? in->kind->history(r->db, in->own) : NULL;
	if (j) {
		fields = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(j);
	}
	bool ok = db_exec(r->db, "INSERT INTO item_revisions (item_id, editor_id, title, body, tags, fields, created_at)"
				 " VALUES (?, ?, ?, ?, ?, ?, ?)",
			  DB_ARGS(db_int(item_id), db_int(r->user->id), db_text(in->title), db_text(in->body),
				  db_text(tags.data ? tags.data : ""), db_text(fields ? fields : ""), db_int(r->now))) == 1;
	buf_free(&tags);
	json_text_free(fields);
	return ok;
}

/* What a new post says, for pre-moderation to find links in: its title,
 * its body and its kind's own fields (a best practice's approach, say). */
static const char *post_text(struct req *r, const struct item_input *in)
{
	json_t *j = in->own && in->kind->history ? in->kind->history(r->db, in->own) : NULL;
	char *fields = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	const char *text = arena_printf(&r->arena, "%s\n%s\n%s", in->title ? in->title : "", in->body ? in->body : "",
					fields ? fields : "");
	json_text_free(fields);
	return text;
}

/* Stores what the item's kind adds to it. */
static bool store_own(struct req *r, int64_t item_id, const struct item_input *in)
{
	return !in->own || !in->kind->store || in->kind->store(r->db, item_id, in->own);
}

int64_t item_store_insert(struct req *r, const struct community_access *c, int64_t parent_id,
			  const struct item_input *in)
{
	int64_t community_id = c ? c->id : 0;
	int64_t now = r->now;
	/* An item keeps the organisation its author was with when sharing it. */
	struct profile author;
	int64_t org = users_profile_id(r->db, &r->arena, r->user->id, &author) ? author.org_id : 0;
	if (!db_begin(r->db))
		return 0;
	struct db_stmt *st = db_query(r->db,
		"INSERT INTO items (kind, community_id, author_id, org_id, parent_id, title, body, language,"
		" needed_by, created_at, activity_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		DB_ARGS(db_text(in->kind->name), community_id ? db_int(community_id) : db_null(), db_int(r->user->id),
			org ? db_int(org) : db_null(), parent_id ? db_int(parent_id) : db_null(), db_text(in->title),
			db_text(in->body), db_text(in->language), in->needed_by ? db_int(in->needed_by) : db_null(),
			db_int(now), db_int(now)));
	int64_t id = db_step(st) == DB_ROW ? db_int_col(st, 0) : 0;
	db_done(st);
	/* A post held for approval records its creation when it is approved
	 * (features/premoderation.h). */
	const char *held = id ? premoderation_reason(r, c, post_text(r, in)) : NULL;
	if (!id || !tags_set_for_item(r->db, id, in->tags, in->ntags) || !store_own(r, id, in) ||
	    !add_revision(r, id, in) ||
	    !(held ? premoderation_hold(r, "item", id, id, community_id, held)
		   : event_record(r->db, &(struct event){.type = EVENT_ITEM_CREATED, .actor_id = r->user->id,
							  .community_id = community_id, .item_id = id, .created_at = now,
							  .payload = item_event_payload(in->kind->name, in->title,
											parent_id, c)})) ||
	    !db_commit(r->db)) {
		db_rollback(r->db);
		return 0;
	}
	return id;
}

bool item_store_edit(struct req *r, const struct item *it, const struct item_input *in, int64_t restored,
		     const char *moderator_note)
{
	json_t *payload = item_event_payload(it->kind, in->title, it->parent_id, it->in_community ? &it->access : NULL);
	if (moderator_note)
		json_object_set_new(payload, "moderator_note", json_string(moderator_note));
	if (!db_begin(r->db)) {
		json_decref(payload);
		return false;
	}
	/* A post that waits for approval has not happened for the rest of
	 * the site yet: its edits (and deletion) record nothing; a rejected
	 * one its author edits waits again (features/premoderation.h). */
	bool ok = db_exec(r->db, "UPDATE items SET title = ?, body = ?, language = ?, needed_by = ?, edited_at = ?"
				 " WHERE id = ?",
			  DB_ARGS(db_text(in->title), db_text(in->body), db_text(in->language),
				  in->needed_by ? db_int(in->needed_by) : db_null(), db_int(r->now), db_int(it->id))) == 1 &&
		  tags_set_for_item(r->db, it->id, in->tags, in->ntags) && store_own(r, it->id, in) &&
		  add_revision(r, it->id, in) &&
		  (it->pending ? premoderation_edited(r, "item", it->id)
			       : event_record(r->db, &(struct event){
					 .type = restored ? EVENT_ITEM_RESTORED : EVENT_ITEM_EDITED,
					 .actor_id = r->user->id, .community_id = it->community_id, .item_id = it->id,
					 .object_id = restored, .member_id = moderator_note ? it->author_id : 0,
					 .created_at = r->now, .payload = json_incref(payload)})) &&
		  db_commit(r->db);
	json_decref(payload);
	if (!ok)
		db_rollback(r->db);
	return ok;
}

bool item_store_on_approved(struct db *db, const struct event *e)
{
	if (e->object_id) /* a comment */
		return true;
	return db_exec(db, "UPDATE items SET created_at = ?, activity_at = ? WHERE id = ?",
		       DB_ARGS(db_int(e->created_at), db_int(e->created_at), db_int(e->item_id))) >= 0;
}

bool item_store_delete(struct req *r, const struct item *it)
{
	if (!db_begin(r->db))
		return false;
	bool ok = db_exec(r->db, "UPDATE items SET deleted_at = ?, deleted_by = ? WHERE id = ? AND deleted_at IS NULL",
			  DB_ARGS(db_int(r->now), db_int(r->user->id), db_int(it->id))) == 1 &&
		  (it->pending || event_record(r->db, &(struct event){.type = EVENT_ITEM_DELETED, .actor_id = r->user->id,
						       .community_id = it->community_id, .item_id = it->id,
						       .created_at = r->now,
						       .payload = item_event_payload(it->kind, it->title, it->parent_id,
										     it->in_community ? &it->access : NULL)})) &&
		  db_commit(r->db);
	if (!ok)
		db_rollback(r->db);
	return ok;
}
