/* import: loads a community from JSON Lines (see import.h). */
#include "import/import.h"

#include "auth/password.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/mem.h"
#include "core/grow.h"
#include "core/hash.h"
#include "core/text.h"
#include "db/db.h"
#include "features/ambassadors.h"
#include "features/conduct.h"
#include "features/counters.h"
#include "auth/users.h"
#include "features/circles.h"
#include "features/communities.h"
#include "features/experts.h"
#include "features/files.h"
#include "features/item_kind.h"
#include "features/moderation_log.h"
#include "features/orgs.h"
#include "features/pins.h"
#include "features/reports.h"
#include "features/tags.h"
#include "i18n/i18n.h"
#include "search/index.h"
#include "search/profiles.h"

#include <jansson.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define BATCH_LINES 1000

/* Names seen so far (handles, slugs, refs) and their ids. */
struct names {
	char **keys;
	int64_t *ids;
	size_t count, cap;
};

static void names_grow(struct names *n)
{
	size_t cap = n->cap ? n->cap * 2 : 256;
	char **keys = xcalloc(cap, sizeof(*keys));
	int64_t *ids = xcalloc(cap, sizeof(*ids));
	for (size_t i = 0; i < n->cap; i++) {
		if (!n->keys[i])
			continue;
		size_t j = hash_str(n->keys[i]) & (cap - 1);
		while (keys[j])
			j = (j + 1) & (cap - 1);
		keys[j] = n->keys[i];
		ids[j] = n->ids[i];
	}
	free(n->keys);
	free(n->ids);
	n->keys = keys;
	n->ids = ids;
	n->cap = cap;
}

static void names_put(struct names *n, const char *key, int64_t id)
{
	if ((n->count + 1) * 2 > n->cap)
		names_grow(n);
	size_t j = hash_str(key) & (n->cap - 1);
	while (n->keys[j] && strcmp(n->keys[j], key) != 0)
		j = (j + 1) & (n->cap - 1);
	if (!n->keys[j]) {
		n->keys[j] = xstrdup(key);
		n->count++;
	}
	n->ids[j] = id;
}

static int64_t names_get(const struct names *n, const char *key)
{
	if (!n->cap || !key)
		return 0;
	size_t j = hash_str(key) & (n->cap - 1);
	while (n->keys[j]) {
		if (strcmp(n->keys[j], key) == 0)
			return n->ids[j];
		j = (j + 1) & (n->cap - 1);
	}
	return 0;
}

static void names_free(struct names *n)
{
	for (size_t i = 0; i < n->cap; i++)
		free(n->keys[i]);
	free(n->keys);
	free(n->ids);
}

/* (community, person) pairs: the memberships this import made. Names are
 * defined only by earlier lines, so every community an author writes in
 * was created here and this set answers "is a member" without a query. */
struct pairs {
	int64_t (*keys)[2];
	size_t count, cap;
};

static size_t pair_slot(const struct pairs *s, int64_t a, int64_t b)
{
	uint64_t h = ((uint64_t)a * 0x9E3779B97F4A7C15u) ^ ((uint64_t)b * 0xC2B2AE3D27D4EB4Fu);
	size_t j = (size_t)(h >> 20) & (s->cap - 1);
	while (s->keys[j][0] && (s->keys[j][0] != a || s->keys[j][1] != b))
		j = (j + 1) & (s->cap - 1);
	return j;
}

static void pairs_add(struct pairs *s, int64_t a, int64_t b)
{
	if ((s->count + 1) * 2 > s->cap) {
		struct pairs grown = {.keys = xcalloc(s->cap ? s->cap * 2 : 1024, sizeof(*s->keys)),
				      .cap = s->cap ? s->cap * 2 : 1024};
		for (size_t i = 0; i < s->cap; i++)
			if (s->keys[i][0])
				pairs_add(&grown, s->keys[i][0], s->keys[i][1]);
		free(s->keys);
		*s = grown;
	}
	size_t j = pair_slot(s, a, b);
	if (!s->keys[j][0]) {
		s->keys[j][0] = a;
		s->keys[j][1] = b;
		s->count++;
	}
}

static bool pairs_has(const struct pairs *s, int64_t a, int64_t b)
{
	return s->cap && s->keys[pair_slot(s, a, b)][0];
}

/* What the import keeps of each item it stored, so that answers, comments
 * and reactions need not read it back. parent and pending are indices + 1
 * into importer.items and importer.pending; 0 for none. */
struct item_info {
	int64_t id, community, author;
	uint32_t parent, pending;
	char language[9]; /* 2 characters, up to 4 bytes each */
	const struct item_kind *kind;
};

/* Counters and activity of an item changed in the current batch, written
 * once per item when the batch ends rather than once per line. */
struct pending_item {
	uint32_t item;
	int64_t answers, comments, reactions, activity, accepted;
};

struct importer {
	struct db *db;
	const struct import_options *opt;
	struct import_counts *counts;
	/* refs map to indices + 1 into items */
	struct names orgs, people, communities, refs;
	struct pairs members;
	struct item_info *items;
	size_t nitems, cap_items;
	struct pending_item *pending;
	size_t npending, cap_pending;
	/* The id the batch's next item gets: the import holds the write lock
	 * for the batch, so it numbers its items itself rather than asking
	 * for each id back (see begin_batch). */
	int64_t next_item_id;
	char hash[PASSWORD_HASH_MAX];
	char error[300];
	struct arena line; /* what a line's kind keeps until the line is stored */
};

bool import_fail(struct importer *im, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(im->error, sizeof(im->error), fmt, ap);
	va_end(ap);
	return false;
}

/* A required string member, valid UTF-8 (jansson checks it) and within max
 * characters; NULL after import_fail() when missing or too long. */
