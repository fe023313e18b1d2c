/* subscriptions: a digest by e-mail without an account; subscribing,
 * confirming and leaving (see subscriptions.h). */
#include "features/subscriptions.h"

#include "auth/policy.h"
#include "auth/users.h"
#include "core/config.h"
#include "core/text.h"
#include "db/db.h"
#include "features/communities.h"
#include "features/mail_content.h"
#include "features/mail_optin.h"
#include "http/req.h"
#include "i18n/format.h"
#include "i18n/i18n.h"
#include "jobs/outbox.h"
#include "render/links.h"

#include <stdio.h>
#include <string.h>

/* The forms' counters (features/mail_optin.h). */
#define FORM "subscribe"

/* What one can subscribe to: a public community, or the catalogue
 * (community_id 0). */
struct list {
	int64_t community_id;
	const char *about; /* what the digest is of, in the request's language */
	const char *page;  /* the list's page: "/c/{slug}", "/articles" */
};

const char *subscriptions_about(struct arena *a, int locale, const char *community_name)
{
	if (community_name)
		return arena_strdup(a, community_name);
	return format_message(a, locale, N_("the best practices of {{site_name}}"), "site_name", config.site_name,
			      NULL);
}

const char *subscriptions_unsubscribe_url(struct arena *a, const char *secret)
{
	return mail_content_link(a, arena_printf(a, "/subscriptions/%s/unsubscribe", secret));
}

/* ---- the form ----------------------------------------------------------------- */

/* The public community of the path, or after an answer false. */
static bool community_list(struct req *r, struct list *l)
{
	struct community_access a;
	if (!communities_access(r, req_path_param(r, "slug"), &a) || !a.can_read) {
		req_fail(r, 404, "not_found", N_("There is no such community."));
		return false;
	}
	if (strcmp(a.visibility, "public") != 0) {
		req_fail(r, 403, "not_public",
			 N_("Only a public community's digest can be had by e-mail without an account. Members follow "
			    "the community instead."));
		return false;
	}
	if (a.archived) {
		req_fail(r, 409, "archived", N_("This community is archived: nothing new comes to it."));
		return false;
	}
	*l = (struct list){.community_id = a.id, .about = subscriptions_about(&r->arena, r->locale, a.name),
			   .page = link_community(&r->arena, a.slug)};
	return true;
}

static struct list catalogue_list(struct req *r)
{
	return (struct list){.about = subscriptions_about(&r->arena, r->locale, NULL), .page = "/articles"};
}

static json_t *form_model(struct req *r, const struct list *l)
{
	json_t *model = req_form_model(r, N_("Get the digest by e-mail"), "name,email,pace");
	const char *pace = req_param(r, "pace");
	bool daily = pace && strcmp(pace, "daily") == 0;
	json_object_set_new(model, "about", json_string(l->about));
	json_object_set_new(model, "page", json_string(l->page));
	json_object_set_new(model, "action", json_string(arena_printf(&r->arena, "%s/subscribe", l->page)));
	json_object_set_new(model, "daily", json_boolean(daily));
	if (req_query(r, "sent"))
		json_object_set_new(model, "sent", json_true());
	return model;
}

json_t *subscriptions_offer(struct req *r, const char *page)
{
	return r->user ? NULL : json_pack("{s:s}", "action", arena_printf(&r->arena, "%s/subscribe", page));
}

json_t *subscriptions_community_form(struct req *r)
{
	struct list l;
	return community_list(r, &l) ? form_model(r, &l) : NULL;
}

json_t *subscriptions_catalogue_form(struct req *r)
{
	struct list l = catalogue_list(r);
	return form_model(r, &l);
}

/* ---- the mail to the address --------------------------------------------------- */

/* The confirmation link's message, or (confirmed) the note that the
 * address gets the digest already, with the way to stop it. */
static struct outbox_message owner_message(struct req *r, const struct list *l, const char *name, const char *email,
					   bool daily, const char *secret, bool confirmed)
{
	int locale = r->locale;
	const char *link, *subject;
	const char *paragraphs[5] = {
		format_message(&r->arena, locale, N_("Hello {{name}},"), "name", name, NULL),
	};
	if (confirmed) {
		link = subscriptions_unsubscribe_url(&r->arena, secret);
		subject = format_message(&r->arena, locale, N_("You get the digest of {{about}} already"), "about",
					 l->about, NULL);
		paragraphs[1] = format_message(&r->arena, locale,
					       N_("Someone, probably you, asked to subscribe this address to the digest "
						  "of {{about}} on {{site_name}}. It gets that digest already. To stop "
						  "it, open this link:"),
					       "about", l->about, "site_name", config.site_name, NULL);
		paragraphs[3] = i18n_get(locale, N_("To keep getting it, there is nothing to do."));
	} else {
		link = mail_content_link(&r->arena, arena_printf(&r->arena, "/subscriptions/%s/confirm", secret));
		subject = format_message(&r->arena, locale, N_("Confirm your subscription to {{about}}"), "about",
					 l->about, NULL);
		paragraphs[1] = format_message(
			&r->arena, locale,
			daily ? N_("Someone, probably you, asked for a daily digest of {{about}} on {{site_name}} at "
				   "this address. To start it, confirm within 7 days:")
			      : N_("Someone, probably you, asked for a weekly digest of {{about}} on {{site_name}} at "
				   "this address. To start it, confirm within 7 days:"),
			"about", l->about, "site_name", config.site_name, NULL);
		paragraphs[3] = i18n_get(locale, N_("If you did not ask for this, ignore this message: nothing is "
						    "sent to you unless you confirm."));
	}
	paragraphs[2] = link;
	json_t *model = json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:b}", "subject", subject, "name", name, "about",
				  l->about, "link", link, "page", mail_content_link(&r->arena, l->page), "daily", daily,
				  "confirmed", confirmed);
	return (struct outbox_message){
		.kind = confirmed ? "subscription_exists" : "subscription_confirm",
		.to_name = name,
		.to_address = email,
		.subject = subject,
		.text = mail_content_text(&r->arena, paragraphs),
		.html = mail_content_html(&r->arena, "subscription", model, locale),
		.unsubscribe_url = confirmed ? link : NULL,
	};
}

