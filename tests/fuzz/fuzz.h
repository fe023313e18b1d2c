/* fuzz: what the harnesses share. Each fuzz_NAME.c defines
 * LLVMFuzzerTestOneInput, called by libFuzzer (make fuzz) or by replay.c
 * (the normal test run) with one input at a time. */
#ifndef KRING_FUZZ_H
#define KRING_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A promise of the code under test; breaking it is a finding like a crash. */
#define FUZZ_CHECK(cond)                                                              \
	do {                                                                          \
		if (!(cond)) {                                                        \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, \
				#cond);                                               \
			abort();                                                      \
		}                                                                     \
	} while (0)

#endif
