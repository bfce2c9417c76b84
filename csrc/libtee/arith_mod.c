// SPDX-License-Identifier: BSD-2-Clause
/*
 * GP TEE Internal Core API v1.3.1, 8.8 to 8.10 (TEE Arithmetical API:
 * modular and other operations) on OpenSSL BIGNUMs; arith.c has the
 * TEE_BigInt layout and the helpers.
 *
 * Facts from OP-TEE (lib/libutee/tee_api_arith_mpi.c) followed here:
 * - a modulus below 2 panics; the modular operations take operands of any
 *   size and sign and give a result in [0, n - 1];
 * - TEE_BigIntInvMod panics for op == 0 and when op has no inverse;
 * - TEE_BigIntExpMod panics for n <= 2 and returns TEE_ERROR_NOT_SUPPORTED
 *   for an even n; a negative exponent panics; the FMM context may be NULL
 *   and is not needed (arith_fmm.c keeps nothing in it);
 * - TEE_BigIntRelativePrime and TEE_BigIntIsProbablePrime look at the
 *   magnitudes (-7 is prime here as on OP-TEE);
 * - TEE_BigIntComputeExtendedGcd: gcd = gcd(|op1|, |op2|) and
 *   u * op1 + v * op2 = gcd; u and v may be NULL.
 * Differences: u and v come from Euclid's algorithm, so |u| <= |op2| / gcd
 * and |v| <= |op1| / gcd (OP-TEE's binary algorithm gives other, equally
 * valid, coefficients); TEE_BigIntIsProbablePrime honours confidenceLevel
 * up to PRIME_MAX_CONFIDENCE (OP-TEE ignores it).
 */
#include <stdbool.h>
#include <stdint.h>

#include <openssl/bn.h>

#include <tee_internal_api.h>

#include "api.h"
#include "libtee_internal.h"

/* BN_check_prime errs on at most 2^-128 of the composites it is given. */
#define PRIME_CHECK_CONFIDENCE	128U
/*
 * Above this, TEE_BigIntIsProbablePrime answers -1 ("cannot tell") for a
 * probable prime rather than run an unbounded number of rounds.
 */
#define PRIME_MAX_CONFIDENCE	256U

enum mod_op { MOD_ADD, MOD_SUB, MOD_MUL };

static void mod_binary(TEE_BigInt *dest, const TEE_BigInt *op1,
		       const TEE_BigInt *op2, const TEE_BigInt *n,
		       enum mod_op op, const char *func)
{
	BN_CTX *ctx = arith_begin(func);
	BIGNUM *m = arith_var(ctx, func);
	BIGNUM *a = arith_var(ctx, func);
	BIGNUM *b = arith_var(ctx, func);
	BIGNUM *r = arith_var(ctx, func);
	int ok = 0;

	arith_load_modulus(m, n, func);
	arith_load(a, op1, func);
	arith_load(b, op2, func);
	switch (op) {
	case MOD_ADD:
		ok = BN_mod_add(r, a, b, m, ctx);
		break;
	case MOD_SUB:
		ok = BN_mod_sub(r, a, b, m, ctx);
		break;
	case MOD_MUL:
		ok = BN_mod_mul(r, a, b, m, ctx);
		break;
	}
	arith_check(ok, func);
	arith_result(dest, r, func);
	arith_end(ctx);
}

TEE_API void TEE_BigIntMod(TEE_BigInt *dest, const TEE_BigInt *op,
			   const TEE_BigInt *n)
{
	BN_CTX *ctx = arith_begin(__func__);
	BIGNUM *m = arith_var(ctx, __func__);
	BIGNUM *a = arith_var(ctx, __func__);
	BIGNUM *r = arith_var(ctx, __func__);

	arith_load_modulus(m, n, __func__);
	arith_load(a, op, __func__);
	arith_check(BN_nnmod(r, a, m, ctx), __func__);
	arith_result(dest, r, __func__);
	arith_end(ctx);
}

TEE_API void TEE_BigIntAddMod(TEE_BigInt *dest, const TEE_BigInt *op1,
			      const TEE_BigInt *op2, const TEE_BigInt *n)
{
	mod_binary(dest, op1, op2, n, MOD_ADD, __func__);
}

TEE_API void TEE_BigIntSubMod(TEE_BigInt *dest, const TEE_BigInt *op1,
			      const TEE_BigInt *op2, const TEE_BigInt *n)
{
	mod_binary(dest, op1, op2, n, MOD_SUB, __func__);
}

TEE_API void TEE_BigIntMulMod(TEE_BigInt *dest, const TEE_BigInt *op1,
			      const TEE_BigInt *op2, const TEE_BigInt *n)
{
	mod_binary(dest, op1, op2, n, MOD_MUL, __func__);
}

