/* events: events with sign-up (see events.h). */
#include "features/events.h"

#include "core/buf.h"
#include "core/text.h"
#include "core/zone.h"
#include "db/db.h"
#include "features/circle_sessions.h"
#include "features/communities.h"
#include "features/event_lookup.h"
#include "features/event_month.h"
#include "features/event_people.h"
#include "features/event_recap.h"
#include "features/event_types.h"
#include "features/guests.h"
#include "features/item_kind.h"
#include "features/items.h"
#include "features/rsvp.h"
#include "features/tags.h"
#include "http/req.h"
#include "import/import.h"
#include "i18n/i18n.h"
#include "jobs/events.h"
#include "render/links.h"
#include "render/render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DEFAULT_ZONE "Europe/Stockholm"
#define LOCATION_MAX 200
#define URL_MAX 500
#define CAPACITY_MAX 100000
#define DESCRIPTION_MAX 5000
#define LIST_MAX 50
#define IMPORT_GOING_MAX 500

/* What an event adds to an item, as it is read and stored. */
struct event_input {
	const char *type, *zone, *location, *online_url;
	int64_t starts_at, ends_at, capacity, deadline; /* deadline 0: none */
	struct event_extras extras; /* hosts, speakers, plan and recap */
};

#define EVENT_COLUMNS "event_type, starts_at, ends_at, timezone, location, online_url, capacity, signup_deadline"

/* ---- times -------------------------------------------------------------------- */

/* The local time of t in the zone as "YYYY-MM-DDTHH:MM" (the forms' and
 * the history's), in the arena; "" when it cannot be told. */
static const char *local_text(struct arena *a, const char *zone, int64_t t, char sep)
{
	struct zone_local l;
	if (!zone_from_utc(zone, t, &l, NULL, 0))
		return "";
	return arena_printf(a, "%04d-%02d-%02d%c%02d:%02d", l.year, l.month, l.day, sep, l.hour, l.minute);
}

/* A local time field in the zone: its UTC seconds, 0 when the field is
 * empty, -1 after a field error. */
static int64_t read_time(struct req *r, json_t *model, const char *field, const char *text, const char *zone,
			 bool zone_ok)
{
	if (!*text)
		return 0;
	struct zone_local l;
	int64_t t;
	if (!zone_parse_local(text, &l)) {
		req_field_error(r, model, field, N_("Give a date and time, such as 2026-03-14 18:30."));
		return -1;
	}
	if (!zone_ok)
		return -1;
	if (!zone_to_utc(zone, &l, &t)) {
		req_field_error(r, model, field, N_("That time does not exist in the time zone (the clocks skip it)."));
		return -1;
	}
	return t;
}

/* ---- the kind ------------------------------------------------------------------ */

/* An event's stored fields into in; false when it has none. */
static bool load_input(struct req *r, int64_t item_id, struct event_input *in)
{
	struct db_stmt *st = db_query(r->db, "SELECT " EVENT_COLUMNS " FROM event_details WHERE item_id = ?",
				      DB_ARGS(db_int(item_id)));
	bool found = st && db_step(st) == DB_ROW;
	if (found) {
		in->type = arena_strdup(&r->arena, db_text_col(st, 0));
		in->starts_at = db_int_col(st, 1);
		in->ends_at = db_int_col(st, 2);
		in->zone = arena_strdup(&r->arena, db_text_col(st, 3));
		in->location = arena_strdup(&r->arena, db_text_col(st, 4));
		in->online_url = arena_strdup(&r->arena, db_text_col(st, 5));
		in->capacity = db_int_col(st, 6);
		in->deadline = db_null_col(st, 7) ? 0 : db_int_col(st, 7);
	}
	db_done(st);
	return found;
}

static bool web_address(const char *url)
{
	return (strncmp(url, "https://", 8) == 0 && url[8]) || (strncmp(url, "http://", 7) == 0 && url[7]);
}

/* Reads and checks the event's fields; what an edit leaves out keeps its
 * value. */
