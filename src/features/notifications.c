/* notifications: what the site tells a member about (see notifications.h). */
#include "features/notifications.h"

#include "auth/policy.h"
#include "features/ambassadors.h"
#include "core/arena.h"
#include "core/grow.h"
#include "features/event_messages.h"
#include "features/events.h"
#include "features/follows.h"
#include "features/items.h"
#include "features/reports.h"
#include "jobs/jobs.h"
#include "http/cache.h"
#include "http/req.h"
#include "i18n/format.h"
#include "i18n/i18n.h"
#include "jobs/events.h"
#include "render/links.h"
#include "render/markdown.h"
#include "render/render.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- making them ------------------------------------------------------------- */

/* What one event's notifications are about, and who was told. */
struct telling {
	struct db *db;
	const struct event *e;
	int64_t item_id, thread_id, comment_id;
	struct arena arena;
	struct cache_scope *told; /* each recipient's CACHE_SCOPE_MEMBER */
	size_t ntold, cap_told;
	bool edit; /* an edit: mentions tell only who was not told of one yet */
	bool failed;
};

/* Tells the member about the event as kind, unless they did it, were told
 * about it already, are excluded, or may not read its item. */
static void tell(struct telling *t, int64_t member_id, const char *kind)
{
	if (t->failed || !member_id || member_id == t->e->actor_id)
		return;
	const struct event *e = t->e;
	int64_t made;
#define INSERT                                                                                    \
	"INSERT INTO notifications (user_id, kind, event_id, actor_id, community_id, item_id, thread_id," \
	" comment_id, created_at) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? FROM users u WHERE u.id = ?"      \
	" AND " POLICY_ACCOUNT_SHOWN_SQL("u.status")
#define VALUES                                                                                       \
	db_int(member_id), db_text(kind), db_int(e->id), e->actor_id ? db_int(e->actor_id) : db_null(), \
		e->community_id ? db_int(e->community_id) : db_null(),                               \
		t->item_id ? db_int(t->item_id) : db_null(), t->thread_id ? db_int(t->thread_id) : db_null(), \
		t->comment_id ? db_int(t->comment_id) : db_null(), db_int(e->created_at), db_int(member_id)
	if (t->item_id)
		made = db_exec(t->db,
			       INSERT " AND EXISTS (SELECT 1 FROM items i WHERE i.id = ? AND " POLICY_ITEM_VISIBLE_SQL ")"
				      " ON CONFLICT (user_id, event_id) DO NOTHING",
			       DB_ARGS(VALUES, db_int(t->item_id), POLICY_ITEM_VISIBLE_ARGS(member_id)));
	else
		made = db_exec(t->db, INSERT " ON CONFLICT (user_id, event_id) DO NOTHING", DB_ARGS(VALUES));
#undef INSERT
#undef VALUES
	if (made < 0) {
		t->failed = true;
	} else if (made > 0) {
		GROW_ARENA(&t->arena, t->told, t->ntold, t->cap_told);
		t->told[t->ntold++] = (struct cache_scope){CACHE_SCOPE_MEMBER, member_id};
	}
}

/* Tells each member in the first column of sql's rows. The ids are read
 * first: the statement is done before the next one runs. */
static void tell_each(struct telling *t, const char *kind, const char *sql, const struct db_value *args,
		      size_t nargs)
{
	if (t->failed)
		return;
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	struct db_stmt *st = db_query(t->db, sql, args, nargs);
	while (st && db_step(st) == DB_ROW) {
		GROW_ARENA(&t->arena, ids, n, cap);
		ids[n++] = db_int_col(st, 0);
	}
	db_done(st);
	if (db_failed(t->db))
		t->failed = true;
	for (size_t i = 0; i < n; i++)
		tell(t, ids[i], kind);
}

static void tell_followers(struct telling *t, enum follow_kind follow, int64_t target_id, const char *kind)
{
	size_t n;
	int64_t *ids = follows_followers(t->db, &t->arena, follow, target_id, &n);
	if (!ids && db_failed(t->db))
		t->failed = true;
	for (size_t i = 0; i < n; i++)
		tell(t, ids[i], kind);
}

