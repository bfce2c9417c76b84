// SPDX-License-Identifier: BSD-2-Clause
/*
 * A C client of the GP TEE Client API, built the way an OP-TEE host program
 * is built (-I$(TEEC_EXPORT)/include -L$(TEEC_EXPORT)/lib -lteec), that
 * checks libteec against the test TA (csrc/ta/test, include/test_ta.h):
 * every parameter type, short buffers, open-session operations, return
 * origins, bad arguments, an unknown TA and a panicking one.
 *
 * Prints one line per check ("ok" or "FAIL" and what came back) and a final
 * "N passed, N failed"; exits 0 only when every check passed.
 * tests/test_c_client.py builds and runs it.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tee_client_api.h>
#include <test_ta.h>

#define SHM_SIZE 64
#define LARGE_SIZE (100 * 1024) /* more than travels inline */
#define PANIC_CODE 0x0badc0deu

static unsigned int n_passed;
static unsigned int n_failed;

static const TEEC_UUID test_uuid = TA_TEST_UUID;

/* One line per check; `fmt` says what came back, printed on failure. */
static bool expect(bool ok, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static bool expect(bool ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		n_passed++;
		printf("ok   %s\n", name);
	} else {
		n_failed++;
		printf("FAIL %s: ", name);
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf("\n");
	}
	fflush(stdout);
	return ok;
}

static bool expect_result(const char *name, TEEC_Result res, uint32_t origin,
			  TEEC_Result want, uint32_t want_origin)
{
	return expect(res == want && origin == want_origin, name,
		      "result 0x%08x origin %u, expected 0x%08x origin %u",
		      (unsigned int)res, (unsigned int)origin,
		      (unsigned int)want, (unsigned int)want_origin);
}

static void clear_op(TEEC_Operation *op, uint32_t types)
{
	memset(op, 0, sizeof(*op));
	op->paramTypes = types;
}

/* How many commands the session has invoked (SESSION_INFO counts itself). */
static uint32_t session_invokes(TEEC_Session *sess)
{
	TEEC_Operation op;
	uint32_t origin = 0;

	clear_op(&op, TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE,
				       TEEC_NONE));
	if (TEEC_InvokeCommand(sess, TA_TEST_CMD_SESSION_INFO, &op, &origin))
		return UINT32_MAX;
	return op.params[0].value.b;
}

/* ------------------------------------------------------------ values */

static void check_values(TEEC_Session *sess)
{
	TEEC_Operation op;
	uint32_t origin = 0;
	TEEC_Result res = TEEC_SUCCESS;

	clear_op(&op, TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT,
				       TEEC_NONE, TEEC_NONE));
	op.params[0].value.a = 0xffffffffu;
	op.params[0].value.b = 2;
	op.params[1].value.a = 77;
	op.params[1].value.b = 77;
	res = TEEC_InvokeCommand(sess, TA_TEST_CMD_VALUE_ADD, &op, &origin);
	expect_result("VALUE_INPUT/VALUE_OUTPUT: VALUE_ADD succeeds, origin TA",
		      res, origin, TEEC_SUCCESS, TEEC_ORIGIN_TRUSTED_APP);
	expect(op.params[1].value.a == 1 && op.params[1].value.b == 0xfffffffdu,
	       "VALUE_OUTPUT: a = a + b mod 2^32, b = a ^ b",
	       "got a=0x%x b=0x%x", (unsigned int)op.params[1].value.a,
	       (unsigned int)op.params[1].value.b);
	expect(op.params[0].value.a == 0xffffffffu && op.params[0].value.b == 2,
	       "VALUE_INPUT: left as it was", "got a=0x%x b=0x%x",
	       (unsigned int)op.params[0].value.a,
	       (unsigned int)op.params[0].value.b);

	clear_op(&op, TEEC_PARAM_TYPES(TEEC_VALUE_INOUT, TEEC_NONE, TEEC_NONE,
				       TEEC_NONE));
	op.params[0].value.a = 10;
	op.params[0].value.b = 0xffffffffu;
	res = TEEC_InvokeCommand(sess, TA_TEST_CMD_VALUE_INC, &op, &origin);
	expect(res == TEEC_SUCCESS && op.params[0].value.a == 11 &&
	       op.params[0].value.b == 1,
	       "VALUE_INOUT: VALUE_INC gives a+1, b+2 mod 2^32",
	       "result 0x%08x a=%u b=%u", (unsigned int)res,
	       (unsigned int)op.params[0].value.a,
	       (unsigned int)op.params[0].value.b);
}

/* --------------------------------------------------- temporary memrefs */

