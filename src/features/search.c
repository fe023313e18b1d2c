/* search: the search page (see search.h). */
#include "features/search.h"

#include "auth/policy.h"
#include "auth/users.h"
#include "core/buf.h"
#include "core/text.h"
#include "db/db.h"
#include "features/communities.h"
#include "features/experts.h"
#include "features/feeds.h"
#include "features/item_kind.h"
#include "features/items.h"
#include "features/orgs.h"
#include "features/people.h"
#include "features/tags.h"
#include "http/req.h"
#include "i18n/i18n.h"
#include "render/links.h"
#include "render/markdown.h"
#include "search/analyze.h"
#include "search/hits.h"
#include "search/profiles.h"
#include "search/query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FACET_VALUES_MAX 50

/* The best this many matches (whole words first, then parts of words) are
 * listed and counted in the facets: ranking costs per match, and beyond
 * them lie pages nobody reads (25 of them). A word in more posts than that
 * counts the best of them, and the page says so. */
#define RANKED_MAX SEARCH_HITS_MAX
#define PAGE_SIZE 20
#define STR_(x) #x
#define STR(x) STR_(x)

enum { FACET_KIND, FACET_COMMUNITY, FACET_TAG, FACET_ORG, FACET_LANGUAGE, FACET_VERIFIED, FACETS };
static const char *const facet_keys[FACETS] = {"kind", "community", "tag", "org", "language", "verified"};

/* A match: rel is how well the words match (search/hits.h), rank what
 * the list orders by; its value (and label) per facet, and its tags, for
 * counting and filtering. */
struct hit {
	int64_t id, rank;
	double rel;
	const char *value[FACETS], *label[FACETS];
	const char **tags;
	size_t ntags;
};

static int by_hit_id(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;
	return (x->id > y->id) - (x->id < y->id);
}

/* The best matches of the query with how well they match, in id order:
 * every other statement of the page reads them from memory. within: only
 * among the items this filter chooses (NULL: all), for a filter on a word
 * in more posts than are ranked, whose best of all would hold few it
 * chooses. *more is set when more items match than the hits hold (private
 * ones too: not for showing). NULL when the index cannot be read. */
static struct hit *find_hits(struct req *r, const struct search_query *p, const struct item_filter *within,
			     size_t *count, bool *more)
{
	struct search_hit *found = arena_alloc(&r->arena, RANKED_MAX * sizeof(*found));
	long n;
	if (within) {
		struct search_join matches = search_hits_join(r->db, &r->arena, p);
		struct item_filter f = *within;
		f.cursor = NULL;
		f.join_sql = arena_printf(&r->arena, "JOIN (%s) h ON h.id = i.id", matches.sql);
		f.join_args = matches.args;
		f.njoin_args = matches.nargs;
		struct db_stmt *st = items_query(r, &f, "SELECT i.id, h.rel FROM items i",
						 " ORDER BY h.rel DESC, i.id DESC LIMIT " STR(RANKED_MAX));
		n = search_hits_read(r->db, &r->arena, p, st, found, more);
	} else {
		n = search_hits(r->db, &r->arena, p, found, more);
	}
	struct hit *hits = n < 0 ? NULL : arena_zalloc(&r->arena, ((size_t)n + 1) * sizeof(*hits));
	for (long i = 0; i < n; i++)
		hits[i] = (struct hit){.id = found[i].id, .rel = found[i].rel};
	*count = n < 0 ? 0 : (size_t)n;
	return hits;
}

static const char *dup_col(struct req *r, struct db_stmt *st, int col)
{
	const char *v = db_text_col(st, col);
	return v ? arena_strdup(&r->arena, v) : NULL;
}

/* Keeps the hits (in id order) the viewer may see, and gives each its
 * facet values, its tags and its rank at the time now: newer posts, posts
 * a verification holds for and accepted answers rise. The rank is an
 * integer, for keyset pages. Two statements for all of it. How many are
 * kept, or -1 when they cannot be read. */