static const char *str(struct importer *im, json_t *o, const char *key, size_t max, bool required)
{
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v)) {
		if (required)
			import_fail(im, "\"%s\" is missing", key);
		return required ? NULL : "";
	}
	if (!json_is_string(v)) {
		import_fail(im, "\"%s\" must be a string", key);
		return NULL;
	}
	const char *s = json_string_value(v);
	if (utf8_length(s) > max || !text_printable(s, true)) {
		import_fail(im, "\"%s\" is longer than %zu characters or holds control characters", key, max);
		return NULL;
	}
	return s;
}

/* A name or title as str() reads it, then made a clean name as the web
 * forms make it (text_clean_name); the line keeps the clean value. */
static const char *name_str(struct importer *im, json_t *o, const char *key, size_t max, bool required)
{
	const char *s = str(im, o, key, max, required);
	if (!s || !*s)
		return s;
	char *copy = xstrdup(s);
	json_object_set_new(o, key, json_string(text_clean_name(copy)));
	free(copy);
	return json_string_value(json_object_get(o, key));
}

/* ---- what the item kinds' import hooks read with (import.h) ------------ */

int64_t import_now(struct importer *im)
{
	return im->opt->now;
}

struct db *import_db(struct importer *im)
{
	return im->db;
}

const char *import_text(struct importer *im, json_t *o, const char *key, size_t max, bool required)
{
	return str(im, o, key, max, required);
}

const char *import_keep(struct importer *im, const char *text)
{
	return arena_strdup(&im->line, text ? text : "");
}

static struct names *defined(struct importer *im, enum import_defined which)
{
	return which == IMPORT_PEOPLE ? &im->people : which == IMPORT_ORGS ? &im->orgs : &im->refs;
}

int64_t import_defined(struct importer *im, enum import_defined which, const char *name)
{
	int64_t id = names_get(defined(im, which), name);
	/* refs map to indices + 1 into the items stored */
	return which == IMPORT_ITEMS && id ? im->items[id - 1].id : id;
}

bool import_defined_list(struct importer *im, json_t *o, const char *key, enum import_defined which, int64_t *ids,
			 int max, int *n)
{
	json_t *list = json_object_get(o, key), *v;
	size_t i;
	*n = 0;
	if (list && !json_is_array(list))
		return import_fail(im, "\"%s\" must be an array of strings", key);
	if (json_array_size(list) > (size_t)max)
		return import_fail(im, "\"%s\" has at most %d entries", key, max);
	json_array_foreach(list, i, v) {
		int64_t id = json_is_string(v) ? import_defined(im, which, json_string_value(v)) : 0;
		if (!id)
			return import_fail(im, "\"%s\" entry %zu is not defined above", key, i + 1);
		ids[(*n)++] = id;
	}
	return true;
}

static int64_t when(struct importer *im, json_t *o)
{
	json_t *at = json_object_get(o, "created_at");
	if (json_is_integer(at))
		return json_integer_value(at);
	json_t *ago = json_object_get(o, "days_ago");
	return im->opt->now - (json_is_number(ago) ? (int64_t)(json_number_value(ago) * 86400) : 0);
}

/* Tags the item and writes its tags as the revision records them: sorted,
 * each once, joined by ", " (what tags_of_item_text would read back). */
static bool set_tags(struct importer *im, int64_t item_id, json_t *tags, char *text, size_t textlen)
{
	size_t i;
	json_t *t;
	const char *names[TAGS_MAX];
	char norm[TAGS_MAX][4 * TAG_MAX_CHARS + 8];
	int n = 0;
	if (tags && !json_is_array(tags))
		return import_fail(im, "\"tags\" must be an array of strings");
	json_array_foreach(tags, i, t) {
		/* before norm[n] is written: there is no norm[TAGS_MAX] */
		if (n == TAGS_MAX)
			return import_fail(im, "at most %d tags", TAGS_MAX);
		if (!json_is_string(t) || !tag_normalise(json_string_value(t), norm[n], sizeof(norm[n])))
			return import_fail(im, "tag %zu is not a valid tag", i + 1);
		names[n] = norm[n];
		n++;
	}
	if (!tags_set_for_item(im->db, item_id, names, n))
		return import_fail(im, "cannot store the tags");
	const char *sorted[TAGS_MAX];
	int m = 0;
	for (int k = 0; k < n; k++) {
		int at = 0;
		while (at < m && strcmp(sorted[at], names[k]) < 0)
			at++;
		if (at < m && strcmp(sorted[at], names[k]) == 0)
			continue;
		memmove(sorted + at + 1, sorted + at, (size_t)(m - at) * sizeof(*sorted));
		sorted[at] = names[k];
		m++;
	}
	size_t used = 0;
	text[0] = '\0';
	for (int k = 0; k < m; k++)
		used += (size_t)snprintf(text + used, textlen - used, "%s%s", k ? ", " : "", sorted[k]);
	return true;
}

static bool import_org(struct importer *im, json_t *o)
{
	const char *slug = str(im, o, "slug", 64, true), *name = slug ? name_str(im, o, "name", 100, true) : NULL;
	const char *description = name ? str(im, o, "description", 5000, false) : NULL;
	const char *website = description ? str(im, o, "website", 300, false) : NULL;
	if (!website)
		return false;
	/* The rules of the web forms hold for imported data too. */
	char *url = xstrdup(website);
	const char *problem = orgs_slug_problem(slug);
	if (!problem)
		problem = orgs_website_problem(url);
	free(url);
	if (problem)
		return import_fail(im, "%s", problem);
	int64_t id = db_scalar_int(im->db, 0, "INSERT INTO orgs (slug, name, description, website, created_at, updated_at)"
					      " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
				   DB_ARGS(db_text(slug), db_text(name), db_text(description), db_text(website),
					   db_int(im->opt->now), db_int(im->opt->now)));
	if (!id)
		return import_fail(im, "organisation \"%s\" exists already", slug);
	names_put(&im->orgs, slug, id);
	im->counts->orgs++;
	return true;
}

