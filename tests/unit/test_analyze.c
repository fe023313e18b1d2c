/* Unit tests of search/analyze: words, stemming per language, folding to
 * ASCII and within other scripts, what separates words, cut words, the stemmers of threads, texts
 * analysed in every language and the long words kept for compounds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/fold.h"
#include "core/text.h"
#include "search/analyze.h"

/* The terms (language given) or words (language NULL) of text, compared
 * with want. */
static void check(const char *text, size_t len, const char *language, const char *want)
{
	struct buf out = {0};
	if (language)
		analyze_terms(text, len, language, &out);
	else
		analyze_words(text, len, &out);
	assert_string_equal(out.data ? out.data : "", want);
	buf_free(&out);
}

#define TERMS(lit, language, want) check(lit, sizeof(lit) - 1, language, want)
#define WORDS(lit, want) check(lit, sizeof(lit) - 1, NULL, want)

/* The term of one word, in a buffer of the size analyze_term asks for. */
struct term {
	char s[ANALYZE_WORD_MAX * 2 + 1];
};

static struct term term_of(const char *word, const char *language)
{
	struct term t;
	assert_true(analyze_term(word, strlen(word), language, t.s));
	return t;
}

static void same_term(const char *a, const char *b, const char *language)
{
	struct term ta = term_of(a, language), tb = term_of(b, language);
	if (strcmp(ta.s, tb.s) != 0)
		fail_msg("%s: \"%s\" gives \"%s\" but \"%s\" gives \"%s\"", language, a, ta.s, b, tb.s);
}

static void test_inflections_meet(void **state)
{
	(void)state;
	same_term("delade", "delar", "sv");
	same_term("frågor", "fråga", "sv");
	same_term("frågor", "fragor", "sv");
	same_term("gemeenten", "gemeente", "nl");
	same_term("ervaringen", "ervaring", "nl");
	same_term("questions", "question", "en");
	same_term("sharing", "shared", "en");
	assert_string_equal(term_of("frågor", "sv").s, "frag");
}

/* Swedish neuter nouns in the definite form, which Snowball leaves as they
 * are, meet their base forms; base forms that end in -et meet their own
 * inflections; other languages keep their -et. */
static void test_swedish_definite_neuter(void **state)
{
	(void)state;
	same_term("projektet", "projekt", "sv");
	same_term("dataskyddet", "dataskydd", "sv");
	same_term("beslutet", "beslut", "sv");
	same_term("mötet", "möte", "sv");
	same_term("arbetet", "arbete", "sv");
	same_term("systemet", "system", "sv");
	same_term("kvaliteten", "kvalitet", "sv");
	same_term("paketet", "paket", "sv");
	char term[ANALYZE_WORD_MAX * 2 + 1];
	assert_true(analyze_term("budget", 6, "en", term));
	assert_string_equal(term, "budget");
}

static void test_stem_before_folding(void **state)
{
	(void)state;
	/* The Swedish stemmer knows "ar" only after the accented letters. */
	assert_string_equal(term_of("förbättringar", "sv").s, "forbattring");
	assert_string_equal(term_of("förbättring", "sv").s, "forbattring");
	assert_string_equal(term_of("forbattring", "sv").s, "forbattring");
	assert_string_equal(term_of("FÖRBÄTTRINGAR", "sv").s, "forbattring");
	TERMS("Förbättringar, FÖRBÄTTRING och forbattring", "sv", "forbattring forbattring och forbattring ");
}

static void test_words_fold_without_stemming(void **state)
{
	(void)state;
	WORDS("Kunskapsdelning i Älvbacka", "kunskapsdelning i alvbacka ");
	WORDS("Frågorna delades", "fragorna delades ");
	WORDS("Æbleskiver på Þingvellir, Straße, Øresund, Ðoðo",
	      "aebleskiver pa thingvellir strasse oresund dodo ");
	TERMS("Frågorna om kunskapsdelning", "sv", "frag om kunskapsdelning ");
}

static void test_separators(void **state)
{
	(void)state;
	WORDS("a,b.c\td\ne\r\nf\xc2\xa0g\xe2\x80\x94h\xe2\x80\x9ci\xe2\x80\x9dj\xe2\x80\x98k\xe2\x80\x99l",
	      "a b c d e f g h i j k l ");
	WORDS("don't  (stop)!?", "don t stop ");
	WORDS("2\xc3\x97" "3 \xc3\xb7" "4", "2 3 4 "); /* × and ÷ are not letters */
	WORDS("\xc2\xab" "citat\xc2\xbb \xc2\xbf" "qu\xc3\xa9?", "citat que ");
}

/* Whether s[0..n) is valid UTF-8 of letters, digits, marks and spaces:
 * nothing FTS5 or tsquery would need quoted. */