static long hits_describe(struct req *r, struct hit *hits, size_t n, int64_t now)
{
	int64_t *ids = arena_alloc(&r->arena, (n + 1) * sizeof(*ids));
	for (size_t i = 0; i < n; i++)
		ids[i] = hits[i].id;
	struct item_filter visible = {.kind = "all", .ids = ids, .nids = n};
	int64_t facet_now = r->now;
	struct db_stmt *st = items_query(r, &visible,
		"SELECT i.id, i.created_at, fv.expires_at, fv.edited_at, EXISTS (SELECT 1 FROM items aq"
		" WHERE aq.id = i.parent_id AND aq.accepted_answer_id = i.id), i.kind, fc.slug, fc.name, fo.slug,"
		" fo.name, i.language FROM items i LEFT JOIN communities fc ON fc.id = i.community_id"
		" LEFT JOIN orgs fo ON fo.id = i.org_id LEFT JOIN verifications fv ON fv.item_id = i.id", " ORDER BY i.id");
	size_t kept = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t id = db_int_col(st, 0);
		struct hit *h = bsearch(&(struct hit){.id = id}, hits + kept, n - kept, sizeof(*hits), by_hit_id);
		if (!h)
			continue;
		struct hit *k = &hits[kept++];
		*k = *h;
		bool verification = !db_null_col(st, 2) && db_null_col(st, 3);
		double age_days = (double)(now - db_int_col(st, 1)) / 86400.0;
		double rank = k->rel * (1.0 + 0.5 / (1.0 + (age_days > 0 ? age_days : 0) / 90.0));
		if (verification && db_int_col(st, 2) > now)
			rank *= 1.3;
		if (db_int_col(st, 4))
			rank *= 1.25;
		k->rank = (int64_t)(rank * 1000000.0);
		k->value[FACET_KIND] = dup_col(r, st, 5);
		k->value[FACET_COMMUNITY] = dup_col(r, st, 6);
		k->label[FACET_COMMUNITY] = dup_col(r, st, 7);
		k->value[FACET_ORG] = dup_col(r, st, 8);
		k->label[FACET_ORG] = dup_col(r, st, 9);
		k->value[FACET_LANGUAGE] = dup_col(r, st, 10);
		k->value[FACET_VERIFIED] = verification && db_int_col(st, 2) > facet_now ? "yes" : "no";
	}
	db_done(st);
	if (rc == DB_ERROR)
		return -1;
	/* Both lists are in id order: walk them together. */
	for (size_t i = 0; i < kept; i++)
		ids[i] = hits[i].id;
	st = kept ? db_query_in(r->db, "SELECT ft.item_id, t.name FROM item_tags ft JOIN tags t ON t.id = ft.tag_id"
				       " WHERE ft.item_id IN ", " ORDER BY 1, 2", DB_NOARGS, ids, kept) : NULL;
	size_t k = 0;
	rc = DB_DONE;
	while (st && (rc = db_step(st)) == DB_ROW) {
		int64_t id = db_int_col(st, 0);
		while (k < kept && hits[k].id < id)
			k++;
		if (k == kept || hits[k].id != id)
			continue;
		struct hit *h = &hits[k];
		const char **tags = arena_alloc(&r->arena, (h->ntags + 1) * sizeof(*tags));
		if (h->ntags)
			memcpy(tags, h->tags, h->ntags * sizeof(*tags));
		tags[h->ntags++] = dup_col(r, st, 1);
		h->tags = tags;
	}
	if (st)
		db_done(st);
	return rc == DB_ERROR || (kept && !st) ? -1 : (long)kept;
}

/* Joins the filter to the hits, as a list of values: the items, each with
 * its rank. Padded to a power of two with rows of no item (id 0), so that
 * a connection keeps few forms of the statement. */
static void join_hits(struct req *r, const struct hit *hits, size_t n, struct item_filter *f)
{
	size_t rows = 1;
	while (rows < n)
		rows *= 2;
	struct db_value *args = arena_alloc(&r->arena, 2 * rows * sizeof(*args));
	struct buf sql = {0};
	buf_puts(&sql, "JOIN (SELECT column1 AS id, column2 AS rank FROM (VALUES ");
	for (size_t i = 0; i < rows; i++) {
		buf_puts(&sql, i ? ", (CAST(? AS BIGINT), CAST(? AS BIGINT))" : "(CAST(? AS BIGINT), CAST(? AS BIGINT))");
		args[2 * i] = db_int(i < n ? hits[i].id : 0);
		args[2 * i + 1] = db_int(i < n ? hits[i].rank : 0);
	}
	buf_puts(&sql, ") v) h ON h.id = i.id");
	f->join_sql = arena_strndup(&r->arena, sql.data, sql.len);
	f->join_args = args;
	f->njoin_args = 2 * rows;
	buf_free(&sql);
}

/* Sets "title_html" and "snippet_html" on each result, from its title and
 * its text as plain text, with one statement for the page. */
