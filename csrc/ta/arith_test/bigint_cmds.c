// SPDX-License-Identifier: BSD-2-Clause
/*
 * The arith_test TA: the big integer commands, one GP Arithmetical API
 * function each (see include/arith_test_ta.h).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <tee_internal_api.h>

#include <arith_test_ta.h>

#include "arith_test_internal.h"

int bigint_operands(uint32_t cmd)
{
	switch (cmd) {
	case TA_ARITH_CMD_FROM_OCTETS:
	case TA_ARITH_CMD_FROM_S32:
	case TA_ARITH_CMD_INIT:
		return 0;
	case TA_ARITH_CMD_TO_OCTETS:
	case TA_ARITH_CMD_TO_S32:
	case TA_ARITH_CMD_CMP_S32:
	case TA_ARITH_CMD_SHIFT_RIGHT:
	case TA_ARITH_CMD_GET_BIT:
	case TA_ARITH_CMD_GET_BIT_COUNT:
	case TA_ARITH_CMD_SET_BIT:
	case TA_ARITH_CMD_ASSIGN:
	case TA_ARITH_CMD_ABS:
	case TA_ARITH_CMD_NEG:
	case TA_ARITH_CMD_SQUARE:
	case TA_ARITH_CMD_IS_PROBABLE_PRIME:
		return 1;
	case TA_ARITH_CMD_CMP:
	case TA_ARITH_CMD_ADD:
	case TA_ARITH_CMD_SUB:
	case TA_ARITH_CMD_MUL:
	case TA_ARITH_CMD_DIV:
	case TA_ARITH_CMD_MOD:
	case TA_ARITH_CMD_SQUARE_MOD:
	case TA_ARITH_CMD_INV_MOD:
	case TA_ARITH_CMD_RELATIVE_PRIME:
	case TA_ARITH_CMD_EXTENDED_GCD:
		return 2;
	case TA_ARITH_CMD_ADD_MOD:
	case TA_ARITH_CMD_SUB_MOD:
	case TA_ARITH_CMD_MUL_MOD:
	case TA_ARITH_CMD_EXP_MOD:
	case TA_ARITH_CMD_FMM:
		return 3;
	default:
		return -1;
	}
}

/* Where a result goes: the first operand with ALIAS, else a new one. */
static TEE_BigInt *dest(struct call *c)
{
	if (c->flags & TA_ARITH_FLAG_ALIAS)
		return c->op[0];
	return call_bigint(c, c->bits);
}

/* A result TEE_BigInt, or NULL when flag asks for NULL. */
static TEE_BigInt *dest_or_null(struct call *c, uint32_t flag)
{
	return (c->flags & flag) ? NULL : call_bigint(c, c->bits);
}

static void from_octets(struct call *c)
{
	TEE_BigInt *x = call_bigint(c, c->bits);

	c->ret_a = TEE_BigIntConvertFromOctetString(x, c->raw, c->raw_len,
						    (int32_t)c->flags);
	if (c->ret_a == TEE_SUCCESS)
		call_emit(c, x);
}

static void to_octets(struct call *c)
{
	uint8_t *buf = c->arg ? call_alloc(c, c->arg) : NULL;
	size_t len = c->arg;

	c->ret_a = TEE_BigIntConvertToOctetString(buf, &len, c->op[0]);
	c->ret_b = (uint32_t)len;
	if (c->ret_a == TEE_SUCCESS)
		call_emit_raw(c, buf, len);
}

static void to_s32(struct call *c)
{
	int32_t v = 0;

	c->ret_a = TEE_BigIntConvertToS32(&v, c->op[0]);
	c->ret_b = (uint32_t)v;
}

