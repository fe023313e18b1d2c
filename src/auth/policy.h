/*
 * policy: the one answer to "may this member do this action on this
 * subject". It decides from the member's site role (member, moderator,
 * admin) and account state (active, suspended, excluded), their role in the
 * community the subject lives in (member, host) and its state (archived),
 * who wrote the subject, and their expertise. Routes, handlers, lists,
 * counts, feeds and search filters all ask it, the last four through the
 * SQL conditions below, which say the same as its READ answer.
 *
 * The rules (docs/permissions.md says them for operators):
 * - Reading: public communities are read by anyone, members communities by
 *   every signed-in member, private ones only by their active members — to
 *   everyone else (admins included) a private community does not exist.
 *   Updates on a profile (items without a community) are read by
 *   signed-in members. An answer goes with its question.
 * - Running a community (its settings, archiving, members and webhooks)
 *   takes one of its hosts or an admin who can read it.
 * - Writing where something lives (post, answer, comment, react, upload)
 *   takes an active member of a community that is not archived; on a
 *   profile, any signed-in member.
 * - Editing a post or comment is its author's while they may write there,
 *   and its moderators' (hosts, staff) with a note to the author
 *   (features/moderator_edits.h).
 * - Content a moderator hid (features/hidden.h) is read only by its
 *   author, the site's moderators and the community's hosts.
 * - A post held for a moderator's approval (features/premoderation.h) is
 *   read the same way until it is approved; lists show it to its author.
 * - An account that is suspended reads what members read and writes
 *   nothing but its own account and sessions, until its suspension ends
 *   (auth/account_states.h); an excluded one is signed out (users_get
 *   does not load it, so its sessions and tokens stop).
 * - Suspending, excluding and reinstating an account (POLICY_MODERATE on
 *   it) takes an admin, or a moderator when the account is a member's
 *   (not staff); nobody acts on their own account.
 * - A member banned from a community cannot join it, ask to or accept an
 *   invitation (POLICY_BANNED).
 * - Pinning a post as "start here" in a community (POLICY_PIN) takes one
 *   of its hosts or ambassadors (features/ambassadors.h), or a moderator
 *   or admin who can read it.
 */
#ifndef KRING_POLICY_H
#define KRING_POLICY_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct req;
struct user;

enum policy_action {
	POLICY_READ,
	POLICY_POST,       /* a new item where the subject lives */
	POLICY_ANSWER,
	POLICY_COMMENT,
	POLICY_REACT,
	POLICY_UPLOAD,     /* attach a file to one's own item */
	POLICY_EDIT,
	POLICY_DELETE,
	POLICY_ACCEPT,     /* accept an answer to the question */
	POLICY_VERIFY,     /* verify an item as an expert in its topic */
	POLICY_WITHDRAW,   /* withdraw the verification of an item */
	POLICY_REVIEW,     /* the queue of items to verify */
	POLICY_MODERATE,   /* remove others' posts, see the community's requests */
	POLICY_HOST,       /* run the community: settings, archive, members, webhooks */
	POLICY_ADMINISTER, /* the site's settings, members and organisations */
	POLICY_JOIN,
	POLICY_PIN,        /* pin a post as "start here" in the community (features/pins.h) */
	POLICY_ACTIONS
};

enum policy_subject_kind {
	POLICY_SITE,      /* the site as a whole (and profiles' updates) */
	POLICY_COMMUNITY,
	POLICY_ITEM,
	POLICY_COMMENT_ON, /* a comment */
	POLICY_FILE,
	POLICY_ACCOUNT,
	POLICY_SUBJECTS
};

enum policy_verdict {
	POLICY_ALLOW,
	POLICY_NOT_FOUND,  /* 404: the member may not know it exists */
	POLICY_SIGN_IN,    /* 401: sign in first */
	POLICY_SUSPENDED,  /* 403: the account may not write now */
	POLICY_ARCHIVED,   /* 409: the community takes nothing new */
	POLICY_NOT_MEMBER, /* 403: join the community first */
	POLICY_FORBIDDEN,  /* 403: not theirs to do */
	POLICY_BANNED,     /* 403: banned from the community (features/community_bans.h) */
};

/* What the member may do in one community: its facts as the communities
 * module loads them, then the rights policy_community_rights derives. */