static void event_read(struct req *r, json_t *model, const struct item *current, void *input)
{
	struct event_input *in = input, old = {0};
	bool found = current && load_input(r, current->id, &old);
	const char *v;

	v = req_param_trimmed(r, "event_type");
	in->type = v ? v : found ? old.type : "";
	/* A retired kind stays on the events that have it. */
	if (!(found && strcmp(in->type, old.type) == 0) && !event_types_offered(r->db, in->type))
		req_field_error(r, model, "event_type", N_("Choose one of the kinds of events offered."));

	v = req_param_trimmed(r, "timezone");
	in->zone = v && *v ? v : found ? old.zone : DEFAULT_ZONE;
	bool zone_ok = zone_exists(in->zone);
	if (!zone_ok)
		req_field_error(r, model, "timezone", N_("There is no such time zone. Give one such as Europe/Stockholm."));

	/* The times: what was sent, in the zone; else what the event has. */
	const char *start = req_param_trimmed(r, "starts_at"), *end = req_param_trimmed(r, "ends_at");
	const char *deadline = req_param_trimmed(r, "signup_deadline");
	in->starts_at = start || !found ? read_time(r, model, "starts_at", start ? start : "", in->zone, zone_ok)
					: old.starts_at;
	in->ends_at = end || !found ? read_time(r, model, "ends_at", end ? end : "", in->zone, zone_ok) : old.ends_at;
	in->deadline = deadline || !found ? read_time(r, model, "signup_deadline", deadline ? deadline : "", in->zone,
						      zone_ok)
					  : old.deadline;
	if (in->starts_at == 0)
		req_field_error(r, model, "starts_at", N_("Say when the event starts."));
	if (in->ends_at == 0)
		req_field_error(r, model, "ends_at", N_("Say when the event ends."));
	else if (in->starts_at > 0 && in->ends_at > 0 && in->ends_at <= in->starts_at)
		req_field_error(r, model, "ends_at", N_("The event must end after it starts."));
	if (in->deadline > 0 && in->starts_at > 0 && in->deadline > in->starts_at)
		req_field_error(r, model, "signup_deadline", N_("Sign-up must close before the event starts."));

	v = req_param_trimmed(r, "location");
	in->location = v ? text_clean_name(arena_strdup(&r->arena, v)) : found ? old.location : "";
	if (utf8_length(in->location) > LOCATION_MAX)
		req_field_error(r, model, "location", N_("A place has at most 200 characters."));
	else if (!text_printable(in->location, false))
		req_field_error(r, model, "location", N_("The text cannot contain control characters."));
	v = req_param_trimmed(r, "online_url");
	in->online_url = v ? v : found ? old.online_url : "";
	if (*in->online_url && (strlen(in->online_url) > URL_MAX || !web_address(in->online_url) ||
				!text_printable(in->online_url, false) || strpbrk(in->online_url, " \"<>")))
		req_field_error(r, model, "online_url", N_("Give the online address as http:// or https://."));
	else if (!*in->location && !*in->online_url)
		req_field_error(r, model, "location", N_("Say where the event is: a place, an online address or both."));

	v = req_param_trimmed(r, "capacity");
	if (v && *v) {
		char *endp = NULL;
		long long n = strtoll(v, &endp, 10);
		in->capacity = endp && !*endp && n >= 0 && n <= CAPACITY_MAX ? n : -1;
	} else {
		in->capacity = v || !found ? 0 : old.capacity;
	}
	if (in->capacity < 0)
		req_field_error(r, model, "capacity", N_("Give the number of seats from 0 (no limit) to 100000."));
	event_extras_read(r, model, current ? current->id : 0, &in->extras);
}

