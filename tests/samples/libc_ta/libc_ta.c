// SPDX-License-Identifier: BSD-2-Clause
/*
 * A TA that uses the TA libc subset OP-TEE gives TAs (see
 * include/libc_ta.h for its commands).  It includes only headers that
 * OP-TEE's dev kit has, so it builds with it as with pytee's.
 */
#include <assert.h>
#include <atomic.h>
#include <bisect.h>
#include <bitstring.h>
#include <confine_array_index.h>
#include <ctype.h>
#include <inttypes.h>
#include <limits.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdlib_ext.h>
#include <string.h>
#include <string_ext.h>
#include <unistd.h>
#include <util.h>

#include <tee_internal_api.h>

#include <libc_ta.h>

#include "libc_queue.h"

#define NOT_FOUND	UINT32_MAX

static bool types_are(uint32_t pt, uint32_t p0, uint32_t p1, uint32_t p2,
		      uint32_t p3)
{
	return pt == TEE_PARAM_TYPES(p0, p1, p2, p3);
}

static TEE_Result cmd_format(uint32_t pt, TEE_Param params[4])
{
	uint32_t a = params[0].value.a;
	uint32_t b = params[0].value.b;
	char *out = params[1].memref.buffer;
	int n = 0;

	if (!types_are(pt, TEE_PARAM_TYPE_VALUE_INPUT,
		       TEE_PARAM_TYPE_MEMREF_OUTPUT,
		       TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE) ||
	    !params[1].memref.size)
		return TEE_ERROR_BAD_PARAMETERS;
	n = snprintf(out, params[1].memref.size,
		     "%" PRIu32 "+%" PRIu32 "=%" PRIu32 " %s %08" PRIx32
		     "|%-4d|%5.2s|%c", a, b, a + b, "ok", a, -(int)b, "xyz",
		     'A' + (int)(a % 26));
	if (n < 0)
		return TEE_ERROR_GENERIC;
	params[2].value.a = strlen(out);
	params[1].memref.size = params[2].value.a;
	return TEE_SUCCESS;
}

static int cmp_u32(const void *p1, const void *p2)
{
	uint32_t a = *(const uint32_t *)p1;
	uint32_t b = *(const uint32_t *)p2;

	return (a > b) - (a < b);
}

