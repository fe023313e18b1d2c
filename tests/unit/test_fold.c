/* Unit tests of core/fold: what a word is, the lower case and the fold of
 * words in the scripts and languages members write. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/fold.h"

/* The fold (or the lower case) of s, compared with want. */
static void check(const char *s, const char *want, bool folded)
{
	char out[256];
	size_t n = folded ? fold_word(s, strlen(s), out, sizeof(out) - 1) : fold_lower(s, strlen(s), out, sizeof(out) - 1);
	out[n] = '\0';
	if (strcmp(out, want) != 0)
		fail_msg("\"%s\" gives \"%s\", not \"%s\"", s, out, want);
}

#define FOLD(s, want) check(s, want, true)
#define LOWER(s, want) check(s, want, false)

static void test_latin(void **state)
{
	(void)state;
	FOLD("Fråga", "fraga");                /* Swedish */
	FOLD("ÅÄÖ", "aao");
	FOLD("Łódź", "lodz");                  /* Polish, ł has no decomposition */
	FOLD("ŻÓŁW", "zolw");
	FOLD("știință", "stiinta");            /* Romanian, comma below */
	FOLD("ştiinţă", "stiinta");            /* the cedilla forms */
	FOLD("ȘȚ", "st");
	FOLD("Straße", "strasse");             /* German */
	FOLD("STRASSE", "strasse");
	FOLD("ĳsselmeer", "ijsselmeer");       /* Dutch ij ligature */
	FOLD("ĲSSELMEER", "ijsselmeer");
	FOLD("Øresund", "oresund");            /* Danish and Norwegian */
	FOLD("Æblegrød", "aeblegrod");
	FOLD("Þingvellir", "thingvellir");     /* Icelandic */
	FOLD("Đakovo", "dakovo");              /* Croatian */
	FOLD("ŒUVRE", "oeuvre");
	FOLD("naïve café", "naivecafe");       /* not a word character: dropped */
	FOLD("A\xCC\x8A" "sa", "asa");         /* a decomposed å */
	FOLD("ﬁnal", "final");                /* a compatibility ligature */
	/* The lower case composes what came decomposed, and lowers what came
	 * composed as it is. */
	LOWER("ÅNGSTRÖM", "ångström");
	LOWER("A\xCC\x8A" "ngstro\xCC\x88" "m", "ångström");
	LOWER("Łódź-Żółw", "łódźżółw");         /* only the word characters */
}

static void test_turkish(void **state)
{
	(void)state;
	FOLD("İstanbul", "istanbul");          /* dotted capital I */
	FOLD("ısparta", "isparta");            /* dotless small i */
	FOLD("ISPARTA", "isparta");
	FOLD("IĞDIR", "igdir");
	FOLD("Iğdır", "igdir");
	LOWER("İzmir", "izmir");
	LOWER("ılık", "ılık");                 /* the lower case keeps the dotless i */
}

static void test_greek_and_cyrillic(void **state)
{
	(void)state;
	FOLD("Ελληνικά", "ελληνικα");
	FOLD("ΕΛΛΗΝΙΚΆ", "ελληνικα");
	FOLD("Αθήνας", "αθηνασ");              /* the final sigma folds with σ */
	FOLD("ΑΘΗΝΑΣ", "αθηνασ");
	FOLD("Ἀθῆναι", "αθηναι");              /* polytonic */
	FOLD("Москва", "москва");
	FOLD("МОСКВА", "москва");
	FOLD("Ёлка", "елка");
	FOLD("Україна", "украіна");        /* ї is і with a diaeresis */
	FOLD("пʼять", "пять");
	LOWER("ΑΘΗΝΑΣ", "αθηνας");             /* a capital sigma at the end is ς */
	LOWER("ΣΟΦΙΑ", "σοφια");
	LOWER("Ελληνικά", "ελληνικά");
	LOWER("МОСКВА", "москва");
}

static void test_other_scripts(void **state)
{
	(void)state;
	/* Marks that belong to their letters stay. */
	FOLD("हिन्दी", "हिन्दी");
	FOLD("日本語", "日本語");
	FOLD("עברית", "עברית");
	FOLD("٣", "٣");                        /* an Arabic-Indic digit is a digit */
}

static void test_words(void **state)
{
	(void)state;
	const char *s = "Ελληνικά, русский—język ştiinţă/2024 हिन्दी!";
	const char *want[] = {"Ελληνικά", "русский", "język", "ştiinţă", "2024", "हिन्दी"};
	size_t pos = 0, start, len, k = 0;
	while ((len = fold_next_word(s, strlen(s), &pos, &start)) > 0) {
		assert_true(k < 6);
		assert_int_equal(len, strlen(want[k]));
		assert_memory_equal(s + start, want[k], len);
		k++;
	}
	assert_int_equal(k, 6);
	/* Punctuation, symbols and invalid bytes separate; marks only continue. */
	assert_false(fold_word_start('-'));
	assert_false(fold_word_start(0x20AC)); /* € */
	assert_false(fold_word_start(0x301));  /* a combining acute */
	assert_true(fold_word_part(0x301));
	assert_false(fold_word_start(-1));
	assert_true(fold_space_or_dash(0xA0));
	assert_true(fold_space_or_dash(0x2014));
	assert_false(fold_space_or_dash(0x200B)); /* a zero-width space is invisible, not space */
}

static void test_cut(void **state)
{
	(void)state;
	/* Cut at a character boundary, never inside a character. */
	char out[5];
	assert_int_equal(fold_word("ελλη", 8, out, 5), 4);
	assert_memory_equal(out, "ελ", 4);
	assert_int_equal(fold_word("ßß", 4, out, 3), 2);
	assert_int_equal(fold_lower("ΑΒΓ", 6, out, 5), 4);
	assert_int_equal(fold_word("\xff\xfe", 2, out, 5), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_latin),
		cmocka_unit_test(test_turkish),
		cmocka_unit_test(test_greek_and_cyrillic),
		cmocka_unit_test(test_other_scripts),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_cut),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
