/* test_event_recap: what an event has besides its time and place — hosts
 * and speakers (members by handle, guests by name) checked and shown, a
 * member named as a host running the event; the method from the method
 * book as its plan, shown only to readers who may read the method; the
 * hosts' recap (notes, slides, what was learned) from the start on, a
 * revision like every edit; and the best practice drafted from it with
 * the right fields, contacts, files and links both ways — and none of it
 * for anyone but the hosts; and all of it from `kring import`. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "meetings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAST_START "2020-03-14T18:30"
#define PAST_END "2020-03-14T20:00"
#define FUTURE_START "2030-03-14T18:30"
#define FUTURE_END "2030-03-14T20:00"

static const char pdf_bytes[] = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";

/* A talk in the community; body fields added by the caller. */
static json_t *talk(const char *title, const char *starts, const char *ends)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "kind", "event", "title", title, "body",
			 "How we planted *rain gardens* on three school yards.\n\nBring questions.", "event_type",
			 "talk", "starts_at", starts, "ends_at", ends, "location", "Room 4", "tags", "water");
}

/* The community meet (public; admin hosts it; asa, bo, cai and dan are
 * members), the private inner (admin and asa); vic is in neither. */
struct place {
	const struct server *srv;
	struct actor *admin, *asa, *bo, *cai, *dan, *vic, *visitor;
};

static void place_build(struct place *p, const struct server *s)
{
	p->srv = s;
	p->admin = staff(s, "root", "--admin");
	unlimited_posting(p->admin);
	make_community(p->admin, "meet", "Meetups", "public", "open");
	make_community(p->admin, "inner", "Inner circle", "private", "invite");
	struct actor **members[] = {&p->asa, &p->bo, &p->cai, &p->dan};
	const char *handles[] = {"asa", "bo", "cai", "dan"};
	for (int i = 0; i < 4; i++) {
		*members[i] = member(s, handles[i]);
		bring_in(p->admin, "meet", *members[i]);
	}
	bring_in(p->admin, "inner", p->asa);
	p->vic = member(s, "vic");
	p->visitor = visitor(s);
}

static int64_t count_of(const struct server *s, const char *sql)
{
	return atoll(sql_rows(s, sql));
}

/* POSTs one file and text fields as multipart/form-data, as the page's
 * form sends them (the CSRF token first). */
static struct response *multipart_form(struct actor *a, const char *path, const char *const *fields,
				       const char *filename, const char *data, size_t len)
{
	static const char boundary[] = "kring-recap-9f2Lq";
	char *body = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&body, &size);
	assert_non_null(f);
	fprintf(f, "--%s\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n", boundary, a->csrf);
	for (size_t i = 0; fields && fields[i]; i += 2)
		fprintf(f, "--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n", boundary, fields[i],
			fields[i + 1]);
	fprintf(f, "--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\n"
		   "Content-Type: application/pdf\r\n\r\n", boundary, filename);
	fwrite(data, 1, len, f);
	fprintf(f, "\r\n--%s--\r\n", boundary);
	fclose(f);
	char type[80];
	snprintf(type, sizeof type, "multipart/form-data; boundary=%s", boundary);
	struct response *r = http_request(a->c, "POST", path, NULL, body, size, type);
	free(body);
	return r;
}

/* ---- hosts and speakers ----------------------------------------------------------------------- */

/* Members by handle and guests by name come back in order, with members'
 * profiles; the page shows them and the edit form has them one per line;
 * an edit changes them in a new revision. */