static TEE_Result cmd_sort(uint32_t pt, TEE_Param params[4])
{
	uint32_t *v = params[0].memref.buffer;
	size_t n = params[0].memref.size / sizeof(uint32_t);

	if (!types_are(pt, TEE_PARAM_TYPE_MEMREF_INOUT,
		       TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_NONE,
		       TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	switch (params[1].value.a) {
	case TA_LIBC_SORT_QSORT:
		qsort(v, n, sizeof(*v), cmp_u32);
		break;
	case TA_LIBC_SORT_QSORT_U32:
		qsort_u32(v, n);
		break;
	case TA_LIBC_SORT_BISECT:
		bisect_sort(v, n, sizeof(*v), cmp_u32);
		break;
	default:
		return TEE_ERROR_BAD_PARAMETERS;
	}
	return TEE_SUCCESS;
}

static TEE_Result cmd_find(uint32_t pt, TEE_Param params[4])
{
	const uint32_t *v = params[0].memref.buffer;
	size_t n = params[0].memref.size / sizeof(uint32_t);
	uint32_t target = params[1].value.a;
	const uint32_t *hit = NULL;

	if (!types_are(pt, TEE_PARAM_TYPE_MEMREF_INPUT,
		       TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_VALUE_OUTPUT,
		       TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	hit = bisect_equal(v, n, sizeof(*v), &target, cmp_u32);
	params[2].value.a = hit != NULL;
	params[2].value.b = hit ? (uint32_t)(hit - v) : NOT_FOUND;
	return TEE_SUCCESS;
}

/* A NUL-terminated copy of an input memref, or NULL when out of memory. */
static char *text_of(const TEE_Param *param)
{
	return strndup(param->memref.buffer, param->memref.size);
}

static TEE_Result cmd_parse(uint32_t pt, TEE_Param params[4])
{
	char *text = NULL;
	char *end = NULL;
	unsigned long v = 0;
	uint32_t digits = 0;
	size_t i = 0;

	if (!types_are(pt, TEE_PARAM_TYPE_MEMREF_INPUT,
		       TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_VALUE_OUTPUT,
		       TEE_PARAM_TYPE_VALUE_OUTPUT))
		return TEE_ERROR_BAD_PARAMETERS;
	text = text_of(&params[0]);
	if (!text)
		return TEE_ERROR_OUT_OF_MEMORY;
	v = strtoul(text, &end, (int)params[1].value.a);
	for (i = 0; text[i]; i++)
		digits += isdigit((unsigned char)text[i]) != 0;
	params[2].value.a = (uint32_t)v;
	params[2].value.b = (uint32_t)((uint64_t)v >> 32);
	params[3].value.a = (uint32_t)(end - text);
	params[3].value.b = digits;
	free(text);
	return TEE_SUCCESS;
}

static TEE_Result cmd_tokens(uint32_t pt, TEE_Param params[4])
{
	char *text = NULL;
	char *save = NULL;
	char *tok = NULL;
	char *out = params[1].memref.buffer;
	size_t size = params[1].memref.size;
	size_t total = 0;
	size_t i = 0;

	if (!types_are(pt, TEE_PARAM_TYPE_MEMREF_INPUT,
		       TEE_PARAM_TYPE_MEMREF_OUTPUT,
		       TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE) ||
	    !size)
		return TEE_ERROR_BAD_PARAMETERS;
	text = text_of(&params[0]);
	if (!text)
		return TEE_ERROR_OUT_OF_MEMORY;
	for (i = 0; text[i]; i++)
		text[i] = (char)toupper((unsigned char)text[i]);
	total = strlcpy(out, "", size);
	for (tok = strtok_r(text, " ,", &save); tok;
	     tok = strtok_r(NULL, " ,", &save)) {
		if (total)
			strlcat(out, "|", size);
		total = strlcat(out, tok, size);
	}
	params[1].memref.size = strlen(out);
	params[2].value.a = total;
	free(text);
	return TEE_SUCCESS;
}

static uint32_t offset_in(const char *text, const char *hit)
{
	return hit ? (uint32_t)(hit - text) : NOT_FOUND;
}

static TEE_Result cmd_search(uint32_t pt, TEE_Param params[4])
{
	char *text = NULL;
	char *needle = NULL;
	TEE_Result res = TEE_SUCCESS;

	if (!types_are(pt, TEE_PARAM_TYPE_MEMREF_INPUT,
		       TEE_PARAM_TYPE_MEMREF_INPUT, TEE_PARAM_TYPE_VALUE_OUTPUT,
		       TEE_PARAM_TYPE_VALUE_OUTPUT) ||
	    !params[1].memref.size)
		return TEE_ERROR_BAD_PARAMETERS;
	text = text_of(&params[0]);
	needle = text_of(&params[1]);
	if (!text || !needle) {
		res = TEE_ERROR_OUT_OF_MEMORY;
		goto out;
	}
	params[2].value.a = offset_in(text, strstr(text, needle));
	params[2].value.b = offset_in(text, strchr(text, needle[0]));
	params[3].value.a = offset_in(text, strrchr(text, needle[0]));
out:
	free(text);
	free(needle);
	return res;
}

static TEE_Result cmd_compare(uint32_t pt, TEE_Param params[4])
{
	size_t n = params[0].memref.size;
	int ct = 0;
	int plain = 0;

	if (!types_are(pt, TEE_PARAM_TYPE_MEMREF_INPUT,
		       TEE_PARAM_TYPE_MEMREF_INPUT, TEE_PARAM_TYPE_VALUE_OUTPUT,
		       TEE_PARAM_TYPE_NONE) ||
	    params[1].memref.size != n)
		return TEE_ERROR_BAD_PARAMETERS;
	ct = consttime_memcmp(params[0].memref.buffer,
			      params[1].memref.buffer, n);
	plain = memcmp(params[0].memref.buffer, params[1].memref.buffer, n);
	params[2].value.a = (uint32_t)(ct + 1);
	params[2].value.b = (uint32_t)((plain > 0) - (plain < 0) + 1);
	return TEE_SUCCESS;
}

static jmp_buf jump_env;

static void jump_back(int value)
{
	longjmp(jump_env, value);
}

/* Called through a pointer: the compiler sees dive() able to return. */
static void (*volatile jump)(int) = jump_back;

/* Recurses levels_left times, then jumps back to cmd_jump() with value. */
static void dive(uint32_t levels_left, int value)
{
	if (levels_left)
		dive(levels_left - 1, value);
	else
		jump(value);
}

static TEE_Result cmd_jump(uint32_t pt, TEE_Param params[4])
{
	volatile uint32_t returns = 0;
	int got = 0;

	if (!types_are(pt, TEE_PARAM_TYPE_VALUE_INPUT,
		       TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE,
		       TEE_PARAM_TYPE_NONE) ||
	    params[0].value.a > 100)
		return TEE_ERROR_BAD_PARAMETERS;
	got = setjmp(jump_env);
	returns++;
	if (!got)
		dive(params[0].value.a, (int)params[0].value.a + 1);
	params[1].value.a = (uint32_t)got;
	params[1].value.b = returns;
	return TEE_SUCCESS;
}

static uint32_t heap_checks(size_t size)
{
	uint32_t passed = 0;
	uint8_t *zeroed = calloc(size, 1);
	uint8_t *grown = NULL;
	void *aligned = memalign(64, size);
	char *dup = strdup("libc TA");
	char *ndup = strndup("libc TA", 4);
	size_t i = 0;

	if (zeroed) {
		passed |= TA_LIBC_HEAP_CALLOC_ZERO;
		for (i = 0; i < size; i++)
			if (zeroed[i])
				passed &= ~TA_LIBC_HEAP_CALLOC_ZERO;
		memset(zeroed, 0x5a, size);
		grown = realloc(zeroed, 2 * size);
	}
	if (grown) {
		zeroed = NULL;	/* realloc() took it */
		passed |= TA_LIBC_HEAP_REALLOC_KEEPS;
		for (i = 0; i < size; i++)
			if (grown[i] != 0x5a)
				passed &= ~TA_LIBC_HEAP_REALLOC_KEEPS;
	}
	if (aligned && !((uintptr_t)aligned % 64))
		passed |= TA_LIBC_HEAP_MEMALIGN;
	if (dup && ndup && !strcmp(dup, "libc TA") && !strcmp(ndup, "libc"))
		passed |= TA_LIBC_HEAP_STRDUP;
	free(zeroed);
	free_wipe(grown);
	free(aligned);
	free(dup);
	free(ndup);
	return passed;
}

static TEE_Result cmd_heap(uint32_t pt, TEE_Param params[4])
{
	if (!types_are(pt, TEE_PARAM_TYPE_VALUE_INPUT,
		       TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE,
		       TEE_PARAM_TYPE_NONE) ||
	    !params[0].value.a || params[0].value.a > 1024 * 1024)
		return TEE_ERROR_BAD_PARAMETERS;
	params[1].value.a = heap_checks(params[0].value.a);
	return TEE_SUCCESS;
}

static TEE_Result cmd_bits(uint32_t pt, TEE_Param params[4])
{
	bitstr_t bit_decl(bits, 64) = { 0 };
	int first_set = 0;
	int first_clear = 0;
	uint32_t counter = 0;

	if (!types_are(pt, TEE_PARAM_TYPE_VALUE_INPUT,
		       TEE_PARAM_TYPE_VALUE_OUTPUT,
		       TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE) ||
	    params[0].value.a > params[0].value.b || params[0].value.b >= 64)
		return TEE_ERROR_BAD_PARAMETERS;
	bit_nset(bits, (int)params[0].value.a, (int)params[0].value.b);
	bit_ffs(bits, 64, &first_set);
	bit_ffc(bits, 64, &first_clear);
	params[1].value.a = (uint32_t)first_set;
	params[1].value.b = (uint32_t)first_clear;
	params[2].value.a = (uint32_t)confine_array_index(params[0].value.a,
							  params[0].value.b);
	counter = params[0].value.a;
	atomic_inc32(&counter);
	atomic_dec32(&counter);
	params[2].value.b = atomic_dec32(&counter);
	return TEE_SUCCESS;
}

static TEE_Result cmd_print(uint32_t pt, TEE_Param params[4])
{
	char *text = NULL;
	size_t i = 0;

	if (!types_are(pt, TEE_PARAM_TYPE_MEMREF_INPUT,
		       TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE,
		       TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	text = text_of(&params[0]);
	if (!text)
		return TEE_ERROR_OUT_OF_MEMORY;
	params[1].value.a = (uint32_t)printf("[%s]\n", text);
	puts(text);
	for (i = 0; text[i]; i++)
		putchar(text[i]);
	putchar('\n');
	fputs("stdout: ", stdout);
	fputs(text, stdout);
	fputc('\n', stdout);
	fputs("stderr: ", stderr);
	fputs(text, stderr);
	fputc('\n', stderr);
	fwrite("fwrite: ", 1, 8, stdout);
	fwrite(text, 1, strlen(text), stderr);
	fwrite("\n", 1, 1, stdout);
	write(1, "write: ", 7);
	write(2, text, strlen(text));
	write(1, "\n", 1);
	free(text);
	return TEE_SUCCESS;
}

static TEE_Result cmd_rand(uint32_t pt, TEE_Param params[4])
{
	if (!types_are(pt, TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE,
		       TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	params[0].value.a = (uint32_t)rand();
	params[0].value.b = (uint32_t)rand();
	return TEE_SUCCESS;
}

static TEE_Result cmd_assert(uint32_t pt, TEE_Param params[4])
{
	uint32_t value = params[0].value.a;

	if (!types_are(pt, TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_NONE,
		       TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	assert(value < 10);
	return TEE_SUCCESS;
}

static TEE_Result cmd_badfile(void)
{
	char not_a_stream[32] = { 0 };

	fputs("lost", (FILE *)not_a_stream);
	return TEE_SUCCESS;
}

TEE_Result TA_CreateEntryPoint(void)
{
	return TEE_SUCCESS;
}

void TA_DestroyEntryPoint(void)
{
}

TEE_Result TA_OpenSessionEntryPoint(uint32_t pt __unused,
				    TEE_Param params[4] __unused,
				    void **sess_ctx __unused)
{
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *sess_ctx __unused)
{
}

TEE_Result TA_InvokeCommandEntryPoint(void *sess_ctx __unused, uint32_t cmd,
				      uint32_t pt, TEE_Param params[4])
{
	switch (cmd) {
	case TA_LIBC_CMD_FORMAT:
		return cmd_format(pt, params);
	case TA_LIBC_CMD_SORT:
		return cmd_sort(pt, params);
	case TA_LIBC_CMD_FIND:
		return cmd_find(pt, params);
	case TA_LIBC_CMD_PARSE:
		return cmd_parse(pt, params);
	case TA_LIBC_CMD_TOKENS:
		return cmd_tokens(pt, params);
	case TA_LIBC_CMD_SEARCH:
		return cmd_search(pt, params);
	case TA_LIBC_CMD_COMPARE:
		return cmd_compare(pt, params);
	case TA_LIBC_CMD_JUMP:
		return cmd_jump(pt, params);
	case TA_LIBC_CMD_HEAP:
		return cmd_heap(pt, params);
	case TA_LIBC_CMD_QUEUE:
		return libc_queue_cmd(pt, params);
	case TA_LIBC_CMD_BITS:
		return cmd_bits(pt, params);
	case TA_LIBC_CMD_PRINT:
		return cmd_print(pt, params);
	case TA_LIBC_CMD_RAND:
		return cmd_rand(pt, params);
	case TA_LIBC_CMD_ASSERT:
		return cmd_assert(pt, params);
	case TA_LIBC_CMD_ABORT:
		abort();
	case TA_LIBC_CMD_BADFILE:
		return cmd_badfile();
	case TA_LIBC_CMD_BADFD:
		write(5, "lost\n", 5);
		return TEE_SUCCESS;
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
