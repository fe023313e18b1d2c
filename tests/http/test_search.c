/* test_search: the search (GET /search and /api/v1/search) over a realistic
 * set of questions, answers, updates, best practices and methods written in
 * Swedish, Dutch and English (search_corpus.jsonl, imported with `kring
 * import`): a table of queries and what must come first — inflections in
 * each language, parts of compounds below whole words, diacritics and case,
 * "phrases", -exclusions, filters typed in the box, the title above the
 * body, accepted answers, verified and newer items ranking higher — then
 * the facets and their counts, filters in the address, keyset pages (also
 * when time passes between them), snippets made safe, who sees what (a
 * private community, profile updates), the index following edits and
 * deletions at once, hostile queries, and `kring reindex`.
 *
 * Items are named by their titles; answers and updates, which have none of
 * their own, by the start of their text (see is_item). A row that fails
 * prints the actual top five and their ranks. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "actors.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define PAGE_SIZE 20

/* ---- the corpus ------------------------------------------------------------------------- */

/* Loads tests/http/search_corpus.jsonl into the server's database. */
static void load_corpus(const struct server *s)
{
	const char *src = getenv("KRING_SRC") ? getenv("KRING_SRC") : ".";
	char *out;
	int rc = kring_command(&out, NULL, NULL, NULL, "import '%s/tests/http/search_corpus.jsonl' --db '%s'", src, s->db);
	if (rc != 0)
		fail_msg("kring import of the search corpus failed (%d): %s", rc, out);
}

/* A person of the corpus who has a password there (helena, karin, mats,
 * sanne, oliver), signed in. helena hosts the private community
 * styrgruppen, where mats and sanne are members; oliver and karin are not. */
static struct actor *person(const struct server *s, const char *handle)
{
	struct client *c = client_new(s);
	struct response *r = html_login(c, handle, TEST_PASSWORD);
	assert_status(r, 303);
	response_free(r);
	return actor_wrap(c, handle);
}

/* GET /api/v1/search?q=Q[&more]: q is escaped here, more is sent as it is. */
static struct response *search(struct actor *a, const char *q, const char *more)
{
	char *esc = curl_easy_escape(NULL, q, (int)strlen(q));
	assert_non_null(esc);
	size_t n = strlen(esc) + (more ? strlen(more) : 0) + 32;
	char *path = malloc(n);
	assert_non_null(path);
	snprintf(path, n, "/api/v1/search?q=%s%s%s", esc, more && *more ? "&" : "", more ? more : "");
	curl_free(esc);
	struct response *r = http_get(a->c, path, NULL);
	free(path);
	return r;
}

/* A search that must answer 200; its items. */
static struct response *search_ok(struct actor *a, const char *q, const char *more)
{
	struct response *r = search(a, q, more);
	if (r->status != 200 || !json_is_array(json_path(r->json, "items")))
		harness_fail_response(r, __FILE__, __LINE__, "search for \"%s\" (%s): expected 200 with items", q,
				      more ? more : "");
	return r;
}