static bool import_person(struct importer *im, json_t *o)
{
	const char *handle = str(im, o, "handle", 32, true);
	const char *name = handle ? name_str(im, o, "name", 100, true) : NULL;
	const char *email = name ? str(im, o, "email", 254, true) : NULL;
	const char *role = email ? str(im, o, "role", 20, false) : NULL;
	if (!role)
		return false;
	if (!*role)
		role = "member";
	const char *problem = users_handle_problem(handle);
	if (!problem)
		problem = users_name_problem(name);
	if (!problem)
		problem = users_email_problem(email);
	if (problem)
		return import_fail(im, "%s", problem);
	const char *fields[] = {"title", "bio", "ask_me_about", "location"};
	const size_t limits[] = {100, 5000, 300, 100};
	const char *values[4];
	/* the role or title is a name shown next to the person's */
	if (!(values[0] = name_str(im, o, fields[0], limits[0], false)))
		return false;
	for (int i = 1; i < 4; i++)
		if (!(values[i] = str(im, o, fields[i], limits[i], false)))
			return false;
	int64_t org = 0;
	const char *org_slug = str(im, o, "org", 64, false);
	if (org_slug && *org_slug && !(org = names_get(&im->orgs, org_slug)))
		return import_fail(im, "organisation \"%s\" is not defined above", org_slug);
	struct buf langs = {0};
	size_t i;
	json_t *l;
	json_array_foreach(json_object_get(o, "languages"), i, l) {
		if (!json_is_string(l) || strlen(json_string_value(l)) > 3) {
			buf_free(&langs);
			return import_fail(im, "languages are codes such as \"sv\"");
		}
		if (i)
			buf_putc(&langs, ',');
		buf_puts(&langs, json_string_value(l));
	}
	const char *hash = im->hash;
	char own[PASSWORD_HASH_MAX];
	const char *password = str(im, o, "password", PASSWORD_MAX_BYTES, false);
	if (password && *password) {
		if (!password_hash(password, own)) {
			buf_free(&langs);
			return import_fail(im, "cannot hash the password");
		}
		hash = own;
	}
	int64_t id = db_scalar_int(im->db, 0,
		"INSERT INTO users (handle, name, email, password_hash, role, created_at, org_id, title, bio,"
		" ask_me_about, location, languages) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		DB_ARGS(db_text(handle), db_text(name), db_text(email), db_text(hash), db_text(role),
			db_int(im->opt->now), org ? db_int(org) : db_null(), db_text(values[0]), db_text(values[1]),
			db_text(values[2]), db_text(values[3]), db_text(langs.data ? langs.data : "")));
	buf_free(&langs);
	if (!id)
		return import_fail(im, "person \"%s\" could not be added (handle or e-mail taken, or a bad role)", handle);
	json_t *e;
	json_array_foreach(json_object_get(o, "expertise"), i, e) {
		char norm[4 * TAG_MAX_CHARS + 8];
		const char *tag = json_string_value(json_object_get(e, "tag"));
		const char *level = json_string_value(json_object_get(e, "level"));
		if (!tag || !level || !tag_normalise(tag, norm, sizeof(norm)))
			return import_fail(im, "expertise %zu needs a valid \"tag\" and a \"level\"", i + 1);
		if (db_exec(im->db, "INSERT INTO expertise (user_id, tag_id, level) VALUES (?, ?, ?)",
			    DB_ARGS(db_int(id), db_int(tags_ensure(im->db, norm)), db_text(level))) != 1)
			return import_fail(im, "expertise level must be learning, practising or expert");
	}
	names_put(&im->people, handle, id);
	im->counts->people++;
	return true;
}

static bool add_members(struct importer *im, int64_t community, json_t *list, const char *role)
{
	size_t i;
	json_t *h;
	json_array_foreach(list, i, h) {
		int64_t user = names_get(&im->people, json_string_value(h));
		if (!user)
			return import_fail(im, "%s %zu is not a person defined above", role, i + 1);
		if (db_exec(im->db, "INSERT INTO memberships (community_id, user_id, role, state, created_at)"
				    " VALUES (?, ?, ?, 'active', ?) ON CONFLICT DO NOTHING",
			    DB_ARGS(db_int(community), db_int(user), db_text(role), db_int(im->opt->now))) < 0)
			return import_fail(im, "the membership could not be stored");
		pairs_add(&im->members, community, user);
	}
	return true;
}

