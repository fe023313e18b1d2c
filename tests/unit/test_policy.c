/* test_policy: the policy's decisions, one row per member × action ×
 * subject, without a server: what each site role, account state,
 * community role and community state may do, and how a refusal is told
 * (404, 401, 403 or 409), and the route gate dispatch asks. */
#include "auth/policy.h"
#include "http/req.h"
#include "http/router.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

enum who { NOBODY, MEMBER, OTHER, HOST, MODERATOR, ADMIN, SUSPENDED, EXCLUDED, EXPERT };

static const struct user people[] = {
	[MEMBER] = {.id = 1, .role = "member", .status = "active"},
	[OTHER] = {.id = 2, .role = "member", .status = "active"},
	[HOST] = {.id = 3, .role = "member", .status = "active"},
	[MODERATOR] = {.id = 4, .role = "moderator", .status = "active"},
	[ADMIN] = {.id = 5, .role = "admin", .status = "active"},
	[SUSPENDED] = {.id = 6, .role = "admin", .status = "suspended"},
	[EXCLUDED] = {.id = 7, .role = "admin", .status = "excluded"},
	[EXPERT] = {.id = 8, .role = "member", .status = "active", .expert = true},
};

enum place { SITE, PUBLIC, MEMBERS_ONLY, PRIVATE, ARCHIVED, NPLACES };

/* The community as `who` sees it: MEMBER, HOST, SUSPENDED and EXPERT are
 * active members (HOST hosts), the others are not in it. */
static struct community_access place_for(enum place p, enum who who)
{
	static const char *const visibility[] = {NULL, "public", "members", "private", "public"};
	struct community_access c = {.id = p, .slug = "c", .name = "C", .visibility = visibility[p],
				     .join_policy = "open", .archived = p == ARCHIVED};
	c.is_member = who == MEMBER || who == HOST || who == SUSPENDED || who == EXPERT;
	c.is_host = who == HOST;
	c.membership_state = c.is_member ? "active" : NULL;
	return c;
}

struct row {
	enum who who;
	enum policy_action action;
	enum policy_subject_kind kind;
	enum place place;
	enum who owner;     /* who wrote it (NOBODY: nobody here) */
	bool expert;        /* who is an expert in its topic */
	enum policy_verdict want;
};

#define A POLICY_ALLOW
#define NF POLICY_NOT_FOUND
#define SI POLICY_SIGN_IN
#define SU POLICY_SUSPENDED
#define AR POLICY_ARCHIVED
#define NM POLICY_NOT_MEMBER
#define FB POLICY_FORBIDDEN

