/* test_notifications: members are told in the site about what concerns
 * them. Each kind (a mention, an answer and a comment on what they follow,
 * their answer accepted, a post in a followed tag or community, a request
 * to join for hosts, an invitation, an item verified for its author and
 * changed for its expert); never about their own writes, never
 * about what they may not read, and no longer once it is hidden; nothing
 * after a write that was rolled back; reading one or all; paging; and the
 * count in the header, right at once on pages kept in the cache. */
#include "actors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the place ------------------------------------------------------------------ */

/* The public community plaza (ana and bo in it, root its host) and the
 * private vault (ana only); ana's question in plaza, which she follows for
 * having asked it. eve is in neither. */
struct place {
	const struct server *srv;
	struct actor *admin, *ana, *bo, *eve;
	int64_t question;
};

static struct place *place_build(void **state)
{
	static struct place p;
	memset(&p, 0, sizeof p);
	p.srv = *state;
	sign_up_cast(p.srv, &p.admin, &p.ana, &p.bo, &p.eve);
	make_community(p.admin, "plaza", "Plaza", "public", "open");
	make_community(p.admin, "vault", "The Vault", "private", "invite");
	bring_in(p.admin, "plaza", p.ana);
	bring_in(p.admin, "plaza", p.bo);
	bring_in(p.admin, "vault", p.ana);
	p.question = ask(p.ana, "plaza", "Where is the best coffee?", "Near the station?");
	/* Their invitations into the communities are read. */
	struct actor *invited[] = {p.ana, p.bo};
	for (size_t i = 0; i < 2; i++) {
		struct response *r = apost(invited[i], "/api/v1/notifications/read", NULL);
		assert_status(r, 200);
		response_free(r);
	}
	return &p;
}

/* The member's notifications of kind as stored, shown or not. */
static int stored(const struct place *p, const struct actor *who, const char *kind)
{
	char sql[256];
	snprintf(sql, sizeof sql,
		 "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.handle = '%s'"
		 " AND n.kind = '%s'",
		 who->handle, kind);
	return atoi(sql_rows(p->srv, sql));
}

static int stored_all(const struct place *p)
{
	return atoi(sql_rows(p->srv, "SELECT COUNT(*) FROM notifications"));
}

/* GET /api/v1/notifications (with the cursor), checked. */
static struct response *list(struct actor *a, const char *cursor)
{
	struct response *r = cursor ? aget(a, "/api/v1/notifications?cursor=%s", cursor)
				    : aget(a, "/api/v1/notifications");
	assert_status(r, 200);
	return r;
}

/* The first entry of the member's list of kind, with its count (0: none). */
static int64_t entry_count(struct actor *a, const char *kind)
{
	struct response *r = list(a, NULL);
	int64_t count = 0;
	for (size_t i = 0; i < jlen(r, "items"); i++)
		if (strcmp(jat_str(r, "items", i, "kind"), kind) == 0) {
			count = json_integer_value(jat(r, "items", i, "count"));
			break;
		}
	response_free(r);
	return count;
}

static int64_t unread(struct actor *a)
{
	struct response *r = list(a, NULL);
	int64_t n = jint(r, "unread");
	response_free(r);
	return n;
}

static int64_t answer(struct actor *a, int64_t question, const char *body)
{
	struct response *r = item_post(a, question, "answers", json_pack("{s:s}", "body", body));
	assert_status(r, 201);
	int64_t id = jint(r, "id");
	response_free(r);
	return id;
}

static void comment(struct actor *a, int64_t item, const char *body)
{
	struct response *r = item_post(a, item, "comments", json_pack("{s:s}", "body", body));
	assert_status(r, 201);
	response_free(r);
}

/* ---- each kind ------------------------------------------------------------------ */

