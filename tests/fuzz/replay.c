/*
 * replay: runs a fuzz harness over files without libFuzzer, so the normal
 * test run checks every seed and every input that once broke something.
 *
 *   test_fuzz_NAME [FILE|DIR...]
 *
 * Without arguments it replays FUZZ_DIR/corpus/NAME and, when there is one,
 * FUZZ_DIR/regressions/NAME. It prints cmocka's summary lines, which
 * tests/run.sh counts; a finding ends it with the sanitizer's report or the
 * failed check, and the name of the input.
 */
#include "fuzz.h"

#include <dirent.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The sanitizers' hook, when a sanitizer is linked in. */
extern void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

static char current[4096];

static void name_input(void)
{
	static const char said[] = "replay: the input was ";
	if (write(2, said, sizeof(said) - 1) < 0 || write(2, current, strlen(current)) < 0 ||
	    write(2, "\n", 1) < 0)
		return; /* nothing left to tell it with */
}

static void on_abort(int sig)
{
	name_input();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void replay_file(const char *path, int *count)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		exit(1);
	}
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	rewind(f);
	/* Exactly the input's size, as libFuzzer gives it, so the sanitizer
	 * sees a read past its end. */
	uint8_t *data = malloc(len > 0 ? (size_t)len : 1);
	if (len < 0 || fread(data, 1, (size_t)len, f) != (size_t)len) {
		perror(path);
		exit(1);
	}
	fclose(f);
	snprintf(current, sizeof(current), "%s", path);
	printf("[ RUN      ] %s\n", path);
	fflush(stdout);
	LLVMFuzzerTestOneInput(data, (size_t)len);
	printf("[       OK ] %s\n", path);
	free(data);
	(*count)++;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* Replays path, or every file in it when it is a directory (but README
 * files); false when it does not exist. */
static bool replay_path(const char *path, int *count)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return false;
	if (!S_ISDIR(st.st_mode)) {
		replay_file(path, count);
		return true;
	}
	struct dirent **names;
	int n = scandir(path, &names, NULL, by_name);
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		if (name[0] != '.' && strncmp(name, "README", 6) != 0) {
			char file[4096];
			snprintf(file, sizeof(file), "%s/%s", path, name);
			replay_file(file, count);
		}
		free(names[i]);
	}
	free(names);
	return n >= 0;
}

int main(int argc, char **argv)
{
	signal(SIGABRT, on_abort);
	if (__sanitizer_set_death_callback)
		__sanitizer_set_death_callback(name_input);
	int count = 0;
	bool ok = true;
	printf("[==========] Replaying the fuzz inputs of %s.\n", FUZZ_NAME);
	if (argc > 1) {
		for (int i = 1; i < argc; i++)
			if (!replay_path(argv[i], &count)) {
				fprintf(stderr, "replay: %s does not exist\n", argv[i]);
				ok = false;
			}
	} else {
		ok = replay_path(FUZZ_DIR "/corpus/" FUZZ_NAME, &count);
		if (!ok)
			fprintf(stderr, "replay: " FUZZ_DIR "/corpus/" FUZZ_NAME " does not exist\n");
		replay_path(FUZZ_DIR "/regressions/" FUZZ_NAME, &count);
	}
	printf("[==========] %d test(s) run.\n", count + !ok);
	printf("[  PASSED  ] %d test(s).\n", count);
	if (!ok)
		printf("[  FAILED  ] 1 test(s).\n");
	return ok ? 0 : 1;
}