static const char *jstr(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* Answers and updates have no title of their own (an answer shows its
 * question's): they are named by the start of their text. */
static bool untitled(json_t *it)
{
	const char *kind = jstr(it, "kind");
	return strcmp(kind, "answer") == 0 || strcmp(kind, "update") == 0;
}

static bool is_item(json_t *it, const char *key)
{
	if (untitled(it))
		return strncmp(jstr(it, "excerpt"), key, strlen(key)) == 0;
	return strcmp(jstr(it, "title"), key) == 0;
}

/* Where the item is among the results, or -1. */
static int position(json_t *items, const char *key)
{
	json_t *it;
	size_t i;
	json_array_foreach(items, i, it)
		if (is_item(it, key))
			return (int)i;
	return -1;
}

static int64_t id_of(json_t *items, const char *key)
{
	int at = position(items, key);
	if (at < 0)
		fail_msg("\"%s\" is not among the results", key);
	return json_integer_value(json_object_get(json_array_get(items, (size_t)at), "id"));
}

/* The first results with their ranks, for failure messages. */
static void print_top(json_t *items, int n)
{
	json_t *it;
	size_t i;
	json_array_foreach(items, i, it) {
		if ((int)i == n)
			break;
		fprintf(stderr, "        %zu. %-8s rank %9lld  %.70s\n", i + 1, jstr(it, "kind"),
			(long long)json_integer_value(json_object_get(it, "rank")),
			untitled(it) ? jstr(it, "excerpt") : jstr(it, "title"));
	}
	if (json_array_size(items) == 0)
		fprintf(stderr, "        (no results)\n");
}

/* ---- relevance -------------------------------------------------------------------------- */

struct relevance {
	const char *q;
	const char *top[3];        /* each among the first three results */
	const char *absent;        /* not among the results at all */
	const char *above, *below; /* both found, above ranked higher */
};

static const struct relevance table[] = {
	/* Swedish inflections: delade/delar, frågor/fråga, plural and definite forms */
	{"delade", {"Så delar vi mallar mellan förvaltningarna", "Hur hanterar ni delade konton för mätsystemen?"}},
	{"frågor", {"Vilken fråga ska vi ställa först i en medborgardialog?",
		    "Tio frågor att ställa till leverantören före avtal"}},
	{"fråga", {"Tio frågor att ställa till leverantören före avtal",
		   "Vilken fråga ska vi ställa först i en medborgardialog?"}},
	{"upphandlingar", {"Upphandling av skolskjuts: hur viktar ni pris mot kvalitet?",
			   "Upphandling av städtjänster med ramavtal",
			   "Hur förbereder ni marknaden inför en stor upphandling?"}},
	{"mallen", {"Så delar vi mallar mellan förvaltningarna"}},
	{"dataskyddet", {"Dataskydd i praktiken: så gjorde vi konsekvensbedömningen",
			 "Hur kommer vi igång med AI i förvaltningen utan att tumma på dataskyddet?"}},
	/* Dutch: gemeenten/gemeente, ervaringen/ervaring, aanbesteding(en) */
	{"gemeenten", {"Onze gemeente stopt met papieren vergunningen: tips?"}},
	{"gemeente", {"Hoe betrekken andere gemeenten inwoners bij de omgevingsvisie?",
		      "Kennisdeling tussen gemeenten: wat werkt en wat niet"}},
	{"ervaring", {"Ervaringen met een inwerkprogramma voor nieuwe collega's"}},
	{"ervaringen", {"Wie heeft ervaring met een AI-pilot bij het klantcontactcentrum?"}},
	{"aanbesteding", {"Aanbestedingen toegankelijker maken voor kleine leveranciers",
			  "Een aanbesteding voor zonnepanelen op gemeentelijk vastgoed"}},
	/* English plurals and -ing forms */
	{"meetings", {"How do you run a weekly team meeting in under 20 minutes?"}},
	{"onboarded", {"Onboarding new colleagues remotely: what we changed"}},
	{"policies", {"A data protection policy for AI pilots"}},
	{"facilitating", {"Facilitation tips for hybrid workshops", "Facilitating a citizen dialogue on the new bus routes"}},
	{"pilots", {"Lessons from our first AI pilot in the contact centre", "A data protection policy for AI pilots"}},
	{"sharing", {"How do you share lessons learned across departments?",
		     "We hold a monthly lunch where one team presents a failure"}},
	/* parts of compounds, below whole words even when in the title */
	{"kennis", {"Kennis borgen als een collega met pensioen gaat", "Kennisdeling tussen gemeenten: wat werkt en wat niet"},
	 .above = "Kennis borgen als een collega met pensioen gaat",
	 .below = "Kennisdeling tussen gemeenten: wat werkt en wat niet"},
	{"delning", {"Delning av dokument med externa parter", "Kunskapsdelning mellan kommuner – vilka forum använder ni?"},
	 .above = "Delning av dokument med externa parter",
	 .below = "Kunskapsdelning mellan kommuner – vilka forum använder ni?"},
	{"energi", {NULL}, .above = "Energi i skolbyggnader: vad vi mäter och varför",
	 .below = "Nu har vi energiuppföljning varje månad"},
	/* diacritics and case */
	{"forbattring", {"Vem äger en förbättring som går över flera enheter?",
			 "Små förbättringar varje vecka i hemtjänstens planering"},
	 .above = "Små förbättringar varje vecka i hemtjänstens planering",
	 .below = "Hur följer ni upp förbättringsarbetet i en liten förvaltning?"},
	{"ALVBACKA", {"Introduktionsdagar för nyanställda i Älvbacka kommun"}},
	{"GDPR", {"Reminder: the GDPR training for new managers", "Procurement of cloud services: the questions we ask suppliers"}},
	/* phrases: the words apart do not match the phrase */
	{"\"citizen dialogue\"", {"Facilitating a citizen dialogue on the new bus routes"},
	 .absent = "Running an open dialogue with every citizen who wants to join"},
	{"citizen dialogue", {"Facilitating a citizen dialogue on the new bus routes",
			      "Running an open dialogue with every citizen who wants to join"}},
	/* -exclusion */
	{"upphandling -ramavtal", {"Upphandling av skolskjuts: hur viktar ni pris mot kvalitet?",
				   "Hur förbereder ni marknaden inför en stor upphandling?"},
	 .absent = "Upphandling av städtjänster med ramavtal"},
	{"pilot -ai", {"Begin klein met één type vraag"}, .absent = "Lessons from our first AI pilot in the contact centre"},
	{"upphandling städtjänster område erfarenhet -ramavtal", {NULL}, .absent = "Upphandling av städtjänster med ramavtal"},
	/* every word counts, also the fourth */
	{"kennisdeling gemeenten bijeenkomst pensioen", {NULL},
	 .absent = "Kennisdeling tussen gemeenten: wat werkt en wat niet"},
	/* filters typed in the box */
	{"tag:upphandling frågor", {"Tio frågor att ställa till leverantören före avtal"},
	 .absent = "Vilken fråga ska vi ställa först i en medborgardialog?"},
	{"tag:gdpr ai", {"A data protection policy for AI pilots",
			 "Hur kommer vi igång med AI i förvaltningen utan att tumma på dataskyddet?"},
	 .absent = "Lessons from our first AI pilot in the contact centre"},
	{"org:gemeente-veldmeer aanbesteding", {"Aanbestedingen toegankelijker maken voor kleine leveranciers"},
	 .absent = "Een aanbesteding voor zonnepanelen op gemeentelijk vastgoed"},
	{"community:practice-exchange onboarding", {"Onboarding new colleagues remotely: what we changed"},
	 .absent = "Introduktionsdagar för nyanställda i Älvbacka kommun"},
	{"kind:method workshop", {"Fishbowl discussion for large groups"}, .absent = "Which workshop format works for 60 people?"},
	/* the title above the body */
	{"retrospektiv", {"Retrospektiv på trettio minuter", "Hur avslutar ni ett projekt så att lärdomarna inte försvinner?"},
	 .above = "Retrospektiv på trettio minuter",
	 .below = "Hur avslutar ni ett projekt så att lärdomarna inte försvinner?"},
	/* boosts, between items alike but for the boost (the boosted one
	 * imported first, so that it would lose a tie) */
	{"leverantörsdialog", {"Vi höll en öppen leverantörsdialog sex veckor", "Vi höll en öppen leverantörsdialog fyra veckor"},
	 .above = "Vi höll en öppen leverantörsdialog sex veckor", /* accepted */
	 .below = "Vi höll en öppen leverantörsdialog fyra veckor"},
	{"audits", {"Checklist for energy audits in school buildings"},
	 .above = "Checklist for energy audits in school buildings", /* verified */
	 .below = "Checklist for energy audits in sports halls"},
	{"energy audits checklist", {"Checklist for energy audits in school buildings"},
	 .above = "Checklist for energy audits in school buildings",
	 .below = "Checklist for energy audits in town halls"}, /* verified, then edited: no boost */
	{"werkplekregeling", {NULL}, .above = "Werkplekregeling besproken in het teamoverleg van deze week", /* newer */
	 .below = "Werkplekregeling besproken in het teamoverleg van vorig jaar"},
	/* short words */
	{"ai pilot", {"Lessons from our first AI pilot in the contact centre"}},
	{"vi delar", {"Så delar vi mallar mellan förvaltningarna"}},
};

/* Checks one row against the results; a description of what is wrong into
 * why, or false when it holds. */
static bool row_fails(const struct relevance *t, const struct response *r, char *why, size_t n)
{
	json_t *items = json_path(r->json, "items"), *f;
	/* the facets count what is listed (one page here); the kind facet
	 * counts every kind, whichever is chosen */
	json_int_t counted = 0;
	size_t i;
	bool chosen = *jstr(json_path(r->json, "filters"), "kind") != '\0';
	json_array_foreach(json_path(r->json, "facets.kind"), i, f)
		if (!chosen || json_is_true(json_object_get(f, "selected")))
			counted += json_integer_value(json_object_get(f, "count"));
	if (json_is_null(json_path(r->json, "next")) && counted != (json_int_t)json_array_size(items)) {
		snprintf(why, n, "the kind facet counts %lld results, the list has %zu", (long long)counted,
			 json_array_size(items));
		return true;
	}
	for (int k = 0; k < 3 && t->top[k]; k++) {
		int at = position(items, t->top[k]);
		if (at < 0 || at > 2) {
			snprintf(why, n, "\"%s\" is %s", t->top[k], at < 0 ? "not found" : "not in the top 3");
			return true;
		}
	}
	if (t->absent && position(items, t->absent) >= 0) {
		snprintf(why, n, "\"%s\" is found but must not be", t->absent);
		return true;
	}
	if (t->above) {
		int a = position(items, t->above), b = position(items, t->below);
		if (a < 0 || b < 0 || a > b) {
			snprintf(why, n, "\"%s\" (at %d) must rank above \"%s\" (at %d)", t->above, a + 1, t->below, b + 1);
			return true;
		}
	}
	return false;
}

static void relevance_table(void **state)
{
	struct server *s = *state;
	load_corpus(s);
	struct actor *v = visitor(s);
	const char *name = harness_on_postgres() ? "PostgreSQL" : "SQLite";
	size_t rows = sizeof table / sizeof *table, bad = 0;
	assert_true(rows >= 25);
	for (size_t i = 0; i < rows; i++) {
		const struct relevance *t = &table[i];
		struct response *r = search_ok(v, t->q, NULL);
		char why[512];
		if (row_fails(t, r, why, sizeof why)) {
			bad++;
			fprintf(stderr, "  FAILED on %s: q=%s\n      %s\n      top 5:\n", name, t->q, why);
			print_top(json_path(r->json, "items"), 5);
		}
		response_free(r);
	}
	fprintf(stderr, "  relevance on %s: %zu of %zu queries as expected\n", name, rows - bad, rows);
	if (bad)
		fail_msg("%zu queries failed on %s", bad, name);
}

/* ---- facets ----------------------------------------------------------------------------- */

static const char *const facet_keys[] = {"kind", "community", "tag", "org", "language", "verified"};
#define FACETS (sizeof facet_keys / sizeof *facet_keys)

/* Adds the item's value(s) for a facet to counts (value -> count). */
static void count_item(json_t *counts, json_t *it, const char *facet)
{
	const char *values[8];
	size_t n = 0;
	if (strcmp(facet, "kind") == 0 || strcmp(facet, "language") == 0) {
		values[n++] = jstr(it, facet);
	} else if (strcmp(facet, "community") == 0 || strcmp(facet, "org") == 0) {
		json_t *o = json_object_get(it, facet);
		if (json_is_object(o))
			values[n++] = jstr(o, "slug");
	} else if (strcmp(facet, "verified") == 0) {
		values[n++] = json_is_true(json_object_get(it, "verified")) ? "yes" : "no";
	} else {
		json_t *t;
		size_t i;
		json_array_foreach(json_object_get(it, "tags"), i, t)
			if (n < 8)
				values[n++] = json_string_value(t);
	}
	for (size_t i = 0; i < n; i++) {
		json_t *c = json_object_get(counts, values[i]);
		json_object_set_new(counts, values[i], json_integer(c ? json_integer_value(c) + 1 : 1));
	}
}

/* "k=v&k=v" of the filters (NULL-terminated key, value pairs), leaving out
 * the key skip. */
static const char *filters_text(const char *const *filters, const char *skip)
{
	char buf[512] = "";
	for (size_t i = 0; filters && filters[i]; i += 2) {
		if (skip && strcmp(filters[i], skip) == 0)
			continue;
		size_t len = strlen(buf);
		snprintf(buf + len, sizeof buf - len, "%s%s=%s", len ? "&" : "", filters[i], filters[i + 1]);
	}
	return harness_strdup(buf);
}

static const char *filter_value(const char *const *filters, const char *key)
{
	for (size_t i = 0; filters && filters[i]; i += 2)
		if (strcmp(filters[i], key) == 0)
			return filters[i + 1];
	return NULL;
}

/* All results of a search (every page). */
static json_t *all_results(struct actor *a, const char *q, const char *more)
{
	char *esc = curl_easy_escape(NULL, q, 0);
	char path[1024];
	snprintf(path, sizeof path, "/api/v1/search?q=%s%s%s", esc, more && *more ? "&" : "", more ? more : "");
	curl_free(esc);
	struct pages p;
	return walk(a, path, &p);
}

/* The facets of a search: for each facet, its values and counts are those
 * of the results with every other filter applied (and the facet's own
 * left out), the value filtered on is selected, and each value's address
 * keeps the query and the other filters. */
static void check_facets(struct actor *a, const char *q, const char *const *filters)
{
	const char *more = filters_text(filters, NULL);
	struct response *r = search_ok(a, q, more);
	json_t *items = all_results(a, q, more);
	assert_int_equal(json_array_size(items) > PAGE_SIZE ? PAGE_SIZE : json_array_size(items), jlen(r, "items"));
	/* the filters as the server read them */
	for (size_t k = 0; k < FACETS; k++) {
		const char *v = filter_value(filters, facet_keys[k]);
		char path[32];
		snprintf(path, sizeof path, "filters.%s", facet_keys[k]);
		assert_jstr(r, path, v ? v : "");
	}
	char prefix[256];
	char *qesc = curl_easy_escape(NULL, q, 0);
	snprintf(prefix, sizeof prefix, "/search?q=%s", qesc);
	curl_free(qesc);
	for (size_t k = 0; k < FACETS; k++) {
		const char *key = facet_keys[k], *chosen = filter_value(filters, key);
		json_t *base = chosen ? all_results(a, q, filters_text(filters, key)) : items;
		json_t *want = hold(json_object()), *it;
		size_t i;
		json_array_foreach(base, i, it)
			count_item(want, it, key);
		json_t *got = json_path(r->json, "facets");
		got = json_object_get(got, key);
		if (!json_is_array(got))
			harness_fail_response(r, __FILE__, __LINE__, "facet %s is missing", key);
		if (json_array_size(got) != json_object_size(want)) {
			char *w = json_dumps(want, JSON_COMPACT | JSON_SORT_KEYS);
			harness_keep(w);
			harness_fail_response(r, __FILE__, __LINE__, "q=%s %s: facet %s has %zu values, the results %zu: %s",
					      q, more, key, json_array_size(got), json_object_size(want), w);
		}
		json_t *f;
		json_array_foreach(got, i, f) {
			const char *value = jstr(f, "value"), *url = jstr(f, "url");
			char *vesc = curl_easy_escape(NULL, value, 0);
			const char *escaped = harness_strdup(vesc);
			curl_free(vesc);
			json_t *count = json_object_get(want, value);
			if (!count || json_integer_value(count) != json_integer_value(json_object_get(f, "count")))
				harness_fail_response(r, __FILE__, __LINE__, "q=%s %s: facet %s=%s counts %lld, the results %lld",
						      q, more, key, value,
						      (long long)json_integer_value(json_object_get(f, "count")),
						      (long long)json_integer_value(count));
			bool selected = chosen && strcmp(chosen, value) == 0;
			if (json_is_true(json_object_get(f, "selected")) != selected)
				harness_fail_response(r, __FILE__, __LINE__, "facet %s=%s: selected should be %d", key, value,
						      selected);
			if (!*jstr(f, "label"))
				harness_fail_response(r, __FILE__, __LINE__, "facet %s=%s has no label", key, value);
			/* the address keeps the query and the other filters; it sets
			 * this value, or takes it away when it is the one chosen */
			if (strncmp(url, prefix, strlen(prefix)) != 0 || (url[strlen(prefix)] && url[strlen(prefix)] != '&'))
				harness_fail_response(r, __FILE__, __LINE__, "facet %s=%s: url %s does not keep the query",
						      key, value, url);
			for (size_t o = 0; filters && filters[o]; o += 2) {
				char kv[128];
				snprintf(kv, sizeof kv, "&%s=%s", filters[o], filters[o + 1]);
				if (strcmp(filters[o], key) != 0 && !strstr(url, kv))
					harness_fail_response(r, __FILE__, __LINE__, "facet %s=%s: url %s drops %s", key,
							      value, url, kv);
			}
			char mine[128];
			snprintf(mine, sizeof mine, "&%s=", key);
			const char *at = strstr(url, mine);
			if (selected ? at != NULL : !at || strncmp(at + strlen(mine), escaped, strlen(escaped)) != 0)
				harness_fail_response(r, __FILE__, __LINE__, "facet %s=%s: url %s", key, value, url);
		}
	}
	response_free(r);
}

static void facets_count_what_the_viewer_finds(void **state)
{
	struct server *s = *state;
	load_corpus(s);
	struct actor *v = visitor(s), *oliver = person(s, "oliver");
	check_facets(v, "upphandling", NULL);
	check_facets(v, "upphandling", STRS("kind", "question"));
	check_facets(v, "upphandling", STRS("kind", "question", "org", "norrvik-kommun"));
	check_facets(v, "onboarding", NULL);
	check_facets(v, "onboarding", STRS("language", "nl"));
	check_facets(v, "audits", STRS("verified", "yes"));
	check_facets(v, "audits", STRS("verified", "no"));
	check_facets(v, "gdpr", STRS("tag", "gdpr"));
	check_facets(v, "gdpr", STRS("org", "northbridge"));
	check_facets(v, "kennis", STRS("community", "kennisnetwerk"));
	check_facets(v, "leverantorsdialog", STRS("kind", "answer"));
	check_facets(oliver, "upphandling", NULL);

	/* concrete counts, so that a facet cannot agree with the results by
	 * both being wrong */
	struct response *r = search_ok(v, "onboarding", NULL);
	json_t *langs = json_path(r->json, "facets.language");
	assert_int_equal(json_array_size(langs), 3); /* en, nl, sv: one each */
	json_t *f;
	size_t i;
	json_array_foreach(langs, i, f)
		assert_int_equal(json_integer_value(json_object_get(f, "count")), 1);
	response_free(r);
	r = search_ok(v, "audits", NULL);
	json_array_foreach(json_path(r->json, "facets.verified"), i, f)
		assert_int_equal(json_integer_value(json_object_get(f, "count")),
				 strcmp(jstr(f, "value"), "yes") == 0 ? 1 : 2);
	assert_int_equal(jlen(r, "facets.verified"), 2);
	response_free(r);
	r = search_ok(v, "upphandling", "kind=question");
	json_array_foreach(json_path(r->json, "facets.kind"), i, f)
		if (strcmp(jstr(f, "value"), "question") == 0) {
			assert_int_equal(json_integer_value(json_object_get(f, "count")), 3);
			assert_true(json_is_true(json_object_get(f, "selected")));
			assert_string_equal(jstr(f, "url"), "/search?q=upphandling");
			assert_string_equal(jstr(f, "label"), "Question");
		}
	response_free(r);

	/* a filter typed in the box is a selected facet value like one in the
	 * address */
	r = search_ok(v, "tag:upphandling frågor", NULL);
	assert_jstr(r, "filters.tag", "upphandling");
	bool seen = false;
	json_array_foreach(json_path(r->json, "facets.tag"), i, f)
		if (strcmp(jstr(f, "value"), "upphandling") == 0)
			seen = json_is_true(json_object_get(f, "selected"));
	assert_true(seen);
	response_free(r);

	/* a query that finds nothing: no facet values */
	r = search_ok(v, "xylofonorkester", NULL);
	assert_int_equal(jlen(r, "items"), 0);
	assert_non_null(response_jstr(r, "message"));
	for (size_t k = 0; k < FACETS; k++) {
		char path[32];
		snprintf(path, sizeof path, "facets.%s", facet_keys[k]);
		assert_int_equal(jlen(r, path), 0);
	}
	response_free(r);
}

/* ---- filters in the address ----------------------------------------------------------------- */

/* Every result has the value at key (a dotted path into the item). */
static void assert_all(const struct response *r, const char *key, const char *value)
{
	json_t *it;
	size_t i;
	json_array_foreach(json_path(r->json, "items"), i, it) {
		const char *dot = strchr(key, '.');
		json_t *v = dot ? json_object_get(json_object_get(it, harness_strndup(key, (size_t)(dot - key))), dot + 1)
				: json_object_get(it, key);
		if (!json_is_string(v) || strcmp(json_string_value(v), value) != 0)
			harness_fail_response(r, __FILE__, __LINE__, "result %zu has %s other than %s", i, key, value);
	}
	if (jlen(r, "items") == 0)
		harness_fail_response(r, __FILE__, __LINE__, "no results");
}

static void filters_in_the_address(void **state)
{
	struct server *s = *state;
	load_corpus(s);
	struct actor *v = visitor(s);
	struct response *r = search_ok(v, "workshop", "kind=method");
	assert_all(r, "kind", "method");
	assert_true(position(json_path(r->json, "items"), "Fishbowl discussion for large groups") >= 0);
	response_free(r);
	r = search_ok(v, "ervaring", "community=kennisnetwerk");
	assert_all(r, "community.slug", "kennisnetwerk");
	assert_jstr(r, "filters.community", "kennisnetwerk");
	response_free(r);
	r = search_ok(v, "data", "tag=gdpr");
	json_t *it;
	size_t i;
	json_array_foreach(json_path(r->json, "items"), i, it)
		assert_true(has_tag(json_object_get(it, "tags"), "gdpr"));
	assert_true(jlen(r, "items") >= 3);
	response_free(r);
	r = search_ok(v, "gdpr", "org=northbridge");
	assert_all(r, "org.slug", "northbridge");
	response_free(r);
	r = search_ok(v, "onboarding", "language=nl");
	assert_all(r, "language", "nl");
	assert_int_equal(jlen(r, "items"), 1);
	response_free(r);
	r = search_ok(v, "audits", "verified=yes");
	assert_int_equal(jlen(r, "items"), 1);
	assert_true(is_item(json_array_get(json_path(r->json, "items"), 0), "Checklist for energy audits in school buildings"));
	assert_true(json_is_true(jat(r, "items", 0, "verified")));
	response_free(r);
	r = search_ok(v, "audits", "verified=no");
	assert_int_equal(jlen(r, "items"), 2);
	response_free(r);
	r = search_ok(v, "leverantörsdialog", "kind=answer");
	assert_all(r, "kind", "answer");
	assert_int_equal(jlen(r, "items"), 2);
	/* an answer shows its question's title and links into it */
	assert_string_equal(jat_str(r, "items", 0, "title"), "Hur förbereder ni marknaden inför en stor upphandling?");
	assert_non_null(strstr(jat_str(r, "items", 0, "url"), "#answer-"));
	response_free(r);
	r = search_ok(v, "upphandling", "kind=question&org=norrvik-kommun&language=sv&community=kommunnatverket");
	assert_all(r, "org.slug", "norrvik-kommun");
	assert_all(r, "kind", "question");
	response_free(r);

	/* the box wins over the address */
	r = search_ok(v, "kind:question upphandling", "kind=article");
	assert_jstr(r, "filters.kind", "question");
	assert_all(r, "kind", "question");
	response_free(r);
	r = search_ok(v, "community:kennisnetwerk ervaring", "community=practice-exchange");
	assert_all(r, "community.slug", "kennisnetwerk");
	response_free(r);

	/* values that are not filters */
	static const char *const bad[][2] = {
		{"kind=party", "kind"}, {"kind=all", "kind"}, {"language=de", "language"},
		{"verified=maybe", "verified"}, {"tag=%21%21%21", "tag"},
	};
	for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
		r = search(v, "upphandling", bad[k][0]);
		assert_error(r, 400, "bad_filter");
		assert_jstr(r, "error.field", bad[k][1]);
		response_free(r);
	}
	r = search(v, "kind:events upphandling", NULL);
	assert_error(r, 400, "bad_filter");
	response_free(r);
	r = search(v, "upphandling", "community=no-such-community");
	assert_error(r, 404, "not_found");
	response_free(r);
	r = search(v, "upphandling", "org=no-such-org");
	assert_error(r, 404, "not_found");
	response_free(r);
	r = search(v, "org:no-such-org upphandling", NULL);
	assert_error(r, 404, "not_found");
	response_free(r);
	/* an undeclared parameter is ignored, and the API names it */
	r = search(v, "upphandling", "limit=100");
	assert_status(r, 200);
	assert_header_equal(r, "X-Kring-Ignored-Parameters", "limit");
	response_free(r);

	/* the page keeps the filters in the form */
	r = aget(v, "/search?q=upphandling&kind=question&org=norrvik-kommun");
	assert_status(r, 200);
	assert_body_contains(r, "name=\"kind\" value=\"question\"");
	assert_body_contains(r, "name=\"org\" value=\"norrvik-kommun\"");
	assert_body_contains(r, "value=\"upphandling\"");
	assert_body_contains(r, "<mark>Upphandling</mark>");
	response_free(r);

	/* no query: a message, no results, no error */
	r = aget(v, "/api/v1/search");
	assert_status(r, 200);
	assert_int_equal(jlen(r, "items"), 0);
	assert_non_null(response_jstr(r, "message"));
	response_free(r);
	r = search_ok(v, "-upphandling -ramavtal", NULL);
	assert_int_equal(jlen(r, "items"), 0);
	assert_non_null(response_jstr(r, "message"));
	assert_true(json_is_null(json_path(r->json, "next")));
	response_free(r);
	r = search_ok(v, "tag:upphandling", NULL);
	assert_int_equal(jlen(r, "items"), 0);
	assert_non_null(response_jstr(r, "message"));
	response_free(r);
}

/* ---- pages ------------------------------------------------------------------------------ */

/* oliver posts n updates to practice-exchange with the word "standup",
 * of different lengths (so different ranks) and in threes alike (ties). */
/* Posts n updates as oliver, faster than a person would: an admin turns
 * the posting limits off first. */
static void post_standups(const struct server *s, struct actor *oliver, int n)
{
	unlimited_posting(staff(s, "siteadmin", "--admin"));
	static const char *const filler[] = {
		"", " Two people were out sick.", " We moved the review to Friday and skipped the demo.",
		" Long discussion about the booking system, the parking and the new coffee machine on floor three.",
	};
	for (int i = 0; i < n; i++) {
		char body[512];
		snprintf(body, sizeof body, "Standup notes from the facilitation team, group %d.%s", i / 3,
			 filler[(i / 3) % 4]);
		new_item(oliver, "update", "practice-exchange", json_pack("{s:s, s:s}", "kind", "update", "body", body));
	}
}

/* Every id once; returns how many. */
static size_t distinct_ids(json_t *items)
{
	json_t *seen = hold(json_object()), *it;
	size_t i;
	json_array_foreach(items, i, it) {
		char id[32];
		snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(it, "id")));
		if (json_object_get(seen, id))
			fail_msg("item %s is listed twice (at %zu)", id, i);
		json_object_set_new(seen, id, json_true());
	}
	return json_object_size(seen);
}