static bool import_community(struct importer *im, json_t *o)
{
	const char *slug = str(im, o, "slug", 64, true), *name = slug ? name_str(im, o, "name", 100, true) : NULL;
	const char *description = name ? str(im, o, "description", 5000, false) : NULL;
	const char *visibility = description ? str(im, o, "visibility", 10, true) : NULL;
	const char *policy = visibility ? str(im, o, "join_policy", 10, true) : NULL;
	const char *language = policy ? str(im, o, "language", 2, false) : NULL;
	const char *kind = language ? str(im, o, "kind", 10, false) : NULL;
	if (!kind)
		return false;
	const char *problem = communities_slug_problem(slug);
	if (problem)
		return import_fail(im, "%s", problem);
	bool circle = strcmp(kind, "circle") == 0;
	if (*kind && !circle && strcmp(kind, "community") != 0)
		return import_fail(im, "kind \"%s\" is neither community nor circle", kind);
	if (circle && strcmp(visibility, "private") != 0)
		return import_fail(im, "a circle is private");
	int64_t id = db_scalar_int(im->db, 0,
		"INSERT INTO communities (slug, name, description, kind, visibility, join_policy, language, created_at,"
		" updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		DB_ARGS(db_text(slug), db_text(name), db_text(description), db_text(circle ? "circle" : "community"),
			db_text(visibility), db_text(policy), db_text(*language ? language : "en"),
			db_int(im->opt->now), db_int(im->opt->now)));
	if (!id)
		return import_fail(im, "community \"%s\" exists, or its visibility, join_policy or language is unknown", slug);
	if (circle) {
		json_t *c = json_object_get(o, "circle");
		json_t *limit = json_object_get(c, "member_limit");
		struct circle_input in = {
			.member_limit = json_is_integer(limit) ? json_integer_value(limit) : CIRCLE_DEFAULT_LIMIT,
			.purpose = c ? str(im, c, "purpose", 1000, true) : NULL,
			.cadence = c ? str(im, c, "cadence", 200, false) : "",
		};
		if (!in.purpose || !in.cadence)
			return import_fail(im, "a circle has \"circle\": {\"purpose\", …}");
		if (in.member_limit < 2 || in.member_limit > CIRCLE_MAX_LIMIT)
			return import_fail(im, "a circle's member_limit is 2 to 30");
		if (!circles_store(im->db, id, &in))
			return import_fail(im, "the circle could not be stored");
	}
	names_put(&im->communities, slug, id);
	im->counts->communities++;
	if (!add_members(im, id, json_object_get(o, "hosts"), "host") ||
	    !add_members(im, id, json_object_get(o, "members"), "member"))
		return false;
	/* Its ambassadors are among its members (features/ambassadors.h). */
	size_t i;
	json_t *h;
	json_array_foreach(json_object_get(o, "ambassadors"), i, h) {
		int64_t user = names_get(&im->people, json_string_value(h));
		if (!user || !pairs_has(&im->members, id, user))
			return import_fail(im, "ambassador %zu is not a member of the community", i + 1);
		if (!ambassadors_store(im->db, id, user, im->opt->now))
			return import_fail(im, "the ambassador could not be stored");
	}
	if (json_is_true(json_object_get(o, "public_moderation_log")) &&
	    !moderation_log_store(im->db, id, im->opt->now))
		return import_fail(im, "the moderation log's setting could not be stored");
	return true;
}

/* Inserts one item row and remembers it under ref; the caller has checked
 * what it needs. Returns its index + 1 into im->items, or 0. */
static uint32_t insert_item(struct importer *im, const char *ref, const struct item_kind *kind, int64_t community,
			    int64_t author, uint32_t parent, const char *title, const char *body,
			    const char *language, int64_t needed_by, int64_t at)
{
	int64_t id = im->next_item_id;
	if (db_exec(im->db,
		    "INSERT INTO items (id, kind, community_id, author_id, org_id, parent_id, title, body, language,"
		    " needed_by, created_at, activity_at) VALUES (?, ?, ?, ?, (SELECT org_id FROM users WHERE id = ?),"
		    " ?, ?, ?, ?, ?, ?, ?)",
		    DB_ARGS(db_int(id), db_text(kind->name), community ? db_int(community) : db_null(), db_int(author),
			    db_int(author), parent ? db_int(im->items[parent - 1].id) : db_null(), db_text(title),
			    db_text(body), db_text(language), needed_by ? db_int(needed_by) : db_null(), db_int(at),
			    db_int(at))) != 1)
		return 0;
	im->next_item_id++;
	GROW(im->items, im->nitems, im->cap_items);
	struct item_info *it = &im->items[im->nitems++];
	*it = (struct item_info){.id = id, .community = community, .author = author, .parent = parent,
				 .kind = kind};
	snprintf(it->language, sizeof(it->language), "%s", language);
	names_put(&im->refs, ref, (int64_t)im->nitems);
	return (uint32_t)im->nitems;
}

/* The first version of an item's text, with its tags as text. */
static bool add_revision(struct importer *im, int64_t item, int64_t author, const char *title, const char *body,
			 const char *tags, const char *fields, int64_t at)
{
	if (db_exec(im->db, "INSERT INTO item_revisions (item_id, editor_id, title, body, tags, fields, created_at)"
			    " VALUES (?, ?, ?, ?, ?, ?, ?)",
		    DB_ARGS(db_int(item), db_int(author), db_text(title), db_text(body), db_text(tags), db_text(fields),
			    db_int(at))) != 1)
		return import_fail(im, "the revision could not be stored");
	return true;
}

/* The pending changes of item (an index + 1), begun when it has none. */
static struct pending_item *pending(struct importer *im, uint32_t item)
{
	struct item_info *it = &im->items[item - 1];
	if (!it->pending) {
		GROW(im->pending, im->npending, im->cap_pending);
		im->pending[im->npending++] = (struct pending_item){.item = item, .activity = INT64_MIN};
		it->pending = (uint32_t)im->npending;
	}
	return &im->pending[it->pending - 1];
}

static void touch(struct importer *im, uint32_t item, int64_t at)
{
	struct pending_item *p = pending(im, item);
	if (at > p->activity)
		p->activity = at;
}

/* Writes the batch's counters and activity times, one update per item.
 * A column is set only when the batch changed it: SQLite then leaves the
 * indexes on the others (activity, reactions) as they are. */
#define SET_COUNTS "UPDATE items SET answer_count = answer_count + ?, comment_count = comment_count + ?," \
		   " accepted_answer_id = COALESCE(?, accepted_answer_id)"
#define SET_REACTIONS ", reaction_count = reaction_count + ?"
#define SET_ACTIVITY ", activity_at = CASE WHEN activity_at > ? THEN activity_at ELSE ? END"
static bool write_pending(struct importer *im)
{
	static const char *const update[2][2] = {
		{SET_COUNTS " WHERE id = ?", SET_COUNTS SET_ACTIVITY " WHERE id = ?"},
		{SET_COUNTS SET_REACTIONS " WHERE id = ?", SET_COUNTS SET_REACTIONS SET_ACTIVITY " WHERE id = ?"},
	};
	bool ok = true;
	for (size_t i = 0; i < im->npending && ok; i++) {
		const struct pending_item *p = &im->pending[i];
		bool reacted = p->reactions != 0, touched = p->activity != INT64_MIN;
		struct db_value args[7] = {db_int(p->answers), db_int(p->comments),
					   p->accepted ? db_int(p->accepted) : db_null()};
		size_t n = 3;
		if (reacted)
			args[n++] = db_int(p->reactions);
		if (touched) {
			args[n++] = db_int(p->activity);
			args[n++] = db_int(p->activity);
		}
		args[n++] = db_int(im->items[p->item - 1].id);
		ok = db_exec(im->db, update[reacted][touched], args, n) == 1;
	}
	for (size_t i = 0; i < im->npending; i++)
		im->items[im->pending[i].item - 1].pending = 0;
	im->npending = 0;
	return ok;
}

