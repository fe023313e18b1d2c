/* Unit tests of render/template: the mustache subset used by the pages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "i18n/i18n.h"
#include "render/template.h"

/* A Swedish catalog entry used below (i18n/sv.po). */
#define SV_MSGID "Sign in"
#define SV_MSGSTR "Logga in"

static int setup(void **state)
{
	(void)state;
	return i18n_load() ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	tmpl_free_all();
	return 0;
}

static json_t *parse_json(const char *json)
{
	json_error_t jerr;
	json_t *v = json_loads(json, JSON_DECODE_ANY, &jerr);
	if (!v)
		fail_msg("bad test JSON %s: %s", json, jerr.text);
	return v;
}

/* Renders template text with one context (JSON text, or NULL for none) and
 * compares the output. */
static void check_locale(const char *text, const char *json, int locale, const char *want)
{
	char err[256] = "";
	struct tmpl *t = tmpl_parse("test", text, err, sizeof(err));
	if (!t)
		fail_msg("tmpl_parse(\"%s\") failed: %s", text, err);
	json_t *ctx = json ? parse_json(json) : NULL;
	struct buf out = {0};
	assert_true(tmpl_render(t, NULL, ctx, locale, &out, NULL, 0));
	const char *got = out.data ? out.data : "";
	if (strcmp(got, want) != 0) {
		char msg[1024];
		snprintf(msg, sizeof(msg), "template \"%s\" with %s gave \"%s\", expected \"%s\"", text,
			 json ? json : "(no context)", got, want);
		buf_free(&out);
		json_decref(ctx);
		tmpl_free(t);
		fail_msg("%s", msg);
	}
	buf_free(&out);
	json_decref(ctx);
	tmpl_free(t);
}

static void check(const char *text, const char *json, const char *want)
{
	check_locale(text, json, LOCALE_EN, want);
}

/* Expects a parse error; returns it in err. */
static void check_error(const char *name, const char *text, char *err, size_t errlen)
{
	err[0] = '\0';
	struct tmpl *t = tmpl_parse(name, text, err, errlen);
	if (t) {
		tmpl_free(t);
		fail_msg("tmpl_parse(\"%s\") succeeded; expected an error", text);
	}
	assert_true(err[0] != '\0');
}

static void assert_contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("\"%s\" does not contain \"%s\"", hay, needle);
}

/* ---- values -------------------------------------------------------- */

static void test_plain_text(void **state)
{
	(void)state;
	check("", NULL, "");
	check("just text, no tags", NULL, "just text, no tags");
	check("<b>markup & all</b>", NULL, "<b>markup & all</b>"); /* template text is not escaped */
	check("{ single } braces }}", NULL, "{ single } braces }}");
	check("line one\nline two\n", "{}", "line one\nline two\n");
}

static void test_variables(void **state)
{
	(void)state;
	check("Hello {{name}}!", "{\"name\":\"Åsa\"}", "Hello Åsa!");
	check("Hello {{ name }}!", "{\"name\":\"Åsa\"}", "Hello Åsa!");
	check("{{a}}{{b}}{{a}}", "{\"a\":\"x\",\"b\":\"y\"}", "xyx");
	check("[{{missing}}]", "{}", "[]");
	check("[{{missing}}]", NULL, "[]");
	check("[{{n}}]", "{\"n\":null}", "[]");
	check("[{{f}}]", "{\"f\":false}", "[]");
	check("[{{t}}]", "{\"t\":true}", "[true]");
	check("[{{o}}]", "{\"o\":{\"a\":1}}", "[]");
	check("[{{arr}}]", "{\"arr\":[1,2]}", "[]");
}

static void test_numbers_decimal(void **state)
{
	(void)state;
	check("{{n}}", "{\"n\":0}", "0");
	check("{{n}}", "{\"n\":42}", "42");
	check("{{n}}", "{\"n\":-17}", "-17");
	check("{{n}}", "{\"n\":1234567890123}", "1234567890123");
	check("{{n}}", "{\"n\":9007199254740993}", "9007199254740993");
	check("{{n}}", "{\"n\":2.5}", "2.5");
	check("{{n}}", "{\"n\":-0.25}", "-0.25");
	/* Reals are written as decimals too, not in exponent notation. */
	check("{{n}}", "{\"n\":1500000.0}", "1500000");
}