static void mentions_tell_who_may_read(void **state)
{
	struct place *p = place_build(state);
	/* eve is in no community but may read plaza; ana mentioning herself
	 * tells no one. */
	answer(p->bo, p->question, "Ask @eve, and @ana knows too. `@root` is code.");
	assert_int_equal(stored(p, p->eve, "mention"), 1);
	assert_int_equal(entry_count(p->eve, "mention"), 1);
	/* ana is mentioned and follows the question: one notification, the mention. */
	assert_int_equal(stored(p, p->ana, "mention"), 1);
	assert_int_equal(stored(p, p->ana, "answer"), 0);
	/* A mention in code is none. */
	assert_int_equal(stored(p, p->admin, "mention"), 0);
	/* Comments are plain text: a mention anywhere in them counts. */
	comment(p->admin, p->question, "Thanks @bo!");
	assert_int_equal(stored(p, p->bo, "mention"), 1);
	/* In the private vault, bo (not a member) is told nothing. */
	int64_t secret = ask(p->ana, "vault", "The plan", "Tell @bo and @eve? And @ana.");
	comment(p->ana, secret, "@bo @eve");
	assert_int_equal(stored(p, p->bo, "mention"), 1);
	assert_int_equal(stored(p, p->eve, "mention"), 1);
	assert_int_equal(stored(p, p->ana, "mention"), 1);
	/* The entry names who and links to the thread. */
	struct response *r = list(p->eve, NULL);
	assert_string_equal(json_string_value(json_object_get(jat(r, "items", 0, "actor"), "handle")), "bo");
	char want[64];
	snprintf(want, sizeof want, "/items/%lld-", (long long)p->question);
	assert_non_null(strstr(jat_str(r, "items", 0, "url"), want));
	response_free(r);
	/* An edit tells who it newly mentions, not those told already. */
	int64_t milk = new_item(p->bo, "question", "plaza", json_pack("{s:s, s:s}", "title", "Milk?", "body", "@eve?"));
	struct response *e = item_edit(p->bo, milk, json_pack("{s:s, s:s}", "title", "Milk?", "body", "@eve and @ana?"));
	assert_status(e, 200);
	response_free(e);
	assert_int_equal(stored(p, p->eve, "mention"), 2);
	assert_int_equal(stored(p, p->ana, "mention"), 2);
	/* The same for a comment; once it is deleted, its mentions are not shown. */
	e = item_post(p->bo, milk, "comments", json_pack("{s:s}", "body", "Hi @eve"));
	assert_status(e, 201);
	int64_t note = jint(e, "id");
	response_free(e);
	char edit[64];
	snprintf(edit, sizeof edit, "/api/v1/comments/%lld/edit", (long long)note);
	e = apost(p->bo, edit, json_pack("{s:s}", "body", "Hi @eve and @ana"));
	assert_status(e, 200);
	response_free(e);
	assert_int_equal(stored(p, p->eve, "mention"), 3);
	assert_int_equal(stored(p, p->ana, "mention"), 3);
	int64_t shown = unread(p->eve);
	snprintf(edit, sizeof edit, "/api/v1/comments/%lld/delete", (long long)note);
	e = apost(p->bo, edit, NULL);
	assert_status(e, 200);
	response_free(e);
	assert_int_equal(unread(p->eve), shown - 1);
}

static void answers_and_comments_tell_followers_grouped(void **state)
{
	struct place *p = place_build(state);
	answer(p->bo, p->question, "The kiosk.");
	answer(p->admin, p->question, "The bakery.");
	answer(p->bo, p->question, "Or the market.");
	/* Three answers on one question are one entry. */
	assert_int_equal(stored(p, p->ana, "answer"), 3);
	assert_int_equal(entry_count(p->ana, "answer"), 3);
	struct response *r = aget(p->ana, "/notifications");
	assert_status(r, 200);
	assert_body_contains(r, "3 new answers on Where is the best coffee?");
	response_free(r);
	/* bo follows the question for answering it: he hears of root's answer
	 * and of comments, not of his own. */
	assert_int_equal(stored(p, p->bo, "answer"), 1);
	comment(p->admin, p->question, "Good ones.");
	assert_int_equal(stored(p, p->ana, "comment"), 1);
	assert_int_equal(stored(p, p->bo, "comment"), 1);
	assert_int_equal(stored(p, p->admin, "comment"), 0);
	assert_int_equal(stored(p, p->admin, "answer"), 1);
	/* eve follows nothing and hears nothing. */
	assert_int_equal(unread(p->eve), 0);
}

