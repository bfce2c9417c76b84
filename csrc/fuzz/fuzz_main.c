// SPDX-License-Identifier: BSD-2-Clause
/*
 * A small stand-in for libFuzzer's driver, so that the wire fuzz target also
 * runs where clang (and libFuzzer) is missing:
 *
 *   fuzz_wire [options] [file|folder ...]
 *
 * With neither -runs nor -max_total_time it runs each input given once
 * (regression mode).  Otherwise it starts from the built-in seeds
 * (seeds.c) and the inputs given, then mutates with a fixed-seed PRNG until
 * the run or time budget is spent, keeping a mutant that reaches new edges
 * when the target is built with -fsanitize-coverage=trace-pc.
 *
 * Options, spelt as libFuzzer's (others of the -name=value form are
 * accepted and ignored, so the same command line serves both):
 *   -runs=N             stop after N inputs
 *   -max_total_time=S   stop after S seconds
 *   -seed=N             PRNG seed (default 1)
 *   -max_len=N          longest mutant (default 4096)
 *   -artifact_prefix=P  where a crashing input is written (P + "crash-<pid>")
 *
 * On a crash (sanitizer report, abort, fatal signal) the input is written
 * to the artifact file and printed in hex on stderr.
 */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fuzz.h"
#include "wire.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FUZZ_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define FUZZ_ASAN 1
#endif
#ifdef FUZZ_ASAN
#include <sanitizer/common_interface_defs.h>
#endif

#define MAP_SIZE 65536u
#define FUZZ_MAX_INPUT (WIRE_MAX_MSG + 2)

struct input {
	uint8_t *data;
	size_t len;
};

static struct {
	struct input *items;
	size_t count, cap;
} corpus;

static struct {
	unsigned long long runs;	/* 0: no limit */
	unsigned long long max_time;	/* seconds, 0: no limit */
	unsigned long long seed;
	size_t max_len;
	const char *artifact_prefix;
	bool fuzz;			/* a budget was given */
} opt = { 0, 0, 1, 4096, "./", false };

/* ------------------------------------------------------------- coverage */

static uint8_t cov_map[MAP_SIZE];	/* edges hit by the current input */
static uint8_t cov_seen[MAP_SIZE];	/* hit-count classes seen so far */
static uintptr_t cov_prev;
static size_t cov_edges;

/* Called by code built with -fsanitize-coverage=trace-pc at each block. */
void __sanitizer_cov_trace_pc(void);
void __sanitizer_cov_trace_pc(void)
{
	uintptr_t pc = (uintptr_t)__builtin_return_address(0);
	uintptr_t loc = (pc ^ (pc >> 16)) * 0x9E3779B1u;

	cov_map[(loc ^ cov_prev) % MAP_SIZE]++;
	cov_prev = loc >> 1;
}

static uint8_t count_class(uint8_t hits)
{
	if (hits <= 3)
		return hits;
	if (hits <= 7)
		return 4;
	if (hits <= 15)
		return 8;
	if (hits <= 31)
		return 16;
	return hits <= 127 ? 32 : 128;
}

/* Whether the last input reached an edge or hit-count class not seen yet. */
static bool new_coverage(void)
{
	bool found = false;

	for (size_t i = 0; i < MAP_SIZE; i++) {
		uint8_t cls = 0;

		if (!cov_map[i])
			continue;
		cls = count_class(cov_map[i]);
		if (!cov_seen[i])
			cov_edges++;
		if ((cov_seen[i] | cls) != cov_seen[i]) {
			cov_seen[i] |= cls;
			found = true;
		}
	}
	return found;
}

/* ---------------------------------------------------------------- crash */

static const uint8_t *cur_data;
static size_t cur_len;
static volatile sig_atomic_t dumped;

#define PUT_LITERAL(s)	put((s), sizeof(s) - 1)