static void test_html_escaping(void **state)
{
	(void)state;
	check("{{v}}", "{\"v\":\"&\"}", "&amp;");
	check("{{v}}", "{\"v\":\"<\"}", "&lt;");
	check("{{v}}", "{\"v\":\">\"}", "&gt;");
	check("{{v}}", "{\"v\":\"\\\"\"}", "&quot;");
	check("{{v}}", "{\"v\":\"'\"}", "&#39;");
	check("<a title=\"{{v}}\">{{v}}</a>", "{\"v\":\"<script>alert('x' & \\\"y\\\")</script>\"}",
	      "<a title=\"&lt;script&gt;alert(&#39;x&#39; &amp; &quot;y&quot;)&lt;/script&gt;\">"
	      "&lt;script&gt;alert(&#39;x&#39; &amp; &quot;y&quot;)&lt;/script&gt;</a>");
	/* Already-escaped text is escaped again: values are text, not HTML. */
	check("{{v}}", "{\"v\":\"&amp;\"}", "&amp;amp;");
	/* Mustache tags inside a value are not interpreted. */
	check("{{v}}", "{\"v\":\"{{other}}\"}", "{{other}}");
	check("{{v}}", "{\"v\":\"Välkommen ☃\"}", "Välkommen ☃");
}

static void test_dotted_names(void **state)
{
	(void)state;
	const char *ctx = "{\"user\":{\"name\":\"Åsa\",\"profile\":{\"city\":\"Umeå\"}},\"s\":\"str\"}";
	check("{{user.name}}", ctx, "Åsa");
	check("{{user.profile.city}}", ctx, "Umeå");
	check("[{{user.missing}}]", ctx, "[]");
	check("[{{user.profile.city.more}}]", ctx, "[]");
	check("[{{nouser.name}}]", ctx, "[]");
	check("[{{s.length}}]", ctx, "[]");
	check("{{#user}}{{profile.city}}{{/user}}", ctx, "Umeå");
	/* The first part is looked up in the innermost object, or with ../ */
	check("{{#user.profile}}{{city}} {{../user.name}}{{/user.profile}}", ctx, "Umeå Åsa");
}

static void test_dot(void **state)
{
	(void)state;
	check("{{#list}}<{{.}}>{{/list}}", "{\"list\":[\"a\",\"b&c\",3]}", "<a><b&amp;c><3>");
	check("{{.}}", "\"top\"", "top");
}

/* ---- sections ------------------------------------------------------ */

static void test_section_array(void **state)
{
	(void)state;
	const char *ctx = "{\"items\":[{\"n\":\"one\"},{\"n\":\"two\"},{\"n\":\"three\"}]}";
	check("<ul>{{#items}}<li>{{n}}</li>{{/items}}</ul>", ctx,
	      "<ul><li>one</li><li>two</li><li>three</li></ul>");
	check("[{{#items}}x{{/items}}]", "{\"items\":[]}", "[]");
	check("[{{#items}}x{{/items}}]", "{}", "[]");
}

static void test_section_object(void **state)
{
	(void)state;
	check("{{#user}}{{name}} <{{email}}>{{/user}}",
	      "{\"user\":{\"name\":\"Bo\",\"email\":\"bo@example.org\"}}", "Bo <bo@example.org>");
	/* An empty object is still shown once. */
	check("[{{#o}}x{{/o}}]", "{\"o\":{}}", "[x]");
}

static void test_section_booleans_and_scalars(void **state)
{
	(void)state;
	check("[{{#b}}yes{{/b}}]", "{\"b\":true}", "[yes]");
	check("[{{#b}}yes{{/b}}]", "{\"b\":false}", "[]");
	check("[{{#b}}yes{{/b}}]", "{\"b\":null}", "[]");
	check("[{{#b}}yes{{/b}}]", "{\"b\":0}", "[]");
	check("[{{#b}}yes{{/b}}]", "{\"b\":5}", "[yes]");
	check("[{{#b}}yes{{/b}}]", "{\"b\":\"\"}", "[]");
	check("[{{#b}}yes{{/b}}]", "{\"b\":\"x\"}", "[yes]");
	/* A truthy scalar does not hide the surrounding context. */
	check("{{#b}}{{name}}{{/b}}", "{\"b\":true,\"name\":\"Kim\"}", "Kim");
}