/* Tells a member @mentioned by handle (markdown_mentions' callback). */
static void mentioned(const char *handle, size_t n, void *ctx)
{
	struct telling *t = ctx;
	if (t->failed)
		return;
	const char *name = arena_strndup(&t->arena, handle, n);
	int64_t id = db_scalar_int(t->db, 0, "SELECT id FROM users WHERE handle = ?", DB_ARGS(db_text(name)));
	if (id && t->edit &&
	    db_exists(t->db,
		      "SELECT 1 FROM notifications WHERE user_id = ? AND kind = 'mention' AND item_id = ?"
		      " AND COALESCE(comment_id, 0) = ?",
		      DB_ARGS(db_int(id), db_int(t->item_id), db_int(t->comment_id))))
		id = 0;
	if (db_failed(t->db))
		t->failed = true;
	else
		tell(t, id, "mention");
}

/* The mentions of a comment, which is plain text: the rule of mention_at
 * everywhere in it (as render/plaintext.h links them), each handle once. */
static void comment_mentions(struct telling *t, const char *text)
{
	size_t len = strlen(text);
	for (size_t i = 0; i < len; i++) {
		size_t n;
		if (text[i] == '@' && mention_at(text, len, i, &n)) {
			mentioned(text + i + 1, n, t);
			i += n;
		}
	}
}

/* The item's text with its kind and author; NULL when it is gone. */
static const char *item_text(struct telling *t, bool *answer, int64_t *author)
{
	struct db_stmt *st = db_query(t->db, "SELECT kind, body, author_id FROM items WHERE id = ?",
				      DB_ARGS(db_int(t->item_id)));
	const char *body = NULL;
	if (st && db_step(st) == DB_ROW) {
		*answer = strcmp(db_text_col(st, 0), "answer") == 0;
		body = arena_strdup(&t->arena, db_text_col(st, 1));
		*author = db_int_col(st, 2);
	}
	db_done(st);
	if (db_failed(t->db))
		t->failed = true;
	return body;
}

static const char *comment_text(struct telling *t)
{
	struct db_stmt *st = db_query(t->db, "SELECT body FROM comments WHERE id = ?", DB_ARGS(db_int(t->comment_id)));
	const char *body = st && db_step(st) == DB_ROW ? arena_strdup(&t->arena, db_text_col(st, 0)) : NULL;
	db_done(st);
	if (db_failed(t->db))
		t->failed = true;
	return body;
}

/* A new item: its mentions; an answer's question's followers; a post's
 * community's, tags' and author's followers. */
/* The members an event names as its hosts or speakers
 * (features/event_people.h) hear of it once: when it is posted, or when an
 * edit names them. */
static void event_people_named(struct telling *t)
{
	tell_each(t, "event_role",
		  "SELECT DISTINCT ep.user_id FROM event_people ep WHERE ep.item_id = ? AND ep.user_id IS NOT NULL"
		  " AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.user_id = ep.user_id"
		  " AND n.kind = 'event_role' AND n.item_id = ep.item_id) ORDER BY ep.user_id",
		  DB_ARGS(db_int(t->item_id)));
}

static void item_created(struct telling *t)
{
	bool answer = false;
	int64_t author = 0;
	const char *body = item_text(t, &answer, &author);
	if (!body)
		return;
	markdown_mentions(body, strlen(body), mentioned, t);
	event_people_named(t);
	if (answer) {
		tell_followers(t, FOLLOW_ITEM, t->thread_id, "answer");
		return;
	}
	if (t->e->community_id)
		tell_followers(t, FOLLOW_COMMUNITY, t->e->community_id, "post");
	tell_each(t, "post",
		  "SELECT f.user_id FROM item_tags it JOIN follows f ON f.kind = 'tag' AND f.target_id = it.tag_id"
		  " WHERE it.item_id = ? ORDER BY f.user_id",
		  DB_ARGS(db_int(t->item_id)));
	tell_followers(t, FOLLOW_PERSON, author, "post");
}

static void comment_added(struct telling *t)
{
	t->comment_id = t->e->object_id;
	const char *body = comment_text(t);
	if (body)
		comment_mentions(t, body);
	tell_followers(t, FOLLOW_ITEM, t->thread_id, "comment");
}

/* Someone else's content a moderator changed: its author is told why
 * (features/moderator_edits.h). */
