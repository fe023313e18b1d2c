/* test_permissions: who may read and do what in public, members-only,
 * private and archived communities — one table of actor (site role,
 * community role, a suspended account) × community × action → the
 * expected answer, which auth/policy.c decides — and that private content
 * never leaks into lists, profiles or counts. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "actors.h"

#include <stdio.h>
#include <stdlib.h>


/* ---- the matrix ------------------------------------------------------------- */

enum actor_id { VISITOR, OUTSIDER, CMEMBER, HOST, MODERATOR, ADMIN, SUSPENDED, NACTORS };
enum community_id { PUB, MEM, PRIV, ARCH, NCOMMUNITIES };
enum action_id {
	READ_COMMUNITY,   /* GET /api/v1/c/{slug} */
	READ_ITEM,        /* GET /api/v1/items/{id} */
	IN_QUESTIONS,     /* the question in GET /api/v1/questions */
	IN_COMMUNITIES,   /* the community in GET /api/v1/c */
	IN_STREAM,        /* the question in the stream of GET /api/v1/c/{slug} */
	IN_QUESTIONS_OF,  /* GET /api/v1/questions?community={slug} */
	IN_PROFILE,       /* the question among the author's items, GET /api/v1/people/{author} */
	ASK,              /* POST /api/v1/c/{slug}/items */
	ANSWER,           /* POST /api/v1/items/{id}/answers */
	EDIT_OTHERS,      /* POST /api/v1/items/{id}/edit of someone else's question */
	DELETE_OTHERS,    /* POST /api/v1/items/{id}/delete of someone else's question */
	COMMENT,          /* POST /api/v1/items/{id}/comments */
	REACT,            /* POST /api/v1/items/{id}/react */
	NACTIONS
};

/* Expected answers: an HTTP status, or for list actions whether the thing is
 * listed (status 200 and present), absent (status 200 and missing), or
 * absent either way (200 without it, or 404). */
#define LISTED 1
#define ABSENT 2
#define ABSENT_OR_404 3

static const char *const actor_names[NACTORS] = {"visitor", "member", "community-member", "host",
						 "moderator", "admin", "suspended"};
static const char *const community_names[NCOMMUNITIES] = {"public", "members-only", "private", "archived"};
static const char *const action_names[NACTIONS] = {
	"read community", "read item", "in /questions", "in /c", "in stream", "in /questions?community",
	"in author's profile", "ask", "answer", "edit other's question", "delete other's question",
	"comment", "react"};

