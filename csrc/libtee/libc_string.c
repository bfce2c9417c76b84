// SPDX-License-Identifier: BSD-2-Clause
/*
 * The string helpers of OP-TEE's libutils that TAs get from
 * <string_ext.h> and that the host C library lacks (glibc has strlcpy
 * and strlcat only from 2.38 on): exported to TAs from libtee.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <string_ext.h>

#include "api.h"

TEE_API size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);
	size_t n = 0;

	if (size) {
		n = len < size - 1 ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

TEE_API size_t strlcat(char *dst, const char *src, size_t size)
{
	/* a dst without a NUL in its size bytes counts as size long */
	size_t used = strnlen(dst, size);

	return used + strlcpy(dst + used, src, size - used);
}

/*
 * Visits every byte, last to first, keeping the latest (so the lowest
 * indexed) difference with masks instead of branches; only its sign is
 * returned: -1, 0 or 1, as bytes compare as unsigned char.
 */
TEE_API int consttime_memcmp(const void *p1, const void *p2, size_t nb)
{
	const uint8_t *a = p1;
	const uint8_t *b = p2;
	int first = 0;
	size_t i = nb;

	while (i-- > 0) {
		int diff = (int)a[i] - (int)b[i];	/* -255..255 */
		/* 1 when diff != 0: the sign bit of diff | -diff */
		unsigned int nonzero = (unsigned int)(diff | -diff) >>
				       (sizeof(int) * 8 - 1);
		unsigned int keep = 0U - nonzero;

		first = (int)(((unsigned int)first & ~keep) |
			      ((unsigned int)diff & keep));
	}
	return (first > 0) - (first < 0);
}

TEE_API void memzero_explicit(void *s, size_t count)
{
	if (count)
		memset(s, 0, count);
	/* tells the compiler the zeroes are read: the memset stays */
	__asm__ __volatile__("" : : "r" (s) : "memory");
}