static void hosts_and_speakers_shown(void **state)
{
	const struct server *s = *state;
	struct place p;
	place_build(&p, s);
	json_t *body = talk("Rain gardens", FUTURE_START, FUTURE_END);
	json_object_set_new(body, "hosts", json_pack("[s, {s:s}]", "@bo", "name", "Dr. Jane Guest"));
	json_object_set_new(body, "speakers", json_pack("[s, s]", "cai", "BO"));
	int64_t id = new_item(p.asa, "event", "meet", body);
	struct response *r = event_of(p.visitor, id);
	assert_int_equal(jlen(r, "event.hosts"), 2);
	assert_string_equal(jat_str(r, "event.hosts", 0, "handle"), "bo");
	assert_string_equal(jat_str(r, "event.hosts", 0, "url"), "/people/bo");
	assert_string_equal(jat_str(r, "event.hosts", 1, "name"), "Dr. Jane Guest");
	assert_true(json_is_true(jat(r, "event.hosts", 1, "guest")));
	assert_true(json_is_null(jat(r, "event.hosts", 1, "handle")));
	assert_int_equal(jlen(r, "event.speakers"), 2);
	assert_string_equal(jat_str(r, "event.speakers", 0, "handle"), "cai");
	assert_string_equal(jat_str(r, "event.speakers", 1, "handle"), "bo");
	response_free(r);

	r = aget(p.visitor, "/items/%lld", (long long)id);
	assert_status(r, 200);
	assert_body_contains(r, "href=\"/people/bo\"");
	assert_body_contains(r, "href=\"/people/cai\"");
	assert_body_contains(r, "Dr. Jane Guest");
	response_free(r);
	/* the members named hear of it, once each, the author not */
	assert_int_equal(notified(p.bo, "event_role"), 1);
	assert_int_equal(notified(p.cai, "event_role"), 1);
	assert_int_equal(notified(p.dan, "event_role"), 0);
	assert_int_equal(notified(p.asa, "event_role"), 0);
	r = aget(p.bo, "/notifications");
	assert_body_contains(r, "named you among the hosts and speakers of Rain gardens");
	response_free(r);
	r = aget(p.asa, "/items/%lld/edit", (long long)id);
	assert_status(r, 200);
	assert_body_contains(r, ">@bo\nDr. Jane Guest</textarea>");
	assert_body_contains(r, ">@cai\n@bo</textarea>");
	response_free(r);

	/* The form's text: a line of handles, a guest on a line of their own. */
	size_t before = revision_count(p.asa, id);
	char path[64];
	snprintf(path, sizeof path, "/items/%lld/edit", (long long)id);
	r = fpost(p.asa, path, STRS("hosts", "@dan, @cai\nOla Guest", "speakers", ""));
	assert_status(r, 303);
	response_free(r);
	assert_int_equal(revision_count(p.asa, id), before + 1);
	r = event_of(p.bo, id);
	assert_int_equal(jlen(r, "event.hosts"), 3);
	assert_string_equal(jat_str(r, "event.hosts", 0, "handle"), "dan");
	assert_string_equal(jat_str(r, "event.hosts", 1, "handle"), "cai");
	assert_string_equal(jat_str(r, "event.hosts", 2, "name"), "Ola Guest");
	assert_int_equal(jlen(r, "event.speakers"), 0);
	response_free(r);
	/* an edit tells whom it names anew, and no one twice */
	assert_int_equal(notified(p.dan, "event_role"), 1);
	assert_int_equal(notified(p.cai, "event_role"), 1);
	r = aget(p.asa, "/api/v1/items/%lld/revisions", (long long)id);
	assert_status(r, 200);
	assert_body_contains(r, "Ola Guest");
	response_free(r);
	/* Restoring the first version brings its hosts and speakers back. */
	snprintf(path, sizeof path, "/api/v1/items/%lld/revisions/1/restore", (long long)id);
	r = apost(p.asa, path, NULL);
	assert_status(r, 200);
	response_free(r);
	r = event_of(p.bo, id);
	assert_int_equal(jlen(r, "event.hosts"), 2);
	assert_string_equal(jat_str(r, "event.hosts", 0, "handle"), "bo");
	assert_string_equal(jat_str(r, "event.hosts", 1, "name"), "Dr. Jane Guest");
	assert_string_equal(jat_str(r, "event.speakers", 1, "handle"), "bo");
	response_free(r);
}

/* A handle that names no member, more than 10 of either, a guest's name
 * too long or a value of the wrong shape: refused, nothing stored, and the
 * form keeps what was typed. */
