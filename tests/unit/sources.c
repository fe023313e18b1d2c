/* sources: a scan of kring's own C sources (see sources.h). */
#include "sources.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"

char *source_code(const char *text)
{
	size_t n = strlen(text);
	char *out = malloc(n + 1);
	assert_non_null(out);
	enum { CODE, LINE_COMMENT, BLOCK_COMMENT, STRING, CHAR } in = CODE;
	for (size_t i = 0; i < n; i++) {
		char c = text[i], next = text[i + 1];
		out[i] = in == CODE || c == '\n' ? c : ' ';
		switch (in) {
		case CODE:
			if (c == '/' && next == '/')
				in = LINE_COMMENT;
			else if (c == '/' && next == '*')
				in = BLOCK_COMMENT;
			else if (c == '"')
				in = STRING;
			else if (c == '\'')
				in = CHAR;
			if (in != CODE)
				out[i] = ' ';
			break;
		case LINE_COMMENT:
			if (c == '\n')
				in = CODE;
			break;
		case BLOCK_COMMENT:
			if (c == '*' && next == '/') {
				out[++i] = ' ';
				in = CODE;
			}
			break;
		case STRING:
		case CHAR:
			if (c == '\\' && next) {
				out[++i] = next == '\n' ? '\n' : ' ';
			} else if ((in == STRING && c == '"') || (in == CHAR && c == '\'')) {
				in = CODE;
			} else if (c == '\n') {
				in = CODE; /* not C; do not blank the rest of the file */
			}
			break;
		}
	}
	out[n] = '\0';
	return out;
}

static bool ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Whether the code at p is the word. */
static bool word_at(const char *code, const char *p, const struct source_word *w)
{
	size_t len = strlen(w->name);
	if (strncmp(p, w->name, len) != 0 || (p > code && ident_char(p[-1])) || ident_char(p[len]))
		return false;
	if (!w->call)
		return true;
	const char *q = p + len;
	while (*q == ' ' || *q == '\t' || *q == '\n')
		q++;
	return *q == '(';
}

void source_find_words(const char *rel, const char *text, const struct source_word *words, size_t n,
		       struct buf *found)
{
	char *code = source_code(text);
	int line = 1;
	for (const char *p = code; *p; p++) {
		if (*p == '\n') {
			line++;
			continue;
		}
		for (size_t i = 0; i < n; i++)
			if (word_at(code, p, &words[i]))
				buf_printf(found, "%s:%d: %s\n", rel, line, words[i].name);
	}
	free(code);
}

static char *read_whole(const char *path)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	struct buf b = {0};
	assert_true(buf_read_file(&b, f));
	fclose(f);
	return buf_take(&b);
}

static bool is_c_source(const char *name)
{
	size_t n = strlen(name);
	return n > 2 && name[n - 2] == '.' && (name[n - 1] == 'c' || name[n - 1] == 'h');
}

static int visit_tree(const char *root, const char *dir, void (*visit)(const char *, const char *, void *),
		      void *ctx)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", root, dir);
	DIR *d = opendir(path);
	assert_non_null(d);
	int files = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char rel[2048], full[4096 + 2048];
		snprintf(rel, sizeof(rel), "%s/%s", dir, e->d_name);
		snprintf(full, sizeof(full), "%s/%s", root, rel);
		struct stat st;
		if (stat(full, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			files += visit_tree(root, rel, visit, ctx);
		} else if (is_c_source(e->d_name)) {
			char *text = read_whole(full);
			visit(rel, text, ctx);
			free(text);
			files++;
		}
	}
	closedir(d);
	return files;
}

int source_visit(const char *dir, void (*visit)(const char *rel, const char *text, void *ctx), void *ctx)
{
	const char *root = getenv("KRING_SRC");
	if (!root || !*root)
		fail_msg("KRING_SRC is not set: it names the source tree to scan");
	return visit_tree(root, dir, visit, ctx);
}

int source_visit_src(void (*visit)(const char *rel, const char *text, void *ctx), void *ctx)
{
	return source_visit("src", visit, ctx);
}

size_t source_report(const struct buf *found, const char *why)
{
	size_t lines = 0;
	for (size_t i = 0; i < found->len; i++)
		lines += found->data[i] == '\n';
	if (lines)
		fprintf(stderr, "%s:\n%.*s", why, (int)found->len, found->data);
	return lines;
}
