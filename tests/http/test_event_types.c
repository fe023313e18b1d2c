/* test_event_types: the kinds of events admins manage at
 * /admin/event-types — only admins see and change them; an added kind is
 * offered in the form, taken by a new event, shown by its name in each
 * language and filtered by on /events; a code must be well formed and
 * new; a retired kind is no longer offered or taken, but stays on the
 * events that have it (shown, edited, filtered); a built-in kind renamed
 * and back, and retired. */
#include "actors.h"

#include <stdio.h>
#include <string.h>

static json_t *event_body(const char *title, const char *type)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "kind", "event", "title", title, "body",
			 "We walk and talk.", "event_type", type, "starts_at", "2030-05-14T10:00", "ends_at",
			 "2030-05-14T16:00", "location", "The harbour");
}

struct place {
	const struct server *srv;
	struct actor *admin, *asa;
};

static void place_build(struct place *p, const struct server *s)
{
	p->srv = s;
	p->admin = staff(s, "root", "--admin");
	unlimited_posting(p->admin);
	make_community(p->admin, "walks", "Walks", "public", "open");
	p->asa = member(s, "asa");
	bring_in(p->admin, "walks", p->asa);
}

static struct response *add_type(struct actor *a, const char *code, const char *en, const char *sv,
				 const char *nl)
{
	return apost(a, "/api/v1/admin/event-types",
		     json_pack("{s:s, s:s, s:s, s:s}", "code", code, "name_en", en, "name_sv", sv, "name_nl", nl));
}

static struct response *save_type(struct actor *a, const char *code, json_t *body)
{
	char path[128];
	snprintf(path, sizeof path, "/api/v1/admin/event-types/%s", code);
	return apost(a, path, body);
}

/* Whether the list of options at path offers the value. */
static bool offers(const struct response *r, const char *path, const char *value)
{
	return list_has_str(r, path, "value", value);
}

/* The event's kind's name as a reader in that language sees it. */
static const char *label_in(struct actor *a, int64_t id, const char *language)
{
	char path[64], header[64];
	snprintf(path, sizeof path, "/api/v1/items/%lld", (long long)id);
	snprintf(header, sizeof header, "Accept-Language: %s", language);
	const char *headers[] = {header, NULL};
	struct response *r = http_get(a->c, path, headers);
	assert_status(r, 200);
	const char *label = harness_strdup(response_jstr(r, "event.type_label"));
	response_free(r);
	return label;
}

static void only_admins(void **state)
{
	struct place p;
	place_build(&p, *state);
	struct response *r = aget(p.asa, "/admin/event-types");
	assert_status(r, 403);
	response_free(r);
	r = add_type(p.asa, "excursion", "Excursion", "Utflykt", "Excursie");
	assert_status(r, 403);
	response_free(r);
	r = save_type(p.asa, "fika", json_pack("{s:b}", "retired", 1));
	assert_status(r, 403);
	response_free(r);
	r = aget(visitor(p.srv), "/api/v1/admin/event-types");
	assert_status(r, 401);
	response_free(r);
	assert_string_equal(sql_rows(p.srv, "SELECT COUNT(*) FROM event_types"), "0\n");

	r = aget(p.admin, "/api/v1/admin/event-types");
	assert_status(r, 200);
	assert_int_equal(jlen(r, "types"), 4);
	assert_string_equal(jat_str(r, "types", 0, "code"), "talk");
	assert_true(json_is_true(jat(r, "types", 1, "builtin")));
	response_free(r);
	r = aget(p.admin, "/admin/event-types");
	assert_status(r, 200);
	assert_body_contains(r, "Fika with a topic");
	response_free(r);
}

/* An added kind: offered, taken, named per language, filtered by; then
 * retired: not offered or taken, but still on its event. */