static void an_accepted_answer_tells_its_author(void **state)
{
	struct place *p = place_build(state);
	int64_t a = answer(p->bo, p->question, "The kiosk.");
	char path[64];
	snprintf(path, sizeof path, "/api/v1/items/%lld/accept", (long long)p->question);
	struct response *r = apost(p->ana, path, json_pack("{s:I}", "answer", (json_int_t)a));
	assert_status(r, 200);
	response_free(r);
	assert_int_equal(stored(p, p->bo, "accepted"), 1);
	r = aget(p->bo, "/notifications");
	assert_body_contains(r, "Your answer to Where is the best coffee? was accepted");
	response_free(r);
	/* Accepting one's own answer tells no one. */
	int64_t own = answer(p->ana, p->question, "Mine.");
	r = apost(p->ana, path, json_pack("{s:I}", "answer", (json_int_t)own));
	assert_status(r, 200);
	response_free(r);
	assert_int_equal(stored(p, p->ana, "accepted"), 0);
}

static void posts_tell_followers_of_tags_and_communities(void **state)
{
	struct place *p = place_build(state);
	struct response *r = apost(p->eve, "/api/v1/tags/coffee/follow", NULL);
	assert_status(r, 200);
	response_free(r);
	r = apost(p->eve, "/api/v1/c/plaza/follow", NULL);
	assert_status(r, 200);
	response_free(r);
	r = apost(p->bo, "/api/v1/tags/plans/follow", NULL);
	assert_status(r, 200);
	response_free(r);
	/* In a followed community with a followed tag: told once. */
	new_item(p->bo, "question", "plaza",
		 json_pack("{s:s, s:s, s:[s]}", "title", "Espresso or filter?", "body", "Which?", "tags", "coffee"));
	assert_int_equal(stored(p, p->eve, "post"), 1);
	assert_int_equal(stored(p, p->bo, "post"), 0);
	/* A followed tag in the private vault tells bo nothing. */
	new_item(p->ana, "question", "vault",
		 json_pack("{s:s, s:s, s:[s]}", "title", "Secret plans", "body", "Hush.", "tags", "plans"));
	assert_int_equal(stored(p, p->bo, "post"), 0);
	r = aget(p->eve, "/notifications");
	assert_body_contains(r, "bo posted Espresso or filter?");
	response_free(r);
}

static void hosts_hear_of_requests_and_members_of_invitations(void **state)
{
	struct place *p = place_build(state);
	make_community(p->admin, "club", "The Club", "public", "request");
	struct response *r = apost(p->eve, "/api/v1/c/club/join", NULL);
	assert_true(r->status == 200 || r->status == 202);
	response_free(r);
	assert_int_equal(stored(p, p->admin, "join_request"), 1);
	r = aget(p->admin, "/notifications");
	assert_body_contains(r, "eve asks to join The Club");
	assert_body_contains(r, "/c/club/members");
	response_free(r);
	/* An invitation into the private vault: bo may now know of it. */
	int invitations = stored(p, p->bo, "invitation");
	r = apost(p->admin, "/api/v1/c/vault/invite", json_pack("{s:s}", "handle", "bo"));
	assert_true(r->status == 200 || r->status == 201);
	response_free(r);
	assert_int_equal(stored(p, p->bo, "invitation"), invitations + 1);
	r = aget(p->bo, "/notifications");
	assert_body_contains(r, "root invited you to The Vault");
	response_free(r);
}

static void experts_and_authors_hear_of_verifications(void **state)
{
	struct place *p = place_build(state);
	int64_t article = new_item(p->ana, "article", "plaza",
				   json_pack("{s:s, s:s, s:s, s:s, s:[s]}", "kind", "article", "title", "Brewing",
					     "summary", "What we learnt.", "approach", "Slowly.", "tags", "coffee"));
	struct response *r = apost(p->admin, "/api/v1/tags/coffee/experts", json_pack("{s:s}", "handle", "bo"));
	assert_status(r, 200);
	response_free(r);
	r = item_post(p->bo, article, "verify", json_object());
	assert_status(r, 200);
	response_free(r);
	assert_int_equal(stored(p, p->ana, "verified"), 1);
	r = aget(p->ana, "/notifications");
	assert_body_contains(r, "bo verified Brewing");
	response_free(r);
	/* ana changes it: bo is asked to review it, once until he does. */
	r = item_edit(p->ana, article, json_pack("{s:s}", "approach", "Slowly, at 92 degrees."));
	assert_status(r, 200);
	response_free(r);
	r = item_edit(p->ana, article, json_pack("{s:s}", "approach", "Slowly, at 93 degrees."));
	assert_status(r, 200);
	response_free(r);
	assert_int_equal(stored(p, p->bo, "review"), 1);
	r = aget(p->bo, "/notifications");
	assert_body_contains(r, "Brewing was changed since you verified it: please review it");
	response_free(r);
	/* The author is not told of her own edits. */
	assert_int_equal(stored(p, p->ana, "review"), 0);
}

