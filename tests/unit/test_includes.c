/* The include graph of src/ (found through KRING_SRC): its modules come in
 * layers, and no module includes a header of a higher layer or sits on an
 * include cycle.
 *
 * A module is a .c file and the .h of the same path (src/db/db.c and
 * src/db/db.h are the module db/db). A module depends on another when one
 * of its two files includes the other's header. The layers, from the
 * lowest: core; db, i18n; http, auth, render, search, jobs; features,
 * import; the top level (src/main.c, src/routes.c, src/job_kinds.c …). A
 * table the top level fills for a lower layer (routes[], job_kinds[]) is
 * declared in that layer's header and defined at the top level, so no
 * lower file includes a top-level header.
 *
 * A header without a .c of its own (src/db/backend.h, the parts of a
 * connection the database backends share; src/features/features.h, the
 * handlers of the feature files that have no header) is no module: it has
 * no code to depend on. What it includes counts as included by each module
 * that includes it, so a cycle through it is still a cycle, while db/db.c
 * including db/backend.h, which includes db/db.h again, is not one. Its
 * own includes obey the layers like any file's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/mem.h"
#include "sources.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The directories under src/ by layer, from the lowest; "" is src/ itself. */
static const struct {
	const char *dir;
	int layer;
} layers[] = {
	{"core", 0},  {"db", 1},       {"i18n", 1},   {"http", 2}, {"auth", 2}, {"render", 2},
	{"search", 2}, {"jobs", 2},    {"features", 3}, {"import", 3}, {"", 4},
};

struct src_file {
	char *path; /* "src/db/db.c" */
	char *text;
};

struct include {
	size_t file;  /* the file the line is in */
	int line;
	char header[256]; /* as written: "db/db.h" */
	long target;      /* the file it names, or -1 */
};

struct graph {
	const struct src_file *files;
	size_t nfiles;
	long *module_of; /* a file's module; -1 for a header without a .c */
	char **modules;  /* "db/db" */
	size_t nmodules;
	struct include *incs;
	size_t nincs;
	char **edge; /* nmodules x nmodules: why a depends on b, or NULL */
	struct buf *report;
	size_t problems;
};

/* "db/db" for "src/db/db.c" (malloc'd). */
static char *stem_of(const char *path)
{
	const char *p = strncmp(path, "src/", 4) == 0 ? path + 4 : path;
	const char *dot = strrchr(p, '.');
	return xstrndup(p, dot ? (size_t)(dot - p) : strlen(p));
}

/* The layer of a file by its directory under src/; -1 when the directory
 * has none. */
static int layer_of(const char *path, const char **dir_name)
{
	const char *p = path + 4, *slash = strchr(p, '/');
	size_t n = slash ? (size_t)(slash - p) : 0;
	for (size_t i = 0; i < COUNT(layers); i++)
		if (strlen(layers[i].dir) == n && strncmp(layers[i].dir, p, n) == 0) {
			*dir_name = n ? layers[i].dir : "the top level";
			return layers[i].layer;
		}
	return -1;
}

static long file_named(const struct graph *g, const char *path)
{
	for (size_t i = 0; i < g->nfiles; i++)
		if (strcmp(g->files[i].path, path) == 0)
			return (long)i;
	return -1;
}

static bool is_header(const char *path)
{
	return path[strlen(path) - 1] == 'h';
}

/* The modules: one per path stem with a .c; headers without one get -1. */
static void find_modules(struct graph *g)
{
	g->module_of = xcalloc(g->nfiles, sizeof(*g->module_of));
	g->modules = xcalloc(g->nfiles, sizeof(*g->modules));
	for (size_t i = 0; i < g->nfiles; i++) {
		char *stem = stem_of(g->files[i].path);
		g->module_of[i] = -1;
		bool has_c = !is_header(g->files[i].path);
		for (size_t j = 0; j < g->nfiles && !has_c; j++) {
			char *other = stem_of(g->files[j].path);
			has_c = !is_header(g->files[j].path) && strcmp(other, stem) == 0;
			free(other);
		}
		for (size_t m = 0; m < g->nmodules && has_c && g->module_of[i] < 0; m++)
			if (strcmp(g->modules[m], stem) == 0)
				g->module_of[i] = (long)m;
		if (has_c && g->module_of[i] < 0) {
			g->module_of[i] = (long)g->nmodules;
			g->modules[g->nmodules++] = stem;
		} else {
			free(stem);
		}
	}
}