static void hosts_and_speakers_checked(void **state)
{
	const struct server *s = *state;
	struct place p;
	place_build(&p, s);
	json_t *many = json_array();
	for (int i = 0; i < 11; i++) {
		char name[32];
		snprintf(name, sizeof name, "Guest %d", i);
		json_array_append_new(many, json_pack("{s:s}", "name", name));
	}
	struct {
		const char *key;
		json_t *value;
		const char *field;
	} cases[] = {
		{"hosts", json_pack("[s]", "nobody"), "hosts"},
		{"speakers", json_pack("[s, s]", "cai", "@ghost"), "speakers"},
		{"hosts", json_incref(many), "hosts"},
		{"speakers", json_incref(many), "speakers"},
		{"hosts", json_pack("[{s:s}]", "name", repeat("n", 101)), "hosts"},
		{"method", json_integer(999999), "method"},
	};
	json_decref(many);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *body = talk("Checked", FUTURE_START, FUTURE_END);
		json_object_set_new(body, cases[i].key, cases[i].value);
		struct response *r = post_item(p.asa, "meet", body);
		assert_invalid_field(r, cases[i].field);
		response_free(r);
	}
	/* Neither a number nor an object with a name alone. */
	json_t *body = talk("Shapes", FUTURE_START, FUTURE_END);
	json_object_set_new(body, "hosts", json_pack("[i]", 42));
	struct response *r = post_item(p.asa, "meet", body);
	assert_status(r, 400);
	response_free(r);
	body = talk("Shapes", FUTURE_START, FUTURE_END);
	json_object_set_new(body, "speakers", json_pack("[{s:s, s:s}]", "name", "A", "handle", "b"));
	r = post_item(p.asa, "meet", body);
	assert_status(r, 400);
	response_free(r);
	assert_int_equal(count_of(s, "SELECT COUNT(*) FROM event_details"), 0);
	assert_int_equal(count_of(s, "SELECT COUNT(*) FROM event_people"), 0);

	/* The form says which handle is unknown and keeps every line. */
	r = fpost(p.asa, "/c/meet/items",
		  STRS("kind", "event", "title", "Form talk", "event_type", "talk", "body", "About swales.", "starts_at",
		       FUTURE_START, "ends_at", FUTURE_END, "location", "Hall", "hosts", "@bo\n@nobody\nJane Guest",
		       "speakers", "Kim Guest"));
	assert_status(r, 422);
	assert_body_contains(r, "There is no member @nobody.");
	assert_body_contains(r, ">@bo\n@nobody\nJane Guest</textarea>");
	assert_body_contains(r, ">Kim Guest</textarea>");
	response_free(r);
	assert_int_equal(count_of(s, "SELECT COUNT(*) FROM event_details"), 0);
}


/* A member named as a host closes sign-up and downloads the attendees as
 * the author does; a member who is not, and the host once taken off the
 * list, may not. */
static void member_host_runs_the_event(void **state)
{
	const struct server *s = *state;
	struct place p;
	place_build(&p, s);
	json_t *body = talk("Hosted", FUTURE_START, FUTURE_END);
	json_object_set_new(body, "hosts", json_pack("[s, {s:s}]", "bo", "name", "Guest Host"));
	int64_t id = new_item(p.asa, "event", "meet", body);
	struct response *r = event_of(p.bo, id);
	assert_true(json_is_true(json_path(r->json, "event.can_manage")));
	assert_non_null(json_path(r->json, "event.waitlist"));
	response_free(r);
	r = event_of(p.cai, id);
	assert_true(json_is_false(json_path(r->json, "event.can_manage")));
	response_free(r);

	r = item_post(p.cai, id, "rsvp/close", NULL);
	assert_error(r, 403, "forbidden");
	response_free(r);
	r = item_post(p.bo, id, "rsvp/close", NULL);
	assert_status(r, 200);
	assert_true(json_is_true(json_path(r->json, "signup_closed")));
	response_free(r);
	r = aget(p.bo, "/items/%lld/attendees.csv", (long long)id);
	assert_status(r, 200);
	assert_header_contains(r, "Content-Type", "text/csv");
	response_free(r);
	r = aget(p.cai, "/items/%lld/attendees.csv", (long long)id);
	assert_status(r, 403);
	response_free(r);
	/* The page offers bo the host's actions. */
	r = aget(p.bo, "/items/%lld", (long long)id);
	assert_status(r, 200);
	assert_body_contains(r, "attendees.csv");
	response_free(r);

	/* Taken off the list, bo is a member like any other. */
	r = item_edit(p.asa, id, json_pack("{s:[]}", "hosts"));
	assert_status(r, 200);
	response_free(r);
	r = item_post(p.bo, id, "rsvp/open", NULL);
	assert_error(r, 403, "forbidden");
	response_free(r);
	/* A host named in an event they may not read gains nothing there. */
	body = talk("Inner talk", FUTURE_START, FUTURE_END);
	json_object_set_new(body, "hosts", json_pack("[s]", "vic"));
	int64_t inner = new_item(p.asa, "event", "inner", body);
	r = item_post(p.vic, inner, "rsvp/close", NULL);
	assert_status(r, 404);
	response_free(r);
}

