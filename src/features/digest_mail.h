/*
 * digest_mail: one digest e-mail, daily or weekly, to a member (what they
 * follow, features/digests.h) or to a subscriber without an account (a
 * public community or the best-practice catalogue). Its lines are grouped
 * in the order a reader with little time wants them: new questions still
 * unanswered first, then accepted answers, new best practices and methods,
 * verified items, and the rest. At most DIGEST_MAX_LINES are written; the
 * message then says how many more there are and links to them. Both parts
 * are in the recipient's language; the message carries its one-click
 * unsubscribe address (RFC 8058) and a link to change what one receives.
 */
#ifndef KRING_DIGEST_MAIL_H
#define KRING_DIGEST_MAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct db;

#define DIGEST_MAX_LINES 25

/* The groups of a digest, in the order they are written. */
enum digest_section {
	DIGEST_UNANSWERED, /* new questions without an accepted answer */
	DIGEST_ACCEPTED,   /* answers accepted */
	DIGEST_PRACTICES,  /* new best practices and methods */
	DIGEST_VERIFIED,   /* items an expert verified */
	DIGEST_OTHER,      /* new answers, comments, mentions, other posts */
	DIGEST_SECTIONS
};

struct digest_line {
	enum digest_section section;
	const char *title; /* the item's title, or its question's */
	const char *path;  /* where it is on the site: "/items/8-title#answer-9" */
	const char *what;  /* one line of what happened ("Anna answered"), or NULL */
	const char *where; /* the community's name, or NULL */
};

struct digest_mail {
	const char *kind;     /* the outbox's kind: "digest", "subscription_digest" */
	int64_t user_id;      /* the member, or 0 for a subscriber */
	const char *to_name;  /* may be NULL */
	const char *to_address;
	int locale;
	bool weekly;          /* else daily */
	const char *about;    /* what it is a digest of, in the subject:
			       * "what you follow", a community's name */
	const struct digest_line *lines; /* in any order; sorted here */
	size_t nlines;
	const char *rest_path;       /* where to read it all: "/notifications" */
	const char *settings_path;   /* where to change what one gets, or NULL */
	const char *unsubscribe_url; /* absolute; one POST unsubscribes */
};

/* Queues the digest (jobs/outbox.h) at the time now, in the caller's
 * transaction; nothing when it has no lines. False on a database error. */
bool digest_mail_queue(struct db *db, struct arena *a, const struct digest_mail *d, int64_t now);

#endif
