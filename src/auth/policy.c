/*
 * policy: one table of what each action on each subject needs, and the
 * few questions the table's entries ask of the member and the subject.
 */
#include "auth/policy.h"

#include "auth/account_states.h"
#include "http/req.h"
#include "http/router.h"
#include "i18n/i18n.h"

#include <string.h>

/* What an action on a subject needs beyond being allowed to read it. */
enum need {
	NEED_NOTHING_DEFINED, /* no such action on such a subject: refused */
	NEED_READER,          /* reading is all */
	NEED_WRITER,          /* may write where the subject lives */
	NEED_AUTHOR_WRITER,   /* its author, who may write where it lives */
	NEED_AUTHOR_OR_MODERATOR,
	NEED_AUTHOR_WRITER_OR_MODERATOR,
	NEED_WRITER_AUTHOR_OR_MODERATOR, /* may write there, and is its author or a moderator */
	NEED_EXPERT,          /* an expert in its topic, not its author */
	NEED_EXPERT_OR_MODERATOR, /* an expert in its topic or a moderator, not its author */
	NEED_REVIEWER,        /* an expert in some topic, or staff */
	NEED_MODERATOR,
	NEED_HOST,
	NEED_ADMIN,
	NEED_SELF,            /* the account's own member */
	NEED_JOINER,          /* a community that takes members (not archived), who is not banned from it */
	NEED_ACCOUNT_MODERATOR, /* staff over the account: an admin, or a moderator over a member; never oneself */
	NEED_PINNER,          /* a host or ambassador of the community, or staff */
};

static const enum need rules[POLICY_SUBJECTS][POLICY_ACTIONS] = {
	[POLICY_SITE] = {
		[POLICY_READ] = NEED_READER,
		[POLICY_POST] = NEED_WRITER,
		[POLICY_REVIEW] = NEED_REVIEWER,
		[POLICY_MODERATE] = NEED_MODERATOR,
		[POLICY_ADMINISTER] = NEED_ADMIN,
	},
	[POLICY_COMMUNITY] = {
		[POLICY_READ] = NEED_READER,
		[POLICY_POST] = NEED_WRITER,
		[POLICY_MODERATE] = NEED_MODERATOR,
		[POLICY_HOST] = NEED_HOST,
		[POLICY_JOIN] = NEED_JOINER,
		[POLICY_PIN] = NEED_PINNER,
	},
	[POLICY_ITEM] = {
		[POLICY_READ] = NEED_READER,
		[POLICY_POST] = NEED_WRITER, /* a variation of a method */
		[POLICY_ANSWER] = NEED_WRITER,
		[POLICY_COMMENT] = NEED_WRITER,
		[POLICY_REACT] = NEED_WRITER,
		[POLICY_UPLOAD] = NEED_AUTHOR_WRITER,
		[POLICY_EDIT] = NEED_AUTHOR_WRITER_OR_MODERATOR, /* a moderator with a note: features/moderator_edits.h */
		[POLICY_DELETE] = NEED_AUTHOR_OR_MODERATOR,
		[POLICY_ACCEPT] = NEED_WRITER_AUTHOR_OR_MODERATOR,
		[POLICY_VERIFY] = NEED_EXPERT,
		[POLICY_WITHDRAW] = NEED_EXPERT_OR_MODERATOR,
		[POLICY_MODERATE] = NEED_MODERATOR,
	},
	[POLICY_COMMENT_ON] = {
		[POLICY_READ] = NEED_READER,
		[POLICY_REACT] = NEED_WRITER,
		[POLICY_EDIT] = NEED_AUTHOR_WRITER_OR_MODERATOR, /* a moderator with a note: features/moderator_edits.h */
		[POLICY_DELETE] = NEED_AUTHOR_OR_MODERATOR,
	},
	[POLICY_FILE] = {
		[POLICY_READ] = NEED_READER,
		[POLICY_DELETE] = NEED_AUTHOR_WRITER_OR_MODERATOR,
	},
	[POLICY_ACCOUNT] = {
		[POLICY_READ] = NEED_READER,
		[POLICY_EDIT] = NEED_SELF,
		[POLICY_MODERATE] = NEED_ACCOUNT_MODERATOR, /* suspend, exclude, reinstate */
		[POLICY_ADMINISTER] = NEED_ADMIN,
	},
};