static void test_inverted_sections(void **state)
{
	(void)state;
	const char *t = "[{{^v}}none{{/v}}]";
	check(t, "{}", "[none]");
	check(t, NULL, "[none]");
	check(t, "{\"v\":null}", "[none]");
	check(t, "{\"v\":false}", "[none]");
	check(t, "{\"v\":0}", "[none]");
	check(t, "{\"v\":\"\"}", "[none]");
	check(t, "{\"v\":[]}", "[none]");
	check(t, "{\"v\":true}", "[]");
	check(t, "{\"v\":1}", "[]");
	check(t, "{\"v\":\"x\"}", "[]");
	check(t, "{\"v\":[0]}", "[]");
	check(t, "{\"v\":{}}", "[]");
	check("{{#v}}some{{/v}}{{^v}}none{{/v}}", "{\"v\":[1]}", "some");
	check("{{#v}}some{{/v}}{{^v}}none{{/v}}", "{\"v\":[]}", "none");
}

/* Renders text with page globals and a model in strict mode or not; returns
 * whether the render succeeded, with the output in out and the message in
 * err. */
static bool render_with(const char *text, const char *globals_json, const char *json, bool strict,
			struct buf *out, char *err, size_t errlen)
{
	char perr[256];
	struct tmpl *t = tmpl_parse("page", text, perr, sizeof(perr));
	if (!t)
		fail_msg("tmpl_parse(\"%s\") failed: %s", text, perr);
	json_t *globals = globals_json ? parse_json(globals_json) : NULL;
	json_t *ctx = json ? parse_json(json) : NULL;
	err[0] = '\0';
	tmpl_set_strict(strict);
	bool ok = tmpl_render(t, globals, ctx, LOCALE_EN, out, err, errlen);
	tmpl_set_strict(false);
	json_decref(globals);
	json_decref(ctx);
	tmpl_free(t);
	return ok;
}

static void check_strict(const char *text, const char *globals, const char *json, const char *want)
{
	struct buf out = {0};
	char err[256];
	bool ok = render_with(text, globals, json, true, &out, err, sizeof(err));
	if (!ok) {
		buf_free(&out);
		fail_msg("template \"%s\" failed in strict mode: %s", text, err);
	}
	assert_string_equal(out.data ? out.data : "", want);
	buf_free(&out);
}

static const char *nested =
	"{\"title\":\"Page\",\"site\":\"kring\",\"communities\":["
	"{\"name\":\"c1\",\"posts\":[{\"title\":\"p1\"},{\"title\":\"p2\",\"name\":\"own\"}]},"
	"{\"name\":\"c2\",\"posts\":[]}]}";

static void test_innermost_object_only(void **state)
{
	(void)state;
	/* The same name at several levels: the innermost wins. */
	check("{{#a}}{{#b}}{{x}}{{/b}}{{x}}{{/a}}{{x}}", "{\"x\":1,\"a\":{\"x\":2,\"b\":{\"x\":3}}}", "321");
	/* An item without a title shows none, not the page's; likewise a name
	 * only an outer list element has. */
	check("{{#items}}[{{title}}]{{/items}}", "{\"title\":\"Page\",\"items\":[{\"title\":\"A\"},{}]}",
	      "[A][]");
	check("{{#communities}}{{#posts}}{{title}}/{{name}};{{/posts}}{{/communities}}", nested,
	      "p1/;p2/own;");
	check("{{#items}}{{^title}}untitled{{/title}}{{/items}}", "{\"title\":\"Page\",\"items\":[{}]}",
	      "untitled");
	/* Scalars in a list: {{.}} is the element; outer names are not seen. */
	check("{{#tags}}{{.}}-{{site}} {{/tags}}", "{\"site\":\"k\",\"tags\":[\"a\",\"b\"]}", "a- b- ");
	/* A section over true or a number opens no object. */
	check("{{#b}}{{name}}{{/b}}", "{\"b\":true,\"name\":\"Kim\"}", "Kim");
	check("{{#n}}{{n}} left{{/n}}", "{\"n\":2}", "2 left");
	/* Plural placeholders follow the same rule. */
	check("{{#items}}{{#_}}{{n}} answer|{{n}} answers{{/_}};{{/items}}",
	      "{\"n\":1,\"items\":[{\"n\":1},{}]}", "1 answer; answers;");
}

