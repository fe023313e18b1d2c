/* test_feeds: the Atom feeds of a community, a tag, a member and a search,
 * and a member's personal feed of what they follow, read with Debian's
 * feedparser: well-formed, with each entry's fields right and its text
 * escaped; only what a visitor may read in the four public ones (404 where
 * a visitor gets it, whoever asks); the personal feed with the member's
 * rights as they are when it is read, and a new secret ending the old
 * address. The pages link their feeds. */
#include "actors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- the place ------------------------------------------------------------------ */

/* The public plaza (ana and bo), the members-only club and the private
 * vault (ana); a question tagged coffee in each, by ana, and bo's answer
 * in the plaza. */
struct place {
	const struct server *srv;
	struct actor *admin, *ana, *bo, *visitor;
	int64_t question, answer, club, secret;
};

#define TITLE "Beans <roasted> & \"milk\" 'n' more"
#define BODY "Which **roast**? <script>alert(1)</script> & more, @bo?"

static int64_t ask_tagged(struct actor *a, const char *slug, const char *title, const char *body)
{
	char path[128];
	snprintf(path, sizeof path, "/api/v1/c/%s/items", slug);
	struct response *r = apost(a, path, json_pack("{s:s, s:s, s:s, s:[s]}", "kind", "question", "title", title,
						      "body", body, "tags", "coffee"));
	assert_status(r, 201);
	int64_t id = jint(r, "id");
	response_free(r);
	return id;
}

static struct place *place_build(void **state)
{
	static struct place p;
	memset(&p, 0, sizeof p);
	p.srv = *state;
	sign_up_cast(p.srv, &p.admin, &p.ana, &p.bo, NULL);
	p.visitor = visitor(p.srv);
	make_community(p.admin, "plaza", "Plaza & Co", "public", "open");
	make_community(p.admin, "club", "Club", "members", "open");
	make_community(p.admin, "vault", "The Vault", "private", "invite");
	bring_in(p.admin, "plaza", p.ana);
	bring_in(p.admin, "plaza", p.bo);
	bring_in(p.admin, "club", p.ana);
	bring_in(p.admin, "vault", p.ana);
	p.question = ask_tagged(p.ana, "plaza", TITLE, BODY);
	p.club = ask_tagged(p.ana, "club", "Club coffee talk", "Only for members");
	p.secret = ask_tagged(p.ana, "vault", "Secret coffee plan", "Only for us");
	struct response *r = item_post(p.bo, p.question, "answers", json_pack("{s:s}", "body", "A dark roast, coffee lover."));
	assert_status(r, 201);
	p.answer = jint(r, "id");
	response_free(r);
	return &p;
}

/* ---- reading a feed ------------------------------------------------------------- */

/* GETs the feed as the actor, checks that it is Atom that feedparser reads
 * without complaint, and returns what feed_parse.py made of it (held). */
static json_t *read_feed(struct actor *a, const char *path)
{
	struct response *r = aget(a, "%s", path);
	assert_status(r, 200);
	assert_header_contains(r, "Content-Type", "application/atom+xml");
	/* The body text was escaped on its way into the XML, so no tag of it
	 * is in the document. */
	assert_body_lacks(r, "<script");
	char file[320];
	snprintf(file, sizeof file, "/tmp/kring-feed-%d.xml", (int)getpid());
	FILE *f = fopen(file, "wb");
	assert_non_null(f);
	fwrite(r->body, 1, r->body_len, f);
	fclose(f);
	response_free(r);
	char cmd[1200];
	const char *src = getenv("KRING_SRC");
	snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s/tests/http/feed_parse.py' '%s'", src && *src ? src : ".", file);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	json_error_t err;
	json_t *feed = json_loadf(p, 0, &err);
	int status = pclose(p);
	unlink(file);
	if (!feed || status != 0)
		fail_msg("feed_parse.py could not read %s (exit status %d; is python3-feedparser installed?)", path, status);
	hold(feed);
	if (json_is_true(json_object_get(feed, "bozo")))
		fail_msg("%s is not a well-formed feed: %s", path, json_string_value(json_object_get(feed, "problem")));
	assert_string_equal(json_string_value(json_object_get(feed, "version")), "atom10");
	return feed;
}

static json_t *entries(json_t *feed)
{
	return json_object_get(feed, "entries");
}