static void check_temp(TEEC_Session *sess)
{
	TEEC_Operation op;
	uint32_t origin = 0;
	TEEC_Result res = TEEC_SUCCESS;
	uint8_t in[100];
	uint8_t out[64];
	char text[] = "abcdef";
	bool same = true;

	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(i + 1);
	clear_op(&op, TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT,
				       TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE));
	op.params[0].tmpref.buffer = in;
	op.params[0].tmpref.size = sizeof(in);
	res = TEEC_InvokeCommand(sess, TA_TEST_CMD_MEMREF_SUM, &op, &origin);
	expect(res == TEEC_SUCCESS && op.params[1].value.a == 5050 &&
	       op.params[1].value.b == 100,
	       "MEMREF_TEMP_INPUT: the TA sums 1..100 to 5050 over 100 bytes",
	       "result 0x%08x sum %u size %u", (unsigned int)res,
	       (unsigned int)op.params[1].value.a,
	       (unsigned int)op.params[1].value.b);

	clear_op(&op, TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT,
				       TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE));
	op.params[0].tmpref.buffer = NULL;
	op.params[0].tmpref.size = 0;
	op.params[1].value.a = 99;
	op.params[1].value.b = 99;
	res = TEEC_InvokeCommand(sess, TA_TEST_CMD_MEMREF_SUM, &op, &origin);
	expect(res == TEEC_SUCCESS && op.params[1].value.a == 0 &&
	       op.params[1].value.b == 0,
	       "NULL temp memref (buffer NULL, size 0) reaches the TA as empty",
	       "result 0x%08x origin %u sum %u size %u", (unsigned int)res,
	       (unsigned int)origin, (unsigned int)op.params[1].value.a,
	       (unsigned int)op.params[1].value.b);

	memset(out, 0, sizeof(out));
	clear_op(&op, TEEC_PARAM_TYPES(TEEC_VALUE_INPUT,
				       TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE,
				       TEEC_NONE));
	op.params[0].value.a = 0x1ab; /* the TA uses the low 8 bits */
	op.params[1].tmpref.buffer = out;
	op.params[1].tmpref.size = sizeof(out);
	res = TEEC_InvokeCommand(sess, TA_TEST_CMD_MEMREF_FILL, &op, &origin);
	for (size_t i = 0; i < sizeof(out); i++)
		same = same && out[i] == 0xab;
	expect(res == TEEC_SUCCESS && same && op.params[1].tmpref.size == 64,
	       "MEMREF_TEMP_OUTPUT: MEMREF_FILL writes 64 bytes of 0xab",
	       "result 0x%08x size %zu first byte 0x%02x", (unsigned int)res,
	       op.params[1].tmpref.size, out[0]);

	clear_op(&op, TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INOUT, TEEC_NONE,
				       TEEC_NONE, TEEC_NONE));
	op.params[0].tmpref.buffer = text;
	op.params[0].tmpref.size = 6;
	res = TEEC_InvokeCommand(sess, TA_TEST_CMD_MEMREF_REVERSE, &op, &origin);
	expect(res == TEEC_SUCCESS && memcmp(text, "fedcba", 7) == 0 &&
	       op.params[0].tmpref.size == 6,
	       "MEMREF_TEMP_INOUT: MEMREF_REVERSE reverses in place",
	       "result 0x%08x text \"%s\" size %zu", (unsigned int)res, text,
	       op.params[0].tmpref.size);
}

static void check_large_temp(TEEC_Session *sess)
{
	TEEC_Operation op;
	uint32_t origin = 0;
	TEEC_Result res = TEEC_SUCCESS;
	uint8_t *buf = malloc(LARGE_SIZE);
	size_t bad = LARGE_SIZE;

	if (!expect(buf != NULL, "large temp memref: allocate 100 KiB",
		    "malloc failed"))
		return;
	for (size_t i = 0; i < LARGE_SIZE; i++)
		buf[i] = (uint8_t)(i * 7);
	clear_op(&op, TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INOUT, TEEC_NONE,
				       TEEC_NONE, TEEC_NONE));
	op.params[0].tmpref.buffer = buf;
	op.params[0].tmpref.size = LARGE_SIZE;
	res = TEEC_InvokeCommand(sess, TA_TEST_CMD_MEMREF_REVERSE, &op, &origin);
	for (size_t i = 0; i < LARGE_SIZE && bad == LARGE_SIZE; i++)
		if (buf[i] != (uint8_t)((LARGE_SIZE - 1 - i) * 7))
			bad = i;
	expect(res == TEEC_SUCCESS && bad == LARGE_SIZE &&
	       op.params[0].tmpref.size == LARGE_SIZE,
	       "MEMREF_TEMP_INOUT of 100 KiB (not inline) round-trips reversed",
	       "result 0x%08x origin %u size %zu first wrong byte at %zu",
	       (unsigned int)res, (unsigned int)origin,
	       op.params[0].tmpref.size, bad);
	free(buf);
}