/* Unary and binary operations with one result. */
static void simple(struct call *c)
{
	TEE_BigInt *r = dest(c);
	TEE_BigInt **op = c->op;

	switch (c->cmd) {
	case TA_ARITH_CMD_FROM_S32:
		TEE_BigIntConvertFromS32(r, (int32_t)c->arg);
		break;
	case TA_ARITH_CMD_SHIFT_RIGHT:
		TEE_BigIntShiftRight(r, op[0], c->arg);
		break;
	case TA_ARITH_CMD_NEG:
		TEE_BigIntNeg(r, op[0]);
		break;
	case TA_ARITH_CMD_ADD:
		TEE_BigIntAdd(r, op[0], op[1]);
		break;
	case TA_ARITH_CMD_SUB:
		TEE_BigIntSub(r, op[0], op[1]);
		break;
	case TA_ARITH_CMD_MUL:
		TEE_BigIntMul(r, op[0], op[1]);
		break;
	case TA_ARITH_CMD_SQUARE:
		TEE_BigIntSquare(r, op[0]);
		break;
	case TA_ARITH_CMD_MOD:
		TEE_BigIntMod(r, op[0], op[1]);
		break;
	case TA_ARITH_CMD_ADD_MOD:
		TEE_BigIntAddMod(r, op[0], op[1], op[2]);
		break;
	case TA_ARITH_CMD_SUB_MOD:
		TEE_BigIntSubMod(r, op[0], op[1], op[2]);
		break;
	case TA_ARITH_CMD_MUL_MOD:
		TEE_BigIntMulMod(r, op[0], op[1], op[2]);
		break;
	case TA_ARITH_CMD_SQUARE_MOD:
		TEE_BigIntSquareMod(r, op[0], op[1]);
		break;
	case TA_ARITH_CMD_INV_MOD:
		TEE_BigIntInvMod(r, op[0], op[1]);
		break;
	default:
		TEE_Panic(TEE_ERROR_GENERIC);	/* a bug in this TA */
	}
	call_emit(c, r);
}

/* ASSIGN and ABS: the copy only when it succeeds. */
static void copy(struct call *c)
{
	TEE_BigInt *r = call_bigint(c, c->bits);

	if (c->cmd == TA_ARITH_CMD_ABS)
		c->ret_a = TEE_BigIntAbs(r, c->op[0]);
	else
		c->ret_a = TEE_BigIntAssign(r, c->op[0]);
	if (c->ret_a == TEE_SUCCESS)
		call_emit(c, r);
}

static void divide(struct call *c)
{
	TEE_BigInt *q = NULL;
	TEE_BigInt *r = dest_or_null(c, TA_ARITH_FLAG_NULL_2);

	if (!(c->flags & TA_ARITH_FLAG_NULL_1))
		q = dest(c);
	TEE_BigIntDiv(q, r, c->op[0], c->op[1]);
	if (q)
		call_emit(c, q);
	if (r)
		call_emit(c, r);
}

static void exp_mod(struct call *c)
{
	TEE_BigIntFMMContext *ctx = NULL;
	TEE_BigInt *r = dest(c);
	size_t n_bits = TEE_BigIntGetBitCount(c->op[2]);
	size_t ctx_len = TEE_BigIntFMMContextSizeInU32(n_bits);

	if (c->flags & TA_ARITH_FLAG_FMM_CONTEXT) {
		ctx = call_alloc(c, ctx_len * sizeof(uint32_t));
		c->ret_a = TEE_BigIntInitFMMContext1(ctx, ctx_len, c->op[2]);
		if (c->ret_a != TEE_SUCCESS)
			return;
	}
	c->ret_a = TEE_BigIntExpMod(r, c->op[0], c->op[1], c->op[2], ctx);
	if (c->ret_a == TEE_SUCCESS)
		call_emit(c, r);
}

static void extended_gcd(struct call *c)
{
	TEE_BigInt *g = call_bigint(c, c->bits);
	TEE_BigInt *u = dest_or_null(c, TA_ARITH_FLAG_NULL_1);
	TEE_BigInt *v = dest_or_null(c, TA_ARITH_FLAG_NULL_2);

	TEE_BigIntComputeExtendedGcd(g, u, v, c->op[0], c->op[1]);
	call_emit(c, g);
	if (u)
		call_emit(c, u);
	if (v)
		call_emit(c, v);
}

static TEE_BigIntFMM *fmm_number(struct call *c, size_t len)
{
	TEE_BigIntFMM *x = call_alloc(c, len * sizeof(uint32_t));

	TEE_BigIntInitFMM(x, len);
	return x;
}

