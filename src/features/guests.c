/* guests: sign-up for events without an account (see guests.h). */
#include "features/guests.h"

#include "auth/policy.h"
#include "core/config.h"
#include "core/grow.h"
#include "db/db.h"
#include "features/event_lookup.h"
#include "features/event_people.h"
#include "features/items.h"
#include "features/mail_content.h"
#include "features/mail_optin.h"
#include "features/rsvp.h"
#include "http/req.h"
#include "i18n/format.h"
#include "i18n/i18n.h"
#include "jobs/events.h"
#include "jobs/outbox.h"
#include "render/links.h"
#include "render/render.h"

#include <stdio.h>
#include <string.h>

/* The forms' counters (features/mail_optin.h). */
#define FORM "guest"
#define CONFIRM_SECONDS (GUEST_CONFIRM_DAYS * 24 * 3600)

/* One guest's sign-up with its event; strings in the arena it was loaded
 * into. */
struct guest {
	int64_t id, item_id, community_id, place, claim_by, created_at, starts_at;
	const char *name, *email, *secret, *state, *title;
	int locale;
};

#define GUEST_SQL                                                                                                \
	"SELECT g.id, g.item_id, COALESCE(i.community_id, 0), g.place, g.claim_by, g.created_at, e.starts_at,"  \
	" g.name, g.email, g.secret, g.state, i.title, g.locale FROM event_guests g JOIN items i ON i.id = g.item_id" \
	" JOIN event_details e ON e.item_id = g.item_id WHERE i.deleted_at IS NULL AND "

/* The guest of the statement's row into g: DB_ROW, DB_DONE or DB_ERROR. */
static int guest_row(struct db_stmt *st, struct arena *a, struct guest *g)
{
	int rc = db_step(st);
	if (rc != DB_ROW)
		return rc;
	int locale = i18n_locale_index(db_text_col(st, 12));
	*g = (struct guest){
		.id = db_int_col(st, 0),
		.item_id = db_int_col(st, 1),
		.community_id = db_int_col(st, 2),
		.place = db_int_col(st, 3),
		.claim_by = db_null_col(st, 4) ? 0 : db_int_col(st, 4),
		.created_at = db_int_col(st, 5),
		.starts_at = db_int_col(st, 6),
		.name = arena_strdup(a, db_text_col(st, 7)),
		.email = arena_strdup(a, db_text_col(st, 8)),
		.secret = arena_strdup(a, db_text_col(st, 9)),
		.state = arena_strdup(a, db_text_col(st, 10)),
		.title = arena_strdup(a, db_text_col(st, 11)),
		.locale = locale >= 0 ? locale : 0,
	};
	return rc;
}

/* ---- the mail ------------------------------------------------------------------ */

/* What one mail to a guest says besides the greeting: the lead, then the
 * link as a button, then what follows it (may be NULL). */
struct guest_mail {
	const char *kind, *subject, *lead, *button, *link, *after;
};

static bool send_mail(struct db *db, struct arena *a, const struct guest *g, const struct guest_mail *m, int64_t now)
{
	const char *paragraphs[5] = {
		format_message(a, g->locale, N_("Hello {{name}},"), "name", g->name, NULL),
		m->lead,
		m->link,
		m->after,
	};
	json_t *model = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:s, s:s}", "subject", m->subject, "name", g->name,
				  "lead", m->lead, "button", m->button, "link", m->link, "after", m->after, "page",
				  mail_content_link(a, link_item(a, g->item_id, g->title)), "title", g->title);
	struct outbox_message om = {
		.kind = m->kind,
		.to_name = g->name,
		.to_address = g->email,
		.subject = m->subject,
		.text = mail_content_text(a, paragraphs),
		.html = mail_content_html(a, "guest", model, g->locale),
	};
	return om.html && outbox_add(db, &om, now);
}

/* The guest's page, where they see their place and confirm, claim or
 * cancel it: absolute, for a mail. */
static const char *page_link(struct arena *a, const struct guest *g)
{
	return mail_content_link(a, arena_printf(a, "/guests/%s", g->secret));
}

static const char *say(struct arena *a, const struct guest *g, const char *msgid)
{
	return format_message(a, g->locale, msgid, "title", g->title, "site_name", config.site_name, NULL);
}