static void snippets_fill(struct req *r, const struct search_query *p, json_t *items)
{
	json_t *index;
	/* A best practice's or a method's own fields are part of its text. */
	struct db_stmt *st = items_batch_query(r->db, items,
		"SELECT i.id, i.language, i.body, a.situation, a.approach, a.results, m.when_to_use, m.materials,"
		" m.steps, m.tips FROM items i LEFT JOIN articles a ON a.item_id = i.id"
		" LEFT JOIN methods m ON m.item_id = i.id WHERE i.id IN ", "", DB_NOARGS, &index);
	struct buf plain = {0};
	while (st && db_step(st) == DB_ROW) {
		json_t *o = items_indexed(index, db_int_col(st, 0));
		const char *title = json_string_value(json_object_get(o, "title"));
		const char *language = db_text_col(st, 1);
		buf_reset(&plain);
		for (int col = 2; col <= 9; col++) {
			const char *text = db_text_col(st, col);
			if (text && *text)
				markdown_plain(text, strlen(text), &plain);
		}
		json_object_set_new(o, "title_html", json_string(query_highlight(&r->arena, p, title, strlen(title),
									     language, true)));
		json_object_set_new(o, "snippet_html", json_string(query_highlight(&r->arena, p, plain.data ? plain.data : "",
									       plain.len, language, false)));
	}
	if (st)
		db_done(st);
	buf_free(&plain);
	json_decref(index);
}

/* ---- who knows what --------------------------------------------------------- */

#define PEOPLE_SHOWN 5

/* The tags the query names: a tag whose name is one of the query's words,
 * or whose name analyses to one of its terms ("workshops" names the tag
 * "workshop"). At most 8 tag ids into ids. */
static int query_tags(struct req *r, const struct search_query *p, int64_t *ids)
{
	int n = 0;
	for (int i = 0; i < p->ngroups && n < 8; i++) {
		const struct search_group *g = &p->groups[i];
		if (g->negated)
			continue;
		/* a tag is one word or words joined by hyphens */
		char name[4 * TAG_MAX_CHARS + 8];
		if (!tag_normalise(g->words, name, sizeof(name)))
			continue;
		int64_t id = tags_find(r->db, name);
		for (size_t l = 0; !id && l < SEARCH_LANGUAGES; l++)
			if (*g->terms[l] && !strchr(g->terms[l], ' '))
				id = tags_find(r->db, g->terms[l]);
		bool seen = false;
		for (int k = 0; k < n; k++)
			seen |= ids[k] == id;
		if (id && !seen)
			ids[n++] = id;
	}
	/* "online workshops" names the tag online-workshops */
	struct buf joined = {0};
	for (int i = 0; i < p->ngroups; i++)
		if (!p->groups[i].negated)
			buf_printf(&joined, "%s%s", joined.len ? "-" : "", p->groups[i].words);
	char name[4 * TAG_MAX_CHARS + 8];
	int64_t id = p->npositive > 1 && tag_normalise(joined.data, name, sizeof(name)) ? tags_find(r->db, name) : 0;
	buf_free(&joined);
	if (id && n < 8)
		ids[n++] = id;
	return n;
}

/* Counts of what the member wrote in the tag (t) that the viewer may see,
 * as i: binds the viewer. */
#define PERSON_ITEMS(cond) \
	"(SELECT COUNT(*) FROM items i JOIN item_tags pt ON pt.item_id = COALESCE(i.parent_id, i.id)" \
	" WHERE pt.tag_id = t.id AND i.author_id = u.id AND " cond " AND " POLICY_ITEM_VISIBLE_SQL ")"

/* People who know about the tags, per tag: verifiers (experts named or
 * endorsed), their own expertise level (3 expert, 2 practising, 1
 * learning), accepted answers and verified posts, recent posts; active
 * members only, as the directory lists. */
#define PEOPLE_SQL_HEAD \
	"SELECT handle, name, tag, verifies, level, accepted, verified FROM (SELECT u.handle, u.name, t.name AS tag," \
	" (SELECT COUNT(*) FROM tag_experts te WHERE te.user_id = u.id AND te.tag_id = t.id) AS verifies," \
	" COALESCE((SELECT CASE e.level WHEN 'expert' THEN 3 WHEN 'practising' THEN 2 ELSE 1 END FROM expertise e" \
	" WHERE e.user_id = u.id AND e.tag_id = t.id), 0) AS level," \
	" " PERSON_ITEMS("EXISTS (SELECT 1 FROM items aq WHERE aq.id = i.parent_id AND aq.accepted_answer_id = i.id)") " AS accepted," \
	" " PERSON_ITEMS(VERIFIED_NOW_SQL) " AS verified," \
	" " PERSON_ITEMS("i.created_at > ?") " AS recent" \
	" FROM tags t JOIN users u ON u.id IN (SELECT user_id FROM expertise WHERE tag_id = t.id" \
	" UNION SELECT user_id FROM tag_experts WHERE tag_id = t.id" \
	" UNION SELECT a.author_id FROM items a JOIN items q ON q.accepted_answer_id = a.id" \
	" JOIN item_tags qt ON qt.item_id = q.id WHERE qt.tag_id = t.id) WHERE " POLICY_ACCOUNT_SHOWN_SQL("u.status") " AND t.id IN "