static const struct row rows[] = {
	/* reading follows the community's visibility; a private one exists
	 * only for its members, admins included */
	{NOBODY, POLICY_READ, POLICY_ITEM, PUBLIC, OTHER, false, A},
	{NOBODY, POLICY_READ, POLICY_ITEM, MEMBERS_ONLY, OTHER, false, NF},
	{OTHER, POLICY_READ, POLICY_ITEM, MEMBERS_ONLY, MEMBER, false, A},
	{ADMIN, POLICY_READ, POLICY_ITEM, PRIVATE, MEMBER, false, NF},
	{MODERATOR, POLICY_DELETE, POLICY_ITEM, PRIVATE, MEMBER, false, NF},
	{MEMBER, POLICY_READ, POLICY_ITEM, PRIVATE, OTHER, false, A},
	{NOBODY, POLICY_READ, POLICY_ITEM, SITE, MEMBER, false, NF}, /* an update on a profile */
	{OTHER, POLICY_READ, POLICY_ITEM, SITE, MEMBER, false, A},
	{SUSPENDED, POLICY_READ, POLICY_ITEM, PRIVATE, OTHER, false, A},
	{EXCLUDED, POLICY_READ, POLICY_ITEM, MEMBERS_ONLY, OTHER, false, NF},
	/* writing where it lives: members of a community that is not archived */
	{NOBODY, POLICY_ANSWER, POLICY_ITEM, PUBLIC, OTHER, false, SI},
	{OTHER, POLICY_ANSWER, POLICY_ITEM, PUBLIC, MEMBER, false, NM},
	{MEMBER, POLICY_ANSWER, POLICY_ITEM, PUBLIC, OTHER, false, A},
	{MEMBER, POLICY_COMMENT, POLICY_ITEM, ARCHIVED, OTHER, false, AR},
	{OTHER, POLICY_COMMENT, POLICY_ITEM, ARCHIVED, MEMBER, false, AR},
	{ADMIN, POLICY_POST, POLICY_COMMUNITY, PUBLIC, NOBODY, false, NM},
	{MEMBER, POLICY_POST, POLICY_COMMUNITY, MEMBERS_ONLY, NOBODY, false, A},
	{OTHER, POLICY_POST, POLICY_SITE, SITE, NOBODY, false, A},
	{OTHER, POLICY_REACT, POLICY_ITEM, SITE, MEMBER, false, A},
	/* a suspended account reads but writes nothing, whatever its roles */
	{SUSPENDED, POLICY_POST, POLICY_SITE, SITE, NOBODY, false, SU},
	{SUSPENDED, POLICY_ANSWER, POLICY_ITEM, PUBLIC, OTHER, false, SU},
	{SUSPENDED, POLICY_REACT, POLICY_COMMENT_ON, PUBLIC, OTHER, false, SU},
	{SUSPENDED, POLICY_EDIT, POLICY_ITEM, PUBLIC, SUSPENDED, false, SU},
	{SUSPENDED, POLICY_DELETE, POLICY_ITEM, PUBLIC, SUSPENDED, false, SU},
	{SUSPENDED, POLICY_JOIN, POLICY_COMMUNITY, MEMBERS_ONLY, NOBODY, false, SU},
	{SUSPENDED, POLICY_UPLOAD, POLICY_ITEM, PUBLIC, SUSPENDED, false, SU},
	{SUSPENDED, POLICY_ADMINISTER, POLICY_SITE, SITE, NOBODY, false, SU},
	{SUSPENDED, POLICY_EDIT, POLICY_ACCOUNT, SITE, SUSPENDED, false, A},
	/* an excluded account is signed out */
	{EXCLUDED, POLICY_COMMENT, POLICY_ITEM, PUBLIC, OTHER, false, SI},
	{EXCLUDED, POLICY_ADMINISTER, POLICY_SITE, SITE, NOBODY, false, SI},
	/* editing is the author's while they may write there, and a
	 * moderator's of the place (who must say why) */
	{MEMBER, POLICY_EDIT, POLICY_ITEM, PUBLIC, MEMBER, false, A},
	{OTHER, POLICY_EDIT, POLICY_ITEM, PUBLIC, MEMBER, false, FB},
	{OTHER, POLICY_EDIT, POLICY_COMMENT_ON, PUBLIC, MEMBER, false, FB},
	{HOST, POLICY_EDIT, POLICY_COMMENT_ON, PUBLIC, MEMBER, false, A},
	{HOST, POLICY_EDIT, POLICY_ITEM, PUBLIC, MEMBER, false, A},
	{ADMIN, POLICY_EDIT, POLICY_ITEM, PUBLIC, MEMBER, false, A},
	{MEMBER, POLICY_EDIT, POLICY_ITEM, ARCHIVED, MEMBER, false, AR},
	{MEMBER, POLICY_EDIT, POLICY_COMMENT_ON, PUBLIC, MEMBER, false, A},
	{OTHER, POLICY_UPLOAD, POLICY_ITEM, PUBLIC, OTHER, false, NM},
	/* deleting: the author, or a moderator of the place (hosts, staff) */
	{MEMBER, POLICY_DELETE, POLICY_ITEM, ARCHIVED, MEMBER, false, A},
	{OTHER, POLICY_DELETE, POLICY_ITEM, PUBLIC, MEMBER, false, FB},
	{HOST, POLICY_DELETE, POLICY_COMMENT_ON, PUBLIC, MEMBER, false, A},
	{MODERATOR, POLICY_DELETE, POLICY_ITEM, MEMBERS_ONLY, MEMBER, false, A},
	{MODERATOR, POLICY_DELETE, POLICY_ITEM, SITE, MEMBER, false, A},
	{HOST, POLICY_DELETE, POLICY_ITEM, SITE, MEMBER, false, FB},
	{OTHER, POLICY_DELETE, POLICY_FILE, SITE, OTHER, false, A},
	{MEMBER, POLICY_DELETE, POLICY_FILE, ARCHIVED, MEMBER, false, AR},
	{HOST, POLICY_DELETE, POLICY_FILE, ARCHIVED, MEMBER, false, A},
	/* accepting: the asker or a moderator, where they may write */
	{MEMBER, POLICY_ACCEPT, POLICY_ITEM, PUBLIC, MEMBER, false, A},
	{HOST, POLICY_ACCEPT, POLICY_ITEM, PUBLIC, MEMBER, false, A},
	{EXPERT, POLICY_ACCEPT, POLICY_ITEM, PUBLIC, MEMBER, false, FB},
	{MODERATOR, POLICY_ACCEPT, POLICY_ITEM, PUBLIC, MEMBER, false, NM},
	{MEMBER, POLICY_ACCEPT, POLICY_ITEM, ARCHIVED, MEMBER, false, AR},
	/* verifying: an expert in its topic, never on their own post */
	{EXPERT, POLICY_VERIFY, POLICY_ITEM, PUBLIC, MEMBER, true, A},
	{EXPERT, POLICY_VERIFY, POLICY_ITEM, PUBLIC, EXPERT, true, FB},
	{ADMIN, POLICY_VERIFY, POLICY_ITEM, PUBLIC, MEMBER, false, FB},
	{HOST, POLICY_WITHDRAW, POLICY_ITEM, PUBLIC, MEMBER, false, A},
	{OTHER, POLICY_WITHDRAW, POLICY_ITEM, PUBLIC, MEMBER, false, FB},
	{EXPERT, POLICY_REVIEW, POLICY_SITE, SITE, NOBODY, false, A},
	{MODERATOR, POLICY_REVIEW, POLICY_SITE, SITE, NOBODY, false, A},
	{MEMBER, POLICY_REVIEW, POLICY_SITE, SITE, NOBODY, false, FB},
	/* running a community: its hosts, and admins who can read it */
	{HOST, POLICY_HOST, POLICY_COMMUNITY, PRIVATE, NOBODY, false, A},
	{ADMIN, POLICY_HOST, POLICY_COMMUNITY, MEMBERS_ONLY, NOBODY, false, A},
	{ADMIN, POLICY_HOST, POLICY_COMMUNITY, PRIVATE, NOBODY, false, NF},
	{MODERATOR, POLICY_HOST, POLICY_COMMUNITY, PUBLIC, NOBODY, false, FB},
	{MODERATOR, POLICY_MODERATE, POLICY_COMMUNITY, PUBLIC, NOBODY, false, A},
	{MEMBER, POLICY_MODERATE, POLICY_COMMUNITY, PUBLIC, NOBODY, false, FB},
	{OTHER, POLICY_JOIN, POLICY_COMMUNITY, ARCHIVED, NOBODY, false, AR},
	{OTHER, POLICY_JOIN, POLICY_COMMUNITY, MEMBERS_ONLY, NOBODY, false, A},
	{OTHER, POLICY_JOIN, POLICY_COMMUNITY, PRIVATE, NOBODY, false, NF},
	/* the site and accounts */
	{ADMIN, POLICY_ADMINISTER, POLICY_SITE, SITE, NOBODY, false, A},
	{MODERATOR, POLICY_ADMINISTER, POLICY_SITE, SITE, NOBODY, false, FB},
	{MODERATOR, POLICY_MODERATE, POLICY_SITE, SITE, NOBODY, false, A},
	{HOST, POLICY_MODERATE, POLICY_SITE, SITE, NOBODY, false, FB},
	{OTHER, POLICY_EDIT, POLICY_ACCOUNT, SITE, MEMBER, false, FB},
	{ADMIN, POLICY_ADMINISTER, POLICY_ACCOUNT, SITE, MEMBER, false, A},
	/* suspending, excluding, reinstating: staff over the account, never
	 * oneself; a moderator over members only */
	{MODERATOR, POLICY_MODERATE, POLICY_ACCOUNT, SITE, MEMBER, false, A},
	{MODERATOR, POLICY_MODERATE, POLICY_ACCOUNT, SITE, ADMIN, false, FB},
	{MODERATOR, POLICY_MODERATE, POLICY_ACCOUNT, SITE, MODERATOR, false, FB},
	{ADMIN, POLICY_MODERATE, POLICY_ACCOUNT, SITE, MODERATOR, false, A},
	{ADMIN, POLICY_MODERATE, POLICY_ACCOUNT, SITE, ADMIN, false, FB},
	{HOST, POLICY_MODERATE, POLICY_ACCOUNT, SITE, MEMBER, false, FB},
	{OTHER, POLICY_MODERATE, POLICY_ACCOUNT, SITE, MEMBER, false, FB},
	{SUSPENDED, POLICY_MODERATE, POLICY_ACCOUNT, SITE, MEMBER, false, SU},
	/* what the table does not name is refused */
	{ADMIN, POLICY_ACCEPT, POLICY_COMMUNITY, PUBLIC, NOBODY, false, FB},
	{ADMIN, POLICY_VERIFY, POLICY_FILE, PUBLIC, MEMBER, false, FB},
};