static void moderator_edited(struct telling *t)
{
	if (json_object_get(t->e->payload, "moderator_note"))
		tell(t, t->e->member_id, "moderator_edited");
}

/* An edit (or a version restored): who is newly mentioned, the expert
 * whose verification now needs review, and the author of what a
 * moderator changed. */
static void item_edited(struct telling *t)
{
	t->edit = true;
	bool answer = false;
	int64_t author = 0;
	const char *body = item_text(t, &answer, &author);
	if (body)
		markdown_mentions(body, strlen(body), mentioned, t);
	event_people_named(t);
	/* The verifications subscriber has marked a verification by someone
	 * else as needing review (edited_at): its expert is asked to look
	 * again, once until they verify it anew. */
	tell_each(t, "review",
		  "SELECT v.verifier_id FROM verifications v WHERE v.item_id = ? AND v.edited_at IS NOT NULL"
		  " AND v.verifier_id <> ? AND NOT EXISTS (SELECT 1 FROM notifications n WHERE"
		  " n.user_id = v.verifier_id AND n.kind = 'review' AND n.item_id = v.item_id"
		  " AND n.created_at >= v.verified_at)",
		  DB_ARGS(db_int(t->item_id), db_int(t->e->actor_id)));
	moderator_edited(t);
}

static void comment_edited(struct telling *t)
{
	t->edit = true;
	t->comment_id = t->e->object_id;
	const char *body = comment_text(t);
	if (body)
		comment_mentions(t, body);
	moderator_edited(t);
}

/* Queues the event's "notification_mail" job (features/notification_mail.h),
 * which mails those who want it at once, once the write commits. */
static bool queue_mail(struct db *db, const struct event *e)
{
	char payload[64], key[64];
	snprintf(payload, sizeof(payload), "{\"event\": %lld}", (long long)e->id);
	snprintf(key, sizeof(key), "notification_mail:%lld", (long long)e->id);
	return jobs_enqueue(db, "notification_mail", payload, e->created_at, e->created_at, key);
}