/* ---- what may not be seen ---------------------------------------------------------- */

static void hidden_content_leaves_the_list(void **state)
{
	struct place *p = place_build(state);
	int64_t q = ask(p->ana, "plaza", "Tea?", "What do you think, @bo?");
	assert_int_equal(entry_count(p->bo, "mention"), 1);
	assert_int_equal(unread(p->bo), 1);
	char path[64];
	snprintf(path, sizeof path, "/api/v1/items/%lld/delete", (long long)q);
	struct response *r = apost(p->ana, path, NULL);
	assert_status(r, 200);
	response_free(r);
	/* Still stored, no longer shown nor counted. */
	assert_int_equal(stored(p, p->bo, "mention"), 1);
	assert_int_equal(entry_count(p->bo, "mention"), 0);
	assert_int_equal(unread(p->bo), 0);
	r = aget(p->bo, "/questions");
	assert_body_lacks(r, "class=\"unread-count\"");
	response_free(r);
}

static void a_rolled_back_write_tells_no_one(void **state)
{
	struct place *p = place_build(state);
	int before = stored_all(p);
	char path[64];
	snprintf(path, sizeof path, "/api/v1/items/%lld/answers", (long long)p->question);
	const char *body = "{\"body\": \"Ask @eve.\"}";
	/* Every statement of the write fails in turn, until it goes through. */
	int fail_at = 1;
	for (;; fail_at++) {
		char fault[64];
		snprintf(fault, sizeof fault, "X-Kring-Fail-Statement: %d", fail_at);
		const char *headers[] = {fault, "Accept: application/json", p->bo->csrf_header, NULL};
		struct response *r = http_post_json(p->bo->c, path, body, headers);
		const char *fired = response_header(r, "X-Kring-Fault");
		bool failed = fired != NULL;
		if (failed)
			assert_int_equal(r->status >= 500, true);
		response_free(r);
		if (!failed)
			break;
		assert_int_equal(stored_all(p), before);
		assert_true(fail_at < 400);
	}
	assert_true(fail_at > 5);
	/* The one that went through told ana (answer) and eve (mention). */
	assert_int_equal(stored_all(p), before + 2);
}

/* ---- reading ------------------------------------------------------------------------ */

static void read_one_or_all(void **state)
{
	struct place *p = place_build(state);
	answer(p->bo, p->question, "Hi @eve.");
	comment(p->bo, p->question, "And @eve again.");
	assert_int_equal(unread(p->eve), 2);
	struct response *r = list(p->eve, NULL);
	int64_t newest = json_integer_value(jat(r, "items", 0, "id"));
	assert_true(json_is_true(jat(r, "items", 0, "unread")));
	response_free(r);
	/* Someone else's notification is not theirs to read. */
	r = apost(p->bo, "/api/v1/notifications/read", json_pack("{s:I}", "id", (json_int_t)newest));
	assert_status(r, 404);
	response_free(r);
	r = apost(p->eve, "/api/v1/notifications/read", json_pack("{s:s}", "id", "x1"));
	assert_status(r, 400);
	response_free(r);
	r = apost(p->eve, "/api/v1/notifications/read", json_pack("{s:I}", "id", (json_int_t)newest));
	assert_status(r, 200);
	assert_int_equal(jint(r, "unread"), 1);
	response_free(r);
	r = list(p->eve, NULL);
	assert_true(json_is_false(jat(r, "items", 0, "unread")));
	assert_true(json_is_true(jat(r, "items", 1, "unread")));
	response_free(r);
	/* All, as the page's form does; it goes back to the page. */
	r = fpost(p->eve, "/notifications/read", NULL);
	assert_status(r, 303);
	assert_header_equal(r, "Location", "/notifications");
	response_free(r);
	assert_int_equal(unread(p->eve), 0);
	/* Not without the form's token, and not for visitors. */
	r = http_post_form(p->eve->c, "/notifications/read", (const char *const[]){NULL}, NULL);
	assert_status(r, 403);
	response_free(r);
	struct actor *v = visitor(p->srv);
	r = aget(v, "/api/v1/notifications");
	assert_status(r, 401);
	response_free(r);
}

