// SPDX-License-Identifier: BSD-2-Clause
/*
 * Invoke latency from a C client, through the GP TEE Client API only
 * (built against the dev kit's TEEC export like any OP-TEE host program).
 *
 *   invoke_bench [-n iterations] [-w warm-up] [-b block] [-c cpu]
 *                [-u uuid] MODE...
 *
 *   null    TA_TEST_CMD_NULL, no operation parameters
 *   other   the same on a second session, on the TA `-u uuid` (the Python
 *           twin of the test TA, for instance)
 *   shm     TA_TEST_CMD_TOUCH on a 1 MiB TEEC_AllocateSharedMemory block
 *           (TEEC_MEM_INPUT | TEEC_MEM_OUTPUT) passed as MEMREF_WHOLE
 *   regshm  the same on a 1 MiB TEEC_RegisterSharedMemory block (which
 *           libteec copies through its shadow buffer both ways)
 *
 * All MODEs run on one session, interleaved in blocks of -b calls, so that
 * they see the same scheduling of client and TA host and can be compared.
 * -c pins this process to that CPU.  Prints one JSON line, an object with
 * one stats.h object per MODE; the TOUCH modes check afterwards that the
 * TA really touched their buffer.
 */
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include <tee_client_api.h>
#include <test_ta.h>

#include "stats.h"

#define SHM_SIZE (1024 * 1024)

enum mode { MODE_NULL, MODE_OTHER, MODE_SHM, MODE_REGSHM, MODE_END };

static const char *const mode_names[MODE_END] = { "null", "other", "shm",
							  "regshm" };

struct run {
	enum mode mode;
	TEEC_SharedMemory shm;
	bool have_shm;
	uint8_t *own;             /* the registered buffer */
	uint64_t *samples;
	long done;                /* measured calls so far */
	long calls;               /* all calls, warm-up included */
};

static bool parse_count(const char *s, long *out)
{
	char *end = NULL;
	long v = strtol(s, &end, 10);

	if (!*s || *end || v < 0)
		return false;
	*out = v;
	return true;
}

/* The canonical 36-character form into a TEEC_UUID. */
static bool parse_uuid(const char *s, TEEC_UUID *out)
{
	uint8_t o[16] = { 0 };
	unsigned int n = 0;

	for (unsigned int i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		char c = s[i];
		int v = -1;

		if (dash) {
			if (c != '-')
				return false;
			continue;
		}
		if (c >= '0' && c <= '9')
			v = c - '0';
		else if (c >= 'a' && c <= 'f')
			v = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v = c - 'A' + 10;
		if (v < 0)
			return false;
		o[n / 2] = (uint8_t)(o[n / 2] << 4 | v);
		n++;
	}
	if (s[36])
		return false;
	out->timeLow = (uint32_t)o[0] << 24 | (uint32_t)o[1] << 16 |
		       (uint32_t)o[2] << 8 | o[3];
	out->timeMid = (uint16_t)(o[4] << 8 | o[5]);
	out->timeHiAndVersion = (uint16_t)(o[6] << 8 | o[7]);
	memcpy(out->clockSeqAndNode, o + 8, 8);
	return true;
}

static TEEC_Result invoke_once(TEEC_Session *sess, enum mode mode,
			       TEEC_SharedMemory *shm)
{
	TEEC_Operation op;
	uint32_t origin = 0;
	TEEC_Result res = TEEC_SUCCESS;

	memset(&op, 0, sizeof(op));
	if (mode == MODE_NULL || mode == MODE_OTHER) {
		op.paramTypes = TEEC_PARAM_TYPES(TEEC_NONE, TEEC_NONE,
						 TEEC_NONE, TEEC_NONE);
		res = TEEC_InvokeCommand(sess, TA_TEST_CMD_NULL, &op, &origin);
	} else {
		op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_WHOLE, TEEC_NONE,
						 TEEC_NONE, TEEC_NONE);
		op.params[0].memref.parent = shm;
		res = TEEC_InvokeCommand(sess, TA_TEST_CMD_TOUCH, &op, &origin);
	}
	if (res != TEEC_SUCCESS)
		fprintf(stderr, "invoke_bench: invoke: 0x%08x origin %u\n",
			(unsigned int)res, (unsigned int)origin);
	return res;
}

static void print_runs(struct run *runs, unsigned int nruns)
{
	printf("{");
	for (unsigned int i = 0; i < nruns; i++) {
		printf("%s\"%s\": ", i ? ", " : "", mode_names[runs[i].mode]);
		print_stats(runs[i].samples, (size_t)runs[i].done, "");
	}
	printf("}\n");
	fflush(stdout);
}

static int setup_run(TEEC_Context *ctx, struct run *r, long iterations)
{
	TEEC_Result res = TEEC_SUCCESS;

	r->samples = calloc((size_t)iterations, sizeof(*r->samples));
	if (!r->samples) {
		perror("invoke_bench: calloc");
		return -1;
	}
	if (r->mode == MODE_NULL || r->mode == MODE_OTHER)
		return 0;
	r->shm.size = SHM_SIZE;
	r->shm.flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT;
	if (r->mode == MODE_REGSHM) {
		r->own = calloc(1, SHM_SIZE);
		if (!r->own) {
			perror("invoke_bench: calloc");
			return -1;
		}
		r->shm.buffer = r->own;
		res = TEEC_RegisterSharedMemory(ctx, &r->shm);
	} else {
		res = TEEC_AllocateSharedMemory(ctx, &r->shm);
	}
	if (res != TEEC_SUCCESS) {
		fprintf(stderr, "invoke_bench: %s: shared memory: 0x%08x\n",
			mode_names[r->mode], (unsigned int)res);
		return -1;
	}
	r->have_shm = true;
	memset(r->shm.buffer, 0, SHM_SIZE);
	return 0;
}

