// SPDX-License-Identifier: BSD-2-Clause
/*
 * GP TEE Internal Core API v1.3.1, 8.2.2-8.2.4 and 8.11 (TEE Arithmetical
 * API: fast modular multiplication).
 *
 * GP leaves the FMM representation to the implementation; a TA only
 * converts into it, multiplies in it and converts back.  As in OP-TEE,
 * the representation of x is x mod n itself, a TEE_BigIntFMM is a
 * TEE_BigInt, and the context holds nothing (one word, so that a TA's
 * allocation for it is not empty): a Montgomery form would need a
 * BN_MONT_CTX per call, as GP gives no function to free one kept in a
 * context, and would gain nothing over BN_mod_mul for a single product.
 *
 * Facts from OP-TEE (lib/libutee/tee_api_arith_mpi.c) followed here:
 * TEE_BigIntFMMSizeInU32 is TEE_BigIntSizeInU32, the context size is 1,
 * TEE_BigIntInitFMMContext1 accepts every modulus (TEE_SUCCESS) and
 * neither it nor TEE_BigIntInitFMMContext reads its arguments; the FMM
 * functions do not read the context.  TEE_BigIntFMMConvertToBigInt is
 * declared by OP-TEE's header (and ours) but defined by neither libutee nor
 * libtee, so a TA that calls it fails to link on both.
 * Difference: TEE_BigIntConvertFromFMM reduces modulo n (OP-TEE copies),
 * which is the same for every value ConvertToFMM or ComputeFMM made.
 */
#include <stddef.h>
#include <stdint.h>

#include <openssl/bn.h>

#include <tee_internal_api.h>

#include "api.h"
#include "libtee_internal.h"

TEE_API size_t TEE_BigIntFMMSizeInU32(size_t modulusSizeInBits)
{
	/* TEE_BigIntSizeInU32() without its overflow near SIZE_MAX */
	return modulusSizeInBits / 32 + (modulusSizeInBits % 32 != 0) + 2;
}

TEE_API size_t TEE_BigIntFMMContextSizeInU32(size_t modulusSizeInBits)
{
	(void)modulusSizeInBits;
	return 1;
}

TEE_API void TEE_BigIntInitFMM(TEE_BigIntFMM *bigIntFMM, size_t len)
{
	TEE_BigIntInit(bigIntFMM, len);
}

TEE_API void TEE_BigIntInitFMMContext(TEE_BigIntFMMContext *context,
				      size_t len, const TEE_BigInt *modulus)
{
	(void)context;
	(void)len;
	(void)modulus;
}

TEE_API TEE_Result TEE_BigIntInitFMMContext1(TEE_BigIntFMMContext *context,
					     size_t len,
					     const TEE_BigInt *modulus)
{
	(void)context;
	(void)len;
	(void)modulus;
	return TEE_SUCCESS;
}

/* dest = src mod n, the FMM representation of src or its value. */
static void reduce(TEE_BigInt *dest, const TEE_BigInt *src,
		   const TEE_BigInt *n, const char *func)
{
	BN_CTX *ctx = arith_begin(func);
	BIGNUM *m = arith_var(ctx, func);
	BIGNUM *a = arith_var(ctx, func);
	BIGNUM *r = arith_var(ctx, func);

	arith_load_modulus(m, n, func);
	arith_load(a, src, func);
	arith_check(BN_nnmod(r, a, m, ctx), func);
	arith_result(dest, r, func);
	arith_end(ctx);
}

TEE_API void TEE_BigIntConvertToFMM(TEE_BigIntFMM *dest, const TEE_BigInt *src,
				    const TEE_BigInt *n,
				    const TEE_BigIntFMMContext *context)
{
	(void)context;
	reduce(dest, src, n, __func__);
}

TEE_API void TEE_BigIntConvertFromFMM(TEE_BigInt *dest,
				      const TEE_BigIntFMM *src,
				      const TEE_BigInt *n,
				      const TEE_BigIntFMMContext *context)
{
	(void)context;
	reduce(dest, src, n, __func__);
}

TEE_API void TEE_BigIntComputeFMM(TEE_BigIntFMM *dest, const TEE_BigIntFMM *op1,
				  const TEE_BigIntFMM *op2, const TEE_BigInt *n,
				  const TEE_BigIntFMMContext *context)
{
	BN_CTX *ctx = arith_begin(__func__);
	BIGNUM *m = arith_var(ctx, __func__);
	BIGNUM *a = arith_var(ctx, __func__);
	BIGNUM *b = arith_var(ctx, __func__);
	BIGNUM *r = arith_var(ctx, __func__);

	(void)context;
	arith_load_modulus(m, n, __func__);
	arith_load(a, op1, __func__);
	arith_load(b, op2, __func__);
	arith_check(BN_mod_mul(r, a, b, m, ctx), __func__);
	arith_result(dest, r, __func__);
	arith_end(ctx);
}
