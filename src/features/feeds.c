/* feeds: Atom feeds of communities, tags, members, searches and of what a
 * member follows (see feeds.h). */
#include "features/feeds.h"

#include "auth/users.h"
#include "core/config.h"
#include "core/text.h"
#include "db/db.h"
#include "features/communities.h"
#include "features/item_kind.h"
#include "features/items.h"
#include "features/tags.h"
#include "http/req.h"
#include "i18n/i18n.h"
#include "render/atom.h"
#include "render/links.h"
#include "render/markdown.h"

#include <string.h>

#define FEED_TYPE "application/atom+xml; charset=utf-8"
#define SECRET_BYTES 32

/* What others post in what the member (bound twice) follows: new posts in
 * the tags and communities, anything by the people, answers in the
 * threads. */
#define FOLLOWED_SQL \
	"(i.author_id <> ? AND EXISTS (SELECT 1 FROM follows f WHERE f.user_id = ? AND (" \
	"(f.kind = 'item' AND f.target_id = i.parent_id) OR (f.kind = 'person' AND f.target_id = i.author_id) OR " \
	"(i.parent_id IS NULL AND f.kind = 'community' AND f.target_id = i.community_id) OR " \
	"(i.parent_id IS NULL AND f.kind = 'tag' AND f.target_id IN " \
	"(SELECT ft.tag_id FROM item_tags ft WHERE ft.item_id = i.id)))))"

/* The site's address before a path: --base-url without a trailing '/'. */
static const char *absolute(struct req *r, const char *path)
{
	const char *base = config.base_url ? config.base_url : "";
	size_t n = strlen(base);
	while (n > 0 && base[n - 1] == '/')
		n--;
	return arena_printf(&r->arena, "%.*s%s", (int)n, base, path);
}

/* The title of an entry: an answer is named after its question, a post
 * without a title (an update) by its first words. */
static const char *entry_title(struct req *r, json_t *item)
{
	const char *title = json_string_value(json_object_get(item, "title"));
	const char *kind_label = json_string_value(json_object_get(item, "kind_label"));
	const struct item_kind *kind = item_kind_find(json_string_value(json_object_get(item, "kind")));
	if (kind && (kind->places & KIND_UNDER_ITEM))
		return arena_printf(&r->arena, "%s: %s", kind_label ? kind_label : "", title ? title : "");
	if (title && *title)
		return title;
	const char *excerpt = json_string_value(json_object_get(item, "excerpt"));
	return excerpt && *excerpt ? excerpt : kind_label ? kind_label : "";
}

/* Each item's body as HTML ("body_html") and when it was last edited
 * ("edited_at"), which the lists' summaries leave out; false when the
 * database failed. */
static bool fill_bodies(struct req *r, json_t *items)
{
	json_t *index;
	struct db_stmt *st = items_batch_query(r->db, items, "SELECT id, body, edited_at FROM items WHERE id IN", "",
					       NULL, 0, &index);
	int rc = DB_DONE;
	while (st && (rc = db_step(st)) == DB_ROW) {
		json_t *item = items_indexed(index, db_int_col(st, 0));
		if (!item)
			continue;
		json_object_set_new(item, "body_html", markdown_json(db_text_col(st, 1)));
		if (!db_null_col(st, 2))
			json_object_set_new(item, "edited_at", json_integer(db_int_col(st, 2)));
	}
	db_done(st);
	json_decref(index);
	return rc != DB_ERROR;
}

