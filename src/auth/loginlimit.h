/*
 * loginlimit: how fast a password may be guessed, at sign-in and wherever
 * the current password is asked again (docs/operations.md, "Sign-in
 * limits"). Three budgets:
 *
 * - per account and client address: 5 failures in 15 minutes, then 429
 *   until the window ends. Whoever guesses from one address is stopped
 *   there, without touching the owner elsewhere.
 * - per account, from addresses the member never signed in from: the first
 *   10 attempts in a day go through, then each waits twice as long as the
 *   one before (2 s, 4 s, … at most 15 minutes). Guessing spread over many
 *   addresses slows down; the owner, at an address they signed in from
 *   before, is not held back by it.
 * - per client address, on addresses that did not sign in to the account
 *   before: 50 failures in 15 minutes, for guessing spread over accounts.
 *   A proxy shared by many members does not lock out those who signed in
 *   through it before.
 *
 * Names that belong to no account are limited by the name, in the same
 * way, so that limits do not tell which accounts exist.
 */
#ifndef KRING_LOGINLIMIT_H
#define KRING_LOGINLIMIT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct req;

struct login_attempt {
	int64_t user_id;       /* 0: the name belongs to no account */
	bool known_address;    /* the member signed in from this address before */
	char pair_key[400];    /* account (or name) and address */
	char account_key[300]; /* account (or name) */
	char address_key[100]; /* address */
};

/* Counts one password attempt for the account user_id (or, when 0, the
 * name given) from the request's address. Returns 0 when the password may
 * be checked, else the seconds to wait (answer 429 with Retry-After). */
int loginlimit_begin(struct req *r, int64_t user_id, const char *name, struct login_attempt *a);
/* Answers 429 with Retry-After: wait and the form's model (kept, with
 * retry_after added), which it returns. */
json_t *loginlimit_refuse(struct req *r, json_t *model, int wait);
/* The password was right: the failures of this account at this address
 * are forgotten, the address no longer counts it, and the address is
 * remembered as the member's. */
bool loginlimit_succeeded(struct req *r, const struct login_attempt *a);
/* The password changed: only the address of the request that changed it
 * stays known to the account, so that whoever signed in elsewhere with
 * the old one guesses under the limits of a stranger. This and
 * loginlimit_succeeded return false when the database failed (sticky in a
 * request, db.h). */
bool loginlimit_password_changed(struct req *r, int64_t user_id);
/* Forgets the addresses nobody signed in from for a long time
 * (maintenance); returns how many, or -1 on a database error. */
struct db;
int64_t loginlimit_purge(struct db *db, int64_t now);

#endif