static bool event_store(struct db *db, int64_t item_id, const void *input)
{
	const struct event_input *in = input;
	return db_exec(db, "INSERT INTO event_details (item_id, " EVENT_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
			   " ON CONFLICT (item_id) DO UPDATE SET event_type = excluded.event_type,"
			   " starts_at = excluded.starts_at, ends_at = excluded.ends_at, timezone = excluded.timezone,"
			   " location = excluded.location, online_url = excluded.online_url,"
			   " capacity = excluded.capacity, signup_deadline = excluded.signup_deadline",
		       DB_ARGS(db_int(item_id), db_text(in->type), db_int(in->starts_at), db_int(in->ends_at),
			       db_text(in->zone), db_text(in->location), db_text(in->online_url), db_int(in->capacity),
			       in->deadline ? db_int(in->deadline) : db_null())) == 1 &&
	       event_extras_store(db, item_id, &in->extras);
}

/* The history records the times as the event's clock shows them. */
static json_t *event_history(struct db *db, const void *input)
{
	const struct event_input *in = input;
	struct arena a = {0};
	json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s}", "event_type", in->type, "timezone", in->zone,
			      "starts_at", local_text(&a, in->zone, in->starts_at, ' '), "ends_at",
			      local_text(&a, in->zone, in->ends_at, ' '), "location", in->location, "online_url",
			      in->online_url, "capacity", (json_int_t)in->capacity, "signup_deadline",
			      in->deadline ? local_text(&a, in->zone, in->deadline, ' ') : "");
	arena_reset(&a);
	event_extras_history(db, j, &in->extras);
	return j;
}

static void event_from_history(struct req *r, json_t *fields, void *input)
{
	struct event_input *in = input;
	const char **texts[] = {&in->type, &in->zone, &in->location, &in->online_url};
	static const char *const keys[] = {"event_type", "timezone", "location", "online_url"};
	for (int i = 0; i < 4; i++) {
		const char *v = json_string_value(json_object_get(fields, keys[i]));
		*texts[i] = arena_strdup(&r->arena, v ? v : "");
	}
	int64_t *times[] = {&in->starts_at, &in->ends_at, &in->deadline};
	static const char *const time_keys[] = {"starts_at", "ends_at", "signup_deadline"};
	for (int i = 0; i < 3; i++) {
		struct zone_local l;
		int64_t t = 0;
		if (zone_parse_local(json_string_value(json_object_get(fields, time_keys[i])), &l) &&
		    zone_to_utc(in->zone, &l, &t))
			*times[i] = t;
	}
	in->capacity = json_integer_value(json_object_get(fields, "capacity"));
	event_extras_from_history(r, fields, &in->extras);
}

/* An event's fields from an import line (import/import.h): the times as
 * local "YYYY-MM-DDTHH:MM" in "timezone" (default Europe/Stockholm). */
/* An event a number of days from the import's time (demo content that
 * stays upcoming): "starts_in_days" (negative: in the past), "at" (HH:MM
 * on the event's clock) and "minutes" long. */
static bool import_relative_times(struct importer *im, json_t *o, struct event_input *in)
{
	json_t *days = json_object_get(o, "starts_in_days"), *minutes = json_object_get(o, "minutes");
	const char *at = import_text(im, o, "at", 5, true);
	struct zone_local l;
	char abbrev[16];
	int hour, minute, used = 0;
	if (!at)
		return false;
	if (!json_is_integer(days) || json_integer_value(days) < -3650 || json_integer_value(days) > 3650)
		return import_fail(im, "\"starts_in_days\" must be a whole number of days from -3650 to 3650");
	if (!json_is_integer(minutes) || json_integer_value(minutes) < 1 || json_integer_value(minutes) > 7 * 1440)
		return import_fail(im, "\"minutes\" must be a whole number from 1 to %d", 7 * 1440);
	if (sscanf(at, "%2d:%2d%n", &hour, &minute, &used) != 2 || used != 5 || hour > 23 || minute > 59)
		return import_fail(im, "\"at\" must be a time HH:MM");
	/* The day, counted on the event's calendar: noon UTC of its date
	 * moved by whole days never crosses a date line of its own. */
	if (!zone_from_utc(in->zone, import_now(im), &l, abbrev, sizeof(abbrev)))
		return import_fail(im, "\"timezone\" is not a time zone: %s", in->zone);
	struct tm tm = {.tm_year = l.year - 1900, .tm_mon = l.month - 1, .tm_mday = l.day, .tm_hour = 12};
	time_t day = timegm(&tm) + (time_t)json_integer_value(days) * 86400;
	gmtime_r(&day, &tm);
	struct zone_local start = {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, hour, minute};
	if (!zone_to_utc(in->zone, &start, &in->starts_at))
		return import_fail(im, "\"at\" does not exist that day in %s", in->zone);
	in->ends_at = in->starts_at + json_integer_value(minutes) * 60;
	return true;
}