/* The mail after confirming, or (again) to an address signed up already. */
static bool mail_place(struct db *db, struct arena *a, const struct guest *g, bool again, int64_t now)
{
	struct guest_mail m = {.button = i18n_get(g->locale, N_("See or cancel your sign-up")),
			       .link = page_link(a, g)};
	if (again) {
		m.kind = "guest_exists";
		m.subject = say(a, g, N_("You are signed up for {{title}} already"));
		m.lead = say(a, g, N_("Someone, probably you, asked to sign this address up for {{title}} on "
				      "{{site_name}}. It is signed up already. To see your place or cancel it, open "
				      "this link:"));
	} else if (strcmp(g->state, "going") == 0) {
		m.kind = "guest_going";
		m.subject = say(a, g, N_("You are going to {{title}}"));
		m.lead = say(a, g, N_("You have a seat at {{title}}. If you cannot come after all, cancel here so "
				      "that someone else can have it:"));
	} else {
		char position[24];
		snprintf(position, sizeof(position), "%lld",
			 (long long)rsvp_waitlist_position(db, g->item_id, g->place));
		m.kind = "guest_waitlisted";
		m.subject = say(a, g, N_("You are on the waitlist for {{title}}"));
		m.lead = format_message(a, g->locale,
					N_("{{title}} is full: you are number {{position}} on the waitlist. We write to "
					   "you when a seat comes free. To leave the waitlist, open this link:"),
					"title", g->title, "position", position, NULL);
	}
	return send_mail(db, a, g, &m, now);
}

bool guests_tell(struct db *db, int64_t guest_id, enum guest_news news, int64_t now)
{
	struct arena a = {0};
	struct guest g;
	struct db_stmt *st = db_query(db, GUEST_SQL "g.id = ?", DB_ARGS(db_int(guest_id)));
	int rc = guest_row(st, &a, &g);
	db_done(st);
	bool ok = rc != DB_ERROR;
	if (rc == DB_ROW) {
		struct guest_mail m = {.button = i18n_get(g.locale, N_("See or cancel your sign-up")),
				       .link = page_link(&a, &g)};
		if (news == GUEST_PROMOTED) {
			m.kind = "guest_promoted";
			m.subject = say(&a, &g, N_("A seat came free: you are going to {{title}}"));
			m.lead = say(&a, &g, N_("A seat came free at {{title}} and it is yours. If you cannot come after "
						"all, cancel here so that someone else can have it:"));
		} else if (news == GUEST_SEAT_OFFERED) {
			char hours[24];
			snprintf(hours, sizeof(hours), "%lld", (long long)((g.claim_by - now + 3599) / 3600));
			m.kind = "guest_seat_offered";
			m.subject = say(&a, &g, N_("A seat came free at {{title}}: confirm that you are coming"));
			m.lead = format_message(&a, g.locale,
						N_("A seat came free at {{title}}. It is yours if you confirm within "
						   "{{hours}} hours; otherwise it goes to the next on the waitlist:"),
						"title", g.title, "hours", hours, NULL);
			m.button = i18n_get(g.locale, N_("I am still coming"));
		} else if (news == GUEST_CANCELLED) {
			m.kind = "guest_cancelled";
			m.subject = say(&a, &g, N_("{{title}} is cancelled"));
			m.lead = say(&a, &g, N_("The hosts have cancelled {{title}}: it will not take place. You need "
						"to do nothing. The event's page says more:"));
			m.button = i18n_get(g.locale, N_("Open the event"));
			m.link = mail_content_link(&a, link_item(&a, g.item_id, g.title));
		} else if (news == GUEST_REMINDER) {
			m.kind = "guest_reminder";
			m.subject = say(&a, &g, N_("Tomorrow: {{title}}"));
			m.lead = say(&a, &g, N_("This is a reminder that {{title}} is tomorrow; the time and the place "
						"are on your page. If you cannot come after all, cancel there so that "
						"someone else can have your seat:"));
		} else {
			m.kind = "guest_seat_lapsed";
			m.subject = say(&a, &g, N_("Your seat at {{title}} went to the next on the waitlist"));
			m.lead = say(&a, &g, N_("You did not confirm the seat that came free at {{title}} in time, so it "
						"went to the next on the waitlist. To come after all, sign up again on the "
						"event's page:"));
			m.button = i18n_get(g.locale, N_("Open the event"));
			m.link = mail_content_link(&a, link_item(&a, g.item_id, g.title));
		}
		ok = send_mail(db, &a, &g, &m, now);
	}
	arena_reset(&a);
	return ok;
}