static void test_explicit_outer_names(void **state)
{
	(void)state;
	check_strict("{{#communities}}{{name}}:{{#posts}}{{title}}@{{../name}}/{{../../site}}"
		     "/{{../../title}};{{/posts}}{{^posts}}empty{{/posts}}|{{/communities}}",
		     NULL, nested, "c1:p1@c1/kring/Page;p2@c1/kring/Page;|c2:empty|");
	/* ../ reaches exactly one section out, and looks no further (strict
	 * mode calls that a mistake, below). */
	check("{{#a}}{{#b}}[{{../x}}]{{/b}}{{/a}}", "{\"x\":1,\"a\":{\"b\":{}}}", "[]");
	check_strict("{{#a}}{{../x.y}} {{#../x}}{{y}}{{/../x}}{{/a}}", NULL,
		     "{\"x\":{\"y\":\"Y\"},\"a\":{}}", "Y Y");
	check_strict("{{#list}}{{#../flags}}{{.}}{{/../flags}}{{/list}}", NULL,
		     "{\"flags\":[1,2],\"list\":[0,0]}", "1212");
	/* {{#../.}} opens the enclosing object again, so that a translated
	 * text's placeholders name its members. */
	check_strict("{{#l.0}}{{#../.}}{{#_}}{{n}} answer|{{n}} answers{{/_}}{{/../.}}{{/l.0}}", NULL,
		     "{\"n\":2,\"l\":[{}]}", "2 answers");
	/* ../. is the enclosing value itself. */
	check_strict("{{#tags}}{{#../once}}{{../.}}{{/../once}}{{/tags}}", NULL,
		     "{\"tags\":[\"x\",\"y\"],\"once\":[{}]}", "xy");
}

static void test_page_globals(void **state)
{
	(void)state;
	const char *globals = "{\"csrf\":\"tok\",\"me\":{\"handle\":\"kim\"},\"title\":\"G\"}";
	/* Globals are seen at every depth, in strict mode too. */
	check_strict("{{csrf}}{{#items}} {{csrf}}/{{me.handle}}{{#me}}/{{handle}}{{/me}}{{/items}}",
		     globals, "{\"items\":[{},{}]}", "tok tok/kim/kim tok/kim/kim");
	/* The innermost object shadows a global. */
	check_strict("{{#items}}{{csrf}}{{/items}}", globals, "{\"items\":[{\"csrf\":\"own\"}]}", "own");
	check_strict("{{title}}", globals, "{\"title\":\"M\"}", "M");
	check_strict("{{title}}", globals, "{}", "G");
	check_strict("{{csrf}}", globals, NULL, "tok");
}

static void test_strict_fall_through_fails(void **state)
{
	(void)state;
	const char *text = "<h1>{{title}}</h1>\n<ul>\n{{#items}}<li>{{title}}</li>{{/items}}\n</ul>";
	const char *model = "{\"title\":\"Page\",\"items\":[{\"title\":\"A\"},{}]}";
	struct buf out = {0};
	char err[256];
	/* Production: the missing title is empty, the page is whole. */
	assert_true(render_with(text, NULL, model, false, &out, err, sizeof(err)));
	assert_string_equal(out.data, "<h1>Page</h1>\n<ul>\n<li>A</li><li></li>\n</ul>");
	buf_free(&out);
	/* Strict: the render fails, naming the template, line and name. */
	assert_false(render_with(text, NULL, model, true, &out, err, sizeof(err)));
	assert_contains(err, "page:3:");
	assert_contains(err, "\"title\"");
	assert_contains(err, "{{../title}}");
	buf_free(&out);
	/* Two sections out, a section name, an inverted section, a plural's
	 * count, and a name inside a list of scalars. */
	const char *deep = "{\"x\":1,\"a\":{\"b\":{}}}";
	assert_false(render_with("{{#a}}{{#b}}{{x}}{{/b}}{{/a}}", NULL, deep, true, &out, err, sizeof(err)));
	assert_contains(err, "{{../../x}}");
	buf_free(&out);
	assert_false(render_with("{{#a}}{{#x}}y{{/x}}{{/a}}", NULL, deep, true, &out, err, sizeof(err)));
	buf_free(&out);
	assert_false(render_with("{{#a}}{{^x}}y{{/x}}{{/a}}", NULL, deep, true, &out, err, sizeof(err)));
	buf_free(&out);
	assert_false(render_with("{{#a}}{{#_}}{{x}} answer|{{x}} answers{{/_}}{{/a}}", NULL, deep, true,
				 &out, err, sizeof(err)));
	buf_free(&out);
	assert_false(render_with("{{#l}}{{x}}{{/l}}", NULL, "{\"x\":1,\"l\":[\"s\"]}", true, &out, err,
				 sizeof(err)));
	buf_free(&out);
	/* An enclosing object has the name and so does a global: still a
	 * mistake, as the two mean different things. */
	assert_false(render_with("{{#a}}{{x}}{{/a}}", "{\"x\":\"g\"}", deep, true, &out, err, sizeof(err)));
	buf_free(&out);
	/* ../ is checked alike: a partial included one section deeper than it
	 * was written for. */
	assert_false(render_with("{{#a}}{{#b}}{{../x}}{{/b}}{{/a}}", NULL, deep, true, &out, err, sizeof(err)));
	assert_contains(err, "{{../../x}}");
	buf_free(&out);
	/* More ../ than open sections. */
	assert_false(render_with("{{#a}}{{../../x}}{{/a}}", NULL, deep, true, &out, err, sizeof(err)));
	assert_contains(err, "page:1:");
	buf_free(&out);
	assert_true(render_with("{{#a}}[{{../../x}}]{{/a}}", NULL, deep, false, &out, err, sizeof(err)));
	assert_string_equal(out.data, "[]");
	buf_free(&out);
	/* An embedded template's message names it. */
	assert_true(tmpl_load_all());
	struct tmpl *t = tmpl_get("layout");
	assert_non_null(t);
	json_t *model_json = parse_json("{\"me\":{}, \"csrf\":\"in the model\"}");
	tmpl_set_strict(true);
	bool ok = tmpl_render(t, NULL, model_json, LOCALE_EN, &out, err, sizeof(err));
	tmpl_set_strict(false);
	assert_false(ok);
	assert_contains(err, "layout:");
	assert_contains(err, "\"csrf\"");
	json_decref(model_json);
	buf_free(&out);
	/* A tiny message buffer is not overrun (ASan watches). */
	char small[6];
	assert_false(render_with(text, NULL, model, true, &out, small, sizeof(small)));
	assert_true(strlen(small) < sizeof(small));
	buf_free(&out);
}

