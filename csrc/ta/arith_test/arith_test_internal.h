/* SPDX-License-Identifier: BSD-2-Clause */
/* What the files of the arith_test TA share (see include/arith_test_ta.h). */
#ifndef ARITH_TEST_INTERNAL_H
#define ARITH_TEST_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <tee_internal_api.h>

#define MAX_OPERANDS	3
#define MAX_ALLOCS	12

/* One big integer command: its operands, arguments and results. */
struct call {
	uint32_t cmd;
	TEE_BigInt *op[MAX_OPERANDS];	/* TEE_Malloc'd */
	size_t nops;
	uint32_t bits;		/* p2 a: size of each result */
	uint32_t arg;		/* p2 b */
	uint32_t flags;		/* p3 in a */
	const uint8_t *raw;	/* FROM_OCTETS: p0, copied */
	size_t raw_len;
	uint8_t *out;		/* p1 */
	size_t out_cap;
	size_t out_len;		/* needed so far; above out_cap: short */
	uint32_t ret_a;		/* p3 out */
	uint32_t ret_b;
	void *mem[MAX_ALLOCS];	/* TEE_Malloc'd, freed with the call */
	size_t nmem;
};

/* bigint_io.c */
TEE_Result bigint_command(uint32_t cmd, uint32_t pt, TEE_Param params[4]);
/* size zero-filled bytes owned by c (a panic when out of memory). */
void *call_alloc(struct call *c, size_t size);
/* A zero TEE_BigInt of TEE_BigIntSizeInU32(bits) words owned by c. */
TEE_BigInt *call_bigint(struct call *c, size_t bits);
/* x appended to the results (sign octet, length, magnitude). */
void call_emit(struct call *c, const TEE_BigInt *x);
/* Raw octets appended to the results. */
void call_emit_raw(struct call *c, const void *data, size_t len);

/* bigint_cmds.c: how many operands cmd takes; -1 for an unknown cmd. */
int bigint_operands(uint32_t cmd);
/* Runs c->cmd on parsed operands. */
TEE_Result bigint_run(struct call *c);

/* time_cmds.c: TEE_ERROR_NOT_SUPPORTED for a cmd that is not a time one. */
TEE_Result time_command(uint32_t cmd, uint32_t pt, TEE_Param params[4]);

#endif /* ARITH_TEST_INTERNAL_H */
