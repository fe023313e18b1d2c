/* people: profiles, initials avatars, the directory, and the form where a
 * member edits their own profile. The profile fields live in the users
 * table (auth/users.c); this module shapes them into pages. */
#include "features/people.h"

#include "auth/policy.h"
#include "auth/users.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/mem.h"
#include "core/text.h"
#include "db/db.h"
#include "features/communities.h"
#include "features/experts.h"
#include "features/feeds.h"
#include "features/follows.h"
#include "features/items.h"
#include "features/orgs.h"
#include "features/tags.h"
#include "http/req.h"
#include "i18n/i18n.h"
#include "render/links.h"
#include "render/markdown.h"
#include "render/avatar.h"
#include "search/profiles.h"
#include "search/query.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_SIZE 30
#define TITLE_MAX 100
#define BIO_MAX 5000
#define ASK_MAX 300
#define LOCATION_MAX 100
#define CONTRIBUTIONS_SHOWN 10
#define TOP_EXPERTISE 3

/* The languages a profile can list, each named in itself. */
static const struct {
	const char *code, *name;
} spoken[] = {
	{"en", "English"}, {"sv", "Svenska"}, {"nl", "Nederlands"},
	{"de", "Deutsch"}, {"fr", "Français"}, {"es", "Español"},
	{"fi", "Suomi"},   {"da", "Dansk"},    {"no", "Norsk"},
};
#define NSPOKEN (sizeof(spoken) / sizeof(spoken[0]))

static int spoken_index(const char *code)
{
	for (size_t i = 0; i < NSPOKEN; i++)
		if (strcmp(spoken[i].code, code) == 0)
			return (int)i;
	return -1;
}

/* Levels from the most to the least, with their form fields. */
static const struct {
	const char *level, *field;
} levels[] = {
	{"expert", "expertise_expert"},
	{"practising", "expertise_practising"},
	{"learning", "expertise_learning"},
};
#define NLEVELS (sizeof(levels) / sizeof(levels[0]))

/* ---- pieces shared by the pages ------------------------------------------- */

const char *people_avatar_url(struct req *r, const char *handle, const char *name)
{
	return arena_printf(&r->arena, "%s/avatar.svg?v=%08x", link_person(&r->arena, handle), avatar_hash(name));
}

/* The organisations of the rows, as briefs by id ("12": {…}), read in
 * one statement. */
static json_t *orgs_of(struct req *r, const struct users_dir_row *rows, int n)
{
	int64_t *ids = arena_alloc(&r->arena, sizeof(*ids) * (size_t)n);
	size_t k = 0;
	for (int i = 0; i < n; i++) {
		bool known = rows[i].org_id == 0;
		for (size_t j = 0; j < k && !known; j++)
			known = ids[j] == rows[i].org_id;
		if (!known)
			ids[k++] = rows[i].org_id;
	}
	struct org *found = arena_alloc(&r->arena, sizeof(*found) * (k ? k : 1));
	size_t m = orgs_get_list(r->db, &r->arena, ids, k, found);
	json_t *briefs = json_object();
	for (size_t j = 0; j < m; j++) {
		char key[24];
		snprintf(key, sizeof(key), "%lld", (long long)found[j].id);
		json_object_set_new(briefs, key, orgs_brief(&r->arena, &found[j]));
	}
	return briefs;
}

static json_t *org_of(int64_t org_id, json_t *briefs)
{
	char key[24];
	snprintf(key, sizeof(key), "%lld", (long long)org_id);
	json_t *brief = org_id ? json_object_get(briefs, key) : NULL;
	return brief ? json_incref(brief) : json_null();
}

json_t *people_summaries(struct req *r, const struct users_dir_row *rows, int n)
{
	json_t *list = json_array();
	if (n <= 0)
		return list;
	int64_t *ids = arena_alloc(&r->arena, sizeof(*ids) * (size_t)n);
	for (int i = 0; i < n; i++)
		ids[i] = rows[i].id;
	json_t *top = users_top_expertise(r->db, ids, n, TOP_EXPERTISE);
	json_t *orgs = orgs_of(r, rows, n);
	for (int i = 0; i < n; i++) {
		char key[24];
		snprintf(key, sizeof(key), "%lld", (long long)rows[i].id);
		json_t *expertise = json_object_get(top, key);
		json_array_append_new(list, json_pack(
			"{s:I, s:s, s:s, s:s, s:o, s:o, s:s, s:s}",
			"id", (json_int_t)rows[i].id, "handle", rows[i].handle, "name", rows[i].name,
			"title", rows[i].title, "org", org_of(rows[i].org_id, orgs),
			"expertise", expertise ? json_incref(expertise) : json_array(),
			"avatar_url", people_avatar_url(r, rows[i].handle, rows[i].name),
			"url", link_person(&r->arena, rows[i].handle)));
	}
	json_decref(orgs);
	json_decref(top);
	return list;
}