static void put(const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(2, s, n);

		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

/* Async-signal-safe: write the current input to a file and as hex. */
static void dump_input(void)
{
	static const char hex[] = "0123456789abcdef";
	char path[512] = { 0 };
	char line[129] = { 0 };
	size_t plen = 0;
	pid_t pid = getpid();
	char digits[16] = { 0 };
	size_t nd = 0;
	int fd = -1;

	if (dumped || !cur_data)
		return;
	dumped = 1;
	for (const char *p = opt.artifact_prefix; *p && plen < 400; p++)
		path[plen++] = *p;
	memcpy(path + plen, "crash-", 6);
	plen += 6;
	do {
		digits[nd++] = (char)('0' + pid % 10);
		pid /= 10;
	} while (pid && nd < sizeof(digits));
	while (nd)
		path[plen++] = digits[--nd];
	path[plen] = '\0';
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd >= 0) {
		for (size_t off = 0; off < cur_len;) {
			ssize_t w = write(fd, cur_data + off, cur_len - off);

			if (w <= 0)
				break;
			off += (size_t)w;
		}
		close(fd);
	}
	PUT_LITERAL("fuzz_main: crashing input written to ");
	put(path, plen);
	PUT_LITERAL("\nfuzz_main: crashing input (hex): ");
	for (size_t i = 0; i < cur_len;) {
		size_t n = 0;

		while (i < cur_len && n < sizeof(line) - 1) {
			line[n++] = hex[cur_data[i] >> 4];
			line[n++] = hex[cur_data[i] & 15];
			i++;
		}
		put(line, n);
	}
	PUT_LITERAL("\n");
}

static void on_fatal_signal(int sig)
{
	dump_input();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void install_crash_handlers(void)
{
	static const int sigs[] = { SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL };

	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], on_fatal_signal);
#ifdef FUZZ_ASAN
	__sanitizer_set_death_callback(dump_input);
#endif
}

/* ---------------------------------------------------------------- corpus */

static void add_input(const uint8_t *data, size_t len)
{
	uint8_t *copy = malloc(len ? len : 1);

	if (corpus.count == corpus.cap) {
		size_t cap = corpus.cap ? corpus.cap * 2 : 64;
		struct input *items = realloc(corpus.items, cap * sizeof(*items));

		if (!items) {
			free(copy);
			fprintf(stderr, "fuzz_main: out of memory\n");
			exit(1);
		}
		corpus.items = items;
		corpus.cap = cap;
	}
	if (!copy) {
		fprintf(stderr, "fuzz_main: out of memory\n");
		exit(1);
	}
	memcpy(copy, data, len);
	corpus.items[corpus.count].data = copy;
	corpus.items[corpus.count].len = len;
	corpus.count++;
}

static bool add_file(const char *path)
{
	static uint8_t buf[FUZZ_MAX_INPUT];
	FILE *f = fopen(path, "rb");
	size_t len = 0;

	if (!f) {
		fprintf(stderr, "fuzz_main: %s: %s\n", path, strerror(errno));
		return false;
	}
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	add_input(buf, len);
	return true;
}

static bool add_path(const char *path)
{
	struct stat st = { 0 };
	DIR *dir = NULL;
	struct dirent *e = NULL;
	bool ok = true;

	if (stat(path, &st)) {
		fprintf(stderr, "fuzz_main: %s: %s\n", path, strerror(errno));
		return false;
	}
	if (!S_ISDIR(st.st_mode))
		return add_file(path);
	dir = opendir(path);
	if (!dir) {
		fprintf(stderr, "fuzz_main: %s: %s\n", path, strerror(errno));
		return false;
	}
	while ((e = readdir(dir)) != NULL) {
		char child[4096] = { 0 };
		struct stat cst = { 0 };

		if (e->d_name[0] == '.')
			continue;
		snprintf(child, sizeof(child), "%s/%s", path, e->d_name);
		if (stat(child, &cst) == 0 && S_ISREG(cst.st_mode))
			ok = add_file(child) && ok;
	}
	closedir(dir);
	return ok;
}

/* ----------------------------------------------------------------- mutate */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static size_t below(size_t n)
{
	return n ? (size_t)(rnd() % n) : 0;
}