/*                                visitor      member  c-member   host  moderator  admin  suspended */
static const int expected[NACTIONS][NCOMMUNITIES][NACTORS] = {
	[READ_COMMUNITY] = {
		[PUB]  = {200,           200,    200,     200,      200,      200,   200},
		[MEM]  = {404,           200,    200,     200,      200,      200,   200},
		[PRIV] = {404,           404,    200,     200,      404,      404,   200},
		[ARCH] = {200,           200,    200,     200,      200,      200,   200},
	},
	[READ_ITEM] = {
		[PUB]  = {200,           200,    200,     200,      200,      200,   200},
		[MEM]  = {404,           200,    200,     200,      200,      200,   200},
		[PRIV] = {404,           404,    200,     200,      404,      404,   200},
		[ARCH] = {200,           200,    200,     200,      200,      200,   200},
	},
	[IN_QUESTIONS] = {
		[PUB]  = {LISTED,        LISTED, LISTED,  LISTED,   LISTED,   LISTED,   LISTED},
		[MEM]  = {ABSENT,        LISTED, LISTED,  LISTED,   LISTED,   LISTED,   LISTED},
		[PRIV] = {ABSENT,        ABSENT, LISTED,  LISTED,   ABSENT,   ABSENT,   LISTED},
		[ARCH] = {LISTED,        LISTED, LISTED,  LISTED,   LISTED,   LISTED, LISTED},
	},
	[IN_COMMUNITIES] = {
		[PUB]  = {LISTED,        LISTED, LISTED,  LISTED,   LISTED,   LISTED,   LISTED},
		[MEM]  = {ABSENT,        LISTED, LISTED,  LISTED,   LISTED,   LISTED,   LISTED},
		[PRIV] = {ABSENT,        ABSENT, LISTED,  LISTED,   ABSENT,   ABSENT,   LISTED},
		[ARCH] = {LISTED,        LISTED, LISTED,  LISTED,   LISTED,   LISTED, LISTED},
	},
	[IN_STREAM] = {
		[PUB]  = {LISTED,        LISTED, LISTED,  LISTED,   LISTED,   LISTED,   LISTED},
		[MEM]  = {404,           LISTED, LISTED,  LISTED,   LISTED,   LISTED,   LISTED},
		[PRIV] = {404,           404,    LISTED,  LISTED,   404,      404,   LISTED},
		[ARCH] = {LISTED,        LISTED, LISTED,  LISTED,   LISTED,   LISTED, LISTED},
	},
	[IN_QUESTIONS_OF] = {
		[PUB]  = {LISTED,        LISTED, LISTED,  LISTED,   LISTED,   LISTED,   LISTED},
		[MEM]  = {ABSENT_OR_404, LISTED, LISTED,  LISTED,   LISTED,   LISTED,   LISTED},
		[PRIV] = {404,           404,    LISTED,  LISTED,   404,      404,   LISTED},
		[ARCH] = {LISTED,        LISTED, LISTED,  LISTED,   LISTED,   LISTED, LISTED},
	},
	[IN_PROFILE] = {
		[PUB]  = {LISTED,        LISTED, LISTED,  LISTED,   LISTED,   LISTED,   LISTED},
		[MEM]  = {ABSENT,        LISTED, LISTED,  LISTED,   LISTED,   LISTED,   LISTED},
		[PRIV] = {ABSENT,        ABSENT, LISTED,  LISTED,   ABSENT,   ABSENT,   LISTED},
		[ARCH] = {LISTED,        LISTED, LISTED,  LISTED,   LISTED,   LISTED, LISTED},
	},
	[ASK] = {
		[PUB]  = {401,           403,    201,     201,      403,      403,   403},
		[MEM]  = {401,           403,    201,     201,      403,      403,   403},
		[PRIV] = {401,           404,    201,     201,      404,      404,   403},
		[ARCH] = {401,           409,    409,     409,      409,      409,   403},
	},
	[ANSWER] = {
		[PUB]  = {401,           403,    201,     201,      403,      403,   403},
		[MEM]  = {401,           403,    201,     201,      403,      403,   403},
		[PRIV] = {401,           404,    201,     201,      404,      404,   403},
		[ARCH] = {401,           409,    409,     409,      409,      409,   403},
	},
	[EDIT_OTHERS] = {
		[PUB]  = {401,           403,    403,     200,      200,      200,   403},
		[MEM]  = {401,           403,    403,     200,      200,      200,   403},
		[PRIV] = {401,           404,    403,     200,      404,      404,   403},
		[ARCH] = {401,           403,    403,     200,      200,      200,   403},
	},
	[DELETE_OTHERS] = {
		[PUB]  = {401,           403,    403,     200,      200,      200,   403},
		[MEM]  = {401,           403,    403,     200,      200,      200,   403},
		[PRIV] = {401,           404,    403,     200,      404,      404,   403},
		[ARCH] = {401,           403,    403,     200,      200,      200,   403},
	},
	[COMMENT] = {
		[PUB]  = {401,           403,    201,     201,      403,      403,   403},
		[MEM]  = {401,           403,    201,     201,      403,      403,   403},
		[PRIV] = {401,           404,    201,     201,      404,      404,   403},
		[ARCH] = {401,           409,    409,     409,      409,      409,   403},
	},
	[REACT] = {
		[PUB]  = {401,           403,    200,     200,      403,      403,   403},
		[MEM]  = {401,           403,    200,     200,      403,      403,   403},
		[PRIV] = {401,           404,    200,     200,      404,      404,   403},
		[ARCH] = {401,           409,    409,     409,      409,      409,   403},
	},
};