/* Every #include "…" line of the code (not in a comment). */
static void find_includes(struct graph *g)
{
	size_t cap = 0;
	for (size_t f = 0; f < g->nfiles; f++) {
		const char *text = g->files[f].text;
		char *code = source_code(text);
		int line = 1;
		for (size_t at = 0; text[at]; line++) {
			size_t end = at + strcspn(text + at, "\n");
			size_t p = at + strspn(text + at, " \t");
			char header[256];
			if (code[p] == '#' && sscanf(text + p, "# include \"%255[^\"]\"", header) == 1) {
				if (g->nincs == cap) {
					cap = cap ? 2 * cap : 256;
					g->incs = xrealloc(g->incs, cap * sizeof(*g->incs));
				}
				struct include *inc = &g->incs[g->nincs++];
				*inc = (struct include){.file = f, .line = line};
				snprintf(inc->header, sizeof(inc->header), "%s", header);
				char path[300];
				snprintf(path, sizeof(path), "src/%s", header);
				inc->target = file_named(g, path);
			}
			at = text[end] ? end + 1 : end;
		}
		free(code);
	}
}

/* Each include names a file of src/, of the same or a lower layer. */
static void check_layers(struct graph *g)
{
	for (size_t f = 0; f < g->nfiles; f++) {
		const char *dir;
		if (layer_of(g->files[f].path, &dir) < 0)
			{
			buf_printf(g->report, "%s: the directory of this file has no layer: give it one in layers[]\n",
				   g->files[f].path);
			g->problems++;
		}
	}
	for (size_t i = 0; i < g->nincs; i++) {
		const struct include *inc = &g->incs[i];
		const char *from = g->files[inc->file].path, *from_dir, *to_dir;
		char where[300];
		snprintf(where, sizeof(where), "%s:%d", from, inc->line);
		if (inc->target < 0) {
			buf_printf(g->report, "%s: includes \"%s\", which is no file under src/\n", where, inc->header);
			g->problems++;
			continue;
		}
		int from_layer = layer_of(from, &from_dir), to_layer = layer_of(g->files[inc->target].path, &to_dir);
		if (from_layer < 0 || to_layer <= from_layer)
			continue;
		buf_printf(g->report, "%s: includes %s: %s is below %s and may not include it\n", where,
			   inc->header, from_dir, to_dir);
		g->problems++;
	}
}

/* Records that module m depends on the modules the include inc names: its
 * own module, or, for a header without a .c, what that header includes.
 * why says how (the include lines so far). */
static void add_edges(struct graph *g, size_t m, const struct include *inc, const char *why, int depth)
{
	long t = inc->target;
	if (t < 0)
		return;
	char *how = xstrdup(why);
	size_t len = strlen(how);
	how = xrealloc(how, len + 400);
	snprintf(how + len, 400, "%s%s:%d: %s", len ? ", " : "", g->files[inc->file].path, inc->line,
		 inc->header);
	if (g->module_of[t] >= 0) {
		size_t to = (size_t)g->module_of[t];
		if (to != m && !g->edge[m * g->nmodules + to])
			g->edge[m * g->nmodules + to] = xstrdup(how);
	} else if (depth > 16) {
		buf_printf(g->report, "%s: headers without a .c include each other in a loop\n", how);
		g->problems++;
	} else {
		for (size_t i = 0; i < g->nincs; i++)
			if (g->incs[i].file == (size_t)t)
				add_edges(g, m, &g->incs[i], how, depth + 1);
	}
	free(how);
}

/* The shortest cycle through module start within the modules marked in
 * scc, as module indices in order (returns how many). */
static size_t shortest_cycle(const struct graph *g, size_t start, const bool *scc, size_t *cycle)
{
	size_t n = g->nmodules, *queue = xcalloc(n, sizeof(*queue));
	long *prev = xcalloc(n, sizeof(*prev));
	for (size_t i = 0; i < n; i++)
		prev[i] = -1;
	size_t head = 0, tail = 0, last = start;
	queue[tail++] = start;
	bool closed = false;
	while (head < tail && !closed) {
		size_t a = queue[head++];
		for (size_t b = 0; b < n && !closed; b++) {
			if (!g->edge[a * n + b] || !scc[b])
				continue;
			if (b == start) {
				closed = true;
				last = a;
			} else if (prev[b] < 0) {
				prev[b] = (long)a;
				queue[tail++] = b;
			}
		}
	}
	size_t len = 0;
	for (long at = (long)last; at >= 0 && (size_t)at != start; at = prev[at])
		cycle[len++] = (size_t)at;
	cycle[len++] = start;
	for (size_t i = 0; i < len / 2; i++) {
		size_t t = cycle[i];
		cycle[i] = cycle[len - 1 - i];
		cycle[len - 1 - i] = t;
	}
	free(queue);
	free(prev);
	return len;
}