/* ---- the method as plan ------------------------------------------------------------------------ */

static json_t *method_body(const char *title)
{
	return json_pack("{s:s, s:s, s:s, s:i, s:i, s:i, s:s}", "kind", "method", "title", title, "purpose",
			 "Why we do it.", "duration", 45, "group_min", 2, "group_max", 8, "steps", "Gather\nTalk\nClose");
}

/* The plan shows the method's title, duration and number of steps with a
 * link, to readers who may read the method; a method in a private
 * community is left out for everyone outside it, and only a method the
 * writer may read can be chosen. */
static void method_as_plan(void **state)
{
	const struct server *s = *state;
	struct place p;
	place_build(&p, s);
	int64_t open_method = new_item(p.admin, "method", "meet", method_body("World café"));
	int64_t inner_method = new_item(p.admin, "method", "inner", method_body("Inner fishbowl"));
	int64_t question = ask(p.bo, "meet", "What is a swale?", "Asking.");

	json_t *body = talk("Café workshop", FUTURE_START, FUTURE_END);
	json_object_set_new(body, "method", json_integer(open_method));
	int64_t id = new_item(p.asa, "event", "meet", body);
	struct response *r = event_of(p.visitor, id);
	assert_int_equal(jint(r, "event.plan.id"), open_method);
	assert_jstr(r, "event.plan.title", "World café");
	assert_int_equal(jint(r, "event.plan.duration"), 45);
	assert_int_equal(jint(r, "event.plan.step_count"), 3);
	char url[64];
	snprintf(url, sizeof url, "/items/%lld-world-cafe", (long long)open_method);
	assert_jstr(r, "event.plan.url", url);
	response_free(r);
	r = aget(p.visitor, "/items/%lld", (long long)id);
	assert_status(r, 200);
	assert_body_contains(r, url);
	assert_body_contains(r, "45 minutes");
	assert_body_contains(r, "3 steps");
	response_free(r);

	/* asa may read the private method and plans with it; the event is
	 * public, the method is shown only to those who may read it. */
	body = talk("Fishbowl workshop", FUTURE_START, FUTURE_END);
	json_object_set_new(body, "method", json_integer(inner_method));
	int64_t hidden = new_item(p.asa, "event", "meet", body);
	r = event_of(p.asa, hidden);
	assert_jstr(r, "event.plan.title", "Inner fishbowl");
	response_free(r);
	struct actor *outside[] = {p.bo, p.vic, p.visitor};
	for (size_t i = 0; i < 3; i++) {
		r = event_of(outside[i], hidden);
		assert_true(json_is_null(json_path(r->json, "event.plan")));
		response_free(r);
		r = aget(outside[i], "/items/%lld", (long long)hidden);
		assert_status(r, 200);
		assert_body_lacks(r, "Inner fishbowl");
		response_free(r);
	}

	/* bo cannot read it, and a question is no method. */
	int64_t refused[] = {inner_method, question};
	for (size_t i = 0; i < 2; i++) {
		body = talk("Refused plan", FUTURE_START, FUTURE_END);
		json_object_set_new(body, "method", json_integer(refused[i]));
		r = post_item(p.bo, "meet", body);
		assert_invalid_field(r, "method");
		response_free(r);
	}
	/* A page kept for visitors follows the method it shows. */
	for (int i = 0; i < 2; i++) {
		r = aget(p.visitor, "/items/%lld", (long long)id);
		assert_status(r, 200);
		response_free(r);
	}
	r = item_edit(p.admin, open_method, json_pack("{s:s}", "title", "World café, revised"));
	assert_status(r, 200);
	response_free(r);
	r = aget(p.visitor, "/items/%lld", (long long)id);
	assert_body_contains(r, "World café, revised");
	response_free(r);

	/* The edit form has the number; 0 takes the plan away. */
	r = aget(p.asa, "/items/%lld/edit", (long long)id);
	char value[64];
	snprintf(value, sizeof value, "name=\"method\" value=\"%lld\"", (long long)open_method);
	assert_body_contains(r, value);
	response_free(r);
	r = item_edit(p.asa, id, json_pack("{s:i}", "method", 0));
	assert_status(r, 200);
	assert_true(json_is_null(json_path(r->json, "event.plan")));
	response_free(r);
}

/* ---- the recap ---------------------------------------------------------------------------------- */