bool notifications_on_event(struct db *db, const struct event *e)
{
	struct telling t = {.db = db, .e = e, .item_id = e->item_id};
	if (e->item_id) {
		int64_t community_id;
		if (!items_thread(db, e->item_id, &t.thread_id, &community_id))
			return !db_failed(db);
	}
	switch (e->type) {
	case EVENT_ITEM_CREATED:
		item_created(&t);
		break;
	case EVENT_COMMENT_ADDED:
		comment_added(&t);
		break;
	case EVENT_ANSWER_ACCEPTED:
		if (!json_is_false(json_object_get(e->payload, "accepted"))) {
			/* About the answer, in its question's thread. */
			t.item_id = e->object_id;
			tell(&t, db_scalar_int(db, 0, "SELECT author_id FROM items WHERE id = ?",
					       DB_ARGS(db_int(e->object_id))),
			     "accepted");
			tell_followers(&t, FOLLOW_ITEM, t.thread_id, "solved");
		}
		break;
	case EVENT_ITEM_VERIFIED:
		tell(&t, db_scalar_int(db, 0, "SELECT author_id FROM items WHERE id = ?", DB_ARGS(db_int(e->item_id))),
		     "verified");
		break;
	case EVENT_ITEM_EDITED:
	case EVENT_ITEM_RESTORED:
		item_edited(&t);
		break;
	case EVENT_COMMENT_EDITED:
		comment_edited(&t);
		break;
	case EVENT_MEMBER_REQUESTED:
		tell_each(&t, "join_request",
			  "SELECT user_id FROM memberships WHERE community_id = ? AND role = 'host'"
			  " AND state = 'active' ORDER BY user_id",
			  DB_ARGS(db_int(e->community_id)));
		break;
	case EVENT_MEMBER_INVITED:
		tell(&t, e->member_id, "invitation");
		break;
	case EVENT_VERIFICATION_LAPSED:
		tell(&t, e->member_id, "lapsed");
		tell(&t, db_scalar_int(db, 0, "SELECT author_id FROM items WHERE id = ?", DB_ARGS(db_int(e->item_id))),
		     "lapsed");
		break;
	case EVENT_RSVP_PROMOTED:
		tell(&t, e->member_id, json_object_get(e->payload, "claim_by") ? "seat_offered" : "promoted");
		break;
	case EVENT_RSVP_LAPSED:
		tell(&t, e->member_id, "seat_lapsed");
		break;
	case EVENT_EVENT_CANCELLED:
		tell_each(&t, "cancelled", EVENTS_ANSWERED_SQL, DB_ARGS(db_int(e->item_id)));
		break;
	case EVENT_REMINDER_SENT:
		tell(&t, e->member_id, "reminder");
		break;
	case EVENT_REPORT_FILED:
		/* About the report, not the content: it leads to the queue. */
		t.item_id = t.thread_id = 0;
		tell_each(&t, "report", REPORTS_TOLD_SQL,
			  DB_ARGS(db_int(e->community_id), db_int(e->community_id), db_int(e->community_id)));
		break;
	case EVENT_REPORT_SETTLED: {
		/* The reporters may no longer see hidden content: it leads to
		 * their reports. */
		t.item_id = t.thread_id = 0;
		size_t i;
		json_t *id;
		json_array_foreach(json_object_get(e->payload, "reporters"), i, id)
			tell(&t, json_integer_value(id), "report_outcome");
		break;
	}
	/* Those moderated hear of it (features/member_states.h,
	 * features/community_bans.h); an excluded member by e-mail only. */
	case EVENT_MEMBER_SUSPENDED:
		tell(&t, e->member_id, "suspended");
		break;
	case EVENT_MEMBER_UNSUSPENDED:
		tell(&t, e->member_id, "unsuspended");
		break;
	case EVENT_MEMBER_REINSTATED:
		tell(&t, e->member_id, "reinstated");
		break;
	case EVENT_MEMBER_BANNED:
		tell(&t, e->member_id, "banned");
		break;
	/* The author of a post held for approval (features/premoderation.h). */
	case EVENT_POST_APPROVED:
	case EVENT_POST_REJECTED:
		t.comment_id = e->object_id;
		tell(&t, e->member_id, e->type == EVENT_POST_APPROVED ? "post_approved" : "post_rejected");
		break;
	case EVENT_MEMBER_UNBANNED:
		tell(&t, e->member_id, "unbanned");
		break;
	case EVENT_MEMBER_ROLE: {
		/* features/ambassadors.h */
		const char *role = json_string_value(json_object_get(e->payload, "role"));
		if (role && strcmp(role, "ambassador") == 0)
			tell(&t, e->member_id,
			     json_is_true(json_object_get(e->payload, "granted")) ? "role_granted" : "role_revoked");
		break;
	}
	case EVENT_MEMBER_JOINED:
	case EVENT_MEMBER_APPROVED: {
		/* The ambassadors hear of the newcomer, whoever let them in. */
		struct event joined = *e;
		joined.actor_id = e->member_id;
		t.e = &joined;
		tell_each(&t, "newcomer_joined", AMBASSADORS_TO_TELL_SQL,
			  DB_ARGS(db_int(e->community_id), db_int(e->member_id)));
		t.e = e;
		break;
	}
	case EVENT_MEMBER_WARNED:
		tell(&t, e->member_id, "warning");
		break;
	case EVENT_MESSAGE_SENT: {
		size_t n;
		int64_t *ids = event_messages_recipients(db, &t.arena, e->object_id, &n);
		for (size_t i = 0; i < n; i++)
			tell(&t, ids[i], "event_message");
		break;
	}
	default:
		break;
	}
	/* Those told see their new count on every page at once: their
	 * cached pages are stale once the write commits. Those who want to
	 * hear of it by e-mail at once are written to after it commits. */
	bool ok = !t.failed && !db_failed(db) &&
		  (!t.ntold || (cache_invalidate_scopes(db, t.told, t.ntold) && queue_mail(db, e)));
	arena_reset(&t.arena);
	return ok;
}

/* ---- reading them ------------------------------------------------------------ */

/* The columns of what a notification tells besides its thread: its
 * event's payload (for the kinds that have a note in it) and object. */
#define NOTE_COLUMNS \
	"CASE WHEN n.kind IN ('reminder', 'event_message', 'suspended', 'banned', 'moderator_edited', 'warning', 'post_rejected') THEN ev.payload END, ev.object_id"
#define NOTE_JOIN " LEFT JOIN events ev ON ev.id = n.event_id"

