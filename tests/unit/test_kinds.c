/* Unit tests of the table of item kinds (src/kinds.c, features/item_kind.h):
 * every row is whole, so that a new kind cannot be half added. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "db/db.h"
#include "db/migrate.h"
#include "features/item_kind.h"
#include "http/router.h"
#include "i18n/i18n.h"
#include "support.h"

static size_t kind_count(void)
{
	size_t n = 0;
	while (item_kinds[n])
		n++;
	return n;
}

static void test_names_are_unique_and_found(void **state)
{
	(void)state;
	size_t n = kind_count();
	assert_true(n >= 5);
	for (size_t i = 0; i < n; i++) {
		assert_ptr_equal(item_kind_find(item_kinds[i]->name), item_kinds[i]);
		for (size_t j = i + 1; j < n; j++)
			assert_string_not_equal(item_kinds[i]->name, item_kinds[j]->name);
	}
	assert_null(item_kind_find("no-such-kind"));
	assert_null(item_kind_find(NULL));
}

/* What the core reads of every kind is there, and every text a member sees
 * is in the three catalogs. */
static void test_rows_are_whole_and_translated(void **state)
{
	(void)state;
	for (const struct item_kind *const *k = item_kinds; *k; k++) {
		const struct item_kind *kind = *k;
		const char *texts[] = {kind->label, kind->compose_title, kind->submit_label, kind->body_label,
				       kind->body_too_long, kind->body_missing, kind->title_missing, kind->title_label};
		for (size_t t = 0; t < sizeof(texts) / sizeof(texts[0]); t++) {
			/* the first five are required; the rest are optional */
			if (t < 5)
				assert_non_null(texts[t]);
			for (int l = 0; texts[t] && l < LOCALE_COUNT; l++)
				if (!i18n_has(l, texts[t]))
					fail_msg("kind %s: \"%s\" is not in the %s catalog", kind->name, texts[t],
						 i18n_locale_code(l));
		}
		assert_non_null(kind->body_field);
		assert_true(kind->body_max > 0);
		assert_true(kind->places != 0);
		for (const struct item_field *f = kind->history_fields; f && f->key; f++)
			for (int l = 0; l < LOCALE_COUNT; l++)
				if (!i18n_has(l, f->label))
					fail_msg("kind %s: label \"%s\" is not in the %s catalog", kind->name, f->label,
						 i18n_locale_code(l));
	}
}

/* A kind with fields of its own has every hook that reads, stores and
 * shows them; one without has none, and the plain form. */
static void test_own_fields_come_with_their_hooks(void **state)
{
	(void)state;
	for (const struct item_kind *const *k = item_kinds; *k; k++) {
		const struct item_kind *kind = *k;
		bool own = kind->own_fields != NULL;
		bool hooks[] = {kind->input_size > 0, kind->read, kind->store, kind->history, kind->from_history,
				kind->import, kind->fill, kind->form_values, kind->history_fields};
		for (size_t h = 0; h < sizeof(hooks) / sizeof(hooks[0]); h++)
			if (hooks[h] != own)
				fail_msg("kind %s: hook %zu is %s but it has %s fields of its own", kind->name, h,
					 hooks[h] ? "set" : "missing", own ? "" : "no");
		/* The body travels in a field the kind's routes accept. */
		if (strcmp(kind->body_field, "body") != 0)
			assert_int_equal(router_field_kind(kind->own_fields, kind->body_field), FIELD_TEXT);
	}
}

/* The composer and edit routes take every kind's own fields, and so does
 * the best practice drafted from an event (its composer). */
static void test_kind_fields_reach_the_routes(void **state)
{
	(void)state;
	const char *fields = item_kind_fields();
	assert_int_equal(router_field_kind(fields, "situation"), FIELD_TEXT);
	assert_int_equal(router_field_kind(fields, "contacts"), FIELD_LIST);
	assert_int_equal(router_field_kind(fields, "duration"), FIELD_INT);
	int flagged = 0;
	for (size_t i = 0; i < routes_count; i++)
		flagged += (routes[i].flags & ROUTE_KIND_FIELDS) != 0;
	assert_int_equal(flagged, 3);
}

/* The items table takes every kind of the table: a kind whose name its
 * check does not allow needs a migration that widens it. */
static void test_the_schema_takes_every_kind(void **state)
{
	assert_true(migrate_apply(DB, false) >= 0);
	assert_true(db_exec(DB, "INSERT INTO users (handle, name, email, password_hash, created_at)"
				" VALUES ('k', 'K', 'k@example.org', 'x', 0)", DB_NOARGS) == 1);
	for (const struct item_kind *const *k = item_kinds; *k; k++)
		if (db_exec(DB, "INSERT INTO items (kind, author_id, title, body, language, created_at, activity_at)"
				" VALUES (?, 1, '', '', 'en', 0, 0)", DB_ARGS(db_text((*k)->name))) != 1)
			fail_msg("the items table does not take kind %s: widen its check in a migration", (*k)->name);
}

int main(void)
{
	if (!i18n_load())
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_are_unique_and_found),
		cmocka_unit_test(test_rows_are_whole_and_translated),
		cmocka_unit_test(test_own_fields_come_with_their_hooks),
		cmocka_unit_test(test_kind_fields_reach_the_routes),
		cmocka_unit_test_setup_teardown(test_the_schema_takes_every_kind, db_fixture_setup, db_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