TEE_API void TEE_BigIntSquareMod(TEE_BigInt *dest, const TEE_BigInt *op,
				 const TEE_BigInt *n)
{
	mod_binary(dest, op, op, n, MOD_MUL, __func__);
}

TEE_API void TEE_BigIntInvMod(TEE_BigInt *dest, const TEE_BigInt *op,
			      const TEE_BigInt *n)
{
	BN_CTX *ctx = arith_begin(__func__);
	BIGNUM *m = arith_var(ctx, __func__);
	BIGNUM *a = arith_var(ctx, __func__);
	BIGNUM *r = arith_var(ctx, __func__);

	arith_load_modulus(m, n, __func__);
	arith_load(a, op, __func__);
	if (BN_is_zero(a))
		arith_panic(__func__, "zero has no inverse");
	if (!BN_mod_inverse(r, a, m, ctx))
		arith_panic(__func__, "op has no inverse modulo n");
	arith_result(dest, r, __func__);
	arith_end(ctx);
}

TEE_API TEE_Result TEE_BigIntExpMod(TEE_BigInt *dest, const TEE_BigInt *op1,
				    const TEE_BigInt *op2, const TEE_BigInt *n,
				    const TEE_BigIntFMMContext *context)
{
	TEE_Result res = TEE_SUCCESS;
	BN_CTX *ctx = arith_begin(__func__);
	BIGNUM *m = arith_var(ctx, __func__);
	BIGNUM *a = arith_var(ctx, __func__);
	BIGNUM *e = arith_var(ctx, __func__);
	BIGNUM *r = arith_var(ctx, __func__);

	(void)context;	/* a context holds nothing: see arith_fmm.c */
	arith_load_modulus(m, n, __func__);
	if (BN_is_word(m, 2))
		arith_panic(__func__, "modulus below 3");
	arith_load(a, op1, __func__);
	arith_load(e, op2, __func__);
	if (BN_is_negative(e))
		arith_panic(__func__, "negative exponent");
	if (!BN_is_odd(m)) {
		res = TEE_ERROR_NOT_SUPPORTED;
		goto out;
	}
	arith_check(BN_nnmod(a, a, m, ctx), __func__);
	/* the exponent may be a private key: take the constant-time path */
	BN_set_flags(e, BN_FLG_CONSTTIME);
	arith_check(BN_mod_exp(r, a, e, m, ctx), __func__);
	arith_result(dest, r, __func__);
out:
	arith_end(ctx);
	return res;
}

TEE_API bool TEE_BigIntRelativePrime(const TEE_BigInt *op1,
				     const TEE_BigInt *op2)
{
	BN_CTX *ctx = arith_begin(__func__);
	BIGNUM *a = arith_var(ctx, __func__);
	BIGNUM *b = arith_var(ctx, __func__);
	BIGNUM *g = arith_var(ctx, __func__);
	bool ret = false;

	arith_load(a, op1, __func__);
	arith_load(b, op2, __func__);
	arith_check(BN_gcd(g, a, b, ctx), __func__);
	ret = BN_is_one(g);
	arith_end(ctx);
	return ret;
}

/* x = y - q * x, keeping y = the old x: one step of a Euclid sequence. */
static void euclid_step(BIGNUM *x, BIGNUM *y, const BIGNUM *q, BIGNUM *tmp,
			BN_CTX *ctx, const char *func)
{
	arith_check(BN_mul(tmp, q, x, ctx), func);
	arith_check(BN_sub(tmp, y, tmp), func);
	BN_swap(y, x);
	BN_swap(x, tmp);
}

static void negate_if(BIGNUM *v, bool negative)
{
	if (negative)
		BN_set_negative(v, !BN_is_negative(v));
}

/*
 * Extended Euclid on |op1| and |op2|: the invariant is
 * r = s * |op1| + t * |op2| for both (r0, s0, t0) and (r1, s1, t1).
 */
