/*
 * conduct: the site's code of conduct, the owner of the conduct_versions
 * and conduct_acceptances tables.
 *
 * Admins write it in Markdown at /admin/conduct; each save is a new
 * version with its number, time and author, and every version stays
 * readable (/conduct?version=N). /conduct shows the current one. Once
 * there is one, signing up takes accepting it (the form's `conduct`: the
 * number of the version read), and the acceptance is recorded with its
 * version. A signed-in member who has not accepted the current version
 * (a newer one was published) is asked to on every page, by a banner
 * that leads to /conduct, where POST /conduct/accept records it. Until an
 * admin writes one, signing up works without it.
 */
#ifndef KRING_CONDUCT_H
#define KRING_CONDUCT_H

#include "db/db.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct req;

/* The current version's number; 0 when none was written (or on a
 * database error). */
int64_t conduct_current(struct db *db);

/* The current version when the member has not accepted it, else 0: for
 * the banner on every page. */
int64_t conduct_to_accept(struct db *db, int64_t member);

/* For the sign-up form: adds {"conduct": {"version"}} to its model when
 * there is a code of conduct. */
void conduct_signup_fill(struct req *r, json_t *model);
/* Checks the sign-up's `conduct` field against the current version: the
 * version accepted, 0 when there is no code of conduct, -1 after a field
 * error on model. */
int64_t conduct_signup_check(struct req *r, json_t *model);
/* Records that the member accepted the version, in the caller's
 * transaction. False on a database error. */
DB_MUST_CHECK bool conduct_record(struct db *db, int64_t member, int64_t version, int64_t now);

/* Stores a new version (author 0: none) as the current one, in the
 * caller's transaction, into *number. False on a database error. */
DB_MUST_CHECK bool conduct_add(struct db *db, const char *body, int64_t author, int64_t now, int64_t *number);
/* Records that every account there is accepted the version (the
 * importer's `accepted`). False on a database error. */
DB_MUST_CHECK bool conduct_accepted_by_all(struct db *db, int64_t version, int64_t now);

/* GET /conduct (?version=N): {"version": {"number", "body_html",
 * "created_at", "author"}, "current", "accepted"}; without a code of
 * conduct {"none": true}. */
json_t *conduct_page(struct req *r);
/* POST /conduct/accept (`version`, optional: the one read): records the
 * viewer's acceptance of the current version; 409 `changed` when the
 * version read is no longer current, 404 when there is none. */
json_t *conduct_accept(struct req *r);
/* GET /admin/conduct: the current text in a form and every version. */
json_t *conduct_admin_page(struct req *r);
/* POST /admin/conduct (`body`, Markdown): publishes a new version; 201 +
 * {"number"}. */
json_t *conduct_publish(struct req *r);

#endif