#define PEOPLE_SQL_TAIL \
	") k WHERE verifies > 0 OR level > 0 OR accepted > 0 OR verified > 0" \
	" ORDER BY 5 * verifies + level + 2 * accepted + 2 * verified + (CASE WHEN recent > 4 THEN 4 ELSE recent END) DESC," \
	" name LIMIT 20"

#define RECENT_SECONDS (90 * 86400)

/* Who knows about what the query names, with the strongest reason each:
 * [{handle, name, url, tag, reason, count}]. */
static json_t *experts_json(struct req *r, const struct search_query *p)
{
	json_t *people = json_array();
	int64_t tags[8];
	int ntags = query_tags(r, p, tags);
	if (!ntags)
		return people;
	int64_t viewer = r->user ? r->user->id : 0, now = r->now;
	struct db_value args[] = {POLICY_ITEM_VISIBLE_ARGS(viewer), db_int(now), POLICY_ITEM_VISIBLE_ARGS(viewer),
				  db_int(now - RECENT_SECONDS), POLICY_ITEM_VISIBLE_ARGS(viewer)};
	struct db_stmt *st = db_query_in(r->db, PEOPLE_SQL_HEAD, PEOPLE_SQL_TAIL, args,
					 sizeof(args) / sizeof(args[0]), tags, (size_t)ntags);
	while (st && db_step(st) == DB_ROW && json_array_size(people) < PEOPLE_SHOWN) {
		const char *handle = db_text_col(st, 0);
		size_t i;
		json_t *o;
		bool seen = false;
		json_array_foreach(people, i, o)
			seen |= strcmp(json_string_value(json_object_get(o, "handle")), handle) == 0;
		if (seen)
			continue;
		int64_t level = db_int_col(st, 4), accepted = db_int_col(st, 5), verified = db_int_col(st, 6);
		const char *reason = db_int_col(st, 3) > 0 ? "verifies" : accepted > 0 ? "accepted"
				     : verified > 0 ? "verified" : level == 3 ? "expert"
				     : level == 2 ? "practising" : "learning";
		o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I}", "handle", handle, "name", db_text_col(st, 1),
			      "url", link_person(&r->arena, handle), "tag", db_text_col(st, 2),
			      "reason", reason, "count", (json_int_t)(accepted > 0 ? accepted : verified));
		/* Every flag, false but the one: the page lists several people,
		 * and a flag left out must not read as another person's. */
		static const char *const reasons[] = {"verifies", "accepted", "verified",
						      "expert", "practising", "learning"};
		for (size_t k = 0; k < sizeof(reasons) / sizeof(reasons[0]); k++)
			json_object_set_new(o, arena_printf(&r->arena, "reason_%s", reasons[k]),
					    json_boolean(strcmp(reasons[k], reason) == 0));
		json_array_append_new(people, o);
	}
	if (st)
		db_done(st);
	return people;
}

/* ---- people and organisations -------------------------------------------------- */

#define PROFILES_SHOWN 5
#define ORG_EXCERPT 160

/* The members and organisations the query matches (search/profiles.h),
 * the first PROFILES_SHOWN of each, into the model: "people" as the
 * directory lists them (everyone may see it), "people_count" and the
 * directory's address for all of them, "organisations". False when the
 * index cannot be read. */
