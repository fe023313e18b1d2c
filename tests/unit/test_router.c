/* Unit tests of http/router: path patterns, parameters, methods, and the
 * consistency of the real route table in routes.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "http/router.h"
#include "render/template.h"

static json_t *h_home(struct req *r) { (void)r; return NULL; }
static json_t *h_login(struct req *r) { (void)r; return NULL; }
static json_t *h_login_post(struct req *r) { (void)r; return NULL; }
static json_t *h_new(struct req *r) { (void)r; return NULL; }
static json_t *h_community(struct req *r) { (void)r; return NULL; }
static json_t *h_join(struct req *r) { (void)r; return NULL; }
static json_t *h_post(struct req *r) { (void)r; return NULL; }
static json_t *h_settings(struct req *r) { (void)r; return NULL; }
static json_t *h_delete(struct req *r) { (void)r; return NULL; }

static const struct route table[] = {
	{"GET", "/", h_home, 0, "home", NULL},
	{"GET", "/login", h_login, 0, "login", "next"},
	{"POST", "/login", h_login_post, 0, "login", "handle,password,next,csrf"},
	{"GET", "/c/new", h_new, ROUTE_AUTH, "community_new", NULL},
	{"GET", "/c/{slug}", h_community, 0, "community", "page"},
	{"POST", "/c/{slug}/join", h_join, ROUTE_AUTH, NULL, "csrf"},
	{"GET", "/c/{slug}/p/{id}", h_post, 0, "post", NULL},
	{"GET", "/settings", h_settings, ROUTE_AUTH, "settings", NULL},
	{"POST", "/admin/users/{id}/delete", h_delete, ROUTE_ADMIN, NULL, "csrf"},
};
#define NTABLE (sizeof(table) / sizeof(table[0]))

static bool match(const char *method, const char *path, struct route_match *m)
{
	memset(m, 0xA5, sizeof(*m)); /* results must not depend on prior contents */
	return router_match(table, NTABLE, method, path, m);
}

static void assert_param(const struct route_match *m, int i, const char *name, const char *value)
{
	assert_true(i < m->nparams);
	assert_int_equal(m->params[i].name_len, strlen(name));
	assert_memory_equal(m->params[i].name, name, strlen(name));
	assert_int_equal(m->params[i].value_len, strlen(value));
	assert_memory_equal(m->params[i].value, value, strlen(value));
}

static void test_static_paths(void **state)
{
	(void)state;
	struct route_match m;
	assert_true(match("GET", "/", &m));
	assert_ptr_equal(m.route, &table[0]);
	assert_int_equal(m.nparams, 0);
	assert_false(m.method_mismatch);

	assert_true(match("GET", "/login", &m));
	assert_ptr_equal(m.route->handler, h_login);
	assert_int_equal(m.nparams, 0);

	assert_true(match("POST", "/login", &m));
	assert_ptr_equal(m.route->handler, h_login_post);

	assert_true(match("GET", "/settings", &m));
	assert_ptr_equal(m.route->handler, h_settings);
	assert_int_equal(m.route->flags, ROUTE_AUTH);
}

static void test_static_wins_over_param_listed_later(void **state)
{
	(void)state;
	struct route_match m;
	assert_true(match("GET", "/c/new", &m));
	assert_ptr_equal(m.route->handler, h_new);
	assert_int_equal(m.nparams, 0);
	/* A slug that merely starts like the static segment is a parameter. */
	assert_true(match("GET", "/c/newer", &m));
	assert_ptr_equal(m.route->handler, h_community);
	assert_param(&m, 0, "slug", "newer");
}

static void test_params(void **state)
{
	(void)state;
	struct route_match m;
	assert_true(match("GET", "/c/rust-lang", &m));
	assert_ptr_equal(m.route->handler, h_community);
	assert_int_equal(m.nparams, 1);
	assert_param(&m, 0, "slug", "rust-lang");

	assert_true(match("POST", "/c/kring/join", &m));
	assert_ptr_equal(m.route->handler, h_join);
	assert_int_equal(m.nparams, 1);
	assert_param(&m, 0, "slug", "kring");

	assert_true(match("GET", "/c/kring/p/42", &m));
	assert_ptr_equal(m.route->handler, h_post);
	assert_int_equal(m.nparams, 2);
	assert_param(&m, 0, "slug", "kring");
	assert_param(&m, 1, "id", "42");

	assert_true(match("POST", "/admin/users/7/delete", &m));
	assert_ptr_equal(m.route->handler, h_delete);
	assert_int_equal(m.nparams, 1);
	assert_param(&m, 0, "id", "7");

	/* Values point into the path itself. */
	const char *path = "/c/abc/p/99";
	assert_true(match("GET", path, &m));
	assert_ptr_equal(m.params[0].value, path + 3);
	assert_ptr_equal(m.params[1].value, path + 9);
}

