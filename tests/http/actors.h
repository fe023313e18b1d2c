/* actors: people using the site in the HTTP tests — visitors, members,
 * staff — with their sessions' CSRF tokens, and the steps tests share
 * (making a community, bringing someone in, asking). */
#ifndef KRING_TEST_ACTORS_H
#define KRING_TEST_ACTORS_H

#include "harness.h"

/* Someone using the site: a client with its session's CSRF token. */
struct actor {
	struct client *c;
	const char *handle;
	const char *csrf;        /* NULL when signed out */
	const char *csrf_header; /* "X-CSRF-Token: …" or NULL */
};

struct actor *actor_wrap(struct client *c, const char *handle);

/* A new member, signed in. */
struct actor *member(const struct server *s, const char *handle);

/* A new account made with `kring user add` (role_flag "--admin",
 * "--moderator" or NULL), signed in. */
struct actor *staff(const struct server *s, const char *handle, const char *role_flag);

struct actor *visitor(const struct server *s);

/* Signs the member in again (after their session lapsed, say), with a new
 * CSRF token. */
void actor_sign_in_again(struct actor *a);

struct response *aget(struct actor *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* POSTs a JSON body (taken) with the session's CSRF header. */
struct response *apost(struct actor *a, const char *path, json_t *body);

/* POSTs an HTML form with the session's CSRF token added. */
struct response *fpost(struct actor *a, const char *path, const char *const *fields);

int64_t jint(const struct response *r, const char *path);

/* Whether the array at path holds an object whose key equals the integer
 * or string value. */
bool list_has_id(const struct response *r, const char *path, int64_t id);

bool list_has_str(const struct response *r, const char *path, const char *key, const char *value);

/* The people most tests start from: root, an admin who posts without
 * limits, and the members ana, bo and eve, signed in; a NULL pointer
 * leaves that member out. */
void sign_up_cast(const struct server *s, struct actor **admin, struct actor **ana, struct actor **bo,
		  struct actor **eve);

/* The admin turns the posting limits off (every limit 0), for a test that
 * posts faster than a person would. */
void unlimited_posting(struct actor *admin);

/* Creates a community through the API as an admin (who hosts it). */
void make_community(struct actor *founder, const char *slug, const char *name,
		    const char *visibility, const char *policy);

/* The host invites the member, who accepts by joining. */
void bring_in(struct actor *host, const char *slug, struct actor *who);

void set_role(struct actor *host, const char *slug, const char *handle, const char *role);

/* Asks a question in a community; returns its id. */
int64_t ask(struct actor *a, const char *slug, const char *title, const char *body);

struct response *item_post(struct actor *a, int64_t id, const char *what, json_t *body);

/* ---- items and their JSON ---- */

/* POSTs an item (the body taken) to /api/v1/c/{slug}/items. */
struct response *post_item(struct actor *a, const char *slug, json_t *body);
/* Posts an item that must be stored as the kind; returns its id. */
int64_t new_item(struct actor *a, const char *kind, const char *slug, json_t *body);
struct response *get_item(struct actor *a, int64_t id);
/* POSTs an edit (the body taken) of the item. */
struct response *item_edit(struct actor *a, int64_t id, json_t *body);
/* How many versions the item's history lists. */
size_t revision_count(struct actor *a, int64_t id);

/* The size of the array at path. */
size_t jlen(const struct response *r, const char *path);
/* The value, or the string, at key of the i-th object of the array at path. */
json_t *jat(const struct response *r, const char *path, size_t i, const char *key);
const char *jat_str(const struct response *r, const char *path, size_t i, const char *key);
/* Whether the array of tags holds the tag. */
bool has_tag(json_t *tags, const char *tag);
/* The items (objects with "id") are exactly these ids, in this order. */
void assert_ids(json_t *items, const int64_t *want, size_t n);
/* 422 "invalid" with a message on the field in error.fields. */
#define assert_invalid_field(resp, field) invalid_field_at((resp), (field), __FILE__, __LINE__)
void invalid_field_at(const struct response *r, const char *field, const char *file, int line);
/* No active markup in rendered HTML: no script, image, frame or
 * javascript: address. what names it in the failure. */
void assert_inert(const struct response *r, const char *html, const char *what);
/* A string of n copies of the UTF-8 character ch (kept until the test ends). */
const char *repeat(const char *ch, size_t n);

/* Asserts the answer's status (and error code, when not NULL) and frees it. */
void expect_status(struct response *r, int status, const char *code);

/* The member's notifications of the kind, as the API lists them (held),
 * and how many there are. */
json_t *notifications_of_kind(struct actor *a, const char *kind);
size_t notified(struct actor *a, const char *kind);

/* Keeps v (taken) until held_release and returns it: values a test keeps
 * across assertions, so that a failed one leaks nothing. */
json_t *hold(json_t *v);
/* Releases what hold kept; for a test's teardown. */
void held_release(void);
/* server_teardown after held_release. */
int teardown_releasing(void **state);

/* What walking a list saw besides its items: how many items each page held
 * and the "next" cursor each gave (NULL on the last). */
#define WALK_PAGES_MAX 16
struct pages {
	int n;
	int sizes[WALK_PAGES_MAX];
	const char *next[WALK_PAGES_MAX];
};

/* GETs path, then path with the cursor of each page's "next" until it is
 * null. Returns every item in order (held). */
json_t *walk(struct actor *a, const char *path, struct pages *p);

/* Creates the file name in the server's directory for the lines of a
 * `kring import`; import_file_load closes it and imports it. */
FILE *import_file_open(const struct server *s, const char *name);
/* Closes f, made by import_file_open(s, name), and imports it into the
 * server's database (outside the server); fails the test when kring
 * import does. */
void import_file_load(const struct server *s, FILE *f, const char *name);

#endif