/* ---- subscribing ---------------------------------------------------------------- */

/* Adds the subscription, or renews an unconfirmed one, and queues the
 * mail its address gets; false on a database error. */
static bool subscribe_address(struct req *r, const struct list *l, const char *name, const char *email,
			      const char *key, bool daily)
{
	struct db_stmt *st = db_query(r->db,
				      "SELECT id, secret, confirmed_at FROM subscriptions"
				      " WHERE COALESCE(community_id, 0) = ? AND email_key = ?",
				      DB_ARGS(db_int(l->community_id), db_text(key)));
	int rc = db_step(st);
	int64_t id = rc == DB_ROW ? db_int_col(st, 0) : 0;
	const char *secret = rc == DB_ROW ? arena_strdup(&r->arena, db_text_col(st, 1)) : NULL;
	bool confirmed = rc == DB_ROW && !db_null_col(st, 2);
	db_done(st);
	if (rc == DB_ERROR)
		return false;
	const char *pace = daily ? "daily" : "weekly", *locale = i18n_locale_code(r->locale);
	if (!id) {
		secret = mail_optin_secret(&r->arena);
		if (db_exec(r->db,
			    "INSERT INTO subscriptions (community_id, name, email, email_key, pace, locale, secret,"
			    " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			    DB_ARGS(l->community_id ? db_int(l->community_id) : db_null(), db_text(name), db_text(email),
				    db_text(key), db_text(pace), db_text(locale), db_text(secret), db_int(r->now))) != 1)
			return false;
	} else if (!confirmed) {
		/* What they typed last counts, and the new link has its full
		 * time; the earlier link is the same one. */
		if (db_exec(r->db,
			    "UPDATE subscriptions SET name = ?, email = ?, pace = ?, locale = ?, created_at = ?"
			    " WHERE id = ?",
			    DB_ARGS(db_text(name), db_text(email), db_text(pace), db_text(locale), db_int(r->now),
				    db_int(id))) != 1)
			return false;
	}
	/* A confirmed subscription stays as it is: only its owner, through
	 * its links, may change it. */
	struct outbox_message m = owner_message(r, l, name, email, daily, secret, confirmed);
	return m.html && outbox_add(r->db, &m, r->now);
}

static json_t *subscribe(struct req *r, const struct list *l)
{
	json_t *model = form_model(r, l);
	const char *name, *email;
	mail_optin_read(r, model, &name, &email);
	const char *pace = req_param(r, "pace");
	if (pace && *pace && strcmp(pace, "daily") != 0 && strcmp(pace, "weekly") != 0)
		req_field_error(r, model, "pace", N_("Choose daily or weekly."));
	if (req_has_field_errors(r))
		return req_invalid(r, model);
	if (!mail_optin_client_allowed(r, model, FORM))
		return model;
	json_decref(model);
	/* Past the address's mails for the day the answer is the same and
	 * nothing is sent. */
	const char *key = mail_optin_address_key(&r->arena, email);
	if (mail_optin_address_allowed(r, FORM, key) &&
	    !subscribe_address(r, l, name, email, key, pace && strcmp(pace, "daily") == 0))
		return req_fail_internal(r);
	if (db_failed(r->db))
		return req_fail_internal(r);
	return req_done(r, 202, arena_printf(&r->arena, "%s/subscribe?sent=1", l->page),
			json_pack("{s:b, s:s}", "sent", 1, "message",
				  tr(r, N_("Check your e-mail: unless this address gets the digest already, we sent "
					   "it a link to confirm. Nothing is sent before you confirm."))));
}

json_t *subscriptions_community(struct req *r)
{
	struct list l;
	return community_list(r, &l) ? subscribe(r, &l) : NULL;
}

json_t *subscriptions_catalogue(struct req *r)
{
	struct list l = catalogue_list(r);
	return subscribe(r, &l);
}