/* "going": the handles of who signed up, in order; those past the
 * capacity are on the waitlist. */
static bool import_going(struct importer *im, json_t *o, int64_t item_id, const struct event_input *in)
{
	int64_t ids[IMPORT_GOING_MAX];
	int n = 0;
	if (!import_defined_list(im, o, "going", IMPORT_PEOPLE, ids, IMPORT_GOING_MAX, &n))
		return false;
	for (int i = 0; i < n; i++) {
		const char *state = in->capacity && i >= in->capacity ? "waitlisted" : "going";
		if (db_exec(import_db(im),
			    "INSERT INTO event_rsvps (item_id, user_id, state, created_at, place) VALUES (?, ?, ?, ?, ?)",
			    DB_ARGS(db_int(item_id), db_int(ids[i]), db_text(state), db_int(import_now(im) - n + i),
				    db_int(i + 1))) != 1)
			return import_fail(im, "\"going\" names someone twice, or cannot be stored");
	}
	return true;
}

static bool event_import(struct importer *im, json_t *o, int64_t item_id, void *input)
{
	struct event_input *in = input;
	in->type = import_text(im, o, "event_type", 16, true);
	if (!in->type)
		return false;
	if (!event_types_known(import_db(im), in->type))
		return import_fail(im, "\"event_type\" is not a kind of event of this site: %s", in->type);
	const char *zone = import_text(im, o, "timezone", 64, false);
	if (!zone)
		return false;
	in->zone = *zone ? zone : DEFAULT_ZONE;
	if (!zone_exists(in->zone))
		return import_fail(im, "\"timezone\" is not a time zone: %s", in->zone);
	bool relative = json_object_get(o, "starts_in_days") != NULL;
	if (relative && !import_relative_times(im, o, in))
		return false;
	static const char *const keys[] = {"starts_at", "ends_at", "signup_deadline"};
	int64_t *times[] = {&in->starts_at, &in->ends_at, &in->deadline};
	for (int i = relative ? 2 : 0; i < 3; i++) {
		const char *text = import_text(im, o, keys[i], 32, i < 2);
		struct zone_local l;
		if (!text)
			return false;
		if (*text && (!zone_parse_local(text, &l) || !zone_to_utc(in->zone, &l, times[i])))
			return import_fail(im, "\"%s\" must be a time YYYY-MM-DDTHH:MM that exists in %s", keys[i],
					   in->zone);
	}
	if (in->ends_at <= in->starts_at)
		return import_fail(im, "\"ends_at\" must be after \"starts_at\"");
	if (in->deadline > in->starts_at)
		return import_fail(im, "\"signup_deadline\" must not be after \"starts_at\"");
	in->location = import_text(im, o, "location", LOCATION_MAX, false);
	in->online_url = in->location ? import_text(im, o, "online_url", URL_MAX, false) : NULL;
	if (!in->online_url)
		return false;
	if (*in->online_url && !web_address(in->online_url))
		return import_fail(im, "\"online_url\" must be an http:// or https:// address");
	if (!*in->location && !*in->online_url)
		return import_fail(im, "an event needs a \"location\" or an \"online_url\"");
	json_t *capacity = json_object_get(o, "capacity");
	in->capacity = json_is_integer(capacity) ? json_integer_value(capacity) : capacity ? -1 : 0;
	if (in->capacity < 0 || in->capacity > CAPACITY_MAX)
		return import_fail(im, "\"capacity\" must be a whole number from 0 to %d", CAPACITY_MAX);
	return import_going(im, o, item_id, in) && event_extras_import(im, o, &in->extras);
}