struct world {
	const struct server *srv;
	struct actor *actors[NACTORS];
	struct actor *founder, *author;
	const char *slugs[NCOMMUNITIES];
	int64_t question[NCOMMUNITIES];
	int64_t victim[NACTORS]; /* questions to delete in the archived community */
};

/* Three communities hosted by `host` (and by the suspended member), with
 * `cmember` and `author` as members; the founding admin leaves again, so
 * the site admin and the moderator are members of none. */
static void world_build(struct world *w, const struct server *s)
{
	static const char *const visibility[NCOMMUNITIES] = {"public", "members", "private", "public"};
	static const char *const policy[NCOMMUNITIES] = {"open", "request", "invite", "open"};
	static const char *const names[NCOMMUNITIES] = {"Open Square", "Members Hall", "Back Room", "Old Barn"};
	memset(w, 0, sizeof *w);
	w->srv = s;
	w->slugs[PUB] = "open-square";
	w->slugs[MEM] = "members-hall";
	w->slugs[PRIV] = "back-room";
	w->slugs[ARCH] = "old-barn";
	w->founder = staff(s, "founder", "--admin");
	unlimited_posting(w->founder);
	w->actors[VISITOR] = visitor(s);
	w->actors[OUTSIDER] = member(s, "olle");
	w->actors[CMEMBER] = member(s, "carl");
	w->actors[HOST] = member(s, "hanna");
	w->actors[MODERATOR] = staff(s, "mona", "--moderator");
	w->actors[ADMIN] = staff(s, "adam", "--admin");
	w->actors[SUSPENDED] = member(s, "sven");
	w->author = member(s, "asa");
	for (int c = 0; c < NCOMMUNITIES; c++) {
		make_community(w->founder, w->slugs[c], names[c], visibility[c], policy[c]);
		bring_in(w->founder, w->slugs[c], w->actors[HOST]);
		bring_in(w->founder, w->slugs[c], w->actors[CMEMBER]);
		bring_in(w->founder, w->slugs[c], w->author);
		set_role(w->founder, w->slugs[c], "hanna", "host");
		bring_in(w->founder, w->slugs[c], w->actors[SUSPENDED]);
		set_role(w->founder, w->slugs[c], "sven", "host");
		char path[256];
		snprintf(path, sizeof path, "/api/v1/c/%s/leave", w->slugs[c]);
		struct response *r = apost(w->founder, path, NULL);
		assert_status(r, 200);
		response_free(r);
	}
	/* The archived community keeps what was posted before, and a question
	 * for each actor to try deleting (asked first, so that the author's
	 * profile shows the matrix questions on its first page). */
	for (int a = 0; a < NACTORS; a++) {
		char title[128];
		snprintf(title, sizeof title, "To delete by %s in the archive", actor_names[a]);
		w->victim[a] = ask(w->author, w->slugs[ARCH], title, "");
	}
	for (int c = 0; c < NCOMMUNITIES; c++) {
		char title[128];
		snprintf(title, sizeof title, "Matrix question in %s", w->slugs[c]);
		w->question[c] = ask(w->author, w->slugs[c], title, "Who knows?");
	}
	struct response *r = apost(w->actors[HOST], "/api/v1/c/old-barn/archive", json_pack("{s:b}", "archived", 1));
	assert_status(r, 200);
	response_free(r);
	/* A host everywhere, suspended: reads as a member, writes nothing. */
	run_sql(s, "UPDATE users SET status = 'suspended' WHERE handle = 'sven'");
}

/* Performs one cell; returns what happened in the terms of `expected`, and
 * the response (for messages) in *out. */
