// SPDX-License-Identifier: BSD-2-Clause
/*
 * GP TEE Internal Core API v1.3.1, chapter 8 (TEE Arithmetical API): the
 * TEE_BigInt layout, initialisation, conversion, logical and basic
 * operations.  arith_mod.c has the modular and other operations,
 * arith_fmm.c fast modular multiplication.
 *
 * A TEE_BigInt is an array of TEE_BigIntSizeInU32(bits) uint32_t that the
 * TA allocates; GP fixes only its size, a two-word header plus the
 * magnitude.  pytee's layout:
 *   word 0    sign: 0 for zero and positive values, 1 for negative ones
 *   word 1    bits 0-15: words of magnitude the array has room for
 *             (len - 2); bits 16-31: words in use, the top one non-zero
 *   word 2..  the magnitude, least significant word first
 * The math runs on OpenSSL BIGNUMs: a function loads all its operands,
 * computes, then stores its results, so a destination may be an operand.
 *
 * Facts from OP-TEE (lib/libutee/tee_api_arith_mpi.c) followed here:
 * - TEE_BigIntInit panics above CFG_TA_BIGNUM_MAX_BITS / 4 words (512
 *   with gpd.tee.arith.maxBigIntSize 2048), so values up to 16320 bits
 *   (products of large operands) can be held;
 * - a result that does not fit its destination panics, except where GP
 *   gives TEE_ERROR_OVERFLOW: ConvertFromOctetString, ConvertToS32,
 *   SetBit, Assign and Abs, which then leave the destination unchanged;
 * - ConvertToOctetString writes the magnitude in the fewest octets (none
 *   for zero); the sign is not represented;
 * - ShiftRight, GetBit, GetBitCount and SetBit work on the magnitude and
 *   keep the sign (-5 >> 1 is -2);
 * - Div rounds the quotient toward zero and gives the remainder the sign
 *   of the dividend; dest_q or dest_r may be NULL; a zero divisor panics;
 * - every panic of the arithmetic uses code 0xB16127 ("BIGINT").
 * Differences: len < 2 panics in TEE_BigIntInit (OP-TEE writes past the
 * array), and an array whose header TEE_BigIntInit cannot have written
 * panics (OP-TEE reads it as it is).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/crypto.h>

#include <tee_internal_api.h>

#include "api.h"
#include "libtee_internal.h"

#define ARITH_PANIC_CODE	0xB16127U

/* gpd.tee.arith.maxBigIntSize, as properties.c announces it */
#define ARITH_MAX_BITS		2048U
#define HDR_WORDS		2U
/* TEE_BigIntInit limit in words, header included, as OP-TEE */
#define MAX_LEN			(ARITH_MAX_BITS / 4)
#define MAX_WORDS		(MAX_LEN - HDR_WORDS)	/* of magnitude */
#define SIGN_NEGATIVE		1U

_Static_assert(TEE_BigIntSizeInU32(ARITH_MAX_BITS) <= MAX_LEN,
	       "the largest announced TEE_BigInt can be initialised");
_Static_assert(MAX_WORDS <= 0xffffU, "word counts fit in 16 bits");

void arith_panic(const char *func, const char *why)
{
	trace_printf(func, 0, TRACE_ERROR, true, "%s", why);
	rt_panic(ARITH_PANIC_CODE);
}

void arith_check(int ok, const char *func)
{
	if (ok != 1)
		arith_panic(func, "OpenSSL bignum operation failed");
}

struct bignum_ctx *arith_begin(const char *func)
{
	BN_CTX *ctx = BN_CTX_new();

	if (!ctx)
		arith_panic(func, "out of memory");
	BN_CTX_start(ctx);
	return ctx;
}

struct bignum_st *arith_var(struct bignum_ctx *ctx, const char *func)
{
	BIGNUM *v = BN_CTX_get(ctx);

	if (!v)
		arith_panic(func, "out of memory");
	return v;
}

void arith_end(struct bignum_ctx *ctx)
{
	BN_CTX_end(ctx);
	BN_CTX_free(ctx);	/* clears the BIGNUMs it frees */
}

static uint32_t words_alloc(const TEE_BigInt *a)
{
	return a[1] & 0xffffU;
}

static uint32_t words_used(const TEE_BigInt *a)
{
	return a[1] >> 16;
}

/* Panics unless a has a header that TEE_BigIntInit or a store wrote. */
static void check_bigint(const TEE_BigInt *a, const char *func)
{
	if (!a)
		arith_panic(func, "NULL TEE_BigInt");
	if (a[0] > SIGN_NEGATIVE || words_alloc(a) > MAX_WORDS ||
	    words_used(a) > words_alloc(a))
		arith_panic(func, "not an initialised TEE_BigInt");
}

