/* calendars: events as iCalendar (see calendars.h). Part of the events
 * feature, whose event_details, event_cancellations and event_rsvps
 * tables it reads. */
#include "features/calendars.h"

#include "core/buf.h"
#include "core/config.h"
#include "core/ical.h"
#include "db/db.h"
#include "features/communities.h"
#include "features/event_lookup.h"
#include "features/event_people.h"
#include "features/feeds.h"
#include "features/items.h"
#include "http/req.h"
#include "i18n/i18n.h"
#include "render/links.h"

#include <string.h>

#define CALENDAR_TYPE "text/calendar; charset=utf-8"
/* How long after its end an event stays in a calendar of many. */
#define RECENT_SECONDS (90 * 86400LL)
#define EVENTS_MAX 500

/* An event as a calendar tells it. */
struct cal_event {
	int64_t id, created_at, edited_at, starts_at, ends_at, cancelled_at, revisions;
	const char *title, *body, *zone, *location, *online_url;
};

/* The columns read_events reads, from the event_details ed joined to
 * their items i (the join's condition, EVENT_JOINED_SQL, goes in the
 * WHERE): from the events to the items, never the other way round, as
 * SQLite keeps a CROSS JOIN's order. */
#define EVENT_SELECT                                                                                      \
	"SELECT i.id, i.title, i.body, i.created_at, i.edited_at, ed.starts_at, ed.ends_at, ed.timezone,"  \
	" ed.location, ed.online_url, ec.cancelled_at,"                                                    \
	" (SELECT COUNT(*) FROM item_revisions v WHERE v.item_id = i.id)"                                  \
	" FROM event_details ed CROSS JOIN items i"                                                        \
	" LEFT JOIN event_cancellations ec ON ec.item_id = i.id"
#define EVENT_JOINED_SQL "ed.item_id = i.id"

/* The rows of st as events in r's arena, at most EVENTS_MAX; *n of them.
 * Finishes st. False on a database error. */
static bool read_events(struct req *r, struct db_stmt *st, struct cal_event **out, size_t *n)
{
	struct cal_event *list = arena_alloc(&r->arena, sizeof(*list) * EVENTS_MAX);
	size_t count = 0;
	int rc = DB_DONE;
	while (st && count < EVENTS_MAX && (rc = db_step(st)) == DB_ROW) {
		list[count++] = (struct cal_event){
			.id = db_int_col(st, 0),
			.title = arena_strdup(&r->arena, db_text_col(st, 1)),
			.body = arena_strdup(&r->arena, db_text_col(st, 2)),
			.created_at = db_int_col(st, 3),
			.edited_at = db_null_col(st, 4) ? 0 : db_int_col(st, 4),
			.starts_at = db_int_col(st, 5),
			.ends_at = db_int_col(st, 6),
			.zone = arena_strdup(&r->arena, db_text_col(st, 7)),
			.location = arena_strdup(&r->arena, db_text_col(st, 8)),
			.online_url = arena_strdup(&r->arena, db_text_col(st, 9)),
			.cancelled_at = db_null_col(st, 10) ? 0 : db_int_col(st, 10),
			.revisions = db_int_col(st, 11),
		};
	}
	db_done(st);
	*out = list;
	*n = count;
	return st && rc != DB_ERROR && !db_failed(r->db);
}

/* The host of --base-url ("kring.example.org"), for the UIDs. */
static const char *site_host(struct req *r)
{
	const char *base = config.base_url ? config.base_url : "";
	const char *host = strstr(base, "://");
	host = host ? host + 3 : base;
	size_t n = strcspn(host, ":/?#");
	return n ? arena_printf(&r->arena, "%.*s", (int)n, host) : "localhost";
}