static void test_strict_allows_missing_names(void **state)
{
	(void)state;
	/* A name no object has is optional, not a mistake. */
	check_strict("[{{missing}}{{#items}}{{missing}}{{^missing}}-{{/missing}}{{/items}}]", NULL,
		     "{\"items\":[{}]}", "[-]");
	check_strict("[{{#a}}{{b.c}}{{/a}}]", NULL, "{\"b\":{\"c\":1},\"a\":{\"b\":{}}}", "[]");
}

static void test_comments(void **state)
{
	(void)state;
	check("a{{! a comment }}b", "{}", "ab");
	check("a{{!}}b", "{}", "ab");
	check("a{{! {{#x} is no section here }}b", "{}", "ab");
	check("a{{! multi\nline\ncomment }}b", "{}", "ab");
}

/* ---- raw output ---------------------------------------------------- */

static void test_raw_html(void **state)
{
	(void)state;
	check("<div>{{{body_html}}}</div>", "{\"body_html\":\"<p>Hi &amp; <em>bye</em></p>\"}",
	      "<div><p>Hi &amp; <em>bye</em></p></div>");
	check("{{{ body_html }}}", "{\"body_html\":\"<b>\"}", "<b>");
	check("[{{{missing_html}}}]", "{}", "[]");
	check("{{body_html}}", "{\"body_html\":\"<b>\"}", "&lt;b&gt;"); /* double braces still escape */
}

static void test_raw_needs_html_suffix(void **state)
{
	(void)state;
	char err[256];
	check_error("raw", "x {{{body}}} y", err, sizeof(err));
	check_error("raw", "{{{html}}}", err, sizeof(err));
	check_error("raw", "{{{body_htm}}}", err, sizeof(err));
	check_error("raw", "{{{body_html_x}}}", err, sizeof(err));
	check_error("raw", "{{&body}}", err, sizeof(err));
	check_error("raw", "line1\n{{{name}}}", err, sizeof(err));
	assert_contains(err, "raw:2");
}

/* ---- parse errors -------------------------------------------------- */

static void test_unclosed_section(void **state)
{
	(void)state;
	char err[256];
	check_error("page", "one\n{{#items}}\nthree\n", err, sizeof(err));
	assert_contains(err, "page:");
	assert_contains(err, "items");
	/* A line number follows the name. */
	const char *colon = strstr(err, "page:") + 5;
	assert_true(*colon >= '1' && *colon <= '9');

	check_error("page", "{{^x}}never closed", err, sizeof(err));
	assert_contains(err, "x");
	check_error("page", "{{#a}}{{#b}}{{/b}}", err, sizeof(err));
	assert_contains(err, "a");
}

