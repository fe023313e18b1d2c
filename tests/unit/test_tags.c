/* Unit tests of tag normalisation and the text helpers behind item URLs and
 * excerpts. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/arena.h"
#include "core/text.h"
#include "features/tags.h"

static void check_tag(const char *in, const char *want)
{
	char out[4 * TAG_MAX_CHARS + 8];
	bool ok = tag_normalise(in, out, sizeof(out));
	if (!want) {
		assert_false(ok);
		return;
	}
	if (!ok)
		fail_msg("\"%s\" is not a tag", in);
	assert_string_equal(out, want);
}

static void normalise(void **state)
{
	(void)state;
	check_tag("Fika With A Topic", "fika-with-a-topic");
	check_tag("  fika_with--a   topic ", "fika-with-a-topic");
	check_tag("Möten", "möten");
	check_tag("ÅÄÖ-ÉÜ", "åäö-éü");
	check_tag("C++ & C#", "c-c");
	check_tag("kennis\xC2\xA0" "deling", "kennis-deling");       /* no-break space */
	check_tag("kennis\xE2\x80\x8B" "deling", "kennisdeling");     /* zero-width space */
	check_tag("\xEF\xBB\xBF" "tag", "tag");                       /* byte-order mark */
	check_tag("«citat»", "citat");
	/* bidirectional controls are dropped, whatever the block */
	check_tag("ai\xD8\x9C" "ml", "aiml");                        /* U+061C */
	check_tag("\xE2\x80\xAE" "fika\xE2\x81\xA9", "fika");        /* U+202E, U+2069 */
	check_tag("\xE2\x80\x8F", NULL);                              /* U+200F alone */
	check_tag("\xD8\xA8" "\xD8\x9C", "\xD8\xA8");                 /* Arabic letter kept */
	check_tag("!!!", NULL);
	check_tag("", NULL);
	check_tag("abcdefghijklmnopqrstuvwxyzabcdefg", NULL);          /* 33 characters */
	check_tag("abcdefghijklmnopqrstuvwxyzabcdef", "abcdefghijklmnopqrstuvwxyzabcdef");
	/* Letters of every script are letters, lower-cased with their
	 * diacritics (a tag is shown as it is kept). */
	check_tag("Ελληνικά", "ελληνικά");
	check_tag("ΑΘΗΝΑΣ", "αθηνας");                               /* final sigma */
	check_tag("Московский Университет", "московский-университет");
	check_tag("ŁÓDŹ", "łódź");
	check_tag("Știință", "știință");
	check_tag("İzmir", "izmir");
	check_tag("日本語", "日本語");
	check_tag("A\xCC\x8A" "sa", "åsa");                            /* decomposed å composed */
	check_tag("data—analys", "data-analys");                     /* an em dash parts words */
	check_tag("€ 100", "100");                                   /* a symbol is dropped */
	check_tag("\xF0\x9F\x8E\x89", NULL);                           /* an emoji alone */
	check_tag("ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩαβγδεζηθ", "αβγδεζηθικλμνξοπρστυφχψωαβγδεζηθ"); /* 32 */
	check_tag("αβγδεζηθικλμνξοπρστυφχψωαβγδεζηθι", NULL);                             /* 33 */
}

static void parse_lists(void **state)
{
	(void)state;
	struct arena a = {0};
	const char **tags = NULL, *problem = NULL;
	assert_int_equal(tags_parse(&a, "Fika, fika ,Möten,, ", &tags, &problem), 2);
	assert_string_equal(tags[0], "fika");
	assert_string_equal(tags[1], "möten");
	assert_int_equal(tags_parse(&a, "a1,a2,a3,a4,a5,a6", &tags, &problem), -1);
	assert_non_null(problem);
	assert_int_equal(tags_parse(&a, "ok,!!!", &tags, &problem), -1);
	assert_int_equal(tags_parse(&a, NULL, &tags, &problem), 0);
	arena_reset(&a);
}

static void slugs(void **state)
{
	(void)state;
	char out[64];
	text_slug("Hur ordnar man en fika med tema?", out, sizeof(out));
	assert_string_equal(out, "hur-ordnar-man-en-fika-med-tema");
	text_slug("Åtgärder för ökad återvinning", out, sizeof(out));
	assert_string_equal(out, "atgarder-for-okad-atervinning");
	text_slug("Straße & Æble", out, sizeof(out));
	assert_string_equal(out, "strasse-aeble");
	text_slug("Łódź, ştiinţă și İstanbul: Øresund", out, sizeof(out));
	assert_string_equal(out, "lodz-stiinta-si-istanbul-oresund");
	/* Letters without an ASCII spelling leave no trace; a title of them
	 * alone gives no slug (the item's address is its id alone). */
	text_slug("Москва 2024", out, sizeof(out));
	assert_string_equal(out, "2024");
	text_slug("Ελληνικά", out, sizeof(out));
	assert_string_equal(out, "");
	text_slug("Café Ελληνικά naïve", out, sizeof(out));
	assert_string_equal(out, "cafe-naive");
	text_slug("???", out, sizeof(out));
	assert_string_equal(out, "");
	/* cut at a whole word */
	char small[12];
	text_slug("one two three four", small, sizeof(small));
	assert_string_equal(small, "one-two");
	/* a truncated UTF-8 sequence at the end is skipped, not overrun */
	text_slug("abc\xE2\x80", out, sizeof(out));
	assert_string_equal(out, "abc");
	text_slug("\xF0", out, sizeof(out));
	assert_string_equal(out, "");
}

static void excerpts(void **state)
{
	(void)state;
	char out[64];
	text_excerpt("short text", 40, out, sizeof(out));
	assert_string_equal(out, "short text");
	text_excerpt("  lines\n\nand   spaces  ", 40, out, sizeof(out));
	assert_string_equal(out, "lines and spaces");
	/* cut after the last whole word, when it ends near the cut */
	text_excerpt("exactly ten ", 10, out, sizeof(out));
	assert_string_equal(out, "exactly\xE2\x80\xA6");
	text_excerpt("exactly ten words", 11, out, sizeof(out));
	assert_string_equal(out, "exactly ten\xE2\x80\xA6");
	/* a long last word is cut inside */
	text_excerpt("a verylongwordindeed", 12, out, sizeof(out));
	assert_string_equal(out, "a verylongwo\xE2\x80\xA6");
	/* no separator, comma or colon left before the mark */
	text_excerpt("give a talk \xC2\xB7 Suggest a topic", 14, out, sizeof(out));
	assert_string_equal(out, "give a talk\xE2\x80\xA6");
	text_excerpt("chairs, tables: more", 15, out, sizeof(out));
	assert_string_equal(out, "chairs, tables\xE2\x80\xA6");
	/* trailing white space is no reason for "…" */
	text_excerpt("1234567890     ", 10, out, sizeof(out));
	assert_string_equal(out, "1234567890");
	/* never cut inside a character */
	text_excerpt("ååååå", 5, out, sizeof(out));
	assert_true(utf8_valid(out, strlen(out)));
	assert_string_equal(out, "åå\xE2\x80\xA6");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(normalise),
		cmocka_unit_test(parse_lists),
		cmocka_unit_test(slugs),
		cmocka_unit_test(excerpts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