static int perform(struct world *w, int actor, int comm, int action, struct response **out)
{
	struct actor *a = w->actors[actor];
	const char *slug = w->slugs[comm];
	int64_t q = w->question[comm];
	struct response *r = NULL;
	int got = 0;
	char path[256];
	switch (action) {
	case READ_COMMUNITY:
		r = aget(a, "/api/v1/c/%s", slug);
		got = (int)r->status;
		break;
	case READ_ITEM:
		r = aget(a, "/api/v1/items/%lld", (long long)q);
		got = (int)r->status;
		break;
	case IN_QUESTIONS:
		r = aget(a, "/api/v1/questions");
		got = r->status != 200 ? (int)r->status : list_has_id(r, "items", q) ? LISTED : ABSENT;
		break;
	case IN_COMMUNITIES:
		r = aget(a, "/api/v1/c");
		got = r->status != 200 ? (int)r->status : list_has_str(r, "items", "slug", slug) ? LISTED : ABSENT;
		break;
	case IN_STREAM:
		r = aget(a, "/api/v1/c/%s", slug);
		got = r->status != 200 ? (int)r->status : list_has_id(r, "stream.items", q) ? LISTED : ABSENT;
		break;
	case IN_QUESTIONS_OF:
		r = aget(a, "/api/v1/questions?community=%s", slug);
		got = r->status != 200 ? (int)r->status : list_has_id(r, "items", q) ? LISTED : ABSENT;
		break;
	case IN_PROFILE:
		r = aget(a, "/api/v1/people/%s", w->author->handle);
		got = r->status != 200 ? (int)r->status : list_has_id(r, "items", q) ? LISTED : ABSENT;
		break;
	case ASK:
		snprintf(path, sizeof path, "/api/v1/c/%s/items", slug);
		r = apost(a, path, json_pack("{s:s, s:s, s:s}", "kind", "question", "title",
					     "A question from the matrix", "body", "?"));
		got = (int)r->status;
		break;
	case ANSWER:
		r = item_post(a, q, "answers", json_pack("{s:s}", "body", "An answer from the matrix"));
		got = (int)r->status;
		break;
	case EDIT_OTHERS:
		r = item_post(a, q, "edit", json_pack("{s:s, s:s, s:s}", "title", "Taken over", "body", "by someone else",
						      "note", "A moderator's correction"));
		got = (int)r->status;
		break;
	case DELETE_OTHERS: {
		char title[128];
		snprintf(title, sizeof title, "To delete by %s in %s", actor_names[actor], slug);
		int64_t victim = comm == ARCH ? w->victim[actor] : ask(w->author, slug, title, "");
		r = item_post(a, victim, "delete", NULL);
		got = (int)r->status;
		if (r->status == 200) {
			/* really gone, for its author too */
			struct response *g = aget(w->author, "/api/v1/items/%lld", (long long)victim);
			if (g->status != 404)
				got = 1000 + (int)g->status;
			response_free(g);
		}
		break;
	}
	case COMMENT:
		r = item_post(a, q, "comments", json_pack("{s:s}", "body", "A comment from the matrix"));
		got = (int)r->status;
		break;
	case REACT:
		r = item_post(a, q, "react", json_pack("{s:s}", "kind", "thanks"));
		got = (int)r->status;
		break;
	}
	*out = r;
	return got;
}

static bool cell_matches(int want, int got, const struct response *r, int actor, int action)
{
	if (want == ABSENT_OR_404) {
		if (got != ABSENT && got != 404)
			return false;
	} else if (want != got) {
		return false;
	}
	/* A suspended member is told so, whatever their roles. */
	if (got == 403 && actor == SUSPENDED) {
		const char *code = response_jstr(r, "error.code");
		return code && strcmp(code, "suspended") == 0;
	}
	/* Signed-in members who may read but not write are told to join. */
	if (got == 403 && (action == ASK || action == ANSWER || action == COMMENT || action == REACT)) {
		const char *code = response_jstr(r, "error.code");
		return code && strcmp(code, "not_member") == 0;
	}
	return true;
}