bool guests_remind(struct db *db, int64_t item_id, int64_t now)
{
	struct db_stmt *st = db_query(db, "SELECT g.id FROM event_guests g WHERE g.item_id = ? AND g.state = 'going'"
					  " AND NOT EXISTS (SELECT 1 FROM guest_reminders gr WHERE gr.guest_id = g.id)"
					  " ORDER BY g.place LIMIT 500",
				      DB_ARGS(db_int(item_id)));
	int64_t ids[500];
	size_t n = 0;
	while (st && n < 500 && db_step(st) == DB_ROW)
		ids[n++] = db_int_col(st, 0);
	db_done(st);
	for (size_t i = 0; i < n && !db_failed(db); i++) {
		int64_t claimed = db_exec(db, "INSERT INTO guest_reminders (guest_id, sent_at) VALUES (?, ?)"
					      " ON CONFLICT (guest_id) DO NOTHING",
					  DB_ARGS(db_int(ids[i]), db_int(now)));
		if (claimed < 0 || (claimed == 1 && !guests_tell(db, ids[i], GUEST_REMINDER, now)))
			return false;
	}
	return !db_failed(db);
}

/* Who hears the hosts' messages: those going, or the waitlist too. */
#define GOING_SQL "state = 'going'"
#define GOING_OR_WAITING_SQL "state IN ('going', 'waitlisted')"

int64_t guests_count(struct db *db, int64_t item_id, bool waitlist)
{
	const char *sql = waitlist ? "SELECT COUNT(*) FROM event_guests WHERE item_id = ? AND " GOING_OR_WAITING_SQL
				   : "SELECT COUNT(*) FROM event_guests WHERE item_id = ? AND " GOING_SQL;
	int64_t n = db_scalar_int(db, -1, sql, DB_ARGS(db_int(item_id)));
	return db_failed(db) ? -1 : n;
}

bool guests_forward(struct db *db, int64_t item_id, const char *subject, const char *body, bool waitlist,
		    int64_t now)
{
	const char *sql = waitlist ? GUEST_SQL "g.item_id = ? AND g." GOING_OR_WAITING_SQL " ORDER BY g.place"
				   : GUEST_SQL "g.item_id = ? AND g." GOING_SQL " ORDER BY g.place";
	struct arena a = {0};
	struct guest *to = NULL;
	size_t n = 0, cap = 0;
	/* All read before the first mail is queued on the same connection. */
	struct db_stmt *st = db_query(db, sql, DB_ARGS(db_int(item_id)));
	struct guest g;
	int rc;
	while ((rc = guest_row(st, &a, &g)) == DB_ROW) {
		GROW_ARENA(&a, to, n, cap);
		to[n++] = g;
	}
	db_done(st);
	bool ok = rc != DB_ERROR;
	for (size_t i = 0; ok && i < n; i++) {
		struct guest_mail m = {
			.kind = "guest_message",
			.subject = format_message(&a, to[i].locale, N_("{{title}}: {{subject}}"), "title", to[i].title,
						  "subject", subject, NULL),
			.lead = say(&a, &to[i], N_("The hosts of {{title}} wrote to those signed up:")),
			.after = body,
			.button = i18n_get(to[i].locale, N_("See or cancel your sign-up")),
			.link = page_link(&a, &to[i]),
		};
		ok = send_mail(db, &a, &to[i], &m, now);
	}
	arena_reset(&a);
	return ok;
}