static void pages_follow_each_other(void **state)
{
	struct place *p = place_build(state);
	for (int i = 0; i < 23; i++) {
		char text[64];
		snprintf(text, sizeof text, "Note %d for @bo.", i);
		comment(p->admin, p->question, text);
	}
	struct response *first = list(p->bo, NULL);
	assert_int_equal(jlen(first, "items"), 20);
	assert_int_equal(jint(first, "unread"), 23);
	const char *next = json_string_value(json_path(first->json, "next"));
	assert_non_null(next);
	/* The rest, and bo's invitation into plaza, read long ago. */
	struct response *second = list(p->bo, next);
	assert_int_equal(jlen(second, "items"), 4);
	assert_true(json_is_null(json_path(second->json, "next")));
	/* Newest first, no entry twice. */
	int64_t last = INT64_MAX;
	struct response *pages[] = {first, second};
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < jlen(pages[k], "items"); i++) {
			int64_t id = json_integer_value(jat(pages[k], "items", i, "id"));
			assert_true(id < last);
			last = id;
		}
	response_free(first);
	response_free(second);
	struct response *r = aget(p->bo, "/api/v1/notifications?cursor=nope");
	assert_status(r, 400);
	response_free(r);
	r = aget(p->bo, "/notifications");
	assert_body_contains(r, "/notifications?cursor=");
	response_free(r);
}

/* ---- the header ------------------------------------------------------------------- */

static void the_header_count_is_right_with_the_cache(void **state)
{
	struct place *p = place_build(state);
	/* bo's page of ana's question is kept for him. */
	char page[64];
	snprintf(page, sizeof page, "/items/%lld", (long long)p->question);
	struct response *r = aget(p->bo, "%s", page);
	assert_status(r, 200);
	assert_body_lacks(r, "class=\"unread-count\"");
	response_free(r);
	r = aget(p->bo, "%s", page);
	assert_string_equal(cache_state(r), "hit");
	response_free(r);
	/* A write elsewhere (another thread, another community) that tells bo. */
	make_community(p->admin, "garden", "Garden", "public", "open");
	bring_in(p->admin, "garden", p->eve);
	r = aget(p->bo, "%s", page);
	assert_string_equal(cache_state(r), "miss");
	response_free(r);
	r = aget(p->bo, "%s", page);
	assert_string_equal(cache_state(r), "hit");
	response_free(r);
	ask(p->eve, "garden", "Roses?", "@bo, you grow them?");
	r = aget(p->bo, "%s", page);
	assert_body_contains(r, "<span class=\"unread-count\">1</span>");
	response_free(r);
	/* Reading them clears it, and leaves others' pages kept. */
	r = aget(p->ana, "%s", page);
	assert_status(r, 200);
	response_free(r);
	r = fpost(p->bo, "/notifications/read", NULL);
	assert_status(r, 303);
	response_free(r);
	r = aget(p->bo, "%s", page);
	assert_body_lacks(r, "class=\"unread-count\"");
	response_free(r);
	r = aget(p->ana, "%s", page);
	assert_string_equal(cache_state(r), "hit");
	response_free(r);
	/* Others' writes that do not tell bo keep his page: eve's question in
	 * the garden is not ana's thread. */
	r = aget(p->bo, "%s", page);
	assert_string_equal(cache_state(r), "hit");
	response_free(r);
	ask(p->eve, "garden", "Tulips?", "Anyone?");
	r = aget(p->bo, "%s", page);
	assert_string_equal(cache_state(r), "hit");
	response_free(r);
}

#define T(f) cmocka_unit_test_setup_teardown(f, server_setup, server_teardown)

int main(void)
{
	/* A rolled-back write is tried by failing its statements in turn. */
	setenv("KRING_FAULT_INJECTION", "1", 1);
	const struct CMUnitTest tests[] = {
		T(mentions_tell_who_may_read),
		T(answers_and_comments_tell_followers_grouped),
		T(an_accepted_answer_tells_its_author),
		T(posts_tell_followers_of_tags_and_communities),
		T(hosts_hear_of_requests_and_members_of_invitations),
		T(experts_and_authors_hear_of_verifications),
		T(hidden_content_leaves_the_list),
		T(a_rolled_back_write_tells_no_one),
		T(read_one_or_all),
		T(pages_follow_each_other),
		T(the_header_count_is_right_with_the_cache),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
