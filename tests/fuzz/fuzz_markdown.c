/*
 * fuzz_markdown: untrusted Markdown through markdown_render (valid UTF-8,
 * only its tags, attributes and links, none protocol-relative),
 * markdown_plain (one line), markdown_json, markdown_excerpt_json and
 * markdown_mentions, which must report exactly the mentions the HTML links.
 */
#include "fuzz.h"

#include "../unit/html_check.h"
#include "core/text.h"
#include "render/markdown.h"

#include <jansson.h>
#include <string.h>

#define MENTION_LINK "<a class=\"mention\" href=\"/people/"

/* Handles as records of HANDLE_SIZE bytes, NUL-padded, in a buf. */
#define HANDLE_SIZE 33

static void add_record(struct buf *set, const char *h, size_t n)
{
	char record[HANDLE_SIZE] = {0};
	FUZZ_CHECK(n >= 2 && n < HANDLE_SIZE);
	memcpy(record, h, n);
	buf_append(set, record, HANDLE_SIZE);
}

static void add_handle(const char *h, size_t n, void *ctx)
{
	add_record(ctx, h, n);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Sorts the records and drops repeats; returns how many there were. */
static size_t sort_unique(struct buf *set)
{
	size_t n = set->len / HANDLE_SIZE, kept = 0;
	if (n)
		qsort(set->data, n, HANDLE_SIZE, by_name);
	for (size_t i = 0; i < n; i++)
		if (!kept || strcmp(set->data + (kept - 1) * HANDLE_SIZE, set->data + i * HANDLE_SIZE) != 0)
			memmove(set->data + kept++ * HANDLE_SIZE, set->data + i * HANDLE_SIZE, HANDLE_SIZE);
	set->len = kept * HANDLE_SIZE;
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct buf html = {0};
	FUZZ_CHECK(markdown_render(text, size, &html));
	const char *h = html.data ? html.data : "";
	char why[200];
	FUZZ_CHECK(strlen(h) == html.len && utf8_valid(h, html.len));
	if (!html_check(h, &markdown_html_rules, why, sizeof(why))) {
		fprintf(stderr, "unsafe HTML: %s\n", why);
		abort();
	}

	struct buf mentioned = {0}, linked = {0};
	markdown_mentions(text, size, add_handle, &mentioned);
	for (const char *p = h; (p = strstr(p, MENTION_LINK)); ) {
		p += strlen(MENTION_LINK);
		add_record(&linked, p, strcspn(p, "\""));
	}
	/* each once, and the same as linked */
	FUZZ_CHECK(sort_unique(&mentioned) == mentioned.len / HANDLE_SIZE);
	sort_unique(&linked);
	FUZZ_CHECK(mentioned.len == linked.len &&
		   (!linked.len || memcmp(mentioned.data, linked.data, linked.len) == 0));

	struct buf plain = {0};
	markdown_plain(text, size, &plain);
	const char *pl = plain.data ? plain.data : "";
	FUZZ_CHECK(utf8_valid(pl, plain.len));
	/* one line, white space as single spaces between words */
	FUZZ_CHECK(!strpbrk(pl, "\t\n\r") && !strstr(pl, "  "));
	FUZZ_CHECK(!plain.len || (pl[0] != ' ' && pl[plain.len - 1] != ' '));

	char *s = strndup(text, size);
	json_t *j = markdown_json(s);
	FUZZ_CHECK(json_is_string(j));
	json_decref(j);
	j = markdown_excerpt_json(s);
	FUZZ_CHECK(json_is_string(j) && strlen(json_string_value(j)) <= MARKDOWN_EXCERPT_MAX + 3);
	json_decref(j);
	free(s);
	buf_free(&plain);
	buf_free(&mentioned);
	buf_free(&linked);
	buf_free(&html);
	return 0;
}