struct community_access {
	int64_t id;
	const char *slug, *name, *visibility, *join_policy, *language;
	bool circle;       /* a circle (features/circles.h), not a community */
	bool archived;
	bool is_member;    /* an active member (hosts are members too) */
	bool is_host;
	bool is_ambassador; /* an active member its hosts made ambassador */
	bool banned;       /* the viewer is banned from it: joins nothing */
	const char *membership_state; /* "active", "requested", "invited" or NULL */
	bool can_read;     /* false: answer 404, whoever asks */
	bool can_post;     /* POLICY_POST */
	bool can_moderate; /* POLICY_MODERATE */
	bool can_host;     /* POLICY_HOST */
	bool can_pin;      /* POLICY_PIN */
};

/* The thing acted on. place is the community it lives in (the community
 * itself for POLICY_COMMUNITY); NULL for the site, an account and items on
 * a profile. */
struct policy_subject {
	enum policy_subject_kind kind;
	const struct community_access *place;
	int64_t owner_id; /* who wrote it (for a file: its item's author); the account */
	bool expert;      /* the member is an expert in one of the item's topics */
	const char *owner_role; /* POLICY_ACCOUNT: the account's site role */
};

/* The decision for the member u (NULL: signed out). An excluded member is
 * treated as signed out. */
enum policy_verdict policy_decide(const struct user *u, enum policy_action action,
				  const struct policy_subject *s);
bool policy_allows(const struct user *u, enum policy_action action, const struct policy_subject *s);

/* The same for r's member, on the site as a whole. */
bool policy_site_allows(const struct req *r, enum policy_action action);

/* Fills a's rights for u from its facts. Returns false when the community
 * must not exist for them (private, and they are neither in it nor
 * invited). */
bool policy_community_rights(const struct user *u, struct community_access *a);

/* Answers a refusal: 404, 401, 409 or 403 with the verdict's code. Denials
 * of POLICY_NOT_MEMBER say not_member_msgid (how to join; NULL: the
 * other), of POLICY_FORBIDDEN forbidden_msgid. Returns NULL for `return`. */
json_t *policy_refuse(struct req *r, enum policy_verdict v, const char *not_member_msgid,
		      const char *forbidden_msgid);

/* What dispatch asks before any handler of the route runs: a route for
 * admins takes an admin; a POST other than to the member's own account or
 * session takes a member who may write. */
enum policy_verdict policy_route(const struct user *u, unsigned route_flags, bool post);

/*
 * SQL conditions for lists, so that every list, count, feed and search
 * applies the rule of POLICY_READ. Use the alias `i` for items and `c` for
 * communities, and bind the viewer's id (0 when signed out) with the
 * matching ARGS macro, in the place of the condition among the statement's
 * other values:
 *
 *   "SELECT … FROM items i WHERE i.author_id = ? AND " POLICY_ITEM_VISIBLE_SQL,
 *   DB_ARGS(db_int(author), POLICY_ITEM_VISIBLE_ARGS(viewer))
 */
#define POLICY_COMMUNITY_VISIBLE_SQL \
	"(c.visibility = 'public' OR (c.visibility = 'members' AND ? > 0) OR " \
	"EXISTS (SELECT 1 FROM memberships vm WHERE vm.community_id = c.id " \
	"AND vm.user_id = ? AND vm.state = 'active'))"
#define POLICY_COMMUNITY_VISIBLE_ARGS(viewer) db_int(viewer), db_int(viewer)

/* Whether what the author (column: an author id) wrote is shown: not
 * when a moderator excluded them and hid their posts
 * (auth/account_states.h). */
#define POLICY_AUTHOR_SHOWN_SQL(column) \
	"NOT EXISTS (SELECT 1 FROM account_states hs WHERE hs.user_id = " column " AND hs.hides_content = 1)"