static void check_all_types(TEEC_Session *sess)
{
	TEEC_Operation op;
	uint32_t origin = 0;
	TEEC_Result res = TEEC_SUCCESS;
	uint8_t src[10] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	uint8_t dst[4] = { 0 };
	uint8_t io[3] = { 0x00, 0x0f, 0xff };

	clear_op(&op, TEEC_PARAM_TYPES(TEEC_VALUE_INOUT, TEEC_MEMREF_TEMP_INPUT,
				       TEEC_MEMREF_TEMP_OUTPUT,
				       TEEC_MEMREF_TEMP_INOUT));
	op.params[0].value.a = 5;
	op.params[0].value.b = 7;
	op.params[1].tmpref.buffer = src;
	op.params[1].tmpref.size = sizeof(src);
	op.params[2].tmpref.buffer = dst;
	op.params[2].tmpref.size = sizeof(dst);
	op.params[3].tmpref.buffer = io;
	op.params[3].tmpref.size = sizeof(io);
	res = TEEC_InvokeCommand(sess, TA_TEST_CMD_ALL_TYPES, &op, &origin);
	expect(res == TEEC_SUCCESS && op.params[0].value.a == 10 &&
	       op.params[0].value.b == 12 && op.params[2].tmpref.size == 4 &&
	       memcmp(dst, src, 4) == 0 && io[0] == 0xff && io[1] == 0xf0 &&
	       io[2] == 0x00 && op.params[3].tmpref.size == 3,
	       "four parameters at once: VALUE_INOUT, TEMP_INPUT, TEMP_OUTPUT, TEMP_INOUT",
	       "result 0x%08x a=%u b=%u out size %zu out %u,%u,%u,%u io %02x%02x%02x",
	       (unsigned int)res, (unsigned int)op.params[0].value.a,
	       (unsigned int)op.params[0].value.b, op.params[2].tmpref.size,
	       dst[0], dst[1], dst[2], dst[3], io[0], io[1], io[2]);
}

/* -------------------------------------------------------- short buffer */

static void check_short_buffer(TEEC_Session *sess)
{
	TEEC_Operation op;
	uint32_t origin = 0;
	TEEC_Result res = TEEC_SUCCESS;
	uint8_t buf[100];
	bool pattern = true;

	memset(buf, 0xee, sizeof(buf));
	clear_op(&op, TEEC_PARAM_TYPES(TEEC_VALUE_INPUT,
				       TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE,
				       TEEC_NONE));
	op.params[0].value.a = 100;
	op.params[1].tmpref.buffer = buf;
	op.params[1].tmpref.size = 10;
	res = TEEC_InvokeCommand(sess, TA_TEST_CMD_SHORT_BUFFER, &op, &origin);
	expect_result("short buffer: TEEC_ERROR_SHORT_BUFFER, origin TA", res,
		      origin, TEEC_ERROR_SHORT_BUFFER, TEEC_ORIGIN_TRUSTED_APP);
	expect(op.params[1].tmpref.size == 100,
	       "short buffer: the needed size (100) is written back",
	       "size %zu", op.params[1].tmpref.size);
	expect(buf[10] == 0xee, "short buffer: nothing written past the buffer",
	       "byte 10 is 0x%02x", buf[10]);

	op.params[1].tmpref.size = sizeof(buf);
	res = TEEC_InvokeCommand(sess, TA_TEST_CMD_SHORT_BUFFER, &op, &origin);
	for (size_t i = 0; i < sizeof(buf); i++)
		pattern = pattern && buf[i] == (uint8_t)i;
	expect(res == TEEC_SUCCESS && pattern &&
	       op.params[1].tmpref.size == 100,
	       "short buffer: retried with the written-back size, it succeeds",
	       "result 0x%08x size %zu", (unsigned int)res,
	       op.params[1].tmpref.size);

	clear_op(&op, TEEC_PARAM_TYPES(TEEC_VALUE_INPUT,
				       TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE,
				       TEEC_NONE));
	op.params[0].value.a = 33;
	op.params[1].tmpref.buffer = NULL;
	op.params[1].tmpref.size = 0;
	res = TEEC_InvokeCommand(sess, TA_TEST_CMD_SHORT_BUFFER, &op, &origin);
	expect(res == TEEC_ERROR_SHORT_BUFFER &&
	       origin == TEEC_ORIGIN_TRUSTED_APP &&
	       op.params[1].tmpref.size == 33,
	       "NULL temp output as a size query: SHORT_BUFFER and size 33",
	       "result 0x%08x origin %u size %zu", (unsigned int)res,
	       (unsigned int)origin, op.params[1].tmpref.size);
}

/* -------------------------------------------------------- shared memory */

static void fill_pattern(uint8_t *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(i + 1);
}

static bool is_reversed(const uint8_t *buf, size_t len, size_t from,
			size_t count)
{
	for (size_t i = 0; i < len; i++) {
		uint8_t want = (uint8_t)(i + 1);

		if (i >= from && i < from + count)
			want = (uint8_t)(from + count - 1 - (i - from) + 1);
		if (buf[i] != want)
			return false;
	}
	return true;
}

/* A block of SHM_SIZE bytes, allocated or registered over `own`. */
static TEEC_Result new_block(TEEC_Context *ctx, TEEC_SharedMemory *shm,
			     bool registered, uint8_t *own, uint32_t flags)
{
	memset(shm, 0, sizeof(*shm));
	shm->size = SHM_SIZE;
	shm->flags = flags;
	if (!registered)
		return TEEC_AllocateSharedMemory(ctx, shm);
	shm->buffer = own;
	return TEEC_RegisterSharedMemory(ctx, shm);
}