static void test_mismatched_section(void **state)
{
	(void)state;
	char err[256];
	check_error("page", "line 1\nline 2\n{{#a}}\n{{/b}}\n", err, sizeof(err));
	assert_contains(err, "page:4");
	assert_contains(err, "b");
	check_error("page", "{{#a}}{{#b}}{{/a}}{{/b}}", err, sizeof(err));
	assert_contains(err, "page:1");
	check_error("page", "x\n\n{{/stray}}", err, sizeof(err));
	assert_contains(err, "page:3");
	assert_contains(err, "stray");
}

static void test_other_parse_errors(void **state)
{
	(void)state;
	char err[256];
	check_error("page", "a {{name", err, sizeof(err));
	assert_contains(err, "page:1");
	check_error("page", "a\nb {{{x_html}}", err, sizeof(err));
	assert_contains(err, "page:2");
	check_error("page", "{{}}", err, sizeof(err));
	check_error("page", "{{bad name}}", err, sizeof(err));
	check_error("page", "{{#_}}never closed", err, sizeof(err));
	/* A tiny error buffer is not overrun (ASan watches). */
	char small[8];
	assert_null(tmpl_parse("a-long-template-name", "{{#x}}", small, sizeof(small)));
	assert_true(strlen(small) < sizeof(small));
}

static void test_deep_nesting(void **state)
{
	(void)state;
	/* Ten levels deep render fine. */
	struct buf text = {0};
	for (int i = 0; i < 10; i++)
		buf_printf(&text, "{{#s%d}}", i);
	buf_puts(&text, "{{leaf}}");
	for (int i = 9; i >= 0; i--)
		buf_printf(&text, "{{/s%d}}", i);
	struct buf json = {0};
	for (int i = 0; i < 10; i++)
		buf_printf(&json, "{\"s%d\":", i);
	buf_puts(&json, "{\"leaf\":\"deep\"}");
	for (int i = 0; i < 10; i++)
		buf_putc(&json, '}');
	check(text.data, json.data, "deep");
	buf_free(&text);
	buf_free(&json);
	/* Absurd nesting is refused or survived, never a crash. */
	struct buf deep = {0};
	for (int i = 0; i < 200; i++)
		buf_puts(&deep, "{{#a}}");
	for (int i = 0; i < 200; i++)
		buf_puts(&deep, "{{/a}}");
	char err[256];
	struct tmpl *t = tmpl_parse("deep", deep.data, err, sizeof(err));
	if (t) {
		json_t *ctx = parse_json("{\"a\":true}");
		struct buf out = {0};
		tmpl_render(t, NULL, ctx, LOCALE_EN, &out, NULL, 0);
		buf_free(&out);
		json_decref(ctx);
		tmpl_free(t);
	}
	buf_free(&deep);
}

/* ---- translation --------------------------------------------------- */

static void test_translated_text(void **state)
{
	(void)state;
	assert_true(i18n_has(LOCALE_SV, SV_MSGID));
	assert_string_equal(i18n_get(LOCALE_SV, SV_MSGID), SV_MSGSTR);
	check_locale("<button>{{_ " SV_MSGID "}}</button>", "{}", LOCALE_SV, "<button>" SV_MSGSTR "</button>");
	check_locale("<button>{{_ " SV_MSGID "}}</button>", "{}", LOCALE_EN, "<button>" SV_MSGID "</button>");
	/* The same parsed template serves every locale. */
	char err[256];
	struct tmpl *t = tmpl_parse("tr", "{{_ " SV_MSGID "}}", err, sizeof(err));
	assert_non_null(t);
	json_t *empty = json_object();
	for (int l = 0; l < LOCALE_COUNT; l++) {
		struct buf out = {0};
		tmpl_render(t, NULL, empty, l, &out, NULL, 0);
		assert_non_null(out.data);
		assert_string_equal(out.data, i18n_get(l, SV_MSGID));
		buf_free(&out);
	}
	json_decref(empty);
	tmpl_free(t);
}