static void test_param_values_are_raw_segments(void **state)
{
	(void)state;
	struct route_match m;
	assert_true(match("GET", "/c/%C3%A5sa", &m));
	assert_param(&m, 0, "slug", "%C3%A5sa");
	assert_true(match("GET", "/c/a.b_c~d", &m));
	assert_param(&m, 0, "slug", "a.b_c~d");
}

static void test_param_never_spans_segments_or_is_empty(void **state)
{
	(void)state;
	struct route_match m;
	assert_false(match("GET", "/c/", &m));
	assert_false(match("GET", "/c//p/1", &m));
	assert_false(match("GET", "/c/a/b", &m));
	assert_false(match("GET", "/c/kring/p/", &m));
	assert_false(match("GET", "/c/kring/p/1/2", &m));
	assert_false(match("POST", "/c//join", &m));
}

static void test_trailing_slash(void **state)
{
	(void)state;
	struct route_match m;
	assert_true(match("GET", "/settings/", &m));
	assert_ptr_equal(m.route->handler, h_settings);
	assert_true(match("GET", "/c/kring/", &m));
	assert_ptr_equal(m.route->handler, h_community);
	assert_param(&m, 0, "slug", "kring");
	assert_true(match("GET", "/c/kring/p/5/", &m));
	assert_param(&m, 1, "id", "5");
	/* Only one. */
	assert_false(match("GET", "/settings//", &m));
}

static void test_no_match(void **state)
{
	(void)state;
	struct route_match m;
	assert_false(match("GET", "/nope", &m));
	assert_false(m.method_mismatch);
	assert_null(m.route);
	assert_false(match("GET", "", &m));
	assert_false(m.method_mismatch);
	assert_false(match("GET", "/loginx", &m));
	assert_false(match("GET", "/logi", &m));
	assert_false(match("GET", "/Login", &m));
	assert_false(match("GET", "/settings/extra", &m));
	assert_false(match("GET", "login", &m));
	assert_false(m.method_mismatch);
}

static void test_method_mismatch(void **state)
{
	(void)state;
	struct route_match m;
	/* /c/{slug}/join exists only for POST. */
	assert_false(match("GET", "/c/kring/join", &m));
	assert_true(m.method_mismatch);
	assert_null(m.route);
	/* /settings exists only for GET. */
	assert_false(match("POST", "/settings", &m));
	assert_true(m.method_mismatch);
	assert_false(match("DELETE", "/login", &m));
	assert_true(m.method_mismatch);
	assert_false(match("PUT", "/", &m));
	assert_true(m.method_mismatch);
	/* HEAD of a POST-only path is a mismatch as well. */
	assert_false(match("HEAD", "/admin/users/1/delete", &m));
	assert_true(m.method_mismatch);
	/* A mismatch earlier in the table does not stick when a later route
	 * matches. */
	assert_true(match("POST", "/login", &m));
	assert_false(m.method_mismatch);
}

static void test_head_matches_get(void **state)
{
	(void)state;
	struct route_match m;
	assert_true(match("HEAD", "/", &m));
	assert_ptr_equal(m.route->handler, h_home);
	assert_true(match("HEAD", "/login", &m));
	assert_ptr_equal(m.route->handler, h_login);
	assert_string_equal(m.route->method, "GET");
	assert_true(match("HEAD", "/c/kring/p/3", &m));
	assert_ptr_equal(m.route->handler, h_post);
	assert_param(&m, 1, "id", "3");
	assert_false(m.method_mismatch);
}

static void test_empty_table(void **state)
{
	(void)state;
	struct route_match m;
	memset(&m, 0xA5, sizeof(m));
	assert_false(router_match(table, 0, "GET", "/", &m));
	assert_false(m.method_mismatch);
}

static void test_field_allowed(void **state)
{
	(void)state;
	const char *fields = "handle,password,next,csrf";
	assert_true(router_field_allowed(fields, "handle"));
	assert_true(router_field_allowed(fields, "password"));
	assert_true(router_field_allowed(fields, "next"));
	assert_true(router_field_allowed(fields, "csrf"));
	assert_false(router_field_allowed(fields, "hand"));
	assert_false(router_field_allowed(fields, "handles"));
	assert_false(router_field_allowed(fields, "csr"));
	assert_false(router_field_allowed(fields, "sword"));
	assert_false(router_field_allowed(fields, "next,csrf"));
	assert_false(router_field_allowed(fields, "role"));
	assert_false(router_field_allowed(fields, "Handle"));
	assert_true(router_field_allowed("only", "only"));
	assert_false(router_field_allowed("only", "onl"));
	assert_false(router_field_allowed("", "x"));
	assert_false(router_field_allowed(NULL, "x"));
}

