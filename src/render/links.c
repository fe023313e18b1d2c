#include "render/links.h"

#include <inttypes.h>
#include <string.h>

#include "core/config.h"
#include "core/text.h"

/* prefix followed by each of the n segments, each after a '/'. */
static const char *build(struct arena *a, const char *prefix, const char *const *segments, int n)
{
	struct buf b = {0};
	buf_puts(&b, prefix);
	for (int i = 0; i < n; i++) {
		buf_putc(&b, '/');
		buf_put_percent(&b, segments[i], strlen(segments[i]), "");
	}
	const char *s = arena_strndup(a, b.data, b.len);
	buf_free(&b);
	return s;
}

/* prefix, the id and suffix, without printf's cost. */
static const char *around_id(struct arena *a, const char *prefix, int64_t id, const char *suffix)
{
	size_t np = strlen(prefix), ns = strlen(suffix);
	char *s = arena_alloc(a, np + TEXT_INT_SIZE + ns);
	memcpy(s, prefix, np);
	size_t n = np + text_int(s + np, id);
	memcpy(s + n, suffix, ns + 1);
	return s;
}

const char *link_community(struct arena *a, const char *slug)
{
	return build(a, "/c", &slug, 1);
}

const char *link_item(struct arena *a, int64_t id, const char *title)
{
	char slug[64];
	text_slug(title ? title : "", slug, sizeof(slug));
	return *slug ? arena_printf(a, "/items/%" PRId64 "-%s", id, slug) : link_item_id(a, id);
}

const char *link_absolute(struct arena *a, const char *path)
{
	const char *base = config.base_url ? config.base_url : "";
	size_t n = strlen(base);
	while (n > 0 && base[n - 1] == '/')
		n--;
	return arena_printf(a, "%.*s%s", (int)n, base, path);
}

const char *link_item_id(struct arena *a, int64_t id)
{
	return around_id(a, "/items/", id, "");
}

const char *link_item_react(struct arena *a, int64_t id)
{
	return around_id(a, "/items/", id, "/react");
}

const char *link_comment_react(struct arena *a, int64_t id)
{
	return around_id(a, "/comments/", id, "/react");
}

const char *link_person(struct arena *a, const char *handle)
{
	return build(a, "/people", &handle, 1);
}

const char *link_org(struct arena *a, const char *slug)
{
	return build(a, "/orgs", &slug, 1);
}

const char *link_tag(struct arena *a, const char *tag)
{
	return build(a, "/tags", &tag, 1);
}

const char *link_tag_expert(struct arena *a, const char *tag, const char *handle)
{
	const char *segments[] = {tag, "experts", handle};
	return build(a, "/tags", segments, 3);
}

const char *link_file(struct arena *a, const char *sha256, const char *name)
{
	const char *segments[] = {sha256, name};
	return build(a, "/files", segments, 2);
}

const char *link_file_preview(struct arena *a, const char *sha256, const char *name)
{
	const char *segments[] = {sha256, "preview", name};
	return build(a, "/files", segments, 3);
}

void link_put_person(struct buf *b, const char *h, size_t n)
{
	buf_puts(b, "/people/");
	buf_put_percent(b, h, n, "");
}