static const char *outcome(int v, char *buf, size_t n)
{
	if (v == LISTED)
		return "listed";
	if (v == ABSENT)
		return "absent";
	if (v == ABSENT_OR_404)
		return "absent or 404";
	snprintf(buf, n, "%d", v);
	return buf;
}

static void permission_matrix(void **state)
{
	struct world w;
	world_build(&w, *state);
	int cells = 0, failing = 0;
	for (int action = 0; action < NACTIONS; action++) {
		for (int comm = 0; comm < NCOMMUNITIES; comm++) {
			for (int actor = 0; actor < NACTORS; actor++) {
				struct response *r = NULL;
				int got = perform(&w, actor, comm, action, &r);
				int want = expected[action][comm][actor];
				cells++;
				if (!cell_matches(want, got, r, actor, action)) {
					char b1[16], b2[16];
					const char *code = response_jstr(r, "error.code");
					failing++;
					print_error("CELL %-10s %-17s %-24s expected %s, got %s (%s %s -> %ld%s%s)\n",
						    community_names[comm], actor_names[actor], action_names[action],
						    outcome(want, b1, sizeof b1), outcome(got, b2, sizeof b2),
						    r->method, r->path, r->status, code ? " " : "", code ? code : "");
				}
				response_free(r);
			}
		}
	}
	print_message("permission matrix: %d cells, %d failing\n", cells, failing);
	assert_int_equal(failing, 0);
}

/* ---- private content never leaks ---------------------------------------------- */

#define SECRET_TITLE "Zqx secret plans for the merger"
#define SECRET_TAG "zqxsecrettag"
#define SECRET_NAME "Zqx Hidden Council"
#define SECRET_SLUG "zqx-hidden"

static void assert_no_secret(struct actor *a, const char *who, const char *path)
{
	struct response *r = aget(a, "%s", path);
	const char *needles[] = {SECRET_TITLE, SECRET_NAME, SECRET_SLUG, SECRET_TAG};
	for (size_t i = 0; i < sizeof needles / sizeof needles[0]; i++) {
		/* a filter echoes what was asked for; that is no leak */
		if (strstr(path, needles[i]))
			continue;
		if (r->body && strstr(r->body, needles[i]))
			harness_fail_response(r, __FILE__, __LINE__, "%s sees \"%s\"", who, needles[i]);
	}
	if (r->status >= 500)
		harness_fail_response(r, __FILE__, __LINE__, "%s: server error", who);
	response_free(r);
}