/* ---- the real table ----------------------------------------------- */

static void test_real_routes_well_formed(void **state)
{
	(void)state;
	assert_true(routes_count > 0);
	int bad = 0;
	for (size_t i = 0; i < routes_count; i++) {
		const struct route *rt = &routes[i];
		const char *what = NULL;
		if (!rt->method || (strcmp(rt->method, "GET") != 0 && strcmp(rt->method, "POST") != 0))
			what = "method is not GET or POST";
		else if (!rt->pattern || rt->pattern[0] != '/')
			what = "pattern does not start with '/'";
		else if (!rt->handler)
			what = "no handler";
		else if (rt->fields && (strchr(rt->fields, ' ') || strstr(rt->fields, ",,") ||
					rt->fields[0] == ',' ||
					(rt->fields[0] && rt->fields[strlen(rt->fields) - 1] == ',')))
			what = "field list has spaces or empty names (router_field_allowed does not trim)";
		else {
			/* Every {param} is closed and spans a whole segment. */
			for (const char *p = rt->pattern; *p && !what; p++) {
				if (*p == '{') {
					const char *close = strchr(p, '}');
					if (!close || close == p + 1 || p[-1] != '/' ||
					    (close[1] != '\0' && close[1] != '/'))
						what = "malformed {param}";
				}
			}
		}
		if (what) {
			fprintf(stderr, "routes[%zu] %s %s: %s\n", i, rt->method ? rt->method : "(null)",
				rt->pattern ? rt->pattern : "(null)", what);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

static void test_real_routes_unique(void **state)
{
	(void)state;
	int dup = 0;
	for (size_t i = 0; i < routes_count; i++)
		for (size_t j = i + 1; j < routes_count; j++)
			if (strcmp(routes[i].method, routes[j].method) == 0 &&
			    strcmp(routes[i].pattern, routes[j].pattern) == 0) {
				fprintf(stderr, "routes[%zu] and routes[%zu] are both %s %s\n", i, j,
					routes[i].method, routes[i].pattern);
				dup++;
			}
	assert_int_equal(dup, 0);
}

static void test_real_routes_reachable(void **state)
{
	(void)state;
	/* Every route with no parameters is what router_match finds for its own
	 * path, so no earlier pattern shadows it. */
	int shadowed = 0;
	for (size_t i = 0; i < routes_count; i++) {
		const struct route *rt = &routes[i];
		if (strchr(rt->pattern, '{'))
			continue;
		struct route_match m;
		if (!router_match(routes, routes_count, rt->method, rt->pattern, &m) || m.route != rt) {
			fprintf(stderr, "routes[%zu] %s %s is shadowed by %s %s\n", i, rt->method,
				rt->pattern, m.route ? m.route->method : "-",
				m.route ? m.route->pattern : "nothing");
			shadowed++;
		}
	}
	assert_int_equal(shadowed, 0);
}

static void test_real_routes_templates_exist(void **state)
{
	(void)state;
	assert_true(tmpl_load_all());
	int missing = 0;
	for (size_t i = 0; i < routes_count; i++) {
		const struct route *rt = &routes[i];
		if (rt->template && !tmpl_get(rt->template)) {
			fprintf(stderr, "routes[%zu] %s %s: template \"%s\" (templates/%s.html) does not exist\n",
				i, rt->method, rt->pattern, rt->template, rt->template);
			missing++;
		}
	}
	tmpl_free_all();
	assert_int_equal(missing, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_static_paths),
		cmocka_unit_test(test_static_wins_over_param_listed_later),
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_param_values_are_raw_segments),
		cmocka_unit_test(test_param_never_spans_segments_or_is_empty),
		cmocka_unit_test(test_trailing_slash),
		cmocka_unit_test(test_no_match),
		cmocka_unit_test(test_method_mismatch),
		cmocka_unit_test(test_head_matches_get),
		cmocka_unit_test(test_empty_table),
		cmocka_unit_test(test_field_allowed),
		cmocka_unit_test(test_real_routes_well_formed),
		cmocka_unit_test(test_real_routes_unique),
		cmocka_unit_test(test_real_routes_reachable),
		cmocka_unit_test(test_real_routes_templates_exist),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
