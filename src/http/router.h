/* router: matches a method and path against the route table (routes.c). */
#ifndef KRING_ROUTER_H
#define KRING_ROUTER_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct req;

typedef json_t *(*route_handler)(struct req *r);

enum route_flags {
	/* Who may use the route at all is auth/policy.h's policy_route. */
	ROUTE_AUTH = 1 << 0,      /* a signed-in member */
	ROUTE_ADMIN = 1 << 2,     /* an admin */
	ROUTE_JSON = 1 << 3,      /* answers JSON only (for monitors) */
	ROUTE_SESSION = 1 << 4,   /* writes only sessions and secrets, which no
				     page kept in the cache shows */
	ROUTE_ACCOUNT = 1 << 5,   /* the member's own account: API tokens need
				     the account scope (auth/apitoken.h) */
	/* posts what a member's write limits count (features/writelimits.h) */
	ROUTE_LIMIT_ITEM = 1 << 6,
	ROUTE_LIMIT_ANSWER = 1 << 7,
	ROUTE_LIMIT_COMMENT = 1 << 8,
	/* takes the fields of every kind of item too (item_kind_fields) */
	ROUTE_KIND_FIELDS = 1 << 9,
	/* its address holds a secret (a reset link, a personal feed): the
	 * access log writes the route's pattern instead */
	ROUTE_SECRET_ADDRESS = 1 << 10,
	/* its address's secret is the whole authority, as in a mail's
	 * one-click unsubscribe link (RFC 8058): a POST needs no CSRF token,
	 * as mail programs send none. Set with ROUTE_SECRET_ADDRESS. */
	ROUTE_ONE_CLICK = 1 << 11,
};

struct route {
	const char *method;   /* "GET" (also answers HEAD) or "POST" */
	const char *pattern;  /* "/c/{slug}/join": {name} matches one segment */
	route_handler handler;
	unsigned flags;
	const char *template; /* page template for the HTML representation */
	const char *fields;   /* accepted query and body fields, comma-separated;
			       * "name:int", "name:bool" and "name:list" type
			       * JSON values (text is the default); "name:file"
			       * takes files of a multipart body; "name:people"
			       * a JSON array of handles and {"name": guest}
			       * (as the text form: one per line, "@handle") */
};

#define ROUTER_MAX_PARAMS 8

struct route_match {
	const struct route *route;
	int nparams;
	struct {
		const char *name;
		size_t name_len;
		const char *value; /* points into the path, value_len bytes */
		size_t value_len;
	} params[ROUTER_MAX_PARAMS];
	bool method_mismatch; /* the path exists for another method (405) */
	char allow[32];       /* then: the methods it takes, for the Allow header */
};

/* Finds the route for method and path in routes[0..n). Returns false when
 * none matches; match->method_mismatch tells 405 from 404. */
bool router_match(const struct route *routes, size_t n, const char *method,
		  const char *path, struct route_match *match);

enum field_kind { FIELD_UNKNOWN, FIELD_TEXT, FIELD_INT, FIELD_BOOL, FIELD_LIST, FIELD_FILE, FIELD_PEOPLE };

/* The kind of field name in a route's field list; FIELD_UNKNOWN when it is
 * not listed. */
enum field_kind router_field_kind(const char *fields, const char *name);
bool router_field_allowed(const char *fields, const char *name);

extern const struct route routes[];
extern const size_t routes_count;
/* The fields the kinds of item have of their own, comma-separated, which
 * routes flagged ROUTE_KIND_FIELDS take besides theirs. Defined with the
 * table of kinds (src/kinds.c), as routes[] is with the routes. */
const char *item_kind_fields(void);

#endif