static const char *entry_str(json_t *feed, size_t i, const char *key)
{
	const char *s = json_string_value(json_object_get(json_array_get(entries(feed), i), key));
	if (!s)
		fail_msg("entry %zu has no %s", i, key);
	return s;
}

/* The entry whose id is the item's address; NULL when there is none. */
static json_t *entry_of(const struct place *p, json_t *feed, int64_t item)
{
	char id[128];
	snprintf(id, sizeof id, "%s/items/%lld", p->srv->origin, (long long)item);
	size_t i;
	json_t *e;
	json_array_foreach(entries(feed), i, e)
		if (strcmp(json_string_value(json_object_get(e, "id")), id) == 0)
			return e;
	return NULL;
}

static bool has_entry(const struct place *p, json_t *feed, int64_t item)
{
	return entry_of(p, feed, item) != NULL;
}

/* The feed's link of the relation. */
static const char *feed_link(json_t *feed, const char *rel)
{
	size_t i;
	json_t *l;
	json_array_foreach(json_object_get(feed, "links"), i, l)
		if (strcmp(json_string_value(json_object_get(l, "rel")), rel) == 0)
			return json_string_value(json_object_get(l, "href"));
	fail_msg("the feed has no %s link", rel);
	return NULL;
}

static void assert_not_found(struct actor *a, const char *path)
{
	struct response *r = aget(a, "%s", path);
	assert_status(r, 404);
	response_free(r);
}

/* ---- the public feeds ----------------------------------------------------------- */

static void community_feed_has_its_entries_and_fields(void **state)
{
	struct place *p = place_build(state);
	json_t *feed = read_feed(p->visitor, "/c/plaza/feed");
	assert_non_null(strstr(json_string_value(json_object_get(feed, "title")), "Plaza & Co"));
	char want[256];
	snprintf(want, sizeof want, "%s/c/plaza/feed", p->srv->origin);
	assert_string_equal(feed_link(feed, "self"), want);
	snprintf(want, sizeof want, "%s/c/plaza", p->srv->origin);
	assert_string_equal(feed_link(feed, "alternate"), want);
	/* The question; its answer is listed with it, not as a post. */
	assert_int_equal(json_array_size(entries(feed)), 1);
	json_t *e = entry_of(p, feed, p->question);
	assert_non_null(e);
	assert_string_equal(entry_str(feed, 0, "title"), TITLE);
	snprintf(want, sizeof want, "%s/items/%lld-", p->srv->origin, (long long)p->question);
	assert_true(strncmp(entry_str(feed, 0, "link"), want, strlen(want)) == 0);
	assert_string_equal(entry_str(feed, 0, "author"), "Test ana");
	snprintf(want, sizeof want, "%s/people/ana", p->srv->origin);
	assert_string_equal(entry_str(feed, 0, "author_uri"), want);
	json_t *tags = json_object_get(e, "tags");
	assert_int_equal(json_array_size(tags), 1);
	assert_string_equal(json_string_value(json_array_get(tags, 0)), "coffee");
	/* The body as HTML, its raw HTML shown as text. */
	assert_string_equal(entry_str(feed, 0, "content_type"), "text/html");
	assert_non_null(strstr(entry_str(feed, 0, "content"), "<strong>roast</strong>"));
	assert_non_null(strstr(entry_str(feed, 0, "content"), "&lt;script&gt;"));
	/* Links in the text (a mention) lead to the site, from any reader. */
	snprintf(want, sizeof want, "href=\"%s/people/bo\"", p->srv->origin);
	assert_non_null(strstr(entry_str(feed, 0, "content"), want));
	assert_non_null(strstr(entry_str(feed, 0, "summary"), "Which roast?"));
	/* Times: published when asked, updated at or after it, and the feed's
	 * updated is its newest entry's. */
	json_int_t published = json_integer_value(json_object_get(e, "published"));
	json_int_t updated = json_integer_value(json_object_get(e, "updated"));
	assert_true(published > 1700000000);
	assert_true(updated >= published);
	assert_int_equal(json_integer_value(json_object_get(feed, "updated")), updated);
}