static const char *verdict_name(enum policy_verdict v)
{
	static const char *const names[] = {"allow", "not found", "sign in", "suspended", "archived",
					    "not member", "forbidden", "banned"};
	return names[v];
}

static void decision_table(void **state)
{
	(void)state;
	int failing = 0;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const struct row *w = &rows[i];
		struct community_access c = place_for(w->place, w->who);
		struct policy_subject s = {.kind = w->kind, .place = w->place == SITE ? NULL : &c,
					   .owner_id = w->owner == NOBODY ? 0 : people[w->owner].id,
					   .expert = w->expert,
					   .owner_role = w->owner == NOBODY ? NULL : people[w->owner].role};
		const struct user *u = w->who == NOBODY ? NULL : &people[w->who];
		enum policy_verdict got = policy_decide(u, w->action, &s);
		if (got != w->want) {
			print_error("row %zu: expected %s, got %s\n", i, verdict_name(w->want), verdict_name(got));
			failing++;
		}
	}
	assert_int_equal(failing, 0);
}

/* The rights filled in for a community match the decisions, and a private
 * community does not exist for those outside it (but for the invited). */
static void community_rights(void **state)
{
	(void)state;
	struct community_access c = place_for(PRIVATE, OTHER);
	assert_false(policy_community_rights(&people[ADMIN], &c));
	c.membership_state = "invited";
	assert_true(policy_community_rights(&people[OTHER], &c));
	assert_false(c.can_read);
	struct policy_subject invitation = {.kind = POLICY_COMMUNITY, .place = &c};
	assert_int_equal(policy_decide(&people[OTHER], POLICY_JOIN, &invitation), POLICY_ALLOW);
	assert_int_equal(policy_decide(&people[OTHER], POLICY_POST, &invitation), POLICY_NOT_FOUND);
	c = place_for(ARCHIVED, HOST);
	assert_true(policy_community_rights(&people[HOST], &c));
	assert_true(c.can_read && c.can_moderate && c.can_host);
	assert_false(c.can_post);
	c = place_for(MEMBERS_ONLY, SUSPENDED);
	assert_true(policy_community_rights(&people[SUSPENDED], &c));
	assert_true(c.can_read);
	assert_false(c.can_post || c.can_moderate || c.can_host);
}