static json_t *languages_json(const char *codes)
{
	json_t *list = json_array();
	for (size_t i = 0; i < NSPOKEN; i++) {
		char padded[8];
		snprintf(padded, sizeof(padded), ",%s,", spoken[i].code);
		size_t n = strlen(codes);
		char *wrapped = xmalloc(n + 3);
		snprintf(wrapped, n + 3, ",%s,", codes);
		if (strstr(wrapped, padded))
			json_array_append_new(list, json_pack("{s:s, s:s}", "code", spoken[i].code,
							      "name", spoken[i].name));
		free(wrapped);
	}
	return list;
}

static json_t *profile_json(struct req *r, const struct profile *p)
{
	struct org org;
	json_t *brief = p->org_id && orgs_get(r->db, &r->arena, p->org_id, &org) ? orgs_brief(&r->arena, &org)
									       : json_null();
	return json_pack("{s:I, s:s, s:s, s:s, s:o, s:s, s:o, s:s, s:s, s:o, s:o, s:s, s:s, s:I}",
			      "id", (json_int_t)p->id, "handle", p->handle, "name", p->name,
			      "title", p->title, "org", brief,
			      "bio", p->bio, "bio_html", markdown_json(p->bio),
			      "ask_me_about", p->ask_me_about, "location", p->location,
			      "languages", languages_json(p->languages),
			      "expertise", users_expertise(r->db, p->id),
			      "avatar_url", people_avatar_url(r, p->handle, p->name),
			      "url", link_person(&r->arena, p->handle),
			      "created_at", (json_int_t)p->created_at);
}

/* ---- the profile page and the avatar --------------------------------------- */

json_t *people_profile(struct req *r)
{
	struct profile p;
	if (!users_profile(r->db, &r->arena, req_path_param(r, "handle"), &p))
		return req_fail(r, 404, "not_found", N_("There is no such member."));
	struct item_filter f = {.author_id = p.id, .limit = CONTRIBUTIONS_SHOWN};
	json_t *shared = items_list(r, &f);
	if (!shared)
		return NULL;
	json_t *items = json_object_get(shared, "items");
	json_t *model = json_pack("{s:s, s:o, s:o, s:o, s:b}", "title", p.name,
				  "person", profile_json(r, &p),
				  "communities", communities_of_member(r, p.id),
				  "items", items ? json_incref(items) : json_array(),
				  "is_me", r->user && r->user->id == p.id);
	json_decref(shared);
	json_object_set_new(model, "verifies", experts_tags_of(r->db, p.id));
	feeds_offer(r, model, arena_printf(&r->arena, "%s/feed", link_person(&r->arena, p.handle)), p.name);
	/* Others may follow the member; they have no button of their own. */
	if (r->user && r->user->id != p.id) {
		json_object_set_new(model, "follow",
				    follows_button(r, FOLLOW_PERSON, p.id, link_person(&r->arena, p.handle)));
		/* ... and report the profile (features/reports.h), unless
		 * suspended: reporting is writing. */
		if (policy_site_allows(r, POLICY_POST))
			json_object_set_new(model, "report_url",
					    json_string(arena_printf(&r->arena, "%s/report",
								     link_person(&r->arena, p.handle))));
	}
	return model;
}

json_t *people_avatar(struct req *r)
{
	struct profile p;
	if (!users_profile(r->db, &r->arena, req_path_param(r, "handle"), &p))
		return req_fail(r, 404, "not_found", N_("There is no such member."));
	/* The image depends on the name alone (and on this code: "a1"). It is
	 * cached by the browser only: the answer may carry a cookie (a
	 * visitor's CSRF token), which a shared cache must never keep. */
	const char *etag = arena_printf(&r->arena, "\"a1-%08x\"", avatar_hash(p.name));
	req_add_header(r, "ETag", etag);
	req_add_header(r, "Cache-Control", "private, max-age=86400");
	r->content_type = "image/svg+xml";
	const char *match = req_header(r, "If-None-Match");
	if (match && strstr(match, etag)) {
		r->status = 304;
		return NULL;
	}
	r->status = 200;
	avatar_svg(p.name, 64, &r->body_out);
	return NULL;
}

