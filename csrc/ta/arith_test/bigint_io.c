// SPDX-License-Identifier: BSD-2-Clause
/*
 * The arith_test TA: parameters of the big integer commands, operands in
 * and results out (encoding in include/arith_test_ta.h).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <tee_internal_api.h>

#include <arith_test_ta.h>

#include "arith_test_internal.h"

#define ENC_HEADER	5	/* sign octet, 4 octets of length */

void *call_alloc(struct call *c, size_t size)
{
	void *p = NULL;

	if (c->nmem == MAX_ALLOCS)
		TEE_Panic(TEE_ERROR_GENERIC);	/* a bug in this TA */
	p = TEE_Malloc(size, TEE_MALLOC_FILL_ZERO);
	if (!p)
		TEE_Panic(TEE_ERROR_OUT_OF_MEMORY);
	c->mem[c->nmem++] = p;
	return p;
}

TEE_BigInt *call_bigint(struct call *c, size_t bits)
{
	size_t len = TEE_BigIntSizeInU32(bits);
	TEE_BigInt *x = call_alloc(c, len * sizeof(uint32_t));

	TEE_BigIntInit(x, len);
	return x;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* Counts len bytes in the results; true if they fit in p1 there. */
static bool reserve(struct call *c, size_t len)
{
	bool fits = c->out_len <= c->out_cap && len <= c->out_cap - c->out_len;

	c->out_len += len;
	return fits;
}

void call_emit_raw(struct call *c, const void *data, size_t len)
{
	size_t at = c->out_len;

	if (reserve(c, len) && len)
		TEE_MemMove(c->out + at, data, len);
}

void call_emit(struct call *c, const TEE_BigInt *x)
{
	size_t at = c->out_len;
	size_t len = 0;
	TEE_Result res = TEE_BigIntConvertToOctetString(NULL, &len, x);

	/* zero needs no octets; anything else is too long for no buffer */
	if (res != TEE_SUCCESS && res != TEE_ERROR_SHORT_BUFFER)
		TEE_Panic(res);
	if (!reserve(c, ENC_HEADER + len))
		return;
	c->out[at] = TEE_BigIntCmpS32(x, 0) < 0;
	put_be32(c->out + at + 1, (uint32_t)len);
	if (len &&
	    TEE_BigIntConvertToOctetString(c->out + at + ENC_HEADER, &len, x))
		TEE_Panic(TEE_ERROR_GENERIC);
}

/* c->op[] from the copied operands; TEE_ERROR_BAD_PARAMETERS if malformed. */
static TEE_Result parse(struct call *c, const uint8_t *in, size_t len,
			size_t count)
{
	/* SET_BIT and ALIAS write their result over the first operand */
	bool grow = c->cmd == TA_ARITH_CMD_SET_BIT ||
		    (c->flags & TA_ARITH_FLAG_ALIAS);
	TEE_Result res = TEE_SUCCESS;
	size_t pos = 0;

	for (size_t i = 0; i < count; i++) {
		uint32_t n = 0;
		size_t bits = 0;

		if (len - pos < ENC_HEADER || in[pos] > 1)
			return TEE_ERROR_BAD_PARAMETERS;
		n = get_be32(in + pos + 1);
		pos += ENC_HEADER;
		if (n > len - pos || n > TA_ARITH_MAX_BYTES)
			return TEE_ERROR_BAD_PARAMETERS;
		bits = 8 * (size_t)n;
		if (!i && grow && bits < c->bits)
			bits = c->bits;
		c->op[i] = call_bigint(c, bits);
		c->nops++;
		res = TEE_BigIntConvertFromOctetString(c->op[i], in + pos, n,
						       in[pos - ENC_HEADER] ?
						       -1 : 1);
		if (res)
			return res;
		pos += n;
	}
	return pos == len ? TEE_SUCCESS : TEE_ERROR_BAD_PARAMETERS;
}

TEE_Result bigint_command(uint32_t cmd, uint32_t pt, TEE_Param params[4])
{
	const uint32_t expect = TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT,
						TEE_PARAM_TYPE_MEMREF_OUTPUT,
						TEE_PARAM_TYPE_VALUE_INPUT,
						TEE_PARAM_TYPE_VALUE_INOUT);
	struct call c = { .cmd = cmd };
	TEE_Result res = TEE_SUCCESS;
	uint8_t *in = NULL;
	size_t in_len = 0;

	if (pt != expect || params[2].value.a > TA_ARITH_MAX_BITS)
		return TEE_ERROR_BAD_PARAMETERS;
	c.bits = params[2].value.a;
	c.arg = params[2].value.b;
	c.flags = params[3].value.a;
	c.out = params[1].memref.buffer;
	c.out_cap = params[1].memref.size;
	/* a copy: the client may change shared memory while we parse */
	in_len = params[0].memref.size;
	in = TEE_Malloc(in_len, TEE_MALLOC_FILL_ZERO);
	if (!in)
		return TEE_ERROR_OUT_OF_MEMORY;
	TEE_MemMove(in, params[0].memref.buffer, in_len);
	if (cmd == TA_ARITH_CMD_FROM_OCTETS) {
		c.raw = in;
		c.raw_len = in_len;
	} else {
		res = parse(&c, in, in_len, (size_t)bigint_operands(cmd));
	}
	if (!res)
		res = bigint_run(&c);
	if (!res) {
		params[1].memref.size = c.out_len;
		params[3].value.a = c.ret_a;
		params[3].value.b = c.ret_b;
		if (c.out_len > c.out_cap)
			res = TEE_ERROR_SHORT_BUFFER;
	}
	for (size_t i = 0; i < c.nmem; i++)
		TEE_Free(c.mem[i]);
	TEE_Free(in);
	return res;
}
