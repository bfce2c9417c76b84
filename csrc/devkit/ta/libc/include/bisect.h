/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * <bisect.h> of the pytee TA libc (an OP-TEE addition): sort an array,
 * then find an element equal to a target by bisection.  cmp() is a
 * trilean comparison (<0, 0, >0); bisect_equal() calls it as
 * cmp(element, target).
 */
#ifndef __PYTEE_LIBC_BISECT_H
#define __PYTEE_LIBC_BISECT_H

#include <stddef.h>
#include <stdlib.h>

/* Sorts the n cells of cell_size bytes at array in increasing cmp() order. */
static inline void bisect_sort(void *array, size_t n, size_t cell_size,
			       int (*cmp)(const void *, const void *))
{
	qsort(array, n, cell_size, cmp);
}

/*
 * A cell of the sorted array that cmp() finds equal to target, or NULL if
 * there is none (or array is NULL or n is 0).
 */
void *bisect_equal(const void *array, size_t n, size_t cell_size,
		   const void *target, int (*cmp)(const void *, const void *));

#endif /* __PYTEE_LIBC_BISECT_H */