static void an_edit_updates_the_entry_and_the_feed(void **state)
{
	struct place *p = place_build(state);
	json_t *before = read_feed(p->visitor, "/c/plaza/feed");
	json_int_t published = json_integer_value(json_object_get(entry_of(p, before, p->question), "published"));
	/* Times are in seconds: let one pass before the edit. */
	sleep(1);
	struct response *r = item_edit(p->ana, p->question, json_pack("{s:s, s:s}", "title", "Beans, edited", "body", "New words"));
	assert_status(r, 200);
	response_free(r);
	json_t *feed = read_feed(p->visitor, "/c/plaza/feed");
	json_t *e = entry_of(p, feed, p->question);
	assert_string_equal(json_string_value(json_object_get(e, "title")), "Beans, edited");
	assert_int_equal(json_integer_value(json_object_get(e, "published")), published);
	json_int_t updated = json_integer_value(json_object_get(e, "updated"));
	assert_true(updated > published);
	assert_int_equal(json_integer_value(json_object_get(feed, "updated")), updated);
}

static void feeds_show_only_what_a_visitor_may_read(void **state)
{
	struct place *p = place_build(state);
	/* Ana may read all three communities, but their feeds are the
	 * visitor's: the others answer 404 to her too. */
	struct actor *who[] = {p->visitor, p->ana};
	for (size_t w = 0; w < 2; w++) {
		assert_not_found(who[w], "/c/club/feed");
		assert_not_found(who[w], "/c/vault/feed");
		assert_not_found(who[w], "/c/nowhere/feed");
		assert_not_found(who[w], "/people/nobody/feed");
		json_t *tag = read_feed(who[w], "/tags/coffee/feed");
		assert_int_equal(json_array_size(entries(tag)), 1);
		assert_true(has_entry(p, tag, p->question));
		json_t *ana = read_feed(who[w], "/people/ana/feed");
		assert_int_equal(json_array_size(entries(ana)), 1);
		assert_true(has_entry(p, ana, p->question));
		json_t *found = read_feed(who[w], "/search/feed?q=coffee");
		assert_false(has_entry(p, found, p->club));
		assert_false(has_entry(p, found, p->secret));
		assert_true(has_entry(p, found, p->answer));
	}
	/* A member's feed has their answers, named after the question. */
	json_t *bo = read_feed(p->visitor, "/people/bo/feed");
	assert_int_equal(json_array_size(entries(bo)), 1);
	assert_true(has_entry(p, bo, p->answer));
	assert_non_null(strstr(entry_str(bo, 0, "title"), TITLE));
	/* A search with nothing to look for is an empty feed; an empty one
	 * says when it was read. */
	json_t *none = read_feed(p->visitor, "/search/feed?q=-coffee");
	assert_int_equal(json_array_size(entries(none)), 0);
	assert_true(json_integer_value(json_object_get(none, "updated")) > 1700000000);
	/* A deleted post leaves the feeds. */
	struct response *r = item_post(p->ana, p->question, "delete", NULL);
	assert_true(r->status == 200 || r->status == 303);
	response_free(r);
	assert_false(has_entry(p, read_feed(p->visitor, "/tags/coffee/feed"), p->question));
}

static void pages_link_their_feeds(void **state)
{
	struct place *p = place_build(state);
	const char *pages[][2] = {
		{"/c/plaza", "href=\"/c/plaza/feed\""},
		{"/tags/coffee", "href=\"/tags/coffee/feed\""},
		{"/people/ana", "href=\"/people/ana/feed\""},
		{"/search?q=coffee", "href=\"/search/feed?q=coffee"},
	};
	for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
		struct response *r = aget(p->visitor, "%s", pages[i][0]);
		assert_status(r, 200);
		assert_body_contains(r, "<link rel=\"alternate\" type=\"application/atom+xml\"");
		assert_body_contains(r, pages[i][1]);
		assert_body_contains(r, "class=\"button small feed-link\"");
		response_free(r);
	}
	/* A community a visitor cannot read offers no feed, even to members. */
	struct response *r = aget(p->ana, "/c/club");
	assert_status(r, 200);
	assert_body_lacks(r, "application/atom+xml");
	response_free(r);
}

/* ---- the personal feed ---------------------------------------------------------- */

/* Makes a new personal feed address for the member; returns its path. */
static const char *new_address(const struct place *p, struct actor *a)
{
	struct response *r = apost(a, "/api/v1/settings/feed", NULL);
	assert_status(r, 200);
	const char *url = response_jstr(r, "url");
	assert_non_null(url);
	size_t n = strlen(p->srv->origin);
	assert_true(strncmp(url, p->srv->origin, n) == 0);
	assert_true(strncmp(url + n, "/feed/", 6) == 0);
	const char *path = harness_strdup(url + n);
	response_free(r);
	return path;
}

