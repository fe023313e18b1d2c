/*
 * mail_optin: what a form for people without an account needs when it
 * asks for a name and an e-mail address and answers by mail with a link
 * (double opt-in): the digest by e-mail (features/subscriptions.h) and
 * guests of events (features/guests.h).
 *
 * The link's secret is 32 random bytes as URL-safe base64 and is the
 * authority of whoever holds the mail. An address is known in lower case.
 * Requests are limited per client address (config.signup_limit an hour, as
 * sign-ups and password resets), and the mails one address is sent by a
 * form are limited per day whoever asks, so the form cannot fill a mailbox;
 * the counters' keys hold no address.
 */
#ifndef KRING_MAIL_OPTIN_H
#define KRING_MAIL_OPTIN_H

#include <jansson.h>
#include <stdbool.h>

struct arena;
struct req;

/* Mails one address is sent a day at most by one form, whoever asks. */
#define MAIL_OPTIN_MAILS_PER_ADDRESS 3

/* A fresh secret for a link, in a. */
const char *mail_optin_secret(struct arena *a);
/* Whether the text has the shape of such a secret. */
bool mail_optin_secret_shaped(const char *secret);

/* The address as the forms know it (in lower case), in a. */
const char *mail_optin_address_key(struct arena *a, const char *email);

/* The form's "name" and "email", trimmed, into *name and *email (in the
 * request's arena); a problem with either is a field error on model. */
void mail_optin_read(struct req *r, json_t *model, const char **name, const char **email);

/* Counts a request of the form (form: "subscribe", "guest", …) from the
 * client's address: true within the limit; else false after answering 429
 * with Retry-After (model gets "retry_after" and is the answer). */
bool mail_optin_client_allowed(struct req *r, json_t *model, const char *form);

/* Counts a mail of the form to the address key: whether it may be sent. */
bool mail_optin_address_allowed(struct req *r, const char *form, const char *key);

#endif
