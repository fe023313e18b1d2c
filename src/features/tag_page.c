/* tag_page: the page of a topic tag (see tag_page.h). */
#include "features/tag_page.h"

#include "auth/users.h"
#include "features/feeds.h"
#include "features/follows.h"
#include "features/items.h"
#include "features/people.h"
#include "features/tags.h"
#include "http/req.h"
#include "i18n/i18n.h"
#include "render/links.h"

json_t *tag_page(struct req *r)
{
	char name[4 * TAG_MAX_CHARS + 8];
	if (!tag_normalise(req_path_param(r, "tag"), name, sizeof(name)))
		return req_fail(r, 404, "not_found", N_("There is no such tag."));
	struct item_filter f = {.kind = "all", .tag = name, .cursor = req_query(r, "cursor")};
	json_t *page = items_list(r, &f);
	if (!page)
		return NULL;
	json_object_set_new(page, "title", json_string(name));
	json_object_set_new(page, "tag", json_string(name));
	/* Who knows about it: people who list the tag as expertise. */
	struct users_dir_filter people = {.tag_id = tags_find(r->db, name), .limit = 12};
	json_t *follow = follows_button(r, FOLLOW_TAG, people.tag_id, link_tag(&r->arena, name));
	if (follow)
		json_object_set_new(page, "follow", follow);
	feeds_offer(r, page, arena_printf(&r->arena, "%s/feed", link_tag(&r->arena, name)), name);
	struct users_dir_row *rows = NULL;
	int n = people.tag_id ? users_directory(r->db, &r->arena, &people, &rows) : 0;
	json_object_set_new(page, "people", people_summaries(r, rows, n > 0 ? n : 0));
	return page;
}