/* The key of the note in the payload of a notification's event, and the
 * template's: a reminder's time, a message's subject; NULL for the kinds
 * without one. */
static const char *note_key(const char *kind)
{
	if (strcmp(kind, "reminder") == 0)
		return "time";
	if (strcmp(kind, "event_message") == 0)
		return "subject";
	if (strcmp(kind, "suspended") == 0 || strcmp(kind, "banned") == 0 || strcmp(kind, "warning") == 0 ||
	    strcmp(kind, "post_rejected") == 0)
		return "reason";
	if (strcmp(kind, "moderator_edited") == 0)
		return "moderator_note";
	return NULL;
}

/* The note in the payload, in a; NULL when there is none. */
static const char *note_of(struct arena *a, const char *kind, const char *payload)
{
	const char *key = note_key(kind);
	if (!key || !payload)
		return NULL;
	json_t *o = json_loads(payload, 0, NULL);
	const char *v = json_string_value(json_object_get(o, key));
	const char *note = v ? arena_strdup(a, v) : NULL;
	json_decref(o);
	return note;
}

/* A notification the member n.user_id may still see: its item readable to
 * them and its comment neither deleted nor hidden from them. Bind
 * NOTIFICATION_SHOWN_ARGS(member). */
#define NOTIFICATION_SHOWN_SQL                                                                 \
	"(n.item_id IS NULL OR EXISTS (SELECT 1 FROM items i WHERE i.id = n.item_id AND " \
	POLICY_ITEM_VISIBLE_SQL ")) AND (n.comment_id IS NULL OR EXISTS (SELECT 1 FROM comments k" \
	" WHERE k.id = n.comment_id AND k.deleted_at IS NULL AND " \
	POLICY_NOT_HIDDEN_SQL("comment", "k.id", "k.author_id") "))"
#define NOTIFICATION_SHOWN_ARGS(member) POLICY_ITEM_VISIBLE_ARGS(member), POLICY_NOT_HIDDEN_ARGS(member)

int64_t notifications_unread(struct db *db, int64_t member_id)
{
	return db_scalar_int(db, 0,
			     "SELECT COUNT(*) FROM notifications n WHERE n.user_id = ? AND n.read_at IS NULL AND "
			     NOTIFICATION_SHOWN_SQL,
			     DB_ARGS(db_int(member_id), NOTIFICATION_SHOWN_ARGS(member_id)));
}

/* Notifications on one page. */
#define PAGE_SIZE 20

/* Whether two rows are one entry: the same kind about the same thread,
 * both read or both unread; mentions, acceptances and the community kinds
 * stay one by one. */
static bool same_entry(json_t *entry, const char *kind, int64_t thread, bool unread)
{
	if (!entry || !thread || (strcmp(kind, "answer") != 0 && strcmp(kind, "comment") != 0))
		return false;
	return strcmp(json_string_value(json_object_get(entry, "kind")), kind) == 0 &&
	       json_integer_value(json_object_get(entry, "thread_id")) == thread &&
	       json_is_true(json_object_get(entry, "unread")) == unread;
}

/* The address an entry links to: the thread (at the answer or comment),
 * or the community (its members for a host). */
static const char *entry_url(struct arena *a, const char *kind, int64_t thread, const char *title, int64_t item,
			     int64_t comment, const char *slug, const char *actor_handle)
{
	if (thread) {
		const char *url = link_item(a, thread, title);
		if (comment)
			return arena_printf(a, "%s#comment-%lld", url, (long long)comment);
		if (strcmp(kind, "event_message") == 0)
			return arena_printf(a, "%s#messages", url);
		if (item != thread)
			return arena_printf(a, "%s#answer-%lld", url, (long long)item);
		return url;
	}
	if (strcmp(kind, "report") == 0)
		return "/moderation";
	if (strcmp(kind, "report_outcome") == 0)
		return "/settings/reports";
	/* What was decided about their account: their standing. */
	if (strcmp(kind, "warning") == 0 || strcmp(kind, "suspended") == 0 || strcmp(kind, "unsuspended") == 0)
		return "/settings/standing";
	if (slug && strcmp(kind, "join_request") == 0)
		return arena_printf(a, "%s/members", link_community(a, slug));
	/* An ambassador goes to welcome the newcomer. */
	if (actor_handle && strcmp(kind, "newcomer_joined") == 0)
		return link_person(a, actor_handle);
	return slug ? link_community(a, slug) : "/notifications";
}