static void added_and_retired(void **state)
{
	struct place p;
	place_build(&p, *state);
	struct response *r = add_type(p.admin, "excursion", "Excursion", "Utflykt", "Excursie");
	assert_status(r, 201);
	assert_jstr(r, "code", "excursion");
	response_free(r);
	/* Codes: well formed, not taken, with an English name. */
	r = add_type(p.admin, "Excursion!", "Trip", "", "");
	assert_invalid_field(r, "code");
	response_free(r);
	r = add_type(p.admin, "fika", "Coffee", "", "");
	assert_invalid_field(r, "code");
	response_free(r);
	r = add_type(p.admin, "excursion", "Trip", "", "");
	assert_invalid_field(r, "code");
	response_free(r);
	r = add_type(p.admin, "trip", "", "Resa", "");
	assert_invalid_field(r, "name_en");
	response_free(r);
	/* The HTML form keeps what was typed. */
	const char *fields[] = {"code", "trip", "name_en", "", "name_sv", "Resa", NULL};
	r = fpost(p.admin, "/admin/event-types", fields);
	assert_status(r, 422);
	assert_body_contains(r, "value=\"Resa\"");
	response_free(r);

	/* Offered in the form and on /events. */
	r = aget(p.asa, "/c/walks/new?kind=event");
	assert_status(r, 200);
	assert_body_contains(r, "value=\"excursion\"");
	assert_body_contains(r, ">Excursion</option>");
	response_free(r);
	int64_t id = new_item(p.asa, "event", "walks", event_body("Harbour walk", "excursion"));
	int64_t other = new_item(p.asa, "event", "walks", event_body("Harbour talk", "talk"));
	assert_string_equal(label_in(p.asa, id, "en"), "Excursion");
	assert_string_equal(label_in(p.asa, id, "sv"), "Utflykt");
	assert_string_equal(label_in(p.asa, id, "nl"), "Excursie");
	r = aget(p.asa, "/api/v1/events?type=excursion");
	assert_status(r, 200);
	assert_int_equal(jlen(r, "items"), 1);
	assert_true(list_has_id(r, "items", id));
	assert_false(list_has_id(r, "items", other));
	assert_true(offers(r, "types", "excursion"));
	response_free(r);
	r = aget(p.asa, "/events");
	assert_status(r, 200);
	assert_body_contains(r, "Excursion");
	response_free(r);

	/* Retired: not offered, not taken by a new event or another one. */
	r = save_type(p.admin, "excursion", json_pack("{s:b}", "retired", 1));
	assert_status(r, 200);
	assert_true(json_is_true(json_path(r->json, "retired")));
	assert_jstr(r, "name_sv", "Utflykt");
	response_free(r);
	r = post_item(p.asa, "walks", event_body("Another walk", "excursion"));
	assert_invalid_field(r, "event_type");
	response_free(r);
	r = item_edit(p.asa, other, json_pack("{s:s}", "event_type", "excursion"));
	assert_invalid_field(r, "event_type");
	response_free(r);
	r = aget(p.asa, "/c/walks/new?kind=event");
	assert_status(r, 200);
	assert_body_lacks(r, "value=\"excursion\"");
	response_free(r);
	r = aget(p.asa, "/api/v1/events");
	assert_status(r, 200);
	assert_false(offers(r, "types", "excursion"));
	response_free(r);
	/* Still on its event: shown, kept by an edit, offered in its own
	 * form, and found by the filter. */
	assert_string_equal(label_in(p.asa, id, "sv"), "Utflykt");
	r = item_edit(p.asa, id, json_pack("{s:s}", "title", "Harbour walk, longer"));
	assert_status(r, 200);
	assert_jstr(r, "event.event_type", "excursion");
	response_free(r);
	char path[64];
	snprintf(path, sizeof path, "/items/%lld/edit", (long long)id);
	r = aget(p.asa, "%s", path);
	assert_status(r, 200);
	assert_body_contains(r, "value=\"excursion\" selected");
	response_free(r);
	r = aget(p.asa, "/api/v1/events?type=excursion");
	assert_status(r, 200);
	assert_true(list_has_id(r, "items", id));
	response_free(r);
	/* Offered again. */
	r = save_type(p.admin, "excursion", json_pack("{s:b}", "retired", 0));
	assert_status(r, 200);
	response_free(r);
	new_item(p.asa, "event", "walks", event_body("Third walk", "excursion"));
	r = save_type(p.admin, "nothing", json_pack("{s:b}", "retired", 1));
	assert_error(r, 404, "not_found");
	response_free(r);
}

/* A built-in kind renamed in one language, back to its usual name, and
 * retired; an added one cannot lose its English name. */
static void builtin_renamed_and_retired(void **state)
{
	struct place p;
	place_build(&p, *state);
	int64_t id = new_item(p.asa, "event", "walks", event_body("Fika on the pier", "fika"));
	struct response *r = save_type(p.admin, "fika", json_pack("{s:s}", "name_en", "Coffee and a topic"));
	assert_status(r, 200);
	response_free(r);
	assert_string_equal(label_in(p.asa, id, "en"), "Coffee and a topic");
	assert_string_equal(label_in(p.asa, id, "sv"), "Temafika");
	r = save_type(p.admin, "fika", json_pack("{s:s}", "name_en", ""));
	assert_status(r, 200);
	response_free(r);
	assert_string_equal(label_in(p.asa, id, "en"), "Fika with a topic");
	/* The HTML form: retire meetup. */
	const char *fields[] = {"name_en", "", "name_sv", "", "name_nl", "", "retired", "true", NULL};
	r = fpost(p.admin, "/admin/event-types/meetup", fields);
	assert_status(r, 303);
	response_free(r);
	r = aget(p.asa, "/api/v1/events");
	assert_false(offers(r, "types", "meetup"));
	assert_true(offers(r, "types", "fika"));
	response_free(r);
	r = post_item(p.asa, "walks", event_body("A meetup", "meetup"));
	assert_invalid_field(r, "event_type");
	response_free(r);

	r = add_type(p.admin, "excursion", "Excursion", "", "");
	assert_status(r, 201);
	response_free(r);
	r = save_type(p.admin, "excursion", json_pack("{s:s}", "name_en", ""));
	assert_invalid_field(r, "name_en");
	response_free(r);
	const char *emptied[] = {"name_en", "", "name_sv", "Utflykt", "name_nl", "", "retired", "false", NULL};
	r = fpost(p.admin, "/admin/event-types/excursion", emptied);
	assert_status(r, 422);
	assert_body_contains(r, "excursion: Give the kind a name in English.");
	response_free(r);
	/* An empty name in another language is the English one. */
	int64_t trip = new_item(p.asa, "event", "walks", event_body("Island trip", "excursion"));
	assert_string_equal(label_in(p.asa, trip, "nl"), "Excursion");
}

#define T(f) cmocka_unit_test_setup_teardown(f, server_setup, teardown_releasing)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(only_admins),
		T(added_and_retired),
		T(builtin_renamed_and_retired),
	};
	return cmocka_run_group_tests_name("event types", tests, NULL, NULL);
}