static void check_whole(TEEC_Context *ctx, TEEC_Session *sess, bool registered)
{
	const char *kind = registered ? "registered" : "allocated";
	TEEC_SharedMemory shm;
	TEEC_Operation op;
	uint8_t own[SHM_SIZE];
	char name[160];
	uint32_t origin = 0;
	TEEC_Result res = TEEC_SUCCESS;
	uint8_t *buf = NULL;
	bool filled = true;

	res = new_block(ctx, &shm, registered, own,
			TEEC_MEM_INPUT | TEEC_MEM_OUTPUT);
	snprintf(name, sizeof(name), "%s shared memory (IN|OUT, %d bytes)",
		 kind, SHM_SIZE);
	if (!expect(res == TEEC_SUCCESS && shm.buffer != NULL, name,
		    "result 0x%08x", (unsigned int)res))
		return;
	buf = shm.buffer;
	fill_pattern(buf, SHM_SIZE);
	clear_op(&op, TEEC_PARAM_TYPES(TEEC_MEMREF_WHOLE, TEEC_NONE, TEEC_NONE,
				       TEEC_NONE));
	op.params[0].memref.parent = &shm;
	res = TEEC_InvokeCommand(sess, TA_TEST_CMD_MEMREF_REVERSE, &op, &origin);
	snprintf(name, sizeof(name),
		 "MEMREF_WHOLE on %s IN|OUT memory: the TA reverses it in place",
		 kind);
	expect(res == TEEC_SUCCESS && is_reversed(buf, SHM_SIZE, 0, SHM_SIZE) &&
	       op.params[0].memref.size == SHM_SIZE,
	       name, "result 0x%08x origin %u size %zu first byte %u",
	       (unsigned int)res, (unsigned int)origin,
	       op.params[0].memref.size, buf[0]);
	TEEC_ReleaseSharedMemory(&shm);

	/* WHOLE takes its direction from the flags: output only here. */
	memset(own, 0x11, sizeof(own));
	res = new_block(ctx, &shm, registered, own, TEEC_MEM_OUTPUT);
	if (!expect(res == TEEC_SUCCESS, "output-only shared memory",
		    "result 0x%08x", (unsigned int)res))
		return;
	buf = shm.buffer;
	memset(buf, 0x11, SHM_SIZE);
	clear_op(&op, TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_MEMREF_WHOLE,
				       TEEC_NONE, TEEC_NONE));
	op.params[0].value.a = 0x5c;
	op.params[1].memref.parent = &shm;
	res = TEEC_InvokeCommand(sess, TA_TEST_CMD_MEMREF_FILL, &op, &origin);
	for (size_t i = 0; i < SHM_SIZE; i++)
		filled = filled && buf[i] == 0x5c;
	snprintf(name, sizeof(name),
		 "MEMREF_WHOLE on %s OUT memory is a MEMREF_OUTPUT for the TA",
		 kind);
	expect(res == TEEC_SUCCESS && filled &&
	       op.params[1].memref.size == SHM_SIZE,
	       name, "result 0x%08x origin %u size %zu first byte 0x%02x",
	       (unsigned int)res, (unsigned int)origin,
	       op.params[1].memref.size, buf[0]);
	TEEC_ReleaseSharedMemory(&shm);
}