static uint64_t interesting(size_t len)
{
	static const uint64_t fixed[] = {
		0, 1, 2, 3, 4, 5, 6, 7, 8, 0x10, 0x7f, 0x80, 0xff, 0x100,
		WIRE_MAGIC, WIRE_VERSION, WIRE_TYPE_END, WIRE_MAX_FDS,
		WIRE_MAX_MSG - 1, WIRE_MAX_MSG, WIRE_MAX_MSG + 1,
		WIRE_INLINE_MAX, FUZZ_MEMFD_SIZE, FUZZ_MEMFD_SIZE + 1,
		FUZZ_BIG_MEMFD_SIZE, 0x7fff, 0x8000, 0xffff, 0x10000,
		0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
		0x100000000ULL, 0x7fffffffffffffffULL, 0x8000000000000000ULL,
		0xfffffffffffffffeULL, 0xffffffffffffffffULL,
	};
	size_t pick = below(sizeof(fixed) / sizeof(fixed[0]) + 4);

	if (pick < sizeof(fixed) / sizeof(fixed[0]))
		return fixed[pick];
	/* Sizes of the input itself, a frequent source of off-by-ones. */
	return (uint64_t)len - (pick - sizeof(fixed) / sizeof(fixed[0]));
}

/* A field offset: fields sit at 4-byte boundaries of the datagram (byte 1). */
static size_t field_at(size_t len, size_t width)
{
	size_t pos = 0;

	if (len <= width)
		return 0;
	pos = below(len - width + 1);
	if (rnd() & 1) {
		pos = 1 + ((pos - (pos ? 1 : 0)) & ~(size_t)3);
		if (pos + width > len)
			pos = len - width;
	}
	return pos;
}

static size_t mutate_once(uint8_t *d, size_t len, size_t max)
{
	size_t pos = 0;
	size_t n = 0;

	switch (below(11)) {
	case 0: /* flip a bit */
		if (len)
			d[below(len)] ^= (uint8_t)(1u << below(8));
		break;
	case 1: /* a random byte */
		if (len)
			d[below(len)] = (uint8_t)rnd();
		break;
	case 2: /* an interesting little-endian field of 1, 2, 4 or 8 bytes */
	case 3: {
		size_t width = (size_t)1 << below(4);
		uint64_t v = interesting(len);

		if (len < width)
			break;
		pos = field_at(len, width);
		for (size_t i = 0; i < width; i++)
			d[pos + i] = (uint8_t)(v >> (8 * i));
		break;
	}
	case 4: { /* add a small delta to a 4- or 8-byte field */
		size_t width = rnd() & 1 ? 8 : 4;
		uint64_t v = 0;

		if (len < width)
			break;
		pos = field_at(len, width);
		for (size_t i = 0; i < width; i++)
			v |= (uint64_t)d[pos + i] << (8 * i);
		v += (uint64_t)(int64_t)((int)below(33) - 16);
		for (size_t i = 0; i < width; i++)
			d[pos + i] = (uint8_t)(v >> (8 * i));
		break;
	}
	case 5: /* insert bytes */
		n = 1 + below(16);
		if (len + n > max)
			break;
		pos = below(len + 1);
		memmove(d + pos + n, d + pos, len - pos);
		for (size_t i = 0; i < n; i++)
			d[pos + i] = rnd() & 1 ? 0 : (uint8_t)rnd();
		len += n;
		break;
	case 6: /* erase bytes */
		if (len < 2)
			break;
		pos = below(len);
		n = 1 + below(len - pos < 16 ? len - pos : 16);
		memmove(d + pos, d + pos + n, len - pos - n);
		len -= n;
		break;
	case 7: { /* splice: our head, another input's tail */
		const struct input *o = &corpus.items[below(corpus.count)];
		size_t cut = below(len + 1);
		size_t from = below(o->len + 1);

		n = o->len - from;
		if (cut + n > max)
			n = max - cut;
		memcpy(d + cut, o->data + from, n);
		len = cut + n;
		break;
	}
	case 8: /* the control byte: fds, their kind, fix-up, padding */
		if (len)
			d[0] = (uint8_t)rnd();
		break;
	case 9: /* cut or grow the end */
		n = below(64);
		if (rnd() & 1)
			len = len > n ? len - n : 0;
		else if (len + n <= max) {
			memset(d + len, 0, n);
			len += n;
		}
		break;
	default: /* copy a chunk within the input */
		if (len < 2)
			break;
		n = 1 + below(len / 2);
		pos = below(len - n + 1);
		memmove(d + below(len - n + 1), d + pos, n);
		break;
	}
	return len;
}

/* ------------------------------------------------------------------- run */