static void keyset_pages(void **state)
{
	struct server *s = *state;
	load_corpus(s);
	struct actor *oliver = person(s, "oliver"), *v = visitor(s);
	post_standups(s, oliver, 27);
	struct pages p;
	json_t *all = walk(v, "/api/v1/search?q=standup", &p);
	assert_int_equal(p.n, 2);
	assert_int_equal(p.sizes[0], PAGE_SIZE);
	assert_int_equal(p.sizes[1], 7);
	assert_int_equal(distinct_ids(all), 27);
	/* highest rank first, ties by the newest id */
	for (size_t i = 1; i < json_array_size(all); i++) {
		json_t *a = json_array_get(all, i - 1), *b = json_array_get(all, i);
		json_int_t ra = json_integer_value(json_object_get(a, "rank")), rb = json_integer_value(json_object_get(b, "rank"));
		assert_true(ra > rb || (ra == rb && json_integer_value(json_object_get(a, "id")) >
							 json_integer_value(json_object_get(b, "id"))));
	}
	/* the facets count every page */
	struct response *r = search_ok(v, "standup", NULL);
	json_int_t total = 0;
	json_t *f;
	size_t i;
	json_array_foreach(json_path(r->json, "facets.kind"), i, f)
		total += json_integer_value(json_object_get(f, "count"));
	assert_int_equal(total, 27);
	const char *next_url = response_jstr(r, "next_url");
	assert_non_null(next_url);
	assert_int_equal(strncmp(next_url, "/search?q=standup", 17), 0);
	assert_non_null(strstr(next_url, "cursor="));
	next_url = harness_strdup(next_url);
	response_free(r);
	/* the page's "More" leads on */
	r = aget(v, "%s", next_url);
	assert_status(r, 200);
	assert_body_contains(r, "<mark>Standup</mark>");
	response_free(r);
	/* with a filter the cursor goes on within it */
	json_t *filtered = walk(v, "/api/v1/search?q=standup&kind=update&community=practice-exchange", &p);
	assert_int_equal(distinct_ids(filtered), 27);

	/* broken cursors */
	static const char *const broken[] = {"garbage", "r%3Aabc%3A1", "n%3A1%3A1", "r%3A1%3A0", "r%3A1%3A-5",
					     "r%3A1%3A2%3A3", "r%3A1", "%3A%3A", "r%3A%20%3A1"};
	for (size_t k = 0; k < sizeof broken / sizeof *broken; k++) {
		char more[64];
		snprintf(more, sizeof more, "cursor=%s", broken[k]);
		r = search(v, "standup", more);
		assert_error(r, 400, "bad_cursor");
		response_free(r);
	}
	r = aget(v, "/search?q=standup&cursor=garbage");
	assert_status(r, 400);
	response_free(r);
}

/* Sets the server's clock (KRING_CLOCK_FILE) to t. */
static void set_clock(const char *path, time_t t)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "%lld\n", (long long)t);
	fclose(f);
}

/* The rank of a result depends on its age, that is on the moment of the
 * search; the next page must still go on from the last row of the one
 * before when the reader asks for it ten minutes later. */