static void check_partial(TEEC_Context *ctx, TEEC_Session *sess,
			  bool registered)
{
	const char *kind = registered ? "registered" : "allocated";
	TEEC_SharedMemory shm;
	TEEC_Operation op;
	uint8_t own[SHM_SIZE];
	char name[160];
	uint32_t origin = 0;
	uint32_t want_sum = 0;
	TEEC_Result res = TEEC_SUCCESS;
	uint8_t *buf = NULL;
	bool ok = true;

	res = new_block(ctx, &shm, registered, own,
			TEEC_MEM_INPUT | TEEC_MEM_OUTPUT);
	snprintf(name, sizeof(name), "%s shared memory for partial references",
		 kind);
	if (!expect(res == TEEC_SUCCESS, name, "result 0x%08x",
		    (unsigned int)res))
		return;
	buf = shm.buffer;

	/* PARTIAL_INPUT [10, 30): bytes 11..30 sum to 410. */
	fill_pattern(buf, SHM_SIZE);
	for (uint32_t i = 10; i < 30; i++)
		want_sum += i + 1;
	clear_op(&op, TEEC_PARAM_TYPES(TEEC_MEMREF_PARTIAL_INPUT,
				       TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE));
	op.params[0].memref.parent = &shm;
	op.params[0].memref.offset = 10;
	op.params[0].memref.size = 20;
	res = TEEC_InvokeCommand(sess, TA_TEST_CMD_MEMREF_SUM, &op, &origin);
	snprintf(name, sizeof(name),
		 "MEMREF_PARTIAL_INPUT at offset 10, size 20 of %s memory", kind);
	expect(res == TEEC_SUCCESS && op.params[1].value.a == want_sum &&
	       op.params[1].value.b == 20,
	       name, "result 0x%08x sum %u (want %u) size %u",
	       (unsigned int)res, (unsigned int)op.params[1].value.a,
	       (unsigned int)want_sum, (unsigned int)op.params[1].value.b);

	/* PARTIAL_OUTPUT [16, 24): only those bytes change. */
	memset(buf, 0x11, SHM_SIZE);
	clear_op(&op, TEEC_PARAM_TYPES(TEEC_VALUE_INPUT,
				       TEEC_MEMREF_PARTIAL_OUTPUT, TEEC_NONE,
				       TEEC_NONE));
	op.params[0].value.a = 0xee;
	op.params[1].memref.parent = &shm;
	op.params[1].memref.offset = 16;
	op.params[1].memref.size = 8;
	res = TEEC_InvokeCommand(sess, TA_TEST_CMD_MEMREF_FILL, &op, &origin);
	for (size_t i = 0; i < SHM_SIZE; i++)
		ok = ok && buf[i] == ((i >= 16 && i < 24) ? 0xee : 0x11);
	snprintf(name, sizeof(name),
		 "MEMREF_PARTIAL_OUTPUT at offset 16, size 8 of %s memory changes only those bytes",
		 kind);
	expect(res == TEEC_SUCCESS && ok && op.params[1].memref.size == 8,
	       name, "result 0x%08x size %zu bytes 15,16,23,24 = %02x %02x %02x %02x",
	       (unsigned int)res, op.params[1].memref.size, buf[15], buf[16],
	       buf[23], buf[24]);

	/* PARTIAL_INOUT [5, 15): that slice reversed, the rest intact. */
	fill_pattern(buf, SHM_SIZE);
	clear_op(&op, TEEC_PARAM_TYPES(TEEC_MEMREF_PARTIAL_INOUT, TEEC_NONE,
				       TEEC_NONE, TEEC_NONE));
	op.params[0].memref.parent = &shm;
	op.params[0].memref.offset = 5;
	op.params[0].memref.size = 10;
	res = TEEC_InvokeCommand(sess, TA_TEST_CMD_MEMREF_REVERSE, &op, &origin);
	snprintf(name, sizeof(name),
		 "MEMREF_PARTIAL_INOUT at offset 5, size 10 of %s memory reverses that slice",
		 kind);
	expect(res == TEEC_SUCCESS && is_reversed(buf, SHM_SIZE, 5, 10) &&
	       op.params[0].memref.size == 10,
	       name, "result 0x%08x size %zu bytes 4..6 = %u %u %u",
	       (unsigned int)res, op.params[0].memref.size, buf[4], buf[5],
	       buf[6]);

	/* PARTIAL_OUTPUT too small: the needed size comes back. */
	clear_op(&op, TEEC_PARAM_TYPES(TEEC_VALUE_INPUT,
				       TEEC_MEMREF_PARTIAL_OUTPUT, TEEC_NONE,
				       TEEC_NONE));
	op.params[0].value.a = 50;
	op.params[1].memref.parent = &shm;
	op.params[1].memref.offset = 4;
	op.params[1].memref.size = 10;
	res = TEEC_InvokeCommand(sess, TA_TEST_CMD_SHORT_BUFFER, &op, &origin);
	snprintf(name, sizeof(name),
		 "short MEMREF_PARTIAL_OUTPUT of %s memory: SHORT_BUFFER, size 50 written back",
		 kind);
	expect(res == TEEC_ERROR_SHORT_BUFFER &&
	       origin == TEEC_ORIGIN_TRUSTED_APP &&
	       op.params[1].memref.size == 50,
	       name, "result 0x%08x origin %u size %zu", (unsigned int)res,
	       (unsigned int)origin, op.params[1].memref.size);
	TEEC_ReleaseSharedMemory(&shm);
}

/* ------------------------------------------------------- open session */