static void test_translated_text_missing_falls_back(void **state)
{
	(void)state;
	const char *msgid = "No catalog has this sentence 7d1c";
	assert_false(i18n_has(LOCALE_SV, msgid));
	check_locale("{{_ No catalog has this sentence 7d1c}}", "{}", LOCALE_SV, msgid);
	/* Fallback text is escaped like any text shown. */
	check_locale("{{_ Tom & Jerry <3}}", "{}", LOCALE_NL, "Tom &amp; Jerry &lt;3");
}

static void test_translated_with_placeholder(void **state)
{
	(void)state;
	/* A msgid no catalog holds: the English text with the value filled in. */
	check_locale("<p>{{#_}}Hello {{name}}, welcome back 7d1c{{/_}}</p>", "{\"name\":\"<Åsa>\"}",
		     LOCALE_SV, "<p>Hello &lt;Åsa&gt;, welcome back 7d1c</p>");
	check_locale("{{#_}}\n  Hi {{name}}\n{{/_}}", "{\"name\":\"Bo\"}", LOCALE_EN, "Hi Bo");
	check_locale("{{#_}}{{n}} & more 7d1c{{/_}}", "{\"n\":3}", LOCALE_EN, "3 &amp; more 7d1c");
	/* Inside a section, placeholders see the section's context. */
	check_locale("{{#people}}{{#_}}Hi {{name}} 7d1c{{/_}};{{/people}}",
		     "{\"people\":[{\"name\":\"A\"},{\"name\":\"B\"}]}", LOCALE_NL,
		     "Hi A 7d1c;Hi B 7d1c;");
}

/* Finds a catalog entry with a {{placeholder}} in both the msgid and the
 * Swedish text, and checks that {{#_}} renders the Swedish text with it. */
static void test_translated_placeholder_from_catalog(void **state)
{
	(void)state;
	const char *candidates[] = {
		"{{site_name}} — knowledge shared between members", /* layout.html */
		"Signed in as {{handle}}", "Hello {{name}}", "Welcome, {{name}}",
		"{{count}} members", "Posted by {{author}}", "Page {{page}} of {{pages}}",
	};
	const char *msgid = NULL;
	for (size_t i = 0; i < sizeof(candidates) / sizeof(candidates[0]) && !msgid; i++)
		if (i18n_has(LOCALE_SV, candidates[i]))
			msgid = candidates[i];
	if (!msgid)
		fail_msg("no {{#_}} text with a placeholder found in sv.po");
	const char *sv = i18n_get(LOCALE_SV, msgid);
	assert_string_not_equal(sv, msgid);
	char text[512];
	snprintf(text, sizeof(text), "{{#_}}%s{{/_}}", msgid);
	/* Give every plausible placeholder a value. */
	const char *ctx = "{\"site_name\":\"K & co\",\"handle\":\"H\",\"name\":\"N\",\"count\":7,\"author\":\"A\",\"page\":1,\"pages\":2}";
	char err[256];
	struct tmpl *t = tmpl_parse("tr", text, err, sizeof(err));
	assert_non_null(t);
	json_t *c = parse_json(ctx);
	struct buf out = {0};
	tmpl_render(t, NULL, c, LOCALE_SV, &out, NULL, 0);
	/* The Swedish text with its placeholders filled. */
	struct tmpl *svt = tmpl_parse("sv", sv, err, sizeof(err));
	assert_non_null(svt);
	struct buf want = {0};
	tmpl_render(svt, NULL, c, LOCALE_EN, &want, NULL, 0);
	assert_string_equal(out.data, want.data);
	assert_null(strstr(out.data, "{{"));
	buf_free(&out);
	buf_free(&want);
	json_decref(c);
	tmpl_free(t);
	tmpl_free(svt);
}

/* ---- the embedded templates ---------------------------------------- */

static void test_load_all_and_layout(void **state)
{
	(void)state;
	assert_true(tmpl_load_all());
	/* Loading twice is harmless. */
	assert_true(tmpl_load_all());
	struct tmpl *layout = tmpl_get("layout");
	assert_non_null(layout);
	assert_null(tmpl_get("no-such-template"));
	assert_null(tmpl_get(""));
	for (int l = 0; l < LOCALE_COUNT; l++) {
		json_t *ctx = json_object();
		struct buf out = {0};
		tmpl_render(layout, NULL, ctx, l, &out, NULL, 0);
		assert_non_null(out.data);
		assert_true(out.len > 0);
		assert_null(strstr(out.data, "{{"));
		buf_free(&out);
		json_decref(ctx);
	}
}