static bool profiles_json(struct req *r, const struct search_query *p, const char *q, json_t *model)
{
	struct users_dir_row *rows;
	int n = search_people(r->db, &r->arena, p, &(struct users_dir_filter){0}, SEARCH_PEOPLE_BEST, &rows);
	int64_t *ids;
	int norgs = n < 0 ? -1 : search_orgs(r->db, &r->arena, p, &ids);
	if (norgs < 0)
		return false;
	json_object_set_new(model, "people", people_summaries(r, rows, n < PROFILES_SHOWN ? n : PROFILES_SHOWN));
	json_object_set_new(model, "people_count", json_integer(n));
	struct buf url = {0};
	buf_puts(&url, "/people?q=");
	buf_put_url(&url, q);
	json_object_set_new(model, "people_url", json_string(url.data));
	buf_free(&url);
	if (n > PROFILES_SHOWN)
		json_object_set_new(model, "people_more", json_true());
	json_t *orgs = json_array();
	struct org shown[PROFILES_SHOWN];
	size_t nshown = orgs_get_list(r->db, &r->arena, ids, norgs < PROFILES_SHOWN ? (size_t)norgs : PROFILES_SHOWN, shown);
	for (size_t i = 0; i < nshown; i++) {
		const struct org *o = &shown[i];
		struct buf plain = {0};
		markdown_plain(o->description, strlen(o->description), &plain);
		char excerpt[ORG_EXCERPT + 8];
		text_excerpt(plain.data ? plain.data : "", ORG_EXCERPT, excerpt, sizeof(excerpt));
		buf_free(&plain);
		json_t *brief = orgs_brief(&r->arena, o);
		json_object_set_new(brief, "excerpt", json_string(excerpt));
		json_array_append_new(orgs, brief);
	}
	json_object_set_new(model, "organisations", orgs);
	return true;
}

/* ---- suggestions ------------------------------------------------------------ */

#define SUGGESTIONS 8

/* The shortest analysis of a word being typed, as a prefix: a stem is
 * shorter than the word, and what is typed next only lengthens it. */
static bool typed_prefix(const struct search_group *g, char *out, size_t len)
{
	*out = '\0';
	for (size_t l = 0; l < SEARCH_LANGUAGES; l++)
		if (*g->terms[l] && !strchr(g->terms[l], ' ') && (!*out || strlen(g->terms[l]) < strlen(out)))
			snprintf(out, len, "%s", g->terms[l]);
	return strlen(out) >= 2;
}

json_t *search_suggest(struct req *r)
{
	const char *q = req_query(r, "q");
	struct search_query p = {0};
	query_parse(&r->arena, q ? q : "", &p);
	buf_free(&p.rest);
	json_t *list = json_array();
	const struct search_group *last = p.ngroups ? &p.groups[p.ngroups - 1] : NULL;
	char prefix[ANALYZE_WORD_MAX * 2 + 1];
	if (!last || last->negated || !typed_prefix(last, prefix, sizeof(prefix)))
		return json_pack("{s:o}", "suggestions", list);
	/* The words before it as typed; the last one begins a title's word. */
	p.ngroups--;
	p.npositive--;
	struct search_join matches = search_prefix_join(r->db, &r->arena, &p, prefix);
	struct item_filter f = {.limit = SUGGESTIONS, .sort = "rank"};
	f.join_sql = arena_printf(&r->arena, "JOIN (%s) h ON h.id = i.id", matches.sql);
	f.join_args = matches.args;
	f.njoin_args = matches.nargs;
	json_t *page = items_list(r, &f);
	if (!page) {
		json_decref(list);
		return NULL;
	}
	size_t i;
	json_t *o;
	json_array_foreach(json_object_get(page, "items"), i, o)
		json_array_append_new(list, json_pack("{s:O, s:O, s:O, s:O}", "title", json_object_get(o, "title"),
						      "url", json_object_get(o, "url"), "kind", json_object_get(o, "kind"),
						      "kind_label", json_object_get(o, "kind_label")));
	json_decref(page);
	return json_pack("{s:o}", "suggestions", list);
}

/* ---- the page ---------------------------------------------------------------- */

/* The filters, from the address and the box (the box wins), into f and
 * value[]; false after req_fail. */