static bool only_word_characters(const char *s, size_t n)
{
	if (!utf8_valid(s, n))
		return false;
	for (size_t i = 0, clen; i < n; i += clen) {
		int32_t cp;
		clen = fold_decode(s + i, n - i, &cp);
		if (cp != ' ' && !fold_word_part(cp))
			return false;
	}
	return true;
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	WORDS("ab\xff" "cd\xc3(ef\x80gh\xc0\xafij\xe2\x82kl\xc3", "ab cd ef gh ij kl ");
	WORDS("\xc3\xc3\xa9t\xc3\xa9", "ete "); /* a lead byte without its continuation */
	WORDS("a\0b", "a b ");
	/* Every byte and every pair of bytes, in every language. */
	static const char *const langs[] = {"en", "sv", "nl", "de"};
	for (unsigned i = 0; i < 65536; i++) {
		char s[3] = {(char)(i >> 8), (char)i, 'x'};
		struct buf out = {0};
		analyze_terms(s, sizeof(s), langs[i % 4], &out);
		analyze_words(s, sizeof(s), &out);
		if (!only_word_characters(out.data, out.len))
			fail_msg("%02x %02x gave \"%s\"", i >> 8, i & 255, out.data);
		buf_free(&out);
	}
}

static void test_empty(void **state)
{
	(void)state;
	struct buf out = {0};
	analyze_terms("", 0, "sv", &out);
	analyze_words("", 0, &out);
	analyze_terms("text", 0, "en", &out);
	const char *marks = " \t—!? \xe2\x80\x9c\xe2\x80\x9d ";
	analyze_words(marks, strlen(marks), &out);
	assert_int_equal(out.len, 0);
	buf_free(&out);
}

static void test_long_word_cut(void **state)
{
	(void)state;
	char *s = malloc(10000 + 6);
	memset(s, 'a', 10000);
	memcpy(s + 10000, " next", 6);
	struct buf out = {0};
	analyze_words(s, 10000 + 5, &out);
	assert_int_equal(out.len, ANALYZE_WORD_MAX + 1 + 5);
	assert_memory_equal(out.data + ANALYZE_WORD_MAX, " next ", 6);
	for (size_t i = 0; i < ANALYZE_WORD_MAX; i++)
		assert_int_equal(out.data[i], 'a');

	/* "x" and 4,999 "é": 63 bytes fit, the next "é" would not. */
	s[0] = 'x';
	for (size_t i = 1; i + 1 < 10000; i += 2)
		memcpy(s + i, "\xc3\xa9", 2);
	s[9999] = 'b';
	buf_reset(&out);
	analyze_words(s, 10000, &out);
	assert_int_equal(out.len, 1 + (ANALYZE_WORD_MAX - 1) / 2 + 1);
	assert_memory_equal(out.data, "xeeee", 5);
	buf_reset(&out);
	analyze_terms(s, 10000, "nl", &out);
	assert_true(out.len > 1 && out.len <= ANALYZE_WORD_MAX + 1);

	struct term t;
	assert_true(analyze_term(s, 10000, "sv", t.s));
	assert_true(strlen(t.s) <= ANALYZE_WORD_MAX);
	buf_free(&out);
	free(s);
}

static void test_other_languages_fold(void **state)
{
	(void)state;
	TERMS("Die Häuser an der Straße", "de", "die hauser an der strasse ");
	TERMS("questions shared", "", "questions shared ");
	TERMS("questions shared", "EN", "questions shared ");
	TERMS("Frågor", "fr", "fragor ");
	struct buf out = {0};
	analyze_terms("Frågor", strlen("Frågor"), NULL, &out);
	assert_string_equal(out.data, "fragor ");
	buf_free(&out);
	assert_string_equal(term_of("Questions", "de").s, "questions");
	assert_string_equal(term_of("Questions", "en").s, "question");
}

static void test_latin_extended_a(void **state)
{
	(void)state;
	WORDS("ŁÓDŹ łódź ĲSSELMEER ĳsselmeer ŒUVRE œuvre ŸVELINE ÿ",
	      "lodz lodz ijsselmeer ijsselmeer oeuvre oeuvre yveline y ");
	WORDS("İstanbul ıspanak ĸ ŉ ſ Ŀl ŀl Đ Ħ Ŋ Ŧ", "istanbul ispanak k n s ll ll d h n t ");
	WORDS("Ščřžýáíé ŠČŘŽÝÁÍÉ Őő Űű Ęę Ąą Śś Ćć Ńń Ġġ", "scrzyaie scrzyaie oo uu ee aa ss cc nn gg ");
	/* The stemmer sees the lower case: capitals stem like small letters. */
	assert_string_equal(term_of("ÅTGÄRDERNA", "sv").s, term_of("åtgärderna", "sv").s);
	assert_string_equal(term_of("OVERHEIDSINSTANTIËS", "nl").s, term_of("overheidsinstanties", "nl").s);
}