static void run_one(const uint8_t *data, size_t len)
{
	cur_data = data;
	cur_len = len;
	memset(cov_map, 0, sizeof(cov_map));
	cov_prev = 0;
	LLVMFuzzerTestOneInput(data, len);
	cur_data = NULL;
}

static double now(void)
{
	struct timespec ts = { 0 };

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool parse_option(const char *arg)
{
	const char *eq = strchr(arg, '=');
	char *end = NULL;
	unsigned long long v = 0;

	if (!eq)
		return false;
	if (!strncmp(arg, "-artifact_prefix=", 17)) {
		opt.artifact_prefix = eq + 1;
		return true;
	}
	errno = 0;
	v = strtoull(eq + 1, &end, 10);
	if (!strncmp(arg, "-runs=", 6) || !strncmp(arg, "-max_total_time=", 16) ||
	    !strncmp(arg, "-seed=", 6) || !strncmp(arg, "-max_len=", 9)) {
		if (errno || *end || end == eq + 1) {
			fprintf(stderr, "fuzz_main: bad number in %s\n", arg);
			exit(2);
		}
	}
	if (!strncmp(arg, "-runs=", 6)) {
		opt.runs = v;
		opt.fuzz = true;
	} else if (!strncmp(arg, "-max_total_time=", 16)) {
		opt.max_time = v;
		opt.fuzz = true;
	} else if (!strncmp(arg, "-seed=", 6)) {
		opt.seed = v ? v : 1;
	} else if (!strncmp(arg, "-max_len=", 9)) {
		opt.max_len = v < 2 ? 2 : v > FUZZ_MAX_INPUT ? FUZZ_MAX_INPUT : v;
	} else {
		fprintf(stderr, "fuzz_main: ignoring %s\n", arg);
	}
	return true;
}

int main(int argc, char **argv)
{
	static uint8_t work[FUZZ_MAX_INPUT];
	unsigned long long done = 0;
	size_t given = 0;
	double start = now();
	double last_report = start;

	LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++) {
		if (argv[i][0] == '-' && parse_option(argv[i]))
			continue;
		if (!add_path(argv[i]))
			return 1;
		given++;
	}
	install_crash_handlers();
	rng_state = opt.seed * 0x9E3779B97F4A7C15ULL + 1;

	if (!opt.fuzz) {
		/* Regression mode: every input given, once. */
		for (size_t i = 0; i < corpus.count; i++)
			run_one(corpus.items[i].data, corpus.items[i].len);
		fprintf(stderr, "fuzz_main: %zu inputs passed\n", corpus.count);
		return 0;
	}
	for (unsigned int i = 0, n = fuzz_seed_count(); i < n; i++) {
		size_t len = fuzz_seed(i, work, sizeof(work));

		if (len)
			add_input(work, len);
	}
	for (size_t i = 0; i < corpus.count; i++) {
		run_one(corpus.items[i].data, corpus.items[i].len);
		new_coverage();
		done++;
	}
	fprintf(stderr, "fuzz_main: seed %llu, %zu inputs (%zu given), %zu edges\n",
		opt.seed, corpus.count, given, cov_edges);
	while ((!opt.runs || done < opt.runs) &&
	       (!opt.max_time || now() - start < (double)opt.max_time)) {
		const struct input *base = &corpus.items[below(corpus.count)];
		size_t len = base->len < sizeof(work) ? base->len : sizeof(work);
		size_t max = opt.max_len > len ? opt.max_len : len;
		unsigned int stack = 1 + (unsigned int)below(4);

		memcpy(work, base->data, len);
		for (unsigned int m = 0; m < stack; m++)
			len = mutate_once(work, len, max);
		run_one(work, len);
		done++;
		if (new_coverage())
			add_input(work, len);
		if (now() - last_report >= 10) {
			last_report = now();
			fprintf(stderr, "fuzz_main: #%llu corpus %zu edges %zu"
				" exec/s %.0f\n", done, corpus.count, cov_edges,
				(double)done / (last_report - start));
		}
	}
	fprintf(stderr, "fuzz_main: done, %llu runs in %.0f s, corpus %zu,"
		" edges %zu\n", done, now() - start, corpus.count, cov_edges);
	return 0;
}
