/* hash: the one non-cryptographic hash in kring, 32-bit FNV-1a. It places
 * keys in hash tables (the page cache, prepared statements, mentions, the
 * search build, imports) and versions an avatar by its name. It is fast and
 * stable across runs and machines, and easy to collide on purpose: anything
 * that must resist an attacker (tokens, passwords, files) uses SHA-256 or
 * libsodium instead. */
#ifndef KRING_HASH_H
#define KRING_HASH_H

#include <stddef.h>
#include <stdint.h>

/* The hash of the n bytes at p. */
uint32_t hash_bytes(const void *p, size_t n);
/* The hash of the NUL-terminated string s (its bytes without the NUL). */
uint32_t hash_str(const char *s);

#endif