static void fmm(struct call *c)
{
	const TEE_BigInt *n = c->op[2];
	bool old_init = c->flags & TA_ARITH_FLAG_OLD_CONTEXT;
	size_t n_bits = TEE_BigIntGetBitCount(n);
	size_t len = TEE_BigIntFMMSizeInU32(n_bits);
	size_t ctx_len = TEE_BigIntFMMContextSizeInU32(n_bits);
	TEE_BigIntFMMContext *ctx = call_alloc(c, ctx_len * sizeof(uint32_t));
	TEE_BigIntFMM *fx = fmm_number(c, len);
	TEE_BigIntFMM *fy = fmm_number(c, len);
	TEE_BigIntFMM *fr = fmm_number(c, len);
	TEE_BigInt *x = call_bigint(c, c->bits);
	TEE_BigInt *r = call_bigint(c, c->bits);

	c->ret_a = (uint32_t)len;
	c->ret_b = (uint32_t)ctx_len;
	if (old_init)
		TEE_BigIntInitFMMContext(ctx, ctx_len, n);
	else if (TEE_BigIntInitFMMContext1(ctx, ctx_len, n))
		TEE_Panic(TEE_ERROR_GENERIC);
	TEE_BigIntConvertToFMM(fx, c->op[0], n, ctx);
	TEE_BigIntConvertToFMM(fy, c->op[1], n, ctx);
	TEE_BigIntComputeFMM(fr, fx, fy, n, ctx);
	TEE_BigIntConvertFromFMM(x, fx, n, ctx);
	TEE_BigIntConvertFromFMM(r, fr, n, ctx);
	call_emit(c, x);
	call_emit(c, r);
}

static TEE_Result init(struct call *c)
{
	/* at least one word, so that a too small len reaches TEE_BigIntInit */
	size_t words = c->arg ? c->arg : 1;
	TEE_BigInt *x = call_alloc(c, words * sizeof(uint32_t));
	uint32_t max_bits = 0;
	TEE_Result res = TEE_GetPropertyAsU32(TEE_PROPSET_TEE_IMPLEMENTATION,
					      "gpd.tee.arith.maxBigIntSize",
					      &max_bits);

	if (res)
		return res;
	TEE_BigIntInit(x, c->arg);
	c->ret_a = (uint32_t)TEE_BigIntCmpS32(x, 0);
	c->ret_b = max_bits;
	call_emit(c, x);
	return TEE_SUCCESS;
}

TEE_Result bigint_run(struct call *c)
{
	TEE_BigInt **op = c->op;
	TEE_Result res = TEE_SUCCESS;

	switch (c->cmd) {
	case TA_ARITH_CMD_FROM_OCTETS:
		from_octets(c);
		break;
	case TA_ARITH_CMD_TO_OCTETS:
		to_octets(c);
		break;
	case TA_ARITH_CMD_TO_S32:
		to_s32(c);
		break;
	case TA_ARITH_CMD_CMP:
		c->ret_a = (uint32_t)TEE_BigIntCmp(op[0], op[1]);
		break;
	case TA_ARITH_CMD_CMP_S32:
		c->ret_a = (uint32_t)TEE_BigIntCmpS32(op[0], (int32_t)c->arg);
		break;
	case TA_ARITH_CMD_GET_BIT:
		c->ret_a = TEE_BigIntGetBit(op[0], c->arg);
		break;
	case TA_ARITH_CMD_GET_BIT_COUNT:
		c->ret_a = TEE_BigIntGetBitCount(op[0]);
		break;
	case TA_ARITH_CMD_SET_BIT:
		c->ret_a = TEE_BigIntSetBit(op[0], c->arg, c->flags != 0);
		call_emit(c, op[0]);
		break;
	case TA_ARITH_CMD_ASSIGN:
	case TA_ARITH_CMD_ABS:
		copy(c);
		break;
	case TA_ARITH_CMD_DIV:
		divide(c);
		break;
	case TA_ARITH_CMD_EXP_MOD:
		exp_mod(c);
		break;
	case TA_ARITH_CMD_RELATIVE_PRIME:
		c->ret_a = TEE_BigIntRelativePrime(op[0], op[1]);
		break;
	case TA_ARITH_CMD_EXTENDED_GCD:
		extended_gcd(c);
		break;
	case TA_ARITH_CMD_IS_PROBABLE_PRIME:
		c->ret_a = (uint32_t)TEE_BigIntIsProbablePrime(op[0], c->arg);
		break;
	case TA_ARITH_CMD_FMM:
		fmm(c);
		break;
	case TA_ARITH_CMD_INIT:
		res = init(c);
		break;
	default:
		simple(c);
		break;
	}
	return res;
}
