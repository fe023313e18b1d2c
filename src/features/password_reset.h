/*
 * password_reset: a forgotten password, reset by e-mail. POST
 * /password/forgot with an e-mail address answers the same, in the same
 * time, whether or not an account has it; when one does, its owner gets a
 * link (through the outbox) valid for an hour and once. Only the SHA-256
 * of the link's token is stored. Choosing a new password there (the rules
 * of sign-up) ends every session and API token of the account.
 */
#ifndef KRING_PASSWORD_RESET_H
#define KRING_PASSWORD_RESET_H

#include <jansson.h>

struct req;

/* How long a link works, in seconds. */
#define PASSWORD_RESET_LIFETIME 3600
/* Links a member is sent an hour at most, whoever asks. */
#define PASSWORD_RESET_PER_ACCOUNT 3

json_t *password_forgot_form(struct req *r);
json_t *password_forgot(struct req *r);
json_t *password_reset_form(struct req *r);
json_t *password_reset(struct req *r);

#endif