static void pages_hold_when_time_passes(void **state)
{
	struct server *s = malloc(sizeof *s);
	assert_non_null(s);
	char clock[] = "/tmp/kring-search-clock-XXXXXX";
	int fd = mkstemp(clock);
	assert_true(fd >= 0);
	close(fd);
	time_t t0 = time(NULL);
	set_clock(clock, t0);
	setenv("KRING_CLOCK_FILE", clock, 1);
	int started = server_start(s);
	unsetenv("KRING_CLOCK_FILE");
	if (started != 0) {
		free(s);
		unlink(clock);
		fail_msg("the server did not start");
	}
	*state = s;
	load_corpus(s);
	struct actor *oliver = person(s, "oliver"), *v = visitor(s);
	post_standups(s, oliver, 27);
	struct response *r = search_ok(v, "standup", NULL);
	json_t *first = hold(json_deep_copy(json_path(r->json, "items")));
	const char *next = response_jstr(r, "next");
	assert_non_null(next);
	char *esc = curl_easy_escape(NULL, next, 0);
	char more[128];
	snprintf(more, sizeof more, "cursor=%s", esc);
	curl_free(esc);
	response_free(r);
	set_clock(clock, t0 + 600);
	r = search_ok(v, "standup", more);
	json_t *all = hold(json_deep_copy(first));
	json_array_extend(all, json_path(r->json, "items"));
	bool repeats = false;
	json_t *seen = hold(json_object()), *it;
	size_t i;
	json_array_foreach(all, i, it) {
		char id[32];
		snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(it, "id")));
		repeats |= json_object_get(seen, id) != NULL;
		json_object_set_new(seen, id, json_true());
	}
	size_t n = json_object_size(seen);
	response_free(r);
	unlink(clock);
	/* the cursor carries the time the first page was ranked at */
	assert_false(repeats);
	assert_int_equal(n, 27);
}

/* ---- snippets --------------------------------------------------------------------------- */

/* The HTML has no tag but <mark> and </mark>, and each mark holds one word
 * that, lower-cased, is one of the words (NULL-terminated). */
static void assert_only_marks(const struct response *r, const char *html, const char *const *words, const char *what)
{
	if (!html)
		harness_fail_response(r, __FILE__, __LINE__, "%s is missing", what);
	int marks = 0;
	for (const char *p = strchr(html, '<'); p; p = strchr(p + 1, '<')) {
		if (strncmp(p, "</mark>", 7) == 0)
			continue;
		if (strncmp(p, "<mark>", 6) != 0)
			harness_fail_response(r, __FILE__, __LINE__, "%s holds a tag other than <mark>: %s", what, html);
		const char *end = strstr(p, "</mark>");
		if (!end)
			harness_fail_response(r, __FILE__, __LINE__, "%s has an unclosed <mark>: %s", what, html);
		size_t n = (size_t)(end - p - 6);
		bool ok = false;
		for (size_t w = 0; words[w]; w++)
			ok |= strlen(words[w]) == n && strncasecmp(p + 6, words[w], n) == 0;
		if (!ok)
			harness_fail_response(r, __FILE__, __LINE__, "%s marks \"%.*s\": %s", what, (int)n, p + 6, html);
		marks++;
	}
	if (marks == 0)
		harness_fail_response(r, __FILE__, __LINE__, "%s marks nothing: %s", what, html);
}

#define XSS_TITLE "Intranet search shows <script>alert(1)</script> as text"

