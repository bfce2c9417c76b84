// SPDX-License-Identifier: BSD-2-Clause
/*
 * Sorting and searching helpers of OP-TEE's libutils for TAs, exported
 * from libtee: qsort_<type>() of <util.h> (ascending sorts of arrays of
 * standard types) and bisect_equal() of <bisect.h>.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <util.h>

#include "api.h"

/* qsort_<name>(): qsort() of an array of type with a trilean comparison. */
#define DEFINE_QSORT(name, type) \
	static int cmp_##name(const void *p1, const void *p2) \
	{ \
		type a = *(const type *)p1; \
		type b = *(const type *)p2; \
		\
		return (a > b) - (a < b); \
	} \
	\
	TEE_API void qsort_##name(type *aa, size_t n) \
	{ \
		if (n > 1) \
			qsort(aa, n, sizeof(*aa), cmp_##name); \
	}

DEFINE_QSORT(int, int)
DEFINE_QSORT(uint, unsigned int)
DEFINE_QSORT(long, long int)
DEFINE_QSORT(ul, unsigned long int)
DEFINE_QSORT(ll, long long int)
DEFINE_QSORT(ull, unsigned long long int)
DEFINE_QSORT(s8, int8_t)
DEFINE_QSORT(u8, uint8_t)
DEFINE_QSORT(s16, int16_t)
DEFINE_QSORT(u16, uint16_t)
DEFINE_QSORT(s32, int32_t)
DEFINE_QSORT(u32, uint32_t)
DEFINE_QSORT(s64, int64_t)
DEFINE_QSORT(u64, uint64_t)

/*
 * Bisection over the half-open range [lo, hi) of candidate cells, calling
 * cmp(cell, target) as OP-TEE does.  The array is the TA's own, so its
 * n * cell_size bytes exist and mid * cell_size cannot overflow.
 */
TEE_API void *bisect_equal(const void *array, size_t n, size_t cell_size,
			   const void *target,
			   int (*cmp)(const void *, const void *))
{
	const uint8_t *base = array;
	size_t lo = 0;
	size_t hi = n;
	void *found = NULL;

	if (!array)
		goto out;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const uint8_t *cell = base + mid * cell_size;
		int diff = cmp(cell, target);

		if (!diff) {
			found = (void *)cell;
			break;
		}
		if (diff < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
out:
	return found;
}