#define POLICY_ITEM_VISIBLE_SQL \
	"((i.deleted_at IS NULL AND " POLICY_AUTHOR_SHOWN_SQL("i.author_id") " AND (i.parent_id IS NULL OR" \
	" EXISTS (SELECT 1 FROM items vp WHERE vp.id = i.parent_id AND vp.deleted_at IS NULL AND " \
	POLICY_AUTHOR_SHOWN_SQL("vp.author_id") ")) AND" \
	" ((i.community_id IS NULL AND ? > 0) OR EXISTS (" \
	"SELECT 1 FROM communities c WHERE c.id = i.community_id AND " POLICY_COMMUNITY_VISIBLE_SQL "))) AND" \
	" (i.parent_id IS NULL OR NOT EXISTS (SELECT 1 FROM hidden_content vph WHERE vph.subject_kind = 'item'" \
	" AND vph.subject_id = i.parent_id)) AND " POLICY_NOT_HIDDEN_SQL("item", "i.id", "i.author_id") \
	" AND " POLICY_NOT_PENDING_SQL("item", "i.id", "i.author_id") ")"
#define POLICY_ITEM_VISIBLE_ARGS(viewer) \
	db_int(viewer), POLICY_COMMUNITY_VISIBLE_ARGS(viewer), POLICY_NOT_HIDDEN_ARGS(viewer), \
	POLICY_NOT_PENDING_ARGS(viewer)

/* Content a moderator hid (features/hidden.h) is shown to its author and
 * the site's moderators only. kind: "item" or "comment"; id_col and
 * author_col: its id and author columns. */
#define POLICY_NOT_HIDDEN_SQL(kind, id_col, author_col) \
	"(NOT EXISTS (SELECT 1 FROM hidden_content vh WHERE vh.subject_kind = '" kind "' AND vh.subject_id = " \
	id_col ") OR " author_col " = ? OR EXISTS (SELECT 1 FROM users vu WHERE vu.id = ? AND vu.role IN" \
	" ('moderator', 'admin')))"
#define POLICY_NOT_HIDDEN_ARGS(viewer) db_int(viewer), db_int(viewer)

/* A post held for a moderator's approval, or rejected
 * (features/premoderation.h), is listed for its author only: until it is
 * approved it is in no one else's list, count, search, feed or digest.
 * The community's hosts and the site's moderators find it in the review
 * queue and open its page. kind: "item" or "comment". */
#define POLICY_NOT_PENDING_SQL(kind, id_col, author_col) \
	"(NOT EXISTS (SELECT 1 FROM pending_posts vq WHERE vq.subject_kind = '" kind "' AND vq.subject_id = " \
	id_col ") OR " author_col " = ?)"
#define POLICY_NOT_PENDING_ARGS(viewer) db_int(viewer)

/* What a member's review queue holds (features/moderation.h,
 * features/premoderation.h): content in a community they host, or, for
 * the site's moderators and admins (staff), content in a community they
 * may read, on a profile, and profiles. column: the subject's community
 * id (NULL for none). Bind POLICY_MODERATED_ARGS. */
#define POLICY_MODERATED_SQL(column) \
	"((? AND (" column " IS NULL OR EXISTS (SELECT 1 FROM communities c WHERE c.id = " column " AND " \
	POLICY_COMMUNITY_VISIBLE_SQL "))) OR " column " IN (SELECT hm.community_id FROM memberships hm" \
	" WHERE hm.user_id = ? AND hm.role = 'host' AND hm.state = 'active'))"
#define POLICY_MODERATED_ARGS(staff, viewer) db_int(staff), POLICY_COMMUNITY_VISIBLE_ARGS(viewer), db_int(viewer)

/* The ids of the communities a member is active in, for "IN (…)". */
#define POLICY_MEMBER_COMMUNITIES_SQL \
	"(SELECT mc.community_id FROM memberships mc WHERE mc.user_id = ? AND mc.state = 'active')"

/* Whether the member bound (?) is banned from the community c: a
 * condition (features/community_bans.h owns the table). */
#define POLICY_COMMUNITY_BANNED_SQL \
	"EXISTS (SELECT 1 FROM community_bans cb WHERE cb.community_id = c.id AND cb.user_id = ?)"

/* Whether the member bound (?) is an ambassador of the community c (a
 * condition; features/ambassadors.h owns the table, and the row counts
 * while they are an active member). */
#define POLICY_AMBASSADOR_SQL \
	"EXISTS (SELECT 1 FROM community_ambassadors ca WHERE ca.community_id = c.id AND ca.user_id = ?)"

/* The accounts shown as members (profiles, directories, contact persons):
 * all but the excluded. column: the users table's status column, e.g.
 * "u.status". */
#define POLICY_ACCOUNT_SHOWN_SQL(column) "(" column " <> 'excluded')"

#endif