static void test_digits(void **state)
{
	(void)state;
	WORDS("Covid19 2024 e-arkiv 3,14", "covid19 2024 e arkiv 3 14 ");
	TERMS("Rapporter 2024", "sv", "rapport 2024 ");
	assert_string_equal(term_of("2024", "en").s, "2024");
}

static void test_term_needs_a_word(void **state)
{
	(void)state;
	struct term t;
	assert_false(analyze_term("\xe2\x80\x94", 3, "sv", t.s));
	assert_string_equal(t.s, "");
	assert_false(analyze_term("!!!", 3, "en", t.s));
	assert_false(analyze_term("", 0, "nl", t.s));
	assert_false(analyze_term("\xff\xc3", 2, "de", t.s));
	assert_true(analyze_term("e-arkiv", 7, "sv", t.s));
	assert_string_equal(t.s, "e");
	assert_true(analyze_term("  Frågorna!", 12, "sv", t.s));
	assert_string_equal(t.s, "frag");
}

/* A thread that stems in every language and ends without a word: its
 * stemmers must still be freed, or LeakSanitizer fails the program. */
static void *stem_and_end(void *arg)
{
	struct buf out = {0};
	for (int round = 0; round < 2; round++) {
		analyze_terms("delade frågor", 14, "sv", &out);
		analyze_terms("gemeenten", 9, "nl", &out);
		analyze_terms("questions", 9, "en", &out);
		if (arg && round == 0)
			analyze_thread_done();
	}
	bool ok = strcmp(out.data, "del frag gemeent question del frag gemeent question ") == 0;
	buf_free(&out);
	return ok ? arg : (void *)"wrong";
}

static void test_threads(void **state)
{
	(void)state;
	static char mark;
	pthread_t t[4];
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, stem_and_end, i % 2 ? &mark : NULL), 0);
	for (int i = 0; i < 4; i++) {
		void *result;
		pthread_join(t[i], &result);
		assert_ptr_equal(result, i % 2 ? &mark : NULL);
	}
}

/* The same word in one language after another, again and again, and with
 * the stemmers made anew in another order: each language's own term. */
static void test_each_language_its_own_term(void **state)
{
	(void)state;
	static const char *const order[][3] = {{"en", "nl", "sv"}, {"nl", "sv", "en"}, {"sv", "en", "nl"}};
	for (int round = 0; round < 3; round++) {
		for (int again = 0; again < 2; again++)
			for (int k = 0; k < 3; k++) {
				const char *language = order[round][k];
				assert_string_equal(term_of("gemeenten", language).s,
						    strcmp(language, "en") == 0 ? "gemeenten" : "gemeent");
			}
		analyze_thread_done();
	}
}

static int teardown(void **state)
{
	(void)state;
	analyze_thread_done();
	return 0;
}

/* A text of no known language in every language a query tries, one
 * analysis after the other: each stemmer's term is there, and an analysis
 * the same as one before only once (no phrase across copies). */
static void test_terms_in_every_language(void **state)
{
	(void)state;
	struct buf out = {0};
	analyze_terms_all("Workshops", 9, &out);
	assert_string_equal(out.data, "workshop workshops ");
	buf_reset(&out);
	analyze_terms_all("Gemeenten", 9, &out);
	assert_string_equal(out.data, "gemeenten gemeent ");
	buf_reset(&out);
	analyze_terms_all("Anna Svensson", 13, &out);
	assert_string_equal(out.data, "anna svensson ann svensson ");
	buf_free(&out);
}

/* The long words only, each once, in order. */
static void test_compounds(void **state)
{
	(void)state;
	struct buf words = {0}, out = {0};
	const char *text = "Förbättringsarbete och kunskapsdelning, förbättringsarbete i hemtjänsten";
	analyze_words(text, strlen(text), &words);
	analyze_compounds(&words, &out);
	assert_string_equal(out.data, "forbattringsarbete hemtjansten kunskapsdelning");
	buf_free(&words);
	buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inflections_meet),
		cmocka_unit_test(test_swedish_definite_neuter),
		cmocka_unit_test(test_stem_before_folding),
		cmocka_unit_test(test_words_fold_without_stemming),
		cmocka_unit_test(test_separators),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_long_word_cut),
		cmocka_unit_test(test_other_languages_fold),
		cmocka_unit_test(test_latin_extended_a),
		cmocka_unit_test(test_digits),
		cmocka_unit_test(test_term_needs_a_word),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_each_language_its_own_term),
		cmocka_unit_test(test_terms_in_every_language),
		cmocka_unit_test(test_compounds),
	};
	return cmocka_run_group_tests(tests, NULL, teardown);
}