/* ---- the directory ---------------------------------------------------------- */

/* A cursor is the last row's sort key and id, base64url-encoded:
 * "n:ID:lower-cased name" or "t:ID:created_at". */
static const char *cursor_encode(struct req *r, const struct users_dir_row *row, bool newest)
{
	const char *plain = newest
		? arena_printf(&r->arena, "t:%lld:%lld", (long long)row->id, (long long)row->created_at)
		: arena_printf(&r->arena, "n:%lld:%s", (long long)row->id, row->key);
	size_t len = strlen(plain);
	size_t cap = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *out = arena_alloc(&r->arena, cap);
	sodium_bin2base64(out, cap, (const unsigned char *)plain, len,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return out;
}

static bool cursor_decode(struct req *r, const char *cursor, struct users_dir_filter *f)
{
	size_t len = strlen(cursor), got = 0;
	if (len == 0 || len > 1024)
		return false;
	unsigned char *plain = arena_alloc(&r->arena, len + 1);
	if (sodium_base642bin(plain, len, cursor, len, NULL, &got, NULL,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
		return false;
	plain[got] = '\0';
	if (got < 4 || strlen((char *)plain) != got || !utf8_valid((char *)plain, got))
		return false;
	char kind = (char)plain[0];
	char *end = NULL;
	if (plain[1] != ':' || (kind == 't') != f->newest || (kind != 't' && kind != 'n'))
		return false;
	long long id = strtoll((char *)plain + 2, &end, 10);
	if (id <= 0 || *end != ':')
		return false;
	f->after = true;
	f->after_id = id;
	if (kind == 'n') {
		f->after_key = end + 1;
		return true;
	}
	char *stop = NULL;
	f->after_time = strtoll(end + 1, &stop, 10);
	return *stop == '\0' && stop != end + 1;
}

static const char *nonempty(const char *s)
{
	return s && *s ? s : NULL;
}

/* The page of the members matching the words typed in the box, best
 * first (search/profiles.h; sort: by name or newest first instead), from
 * the offset the cursor holds (a number, into *offset) on: at most
 * PAGE_SIZE + 1 rows into *rows, the one more telling whether there is a
 * next page. How many, or -1 after req_fail. */
static int matching_people(struct req *r, const char *q, const char *cursor, const char *sort,
			   struct users_dir_filter *f, struct users_dir_row **rows, long *offset)
{
	char *end = NULL;
	*offset = cursor ? strtol(cursor, &end, 10) : 0;
	if (cursor && (*offset <= 0 || *end || *offset >= SEARCH_PROFILES_MAX)) {
		req_fail(r, 400, "bad_cursor", N_("This page link is not valid. Start from the first page."));
		r->error.field = "cursor";
		return -1;
	}
	struct search_query p = {0};
	query_parse(&r->arena, q, &p);
	buf_free(&p.rest);
	enum search_people_order order = f->newest			    ? SEARCH_PEOPLE_NEWEST
					 : sort && strcmp(sort, "name") == 0 ? SEARCH_PEOPLE_NAME
									     : SEARCH_PEOPLE_BEST;
	int n = p.npositive ? search_people(r->db, &r->arena, &p, f, order, rows) : 0;
	if (n < 0) {
		req_fail_internal(r);
		return -1;
	}
	n = n > *offset ? n - (int)*offset : 0;
	*rows += n ? *offset : 0;
	return n < PAGE_SIZE + 1 ? n : PAGE_SIZE + 1;
}

json_t *people_directory(struct req *r)
{
	const char *q = nonempty(req_query(r, "q"));
	const char *tag = nonempty(req_query(r, "tag")), *org = nonempty(req_query(r, "org"));
	const char *language = nonempty(req_query(r, "language")), *sort = nonempty(req_query(r, "sort"));
	const char *cursor = nonempty(req_query(r, "cursor"));
	struct users_dir_filter f = {.limit = PAGE_SIZE + 1};
	if (sort && strcmp(sort, "newest") != 0 && strcmp(sort, "name") != 0) {
		req_fail(r, 400, "bad_request", N_("Sort by name or by newest."));
		r->error.field = "sort";
		return NULL;
	}
	f.newest = sort && strcmp(sort, "newest") == 0;
	if (!q && cursor && !cursor_decode(r, cursor, &f)) {
		req_fail(r, 400, "bad_cursor", N_("This page link is not valid. Start from the first page."));
		r->error.field = "cursor";
		return NULL;
	}

	/* A filter that names nothing that exists matches nobody. */
	bool nobody = false;
	char norm[4 * TAG_MAX_CHARS + 8] = "";
	if (tag) {
		if (tag_normalise(tag, norm, sizeof(norm)))
			f.tag_id = tags_find(r->db, norm);
		nobody |= f.tag_id == 0;
	}
	struct org o;
	if (org) {
		if (orgs_find(r->db, &r->arena, org, &o))
			f.org_id = o.id;
		else
			nobody = true;
	}
	if (language) {
		if (spoken_index(language) >= 0)
			f.language = language;
		else
			nobody = true;
	}

	struct users_dir_row *rows = NULL;
	long offset = 0;
	int n = 0;
	if (q && !nobody && (n = matching_people(r, q, cursor, sort, &f, &rows, &offset)) < 0)
		return NULL;
	if (!q && !nobody && (n = users_directory(r->db, &r->arena, &f, &rows)) < 0)
		return req_fail_internal(r);
	const char *next = NULL;
	if (n > PAGE_SIZE) {
		n = PAGE_SIZE;
		next = q ? arena_printf(&r->arena, "%ld", offset + PAGE_SIZE) : cursor_encode(r, &rows[n - 1], f.newest);
	}

	json_t *model = json_pack("{s:s, s:o, s:s?, s:{s:s?, s:s?, s:s?, s:s?, s:s?}}",
				  "title", tr(r, N_("People")),
				  "items", people_summaries(r, rows, n),
				  "next", next,
				  "filters", "q", q, "tag", tag ? (*norm ? norm : tag) : NULL, "org", org,
				  "language", language, "sort", f.newest ? "newest" : q && !sort ? NULL : "name");
	if (!r->api) {
		/* What the page's filter form and its next link need. */
		json_t *langs = json_array();
		for (size_t i = 0; i < NSPOKEN; i++)
			json_array_append_new(langs, json_pack("{s:s, s:s, s:b}", "code", spoken[i].code,
							       "name", spoken[i].name, "selected",
							       language && strcmp(language, spoken[i].code) == 0));
		json_object_set_new(model, "language_options", langs);
		json_object_set_new(model, "org_options", orgs_options(r->db, org));
		json_object_set_new(model, "sort_newest", json_boolean(f.newest));
		json_object_set_new(model, "sort_name", json_boolean(sort && strcmp(sort, "name") == 0));
		if (next) {
			struct buf url = {0};
			buf_puts(&url, "/people?");
			const char *keys[] = {"q", "tag", "org", "language"};
			const char *vals[] = {q, tag, org, language};
			for (int i = 0; i < 4; i++) {
				if (!vals[i])
					continue;
				buf_printf(&url, "%s=", keys[i]);
				buf_put_url(&url, vals[i]);
				buf_putc(&url, '&');
			}
			if (sort)
				buf_printf(&url, "sort=%s&", f.newest ? "newest" : "name");
			buf_puts(&url, "cursor=");
			buf_puts(&url, next);
			json_object_set_new(model, "next_url", json_string(url.data));
			buf_free(&url);
		}
	}
	return model;
}

/* ---- editing one's own profile ----------------------------------------------- */

static char *clean(struct req *r, const char *s)
{
	return text_trim(arena_strdup(&r->arena, s ? s : ""));
}

/* A name shown next to others (the name, the role or title). */
static char *clean_name(struct req *r, const char *s)
{
	return text_clean_name(arena_strdup(&r->arena, s ? s : ""));
}

/* The tags of one level, comma-separated, as the form shows them. */
static char *level_text(struct req *r, json_t *expertise, const char *level)
{
	struct buf b = {0};
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(expertise, level), i, t) {
		if (i)
			buf_puts(&b, ", ");
		buf_puts(&b, json_string_value(t));
	}
	char *out = arena_strdup(&r->arena, b.data ? b.data : "");
	buf_free(&b);
	return out;
}

static json_t *profile_form_model(struct req *r, json_t *values, const char *languages)
{
	const char *org = json_string_value(json_object_get(values, "org"));
	json_t *langs = json_array();
	for (size_t i = 0; i < NSPOKEN; i++) {
		char padded[8];
		snprintf(padded, sizeof(padded), ",%s,", spoken[i].code);
		char *wrapped = arena_printf(&r->arena, ",%s,", languages ? languages : "");
		json_array_append_new(langs, json_pack("{s:s, s:s, s:b}", "code", spoken[i].code,
						       "name", spoken[i].name,
						       "checked", strstr(wrapped, padded) != NULL));
	}
	return json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:b}",
			 "title", tr(r, N_("Edit your profile")),
			 "handle", r->user->handle,
			 "profile_url", link_person(&r->arena, r->user->handle),
			 "values", values,
			 "org_options", orgs_options(r->db, org),
			 "language_options", langs,
			 "saved", req_query(r, "saved") != NULL);
}