/* Each set of modules that reach one another (more than one) is a cycle:
 * names them and the include lines of its shortest cycle. */
static void check_cycles(struct graph *g)
{
	size_t n = g->nmodules;
	bool *reach = xcalloc(n * n, sizeof(*reach)), *done = xcalloc(n, sizeof(*done));
	for (size_t i = 0; i < n * n; i++)
		reach[i] = g->edge[i] != NULL;
	for (size_t k = 0; k < n; k++)
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0; i != k && reach[i * n + k] && j < n; j++)
				reach[i * n + j] |= reach[k * n + j];
	bool *scc = xcalloc(n, sizeof(*scc));
	size_t *cycle = xcalloc(n + 1, sizeof(*cycle));
	for (size_t i = 0; i < n; i++) {
		if (done[i] || !reach[i * n + i])
			continue;
		buf_puts(g->report, "include cycle between");
		for (size_t j = 0; j < n; j++) {
			scc[j] = j == i || (reach[i * n + j] && reach[j * n + i]);
			done[j] |= scc[j];
			if (scc[j])
				buf_printf(g->report, " %s", g->modules[j]);
		}
		size_t len = shortest_cycle(g, i, scc, cycle);
		buf_puts(g->report, "; one cycle:\n");
		for (size_t c = 0; c < len; c++)
			buf_printf(g->report, "  %s\n", g->edge[cycle[c] * n + cycle[(c + 1) % len]]);
		g->problems++;
	}
	free(reach);
	free(done);
	free(scc);
	free(cycle);
}

/* Checks the files (by path) against the layers and for include cycles;
 * writes what is wrong to report and returns how many problems there
 * were. */
static size_t check_includes(const struct src_file *files, size_t nfiles, struct buf *report)
{
	struct graph g = {.files = files, .nfiles = nfiles, .report = report};
	find_modules(&g);
	find_includes(&g);
	check_layers(&g);
	g.edge = xcalloc(g.nmodules * g.nmodules + 1, sizeof(*g.edge));
	for (size_t i = 0; i < g.nincs; i++) {
		long m = g.module_of[g.incs[i].file];
		if (m >= 0)
			add_edges(&g, (size_t)m, &g.incs[i], "", 0);
	}
	check_cycles(&g);
	for (size_t i = 0; i < g.nmodules * g.nmodules; i++)
		free(g.edge[i]);
	for (size_t i = 0; i < g.nmodules; i++)
		free(g.modules[i]);
	free(g.edge);
	free(g.modules);
	free(g.module_of);
	free(g.incs);
	return g.problems;
}

/* ---- the checker on small made-up trees --------------------------------------- */

/* Runs the checker over files given as path, text, path, text …, and
 * compares what it reports with want. */
static void expect_report(const char *const *tree, size_t n, size_t problems, const char *want)
{
	struct src_file *files = xcalloc(n / 2, sizeof(*files));
	for (size_t i = 0; i < n / 2; i++)
		files[i] = (struct src_file){(char *)tree[2 * i], (char *)tree[2 * i + 1]};
	struct buf report = {0};
	size_t found = check_includes(files, n / 2, &report);
	buf_putc(&report, '\0');
	assert_string_equal(report.data, want);
	assert_int_equal(found, problems);
	buf_free(&report);
	free(files);
}

/* A tree that keeps the rules, with a private header that includes its
 * module's header back, includes in comments and strings, and the top
 * level filling a table a lower header declares. */
static const char *const clean_tree[] = {
	"src/core/buf.c", "#include \"core/buf.h\"\n",
	"src/core/buf.h", "/* no includes */\n",
	"src/db/db.c", "#include \"db/db.h\"\n#include \"db/backend.h\"\n",
	"src/db/db.h", "#include \"core/buf.h\"\n",
	"src/db/backend.h", "#include \"db/db.h\"\n",
	"src/db/sqlite.c", "#include \"db/backend.h\"\n",
	"src/http/router.c", "#include \"http/router.h\"\n",
	"src/http/router.h", "/* routes[] is defined in src/routes.c */\n",
	"src/features/tags.c", "#include \"features/tags.h\"\n#include \"db/db.h\"\n"
			       "/*\n#include \"main.h\"\n*/\nconst char *s = \"#include \\\"main.h\\\"\";\n",
	"src/features/tags.h", "#include \"core/buf.h\"\n",
	"src/routes.c", "#include \"http/router.h\"\n#include \"features/tags.h\"\n",
	"src/main.c", "  #  include \"features/tags.h\"\n#include <stdio.h>\n",
};