static int64_t member_author(struct importer *im, json_t *o, int64_t community)
{
	const char *handle = json_string_value(json_object_get(o, "author"));
	int64_t author = names_get(&im->people, handle);
	if (!author) {
		import_fail(im, "author \"%s\" is not a person defined above", handle ? handle : "");
		return 0;
	}
	if (community && !pairs_has(&im->members, community, author)) {
		import_fail(im, "author \"%s\" is not a member of the community", handle);
		return 0;
	}
	return author;
}

/* The ref of a new item or answer; NULL after fail when missing or taken:
 * a ref names one item for the whole file. */
static const char *new_ref(struct importer *im, json_t *o)
{
	const char *ref = str(im, o, "ref", 64, true);
	if (ref && names_get(&im->refs, ref)) {
		import_fail(im, "ref \"%s\" is defined above already", ref);
		return NULL;
	}
	return ref;
}

/* The kind's own fields of an item line, stored; *fields gets them as the
 * revision records them (the caller frees it). */
static bool import_own(struct importer *im, const struct item_kind *kind, json_t *o, int64_t id, char **fields)
{
	if (!kind->import)
		return true;
	void *input = arena_zalloc(&im->line, kind->input_size);
	if (!kind->import(im, o, id, input))
		return false;
	if (!kind->store(im->db, id, input))
		return import_fail(im, "the %s could not be stored", kind->name);
	json_t *j = kind->history(im->db, input);
	*fields = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	return true;
}

static bool import_item(struct importer *im, json_t *o)
{
	const char *ref = new_ref(im, o), *name = ref ? str(im, o, "kind", 20, true) : NULL;
	if (!name)
		return false;
	const struct item_kind *kind = item_kind_find(name);
	if (!kind || !(kind->places & (KIND_IN_COMMUNITY | KIND_ON_PROFILE)))
		return import_fail(im, "kind \"%s\" cannot be imported; use question, update, article or method", name);
	const char *slug = json_string_value(json_object_get(o, "community"));
	int64_t community = slug ? names_get(&im->communities, slug) : 0;
	if (slug && !community)
		return import_fail(im, "community \"%s\" is not defined above", slug);
	if (kind->circle_only && !db_exists(im->db, "SELECT 1 FROM communities WHERE id = ? AND kind = 'circle'",
					    DB_ARGS(db_int(community))))
		return import_fail(im, "a %s belongs in a circle", name);
	int64_t author = member_author(im, o, community);
	bool titled = kind->title_missing != NULL;
	const char *title = author ? name_str(im, o, "title", 200, titled) : NULL;
	/* An article's summary, a method's purpose: the body. */
	const char *body = title ? str(im, o, kind->body_field, kind->body_max, kind->body_missing != NULL) : NULL;
	if (body && kind->body_missing && !*body)
		return import_fail(im, "\"%s\" is empty", kind->body_field);
	const char *language = body ? str(im, o, "language", 2, false) : NULL;
	if (!language)
		return false;
	json_t *needed = json_object_get(o, "needed_by_days");
	/* A deadline is a date: midnight UTC of the day it falls on. */
	int64_t needed_by = 0;
	if (kind->has_deadline && json_is_number(needed)) {
		needed_by = im->opt->now + (int64_t)(json_number_value(needed) * 86400);
		needed_by -= needed_by % 86400;
	}
	int64_t at = when(im, o);
	if (!titled)
		title = "";
	uint32_t item = insert_item(im, ref, kind, community, author, 0, title, body, *language ? language : "en",
				    needed_by, at);
	if (!item)
		return import_fail(im, "the item could not be stored");
	char tags[TAGS_MAX * (4 * TAG_MAX_CHARS + 8)];
	int64_t id = im->items[item - 1].id;
	if (!set_tags(im, id, json_object_get(o, "tags"), tags, sizeof(tags)))
		return false;
	char *fields = NULL;
	if (!import_own(im, kind, o, id, &fields))
		return false;
	bool stored = add_revision(im, id, author, title, body, tags, fields ? fields : "", at);
	json_text_free(fields);
	if (!stored)
		return false;
	/* "Start here" on its community's page, in the order of the file
	 * (features/pins.h). */
	if (json_is_true(json_object_get(o, "pinned"))) {
		if (!community)
			return import_fail(im, "only a post in a community can be pinned");
		if (!pins_store(im->db, community, id, im->opt->now))
			return import_fail(im, "the pin could not be stored");
	}
	im->counts->items++;
	return true;
}

static bool import_answer(struct importer *im, json_t *o)
{
	const char *ref = new_ref(im, o), *question_ref = ref ? str(im, o, "question", 64, true) : NULL;
	if (!question_ref)
		return false;
	uint32_t question = (uint32_t)names_get(&im->refs, question_ref);
	if (!question)
		return import_fail(im, "question \"%s\" is not defined above", question_ref);
	if (!im->items[question - 1].kind->answered)
		return import_fail(im, "\"%s\" is not a question", question_ref);
	int64_t community = im->items[question - 1].community;
	int64_t author = member_author(im, o, community);
	const char *body = author ? str(im, o, "body", 20000, true) : NULL;
	if (!body || !*body)
		return body ? import_fail(im, "\"body\" is empty") : false;
	int64_t at = when(im, o);
	char language[sizeof(im->items->language)];
	memcpy(language, im->items[question - 1].language, sizeof(language));
	uint32_t answer = insert_item(im, ref, item_kind_find("answer"), community, author, question, "", body, language,
				      0, at);
	if (!answer)
		return import_fail(im, "the answer could not be stored");
	if (!add_revision(im, im->items[answer - 1].id, author, "", body, "", "", at))
		return false;
	struct pending_item *q = pending(im, question);
	q->answers++;
	if (json_is_true(json_object_get(o, "accepted")))
		q->accepted = im->items[answer - 1].id;
	touch(im, question, at);
	im->counts->answers++;
	return true;
}