/* ---- the links ------------------------------------------------------------------ */

struct subscription {
	int64_t id;
	const char *email, *pace, *secret;
	bool confirmed;
	int64_t created_at;
	struct list list;
};

/* The subscription whose secret the path holds; false after answering
 * 404 when there is none. Its pages are never kept by a cache. */
static bool load(struct req *r, struct subscription *s)
{
	req_add_header(r, "Cache-Control", "no-store");
	const char *secret = req_path_param(r, "secret");
	int rc = DB_DONE;
	if (mail_optin_secret_shaped(secret)) {
		struct db_stmt *st = db_query(
			r->db,
			"SELECT s.id, s.email, s.pace, s.confirmed_at, s.created_at, c.name, c.slug"
			" FROM subscriptions s LEFT JOIN communities c ON c.id = s.community_id WHERE s.secret = ?",
			DB_ARGS(db_text(secret)));
		rc = db_step(st);
		if (rc == DB_ROW) {
			bool community = !db_null_col(st, 6);
			*s = (struct subscription){
				.id = db_int_col(st, 0),
				.email = arena_strdup(&r->arena, db_text_col(st, 1)),
				.pace = arena_strdup(&r->arena, db_text_col(st, 2)),
				.secret = secret,
				.confirmed = !db_null_col(st, 3),
				.created_at = db_int_col(st, 4),
				.list = {
					.about = subscriptions_about(&r->arena, r->locale,
								     community ? db_text_col(st, 5) : NULL),
					.page = community ? link_community(&r->arena, db_text_col(st, 6)) : "/articles",
				},
			};
		}
		db_done(st);
	}
	if (rc == DB_ERROR) {
		req_fail_internal(r);
		return false;
	}
	if (rc != DB_ROW) {
		req_fail(r, 404, "not_found",
			 N_("There is no such subscription: it has ended, or the link is not complete."));
		return false;
	}
	return true;
}

static json_t *subscription_model(struct req *r, const struct subscription *s, const char *title_msgid)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:b}", "title", tr(r, title_msgid), "about", s->list.about,
			 "page", s->list.page, "email", s->email, "secret", s->secret, "daily",
			 strcmp(s->pace, "daily") == 0, "confirmed", s->confirmed);
}

/* An unconfirmed subscription whose link lapsed: answers 410. */
static bool lapsed(struct req *r, const struct subscription *s)
{
	if (s->confirmed || s->created_at > r->now - SUBSCRIPTION_CONFIRM_DAYS * 24 * 3600)
		return false;
	req_fail(r, 410, "link_expired",
		 N_("This link does not work any more: the subscription was not confirmed within 7 days. Subscribe "
		    "again."));
	return true;
}

json_t *subscriptions_confirm_page(struct req *r)
{
	struct subscription s;
	if (!load(r, &s) || lapsed(r, &s))
		return NULL;
	json_t *model = subscription_model(r, &s, N_("Confirm your subscription"));
	json_object_set_new(model, "confirming", json_true());
	return model;
}

json_t *subscriptions_confirm(struct req *r)
{
	struct subscription s;
	if (!load(r, &s) || lapsed(r, &s))
		return NULL;
	/* Confirming twice changes nothing: the period of the first digest
	 * starts at the first confirmation. */
	if (!s.confirmed && db_exec(r->db,
				    "UPDATE subscriptions SET confirmed_at = ?, last_digest_at = ?"
				    " WHERE id = ? AND confirmed_at IS NULL",
				    DB_ARGS(db_int(r->now), db_int(r->now), db_int(s.id))) < 0)
		return req_fail_internal(r);
	s.confirmed = true;
	json_t *model = subscription_model(r, &s, N_("Confirm your subscription"));
	json_object_set_new(model, "confirming", json_true());
	return req_done(r, 200, arena_printf(&r->arena, "/subscriptions/%s/confirm", s.secret), model);
}

json_t *subscriptions_unsubscribe_page(struct req *r)
{
	struct subscription s;
	if (!load(r, &s))
		return NULL;
	json_t *model = subscription_model(r, &s, N_("Unsubscribe"));
	json_object_set_new(model, "leaving", json_true());
	return model;
}

json_t *subscriptions_unsubscribe(struct req *r)
{
	struct subscription s;
	if (!load(r, &s))
		return NULL;
	if (db_exec(r->db, "DELETE FROM subscriptions WHERE id = ?", DB_ARGS(db_int(s.id))) < 0)
		return req_fail_internal(r);
	json_t *model = subscription_model(r, &s, N_("Unsubscribe"));
	json_object_set_new(model, "unsubscribed", json_true());
	/* The page is the answer: its address leads nowhere now. */
	return req_done(r, 200, NULL, model);
}

int64_t subscriptions_purge(struct db *db, int64_t now)
{
	return db_exec(db, "DELETE FROM subscriptions WHERE confirmed_at IS NULL AND created_at <= ?",
		       DB_ARGS(db_int(now - SUBSCRIPTION_CONFIRM_DAYS * 24 * 3600)));
}
