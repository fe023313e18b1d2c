/* test_names: names shown among other text carry no bidirectional
 * controls, which would make "invoice<U+202E>txt.exe" read as
 * "invoiceexe.txt". A handle with one is refused; titles, tags, file
 * names, community and organisation names and display names keep the
 * rest of what was typed. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "actors.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

#define RLO "\xE2\x80\xAE" /* U+202E right-to-left override */
#define LRE "\xE2\x80\xAA" /* U+202A left-to-right embedding */
#define LRI "\xE2\x81\xA6" /* U+2066 left-to-right isolate */
#define PDI "\xE2\x81\xA9" /* U+2069 pop directional isolate */
#define RLM "\xE2\x80\x8F" /* U+200F right-to-left mark */
#define ALM "\xD8\x9C"     /* U+061C arabic letter mark */

static void assert_no_bidi(const struct response *r)
{
	assert_body_lacks(r, RLO);
	assert_body_lacks(r, LRE);
	assert_body_lacks(r, LRI);
	assert_body_lacks(r, PDI);
	assert_body_lacks(r, RLM);
	assert_body_lacks(r, ALM);
}

static void handles_refuse_them_user_add_names_lose_them(void **state)
{
	struct client *c = client_new(*state);
	struct response *r = http_post_jsonv(c, "/api/v1/signup",
					     json_pack("{s:s, s:s, s:s, s:s}", "handle", "anna" RLO "lin", "name", "Anna",
						       "email", "anna@example.org", "password", TEST_PASSWORD),
					     NULL);
	assert_error(r, 422, "invalid");
	assert_true(json_is_string(json_path(r->json, "error.fields.handle")));
	response_free(r);
	assert_int_not_equal(kring_user_add(*state, "bo" ALM "b", "bob@example.org", "Bob", NULL, TEST_PASSWORD), 0);

	/* nothing was created: the address and the handle without the
	 * control are free */
	r = http_post_jsonv(c, "/api/v1/signup",
			    json_pack("{s:s, s:s, s:s, s:s}", "handle", "annalin", "name", "Anna " LRI "Lind" PDI,
				      "email", "anna@example.org", "password", TEST_PASSWORD),
			    NULL);
	assert_status(r, 201);
	assert_jstr(r, "name", "Anna Lind");
	response_free(r);
	assert_int_equal(kring_user_add(*state, "bob", "bob@example.org", "Bob " RLO "Berg", NULL, TEST_PASSWORD), 0);
	r = http_get(c, "/api/v1/people/bob", NULL);
	assert_status(r, 200);
	assert_jstr(r, "person.name", "Bob Berg");
	response_free(r);
	client_free(c);
}

static void titles_and_tags_lose_them(void **state)
{
	struct actor *admin = staff(*state, "root", "--admin");
	make_community(admin, "fika", "Fika", "public", "open");
	int64_t id = new_item(admin, "question", "fika",
			      json_pack("{s:s, s:s, s:s, s:[s, s]}", "kind", "question", "title",
					" " RLO "Pay invoice" RLO "txt.exe" PDI, "body", "Is it safe?", "tags",
					"ai" ALM "ml", LRI "fika" PDI));
	struct response *r = get_item(admin, id);
	assert_status(r, 200);
	assert_jstr(r, "title", "Pay invoicetxt.exe");
	assert_true(has_tag(json_path(r->json, "tags"), "aiml"));
	assert_true(has_tag(json_path(r->json, "tags"), "fika"));
	assert_no_bidi(r);
	response_free(r);

	/* an edit is cleaned the same way */
	r = item_edit(admin, id, json_pack("{s:s}", "title", "Pay " RLM "the invoice" LRE));
	assert_status(r, 200);
	response_free(r);
	r = get_item(admin, id);
	assert_jstr(r, "title", "Pay the invoice");
	response_free(r);

	/* a title of nothing else is no title */
	r = post_item(admin, "fika", json_pack("{s:s, s:s}", "kind", "question", "title", RLO PDI));
	assert_error(r, 422, "invalid");
	assert_true(json_is_string(json_path(r->json, "error.fields.title")));
	response_free(r);
}

static void file_names_lose_them(void **state)
{
	struct actor *admin = staff(*state, "root", "--admin");
	make_community(admin, "fika", "Fika", "public", "open");
	int64_t id = ask(admin, "fika", "The invoice", "Attached.");
	static const char body[] = "--b0undary\r\n"
				   "Content-Disposition: form-data; name=\"file\"; filename=\"invoice" RLO "FDP.exe.txt\"\r\n"
				   "Content-Type: text/plain\r\n\r\n"
				   "Amount: 12 kronor\n\r\n"
				   "--b0undary--\r\n";
	char path[64];
	snprintf(path, sizeof path, "/api/v1/items/%lld/files", (long long)id);
	struct response *r = http_request(admin->c, "POST", path, STRS(admin->csrf_header), body, sizeof body - 1,
					  "multipart/form-data; boundary=b0undary");
	assert_status(r, 201);
	assert_body_contains(r, "\"invoiceFDP.exe.txt\"");
	assert_no_bidi(r);
	response_free(r);
	r = get_item(admin, id);
	assert_body_contains(r, "invoiceFDP.exe.txt");
	assert_no_bidi(r);
	response_free(r);
}