static bool read_filters(struct req *r, const struct search_query *p, struct item_filter *f, const char **value,
			 char *tag_buf, size_t tag_len)
{
	const char *typed[FACETS] = {p->kind, p->community, p->tag, p->org, NULL, NULL};
	for (int k = 0; k < FACETS; k++) {
		const char *v = typed[k] ? typed[k] : req_query(r, facet_keys[k]);
		value[k] = v ? v : "";
	}
	if (*value[FACET_KIND]) {
		bool known = item_kind_find(value[FACET_KIND]) != NULL;
		if (!known) {
			req_fail(r, 400, "bad_filter", N_("Choose questions, answers, updates, best practices or methods."));
			r->error.field = "kind";
			return false;
		}
		f->kind = value[FACET_KIND];
	}
	if (*value[FACET_TAG]) {
		if (!tag_normalise(value[FACET_TAG], tag_buf, tag_len)) {
			req_fail(r, 400, "bad_filter", N_("A tag has 1 to 32 letters, digits or hyphens."));
			r->error.field = "tag";
			return false;
		}
		f->tag = value[FACET_TAG] = tag_buf;
	}
	if (*value[FACET_COMMUNITY]) {
		struct community_access c;
		if (!communities_access(r, value[FACET_COMMUNITY], &c) || !c.can_read) {
			req_fail(r, 404, "not_found", N_("There is no such community."));
			return false;
		}
		f->community_id = c.id;
	}
	if (*value[FACET_ORG]) {
		struct org o;
		if (!orgs_find(r->db, &r->arena, value[FACET_ORG], &o)) {
			req_fail(r, 404, "not_found", N_("There is no such organisation."));
			return false;
		}
		f->org_id = o.id;
	}
	if (*value[FACET_LANGUAGE]) {
		if (i18n_locale_index(value[FACET_LANGUAGE]) < 0) {
			req_fail(r, 400, "bad_filter", N_("Choose English, Swedish or Dutch."));
			r->error.field = "language";
			return false;
		}
		f->language = value[FACET_LANGUAGE];
	}
	return !*value[FACET_VERIFIED] || experts_verified_filter(r, value[FACET_VERIFIED], &f->verified);
}

/* /search with the query and the filters, one facet set to value (or
 * taken out with NULL) when facet >= 0, and more (a cursor) appended. */
static const char *search_url(struct req *r, const char *q, const char *const *value, int facet, const char *v,
			      const char *cursor)
{
	struct buf b = {0};
	buf_puts(&b, "/search?q=");
	buf_put_url(&b, q);
	const char *values[FACETS + 1], *keys[FACETS + 1];
	for (int k = 0; k < FACETS; k++) {
		keys[k] = facet_keys[k];
		values[k] = k == facet ? v : value[k];
	}
	keys[FACETS] = "cursor";
	values[FACETS] = cursor;
	buf_put_query(&b, keys, values, FACETS + 1);
	const char *url = arena_strndup(&r->arena, b.data, b.len);
	buf_free(&b);
	return url;
}

static bool has_value(const struct hit *h, int facet, const char *v)
{
	if (facet != FACET_TAG)
		return h->value[facet] && strcmp(h->value[facet], v) == 0;
	for (size_t t = 0; t < h->ntags; t++)
		if (strcmp(h->tags[t], v) == 0)
			return true;
	return false;
}

/* Whether the hit has the value of every facet chosen, but skip's. */
static bool chosen(const struct hit *h, const char *const *value, int skip)
{
	for (int k = 0; k < FACETS; k++)
		if (k != skip && *value[k] && !has_value(h, k, value[k]))
			return false;
	return true;
}

static void count_value(json_t *counts, const char *v, const char *label)
{
	json_t *o = json_object_get(counts, v);
	if (!o) {
		o = json_pack("{s:s, s:s, s:i}", "value", v, "label", label ? label : v, "count", 0);
		json_object_set_new(counts, v, o);
	}
	json_object_set_new(o, "count", json_integer(json_integer_value(json_object_get(o, "count")) + 1));
}

static int by_count(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	json_int_t cx = json_integer_value(json_object_get(x, "count")), cy = json_integer_value(json_object_get(y, "count"));
	if (cx != cy)
		return cx > cy ? -1 : 1;
	return strcmp(json_string_value(json_object_get(x, "label")), json_string_value(json_object_get(y, "label")));
}

/* Each facet's values with their counts among the hits under the other
 * facets' choices. */
static json_t *facets_json(struct req *r, const char *q, const struct hit *hits, size_t n, const char *const *value)
{
	json_t *facets = json_object();
	for (int k = 0; k < FACETS; k++) {
		json_t *counts = json_object();
		for (size_t i = 0; i < n; i++) {
			if (!chosen(&hits[i], value, k))
				continue;
			if (k == FACET_TAG)
				for (size_t t = 0; t < hits[i].ntags; t++)
					count_value(counts, hits[i].tags[t], NULL);
			else if (hits[i].value[k])
				count_value(counts, hits[i].value[k], hits[i].label[k]);
		}
		size_t nvalues = json_object_size(counts), i = 0;
		json_t **sorted = arena_alloc(&r->arena, (nvalues + 1) * sizeof(*sorted));
		const char *key;
		json_t *o;
		json_object_foreach(counts, key, o)
			sorted[i++] = o;
		qsort(sorted, nvalues, sizeof(*sorted), by_count);
		json_t *list = json_array();
		for (i = 0; i < nvalues && i < FACET_VALUES_MAX; i++) {
			o = sorted[i];
			const char *v = json_string_value(json_object_get(o, "value"));
			bool selected = strcmp(v, value[k]) == 0;
			json_object_set_new(o, "selected", json_boolean(selected));
			json_object_set_new(o, "url", json_string(search_url(r, q, value, k, selected ? NULL : v, NULL)));
			if (k == FACET_KIND)
				json_object_set_new(o, "label", json_string(items_label(r, v)));
			else if (k == FACET_LANGUAGE)
				json_object_set_new(o, "label", json_string(i18n_locale_name(i18n_locale_index(v))));
			else if (k == FACET_VERIFIED)
				json_object_set_new(o, "label", json_string(experts_verified_label(r, v)));
			json_array_append(list, o);
		}
		json_decref(counts);
		json_object_set_new(facets, facet_keys[k], list);
	}
	return facets;
}