static void personal_feed_follows_the_members_rights(void **state)
{
	struct place *p = place_build(state);
	/* No address until the member makes one. */
	struct response *r = aget(p->bo, "/api/v1/settings");
	assert_true(json_is_null(json_path(r->json, "personal_feed")));
	response_free(r);
	r = aget(p->bo, "/settings");
	assert_body_contains(r, "action=\"/settings/feed\"");
	assert_body_lacks(r, "/feed/");
	response_free(r);
	r = apost(p->bo, "/api/v1/tags/coffee/follow", NULL);
	assert_status(r, 200);
	response_free(r);
	const char *path = new_address(p, p->bo);
	r = aget(p->bo, "/settings");
	assert_body_contains(r, path);
	response_free(r);
	/* A feed reader has no session: the visitor reads it with bo's rights.
	 * The tag's public question and the members-only club's, which every
	 * member reads; not bo's own answer; not the vault's question. */
	json_t *feed = read_feed(p->visitor, path);
	assert_true(has_entry(p, feed, p->question));
	assert_true(has_entry(p, feed, p->club));
	assert_false(has_entry(p, feed, p->answer));
	assert_false(has_entry(p, feed, p->secret));
	/* In the vault, bo reads its question; out of it, no longer. */
	bring_in(p->admin, "vault", p->bo);
	assert_true(has_entry(p, read_feed(p->visitor, path), p->secret));
	r = apost(p->bo, "/api/v1/c/vault/leave", NULL);
	assert_status(r, 200);
	response_free(r);
	assert_false(has_entry(p, read_feed(p->visitor, path), p->secret));
	/* Ana follows the threads she asked: bo's answer is in her feed, her
	 * own questions are not. */
	json_t *ana = read_feed(p->visitor, new_address(p, p->ana));
	assert_true(has_entry(p, ana, p->answer));
	assert_false(has_entry(p, ana, p->question));
	assert_false(has_entry(p, ana, p->secret));
	/* A suspended member reads what members read; an excluded one's feed
	 * ends with them. */
	run_sql(p->srv, "UPDATE users SET status = 'suspended' WHERE handle = 'bo'");
	assert_true(has_entry(p, read_feed(p->visitor, path), p->club));
	run_sql(p->srv, "UPDATE users SET status = 'excluded' WHERE handle = 'bo'");
	assert_not_found(p->visitor, path);
}

static void a_new_address_ends_the_old(void **state)
{
	struct place *p = place_build(state);
	const char *first = new_address(p, p->bo);
	read_feed(p->visitor, first);
	/* The access log keeps the secret out: it writes the route. */
	assert_true(server_log_has_line(p->srv, 3000, STRS("GET /feed/{secret} 200")));
	char *log = server_log(p->srv);
	assert_null(strstr(log, first));
	free(log);
	/* The settings form makes a new one and goes back to the settings. */
	const char *fields[] = {NULL};
	struct response *r = fpost(p->bo, "/settings/feed", fields);
	assert_status(r, 303);
	response_free(r);
	assert_not_found(p->visitor, first);
	r = aget(p->bo, "/api/v1/settings");
	const char *url = json_string_value(json_path(r->json, "personal_feed"));
	assert_non_null(url);
	read_feed(p->visitor, url + strlen(p->srv->origin));
	response_free(r);
	/* Secrets of the wrong shape, and none, are no feed. */
	assert_not_found(p->visitor, "/feed/short");
	assert_not_found(p->visitor, "/feed/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
	/* Only a member makes one, with the form's token. */
	r = apost(p->visitor, "/api/v1/settings/feed", NULL);
	assert_status(r, 401);
	response_free(r);
	r = http_post_form(p->bo->c, "/settings/feed", fields, NULL);
	assert_status(r, 403);
	response_free(r);
}

#define T(f) cmocka_unit_test_setup_teardown(f, server_setup, teardown_releasing)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(community_feed_has_its_entries_and_fields),
		T(an_edit_updates_the_entry_and_the_feed),
		T(feeds_show_only_what_a_visitor_may_read),
		T(pages_link_their_feeds),
		T(personal_feed_follows_the_members_rights),
		T(a_new_address_ends_the_old),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