void arith_load(struct bignum_st *out, const TEE_BigInt *a, const char *func)
{
	uint8_t le[MAX_WORDS * 4] = { 0 };
	size_t used = 0;

	check_bigint(a, func);
	used = words_used(a);
	for (size_t i = 0; i < used; i++) {
		uint32_t w = a[HDR_WORDS + i];

		le[4 * i] = (uint8_t)w;
		le[4 * i + 1] = (uint8_t)(w >> 8);
		le[4 * i + 2] = (uint8_t)(w >> 16);
		le[4 * i + 3] = (uint8_t)(w >> 24);
	}
	if (!BN_lebin2bn(le, (int)(used * 4), out))
		arith_panic(func, "out of memory");
	OPENSSL_cleanse(le, used * 4);
	BN_set_negative(out, a[0] == SIGN_NEGATIVE); /* ignored for zero */
}

void arith_load_modulus(struct bignum_st *out, const TEE_BigInt *n,
			const char *func)
{
	arith_load(out, n, func);
	if (BN_is_negative(out) || BN_num_bits(out) < 2)
		arith_panic(func, "modulus below 2");
}

bool arith_store(TEE_BigInt *dest, const struct bignum_st *v,
		 const char *func)
{
	uint8_t le[MAX_WORDS * 4] = { 0 };
	size_t alloc = 0;
	size_t words = 0;
	bool ok = false;

	check_bigint(dest, func);
	alloc = words_alloc(dest);
	words = ((size_t)BN_num_bytes(v) + 3) / 4;
	if (words > alloc)
		goto out;
	if (BN_bn2lebinpad(v, le, (int)(words * 4)) < 0)
		arith_panic(func, "cannot convert a BIGNUM");
	for (size_t i = 0; i < alloc; i++) {
		const uint8_t *p = le + 4 * i;

		/* also clears the words no longer in use */
		dest[HDR_WORDS + i] = i >= words ? 0 :
			(uint32_t)p[0] | (uint32_t)p[1] << 8 |
			(uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
	}
	OPENSSL_cleanse(le, words * 4);
	dest[0] = BN_is_negative(v) && !BN_is_zero(v) ? SIGN_NEGATIVE : 0;
	dest[1] = (uint32_t)alloc | (uint32_t)words << 16;
	ok = true;
out:
	return ok;
}

void arith_result(TEE_BigInt *dest, const struct bignum_st *v,
		  const char *func)
{
	if (!arith_store(dest, v, func))
		arith_panic(func, "the result does not fit its destination");
}

/* out = s, exactly (-2^31 included). */
static void load_s32(BIGNUM *out, int32_t s, const char *func)
{
	uint32_t magnitude = s < 0 ? 0U - (uint32_t)s : (uint32_t)s;

	arith_check(BN_set_word(out, magnitude), func);
	BN_set_negative(out, s < 0);
}

/* -1, 0 or 1 from a comparison result of any size. */
static int32_t sign_of(int cmp)
{
	return (cmp > 0) - (cmp < 0);
}

/* ---------------------------------------------------- initialisation */

TEE_API void TEE_BigIntInit(TEE_BigInt *bigInt, size_t len)
{
	if (!bigInt)
		arith_panic(__func__, "NULL TEE_BigInt");
	if (len < HDR_WORDS || len > MAX_LEN)
		arith_panic(__func__, "len outside 2..512 words");
	memset(bigInt, 0, len * sizeof(uint32_t));
	bigInt[1] = (uint32_t)(len - HDR_WORDS);
}

/* -------------------------------------------------------- conversion */

TEE_API TEE_Result TEE_BigIntConvertFromOctetString(TEE_BigInt *dest,
						    const uint8_t *buffer,
						    size_t bufferLen,
						    int32_t sign)
{
	TEE_Result res = TEE_SUCCESS;
	BN_CTX *ctx = arith_begin(__func__);
	BIGNUM *v = arith_var(ctx, __func__);
	size_t skip = 0;

	check_bigint(dest, __func__);
	if (!buffer && bufferLen)
		arith_panic(__func__, "NULL buffer");
	while (skip < bufferLen && !buffer[skip])
		skip++;
	/* bounded before OpenSSL sees the length */
	if (bufferLen - skip > (size_t)words_alloc(dest) * 4) {
		res = TEE_ERROR_OVERFLOW;
		goto out;
	}
	if (bufferLen > skip &&
	    !BN_bin2bn(buffer + skip, (int)(bufferLen - skip), v))
		arith_panic(__func__, "out of memory");
	BN_set_negative(v, sign < 0);
	arith_result(dest, v, __func__);
out:
	arith_end(ctx);
	return res;
}

TEE_API TEE_Result TEE_BigIntConvertToOctetString(uint8_t *buffer,
						  size_t *bufferLen,
						  const TEE_BigInt *bigInt)
{
	TEE_Result res = TEE_SUCCESS;
	BN_CTX *ctx = arith_begin(__func__);
	BIGNUM *v = arith_var(ctx, __func__);
	size_t need = 0;

	if (!bufferLen)
		arith_panic(__func__, "NULL bufferLen");
	arith_load(v, bigInt, __func__);
	need = (size_t)BN_num_bytes(v);
	if (need > *bufferLen) {
		res = TEE_ERROR_SHORT_BUFFER;
	} else if (need) {
		if (!buffer)
			arith_panic(__func__, "NULL buffer");
		BN_bn2bin(v, buffer);
	}
	*bufferLen = need;
	arith_end(ctx);
	return res;
}

TEE_API void TEE_BigIntConvertFromS32(TEE_BigInt *dest, int32_t shortVal)
{
	BN_CTX *ctx = arith_begin(__func__);
	BIGNUM *v = arith_var(ctx, __func__);

	load_s32(v, shortVal, __func__);
	arith_result(dest, v, __func__);
	arith_end(ctx);
}

TEE_API TEE_Result TEE_BigIntConvertToS32(int32_t *dest, const TEE_BigInt *src)
{
	TEE_Result res = TEE_ERROR_OVERFLOW;
	BN_CTX *ctx = arith_begin(__func__);
	BIGNUM *v = arith_var(ctx, __func__);
	uint64_t magnitude = 0;

	if (!dest)
		arith_panic(__func__, "NULL dest");
	arith_load(v, src, __func__);
	if (BN_num_bits(v) > 32)
		goto out;
	magnitude = BN_get_word(v);
	if (BN_is_negative(v) && magnitude <= UINT64_C(0x80000000)) {
		*dest = (int32_t)(-(int64_t)magnitude);
		res = TEE_SUCCESS;
	} else if (!BN_is_negative(v) && magnitude <= INT32_MAX) {
		*dest = (int32_t)magnitude;
		res = TEE_SUCCESS;
	}
out:
	arith_end(ctx);
	return res;
}

/* ---------------------------------------------------------- logical */

TEE_API int32_t TEE_BigIntCmp(const TEE_BigInt *op1, const TEE_BigInt *op2)
{
	BN_CTX *ctx = arith_begin(__func__);
	BIGNUM *a = arith_var(ctx, __func__);
	BIGNUM *b = arith_var(ctx, __func__);
	int32_t ret = 0;

	arith_load(a, op1, __func__);
	arith_load(b, op2, __func__);
	ret = sign_of(BN_cmp(a, b));
	arith_end(ctx);
	return ret;
}

TEE_API int32_t TEE_BigIntCmpS32(const TEE_BigInt *op, int32_t shortVal)
{
	BN_CTX *ctx = arith_begin(__func__);
	BIGNUM *a = arith_var(ctx, __func__);
	BIGNUM *b = arith_var(ctx, __func__);
	int32_t ret = 0;

	arith_load(a, op, __func__);
	load_s32(b, shortVal, __func__);
	ret = sign_of(BN_cmp(a, b));
	arith_end(ctx);
	return ret;
}

TEE_API void TEE_BigIntShiftRight(TEE_BigInt *dest, const TEE_BigInt *op,
				  size_t bits)
{
	BN_CTX *ctx = arith_begin(__func__);
	BIGNUM *a = arith_var(ctx, __func__);
	BIGNUM *r = arith_var(ctx, __func__);

	arith_load(a, op, __func__);
	/* r stays zero when every bit goes (bits may not fit in an int) */
	if (bits < (size_t)BN_num_bits(a))
		arith_check(BN_rshift(r, a, (int)bits), __func__);
	arith_result(dest, r, __func__);
	arith_end(ctx);
}

TEE_API bool TEE_BigIntGetBit(const TEE_BigInt *src, uint32_t bitIndex)
{
	BN_CTX *ctx = arith_begin(__func__);
	BIGNUM *a = arith_var(ctx, __func__);
	bool ret = false;

	arith_load(a, src, __func__);
	if (bitIndex < (uint32_t)BN_num_bits(a))
		ret = BN_is_bit_set(a, (int)bitIndex);
	arith_end(ctx);
	return ret;
}

TEE_API uint32_t TEE_BigIntGetBitCount(const TEE_BigInt *src)
{
	BN_CTX *ctx = arith_begin(__func__);
	BIGNUM *a = arith_var(ctx, __func__);
	uint32_t ret = 0;

	arith_load(a, src, __func__);
	ret = (uint32_t)BN_num_bits(a);
	arith_end(ctx);
	return ret;
}

/*
 * Sets or clears a bit of |op|.  TEE_ERROR_OVERFLOW when setting a bit op
 * has no room for; clearing a bit above the value changes nothing.
 */
TEE_API TEE_Result TEE_BigIntSetBit(TEE_BigInt *op, uint32_t bitIndex,
				    bool value)
{
	TEE_Result res = TEE_SUCCESS;
	BN_CTX *ctx = arith_begin(__func__);
	BIGNUM *a = arith_var(ctx, __func__);

	arith_load(a, op, __func__);
	if (value) {
		if (bitIndex >= words_alloc(op) * 32) {
			res = TEE_ERROR_OVERFLOW;
			goto out;
		}
		arith_check(BN_set_bit(a, (int)bitIndex), __func__);
	} else if (bitIndex < (uint32_t)BN_num_bits(a)) {
		arith_check(BN_clear_bit(a, (int)bitIndex), __func__);
	}
	arith_result(op, a, __func__);
out:
	arith_end(ctx);
	return res;
}

/* dest = src, or |src| when abs; TEE_ERROR_OVERFLOW if it does not fit. */
static TEE_Result assign(TEE_BigInt *dest, const TEE_BigInt *src, bool abs,
			 const char *func)
{
	TEE_Result res = TEE_SUCCESS;
	BN_CTX *ctx = arith_begin(func);
	BIGNUM *v = arith_var(ctx, func);

	arith_load(v, src, func);
	if (abs)
		BN_set_negative(v, 0);
	if (!arith_store(dest, v, func))
		res = TEE_ERROR_OVERFLOW;
	arith_end(ctx);
	return res;
}

TEE_API TEE_Result TEE_BigIntAssign(TEE_BigInt *dest, const TEE_BigInt *src)
{
	return assign(dest, src, false, __func__);
}

TEE_API TEE_Result TEE_BigIntAbs(TEE_BigInt *dest, const TEE_BigInt *src)
{
	return assign(dest, src, true, __func__);
}

/* ------------------------------------------------------------ basic */

enum basic_op { BASIC_ADD, BASIC_SUB, BASIC_MUL };

static void basic(TEE_BigInt *dest, const TEE_BigInt *op1,
		  const TEE_BigInt *op2, enum basic_op op, const char *func)
{
	BN_CTX *ctx = arith_begin(func);
	BIGNUM *a = arith_var(ctx, func);
	BIGNUM *b = arith_var(ctx, func);
	BIGNUM *r = arith_var(ctx, func);
	int ok = 0;

	arith_load(a, op1, func);
	arith_load(b, op2, func);
	switch (op) {
	case BASIC_ADD:
		ok = BN_add(r, a, b);
		break;
	case BASIC_SUB:
		ok = BN_sub(r, a, b);
		break;
	case BASIC_MUL:
		ok = BN_mul(r, a, b, ctx);
		break;
	}
	arith_check(ok, func);
	arith_result(dest, r, func);
	arith_end(ctx);
}

TEE_API void TEE_BigIntAdd(TEE_BigInt *dest, const TEE_BigInt *op1,
			   const TEE_BigInt *op2)
{
	basic(dest, op1, op2, BASIC_ADD, __func__);
}

TEE_API void TEE_BigIntSub(TEE_BigInt *dest, const TEE_BigInt *op1,
			   const TEE_BigInt *op2)
{
	basic(dest, op1, op2, BASIC_SUB, __func__);
}

TEE_API void TEE_BigIntMul(TEE_BigInt *dest, const TEE_BigInt *op1,
			   const TEE_BigInt *op2)
{
	basic(dest, op1, op2, BASIC_MUL, __func__);
}

TEE_API void TEE_BigIntSquare(TEE_BigInt *dest, const TEE_BigInt *op)
{
	basic(dest, op, op, BASIC_MUL, __func__);
}

TEE_API void TEE_BigIntNeg(TEE_BigInt *dest, const TEE_BigInt *op)
{
	BN_CTX *ctx = arith_begin(__func__);
	BIGNUM *v = arith_var(ctx, __func__);

	arith_load(v, op, __func__);
	BN_set_negative(v, !BN_is_negative(v));
	arith_result(dest, v, __func__);
	arith_end(ctx);
}

TEE_API void TEE_BigIntDiv(TEE_BigInt *dest_q, TEE_BigInt *dest_r,
			   const TEE_BigInt *op1, const TEE_BigInt *op2)
{
	BN_CTX *ctx = arith_begin(__func__);
	BIGNUM *a = arith_var(ctx, __func__);
	BIGNUM *b = arith_var(ctx, __func__);
	BIGNUM *q = arith_var(ctx, __func__);
	BIGNUM *r = arith_var(ctx, __func__);

	arith_load(a, op1, __func__);
	arith_load(b, op2, __func__);
	if (BN_is_zero(b))
		arith_panic(__func__, "division by zero");
	arith_check(BN_div(q, r, a, b, ctx), __func__);
	if (dest_q)
		arith_result(dest_q, q, __func__);
	if (dest_r)
		arith_result(dest_r, r, __func__);
	arith_end(ctx);
}