json_t *people_profile_form(struct req *r)
{
	struct profile p;
	if (!users_profile_id(r->db, &r->arena, r->user->id, &p))
		return req_fail(r, 404, "not_found", N_("There is no such member."));
	struct org o;
	const char *org = p.org_id && orgs_get(r->db, &r->arena, p.org_id, &o) ? o.slug : "";
	json_t *expertise = users_expertise(r->db, p.id);
	json_t *values = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
				   "name", p.name, "title", p.title, "org", org, "bio", p.bio,
				   "ask_me_about", p.ask_me_about, "location", p.location,
				   "expertise_expert", level_text(r, expertise, "expert"),
				   "expertise_practising", level_text(r, expertise, "practising"),
				   "expertise_learning", level_text(r, expertise, "learning"));
	json_decref(expertise);
	return profile_form_model(r, values, p.languages);
}

/* Checks one free-text field: length in characters and no control
 * characters (line breaks only where allowed). */
static void check_text(struct req *r, json_t *model, const char *field, const char *value,
		       size_t max, bool newlines, const char *too_long)
{
	if (utf8_length(value) > max)
		req_field_error(r, model, field, too_long);
	else if (!text_printable(value, newlines))
		req_field_error(r, model, field, N_("The text cannot contain control characters."));
}

/* Adds the tags of one level to e[0..*n); a tag already listed at a higher
 * level keeps that level. */