static void test_layout_with_model(void **state)
{
	(void)state;
	assert_true(tmpl_load_all());
	struct tmpl *layout = tmpl_get("layout");
	assert_non_null(layout);
	json_t *globals = parse_json("{\"site_name\":\"Kring & co\",\"csrf\":\"tok123\","
				     "\"lang\":\"sv\",\"content_html\":\"<p id=\\\"c\\\">hi</p>\","
				     "\"me\":{\"name\":\"<Mallory>\",\"is_admin\":true}}");
	json_t *ctx = parse_json("{\"title\":\"<T>\"}");
	struct buf out = {0};
	tmpl_set_strict(true);
	assert_true(tmpl_render(layout, globals, ctx, LOCALE_SV, &out, NULL, 0));
	tmpl_set_strict(false);
	assert_non_null(out.data);
	/* The page's HTML goes in raw; every value is escaped. */
	assert_non_null(strstr(out.data, "<p id=\"c\">hi</p>"));
	assert_non_null(strstr(out.data, "&lt;Mallory&gt;"));
	assert_null(strstr(out.data, "<Mallory>"));
	assert_null(strstr(out.data, "<T>"));
	assert_non_null(strstr(out.data, "Kring &amp; co"));
	assert_null(strstr(out.data, "{{"));
	/* The signed-in member's form in the menu has the page's token. */
	assert_non_null(strstr(out.data, "value=\"tok123\""));
	buf_free(&out);
	json_decref(ctx);
	json_decref(globals);
}

static void test_partials(void **state)
{
	(void)state;
	assert_true(tmpl_load_all());
	/* A template parsed on its own has no linked partials; it renders
	 * without them rather than crashing. */
	char err[256];
	struct tmpl *t = tmpl_parse("p", "a{{> layout}}b", err, sizeof(err));
	assert_non_null(t);
	struct buf out = {0};
	json_t *ctx = json_object();
	tmpl_render(t, NULL, ctx, LOCALE_EN, &out, NULL, 0);
	assert_non_null(out.data);
	assert_int_equal(out.data[0], 'a');
	assert_int_equal(out.data[out.len - 1], 'b');
	buf_free(&out);
	json_decref(ctx);
	tmpl_free(t);
}

/* Renders every embedded page with an empty context in every locale. */
static void test_every_embedded_template_renders(void **state)
{
	(void)state;
	assert_true(tmpl_load_all());
	const char *names[] = {"layout", "login", "home", "error", "register", "settings"};
	int found = 0;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct tmpl *t = tmpl_get(names[i]);
		if (!t)
			continue;
		found++;
		for (int l = 0; l < LOCALE_COUNT; l++) {
			json_t *ctx = json_object();
			struct buf out = {0};
			tmpl_render(t, NULL, ctx, l, &out, NULL, 0);
			buf_free(&out);
			json_decref(ctx);
		}
	}
	assert_true(found >= 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_text),
		cmocka_unit_test(test_variables),
		cmocka_unit_test(test_numbers_decimal),
		cmocka_unit_test(test_html_escaping),
		cmocka_unit_test(test_dotted_names),
		cmocka_unit_test(test_dot),
		cmocka_unit_test(test_section_array),
		cmocka_unit_test(test_section_object),
		cmocka_unit_test(test_section_booleans_and_scalars),
		cmocka_unit_test(test_inverted_sections),
		cmocka_unit_test(test_innermost_object_only),
		cmocka_unit_test(test_explicit_outer_names),
		cmocka_unit_test(test_page_globals),
		cmocka_unit_test(test_strict_fall_through_fails),
		cmocka_unit_test(test_strict_allows_missing_names),
		cmocka_unit_test(test_comments),
		cmocka_unit_test(test_raw_html),
		cmocka_unit_test(test_raw_needs_html_suffix),
		cmocka_unit_test(test_unclosed_section),
		cmocka_unit_test(test_mismatched_section),
		cmocka_unit_test(test_other_parse_errors),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_translated_text),
		cmocka_unit_test(test_translated_text_missing_falls_back),
		cmocka_unit_test(test_translated_with_placeholder),
		cmocka_unit_test(test_translated_placeholder_from_catalog),
		cmocka_unit_test(test_load_all_and_layout),
		cmocka_unit_test(test_layout_with_model),
		cmocka_unit_test(test_partials),
		cmocka_unit_test(test_every_embedded_template_renders),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