static void snippets_are_escaped_and_marked(void **state)
{
	struct server *s = *state;
	load_corpus(s);
	struct actor *oliver = person(s, "oliver"), *v = visitor(s);
	new_item(oliver, "question", "practice-exchange",
		 json_pack("{s:s, s:s, s:s}", "kind", "question", "title", XSS_TITLE, "body",
			   "When an editor pastes <script>alert(1)</script> into a news item, our intranet search "
			   "shows it. Is `<script>alert(1)</script>` escaped in yours? Tom & Jerry say \"hi\" <b>loudly</b>."));
	/* a long text: the snippet is cut around the match */
	char body[3000] = "";
	for (int i = 0; i < 30; i++)
		strcat(body, "The weekly planning meeting covered rotas, holidays and the new forms. ");
	strcat(body, "Finally we agreed to move the team calendar to the intranet next month.");
	new_item(oliver, "update", "practice-exchange", json_pack("{s:s, s:s}", "kind", "update", "body", body));

	struct response *r = search_ok(v, "intranet", NULL);
	json_t *items = json_path(r->json, "items");
	int at = position(items, XSS_TITLE);
	assert_true(at >= 0);
	json_t *it = json_array_get(items, (size_t)at);
	const char *title_html = jstr(it, "title_html"), *snippet = jstr(it, "snippet_html");
	assert_only_marks(r, title_html, STRS("intranet"), "title_html");
	assert_only_marks(r, snippet, STRS("intranet"), "snippet_html");
	assert_non_null(strstr(title_html, "<mark>Intranet</mark> search shows &lt;script&gt;alert(1)&lt;/script&gt; as text"));
	assert_non_null(strstr(snippet, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_non_null(strstr(snippet, "<mark>intranet</mark>"));
	assert_non_null(strstr(snippet, "Tom &amp; Jerry"));
	assert_null(strstr(snippet, "<b>"));
	assert_inert(r, title_html, "title_html");
	assert_inert(r, snippet, "snippet_html");
	/* the long one: cut, starting a little before the match */
	at = position(items, "The weekly planning meeting");
	assert_true(at >= 0);
	snippet = jstr(json_array_get(items, (size_t)at), "snippet_html");
	assert_only_marks(r, snippet, STRS("intranet"), "snippet_html");
	assert_int_equal(strncmp(snippet, "…", strlen("…")), 0);
	assert_true(strlen(snippet) < 300);
	response_free(r);

	/* the words of the markup itself can be looked for, and stay text */
	r = search_ok(v, "script", NULL);
	it = json_array_get(json_path(r->json, "items"), (size_t)position(json_path(r->json, "items"), XSS_TITLE));
	assert_non_null(it);
	assert_only_marks(r, jstr(it, "title_html"), STRS("script"), "title_html");
	assert_non_null(strstr(jstr(it, "title_html"), "&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt;"));
	assert_only_marks(r, jstr(it, "snippet_html"), STRS("script"), "snippet_html");
	response_free(r);

	/* the page */
	r = aget(v, "/search?q=intranet");
	assert_status(r, 200);
	assert_body_lacks(r, "<script>alert(1)");
	assert_body_contains(r, "&lt;script&gt;alert(1)&lt;/script&gt;");
	assert_body_contains(r, "<mark>Intranet</mark>");
	assert_body_lacks(r, "<b>loudly");
	response_free(r);
	/* the query shown back in the box */
	r = aget(v, "/search?q=%%22%%3E%%3Cscript%%3Ealert(2)%%3C%%2Fscript%%3E%%20intranet");
	assert_status(r, 200);
	assert_body_lacks(r, "<script>alert(2)");
	assert_body_lacks(r, "\"><script");
	response_free(r);

	/* marks in the corpus: a word with diacritics found without them, a
	 * compound found by its part, a phrase word by word, inflections */
	r = search_ok(v, "forbattring", NULL);
	items = json_path(r->json, "items");
	at = position(items, "Små förbättringar varje vecka i hemtjänstens planering");
	assert_true(at >= 0);
	assert_string_equal(jstr(json_array_get(items, (size_t)at), "title_html"),
			    "Små <mark>förbättringar</mark> varje vecka i hemtjänstens planering");
	response_free(r);
	r = search_ok(v, "delning", NULL);
	items = json_path(r->json, "items");
	at = position(items, "Kunskapsdelning mellan kommuner – vilka forum använder ni?");
	assert_true(at >= 0);
	assert_string_equal(jstr(json_array_get(items, (size_t)at), "title_html"),
			    "<mark>Kunskapsdelning</mark> mellan kommuner – vilka forum använder ni?");
	response_free(r);
	r = search_ok(v, "\"citizen dialogue\"", NULL);
	items = json_path(r->json, "items");
	at = position(items, "Facilitating a citizen dialogue on the new bus routes");
	assert_true(at >= 0);
	assert_string_equal(jstr(json_array_get(items, (size_t)at), "title_html"),
			    "Facilitating a <mark>citizen</mark> <mark>dialogue</mark> on the new bus routes");
	response_free(r);
	r = search_ok(v, "gemeenten -pensioen", NULL);
	items = json_path(r->json, "items");
	at = position(items, "Onze gemeente stopt met papieren vergunningen: tips?");
	assert_true(at >= 0);
	assert_only_marks(r, jstr(json_array_get(items, (size_t)at), "title_html"), STRS("gemeente"), "title_html");
	response_free(r);
}

/* ---- who sees what ---------------------------------------------------------------------- */

/* What the private community styrgruppen holds that nobody else may see. */
static const char *const private_marks[] = {"Styrgruppen", "styrgruppsbeslut", "styrgruppsprotokoll",
					    "Budget för kunskapsdelning", "Riskanalys för gemensam upphandling",
					    "Dijkhoven kan de aanbesteding", NULL};

/* The results and facets hold nothing of the private community. */
static void assert_nothing_private(const struct response *r, const char *q)
{
	json_t *it;
	size_t i;
	json_array_foreach(json_path(r->json, "items"), i, it) {
		json_t *c = json_object_get(it, "community");
		if (json_is_object(c) && strcmp(jstr(c, "slug"), "styrgruppen") == 0)
			harness_fail_response(r, __FILE__, __LINE__, "q=%s: a result of styrgruppen", q);
	}
	json_array_foreach(json_path(r->json, "facets.community"), i, it)
		if (strcmp(jstr(it, "value"), "styrgruppen") == 0)
			harness_fail_response(r, __FILE__, __LINE__, "q=%s: styrgruppen in the community facet", q);
	json_array_foreach(json_path(r->json, "facets.tag"), i, it)
		if (strcmp(jstr(it, "value"), "styrgruppsbeslut") == 0 || strcmp(jstr(it, "value"), "budget") == 0)
			harness_fail_response(r, __FILE__, __LINE__, "q=%s: a private tag in the tag facet", q);
	/* nor in the text (the query itself is echoed; it is none of these) */
	for (size_t k = 0; private_marks[k]; k++)
		if (strcmp(q, private_marks[k]) != 0 && strcasestr_portable(r->body, private_marks[k]) &&
		    !strcasestr_portable(q, private_marks[k]))
			harness_fail_response(r, __FILE__, __LINE__, "q=%s: the response holds \"%s\"", q, private_marks[k]);
}

/* The sum of the kind facet's counts: how many results there are. */
static json_int_t total_of(const struct response *r)
{
	json_int_t total = 0;
	json_t *f;
	size_t i;
	json_array_foreach(json_path(r->json, "facets.kind"), i, f)
		total += json_integer_value(json_object_get(f, "count"));
	return total;
}

static json_int_t facet_count(const struct response *r, const char *facet, const char *value)
{
	char path[32];
	snprintf(path, sizeof path, "facets.%s", facet);
	json_t *f;
	size_t i;
	json_array_foreach(json_path(r->json, path), i, f)
		if (strcmp(jstr(f, "value"), value) == 0)
			return json_integer_value(json_object_get(f, "count"));
	return 0;
}

static void private_items_stay_private(void **state)
{
	struct server *s = *state;
	load_corpus(s);
	struct actor *v = visitor(s), *oliver = person(s, "oliver"), *helena = person(s, "helena"),
		     *mats = person(s, "mats");
	struct actor *outsiders[] = {v, oliver};
	static const char *const queries[] = {"upphandling", "kunskapsdelning", "aanbesteding", "onboarding",
					      "budget", "styrgruppsprotokoll", "dataskydd", "leverantorsberoende",
					      "riskanalys", "upphandling kunskapsdelning"};
	for (size_t o = 0; o < 2; o++)
		for (size_t k = 0; k < sizeof queries / sizeof *queries; k++) {
			struct response *r = search_ok(outsiders[o], queries[k], NULL);
			assert_nothing_private(r, queries[k]);
			response_free(r);
		}
	/* the words only the private community uses find nothing */
	static const char *const only_private[] = {"styrgruppsprotokoll", "riskanalys", "leverantörsberoende",
						   "tag:styrgruppsbeslut upphandling", "tag:budget kunskapsdelning"};
	for (size_t o = 0; o < 2; o++)
		for (size_t k = 0; k < sizeof only_private / sizeof *only_private; k++) {
			struct response *r = search_ok(outsiders[o], only_private[k], NULL);
			assert_int_equal(jlen(r, "items"), 0);
			assert_int_equal(total_of(r), 0);
			response_free(r);
		}
	/* the community as a filter does not exist for them */
	for (size_t o = 0; o < 2; o++) {
		struct response *r = search(outsiders[o], "upphandling", "community=styrgruppen");
		assert_error(r, 404, "not_found");
		response_free(r);
		r = search(outsiders[o], "community:styrgruppen upphandling", NULL);
		assert_error(r, 404, "not_found");
		response_free(r);
		r = aget(outsiders[o], "/search?q=community%%3Astyrgruppen%%20upphandling");
		assert_status(r, 404);
		response_free(r);
	}
	/* the page for them */
	struct response *r = aget(v, "/search?q=upphandling");
	assert_status(r, 200);
	assert_body_lacks(r, "Styrgruppen");
	assert_body_lacks(r, "Riskanalys");
	response_free(r);

	/* members see them: in the results, the counts and the facets */
	struct actor *members[] = {helena, mats};
	for (size_t m = 0; m < 2; m++) {
		struct response *in = search_ok(members[m], "upphandling", NULL);
		struct response *out = search_ok(oliver, "upphandling", NULL);
		json_int_t private_count = facet_count(in, "community", "styrgruppen");
		assert_true(private_count >= 3);
		assert_int_equal(total_of(in), total_of(out) + private_count);
		assert_true(facet_count(in, "tag", "styrgruppsbeslut") >= 3);
		assert_int_equal(facet_count(in, "tag", "upphandling"), facet_count(out, "tag", "upphandling") + 1);
		assert_true(position(json_path(in->json, "items"), "Riskanalys för gemensam upphandling av AI-tjänster") >= 0);
		response_free(in);
		response_free(out);
		/* the question (styrgruppsprotokollet), its answer, the update and
		 * the article (in its approach) */
		in = search_ok(members[m], "styrgruppsprotokoll", NULL);
		assert_int_equal(jlen(in, "items"), 4);
		json_t *it;
		size_t i;
		json_array_foreach(json_path(in->json, "items"), i, it)
			if (strcmp(jstr(it, "kind"), "article") != 0)
				assert_non_null(strstr(jstr(it, "snippet_html"), "<mark>"));
		response_free(in);
		in = search_ok(members[m], "community:styrgruppen upphandling", NULL);
		assert_all(in, "community.slug", "styrgruppen");
		response_free(in);
		in = search_ok(members[m], "aanbesteding", "community=styrgruppen&kind=answer");
		assert_int_equal(jlen(in, "items"), 1);
		response_free(in);
	}
	check_facets(helena, "upphandling", NULL);
	check_facets(helena, "upphandling", STRS("community", "styrgruppen"));

	/* the suggestions while a word is typed show no private title */
	for (size_t o = 0; o < 2; o++) {
		static const char *const typed[] = {"Riskan", "upphandl", "Budget", "gemensam upph", "kunskapsdel"};
		for (size_t k = 0; k < sizeof typed / sizeof *typed; k++) {
			char *esc = curl_easy_escape(NULL, typed[k], 0);
			r = aget(outsiders[o], "/api/v1/search/suggest?q=%s", esc);
			curl_free(esc);
			assert_status(r, 200);
			assert_body_lacks(r, "Riskanalys");
			assert_body_lacks(r, "Budget f");
			response_free(r);
		}
	}
	r = aget(helena, "/api/v1/search/suggest?q=Riskan");
	assert_status(r, 200);
	assert_true(list_has_str(r, "suggestions", "title", "Riskanalys för gemensam upphandling av AI-tjänster"));
	response_free(r);

	/* an update on a profile is for signed-in members only */
	r = search_ok(v, "välkomstbrev", NULL);
	assert_int_equal(jlen(r, "items"), 0);
	assert_int_equal(total_of(r), 0);
	response_free(r);
	r = search_ok(oliver, "välkomstbrev", NULL);
	assert_int_equal(jlen(r, "items"), 1);
	assert_true(json_is_null(jat(r, "items", 0, "community")));
	response_free(r);
}

/* ---- the index follows the writes -------------------------------------------------------- */

static void index_follows_edits_and_deletions(void **state)
{
	struct server *s = *state;
	load_corpus(s);
	struct actor *mats = person(s, "mats"), *helena = person(s, "helena"), *v = visitor(s);

	/* an edit is found at once, and the old words no longer */
	struct response *r = search_ok(v, "trafiksäkerhet", NULL);
	int64_t id = id_of(json_path(r->json, "items"), "Upphandling av skolskjuts: hur viktar ni pris mot kvalitet?");
	response_free(r);
	r = item_edit(mats, id, json_pack("{s:s, s:s, s:[s, s]}", "title",
					  "Upphandling av skolskjuts med elbussar: hur viktar ni pris mot kvalitet?", "body",
					  "Politikerna vill att vi ställer krav på laddinfrastruktur och utsläpp. Hur har ni gjort?",
					  "tags", "upphandling", "elfordon"));
	assert_status(r, 200);
	response_free(r);
	r = search_ok(v, "laddinfrastruktur", NULL);
	assert_int_equal(jlen(r, "items"), 1);
	assert_int_equal(json_integer_value(jat(r, "items", 0, "id")), id);
	assert_non_null(strstr(jat_str(r, "items", 0, "snippet_html"), "<mark>laddinfrastruktur</mark>"));
	response_free(r);
	r = search_ok(v, "elbussar", NULL);
	assert_int_equal(jlen(r, "items"), 1);
	assert_non_null(strstr(jat_str(r, "items", 0, "title_html"), "<mark>elbussar</mark>"));
	response_free(r);
	r = search_ok(v, "trafiksäkerhet", NULL);
	assert_int_equal(jlen(r, "items"), 0);
	response_free(r);
	r = search_ok(v, "tag:elfordon upphandling", NULL);
	assert_int_equal(jlen(r, "items"), 1);
	assert_int_equal(facet_count(r, "tag", "elfordon"), 1);
	response_free(r);
	r = search_ok(v, "tag:skolskjuts upphandling", NULL);
	assert_int_equal(jlen(r, "items"), 0);
	response_free(r);

	/* a new item is found at once */
	new_item(mats, "question", "kommunnatverket",
		 json_pack("{s:s, s:s, s:s}", "kind", "question", "title", "Vem har upphandlat snöröjning med GPS-uppföljning?",
			   "body", "Entreprenörerna vill inte dela positionsdata."));
	r = search_ok(v, "snöröjning", NULL);
	assert_int_equal(jlen(r, "items"), 1);
	response_free(r);

	/* a deleted item is gone at once, from the results and the counts */
	r = search_ok(v, "leverantören", NULL);
	id = id_of(json_path(r->json, "items"), "Tio frågor att ställa till leverantören före avtal");
	json_int_t before = total_of(r);
	response_free(r);
	r = item_post(mats, id, "delete", NULL);
	assert_true(r->status == 200 || r->status == 303);
	response_free(r);
	r = search_ok(v, "leverantören", NULL);
	assert_int_equal(position(json_path(r->json, "items"), "Tio frågor att ställa till leverantören före avtal"), -1);
	assert_int_equal(total_of(r), before - 1);
	response_free(r);
	r = search_ok(v, "frågor", NULL);
	assert_int_equal(position(json_path(r->json, "items"), "Tio frågor att ställa till leverantören före avtal"), -1);
	response_free(r);

	/* deleting a question takes its answers out of the results */
	r = search_ok(v, "leverantörsdialog", NULL);
	assert_int_equal(jlen(r, "items"), 2);
	response_free(r);
	r = search_ok(v, "marknaden", NULL);
	id = id_of(json_path(r->json, "items"), "Hur förbereder ni marknaden inför en stor upphandling?");
	response_free(r);
	r = item_post(helena, id, "delete", NULL);
	assert_true(r->status == 200 || r->status == 303);
	response_free(r);
	r = search_ok(v, "leverantörsdialog", NULL);
	assert_int_equal(jlen(r, "items"), 0);
	assert_int_equal(total_of(r), 0);
	response_free(r);
	r = search_ok(mats, "leverantörsdialog", NULL);
	assert_int_equal(jlen(r, "items"), 0);
	response_free(r);
}

/* ---- other scripts and languages ----------------------------------------------------- */

/* Each query finds the item titled title. */
static void assert_found(struct actor *a, const char *title, const char *const *queries)
{
	for (const char *const *q = queries; *q; q++) {
		struct response *r = search_ok(a, *q, NULL);
		if (position(json_path(r->json, "items"), title) < 0)
			harness_fail_response(r, __FILE__, __LINE__, "\"%s\" does not find \"%s\"", *q, title);
		response_free(r);
	}
}

/* Greek, Cyrillic, Polish, Romanian, Turkish and German text is found by
 * its folded forms: any case, with or without diacritics, Romanian's
 * comma-below letters by their cedilla forms, Turkish dotted and dotless i
 * alike, ß by ss. */
static void other_scripts_are_found(void **state)
{
	struct server *s = *state;
	load_corpus(s);
	/* Three authors: one may not post six questions a minute. */
	struct actor *authors[] = {person(s, "mats"), person(s, "helena"), person(s, "karin")}, *v = visitor(s);
	static const struct {
		const char *title, *body, *queries[4];
	} texts[] = {
		{"Συνάντηση για την Αθήνα", "Οι ΚΆΤΟΙΚΟΙ της πόλης συζητούν.", {"αθηνα", "ΑΘΉΝΑ", "κατοικοι"}},
		{"Ёлка на площади", "Жители МОСКВЫ обсуждают праздник.", {"елка", "ЁЛКА", "москвы"}},
		{"Spotkanie w Łodzi", "Mieszkańcy ŻÓŁTEGO domu.", {"lodzi", "ŁODZI", "zoltego"}},
		{"Știință deschisă", "Cercetători din Timișoara.", {"stiinta", "ştiinţă", "TIMIŞOARA"}},
		{"İstanbul ve Iğdır", "Kısa bir toplantı.", {"istanbul", "ığdır", "KISA"}},
		{"Die Straße der Gemeinde", "Große Pläne.", {"strasse", "STRASSE", "grosse"}},
	};
	int64_t ids[sizeof(texts) / sizeof(texts[0])];
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		ids[i] = new_item(authors[i % 3], "question", "kommunnatverket",
				  json_pack("{s:s, s:s, s:s}", "kind", "question", "title", texts[i].title, "body",
					    texts[i].body));
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		assert_found(v, texts[i].title, texts[i].queries);
	/* The whole word is marked in the title. */
	struct response *r = search_ok(v, "αθηνα", NULL);
	assert_non_null(strstr(jat_str(r, "items", 0, "title_html"), "<mark>Αθήνα</mark>"));
	response_free(r);
	/* Addresses: a slug of the ASCII spelling, or the id alone for a
	 * title in Cyrillic letters; either opens the item. */
	char want[64];
	snprintf(want, sizeof want, "/items/%lld-spotkanie-w-lodzi", (long long)ids[2]);
	r = get_item(v, ids[2]);
	assert_jstr(r, "url", want);
	response_free(r);
	snprintf(want, sizeof want, "/items/%lld", (long long)ids[1]);
	r = get_item(v, ids[1]);
	assert_jstr(r, "url", want);
	response_free(r);
	snprintf(want, sizeof want, "/api/v1/items/%lld", (long long)ids[1]);
	r = http_get(v->c, want, NULL);
	assert_status(r, 200);
	response_free(r);
}

/* ---- hostile queries --------------------------------------------------------------------- */

static void hostile_queries(void **state)
{
	struct server *s = *state;
	load_corpus(s);
	struct actor *v = visitor(s), *helena = person(s, "helena");
	const char *queries[] = {
		"\"unbalanced quote", "kennis\"", "\"kennis borgen", "-", "\"", "-\"", "\"\"", "\"\" kennis", "---",
		"- - -", "tag:", "org:", "community:", "kind:", "tag: kennis", ":", "::::", "*", "()", "(", ")",
		"'; DROP TABLE items; --", "\" OR 1=1", "' OR '1'='1", "1; SELECT * FROM users", "kennis'); --",
		"kennis NEAR borgen", "NEAR(kennis borgen)", "NEAR(kennis borgen, 2)", "kennis AND borgen",
		"kennis OR pensioen", "NOT kennis", "kennis NOT borgen", "AND", "OR", "NOT", "NEAR", "kenn*", "*kennis",
		"^kennis", "kennis^2", "title:kennis", "tags:ai", "body:x OR title:y", "{title body}: kennis",
		"search_terms:kennis", "(kennis)", "((kennis OR", "kennis:borgen", "kennis & borgen", "kennis | pensioen",
		"!kennis", "kennis <-> borgen", "kennis:*", "'kennis'", "%", "_", "a%b", "kennis_%", "\\", "kennis\\",
		"\\\"kennis\\\"", "kennis\x01borgen", "kennis\x7f", "\x7f", "\x01\x02\x03", "kennis\tborgen", "kennis\nborgen",
		"kennis\r\nborgen", "\t\n\r ", "ä", "ß", "ĳsland", "İstanbul", "kennis ﷽ borgen", "😀 kennis",
		"кириллица", "中文 kennis", "-kennis", "-kennis -borgen", "tag:ai tag:gdpr kennis", "kind:answer kind:question kennis",
		"\"-kennis\"", "\"tag:gdpr\"",
	};
	for (size_t k = 0; k < sizeof queries / sizeof *queries; k++) {
		struct response *r = search(v, queries[k], NULL);
		if (r->status != 200 || !r->json)
			harness_fail_response(r, __FILE__, __LINE__, "query %zu (%s): expected 200 with JSON", k, queries[k]);
		if (!json_is_array(json_path(r->json, "items")))
			harness_fail_response(r, __FILE__, __LINE__, "query %zu: no items", k);
		if (jlen(r, "items") == 0 && jlen(r, "people") == 0 && jlen(r, "organisations") == 0 &&
		    !response_jstr(r, "message"))
			harness_fail_response(r, __FILE__, __LINE__, "query %zu (%s): no results and no message", k,
					      queries[k]);
		assert_nothing_private(r, queries[k]);
		response_free(r);
		/* and the page */
		char *esc = curl_easy_escape(NULL, queries[k], 0);
		r = aget(helena, "/search?q=%s", esc);
		curl_free(esc);
		if (r->status != 200)
			harness_fail_response(r, __FILE__, __LINE__, "page for query %zu: expected 200", k);
		response_free(r);
	}
	/* the suggestions take the same abuse */
	for (size_t k = 0; k < sizeof queries / sizeof *queries; k++) {
		char *esc = curl_easy_escape(NULL, queries[k], 0);
		struct response *r = aget(v, "/api/v1/search/suggest?q=%s", esc);
		curl_free(esc);
		if (r->status != 200 || !json_is_array(json_path(r->json, "suggestions")))
			harness_fail_response(r, __FILE__, __LINE__, "suggestions for query %zu (%s): expected 200", k,
					      queries[k]);
		response_free(r);
	}
	/* control characters and tabs separate words like spaces */
	static const char *const separated[] = {"kennis\x01" "borgen", "kennis\tborgen", "kennis\nborgen", "(kennis)",
						"kennis:borgen", "kennis\"borgen"};
	for (size_t k = 0; k < sizeof separated / sizeof *separated; k++) {
		struct response *r = search_ok(v, separated[k], NULL);
		if (position(json_path(r->json, "items"), "Kennis borgen als een collega met pensioen gaat") != 0)
			harness_fail_response(r, __FILE__, __LINE__, "query %zu: \"Kennis borgen…\" is not first", k);
		response_free(r);
	}
	/* 10,000 characters: read up to a limit, never an error */
	const char *longs[] = {repeat("a", 10000), repeat("kennis ", 1500), repeat("ä", 10000), repeat("\"", 10000),
			       repeat("-x ", 3400), repeat("tag:", 2500), repeat("ö", 5000)};
	for (size_t k = 0; k < sizeof longs / sizeof *longs; k++) {
		struct response *r = search(v, longs[k], NULL);
		bool ok = r->status == 200 || r->status == 400 || r->status == 413 || r->status == 414 || r->status == 431;
		if (!ok || (r->status == 200 && !json_is_array(json_path(r->json, "items"))))
			harness_fail_response(r, __FILE__, __LINE__, "long query %zu: expected 200 or a clear 4xx", k);
		response_free(r);
	}
	struct response *r = search_ok(v, repeat("kennis ", 1500), NULL);
	assert_true(position(json_path(r->json, "items"), "Kennis borgen als een collega met pensioen gaat") >= 0);
	response_free(r);
	/* the same word many times, and many words: a limit, no error */
	r = search_ok(v, "kennis kennis kennis kennis kennis kennis kennis kennis kennis kennis kennis kennis kennis kennis", NULL);
	assert_true(jlen(r, "items") > 0);
	response_free(r);

	/* broken UTF-8 anywhere in the request: 400, never 500 */
	static const char *const broken[] = {
		"/api/v1/search?q=%C3%28", "/api/v1/search?q=kennis%FF", "/api/v1/search?q=%C0%AF",
		"/api/v1/search?q=%ED%A0%80", "/api/v1/search?q=%F4%90%80%80", "/api/v1/search?q=kennis%E2%82",
		"/api/v1/search?q=kennis&tag=%C3%28", "/api/v1/search?q=kennis&community=%FF",
		"/api/v1/search?q=kennis&cursor=%C3%28", "/api/v1/search?q=kennis&kind=%80",
		"/search?q=%C3%28", "/api/v1/search/suggest?q=%C3%28",
	};
	for (size_t k = 0; k < sizeof broken / sizeof *broken; k++) {
		r = aget(v, "%s", broken[k]);
		if (strncmp(broken[k], "/api/", 5) == 0)
			assert_error(r, 400, "bad_encoding");
		else
			assert_status(r, 400);
		response_free(r);
	}
	/* filters typed in the box that are not filters: clear 4xx */
	static const struct {
		const char *q;
		long status;
		const char *code;
	} refused[] = {
		{"kind:foo kennis", 400, "bad_filter"}, {"kind:'; DROP TABLE items; -- kennis", 400, "bad_filter"},
		{"tag:!!! kennis", 400, "bad_filter"},
		{"tag:a-tag-name-that-is-far-longer-than-any-tag-may-be kennis", 400, "bad_filter"},
		{"community:nope kennis", 404, "not_found"}, {"community:../admin kennis", 404, "not_found"},
		{"org:' OR 1=1 kennis", 404, "not_found"},
	};
	for (size_t k = 0; k < sizeof refused / sizeof *refused; k++) {
		r = search(v, refused[k].q, NULL);
		assert_error(r, refused[k].status, refused[k].code);
		response_free(r);
	}
	/* the server is well and the data intact */
	r = aget(v, "/healthz");
	assert_status(r, 200);
	response_free(r);
	r = search_ok(v, "kennis", NULL);
	assert_true(jlen(r, "items") >= 2);
	response_free(r);
	r = aget(v, "/api/v1/questions");
	assert_status(r, 200);
	assert_true(jlen(r, "items") > 0);
	response_free(r);
	/* An access log line is "METHOD PATH STATUS BYTES …": a 500 is in the
	 * third field (a body of 500 bytes is no error). */
	char *log = harness_keep(server_log(s));
	for (char *line = log; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		int status = 0;
		if (sscanf(line, "%*[A-Z] /%*s %d", &status) == 1 && status == 500)
			fail_msg("the server answered 500: %.200s", line);
	}
}

/* ---- kring reindex ------------------------------------------------------------------------ */

/* The ids of an answer's items, in order, as text ("12 7 "). */
static const char *item_ids(const struct response *r)
{
	char buf[1024] = "";
	json_t *it;
	size_t i;
	json_array_foreach(json_path(r->json, "items"), i, it) {
		size_t len = strlen(buf);
		snprintf(buf + len, sizeof buf - len, "%lld ", (long long)json_integer_value(json_object_get(it, "id")));
	}
	return harness_strdup(buf);
}

/* The ids of the results, in order, as text. */
static const char *result_ids(struct actor *a, const char *q)
{
	struct response *r = search_ok(a, q, NULL);
	const char *ids = item_ids(r);
	response_free(r);
	return ids;
}

/* A second server on the first one's database, as kring starts again
 * after it was stopped or changed from outside. */
static void start_again(struct server *again, const struct server *s)
{
	assert_int_equal(server_start_on(again, s->db), 0);
	if (server_wait_ready(again) != 0)
		fail_msg("the server did not start again");
}

/* The values of key in the array at path, space-separated, in order. */
static const char *values_of(const struct response *r, const char *path, const char *key)
{
	static char out[512];
	out[0] = '\0';
	for (size_t i = 0; i < jlen(r, path); i++) {
		const char *v = jat_str(r, path, i, key);
		snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s", i ? " " : "", v ? v : "?");
	}
	return out;
}

static void reindex_rebuilds_the_index(void **state)
{
	struct server *s = *state;
	load_corpus(s);
	struct actor *mats = person(s, "mats"), *v = visitor(s);
	/* one item deleted, one edited: the rebuilt index must agree */
	struct response *r = search_ok(v, "leverantören", NULL);
	int64_t id = id_of(json_path(r->json, "items"), "Tio frågor att ställa till leverantören före avtal");
	response_free(r);
	r = item_post(mats, id, "delete", NULL);
	assert_true(r->status == 200 || r->status == 303);
	response_free(r);
	r = search_ok(v, "trafiksäkerhet", NULL);
	id = id_of(json_path(r->json, "items"), "Upphandling av skolskjuts: hur viktar ni pris mot kvalitet?");
	response_free(r);
	r = item_edit(mats, id, json_pack("{s:s, s:s, s:[s]}", "title", "Upphandling av skolskjuts med elbussar",
					  "body", "Krav på laddinfrastruktur?", "tags", "upphandling"));
	assert_status(r, 200);
	response_free(r);

	static const char *const queries[] = {"upphandling", "kennis", "forbattring", "gemeenten", "onboarding",
					      "leverantören", "laddinfrastruktur", "trafiksäkerhet", "audits", "\"citizen dialogue\""};
	enum { NQ = sizeof queries / sizeof *queries };
	const char *before[NQ];
	for (size_t k = 0; k < NQ; k++)
		before[k] = result_ids(v, queries[k]);

	assert_int_equal(server_stop(s, 10), 0);

	/* The index lost, as after restoring the tables by other means than
	 * kring's commands: the search finds nothing until it is rebuilt. */
	run_sql(s, harness_on_postgres() ? "DELETE FROM search_docs; DELETE FROM search_top; DELETE FROM search_orgs"
					 : "DELETE FROM search_terms; DELETE FROM search_words; DELETE FROM search_top;"
					   " DELETE FROM search_orgs; DELETE FROM search_orgs_words");
	struct server again;
	start_again(&again, s);
	struct response *r3 = search_ok(visitor(&again), "upphandling", NULL);
	size_t left = jlen(r3, "items") + jlen(r3, "organisations");
	response_free(r3);
	assert_int_equal(server_stop(&again, 10), 0);
	server_cleanup(&again);
	assert_int_equal(left, 0);

	char *out;
	int rc = kring_command(&out, NULL, NULL, NULL, "reindex --db '%s'", s->db);
	if (rc != 0 || !strstr(out, "indexed 59 items")) /* 53 items and 7 answers, one deleted */
		fail_msg("kring reindex: exit %d, output: %s", rc, out);
	/* again: the same */
	rc = kring_command(&out, NULL, NULL, NULL, "reindex --db '%s'", s->db);
	if (rc != 0 || !strstr(out, "indexed 59 items"))
		fail_msg("kring reindex (again): exit %d, output: %s", rc, out);
	rc = kring_command(&out, NULL, NULL, NULL, "reindex --help");
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "usage: kring reindex"));
	rc = kring_command(&out, NULL, NULL, NULL, "reindex extra --db /nonexistent/x.db");
	assert_int_equal(rc, 2);

	start_again(&again, s);
	struct actor *v2 = visitor(&again);
	bool same = true;
	for (size_t k = 0; k < NQ; k++) {
		const char *now = result_ids(v2, queries[k]);
		if (strcmp(now, before[k]) != 0) {
			fprintf(stderr, "  q=%s: before reindex [%s], after [%s]\n", queries[k], before[k], now);
			same = false;
		}
	}
	struct response *r2 = search_ok(v2, "laddinfrastruktur", NULL);
	size_t found = jlen(r2, "items");
	response_free(r2);
	/* organisations (and people) are rebuilt too */
	r2 = search_ok(v2, "gemeente", NULL);
	const char *orgs = harness_strdup(values_of(r2, "organisations", "slug"));
	response_free(r2);
	int status = server_stop(&again, 10);
	char *log = server_log(&again);
	bool clean = !strstr(log, "ERROR: AddressSanitizer") && !strstr(log, "runtime error:") &&
		     !strstr(log, "ERROR: LeakSanitizer");
	if (!clean)
		server_log_dump(&again, 4000);
	free(log);
	server_cleanup(&again);
	assert_true(same);
	assert_int_equal(found, 1);
	assert_string_equal(orgs, "gemeente-dijkhoven gemeente-veldmeer");
	assert_int_equal(status, 0);
	assert_true(clean);
}