static void check_open_with_operation(TEEC_Context *ctx)
{
	TEEC_Session sess;
	TEEC_Operation op;
	uint32_t origin = 0;
	TEEC_Result res = TEEC_SUCCESS;

	clear_op(&op, TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT,
				       TEEC_NONE, TEEC_NONE));
	op.params[0].value.a = 0;
	res = TEEC_OpenSession(ctx, &sess, &test_uuid, TEEC_LOGIN_PUBLIC, NULL,
			       &op, &origin);
	expect_result("OpenSession with an operation (p0 a = 0) succeeds, origin TA",
		      res, origin, TEEC_SUCCESS, TEEC_ORIGIN_TRUSTED_APP);
	expect(op.params[1].value.a == TA_TEST_OPEN_MAGIC &&
	       op.params[1].value.b == TEEC_LOGIN_PUBLIC,
	       "OpenSession writes back p1: the magic and the login",
	       "a=0x%x b=%u", (unsigned int)op.params[1].value.a,
	       (unsigned int)op.params[1].value.b);
	if (res == TEEC_SUCCESS) {
		expect(session_invokes(&sess) == 1,
		       "the session opened with an operation takes commands",
		       "SESSION_INFO failed or counted wrong");
		TEEC_CloseSession(&sess);
	}

	clear_op(&op, TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT,
				       TEEC_NONE, TEEC_NONE));
	op.params[0].value.a = TEEC_ERROR_ACCESS_DENIED;
	res = TEEC_OpenSession(ctx, &sess, &test_uuid, TEEC_LOGIN_PUBLIC, NULL,
			       &op, &origin);
	expect_result("OpenSession refused by the TA: its result, origin TA", res,
		      origin, TEEC_ERROR_ACCESS_DENIED, TEEC_ORIGIN_TRUSTED_APP);
	expect(op.params[1].value.a == TA_TEST_OPEN_MAGIC,
	       "a refused OpenSession still writes back its output values",
	       "a=0x%x", (unsigned int)op.params[1].value.a);

	clear_op(&op, TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE,
				       TEEC_NONE));
	res = TEEC_OpenSession(ctx, &sess, &test_uuid, TEEC_LOGIN_PUBLIC, NULL,
			       &op, &origin);
	expect_result("OpenSession with parameter types the TA refuses: BAD_PARAMETERS, origin TA",
		      res, origin, TEEC_ERROR_BAD_PARAMETERS,
		      TEEC_ORIGIN_TRUSTED_APP);
}

/* --------------------------------------------------- origins and misuse */

static void check_origins(TEEC_Session *sess)
{
	TEEC_Operation op;
	uint32_t origin = 0;
	TEEC_Result res = TEEC_SUCCESS;

	clear_op(&op, 0);
	res = TEEC_InvokeCommand(sess, 0x7777, &op, &origin);
	expect_result("unknown command: NOT_SUPPORTED, origin TA", res, origin,
		      TEEC_ERROR_NOT_SUPPORTED, TEEC_ORIGIN_TRUSTED_APP);

	clear_op(&op, TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE,
				       TEEC_NONE));
	res = TEEC_InvokeCommand(sess, TA_TEST_CMD_NULL, &op, &origin);
	expect_result("parameter types the TA refuses: BAD_PARAMETERS, origin TA",
		      res, origin, TEEC_ERROR_BAD_PARAMETERS,
		      TEEC_ORIGIN_TRUSTED_APP);

	res = TEEC_InvokeCommand(sess, TA_TEST_CMD_NULL, NULL, &origin);
	expect_result("NULL operation: no parameters, success, origin TA", res,
		      origin, TEEC_SUCCESS, TEEC_ORIGIN_TRUSTED_APP);

	res = TEEC_InvokeCommand(sess, TA_TEST_CMD_NULL, NULL, NULL);
	expect(res == TEEC_SUCCESS, "NULL returnOrigin is allowed",
	       "result 0x%08x", (unsigned int)res);
}