/* Up to `count` calls of one run; measured ones once `warm` is false. */
static int run_block(TEEC_Session *sess, struct run *r, long count, bool warm)
{
	for (long i = 0; i < count; i++) {
		uint64_t t0 = now_ns();

		if (invoke_once(sess, r->mode, &r->shm))
			return -1;
		if (!warm)
			r->samples[r->done++] = now_ns() - t0;
		r->calls++;
	}
	return 0;
}

static int check_touched(const struct run *r)
{
	const uint8_t *b = r->shm.buffer;
	uint8_t want = (uint8_t)r->calls;

	if (r->mode == MODE_NULL || r->mode == MODE_OTHER)
		return 0;
	if (b[0] == want && b[SHM_SIZE - 1] == want)
		return 0;
	fprintf(stderr,
		"invoke_bench: %s: TOUCH left bytes %u and %u after %ld calls, expected %u\n",
		mode_names[r->mode], b[0], b[SHM_SIZE - 1], r->calls, want);
	return -1;
}

int main(int argc, char **argv)
{
	const TEEC_UUID uuid = TA_TEST_UUID;
	TEEC_Context ctx;
	TEEC_Session sess;
	TEEC_UUID other_uuid = { 0 };
	TEEC_Session other;
	bool have_other_uuid = false;
	bool have_other = false;
	struct run runs[MODE_END];
	unsigned int nruns = 0;
	long iterations = 20000;
	long warmup = 2000;
	long block = 500;
	long cpu = -1;
	uint32_t origin = 0;
	TEEC_Result res = TEEC_SUCCESS;
	bool have_ctx = false;
	bool have_sess = false;
	int opt = 0;
	int rc = 1;

	memset(&ctx, 0, sizeof(ctx));
	memset(&sess, 0, sizeof(sess));
	memset(&other, 0, sizeof(other));
	memset(runs, 0, sizeof(runs));
	while ((opt = getopt(argc, argv, "n:w:b:c:u:")) != -1) {
		long *target = opt == 'n' ? &iterations :
			       opt == 'w' ? &warmup :
			       opt == 'b' ? &block :
			       opt == 'c' ? &cpu : NULL;

		if (opt == 'u') {
			have_other_uuid = parse_uuid(optarg, &other_uuid);
			if (!have_other_uuid)
				goto usage;
			continue;
		}
		if (!target || !parse_count(optarg, target))
			goto usage;
	}
	if (iterations < 1 || block < 1 || optind >= argc)
		goto usage;
	for (int a = optind; a < argc; a++) {
		enum mode m = MODE_END;

		for (unsigned int k = 0; k < MODE_END; k++)
			if (strcmp(argv[a], mode_names[k]) == 0)
				m = (enum mode)k;
		if (m == MODE_END || nruns == MODE_END)
			goto usage;
		runs[nruns++].mode = m;
	}
	if (cpu >= 0 && pin_to_cpu((int)cpu)) {
		perror("invoke_bench: sched_setaffinity");
		return 1;
	}

	res = TEEC_InitializeContext(NULL, &ctx);
	if (res != TEEC_SUCCESS) {
		fprintf(stderr, "invoke_bench: TEEC_InitializeContext: 0x%08x\n",
			(unsigned int)res);
		goto out;
	}
	have_ctx = true;
	res = TEEC_OpenSession(&ctx, &sess, &uuid, TEEC_LOGIN_PUBLIC, NULL,
			       NULL, &origin);
	if (res != TEEC_SUCCESS) {
		fprintf(stderr, "invoke_bench: TEEC_OpenSession: 0x%08x origin %u\n",
			(unsigned int)res, (unsigned int)origin);
		goto out;
	}
	have_sess = true;
	for (unsigned int i = 0; i < nruns; i++) {
		if (runs[i].mode != MODE_OTHER || have_other)
			continue;
		if (!have_other_uuid)
			goto usage;
		res = TEEC_OpenSession(&ctx, &other, &other_uuid,
				       TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);
		if (res != TEEC_SUCCESS) {
			fprintf(stderr, "invoke_bench: TEEC_OpenSession -u: 0x%08x origin %u\n",
				(unsigned int)res, (unsigned int)origin);
			goto out;
		}
		have_other = true;
	}
	for (unsigned int i = 0; i < nruns; i++)
		if (setup_run(&ctx, &runs[i], iterations))
			goto out;

	for (unsigned int i = 0; i < nruns; i++)
		if (run_block(runs[i].mode == MODE_OTHER ? &other : &sess,
			      &runs[i], warmup, true))
			goto out;
	for (long done = 0; done < iterations; done += block) {
		long count = iterations - done < block ? iterations - done : block;

		for (unsigned int i = 0; i < nruns; i++)
			if (run_block(runs[i].mode == MODE_OTHER ? &other : &sess,
				      &runs[i], count, false))
				goto out;
	}
	for (unsigned int i = 0; i < nruns; i++)
		if (check_touched(&runs[i]))
			goto out;
	print_runs(runs, nruns);
	rc = 0;
	goto out;
usage:
	fprintf(stderr, "usage: invoke_bench [-n N] [-w N] [-b N] [-c cpu] [-u uuid] null|other|shm|regshm...\n");
	rc = 2;
out:
	for (unsigned int i = 0; i < nruns; i++) {
		if (runs[i].have_shm)
			TEEC_ReleaseSharedMemory(&runs[i].shm);
		free(runs[i].own);
		free(runs[i].samples);
	}
	if (have_other)
		TEEC_CloseSession(&other);
	if (have_sess)
		TEEC_CloseSession(&sess);
	if (have_ctx)
		TEEC_FinalizeContext(&ctx);
	return rc;
}