static void private_content_never_leaks(void **state)
{
	const struct server *s = *state;
	struct actor *founder = staff(s, "founder", "--admin");
	struct actor *author = member(s, "siri");
	make_community(founder, "plaza", "Plaza", "public", "open");
	make_community(founder, SECRET_SLUG, SECRET_NAME, "private", "invite");
	bring_in(founder, "plaza", author);
	bring_in(founder, SECRET_SLUG, author);
	/* the same author shares publicly too, so her profile is worth a look */
	ask(author, "plaza", "A public question about lunch", "");
	struct response *r = apost(author, "/api/v1/c/" SECRET_SLUG "/items",
				   json_pack("{s:s, s:s, s:s, s:[s]}", "kind", "question", "title", SECRET_TITLE,
					     "body", "Only for us", "tags", SECRET_TAG));
	assert_status(r, 201);
	int64_t secret = jint(r, "id");
	response_free(r);
	/* and an answer and a comment on it */
	r = item_post(author, secret, "answers", json_pack("{s:s}", "body", "We answer " SECRET_TITLE));
	assert_status(r, 201);
	response_free(r);

	struct actor *looking[] = {visitor(s), member(s, "nosy"), staff(s, "mod", "--moderator"),
				   staff(s, "boss", "--admin")};
	const char *names[] = {"visitor", "member", "moderator", "admin"};
	const char *paths[] = {
		"/", "/questions", "/c", "/api/v1/c", "/api/v1/questions",
		"/api/v1/questions?status=answered", "/api/v1/questions?status=unanswered",
		"/api/v1/questions?tag=" SECRET_TAG, "/questions?tag=" SECRET_TAG,
		"/tags/" SECRET_TAG, "/api/v1/tags/" SECRET_TAG,
		"/people/siri", "/api/v1/people/siri", "/people", "/api/v1/people",
		"/c/" SECRET_SLUG, "/api/v1/c/" SECRET_SLUG, "/api/v1/c/" SECRET_SLUG "/members",
		"/c/plaza", "/api/v1/c/plaza", "/api/v1/c/plaza/members",
	};
	for (size_t i = 0; i < sizeof looking / sizeof looking[0]; i++) {
		for (size_t p = 0; p < sizeof paths / sizeof paths[0]; p++)
			assert_no_secret(looking[i], names[i], paths[p]);
		/* the community and its content answer 404 */
		r = aget(looking[i], "/api/v1/c/" SECRET_SLUG);
		assert_error(r, 404, "not_found");
		response_free(r);
		r = aget(looking[i], "/api/v1/items/%lld", (long long)secret);
		assert_status(r, 404);
		response_free(r);
		r = aget(looking[i], "/api/v1/items/%lld/revisions", (long long)secret);
		assert_status(r, 404);
		response_free(r);
		r = aget(looking[i], "/api/v1/questions?community=" SECRET_SLUG);
		assert_status(r, 404);
		response_free(r);
		/* a slug that never existed answers the same */
		r = aget(looking[i], "/api/v1/questions?community=no-such-place");
		assert_status(r, 404);
		response_free(r);
		/* the list of communities counts only what it shows */
		r = aget(looking[i], "/api/v1/c");
		assert_status(r, 200);
		assert_false(list_has_str(r, "items", "slug", SECRET_SLUG));
		response_free(r);
		/* the author's profile shows neither the community nor its content */
		r = aget(looking[i], "/api/v1/people/siri");
		assert_status(r, 200);
		assert_false(list_has_str(r, "communities", "slug", SECRET_SLUG));
		assert_false(list_has_id(r, "items", secret));
		response_free(r);
	}
	/* the members see it */
	r = aget(author, "/api/v1/questions?tag=" SECRET_TAG);
	assert_status(r, 200);
	assert_true(list_has_id(r, "items", secret));
	response_free(r);
	r = aget(author, "/api/v1/c");
	assert_true(list_has_str(r, "items", "slug", SECRET_SLUG));
	response_free(r);
}

/* Joining, leaving and being told about a private community: non-members
 * cannot join it (404, as if it did not exist), an invitee sees the
 * invitation, and HTML pages answer 404 too. */
static void private_community_is_invisible_to_outsiders(void **state)
{
	const struct server *s = *state;
	struct actor *founder = staff(s, "founder", "--admin");
	make_community(founder, "inner", "Inner Circle", "private", "open");
	struct actor *nosy = member(s, "nosy");
	struct actor *mod = staff(s, "mod", "--moderator");
	struct actor *boss = staff(s, "boss", "--admin");
	struct actor *who[] = {nosy, mod, boss};
	for (size_t i = 0; i < 3; i++) {
		struct response *r = apost(who[i], "/api/v1/c/inner/join", NULL);
		assert_error(r, 404, "not_found");
		response_free(r);
		r = aget(who[i], "/c/inner");
		assert_status(r, 404);
		assert_body_lacks(r, "Inner Circle");
		response_free(r);
		r = aget(who[i], "/c/inner/members");
		assert_status(r, 404);
		response_free(r);
		r = aget(who[i], "/api/v1/c/inner/edit");
		assert_status(r, 404);
		response_free(r);
		r = apost(who[i], "/api/v1/c/inner/archive", NULL);
		assert_status(r, 404);
		response_free(r);
	}
	/* an invitee learns of it, and can accept */
	char path[128];
	snprintf(path, sizeof path, "/api/v1/c/inner/invite");
	struct response *r = apost(founder, path, json_pack("{s:s}", "handle", "nosy"));
	assert_status(r, 200);
	response_free(r);
	r = aget(nosy, "/api/v1/c/inner");
	assert_status(r, 200);
	assert_jstr(r, "membership", "invited");
	assert_null(json_path(r->json, "stream"));
	response_free(r);
	r = apost(nosy, "/api/v1/c/inner/join", NULL);
	assert_status(r, 200);
	assert_jstr(r, "membership", "active");
	response_free(r);
	r = aget(nosy, "/api/v1/c/inner");
	assert_status(r, 200);
	assert_true(json_is_object(json_path(r->json, "stream")));
	response_free(r);
}