bool guests_tell_all(struct db *db, int64_t item_id, enum guest_news news, int64_t now)
{
	/* A batch at a time, in the order of the line. */
	int64_t after = -1;
	for (;;) {
		struct db_stmt *st = db_query(db, "SELECT id, place FROM event_guests WHERE item_id = ?"
						  " AND state <> 'unconfirmed' AND place > ? ORDER BY place LIMIT 100",
					      DB_ARGS(db_int(item_id), db_int(after)));
		int64_t ids[100];
		size_t n = 0;
		while (st && n < 100 && db_step(st) == DB_ROW) {
			ids[n++] = db_int_col(st, 0);
			after = db_int_col(st, 1);
		}
		db_done(st);
		for (size_t i = 0; i < n; i++)
			if (!guests_tell(db, ids[i], news, now))
				return false;
		if (db_failed(db))
			return false;
		if (n < 100)
			return true;
	}
}

/* ---- signing up ------------------------------------------------------------------ */

/* Whether the event takes guests: in a public community, not a circle. */
static bool takes_guests(const struct item *it)
{
	return it->in_community && !it->access.circle && strcmp(it->access.visibility, "public") == 0;
}

/* /items/{id}/guests: where the event's form for guests is sent. */
static const char *form_action(struct arena *a, int64_t item_id)
{
	return arena_printf(a, "%s/guests", link_item_id(a, item_id));
}

bool guests_on_event(struct db *db, const struct event *e)
{
	if (!e->object_id)
		return true; /* a member's: features/notifications.h */
	enum guest_news news = e->type == EVENT_RSVP_LAPSED ? GUEST_SEAT_LAPSED
			       : json_object_get(e->payload, "claim_by") ? GUEST_SEAT_OFFERED
									 : GUEST_PROMOTED;
	return guests_tell(db, e->object_id, news, e->created_at);
}

json_t *guests_offer(struct req *r, const struct item *it)
{
	if (r->user || !takes_guests(it) || it->access.archived)
		return NULL;
	return json_pack("{s:s, s:{}, s:{}}", "action", form_action(&r->arena, it->id),
			 "values", "errors");
}

/* The event of /items/{id}/guests that takes guests; false after
 * answering. */
static bool load_event(struct req *r, struct item *it)
{
	if (!event_lookup(r, it))
		return false;
	if (!takes_guests(it)) {
		req_fail(r, 403, "not_public",
			 N_("Only events of public communities take guests without an account. Members sign up on "
			    "the event's page."));
		return false;
	}
	if (it->access.archived) {
		req_fail(r, 409, "archived", N_("This community is archived: nothing new comes to it."));
		return false;
	}
	return true;
}

static json_t *form_model(struct req *r, const struct item *it)
{
	json_t *model = req_form_model(r, N_("Sign up as a guest"), "name,email");
	json_object_set_new(model, "event_title", json_string(it->title));
	json_object_set_new(model, "event_url", json_string(link_item(&r->arena, it->id, it->title)));
	json_object_set_new(model, "action", json_string(form_action(&r->arena, it->id)));
	if (req_query(r, "sent"))
		json_object_set_new(model, "sent", json_true());
	return model;
}

json_t *guests_form(struct req *r)
{
	struct item it;
	return load_event(r, &it) ? form_model(r, &it) : NULL;
}

/* Adds the guest, or renews an unconfirmed sign-up, and queues the mail
 * its address gets; false on a database error. */