/* The item a comment or reaction is on (an index + 1 into im->items). */
static uint32_t target(struct importer *im, json_t *o)
{
	const char *on = json_string_value(json_object_get(o, "on"));
	uint32_t item = (uint32_t)names_get(&im->refs, on);
	if (!item)
		import_fail(im, "\"on\": \"%s\" is not a ref defined above", on ? on : "");
	return item;
}

/* A report on the comment, open in the review queue (features/reports.h):
 * {"by": a handle, "reason", "note"}. */
static bool import_comment_report(struct importer *im, json_t *r, int64_t comment, uint32_t item, int64_t author,
				  int64_t at)
{
	const char *by = json_string_value(json_object_get(r, "by"));
	const char *reason = json_string_value(json_object_get(r, "reason"));
	const char *note = json_string_value(json_object_get(r, "note"));
	int64_t reporter = names_get(&im->people, by);
	if (!reporter || reporter == author)
		return import_fail(im, "\"report\": \"by\" is a person defined above, not the comment's author");
	if (!reports_import(im->db, reporter, "comment", comment, im->items[item - 1].community, author, reason,
			    note ? note : "", at + 600))
		return import_fail(im, "\"report\": \"reason\" is one of " REPORT_REASONS);
	return true;
}

static bool import_comment(struct importer *im, json_t *o)
{
	uint32_t item = target(im, o);
	int64_t author = item ? member_author(im, o, im->items[item - 1].community) : 0;
	const char *body = author ? str(im, o, "body", 2000, true) : NULL;
	if (!body)
		return false;
	int64_t at = when(im, o);
	int64_t id = db_scalar_int(im->db, 0,
				   "INSERT INTO comments (item_id, author_id, body, created_at) VALUES (?, ?, ?, ?)"
				   " RETURNING id",
				   DB_ARGS(db_int(im->items[item - 1].id), db_int(author), db_text(body), db_int(at)));
	if (id <= 0)
		return import_fail(im, "the comment could not be stored");
	const struct item_kind *kind = im->items[item - 1].kind;
	if (kind->import_comment) {
		if (!kind->import_comment(im, o, im->items[item - 1].id, id))
			return false;
	} else if (json_object_get(o, "round")) {
		return import_fail(im, "\"round\" is for a comment on a case");
	}
	if (json_object_get(o, "report") && !import_comment_report(im, json_object_get(o, "report"), id, item, author, at))
		return false;
	pending(im, item)->comments++;
	touch(im, item, at);
	/* A comment on an answer is activity on its question too. */
	if (im->items[item - 1].parent)
		touch(im, im->items[item - 1].parent, at);
	im->counts->comments++;
	return true;
}

static bool import_reaction(struct importer *im, json_t *o)
{
	uint32_t item = target(im, o);
	int64_t author = item ? member_author(im, o, im->items[item - 1].community) : 0;
	const char *kind = author ? str(im, o, "kind", 12, true) : NULL;
	if (!kind)
		return false;
	int64_t added = db_exec(im->db, "INSERT INTO reactions (item_id, user_id, kind, created_at) VALUES (?, ?, ?, ?)"
					" ON CONFLICT DO NOTHING",
				DB_ARGS(db_int(im->items[item - 1].id), db_int(author), db_text(kind),
					db_int(when(im, o))));
	if (added < 0)
		return import_fail(im, "a reaction is like, thanks or insightful");
	pending(im, item)->reactions += added;
	im->counts->reactions += added;
	return true;
}

/* The method a use or variation is on (an index + 1), with its author. */
static uint32_t method_target(struct importer *im, json_t *o, int64_t *author)
{
	uint32_t item = target(im, o);
	if (item && strcmp(im->items[item - 1].kind->name, "method") != 0) {
		import_fail(im, "\"on\" is not a method");
		return 0;
	}
	*author = item ? member_author(im, o, im->items[item - 1].community) : 0;
	return *author ? item : 0;
}

static bool import_use(struct importer *im, json_t *o)
{
	int64_t author;
	uint32_t item = method_target(im, o, &author);
	const char *note = item ? str(im, o, "note", 500, false) : NULL;
	if (!note)
		return false;
	return db_exec(im->db, "INSERT INTO method_uses (method_id, user_id, note, created_at) VALUES (?, ?, ?, ?)"
			       " ON CONFLICT (method_id, user_id) DO UPDATE SET note = excluded.note",
		       DB_ARGS(db_int(im->items[item - 1].id), db_int(author), db_text(note), db_int(when(im, o)))) == 1
		       ? true : import_fail(im, "the use could not be stored");
}

static bool import_variation(struct importer *im, json_t *o)
{
	int64_t author;
	uint32_t item = method_target(im, o, &author);
	const char *title = item ? name_str(im, o, "title", 200, true) : NULL;
	const char *body = title ? str(im, o, "body", 5000, true) : NULL;
	if (!body)
		return false;
	if (!*title || !*body)
		return import_fail(im, "a variation has a title and a body");
	return db_exec(im->db, "INSERT INTO method_variations (method_id, author_id, title, body, created_at)"
			       " VALUES (?, ?, ?, ?, ?)",
		       DB_ARGS(db_int(im->items[item - 1].id), db_int(author), db_text(title), db_text(body),
			       db_int(when(im, o)))) == 1
		       ? true : import_fail(im, "the variation could not be stored");
}