static void a_clean_tree_passes(void **state)
{
	(void)state;
	expect_report(clean_tree, COUNT(clean_tree), 0, "");
}

static void a_cycle_is_named_with_its_includes(void **state)
{
	(void)state;
	static const char *const tree[] = {
		"src/features/items.c", "#include \"features/items.h\"\n#include \"features/tags.h\"\n",
		"src/features/items.h", "",
		"src/features/people.c", "#include \"features/items.h\"\n",
		"src/features/tags.c", "#include \"features/tags.h\"\n",
		"src/features/tags.h", "\n#include \"features/people.h\"\n",
		"src/features/people.h", "",
		"src/features/orgs.c", "#include \"features/people.h\"\n",
	};
	expect_report(tree, COUNT(tree), 1,
		      "include cycle between features/items features/people features/tags; one cycle:\n"
		      "  src/features/items.c:2: features/tags.h\n"
		      "  src/features/tags.h:2: features/people.h\n"
		      "  src/features/people.c:1: features/items.h\n");
}

/* A cycle through a header without a .c is found all the same. */
static void a_cycle_through_a_private_header_is_found(void **state)
{
	(void)state;
	static const char *const tree[] = {
		"src/db/db.c", "#include \"db/shared.h\"\n",
		"src/db/db.h", "",
		"src/db/shared.h", "#include \"db/copy.h\"\n",
		"src/db/copy.c", "#include \"db/db.h\"\n",
		"src/db/copy.h", "",
	};
	expect_report(tree, COUNT(tree), 1,
		      "include cycle between db/db db/copy; one cycle:\n"
		      "  src/db/db.c:1: db/shared.h, src/db/shared.h:1: db/copy.h\n"
		      "  src/db/copy.c:1: db/db.h\n");
}

static void a_higher_layer_is_not_included(void **state)
{
	(void)state;
	static const char *const tree[] = {
		"src/auth/users.c", "#include \"core/buf.h\"\n#include \"features/tags.h\"\n",
		"src/core/buf.h", "",
		"src/features/tags.c", "",
		"src/features/tags.h", "",
		"src/db/db.c", "#include \"config.h\"\n#include \"http/assets.h\"\n",
		"src/config.c", "",
		"src/config.h", "",
		"src/http/assets.c", "",
		"src/http/assets.h", "#include \"features/features.h\"\n",
		"src/features/features.h", "",
		"src/widgets/w.c", "#include \"nowhere.h\"\n",
	};
	expect_report(tree, COUNT(tree), 6,
		      "src/widgets/w.c: the directory of this file has no layer: give it one in layers[]\n"
		      "src/auth/users.c:2: includes features/tags.h: auth is below features and may not include it\n"
		      "src/db/db.c:1: includes config.h: db is below the top level and may not include it\n"
		      "src/db/db.c:2: includes http/assets.h: db is below http and may not include it\n"
		      "src/http/assets.h:1: includes features/features.h: http is below features and may not "
		      "include it\n"
		      "src/widgets/w.c:1: includes \"nowhere.h\", which is no file under src/\n");
}

/* ---- kring's own tree ---------------------------------------------------------- */

struct collected {
	struct src_file *files;
	size_t n, cap;
};

static void collect(const char *rel, const char *text, void *ctx)
{
	struct collected *c = ctx;
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 128;
		c->files = xrealloc(c->files, c->cap * sizeof(*c->files));
	}
	c->files[c->n++] = (struct src_file){xstrdup(rel), xstrdup(text)};
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct src_file *)a)->path, ((const struct src_file *)b)->path);
}

static void the_sources_keep_their_layers_without_cycles(void **state)
{
	(void)state;
	struct collected c = {0};
	assert_true(source_visit_src(collect, &c) > 50);
	qsort(c.files, c.n, sizeof(*c.files), by_path);
	struct buf report = {0};
	size_t problems = check_includes(c.files, c.n, &report);
	if (problems)
		fprintf(stderr, "the include graph of src/ (see the top of tests/unit/test_includes.c):\n%.*s",
			(int)report.len, report.data);
	buf_free(&report);
	for (size_t i = 0; i < c.n; i++) {
		free(c.files[i].path);
		free(c.files[i].text);
	}
	free(c.files);
	assert_int_equal(problems, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_clean_tree_passes),
		cmocka_unit_test(a_cycle_is_named_with_its_includes),
		cmocka_unit_test(a_cycle_through_a_private_header_is_found),
		cmocka_unit_test(a_higher_layer_is_not_included),
		cmocka_unit_test(the_sources_keep_their_layers_without_cycles),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