static bool sign_up_address(struct req *r, const struct item *it, const char *name, const char *email,
			    const char *key)
{
	struct guest g;
	struct db_stmt *st = db_query(r->db, GUEST_SQL "g.item_id = ? AND g.email_key = ?",
				      DB_ARGS(db_int(it->id), db_text(key)));
	int rc = guest_row(st, &r->arena, &g);
	db_done(st);
	if (rc == DB_ERROR)
		return false;
	const char *locale = i18n_locale_code(r->locale);
	if (rc == DB_ROW && strcmp(g.state, "unconfirmed") != 0)
		/* A place taken stays as it is: only its guest, through the
		 * links, may change it. */
		return mail_place(r->db, &r->arena, &g, true, r->now);
	if (rc == DB_ROW) {
		/* What they typed last counts, and the link has its full time
		 * again; it is the same link. */
		if (db_exec(r->db, "UPDATE event_guests SET name = ?, email = ?, locale = ?, created_at = ? WHERE id = ?",
			    DB_ARGS(db_text(name), db_text(email), db_text(locale), db_int(r->now), db_int(g.id))) != 1)
			return false;
	} else {
		g = (struct guest){.secret = mail_optin_secret(&r->arena)};
		if (db_exec(r->db,
			    "INSERT INTO event_guests (item_id, name, email, email_key, locale, secret, state, created_at)"
			    " VALUES (?, ?, ?, ?, ?, ?, 'unconfirmed', ?)",
			    DB_ARGS(db_int(it->id), db_text(name), db_text(email), db_text(key), db_text(locale),
				    db_text(g.secret), db_int(r->now))) != 1)
			return false;
	}
	g.item_id = it->id;
	g.name = name;
	g.email = email;
	g.title = it->title;
	g.locale = r->locale;
	struct guest_mail m = {
		.kind = "guest_confirm",
		.subject = say(&r->arena, &g, N_("Confirm your sign-up for {{title}}")),
		.lead = say(&r->arena, &g, N_("Someone, probably you, signed this address up for {{title}} on "
					      "{{site_name}}. To take your place, confirm within 7 days:")),
		.button = tr(r, N_("Confirm the sign-up")),
		.link = page_link(&r->arena, &g),
		.after = tr(r, N_("If you did not ask for this, ignore this message: you are not signed up unless "
				  "you confirm.")),
	};
	return send_mail(r->db, &r->arena, &g, &m, r->now);
}

json_t *guests_signup(struct req *r)
{
	struct item it;
	if (!load_event(r, &it))
		return NULL;
	if (r->user)
		return req_fail(r, 409, "signed_in", N_("You are signed in: sign up with the buttons on the event's page."));
	struct rsvp_signup s;
	if (!rsvp_load_signup(r->db, it.id, &s))
		return req_fail_internal(r);
	const char *code, *refusal = rsvp_signup_refusal(&s, r->now, &code);
	if (refusal)
		return req_fail(r, 422, code, refusal);
	json_t *model = form_model(r, &it);
	const char *name, *email;
	mail_optin_read(r, model, &name, &email);
	if (req_has_field_errors(r))
		return req_invalid(r, model);
	if (!mail_optin_client_allowed(r, model, FORM))
		return model;
	json_decref(model);
	/* Past the address's mails for the day the answer is the same and
	 * nothing is sent. */
	const char *key = mail_optin_address_key(&r->arena, email);
	if (mail_optin_address_allowed(r, FORM, key) && !sign_up_address(r, &it, name, email, key))
		return req_fail_internal(r);
	if (db_failed(r->db))
		return req_fail_internal(r);
	return req_done(r, 202, arena_printf(&r->arena, "%s?sent=1", form_action(&r->arena, it.id)),
			json_pack("{s:b, s:s}", "sent", 1, "message",
				  tr(r, N_("Check your e-mail: we sent a link to confirm your sign-up. You have no "
					   "place before you confirm."))));
}

/* ---- the guest's links ------------------------------------------------------------- */

/* The guest whose secret the path holds; false after answering 404 when
 * there is none. Their pages are never kept by a cache. */
static bool load(struct req *r, struct guest *g)
{
	req_add_header(r, "Cache-Control", "no-store");
	const char *secret = req_path_param(r, "secret");
	int rc = DB_DONE;
	if (mail_optin_secret_shaped(secret)) {
		struct db_stmt *st = db_query(r->db, GUEST_SQL "g.secret = ?", DB_ARGS(db_text(secret)));
		rc = guest_row(st, &r->arena, g);
		db_done(st);
	}
	if (rc == DB_ERROR) {
		req_fail_internal(r);
		return false;
	}
	if (rc != DB_ROW) {
		req_fail(r, 404, "not_found", N_("There is no such sign-up: it was cancelled, or the link is not complete."));
		return false;
	}
	return true;
}

/* The guest's state as the answers and the page give it. */
static json_t *state_model(struct req *r, const struct guest *g)
{
	bool waiting = strcmp(g->state, "waitlisted") == 0;
	json_t *o = json_pack("{s:s, s:I}", "state", g->state, "position",
			      (json_int_t)(waiting ? rsvp_waitlist_position(r->db, g->item_id, g->place) : 0));
	if (g->claim_by) {
		json_object_set_new(o, "claim_by", json_integer(g->claim_by));
		render_add_time(o, "claim_by", g->claim_by);
	}
	return o;
}