/* When and where, as the pages show it: "2026-03-14 18:30 – 20:00 CET
 * (Europe/Stockholm)". */
static void add_when(struct req *r, json_t *o, const char *zone, int64_t starts, int64_t ends)
{
	struct zone_local s, e;
	char sa[16] = "", ea[16] = "";
	if (!zone_from_utc(zone, starts, &s, sa, sizeof(sa)) || !zone_from_utc(zone, ends, &e, ea, sizeof(ea)))
		return;
	const char *until = s.year == e.year && s.month == e.month && s.day == e.day
		? arena_printf(&r->arena, "%02d:%02d", e.hour, e.minute)
		: arena_printf(&r->arena, "%04d-%02d-%02d %02d:%02d", e.year, e.month, e.day, e.hour, e.minute);
	/* Each end in its own abbreviation when the clocks change between. */
	const char *when = strcmp(sa, ea) == 0
		? arena_printf(&r->arena, "%04d-%02d-%02d %02d:%02d – %s %s", s.year, s.month, s.day, s.hour, s.minute,
			       until, sa)
		: arena_printf(&r->arena, "%04d-%02d-%02d %02d:%02d %s – %s %s", s.year, s.month, s.day, s.hour,
			       s.minute, sa, until, ea);
	json_object_set_new(o, "when_text", json_string(when));
	json_object_set_new(o, "starts_local", json_string(local_text(&r->arena, zone, starts, 'T')));
	json_object_set_new(o, "ends_local", json_string(local_text(&r->arena, zone, ends, 'T')));
	json_object_set_new(o, "zone_abbreviation", json_string(sa));
	json_object_set_new(o, "starts_at", json_integer(starts));
	json_object_set_new(o, "ends_at", json_integer(ends));
	render_add_time(o, "starts_at", starts);
	render_add_time(o, "ends_at", ends);
}

bool events_on_item_changed(struct db *db, const struct event *e)
{
	/* Only an event has a row, and only more seats move anyone. */
	return rsvp_fill_seats(db, e->item_id, e->community_id, e->actor_id, e->created_at);
}

/* The recap and the best practice of the event (features/event_recap.h),
 * which open at its start. */
static json_t *after_start(struct req *r, json_t *(*then)(struct req *r, const struct item *it, bool started))
{
	struct item it;
	struct rsvp_signup s;
	if (!event_lookup(r, &it))
		return NULL;
	if (!rsvp_load_signup(r->db, it.id, &s))
		return req_fail_internal(r);
	return then(r, &it, r->now >= s.starts_at);
}

json_t *events_recap(struct req *r)
{
	return after_start(r, event_recap_save);
}

json_t *events_to_article(struct req *r)
{
	return after_start(r, event_recap_to_article);
}

/* ---- the page ------------------------------------------------------------------ */

/* What an event's page (and the API's item) has besides the item:
 * "event": its fields, times as the event's clock shows them, seats, the
 * viewer's answer, and the attendees for members of its community (with
 * the waitlist for its hosts). */
static void event_fill(struct req *r, json_t *model, const struct item *it)
{
	struct event_input in;
	if (!load_input(r, it->id, &in))
		return;
	json_t *e = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I}", "event_type", in.type, "type_label",
			      event_types_label(r, in.type), "timezone", in.zone, "location", in.location, "online_url",
			      in.online_url, "capacity", (json_int_t)in.capacity);
	add_when(r, e, in.zone, in.starts_at, in.ends_at);
	json_object_set_new(e, "signup_deadline", in.deadline ? json_integer(in.deadline) : json_null());
	if (in.deadline)
		json_object_set_new(e, "deadline_text", json_string(local_text(&r->arena, in.zone, in.deadline, ' ')));
	rsvp_fill(r, e, it, in.capacity);
	json_t *guest_form = json_is_true(json_object_get(e, "signup_open")) ? guests_offer(r, it) : NULL;
	if (guest_form)
		json_object_set_new(e, "guest_signup", guest_form);
	json_object_set_new(e, "ended", json_boolean(r->now >= in.ends_at));
	circle_sessions_fill(r, e, it);
	event_extras_fill(r, e, it, r->now >= in.starts_at, event_people_hosts(r, it));
	json_object_set_new(model, "event", e);
}

