/* static: the CSS, JavaScript and icons under static/, compiled into the
 * binary and served with an ETag and a year-long cache lifetime. */
#ifndef KRING_STATIC_H
#define KRING_STATIC_H

#include <stdbool.h>

struct req;

/* Computes the ETags once; call before serving. */
void static_init(void);
/* A short hash of all static files, added to their URLs (?v=) so browsers
 * fetch them again after an upgrade. */
const char *static_version(void);
/* Answers /static/<name>; false when there is no such file. */
bool static_serve(struct req *r, const char *name);

#endif