/* Only hosts add the recap, only from the start on: before, 409; a member
 * who is not a host 403, someone who may not read the event 404, a
 * visitor 401. A host's recap is a new revision, shown on the page. */
static void recap_by_hosts_after_start(void **state)
{
	const struct server *s = *state;
	struct place p;
	place_build(&p, s);
	json_t *body = talk("Coming talk", FUTURE_START, FUTURE_END);
	json_object_set_new(body, "hosts", json_pack("[s]", "bo"));
	int64_t coming = new_item(p.asa, "event", "meet", body);
	struct response *r = item_post(p.asa, coming, "recap", json_pack("{s:s}", "notes", "Too early."));
	assert_error(r, 409, "not_started");
	response_free(r);
	r = event_of(p.asa, coming);
	assert_true(json_is_false(json_path(r->json, "event.can_recap")));
	response_free(r);

	body = talk("Past talk", PAST_START, PAST_END);
	json_object_set_new(body, "hosts", json_pack("[s]", "bo"));
	int64_t id = new_item(p.asa, "event", "meet", body);
	int64_t inner = new_item(p.asa, "event", "inner", talk("Inner past talk", PAST_START, PAST_END));
	r = item_post(p.cai, id, "recap", json_pack("{s:s}", "notes", "Not mine."));
	assert_error(r, 403, "forbidden");
	response_free(r);
	r = item_post(p.vic, id, "recap", json_pack("{s:s}", "notes", "Not mine."));
	assert_error(r, 403, "forbidden");
	response_free(r);
	r = item_post(p.bo, inner, "recap", json_pack("{s:s}", "notes", "Cannot see it."));
	assert_status(r, 404);
	response_free(r);
	r = item_post(p.visitor, id, "recap", json_pack("{s:s}", "notes", "Anyone?"));
	assert_status(r, 401);
	response_free(r);
	r = event_of(p.cai, id);
	assert_true(json_is_false(json_path(r->json, "event.can_recap")));
	assert_true(json_is_null(json_path(r->json, "event.recap")));
	response_free(r);
	r = aget(p.cai, "/items/%lld", (long long)id);
	assert_body_lacks(r, "/recap\"");
	assert_body_lacks(r, "/to-article\"");
	response_free(r);

	/* Nothing to add, or too much: 422, nothing changes. */
	size_t before = revision_count(p.asa, id);
	r = item_post(p.bo, id, "recap", NULL);
	assert_invalid_field(r, "notes");
	response_free(r);
	r = item_post(p.bo, id, "recap", json_pack("{s:s}", "learned", repeat("x", 20001)));
	assert_invalid_field(r, "learned");
	response_free(r);
	assert_int_equal(revision_count(p.asa, id), before);

	/* The named host adds it; it is on the page and in the history. */
	r = item_post(p.bo, id, "recap", json_pack("{s:s, s:s}", "notes", "We walked **three** yards.", "learned",
						   "Start with the *gutters*."));
	assert_status(r, 200);
	assert_jstr(r, "event.recap.notes", "We walked **three** yards.");
	response_free(r);
	assert_int_equal(revision_count(p.asa, id), before + 1);
	r = event_of(p.visitor, id);
	assert_jstr(r, "event.recap.learned", "Start with the *gutters*.");
	assert_jstr(r, "event.recap.notes_html", "<p>We walked <strong>three</strong> yards.</p>\n");
	response_free(r);
	r = aget(p.visitor, "/items/%lld", (long long)id);
	assert_body_contains(r, "id=\"recap\"");
	assert_body_contains(r, "Start with the <em>gutters</em>.");
	response_free(r);
	r = aget(p.asa, "/api/v1/items/%lld/revisions", (long long)id);
	assert_status(r, 200);
	assert_body_contains(r, "We walked **three** yards.");
	response_free(r);
	/* Search finds the event by what was learned. */
	r = aget(p.visitor, "/api/v1/search?q=gutters");
	assert_status(r, 200);
	assert_true(list_has_id(r, "items", id));
	response_free(r);

	/* From the page's form, with slides: the notes change, what was
	 * learned stays, the file is the event's. */
	char path[64];
	snprintf(path, sizeof path, "/items/%lld/recap", (long long)id);
	r = aget(p.bo, "/items/%lld", (long long)id);
	assert_body_contains(r, path);
	response_free(r);
	r = multipart_form(p.bo, path, STRS("notes", "Four yards, in the end."), "slides.pdf", pdf_bytes,
			   sizeof pdf_bytes - 1);
	assert_status(r, 303);
	response_free(r);
	r = event_of(p.cai, id);
	assert_jstr(r, "event.recap.notes", "Four yards, in the end.");
	assert_jstr(r, "event.recap.learned", "Start with the *gutters*.");
	assert_int_equal(jlen(r, "files"), 1);
	assert_string_equal(jat_str(r, "files", 0, "name"), "slides.pdf");
	response_free(r);
	assert_int_equal(revision_count(p.asa, id), before + 2);
	/* The form shown again keeps what was typed. */
	r = fpost(p.bo, path, STRS("notes", repeat("y", 20001), "learned", "Kept text"));
	assert_status(r, 422);
	assert_body_contains(r, "Kept text");
	assert_body_contains(r, "at most 20000 characters");
	response_free(r);
}

