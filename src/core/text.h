/* text: small string helpers shared by the parsers and validators. */
#ifndef KRING_TEXT_H
#define KRING_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Writes v in decimal, as printf's %lld does (without printf's cost), with
 * its NUL to out, which holds TEXT_INT_SIZE bytes; returns its length. */
#define TEXT_INT_SIZE 21
size_t text_int(char *out, int64_t v);

/* True when s[0..n) is well-formed UTF-8 without NUL bytes, overlong forms
 * or surrogates. */
bool utf8_valid(const char *s, size_t n);
/* Copies s[0..n) to out (at least 3n+1 bytes) with every byte that is not
 * part of well-formed UTF-8 replaced by U+FFFD, so a person sees what they
 * typed, minus what cannot be shown. Returns the length written. */
size_t utf8_repair(char *out, const char *s, size_t n);
/* Number of code points in valid UTF-8. */
size_t utf8_length(const char *s);
/* True when s holds no control characters other than tab and line breaks. */
bool text_printable(const char *s, bool allow_newlines);

/* Decodes %XX and '+' in place; returns the new length, or -1 when a %
 * escape is malformed. */
long url_decode(char *s, size_t n);

/* Lower-case hexadecimal of n bytes into out (2n+1 bytes). */
void hex_encode(char *out, const unsigned char *in, size_t n);

/* A random token of nbytes random bytes as URL-safe base64 into out
 * (at least 2*nbytes+1 bytes). */
void token_random(char *out, size_t nbytes);
/* Whether s has the shape of a token_random of nbytes: that many bytes'
 * URL-safe base64 characters, and nothing else. */
bool token_shaped(const char *s, size_t nbytes);
/* SHA-256 of s, as hex into out (65 bytes). */
void sha256_hex(char out[65], const char *s, size_t n);

/* A URL slug of s into out (at most outlen-1 bytes, cut at a word): the
 * words of s (core/fold.h) folded (å→a, ö→o, é→e, ß→ss, ł→l, ș→s …) and
 * joined by '-', of their letters and digits only the ASCII ones, so a
 * slug is a-z, 0-9 and '-'. A title in Greek or Cyrillic letters alone
 * gives an empty slug, and the page's address is its id alone. */
void text_slug(const char *s, char *out, size_t outlen);
/* A date "YYYY-MM-DD" (years 2000 to 2200) as UTC seconds at its
 * midnight; -1 when malformed or no such day. */
int64_t text_parse_date(const char *s);
/* The first at most max bytes of s on one line (white space runs become
 * one space); when shortened, cut after a whole word (or at a character
 * boundary when the last word is long), without a dangling " · ", comma
 * or colon, and marked "…". */
void text_excerpt(const char *s, size_t max, char *out, size_t outlen);

/* Copy of s with leading and trailing ASCII white space removed, in place. */
char *text_trim(char *s);
/* The length of the bidirectional control that s starts with, or 0: U+061C,
 * U+200E, U+200F, U+202A to U+202E and U+2066 to U+2069. Inside a name they
 * reorder what a reader sees: "invoice\u202Etxt.exe" shows as
 * "invoiceexe.txt". */
size_t text_bidi_control(const char *s);
/* A name as kept and shown (a display name, a title, a community's or an
 * organisation's name, a tag, a file name): s without bidirectional
 * controls and without white space around it, in place. Returns where the
 * name starts in s. */
char *text_clean_name(char *s);
bool text_equal_ci(const char *a, const char *b);

#endif
