/*
 * circles: small private groups where professionals consult each other
 * on real cases ("intervision"). A circle is a community of kind "circle"
 * (features/communities.h): always private, joined by invitation or on
 * request, with room for a limited number of members (active ones and
 * open invitations), a purpose, a cadence ("every two weeks for twelve
 * weeks") and a working form from the method book. Its cases
 * (features/cases.h) are taken through rounds. Nothing of a circle shows
 * outside it: as a private community, the policy keeps it from search,
 * tags, profiles, feeds, digests and notifications of non-members. The
 * circles table belongs here.
 */
#ifndef KRING_CIRCLES_H
#define KRING_CIRCLES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;
struct req;

#define CIRCLE_DEFAULT_LIMIT 8
#define CIRCLE_MAX_LIMIT 30

/* A circle's own fields, as routes list them (0 for no method). */
#define CIRCLE_FIELDS "member_limit:int,purpose,cadence,method:int"

/* What a circle's form gives. */
struct circle_input {
	int64_t member_limit;
	const char *purpose, *cadence;
	int64_t method_id; /* 0: none */
};

/* Reads and checks the circle's fields from the request; problems go on
 * model (req_field_error). community_id is the circle when editing (what
 * the request leaves out keeps its value; the limit cannot go below the
 * members it has), 0 for a new one. */
void circles_read(struct req *r, json_t *model, int64_t community_id, struct circle_input *in);
/* Stores (or replaces) them in the caller's transaction. */
bool circles_store(struct db *db, int64_t community_id, const struct circle_input *in);

/* Sets "circle" on a community's model: {"member_limit", "members",
 * "seats_left", "purpose", "purpose_html", "cadence", "method": {"id",
 * "title", "url"} or null}. */
void circles_fill(struct req *r, json_t *model, int64_t community_id);
/* The form's values of the fields, and the methods it offers
 * ("methods": [{"id", "title", "selected"}]) with the one chosen. */
void circles_form(struct req *r, json_t *model, const struct circle_input *in);

/* Whether the circle has room for one more member or invitation; true
 * for a community that is no circle. */
bool circles_has_room(struct db *db, int64_t community_id);

#endif