static int64_t latest(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

static void write_event(struct req *r, struct buf *out, const char *host, const struct cal_event *e)
{
	ical_line(out, "BEGIN", "VEVENT");
	ical_text(out, "UID", arena_printf(&r->arena, "event-%lld@%s", (long long)e->id, host));
	/* The first version is 0; every edit and the cancelling count one. */
	int64_t sequence = (e->revisions > 0 ? e->revisions - 1 : 0) + (e->cancelled_at ? 1 : 0);
	ical_line(out, "SEQUENCE", arena_printf(&r->arena, "%lld", (long long)sequence));
	/* In a calendar without METHOD, DTSTAMP is when the event last
	 * changed (RFC 5545 §3.8.7.2). */
	int64_t changed = latest(latest(e->created_at, e->edited_at), e->cancelled_at);
	ical_utc(out, "DTSTAMP", changed);
	ical_utc(out, "CREATED", e->created_at);
	ical_utc(out, "LAST-MODIFIED", changed);
	ical_local(out, "DTSTART", e->zone, e->starts_at);
	ical_local(out, "DTEND", e->zone, e->ends_at);
	ical_text(out, "SUMMARY", e->title);
	ical_text(out, "DESCRIPTION", e->body);
	if (*e->location || *e->online_url)
		ical_text(out, "LOCATION", *e->location ? e->location : e->online_url);
	ical_line(out, "URL", link_absolute(&r->arena, link_item(&r->arena, e->id, e->title)));
	ical_line(out, "STATUS", e->cancelled_at ? "CANCELLED" : "CONFIRMED");
	ical_line(out, "END", "VEVENT");
}

/* Answers the request with the calendar of the n events, named name. */
static json_t *answer(struct req *r, const char *name, const struct cal_event *events, size_t n)
{
	struct buf *out = &r->body_out;
	ical_line(out, "BEGIN", "VCALENDAR");
	ical_line(out, "VERSION", "2.0");
	ical_text(out, "PRODID", "-//kring//events//EN");
	ical_line(out, "CALSCALE", "GREGORIAN");
	ical_text(out, "X-WR-CALNAME", arena_printf(&r->arena, "%s · %s", name, config.site_name));
	/* Each zone once, for the times of its events. */
	int64_t *times = arena_alloc(&r->arena, sizeof(*times) * 2 * (n ? n : 1));
	for (size_t i = 0; i < n; i++) {
		bool seen = false;
		size_t count = 0;
		for (size_t j = 0; j < n && !seen; j++) {
			if (strcmp(events[j].zone, events[i].zone) != 0)
				continue;
			seen = j < i;
			times[count++] = events[j].starts_at;
			times[count++] = events[j].ends_at;
		}
		if (!seen)
			ical_timezone(out, events[i].zone, times, count);
	}
	const char *host = site_host(r);
	for (size_t i = 0; i < n; i++)
		write_event(r, out, host, &events[i]);
	ical_line(out, "END", "VCALENDAR");
	r->status = 200;
	r->content_type = CALENDAR_TYPE;
	return NULL;
}

json_t *calendars_event(struct req *r)
{
	struct item it;
	if (!event_lookup(r, &it))
		return NULL;
	struct cal_event *events;
	size_t n;
	if (!read_events(r, db_query(r->db, EVENT_SELECT " WHERE " EVENT_JOINED_SQL " AND i.id = ?", DB_ARGS(db_int(it.id))), &events, &n) ||
	    n != 1)
		return req_fail_internal(r);
	req_add_header(r, "Content-Disposition",
		       arena_printf(&r->arena, "attachment; filename=\"event-%lld.ics\"", (long long)it.id));
	return answer(r, it.title, events, n);
}

/* The events of the filter (the asker's rights) that have not ended or
 * ended lately, the soonest first, as the calendar named name. */
static json_t *answer_list(struct req *r, struct item_filter *f, const char *name)
{
	f->kind = "event";
	f->own_sql = arena_printf(&r->arena, EVENT_JOINED_SQL " AND %s", f->own_sql);
	struct db_stmt *st = items_query(r, f, EVENT_SELECT,
					 arena_printf(&r->arena, " ORDER BY ed.starts_at, i.id LIMIT %d", EVENTS_MAX));
	struct cal_event *events;
	size_t n;
	if (!read_events(r, st, &events, &n))
		return req_fail_internal(r);
	return answer(r, name, events, n);
}

json_t *calendars_community(struct req *r)
{
	struct community_access a;
	if (!communities_access(r, req_path_param(r, "slug"), &a) || !a.can_read)
		return req_fail(r, 404, "not_found", N_("There is no such community."));
	struct item_filter f = {.community_id = a.id, .own_sql = "ed.ends_at > ?",
				.own_args = {db_int(r->now - RECENT_SECONDS)}, .nown_args = 1};
	return answer_list(r, &f, a.name);
}

/* The member's events, with their rights (feeds_as_member). */
static json_t *own_events(struct req *r, const char *self)
{
	(void)self;
	struct item_filter f = {
		.own_sql = "ed.ends_at > ? AND EXISTS (SELECT 1 FROM event_rsvps x WHERE x.item_id = i.id"
			   " AND x.user_id = ?)",
		.own_args = {db_int(r->now - RECENT_SECONDS), db_int(r->user->id)},
		.nown_args = 2,
	};
	return answer_list(r, &f, tr(r, N_("Your events")));
}

json_t *calendars_personal(struct req *r)
{
	return feeds_as_member(r, FEED_CALENDAR, own_events);
}

json_t *calendars_renew(struct req *r)
{
	const char *url = feeds_key_renew(r, FEED_CALENDAR);
	return url ? req_done(r, 200, "/settings?saved=1#calendar", json_pack("{s:s}", "url", url))
		   : req_fail_internal(r);
}

json_t *calendars_revoke(struct req *r)
{
	return feeds_key_revoke(r, FEED_CALENDAR)
		? req_done(r, 200, "/settings?saved=1#calendar", json_pack("{s:n}", "url"))
		: req_fail_internal(r);
}