/* find_hits, then hits_describe: the matches the viewer may see, ranked
 * at now and described for the facets; NULL when they cannot be read. */
static struct hit *visible_hits(struct req *r, const struct search_query *p, const struct item_filter *within,
				int64_t now, size_t *count, bool *more)
{
	struct hit *hits = find_hits(r, p, within, count, more);
	long kept = hits ? hits_describe(r, hits, *count, now) : -1;
	if (kept < 0)
		return NULL;
	*count = (size_t)kept;
	return hits;
}

static int by_rank(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;
	if (x->rank != y->rank)
		return x->rank > y->rank ? -1 : 1;
	return x->id > y->id ? -1 : x->id < y->id;
}

/* The page: the hits the facets choose, best first, from the list's
 * cursor on, listed through a join on the page's hits alone (and the one
 * after it, which tells whether there is a next page). */
static json_t *page_of_hits(struct req *r, struct item_filter *f, const struct hit *hits, size_t n,
			    const char *const *value)
{
	struct hit *page = arena_alloc(&r->arena, (n + 1) * sizeof(*page));
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (chosen(&hits[i], value, -1))
			page[m++] = hits[i];
	qsort(page, m, sizeof(*page), by_rank);
	size_t from = 0;
	int64_t key, id;
	if (f->cursor && items_cursor_parse(f->cursor, 'r', &key, &id))
		while (from < m && (page[from].rank > key || (page[from].rank == key && page[from].id >= id)))
			from++;
	size_t rows = m - from < PAGE_SIZE + 1 ? m - from : PAGE_SIZE + 1;
	join_hits(r, page + from, rows, f);
	f->sort = "rank";
	f->limit = PAGE_SIZE;
	return items_list(r, f);
}

/* A page's cursor is the time its ranks were made at and the list's own
 * cursor ("TIME.CURSOR"): the next page ranks as the first did, or rows
 * would move across the page break as time passes. */
static bool read_cursor(struct req *r, struct item_filter *f, int64_t *now)
{
	const char *cursor = req_query(r, "cursor");
	*now = r->now;
	if (!cursor || !*cursor)
		return true;
	char *end = NULL;
	long long t = strtoll(cursor, &end, 10);
	if (end == cursor || *end != '.' || t <= 0) {
		req_fail(r, 400, "bad_cursor", N_("This page link is not valid. Start from the first page."));
		r->error.field = "cursor";
		return false;
	}
	*now = t;
	f->cursor = end + 1;
	return true;
}

/* The search feed: the best matches, as the first page lists them. */
static json_t *best_feed(struct req *r)
{
	const char *q = req_query(r, "q");
	struct search_query p = {0};
	query_parse(&r->arena, q ? q : "", &p);
	const char *link_q = arena_strndup(&r->arena, p.rest.data ? p.rest.data : "", p.rest.len);
	buf_free(&p.rest);
	struct item_filter f = {.kind = "all"};
	const char *value[FACETS];
	char tag[4 * TAG_MAX_CHARS + 8];
	if (!read_filters(r, &p, &f, value, tag, sizeof(tag)))
		return NULL;
	json_t *list;
	if (p.npositive == 0) {
		list = json_pack("{s:[]}", "items");
	} else {
		bool more, filtered = false;
		for (int k = 0; k < FACETS; k++)
			filtered |= *value[k] != '\0';
		/* As the page does: the filters choose among the best matches
		 * of all, or among their own best when there were more than are
		 * ranked. */
		size_t n;
		struct hit *hits = visible_hits(r, &p, NULL, r->now, &n, &more);
		if (hits && more && filtered)
			hits = visible_hits(r, &p, &f, r->now, &n, &more);
		if (!hits)
			return req_fail_internal(r);
		if (!(list = page_of_hits(r, &f, hits, n, value)))
			return NULL;
	}
	const char *page = search_url(r, link_q, value, -1, NULL, NULL);
	const char *title = arena_printf(&r->arena, "%s: %s", tr(r, N_("Search")), q ? q : "");
	return feeds_answer(r, list, title, arena_printf(&r->arena, "/search/feed%s", page + strlen("/search")), page);
}

