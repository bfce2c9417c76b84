/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * <confine_array_index.h> of OP-TEE's libutils, for pytee TAs:
 * confine_array_index(index, size) is index when index < size, else 0,
 * computed without a branch the CPU could speculate past (Spectre v1).
 * It complements an ordinary bounds check, which still rejects a bad
 * index; this only keeps a mispredicted path from using it.
 */
#ifndef __PYTEE_LIBC_CONFINE_ARRAY_INDEX_H
#define __PYTEE_LIBC_CONFINE_ARRAY_INDEX_H

#include <stddef.h>

static inline size_t confine_array_index(size_t index, size_t size)
{
	size_t safe = 0;

#if defined(__x86_64__) || defined(__i386__)
	/* a conditional move waits for the comparison */
	__asm__("cmp %[size], %[index]\n\t"
		"cmovb %[index], %[safe]"
		: [safe] "+r" (safe)
		: [index] "r" (index), [size] "r" (size)
		: "cc");
#elif defined(__aarch64__)
	/* conditional select, then CSDB (hint #20) */
	__asm__("cmp %[index], %[size]\n\t"
		"csel %[safe], %[index], xzr, lo\n\t"
		"hint #20"
		: [safe] "=r" (safe)
		: [index] "r" (index), [size] "r" (size)
		: "cc");
#else
	/* all ones when index < size; the empty asm hides the mask's origin */
	size_t mask = (size_t)0 - (size_t)(index < size);

	__asm__ volatile("" : "+r" (mask));
	safe = index & mask;
#endif
	return safe;
}

#endif /* __PYTEE_LIBC_CONFINE_ARRAY_INDEX_H */