/* Members-only communities: signed-out visitors get 404 for the page, its
 * members list and its items, in JSON and HTML. */
static void members_only_hidden_from_visitors(void **state)
{
	const struct server *s = *state;
	struct actor *founder = staff(s, "founder", "--admin");
	make_community(founder, "guild", "Guild Hall", "members", "open");
	int64_t q = ask(founder, "guild", "Guild-only question", "Body");
	struct actor *v = visitor(s);
	const char *paths[] = {"/api/v1/c/guild", "/c/guild", "/api/v1/c/guild/members", "/c/guild/members"};
	int wrong = 0;
	for (size_t i = 0; i < 4; i++) {
		struct response *r = aget(v, "%s", paths[i]);
		if (r->status != 404) {
			print_error("GET %s as a visitor: %ld, expected 404\n", paths[i], r->status);
			wrong++;
		}
		response_free(r);
	}
	struct response *r = aget(v, "/api/v1/items/%lld", (long long)q);
	assert_status(r, 404);
	response_free(r);
	r = aget(v, "/items/%lld", (long long)q);
	assert_status(r, 404);
	assert_body_lacks(r, "Guild-only question");
	response_free(r);
	struct actor *m = member(s, "mia");
	r = aget(m, "/c/guild");
	assert_status(r, 200);
	assert_body_contains(r, "Guild-only question");
	response_free(r);
	assert_int_equal(wrong, 0);
}

/* Hosting one community gives no power in another. */
static void host_powers_stop_at_the_community(void **state)
{
	const struct server *s = *state;
	struct actor *founder = staff(s, "founder", "--admin");
	struct actor *host = member(s, "hanna");
	struct actor *author = member(s, "asa");
	make_community(founder, "north", "North", "public", "open");
	make_community(founder, "south", "South", "public", "open");
	bring_in(founder, "north", host);
	set_role(founder, "north", "hanna", "host");
	bring_in(founder, "south", host);
	bring_in(founder, "south", author);
	int64_t q = ask(author, "south", "A question in the south", "");
	struct response *r = item_post(host, q, "delete", NULL);
	assert_error(r, 403, "forbidden");
	response_free(r);
	int64_t a = 0;
	r = item_post(host, q, "answers", json_pack("{s:s}", "body", "An answer"));
	assert_status(r, 201);
	a = jint(r, "id");
	response_free(r);
	r = item_post(host, q, "accept", json_pack("{s:I}", "answer", (json_int_t)a));
	assert_error(r, 403, "forbidden");
	response_free(r);
	r = apost(host, "/api/v1/c/south/members/asa/role", json_pack("{s:s}", "role", "removed"));
	assert_error(r, 403, "forbidden");
	response_free(r);
	r = apost(host, "/api/v1/c/south/archive", NULL);
	assert_error(r, 403, "forbidden");
	response_free(r);
	r = apost(host, "/api/v1/c/south/edit", json_pack("{s:s}", "name", "Mine"));
	assert_error(r, 403, "forbidden");
	response_free(r);
	r = aget(author, "/api/v1/items/%lld", (long long)q);
	assert_status(r, 200);
	response_free(r);
}

#define T(f) cmocka_unit_test_setup_teardown(f, server_setup, server_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(permission_matrix),
		T(private_content_never_leaks),
		T(private_community_is_invisible_to_outsiders),
		T(members_only_hidden_from_visitors),
		T(host_powers_stop_at_the_community),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