/* A database indexed before the lists of best items per term (search/top.h)
 * existed: the server builds them when it starts, and one-word queries
 * find what they found with the lists built live. */
static void lists_are_built_at_start(void **state)
{
	struct server *s = *state;
	load_corpus(s);
	static const char *const queries[] = {"upphandling", "onboarding", "gemeenten", "kennis", "workshop", "fika"};
	enum { NQ = sizeof queries / sizeof *queries };
	const char *before[NQ];
	for (size_t k = 0; k < NQ; k++)
		before[k] = result_ids(visitor(s), queries[k]);
	assert_int_equal(server_stop(s, 10), 0);

	run_sql(s, "DELETE FROM search_top; UPDATE search_top_average SET items = -1, terms = 0");
	struct server again;
	start_again(&again, s);
	bool same = true;
	for (size_t k = 0; k < NQ; k++) {
		const char *now = result_ids(visitor(&again), queries[k]);
		if (strcmp(now, before[k]) != 0) {
			fprintf(stderr, "  q=%s: lists built live [%s], at start [%s]\n", queries[k], before[k], now);
			same = false;
		}
		assert_true(strlen(now) > 0);
	}
	assert_int_equal(server_stop(&again, 10), 0);
	char *log = server_log(&again);
	bool rebuilt = strstr(log, "rebuilding the search index") != NULL;
	free(log);
	server_cleanup(&again);
	assert_true(rebuilt);
	assert_true(same);
}