TEE_API void TEE_BigIntComputeExtendedGcd(TEE_BigInt *gcd, TEE_BigInt *u,
					  TEE_BigInt *v, const TEE_BigInt *op1,
					  const TEE_BigInt *op2)
{
	BN_CTX *ctx = arith_begin(__func__);
	BIGNUM *a = arith_var(ctx, __func__);
	BIGNUM *b = arith_var(ctx, __func__);
	BIGNUM *r0 = arith_var(ctx, __func__);
	BIGNUM *r1 = arith_var(ctx, __func__);
	BIGNUM *s0 = arith_var(ctx, __func__);
	BIGNUM *s1 = arith_var(ctx, __func__);
	BIGNUM *t0 = arith_var(ctx, __func__);
	BIGNUM *t1 = arith_var(ctx, __func__);
	BIGNUM *q = arith_var(ctx, __func__);
	BIGNUM *tmp = arith_var(ctx, __func__);

	arith_load(a, op1, __func__);
	arith_load(b, op2, __func__);
	if (!BN_copy(r0, a) || !BN_copy(r1, b))
		arith_panic(__func__, "out of memory");
	BN_set_negative(r0, 0);
	BN_set_negative(r1, 0);
	arith_check(BN_one(s0), __func__);	/* s1 = t0 = 0 from arith_var */
	arith_check(BN_one(t1), __func__);
	while (!BN_is_zero(r1)) {
		/* tmp = r0 mod r1, q = r0 / r1; then (r0, r1) = (r1, tmp) */
		arith_check(BN_div(q, tmp, r0, r1, ctx), __func__);
		BN_swap(r0, r1);
		BN_swap(r1, tmp);
		euclid_step(s1, s0, q, tmp, ctx, __func__);
		euclid_step(t1, t0, q, tmp, ctx, __func__);
	}
	negate_if(s0, BN_is_negative(a));
	negate_if(t0, BN_is_negative(b));
	arith_result(gcd, r0, __func__);
	if (u)
		arith_result(u, s0, __func__);
	if (v)
		arith_result(v, t0, __func__);
	arith_end(ctx);
}

/*
 * Miller-Rabin rounds with random bases on n (odd, above 3); each lets
 * through at most a quarter of the composites left.  1 if n passes them
 * all, 0 if one proves n composite.
 */
static int32_t miller_rabin(const BIGNUM *n, uint32_t rounds, BN_CTX *ctx,
			    const char *func)
{
	BIGNUM *n1 = arith_var(ctx, func);	/* n - 1 = d * 2^s, d odd */
	BIGNUM *d = arith_var(ctx, func);
	BIGNUM *range = arith_var(ctx, func);
	BIGNUM *base = arith_var(ctx, func);
	BIGNUM *y = arith_var(ctx, func);
	int32_t ret = 1;
	int s = 1;

	if (!BN_copy(n1, n) || !BN_copy(range, n))
		arith_panic(func, "out of memory");
	arith_check(BN_sub_word(n1, 1), func);
	arith_check(BN_sub_word(range, 3), func);
	while (!BN_is_bit_set(n1, s))
		s++;
	arith_check(BN_rshift(d, n1, s), func);
	for (uint32_t i = 0; i < rounds && ret; i++) {
		/* base in [2, n - 2] */
		arith_check(BN_priv_rand_range(base, range), func);
		arith_check(BN_add_word(base, 2), func);
		arith_check(BN_mod_exp(y, base, d, n, ctx), func);
		if (BN_is_one(y) || !BN_cmp(y, n1))
			continue;
		ret = 0;
		for (int j = 1; j < s && !ret; j++) {
			arith_check(BN_mod_sqr(y, y, n, ctx), func);
			if (BN_is_one(y))
				break;		/* a non-trivial root of 1 */
			ret = !BN_cmp(y, n1);
		}
	}
	return ret;
}

/*
 * 1: probably prime, with an error probability of at most
 * 2^-max(confidenceLevel, 80); 0: composite (always right); -1: a
 * probable prime whose confidenceLevel is above PRIME_MAX_CONFIDENCE.
 */
TEE_API int32_t TEE_BigIntIsProbablePrime(const TEE_BigInt *op,
					  uint32_t confidenceLevel)
{
	BN_CTX *ctx = arith_begin(__func__);
	BIGNUM *n = arith_var(ctx, __func__);
	uint32_t rounds = 0;
	int32_t ret = 0;
	int rc = 0;

	arith_load(n, op, __func__);
	BN_set_negative(n, 0);
	rc = BN_check_prime(n, ctx, NULL);
	if (rc < 0)
		arith_panic(__func__, "OpenSSL primality test failed");
	ret = rc;
	/* 2 and 3 need no more: BN_check_prime is exact for small numbers */
	if (ret != 1 || confidenceLevel <= PRIME_CHECK_CONFIDENCE ||
	    BN_num_bits(n) <= 2)
		goto out;
	rounds = (confidenceLevel - PRIME_CHECK_CONFIDENCE + 1) / 2;
	if (confidenceLevel > PRIME_MAX_CONFIDENCE)
		ret = -1;
	else
		ret = miller_rabin(n, rounds, ctx, __func__);
out:
	arith_end(ctx);
	return ret;
}