json_t *search_feed(struct req *r)
{
	return feeds_as_visitor(r, best_feed);
}

json_t *search_page(struct req *r)
{
	const char *q = req_query(r, "q");
	if (!q)
		q = "";
	struct search_query p = {0};
	query_parse(&r->arena, q, &p);
	const char *link_q = arena_strndup(&r->arena, p.rest.data ? p.rest.data : "", p.rest.len);
	buf_free(&p.rest);
	struct item_filter f = {.kind = "all"};
	const char *value[FACETS];
	char tag[4 * TAG_MAX_CHARS + 8];
	int64_t now;
	if (!read_filters(r, &p, &f, value, tag, sizeof(tag)) || !read_cursor(r, &f, &now))
		return NULL;
	json_t *model = json_pack("{s:s, s:s}", "title", tr(r, N_("Search")), "q", q);
	json_t *filters = json_object();
	for (int k = 0; k < FACETS; k++)
		json_object_set_new(filters, facet_keys[k], json_string(value[k]));
	json_object_set_new(model, "filters", filters);
	if (p.npositive == 0) {
		json_object_set_new(model, "items", json_array());
		json_object_set_new(model, "people", json_array());
		json_object_set_new(model, "organisations", json_array());
		json_object_set_new(model, "next", json_null());
		json_object_set_new(model, "message", json_string(*q ? tr(r, N_("Add a word to look for, not only words to leave out."))
								      : tr(r, N_("Type what you are looking for."))));
		return model;
	}
	/* The facets count the best matches of all; the page lists those the
	 * filters choose, which are the best matches among what the filters
	 * choose when there were more matches than are ranked. */
	size_t nhits, nchosen;
	bool more, filtered = false;
	for (int k = 0; k < FACETS; k++)
		filtered |= *value[k] != '\0';
	struct hit *hits = visible_hits(r, &p, NULL, now, &nhits, &more), *chosen_hits = NULL;
	if (hits && more && filtered && !(chosen_hits = visible_hits(r, &p, &f, now, &nchosen, &more)))
		hits = NULL;
	if (!hits) {
		json_decref(model);
		return req_fail_internal(r);
	}
	json_t *page = chosen_hits ? page_of_hits(r, &f, chosen_hits, nchosen, value) : page_of_hits(r, &f, hits, nhits, value);
	if (!page) {
		json_decref(model);
		return NULL;
	}
	json_t *items = json_object_get(page, "items");
	snippets_fill(r, &p, items);
	experts_fill_summaries(r, items);
	json_object_set(model, "items", items);
	json_t *next = json_object_get(page, "next");
	if (json_is_string(next)) {
		const char *cursor = arena_printf(&r->arena, "%lld.%s", (long long)now, json_string_value(next));
		json_object_set_new(model, "next", json_string(cursor));
		json_object_set_new(model, "next_url", json_string(search_url(r, link_q, value, -1, NULL, cursor)));
	} else {
		json_object_set_new(model, "next", json_null());
	}
	json_decref(page);
	json_object_set_new(model, "facets", facets_json(r, link_q, hits, nhits, value));
	/* Said only when the viewer may see all that were counted: how many
	 * private items match is not for everyone to learn. */
	if (nhits == RANKED_MAX)
		json_object_set_new(model, "counted_best", json_integer(RANKED_MAX));
	json_object_set_new(model, "experts", experts_json(r, &p));
	const char *here = search_url(r, link_q, value, -1, NULL, NULL);
	feeds_offer(r, model, arena_printf(&r->arena, "/search/feed%s", here + strlen("/search")),
		    arena_printf(&r->arena, "%s: %s", tr(r, N_("Search")), q));
	if (!profiles_json(r, &p, link_q, model)) {
		json_decref(model);
		return req_fail_internal(r);
	}
	if (json_array_size(items) == 0 && json_array_size(json_object_get(model, "people")) == 0 &&
	    json_array_size(json_object_get(model, "organisations")) == 0)
		json_object_set_new(model, "message", json_string(tr(r, N_("Nothing you can see matches. Try fewer or other words."))));
	return model;
}