/* ---- from event to knowledge ------------------------------------------------------------------- */

/* The draft is the composer of a best practice filled in from the event:
 * title, summary from the description, approach from the notes, results
 * from what was learned, the speakers who are members as contacts, the
 * event as related, its tags and files. Published, it is a best practice
 * with those fields and files, the event links to it and it back; a
 * second is refused. */
static void event_to_article(void **state)
{
	const struct server *s = *state;
	struct place p;
	place_build(&p, s);
	json_t *body = talk("Rain garden talk", PAST_START, PAST_END);
	json_object_set_new(body, "hosts", json_pack("[s]", "bo"));
	json_object_set_new(body, "speakers", json_pack("[{s:s}, s, s]", "name", "Guest Speaker", "cai", "dan"));
	int64_t id = new_item(p.asa, "event", "meet", body);
	char recap[64], to_article[64];
	snprintf(recap, sizeof recap, "/items/%lld/recap", (long long)id);
	snprintf(to_article, sizeof to_article, "/items/%lld/to-article", (long long)id);
	struct response *r = multipart_form(p.bo, recap, STRS("notes", "1. Dig\n2. Plant", "learned", "Clay drains slowly."),
					    "slides.pdf", pdf_bytes, sizeof pdf_bytes - 1);
	assert_status(r, 303);
	response_free(r);

	/* Others may not, and an event that has not started has no draft. */
	r = item_post(p.cai, id, "to-article", NULL);
	assert_error(r, 403, "forbidden");
	response_free(r);
	r = item_post(p.visitor, id, "to-article", NULL);
	assert_status(r, 401);
	response_free(r);
	int64_t inner = new_item(p.asa, "event", "inner", talk("Inner talk", PAST_START, PAST_END));
	r = item_post(p.bo, inner, "to-article", NULL);
	assert_status(r, 404);
	response_free(r);
	int64_t coming = new_item(p.asa, "event", "meet", talk("Coming talk", FUTURE_START, FUTURE_END));
	r = item_post(p.asa, coming, "to-article", NULL);
	assert_error(r, 409, "not_started");
	response_free(r);

	/* The draft. */
	r = item_post(p.bo, id, "to-article", NULL);
	assert_status(r, 200);
	assert_jstr(r, "kind", "article");
	assert_jstr(r, "values.title", "Rain garden talk");
	assert_jstr(r, "values.summary", "How we planted *rain gardens* on three school yards. Bring questions.");
	assert_jstr(r, "values.approach", "1. Dig\n2. Plant");
	assert_jstr(r, "values.results", "Clay drains slowly.");
	assert_jstr(r, "values.contacts", "cai, dan");
	char related[24];
	snprintf(related, sizeof related, "%lld", (long long)id);
	assert_jstr(r, "values.related", related);
	assert_jstr(r, "values.tags", "water");
	assert_jstr(r, "action", to_article);
	assert_string_equal(jat_str(r, "from_event.files", 0, "name"), "slides.pdf");
	response_free(r);
	assert_int_equal(count_of(s, "SELECT COUNT(*) FROM items WHERE kind = 'article'"), 0);
	/* As a page: the composer, posting back here. */
	r = fpost(p.bo, to_article, NULL);
	assert_status(r, 200);
	assert_body_contains(r, "name=\"publish\" value=\"true\"");
	assert_body_contains(r, "action=\"/items/");
	assert_body_contains(r, "value=\"Rain garden talk\"");
	assert_body_contains(r, "slides.pdf");
	response_free(r);

	/* Published without an approach: 422, the form again, no article. */
	r = fpost(p.bo, to_article, STRS("kind", "article", "publish", "true", "title", "Rain gardens that work",
					  "summary", "Three yards.", "approach", "", "contacts", "cai", "related", related));
	assert_status(r, 422);
	assert_body_contains(r, "value=\"Rain gardens that work\"");
	assert_body_contains(r, "name=\"publish\" value=\"true\"");
	response_free(r);
	assert_int_equal(count_of(s, "SELECT COUNT(*) FROM items WHERE kind = 'article'"), 0);

	/* Published through the API. */
	r = item_post(p.bo, id, "to-article",
		      json_pack("{s:b, s:s, s:s, s:s, s:s, s:[s, s], s:[s], s:s}", "publish", 1, "title",
				"Rain gardens that work", "summary", "Three yards, one lesson.", "approach", "1. Dig\n2. Plant",
				"results", "Clay drains slowly.", "contacts", "cai", "dan", "related", related, "tags", "water"));
	assert_status(r, 201);
	assert_jstr(r, "kind", "article");
	int64_t article = jint(r, "id");
	assert_jstr(r, "article.approach", "1. Dig\n2. Plant");
	assert_jstr(r, "article.results", "Clay drains slowly.");
	assert_jstr(r, "author.handle", "bo");
	assert_jstr(r, "community.slug", "meet");
	assert_int_equal(jlen(r, "contacts"), 2);
	assert_string_equal(jat_str(r, "contacts", 0, "handle"), "cai");
	assert_int_equal(json_integer_value(jat(r, "related", 0, "id")), id);
	assert_int_equal(jlen(r, "files"), 1);
	assert_string_equal(jat_str(r, "files", 0, "name"), "slides.pdf");
	response_free(r);

	/* The event links to it; the page says so; a second is refused. */
	r = event_of(p.visitor, id);
	assert_int_equal(jint(r, "event.article.id"), article);
	assert_jstr(r, "event.article.title", "Rain gardens that work");
	response_free(r);
	r = aget(p.visitor, "/items/%lld", (long long)id);
	assert_body_contains(r, "Turned into a best practice:");
	assert_body_contains(r, "Rain gardens that work");
	response_free(r);
	r = aget(p.visitor, "/items/%lld", (long long)article);
	assert_status(r, 200);
	char back[64];
	snprintf(back, sizeof back, "/items/%lld-rain-garden-talk", (long long)id);
	assert_body_contains(r, back);
	response_free(r);
	r = item_post(p.asa, id, "to-article", NULL);
	assert_error(r, 409, "exists");
	response_free(r);
	/* An archived community takes no recap. */
	r = apost(p.admin, "/api/v1/c/meet/archive", json_pack("{s:b}", "archived", 1));
	assert_status(r, 200);
	response_free(r);
	r = item_post(p.bo, id, "recap", json_pack("{s:s}", "notes", "Late notes."));
	assert_status(r, 409);
	response_free(r);
	r = event_of(p.bo, id);
	assert_true(json_is_false(json_path(r->json, "event.can_draft_article")));
	response_free(r);
}