json_t *notifications_page(struct req *r)
{
	int64_t me = r->user->id, before = INT64_MAX;
	const char *cursor = req_query(r, "cursor");
	if (cursor && *cursor) {
		char *end;
		errno = 0;
		long long v = strtoll(cursor, &end, 10);
		if (errno || *end || v <= 0)
			return req_fail(r, 400, "invalid", N_("The page's address is not valid."));
		before = v;
	}
	struct db_stmt *st = db_query(
		r->db,
		"SELECT n.id, n.kind, n.created_at, CASE WHEN n.read_at IS NULL THEN 1 ELSE 0 END, n.thread_id,"
		" n.item_id, n.comment_id, a.handle, a.name, t.title, c.slug, c.name, " NOTE_COLUMNS
		" FROM notifications n LEFT JOIN users a ON a.id = n.actor_id"
		" LEFT JOIN items t ON t.id = n.thread_id LEFT JOIN communities c ON c.id = n.community_id" NOTE_JOIN
		" WHERE n.user_id = ? AND n.id < ? AND " NOTIFICATION_SHOWN_SQL " ORDER BY n.id DESC LIMIT ?",
		DB_ARGS(db_int(me), db_int(before), NOTIFICATION_SHOWN_ARGS(me), db_int(PAGE_SIZE + 1)));
	json_t *items = json_array(), *last = NULL;
	int64_t rows = 0, last_id = 0;
	bool more = false;
	while (st && db_step(st) == DB_ROW) {
		if (rows++ == PAGE_SIZE) {
			more = true;
			break;
		}
		int64_t id = db_int_col(st, 0), thread = db_int_col(st, 4);
		const char *kind = db_text_col(st, 1);
		bool unread = db_int_col(st, 3) != 0;
		last_id = id;
		if (same_entry(last, kind, thread, unread)) {
			json_object_set_new(last, "count",
					    json_integer(json_integer_value(json_object_get(last, "count")) + 1));
			json_array_append_new(json_object_get(last, "ids"), json_integer(id));
			continue;
		}
		const char *title = db_null_col(st, 9) ? NULL : db_text_col(st, 9);
		if (title && !*title)
			title = tr(r, N_("Update"));
		const char *slug = db_null_col(st, 10) ? NULL : db_text_col(st, 10);
		json_t *entry = json_pack("{s:I, s:s, s:b, s:I, s:[I], s:s}", "id", (json_int_t)id, "kind", kind,
					  "unread", unread, "count", (json_int_t)1, "ids", (json_int_t)id, "url",
					  entry_url(&r->arena, kind, thread, title ? title : "", db_int_col(st, 5),
						    db_int_col(st, 6), slug, db_null_col(st, 7) ? NULL : db_text_col(st, 7)));
		/* The template's sections, one per kind. */
		json_object_set_new(entry, arena_printf(&r->arena, "is_%s", kind), json_true());
		render_add_time(entry, "created", db_int_col(st, 2));
		if (thread)
			json_object_set_new(entry, "thread_id", json_integer(thread));
		if (title)
			json_object_set_new(entry, "title", json_string(title));
		const char *note = note_of(&r->arena, kind, db_null_col(st, 12) ? NULL : db_text_col(st, 12));
		if (note)
			json_object_set_new(entry, note_key(kind), json_string(note));
		if (!db_null_col(st, 7))
			json_object_set_new(entry, "actor", json_pack("{s:s, s:s}", "handle", db_text_col(st, 7),
								      "name", db_text_col(st, 8)));
		if (slug)
			json_object_set_new(entry, "community",
					    json_pack("{s:s, s:s}", "slug", slug, "name", db_text_col(st, 11)));
		json_array_append_new(items, entry);
		last = entry;
	}
	db_done(st);
	int64_t unread = notifications_unread(r->db, me);
	if (db_failed(r->db)) {
		json_decref(items);
		return req_fail_internal(r);
	}
	json_t *next = more ? json_string(arena_printf(&r->arena, "%lld", (long long)last_id)) : json_null();
	return json_pack("{s:s, s:o, s:I, s:o, s:b}", "title", tr(r, N_("Notifications")), "items", items, "unread",
			 (json_int_t)unread, "next", next, "none", json_array_size(items) == 0 && !cursor);
}

