/*
 * profiles: members and organisations in the search index (migrations
 * 0014_search_people.sql), found with the same analysis as items
 * (search/analyze.h) but ranked simply: a match in the name first, then a
 * whole word elsewhere in the profile, then a part of a longer word; by
 * name within each (or by name or newest first alone, for the directory). A member is indexed with their name and handle, title,
 * expertise, "ask me about" and organisation; an organisation with its
 * name and description. Like the items' index it is derived data, read
 * from the tables of the modules that own it, rebuilt by `kring reindex`
 * and written again in the transaction of every change.
 */
#ifndef KRING_SEARCH_PROFILES_H
#define KRING_SEARCH_PROFILES_H

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct db;
struct search_query;
struct users_dir_filter;
struct users_dir_row;

/* Indexes the member as they now are (or takes them out when gone); inside
 * the caller's transaction. */
bool search_index_person(struct db *db, int64_t user_id);
/* Indexes the organisation and its members (whose profiles name it);
 * inside the caller's transaction. */
bool search_index_org(struct db *db, int64_t org_id);
/* Empties the people and organisations of the index and indexes them all
 * again; inside the caller's transaction. */
bool search_index_profiles(struct db *db);
/* Whether the index holds the profiles, or there are none: false in a
 * database migrated to 0014 that has members, until it is rebuilt. */
bool search_profiles_ready(struct db *db);

/* How search_people orders the members it finds. By name is the
 * directory's order: the lower-cased name (users_dir_row's key), then the
 * id. */
enum search_people_order {
	SEARCH_PEOPLE_BEST,   /* how well they match, then by name */
	SEARCH_PEOPLE_NAME,   /* by name */
	SEARCH_PEOPLE_NEWEST, /* newest first */
};

/* The active members that match the query (which has positive words) and
 * the filter's organisation, expertise tag and language (its order and
 * paging fields are not read): at most SEARCH_PROFILES_MAX into *rows (in
 * the arena), in the order asked for. How many, or -1 when the index
 * cannot be read. */
#define SEARCH_PROFILES_MAX 500
int search_people(struct db *db, struct arena *a, const struct search_query *p, const struct users_dir_filter *f,
		  enum search_people_order order, struct users_dir_row **rows);
/* The organisations that match the query, best first: at most
 * SEARCH_PROFILES_MAX ids into *ids (in the arena). How many, or -1. */
int search_orgs(struct db *db, struct arena *a, const struct search_query *p, int64_t **ids);

#endif