/* The ids of the items a tag's page lists, space-separated, in order. */
static const char *tag_item_ids(struct actor *a, const char *path)
{
	struct response *r = http_get(a->c, path, NULL);
	assert_status(r, 200);
	const char *ids = item_ids(r);
	response_free(r);
	return ids;
}

/* Tags stored before the fold lower-cased every script ("Łódź", "Αθήνα")
 * are renamed at the next start, one that meets a tag of the new spelling
 * merging into it, and the rebuilt index finds them by the new name. */
static void stored_tags_take_the_new_fold(void **state)
{
	struct server *s = *state;
	load_corpus(s);
	struct actor *mats = person(s, "mats");
	int64_t both = new_item(mats, "question", "kommunnatverket",
				json_pack("{s:s, s:s, s:s, s:[s]}", "kind", "question", "title", "Spotkanie w Łodzi", "body",
					  "Kto przyjdzie?", "tags", "ŁÓDŹ"));
	int64_t old = new_item(mats, "question", "kommunnatverket",
			       json_pack("{s:s, s:s, s:s}", "kind", "question", "title", "Kolej w Polsce", "body", "Pociągi."));
	int64_t greek = new_item(mats, "question", "kommunnatverket",
				 json_pack("{s:s, s:s, s:s}", "kind", "question", "title", "Συνάντηση", "body", "Ποιος έρχεται;"));
	assert_int_equal(server_stop(s, 10), 0);

	char sql[1024];
	snprintf(sql, sizeof sql,
		 "INSERT INTO tags (name) VALUES ('Łódź'); INSERT INTO tags (name) VALUES ('Αθήνα');"
		 " INSERT INTO item_tags (item_id, tag_id) SELECT %lld, id FROM tags WHERE name = 'Łódź';"
		 " INSERT INTO item_tags (item_id, tag_id) SELECT %lld, id FROM tags WHERE name = 'Łódź';"
		 " INSERT INTO item_tags (item_id, tag_id) SELECT %lld, id FROM tags WHERE name = 'Αθήνα';"
		 " UPDATE search_top_average SET items = -1",
		 (long long)both, (long long)old, (long long)greek);
	run_sql(s, sql);
	struct server again;
	start_again(&again, s);
	struct actor *v = visitor(&again);
	/* /tags/łódź, /tags/ŁÓDŹ and /tags/Łódź (the old links) alike */
	const char *lodz = tag_item_ids(v, "/api/v1/tags/%C5%82%C3%B3d%C5%BA");
	const char *lodz_caps = tag_item_ids(v, "/api/v1/tags/%C5%81%C3%93D%C5%B9");
	const char *lodz_old = tag_item_ids(v, "/api/v1/tags/%C5%81%C3%B3d%C5%BA");
	const char *athens = tag_item_ids(v, "/api/v1/tags/%CE%91%CE%B8%CE%AE%CE%BD%CE%B1"); /* Αθήνα */
	const char *searched = result_ids(v, "συνάντηση tag:αθήνα");
	assert_int_equal(server_stop(&again, 10), 0);
	char *log = server_log(&again);
	bool renamed = strstr(log, "2 tags renamed") != NULL;
	free(log);
	server_cleanup(&again);
	char want[64];
	snprintf(want, sizeof want, "%lld %lld ", (long long)old, (long long)both);
	assert_true(renamed);
	assert_string_equal(lodz, want);
	assert_string_equal(lodz_caps, want);
	assert_string_equal(lodz_old, want);
	snprintf(want, sizeof want, "%lld ", (long long)greek);
	assert_string_equal(athens, want);
	assert_string_equal(searched, want);
}

/* A word in more posts than are ranked (500): the facets count the best
 * 500 and the page says so; the pages go on to the 500th; a filter lists
 * the best of what it chooses, also beyond the best 500 of all. */
static void counts_say_when_they_are_of_the_best(void **state)
{
	struct server *s = *state;
	load_corpus(s);
	FILE *f = import_file_open(s, "many.jsonl");
	fputs("{\"type\": \"person\", \"handle\": \"planerare\", \"name\": \"Pia Planerare\","
	      " \"email\": \"pia@example.se\", \"languages\": [\"sv\"], \"role\": \"member\"}\n"
	      "{\"type\": \"community\", \"slug\": \"bemanning\", \"name\": \"Bemanning\", \"visibility\": \"public\","
	      " \"join_policy\": \"open\", \"language\": \"sv\", \"description\": \"Om bemanning.\","
	      " \"hosts\": [\"planerare\"], \"members\": []}\n"
	      "{\"type\": \"community\", \"slug\": \"lager\", \"name\": \"Lager\", \"visibility\": \"public\","
	      " \"join_policy\": \"open\", \"language\": \"sv\", \"description\": \"Om lager.\","
	      " \"hosts\": [\"planerare\"], \"members\": []}\n", f);
	/* In another community, 12 posts where the word is one of many: none
	 * is among the best 500, and a filter on their community finds them. */
	for (int i = 1; i <= 12; i++)
		fprintf(f, "{\"type\": \"item\", \"ref\": \"l%d\", \"kind\": \"update\", \"community\": \"lager\","
			   " \"author\": \"planerare\", \"language\": \"sv\", \"days_ago\": 400, \"body\": \"Inventering av"
			   " pallar, hyllor, truckar, kartonger, etiketter, skannrar, portar, ramper och lastkajer; kapacitet"
			   " nummer %d kommer sist i en lång rad ord om lagret.\"}\n", i, i);
	for (int i = 1; i <= 520; i++)
		fprintf(f, "{\"type\": \"item\", \"ref\": \"m%d\", \"kind\": \"%s\", \"community\": \"bemanning\","
			   " \"author\": \"planerare\", \"language\": \"sv\", \"days_ago\": %d, \"title\": \"Veckans kapacitet %d\","
			   " \"body\": \"Kapacitet och bemanning vecka %d.\"}\n", i, i % 2 ? "update" : "question", i % 300, i, i);
	import_file_load(s, f, "many.jsonl");

	struct actor *v = visitor(s);
	struct response *r = search_ok(v, "kapacitet", NULL);
	assert_int_equal(json_integer_value(json_path(r->json, "counted_best")), 500);
	assert_int_equal(facet_count(r, "kind", "update") + facet_count(r, "kind", "question"), 500);
	struct response *page = http_get(v->c, "/search?q=kapacitet", NULL);
	assert_status(page, 200);
	assert_non_null(strstr(page->body, "Counted among the best 500 matches."));
	response_free(page);
	/* 25 pages of 20, and no 26th */
	int pages = 1;
	size_t listed = jlen(r, "items");
	const char *next = jstr(r->json, "next");
	while (next && *next && pages < 30) {
		char *esc = curl_easy_escape(NULL, next, 0), more[256];
		snprintf(more, sizeof more, "cursor=%s", esc);
		curl_free(esc);
		struct response *n = search_ok(v, "kapacitet", more);
		response_free(r);
		r = n;
		listed += jlen(r, "items");
		next = jstr(r->json, "next");
		pages++;
	}
	assert_int_equal(pages, 25);
	assert_int_equal(listed, 500);
	response_free(r);

	r = search_ok(v, "kapacitet", "community=lager");
	assert_int_equal(jlen(r, "items"), 12);
	assert_true(json_is_null(json_path(r->json, "next")));
	response_free(r);
	r = search_ok(v, "kapacitet community:lager", NULL);
	assert_int_equal(jlen(r, "items"), 12);
	response_free(r);
	r = search_ok(v, "kapacitet", "community=lager&kind=question");
	assert_int_equal(jlen(r, "items"), 0);
	response_free(r);

	r = search_ok(v, "upphandling", NULL);
	assert_true(jlen(r, "items") > 0);
	assert_null(json_path(r->json, "counted_best"));
	response_free(r);
}

/* An index that cannot be read (its terms and words gone) answers 500 for
 * the search and its suggestions, not an empty list. */
static void unreadable_index_answers_500(void **state)
{
	struct server *s = *state;
	load_corpus(s);
	struct response *r = search_ok(visitor(s), "upphandling", NULL);
	assert_true(jlen(r, "items") > 0);
	response_free(r);
	assert_int_equal(server_stop(s, 10), 0);
	run_sql(s, harness_on_postgres() ? "ALTER TABLE search_docs DROP COLUMN words, DROP COLUMN terms"
					 : "DROP TABLE search_words; DROP TABLE search_terms");
	struct server again;
	start_again(&again, s);
	struct actor *v = visitor(&again);
	r = search(v, "upphandling", NULL);
	assert_error(r, 500, "internal");
	response_free(r);
	r = http_get(v->c, "/search?q=upphandling", NULL);
	assert_status(r, 500);
	response_free(r);
	r = http_get(v->c, "/api/v1/search/suggest?q=upph", NULL);
	assert_error(r, 500, "internal");
	response_free(r);
	assert_int_equal(server_stop(&again, 10), 0);
	server_cleanup(&again);
}

#define T(f) cmocka_unit_test_setup_teardown(f, server_setup, teardown_releasing)

/* ---- people and organisations ------------------------------------------------------------ */