/* The contacts are the speakers who are members, else the hosts who are,
 * else the author; the page's form publishes and goes to the practice. */
static void article_contacts_and_form(void **state)
{
	const struct server *s = *state;
	struct place p;
	place_build(&p, s);
	json_t *body = talk("Guests only", PAST_START, PAST_END);
	json_object_set_new(body, "speakers", json_pack("[{s:s}]", "name", "Guest Speaker"));
	json_object_set_new(body, "hosts", json_pack("[{s:s}, s]", "name", "Guest Host", "dan"));
	int64_t hosted = new_item(p.asa, "event", "meet", body);
	int64_t plain = new_item(p.asa, "event", "meet", talk("Plain", PAST_START, PAST_END));
	struct response *r = item_post(p.dan, hosted, "to-article", NULL);
	assert_status(r, 200);
	assert_jstr(r, "values.contacts", "dan");
	assert_jstr(r, "values.approach", "");
	response_free(r);
	r = item_post(p.admin, plain, "to-article", NULL);
	assert_status(r, 200);
	assert_jstr(r, "values.contacts", "asa");
	response_free(r);

	char path[64];
	snprintf(path, sizeof path, "/items/%lld/to-article", (long long)plain);
	char related[24];
	snprintf(related, sizeof related, "%lld", (long long)plain);
	r = fpost(p.asa, path, STRS("kind", "article", "publish", "true", "title", "Plain practice", "summary",
				    "Short.", "approach", "We met.", "contacts", "asa", "related", related, "language",
				    "en"));
	assert_status(r, 303);
	assert_header_contains(r, "Location", "-plain-practice");
	response_free(r);
	r = event_of(p.bo, plain);
	assert_jstr(r, "event.article.title", "Plain practice");
	response_free(r);
	/* Another kind is refused. */
	r = item_post(p.dan, hosted, "to-article", json_pack("{s:s, s:b}", "kind", "question", "publish", 1));
	assert_status(r, 422);
	response_free(r);
}