/* A file attached to an item (its bytes in base64), checked as uploads are. */
static bool import_file(struct importer *im, json_t *o)
{
	uint32_t item = target(im, o);
	if (!item)
		return false;
	if (im->items[item - 1].parent)
		return import_fail(im, "answers have no attachments");
	const char *name = str(im, o, "name", 200, true);
	const char *b64 = name ? str(im, o, "base64", SIZE_MAX, true) : NULL;
	if (!b64)
		return false;
	size_t cap = strlen(b64) / 4 * 3 + 3, len = 0;
	unsigned char *bytes = xmalloc(cap);
	struct arena a = {0};
	struct file_input f;
	bool ok = sodium_base642bin(bytes, cap, b64, strlen(b64), " \n", &len, NULL,
				    sodium_base64_VARIANT_ORIGINAL) == 0;
	const char *problem = ok ? files_check(&a, LOCALE_EN, name, (const char *)bytes, len, &f) : "not valid base64";
	if (problem)
		ok = import_fail(im, "file \"%s\": %s", name, problem);
	else if (!files_store_one(im->db, im->items[item - 1].id, im->items[item - 1].author, when(im, o), &f))
		ok = import_fail(im, "the file could not be stored");
	free(bytes);
	arena_reset(&a);
	return ok;
}

/* The id of a tag on an earlier item, for expert and verification lines;
 * 0 after fail. */
static int64_t known_tag(struct importer *im, json_t *o)
{
	const char *name = str(im, o, "tag", TAG_MAX_CHARS, true);
	int64_t id = name ? tags_find(im->db, name) : 0;
	if (name && !id)
		import_fail(im, "tag \"%s\" is on no item above", name);
	return id;
}

static bool import_expert(struct importer *im, json_t *o)
{
	const char *handle = json_string_value(json_object_get(o, "person"));
	int64_t person = names_get(&im->people, handle);
	if (!person)
		return import_fail(im, "person \"%s\" is not defined above", handle ? handle : "");
	int64_t tag = known_tag(im, o);
	if (!tag)
		return false;
	return db_exec(im->db, "INSERT INTO tag_experts (tag_id, user_id, via, created_at) VALUES (?, ?, 'admin', ?)"
			       " ON CONFLICT (tag_id, user_id) DO NOTHING",
		       DB_ARGS(db_int(tag), db_int(person), db_int(when(im, o)))) >= 0
		       ? true : import_fail(im, "the expert could not be stored");
}

/* A verification by an expert (an expert line above) in one of the
 * item's tags (its question's, for an answer). */
static bool import_verification(struct importer *im, json_t *o)
{
	uint32_t item = target(im, o);
	int64_t tag = item ? known_tag(im, o) : 0;
	if (!tag)
		return false;
	const struct item_info *it = &im->items[item - 1];
	const char *handle = json_string_value(json_object_get(o, "verifier"));
	int64_t verifier = names_get(&im->people, handle);
	const char *note = str(im, o, "note", 500, false);
	if (!note)
		return false;
	int64_t tagged = it->parent ? im->items[it->parent - 1].id : it->id;
	if (!db_exists(im->db, "SELECT 1 FROM items WHERE id = ? AND kind IN ('article', 'method', 'answer')",
		       DB_ARGS(db_int(it->id))))
		return import_fail(im, "experts verify articles, methods and answers");
	if (!db_exists(im->db, "SELECT 1 FROM item_tags WHERE item_id = ? AND tag_id = ?",
		       DB_ARGS(db_int(tagged), db_int(tag))))
		return import_fail(im, "the item does not have the tag");
	if (!verifier || verifier == it->author ||
	    !db_exists(im->db, "SELECT 1 FROM tag_experts WHERE tag_id = ? AND user_id = ?",
		       DB_ARGS(db_int(tag), db_int(verifier))))
		return import_fail(im, "verifier \"%s\" is not an expert in the tag (or wrote the item)", handle ? handle : "");
	int64_t at = when(im, o);
	/* An edit after the verification is dated at the import. */
	bool edited = json_is_true(json_object_get(o, "edited_after"));
	return db_exec(im->db, "INSERT INTO verifications (item_id, verifier_id, tag_id, note, verified_at, expires_at,"
			       " edited_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
		       DB_ARGS(db_int(it->id), db_int(verifier), db_int(tag), db_text(note), db_int(at),
			       db_int(experts_expiry(im->db, at)), edited ? db_int(im->opt->now) : db_null())) == 1
		       ? true : import_fail(im, "the verification could not be stored");
}

/* A version of the code of conduct (features/conduct.h), accepted by
 * every person above when `accepted` is true. */
static bool import_conduct(struct importer *im, json_t *o)
{
	const char *body = str(im, o, "body", 50000, true);
	if (!body)
		return false;
	const char *handle = json_string_value(json_object_get(o, "author"));
	int64_t author = handle ? names_get(&im->people, handle) : 0;
	if (handle && !author)
		return import_fail(im, "person \"%s\" is not defined above", handle);
	int64_t at = when(im, o), number;
	if (!conduct_add(im->db, body, author, at, &number) ||
	    (json_is_true(json_object_get(o, "accepted")) && !conduct_accepted_by_all(im->db, number, at)))
		return import_fail(im, "the code of conduct could not be stored");
	return true;
}