json_t *feeds_answer(struct req *r, json_t *list, const char *title, const char *self, const char *alternate)
{
	json_t *items = json_object_get(list, "items");
	if (!fill_bodies(r, items)) {
		json_decref(list);
		return req_fail_internal(r);
	}
	size_t n = json_array_size(items);
	struct atom_entry *entries = arena_alloc(&r->arena, sizeof(*entries) * (n ? n : 1));
	struct atom_feed feed = {
		.id = absolute(r, self), .self = absolute(r, self), .alternate = absolute(r, alternate),
		.title = arena_printf(&r->arena, "%s · %s", title, config.site_name),
		.base = absolute(r, "/"), .lang = i18n_locale_code(r->locale), .updated = 0,
	};
	for (size_t i = 0; i < n; i++) {
		json_t *item = json_array_get(items, i), *tags = json_object_get(item, "tags");
		int64_t id = json_integer_value(json_object_get(item, "id"));
		int64_t created = json_integer_value(json_object_get(item, "created_at"));
		int64_t edited = json_integer_value(json_object_get(item, "edited_at"));
		json_t *author = json_object_get(item, "author");
		const char **categories = arena_alloc(&r->arena, sizeof(*categories) * (json_array_size(tags) + 1));
		size_t k;
		json_t *tag;
		json_array_foreach(tags, k, tag)
			categories[k] = json_string_value(tag);
		categories[json_array_size(tags)] = NULL;
		entries[i] = (struct atom_entry){
			.id = absolute(r, link_item_id(&r->arena, id)),
			.title = entry_title(r, item),
			.link = absolute(r, json_string_value(json_object_get(item, "url"))),
			.author_name = json_string_value(json_object_get(author, "name")),
			.author_uri = absolute(r, link_person(&r->arena, json_string_value(json_object_get(author, "handle")))),
			.published = created,
			.updated = edited > created ? edited : created,
			.summary = json_string_value(json_object_get(item, "excerpt")),
			.content_html = json_string_value(json_object_get(item, "body_html")),
			.categories = categories,
			.category_scheme = absolute(r, "/tags/"),
		};
		if (entries[i].updated > feed.updated)
			feed.updated = entries[i].updated;
	}
	/* With no entries there is nothing newer to tell: the time it is read. */
	if (n == 0)
		feed.updated = r->now;
	atom_write(&r->body_out, &feed, entries, n);
	json_decref(list);
	r->status = 200;
	r->content_type = FEED_TYPE;
	return NULL;
}

/* ---- the public feeds -------------------------------------------------------- */

json_t *feeds_as_visitor(struct req *r, json_t *(*feed)(struct req *r))
{
	struct user *member = r->user;
	r->user = NULL;
	json_t *out = feed(r);
	r->user = member;
	return out;
}

static json_t *community_feed(struct req *r)
{
	struct community_access a;
	if (!communities_access(r, req_path_param(r, "slug"), &a) || !a.can_read)
		return req_fail(r, 404, "not_found", N_("There is no such community."));
	struct item_filter f = {.community_id = a.id};
	json_t *list = items_list(r, &f);
	const char *page = link_community(&r->arena, a.slug);
	return list ? feeds_answer(r, list, a.name, arena_printf(&r->arena, "%s/feed", page), page) : NULL;
}

static json_t *tag_feed(struct req *r)
{
	char name[4 * TAG_MAX_CHARS + 8];
	if (!tag_normalise(req_path_param(r, "tag"), name, sizeof(name)))
		return req_fail(r, 404, "not_found", N_("There is no such tag."));
	struct item_filter f = {.kind = "all", .tag = name};
	json_t *list = items_list(r, &f);
	const char *page = link_tag(&r->arena, name);
	return list ? feeds_answer(r, list, name, arena_printf(&r->arena, "%s/feed", page), page) : NULL;
}

static json_t *person_feed(struct req *r)
{
	struct profile p;
	if (!users_profile(r->db, &r->arena, req_path_param(r, "handle"), &p))
		return req_fail(r, 404, "not_found", N_("There is no such member."));
	struct item_filter f = {.kind = "all", .author_id = p.id};
	json_t *list = items_list(r, &f);
	const char *page = link_person(&r->arena, p.handle);
	return list ? feeds_answer(r, list, p.name, arena_printf(&r->arena, "%s/feed", page), page) : NULL;
}

json_t *feeds_community(struct req *r)
{
	return feeds_as_visitor(r, community_feed);
}

json_t *feeds_tag(struct req *r)
{
	return feeds_as_visitor(r, tag_feed);
}

json_t *feeds_person(struct req *r)
{
	return feeds_as_visitor(r, person_feed);
}

void feeds_offer(struct req *r, json_t *model, const char *path, const char *title)
{
	json_object_set_new(model, "atom_feed", json_pack("{s:s, s:s}", "url", path, "title",
							  arena_printf(&r->arena, "%s · %s", title, config.site_name)));
}