json_t *notifications_read(struct req *r)
{
	int64_t me = r->user->id;
	const char *id_text = req_param_trimmed(r, "id");
	int64_t changed;
	if (id_text && *id_text) {
		char *end;
		errno = 0;
		long long id = strtoll(id_text, &end, 10);
		if (errno || *end || id <= 0)
			return req_fail(r, 422, "invalid", N_("There is no such notification."));
		changed = db_exec(r->db, "UPDATE notifications SET read_at = ? WHERE id = ? AND user_id = ? AND read_at IS NULL",
				  DB_ARGS(db_int(r->now), db_int(id), db_int(me)));
		if (changed == 0 && !db_exists(r->db, "SELECT 1 FROM notifications WHERE id = ? AND user_id = ?",
					       DB_ARGS(db_int(id), db_int(me))))
			return db_failed(r->db) ? req_fail_internal(r)
						: req_fail(r, 404, "not_found", N_("There is no such notification."));
	} else {
		changed = db_exec(r->db, "UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL",
				  DB_ARGS(db_int(r->now), db_int(me)));
	}
	/* Only the member's own pages show what they read. */
	if (changed < 0 ||
	    (changed > 0 && !cache_invalidate_scopes(r->db, &(struct cache_scope){CACHE_SCOPE_MEMBER, me}, 1)))
		return req_fail_internal(r);
	int64_t unread = notifications_unread(r->db, me);
	if (db_failed(r->db))
		return req_fail_internal(r);
	return req_done(r, 200, "/notifications", json_pack("{s:I}", "unread", (json_int_t)unread));
}

/* ---- telling them by e-mail ------------------------------------------------- */

/* The most arguments a caller's condition binds. */
#define ROWS_MAX_ARGS 8

ssize_t notifications_rows(struct db *db, struct arena *a, int64_t member_id, const char *where,
			   const struct db_value *args, size_t nargs, size_t limit, struct notification_row **rows)
{
	if (nargs > ROWS_MAX_ARGS)
		return -1;
	const struct db_value shown[] = {NOTIFICATION_SHOWN_ARGS(member_id)};
	/* the member, theirs, shown's and the limit */
	struct db_value all[1 + ROWS_MAX_ARGS + sizeof(shown) / sizeof(shown[0]) + 1];
	size_t n = 0;
	all[n++] = db_int(member_id);
	for (size_t i = 0; i < nargs; i++)
		all[n++] = args[i];
	for (size_t i = 0; i < sizeof(shown) / sizeof(shown[0]); i++)
		all[n++] = shown[i];
	all[n++] = db_int((int64_t)limit);
	const char *sql = arena_printf(
		a,
		"SELECT n.id, n.kind, n.item_id, n.thread_id, n.comment_id, a.name, t.title, t.kind,"
		" CASE WHEN t.accepted_answer_id IS NULL THEN 0 ELSE 1 END, c.name, c.slug, " NOTE_COLUMNS ", a.handle"
		" FROM notifications n LEFT JOIN users a ON a.id = n.actor_id"
		" LEFT JOIN items t ON t.id = n.thread_id LEFT JOIN communities c ON c.id = n.community_id" NOTE_JOIN
		" WHERE n.user_id = ? AND (%s) AND " NOTIFICATION_SHOWN_SQL " ORDER BY n.id LIMIT ?",
		where);
	struct notification_row *out = NULL;
	size_t count = 0, cap = 0;
	struct db_stmt *st = db_query(db, sql, all, n);
	while (st && db_step(st) == DB_ROW) {
		GROW_ARENA(a, out, count, cap);
		struct notification_row *row = &out[count++];
#define TEXT_OR_NULL(col) (db_null_col(st, col) ? NULL : arena_strdup(a, db_text_col(st, col)))
		*row = (struct notification_row){
			.id = db_int_col(st, 0),
			.kind = arena_strdup(a, db_text_col(st, 1)),
			.item_id = db_int_col(st, 2),
			.thread_id = db_int_col(st, 3),
			.comment_id = db_int_col(st, 4),
			.actor = TEXT_OR_NULL(5),
			.title = TEXT_OR_NULL(6),
			.thread_kind = TEXT_OR_NULL(7),
			.solved = db_int_col(st, 8) != 0,
			.community = TEXT_OR_NULL(9),
			.object_id = db_null_col(st, 12) ? 0 : db_int_col(st, 12),
		};
		row->note = note_of(a, row->kind, db_null_col(st, 11) ? NULL : db_text_col(st, 11));
		row->path = entry_url(a, row->kind, row->thread_id, row->title ? row->title : "", row->item_id,
				      row->comment_id, TEXT_OR_NULL(10), TEXT_OR_NULL(13));
#undef TEXT_OR_NULL
	}
	db_done(st);
	if (db_failed(db))
		return -1;
	*rows = out;
	return (ssize_t)count;
}

