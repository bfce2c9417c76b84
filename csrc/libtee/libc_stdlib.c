// SPDX-License-Identifier: BSD-2-Clause
/*
 * The parts of the TA libc subset (csrc/devkit/ta/libc) that are not the
 * host C library's and are not console output: <stdlib.h> abort(),
 * rand() and _strtoul(), <stdlib_ext.h> free_wipe(), <assert.h> and
 * <atomic.h> support, and a check that the TA-side jmp_buf of <setjmp.h>
 * can hold the host C library's.
 *
 * Facts from OP-TEE (lib/libutee abort.c, assert.c, tee_api_operations.c;
 * libutils newlib/strtoul.c): abort() prints "Abort!" and panics with
 * code 0; a failed assertion logs "assertion '<expr>' failed at
 * <file>:<line> in <func>()" at error level (raw trace) and panics with
 * TEE_ERROR_GENERIC; rand() is TEE_GenerateRandom() masked with RAND_MAX
 * (INT_MAX); _strtoul() is strtoul() (which there never sets errno, as
 * a TA has none); atomic_inc32() and atomic_dec32() return the new value.
 */
#include <limits.h>
#include <malloc.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>

#include <openssl/rand.h>

#include <string_ext.h>
#include <tee_internal_api.h>

#include "api.h"
#include "libtee_internal.h"

/* The TA-side jmp_buf is 1024 bytes with 16-byte alignment. */
_Static_assert(sizeof(jmp_buf) <= 1024 && _Alignof(jmp_buf) <= 16,
	       "the dev kit's <setjmp.h> jmp_buf must hold the host's");

TEE_API __attribute__((noreturn)) void __pytee_ta_abort(void)
{
	static const char msg[] = "Abort!\n";

	rt_log_line(msg, sizeof(msg) - 1);
	rt_panic(0);
}

TEE_API int __pytee_ta_rand(void)
{
	unsigned int r = 0;

	/* TEE_GenerateRandom() panics when the generator fails */
	if (RAND_bytes((unsigned char *)&r, sizeof(r)) != 1)
		rt_panic(TEE_ERROR_GENERIC);
	return (int)(r & INT_MAX);
}

TEE_API unsigned long _strtoul(const char *nptr, char **endptr, int base)
{
	return strtoul(nptr, endptr, base);
}

TEE_API void free_wipe(void *ptr)
{
	if (ptr) {
		memzero_explicit(ptr, malloc_usable_size(ptr));
		free(ptr);
	}
}

TEE_API void _assert_log(const char *expr, const char *file, const int line,
			 const char *func)
{
	trace_printf(NULL, 0, TRACE_ERROR, true,
		     "assertion '%s' failed at %s:%d in %s()", expr, file,
		     line, func);
}

TEE_API __attribute__((noreturn)) void _assert_break(void)
{
	rt_panic(TEE_ERROR_GENERIC);
}

TEE_API uint32_t atomic_inc32(volatile uint32_t *v)
{
	return __atomic_add_fetch(v, 1, __ATOMIC_SEQ_CST);
}

TEE_API uint32_t atomic_dec32(volatile uint32_t *v)
{
	return __atomic_sub_fetch(v, 1, __ATOMIC_SEQ_CST);
}