/* The gate dispatch asks before any handler. */
/* A member banned from a community joins nothing there, whatever its
 * policy, and is told so rather than to join. */
static void banned_joins_nothing(void **state)
{
	(void)state;
	for (enum place p = PUBLIC; p < NPLACES; p++) {
		struct community_access c = place_for(p, OTHER);
		c.banned = true;
		struct policy_subject s = {.kind = POLICY_COMMUNITY, .place = &c};
		enum policy_verdict got = policy_decide(&people[OTHER], POLICY_JOIN, &s);
		assert_int_equal(got, p == PRIVATE ? POLICY_NOT_FOUND : POLICY_BANNED);
	}
}

static void route_gate(void **state)
{
	(void)state;
	assert_int_equal(policy_route(NULL, ROUTE_AUTH, false), POLICY_SIGN_IN);
	assert_int_equal(policy_route(NULL, 0, true), POLICY_ALLOW);
	assert_int_equal(policy_route(&people[EXCLUDED], ROUTE_AUTH, false), POLICY_SIGN_IN);
	assert_int_equal(policy_route(&people[MODERATOR], ROUTE_ADMIN, false), POLICY_FORBIDDEN);
	assert_int_equal(policy_route(&people[ADMIN], ROUTE_ADMIN, true), POLICY_ALLOW);
	assert_int_equal(policy_route(&people[SUSPENDED], ROUTE_AUTH, false), POLICY_ALLOW);
	assert_int_equal(policy_route(&people[SUSPENDED], ROUTE_AUTH, true), POLICY_SUSPENDED);
	assert_int_equal(policy_route(&people[SUSPENDED], ROUTE_ADMIN, false), POLICY_SUSPENDED);
	assert_int_equal(policy_route(&people[SUSPENDED], ROUTE_AUTH | ROUTE_ACCOUNT, true), POLICY_ALLOW);
	assert_int_equal(policy_route(&people[SUSPENDED], ROUTE_SESSION, true), POLICY_ALLOW);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decision_table),
		cmocka_unit_test(community_rights),
		cmocka_unit_test(banned_joins_nothing),
		cmocka_unit_test(route_gate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