static void event_form_values(struct req *r, json_t *values, int64_t item_id)
{
	struct event_input in;
	if (!load_input(r, item_id, &in))
		return;
	json_object_set_new(values, "event_type", json_string(in.type));
	json_object_set_new(values, "timezone", json_string(in.zone));
	json_object_set_new(values, "starts_at", json_string(local_text(&r->arena, in.zone, in.starts_at, 'T')));
	json_object_set_new(values, "ends_at", json_string(local_text(&r->arena, in.zone, in.ends_at, 'T')));
	json_object_set_new(values, "signup_deadline",
			    json_string(in.deadline ? local_text(&r->arena, in.zone, in.deadline, 'T') : ""));
	json_object_set_new(values, "location", json_string(in.location));
	json_object_set_new(values, "online_url", json_string(in.online_url));
	json_object_set_new(values, "capacity", json_sprintf("%lld", (long long)in.capacity));
	event_extras_form_values(r, values, item_id);
}

/* The types to choose from, and the zone a new event starts in. */
static void event_form_options(struct req *r, json_t *model, json_t *values)
{
	const char *chosen = json_string_value(json_object_get(values, "event_type"));
	json_object_set_new(model, "event_types", event_types_options(r, chosen));
	if (!json_object_get(values, "timezone"))
		json_object_set_new(values, "timezone", json_string(DEFAULT_ZONE));
}

static const struct item_field event_fields[] = {
	{"event_type", N_("Kind of event")}, {"starts_at", N_("Starts")}, {"ends_at", N_("Ends")},
	{"timezone", N_("Time zone")}, {"location", N_("Place")}, {"online_url", N_("Online address")},
	{"capacity", N_("Seats")}, {"signup_deadline", N_("Sign-up closes")}, {"hosts", N_("Hosts")},
	{"speakers", N_("Speakers")}, {"method", N_("Method")}, {"notes", N_("Notes")},
	{"learned", N_("What we learned")}, {NULL, NULL},
};

const struct item_kind kind_event = {
	.name = "event",
	.label = N_("Event"),
	.compose_title = N_("Plan an event"),
	.submit_label = N_("Publish the event"),
	.places = KIND_IN_COMMUNITY,
	.title_missing = N_("Give the event a title."),
	.title_label = N_("Title"),
	.body_field = "body",
	.body_label = N_("Description"),
	.body_max = DESCRIPTION_MAX,
	.body_missing = N_("Describe the event: what happens and for whom."),
	.body_too_long = N_("A description has at most 5000 characters."),
	.tagged = true,
	.own_fields = "event_type,starts_at,ends_at,timezone,location,online_url,capacity:int,signup_deadline,"
		      EVENT_EXTRAS_FIELDS,
	.history_fields = event_fields,
	.input_size = sizeof(struct event_input),
	.read = event_read,
	.store = event_store,
	.history = event_history,
	.from_history = event_from_history,
	.import = event_import,
	.fill = event_fill,
	.form_values = event_form_values,
	.form_options = event_form_options,
	.search_text_sql = "SELECT d.location, " EVENT_RECAP_SEARCH_COLUMNS " FROM event_details d"
			   EVENT_RECAP_SEARCH_JOIN " WHERE d.item_id = ?",
};

/* ---- lists --------------------------------------------------------------------- */

/* The events of f (kind event) that have not ended (or have, when past),
 * in the order of their start (the latest first when past), at most limit,
 * as summaries with "event": {type, label, when, place, seats}. NULL after
 * req_fail. */
