/* password: argon2id hashing (libsodium) and the password policy. */
#ifndef KRING_PASSWORD_H
#define KRING_PASSWORD_H

#include <stdbool.h>
#include <sodium.h>

#define PASSWORD_HASH_MAX crypto_pwhash_STRBYTES
#define PASSWORD_MIN_LENGTH 10
#define PASSWORD_MAX_BYTES 1024

/* Writes an argon2id string ($argon2id$v=19$m=…) to out; false on failure. */
bool password_hash(const char *password, char out[PASSWORD_HASH_MAX]);
/* Constant-time check of a password against a stored hash. */
bool password_verify(const char *hash, const char *password);
/* Spends the same time as a verification, for unknown accounts, so that
 * timing does not tell which handles exist. */
void password_waste_time(const char *password);
/* NULL when the password is acceptable, else the message id saying why. */
const char *password_problem(const char *password);

#endif