/* Every action but reading changes something, which a suspended account
 * may not (its own account aside). */
static bool writes(enum policy_action action, enum policy_subject_kind kind)
{
	return action != POLICY_READ && action != POLICY_REVIEW && !(kind == POLICY_ACCOUNT && action == POLICY_EDIT);
}

static bool has_role(const struct user *u, const char *role)
{
	return u && u->role && strcmp(u->role, role) == 0;
}

static bool is_staff(const struct user *u)
{
	return has_role(u, "admin") || has_role(u, "moderator");
}

static bool status_is(const struct user *u, const char *status)
{
	return u->status && strcmp(u->status, status) == 0;
}

static bool community_readable(const struct user *u, const struct community_access *c)
{
	if (strcmp(c->visibility, "public") == 0)
		return true;
	if (strcmp(c->visibility, "members") == 0)
		return u != NULL;
	return c->is_member;
}

static bool readable(const struct user *u, const struct policy_subject *s)
{
	if (s->place)
		return community_readable(u, s->place);
	/* Updates on a profile are for signed-in members. */
	if (s->kind == POLICY_ITEM || s->kind == POLICY_COMMENT_ON || s->kind == POLICY_FILE)
		return u != NULL;
	return true;
}

static bool invited(const struct community_access *c)
{
	return c->membership_state && strcmp(c->membership_state, "invited") == 0;
}

static bool moderates(const struct user *u, const struct community_access *place)
{
	return (place && place->is_host) || is_staff(u);
}

static enum policy_verdict writer(const struct community_access *place)
{
	if (!place)
		return POLICY_ALLOW;
	if (place->archived)
		return POLICY_ARCHIVED;
	return place->is_member ? POLICY_ALLOW : POLICY_NOT_MEMBER;
}

static enum policy_verdict check(enum need need, const struct user *u, const struct policy_subject *s)
{
	bool author = s->owner_id && s->owner_id == u->id;
	bool moderator = moderates(u, s->place);
	switch (need) {
	case NEED_NOTHING_DEFINED:
		return POLICY_FORBIDDEN;
	case NEED_READER:
		return POLICY_ALLOW;
	case NEED_WRITER:
		return writer(s->place);
	case NEED_AUTHOR_WRITER:
		return author ? writer(s->place) : POLICY_FORBIDDEN;
	case NEED_AUTHOR_OR_MODERATOR:
		return author || moderator ? POLICY_ALLOW : POLICY_FORBIDDEN;
	case NEED_AUTHOR_WRITER_OR_MODERATOR:
		if (moderator)
			return POLICY_ALLOW;
		return author ? writer(s->place) : POLICY_FORBIDDEN;
	case NEED_WRITER_AUTHOR_OR_MODERATOR: {
		enum policy_verdict v = writer(s->place);
		return v != POLICY_ALLOW || author || moderator ? v : POLICY_FORBIDDEN;
	}
	case NEED_EXPERT:
		return s->expert && !author ? POLICY_ALLOW : POLICY_FORBIDDEN;
	case NEED_EXPERT_OR_MODERATOR:
		return (s->expert || moderator) && !author ? POLICY_ALLOW : POLICY_FORBIDDEN;
	case NEED_REVIEWER:
		return u->expert || is_staff(u) ? POLICY_ALLOW : POLICY_FORBIDDEN;
	case NEED_MODERATOR:
		return moderator ? POLICY_ALLOW : POLICY_FORBIDDEN;
	case NEED_HOST:
		return (s->place && s->place->is_host) || has_role(u, "admin") ? POLICY_ALLOW : POLICY_FORBIDDEN;
	case NEED_ADMIN:
		return has_role(u, "admin") ? POLICY_ALLOW : POLICY_FORBIDDEN;
	case NEED_SELF:
		return author ? POLICY_ALLOW : POLICY_FORBIDDEN;
	case NEED_ACCOUNT_MODERATOR:
		if (author)
			return POLICY_FORBIDDEN;
		if (has_role(u, "admin"))
			return POLICY_ALLOW;
		return has_role(u, "moderator") && s->owner_role && strcmp(s->owner_role, "member") == 0 ? POLICY_ALLOW
													 : POLICY_FORBIDDEN;
	case NEED_PINNER:
		if (s->place && s->place->archived)
			return POLICY_ARCHIVED;
		return moderator || (s->place && s->place->is_ambassador) ? POLICY_ALLOW : POLICY_FORBIDDEN;
	case NEED_JOINER:
		if (s->place && s->place->banned)
			return POLICY_BANNED;
		return s->place && s->place->archived ? POLICY_ARCHIVED : POLICY_ALLOW;
	}
	return POLICY_FORBIDDEN;
}