static void check_bad_arguments(TEEC_Context *ctx, TEEC_Session *sess)
{
	static const uint32_t bad_nibbles[] = { 0x4, 0x8, 0x9, 0xa, 0xb };
	TEEC_SharedMemory shm;
	TEEC_SharedMemory zeroed;
	TEEC_Session other;
	TEEC_Operation op;
	char name[160];
	uint32_t origin = 0;
	uint32_t before = 0;
	uint32_t after = 0;
	TEEC_Result res = TEEC_SUCCESS;

	res = TEEC_InitializeContext(NULL, NULL);
	expect(res == TEEC_ERROR_BAD_PARAMETERS,
	       "InitializeContext with a NULL context: BAD_PARAMETERS",
	       "result 0x%08x", (unsigned int)res);

	origin = 0;
	res = TEEC_OpenSession(NULL, &other, &test_uuid, TEEC_LOGIN_PUBLIC,
			       NULL, NULL, &origin);
	expect_result("OpenSession with a NULL context: BAD_PARAMETERS, origin API",
		      res, origin, TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_API);

	origin = 0;
	res = TEEC_OpenSession(ctx, NULL, &test_uuid, TEEC_LOGIN_PUBLIC, NULL,
			       NULL, &origin);
	expect_result("OpenSession with a NULL session: BAD_PARAMETERS, origin API",
		      res, origin, TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_API);

	memset(&shm, 0, sizeof(shm));
	shm.size = SHM_SIZE;
	shm.flags = TEEC_MEM_INPUT;
	res = TEEC_AllocateSharedMemory(NULL, &shm);
	expect(res == TEEC_ERROR_BAD_PARAMETERS,
	       "AllocateSharedMemory with a NULL context: BAD_PARAMETERS",
	       "result 0x%08x", (unsigned int)res);

	origin = 0;
	res = TEEC_InvokeCommand(NULL, TA_TEST_CMD_NULL, NULL, &origin);
	expect_result("InvokeCommand with a NULL session: BAD_PARAMETERS, origin API",
		      res, origin, TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_API);

	for (size_t k = 0; k < sizeof(bad_nibbles) / sizeof(bad_nibbles[0]); k++) {
		before = session_invokes(sess);
		clear_op(&op, TEEC_PARAM_TYPES(bad_nibbles[k], TEEC_NONE,
					       TEEC_NONE, TEEC_NONE));
		origin = 0;
		res = TEEC_InvokeCommand(sess, TA_TEST_CMD_NULL, &op, &origin);
		after = session_invokes(sess);
		snprintf(name, sizeof(name),
			 "invalid parameter type 0x%x: BAD_PARAMETERS, origin API, TA not called",
			 (unsigned int)bad_nibbles[k]);
		expect(res == TEEC_ERROR_BAD_PARAMETERS &&
		       origin == TEEC_ORIGIN_API && after == before + 1, name,
		       "result 0x%08x origin %u, TA commands %u then %u",
		       (unsigned int)res, (unsigned int)origin,
		       (unsigned int)before, (unsigned int)after);
	}

	res = new_block(ctx, &shm, false, NULL, TEEC_MEM_INPUT | TEEC_MEM_OUTPUT);
	if (expect(res == TEEC_SUCCESS, "shared memory for out-of-bounds checks",
		   "result 0x%08x", (unsigned int)res)) {
		static const struct {
			uint32_t type;
			size_t offset;
			size_t size;
		} cases[] = {
			{ TEEC_MEMREF_PARTIAL_INPUT, 60, 8 },
			{ TEEC_MEMREF_PARTIAL_OUTPUT, SHM_SIZE + 1, 0 },
			{ TEEC_MEMREF_PARTIAL_INOUT, 1, SHM_SIZE },
			{ TEEC_MEMREF_PARTIAL_INOUT, SIZE_MAX, 2 },
		};

		for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
			before = session_invokes(sess);
			clear_op(&op, TEEC_PARAM_TYPES(cases[k].type, TEEC_NONE,
						       TEEC_NONE, TEEC_NONE));
			op.params[0].memref.parent = &shm;
			op.params[0].memref.offset = cases[k].offset;
			op.params[0].memref.size = cases[k].size;
			origin = 0;
			res = TEEC_InvokeCommand(sess, TA_TEST_CMD_TOUCH, &op,
						 &origin);
			after = session_invokes(sess);
			snprintf(name, sizeof(name),
				 "partial type 0x%x offset %zu size %zu of a %d-byte block: BAD_PARAMETERS, origin API, TA not called",
				 (unsigned int)cases[k].type, cases[k].offset,
				 cases[k].size, SHM_SIZE);
			expect(res == TEEC_ERROR_BAD_PARAMETERS &&
			       origin == TEEC_ORIGIN_API && after == before + 1,
			       name,
			       "result 0x%08x origin %u, TA commands %u then %u",
			       (unsigned int)res, (unsigned int)origin,
			       (unsigned int)before, (unsigned int)after);
		}
		TEEC_ReleaseSharedMemory(&shm);
	}

	res = new_block(ctx, &shm, false, NULL, TEEC_MEM_INPUT);
	if (expect(res == TEEC_SUCCESS, "input-only shared memory",
		   "result 0x%08x", (unsigned int)res)) {
		clear_op(&op, TEEC_PARAM_TYPES(TEEC_VALUE_INPUT,
					       TEEC_MEMREF_PARTIAL_OUTPUT,
					       TEEC_NONE, TEEC_NONE));
		op.params[1].memref.parent = &shm;
		op.params[1].memref.size = 8;
		origin = 0;
		res = TEEC_InvokeCommand(sess, TA_TEST_CMD_MEMREF_FILL, &op,
					 &origin);
		expect_result("PARTIAL_OUTPUT on input-only memory: BAD_PARAMETERS, origin API",
			      res, origin, TEEC_ERROR_BAD_PARAMETERS,
			      TEEC_ORIGIN_API);
		TEEC_ReleaseSharedMemory(&shm);
	}

	/* A live block must survive releasing a zeroed struct and NULL. */
	res = new_block(ctx, &shm, false, NULL, TEEC_MEM_INPUT | TEEC_MEM_OUTPUT);
	if (expect(res == TEEC_SUCCESS, "shared memory kept across harmless releases",
		   "result 0x%08x", (unsigned int)res)) {
		memset(&zeroed, 0, sizeof(zeroed));
		TEEC_ReleaseSharedMemory(&zeroed);
		TEEC_ReleaseSharedMemory(NULL);
		TEEC_CloseSession(NULL);
		memset(shm.buffer, 0, SHM_SIZE);
		clear_op(&op, TEEC_PARAM_TYPES(TEEC_MEMREF_WHOLE, TEEC_NONE,
					       TEEC_NONE, TEEC_NONE));
		op.params[0].memref.parent = &shm;
		res = TEEC_InvokeCommand(sess, TA_TEST_CMD_TOUCH, &op, &origin);
		expect(res == TEEC_SUCCESS &&
		       ((uint8_t *)shm.buffer)[0] == 1 &&
		       ((uint8_t *)shm.buffer)[SHM_SIZE - 1] == 1,
		       "ReleaseSharedMemory on a zeroed struct and on NULL, CloseSession(NULL): harmless",
		       "the live block then gave 0x%08x origin %u", (unsigned int)res,
		       (unsigned int)origin);
		TEEC_ReleaseSharedMemory(&shm);
	}
}