static void parse_level(struct req *r, json_t *model, const char *field, const char *level,
			const char *list, struct expertise *e, int *n)
{
	char *copy = arena_strdup(&r->arena, list ? list : ""), *save = NULL;
	for (char *part = strtok_r(copy, ",", &save); part; part = strtok_r(NULL, ",", &save)) {
		if (!*text_trim(part))
			continue;
		char norm[4 * TAG_MAX_CHARS + 8];
		if (!tag_normalise(part, norm, sizeof(norm))) {
			req_field_error(r, model, field, N_("A tag has 1 to 32 letters, digits or hyphens."));
			return;
		}
		bool seen = false;
		for (int i = 0; i < *n && !seen; i++)
			seen = strcmp(e[i].tag, norm) == 0;
		if (seen)
			continue;
		if (*n == EXPERTISE_MAX) {
			req_field_error(r, model, field, N_("List at most 20 areas of expertise."));
			return;
		}
		e[*n] = (struct expertise){.tag = arena_strdup(&r->arena, norm), .level = level};
		(*n)++;
	}
}

/* Gives each area of expertise the id of its tag, creating the tags that
 * are new. */
static bool ensure_expertise_tags(struct db *db, struct expertise *e, int n)
{
	for (int i = 0; i < n; i++)
		if (!(e[i].tag_id = tags_ensure(db, e[i].tag)))
			return false;
	return true;
}

/* Saves the fields sent; a field left out (an API call changing one thing)
 * keeps its value. The three expertise fields go together: when any of them
 * is sent, they replace the member's expertise. */
