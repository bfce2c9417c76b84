/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * <malloc.h> of the pytee TA libc: the TA heap functions.  OP-TEE's also
 * declares its allocator's internals (malloc_add_pool(), the mdbg_*()
 * debug variants, ...), which a portable TA does not call; only the
 * no-op mdbg_check() it keeps for TAs built without ENABLE_MDBG is here.
 */
#ifndef __PYTEE_LIBC_MALLOC_H
#define __PYTEE_LIBC_MALLOC_H

#include <stddef.h>
#include <types_ext.h>

void *malloc(size_t size);
void *calloc(size_t nmemb, size_t size);
void *realloc(void *ptr, size_t size);
void *memalign(size_t alignment, size_t size);
void free(void *ptr);

#define mdbg_check(x)	do { } while (0)

#endif /* __PYTEE_LIBC_MALLOC_H */