/* --------------------------------------------------- unknown and dead */

static void check_unknown_ta(TEEC_Context *ctx)
{
	const TEEC_UUID unknown = {
		0x0badbeef, 0x1234, 0x4567,
		{ 0x89, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67 } };
	TEEC_Session sess;
	uint32_t origin = 0;
	TEEC_Result res = TEEC_SUCCESS;

	res = TEEC_OpenSession(ctx, &sess, &unknown, TEEC_LOGIN_PUBLIC, NULL,
			       NULL, &origin);
	expect_result("OpenSession on an unknown UUID: ITEM_NOT_FOUND, origin TEE",
		      res, origin, TEEC_ERROR_ITEM_NOT_FOUND, TEEC_ORIGIN_TEE);
	if (res == TEEC_SUCCESS)
		TEEC_CloseSession(&sess);
}

static void check_panic(TEEC_Context *ctx, TEEC_Session *survivor)
{
	TEEC_Session sess;
	TEEC_Operation op;
	uint32_t origin = 0;
	TEEC_Result res = TEEC_SUCCESS;

	res = TEEC_OpenSession(ctx, &sess, &test_uuid, TEEC_LOGIN_PUBLIC, NULL,
			       NULL, &origin);
	if (!expect_result("a second session for the panic", res, origin,
			   TEEC_SUCCESS, TEEC_ORIGIN_TRUSTED_APP))
		return;
	clear_op(&op, TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE,
				       TEEC_NONE));
	op.params[0].value.a = PANIC_CODE;
	res = TEEC_InvokeCommand(&sess, TA_TEST_CMD_PANIC, &op, &origin);
	expect_result("TEE_Panic in the TA: TARGET_DEAD, origin TEE", res, origin,
		      TEEC_ERROR_TARGET_DEAD, TEEC_ORIGIN_TEE);
	origin = 0;
	res = TEEC_InvokeCommand(&sess, TA_TEST_CMD_NULL, NULL, &origin);
	expect_result("after the panic the session stays TARGET_DEAD, origin TEE",
		      res, origin, TEEC_ERROR_TARGET_DEAD, TEEC_ORIGIN_TEE);
	origin = 0;
	res = TEEC_InvokeCommand(&sess, TA_TEST_CMD_NULL, NULL, &origin);
	expect_result("... and again (sticky)", res, origin,
		      TEEC_ERROR_TARGET_DEAD, TEEC_ORIGIN_TEE);
	TEEC_CloseSession(&sess);

	res = TEEC_InvokeCommand(survivor, TA_TEST_CMD_NULL, NULL, &origin);
	expect_result("another instance of the same TA lives on", res, origin,
		      TEEC_SUCCESS, TEEC_ORIGIN_TRUSTED_APP);
	res = TEEC_OpenSession(ctx, &sess, &test_uuid, TEEC_LOGIN_PUBLIC, NULL,
			       NULL, &origin);
	if (res == TEEC_SUCCESS) {
		res = TEEC_InvokeCommand(&sess, TA_TEST_CMD_NULL, NULL, &origin);
		TEEC_CloseSession(&sess);
	}
	expect_result("after a panic a new session gets a fresh instance", res,
		      origin, TEEC_SUCCESS, TEEC_ORIGIN_TRUSTED_APP);
}

int main(void)
{
	TEEC_Context ctx;
	TEEC_Session sess;
	uint32_t origin = 0;
	TEEC_Result res = TEEC_SUCCESS;

	setvbuf(stdout, NULL, _IOLBF, 0);
	memset(&ctx, 0, sizeof(ctx));
	memset(&sess, 0, sizeof(sess));
	res = TEEC_InitializeContext(NULL, &ctx);
	if (!expect(res == TEEC_SUCCESS, "InitializeContext(NULL) succeeds",
		    "result 0x%08x", (unsigned int)res))
		goto done;
	res = TEEC_OpenSession(&ctx, &sess, &test_uuid, TEEC_LOGIN_PUBLIC,
			       NULL, NULL, &origin);
	if (!expect_result("OpenSession without an operation succeeds, origin TA",
			   res, origin, TEEC_SUCCESS, TEEC_ORIGIN_TRUSTED_APP)) {
		TEEC_FinalizeContext(&ctx);
		goto done;
	}

	check_values(&sess);
	check_temp(&sess);
	check_large_temp(&sess);
	check_all_types(&sess);
	check_short_buffer(&sess);
	check_whole(&ctx, &sess, false);
	check_whole(&ctx, &sess, true);
	check_partial(&ctx, &sess, false);
	check_partial(&ctx, &sess, true);
	check_open_with_operation(&ctx);
	check_origins(&sess);
	check_bad_arguments(&ctx, &sess);
	check_unknown_ta(&ctx);
	check_panic(&ctx, &sess);

	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
done:
	printf("%u passed, %u failed\n", n_passed, n_failed);
	return n_failed == 0 && n_passed > 0 ? 0 : 1;
}
