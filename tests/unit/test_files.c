/* Unit tests of files_check: what a refused file is told, naming the file
 * and why, for the API and the importer alike. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/arena.h"
#include "core/config.h"
#include "features/files.h"
#include "i18n/i18n.h"

static int setup(void **state)
{
	(void)state;
	return i18n_load() ? 0 : -1;
}

/* Frees the type detector, so that leak checks see nothing left. */
static int teardown(void **state)
{
	(void)state;
	files_shutdown();
	return 0;
}

/* The problem files_check finds with these bytes under this name. */
static const char *problem(struct arena *a, int locale, const char *name, const char *data, size_t len)
{
	struct file_input f;
	return files_check(a, locale, name, data, len, &f);
}

static void test_refusals_name_file_and_reason(void **state)
{
	(void)state;
	struct arena a = {0};
	assert_null(problem(&a, LOCALE_EN, "notes.txt", "Hello\n", 6));
	assert_string_equal(problem(&a, LOCALE_EN, "run.sh", "#!/bin/sh\necho hi\n", 18),
			    "run.sh: a shell script is not one of the allowed types (PDF, office documents, images, "
			    "plain text, CSV, MP4/WebM).");
	assert_string_equal(problem(&a, LOCALE_NL, "run.sh", "#!/bin/sh\necho hi\n", 18),
			    "run.sh: een shellscript is geen van de toegestane typen (pdf, kantoordocumenten, "
			    "afbeeldingen, platte tekst, csv, mp4/webm).");
	assert_string_equal(problem(&a, LOCALE_EN, "../../etc/empty.pdf", "", 0), "empty.pdf is empty.");
	assert_string_equal(problem(&a, LOCALE_SV, "empty.pdf", "", 0), "empty.pdf är tom.");
	arena_reset(&a);
}

/* Too large: the name, its size and the limit, in binary units; in bytes
 * when both would round to the same text. */
static void test_too_large_says_size_and_limit(void **state)
{
	(void)state;
	struct arena a = {0};
	size_t saved = config.max_upload;
	static char big[4096];
	memset(big, 'a', sizeof big);
	config.max_upload = 2048;
	assert_string_equal(problem(&a, LOCALE_EN, "big.txt", big, 3 * 1024),
			    "big.txt is 3 KiB, more than the 2 KiB this site takes at once.");
	assert_string_equal(problem(&a, LOCALE_SV, "big.txt", big, 2560),
			    "big.txt är 2,5 KiB, mer än de 2 KiB som webbplatsen tar emot på en gång.");
	assert_string_equal(problem(&a, LOCALE_EN, "big.txt", big, 2049),
			    "big.txt is 2049 bytes, more than the 2048 bytes this site takes at once.");
	assert_null(problem(&a, LOCALE_EN, "big.txt", big, 2048));
	config.max_upload = saved;
	arena_reset(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refusals_name_file_and_reason),
		cmocka_unit_test(test_too_large_says_size_and_limit),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