static void community_org_and_display_names_lose_them(void **state)
{
	struct actor *admin = staff(*state, "root", "--admin");
	struct response *r = apost(admin, "/api/v1/c",
				   json_pack("{s:s, s:s, s:s, s:s}", "slug", "fika", "name", "Fika " RLO "club",
					     "visibility", "public", "join_policy", "open"));
	assert_status(r, 201);
	assert_jstr(r, "name", "Fika club");
	response_free(r);

	r = apost(admin, "/api/v1/orgs", json_pack("{s:s, s:s}", "slug", "acme", "name", LRI "Acme" PDI " AB"));
	assert_status(r, 201);
	assert_jstr(r, "name", "Acme AB");
	response_free(r);

	r = apost(admin, "/api/v1/settings/profile",
		  json_pack("{s:s, s:s}", "name", "Root " RLO "Admin", "title", "Head" ALM " of fika"));
	assert_status(r, 200);
	response_free(r);
	r = aget(admin, "/api/v1/people/root");
	assert_jstr(r, "person.name", "Root Admin");
	assert_jstr(r, "person.title", "Head of fika");
	response_free(r);

	r = apost(admin, "/api/v1/settings", json_pack("{s:s}", "name", RLM "Rut" RLM));
	assert_status(r, 200);
	response_free(r);
	r = aget(admin, "/api/v1/people/root");
	assert_jstr(r, "person.name", "Rut");
	response_free(r);

	/* the pages show them clean */
	const char *pages[] = {"/c", "/c/fika", "/orgs", "/orgs/acme", "/people", "/people/root"};
	for (size_t i = 0; i < sizeof pages / sizeof *pages; i++) {
		r = aget(admin, "%s", pages[i]);
		assert_status(r, 200);
		assert_no_bidi(r);
		response_free(r);
	}
}

/* `kring import` cleans what it brings in as the forms do. */
static void imported_names_lose_them(void **state)
{
	const struct server *s = *state;
	FILE *f = import_file_open(s, "names.jsonl");
	fputs("{\"type\": \"org\", \"slug\": \"acme\", \"name\": \"Acme\\u202e AB\"}\n"
	      "{\"type\": \"person\", \"handle\": \"pia\", \"name\": \"Pia\\u2066 Berg\\u2069\", \"title\": \"Planner\\u061c\","
	      " \"email\": \"pia@example.se\", \"org\": \"acme\"}\n"
	      "{\"type\": \"community\", \"slug\": \"fika\", \"name\": \"\\u202aFika\", \"visibility\": \"public\","
	      " \"join_policy\": \"open\", \"hosts\": [\"pia\"], \"members\": []}\n"
	      "{\"type\": \"item\", \"ref\": \"q1\", \"kind\": \"question\", \"community\": \"fika\", \"author\": \"pia\","
	      " \"title\": \"Pay invoice\\u202etxt.exe\", \"body\": \"Is it safe?\", \"tags\": [\"ai\\u061cml\"]}\n",
	      f);
	import_file_load(s, f, "names.jsonl");

	struct actor *v = visitor(s);
	struct response *r = aget(v, "/api/v1/people/pia");
	assert_status(r, 200);
	assert_jstr(r, "person.name", "Pia Berg");
	assert_jstr(r, "person.title", "Planner");
	assert_jstr(r, "person.org.name", "Acme AB");
	response_free(r);
	r = aget(v, "/api/v1/c/fika");
	assert_status(r, 200);
	assert_jstr(r, "name", "Fika");
	response_free(r);
	r = aget(v, "/api/v1/questions");
	assert_status(r, 200);
	assert_string_equal(jat_str(r, "items", 0, "title"), "Pay invoicetxt.exe");
	assert_true(has_tag(jat(r, "items", 0, "tags"), "aiml"));
	assert_no_bidi(r);
	response_free(r);
}

#define T(f) cmocka_unit_test_setup_teardown(f, server_setup, server_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(handles_refuse_them_user_add_names_lose_them),
		T(titles_and_tags_lose_them),
		T(file_names_lose_them),
		T(community_org_and_display_names_lose_them),
		T(imported_names_lose_them),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