/* ---- the personal feeds ------------------------------------------------------ */

/* The address of a member's feed with the secret. */
static const char *key_path(struct req *r, enum feed_key feed, const char *secret)
{
	return arena_printf(&r->arena, feed == FEED_CALENDAR ? "/calendar/%s/events.ics" : "/feed/%s", secret);
}

static const char *const key_names[] = {[FEED_ATOM] = "atom", [FEED_CALENDAR] = "calendar"};

json_t *feeds_as_member(struct req *r, enum feed_key feed, json_t *(*answer)(struct req *r, const char *self))
{
	const char *secret = req_path_param(r, "secret");
	int64_t id = token_shaped(secret, SECRET_BYTES)
		? db_scalar_int(r->db, 0, "SELECT user_id FROM feed_keys WHERE feed = ? AND secret = ?",
				DB_ARGS(db_text(key_names[feed]), db_text(secret)))
		: 0;
	/* users_get loads no excluded member: their feed ends with them. */
	struct user *member = id ? users_get(r->db, &r->arena, id) : NULL;
	if (!member)
		return db_failed(r->db) ? req_fail_internal(r)
					: req_fail(r, 404, "not_found", N_("There is no such feed."));
	/* It is read with the member's rights and language, and never kept
	 * in the page cache, whose copies hold no member (nor know when one
	 * is excluded). An error is shown to whoever asked, as before. */
	r->cache_key = NULL;
	struct user *asker = r->user;
	r->user = member;
	if (member->locale && i18n_locale_index(member->locale) >= 0)
		r->locale = i18n_locale_index(member->locale);
	json_t *out = answer(r, key_path(r, feed, secret));
	r->user = asker;
	return out;
}

static json_t *followed_feed(struct req *r, const char *self)
{
	struct item_filter f = {.kind = "all", .own_sql = FOLLOWED_SQL,
				.own_args = {db_int(r->user->id), db_int(r->user->id)}, .nown_args = 2};
	json_t *list = items_list(r, &f);
	return list ? feeds_answer(r, list, tr(r, N_("What you follow")), self, "/") : NULL;
}

json_t *feeds_personal(struct req *r)
{
	return feeds_as_member(r, FEED_ATOM, followed_feed);
}

json_t *feeds_key_url(struct req *r, enum feed_key feed)
{
	struct db_stmt *st = db_query(r->db, "SELECT secret FROM feed_keys WHERE user_id = ? AND feed = ?",
				      DB_ARGS(db_int(r->user->id), db_text(key_names[feed])));
	json_t *url = json_null();
	if (st && db_step(st) == DB_ROW)
		url = json_string(absolute(r, key_path(r, feed, db_text_col(st, 0))));
	db_done(st);
	return url;
}

json_t *feeds_personal_url(struct req *r)
{
	return feeds_key_url(r, FEED_ATOM);
}

const char *feeds_key_renew(struct req *r, enum feed_key feed)
{
	char secret[2 * SECRET_BYTES + 1];
	token_random(secret, SECRET_BYTES);
	if (db_exec(r->db, "INSERT INTO feed_keys (user_id, feed, secret, created_at) VALUES (?, ?, ?, ?) "
			   "ON CONFLICT (user_id, feed) DO UPDATE SET secret = excluded.secret,"
			   " created_at = excluded.created_at",
		    DB_ARGS(db_int(r->user->id), db_text(key_names[feed]), db_text(secret), db_int(r->now))) < 0)
		return NULL;
	return absolute(r, key_path(r, feed, secret));
}

bool feeds_key_revoke(struct req *r, enum feed_key feed)
{
	return db_exec(r->db, "DELETE FROM feed_keys WHERE user_id = ? AND feed = ?",
		       DB_ARGS(db_int(r->user->id), db_text(key_names[feed]))) >= 0;
}

json_t *feeds_renew(struct req *r)
{
	const char *url = feeds_key_renew(r, FEED_ATOM);
	return url ? req_done(r, 200, "/settings?saved=1#feed", json_pack("{s:s}", "url", url)) : req_fail_internal(r);
}
