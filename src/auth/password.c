/*
 * password: argon2id through libsodium. The cost follows OWASP's
 * recommendation for argon2id (19 MiB, two passes): strong enough for
 * interactive logins while a small server can still afford many of them.
 */
#include "auth/password.h"

#include "i18n/i18n.h"

#include <string.h>

#define PASSWORD_OPSLIMIT 2
#define PASSWORD_MEMLIMIT (19u * 1024 * 1024)

bool password_hash(const char *password, char out[PASSWORD_HASH_MAX])
{
	return crypto_pwhash_str_alg(out, password, strlen(password), PASSWORD_OPSLIMIT,
				     PASSWORD_MEMLIMIT, crypto_pwhash_ALG_ARGON2ID13) == 0;
}

bool password_verify(const char *hash, const char *password)
{
	return hash && crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

void password_waste_time(const char *password)
{
	char hash[PASSWORD_HASH_MAX];
	password_hash(password, hash);
}

const char *password_problem(const char *password)
{
	if (!password || !*password)
		return N_("Enter a password.");
	if (strlen(password) > PASSWORD_MAX_BYTES)
		return N_("The password is too long.");
	size_t chars = 0;
	for (const char *p = password; *p; p++)
		chars += ((unsigned char)*p & 0xC0) != 0x80;
	if (chars < PASSWORD_MIN_LENGTH)
		return N_("Use at least 10 characters.");
	return NULL;
}