const char *notifications_sentence(struct arena *a, int locale, const struct notification_row *row)
{
	static const struct {
		const char *kind, *msgid;
	} sentences[] = {
		{"mention", N_("{{actor.name}} mentioned you in {{title}}")},
		{"answer", N_("{{actor.name}} answered {{title}}")},
		{"comment", N_("{{actor.name}} commented on {{title}}")},
		{"accepted", N_("Your answer to {{title}} was accepted")},
		{"solved", N_("{{title}} has an accepted answer")},
		{"post", N_("{{actor.name}} posted {{title}}")},
		{"verified", N_("{{actor.name}} verified {{title}}")},
		{"review", N_("{{title}} was changed since you verified it: please review it")},
		{"lapsed", N_("The verification of {{title}} has lapsed")},
		{"join_request", N_("{{actor.name}} asks to join {{community.name}}")},
		{"invitation", N_("{{actor.name}} invited you to {{community.name}}")},
		{"promoted", N_("A seat came free: you are going to {{title}}")},
		{"seat_offered", N_("A seat came free at {{title}}: confirm that you are coming")},
		{"seat_lapsed", N_("Your seat at {{title}} went to the next on the waitlist")},
		{"cancelled", N_("{{title}} is cancelled")},
		{"reminder", N_("Tomorrow: {{title}} at {{time}}")},
		{"event_message", N_("{{actor.name}} wrote to those going to {{title}}: {{subject}}")},
		{"report", N_("{{actor.name}} reported something for review")},
		{"report_outcome", N_("A moderator reviewed your report")},
		{"moderator_edited", N_("A moderator changed {{title}}: {{moderator_note}}")},
		{"event_role", N_("{{actor.name}} named you among the hosts and speakers of {{title}}")},
		{"suspended", N_("Your account is suspended: {{reason}}")},
		{"unsuspended", N_("Your suspension has ended: you can post again")},
		{"reinstated", N_("Your account is open again")},
		{"banned", N_("You were removed from {{community.name}} and banned from it: {{reason}}")},
		{"unbanned", N_("Your ban from {{community.name}} is lifted")},
		{"role_granted", N_("You are now an ambassador of {{community.name}}: welcome newcomers and pin posts to start with")},
		{"role_revoked", N_("You are no longer an ambassador of {{community.name}}")},
		{"newcomer_joined", N_("{{actor.name}} joined {{community.name}}: welcome them")},
		{"warning", N_("You were warned: {{reason}}")},
		{"post_approved", N_("A moderator approved your post {{title}}: others see it now")},
		{"post_rejected", N_("A moderator did not approve your post {{title}}: {{reason}}")},
	};
	const char *msgid = N_("News on {{title}}");
	for (size_t i = 0; i < sizeof(sentences) / sizeof(sentences[0]); i++)
		if (strcmp(row->kind, sentences[i].kind) == 0)
			msgid = sentences[i].msgid;
	const char *title = row->title && *row->title ? row->title : i18n_get(locale, N_("Update"));
	return format_message(a, locale, msgid, "actor.name", row->actor ? row->actor : i18n_get(locale, N_("Someone")),
			      "title", title, "community.name", row->community ? row->community : "", "time",
			      row->note ? row->note : "", "subject", row->note ? row->note : "", "reason",
			      row->note ? row->note : "", "moderator_note", row->note ? row->note : "", NULL);
}