/* ---- import ------------------------------------------------------------------------------------ */

/* `kring import` takes hosts, speakers, the method, the notes and what was
 * learned of an event, and the best practice drawn from it. */
static void imported_event_has_them(void **state)
{
	const struct server *s = *state;
	FILE *f = import_file_open(s, "events.jsonl");
	fputs("{\"type\": \"person\", \"handle\": \"pia\", \"name\": \"Pia Berg\", \"email\": \"pia@example.se\"}\n"
	      "{\"type\": \"person\", \"handle\": \"ola\", \"name\": \"Ola Ek\", \"email\": \"ola@example.se\"}\n"
	      "{\"type\": \"community\", \"slug\": \"meet\", \"name\": \"Meetups\", \"visibility\": \"public\","
	      " \"join_policy\": \"open\", \"hosts\": [\"pia\"], \"members\": [\"ola\"]}\n"
	      "{\"type\": \"item\", \"ref\": \"m1\", \"kind\": \"method\", \"community\": \"meet\", \"author\": \"pia\","
	      " \"title\": \"World cafe\", \"purpose\": \"Talk in rounds.\", \"duration\": 60, \"group_min\": 8,"
	      " \"group_max\": 40, \"steps\": [\"Tables\", \"Rounds\"]}\n"
	      "{\"type\": \"item\", \"ref\": \"e1\", \"kind\": \"event\", \"community\": \"meet\", \"author\": \"pia\","
	      " \"title\": \"Cafe on water\", \"body\": \"Rounds on water.\", \"event_type\": \"workshop\","
	      " \"starts_at\": \"2020-05-02T13:00\", \"ends_at\": \"2020-05-02T16:00\", \"location\": \"Hall\","
	      " \"hosts\": [\"ola\", {\"name\": \"Kim Guest\"}], \"speakers\": [\"pia\"], \"method\": \"m1\","
	      " \"notes\": \"Three rounds.\", \"learned\": \"Keep tables small.\"}\n"
	      "{\"type\": \"item\", \"ref\": \"a1\", \"kind\": \"article\", \"community\": \"meet\", \"author\": \"ola\","
	      " \"title\": \"Small tables\", \"summary\": \"Keep them small.\", \"approach\": \"Four at a table.\","
	      " \"related\": [\"e1\"], \"from_event\": \"e1\"}\n",
	      f);
	import_file_load(s, f, "events.jsonl");
	struct actor *v = visitor(s);
	struct response *r = aget(v, "/api/v1/events?when=past");
	assert_status(r, 200);
	int64_t id = json_integer_value(jat(r, "items", 0, "id"));
	response_free(r);
	r = event_of(v, id);
	assert_string_equal(jat_str(r, "event.hosts", 0, "handle"), "ola");
	assert_string_equal(jat_str(r, "event.hosts", 1, "name"), "Kim Guest");
	assert_string_equal(jat_str(r, "event.speakers", 0, "handle"), "pia");
	assert_jstr(r, "event.plan.title", "World cafe");
	assert_int_equal(jint(r, "event.plan.step_count"), 2);
	assert_jstr(r, "event.recap.notes", "Three rounds.");
	assert_jstr(r, "event.recap.learned", "Keep tables small.");
	assert_jstr(r, "event.article.title", "Small tables");
	response_free(r);
}

#define T(f) cmocka_unit_test_setup_teardown(f, server_setup, teardown_releasing)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(hosts_and_speakers_shown),
		T(hosts_and_speakers_checked),
		T(member_host_runs_the_event),
		T(method_as_plan),
		T(recap_by_hosts_after_start),
		T(event_to_article),
		T(article_contacts_and_form),
		T(imported_event_has_them),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