static json_t *event_summaries(struct req *r, struct item_filter *f, bool past, int limit)
{
	f->kind = "event";
	const char *tail = arena_printf(&r->arena, " ORDER BY ed.starts_at %s, i.id LIMIT %d", past ? "DESC" : "ASC",
					limit);
	/* From the events to their items, never the other way round: the
	 * planner would otherwise walk every item of a community to find the
	 * few that are events (SQLite keeps a CROSS JOIN's order). */
	f->own_sql = arena_printf(&r->arena, "ed.item_id = i.id AND %s", f->own_sql);
	struct db_stmt *st = items_query(r, f, "SELECT i.id FROM event_details ed CROSS JOIN items i", tail);
	int64_t ids[LIST_MAX];
	size_t n = 0;
	while (st && db_step(st) == DB_ROW && n < LIST_MAX)
		ids[n++] = db_int_col(st, 0);
	db_done(st);
	if (db_failed(r->db))
		return req_fail_internal(r);
	json_t *ordered = json_array();
	if (n == 0)
		return ordered;
	struct item_filter by_id = {.kind = "event", .ids = ids, .nids = n, .limit = LIST_MAX};
	json_t *page = items_list(r, &by_id);
	if (!page) {
		json_decref(ordered);
		return NULL;
	}
	json_t *index;
	json_t *items = json_object_get(page, "items");
	struct db_stmt *details = items_batch_query(r->db, items,
		"SELECT item_id, event_type, starts_at, ends_at, timezone, location, online_url, capacity,"
		" " RSVP_GOING_COUNT_SQL("e.item_id") ","
		" (SELECT COUNT(*) FROM event_cancellations c WHERE c.item_id = e.item_id)"
		" FROM event_details e WHERE item_id IN", "", DB_NOARGS, &index);
	while (details && db_step(details) == DB_ROW) {
		json_t *o = items_indexed(index, db_int_col(details, 0));
		if (!o)
			continue;
		int64_t capacity = db_int_col(details, 7), going = db_int_col(details, 8);
		json_t *e = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I}", "event_type", db_text_col(details, 1),
				      "type_label", event_types_label(r, db_text_col(details, 1)), "location",
				      db_text_col(details, 5), "online_url", db_text_col(details, 6), "capacity",
				      (json_int_t)capacity, "going_count", (json_int_t)going);
		add_when(r, e, db_text_col(details, 4), db_int_col(details, 2), db_int_col(details, 3));
		json_object_set_new(e, "seats_left", capacity ? json_integer(going < capacity ? capacity - going : 0)
							      : json_null());
		json_object_set_new(e, "cancelled", json_boolean(db_int_col(details, 9) != 0));
		json_object_set_new(o, "event", e);
	}
	db_done(details);
	for (size_t i = 0; i < n; i++) {
		json_t *o = items_indexed(index, ids[i]);
		if (o)
			json_array_append(ordered, o);
	}
	json_decref(index);
	json_decref(page);
	return ordered;
}

json_t *events_upcoming(struct req *r, int64_t community_id, int limit)
{
	struct item_filter f = {.community_id = community_id,
				.own_sql = "ed.ends_at > ?",
				.own_args = {db_int(r->now)},
				.nown_args = 1};
	json_t *list = event_summaries(r, &f, false, limit);
	return list ? list : json_array();
}

/* The conditions of /events on ed (event_details): the month's span with
 * ?month=, else upcoming or past; and the kind. f's arguments follow. */
static bool list_conditions(struct req *r, struct item_filter *f, const struct event_month *month, bool past,
			    const char *type)
{
	const char *sql;
	if (month) {
		sql = "ed.starts_at >= ? AND ed.starts_at < ?";
		f->own_args[f->nown_args++] = db_int(month->from);
		f->own_args[f->nown_args++] = db_int(month->until);
	} else {
		sql = past ? "ed.ends_at <= ?" : "ed.ends_at > ?";
		f->own_args[f->nown_args++] = db_int(r->now);
	}
	if (type && *type) {
		if (!event_types_known(r->db, type)) {
			req_fail(r, 400, "bad_filter", N_("Choose one of the kinds of events offered."));
			r->error.field = "type";
			return false;
		}
		sql = arena_printf(&r->arena, "%s AND ed.event_type = ?", sql);
		f->own_args[f->nown_args++] = db_text(type);
	}
	f->own_sql = sql;
	return true;
}

