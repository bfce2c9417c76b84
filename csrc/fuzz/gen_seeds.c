// SPDX-License-Identifier: BSD-2-Clause
/*
 * Writes the seed inputs of the wire fuzz target (seeds.c) as files
 * seed-NN in the folder given, for libFuzzer's corpus:
 *   gen_seeds <folder>
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"
#include "wire.h"

static uint8_t seed_buf[WIRE_MAX_MSG + 1];

int main(int argc, char **argv)
{
	unsigned int count = fuzz_seed_count();

	if (argc != 2) {
		fprintf(stderr, "usage: %s <folder>\n", argv[0]);
		return 2;
	}
	if (mkdir(argv[1], 0777) && errno != EEXIST) {
		fprintf(stderr, "%s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	for (unsigned int i = 0; i < count; i++) {
		char path[4096] = { 0 };
		size_t len = fuzz_seed(i, seed_buf, sizeof(seed_buf));
		FILE *f = NULL;

		if (len == 0) {
			fprintf(stderr, "seed %u could not be built\n", i);
			return 1;
		}
		snprintf(path, sizeof(path), "%s/seed-%02u", argv[1], i);
		f = fopen(path, "wb");
		if (!f) {
			fprintf(stderr, "%s: %s\n", path, strerror(errno));
			return 1;
		}
		if (fwrite(seed_buf, 1, len, f) != len) {
			fprintf(stderr, "%s: short write\n", path);
			fclose(f);
			return 1;
		}
		if (fclose(f)) {
			fprintf(stderr, "%s: %s\n", path, strerror(errno));
			return 1;
		}
	}
	printf("%u seeds in %s\n", count, argv[1]);
	return 0;
}
