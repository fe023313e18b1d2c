/* body: a request body turned into fields — urlencoded forms and JSON
 * objects (multipart forms: http/multipart.h). */
#ifndef KRING_BODY_H
#define KRING_BODY_H

#include "http/req.h"

#include <stdbool.h>
#include <stddef.h>

/* Adds the fields of the application/x-www-form-urlencoded data[0..len) to
 * out, names and values decoded and allocated in a; pairs with an empty
 * name are skipped. False when an escape is malformed. */
bool body_parse_form(struct arena *a, const char *data, size_t len, struct params *out);

/* Adds the members of the JSON object data[0..len) to out, checking each
 * value against the kind the comma-separated route fields declare (see
 * struct route): text fields take strings, int fields integers, bool fields
 * booleans, list fields arrays of strings (or a comma-separated string);
 * null members are left out. A member the fields do not declare is added
 * with an empty value, to be refused with the other unknown fields. False
 * when data is not a JSON object, or, with *bad_key set to the member's
 * name, when a value has the wrong type. */
bool body_parse_json(struct arena *a, const char *data, size_t len, const char *fields,
		     struct params *out, const char **bad_key);

#endif