static void filter_fail(struct req *r, const char *field, const char *message)
{
	req_fail(r, 400, "bad_filter", message);
	r->error.field = field;
}

/* /events?month=code with the list's filters, in the arena. */
static const char *month_url(struct req *r, const char *code, const char *const *keys, const char *const *vals)
{
	struct buf m = {0};
	buf_printf(&m, "/events?month=%s", code);
	buf_put_query(&m, keys, vals, 3);
	const char *url = arena_strdup(&r->arena, m.data);
	buf_free(&m);
	return url;
}

json_t *events_list(struct req *r)
{
	const char *when = req_query(r, "when");
	bool past = when && strcmp(when, "past") == 0;
	if (when && *when && !past && strcmp(when, "upcoming") != 0) {
		filter_fail(r, "when", N_("Choose upcoming or past events."));
		return NULL;
	}
	const char *month_text = req_query(r, "month");
	struct event_month month;
	bool by_month = month_text && *month_text;
	if (by_month && !event_month_parse(month_text, DEFAULT_ZONE, &month)) {
		filter_fail(r, "month", N_("Choose a month as YYYY-MM, such as 2027-03."));
		return NULL;
	}
	if (by_month)
		past = false; /* a month lists its events in the order they start */
	struct item_filter f = {0};
	const char *type = req_query(r, "type");
	if (!list_conditions(r, &f, by_month ? &month : NULL, past, type))
		return NULL;
	const char *slug = req_query(r, "community");
	struct community_access c;
	if (slug && *slug) {
		if (!communities_access(r, slug, &c) || !c.can_read)
			return req_fail(r, 404, "not_found", N_("There is no such community."));
		f.community_id = c.id;
	}
	const char *tag = req_query(r, "tag");
	char norm[4 * TAG_MAX_CHARS + 8];
	if (tag && *tag) {
		if (!tag_normalise(tag, norm, sizeof(norm))) {
			filter_fail(r, "tag", N_("A tag has 1 to 32 letters, digits or hyphens."));
			return NULL;
		}
		f.tag = norm;
	}
	json_t *items = event_summaries(r, &f, past, LIST_MAX);
	if (!items)
		return NULL;
	json_t *types = event_types_options(r, type);
	const char *title = by_month ? N_("Events by month") : past ? N_("Past events") : N_("Events");
	json_t *model = json_pack("{s:s, s:o, s:b, s:b, s:o, s:{s:s, s:s, s:s}}", "title", tr(r, title), "items",
				  items, "past", past, "none", json_array_size(items) == 0, "types", types, "filters",
				  "type", type && *type ? type : "", "community", slug && *slug ? slug : "", "tag",
				  f.tag ? f.tag : "");
	const char *keys[] = {"type", "community", "tag"};
	const char *vals[] = {type, slug, f.tag};
	/* The other lists with the same filters: upcoming or past, and the
	 * month view (this month; from a month, the one before and after). */
	struct buf q = {0};
	buf_puts(&q, past || by_month ? "/events?when=upcoming" : "/events?when=past");
	buf_put_query(&q, keys, vals, 3);
	json_object_set_new(model, "other_url", json_string(q.data));
	buf_free(&q);
	if (by_month) {
		json_t *grid = event_month_grid(r, &month, DEFAULT_ZONE, items);
		const char *sides[] = {"previous", "next"};
		for (int i = 0; i < 2; i++) {
			const char *code = json_string_value(json_object_get(grid, sides[i]));
			json_object_set_new(grid, arena_printf(&r->arena, "%s_url", sides[i]),
					    json_string(month_url(r, code, keys, vals)));
		}
		json_object_set_new(model, "month", grid);
	} else if (event_month_of(r->now, DEFAULT_ZONE, &month)) {
		const char *code = arena_printf(&r->arena, "%04d-%02d", month.year, month.month);
		json_object_set_new(model, "month_url", json_string(month_url(r, code, keys, vals)));
	}
	return model;
}