static bool import_line(struct importer *im, const char *line, size_t len)
{
	json_error_t jerr;
	json_t *o = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(o)) {
		json_decref(o);
		return import_fail(im, "not a JSON object (%s)", o ? "another JSON value" : jerr.text);
	}
	const char *type = json_string_value(json_object_get(o, "type"));
	bool ok;
	if (!type)
		ok = import_fail(im, "\"type\" is missing");
	else if (strcmp(type, "org") == 0)
		ok = import_org(im, o);
	else if (strcmp(type, "person") == 0)
		ok = import_person(im, o);
	else if (strcmp(type, "community") == 0)
		ok = import_community(im, o);
	else if (strcmp(type, "item") == 0)
		ok = import_item(im, o);
	else if (strcmp(type, "answer") == 0)
		ok = import_answer(im, o);
	else if (strcmp(type, "comment") == 0)
		ok = import_comment(im, o);
	else if (strcmp(type, "reaction") == 0)
		ok = import_reaction(im, o);
	else if (strcmp(type, "use") == 0)
		ok = import_use(im, o);
	else if (strcmp(type, "variation") == 0)
		ok = import_variation(im, o);
	else if (strcmp(type, "file") == 0)
		ok = import_file(im, o);
	else if (strcmp(type, "expert") == 0)
		ok = import_expert(im, o);
	else if (strcmp(type, "verification") == 0)
		ok = import_verification(im, o);
	else if (strcmp(type, "conduct") == 0)
		ok = import_conduct(im, o);
	else
		ok = import_fail(im, "unknown type \"%s\"", type);
	json_decref(o);
	arena_reset(&im->line);
	return ok;
}

/* Indexes every item and answer the import wrote, for search, and the
 * people and organisations again (all of them: they are few), and counts
 * every community's members again. */
static bool index_imported(struct importer *im)
{
	int64_t *ids = xmalloc((im->nitems + 1) * sizeof(*ids));
	for (size_t i = 0; i < im->nitems; i++)
		ids[i] = im->items[i].id;
	bool ok = search_index_items(im->db, ids, im->nitems);
	free(ids);
	if (!ok || !db_begin(im->db))
		return false;
	if (!search_index_profiles(im->db) || !counters_members_all(im->db) || !db_commit(im->db)) {
		db_rollback(im->db);
		return false;
	}
	return true;
}

/* Begins a batch: its transaction, and the id its first item gets. */
static bool begin_batch(struct importer *im)
{
	if (!db_begin(im->db))
		return false;
	im->next_item_id = db_scalar_int(im->db, -1, "SELECT COALESCE(MAX(id), 0) + 1 FROM items", DB_NOARGS);
	if (im->next_item_id > 0)
		return true;
	db_rollback(im->db);
	return false;
}

/* Ends a batch: its counters, the ids generated after its items, then the
 * commit; all or nothing. */
static bool end_batch(struct importer *im)
{
	if (write_pending(im) && db_sync_ids(im->db, "items"))
		return db_commit(im->db);
	db_rollback(im->db);
	return false;
}

int import_jsonl(struct db *db, const char *text, size_t len, const struct import_options *opt,
		 struct import_counts *counts)
{
	struct importer im = {.db = db, .opt = opt, .counts = counts};
	memset(counts, 0, sizeof(*counts));
	char random[64];
	token_random(random, 24);
	if (!password_hash(opt->default_password ? opt->default_password : random, im.hash))
		return -1;
	/* A batch dirties more pages than SQLite's default cache holds, and
	 * its statement journals would spill to temporary files. */
	bool sqlite = strcmp(db_backend_name(db), "sqlite") == 0;
	int64_t cache_size = sqlite ? db_scalar_int(db, 0, "PRAGMA cache_size", DB_NOARGS) : 0;
	/* Every id a line refers to is one this import stored (names are
	 * defined only by earlier lines), so SQLite need not look each one
	 * up again; PostgreSQL checks them as ever. */
	int64_t foreign_keys = sqlite ? db_scalar_int(db, 1, "PRAGMA foreign_keys", DB_NOARGS) : 0;
	/* Only faster when it works: an import goes on without it. */
	if (sqlite && !db_exec_script(db, "PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY; "
					  "PRAGMA wal_autocheckpoint = 10000; PRAGMA foreign_keys = OFF"))
		fprintf(opt->report, "the import runs with the default cache\n");
	int rc = 0;
	long lineno = 0, in_batch = 0;
	const char *p = text, *end = text + len;
	while (p < end && rc == 0) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		lineno++;
		if (n > 0 && !(n == 1 && p[0] == '\r')) {
			if (in_batch == 0 && !begin_batch(&im)) {
				fprintf(opt->report, "line %ld: the database is busy\n", lineno);
				rc = -1;
				break;
			}
			if (!import_line(&im, p, n)) {
				fprintf(opt->report, "line %ld: %s\n", lineno, im.error);
				db_rollback(db);
				rc = -1;
				break;
			}
			counts->lines++;
			if (++in_batch == BATCH_LINES) {
				if (!end_batch(&im)) {
					fprintf(opt->report, "line %ld: the batch could not be saved\n", lineno);
					rc = -1;
				}
				in_batch = 0;
			}
		}
		p = nl ? nl + 1 : end;
	}
	if (rc == 0 && in_batch > 0 && !end_batch(&im)) {
		fprintf(opt->report, "line %ld: the last batch could not be saved\n", lineno);
		rc = -1;
	}
	/* What the batches saved becomes searchable now (an item of a batch
	 * rolled back is not there, and indexing it does nothing). */
	if (!index_imported(&im)) {
		fprintf(opt->report, "the items were saved but could not be made searchable: run kring reindex\n");
		rc = -1;
	}
	if (sqlite) {
		char restore[120];
		snprintf(restore, sizeof(restore), "PRAGMA cache_size = %lld; PRAGMA temp_store = DEFAULT; "
			 "PRAGMA foreign_keys = %s", (long long)cache_size, foreign_keys ? "ON" : "OFF");
		if (!db_exec_script(db, restore))
			fprintf(opt->report, "the connection's cache settings could not be restored\n");
	}
	names_free(&im.orgs);
	names_free(&im.people);
	names_free(&im.communities);
	names_free(&im.refs);
	free(im.members.keys);
	free(im.items);
	free(im.pending);
	return rc;
}