json_t *people_profile_save(struct req *r)
{
	struct profile cur;
	if (!users_profile_id(r->db, &r->arena, r->user->id, &cur))
		return req_fail(r, 404, "not_found", N_("There is no such member."));
	struct org current_org;
	const char *cur_org = cur.org_id && orgs_get(r->db, &r->arena, cur.org_id, &current_org)
		? current_org.slug : "";
	json_t *expertise_now = users_expertise(r->db, cur.id);

	const char *name = req_param(r, "name"), *title = req_param(r, "title");
	const char *org = req_param(r, "org"), *bio = req_param(r, "bio");
	const char *ask = req_param(r, "ask_me_about"), *location = req_param(r, "location");
	const char *languages = req_param_all(r, "languages");
	const char *lists[NLEVELS];
	bool expertise_sent = false;
	for (size_t i = 0; i < NLEVELS; i++) {
		lists[i] = req_param_all(r, levels[i].field);
		expertise_sent |= lists[i] != NULL;
	}
	if (!expertise_sent)
		for (size_t i = 0; i < NLEVELS; i++)
			lists[i] = level_text(r, expertise_now, levels[i].level);
	json_decref(expertise_now);

	struct profile p = cur;
	p.name = clean_name(r, name ? name : cur.name);
	p.title = clean_name(r, title ? title : cur.title);
	p.bio = clean(r, bio ? bio : cur.bio);
	p.ask_me_about = clean(r, ask ? ask : cur.ask_me_about);
	p.location = clean(r, location ? location : cur.location);
	const char *org_slug = clean(r, org ? org : cur_org);

	/* The form shown again holds what was sent. */
	json_t *values = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}",
				   "name", name ? name : cur.name, "title", title ? title : cur.title,
				   "org", org_slug, "bio", bio ? bio : cur.bio,
				   "ask_me_about", ask ? ask : cur.ask_me_about,
				   "location", location ? location : cur.location);
	for (size_t i = 0; i < NLEVELS; i++)
		json_object_set_new(values, levels[i].field, json_string(lists[i] ? lists[i] : ""));
	json_t *model = profile_form_model(r, values, languages ? languages : cur.languages);

	const char *problem = users_name_problem(p.name);
	if (problem)
		req_field_error(r, model, "name", problem);
	check_text(r, model, "title", p.title, TITLE_MAX, false, N_("A role or title has at most 100 characters."));
	check_text(r, model, "bio", p.bio, BIO_MAX, true, N_("A bio has at most 5000 characters."));
	check_text(r, model, "ask_me_about", p.ask_me_about, ASK_MAX, false,
		   N_("\"Ask me about\" has at most 300 characters."));
	check_text(r, model, "location", p.location, LOCATION_MAX, false,
		   N_("A location has at most 100 characters."));

	p.org_id = 0;
	struct org o;
	if (*org_slug) {
		if (orgs_find(r->db, &r->arena, org_slug, &o))
			p.org_id = o.id;
		else
			req_field_error(r, model, "org", N_("There is no such organisation."));
	}

	/* Languages: codes from the list, kept in the list's order. */
	bool chosen[NSPOKEN] = {false};
	if (languages) {
		char *copy = arena_strdup(&r->arena, languages), *save = NULL;
		for (char *c = strtok_r(copy, ",", &save); c; c = strtok_r(NULL, ",", &save)) {
			c = text_trim(c);
			int i = spoken_index(c);
			if (i >= 0)
				chosen[i] = true;
			else if (*c) {
				req_field_error(r, model, "languages", N_("Choose languages from the list."));
				break;
			}
		}
	} else {
		char *copy = arena_strdup(&r->arena, cur.languages), *save = NULL;
		for (char *c = strtok_r(copy, ",", &save); c; c = strtok_r(NULL, ",", &save))
			if (spoken_index(c) >= 0)
				chosen[spoken_index(c)] = true;
	}
	struct buf codes = {0};
	for (size_t i = 0; i < NSPOKEN; i++) {
		if (!chosen[i])
			continue;
		if (codes.len)
			buf_putc(&codes, ',');
		buf_puts(&codes, spoken[i].code);
	}
	p.languages = arena_strdup(&r->arena, codes.data ? codes.data : "");
	buf_free(&codes);

	struct expertise e[EXPERTISE_MAX];
	int ne = 0;
	for (size_t i = 0; i < NLEVELS; i++)
		parse_level(r, model, levels[i].field, levels[i].level, lists[i], e, &ne);

	if (req_has_field_errors(r))
		return req_invalid(r, model);
	json_decref(model);

	if (!db_begin(r->db))
		return req_fail_internal(r);
	if (!users_set_profile(r->db, &p) || !ensure_expertise_tags(r->db, e, ne) ||
	    !users_set_expertise(r->db, p.id, e, ne) ||
	    !search_index_person(r->db, p.id) || !db_commit(r->db)) {
		db_rollback(r->db);
		return req_fail_internal(r);
	}
	struct profile saved;
	if (!users_profile_id(r->db, &r->arena, p.id, &saved))
		return req_fail_internal(r);
	return req_done(r, 200, "/settings/profile?saved=1", profile_json(r, &saved));
}