enum policy_verdict policy_decide(const struct user *u, enum policy_action action,
				  const struct policy_subject *s)
{
	if (u && status_is(u, "excluded"))
		u = NULL;
	/* Joining is how someone invited to a private community accepts. */
	bool invitee = action == POLICY_JOIN && s->place && invited(s->place);
	if (!readable(u, s) && !invitee)
		return POLICY_NOT_FOUND;
	enum need need = rules[s->kind][action];
	if (need == NEED_READER)
		return POLICY_ALLOW;
	if (!u)
		return POLICY_SIGN_IN;
	if (writes(action, s->kind) && status_is(u, "suspended"))
		return POLICY_SUSPENDED;
	return check(need, u, s);
}

bool policy_allows(const struct user *u, enum policy_action action, const struct policy_subject *s)
{
	return policy_decide(u, action, s) == POLICY_ALLOW;
}

bool policy_site_allows(const struct req *r, enum policy_action action)
{
	struct policy_subject site = {.kind = POLICY_SITE};
	return policy_allows(r->user, action, &site);
}

bool policy_community_rights(const struct user *u, struct community_access *a)
{
	struct policy_subject s = {.kind = POLICY_COMMUNITY, .place = a};
	a->can_read = policy_allows(u, POLICY_READ, &s);
	/* A private community exists only for its members — and for someone
	 * it invited, who must see the invitation to accept it. */
	if (!a->can_read && strcmp(a->visibility, "private") == 0 && !invited(a))
		return false;
	a->can_post = policy_allows(u, POLICY_POST, &s);
	a->can_moderate = policy_allows(u, POLICY_MODERATE, &s);
	a->can_host = policy_allows(u, POLICY_HOST, &s);
	a->can_pin = policy_allows(u, POLICY_PIN, &s);
	return true;
}

json_t *policy_refuse(struct req *r, enum policy_verdict v, const char *not_member_msgid,
		      const char *forbidden_msgid)
{
	switch (v) {
	case POLICY_ALLOW:
		return NULL;
	case POLICY_NOT_FOUND:
		return req_fail(r, 404, "not_found", N_("There is no such page."));
	case POLICY_SIGN_IN:
		return req_fail(r, 401, "unauthorized", N_("Please sign in first."));
	case POLICY_SUSPENDED:
		req_fail(r, 403, "suspended", N_("Your account is suspended: you can read, but not post or change anything."));
		/* Until when, and why. */
		r->error.message = account_states_suspension_text(&r->arena, r->locale, r->user);
		return NULL;
	case POLICY_BANNED:
		return req_fail(r, 403, "banned",
				N_("You are banned from this community: you cannot join it, ask to join or be invited."));
	case POLICY_ARCHIVED:
		return req_fail(r, 409, "archived", N_("This community is archived; nothing new can be posted."));
	case POLICY_NOT_MEMBER:
		return req_fail(r, 403, "not_member", not_member_msgid ? not_member_msgid : forbidden_msgid);
	case POLICY_FORBIDDEN:
		break;
	}
	return req_fail(r, 403, "forbidden", forbidden_msgid);
}

enum policy_verdict policy_route(const struct user *u, unsigned route_flags, bool post)
{
	if (u && status_is(u, "excluded"))
		u = NULL;
	if (!u)
		return route_flags & (ROUTE_AUTH | ROUTE_ADMIN) ? POLICY_SIGN_IN : POLICY_ALLOW;
	struct policy_subject site = {.kind = POLICY_SITE};
	if (route_flags & ROUTE_ADMIN) {
		enum policy_verdict v = policy_decide(u, POLICY_ADMINISTER, &site);
		if (v != POLICY_ALLOW)
			return v;
	}
	/* A member's own account and sessions stay theirs to change (a
	 * suspended member can still sign out or change a password). */
	if (post && !(route_flags & (ROUTE_ACCOUNT | ROUTE_SESSION)))
		return policy_decide(u, POLICY_POST, &site);
	return POLICY_ALLOW;
}