static json_t *page_model(struct req *r, const struct guest *g)
{
	json_t *model = state_model(r, g);
	json_object_update_new(model, json_pack("{s:s, s:s, s:s, s:s, s:s, s:b}", "title", tr(r, N_("Your sign-up")),
						"event_title", g->title, "event_url",
						link_item(&r->arena, g->item_id, g->title), "name", g->name, "secret",
						g->secret, "started", r->now >= g->starts_at));
	json_object_set_new(model, arena_printf(&r->arena, "is_%s", g->state), json_true());
	return model;
}

json_t *guests_page(struct req *r)
{
	struct guest g;
	return load(r, &g) ? page_model(r, &g) : NULL;
}

json_t *guests_confirm(struct req *r)
{
	struct guest g;
	if (!load(r, &g))
		return NULL;
	/* Confirming twice changes nothing. */
	if (strcmp(g.state, "unconfirmed") == 0) {
		if (g.created_at <= r->now - CONFIRM_SECONDS)
			return req_fail(r, 410, "link_expired",
					N_("This link does not work any more: the sign-up was not confirmed within 7 "
					   "days. Sign up again."));
		/* The request's write lock is held to the commit: the place
		 * taken is the next one (rsvp.h). */
		struct rsvp_signup s;
		if (!rsvp_load_signup(r->db, g.item_id, &s))
			return req_fail_internal(r);
		const char *code, *refusal = rsvp_signup_refusal(&s, r->now, &code);
		if (refusal)
			return req_fail(r, 422, code, refusal);
		g.state = rsvp_next_place(r->db, g.item_id, &s, &g.place);
		if (db_exec(r->db, "UPDATE event_guests SET state = ?, place = ?, confirmed_at = ? WHERE id = ?",
			    DB_ARGS(db_text(g.state), db_int(g.place), db_int(r->now), db_int(g.id))) != 1 ||
		    !mail_place(r->db, &r->arena, &g, false, r->now))
			return req_fail_internal(r);
	}
	return req_done(r, 200, arena_printf(&r->arena, "/guests/%s", g.secret), page_model(r, &g));
}

json_t *guests_claim(struct req *r)
{
	struct guest g;
	if (!load(r, &g))
		return NULL;
	if (g.claim_by && r->now >= g.claim_by)
		return req_fail(r, 422, "claim_lapsed",
				N_("The time to confirm your seat has passed: it goes to the next on the waitlist."));
	if (g.claim_by && db_exec(r->db, "UPDATE event_guests SET claim_by = NULL WHERE id = ?", DB_ARGS(db_int(g.id))) != 1)
		return req_fail_internal(r);
	g.claim_by = 0;
	return req_done(r, 200, arena_printf(&r->arena, "/guests/%s", g.secret), page_model(r, &g));
}

json_t *guests_cancel(struct req *r)
{
	struct guest g;
	if (!load(r, &g))
		return NULL;
	if (r->now >= g.starts_at && strcmp(g.state, "unconfirmed") != 0)
		return req_fail(r, 422, "signup_closed", N_("The event has started: answers can no longer change."));
	if (db_exec(r->db, "DELETE FROM event_guests WHERE id = ?", DB_ARGS(db_int(g.id))) != 1 ||
	    (strcmp(g.state, "going") == 0 && !rsvp_fill_seats(r->db, g.item_id, g.community_id, 0, r->now)))
		return req_fail_internal(r);
	g.state = "not_going";
	g.claim_by = 0;
	json_t *model = page_model(r, &g);
	json_object_set_new(model, "position", json_integer(0));
	/* The page is the answer: its address leads nowhere now. */
	return req_done(r, 200, NULL, model);
}

int64_t guests_purge(struct db *db, int64_t now)
{
	return db_exec(db, "DELETE FROM event_guests WHERE state = 'unconfirmed' AND created_at <= ?",
		       DB_ARGS(db_int(now - CONFIRM_SECONDS)));
}