/* A search's people (handles) and organisations (slugs) are exactly these. */
static void assert_profiles(struct actor *a, const char *q, const char *people, const char *orgs)
{
	struct response *r = search_ok(a, q, NULL);
	if (people && strcmp(values_of(r, "people", "handle"), people) != 0)
		harness_fail_response(r, __FILE__, __LINE__, "\"%s\": people \"%s\", expected \"%s\"", q,
				      values_of(r, "people", "handle"), people);
	if (orgs && strcmp(values_of(r, "organisations", "slug"), orgs) != 0)
		harness_fail_response(r, __FILE__, __LINE__, "\"%s\": organisations \"%s\", expected \"%s\"", q,
				      values_of(r, "organisations", "slug"), orgs);
	response_free(r);
}

static void people_and_organisations_are_found(void **state)
{
	struct server *s = *state;
	load_corpus(s);
	struct actor *v = visitor(s), *mats = person(s, "mats"), *oliver = person(s, "oliver");

	/* a first name, of a member added from the command line too */
	assert_int_equal(kring_user_add(s, "erik", "erik@example.se", "Erik Dahl", NULL, TEST_PASSWORD), 0);
	beside_the_server();
	assert_profiles(v, "Erik", "erik", "");
	assert_profiles(v, "dahl", "erik", "");
	/* any case, without diacritics; a handle */
	assert_profiles(v, "OBERG", "mats", "");
	assert_profiles(v, "priya", "priya", "");
	/* an organisation's name, and its members through it */
	assert_profiles(v, "gemeente", "joost sanne", "gemeente-dijkhoven gemeente-veldmeer");
	assert_profiles(v, "Gemeente Veldmeer", "joost", "gemeente-veldmeer");
	/* a part of a compound in a description; expertise in another inflection */
	assert_profiles(v, "förbättring", "", "norrvik-kommun");
	assert_profiles(v, "upphandlingen", "mats", NULL);

	/* a profile saved is found at once, by a part of a compound too */
	struct response *r = apost(mats, "/api/v1/settings/profile",
				   json_pack("{s:s}", "ask_me_about", "Förbättringsarbete och ramavtal"));
	assert_status(r, 200);
	response_free(r);
	assert_profiles(v, "förbättring", "mats", "norrvik-kommun");
	/* a new name replaces the old one */
	r = apost(mats, "/api/v1/settings/profile", json_pack("{s:s}", "name", "Mats Ekström"));
	assert_status(r, 200);
	response_free(r);
	assert_profiles(v, "ekstrom", "mats", "");
	assert_profiles(v, "Öberg", "", "");

	/* a match in the name comes before one elsewhere in the profile */
	r = apost(oliver, "/api/v1/settings/profile", json_pack("{s:s}", "ask_me_about", "Onboarding with Karin"));
	assert_status(r, 200);
	response_free(r);
	assert_profiles(v, "karin", "karin oliver", "");

	/* an organisation renamed is found, with its members, by its new name */
	struct actor *admin = staff(s, "root", "--admin");
	r = apost(admin, "/api/v1/orgs/tulpdata/edit", json_pack("{s:s}", "name", "Tulpenburg Data"));
	assert_status(r, 200);
	response_free(r);
	assert_profiles(v, "tulpenburg", "fleur", "tulpdata");

	/* the page: a section of each, and the directory for all the people */
	r = aget(v, "/search?q=gemeente");
	assert_status(r, 200);
	assert_body_contains(r, "href=\"/orgs/gemeente-dijkhoven\"");
	assert_body_contains(r, "href=\"/people/sanne\"");
	assert_body_contains(r, "Wij delen graag");
	response_free(r);
	r = search_ok(v, "gemeente", NULL);
	assert_string_equal(json_string_value(json_path(r->json, "people_url")), "/people?q=gemeente");
	response_free(r);
}

/* Search shows the people the directory shows: members who are not
 * excluded (a suspended member stays), to visitors as to members, among
 * the people found and among who knows about a topic. */
static void people_found_are_those_the_directory_shows(void **state)
{
	struct server *s = *state;
	load_corpus(s);
	struct actor *v = visitor(s), *oliver = person(s, "oliver");
	assert_profiles(v, "karin", "karin", NULL);
	assert_profiles(oliver, "karin", "karin", NULL);
	struct response *r = search_ok(v, "onboarding", NULL);
	assert_non_null(strstr(values_of(r, "experts", "handle"), "karin"));
	response_free(r);
	run_sql(s, "UPDATE users SET status = 'suspended' WHERE handle = 'karin'");
	assert_profiles(v, "karin", "karin", NULL);
	run_sql(s, "UPDATE users SET status = 'excluded' WHERE handle = 'karin'");
	assert_profiles(v, "karin", "", NULL);
	assert_profiles(oliver, "karin", "", NULL);
	r = aget(v, "/api/v1/people?q=karin");
	assert_status(r, 200);
	assert_int_equal(jlen(r, "items"), 0);
	response_free(r);
	/* nor among who knows about a topic, whose profiles are not shown */
	r = search_ok(v, "onboarding", NULL);
	assert_null(strstr(values_of(r, "experts", "handle"), "karin"));
	response_free(r);
}

/* A member changed in the database by other means than kring's forms and
 * commands (a script, a repair): the next search finds them as they are
 * now, not as they were indexed. */
static void people_changed_elsewhere_are_found(void **state)
{
	struct server *s = *state;
	load_corpus(s);
	struct actor *v = visitor(s);
	assert_profiles(v, "karin", "karin", NULL);
	run_sql(s, "UPDATE users SET name = 'Karin Zetterlund', title = 'Kvalitetssamordnare' WHERE handle = 'karin'");
	assert_profiles(v, "zetterlund", "karin", NULL);
	assert_profiles(v, "kvalitetssamordnare", "karin", NULL);
	assert_profiles(v, "sjoberg", "", NULL);
	struct response *r = aget(v, "/api/v1/people?q=zetterlund");
	assert_status(r, 200);
	assert_string_equal(jat_str(r, "items", 0, "handle"), "karin");
	response_free(r);
}

/* A database from before people and organisations were searched: the
 * server indexes them when it starts. */
static void people_are_indexed_at_start(void **state)
{
	struct server *s = *state;
	load_corpus(s);
	assert_int_equal(server_stop(s, 10), 0);
	run_sql(s, harness_on_postgres() ? "DELETE FROM search_people; DELETE FROM search_orgs"
					 : "DELETE FROM search_people; DELETE FROM search_people_words;"
					   " DELETE FROM search_orgs; DELETE FROM search_orgs_words");
	struct server again;
	start_again(&again, s);
	struct actor *v = visitor(&again);
	assert_profiles(v, "gemeente", "joost sanne", "gemeente-dijkhoven gemeente-veldmeer");
	assert_profiles(v, "karin", "karin", "");
	assert_int_equal(server_stop(&again, 10), 0);
	char *log = server_log(&again);
	bool indexed = strstr(log, "indexing people and organisations for search") != NULL;
	free(log);
	server_cleanup(&again);
	assert_true(indexed);
}

/* ---- how terms are held ---------------------------------------------------------------- */

/* The terms the index holds for an item (or a member, people), each once,
 * one a line, in byte order: what PostgreSQL's tsvector holds, or what
 * SQLite's FTS5 table has tokenised. */
static const char *held_terms(const struct server *s, bool people, int64_t id)
{
	char sql[512];
	if (harness_on_postgres())
		snprintf(sql, sizeof sql, "SELECT t FROM %s, unnest(tsvector_to_array(terms)) t WHERE %s = %lld"
					  " ORDER BY convert_to(t, 'UTF8')",
			 people ? "search_people" : "search_docs", people ? "user_id" : "item_id", (long long)id);
	else
		snprintf(sql, sizeof sql, "CREATE VIRTUAL TABLE temp.held USING fts5vocab(main, %s, instance);"
					  " SELECT DISTINCT term FROM temp.held WHERE doc = %lld ORDER BY term",
			 people ? "search_people" : "search_terms", (long long)id);
	return sql_rows(s, sql);
}

/* Javanese (ꦲꦏ꧀ꦱꦫ holds the pangkon, a spacing mark) and Cherokee (whose
 * case fold is its capitals) are indexed as kring analyses them, on a
 * database whose text search would split the one and lower-case the
 * other: the index holds the same terms on both backends, finds them and
 * ranks by them alike. */
static void terms_are_held_as_analysed(void **state)
{
	struct server *s = *state;
	load_corpus(s);
	struct actor *mats = person(s, "mats"), *helena = person(s, "helena"), *v = visitor(s);
	/* ꦗꦮ in many items, ꦲꦏ꧀ꦱꦫ in two: the item with the rarer word in
	 * its title ranks first for both */
	int64_t common_in_title = new_item(mats, "question", "kommunnatverket",
					   json_pack("{s:s, s:s, s:s}", "kind", "question", "title", "ꦗꦮ ᏣᎳᎩ",
						     "body", "ꦲꦏ꧀ꦱꦫ"));
	int64_t rare_in_title = new_item(helena, "question", "kommunnatverket",
					 json_pack("{s:s, s:s, s:s}", "kind", "question", "title", "ꦲꦏ꧀ꦱꦫ",
						   "body", "ꦗꦮ"));
	for (int i = 0; i < 2; i++)
		new_item(i ? helena : mats, "question", "kommunnatverket",
			 json_pack("{s:s, s:s, s:s}", "kind", "question", "title", i ? "Basa" : "Aksara", "body", "ꦗꦮ"));
	assert_string_equal(held_terms(s, false, common_in_title), "ᏣᎳᎩ\nꦗꦮ\nꦲꦏ꧀ꦱꦫ\n");
	assert_string_equal(held_terms(s, false, rare_in_title), "ꦗꦮ\nꦲꦏ꧀ꦱꦫ\n");
	/* the Cherokee found in either case */
	assert_found(v, "ꦗꦮ ᏣᎳᎩ", (const char *const[]){"ᏣᎳᎩ", "ꮳꮃꭹ", NULL});
	char want[64];
	snprintf(want, sizeof want, "%lld %lld ", (long long)rare_in_title, (long long)common_in_title);
	assert_string_equal(result_ids(v, "ꦲꦏ꧀ꦱꦫ ꦗꦮ"), want);
	assert_string_equal(result_ids(v, "ꦲꦏ꧀ꦱꦫ"), want);

	/* a profile alike */
	struct response *r = apost(mats, "/api/v1/settings/profile", json_pack("{s:s}", "ask_me_about", "ꦲꦏ꧀ꦱꦫ ᏣᎳᎩ"));
	assert_status(r, 200);
	response_free(r);
	assert_profiles(v, "ꦲꦏ꧀ꦱꦫ", "mats", "");
	char terms[4096];
	snprintf(terms, sizeof terms, "\n%s", held_terms(s, true, atoll(sql_rows(s, "SELECT id FROM users WHERE handle = 'mats'"))));
	if (!strstr(terms, "\nꦲꦏ꧀ꦱꦫ\n") || !strstr(terms, "\nᏣᎳᎩ\n"))
		fail_msg("the profile's terms are%s", terms);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(relevance_table),
		T(facets_count_what_the_viewer_finds),
		T(filters_in_the_address),
		T(keyset_pages),
		cmocka_unit_test_setup_teardown(pages_hold_when_time_passes, NULL, teardown_releasing),
		T(snippets_are_escaped_and_marked),
		T(private_items_stay_private),
		T(index_follows_edits_and_deletions),
		T(other_scripts_are_found),
		T(hostile_queries),
		T(reindex_rebuilds_the_index),
		T(lists_are_built_at_start),
		T(stored_tags_take_the_new_fold),
		T(counts_say_when_they_are_of_the_best),
		T(unreadable_index_answers_500),
		T(people_and_organisations_are_found),
		T(people_found_are_those_the_directory_shows),
		T(people_changed_elsewhere_are_found),
		T(people_are_indexed_at_start),
		cmocka_unit_test_setup_teardown(terms_are_held_as_analysed, unicode_server_setup, teardown_releasing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
