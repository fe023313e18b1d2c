/*
 * account_mail: what sign-up sends, through the outbox: a welcome to a
 * new member, and to the owner of an e-mail address someone tried to sign
 * up with again, a notice (the sign-up form answers as if it waited for a
 * confirmation, so that it tells nobody who has an account). Both are
 * queued in the sign-up's transaction, in the member's language.
 */
#ifndef KRING_ACCOUNT_MAIL_H
#define KRING_ACCOUNT_MAIL_H

#include "db/db.h"

#include <stdbool.h>

struct req;
struct user;

/* Notices one account gets an hour at most, however often its address is
 * given at sign-up. */
#define ACCOUNT_MAIL_TAKEN_PER_HOUR 3

/* Queues the welcome to u. False on a database error. */
DB_MUST_CHECK bool account_mail_welcome(struct req *r, const struct user *u);
/* Queues the notice to u, the owner of the address given. False on a
 * database error. */
DB_MUST_CHECK bool account_mail_address_taken(struct req *r, const struct user *u);

#endif
